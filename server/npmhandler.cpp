// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/npmhandler.h"

#include "model/npm/packagename.h"
#include "model/npm/publishbody.h"
#include "model/registry.h"
#include "server/authenticator.h"
#include "server/httperror.h"
#include "server/packagesapi.h"
#include "server/packumentjson.h"
#include "server/proxy/proxycache.h"
#include "server/serverlogging.h"

#include <QCryptographicHash>
#include <QDeadlineTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace Trove::Http {

namespace {

using Decision = AccessPolicy::Decision;
using Operation = AccessPolicy::Operation;

// RequestContext::admitted of a request whose head admit() has read.
struct AdmittedCaller
{
    Actor actor;
};

Response jsonObject(int status, const QJsonObject &object)
{
    return Response::json(status, QJsonDocument(object).toJson(QJsonDocument::Compact));
}

Response unauthorized()
{
    return errorResponse(401, u"401 Unauthorized"_s);
}

// With the reason for the request log (never sent).
Response withReason(Response response, const QString &reason)
{
    response.log.reason = reason;
    return response;
}

Response refusal(Decision decision, bool hideAsNotFound = false)
{
    switch (decision) {
    case Decision::Allow:
        break;
    case Decision::Unauthorized:
        // Anonymous tarball downloads from non-public projects are 404, not 401 (docs/npm-api.md §2.3).
        return hideAsNotFound ? notFoundResponse(u"Project"_s) : unauthorized();
    case Decision::Forbidden:
        return errorResponse(403, u"403 Forbidden"_s);
    case Decision::NotFound:
        return notFoundResponse(u"Project"_s);
    }
    return errorResponse(500, u"Unexpected access decision"_s);
}

Response refusal(const AccessPolicy::Verdict &verdict, bool hideAsNotFound = false)
{
    return withReason(refusal(verdict.decision, hideAsNotFound), verdict.reason);
}

bool wantsAbbreviated(const RequestContext &context)
{
    return context.header("accept").contains("application/vnd.npm.install-v1+json");
}

// The version in a tarball file name: GitLab's "<name>-<version>.tgz" (scope included) or the
// npmjs form "<bare name>-<version>.tgz".
QString versionFromFileName(const QString &name, const QString &fileName)
{
    if (!fileName.endsWith(u".tgz"_s)) {
        return {};
    }
    const QString stem = fileName.chopped(4);
    const QString bare = name.section(u'/', -1);
    for (const QString &prefix : {QString(name + u'-'), QString(bare + u'-')}) {
        if (stem.startsWith(prefix) && stem.size() > prefix.size()) {
            return stem.mid(prefix.size());
        }
    }
    return {};
}

// A publish body streaming through the decoder (docs/http.md): the tarball goes to a staged file
// as it arrives, the rest of the JSON stays in memory.
class PublishSink final : public BodySink
{
public:
    PublishSink(const QString &stagingDir, const Npm::PublishBodyDecoder::Limits &limits)
        : m_decoder(stagingDir, limits)
    {
    }

    Result<void> write(QByteArrayView piece) override { return m_decoder.write(piece); }

    Result<void> finish() override
    {
        Result<Npm::DecodedPublishBody> decoded = m_decoder.finish();
        if (!decoded) {
            return decoded.error();
        }
        m_decoded = std::move(*decoded);
        return {};
    }

