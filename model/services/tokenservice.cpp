// SPDX-License-Identifier: GPL-3.0-or-later
#include "model/services/tokenservice.h"

#include "model/events.h"
#include "model/logging.h"
#include "model/store/database.h"
#include "model/store/namespacestore.h"
#include "model/store/userstore.h"

#include <QCryptographicHash>
#include <QRandomGenerator>

using namespace Qt::StringLiterals;

namespace Trove {

namespace {

constexpr QStringView PersonalPrefix = u"tpat-";
constexpr QStringView DeployPrefix = u"tdt-";
constexpr QStringView JobPrefix = u"tjob-";
constexpr int SecretLength = 40;
constexpr int VisiblePrefixLength = 12;
constexpr qint64 AnnounceIntervalMs = 60 * 1000;

QStringView prefixOf(TokenKind kind)
{
    switch (kind) {
    case TokenKind::Personal:
        return PersonalPrefix;
    case TokenKind::Deploy:
        return DeployPrefix;
    case TokenKind::Job:
        return JobPrefix;
    }
    return {};
}

const Error Unknown = Error::unauthorized(u"401 Unauthorized"_s);

} // namespace

TokenService::TokenService(const Database &database, Events *events)
    : m_database(database)
    , m_store(database)
    , m_events(events)
{
}

TokenService::~TokenService()
{
    if (const Result<int> flushed = flushUsage(); !flushed) {
        qCWarning(lcStore).noquote() << "Token uses not recorded:" << flushed.error().message;
    }
}

Result<int> TokenService::flushUsage()
{
    return m_store.flushUsage(Database::LockWait::Yes);
}

std::optional<TokenKind> TokenService::kindOf(QStringView token)
{
    for (const TokenKind kind : {TokenKind::Personal, TokenKind::Deploy, TokenKind::Job}) {
        if (token.startsWith(prefixOf(kind))) {
            return kind;
        }
    }
    return std::nullopt;
}

QString TokenService::digest(QStringView token)
{
    return QString::fromLatin1(
        QCryptographicHash::hash(token.toUtf8(), QCryptographicHash::Sha256).toHex());
}

bool TokenService::validPersonalScope(const QString &scope)
{
    return scope == QStringView(Scope::Api) || scope == QStringView(Scope::ReadApi);
}

bool TokenService::validDeployScope(const QString &scope)
{
    return scope == QStringView(Scope::ReadPackageRegistry)
        || scope == QStringView(Scope::WritePackageRegistry);
}

Result<CreatedToken> TokenService::newSecret(TokenKind kind) const
{
    static constexpr char16_t Alphabet[] =
        u"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    QString token = prefixOf(kind).toString();
    QRandomGenerator *random = QRandomGenerator::system();
    for (int i = 0; i < SecretLength; ++i) {
        token.append(QChar(Alphabet[random->bounded(62)]));
    }
    CreatedToken created;
    created.token = token;
    created.prefix = token.left(VisiblePrefixLength);
    return created;
}

Result<CreatedToken> TokenService::createPersonalAccessToken(qint64 userId,
                                                             const QString &name,
                                                             const QStringList &scopes,
                                                             const std::optional<QDate> &expiresAt)
{
    if (scopes.isEmpty()) {
        return Error::invalid(
            u"A personal access token needs at least one scope (api, read_api)"_s);
    }
    for (const QString &scope : scopes) {
        if (!validPersonalScope(scope)) {
            return Error::invalid(
                u"Unknown scope %1 for a personal access token (use api or read_api)"_s.arg(scope));
        }
    }
    if (expiresAt
        && (!expiresAt->isValid() || *expiresAt <= QDateTime::currentDateTimeUtc().date())) {
        return Error::invalid(u"The expiry date must be in the future"_s);
    }
    if (const Result<User> user = UserStore(m_database).userById(userId); !user) {
        return user.error();
    }
    Result<CreatedToken> created = newSecret(TokenKind::Personal);
    PersonalAccessToken token;
    token.userId = userId;
    token.name = name.isEmpty() ? u"personal access token"_s : name;
    token.prefix = created->prefix;
    token.scopes = scopes;
    token.scopes.removeDuplicates();
    token.expiresAt = expiresAt;
    token.createdAt = QDateTime::currentDateTimeUtc();
    const Result<qint64> id = m_store.insertPersonalToken(token, digest(created->token));
    if (!id) {
        return id.error();
    }
    created->id = *id;
    if (m_events) {
        emit m_events->tokensChanged();
    }
    return created;
}

Result<CreatedToken> TokenService::createDeployToken(qint64 groupId,
                                                     qint64 projectId,
                                                     const QString &name,
                                                     const QStringList &scopes,
                                                     const std::optional<QDate> &expiresAt,
                                                     const QString &username)
{
    Q_ASSERT((groupId == 0) != (projectId == 0));
    if (scopes.isEmpty()) {
        return Error::invalid(u"A deploy token needs at least one scope"
                              " (read_package_registry, write_package_registry)"_s);
    }
    for (const QString &scope : scopes) {
        if (!validDeployScope(scope)) {
            return Error::invalid(
                u"Unknown scope %1 for a deploy token"
                " (use read_package_registry or write_package_registry)"_s.arg(scope));
        }
    }
    if (expiresAt
        && (!expiresAt->isValid() || *expiresAt <= QDateTime::currentDateTimeUtc().date())) {
        return Error::invalid(u"The expiry date must be in the future"_s);
    }
    const NamespaceStore namespaces(m_database);
    if (groupId) {
        if (const Result<Group> group = namespaces.groupById(groupId); !group) {
            return group.error();
        }
    } else if (const Result<Project> project = namespaces.projectById(projectId); !project) {
        return project.error();
    }
    Result<CreatedToken> created = newSecret(TokenKind::Deploy);
    DeployToken token;
    token.groupId = groupId;
    token.projectId = projectId;
    token.name = name.isEmpty() ? u"deploy token"_s : name;
    token.username = username;
    token.prefix = created->prefix;
    token.scopes = scopes;
    token.scopes.removeDuplicates();
    token.expiresAt = expiresAt;
    token.createdAt = QDateTime::currentDateTimeUtc();
    if (token.username.isEmpty()) {
        // GitLab's default username for deploy tokens carries the id, known only after insert;
        // the prefix keeps it unique and recognisable.
        token.username = u"trove+deploy-token-"_s + created->prefix.mid(DeployPrefix.size());
    }
    const Result<qint64> id = m_store.insertDeployToken(token, digest(created->token));
    if (!id) {
        return id.error();
    }
    created->id = *id;
    if (m_events) {
        emit m_events->tokensChanged();
    }
    return created;
}

Result<CreatedToken> TokenService::createJobToken(qint64 projectId, qint64 userId)
{
    if (const Result<Project> project = NamespaceStore(m_database).projectById(projectId);
        !project) {
        return project.error();
    }
    if (const Result<User> user = UserStore(m_database).userById(userId); !user) {
        return user.error();
    }
    Result<CreatedToken> created = newSecret(TokenKind::Job);
    JobToken token;
    token.projectId = projectId;
    token.userId = userId;
    token.prefix = created->prefix;
    token.createdAt = QDateTime::currentDateTimeUtc();
    const Result<qint64> id = m_store.insertJobToken(token, digest(created->token));
    if (!id) {
        return id.error();
    }
    created->id = *id;
    if (m_events) {
        emit m_events->tokensChanged();
    }
    return created;
}

Result<void> TokenService::finishJob(const QString &token)
{
    if (kindOf(token) != TokenKind::Job) {
        return Error::invalid(u"Not a job token"_s);
    }
    const Result<JobToken> job = m_store.jobTokenByDigest(digest(token));
    if (!job) {
        return job.error().code == Error::Code::NotFound
            ? Error::notFound(u"No job has this token"_s)
            : job.error();
    }
    if (const Result<void> finished = m_store.finishJob(job->id, QDateTime::currentDateTimeUtc());
        !finished) {
        return finished;
    }
    if (m_events) {
        emit m_events->tokensChanged();
    }
    return {};
}

Result<void> TokenService::revoke(TokenKind kind, qint64 id)
{
    Result<void> result = kind == TokenKind::Job
        ? m_store.finishJob(id, QDateTime::currentDateTimeUtc())
        : m_store.revoke(kind, id);
    if (result && m_events) {
        emit m_events->tokensChanged();
    }
    return result;
}

Result<Actor> TokenService::authenticate(const QString &token)
{
    const std::optional<TokenKind> kind = kindOf(token);
    if (!kind || token.size() != prefixOf(*kind).size() + SecretLength) {
        return Unknown;
    }
    const QString tokenDigest = digest(token);
    const QDateTime now = QDateTime::currentDateTimeUtc();
    Actor actor;
    QDateTime lastUsed;
    qint64 id = 0;

    switch (*kind) {
    case TokenKind::Personal: {
        const Result<PersonalAccessToken> pat = m_store.personalTokenByDigest(tokenDigest);
        if (!pat) {
            return pat.error().code == Error::Code::NotFound ? Unknown : pat.error();
        }
        if (pat->revoked) {
            return Error::unauthorized(
                u"Token was revoked. You have to re-authorize from the user."_s);
        }
        if (pat->expiresAt && *pat->expiresAt <= now.date()) {
            return Error::unauthorized(
                u"Token is expired. You can either do re-authorization or token refresh."_s);
        }
        const Result<User> user = UserStore(m_database).userById(pat->userId);
        if (!user) {
            return Unknown;
        }
        actor.kind = Actor::Kind::User;
        actor.userId = user->id;
        actor.username = user->username;
        actor.admin = user->admin;
        actor.scopes = pat->scopes;
        actor.tokenName = pat->name;
        id = pat->id;
        lastUsed = pat->lastUsedAt;
        break;
    }
    case TokenKind::Deploy: {
        const Result<DeployToken> deploy = m_store.deployTokenByDigest(tokenDigest);
        if (!deploy) {
            return deploy.error().code == Error::Code::NotFound ? Unknown : deploy.error();
        }
        if (deploy->revoked) {
            return Error::unauthorized(
                u"Token was revoked. You have to re-authorize from the user."_s);
        }
        if (deploy->expiresAt && *deploy->expiresAt <= now.date()) {
            return Error::unauthorized(
                u"Token is expired. You can either do re-authorization or token refresh."_s);
        }
        actor.kind = Actor::Kind::DeployToken;
        actor.username = deploy->username;
        actor.scopes = deploy->scopes;
        actor.tokenName = deploy->name;
        actor.deployGroupId = deploy->groupId;
        actor.deployProjectId = deploy->projectId;
        id = deploy->id;
        lastUsed = deploy->lastUsedAt;
        break;
    }
    case TokenKind::Job: {
        const Result<JobToken> job = m_store.jobTokenByDigest(tokenDigest);
        if (!job) {
            return job.error().code == Error::Code::NotFound ? Unknown : job.error();
        }
        if (!job->running) {
            return Unknown;
        }
        const Result<User> user = UserStore(m_database).userById(job->userId);
        if (!user) {
            return Unknown;
        }
        actor.kind = Actor::Kind::JobToken;
        actor.userId = user->id;
        actor.username = user->username;
        actor.jobProjectId = job->projectId;
        actor.tokenName = u"CI job token"_s;
        id = job->id;
        break;
    }
    }

    // The row was found by the SHA-256 digest as an index key. The lookup's timing can at most
    // tell how many leading bytes of a guessed secret's digest match a stored one, which does
    // not help to guess a secret (that would take a preimage), so no second, constant-time
    // comparison of the digests is needed.
    actor.tokenId = id;
    if (*kind != TokenKind::Job) {
        // In memory: a write here would wait behind a publish and clear the response cache.
        // The event, at most once a minute per token, lets the tokens window show the use.
        if (m_database.tokenUsage().record({*kind, id, now}, lastUsed, AnnounceIntervalMs)
            && m_events) {
            emit m_events->tokensChanged();
        }
        if (m_database.tokenUsage().flushDue(m_usageFlushIntervalMs)) {
            // Best effort: a busy write lock or a failure must not refuse or hold the request;
            // the uses stay recorded for the next flush.
            if (const Result<int> flushed = m_store.flushUsage(Database::LockWait::No);
                !flushed && flushed.error().code != Error::Code::Conflict) {
                qCWarning(lcStore).noquote()
                    << "Token uses not recorded:" << flushed.error().message;
            }
        }
    }
    return actor;
}

} // namespace Trove
