// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QHostAddress>
#include <QList>
#include <QPair>
#include <QString>

namespace Trove::Http {

// One HTTP request as plain values: what a handler needs, copyable and constructible in tests
// (QHttpServerRequest is neither).
struct RequestContext
{
    QByteArray method; // "GET", "HEAD", "PUT", …
    QByteArray encodedPath; // as sent, still percent-encoded: "/api/v4/…/@scope%2Fname"
    QByteArray query; // without the '?'
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray body;
    QHostAddress peer;
    bool http10 = false;

    // Case-insensitive; the first header of that name.
    QByteArray header(QByteArrayView name) const;
    // A decoded query parameter.
    QString queryItem(const QString &name) const;
};

} // namespace Trove::Http