    const Npm::DecodedPublishBody &decoded() const { return m_decoded; }

private:
    Npm::PublishBodyDecoder m_decoder;
    Npm::DecodedPublishBody m_decoded;
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

// Group and instance documents leave out projects whose package registry is switched off.
Result<QList<Project>> withRegistryOn(Result<QList<Project>> projects)
{
    if (projects) {
        projects->removeIf([](const Project &project) { return !project.packagesEnabled; });
    }
    return projects;
}

} // namespace

NpmHandler::NpmHandler(Registry &registry, Config config)
    : m_registry(registry)
    , m_config(std::move(config))
    , m_cache(std::make_unique<MetadataCache>(registry.database(), registry.events()))
    , m_throttle(std::make_unique<LoginThrottle>(m_config.throttle))
    , m_packagesApi(std::make_unique<PackagesApi>(registry, *this))
{
}

NpmHandler::~NpmHandler() = default;

Response NpmHandler::handle(const RequestContext &context) const
{
    if (const auto api = PackagesApi::parse(context.method, context.encodedPath)) {
        return m_packagesApi->handle(*api, context);
    }
    const std::optional<NpmRoute> route = parseNpmRoute(context.method, context.encodedPath);
    if (!route) {
        return PackagesApi::invalidNpmName(context.encodedPath).value_or(unknownRouteResponse());
    }
    const bool cacheable = route->kind == NpmRoute::Kind::Packument
        || route->kind == NpmRoute::Kind::Tarball || route->kind == NpmRoute::Kind::DistTags;
    if (!cacheable) {
        return dispatch(*route, context);
    }
    // Reads are answered from memory while nothing has been written: the same request (path,
    // form, encoding, host and credential) gets the same answer within a generation.
    const quint64 generation = m_cache->generation();
    const QByteArray key = responseKey(context);
    if (std::optional<Response> cached = m_cache->findResponse(key, generation)) {
        if (cached->downloadOf != 0) {
            // A download all the same.
            m_registry.packages().store().recordDownload(cached->downloadOf);
        }
        if (route->kind == NpmRoute::Kind::Packument) {
            const QByteArray etag = cached->header("ETag");
            if (!etag.isEmpty() && context.header("if-none-match") == etag) {
                Response notModified = Response::empty(304);
                notModified.setHeader("ETag", etag);
                return notModified;
            }
        }
        return *cached;
    }
    Response response = dispatch(*route, context);
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
        m_cache->insertResponse(key, response, generation, expiry);
    }
    return response;
}

Admission NpmHandler::admit(const RequestContext &context) const
{
    if (const auto api = PackagesApi::parse(context.method, context.encodedPath)) {
        return m_packagesApi->admit(*api, context);
    }
    Admission admission;
    const std::optional<NpmRoute> route = parseNpmRoute(context.method, context.encodedPath);
    if (!route) {
        admission.refusal =
            PackagesApi::invalidNpmName(context.encodedPath).value_or(unknownRouteResponse());
        return admission;
    }
    std::variant<Actor, Response> who = caller(*route, context);
    if (Response *refused = std::get_if<Response>(&who)) {
        admission.refusal = std::move(*refused);
        return admission;
    }
    const Actor &actor = std::get<Actor>(who);
    // The token is checked once per request, from its head: dispatch() takes this caller.
    context.admitted = AdmittedCaller{actor};
    if (std::optional<Response> off = registryOff(*route, actor)) {
        noteCaller(&*off, *route, actor);
        admission.refusal = std::move(*off);
        return admission;
    }
    if (std::optional<Response> refused = gate(*route, context, actor)) {
        noteCaller(&*refused, *route, actor);
        admission.refusal = std::move(*refused);
        return admission;
    }
    if (route->kind == NpmRoute::Kind::Publish) {
        Result<std::shared_ptr<BodySink>> sink = publishSink();
        if (!sink) {
            admission.refusal = errorResponse(sink.error());
            return admission;
        }
        admission.sink = std::move(*sink);
    }
    return admission;
}

Result<std::shared_ptr<BodySink>> NpmHandler::publishSink() const
{
    const Result<QString> staging = m_registry.blobs().stagingDir();
    if (!staging) {
        return staging.error();
    }
    Npm::PublishBodyDecoder::Limits limits;
    limits.maxAttachmentBytes = m_registry.packages().maxFileSize();
    return std::shared_ptr<BodySink>(std::make_shared<PublishSink>(*staging, limits));
}

std::variant<Actor, Response> NpmHandler::caller(const NpmRoute &route,
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
    refused.log.level = levelName(route.level);
    return refused;
}

std::optional<Response>
NpmHandler::gate(const NpmRoute &route, const RequestContext &context, const Actor &actor) const
{
    const auto refusalOf = [](const std::variant<Project, Response> &target) {
        const Response *refused = std::get_if<Response>(&target);
        return refused ? std::optional<Response>(*refused) : std::nullopt;
    };
    switch (route.kind) {
    case NpmRoute::Kind::Publish: {
        if (route.level != NpmRoute::Level::Project) {
            return unknownRouteResponse();
        }
        if (actor.isAnonymous()) {
            return unauthorized();
        }
        const Result<Project> found = project(route);
        if (!found) {
            return found.error().code == Error::Code::NotFound ? notFoundResponse(u"Project"_s)
                                                               : errorResponse(found.error());
        }
        const Operation operation = context.header("npm-command") == "deprecate"
            ? Operation::DestroyPackage
            : Operation::CreatePackage;
        return refusalOf(authorized(found, actor, operation));
    }
    case NpmRoute::Kind::DistTagPut:
        if (actor.isAnonymous()) {
            return unauthorized();
        }
        return refusalOf(authorized(projectOfLatest(route), actor, Operation::CreatePackage));
    case NpmRoute::Kind::UnpublishPut:
        if (route.level != NpmRoute::Level::Project) {
            return unknownRouteResponse();
        }
        if (actor.isAnonymous()) {
            return unauthorized();
        }
        return refusalOf(authorized(project(route), actor, Operation::DestroyPackage));
    case NpmRoute::Kind::AuditBulk:
    case NpmRoute::Kind::AuditQuick:
        if (actor.isAnonymous()) {
            return unauthorized();
        }
        return std::nullopt;
    default:
        // Routes without a body of their own (a GET with a body) keep it in memory, bounded.
        return std::nullopt;
    }
}

