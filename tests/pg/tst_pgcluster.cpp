// SPDX-License-Identifier: GPL-3.0-or-later
// A cluster as docs/postgresql.md describes it: two real `trove serve` on one PostgreSQL store
// and one shared data folder, Debian's nginx balancing between them (round robin, keep-alive
// to both, X-Forwarded-* trusted through --trust-proxy). Real npm, yarn classic, yarn berry and
// pnpm publish and install through nginx; a version published through one instance installs
// from the other at once; 50 concurrent same-version publishes over both publish once; one
// instance killed with SIGKILL in the middle of a stream of publishes: the other keeps
// answering and every acknowledged publish is served afterwards with its integrity. Runs on the
// cluster of tests/pg/cluster.sh (TROVE_TEST_STORE); skipped without one, or without nginx or
// the npm clients.
#include "../app/servehelper.h"
#include "../e2e/npmclients.h"
#include "../model/testsupport.h"
#include "pgsupport.h"

#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QHash>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <functional>
#include <memory>
#include <vector>

#include <unistd.h>

using namespace Qt::StringLiterals;
using namespace PgSupport;

namespace {

using NpmClients::readFile;
using NpmClients::writeFile;

QString nginxBinary()
{
    // Debian puts it in /usr/sbin, which an unprivileged PATH may lack.
    const QString found = QStandardPaths::findExecutable(u"nginx"_s);
    return found.isEmpty() ? QStandardPaths::findExecutable(u"nginx"_s, {u"/usr/sbin"_s}) : found;
}

Answer get(QNetworkAccessManager &network, const QUrl &url, const QByteArray &token)
{
    QNetworkRequest request(url);
    request.setRawHeader("Authorization", "Bearer " + token);
    return answerOf(network.get(request));
}

quint16 freePort()
{
    QTcpServer server;
    return server.listen(QHostAddress::LocalHost, 0) ? server.serverPort() : 0;
}

// Debian's nginx in the foreground, everything it writes (pid, logs, buffered bodies) in a
// folder of its own.
class Nginx
{
public:
    ~Nginx() { TestSupport::stopProcess(m_process); }
    bool start(const QList<quint16> &upstreams)
    {
        if (!m_dir.isValid()) {
            return false;
        }
        const QString dir = m_dir.path();
        for (int attempt = 0; attempt < 3 && m_process.state() == QProcess::NotRunning; ++attempt) {
            m_port = freePort();
            QString servers;
            for (const quint16 port : upstreams) {
                // A refused connection marks the instance down for 5 s; nginx then sends the
                // request to the next one.
                servers +=
                    u"        server 127.0.0.1:%1 max_fails=1 fail_timeout=5s;\n"_s.arg(port);
            }
            // As root nginx switches its workers to `nobody`, who could not write the temp
            // folders here: they run as root. Otherwise workers stay the current user.
            const QString user = ::geteuid() == 0 ? u"user root;\n"_s : QString();
            const QString config = user
                + u"worker_processes 1;\n"
                  "pid %1/nginx.pid;\n"
                  "error_log %1/error.log warn;\n"
                  "events { worker_connections 512; }\n"
                  "http {\n"
                  "    log_format upstreams '$request_method $uri $status $upstream_addr';\n"
                  "    access_log %1/access.log upstreams;\n"
                  "    client_body_temp_path %1/client_body;\n"
                  "    proxy_temp_path %1/proxy;\n"
                  "    fastcgi_temp_path %1/fastcgi;\n"
                  "    uwsgi_temp_path %1/uwsgi;\n"
                  "    scgi_temp_path %1/scgi;\n"
                  "    client_max_body_size 64m;\n"
                  "    upstream trove {\n"
                  "%2"
                  "        keepalive 16;\n"
                  "    }\n"
                  "    server {\n"
                  "        listen 127.0.0.1:%3;\n"
                  "        location / {\n"
                  "            proxy_pass http://trove;\n"
                  "            proxy_http_version 1.1;\n"
                  "            proxy_set_header Connection \"\";\n"
                  "            proxy_set_header Host $http_host;\n"
                  "            proxy_set_header X-Forwarded-Host $http_host;\n"
                  "            proxy_set_header X-Forwarded-Proto $scheme;\n"
                  "            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;\n"
                  "            proxy_next_upstream error timeout http_502 http_503;\n"
                  "            proxy_read_timeout 60s;\n"
                  "        }\n"
                  "    }\n"
                  "}\n"_s.arg(dir, servers)
                      .arg(m_port);
            if (!writeFile(dir + u"/nginx.conf"_s, config.toUtf8())) {
                return false;
            }
            m_process.setProcessChannelMode(QProcess::MergedChannels);
            m_process.start(nginxBinary(),
                            {u"-p"_s,
                             dir,
                             u"-c"_s,
                             dir + u"/nginx.conf"_s,
                             u"-e"_s,
                             dir + u"/error.log"_s,
                             u"-g"_s,
                             u"daemon off;"_s});
            if (!m_process.waitForStarted(10000)) {
                return false;
            }
            // Up once it accepts connections; gone at once if the port was taken meanwhile.
            for (int i = 0; i < 100 && m_process.state() == QProcess::Running; ++i) {
                QTcpSocket probe;
                probe.connectToHost(QHostAddress::LocalHost, m_port);
                if (probe.waitForConnected(100)) {
                    return true;
                }
                QTest::qWait(50);
            }
            m_process.waitForFinished(1000);
        }
        return false;
    }
    QString log()
    {
        return QString::fromUtf8(readFile(m_dir.filePath(u"error.log"_s)))
            + QString::fromUtf8(m_process.readAll());
    }
    // One line per request: method, path, status and the instances nginx tried, in order.
    QString accessLog() const
    {
        return QString::fromUtf8(readFile(m_dir.filePath(u"access.log"_s)));
    }
    quint16 port() const { return m_port; }

private:
    QTemporaryDir m_dir;
    QProcess m_process;
    quint16 m_port = 0;
};

struct RawRequest
{
    quint16 port = 0;
    QByteArray head; // request line and headers, without the blank line
    QByteArray body;
};

// Sends every request of `requests` on a connection of its own, all connected first and then
// written at once, so that they race in the servers rather than queue in a client; returns each
// answer's status (-1: no answer).
QList<int> sendAtOnce(const QList<RawRequest> &requests)
{
    QList<int> statuses(requests.size(), 0);
    std::vector<std::unique_ptr<QTcpSocket>> sockets;
    QList<QByteArray> received(requests.size());
    for (const RawRequest &request : requests) {
        auto socket = std::make_unique<QTcpSocket>();
        socket->connectToHost(QHostAddress::LocalHost, request.port);
        sockets.push_back(std::move(socket));
    }
    for (auto &socket : sockets) {
        socket->waitForConnected(10000);
    }
    for (qsizetype i = 0; i < requests.size(); ++i) {
        const RawRequest &request = requests.at(i);
        sockets[i]->write(request.head
                          + "\r\nContent-Length: " + QByteArray::number(request.body.size())
                          + "\r\nConnection: close\r\n\r\n" + request.body);
    }
    QElapsedTimer elapsed;
    elapsed.start();
    qsizetype open = requests.size();
    while (open > 0 && elapsed.elapsed() < 60000) {
        open = 0;
        for (qsizetype i = 0; i < requests.size(); ++i) {
            if (statuses.at(i) != 0) {
                continue;
            }
            received[i] += sockets[i]->readAll();
            if (const qsizetype end = received.at(i).indexOf("\r\n"); end > 0) {
                // "HTTP/1.1 200 OK"
                statuses[i] = received.at(i).left(end).split(' ').value(1).toInt();
                statuses[i] = statuses.at(i) == 0 ? -1 : statuses.at(i);
            } else if (sockets[i]->state() == QAbstractSocket::UnconnectedState) {
                statuses[i] = -1;
            } else {
                ++open;
            }
        }
        if (open > 0) {
            QTest::qWait(5);
        }
    }
    return statuses;
}

const QStringList Clients{u"npm11"_s, u"yarn1"_s, u"yarn4"_s, u"pnpm"_s};

} // namespace

