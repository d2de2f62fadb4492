// SPDX-License-Identifier: GPL-3.0-or-later
// Everything that touches Qt HTTP Server lives in this file. Qt 6.4's QHttpServer is a technology
// preview; the workarounds below are marked "6.4:" and go away, or change, with 6.5 (connection
// tracking, QHttpServerResponder::socket() removed) and 6.8 (bind() only, QHttpHeaders).

#include "server/httpserver.h"

#include "server/serverlogging.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QHttpServer>
#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QLocale>
#include <QLoggingCategory>
#include <QPointer>
#include <QQueue>
#include <QScopeGuard>
#include <QSemaphore>
#include <QTcpServer>
#include <QTcpSocket>
#include <QThread>
#include <QTimer>

#include <deque>

#include <cerrno>
#include <csignal>

#include <sys/sendfile.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace Trove::Http {

namespace {

constexpr qint64 PumpChunk = 64 * 1024;
constexpr qint64 SendfileChunk = 4 * 1024 * 1024;
constexpr qsizetype MaxHeaderBlock = 64 * 1024;
constexpr int DrainAfterRejectMs = 2000;

// RFC 9110 IMF-fixdate, always in English whatever the locale.
QByteArray httpDate()
{
    return QLocale::c()
        .toString(QDateTime::currentDateTimeUtc(), u"ddd, dd MMM yyyy hh:mm:ss 'GMT'"_s)
        .toLatin1();
}

bool isBodiless(int status)
{
    return status == 204 || status == 304 || (status >= 100 && status < 200);
}

QByteArray methodName(QHttpServerRequest::Method method)
{
    switch (method) {
    case QHttpServerRequest::Method::Get:
        return "GET";
    case QHttpServerRequest::Method::Put:
        return "PUT";
    case QHttpServerRequest::Method::Delete:
        return "DELETE";
    case QHttpServerRequest::Method::Post:
        return "POST";
    case QHttpServerRequest::Method::Head:
        return "HEAD";
    case QHttpServerRequest::Method::Options:
        return "OPTIONS";
    case QHttpServerRequest::Method::Patch:
        return "PATCH";
    default:
        return "UNKNOWN";
    }
}

// The state of one keep-alive connection, a child of its socket.
//
// 6.4: QHttpServer buffers whole requests without a size limit, ignores `Connection: close`,
// HTTP/1.0 and `Expect`, and has no idle timeout. This object's readyRead slot is connected before
// QHttpServer's, so it sees every chunk first: it follows the request framing (header block, then
// Content-Length bytes), refuses oversized requests before their body is buffered, and remembers
// per request what QHttpServerRequest does not expose (HTTP version, Connection).
class Connection final : public QObject
{
    Q_OBJECT

public:
    struct Pending
    {
        QByteArray method;
        bool http10 = false;
        bool close = false;
        qint64 startedMs = 0;
        qint64 end = -1; // stream offset just after the request; -1 when unknown (chunked)
    };

    Connection(QTcpSocket *socket, QObject *httpServer, const ServerConfig &config)
        : QObject(socket)
        , m_socket(socket)
        , m_httpServer(httpServer)
        , m_config(config)
    {
        m_clock.start();
        m_idle.setSingleShot(true);
        m_idle.setInterval(config.idleTimeoutMs);
        // 6.4 has no timeouts at all. The timer runs while the connection waits for the client:
        // idle between requests, or a request that stopped arriving half way (it restarts with
        // every chunk). A response still being written is not idle.
        connect(&m_idle, &QTimer::timeout, this, [this] {
            if (m_file || !m_queue.empty()) {
                return; // finished() restarts the timer
            }
            if (m_socket->bytesToWrite() > 0) {
                m_idle.start();
                return;
            }
            m_socket->disconnectFromHost();
        });
        connect(socket, &QIODevice::readyRead, this, [this] { onReadyRead(); });
        connect(socket, &QIODevice::bytesWritten, this, [this] { pump(); });
        m_idle.start();
    }

