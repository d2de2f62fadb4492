// SPDX-License-Identifier: GPL-3.0-or-later
// Proxy mode (docs/proxy.md) with the real npm, yarn classic, yarn berry and pnpm. A `trove serve`
// plays the public registry (the "origin", with a graph of 60 packages); the Trove under test
// proxies it.
//
// installThroughTheProxyThenOffline: each client installs a mix of a package published here and
// upstream packages through the instance and the group endpoint; the upstream is stopped; a fresh
// client cache installs again from the lockfile, from what the proxy kept; a name it never
// fetched fails with the proxy's 502.
//
// mirrorThenOffline: each client writes its own lockfile (61 packages) against an upstream that
// serves tarballs where the public registry does (a second Trove in proxy mode in front of the
// origin, on 127.0.0.2: its instance endpoint's tarball URLs are `<registry>/<name>/-/<file>`);
// `trove mirror` fills the cache from that lockfile; both upstreams are stopped; with a fresh
// client cache the frozen install succeeds against Trove with the settings of docs/proxy.md §10.
#include "npmclients.h"

#include "../app/servehelper.h"
#include "tests/tarballwriter.h"

#include "model/actor.h"
#include "model/registry.h"
#include "model/services/namespaceservice.h"
#include "model/services/packageservice.h"
#include "model/services/settingsservice.h"
#include "model/services/userservice.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Trove;

namespace {

using NpmClients::readFile;
using NpmClients::Run;
using NpmClients::writeFile;

constexpr int GraphSize = 60;

QString graphName(int index)
{
    return u"pg-%1"_s.arg(index, 2, 10, QLatin1Char('0'));
}

// The origin's graph: pg-NN depends on pg-(2NN+1) and pg-(2NN+2), so that pg-00 pulls in all
// 60; every tenth package from pg-03 on also has a 1.1.0, and pg-06 pins pg-13 to 1.0.0 while
// the app asks for ^1.1.0, so that a lockfile holds two versions of one name.
QJsonObject graphDependencies(int index)
{
    QJsonObject dependencies;
    for (const int child : {2 * index + 1, 2 * index + 2}) {
        if (child < GraphSize) {
            dependencies.insert(graphName(child),
                                index == 6 && child == 13 ? u"1.0.0"_s : u"^1.0.0"_s);
        }
    }
    return dependencies;
}

Result<Package> publish(Registry &registry,
                        qint64 projectId,
                        const User &publisher,
                        const QString &name,
                        const QString &version,
                        const QJsonObject &dependencies = {})
{
    const QByteArray manifest = QJsonDocument(QJsonObject{{u"name"_s, name},
                                                          {u"version"_s, version},
                                                          {u"main"_s, u"index.js"_s},
                                                          {u"dependencies"_s, dependencies}})
                                    .toJson(QJsonDocument::Compact);
    PackageService::PublishRequest request;
    request.projectId = projectId;
    request.name = name;
    request.version = version;
    request.packageJson = manifest;
    request.tarball = TestSupport::writeTarball(
        {{"package/package.json", manifest},
         {"package/index.js", "module.exports = '" + version.toUtf8() + "';\n"}});
    request.publisher.kind = Actor::Kind::User;
    request.publisher.userId = publisher.id;
    request.publisher.username = publisher.username;
    return registry.packages().publish(request);
}

std::unique_ptr<Registry> openRegistry(const QString &dataDir)
{
    Result<std::unique_ptr<Registry>> registry = Registry::open(dataDir);
    if (!registry) {
        qWarning().noquote() << "Registry::open:" << registry.error().message;
        return nullptr;
    }
    return std::move(*registry);
}

// A running `trove serve`, stopped when it goes.
class Serve
{
public:
    ~Serve() { stop(); }
    bool start(const QString &dataDir, const QString &host = u"127.0.0.1"_s)
    {
        m_host = host;
        m_port = TestSupport::startServe(m_process,
                                         {u"--data"_s, dataDir, u"--listen"_s, host + u":0"_s});
        return m_port != 0;
    }
    void stop() { TestSupport::stopProcess(m_process); }
    QString origin() const { return u"http://%1:%2"_s.arg(m_host).arg(m_port); }
    quint16 port() const { return m_port; }

private:
    QProcess m_process;
    QString m_host;
    quint16 m_port = 0;
};

} // namespace

