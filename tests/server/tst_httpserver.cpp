// SPDX-License-Identifier: GPL-3.0-or-later
// The HTTP adapter on the real QHttpServer, on 127.0.0.1 with port 0, spoken to with raw
// sockets so that framing, HEAD, keep-alive and early refusals are checked byte by byte.

#include "server/httpserver.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMutex>
#include <QSet>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

using namespace Qt::StringLiterals;
using namespace Trove::Http;

namespace {

struct Reply
{
    int status = 0;
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray body;
    QByteArray header(const QByteArray &name) const
    {
        for (const auto &[key, value] : headers) {
            if (key.compare(name, Qt::CaseInsensitive) == 0) {
                return value;
            }
        }
        return {};
    }
};

// Waits for data while the event loop (the acceptor's) keeps running.
bool waitFor(QTcpSocket &socket, const std::function<bool()> &done, int timeoutMs = 10000)
{
    QElapsedTimer timer;
    timer.start();
    while (!done()) {
        if (timer.elapsed() > timeoutMs) {
            return false;
        }
        QCoreApplication::processEvents();
        socket.waitForReadyRead(5);
    }
    return true;
}

// Reads one response from `buffer` + the socket; a HEAD response carries no body whatever its
// Content-Length says.
std::optional<Reply>
readReply(QTcpSocket &socket, QByteArray &buffer, bool head = false, int timeoutMs = 10000)
{
    qsizetype end = -1;
    if (!waitFor(
            socket,
            [&] {
                buffer += socket.readAll();
                end = buffer.indexOf("\r\n\r\n");
                return end >= 0;
            },
            timeoutMs)) {
        return std::nullopt;
    }
    Reply reply;
    const QList<QByteArray> lines = buffer.left(end).split('\n');
    reply.status = lines.value(0).split(' ').value(1).toInt();
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const qsizetype colon = lines.at(i).indexOf(':');
        reply.headers.append(
            {lines.at(i).left(colon).trimmed(), lines.at(i).mid(colon + 1).trimmed()});
    }
    buffer.remove(0, end + 4);
    const qint64 length =
        (head || reply.status == 204 || reply.status == 304 || reply.status == 100)
        ? 0
        : reply.header("Content-Length").toLongLong();
    if (!waitFor(
            socket,
            [&] {
                buffer += socket.readAll();
                return buffer.size() >= length;
            },
            timeoutMs)) {
        return std::nullopt;
    }
    reply.body = buffer.left(length);
    buffer.remove(0, length);
    return reply;
}

bool closedByServer(QTcpSocket &socket, int timeoutMs = 5000)
{
    return waitFor(
        socket,
        [&] {
            socket.readAll();
            return socket.state() == QAbstractSocket::UnconnectedState;
        },
        timeoutMs);
}

} // namespace

class tst_HttpServer : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void catchAllSeesEncodedPaths_data();
    void catchAllSeesEncodedPaths();
    void headHasNoBody();
    void keepAliveAndClose_data();
    void keepAliveAndClose();
    void idleConnectionsClose();
    void stalledRequestsClose_data();
    void stalledRequestsClose();
    void responseHeaders();
    void bodilessStatuses_data();
    void bodilessStatuses();
    void pipelinedAfterChunkedBody();
    void oversizedBodyRefusedBeforeItArrives();
    void oversizedChunkedBodyRefused();
    void headersTooLarge();
    void expectContinue();
    void streamsFiles();
    void clientVanishingMidDownload();
    void concurrentClientsOnWorkerThreads();
    void requestLog();
    void stopAndStartAgain();

private:
    void startServer(const ServerConfig &config = {});
    QTcpSocket *connectClient();

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<HttpServer> m_server;
    quint16 m_port = 0;
    QString m_file;
    QByteArray m_fileBytes;
    QMutex m_mutex;
    QSet<Qt::HANDLE> m_threads;
};

void tst_HttpServer::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    m_file = m_dir->filePath(u"big.bin"_s);
    m_fileBytes.resize(5 * 1024 * 1024 + 123);
    for (qsizetype i = 0; i < m_fileBytes.size(); ++i) {
        m_fileBytes[i] = char((i * 7 + i / 4096) & 0xff);
    }
    QFile file(m_file);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(m_fileBytes);
    file.close();
    m_threads.clear();
    startServer();
}