    // Called when QHttpServer hands over a request: it has consumed exactly that request.
    Pending takePending()
    {
        const Pending pending = m_pending.isEmpty() ? Pending{} : m_pending.dequeue();
        m_consumed = pending.end >= 0 ? pending.end : m_scanned;
        return pending;
    }

    qint64 elapsedMs() const { return m_clock.elapsed(); }

    // Writes one response, or queues it behind a file still being streamed.
    void send(QByteArray head, QByteArray body, std::unique_ptr<QFile> file, bool close)
    {
        if (m_file || !m_queue.empty()) {
            m_queue.push_back({std::move(head), std::move(body), std::move(file), close});
            return;
        }
        write(std::move(head), body, std::move(file), close);
    }

private:
    enum class State { Headers, Body, Opaque, Rejected };

    struct Queued
    {
        QByteArray head;
        QByteArray body;
        std::unique_ptr<QFile> file;
        bool close = false;
    };

    void write(QByteArray head, const QByteArray &body, std::unique_ptr<QFile> file, bool close)
    {
        m_socket->write(head);
        if (!body.isEmpty()) {
            m_socket->write(body);
        }
        m_closeAfterFile = close;
        if (file) {
            m_file = std::move(file);
            m_fileOffset = 0;
            m_fileSize = m_file->size();
            pump();
            return;
        }
        finished(close);
    }

    void finished(bool close)
    {
        if (close) {
            m_socket->disconnectFromHost();
            return;
        }
        if (m_state == State::Opaque) {
            // The chunked body we could not follow has been answered: the next bytes start a
            // new request.
            m_state = State::Headers;
            m_head.clear();
        }
        while (!m_queue.empty() && !m_file) {
            Queued next = std::move(m_queue.front());
            m_queue.pop_front();
            write(std::move(next.head), next.body, std::move(next.file), next.close);
            if (next.close) {
                return;
            }
        }
        if (!m_file) {
            m_idle.start();
        }
    }

    // 6.4: QHttpServerResponder::write(QIODevice *) copies 512 bytes per event-loop turn
    // (~160 MB/s). This pump sends the file with sendfile() (no copy through user space) once
    // the socket's own buffer is empty; when the kernel's buffer is full it queues one chunk in
    // the socket's buffer instead, whose draining (bytesWritten) calls the pump again.
    void pump()
    {
        // flush() emits bytesWritten, which calls pump() again: the outer call does the work.
        if (m_pumping) {
            return;
        }
        m_pumping = true;
        const auto done = qScopeGuard([this] { m_pumping = false; });
        while (m_file) {
            if (m_socket->bytesToWrite() > 0) {
                m_socket->flush();
                if (m_socket->bytesToWrite() > 0 || !m_file) {
                    return;
                }
            }
            const qint64 remaining = m_fileSize - m_fileOffset;
            if (remaining <= 0) {
                endFile();
                return;
            }
            off_t offset = off_t(m_fileOffset);
            const ssize_t sent = ::sendfile(int(m_socket->socketDescriptor()),
                                            m_file->handle(),
                                            &offset,
                                            size_t(std::min<qint64>(remaining, SendfileChunk)));
            if (sent > 0) {
                m_fileOffset = offset;
                continue;
            }
            if (sent < 0 && (errno == EAGAIN || errno == EINTR)) {
                m_buffer.resize(PumpChunk);
                const ssize_t read = ::pread(m_file->handle(),
                                             m_buffer.data(),
                                             size_t(std::min<qint64>(remaining, PumpChunk)),
                                             off_t(m_fileOffset));
                if (read > 0) {
                    m_fileOffset += read;
                    m_socket->write(m_buffer.constData(), read);
                    return;
                }
            }
            // The file shrank or the client went away: the response cannot be completed.
            m_file.reset();
            m_socket->abort();
            return;
        }
    }

    void endFile()
    {
        m_file.reset();
        m_pumping = false;
        finished(m_closeAfterFile);
    }

