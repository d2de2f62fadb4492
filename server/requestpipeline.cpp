// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/requestpipeline.h"

#include "model/registry.h"
#include "server/authenticator.h"
#include "server/httperror.h"
#include "server/metadatacache.h"

#include <QCryptographicHash>
#include <QDeadlineTimer>
#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace Trove::Http {

namespace {

using Decision = AccessPolicy::Decision;

// RequestContext::admitted of a request whose head has been admitted.
struct AdmittedCaller
{
    Actor actor;
    std::optional<Project> project;
};

// A proxy's X-Forwarded-Host: host or host:port, nothing else.
bool isHostAndPort(QByteArrayView text)
{
    if (text.isEmpty() || text.size() > 255) {
        return false;
    }
    for (const char c : text) {
        const bool allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
            || (c >= '0' && c <= '9') || c == '.' || c == '-' || c == ':' || c == '[' || c == ']';
        if (!allowed) {
            return false;
        }
    }
    return true;
}

} // namespace

Response withReason(Response response, const QString &reason)
{
    response.log.reason = reason;
    return response;
}

Response unauthorizedResponse()
{
    return errorResponse(401, u"401 Unauthorized"_s);
}

Response refusalResponse(Decision decision, bool hideAsNotFound)
{
    switch (decision) {
    case Decision::Allow:
        break;
    case Decision::Unauthorized:
        // Anonymous tarball downloads from non-public projects are 404, not 401 (docs/npm-api.md §2.3).
        return hideAsNotFound ? notFoundResponse(u"Project"_s) : unauthorizedResponse();
    case Decision::Forbidden:
        return errorResponse(403, u"403 Forbidden"_s);
    case Decision::NotFound:
        return notFoundResponse(u"Project"_s);
    }
    return errorResponse(500, u"Unexpected access decision"_s);
}

Response refusalResponse(const AccessPolicy::Verdict &verdict, bool hideAsNotFound)
{
    return withReason(refusalResponse(verdict.decision, hideAsNotFound), verdict.reason);
}

bool wantsAbbreviated(const RequestContext &context)
{
    return context.header("accept").contains("application/vnd.npm.install-v1+json");
}

RequestPipeline::RequestPipeline(Registry &registry, MetadataCache &cache, Config config)
    : m_registry(registry)
    , m_cache(cache)
    , m_config(std::move(config))
    , m_throttle(std::make_unique<LoginThrottle>(m_config.throttle))
{
}

RequestPipeline::~RequestPipeline() = default;

std::variant<Actor, Response> RequestPipeline::authenticate(NpmRoute::Level level,
                                                            const RequestContext &context) const
{
    Result<Actor> actor = Authenticator(m_registry.tokens()).authenticate(context);
    if (actor) {
        return std::move(*actor);
    }
    if (actor.error().code != Error::Code::Unauthorized) {
        return errorResponse(actor.error());
    }
    Response refused;
    const qint64 now = QDeadlineTimer::current().deadline();
    if (const int wait = m_throttle->failed(context.peer, now); wait > 0) {
        refused = errorResponse(429, u"Too many requests with invalid tokens; retry later"_s);
        refused.setHeader("Retry-After", QByteArray::number(wait));
        refused.log.reason =
            u"%1 requests with invalid tokens from this address within a minute: its invalid "
            "tokens are answered 429 for %2 s (valid ones still pass)"_s.arg(
                QString::number(m_throttle->failures(context.peer, now)), QString::number(wait));
    } else {
        refused = errorResponse(401, actor.error().message);
        refused.log.reason = u"the token is unknown, revoked or expired, or its job has finished "
                             "(an unknown token is refused even for public packages)"_s;
    }
    refused.log.level = levelName(level);
    return refused;
}

void RequestPipeline::admit(const RequestContext &context, const Actor &actor)
{
    context.admitted = AdmittedCaller{actor, std::nullopt};
}

void RequestPipeline::admitProject(const RequestContext &context, const Project &project)
{
    if (auto *admitted = std::any_cast<AdmittedCaller>(&context.admitted)) {
        admitted->project = project;
    }
}

std::optional<Project> RequestPipeline::admittedProject(const RequestContext &context)
{
    const auto *admitted = std::any_cast<AdmittedCaller>(&context.admitted);
    return admitted ? admitted->project : std::nullopt;
}

std::variant<Actor, Response> RequestPipeline::caller(NpmRoute::Level level,
                                                      const RequestContext &context) const
{
    if (const auto *admitted = std::any_cast<AdmittedCaller>(&context.admitted)) {
        return admitted->actor;
    }
    return authenticate(level, context);
}

std::variant<Project, Response> RequestPipeline::authorize(const Result<Project> &project,
                                                           const Actor &actor,
                                                           AccessPolicy::Operation operation,
                                                           bool tarball) const
{
    if (!project) {
        return project.error().code == Error::Code::NotFound
            ? withReason(notFoundResponse(u"Project"_s), u"no project has this id or path"_s)
            : errorResponse(project.error());
    }
    const Result<AccessPolicy::Verdict> verdict =
        m_registry.policy().checkWithReason(actor, *project, operation);
    if (!verdict) {
        return errorResponse(verdict.error());
    }
    if (verdict->decision != Decision::Allow) {
        return refusalResponse(*verdict, tarball);
    }
    return *project;
}

