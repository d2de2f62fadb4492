// SPDX-License-Identifier: GPL-3.0-or-later
// npm audit through NpmHandler: with forwarding on, bulk and quick audits go to an upstream on
// loopback (a QTcpServer here) and its answer comes back; with forwarding off the report is empty
// and the request log says why.
#include "npmfixture.h"

#include "model/registry.h"
#include "server/npmhandler.h"

#include <QTcpServer>
#include <QTcpSocket>

using namespace Qt::StringLiterals;
using namespace Trove;
using namespace Trove::Http;
using namespace NpmFixture;

namespace {

// Answers every request with one canned response and keeps what it was sent.
class FakeUpstream final : public QObject
{
public:
    FakeUpstream(int status, QByteArray body)
        : m_status(status)
        , m_body(std::move(body))
    {
        m_server.listen(QHostAddress::LocalHost);
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *socket = m_server.nextPendingConnection()) {
                connect(socket, &QTcpSocket::readyRead, this, [this, socket] { read(socket); });
            }
        });
    }

    QByteArray url() const
    {
        return "http://127.0.0.1:" + QByteArray::number(m_server.serverPort()) + "/upstream/";
    }

    QByteArray requestHead;
    QByteArray requestBody;
    int requests = 0;

private:
    void read(QTcpSocket *socket)
    {
        m_buffer += socket->readAll();
        const qsizetype end = m_buffer.indexOf("\r\n\r\n");
        if (end < 0) {
            return;
        }
        const QByteArray head = m_buffer.left(end);
        qsizetype length = 0;
        for (const QByteArray &line : head.split('\n')) {
            if (line.toLower().startsWith("content-length:")) {
                length = line.mid(15).trimmed().toLongLong();
            }
        }
        if (m_buffer.size() < end + 4 + length) {
            return;
        }
        requestHead = head;
        requestBody = m_buffer.mid(end + 4, length);
        m_buffer.clear();
        ++requests;
        socket->write("HTTP/1.1 " + QByteArray::number(m_status)
                      + " X\r\nContent-Type: application/json\r\nContent-Length: "
                      + QByteArray::number(m_body.size()) + "\r\nConnection: close\r\n\r\n"
                      + m_body);
        socket->disconnectFromHost();
    }

    QTcpServer m_server;
    int m_status;
    QByteArray m_body;
    QByteArray m_buffer;
};

// Bytes standing in for npm's gzipped audit body: binary, with a NUL, never parsed by Trove.
QByteArray compressed(const QByteArray &json)
{
    return QByteArray("\x1f\x8b\x08\x00", 4) + json + QByteArray("\x00\xff", 2);
}

} // namespace

class tst_NpmAudit : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void forwarded_data();
    void forwarded();
    void upstreamDown();
    void forwardingOff_data();
    void forwardingOff();

private:
    Response call(const QByteArray &path, const QString &token, const QByteArray &body);

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<Registry> m_registry;
    std::unique_ptr<NpmHandler> m_handler;
    qint64 m_app = 0;
    QString m_token;
};

void tst_NpmAudit::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    Result<std::unique_ptr<Registry>> registry = Registry::open(m_dir->path());
    QVERIFY2(registry, qPrintable(registry ? QString() : registry.error().message));
    m_registry = std::move(*registry);
    Registry &r = *m_registry;
    QVERIFY(r.namespaces().createGroup(u"acme"_s, Visibility::Private));
    m_app = r.namespaces().createProject(u"acme/app"_s, Visibility::Private)->id;
    const Result<User> user = r.users().createUser(u"dev"_s);
    QVERIFY(user);
    QVERIFY(r.users().addProjectMember(u"dev"_s, u"acme/app"_s, AccessLevel::Developer));
    m_token = r.tokens().createPersonalAccessToken(user->id, {}, {u"api"_s})->token;
    NpmHandler::Config config;
    config.baseUrl = u"http://trove.test"_s;
    m_handler = std::make_unique<NpmHandler>(r, config);
}

void tst_NpmAudit::cleanup()
{
    m_handler.reset();
    m_registry.reset();
    m_dir.reset();
}

Response tst_NpmAudit::call(const QByteArray &path, const QString &token, const QByteArray &body)
{
    RequestContext context;
    context.method = "POST";
    context.encodedPath = path;
    context.body = body;
    context.headers.append(qMakePair(QByteArray("Host"), QByteArray("trove.test")));
    context.headers.append(qMakePair(QByteArray("Content-Type"), QByteArray("application/json")));
    context.headers.append(qMakePair(QByteArray("Content-Encoding"), QByteArray("gzip")));
    context.headers.append(
        qMakePair(QByteArray("Authorization"), QByteArray("Bearer " + token.toUtf8())));
    return m_handler->handle(context);
}

