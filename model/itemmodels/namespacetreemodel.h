// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "model/domain.h"
#include "model/result.h"
#include "model/services/settingsservice.h"

#include <QAbstractItemModel>
#include <QHash>
#include <QList>
#include <QSet>

#include <memory>
#include <vector>

namespace Trove {

class Database;

// The groups/projects tree of the main window: one "All packages" row holding the top-level
// groups, each group its subgroups and projects, siblings sorted by path. A value snapshot
// (load() off the GUI thread, setSnapshot() on it); data() never touches the store.
//
// setSnapshot() updates rows in place: a renamed node keeps its index (and with it the view's
// selection and expansion), a new one is inserted, a deleted one removed, so a reload does not
// reset the view.
//
// No Gui types here: a disabled project's grey and any icon are for ui/ to map from the roles.
class NamespaceTreeModel final : public QAbstractItemModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(NamespaceTreeModel)

public:
    using ForwardingMode = SettingsService::ForwardingMode;

    enum Column {
        NameColumn,
        // "proxy" or "redirect" where unknown names go to the upstream, else empty: the mark is
        // text, not only a colour.
        ForwardingColumn,
        ColumnCount
    };
    enum Role {
        KindRole = Qt::UserRole, // int(Kind)
        IdRole, // group or project id; 0 for All
        PathRole, // full path; "" for All
        VisibilityRole, // int(Visibility)
        PackagesEnabledRole, // bool: false for a project whose package registry is switched off
        ForwardingRole, // int(ForwardingMode) in force for the node
    };
    enum class Kind { All, Group, Project };

    struct Snapshot
    {
        QList<Group> groups;
        QList<Project> projects;
        // The mode in force (after the cascade) by id; a missing id is Off.
        ForwardingMode instanceForwarding = ForwardingMode::Off;
        QHash<qint64, ForwardingMode> groupForwarding;
        QHash<qint64, ForwardingMode> projectForwarding;
        // Where forwarded names go: the upstream's host (and port, when it names one).
        QString upstreamHost;
    };

    explicit NamespaceTreeModel(QObject *parent = nullptr);
    ~NamespaceTreeModel() override;

    // Reads every group and project with the forwarding mode in force for each.
    static Result<Snapshot> load(const Database &database);

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant
    headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    void setSnapshot(const Snapshot &snapshot);
    const Snapshot &snapshot() const { return m_snapshot; }

    // The "All packages" row.
    QModelIndex allIndex() const;
    // The row of a group or project (column 0); invalid when there is none.
    QModelIndex indexOf(Kind kind, qint64 id) const;
    // The projects at `index` and below it (every project for All).
    QSet<qint64> projectsUnder(const QModelIndex &index) const;

    // "proxy", "redirect" or "" (what the forwarding column shows).
    static QString forwardingBadge(ForwardingMode mode);

private:
    struct Node;

    Node *nodeOf(const QModelIndex &index) const;
    QModelIndex indexOfNode(const Node *node, int column = 0) const;
    void removeNode(Node *node);
    void insertNode(Node *parent, std::unique_ptr<Node> node);
    void sortChildren(Node *parent);
    void collectProjects(const Node *node, QSet<qint64> *ids) const;

    std::unique_ptr<Node> m_root; // invisible; its one child is All
    Node *m_all = nullptr;
    Snapshot m_snapshot;
};

} // namespace Trove