class tst_ProxyClients : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void installThroughTheProxyThenOffline_data();
    void installThroughTheProxyThenOffline();
    void mirrorThenOffline_data();
    void mirrorThenOffline();

private:
    // A registry in proxy mode (instance and group `acme`) towards `upstream`, with
    // @acme/local@1.0.0 and shared-name@1.0.0 published in acme/lib.
    bool makeProxy(const QString &dataDir, const QString &upstream);
    // The client's configuration files in `dir` for `registry`, with caches of run `number`.
    bool configure(const QString &client,
                   const QString &dir,
                   const QString &registry,
                   int number,
                   const QString &extraNpmrc = {});
    Run client(const QString &client, const QStringList &arguments, const QString &dir, int number);
    Run trove(const QStringList &arguments);
    bool writeApp(const QString &dir, const QJsonObject &dependencies);
    QString freshDir(const QString &name);

    QTemporaryDir m_dir;
    QString m_originData;
    int m_counter = 0;
};

void tst_ProxyClients::initTestCase()
{
    if (!QFile::exists(NpmClients::script(u"npm11"_s))) {
        QSKIP("the npm clients are missing: cd tests/e2e && npm ci");
    }
    QVERIFY(m_dir.isValid());
    // The origin: a public group whose group-level endpoint serves the unscoped graph.
    m_originData = m_dir.filePath(u"origin"_s);
    std::unique_ptr<Registry> origin = openRegistry(m_originData);
    QVERIFY(origin);
    QVERIFY(origin->namespaces().createGroup(u"pub"_s, Visibility::Public));
    const Result<Project> project =
        origin->namespaces().createProject(u"pub/lib"_s, Visibility::Public);
    QVERIFY(project);
    const Result<User> publisher = origin->users().createUser(u"publisher"_s);
    QVERIFY(publisher);
    for (int index = 0; index < GraphSize; ++index) {
        QStringList versions{u"1.0.0"_s};
        if (index % 10 == 3) {
            versions << u"1.1.0"_s;
        }
        for (const QString &version : std::as_const(versions)) {
            const Result<Package> done = publish(*origin,
                                                 project->id,
                                                 *publisher,
                                                 graphName(index),
                                                 version,
                                                 graphDependencies(index));
            QVERIFY2(done, qPrintable(done ? QString() : done.error().message));
        }
    }
    // The same name as one published on the proxy: the proxy must never answer this one.
    QVERIFY(publish(*origin, project->id, *publisher, u"shared-name"_s, u"1.5.0"_s));
    QVERIFY(origin->settings().setInstanceForwarding(false));
}

bool tst_ProxyClients::makeProxy(const QString &dataDir, const QString &upstream)
{
    std::unique_ptr<Registry> registry = openRegistry(dataDir);
    if (!registry) {
        return false;
    }
    const Result<Group> group = registry->namespaces().createGroup(u"acme"_s, Visibility::Public);
    const Result<Project> project =
        registry->namespaces().createProject(u"acme/lib"_s, Visibility::Public);
    const Result<User> publisher = registry->users().createUser(u"publisher"_s);
    return group && project && publisher
        && publish(*registry, project->id, *publisher, u"@acme/local"_s, u"1.0.0"_s)
        && publish(*registry, project->id, *publisher, u"shared-name"_s, u"1.0.0"_s)
        && registry->settings().setUpstream(upstream)
        && registry->settings().setInstanceForwardingMode(SettingsService::ForwardingMode::Proxy)
        && registry->settings().setGroupForwardingMode(group->id,
                                                       SettingsService::ForwardingMode::Proxy);
}

