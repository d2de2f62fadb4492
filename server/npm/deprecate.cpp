// SPDX-License-Identifier: GPL-3.0-or-later
// npm deprecate: the package's document sent back with a message per version
// (docs/npm-api.md).
#include "model/registry.h"
#include "server/httperror.h"
#include "server/npm/common.h"
#include "server/npmhandler.h"

#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace Trove::Http {

Response NpmHandler::deprecate(const Project &project,
                               const NpmRoute &route,
                               const QJsonObject &body,
                               const Actor &actor) const
{
    const std::variant<Project, Response> target =
        m_pipeline->authorize(project, actor, Operation::DestroyPackage);
    if (const Response *refused = std::get_if<Response>(&target)) {
        return *refused;
    }
    // npm sends the package's document back: one that names another package is not this one's.
    if (body.contains(u"name"_s) && body.value(u"name"_s).toString() != route.packageName) {
        return errorResponse(
            400,
            u"Invalid deprecate body: name (%1) differs from the package name in "
            "the URL (%2)"_s.arg(body.value(u"name"_s).toString(), route.packageName));
    }
    QMap<QString, QString> messages;
    const QJsonObject versions = body.value(u"versions"_s).toObject();
    for (auto it = versions.constBegin(); it != versions.constEnd(); ++it) {
        const QJsonValue deprecated = it.value().toObject().value(u"deprecated"_s);
        if (deprecated.isString()) {
            messages.insert(it.key(), deprecated.toString());
        }
    }
    if (messages.isEmpty()) {
        return badRequest(u"\"package versions to deprecate\" not given"_s);
    }
    const Result<QStringList> changed =
        m_registry.packages().deprecate(project.id, route.packageName, messages);
    if (!changed) {
        return errorResponse(changed.error());
    }
    return jsonObject(200, {{u"ok"_s, true}});
}

} // namespace Trove::Http
