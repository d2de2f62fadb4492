// SPDX-License-Identifier: GPL-3.0-or-later
#include "model/store/database.h"

#include "model/logging.h"
#include "model/store/packagestore.h"
#include "model/store/pgschema.h"
#include "model/store/sql.h"
#include "model/store/tokenstore.h"

#include <QDir>
#include <QFile>
#include <QHash>
#include <QMutex>
#include <QThreadStorage>
#include <QUrl>

#include <atomic>
#include <cstring>

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace Trove {

namespace {

std::atomic<quint64> s_nextDatabaseId{1};

constexpr int BusyTimeoutMs = 30000;
constexpr qsizetype WalIndexHeaderSize = 48;

// iChange, the wal-index header's commit counter (native byte order, at offset 8); nullopt for a
// stamp that is not a header (the data_version fallback).
std::optional<quint32> commitCounter(const QByteArray &stamp)
{
    if (stamp.size() != WalIndexHeaderSize) {
        return std::nullopt;
    }
    quint32 counter = 0;
    std::memcpy(&counter, stamp.constData() + 8, sizeof counter);
    return counter;
}
std::atomic<quint64> s_nextConnectionId{1};

// The connections one thread opened, closed when the thread finishes (QThreadStorage deletes
// its value then) or when their Database goes away on this thread.
struct ThreadConnections
{
    QHash<quint64, QString> names;
    QHash<quint64, QString> errors;
    // Deleted before their connections close: a prepared statement keeps its connection in use.
    QHash<quint64, Sql::StatementCache *> statements;

    ~ThreadConnections()
    {
        qDeleteAll(statements);
        statements.clear();
        for (const QString &name : std::as_const(names)) {
            QSqlDatabase::removeDatabase(name);
        }
    }
};

QThreadStorage<ThreadConnections *> s_connections;

ThreadConnections &threadConnections()
{
    if (!s_connections.hasLocalData()) {
        s_connections.setLocalData(new ThreadConnections);
    }
    return *s_connections.localData();
}

// The statements that make package_search's row for one (project, name) match its latest
// version again: the version the `latest` dist-tag points at, else the newest row, as the window
// and the packuments define "latest". `project` and `name` are SQL expressions (NEW.x, OLD.x, or
// columns of a table that `source` adds to the FROM clause, as "t, "). Steps 2 to 6 had
// triggers run these, so that every writer (publish, deprecate, tags, unpublish, deletions)
// kept the index current inside its own transaction without knowing it exists; from step 7 the
// triggers only note the name and Database::catchUpSearchIndex() runs them for every noted name.
QString insertSearchRow(const QString &project, const QString &name, const QString &source = {})
{
    return u" INSERT INTO package_search (project_id, name, package_id, description, keywords,"
           " readme)"
           " SELECT p.project_id, p.name, p.id,"
           " CASE WHEN json_valid(p.package_json)"
           " AND json_type(p.package_json, '$.description') = 'text'"
           " THEN json_extract(p.package_json, '$.description') ELSE '' END,"
           " CASE WHEN NOT json_valid(p.package_json) THEN '[]'"
           " WHEN json_type(p.package_json, '$.keywords') = 'array'"
           " THEN json_extract(p.package_json, '$.keywords')"
           " WHEN json_type(p.package_json, '$.keywords') = 'text'"
           " THEN json_array(json_extract(p.package_json, '$.keywords')) ELSE '[]' END,"
           " coalesce((SELECT r.readme FROM package_readmes r WHERE r.package_id = p.id), '')"
           " FROM %3packages p WHERE p.id = coalesce("
           "(SELECT t.package_id FROM dist_tags t JOIN packages q ON q.id = t.package_id"
           " WHERE t.project_id = %1 AND t.package_name = %2 AND t.tag = 'latest'),"
           " (SELECT max(id) FROM packages WHERE project_id = %1 AND name = %2))"_s.arg(
               project, name, source);
}

// Step 2's form: the row deleted and inserted again.
QString refreshSearchRow(const QString &project, const QString &name)
{
    return u"DELETE FROM package_search WHERE project_id = %1 AND name = %2;"_s.arg(project, name)
        + insertSearchRow(project, name) + u";"_s;
}

// The triggers that run `refresh` (refreshSearchRow() in step 2, refreshSearchRowInPlace() from
// step 6) wherever a package's latest version or its text may change.
QStringList
searchRowTriggers(const std::function<QString(const QString &, const QString &)> &refresh)
{
    const QString newRow = refresh(u"NEW.project_id"_s, u"NEW.name"_s);
    const QString oldRow = refresh(u"OLD.project_id"_s, u"OLD.name"_s);
    const QString newTag = refresh(u"NEW.project_id"_s, u"NEW.package_name"_s);
    const QString oldTag = refresh(u"OLD.project_id"_s, u"OLD.package_name"_s);
    const QString readmeRow =
        refresh(u"(SELECT project_id FROM packages WHERE id = NEW.package_id)"_s,
                u"(SELECT name FROM packages WHERE id = NEW.package_id)"_s);
    return {
        u"CREATE TRIGGER packages_search_insert AFTER INSERT ON packages BEGIN "_s + newRow
            + u" END"_s,
        u"CREATE TRIGGER packages_search_delete AFTER DELETE ON packages BEGIN "_s + oldRow
            + u" END"_s,
        u"CREATE TRIGGER packages_search_update AFTER UPDATE OF package_json, status"
        " ON packages BEGIN "_s
            + newRow + u" END"_s,
        u"CREATE TRIGGER dist_tags_search_insert AFTER INSERT ON dist_tags"
        " WHEN NEW.tag = 'latest' BEGIN "_s
            + newTag + u" END"_s,
        u"CREATE TRIGGER dist_tags_search_update AFTER UPDATE ON dist_tags"
        " WHEN NEW.tag = 'latest' OR OLD.tag = 'latest' BEGIN "_s
            + newTag + oldTag + u" END"_s,
        u"CREATE TRIGGER dist_tags_search_delete AFTER DELETE ON dist_tags"
        " WHEN OLD.tag = 'latest' BEGIN "_s
            + oldTag + u" END"_s,
        u"CREATE TRIGGER package_readmes_search_insert AFTER INSERT ON package_readmes BEGIN "_s
            + readmeRow + u" END"_s,
    };
}

QStringList searchAndPackagesSwitchStep()
{
    QStringList step = {
        // GitLab's "Packages" project setting, on by default.
        u"ALTER TABLE projects ADD COLUMN packages_enabled INTEGER NOT NULL DEFAULT 1"_s,

        // The README is not part of the stored package.json (GitLab strips it): kept apart, for
        // search only.
        u"CREATE TABLE package_readmes ("
        " package_id INTEGER PRIMARY KEY REFERENCES packages(id) ON DELETE CASCADE,"
        " readme TEXT NOT NULL)"_s,

        // One row per package name per project: the searchable text of its latest version.
        // keywords is a JSON array.
        u"CREATE TABLE package_search ("
        " id INTEGER PRIMARY KEY,"
        " project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,"
        " name TEXT NOT NULL,"
        " package_id INTEGER NOT NULL,"
        " description TEXT NOT NULL,"
        " keywords TEXT NOT NULL,"
        " readme TEXT NOT NULL)"_s,
        u"CREATE UNIQUE INDEX package_search_project_name ON package_search(project_id, name)"_s,
        // An external-content index: the text lives once, in package_search.
        u"CREATE VIRTUAL TABLE package_search_fts USING fts5(name, description, keywords, readme,"
        " content='package_search', content_rowid='id')"_s,
        u"CREATE TRIGGER package_search_fts_insert AFTER INSERT ON package_search BEGIN"
        " INSERT INTO package_search_fts (rowid, name, description, keywords, readme)"
        " VALUES (NEW.id, NEW.name, NEW.description, NEW.keywords, NEW.readme); END"_s,
        u"CREATE TRIGGER package_search_fts_delete AFTER DELETE ON package_search BEGIN"
        " INSERT INTO package_search_fts (package_search_fts, rowid, name, description,"
        " keywords, readme) VALUES ('delete', OLD.id, OLD.name, OLD.description, OLD.keywords,"
        " OLD.readme); END"_s,

    };
    step += searchRowTriggers(refreshSearchRow);
    step += {
        // Backfill: one row per package name per project already stored.
        u"INSERT INTO package_search (project_id, name, package_id, description, keywords, readme)"
        " SELECT p.project_id, p.name, p.id,"
        " CASE WHEN json_valid(p.package_json)"
        " AND json_type(p.package_json, '$.description') = 'text'"
        " THEN json_extract(p.package_json, '$.description') ELSE '' END,"
        " CASE WHEN NOT json_valid(p.package_json) THEN '[]'"
        " WHEN json_type(p.package_json, '$.keywords') = 'array'"
        " THEN json_extract(p.package_json, '$.keywords')"
        " WHEN json_type(p.package_json, '$.keywords') = 'text'"
        " THEN json_array(json_extract(p.package_json, '$.keywords')) ELSE '[]' END,"
        " ''"
        " FROM (SELECT project_id, name, max(id) AS newest FROM packages"
        " GROUP BY project_id, name) g"
        " JOIN packages p ON p.id = coalesce("
        "(SELECT t.package_id FROM dist_tags t JOIN packages q ON q.id = t.package_id"
        " WHERE t.project_id = g.project_id AND t.package_name = g.name AND t.tag = 'latest'),"
        " g.newest)"_s,
    };
    return step;
}

// What makes insertSearchRow() write a row only when its text changed.
const QString SearchRowUpsert =
    u" ON CONFLICT (project_id, name) DO UPDATE SET package_id = excluded.package_id,"
    " description = excluded.description, keywords = excluded.keywords,"
    " readme = excluded.readme"
    " WHERE package_search.package_id IS NOT excluded.package_id"
    " OR package_search.description IS NOT excluded.description"
    " OR package_search.keywords IS NOT excluded.keywords"
    " OR package_search.readme IS NOT excluded.readme"_s;

// Step 6's form of refreshSearchRow(): the row is written only when its text changes, so that
// the statements of one publish (the version's row, its `latest` tag, its README) update the
// full-text index once instead of deleting and inserting it at each of them (docs/npm-api.md
// §11.4). A name with no version left loses its row.
QString refreshSearchRowInPlace(const QString &project, const QString &name)
{
    return u"DELETE FROM package_search WHERE project_id = %1 AND name = %2"
           " AND NOT EXISTS (SELECT 1 FROM packages WHERE project_id = %1 AND name = %2);"_s.arg(
               project, name)
        + insertSearchRow(project, name) + SearchRowUpsert + u";"_s;
}

// The triggers of searchRowTriggers(), dropped before they are created again in another form.
QStringList dropSearchRowTriggers()
{
    return {
        u"DROP TRIGGER packages_search_insert"_s,
        u"DROP TRIGGER packages_search_delete"_s,
        u"DROP TRIGGER packages_search_update"_s,
        u"DROP TRIGGER dist_tags_search_insert"_s,
        u"DROP TRIGGER dist_tags_search_update"_s,
        u"DROP TRIGGER dist_tags_search_delete"_s,
        u"DROP TRIGGER package_readmes_search_insert"_s,
    };
}

// Step 6: the triggers of step 2, rewritten with refreshSearchRowInPlace(). A publish used to
// index its package two or three times (delete and insert at the version's row, again at its
// `latest` tag, again at its README); that cost a sequential publish a fifth of its CPU time.
QStringList searchInPlaceStep()
{
    QStringList step = dropSearchRowTriggers();
    step += {
        // A row updated in place: the index drops its old text and takes the new.
        u"CREATE TRIGGER package_search_fts_update AFTER UPDATE ON package_search BEGIN"
        " INSERT INTO package_search_fts (package_search_fts, rowid, name, description,"
        " keywords, readme) VALUES ('delete', OLD.id, OLD.name, OLD.description, OLD.keywords,"
        " OLD.readme);"
        " INSERT INTO package_search_fts (rowid, name, description, keywords, readme)"
        " VALUES (NEW.id, NEW.name, NEW.description, NEW.keywords, NEW.readme); END"_s,
    };
    step += searchRowTriggers(refreshSearchRowInPlace);
    return step;
}

// Step 7: the search index is brought up to date when it is read, not inside every write
// (docs/npm-api.md §11.4). The triggers of step 6 now only note which (project, name) changed;
// a publish's commit writes that note's one page instead of the index's eleven (its row, two
// indexes, three FTS5 tables and the pages FTS5 allocates), and a fifth of a publish's CPU time
// moves to Database::catchUpSearchIndex(), which the readers of the index's text (search, the
// window's list) call first and which indexes all the names noted since, in one transaction. A
// crash in between leaves the notes, committed with the writes that made them, for the next
// reader.
QStringList searchPendingStep()
{
    QStringList step = {
        u"CREATE TABLE package_search_pending ("
        " project_id INTEGER NOT NULL,"
        " name TEXT NOT NULL,"
        " PRIMARY KEY (project_id, name)) WITHOUT ROWID"_s,
    };
    step += dropSearchRowTriggers();
    step += searchRowTriggers([](const QString &project, const QString &name) {
        // An upsert, not INSERT OR IGNORE: a trigger's OR clause gives way to the conflict
        // policy of the statement that fired it (a tag's upsert, an INSERT OR REPLACE).
        return u"INSERT INTO package_search_pending (project_id, name) VALUES (%1, %2)"
               " ON CONFLICT DO NOTHING;"_s.arg(project, name);
    });
    return step;
}

// Ordered migrations: step N brings the schema from version N to N + 1. Never edit a step that
// has shipped; append a new one.
const QList<QStringList> &migrations()
{
    static const QList<QStringList> steps = {
        {
            u"CREATE TABLE namespaces ("
            " id INTEGER PRIMARY KEY,"
            " parent_id INTEGER REFERENCES namespaces(id),"
            " path TEXT NOT NULL,"
            " full_path TEXT NOT NULL,"
            " name TEXT NOT NULL,"
            " visibility INTEGER NOT NULL,"
            " created_at INTEGER NOT NULL)"_s,
            u"CREATE UNIQUE INDEX namespaces_full_path ON namespaces(lower(full_path))"_s,
            u"CREATE INDEX namespaces_parent ON namespaces(parent_id)"_s,

            u"CREATE TABLE projects ("
            " id INTEGER PRIMARY KEY,"
            " namespace_id INTEGER NOT NULL REFERENCES namespaces(id),"
            " path TEXT NOT NULL,"
            " full_path TEXT NOT NULL,"
            " name TEXT NOT NULL,"
            " visibility INTEGER NOT NULL,"
            " created_at INTEGER NOT NULL)"_s,
            u"CREATE UNIQUE INDEX projects_full_path ON projects(lower(full_path))"_s,
            u"CREATE INDEX projects_namespace ON projects(namespace_id)"_s,

            u"CREATE TABLE users ("
            " id INTEGER PRIMARY KEY,"
            " username TEXT NOT NULL,"
            " admin INTEGER NOT NULL DEFAULT 0,"
            " created_at INTEGER NOT NULL)"_s,
            u"CREATE UNIQUE INDEX users_username ON users(lower(username))"_s,

            u"CREATE TABLE memberships ("
            " id INTEGER PRIMARY KEY,"
            " user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
            " namespace_id INTEGER REFERENCES namespaces(id) ON DELETE CASCADE,"
            " project_id INTEGER REFERENCES projects(id) ON DELETE CASCADE,"
            " access_level INTEGER NOT NULL,"
            " created_at INTEGER NOT NULL,"
            " CHECK ((namespace_id IS NULL) <> (project_id IS NULL)))"_s,
            u"CREATE UNIQUE INDEX memberships_namespace ON memberships(user_id, namespace_id)"_s,
            u"CREATE UNIQUE INDEX memberships_project ON memberships(user_id, project_id)"_s,

            u"CREATE TABLE personal_access_tokens ("
            " id INTEGER PRIMARY KEY,"
            " user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
            " name TEXT NOT NULL,"
            " token_digest TEXT NOT NULL,"
            " token_prefix TEXT NOT NULL,"
            " scopes TEXT NOT NULL,"
            " expires_at TEXT,"
            " revoked INTEGER NOT NULL DEFAULT 0,"
            " last_used_at INTEGER,"
            " created_at INTEGER NOT NULL)"_s,
            u"CREATE UNIQUE INDEX personal_access_tokens_digest"
            " ON personal_access_tokens(token_digest)"_s,

            u"CREATE TABLE deploy_tokens ("
            " id INTEGER PRIMARY KEY,"
            " namespace_id INTEGER REFERENCES namespaces(id) ON DELETE CASCADE,"
            " project_id INTEGER REFERENCES projects(id) ON DELETE CASCADE,"
            " name TEXT NOT NULL,"
            " username TEXT NOT NULL,"
            " token_digest TEXT NOT NULL,"
            " token_prefix TEXT NOT NULL,"
            " scopes TEXT NOT NULL,"
            " expires_at TEXT,"
            " revoked INTEGER NOT NULL DEFAULT 0,"
            " last_used_at INTEGER,"
            " created_at INTEGER NOT NULL,"
            " CHECK ((namespace_id IS NULL) <> (project_id IS NULL)))"_s,
            u"CREATE UNIQUE INDEX deploy_tokens_digest ON deploy_tokens(token_digest)"_s,

            u"CREATE TABLE job_tokens ("
            " id INTEGER PRIMARY KEY,"
            " project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,"
            " user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
            " token_digest TEXT NOT NULL,"
            " token_prefix TEXT NOT NULL,"
            " running INTEGER NOT NULL DEFAULT 1,"
            " last_used_at INTEGER,"
            " created_at INTEGER NOT NULL,"
            " finished_at INTEGER)"_s,
            u"CREATE UNIQUE INDEX job_tokens_digest ON job_tokens(token_digest)"_s,

            u"CREATE TABLE packages ("
            " id INTEGER PRIMARY KEY,"
            " project_id INTEGER NOT NULL REFERENCES projects(id),"
            " name TEXT NOT NULL,"
            " version TEXT NOT NULL,"
            " status INTEGER NOT NULL DEFAULT 0,"
            " package_json TEXT NOT NULL,"
            " sha1 TEXT NOT NULL,"
            " sha512 TEXT NOT NULL,"
            " size INTEGER NOT NULL,"
            " publisher TEXT NOT NULL,"
            " publisher_user_id INTEGER REFERENCES users(id) ON DELETE SET NULL,"
            " created_at INTEGER NOT NULL,"
            " updated_at INTEGER NOT NULL)"_s,
            u"CREATE UNIQUE INDEX packages_project_name_version"
            " ON packages(project_id, name, version)"_s,
            u"CREATE INDEX packages_name ON packages(name)"_s,
            u"CREATE INDEX packages_sha512 ON packages(sha512)"_s,

            u"CREATE TABLE dist_tags ("
            " id INTEGER PRIMARY KEY,"
            " project_id INTEGER NOT NULL REFERENCES projects(id),"
            " package_name TEXT NOT NULL,"
            " tag TEXT NOT NULL,"
            " package_id INTEGER NOT NULL REFERENCES packages(id) ON DELETE CASCADE,"
            " updated_at INTEGER NOT NULL)"_s,
            u"CREATE UNIQUE INDEX dist_tags_project_name_tag"
            " ON dist_tags(project_id, package_name, tag)"_s,
            u"CREATE INDEX dist_tags_package ON dist_tags(package_id)"_s,

            u"CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)"_s,

            u"CREATE TABLE namespace_package_settings ("
            " namespace_id INTEGER PRIMARY KEY REFERENCES namespaces(id) ON DELETE CASCADE,"
            " npm_forwarding INTEGER,"
            " lock_npm_forwarding INTEGER NOT NULL DEFAULT 0)"_s,

            u"CREATE TABLE protection_rules ("
            " id INTEGER PRIMARY KEY,"
            " project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,"
            " pattern TEXT NOT NULL,"
            " minimum_access_level_for_push INTEGER NOT NULL,"
            " created_at INTEGER NOT NULL)"_s,
            u"CREATE UNIQUE INDEX protection_rules_project_pattern"
            " ON protection_rules(project_id, pattern)"_s,
        },
        searchAndPackagesSwitchStep(),
        // Step 3: search at 100,000 packages. Prefix indexes of 2 and 3 characters, so that a
        // short word ("do", matching most names) reads one list instead of merging thousands;
        // the name index answers a search without text in name order at once.
        {
            u"DROP TABLE package_search_fts"_s,
            u"CREATE VIRTUAL TABLE package_search_fts USING fts5(name, description, keywords,"
            " readme, content='package_search', content_rowid='id', prefix='2 3')"_s,
            u"INSERT INTO package_search_fts (package_search_fts) VALUES ('rebuild')"_s,
            u"CREATE INDEX package_search_name ON package_search(name, package_id DESC)"_s,
        },
        // Step 4: when each version was last downloaded (milliseconds, as created_at), written
        // in batches by DownloadUsage; the index serves the Packages API's list of a project
        // in created_at order without sorting.
        {
            u"ALTER TABLE packages ADD COLUMN last_downloaded_at INTEGER"_s,
            u"CREATE INDEX packages_project_created ON packages(project_id, created_at, id)"_s,
        },
        // Step 5: proxy and cache the upstream (docs/proxy.md). The forwarding mode of a group
        // (NULL: redirect, the mode of rows written before this step); the documents and
        // tarballs kept from the upstream, the tarballs' bytes in the blob store.
        {
            u"ALTER TABLE namespace_package_settings ADD COLUMN npm_forwarding_mode TEXT"_s,
            u"CREATE TABLE proxy_documents ("
            " name TEXT PRIMARY KEY,"
            " upstream TEXT NOT NULL,"
            " status INTEGER NOT NULL,"
            " etag TEXT,"
            " body BLOB,"
            " size INTEGER NOT NULL,"
            " fetched_at INTEGER NOT NULL,"
            " accessed_at INTEGER NOT NULL)"_s,
            u"CREATE TABLE proxy_tarballs ("
            " sha512 TEXT PRIMARY KEY,"
            " name TEXT NOT NULL,"
            " version TEXT NOT NULL,"
            " size INTEGER NOT NULL,"
            " source_url TEXT NOT NULL,"
            " fetched_at INTEGER NOT NULL,"
            " accessed_at INTEGER NOT NULL)"_s,
            u"CREATE INDEX proxy_tarballs_name ON proxy_tarballs(name, version)"_s,
            u"CREATE INDEX proxy_tarballs_accessed ON proxy_tarballs(accessed_at)"_s,
            u"CREATE TABLE proxy_counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL)"_s,
        },
        searchInPlaceStep(),
        searchPendingStep(),
    };
    return steps;
}

} // namespace

Database::Database(const QString &dataDir, const QString &store)
    : m_dataDir(dataDir)
    , m_store(store)
    , m_dialect(store.isEmpty() ? Dialect::SQLite : Dialect::PostgreSQL)
    , m_id(s_nextDatabaseId++)
    , m_tokenUsage(std::make_unique<TokenUsage>())
    , m_downloadUsage(std::make_unique<DownloadUsage>())
{
}

Database::~Database()
{
    // Before this thread's connection closes; downloads recorded on threads already gone are
    // written on this one.
    if (const Result<int> flushed = PackageStore(*this).flushDownloads(LockWait::Yes); !flushed) {
        qCWarning(lcStore).noquote() << "Download times not recorded:" << flushed.error().message;
    }
    if (const char *header = m_shmHeader.load(); header && header != shmUnavailable()) {
        ::munmap(const_cast<char *>(header), WalIndexHeaderSize);
    }
    // Connections of other threads close when those threads finish.
    if (s_connections.hasLocalData()) {
        ThreadConnections &connections = *s_connections.localData();
        delete connections.statements.take(m_id);
        const QString name = connections.names.take(m_id);
        connections.errors.remove(m_id);
        if (!name.isEmpty()) {
            QSqlDatabase::removeDatabase(name);
        }
    }
}

Result<std::unique_ptr<Database>> Database::open(const QString &dataDir)
{
    return open(dataDir, defaultStore());
}

QString Database::defaultStore()
{
    return qEnvironmentVariable("TROVE_STORE");
}

QString Database::storeDisplay() const
{
    return displayOf(m_store);
}

QString Database::displayOf(const QString &store)
{
    if (store.isEmpty()) {
        return {};
    }
    if (const Result<Pg::Location> location = Pg::parseUrl(store); location) {
        return location->display();
    }
    return QUrl(store).toDisplayString(QUrl::RemovePassword);
}

Result<std::unique_ptr<Database>> Database::open(const QString &dataDir, const QString &store)
{
    if (!store.isEmpty()) {
        if (const Result<Pg::Location> location = Pg::parseUrl(store); !location) {
            return location.error();
        }
    }
    if (dataDir.isEmpty()) {
        return Error::invalid(u"No data directory given"_s);
    }
    if (!QDir().mkpath(dataDir)) {
        return Error::storage(u"Cannot create the data directory %1"_s.arg(dataDir));
    }
    std::unique_ptr<Database> database(new Database(QDir(dataDir).absolutePath(), store));
    if (database->connectionName().isEmpty()) {
        return Error::storage(database->lastOpenError());
    }
    if (const Result<void> migrated = database->migrate(); !migrated) {
        return migrated.error();
    }
    return database;
}

QString Database::filePath() const
{
    return QDir(m_dataDir).filePath(u"trove.sqlite"_s);
}

int Database::schemaVersion()
{
    return int(migrations().size());
}

Sql::StatementCache *Database::statementCache() const
{
    ThreadConnections &connections = threadConnections();
    if (Sql::StatementCache *cache = connections.statements.value(m_id)) {
        return cache;
    }
    const QString name = connectionName();
    if (name.isEmpty()) {
        return nullptr;
    }
    auto *cache = new Sql::StatementCache(name);
    connections.statements.insert(m_id, cache);
    return cache;
}

QString Database::connectionName() const
{
    ThreadConnections &connections = threadConnections();
    if (const auto it = connections.names.constFind(m_id); it != connections.names.cend()) {
        return *it;
    }
    if (connections.errors.contains(m_id)) {
        return {};
    }

    const QString name = u"trove-%1-%2"_s.arg(m_id).arg(s_nextConnectionId++);
    QString failure;
    if (m_dialect == Dialect::PostgreSQL) {
        failure = openPostgres(name);
    } else {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, name);
        db.setDatabaseName(filePath());
        db.setConnectOptions(u"QSQLITE_BUSY_TIMEOUT=%1"_s.arg(BusyTimeoutMs));
        if (!db.open()) {
            failure = u"Cannot open %1: %2"_s.arg(filePath(), db.lastError().text());
        } else {
            // Foreign keys are per connection. WAL lets readers run beside the one writer;
            // synchronous=FULL syncs the WAL at every commit, so an acknowledged write survives
            // a power cut (NORMAL may lose the last commits).
            QSqlQuery pragma(db);
            const QStringList pragmas = {
                u"PRAGMA foreign_keys = ON"_s,
                u"PRAGMA journal_mode = WAL"_s,
                u"PRAGMA synchronous = FULL"_s,
            };
            for (const QString &statement : pragmas) {
                if (!pragma.exec(statement)) {
                    failure =
                        u"Cannot configure %1: %2"_s.arg(filePath(), pragma.lastError().text());
                    break;
                }
                pragma.finish();
            }
        }
    }
    if (!failure.isEmpty()) {
        QSqlDatabase::removeDatabase(name);
        qCWarning(lcStore).noquote() << failure;
        connections.errors.insert(m_id, failure);
        return {};
    }
    connections.names.insert(m_id, name);
    return name;
}

