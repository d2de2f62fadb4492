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

bool Statement::isConstraintViolation() const
{
    // SQLITE_CONSTRAINT is 19; the driver reports the (extended) code as nativeErrorCode.
    const int code = m_query->lastError().nativeErrorCode().toInt();
    return (code & 0xff) == 19;
}

Transaction::Transaction(const Database &database)
    : m_db(QSqlDatabase::database(database.connectionName(), false))
{
    QSqlQuery begin(m_db);
    if (!m_db.isOpen() || !begin.exec(u"BEGIN IMMEDIATE"_s)) {
        m_error = storageError(begin, u"Cannot start a transaction"_s);
        return;
    }
    m_active = true;
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
    return {};
}

} // namespace Trove::Sql
