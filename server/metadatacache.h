// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "server/httpresponse.h"

#include <QByteArray>
#include <QCache>
#include <QList>
#include <QMetaObject>
#include <QMutex>
#include <QString>

#include <atomic>
#include <optional>

namespace Trove {
class Database;
class Events;
} // namespace Trove

namespace Trove::Http {

// Rendered package documents, as bytes (plain and gzip) with an ETag, and whole answers to reads
// (packuments, dist-tags, tarballs and their refusals), shared by the worker threads. Every entry
// belongs to a generation; a write ends the generation, so nothing cached outlives a change:
// writes in this process arrive as change events, writes by other processes (the command line,
// another server) change the database's change stamp (Database::changeStamp()), checked on every
// lookup. Both caches are bounded in bytes (keys, bodies and headers counted) and drop their least
// recently used entries first.
class MetadataCache final
{
public:
    struct Entry
    {
        QByteArray body;
        QByteArray gzip; // filled on first use
        QByteArray etag;
        quint64 generation = 0;
    };

    MetadataCache(const Database &database, Events &events);
    ~MetadataCache();
    MetadataCache(const MetadataCache &) = delete;
    MetadataCache &operator=(const MetadataCache &) = delete;

    // The generation in force, after noticing writes by other connections. Take it before
    // reading the store for a document, and store the document under it.
    quint64 generation();
    std::optional<Entry> find(const QString &key, quint64 generation);
    Entry insert(const QString &key, const QByteArray &body, quint64 generation);
    // The gzip form of an entry, compressed once and kept.
    QByteArray gzipOf(const QString &key, const Entry &entry);
    void invalidate();

    // A whole answer, found by the request's key (see RequestPipeline::cached), while its generation
    // is in force and the monotonic clock (QDeadlineTimer's) has not passed `expiresMs`.
    std::optional<Response> findResponse(const QByteArray &key, quint64 generation);
    void insertResponse(const QByteArray &key,
                        const Response &response,
                        quint64 generation,
                        qint64 expiresMs);

    static QByteArray gzip(const QByteArray &data);

    // The bounds, in bytes.
    static constexpr qint64 MaxDocumentBytes = 48LL * 1024 * 1024;
    static constexpr qint64 MaxResponseBytes = 32LL * 1024 * 1024;
    // What an entry costs: its bytes plus the bookkeeping around them.
    static qint64 costOf(const QByteArray &key, const Response &response);

private:
    const Database &m_database;
    Events &m_events;
    std::atomic<quint64> m_generation{1};
    QMutex m_mutex;
    QByteArray m_stamp; // the database's change stamp when the generation began
    QCache<QString, Entry> m_entries;
    struct CachedResponse
    {
        Response response;
        quint64 generation = 0;
        qint64 expiresMs = 0;
    };
    QCache<QByteArray, CachedResponse> m_responses;
    QList<QMetaObject::Connection> m_connections;
};

} // namespace Trove::Http
