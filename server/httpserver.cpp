// SPDX-License-Identifier: GPL-3.0-or-later
// The HTTP/1.1 server on its own sockets (server/transport.h: plain TCP read and written
// directly, TLS through QSslSocket; docs/http.md). Qt HTTP Server 6.4 is not used: it reads and
// buffers whole requests with a parser of its own, so nothing in front of it could refuse a body
// before it was buffered, nor be sure that it and QHttpServer agreed on where a request ends. One
// parser (RequestParser) frames every request here.

#include "server/httpserver.h"

#include "server/httpparser.h"
#include "server/serverlogging.h"
#include "server/transport.h"

#include <QElapsedTimer>
#include <QFile>
#include <QHash>
#include <QLocale>
#include <QMetaMethod>
#include <QMutex>
#include <QPointer>
#include <QScopeGuard>
#include <QSemaphore>
#include <QSslCertificate>
#include <QSslKey>
#include <QSslSocket>
#include <QTcpServer>
#include <QTcpSocket>
#include <QThread>
#include <QTimer>

#include <atomic>

#include <cerrno>
#include <csignal>

#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace Trove::Http {

namespace {

constexpr qint64 ReadChunk = 64 * 1024;
// Responses queued for a client that does not read them: past this no further request of that
// connection is answered until the client has read some.
constexpr qint64 WriteHighWater = 256 * 1024;
constexpr qint64 PumpChunk = 64 * 1024;
constexpr qint64 SendfileChunk = 4 * 1024 * 1024;
constexpr int DrainAfterRefusalMs = 2000;
constexpr int RetryAfterSeconds = 5;
// A deferred answer (docs/proxy.md §5) not given by then is answered 504. The proxy's own
// upstream timeouts (30 s without progress, one retry) end well before.
constexpr int DeferredTimeoutMs = 5 * 60 * 1000;

// RFC 9110 IMF-fixdate, always in English whatever the locale; formatted once a second per thread.
QByteArray httpDate()
{
    thread_local qint64 second = -1;
    thread_local QByteArray text;
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const qint64 current = now.toSecsSinceEpoch();
    if (current != second) {
        second = current;
        text = QLocale::c().toString(now, u"ddd, dd MMM yyyy hh:mm:ss 'GMT'"_s).toLatin1();
    }
    return text;
}

bool isBodiless(int status)
{
    return status == 204 || status == 304 || (status >= 100 && status < 200);
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

Response plainError(int status, const QByteArray &message)
{
    Response response =
        Response::json(status, "{\"error\":\"" + message + "\",\"message\":\"" + message + "\"}");
    if (status == 503) {
        response.setHeader("Retry-After", QByteArray::number(RetryAfterSeconds));
    }
    response.log.reason = QString::fromLatin1(message);
    return response;
}

} // namespace

bool ServerConfig::tlsEnabled() const
{
    return tls.has_value();
}

// Where deferred answers are posted to a worker's thread, from whichever thread gives them. The
// worker clears `host` under the lock before its host object goes, so a late answer is dropped
// instead of being posted to an object that no longer exists.
struct Mailbox
{
    QMutex mutex;
    QObject *host = nullptr;

    void post(std::function<void()> call)
    {
        QMutexLocker lock(&mutex);
        if (host) {
            QMetaObject::invokeMethod(host, std::move(call), Qt::QueuedConnection);
        }
    }
};

// What every worker shares: the configuration, the handler, the byte budget and the counts of
// open connections.
struct HttpServer::Shared
{
    ServerConfig config;
    Handler handler;
    Admitter admitter;
    HttpServer *owner = nullptr;
    std::atomic<qint64> bodyBytesInFlight{0};
    std::atomic<int> connections{0};
    QMutex mutex;
    QHash<QHostAddress, int> perAddress;

    bool reserve(qint64 bytes)
    {
        qint64 current = bodyBytesInFlight.load(std::memory_order_relaxed);
        do {
            if (current + bytes > config.maxBodyBytesInFlight) {
                return false;
            }
        } while (!bodyBytesInFlight.compare_exchange_weak(current, current + bytes));
        return true;
    }

    void release(qint64 bytes) { bodyBytesInFlight.fetch_sub(bytes); }

