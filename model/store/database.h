// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "model/result.h"

#include <QString>

#include <atomic>
#include <memory>

namespace Trove {

namespace Sql {
class StatementCache;
}

// The SQLite file of one data directory. Qt Sql connections belong to the thread that opened
// them, and Qt 6.4 does not check that (later Qt does), so this class hands every thread its own
// connection: connectionName() opens one for the calling thread on first use and the thread's
// exit closes it. Every connection has foreign keys on, WAL, a busy timeout and synchronous=FULL
// (an acknowledged commit survives power loss).
//
// Stores take a Database & and use QSqlDatabase::database(connectionName()); no Qt Sql type
// appears in model/ headers.
class Database final
{
public:
    ~Database();
    Database(const Database &) = delete;
    Database &operator=(const Database &) = delete;

    // Opens (creating if needed) `<dataDir>/trove.sqlite` and brings its schema up to date.
    static Result<std::unique_ptr<Database>> open(const QString &dataDir);

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
    // "-shm" file with one pread() and no lock. Falls back to dataVersion() where that file
    // cannot be read. For caches that must notice every write cheaply, on every request.
    QByteArray changeStamp() const;

private:
    explicit Database(const QString &dataDir);
    Result<void> migrate();

    const QString m_dataDir;
    const quint64 m_id;
    mutable std::atomic<int> m_shmFd{-2}; // -2: not opened yet, -1: unavailable
};

} // namespace Trove
