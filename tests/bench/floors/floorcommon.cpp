// SPDX-License-Identifier: GPL-3.0-or-later
#include "floorcommon.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QEventLoop>
#include <QThread>

#include <arpa/inet.h>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace Floor {

namespace {

[[noreturn]] void fail(const QString &message, int code)
{
    std::fprintf(stderr, "%s\n", qPrintable(message));
    std::exit(code);
}

int listenOn(quint16 port, bool reusePort)
{
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        fail(u"socket: "_s + QString::fromLocal8Bit(std::strerror(errno)), 1);
    }
    const int one = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (reusePort) {
        ::setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one);
    }
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::bind(fd, reinterpret_cast<sockaddr *>(&address), sizeof address) != 0
        || ::listen(fd, SOMAXCONN) != 0) {
        fail(u"127.0.0.1:%1: "_s.arg(port) + QString::fromLocal8Bit(std::strerror(errno)), 1);
    }
    return fd;
}

quint16 boundPort(int fd)
{
    sockaddr_in address{};
    socklen_t length = sizeof address;
    ::getsockname(fd, reinterpret_cast<sockaddr *>(&address), &length);
    return ntohs(address.sin_port);
}

} // namespace

Options parseOptions(const QString &description, bool socketOption)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(description);
    parser.addHelpOption();
    parser.addOption(
        {u"port"_s, u"Port on 127.0.0.1 (0: any free one, printed)"_s, u"N"_s, u"0"_s});
    parser.addOption({u"threads"_s,
                      u"Threads, each with its own event loop (default: the number of cores, as "
                      "trove serve)"_s,
                      u"N"_s,
                      QString::number(std::max(1, QThread::idealThreadCount()))});
    parser.addOption({u"status"_s, u"Status of every answer (200 or 404)"_s, u"N"_s, u"200"_s});
    parser.addOption(
        {u"body-size"_s, u"Bytes of every answer's body (at least 2)"_s, u"N"_s, u"2"_s});
    parser.addOption({u"listen-mode"_s,
                      u"reuseport (a listening socket per thread) or shared (one for all)"_s,
                      u"MODE"_s,
                      u"reuseport"_s});
    if (socketOption) {
        parser.addOption({u"socket"_s,
                          u"qt (QTcpSocket) or raw (read(2)/write(2) on the descriptor)"_s,
                          u"KIND"_s,
                          u"qt"_s});
    }
    parser.process(*QCoreApplication::instance());

    Options options;
    bool ok = false;
    const uint port = parser.value(u"port"_s).toUInt(&ok);
    if (!ok || port > 65535) {
        fail(u"invalid --port"_s, 2);
    }
    options.port = quint16(port);
    options.threads = parser.value(u"threads"_s).toInt(&ok);
    if (!ok || options.threads < 1 || options.threads > 64) {
        fail(u"invalid --threads: give a number from 1 to 64"_s, 2);
    }
    options.status = parser.value(u"status"_s).toInt(&ok);
    if (!ok || (options.status != 200 && options.status != 404)) {
        fail(u"invalid --status: 200 or 404"_s, 2);
    }
    options.bodySize = parser.value(u"body-size"_s).toLongLong(&ok);
    if (!ok || options.bodySize < 2 || options.bodySize > 64 * 1024 * 1024) {
        fail(u"invalid --body-size: 2 to 64 MiB"_s, 2);
    }
    const QString mode = parser.value(u"listen-mode"_s);
    if (mode == "reuseport"_L1) {
        options.mode = ListenMode::ReusePort;
    } else if (mode == "shared"_L1) {
        options.mode = ListenMode::Shared;
    } else {
        fail(u"invalid --listen-mode: reuseport or shared"_s, 2);
    }
    if (socketOption) {
        const QString kind = parser.value(u"socket"_s);
        if (kind != "qt"_L1 && kind != "raw"_L1) {
            fail(u"invalid --socket: qt or raw"_s, 2);
        }
        options.rawSockets = kind == "raw"_L1;
    }
    return options;
}

QByteArray makeBody(qsizetype size)
{
    // {"x":"xxx…"} when there is room for it, else as many spaces as fit between the braces:
    // valid JSON of exactly `size` bytes either way.
    const QByteArray open = R"({"x":")";
    const QByteArray close = R"("})";
    if (size >= open.size() + close.size()) {
        return open + QByteArray(size - open.size() - close.size(), 'x') + close;
    }
    return '{' + QByteArray(size - 2, ' ') + '}';
}

QByteArray reasonPhrase(int status)
{
    return status == 404 ? "Not Found" : "OK";
}

QList<int> listeningSockets(const Options &options, quint16 *port)
{
    QList<int> descriptors;
    const bool reusePort = options.mode == ListenMode::ReusePort;
    descriptors.append(listenOn(options.port, reusePort));
    *port = boundPort(descriptors.first());
    for (int i = 1; i < options.threads; ++i) {
        // For port 0 the first socket picked the port; the others join it.
        descriptors.append(reusePort ? listenOn(*port, true)
                                     : ::fcntl(descriptors.first(), F_DUPFD_CLOEXEC, 0));
    }
    return descriptors;
}

void run(const QList<int> &descriptors, quint16 port, const std::function<void(int)> &serve)
{
    for (qsizetype i = 1; i < descriptors.size(); ++i) {
        const int descriptor = descriptors.at(i);
        QThread *thread = QThread::create([descriptor, &serve] {
            serve(descriptor);
            QEventLoop loop;
            loop.exec();
        });
        thread->start();
    }
    serve(descriptors.first());
    std::printf("%u\n", unsigned(port));
    std::fflush(stdout);
    std::exit(QCoreApplication::exec());
}

} // namespace Floor
