// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "model/result.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QHostAddress>
#include <QList>
#include <QPair>
#include <QString>

#include <any>
#include <memory>

namespace Trove::Http {

// Where a request's body goes while it streams in, chosen by the handler from the head
// (HttpServer::Admitter). write() sees every piece in order, finish() the end; an error stops
// the request (Invalid: 400 with its message; anything else: 500) and closes the connection.
class BodySink
{
public:
    virtual ~BodySink() = default;
    virtual Result<void> write(QByteArrayView piece) = 0;
    virtual Result<void> finish() = 0;
};

// One HTTP request as plain values: what a handler needs, copyable and constructible in tests
// (a socket is neither).
struct RequestContext
{
    QByteArray method; // "GET", "HEAD", "PUT", …
    QByteArray encodedPath; // as sent, still percent-encoded: "/api/v4/…/@scope%2Fname"
    QByteArray query; // without the '?'
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray body; // the body, when it was kept in memory
    std::shared_ptr<BodySink> sink; // the body, when the admitter chose a sink
    // What the admitter learned from the head (who is calling) for the handler of the same
    // request, so that it is not worked out twice; empty when no admitter ran. A fresh
    // RequestContext is made for every request, so nothing carries over to the next one.
    mutable std::any admitted;
    QHostAddress peer;
    QHostAddress local; // the address the connection came in on
    quint16 localPort = 0;
    bool tls = false;
    bool http10 = false;

    // Case-insensitive; the first header of that name.
    QByteArray header(QByteArrayView name) const;
    // A decoded query parameter.
    QString queryItem(const QString &name) const;
};

} // namespace Trove::Http
