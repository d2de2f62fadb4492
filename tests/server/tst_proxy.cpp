// SPDX-License-Identifier: GPL-3.0-or-later
// Proxy mode (docs/proxy.md) end to end over HTTP: a Trove (HttpServer + NpmHandler on a registry
// of its own) on loopback is the upstream of a second Trove set to proxy. The upstream counts
// the requests it is sent, can be slowed down, can serve a modified tarball, and can be stopped.
#include "npmfixture.h"

#include "model/registry.h"
#include "model/serverstatus.h"
#include "model/store/proxystore.h"
#include "server/httpserver.h"
#include "server/npmhandler.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QMutex>
#include <QSet>
#include <QTcpSocket>
#include <QThread>

#include <atomic>
#include <future>

using namespace Qt::StringLiterals;
using namespace Trove;
using namespace Trove::Http;
using namespace NpmFixture;

namespace {

struct Answer
{
    int status = 0;
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray body;

    QByteArray header(const QByteArray &name) const
    {
        for (const auto &[key, value] : headers) {
            if (key.compare(name, Qt::CaseInsensitive) == 0) {
                return value;
            }
        }
        return {};
    }
    QJsonObject json() const { return QJsonDocument::fromJson(body).object(); }
};

QByteArray requestText(const QByteArray &path, const QList<QByteArray> &headers)
{
    QByteArray text = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n";
    for (const QByteArray &header : headers) {
        text += header + "\r\n";
    }
    return text + "\r\n";
}

Answer parseAnswer(const QByteArray &raw)
{
    Answer answer;
    const qsizetype end = raw.indexOf("\r\n\r\n");
    if (end < 0) {
        return answer;
    }
    const QList<QByteArray> lines = raw.left(end).split('\n');
    answer.status = lines.value(0).split(' ').value(1).toInt();
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray line = lines.at(i).trimmed();
        const qsizetype colon = line.indexOf(':');
        if (colon > 0) {
            answer.headers.append({line.left(colon).trimmed(), line.mid(colon + 1).trimmed()});
        }
    }
    answer.body = raw.mid(end + 4);
    return answer;
}

// The servers' acceptors live on this thread: wait for work done on another thread (blocking
// sockets there) while this one's events go on.
template<typename Work>
auto offThread(Work work)
{
    std::future<decltype(work())> future = std::async(std::launch::async, std::move(work));
    while (future.wait_for(std::chrono::milliseconds(0)) != std::future_status::ready) {
        QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
    }
    return future.get();
}

Answer blockingGet(quint16 port, const QByteArray &path, const QList<QByteArray> &headers)
{
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, port);
    if (!socket.waitForConnected(5000)) {
        return {};
    }
    socket.write(requestText(path, headers));
    QByteArray raw;
    while (socket.state() == QAbstractSocket::ConnectedState && socket.waitForReadyRead(30000)) {
        raw += socket.readAll();
    }
    raw += socket.readAll();
    return parseAnswer(raw);
}

// One request on a connection of its own, read until the server closes it.
Answer get(quint16 port, const QByteArray &path, const QList<QByteArray> &headers = {})
{
    return offThread([port, path, headers] { return blockingGet(port, path, headers); });
}

// A Trove on a registry of its own, served over HTTP on loopback; its handler can be wrapped.
struct Server
{
    std::unique_ptr<QTemporaryDir> dir = std::make_unique<QTemporaryDir>();
    std::unique_ptr<Registry> registry;
    std::unique_ptr<NpmHandler> handler;
    std::unique_ptr<HttpServer> http;
    quint16 port = 0;

    // Counts requests by path; sleeps `slowMs` before answering a path in `slow`; answers
    // `tampered` paths with other bytes.
    QMutex mutex;
    QHash<QByteArray, int> counts;
    QSet<QByteArray> slow;
    int slowMs = 0;
    QSet<QByteArray> tampered;

    // The upstream stands for another registry: it keeps its own SQLite file, so that where the
    // tests run on PostgreSQL (tests/pg) only the proxy uses the store under test.
    bool ownSqliteFile = false;

