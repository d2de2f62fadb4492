// SPDX-License-Identifier: GPL-3.0-or-later
#include "model/store/proxystore.h"

#include "model/blobstore.h"
#include "model/store/packagestore.h"
#include "model/store/sql.h"
#include "model/store/time.h"

#include <QHash>
#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace Trove {

namespace {

ProxyStore::Tarball tarballFrom(const Sql::Statement &select)
{
    ProxyStore::Tarball tarball;
    tarball.sha512 = select.value(0).toString();
    tarball.name = select.value(1).toString();
    tarball.version = select.value(2).toString();
    tarball.size = select.value(3).toLongLong();
    tarball.sourceUrl = select.value(4).toString();
    tarball.fetchedAt = StoreTime::fromStored(select.value(5));
    tarball.accessedAt = StoreTime::fromStored(select.value(6));
    return tarball;
}

const QString TarballColumns =
    u"sha512, name, version, size, source_url, fetched_at, accessed_at"_s;

// The "dist-tags" object at the top level of a compact package document's head; empty when the
// head does not hold it. Tag names and versions hold no braces, so its end is the next '}'.
QMap<QString, QString> distTagsOfHead(const QByteArray &head)
{
    static const QByteArray key = QByteArrayLiteral("\"dist-tags\":{");
    qsizetype from = 0;
    while ((from = head.indexOf(key, from)) >= 0) {
        // Inside a string (a readme quoting a document) the quote is escaped.
        if (from == 0 || head.at(from - 1) != '\\') {
            break;
        }
        from += key.size();
    }
    if (from < 0) {
        return {};
    }
    const qsizetype open = from + key.size() - 1;
    const qsizetype close = head.indexOf('}', open);
    if (close < 0) {
        return {};
    }
    const QJsonObject tags = QJsonDocument::fromJson(head.mid(open, close - open + 1)).object();
    QMap<QString, QString> distTags;
    for (auto it = tags.constBegin(); it != tags.constEnd(); ++it) {
        if (it->isString()) {
            distTags.insert(it.key(), it->toString());
        }
    }
    return distTags;
}

// Counts a write that changes what cachedPackages() returns (a document kept, renewed or
// removed, a tarball kept or removed), in the same quiet transaction: proxy writes leave the
// change stamp alone, so this counter is how a window learns that its list of cached packages
// is out of date without reading that list again (ProxyStore::changes()).
Result<void> countChange(const Database &database)
{
    Sql::Statement upsert(database,
                          u"INSERT INTO proxy_counters (name, value) VALUES ('changes', 1)"
                          " ON CONFLICT (name) DO UPDATE SET value = proxy_counters.value + 1"_s);
    if (!upsert.exec()) {
        return upsert.error(u"Cannot count a change of the proxy cache"_s);
    }
    return {};
}

} // namespace

ProxyStore::ProxyStore(const Database &database)
    : m_database(database)
{
}

Result<std::optional<ProxyStore::Document>> ProxyStore::document(const QString &name) const
{
    Sql::Statement select(m_database,
                          u"SELECT upstream, status, etag, body, fetched_at, accessed_at"
                          " FROM proxy_documents WHERE name = :name"_s);
    select.bind(u":name"_s, name);
    if (!select.exec()) {
        return select.error(u"Cannot read the kept document of %1"_s.arg(name));
    }
    if (!select.next()) {
        return std::optional<Document>();
    }
    Document document;
    document.name = name;
    document.upstream = select.value(0).toString();
    document.status = select.value(1).toInt();
    document.etag = select.value(2).toByteArray();
    document.body = select.value(3).toByteArray();
    document.fetchedAt = StoreTime::fromStored(select.value(4));
    document.accessedAt = StoreTime::fromStored(select.value(5));
    return std::optional<Document>(std::move(document));
}

