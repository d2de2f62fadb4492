// SPDX-License-Identifier: GPL-3.0-or-later
// npm unpublish of a version (the packument PUT without it, then the tarball DELETE) or of a
// whole package (docs/npm-api.md §11.3).
#include "model/registry.h"
#include "server/httperror.h"
#include "server/npm/common.h"
#include "server/npmhandler.h"

#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace Trove::Http {

Response NpmHandler::unpublish(const NpmRoute &route,
                               const RequestContext &context,
                               const Actor &actor) const
{
    if (route.level != NpmRoute::Level::Project) {
        return unknownRouteResponse();
    }
    if (actor.isAnonymous()) {
        return unauthorizedResponse();
    }
    const std::variant<Project, Response> target =
        m_pipeline->authorize(project(route), actor, Operation::DestroyPackage);
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