void tst_HttpServer::cleanup()
{
    m_server.reset();
    m_dir.reset();
}

void tst_HttpServer::startServer(const ServerConfig &given)
{
    m_server = std::make_unique<HttpServer>([this](const RequestContext &context) {
        {
            QMutexLocker lock(&m_mutex);
            m_threads.insert(QThread::currentThreadId());
        }
        if (context.encodedPath == "/file") {
            return Response::file(m_file, "application/octet-stream");
        }
        if (context.encodedPath == "/204" || context.encodedPath == "/304") {
            // A handler that wrongly returns bytes with a bodiless status.
            Response response = Response::empty(context.encodedPath.sliced(1).toInt());
            response.body = "must not be sent";
            return response;
        }
        if (context.encodedPath == "/own-headers") {
            Response response = Response::json(200, "{}");
            response.setHeader("Content-Length", "999");
            response.setHeader("Connection", "close");
            response.setHeader("X-Trove", "1");
            return response;
        }
        if (context.encodedPath == "/same") {
            // The same document for GET and HEAD, as a packument is.
            return Response::json(200, "{\"same\":\"0123456789\"}");
        }
        const QJsonObject echo{
            {u"method"_s, QString::fromLatin1(context.method)},
            {u"path"_s, QString::fromLatin1(context.encodedPath)},
            {u"query"_s, QString::fromLatin1(context.query)},
            {u"body"_s,
             QString::fromLatin1(
                 QCryptographicHash::hash(context.body, QCryptographicHash::Sha1).toHex())},
            {u"http10"_s, context.http10}};
        return Response::json(200, QJsonDocument(echo).toJson(QJsonDocument::Compact));
    });
    ServerConfig config = given;
    config.address = QHostAddress(QHostAddress::LocalHost);
    config.port = 0;
    const Trove::Result<quint16> port = m_server->start(config);
    QVERIFY(port);
    m_port = *port;
    QVERIFY(m_server->isRunning());
}

QTcpSocket *tst_HttpServer::connectClient()
{
    auto *socket = new QTcpSocket(this);
    socket->connectToHost(QHostAddress::LocalHost, m_port);
    waitFor(*socket, [socket] { return socket->state() == QAbstractSocket::ConnectedState; });
    return socket;
}

void tst_HttpServer::catchAllSeesEncodedPaths_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QByteArray>("target");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("query");
    QTest::newRow("root") << QByteArray("GET") << QByteArray("/") << u"/"_s << QString();
    QTest::newRow("npm's %2f") << QByteArray("GET")
                               << QByteArray("/api/v4/packages/npm/@scope%2fname")
                               << u"/api/v4/packages/npm/@scope%2Fname"_s << QString();
    QTest::newRow("raw slash") << QByteArray("GET") << QByteArray("/a/@scope/name/-/x.tgz")
                               << u"/a/@scope/name/-/x.tgz"_s << QString();
    QTest::newRow("query") << QByteArray("GET") << QByteArray("/x?write=true&a=b%20c") << u"/x"_s
                           << u"write=true&a=b%20c"_s;
    QTest::newRow("PUT") << QByteArray("PUT") << QByteArray("/p") << u"/p"_s << QString();
    QTest::newRow("DELETE") << QByteArray("DELETE") << QByteArray("/d") << u"/d"_s << QString();
    QTest::newRow("POST") << QByteArray("POST") << QByteArray("/-/npm/v1/security/audits/quick")
                          << u"/-/npm/v1/security/audits/quick"_s << QString();
}

