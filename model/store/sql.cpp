// SPDX-License-Identifier: GPL-3.0-or-later
#include "model/store/sql.h"

#include "model/logging.h"

using namespace Qt::StringLiterals;

namespace Trove::Sql {

Error storageError(const QSqlError &error, const QString &what)
{
    const QString text = what % u": "_s % error.text();
    qCWarning(lcStore).noquote() << text;
    return Error::storage(text);
}

Error storageError(const QSqlQuery &query, const QString &what)
{
    return storageError(query.lastError(), what);
}

QString idsOf(const Database &database, const QString &placeholder)
{
    if (database.dialect() == Database::Dialect::PostgreSQL) {
        return u"SELECT CAST(value AS BIGINT) FROM json_array_elements_text(CAST(%1 AS json))"_s
            .arg(placeholder);
    }
    return u"SELECT value FROM json_each(%1)"_s.arg(placeholder);
}

QString greatest(const Database &database, const QString &a, const QString &b)
{
    const QString function =
        database.dialect() == Database::Dialect::PostgreSQL ? u"greatest"_s : u"max"_s;
    return function % u'(' % a % u", "_s % b % u')';
}

QString likeIgnoringCase(const Database &database)
{
    return database.dialect() == Database::Dialect::PostgreSQL ? u"ILIKE"_s : u"LIKE"_s;
}

QVariant noLimit(const Database &database)
{
    // SQLite takes a negative limit as none; PostgreSQL takes NULL (LIMIT ALL).
    return database.dialect() == Database::Dialect::PostgreSQL ? QVariant() : QVariant(-1);
}

QString returningId(const Database &database)
{
    return database.dialect() == Database::Dialect::PostgreSQL ? u" RETURNING id"_s : QString();
}

StatementCache::StatementCache(const QString &connectionName)
    : m_db(QSqlDatabase::database(connectionName, false))
{
}

StatementCache::~StatementCache() = default;

StatementCache::Slot *StatementCache::acquire(const QString &sql)
{
    std::unique_ptr<Slot> &slot = m_slots[sql];
    if (!slot) {
        slot = std::make_unique<Slot>(m_db);
        slot->query.setForwardOnly(true);
        slot->prepared = m_db.isOpen() && slot->query.prepare(sql);
        if (!slot->prepared) {
            // Keep no broken statement: the caller prepares its own and reports why.
            m_slots.erase(sql);
            return nullptr;
        }
    }
    if (slot->busy) {
        return nullptr;
    }
    slot->busy = true;
    return slot.get();
}

Statement::Statement(const Database &database, const QString &sql)
    : m_dialect(database.dialect())
{
    StatementCache *cache = database.statementCache();
    m_slot = cache ? cache->acquire(sql) : nullptr;
    if (m_slot) {
        m_query = &m_slot->query;
        m_prepared = m_slot->prepared;
        return;
    }
    const QSqlDatabase db = cache ? cache->database() : QSqlDatabase();
    m_own = std::make_unique<QSqlQuery>(db);
    m_query = m_own.get();
    m_query->setForwardOnly(true);
    m_prepared = db.isOpen() && m_query->prepare(sql);
}

Statement::~Statement()
{
    if (m_slot) {
        // Resets the statement (ending its read) and keeps it prepared for the next use.
        m_query->finish();
        m_slot->busy = false;
    }
}

Statement &Statement::bind(const QString &placeholder, const QVariant &value)
{
    m_query->bindValue(placeholder, value);
    return *this;
}

bool Statement::exec()
{
    return m_prepared && m_query->exec();
}

qint64 Statement::insertedId()
{
    if (m_dialect == Database::Dialect::PostgreSQL) {
        return m_query->next() ? m_query->value(0).toLongLong() : 0;
    }
    return lastInsertId();
}

bool Statement::isConstraintViolation() const
{
    if (m_dialect == Database::Dialect::PostgreSQL) {
        // QPSQL reports the SQLSTATE as the native code.
        return m_query->lastError().nativeErrorCode().startsWith(u"23"_s);
    }
    // SQLITE_CONSTRAINT is 19; the driver reports the (extended) code as nativeErrorCode.
    const int code = m_query->lastError().nativeErrorCode().toInt();
    return (code & 0xff) == 19;
}

namespace {
thread_local int t_openTransactions = 0;
} // namespace

bool inTransaction()
{
    return t_openTransactions > 0;
}

TransactionMark::TransactionMark()
{
    ++t_openTransactions;
}

TransactionMark::~TransactionMark()
{
    --t_openTransactions;
}

Transaction::Transaction(const Database &database)
    : m_db(QSqlDatabase::database(database.connectionName(), false))
{
    QSqlQuery begin(m_db);
    const bool postgres = database.dialect() == Database::Dialect::PostgreSQL;
    if (!m_db.isOpen() || !begin.exec(postgres ? u"BEGIN"_s : u"BEGIN IMMEDIATE"_s)) {
        m_error = storageError(begin, u"Cannot start a transaction"_s);
        return;
    }
    m_active = true;
    m_mark.emplace();
    // The write lock, per schema (stores in other schemas of the database do not wait), held
    // until COMMIT or ROLLBACK; 7426 is the key of Trove's write lock (7425 its migrations').
    if (postgres
        && !begin.exec(u"SELECT pg_advisory_xact_lock(7426, hashtext(current_schema()))"_s)) {
        m_error = storageError(begin, u"Cannot take the write lock"_s);
        begin.exec(u"ROLLBACK"_s);
        m_active = false;
        m_mark.reset();
    }
}

Transaction::~Transaction()
{
    if (m_active) {
        QSqlQuery rollback(m_db);
        if (!rollback.exec(u"ROLLBACK"_s)) {
            storageError(rollback, u"Cannot roll back"_s);
        }
    }
}

Result<void> Transaction::commit()
{
    Q_ASSERT(m_active);
    QSqlQuery commit(m_db);
    if (!commit.exec(u"COMMIT"_s)) {
        return storageError(commit, u"Cannot commit"_s);
    }
    m_active = false;
    m_mark.reset();
    return {};
}

} // namespace Trove::Sql