class tst_PgCluster : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void clientsPublishAndInstallThroughNginx_data();
    void clientsPublishAndInstallThroughNginx();
    void nginxUsesBothInstances();
    void publishedOnOneInstallsFromTheOther();
    void concurrentSameVersionPublishesOnce();
    void sigkillMidLoadLosesNothing();

private:
    QString nginxOrigin() const { return u"http://127.0.0.1:%1"_s.arg(m_nginx.port()); }
    QString projectPath() const { return u"/api/v4/projects/%1/packages/npm/"_s.arg(m_projectId); }
    QString projectUrl(quint16 port) const
    {
        return u"http://127.0.0.1:%1"_s.arg(port) + projectPath();
    }
    QByteArray putHead(const QString &name) const
    {
        return "PUT " + projectPath().toUtf8() + QUrl::toPercentEncoding(name, "@")
            + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + m_token
            + "\r\nContent-Type: application/json\r\nNpm-Command: publish";
    }
    // The .npmrc, .yarnrc and .yarnrc.yml of a folder using the project endpoint at `port`.
    bool configure(const QString &dir, quint16 port, int number);
    NpmClients::Run client(const QString &name, const QStringList &arguments, const QString &dir);
    QString makePackage(const QString &name, const QString &version);
    QString consumer();
    // Whether `name@version` is served through `port` with the integrity of `tarball`, both in the
    // packument and in the tarball it links to (fetched from that link).
    bool servedIntact(quint16 port,
                      const QString &name,
                      const QString &version,
                      const QByteArray &tarball,
                      QString *why);

    QString m_schema;
    QTemporaryDir m_dir;
    QString m_data;
    qint64 m_projectId = 0;
    QByteArray m_token;
    // Merged: what each printed, in order, for the failure messages.
    Server m_first{QProcess::MergedChannels};
    Server m_second{QProcess::MergedChannels};
    Nginx m_nginx;
    int m_counter = 0;
};