void tst_NpmAudit::forwarded_data()
{
    QTest::addColumn<QByteArray>("prefix");
    QTest::addColumn<QByteArray>("route");
    QTest::addColumn<int>("status"); // the upstream's
    const QByteArray bulk = "-/npm/v1/security/advisories/bulk";
    const QByteArray quick = "-/npm/v1/security/audits/quick";
    QTest::newRow("bulk, project") << QByteArray("/api/v4/projects/1/packages/npm/") << bulk << 200;
    QTest::newRow("quick, project")
        << QByteArray("/api/v4/projects/1/packages/npm/") << quick << 200;
    QTest::newRow("bulk, instance") << QByteArray("/api/v4/packages/npm/") << bulk << 200;
    QTest::newRow("quick, group") << QByteArray("/api/v4/groups/acme/-/packages/npm/") << quick
                                  << 200;
    QTest::newRow("upstream refuses") << QByteArray("/api/v4/packages/npm/") << bulk << 400;
}

void tst_NpmAudit::forwarded()
{
    QFETCH(QByteArray, prefix);
    QFETCH(QByteArray, route);
    QFETCH(int, status);
    const QByteArray answer = R"({"lodash":[{"id":1,"severity":"high"}]})";
    FakeUpstream upstream(status, answer);
    QVERIFY(m_registry->settings().setUpstream(QString::fromLatin1(upstream.url())));
    QVERIFY(m_registry->settings().setInstanceForwarding(true));
    // npm sends the audit gzipped: the bytes must reach the upstream untouched.
    const QByteArray body = compressed(R"({"lodash":["4.17.20"]})");
    const Response response =
        call(prefix.replace("/1/", QByteArray('/' + QByteArray::number(m_app) + '/')) + route,
             m_token,
             body);
    QCOMPARE(upstream.requests, 1);
    QVERIFY2(upstream.requestHead.startsWith(QByteArray("POST /upstream/" + route + " HTTP/1.1")),
             upstream.requestHead.constData());
    QCOMPARE(upstream.requestBody, body);
    QVERIFY(upstream.requestHead.toLower().contains("content-encoding: gzip"));
    // This registry's token is not the upstream's business.
    QVERIFY(!upstream.requestHead.contains(m_token.toUtf8()));
    QCOMPARE(response.status, status);
    QCOMPARE(response.body, answer);
    QVERIFY2(response.log.reason.contains(u"went to "_s + QString::fromLatin1(upstream.url())),
             qPrintable(response.log.reason));
}

void tst_NpmAudit::upstreamDown()
{
    quint16 port = 0;
    {
        QTcpServer closed; // a port that was free a moment ago, now closed again
        QVERIFY(closed.listen(QHostAddress::LocalHost));
        port = closed.serverPort();
    }
    QVERIFY(m_registry->settings().setUpstream(u"http://127.0.0.1:%1/"_s.arg(port)));
    QVERIFY(m_registry->settings().setInstanceForwarding(true));
    const Response response =
        call("/api/v4/packages/npm/-/npm/v1/security/advisories/bulk", m_token, compressed("{}"));
    QCOMPARE(response.status, 502);
    QVERIFY2(response.log.reason.contains(u"did not answer"_s), qPrintable(response.log.reason));
}

void tst_NpmAudit::forwardingOff_data()
{
    QTest::addColumn<QByteArray>("route");
    QTest::newRow("bulk") << QByteArray("-/npm/v1/security/advisories/bulk");
    QTest::newRow("quick") << QByteArray("-/npm/v1/security/audits/quick");
}

void tst_NpmAudit::forwardingOff()
{
    QFETCH(QByteArray, route);
    FakeUpstream upstream(200, "{}");
    QVERIFY(m_registry->settings().setUpstream(QString::fromLatin1(upstream.url())));
    QVERIFY(m_registry->settings().setInstanceForwarding(false));
    const Response response = call(
        "/api/v4/projects/" + QByteArray::number(m_app) + "/packages/npm/" + route, m_token, "{}");
    QCOMPARE(response.status, 200);
    QCOMPARE(response.body, QByteArray("[]"));
    QCOMPARE(upstream.requests, 0);
    QCOMPARE(response.log.reason,
             u"forwarding to the upstream is off: the audit report is empty (Trove does not scan "
             "packages)"_s);
}

QTEST_GUILESS_MAIN(tst_NpmAudit)
#include "tst_npmaudit.moc"
