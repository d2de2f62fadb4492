// SPDX-License-Identifier: GPL-3.0-or-later
// trove forwarding set, trove upstream set, trove protect add, trove settings show, trove cache
// clear
#include "app/cli/command.h"
#include "app/cli/verbs.h"

#include "model/store/proxystore.h"
#include "server/proxy/proxycache.h"

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
    const std::optional<SettingsService::ForwardingMode> mode =
        SettingsService::forwardingModeFromName(state);
    if (!mode || state == u"redirect"_s) {
        return command.fail(u"Unknown state %1: use on, off or proxy"_s.arg(state));
    }
    const bool enabled = *mode != SettingsService::ForwardingMode::Off;
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
                registry->settings().setGroupForwardingMode(group->id, *mode, lock);
            !set) {
            return command.fail(set.error());
        }
        scope = group->fullPath;
    } else if (const Result<void> set = registry->settings().setInstanceForwardingMode(*mode, lock);
               !set) {
        return command.fail(set.error());
    }
    return command.print(state,
                         {{u"scope"_s, scope},
                          {u"forwarding"_s, enabled},
                          {u"mode"_s, SettingsService::forwardingModeName(*mode)},
                          {u"lock"_s, lock}});
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
    const Result<SettingsService::ForwardingMode> mode = settings.instanceForwardingMode();
    const Result<bool> forwarding = settings.instanceForwarding();
    const Result<bool> locked = settings.instanceForwardingLocked();
    const Result<std::optional<QString>> upstream = settings.store().value(u"npm_upstream_url"_s);
    const Result<QList<Group>> groups = registry->namespaces().store().groups();
    const ProxyStore proxyStore(registry->database());
    const Result<ProxyStore::Totals> totals = proxyStore.totals();
    const Result<QPair<qint64, qint64>> counts = proxyStore.counts();
    const Result<int> maxAge = settings.proxyMaxAgeSeconds();
    const Result<qint64> cap = settings.proxyCacheMaxBytes();
    if (!mode || !forwarding || !locked || !groups || !totals || !counts || !maxAge || !cap) {
        return command.fail(!mode             ? mode.error()
                                : !forwarding ? forwarding.error()
                                : !locked     ? locked.error()
                                : !groups     ? groups.error()
                                : !totals     ? totals.error()
                                : !counts     ? counts.error()
                                : !maxAge     ? maxAge.error()
                                              : cap.error());
    }
    const qint64 answered = counts->first + counts->second;
    const QString ratio = answered == 0
        ? u"no proxied answers yet"_s
        // The saved counts: a command line has no server answers of its own to count (the window
        // shows the running server's since it started beside these).
        : u"%1 % (%2 of %3 answers from the cache since it was last cleared, saved every 30 s)"_s
              .arg(QString::number(100.0 * double(counts->first) / double(answered), 'f', 1),
                   QString::number(counts->first),
                   QString::number(answered));
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
        const bool proxied = own->npmForwarding && *own->npmForwarding && own->npmProxy;
        groupJson.append(QJsonObject{
            {u"group"_s, group.fullPath},
            {u"forwarding"_s, own->npmForwarding ? QJsonValue(*own->npmForwarding) : QJsonValue()},
            {u"mode"_s,
             !own->npmForwarding       ? QJsonValue()
                 : proxied             ? QJsonValue(u"proxy"_s)
                 : *own->npmForwarding ? QJsonValue(u"on"_s)
                                       : QJsonValue(u"off"_s)},
            {u"lock"_s, own->lockNpmForwarding}});
        groupText.append(u"%1 %2%3"_s.arg(group.fullPath,
                                          !own->npmForwarding       ? u"inherit"_s
                                              : proxied             ? u"proxy"_s
                                              : *own->npmForwarding ? u"on"_s
                                                                    : u"off"_s,
                                          own->lockNpmForwarding ? u" (locked)"_s : QString()));
    }
    return command.printRecord(
        {{u"forwarding"_s, SettingsService::forwardingModeName(*mode)},
         {u"forwarding locked"_s, *locked ? u"yes"_s : u"no"_s},
         {u"upstream"_s, upstreamText},
         {u"group forwarding"_s, groupText.join(u", "_s)},
         {u"proxy cache"_s,
          u"%1 documents, %2 tarballs, %3 bytes of tarballs (cap %4 bytes)"_s.arg(
              QString::number(totals->documents),
              QString::number(totals->tarballs),
              QString::number(totals->tarballBytes),
              QString::number(*cap))},
         {u"proxy hit ratio"_s, ratio},
         {u"proxy max-age"_s, u"%1 s"_s.arg(*maxAge)}},
        {{u"forwarding"_s, *forwarding},
         {u"forwarding_mode"_s, SettingsService::forwardingModeName(*mode)},
         {u"forwarding_locked"_s, *locked},
         {u"proxy_cache"_s,
          QJsonObject{
              {u"documents"_s, totals->documents},
              {u"tarballs"_s, totals->tarballs},
              {u"tarball_bytes"_s, totals->tarballBytes},
              {u"document_bytes"_s, totals->documentBytes},
              {u"max_bytes"_s, *cap},
              {u"hits"_s, counts->first},
              {u"misses"_s, counts->second},
              {u"hit_ratio"_s,
               answered == 0 ? QJsonValue() : QJsonValue(double(counts->first) / double(answered))},
              {u"max_age_seconds"_s, *maxAge}}},
         {u"upstream"_s, upstreamText.isEmpty() ? QJsonValue() : QJsonValue(upstreamText)},
         {u"upstream_set"_s, upstream && upstream->has_value()},
         {u"group_forwarding"_s, groupJson}});
}

int cacheClear(Command &command)
{
    if (!command.parse(0, 1)) {
        return command.usageExit();
    }
    const QString name = command.positionalCount() > 0 ? command.positional(0) : QString();
    Registry *registry = command.registry();
    if (!registry) {
        return Failure;
    }
    Http::ProxyCache cache(*registry, {});
    const Result<int> removed = cache.clear(name);
    if (!removed) {
        return command.fail(removed.error());
    }
    return command.print(
        u"%1 tarball(s) removed from the proxy cache%2"_s.arg(
            QString::number(*removed), name.isEmpty() ? QString() : u" for "_s + name),
        {{u"name"_s, name.isEmpty() ? QJsonValue() : QJsonValue(name)},
         {u"tarballs_removed"_s, *removed}});
}

} // namespace Cli
