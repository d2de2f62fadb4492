// SPDX-License-Identifier: GPL-3.0-or-later
#include "model/services/userservice.h"

#include "model/events.h"
#include "model/services/namespaceservice.h"
#include "model/store/sql.h"
#include "model/store/tokenstore.h"

using namespace Qt::StringLiterals;

namespace Trove {

UserService::UserService(const Database &database, Events *events)
    : m_database(database)
    , m_store(database)
    , m_events(events)
{
}

bool UserService::isValidUsername(const QString &username)
{
    return username.size() <= 255 && NamespaceService::isValidPathSegment(username);
}

Result<User> UserService::createUser(const QString &username, bool admin)
{
    if (!isValidUsername(username)) {
        return Error::invalid(u"Invalid username %1: use letters, digits, '_', '-' and '.',"
                              " starting with a letter, digit or '_'"_s.arg(
                                  username.isEmpty() ? u"\"\""_s : username));
    }
    User user;
    user.username = username;
    user.admin = admin;
    user.createdAt = QDateTime::currentDateTimeUtc();
    Result<User> created = m_store.insertUser(user);
    if (created && m_events) {
        emit m_events->usersChanged();
    }
    return created;
}

Result<void>
UserService::addGroupMember(const QString &username, const QString &groupPath, AccessLevel level)
{
    const Result<Group> group = NamespaceStore(m_database).groupByPath(groupPath);
    if (!group) {
        return group.error();
    }
    return addMember(username, group->id, 0, level);
}

Result<void> UserService::addProjectMember(const QString &username,
                                           const QString &projectPath,
                                           AccessLevel level)
{
    const Result<Project> project = NamespaceStore(m_database).projectByPath(projectPath);
    if (!project) {
        return project.error();
    }
    return addMember(username, 0, project->id, level);
}

Result<void>
UserService::addMember(const QString &username, qint64 groupId, qint64 projectId, AccessLevel level)
{
    // Only GitLab's five membership roles; a number between them (or Admin) is no role.
    if (level < AccessLevel::Guest || level > AccessLevel::Owner
        || accessLevelName(level).isEmpty()) {
        return Error::invalid(
            u"Unknown role: use guest, reporter, developer, maintainer or owner"_s);
    }
    const Result<User> user = m_store.userByName(username);
    if (!user) {
        return user.error();
    }
    Membership membership;
    membership.userId = user->id;
    membership.groupId = groupId;
    membership.projectId = projectId;
    membership.accessLevel = level;
    Result<void> added = m_store.upsertMembership(membership);
    if (added && m_events) {
        emit m_events->usersChanged();
    }
    return added;
}

Result<void> UserService::removeMember(qint64 userId, qint64 groupId, qint64 projectId)
{
    if ((groupId == 0) == (projectId == 0)) {
        return Error::invalid(u"Name exactly one group or project"_s);
    }
    Result<void> removed = m_store.deleteMembership(userId, groupId, projectId);
    if (removed && m_events) {
        emit m_events->usersChanged();
    }
    return removed;
}

Result<int> UserService::deleteUser(qint64 userId)
{
    Sql::Transaction transaction(m_database);
    if (!transaction.isActive()) {
        return transaction.error();
    }
    TokenStore tokens(m_database);
    const Result<int> revoked = tokens.revokeTokensOfUser(userId, QDateTime::currentDateTimeUtc());
    if (!revoked) {
        return revoked.error();
    }
    if (const Result<void> deleted = m_store.deleteUser(userId); !deleted) {
        return deleted.error();
    }
    if (const Result<void> committed = transaction.commit(); !committed) {
        return committed.error();
    }
    if (m_events) {
        emit m_events->usersChanged();
        emit m_events->tokensChanged();
    }
    return *revoked;
}

} // namespace Trove