    bool open(const NpmHandler::Config &config = {})
    {
        Result<std::unique_ptr<Registry>> opened =
            ownSqliteFile ? Registry::open(dir->path(), QString()) : Registry::open(dir->path());
        if (!opened) {
            return false;
        }
        registry = std::move(*opened);
        handler = std::make_unique<NpmHandler>(*registry, config);
        http = std::make_unique<HttpServer>([this](const RequestContext &context) {
            bool sleep = false;
            bool tamper = false;
            {
                QMutexLocker lock(&mutex);
                // QUrl writes "%2F" where npm writes "%2f": counted alike.
                const QByteArray path = context.encodedPath.toLower();
                ++counts[path];
                sleep = slow.contains(path);
                tamper = tampered.contains(path);
            }
            if (sleep) {
                QThread::msleep(slowMs);
            }
            if (tamper) {
                Response response;
                response.body = "these are not the bytes the document describes";
                return response;
            }
            return handler->handle(context);
        });
        return start();
    }

    bool start()
    {
        ServerConfig config;
        config.port = port; // 0 the first time; the same port when started again
        const Result<quint16> bound = http->start(config);
        if (bound) {
            port = *bound;
        }
        return bool(bound);
    }

    int count(const QByteArray &path)
    {
        QMutexLocker lock(&mutex);
        return counts.value(path);
    }

    QByteArray base() const { return "http://127.0.0.1:" + QByteArray::number(port); }
};

} // namespace

class tst_Proxy : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void documentAndTarball_data();
    void documentAndTarball();
    void abbreviated();
    void integrityMismatchIsRefused();
    void staleWhenUpstreamIsDown();
    void upstreamNotFound();
    void localNamesWin_data();
    void localNamesWin();
    void singleFlight();
    void redirectModeStillRedirects();
    void capEvictsLeastRecentlyUsed();
    void missingBlobIsFetchedAgain();

private:
    void publishUpstream(const QString &name, const QString &version);
    QByteArray upstreamPath(const QString &name) const;

    std::unique_ptr<Server> m_upstreamServer;
    std::unique_ptr<Server> m_proxyServer;
    qint64 m_upstreamProject = 0;
    QString m_upstreamToken;
    QHash<QString, QByteArray> m_tarballs; // name@version -> bytes published upstream
    QList<RequestRecord> m_log;
};

void tst_Proxy::publishUpstream(const QString &name, const QString &version)
{
    const QByteArray tarball = makeTarball(name, version);
    QVERIFY(!tarball.isEmpty());
    RequestContext context;
    context.method = "PUT";
    context.encodedPath = "/api/v4/projects/" + QByteArray::number(m_upstreamProject)
        + "/packages/npm/" + encodeName(name);
    context.headers = {{"Authorization", "Bearer " + m_upstreamToken.toLatin1()}};
    context.body = QJsonDocument(publishBody(name, version, tarball)).toJson();
    const Response published = m_upstreamServer->handler->handle(context);
    QVERIFY2(published.status == 200, published.body.constData());
    m_tarballs.insert(name + u'@' + version, tarball);
}

QByteArray tst_Proxy::upstreamPath(const QString &name) const
{
    return "/api/v4/projects/" + QByteArray::number(m_upstreamProject) + "/packages/npm/"
        + encodeName(name);
}