Result<void> ProxyStore::putDocument(const Document &document)
{
    return m_database.writeQuietly(
        [&] {
            Sql::Statement upsert(
                m_database,
                u"INSERT INTO proxy_documents (name, upstream, status, etag, body, size,"
                " fetched_at, accessed_at) VALUES (:name, :upstream, :status, :etag, :body,"
                " :size, :fetched, :accessed) ON CONFLICT (name) DO UPDATE SET"
                " upstream = excluded.upstream, status = excluded.status, etag = excluded.etag,"
                " body = excluded.body, size = excluded.size, fetched_at = excluded.fetched_at,"
                " accessed_at = excluded.accessed_at"_s);
            upsert.bind(u":name"_s, document.name)
                .bind(u":upstream"_s, document.upstream)
                .bind(u":status"_s, document.status)
                .bind(u":etag"_s,
                      document.etag.isEmpty() ? QVariant()
                                              : QVariant(QString::fromLatin1(document.etag)))
                .bind(u":body"_s, document.body)
                .bind(u":size"_s, qint64(document.body.size()))
                .bind(u":fetched"_s, StoreTime::toStored(document.fetchedAt))
                .bind(u":accessed"_s,
                      StoreTime::toStored(document.accessedAt.isValid() ? document.accessedAt
                                                                        : document.fetchedAt));
            if (!upsert.exec()) {
                return Result<void>(
                    upsert.error(u"Cannot keep the document of %1"_s.arg(document.name)));
            }
            return countChange(m_database);
        },
        Database::LockWait::Yes);
}

Result<void> ProxyStore::touchDocument(const QString &name, const QDateTime &fetchedAt)
{
    return m_database.writeQuietly(
        [&] {
            Sql::Statement update(m_database,
                                  u"UPDATE proxy_documents SET fetched_at = :fetched,"
                                  " accessed_at = :fetched WHERE name = :name"_s);
            update.bind(u":name"_s, name).bind(u":fetched"_s, StoreTime::toStored(fetchedAt));
            if (!update.exec()) {
                return Result<void>(update.error(u"Cannot renew the document of %1"_s.arg(name)));
            }
            return countChange(m_database);
        },
        Database::LockWait::Yes);
}

Result<std::optional<ProxyStore::Tarball>> ProxyStore::tarball(const QString &name,
                                                               const QString &version) const
{
    Sql::Statement select(m_database,
                          u"SELECT "_s + TarballColumns
                              + u" FROM proxy_tarballs WHERE name = :name AND version = :version"
                                " LIMIT 1"_s);
    select.bind(u":name"_s, name).bind(u":version"_s, version);
    if (!select.exec()) {
        return select.error(u"Cannot read the kept tarball of %1@%2"_s.arg(name, version));
    }
    if (!select.next()) {
        return std::optional<Tarball>();
    }
    return std::optional<Tarball>(tarballFrom(select));
}

Result<void> ProxyStore::putTarball(const Tarball &tarball)
{
    return m_database.writeQuietly(
        [&] {
            Sql::Statement upsert(
                m_database,
                u"INSERT INTO proxy_tarballs (sha512, name, version, size, source_url,"
                " fetched_at, accessed_at) VALUES (:sha, :name, :version, :size, :url, :fetched,"
                " :fetched) ON CONFLICT (sha512) DO UPDATE SET name = excluded.name,"
                " version = excluded.version, source_url = excluded.source_url,"
                " fetched_at = excluded.fetched_at, accessed_at = excluded.accessed_at"_s);
            upsert.bind(u":sha"_s, tarball.sha512)
                .bind(u":name"_s, tarball.name)
                .bind(u":version"_s, tarball.version)
                .bind(u":size"_s, tarball.size)
                .bind(u":url"_s, tarball.sourceUrl)
                .bind(u":fetched"_s, StoreTime::toStored(tarball.fetchedAt));
            if (!upsert.exec()) {
                return Result<void>(upsert.error(
                    u"Cannot keep the tarball of %1@%2"_s.arg(tarball.name, tarball.version)));
            }
            return countChange(m_database);
        },
        Database::LockWait::Yes);
}

Result<bool> ProxyStore::tarballKept(const QString &sha512) const
{
    Sql::Statement select(m_database,
                          u"SELECT 1 FROM proxy_tarballs WHERE sha512 = :sha LIMIT 1"_s);
    select.bind(u":sha"_s, sha512);
    if (!select.exec()) {
        return select.error(u"Cannot look up a kept tarball"_s);
    }
    return select.next();
}

Result<void> ProxyStore::recordAccesses(const QList<QPair<QString, QDateTime>> &tarballAccesses,
                                        const QList<QPair<QString, QDateTime>> &documentAccesses)
{
    if (tarballAccesses.isEmpty() && documentAccesses.isEmpty()) {
        return {};
    }
    return m_database.writeQuietly(
        [&] {
            for (const auto &[sha512, at] : tarballAccesses) {
                Sql::Statement update(m_database,
                                      u"UPDATE proxy_tarballs SET accessed_at = :at"
                                      " WHERE sha512 = :sha AND accessed_at < :at"_s);
                update.bind(u":sha"_s, sha512).bind(u":at"_s, StoreTime::toStored(at));
                if (!update.exec()) {
                    return Result<void>(update.error(u"Cannot record tarball accesses"_s));
                }
            }
            for (const auto &[name, at] : documentAccesses) {
                Sql::Statement update(m_database,
                                      u"UPDATE proxy_documents SET accessed_at = :at"
                                      " WHERE name = :name AND accessed_at < :at"_s);
                update.bind(u":name"_s, name).bind(u":at"_s, StoreTime::toStored(at));
                if (!update.exec()) {
                    return Result<void>(update.error(u"Cannot record document accesses"_s));
                }
            }
            return Result<void>();
        },
        Database::LockWait::Yes);
}