void tst_HttpServer::catchAllSeesEncodedPaths()
{
    QFETCH(QByteArray, method);
    QFETCH(QByteArray, target);
    QFETCH(QString, path);
    QFETCH(QString, query);
    std::unique_ptr<QTcpSocket> socket(connectClient());
    const QByteArray body = method == "GET" ? QByteArray() : QByteArray("{\"a\":1}");
    socket->write(method + ' ' + target + " HTTP/1.1\r\nHost: x\r\nContent-Length: "
                  + QByteArray::number(body.size()) + "\r\n\r\n" + body);
    QByteArray buffer;
    const std::optional<Reply> reply = readReply(*socket, buffer);
    QVERIFY(reply);
    QCOMPARE(reply->status, 200);
    const QJsonObject echo = QJsonDocument::fromJson(reply->body).object();
    QCOMPARE(echo.value(u"method"_s).toString(), QString::fromLatin1(method));
    QCOMPARE(echo.value(u"path"_s).toString(), path);
    QCOMPARE(echo.value(u"query"_s).toString(), query);
    QCOMPARE(echo.value(u"body"_s).toString(),
             QString::fromLatin1(QCryptographicHash::hash(body, QCryptographicHash::Sha1).toHex()));
}

void tst_HttpServer::headHasNoBody()
{
    std::unique_ptr<QTcpSocket> socket(connectClient());
    // Pipelined: HEAD, then GET on the same connection.
    socket->write("HEAD /same HTTP/1.1\r\nHost: x\r\n\r\nGET /same HTTP/1.1\r\nHost: x\r\n\r\n");
    QByteArray buffer;
    const std::optional<Reply> head = readReply(*socket, buffer, true);
    QVERIFY(head);
    QCOMPARE(head->status, 200);
    const qint64 length = head->header("Content-Length").toLongLong();
    QVERIFY(length > 0);
    const std::optional<Reply> get = readReply(*socket, buffer);
    QVERIFY(get);
    QCOMPARE(get->status, 200);
    QCOMPARE(get->body.size(), length);
    QCOMPARE(get->body, QByteArray("{\"same\":\"0123456789\"}"));
    // A HEAD of a file: its size, none of its bytes.
    socket->write("HEAD /file HTTP/1.1\r\nHost: x\r\n\r\nGET /x HTTP/1.1\r\nHost: x\r\n\r\n");
    const std::optional<Reply> headFile = readReply(*socket, buffer, true);
    QVERIFY(headFile);
    QCOMPARE(headFile->header("Content-Length").toLongLong(), m_fileBytes.size());
    QVERIFY(readReply(*socket, buffer));
    QVERIFY(buffer.isEmpty());
}

void tst_HttpServer::keepAliveAndClose_data()
{
    QTest::addColumn<QByteArray>("request");
    QTest::addColumn<bool>("closes");
    QTest::newRow("HTTP/1.1 keeps the connection")
        << QByteArray("GET /x HTTP/1.1\r\nHost: x\r\n\r\n") << false;
    QTest::newRow("Connection: close")
        << QByteArray("GET /x HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n") << true;
    QTest::newRow("HTTP/1.0") << QByteArray("GET /x HTTP/1.0\r\n\r\n") << true;
    QTest::newRow("HTTP/1.0 keep-alive")
        << QByteArray("GET /x HTTP/1.0\r\nConnection: keep-alive\r\n\r\n") << false;
}

void tst_HttpServer::keepAliveAndClose()
{
    QFETCH(QByteArray, request);
    QFETCH(bool, closes);
    std::unique_ptr<QTcpSocket> socket(connectClient());
    socket->write(request);
    QByteArray buffer;
    const std::optional<Reply> reply = readReply(*socket, buffer);
    QVERIFY(reply);
    QCOMPARE(reply->status, 200);
    if (closes) {
        QCOMPARE(reply->header("Connection"), QByteArray("close"));
        QVERIFY(closedByServer(*socket));
    } else {
        socket->write("GET /again HTTP/1.1\r\nHost: x\r\n\r\n");
        const std::optional<Reply> second = readReply(*socket, buffer);
        QVERIFY(second);
        QCOMPARE(QJsonDocument::fromJson(second->body).object().value(u"path"_s).toString(),
                 u"/again"_s);
    }
}

