// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "model/result.h"

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QMap>
#include <QString>

#include <optional>

namespace Trove {

class BlobStore;
class Database;

// What the proxy keeps from the upstream (docs/proxy.md §3): one document per package name and
// the tarballs fetched for it, whose bytes are blobs of the BlobStore. Writes are quiet
// (Database::writeQuietly): nothing the server caches from the store depends on these rows, so a
// cold install filling the cache does not end the response cache's generation on every fetch.
class ProxyStore final
{
public:
    explicit ProxyStore(const Database &database);

    struct Document
    {
        QString name;
        QString upstream; // the base URL it was fetched from, ending in '/'
        int status = 200; // 200, or 404 (kept briefly)
        QByteArray etag;
        QByteArray body; // compact JSON as the upstream sent it; empty for a 404
        QDateTime fetchedAt;
        QDateTime accessedAt;
    };
    struct Tarball
    {
        QString sha512; // hex: the blob
        QString name;
        QString version;
        qint64 size = 0;
        QString sourceUrl;
        QDateTime fetchedAt;
        QDateTime accessedAt;
    };
    struct Totals
    {
        qint64 documents = 0;
        qint64 tarballs = 0;
        qint64 tarballBytes = 0;
        qint64 documentBytes = 0;
        qint64 packages = 0; // documents the upstream had (status 200): the cached packages
    };
    // A package the proxy keeps, for the window's list (shown apart from published ones).
    struct CachedPackage
    {
        QString name;
        QString upstream; // the base URL its document came from
        QDateTime fetchedAt; // the last fetch from the upstream: its document or a tarball
        int tarballs = 0; // versions whose tarballs are kept
        qint64 bytes = 0; // on disk: its document and kept tarballs
        QMap<QString, QString> distTags; // tag -> version, from the kept document
        bool operator==(const CachedPackage &other) const = default;
    };

    Result<std::optional<Document>> document(const QString &name) const;
    // Inserts or replaces the name's document.
    Result<void> putDocument(const Document &document);
    // A 304 from the upstream: the kept document is fresh again.
    Result<void> touchDocument(const QString &name, const QDateTime &fetchedAt);

    Result<std::optional<Tarball>> tarball(const QString &name, const QString &version) const;
    Result<void> putTarball(const Tarball &tarball);
    Result<bool> tarballKept(const QString &sha512) const;
    // Last accesses kept in memory by the caller, written in one quiet transaction.
    Result<void> recordAccesses(const QList<QPair<QString, QDateTime>> &tarballAccesses,
                                const QList<QPair<QString, QDateTime>> &documentAccesses);

    // Answers from the cache (hits) and from the upstream (misses), for the hit ratio.
    Result<void> addCounts(qint64 hits, qint64 misses);
    Result<QPair<qint64, qint64>> counts() const;

    Result<Totals> totals() const;
    // A number that changes with every write that changes cachedPackages(), by this process or
    // another: cheap to read, for a window that polls.
    Result<qint64> changes() const;
    // Every cached package (a kept upstream 404 is none), by name.
    Result<QList<CachedPackage>> cachedPackages() const;
    // The least recently used tarballs whose sizes add up to at least `bytes`, oldest first.
    Result<QList<Tarball>> leastRecentlyUsed(qint64 bytes) const;
    Result<void> removeTarball(const QString &sha512);
    // The name's document and tarball rows, or all of them with an empty name; returns the
    // sha512 of every tarball row removed (the caller removes blobs no package refers to).
    Result<QStringList> clear(const QString &name);
    // clear(), then the blobs of the removed tarballs that no published package refers to
    // (`trove cache clear`, the window's Clear Cache…). Returns how many tarballs went.
    Result<int> clearWithBlobs(const QString &name, BlobStore &blobs);

private:
    const Database &m_database;
};

} // namespace Trove
