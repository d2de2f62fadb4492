// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "model/result.h"

#include <QByteArray>
#include <QMutex>
#include <QString>

#include <atomic>
#include <functional>
#include <memory>

namespace Trove {

class DownloadUsage;
class TokenUsage;

namespace Sql {
class StatementCache;
}
namespace Pg {
class ChangeListener;
}

// The SQLite file of one data directory, or a PostgreSQL database (dialect()). Qt Sql connections belong to the thread that opened
// them, and Qt 6.4 does not check that (later Qt does), so this class hands every thread its own
// connection: connectionName() opens one for the calling thread on first use and the thread's
// exit closes it. Every SQLite connection has foreign keys on, WAL, a busy timeout and
// synchronous=FULL (an acknowledged commit survives power loss).
//
// Stores take a Database & and use QSqlDatabase::database(connectionName()); no Qt Sql type
// appears in model/ headers.
class Database final
{
public:
    ~Database();
    Database(const Database &) = delete;
    Database &operator=(const Database &) = delete;

    // Which SQL the store speaks. The stores write dialect-neutral SQL where one form serves
    // both, and branch on this in model/store/sql.* where none does (docs/postgresql.md).
    enum class Dialect {
        SQLite,
        PostgreSQL,
    };

    // Opens the store given by defaultStore() (TROVE_STORE), else `<dataDir>/trove.sqlite`,
    // and brings its schema up to date.
    static Result<std::unique_ptr<Database>> open(const QString &dataDir);
    // `store`: empty for `<dataDir>/trove.sqlite` (created if needed), or a PostgreSQL URL,
    // postgresql://USER[:PASSWORD]@HOST[:PORT]/DB[?schema=NAME], opened through Qt's QPSQL
    // driver; the data directory still holds the blobs then.
    static Result<std::unique_ptr<Database>> open(const QString &dataDir, const QString &store);
    // The TROVE_STORE environment variable: a PostgreSQL URL, or empty.
    static QString defaultStore();

    Dialect dialect() const { return m_dialect; }
    // The PostgreSQL URL without its password; empty for SQLite.
    QString storeDisplay() const;
    // `store` (a PostgreSQL URL) as messages may show it: without its password, even when the
    // URL is malformed. Empty for empty.
    static QString displayOf(const QString &store);

    QString dataDir() const { return m_dataDir; }
    QString filePath() const;

    // The calling thread's connection name, opened on first use. Empty if opening failed; the
    // reason is in lastOpenError().
    QString connectionName() const;
    QString lastOpenError() const;
    // The calling thread's prepared statements on its connection; null if opening failed.
    Sql::StatementCache *statementCache() const;

    static int schemaVersion();

    // SQLite's data_version for the calling thread's connection: it changes whenever another
    // connection (another thread or process, e.g. the command line) commits. Readers that cache
    // compare it to notice writes they were not told about.
    Result<qint64> dataVersion() const;
    // A value that changes whenever any connection, in this process or another, commits: the
    // WAL index header (SQLite's documented wal-index format, walformat.html), read from the
    // "-shm" file, mapped into memory, without a lock or a system call. Falls back to dataVersion() where that file
    // cannot be read. For caches that must notice every write cheaply, on every request.
    // Commits that were only quiet writes of this process (writeQuietly()) leave it as it was.
    // On PostgreSQL, a counter read from the store at each call, or after watchChanges() kept
    // current by notifications without a round trip.
    QByteArray changeStamp() const;
    // PostgreSQL: from now on changeStamp() answers from the store's change notifications
    // (LISTEN on one connection of a thread of its own): no round trip per call, and another
    // instance's commit shows within milliseconds. Its own commits show there a moment after
    // they return (the notification comes back), so a caller that must see its own writes at
    // once learns of them otherwise (Events). For servers, which look at every request. Call
    // before other threads use the Database. Nothing to do on SQLite.
    Result<void> watchChanges();
    // Whether changeStamp() answers from notifications now (false while the listening
    // connection is lost: it reads the store then).
    bool isWatchingChanges() const;

    enum class LockWait {
        No, // refuse at once when another connection holds the write lock
        Yes, // wait for it up to the busy timeout (30 s)
    };
    // Runs `work` (statements on the calling thread's connection) in one write transaction whose
    // commit does not change changeStamp(): for bookkeeping that no cached answer depends on
    // (when a token was last used), so that it does not clear the server's response cache. Any
    // other commit, before or after, by this process or another, still changes the stamp. With
    // LockWait::No, Error::Code::Conflict when the write lock is taken; `work` did not run then.
    Result<void> writeQuietly(const std::function<Result<void>()> &work,
                              LockWait wait = LockWait::No) const;

    // Indexes for search the package names that writes noted since the last call (schema step 7,
    // docs/npm-api.md §11.4), in one quiet transaction. Every reader of the search index
    // (package_search) calls it first; it costs one indexed read when nothing is pending. Does
    // nothing on PostgreSQL, whose index is kept inside each write, or inside a transaction.
    Result<void> catchUpSearchIndex() const;

    // Token uses not yet written (TokenStore). Kept here, with the database, because every
    // TokenStore of this database on every thread (the tokens window builds its own) must see
    // them.
    TokenUsage &tokenUsage() const { return *m_tokenUsage; }
    // Downloads not yet written (PackageStore), for the same reason; written when the
    // Database closes too.
    DownloadUsage &downloadUsage() const { return *m_downloadUsage; }

private:
    Database(const QString &dataDir, const QString &store);
    Result<void> migrate();
    // Opens connection `name` on the PostgreSQL store; the reason when that failed.
    QString openPostgres(const QString &name) const;
    // The wal-index header as read, before quiet writes are taken out.
    QByteArray rawChangeStamp() const;

    const QString m_dataDir;
    const QString m_store; // empty: SQLite
    const Dialect m_dialect;
    const quint64 m_id;
    // The wal-index header, mapped from the "-shm" file at first use; shmUnavailable() when
    // that file could not be mapped.
    mutable std::atomic<const char *> m_shmHeader{nullptr};
    static const char *shmUnavailable()
    {
        static const char marker = 0;
        return &marker;
    }
    std::unique_ptr<Pg::ChangeListener> m_listener; // watchChanges()
    const std::unique_ptr<TokenUsage> m_tokenUsage;
    const std::unique_ptr<DownloadUsage> m_downloadUsage;

    // Quiet writes: while m_quietCommitting, changeStamp() answers m_quietStamp whatever the
    // header says (the commit under way is ours and holds the write lock); afterwards the raw
    // header m_quietRaw (the state right after the last quiet commit) is answered as
    // m_quietStamp, the stamp from before the chain of quiet commits began.
    mutable QMutex m_quietMutex;
    mutable bool m_quietCommitting = false;
    mutable QByteArray m_quietRaw;
    mutable QByteArray m_quietStamp;
};

} // namespace Trove
