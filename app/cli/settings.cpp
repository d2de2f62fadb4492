// SPDX-License-Identifier: GPL-3.0-or-later
// trove forwarding set, trove upstream set, trove protect add, trove settings show
#include "app/cli/command.h"
#include "app/cli/verbs.h"

using namespace Qt::StringLiterals;
using namespace Trove;

namespace Cli {

int forwardingSet(Command &command)
{
    command.addOption(u"group"_s, u"PATH"_s);
    command.addOption(u"lock"_s);
    if (!command.parse(1)) {
        return command.usageExit();
    }
    const QString state = command.positional(0);
    if (state != u"on"_s && state != u"off"_s) {
        return command.fail(u"Unknown state %1: use on or off"_s.arg(state));
    }
    const bool enabled = state == u"on"_s;
    const bool lock = command.isSet(u"lock"_s);
    Registry *registry = command.registry();
    if (!registry) {
        return Failure;
    }
    QString scope = u"instance"_s;
    if (command.isSet(u"group"_s)) {
        const Result<Group> group =
            registry->namespaces().store().groupByPath(command.value(u"group"_s));
        if (!group) {
            return command.fail(group.error());
        }
        if (const Result<void> set =
                registry->settings().setGroupForwarding(group->id, enabled, lock);
            !set) {
            return command.fail(set.error());
        }
        scope = group->fullPath;
    } else if (const Result<void> set = registry->settings().setInstanceForwarding(enabled, lock);
               !set) {
        return command.fail(set.error());
    }
    return command.print(state,
                         {{u"scope"_s, scope}, {u"forwarding"_s, enabled}, {u"lock"_s, lock}});
}

int upstreamSet(Command &command)
{
    if (!command.parse(1)) {
        return command.usageExit();
    }
    const Result<QUrl> url = SettingsService::parseUpstream(command.positional(0));
    if (!url) {
        return command.fail(url.error());
    }
    Registry *registry = command.registry();
    if (!registry) {
        return Failure;
    }
    if (const Result<void> set = registry->settings().setUpstream(command.positional(0)); !set) {
        return command.fail(set.error());
    }
    return command.print(url->toString(), {{u"upstream"_s, url->toString()}});
}

int protectAdd(Command &command)
{
    command.addOption(u"project"_s, u"PATH"_s);
    command.addOption(u"push"_s, u"ROLE"_s);
    if (!command.parse(1)) {
        return command.usageExit();
    }
    if (!command.isSet(u"project"_s) || !command.isSet(u"push"_s)) {
        command.usage(u"--project and --push are required"_s);
        return Usage;
    }
    const std::optional<AccessLevel> level = accessLevelFromName(command.value(u"push"_s));
    if (!level
        || (*level != AccessLevel::Maintainer && *level != AccessLevel::Owner
            && *level != AccessLevel::Admin)) {
        return command.fail(u"Unknown minimum role %1: use maintainer, owner or admin"_s.arg(
            command.value(u"push"_s)));
    }
    Registry *registry = command.registry();
    if (!registry) {
        return Failure;
    }
    const Result<Project> project =
        registry->namespaces().store().projectByPath(command.value(u"project"_s));
    if (!project) {
        return command.fail(project.error());
    }
    const Result<ProtectionRule> rule =
        registry->settings().addProtectionRule(project->id, command.positional(0), *level);
    if (!rule) {
        return command.fail(rule.error());
    }
    return command.print(QString::number(rule->id),
                         {{u"id"_s, rule->id},
                          {u"project"_s, project->fullPath},
                          {u"pattern"_s, rule->pattern},
                          {u"push"_s, accessLevelName(*level)}});
}

int settingsShow(Command &command)
{
    if (!command.parse(0)) {
        return command.usageExit();
    }
    Registry *registry = command.registry();
    if (!registry) {
        return Failure;
    }
    SettingsService &settings = registry->settings();
    const Result<bool> forwarding = settings.instanceForwarding();
    const Result<bool> locked = settings.instanceForwardingLocked();
    const Result<std::optional<QString>> upstream = settings.store().value(u"npm_upstream_url"_s);
    const Result<QList<Group>> groups = registry->namespaces().store().groups();
    if (!forwarding || !locked || !groups) {
        return command.fail(!forwarding   ? forwarding.error()
                                : !locked ? locked.error()
                                          : groups.error());
    }
    // The upstream in force: set here, or read from the user's npm configuration (which may
    // run npm; only when nothing is set).
    const Result<QUrl> effective = settings.upstream();
    const QString upstreamText = effective ? effective->toString() : QString();
    QJsonArray groupJson;
    QStringList groupText;
    for (const Group &group : *groups) {
        const Result<SettingsStore::GroupPackageSettings> own =
            settings.store().groupSettings(group.id);
        if (!own) {
            return command.fail(own.error());
        }
        if (!own->npmForwarding && !own->lockNpmForwarding) {
            continue;
        }
        groupJson.append(QJsonObject{
            {u"group"_s, group.fullPath},
            {u"forwarding"_s, own->npmForwarding ? QJsonValue(*own->npmForwarding) : QJsonValue()},
            {u"lock"_s, own->lockNpmForwarding}});
        groupText.append(u"%1 %2%3"_s.arg(group.fullPath,
                                          !own->npmForwarding       ? u"inherit"_s
                                              : *own->npmForwarding ? u"on"_s
                                                                    : u"off"_s,
                                          own->lockNpmForwarding ? u" (locked)"_s : QString()));
    }
    return command.printRecord(
        {{u"forwarding"_s, *forwarding ? u"on"_s : u"off"_s},
         {u"forwarding locked"_s, *locked ? u"yes"_s : u"no"_s},
         {u"upstream"_s, upstreamText},
         {u"group forwarding"_s, groupText.join(u", "_s)}},
        {{u"forwarding"_s, *forwarding},
         {u"forwarding_locked"_s, *locked},
         {u"upstream"_s, upstreamText.isEmpty() ? QJsonValue() : QJsonValue(upstreamText)},
         {u"upstream_set"_s, upstream && upstream->has_value()},
         {u"group_forwarding"_s, groupJson}});
}

} // namespace Cli
