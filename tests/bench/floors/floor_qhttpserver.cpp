// SPDX-License-Identifier: GPL-3.0-or-later

// floor_qhttpserver: the benchmark's Qt HTTP Server floor. Qt HTTP Server 6.4 reads, parses and
// answers a request on the thread of the QTcpServer it is bound to, and one QTcpServer cannot be
// shared between threads, so each thread has its own server: a QAbstractHttpServer bound to a
// QTcpServer on that thread's listening socket (by default one per thread on the same port with
// SO_REUSEPORT, docs/performance.md says why). The server is QAbstractHttpServer, not
// QHttpServer: no router, every request answered with the same prebuilt body through
// QHttpServerResponder, which is the least Qt's HTTP layer costs per request.

#include "floorcommon.h"

#include <QAbstractHttpServer>
#include <QCoreApplication>
#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QTcpServer>

using namespace Qt::StringLiterals;

namespace {

class PrebuiltServer final : public QAbstractHttpServer
{
public:
    PrebuiltServer(const QByteArray &body, QHttpServerResponder::StatusCode status)
        : m_body(body)
        , m_status(status)
    {
    }

protected:
    bool handleRequest(const QHttpServerRequest &request, QTcpSocket *socket) override
    {
        makeResponder(request, socket).write(m_body, "application/json", m_status);
        return true;
    }

    void missingHandler(const QHttpServerRequest &, QTcpSocket *) override { }

private:
    const QByteArray m_body;
    const QHttpServerResponder::StatusCode m_status;
};

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const Floor::Options options = Floor::parseOptions(
        u"Qt HTTP Server on worker threads answering prebuilt bytes: the benchmark's floor."_s);
    const QByteArray body = Floor::makeBody(options.bodySize);
    const auto status = options.status == 404 ? QHttpServerResponder::StatusCode::NotFound
                                              : QHttpServerResponder::StatusCode::Ok;
    quint16 port = 0;
    const QList<int> descriptors = Floor::listeningSockets(options, &port);
    Floor::run(descriptors, port, [&body, status](int descriptor) {
        // Lives as long as the thread's event loop, which is as long as the process.
        auto *server = new PrebuiltServer(body, status);
        auto *tcp = new QTcpServer;
        if (!tcp->setSocketDescriptor(descriptor)) {
            qFatal("setSocketDescriptor: %s", qPrintable(tcp->errorString()));
        }
        server->bind(tcp);
    });
}
