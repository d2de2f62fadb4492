// SPDX-License-Identifier: GPL-3.0-or-later
#include "model/lockfile/lockfilemirror.h"

#include "model/registry.h"
#include "model/services/namespaceservice.h"
#include "model/services/packageservice.h"
#include "model/services/settingsservice.h"
#include "model/store/namespacestore.h"
#include "model/store/packagestore.h"
#include "model/store/proxystore.h"

#include <QCryptographicHash>
#include <QFile>
#include <QJsonArray>
#include <QMutex>
#include <QSemaphore>
#include <QThreadPool>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace Trove::LockfileMirror {

namespace {

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

struct Outcome
{
    QString name;
    QStringList mirrored;
    QStringList alreadyCached;
    QList<Problem> failed;
};

// Function statics: server/proxy registers its factory while statics are being initialised.
QMutex &factoryMutex()
{
    static QMutex mutex;
    return mutex;
}
FetcherFactory &factory()
{
    static FetcherFactory instance;
    return instance;
}

QString versionLine(const Report::Version &version)
{
    return u"  %1@%2"_s.arg(version.name, version.version);
}

QString problemLine(const Problem &problem)
{
    return u"  %1@%2: %3"_s.arg(problem.name, problem.version, problem.reason);
}

} // namespace

QString Level::describe() const
{
    if (projectId != 0) {
        return u"project "_s + path;
    }
    if (groupId != 0) {
        return u"group "_s + path;
    }
    return u"the instance"_s;
}

QString Report::plainText() const
{
    QString plain = u"Mirrored %1 of %2 package versions into the cache."_s.arg(mirroredCount())
                        .arg(mirroredCount() + failed.size());
    if (cancelled) {
        plain += u"\nCancelled: the names not yet started were not fetched."_s;
    }
    const auto section = [&plain](const QString &title, const QStringList &lines) {
        if (!lines.isEmpty()) {
            plain += u"\n%1 (%2):\n"_s.arg(title).arg(lines.size()) + lines.join(u'\n');
        }
    };
    // What went wrong first; then what is in the cache now.
    QStringList lines;
    for (const Problem &problem : skipped) {
        lines << problemLine(problem);
    }
    section(u"Skipped"_s, lines);
    lines.clear();
    for (const Problem &problem : failed) {
        lines << problemLine(problem);
    }
    section(u"Could not be had"_s, lines);
    lines.clear();
    for (const Version &version : fetched) {
        lines << versionLine(version);
    }
    section(u"Fetched"_s, lines);
    lines.clear();
    for (const Version &version : alreadyCached) {
        lines << versionLine(version);
    }
    section(u"Already cached"_s, lines);
    return plain;
}

QJsonObject Report::json() const
{
    QJsonArray mirroredJson;
    for (const QList<Version> *list : {&fetched, &alreadyCached}) {
        for (const Version &version : *list) {
            mirroredJson.append(QJsonObject{{u"name"_s, version.name},
                                            {u"version"_s, version.version},
                                            {u"alreadyCached"_s, list == &alreadyCached}});
        }
    }
    const auto problems = [](const QList<Problem> &list) {
        QJsonArray array;
        for (const Problem &problem : list) {
            QJsonObject object{{u"name"_s, problem.name},
                               {u"version"_s, problem.version},
                               {u"reason"_s, problem.reason}};
            if (!problem.lockfile.isEmpty()) {
                object.insert(u"lockfile"_s, problem.lockfile);
            }
            array.append(object);
        }
        return array;
    };
    return QJsonObject{{u"mirrored"_s, mirroredJson},
                       {u"skipped"_s, problems(skipped)},
                       {u"failed"_s, problems(failed)},
                       {u"cancelled"_s, cancelled}};
}

Result<Plan> read(const QStringList &paths)
{
    Plan plan;
    for (const QString &path : paths) {
        const Result<Lockfile> lockfile = Lockfiles::read(path);
        if (!lockfile) {
            return lockfile.error();
        }
        plan.formats << Lockfiles::formatName(lockfile->format);
        for (const LockfileEntry &entry : lockfile->entries) {
            if (entry.skipped()) {
                plan.skipped.append({entry.name, entry.version, entry.skipReason, path});
                continue;
            }
            Plan::Wanted &name = plan.wanted[entry.name];
            if (!name.versions.contains(entry.version)) {
                name.versions.append(entry.version);
            }
            if (!entry.integrity.isEmpty()) {
                name.integrity.insert(entry.version, entry.integrity);
            }
        }
    }
    return plan;
}

Result<void> checkForwarding(Registry &registry, const Level &level)
{
    using Mode = SettingsService::ForwardingMode;
    Result<Mode> mode = Mode::Off;
    if (level.projectId != 0) {
        const Result<Project> project =
            NamespaceStore(registry.database()).projectById(level.projectId);
        if (!project) {
            return project.error();
        }
        mode = registry.settings().forwardingModeForProject(*project);
    } else if (level.groupId != 0) {
        mode = registry.settings().forwardingModeForGroup(level.groupId);
    } else {
        mode = registry.settings().instanceForwardingMode();
    }
    if (!mode) {
        return mode.error();
    }
    if (*mode != Mode::Proxy) {
        return Error{Error::Code::Invalid,
                     u"forwarding at %1 is '%2', not 'proxy': nothing would be kept "
                     "(trove forwarding set proxy%3)"_s.arg(
                         level.describe(),
                         SettingsService::forwardingModeName(*mode),
                         level.groupId != 0 ? u" --group "_s + level.path : QString())};
    }
    return {};
}

