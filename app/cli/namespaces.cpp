// SPDX-License-Identifier: GPL-3.0-or-later
// trove group …, trove project …
#include "app/cli/command.h"
#include "app/cli/verbs.h"

#include <QHash>

using namespace Qt::StringLiterals;
using namespace Trove;

namespace Cli {

namespace {

std::optional<Visibility> visibilityOption(Command &command)
{
    if (!command.isSet(u"visibility"_s)) {
        return Visibility::Private;
    }
    return visibilityFromName(command.value(u"visibility"_s));
}

QJsonObject groupJson(const Group &group)
{
    return {{u"id"_s, group.id},
            {u"full_path"_s, group.fullPath},
            {u"name"_s, group.name},
            {u"visibility"_s, visibilityName(group.visibility)},
            {u"parent_id"_s, group.parentId ? QJsonValue(group.parentId) : QJsonValue()},
            {u"created_at"_s, timeJson(group.createdAt)}};
}

QJsonObject projectJson(const Project &project)
{
    return {{u"id"_s, project.id},
            {u"full_path"_s, project.fullPath},
            {u"name"_s, project.name},
            {u"visibility"_s, visibilityName(project.visibility)},
            {u"namespace_id"_s, project.namespaceId},
            {u"packages_enabled"_s, project.packagesEnabled},
            {u"created_at"_s, timeJson(project.createdAt)}};
}

// Package names and versions per project id.
struct Counts
{
    int packages = 0;
    int versions = 0;
};

Result<QHash<qint64, Counts>> packageCounts(Registry &registry)
{
    const Result<QList<PackageSummary>> summaries = registry.packages().store().packageSummaries();
    if (!summaries) {
        return summaries.error();
    }
    QHash<qint64, Counts> counts;
    for (const PackageSummary &summary : *summaries) {
        Counts &count = counts[summary.projectId];
        ++count.packages;
        count.versions += summary.versionCount;
    }
    return counts;
}

// The direct members of a group or project, as JSON and as "name (role)" text.
Result<QJsonArray>
membersJson(Registry &registry, const QList<Membership> &memberships, QStringList *text)
{
    QJsonArray members;
    for (const Membership &membership : memberships) {
        const Result<User> user = registry.users().store().userById(membership.userId);
        if (!user) {
            return user.error();
        }
        members.append(QJsonObject{{u"username"_s, user->username},
                                   {u"role"_s, accessLevelName(membership.accessLevel)},
                                   {u"access_level"_s, int(membership.accessLevel)}});
        text->append(u"%1 (%2)"_s.arg(user->username, accessLevelName(membership.accessLevel)));
    }
    return members;
}

QString deletedText(const NamespaceService::Deleted &deleted)
{
    return u"%1 group(s), %2 project(s), %3 package version(s), %4 tarball(s)"_s.arg(deleted.groups)
        .arg(deleted.projects)
        .arg(deleted.versions)
        .arg(deleted.blobs);
}

QJsonObject deletedJson(const NamespaceService::Deleted &deleted)
{
    return {{u"groups"_s, deleted.groups},
            {u"projects"_s, deleted.projects},
            {u"versions"_s, deleted.versions},
            {u"blobs"_s, deleted.blobs}};
}

} // namespace

int groupCreate(Command &command)
{
    command.addOption(u"visibility"_s, u"LEVEL"_s);
    command.addOption(u"name"_s, u"NAME"_s);
    if (!command.parse(1)) {
        return command.usageExit();
    }
    const std::optional<Visibility> visibility = visibilityOption(command);
    if (!visibility) {
        return command.fail(u"Unknown visibility %1: use public, internal or private"_s.arg(
            command.value(u"visibility"_s)));
    }
    Registry *registry = command.registry();
    if (!registry) {
        return Failure;
    }
    const Result<Group> group = registry->namespaces().createGroup(
        command.positional(0), *visibility, command.value(u"name"_s));
    if (!group) {
        return command.fail(group.error());
    }
    return command.print(QString::number(group->id),
                         {{u"id"_s, group->id},
                          {u"full_path"_s, group->fullPath},
                          {u"name"_s, group->name},
                          {u"visibility"_s, visibilityName(group->visibility)}});
}

int groupList(Command &command)
{
    if (!command.parse(0)) {
        return command.usageExit();
    }
    Registry *registry = command.registry();
    if (!registry) {
        return Failure;
    }
    const Result<QList<Group>> groups = registry->namespaces().store().groups();
    if (!groups) {
        return command.fail(groups.error());
    }
    QList<QStringList> rows;
    QJsonArray json;
    for (const Group &group : *groups) {
        rows.append({QString::number(group.id),
                     group.fullPath,
                     group.name,
                     visibilityName(group.visibility),
                     timeText(group.createdAt)});
        json.append(groupJson(group));
    }
    return command.printTable(
        {u"ID"_s, u"PATH"_s, u"NAME"_s, u"VISIBILITY"_s, u"CREATED"_s}, rows, json);
}

int groupShow(Command &command)
{
    if (!command.parse(1)) {
        return command.usageExit();
    }
    Registry *registry = command.registry();
    if (!registry) {
        return Failure;
    }
    const std::optional<Group> group = command.group(command.positional(0));
    if (!group) {
        return Failure;
    }
    const Result<QList<Group>> groups = registry->namespaces().store().groups();
    const Result<QList<Project>> projects = registry->namespaces().store().projects();
    const Result<QList<Membership>> memberships =
        registry->users().store().membershipsOfGroup(group->id);
    if (!groups || !projects || !memberships) {
        return command.fail(!groups         ? groups.error()
                                : !projects ? projects.error()
                                            : memberships.error());
    }
    QStringList subgroups;
    for (const Group &other : *groups) {
        if (other.parentId == group->id) {
            subgroups.append(other.fullPath);
        }
    }
    QStringList projectPaths;
    for (const Project &project : *projects) {
        if (project.namespaceId == group->id) {
            projectPaths.append(project.fullPath);
        }
    }
    QStringList memberText;
    const Result<QJsonArray> members = membersJson(*registry, *memberships, &memberText);
    if (!members) {
        return command.fail(members.error());
    }
    QJsonObject json = groupJson(*group);
    json.insert(u"subgroups"_s, QJsonArray::fromStringList(subgroups));
    json.insert(u"projects"_s, QJsonArray::fromStringList(projectPaths));
    json.insert(u"members"_s, *members);
    return command.printRecord({{u"id"_s, QString::number(group->id)},
                                {u"path"_s, group->fullPath},
                                {u"name"_s, group->name},
                                {u"visibility"_s, visibilityName(group->visibility)},
                                {u"created"_s, timeText(group->createdAt)},
                                {u"subgroups"_s, subgroups.join(u", "_s)},
                                {u"projects"_s, projectPaths.join(u", "_s)},
                                {u"members"_s, memberText.join(u", "_s)}},
                               json);
}

int groupDelete(Command &command)
{
    command.addOption(u"recursive"_s);
    command.addOption(u"confirm"_s, u"PATH"_s);
    if (!command.parse(1)) {
        return command.usageExit();
    }
    const QString path = command.positional(0);
    const bool recursive = command.isSet(u"recursive"_s);
    // GitLab has the path typed again before it deletes a group with what is inside it.
    if (recursive && command.value(u"confirm"_s) != path) {
        command.usage(u"--recursive deletes every subgroup, project and package in %1: confirm"
                      " with --confirm %1"_s.arg(path));
        return Usage;
    }
    if (!recursive && command.isSet(u"confirm"_s)) {
        command.usage(u"--confirm goes with --recursive"_s);
        return Usage;
    }
    Registry *registry = command.registry();
    if (!registry) {
        return Failure;
    }
    const std::optional<Group> group = command.group(path);
    if (!group) {
        return Failure;
    }
    const Result<NamespaceService::Deleted> deleted =
        registry->namespaces().deleteGroup(group->id, recursive, registry->blobs());
    if (!deleted) {
        if (deleted.error().code == Error::Code::Conflict) {
            return command.fail(
                deleted.error().message
                + u"; delete them first, or give --recursive --confirm %1"_s.arg(group->fullPath));
        }
        return command.fail(deleted.error());
    }
    QJsonObject json = deletedJson(*deleted);
    json.insert(u"deleted"_s, group->fullPath);
    return command.print(u"Deleted group %1: %2"_s.arg(group->fullPath, deletedText(*deleted)),
                         json);
}

int projectCreate(Command &command)
{
    command.addOption(u"visibility"_s, u"LEVEL"_s);
    command.addOption(u"name"_s, u"NAME"_s);
    if (!command.parse(1)) {
        return command.usageExit();
    }
    const std::optional<Visibility> visibility = visibilityOption(command);
    if (!visibility) {
        return command.fail(u"Unknown visibility %1: use public, internal or private"_s.arg(
            command.value(u"visibility"_s)));
    }
    Registry *registry = command.registry();
    if (!registry) {
        return Failure;
    }
    const Result<Project> project = registry->namespaces().createProject(
        command.positional(0), *visibility, command.value(u"name"_s));
    if (!project) {
        return command.fail(project.error());
    }
    return command.print(QString::number(project->id),
                         {{u"id"_s, project->id},
                          {u"full_path"_s, project->fullPath},
                          {u"name"_s, project->name},
                          {u"visibility"_s, visibilityName(project->visibility)}});
}

int projectList(Command &command)
{
    command.addOption(u"group"_s, u"PATH"_s);
    if (!command.parse(0)) {
        return command.usageExit();
    }
    Registry *registry = command.registry();
    if (!registry) {
        return Failure;
    }
    Result<QList<Project>> projects = QList<Project>();
    if (command.isSet(u"group"_s)) {
        const std::optional<Group> group = command.group(command.value(u"group"_s));
        if (!group) {
            return Failure;
        }
        projects = registry->namespaces().store().projectsUnder(group->id);
    } else {
        projects = registry->namespaces().store().projects();
    }
    const Result<QHash<qint64, Counts>> counts = packageCounts(*registry);
    if (!projects || !counts) {
        return command.fail(!projects ? projects.error() : counts.error());
    }
    std::sort(projects->begin(), projects->end(), [](const Project &a, const Project &b) {
        return a.fullPath < b.fullPath;
    });
    QList<QStringList> rows;
    QJsonArray json;
    for (const Project &project : *projects) {
        const Counts count = counts->value(project.id);
        rows.append({QString::number(project.id),
                     project.fullPath,
                     project.name,
                     visibilityName(project.visibility),
                     QString::number(count.packages),
                     QString::number(count.versions)});
        QJsonObject object = projectJson(project);
        object.insert(u"packages"_s, count.packages);
        object.insert(u"versions"_s, count.versions);
        json.append(object);
    }
    return command.printTable(
        {u"ID"_s, u"PATH"_s, u"NAME"_s, u"VISIBILITY"_s, u"PACKAGES"_s, u"VERSIONS"_s}, rows, json);
}

int projectShow(Command &command)
{
    if (!command.parse(1)) {
        return command.usageExit();
    }
    Registry *registry = command.registry();
    if (!registry) {
        return Failure;
    }
    const std::optional<Project> project = command.project(command.positional(0));
    if (!project) {
        return Failure;
    }
    const Result<QList<PackageSummary>> summaries = registry->packages().store().packageSummaries();
    const Result<QList<Membership>> memberships =
        registry->users().store().membershipsOfProject(project->id);
    if (!summaries || !memberships) {
        return command.fail(!summaries ? summaries.error() : memberships.error());
    }
    QStringList packages;
    int versions = 0;
    for (const PackageSummary &summary : *summaries) {
        if (summary.projectId == project->id) {
            packages.append(summary.name);
            versions += summary.versionCount;
        }
    }
    QStringList memberText;
    const Result<QJsonArray> members = membersJson(*registry, *memberships, &memberText);
    if (!members) {
        return command.fail(members.error());
    }
    QJsonObject json = projectJson(*project);
    json.insert(u"packages"_s, packages.size());
    json.insert(u"versions"_s, versions);
    json.insert(u"package_names"_s, QJsonArray::fromStringList(packages));
    json.insert(u"members"_s, *members);
    return command.printRecord(
        {{u"id"_s, QString::number(project->id)},
         {u"path"_s, project->fullPath},
         {u"name"_s, project->name},
         {u"visibility"_s, visibilityName(project->visibility)},
         {u"created"_s, timeText(project->createdAt)},
         {u"package registry"_s, project->packagesEnabled ? u"on"_s : u"off"_s},
         {u"packages"_s, packages.join(u", "_s)},
         {u"versions"_s, QString::number(versions)},
         {u"members"_s, memberText.join(u", "_s)}},
        json);
}

int projectDelete(Command &command)
{
    command.addOption(u"confirm"_s, u"PATH"_s);
    if (!command.parse(1)) {
        return command.usageExit();
    }
    const QString path = command.positional(0);
    if (command.isSet(u"confirm"_s) && command.value(u"confirm"_s) != path) {
        command.usage(
            u"--confirm %1 does not name the project %2"_s.arg(command.value(u"confirm"_s), path));
        return Usage;
    }
    Registry *registry = command.registry();
    if (!registry) {
        return Failure;
    }
    const std::optional<Project> project = command.project(path);
    if (!project) {
        return Failure;
    }
    // Its packages go with it: a project that holds any is deleted only when its path is typed
    // again, as GitLab asks.
    const Result<qint64> versions = registry->packages().store().packageCountInProject(project->id);
    if (!versions) {
        return command.fail(versions.error());
    }
    if (*versions > 0 && !command.isSet(u"confirm"_s)) {
        return command.fail(Error::conflict(
            u"Project %1 holds %2 package version(s), which would be deleted with it: confirm"
            " with --confirm %1"_s.arg(project->fullPath)
                .arg(*versions)));
    }
    const Result<NamespaceService::Deleted> deleted =
        registry->namespaces().deleteProject(project->id, registry->blobs());
    if (!deleted) {
        return command.fail(deleted.error());
    }
    QJsonObject json = deletedJson(*deleted);
    json.insert(u"deleted"_s, project->fullPath);
    return command.print(u"Deleted project %1: %2"_s.arg(project->fullPath, deletedText(*deleted)),
                         json);
}

int projectSet(Command &command)
{
    command.addOption(u"packages"_s, u"on|off"_s);
    if (!command.parse(1)) {
        return command.usageExit();
    }
    if (!command.isSet(u"packages"_s)) {
        command.usage(u"give a setting: --packages on|off"_s);
        return Usage;
    }
    const QString state = command.value(u"packages"_s);
    if (state != u"on"_s && state != u"off"_s) {
        return command.fail(u"Unknown state %1: use on or off"_s.arg(state));
    }
    Registry *registry = command.registry();
    if (!registry) {
        return Failure;
    }
    const std::optional<Project> project = command.project(command.positional(0));
    if (!project) {
        return Failure;
    }
    const bool enabled = state == u"on"_s;
    if (const Result<void> set = registry->namespaces().setPackagesEnabled(project->id, enabled);
        !set) {
        return command.fail(set.error());
    }
    return command.print(u"Package registry of %1: %2"_s.arg(project->fullPath, state),
                         {{u"project"_s, project->fullPath}, {u"packages_enabled"_s, enabled}});
}

} // namespace Cli
