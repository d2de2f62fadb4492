// SPDX-License-Identifier: GPL-3.0-or-later
#include "model/storecopy.h"

#include "model/blobstore.h"
#include "model/store/database.h"
#include "model/store/pgschema.h"
#include "model/store/sql.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QSaveFile>
#include <QSet>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>

#include <atomic>

using namespace Qt::StringLiterals;

namespace Trove {

namespace {

constexpr qint64 ReadBufferSize = 1024 * 1024;

// A table the copy carries over, in dependency order: every table comes after the ones its
// foreign keys name. `orderBy` is its key, so that rows go in the order they were made (a group
// after its parent group).
struct CopiedTable
{
    QString name;
    QString orderBy;
    bool identity; // an `id` column PostgreSQL numbers from a sequence
};

const QList<CopiedTable> &copiedTables()
{
    static const QList<CopiedTable> tables = {
        {u"settings"_s, u"key"_s, false},
        {u"users"_s, u"id"_s, true},
        {u"namespaces"_s, u"id"_s, true},
        {u"projects"_s, u"id"_s, true},
        {u"memberships"_s, u"id"_s, true},
        {u"personal_access_tokens"_s, u"id"_s, true},
        {u"deploy_tokens"_s, u"id"_s, true},
        {u"job_tokens"_s, u"id"_s, true},
        {u"packages"_s, u"id"_s, true},
        {u"dist_tags"_s, u"id"_s, true},
        {u"package_readmes"_s, u"package_id"_s, false},
        {u"namespace_package_settings"_s, u"namespace_id"_s, false},
        {u"protection_rules"_s, u"id"_s, true},
        {u"proxy_documents"_s, u"name"_s, false},
        {u"proxy_tarballs"_s, u"sha512"_s, false},
        {u"proxy_counters"_s, u"name"_s, false},
    };
    return tables;
}

// Tables that are not copied: each store keeps its own (the schema version and blob layout in
// meta, PostgreSQL's change stamp), or its triggers build them from the copied rows (the search
// index, SQLite's FTS5 table and its shadow tables).
bool isDerived(const QString &table)
{
    return table == u"meta"_s || table == u"change_stamp"_s || table.startsWith(u"package_search"_s)
        || table.startsWith(u"sqlite_"_s);
}

bool isPostgres(const QSqlDatabase &db)
{
    return db.driverName() == u"QPSQL"_s;
}

Error queryError(const QSqlQuery &query, const QString &what)
{
    return Error::storage(what + u": "_s + query.lastError().text());
}

// The tables of the connection's store (its schema on PostgreSQL).
Result<QStringList> tablesOf(const QSqlDatabase &db)
{
    QSqlQuery query(db);
    const QString sql = isPostgres(db)
        ? u"SELECT table_name FROM information_schema.tables"
          " WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"_s
        : u"SELECT name FROM sqlite_master WHERE type = 'table'"_s;
    if (!query.exec(sql)) {
        return queryError(query, u"Cannot list the tables"_s);
    }
    QStringList tables;
    while (query.next()) {
        tables.append(query.value(0).toString());
    }
    return tables;
}

// A table's column names, in the store's order.
Result<QStringList> columnsOf(const QSqlDatabase &db, const QString &table)
{
    QSqlQuery query(db);
    const bool ok = isPostgres(db)
        ? query.prepare(u"SELECT column_name FROM information_schema.columns"
                        " WHERE table_schema = current_schema() AND table_name = ?"
                        " ORDER BY ordinal_position"_s)
        : query.prepare(u"SELECT name FROM pragma_table_info(?) ORDER BY cid"_s);
    if (ok) {
        query.addBindValue(table);
    }
    if (!ok || !query.exec()) {
        return queryError(query, u"Cannot list the columns of %1"_s.arg(table));
    }
    QStringList columns;
    while (query.next()) {
        columns.append(query.value(0).toString());
    }
    return columns;
}

// Every table the store has is either copied or derived: a table added by a later migration and
// not listed here would otherwise be left behind without a word.
Result<void> checkTablesKnown(const QSqlDatabase &db, const QString &display)
{
    const Result<QStringList> tables = tablesOf(db);
    if (!tables) {
        return tables.error();
    }
    QSet<QString> copied;
    for (const CopiedTable &table : copiedTables()) {
        copied.insert(table.name);
    }
    for (const QString &table : *tables) {
        if (!copied.contains(table) && !isDerived(table)) {
            return Error::invalid(
                u"%1 has a table this Trove cannot copy: %2"_s.arg(display, table));
        }
    }
    for (const CopiedTable &table : copiedTables()) {
        if (!tables->contains(table.name)) {
            return Error::invalid(u"%1 has no table %2"_s.arg(display, table.name));
        }
    }
    return {};
}

Result<qint64> countRows(const QSqlDatabase &db, const QString &table)
{
    QSqlQuery query(db);
    if (!query.exec(u"SELECT count(*) FROM "_s + table) || !query.next()) {
        return queryError(query, u"Cannot count the rows of %1"_s.arg(table));
    }
    return query.value(0).toLongLong();
}

// The source's own connection, removed when this goes (after every query on it is gone).
class SourceConnection final
{
public:
    SourceConnection()
    {
        static std::atomic<quint64> s_next{1};
        m_name = u"trove-copy-source-%1"_s.arg(s_next++);
    }
    ~SourceConnection()
    {
        if (QSqlDatabase::contains(m_name)) {
            {
                QSqlDatabase db = QSqlDatabase::database(m_name, false);
                if (db.isOpen()) {
                    QSqlQuery(db).exec(u"ROLLBACK"_s);
                }
                db.close();
            }
            QSqlDatabase::removeDatabase(m_name);
        }
    }
    SourceConnection(const SourceConnection &) = delete;
    SourceConnection &operator=(const SourceConnection &) = delete;

