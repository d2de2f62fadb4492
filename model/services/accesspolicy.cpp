// SPDX-License-Identifier: GPL-3.0-or-later
#include "model/services/accesspolicy.h"

#include "model/store/namespacestore.h"
#include "model/store/settingsstore.h"
#include "model/store/userstore.h"

using namespace Qt::StringLiterals;

namespace Trove {

namespace {

using Decision = AccessPolicy::Decision;
using Operation = AccessPolicy::Operation;

AccessLevel minimumLevel(Operation operation)
{
    switch (operation) {
    case Operation::ReadPackage:
        return AccessLevel::Reporter;
    case Operation::CreatePackage:
        return AccessLevel::Developer;
    case Operation::DestroyPackage:
        return AccessLevel::Maintainer;
    }
    return AccessLevel::Owner;
}

// A caller who may not perform the operation is told 403 when they can see the project, and 404
// when they cannot (GitLab hides projects a caller has no access to).
Decision refuse(bool canSeeProject)
{
    return canSeeProject ? Decision::Forbidden : Decision::NotFound;
}

Decision decideForMember(const AccessPolicy::Facts &facts, Operation operation)
{
    const bool canSee =
        facts.visibility != Visibility::Private || facts.level >= AccessLevel::Guest;
    if (operation == Operation::ReadPackage && facts.visibility != Visibility::Private) {
        // Public: anyone; internal: any authenticated user.
        return Decision::Allow;
    }
    return facts.level >= minimumLevel(operation) ? Decision::Allow : refuse(canSee);
}

} // namespace

AccessPolicy::AccessPolicy(const Database &database)
    : m_database(database)
{
}

Decision AccessPolicy::decide(const Facts &facts, Operation operation)
{
    const bool read = operation == Operation::ReadPackage;
    switch (facts.kind) {
    case Actor::Kind::Anonymous:
        return read && facts.visibility == Visibility::Public ? Decision::Allow
                                                              : Decision::Unauthorized;

    case Actor::Kind::User: {
        // read_api only allows GET and HEAD; reads need api or read_api, writes api.
        const bool scoped = facts.scopes.contains(QStringView(Scope::Api))
            || (read && facts.scopes.contains(QStringView(Scope::ReadApi)));
        if (!scoped) {
            return Decision::Forbidden;
        }
        if (facts.admin) {
            return Decision::Allow;
        }
        return decideForMember(facts, operation);
    }

    case Actor::Kind::DeployToken: {
        // A deploy token is not a user: outside its project or group it sees public projects only.
        if (!facts.tokenCoversProject) {
            if (read && facts.visibility == Visibility::Public) {
                return Decision::Allow;
            }
            return refuse(facts.visibility == Visibility::Public);
        }
        const bool canWrite = facts.scopes.contains(QStringView(Scope::WritePackageRegistry));
        const bool canRead =
            canWrite || facts.scopes.contains(QStringView(Scope::ReadPackageRegistry));
        return (read ? canRead : canWrite) ? Decision::Allow : Decision::Forbidden;
    }

    case Actor::Kind::JobToken:
        // A job token acts as its user, but only on the job's own project; elsewhere it reads
        // public projects and nothing else (GitLab's job token allowlist holds only the project).
        if (!facts.tokenCoversProject) {
            if (read && facts.visibility == Visibility::Public) {
                return Decision::Allow;
            }
            return refuse(facts.visibility == Visibility::Public);
        }
        return decideForMember(facts, operation);
    }
    return Decision::Forbidden;
}

Result<AccessPolicy::Facts> AccessPolicy::facts(const Actor &actor, const Project &project) const
{
    Facts facts;
    facts.kind = actor.kind;
    facts.visibility = project.visibility;
    facts.admin = actor.kind == Actor::Kind::User && actor.admin;
    facts.scopes = actor.scopes;
    switch (actor.kind) {
    case Actor::Kind::Anonymous:
        break;
    case Actor::Kind::User:
    case Actor::Kind::JobToken: {
        const Result<AccessLevel> level =
            UserStore(m_database).projectAccessLevel(actor.userId, project.id);
        if (!level) {
            return level.error();
        }
        facts.level = *level;
        facts.tokenCoversProject =
            actor.kind == Actor::Kind::JobToken && actor.jobProjectId == project.id;
        break;
    }
    case Actor::Kind::DeployToken:
        if (actor.deployProjectId) {
            facts.tokenCoversProject = actor.deployProjectId == project.id;
        } else {
            const Result<QList<Group>> chain =
                NamespaceStore(m_database).ancestors(project.namespaceId);
            if (!chain) {
                return chain.error();
            }
            for (const Group &group : *chain) {
                facts.tokenCoversProject |= group.id == actor.deployGroupId;
            }
        }
        break;
    }
    return facts;
}

Result<AccessPolicy::Decision>
AccessPolicy::check(const Actor &actor, const Project &project, Operation operation) const
{
    const Result<Facts> known = facts(actor, project);
    if (!known) {
        return known.error();
    }
    return decide(*known, operation);
}

Result<bool> AccessPolicy::pushProtected(const Actor &actor,
                                         const Project &project,
                                         const QString &packageName) const
{
    const Result<QList<ProtectionRule>> rules =
        SettingsStore(m_database).protectionRules(project.id);
    if (!rules) {
        return rules.error();
    }
    AccessLevel level = AccessLevel::None;
    if (actor.kind == Actor::Kind::User && actor.admin) {
        level = AccessLevel::Admin;
    } else if (actor.kind == Actor::Kind::User || actor.kind == Actor::Kind::JobToken) {
        const Result<AccessLevel> inherited =
            UserStore(m_database).projectAccessLevel(actor.userId, project.id);
        if (!inherited) {
            return inherited.error();
        }
        level = *inherited;
    }
    for (const ProtectionRule &rule : *rules) {
        if (!rule.matches(packageName)) {
            continue;
        }
        if (actor.kind == Actor::Kind::DeployToken || level < rule.minimumAccessLevelForPush) {
            return true;
        }
    }
    return false;
}

QString AccessPolicy::operationName(Operation operation)
{
    switch (operation) {
    case Operation::ReadPackage:
        return u"read"_s;
    case Operation::CreatePackage:
        return u"create"_s;
    case Operation::DestroyPackage:
        return u"destroy"_s;
    }
    return {};
}

QString AccessPolicy::decisionName(Decision decision)
{
    switch (decision) {
    case Decision::Allow:
        return u"allow"_s;
    case Decision::Unauthorized:
        return u"401"_s;
    case Decision::Forbidden:
        return u"403"_s;
    case Decision::NotFound:
        return u"404"_s;
    }
    return {};
}

} // namespace Trove
