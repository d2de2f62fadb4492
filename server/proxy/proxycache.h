// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "model/result.h"
#include "server/proxy/upstream.h"

#include <QByteArray>
#include <QHash>
#include <QMap>
#include <QMutex>
#include <QString>
#include <QStringList>

#include <functional>
#include <memory>
#include <optional>

namespace Trove {
class MirrorFetcher;
class Registry;
} // namespace Trove

namespace Trove::Http {

// The proxy's cache of the upstream (docs/proxy.md): package documents and tarballs fetched from
// the upstream of forwarding, kept in the store (ProxyStore, BlobStore) and answered from there.
// Thread-safe: the npm handler calls it from every worker thread. Fetches run on the Upstream's
// thread; their callbacks are called there.
class ProxyCache final
{
public:
    struct Config
    {
        // Negative: the setting proxy_max_age (SettingsService::proxyMaxAgeSeconds).
        int maxAgeSeconds = -1;
        Upstream::Config upstream;
    };

    // How long an upstream 404 is kept (docs/proxy.md §4).
    static constexpr int NotFoundMaxAgeSeconds = 30;

    ProxyCache(Registry &registry, Config config);
    ~ProxyCache();
    ProxyCache(const ProxyCache &) = delete;
    ProxyCache &operator=(const ProxyCache &) = delete;

    struct Document
    {
        int status = 0; // 200; 404 (the upstream has no such package); 502 (none could be had)
        QByteArray body; // the upstream's document, as it sent it
        qint64 fetchedAtMs = 0; // identifies this copy of the document
        qint64 freshForMs = 0; // how much longer it is fresh; 0: stale, or nothing kept
        QString reason; // for the request log: "from the cache", "stale: upstream unreachable", …
    };
    struct Tarball
    {
        int status = 0; // 200; 404; 502 (unreachable, integrity mismatch, too large)
        QString path; // the blob, with status 200
        QString sha512;
        QString reason;
    };

    // The kept document while it is fresh, without asking anyone; nullopt: fetchDocument().
    std::optional<Document> freshDocument(const QString &name);
    // Asks the upstream (with If-None-Match when a document is kept). Concurrent calls for a
    // name share one fetch. `done` is called once, on the upstream's thread (or at once on the
    // caller's when the document became fresh meanwhile).
    void fetchDocument(const QString &name, std::function<void(const Document &)> done);

    // The kept tarball of a version; nullopt: fetchTarball().
    std::optional<Tarball> keptTarball(const QString &name, const QString &version);
    // An answer with the kept blob `sha512` at `path` is about to be given again from memory
    // (the response cache): counts the hit and the use, unless the blob is gone (evicted,
    // cleared, swept), in which case it returns false and the answer must be computed anew.
    bool reuseKeptTarball(const QString &sha512, const QString &path);
    // Fetches the version's tarball from the URL in the kept document (fetching the document
    // first when none is kept), checks it against dist.integrity (sha512) or dist.shasum, keeps
    // it, and evicts the least recently used tarballs past the size cap. Single flight per
    // version; `done` as with fetchDocument.
    void fetchTarball(const QString &name,
                      const QString &version,
                      std::function<void(const Tarball &)> done);

    // What a prefetch could not have (docs/proxy.md §8).
    struct PrefetchReport
    {
        QString name;
        QString documentError; // set: nothing was fetched
        QStringList kept; // versions whose tarballs are now in the cache
        QMap<QString, QString> failed; // version -> why
        bool ok() const { return documentError.isEmpty() && failed.isEmpty(); }
    };
    // For `trove mirror` (lockfiles): fetches the document of `name` and the tarballs of
    // `versions` into the cache, verifying each, as if a client had asked for them. `done` is
    // called once with the report, on the upstream's thread.
    void prefetch(const QString &name,
                  const QStringList &versions,
                  std::function<void(const PrefetchReport &)> done);
    // The same, waiting for the report. Call it from a thread that is not the upstream's (the
    // command line's main thread, a QThreadPool thread).
    PrefetchReport prefetchAndWait(const QString &name, const QStringList &versions);

    // Removes the kept document and tarballs of `name`, or everything with an empty name, and
    // the blobs no published package refers to. Returns how many tarballs went.
    Result<int> clear(const QString &name);

    // Writes the access times and answer counts kept in memory (also every 30 s and at the end).
    void flush();

    Upstream &upstream() { return m_upstream; }

private:
    Result<QUrl> upstreamBase() const;
    int maxAgeSeconds() const;
    Document settleDocument(const QString &name, const Upstream::Reply &reply);
    void fetchTarballWith(const QString &name, const QString &version, const Document &document);
    Tarball settleTarball(const QString &name,
                          const QString &version,
                          const QString &sourceUrl,
                          const QByteArray &integrity,
                          const QByteArray &shasum,
                          const Upstream::Reply &reply);
    void finishTarball(const QString &key, const Tarball &tarball);
    void evict();
    void countHit();
    void countMiss();

    Registry &m_registry;
    const Config m_config;
    QMutex m_mutex;
    QHash<QString, QList<std::function<void(const Document &)>>> m_documentFlights;
    QHash<QString, QList<std::function<void(const Tarball &)>>> m_tarballFlights;
    QHash<QString, qint64> m_tarballAccess; // sha512 -> ms
    QHash<QString, qint64> m_documentAccess; // name -> ms
    qint64 m_hits = 0;
    qint64 m_misses = 0;
    // Last: stopped first, so that no callback on its thread meets a member already gone.
    Upstream m_upstream;
};

// A lockfile mirror's fetcher backed by a ProxyCache of its own (`trove mirror`, and the window's
// lockfile drop through LockfileMirror::makeFetcher, which this file registers).
std::unique_ptr<MirrorFetcher> makeMirrorFetcher(Registry &registry);

} // namespace Trove::Http