bool tst_ProxyClients::configure(const QString &client,
                                 const QString &dir,
                                 const QString &registry,
                                 int number,
                                 const QString &extraNpmrc)
{
    // No retries: the failing install below should fail at once, not after the clients'
    // back-off of ten seconds and more.
    QString npmrc = u"registry=%1\nfetch-retries=0\n"_s.arg(registry) + extraNpmrc;
    if (client == u"pnpm"_s) {
        npmrc +=
            u"store-dir=%1\ncache-dir=%2\n"_s.arg(m_dir.filePath(u"pnpm-store-%1"_s.arg(number)),
                                                  m_dir.filePath(u"pnpm-cache-%1"_s.arg(number)));
    }
    if (!writeFile(dir + u"/.npmrc"_s, npmrc.toUtf8())) {
        return false;
    }
    if (client == u"yarn1"_s) {
        return writeFile(dir + u"/.yarnrc"_s, u"registry \"%1\"\n"_s.arg(registry).toUtf8());
    }
    if (client == u"yarn4"_s) {
        // The age gate is off: the origin's versions were published a moment ago.
        return writeFile(dir + u"/.yarnrc.yml"_s,
                         u"nodeLinker: node-modules\n"
                         "enableTelemetry: false\n"
                         "httpRetry: 0\n"
                         "npmRegistryServer: \"%1\"\n"
                         "npmMinimalAgeGate: 0\n"
                         "unsafeHttpWhitelist: [\"127.0.0.1\", \"127.0.0.2\"]\n"_s.arg(registry)
                             .toUtf8());
    }
    return true;
}

Run tst_ProxyClients::client(const QString &client,
                             const QStringList &arguments,
                             const QString &dir,
                             int number)
{
    // Berry keeps registry metadata in its global folder: one per run, like the caches.
    QProcessEnvironment extra;
    extra.insert(u"YARN_GLOBAL_FOLDER"_s, m_dir.filePath(u"yarn-global-%1"_s.arg(number)));
    QStringList all = arguments;
    if (client == u"yarn1"_s) {
        all << u"--non-interactive"_s;
    }
    return NpmClients::run(client, all, dir, m_dir.filePath(u"scratch"_s), number, extra);
}

Run tst_ProxyClients::trove(const QStringList &arguments)
{
    QProcess process;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.remove(u"TROVE_DATA"_s);
    process.setProcessEnvironment(environment);
    process.start(TestSupport::TroveBinary, arguments);
    if (!process.waitForFinished(120000)) {
        process.kill();
        process.waitForFinished();
    }
    return {process.exitCode(),
            QString::fromUtf8(process.readAllStandardOutput()),
            QString::fromUtf8(process.readAllStandardError())};
}

bool tst_ProxyClients::writeApp(const QString &dir, const QJsonObject &dependencies)
{
    // Berry takes the folder for a project of its own only with a yarn.lock in it.
    return writeFile(dir + u"/package.json"_s,
                     QJsonDocument(QJsonObject{{u"name"_s, u"app"_s},
                                               {u"version"_s, u"1.0.0"_s},
                                               {u"private"_s, true},
                                               {u"dependencies"_s, dependencies}})
                         .toJson())
        && writeFile(dir + u"/yarn.lock"_s, {});
}

QString tst_ProxyClients::freshDir(const QString &name)
{
    const QString dir = m_dir.filePath(u"%1-%2"_s.arg(name).arg(++m_counter));
    QDir().mkpath(dir);
    return dir;
}

namespace {

// The install that must follow the lockfile exactly.
QStringList frozenCommand(const QString &client)
{
    if (client == u"npm11"_s) {
        return {u"ci"_s};
    }
    if (client == u"yarn1"_s) {
        return {u"install"_s, u"--frozen-lockfile"_s};
    }
    if (client == u"yarn4"_s) {
        return {u"install"_s, u"--immutable"_s};
    }
    return {u"install"_s, u"--frozen-lockfile"_s};
}

QStringList addCommand(const QString &client, const QString &spec)
{
    return {client == u"npm11"_s ? u"install"_s : u"add"_s, spec};
}

QString lockfileName(const QString &client)
{
    if (client == u"npm11"_s) {
        return u"package-lock.json"_s;
    }
    return client == u"pnpm"_s ? u"pnpm-lock.yaml"_s : u"yarn.lock"_s;
}

// What an install leaves beside the lockfile, removed so that the next one starts over.
bool removeInstall(const QString &dir)
{
    return QDir(dir + u"/node_modules"_s).removeRecursively()
        && QDir(dir + u"/.yarn"_s).removeRecursively();
}

QString installedVersion(const QString &dir, const QString &path)
{
    return QJsonDocument::fromJson(readFile(dir + u"/node_modules/"_s + path + u"/package.json"_s))
        .object()
        .value(u"version"_s)
        .toString();
}

// Whether `name@version` was installed as a dependency of a dependency: hoisted to the top by
// npm and yarn, under node_modules/.pnpm by pnpm (which links only direct dependencies at the top).
bool installedDeep(const QString &client,
                   const QString &dir,
                   const QString &name,
                   const QString &version)
{
    const QString path =
        client == u"pnpm"_s ? u".pnpm/%1@%2/node_modules/%1"_s.arg(name, version) : name;
    return installedVersion(dir, path) == version;
}

const QStringList Clients{u"npm11"_s, u"yarn1"_s, u"yarn4"_s, u"pnpm"_s};

} // namespace