    // False when one more connection from `address` would pass a limit.
    bool admitConnection(const QHostAddress &address)
    {
        QMutexLocker lock(&mutex);
        int &count = perAddress[address];
        if (connections.load() >= config.maxConnections
            || count >= config.maxConnectionsPerAddress) {
            if (count == 0) {
                perAddress.remove(address);
            }
            return false;
        }
        ++count;
        ++connections;
        return true;
    }

    void connectionClosed(const QHostAddress &address)
    {
        QMutexLocker lock(&mutex);
        const auto it = perAddress.find(address);
        if (it != perAddress.end() && --*it <= 0) {
            perAddress.erase(it);
        }
        --connections;
    }
};

// One client connection, on its worker's thread; owns its socket.
class HttpServer::Connection final : public QObject
{
public:
    Connection(Transport *transport,
               std::shared_ptr<Shared> shared,
               std::shared_ptr<Mailbox> mailbox,
               const QHostAddress &peer,
               const QHostAddress &local,
               quint16 localPort)
        : m_socket(transport)
        , m_shared(std::move(shared))
        , m_mailbox(std::move(mailbox))
        , m_config(m_shared->config)
        , m_peer(peer)
        , m_local(local)
        , m_localPort(localPort)
    {
        m_socket->setParent(this);
        m_clock.start();
        m_timer.setSingleShot(true);
        connect(&m_timer, &QTimer::timeout, this, [this] { timedOut(); });
        m_socket->setCallbacks(
            {[this] { readable(); }, [this] { written(); }, [this] { deleteLater(); }});
        // A new connection must start its first request (or its TLS handshake) promptly.
        arm(m_config.headTimeoutMs);
    }

    ~Connection() override
    {
        releaseBody();
        m_shared->connectionClosed(m_peer);
    }

    // After the TLS handshake, or at once for plain TCP.
    void start() { process(); }

private:
    enum class State {
        Head, // waiting for or reading a request head
        Body, // reading an admitted body
        Responding, // a file is being sent
        Waiting, // the handler deferred its answer; nothing is read until it comes
        Draining, // the answer is out and the connection is closing; input is discarded
    };

    // Sets the connection's deadline. The timer is moved only when it would fire too late: a
    // keep-alive request that arrives and is answered in one go moves the deadline forward (idle,
    // head, idle again) without touching the timer, which fires early and is set again for what
    // remains. Inside process() the timer is looked at once, when it returns.
    void arm(int milliseconds)
    {
        m_deadlineMs = m_clock.elapsed() + milliseconds;
        if (!m_processing) {
            ensureTimer();
        }
    }

    void ensureTimer()
    {
        if (m_timer.isActive() && m_timerDueMs <= m_deadlineMs) {
            return;
        }
        m_timerDueMs = m_deadlineMs;
        m_timer.start(int(std::max<qint64>(0, m_deadlineMs - m_clock.elapsed())));
    }

    void timedOut()
    {
        if (const qint64 now = m_clock.elapsed(); now < m_deadlineMs) {
            m_timerDueMs = m_deadlineMs;
            m_timer.start(int(m_deadlineMs - now));
            return;
        }
        switch (m_state) {
        case State::Head:
            if (!m_parser.inRequest()) {
                // Idle between requests, or a connection (or TLS handshake) that never sent a
                // request: close quietly.
                m_socket->abort();
                deleteLater();
                return;
            }
            refuse(408, "The request head did not arrive in time");
            return;
        case State::Body:
            refuse(408, "The request body stopped arriving");
            return;
        case State::Waiting:
            ++m_ticket; // an answer that comes after all is dropped
            respond(plainError(504, "The answer did not come in time"), true);
            return;
        case State::Responding:
        case State::Draining:
            m_socket->abort();
            deleteLater();
            return;
        }
    }

    void readable()
    {
        if (m_state == State::Responding || m_state == State::Waiting || m_waitingForWrites) {
            // Not now: resumed when the file is out or the client has read its answers.
            m_socket->pauseReading(true);
            return;
        }
        process();
    }

