// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/mainwindow.h"

#include "model/itemmodels/namespacetreemodel.h"
#include "model/itemmodels/packagetablemodel.h"
#include "model/itemmodels/versiontablemodel.h"
#include "model/registry.h"
#include "model/store/namespacestore.h"
#include "model/store/packagestore.h"
#include "model/storewatcher.h"
#include "model/versiondetails.h"
#include "ui/aboutdialog.h"
#include "ui/async.h"
#include "ui/confirm.h"
#include "ui/contextmenukeys.h"
#include "ui/deletedialogs.h"
#include "ui/emptystate.h"
#include "ui/forwardingdialog.h"
#include "ui/gettingstarted.h"
#include "ui/npmrcbuilderdialog.h"
#include "ui/packagefilterproxymodel.h"
#include "ui/projectsettingsdialog.h"
#include "ui/publishdialog.h"
#include "ui/registrysettingsdialog.h"
#include "ui/requestlogview.h"
#include "ui/setupsheet.h"
#include "ui/tagdialog.h"
#include "ui/tokensdialog.h"
#include "ui/uilogging.h"
#include "ui/usersdialog.h"
#include "ui/versiondetailsview.h"
#include "ui/versionview.h"
#include "ui/welcomeview.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QClipboard>
#include <QCloseEvent>
#include <QDir>
#include <QDockWidget>
#include <QElapsedTimer>
#include <QFile>
#include <QFileDialog>
#include <QFutureWatcher>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QPointer>
#include <QPushButton>
#include <QSettings>
#include <QSplitter>
#include <QStackedWidget>
#include <QStatusBar>
#include <QStyledItemDelegate>
#include <QTableView>
#include <QTimer>
#include <QTreeView>
#include <QVBoxLayout>
#include <QtConcurrent>

using namespace Qt::StringLiterals;
using namespace Trove;

namespace {

struct PackageDetails
{
    QList<Package> versions;
    QList<DistTag> tags;
    QHash<qint64, QDateTime> downloads; // by package id
};

using NodeKind = NamespaceTreeModel::Kind;

// A row of the groups/projects tree, read from its roles (All when there is no row).
struct TreeNode
{
    NodeKind kind = NodeKind::All;
    qint64 id = 0;
    QString path;
    Visibility visibility = Visibility::Private;
};

TreeNode treeNode(const QModelIndex &index)
{
    if (!index.isValid()) {
        return {};
    }
    const QModelIndex name = index.siblingAtColumn(NamespaceTreeModel::NameColumn);
    return {NodeKind(name.data(NamespaceTreeModel::KindRole).toInt()),
            name.data(NamespaceTreeModel::IdRole).toLongLong(),
            name.data(NamespaceTreeModel::PathRole).toString(),
            Visibility(name.data(NamespaceTreeModel::VisibilityRole).toInt())};
}

// A project whose package registry is switched off is drawn greyed, as a disabled item is
// (the model has no colours: it links no Gui).
class NamespaceDelegate final : public QStyledItemDelegate
{
public:
    using QStyledItemDelegate::QStyledItemDelegate;

protected:
    void initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const override
    {
        QStyledItemDelegate::initStyleOption(option, index);
        if (!index.data(NamespaceTreeModel::PackagesEnabledRole).toBool()) {
            option->palette.setBrush(QPalette::Text,
                                     option->palette.brush(QPalette::Disabled, QPalette::Text));
        }
    }
};

} // namespace

MainWindow::MainWindow(Registry &registry, QWidget *parent)
    : QMainWindow(parent)
    , m_registry(registry)
{
    m_pool.setMaxThreadCount(1);
    setWindowTitle(tr("Trove"));
    setAcceptDrops(true);
    buildUi();
    createActions();
    restoreSettings();

    // Queued: the event may come from a server thread, and a slot that reloads must not run
    // inside the service call that emitted it.
    connect(&m_registry.events(),
            &Events::packageChanged,
            this,
            &MainWindow::refreshPackage,
            Qt::QueuedConnection);
    // The package table shows project paths: a rename reloads it too.
    connect(&m_registry.events(),
            &Events::namespacesChanged,
            this,
            &MainWindow::reload,
            Qt::QueuedConnection);
    // Writes by the command line (or another server on this folder) send no events here.
    auto *watcher = new StoreWatcher(m_registry.database(), m_registry.events(), 500, this);
    connect(watcher, &StoreWatcher::changedElsewhere, this, &MainWindow::reload);
    reload();
}

MainWindow::~MainWindow()
{
    // The loads use the Registry; none may outlive the window (and with it, the promise that
    // the Registry is still there).
    m_pool.waitForDone();
}