void tst_ProxyClients::installThroughTheProxyThenOffline_data()
{
    QTest::addColumn<QString>("client");
    QTest::addColumn<QString>("level");
    for (const QString &client : Clients) {
        for (const QString &level : {u"instance"_s, u"group"_s}) {
            QTest::addRow("%s, %s level", qPrintable(client), qPrintable(level)) << client << level;
        }
    }
}

void tst_ProxyClients::installThroughTheProxyThenOffline()
{
    QFETCH(QString, client);
    QFETCH(QString, level);

    Serve origin;
    QVERIFY(origin.start(m_originData));
    const QString proxyData = freshDir(u"proxy"_s);
    QVERIFY(makeProxy(proxyData, origin.origin() + u"/api/v4/groups/pub/-/packages/npm/"_s));
    Serve proxy;
    QVERIFY(proxy.start(proxyData));
    const QString registry = proxy.origin()
        + (level == u"instance"_s ? u"/api/v4/packages/npm/"_s
                                  : u"/api/v4/groups/acme/-/packages/npm/"_s);

    // pg-20 brings pg-41 and pg-42 along. An unscoped name published here is found at group
    // level only (at instance level a name needs its group's scope): there, the local
    // shared-name 1.0.0 must win over the origin's 1.5.0.
    QJsonObject dependencies{{u"@acme/local"_s, u"1.0.0"_s}, {u"pg-20"_s, u"^1.0.0"_s}};
    if (level == u"group"_s) {
        dependencies.insert(u"shared-name"_s, u"^1.0.0"_s);
    }
    const QString app = freshDir(u"app"_s);
    QVERIFY(writeApp(app, dependencies));
    int number = ++m_counter;
    QVERIFY(configure(client, app, registry, number));
    Run run = this->client(client, QStringList{u"install"_s}, app, number);
    QVERIFY2(run.exitCode == 0, qPrintable(run.all()));
    QCOMPARE(installedVersion(app, u"@acme/local"_s), u"1.0.0"_s);
    QCOMPARE(installedVersion(app, u"pg-20"_s), u"1.0.0"_s);
    QVERIFY(installedDeep(client, app, u"pg-42"_s, u"1.0.0"_s));
    if (level == u"group"_s) {
        QCOMPARE(installedVersion(app, u"shared-name"_s), u"1.0.0"_s);
    }
    // The lockfile names this Trove, never the origin.
    const QByteArray lock = readFile(app + u'/' + lockfileName(client));
    QVERIFY(lock.contains("pg-42"));
    QVERIFY2(!lock.contains(origin.origin().mid(7).toUtf8()), lock.constData());

    // The origin goes away; a fresh client cache installs the lockfile from what the proxy kept.
    origin.stop();
    QVERIFY(removeInstall(app));
    number = ++m_counter;
    QVERIFY(configure(client, app, registry, number));
    run = this->client(client, frozenCommand(client), app, number);
    QVERIFY2(run.exitCode == 0, qPrintable(run.all()));
    QVERIFY(installedDeep(client, app, u"pg-41"_s, u"1.0.0"_s));
    QCOMPARE(installedVersion(app, u"@acme/local"_s), u"1.0.0"_s);

    // A name the proxy never fetched cannot be had now, and the client says why.
    run = this->client(client, addCommand(client, u"pg-59@^1.0.0"_s), app, number);
    QVERIFY2(run.exitCode != 0, qPrintable(run.all()));
    QVERIFY2(run.all().contains(u"502"_s), qPrintable(run.all()));
    if (client != u"yarn1"_s) {
        // Yarn classic prints only `Request failed "502 Bad Gateway"`, without the URL.
        QVERIFY2(run.all().contains(u"pg-59"_s), qPrintable(run.all()));
    }
    QVERIFY(!QFile::exists(app + u"/node_modules/pg-59/package.json"_s));
}

void tst_ProxyClients::mirrorThenOffline_data()
{
    QTest::addColumn<QString>("client");
    for (const QString &client : Clients) {
        QTest::addRow("%s", qPrintable(client)) << client;
    }
}

