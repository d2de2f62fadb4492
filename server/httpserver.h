// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "model/result.h"
#include "server/httpresponse.h"
#include "server/requestcontext.h"

#include <QDateTime>
#include <QHostAddress>
#include <QObject>
#include <QSslConfiguration>

#include <functional>
#include <memory>
#include <optional>

namespace Trove::Http {

struct ServerConfig
{
    QHostAddress address = QHostAddress(QHostAddress::LocalHost);
    quint16 port = 0; // 0: any free port
    int workerThreads = 2;
    qint64 maxBodySize = 500LL * 1024 * 1024; // GitLab's npm default
    // Bodies of all requests in flight together (streamed to disk or held in memory); past it,
    // 503 with Retry-After before the body is read.
    qint64 maxBodyBytesInFlight = 1024LL * 1024 * 1024;
    // A body the handler did not give a sink for is kept in memory up to this size (413 beyond).
    qint64 maxMemoryBody = 8LL * 1024 * 1024;
    int idleTimeoutMs = 60000; // a kept-alive connection waiting for its next request
    int headTimeoutMs =
        10000; // from a request's first byte (or the TCP/TLS connection) to its blank line
    int bodyTimeoutMs = 30000; // a body, or a response being written, that makes no progress
    int maxConnections = 1024;
    int maxConnectionsPerAddress = 256;
    // TLS when set (HttpServer::loadTls). An optional, because a QSslConfiguration, even an
    // empty one, loads the TLS backend and OpenSSL (megabytes, milliseconds) when it is made.
    std::optional<QSslConfiguration> tls;

    bool tlsEnabled() const;
};

// One finished request, for the request log. Carries no header values and no body.
struct RequestRecord
{
    QByteArray method;
    QByteArray path;
    int status = 0;
    qint64 bytes = 0;
    qint64 durationMs = 0;
    QHostAddress peer;
    QDateTime time;
    Response::LogNote log; // from the handler's answer
};

// The handler's word on a request with a body, given the head alone (docs/http.md).
struct Admission
{
    // Answered at once, before a byte of the body is read; the connection is then closed.
    std::optional<Response> refusal;
    // Where the body goes; none: RequestContext::body, up to ServerConfig::maxMemoryBody.
    std::shared_ptr<BodySink> sink;
};

// The HTTP/1.1 server (docs/http.md). It owns the sockets: one strict parser (RequestParser)
// frames every request, a request with a body is admitted or refused from its head before the
// body is read, bodies stream into the admitted sink under a byte budget shared by all
// connections, and responses are written by this class (files with sendfile()). An acceptor
// hands connections to N worker threads; each connection stays on one.
//
// The handler and the admitter run on the worker threads, several at once: they must be
// thread-safe.
class HttpServer final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HttpServer)

public:
    using Handler = std::function<Response(const RequestContext &)>;
    using Admitter = std::function<Admission(const RequestContext &)>;

    explicit HttpServer(Handler handler, QObject *parent = nullptr);
    ~HttpServer() override;

    // Without an admitter every body is admitted and kept in memory.
    void setAdmitter(Admitter admitter);

    // Listens and starts the workers; returns the bound port.
    Result<quint16> start(const ServerConfig &config);
    void stop();
    quint16 port() const;
    bool isRunning() const;

    // The certificate chain and private key in PEM files, as ServerConfig::tls wants them.
    static Result<QSslConfiguration> loadTls(const QString &certificateFile,
                                             const QString &keyFile);

signals:
    // Emitted from a worker thread; connect with a context object.
    void requestFinished(const Trove::Http::RequestRecord &record);

private:
    class Acceptor;
    class Worker;
    class Connection;
    struct Shared;
    friend class Acceptor;
    friend class Connection;

    void dispatch(qintptr descriptor);

    const Handler m_handler;
    Admitter m_admitter;
    ServerConfig m_config;
    std::shared_ptr<Shared> m_shared;
    std::unique_ptr<Acceptor> m_acceptor;
    std::vector<std::unique_ptr<Worker>> m_workers;
    size_t m_next = 0;
};

} // namespace Trove::Http

Q_DECLARE_METATYPE(Trove::Http::RequestRecord)
