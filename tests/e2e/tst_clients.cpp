// SPDX-License-Identifier: GPL-3.0-or-later
// End-to-end: the real `trove serve` on 127.0.0.1 and the real npm (10 and 11), yarn classic,
// yarn berry and pnpm clients, installed by tests/run.sh from tests/e2e/package-lock.json.

#include "../app/servehelper.h"
#include "npmclients.h"

#include "model/npmrcbuilder.h"
#include "model/tls/selfsigned.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

using NpmClients::readFile;
using NpmClients::Run;
using NpmClients::writeFile;

QString clientScript(const QString &client)
{
    return NpmClients::script(client);
}

// A running `trove serve`.
class Server
{
public:
    ~Server() { stop(); }

    bool start(const QString &dataDir,
               const QString &host = u"127.0.0.1"_s,
               const QStringList &extraArguments = {})
    {
        m_host = host;
        m_process.setProgram(QStringLiteral(TROVE_BINARY_DIR "/app/trove"));
        m_process.setArguments(
            QStringList{u"serve"_s, u"--listen"_s, host + u":0"_s, u"--data"_s, dataDir}
            + extraArguments);
        m_process.setProcessChannelMode(QProcess::SeparateChannels);
        m_process.start();
        if (!m_process.waitForStarted(10000)) {
            return false;
        }
        const QRegularExpression listening(u"Listening on (https?)://"_s
                                           + QRegularExpression::escape(host) + u":(\\d+)/"_s);
        QString output;
        for (int i = 0; i < 100 && m_port == 0; ++i) {
            m_process.waitForReadyRead(100);
            output += QString::fromUtf8(m_process.readAllStandardOutput());
            const QRegularExpressionMatch match = listening.match(output);
            if (match.hasMatch()) {
                m_scheme = match.captured(1);
                m_port = match.captured(2).toUShort();
            }
        }
        return m_port != 0;
    }

    void stop() { TestSupport::stopProcess(m_process); }

    quint16 port() const { return m_port; }
    QString origin() const { return u"%1://%2:%3"_s.arg(m_scheme, m_host).arg(m_port); }
    QString stderrText() { return QString::fromUtf8(m_process.readAllStandardError()); }

private:
    QProcess m_process;
    QString m_host;
    QString m_scheme;
    quint16 m_port = 0;
};

} // namespace

class tst_Clients : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();

    void publish_data();
    void publish();
    void republishIsRefused_data();
    void republishIsRefused();
    void publishWithoutPermission();
    void view();
    void install_data();
    void install();
    void npmCi();
    void pack();
    void distTags();
    void deprecateRange();
    void unpublishVersion();
    void whoami();
    void anonymousPrivateIsUnauthorized();
    void forwardingRedirect();
    void publishOverTls();
    void installOverTls_data();
    void installOverTls();

private:
    Run trove(const QStringList &arguments, const QString &dataDir = {});
    Run client(const QString &client,
               const QStringList &arguments,
               const QString &workDir,
               const QProcessEnvironment &extra = {});
    QString projectUrl() const;
    QString groupUrl() const;
    QString instanceUrl() const;
    // .npmrc lines for scope @acme at `registryUrl`, with `token` for the registry's path.
    QByteArray npmrc(const QString &registryUrl, const QString &token) const;
    QString makePackage(const QString &name, const QString &version);
    QString consumer(const QString &name);

    QTemporaryDir m_dir;
    QString m_data;
    Server m_server;
    qint64 m_projectId = 0;
    QString m_maintainerToken;
    QString m_reporterToken;
    QString m_deployToken;
    QString m_readDeployToken;
    QString m_jobToken;
    int m_counter = 0;
    // The HTTPS registry of the TLS tests, its own data, and what the builder made for it.
    Server m_tlsServer;
    QString m_tlsToken;
    Trove::NpmrcSnippets m_tlsSnippets;
};

Run tst_Clients::trove(const QStringList &arguments, const QString &dataDir)
{
    QProcess process;
    process.start(QStringLiteral(TROVE_BINARY_DIR "/app/trove"),
                  arguments + QStringList{u"--data"_s, dataDir.isEmpty() ? m_data : dataDir});
    process.waitForFinished(30000);
    return {process.exitCode(),
            QString::fromUtf8(process.readAllStandardOutput()).trimmed(),
            QString::fromUtf8(process.readAllStandardError()).trimmed()};
}

Run tst_Clients::client(const QString &name,
                        const QStringList &arguments,
                        const QString &workDir,
                        const QProcessEnvironment &extra)
{
    return NpmClients::run(name, arguments, workDir, m_dir.path(), ++m_counter, extra);
}