    void onReadyRead()
    {
        if (m_state == State::Rejected) {
            // Drain without buffering while the client sees the error.
            if (m_socket->isTransactionStarted()) {
                m_socket->commitTransaction();
            }
            m_socket->skip(m_socket->bytesAvailable());
            return;
        }
        m_idle.start();
        // 6.4: peek() shows the bytes from QHttpServer's read position on. While it has a
        // request half read (a transaction open) it has read everything, so all of them are
        // new. Otherwise its position is the end of the last request it handled, and after a
        // pipelined request it re-emits readyRead for bytes this scanner has already seen.
        const QByteArray peeked = m_socket->peek(m_socket->bytesAvailable());
        const qint64 seen = m_socket->isTransactionStarted() ? 0 : m_scanned - m_consumed;
        if (seen < peeked.size()) {
            scan(QByteArrayView(peeked).sliced(seen));
        }
    }

    void scan(QByteArrayView input)
    {
        m_scanned += input.size();
        QByteArray chunk = input.toByteArray();
        while (!chunk.isEmpty() && m_state != State::Rejected) {
            switch (m_state) {
            case State::Headers: {
                m_head.append(chunk);
                chunk.clear();
                // Blank lines between requests are allowed.
                while (m_head.startsWith("\r\n")) {
                    m_head.remove(0, 2);
                }
                const qsizetype end = m_head.indexOf("\r\n\r\n");
                if (end < 0) {
                    if (m_head.size() > MaxHeaderBlock) {
                        reject(431, "Request header fields are too large");
                    }
                    return;
                }
                if (end + 4 > MaxHeaderBlock) {
                    reject(431, "Request header fields are too large");
                    return;
                }
                // What follows the header block came in the same chunk: body or next request.
                chunk = m_head.mid(end + 4);
                const QByteArray block = m_head.left(end);
                m_head.clear();
                headerBlock(block, m_scanned - chunk.size());
                break;
            }
            case State::Body: {
                const qint64 take = std::min<qint64>(m_remaining, chunk.size());
                m_remaining -= take;
                chunk.remove(0, take);
                if (m_remaining == 0) {
                    m_state = State::Headers;
                }
                break;
            }
            case State::Opaque:
                m_opaqueBytes += chunk.size();
                if (m_opaqueBytes > m_config.maxBodySize) {
                    reject(413, "Request body is too large");
                }
                return;
            case State::Rejected:
                return;
            }
        }
    }

    // `offset`: the stream offset just after the block's blank line.
    void headerBlock(const QByteArray &block, qint64 offset)
    {
        const QList<QByteArray> lines = block.split('\n');
        const QList<QByteArray> requestLine = lines.value(0).trimmed().split(' ');
        Pending pending;
        pending.method = requestLine.value(0);
        const QByteArray version = requestLine.value(2);
        pending.http10 = version == "HTTP/1.0";
        pending.startedMs = m_clock.elapsed();
        bool keepAlive = false;
        bool chunked = false;
        bool expectContinue = false;
        qint64 length = 0;
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const QByteArray &line = lines.at(i);
            const qsizetype colon = line.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            const QByteArray name = line.left(colon).trimmed().toLower();
            const QByteArray value = line.mid(colon + 1).trimmed().toLower();
            if (name == "content-length") {
                bool ok = false;
                length = value.toLongLong(&ok);
                if (!ok || length < 0) {
                    length = 0;
                }
            } else if (name == "transfer-encoding") {
                chunked = value.contains("chunked");
            } else if (name == "connection") {
                pending.close = value.contains("close");
                keepAlive = value.contains("keep-alive");
            } else if (name == "expect") {
                expectContinue = value == "100-continue";
            }
        }
        if (pending.http10 && !keepAlive) {
            pending.close = true;
        }
        if (length > m_config.maxBodySize) {
            reject(413, "Request body is too large");
            return;
        }
        pending.end = chunked ? -1 : offset + length;
        m_pending.enqueue(pending);
        if (expectContinue) {
            // 6.4: QHttpServer never sends the interim response; curl then waits a second.
            m_socket->write("HTTP/1.1 100 Continue\r\n\r\n");
        }
        if (chunked) {
            m_state = State::Opaque;
            m_opaqueBytes = 0;
        } else if (length > 0) {
            m_state = State::Body;
            m_remaining = length;
        } else {
            m_state = State::Headers;
        }
    }