void tst_PgCluster::initTestCase()
{
    if (TestSupport::testStore().isEmpty()) {
        QSKIP("No PostgreSQL cluster (TROVE_TEST_STORE): tests/pg/cluster.sh run DIR -- …");
    }
    if (nginxBinary().isEmpty()) {
        QSKIP("nginx is missing (packaging/install-deps.sh installs it)");
    }
    if (!QFile::exists(NpmClients::script(u"npm11"_s))) {
        QSKIP("the npm clients are missing: cd tests/e2e && npm ci");
    }
    QVERIFY2(QFileInfo(TroveBinary).isExecutable(), qPrintable(TroveBinary));
    QVERIFY(m_dir.isValid());
    m_schema = TestSupport::freshSchemaName();
    const QString store = TestSupport::testStore() + u"?schema="_s + m_schema;
    m_data = m_dir.filePath(u"data"_s);
    const QList<QStringList> steps = {
        {u"group"_s, u"create"_s, u"acme"_s},
        {u"project"_s, u"create"_s, u"acme/web"_s},
        {u"user"_s, u"create"_s, u"mia"_s},
        {u"member"_s, u"add"_s, u"--group"_s, u"acme"_s, u"mia"_s, u"maintainer"_s},
        {u"token"_s, u"create"_s, u"mia"_s},
        {u"forwarding"_s, u"set"_s, u"off"_s},
    };
    for (const QStringList &step : steps) {
        const Run run = trove(step + QStringList{u"--data"_s, m_data, u"--store"_s, store});
        QVERIFY2(run.exitCode == 0, qPrintable(step.join(u' ') + u": "_s + run.err));
        if (step.at(0) == u"project"_s) {
            m_projectId = run.out.trimmed().toLongLong();
        } else if (step.at(0) == u"token"_s) {
            m_token = run.out.trimmed().toUtf8();
        }
    }
    QVERIFY(m_projectId > 0 && !m_token.isEmpty());

    // --trust-proxy: tarball URLs name nginx's address for requests through nginx (its
    // X-Forwarded-Host), and an instance's own for requests sent to it directly.
    const QStringList arguments{u"--data"_s, m_data, u"--store"_s, store, u"--trust-proxy"_s};
    QVERIFY2(m_first.start(arguments) != 0, qPrintable(m_first.output()));
    QVERIFY2(m_second.start(arguments) != 0, qPrintable(m_second.output()));
    QVERIFY2(m_nginx.start({m_first.port(), m_second.port()}), qPrintable(m_nginx.log()));
}

void tst_PgCluster::cleanupTestCase()
{
    m_first.stop();
    m_second.stop();
    TestSupport::dropSchema(m_schema);
}

