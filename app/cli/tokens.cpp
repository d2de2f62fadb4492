// SPDX-License-Identifier: GPL-3.0-or-later
// trove token …, trove deploy-token …, trove job-token …
#include "app/cli/command.h"
#include "app/cli/verbs.h"

#include <QFile>
#include <QRegularExpression>

using namespace Qt::StringLiterals;
using namespace Trove;

namespace Cli {

namespace {

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

// "active", "revoked" or "expired" (refused from the expiry day on, as TokenService does).
QString tokenState(bool revoked, const std::optional<QDate> &expiresAt)
{
    if (revoked) {
        return u"revoked"_s;
    }
    if (expiresAt && *expiresAt <= QDateTime::currentDateTimeUtc().date()) {
        return u"expired"_s;
    }
    return u"active"_s;
}

// A token id on the command line: a positive decimal number.
std::optional<qint64> tokenId(Command &command, const QString &text)
{
    bool ok = false;
    const qint64 id = text.toLongLong(&ok);
    static const QRegularExpression digits(u"\\A[0-9]+\\z"_s);
    if (!ok || id <= 0 || !digits.match(text).hasMatch()) {
        command.fail(u"Invalid token id %1: use the number trove %2 list shows"_s.arg(
            text, command.name().section(u' ', 0, 0)));
        return std::nullopt;
    }
    return id;
}

} // namespace

int tokenCreate(Command &command)
{
    command.addOption(u"scopes"_s, u"LIST"_s);
    command.addOption(u"expires"_s, u"DATE"_s);
    command.addOption(u"name"_s, u"NAME"_s);
    if (!command.parse(1)) {
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
    if (!command.parse(0)) {
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
    if (!command.parse(0)) {
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
    if (!command.parse(1)) {
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

int tokenList(Command &command)
{
    if (!command.parse(0, 1)) {
        return command.usageExit();
    }
    Registry *registry = command.registry();
    if (!registry) {
        return Failure;
    }
    qint64 onlyUser = 0;
    if (command.positionalCount() == 1) {
        const std::optional<User> user = command.user(command.positional(0));
        if (!user) {
            return Failure;
        }
        onlyUser = user->id;
    }
    const Result<QList<PersonalAccessToken>> tokens = registry->tokens().store().personalTokens();
    const Result<QList<User>> users = registry->users().store().users();
    if (!tokens || !users) {
        return command.fail(!tokens ? tokens.error() : users.error());
    }
    QHash<qint64, QString> names;
    for (const User &user : *users) {
        names.insert(user.id, user.username);
    }
    QList<QStringList> rows;
    QJsonArray json;
    for (const PersonalAccessToken &token : *tokens) {
        if (onlyUser && token.userId != onlyUser) {
            continue;
        }
        const QString state = tokenState(token.revoked, token.expiresAt);
        rows.append({QString::number(token.id),
                     names.value(token.userId),
                     token.name,
                     token.prefix,
                     token.scopes.join(u','),
                     dateText(token.expiresAt),
                     state,
                     timeText(token.lastUsedAt)});
        json.append(QJsonObject{{u"id"_s, token.id},
                                {u"username"_s, names.value(token.userId)},
                                {u"name"_s, token.name},
                                {u"prefix"_s, token.prefix},
                                {u"scopes"_s, toJsonArray(token.scopes)},
                                {u"expires_at"_s, dateJson(token.expiresAt)},
                                {u"state"_s, state},
                                {u"revoked"_s, token.revoked},
                                {u"last_used_at"_s, timeJson(token.lastUsedAt)},
                                {u"created_at"_s, timeJson(token.createdAt)}});
    }
    return command.printTable({u"ID"_s,
                               u"USER"_s,
                               u"NAME"_s,
                               u"PREFIX"_s,
                               u"SCOPES"_s,
                               u"EXPIRES"_s,
                               u"STATE"_s,
                               u"LAST_USED"_s},
                              rows,
                              json);
}

int tokenRevoke(Command &command)
{
    if (!command.parse(1)) {
        return command.usageExit();
    }
    const std::optional<qint64> id = tokenId(command, command.positional(0));
    if (!id) {
        return Failure;
    }
    Registry *registry = command.registry();
    if (!registry) {
        return Failure;
    }
    const Result<PersonalAccessToken> token = registry->tokens().store().personalToken(*id);
    if (!token) {
        return command.fail(token.error().code == Error::Code::NotFound
                                ? Error::notFound(u"Token %1 not found"_s.arg(*id))
                                : token.error());
    }
    if (token->revoked) {
        return command.fail(Error::conflict(u"Token %1 is already revoked"_s.arg(*id)));
    }
    if (const Result<void> revoked = registry->tokens().revoke(TokenKind::Personal, *id);
        !revoked) {
        return command.fail(revoked.error());
    }
    return command.print(u"Revoked token %1 (%2)"_s.arg(*id).arg(token->name),
                         {{u"id"_s, *id}, {u"name"_s, token->name}, {u"revoked"_s, true}});
}

int deployTokenList(Command &command)
{
    command.addOption(u"group"_s, u"PATH"_s);
    command.addOption(u"project"_s, u"PATH"_s);
    if (!command.parse(0)) {
        return command.usageExit();
    }
    if (command.isSet(u"group"_s) && command.isSet(u"project"_s)) {
        command.usage(u"give at most one of --group and --project"_s);
        return Usage;
    }
    Registry *registry = command.registry();
    if (!registry) {
        return Failure;
    }
    qint64 onlyGroup = 0;
    qint64 onlyProject = 0;
    if (command.isSet(u"group"_s)) {
        const std::optional<Group> group = command.group(command.value(u"group"_s));
        if (!group) {
            return Failure;
        }
        onlyGroup = group->id;
    } else if (command.isSet(u"project"_s)) {
        const std::optional<Project> project = command.project(command.value(u"project"_s));
        if (!project) {
            return Failure;
        }
        onlyProject = project->id;
    }
    const Result<QList<DeployToken>> tokens = registry->tokens().store().deployTokens();
    if (!tokens) {
        return command.fail(tokens.error());
    }
    QList<QStringList> rows;
    QJsonArray json;
    for (const DeployToken &token : *tokens) {
        if ((onlyGroup && token.groupId != onlyGroup)
            || (onlyProject && token.projectId != onlyProject)) {
            continue;
        }
        QString owner;
        if (token.groupId) {
            const Result<Group> group = registry->namespaces().store().groupById(token.groupId);
            owner = group ? group->fullPath : QString();
        } else {
            const Result<Project> project =
                registry->namespaces().store().projectById(token.projectId);
            owner = project ? project->fullPath : QString();
        }
        const QString state = tokenState(token.revoked, token.expiresAt);
        rows.append({QString::number(token.id),
                     token.name,
                     token.username,
                     owner,
                     token.scopes.join(u','),
                     dateText(token.expiresAt),
                     state,
                     timeText(token.lastUsedAt)});
        json.append(QJsonObject{{u"id"_s, token.id},
                                {u"name"_s, token.name},
                                {u"username"_s, token.username},
                                {token.groupId ? u"group"_s : u"project"_s, owner},
                                {u"prefix"_s, token.prefix},
                                {u"scopes"_s, toJsonArray(token.scopes)},
                                {u"expires_at"_s, dateJson(token.expiresAt)},
                                {u"state"_s, state},
                                {u"revoked"_s, token.revoked},
                                {u"last_used_at"_s, timeJson(token.lastUsedAt)},
                                {u"created_at"_s, timeJson(token.createdAt)}});
    }
    return command.printTable({u"ID"_s,
                               u"NAME"_s,
                               u"USERNAME"_s,
                               u"FOR"_s,
                               u"SCOPES"_s,
                               u"EXPIRES"_s,
                               u"STATE"_s,
                               u"LAST_USED"_s},
                              rows,
                              json);
}

int deployTokenRevoke(Command &command)
{
    if (!command.parse(1)) {
        return command.usageExit();
    }
    const std::optional<qint64> id = tokenId(command, command.positional(0));
    if (!id) {
        return Failure;
    }
    Registry *registry = command.registry();
    if (!registry) {
        return Failure;
    }
    const Result<DeployToken> token = registry->tokens().store().deployToken(*id);
    if (!token) {
        return command.fail(token.error().code == Error::Code::NotFound
                                ? Error::notFound(u"Deploy token %1 not found"_s.arg(*id))
                                : token.error());
    }
    if (token->revoked) {
        return command.fail(Error::conflict(u"Deploy token %1 is already revoked"_s.arg(*id)));
    }
    if (const Result<void> revoked = registry->tokens().revoke(TokenKind::Deploy, *id); !revoked) {
        return command.fail(revoked.error());
    }
    return command.print(u"Revoked deploy token %1 (%2)"_s.arg(*id).arg(token->name),
                         {{u"id"_s, *id}, {u"name"_s, token->name}, {u"revoked"_s, true}});
}

} // namespace Cli
