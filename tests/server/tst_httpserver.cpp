// SPDX-License-Identifier: GPL-3.0-or-later
// The HTTP server on 127.0.0.1 with port 0, spoken to with raw sockets so that framing, HEAD,
// keep-alive, refusals from the head, body sinks, budgets, timeouts and TLS are checked byte by
// byte (docs/http.md).

#include "server/httpserver.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QDir>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMutex>
#include <QProcess>
#include <QSet>
#include <QSignalSpy>
#include <QSslSocket>
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
    void ambiguousFramingRefusedAndClosed_data();
    void ambiguousFramingRefusedAndClosed();
    void refusedFromTheHeadBeforeTheBody();
    void bodyStreamsIntoTheSink();
    void sinkErrorsAreAnswered();
    void bodyBudgetAnswers503();
    void slowHeadIsDropped();
    void connectionsPerAddressAreLimited();
    void servesTls();
    void onlyOneSocketListens();

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
    QList<QByteArray> m_handled; // "METHOD path" of every request the handler saw
};

namespace {

// Keeps what it is given, in pieces; fails at `failAt` bytes when set.
class RecordingSink final : public BodySink
{
public:
    explicit RecordingSink(qint64 failAt = -1)
        : m_failAt(failAt)
    {
    }

    Trove::Result<void> write(QByteArrayView piece) override
    {
        m_bytes += piece.size();
        ++m_pieces;
        m_hash.addData(piece);
        if (m_failAt >= 0 && m_bytes >= m_failAt) {
            return Trove::Error::invalid(u"the sink says no"_s);
        }
        return {};
    }
    Trove::Result<void> finish() override
    {
        m_finished = true;
        return {};
    }

