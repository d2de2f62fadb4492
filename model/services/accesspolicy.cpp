// SPDX-License-Identifier: GPL-3.0-or-later
#include "model/services/accesspolicy.h"

#include "model/store/namespacestore.h"
#include "model/store/settingsstore.h"
#include "model/store/userstore.h"

#include <optional>

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

Result<AccessPolicy::Verdict>
AccessPolicy::checkWithReason(const Actor &actor, const Project &project, Operation operation) const
{
    const Result<Facts> known = facts(actor, project);
    if (!known) {
        return known.error();
    }
    Verdict verdict{decide(*known, operation), QString()};
    if (verdict.decision != Decision::Allow) {
        verdict.reason = explain(*known, operation, project.fullPath, describe(actor));
    }
    return verdict;
}

QString AccessPolicy::describe(const Actor &actor) const
{
    switch (actor.kind) {
    case Actor::Kind::Anonymous:
        return u"a request without a token"_s;
    case Actor::Kind::User:
        return actor.tokenName.isEmpty()
            ? u"the personal token of %1"_s.arg(actor.username)
            : u"personal token '%1' of %2"_s.arg(actor.tokenName, actor.username);
    case Actor::Kind::DeployToken:
        return actor.tokenName.isEmpty() ? u"deploy token %1"_s.arg(actor.username)
                                         : u"deploy token '%1'"_s.arg(actor.tokenName);
    case Actor::Kind::JobToken: {
        const Result<Project> job = NamespaceStore(m_database).projectById(actor.jobProjectId);
        return u"the job token of project %1 (%2)"_s.arg(
            job ? job->fullPath : QString::number(actor.jobProjectId), actor.username);
    }
    }
    return {};
}

QString AccessPolicy::explain(const Facts &facts,
                              Operation operation,
                              const QString &projectPath,
                              const QString &who)
{
    const bool read = operation == Operation::ReadPackage;
    const QString doing = read                  ? u"reading"_s
        : operation == Operation::CreatePackage ? u"publishing or tagging"_s
                                                : u"deprecating, untagging or unpublishing"_s;
    const QString visibility = visibilityName(facts.visibility);
    const auto asMember = [&]() -> QString {
        if (facts.level == AccessLevel::None) {
            return u"%1 acts as a user who is not a member of %2 (%3)"_s.arg(
                who, projectPath, visibility);
        }
        return u"%1 acts as a %2 of %3: %4 needs %5"_s.arg(
            who,
            accessLevelName(facts.level),
            projectPath,
            doing,
            accessLevelName(minimumLevel(operation)));
    };
    switch (facts.kind) {
    case Actor::Kind::Anonymous:
        return read ? u"no token was sent, and project %1 is %2: only public projects are read "
                      "without one"_s.arg(projectPath, visibility)
                    : u"no token was sent: %1 needs one"_s.arg(doing);
    case Actor::Kind::User: {
        const bool api = facts.scopes.contains(QStringView(Scope::Api));
        const bool readApi = facts.scopes.contains(QStringView(Scope::ReadApi));
        if (!api && !(read && readApi)) {
            return readApi ? u"%1 has the read_api scope only: %2 needs api"_s.arg(who, doing)
                           : u"%1 has neither the api nor the read_api scope"_s.arg(who);
        }
        return asMember();
    }
    case Actor::Kind::DeployToken:
        if (!facts.tokenCoversProject) {
            return u"%1 belongs to another group or project: outside its own it reads public "
                   "projects only, and %2 is %3"_s.arg(who, projectPath, visibility);
        }
        return read ? u"%1 lacks the read_package_registry scope"_s.arg(who)
                    : u"%1 is read-only: %2 needs write_package_registry"_s.arg(who, doing);
    case Actor::Kind::JobToken:
        if (!facts.tokenCoversProject) {
            return read ? u"%1 cannot read project %2: a job token reads other projects only "
                          "when they are public, and %2 is %3"_s.arg(who, projectPath, visibility)
                        : u"%1 cannot write to project %2: a job token writes to its own "
                          "project only"_s.arg(who, projectPath);
        }
        return asMember();
    }
    return {};
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
    // The caller's level is read only when a rule names the package (most projects have none).
    std::optional<AccessLevel> level;
    const auto levelOf = [&]() -> Result<AccessLevel> {
        if (actor.kind == Actor::Kind::User && actor.admin) {
            return AccessLevel::Admin;
        }
        if (actor.kind == Actor::Kind::User || actor.kind == Actor::Kind::JobToken) {
            return UserStore(m_database).projectAccessLevel(actor.userId, project.id);
        }
        return AccessLevel::None;
    };
    for (const ProtectionRule &rule : *rules) {
        if (!rule.matches(packageName)) {
            continue;
        }
        if (!level) {
            const Result<AccessLevel> known = levelOf();
            if (!known) {
                return known.error();
            }
            level = *known;
        }
        if (actor.kind == Actor::Kind::DeployToken || *level < rule.minimumAccessLevelForPush) {
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