QByteArray Database::changeStamp() const
{
    if (m_dialect == Dialect::PostgreSQL) {
        // A counter that every non-quiet write bumps in its own transaction (the schema's
        // triggers): no header to read and no quiet bookkeeping here. Notified when
        // watchChanges() listens, else read.
        if (m_listener) {
            if (const std::optional<qint64> notified = m_listener->stamp()) {
                return Pg::stampText(*notified);
            }
        }
        return Pg::changeStamp(*this);
    }
    const QByteArray raw = rawChangeStamp();
    const QMutexLocker locker(&m_quietMutex);
    if (m_quietCommitting || (!m_quietRaw.isEmpty() && raw == m_quietRaw)) {
        return m_quietStamp;
    }
    return raw;
}

Result<void> Database::writeQuietly(const std::function<Result<void>()> &work, LockWait wait) const
{
    const QString name = connectionName();
    if (name.isEmpty()) {
        return Error::storage(lastOpenError());
    }
    const QSqlDatabase db = QSqlDatabase::database(name, false);
    QSqlQuery query(db);
    if (m_dialect == Dialect::PostgreSQL) {
        // Row locks only, no store-wide write lock: the quiet columns bump no change stamp
        // and a publish does not wait for them (nor they for it), so `wait` has nothing to do.
        if (!query.exec(u"BEGIN"_s)) {
            return Sql::storageError(query, u"Cannot start a transaction"_s);
        }
        const Sql::TransactionMark mark;
        const Result<void> worked = work();
        if (!worked || !query.exec(u"COMMIT"_s)) {
            const Error error =
                worked ? Sql::storageError(query, u"Cannot commit"_s) : worked.error();
            query.exec(u"ROLLBACK"_s);
            return error;
        }
        return {};
    }
    // A zero busy timeout makes BEGIN IMMEDIATE fail at once instead of queueing behind a
    // publish; the connection's usual timeout is back before any other statement runs.
    if (wait == LockWait::No && !query.exec(u"PRAGMA busy_timeout = 0"_s)) {
        return Sql::storageError(query, u"Cannot set the busy timeout"_s);
    }
    const bool begun = query.exec(u"BEGIN IMMEDIATE"_s);
    const QSqlError beginError = query.lastError();
    if (wait == LockWait::No) {
        query.exec(u"PRAGMA busy_timeout = %1"_s.arg(BusyTimeoutMs));
    }
    if (!begun) {
        // SQLITE_BUSY, or one of its extended codes (the low byte is the primary code).
        if (wait == LockWait::No && (beginError.nativeErrorCode().toInt() & 0xff) == 5) {
            return Error::conflict(u"The database is being written to"_s);
        }
        return Sql::storageError(beginError, u"Cannot start a transaction"_s);
    }
    const Sql::TransactionMark mark;

    // We hold the write lock: nobody else commits until our COMMIT, so from here until the
    // commit's own header is known every header change is ours (including the WAL restart that
    // a first write after a checkpoint makes).
    const QByteArray before = rawChangeStamp();
    {
        const QMutexLocker locker(&m_quietMutex);
        if (m_quietRaw.isEmpty() || before != m_quietRaw) {
            m_quietStamp = before;
        }
        m_quietCommitting = true;
    }
    const auto endQuiet = [this](const QByteArray &after) {
        const QMutexLocker locker(&m_quietMutex);
        m_quietCommitting = false;
        m_quietRaw = after;
    };

    const Result<void> worked = work();
    if (!worked || !query.exec(u"COMMIT"_s)) {
        const Error error = worked ? Sql::storageError(query, u"Cannot commit"_s) : worked.error();
        query.exec(u"ROLLBACK"_s);
        // Nothing was committed: the header is the one from before (or a WAL restart of it,
        // which changes no data; answering it as changed costs one cache refill).
        endQuiet(before);
        return error;
    }
    // The lock is released now. Only when exactly one commit happened since `before` was it
    // ours alone; if another writer got in already, its commit must show, so the chain ends.
    const QByteArray after = rawChangeStamp();
    const std::optional<quint32> from = commitCounter(before);
    const std::optional<quint32> to = commitCounter(after);
    if (after == before || (from && to && *to == *from + 1)) {
        endQuiet(after);
    } else {
        endQuiet({});
    }
    return {};
}

