// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/embeddedserver.h"

#include "model/registry.h"
#include "model/requestlog.h"

#include <QDir>
#include <QFile>
#include <QTcpServer>
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

// The inodes of the sockets listening on `port` in one of /proc/net/tcp and tcp6.
QStringList listeningInodes(const QString &table, quint16 port)
{
    QFile file(table);
    QStringList inodes;
    if (!file.open(QIODevice::ReadOnly)) {
        return inodes;
    }
    const QString portHex = u"%1"_s.arg(uint(port), 4, 16, QLatin1Char('0')).toUpper();
    file.readLine(); // the header
    while (!file.atEnd()) {
        // "sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode ..."
        const QStringList fields =
            QString::fromLatin1(file.readLine()).split(u' ', Qt::SkipEmptyParts);
        if (fields.size() > 9 && fields.at(1).endsWith(u':' + portHex) && fields.at(3) == u"0A"_s) {
            inodes.append(fields.at(9));
        }
    }
    return inodes;
}

} // namespace

QString EmbeddedServer::portHolder(quint16 port)
{
    QStringList inodes = listeningInodes(u"/proc/net/tcp"_s, port);
    inodes += listeningInodes(u"/proc/net/tcp6"_s, port);
    inodes.removeAll(u"0"_s);
    if (inodes.isEmpty()) {
        return {};
    }
    QStringList targets;
    for (const QString &inode : std::as_const(inodes)) {
        targets.append(u"socket:["_s + inode + u']');
    }
    const QDir proc(u"/proc"_s);
    const QStringList pids = proc.entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    for (const QString &pid : pids) {
        bool number = false;
        pid.toLongLong(&number);
        if (!number) {
            continue;
        }
        const QDir fds(u"/proc/"_s + pid + u"/fd"_s);
        // Unreadable for another user's processes: those stay unnamed.
        const QStringList entries = fds.entryList(QDir::Files | QDir::System);
        for (const QString &fd : entries) {
            if (targets.contains(QFile::symLinkTarget(fds.filePath(fd)).section(u'/', -1))) {
                QFile comm(u"/proc/"_s + pid + u"/comm"_s);
                const QString name = comm.open(QIODevice::ReadOnly)
                    ? QString::fromUtf8(comm.readAll()).trimmed()
                    : QString();
                return name.isEmpty() ? u"pid %1"_s.arg(pid) : u"%1 (pid %2)"_s.arg(name, pid);
            }
        }
    }
    return {};
}

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
            bool inUse = false;
            QString holder;
            if (port) {
                status.state = ServerStatus::State::Running;
                status.port = *port;
            } else {
                status.state = ServerStatus::State::Failed;
                status.error = port.error().message;
                running->server.reset();
                running->handler.reset();
                // The HTTP server's error is text; a socket of our own tells a taken port from
                // the other failures (no such address, a port below 1024, TLS).
                if (config.port != 0) {
                    QTcpServer probe;
                    inUse = !probe.listen(config.address, config.port)
                        && probe.serverError() == QAbstractSocket::AddressInUseError;
                }
                if (inUse) {
                    holder = portHolder(config.port);
                    status.error = holder.isEmpty()
                        ? u"port %1 of %2 is in use by another program"_s.arg(config.port)
                              .arg(starting.host)
                        : u"port %1 of %2 is in use by %3"_s.arg(config.port)
                              .arg(starting.host, holder);
                }
            }
            QMetaObject::invokeMethod(this, [this, status, generation, inUse, holder] {
                // A stop() or another start() since then has the last word.
                if (generation == m_generation) {
                    setStatus(status);
                    if (inUse) {
                        emit portInUse(status.requestedPort, holder);
                    }
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