    void reject(int status, const QByteArray &message)
    {
        m_state = State::Rejected;
        // QHttpServer must not read (and buffer) another byte of this connection.
        QObject::disconnect(m_socket, nullptr, m_httpServer, nullptr);
        if (m_socket->isTransactionStarted()) {
            m_socket->commitTransaction();
        }
        m_socket->skip(m_socket->bytesAvailable());
        const QByteArray body = "{\"error\":\"" + message + "\",\"message\":\"" + message + "\"}";
        m_socket->write("HTTP/1.1 " + QByteArray::number(status) + ' ' + reasonPhrase(status)
                        + "\r\nDate: " + httpDate()
                        + "\r\nContent-Type: application/json\r\nContent-Length: "
                        + QByteArray::number(body.size()) + "\r\nConnection: close\r\n\r\n" + body);
        m_socket->flush();
        // Half-close so the client reads the answer before it sees the connection end, then
        // drop the connection if it keeps sending.
        ::shutdown(int(m_socket->socketDescriptor()), SHUT_WR);
        QTimer::singleShot(DrainAfterRejectMs, m_socket, [socket = m_socket] { socket->abort(); });
        qCInfo(lcServer) << "Refused a request with" << status << "from"
                         << m_socket->peerAddress().toString();
    }

    QTcpSocket *const m_socket;
    QObject *const m_httpServer;
    const ServerConfig m_config;
    QElapsedTimer m_clock;
    QTimer m_idle;
    State m_state = State::Headers;
    QByteArray m_head;
    qint64 m_remaining = 0;
    qint64 m_scanned = 0; // bytes of the stream this scanner has seen
    qint64 m_consumed = 0; // bytes QHttpServer has taken, as of its last request
    qint64 m_opaqueBytes = 0;
    QQueue<Pending> m_pending;
    std::deque<Queued> m_queue;
    std::unique_ptr<QFile> m_file;
    qint64 m_fileOffset = 0;
    qint64 m_fileSize = 0;
    bool m_pumping = false;
    bool m_closeAfterFile = false;
    QByteArray m_buffer;
};

// Receives accepted descriptors in a worker thread and hands them to that thread's QHttpServer.
class Injector final : public QTcpServer
{
public:
    Injector(QObject *httpServer, const ServerConfig &config)
        : m_httpServer(httpServer)
        , m_config(config)
    {
    }

    void inject(qintptr descriptor)
    {
        auto *socket = new QTcpSocket(this);
        if (!socket->setSocketDescriptor(descriptor)) {
            delete socket;
            ::close(int(descriptor));
            return;
        }
        // Without TCP_NODELAY a keep-alive client that waits for each response before sending
        // the next request meets the 40 ms of delayed ACK on every small response.
        socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
        // Connected before QHttpServer's own readyRead handler, so it runs first.
        new Connection(socket, m_httpServer, m_config);
        addPendingConnection(socket);
        emit newConnection();
    }

private:
    QObject *const m_httpServer;
    const ServerConfig m_config;
};

QLoggingCategory::CategoryFilter s_previousLogFilter = nullptr;

void quietAboutTls(QLoggingCategory *category)
{
    if (s_previousLogFilter) {
        s_previousLogFilter(category);
    }
    if (qstrcmp(category->categoryName(), "qt.network.ssl") == 0) {
        category->setEnabled(QtWarningMsg, false);
    }
}

QByteArray serialiseHead(const Response &response, qint64 contentLength, bool close, bool http10)
{
    QByteArray head;
    head.reserve(256);
    head += "HTTP/1.1 " + QByteArray::number(response.status) + ' ' + reasonPhrase(response.status)
        + "\r\n";
    for (const auto &[name, value] : response.headers) {
        if (name.compare("content-length", Qt::CaseInsensitive) == 0
            || name.compare("connection", Qt::CaseInsensitive) == 0
            || name.compare("date", Qt::CaseInsensitive) == 0) {
            continue;
        }
        head += name + ": " + value + "\r\n";
    }
    head += "Date: " + httpDate() + "\r\n";
    if (!isBodiless(response.status)) {
        head += "Content-Length: " + QByteArray::number(contentLength) + "\r\n";
    }
    if (close) {
        head += "Connection: close\r\n";
    } else if (http10) {
        head += "Connection: keep-alive\r\n";
    }
    head += "\r\n";
    return head;
}

} // namespace

