// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "model/serverstatus.h"

#include <QMainWindow>
#include <QThreadPool>

class PackageFilterProxyModel;
class QLabel;
class QLineEdit;
class QSplitter;
class QTableView;
class QTimer;
class QTreeView;
class QTreeWidget;
class QTreeWidgetItem;

namespace Trove {
class PackageTableModel;
class VersionTableModel;
class Registry;
struct PackageSummary;
} // namespace Trove

// The desktop window: groups/projects tree, package table with a type-to-filter box, details of
// the selected package, and the registry's address in the status bar.
//
// Threading (DESIGN.md §4): every store read runs on one worker thread of the window's own pool
// (one thread, so snapshots apply in the order they were asked for) and is applied on the GUI
// thread; change events from the Registry are taken queued and reload just the package that
// changed. The Registry must outlive the window.
class MainWindow final : public QMainWindow
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MainWindow)

public:
    explicit MainWindow(Trove::Registry &registry, QWidget *parent = nullptr);
    ~MainWindow() override;

    // What the embedded registry is doing; app/ connects the server's status to this.
    void setServerStatus(const Trove::ServerStatus &status);
    // Reloads the package list and the groups/projects tree from the store.
    void reload();

signals:
    // A package list snapshot from the store has been applied.
    void packagesLoaded();

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void buildUi();
    void createActions();
    void reloadPackages();
    void reloadNamespaces();
    void refreshPackage(qint64 projectId, const QString &name);
    void showCurrentPackage();
    void applyNamespaceSelection();
    void updateCountLabel();
    void restoreSettings();
    void saveSettings() const;

    Trove::Registry &m_registry;
    QThreadPool m_pool;
    Trove::PackageTableModel *m_packages = nullptr;
    PackageFilterProxyModel *m_proxy = nullptr;

    QSplitter *m_splitter = nullptr;
    QSplitter *m_detailsSplitter = nullptr;
    QTreeWidget *m_namespaceTree = nullptr;
    QLineEdit *m_filterEdit = nullptr;
    QTimer *m_filterTimer = nullptr;
    QTableView *m_table = nullptr;
    QLabel *m_detailsTitle = nullptr;
    QLabel *m_deprecationBanner = nullptr;
    Trove::VersionTableModel *m_versionModel = nullptr;
    QTreeView *m_versions = nullptr;
    QLabel *m_countLabel = nullptr;
    QLabel *m_serverLabel = nullptr;

    // Which details load is current: a slower, older load must not overwrite a newer one.
    quint64 m_detailsGeneration = 0;
};
