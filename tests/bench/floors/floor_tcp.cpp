// SPDX-License-Identifier: GPL-3.0-or-later

// floor_tcp: the benchmark's plain floor. A QTcpServer per thread and an HTTP/1.1 keep-alive
// responder that does the least an HTTP server can: it finds the end of each request head
// ("\r\n\r\n"), ignores what the head says (no body, no routing, no parsing) and answers
// prebuilt bytes, head and body together, with one write per batch of requests read. What Trove
// does on top of Qt's sockets is measured against this (docs/performance.md).

#include "floorcommon.h"

#include <QCoreApplication>
#include <QTcpServer>
#include <QTcpSocket>

using namespace Qt::StringLiterals;

namespace {

class Responder final : public QObject
{
public:
    Responder(QTcpSocket *socket, const QByteArray &answer)
        : QObject(socket)
        , m_socket(socket)
        , m_answer(answer)
    {
        connect(socket, &QTcpSocket::readyRead, this, &Responder::read);
        connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
    }

private:
    void read()
    {
        m_buffer += m_socket->readAll();
        QByteArray out;
        qsizetype start = 0;
        while (true) {
            const qsizetype end = m_buffer.indexOf("\r\n\r\n", start);
            if (end < 0) {
                break;
            }
            out += m_answer;
            start = end + 4;
        }
        m_buffer.remove(0, start);
        if (!out.isEmpty()) {
            m_socket->write(out);
        }
    }

    QTcpSocket *const m_socket;
    const QByteArray m_answer;
    QByteArray m_buffer;
};

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const Floor::Options options = Floor::parseOptions(
        u"floor_tcp"_s,
        u"A plain QTcpServer HTTP/1.1 keep-alive responder answering prebuilt bytes: the "
        "benchmark's floor."_s);
    const QByteArray body = Floor::makeBody(options.bodySize);
    const QByteArray answer = "HTTP/1.1 " + QByteArray::number(options.status) + ' '
        + Floor::reasonPhrase(options.status)
        + "\r\nContent-Type: application/json\r\nContent-Length: " + QByteArray::number(body.size())
        + "\r\n\r\n" + body;
    quint16 port = 0;
    const QList<int> descriptors = Floor::listeningSockets(options, &port);
    Floor::run(descriptors, port, [&answer](int descriptor) {
        // Lives as long as the thread's event loop, which is as long as the process.
        auto *server = new QTcpServer;
        if (!server->setSocketDescriptor(descriptor)) {
            qFatal("setSocketDescriptor: %s", qPrintable(server->errorString()));
        }
        QObject::connect(server, &QTcpServer::newConnection, server, [server, &answer] {
            while (QTcpSocket *socket = server->nextPendingConnection()) {
                // As trove serve does: no 40 ms delayed-ACK wait on small keep-alive answers.
                socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
                new Responder(socket, answer);
            }
        });
    });
}
