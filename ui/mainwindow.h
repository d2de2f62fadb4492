// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "model/result.h"
#include "model/serverstatus.h"
#include "ui/deprecatedialog.h"
#include "ui/namedialogs.h"

#include <QMainWindow>
#include <QThreadPool>

#include <functional>

class DeleteDialog;
class NamespacePane;
class PackageFilterProxyModel;
class QLabel;
class QLineEdit;
class QMenu;
class QSplitter;
class QStackedWidget;
class QTableView;
class QTimer;
class RequestLogView;
class VersionDetailsView;
class VersionView;
class WelcomeView;

namespace Trove {
struct Group;
struct Project;
class RequestLog;
class RequestLogModel;
class PackageTableModel;
class VersionTableModel;
class Registry;
struct PackageSummary;
} // namespace Trove

// The desktop window: groups/projects tree, package table with a type-to-filter box, details of
// the selected package, and the registry's address in the status bar.
//
// Threading (docs/architecture.md §3): every store read runs on one worker thread of the window's own pool
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
    // Stored tarballs found missing or damaged at start (Trove::checkBlobsExist): a warning that
    // stays in the status bar, naming one of them and `trove check`.
    void showStoreProblems(qsizetype count, const QString &example);
    // The number of requests the registry has answered so far; read once a second for the
    // requests per second in the status bar (a counter, not an event per request).
    void setRequestCounter(std::function<quint64()> counter);
    // The log the server fills, shown in the Request Log panel (View menu); must outlive the
    // window.
    void setRequestLog(Trove::RequestLog *log);
    // Reloads the package list and the groups/projects tree from the store.
    void reload();
    // The data folder, for Help ▸ About.
    void setDataFolder(const QString &folder) { m_dataFolder = folder; }
    // The port asked for is taken by another program (app/ connects the server's portInUse):
    // asks Retry, Use Another Port… (Registry Settings with a free port) or Cancel, never
    // moving to another port by itself.
    void showPortInUse(quint16 port, const QString &holder);
    // This run's --listen ("" when none), for Registry Settings' "why this port".
    void setCommandLineListen(const QString &listen) { m_commandLineListen = listen; }
    // The rows of the Request Log panel as they arrive (the tray's notifications read them).
    Trove::RequestLogModel *requestLogModel() const;
    // Help ▸ Getting Started (the README's user part) and Help ▸ About Trove.
    void openGettingStarted();
    void openAbout();

    // The seam for "Save Tarball…": given a suggested file name, returns the chosen path or ""
    // when cancelled. The default asks with QFileDialog; tests answer it themselves.
    using SaveFileChooser = std::function<QString(const QString &suggestedName)>;
    void setSaveFileChooser(SaveFileChooser chooser) { m_chooseSaveFile = std::move(chooser); }
    // The seam for "Publish Tarballs…": returns the chosen .tgz files (default: QFileDialog).
    void setOpenFilesChooser(std::function<QStringList()> chooser)
    {
        m_chooseOpenFiles = std::move(chooser);
    }
    // Opens the preflight sheet for publishing these .tgz files (also what a drop does).
    void openPublishDialog(const QStringList &files);

    // Shows the package: in `projectId` if it has it, else the first project that does; clears
    // the filter if that hides it. False when no project has the name.
    bool showPackage(const QString &name, qint64 projectId = 0);
    // The version selected in the versions list ("" when none).
    QString currentVersion() const;
    // Opens the (non-blocking) deprecate or undeprecate dialog for the selected package.
    void openDeprecateDialog(DeprecateDialog::Mode mode);
    // Opens the dialog that tags the selected version.
    void openTagDialog();
    // The groups/projects tree's context menu for its current item: new group, subgroup or
    // project, rename, visibility (each asks with a non-blocking dialog where it needs a name).
    void fillNamespaceMenu(QMenu *menu);
    // Asks for a name with live checks and writes it off the GUI thread; the store's refusal
    // stays in the dialog. `done` (with %1 the value) goes to the status bar.
    void openNameDialog(NameInputDialog::Kind kind,
                        const QString &title,
                        const QString &label,
                        const QString &text,
                        std::function<Trove::Result<void>(const QString &)> write,
                        const QString &done);
    // Tools: the tokens window and the .npmrc builder (non-blocking; one of each at a time).
    void openTokens();
    // Preselects `projectId` (else the selected package's project).
    void openNpmrcBuilder(qint64 projectId = 0);
    // The first-run sheet (the welcome view's action); finishing it opens Connect a Client.
    void openSetupSheet();
    void openForwarding();
    void openUsers();
    // Points `tag` at `version` of the selected package / removes it (off the GUI thread).
    void moveTag(const QString &tag, const QString &version);
    void removeTag(const QString &tag);
    // Deleting: each asks first with a DeleteDialog that says what breaks (non-blocking), then
    // writes off the GUI thread; a refusal stays in the dialog. The selected versions of the
    // selected package / the whole package / a project with its packages / a group (with
    // everything in it only once its full path is typed).
    void deleteSelectedVersions();
    void deleteCurrentPackage();
    // The current row's package out of the proxy cache (a cached row only), after a question.
    void removeCurrentFromCache();
    void deleteProject(qint64 projectId);
    void deleteGroup(qint64 groupId);
    // Shows a deletion's outcome in the status bar and announces it; opens the dialog.
    void openDeleteDialog(DeleteDialog *dialog);
    // Registry ▸ Open a Shared Store… (non-blocking): once its connection test passed, the
    // choice is saved and openStoreRequested() asks app/ to reopen the window on it.
    void openSharedStoreDialog();

    // Project ▸ Settings: GitLab's Packages switch and the visibility (non-blocking).
    void openProjectSettings(qint64 projectId);

