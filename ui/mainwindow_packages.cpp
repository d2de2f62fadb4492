// SPDX-License-Identifier: GPL-3.0-or-later
// The package list and the selected package: loading, versions and details, deprecation, tags,
// saving a tarball, deleting versions or packages, publishing.
#include "ui/mainwindow.h"

#include "model/itemmodels/namespacetreemodel.h"
#include "model/itemmodels/packagetablemodel.h"
#include "model/itemmodels/versiontablemodel.h"
#include "model/registry.h"
#include "model/store/packagestore.h"
#include "model/store/proxystore.h"
#include "model/versiondetails.h"
#include "ui/async.h"
#include "ui/confirm.h"
#include "ui/deletedialogs.h"
#include "ui/namespacepane.h"
#include "ui/packagefilterproxymodel.h"
#include "ui/publishdialog.h"
#include "ui/tagdialog.h"
#include "ui/uilogging.h"
#include "ui/versiondetailsview.h"
#include "ui/versionview.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileDialog>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QStatusBar>
#include <QTableView>

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

} // namespace

void MainWindow::reloadPackages()
{
    Database *database = &m_registry.database();
    Ui::runAsync(
        this,
        &m_pool,
        [database] {
            return PackageStore(*database).packageSummaries(PackageStore::SearchText::Current);
        },
        [this](const Result<QList<PackageSummary>> &summaries) {
            if (!summaries) {
                qCWarning(lcUi) << "Cannot load the package list:" << summaries.error().message;
                statusBar()->showMessage(tr("Cannot load the package list."), 10000);
                return;
            }
            QElapsedTimer timer;
            timer.start();
            changePackageRows([&] { m_packages->setPackages(*summaries); });
            qCDebug(lcUi) << "Applied" << summaries->size() << "packages in" << timer.elapsed()
                          << "ms";
            emit packagesLoaded();
        });
    reloadCachedPackages();
}

void MainWindow::reloadCachedPackages()
{
    struct Cached
    {
        qint64 changes = 0;
        QList<ProxyStore::CachedPackage> packages;
    };
    Database *database = &m_registry.database();
    Ui::runAsync(
        this,
        &m_pool,
        [database]() -> Result<Cached> {
            const ProxyStore store(*database);
            // The count first: a write between the two reads shows at the next look.
            const Result<qint64> changes = store.changes();
            if (!changes) {
                return changes.error();
            }
            Result<QList<ProxyStore::CachedPackage>> packages = store.cachedPackages();
            if (!packages) {
                return packages.error();
            }
            return Cached{*changes, std::move(*packages)};
        },
        [this](const Result<Cached> &cached) {
            if (!cached) {
                qCWarning(lcUi) << "Cannot load the cached packages:" << cached.error().message;
                return;
            }
            m_cacheChanges = cached->changes;
            changePackageRows([&] { m_packages->setCachedPackages(cached->packages); });
        });
}

void MainWindow::checkCachedPackages()
{
    Database *database = &m_registry.database();
    Ui::runAsync(
        this,
        &m_pool,
        [database] { return ProxyStore(*database).changes(); },
        [this](const Result<qint64> &changes) {
            if (changes && *changes != m_cacheChanges) {
                reloadCachedPackages();
            }
        });
}

void MainWindow::changePackageRows(const std::function<void()> &change)
{
    const QModelIndex current = m_table->currentIndex();
    const qint64 projectId = current.data(PackageTableModel::ProjectIdRole).toLongLong();
    const QString name = current.data(PackageTableModel::PackageNameRole).toString();
    change();
    if (const int row = m_packages->rowOf(projectId, name); row >= 0) {
        m_table->setCurrentIndex(m_proxy->mapFromSource(m_packages->index(row, 0)));
    }
    updateCountLabel();
}

void MainWindow::refreshPackage(qint64 projectId, const QString &name)
{
    Database *database = &m_registry.database();
    Ui::runAsync(
        this,
        &m_pool,
        [database, projectId, name] {
            return PackageStore(*database).packageSummary(
                projectId, name, PackageStore::SearchText::Current);
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
    if (current.data(PackageTableModel::CachedRole).toBool()) {
        // Kept by the proxy: no versions of this registry's own to tag, deprecate or delete.
        m_detailsTitle->setText(
            tr("%1, cached from %2")
                .arg(summary.name, current.data(PackageTableModel::UpstreamRole).toString()));
        m_deprecationBanner->hide();
        m_versionModel->clear();
        m_versionsPackageProject = -1;
        m_versionsPackageName.clear();
        showCurrentVersion();
        updateActions();
        return;
    }
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
        m_namespaceTree->selectAllPackages();
        applyNamespaceSelection();
        index = m_proxy->mapFromSource(source);
    }
    m_table->setCurrentIndex(index);
    m_table->scrollTo(index);
    return index.isValid();
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
    if (const NamespacePane::Node node = m_namespaceTree->currentNode();
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

void MainWindow::removeCurrentFromCache()
{
    const QModelIndex current = m_table->currentIndex();
    if (!current.isValid() || !current.data(PackageTableModel::CachedRole).toBool()) {
        return;
    }
    const QModelIndex source = m_proxy->mapToSource(current);
    const ProxyStore::CachedPackage *cached = m_packages->cachedAt(source.row());
    if (!cached) {
        return;
    }
    const QString name = cached->name;
    const QString text =
        tr("Remove %1 from the proxy cache (%2 on disk, %n kept tarball(s))? Installs that need "
           "it fetch it from %3 again, and fail while that is down.",
           nullptr,
           cached->tarballs)
            .arg(name, QLocale().formattedDataSize(cached->bytes), cached->upstream);
    if (!Ui::confirm(this, tr("Remove from the Proxy Cache"), text, tr("Remove"))) {
        return;
    }
    Registry *registry = &m_registry;
    runWrite(tr("%1 is removed from the proxy cache.").arg(name), [registry, name]() {
        const Result<int> removed =
            ProxyStore(registry->database()).clearWithBlobs(name, registry->blobs());
        return removed ? Result<void>() : Result<void>(removed.error());
    });
    // Proxy writes send no change event (docs/proxy.md): reload the cached rows when it is done.
    connect(
        this,
        &MainWindow::writeFinished,
        this,
        [this] { reloadCachedPackages(); },
        Qt::SingleShotConnection);
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
