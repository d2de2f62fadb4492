// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "model/domain.h"
#include "model/result.h"
#include "model/store/userstore.h"

namespace Trove {

class Database;
class Events;

// Users and their roles in groups and projects.
class UserService final
{
public:
    UserService(const Database &database, Events *events = nullptr);

    // GitLab usernames: letters, digits, '_', '-' and '.', starting with a letter, digit or '_'.
    Result<User> createUser(const QString &username, bool admin = false);
    // Gives the user a role in a group (inherited by its subgroups and projects) or a project.
    Result<void>
    addGroupMember(const QString &username, const QString &groupPath, AccessLevel level);
    Result<void>
    addProjectMember(const QString &username, const QString &projectPath, AccessLevel level);

    // Takes the user's role in the group or project away (inherited roles stay).
    Result<void> removeMember(qint64 userId, qint64 groupId, qint64 projectId);

    // Deletes the user, in one transaction: their personal access tokens are revoked and their
    // running jobs finished first, then the user, their memberships and tokens go. Versions they
    // published stay, with their name. Returns how many tokens were usable until now.
    Result<int> deleteUser(qint64 userId);

    static bool isValidUsername(const QString &username);

    UserStore &store() { return m_store; }

private:
    Result<void>
    addMember(const QString &username, qint64 groupId, qint64 projectId, AccessLevel level);

    const Database &m_database;
    UserStore m_store;
    Events *m_events;
};

} // namespace Trove
