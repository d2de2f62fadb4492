// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>

#include <functional>
#include <memory>

namespace Trove::Http {

struct DeferredAnswer;

// A response as plain values. With filePath set, the file is streamed from disk instead of body.
struct Response
{
    int status = 200;
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray body;
    QString filePath;
    // Never sent: the package version a tarball answer downloads, so that a copy of the answer
    // from the response cache records the download without a query.
    qint64 downloadOf = 0;
    // Never sent: the blob (sha512) of a tarball answered from the proxy's cache, so that a copy
    // of the answer from the response cache counts a hit and a use (the eviction order), and is
    // not reused once the blob is gone (evicted, cleared; docs/proxy.md §6).
    QString keptTarball;
    // Never sent: how long the npm handler may keep this answer in its response cache: -1 while
    // its generation lasts, 0 not at all, else at most that many milliseconds (a proxied
    // document is fresh only until its max-age, docs/proxy.md §4).
    qint64 keepForMs = -1;
    // For the request log only, never sent: where the request went, who asked, and why the answer
    // is a refusal, a miss or a redirect. Set by the npm handler.
    struct LogNote
    {
        QString level; // "project", "group", "instance"
        QString tokenKind; // "personal", "deploy", "job"; "" when anonymous
        QString tokenName;
        QString username;
        QString reason;
    };
    LogNote log;
    // Set: the handler answers later (deferredResponse()); every other field is unused.
    std::shared_ptr<DeferredAnswer> deferred;

    static Response json(int status, const QByteArray &compactJson);
    static Response empty(int status);
    static Response file(const QString &path, const QByteArray &contentType);

    // Replaces a header of the same name (case-insensitive).
    void setHeader(const QByteArray &name, const QByteArray &value);
    QByteArray header(QByteArrayView name) const;
};

// Gives a deferred request its answer. Callable from any thread, once; a call after the client
// has gone, or after the connection gave up waiting, is dropped.
using Responder = std::function<void(Response)>;

// An answer that is not ready when the handler returns (docs/proxy.md §5): the server stops
// reading from the connection, calls `start` with the responder right after the handler has
// returned, and writes the answer on the connection's own thread when the responder is called.
// The worker thread serves its other connections meanwhile.
struct DeferredAnswer
{
    std::function<void(Responder)> start;
};

Response deferredResponse(std::function<void(Responder)> start);

QByteArray reasonPhrase(int status);

} // namespace Trove::Http
