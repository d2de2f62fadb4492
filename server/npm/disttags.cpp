// SPDX-License-Identifier: GPL-3.0-or-later
// npm dist-tag ls, add and rm (docs/npm-api.md).
#include "model/registry.h"
#include "server/httperror.h"
#include "server/npm/common.h"
#include "server/npmhandler.h"
#include "server/packumentjson.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace Trove::Http {

Response NpmHandler::distTags(const NpmRoute &route, const Actor &actor) const
{
    const std::variant<Project, Response> target =
        m_pipeline->authorize(projectOfLatest(route), actor, Operation::ReadPackage);
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
        return unauthorizedResponse();
    }
    const std::variant<Project, Response> target =
        m_pipeline->authorize(projectOfLatest(route), actor, Operation::CreatePackage);
    if (const Response *refused = std::get_if<Response>(&target)) {
        return *refused;
    }
    const Project *found = &std::get<Project>(target);
    // The body is a JSON string: "1.2.3".
    const QJsonDocument wrapped = QJsonDocument::fromJson('[' + context.body + ']');
    const QString version = wrapped.isArray() ? wrapped.array().at(0).toString() : QString();
    if (version.isEmpty()) {
        return badRequest(u"\"Version\" not given"_s);
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
        return unauthorizedResponse();
    }
    const std::variant<Project, Response> target =
        m_pipeline->authorize(projectOfLatest(route), actor, Operation::DestroyPackage);
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

} // namespace Trove::Http