Result<void> Database::catchUpSearchIndex() const
{
    // PostgreSQL's triggers keep its index inside each write (model/store/pgschema.cpp); a
    // reader inside a write transaction reads the index as that transaction found it.
    if (m_dialect != Dialect::SQLite || Sql::inTransaction()) {
        return {};
    }
    {
        Sql::Statement pending(*this, u"SELECT 1 FROM package_search_pending LIMIT 1"_s);
        if (!pending.exec()) {
            return pending.error(u"Cannot read the search index's pending names"_s);
        }
        if (!pending.next()) {
            return {};
        }
    }
    // Quiet: whatever shows the index's text catches up first, so no answer came from the stale
    // rows, and no cached answer needs to go.
    return writeQuietly(
        [this]() -> Result<void> {
            const QString statements[] = {
                // A name with no version left loses its row.
                u"DELETE FROM package_search WHERE EXISTS (SELECT 1 FROM package_search_pending k"
                " WHERE k.project_id = package_search.project_id"
                " AND k.name = package_search.name)"
                " AND NOT EXISTS (SELECT 1 FROM packages p"
                " WHERE p.project_id = package_search.project_id"
                " AND p.name = package_search.name)"_s,
                insertSearchRow(u"k.project_id"_s, u"k.name"_s, u"package_search_pending k, "_s)
                    + SearchRowUpsert,
                u"DELETE FROM package_search_pending"_s,
            };
            for (const QString &sql : statements) {
                Sql::Statement statement(*this, sql);
                if (!statement.exec()) {
                    return statement.error(u"Cannot bring the search index up to date"_s);
                }
            }
            return {};
        },
        LockWait::Yes);
}