bool tst_PgCluster::configure(const QString &dir, quint16 port, int number)
{
    const QString url = projectUrl(port);
    const QString host = u"//127.0.0.1:%1"_s.arg(port);
    // npm, pnpm and yarn classic: the scope's registry, and the token for the endpoint and for
    // the API path its tarball URLs are under (as docs/npm-api.md's .npmrc).
    const QString npmrc =
        u"@acme:registry=%1\nregistry=%1\nfetch-retries=0\n"
        "%2%3:_authToken=%4\n%2/api/v4/:_authToken=%4\n"
        "store-dir=%5\ncache-dir=%6\n"_s.arg(url, host, projectPath(), QString::fromUtf8(m_token))
            .arg(m_dir.filePath(u"pnpm-store-%1"_s.arg(number)),
                 m_dir.filePath(u"pnpm-cache-%1"_s.arg(number)));
    // Yarn classic sends the token to the project-level tarball URLs only with always-auth.
    const QString yarnrc =
        u"\"@acme:registry\" \"%1\"\nregistry \"%1\"\nalways-auth true\n"_s.arg(url);
    // Berry reads only .yarnrc.yml. The age gate is off: the versions were published a moment ago.
    const QString yarnrcYml =
        u"nodeLinker: node-modules\n"
        "enableTelemetry: false\n"
        "httpRetry: 0\n"
        "npmRegistryServer: \"%1\"\n"
        "npmMinimalAgeGate: 0\n"
        "unsafeHttpWhitelist: [\"127.0.0.1\"]\n"
        "npmScopes:\n"
        "  acme:\n"
        "    npmRegistryServer: \"%1\"\n"
        "    npmPublishRegistry: \"%1\"\n"
        "    npmAuthToken: \"%2\"\n"
        "    npmAlwaysAuth: true\n"
        "    npmMinimalAgeGate: 0\n"
        "npmRegistries:\n"
        "  \"%3/api/v4/\":\n"
        "    npmAuthToken: \"%2\"\n"
        "    npmAlwaysAuth: true\n"_s.arg(url, QString::fromUtf8(m_token), host);
    return writeFile(dir + u"/.npmrc"_s, npmrc.toUtf8())
        && writeFile(dir + u"/.yarnrc"_s, yarnrc.toUtf8())
        && writeFile(dir + u"/.yarnrc.yml"_s, yarnrcYml.toUtf8())
        // Berry takes the folder for a project of its own only with a yarn.lock in it.
        && (QFile::exists(dir + u"/yarn.lock"_s) || writeFile(dir + u"/yarn.lock"_s, {}));
}

NpmClients::Run
tst_PgCluster::client(const QString &name, const QStringList &arguments, const QString &dir)
{
    const int number = ++m_counter;
    // Berry keeps registry metadata in its global folder: one per run, like the caches.
    QProcessEnvironment extra;
    extra.insert(u"YARN_GLOBAL_FOLDER"_s, m_dir.filePath(u"yarn-global-%1"_s.arg(number)));
    QStringList all = arguments;
    if (name == u"yarn1"_s) {
        all << u"--non-interactive"_s;
    }
    return NpmClients::run(name, all, dir, m_dir.filePath(u"scratch"_s), number, extra);
}

QString tst_PgCluster::makePackage(const QString &name, const QString &version)
{
    const QString dir = m_dir.filePath(u"pkg-%1"_s.arg(++m_counter));
    const QJsonObject manifest{{u"name"_s, name},
                               {u"version"_s, version},
                               {u"main"_s, u"index.js"_s},
                               {u"license"_s, u"MIT"_s}};
    writeFile(dir + u"/package.json"_s, QJsonDocument(manifest).toJson());
    writeFile(dir + u"/index.js"_s, "module.exports = '" + version.toUtf8() + "';\n");
    return dir;
}

QString tst_PgCluster::consumer()
{
    const QString dir = m_dir.filePath(u"consumer-%1"_s.arg(++m_counter));
    writeFile(dir + u"/package.json"_s,
              QJsonDocument(QJsonObject{{u"name"_s, u"consumer"_s},
                                        {u"version"_s, u"1.0.0"_s},
                                        {u"private"_s, true}})
                  .toJson());
    return dir;
}