QString tst_Clients::projectUrl() const
{
    return m_server.origin() + u"/api/v4/projects/%1/packages/npm/"_s.arg(m_projectId);
}

QString tst_Clients::groupUrl() const
{
    return m_server.origin() + u"/api/v4/groups/acme/-/packages/npm/"_s;
}

QString tst_Clients::instanceUrl() const
{
    return m_server.origin() + u"/api/v4/packages/npm/"_s;
}

QByteArray tst_Clients::npmrc(const QString &registryUrl, const QString &token) const
{
    // As GitLab's docs say: the scope's registry, and the token for the API path (which also
    // covers the project-level tarball URLs served at group and instance level).
    QString text = u"@acme:registry=%1\nregistry=%1\n"_s.arg(registryUrl);
    if (!token.isEmpty()) {
        // npm checks for a token of the registry's own URL before publishing.
        const QString nerfDart = registryUrl.mid(registryUrl.indexOf(u"//"_s));
        text += u"%1:_authToken=%2\n"_s.arg(nerfDart, token);
        text += u"//127.0.0.1:%1/api/v4/:_authToken=%2\n"_s.arg(m_server.port()).arg(token);
    }
    return text.toUtf8();
}

QString tst_Clients::makePackage(const QString &name, const QString &version)
{
    const QString dir = m_dir.filePath(u"pkg-%1"_s.arg(++m_counter));
    const QJsonObject manifest{{u"name"_s, name},
                               {u"version"_s, version},
                               {u"description"_s, u"A test package"_s},
                               {u"main"_s, u"index.js"_s},
                               {u"license"_s, u"MIT"_s}};
    writeFile(dir + u"/package.json"_s, QJsonDocument(manifest).toJson());
    writeFile(dir + u"/index.js"_s, "module.exports = '" + version.toUtf8() + "';\n");
    writeFile(dir + u"/README.md"_s, "# " + name.toUtf8() + "\n");
    return dir;
}

QString tst_Clients::consumer(const QString &name)
{
    const QString dir = m_dir.filePath(u"consumer-%1-%2"_s.arg(name).arg(++m_counter));
    writeFile(dir + u"/package.json"_s,
              QJsonDocument(QJsonObject{{u"name"_s, u"consumer"_s},
                                        {u"version"_s, u"1.0.0"_s},
                                        {u"private"_s, true}})
                  .toJson());
    return dir;
}

void tst_Clients::initTestCase()
{
    if (!QFile::exists(clientScript(u"npm11"_s))) {
        QFAIL("The npm clients are missing: run tests/run.sh (npm ci in tests/e2e)");
    }
    QVERIFY(m_dir.isValid());
    writeFile(m_dir.filePath(u"empty-npmrc"_s), "");
    m_data = m_dir.filePath(u"data"_s);
    QCOMPARE(trove({u"group"_s, u"create"_s, u"acme"_s}).exitCode, 0);
    const Run project = trove({u"project"_s, u"create"_s, u"acme/widgets"_s});
    QCOMPARE(project.exitCode, 0);
    m_projectId = project.out.toLongLong();
    QCOMPARE(trove({u"user"_s, u"create"_s, u"mia"_s}).exitCode, 0);
    QCOMPARE(trove({u"user"_s, u"create"_s, u"rex"_s}).exitCode, 0);
    QCOMPARE(
        trove({u"member"_s, u"add"_s, u"--group"_s, u"acme"_s, u"mia"_s, u"maintainer"_s}).exitCode,
        0);
    QCOMPARE(
        trove({u"member"_s, u"add"_s, u"--project"_s, u"acme/widgets"_s, u"rex"_s, u"reporter"_s})
            .exitCode,
        0);
    m_maintainerToken = trove({u"token"_s, u"create"_s, u"mia"_s}).out;
    m_reporterToken = trove({u"token"_s, u"create"_s, u"rex"_s}).out;
    m_deployToken = trove({u"deploy-token"_s,
                           u"create"_s,
                           u"--project"_s,
                           u"acme/widgets"_s,
                           u"--scopes"_s,
                           u"read_package_registry,write_package_registry"_s})
                        .out;
    m_readDeployToken = trove({u"deploy-token"_s,
                               u"create"_s,
                               u"--group"_s,
                               u"acme"_s,
                               u"--scopes"_s,
                               u"read_package_registry"_s})
                            .out;
    m_jobToken =
        trove(
            {u"job-token"_s, u"create"_s, u"--project"_s, u"acme/widgets"_s, u"--user"_s, u"mia"_s})
            .out;
    QVERIFY(m_maintainerToken.startsWith(u"tpat-"_s));
    QVERIFY(m_deployToken.startsWith(u"tdt-"_s));
    QVERIFY(m_jobToken.startsWith(u"tjob-"_s));
    QCOMPARE(trove({u"forwarding"_s, u"set"_s, u"off"_s}).exitCode, 0);
    QVERIFY2(m_server.start(m_data), qPrintable(m_server.stderrText()));
}