Result<void> ProxyStore::addCounts(qint64 hits, qint64 misses)
{
    if (hits == 0 && misses == 0) {
        return {};
    }
    return m_database.writeQuietly(
        [&] {
            for (const auto &[name, count] :
                 {qMakePair(u"hits"_s, hits), qMakePair(u"misses"_s, misses)}) {
                Sql::Statement upsert(
                    m_database,
                    u"INSERT INTO proxy_counters (name, value) VALUES (:name, :n)"
                    " ON CONFLICT (name) DO UPDATE SET value = proxy_counters.value + excluded.value"_s);
                upsert.bind(u":name"_s, name).bind(u":n"_s, count);
                if (!upsert.exec()) {
                    return Result<void>(upsert.error(u"Cannot count proxy answers"_s));
                }
            }
            return Result<void>();
        },
        Database::LockWait::Yes);
}

Result<QPair<qint64, qint64>> ProxyStore::counts() const
{
    Sql::Statement select(m_database, u"SELECT name, value FROM proxy_counters"_s);
    if (!select.exec()) {
        return select.error(u"Cannot read the proxy's counts"_s);
    }
    QPair<qint64, qint64> counts(0, 0);
    while (select.next()) {
        if (select.value(0).toString() == u"hits"_s) {
            counts.first = select.value(1).toLongLong();
        } else if (select.value(0).toString() == u"misses"_s) {
            counts.second = select.value(1).toLongLong();
        }
    }
    return counts;
}

Result<qint64> ProxyStore::changes() const
{
    Sql::Statement select(m_database, u"SELECT value FROM proxy_counters WHERE name = 'changes'"_s);
    if (!select.exec()) {
        return select.error(u"Cannot read the proxy cache's count of changes"_s);
    }
    return select.next() ? select.value(0).toLongLong() : qint64(0);
}

Result<ProxyStore::Totals> ProxyStore::totals() const
{
    Totals totals;
    {
        Sql::Statement select(m_database,
                              u"SELECT count(*), coalesce(sum(size), 0) FROM proxy_tarballs"_s);
        if (!select.exec() || !select.next()) {
            return select.error(u"Cannot count kept tarballs"_s);
        }
        totals.tarballs = select.value(0).toLongLong();
        totals.tarballBytes = select.value(1).toLongLong();
    }
    Sql::Statement select(m_database,
                          u"SELECT count(*), coalesce(sum(size), 0),"
                          " coalesce(sum(CASE WHEN status = 200 THEN 1 ELSE 0 END), 0)"
                          " FROM proxy_documents"_s);
    if (!select.exec() || !select.next()) {
        return select.error(u"Cannot count kept documents"_s);
    }
    totals.documents = select.value(0).toLongLong();
    totals.documentBytes = select.value(1).toLongLong();
    totals.packages = select.value(2).toLongLong();
    return totals;
}

