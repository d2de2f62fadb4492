// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/mainwindow.h"

#include "model/itemmodels/namespacetreemodel.h"
#include "model/itemmodels/packagetablemodel.h"
#include "model/itemmodels/versiontablemodel.h"
#include "model/registry.h"
#include "model/store/packagestore.h"
#include "model/storewatcher.h"
#include "model/versiondetails.h"
#include "ui/confirm.h"
#include "ui/contextmenukeys.h"
#include "ui/emptystate.h"
#include "ui/mirrordialog.h"
#include "ui/namespacepane.h"
#include "ui/packagefilterproxymodel.h"
#include "ui/publishdialog.h"
#include "ui/registrysettingsdialog.h"
#include "ui/requestlogview.h"
#include "ui/setupsheet.h"
#include "ui/sharedstoredialog.h"
#include "ui/versiondetailsview.h"
#include "ui/versionview.h"
#include "ui/welcomeview.h"

#include <QCloseEvent>
#include <QDir>
#include <QDockWidget>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMenu>
#include <QMimeData>
#include <QSettings>
#include <QSplitter>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;
using namespace Trove;

namespace {

using NodeKind = NamespaceTreeModel::Kind;

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
    // Writes by the command line (or another server on this folder or store) send no events
    // here. On a shared store that app/ watches (Database::watchChanges) the stamp is read from
    // memory, so looking often costs nothing and another instance's publish shows at once;
    // otherwise each look reads the store.
    const int interval = m_registry.database().isWatchingChanges() ? 100 : 500;
    auto *watcher = new StoreWatcher(m_registry.database(), m_registry.events(), interval, this);
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

    m_namespaceTree = new NamespacePane;
    connect(m_namespaceTree,
            &NamespacePane::currentNodeChanged,
            this,
            &MainWindow::applyNamespaceSelection);
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
    m_filterEdit->setPlaceholderText(tr("Filter: name, tag:beta, deprecated:yes, cached:yes"));
    m_filterEdit->setAccessibleName(tr("Filter packages"));
    m_filterEdit->setToolTip(PackageFilterProxyModel::helpText());
    // A short pause after typing, so that a large list is filtered once, not per keystroke.
    m_filterTimer = new QTimer(this);
    m_filterTimer->setSingleShot(true);
    m_filterTimer->setInterval(150);
    connect(m_filterEdit, &QLineEdit::textChanged, m_filterTimer, qOverload<>(&QTimer::start));
    connect(m_filterTimer, &QTimer::timeout, this, [this] {
        m_proxy->setFilterText(m_filterEdit->text());
        updateCountLabel();
    });