void tst_Clients::cleanupTestCase()
{
    m_tlsServer.stop();
    m_server.stop();
}

void tst_Clients::publish_data()
{
    QTest::addColumn<QString>("client");
    QTest::addColumn<QString>("tokenKind");
    QTest::addColumn<QString>("version");
    QTest::addColumn<QString>("tag");
    QTest::addRow("npm 10, personal access token")
        << u"npm10"_s << u"pat"_s << u"1.0.0"_s << QString();
    QTest::addRow("npm 11, deploy token") << u"npm11"_s << u"deploy"_s << u"1.1.0"_s << QString();
    QTest::addRow("npm 11, job token, beta tag")
        << u"npm11"_s << u"job"_s << u"1.2.0-beta.1"_s << u"beta"_s;
}

void tst_Clients::publish()
{
    QFETCH(QString, client);
    QFETCH(QString, tokenKind);
    QFETCH(QString, version);
    QFETCH(QString, tag);
    const QString token = tokenKind == u"pat"_s ? m_maintainerToken
        : tokenKind == u"deploy"_s              ? m_deployToken
                                                : m_jobToken;
    const QString dir = makePackage(u"@acme/widget"_s, version);
    QVERIFY(writeFile(dir + u"/.npmrc"_s, npmrc(projectUrl(), token)));
    QStringList arguments{u"publish"_s};
    if (!tag.isEmpty()) {
        arguments << u"--tag"_s << tag;
    }
    const Run run = this->client(client, arguments, dir);
    QVERIFY2(run.exitCode == 0, qPrintable(run.all()));
    QVERIFY2(run.all().contains(u"+ @acme/widget@"_s + version), qPrintable(run.all()));
}

void tst_Clients::republishIsRefused_data()
{
    QTest::addColumn<QString>("client");
    QTest::addRow("npm 10") << u"npm10"_s;
    QTest::addRow("npm 11") << u"npm11"_s;
}

void tst_Clients::republishIsRefused()
{
    QFETCH(QString, client);
    const QString dir = makePackage(u"@acme/widget"_s, u"1.0.0"_s);
    QVERIFY(writeFile(dir + u"/.npmrc"_s, npmrc(projectUrl(), m_maintainerToken)));
    // --force: npm 11 refuses a known version before sending anything.
    const Run run = this->client(client, {u"publish"_s, u"--force"_s, u"--tag"_s, u"again"_s}, dir);
    QVERIFY2(run.exitCode != 0, qPrintable(run.all()));
    QVERIFY2(run.all().contains(u"403"_s), qPrintable(run.all()));
    QVERIFY2(run.all().contains(u"Package already exists."_s), qPrintable(run.all()));
}

void tst_Clients::publishWithoutPermission()
{
    const QString dir = makePackage(u"@acme/widget"_s, u"7.0.0"_s);
    QVERIFY(writeFile(dir + u"/.npmrc"_s, npmrc(projectUrl(), m_reporterToken)));
    const Run run = client(u"npm11"_s, {u"publish"_s}, dir);
    QVERIFY2(run.exitCode != 0, qPrintable(run.all()));
    QVERIFY2(run.all().contains(u"403"_s), qPrintable(run.all()));
}

void tst_Clients::view()
{
    const QString dir = consumer(u"view"_s);
    QVERIFY(writeFile(dir + u"/.npmrc"_s, npmrc(instanceUrl(), m_maintainerToken)));
    const Run json = client(u"npm11"_s, {u"view"_s, u"@acme/widget"_s, u"--json"_s}, dir);
    QVERIFY2(json.exitCode == 0, qPrintable(json.all()));
    const QJsonObject document = QJsonDocument::fromJson(json.out.toUtf8()).object();
    QCOMPARE(document.value(u"name"_s).toString(), u"@acme/widget"_s);
    QCOMPARE(document.value(u"dist-tags"_s).toObject().value(u"latest"_s).toString(), u"1.1.0"_s);
    QCOMPARE(document.value(u"dist-tags"_s).toObject().value(u"beta"_s).toString(),
             u"1.2.0-beta.1"_s);
    const QJsonArray versions = document.value(u"versions"_s).toArray();
    QVERIFY(versions.contains(u"1.0.0"_s));
    QVERIFY(versions.contains(u"1.2.0-beta.1"_s));
    QVERIFY(document.value(u"dist"_s)
                .toObject()
                .value(u"integrity"_s)
                .toString()
                .startsWith(u"sha512-"_s));

    for (const QString &name : {u"npm10"_s, u"npm11"_s}) {
        const Run pretty = client(name, {u"view"_s, u"@acme/widget"_s}, dir);
        QVERIFY2(pretty.exitCode == 0, qPrintable(pretty.all()));
        QVERIFY2(pretty.out.contains(u"@acme/widget@1.1.0"_s), qPrintable(pretty.all()));
        QVERIFY2(pretty.out.contains(u"beta: 1.2.0-beta.1"_s), qPrintable(pretty.all()));
    }
}