QByteArray NpmHandler::responseKey(const RequestContext &context) const
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

qint64 NpmHandler::responseExpiry(const RequestContext &context)
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

Response NpmHandler::dispatch(const NpmRoute &route, const RequestContext &context) const
{
    std::variant<Actor, Response> who;
    if (const auto *admitted = std::any_cast<AdmittedCaller>(&context.admitted)) {
        who = admitted->actor;
    } else {
        who = caller(route, context);
    }
    if (Response *refused = std::get_if<Response>(&who)) {
        return std::move(*refused);
    }
    const Actor *actor = &std::get<Actor>(who);
    if (std::optional<Response> off = registryOff(route, *actor)) {
        noteCaller(&*off, route, *actor);
        return std::move(*off);
    }
    Response response = answer(route, context, *actor);
    noteCaller(&response, route, *actor);
    return response;
}

void NpmHandler::noteCaller(Response *response, const NpmRoute &route, const Actor &actor)
{
    response->log.level = levelName(route.level);
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

Response
NpmHandler::answer(const NpmRoute &route, const RequestContext &context, const Actor &actor) const
{
    switch (route.kind) {
    case NpmRoute::Kind::Packument:
        return packument(route, context, actor);
    case NpmRoute::Kind::Tarball:
        return tarball(route, actor);
    case NpmRoute::Kind::Publish:
        return publish(route, context, actor);
    case NpmRoute::Kind::DistTags:
        return distTags(route, actor);
    case NpmRoute::Kind::DistTagPut:
        return setDistTag(route, context, actor);
    case NpmRoute::Kind::DistTagDelete:
        return removeDistTag(route, actor);
    case NpmRoute::Kind::AuditBulk:
    case NpmRoute::Kind::AuditQuick:
        return audit(route, context, actor);
    case NpmRoute::Kind::Whoami:
        if (actor.isAnonymous()) {
            return withReason(unauthorized(), u"no token was sent: whoami needs one"_s);
        }
        return jsonObject(200, {{u"username"_s, actor.username}});
    case NpmRoute::Kind::Ping:
        return jsonObject(200, {});
    case NpmRoute::Kind::UnpublishPut:
    case NpmRoute::Kind::UnpublishAll:
    case NpmRoute::Kind::TarballDelete:
        return unpublish(route, context, actor);
    case NpmRoute::Kind::Search:
        return search(route, context, actor);
    }
    return unknownRouteResponse();
}

std::variant<Project, Response> NpmHandler::authorized(const Result<Project> &project,
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
        return refusal(*verdict, tarball);
    }
    return *project;
}

Result<Project> NpmHandler::project(const NpmRoute &route) const
{
    if (!route.project) {
        Result<Project> found = m_registry.namespaces().findProject(route.target);
        if (!found && found.error().code == Error::Code::NotFound) {
            found = Error::notFound(u"Project"_s);
        }
        route.project = std::move(found);
    }
    return *route.project;
}

Result<QList<Project>> NpmHandler::projectsFor(const NpmRoute &route) const
{
    switch (route.level) {
    case NpmRoute::Level::Project: {
        const Result<Project> found = project(route);
        if (!found) {
            if (found.error().code == Error::Code::NotFound) {
                return QList<Project>();
            }
            return found.error();
        }
        return QList<Project>{*found};
    }
    case NpmRoute::Level::Group: {
        const Result<Group> group = m_registry.namespaces().findGroup(route.target);
        if (!group) {
            return group.error();
        }
        return withRegistryOn(m_registry.namespaces().store().projectsUnder(group->id));
    }
    case NpmRoute::Level::Instance: {
        // GitLab's naming convention: the scope names a top-level group.
        const QString scope = Npm::scopeOf(route.packageName);
        if (scope.isEmpty()) {
            return QList<Project>();
        }
        const Result<Group> group = m_registry.namespaces().store().groupByPath(scope);
        if (!group || group->parentId != 0) {
            return QList<Project>();
        }
        return withRegistryOn(m_registry.namespaces().store().projectsUnder(group->id));
    }
    }
    return QList<Project>();
}

