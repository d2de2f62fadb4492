// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "model/actor.h"
#include "model/domain.h"
#include "model/result.h"

namespace Trove {

class Database;

// Who may read, publish, tag and deprecate packages of a project: GitLab's rules for the npm
// registry (docs/npm-api.md §2). decide() is the whole matrix as a pure function; check() looks up
// the facts it needs (the actor's inherited role, what a deploy token covers).
class AccessPolicy final
{
public:
    enum class Operation {
        ReadPackage, // metadata, tarball, dist-tag list (GET/HEAD)
        CreatePackage, // publish, add or move a dist-tag
        DestroyPackage, // remove a dist-tag, deprecate, unpublish
    };
    // Unauthorized: authenticate first (401). Forbidden: authenticated but not allowed (403).
    // NotFound: the actor may not even know the project exists (404).
    enum class Decision { Allow, Unauthorized, Forbidden, NotFound };

    // Everything a decision depends on.
    struct Facts
    {
        Actor::Kind kind = Actor::Kind::Anonymous;
        Visibility visibility = Visibility::Private;
        AccessLevel level = AccessLevel::None; // the user's inherited role in the project
        bool admin = false;
        QStringList scopes;
        bool tokenCoversProject = false; // deploy token's project or group; job token's project
    };

    explicit AccessPolicy(const Database &database);

    static Decision decide(const Facts &facts, Operation operation);
    Result<Decision> check(const Actor &actor, const Project &project, Operation operation) const;
    // check(), and for anything but Allow one sentence saying why, in plain words, for the
    // request log ("deploy token 'ci' is read-only: publishing needs write_package_registry").
    struct Verdict
    {
        Decision decision = Decision::Allow;
        QString reason;
    };
    Result<Verdict>
    checkWithReason(const Actor &actor, const Project &project, Operation operation) const;
    // The sentence for a decision that is not Allow. `who` names the caller ("deploy token 'ci'").
    static QString explain(const Facts &facts,
                           Operation operation,
                           const QString &projectPath,
                           const QString &who);
    // "personal token 'laptop' of mia", "deploy token 'ci'", "job token of project acme/app (mia)",
    // "a request without a token".
    QString describe(const Actor &actor) const;
    Result<Facts> facts(const Actor &actor, const Project &project) const;

    // Whether a protection rule of the project stops this actor from pushing the name
    // (GitLab: deploy tokens never push a protected name; admins always may).
    Result<bool>
    pushProtected(const Actor &actor, const Project &project, const QString &packageName) const;

    static QString operationName(Operation operation);
    static QString decisionName(Decision decision);

private:
    const Database &m_database;
};

} // namespace Trove
