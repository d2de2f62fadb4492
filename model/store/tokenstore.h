// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "model/domain.h"
#include "model/result.h"

#include <QByteArray>

namespace Trove {

class Database;

// Personal access, deploy and CI job tokens. Only SHA-256 digests (hex) of the secrets are
// stored; a lookup by digest is one indexed query.
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
    // The stored digest of a token, for the constant-time comparison after the lookup.
    Result<QString> digestOf(TokenKind kind, qint64 id) const;

    Result<PersonalAccessToken> personalToken(qint64 id) const;
    Result<DeployToken> deployToken(qint64 id) const;
    Result<JobToken> jobToken(qint64 id) const;

    Result<QList<PersonalAccessToken>> personalTokens() const;
    Result<QList<DeployToken>> deployTokens() const;
    Result<QList<JobToken>> jobTokens() const;

    // NotFound when no such token exists.
    Result<void> revoke(TokenKind kind, qint64 id);
    Result<void> finishJob(qint64 id, const QDateTime &at);
    Result<void> touch(TokenKind kind, qint64 id, const QDateTime &at);

private:
    const Database &m_database;
};

} // namespace Trove
