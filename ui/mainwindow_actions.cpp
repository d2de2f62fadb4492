// SPDX-License-Identifier: GPL-3.0-or-later
// The menu bar: its actions, what enables them, the tag submenus and the versions' context menu.
#include "ui/mainwindow.h"

#include "model/itemmodels/namespacetreemodel.h"
#include "model/itemmodels/packagetablemodel.h"
#include "model/itemmodels/versiontablemodel.h"
#include "model/registry.h"
#include "model/versiondetails.h"
#include "ui/namespacepane.h"
#include "ui/publishdialog.h"
#include "ui/sharedstoredialog.h"
#include "ui/tagdialog.h"
#include "ui/versiondetailsview.h"
#include "ui/versionview.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QDir>
#include <QDockWidget>
#include <QFile>
#include <QFileDialog>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QStatusBar>
#include <QTableView>

using namespace Qt::StringLiterals;
using namespace Trove;

namespace {

using NodeKind = NamespaceTreeModel::Kind;

} // namespace

void MainWindow::createActions()
{
    const auto add = [this](QMenu *menu,
                            const QString &text,
                            const char *name,
                            const QKeySequence &shortcut = {}) {
        QAction *action = menu->addAction(text);
        action->setObjectName(QString::fromLatin1(name));
        action->setShortcut(shortcut);
        addAction(action); // shortcuts work wherever the focus is
        return action;
    };

    QMenu *fileMenu = menuBar()->addMenu(tr("&File"));
    QAction *publish = add(fileMenu, tr("&Publish Tarballs…"), "publishAction", QKeySequence::Open);
    publish->setToolTip(tr("Publish .tgz files to a project (or drop them on the window)"));
    connect(publish, &QAction::triggered, this, [this] {
        const QStringList files = m_chooseOpenFiles
            ? m_chooseOpenFiles()
            : QFileDialog::getOpenFileNames(
                this, tr("Publish Tarballs"), QDir::homePath(), tr("npm tarballs (*.tgz)"));
        if (!files.isEmpty()) {
            openPublishDialog(files);
        }
    });
    m_saveTarballAction =
        add(fileMenu, tr("&Save Tarball…"), "saveTarballAction", QKeySequence::Save);
    connect(m_saveTarballAction, &QAction::triggered, this, &MainWindow::saveTarball);
    fileMenu->addSeparator();
    // The same as the tree's context menu: a top-level group, or a subgroup of the selected group.
    m_newGroupAction = add(fileMenu, tr("New &Group…"), "menuNewGroupAction");
    connect(m_newGroupAction, &QAction::triggered, this, [this] {
        triggerNamespaceAction(u"newGroupAction"_s);
    });
    m_newProjectAction = add(fileMenu, tr("New P&roject…"), "menuNewProjectAction");
    connect(m_newProjectAction, &QAction::triggered, this, [this] {
        triggerNamespaceAction(u"newProjectAction"_s);
    });
    QAction *newUser = add(fileMenu, tr("New &User…"), "menuNewUserAction");
    connect(newUser, &QAction::triggered, this, [this] {
        openNameDialog(
            NameInputDialog::Kind::User,
            tr("New User"),
            tr("Username (give it a role in Tools ▸ Users and Roles):"),
            QString(),
            [registry = &m_registry](const QString &name) -> Result<void> {
                const Result<User> user = registry->users().createUser(name);
                if (!user) {
                    return user.error();
                }
                return {};
            },
            tr("Added the user %1."));
    });
    fileMenu->addSeparator();
    QAction *quit = add(fileMenu, tr("&Quit"), "quitAction", QKeySequence::Quit);
    connect(quit, &QAction::triggered, this, &QWidget::close);

    QMenu *editMenu = menuBar()->addMenu(tr("&Edit"));
    m_copyInstallAction = add(editMenu,
                              tr("Copy &Install Command"),
                              "copyInstallAction",
                              QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_C));
    connect(m_copyInstallAction, &QAction::triggered, this, [this] {
        if (!m_versionDetails->details().package.name.isEmpty()) {
            QApplication::clipboard()->setText(
                VersionDetailsView::npmCommand(m_versionDetails->details().package));
            statusBar()->showMessage(tr("Copied the npm install command."), 3000);
        }
    });
    editMenu->addSeparator();
    QAction *find = add(editMenu, tr("&Filter Packages"), "findAction", QKeySequence::Find);
    connect(find, &QAction::triggered, this, [this] {
        m_filterEdit->setFocus(Qt::ShortcutFocusReason);
        m_filterEdit->selectAll();
    });

    QMenu *viewMenu = menuBar()->addMenu(tr("&View"));
    QAction *logToggle = findChild<QDockWidget *>(u"requestLogDock"_s)->toggleViewAction();
    logToggle->setObjectName(u"requestLogAction"_s);
    logToggle->setText(tr("Request &Log"));
    logToggle->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_L));
    viewMenu->addAction(logToggle);
    QAction *refresh = add(viewMenu, tr("&Reload"), "reloadAction", QKeySequence::Refresh);
    // Changes made by another process (the command line) show up by themselves within half a
    // second; this is for the impatient.
    refresh->setToolTip(tr("Reload packages, groups and projects from the data folder"));
    connect(refresh, &QAction::triggered, this, &MainWindow::reload);

    QMenu *packageMenu = menuBar()->addMenu(tr("&Package"));
    m_deprecateAction =
        add(packageMenu, tr("&Deprecate…"), "deprecateAction", QKeySequence(Qt::CTRL | Qt::Key_D));
    connect(m_deprecateAction, &QAction::triggered, this, [this] {
        openDeprecateDialog(DeprecateDialog::Mode::Deprecate);
    });
    m_undeprecateAction = add(packageMenu,
                              tr("&Undeprecate…"),
                              "undeprecateAction",
                              QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_D));
    connect(m_undeprecateAction, &QAction::triggered, this, [this] {
        openDeprecateDialog(DeprecateDialog::Mode::Undeprecate);
    });
    packageMenu->addSeparator();
    m_addTagAction = add(
        packageMenu, tr("Add or Move &Tag…"), "addTagAction", QKeySequence(Qt::CTRL | Qt::Key_T));
    connect(m_addTagAction, &QAction::triggered, this, &MainWindow::openTagDialog);
    m_moveTagMenu = packageMenu->addMenu(tr("&Move Tag Here"));
    m_moveTagMenu->setObjectName(u"moveTagMenu"_s);
    m_removeTagMenu = packageMenu->addMenu(tr("&Remove Tag"));
    m_removeTagMenu->setObjectName(u"removeTagMenu"_s);
    connect(packageMenu, &QMenu::aboutToShow, this, &MainWindow::fillTagMenus);
    // Also when the submenus open from the versions' context menu.
    connect(m_moveTagMenu, &QMenu::aboutToShow, this, &MainWindow::fillTagMenus);
    connect(m_removeTagMenu, &QMenu::aboutToShow, this, &MainWindow::fillTagMenus);
    packageMenu->addSeparator();
    m_deleteVersionsAction = add(packageMenu, tr("Delete &Version…"), "deleteVersionsAction");
    connect(m_deleteVersionsAction, &QAction::triggered, this, &MainWindow::deleteSelectedVersions);
    m_deletePackageAction = add(packageMenu, tr("Delete &Package…"), "deletePackageAction");
    connect(m_deletePackageAction, &QAction::triggered, this, &MainWindow::deleteCurrentPackage);
    m_removeFromCacheAction =
        add(packageMenu, tr("Remove from the Proxy &Cache…"), "removeFromCacheAction");
    m_removeFromCacheAction->setToolTip(
        tr("A package kept from the upstream: remove its document and tarballs"));
    connect(
        m_removeFromCacheAction, &QAction::triggered, this, &MainWindow::removeCurrentFromCache);

    // The tree's context menu items for the selected project or group.
    QMenu *projectMenu = menuBar()->addMenu(tr("Pro&ject"));
    m_projectSettingsAction = add(projectMenu, tr("&Settings…"), "menuProjectSettingsAction");
    connect(m_projectSettingsAction, &QAction::triggered, this, [this] {
        triggerNamespaceAction(u"projectSettingsAction"_s);
    });
    projectMenu->addSeparator();
    m_deleteProjectAction = add(projectMenu, tr("&Delete Project…"), "menuDeleteProjectAction");
    connect(m_deleteProjectAction, &QAction::triggered, this, [this] {
        triggerNamespaceAction(u"deleteProjectAction"_s);
    });
    m_deleteGroupAction = add(projectMenu, tr("Delete &Group…"), "menuDeleteGroupAction");
    connect(m_deleteGroupAction, &QAction::triggered, this, [this] {
        triggerNamespaceAction(u"deleteGroupAction"_s);
    });

    QMenu *registryMenu = menuBar()->addMenu(tr("&Registry"));
    m_startAction = add(registryMenu, tr("&Start Registry"), "startRegistryAction");
    connect(m_startAction, &QAction::triggered, this, &MainWindow::startRegistryRequested);
    m_stopAction = add(registryMenu, tr("S&top Registry"), "stopRegistryAction");
    connect(m_stopAction, &QAction::triggered, this, &MainWindow::confirmStopRegistry);
    m_copyAddressAction = add(registryMenu, tr("&Copy Registry Address"), "copyAddressAction");
    connect(m_copyAddressAction, &QAction::triggered, this, [this] {
        QApplication::clipboard()->setText(m_serverStatus.url());
        statusBar()->showMessage(tr("Copied %1").arg(m_serverStatus.url()), 3000);
    });
    registryMenu->addSeparator();
    // A PostgreSQL store several instances share (docs/postgresql.md): app/ reopens the window
    // on it, or on the local store again.
    QAction *openShared = add(registryMenu, tr("Open a S&hared Store…"), "openSharedStoreAction");
    connect(openShared, &QAction::triggered, this, &MainWindow::openSharedStoreDialog);
    QAction *openLocal = add(registryMenu, tr("Open the &Local Store"), "openLocalStoreAction");
    openLocal->setEnabled(m_registry.database().dialect() == Database::Dialect::PostgreSQL);
    openLocal->setToolTip(tr("Back to the SQLite store of this computer's data folder"));
    connect(openLocal, &QAction::triggered, this, [this] {
        SharedStoreDialog::forgetStore();
        emit openStoreRequested({}, {});
    });
    registryMenu->addSeparator();
    QAction *settings = add(registryMenu,
                            tr("Registry &Settings…"),
                            "registrySettingsAction",
                            QKeySequence::Preferences);
    settings->setMenuRole(QAction::PreferencesRole);
    connect(settings, &QAction::triggered, this, &MainWindow::openRegistrySettings);

    QMenu *toolsMenu = menuBar()->addMenu(tr("&Tools"));
    QAction *tokens = add(
        toolsMenu, tr("&Tokens…"), "tokensAction", QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_T));
    connect(tokens, &QAction::triggered, this, &MainWindow::openTokens);
    QAction *builder = add(toolsMenu,
                           tr("&Connect a Client (.npmrc)…"),
                           "npmrcBuilderAction",
                           QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_N));
    connect(builder, &QAction::triggered, this, [this] { openNpmrcBuilder(); });
    QAction *users = add(toolsMenu, tr("&Users and Roles…"), "usersAction");
    connect(users, &QAction::triggered, this, &MainWindow::openUsers);
    QAction *forwarding = add(toolsMenu, tr("&Forwarding and Protection…"), "forwardingAction");
    connect(forwarding, &QAction::triggered, this, &MainWindow::openForwarding);

    QMenu *helpMenu = menuBar()->addMenu(tr("&Help"));
    QAction *gettingStarted =
        add(helpMenu, tr("&Getting Started"), "gettingStartedAction", QKeySequence::HelpContents);
    connect(gettingStarted, &QAction::triggered, this, &MainWindow::openGettingStarted);
    QAction *about = add(helpMenu, tr("&About Trove"), "aboutAction");
    about->setMenuRole(QAction::AboutRole);
    connect(about, &QAction::triggered, this, &MainWindow::openAbout);
    QAction *aboutQt = helpMenu->addAction(tr("About &Qt"));
    aboutQt->setMenuRole(QAction::AboutQtRole);
    connect(aboutQt, &QAction::triggered, qApp, &QApplication::aboutQt);
    updateActions();
}

