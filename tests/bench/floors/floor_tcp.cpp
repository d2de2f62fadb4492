// SPDX-License-Identifier: GPL-3.0-or-later

// floor_tcp: the benchmark's plain floor. A QTcpServer per thread and an HTTP/1.1 keep-alive
// responder that does the least an HTTP server can: it finds the end of each request head
// ("\r\n\r\n"), ignores what the head says (no body, no routing, no parsing) and answers
// prebuilt bytes, head and body together, with one write per batch of requests read. What Trove
// does on top of Qt's event loop is measured against this (docs/performance.md).
//
// --socket qt (the default) reads and writes through QTcpSocket, as most Qt servers do; --socket
// raw reads and writes the accepted descriptor itself under a QSocketNotifier, which spares
// QTcpSocket's FIONREAD before each read and the event loop's wake-ups when it switches its read
// notifier off and on around a read.

#include "floorcommon.h"

#include <QCoreApplication>
#include <QSocketNotifier>
#include <QTcpServer>
#include <QTcpSocket>

#include <cerrno>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace {

// The answers to every complete head in `buffer`, which loses those heads.
QByteArray answerHeads(QByteArray &buffer, const QByteArray &answer)
{
    QByteArray out;
    qsizetype start = 0;
    while (true) {
        const qsizetype end = buffer.indexOf("\r\n\r\n", start);
        if (end < 0) {
            break;
        }
        out += answer;
        start = end + 4;
    }
    buffer.remove(0, start);
    return out;
}

class QtResponder final : public QObject
{
public:
    QtResponder(QTcpSocket *socket, const QByteArray &answer)
        : QObject(socket)
        , m_socket(socket)
        , m_answer(answer)
    {
        connect(socket, &QTcpSocket::readyRead, this, &QtResponder::read);
        connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
    }

private:
    void read()
    {
        m_buffer += m_socket->readAll();
        const QByteArray out = answerHeads(m_buffer, m_answer);
        if (!out.isEmpty()) {
            // flush(): write(2) now, not once the event loop has polled the socket writable.
            m_socket->write(out);
            m_socket->flush();
        }
    }

    QTcpSocket *const m_socket;
    const QByteArray m_answer;
    QByteArray m_buffer;
};

class RawResponder final : public QObject
{
public:
    RawResponder(int fd, const QByteArray &answer, QObject *parent)
        : QObject(parent)
        , m_fd(fd)
        , m_answer(answer)
        , m_readable(fd, QSocketNotifier::Read)
        , m_writable(fd, QSocketNotifier::Write)
    {
        m_writable.setEnabled(false);
        connect(&m_readable, &QSocketNotifier::activated, this, &RawResponder::read);
        connect(&m_writable, &QSocketNotifier::activated, this, &RawResponder::write);
    }

    ~RawResponder() override { ::close(m_fd); }

private:
    void read()
    {
        // One read per readiness: if more is left, the level-triggered notifier fires again.
        char chunk[16384];
        const ssize_t n = ::read(m_fd, chunk, sizeof chunk);
        if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
            close();
            return;
        }
        if (n < 0) {
            return;
        }
        m_buffer.append(chunk, n);
        m_pending += answerHeads(m_buffer, m_answer);
        write();
    }

    void write()
    {
        while (m_written < m_pending.size()) {
            const ssize_t n = ::write(
                m_fd, m_pending.constData() + m_written, size_t(m_pending.size() - m_written));
            if (n < 0) {
                if (errno == EAGAIN) {
                    break;
                }
                if (errno != EINTR) {
                    close();
                    return;
                }
                continue;
            }
            m_written += n;
        }
        const bool done = m_written == m_pending.size();
        if (done) {
            m_pending.clear();
            m_written = 0;
        }
        // Reading waits while an answer is stuck, so a client that does not read is not fed.
        if (m_writable.isEnabled() == done) {
            m_writable.setEnabled(!done);
            m_readable.setEnabled(done);
        }
    }

    void close()
    {
        m_readable.setEnabled(false);
        m_writable.setEnabled(false);
        deleteLater();
    }

    const int m_fd;
    const QByteArray m_answer;
    QSocketNotifier m_readable;
    QSocketNotifier m_writable;
    QByteArray m_buffer;
    QByteArray m_pending;
    qsizetype m_written = 0;
};

class RawServer final : public QTcpServer
{
public:
    explicit RawServer(const QByteArray &answer)
        : m_answer(answer)
    {
    }

protected:
    void incomingConnection(qintptr descriptor) override
    {
        const int fd = int(descriptor);
        ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
        const int one = 1;
        ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        new RawResponder(fd, m_answer, this);
    }

private:
    const QByteArray m_answer;
};

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const Floor::Options options = Floor::parseOptions(
        u"A plain QTcpServer HTTP/1.1 keep-alive responder answering prebuilt bytes: the "
        "benchmark's floor."_s,
        true);
    const QByteArray body = Floor::makeBody(options.bodySize);
    const QByteArray answer = "HTTP/1.1 " + QByteArray::number(options.status) + ' '
        + Floor::reasonPhrase(options.status)
        + "\r\nContent-Type: application/json\r\nContent-Length: " + QByteArray::number(body.size())
        + "\r\n\r\n" + body;
    quint16 port = 0;
    const QList<int> descriptors = Floor::listeningSockets(options, &port);
    const bool raw = options.rawSockets;
    Floor::run(descriptors, port, [&answer, raw](int descriptor) {
        // Lives as long as the thread's event loop, which is as long as the process.
        QTcpServer *server = raw ? new RawServer(answer) : new QTcpServer;
        if (!server->setSocketDescriptor(descriptor)) {
            qFatal("setSocketDescriptor: %s", qPrintable(server->errorString()));
        }
        if (raw) {
            return;
        }
        QObject::connect(server, &QTcpServer::newConnection, server, [server, &answer] {
            while (QTcpSocket *socket = server->nextPendingConnection()) {
                // As trove serve does: no 40 ms delayed-ACK wait on small keep-alive answers.
                socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
                new QtResponder(socket, answer);
            }
        });
    });
}
