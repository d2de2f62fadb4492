// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// The verbs of the admin command line, one family per file (app/cli/*.cpp); app/cli.cpp maps
// `noun verb` to them and holds their synopses. Each returns the process's exit code.

namespace Cli {

class Command;

// namespaces.cpp
int groupCreate(Command &command);
int groupList(Command &command);
int groupShow(Command &command);
int groupDelete(Command &command);
int projectCreate(Command &command);
int projectList(Command &command);
int projectShow(Command &command);
int projectDelete(Command &command);
int projectSet(Command &command);

// users.cpp
int userCreate(Command &command);
int userList(Command &command);
int userDelete(Command &command);
int memberAdd(Command &command);
int memberList(Command &command);
int memberRemove(Command &command);

// tokens.cpp
int tokenCreate(Command &command);
int tokenList(Command &command);
int tokenRevoke(Command &command);
int deployTokenCreate(Command &command);
int deployTokenList(Command &command);
int deployTokenRevoke(Command &command);
int jobTokenCreate(Command &command);
int jobTokenFinish(Command &command);

// packages.cpp
int packageList(Command &command);
int packageShow(Command &command);
int packageDelete(Command &command);
int tagList(Command &command);
int tagSet(Command &command);
int tagRemove(Command &command);
int deprecate(Command &command);

// settings.cpp
int forwardingSet(Command &command);
int upstreamSet(Command &command);
int protectAdd(Command &command);
int settingsShow(Command &command);
int cacheClear(Command &command);

// store.cpp
int check(Command &command);
int backup(Command &command);
int restore(Command &command);
int storeCopy(Command &command);

// mirror.cpp
int mirror(Command &command);

} // namespace Cli
