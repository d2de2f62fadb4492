// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "model/domain.h"
#include "model/result.h"
#include "model/store/namespacestore.h"

#include <functional>

namespace Trove {

class Database;
class Events;

// Groups, subgroups and projects, with GitLab's path rules.
class NamespaceService final
{
public:
    NamespaceService(const Database &database, Events *events = nullptr);

    // "acme" creates a top-level group, "acme/frontend" a subgroup of the existing "acme".
    // A subgroup cannot be more visible than its parent.
    Result<Group> createGroup(const QString &fullPath,
                              Visibility visibility = Visibility::Private,
                              const QString &name = {});
    // "acme/frontend/widgets": a project in the existing group "acme/frontend". A project cannot
    // be more visible than its group.
    Result<Project> createProject(const QString &fullPath,
                                  Visibility visibility = Visibility::Private,
                                  const QString &name = {});

    // A new path segment for a group or project; what is under a group moves with it. GitLab's
    // rule: a top-level group whose projects hold npm packages keeps its path (it is their
    // scope). The new path must be free among the siblings.
    Result<void> renameGroup(qint64 groupId, const QString &newPath);
    Result<void> renameProject(qint64 projectId, const QString &newPath);
    // GitLab's order of visibility: a group is at most as visible as its parent and at least as
    // visible as its subgroups and projects; a project at most as visible as its group.
    Result<void> setGroupVisibility(qint64 groupId, Visibility visibility);
    Result<void> setProjectVisibility(qint64 projectId, Visibility visibility);
    // GitLab's "Packages" project setting (Project::packagesEnabled), on by default. Off: the
    // project's npm endpoints answer 403 and its packages leave group and instance documents
    // and search. NotFound for no such project.
    Result<void> setPackagesEnabled(qint64 projectId, bool enabled);

    // By numeric id or full path (URL-decoded).
    Result<Group> findGroup(const QString &idOrPath) const;
    Result<Project> findProject(const QString &idOrPath) const;

    // GitLab: letters, digits, '_', '-' and '.'; not starting with '-' or '.'; not ending in
    // '.git' or '.atom'; at most 255 characters.
    static bool isValidPathSegment(const QString &segment);

    NamespaceStore &store() { return m_store; }

private:
    Result<QString> parentAndLeaf(const QString &fullPath, QString *leaf) const;
    static Error invalidNewPath();
    // Conflict when another group or project has `newFullPath` (a change of case alone is free).
    Result<void> pathFree(const QString &oldFullPath, const QString &newFullPath) const;
    // In one transaction: the new path is free, `update` succeeds; then the change event.
    Result<void> rename(const QString &oldFullPath,
                        const QString &newFullPath,
                        const std::function<Result<void>()> &update);

    const Database &m_database;
    NamespaceStore m_store;
    Events *m_events;
};

} // namespace Trove