void tst_ProxyClients::mirrorThenOffline()
{
    QFETCH(QString, client);

    // The upstream the lockfile is written against: a Trove proxying the origin, whose instance
    // endpoint lays tarballs out as the public registry does.
    Serve origin;
    QVERIFY(origin.start(m_originData));
    const QString upstreamData = freshDir(u"upstream"_s);
    {
        std::unique_ptr<Registry> upstream = openRegistry(upstreamData);
        QVERIFY(upstream);
        QVERIFY(upstream->settings().setUpstream(origin.origin()
                                                 + u"/api/v4/groups/pub/-/packages/npm/"_s));
        QVERIFY(
            upstream->settings().setInstanceForwardingMode(SettingsService::ForwardingMode::Proxy));
    }
    Serve upstream;
    QVERIFY(upstream.start(upstreamData, u"127.0.0.2"_s));
    const QString upstreamRegistry = upstream.origin() + u"/api/v4/packages/npm/"_s;

    // The client writes its lockfile against the upstream.
    const QString app = freshDir(u"mirror-app"_s);
    QVERIFY(writeApp(app, {{u"pg-00"_s, u"^1.0.0"_s}, {u"pg-13"_s, u"^1.1.0"_s}}));
    int number = ++m_counter;
    QVERIFY(configure(client, app, upstreamRegistry, number));
    Run run = this->client(client, QStringList{u"install"_s}, app, number);
    QVERIFY2(run.exitCode == 0, qPrintable(run.all()));
    const QString lockfile = app + u'/' + lockfileName(client);
    const QByteArray lock = readFile(lockfile);
    for (int index = 0; index < GraphSize; ++index) {
        QVERIFY2(lock.contains(graphName(index).toUtf8()), qPrintable(graphName(index)));
    }

    // Trove, proxying that upstream, mirrors the lockfile: 60 names, 61 versions.
    const QString proxyData = freshDir(u"mirror-proxy"_s);
    QVERIFY(makeProxy(proxyData, upstreamRegistry));
    run = trove({u"mirror"_s, lockfile, u"--group"_s, u"acme"_s, u"--data"_s, proxyData});
    QVERIFY2(run.exitCode == 0, qPrintable(run.all()));
    QVERIFY2(run.out.contains(u"61"_s), qPrintable(run.all()));

    // Both upstreams go away; Trove alone serves the install.
    upstream.stop();
    origin.stop();
    Serve proxy;
    QVERIFY(proxy.start(proxyData));
    const QString registry = proxy.origin() + u"/api/v4/groups/acme/-/packages/npm/"_s;
    QVERIFY(removeInstall(app));
    number = ++m_counter;
    QString extraNpmrc;
    if (client == u"npm11"_s) {
        // npm: the lockfile's `resolved` URLs under this prefix are fetched from `registry`.
        extraNpmrc = u"replace-registry-host=%1\n"_s.arg(upstreamRegistry);
    } else if (client == u"yarn1"_s) {
        // Yarn classic has no such setting: the lockfile's URLs are rewritten, once.
        QByteArray rewritten = lock;
        rewritten.replace(upstreamRegistry.toUtf8(), registry.toUtf8());
        QVERIFY(writeFile(lockfile, rewritten));
    }
    // Berry and pnpm keep no URL for a tarball where the registry keeps it: the registry setting
    // is all they need.
    QVERIFY(configure(client, app, registry, number, extraNpmrc));
    run = this->client(client, frozenCommand(client), app, number);
    QVERIFY2(run.exitCode == 0, qPrintable(run.all()));
    QCOMPARE(installedVersion(app, u"pg-00"_s), u"1.0.0"_s);
    QCOMPARE(installedVersion(app, u"pg-13"_s), u"1.1.0"_s);
    QVERIFY(installedDeep(client, app, u"pg-59"_s, u"1.0.0"_s));
    if (client == u"pnpm"_s) {
        QVERIFY(installedDeep(client, app, u"pg-13"_s, u"1.0.0"_s));
    } else {
        QCOMPARE(installedVersion(app, u"pg-06/node_modules/pg-13"_s), u"1.0.0"_s);
    }
}

QTEST_GUILESS_MAIN(tst_ProxyClients)
#include "tst_proxyclients.moc"
