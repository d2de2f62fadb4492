// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/npmhandler.h"

#include "model/npm/manifest.h"
#include "model/npm/packagename.h"
#include "model/npm/tarball.h"
#include "model/registry.h"
#include "server/authenticator.h"
#include "server/httperror.h"
#include "server/packumentjson.h"
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
        // Anonymous tarball downloads from non-public projects are 404, not 401 (§2.3).
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

QString levelName(NpmRoute::Level level)
{
    switch (level) {
    case NpmRoute::Level::Instance:
        return u"instance"_s;
    case NpmRoute::Level::Group:
        return u"group"_s;
    case NpmRoute::Level::Project:
        return u"project"_s;
    }
    return {};
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

QString sha512HexFromIntegrity(const QString &integrity)
{
    // "sha512-<base64>", possibly among other hashes separated by spaces.
    for (const QString &part : integrity.split(u' ', Qt::SkipEmptyParts)) {
        if (part.startsWith(u"sha512-"_s)) {
            const auto decoded = QByteArray::fromBase64Encoding(
                part.mid(7).toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
            if (decoded && decoded.decoded.size() == 64) {
                return QString::fromLatin1(decoded.decoded.toHex());
            }
            return u"invalid"_s;
        }
    }
    return {};
}

} // namespace

NpmHandler::NpmHandler(Registry &registry, Config config)
    : m_registry(registry)
    , m_config(std::move(config))
    , m_cache(std::make_unique<MetadataCache>(registry.database(), registry.events()))
{
}

NpmHandler::~NpmHandler() = default;

Response NpmHandler::handle(const RequestContext &context) const
{
    const std::optional<NpmRoute> route = parseNpmRoute(context.method, context.encodedPath);
    if (!route) {
        return unknownRouteResponse();
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
    if (status == 200 || status == 401 || status == 403 || status == 404) {
        m_cache->insertResponse(key, response, generation, responseExpiry(context));
    }
    return response;
}

QByteArray NpmHandler::responseKey(const RequestContext &context) const
{
    QByteArray key = context.encodedPath;
    key += '\n';
    key += wantsAbbreviated(context) ? 'a' : 'f';
    key += context.header("accept-encoding").contains("gzip") ? 'z' : '-';
    if (m_config.baseUrl.isEmpty()) {
        // Tarball URLs in packuments are built from the Host header.
        key += '\n' + context.header("host");
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
    const Result<Actor> actor = Authenticator(m_registry.tokens()).authenticate(context);
    if (!actor) {
        Response refused = actor.error().code == Error::Code::Unauthorized
            ? errorResponse(401, actor.error().message)
            : errorResponse(actor.error());
        refused.log.level = levelName(route.level);
        refused.log.reason = u"the token is unknown, revoked or expired, or its job has finished "
                             "(an unknown token is refused even for public packages)"_s;
        return refused;
    }
    Response response = answer(route, context, *actor);
    response.log.level = levelName(route.level);
    switch (actor->kind) {
    case Actor::Kind::Anonymous:
        break;
    case Actor::Kind::User:
        response.log.tokenKind = u"personal"_s;
        break;
    case Actor::Kind::DeployToken:
        response.log.tokenKind = u"deploy"_s;
        break;
    case Actor::Kind::JobToken:
        response.log.tokenKind = u"job"_s;
        break;
    }
    response.log.tokenName = actor->tokenName;
    response.log.username = actor->username;
    if (response.log.reason.isEmpty() && response.status >= 400) {
        // The refusals without a reason of their own: their message says it.
        response.log.reason = actor->isAnonymous() && response.status == 401
            ? u"no token was sent: this needs one"_s
            : QJsonDocument::fromJson(response.body).object().value(u"error"_s).toString();
    }
    return response;
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
        return audit(route, actor);
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
    const Result<Project> found = m_registry.namespaces().findProject(route.target);
    if (!found && found.error().code == Error::Code::NotFound) {
        return Error::notFound(u"Project"_s);
    }
    return found;
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
        return m_registry.namespaces().store().projectsUnder(group->id);
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
        return m_registry.namespaces().store().projectsUnder(group->id);
    }
    }
    return QList<Project>();
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
    const QByteArray host = context.header("host");
    return u"http://"_s + QString::fromLatin1(host.isEmpty() ? QByteArray("127.0.0.1") : host);
}

Response NpmHandler::packument(const NpmRoute &route,
                               const RequestContext &context,
                               const Actor &actor) const
{
    // Taken before reading the store: a write from here on ends this generation.
    const quint64 generation = m_cache->generation();
    if (route.level == NpmRoute::Level::Group) {
        // The group's own access check comes first, before any forwarding (§6.2).
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
    // Forwarding is decided before permissions, without looking at the caller (§6.1).
    if (found.isEmpty()) {
        const Result<bool> forward = forwarding(route);
        if (!forward) {
            return errorResponse(forward.error());
        }
        if (*forward) {
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
        return unknownRouteResponse();
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
    const QString path = m_registry.blobs().pathOf(package->sha512);
    Response response = Response::file(path, "application/octet-stream");
    response.setHeader("ETag", '"' + package->sha512.left(32).toLatin1() + '"');
    response.setHeader("Cache-Control", "public, max-age=31536000, immutable");
    return response;
}

Response
NpmHandler::publish(const NpmRoute &route, const RequestContext &context, const Actor &actor) const
{
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
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(context.body, &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject()) {
        return errorResponse(400, u"Invalid json"_s);
    }
    const QJsonObject body = document.object();
    if (context.header("npm-command") == "deprecate") {
        return deprecate(*found, route, body, actor);
    }
    const std::variant<Project, Response> target =
        authorized(found, actor, Operation::CreatePackage);
    if (const Response *refused = std::get_if<Response>(&target)) {
        return *refused;
    }

    const QString name = body.value(u"name"_s).toString(route.packageName);
    if (name != route.packageName) {
        return errorResponse(400,
                             u"The package name in the body (%1) differs from the URL (%2)"_s.arg(
                                 name, route.packageName));
    }
    const QJsonObject versions = body.value(u"versions"_s).toObject();
    if (versions.size() > 1) {
        return errorResponse(400, u"Publish one version at a time"_s);
    }
    const QString version = versions.isEmpty() ? QString() : versions.constBegin().key();
    const QJsonObject versionData = versions.value(version).toObject();
    const QJsonObject tags = body.value(u"dist-tags"_s).toObject();
    QString tag = u"latest"_s;
    for (auto it = tags.constBegin(); it != tags.constEnd(); ++it) {
        tag = it.key();
        if (it.value().toString() == version) {
            break;
        }
    }
    const QJsonObject attachment = body.value(u"_attachments"_s)
                                       .toObject()
                                       .value(Npm::tarballFileName(name, version))
                                       .toObject();
    QByteArray tarball;
    if (const QString data = attachment.value(u"data"_s).toString(); !data.isEmpty()) {
        const auto decoded = QByteArray::fromBase64Encoding(
            data.toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
        if (!decoded) {
            return errorResponse(400, u"Attachment data is not valid base64."_s);
        }
        tarball = decoded.decoded;
    }

    const QJsonObject stored = Npm::strippedPackageJson(versionData);
    const QJsonObject dist = versionData.value(u"dist"_s).toObject();
    PackageService::PublishRequest request;
    request.projectId = found->id;
    request.name = name;
    request.version = version;
    request.packageJson = QJsonDocument(stored).toJson(QJsonDocument::Compact);
    request.tarball = tarball;
    request.distTag = tag;
    request.publisher = actor;
    request.expectedSha1 = dist.value(u"shasum"_s).toString();
    request.expectedSha512 = sha512HexFromIntegrity(dist.value(u"integrity"_s).toString());
    request.extraValidation = [&]() -> Result<void> {
        if (versionData.value(u"name"_s).toString() != name
            || versionData.value(u"version"_s).toString() != version
            || !dist.value(u"shasum"_s).isString() || !dist.value(u"tarball"_s).isString()) {
            return Error::invalid(u"Validation failed: Package json must be a valid json schema"_s);
        }
        if (request.expectedSha512 == u"invalid"_s) {
            return Error::invalid(u"dist.integrity is not a valid sha512 integrity string"_s);
        }
        // Beyond GitLab: the tarball must really be the package it claims to be.
        const Result<Npm::TarballInfo> info = Npm::inspectTarball(tarball);
        if (!info) {
            return info.error();
        }
        const QJsonObject manifest = QJsonDocument::fromJson(info->packageJson).object();
        if (manifest.value(u"name"_s).toString() != name
            || manifest.value(u"version"_s).toString() != version) {
            return Error::invalid(u"Package manifest is not coherent"_s);
        }
        return {};
    };
    const Result<Package> published = m_registry.packages().publish(request);
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

Response NpmHandler::audit(const NpmRoute &route, const Actor &actor) const
{
    if (actor.isAnonymous()) {
        return unauthorized();
    }
    const Result<bool> forward = forwarding(route);
    if (!forward) {
        return errorResponse(forward.error());
    }
    if (*forward) {
        const Result<QUrl> upstream = m_registry.settings().upstream();
        if (upstream && upstream->isValid() && !upstream->isEmpty()) {
            const QString path = route.kind == NpmRoute::Kind::AuditBulk
                ? u"-/npm/v1/security/advisories/bulk"_s
                : u"-/npm/v1/security/audits/quick"_s;
            // 307 keeps the method and the body (§6.3).
            Response response = Response::empty(307);
            response.setHeader("Location", (upstream->toString() + path).toUtf8());
            return response;
        }
    }
    if (route.level != NpmRoute::Level::Project) {
        return notFoundResponse(u"Project"_s);
    }
    const std::variant<Project, Response> target =
        authorized(project(route), actor, Operation::ReadPackage);
    if (const Response *refused = std::get_if<Response>(&target)) {
        return *refused;
    }
    return Response::json(200, "[]");
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
        // The body is the packument without the versions to remove (§8.5).
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