std::optional<Response> NpmHandler::registryOff(const NpmRoute &route, const Actor &actor) const
{
    if (route.level != NpmRoute::Level::Project) {
        return std::nullopt;
    }
    const Result<Project> found = project(route);
    if (!found || found->packagesEnabled) {
        return std::nullopt;
    }
    // Only a caller who may read the project learns why; anyone else gets the usual refusal.
    const Result<Decision> decision =
        m_registry.policy().check(actor, *found, Operation::ReadPackage);
    if (!decision || *decision != Decision::Allow) {
        return std::nullopt;
    }
    const QString reason =
        u"the package registry is disabled for project %1"_s.arg(found->fullPath);
    return withReason(errorResponse(403, u"403 Forbidden - "_s + reason), reason);
}

Result<SettingsService::ForwardingMode> NpmHandler::forwardingMode(const NpmRoute &route) const
{
    if (route.level == NpmRoute::Level::Project) {
        if (const Result<Project> found = project(route); found) {
            return m_registry.settings().forwardingModeForProject(*found);
        }
    } else if (route.level == NpmRoute::Level::Group) {
        if (const Result<Group> group = m_registry.namespaces().findGroup(route.target); group) {
            return m_registry.settings().forwardingModeForGroup(group->id);
        }
    }
    return m_registry.settings().instanceForwardingMode();
}

ProxyCache &NpmHandler::proxy() const
{
    std::call_once(m_proxyOnce, [this] {
        ProxyCache::Config config;
        config.maxAgeSeconds = m_config.proxyMaxAgeSeconds;
        config.upstream.maxFileBytes = m_registry.packages().maxFileSize();
        m_proxy = std::make_unique<ProxyCache>(m_registry, config);
    });
    return *m_proxy;
}

Result<bool> NpmHandler::forwarding(const NpmRoute &route) const
{
    if (route.level == NpmRoute::Level::Project) {
        if (const Result<Project> found = project(route); found) {
            return m_registry.settings().forwardingForProject(*found);
        }
    } else if (route.level == NpmRoute::Level::Group) {
        if (const Result<Group> group = m_registry.namespaces().findGroup(route.target); group) {
            return m_registry.settings().forwardingForGroup(group->id);
        }
    }
    return m_registry.settings().instanceForwarding();
}

QString NpmHandler::missReason(const NpmRoute &route) const
{
    const QString off = u"and forwarding to the upstream is off"_s;
    if (route.level != NpmRoute::Level::Instance) {
        return u"no project here has a package of this name, "_s + off;
    }
    // At instance level GitLab's naming convention decides where to look: say which part failed.
    const QString scope = Npm::scopeOf(route.packageName);
    if (scope.isEmpty()) {
        return u"an unscoped name is never found at instance level (packages are found by their "
               "scope, a top-level group's path), "_s
            + off;
    }
    const Result<Group> group = m_registry.namespaces().store().groupByPath(scope);
    if (!group || group->parentId != 0) {
        return u"scope @%1 names no top-level group (at instance level a package is found by "
               "its scope), "_s.arg(scope)
            + off;
    }
    if (group->path != scope) {
        return u"scope @%1 does not match the top-level group %2 (case matters), "_s.arg(
                   scope, group->path)
            + off;
    }
    return u"no project of group %1 has a package of this name, "_s.arg(group->path) + off;
}

Response NpmHandler::redirect(const QString &name) const
{
    const Result<QUrl> upstream = m_registry.settings().upstream();
    if (!upstream || !upstream->isValid() || upstream->isEmpty()) {
        return withReason(notFoundResponse(u"Package"_s),
                          u"no package of this name here; forwarding is on but no upstream "
                          "is set"_s);
    }
    // npm's own form of a scoped name in a URL: "@scope%2fname".
    QString encoded = name;
    encoded.replace(u'/', u"%2f"_s);
    Response response = Response::empty(302);
    response.setHeader("Location", (upstream->toString() + encoded).toUtf8());
    response.log.reason = u"no package of this name here: forwarded to the upstream"_s;
    return response;
}