    void process()
    {
        if (m_state == State::Draining) {
            m_socket->discardInput();
            return;
        }
        m_processing = true;
        const auto done = qScopeGuard([this] {
            m_processing = false;
            ensureTimer();
        });
        while (m_state == State::Head || m_state == State::Body) {
            if (m_socket->bytesToWrite() > WriteHighWater) {
                m_waitingForWrites = true; // written() resumes
                m_socket->pauseReading(true);
                return;
            }
            if (m_inputPos == m_input.size() && m_needInput) {
                m_input = m_socket->read(ReadChunk);
                m_inputPos = 0;
                if (m_input.isEmpty()) {
                    return;
                }
            }
            if (m_state == State::Head && !m_parser.inRequest() && m_inputPos < m_input.size()) {
                // The first bytes of a request: its head has headTimeoutMs from now.
                m_requestStartMs = m_clock.elapsed();
                arm(m_config.headTimeoutMs);
            }
            qsizetype consumed = 0;
            const RequestParser::Event event =
                m_parser.feed(QByteArrayView(m_input).sliced(m_inputPos), &consumed);
            m_inputPos += consumed;
            // After any other event the parser is asked again, with what is left or nothing: a
            // request without a body ends right after its head.
            m_needInput = event == RequestParser::Event::NeedMore;
            switch (event) {
            case RequestParser::Event::NeedMore:
                break;
            case RequestParser::Event::Head:
                head();
                break;
            case RequestParser::Event::Body:
                bodyPiece(m_parser.body());
                break;
            case RequestParser::Event::End:
                end();
                break;
            case RequestParser::Event::Error:
                refuse(m_parser.errorStatus(), m_parser.errorMessage());
                return;
            }
        }
    }

    void head()
    {
        const RequestHead &head = m_parser.head();
        m_request = RequestContext{};
        m_request.method = head.method;
        m_request.encodedPath = head.path;
        m_request.query = head.query;
        m_request.headers = head.headers;
        m_request.peer = m_peer;
        m_request.local = m_local;
        m_request.localPort = m_localPort;
        m_request.tls = m_config.tlsEnabled();
        m_request.http10 = head.http10;
        m_bodyBytes = 0;
        if (head.framing == RequestHead::Framing::None) {
            return;
        }
        if (m_shared->admitter) {
            Admission admission = m_shared->admitter(m_request);
            if (admission.refusal) {
                respond(std::move(*admission.refusal), true);
                return;
            }
            m_request.sink = std::move(admission.sink);
        }
        if (head.framing == RequestHead::Framing::Length) {
            if (head.contentLength > m_config.maxBodySize) {
                refuse(413, "Request body is too large");
                return;
            }
            if (!m_shared->reserve(head.contentLength)) {
                refuse(503, "The server is receiving too much at once; try again shortly");
                return;
            }
            m_reserved = head.contentLength;
        }
        if (head.expectContinue) {
            m_socket->write("HTTP/1.1 100 Continue\r\n\r\n");
        }
        m_state = State::Body;
        arm(m_config.bodyTimeoutMs);
    }

    void bodyPiece(QByteArrayView piece)
    {
        m_bodyBytes += piece.size();
        if (m_parser.head().framing == RequestHead::Framing::Chunked) {
            // A chunked body has no length to reserve up front: it reserves as it arrives.
            if (m_bodyBytes > m_config.maxBodySize) {
                refuse(413, "Request body is too large");
                return;
            }
            if (!m_shared->reserve(piece.size())) {
                refuse(503, "The server is receiving too much at once; try again shortly");
                return;
            }
            m_reserved += piece.size();
        }
        arm(m_config.bodyTimeoutMs);
        if (m_request.sink) {
            if (const Result<void> written = m_request.sink->write(piece); !written) {
                refuse(written.error());
            }
            return;
        }
        if (m_request.body.size() + piece.size() > m_config.maxMemoryBody) {
            refuse(413, "Request body is too large");
            return;
        }
        m_request.body.append(piece.data(), piece.size());
    }

    void end()
    {
        if (m_request.sink) {
            if (const Result<void> finished = m_request.sink->finish(); !finished) {
                refuse(finished.error());
                return;
            }
        }
        Response response = m_shared->handler(m_request);
        const bool close = !m_parser.head().keepAlive;
        m_parser.reset();
        if (response.deferred) {
            wait(std::move(response.deferred), close);
            return;
        }
        respond(std::move(response), close);
        releaseBody();
    }

