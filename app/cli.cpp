// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/cli.h"

#include "model/registry.h"
#include "model/storecheck.h"

#include <QCommandLineParser>
#include <QDate>
#include <QFile>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QRegularExpression>
#include <QTextStream>

#include <functional>

using namespace Qt::StringLiterals;
using namespace Trove;

namespace {

enum ExitCode { Success = 0, Failure = 1, Usage = 2 };

struct Verb
{
    QString noun;
    QString verb;
    QString synopsis;
};

const QList<Verb> &verbs()
{
    static const QList<Verb> list = {
        {u"group"_s, u"create"_s, u"PATH [--visibility public|internal|private] [--name NAME]"_s},
        {u"project"_s,
         u"create"_s,
         u"GROUP/PATH [--visibility public|internal|private] [--name NAME]"_s},
        {u"user"_s, u"create"_s, u"NAME [--admin]"_s},
        {u"member"_s, u"add"_s, u"(--group PATH | --project PATH) USER ROLE"_s},
        {u"token"_s,
         u"create"_s,
         u"USER [--scopes api,read_api] [--expires YYYY-MM-DD] [--name NAME]"_s},
        {u"deploy-token"_s,
         u"create"_s,
         u"(--group PATH | --project PATH) --scopes read_package_registry[,write_package_registry]"
         " [--name NAME] [--username NAME] [--expires YYYY-MM-DD]"_s},
        {u"job-token"_s, u"create"_s, u"--project PATH --user USER"_s},
        {u"job-token"_s, u"finish"_s, u"TOKEN (or - to read it from standard input)"_s},
        {u"forwarding"_s, u"set"_s, u"on|off [--group PATH] [--lock]"_s},
        {u"upstream"_s, u"set"_s, u"URL"_s},
        {u"protect"_s, u"add"_s, u"--project PATH PATTERN --push maintainer|owner|admin"_s},
        // No verb: `trove check`.
        {u"check"_s, QString(), QString()},
    };
    return list;
}

// Refusals are one line on stderr; a storage error's text may span several.
QString oneLine(const QString &message)
{
    return message.simplified();
}

// One verb's parsing, checking and output; owns nothing beyond the call.
class Command
{
public:
    Command(QTextStream &out, QTextStream &err, const QStringList &arguments)
        : m_out(out)
        , m_err(err)
        , m_noun(arguments.value(0))
        , m_verb(arguments.value(1))
    {
        m_parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
        m_parser.addOption({u"data"_s,
                            u"Data directory (default: $TROVE_DATA or the app data folder)"_s,
                            u"DIR"_s});
        m_parser.addOption({u"json"_s, u"Print a JSON object"_s});
        m_parser.addOption({{u"h"_s, u"help"_s}, u"Show this help"_s});
        // The program name and the noun are not part of the verb's own arguments.
        m_arguments = QStringList{u"trove"_s} + arguments.mid(2);
    }

    void addOption(const QString &name, const QString &valueName = {})
    {
        m_parser.addOption(QCommandLineOption(name, QString(), valueName));
    }

    // Parses; returns false (after printing why) on a usage error.
    bool parse(qsizetype positionalCount, const QString &synopsis)
    {
        m_synopsis = synopsis;
        if (!m_parser.parse(m_arguments)) {
            return usage(m_parser.errorText());
        }
        if (m_parser.isSet(u"help"_s)) {
            m_out << "Usage: trove " << QString(name() + u' ' + synopsis).trimmed()
                  << " [--data DIR] [--json]\n";
            m_out.flush();
            m_helpShown = true;
            return false;
        }
        if (m_parser.positionalArguments().size() != positionalCount) {
            return usage(u"expected %1 argument(s), got %2"_s.arg(positionalCount)
                             .arg(m_parser.positionalArguments().size()));
        }
        return true;
    }

    // One line, like every other refusal (docs/cli.md §3), with the synopsis in it.
    bool usage(const QString &message)
    {
        m_err << "trove " << name() << ": " << oneLine(message) << " (usage: trove "
              << QString(name() + u' ' + m_synopsis).trimmed() << ")\n";
        m_err.flush();
        return false;
    }

    int usageExit() const { return m_helpShown ? Success : Usage; }

    // "group create", or just "check" for a command without a verb.
    QString name() const { return m_verb.isEmpty() ? m_noun : m_noun + u' ' + m_verb; }