void tst_Clients::install_data()
{
    QTest::addColumn<QString>("client");
    QTest::addColumn<QString>("level");
    QTest::addColumn<QString>("tokenKind");
    for (const QString &client : {u"npm10"_s, u"npm11"_s, u"yarn1"_s, u"yarn4"_s, u"pnpm"_s}) {
        QTest::addRow("%s, project level", qPrintable(client))
            << client << u"project"_s << u"pat"_s;
        if (client == u"yarn1"_s) {
            // Yarn classic sends a token only to URLs under its registry's path (its check of
            // `//host:port/…:_authToken` keys breaks on the port's colon), and tarball URLs are
            // project level, as GitLab's: with yarn classic, install from the project level.
            continue;
        }
        QTest::addRow("%s, group level", qPrintable(client))
            << client << u"group"_s << u"deploy-read"_s;
        QTest::addRow("%s, instance level", qPrintable(client))
            << client << u"instance"_s << u"job"_s;
    }
    // Every token kind at every level, with one client.
    for (const QString &level : {u"project"_s, u"group"_s, u"instance"_s}) {
        for (const QString &kind : {u"pat"_s, u"deploy-read"_s, u"job"_s, u"deploy"_s}) {
            QTest::addRow("npm11, %s level, %s token", qPrintable(level), qPrintable(kind))
                << u"npm11"_s << level << kind;
        }
    }
}

void tst_Clients::install()
{
    QFETCH(QString, client);
    QFETCH(QString, level);
    QFETCH(QString, tokenKind);
    const QString url = level == u"project"_s ? projectUrl()
        : level == u"group"_s                 ? groupUrl()
                                              : instanceUrl();
    const QString token = tokenKind == u"pat"_s ? m_maintainerToken
        : tokenKind == u"deploy-read"_s         ? m_readDeployToken
        : tokenKind == u"deploy"_s              ? m_deployToken
                                                : m_jobToken;
    const QString dir = consumer(client);
    QVERIFY(writeFile(dir + u"/.npmrc"_s, npmrc(url, token)));
    Run run;
    if (client == u"yarn4"_s) {
        // Yarn berry reads only .yarnrc.yml. The age gate is off for the team's own scope (the
        // scope's own setting, default one day, wins over the global one) so that a version
        // published a moment ago installs.
        const QString yarnrc = u"nodeLinker: node-modules\n"
                               "enableTelemetry: false\n"
                               "npmRegistryServer: \"%1\"\n"
                               "npmMinimalAgeGate: 0\n"
                               "unsafeHttpWhitelist: [\"127.0.0.1\"]\n"
                               "npmScopes:\n"
                               "  acme:\n"
                               "    npmRegistryServer: \"%1\"\n"
                               "    npmAuthToken: \"%2\"\n"
                               "    npmAlwaysAuth: true\n"
                               "    npmMinimalAgeGate: 0\n"
                               "npmRegistries:\n"
                               "  \"//127.0.0.1:%3/api/v4/\":\n"
                               "    npmAuthToken: \"%2\"\n"
                               "    npmAlwaysAuth: true\n"_s.arg(url, token)
                                   .arg(m_server.port());
        QVERIFY(writeFile(dir + u"/.yarnrc.yml"_s, yarnrc.toUtf8()));
        QVERIFY(writeFile(dir + u"/yarn.lock"_s, ""));
        run = this->client(client, {u"add"_s, u"@acme/widget@^1.0.0"_s}, dir);
    } else if (client == u"yarn1"_s) {
        // Yarn classic sends the token to the project-level tarball URLs only with always-auth.
        QVERIFY(writeFile(dir + u"/.yarnrc"_s,
                          u"\"@acme:registry\" \"%1\"\nalways-auth true\n"_s.arg(url).toUtf8()));
        run =
            this->client(client, {u"add"_s, u"@acme/widget@^1.0.0"_s, u"--non-interactive"_s}, dir);
    } else if (client == u"pnpm"_s) {
        run = this->client(client,
                           {u"add"_s,
                            u"@acme/widget@^1.0.0"_s,
                            u"--store-dir"_s,
                            m_dir.filePath(u"pnpm-store-%1"_s.arg(m_counter))},
                           dir);
    } else {
        run = this->client(client, {u"install"_s, u"@acme/widget@^1.0.0"_s}, dir);
    }
    QVERIFY2(run.exitCode == 0, qPrintable(run.all()));
    const QJsonObject installed =
        QJsonDocument::fromJson(readFile(dir + u"/node_modules/@acme/widget/package.json"_s))
            .object();
    // ^1.0.0 picks `latest` (1.1.0); the beta is not chosen.
    QCOMPARE(installed.value(u"version"_s).toString(), u"1.1.0"_s);
}

