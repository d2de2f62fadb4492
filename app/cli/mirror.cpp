// SPDX-License-Identifier: GPL-3.0-or-later
// trove mirror LOCKFILE… [--project PATH | --group PATH]: fills the proxy's cache with every
// registry package a lockfile pins, so that the project installs with the upstream gone
// (docs/proxy.md, "Mirroring a lockfile").

#include "app/cli/command.h"
#include "app/cli/verbs.h"

#include "model/lockfile/lockfile.h"
#include "model/services/namespaceservice.h"
#include "model/services/packageservice.h"
#include "model/services/settingsservice.h"
#include "model/store/packagestore.h"
#include "server/proxy/proxycache.h"

#include <QCryptographicHash>
#include <QFile>
#include <QHash>
#include <QMap>
#include <QMutex>
#include <QSemaphore>
#include <QTextStream>
#include <QThreadPool>

#include <algorithm>
#include <limits>
#include <memory>

using namespace Qt::StringLiterals;

namespace Cli {

namespace {

// What the mirror needs of the proxy's cache: fetch a name's document and some of its versions'
// tarballs into the cache (verified against the document), then find each kept tarball's file.
class PackageFetcher
{
public:
    virtual ~PackageFetcher() = default;

    struct Fetched
    {
        QString documentError; // set: nothing of the name could be had
        QStringList kept;
        QMap<QString, QString> failed; // version -> why
    };
    // Blocks until done; called from several threads at once.
    virtual Fetched fetch(const QString &name, const QStringList &versions) = 0;
    // The kept tarball of a version, empty if none.
    virtual QString tarballPath(const QString &name, const QString &version) = 0;
};

class ProxyCacheFetcher final : public PackageFetcher
{
public:
    explicit ProxyCacheFetcher(Trove::Registry &registry)
        : m_cache(registry, Trove::Http::ProxyCache::Config())
    {
    }
    ~ProxyCacheFetcher() override { m_cache.flush(); }

    Fetched fetch(const QString &name, const QStringList &versions) override
    {
        const Trove::Http::ProxyCache::PrefetchReport report =
            m_cache.prefetchAndWait(name, versions);
        return {report.documentError, report.kept, report.failed};
    }