    // The handler answers later: stop reading (a pipelined request waits in the socket) and
    // let the worker serve its other connections until the answer is posted back here.
    void wait(std::shared_ptr<DeferredAnswer> deferred, bool close)
    {
        m_state = State::Waiting;
        m_closeAfterAnswer = close;
        const quint64 ticket = ++m_ticket;
        m_socket->pauseReading(true);
        arm(DeferredTimeoutMs);
        const std::shared_ptr<Mailbox> mailbox = m_mailbox;
        const QPointer<Connection> self(this);
        deferred->start([mailbox, self, ticket](Response answer) {
            mailbox->post([self, ticket, answer = std::move(answer)]() mutable {
                if (self) {
                    self->answered(ticket, std::move(answer));
                }
            });
        });
    }

    void answered(quint64 ticket, Response answer)
    {
        if (m_state != State::Waiting || ticket != m_ticket) {
            return;
        }
        Q_ASSERT(!answer.deferred);
        answer.deferred.reset();
        respond(std::move(answer), m_closeAfterAnswer);
        releaseBody();
    }

    void releaseBody()
    {
        if (m_reserved > 0) {
            m_shared->release(m_reserved);
            m_reserved = 0;
        }
        m_request.sink.reset();
        m_request.body.clear();
    }

    void refuse(const Error &error)
    {
        if (error.code == Error::Code::Invalid) {
            refuse(400, error.message.toUtf8());
            return;
        }
        qCWarning(lcServer).noquote() << "Cannot take a request body:" << error.message;
        refuse(500, "The request body could not be stored");
    }

    void refuse(int status, const QByteArray &message)
    {
        if (m_state == State::Draining) {
            return;
        }
        // Escaped for JSON: the messages are ours, but keep the body well-formed whatever they say.
        QByteArray escaped = message;
        escaped.replace('\\', "\\\\").replace('"', "\\\"");
        respond(plainError(status, escaped), true);
    }

    // Writes the answer to the current request; with `close` the connection ends after it.
    void respond(Response response, bool close)
    {
        const bool headersOnly = m_request.method == "HEAD" || isBodiless(response.status);
        std::unique_ptr<QFile> file;
        qint64 length = response.body.size();
        if (!response.filePath.isEmpty()) {
            file = std::make_unique<QFile>(response.filePath);
            if (!file->open(QIODevice::ReadOnly)) {
                file.reset();
                qCWarning(lcServer).noquote()
                    << "A stored tarball is missing:" << response.filePath;
                response = plainError(500, "A stored file is missing: run trove check");
                length = response.body.size();
            } else {
                length = file->size();
            }
        }
        // Head and body leave in one write.
        m_socket->write(serialiseHead(response, length, close, m_request.http10),
                        headersOnly ? QByteArrayView() : QByteArrayView(response.body));
        record(response, headersOnly ? 0 : length);
        m_request = RequestContext{};
        if (file && !headersOnly) {
            m_file = std::move(file);
            m_fileOffset = 0;
            m_fileSize = length;
            m_closeAfterFile = close;
            m_state = State::Responding;
            arm(m_config.bodyTimeoutMs);
            pump();
            return;
        }
        finishResponse(close);
    }

    void finishResponse(bool close)
    {
        if (close) {
            drainAndClose();
            return;
        }
        m_state = State::Head;
        arm(m_config.idleTimeoutMs);
        m_socket->pauseReading(false);
        if (!m_processing && (m_inputPos < m_input.size() || m_socket->mayHaveInput())) {
            // A file just finished and a pipelined request is waiting: answer it after this
            // event, not inside the pump. (Inside process() its loop goes on by itself.)
            QMetaObject::invokeMethod(
                this, [this] { process(); }, Qt::QueuedConnection);
        }
    }

