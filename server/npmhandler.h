// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "model/actor.h"
#include "model/domain.h"
#include "model/result.h"
#include "model/services/accesspolicy.h"
#include "model/services/settingsservice.h"
#include "server/httpresponse.h"
#include "server/httpserver.h"
#include "server/loginthrottle.h"
#include "server/metadatacache.h"
#include "server/npmroute.h"
#include "server/requestcontext.h"
#include "server/requestpipeline.h"

#include <memory>
#include <mutex>

namespace Trove {
class Registry;
}

namespace Trove::Http {

class PackagesApi;
class ProxyCache;

// GitLab's npm API on a Registry (docs/npm-api.md). handle() is called from several worker
// threads at once: it keeps no state between calls and every thread has its own database
// connection.
class NpmHandler final
{
public:
    struct Config
    {
        // Base of tarball URLs ("http://host:port"). Empty: the address and port the request
        // came in on (never the client's Host header, which anyone can set), or with
        // trustForwardedHeaders the X-Forwarded-Proto and X-Forwarded-Host of a reverse proxy.
        QString baseUrl;
        bool trustForwardedHeaders = false;
        LoginThrottle::Limits throttle;
        // How long a document kept from the upstream is fresh (docs/proxy.md §4); negative:
        // the setting proxy_max_age.
        int proxyMaxAgeSeconds = -1;
    };

    NpmHandler(Registry &registry, Config config);
    ~NpmHandler();

    // For a request with a body, from its head alone: the refusal (401, 403, 404, 429) to send
    // before the body is read, or where the body goes (docs/http.md).
    Admission admit(const RequestContext &context) const;
    Response handle(const RequestContext &context) const;
    // The cache of the upstream for proxy mode (docs/proxy.md), made on first use
    // (server/proxy/npmproxy.cpp).
    ProxyCache &proxy() const;

private:
    // For the members in every file of server/npm/.
    using Decision = AccessPolicy::Decision;
    using Operation = AccessPolicy::Operation;

    // Routing, admission and dispatch: server/npmhandler.cpp. Every other member lives in the
    // file of its kind of request under server/npm/ (docs/architecture.md).
    Response dispatch(const NpmRoute &route, const RequestContext &context) const;
    // The checks a route that takes a body makes from the head: the same before the body is
    // read (admit) and after (the route's handler). nullopt: go on.
    std::optional<Response>
    gate(const NpmRoute &route, const RequestContext &context, const Actor &actor) const;
    Response answer(const NpmRoute &route, const RequestContext &context, const Actor &actor) const;

    // server/npm/packument.cpp
    Response
    packument(const NpmRoute &route, const RequestContext &context, const Actor &actor) const;
    // server/npm/tarball.cpp
    Response tarball(const NpmRoute &route, const Actor &actor) const;
    // server/npm/publish.cpp. Where the body of a publish (or deprecate) streams to.
    Result<std::shared_ptr<BodySink>> publishSink() const;
    Response
    publish(const NpmRoute &route, const RequestContext &context, const Actor &actor) const;
    // server/npm/deprecate.cpp
    Response deprecate(const Project &project,
                       const NpmRoute &route,
                       const QJsonObject &body,
                       const Actor &actor) const;
    // server/npm/disttags.cpp
    Response distTags(const NpmRoute &route, const Actor &actor) const;
    Response
    setDistTag(const NpmRoute &route, const RequestContext &context, const Actor &actor) const;
    Response removeDistTag(const NpmRoute &route, const Actor &actor) const;
    // npm audit, forwarded to the upstream when forwarding is on (server/npm/audit.cpp).
    Response audit(const NpmRoute &route, const RequestContext &context, const Actor &actor) const;
    // server/npm/unpublish.cpp
    Response
    unpublish(const NpmRoute &route, const RequestContext &context, const Actor &actor) const;
    // npm search at any level, over the packages the caller may read (server/npm/search.cpp).
    Response search(const NpmRoute &route, const RequestContext &context, const Actor &actor) const;

    // server/npm/projects.cpp. The project of a project-level route; NotFound "Project not
    // found".
    Result<Project> project(const NpmRoute &route) const;
    // The projects a route searches for a name: the project, the group's projects, or (instance
    // level) the projects under the root group named by the scope.
    Result<QList<Project>> projectsFor(const NpmRoute &route) const;
    // For dist-tag and audit routes at group and instance level: the project of the most
    // recently published package of the name.
    Result<Project> projectOfLatest(const NpmRoute &route) const;

    // server/npm/forwarding.cpp. 403 for a project-level route when the project's package
    // registry is switched off and the caller may otherwise read it; nullopt: go on.
    std::optional<Response> registryOff(const NpmRoute &route, const Actor &actor) const;
    Result<bool> forwarding(const NpmRoute &route) const;
    Result<SettingsService::ForwardingMode> forwardingMode(const NpmRoute &route) const;
    // Why a packument was not found with forwarding off, for the request log.
    QString missReason(const NpmRoute &route) const;
    Response redirect(const QString &name) const;

    // Proxy mode (server/proxy/npmproxy.cpp). A package document of a name no project here
    // holds; nullopt when the name is one of ours all the same (published in a project the
    // route does not search, or under a top-level group's scope): it is never proxied.
    std::optional<Response> proxyPackument(const NpmRoute &route,
                                           const RequestContext &context) const;
    // A tarball at instance or group level: only proxied packages have one there.
    Response proxyTarball(const NpmRoute &route, const Actor &actor) const;
    // Why `name` is never proxied, or empty when it may be.
    QString localNameReason(const QString &name) const;

    Registry &m_registry;
    const Config m_config;
    const std::unique_ptr<MetadataCache> m_cache;
    // Authentication, authorization, the response cache and the log's notes, shared with
    // GitLab's Packages API.
    const std::unique_ptr<RequestPipeline> m_pipeline;
    const std::unique_ptr<PackagesApi> m_packagesApi;
    mutable std::once_flag m_proxyOnce;
    mutable std::unique_ptr<ProxyCache> m_proxy;
};

} // namespace Trove::Http