void tst_HttpServer::idleConnectionsClose()
{
    ServerConfig config;
    config.idleTimeoutMs = 300;
    startServer(config);
    std::unique_ptr<QTcpSocket> socket(connectClient());
    socket->write("GET /x HTTP/1.1\r\nHost: x\r\n\r\n");
    QByteArray buffer;
    QVERIFY(readReply(*socket, buffer));
    QElapsedTimer timer;
    timer.start();
    QVERIFY(closedByServer(*socket, 5000));
    QVERIFY(timer.elapsed() >= 200);
}

void tst_HttpServer::stalledRequestsClose_data()
{
    QTest::addColumn<QByteArray>("partial");
    QTest::newRow("half a header block") << QByteArray("GET /x HTTP/1.1\r\nHost: x\r\n");
    QTest::newRow("half a body") << QByteArray("PUT /p HTTP/1.1\r\nContent-Length: 10\r\n\r\nabc");
}

void tst_HttpServer::stalledRequestsClose()
{
    QFETCH(QByteArray, partial);
    ServerConfig config;
    config.idleTimeoutMs = 300;
    startServer(config);
    std::unique_ptr<QTcpSocket> socket(connectClient());
    socket->write(partial);
    // A client that stops half way must not hold a connection (and its buffer) forever.
    QVERIFY(closedByServer(*socket, 5000));
}

void tst_HttpServer::responseHeaders()
{
    std::unique_ptr<QTcpSocket> socket(connectClient());
    socket->write("GET /own-headers HTTP/1.1\r\nHost: x\r\n\r\nGET /x HTTP/1.1\r\nHost: x\r\n\r\n");
    QByteArray buffer;
    const std::optional<Reply> reply = readReply(*socket, buffer);
    QVERIFY(reply);
    QCOMPARE(reply->status, 200);
    // The adapter frames the response itself: a handler's Content-Length or Connection is ignored.
    QCOMPARE(reply->header("Content-Length"), QByteArray("2"));
    QCOMPARE(reply->body, QByteArray("{}"));
    QVERIFY(reply->header("Connection").isEmpty());
    QCOMPARE(reply->header("X-Trove"), QByteArray("1"));
    // IMF-fixdate (RFC 9110 §5.6.7): English names and "GMT", which Qt's RFC 2822 parser wants
    // as an offset.
    const QByteArray dateHeader = reply->header("Date");
    QVERIFY2(dateHeader.endsWith(" GMT"), dateHeader.constData());
    const QDateTime date = QDateTime::fromString(
        QString::fromLatin1(dateHeader.chopped(4) + " +0000"), Qt::RFC2822Date);
    QVERIFY2(date.isValid(), dateHeader.constData());
    QVERIFY(qAbs(date.secsTo(QDateTime::currentDateTimeUtc())) < 60);
    const std::optional<Reply> next = readReply(*socket, buffer);
    QVERIFY(next);
    QCOMPARE(QJsonDocument::fromJson(next->body).object().value(u"path"_s).toString(), u"/x"_s);
}

void tst_HttpServer::bodilessStatuses_data()
{
    QTest::addColumn<QByteArray>("path");
    QTest::addColumn<int>("status");
    QTest::newRow("204") << QByteArray("/204") << 204;
    QTest::newRow("304") << QByteArray("/304") << 304;
}

void tst_HttpServer::bodilessStatuses()
{
    QFETCH(QByteArray, path);
    QFETCH(int, status);
    std::unique_ptr<QTcpSocket> socket(connectClient());
    socket->write("GET " + path
                  + " HTTP/1.1\r\nHost: x\r\n\r\nGET /after HTTP/1.1\r\nHost: x\r\n\r\n");
    QByteArray buffer;
    const std::optional<Reply> reply = readReply(*socket, buffer);
    QVERIFY(reply);
    QCOMPARE(reply->status, status);
    QVERIFY(reply->body.isEmpty());
    // The body the handler returned was dropped, so the next response is framed right.
    const std::optional<Reply> after = readReply(*socket, buffer);
    QVERIFY(after);
    QCOMPARE(after->status, 200);
    QCOMPARE(QJsonDocument::fromJson(after->body).object().value(u"path"_s).toString(),
             u"/after"_s);
}

