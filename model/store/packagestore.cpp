// SPDX-License-Identifier: GPL-3.0-or-later
#include "model/store/packagestore.h"

#include "model/logging.h"
#include "model/store/sql.h"
#include "model/store/time.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <mutex>

using namespace Qt::StringLiterals;

namespace Trove {

namespace {

// READMEs are indexed up to this many characters: enough for what a search should find, and a
// bound on the index's size.
constexpr qsizetype MaxIndexedReadme = 64 * 1024;

const QString PackageColumns =
    u"id, project_id, name, version, status, package_json, sha1, sha512, size, publisher,"
    " publisher_user_id, created_at, updated_at"_s;

Package readPackage(const Sql::Statement &row)
{
    Package package;
    package.id = row.value(0).toLongLong();
    package.projectId = row.value(1).toLongLong();
    package.name = row.value(2).toString();
    package.version = row.value(3).toString();
    package.status = PackageStatus(row.value(4).toInt());
    package.packageJson = row.value(5).toString().toUtf8();
    package.sha1 = row.value(6).toString();
    package.sha512 = row.value(7).toString();
    package.size = row.value(8).toLongLong();
    package.publisher = row.value(9).toString();
    package.publisherUserId = row.value(10).toLongLong();
    package.createdAt = StoreTime::fromStored(row.value(11));
    package.updatedAt = StoreTime::fromStored(row.value(12));
    return package;
}

DistTag readTag(const Sql::Statement &row)
{
    DistTag tag;
    tag.projectId = row.value(0).toLongLong();
    tag.packageName = row.value(1).toString();
    tag.tag = row.value(2).toString();
    tag.packageId = row.value(3).toLongLong();
    tag.version = row.value(4).toString();
    tag.updatedAt = StoreTime::fromStored(row.value(5));
    return tag;
}

const QString TagSelect =
    u"SELECT t.project_id, t.package_name, t.tag, t.package_id, p.version,"
    " t.updated_at FROM dist_tags t JOIN packages p ON p.id = t.package_id "_s;

Result<QList<Package>> readPackages(Sql::Statement &select)
{
    if (!select.exec()) {
        return select.error(u"Cannot read packages"_s);
    }
    QList<Package> rows;
    while (select.next()) {
        rows.append(readPackage(select));
    }
    return rows;
}

Result<QList<DistTag>> readTags(Sql::Statement &select)
{
    if (!select.exec()) {
        return select.error(u"Cannot read dist-tags"_s);
    }
    QList<DistTag> rows;
    while (select.next()) {
        rows.append(readTag(select));
    }
    return rows;
}

// One row per (package, dist-tag), or one row for a package without tags, ordered so that the
// rows of one package are adjacent. The aggregate runs once per package; the tag joins are index
// lookups (dist_tags_project_name_tag). Portable SQL (no group_concat) so that PostgreSQL runs it
// too (docs/architecture.md §4). `%1` is an extra condition on the packages table, or nothing.
const QString SummarySelect =
    u"WITH grouped AS ("
    " SELECT project_id, name, count(*) AS versions, max(id) AS newest_id,"
    " max(updated_at) AS updated,"
    " sum(CASE WHEN status = %2 THEN 1 ELSE 0 END) AS deprecated_versions"
    " FROM packages %1 GROUP BY project_id, name)"
    " SELECT g.project_id, r.full_path, g.name, g.versions, g.deprecated_versions, g.updated,"
    " l.version, l.publisher, l.status, t.tag, tp.version, t.updated_at,"
    " s.description, s.keywords"
    " FROM grouped g"
    " JOIN projects r ON r.id = g.project_id"
    " LEFT JOIN package_search s ON s.project_id = g.project_id AND s.name = g.name"
    " LEFT JOIN dist_tags lt ON lt.project_id = g.project_id AND lt.package_name = g.name"
    " AND lt.tag = 'latest'"
    " JOIN packages l ON l.id = coalesce(lt.package_id, g.newest_id)"
    " LEFT JOIN dist_tags t ON t.project_id = g.project_id AND t.package_name = g.name"
    " LEFT JOIN packages tp ON tp.id = t.package_id"
    " ORDER BY g.project_id, g.name, t.tag"_s;

// package_search.keywords, a JSON array, as a list of the strings in it.
QStringList keywordList(const QString &json)
{
    QStringList keywords;
    if (json.isEmpty() || json == u"[]"_s) {
        return keywords;
    }
    const QJsonArray array = QJsonDocument::fromJson(json.toUtf8()).array();
    for (const QJsonValue &keyword : array) {
        if (keyword.isString() && !keyword.toString().isEmpty()) {
            keywords.append(keyword.toString());
        }
    }
    return keywords;
}

Result<QList<PackageSummary>> readSummaries(Sql::Statement &select)
{
    if (!select.exec()) {
        return select.error(u"Cannot read the package list"_s);
    }
    QList<PackageSummary> summaries;
    while (select.next()) {
        const qint64 projectId = select.value(0).toLongLong();
        const QString name = select.value(2).toString();
        if (summaries.isEmpty() || summaries.constLast().projectId != projectId
            || summaries.constLast().name != name) {
            PackageSummary summary;
            summary.projectId = projectId;
            summary.projectPath = select.value(1).toString();
            summary.name = name;
            summary.versionCount = select.value(3).toInt();
            summary.deprecatedVersionCount = select.value(4).toInt();
            summary.updatedAt = StoreTime::fromStored(select.value(5));
            summary.latestVersion = select.value(6).toString();
            summary.publisher = select.value(7).toString();
            summary.deprecated =
                PackageStatus(select.value(8).toInt()) == PackageStatus::Deprecated;
            summary.description = select.value(12).toString();
            summary.keywords = keywordList(select.value(13).toString());
            summaries.append(std::move(summary));
        }
        if (select.value(9).isNull()) {
            continue;
        }
        PackageSummary &summary = summaries.last();
        summary.distTags.insert(select.value(9).toString(), select.value(10).toString());
        const QDateTime tagged = StoreTime::fromStored(select.value(11));
        if (tagged > summary.updatedAt) {
            summary.updatedAt = tagged;
        }
    }
    return summaries;
}

} // namespace

PackageStore::PackageStore(const Database &database)
    : m_database(database)
{
}

Result<Package> PackageStore::insertPackage(const Package &package)
{
    Sql::Statement insert(
        m_database,
        u"INSERT INTO packages (project_id, name, version, status, package_json,"
        " sha1, sha512, size, publisher, publisher_user_id, created_at, updated_at)"
        " VALUES (:project, :name, :version, :status, :json, :sha1, :sha512,"
        " :size, :publisher, :user, :created, :updated)"_s
            % Sql::returningId(m_database));
    insert.bind(u":project"_s, package.projectId)
        .bind(u":name"_s, package.name)
        .bind(u":version"_s, package.version)
        .bind(u":status"_s, int(package.status))
        .bind(u":json"_s, QString::fromUtf8(package.packageJson))
        .bind(u":sha1"_s, package.sha1)
        .bind(u":sha512"_s, package.sha512)
        .bind(u":size"_s, package.size)
        .bind(u":publisher"_s, package.publisher)
        .bind(u":user"_s, package.publisherUserId ? QVariant(package.publisherUserId) : QVariant())
        .bind(u":created"_s, StoreTime::toStored(package.createdAt))
        .bind(u":updated"_s, StoreTime::toStored(package.updatedAt));
    if (!insert.exec()) {
        if (insert.isConstraintViolation()) {
            return Error::conflict(u"Package already exists."_s);
        }
        return insert.error(u"Cannot store %1@%2"_s.arg(package.name, package.version));
    }
    Package created = package;
    created.id = insert.insertedId();
    // Search only: its trigger puts the README into the search index (docs/npm-api.md §11.4).
    if (!package.readme.isEmpty()) {
        Sql::Statement readme(m_database,
                              u"INSERT INTO package_readmes (package_id, readme)"
                              " VALUES (:id, :readme)"_s);
        readme.bind(u":id"_s, created.id).bind(u":readme"_s, package.readme.left(MaxIndexedReadme));
        if (!readme.exec()) {
            return readme.error(
                u"Cannot store the README of %1@%2"_s.arg(package.name, package.version));
        }
    }
    created.readme.clear();
    return created;
}

Result<Package> PackageStore::packageById(qint64 id) const
{
    Sql::Statement select(m_database,
                          u"SELECT "_s % PackageColumns % u" FROM packages WHERE id = :id"_s);
    select.bind(u":id"_s, id);
    if (!select.exec()) {
        return select.error(u"Cannot read package %1"_s.arg(id));
    }
    if (!select.next()) {
        return Error::notFound(u"Package not found"_s);
    }
    return readPackage(select);
}

Result<Package>
PackageStore::packageVersion(qint64 projectId, const QString &name, const QString &version) const
{
    Sql::Statement select(m_database,
                          u"SELECT "_s % PackageColumns
                              % u" FROM packages WHERE project_id = :project AND name = :name"
                                " AND version = :version"_s);
    select.bind(u":project"_s, projectId).bind(u":name"_s, name).bind(u":version"_s, version);
    if (!select.exec()) {
        return select.error(u"Cannot read %1@%2"_s.arg(name, version));
    }
    if (!select.next()) {
        return Error::notFound(u"Package not found"_s);
    }
    return readPackage(select);
}

Result<QList<Package>> PackageStore::packagesInProject(qint64 projectId, const QString &name) const
{
    // The unary + keeps SQLite's planner (no statistics) from reading the rows in order through
    // packages_project_created, every row of the project, to skip sorting the few versions of
    // one name: 42 ms a call in a project of 100,000 packages, against 0.01 ms through
    // packages_project_name_version. PostgreSQL reads `+x` as x.
    Sql::Statement select(m_database,
                          u"SELECT "_s % PackageColumns
                              % u" FROM packages WHERE project_id = :project AND name = :name"
                                " ORDER BY +created_at, +id"_s);
    select.bind(u":project"_s, projectId).bind(u":name"_s, name);
    return readPackages(select);
}

Result<QList<Package>> PackageStore::packagesNamed(const QString &name) const
{
    Sql::Statement select(m_database,
                          u"SELECT "_s % PackageColumns
                              % u" FROM packages WHERE name = :name ORDER BY created_at, id"_s);
    select.bind(u":name"_s, name);
    return readPackages(select);
}

Result<bool> PackageStore::versionExistsUnderRootOf(qint64 projectId,
                                                    const QString &name,
                                                    const QString &version) const
{
    // One statement: up from the project's namespace to its top-level group, then down to
    // every namespace under that group.
    Sql::Statement select(
        m_database,
        u"WITH RECURSIVE up(id, parent_id) AS ("
        " SELECT n.id, n.parent_id FROM namespaces n JOIN projects r ON r.namespace_id = n.id"
        " WHERE r.id = :project"
        " UNION ALL SELECT n.id, n.parent_id FROM namespaces n JOIN up ON n.id = up.parent_id),"
        " tree(id) AS ("
        " SELECT id FROM up WHERE parent_id IS NULL"
        " UNION ALL SELECT n.id FROM namespaces n JOIN tree ON n.parent_id = tree.id)"
        " SELECT 1 FROM packages p JOIN projects r ON r.id = p.project_id"
        " WHERE r.namespace_id IN (SELECT id FROM tree) AND p.project_id <> :project"
        " AND p.name = :name AND p.version = :version LIMIT 1"_s);
    select.bind(u":project"_s, projectId).bind(u":name"_s, name).bind(u":version"_s, version);
    if (!select.exec()) {
        return select.error(u"Cannot look up %1@%2"_s.arg(name, version));
    }
    return select.next();
}

Result<void> PackageStore::updatePackageJson(qint64 packageId,
                                             const QByteArray &packageJson,
                                             PackageStatus status,
                                             const QDateTime &at)
{
    Sql::Statement update(m_database,
                          u"UPDATE packages SET package_json = :json, status = :status,"
                          " updated_at = :at WHERE id = :id"_s);
    update.bind(u":json"_s, QString::fromUtf8(packageJson))
        .bind(u":status"_s, int(status))
        .bind(u":at"_s, StoreTime::toStored(at))
        .bind(u":id"_s, packageId);
    if (!update.exec()) {
        return update.error(u"Cannot update package %1"_s.arg(packageId));
    }
    return {};
}

Result<void> PackageStore::deletePackage(qint64 packageId)
{
    Sql::Statement remove(m_database, u"DELETE FROM packages WHERE id = :id"_s);
    remove.bind(u":id"_s, packageId);
    if (!remove.exec()) {
        return remove.error(u"Cannot delete package %1"_s.arg(packageId));
    }
    return {};
}

Result<bool> PackageStore::blobReferenced(const QString &sha512) const
{
    // A tarball kept by the proxy's cache (docs/proxy.md) lives in the same blob store: the sweep
    // and unpublish must leave it too.
    Sql::Statement select(m_database,
                          u"SELECT 1 WHERE EXISTS (SELECT 1 FROM packages WHERE sha512 = :sha)"
                          " OR EXISTS (SELECT 1 FROM proxy_tarballs WHERE sha512 = :cached)"_s);
    select.bind(u":sha"_s, sha512).bind(u":cached"_s, sha512);
    if (!select.exec()) {
        return select.error(u"Cannot look up a blob"_s);
    }
    return select.next();
}

Result<qint64> PackageStore::packageCount() const
{
    Sql::Statement select(m_database, u"SELECT count(*) FROM packages"_s);
    if (!select.exec() || !select.next()) {
        return select.error(u"Cannot count packages"_s);
    }
    return select.value(0).toLongLong();
}

Result<qint64> PackageStore::packageCountInProject(qint64 projectId) const
{
    Sql::Statement select(m_database,
                          u"SELECT count(*) FROM packages WHERE project_id = :project"_s);
    select.bind(u":project"_s, projectId);
    if (!select.exec() || !select.next()) {
        return select.error(u"Cannot count packages"_s);
    }
    return select.value(0).toLongLong();
}

// Summaries read description and keywords from the search index: current first.
void PackageStore::catchUpSearchIndex() const
{
    if (const Result<void> current = m_database.catchUpSearchIndex(); !current) {
        qCWarning(lcStore).noquote() << current.error().message;
    }
}

Result<QList<PackageSummary>> PackageStore::packageSummaries(SearchText text) const
{
    if (text == SearchText::Current) {
        catchUpSearchIndex();
    }
    Sql::Statement select(
        m_database, SummarySelect.arg(QString(), QString::number(int(PackageStatus::Deprecated))));
    return readSummaries(select);
}

Result<PackageSummary>
PackageStore::packageSummary(qint64 projectId, const QString &name, SearchText text) const
{
    if (text == SearchText::Current) {
        catchUpSearchIndex();
    }
    Sql::Statement select(m_database,
                          SummarySelect.arg(u"WHERE project_id = :project AND name = :name"_s,
                                            QString::number(int(PackageStatus::Deprecated))));
    select.bind(u":project"_s, projectId).bind(u":name"_s, name);
    Result<QList<PackageSummary>> summaries = readSummaries(select);
    if (!summaries) {
        return summaries.error();
    }
    if (summaries->isEmpty()) {
        return Error::notFound(u"Package not found"_s);
    }
    return summaries->takeFirst();
}

Result<void> PackageStore::upsertDistTag(qint64 projectId,
                                         const QString &packageName,
                                         const QString &tag,
                                         qint64 packageId,
                                         const QDateTime &at)
{
    Sql::Statement upsert(
        m_database,
        u"INSERT INTO dist_tags (project_id, package_name, tag, package_id,"
        " updated_at) VALUES (:project, :name, :tag, :package, :at)"
        " ON CONFLICT (project_id, package_name, tag) DO UPDATE"
        " SET package_id = excluded.package_id, updated_at = excluded.updated_at"_s);
    upsert.bind(u":project"_s, projectId)
        .bind(u":name"_s, packageName)
        .bind(u":tag"_s, tag)
        .bind(u":package"_s, packageId)
        .bind(u":at"_s, StoreTime::toStored(at));
    if (!upsert.exec()) {
        return upsert.error(u"Cannot set dist-tag %1"_s.arg(tag));
    }
    return {};
}

Result<void>
PackageStore::deleteDistTag(qint64 projectId, const QString &packageName, const QString &tag)
{
    Sql::Statement remove(m_database,
                          u"DELETE FROM dist_tags WHERE project_id = :project"
                          " AND package_name = :name AND tag = :tag"_s);
    remove.bind(u":project"_s, projectId).bind(u":name"_s, packageName).bind(u":tag"_s, tag);
    if (!remove.exec()) {
        return remove.error(u"Cannot remove dist-tag %1"_s.arg(tag));
    }
    if (remove.numRowsAffected() == 0) {
        return Error::notFound(u"Package tag not found"_s);
    }
    return {};
}

Result<QList<DistTag>> PackageStore::distTags(qint64 projectId, const QString &packageName) const
{
    Sql::Statement select(m_database,
                          TagSelect
                              % u"WHERE t.project_id = :project AND t.package_name = :name"
                                " ORDER BY t.tag"_s);
    select.bind(u":project"_s, projectId).bind(u":name"_s, packageName);
    return readTags(select);
}

Result<QList<DistTag>> PackageStore::distTagsNamed(const QString &packageName) const
{
    Sql::Statement select(
        m_database, TagSelect % u"WHERE t.package_name = :name ORDER BY t.updated_at, t.id"_s);
    select.bind(u":name"_s, packageName);
    return readTags(select);
}

// --- GitLab's Packages API (docs/packages-api.md) ---

namespace {

// A list of ids as one bound JSON array (Sql::idsOf()): the statement's text stays the same for any
// list, so one prepared statement serves every request.
QString idArray(const QList<qint64> &ids)
{
    QStringList parts;
    parts.reserve(ids.size());
    for (const qint64 id : ids) {
        parts.append(QString::number(id));
    }
    return u'[' + parts.join(u',') + u']';
}

// LIKE's wildcards taken literally: GitLab's fuzzy name filter is a plain substring.
QString likePattern(const QString &text)
{
    QString escaped = text;
    escaped.replace(u'\\', u"\\\\"_s).replace(u'%', u"\\%"_s).replace(u'_', u"\\_"_s);
    return u'%' + escaped + u'%';
}

} // namespace

Result<PackageStore::VersionPage> PackageStore::queryVersions(const VersionQuery &query) const
{
    VersionPage page;
    if (query.projectIds.isEmpty() || query.statuses.isEmpty() || query.limit <= 0) {
        return page;
    }
    QList<qint64> statuses;
    for (const PackageStatus status : query.statuses) {
        statuses.append(int(status));
    }
    QString where = u" WHERE p.project_id IN ("_s % Sql::idsOf(m_database, u":projects"_s)
        % u") AND p.status IN ("_s % Sql::idsOf(m_database, u":statuses"_s) % u')';
    if (!query.nameContains.isEmpty()) {
        // SQLite's LIKE ignores ASCII case, as GitLab's ILIKE does.
        where += u" AND p.name "_s % Sql::likeIgnoringCase(m_database) % u" :name ESCAPE '\\'"_s;
    }
    if (!query.version.isEmpty()) {
        where += u" AND p.version = :version"_s;
    }
    const auto bindFilters = [&](Sql::Statement &statement) {
        statement.bind(u":projects"_s, idArray(query.projectIds))
            .bind(u":statuses"_s, idArray(statuses));
        if (!query.nameContains.isEmpty()) {
            statement.bind(u":name"_s, likePattern(query.nameContains));
        }
        if (!query.version.isEmpty()) {
            statement.bind(u":version"_s, query.version);
        }
    };

    // No cap: no limit (Sql::noLimit()).
    Sql::Statement count(m_database,
                         u"SELECT count(*) FROM (SELECT 1 FROM packages p"_s + where
                             + u" LIMIT :cap) AS capped"_s);
    bindFilters(count);
    count.bind(u":cap"_s,
               query.countCap > 0 ? QVariant(query.countCap + 1) : Sql::noLimit(m_database));
    if (!count.exec() || !count.next()) {
        return count.error(u"Cannot count packages"_s);
    }
    page.total = count.value(0).toLongLong();
    count.finish();
    const bool exact = query.countCap <= 0 || page.total <= query.countCap;
    if (page.total == 0 || (exact && page.total <= query.offset)) {
        return page;
    }

    const QString direction = query.descending ? u" DESC"_s : u" ASC"_s;
    QString order;
    switch (query.order) {
    case VersionQuery::Order::CreatedAt:
        order = u"p.created_at"_s + direction;
        break;
    case VersionQuery::Order::Name:
        order = u"p.name"_s + direction;
        break;
    case VersionQuery::Order::Version:
        order = u"p.version"_s + direction;
        break;
    case VersionQuery::Order::Type:
        // Every package here is npm: the type orders nothing, the id breaks the tie.
        order.clear();
        break;
    case VersionQuery::Order::ProjectPath:
        order = u"r.full_path"_s + direction;
        break;
    }
    const QString orderBy = (order.isEmpty() ? QString() : order + u", "_s) + u"p.id"_s + direction;
    // The stored package.json stays out of a list: it is the largest column and no list shows it.
    Sql::Statement select(
        m_database,
        u"SELECT p.id, p.project_id, p.name, p.version, p.status, '', p.sha1, p.sha512, p.size,"
        " p.publisher, p.publisher_user_id, p.created_at, p.updated_at"
        " FROM packages p JOIN projects r ON r.id = p.project_id"_s
            % where % u" ORDER BY "_s % orderBy % u" LIMIT :limit OFFSET :offset"_s);
    bindFilters(select);
    // One row more than the page: whether another page follows, without counting.
    select.bind(u":limit"_s, query.limit + 1).bind(u":offset"_s, query.offset);
    Result<QList<Package>> packages = readPackages(select);
    if (!packages) {
        return packages.error();
    }
    page.more = packages->size() > query.limit;
    if (page.more) {
        packages->removeLast();
    }
    page.packages = std::move(*packages);
    return page;
}

Result<QList<PackageStore::TagRow>>
PackageStore::tagsOfPackages(const QList<qint64> &packageIds) const
{
    QList<TagRow> rows;
    if (packageIds.isEmpty()) {
        return rows;
    }
    Sql::Statement select(m_database,
                          u"SELECT id, package_id, tag, updated_at FROM dist_tags"
                          " WHERE package_id IN ("_s
                              % Sql::idsOf(m_database, u":ids"_s) % u") ORDER BY tag"_s);
    select.bind(u":ids"_s, idArray(packageIds));
    if (!select.exec()) {
        return select.error(u"Cannot read dist-tags"_s);
    }
    while (select.next()) {
        TagRow row;
        row.id = select.value(0).toLongLong();
        row.packageId = select.value(1).toLongLong();
        row.name = select.value(2).toString();
        row.updatedAt = StoreTime::fromStored(select.value(3));
        rows.append(std::move(row));
    }
    return rows;
}

// --- end of the Packages API block ---

DownloadUsage::DownloadUsage()
    : m_lastFlushMs(QDateTime::currentMSecsSinceEpoch())
{
}

void DownloadUsage::record(qint64 packageId, const QDateTime &at)
{
    const QMutexLocker locker(&m_mutex);
    QDateTime &entry = m_pending[packageId];
    if (!entry.isValid() || entry < at) {
        entry = at;
    }
}

QDateTime DownloadUsage::newest(qint64 packageId, const QDateTime &stored) const
{
    const QMutexLocker locker(&m_mutex);
    const QDateTime inMemory = m_pending.value(packageId);
    return inMemory.isValid() && (!stored.isValid() || stored < inMemory) ? inMemory : stored;
}

QHash<qint64, QDateTime> DownloadUsage::pending() const
{
    const QMutexLocker locker(&m_mutex);
    return m_pending;
}

bool DownloadUsage::flushDue() const
{
    const QMutexLocker locker(&m_mutex);
    return !m_pending.isEmpty()
        && QDateTime::currentMSecsSinceEpoch() - m_lastFlushMs >= m_flushIntervalMs;
}

void DownloadUsage::markWritten(const QHash<qint64, QDateTime> &written)
{
    const QMutexLocker locker(&m_mutex);
    m_lastFlushMs = QDateTime::currentMSecsSinceEpoch();
    for (auto it = written.cbegin(); it != written.cend(); ++it) {
        // A download recorded while the flush ran is newer and still has to be written.
        const auto entry = m_pending.find(it.key());
        if (entry != m_pending.end() && *entry == it.value()) {
            m_pending.erase(entry);
        }
    }
}

void PackageStore::recordDownload(qint64 packageId) const
{
    DownloadUsage &usage = m_database.downloadUsage();
    usage.record(packageId, StoreTime::now());
    if (!usage.flushDue()) {
        return;
    }
    // Best effort: a busy write lock or a failure must not refuse or hold the download; the
    // times stay recorded for the next flush.
    if (const Result<int> flushed = flushDownloads(Database::LockWait::No);
        !flushed && flushed.error().code != Error::Code::Conflict) {
        qCWarning(lcStore).noquote() << "Download times not recorded:" << flushed.error().message;
    }
}

Result<int> PackageStore::flushDownloads(Database::LockWait wait) const
{
    DownloadUsage &usage = m_database.downloadUsage();
    std::unique_lock<QMutex> flushing(usage.flushLock(), std::defer_lock);
    if (wait == Database::LockWait::Yes) {
        flushing.lock();
    } else if (!flushing.try_lock()) {
        return Error::conflict(u"Another thread is writing the download times"_s);
    }
    const QHash<qint64, QDateTime> downloads = usage.pending();
    if (downloads.isEmpty()) {
        return 0;
    }
    const Result<void> written = m_database.writeQuietly(
        [this, &downloads]() -> Result<void> {
            for (auto it = downloads.cbegin(); it != downloads.cend(); ++it) {
                // Newest wins: another process may have written a later download. A version
                // unpublished since is no row any more, and nothing is written for it.
                Sql::Statement update(
                    m_database,
                    u"UPDATE packages SET last_downloaded_at = "_s
                        % Sql::greatest(m_database, u"coalesce(last_downloaded_at, 0)"_s, u":at"_s)
                        % u" WHERE id = :id"_s);
                update.bind(u":at"_s, StoreTime::toStored(it.value())).bind(u":id"_s, it.key());
                if (!update.exec()) {
                    return update.error(
                        u"Cannot record the download of package %1"_s.arg(it.key()));
                }
            }
            return {};
        },
        wait);
    if (!written) {
        return written.error();
    }
    usage.markWritten(downloads);
    return int(downloads.size());
}

Result<QHash<qint64, QDateTime>> PackageStore::lastDownloads(const QList<qint64> &packageIds) const
{
    QHash<qint64, QDateTime> times;
    if (packageIds.isEmpty()) {
        return times;
    }
    // One statement for any number of ids: the list goes in as one JSON array.
    QJsonArray ids;
    for (const qint64 id : packageIds) {
        ids.append(id);
    }
    Sql::Statement select(m_database,
                          u"SELECT id, last_downloaded_at FROM packages WHERE id IN ("_s
                              % Sql::idsOf(m_database, u":ids"_s) % u')');
    select.bind(u":ids"_s, QString::fromUtf8(QJsonDocument(ids).toJson(QJsonDocument::Compact)));
    if (!select.exec()) {
        return select.error(u"Cannot read download times"_s);
    }
    const DownloadUsage &usage = m_database.downloadUsage();
    while (select.next()) {
        const qint64 id = select.value(0).toLongLong();
        const QDateTime at = usage.newest(id, StoreTime::fromStored(select.value(1)));
        if (at.isValid()) {
            times.insert(id, at);
        }
    }
    return times;
}

QString PackageStore::downloadKey(qint64 projectId, const QString &name)
{
    return QString::number(projectId) % u'/' % name;
}

Result<QHash<QString, QDateTime>> PackageStore::lastDownloadsByName() const
{
    QHash<QString, QDateTime> times;
    const auto merge = [&times](const QString &key, const QDateTime &at) {
        QDateTime &entry = times[key];
        if (!entry.isValid() || entry < at) {
            entry = at;
        }
    };
    Sql::Statement select(m_database,
                          u"SELECT project_id, name, max(last_downloaded_at) FROM packages"
                          " WHERE last_downloaded_at IS NOT NULL GROUP BY project_id, name"_s);
    if (!select.exec()) {
        return select.error(u"Cannot read download times"_s);
    }
    while (select.next()) {
        merge(downloadKey(select.value(0).toLongLong(), select.value(1).toString()),
              StoreTime::fromStored(select.value(2)));
    }
    // Downloads not yet written: few, one flush interval's worth.
    const QHash<qint64, QDateTime> pending = m_database.downloadUsage().pending();
    if (pending.isEmpty()) {
        return times;
    }
    QJsonArray ids;
    for (auto it = pending.cbegin(); it != pending.cend(); ++it) {
        ids.append(it.key());
    }
    Sql::Statement names(m_database,
                         u"SELECT id, project_id, name FROM packages WHERE id IN ("_s
                             % Sql::idsOf(m_database, u":ids"_s) % u')');
    names.bind(u":ids"_s, QString::fromUtf8(QJsonDocument(ids).toJson(QJsonDocument::Compact)));
    if (!names.exec()) {
        return names.error(u"Cannot read download times"_s);
    }
    while (names.next()) {
        merge(downloadKey(names.value(1).toLongLong(), names.value(2).toString()),
              pending.value(names.value(0).toLongLong()));
    }
    return times;
}

} // namespace Trove
