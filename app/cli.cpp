// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/cli.h"

#include "app/cli/command.h"
#include "app/cli/verbs.h"

#include <QLoggingCategory>
#include <QTextStream>

using namespace Qt::StringLiterals;

namespace {

struct Verb
{
    QString noun;
    QString verb; // empty for a command without a verb (trove check)
    QString synopsis;
    int (*handler)(Cli::Command &);
};

// Every command, in the order `trove help` lists them (docs/cli.md describes each).
const QList<Verb> &verbs()
{
    static const QList<Verb> list = {
        {u"group"_s,
         u"create"_s,
         u"PATH [--visibility public|internal|private] [--name NAME]"_s,
         Cli::groupCreate},
        {u"group"_s, u"list"_s, QString(), Cli::groupList},
        {u"group"_s, u"show"_s, u"PATH"_s, Cli::groupShow},
        {u"group"_s, u"delete"_s, u"PATH [--recursive --confirm PATH]"_s, Cli::groupDelete},
        {u"project"_s,
         u"create"_s,
         u"GROUP/PATH [--visibility public|internal|private] [--name NAME]"_s,
         Cli::projectCreate},
        {u"project"_s, u"list"_s, u"[--group PATH]"_s, Cli::projectList},
        {u"project"_s, u"show"_s, u"PATH"_s, Cli::projectShow},
        {u"project"_s, u"delete"_s, u"PATH [--confirm PATH]"_s, Cli::projectDelete},
        {u"project"_s, u"set"_s, u"PATH --packages on|off"_s, Cli::projectSet},
        {u"user"_s, u"create"_s, u"NAME [--admin]"_s, Cli::userCreate},
        {u"user"_s, u"list"_s, QString(), Cli::userList},
        {u"user"_s, u"delete"_s, u"NAME"_s, Cli::userDelete},
        {u"member"_s, u"add"_s, u"(--group PATH | --project PATH) USER ROLE"_s, Cli::memberAdd},
        {u"member"_s, u"list"_s, u"(--group PATH | --project PATH)"_s, Cli::memberList},
        {u"member"_s, u"remove"_s, u"(--group PATH | --project PATH) USER"_s, Cli::memberRemove},
        {u"token"_s,
         u"create"_s,
         u"USER [--scopes api,read_api] [--expires YYYY-MM-DD] [--name NAME]"_s,
         Cli::tokenCreate},
        {u"token"_s, u"list"_s, u"[USER]"_s, Cli::tokenList},
        {u"token"_s, u"revoke"_s, u"ID"_s, Cli::tokenRevoke},
        {u"deploy-token"_s,
         u"create"_s,
         u"(--group PATH | --project PATH) --scopes read_package_registry[,write_package_registry]"
         " [--name NAME] [--username NAME] [--expires YYYY-MM-DD]"_s,
         Cli::deployTokenCreate},
        {u"deploy-token"_s, u"list"_s, u"[--group PATH | --project PATH]"_s, Cli::deployTokenList},
        {u"deploy-token"_s, u"revoke"_s, u"ID"_s, Cli::deployTokenRevoke},
        {u"job-token"_s, u"create"_s, u"--project PATH --user USER"_s, Cli::jobTokenCreate},
        {u"job-token"_s,
         u"finish"_s,
         u"TOKEN (or - to read it from standard input)"_s,
         Cli::jobTokenFinish},
        {u"package"_s, u"list"_s, u"[--project PATH] [--name TEXT]"_s, Cli::packageList},
        {u"package"_s, u"show"_s, u"NAME [--project PATH]"_s, Cli::packageShow},
        {u"package"_s, u"delete"_s, u"NAME[@VERSION] --project PATH"_s, Cli::packageDelete},
        {u"tag"_s, u"list"_s, u"NAME [--project PATH]"_s, Cli::tagList},
        {u"tag"_s, u"set"_s, u"NAME@VERSION TAG [--project PATH]"_s, Cli::tagSet},
        {u"tag"_s, u"rm"_s, u"NAME TAG [--project PATH]"_s, Cli::tagRemove},
        {u"deprecate"_s,
         QString(),
         u"NAME RANGE MESSAGE [--project PATH] (an empty MESSAGE undeprecates)"_s,
         Cli::deprecate},
        {u"forwarding"_s, u"set"_s, u"on|off|proxy [--group PATH] [--lock]"_s, Cli::forwardingSet},
        {u"upstream"_s, u"set"_s, u"URL"_s, Cli::upstreamSet},
        {u"protect"_s,
         u"add"_s,
         u"--project PATH PATTERN --push maintainer|owner|admin"_s,
         Cli::protectAdd},
        {u"settings"_s, u"show"_s, QString(), Cli::settingsShow},
        {u"cache"_s, u"clear"_s, u"[NAME]"_s, Cli::cacheClear},
        {u"check"_s, QString(), u"[--repair [--grace SECONDS]]"_s, Cli::check},
        {u"backup"_s, QString(), u"DIR"_s, Cli::backup},
        {u"restore"_s,
         QString(),
         u"DIR (into --data DIR, which must be empty or absent)"_s,
         Cli::restore},
        {u"store"_s,
         u"copy"_s,
         u"--from DIR|URL --to DIR|URL [--from-data DIR] [--to-data DIR]"_s,
         Cli::storeCopy},
        {u"mirror"_s, QString(), u"LOCKFILE... [--project PATH | --group PATH]"_s, Cli::mirror},
    };
    return list;
}

bool hasVerb(const QString &noun)
{
    for (const Verb &verb : verbs()) {
        if (verb.noun == noun) {
            return !verb.verb.isEmpty();
        }
    }
    return true;
}

} // namespace

