// SPDX-License-Identifier: GPL-3.0-or-later
// A tarball download from a project (docs/npm-api.md); at group and instance level only
// proxied packages have one (server/proxy/npmproxy.cpp).
#include "model/registry.h"
#include "server/httperror.h"
#include "server/npm/common.h"
#include "server/npmhandler.h"

using namespace Qt::StringLiterals;

namespace Trove::Http {

Response NpmHandler::tarball(const NpmRoute &route, const Actor &actor) const
{
    if (route.level != NpmRoute::Level::Project) {
        return proxyTarball(route, actor);
    }
    const std::variant<Project, Response> target =
        m_pipeline->authorize(project(route), actor, Operation::ReadPackage, true);
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

} // namespace Trove::Http