void MainWindow::updateActions()
{
    if (!m_deprecateAction) {
        return; // buildUi() runs before createActions()
    }
    const bool cached = m_table->currentIndex().data(PackageTableModel::CachedRole).toBool();
    const bool hasPackage =
        !cached && m_table->currentIndex().isValid() && m_versionModel->rowCount() > 0;
    const bool hasVersion = !cached && m_versions->currentIndex().isValid();
    const bool detailsShown = !m_versionDetails->details().package.name.isEmpty();
    m_deprecateAction->setEnabled(hasPackage);
    m_undeprecateAction->setEnabled(hasPackage);
    m_addTagAction->setEnabled(hasVersion);
    m_moveTagMenu->setEnabled(hasVersion);
    m_removeTagMenu->setEnabled(hasVersion);
    m_saveTarballAction->setEnabled(detailsShown
                                    && m_versionDetails->details().tarballError.isEmpty());
    m_copyInstallAction->setEnabled(detailsShown);
    const ServerStatus::State state = m_serverStatus.state;
    m_startAction->setEnabled(state == ServerStatus::State::Stopped
                              || state == ServerStatus::State::Failed);
    m_stopAction->setEnabled(state == ServerStatus::State::Running
                             || state == ServerStatus::State::Starting);
    m_copyAddressAction->setEnabled(state == ServerStatus::State::Running);
    const NamespacePane::Node node = m_namespaceTree->currentNode();
    const bool groupSelected = node.kind == NodeKind::Group;
    m_newProjectAction->setEnabled(groupSelected);
    m_newProjectAction->setToolTip(groupSelected ? tr("A project in the selected group")
                                                 : tr("Select a group in the tree first"));
    m_newGroupAction->setText(groupSelected ? tr("New Sub&group…") : tr("New &Group…"));
    if (m_deleteVersionsAction) {
        const auto selected = int(m_versions->selectionModel()->selectedRows().size());
        m_deleteVersionsAction->setEnabled(!cached && selected > 0);
        m_deleteVersionsAction->setText(selected > 1 ? tr("Delete %1 &Versions…").arg(selected)
                                                     : tr("Delete &Version…"));
        m_deletePackageAction->setEnabled(hasPackage);
        m_removeFromCacheAction->setEnabled(cached);
        const bool projectSelected = node.kind == NodeKind::Project;
        m_projectSettingsAction->setEnabled(projectSelected);
        m_deleteProjectAction->setEnabled(projectSelected);
        m_deleteGroupAction->setEnabled(groupSelected);
    }
}

