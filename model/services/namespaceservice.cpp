// SPDX-License-Identifier: GPL-3.0-or-later
#include "model/services/namespaceservice.h"

#include "model/blobstore.h"
#include "model/events.h"
#include "model/store/packagestore.h"
#include "model/store/sql.h"

#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace Trove {

NamespaceService::NamespaceService(const Database &database, Events *events)
    : m_database(database)
    , m_store(database)
    , m_events(events)
{
}

bool NamespaceService::isValidPathSegment(const QString &segment)
{
    // \A…\z, not ^…$: PCRE's $ also matches before a final newline, which let "acme\n" pass.
    static const QRegularExpression pattern(u"\\A[A-Za-z0-9_][A-Za-z0-9_.\\-]*\\z"_s);
    return !segment.isEmpty() && segment.size() <= 255 && pattern.match(segment).hasMatch()
        && !segment.endsWith(u".git"_s, Qt::CaseInsensitive)
        && !segment.endsWith(u".atom"_s, Qt::CaseInsensitive);
}

Result<QString> NamespaceService::parentAndLeaf(const QString &fullPath, QString *leaf) const
{
    const QStringList segments = fullPath.split(u'/');
    for (const QString &segment : segments) {
        if (!isValidPathSegment(segment)) {
            return Error::invalid(
                u"Invalid path %1: each part may contain only letters, digits, '_', '-' and '.',"
                " cannot start with '-' or '.' and cannot end in '.git' or '.atom'"_s.arg(
                    fullPath.isEmpty() ? u"\"\""_s : fullPath));
        }
    }
    *leaf = segments.last();
    return QStringList(segments.begin(), segments.end() - 1).join(u'/');
}

Result<Group>
NamespaceService::createGroup(const QString &fullPath, Visibility visibility, const QString &name)
{
    QString leaf;
    const Result<QString> parentPath = parentAndLeaf(fullPath, &leaf);
    if (!parentPath) {
        return parentPath.error();
    }
    Group group;
    if (!parentPath->isEmpty()) {
        const Result<Group> parent = m_store.groupByPath(*parentPath);
        if (!parent) {
            return parent.error().code == Error::Code::NotFound
                ? Error::notFound(u"Parent group %1 not found"_s.arg(*parentPath))
                : parent.error();
        }
        if (int(visibility) > int(parent->visibility)) {
            return Error::invalid(
                u"A subgroup cannot be more visible than its parent group %1 (%2)"_s.arg(
                    parent->fullPath, visibilityName(parent->visibility)));
        }
        group.parentId = parent->id;
        group.fullPath = parent->fullPath + u'/' + leaf;
    } else {
        group.fullPath = leaf;
    }
    const Result<bool> taken = m_store.pathTaken(group.fullPath);
    if (!taken) {
        return taken.error();
    }
    if (*taken) {
        return Error::conflict(u"Path %1 has already been taken"_s.arg(group.fullPath));
    }
    group.path = leaf;
    group.name = name.isEmpty() ? leaf : name;
    group.visibility = visibility;
    group.createdAt = QDateTime::currentDateTimeUtc();
    Result<Group> created = m_store.insertGroup(group);
    if (created && m_events) {
        emit m_events->namespacesChanged();
    }
    return created;
}