signals:
    // A package list snapshot from the store has been applied.
    void packagesLoaded();
    // The selected package's versions / the selected version's details have been shown.
    void versionsLoaded();
    void versionDetailsLoaded();
    // A change made from the window (deprecate, tag, save) finished; `message` is what the
    // status bar says.
    void writeFinished(bool ok, const QString &message);
    // The Registry menu; app/ starts and stops the server.
    void startRegistryRequested();
    void stopRegistryRequested();
    // The registry settings were changed and saved (RegistrySettingsDialog::load() reads them).
    void registrySettingsChanged();
    // Reopen the window on `store` (a PostgreSQL URL, perhaps with a password the user typed
    // for this session only) keeping the tarballs in `dataFolder`; both empty: the local store.
    void openStoreRequested(const QString &store, const QString &dataFolder);

protected:
    void closeEvent(QCloseEvent *event) override;
    // .tgz files dropped on the window open the publish sheet.
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;

private:
    // Runs the tree context menu's action `name` for the current tree item (the menu bar's copy).
    void triggerNamespaceAction(const QString &name);
    void buildUi();
    void createActions();
    void reloadPackages();
    // Packages the proxy keeps (docs/proxy.md), read again now.
    void reloadCachedPackages();
    // Reloads the cached packages if the proxy cache changed since they were read.
    void checkCachedPackages();
    // Runs `change` on the package rows, keeping the current package current if it stays.
    void changePackageRows(const std::function<void()> &change);
    void reloadNamespaces();
    void refreshPackage(qint64 projectId, const QString &name);
    void showCurrentPackage();
    void showCurrentVersion();
    void updateActions();
    void fillTagMenus();
    void saveTarball();
    void openRegistrySettings();
    void openRegistrySettingsWithPort(quint16 suggestedPort);
    void showVersionContextMenu(const QPoint &pos);
    void showPackageContextMenu(const QPoint &pos);
    void runWrite(const QString &success, std::function<Trove::Result<void>()> work);
    // The confirmation for versions of the current package (`versions` empty: all of them).
    void openVersionsDeletion(const QStringList &versions);
    void updateRequestRate();
    void applyNamespaceSelection();
    void updateCountLabel();
    // "Forwarding: proxy to <host>" while names unknown here go to the upstream for the
    // selected row (or the instance); a click opens Tools ▸ Forwarding and Protection.
    void updateForwardingStatus();
    void restoreSettings();
    void saveSettings() const;
    // The welcome view while the store holds no group; the empty lists' texts; Stop Registry.
    void updateWelcome();
    void updateEmptyStates();
    void confirmStopRegistry();
    // The window title: the registry's address while it runs, the shared store's display.
    void updateTitle();

    Trove::Registry &m_registry;
    QThreadPool m_pool;
    Trove::PackageTableModel *m_packages = nullptr;
    PackageFilterProxyModel *m_proxy = nullptr;

    QSplitter *m_splitter = nullptr;
    QSplitter *m_detailsSplitter = nullptr;
    NamespacePane *m_namespaceTree = nullptr;
    QLineEdit *m_filterEdit = nullptr;
    QTimer *m_filterTimer = nullptr;
    QTableView *m_table = nullptr;
    QLabel *m_detailsTitle = nullptr;
    QLabel *m_deprecationBanner = nullptr;
    Trove::VersionTableModel *m_versionModel = nullptr;
    VersionView *m_versions = nullptr;
    QSplitter *m_versionSplitter = nullptr;
    VersionDetailsView *m_versionDetails = nullptr;
    QLabel *m_countLabel = nullptr;
    QLabel *m_serverLabel = nullptr;
    QLabel *m_rateLabel = nullptr;
    QLabel *m_storeLabel = nullptr;
    QLabel *m_plainHttpLabel = nullptr;
    QLabel *m_forwardingLabel = nullptr;
    QLabel *m_sharedStoreLabel = nullptr; // which PostgreSQL store is open (none on SQLite)
    RequestLogView *m_requestLog = nullptr;
    QStackedWidget *m_packageArea = nullptr;
    WelcomeView *m_welcome = nullptr;

    QAction *m_deprecateAction = nullptr;
    QAction *m_undeprecateAction = nullptr;
    QAction *m_addTagAction = nullptr;
    QMenu *m_moveTagMenu = nullptr;
    QMenu *m_removeTagMenu = nullptr;
    QAction *m_saveTarballAction = nullptr;
    QAction *m_newGroupAction = nullptr;
    QAction *m_newProjectAction = nullptr;
    QAction *m_copyInstallAction = nullptr;
    QAction *m_startAction = nullptr;
    QAction *m_stopAction = nullptr;
    QAction *m_copyAddressAction = nullptr;
    QAction *m_deleteVersionsAction = nullptr;
    QAction *m_deletePackageAction = nullptr;
    QAction *m_removeFromCacheAction = nullptr;
    QAction *m_projectSettingsAction = nullptr;
    QAction *m_deleteProjectAction = nullptr;
    QAction *m_deleteGroupAction = nullptr;

    Trove::ServerStatus m_serverStatus;
    QString m_dataFolder;
    QString m_commandLineListen;
    std::function<quint64()> m_requestCounter;
    quint64 m_lastRequestCount = 0;
    QTimer *m_rateTimer = nullptr;
    SaveFileChooser m_chooseSaveFile;
    std::function<QStringList()> m_chooseOpenFiles;
    // The version to select when the versions of the same package are shown again.
    QString m_wantedVersion;
    QList<Trove::Group> m_groupList; // the last groups/projects snapshot, for the dialogs
    QList<Trove::Project> m_projectList;
    qint64 m_versionsPackageProject = -1;
    // ProxyStore::changes() when the cached packages were last read; -1: never.
    qint64 m_cacheChanges = -1;
    QString m_versionsPackageName;
    quint64 m_versionGeneration = 0;

    // Which details load is current: a slower, older load must not overwrite a newer one.
    quint64 m_detailsGeneration = 0;
};
