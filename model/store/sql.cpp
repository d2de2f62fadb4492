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

Statement::Statement(const Database &database, const QString &sql)
    : m_db(QSqlDatabase::database(database.connectionName(), false))
    , m_query(m_db)
{
    m_query.setForwardOnly(true);
    m_prepared = m_db.isOpen() && m_query.prepare(sql);
}

Statement &Statement::bind(const QString &placeholder, const QVariant &value)
{
    m_query.bindValue(placeholder, value);
    return *this;
}

bool Statement::exec()
{
    return m_prepared && m_query.exec();
}

bool Statement::isConstraintViolation() const
{
    // SQLITE_CONSTRAINT is 19; the driver reports the (extended) code as nativeErrorCode.
    const int code = m_query.lastError().nativeErrorCode().toInt();
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