    // Read-only, in a transaction: every read sees one snapshot, whatever a server on the
    // source commits meanwhile.
    Result<void> open(const StoreEndpoint &from)
    {
        if (from.store.isEmpty()) {
            const QString file = QDir(from.dataDir).filePath(u"trove.sqlite"_s);
            if (!QFileInfo::exists(file)) {
                return Error::notFound(u"No store in %1 (no trove.sqlite)"_s.arg(from.dataDir));
            }
            QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, m_name);
            db.setDatabaseName(file);
            db.setConnectOptions(u"QSQLITE_OPEN_READONLY;QSQLITE_BUSY_TIMEOUT=30000"_s);
            if (!db.open()) {
                return Error::storage(u"Cannot open %1: %2"_s.arg(file, db.lastError().text()));
            }
            QSqlQuery begin(db);
            // A deferred transaction takes its snapshot at the first read.
            if (!begin.exec(u"BEGIN"_s)) {
                return queryError(begin, u"Cannot read %1"_s.arg(file));
            }
            return {};
        }
        const Result<Pg::Location> location = Pg::parseUrl(from.store);
        if (!location) {
            return location.error();
        }
        QSqlDatabase::addDatabase(u"QPSQL"_s, m_name);
        if (const QString failure = Pg::openConnection(*location, m_name); !failure.isEmpty()) {
            return Error::storage(failure);
        }
        QSqlQuery begin(QSqlDatabase::database(m_name, false));
        if (!begin.exec(u"BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"_s)) {
            return queryError(begin, u"Cannot read %1"_s.arg(location->display()));
        }
        return {};
    }