    QString value(const QString &option) const { return m_parser.value(option); }
    bool isSet(const QString &option) const { return m_parser.isSet(option); }
    QString positional(int index) const { return m_parser.positionalArguments().value(index); }

    // Opens the registry of --data or $TROVE_DATA or the default folder.
    Registry *registry()
    {
        QString dataDir = m_parser.value(u"data"_s);
        if (dataDir.isEmpty()) {
            dataDir = Registry::defaultDataDir();
        }
        // The admin verbs write no blobs, so they leave the sweep (a walk over every blob) to the
        // server and the window, which sweep at each start.
        Result<std::unique_ptr<Registry>> opened =
            Registry::open(dataDir, Registry::Sweep::ByCaller);
        if (!opened) {
            fail(opened.error());
            return nullptr;
        }
        m_registry = std::move(*opened);
        return m_registry.get();
    }

    int fail(const Error &error)
    {
        m_err << "trove " << name() << ": " << oneLine(error.message) << '\n';
        m_err.flush();
        return Failure;
    }

    int fail(const QString &message) { return fail(Error::invalid(message)); }

    bool json() const { return m_parser.isSet(u"json"_s); }

    // Prints `plain`, or `json` with --json.
    int print(const QString &plain, const QJsonObject &json)
    {
        if (m_parser.isSet(u"json"_s)) {
            m_out << QJsonDocument(json).toJson(QJsonDocument::Compact) << '\n';
        } else {
            m_out << plain << '\n';
        }
        m_out.flush();
        return Success;
    }

private:
    QTextStream &m_out;
    QTextStream &m_err;
    const QString m_noun;
    const QString m_verb;
    QString m_synopsis;
    QStringList m_arguments;
    QCommandLineParser m_parser;
    bool m_helpShown = false;
    std::unique_ptr<Registry> m_registry;
};

std::optional<Visibility> visibilityOption(Command &command)
{
    if (!command.isSet(u"visibility"_s)) {
        return Visibility::Private;
    }
    return visibilityFromName(command.value(u"visibility"_s));
}

// --expires YYYY-MM-DD: a real calendar date.
bool parseExpiry(Command &command, std::optional<QDate> *expires)
{
    if (!command.isSet(u"expires"_s)) {
        return true;
    }
    const QString text = command.value(u"expires"_s);
    // \A…\z: $ would also match before a final newline. [0-9], not \d: \d takes any
    // script's digits.
    static const QRegularExpression shape(u"\\A[0-9]{4}-[0-9]{2}-[0-9]{2}\\z"_s);
    const QDate date = QDate::fromString(text, u"yyyy-MM-dd"_s);
    if (!shape.match(text).hasMatch() || !date.isValid()) {
        command.fail(u"Invalid date %1: use YYYY-MM-DD"_s.arg(text));
        return false;
    }
    *expires = date;
    return true;
}

QStringList scopeList(const QString &text)
{
    QStringList scopes;
    for (const QString &scope : text.split(u',')) {
        scopes.append(scope.trimmed());
    }
    return scopes;
}

QJsonArray toJsonArray(const QStringList &list)
{
    return QJsonArray::fromStringList(list);
}

int groupCreate(Command &command)
{
    command.addOption(u"visibility"_s, u"LEVEL"_s);
    command.addOption(u"name"_s, u"NAME"_s);
    if (!command.parse(1, verbs().at(0).synopsis)) {
        return command.usageExit();
    }
    const std::optional<Visibility> visibility = visibilityOption(command);
    if (!visibility) {
        return command.fail(u"Unknown visibility %1: use public, internal or private"_s.arg(
            command.value(u"visibility"_s)));
    }
    Registry *registry = command.registry();
    if (!registry) {
        return Failure;
    }
    const Result<Group> group = registry->namespaces().createGroup(
        command.positional(0), *visibility, command.value(u"name"_s));
    if (!group) {
        return command.fail(group.error());
    }
    return command.print(QString::number(group->id),
                         {{u"id"_s, group->id},
                          {u"full_path"_s, group->fullPath},
                          {u"name"_s, group->name},
                          {u"visibility"_s, visibilityName(group->visibility)}});
}

int projectCreate(Command &command)
{
    command.addOption(u"visibility"_s, u"LEVEL"_s);
    command.addOption(u"name"_s, u"NAME"_s);
    if (!command.parse(1, verbs().at(1).synopsis)) {
        return command.usageExit();
    }
    const std::optional<Visibility> visibility = visibilityOption(command);
    if (!visibility) {
        return command.fail(u"Unknown visibility %1: use public, internal or private"_s.arg(
            command.value(u"visibility"_s)));
    }
    Registry *registry = command.registry();
    if (!registry) {
        return Failure;
    }
    const Result<Project> project = registry->namespaces().createProject(
        command.positional(0), *visibility, command.value(u"name"_s));
    if (!project) {
        return command.fail(project.error());
    }
    return command.print(QString::number(project->id),
                         {{u"id"_s, project->id},
                          {u"full_path"_s, project->fullPath},
                          {u"name"_s, project->name},
                          {u"visibility"_s, visibilityName(project->visibility)}});
}

int userCreate(Command &command)
{
    command.addOption(u"admin"_s);
    if (!command.parse(1, verbs().at(2).synopsis)) {
        return command.usageExit();
    }
    Registry *registry = command.registry();
    if (!registry) {
        return Failure;
    }
    const Result<User> user =
        registry->users().createUser(command.positional(0), command.isSet(u"admin"_s));
    if (!user) {
        return command.fail(user.error());
    }
    return command.print(
        QString::number(user->id),
        {{u"id"_s, user->id}, {u"username"_s, user->username}, {u"admin"_s, user->admin}});
}

int memberAdd(Command &command)
{
    command.addOption(u"group"_s, u"PATH"_s);
    command.addOption(u"project"_s, u"PATH"_s);
    if (!command.parse(2, verbs().at(3).synopsis)) {
        return command.usageExit();
    }
    if (command.isSet(u"group"_s) == command.isSet(u"project"_s)) {
        command.usage(u"give exactly one of --group and --project"_s);
        return Usage;
    }
    const std::optional<AccessLevel> level = accessLevelFromName(command.positional(1));
    if (!level || *level == AccessLevel::Admin) {
        return command.fail(
            u"Unknown role %1: use guest, reporter, developer, maintainer or owner"_s.arg(
                command.positional(1)));
    }
    Registry *registry = command.registry();
    if (!registry) {
        return Failure;
    }
    const QString username = command.positional(0);
    const bool group = command.isSet(u"group"_s);
    const QString path = command.value(group ? u"group"_s : u"project"_s);
    const Result<void> added = group ? registry->users().addGroupMember(username, path, *level)
                                     : registry->users().addProjectMember(username, path, *level);
    if (!added) {
        return command.fail(added.error());
    }
    return command.print(QString::number(int(*level)),
                         {{u"username"_s, username},
                          {group ? u"group"_s : u"project"_s, path},
                          {u"role"_s, accessLevelName(*level)},
                          {u"access_level"_s, int(*level)}});
}

int tokenCreate(Command &command)
{
    command.addOption(u"scopes"_s, u"LIST"_s);
    command.addOption(u"expires"_s, u"DATE"_s);
    command.addOption(u"name"_s, u"NAME"_s);
    if (!command.parse(1, verbs().at(4).synopsis)) {
        return command.usageExit();
    }
    std::optional<QDate> expires;
    if (!parseExpiry(command, &expires)) {
        return Failure;
    }
    const QStringList scopes =
        command.isSet(u"scopes"_s) ? scopeList(command.value(u"scopes"_s)) : QStringList{u"api"_s};
    Registry *registry = command.registry();
    if (!registry) {
        return Failure;
    }
    const Result<User> user = registry->users().store().userByName(command.positional(0));
    if (!user) {
        return command.fail(user.error());
    }
    const Result<CreatedToken> token = registry->tokens().createPersonalAccessToken(
        user->id, command.value(u"name"_s), scopes, expires);
    if (!token) {
        return command.fail(token.error());
    }
    return command.print(
        token->token,
        {{u"id"_s, token->id},
         {u"token"_s, token->token},
         {u"username"_s, user->username},
         {u"scopes"_s, toJsonArray(scopes)},
         {u"expires_at"_s, expires ? QJsonValue(expires->toString(Qt::ISODate)) : QJsonValue()}});
}

int deployTokenCreate(Command &command)
{
    command.addOption(u"group"_s, u"PATH"_s);
    command.addOption(u"project"_s, u"PATH"_s);
    command.addOption(u"scopes"_s, u"LIST"_s);
    command.addOption(u"name"_s, u"NAME"_s);
    command.addOption(u"username"_s, u"NAME"_s);
    command.addOption(u"expires"_s, u"DATE"_s);
    if (!command.parse(0, verbs().at(5).synopsis)) {
        return command.usageExit();
    }
    if (command.isSet(u"group"_s) == command.isSet(u"project"_s)) {
        command.usage(u"give exactly one of --group and --project"_s);
        return Usage;
    }
    if (!command.isSet(u"scopes"_s)) {
        command.usage(u"--scopes is required"_s);
        return Usage;
    }
    std::optional<QDate> expires;
    if (!parseExpiry(command, &expires)) {
        return Failure;
    }
    Registry *registry = command.registry();
    if (!registry) {
        return Failure;
    }
    qint64 groupId = 0;
    qint64 projectId = 0;
    const bool group = command.isSet(u"group"_s);
    const QString path = command.value(group ? u"group"_s : u"project"_s);
    if (group) {
        const Result<Group> found = registry->namespaces().store().groupByPath(path);
        if (!found) {
            return command.fail(found.error());
        }
        groupId = found->id;
    } else {
        const Result<Project> found = registry->namespaces().store().projectByPath(path);
        if (!found) {
            return command.fail(found.error());
        }
        projectId = found->id;
    }
    const QStringList scopes = scopeList(command.value(u"scopes"_s));
    const Result<CreatedToken> token =
        registry->tokens().createDeployToken(groupId,
                                             projectId,
                                             command.value(u"name"_s),
                                             scopes,
                                             expires,
                                             command.value(u"username"_s));
    if (!token) {
        return command.fail(token.error());
    }
    const Result<DeployToken> stored = registry->tokens().store().deployToken(token->id);
    return command.print(token->token,
                         {{u"id"_s, token->id},
                          {u"token"_s, token->token},
                          {u"username"_s, stored ? stored->username : QString()},
                          {group ? u"group"_s : u"project"_s, path},
                          {u"scopes"_s, toJsonArray(scopes)}});
}

int jobTokenCreate(Command &command)
{
    command.addOption(u"project"_s, u"PATH"_s);
    command.addOption(u"user"_s, u"NAME"_s);
    if (!command.parse(0, verbs().at(6).synopsis)) {
        return command.usageExit();
    }
    if (!command.isSet(u"project"_s) || !command.isSet(u"user"_s)) {
        command.usage(u"--project and --user are required"_s);
        return Usage;
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
    const Result<User> user = registry->users().store().userByName(command.value(u"user"_s));
    if (!user) {
        return command.fail(user.error());
    }
    const Result<CreatedToken> token = registry->tokens().createJobToken(project->id, user->id);
    if (!token) {
        return command.fail(token.error());
    }
    return command.print(token->token,
                         {{u"id"_s, token->id},
                          {u"token"_s, token->token},
                          {u"project"_s, project->fullPath},
                          {u"username"_s, user->username}});
}

int jobTokenFinish(Command &command)
{
    if (!command.parse(1, verbs().at(7).synopsis)) {
        return command.usageExit();
    }
    QString token = command.positional(0);
    if (token == u"-"_s) {
        // Keeps the secret out of the process list.
        QFile input;
        if (!input.open(stdin, QIODevice::ReadOnly)) {
            return command.fail(u"Cannot read standard input"_s);
        }
        token = QString::fromUtf8(input.readLine()).trimmed();
    }
    Registry *registry = command.registry();
    if (!registry) {
        return Failure;
    }
    if (const Result<void> finished = registry->tokens().finishJob(token); !finished) {
        return command.fail(finished.error());
    }
    return command.print(u"finished"_s, {{u"finished"_s, true}});
}

int forwardingSet(Command &command)
{
    command.addOption(u"group"_s, u"PATH"_s);
    command.addOption(u"lock"_s);
    if (!command.parse(1, verbs().at(8).synopsis)) {
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
    if (!command.parse(1, verbs().at(9).synopsis)) {
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
    if (!command.parse(1, verbs().at(10).synopsis)) {
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

} // namespace

// Reads every blob against its row; one line per problem and a summary, or one JSON object.
// Exit 0 when the store is clean, 1 when problems were found. Changes nothing.
int check(Command &command)
{
    if (!command.parse(0, verbs().at(11).synopsis)) {
        return command.usageExit();
    }
    Registry *registry = command.registry();
    if (!registry) {
        return Failure;
    }
    const Result<StoreCheckReport> report = checkStore(*registry);
    if (!report) {
        return command.fail(report.error());
    }
    QStringList lines;
    QJsonArray problems;
    for (const StoreProblem &problem : report->problems) {
        const QString subject = problem.packageName.isEmpty()
            ? problem.path
            : u"%1@%2 (%3)"_s.arg(problem.packageName, problem.version, problem.projectPath);
        QString line = subject + u": "_s + problem.detail;
        if (!problem.packageName.isEmpty() && !problem.path.isEmpty()) {
            line += u" ("_s + problem.path + u')';
        }
        lines.append(oneLine(line));
        QJsonObject object{{u"kind"_s, StoreProblem::kindName(problem.kind)},
                           {u"path"_s, problem.path},
                           {u"detail"_s, problem.detail}};
        if (!problem.packageName.isEmpty()) {
            object.insert(u"package"_s, problem.packageName);
            object.insert(u"version"_s, problem.version);
            object.insert(u"project"_s, problem.projectPath);
        }
        problems.append(object);
    }
    lines.append(u"%1 package row(s), %2 blob(s) checked: %3"_s.arg(report->rows)
                     .arg(report->blobs)
                     .arg(report->clean() ? u"no problems"_s
                                          : u"%1 problem(s)"_s.arg(report->problems.size())));
    command.print(lines.join(u'\n'),
                  {{u"rows"_s, report->rows},
                   {u"blobs"_s, report->blobs},
                   {u"clean"_s, report->clean()},
                   {u"problems"_s, problems}});
    return report->clean() ? Success : Failure;
}

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
    using Handler = std::function<int(Command &)>;
    static const QHash<QString, Handler> handlers = {
        {u"group create"_s, groupCreate},
        {u"project create"_s, projectCreate},
        {u"user create"_s, userCreate},
        {u"member add"_s, memberAdd},
        {u"token create"_s, tokenCreate},
        {u"deploy-token create"_s, deployTokenCreate},
        {u"job-token create"_s, jobTokenCreate},
        {u"job-token finish"_s, jobTokenFinish},
        {u"forwarding set"_s, forwardingSet},
        {u"upstream set"_s, upstreamSet},
        {u"protect add"_s, protectAdd},
        {u"check "_s, check},
    };
    // The model's progress messages (schema migrated, orphan swept) belong in a server's log;
    // here stderr carries only the one line of a refusal. QT_LOGGING_RULES still wins.
    QLoggingCategory::setFilterRules(u"trove.*.info=false"_s);
    // An option where the verb should be (`trove member --data DIR`) is no part of the name.
    // `trove check` has no verb: what follows it is its own (refused) arguments.
    const QString verb = arguments.value(1).startsWith(u'-') || arguments.value(0) == u"check"_s
        ? QString()
        : arguments.value(1);
    const QString key = arguments.value(0) + u' ' + verb;
    if (key.trimmed() == u"help"_s) {
        m_out << "Commands (each takes --data DIR and --json):\n";
        for (const Verb &verb : verbs()) {
            m_out << "  "
                  << QString(u"trove "_s + verb.noun + u' ' + verb.verb + u' ' + verb.synopsis)
                         .simplified()
                  << '\n';
        }
        m_out.flush();
        return Success;
    }
    const auto handler = handlers.constFind(key);
    if (handler == handlers.cend()) {
        // One line, like every other refusal; `trove help` gives the synopses.
        QStringList commands;
        for (const Verb &verb : verbs()) {
            commands.append(QString(u"trove "_s + verb.noun + u' ' + verb.verb).trimmed());
        }
        m_err << "trove: unknown command '" << key.trimmed() << "'; the commands are "
              << commands.join(u", "_s) << " (trove help shows their arguments)\n";
        m_err.flush();
        return Usage;
    }
    // A command without a verb takes its options right after the noun.
    Command command(m_out,
                    m_err,
                    verb.isEmpty() ? QStringList{arguments.value(0), QString()} + arguments.mid(1)
                                   : arguments);
    return (*handler)(command);
}
