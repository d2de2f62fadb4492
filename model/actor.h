// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "model/domain.h"

namespace Trove {

// Who is making a request, as established from a token (or nobody).
struct Actor
{
    enum class Kind { Anonymous, User, DeployToken, JobToken };

    Kind kind = Kind::Anonymous;
    qint64 userId = 0; // User and JobToken
    QString username; // the user's, or the deploy token's username
    bool admin = false; // User only: job tokens never carry admin rights
    QStringList scopes; // User (personal access token) and DeployToken
    qint64 tokenId = 0;
    QString tokenName;
    qint64 deployGroupId = 0; // DeployToken: its group, or
    qint64 deployProjectId = 0; // its project
    qint64 jobProjectId = 0; // JobToken: the project whose job is running

    bool isAnonymous() const { return kind == Kind::Anonymous; }
    bool hasScope(QStringView scope) const { return scopes.contains(scope); }
};

} // namespace Trove