QByteArray Database::rawChangeStamp() const
{
    // The wal-index header: iVersion, unused, iChange (incremented by every commit), isInit,
    // bigEndCksum, szPage, mxFrame, nPage, frame checksum, salts, header checksum: 48 bytes at
    // offset 0. A commit rewrites it; a torn read can only differ from the old value.
    // Mapped, not read: the server looks at it on every request, and a read would be a system
    // call each time. SQLite maps the same file; while this process has the database open the
    // file is never shortened below its first page, so the mapping stays valid.
    const char *header = m_shmHeader.load(std::memory_order_acquire);
    if (!header) {
        const QByteArray path = QFile::encodeName(filePath() + u"-shm"_s);
        const char *mapped = shmUnavailable();
        const int fd = ::open(path.constData(), O_RDONLY | O_CLOEXEC);
        if (fd >= 0) {
            void *address = ::mmap(nullptr, WalIndexHeaderSize, PROT_READ, MAP_SHARED, fd, 0);
            ::close(fd);
            if (address != MAP_FAILED) {
                mapped = static_cast<const char *>(address);
            }
        }
        const char *expected = nullptr;
        if (!m_shmHeader.compare_exchange_strong(expected, mapped)) {
            if (mapped != shmUnavailable()) {
                // Another thread was first.
                ::munmap(const_cast<char *>(mapped), WalIndexHeaderSize);
            }
        }
        header = m_shmHeader.load(std::memory_order_acquire);
    }
    if (header != shmUnavailable()) {
        return QByteArray(header, WalIndexHeaderSize);
    }
    const Result<qint64> version = dataVersion();
    return version ? "v" + QByteArray::number(*version) : QByteArray("error");
}

