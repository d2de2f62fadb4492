// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "model/serverstatus.h"
#include "server/httpserver.h"
#include "server/npmhandler.h"

#include <QObject>

#include <atomic>
#include <memory>

class QThread;

namespace Trove {
class Registry;
class RequestLog;
} // namespace Trove

namespace Trove::Http {

// The registry inside the desktop application. The NpmHandler and the HttpServer (with its
// acceptor) are created, started, stopped and destroyed on a thread of their own, so that no
// socket of the registry is served by the caller's (the GUI's) event loop. The Registry must
// outlive this object.
class EmbeddedServer final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(EmbeddedServer)

public:
    explicit EmbeddedServer(Registry &registry, QObject *parent = nullptr);
    ~EmbeddedServer() override;

    // Starts the server on its thread and returns at once; statusChanged() reports Running or
    // Failed, and a port that another program holds is also reported by portInUse(). When
    // `fallbackToAnyPort` is set and the port is taken, any free port is used instead; the window
    // never asks for that (a silent new port breaks every .npmrc written for the old one).
    void start(const ServerConfig &config,
               const NpmHandler::Config &handlerConfig = {},
               bool fallbackToAnyPort = true);
    // Stops the server and waits until its thread is done with it.
    void stop();
    ServerStatus status() const { return m_status; }
    // Every answered request goes into `log` too (for the window's request log), from the next
    // start() on; the log must outlive the server. nullptr: none.
    void setRequestLog(RequestLog *log) { m_log = log; }
    // Requests answered since this object was made (any thread; for a requests/s figure).
    quint64 requestCount() const { return m_requestCount.load(std::memory_order_relaxed); }
    // The program listening on TCP `port` of this machine, as "python3 (pid 4242)", from
    // /proc; "" when none is found or it belongs to another user.
    static QString portHolder(quint16 port);

signals:
    // Emitted on the caller's thread.
    void statusChanged(const Trove::ServerStatus &status);
    // Emitted on the caller's thread after the Failed status when the port asked for is taken;
    // `holder` as portHolder() says it.
    void portInUse(quint16 port, const QString &holder);
    // Emitted from the server's worker threads; connect with a context object.
    void requestFinished(const Trove::Http::RequestRecord &record);

private:
    struct Running;

    void setStatus(const ServerStatus &status);

    Registry &m_registry;
    QThread *m_thread = nullptr; // child of this
    QObject *m_host = nullptr; // lives on m_thread; owns the server through m_running
    std::shared_ptr<Running> m_running; // touched on m_thread only
    ServerStatus m_status;
    quint64 m_generation = 0; // of start()/stop() calls, to drop a late "Running"
    std::atomic<quint64> m_requestCount{0};
    RequestLog *m_log = nullptr;
};

} // namespace Trove::Http
