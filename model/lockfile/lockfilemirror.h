// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "model/lockfile/lockfile.h"
#include "model/result.h"

#include <QHash>
#include <QJsonObject>
#include <QMap>
#include <QString>
#include <QStringList>

#include <atomic>
#include <functional>
#include <memory>

namespace Trove {

class Registry;

// What a lockfile mirror needs of the proxy's cache (server/proxy implements it with ProxyCache,
// which model/ cannot reach): fetch a name's document and some of its versions' tarballs into the
// cache, verified against the document, then find each kept tarball's file.
class MirrorFetcher
{
public:
    virtual ~MirrorFetcher() = default;

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

// `trove mirror` and a lockfile dropped on the window (docs/proxy.md, "Mirroring a lockfile"):
// every registry package the lockfiles pin is fetched into the proxy's cache and checked against
// the lockfile's integrity. One implementation for both.
namespace LockfileMirror {

struct Problem
{
    QString name;
    QString version;
    QString reason;
    QString lockfile; // for skipped entries
};

// What the lockfiles ask for, read before anything is fetched.
struct Plan
{
    struct Wanted
    {
        QStringList versions;
        QHash<QString, QString> integrity; // version -> the lockfile's integrity
    };
    QMap<QString, Wanted> wanted; // by name, in name order
    QList<Problem> skipped; // entries no registry gives (workspace, git, …)
    QStringList formats; // "package-lock.json v3", one per lockfile read
};

// Where the mirror is for: the instance (both ids 0), a project or a group.
struct Level
{
    qint64 projectId = 0;
    qint64 groupId = 0;
    QString path; // for messages
    QString describe() const;
};

struct Report
{
    struct Version
    {
        QString name;
        QString version;
    };
    QList<Version> fetched; // newly kept
    QList<Version> alreadyCached; // kept before the mirror ran
    QList<Problem> skipped;
    QList<Problem> failed; // could not be had, and why
    bool cancelled = false;

    bool ok() const { return failed.isEmpty() && !cancelled; }
    qsizetype mirroredCount() const { return fetched.size() + alreadyCached.size(); }
    // English, one line per version: what `trove mirror` prints and the window's report shows.
    QString plainText() const;
    QJsonObject json() const;
};

// Reads every lockfile; the first that cannot be read (missing, not a lockfile, an unsupported
// version) is the error, and nothing is fetched.
Result<Plan> read(const QStringList &paths);

// Invalid unless forwarding at `level` is proxy and cache: otherwise nothing would be kept.
Result<void> checkForwarding(Registry &registry, const Level &level);

// One name done: the versions now in the cache (fetched or kept before), and how many failed.
struct NameDone
{
    QString name;
    QStringList mirrored;
    qsizetype failed = 0;
};
// Called after each name is done, on the thread that called run().
using Progress = std::function<void(qsizetype done, qsizetype total, const NameDone &name)>;

// Fetches what `plan` wants into the cache with `fetcher`, a few names at a time; names published
// here and scopes that are groups here are never asked of the upstream (docs/proxy.md §2). Blocks;
// run it off the GUI thread. When `cancel` becomes true, names not yet started are not fetched
// (they are reported as cancelled). Errors are the store's.
Result<Report> run(Registry &registry,
                   const Plan &plan,
                   MirrorFetcher &fetcher,
                   const Progress &progress = {},
                   const std::atomic_bool *cancel = nullptr);

// The fetcher the window uses: server/proxy registers one backed by a ProxyCache of its own (the
// layers keep ui/ from including server/). Null when none is registered.
using FetcherFactory = std::function<std::unique_ptr<MirrorFetcher>(Registry &)>;
void setFetcherFactory(FetcherFactory factory);
std::unique_ptr<MirrorFetcher> makeFetcher(Registry &registry);

} // namespace LockfileMirror

} // namespace Trove
