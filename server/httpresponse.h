// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>

namespace Trove::Http {

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

    static Response json(int status, const QByteArray &compactJson);
    static Response empty(int status);
    static Response file(const QString &path, const QByteArray &contentType);

    // Replaces a header of the same name (case-insensitive).
    void setHeader(const QByteArray &name, const QByteArray &value);
    QByteArray header(QByteArrayView name) const;
};

QByteArray reasonPhrase(int status);

} // namespace Trove::Http
