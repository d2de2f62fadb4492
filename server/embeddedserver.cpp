// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/embeddedserver.h"

#include "model/registry.h"
#include "model/requestlog.h"

#include <QThread>

using namespace Qt::StringLiterals;

namespace Trove::Http {

struct EmbeddedServer::Running
{
    std::unique_ptr<NpmHandler> handler;
    std::unique_ptr<HttpServer> server;
};

namespace {

QString hostText(const QHostAddress &address)
{
    QString host = address.toString();
    if (address.protocol() == QAbstractSocket::IPv6Protocol) {
        host = u'[' + host + u']';
    }
    return host;
}

} // namespace

EmbeddedServer::EmbeddedServer(Registry &registry, QObject *parent)
    : QObject(parent)
    , m_registry(registry)
    , m_thread(new QThread(this))
    , m_running(std::make_shared<Running>())
{
    m_thread->setObjectName(u"registry"_s);
}

EmbeddedServer::~EmbeddedServer()
{
    // No statusChanged() from a destructor: the receivers may be half gone.
    blockSignals(true);
    stop();
}

void EmbeddedServer::start(const ServerConfig &config,
                           const NpmHandler::Config &handlerConfig,
                           bool fallbackToAnyPort)
{
    stop();
    m_host = new QObject;
    m_host->moveToThread(m_thread);
    connect(m_thread, &QThread::finished, m_host, &QObject::deleteLater);
    m_thread->start();

    ServerStatus starting;
    starting.state = ServerStatus::State::Starting;
    starting.host = hostText(config.address);
    starting.tls = config.tlsEnabled();
    starting.plainOnNetwork = !config.address.isLoopback() && !config.tlsEnabled();
    starting.requestedPort = config.port;
    setStatus(starting);

    Registry *registry = &m_registry;
    const std::shared_ptr<Running> running = m_running;
    const quint64 generation = ++m_generation;
    QMetaObject::invokeMethod(
        m_host,
        [this, registry, running, config, handlerConfig, fallbackToAnyPort, starting, generation] {
            running->handler = std::make_unique<NpmHandler>(*registry, handlerConfig);
            NpmHandler *handler = running->handler.get();
            running->server = std::make_unique<HttpServer>(
                [handler](const RequestContext &context) { return handler->handle(context); });
            running->server->setAdmitter(
                [handler](const RequestContext &context) { return handler->admit(context); });
            connect(running->server.get(),
                    &HttpServer::requestFinished,
                    this,
                    &EmbeddedServer::requestFinished,
                    Qt::DirectConnection);
            connect(
                running->server.get(),
                &HttpServer::requestFinished,
                this,
                [this, log = m_log](const RequestRecord &record) {
                    m_requestCount.fetch_add(1, std::memory_order_relaxed);
                    if (log) {
                        log->append({0,
                                     record.time,
                                     QString::fromLatin1(record.method),
                                     QString::fromLatin1(record.path),
                                     record.log.level,
                                     record.log.tokenKind,
                                     record.log.tokenName,
                                     record.log.username,
                                     record.status,
                                     record.bytes,
                                     record.durationMs,
                                     record.log.reason});
                    }
                },
                Qt::DirectConnection);
            Result<quint16> port = running->server->start(config);
            if (!port && fallbackToAnyPort && config.port != 0) {
                ServerConfig anyPort = config;
                anyPort.port = 0;
                port = running->server->start(anyPort);
            }
            ServerStatus status = starting;
            if (port) {
                status.state = ServerStatus::State::Running;
                status.port = *port;
            } else {
                status.state = ServerStatus::State::Failed;
                status.error = port.error().message;
                running->server.reset();
                running->handler.reset();
            }
            QMetaObject::invokeMethod(this, [this, status, generation] {
                // A stop() or another start() since then has the last word.
                if (generation == m_generation) {
                    setStatus(status);
                }
            });
        });
}

void EmbeddedServer::stop()
{
    if (!m_thread->isRunning()) {
        return;
    }
    const std::shared_ptr<Running> running = m_running;
    QMetaObject::invokeMethod(
        m_host,
        [running] {
            if (running->server) {
                running->server->stop();
            }
            running->server.reset();
            running->handler.reset();
        },
        Qt::BlockingQueuedConnection);
    m_thread->quit();
    m_thread->wait();
    m_host = nullptr;
    ++m_generation;
    ServerStatus stopped;
    stopped.host = m_status.host;
    stopped.requestedPort = m_status.requestedPort;
    setStatus(stopped);
}

void EmbeddedServer::setStatus(const ServerStatus &status)
{
    m_status = status;
    emit statusChanged(status);
}

} // namespace Trove::Http