void tst_Proxy::init()
{
    m_upstreamServer = std::make_unique<Server>();
    m_upstreamServer->ownSqliteFile = true;
    m_proxyServer = std::make_unique<Server>();
    m_tarballs.clear();
    m_log.clear();

    // The upstream: a public project with packages, read anonymously at project level.
    QVERIFY(m_upstreamServer->open());
    Registry &up = *m_upstreamServer->registry;
    QVERIFY(up.namespaces().createGroup(u"pub"_s, Visibility::Public));
    m_upstreamProject = up.namespaces().createProject(u"pub/lib"_s, Visibility::Public)->id;
    const Result<User> user = up.users().createUser(u"publisher"_s);
    QVERIFY(user);
    QVERIFY(up.users().addProjectMember(u"publisher"_s, u"pub/lib"_s, AccessLevel::Maintainer));
    m_upstreamToken = up.tokens().createPersonalAccessToken(user->id, {}, {u"api"_s})->token;
    for (const QString &name : {u"left-pad"_s,
                                u"@other/util"_s,
                                u"tampered"_s,
                                u"shared"_s,
                                u"many"_s,
                                u"@acme/thing"_s}) {
        publishUpstream(name, u"1.0.0"_s);
    }
    publishUpstream(u"left-pad"_s, u"1.1.0"_s);

    // The proxy: instance forwarding set to proxy, a public group with a package of its own.
    QVERIFY(m_proxyServer->open());
    Registry &proxy = *m_proxyServer->registry;
    QVERIFY(proxy.namespaces().createGroup(u"acme"_s, Visibility::Public));
    const qint64 app = proxy.namespaces().createProject(u"acme/app"_s, Visibility::Public)->id;
    const QByteArray local = makeTarball(u"shared"_s, u"2.0.0"_s);
    const Result<User> owner = proxy.users().createUser(u"owner"_s);
    QVERIFY(owner);
    QVERIFY(proxy.users().addProjectMember(u"owner"_s, u"acme/app"_s, AccessLevel::Maintainer));
    const QString token =
        proxy.tokens().createPersonalAccessToken(owner->id, {}, {u"api"_s})->token;
    RequestContext publish;
    publish.method = "PUT";
    publish.encodedPath = "/api/v4/projects/" + QByteArray::number(app) + "/packages/npm/shared";
    publish.headers = {{"Authorization", "Bearer " + token.toLatin1()}};
    publish.body = QJsonDocument(publishBody(u"shared"_s, u"2.0.0"_s, local)).toJson();
    QCOMPARE(m_proxyServer->handler->handle(publish).status, 200);
    QVERIFY(proxy.settings().setUpstream(
        QString::fromLatin1(m_upstreamServer->base() + "/api/v4/projects/"
                            + QByteArray::number(m_upstreamProject) + "/packages/npm/")));
    QVERIFY(proxy.settings().setInstanceForwardingMode(SettingsService::ForwardingMode::Proxy));
    connect(m_proxyServer->http.get(),
            &HttpServer::requestFinished,
            this,
            [this](const RequestRecord &record) { m_log.append(record); });
}

void tst_Proxy::cleanup()
{
    if (m_proxyServer && m_proxyServer->http) {
        m_proxyServer->http->stop();
    }
    if (m_upstreamServer && m_upstreamServer->http) {
        m_upstreamServer->http->stop();
    }
    m_proxyServer.reset();
    m_upstreamServer.reset();
}

void tst_Proxy::documentAndTarball_data()
{
    QTest::addColumn<QByteArray>("prefix");
    QTest::addColumn<QString>("name");
    QTest::newRow("instance") << QByteArray("/api/v4/packages/npm/") << u"left-pad"_s;
    QTest::newRow("instance, scoped") << QByteArray("/api/v4/packages/npm/") << u"@other/util"_s;
    QTest::newRow("group") << QByteArray("/api/v4/groups/acme/-/packages/npm/") << u"left-pad"_s;
}

void tst_Proxy::documentAndTarball()
{
    QFETCH(QByteArray, prefix);
    QFETCH(QString, name);
    const Answer document = get(m_proxyServer->port, prefix + encodeName(name));
    QCOMPARE(document.status, 200);
    QCOMPARE(document.json().value(u"name"_s).toString(), name);
    QCOMPARE(m_upstreamServer->count(upstreamPath(name)), 1);
    const QJsonObject versions = document.json().value(u"versions"_s).toObject();
    QVERIFY(versions.contains(u"1.0.0"_s));
    // Every tarball URL points at this Trove's route at the level asked.
    const QString bare = name.section(u'/', -1);
    const QString tarballUrl = versions.value(u"1.0.0"_s)
                                   .toObject()
                                   .value(u"dist"_s)
                                   .toObject()
                                   .value(u"tarball"_s)
                                   .toString();
    QCOMPARE(tarballUrl,
             QString::fromLatin1(m_proxyServer->base() + prefix) + name + u"/-/"_s + bare
                 + u"-1.0.0.tgz"_s);
    QTRY_VERIFY(!m_log.isEmpty());
    QCOMPARE(m_log.last().log.reason, u"from the upstream"_s);

    // The tarball: fetched once, checked, kept, then served from disk.
    const QByteArray path = QUrl(tarballUrl).path(QUrl::FullyEncoded).toLatin1();
    const Answer first = get(m_proxyServer->port, path);
    QCOMPARE(first.status, 200);
    QCOMPARE(first.body, m_tarballs.value(name + u"@1.0.0"_s));
    const Answer second = get(m_proxyServer->port, path);
    QCOMPARE(second.status, 200);
    QCOMPARE(second.body, first.body);
    int tarballFetches = 0;
    {
        QMutexLocker lock(&m_upstreamServer->mutex);
        for (auto it = m_upstreamServer->counts.cbegin(); it != m_upstreamServer->counts.cend();
             ++it) {
            tarballFetches += it.key().endsWith(".tgz") ? it.value() : 0;
        }
    }
    QCOMPARE(tarballFetches, 1);
    QTRY_COMPARE(m_log.size(), 3);
    QCOMPARE(m_log.at(1).log.reason, u"from the upstream"_s);
    QCOMPARE(m_log.at(2).log.reason, u"from the cache"_s);

    // Within max-age the document comes from the cache.
    QCOMPARE(get(m_proxyServer->port, prefix + encodeName(name)).status, 200);
    QCOMPARE(m_upstreamServer->count(upstreamPath(name)), 1);
    QTRY_COMPARE(m_log.size(), 4);
    QCOMPARE(m_log.last().log.reason, u"from the cache"_s);
}