Result<Report> run(Registry &registry,
                   const Plan &plan,
                   MirrorFetcher &fetcher,
                   const Progress &progress,
                   const std::atomic_bool *cancel)
{
    Report report;
    report.skipped = plan.skipped;
    QList<Outcome> outcomes;
    QStringList names;
    const ProxyStore cache(registry.database());
    // Local names always win (docs/proxy.md §2): what is published here is never proxied, and
    // a scope that is a top-level group here is never asked of the upstream.
    for (auto it = plan.wanted.cbegin(); it != plan.wanted.cend(); ++it) {
        const QString &name = it.key();
        const Result<QList<Package>> local = registry.packages().store().packagesNamed(name);
        if (!local) {
            return local.error();
        }
        if (!local->isEmpty()) {
            // Served from here; a version that is not here cannot be had at all.
            Outcome outcome{name, {}, {}, {}};
            for (const QString &version : it->versions) {
                const bool here =
                    std::any_of(local->cbegin(), local->cend(), [&version](const Package &package) {
                        return package.version == version;
                    });
                if (here) {
                    report.skipped.append(
                        {name, version, u"published here (never proxied)"_s, QString()});
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
            if (registry.namespaces().findGroup(scope)) {
                Outcome outcome{name, {}, {}, {}};
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

    const qsizetype total = names.size();
    QThreadPool pool;
    // A few names at a time: the upstream's single flight and time-outs stay meaningful.
    pool.setMaxThreadCount(4);
    QMutex mutex;
    QSemaphore ready;
    QList<Outcome> finished;
    for (const QString &name : std::as_const(names)) {
        const Plan::Wanted entry = plan.wanted.value(name);
        // Which versions were kept before: the report tells them from the newly fetched.
        QStringList keptBefore;
        for (const QString &version : entry.versions) {
            const Result<std::optional<ProxyStore::Tarball>> kept = cache.tarball(name, version);
            if (kept && *kept) {
                keptBefore << version;
            }
        }
        pool.start([&fetcher, &mutex, &ready, &finished, cancel, name, entry, keptBefore] {
            Outcome outcome{name, {}, {}, {}};
            if (cancel && cancel->load()) {
                for (const QString &version : entry.versions) {
                    outcome.failed.append({name, version, u"cancelled"_s, {}});
                }
            } else {
                const MirrorFetcher::Fetched fetched = fetcher.fetch(name, entry.versions);
                for (const QString &version : entry.versions) {
                    QString error;
                    if (!fetched.documentError.isEmpty()) {
                        error = fetched.documentError;
                    } else if (fetched.failed.contains(version)) {
                        error = fetched.failed.value(version);
                    } else if (!fetched.kept.contains(version)) {
                        error = u"not fetched"_s;
                    } else if (const QString integrity = entry.integrity.value(version);
                               !integrity.isEmpty()) {
                        error = checkIntegrity(fetcher.tarballPath(name, version), integrity);
                    }
                    // No integrity in the lockfile (yarn berry's): the cache checked the
                    // tarball against the upstream document's.
                    if (!error.isEmpty()) {
                        outcome.failed.append({name, version, error, {}});
                    } else if (keptBefore.contains(version)) {
                        outcome.alreadyCached.append(version);
                    } else {
                        outcome.mirrored.append(version);
                    }
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
        if (progress) {
            progress(done,
                     total,
                     NameDone{outcome.name,
                              outcome.alreadyCached + outcome.mirrored,
                              outcome.failed.size()});
        }
        outcomes.append(outcome);
    }
    pool.waitForDone();
    report.cancelled = cancel && cancel->load();

    std::sort(outcomes.begin(), outcomes.end(), [](const Outcome &a, const Outcome &b) {
        return a.name < b.name;
    });
    for (const Outcome &outcome : std::as_const(outcomes)) {
        for (const QString &version : outcome.mirrored) {
            report.fetched.append({outcome.name, version});
        }
        for (const QString &version : outcome.alreadyCached) {
            report.alreadyCached.append({outcome.name, version});
        }
        report.failed.append(outcome.failed);
    }
    return report;
}

void setFetcherFactory(FetcherFactory fetcherFactory)
{
    const QMutexLocker lock(&factoryMutex());
    factory() = std::move(fetcherFactory);
}

std::unique_ptr<MirrorFetcher> makeFetcher(Registry &registry)
{
    FetcherFactory make;
    {
        const QMutexLocker lock(&factoryMutex());
        make = factory();
    }
    return make ? make(registry) : nullptr;
}

} // namespace Trove::LockfileMirror