    QSqlDatabase database() const { return QSqlDatabase::database(m_name, false); }

private:
    QString m_name;
};

// The source's schema must be this Trove's: its tables then have the columns the target's have.
Result<void> checkSchemaVersion(const QSqlDatabase &db, const QString &display)
{
    QSqlQuery query(db);
    if (!query.exec(u"SELECT value FROM meta WHERE key = 'schema_version'"_s)) {
        return Error::invalid(
            u"%1 is not a Trove store: %2"_s.arg(display, query.lastError().text()));
    }
    const int version = query.next() ? query.value(0).toInt() : 0;
    const int current = isPostgres(db) ? Pg::schemaVersion() : Database::schemaVersion();
    if (version != current) {
        return Error::invalid(
            u"%1 has schema version %2, this Trove's is %3: open it once with this Trove"
            " (trove check) before copying it"_s.arg(display)
                .arg(version)
                .arg(current));
    }
    return {};
}

// One blob a row names, and the first row that names it (for messages).
struct BlobRef
{
    QString sha512;
    qint64 size = 0;
    QString owner; // "name@version"
};

Result<QList<BlobRef>> blobRefs(const QSqlDatabase &db)
{
    QList<BlobRef> refs;
    QHash<QString, qsizetype> seen;
    for (const QString &table : {u"packages"_s, u"proxy_tarballs"_s}) {
        QSqlQuery query(db);
        query.setForwardOnly(true);
        if (!query.exec(
                u"SELECT sha512, size, name, version FROM %1 ORDER BY sha512"_s.arg(table))) {
            return queryError(query, u"Cannot read the blob digests of %1"_s.arg(table));
        }
        while (query.next()) {
            const QString digest = query.value(0).toString().toLower();
            const qint64 size = query.value(1).toLongLong();
            const QString owner = query.value(2).toString() + u'@' + query.value(3).toString();
            if (!BlobStore::isDigest(digest)) {
                return Error::invalid(
                    u"The row of %1 names no SHA-512 digest: %2"_s.arg(owner, digest));
            }
            if (const auto it = seen.constFind(digest); it != seen.cend()) {
                if (refs.at(*it).size != size) {
                    return Error::invalid(u"%1 and %2 name blob %3 with different sizes"_s.arg(
                        refs.at(*it).owner, owner, digest));
                }
                continue;
            }
            seen.insert(digest, refs.size());
            refs.append({digest, size, owner});
        }
    }
    return refs;
}

// Reads `path` in pieces, writing each to `out` when given; checks size and SHA-512 against the
// row's.
Result<void> verifyBlob(const BlobRef &blob, const QString &path, QIODevice *out)
{
    QFile file(path);
    if (!file.exists()) {
        return Error::notFound(u"The blob of %1 is missing: %2"_s.arg(blob.owner, path));
    }
    if (!file.open(QIODevice::ReadOnly)) {
        return Error::storage(
            u"The blob of %1 cannot be read: %2 (%3)"_s.arg(blob.owner, path, file.errorString()));
    }
    QCryptographicHash hash(QCryptographicHash::Sha512);
    QByteArray buffer(ReadBufferSize, Qt::Uninitialized);
    qint64 total = 0;
    for (;;) {
        const qint64 read = file.read(buffer.data(), buffer.size());
        if (read < 0) {
            return Error::storage(u"The blob of %1 cannot be read: %2 (%3)"_s.arg(
                blob.owner, path, file.errorString()));
        }
        if (read == 0) {
            break;
        }
        hash.addData(QByteArrayView(buffer.constData(), read));
        if (out && out->write(buffer.constData(), read) != read) {
            return Error::storage(
                u"Cannot write the blob of %1: %2"_s.arg(blob.owner, out->errorString()));
        }
        total += read;
    }
    if (total != blob.size) {
        return Error::invalid(
            u"The blob of %1 is damaged: %2 bytes, the row says %3 (%4)"_s.arg(blob.owner)
                .arg(total)
                .arg(blob.size)
                .arg(path));
    }
    const QString digest = QString::fromLatin1(hash.result().toHex());
    if (digest != blob.sha512) {
        return Error::invalid(u"The blob of %1 is damaged: its SHA-512 is not the row's (%2)"_s.arg(
            blob.owner, path));
    }
    return {};
}

QString canonical(const QString &dir)
{
    const QString path = QFileInfo(dir).canonicalFilePath();
    return path.isEmpty() ? QDir(dir).absolutePath() : path;
}

// Removes the blobs a failed copy wrote, so that the target is as it was.
struct WrittenBlobs
{
    QStringList paths;
    bool keep = false;
    ~WrittenBlobs()
    {
        if (!keep) {
            for (const QString &path : std::as_const(paths)) {
                QFile::remove(path);
            }
        }
    }
};

Result<void> copyBlobs(const QList<BlobRef> &refs,
                       const StoreEndpoint &from,
                       const StoreEndpoint &to,
                       StoreCopyReport &report,
                       WrittenBlobs &written,
                       const std::function<void(const QString &)> &progress)
{
    const QString sourceRoot = QDir(from.dataDir).filePath(u"blobs"_s);
    const QString targetRoot = QDir(to.dataDir).filePath(u"blobs"_s);
    const BlobStore source(sourceRoot);
    const BlobStore target(targetRoot);
    report.sharedBlobs = canonical(sourceRoot) == canonical(targetRoot);
    for (const BlobRef &blob : refs) {
        const QString path = source.pathOf(blob.sha512);
        const QString targetPath = target.pathOf(blob.sha512);
        if (report.sharedBlobs || QFileInfo::exists(targetPath)) {
            // Already where the target looks for it: it must be right there.
            const QString checked = report.sharedBlobs ? path : targetPath;
            if (const Result<void> ok = verifyBlob(blob, checked, nullptr); !ok) {
                return ok;
            }
        } else {
            if (!QDir().mkpath(QFileInfo(targetPath).path())) {
                return Error::storage(u"Cannot create %1"_s.arg(QFileInfo(targetPath).path()));
            }
            // Written beside its place and renamed into it, flushed to disk first (QSaveFile):
            // whole or absent, as the blob store's own writes.
            QSaveFile out(targetPath);
            if (!out.open(QIODevice::WriteOnly)) {
                return Error::storage(u"Cannot write %1: %2"_s.arg(targetPath, out.errorString()));
            }
            if (const Result<void> ok = verifyBlob(blob, path, &out); !ok) {
                out.cancelWriting();
                return ok;
            }
            if (!out.commit()) {
                return Error::storage(u"Cannot write %1: %2"_s.arg(targetPath, out.errorString()));
            }
            written.paths.append(targetPath);
            ++report.blobsCopied;
        }
        ++report.blobs;
        report.bytes += blob.size;
        if (progress && report.blobs % 1000 == 0) {
            progress(u"Blobs: %1 of %2 verified"_s.arg(report.blobs).arg(refs.size()));
        }
    }
    return {};
}

// Copies one table's rows, source order kept; the number copied.
Result<qint64> copyRows(const QSqlDatabase &source,
                        const QSqlDatabase &target,
                        const CopiedTable &table,
                        const QStringList &columns)
{
    QSqlQuery read(source);
    read.setForwardOnly(true);
    if (!read.exec(u"SELECT %1 FROM %2 ORDER BY %3"_s.arg(
            columns.join(u", "_s), table.name, table.orderBy))) {
        return queryError(read, u"Cannot read %1"_s.arg(table.name));
    }
    QSqlQuery write(target);
    QStringList marks;
    marks.fill(u"?"_s, columns.size());
    if (!write.prepare(u"INSERT INTO %1 (%2) VALUES (%3)"_s.arg(
            table.name, columns.join(u", "_s), marks.join(u", "_s)))) {
        return queryError(write, u"Cannot prepare the copy of %1"_s.arg(table.name));
    }
    qint64 rows = 0;
    while (read.next()) {
        for (qsizetype i = 0; i < columns.size(); ++i) {
            write.bindValue(int(i), read.value(int(i)));
        }
        if (!write.exec()) {
            return queryError(write, u"Cannot copy a row of %1"_s.arg(table.name));
        }
        ++rows;
    }
    if (read.lastError().isValid()) {
        return queryError(read, u"Cannot read %1"_s.arg(table.name));
    }
    return rows;
}

} // namespace