Result<Project>
NamespaceService::createProject(const QString &fullPath, Visibility visibility, const QString &name)
{
    QString leaf;
    const Result<QString> groupPath = parentAndLeaf(fullPath, &leaf);
    if (!groupPath) {
        return groupPath.error();
    }
    if (groupPath->isEmpty()) {
        return Error::invalid(
            u"A project lives in a group: give GROUP/PROJECT, e.g. acme/%1"_s.arg(leaf));
    }
    const Result<Group> group = m_store.groupByPath(*groupPath);
    if (!group) {
        return group.error().code == Error::Code::NotFound
            ? Error::notFound(u"Group %1 not found"_s.arg(*groupPath))
            : group.error();
    }
    if (int(visibility) > int(group->visibility)) {
        return Error::invalid(u"A project cannot be more visible than its group %1 (%2)"_s.arg(
            group->fullPath, visibilityName(group->visibility)));
    }
    Project project;
    project.namespaceId = group->id;
    project.path = leaf;
    project.fullPath = group->fullPath + u'/' + leaf;
    const Result<bool> taken = m_store.pathTaken(project.fullPath);
    if (!taken) {
        return taken.error();
    }
    if (*taken) {
        return Error::conflict(u"Path %1 has already been taken"_s.arg(project.fullPath));
    }
    project.name = name.isEmpty() ? leaf : name;
    project.visibility = visibility;
    project.createdAt = QDateTime::currentDateTimeUtc();
    Result<Project> created = m_store.insertProject(project);
    if (created && m_events) {
        emit m_events->namespacesChanged();
    }
    return created;
}

Error NamespaceService::invalidNewPath()
{
    return Error::invalid(u"Path can contain only letters, digits, '_', '-' and '.'; it cannot "
                          "start with '-' or '.' or end in '.git' or '.atom'"_s);
}

Result<void> NamespaceService::pathFree(const QString &oldFullPath,
                                        const QString &newFullPath) const
{
    // A different case of the same path is the same path to the unique index.
    if (newFullPath.compare(oldFullPath, Qt::CaseInsensitive) == 0) {
        return {};
    }
    const Result<bool> taken = m_store.pathTaken(newFullPath);
    if (!taken) {
        return taken.error();
    }
    if (*taken) {
        return Error::conflict(u"Path %1 has already been taken"_s.arg(newFullPath));
    }
    return {};
}

Result<void> NamespaceService::renameGroup(qint64 groupId, const QString &newPath)
{
    if (!isValidPathSegment(newPath)) {
        return invalidNewPath();
    }
    const Result<Group> group = m_store.groupById(groupId);
    if (!group) {
        return group.error();
    }
    if (group->path == newPath) {
        return {};
    }
    const QString parentPath = group->fullPath.section(u'/', 0, -2);
    const QString newFullPath = parentPath.isEmpty() ? newPath : parentPath + u'/' + newPath;
    return rename(group->fullPath, newFullPath, [&]() -> Result<void> {
        if (group->parentId == 0) {
            const Result<QList<Project>> projects = m_store.projectsUnder(groupId);
            if (!projects) {
                return projects.error();
            }
            for (const Project &project : *projects) {
                const Result<qint64> count =
                    PackageStore(m_database).packageCountInProject(project.id);
                if (!count) {
                    return count.error();
                }
                if (*count > 0) {
                    return Error::invalid(
                        u"Group %1 keeps its path: project %2 holds npm "
                        "packages, whose scope is the top-level group's path"_s.arg(
                            group->fullPath, project.fullPath));
                }
            }
        }
        return m_store.renameGroup(groupId, newPath, group->fullPath, newFullPath);
    });
}

Result<void> NamespaceService::renameProject(qint64 projectId, const QString &newPath)
{
    if (!isValidPathSegment(newPath)) {
        return invalidNewPath();
    }
    const Result<Project> project = m_store.projectById(projectId);
    if (!project) {
        return project.error();
    }
    if (project->path == newPath) {
        return {};
    }
    const QString newFullPath = project->fullPath.section(u'/', 0, -2) + u'/' + newPath;
    return rename(project->fullPath, newFullPath, [&] {
        return m_store.renameProject(projectId, newPath, newFullPath);
    });
}

Result<void> NamespaceService::rename(const QString &oldFullPath,
                                      const QString &newFullPath,
                                      const std::function<Result<void>()> &update)
{
    Sql::Transaction transaction(m_database);
    if (!transaction.isActive()) {
        return transaction.error();
    }
    if (const Result<void> free = pathFree(oldFullPath, newFullPath); !free) {
        return free;
    }
    if (const Result<void> updated = update(); !updated) {
        return updated;
    }
    if (const Result<void> committed = transaction.commit(); !committed) {
        return committed;
    }
    if (m_events) {
        emit m_events->namespacesChanged();
    }
    return {};
}