void MainWindow::buildUi()
{
    m_packages = new PackageTableModel(this);
    m_proxy = new PackageFilterProxyModel(this);
    m_proxy->setSourceModel(m_packages);
    // Read on the GUI thread, only while the filter text holds `unused:`: one grouped query.
    m_proxy->setDownloadTimesSource([database = &m_registry.database()] {
        const Result<QHash<QString, QDateTime>> times =
            PackageStore(*database).lastDownloadsByName();
        return times ? *times : QHash<QString, QDateTime>();
    });

    m_namespaceModel = new NamespaceTreeModel(this);
    m_namespaceTree = new QTreeView;
    m_namespaceTree->setObjectName(u"namespaceTree"_s);
    m_namespaceTree->setAccessibleName(tr("Groups and projects"));
    m_namespaceTree->setModel(m_namespaceModel);
    m_namespaceTree->setItemDelegate(new NamespaceDelegate(m_namespaceTree));
    m_namespaceTree->setSelectionMode(QAbstractItemView::SingleSelection);
    m_namespaceTree->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_namespaceTree->setUniformRowHeights(true);
    m_namespaceTree->header()->setStretchLastSection(false);
    m_namespaceTree->header()->setSectionResizeMode(NamespaceTreeModel::NameColumn,
                                                    QHeaderView::Stretch);
    m_namespaceTree->header()->setSectionResizeMode(NamespaceTreeModel::ForwardingColumn,
                                                    QHeaderView::ResizeToContents);
    m_namespaceTree->setCurrentIndex(m_namespaceModel->allIndex());
    connect(m_namespaceTree->selectionModel(), &QItemSelectionModel::currentChanged, this, [this] {
        if (!m_applyingNamespaces) {
            applyNamespaceSelection();
        }
    });
    // A deleted current row hands the selection to All (not to a neighbour, which would show
    // another project's packages unasked).
    connect(m_namespaceModel,
            &QAbstractItemModel::rowsAboutToBeRemoved,
            this,
            [this](const QModelIndex &parent, int first, int last) {
                for (QModelIndex index = m_namespaceTree->currentIndex(); index.isValid();
                     index = index.parent()) {
                    if (index.parent() == parent && index.row() >= first && index.row() <= last) {
                        m_namespaceTree->setCurrentIndex(m_namespaceModel->allIndex());
                        return;
                    }
                }
            });
    m_namespaceTree->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_namespaceTree, &QWidget::customContextMenuRequested, this, [this](const QPoint &pos) {
        if (const QModelIndex index = m_namespaceTree->indexAt(pos); index.isValid()) {
            m_namespaceTree->setCurrentIndex(index);
        }
        QMenu menu(this);
        fillNamespaceMenu(&menu);
        menu.exec(m_namespaceTree->viewport()->mapToGlobal(pos));
    });

    m_filterEdit = new QLineEdit;
    m_filterEdit->setObjectName(u"filterEdit"_s);
    m_filterEdit->setClearButtonEnabled(true);
    m_filterEdit->setPlaceholderText(tr("Filter: name, tag:beta, deprecated:yes"));
    m_filterEdit->setAccessibleName(tr("Filter packages"));
    m_filterEdit->setToolTip(
        tr("Words match package names, scopes and project paths.\n"
           "tag:NAME shows packages with that dist-tag; deprecated:yes or deprecated:no "
           "keeps packages with some or with no deprecated version."));
    // A short pause after typing, so that a large list is filtered once, not per keystroke.
    m_filterTimer = new QTimer(this);
    m_filterTimer->setSingleShot(true);
    m_filterTimer->setInterval(150);
    connect(m_filterEdit, &QLineEdit::textChanged, m_filterTimer, qOverload<>(&QTimer::start));
    connect(m_filterTimer, &QTimer::timeout, this, [this] {
        m_proxy->setFilterText(m_filterEdit->text());
        updateCountLabel();
    });

    m_table = new QTableView;
    m_table->setObjectName(u"packageTable"_s);
    m_table->setAccessibleName(tr("Packages"));
    m_table->setModel(m_proxy);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(PackageTableModel::NameColumn, Qt::AscendingOrder);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    m_table->verticalHeader()->hide();
    // Fixed row height: no per-row size hints to compute at 100,000 rows.
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 8);
    m_table->horizontalHeader()->setSectionsMovable(true);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setColumnWidth(PackageTableModel::NameColumn, 220);
    m_table->setColumnWidth(PackageTableModel::LatestColumn, 90);
    m_table->setColumnWidth(PackageTableModel::DistTagsColumn, 220);
    m_table->setColumnWidth(PackageTableModel::VersionsColumn, 70);
    m_table->setColumnWidth(PackageTableModel::UpdatedColumn, 170);
    m_table->setColumnWidth(PackageTableModel::PublisherColumn, 100);
    connect(m_table->selectionModel(),
            &QItemSelectionModel::currentRowChanged,
            this,
            &MainWindow::showCurrentPackage);
    connect(m_proxy, &QAbstractItemModel::rowsInserted, this, &MainWindow::updateCountLabel);
    connect(m_proxy, &QAbstractItemModel::rowsRemoved, this, &MainWindow::updateCountLabel);
    connect(m_proxy, &QAbstractItemModel::modelReset, this, &MainWindow::updateCountLabel);
    EmptyState::install(m_table);

    auto *listPane = new QWidget;
    auto *listLayout = new QVBoxLayout(listPane);
    listLayout->setContentsMargins(0, 0, 0, 0);
    listLayout->addWidget(m_filterEdit);
    // Beside the input: a key the filter does not know is said, not silently matched as a word.
    auto *filterError = new QLabel;
    filterError->setObjectName(u"filterError"_s);
    filterError->setTextFormat(Qt::PlainText);
    filterError->setWordWrap(true);
    filterError->setStyleSheet(u"color: #c0392b;"_s); // as the name dialogs' reasons
    filterError->hide();
    listLayout->addWidget(filterError);
    connect(m_proxy,
            &PackageFilterProxyModel::filterErrorChanged,
            filterError,
            [this, filterError](const QString &error) {
                filterError->setText(error);
                filterError->setVisible(!error.isEmpty());
                m_filterEdit->setAccessibleDescription(error);
            });
    listLayout->addWidget(m_table);

    m_detailsTitle = new QLabel;
    m_detailsTitle->setObjectName(u"detailsTitle"_s);
    m_detailsTitle->setTextFormat(Qt::PlainText);
    m_detailsTitle->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QFont titleFont = m_detailsTitle->font();
    titleFont.setBold(true);
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.2);
    m_detailsTitle->setFont(titleFont);
    m_deprecationBanner = new QLabel;
    m_deprecationBanner->setObjectName(u"deprecationBanner"_s);
    m_deprecationBanner->setTextFormat(Qt::PlainText);
    m_deprecationBanner->setWordWrap(true);
    m_deprecationBanner->setFrameShape(QFrame::StyledPanel);
    m_deprecationBanner->setMargin(6);
    m_deprecationBanner->hide();

    m_versionModel = new VersionTableModel(this);
    m_versions = new VersionView;
    m_versions->setObjectName(u"versionList"_s);
    m_versions->setAccessibleName(tr("Versions"));
    m_versions->setModel(m_versionModel);
    m_versions->setRootIsDecorated(false);
    m_versions->setUniformRowHeights(true);
    m_versions->setAlternatingRowColors(true);
    m_versions->setColumnWidth(VersionTableModel::VersionColumn, 100);
    m_versions->setColumnWidth(VersionTableModel::TagsColumn, 120);
    m_versions->setColumnWidth(VersionTableModel::PublishedColumn, 150);
    m_versions->setColumnWidth(VersionTableModel::PublisherColumn, 70);
    m_versions->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_versions->setToolTip(tr("Drag a tag onto another version to move it there."));
    EmptyState::install(m_versions, tr("Select a package to see its versions."));
    connect(m_versions->selectionModel(),
            &QItemSelectionModel::currentRowChanged,
            this,
            &MainWindow::showCurrentVersion);
    connect(m_versions->selectionModel(),
            &QItemSelectionModel::selectionChanged,
            this,
            &MainWindow::updateActions);
    connect(m_versions, &VersionView::tagDropped, this, &MainWindow::moveTag);
    connect(m_versions,
            &QWidget::customContextMenuRequested,
            this,
            &MainWindow::showVersionContextMenu);

    m_versionDetails = new VersionDetailsView;
    connect(m_versionDetails,
            &VersionDetailsView::packageActivated,
            this,
            [this](const QString &name) { showPackage(name); });
    connect(m_versionDetails,
            &VersionDetailsView::saveTarballRequested,
            this,
            &MainWindow::saveTarball);

    m_versionSplitter = new QSplitter(Qt::Horizontal);
    m_versionSplitter->setObjectName(u"versionSplitter"_s);
    m_versionSplitter->addWidget(m_versions);
    m_versionSplitter->addWidget(m_versionDetails);
    m_versionSplitter->setStretchFactor(0, 1);
    m_versionSplitter->setStretchFactor(1, 1);

    auto *detailsPane = new QWidget;
    detailsPane->setObjectName(u"detailsPane"_s);
    auto *detailsLayout = new QVBoxLayout(detailsPane);
    detailsLayout->setContentsMargins(0, 0, 0, 0);
    detailsLayout->addWidget(m_detailsTitle);
    detailsLayout->addWidget(m_deprecationBanner);
    detailsLayout->addWidget(m_versionSplitter, 1);

    m_detailsSplitter = new QSplitter(Qt::Vertical);
    m_detailsSplitter->setObjectName(u"detailsSplitter"_s);
    m_detailsSplitter->addWidget(listPane);
    m_detailsSplitter->addWidget(detailsPane);
    m_detailsSplitter->setStretchFactor(0, 3);
    m_detailsSplitter->setStretchFactor(1, 2);

    m_splitter = new QSplitter(Qt::Horizontal);
    m_splitter->setObjectName(u"mainSplitter"_s);
    m_splitter->addWidget(m_namespaceTree);
    // An empty store shows the welcome view in the package area (updateWelcome()).
    m_packageArea = new QStackedWidget;
    m_packageArea->setObjectName(u"packageArea"_s);
    m_packageArea->addWidget(m_detailsSplitter);
    m_welcome = new WelcomeView;
    connect(m_welcome, &WelcomeView::setupRequested, this, &MainWindow::openSetupSheet);
    m_packageArea->addWidget(m_welcome);
    m_splitter->addWidget(m_packageArea);
    m_splitter->setStretchFactor(0, 1);
    m_splitter->setStretchFactor(1, 4);
    setCentralWidget(m_splitter);

    // Keyboard: Tab leaves a view instead of walking its cells, and goes tree → filter →
    // packages → versions → details (whose own order continues to its buttons); Shift+F10 and
    // the Menu key open a view's context menu.
    for (QAbstractItemView *view : {static_cast<QAbstractItemView *>(m_namespaceTree),
                                    static_cast<QAbstractItemView *>(m_table),
                                    static_cast<QAbstractItemView *>(m_versions)}) {
        view->setTabKeyNavigation(false);
    }
    enableContextMenuKeys(m_namespaceTree);
    enableContextMenuKeys(m_versions);
    QWidget::setTabOrder(m_namespaceTree, m_filterEdit);
    QWidget::setTabOrder(m_filterEdit, m_table);
    QWidget::setTabOrder(m_table, m_versions);
    QWidget::setTabOrder(m_versions, m_versionDetails);

    m_requestLog = new RequestLogView;
    auto *logDock = new QDockWidget(tr("Request Log"), this);
    logDock->setObjectName(u"requestLogDock"_s);
    logDock->setWidget(m_requestLog);
    addDockWidget(Qt::BottomDockWidgetArea, logDock);
    logDock->hide();

    m_countLabel = new QLabel;
    m_countLabel->setObjectName(u"packageCount"_s);
    m_serverLabel = new QLabel;
    m_serverLabel->setObjectName(u"serverStatus"_s);
    m_serverLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_rateLabel = new QLabel;
    m_rateLabel->setObjectName(u"requestRate"_s);
    m_rateTimer = new QTimer(this);
    m_rateTimer->setInterval(1000);
    connect(m_rateTimer, &QTimer::timeout, this, &MainWindow::updateRequestRate);
    m_storeLabel = new QLabel;
    m_storeLabel->setObjectName(u"storeProblems"_s);
    m_storeLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_storeLabel->hide();
    statusBar()->addWidget(m_countLabel, 1);
    statusBar()->addWidget(m_storeLabel);
    // Beside the address, while the registry is reachable from the network without TLS.
    m_plainHttpLabel =
        new QLabel(tr("⚠ Plain HTTP on the network: tokens travel unencrypted"), this);
    m_plainHttpLabel->setObjectName(u"plainHttpStatus"_s);
    m_plainHttpLabel->setToolTip(
        tr("Choose a certificate in Registry Settings (or create one there) to serve HTTPS."));
    m_plainHttpLabel->hide();
    statusBar()->addPermanentWidget(m_plainHttpLabel);
    statusBar()->addPermanentWidget(m_serverLabel);
    statusBar()->addPermanentWidget(m_rateLabel);
    setServerStatus({});
    showCurrentPackage();
    resize(1200, 760);
}

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