void tst_Clients::npmCi()
{
    const QString dir = consumer(u"ci"_s);
    QVERIFY(writeFile(dir + u"/.npmrc"_s, npmrc(groupUrl(), m_maintainerToken)));
    Run run = client(u"npm11"_s, {u"install"_s, u"@acme/widget@1.0.0"_s}, dir);
    QVERIFY2(run.exitCode == 0, qPrintable(run.all()));
    const QJsonObject lock =
        QJsonDocument::fromJson(readFile(dir + u"/package-lock.json"_s)).object();
    const QJsonObject entry =
        lock.value(u"packages"_s).toObject().value(u"node_modules/@acme/widget"_s).toObject();
    QVERIFY(entry.value(u"integrity"_s).toString().startsWith(u"sha512-"_s));
    QVERIFY(entry.value(u"resolved"_s).toString().contains(u"/api/v4/projects/"_s));
    QVERIFY(QDir(dir + u"/node_modules"_s).removeRecursively());
    // A fresh cache: npm ci fetches the locked tarball again and checks its integrity.
    run = client(u"npm10"_s, {u"ci"_s}, dir);
    QVERIFY2(run.exitCode == 0, qPrintable(run.all()));
    QVERIFY(QFile::exists(dir + u"/node_modules/@acme/widget/index.js"_s));
}

void tst_Clients::pack()
{
    const QString dir = consumer(u"pack"_s);
    QVERIFY(writeFile(dir + u"/.npmrc"_s, npmrc(projectUrl(), m_maintainerToken)));
    const Run run = client(u"npm11"_s, {u"pack"_s, u"@acme/widget@1.0.0"_s}, dir);
    QVERIFY2(run.exitCode == 0, qPrintable(run.all()));
    const QByteArray packed = readFile(dir + u"/acme-widget-1.0.0.tgz"_s);
    QVERIFY(!packed.isEmpty());
    // Byte-identical to the tarball the registry stored.
    const QString hex =
        QString::fromLatin1(QCryptographicHash::hash(packed, QCryptographicHash::Sha512).toHex());
    QVERIFY(QFile::exists(m_data + u"/blobs/sha512/"_s + hex.left(2) + u'/' + hex));
}

void tst_Clients::distTags()
{
    const QString dir = consumer(u"tags"_s);
    QVERIFY(writeFile(dir + u"/.npmrc"_s, npmrc(projectUrl(), m_maintainerToken)));
    Run run =
        client(u"npm11"_s, {u"dist-tag"_s, u"add"_s, u"@acme/widget@1.0.0"_s, u"stable"_s}, dir);
    QVERIFY2(run.exitCode == 0, qPrintable(run.all()));
    QVERIFY2(run.out.contains(u"+stable: @acme/widget@1.0.0"_s), qPrintable(run.all()));
    run = client(u"npm10"_s, {u"dist-tag"_s, u"ls"_s, u"@acme/widget"_s}, dir);
    QVERIFY2(run.exitCode == 0, qPrintable(run.all()));
    QVERIFY2(run.out.contains(u"stable: 1.0.0"_s), qPrintable(run.all()));
    QVERIFY2(run.out.contains(u"latest: 1.1.0"_s), qPrintable(run.all()));
    run = client(u"npm11"_s, {u"dist-tag"_s, u"rm"_s, u"@acme/widget"_s, u"stable"_s}, dir);
    QVERIFY2(run.exitCode == 0, qPrintable(run.all()));
    run = client(u"npm11"_s, {u"dist-tag"_s, u"ls"_s, u"@acme/widget"_s}, dir);
    QVERIFY2(!run.out.contains(u"stable"_s), qPrintable(run.all()));

    // A reporter may not tag.
    QVERIFY(writeFile(dir + u"/.npmrc"_s, npmrc(projectUrl(), m_reporterToken)));
    run = client(u"npm11"_s, {u"dist-tag"_s, u"add"_s, u"@acme/widget@1.0.0"_s, u"nope"_s}, dir);
    QVERIFY2(run.exitCode != 0 && run.all().contains(u"403"_s), qPrintable(run.all()));
}