Result<QList<ProxyStore::CachedPackage>> ProxyStore::cachedPackages() const
{
    // Subqueries rather than a join and GROUP BY: one row per document on SQLite and
    // PostgreSQL alike, and the body (which may be megabytes) is never read.
    Sql::Statement select(
        m_database,
        u"SELECT d.name, d.upstream, d.fetched_at, d.size,"
        " (SELECT count(*) FROM proxy_tarballs t WHERE t.name = d.name),"
        " (SELECT coalesce(sum(t.size), 0) FROM proxy_tarballs t WHERE t.name = d.name),"
        " (SELECT max(t.fetched_at) FROM proxy_tarballs t WHERE t.name = d.name)"
        " FROM proxy_documents d WHERE d.status = 200 ORDER BY d.name"_s);
    if (!select.exec()) {
        return select.error(u"Cannot list the cached packages"_s);
    }
    QList<CachedPackage> packages;
    while (select.next()) {
        CachedPackage package;
        package.name = select.value(0).toString();
        package.upstream = select.value(1).toString();
        package.fetchedAt = StoreTime::fromStored(select.value(2));
        package.tarballs = select.value(4).toInt();
        package.bytes = select.value(3).toLongLong() + select.value(5).toLongLong();
        if (!select.value(6).isNull()) {
            package.fetchedAt = std::max(package.fetchedAt, StoreTime::fromStored(select.value(6)));
        }
        packages.append(package);
    }
    // The dist-tags, for the list's Latest and Tags columns: from the head of each document only
    // (compact JSON with sorted keys puts "dist-tags" near the start), never the whole body.
    Sql::Statement heads(m_database,
                         u"SELECT name, substr(body, 1, 65536) FROM proxy_documents"
                         " WHERE status = 200"_s);
    if (!heads.exec()) {
        return heads.error(u"Cannot list the cached packages"_s);
    }
    QHash<QString, qsizetype> rows;
    for (qsizetype i = 0; i < packages.size(); ++i) {
        rows.insert(packages.at(i).name, i);
    }
    while (heads.next()) {
        if (const auto row = rows.constFind(heads.value(0).toString()); row != rows.cend()) {
            packages[*row].distTags = distTagsOfHead(heads.value(1).toByteArray());
        }
    }
    return packages;
}

Result<QList<ProxyStore::Tarball>> ProxyStore::leastRecentlyUsed(qint64 bytes) const
{
    Sql::Statement select(m_database,
                          u"SELECT "_s + TarballColumns
                              + u" FROM proxy_tarballs ORDER BY accessed_at, sha512"_s);
    if (!select.exec()) {
        return select.error(u"Cannot list kept tarballs"_s);
    }
    QList<Tarball> oldest;
    qint64 sum = 0;
    while (sum < bytes && select.next()) {
        oldest.append(tarballFrom(select));
        sum += oldest.last().size;
    }
    return oldest;
}

Result<void> ProxyStore::removeTarball(const QString &sha512)
{
    return m_database.writeQuietly(
        [&] {
            Sql::Statement remove(m_database, u"DELETE FROM proxy_tarballs WHERE sha512 = :sha"_s);
            remove.bind(u":sha"_s, sha512);
            if (!remove.exec()) {
                return Result<void>(remove.error(u"Cannot remove a kept tarball"_s));
            }
            return countChange(m_database);
        },
        Database::LockWait::Yes);
}

Result<QStringList> ProxyStore::clear(const QString &name)
{
    QStringList removed;
    const Result<void> written = m_database.writeQuietly(
        [&] {
            const QString where = name.isEmpty() ? QString() : u" WHERE name = :name"_s;
            Sql::Statement select(m_database, u"SELECT sha512 FROM proxy_tarballs"_s + where);
            if (!name.isEmpty()) {
                select.bind(u":name"_s, name);
            }
            if (!select.exec()) {
                return Result<void>(select.error(u"Cannot list kept tarballs"_s));
            }
            while (select.next()) {
                removed.append(select.value(0).toString());
            }
            select.finish();
            if (name.isEmpty()) {
                // The hit ratio starts again; the count of changes goes on.
                Sql::Statement reset(
                    m_database, u"DELETE FROM proxy_counters WHERE name IN ('hits', 'misses')"_s);
                if (!reset.exec()) {
                    return Result<void>(reset.error(u"Cannot clear the proxy cache"_s));
                }
            }
            for (const QString &table : {u"proxy_tarballs"_s, u"proxy_documents"_s}) {
                Sql::Statement remove(m_database, u"DELETE FROM "_s + table + where);
                if (!name.isEmpty()) {
                    remove.bind(u":name"_s, name);
                }
                if (!remove.exec()) {
                    return Result<void>(remove.error(u"Cannot clear the proxy cache"_s));
                }
            }
            return countChange(m_database);
        },
        Database::LockWait::Yes);
    if (!written) {
        return written.error();
    }
    return removed;
}

Result<int> ProxyStore::clearWithBlobs(const QString &name, BlobStore &blobs)
{
    const Result<QStringList> removed = clear(name);
    if (!removed) {
        return removed.error();
    }
    const PackageStore packages(m_database);
    for (const QString &sha512 : *removed) {
        // A blob a published package shares stays; a failed removal leaves an orphan for the
        // sweep, not a broken row.
        const Result<bool> published = packages.blobReferenced(sha512);
        if (published && !*published) {
            (void)blobs.remove(sha512);
        }
    }
    return int(removed->size());
}

} // namespace Trove
