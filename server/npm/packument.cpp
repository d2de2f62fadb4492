// SPDX-License-Identifier: GPL-3.0-or-later
// A package document (packument) at project, group or instance level (docs/npm-api.md).
#include "model/registry.h"
#include "server/httperror.h"
#include "server/npm/common.h"
#include "server/npmhandler.h"
#include "server/packumentjson.h"

#include <QStringBuilder>

using namespace Qt::StringLiterals;

namespace Trove::Http {

Response NpmHandler::packument(const NpmRoute &route,
                               const RequestContext &context,
                               const Actor &actor) const
{
    // Taken before reading the store: a write from here on ends this generation.
    const quint64 generation = m_cache->generation();
    if (route.level == NpmRoute::Level::Group) {
        // The group's own access check comes first, before any forwarding (docs/npm-api.md §8.1).
        const Result<Group> group = m_registry.namespaces().findGroup(route.target);
        if (!group) {
            return group.error().code == Error::Code::NotFound
                ? withReason(notFoundResponse(u"Group"_s), u"no group has this id or path"_s)
                : errorResponse(group.error());
        }
        if (group->visibility != Visibility::Public && actor.isAnonymous()) {
            return withReason(unauthorizedResponse(),
                              u"no token was sent, and group %1 is %2"_s.arg(
                                  group->fullPath, visibilityName(group->visibility)));
        }
    }
    const Result<QList<Project>> projects = projectsFor(route);
    if (!projects) {
        return errorResponse(projects.error());
    }
    QList<Package> found;
    for (const Project &project : *projects) {
        const Result<QList<Package>> packages =
            m_registry.packages().store().packagesInProject(project.id, route.packageName);
        if (!packages) {
            return errorResponse(packages.error());
        }
        found += *packages;
    }
    // Forwarding is decided before permissions, without looking at the caller (docs/npm-api.md §8.1).
    if (found.isEmpty()) {
        const Result<SettingsService::ForwardingMode> mode = forwardingMode(route);
        if (!mode) {
            return errorResponse(mode.error());
        }
        // Proxied at instance and group level only (docs/proxy.md §1); a local name goes on as
        // with forwarding off.
        if (*mode == SettingsService::ForwardingMode::Proxy
            && route.level != NpmRoute::Level::Project) {
            if (std::optional<Response> proxied = proxyPackument(route, context)) {
                return std::move(*proxied);
            }
        } else if (*mode != SettingsService::ForwardingMode::Off) {
            return redirect(route.packageName);
        }
    }

    QList<qint64> readable;
    bool anyRefused = false;
    Decision lastRefusal = Decision::NotFound;
    QString lastReason;
    for (const Project &project : *projects) {
        const Result<AccessPolicy::Verdict> verdict =
            m_registry.policy().checkWithReason(actor, project, Operation::ReadPackage);
        if (!verdict) {
            return errorResponse(verdict.error());
        }
        const Decision decision = verdict->decision;
        if (decision == Decision::Allow) {
            readable.append(project.id);
        } else if (route.level == NpmRoute::Level::Project) {
            return refusalResponse(*verdict);
        } else {
            bool holdsName = false;
            for (const Package &package : found) {
                holdsName |= package.projectId == project.id;
            }
            if (holdsName) {
                anyRefused = true;
                lastRefusal = decision;
                lastReason = verdict->reason;
            }
        }
    }
    const bool abbreviated = wantsAbbreviated(context);
    // One document per level, name, form, base URL and set of projects the caller may read.
    QStringList readableKey;
    for (const qint64 id : std::as_const(readable)) {
        readableKey.append(QString::number(id));
    }
    const QString key = QString::number(int(route.level)) % u'|' % route.target % u'|'
        % route.packageName % u'|' % (abbreviated ? u"a"_s : u"f"_s) % u'|'
        % m_pipeline->baseUrl(context) % u'|' % readableKey.join(u',');
    std::optional<MetadataCache::Entry> entry = m_cache->find(key, generation);
    if (!entry) {
        PackumentInput input;
        input.name = route.packageName;
        input.baseUrl = m_pipeline->baseUrl(context);
        // The most recently published package wins for each version.
        QMap<QString, Package> winners;
        for (const Package &package : std::as_const(found)) {
            if (!readable.contains(package.projectId)) {
                continue;
            }
            const auto it = winners.constFind(package.version);
            if (it == winners.cend() || it->createdAt <= package.createdAt) {
                winners.insert(package.version, package);
            }
        }
        if (winners.isEmpty()) {
            if (anyRefused) {
                return withReason(actor.isAnonymous()
                                      ? unauthorizedResponse()
                                      : refusalResponse(lastRefusal == Decision::NotFound
                                                            ? Decision::Forbidden
                                                            : lastRefusal),
                                  lastReason);
            }
            return withReason(notFoundResponse(u"Packages"_s), missReason(route));
        }
        for (const Package &package : std::as_const(winners)) {
            input.versions.append(package);
        }
        std::sort(input.versions.begin(),
                  input.versions.end(),
                  [](const Package &a, const Package &b) { return a.createdAt < b.createdAt; });
        const Result<QList<DistTag>> tags =
            m_registry.packages().store().distTagsNamed(route.packageName);
        if (!tags) {
            return errorResponse(tags.error());
        }
        for (const DistTag &tag : *tags) {
            if (readable.contains(tag.projectId) && winners.contains(tag.version)) {
                input.distTags.insert(tag.tag, tag.version);
            }
        }
        entry = m_cache->insert(key, renderPackument(input, abbreviated), generation);
    }

    return documentResponse(*m_cache,
                            key,
                            *entry,
                            context.header("if-none-match"),
                            context.header("accept-encoding").contains("gzip"),
                            abbreviated);
}

} // namespace Trove::Http