    // The client may still be sending a body it was told not to: read and drop it while the
    // answer goes out, so that the close does not reset the connection before the client has
    // read the answer; then close.
    void drainAndClose()
    {
        m_state = State::Draining;
        releaseBody();
        m_input.clear();
        m_inputPos = 0;
        m_socket->pauseReading(false);
        m_socket->discardInput();
        if (m_socket->bytesToWrite() == 0) {
            m_socket->closeWrite();
        } else {
            m_shutdownWhenWritten = true;
        }
        arm(DrainAfterRefusalMs);
    }

    void written()
    {
        if (m_file) {
            arm(m_config.bodyTimeoutMs);
            pump();
            return;
        }
        if (m_state == State::Draining) {
            if (m_shutdownWhenWritten && m_socket->bytesToWrite() == 0) {
                m_shutdownWhenWritten = false;
                m_socket->closeWrite();
            }
            return;
        }
        if (m_waitingForWrites && m_socket->bytesToWrite() <= WriteHighWater) {
            m_waitingForWrites = false;
            m_socket->pauseReading(false);
            process();
        }
    }

    // Sends the file with sendfile() (no copy through user space) once the head has gone; when
    // the kernel's buffer is full the transport says when it is writable again. Under TLS one
    // chunk at a time goes through the socket, whose draining calls the pump again.
    void pump()
    {
        if (m_pumping) {
            return;
        }
        m_pumping = true;
        const auto done = qScopeGuard([this] { m_pumping = false; });
        while (m_file) {
            if (m_socket->bytesToWrite() > 0) {
                return; // written() calls again
            }
            const qint64 remaining = m_fileSize - m_fileOffset;
            if (remaining <= 0) {
                m_file.reset();
                m_pumping = false;
                finishResponse(m_closeAfterFile);
                return;
            }
            if (const int descriptor = m_socket->sendfileDescriptor(); descriptor >= 0) {
                off_t offset = off_t(m_fileOffset);
                const ssize_t sent = ::sendfile(descriptor,
                                                m_file->handle(),
                                                &offset,
                                                size_t(std::min<qint64>(remaining, SendfileChunk)));
                if (sent > 0) {
                    m_fileOffset = offset;
                    continue;
                }
                if (sent < 0 && errno == EINTR) {
                    continue;
                }
                if (sent < 0 && errno == EAGAIN) {
                    m_socket->notifyWhenWritable();
                    return;
                }
                // The file shrank or the client went away.
                m_file.reset();
                m_socket->abort();
                deleteLater();
                return;
            }
            m_buffer.resize(PumpChunk);
            const ssize_t read = ::pread(m_file->handle(),
                                         m_buffer.data(),
                                         size_t(std::min<qint64>(remaining, PumpChunk)),
                                         off_t(m_fileOffset));
            if (read <= 0) {
                m_file.reset();
                m_socket->abort();
                deleteLater();
                return;
            }
            m_fileOffset += read;
            m_socket->write(QByteArrayView(m_buffer.constData(), read));
            return;
        }
    }

    void record(const Response &response, qint64 bytes)
    {
        // trove serve has no request log: no record is made for nobody.
        static const QMetaMethod finished = QMetaMethod::fromSignal(&HttpServer::requestFinished);
        if (!m_shared->owner->isSignalConnected(finished)) {
            return;
        }
        RequestRecord record;
        record.method = m_request.method.isEmpty() ? m_parser.head().method : m_request.method;
        record.path =
            m_request.encodedPath.isEmpty() ? m_parser.head().path : m_request.encodedPath;
        record.status = response.status;
        record.bytes = bytes;
        record.durationMs = m_clock.elapsed() - m_requestStartMs;
        record.peer = m_peer;
        record.time = QDateTime::currentDateTimeUtc();
        record.log = response.log;
        emit m_shared->owner->requestFinished(record);
    }