class HttpServer::Acceptor final : public QTcpServer
{
public:
    explicit Acceptor(HttpServer *owner)
        : m_owner(owner)
    {
    }

protected:
    void incomingConnection(qintptr descriptor) override { m_owner->dispatch(descriptor); }

private:
    HttpServer *const m_owner;
};

class HttpServer::Worker final : public QThread
{
public:
    Worker(HttpServer *owner, const ServerConfig &config)
        : m_owner(owner)
        , m_config(config)
    {
    }

    Injector *injector() const { return m_injector; }

    void waitUntilReady() { m_ready.acquire(); }

protected:
    void run() override
    {
        // Created in this thread, so every socket and timer of it lives here.
        QHttpServer server;
        auto *injector = new Injector(&server, m_config);
        // 6.4: nextPendingConnection() warns unless the server listens; the dummy listener
        // accepts nothing.
        injector->listen(QHostAddress::LocalHost, 0);
        injector->pauseAccepting();
        server.bind(injector);
        HttpServer *owner = m_owner;
        // One catch-all, so npm routing sees the encoded path, every method and HEAD.
        server.setMissingHandler(
            [owner](const QHttpServerRequest &request, QHttpServerResponder &&responder) {
                // 6.4 only: the responder exposes its socket (removed in 6.5).
                QTcpSocket *socket = responder.socket();
                respond(owner, request, socket);
            });
        m_injector = injector;
        m_ready.release();
        exec();
        m_injector = nullptr;
    }

private:
    static void respond(HttpServer *owner, const QHttpServerRequest &request, QTcpSocket *socket)
    {
        auto *connection = socket->findChild<Connection *>(QString(), Qt::FindDirectChildrenOnly);
        if (!connection) {
            socket->abort();
            return;
        }
        const Connection::Pending pending = connection->takePending();
        RequestContext context;
        context.method = pending.method.isEmpty() ? methodName(request.method()) : pending.method;
        context.encodedPath = request.url().path(QUrl::FullyEncoded).toUtf8();
        context.query = request.url().query(QUrl::FullyEncoded).toUtf8();
        context.headers = request.headers();
        context.body = request.body();
        context.peer = request.remoteAddress();
        context.http10 = pending.http10;

        Response response = owner->m_handler(context);
        // HEAD, 204 and 304 carry no body whatever the handler returned, or the next response on
        // this connection would be misframed.
        const bool headersOnly = context.method == "HEAD" || isBodiless(response.status);
        std::unique_ptr<QFile> file;
        qint64 length = response.body.size();
        if (!response.filePath.isEmpty()) {
            file = std::make_unique<QFile>(response.filePath);
            if (!file->open(QIODevice::ReadOnly)) {
                file.reset();
                response = Response::json(500,
                                          "{\"message\":\"Stored file is "
                                          "missing\",\"error\":\"Stored file is missing\"}");
                length = response.body.size();
            } else {
                length = file->size();
            }
        }
        const QByteArray serialised =
            serialiseHead(response, length, pending.close, pending.http10);
        RequestRecord record;
        record.method = context.method;
        record.path = context.encodedPath;
        record.status = response.status;
        record.bytes = headersOnly ? 0 : length;
        record.durationMs = connection->elapsedMs() - pending.startedMs;
        record.peer = context.peer;
        record.time = QDateTime::currentDateTimeUtc();
        record.log = response.log;
        if (headersOnly) {
            connection->send(serialised, {}, nullptr, pending.close);
        } else {
            connection->send(serialised, response.body, std::move(file), pending.close);
        }
        emit owner->requestFinished(record);
    }