Result<void> NamespaceService::setGroupVisibility(qint64 groupId, Visibility visibility)
{
    const Result<Group> group = m_store.groupById(groupId);
    if (!group) {
        return group.error();
    }
    if (group->parentId) {
        const Result<Group> parent = m_store.groupById(group->parentId);
        if (!parent) {
            return parent.error();
        }
        if (int(visibility) > int(parent->visibility)) {
            return Error::invalid(u"A subgroup cannot be more visible than its group %1 (%2)"_s.arg(
                parent->fullPath, visibilityName(parent->visibility)));
        }
    }
    const Result<QList<Group>> groups = m_store.groups();
    const Result<QList<Project>> projects = m_store.projects();
    if (!groups || !projects) {
        return Error::storage(u"Cannot read the groups and projects"_s);
    }
    for (const Group &child : *groups) {
        if (child.parentId == groupId && int(child.visibility) > int(visibility)) {
            return Error::invalid(u"Subgroup %1 is %2: make it less visible first"_s.arg(
                child.fullPath, visibilityName(child.visibility)));
        }
    }
    for (const Project &child : *projects) {
        if (child.namespaceId == groupId && int(child.visibility) > int(visibility)) {
            return Error::invalid(u"Project %1 is %2: make it less visible first"_s.arg(
                child.fullPath, visibilityName(child.visibility)));
        }
    }
    Result<void> set = m_store.setGroupVisibility(groupId, visibility);
    if (set && m_events) {
        emit m_events->namespacesChanged();
    }
    return set;
}

Result<void> NamespaceService::setProjectVisibility(qint64 projectId, Visibility visibility)
{
    const Result<Project> project = m_store.projectById(projectId);
    if (!project) {
        return project.error();
    }
    const Result<Group> group = m_store.groupById(project->namespaceId);
    if (!group) {
        return group.error();
    }
    if (int(visibility) > int(group->visibility)) {
        return Error::invalid(u"A project cannot be more visible than its group %1 (%2)"_s.arg(
            group->fullPath, visibilityName(group->visibility)));
    }
    Result<void> set = m_store.setProjectVisibility(projectId, visibility);
    if (set && m_events) {
        emit m_events->namespacesChanged();
    }
    return set;
}

Result<void> NamespaceService::setPackagesEnabled(qint64 projectId, bool enabled)
{
    Result<void> set = m_store.setProjectPackagesEnabled(projectId, enabled);
    if (set && m_events) {
        emit m_events->namespacesChanged();
    }
    return set;
}

Result<Group> NamespaceService::findGroup(const QString &idOrPath) const
{
    bool numeric = false;
    const qint64 id = idOrPath.toLongLong(&numeric);
    return numeric ? m_store.groupById(id) : m_store.groupByPath(idOrPath);
}

Result<Project> NamespaceService::findProject(const QString &idOrPath) const
{
    bool numeric = false;
    const qint64 id = idOrPath.toLongLong(&numeric);
    return numeric ? m_store.projectById(id) : m_store.projectByPath(idOrPath);
}

// Deleting (the admin command line).

Result<void> NamespaceService::deleteProjectRows(qint64 projectId,
                                                 Deleted *deleted,
                                                 QStringList *sha512s,
                                                 QList<std::pair<qint64, QString>> *names)
{
    // Through PackageStore::deletePackage, one row at a time, so that whatever else a version's
    // removal must keep current (its dist-tags, indexes) is kept as an unpublish keeps it.
    PackageStore packages(m_database);
    const Result<QList<PackageSummary>> summaries = packages.packageSummaries();
    if (!summaries) {
        return summaries.error();
    }
    for (const PackageSummary &summary : *summaries) {
        if (summary.projectId != projectId) {
            continue;
        }
        const Result<QList<Package>> versions = packages.packagesInProject(projectId, summary.name);
        if (!versions) {
            return versions.error();
        }
        for (const Package &version : *versions) {
            if (const Result<void> removed = packages.deletePackage(version.id); !removed) {
                return removed;
            }
            sha512s->append(version.sha512);
            ++deleted->versions;
        }
        names->append({projectId, summary.name});
    }
    if (const Result<void> removed = m_store.deleteProject(projectId); !removed) {
        return removed;
    }
    ++deleted->projects;
    return {};
}