    Transport *const m_socket;
    const std::shared_ptr<Shared> m_shared;
    const std::shared_ptr<Mailbox> m_mailbox;
    const ServerConfig &m_config;
    const QHostAddress m_peer;
    const QHostAddress m_local;
    const quint16 m_localPort;
    RequestParser m_parser;
    State m_state = State::Head;
    QElapsedTimer m_clock;
    QTimer m_timer;
    qint64 m_deadlineMs = 0; // on m_clock
    qint64 m_timerDueMs = 0; // when m_timer fires, on m_clock
    QByteArray m_input;
    qsizetype m_inputPos = 0;
    RequestContext m_request;
    qint64 m_bodyBytes = 0;
    qint64 m_reserved = 0;
    qint64 m_requestStartMs = 0;
    std::unique_ptr<QFile> m_file;
    qint64 m_fileOffset = 0;
    qint64 m_fileSize = 0;
    bool m_closeAfterFile = false;
    bool m_pumping = false;
    bool m_shutdownWhenWritten = false;
    bool m_waitingForWrites = false;
    bool m_needInput = true;
    bool m_processing = false; // inside process()
    bool m_closeAfterAnswer = false;
    quint64 m_ticket = 0; // the deferred answer this connection waits for
    QByteArray m_buffer;
};

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

// A thread with its own event loop; the connections it is given live and die on it.
class HttpServer::Worker final : public QThread
{
public:
    explicit Worker(std::shared_ptr<Shared> shared)
        : m_shared(std::move(shared))
    {
    }

    QObject *host() const { return m_host; }
    void waitUntilReady() { m_ready.acquire(); }