void tst_Clients::deprecateRange()
{
    const QString dir = consumer(u"deprecate"_s);
    QVERIFY(writeFile(dir + u"/.npmrc"_s, npmrc(projectUrl(), m_maintainerToken)));
    Run run = client(u"npm11"_s, {u"deprecate"_s, u"@acme/widget@<1.1.0"_s, u"use 1.1"_s}, dir);
    QVERIFY2(run.exitCode == 0, qPrintable(run.all()));
    run = client(u"npm11"_s, {u"view"_s, u"@acme/widget@1.0.0"_s, u"deprecated"_s}, dir);
    QVERIFY2(run.out.trimmed() == u"use 1.1"_s, qPrintable(run.all()));
    run = client(u"npm11"_s, {u"view"_s, u"@acme/widget@1.1.0"_s, u"deprecated"_s}, dir);
    QVERIFY2(run.out.trimmed().isEmpty(), qPrintable(run.all()));
    // Undeprecate with "".
    run = client(u"npm10"_s, {u"deprecate"_s, u"@acme/widget@1.0.0"_s, u""_s}, dir);
    QVERIFY2(run.exitCode == 0, qPrintable(run.all()));
    run = client(u"npm11"_s, {u"view"_s, u"@acme/widget@1.0.0"_s, u"deprecated"_s}, dir);
    QVERIFY2(run.out.trimmed().isEmpty(), qPrintable(run.all()));
}

void tst_Clients::unpublishVersion()
{
    const QString dir = makePackage(u"@acme/widget"_s, u"0.0.1"_s);
    QVERIFY(writeFile(dir + u"/.npmrc"_s, npmrc(projectUrl(), m_maintainerToken)));
    Run run = client(u"npm11"_s, {u"publish"_s, u"--tag"_s, u"old"_s}, dir);
    QVERIFY2(run.exitCode == 0, qPrintable(run.all()));
    run = client(u"npm11"_s, {u"unpublish"_s, u"@acme/widget@0.0.1"_s, u"--force"_s}, dir);
    QVERIFY2(run.exitCode == 0, qPrintable(run.all()));
    run = client(u"npm11"_s, {u"view"_s, u"@acme/widget"_s, u"versions"_s, u"--json"_s}, dir);
    QVERIFY2(run.exitCode == 0, qPrintable(run.all()));
    QVERIFY2(!run.out.contains(u"0.0.1"_s), qPrintable(run.all()));
    QVERIFY2(run.out.contains(u"1.0.0"_s), qPrintable(run.all()));
}

void tst_Clients::whoami()
{
    const QString dir = consumer(u"whoami"_s);
    QVERIFY(writeFile(dir + u"/.npmrc"_s, npmrc(projectUrl(), m_maintainerToken)));
    Run run = client(u"npm11"_s, {u"whoami"_s}, dir);
    QVERIFY2(run.exitCode == 0, qPrintable(run.all()));
    QCOMPARE(run.out.trimmed(), u"mia"_s);
    run = client(u"npm10"_s, {u"ping"_s}, dir);
    QVERIFY2(run.exitCode == 0, qPrintable(run.all()));
}

void tst_Clients::anonymousPrivateIsUnauthorized()
{
    const QString dir = consumer(u"anonymous"_s);
    QVERIFY(writeFile(dir + u"/.npmrc"_s, npmrc(projectUrl(), QString())));
    const Run run = client(u"npm11"_s, {u"view"_s, u"@acme/widget"_s}, dir);
    QVERIFY2(run.exitCode != 0, qPrintable(run.all()));
    QVERIFY2(run.all().contains(u"E401"_s), qPrintable(run.all()));
}

