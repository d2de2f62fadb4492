// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/proxy/proxycache.h"

#include "model/lockfile/lockfilemirror.h"
#include "model/npm/publishbody.h"
#include "model/registry.h"
#include "model/serverstatus.h"
#include "model/store/proxystore.h"
#include "server/serverlogging.h"

#include <QDateTime>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSemaphore>
#include <QTimer>

using namespace Qt::StringLiterals;

namespace Trove::Http {

namespace {

constexpr int FlushIntervalMs = 30 * 1000;

qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

// npm's form of a name in a URL: "@scope%2fname".
QString encodedName(const QString &name)
{
    QString encoded = name;
    encoded.replace(u'/', u"%2f"_s);
    return encoded;
}

ProxyCache::Document fromKept(const ProxyStore::Document &kept, const QString &reason)
{
    ProxyCache::Document document;
    document.status = kept.status;
    document.body = kept.body;
    document.fetchedAtMs = kept.fetchedAt.toMSecsSinceEpoch();
    document.reason = reason;
    return document;
}

// "sha512-<base64>" among the space-separated hashes of an SRI string; empty when none.
QByteArray sha512OfIntegrity(const QByteArray &integrity)
{
    for (const QByteArray &part : integrity.split(' ')) {
        if (part.startsWith("sha512-")) {
            return QByteArray::fromBase64(part.mid(7)).toHex();
        }
    }
    return {};
}

class ProxyCacheFetcher final : public MirrorFetcher
{
public:
    explicit ProxyCacheFetcher(Registry &registry)
        : m_cache(registry, ProxyCache::Config())
    {
    }
    ~ProxyCacheFetcher() override { m_cache.flush(); }

    Fetched fetch(const QString &name, const QStringList &versions) override
    {
        const ProxyCache::PrefetchReport report = m_cache.prefetchAndWait(name, versions);
        return {report.documentError, report.kept, report.failed};
    }