QString NpmHandler::baseUrl(const RequestContext &context) const
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

Response NpmHandler::packument(const NpmRoute &route,
                               const RequestContext &context,
                               const Actor &actor) const
{
    // Taken before reading the store: a write from here on ends this generation.
    const quint64 generation = m_cache->generation();
    if (route.level == NpmRoute::Level::Group) {
        // The group's own access check comes first, before any forwarding (docs/npm-api.md §8.1).
        const Result<Group> group = m_registry.namespaces().findGroup(route.target);
        if (!group) {
            return group.error().code == Error::Code::NotFound
                ? withReason(notFoundResponse(u"Group"_s), u"no group has this id or path"_s)
                : errorResponse(group.error());
        }
        if (group->visibility != Visibility::Public && actor.isAnonymous()) {
            return withReason(unauthorized(),
                              u"no token was sent, and group %1 is %2"_s.arg(
                                  group->fullPath, visibilityName(group->visibility)));
        }
    }
    const Result<QList<Project>> projects = projectsFor(route);
    if (!projects) {
        return errorResponse(projects.error());
    }
    QList<Package> found;
    for (const Project &project : *projects) {
        const Result<QList<Package>> packages =
            m_registry.packages().store().packagesInProject(project.id, route.packageName);
        if (!packages) {
            return errorResponse(packages.error());
        }
        found += *packages;
    }
    // Forwarding is decided before permissions, without looking at the caller (docs/npm-api.md §8.1).
    if (found.isEmpty()) {
        const Result<SettingsService::ForwardingMode> mode = forwardingMode(route);
        if (!mode) {
            return errorResponse(mode.error());
        }
        // Proxied at instance and group level only (docs/proxy.md §1); a local name goes on as
        // with forwarding off.
        if (*mode == SettingsService::ForwardingMode::Proxy
            && route.level != NpmRoute::Level::Project) {
            if (std::optional<Response> proxied = proxyPackument(route, context)) {
                return std::move(*proxied);
            }
        } else if (*mode != SettingsService::ForwardingMode::Off) {
            return redirect(route.packageName);
        }
    }

    QList<qint64> readable;
    bool anyRefused = false;
    Decision lastRefusal = Decision::NotFound;
    QString lastReason;
    for (const Project &project : *projects) {
        const Result<AccessPolicy::Verdict> verdict =
            m_registry.policy().checkWithReason(actor, project, Operation::ReadPackage);
        if (!verdict) {
            return errorResponse(verdict.error());
        }
        const Decision decision = verdict->decision;
        if (decision == Decision::Allow) {
            readable.append(project.id);
        } else if (route.level == NpmRoute::Level::Project) {
            return refusal(*verdict);
        } else {
            bool holdsName = false;
            for (const Package &package : found) {
                holdsName |= package.projectId == project.id;
            }
            if (holdsName) {
                anyRefused = true;
                lastRefusal = decision;
                lastReason = verdict->reason;
            }
        }
    }
    const bool abbreviated = wantsAbbreviated(context);
    // One document per level, name, form, base URL and set of projects the caller may read.
    QStringList readableKey;
    for (const qint64 id : std::as_const(readable)) {
        readableKey.append(QString::number(id));
    }
    const QString key = QString::number(int(route.level)) % u'|' % route.target % u'|'
        % route.packageName % u'|' % (abbreviated ? u"a"_s : u"f"_s) % u'|' % baseUrl(context)
        % u'|' % readableKey.join(u',');
    std::optional<MetadataCache::Entry> entry = m_cache->find(key, generation);
    if (!entry) {
        PackumentInput input;
        input.name = route.packageName;
        input.baseUrl = baseUrl(context);
        // The most recently published package wins for each version.
        QMap<QString, Package> winners;
        for (const Package &package : std::as_const(found)) {
            if (!readable.contains(package.projectId)) {
                continue;
            }
            const auto it = winners.constFind(package.version);
            if (it == winners.cend() || it->createdAt <= package.createdAt) {
                winners.insert(package.version, package);
            }
        }
        if (winners.isEmpty()) {
            if (anyRefused) {
                return withReason(actor.isAnonymous() ? unauthorized()
                                                      : refusal(lastRefusal == Decision::NotFound
                                                                    ? Decision::Forbidden
                                                                    : lastRefusal),
                                  lastReason);
            }
            return withReason(notFoundResponse(u"Packages"_s), missReason(route));
        }
        for (const Package &package : std::as_const(winners)) {
            input.versions.append(package);
        }
        std::sort(input.versions.begin(),
                  input.versions.end(),
                  [](const Package &a, const Package &b) { return a.createdAt < b.createdAt; });
        const Result<QList<DistTag>> tags =
            m_registry.packages().store().distTagsNamed(route.packageName);
        if (!tags) {
            return errorResponse(tags.error());
        }
        for (const DistTag &tag : *tags) {
            if (readable.contains(tag.projectId) && winners.contains(tag.version)) {
                input.distTags.insert(tag.tag, tag.version);
            }
        }
        entry = m_cache->insert(key, renderPackument(input, abbreviated), generation);
    }

    if (context.header("if-none-match") == entry->etag) {
        Response notModified = Response::empty(304);
        notModified.setHeader("ETag", entry->etag);
        return notModified;
    }
    Response response;
    const bool gzip = context.header("accept-encoding").contains("gzip");
    response = Response::json(200, gzip ? m_cache->gzipOf(key, *entry) : entry->body);
    if (gzip) {
        response.setHeader("Content-Encoding", "gzip");
    }
    if (abbreviated) {
        response.setHeader("Content-Type", "application/vnd.npm.install-v1+json");
    }
    response.setHeader("ETag", entry->etag);
    response.setHeader("Cache-Control", "no-cache");
    response.setHeader("Vary", "Accept, Accept-Encoding, Authorization");
    return response;
}

