// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/mainwindow.h"

#include "model/itemmodels/packagetablemodel.h"
#include "model/itemmodels/versiontablemodel.h"
#include "model/registry.h"
#include "model/store/namespacestore.h"
#include "model/store/packagestore.h"
#include "model/storewatcher.h"
#include "ui/packagefilterproxymodel.h"
#include "ui/uilogging.h"

#include <QAction>
#include <QCloseEvent>
#include <QElapsedTimer>
#include <QFutureWatcher>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMenuBar>
#include <QSettings>
#include <QSplitter>
#include <QStatusBar>
#include <QTableView>
#include <QTimer>
#include <QTreeView>
#include <QTreeWidget>
#include <QVBoxLayout>
#include <QtConcurrent>

using namespace Qt::StringLiterals;
using namespace Trove;

namespace {

// Runs `work` on `pool` and hands its result to `apply` on `context`'s thread, unless `context`
// is gone by then.
template<typename Work, typename Apply>
void runLoad(QObject *context, QThreadPool *pool, Work work, Apply apply)
{
    using T = std::invoke_result_t<Work>;
    auto *watcher = new QFutureWatcher<T>(context);
    QObject::connect(watcher, &QFutureWatcherBase::finished, context, [watcher, apply] {
        apply(watcher->result());
        watcher->deleteLater();
    });
    watcher->setFuture(QtConcurrent::run(pool, std::move(work)));
}

struct Namespaces
{
    QList<Group> groups;
    QList<Project> projects;
};

struct PackageDetails
{
    QList<Package> versions;
    QList<DistTag> tags;
};

enum NamespaceRole { KindRole = Qt::UserRole, IdRole };
enum class NodeKind { All, Group, Project };

void collectProjects(const QTreeWidgetItem *item, QSet<qint64> *ids)
{
    if (NodeKind(item->data(0, KindRole).toInt()) == NodeKind::Project) {
        ids->insert(item->data(0, IdRole).toLongLong());
    }
    for (int i = 0; i < item->childCount(); ++i) {
        collectProjects(item->child(i), ids);
    }
}

} // namespace

