// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "model/domain.h"
#include "model/result.h"

namespace Trove {

class Database;

// Users and their memberships of groups and projects.
class UserStore final
{
public:
    explicit UserStore(const Database &database);

    Result<User> insertUser(const User &user);
    Result<User> userById(qint64 id) const;
    Result<User> userByName(const QString &username) const;
    Result<QList<User>> users() const;
    // Memberships, tokens and job tokens go with the row (ON DELETE CASCADE); packages keep
    // their publisher's name. NotFound when there is no such user.
    Result<void> deleteUser(qint64 id);

    // Adds or changes the user's role in one group or project.
    Result<void> upsertMembership(const Membership &membership);
    // NotFound when the user has no membership there.
    Result<void> deleteMembership(qint64 userId, qint64 groupId, qint64 projectId);
    Result<QList<Membership>> memberships(qint64 userId) const;
    Result<QList<Membership>> membershipsOfProject(qint64 projectId) const;
    Result<QList<Membership>> membershipsOfGroup(qint64 groupId) const;

    // The highest role the user holds in the project, directly or through the project's group and
    // every group above it (GitLab's inherited membership). AccessLevel::None if none.
    Result<AccessLevel> projectAccessLevel(qint64 userId, qint64 projectId) const;
    // The same for a group: its own membership and those of the groups above it.
    Result<AccessLevel> groupAccessLevel(qint64 userId, qint64 groupId) const;

private:
    const Database &m_database;
};

} // namespace Trove
