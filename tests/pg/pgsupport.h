// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Helpers for the tests that drive the real `trove` binary as a user would (tests/pg and
// tests/ui/tst_sharedstore.cpp): `trove ARGUMENTS` run to its end, a `trove serve` child on a
// free loopback port, and the HTTP requests an npm client sends it. One copy, so that a change
// to how the binary is started, or to what `npm publish` sends, reaches every test at once.
// The including target defines TROVE_BINARY_DIR (the build tree holding app/trove).

#include "../app/servehelper.h"
#include "../tarballwriter.h"

#include <QByteArray>
#include <QCryptographicHash>
#include <QEventLoop>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QProcess>
#include <QRegularExpression>
#include <QString>
#include <QStringList>
#include <QTimer>
#include <QUrl>

namespace PgSupport {

using namespace Qt::StringLiterals;

inline const QString TroveBinary = QStringLiteral(TROVE_BINARY_DIR "/app/trove");

struct Run
{
    int exitCode = -1; // -1: crashed or timed out
    QString out;
    QString err;
};

// `trove ARGUMENTS` with TROVE_STORE set to `environmentStore` (unset when empty) and TROVE_DATA
// unset, so that only the arguments choose the store and data folder; killed after `timeoutMs`.
inline Run
trove(const QStringList &arguments, const QString &environmentStore = {}, int timeoutMs = 60000)
{
    QProcess process;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.remove(u"TROVE_STORE"_s);
    environment.remove(u"TROVE_DATA"_s);
    if (!environmentStore.isEmpty()) {
        environment.insert(u"TROVE_STORE"_s, environmentStore);
    }
    process.setProcessEnvironment(environment);
    process.start(TroveBinary, arguments);
    Run run;
    if (!process.waitForFinished(timeoutMs)) {
        process.kill();
        process.waitForFinished();
        run.err = u"timed out"_s;
        return run;
    }
    run.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    run.out = QString::fromUtf8(process.readAllStandardOutput());
    run.err = QString::fromUtf8(process.readAllStandardError());
    return run;
}

// A package tarball holding a package.json of `name` and `version` and an index.js of `indexJs`
// (tests that need tarballs to differ beyond the version pass their own).
inline QByteArray makeTarball(const QString &name,
                              const QString &version,
                              const QByteArray &indexJs = "module.exports = 1;\n")
{
    const QByteArray manifest =
        QJsonDocument(QJsonObject{{u"name"_s, name}, {u"version"_s, version}}).toJson();
    return TestSupport::writeTarball(
        {{"package/package.json", manifest}, {"package/index.js", indexJs}});
}

// The dist.integrity npm computes for a tarball.
inline QString integrityOf(const QByteArray &tarball)
{
    return u"sha512-"_s
        + QString::fromLatin1(
               QCryptographicHash::hash(tarball, QCryptographicHash::Sha512).toBase64());
}

// The body `npm publish` sends: the manifest (with `description` when one is given), and the
// tarball in base64 in _attachments.
inline QByteArray publishBody(const QString &name,
                              const QString &version,
                              const QByteArray &tarball,
                              const QString &description = {})
{
    const QString fileName = name + u'-' + version + u".tgz"_s;
    QJsonObject manifest{
        {u"name"_s, name},
        {u"version"_s, version},
        {u"_id"_s, QString(name + u'@' + version)},
        {u"dist"_s,
         QJsonObject{{u"shasum"_s,
                      QString::fromLatin1(
                          QCryptographicHash::hash(tarball, QCryptographicHash::Sha1).toHex())},
                     {u"integrity"_s, integrityOf(tarball)},
                     {u"tarball"_s, QString(u"http://127.0.0.1/"_s + fileName)}}}};
    if (!description.isEmpty()) {
        manifest.insert(u"description"_s, description);
    }
    return QJsonDocument(
               QJsonObject{
                   {u"_id"_s, name},
                   {u"name"_s, name},
                   {u"dist-tags"_s, QJsonObject{{u"latest"_s, version}}},
                   {u"versions"_s, QJsonObject{{version, manifest}}},
                   {u"_attachments"_s,
                    QJsonObject{{fileName,
                                 QJsonObject{{u"content_type"_s, u"application/octet-stream"_s},
                                             {u"data"_s, QString::fromLatin1(tarball.toBase64())},
                                             {u"length"_s, tarball.size()}}}}}})
        .toJson(QJsonDocument::Compact);
}

struct Answer
{
    int status = 0; // 0: no HTTP answer
    QByteArray body;
};

// Waits up to 30 s for `reply` and takes its status and body; the reply is deleted later.
inline Answer answerOf(QNetworkReply *reply)
{
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    QTimer::singleShot(30000, &loop, &QEventLoop::quit);
    if (!reply->isFinished()) {
        loop.exec();
    }
    Answer answer;
    answer.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    answer.body = reply->readAll();
    reply->deleteLater();
    return answer;
}

inline Answer request(QNetworkAccessManager &network,
                      const QNetworkRequest &request,
                      const QByteArray &verb,
                      const QByteArray &body = {})
{
    return answerOf(network.sendCustomRequest(request, verb, body));
}

// A request to the npm API of project `projectId` on 127.0.0.1:`port`, with `token`; what
// follows a `?` in `path` is the query.
inline QNetworkRequest
apiRequest(quint16 port, qint64 projectId, const QString &path, const QByteArray &token)
{
    QUrl url;
    url.setScheme(u"http"_s);
    url.setHost(u"127.0.0.1"_s);
    url.setPort(port);
    const qsizetype query = path.indexOf(u'?');
    url.setPath(u"/api/v4/projects/%1/packages/npm/"_s.arg(projectId) + path.left(query));
    if (query >= 0) {
        url.setQuery(path.mid(query + 1));
    }
    QNetworkRequest request(url);
    request.setRawHeader("Authorization", "Bearer " + token);
    return request;
}

// A `trove serve --listen 127.0.0.1:0` child: start() returns the port it printed in
// "Listening on …" (0 if it did not), output() keeps all it printed, and it is stopped (SIGTERM,
// then SIGKILL after 10 s) when it goes. `channels`: MergedChannels keeps stdout and stderr in
// the order they were written.
class Server
{
public:
    explicit Server(QProcess::ProcessChannelMode channels = QProcess::SeparateChannels)
        : m_channels(channels)
    {
    }
    ~Server() { stop(); }
    Server(const Server &) = delete;
    Server &operator=(const Server &) = delete;