    // On this worker's thread.
    void adopt(qintptr descriptor, const QHostAddress &peer)
    {
        const int fd = int(descriptor);
        // Without TCP_NODELAY a keep-alive client that waits for each response before sending
        // the next request meets the 40 ms of delayed ACK on every small response.
        const int one = 1;
        ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
        QHostAddress local;
        quint16 localPort = 0;
        sockaddr_storage address = {};
        socklen_t size = sizeof(address);
        if (::getsockname(fd, reinterpret_cast<sockaddr *>(&address), &size) == 0) {
            local.setAddress(reinterpret_cast<const sockaddr *>(&address));
            localPort = ntohs(address.ss_family == AF_INET6
                                  ? reinterpret_cast<const sockaddr_in6 *>(&address)->sin6_port
                                  : reinterpret_cast<const sockaddr_in *>(&address)->sin_port);
        }
        if (!m_shared->config.tlsEnabled()) {
            const int flags = ::fcntl(fd, F_GETFL);
            if (flags < 0 || ::fcntl(fd, F_SETFL, flags | O_NONBLOCK) != 0) {
                ::close(fd);
                m_shared->connectionClosed(peer);
                return;
            }
            auto *connection =
                new Connection(new PlainTransport(fd), m_shared, m_mailbox, peer, local, localPort);
            connection->setParent(m_host);
            connection->start();
            return;
        }
        auto *secure = new QSslSocket;
        if (!secure->setSocketDescriptor(descriptor)) {
            delete secure;
            ::close(fd);
            m_shared->connectionClosed(peer);
            return;
        }
        auto *connection =
            new Connection(new TlsTransport(secure), m_shared, m_mailbox, peer, local, localPort);
        connection->setParent(m_host);
        secure->setSslConfiguration(*m_shared->config.tls);
        QObject::connect(
            secure, &QSslSocket::encrypted, connection, [connection] { connection->start(); });
        QObject::connect(secure,
                         &QSslSocket::sslErrors,
                         connection,
                         [secure](const QList<QSslError> &) { secure->abort(); });
        secure->startServerEncryption();
    }

protected:
    void run() override
    {
        QObject host;
        m_host = &host;
        {
            QMutexLocker lock(&m_mailbox->mutex);
            m_mailbox->host = &host;
        }
        m_ready.release();
        exec();
        {
            QMutexLocker lock(&m_mailbox->mutex);
            m_mailbox->host = nullptr;
        }
        m_host = nullptr;
    }

private:
    const std::shared_ptr<Shared> m_shared;
    const std::shared_ptr<Mailbox> m_mailbox = std::make_shared<Mailbox>();
    QSemaphore m_ready;
    QPointer<QObject> m_host;
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

void HttpServer::setAdmitter(Admitter admitter)
{
    m_admitter = std::move(admitter);
}

Result<QSslConfiguration> HttpServer::loadTls(const QString &certificateFile,
                                              const QString &keyFile)
{
    const QList<QSslCertificate> chain = QSslCertificate::fromPath(certificateFile, QSsl::Pem);
    if (chain.isEmpty()) {
        return Error::invalid(u"%1 holds no PEM certificate"_s.arg(certificateFile));
    }
    QFile file(keyFile);
    if (!file.open(QIODevice::ReadOnly)) {
        return Error::invalid(u"Cannot read %1: %2"_s.arg(keyFile, file.errorString()));
    }
    const QByteArray pem = file.readAll();
    QSslKey key;
    for (const QSsl::KeyAlgorithm algorithm : {QSsl::Rsa, QSsl::Ec, QSsl::Dsa}) {
        key = QSslKey(pem, algorithm, QSsl::Pem, QSsl::PrivateKey);
        if (!key.isNull()) {
            break;
        }
    }
    if (key.isNull()) {
        return Error::invalid(
            u"%1 holds no unencrypted RSA or EC private key in PEM form"_s.arg(keyFile));
    }
    QSslConfiguration configuration = QSslConfiguration::defaultConfiguration();
    configuration.setLocalCertificateChain(chain);
    configuration.setPrivateKey(key);
    configuration.setPeerVerifyMode(QSslSocket::VerifyNone);
    configuration.setProtocol(QSsl::TlsV1_2OrLater);
    return configuration;
}

Result<quint16> HttpServer::start(const ServerConfig &config)
{
    stop();
    // sendfile() to a client that has gone raises SIGPIPE, which would end the process (Qt's
    // own socket writes use MSG_NOSIGNAL); the error is handled where it happens instead.
    ::signal(SIGPIPE, SIG_IGN);
    m_config = config;
    m_config.workerThreads = std::max(1, config.workerThreads);
    if (m_config.tlsEnabled() && !QSslSocket::supportsSsl()) {
        return Error::storage(u"TLS is not available: Qt found no TLS backend (OpenSSL)"_s);
    }
    auto acceptor = std::make_unique<Acceptor>(this);
    if (!acceptor->listen(config.address, config.port)) {
        return Error::storage(u"Cannot listen on %1:%2: %3"_s.arg(config.address.toString())
                                  .arg(config.port)
                                  .arg(acceptor->errorString()));
    }
    m_shared = std::make_shared<Shared>();
    m_shared->config = m_config;
    m_shared->handler = m_handler;
    m_shared->admitter = m_admitter;
    m_shared->owner = this;
    for (int i = 0; i < m_config.workerThreads; ++i) {
        auto worker = std::make_unique<Worker>(m_shared);
        worker->start();
        worker->waitUntilReady();
        m_workers.push_back(std::move(worker));
    }
    m_acceptor = std::move(acceptor);
    qCInfo(lcServer) << "Listening on" << config.address.toString() << m_acceptor->serverPort()
                     << "with" << m_config.workerThreads << "worker threads"
                     << (m_config.tlsEnabled() ? "over TLS" : "");
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
    sockaddr_storage address = {};
    socklen_t size = sizeof(address);
    QHostAddress peer;
    if (::getpeername(int(descriptor), reinterpret_cast<sockaddr *>(&address), &size) == 0) {
        peer.setAddress(reinterpret_cast<const sockaddr *>(&address));
    }
    if (!m_shared->admitConnection(peer)) {
        // Too many connections: closed at once, before a byte is read.
        qCInfo(lcServer).noquote()
            << "Refused a connection from" << peer.toString() << "(connection limit)";
        ::close(int(descriptor));
        return;
    }
    Worker *worker = m_workers.at(m_next++ % m_workers.size()).get();
    QObject *host = worker->host();
    if (!host) {
        ::close(int(descriptor));
        m_shared->connectionClosed(peer);
        return;
    }
    // A call still queued when the worker stops is destroyed without running: the last copy of
    // the lambda closes the descriptor then, so stop() leaks no accepted socket.
    const std::shared_ptr<Shared> shared = m_shared;
    const std::shared_ptr<qintptr> held(new qintptr(descriptor), [shared, peer](qintptr *fd) {
        if (*fd >= 0) {
            ::close(int(*fd));
            shared->connectionClosed(peer);
        }
        delete fd;
    });
    QMetaObject::invokeMethod(
        host,
        [worker, held, peer] { worker->adopt(std::exchange(*held, -1), peer); },
        Qt::QueuedConnection);
}

} // namespace Trove::Http
