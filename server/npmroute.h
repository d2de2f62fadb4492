// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "model/domain.h"
#include "model/result.h"

#include <QByteArrayView>
#include <QString>

#include <optional>

namespace Trove::Http {

// One request to GitLab's npm API, parsed from the method and the still-encoded path, so that
// "@scope%2fname", "@scope%2Fname" and "@scope/name" all name the same package
// (docs/npm-api.md §1.2).
struct NpmRoute
{
    enum class Level { Instance, Group, Project };
    enum class Kind {
        Packument, // GET  {name}
        Tarball, // GET  {name}/-/{file}
        Publish, // PUT  {name}  (deprecate with Npm-Command: deprecate)
        DistTags, // GET  -/package/{name}/dist-tags
        DistTagPut, // PUT  -/package/{name}/dist-tags/{tag}
        DistTagDelete, // DELETE -/package/{name}/dist-tags/{tag}
        AuditBulk, // POST -/npm/v1/security/advisories/bulk
        AuditQuick, // POST -/npm/v1/security/audits/quick
        Whoami, // GET  -/whoami           (extension)
        Ping, // GET  -/ping             (extension)
        UnpublishPut, // PUT  {name}/-rev/{rev}  (extension: npm unpublish of one version)
        UnpublishAll, // DELETE {name}/-rev/{rev}
        TarballDelete, // DELETE {name}/-/{file}/-rev/{rev}
        Search, // GET  -/v1/search?text=&size=&from=
    };

    Level level = Level::Instance;
    QString target; // group or project: numeric id or full path, decoded
    Kind kind = Kind::Packument;
    QString packageName;
    QString fileName;
    QString tag;
    // The prefix as requested, e.g. "/api/v4/projects/7/packages/npm/".
    QString prefix;
    // The project `target` names, once looked up (NpmHandler::project()): the checks of one
    // request ask for it several times, and a lookup is an SQL query.
    mutable std::optional<Result<Project>> project;
};

// nullopt: not an npm route (the caller answers GitLab's catch-all 404). A path whose name
// decodes to something unusable (NUL, CR, LF, invalid UTF-8) also gives nullopt.
std::optional<NpmRoute> parseNpmRoute(QByteArrayView method, QByteArrayView encodedPath);

// "instance", "group" or "project": the request log's name for a level.
QString levelName(NpmRoute::Level level);

} // namespace Trove::Http
