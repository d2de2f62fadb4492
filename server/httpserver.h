// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "model/result.h"
#include "server/httpresponse.h"
#include "server/requestcontext.h"

#include <QDateTime>
#include <QHostAddress>
#include <QObject>

#include <functional>
#include <memory>

namespace Trove::Http {

struct ServerConfig
{
    QHostAddress address = QHostAddress(QHostAddress::LocalHost);
    quint16 port = 0; // 0: any free port
    int workerThreads = 2;
    qint64 maxBodySize = 500LL * 1024 * 1024; // GitLab's npm default
    int idleTimeoutMs = 60000;
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

// The HTTP server: every call into Qt HTTP Server 6.4 lives in httpserver.cpp, because its API
// changes in 6.5 and 6.8 and because 6.4 has defects this class absorbs (qt-platform.md §2):
// no QFuture routes; one catch-all handler routing on the still-encoded path; HEAD without a body;
// `Connection: close` and HTTP/1.0 honoured; idle connections closed; a body limit enforced from
// the headers, before the body is buffered (413); `Expect: 100-continue` answered; files streamed
// by a bounded pump. An acceptor hands connections to N worker threads, each with its own
// QHttpServer.
//
// The handler runs on the worker threads, several at once: it must be thread-safe.
class HttpServer final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HttpServer)

public:
    using Handler = std::function<Response(const RequestContext &)>;

    explicit HttpServer(Handler handler, QObject *parent = nullptr);
    ~HttpServer() override;

    // Listens and starts the workers; returns the bound port.
    Result<quint16> start(const ServerConfig &config);
    void stop();
    quint16 port() const;
    bool isRunning() const;

signals:
    // Emitted from a worker thread; connect with a context object.
    void requestFinished(const Trove::Http::RequestRecord &record);

private:
    class Acceptor;
    class Worker;
    friend class Acceptor;

    void dispatch(qintptr descriptor);

    const Handler m_handler;
    ServerConfig m_config;
    std::unique_ptr<Acceptor> m_acceptor;
    std::vector<std::unique_ptr<Worker>> m_workers;
    size_t m_next = 0;
};

} // namespace Trove::Http

Q_DECLARE_METATYPE(Trove::Http::RequestRecord)