Response RequestPipeline::cached(const RequestContext &context,
                                 bool packument,
                                 const std::function<Response()> &compute,
                                 const std::function<bool(const Response &)> &reuse) const
{
    // Reads are answered from memory while nothing has been written: the same request (path,
    // form, encoding, host and credential) gets the same answer within a generation.
    const quint64 generation = m_cache.generation();
    const QByteArray key = responseKey(context);
    if (std::optional<Response> cached = m_cache.findResponse(key, generation);
        cached && (!reuse || reuse(*cached))) {
        if (cached->downloadOf != 0) {
            // A download all the same.
            m_registry.packages().store().recordDownload(cached->downloadOf);
        }
        if (packument) {
            const QByteArray etag = cached->header("ETag");
            if (!etag.isEmpty() && context.header("if-none-match") == etag) {
                Response notModified = Response::empty(304);
                notModified.setHeader("ETag", etag);
                return notModified;
            }
        }
        return *cached;
    }
    Response response = compute();
    const int status = response.status;
    // Refused credentials are never answered from the cache: each attempt must reach the
    // throttle. (An authenticated caller's answer names its token kind.)
    const bool credentialsRefused = (status == 401 || status == 429)
        && response.log.tokenKind.isEmpty()
        && (!Authenticator::tokenOf(context).isEmpty()
            || !context.header("authorization").isEmpty());
    if ((status == 200 || status == 401 || status == 403 || status == 404) && !credentialsRefused
        && response.keepForMs != 0) {
        qint64 expiry = responseExpiry(context);
        if (response.keepForMs > 0) {
            expiry = std::min(expiry, QDeadlineTimer::current().deadline() + response.keepForMs);
        }
        m_cache.insertResponse(key, response, generation, expiry);
    }
    return response;
}

QByteArray RequestPipeline::responseKey(const RequestContext &context) const
{
    QByteArray key = context.encodedPath;
    key += '\n';
    key += wantsAbbreviated(context) ? 'a' : 'f';
    key += context.header("accept-encoding").contains("gzip") ? 'z' : '-';
    if (m_config.baseUrl.isEmpty()) {
        // Tarball URLs in packuments are built from the connection's own address (or a trusted
        // proxy's headers): one key per address the server listens on, not per Host header.
        key += '\n' + baseUrl(context).toUtf8();
    }
    bool basic = false;
    const QString token = Authenticator::tokenOf(context, &basic);
    const bool authorization = !context.header("authorization").isEmpty();
    if (!token.isEmpty() || authorization) {
        // The credential's digest, never the credential itself.
        QCryptographicHash hash(QCryptographicHash::Sha256);
        hash.addData(basic ? "basic\n" : "token\n");
        hash.addData(authorization ? "header\n" : "none\n");
        hash.addData(token.toUtf8());
        key += '\n' + hash.result();
    }
    return key;
}

qint64 RequestPipeline::responseExpiry(const RequestContext &context)
{
    const qint64 now = QDeadlineTimer::current().deadline();
    if (Authenticator::tokenOf(context).isEmpty() && context.header("authorization").isEmpty()) {
        return std::numeric_limits<qint64>::max();
    }
    // An answer to a token is re-checked after a minute, so that the token's "last used" moves
    // (TokenService touches it at most once a minute), and at midnight UTC, when tokens expire.
    const QDateTime utc = QDateTime::currentDateTimeUtc();
    const QDateTime midnight(utc.date().addDays(1), QTime(0, 0), Qt::UTC);
    return now + std::min<qint64>(60 * 1000, utc.msecsTo(midnight));
}

QString RequestPipeline::baseUrl(const RequestContext &context) const
{
    if (!m_config.baseUrl.isEmpty()) {
        return m_config.baseUrl;
    }
    if (m_config.trustForwardedHeaders) {
        // The first proxy's values when several are listed.
        const QByteArray proto = context.header("x-forwarded-proto").split(',').first().trimmed();
        const QByteArray host = context.header("x-forwarded-host").split(',').first().trimmed();
        if ((proto == "http" || proto == "https") && isHostAndPort(host)) {
            return QString::fromLatin1(proto + "://" + host);
        }
    }
    QHostAddress address = context.local;
    address.setScopeId(QString()); // a link-local zone is no part of a URL's host
    bool isV4 = false;
    if (const quint32 v4 = address.toIPv4Address(&isV4); isV4) {
        address = QHostAddress(v4);
    }
    QString host = address.isNull() ? u"127.0.0.1"_s : address.toString();
    if (address.protocol() == QAbstractSocket::IPv6Protocol) {
        host = u'[' + host + u']';
    }
    QString origin = (context.tls ? u"https://"_s : u"http://"_s) + host;
    if (context.localPort != 0) {
        origin += u':' + QString::number(context.localPort);
    }
    return origin;
}

void RequestPipeline::noteCaller(Response *response, NpmRoute::Level level, const Actor &actor)
{
    response->log.level = levelName(level);
    switch (actor.kind) {
    case Actor::Kind::Anonymous:
        break;
    case Actor::Kind::User:
        response->log.tokenKind = u"personal"_s;
        break;
    case Actor::Kind::DeployToken:
        response->log.tokenKind = u"deploy"_s;
        break;
    case Actor::Kind::JobToken:
        response->log.tokenKind = u"job"_s;
        break;
    }
    response->log.tokenName = actor.tokenName;
    response->log.username = actor.username;
    if (response->log.reason.isEmpty() && response->status >= 400) {
        // The refusals without a reason of their own: their message says it.
        response->log.reason = actor.isAnonymous() && response->status == 401
            ? u"no token was sent: this needs one"_s
            : QJsonDocument::fromJson(response->body).object().value(u"error"_s).toString();
    }
}

} // namespace Trove::Http
