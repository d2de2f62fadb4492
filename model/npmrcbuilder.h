// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>
#include <QString>
#include <QStringList>

namespace Trove {

// The client configuration for one registry endpoint: what the window's .npmrc builder shows.
// Pure text in, text out (no store, no UI), so that every line can be checked by running the
// real clients with it.
struct NpmrcRequest
{
    enum class Level { Project, Group, Instance };
    enum class TokenKind { Personal, Deploy, Job };

    QString origin; // "http://127.0.0.1:4873", with or without a trailing slash
    // With an https origin: the certificate (PEM) that clients trust for it, e.g. the registry's
    // self-signed one; empty: the system's certificate authorities. Ignored for http.
    QString caFile;
    Level level = Level::Project;
    qint64 projectId = 0; // Project level, and where `npm publish` goes at every level
    QString groupPath; // Group level: "acme" or "acme/web"
    QStringList scopes; // "acme" or "@acme"; at least one
    TokenKind tokenKind = TokenKind::Personal;
    // Also make this endpoint npm's default registry (unscoped names; forwarding).
    bool defaultRegistry = false;
    // The top-level groups: at instance level a scope finds packages only when it is one of
    // them (GitLab's naming convention).
    QStringList topLevelGroups;
};

struct NpmrcSnippets
{
    QString registryUrl; // the endpoint, ending in '/'
    QString publishUrl; // project level, ending in '/'; empty without a project
    QString tokenVariable; // NPM_TOKEN, or CI_JOB_TOKEN for job tokens
    QString npmrc; // .npmrc (npm, pnpm and yarn classic read it)
    QString npmConfigCommands; // the same as `npm config set` commands
    QString publishConfig; // the "publishConfig" member for package.json
    QString yarnBerry; // .yarnrc.yml
    QString yarnClassic; // .yarnrc
    // pnpm (10.x) ignores credentials that name an environment variable in a project's .npmrc
    // (a committed file could send them to a registry of an attacker's choosing): the scope
    // lines go in the project's .npmrc, the credentials in the user's ~/.npmrc.
    QString pnpmProjectNpmrc;
    QString pnpmUserNpmrc;
    QString pnpmWorkspace; // pnpm-workspace.yaml settings (release-age gate)
    QString ciJob; // a CI job that publishes, installs and tags with a job token
    QStringList warnings; // what will not work as chosen, in plain words
};

NpmrcSnippets buildNpmrc(const NpmrcRequest &request);

// "//host:port/path/" from "http://host:port/path/": the key npm matches credentials by.
QString nerfDart(const QString &url);

// `existing` (an .npmrc's text) with every key that `snippet` sets replaced by the snippet's
// line, and the snippet's other lines appended; comments and unrelated keys are kept in place.
QString mergeNpmrc(const QString &existing, const QString &snippet);

// One line of the merged file and what the merge did to it, for the preview before writing.
struct NpmrcMergeLine
{
    enum class Kind {
        Kept, // a line of the file the snippet does not touch, or one it sets to the same value
        Changed, // a line of the file whose key the snippet sets to another value
        Added // a line of the snippet whose key the file did not have
    };
    Kind kind = Kind::Kept;
    QString text; // the line as written
    QString previous; // Changed: the line it replaces
};
// The lines of mergeNpmrc(existing, snippet), in order, each with what happened to it.
QList<NpmrcMergeLine> mergeNpmrcLines(const QString &existing, const QString &snippet);

} // namespace Trove
