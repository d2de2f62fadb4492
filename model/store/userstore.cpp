// SPDX-License-Identifier: GPL-3.0-or-later
#include "model/store/userstore.h"

#include "model/store/sql.h"
#include "model/store/time.h"

using namespace Qt::StringLiterals;

namespace Trove {

namespace {

const QString UserColumns = u"id, username, admin, created_at"_s;

User readUser(const Sql::Statement &row)
{
    User user;
    user.id = row.value(0).toLongLong();
    user.username = row.value(1).toString();
    user.admin = row.value(2).toBool();
    user.createdAt = StoreTime::fromStored(row.value(3));
    return user;
}

Membership readMembership(const Sql::Statement &row)
{
    Membership membership;
    membership.userId = row.value(0).toLongLong();
    membership.groupId = row.value(1).toLongLong();
    membership.projectId = row.value(2).toLongLong();
    membership.accessLevel = AccessLevel(row.value(3).toInt());
    return membership;
}

Result<QList<Membership>> readMemberships(Sql::Statement &select)
{
    if (!select.exec()) {
        return select.error(u"Cannot read memberships"_s);
    }
    QList<Membership> rows;
    while (select.next()) {
        rows.append(readMembership(select));
    }
    return rows;
}

const QString MembershipColumns = u"user_id, namespace_id, project_id, access_level"_s;

// Groups from `start` up to the root.
const QString GroupChain = u"WITH RECURSIVE chain(id) AS ("
                           " SELECT CAST(:group AS BIGINT)"
                           " UNION ALL SELECT n.parent_id FROM namespaces n JOIN chain"
                           " ON n.id = chain.id WHERE n.parent_id IS NOT NULL) "_s;

Result<AccessLevel> maxLevel(Sql::Statement &select)
{
    if (!select.exec()) {
        return select.error(u"Cannot read memberships"_s);
    }
    if (!select.next() || select.value(0).isNull()) {
        return AccessLevel::None;
    }
    return AccessLevel(select.value(0).toInt());
}

} // namespace

UserStore::UserStore(const Database &database)
    : m_database(database)
{
}

Result<User> UserStore::insertUser(const User &user)
{
    Sql::Statement insert(m_database,
                          u"INSERT INTO users (username, admin, created_at)"
                          " VALUES (:name, :admin, :at)"_s
                              % Sql::returningId(m_database));
    insert.bind(u":name"_s, user.username)
        .bind(u":admin"_s, user.admin ? 1 : 0)
        .bind(u":at"_s, StoreTime::toStored(user.createdAt));
    if (!insert.exec()) {
        if (insert.isConstraintViolation()) {
            return Error::conflict(u"Username %1 has already been taken"_s.arg(user.username));
        }
        return insert.error(u"Cannot create user %1"_s.arg(user.username));
    }
    User created = user;
    created.id = insert.insertedId();
    return created;
}

Result<User> UserStore::userById(qint64 id) const
{
    Sql::Statement select(m_database, u"SELECT "_s % UserColumns % u" FROM users WHERE id = :id"_s);
    select.bind(u":id"_s, id);
    if (!select.exec()) {
        return select.error(u"Cannot read user %1"_s.arg(id));
    }
    if (!select.next()) {
        return Error::notFound(u"User %1 not found"_s.arg(id));
    }
    return readUser(select);
}

Result<User> UserStore::userByName(const QString &username) const
{
    Sql::Statement select(m_database,
                          u"SELECT "_s % UserColumns
                              % u" FROM users WHERE lower(username) = lower(:name)"_s);
    select.bind(u":name"_s, username);
    if (!select.exec()) {
        return select.error(u"Cannot read user %1"_s.arg(username));
    }
    if (!select.next()) {
        return Error::notFound(u"User %1 not found"_s.arg(username));
    }
    return readUser(select);
}

Result<QList<User>> UserStore::users() const
{
    Sql::Statement select(m_database,
                          u"SELECT "_s % UserColumns % u" FROM users ORDER BY lower(username)"_s);
    if (!select.exec()) {
        return select.error(u"Cannot read users"_s);
    }
    QList<User> rows;
    while (select.next()) {
        rows.append(readUser(select));
    }
    return rows;
}

Result<void> UserStore::deleteUser(qint64 id)
{
    Sql::Statement remove(m_database, u"DELETE FROM users WHERE id = :id"_s);
    remove.bind(u":id"_s, id);
    if (!remove.exec()) {
        return remove.error(u"Cannot delete the user"_s);
    }
    if (remove.numRowsAffected() == 0) {
        return Error::notFound(u"User not found"_s);
    }
    return {};
}

Result<void> UserStore::upsertMembership(const Membership &membership)
{
    Q_ASSERT((membership.groupId == 0) != (membership.projectId == 0));
    const QString conflictTarget =
        membership.groupId ? u"(user_id, namespace_id)"_s : u"(user_id, project_id)"_s;
    Sql::Statement upsert(m_database,
                          u"INSERT INTO memberships (user_id, namespace_id, project_id,"
                          " access_level, created_at) VALUES (:user, :group, :project, :level, :at)"
                          " ON CONFLICT"_s
                              % conflictTarget
                              % u" DO UPDATE SET access_level = excluded.access_level"_s);
    upsert.bind(u":user"_s, membership.userId)
        .bind(u":group"_s, membership.groupId ? QVariant(membership.groupId) : QVariant())
        .bind(u":project"_s, membership.projectId ? QVariant(membership.projectId) : QVariant())
        .bind(u":level"_s, int(membership.accessLevel))
        .bind(u":at"_s, StoreTime::toStored(StoreTime::now()));
    if (!upsert.exec()) {
        return upsert.error(u"Cannot add the membership"_s);
    }
    return {};
}

Result<void> UserStore::deleteMembership(qint64 userId, qint64 groupId, qint64 projectId)
{
    Q_ASSERT((groupId == 0) != (projectId == 0));
    Sql::Statement remove(m_database,
                          groupId ? u"DELETE FROM memberships WHERE user_id = :user"
                                    " AND namespace_id = :target"_s
                                  : u"DELETE FROM memberships WHERE user_id = :user"
                                    " AND project_id = :target"_s);
    remove.bind(u":user"_s, userId).bind(u":target"_s, groupId ? groupId : projectId);
    if (!remove.exec()) {
        return remove.error(u"Cannot remove the membership"_s);
    }
    if (remove.numRowsAffected() == 0) {
        return Error::notFound(u"No such membership"_s);
    }
    return {};
}

Result<QList<Membership>> UserStore::memberships(qint64 userId) const
{
    Sql::Statement select(m_database,
                          u"SELECT "_s % MembershipColumns
                              % u" FROM memberships WHERE user_id = :user ORDER BY id"_s);
    select.bind(u":user"_s, userId);
    return readMemberships(select);
}

Result<QList<Membership>> UserStore::membershipsOfProject(qint64 projectId) const
{
    Sql::Statement select(m_database,
                          u"SELECT "_s % MembershipColumns
                              % u" FROM memberships WHERE project_id = :project ORDER BY id"_s);
    select.bind(u":project"_s, projectId);
    return readMemberships(select);
}

Result<QList<Membership>> UserStore::membershipsOfGroup(qint64 groupId) const
{
    Sql::Statement select(m_database,
                          u"SELECT "_s % MembershipColumns
                              % u" FROM memberships WHERE namespace_id = :group ORDER BY id"_s);
    select.bind(u":group"_s, groupId);
    return readMemberships(select);
}

Result<AccessLevel> UserStore::projectAccessLevel(qint64 userId, qint64 projectId) const
{
    Sql::Statement select(
        m_database,
        u"WITH RECURSIVE chain(id) AS ("
        " SELECT namespace_id FROM projects WHERE id = :project"
        " UNION ALL SELECT n.parent_id FROM namespaces n JOIN chain"
        " ON n.id = chain.id WHERE n.parent_id IS NOT NULL)"
        " SELECT max(access_level) FROM memberships WHERE user_id = :user"
        " AND (project_id = :project2 OR namespace_id IN (SELECT id FROM chain))"_s);
    select.bind(u":project"_s, projectId).bind(u":user"_s, userId).bind(u":project2"_s, projectId);
    return maxLevel(select);
}

Result<AccessLevel> UserStore::groupAccessLevel(qint64 userId, qint64 groupId) const
{
    Sql::Statement select(m_database,
                          GroupChain
                              % u"SELECT max(access_level) FROM memberships WHERE user_id = :user"
                                " AND namespace_id IN (SELECT id FROM chain)"_s);
    select.bind(u":group"_s, groupId).bind(u":user"_s, userId);
    return maxLevel(select);
}

} // namespace Trove
