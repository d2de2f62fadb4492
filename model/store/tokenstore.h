// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "model/domain.h"
#include "model/result.h"
#include "model/store/database.h"

#include <QByteArray>
#include <QDateTime>
#include <QHash>
#include <QList>
#include <QMutex>

namespace Trove {

// When tokens were last used, kept in memory and written in batches (TokenStore::flushUsage()).
// A write per use would wait behind a publish holding the write lock, and every commit clears
// the server's response cache. One per Database (Database::tokenUsage()); thread-safe, as the
// server's handlers authenticate on several threads at once.
class TokenUsage final
{
public:
    struct Use
    {
        TokenKind kind = TokenKind::Personal;
        qint64 id = 0;
        QDateTime at;
    };

    TokenUsage();
    TokenUsage(const TokenUsage &) = delete;
    TokenUsage &operator=(const TokenUsage &) = delete;

    // Records a use at `at` (`stored`: the last use the database holds). True when the use
    // should be announced (Events::tokensChanged): the token's last announcement, or else its
    // stored last use, is older than `announceIntervalMs`.
    bool record(const Use &use, const QDateTime &stored, qint64 announceIntervalMs);
    // The newest use recorded in this process; invalid if none.
    QDateTime lastUse(TokenKind kind, qint64 id) const;
    // `stored` or the newest use in memory, whichever is newer.
    QDateTime newest(TokenKind kind, qint64 id, const QDateTime &stored) const;

    // Whether uses wait to be written and the last flush is `intervalMs` or more ago.
    bool flushDue(qint64 intervalMs) const;
    QList<Use> pending() const;
    // After a flush of `written`: those uses are in the database (newer ones stay pending).
    void markWritten(const QList<Use> &written);

    // Held by the one thread that flushes; others skip their flush.
    QMutex &flushLock() { return m_flushLock; }

private:
    struct Entry
    {
        QDateTime at;
        QDateTime announced;
        bool pending = false;
    };
    static quint64 keyOf(TokenKind kind, qint64 id);

    mutable QMutex m_mutex;
    QHash<quint64, Entry> m_entries;
    qint64 m_lastFlushMs; // QDateTime::currentMSecsSinceEpoch()
    qsizetype m_pendingCount = 0;
    QMutex m_flushLock;
};

// Personal access, deploy and CI job tokens. Only SHA-256 digests (hex) of the secrets are
// stored; a lookup by digest is one indexed query. Every token read carries the newest last use,
// from the database or from the uses not yet written (TokenUsage).
class TokenStore final
{
public:
    explicit TokenStore(const Database &database);

    Result<qint64> insertPersonalToken(const PersonalAccessToken &token, const QString &digest);
    Result<qint64> insertDeployToken(const DeployToken &token, const QString &digest);
    Result<qint64> insertJobToken(const JobToken &token, const QString &digest);

    // NotFound when no token has this digest.
    Result<PersonalAccessToken> personalTokenByDigest(const QString &digest) const;
    Result<DeployToken> deployTokenByDigest(const QString &digest) const;
    Result<JobToken> jobTokenByDigest(const QString &digest) const;

    Result<PersonalAccessToken> personalToken(qint64 id) const;
    Result<DeployToken> deployToken(qint64 id) const;
    Result<JobToken> jobToken(qint64 id) const;

    Result<QList<PersonalAccessToken>> personalTokens() const;
    Result<QList<DeployToken>> deployTokens() const;
    Result<QList<JobToken>> jobTokens() const;

    // NotFound when no such token exists.
    Result<void> revoke(TokenKind kind, qint64 id);
    Result<void> finishJob(qint64 id, const QDateTime &at);
    // Revokes every personal access token of the user and finishes their running jobs; the
    // number of tokens that were usable until now.
    Result<int> revokeTokensOfUser(qint64 userId, const QDateTime &at);

    TokenUsage &usage() const;
    // Writes every pending use in one quiet transaction (Database::writeQuietly(): cached
    // answers stay valid). The number of uses written; Conflict with LockWait::No when another
    // connection holds the write lock or another thread is flushing, and the uses stay pending.
    Result<int> flushUsage(Database::LockWait wait);

private:
    const Database &m_database;
};

} // namespace Trove