void tst_HttpServer::pipelinedAfterChunkedBody()
{
    std::unique_ptr<QTcpSocket> socket(connectClient());
    socket->write("PUT /p HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                  "5\r\nhello\r\n0\r\n\r\n"
                  "HEAD /same HTTP/1.1\r\nHost: x\r\n\r\n"
                  "GET /after HTTP/1.1\r\nHost: x\r\n\r\n");
    QByteArray buffer;
    const std::optional<Reply> put = readReply(*socket, buffer);
    QVERIFY(put);
    QCOMPARE(put->status, 200);
    QCOMPARE(
        QJsonDocument::fromJson(put->body).object().value(u"body"_s).toString(),
        QString::fromLatin1(QCryptographicHash::hash("hello", QCryptographicHash::Sha1).toHex()));
    const std::optional<Reply> head = readReply(*socket, buffer, true);
    QVERIFY(head);
    QCOMPARE(head->status, 200);
    const std::optional<Reply> after = readReply(*socket, buffer);
    QVERIFY(after);
    QCOMPARE(QJsonDocument::fromJson(after->body).object().value(u"path"_s).toString(),
             u"/after"_s);
    QVERIFY(buffer.isEmpty());
}

void tst_HttpServer::oversizedBodyRefusedBeforeItArrives()
{
    ServerConfig config;
    config.maxBodySize = 1000;
    startServer(config);
    std::unique_ptr<QTcpSocket> socket(connectClient());
    // Only the headers: the refusal must not wait for 50 MB that never come.
    socket->write("PUT /p HTTP/1.1\r\nHost: x\r\nContent-Length: 50000000\r\n\r\n");
    QByteArray buffer;
    const std::optional<Reply> reply = readReply(*socket, buffer, false, 1000);
    QVERIFY(reply);
    QCOMPARE(reply->status, 413);
    QCOMPARE(reply->body,
             QByteArray(
                 R"({"error":"Request body is too large","message":"Request body is too large"})"));
    QCOMPARE(reply->header("Connection"), QByteArray("close"));
    QVERIFY(closedByServer(*socket));

    // At the limit is fine.
    std::unique_ptr<QTcpSocket> ok(connectClient());
    ok->write("PUT /p HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n" + QByteArray(1000, 'x'));
    buffer.clear();
    const std::optional<Reply> accepted = readReply(*ok, buffer);
    QVERIFY(accepted);
    QCOMPARE(accepted->status, 200);
}

void tst_HttpServer::oversizedChunkedBodyRefused()
{
    ServerConfig config;
    config.maxBodySize = 1000;
    startServer(config);
    std::unique_ptr<QTcpSocket> socket(connectClient());
    socket->write("PUT /p HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n");
    for (int i = 0; i < 5; ++i) {
        socket->write("200\r\n" + QByteArray(0x200, 'y') + "\r\n");
    }
    QByteArray buffer;
    const std::optional<Reply> reply = readReply(*socket, buffer, false, 3000);
    QVERIFY(reply);
    QCOMPARE(reply->status, 413);
}

void tst_HttpServer::headersTooLarge()
{
    std::unique_ptr<QTcpSocket> socket(connectClient());
    socket->write("GET /x HTTP/1.1\r\nHost: x\r\nX-Big: " + QByteArray(70 * 1024, 'h')
                  + "\r\n\r\n");
    QByteArray buffer;
    const std::optional<Reply> reply = readReply(*socket, buffer, false, 3000);
    QVERIFY(reply);
    QCOMPARE(reply->status, 431);
}

void tst_HttpServer::expectContinue()
{
    std::unique_ptr<QTcpSocket> socket(connectClient());
    socket->write(
        "PUT /p HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n");
    QByteArray buffer;
    const std::optional<Reply> interim = readReply(*socket, buffer, false, 2000);
    QVERIFY(interim);
    QCOMPARE(interim->status, 100);
    socket->write("hello");
    const std::optional<Reply> reply = readReply(*socket, buffer);
    QVERIFY(reply);
    QCOMPARE(reply->status, 200);
}