QString StoreEndpoint::display() const
{
    return store.isEmpty() ? QDir(dataDir).filePath(u"trove.sqlite"_s) : Database::displayOf(store);
}

bool isStoreUrl(const QString &text)
{
    return Pg::isUrl(text);
}

Result<StoreCopyReport> copyStore(const StoreEndpoint &from,
                                  const StoreEndpoint &to,
                                  const std::function<void(const QString &)> &progress)
{
    const auto say = [&progress](const QString &line) {
        if (progress) {
            progress(line);
        }
    };
    if (from.dataDir.isEmpty() || to.dataDir.isEmpty()) {
        return Error::invalid(u"No data folder given"_s);
    }
    // The same store both ways would find itself not empty; say what is wrong instead.
    if (from.store.isEmpty() && to.store.isEmpty()
        && canonical(from.dataDir) == canonical(to.dataDir)) {
        return Error::invalid(
            u"The source and the target are the same store: %1"_s.arg(from.display()));
    }
    if (!from.store.isEmpty() && !to.store.isEmpty()) {
        const Result<Pg::Location> a = Pg::parseUrl(from.store);
        const Result<Pg::Location> b = Pg::parseUrl(to.store);
        if (a && b && a->host == b->host && a->port == b->port && a->database == b->database
            && a->schema == b->schema) {
            return Error::invalid(
                u"The source and the target are the same store: %1"_s.arg(from.display()));
        }
    }

    SourceConnection sourceConnection;
    if (const Result<void> opened = sourceConnection.open(from); !opened) {
        return opened.error();
    }
    const QSqlDatabase source = sourceConnection.database();
    if (const Result<void> ok = checkSchemaVersion(source, from.display()); !ok) {
        return ok.error();
    }
    if (const Result<void> ok = checkTablesKnown(source, from.display()); !ok) {
        return ok.error();
    }

    Result<std::unique_ptr<Database>> opened = Database::open(to.dataDir, to.store);
    if (!opened) {
        return opened.error();
    }
    const Database &targetDatabase = **opened;
    const QSqlDatabase target = QSqlDatabase::database(targetDatabase.connectionName(), false);
    if (const Result<void> ok = checkTablesKnown(target, to.display()); !ok) {
        return ok.error();
    }

    // What to copy, each table's columns as the target has them (the source's must be the
    // same set; their order may differ, a column added by ALTER TABLE comes last in SQLite).
    StoreCopyReport report;
    QHash<QString, QStringList> columns;
    QStringList occupied;
    for (const CopiedTable &table : copiedTables()) {
        const Result<QStringList> targetColumns = columnsOf(target, table.name);
        const Result<QStringList> sourceColumns = columnsOf(source, table.name);
        if (!targetColumns) {
            return targetColumns.error();
        }
        if (!sourceColumns) {
            return sourceColumns.error();
        }
        if (QSet<QString>(targetColumns->cbegin(), targetColumns->cend())
            != QSet<QString>(sourceColumns->cbegin(), sourceColumns->cend())) {
            return Error::invalid(
                u"Table %1 has columns %2 in %3 but %4 in %5"_s.arg(table.name,
                                                                    sourceColumns->join(u", "_s),
                                                                    from.display(),
                                                                    targetColumns->join(u", "_s),
                                                                    to.display()));
        }
        columns.insert(table.name, *targetColumns);
        const Result<qint64> targetRows = countRows(target, table.name);
        if (!targetRows) {
            return targetRows.error();
        }
        if (*targetRows > 0) {
            occupied.append(u"%1 row(s) in %2"_s.arg(*targetRows).arg(table.name));
        }
        const Result<qint64> sourceRows = countRows(source, table.name);
        if (!sourceRows) {
            return sourceRows.error();
        }
        report.tables.append({table.name, *sourceRows});
        report.rows += *sourceRows;
    }
    if (!occupied.isEmpty()) {
        return Error::conflict(u"The target %1 is not empty (%2): a store is copied only into"
                               " an empty one"_s.arg(to.display(), occupied.join(u", "_s)));
    }
    say(u"Copying %1 row(s) from %2 to %3"_s.arg(report.rows).arg(from.display(), to.display()));

    // Blobs first: a missing or damaged one fails the copy before any row is written.
    const Result<QList<BlobRef>> refs = blobRefs(source);
    if (!refs) {
        return refs.error();
    }
    WrittenBlobs written;
    if (const Result<void> ok = copyBlobs(*refs, from, to, report, written, progress); !ok) {
        return ok.error();
    }
    say(report.sharedBlobs
            ? u"Blobs: %1 verified in the shared folder %2 (%3 bytes)"_s.arg(report.blobs)
                  .arg(QDir(to.dataDir).filePath(u"blobs"_s))
                  .arg(report.bytes)
            : u"Blobs: %1 verified, %2 copied to %3 (%4 bytes)"_s.arg(report.blobs)
                  .arg(report.blobsCopied)
                  .arg(QDir(to.dataDir).filePath(u"blobs"_s))
                  .arg(report.bytes));

    Sql::Transaction transaction(targetDatabase);
    if (!transaction.isActive()) {
        return transaction.error();
    }
    const bool postgres = targetDatabase.dialect() == Database::Dialect::PostgreSQL;
    for (qsizetype i = 0; i < copiedTables().size(); ++i) {
        const CopiedTable &table = copiedTables().at(i);
        const Result<qint64> copied = copyRows(source, target, table, columns.value(table.name));
        if (!copied) {
            return copied.error();
        }
        // Counted again in the target, inside the transaction: what will be committed.
        const Result<qint64> counted = countRows(target, table.name);
        if (!counted) {
            return counted.error();
        }
        const qint64 expected = report.tables.at(i).rows;
        if (*copied != expected || *counted != expected) {
            return Error::storage(
                u"Table %1: %2 row(s) in the source, %3 in the target"_s.arg(table.name)
                    .arg(expected)
                    .arg(*counted));
        }
        // The next row a service inserts must not take a copied id.
        if (postgres && table.identity && expected > 0) {
            QSqlQuery sequence(target);
            if (!sequence.exec(u"SELECT setval(pg_get_serial_sequence('%1', 'id'),"
                               " (SELECT max(id) FROM %1))"_s.arg(table.name))) {
                return queryError(sequence, u"Cannot set the id sequence of %1"_s.arg(table.name));
            }
        }
        say(u"Copied %1: %2 row(s)"_s.arg(table.name).arg(expected));
    }
    if (const Result<void> committed = transaction.commit(); !committed) {
        return committed.error();
    }
    written.keep = true;
    say(u"Verified: every table's row count matches, %1 blob(s) by SHA-512"_s.arg(report.blobs));
    return report;
}

} // namespace Trove