void MainWindow::fillTagMenus()
{
    m_moveTagMenu->clear();
    m_removeTagMenu->clear();
    const QModelIndex current = m_versions->currentIndex();
    if (!current.isValid()) {
        return;
    }
    const QString version = current.data(VersionTableModel::VersionRole).toString();
    const QStringList here = current.data(VersionTableModel::TagNamesRole).toStringList();
    const auto summary =
        m_table->currentIndex().data(PackageTableModel::SummaryRole).value<PackageSummary>();
    for (auto it = summary.distTags.cbegin(); it != summary.distTags.cend(); ++it) {
        if (it.value() == version) {
            continue;
        }
        const QString tag = it.key();
        QAction *action = m_moveTagMenu->addAction(tr("%1 (now %2)").arg(tag, it.value()));
        connect(action, &QAction::triggered, this, [this, tag, version] { moveTag(tag, version); });
    }
    m_moveTagMenu->setEnabled(!m_moveTagMenu->isEmpty());
    for (const QString &tag : here) {
        QAction *action = m_removeTagMenu->addAction(tag);
        if (tag == u"latest"_s) {
            // npm needs a latest tag to pick a version for `npm install name`.
            action->setEnabled(false);
            action->setToolTip(tr("Every package needs a latest tag: move it instead."));
        }
        connect(action, &QAction::triggered, this, [this, tag] { removeTag(tag); });
    }
    m_removeTagMenu->setEnabled(!m_removeTagMenu->isEmpty());
}