void tst_Proxy::abbreviated()
{
    const Answer answer = get(m_proxyServer->port,
                              "/api/v4/packages/npm/left-pad",
                              {"Accept: application/vnd.npm.install-v1+json"});
    QCOMPARE(answer.status, 200);
    QCOMPARE(answer.header("content-type"), QByteArray("application/vnd.npm.install-v1+json"));
    const QJsonObject version =
        answer.json().value(u"versions"_s).toObject().value(u"1.1.0"_s).toObject();
    QVERIFY(version.contains(u"dependencies"_s));
    QVERIFY(!version.contains(u"description"_s)); // not an abbreviated field
    QVERIFY(version.value(u"dist"_s)
                .toObject()
                .value(u"tarball"_s)
                .toString()
                .startsWith(QString::fromLatin1(m_proxyServer->base())));
    // The full form, then, comes from the same kept document: one upstream fetch for both.
    QCOMPARE(get(m_proxyServer->port, "/api/v4/packages/npm/left-pad").status, 200);
    QCOMPARE(m_upstreamServer->count(upstreamPath(u"left-pad"_s)), 1);
}

void tst_Proxy::integrityMismatchIsRefused()
{
    const QByteArray upstreamTarball = upstreamPath(u"tampered"_s) + "/-/tampered-1.0.0.tgz";
    {
        QMutexLocker lock(&m_upstreamServer->mutex);
        m_upstreamServer->tampered.insert(upstreamTarball);
    }
    QCOMPARE(get(m_proxyServer->port, "/api/v4/packages/npm/tampered").status, 200);
    const Answer refused =
        get(m_proxyServer->port, "/api/v4/packages/npm/tampered/-/tampered-1.0.0.tgz");
    QCOMPARE(refused.status, 502);
    QVERIFY(!refused.body.contains("these are not the bytes"));
    QTRY_COMPARE(m_log.size(), 2);
    QVERIFY2(m_log.last().log.reason.startsWith(u"integrity mismatch"_s),
             qPrintable(m_log.last().log.reason));
    // Not kept: asked again, the upstream is asked again.
    QCOMPARE(get(m_proxyServer->port, "/api/v4/packages/npm/tampered/-/tampered-1.0.0.tgz").status,
             502);
    QCOMPARE(m_upstreamServer->count(upstreamTarball), 2);
    const Result<std::optional<ProxyStore::Tarball>> kept =
        ProxyStore(m_proxyServer->registry->database()).tarball(u"tampered"_s, u"1.0.0"_s);
    QVERIFY(kept);
    QVERIFY(!kept->has_value());
}

