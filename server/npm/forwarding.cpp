// SPDX-License-Identifier: GPL-3.0-or-later
// What happens to a request for a name no project here holds, and to a project whose package
// registry is switched off: the forwarding settings, the redirect to the upstream and the
// request log's reason for a miss (docs/npm-api.md §8.1).
#include "model/npm/packagename.h"
#include "model/registry.h"
#include "server/httperror.h"
#include "server/npmhandler.h"

using namespace Qt::StringLiterals;

namespace Trove::Http {

std::optional<Response> NpmHandler::registryOff(const NpmRoute &route, const Actor &actor) const
{
    if (route.level != NpmRoute::Level::Project) {
        return std::nullopt;
    }
    const Result<Project> found = project(route);
    if (!found || found->packagesEnabled) {
        return std::nullopt;
    }
    // Only a caller who may read the project learns why; anyone else gets the usual refusal.
    const Result<Decision> decision =
        m_registry.policy().check(actor, *found, Operation::ReadPackage);
    if (!decision || *decision != Decision::Allow) {
        return std::nullopt;
    }
    const QString reason =
        u"the package registry is disabled for project %1"_s.arg(found->fullPath);
    return withReason(errorResponse(403, u"403 Forbidden - "_s + reason), reason);
}

Result<SettingsService::ForwardingMode> NpmHandler::forwardingMode(const NpmRoute &route) const
{
    if (route.level == NpmRoute::Level::Project) {
        if (const Result<Project> found = project(route); found) {
            return m_registry.settings().forwardingModeForProject(*found);
        }
    } else if (route.level == NpmRoute::Level::Group) {
        if (const Result<Group> group = m_registry.namespaces().findGroup(route.target); group) {
            return m_registry.settings().forwardingModeForGroup(group->id);
        }
    }
    return m_registry.settings().instanceForwardingMode();
}

Result<bool> NpmHandler::forwarding(const NpmRoute &route) const
{
    // Redirecting and proxying both forward (SettingsService::forwardingForGroup says the same).
    const Result<SettingsService::ForwardingMode> mode = forwardingMode(route);
    if (!mode) {
        return mode.error();
    }
    return *mode != SettingsService::ForwardingMode::Off;
}

QString NpmHandler::missReason(const NpmRoute &route) const
{
    const QString off = u"and forwarding to the upstream is off"_s;
    if (route.level != NpmRoute::Level::Instance) {
        return u"no project here has a package of this name, "_s + off;
    }
    // At instance level GitLab's naming convention decides where to look: say which part failed.
    const QString scope = Npm::scopeOf(route.packageName);
    if (scope.isEmpty()) {
        return u"an unscoped name is never found at instance level (packages are found by their "
               "scope, a top-level group's path), "_s
            + off;
    }
    const Result<Group> group = m_registry.namespaces().store().groupByPath(scope);
    if (!group || group->parentId != 0) {
        return u"scope @%1 names no top-level group (at instance level a package is found by "
               "its scope), "_s.arg(scope)
            + off;
    }
    if (group->path != scope) {
        return u"scope @%1 does not match the top-level group %2 (case matters), "_s.arg(
                   scope, group->path)
            + off;
    }
    return u"no project of group %1 has a package of this name, "_s.arg(group->path) + off;
}

Response NpmHandler::redirect(const QString &name) const
{
    const Result<QUrl> upstream = m_registry.settings().upstream();
    if (!upstream || !upstream->isValid() || upstream->isEmpty()) {
        return withReason(notFoundResponse(u"Package"_s),
                          u"no package of this name here; forwarding is on but no upstream "
                          "is set"_s);
    }
    // npm's own form of a scoped name in a URL: "@scope%2fname".
    QString encoded = name;
    encoded.replace(u'/', u"%2f"_s);
    Response response = Response::empty(302);
    response.setHeader("Location", (upstream->toString() + encoded).toUtf8());
    response.log.reason = u"no package of this name here: forwarded to the upstream"_s;
    return response;
}

} // namespace Trove::Http
