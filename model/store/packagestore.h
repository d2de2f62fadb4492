// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "model/domain.h"
#include "model/packagesummary.h"
#include "model/result.h"
#include "model/store/database.h"

#include <QDateTime>
#include <QHash>
#include <QMutex>

#include <atomic>

namespace Trove {

// When package versions were last downloaded, kept in memory and written in batches
// (PackageStore::flushDownloads()), as TokenUsage does for tokens: a write per tarball request
// would wait behind a publish holding the write lock. One per Database
// (Database::downloadUsage()); thread-safe, as the server answers on several threads at once.
// Only versions whose download is not yet written are held, so memory stays bounded by what
// one flush interval downloads.
class DownloadUsage final
{
public:
    DownloadUsage();
    DownloadUsage(const DownloadUsage &) = delete;
    DownloadUsage &operator=(const DownloadUsage &) = delete;

    void record(qint64 packageId, const QDateTime &at);
    // `stored` or the download not yet written, whichever is newer.
    QDateTime newest(qint64 packageId, const QDateTime &stored) const;
    // Downloads not yet written, by package id.
    QHash<qint64, QDateTime> pending() const;
    // Downloads are written at most this often (30 s unless set; tests shorten it).
    qint64 flushIntervalMs() const { return m_flushIntervalMs; }
    void setFlushIntervalMs(qint64 ms) { m_flushIntervalMs = ms; }
    // Whether downloads wait to be written and the last flush is flushIntervalMs() or more ago.
    bool flushDue() const;
    // After a flush of `written`: those are in the database (newer ones stay pending).
    void markWritten(const QHash<qint64, QDateTime> &written);
    // Held by the one thread that flushes; others skip their flush.
    QMutex &flushLock() { return m_flushLock; }

private:
    mutable QMutex m_mutex;
    QHash<qint64, QDateTime> m_pending;
    qint64 m_lastFlushMs; // QDateTime::currentMSecsSinceEpoch()
    std::atomic<qint64> m_flushIntervalMs{30 * 1000};
    QMutex m_flushLock;
};

// Package versions and dist-tags.
class PackageStore final
{
public:
    explicit PackageStore(const Database &database);

    // Conflict when the project already has this name and version.
    Result<Package> insertPackage(const Package &package);
    Result<Package> packageById(qint64 id) const;
    // NotFound when the project has no such version.
    Result<Package>
    packageVersion(qint64 projectId, const QString &name, const QString &version) const;
    // Every version of the name in one project, oldest first.
    Result<QList<Package>> packagesInProject(qint64 projectId, const QString &name) const;
    // Every version of the name in every project, oldest first.
    Result<QList<Package>> packagesNamed(const QString &name) const;
    // Whether any other project under the project's top-level group (in it or its subgroups)
    // has the name and version.
    Result<bool>
    versionExistsUnderRootOf(qint64 projectId, const QString &name, const QString &version) const;
    Result<void> updatePackageJson(qint64 packageId,
                                   const QByteArray &packageJson,
                                   PackageStatus status,
                                   const QDateTime &at);
    Result<void> deletePackage(qint64 packageId);
    Result<bool> blobReferenced(const QString &sha512) const;
    Result<qint64> packageCount() const;
    Result<qint64> packageCountInProject(qint64 projectId) const;

    // Whether a summary's description and keywords (read from the search index) take in every
    // write first. Current writes on SQLite (Database::catchUpSearchIndex()): for the window,
    // which filters on them. AsStored writes nothing, for every reader that must change nothing
    // (`trove check`, the listings) or needs only names and versions; its description and
    // keywords lag until the next reader that catches up.
    enum class SearchText {
        AsStored,
        Current,
    };
    // One summary per package name per project, ordered by project id then name: one query,
    // grouped by the SQL engine over the (project_id, name, version) index, for the window's
    // package list.
    Result<QList<PackageSummary>> packageSummaries(SearchText text = SearchText::AsStored) const;
    // The same for one name in one project; NotFound when the project has no version of it.
    Result<PackageSummary> packageSummary(qint64 projectId,
                                          const QString &name,
                                          SearchText text = SearchText::AsStored) const;

    // Points the tag at the package (creating or moving it).
    Result<void> upsertDistTag(qint64 projectId,
                               const QString &packageName,
                               const QString &tag,
                               qint64 packageId,
                               const QDateTime &at);
    // NotFound when the tag does not exist.
    Result<void> deleteDistTag(qint64 projectId, const QString &packageName, const QString &tag);
    Result<QList<DistTag>> distTags(qint64 projectId, const QString &packageName) const;
    Result<QList<DistTag>> distTagsNamed(const QString &packageName) const;

    // --- GitLab's Packages API (docs/packages-api.md) ---
    // One page of package versions: every filter the API takes, the order, and the total.
    struct VersionQuery
    {
        enum class Order { CreatedAt, Name, Version, Type, ProjectPath };
        QList<qint64> projectIds; // where to look; empty: nowhere
        Order order = Order::CreatedAt;
        bool descending = false;
        QString nameContains; // case-insensitive substring; empty: any
        QString version; // exact; empty: any
        QList<PackageStatus> statuses; // empty: none match
        qint64 offset = 0;
        qint64 limit = 20;
        // Counting stops past this many matches (0: count them all).
        qint64 countCap = 0;
    };
    struct VersionPage
    {
        QList<Package> packages; // without packageJson
        qint64 total = 0; // every match, not only this page's; at most countCap + 1
        bool more = false; // whether a match follows this page
    };
    Result<VersionPage> queryVersions(const VersionQuery &query) const;
    // A dist-tag as GitLab's Packages API shows it in a package's `tags`.
    struct TagRow
    {
        qint64 id = 0;
        qint64 packageId = 0;
        QString name;
        QDateTime updatedAt;
    };
    // The dist-tags pointing at each of the packages, by tag name.
    Result<QList<TagRow>> tagsOfPackages(const QList<qint64> &packageIds) const;
    // --- end of the Packages API block ---

    // --- Download times (DownloadUsage) ---
    // Records a download of the version now, in memory; writes the batch when it is due, never
    // waiting for the write lock (a busy lock leaves it for the next download). For the
    // tarball route: it never fails the request.
    void recordDownload(qint64 packageId) const;
    // Writes the downloads not yet written; with LockWait::No, Conflict when another thread is
    // writing them or holds the write lock. The commit leaves Database::changeStamp() as it was.
    Result<int> flushDownloads(Database::LockWait wait) const;
    // When each of the versions was last downloaded, written or not; versions never downloaded
    // are left out.
    Result<QHash<qint64, QDateTime>> lastDownloads(const QList<qint64> &packageIds) const;
    // Per package name per project ("<project id>/<name>", see downloadKey()), when any of
    // its versions was last downloaded; names never downloaded are left out.
    Result<QHash<QString, QDateTime>> lastDownloadsByName() const;
    static QString downloadKey(qint64 projectId, const QString &name);

private:
    void catchUpSearchIndex() const;

    const Database &m_database;
};

} // namespace Trove