void tst_Clients::forwardingRedirect()
{
    // A second Trove plays the upstream registry, on another loopback address: a real upstream
    // is another host, and npm keeps sending its token to the same host.
    const QString upstreamData = m_dir.filePath(u"upstream"_s);
    QCOMPARE(trove({u"group"_s, u"create"_s, u"up"_s, u"--visibility"_s, u"public"_s}, upstreamData)
                 .exitCode,
             0);
    const Run upProject = trove(
        {u"project"_s, u"create"_s, u"up/lib"_s, u"--visibility"_s, u"public"_s}, upstreamData);
    QCOMPARE(upProject.exitCode, 0);
    QCOMPARE(trove({u"user"_s, u"create"_s, u"up"_s, u"--admin"_s}, upstreamData).exitCode, 0);
    const QString upToken = trove({u"token"_s, u"create"_s, u"up"_s}, upstreamData).out;
    Server upstream;
    QVERIFY(upstream.start(upstreamData, u"127.0.0.2"_s));
    const QString upstreamProject =
        upstream.origin() + u"/api/v4/projects/%1/packages/npm/"_s.arg(upProject.out);
    const QString pkg = makePackage(u"plain-upstream-only"_s, u"3.0.0"_s);
    QVERIFY(writeFile(
        pkg + u"/.npmrc"_s,
        u"registry=%1\n%2:_authToken=%3\n"_s
            .arg(upstreamProject, upstreamProject.mid(upstreamProject.indexOf(u"//"_s)), upToken)
            .toUtf8()));
    Run run = client(u"npm11"_s, {u"publish"_s}, pkg);
    QVERIFY2(run.exitCode == 0, qPrintable(run.all()));

    QCOMPARE(trove({u"upstream"_s, u"set"_s, upstreamProject}).exitCode, 0);
    QCOMPARE(trove({u"forwarding"_s, u"set"_s, u"on"_s}).exitCode, 0);
    const QString dir = consumer(u"forward"_s);
    QVERIFY(writeFile(dir + u"/.npmrc"_s, npmrc(instanceUrl(), m_maintainerToken)));
    run = client(u"npm11"_s, {u"install"_s, u"plain-upstream-only@^3.0.0"_s}, dir);
    QCOMPARE(trove({u"forwarding"_s, u"set"_s, u"off"_s}).exitCode, 0);
    QVERIFY2(run.exitCode == 0, qPrintable(run.all()));
    QVERIFY(QFile::exists(dir + u"/node_modules/plain-upstream-only/index.js"_s));

    // Off again: the unknown name is a plain 404.
    const QString other = consumer(u"no-forward"_s);
    QVERIFY(writeFile(other + u"/.npmrc"_s, npmrc(instanceUrl(), m_maintainerToken)));
    run = client(u"npm11"_s, {u"view"_s, u"plain-upstream-only"_s}, other);
    QVERIFY2(run.exitCode != 0 && run.all().contains(u"E404"_s), qPrintable(run.all()));
}

void tst_Clients::publishOverTls()
{
    // A certificate as Registry Settings makes it, for the loopback address the clients use.
    const QString tlsDir = m_dir.filePath(u"tls"_s);
    const Trove::Result<Trove::Tls::CertificateFiles> files =
        Trove::Tls::writeSelfSigned(tlsDir, {u"127.0.0.1"_s});
    QVERIFY2(files, qPrintable(files ? QString() : files.error().message));
    const QString data = m_dir.filePath(u"tls-data"_s);
    QCOMPARE(trove({u"group"_s, u"create"_s, u"acme"_s}, data).exitCode, 0);
    const Run project = trove({u"project"_s, u"create"_s, u"acme/secure"_s}, data);
    QCOMPARE(project.exitCode, 0);
    QCOMPARE(trove({u"user"_s, u"create"_s, u"ada"_s}, data).exitCode, 0);
    QCOMPARE(
        trove({u"member"_s, u"add"_s, u"--group"_s, u"acme"_s, u"ada"_s, u"maintainer"_s}, data)
            .exitCode,
        0);
    m_tlsToken = trove({u"token"_s, u"create"_s, u"ada"_s}, data).out;
    QVERIFY(m_tlsToken.startsWith(u"tpat-"_s));
    QCOMPARE(trove({u"forwarding"_s, u"set"_s, u"off"_s}, data).exitCode, 0);
    QVERIFY2(m_tlsServer.start(
                 data,
                 u"127.0.0.1"_s,
                 {u"--tls-cert"_s, files->certificateFile, u"--tls-key"_s, files->keyFile}),
             qPrintable(m_tlsServer.stderrText()));
    QVERIFY2(m_tlsServer.origin().startsWith(u"https://"_s), qPrintable(m_tlsServer.origin()));

    // The .npmrc builder's lines, as the window shows them with TLS on.
    Trove::NpmrcRequest request;
    request.origin = m_tlsServer.origin();
    request.caFile = files->certificateFile;
    request.projectId = project.out.toLongLong();
    request.scopes = {u"acme"_s};
    m_tlsSnippets = Trove::buildNpmrc(request);
    QVERIFY2(m_tlsSnippets.npmrc.contains(u"cafile="_s + files->certificateFile),
             qPrintable(m_tlsSnippets.npmrc));
    QProcessEnvironment token;
    token.insert(m_tlsSnippets.tokenVariable, m_tlsToken);

    // Without the cafile line npm refuses the certificate: strict-ssl is on, and the line is
    // what makes the rest work.
    const QString pkg = makePackage(u"@acme/secure"_s, u"1.0.0"_s);
    QString withoutCa = m_tlsSnippets.npmrc;
    withoutCa.remove(QRegularExpression(u"^cafile=.*\\n"_s, QRegularExpression::MultilineOption));
    QVERIFY(!withoutCa.contains(u"cafile"_s));
    QVERIFY(writeFile(pkg + u"/.npmrc"_s, withoutCa.toUtf8()));
    Run run = client(u"npm11"_s, {u"publish"_s}, pkg, token);
    QVERIFY2(run.exitCode != 0, qPrintable(run.all()));
    QVERIFY2(run.all().contains(u"SELF_SIGNED_CERT"_s) || run.all().contains(u"certificate"_s),
             qPrintable(run.all()));

    QVERIFY(writeFile(pkg + u"/.npmrc"_s, m_tlsSnippets.npmrc.toUtf8()));
    run = client(u"npm11"_s, {u"publish"_s}, pkg, token);
    QVERIFY2(run.exitCode == 0, qPrintable(run.all()));
    QVERIFY2(run.all().contains(u"+ @acme/secure@1.0.0"_s), qPrintable(run.all()));
}

