// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Helpers for model/store/*.cpp only: this header includes Qt Sql and must stay out of every
// public header.

#include "model/result.h"
#include "model/store/database.h"

#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

#include <QHash>

#include <initializer_list>
#include <memory>
#include <unordered_map>
#include <utility>

namespace Trove::Sql {

Error storageError(const QSqlError &error, const QString &what);
Error storageError(const QSqlQuery &query, const QString &what);

// One thread's prepared statements on one connection, kept for reuse: preparing (parsing the SQL)
// costs more than running most of Trove's statements. Owned by the Database's per-thread
// connection record and deleted before its connection closes.
class StatementCache final
{
public:
    explicit StatementCache(const QString &connectionName);
    ~StatementCache();
    StatementCache(const StatementCache &) = delete;
    StatementCache &operator=(const StatementCache &) = delete;

    struct Slot
    {
        explicit Slot(const QSqlDatabase &db)
            : query(db)
        {
        }
        QSqlQuery query;
        bool prepared = false;
        bool busy = false;
    };

    // The prepared statement for `sql`, marked busy; null when that statement is busy already
    // (the same SQL run again while its results are still being read).
    Slot *acquire(const QString &sql);
    QSqlDatabase database() const { return m_db; }

private:
    QSqlDatabase m_db;
    std::unordered_map<QString, std::unique_ptr<Slot>> m_slots;
};

// A prepared statement with named placeholders, run once. exec() returns false on failure and
// error() says why, in a form ready for Result. The statement itself is this thread's cached one
// (see StatementCache): it is reset when the Statement goes, so no read stays open.
class Statement
{
public:
    Statement(const Database &database, const QString &sql);
    ~Statement();
    Statement(const Statement &) = delete;
    Statement &operator=(const Statement &) = delete;

    Statement &bind(const QString &placeholder, const QVariant &value);
    bool exec();
    bool next() { return m_query->next(); }
    QVariant value(int column) const { return m_query->value(column); }
    QVariant value(const QString &name) const { return m_query->value(name); }
    qint64 lastInsertId() const { return m_query->lastInsertId().toLongLong(); }
    int numRowsAffected() const { return m_query->numRowsAffected(); }
    Error error(const QString &what) const { return storageError(*m_query, what); }
    bool prepared() const { return m_prepared; }
    // SQLite's extended result code family for a uniqueness violation.
    bool isConstraintViolation() const;
    void finish() { m_query->finish(); }

private:
    StatementCache::Slot *m_slot = nullptr;
    std::unique_ptr<QSqlQuery> m_own; // when no cached statement is free
    QSqlQuery *m_query = nullptr;
    bool m_prepared = false;
};

// BEGIN IMMEDIATE … COMMIT, rolled back unless commit() succeeds. IMMEDIATE takes the write lock
// up front, so two writers (threads or processes) queue on the busy timeout instead of failing
// with SQLITE_BUSY when a read transaction tries to become a write.
class Transaction
{
public:
    explicit Transaction(const Database &database);
    ~Transaction();
    Transaction(const Transaction &) = delete;
    Transaction &operator=(const Transaction &) = delete;

    bool isActive() const { return m_active; }
    const Error &error() const { return m_error; }
    Result<void> commit();

private:
    QSqlDatabase m_db;
    bool m_active = false;
    Error m_error;
};

} // namespace Trove::Sql