Response NpmHandler::tarball(const NpmRoute &route, const Actor &actor) const
{
    if (route.level != NpmRoute::Level::Project) {
        return proxyTarball(route, actor);
    }
    const std::variant<Project, Response> target =
        authorized(project(route), actor, Operation::ReadPackage, true);
    if (const Response *refused = std::get_if<Response>(&target)) {
        return *refused;
    }
    const Project *found = &std::get<Project>(target);
    const QString version = versionFromFileName(route.packageName, route.fileName);
    const Result<Package> package = version.isEmpty()
        ? Result<Package>(Error::notFound(QString()))
        : m_registry.packages().store().packageVersion(found->id, route.packageName, version);
    if (!package) {
        return package.error().code == Error::Code::NotFound
            ? withReason(
                notFoundResponse(u"Package"_s),
                u"project %1 has no such version of %2"_s.arg(found->fullPath, route.packageName))
            : errorResponse(package.error());
    }
    // In memory, written in batches: a write per download would wait behind a publish.
    m_registry.packages().store().recordDownload(package->id);
    const QString path = m_registry.blobs().pathOf(package->sha512);
    Response response = Response::file(path, "application/octet-stream");
    response.downloadOf = package->id;
    response.setHeader("ETag", '"' + package->sha512.left(32).toLatin1() + '"');
    response.setHeader("Cache-Control", "public, max-age=31536000, immutable");
    return response;
}

Response
NpmHandler::publish(const NpmRoute &route, const RequestContext &context, const Actor &actor) const
{
    if (std::optional<Response> refused = gate(route, context, actor)) {
        return std::move(*refused);
    }
    const Result<Project> found = project(route);
    if (!found) {
        return errorResponse(found.error());
    }
    // The body streamed through the decoder (HttpServer with admit()), or arrived whole (a
    // handler called directly): decoded the same way either way.
    const auto *streamed = dynamic_cast<const PublishSink *>(context.sink.get());
    std::shared_ptr<BodySink> decodedHere;
    if (!streamed) {
        Result<std::shared_ptr<BodySink>> sink = publishSink();
        if (!sink) {
            return errorResponse(sink.error());
        }
        decodedHere = std::move(*sink);
        if (const Result<void> written = decodedHere->write(context.body); !written) {
            return errorResponse(written.error());
        }
        if (const Result<void> finished = decodedHere->finish(); !finished) {
            return errorResponse(finished.error());
        }
        streamed = static_cast<const PublishSink *>(decodedHere.get());
    }
    const Npm::DecodedPublishBody &decoded = streamed->decoded();
    if (context.header("npm-command") == "deprecate") {
        // The decoder has checked the JSON's syntax already.
        return deprecate(*found, route, QJsonDocument::fromJson(decoded.json).object(), actor);
    }

    // One pipeline for every publish (the window's too): the body's fields, GitLab's checks, the
    // tarball, then the commit (docs/npm-api.md §5).
    const Result<Package> published =
        m_registry.packages().publish(found->id, route.packageName, decoded, actor);
    if (!published) {
        return errorResponse(published.error());
    }
    return jsonObject(200,
                      {{u"ok"_s, true},
                       {u"id"_s, published->id},
                       {u"name"_s, published->name},
                       {u"version"_s, published->version}});
}