Result<qint64> Database::dataVersion() const
{
    if (m_dialect == Dialect::PostgreSQL) {
        Sql::Statement select(*this, u"SELECT value FROM change_stamp WHERE id = 1"_s);
        if (!select.exec() || !select.next()) {
            return select.error(u"Cannot read the change stamp"_s);
        }
        return select.value(0).toLongLong();
    }
    Sql::Statement pragma(*this, u"PRAGMA data_version"_s);
    if (!pragma.exec() || !pragma.next()) {
        return pragma.error(u"Cannot read the data version"_s);
    }
    return pragma.value(0).toLongLong();
}

QString Database::openPostgres(const QString &name) const
{
    const Result<Pg::Location> location = Pg::parseUrl(m_store);
    if (!location) {
        return location.error().message;
    }
    QSqlDatabase::addDatabase(u"QPSQL"_s, name);
    return Pg::openConnection(*location, name);
}

Result<void> Database::watchChanges()
{
    if (m_dialect != Dialect::PostgreSQL || m_listener) {
        return {};
    }
    const Result<Pg::Location> location = Pg::parseUrl(m_store);
    if (!location) {
        return location.error();
    }
    auto listener = std::make_unique<Pg::ChangeListener>(*location);
    QString failure;
    if (!listener->startListening(&failure)) {
        return Error::storage(u"Cannot listen for changes: %1"_s.arg(failure));
    }
    m_listener = std::move(listener);
    return {};
}