    // With TROVE_STORE set to `environmentStore` (unset when empty).
    quint16 start(const QStringList &arguments, const QString &environmentStore = {})
    {
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.remove(u"TROVE_STORE"_s);
        if (!environmentStore.isEmpty()) {
            environment.insert(u"TROVE_STORE"_s, environmentStore);
        }
        m_process.setProcessEnvironment(environment);
        m_process.setProcessChannelMode(m_channels);
        m_process.start(TroveBinary,
                        QStringList{u"serve"_s, u"--listen"_s, u"127.0.0.1:0"_s} + arguments);
        if (!m_process.waitForStarted(10000)) {
            return 0;
        }
        static const QRegularExpression listening(u"^Listening on http://127.0.0.1:(\\d+)/$"_s,
                                                  QRegularExpression::MultilineOption);
        for (int i = 0; i < 200 && m_process.state() == QProcess::Running; ++i) {
            m_process.waitForReadyRead(50);
            const QRegularExpressionMatch match = listening.match(output());
            if (match.hasMatch()) {
                m_port = match.captured(1).toUShort();
                break;
            }
        }
        return m_port;
    }
    void stop() { TestSupport::stopProcess(m_process); }
    // Everything it printed so far, both streams.
    QString output()
    {
        m_output += QString::fromUtf8(m_process.readAllStandardOutput());
        if (m_channels != QProcess::MergedChannels) { // merged: all of it came on stdout
            m_output += QString::fromUtf8(m_process.readAllStandardError());
        }
        return m_output;
    }
    QProcess &process() { return m_process; }
    quint16 port() const { return m_port; }

private:
    const QProcess::ProcessChannelMode m_channels;
    QProcess m_process;
    quint16 m_port = 0;
    QString m_output;
};

} // namespace PgSupport