void MainWindow::openGettingStarted()
{
    // One at a time: a second F1 brings the open one forward.
    if (auto *open = findChild<GettingStartedDialog *>()) {
        open->raise();
        open->activateWindow();
        return;
    }
    auto *dialog = new GettingStartedDialog(this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->show();
}

void MainWindow::openAbout()
{
    auto *dialog = new AboutDialog(m_dataFolder, m_serverStatus, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->open();
}

RequestLogModel *MainWindow::requestLogModel() const
{
    return m_requestLog->model();
}

void MainWindow::showStoreProblems(qsizetype count, const QString &example)
{
    m_storeLabel->setText(tr("Missing or damaged tarballs: %1, e.g. %2 — run “trove check”")
                              .arg(QLocale().toString(count), example));
    m_storeLabel->setToolTip(tr("Installs of these versions fail. “trove check” in a terminal "
                                "lists every problem; publish the versions again to mend them."));
    m_storeLabel->show();
}

void MainWindow::setServerStatus(const ServerStatus &status)
{
    QString text;
    switch (status.state) {
    case ServerStatus::State::Stopped:
        text = tr("Registry stopped");
        break;
    case ServerStatus::State::Starting:
        text = tr("Starting the registry on %1:%2…").arg(status.host).arg(status.requestedPort);
        break;
    case ServerStatus::State::Running:
        text = status.fellBackToAnyPort() ? tr("Registry running at %1 (port %2 was busy)")
                                                .arg(status.url())
                                                .arg(status.requestedPort)
                                          : tr("Registry running at %1").arg(status.url());
        break;
    case ServerStatus::State::Failed:
        text = tr("Registry not running: %1").arg(status.error);
        break;
    }
    m_serverLabel->setText(text);
    // The address the team's .npmrc files point at, in the task bar and window switcher.
    setWindowTitle(status.state == ServerStatus::State::Running ? tr("%1 — Trove").arg(status.url())
                                                                : tr("Trove"));
    m_plainHttpLabel->setVisible(status.state == ServerStatus::State::Running
                                 && status.plainOnNetwork);
    m_serverStatus = status;
    if (status.state == ServerStatus::State::Running) {
        m_requestLog->setOrigin(status.url());
    }
    const bool running = status.state == ServerStatus::State::Running;
    if (running && !m_rateTimer->isActive()) {
        m_lastRequestCount = m_requestCounter ? m_requestCounter() : 0;
        m_rateLabel->setText(tr("0 requests/s"));
        m_rateTimer->start();
    } else if (!running) {
        m_rateTimer->stop();
        m_rateLabel->clear();
    }
    m_rateLabel->setVisible(running && m_requestCounter);
    updateActions();
    updateEmptyStates(); // the publish command names the address
}

void MainWindow::setRequestCounter(std::function<quint64()> counter)
{
    m_requestCounter = std::move(counter);
    m_lastRequestCount = m_requestCounter ? m_requestCounter() : 0;
    m_rateLabel->setVisible(m_rateTimer->isActive() && m_requestCounter);
}

void MainWindow::setRequestLog(RequestLog *log)
{
    m_requestLog->setRequestLog(log);
}

void MainWindow::updateRequestRate()
{
    if (!m_requestCounter) {
        return;
    }
    const quint64 count = m_requestCounter();
    const quint64 rate = count - std::min(count, m_lastRequestCount);
    m_lastRequestCount = count;
    m_rateLabel->setText(tr("%1 requests/s").arg(QLocale().toString(rate)));
}

void MainWindow::reload()
{
    reloadNamespaces();
    reloadPackages();
}

void MainWindow::reloadPackages()
{
    Database *database = &m_registry.database();
    Ui::runAsync(
        this,
        &m_pool,
        [database] { return PackageStore(*database).packageSummaries(); },
        [this](const Result<QList<PackageSummary>> &summaries) {
            if (!summaries) {
                qCWarning(lcUi) << "Cannot load the package list:" << summaries.error().message;
                statusBar()->showMessage(tr("Cannot load the package list."), 10000);
                return;
            }
            QElapsedTimer timer;
            timer.start();
            const QModelIndex current = m_table->currentIndex();
            const qint64 projectId = current.data(PackageTableModel::ProjectIdRole).toLongLong();
            const QString name = current.data(PackageTableModel::PackageNameRole).toString();
            m_packages->setPackages(*summaries);
            if (const int row = m_packages->rowOf(projectId, name); row >= 0) {
                m_table->setCurrentIndex(m_proxy->mapFromSource(m_packages->index(row, 0)));
            }
            updateCountLabel();
            qCDebug(lcUi) << "Applied" << summaries->size() << "packages in" << timer.elapsed()
                          << "ms";
            emit packagesLoaded();
        });
}

void MainWindow::reloadNamespaces()
{
    Database *database = &m_registry.database();
    Ui::runAsync(
        this,
        &m_pool,
        [database] { return NamespaceTreeModel::load(*database); },
        [this](const Result<NamespaceTreeModel::Snapshot> &namespaces) {
            if (!namespaces) {
                qCWarning(lcUi) << "Cannot load groups and projects:" << namespaces.error().message;
                return;
            }
            m_groupList = namespaces->groups;
            m_projectList = namespaces->projects;
            updateWelcome();
            // In place: the current item stays selected (a deleted one hands over to All).
            m_applyingNamespaces = true;
            m_namespaceModel->setSnapshot(*namespaces);
            m_applyingNamespaces = false;
            m_namespaceTree->expandAll();
            if (!m_namespaceTree->currentIndex().isValid()) {
                m_namespaceTree->setCurrentIndex(m_namespaceModel->allIndex());
            }
            applyNamespaceSelection();
        });
}

void MainWindow::refreshPackage(qint64 projectId, const QString &name)
{
    Database *database = &m_registry.database();
    Ui::runAsync(
        this,
        &m_pool,
        [database, projectId, name] {
            return PackageStore(*database).packageSummary(projectId, name);
        },
        [this, projectId, name](const Result<PackageSummary> &summary) {
            if (summary) {
                m_packages->updatePackage(*summary);
            } else if (summary.error().code == Error::Code::NotFound) {
                m_packages->removePackage(projectId, name);
            } else {
                qCWarning(lcUi) << "Cannot reload" << name << summary.error().message;
                return;
            }
            const QModelIndex current = m_table->currentIndex();
            if (current.data(PackageTableModel::ProjectIdRole).toLongLong() == projectId
                && current.data(PackageTableModel::PackageNameRole).toString() == name) {
                showCurrentPackage();
            }
        });
}

void MainWindow::showCurrentPackage()
{
    const quint64 generation = ++m_detailsGeneration;
    const QModelIndex current = m_table->currentIndex();
    if (!current.isValid()) {
        m_detailsTitle->setText(tr("No package selected"));
        m_deprecationBanner->hide();
        m_versionModel->clear();
        m_versionsPackageProject = -1;
        m_versionsPackageName.clear();
        showCurrentVersion();
        updateActions();
        return;
    }
    const auto summary = current.data(PackageTableModel::SummaryRole).value<PackageSummary>();
    m_detailsTitle->setText(tr("%1 in %2").arg(summary.name, summary.projectPath));

    Database *database = &m_registry.database();
    const qint64 projectId = summary.projectId;
    const QString name = summary.name;
    Ui::runAsync(
        this,
        &m_pool,
        [database, projectId, name] {
            const PackageStore store(*database);
            Result<QList<Package>> versions = store.packagesInProject(projectId, name);
            if (!versions) {
                return Result<PackageDetails>(versions.error());
            }
            Result<QList<DistTag>> tags = store.distTags(projectId, name);
            if (!tags) {
                return Result<PackageDetails>(tags.error());
            }
            QList<qint64> ids;
            for (const Package &version : std::as_const(*versions)) {
                ids.append(version.id);
            }
            Result<QHash<qint64, QDateTime>> downloads = store.lastDownloads(ids);
            if (!downloads) {
                return Result<PackageDetails>(downloads.error());
            }
            return Result<PackageDetails>(PackageDetails{*versions, *tags, *downloads});
        },
        [this, generation, summary](const Result<PackageDetails> &details) {
            if (generation != m_detailsGeneration) {
                return;
            }
            if (!details) {
                qCWarning(lcUi) << "Cannot load versions of" << summary.name
                                << details.error().message;
                m_versionModel->clear();
                m_deprecationBanner->hide();
                return;
            }
            // The same package again (a change event): keep the selected version.
            const bool samePackage = m_versionsPackageProject == summary.projectId
                && m_versionsPackageName == summary.name;
            const QString keep = samePackage ? currentVersion() : QString();
            m_versionsPackageProject = summary.projectId;
            m_versionsPackageName = summary.name;
            m_versionModel->setVersions(details->versions, details->tags);
            m_versionModel->setLastDownloads(details->downloads);
            const QString select = !m_wantedVersion.isEmpty() ? m_wantedVersion
                : !keep.isEmpty()                             ? keep
                                                              : summary.latestVersion;
            m_wantedVersion.clear();
            for (int row = 0; row < m_versionModel->rowCount(); ++row) {
                const QModelIndex index = m_versionModel->index(row, 0);
                if (index.data(VersionTableModel::VersionRole).toString() == select) {
                    m_versions->setCurrentIndex(index);
                    break;
                }
            }
            if (!m_versions->currentIndex().isValid()) {
                showCurrentVersion();
            }
            updateActions();
            emit versionsLoaded();
            QString latestMessage;
            for (const Package &version : details->versions) {
                if (version.version == summary.latestVersion) {
                    latestMessage = VersionTableModel::deprecationMessage(version);
                }
            }
            m_deprecationBanner->setVisible(summary.deprecated);
            if (summary.deprecated) {
                m_deprecationBanner->setText(tr("The latest version, %1, is deprecated: %2")
                                                 .arg(summary.latestVersion, latestMessage));
            }
        });
}

void MainWindow::showCurrentVersion()
{
    const quint64 generation = ++m_versionGeneration;
    const QModelIndex current = m_versions->currentIndex();
    if (!current.isValid()) {
        m_versionDetails->clear();
        updateActions();
        return;
    }
    const qint64 packageId = current.data(VersionTableModel::PackageIdRole).toLongLong();
    Database *database = &m_registry.database();
    const BlobStore *blobs = &m_registry.blobs();
    Ui::runAsync(
        this,
        &m_pool,
        [database, blobs, packageId]() -> Result<VersionDetails> {
            const Result<Package> package = PackageStore(*database).packageById(packageId);
            if (!package) {
                return package.error();
            }
            return loadVersionDetails(*database, *blobs, *package);
        },
        [this, generation](const Result<VersionDetails> &details) {
            if (generation != m_versionGeneration) {
                return;
            }
            if (!details) {
                qCWarning(lcUi) << "Cannot load the version:" << details.error().message;
                m_versionDetails->clear();
            } else {
                m_versionDetails->setDetails(*details);
            }
            updateActions();
            emit versionDetailsLoaded();
        });
}

QString MainWindow::currentVersion() const
{
    return m_versions->currentIndex().data(VersionTableModel::VersionRole).toString();
}

bool MainWindow::showPackage(const QString &name, qint64 projectId)
{
    int row = m_packages->rowOf(projectId, name);
    for (int i = 0; row < 0 && i < m_packages->rowCount(); ++i) {
        if (m_packages->packageAt(i).name == name) {
            row = i;
        }
    }
    if (row < 0) {
        statusBar()->showMessage(tr("%1 is not in this registry.").arg(name), 5000);
        return false;
    }
    const QModelIndex source = m_packages->index(row, PackageTableModel::NameColumn);
    QModelIndex index = m_proxy->mapFromSource(source);
    if (!index.isValid()) {
        // Hidden by the filter or the tree: show everything rather than nothing.
        m_filterEdit->clear();
        m_filterTimer->stop();
        m_proxy->setFilterText(QString());
        m_namespaceTree->setCurrentIndex(m_namespaceModel->allIndex());
        applyNamespaceSelection();
        index = m_proxy->mapFromSource(source);
    }
    m_table->setCurrentIndex(index);
    m_table->scrollTo(index);
    return index.isValid();
}

void MainWindow::updateActions()
{
    if (!m_deprecateAction) {
        return; // buildUi() runs before createActions()
    }
    const bool hasPackage = m_table->currentIndex().isValid() && m_versionModel->rowCount() > 0;
    const bool hasVersion = m_versions->currentIndex().isValid();
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
    const TreeNode node = treeNode(m_namespaceTree->currentIndex());
    const bool groupSelected = node.kind == NodeKind::Group;
    m_newProjectAction->setEnabled(groupSelected);
    m_newProjectAction->setToolTip(groupSelected ? tr("A project in the selected group")
                                                 : tr("Select a group in the tree first"));
    m_newGroupAction->setText(groupSelected ? tr("New Sub&group…") : tr("New &Group…"));
    if (m_deleteVersionsAction) {
        const auto selected = int(m_versions->selectionModel()->selectedRows().size());
        m_deleteVersionsAction->setEnabled(selected > 0);
        m_deleteVersionsAction->setText(selected > 1 ? tr("Delete %1 &Versions…").arg(selected)
                                                     : tr("Delete &Version…"));
        m_deletePackageAction->setEnabled(hasPackage);
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

void MainWindow::runWrite(const QString &success, std::function<Result<void>()> work)
{
    Ui::runAsync(this, &m_pool, std::move(work), [this, success](const Result<void> &result) {
        if (result) {
            statusBar()->showMessage(success, 5000);
            emit writeFinished(true, success);
            return;
        }
        const QString message = tr("Not done: %1").arg(result.error().message);
        statusBar()->showMessage(message, 10000);
        emit writeFinished(false, message);
    });
}

void MainWindow::openDeprecateDialog(DeprecateDialog::Mode mode)
{
    const QModelIndex current = m_table->currentIndex();
    if (!current.isValid() || m_versionModel->rowCount() == 0) {
        return;
    }
    const auto summary = current.data(PackageTableModel::SummaryRole).value<PackageSummary>();
    QList<DeprecateDialog::Version> versions;
    for (int row = 0; row < m_versionModel->rowCount(); ++row) {
        const QModelIndex index = m_versionModel->index(row, 0);
        versions.append({index.data(VersionTableModel::VersionRole).toString(),
                         index.data(VersionTableModel::DeprecationMessageRole).toString()});
    }
    QStringList preselected;
    for (const QModelIndex &index : m_versions->selectionModel()->selectedRows()) {
        preselected.append(index.data(VersionTableModel::VersionRole).toString());
    }
    auto *dialog =
        new DeprecateDialog(mode, summary.name, versions, summary.latestVersion, preselected, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog, summary] {
        const QMap<QString, QString> messages = dialog->messages();
        const bool deprecating = dialog->mode() == DeprecateDialog::Mode::Deprecate;
        Registry *registry = &m_registry;
        const QString done = deprecating
            ? tr("Deprecated %n version(s) of %1.", nullptr, int(messages.size())).arg(summary.name)
            : tr("Undeprecated %n version(s) of %1.", nullptr, int(messages.size()))
                  .arg(summary.name);
        runWrite(done, [registry, summary, messages]() -> Result<void> {
            const Result<QStringList> changed =
                registry->packages().deprecate(summary.projectId, summary.name, messages);
            if (!changed) {
                return changed.error();
            }
            return {};
        });
    });
    dialog->open();
}

void MainWindow::openTagDialog()
{
    const QString version = currentVersion();
    if (version.isEmpty()) {
        return;
    }
    const auto summary =
        m_table->currentIndex().data(PackageTableModel::SummaryRole).value<PackageSummary>();
    auto *dialog = new TagDialog(summary.name, version, summary.distTags, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        moveTag(dialog->tag(), dialog->version());
    });
    dialog->open();
}

void MainWindow::moveTag(const QString &tag, const QString &version)
{
    const QModelIndex current = m_table->currentIndex();
    if (!current.isValid() || tag.isEmpty() || version.isEmpty()) {
        return;
    }
    const auto summary = current.data(PackageTableModel::SummaryRole).value<PackageSummary>();
    Registry *registry = &m_registry;
    runWrite(tr("%1 now points at %2.").arg(tag, version), [registry, summary, tag, version] {
        return registry->packages().setDistTag(summary.projectId, summary.name, tag, version);
    });
}

void MainWindow::removeTag(const QString &tag)
{
    const QModelIndex current = m_table->currentIndex();
    if (!current.isValid() || tag.isEmpty() || tag == u"latest"_s) {
        return;
    }
    const auto summary = current.data(PackageTableModel::SummaryRole).value<PackageSummary>();
    if (!Ui::confirm(this,
                     tr("Remove the Tag?"),
                     tr("Remove the tag %1 (now %2) from %3? Installs that ask for %3@%1 fail "
                        "with “No matching version” until the tag is set again.")
                         .arg(tag, summary.distTags.value(tag), summary.name),
                     tr("Remove Tag"))) {
        return;
    }
    Registry *registry = &m_registry;
    runWrite(tr("Removed the tag %1.").arg(tag), [registry, summary, tag] {
        return registry->packages().removeDistTag(summary.projectId, summary.name, tag);
    });
}

void MainWindow::saveTarball()
{
    const VersionDetails &details = m_versionDetails->details();
    if (details.package.name.isEmpty() || !details.tarballError.isEmpty()) {
        return;
    }
    // npm pack's file name: "@acme/core" 1.2.0 → acme-core-1.2.0.tgz
    QString base = details.package.name;
    base.remove(u'@').replace(u'/', u'-');
    const QString suggested = u"%1-%2.tgz"_s.arg(base, details.package.version);
    const QString target = m_chooseSaveFile
        ? m_chooseSaveFile(suggested)
        : QFileDialog::getSaveFileName(
            this, tr("Save Tarball"), QDir::home().filePath(suggested), tr("npm tarballs (*.tgz)"));
    if (target.isEmpty()) {
        return;
    }
    const QString source = details.tarballPath;
    runWrite(tr("Saved %1").arg(QDir::toNativeSeparators(target)),
             [source, target]() -> Result<void> {
                 // The dialog asked before overwriting; QFile::copy never overwrites.
                 if (QFile::exists(target) && !QFile::remove(target)) {
                     return Error::storage(u"cannot replace %1"_s.arg(target));
                 }
                 if (!QFile::copy(source, target)) {
                     return Error::storage(u"cannot write %1"_s.arg(target));
                 }
                 return {};
             });
}

namespace {

// The tool windows are one of a kind: the open one is raised instead of a second made. `make`
// builds it (deleted on close); its changeFinished() messages go to the status bar.
template<typename Dialog, typename Make>
void raiseOrOpen(MainWindow *window, const QString &objectName, Make make)
{
    if (auto *open = window->findChild<Dialog *>(objectName)) {
        open->raise();
        open->activateWindow();
        return;
    }
    Dialog *dialog = make();
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    QObject::connect(
        dialog, &Dialog::changeFinished, window, [window](bool, const QString &message) {
            window->statusBar()->showMessage(message, 5000);
        });
    dialog->show();
}

} // namespace

void MainWindow::openTokens()
{
    raiseOrOpen<TokensDialog>(
        this, u"tokensDialog"_s, [this] { return new TokensDialog(m_registry, this); });
}

void MainWindow::openUsers()
{
    raiseOrOpen<UsersDialog>(
        this, u"usersDialog"_s, [this] { return new UsersDialog(m_registry, this); });
}

void MainWindow::openForwarding()
{
    const QPointer<PackageTableModel> packages = m_packages;
    raiseOrOpen<ForwardingDialog>(this, u"forwardingDialog"_s, [this, packages] {
        return new ForwardingDialog(
            m_registry,
            [packages](qint64 projectId) {
                QStringList names;
                for (int row = 0; packages && row < packages->rowCount(); ++row) {
                    if (packages->packageAt(row).projectId == projectId) {
                        names.append(packages->packageAt(row).name);
                    }
                }
                return names;
            },
            this);
    });
}

void MainWindow::openNpmrcBuilder(qint64 projectId)
{
    if (auto *open = findChild<NpmrcBuilderDialog *>(u"npmrcBuilder"_s)) {
        open->raise();
        open->activateWindow();
        return;
    }
    QList<NpmrcBuilderDialog::Namespace> groups;
    for (const Group &group : std::as_const(m_groupList)) {
        groups.append({group.id, group.fullPath});
    }
    std::sort(groups.begin(), groups.end(), [](const auto &a, const auto &b) {
        return a.fullPath < b.fullPath;
    });
    QList<NpmrcBuilderDialog::Namespace> projects;
    for (const Project &project : std::as_const(m_projectList)) {
        projects.append({project.id, project.fullPath});
    }
    std::sort(projects.begin(), projects.end(), [](const auto &a, const auto &b) {
        return a.fullPath < b.fullPath;
    });
    // The address clients reach: the running registry's, else where it would listen.
    const QString origin = m_serverStatus.state == ServerStatus::State::Running
        ? m_serverStatus.url()
        : u"http://127.0.0.1:%1/"_s.arg(RegistrySettingsDialog::load().port);
    auto *dialog = new NpmrcBuilderDialog(origin, groups, projects, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    if (projectId <= 0) {
        projectId = m_table->currentIndex().data(PackageTableModel::ProjectIdRole).toLongLong();
    }
    if (projectId > 0) {
        dialog->selectProject(projectId);
    }
    connect(dialog, &NpmrcBuilderDialog::written, this, [this](const QString &path) {
        statusBar()->showMessage(tr("Wrote %1").arg(QDir::toNativeSeparators(path)), 5000);
    });
    dialog->show();
}

void MainWindow::openRegistrySettings()
{
    openRegistrySettingsWithPort(0);
}

void MainWindow::openRegistrySettingsWithPort(quint16 suggestedPort)
{
    auto *dialog = new RegistrySettingsDialog(RegistrySettingsDialog::load(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->showPortInForce(m_serverStatus, m_commandLineListen);
    if (suggestedPort != 0) {
        dialog->suggestPort(suggestedPort);
    }
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        RegistrySettingsDialog::save(dialog->values());
        // app/ restarts the registry from the settings, --listen or not.
        m_commandLineListen.clear();
        emit registrySettingsChanged();
    });
    dialog->open();
}

void MainWindow::showPortInUse(quint16 port, const QString &holder)
{
    // One question at a time: a later refusal replaces the box of an earlier one.
    if (auto *earlier = findChild<QMessageBox *>(u"portInUseBox"_s)) {
        earlier->setObjectName(QString());
        earlier->close();
    }
    auto *box = new QMessageBox(
        QMessageBox::Warning,
        tr("Port %1 Is in Use").arg(port),
        holder.isEmpty()
            ? tr("The registry cannot listen on port %1: another program uses it.").arg(port)
            : tr("The registry cannot listen on port %1: %2 uses it.").arg(port).arg(holder),
        QMessageBox::NoButton,
        this);
    box->setObjectName(u"portInUseBox"_s);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setInformativeText(
        tr("Retry once it is free, or use another port. The .npmrc files written earlier point at "
           "port %1: with another port, write them again (Tools ▸ Connect a Client).\n\nCancel "
           "leaves the registry stopped; Registry ▸ Start Registry tries again.")
            .arg(port));
    QPushButton *retry = box->addButton(tr("&Retry"), QMessageBox::AcceptRole);
    retry->setObjectName(u"retryButton"_s);
    QPushButton *another = box->addButton(tr("Use &Another Port…"), QMessageBox::ActionRole);
    another->setObjectName(u"anotherPortButton"_s);
    box->addButton(QMessageBox::Cancel)->setObjectName(u"cancelButton"_s);
    box->setDefaultButton(retry);
    connect(box,
            &QMessageBox::buttonClicked,
            this,
            [this, retry, another, port](QAbstractButton *button) {
                if (button == retry) {
                    emit startRegistryRequested();
                } else if (button == another) {
                    openRegistrySettingsWithPort(RegistrySettingsDialog::freePortAfter(
                        port, RegistrySettingsDialog::load().listenOnAllAddresses));
                }
            });
    box->open();
}

void MainWindow::fillNamespaceMenu(QMenu *menu)
{
    const TreeNode node = treeNode(m_namespaceTree->currentIndex());
    const NodeKind kind = node.kind;
    const QString path = node.path;
    const qint64 id = node.id;
    const Visibility visibility = node.visibility;
    Registry *registry = &m_registry;

    // Asks for one path segment (non-blocking); the dialog checks it as it is typed, runs `apply`
    // off the GUI thread and stays open with the store's reason when the write is refused.
    const auto ask = [this](NameInputDialog::Kind nameKind,
                            const QString &title,
                            const QString &label,
                            const QString &text,
                            std::function<Result<void>(const QString &)> apply,
                            const QString &done) {
        openNameDialog(nameKind, title, label, text, std::move(apply), done);
    };

    if (kind == NodeKind::All || kind == NodeKind::Group) {
        QAction *group =
            menu->addAction(kind == NodeKind::All ? tr("New &Group…") : tr("New &Subgroup…"));
        group->setObjectName(u"newGroupAction"_s);
        connect(group, &QAction::triggered, this, [=] {
            ask(
                kind == NodeKind::All ? NameInputDialog::Kind::TopLevelGroup
                                      : NameInputDialog::Kind::Subgroup,
                tr("New Group"),
                kind == NodeKind::All ? tr("Path of the top-level group (also the npm scope):")
                                      : tr("Path of the subgroup in %1:").arg(path),
                QString(),
                [registry, path, visibility, kind](const QString &segment) -> Result<void> {
                    const QString full = kind == NodeKind::All ? segment : path + u'/' + segment;
                    const Result<Group> created = registry->namespaces().createGroup(
                        full, kind == NodeKind::All ? Visibility::Private : visibility);
                    if (!created) {
                        return created.error();
                    }
                    return {};
                },
                tr("Created the group %1."));
        });
    }
    if (kind == NodeKind::Group) {
        QAction *project = menu->addAction(tr("New &Project…"));
        project->setObjectName(u"newProjectAction"_s);
        connect(project, &QAction::triggered, this, [=] {
            ask(
                NameInputDialog::Kind::Project,
                tr("New Project"),
                tr("Path of the project in %1:").arg(path),
                QString(),
                [registry, path, visibility](const QString &segment) -> Result<void> {
                    const Result<Project> created =
                        registry->namespaces().createProject(path + u'/' + segment, visibility);
                    if (!created) {
                        return created.error();
                    }
                    return {};
                },
                tr("Created the project %1."));
        });
    }
    if (kind == NodeKind::All) {
        return;
    }
    QAction *rename = menu->addAction(tr("&Rename…"));
    rename->setObjectName(u"renameAction"_s);
    connect(rename, &QAction::triggered, this, [=] {
        ask(
            NameInputDialog::Kind::Rename,
            tr("Rename %1").arg(path),
            tr("New path (the URLs of what is inside change with it):"),
            path.section(u'/', -1),
            [registry, kind, id](const QString &segment) {
                return kind == NodeKind::Group ? registry->namespaces().renameGroup(id, segment)
                                               : registry->namespaces().renameProject(id, segment);
            },
            tr("Renamed to %1."));
    });
    QMenu *visibilityMenu = menu->addMenu(tr("&Visibility"));
    visibilityMenu->setObjectName(u"visibilityMenu"_s);
    visibilityMenu->setToolTipsVisible(true);
    // One of three (radio items); a choice GitLab's order refuses is disabled, saying why: a
    // group or project is at most as visible as its group, a group at least as visible as what
    // it holds.
    auto *visibilityChoices = new QActionGroup(visibilityMenu);
    visibilityChoices->setExclusive(true);
    const auto refusal = [this, kind, id](Visibility choice) -> QString {
        const qint64 parentId = [&] {
            for (const Group &group : std::as_const(m_groupList)) {
                if (kind == NodeKind::Group && group.id == id) {
                    return group.parentId;
                }
            }
            for (const Project &project : std::as_const(m_projectList)) {
                if (kind == NodeKind::Project && project.id == id) {
                    return project.namespaceId;
                }
            }
            return qint64(0);
        }();
        for (const Group &group : std::as_const(m_groupList)) {
            if (group.id == parentId && int(choice) > int(group.visibility)) {
                return tr("Its group %1 is %2.")
                    .arg(group.fullPath, visibilityName(group.visibility));
            }
            if (kind == NodeKind::Group && group.parentId == id
                && int(group.visibility) > int(choice)) {
                return tr("Subgroup %1 is %2: make it less visible first.")
                    .arg(group.fullPath, visibilityName(group.visibility));
            }
        }
        for (const Project &project : std::as_const(m_projectList)) {
            if (kind == NodeKind::Group && project.namespaceId == id
                && int(project.visibility) > int(choice)) {
                return tr("Project %1 is %2: make it less visible first.")
                    .arg(project.fullPath, visibilityName(project.visibility));
            }
        }
        return {};
    };
    for (const Visibility choice :
         {Visibility::Private, Visibility::Internal, Visibility::Public}) {
        QAction *action = visibilityMenu->addAction(visibilityName(choice));
        action->setObjectName(u"visibility:"_s + visibilityName(choice));
        action->setCheckable(true);
        action->setChecked(choice == visibility);
        visibilityChoices->addAction(action);
        if (const QString reason = refusal(choice); !reason.isEmpty() && choice != visibility) {
            action->setEnabled(false);
            action->setToolTip(reason);
        }
        connect(action, &QAction::triggered, this, [=, this] {
            runWrite(tr("%1 is now %2.").arg(path, visibilityName(choice)),
                     [registry, kind, id, choice] {
                         return kind == NodeKind::Group
                             ? registry->namespaces().setGroupVisibility(id, choice)
                             : registry->namespaces().setProjectVisibility(id, choice);
                     });
        });
    }
    menu->addSeparator();
    if (kind == NodeKind::Project) {
        QAction *settings = menu->addAction(tr("&Settings…"));
        settings->setObjectName(u"projectSettingsAction"_s);
        connect(settings, &QAction::triggered, this, [this, id] { openProjectSettings(id); });
        QAction *remove = menu->addAction(tr("&Delete Project…"));
        remove->setObjectName(u"deleteProjectAction"_s);
        connect(remove, &QAction::triggered, this, [this, id] { deleteProject(id); });
    } else {
        QAction *remove = menu->addAction(tr("&Delete Group…"));
        remove->setObjectName(u"deleteGroupAction"_s);
        connect(remove, &QAction::triggered, this, [this, id] { deleteGroup(id); });
    }
}

void MainWindow::openNameDialog(NameInputDialog::Kind kind,
                                const QString &title,
                                const QString &label,
                                const QString &text,
                                std::function<Result<void>(const QString &)> write,
                                const QString &done)
{
    auto *input = new NameInputDialog(kind, title, label, text, this);
    input->setAttribute(Qt::WA_DeleteOnClose);
    input->setWrite(std::move(write));
    // The refusal stays in the dialog with the input; the status bar only notes what was done.
    connect(input,
            &NameInputDialog::writeFinished,
            this,
            [this, done](bool ok, const QString &valueOrError) {
                const QString message =
                    ok ? done.arg(valueOrError) : tr("Not done: %1").arg(valueOrError);
                if (ok) {
                    statusBar()->showMessage(message, 5000);
                }
                emit writeFinished(ok, message);
            });
    input->open();
}

void MainWindow::triggerNamespaceAction(const QString &name)
{
    // The menu bar offers what the tree's context menu offers for the current tree item.
    QMenu menu;
    fillNamespaceMenu(&menu);
    for (QAction *action : menu.findChildren<QAction *>()) {
        if (action->objectName() == name) {
            action->trigger();
            return;
        }
    }
}

void MainWindow::applyNamespaceSelection()
{
    const QModelIndex current = m_namespaceTree->currentIndex();
    if (treeNode(current).kind == NodeKind::All) {
        m_proxy->setProjectFilter(std::nullopt);
    } else {
        m_proxy->setProjectFilter(m_namespaceModel->projectsUnder(current.siblingAtColumn(0)));
    }
    updateCountLabel();
    updateActions();
}

void MainWindow::updateCountLabel()
{
    const int shown = m_proxy->rowCount();
    const int total = m_packages->rowCount();
    // English plurals written out: there is no English translation to pick %n's form yet.
    const QString count = total == 1 ? tr("1 package") : tr("%n packages", nullptr, total);
    m_countLabel->setText(shown == total ? count : tr("%1 shown of %2").arg(shown).arg(count));
    updateEmptyStates();
}

void MainWindow::openPublishDialog(const QStringList &files)
{
    if (m_projectList.isEmpty()) {
        statusBar()->showMessage(tr("Create a project first: packages are published to one."),
                                 8000);
        return;
    }
    QList<Project> projects = m_projectList;
    std::sort(projects.begin(), projects.end(), [](const Project &a, const Project &b) {
        return a.fullPath < b.fullPath;
    });
    // The project selected in the tree, else the selected package's.
    qint64 projectId = m_table->currentIndex().data(PackageTableModel::ProjectIdRole).toLongLong();
    if (const TreeNode node = treeNode(m_namespaceTree->currentIndex());
        node.kind == NodeKind::Project) {
        projectId = node.id;
    }
    auto *dialog = new PublishDialog(m_registry, files, projects, projectId, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &PublishDialog::finished, this, [this](int published) {
        statusBar()->showMessage(tr("Published %n package version(s).", nullptr, published), 5000);
    });
    dialog->show();
}

void MainWindow::dragEnterEvent(QDragEnterEvent *event)
{
    const QList<QUrl> urls = event->mimeData()->urls();
    const bool tarballs =
        !urls.isEmpty() && std::all_of(urls.cbegin(), urls.cend(), [](const QUrl &url) {
            return url.isLocalFile() && url.toLocalFile().endsWith(u".tgz"_s, Qt::CaseInsensitive);
        });
    if (tarballs) {
        event->acceptProposedAction();
    } else {
        event->ignore();
    }
}

void MainWindow::dropEvent(QDropEvent *event)
{
    QStringList files;
    for (const QUrl &url : event->mimeData()->urls()) {
        if (url.isLocalFile()) {
            files.append(url.toLocalFile());
        }
    }
    event->acceptProposedAction();
    // After the drop has finished: the source application is not kept waiting on the sheet.
    QMetaObject::invokeMethod(
        this, [this, files] { openPublishDialog(files); }, Qt::QueuedConnection);
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    saveSettings();
    QMainWindow::closeEvent(event);
}

void MainWindow::restoreSettings()
{
    QSettings settings;
    settings.beginGroup(u"MainWindow"_s);
    restoreGeometry(settings.value(u"geometry"_s).toByteArray());
    restoreState(settings.value(u"state"_s).toByteArray());
    m_splitter->restoreState(settings.value(u"splitter"_s).toByteArray());
    m_detailsSplitter->restoreState(settings.value(u"detailsSplitter"_s).toByteArray());
    m_versionSplitter->restoreState(settings.value(u"versionSplitter"_s).toByteArray());
    m_versions->header()->restoreState(settings.value(u"versionHeader"_s).toByteArray());
    QHeaderView *header = m_table->horizontalHeader();
    if (header->restoreState(settings.value(u"packageHeader"_s).toByteArray())) {
        m_table->sortByColumn(header->sortIndicatorSection(), header->sortIndicatorOrder());
    }
}

void MainWindow::saveSettings() const
{
    QSettings settings;
    settings.beginGroup(u"MainWindow"_s);
    settings.setValue(u"geometry"_s, saveGeometry());
    settings.setValue(u"state"_s, saveState());
    settings.setValue(u"splitter"_s, m_splitter->saveState());
    settings.setValue(u"detailsSplitter"_s, m_detailsSplitter->saveState());
    settings.setValue(u"versionSplitter"_s, m_versionSplitter->saveState());
    settings.setValue(u"versionHeader"_s, m_versions->header()->saveState());
    settings.setValue(u"packageHeader"_s, m_table->horizontalHeader()->saveState());
}

// --- Deleting and project settings (issue 12) ---

void MainWindow::deleteSelectedVersions()
{
    QStringList versions;
    for (const QModelIndex &index : m_versions->selectionModel()->selectedRows()) {
        versions.append(index.data(VersionTableModel::VersionRole).toString());
    }
    if (!versions.isEmpty()) {
        openVersionsDeletion(versions);
    }
}

void MainWindow::deleteCurrentPackage()
{
    openVersionsDeletion({});
}

void MainWindow::openVersionsDeletion(const QStringList &versions)
{
    const QModelIndex current = m_table->currentIndex();
    if (!current.isValid()) {
        return;
    }
    const auto summary = current.data(PackageTableModel::SummaryRole).value<PackageSummary>();
    const bool whole = versions.isEmpty();
    const int count = int(versions.size());
    const QString action = whole ? tr("Delete Package")
        : count == 1             ? tr("Delete Version")
                                 : tr("Delete %1 Versions").arg(count);
    const QString heading = whole
        ? tr("Delete %1 from %2, with all its versions?").arg(summary.name, summary.projectPath)
        : count == 1
        ? tr("Delete %1 %2 from %3?").arg(summary.name, versions.first(), summary.projectPath)
        : tr("Delete %1 versions of %2 from %3?")
              .arg(QString::number(count), summary.name, summary.projectPath);
    auto *dialog = new DeleteDialog(
        whole ? tr("Delete Package") : tr("Delete Versions"), heading, action, this);
    dialog->setObjectName(whole ? u"deletePackageDialog"_s : u"deleteVersionsDialog"_s);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    Registry *registry = &m_registry;
    dialog->setWrite(
        [registry, summary, versions]() -> Result<QString> {
            if (versions.isEmpty()) {
                if (const Result<void> done =
                        registry->packages().unpublishPackage(summary.projectId, summary.name);
                    !done) {
                    return done.error();
                }
                return MainWindow::tr("Deleted %1 from %2.").arg(summary.name, summary.projectPath);
            }
            for (const QString &version : versions) {
                if (const Result<void> done = registry->packages().unpublishVersion(
                        summary.projectId, summary.name, version);
                    !done) {
                    return done.error();
                }
            }
            return versions.size() == 1
                ? MainWindow::tr("Deleted %1 %2.").arg(summary.name, versions.first())
                : MainWindow::tr("Deleted %1 versions of %2.")
                      .arg(QString::number(versions.size()), summary.name);
        },
        &m_pool);
    openDeleteDialog(dialog);
    // On the global pool: reading every manifest must not hold up the window's own loads.
    Ui::runAsync(
        dialog,
        nullptr,
        [registry, summary, versions] {
            return registry->packages().deletionImpact(summary.projectId, summary.name, versions);
        },
        [dialog, name = summary.name](const Result<PackageService::DeletionImpact> &impact) {
            if (impact) {
                dialog->setImpact(DeleteDialog::versionsImpact(name, *impact));
            } else {
                dialog->setImpactError(impact.error().message);
            }
        });
}

void MainWindow::deleteProject(qint64 projectId)
{
    const auto found = std::find_if(m_projectList.cbegin(),
                                    m_projectList.cend(),
                                    [projectId](const Project &p) { return p.id == projectId; });
    if (found == m_projectList.cend()) {
        return;
    }
    const Project project = *found;
    QList<PackageSummary> packages;
    for (int row = 0; row < m_packages->rowCount(); ++row) {
        if (m_packages->packageAt(row).projectId == projectId) {
            packages.append(m_packages->packageAt(row));
        }
    }
    auto *dialog = new DeleteDialog(
        tr("Delete Project"),
        packages.isEmpty() ? tr("Delete the project %1?").arg(project.fullPath)
                           : tr("Delete the project %1 and its packages?").arg(project.fullPath),
        tr("Delete Project"),
        this);
    dialog->setObjectName(u"deleteProjectDialog"_s);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setImpact(DeleteDialog::projectImpact(project.fullPath, packages));
    Registry *registry = &m_registry;
    dialog->setWrite(
        [registry, project]() -> Result<QString> {
            const Result<NamespaceService::Deleted> deleted =
                registry->namespaces().deleteProject(project.id, registry->blobs());
            if (!deleted) {
                return deleted.error();
            }
            return MainWindow::tr("Deleted the project %1 (%n package version(s)).",
                                  nullptr,
                                  deleted->versions)
                .arg(project.fullPath);
        },
        &m_pool);
    openDeleteDialog(dialog);
}

void MainWindow::openDeleteDialog(DeleteDialog *dialog)
{
    connect(dialog, &DeleteDialog::writeFinished, this, [this](bool ok, const QString &message) {
        if (ok) {
            statusBar()->showMessage(message, 5000);
        }
        emit writeFinished(ok, ok ? message : tr("Not done: %1").arg(message));
    });
    dialog->open();
}

void MainWindow::deleteGroup(qint64 groupId)
{
    const auto found = std::find_if(m_groupList.cbegin(),
                                    m_groupList.cend(),
                                    [groupId](const Group &g) { return g.id == groupId; });
    if (found == m_groupList.cend()) {
        return;
    }
    const Group group = *found;
    const QString prefix = group.fullPath + u'/';
    QStringList subgroups;
    for (const Group &other : std::as_const(m_groupList)) {
        if (other.fullPath.startsWith(prefix)) {
            subgroups.append(other.fullPath);
        }
    }
    QStringList projects;
    for (const Project &project : std::as_const(m_projectList)) {
        if (project.fullPath.startsWith(prefix)) {
            projects.append(project.fullPath);
        }
    }
    subgroups.sort();
    projects.sort();
    QList<PackageSummary> packages;
    for (int row = 0; row < m_packages->rowCount(); ++row) {
        if (m_packages->packageAt(row).projectPath.startsWith(prefix)) {
            packages.append(m_packages->packageAt(row));
        }
    }
    std::sort(packages.begin(), packages.end(), [](const auto &a, const auto &b) {
        return a.projectPath != b.projectPath ? a.projectPath < b.projectPath : a.name < b.name;
    });
    const bool empty = subgroups.isEmpty() && projects.isEmpty();
    auto *dialog = new DeleteDialog(
        tr("Delete Group"),
        empty ? tr("Delete the empty group %1?").arg(group.fullPath)
              : tr("Delete the group %1 and everything in it?").arg(group.fullPath),
        tr("Delete Group"),
        this);
    dialog->setObjectName(u"deleteGroupDialog"_s);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setImpact(DeleteDialog::groupImpact(group.fullPath, subgroups, projects, packages));
    if (!empty) {
        // GitLab's safeguard for a group with something in it.
        dialog->requireTypedConfirmation(group.fullPath);
    }
    Registry *registry = &m_registry;
    dialog->setWrite(
        [registry, group, empty]() -> Result<QString> {
            // Not recursive for a group that looked empty: whatever arrived since is refused.
            const Result<NamespaceService::Deleted> deleted =
                registry->namespaces().deleteGroup(group.id, !empty, registry->blobs());
            if (!deleted) {
                return deleted.error();
            }
            return MainWindow::tr("Deleted the group %1.").arg(group.fullPath);
        },
        &m_pool);
    openDeleteDialog(dialog);
}

void MainWindow::openProjectSettings(qint64 projectId)
{
    const auto found = std::find_if(m_projectList.cbegin(),
                                    m_projectList.cend(),
                                    [projectId](const Project &p) { return p.id == projectId; });
    if (found == m_projectList.cend()) {
        return;
    }
    qint64 versions = 0;
    for (int row = 0; row < m_packages->rowCount(); ++row) {
        if (m_packages->packageAt(row).projectId == projectId) {
            versions += m_packages->packageAt(row).versionCount;
        }
    }
    auto *dialog = new ProjectSettingsDialog(*found, versions, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    Registry *registry = &m_registry;
    dialog->setWrite(
        [registry](qint64 id,
                   std::optional<bool> packages,
                   std::optional<Visibility> visibility) -> Result<void> {
            // Visibility first: when the group refuses it, nothing has changed.
            if (visibility) {
                if (const Result<void> set =
                        registry->namespaces().setProjectVisibility(id, *visibility);
                    !set) {
                    return set;
                }
            }
            if (packages) {
                return registry->namespaces().setPackagesEnabled(id, *packages);
            }
            return {};
        },
        &m_pool);
    connect(dialog,
            &ProjectSettingsDialog::writeFinished,
            this,
            [this](bool ok, const QString &message) {
                if (ok) {
                    statusBar()->showMessage(message, 5000);
                }
                emit writeFinished(ok, ok ? message : tr("Not done: %1").arg(message));
            });
    dialog->open();
}

void MainWindow::openSetupSheet()
{
    if (auto *open = findChild<SetupSheet *>()) {
        open->raise();
        open->activateWindow();
        return;
    }
    auto *sheet = new SetupSheet(m_registry, this);
    sheet->setAttribute(Qt::WA_DeleteOnClose);
    connect(sheet, &SetupSheet::setUp, this, [this](const Group &group, const Project &project) {
        // The builder lists what the window knows, and the reload the writes caused may not
        // have arrived yet.
        if (std::none_of(m_groupList.cbegin(), m_groupList.cend(), [&](const Group &known) {
                return known.id == group.id;
            })) {
            m_groupList.append(group);
        }
        if (std::none_of(m_projectList.cbegin(), m_projectList.cend(), [&](const Project &known) {
                return known.id == project.id;
            })) {
            m_projectList.append(project);
        }
        updateWelcome();
        // Then the new project is selected: its empty list shows how to publish to it. The
        // namespaces are applied before the packages (one worker, in order).
        const qint64 projectId = project.id;
        connect(
            this,
            &MainWindow::packagesLoaded,
            this,
            [this, projectId] {
                if (const QModelIndex index =
                        m_namespaceModel->indexOf(NodeKind::Project, projectId);
                    index.isValid()) {
                    m_namespaceTree->setCurrentIndex(index);
                }
            },
            Qt::SingleShotConnection);
        reload();
        statusBar()->showMessage(
            tr("Set up %1 with the project %2.").arg(u'@' + group.fullPath, project.fullPath),
            5000);
        openNpmrcBuilder(project.id);
        if (auto *builder = findChild<NpmrcBuilderDialog *>(u"npmrcBuilder"_s)) {
            builder->setLevel(NpmrcRequest::Level::Project);
            builder->setTokenKind(NpmrcRequest::TokenKind::Personal);
        }
    });
    sheet->open();
}

void MainWindow::updateWelcome()
{
    // Set up once a group exists: from then on the package list and its empty state guide.
    const bool empty = m_groupList.isEmpty() && m_packages->rowCount() == 0;
    m_packageArea->setCurrentWidget(empty ? static_cast<QWidget *>(m_welcome) : m_detailsSplitter);
}

void MainWindow::updateEmptyStates()
{
    EmptyState *packages = EmptyState::of(m_table);
    if (!packages) {
        return;
    }
    const TreeNode node = treeNode(m_namespaceTree->currentIndex());
    const NodeKind kind = node.kind;
    const QString &path = node.path;
    const QString filter = m_filterEdit->text().trimmed();
    QString text;
    if (!filter.isEmpty() && m_packages->rowCount() > 0) {
        text = kind == NodeKind::All ? tr("No package matches “%1”.").arg(filter.toHtmlEscaped())
                                     : tr("No package in %1 matches “%2”.")
                                           .arg(path.toHtmlEscaped(), filter.toHtmlEscaped());
    } else if (kind == NodeKind::Project) {
        const QString origin = m_serverStatus.state == ServerStatus::State::Running
            ? m_serverStatus.url()
            : u"http://127.0.0.1:%1/"_s.arg(RegistrySettingsDialog::load().port);
        const QString registry =
            u"%1api/v4/projects/%2/packages/npm/"_s.arg(origin, QString::number(node.id));
        text = tr("<p>No packages in %1 yet.</p>"
                  "<p>To publish one, run this in its folder (the name in its package.json "
                  "starts with @%2/):</p><p><code>npm publish --registry %3</code></p>"
                  "<p>npm needs the .npmrc from Tools ▸ Connect a Client for the token. Or drop "
                  ".tgz files on the window.</p>")
                   .arg(path.toHtmlEscaped(),
                        path.section(u'/', 0, 0).toHtmlEscaped(),
                        registry.toHtmlEscaped());
    } else if (kind == NodeKind::Group) {
        text = tr("No packages in the projects of %1 yet. Select a project to see how to "
                  "publish to it.")
                   .arg(path.toHtmlEscaped());
    } else if (m_projectList.isEmpty()) {
        text = tr("No packages yet. Packages are published to a project: select a group and "
                  "use File ▸ New Project….");
    } else {
        text = tr("No packages yet. Select a project to see how to publish to it, or drop .tgz "
                  "files on the window (File ▸ Publish Tarballs…).");
    }
    packages->setText(text);
}

void MainWindow::confirmStopRegistry()
{
    if (m_serverStatus.state == ServerStatus::State::Running
        && !Ui::confirm(this,
                        tr("Stop the Registry?"),
                        tr("Stop the registry at %1? npm, yarn and pnpm pointed at it fail until "
                           "it is started again: installs, publishes and the CI jobs of everyone "
                           "whose .npmrc names it.")
                            .arg(m_serverStatus.url()),
                        tr("Stop Registry"))) {
        return;
    }
    emit stopRegistryRequested();
}