bool tst_PgCluster::servedIntact(quint16 port,
                                 const QString &name,
                                 const QString &version,
                                 const QByteArray &tarball,
                                 QString *why)
{
    QNetworkAccessManager network;
    const QString encoded = QString::fromUtf8(QUrl::toPercentEncoding(name, "@"));
    const Answer packument = get(network, QUrl(projectUrl(port) + encoded), m_token);
    const QJsonObject dist = QJsonDocument::fromJson(packument.body)
                                 .object()
                                 .value(u"versions"_s)
                                 .toObject()
                                 .value(version)
                                 .toObject()
                                 .value(u"dist"_s)
                                 .toObject();
    if (packument.status != 200 || dist.value(u"integrity"_s).toString() != integrityOf(tarball)) {
        *why = u"%1@%2 through port %3: %4 %5"_s.arg(name, version)
                   .arg(port)
                   .arg(packument.status)
                   .arg(QString::fromUtf8(QJsonDocument(dist).toJson(QJsonDocument::Compact)));
        return false;
    }
    const QString link = dist.value(u"tarball"_s).toString();
    const Answer file = get(network, QUrl(link), m_token);
    if (file.status != 200 || integrityOf(file.body) != integrityOf(tarball)) {
        *why = u"%1: %2, %3 bytes"_s.arg(link).arg(file.status).arg(file.body.size());
        return false;
    }
    return true;
}

void tst_PgCluster::clientsPublishAndInstallThroughNginx_data()
{
    QTest::addColumn<QString>("client");
    for (const QString &client : Clients) {
        QTest::addRow("%s", qPrintable(client)) << client;
    }
}

void tst_PgCluster::clientsPublishAndInstallThroughNginx()
{
    QFETCH(QString, client);
    const QString name = u"@acme/via-"_s + client;
    const QString pkg = makePackage(name, u"1.0.0"_s);
    QVERIFY(configure(pkg, m_nginx.port(), m_counter));
    QStringList publish{u"publish"_s};
    if (client == u"yarn4"_s) {
        publish = {u"npm"_s, u"publish"_s};
    } else if (client == u"yarn1"_s) {
        publish << u"--new-version"_s << u"1.0.0"_s << u"--no-git-tag-version"_s;
    } else if (client == u"pnpm"_s) {
        publish << u"--no-git-checks"_s;
    }
    NpmClients::Run run;
    if (client == u"yarn4"_s) {
        // Berry publishes a workspace of its lockfile only: an install (nothing to fetch) first.
        run = this->client(client, {u"install"_s}, pkg);
        QVERIFY2(run.exitCode == 0, qPrintable(run.all()));
    }
    run = this->client(client, publish, pkg);
    QVERIFY2(run.exitCode == 0, qPrintable(run.all()));

    // Installed through nginx by the same client: the lockfile names nginx's address only.
    const QString dir = consumer();
    QVERIFY(configure(dir, m_nginx.port(), m_counter));
    const QString spec = name + u"@1.0.0"_s;
    run = this->client(client, {client == u"npm11"_s ? u"install"_s : u"add"_s, spec}, dir);
    QVERIFY2(run.exitCode == 0, qPrintable(run.all()));
    const QJsonObject installed =
        QJsonDocument::fromJson(readFile(dir + u"/node_modules/"_s + name + u"/package.json"_s))
            .object();
    QCOMPARE(installed.value(u"version"_s).toString(), u"1.0.0"_s);
    const QString lockfile = client == u"npm11"_s ? u"package-lock.json"_s
        : client == u"pnpm"_s                     ? u"pnpm-lock.yaml"_s
                                                  : u"yarn.lock"_s;
    const QByteArray lock = readFile(dir + u'/' + lockfile);
    QVERIFY2(lock.contains(name.toUtf8()), lock.constData());
    for (const quint16 port : {m_first.port(), m_second.port()}) {
        QVERIFY2(!lock.contains(QByteArray(":" + QByteArray::number(port) + "/")),
                 lock.constData());
    }
    if (client == u"npm11"_s || client == u"yarn1"_s) {
        // These two keep the tarball's URL: nginx's, from X-Forwarded-Host.
        QVERIFY2(lock.contains(QString(nginxOrigin() + projectPath()).toUtf8()), lock.constData());
    }
}

void tst_PgCluster::nginxUsesBothInstances()
{
    // The clients' requests above went round robin over both instances, and each answered.
    const QString log = m_nginx.accessLog();
    for (const quint16 port : {m_first.port(), m_second.port()}) {
        const QRegularExpression answered(u"^(GET|PUT) \\S+ 200 127\\.0\\.0\\.1:%1$"_s.arg(port),
                                          QRegularExpression::MultilineOption);
        QVERIFY2(answered.match(log).hasMatch(), qPrintable(log));
    }
}

