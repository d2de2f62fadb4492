// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "model/actor.h"
#include "model/domain.h"
#include "model/result.h"
#include "model/services/accesspolicy.h"
#include "model/store/packagestore.h"
#include "server/httpresponse.h"
#include "server/httpserver.h"
#include "server/requestcontext.h"
#include "server/requestpipeline.h"

#include <QByteArrayView>
#include <QHash>

#include <optional>
#include <variant>

namespace Trove {
class Registry;
}

namespace Trove::Http {

// GitLab's REST Packages API (docs/packages-api.md): list, show and delete package versions of a
// project or a group, with the npm endpoints' tokens and access rules. One GitLab "package" is
// one name@version row; its only package file (the tarball) has the same id.
class PackagesApi final
{
public:
    struct Route
    {
        enum class Kind {
            ProjectList, // GET    projects/:id/packages
            GroupList, // GET    groups/:id/packages
            Show, // GET    projects/:id/packages/:package_id
            Files, // GET    projects/:id/packages/:package_id/package_files
            Delete, // DELETE projects/:id/packages/:package_id
            DeleteFile, // DELETE projects/:id/packages/:package_id/package_files/:file_id
        };
        Kind kind = Kind::ProjectList;
        QString target; // project or group: numeric id or full path, decoded
        qint64 packageId = 0;
        qint64 fileId = 0;
    };

    // nullopt: not a Packages API request (the npm routes and the catch-all take it).
    static std::optional<Route> parse(QByteArrayView method, QByteArrayView encodedPath);
    // GitLab's 400 for an npm route whose package name is no valid file path (a control character,
    // invalid UTF-8); nullopt for any other path.
    static std::optional<Response> invalidNpmName(QByteArrayView encodedPath);

    // `pipeline` is the npm API's: the same authentication (throttle included), request-log
    // notes and base URL.
    PackagesApi(Registry &registry, const RequestPipeline &pipeline);

    // From the head alone: the refusal to send before any body is read, as the npm routes do.
    Admission admit(const Route &route, const RequestContext &context) const;
    Response handle(const Route &route, const RequestContext &context) const;

private:
    // The parameters of a list, checked as GitLab's Grape declarations check them.
    struct ListParams
    {
        PackageStore::VersionQuery query;
        qint64 page = 1;
        qint64 perPage = 20;
        bool excludeSubgroups = false;
    };
    std::variant<ListParams, Response> listParams(const Route &route,
                                                  const RequestContext &context) const;

    // The project when the actor may read its packages (and, for a delete, destroy them), else
    // GitLab's REST refusal: 404 "Project Not Found" when the caller may not see it, 403 when it
    // may see it but not do this.
    std::variant<Project, Response> readableProject(const Route &route, const Actor &actor) const;
    std::optional<Response> gate(const Route &route, const Actor &actor) const;
    Response answer(const Route &route, const RequestContext &context, const Actor &actor) const;

    Response
    projectList(const Route &route, const RequestContext &context, const Actor &actor) const;
    Response groupList(const Route &route, const RequestContext &context, const Actor &actor) const;
    Response show(const Route &route, const RequestContext &context, const Actor &actor) const;
    Response files(const Route &route, const RequestContext &context, const Actor &actor) const;
    Response remove(const Route &route, const Actor &actor) const;
    // The package of the route in `project`, or GitLab's 404 for a record not found.
    std::variant<Package, Response> packageOf(const Route &route, const Project &project) const;

    // A page of packages as JSON, with GitLab's pagination headers.
    Response page(const ListParams &params,
                  const PackageStore::VersionPage &found,
                  const QHash<qint64, Project> &projects,
                  bool group,
                  const RequestContext &context,
                  const Actor &actor) const;
    // Whether the actor may delete in the project (GitLab's `delete_api_path` shows only then).
    bool mayDestroy(const Project &project, const Actor &actor) const;

    Registry &m_registry;
    const RequestPipeline &m_pipeline;
};

} // namespace Trove::Http