Response NpmHandler::deprecate(const Project &project,
                               const NpmRoute &route,
                               const QJsonObject &body,
                               const Actor &actor) const
{
    const std::variant<Project, Response> target =
        authorized(project, actor, Operation::DestroyPackage);
    if (const Response *refused = std::get_if<Response>(&target)) {
        return *refused;
    }
    // npm sends the package's document back: one that names another package is not this one's.
    if (body.contains(u"name"_s) && body.value(u"name"_s).toString() != route.packageName) {
        return errorResponse(
            400,
            u"Invalid deprecate body: name (%1) differs from the package name in "
            "the URL (%2)"_s.arg(body.value(u"name"_s).toString(), route.packageName));
    }
    QMap<QString, QString> messages;
    const QJsonObject versions = body.value(u"versions"_s).toObject();
    for (auto it = versions.constBegin(); it != versions.constEnd(); ++it) {
        const QJsonValue deprecated = it.value().toObject().value(u"deprecated"_s);
        if (deprecated.isString()) {
            messages.insert(it.key(), deprecated.toString());
        }
    }
    if (messages.isEmpty()) {
        const QString message = u"\"package versions to deprecate\" not given"_s;
        return jsonObject(
            400,
            {{u"message"_s, QString(u"400 Bad request - "_s + message)}, {u"error"_s, message}});
    }
    const Result<QStringList> changed =
        m_registry.packages().deprecate(project.id, route.packageName, messages);
    if (!changed) {
        return errorResponse(changed.error());
    }
    return jsonObject(200, {{u"ok"_s, true}});
}

Result<Project> NpmHandler::projectOfLatest(const NpmRoute &route) const
{
    if (route.level == NpmRoute::Level::Project) {
        return project(route);
    }
    if (route.level == NpmRoute::Level::Group) {
        if (const Result<Group> group = m_registry.namespaces().findGroup(route.target); !group) {
            return Error::notFound(u"Project"_s);
        }
    }
    const Result<QList<Project>> projects = projectsFor(route);
    if (!projects) {
        return projects.error();
    }
    const Result<QList<Package>> packages =
        m_registry.packages().store().packagesNamed(route.packageName);
    if (!packages) {
        return packages.error();
    }
    for (auto it = packages->crbegin(); it != packages->crend(); ++it) {
        for (const Project &project : *projects) {
            if (project.id == it->projectId) {
                return project;
            }
        }
    }
    return Error::notFound(u"Project"_s);
}

Response NpmHandler::distTags(const NpmRoute &route, const Actor &actor) const
{
    const std::variant<Project, Response> target =
        authorized(projectOfLatest(route), actor, Operation::ReadPackage);
    if (const Response *refused = std::get_if<Response>(&target)) {
        return *refused;
    }
    const Project *found = &std::get<Project>(target);
    const Result<QList<Package>> packages =
        m_registry.packages().store().packagesInProject(found->id, route.packageName);
    if (!packages) {
        return errorResponse(packages.error());
    }
    if (packages->isEmpty()) {
        return notFoundResponse(u"Package"_s);
    }
    const Result<QList<DistTag>> tags =
        m_registry.packages().store().distTags(found->id, route.packageName);
    if (!tags) {
        return errorResponse(tags.error());
    }
    QMap<QString, QString> map;
    for (const DistTag &tag : *tags) {
        map.insert(tag.tag, tag.version);
    }
    QJsonObject object;
    const QMap<QString, QString> complete = completeDistTags(map, *packages);
    for (auto it = complete.cbegin(); it != complete.cend(); ++it) {
        object.insert(it.key(), it.value());
    }
    Response response = jsonObject(200, object);
    response.setHeader("Cache-Control", "no-cache");
    return response;
}

