// SPDX-License-Identifier: GPL-3.0-or-later
// The projects an npm route names or searches: the project itself, a group's projects, or at
// instance level those under the top-level group its scope names (GitLab's naming convention).
#include "model/npm/packagename.h"
#include "model/registry.h"
#include "server/npmhandler.h"

using namespace Qt::StringLiterals;

namespace Trove::Http {

namespace {

// Group and instance documents leave out projects whose package registry is switched off.
Result<QList<Project>> withRegistryOn(Result<QList<Project>> projects)
{
    if (projects) {
        projects->removeIf([](const Project &project) { return !project.packagesEnabled; });
    }
    return projects;
}

} // namespace

Result<Project> NpmHandler::project(const NpmRoute &route) const
{
    if (!route.project) {
        Result<Project> found = m_registry.namespaces().findProject(route.target);
        if (!found && found.error().code == Error::Code::NotFound) {
            found = Error::notFound(u"Project"_s);
        }
        route.project = std::move(found);
    }
    return *route.project;
}

Result<QList<Project>> NpmHandler::projectsFor(const NpmRoute &route) const
{
    switch (route.level) {
    case NpmRoute::Level::Project: {
        const Result<Project> found = project(route);
        if (!found) {
            if (found.error().code == Error::Code::NotFound) {
                return QList<Project>();
            }
            return found.error();
        }
        return QList<Project>{*found};
    }
    case NpmRoute::Level::Group: {
        const Result<Group> group = m_registry.namespaces().findGroup(route.target);
        if (!group) {
            return group.error();
        }
        return withRegistryOn(m_registry.namespaces().store().projectsUnder(group->id));
    }
    case NpmRoute::Level::Instance: {
        // GitLab's naming convention: the scope names a top-level group.
        const QString scope = Npm::scopeOf(route.packageName);
        if (scope.isEmpty()) {
            return QList<Project>();
        }
        const Result<Group> group = m_registry.namespaces().store().groupByPath(scope);
        if (!group || group->parentId != 0) {
            return QList<Project>();
        }
        return withRegistryOn(m_registry.namespaces().store().projectsUnder(group->id));
    }
    }
    return QList<Project>();
}

Result<Project> NpmHandler::projectOfLatest(const NpmRoute &route) const
{
    if (route.level == NpmRoute::Level::Project) {
        return project(route);
    }
    if (route.level == NpmRoute::Level::Group) {
        if (const Result<Group> group = m_registry.namespaces().findGroup(route.target); !group) {
            return Error::notFound(u"Project"_s);
        }
    }
    const Result<QList<Project>> projects = projectsFor(route);
    if (!projects) {
        return projects.error();
    }
    const Result<QList<Package>> packages =
        m_registry.packages().store().packagesNamed(route.packageName);
    if (!packages) {
        return packages.error();
    }
    for (auto it = packages->crbegin(); it != packages->crend(); ++it) {
        for (const Project &project : *projects) {
            if (project.id == it->projectId) {
                return project;
            }
        }
    }
    return Error::notFound(u"Project"_s);
}

} // namespace Trove::Http
