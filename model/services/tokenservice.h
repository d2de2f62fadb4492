// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "model/actor.h"
#include "model/domain.h"
#include "model/result.h"
#include "model/store/tokenstore.h"

#include <atomic>

namespace Trove {

class Database;
class Events;

// Creates, checks and revokes tokens. Secrets are random, stored only as SHA-256 digests plus a
// short visible prefix, and returned once, by the create functions.
class TokenService final
{
public:
    TokenService(const Database &database, Events *events = nullptr);
    // Writes the uses not yet written (flushUsage()), waiting for the write lock if need be.
    ~TokenService();
    TokenService(const TokenService &) = delete;
    TokenService &operator=(const TokenService &) = delete;

    // Scopes: api, read_api. Expiry is optional; an expired token is refused from that day on.
    Result<CreatedToken> createPersonalAccessToken(qint64 userId,
                                                   const QString &name,
                                                   const QStringList &scopes,
                                                   const std::optional<QDate> &expiresAt = {});
    // Exactly one of groupId and projectId. Scopes: read_package_registry,
    // write_package_registry. The username defaults to "trove+deploy-token-<id>".
    Result<CreatedToken> createDeployToken(qint64 groupId,
                                           qint64 projectId,
                                           const QString &name,
                                           const QStringList &scopes,
                                           const std::optional<QDate> &expiresAt = {},
                                           const QString &username = {});
    // A token for a running CI job of the project, acting as the user.
    Result<CreatedToken> createJobToken(qint64 projectId, qint64 userId);
    // Ends the job: its token is refused from now on. NotFound for an unknown token.
    Result<void> finishJob(const QString &token);
    Result<void> revoke(TokenKind kind, qint64 id);

    // Who the token belongs to. Unauthorized for an unknown, revoked or expired token and for
    // the token of a finished job. One indexed lookup; the digests are then compared in constant
    // time. Records the use in memory, at once visible to every token read of this process
    // (TokenStore), and writes the recorded uses in one batch when the last batch is
    // usageFlushIntervalMs() old, never waiting for the write lock (a busy lock leaves them for
    // the next time). tokensChanged at most once a minute per token.
    Result<Actor> authenticate(const QString &token);

    // Writes every recorded use now, waiting for the write lock: the owner calls it before it
    // goes (the destructor does), so that no use is lost. Returns the number written.
    Result<int> flushUsage();
    qint64 usageFlushIntervalMs() const { return m_usageFlushIntervalMs; }
    // 30 s by default; tests shorten it.
    void setUsageFlushIntervalMs(qint64 ms) { m_usageFlushIntervalMs = ms; }

    static std::optional<TokenKind> kindOf(QStringView token);
    static QString digest(QStringView token);
    static bool validPersonalScope(const QString &scope);
    static bool validDeployScope(const QString &scope);

    TokenStore &store() { return m_store; }

private:
    Result<CreatedToken> newSecret(TokenKind kind) const;

    const Database &m_database;
    TokenStore m_store;
    Events *m_events;
    std::atomic<qint64> m_usageFlushIntervalMs{30 * 1000};
};

} // namespace Trove