void tst_Proxy::staleWhenUpstreamIsDown()
{
    // Records are matched by path and waited for by what they say, not counted: on a slow
    // machine (the sanitizer build) a record can come later than the next request's.
    const auto reasonOf = [this](const QByteArray &path, int nth) {
        int seen = 0;
        for (const RequestRecord &record : std::as_const(m_log)) {
            if (record.path == path && seen++ == nth) {
                return record.log.reason;
            }
        }
        return QString();
    };
    const QByteArray document = "/api/v4/packages/npm/left-pad";
    const QByteArray file = "/api/v4/packages/npm/left-pad/-/left-pad-1.0.0.tgz";
    const Answer fresh = get(m_proxyServer->port, document);
    QCOMPARE(fresh.status, 200);
    QCOMPARE(get(m_proxyServer->port, file).status, 200);
    QTRY_VERIFY(!reasonOf(file, 0).isEmpty());
    // Every document is stale from now on, and the upstream is gone.
    QVERIFY(m_proxyServer->registry->settings().setProxyMaxAgeSeconds(0));
    m_upstreamServer->http->stop();
    const Answer stale = get(m_proxyServer->port, document);
    QCOMPARE(stale.status, 200);
    QCOMPARE(stale.json().value(u"versions"_s).toObject().keys(),
             fresh.json().value(u"versions"_s).toObject().keys());
    const Answer tarball = get(m_proxyServer->port, file);
    QCOMPARE(tarball.status, 200);
    QCOMPARE(tarball.body, m_tarballs.value(u"left-pad@1.0.0"_s));
    QTRY_VERIFY(!reasonOf(document, 1).isEmpty());
    QVERIFY2(reasonOf(document, 1).startsWith(u"stale: upstream unreachable"_s),
             qPrintable(reasonOf(document, 1)));
    // A version never fetched cannot be had: 502, and the log says why.
    QCOMPARE(get(m_proxyServer->port, "/api/v4/packages/npm/left-pad/-/left-pad-1.1.0.tgz").status,
             502);
    // A name never fetched: 502 as well (nothing to answer stale).
    QCOMPARE(get(m_proxyServer->port, "/api/v4/packages/npm/many").status, 502);

    // The upstream back: the next request revalidates (If-None-Match) and renews the copy.
    QVERIFY(m_upstreamServer->start());
    QCOMPARE(get(m_proxyServer->port, document).status, 200);
    QTRY_VERIFY(!reasonOf(document, 2).isEmpty());
    QVERIFY2(reasonOf(document, 2).startsWith(u"from the"_s), qPrintable(reasonOf(document, 2)));
}

void tst_Proxy::upstreamNotFound()
{
    QCOMPARE(get(m_proxyServer->port, "/api/v4/packages/npm/no-such-package").status, 404);
    QCOMPARE(get(m_proxyServer->port, "/api/v4/packages/npm/no-such-package").status, 404);
    // Kept briefly: the second 404 did not reach the upstream.
    QCOMPARE(m_upstreamServer->count(upstreamPath(u"no-such-package"_s)), 1);
}

void tst_Proxy::localNamesWin_data()
{
    QTest::addColumn<QByteArray>("path");
    QTest::addColumn<QString>("name");
    QTest::addColumn<int>("status");
    QTest::addColumn<QStringList>("versions");
    // Published here (in acme/app): the group's document has the local version only.
    QTest::newRow("group, published here")
        << QByteArray("/api/v4/groups/acme/-/packages/npm/shared") << u"shared"_s << 200
        << QStringList{u"2.0.0"_s};
    // At instance level an unscoped name is not searched, but it is ours: never proxied.
    QTest::newRow("instance, published here")
        << QByteArray("/api/v4/packages/npm/shared") << u"shared"_s << 404 << QStringList();
    // The scope of a top-level group here: never proxied, even with no such package here.
    QTest::newRow("instance, our scope") << QByteArray("/api/v4/packages/npm/@acme%2fthing")
                                         << u"@acme/thing"_s << 404 << QStringList();
    QTest::newRow("group, our scope")
        << QByteArray("/api/v4/groups/acme/-/packages/npm/@acme%2fthing") << u"@acme/thing"_s << 404
        << QStringList();
    QTest::newRow("instance, tarball of a name published here")
        << QByteArray("/api/v4/packages/npm/shared/-/shared-1.0.0.tgz") << u"shared"_s << 404
        << QStringList();
}

