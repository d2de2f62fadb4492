// SPDX-License-Identifier: GPL-3.0-or-later
#include "model/store/tokenstore.h"

#include "model/store/sql.h"
#include "model/store/time.h"

#include <algorithm>
#include <mutex>

using namespace Qt::StringLiterals;

namespace Trove {

namespace {

const QString PersonalColumns =
    u"id, user_id, name, token_prefix, scopes, expires_at, revoked, last_used_at, created_at"_s;
const QString DeployColumns = u"id, namespace_id, project_id, name, username, token_prefix,"
                              " scopes, expires_at, revoked, last_used_at, created_at"_s;
const QString JobColumns =
    u"id, project_id, user_id, token_prefix, running, created_at, finished_at"_s;

std::optional<QDate> readDate(const QVariant &value)
{
    if (value.isNull()) {
        return std::nullopt;
    }
    return QDate::fromString(value.toString(), Qt::ISODate);
}

QVariant storeDate(const std::optional<QDate> &date)
{
    return date ? QVariant(date->toString(Qt::ISODate)) : QVariant();
}

PersonalAccessToken readPersonal(const Sql::Statement &row)
{
    PersonalAccessToken token;
    token.id = row.value(0).toLongLong();
    token.userId = row.value(1).toLongLong();
    token.name = row.value(2).toString();
    token.prefix = row.value(3).toString();
    token.scopes = row.value(4).toString().split(u',', Qt::SkipEmptyParts);
    token.expiresAt = readDate(row.value(5));
    token.revoked = row.value(6).toBool();
    token.lastUsedAt = StoreTime::fromStored(row.value(7));
    token.createdAt = StoreTime::fromStored(row.value(8));
    return token;
}

DeployToken readDeploy(const Sql::Statement &row)
{
    DeployToken token;
    token.id = row.value(0).toLongLong();
    token.groupId = row.value(1).toLongLong();
    token.projectId = row.value(2).toLongLong();
    token.name = row.value(3).toString();
    token.username = row.value(4).toString();
    token.prefix = row.value(5).toString();
    token.scopes = row.value(6).toString().split(u',', Qt::SkipEmptyParts);
    token.expiresAt = readDate(row.value(7));
    token.revoked = row.value(8).toBool();
    token.lastUsedAt = StoreTime::fromStored(row.value(9));
    token.createdAt = StoreTime::fromStored(row.value(10));
    return token;
}

// Readers that give each token the newest last use: the database's or this process's unwritten.
auto personalReader(const TokenUsage &usage)
{
    return [&usage](const Sql::Statement &row) {
        PersonalAccessToken token = readPersonal(row);
        token.lastUsedAt = usage.newest(TokenKind::Personal, token.id, token.lastUsedAt);
        return token;
    };
}

auto deployReader(const TokenUsage &usage)
{
    return [&usage](const Sql::Statement &row) {
        DeployToken token = readDeploy(row);
        token.lastUsedAt = usage.newest(TokenKind::Deploy, token.id, token.lastUsedAt);
        return token;
    };
}

JobToken readJob(const Sql::Statement &row)
{
    JobToken token;
    token.id = row.value(0).toLongLong();
    token.projectId = row.value(1).toLongLong();
    token.userId = row.value(2).toLongLong();
    token.prefix = row.value(3).toString();
    token.running = row.value(4).toBool();
    token.createdAt = StoreTime::fromStored(row.value(5));
    token.finishedAt = StoreTime::fromStored(row.value(6));
    return token;
}

QString tableOf(TokenKind kind)
{
    switch (kind) {
    case TokenKind::Personal:
        return u"personal_access_tokens"_s;
    case TokenKind::Deploy:
        return u"deploy_tokens"_s;
    case TokenKind::Job:
        return u"job_tokens"_s;
    }
    return {};
}

template<typename T, typename Reader>
Result<T> one(Sql::Statement &select, Reader reader, const QString &missing)
{
    if (!select.exec()) {
        return select.error(u"Cannot read tokens"_s);
    }
    if (!select.next()) {
        return Error::notFound(missing);
    }
    return reader(select);
}

template<typename T, typename Reader>
Result<QList<T>> all(Sql::Statement &select, Reader reader)
{
    if (!select.exec()) {
        return select.error(u"Cannot read tokens"_s);
    }
    QList<T> rows;
    while (select.next()) {
        rows.append(reader(select));
    }
    return rows;
}

} // namespace

TokenUsage::TokenUsage()
    : m_lastFlushMs(QDateTime::currentMSecsSinceEpoch())
{
}

quint64 TokenUsage::keyOf(TokenKind kind, qint64 id)
{
    return (quint64(id) << 2) | quint64(kind);
}

bool TokenUsage::record(const Use &use, const QDateTime &stored, qint64 announceIntervalMs)
{
    const QMutexLocker locker(&m_mutex);
    Entry &entry = m_entries[keyOf(use.kind, use.id)];
    if (!entry.announced.isValid()) {
        entry.announced = stored;
    }
    if (!entry.at.isValid() || entry.at < use.at) {
        entry.at = use.at;
        if (!entry.pending) {
            entry.pending = true;
            ++m_pendingCount;
        }
    }
    if (entry.announced.isValid() && entry.announced.msecsTo(use.at) <= announceIntervalMs) {
        return false;
    }
    entry.announced = use.at;
    return true;
}

QDateTime TokenUsage::lastUse(TokenKind kind, qint64 id) const
{
    const QMutexLocker locker(&m_mutex);
    return m_entries.value(keyOf(kind, id)).at;
}

QDateTime TokenUsage::newest(TokenKind kind, qint64 id, const QDateTime &stored) const
{
    const QDateTime inMemory = lastUse(kind, id);
    return inMemory.isValid() && (!stored.isValid() || stored < inMemory) ? inMemory : stored;
}

bool TokenUsage::flushDue(qint64 intervalMs) const
{
    const QMutexLocker locker(&m_mutex);
    return m_pendingCount > 0 && QDateTime::currentMSecsSinceEpoch() - m_lastFlushMs >= intervalMs;
}

QList<TokenUsage::Use> TokenUsage::pending() const
{
    const QMutexLocker locker(&m_mutex);
    QList<Use> uses;
    uses.reserve(m_pendingCount);
    for (auto it = m_entries.cbegin(); it != m_entries.cend(); ++it) {
        if (it->pending) {
            uses.append({TokenKind(it.key() & 3), qint64(it.key() >> 2), it->at});
        }
    }
    // One order for every process: instances flushing into one PostgreSQL store at once take
    // the rows' locks in the same order, so neither waits for the other in a cycle (a
    // deadlock PostgreSQL would end by failing one flush). A hash's order differs per process.
    std::sort(uses.begin(), uses.end(), [](const Use &a, const Use &b) {
        return keyOf(a.kind, a.id) < keyOf(b.kind, b.id);
    });
    return uses;
}

void TokenUsage::markWritten(const QList<Use> &written)
{
    const QMutexLocker locker(&m_mutex);
    m_lastFlushMs = QDateTime::currentMSecsSinceEpoch();
    for (const Use &use : written) {
        const auto it = m_entries.find(keyOf(use.kind, use.id));
        // A use recorded while the flush ran is newer and still has to be written.
        if (it != m_entries.end() && it->pending && it->at == use.at) {
            it->pending = false;
            --m_pendingCount;
        }
    }
}

TokenStore::TokenStore(const Database &database)
    : m_database(database)
{
}

Result<qint64> TokenStore::insertPersonalToken(const PersonalAccessToken &token,
                                               const QString &digest)
{
    Sql::Statement insert(m_database,
                          u"INSERT INTO personal_access_tokens (user_id, name, token_digest,"
                          " token_prefix, scopes, expires_at, created_at)"
                          " VALUES (:user, :name, :digest, :prefix, :scopes, :expires, :at)"_s
                              % Sql::returningId(m_database));
    insert.bind(u":user"_s, token.userId)
        .bind(u":name"_s, token.name)
        .bind(u":digest"_s, digest)
        .bind(u":prefix"_s, token.prefix)
        .bind(u":scopes"_s, token.scopes.join(u','))
        .bind(u":expires"_s, storeDate(token.expiresAt))
        .bind(u":at"_s, StoreTime::toStored(token.createdAt));
    if (!insert.exec()) {
        return insert.error(u"Cannot create the personal access token"_s);
    }
    return insert.insertedId();
}

Result<qint64> TokenStore::insertDeployToken(const DeployToken &token, const QString &digest)
{
    Sql::Statement insert(m_database,
                          u"INSERT INTO deploy_tokens (namespace_id, project_id, name, username,"
                          " token_digest, token_prefix, scopes, expires_at, created_at)"
                          " VALUES (:group, :project, :name, :username, :digest, :prefix, :scopes,"
                          " :expires, :at)"_s
                              % Sql::returningId(m_database));
    insert.bind(u":group"_s, token.groupId ? QVariant(token.groupId) : QVariant())
        .bind(u":project"_s, token.projectId ? QVariant(token.projectId) : QVariant())
        .bind(u":name"_s, token.name)
        .bind(u":username"_s, token.username)
        .bind(u":digest"_s, digest)
        .bind(u":prefix"_s, token.prefix)
        .bind(u":scopes"_s, token.scopes.join(u','))
        .bind(u":expires"_s, storeDate(token.expiresAt))
        .bind(u":at"_s, StoreTime::toStored(token.createdAt));
    if (!insert.exec()) {
        return insert.error(u"Cannot create the deploy token"_s);
    }
    return insert.insertedId();
}

Result<qint64> TokenStore::insertJobToken(const JobToken &token, const QString &digest)
{
    Sql::Statement insert(
        m_database,
        u"INSERT INTO job_tokens (project_id, user_id, token_digest, token_prefix,"
        " running, created_at) VALUES (:project, :user, :digest, :prefix, 1, :at)"_s
            % Sql::returningId(m_database));
    insert.bind(u":project"_s, token.projectId)
        .bind(u":user"_s, token.userId)
        .bind(u":digest"_s, digest)
        .bind(u":prefix"_s, token.prefix)
        .bind(u":at"_s, StoreTime::toStored(token.createdAt));
    if (!insert.exec()) {
        return insert.error(u"Cannot create the job token"_s);
    }
    return insert.insertedId();
}

Result<PersonalAccessToken> TokenStore::personalTokenByDigest(const QString &digest) const
{
    Sql::Statement select(m_database,
                          u"SELECT "_s % PersonalColumns
                              % u" FROM personal_access_tokens WHERE token_digest = :digest"_s);
    select.bind(u":digest"_s, digest);
    return one<PersonalAccessToken>(
        select, personalReader(m_database.tokenUsage()), u"Unknown token"_s);
}

Result<DeployToken> TokenStore::deployTokenByDigest(const QString &digest) const
{
    Sql::Statement select(m_database,
                          u"SELECT "_s % DeployColumns
                              % u" FROM deploy_tokens WHERE token_digest = :digest"_s);
    select.bind(u":digest"_s, digest);
    return one<DeployToken>(select, deployReader(m_database.tokenUsage()), u"Unknown token"_s);
}

Result<JobToken> TokenStore::jobTokenByDigest(const QString &digest) const
{
    Sql::Statement select(
        m_database, u"SELECT "_s % JobColumns % u" FROM job_tokens WHERE token_digest = :digest"_s);
    select.bind(u":digest"_s, digest);
    return one<JobToken>(select, readJob, u"Unknown token"_s);
}

Result<PersonalAccessToken> TokenStore::personalToken(qint64 id) const
{
    Sql::Statement select(m_database,
                          u"SELECT "_s % PersonalColumns
                              % u" FROM personal_access_tokens WHERE id = :id"_s);
    select.bind(u":id"_s, id);
    return one<PersonalAccessToken>(select,
                                    personalReader(m_database.tokenUsage()),
                                    u"Personal access token %1 not found"_s.arg(id));
}

Result<DeployToken> TokenStore::deployToken(qint64 id) const
{
    Sql::Statement select(m_database,
                          u"SELECT "_s % DeployColumns % u" FROM deploy_tokens WHERE id = :id"_s);
    select.bind(u":id"_s, id);
    return one<DeployToken>(
        select, deployReader(m_database.tokenUsage()), u"Deploy token %1 not found"_s.arg(id));
}

Result<JobToken> TokenStore::jobToken(qint64 id) const
{
    Sql::Statement select(m_database,
                          u"SELECT "_s % JobColumns % u" FROM job_tokens WHERE id = :id"_s);
    select.bind(u":id"_s, id);
    return one<JobToken>(select, readJob, u"Job token %1 not found"_s.arg(id));
}

Result<QList<PersonalAccessToken>> TokenStore::personalTokens() const
{
    Sql::Statement select(
        m_database, u"SELECT "_s % PersonalColumns % u" FROM personal_access_tokens ORDER BY id"_s);
    return all<PersonalAccessToken>(select, personalReader(m_database.tokenUsage()));
}

Result<QList<DeployToken>> TokenStore::deployTokens() const
{
    Sql::Statement select(m_database,
                          u"SELECT "_s % DeployColumns % u" FROM deploy_tokens ORDER BY id"_s);
    return all<DeployToken>(select, deployReader(m_database.tokenUsage()));
}

Result<QList<JobToken>> TokenStore::jobTokens() const
{
    Sql::Statement select(m_database,
                          u"SELECT "_s % JobColumns % u" FROM job_tokens ORDER BY id"_s);
    return all<JobToken>(select, readJob);
}

Result<void> TokenStore::revoke(TokenKind kind, qint64 id)
{
    Q_ASSERT(kind != TokenKind::Job);
    Sql::Statement update(m_database,
                          u"UPDATE "_s % tableOf(kind) % u" SET revoked = 1 WHERE id = :id"_s);
    update.bind(u":id"_s, id);
    if (!update.exec()) {
        return update.error(u"Cannot revoke token %1"_s.arg(id));
    }
    if (update.numRowsAffected() == 0) {
        return Error::notFound(u"Token %1 not found"_s.arg(id));
    }
    return {};
}

Result<void> TokenStore::finishJob(qint64 id, const QDateTime &at)
{
    Sql::Statement update(m_database,
                          u"UPDATE job_tokens SET running = 0, finished_at = :at"
                          " WHERE id = :id AND running = 1"_s);
    update.bind(u":at"_s, StoreTime::toStored(at)).bind(u":id"_s, id);
    if (!update.exec()) {
        return update.error(u"Cannot finish job %1"_s.arg(id));
    }
    return {};
}

Result<int> TokenStore::revokeTokensOfUser(qint64 userId, const QDateTime &at)
{
    Sql::Statement revoke(m_database,
                          u"UPDATE personal_access_tokens SET revoked = 1"
                          " WHERE user_id = :user AND revoked = 0"_s);
    revoke.bind(u":user"_s, userId);
    if (!revoke.exec()) {
        return revoke.error(u"Cannot revoke the user's tokens"_s);
    }
    const int revoked = revoke.numRowsAffected();
    Sql::Statement finish(m_database,
                          u"UPDATE job_tokens SET running = 0, finished_at = :at"
                          " WHERE user_id = :user AND running = 1"_s);
    finish.bind(u":at"_s, StoreTime::toStored(at)).bind(u":user"_s, userId);
    if (!finish.exec()) {
        return finish.error(u"Cannot finish the user's jobs"_s);
    }
    return revoked + finish.numRowsAffected();
}

TokenUsage &TokenStore::usage() const
{
    return m_database.tokenUsage();
}

Result<int> TokenStore::flushUsage(Database::LockWait wait)
{
    TokenUsage &usage = m_database.tokenUsage();
    std::unique_lock<QMutex> flushing(usage.flushLock(), std::defer_lock);
    if (wait == Database::LockWait::Yes) {
        flushing.lock();
    } else if (!flushing.try_lock()) {
        return Error::conflict(u"Another thread is writing the token uses"_s);
    }
    const QList<TokenUsage::Use> uses = usage.pending();
    if (uses.isEmpty()) {
        return 0;
    }
    const Result<void> written = m_database.writeQuietly(
        [this, &uses]() -> Result<void> {
            for (const TokenUsage::Use &use : uses) {
                // Newest wins here too: another process may have written a later use.
                Sql::Statement update(
                    m_database,
                    u"UPDATE "_s % tableOf(use.kind) % u" SET last_used_at = "_s
                        % Sql::greatest(m_database, u"coalesce(last_used_at, 0)"_s, u":at"_s)
                        % u" WHERE id = :id"_s);
                update.bind(u":at"_s, StoreTime::toStored(use.at)).bind(u":id"_s, use.id);
                if (!update.exec()) {
                    return update.error(u"Cannot record the use of token %1"_s.arg(use.id));
                }
            }
            return {};
        },
        wait);
    if (!written) {
        return written.error();
    }
    usage.markWritten(uses);
    return int(uses.size());
}

} // namespace Trove
