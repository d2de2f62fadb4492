// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "model/domain.h"
#include "model/itemmodels/namespacetreemodel.h"

#include <QSet>
#include <QTreeView>

// The groups/projects tree of the main window over a Trove::NamespaceTreeModel: applying a new
// snapshot keeps the current row (a deleted one hands over to "All packages"), and a project
// whose package registry is switched off is drawn greyed. The context menu is the window's
// (MainWindow::fillNamespaceMenu): the view only asks for it (Qt::CustomContextMenu).
class NamespacePane final : public QTreeView
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(NamespacePane)

public:
    using Kind = Trove::NamespaceTreeModel::Kind;

    // The current row as its roles say (All when there is none).
    struct Node
    {
        Kind kind = Kind::All;
        qint64 id = 0;
        QString path;
        Trove::Visibility visibility = Trove::Visibility::Private;
    };

    explicit NamespacePane(QWidget *parent = nullptr);

    Trove::NamespaceTreeModel *namespaceModel() const { return m_model; }
    void setSnapshot(const Trove::NamespaceTreeModel::Snapshot &snapshot);

    Node currentNode() const;
    // The projects shown under the current row; nullopt for All (every package).
    std::optional<QSet<qint64>> currentProjects() const;
    // The "All packages" row.
    void selectAllPackages();
    // False when the tree has no such row.
    bool selectNode(Kind kind, qint64 id);

signals:
    // The user (or the window) chose another row; not while a snapshot is applied.
    void currentNodeChanged();

private:
    Trove::NamespaceTreeModel *m_model = nullptr;
    bool m_applying = false;
};