    HttpServer *const m_owner;
    const ServerConfig m_config;
    QSemaphore m_ready;
    QPointer<Injector> m_injector;
};

HttpServer::HttpServer(Handler handler, QObject *parent)
    : QObject(parent)
    , m_handler(std::move(handler))
{
    qRegisterMetaType<Trove::Http::RequestRecord>();
}

HttpServer::~HttpServer()
{
    stop();
}

Result<quint16> HttpServer::start(const ServerConfig &config)
{
    stop();
    // sendfile() to a client that has gone raises SIGPIPE, which would end the process (Qt's
    // own socket writes use MSG_NOSIGNAL); the error is handled where it happens instead.
    ::signal(SIGPIPE, SIG_IGN);
    m_config = config;
    m_config.workerThreads = std::max(1, config.workerThreads);
    auto acceptor = std::make_unique<Acceptor>(this);
    if (!acceptor->listen(config.address, config.port)) {
        return Error::storage(u"Cannot listen on %1:%2: %3"_s.arg(config.address.toString())
                                  .arg(config.port)
                                  .arg(acceptor->errorString()));
    }
    {
        // 6.4: QHttpServer's constructor builds a QSslConfiguration, which loads every TLS
        // backend plugin and with them OpenSSL (4 MiB resident, some milliseconds), though
        // Trove serves plain HTTP and opens no TLS connection. Headless, with no plugin folder
        // to look in while the servers are built, nothing is loaded; plugins already loaded (the
        // SQL driver) stay. Not in the window, whose GUI thread may load a plugin meanwhile.
        // Qt then says, several times, that no TLS backend was found: true, and not news.
        const bool headless = !QCoreApplication::instance()
            || !QCoreApplication::instance()->inherits("QGuiApplication");
        const QStringList libraryPaths = QCoreApplication::libraryPaths();
        if (headless) {
            QCoreApplication::setLibraryPaths({});
            s_previousLogFilter = QLoggingCategory::installFilter(quietAboutTls);
        }
        const auto restore = qScopeGuard([headless, &libraryPaths] {
            if (headless) {
                QLoggingCategory::installFilter(s_previousLogFilter);
                QCoreApplication::setLibraryPaths(libraryPaths);
            }
        });
        for (int i = 0; i < m_config.workerThreads; ++i) {
            auto worker = std::make_unique<Worker>(this, m_config);
            worker->start();
            worker->waitUntilReady();
            m_workers.push_back(std::move(worker));
        }
    }
    m_acceptor = std::move(acceptor);
    qCInfo(lcServer) << "Listening on" << config.address.toString() << m_acceptor->serverPort()
                     << "with" << m_config.workerThreads << "worker threads";
    return m_acceptor->serverPort();
}

void HttpServer::stop()
{
    if (m_acceptor) {
        m_acceptor->close();
        m_acceptor.reset();
    }
    for (const std::unique_ptr<Worker> &worker : m_workers) {
        worker->quit();
        worker->wait();
    }
    m_workers.clear();
}

quint16 HttpServer::port() const
{
    return m_acceptor ? m_acceptor->serverPort() : 0;
}

bool HttpServer::isRunning() const
{
    return m_acceptor && m_acceptor->isListening();
}

void HttpServer::dispatch(qintptr descriptor)
{
    Worker *worker = m_workers.at(m_next++ % m_workers.size()).get();
    Injector *injector = worker->injector();
    if (!injector) {
        ::close(int(descriptor));
        return;
    }
    // A call still queued when the worker stops is destroyed without running: the last copy of
    // the lambda closes the descriptor then, so stop() leaks no accepted socket.
    const std::shared_ptr<qintptr> held(new qintptr(descriptor), [](qintptr *fd) {
        if (*fd >= 0) {
            ::close(int(*fd));
        }
        delete fd;
    });
    QMetaObject::invokeMethod(
        injector,
        [injector, held] { injector->inject(std::exchange(*held, -1)); },
        Qt::QueuedConnection);
}

} // namespace Trove::Http

#include "httpserver.moc"
