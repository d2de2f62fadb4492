// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// The real npm clients of tests/e2e/node_modules (installed by tests/run.sh from
// tests/e2e/package-lock.json), run the same way by every test that needs one: each run reads
// only the .npmrc of its working folder plus a user config of the test's choosing, with its own
// cache, no update checks, no telemetry.

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QProcess>
#include <QString>
#include <QStringList>

namespace NpmClients {

struct Run
{
    int exitCode = -1;
    QString out;
    QString err;
    QString all() const { return out + u'\n' + err; }
};

// "npm10", "npm11", "yarn1", "yarn4" (berry) or "pnpm".
inline QString script(const QString &client)
{
    static const QHash<QString, QString> scripts = {
        {QStringLiteral("npm10"), QStringLiteral("npm10/bin/npm-cli.js")},
        {QStringLiteral("npm11"), QStringLiteral("npm11/bin/npm-cli.js")},
        {QStringLiteral("yarn1"), QStringLiteral("yarn/bin/yarn.js")},
        {QStringLiteral("yarn4"), QStringLiteral("@yarnpkg/cli-dist/bin/yarn.js")},
        {QStringLiteral("pnpm"), QStringLiteral("pnpm/bin/pnpm.cjs")},
    };
    return QStringLiteral(TROVE_SOURCE_DIR "/tests/e2e/node_modules/") + scripts.value(client);
}

inline bool writeFile(const QString &path, const QByteArray &content)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile file(path);
    return file.open(QIODevice::WriteOnly | QIODevice::Truncate)
        && file.write(content) == content.size();
}

inline QByteArray readFile(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

// Runs `client` in `workDir`. `scratch` holds HOME, the caches (numbered by `run`, which must
// differ between runs) and the empty user config used unless `userConfig` names another;
// `extra` is added to the environment last.
inline Run run(const QString &client,
               const QStringList &arguments,
               const QString &workDir,
               const QString &scratch,
               int number,
               const QProcessEnvironment &extra = {},
               const QString &userConfig = {})
{
    const QDir dir(scratch);
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    dir.mkpath(QStringLiteral("home"));
    env.insert(QStringLiteral("HOME"), dir.filePath(QStringLiteral("home")));
    const QString emptyConfig = dir.filePath(QStringLiteral("empty-npmrc"));
    if (!QFile::exists(emptyConfig)) {
        writeFile(emptyConfig, {});
    }
    env.insert(QStringLiteral("npm_config_userconfig"),
               userConfig.isEmpty() ? emptyConfig : userConfig);
    env.insert(QStringLiteral("npm_config_cache"),
               dir.filePath(QStringLiteral("cache-%1").arg(number)));
    env.insert(QStringLiteral("npm_config_update_notifier"), QStringLiteral("false"));
    env.insert(QStringLiteral("npm_config_fund"), QStringLiteral("false"));
    env.insert(QStringLiteral("npm_config_audit"), QStringLiteral("false"));
    env.insert(QStringLiteral("YARN_CACHE_FOLDER"),
               dir.filePath(QStringLiteral("yarn-cache-%1").arg(number)));
    env.insert(QStringLiteral("YARN_ENABLE_TELEMETRY"), QStringLiteral("0"));
    env.insert(QStringLiteral("YARN_ENABLE_GLOBAL_CACHE"), QStringLiteral("false"));
    env.insert(QStringLiteral("YARN_ENABLE_IMMUTABLE_INSTALLS"), QStringLiteral("false"));
    env.insert(QStringLiteral("COREPACK_ENABLE_STRICT"), QStringLiteral("0"));
    env.remove(QStringLiteral("NPM_CONFIG_USERCONFIG"));
    env.remove(QStringLiteral("npm_config_registry"));
    env.remove(QStringLiteral("NPM_TOKEN"));
    env.remove(QStringLiteral("CI_JOB_TOKEN"));
    for (const QString &key : extra.keys()) {
        env.insert(key, extra.value(key));
    }
    QProcess process;
    process.setProcessEnvironment(env);
    process.setWorkingDirectory(workDir);
    process.start(QStringLiteral("node"), QStringList{script(client)} + arguments);
    if (!process.waitForFinished(240000)) {
        process.kill();
        process.waitForFinished();
    }
    return {process.exitCode(),
            QString::fromUtf8(process.readAllStandardOutput()),
            QString::fromUtf8(process.readAllStandardError())};
}

} // namespace NpmClients
