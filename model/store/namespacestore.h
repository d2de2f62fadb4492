// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "model/domain.h"
#include "model/result.h"

namespace Trove {

class Database;

// Groups (namespaces) and projects. Paths compare case-insensitively, as in GitLab.
class NamespaceStore final
{
public:
    explicit NamespaceStore(const Database &database);

    Result<Group> insertGroup(const Group &group);
    Result<Project> insertProject(const Project &project);

    Result<Group> groupById(qint64 id) const;
    Result<Group> groupByPath(const QString &fullPath) const;
    Result<Project> projectById(qint64 id) const;
    Result<Project> projectByPath(const QString &fullPath) const;
    // Whether a group or a project already has this full path.
    Result<bool> pathTaken(const QString &fullPath) const;

    // Moves `oldFullPath` and everything under it (subgroups, projects) to `newFullPath`, and
    // gives the renamed group or project `newPath` as its own path segment. One statement each;
    // the caller holds a transaction.
    Result<void> renameGroup(qint64 groupId,
                             const QString &newPath,
                             const QString &oldFullPath,
                             const QString &newFullPath);
    Result<void>
    renameProject(qint64 projectId, const QString &newPath, const QString &newFullPath);
    Result<void> setGroupVisibility(qint64 groupId, Visibility visibility);
    Result<void> setProjectVisibility(qint64 projectId, Visibility visibility);
    // GitLab's "Packages" project setting (Project::packagesEnabled). NotFound for no such project.
    Result<void> setProjectPackagesEnabled(qint64 projectId, bool enabled);

    Result<QList<Group>> groups() const;
    Result<QList<Project>> projects() const;
    // The group and every group above it, nearest first.
    Result<QList<Group>> ancestors(qint64 groupId) const;
    // Projects in the group and all its subgroups.
    Result<QList<Project>> projectsUnder(qint64 groupId) const;

    // Deleting (the admin command line). The caller holds a transaction and has removed the
    // packages first: package rows do not cascade, so that no delete drops a version silently.
    // Memberships, deploy and job tokens, protection rules and settings go with the row
    // (ON DELETE CASCADE). NotFound when there is no such row.
    Result<void> deleteProject(qint64 projectId);
    // The group must hold no subgroup and no project any more.
    Result<void> deleteGroup(qint64 groupId);
    // The group and every group below it, deepest first: the order to delete them in.
    Result<QList<Group>> groupTree(qint64 groupId) const;

private:
    // `table` is "namespaces" or "projects".
    Result<void> setVisibility(const QString &table, qint64 id, Visibility visibility);

    const Database &m_database;
};

} // namespace Trove