void tst_Proxy::localNamesWin()
{
    QFETCH(QByteArray, path);
    QFETCH(QString, name);
    QFETCH(int, status);
    QFETCH(QStringList, versions);
    const Answer answer = get(m_proxyServer->port, path);
    QCOMPARE(answer.status, status);
    if (status == 200) {
        QCOMPARE(answer.json().value(u"versions"_s).toObject().keys(), versions);
    }
    int upstreamRequests = 0;
    {
        QMutexLocker lock(&m_upstreamServer->mutex);
        for (auto it = m_upstreamServer->counts.cbegin(); it != m_upstreamServer->counts.cend();
             ++it) {
            upstreamRequests += it.value();
        }
    }
    QCOMPARE(upstreamRequests, 0);
}

void tst_Proxy::singleFlight()
{
    // The upstream takes a second to answer: 100 requests arrive meanwhile.
    const QByteArray upstream = upstreamPath(u"many"_s);
    {
        QMutexLocker lock(&m_upstreamServer->mutex);
        m_upstreamServer->slow.insert(upstream);
        m_upstreamServer->slowMs = 1000;
    }
    constexpr int Clients = 100;
    const quint16 port = m_proxyServer->port;
    auto clients = std::async(std::launch::async, [port] {
        std::vector<std::unique_ptr<QTcpSocket>> sockets;
        for (int i = 0; i < Clients; ++i) {
            auto socket = std::make_unique<QTcpSocket>();
            socket->connectToHost(QHostAddress::LocalHost, port);
            if (!socket->waitForConnected(5000)) {
                return -1;
            }
            socket->write(requestText("/api/v4/packages/npm/many", {}));
            socket->waitForBytesWritten(5000);
            sockets.push_back(std::move(socket));
        }
        int ok = 0;
        for (const std::unique_ptr<QTcpSocket> &socket : sockets) {
            QByteArray raw;
            while (socket->state() == QAbstractSocket::ConnectedState
                   && socket->waitForReadyRead(30000)) {
                raw += socket->readAll();
            }
            raw += socket->readAll();
            const Answer answer = parseAnswer(raw);
            ok += answer.status == 200 && answer.json().value(u"name"_s).toString() == u"many"_s;
        }
        return ok;
    });
    // While the workers wait for the upstream they serve other connections.
    QTest::qWait(200);
    QElapsedTimer clock;
    clock.start();
    const Answer ping = get(port, "/api/v4/packages/npm/-/ping");
    QCOMPARE(ping.status, 200);
    QVERIFY2(clock.elapsed() < 700, qPrintable(QString::number(clock.elapsed())));
    const int ok = offThread([&clients] { return clients.get(); });
    QCOMPARE(ok, Clients);
    QCOMPARE(m_upstreamServer->count(upstream), 1);
}

void tst_Proxy::redirectModeStillRedirects()
{
    QVERIFY(m_proxyServer->registry->settings().setInstanceForwardingMode(
        SettingsService::ForwardingMode::Redirect));
    const Answer answer = get(m_proxyServer->port, "/api/v4/packages/npm/left-pad");
    QCOMPARE(answer.status, 302);
    QCOMPARE(m_upstreamServer->count(upstreamPath(u"left-pad"_s)), 0);
    // A group set to proxy proxies while the instance redirects.
    const Result<Group> acme = m_proxyServer->registry->namespaces().store().groupByPath(u"acme"_s);
    QVERIFY(acme);
    QVERIFY(m_proxyServer->registry->settings().setGroupForwardingMode(
        acme->id, SettingsService::ForwardingMode::Proxy));
    QCOMPARE(get(m_proxyServer->port, "/api/v4/groups/acme/-/packages/npm/left-pad").status, 200);
    QCOMPARE(get(m_proxyServer->port, "/api/v4/packages/npm/left-pad").status, 302);
    // No tarball route at instance level unless it proxies.
    QCOMPARE(get(m_proxyServer->port, "/api/v4/packages/npm/left-pad/-/left-pad-1.0.0.tgz").status,
             404);
}