MainWindow::MainWindow(Registry &registry, QWidget *parent)
    : QMainWindow(parent)
    , m_registry(registry)
{
    m_pool.setMaxThreadCount(1);
    setWindowTitle(tr("Trove"));
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
    connect(&m_registry.events(),
            &Events::namespacesChanged,
            this,
            &MainWindow::reloadNamespaces,
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

    m_namespaceTree = new QTreeWidget;
    m_namespaceTree->setObjectName(u"namespaceTree"_s);
    m_namespaceTree->setHeaderLabel(tr("Groups and projects"));
    m_namespaceTree->setAccessibleName(tr("Groups and projects"));
    connect(m_namespaceTree,
            &QTreeWidget::currentItemChanged,
            this,
            &MainWindow::applyNamespaceSelection);

    m_filterEdit = new QLineEdit;
    m_filterEdit->setObjectName(u"filterEdit"_s);
    m_filterEdit->setClearButtonEnabled(true);
    m_filterEdit->setPlaceholderText(tr("Filter: name, tag:beta, deprecated:yes"));
    m_filterEdit->setAccessibleName(tr("Filter packages"));
    m_filterEdit->setToolTip(
        tr("Words match package names, scopes and project paths.\n"
           "tag:NAME shows packages with that dist-tag; deprecated:yes or deprecated:no "
           "filters on the latest version's deprecation."));
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

    auto *listPane = new QWidget;
    auto *listLayout = new QVBoxLayout(listPane);
    listLayout->setContentsMargins(0, 0, 0, 0);
    listLayout->addWidget(m_filterEdit);
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
    m_versions = new QTreeView;
    m_versions->setObjectName(u"versionList"_s);
    m_versions->setAccessibleName(tr("Versions"));
    m_versions->setModel(m_versionModel);
    m_versions->setRootIsDecorated(false);
    m_versions->setUniformRowHeights(true);
    m_versions->setAlternatingRowColors(true);
    m_versions->setColumnWidth(VersionTableModel::VersionColumn, 140);
    m_versions->setColumnWidth(VersionTableModel::TagsColumn, 140);
    m_versions->setColumnWidth(VersionTableModel::PublishedColumn, 170);

    auto *detailsPane = new QWidget;
    detailsPane->setObjectName(u"detailsPane"_s);
    auto *detailsLayout = new QVBoxLayout(detailsPane);
    detailsLayout->setContentsMargins(0, 0, 0, 0);
    detailsLayout->addWidget(m_detailsTitle);
    detailsLayout->addWidget(m_deprecationBanner);
    detailsLayout->addWidget(m_versions);

    m_detailsSplitter = new QSplitter(Qt::Vertical);
    m_detailsSplitter->setObjectName(u"detailsSplitter"_s);
    m_detailsSplitter->addWidget(listPane);
    m_detailsSplitter->addWidget(detailsPane);
    m_detailsSplitter->setStretchFactor(0, 3);
    m_detailsSplitter->setStretchFactor(1, 2);

    m_splitter = new QSplitter(Qt::Horizontal);
    m_splitter->setObjectName(u"mainSplitter"_s);
    m_splitter->addWidget(m_namespaceTree);
    m_splitter->addWidget(m_detailsSplitter);
    m_splitter->setStretchFactor(0, 1);
    m_splitter->setStretchFactor(1, 4);
    setCentralWidget(m_splitter);

    m_countLabel = new QLabel;
    m_countLabel->setObjectName(u"packageCount"_s);
    m_serverLabel = new QLabel;
    m_serverLabel->setObjectName(u"serverStatus"_s);
    m_serverLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    statusBar()->addWidget(m_countLabel, 1);
    statusBar()->addPermanentWidget(m_serverLabel);
    setServerStatus({});
    showCurrentPackage();
    resize(1100, 700);
}

void MainWindow::createActions()
{
    QMenu *fileMenu = menuBar()->addMenu(tr("&File"));
    QAction *quit = fileMenu->addAction(tr("&Quit"));
    quit->setShortcut(QKeySequence::Quit);
    connect(quit, &QAction::triggered, this, &QWidget::close);

    QMenu *viewMenu = menuBar()->addMenu(tr("&View"));
    QAction *find = viewMenu->addAction(tr("&Filter Packages"));
    find->setShortcut(QKeySequence::Find);
    connect(find, &QAction::triggered, this, [this] {
        m_filterEdit->setFocus(Qt::ShortcutFocusReason);
        m_filterEdit->selectAll();
    });
    QAction *refresh = viewMenu->addAction(tr("&Reload"));
    refresh->setObjectName(u"reloadAction"_s);
    refresh->setShortcut(QKeySequence::Refresh);
    // Changes made by another process (the command line) send no event to this one.
    refresh->setToolTip(tr("Reload packages, groups and projects from the data folder"));
    connect(refresh, &QAction::triggered, this, &MainWindow::reload);
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
}

void MainWindow::reload()
{
    reloadNamespaces();
    reloadPackages();
}

void MainWindow::reloadPackages()
{
    Database *database = &m_registry.database();
    runLoad(
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
    runLoad(
        this,
        &m_pool,
        [database] {
            const NamespaceStore store(*database);
            Result<QList<Group>> groups = store.groups();
            Result<QList<Project>> projects = store.projects();
            if (!groups) {
                return Result<Namespaces>(groups.error());
            }
            if (!projects) {
                return Result<Namespaces>(projects.error());
            }
            return Result<Namespaces>(Namespaces{*groups, *projects});
        },
        [this](const Result<Namespaces> &namespaces) {
            if (!namespaces) {
                qCWarning(lcUi) << "Cannot load groups and projects:" << namespaces.error().message;
                return;
            }
            QTreeWidgetItem *current = m_namespaceTree->currentItem();
            const int currentKind = current ? current->data(0, KindRole).toInt() : -1;
            const qint64 currentId = current ? current->data(0, IdRole).toLongLong() : 0;

            const QSignalBlocker blocker(m_namespaceTree);
            m_namespaceTree->clear();
            auto *all = new QTreeWidgetItem(m_namespaceTree, {tr("All packages")});
            all->setData(0, KindRole, int(NodeKind::All));
            QHash<qint64, QTreeWidgetItem *> groups;
            // Parents before children: a group's full path is longer than its parent's.
            QList<Group> sorted = namespaces->groups;
            std::sort(sorted.begin(), sorted.end(), [](const Group &a, const Group &b) {
                return a.fullPath.size() != b.fullPath.size()
                    ? a.fullPath.size() < b.fullPath.size()
                    : a.fullPath < b.fullPath;
            });
            for (const Group &group : std::as_const(sorted)) {
                QTreeWidgetItem *parent = groups.value(group.parentId, all);
                auto *item = new QTreeWidgetItem(parent, {group.path});
                item->setToolTip(0, group.fullPath);
                item->setData(0, KindRole, int(NodeKind::Group));
                item->setData(0, IdRole, group.id);
                groups.insert(group.id, item);
            }
            for (const Project &project : namespaces->projects) {
                auto *item =
                    new QTreeWidgetItem(groups.value(project.namespaceId, all), {project.path});
                item->setToolTip(0, project.fullPath);
                item->setData(0, KindRole, int(NodeKind::Project));
                item->setData(0, IdRole, project.id);
            }
            m_namespaceTree->sortItems(0, Qt::AscendingOrder);
            m_namespaceTree->expandAll();
            QTreeWidgetItem *select = all;
            for (QTreeWidgetItemIterator it(m_namespaceTree); *it; ++it) {
                if ((*it)->data(0, KindRole).toInt() == currentKind
                    && (*it)->data(0, IdRole).toLongLong() == currentId) {
                    select = *it;
                    break;
                }
            }
            m_namespaceTree->setCurrentItem(select);
            applyNamespaceSelection();
        });
}

void MainWindow::refreshPackage(qint64 projectId, const QString &name)
{
    Database *database = &m_registry.database();
    runLoad(
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
        return;
    }
    const auto summary = current.data(PackageTableModel::SummaryRole).value<PackageSummary>();
    m_detailsTitle->setText(tr("%1 in %2").arg(summary.name, summary.projectPath));

    Database *database = &m_registry.database();
    const qint64 projectId = summary.projectId;
    const QString name = summary.name;
    runLoad(
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
            return Result<PackageDetails>(PackageDetails{*versions, *tags});
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
            m_versionModel->setVersions(details->versions, details->tags);
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

void MainWindow::applyNamespaceSelection()
{
    const QTreeWidgetItem *item = m_namespaceTree->currentItem();
    if (!item || NodeKind(item->data(0, KindRole).toInt()) == NodeKind::All) {
        m_proxy->setProjectFilter(std::nullopt);
    } else {
        QSet<qint64> ids;
        collectProjects(item, &ids);
        m_proxy->setProjectFilter(ids);
    }
    updateCountLabel();
}

void MainWindow::updateCountLabel()
{
    const int shown = m_proxy->rowCount();
    const int total = m_packages->rowCount();
    // English plurals written out: there is no English translation to pick %n's form yet.
    const QString count = total == 1 ? tr("1 package") : tr("%n packages", nullptr, total);
    m_countLabel->setText(shown == total ? count : tr("%1 shown of %2").arg(shown).arg(count));
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
    settings.setValue(u"packageHeader"_s, m_table->horizontalHeader()->saveState());
}