void tst_PgCluster::publishedOnOneInstallsFromTheOther()
{
    const QString name = u"@acme/hop"_s;
    for (const auto &[writer, reader] : {std::pair{&m_first, &m_second}, {&m_second, &m_first}}) {
        const QString version = writer == &m_first ? u"1.0.0"_s : u"1.1.0"_s;
        const QByteArray tarball = makeTarball(name, version);
        const QList<int> statuses =
            sendAtOnce({{writer->port(), putHead(name), publishBody(name, version, tarball)}});
        QCOMPARE(statuses, QList<int>{200});
        // At once: no waiting between the publish and the install.
        const QString dir = consumer();
        QVERIFY(configure(dir, reader->port(), m_counter));
        const NpmClients::Run run = client(u"npm11"_s, {u"install"_s, name + u'@' + version}, dir);
        QVERIFY2(run.exitCode == 0, qPrintable(run.all()));
        const QJsonObject installed =
            QJsonDocument::fromJson(readFile(dir + u"/node_modules/@acme/hop/package.json"_s))
                .object();
        QCOMPARE(installed.value(u"version"_s).toString(), version);
        // The reader's own address in the lockfile: it was asked directly.
        QVERIFY(
            readFile(dir + u"/package-lock.json"_s).contains(projectUrl(reader->port()).toUtf8()));
    }
}

void tst_PgCluster::concurrentSameVersionPublishesOnce()
{
    // 50 publishes of race@1.0.0, each with a tarball of its own, half to each instance.
    const QString name = u"race"_s;
    QList<RawRequest> requests;
    QList<QByteArray> tarballs;
    for (int i = 0; i < 50; ++i) {
        const QByteArray tarball =
            makeTarball(name, u"1.0.0"_s, "module.exports = 1;\n// " + QByteArray::number(i));
        tarballs.append(tarball);
        requests.append({i % 2 == 0 ? m_first.port() : m_second.port(),
                         putHead(name),
                         publishBody(name, u"1.0.0"_s, tarball)});
    }
    const QList<int> statuses = sendAtOnce(requests);
    qsizetype winner = -1;
    for (qsizetype i = 0; i < statuses.size(); ++i) {
        const int status = statuses.at(i);
        if (status == 200 || status == 201) {
            QVERIFY2(winner < 0, qPrintable(u"two successes: %1 and %2"_s.arg(winner).arg(i)));
            winner = i;
        } else {
            // GitLab's answers: 403 once the version exists, 409 for a publish racing it.
            QVERIFY2(status == 403 || status == 409,
                     qPrintable(u"request %1: %2"_s.arg(i).arg(status)));
        }
    }
    QVERIFY2(winner >= 0, "no publish succeeded");

    QSqlQuery rows(TestSupport::adminConnection());
    QVERIFY(rows.exec(u"SELECT count(*) FROM \"%1\".packages"
                      " WHERE name = 'race' AND version = '1.0.0'"_s.arg(m_schema)));
    QVERIFY(rows.next());
    QCOMPARE(rows.value(0).toInt(), 1);
    // The winner's bytes, from both instances and through nginx.
    QString why;
    for (const quint16 port : {m_first.port(), m_second.port(), m_nginx.port()}) {
        QVERIFY2(servedIntact(port, name, u"1.0.0"_s, tarballs.at(winner), &why), qPrintable(why));
    }
}