void tst_Clients::installOverTls_data()
{
    QTest::addColumn<QString>("client");
    for (const QString &client : {u"npm10"_s, u"npm11"_s, u"yarn1"_s, u"yarn4"_s, u"pnpm"_s}) {
        QTest::addRow("%s", qPrintable(client)) << client;
    }
}

void tst_Clients::installOverTls()
{
    QFETCH(QString, client);
    if (m_tlsToken.isEmpty()) {
        QSKIP("publishOverTls failed");
    }
    const Trove::NpmrcSnippets &out = m_tlsSnippets;
    QProcessEnvironment token;
    token.insert(out.tokenVariable, m_tlsToken);
    const QString dir = consumer(u"tls-"_s + client);
    QVERIFY(writeFile(dir + u"/.npmrc"_s, out.npmrc.toUtf8()));
    Run run;
    if (client == u"yarn4"_s) {
        // The generated file (httpsCaFilePath), plus this test's choice of linker.
        QVERIFY(writeFile(dir + u"/.yarnrc.yml"_s,
                          "nodeLinker: node-modules\nenableTelemetry: false\n"
                              + out.yarnBerry.toUtf8()));
        QVERIFY(writeFile(dir + u"/yarn.lock"_s, ""));
        run = this->client(client, {u"add"_s, u"@acme/secure@^1.0.0"_s}, dir, token);
    } else if (client == u"yarn1"_s) {
        QVERIFY(writeFile(dir + u"/.yarnrc"_s, out.yarnClassic.toUtf8()));
        run = this->client(
            client, {u"add"_s, u"@acme/secure@^1.0.0"_s, u"--non-interactive"_s}, dir, token);
    } else if (client == u"pnpm"_s) {
        // pnpm's split: scope lines and cafile in the project, credentials in the user's file.
        QVERIFY(writeFile(dir + u"/.npmrc"_s, out.pnpmProjectNpmrc.toUtf8()));
        QVERIFY(writeFile(dir + u"/pnpm-workspace.yaml"_s, out.pnpmWorkspace.toUtf8()));
        const QString userConfig = dir + u"-user-npmrc"_s;
        QVERIFY(writeFile(userConfig, out.pnpmUserNpmrc.toUtf8()));
        run = NpmClients::run(client,
                              {u"add"_s,
                               u"@acme/secure@^1.0.0"_s,
                               u"--store-dir"_s,
                               m_dir.filePath(u"pnpm-store-tls"_s)},
                              dir,
                              m_dir.path(),
                              ++m_counter,
                              token,
                              userConfig);
    } else {
        run = this->client(client, {u"install"_s, u"@acme/secure@^1.0.0"_s}, dir, token);
    }
    QVERIFY2(run.exitCode == 0, qPrintable(run.all()));
    const QJsonObject installed =
        QJsonDocument::fromJson(readFile(dir + u"/node_modules/@acme/secure/package.json"_s))
            .object();
    QCOMPARE(installed.value(u"version"_s).toString(), u"1.0.0"_s);
}

QTEST_GUILESS_MAIN(tst_Clients)
#include "tst_clients.moc"
