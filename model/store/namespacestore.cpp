// SPDX-License-Identifier: GPL-3.0-or-later
#include "model/store/namespacestore.h"

#include "model/store/sql.h"
#include "model/store/time.h"

using namespace Qt::StringLiterals;

namespace Trove {

namespace {

const QString GroupColumns = u"id, parent_id, path, full_path, name, visibility, created_at"_s;
const QString ProjectColumns =
    u"id, namespace_id, path, full_path, name, visibility, created_at, packages_enabled"_s;

Group readGroup(const Sql::Statement &row)
{
    Group group;
    group.id = row.value(0).toLongLong();
    group.parentId = row.value(1).toLongLong();
    group.path = row.value(2).toString();
    group.fullPath = row.value(3).toString();
    group.name = row.value(4).toString();
    group.visibility = Visibility(row.value(5).toInt());
    group.createdAt = StoreTime::fromStored(row.value(6));
    return group;
}

Project readProject(const Sql::Statement &row)
{
    Project project;
    project.id = row.value(0).toLongLong();
    project.namespaceId = row.value(1).toLongLong();
    project.path = row.value(2).toString();
    project.fullPath = row.value(3).toString();
    project.name = row.value(4).toString();
    project.visibility = Visibility(row.value(5).toInt());
    project.createdAt = StoreTime::fromStored(row.value(6));
    project.packagesEnabled = row.value(7).toInt() != 0;
    return project;
}

template<typename T, typename Reader>
Result<T> one(Sql::Statement &statement, Reader reader, const QString &missing)
{
    if (!statement.exec()) {
        return statement.error(u"Cannot read"_s);
    }
    if (!statement.next()) {
        return Error::notFound(missing);
    }
    return reader(statement);
}

template<typename T, typename Reader>
Result<QList<T>> all(Sql::Statement &statement, Reader reader)
{
    if (!statement.exec()) {
        return statement.error(u"Cannot read"_s);
    }
    QList<T> rows;
    while (statement.next()) {
        rows.append(reader(statement));
    }
    return rows;
}

} // namespace

NamespaceStore::NamespaceStore(const Database &database)
    : m_database(database)
{
}

Result<void> NamespaceStore::renameGroup(qint64 groupId,
                                         const QString &newPath,
                                         const QString &oldFullPath,
                                         const QString &newFullPath)
{
    Sql::Statement own(m_database,
                       u"UPDATE namespaces SET path = :path, full_path = :full WHERE id = :id"_s);
    own.bind(u":path"_s, newPath).bind(u":full"_s, newFullPath).bind(u":id"_s, groupId);
    if (!own.exec()) {
        return own.error(u"Cannot rename the group"_s);
    }
    // Everything below: the old prefix and a slash (compared as text, not with LIKE, whose '_'
    // is a wildcard and valid in paths).
    for (const QString &table : {u"namespaces"_s, u"projects"_s}) {
        Sql::Statement below(m_database,
                             u"UPDATE "_s % table
                                 % u" SET full_path = :new || substr(full_path, :cut)"
                                   " WHERE substr(full_path, 1, :length) = :prefix"_s);
        below.bind(u":new"_s, newFullPath)
            .bind(u":cut"_s, qint64(oldFullPath.size()) + 1)
            .bind(u":length"_s, qint64(oldFullPath.size()) + 1)
            .bind(u":prefix"_s, QString(oldFullPath + u'/'));
        if (!below.exec()) {
            return below.error(u"Cannot move what is under the group"_s);
        }
    }
    return {};
}

Result<void>
NamespaceStore::renameProject(qint64 projectId, const QString &newPath, const QString &newFullPath)
{
    Sql::Statement update(m_database,
                          u"UPDATE projects SET path = :path, full_path = :full WHERE id = :id"_s);
    update.bind(u":path"_s, newPath).bind(u":full"_s, newFullPath).bind(u":id"_s, projectId);
    if (!update.exec()) {
        return update.error(u"Cannot rename the project"_s);
    }
    return {};
}

Result<void> NamespaceStore::setGroupVisibility(qint64 groupId, Visibility visibility)
{
    return setVisibility(u"namespaces"_s, groupId, visibility);
}

Result<void> NamespaceStore::setProjectVisibility(qint64 projectId, Visibility visibility)
{
    return setVisibility(u"projects"_s, projectId, visibility);
}

Result<void> NamespaceStore::setProjectPackagesEnabled(qint64 projectId, bool enabled)
{
    Sql::Statement update(m_database,
                          u"UPDATE projects SET packages_enabled = :enabled WHERE id = :id"_s);
    update.bind(u":enabled"_s, enabled ? 1 : 0).bind(u":id"_s, projectId);
    if (!update.exec()) {
        return update.error(u"Cannot change the project's package registry setting"_s);
    }
    if (update.numRowsAffected() == 0) {
        return Error::notFound(u"Project not found"_s);
    }
    return {};
}

Result<void> NamespaceStore::setVisibility(const QString &table, qint64 id, Visibility visibility)
{
    Sql::Statement update(m_database,
                          u"UPDATE "_s % table % u" SET visibility = :visibility WHERE id = :id"_s);
    update.bind(u":visibility"_s, int(visibility)).bind(u":id"_s, id);
    if (!update.exec()) {
        return update.error(u"Cannot change the visibility"_s);
    }
    return {};
}

Result<Group> NamespaceStore::insertGroup(const Group &group)
{
    Sql::Statement insert(m_database,
                          u"INSERT INTO namespaces (parent_id, path, full_path, name, visibility,"
                          " created_at) VALUES (:parent, :path, :full, :name, :visibility, :at)"_s
                              % Sql::returningId(m_database));
    insert.bind(u":parent"_s, group.parentId ? QVariant(group.parentId) : QVariant())
        .bind(u":path"_s, group.path)
        .bind(u":full"_s, group.fullPath)
        .bind(u":name"_s, group.name)
        .bind(u":visibility"_s, int(group.visibility))
        .bind(u":at"_s, StoreTime::toStored(group.createdAt));
    if (!insert.exec()) {
        if (insert.isConstraintViolation()) {
            return Error::conflict(u"Path %1 has already been taken"_s.arg(group.fullPath));
        }
        return insert.error(u"Cannot create group %1"_s.arg(group.fullPath));
    }
    Group created = group;
    created.id = insert.insertedId();
    return created;
}

Result<Project> NamespaceStore::insertProject(const Project &project)
{
    Sql::Statement insert(m_database,
                          u"INSERT INTO projects (namespace_id, path, full_path, name, visibility,"
                          " created_at) VALUES (:ns, :path, :full, :name, :visibility, :at)"_s
                              % Sql::returningId(m_database));
    insert.bind(u":ns"_s, project.namespaceId)
        .bind(u":path"_s, project.path)
        .bind(u":full"_s, project.fullPath)
        .bind(u":name"_s, project.name)
        .bind(u":visibility"_s, int(project.visibility))
        .bind(u":at"_s, StoreTime::toStored(project.createdAt));
    if (!insert.exec()) {
        if (insert.isConstraintViolation()) {
            return Error::conflict(u"Path %1 has already been taken"_s.arg(project.fullPath));
        }
        return insert.error(u"Cannot create project %1"_s.arg(project.fullPath));
    }
    Project created = project;
    created.id = insert.insertedId();
    return created;
}

Result<Group> NamespaceStore::groupById(qint64 id) const
{
    Sql::Statement select(m_database,
                          u"SELECT "_s % GroupColumns % u" FROM namespaces WHERE id = :id"_s);
    select.bind(u":id"_s, id);
    return one<Group>(select, readGroup, u"Group %1 not found"_s.arg(id));
}

Result<Group> NamespaceStore::groupByPath(const QString &fullPath) const
{
    Sql::Statement select(m_database,
                          u"SELECT "_s % GroupColumns
                              % u" FROM namespaces WHERE lower(full_path) = lower(:path)"_s);
    select.bind(u":path"_s, fullPath);
    return one<Group>(select, readGroup, u"Group %1 not found"_s.arg(fullPath));
}

Result<Project> NamespaceStore::projectById(qint64 id) const
{
    Sql::Statement select(m_database,
                          u"SELECT "_s % ProjectColumns % u" FROM projects WHERE id = :id"_s);
    select.bind(u":id"_s, id);
    return one<Project>(select, readProject, u"Project %1 not found"_s.arg(id));
}

Result<Project> NamespaceStore::projectByPath(const QString &fullPath) const
{
    Sql::Statement select(m_database,
                          u"SELECT "_s % ProjectColumns
                              % u" FROM projects WHERE lower(full_path) = lower(:path)"_s);
    select.bind(u":path"_s, fullPath);
    return one<Project>(select, readProject, u"Project %1 not found"_s.arg(fullPath));
}

Result<bool> NamespaceStore::pathTaken(const QString &fullPath) const
{
    Sql::Statement select(
        m_database,
        u"SELECT 1 FROM namespaces WHERE lower(full_path) = lower(:path)"
        " UNION ALL SELECT 1 FROM projects WHERE lower(full_path) = lower(:path2)"_s);
    select.bind(u":path"_s, fullPath).bind(u":path2"_s, fullPath);
    if (!select.exec()) {
        return select.error(u"Cannot look up path %1"_s.arg(fullPath));
    }
    return select.next();
}

Result<QList<Group>> NamespaceStore::groups() const
{
    Sql::Statement select(m_database,
                          u"SELECT "_s % GroupColumns % u" FROM namespaces ORDER BY full_path"_s);
    return all<Group>(select, readGroup);
}

Result<QList<Project>> NamespaceStore::projects() const
{
    Sql::Statement select(m_database,
                          u"SELECT "_s % ProjectColumns % u" FROM projects ORDER BY full_path"_s);
    return all<Project>(select, readProject);
}

Result<QList<Group>> NamespaceStore::ancestors(qint64 groupId) const
{
    Sql::Statement select(m_database,
                          u"WITH RECURSIVE chain(id, depth) AS ("
                          " SELECT CAST(:id AS BIGINT), 0"
                          " UNION ALL SELECT n.parent_id, chain.depth + 1 FROM namespaces n"
                          " JOIN chain ON n.id = chain.id WHERE n.parent_id IS NOT NULL)"
                          " SELECT "_s
                              % GroupColumns
                              % u" FROM namespaces JOIN chain USING (id) ORDER BY chain.depth"_s);
    select.bind(u":id"_s, groupId);
    return all<Group>(select, readGroup);
}

Result<QList<Project>> NamespaceStore::projectsUnder(qint64 groupId) const
{
    Sql::Statement select(
        m_database,
        u"WITH RECURSIVE tree(id) AS ("
        " SELECT CAST(:id AS BIGINT)"
        " UNION ALL SELECT n.id FROM namespaces n JOIN tree ON n.parent_id = tree.id)"
        " SELECT "_s
            % ProjectColumns
            % u" FROM projects WHERE namespace_id IN (SELECT id FROM tree)"
              " ORDER BY full_path"_s);
    select.bind(u":id"_s, groupId);
    return all<Project>(select, readProject);
}

// Deleting (the admin command line).

Result<void> NamespaceStore::deleteProject(qint64 projectId)
{
    // A tag always points at a version of its own project, so none should be left; the project's
    // row cannot go while one is (dist_tags.project_id does not cascade).
    Sql::Statement tags(m_database, u"DELETE FROM dist_tags WHERE project_id = :id"_s);
    tags.bind(u":id"_s, projectId);
    if (!tags.exec()) {
        return tags.error(u"Cannot remove the project's dist-tags"_s);
    }
    Sql::Statement remove(m_database, u"DELETE FROM projects WHERE id = :id"_s);
    remove.bind(u":id"_s, projectId);
    if (!remove.exec()) {
        return remove.error(u"Cannot delete the project"_s);
    }
    if (remove.numRowsAffected() == 0) {
        return Error::notFound(u"Project not found"_s);
    }
    return {};
}

Result<void> NamespaceStore::deleteGroup(qint64 groupId)
{
    Sql::Statement remove(m_database, u"DELETE FROM namespaces WHERE id = :id"_s);
    remove.bind(u":id"_s, groupId);
    if (!remove.exec()) {
        return remove.error(u"Cannot delete the group"_s);
    }
    if (remove.numRowsAffected() == 0) {
        return Error::notFound(u"Group not found"_s);
    }
    return {};
}

Result<QList<Group>> NamespaceStore::groupTree(qint64 groupId) const
{
    Sql::Statement select(m_database,
                          u"WITH RECURSIVE tree(id, depth) AS ("
                          " SELECT CAST(:id AS BIGINT), 0"
                          " UNION ALL SELECT n.id, tree.depth + 1 FROM namespaces n"
                          " JOIN tree ON n.parent_id = tree.id)"
                          " SELECT "_s
                              % GroupColumns
                              % u" FROM namespaces JOIN tree USING (id)"
                                " ORDER BY tree.depth DESC, full_path"_s);
    select.bind(u":id"_s, groupId);
    return all<Group>(select, readGroup);
}

} // namespace Trove
