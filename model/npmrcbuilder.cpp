// SPDX-License-Identifier: GPL-3.0-or-later
#include "model/npmrcbuilder.h"

#include <QUrl>

using namespace Qt::StringLiterals;

namespace Trove {

namespace {

QString normalizedScope(QString scope)
{
    scope = scope.trimmed();
    if (scope.startsWith(u'@')) {
        scope.remove(0, 1);
    }
    return scope;
}

QString keyOf(const QString &line)
{
    const QString trimmed = line.trimmed();
    if (trimmed.isEmpty() || trimmed.startsWith(u'#') || trimmed.startsWith(u';')) {
        return {};
    }
    const qsizetype equals = trimmed.indexOf(u'=');
    return equals < 0 ? trimmed : trimmed.left(equals).trimmed();
}

bool isLoopbackHost(const QString &host)
{
    return host == u"localhost"_s || host.startsWith(u"127."_s) || host == u"::1"_s
        || host == u"[::1]"_s;
}

// The inside of a double-quoted string of .yarnrc.yml (YAML) or .yarnrc (yarn 1 reads it as a
// JSON string): backslashes and quotes escaped, which a Windows path may hold.
QString quotedEscaped(QString text)
{
    text.replace(u'\\', u"\\\\"_s);
    text.replace(u'"', u"\\\""_s);
    return text;
}

} // namespace

QString nerfDart(const QString &url)
{
    const QUrl parsed(url);
    QString path = parsed.path();
    if (!path.endsWith(u'/')) {
        path += u'/';
    }
    QString host = parsed.host();
    if (parsed.port() != -1) {
        host += u':' + QString::number(parsed.port());
    }
    return u"//"_s + host + path;
}

QList<NpmrcMergeLine> mergeNpmrcLines(const QString &existing, const QString &snippet)
{
    QList<NpmrcMergeLine> lines;
    QStringList old = existing.split(u'\n');
    if (!old.isEmpty() && old.last().isEmpty()) {
        old.removeLast();
    }
    for (const QString &line : std::as_const(old)) {
        lines.append({NpmrcMergeLine::Kind::Kept, line, {}});
    }
    QList<NpmrcMergeLine> appended;
    for (const QString &line : snippet.split(u'\n', Qt::SkipEmptyParts)) {
        const QString key = keyOf(line);
        if (key.isEmpty()) {
            continue; // the snippet's comments are for the preview, not the file
        }
        bool replaced = false;
        for (NpmrcMergeLine &merged : lines) {
            if (keyOf(merged.text) != key) {
                continue;
            }
            replaced = true;
            if (merged.text == line) {
                continue;
            }
            // Marked against the file's own line, also when an earlier snippet line with the
            // same key changed it already.
            if (merged.kind == NpmrcMergeLine::Kind::Kept) {
                merged.previous = merged.text;
                merged.kind = NpmrcMergeLine::Kind::Changed;
            }
            merged.text = line;
            if (merged.text == merged.previous) { // set back by a later line of the snippet
                merged.kind = NpmrcMergeLine::Kind::Kept;
                merged.previous.clear();
            }
        }
        if (!replaced) {
            appended.append({NpmrcMergeLine::Kind::Added, line, {}});
        }
    }
    lines += appended;
    return lines;
}

QString mergeNpmrc(const QString &existing, const QString &snippet)
{
    QStringList text;
    for (const NpmrcMergeLine &line : mergeNpmrcLines(existing, snippet)) {
        text.append(line.text);
    }
    return text.join(u'\n') + u'\n';
}

NpmrcSnippets buildNpmrc(const NpmrcRequest &request)
{
    NpmrcSnippets out;
    QString origin = request.origin.trimmed();
    while (origin.endsWith(u'/')) {
        origin.chop(1);
    }
    const QString api = origin + u"/api/v4/"_s;
    switch (request.level) {
    case NpmrcRequest::Level::Project:
        out.registryUrl = api + u"projects/%1/packages/npm/"_s.arg(request.projectId);
        break;
    case NpmrcRequest::Level::Group:
        // The group's path, URL-encoded as one segment (GitLab's :id).
        out.registryUrl = api
            + u"groups/%1/-/packages/npm/"_s.arg(
                QString::fromLatin1(QUrl::toPercentEncoding(request.groupPath)));
        break;
    case NpmrcRequest::Level::Instance:
        out.registryUrl = api + u"packages/npm/"_s;
        break;
    }
    if (request.projectId > 0) {
        out.publishUrl = api + u"projects/%1/packages/npm/"_s.arg(request.projectId);
    }
    const bool job = request.tokenKind == NpmrcRequest::TokenKind::Job;
    out.tokenVariable = job ? u"CI_JOB_TOKEN"_s : u"NPM_TOKEN"_s;
    const QString token = u"${%1}"_s.arg(out.tokenVariable);

    QStringList scopes;
    for (const QString &scope : request.scopes) {
        const QString name = normalizedScope(scope);
        if (!name.isEmpty() && !scopes.contains(name)) {
            scopes.append(name);
        }
    }
    if (scopes.isEmpty()) {
        out.warnings.append(
            u"Choose at least one scope: the lines route @scope/* packages here."_s);
    }
    if (request.level == NpmrcRequest::Level::Instance) {
        for (const QString &scope : std::as_const(scopes)) {
            if (!request.topLevelGroups.contains(scope)) {
                out.warnings.append(
                    u"@%1 is not the path of a top-level group: at instance level the registry "
                    "finds a package only when its scope is its top-level group's path."_s.arg(
                        scope));
            }
        }
    }
    if (request.tokenKind == NpmrcRequest::TokenKind::Deploy
        && request.level == NpmrcRequest::Level::Instance) {
        out.warnings.append(u"At instance level a deploy token still reads only the packages of "
                            "its own group or project."_s);
    }
    const QUrl originUrl(origin);
    const bool tls = originUrl.scheme() == u"https"_s;
    const QString caFile = tls ? request.caFile.trimmed() : QString();
    if (!tls && !isLoopbackHost(originUrl.host())) {
        out.warnings.append(u"The registry speaks plain HTTP: tokens cross the network "
                            "unencrypted. Turn on TLS in Registry Settings."_s);
    }
    if (out.publishUrl.isEmpty()) {
        out.warnings.append(u"Choose a project to publish to: packages are published only at "
                            "project level."_s);
    }

    // .npmrc: the scope routes, then the credentials. The API-wide credential also covers the
    // tarballs, which are always served at project level, and npm's check for a token of the
    // registry itself before it publishes.
    const QString registryKey = nerfDart(out.registryUrl);
    const QString apiKey = nerfDart(api);
    QStringList npmrc;
    for (const QString &scope : std::as_const(scopes)) {
        npmrc.append(u"@%1:registry=%2"_s.arg(scope, out.registryUrl));
    }
    if (request.defaultRegistry) {
        npmrc.append(u"registry=%1"_s.arg(out.registryUrl));
    }
    // The certificate npm, pnpm and yarn classic trust for https (in place of the system's
    // authorities, for every registry of this .npmrc); strict-ssl stays on, its default.
    if (!caFile.isEmpty()) {
        npmrc.append(u"cafile=%1"_s.arg(caFile));
    }
    out.pnpmProjectNpmrc = npmrc.join(u'\n') + u'\n';
    QStringList credentials{u"%1:_authToken=%2"_s.arg(registryKey, token)};
    if (apiKey != registryKey) {
        credentials.append(u"%1:_authToken=%2"_s.arg(apiKey, token));
    }
    out.pnpmUserNpmrc = credentials.join(u'\n') + u'\n';
    npmrc += credentials;
    out.npmrc = npmrc.join(u'\n') + u'\n';

    QStringList commands;
    for (const QString &line : std::as_const(npmrc)) {
        const qsizetype equals = line.indexOf(u'=');
        // Single quotes: the shell must not expand ${NPM_TOKEN}; npm does, when it reads the file.
        commands.append(u"npm config set --location=project '%1' '%2'"_s.arg(line.left(equals),
                                                                             line.mid(equals + 1)));
    }
    out.npmConfigCommands = commands.join(u'\n') + u'\n';

    if (!out.publishUrl.isEmpty()) {
        out.publishConfig =
            u"\"publishConfig\": {\n  \"registry\": \"%1\"\n}\n"_s.arg(out.publishUrl);
    }

    // Yarn berry reads only .yarnrc.yml. Its release-age gate (npmMinimalAgeGate, one day by
    // default from 4.10 on) would hide what the team published a minute ago: off for its scopes.
    QStringList yarn;
    if (originUrl.scheme() == u"http"_s) {
        yarn.append(u"unsafeHttpWhitelist:"_s);
        yarn.append(u"  - \"%1\""_s.arg(originUrl.host()));
    } else if (!caFile.isEmpty()) {
        yarn.append(u"httpsCaFilePath: \"%1\""_s.arg(quotedEscaped(caFile)));
    }
    if (request.defaultRegistry) {
        yarn.append(u"npmRegistryServer: \"%1\""_s.arg(out.registryUrl));
    }
    yarn.append(u"npmScopes:"_s);
    for (const QString &scope : std::as_const(scopes)) {
        yarn.append(u"  %1:"_s.arg(scope));
        yarn.append(u"    npmRegistryServer: \"%1\""_s.arg(out.registryUrl));
        if (!out.publishUrl.isEmpty() && out.publishUrl != out.registryUrl) {
            yarn.append(u"    npmPublishRegistry: \"%1\""_s.arg(out.publishUrl));
        }
        yarn.append(u"    npmAuthToken: \"%1\""_s.arg(token));
        yarn.append(u"    npmAlwaysAuth: true"_s);
        yarn.append(u"    npmMinimalAgeGate: 0"_s);
    }
    yarn.append(u"npmRegistries:"_s);
    yarn.append(u"  \"%1\":"_s.arg(apiKey));
    yarn.append(u"    npmAuthToken: \"%1\""_s.arg(token));
    yarn.append(u"    npmAlwaysAuth: true"_s);
    out.yarnBerry = yarn.join(u'\n') + u'\n';

    // Yarn classic takes the token from .npmrc; .yarnrc routes the scopes. It sends the token to
    // the project-level tarball URLs only with always-auth, and only when they are under its
    // registry: from group or instance level it cannot fetch private tarballs.
    QStringList classic;
    for (const QString &scope : std::as_const(scopes)) {
        classic.append(u"\"@%1:registry\" \"%2\""_s.arg(scope, out.registryUrl));
    }
    classic.append(u"always-auth true"_s);
    if (!caFile.isEmpty()) {
        classic.append(u"cafile \"%1\""_s.arg(quotedEscaped(caFile)));
    }
    out.yarnClassic = classic.join(u'\n') + u'\n';
    if (request.level != NpmrcRequest::Level::Project) {
        out.warnings.append(u"Yarn classic fetches private tarballs only from a project-level "
                            "registry; use the project level for yarn 1."_s);
    }

    // pnpm reads the registry and token from .npmrc; its release-age gate (minimumReleaseAge,
    // one day by default from pnpm 11 on) is set in pnpm-workspace.yaml.
    QStringList pnpm{u"minimumReleaseAgeExclude:"_s};
    for (const QString &scope : std::as_const(scopes)) {
        pnpm.append(u"  - \"@%1/*\""_s.arg(scope));
    }
    out.pnpmWorkspace = pnpm.join(u'\n') + u'\n';

    const QString scope = scopes.value(0, u"scope"_s);
    const QString publishKey = out.publishUrl.isEmpty() ? registryKey : nerfDart(out.publishUrl);
    out.ciJob = u"# CI jobs: the job token authenticates as the job's user, for its project.\n"
                "publish:\n"
                "  script:\n"
                "    - echo \"@%1:registry=%2\" > .npmrc\n"
                "    - echo \"%3:_authToken=${CI_JOB_TOKEN}\" >> .npmrc\n"
                "    - npm publish\n"
                "install:\n"
                "  script:\n"
                "    - echo \"@%1:registry=%4\" > .npmrc\n"
                "    - echo \"%5:_authToken=${CI_JOB_TOKEN}\" >> .npmrc\n"
                "    - npm ci\n"
                "tag:\n"
                "  script:\n"
                "    - echo \"@%1:registry=%2\" > .npmrc\n"
                "    - echo \"%3:_authToken=${CI_JOB_TOKEN}\" >> .npmrc\n"
                "    - npm dist-tag add \"@%1/<package>@${VERSION}\" stable\n"_s.arg(
                    scope,
                    out.publishUrl.isEmpty() ? out.registryUrl : out.publishUrl,
                    publishKey,
                    out.registryUrl,
                    apiKey);
    return out;
}

} // namespace Trove
