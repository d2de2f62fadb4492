// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "model/domain.h"
#include "model/result.h"
#include "model/store/namespacestore.h"

#include <functional>

namespace Trove {

class BlobStore;
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

    // Deleting (the admin command line): what went.
    struct Deleted
    {
        int groups = 0;
        int projects = 0;
        int versions = 0; // package versions (rows) removed
        int blobs = 0; // tarball files no remaining row used
    };
    // The project with every package version in it, its tags, members, deploy and job tokens
    // and protection rules, in one transaction; then the blobs no remaining row uses.
    Result<Deleted> deleteProject(qint64 projectId, BlobStore &blobs);
    // GitLab's rule: a group that holds subgroups or projects is refused (Conflict) unless
    // `recursive`, which deletes everything under it as deleteProject() does, in one transaction.
    Result<Deleted> deleteGroup(qint64 groupId, bool recursive, BlobStore &blobs);

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
    // Deleting: the caller holds the transaction. Adds the removed rows' digests to `sha512s`
    // and the package names to `names`.
    Result<void> deleteProjectRows(qint64 projectId,
                                   Deleted *deleted,
                                   QStringList *sha512s,
                                   QList<std::pair<qint64, QString>> *names);
    // After the commit, under the write lock so that a publish of the same bytes is safe.
    int removeUnreferencedBlobs(const QStringList &sha512s, BlobStore &blobs);
    void announceDeleted(const QList<std::pair<qint64, QString>> &names);

    const Database &m_database;
    NamespaceStore m_store;
    Events *m_events;
};

} // namespace Trove