    QString tarballPath(const QString &name, const QString &version) override
    {
        const std::optional<ProxyCache::Tarball> kept = m_cache.keptTarball(name, version);
        return kept && kept->status == 200 ? kept->path : QString();
    }

private:
    ProxyCache m_cache;
};

// The window reaches the mirror's fetcher through model/ (ui/ does not include server/).
const bool fetcherRegistered = [] {
    LockfileMirror::setFetcherFactory(&makeMirrorFetcher);
    return true;
}();

} // namespace

std::unique_ptr<MirrorFetcher> makeMirrorFetcher(Registry &registry)
{
    return std::make_unique<ProxyCacheFetcher>(registry);
}

ProxyCache::ProxyCache(Registry &registry, Config config)
    : m_registry(registry)
    , m_config(config)
    , m_upstream(config.upstream)
{
    m_upstream.post([this] {
        auto *timer = new QTimer(m_upstream.context());
        QObject::connect(timer, &QTimer::timeout, m_upstream.context(), [this] { flush(); });
        timer->start(FlushIntervalMs);
    });
}

ProxyCache::~ProxyCache()
{
    flush();
}

Result<QUrl> ProxyCache::upstreamBase() const
{
    const Result<QUrl> upstream = m_registry.settings().upstream();
    if (!upstream) {
        return upstream.error();
    }
    if (!upstream->isValid() || upstream->isEmpty()) {
        return Error::notFound(u"no upstream is set"_s);
    }
    return upstream;
}

int ProxyCache::maxAgeSeconds() const
{
    if (m_config.maxAgeSeconds >= 0) {
        return m_config.maxAgeSeconds;
    }
    const Result<int> setting = m_registry.settings().proxyMaxAgeSeconds();
    return setting ? *setting : SettingsService::DefaultProxyMaxAgeSeconds;
}

void ProxyCache::countHit()
{
    ServerStatus::countProxyAnswer(true);
    QMutexLocker lock(&m_mutex);
    ++m_hits;
}

void ProxyCache::countMiss()
{
    ServerStatus::countProxyAnswer(false);
    QMutexLocker lock(&m_mutex);
    ++m_misses;
}

std::optional<ProxyCache::Document> ProxyCache::freshDocument(const QString &name)
{
    const Result<std::optional<ProxyStore::Document>> kept =
        ProxyStore(m_registry.database()).document(name);
    if (!kept || !kept->has_value()) {
        return std::nullopt;
    }
    const ProxyStore::Document &document = **kept;
    const Result<QUrl> base = upstreamBase();
    if (!base || base->toString() != document.upstream) {
        return std::nullopt; // kept from another upstream: ask the one in force
    }
    const qint64 age = nowMs() - document.fetchedAt.toMSecsSinceEpoch();
    const qint64 maxAge =
        qint64(document.status == 200 ? maxAgeSeconds() : NotFoundMaxAgeSeconds) * 1000;
    if (age < 0 || age >= maxAge) {
        return std::nullopt;
    }
    ServerStatus::countProxyAnswer(true);
    {
        QMutexLocker lock(&m_mutex);
        ++m_hits;
        m_documentAccess.insert(name, nowMs());
    }
    Document fresh = fromKept(document,
                              document.status == 200
                                  ? u"from the cache"_s
                                  : u"from the cache: the upstream has no package of this name"_s);
    fresh.freshForMs = maxAge - age;
    return fresh;
}

void ProxyCache::fetchDocument(const QString &name, std::function<void(const Document &)> done)
{
    {
        QMutexLocker lock(&m_mutex);
        if (const auto it = m_documentFlights.find(name); it != m_documentFlights.end()) {
            it->append(std::move(done)); // single flight
            return;
        }
        m_documentFlights.insert(name, {});
    }
    // A fetch that finished between the caller's look and this one has kept the document.
    if (std::optional<Document> fresh = freshDocument(name)) {
        QList<std::function<void(const Document &)>> waiters;
        {
            QMutexLocker lock(&m_mutex);
            waiters = m_documentFlights.take(name);
        }
        done(*fresh);
        for (const auto &waiter : std::as_const(waiters)) {
            waiter(*fresh);
        }
        return;
    }
    {
        QMutexLocker lock(&m_mutex);
        m_documentFlights[name].append(std::move(done));
    }
    const auto finish = [this, name](const Document &document) {
        QList<std::function<void(const Document &)>> waiters;
        {
            QMutexLocker lock(&m_mutex);
            waiters = m_documentFlights.take(name);
        }
        for (const auto &waiter : std::as_const(waiters)) {
            waiter(document);
        }
    };
    const Result<QUrl> base = upstreamBase();
    if (!base) {
        Document none;
        none.status = 404;
        none.reason = u"proxy mode, but no upstream is set"_s;
        finish(none);
        return;
    }
    Upstream::Request request;
    request.url = QUrl(base->toString() + encodedName(name));
    const Result<std::optional<ProxyStore::Document>> kept =
        ProxyStore(m_registry.database()).document(name);
    if (kept && kept->has_value() && (*kept)->status == 200
        && (*kept)->upstream == base->toString()) {
        request.ifNoneMatch = (*kept)->etag;
    }
    m_upstream.get(request, [this, name, finish](const Upstream::Reply &reply) {
        finish(settleDocument(name, reply));
    });
}

ProxyCache::Document ProxyCache::settleDocument(const QString &name, const Upstream::Reply &reply)
{
    ProxyStore store(m_registry.database());
    const Result<QUrl> base = upstreamBase();
    const QString upstream = base ? base->toString() : QString();
    const Result<std::optional<ProxyStore::Document>> kept = store.document(name);
    const bool haveKept = kept && kept->has_value() && (*kept)->status == 200;
    const QDateTime now = QDateTime::currentDateTimeUtc();
    if (reply.status == 304 && haveKept) {
        countHit();
        if (const Result<void> touched = store.touchDocument(name, now); !touched) {
            qCWarning(lcServer).noquote() << touched.error().message;
        }
        ProxyStore::Document renewed = **kept;
        renewed.fetchedAt = now;
        Document document =
            fromKept(renewed, u"from the cache: revalidated with the upstream (304)"_s);
        document.freshForMs = qint64(maxAgeSeconds()) * 1000;
        return document;
    }
    if (reply.status == 200) {
        const QJsonDocument json = QJsonDocument::fromJson(reply.body);
        if (!json.isObject()) {
            if (haveKept) {
                countHit();
                return fromKept(**kept, u"stale: the upstream's document is not JSON"_s);
            }
            Document bad;
            bad.status = 502;
            bad.reason = u"the upstream's document of %1 is not JSON"_s.arg(name);
            return bad;
        }
        countMiss();
        ProxyStore::Document document;
        document.name = name;
        document.upstream = upstream;
        document.status = 200;
        document.etag = reply.etag;
        // Kept compact: the upstream may send it indented.
        document.body = json.toJson(QJsonDocument::Compact);
        document.fetchedAt = now;
        if (const Result<void> put = store.putDocument(document); !put) {
            qCWarning(lcServer).noquote() << put.error().message;
        }
        Document fetched = fromKept(document, u"from the upstream"_s);
        fetched.freshForMs = qint64(maxAgeSeconds()) * 1000;
        return fetched;
    }
    if (reply.status == 404 || reply.status == 410) {
        countMiss();
        ProxyStore::Document document;
        document.name = name;
        document.upstream = upstream;
        document.status = 404;
        document.fetchedAt = now;
        if (const Result<void> put = store.putDocument(document); !put) {
            qCWarning(lcServer).noquote() << put.error().message;
        }
        Document missing = fromKept(document, u"the upstream has no package of this name"_s);
        missing.freshForMs = qint64(NotFoundMaxAgeSeconds) * 1000;
        return missing;
    }
    // Unreachable, timed out, too large, 5xx, or a refusal: a kept document is answered stale.
    const QString why = reply.status == 0 ? u"upstream unreachable (%1)"_s.arg(reply.error)
                                          : u"upstream answered %1"_s.arg(reply.status);
    if (haveKept) {
        countHit();
        return fromKept(**kept, u"stale: "_s + why);
    }
    Document none;
    none.status = reply.status >= 400 && reply.status < 500 ? 404 : 502;
    none.reason = why + u", and nothing is kept for this name"_s;
    return none;
}

std::optional<ProxyCache::Tarball> ProxyCache::keptTarball(const QString &name,
                                                           const QString &version)
{
    const Result<std::optional<ProxyStore::Tarball>> kept =
        ProxyStore(m_registry.database()).tarball(name, version);
    if (!kept || !kept->has_value()) {
        return std::nullopt;
    }
    Tarball tarball;
    tarball.status = 200;
    tarball.sha512 = (*kept)->sha512;
    tarball.path = m_registry.blobs().pathOf(tarball.sha512);
    if (!reuseKeptTarball(tarball.sha512, tarball.path)) {
        // Removed behind the row's back (the orphan sweep, a hand): fetched again.
        return std::nullopt;
    }
    tarball.reason = u"from the cache"_s;
    return tarball;
}

bool ProxyCache::reuseKeptTarball(const QString &sha512, const QString &path)
{
    if (!QFile::exists(path)) {
        return false;
    }
    ServerStatus::countProxyAnswer(true);
    QMutexLocker lock(&m_mutex);
    ++m_hits;
    m_tarballAccess.insert(sha512, nowMs());
    return true;
}

void ProxyCache::fetchTarball(const QString &name,
                              const QString &version,
                              std::function<void(const Tarball &)> done)
{
    const QString key = name + u'@' + version;
    {
        QMutexLocker lock(&m_mutex);
        if (const auto it = m_tarballFlights.find(key); it != m_tarballFlights.end()) {
            it->append(std::move(done));
            return;
        }
        m_tarballFlights.insert(key, {std::move(done)});
    }
    if (std::optional<Tarball> kept = keptTarball(name, version)) {
        finishTarball(key, *kept);
        return;
    }
    const Result<std::optional<ProxyStore::Document>> kept =
        ProxyStore(m_registry.database()).document(name);
    if (kept && kept->has_value() && (*kept)->status == 200) {
        fetchTarballWith(name, version, fromKept(**kept, QString()));
        return;
    }
    fetchDocument(name, [this, name, version](const Document &document) {
        fetchTarballWith(name, version, document);
    });
}

void ProxyCache::fetchTarballWith(const QString &name,
                                  const QString &version,
                                  const Document &document)
{
    const QString key = name + u'@' + version;
    Tarball failed;
    if (document.status != 200) {
        failed.status = document.status == 404 ? 404 : 502;
        failed.reason = document.reason;
        finishTarball(key, failed);
        return;
    }
    const QJsonObject dist = QJsonDocument::fromJson(document.body)
                                 .object()
                                 .value(u"versions"_s)
                                 .toObject()
                                 .value(version)
                                 .toObject()
                                 .value(u"dist"_s)
                                 .toObject();
    const QString source = dist.value(u"tarball"_s).toString();
    const QUrl url(source);
    if (dist.isEmpty() || !url.isValid() || url.isRelative()
        || (url.scheme() != u"http"_s && url.scheme() != u"https"_s)) {
        failed.status = 404;
        failed.reason = u"the upstream's document has no tarball for version %1"_s.arg(version);
        finishTarball(key, failed);
        return;
    }
    const QByteArray integrity = dist.value(u"integrity"_s).toString().toLatin1();
    const QByteArray shasum = dist.value(u"shasum"_s).toString().toLatin1().toLower();
    const Result<QString> staging = m_registry.blobs().stagingDir();
    if (!staging) {
        failed.status = 502;
        failed.reason = staging.error().message;
        finishTarball(key, failed);
        return;
    }
    Upstream::Request request;
    request.url = url;
    request.accept = "application/octet-stream";
    request.saveDir = *staging;
    m_upstream.get(
        request,
        [this, key, name, version, source, integrity, shasum](const Upstream::Reply &reply) {
            finishTarball(key, settleTarball(name, version, source, integrity, shasum, reply));
        });
}

ProxyCache::Tarball ProxyCache::settleTarball(const QString &name,
                                              const QString &version,
                                              const QString &sourceUrl,
                                              const QByteArray &integrity,
                                              const QByteArray &shasum,
                                              const Upstream::Reply &reply)
{
    Tarball tarball;
    if (reply.status != 200 || !reply.file) {
        tarball.status = reply.status == 404 ? 404 : 502;
        tarball.reason = reply.status == 0
            ? u"upstream unreachable (%1)"_s.arg(reply.error)
            : u"the upstream answered %1 for the tarball"_s.arg(reply.status);
        return tarball;
    }
    const QByteArray wanted512 = sha512OfIntegrity(integrity);
    const bool matches = !wanted512.isEmpty() ? wanted512 == reply.sha512
        : !shasum.isEmpty()                   ? shasum == reply.sha1
                                              : false;
    if (!matches) {
        tarball.status = 502;
        tarball.reason = wanted512.isEmpty() && shasum.isEmpty()
            ? u"the upstream's document gives no integrity for %1@%2: not kept"_s.arg(name, version)
            : u"integrity mismatch: the tarball of %1@%2 from the upstream is not the one its "
              "document describes; not kept"_s.arg(name, version);
        return tarball;
    }
    const QString sha512 = QString::fromLatin1(reply.sha512);
    if (const Result<void> adopted = m_registry.blobs().adopt(*reply.file, sha512); !adopted) {
        tarball.status = 502;
        tarball.reason = adopted.error().message;
        return tarball;
    }
    ProxyStore::Tarball row;
    row.sha512 = sha512;
    row.name = name;
    row.version = version;
    row.size = reply.size;
    row.sourceUrl = sourceUrl;
    row.fetchedAt = QDateTime::currentDateTimeUtc();
    if (const Result<void> put = ProxyStore(m_registry.database()).putTarball(row); !put) {
        tarball.status = 502;
        tarball.reason = put.error().message;
        return tarball;
    }
    countMiss();
    tarball.status = 200;
    tarball.sha512 = sha512;
    tarball.path = m_registry.blobs().pathOf(sha512);
    tarball.reason = u"from the upstream"_s;
    evict();
    return tarball;
}

void ProxyCache::finishTarball(const QString &key, const Tarball &tarball)
{
    QList<std::function<void(const Tarball &)>> waiters;
    {
        QMutexLocker lock(&m_mutex);
        waiters = m_tarballFlights.take(key);
    }
    for (const auto &waiter : std::as_const(waiters)) {
        waiter(tarball);
    }
}

void ProxyCache::evict()
{
    const Result<qint64> cap = m_registry.settings().proxyCacheMaxBytes();
    ProxyStore store(m_registry.database());
    const Result<ProxyStore::Totals> totals = store.totals();
    if (!cap || !totals || totals->tarballBytes <= *cap) {
        return;
    }
    flush(); // the order of eviction reads the access times
    const Result<QList<ProxyStore::Tarball>> oldest =
        store.leastRecentlyUsed(totals->tarballBytes - *cap);
    if (!oldest) {
        return;
    }
    for (const ProxyStore::Tarball &tarball : *oldest) {
        if (!store.removeTarball(tarball.sha512)) {
            return;
        }
        const Result<bool> published = m_registry.packages().store().blobReferenced(tarball.sha512);
        if (published && !*published) {
            (void)m_registry.blobs().remove(tarball.sha512);
        }
    }
}

void ProxyCache::flush()
{
    QList<QPair<QString, QDateTime>> tarballs;
    QList<QPair<QString, QDateTime>> documents;
    qint64 hits = 0;
    qint64 misses = 0;
    {
        QMutexLocker lock(&m_mutex);
        for (auto it = m_tarballAccess.cbegin(); it != m_tarballAccess.cend(); ++it) {
            tarballs.append({it.key(), QDateTime::fromMSecsSinceEpoch(it.value(), Qt::UTC)});
        }
        for (auto it = m_documentAccess.cbegin(); it != m_documentAccess.cend(); ++it) {
            documents.append({it.key(), QDateTime::fromMSecsSinceEpoch(it.value(), Qt::UTC)});
        }
        m_tarballAccess.clear();
        m_documentAccess.clear();
        std::swap(hits, m_hits);
        std::swap(misses, m_misses);
    }
    ProxyStore store(m_registry.database());
    if (const Result<void> written = store.recordAccesses(tarballs, documents); !written) {
        qCWarning(lcServer).noquote() << written.error().message;
    }
    if (const Result<void> counted = store.addCounts(hits, misses); !counted) {
        qCWarning(lcServer).noquote() << counted.error().message;
    }
}

void ProxyCache::prefetch(const QString &name,
                          const QStringList &versions,
                          std::function<void(const PrefetchReport &)> done)
{
    fetchDocument(name, [this, name, versions, done](const Document &document) {
        PrefetchReport first;
        first.name = name;
        if (document.status != 200) {
            first.documentError = document.reason;
            done(first);
            return;
        }
        if (versions.isEmpty()) {
            done(first);
            return;
        }
        // The tarballs' answers come on the upstream's thread or, when kept, on this one.
        struct Progress
        {
            QMutex mutex;
            PrefetchReport report;
            qsizetype left = 0;
        };
        auto progress = std::make_shared<Progress>();
        progress->report = first;
        progress->left = versions.size();
        for (const QString &version : versions) {
            fetchTarball(name, version, [progress, version, done](const Tarball &tarball) {
                QMutexLocker lock(&progress->mutex);
                if (tarball.status == 200) {
                    progress->report.kept.append(version);
                } else {
                    progress->report.failed.insert(version, tarball.reason);
                }
                if (--progress->left == 0) {
                    const PrefetchReport report = progress->report;
                    lock.unlock();
                    done(report);
                }
            });
        }
    });
}

ProxyCache::PrefetchReport ProxyCache::prefetchAndWait(const QString &name,
                                                       const QStringList &versions)
{
    Q_ASSERT(QThread::currentThread() != m_upstream.context()->thread());
    QSemaphore ready;
    PrefetchReport result;
    prefetch(name, versions, [&ready, &result](const PrefetchReport &report) {
        result = report;
        ready.release();
    });
    ready.acquire();
    return result;
}

Result<int> ProxyCache::clear(const QString &name)
{
    const Result<QStringList> removed = ProxyStore(m_registry.database()).clear(name);
    if (!removed) {
        return removed.error();
    }
    for (const QString &sha512 : *removed) {
        const Result<bool> published = m_registry.packages().store().blobReferenced(sha512);
        if (published && !*published) {
            (void)m_registry.blobs().remove(sha512);
        }
    }
    return int(removed->size());
}

} // namespace Trove::Http