void tst_PgCluster::sigkillMidLoadLosesNothing()
{
    // Four lanes publish load@3.0.N one after another: two through nginx, one to each instance.
    // After 24 answers the first instance is killed with SIGKILL; the lanes through nginx and
    // to the second instance go on for 16 publishes each.
    const QString name = u"load"_s;
    struct Lane
    {
        quint16 port = 0;
        bool throughNginx = false;
        int afterKill = 0;
        bool stopped = false;
    };
    QList<Lane> lanes{{m_nginx.port(), true},
                      {m_nginx.port(), true},
                      {m_first.port(), false},
                      {m_second.port(), false}};
    struct Sent
    {
        QString version;
        QByteArray tarball;
        qsizetype lane = 0;
        bool sentAfterKill = false;
        int status = 0;
        QString error;
    };
    QList<Sent> sent;
    QNetworkAccessManager network;
    QEventLoop loop;
    bool killed = false;
    int answered = 0;
    int version = 0;
    constexpr int AfterKill = 16;

    std::function<void(qsizetype)> next = [&](qsizetype laneIndex) {
        Lane &lane = lanes[laneIndex];
        if (lane.stopped || (killed && lane.afterKill >= AfterKill)) {
            lane.stopped = true;
            bool all = true;
            for (const Lane &each : std::as_const(lanes)) {
                all = all && each.stopped;
            }
            if (all) {
                loop.quit();
            }
            return;
        }
        if (killed) {
            ++lane.afterKill;
        }
        Sent one;
        one.version = u"3.0.%1"_s.arg(++version);
        one.tarball = makeTarball(name, one.version);
        one.lane = laneIndex;
        one.sentAfterKill = killed;
        const qsizetype index = sent.size();
        sent.append(one);
        QNetworkRequest put(QUrl(projectUrl(lane.port) + name));
        put.setRawHeader("Authorization", "Bearer " + m_token);
        put.setHeader(QNetworkRequest::ContentTypeHeader, u"application/json"_s);
        put.setRawHeader("Npm-Command", "publish");
        put.setTransferTimeout(30000);
        QNetworkReply *reply = network.put(put, publishBody(name, one.version, one.tarball));
        QObject::connect(reply, &QNetworkReply::finished, &loop, [&, reply, index, laneIndex] {
            reply->deleteLater();
            Sent &done = sent[index];
            done.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
            if (done.status == 0) {
                done.error = reply->errorString();
            }
            if (++answered == 24 && !killed) {
                m_first.process().kill(); // SIGKILL
                m_first.process().waitForFinished(5000);
                killed = true;
            }
            if (killed && lanes.at(laneIndex).port == m_first.port()) {
                lanes[laneIndex].stopped = true;
            }
            next(laneIndex);
        });
    };
    for (qsizetype i = 0; i < lanes.size(); ++i) {
        next(i);
    }
    QTimer::singleShot(120000, &loop, &QEventLoop::quit);
    loop.exec();
    QVERIFY2(killed, "the load ended before the kill");
    QCOMPARE(m_first.process().exitStatus(), QProcess::CrashExit);

    // Everything sent after the kill through nginx or to the surviving instance succeeded.
    int acknowledged = 0;
    int afterKill = 0;
    for (const Sent &one : std::as_const(sent)) {
        const Lane &lane = lanes.at(one.lane);
        if (one.sentAfterKill && (lane.throughNginx || lane.port == m_second.port())) {
            ++afterKill;
            QVERIFY2(one.status == 200,
                     qPrintable(u"%1 through %2 after the kill: %3 %4\n%5"_s.arg(one.version)
                                    .arg(lane.port)
                                    .arg(one.status)
                                    .arg(one.error, m_nginx.log().right(2000))));
        }
        acknowledged += one.status == 200 ? 1 : 0;
    }
    QCOMPARE(afterKill, 3 * AfterKill);
    // nginx did meet the dead instance: a publish it sent there went on to the survivor.
    const QRegularExpression failedOver(
        u"^PUT \\S+ 200 127\\.0\\.0\\.1:%1, 127\\.0\\.0\\.1:%2$"_s.arg(m_first.port())
            .arg(m_second.port()),
        QRegularExpression::MultilineOption);
    QVERIFY2(failedOver.match(m_nginx.accessLog()).hasMatch(),
             qPrintable(m_nginx.accessLog().right(3000)));
    qInfo("%lld publishes sent, %d acknowledged, %d after the kill",
          sent.size(),
          acknowledged,
          afterKill);

    // Every acknowledged publish is served, from the survivor and through nginx, with the
    // integrity of the tarball that was sent.
    QString why;
    for (const Sent &one : std::as_const(sent)) {
        if (one.status != 200) {
            continue;
        }
        for (const quint16 port : {m_second.port(), m_nginx.port()}) {
            QVERIFY2(servedIntact(port, name, one.version, one.tarball, &why), qPrintable(why));
        }
    }
}

QTEST_GUILESS_MAIN(tst_PgCluster)
#include "tst_pgcluster.moc"
