// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "model/actor.h"
#include "model/domain.h"
#include "model/result.h"
#include "model/services/accesspolicy.h"
#include "server/httpresponse.h"
#include "server/loginthrottle.h"
#include "server/npmroute.h"
#include "server/requestcontext.h"

#include <functional>
#include <memory>
#include <variant>

namespace Trove {
class Registry;
}

namespace Trove::Http {

class MetadataCache;

// The steps every API's request goes through (docs/architecture.md): authenticate the caller
// (once per request: the admission from the head hands it to the handler), authorize it on a
// project by role, answer cacheable reads from memory, and note who asked in the request log.
// The npm API (NpmHandler) and GitLab's Packages API (PackagesApi) share one pipeline, so they
// share the throttle of invalid tokens, the base URL and the log's notes. Called from several
// worker threads at once.
class RequestPipeline final
{
public:
    struct Config
    {
        // Base of the URLs answers carry ("http://host:port"); see NpmHandler::Config.
        QString baseUrl;
        bool trustForwardedHeaders = false;
        LoginThrottle::Limits throttle;
    };

    RequestPipeline(Registry &registry, MetadataCache &cache, Config config);
    ~RequestPipeline();

    // The caller its credentials name, or the refusal for its credentials (401; 429 after many
    // failures from its address). `level` names the request in the log.
    std::variant<Actor, Response> authenticate(NpmRoute::Level level,
                                               const RequestContext &context) const;
    // Hands the caller found from the head to the handler of the same request, so that its
    // token is checked once.
    static void admit(const RequestContext &context, const Actor &actor);
    // For the handler: the caller admitted from this request's head, else authenticate().
    std::variant<Actor, Response> caller(NpmRoute::Level level,
                                         const RequestContext &context) const;
    // The project the head's caller was authorized for, handed to the handler of the same
    // request so that it is neither read nor authorized again once the body has arrived.
    static void admitProject(const RequestContext &context, const Project &project);
    static std::optional<Project> admittedProject(const RequestContext &context);
    // The project when the actor may do `operation` there, else the refusal to answer with
    // (GitLab's 401/403/404; with `tarball`, anonymous callers get 404 instead of 401).
    std::variant<Project, Response> authorize(const Result<Project> &project,
                                              const Actor &actor,
                                              AccessPolicy::Operation operation,
                                              bool tarball = false) const;
    // A cacheable read: the answer kept for the same request (path, form, encoding, host and
    // credential) while nothing has been written, else compute()'s answer, kept when it may be.
    // `packument`: a kept answer's ETag also answers If-None-Match with 304. `reuse`, when set,
    // is asked before a kept answer is given again; false computes it anew.
    Response cached(const RequestContext &context,
                    bool packument,
                    const std::function<Response()> &compute,
                    const std::function<bool(const Response &)> &reuse = {}) const;
    // What identifies a cacheable read's answer: path, form, encoding, host, credential digest.
    QByteArray responseKey(const RequestContext &context) const;
    // When a cached answer to this request must be computed again (monotonic milliseconds).
    static qint64 responseExpiry(const RequestContext &context);
    // The origin answers' URLs start with: the configured base URL, a trusted reverse proxy's
    // X-Forwarded-Proto and X-Forwarded-Host, or the address and port the request came in on
    // (never the client's Host header, which anyone can set).
    QString baseUrl(const RequestContext &context) const;
    // Who asked and, for a refusal without a reason of its own, why: for the request log.
    static void noteCaller(Response *response, NpmRoute::Level level, const Actor &actor);

private:
    Registry &m_registry;
    MetadataCache &m_cache;
    const Config m_config;
    const std::unique_ptr<LoginThrottle> m_throttle;
};

// With the reason for the request log (never sent).
Response withReason(Response response, const QString &reason);
// GitLab's npm 401: {"message": "401 Unauthorized", "error": "401 Unauthorized"}.
Response unauthorizedResponse();
// GitLab's npm answer to an access decision other than Allow; `hideAsNotFound` answers an
// anonymous caller 404 instead of 401.
Response refusalResponse(AccessPolicy::Decision decision, bool hideAsNotFound = false);
// The same, with the verdict's reason for the request log.
Response refusalResponse(const AccessPolicy::Verdict &verdict, bool hideAsNotFound = false);
// Whether the request asks for npm's abbreviated document (install-v1).
bool wantsAbbreviated(const RequestContext &context);

} // namespace Trove::Http