Response NpmHandler::setDistTag(const NpmRoute &route,
                                const RequestContext &context,
                                const Actor &actor) const
{
    if (actor.isAnonymous()) {
        return unauthorized();
    }
    const std::variant<Project, Response> target =
        authorized(projectOfLatest(route), actor, Operation::CreatePackage);
    if (const Response *refused = std::get_if<Response>(&target)) {
        return *refused;
    }
    const Project *found = &std::get<Project>(target);
    // The body is a JSON string: "1.2.3".
    const QJsonDocument wrapped = QJsonDocument::fromJson('[' + context.body + ']');
    const QString version = wrapped.isArray() ? wrapped.array().at(0).toString() : QString();
    if (version.isEmpty()) {
        const QString message = u"\"Version\" not given"_s;
        return jsonObject(
            400,
            {{u"message"_s, QString(u"400 Bad request - "_s + message)}, {u"error"_s, message}});
    }
    const Result<void> set =
        m_registry.packages().setDistTag(found->id, route.packageName, route.tag, version);
    if (!set) {
        return set.error().code == Error::Code::NotFound ? notFoundResponse(u"Package"_s)
                                                         : errorResponse(set.error());
    }
    return Response::empty(204);
}

Response NpmHandler::removeDistTag(const NpmRoute &route, const Actor &actor) const
{
    if (actor.isAnonymous()) {
        return unauthorized();
    }
    const std::variant<Project, Response> target =
        authorized(projectOfLatest(route), actor, Operation::DestroyPackage);
    if (const Response *refused = std::get_if<Response>(&target)) {
        return *refused;
    }
    const Project *found = &std::get<Project>(target);
    const Result<void> removed =
        m_registry.packages().removeDistTag(found->id, route.packageName, route.tag);
    if (!removed) {
        return removed.error().code == Error::Code::NotFound ? notFoundResponse(u"Package tag"_s)
                                                             : errorResponse(removed.error());
    }
    return Response::empty(204);
}

Response NpmHandler::unpublish(const NpmRoute &route,
                               const RequestContext &context,
                               const Actor &actor) const
{
    if (route.level != NpmRoute::Level::Project) {
        return unknownRouteResponse();
    }
    if (actor.isAnonymous()) {
        return unauthorized();
    }
    const std::variant<Project, Response> target =
        authorized(project(route), actor, Operation::DestroyPackage);
    if (const Response *refused = std::get_if<Response>(&target)) {
        return *refused;
    }
    const Project *found = &std::get<Project>(target);
    PackageService &packages = m_registry.packages();
    switch (route.kind) {
    case NpmRoute::Kind::UnpublishAll:
        if (const Result<void> removed = packages.unpublishPackage(found->id, route.packageName);
            !removed) {
            return removed.error().code == Error::Code::NotFound ? notFoundResponse(u"Package"_s)
                                                                 : errorResponse(removed.error());
        }
        break;
    case NpmRoute::Kind::TarballDelete: {
        // npm deletes the tarball after the PUT that removed its version: nothing left to do then.
        const QString version = versionFromFileName(route.packageName, route.fileName);
        if (!version.isEmpty()
            && packages.store().packageVersion(found->id, route.packageName, version)) {
            if (const Result<void> removed =
                    packages.unpublishVersion(found->id, route.packageName, version);
                !removed) {
                return errorResponse(removed.error());
            }
        }
        break;
    }
    case NpmRoute::Kind::UnpublishPut: {
        // The body is the packument without the versions to remove (docs/npm-api.md §11.3).
        const QJsonObject body = QJsonDocument::fromJson(context.body).object();
        if (!body.value(u"versions"_s).isObject()) {
            return errorResponse(400, u"Invalid json"_s);
        }
        const QJsonObject keep = body.value(u"versions"_s).toObject();
        const Result<QList<Package>> stored =
            packages.store().packagesInProject(found->id, route.packageName);
        if (!stored) {
            return errorResponse(stored.error());
        }
        if (stored->isEmpty()) {
            return notFoundResponse(u"Package"_s);
        }
        for (const Package &package : *stored) {
            if (!keep.contains(package.version)) {
                if (const Result<void> removed =
                        packages.unpublishVersion(found->id, route.packageName, package.version);
                    !removed) {
                    return errorResponse(removed.error());
                }
            }
        }
        const QJsonObject tags = body.value(u"dist-tags"_s).toObject();
        for (auto it = tags.constBegin(); it != tags.constEnd(); ++it) {
            if (keep.contains(it.value().toString())) {
                (void)packages.setDistTag(
                    found->id, route.packageName, it.key(), it.value().toString());
            }
        }
        break;
    }
    default:
        break;
    }
    return jsonObject(200, {{u"ok"_s, true}});
}

} // namespace Trove::Http