    QString tarballPath(const QString &name, const QString &version) override
    {
        const std::optional<Trove::Http::ProxyCache::Tarball> kept =
            m_cache.keptTarball(name, version);
        return kept && kept->status == 200 ? kept->path : QString();
    }

private:
    Trove::Http::ProxyCache m_cache;
};

// Checks the file against the lockfile's integrity, with its strongest algorithm (npm's rule);
// the error, or empty when it matches.
QString checkIntegrity(const QString &path, const QString &integrity)
{
    static const QList<std::pair<QString, QCryptographicHash::Algorithm>> algorithms = {
        {u"sha512"_s, QCryptographicHash::Sha512},
        {u"sha384"_s, QCryptographicHash::Sha384},
        {u"sha256"_s, QCryptographicHash::Sha256},
        {u"sha1"_s, QCryptographicHash::Sha1},
    };
    const QStringList hashes = integrity.split(u' ', Qt::SkipEmptyParts);
    for (const auto &[prefix, algorithm] : algorithms) {
        QStringList expected;
        for (const QString &hash : hashes) {
            if (hash.startsWith(prefix + u'-')) {
                expected << hash.mid(prefix.size() + 1).section(u'?', 0, 0);
            }
        }
        if (expected.isEmpty()) {
            continue;
        }
        QFile file(path);
        QCryptographicHash digest(algorithm);
        if (!file.open(QIODevice::ReadOnly) || !digest.addData(&file)) {
            return u"the kept tarball cannot be read: "_s + file.errorString();
        }
        const QString actual = QString::fromLatin1(digest.result().toBase64());
        if (!expected.contains(actual)) {
            return u"the upstream's tarball is not the one locked (%1-%2, the lockfile has %3)"_s
                .arg(prefix, actual, integrity);
        }
        return {};
    }
    return u"no known hash in the lockfile's integrity %1"_s.arg(integrity);
}

struct Problem
{
    QString name;
    QString version;
    QString reason;
    QString lockfile; // for skipped entries
};

struct Outcome
{
    QString name;
    QStringList mirrored;
    QList<Problem> failed;
};

// The forwarding mode in force where the mirror is for; nullopt after printing why.
std::optional<Trove::SettingsService::ForwardingMode>
forwardingMode(Command &command, Trove::Registry &registry, QString &level)
{
    using Mode = Trove::SettingsService::ForwardingMode;
    Trove::Result<Mode> mode = Mode::Off;
    if (command.isSet(u"project"_s)) {
        const std::optional<Trove::Project> project = command.project(command.value(u"project"_s));
        if (!project) {
            return std::nullopt;
        }
        level = u"project "_s + command.value(u"project"_s);
        mode = registry.settings().forwardingModeForProject(*project);
    } else if (command.isSet(u"group"_s)) {
        const std::optional<Trove::Group> group = command.group(command.value(u"group"_s));
        if (!group) {
            return std::nullopt;
        }
        level = u"group "_s + command.value(u"group"_s);
        mode = registry.settings().forwardingModeForGroup(group->id);
    } else {
        level = u"the instance"_s;
        mode = registry.settings().instanceForwardingMode();
    }
    if (!mode) {
        command.fail(mode.error());
        return std::nullopt;
    }
    return *mode;
}

} // namespace

int mirror(Command &command)
{
    command.addOption(u"project"_s, u"PATH"_s);
    command.addOption(u"group"_s, u"PATH"_s);
    if (!command.parse(0, std::numeric_limits<int>::max())) {
        return command.usageExit();
    }
    if (command.positionalCount() == 0) {
        command.usage(u"name at least one lockfile"_s);
        return command.usageExit();
    }
    if (command.isSet(u"project"_s) && command.isSet(u"group"_s)) {
        command.usage(u"give --project or --group, not both"_s);
        return command.usageExit();
    }

    // Every lockfile is read before anything is fetched: a bad one stops the run at once.
    struct Wanted
    {
        QStringList versions;
        QHash<QString, QString> integrity; // version -> the lockfile's integrity
    };
    QMap<QString, Wanted> wanted; // by name, in name order
    QList<Problem> skipped;
    for (qsizetype i = 0; i < command.positionalCount(); ++i) {
        const QString path = command.positional(i);
        const Trove::Result<Trove::Lockfile> lockfile = Trove::Lockfiles::read(path);
        if (!lockfile) {
            return command.fail(lockfile.error());
        }
        for (const Trove::LockfileEntry &entry : lockfile->entries) {
            if (entry.skipped()) {
                skipped.append({entry.name, entry.version, entry.skipReason, path});
                continue;
            }
            Wanted &name = wanted[entry.name];
            if (!name.versions.contains(entry.version)) {
                name.versions.append(entry.version);
            }
            if (!entry.integrity.isEmpty()) {
                name.integrity.insert(entry.version, entry.integrity);
            }
        }
    }

    Trove::Registry *registry = command.registry();
    if (!registry) {
        return Failure;
    }
    QString level;
    const std::optional<Trove::SettingsService::ForwardingMode> mode =
        forwardingMode(command, *registry, level);
    if (!mode) {
        return Failure;
    }
    if (*mode != Trove::SettingsService::ForwardingMode::Proxy) {
        return command.fail(u"forwarding at %1 is '%2', not 'proxy': nothing would be kept "
                            "(trove forwarding set proxy%3)"_s.arg(
                                level,
                                Trove::SettingsService::forwardingModeName(*mode),
                                command.isSet(u"group"_s)
                                    ? u" --group "_s + command.value(u"group"_s)
                                    : QString()));
    }

    // Local names always win (docs/proxy.md §2): what is published here is never proxied, and
    // a scope that is a top-level group here is never asked of the upstream.
    QList<Outcome> outcomes;
    QStringList names;
    for (auto it = wanted.cbegin(); it != wanted.cend(); ++it) {
        const QString &name = it.key();
        const Trove::Result<QList<Trove::Package>> local =
            registry->packages().store().packagesNamed(name);
        if (!local) {
            return command.fail(local.error());
        }
        if (!local->isEmpty()) {
            // Served from here; a version that is not here cannot be had at all.
            Outcome outcome{name, {}, {}};
            for (const QString &version : it->versions) {
                const bool here = std::any_of(
                    local->cbegin(), local->cend(), [&version](const Trove::Package &package) {
                        return package.version == version;
                    });
                if (here) {
                    skipped.append({name, version, u"published here (never proxied)"_s, QString()});
                } else {
                    outcome.failed.append({name,
                                           version,
                                           u"the name is published here, but not this version "
                                           "(names published here are never proxied)"_s,
                                           QString()});
                }
            }
            if (!outcome.failed.isEmpty()) {
                outcomes.append(outcome);
            }
            continue;
        }
        if (name.startsWith(u'@')) {
            const QString scope = name.mid(1).section(u'/', 0, 0);
            if (registry->namespaces().findGroup(scope)) {
                Outcome outcome{name, {}, {}};
                for (const QString &version : it->versions) {
                    outcome.failed.append(
                        {name,
                         version,
                         u"the scope @%1 is a group here, so it is never proxied"_s.arg(scope),
                         QString()});
                }
                outcomes.append(outcome);
                continue;
            }
        }
        names.append(name);
    }

    QTextStream progress(stderr);
    const qsizetype total = names.size();
    ProxyCacheFetcher fetcher(*registry);
    QThreadPool pool;
    // A few names at a time: the upstream's single flight and time-outs stay meaningful.
    pool.setMaxThreadCount(4);
    QMutex mutex;
    QSemaphore ready;
    QList<Outcome> finished;
    for (const QString &name : std::as_const(names)) {
        const Wanted entry = wanted.value(name);
        pool.start([&fetcher, &mutex, &ready, &finished, name, entry] {
            const PackageFetcher::Fetched fetched = fetcher.fetch(name, entry.versions);
            Outcome outcome{name, {}, {}};
            for (const QString &version : entry.versions) {
                if (!fetched.documentError.isEmpty()) {
                    outcome.failed.append({name, version, fetched.documentError, {}});
                } else if (fetched.failed.contains(version)) {
                    outcome.failed.append({name, version, fetched.failed.value(version), {}});
                } else if (!fetched.kept.contains(version)) {
                    outcome.failed.append({name, version, u"not fetched"_s, {}});
                } else if (const QString integrity = entry.integrity.value(version);
                           !integrity.isEmpty()) {
                    const QString error =
                        checkIntegrity(fetcher.tarballPath(name, version), integrity);
                    if (error.isEmpty()) {
                        outcome.mirrored.append(version);
                    } else {
                        outcome.failed.append({name, version, error, {}});
                    }
                } else {
                    // No integrity in the lockfile (yarn berry's): the cache checked the
                    // tarball against the upstream document's.
                    outcome.mirrored.append(version);
                }
            }
            {
                const QMutexLocker lock(&mutex);
                finished.append(outcome);
            }
            ready.release();
        });
    }
    for (qsizetype done = 1; done <= total; ++done) {
        ready.acquire();
        Outcome outcome;
        {
            const QMutexLocker lock(&mutex);
            outcome = finished.takeFirst();
        }
        QString line = u"[%1/%2] %3"_s.arg(done).arg(total).arg(outcome.name);
        if (!outcome.mirrored.isEmpty()) {
            line += u" "_s + outcome.mirrored.join(u", "_s);
        }
        if (!outcome.failed.isEmpty()) {
            line += u" (%1 failed)"_s.arg(outcome.failed.size());
        }
        progress << line << '\n';
        progress.flush();
        outcomes.append(outcome);
    }
    pool.waitForDone();

    std::sort(outcomes.begin(), outcomes.end(), [](const Outcome &a, const Outcome &b) {
        return a.name < b.name;
    });
    QJsonArray mirroredJson;
    QJsonArray failedJson;
    QJsonArray skippedJson;
    QStringList failedLines;
    qsizetype mirroredCount = 0;
    for (const Outcome &outcome : std::as_const(outcomes)) {
        for (const QString &version : outcome.mirrored) {
            mirroredJson.append(QJsonObject{{u"name"_s, outcome.name}, {u"version"_s, version}});
            ++mirroredCount;
        }
        for (const Problem &problem : outcome.failed) {
            failedJson.append(QJsonObject{{u"name"_s, problem.name},
                                          {u"version"_s, problem.version},
                                          {u"reason"_s, problem.reason}});
            failedLines << u"  %1@%2: %3"_s.arg(problem.name, problem.version, problem.reason);
        }
    }
    QStringList skippedLines;
    for (const Problem &problem : std::as_const(skipped)) {
        QJsonObject object{{u"name"_s, problem.name},
                           {u"version"_s, problem.version},
                           {u"reason"_s, problem.reason}};
        if (!problem.lockfile.isEmpty()) {
            object.insert(u"lockfile"_s, problem.lockfile);
        }
        skippedJson.append(object);
        skippedLines << u"  %1@%2: %3"_s.arg(problem.name, problem.version, problem.reason);
    }

    QString plain = u"Mirrored %1 of %2 package versions into the cache."_s.arg(mirroredCount)
                        .arg(mirroredCount + failedLines.size());
    if (!skippedLines.isEmpty()) {
        plain += u"\nSkipped (%1):\n"_s.arg(skippedLines.size()) + skippedLines.join(u'\n');
    }
    if (!failedLines.isEmpty()) {
        plain += u"\nCould not be had (%1):\n"_s.arg(failedLines.size()) + failedLines.join(u'\n');
    }
    command.print(plain,
                  QJsonObject{{u"mirrored"_s, mirroredJson},
                              {u"skipped"_s, skippedJson},
                              {u"failed"_s, failedJson}});
    return failedLines.isEmpty() ? Success : Failure;
}

} // namespace Cli