    // The proxy's cache changes with every install through it and sends no change events: a
    // look at its count of changes (one row) every two seconds, and the list read again only
    // when that moved.
    auto *cacheTimer = new QTimer(this);
    connect(cacheTimer, &QTimer::timeout, this, &MainWindow::checkCachedPackages);
    cacheTimer->start(2000);

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
    m_table->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(
        m_table, &QWidget::customContextMenuRequested, this, &MainWindow::showPackageContextMenu);
    enableContextMenuKeys(m_namespaceTree);
    enableContextMenuKeys(m_table);
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
    m_forwardingLabel = new QLabel(this);
    m_forwardingLabel->setObjectName(u"forwardingStatus"_s);
    m_forwardingLabel->setTextFormat(Qt::RichText);
    m_forwardingLabel->hide();
    connect(m_forwardingLabel, &QLabel::linkActivated, this, &MainWindow::openForwarding);
    statusBar()->addPermanentWidget(m_forwardingLabel);
    // Which shared store the window shows (never its password): a window on the local store
    // says nothing, as before.
    m_sharedStoreLabel = new QLabel(this);
    m_sharedStoreLabel->setObjectName(u"sharedStoreStatus"_s);
    m_sharedStoreLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    if (const QString store = m_registry.database().storeDisplay(); !store.isEmpty()) {
        m_sharedStoreLabel->setText(tr("Shared store: %1").arg(store));
        m_sharedStoreLabel->setToolTip(
            tr("Packages, tags, users and tokens are in this PostgreSQL database, which other "
               "Trove instances share; the tarballs are in %1. Registry ▸ Open the Local Store "
               "goes back.")
                .arg(QDir::toNativeSeparators(m_registry.database().dataDir())));
    } else {
        m_sharedStoreLabel->hide();
    }
    statusBar()->addPermanentWidget(m_sharedStoreLabel);
    statusBar()->addPermanentWidget(m_serverLabel);
    statusBar()->addPermanentWidget(m_rateLabel);
    setServerStatus({});
    showCurrentPackage();
    resize(1200, 760);
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
    m_plainHttpLabel->setVisible(status.state == ServerStatus::State::Running
                                 && status.plainOnNetwork);
    m_serverStatus = status;
    updateTitle();
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

void MainWindow::updateTitle()
{
    // The address the team's .npmrc files point at, in the task bar and window switcher; on a
    // shared store which one, as two windows on two stores look alike otherwise.
    const QString store = m_registry.database().storeDisplay();
    const bool running = m_serverStatus.state == ServerStatus::State::Running;
    if (store.isEmpty()) {
        setWindowTitle(running ? tr("%1 — Trove").arg(m_serverStatus.url()) : tr("Trove"));
    } else {
        setWindowTitle(running ? tr("%1 — %2 — Trove").arg(m_serverStatus.url(), store)
                               : tr("%1 — Trove").arg(store));
    }
}

void MainWindow::openSharedStoreDialog()
{
    if (auto *open = findChild<SharedStoreDialog *>(u"sharedStoreDialog"_s)) {
        open->raise();
        open->activateWindow();
        return;
    }
    SharedStoreDialog::Choice current = SharedStoreDialog::load();
    if (m_registry.database().dialect() == Database::Dialect::PostgreSQL) {
        current.dataFolder = m_registry.database().dataDir();
    }
    auto *dialog = new SharedStoreDialog(
        current, m_dataFolder.isEmpty() ? Registry::defaultDataDir() : m_dataFolder, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        const SharedStoreDialog::Choice choice = dialog->choice();
        SharedStoreDialog::save(choice);
        statusBar()->showMessage(tr("Opening %1…").arg(Database::displayOf(choice.url)), 5000);
        emit openStoreRequested(dialog->connectionUrl(), choice.dataFolder);
    });
    dialog->open();
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

void MainWindow::updateCountLabel()
{
    const int shown = m_proxy->rowCount();
    const int total = m_packages->rowCount();
    // English plurals written out: there is no English translation to pick %n's form yet.
    const QString count = total == 1 ? tr("1 package") : tr("%n packages", nullptr, total);
    m_countLabel->setText(shown == total ? count : tr("%1 shown of %2").arg(shown).arg(count));
    updateEmptyStates();
}

void MainWindow::dragEnterEvent(QDragEnterEvent *event)
{
    const QList<QUrl> urls = event->mimeData()->urls();
    const auto all = [&urls](const auto &test) {
        return !urls.isEmpty() && std::all_of(urls.cbegin(), urls.cend(), [&test](const QUrl &url) {
            return url.isLocalFile() && test(url.toLocalFile());
        });
    };
    // Tarballs are published; lockfiles (and files that might be one: the dialog says why not)
    // are mirrored into the proxy's cache.
    const bool tarballs =
        all([](const QString &path) { return path.endsWith(u".tgz"_s, Qt::CaseInsensitive); });
    if (tarballs || all(&MirrorDialog::looksLikeLockfile)) {
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
    const bool lockfiles =
        !files.isEmpty() && std::all_of(files.cbegin(), files.cend(), [](const QString &path) {
            return !path.endsWith(u".tgz"_s, Qt::CaseInsensitive)
                && MirrorDialog::looksLikeLockfile(path);
        });
    // After the drop has finished: the source application is not kept waiting on the sheet.
    QMetaObject::invokeMethod(
        this,
        [this, files, lockfiles] {
            if (!lockfiles) {
                openPublishDialog(files);
                return;
            }
            // Where the packages go: the group or project selected in the tree.
            LockfileMirror::Level level;
            const NamespacePane::Node node = m_namespaceTree->currentNode();
            if (node.kind == NamespaceTreeModel::Kind::Project) {
                level.projectId = node.id;
            } else if (node.kind == NamespaceTreeModel::Kind::Group) {
                level.groupId = node.id;
            }
            level.path = node.path;
            auto *dialog = new MirrorDialog(m_registry, files, level, this);
            dialog->setAttribute(Qt::WA_DeleteOnClose);
            // The mirrored packages are cached rows now.
            connect(dialog, &MirrorDialog::mirrored, this, &MainWindow::reloadCachedPackages);
            dialog->show();
        },
        Qt::QueuedConnection);
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
    const NamespacePane::Node node = m_namespaceTree->currentNode();
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
