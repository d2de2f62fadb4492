// SPDX-License-Identifier: GPL-3.0-or-later
// npm audit (docs/npm-api.md §9): forwarded to the upstream when forwarding is on, else an empty
// report whose request-log entry says why.
#include "model/registry.h"
#include "server/httperror.h"
#include "server/npmhandler.h"

#include <QEventLoop>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>

using namespace Qt::StringLiterals;

namespace Trove::Http {

namespace {

// An upstream that does not answer must not hold a worker thread for long.
constexpr int UpstreamTimeoutMs = 30 * 1000;

// Posts the audit body as it came (npm gzips it) to the same path on the upstream and returns
// the upstream's answer. The caller's token is not sent: it belongs to this registry, not the
// upstream. Runs its own event loop, so it works on a server worker thread and on the main one.
Response forwardAudit(const QUrl &url, const RequestContext &context)
{
    QNetworkAccessManager network;
    QNetworkRequest request(url);
    request.setTransferTimeout(UpstreamTimeoutMs);
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                         QNetworkRequest::NoLessSafeRedirectPolicy);
    const QByteArray type = context.header("content-type");
    request.setHeader(QNetworkRequest::ContentTypeHeader,
                      type.isEmpty() ? QByteArray("application/json") : type);
    if (const QByteArray encoding = context.header("content-encoding"); !encoding.isEmpty()) {
        request.setRawHeader("Content-Encoding", encoding);
    }
    request.setRawHeader("Accept", "application/json");
    std::unique_ptr<QNetworkReply> reply(network.post(request, context.body));
    QEventLoop loop;
    QObject::connect(reply.get(), &QNetworkReply::finished, &loop, &QEventLoop::quit);
    if (!reply->isFinished()) {
        loop.exec(QEventLoop::ExcludeUserInputEvents);
    }
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (status == 0) {
        return withReason(
            errorResponse(502, u"502 Bad Gateway - the upstream did not answer"_s),
            u"forwarding is on: the audit went to %1, which did not answer (%2)"_s.arg(
                url.toString(), reply->errorString()));
    }
    // Qt has undone any gzip of the answer itself (it asked for it): send it as plain JSON.
    Response response;
    response.status = status;
    response.body = reply->readAll();
    const QByteArray answerType = reply->header(QNetworkRequest::ContentTypeHeader).toByteArray();
    response.setHeader("Content-Type",
                       answerType.isEmpty() ? QByteArray("application/json") : answerType);
    response.log.reason =
        u"forwarding is on: the audit went to %1, which answered %2"_s.arg(url.toString())
            .arg(status);
    return response;
}

} // namespace

Response
NpmHandler::audit(const NpmRoute &route, const RequestContext &context, const Actor &actor) const
{
    if (actor.isAnonymous()) {
        return unauthorizedResponse();
    }
    const Result<bool> forward = forwarding(route);
    if (!forward) {
        return errorResponse(forward.error());
    }
    QString why = u"forwarding to the upstream is off"_s;
    if (*forward) {
        const Result<QUrl> upstream = m_registry.settings().upstream();
        if (upstream && upstream->isValid() && !upstream->isEmpty()) {
            const QString path = route.kind == NpmRoute::Kind::AuditBulk
                ? u"-/npm/v1/security/advisories/bulk"_s
                : u"-/npm/v1/security/audits/quick"_s;
            return forwardAudit(QUrl(upstream->toString() + path), context);
        }
        why = u"forwarding is on but no upstream is set"_s;
    }
    if (route.level != NpmRoute::Level::Project) {
        return notFoundResponse(u"Project"_s);
    }
    const std::variant<Project, Response> target =
        m_pipeline->authorize(project(route), actor, AccessPolicy::Operation::ReadPackage);
    if (const Response *refused = std::get_if<Response>(&target)) {
        return *refused;
    }
    // Trove does not scan packages: with nothing to ask, the report is empty.
    return withReason(Response::json(200, "[]"),
                      why + u": the audit report is empty (Trove does not scan packages)"_s);
}

} // namespace Trove::Http
