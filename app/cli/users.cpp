// SPDX-License-Identifier: GPL-3.0-or-later
// trove user …, trove member …
#include "app/cli/command.h"
#include "app/cli/verbs.h"

using namespace Qt::StringLiterals;
using namespace Trove;

namespace Cli {

namespace {

// --group PATH or --project PATH, exactly one: false after the usage line otherwise.
bool oneTarget(Command &command)
{
    if (command.isSet(u"group"_s) == command.isSet(u"project"_s)) {
        command.usage(u"give exactly one of --group and --project"_s);
        return false;
    }
    return true;
}

} // namespace

int userCreate(Command &command)
{
    command.addOption(u"admin"_s);
    if (!command.parse(1)) {
        return command.usageExit();
    }
    Registry *registry = command.registry();
    if (!registry) {
        return Failure;
    }
    const Result<User> user =
        registry->users().createUser(command.positional(0), command.isSet(u"admin"_s));
    if (!user) {
        return command.fail(user.error());
    }
    return command.print(
        QString::number(user->id),
        {{u"id"_s, user->id}, {u"username"_s, user->username}, {u"admin"_s, user->admin}});
}

int userList(Command &command)
{
    if (!command.parse(0)) {
        return command.usageExit();
    }
    Registry *registry = command.registry();
    if (!registry) {
        return Failure;
    }
    const Result<QList<User>> users = registry->users().store().users();
    if (!users) {
        return command.fail(users.error());
    }
    QList<QStringList> rows;
    QJsonArray json;
    for (const User &user : *users) {
        rows.append({QString::number(user.id),
                     user.username,
                     user.admin ? u"yes"_s : u"no"_s,
                     timeText(user.createdAt)});
        json.append(QJsonObject{{u"id"_s, user.id},
                                {u"username"_s, user.username},
                                {u"admin"_s, user.admin},
                                {u"created_at"_s, timeJson(user.createdAt)}});
    }
    return command.printTable({u"ID"_s, u"USERNAME"_s, u"ADMIN"_s, u"CREATED"_s}, rows, json);
}

int userDelete(Command &command)
{
    if (!command.parse(1)) {
        return command.usageExit();
    }
    Registry *registry = command.registry();
    if (!registry) {
        return Failure;
    }
    const std::optional<User> user = command.user(command.positional(0));
    if (!user) {
        return Failure;
    }
    const Result<int> revoked = registry->users().deleteUser(user->id);
    if (!revoked) {
        return command.fail(revoked.error());
    }
    return command.print(
        u"Deleted user %1; %2 token(s) revoked"_s.arg(user->username).arg(*revoked),
        {{u"deleted"_s, user->username}, {u"id"_s, user->id}, {u"tokens_revoked"_s, *revoked}});
}

int memberAdd(Command &command)
{
    command.addOption(u"group"_s, u"PATH"_s);
    command.addOption(u"project"_s, u"PATH"_s);
    if (!command.parse(2)) {
        return command.usageExit();
    }
    if (!oneTarget(command)) {
        return Usage;
    }
    const std::optional<AccessLevel> level = accessLevelFromName(command.positional(1));
    if (!level || *level == AccessLevel::Admin) {
        return command.fail(
            u"Unknown role %1: use guest, reporter, developer, maintainer or owner"_s.arg(
                command.positional(1)));
    }
    Registry *registry = command.registry();
    if (!registry) {
        return Failure;
    }
    const QString username = command.positional(0);
    const bool group = command.isSet(u"group"_s);
    const QString path = command.value(group ? u"group"_s : u"project"_s);
    const Result<void> added = group ? registry->users().addGroupMember(username, path, *level)
                                     : registry->users().addProjectMember(username, path, *level);
    if (!added) {
        return command.fail(added.error());
    }
    return command.print(QString::number(int(*level)),
                         {{u"username"_s, username},
                          {group ? u"group"_s : u"project"_s, path},
                          {u"role"_s, accessLevelName(*level)},
                          {u"access_level"_s, int(*level)}});
}

int memberList(Command &command)
{
    command.addOption(u"group"_s, u"PATH"_s);
    command.addOption(u"project"_s, u"PATH"_s);
    if (!command.parse(0)) {
        return command.usageExit();
    }
    if (!oneTarget(command)) {
        return Usage;
    }
    Registry *registry = command.registry();
    if (!registry) {
        return Failure;
    }
    Result<QList<Membership>> memberships = QList<Membership>();
    if (command.isSet(u"group"_s)) {
        const std::optional<Group> group = command.group(command.value(u"group"_s));
        if (!group) {
            return Failure;
        }
        memberships = registry->users().store().membershipsOfGroup(group->id);
    } else {
        const std::optional<Project> project = command.project(command.value(u"project"_s));
        if (!project) {
            return Failure;
        }
        memberships = registry->users().store().membershipsOfProject(project->id);
    }
    if (!memberships) {
        return command.fail(memberships.error());
    }
    QList<QStringList> rows;
    QJsonArray json;
    for (const Membership &membership : *memberships) {
        const Result<User> user = registry->users().store().userById(membership.userId);
        if (!user) {
            return command.fail(user.error());
        }
        rows.append({user->username,
                     accessLevelName(membership.accessLevel),
                     QString::number(int(membership.accessLevel))});
        json.append(QJsonObject{{u"username"_s, user->username},
                                {u"user_id"_s, user->id},
                                {u"role"_s, accessLevelName(membership.accessLevel)},
                                {u"access_level"_s, int(membership.accessLevel)}});
    }
    return command.printTable({u"USERNAME"_s, u"ROLE"_s, u"ACCESS_LEVEL"_s}, rows, json);
}

int memberRemove(Command &command)
{
    command.addOption(u"group"_s, u"PATH"_s);
    command.addOption(u"project"_s, u"PATH"_s);
    if (!command.parse(1)) {
        return command.usageExit();
    }
    if (!oneTarget(command)) {
        return Usage;
    }
    Registry *registry = command.registry();
    if (!registry) {
        return Failure;
    }
    const std::optional<User> user = command.user(command.positional(0));
    if (!user) {
        return Failure;
    }
    const bool isGroup = command.isSet(u"group"_s);
    const QString path = command.value(isGroup ? u"group"_s : u"project"_s);
    qint64 groupId = 0;
    qint64 projectId = 0;
    if (isGroup) {
        const std::optional<Group> group = command.group(path);
        if (!group) {
            return Failure;
        }
        groupId = group->id;
    } else {
        const std::optional<Project> project = command.project(path);
        if (!project) {
            return Failure;
        }
        projectId = project->id;
    }
    const Result<void> removed = registry->users().removeMember(user->id, groupId, projectId);
    if (!removed) {
        return command.fail(removed.error().code == Error::Code::NotFound ? Error::notFound(
                                u"%1 is no direct member of %2"_s.arg(user->username, path))
                                                                          : removed.error());
    }
    return command.print(u"Removed %1 from %2"_s.arg(user->username, path),
                         {{u"username"_s, user->username},
                          {isGroup ? u"group"_s : u"project"_s, path},
                          {u"removed"_s, true}});
}

} // namespace Cli
