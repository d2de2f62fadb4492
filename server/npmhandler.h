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

#include <memory>
#include <mutex>
#include <variant>

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
    // GitLab's Packages API shares the caller's authentication, log notes and base URL.
    friend class PackagesApi;

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
    // The cache of the upstream for proxy mode (docs/proxy.md), made on first use.
    ProxyCache &proxy() const;

private:
    // Where a request for a package is served from, after the forwarding decision.
    struct Packages
    {
        QList<Package> versions; // winner per version, oldest first
        QMap<QString, QString> distTags;
        QList<Project> projects; // projects that hold the name (readable or not)
    };

    Response dispatch(const NpmRoute &route, const RequestContext &context) const;
    // The caller, or the refusal for its credentials (401; 429 after many failures from its
    // address).
    std::variant<Actor, Response> caller(const NpmRoute &route,
                                         const RequestContext &context) const;
    // The checks a route that takes a body makes from the head: the same before the body is
    // read (admit) and after (the route's handler). nullopt: go on.
    std::optional<Response>
    gate(const NpmRoute &route, const RequestContext &context, const Actor &actor) const;
    // Who asked and, for a refusal without a reason of its own, why: for the request log.
    static void noteCaller(Response *response, const NpmRoute &route, const Actor &actor);
    // Where the body of a publish (or deprecate) streams to.
    Result<std::shared_ptr<BodySink>> publishSink() const;
    Response answer(const NpmRoute &route, const RequestContext &context, const Actor &actor) const;
    // Why a packument was not found with forwarding off, for the request log.
    QString missReason(const NpmRoute &route) const;
    // What identifies a cacheable read's answer: path, form, encoding, host, credential digest.
    QByteArray responseKey(const RequestContext &context) const;
    // When a cached answer to this request must be computed again (monotonic milliseconds).
    static qint64 responseExpiry(const RequestContext &context);
    Response
    packument(const NpmRoute &route, const RequestContext &context, const Actor &actor) const;
    Response tarball(const NpmRoute &route, const Actor &actor) const;
    Response
    publish(const NpmRoute &route, const RequestContext &context, const Actor &actor) const;
    Response deprecate(const Project &project,
                       const NpmRoute &route,
                       const QJsonObject &body,
                       const Actor &actor) const;
    Response distTags(const NpmRoute &route, const Actor &actor) const;
    Response
    setDistTag(const NpmRoute &route, const RequestContext &context, const Actor &actor) const;
    Response removeDistTag(const NpmRoute &route, const Actor &actor) const;
    // npm audit, forwarded to the upstream when forwarding is on (server/npm/audit.cpp).
    Response audit(const NpmRoute &route, const RequestContext &context, const Actor &actor) const;
    Response
    unpublish(const NpmRoute &route, const RequestContext &context, const Actor &actor) const;
    // npm search at any level, over the packages the caller may read (server/npmsearch.cpp).
    Response search(const NpmRoute &route, const RequestContext &context, const Actor &actor) const;
    // 403 for a project-level route when the project's package registry is switched off and the
    // caller may otherwise read it; nullopt: go on.
    std::optional<Response> registryOff(const NpmRoute &route, const Actor &actor) const;

    // The project when the actor may do `operation` there, else the refusal to answer with
    // (GitLab's 401/403/404; with `tarball`, anonymous callers get 404 instead of 401).
    std::variant<Project, Response> authorized(const Result<Project> &project,
                                               const Actor &actor,
                                               AccessPolicy::Operation operation,
                                               bool tarball = false) const;
    // The project of a project-level route; NotFound "Project not found".
    Result<Project> project(const NpmRoute &route) const;
    // The projects a route searches for a name: the project, the group's projects, or (instance
    // level) the projects under the root group named by the scope.
    Result<QList<Project>> projectsFor(const NpmRoute &route) const;
    Result<bool> forwarding(const NpmRoute &route) const;
    Result<SettingsService::ForwardingMode> forwardingMode(const NpmRoute &route) const;
    // Proxy mode (server/proxy/npmproxy.cpp). A package document of a name no project here
    // holds; nullopt when the name is one of ours all the same (published in a project the
    // route does not search, or under a top-level group's scope): it is never proxied.
    std::optional<Response> proxyPackument(const NpmRoute &route,
                                           const RequestContext &context) const;
    // A tarball at instance or group level: only proxied packages have one there.
    Response proxyTarball(const NpmRoute &route, const Actor &actor) const;
    // Why `name` is never proxied, or empty when it may be.
    QString localNameReason(const QString &name) const;
    // For dist-tag and audit routes at group and instance level: the project of the most
    // recently published package of the name.
    Result<Project> projectOfLatest(const NpmRoute &route) const;
    Response forbidden(int decision, bool tarball = false) const;
    Response redirect(const QString &name) const;
    QString baseUrl(const RequestContext &context) const;

    Registry &m_registry;
    const Config m_config;
    const std::unique_ptr<MetadataCache> m_cache;
    const std::unique_ptr<LoginThrottle> m_throttle;
    const std::unique_ptr<PackagesApi> m_packagesApi;
    mutable std::once_flag m_proxyOnce;
    mutable std::unique_ptr<ProxyCache> m_proxy;
};

} // namespace Trove::Http
