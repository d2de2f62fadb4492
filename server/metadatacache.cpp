// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/metadatacache.h"

#include "model/events.h"
#include "model/store/database.h"

#include <QCryptographicHash>
#include <QDeadlineTimer>

#include <zlib.h>

namespace Trove::Http {

namespace {

// Hash nodes, QByteArray and QString headers, the response's header list: measured roughly, on
// the safe side.
constexpr qint64 EntryOverhead = 256;

} // namespace

qint64 MetadataCache::costOf(const QByteArray &key, const Response &response)
{
    qint64 cost = EntryOverhead + key.size() + response.body.size()
        + (response.filePath.size() + response.keptTarball.size()) * 2;
    for (const auto &[name, value] : response.headers) {
        cost += name.size() + value.size() + 32;
    }
    const Response::LogNote &log = response.log;
    cost += (log.level.size() + log.tokenKind.size() + log.tokenName.size() + log.username.size()
             + log.reason.size())
        * 2;
    return cost;
}

MetadataCache::MetadataCache(const Database &database, Events &events)
    : m_database(database)
    , m_events(events)
    , m_entries(MaxDocumentBytes)
    , m_responses(MaxResponseBytes)
{
    // Direct: the writer's thread ends the generation before its request is answered.
    const auto drop = [this] { invalidate(); };
    m_connections = {
        QObject::connect(&events, &Events::packageChanged, &events, drop, Qt::DirectConnection),
        QObject::connect(&events, &Events::namespacesChanged, &events, drop, Qt::DirectConnection),
        QObject::connect(&events, &Events::usersChanged, &events, drop, Qt::DirectConnection),
        QObject::connect(&events, &Events::settingsChanged, &events, drop, Qt::DirectConnection),
    };
}

MetadataCache::~MetadataCache()
{
    for (const QMetaObject::Connection &connection : std::as_const(m_connections)) {
        QObject::disconnect(connection);
    }
}

void MetadataCache::invalidate()
{
    ++m_generation;
    QMutexLocker lock(&m_mutex);
    m_entries.clear();
    m_responses.clear();
}

std::optional<Response> MetadataCache::findResponse(const QByteArray &key, quint64 generation)
{
    QMutexLocker lock(&m_mutex);
    const CachedResponse *cached = m_responses.object(key);
    if (!cached || cached->generation != generation || generation != m_generation
        || QDeadlineTimer::current().deadline() >= cached->expiresMs) {
        return std::nullopt;
    }
    return cached->response;
}

void MetadataCache::insertResponse(const QByteArray &key,
                                   const Response &response,
                                   quint64 generation,
                                   qint64 expiresMs)
{
    QMutexLocker lock(&m_mutex);
    if (generation != m_generation) {
        return;
    }
    // An answer larger than the whole cache is not kept (QCache refuses it).
    m_responses.insert(
        key, new CachedResponse{response, generation, expiresMs}, costOf(key, response));
}

quint64 MetadataCache::generation()
{
    const QByteArray stamp = m_database.changeStamp();
    QMutexLocker lock(&m_mutex);
    if (stamp != m_stamp || stamp == "error") {
        // Someone committed since the last look (another process included).
        m_stamp = stamp;
        ++m_generation;
        m_entries.clear();
        m_responses.clear();
    }
    return m_generation;
}

std::optional<MetadataCache::Entry> MetadataCache::find(const QString &key, quint64 generation)
{
    QMutexLocker lock(&m_mutex);
    const Entry *entry = m_entries.object(key);
    if (!entry || entry->generation != generation || generation != m_generation) {
        return std::nullopt;
    }
    return *entry;
}

MetadataCache::Entry
MetadataCache::insert(const QString &key, const QByteArray &body, quint64 generation)
{
    Entry entry;
    entry.body = body;
    entry.etag =
        '"' + QCryptographicHash::hash(body, QCryptographicHash::Sha1).toHex().left(32) + '"';
    entry.generation = generation;
    if (generation != m_generation) {
        // A write happened while this document was rendered: serve it once, keep nothing.
        return entry;
    }
    QMutexLocker lock(&m_mutex);
    m_entries.insert(key, new Entry(entry), EntryOverhead + key.size() * 2 + body.size());
    return entry;
}

QByteArray MetadataCache::gzipOf(const QString &key, const Entry &entry)
{
    if (!entry.gzip.isEmpty()) {
        return entry.gzip;
    }
    const QByteArray compressed = gzip(entry.body);
    QMutexLocker lock(&m_mutex);
    const Entry *cached = m_entries.object(key);
    if (cached && cached->generation == entry.generation) {
        // Inserted again for its new cost.
        Entry *updated = new Entry(*cached);
        updated->gzip = compressed;
        m_entries.insert(key,
                         updated,
                         EntryOverhead + key.size() * 2 + updated->body.size() + compressed.size());
    }
    return compressed;
}

QByteArray MetadataCache::gzip(const QByteArray &data)
{
    // Qt's qCompress() writes a zlib stream, not gzip: use zlib with the gzip wrapper (16 + 15).
    z_stream stream = {};
    if (deflateInit2(&stream, Z_BEST_SPEED, Z_DEFLATED, 16 + 15, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
        return {};
    }
    QByteArray out;
    out.resize(qsizetype(deflateBound(&stream, uLong(data.size()))) + 32);
    stream.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(data.constData()));
    stream.avail_in = uInt(data.size());
    stream.next_out = reinterpret_cast<Bytef *>(out.data());
    stream.avail_out = uInt(out.size());
    const int status = deflate(&stream, Z_FINISH);
    const qsizetype written = qsizetype(stream.total_out);
    deflateEnd(&stream);
    if (status != Z_STREAM_END) {
        return {};
    }
    out.resize(written);
    return out;
}

} // namespace Trove::Http