void tst_HttpServer::streamsFiles()
{
    std::unique_ptr<QTcpSocket> socket(connectClient());
    socket->write("GET /file HTTP/1.1\r\nHost: x\r\n\r\nGET /after HTTP/1.1\r\nHost: x\r\n\r\n");
    QByteArray buffer;
    const std::optional<Reply> reply = readReply(*socket, buffer, false, 30000);
    QVERIFY(reply);
    QCOMPARE(reply->status, 200);
    QCOMPARE(reply->body.size(), m_fileBytes.size());
    QVERIFY(reply->body == m_fileBytes);
    // The pipelined request waited for the file and comes after it, whole.
    const std::optional<Reply> after = readReply(*socket, buffer);
    QVERIFY(after);
    QCOMPARE(QJsonDocument::fromJson(after->body).object().value(u"path"_s).toString(),
             u"/after"_s);
}

void tst_HttpServer::clientVanishingMidDownload()
{
    for (int i = 0; i < 5; ++i) {
        std::unique_ptr<QTcpSocket> socket(connectClient());
        socket->setReadBufferSize(64 * 1024);
        socket->write("GET /file HTTP/1.1\r\nHost: x\r\n\r\n");
        waitFor(*socket, [&] { return socket->bytesAvailable() > 0; });
        socket->abort();
    }
    std::unique_ptr<QTcpSocket> socket(connectClient());
    socket->write("GET /still-here HTTP/1.1\r\nHost: x\r\n\r\n");
    QByteArray buffer;
    const std::optional<Reply> reply = readReply(*socket, buffer);
    QVERIFY(reply);
    QCOMPARE(reply->status, 200);
}

void tst_HttpServer::concurrentClientsOnWorkerThreads()
{
    constexpr int Clients = 8;
    constexpr int Requests = 50;
    std::vector<std::unique_ptr<QTcpSocket>> sockets;
    std::vector<QByteArray> buffers(Clients);
    for (int i = 0; i < Clients; ++i) {
        sockets.emplace_back(connectClient());
    }
    int answered = 0;
    for (int r = 0; r < Requests; ++r) {
        for (int i = 0; i < Clients; ++i) {
            sockets[i]->write("GET /c" + QByteArray::number(i) + " HTTP/1.1\r\nHost: x\r\n\r\n");
        }
        for (int i = 0; i < Clients; ++i) {
            const std::optional<Reply> reply = readReply(*sockets[i], buffers[i]);
            QVERIFY(reply);
            QCOMPARE(QJsonDocument::fromJson(reply->body).object().value(u"path"_s).toString(),
                     u"/c%1"_s.arg(i));
            ++answered;
        }
    }
    QCOMPARE(answered, Clients * Requests);
    QMutexLocker lock(&m_mutex);
    QVERIFY2(m_threads.size() >= 2, "the requests ran on one thread only");
    QVERIFY(!m_threads.contains(QThread::currentThreadId()));
}

void tst_HttpServer::requestLog()
{
    QSignalSpy spy(m_server.get(), &HttpServer::requestFinished);
    std::unique_ptr<QTcpSocket> socket(connectClient());
    socket->write(
        "GET /logged?secret=no HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer tpat-x\r\n\r\n");
    QByteArray buffer;
    QVERIFY(readReply(*socket, buffer));
    QTRY_COMPARE(spy.size(), 1);
    const RequestRecord record = spy.first().first().value<RequestRecord>();
    QCOMPARE(record.method, QByteArray("GET"));
    QCOMPARE(record.path, QByteArray("/logged"));
    QCOMPARE(record.status, 200);
    QVERIFY(record.bytes > 0);
}

void tst_HttpServer::stopAndStartAgain()
{
    m_server->stop();
    QVERIFY(!m_server->isRunning());
    QTcpSocket refused;
    refused.connectToHost(QHostAddress::LocalHost, m_port);
    QVERIFY(!refused.waitForConnected(1000) || !refused.waitForReadyRead(500));
    startServer();
    std::unique_ptr<QTcpSocket> socket(connectClient());
    socket->write("GET /x HTTP/1.1\r\nHost: x\r\n\r\n");
    QByteArray buffer;
    QVERIFY(readReply(*socket, buffer));
}

QTEST_GUILESS_MAIN(tst_HttpServer)
#include "tst_httpserver.moc"
