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
#include <optional>
#include <unordered_map>
#include <utility>

namespace Trove::Sql {

Error storageError(const QSqlError &error, const QString &what);
Error storageError(const QSqlQuery &query, const QString &what);

// SQL that differs between the dialects (docs/postgresql.md), in one place. Everything else the
// stores write is meant to run on both as it stands.

// The integers of a bound JSON array (`placeholder` names it), as a subquery's one column:
// `x IN (<this>)`. One statement text for any number of ids, so one prepared statement.
QString idsOf(const Database &database, const QString &placeholder);
// The larger of two values (SQLite's two-argument max(), PostgreSQL's greatest()).
QString greatest(const Database &database, const QString &a, const QString &b);
// LIKE that ignores ASCII case, as SQLite's does (PostgreSQL: ILIKE).
QString likeIgnoringCase(const Database &database);
// The value of `LIMIT :x` that sets no limit.
QVariant noLimit(const Database &database);
// Appended to an INSERT whose new row's id Statement::insertedId() reads.
QString returningId(const Database &database);

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
    // The id of the row an INSERT … returningId() made, on either dialect (QPSQL has no
    // lastInsertId() for tables without OIDs: PostgreSQL answers the RETURNING clause).
    qint64 insertedId();
    int numRowsAffected() const { return m_query->numRowsAffected(); }
    Error error(const QString &what) const { return storageError(*m_query, what); }
    bool prepared() const { return m_prepared; }
    // A constraint refused the write: SQLite's SQLITE_CONSTRAINT family, PostgreSQL's SQLSTATE
    // class 23 (integrity constraint violation).
    bool isConstraintViolation() const;
    void finish() { m_query->finish(); }

private:
    StatementCache::Slot *m_slot = nullptr;
    std::unique_ptr<QSqlQuery> m_own; // when no cached statement is free
    QSqlQuery *m_query = nullptr;
    bool m_prepared = false;
    Database::Dialect m_dialect = Database::Dialect::SQLite;
};

// Whether the calling thread has a write transaction open (a Transaction, or the work of
// Database::writeQuietly()): a reader that writes first (Database::catchUpSearchIndex()) must not
// begin another one inside it.
bool inTransaction();

// Counts the calling thread's open write transaction for inTransaction() while it lives.
class TransactionMark
{
public:
    TransactionMark();
    ~TransactionMark();
    TransactionMark(const TransactionMark &) = delete;
    TransactionMark &operator=(const TransactionMark &) = delete;
};

// BEGIN IMMEDIATE … COMMIT, rolled back unless commit() succeeds. IMMEDIATE takes the write lock
// up front, so two writers (threads or processes) queue on the busy timeout instead of failing
// with SQLITE_BUSY when a read transaction tries to become a write. On PostgreSQL the same
// store-wide write lock is a transaction-level advisory lock taken after BEGIN: writers on every
// instance queue as they do on SQLite, so a service's read-then-write stays atomic, and the
// unique constraints stay the last word.
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
    std::optional<TransactionMark> m_mark; // while m_active
};

} // namespace Trove::Sql