void MainWindow::showVersionContextMenu(const QPoint &pos)
{
    const QModelIndex index = m_versions->indexAt(pos);
    if (!index.isValid()) {
        return;
    }
    if (!m_versions->selectionModel()->isRowSelected(index.row(), {})) {
        m_versions->setCurrentIndex(index);
    } else {
        m_versions->selectionModel()->setCurrentIndex(index, QItemSelectionModel::NoUpdate);
    }
    fillTagMenus();
    QMenu menu(this);
    menu.addAction(m_addTagAction);
    menu.addMenu(m_moveTagMenu);
    menu.addMenu(m_removeTagMenu);
    menu.addSeparator();
    menu.addAction(m_deprecateAction);
    menu.addAction(m_undeprecateAction);
    menu.addSeparator();
    menu.addAction(m_copyInstallAction);
    menu.addAction(m_saveTarballAction);
    menu.addSeparator();
    menu.addAction(m_deleteVersionsAction);
    menu.addAction(m_deletePackageAction);
    menu.exec(m_versions->viewport()->mapToGlobal(pos));
}

void MainWindow::showPackageContextMenu(const QPoint &pos)
{
    const QModelIndex index = m_table->indexAt(pos);
    if (!index.isValid()) {
        return;
    }
    m_table->setCurrentIndex(index);
    updateActions();
    QMenu menu(this);
    if (index.data(PackageTableModel::CachedRole).toBool()) {
        // Kept from the upstream: nothing here to tag, deprecate or delete.
        menu.addAction(m_copyInstallAction);
        menu.addSeparator();
        menu.addAction(m_removeFromCacheAction);
    } else {
        menu.addAction(m_deprecateAction);
        menu.addAction(m_undeprecateAction);
        menu.addSeparator();
        menu.addAction(m_copyInstallAction);
        menu.addSeparator();
        menu.addAction(m_deletePackageAction);
    }
    menu.exec(m_table->viewport()->mapToGlobal(pos));
}