    qint64 m_failAt;
    qint64 m_bytes = 0;
    int m_pieces = 0;
    bool m_finished = false;
    QCryptographicHash m_hash{QCryptographicHash::Sha1};
};

} // namespace

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
    m_handled.clear();
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
            m_handled.append(context.method + ' ' + context.encodedPath);
        }
        if (const auto *sink = dynamic_cast<const RecordingSink *>(context.sink.get())) {
            const QJsonObject seen{{u"bytes"_s, sink->m_bytes},
                                   {u"pieces"_s, sink->m_pieces},
                                   {u"finished"_s, sink->m_finished},
                                   {u"sha1"_s, QString::fromLatin1(sink->m_hash.result().toHex())},
                                   {u"inMemory"_s, context.body.size()}};
            return Response::json(200, QJsonDocument(seen).toJson(QJsonDocument::Compact));
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
    // Refuses /secret from the head, and streams /sink and /fail into a sink.
    m_server->setAdmitter([](const RequestContext &context) {
        Admission admission;
        if (context.encodedPath == "/secret") {
            admission.refusal = Response::json(401, R"({"error":"401 Unauthorized"})");
        } else if (context.encodedPath == "/sink") {
            admission.sink = std::make_shared<RecordingSink>();
        } else if (context.encodedPath == "/fail") {
            admission.sink = std::make_shared<RecordingSink>(10);
        }
        return admission;
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
    // Connected, or already closed again (a connection refused at accept may never show as
    // connected here).
    waitFor(*socket, [socket] {
        return socket->state() == QAbstractSocket::ConnectedState
            || socket->state() == QAbstractSocket::UnconnectedState;
    });
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
                               << u"/api/v4/packages/npm/@scope%2fname"_s << QString();
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
    QTest::newRow("half a body") << QByteArray(
        "PUT /p HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc");
    QTest::newRow("nothing at all") << QByteArray();
}

void tst_HttpServer::stalledRequestsClose()
{
    QFETCH(QByteArray, partial);
    ServerConfig config;
    config.idleTimeoutMs = 300;
    config.headTimeoutMs = 300;
    config.bodyTimeoutMs = 300;
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
    // Nothing listens any more: the connection is refused (no socket listens that does not serve).
    QTcpSocket refused;
    refused.connectToHost(QHostAddress::LocalHost, m_port);
    QVERIFY(!refused.waitForConnected(2000));
    QCOMPARE(refused.error(), QAbstractSocket::ConnectionRefusedError);
    startServer();
    std::unique_ptr<QTcpSocket> socket(connectClient());
    socket->write("GET /x HTTP/1.1\r\nHost: x\r\n\r\n");
    QByteArray buffer;
    QVERIFY(readReply(*socket, buffer));
}

void tst_HttpServer::ambiguousFramingRefusedAndClosed_data()
{
    QTest::addColumn<QByteArray>("request");
    QTest::addColumn<int>("status");
    // The smuggled DELETE after each must never reach the handler.
    const QByteArray smuggled = "DELETE /smuggled HTTP/1.1\r\nHost: x\r\n\r\n";
    QTest::newRow("two Content-Length")
        << QByteArray("PUT /p HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 44"
                      "\r\n\r\nhello")
            + smuggled
        << 400;
    QTest::newRow("Content-Length and chunked")
        << QByteArray("PUT /p HTTP/1.1\r\nHost: x\r\nContent-Length: 60\r\nTransfer-Encoding: "
                      "chunked\r\n\r\n0\r\n\r\n")
            + smuggled
        << 400;
    QTest::newRow("xchunked")
        << QByteArray("PUT /p HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: xchunked\r\n\r\n0\r\n\r\n")
            + smuggled
        << 501;
    QTest::newRow("chunk size -5")
        << QByteArray("PUT /p HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n-5\r\n")
            + smuggled
        << 400;
    QTest::newRow("chunked on HTTP/1.0")
        << QByteArray("PUT /p HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n") + smuggled
        << 400;
    QTest::newRow("obsolete folding")
        << QByteArray("GET /p HTTP/1.1\r\nHost: x\r\nX: a\r\n b\r\n\r\n") + smuggled << 400;
    QTest::newRow("not HTTP at all")
        << QByteArray("\x16\x03\x01\x02\x00\x01\r\n\r\n") + smuggled << 400;
}

void tst_HttpServer::ambiguousFramingRefusedAndClosed()
{
    QFETCH(QByteArray, request);
    QFETCH(int, status);
    std::unique_ptr<QTcpSocket> socket(connectClient());
    socket->write(request);
    QByteArray buffer;
    const std::optional<Reply> reply = readReply(*socket, buffer);
    QVERIFY(reply);
    QCOMPARE(reply->status, status);
    QVERIFY(!QJsonDocument::fromJson(reply->body).object().value(u"error"_s).toString().isEmpty());
    QCOMPARE(reply->header("Connection"), QByteArray("close"));
    QVERIFY(closedByServer(*socket));
    // The server still answers, and nothing of the refused stream reached the handler.
    std::unique_ptr<QTcpSocket> next(connectClient());
    next->write("GET /alive HTTP/1.1\r\nHost: x\r\n\r\n");
    buffer.clear();
    QVERIFY(readReply(*next, buffer));
    QMutexLocker lock(&m_mutex);
    QCOMPARE(m_handled, QList<QByteArray>{"GET /alive"});
}

void tst_HttpServer::refusedFromTheHeadBeforeTheBody()
{
    std::unique_ptr<QTcpSocket> socket(connectClient());
    // 300 MB announced, none sent: the refusal comes from the head alone.
    socket->write("PUT /secret HTTP/1.1\r\nHost: x\r\nContent-Length: 300000000\r\n\r\n");
    QByteArray buffer;
    const std::optional<Reply> reply = readReply(*socket, buffer, false, 2000);
    QVERIFY(reply);
    QCOMPARE(reply->status, 401);
    QCOMPARE(reply->header("Connection"), QByteArray("close"));
    // The client may go on sending for a while; the server reads and drops it, then closes.
    socket->write(QByteArray(256 * 1024, 'x'));
    QVERIFY(closedByServer(*socket));
    QMutexLocker lock(&m_mutex);
    QVERIFY(m_handled.isEmpty());
}

void tst_HttpServer::bodyStreamsIntoTheSink()
{
    QByteArray body(3 * 1024 * 1024 + 17, Qt::Uninitialized);
    for (qsizetype i = 0; i < body.size(); ++i) {
        body[i] = char(i * 31);
    }
    const QString sha1 =
        QString::fromLatin1(QCryptographicHash::hash(body, QCryptographicHash::Sha1).toHex());
    std::unique_ptr<QTcpSocket> socket(connectClient());
    socket->write("PUT /sink HTTP/1.1\r\nHost: x\r\nContent-Length: "
                  + QByteArray::number(body.size()) + "\r\n\r\n" + body);
    QByteArray buffer;
    std::optional<Reply> reply = readReply(*socket, buffer, false, 30000);
    QVERIFY(reply);
    QCOMPARE(reply->status, 200);
    QJsonObject seen = QJsonDocument::fromJson(reply->body).object();
    QCOMPARE(seen.value(u"bytes"_s).toInteger(), body.size());
    QCOMPARE(seen.value(u"sha1"_s).toString(), sha1);
    QVERIFY(seen.value(u"finished"_s).toBool());
    QVERIFY2(seen.value(u"pieces"_s).toInt() > 1, "the body was handed over whole");
    QCOMPARE(seen.value(u"inMemory"_s).toInt(), 0);

    // Chunked, on the same connection.
    QByteArray chunked = "PUT /sink HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n";
    for (qsizetype at = 0; at < body.size(); at += 100000) {
        const QByteArray piece = body.mid(at, 100000);
        chunked += QByteArray::number(piece.size(), 16) + "\r\n" + piece + "\r\n";
    }
    socket->write(chunked + "0\r\n\r\n");
    reply = readReply(*socket, buffer, false, 30000);
    QVERIFY(reply);
    seen = QJsonDocument::fromJson(reply->body).object();
    QCOMPARE(seen.value(u"bytes"_s).toInteger(), body.size());
    QCOMPARE(seen.value(u"sha1"_s).toString(), sha1);
}

void tst_HttpServer::sinkErrorsAreAnswered()
{
    std::unique_ptr<QTcpSocket> socket(connectClient());
    socket->write("PUT /fail HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n"
                  + QByteArray(100, 'z'));
    QByteArray buffer;
    const std::optional<Reply> reply = readReply(*socket, buffer);
    QVERIFY(reply);
    QCOMPARE(reply->status, 400);
    QCOMPARE(QJsonDocument::fromJson(reply->body).object().value(u"error"_s).toString(),
             u"the sink says no"_s);
    QVERIFY(closedByServer(*socket));
    QMutexLocker lock(&m_mutex);
    QVERIFY(m_handled.isEmpty());
}

void tst_HttpServer::bodyBudgetAnswers503()
{
    ServerConfig config;
    config.maxBodyBytesInFlight = 1000;
    startServer(config);
    // The first body holds 800 of the 1000 bytes while it arrives; its 100 Continue says it has
    // been admitted, and so has reserved them.
    std::unique_ptr<QTcpSocket> first(connectClient());
    first->write("PUT /p HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: "
                 "800\r\n\r\n");
    QByteArray firstBuffer;
    const std::optional<Reply> interim = readReply(*first, firstBuffer);
    QVERIFY(interim);
    QCOMPARE(interim->status, 100);
    first->write(QByteArray(400, 'a'));
    std::unique_ptr<QTcpSocket> second(connectClient());
    second->write("PUT /p HTTP/1.1\r\nHost: x\r\nContent-Length: 800\r\n\r\n");
    QByteArray buffer;
    const std::optional<Reply> refused = readReply(*second, buffer);
    QVERIFY(refused);
    QCOMPARE(refused->status, 503);
    QVERIFY(refused->header("Retry-After").toInt() > 0);
    // Once the first is done its bytes are free again.
    first->write(QByteArray(400, 'a'));
    const std::optional<Reply> done = readReply(*first, firstBuffer);
    QVERIFY(done);
    QCOMPARE(done->status, 200);
    std::unique_ptr<QTcpSocket> third(connectClient());
    third->write("PUT /p HTTP/1.1\r\nHost: x\r\nContent-Length: 800\r\n\r\n"
                 + QByteArray(800, 'b'));
    buffer.clear();
    const std::optional<Reply> accepted = readReply(*third, buffer);
    QVERIFY(accepted);
    QCOMPARE(accepted->status, 200);
}

void tst_HttpServer::slowHeadIsDropped()
{
    ServerConfig config;
    config.headTimeoutMs = 600;
    startServer(config);
    std::unique_ptr<QTcpSocket> socket(connectClient());
    // A byte every 100 ms keeps the connection busy but never finishes the head.
    const QByteArray head = "GET /x HTTP/1.1\r\nHost: x\r\nX-Slow: " + QByteArray(200, 's');
    QElapsedTimer timer;
    timer.start();
    qsizetype sent = 0;
    while (socket->state() == QAbstractSocket::ConnectedState && sent < head.size()
           && timer.elapsed() < 5000) {
        socket->write(head.mid(sent++, 1));
        socket->flush();
        waitFor(
            *socket, [] { return false; }, 100);
    }
    QVERIFY(closedByServer(*socket, 3000));
    QVERIFY2(timer.elapsed() < 2500, qPrintable(QString::number(timer.elapsed())));
}

void tst_HttpServer::connectionsPerAddressAreLimited()
{
    ServerConfig config;
    config.maxConnectionsPerAddress = 3;
    startServer(config);
    std::vector<std::unique_ptr<QTcpSocket>> open;
    for (int i = 0; i < 3; ++i) {
        open.emplace_back(connectClient());
        open.back()->write("GET /x HTTP/1.1\r\nHost: x\r\n\r\n");
        QByteArray buffer;
        QVERIFY(readReply(*open.back(), buffer));
    }
    std::unique_ptr<QTcpSocket> fourth(connectClient());
    QVERIFY(closedByServer(*fourth, 3000));
    // One closes, and there is room again.
    open.front()->disconnectFromHost();
    open.erase(open.begin());
    // A loop, not QTRY_VERIFY: that evaluates its expression again after success, and each
    // evaluation opens a connection of its own.
    QElapsedTimer clock;
    clock.start();
    bool served = false;
    while (!served && clock.elapsed() < 20000) {
        const std::unique_ptr<QTcpSocket> again(connectClient());
        again->write("GET /x HTTP/1.1\r\nHost: x\r\n\r\n");
        QByteArray buffer;
        served = readReply(*again, buffer, false, 500).has_value();
    }
    QVERIFY(served);
}

void tst_HttpServer::servesTls()
{
    if (!QSslSocket::supportsSsl()) {
        QSKIP("no TLS backend");
    }
    // A certificate made the way an administrator would, with openssl(1).
    const QString certificate = m_dir->filePath(u"cert.pem"_s);
    const QString key = m_dir->filePath(u"key.pem"_s);
    QProcess openssl;
    openssl.start(u"openssl"_s,
                  {u"req"_s,
                   u"-x509"_s,
                   u"-newkey"_s,
                   u"ec"_s,
                   u"-pkeyopt"_s,
                   u"ec_paramgen_curve:prime256v1"_s,
                   u"-nodes"_s,
                   u"-days"_s,
                   u"2"_s,
                   u"-subj"_s,
                   u"/CN=127.0.0.1"_s,
                   u"-keyout"_s,
                   key,
                   u"-out"_s,
                   certificate});
    QVERIFY(openssl.waitForFinished(30000));
    QCOMPARE(openssl.exitCode(), 0);
    const Trove::Result<QSslConfiguration> tls = HttpServer::loadTls(certificate, key);
    QVERIFY2(tls, qPrintable(tls ? QString() : tls.error().message));
    ServerConfig config;
    config.tls = *tls;
    startServer(config);

    QSslSocket client;
    client.setPeerVerifyMode(QSslSocket::VerifyPeer);
    QSslConfiguration trust = client.sslConfiguration();
    trust.setCaCertificates(QSslCertificate::fromPath(certificate));
    client.setSslConfiguration(trust);
    client.connectToHostEncrypted(u"127.0.0.1"_s, m_port);
    // The acceptor lives on this thread: keep its events running while the handshake goes on.
    QVERIFY2(waitFor(client, [&] { return client.isEncrypted(); }),
             qPrintable(client.errorString()));
    client.write("GET /over-tls HTTP/1.1\r\nHost: x\r\n\r\nGET /file HTTP/1.1\r\nHost: x\r\n\r\n");
    QByteArray buffer;
    const std::optional<Reply> reply = readReply(client, buffer);
    QVERIFY(reply);
    QCOMPARE(QJsonDocument::fromJson(reply->body).object().value(u"path"_s).toString(),
             u"/over-tls"_s);
    // Files go through TLS too (no sendfile() there).
    const std::optional<Reply> file = readReply(client, buffer, false, 30000);
    QVERIFY(file);
    QVERIFY(file->body == m_fileBytes);

    // Plain HTTP on the TLS port gets no answer: the connection closes.
    std::unique_ptr<QTcpSocket> plain(connectClient());
    plain->write("GET /x HTTP/1.1\r\nHost: x\r\n\r\n");
    QVERIFY(closedByServer(*plain, 15000));
    QVERIFY(!plain->readAll().startsWith("HTTP/1.1 200"));
}

// The listening TCP sockets this process holds: socket inodes among its open files that
// /proc/net/tcp{,6} lists in state LISTEN (0A).
static int listeningSockets()
{
    QSet<QByteArray> listening;
    for (const char *table : {"/proc/net/tcp", "/proc/net/tcp6"}) {
        QFile file(QString::fromLatin1(table));
        if (!file.open(QIODevice::ReadOnly)) {
            continue;
        }
        const QList<QByteArray> lines = file.readAll().split('\n');
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const QList<QByteArray> fields = lines.at(i).simplified().split(' ');
            if (fields.size() > 9 && fields.at(3) == "0A") {
                listening.insert(fields.at(9));
            }
        }
    }
    int count = 0;
    const QDir fds(u"/proc/self/fd"_s);
    for (const QString &fd : fds.entryList(QDir::Files | QDir::System)) {
        const QString target = QFile::symLinkTarget(fds.filePath(fd));
        if (target.contains(u"socket:["_s)) {
            const QByteArray inode = target.section(u'[', 1).chopped(1).toLatin1();
            count += listening.contains(inode);
        }
    }
    return count;
}

void tst_HttpServer::onlyOneSocketListens()
{
    // No socket listens that does not serve: the workers have none of their own.
    ServerConfig config;
    config.workerThreads = 4;
    startServer(config);
    QCOMPARE(listeningSockets(), 1);
    m_server->stop();
    QCOMPARE(listeningSockets(), 0);
}

QTEST_GUILESS_MAIN(tst_HttpServer)
#include "tst_httpserver.moc"
