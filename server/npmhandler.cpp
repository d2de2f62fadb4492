// SPDX-License-Identifier: GPL-3.0-or-later
// The npm API's front: routing, admission from the head and dispatch to the file of each kind
// of request under server/npm/, over the request pipeline every API shares
// (docs/architecture.md).
#include "server/npmhandler.h"

#include "model/registry.h"
#include "server/httperror.h"
#include "server/npm/common.h"
#include "server/packagesapi.h"
#include "server/proxy/proxycache.h"

using namespace Qt::StringLiterals;

namespace Trove::Http {

NpmHandler::NpmHandler(Registry &registry, Config config)
    : m_registry(registry)
    , m_config(std::move(config))
    , m_cache(std::make_unique<MetadataCache>(registry.database(), registry.events()))
    , m_pipeline(std::make_unique<RequestPipeline>(
          registry,
          *m_cache,
          RequestPipeline::Config{
              m_config.baseUrl, m_config.trustForwardedHeaders, m_config.throttle}))
    , m_packagesApi(std::make_unique<PackagesApi>(registry, *m_pipeline))
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
    return m_pipeline->cached(
        context,
        route->kind == NpmRoute::Kind::Packument,
        [&] { return dispatch(*route, context); },
        [this](const Response &kept) {
            return kept.keptTarball.isEmpty()
                || proxy().reuseKeptTarball(kept.keptTarball, kept.filePath);
        });
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
    std::variant<Actor, Response> who = m_pipeline->authenticate(route->level, context);
    if (Response *refused = std::get_if<Response>(&who)) {
        admission.refusal = std::move(*refused);
        return admission;
    }
    const Actor &actor = std::get<Actor>(who);
    // The token is checked once per request, from its head: dispatch() takes this caller.
    RequestPipeline::admit(context, actor);
    if (std::optional<Response> off = registryOff(*route, actor)) {
        RequestPipeline::noteCaller(&*off, route->level, actor);
        admission.refusal = std::move(*off);
        return admission;
    }
    if (std::optional<Response> refused = gate(*route, context, actor)) {
        RequestPipeline::noteCaller(&*refused, route->level, actor);
        admission.refusal = std::move(*refused);
        return admission;
    }
    if (route->kind == NpmRoute::Kind::Publish) {
        // gate() found the project and authorized the caller for it: publish() takes it.
        Q_ASSERT(route->project && *route->project);
        RequestPipeline::admitProject(context, **route->project);
        Result<std::shared_ptr<BodySink>> sink = publishSink();
        if (!sink) {
            admission.refusal = errorResponse(sink.error());
            return admission;
        }
        admission.sink = std::move(*sink);
    }
    return admission;
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
            return unauthorizedResponse();
        }
        const Result<Project> found = project(route);
        if (!found) {
            return found.error().code == Error::Code::NotFound ? notFoundResponse(u"Project"_s)
                                                               : errorResponse(found.error());
        }
        const Operation operation = context.header("npm-command") == "deprecate"
            ? Operation::DestroyPackage
            : Operation::CreatePackage;
        return refusalOf(m_pipeline->authorize(found, actor, operation));
    }
    case NpmRoute::Kind::DistTagPut:
        if (actor.isAnonymous()) {
            return unauthorizedResponse();
        }
        return refusalOf(
            m_pipeline->authorize(projectOfLatest(route), actor, Operation::CreatePackage));
    case NpmRoute::Kind::UnpublishPut:
        if (route.level != NpmRoute::Level::Project) {
            return unknownRouteResponse();
        }
        if (actor.isAnonymous()) {
            return unauthorizedResponse();
        }
        return refusalOf(m_pipeline->authorize(project(route), actor, Operation::DestroyPackage));
    case NpmRoute::Kind::AuditBulk:
    case NpmRoute::Kind::AuditQuick:
        if (actor.isAnonymous()) {
            return unauthorizedResponse();
        }
        return std::nullopt;
    default:
        // Routes without a body of their own (a GET with a body) keep it in memory, bounded.
        return std::nullopt;
    }
}

Response NpmHandler::dispatch(const NpmRoute &route, const RequestContext &context) const
{
    std::variant<Actor, Response> who = m_pipeline->caller(route.level, context);
    if (Response *refused = std::get_if<Response>(&who)) {
        return std::move(*refused);
    }
    const Actor *actor = &std::get<Actor>(who);
    if (std::optional<Project> admitted = RequestPipeline::admittedProject(context)) {
        route.project = std::move(*admitted);
    }
    if (std::optional<Response> off = registryOff(route, *actor)) {
        RequestPipeline::noteCaller(&*off, route.level, *actor);
        return std::move(*off);
    }
    Response response = answer(route, context, *actor);
    RequestPipeline::noteCaller(&response, route.level, *actor);
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
        return audit(route, context, actor);
    case NpmRoute::Kind::Whoami:
        if (actor.isAnonymous()) {
            return withReason(unauthorizedResponse(), u"no token was sent: whoami needs one"_s);
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

} // namespace Trove::Http