int NamespaceService::removeUnreferencedBlobs(const QStringList &sha512s, BlobStore &blobs)
{
    // A crash before this leaves orphans, which the next start sweeps (and `trove check` lists).
    Sql::Transaction transaction(m_database);
    if (!transaction.isActive()) {
        return 0;
    }
    PackageStore packages(m_database);
    int removed = 0;
    for (const QString &sha512 : sha512s) {
        const Result<bool> referenced = packages.blobReferenced(sha512);
        if (referenced && !*referenced && blobs.contains(sha512) && blobs.remove(sha512)) {
            ++removed;
        }
    }
    (void)transaction.commit();
    return removed;
}

void NamespaceService::announceDeleted(const QList<std::pair<qint64, QString>> &names)
{
    if (!m_events) {
        return;
    }
    emit m_events->namespacesChanged();
    for (const auto &[projectId, name] : names) {
        emit m_events->packageChanged(projectId, name);
    }
}

Result<NamespaceService::Deleted> NamespaceService::deleteProject(qint64 projectId,
                                                                  BlobStore &blobs)
{
    Deleted deleted;
    QStringList sha512s;
    QList<std::pair<qint64, QString>> names;
    {
        Sql::Transaction transaction(m_database);
        if (!transaction.isActive()) {
            return transaction.error();
        }
        if (const Result<Project> project = m_store.projectById(projectId); !project) {
            return project.error();
        }
        if (const Result<void> removed = deleteProjectRows(projectId, &deleted, &sha512s, &names);
            !removed) {
            return removed.error();
        }
        if (const Result<void> committed = transaction.commit(); !committed) {
            return committed.error();
        }
    }
    sha512s.removeDuplicates();
    deleted.blobs = removeUnreferencedBlobs(sha512s, blobs);
    announceDeleted(names);
    return deleted;
}

Result<NamespaceService::Deleted>
NamespaceService::deleteGroup(qint64 groupId, bool recursive, BlobStore &blobs)
{
    Deleted deleted;
    QStringList sha512s;
    QList<std::pair<qint64, QString>> names;
    {
        Sql::Transaction transaction(m_database);
        if (!transaction.isActive()) {
            return transaction.error();
        }
        const Result<Group> group = m_store.groupById(groupId);
        if (!group) {
            return group.error();
        }
        const Result<QList<Group>> tree = m_store.groupTree(groupId);
        if (!tree) {
            return tree.error();
        }
        const Result<QList<Project>> projects = m_store.projectsUnder(groupId);
        if (!projects) {
            return projects.error();
        }
        if (!recursive && (tree->size() > 1 || !projects->isEmpty())) {
            return Error::conflict(u"Group %1 is not empty: it holds %2 subgroup(s) and %3"
                                   " project(s)"_s.arg(group->fullPath)
                                       .arg(tree->size() - 1)
                                       .arg(projects->size()));
        }
        for (const Project &project : *projects) {
            if (const Result<void> removed =
                    deleteProjectRows(project.id, &deleted, &sha512s, &names);
                !removed) {
                return removed.error();
            }
        }
        // Deepest first: a group's row cannot go while a subgroup refers to it.
        for (const Group &member : *tree) {
            if (const Result<void> removed = m_store.deleteGroup(member.id); !removed) {
                return removed.error();
            }
            ++deleted.groups;
        }
        if (const Result<void> committed = transaction.commit(); !committed) {
            return committed.error();
        }
    }
    sha512s.removeDuplicates();
    deleted.blobs = removeUnreferencedBlobs(sha512s, blobs);
    announceDeleted(names);
    return deleted;
}

} // namespace Trove
