// SPDX-License-Identifier: GPL-3.0-or-later
// trove mirror LOCKFILE… [--project PATH | --group PATH]: fills the proxy's cache with every
// registry package a lockfile pins, so that the project installs with the upstream gone
// (docs/proxy.md, "Mirroring a lockfile"). The work is LockfileMirror's, which the window's
// lockfile drop runs too.

#include "app/cli/command.h"
#include "app/cli/verbs.h"

#include "model/lockfile/lockfilemirror.h"
#include "model/registry.h"
#include "server/proxy/proxycache.h"

#include <QTextStream>

#include <limits>

using namespace Qt::StringLiterals;

namespace Cli {

int mirror(Command &command)
{
    command.addOption(u"project"_s, u"PATH"_s);
    command.addOption(u"group"_s, u"PATH"_s);
    if (!command.parse(0, std::numeric_limits<int>::max())) {
        return command.usageExit();
    }
    if (command.positionalCount() == 0) {
        command.usage(u"name at least one lockfile"_s);
        return command.usageExit();
    }
    if (command.isSet(u"project"_s) && command.isSet(u"group"_s)) {
        command.usage(u"give --project or --group, not both"_s);
        return command.usageExit();
    }

    // Every lockfile is read before anything is fetched: a bad one stops the run at once.
    QStringList paths;
    for (qsizetype i = 0; i < command.positionalCount(); ++i) {
        paths << command.positional(i);
    }
    const Trove::Result<Trove::LockfileMirror::Plan> plan = Trove::LockfileMirror::read(paths);
    if (!plan) {
        return command.fail(plan.error());
    }

    Trove::Registry *registry = command.registry();
    if (!registry) {
        return Failure;
    }
    Trove::LockfileMirror::Level level;
    if (command.isSet(u"project"_s)) {
        const std::optional<Trove::Project> project = command.project(command.value(u"project"_s));
        if (!project) {
            return Failure;
        }
        level.projectId = project->id;
        level.path = command.value(u"project"_s);
    } else if (command.isSet(u"group"_s)) {
        const std::optional<Trove::Group> group = command.group(command.value(u"group"_s));
        if (!group) {
            return Failure;
        }
        level.groupId = group->id;
        level.path = command.value(u"group"_s);
    }
    if (const Trove::Result<void> proxying =
            Trove::LockfileMirror::checkForwarding(*registry, level);
        !proxying) {
        return command.fail(proxying.error());
    }

    QTextStream progress(stderr);
    const std::unique_ptr<Trove::MirrorFetcher> fetcher = Trove::Http::makeMirrorFetcher(*registry);
    const Trove::Result<Trove::LockfileMirror::Report> report = Trove::LockfileMirror::run(
        *registry,
        *plan,
        *fetcher,
        [&progress](qsizetype done, qsizetype total, const Trove::LockfileMirror::NameDone &name) {
            QString line = u"[%1/%2] %3"_s.arg(done).arg(total).arg(name.name);
            if (!name.mirrored.isEmpty()) {
                line += u" "_s + name.mirrored.join(u", "_s);
            }
            if (name.failed > 0) {
                line += u" (%1 failed)"_s.arg(name.failed);
            }
            progress << line << '\n';
            progress.flush();
        });
    if (!report) {
        return command.fail(report.error());
    }
    command.print(report->plainText(), report->json());
    return report->failed.isEmpty() ? Success : Failure;
}

} // namespace Cli