bool Database::isWatchingChanges() const
{
    return m_listener && m_listener->stamp().has_value();
}

QString Database::lastOpenError() const
{
    return threadConnections().errors.value(m_id);
}

Result<void> Database::migrate()
{
    if (m_dialect == Dialect::PostgreSQL) {
        return Pg::migrate(*this, *Pg::parseUrl(m_store));
    }
    Sql::Transaction transaction(*this);
    if (!transaction.isActive()) {
        return transaction.error();
    }
    {
        Sql::Statement create(*this,
                              u"CREATE TABLE IF NOT EXISTS meta"
                              " (key TEXT PRIMARY KEY, value TEXT NOT NULL)"_s);
        if (!create.exec()) {
            return create.error(u"Cannot create the meta table"_s);
        }
    }
    int version = 0;
    {
        Sql::Statement select(*this, u"SELECT value FROM meta WHERE key = 'schema_version'"_s);
        if (!select.exec()) {
            return select.error(u"Cannot read the schema version"_s);
        }
        if (select.next()) {
            version = select.value(0).toInt();
        }
    }
    const QList<QStringList> &steps = migrations();
    if (version > steps.size()) {
        return Error::storage(
            u"%1 has schema version %2, newer than this Trove knows (%3)"_s.arg(filePath())
                .arg(version)
                .arg(steps.size()));
    }
    if (version == steps.size()) {
        return transaction.commit();
    }
    for (int step = version; step < steps.size(); ++step) {
        for (const QString &statement : steps.at(step)) {
            Sql::Statement migration(*this, statement);
            if (!migration.exec()) {
                return migration.error(u"Migration %1 failed"_s.arg(step + 1));
            }
        }
    }
    Sql::Statement record(*this,
                          u"INSERT INTO meta (key, value) VALUES ('schema_version', :version)"
                          " ON CONFLICT(key) DO UPDATE SET value = excluded.value"_s);
    record.bind(u":version"_s, QString::number(steps.size()));
    if (!record.exec()) {
        return record.error(u"Cannot record the schema version"_s);
    }
    qCInfo(lcStore) << "Schema of" << filePath() << "migrated from" << version << "to"
                    << steps.size();
    return transaction.commit();
}

} // namespace Trove
