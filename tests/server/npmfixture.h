// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Helpers for the server tests: a registry in a temporary folder with a group, projects, users and
// tokens, real tarballs made by tar(1), and npm publish bodies built as npm builds them.

#include "model/registry.h"
#include "server/npmhandler.h"

#include <QCryptographicHash>
#include <QDir>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

namespace NpmFixture {

using namespace Qt::StringLiterals;

// A gzip-compressed tar with <top>/package.json and index.js, as `npm pack` makes.
inline QByteArray
makeTarball(const QString &name, const QString &version, const QString &top = u"package"_s)
{
    QTemporaryDir dir;
    QDir(dir.path()).mkpath(top);
    QFile manifest(dir.filePath(top + u"/package.json"_s));
    if (!manifest.open(QIODevice::WriteOnly)) {
        return {};
    }
    manifest.write(QJsonDocument(QJsonObject{{u"name"_s, name}, {u"version"_s, version}}).toJson());
    manifest.close();
    QFile index(dir.filePath(top + u"/index.js"_s));
    if (!index.open(QIODevice::WriteOnly)) {
        return {};
    }
    index.write("module.exports = 1;\n");
    index.close();
    QProcess tar;
    tar.setWorkingDirectory(dir.path());
    tar.start(u"tar"_s, {u"czf"_s, u"out.tgz"_s, top});
    tar.waitForFinished();
    QFile out(dir.filePath(u"out.tgz"_s));
    return out.open(QIODevice::ReadOnly) ? out.readAll() : QByteArray();
}

// The body `npm publish` sends (docs/npm-api.md §5.1).
inline QJsonObject publishBody(const QString &name,
                               const QString &version,
                               const QByteArray &tarball,
                               const QString &tag = u"latest"_s)
{
    const QString fileName = name + u'-' + version + u".tgz"_s;
    const QString shasum =
        QString::fromLatin1(QCryptographicHash::hash(tarball, QCryptographicHash::Sha1).toHex());
    const QString integrity =
        QString(u"sha512-"_s
                + QString::fromLatin1(
                    QCryptographicHash::hash(tarball, QCryptographicHash::Sha512).toBase64()));
    QJsonObject versionObject{{u"name"_s, name},
                              {u"version"_s, version},
                              {u"description"_s, u"test"_s},
                              {u"dependencies"_s, QJsonObject{{u"left-pad"_s, u"^1.3.0"_s}}},
                              {u"_id"_s, QString(name + u'@' + version)},
                              {u"dist"_s,
                               QJsonObject{{u"shasum"_s, shasum},
                                           {u"integrity"_s, integrity},
                                           {u"tarball"_s, QString(u"http://x/"_s + fileName)}}}};
    return QJsonObject{
        {u"_id"_s, name},
        {u"name"_s, name},
        {u"dist-tags"_s, QJsonObject{{tag, version}}},
        {u"versions"_s, QJsonObject{{version, versionObject}}},
        {u"access"_s, QJsonValue()},
        {u"_attachments"_s,
         QJsonObject{{fileName,
                      QJsonObject{{u"content_type"_s, u"application/octet-stream"_s},
                                  {u"data"_s, QString::fromLatin1(tarball.toBase64())},
                                  {u"length"_s, tarball.size()}}}}}};
}

inline QByteArray encodeName(const QString &name)
{
    QByteArray encoded = name.toUtf8();
    encoded.replace("/", "%2f");
    return encoded;
}

} // namespace NpmFixture