AdminCommandLine::AdminCommandLine(QTextStream &out, QTextStream &err)
    : m_out(out)
    , m_err(err)
{
}

bool AdminCommandLine::handles(const QStringList &arguments)
{
    const QString noun = arguments.value(0);
    for (const Verb &verb : verbs()) {
        if (verb.noun == noun) {
            return true;
        }
    }
    return false;
}

int AdminCommandLine::run(const QStringList &arguments)
{
    // The model's progress messages (schema migrated, orphan swept) belong in a server's log;
    // here stderr carries only the one line of a refusal. QT_LOGGING_RULES still wins.
    QLoggingCategory::setFilterRules(u"trove.*.info=false"_s);
    const QString noun = arguments.value(0);
    // An option where the verb should be (`trove member --data DIR`) is no part of the name.
    // A command without a verb: what follows the noun is its own arguments.
    const QString verb =
        arguments.value(1).startsWith(u'-') || !hasVerb(noun) ? QString() : arguments.value(1);
    if (noun == u"help"_s && verb.isEmpty()) {
        m_out << "Commands (each takes --data DIR, --store URL and --json):\n";
        for (const Verb &entry : verbs()) {
            m_out << "  "
                  << QString(u"trove "_s + entry.noun + u' ' + entry.verb + u' ' + entry.synopsis)
                         .simplified()
                  << '\n';
        }
        m_out.flush();
        return Cli::Success;
    }
    for (const Verb &entry : verbs()) {
        if (entry.noun == noun && entry.verb == verb) {
            // A command without a verb takes its options right after the noun.
            Cli::Command command(m_out,
                                 m_err,
                                 verb.isEmpty() ? QStringList{noun, QString()} + arguments.mid(1)
                                                : arguments,
                                 entry.synopsis);
            return entry.handler(command);
        }
    }
    // One line, like every other refusal; `trove help` gives the synopses.
    QStringList commands;
    for (const Verb &entry : verbs()) {
        commands.append(QString(u"trove "_s + entry.noun + u' ' + entry.verb).trimmed());
    }
    m_err << "trove: unknown command '" << QString(noun + u' ' + verb).trimmed()
          << "'; the commands are " << commands.join(u", "_s)
          << " (trove help shows their arguments)\n";
    m_err.flush();
    return Cli::Usage;
}