void tst_Proxy::capEvictsLeastRecentlyUsed()
{
    const auto tarballPath = [](const QString &name) -> QByteArray {
        return "/api/v4/packages/npm/" + name.toLatin1() + "/-/" + name.toLatin1() + "-1.0.0.tgz";
    };
    const qint64 size = m_tarballs.value(u"left-pad@1.0.0"_s).size();
    // Room for two tarballs of about this size, not three.
    QVERIFY(m_proxyServer->registry->settings().setProxyCacheMaxBytes(size * 5 / 2));
    QCOMPARE(get(m_proxyServer->port, tarballPath(u"left-pad"_s)).status, 200);
    QTest::qWait(10);
    QCOMPARE(get(m_proxyServer->port, tarballPath(u"many"_s)).status, 200);
    // Asked again, "many" is answered from the kept copy, and that answer is kept in memory.
    QCOMPARE(get(m_proxyServer->port, tarballPath(u"many"_s)).status, 200);
    QTest::qWait(10);
    // left-pad is used again: "many" is now the least recently used.
    QCOMPARE(get(m_proxyServer->port, tarballPath(u"left-pad"_s)).status, 200);
    QTest::qWait(10);
    QCOMPARE(
        get(m_proxyServer->port, "/api/v4/packages/npm/%40other%2futil/-/util-1.0.0.tgz").status,
        200);

    ProxyStore store(m_proxyServer->registry->database());
    QTRY_VERIFY(store.totals()->tarballs == 2);
    QVERIFY(store.tarball(u"left-pad"_s, u"1.0.0"_s)->has_value());
    QVERIFY(store.tarball(u"@other/util"_s, u"1.0.0"_s)->has_value());
    QVERIFY(!store.tarball(u"many"_s, u"1.0.0"_s)->has_value());
    QVERIFY(store.totals()->tarballBytes <= size * 5 / 2);
    // The evicted tarball's blob is gone; asked again, it comes from the upstream again.
    const QByteArray manyTarball = m_tarballs.value(u"many@1.0.0"_s);
    const QString sha512 = QString::fromLatin1(
        QCryptographicHash::hash(manyTarball, QCryptographicHash::Sha512).toHex());
    QVERIFY(!m_proxyServer->registry->blobs().contains(sha512));
    const QByteArray upstreamTarball = upstreamPath(u"many"_s) + "/-/many-1.0.0.tgz";
    QCOMPARE(m_upstreamServer->count(upstreamTarball), 1);
    const Answer again = get(m_proxyServer->port, tarballPath(u"many"_s));
    QCOMPARE(again.status, 200);
    QCOMPARE(again.body, manyTarball);
    QCOMPARE(m_upstreamServer->count(upstreamTarball), 2);
}

void tst_Proxy::missingBlobIsFetchedAgain()
{
    const QByteArray path = "/api/v4/packages/npm/left-pad/-/left-pad-1.0.0.tgz";
    QCOMPARE(get(m_proxyServer->port, path).status, 200);
    // The second and third answers come from the kept copy (the third from the response cache),
    // and each counts as a hit of the proxy's cache.
    const ServerStatus::ProxyAnswers before = ServerStatus::proxyAnswersSinceStart();
    QCOMPARE(get(m_proxyServer->port, path).status, 200);
    const Answer third = get(m_proxyServer->port, path);
    QCOMPARE(third.status, 200);
    QCOMPARE(third.body, m_tarballs.value(u"left-pad@1.0.0"_s));
    QCOMPARE(ServerStatus::proxyAnswersSinceStart().hits, before.hits + 2);
    QCOMPARE(m_upstreamServer->count(upstreamPath(u"left-pad"_s) + "/-/left-pad-1.0.0.tgz"), 1);
    const QByteArray tarball = m_tarballs.value(u"left-pad@1.0.0"_s);
    const QString sha512 =
        QString::fromLatin1(QCryptographicHash::hash(tarball, QCryptographicHash::Sha512).toHex());
    // The blob goes behind the row's back (the orphan sweep does not know kept tarballs).
    QVERIFY(m_proxyServer->registry->blobs().remove(sha512));
    const Answer again = get(m_proxyServer->port, path);
    QCOMPARE(again.status, 200);
    QCOMPARE(again.body, tarball);
    QCOMPARE(m_upstreamServer->count(upstreamPath(u"left-pad"_s) + "/-/left-pad-1.0.0.tgz"), 2);
    QVERIFY(m_proxyServer->registry->blobs().contains(sha512));
}

QTEST_GUILESS_MAIN(tst_Proxy)
#include "tst_proxy.moc"
