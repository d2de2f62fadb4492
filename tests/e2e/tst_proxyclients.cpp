// SPDX-License-Identifier: GPL-3.0-or-later
// Proxy mode (docs/proxy.md) with the real npm: one `trove serve` is the upstream of a second
// set to proxy. npm installs a mix of a local package and upstream packages (one depending on
// another) through the second's instance endpoint; then the upstream is stopped and the same
// install from a fresh npm cache still succeeds, from what the proxy kept.
#include "npmclients.h"

#include "../app/servehelper.h"

#include "model/registry.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Trove;

namespace {

struct Store
{
    qint64 project = 0;
    QString token;
};

// A public group and project, and a maintainer's token, in the data directory `dir`.
std::optional<Store>
prepare(const QString &dir, const QString &group, const std::function<bool(Registry &)> &more = {})
{
    Result<std::unique_ptr<Registry>> opened = Registry::open(dir);
    if (!opened) {
        return std::nullopt;
    }
    Registry &registry = **opened;
    Store store;
    if (!registry.namespaces().createGroup(group, Visibility::Public)) {
        return std::nullopt;
    }
    const Result<Project> project =
        registry.namespaces().createProject(group + u"/lib"_s, Visibility::Public);
    const Result<User> user = registry.users().createUser(u"maintainer"_s);
    if (!project || !user
        || !registry.users().addProjectMember(
            u"maintainer"_s, project->fullPath, AccessLevel::Maintainer)) {
        return std::nullopt;
    }
    store.project = project->id;
    store.token = registry.tokens().createPersonalAccessToken(user->id, {}, {u"api"_s})->token;
    if (more && !more(registry)) {
        return std::nullopt;
    }
    return store;
}

QString projectEndpoint(quint16 port, qint64 project)
{
    return u"http://127.0.0.1:%1/api/v4/projects/%2/packages/npm/"_s.arg(port).arg(project);
}

} // namespace

class tst_ProxyClients : public QObject
{
    Q_OBJECT

private slots:
    void installThroughTheProxyThenOffline();

private:
    bool publish(const QString &name,
                 const QJsonObject &dependencies,
                 const QString &endpoint,
                 const QString &token,
                 int number);

    QTemporaryDir m_dir;
};

bool tst_ProxyClients::publish(const QString &name,
                               const QJsonObject &dependencies,
                               const QString &endpoint,
                               const QString &token,
                               int number)
{
    const QString folder = m_dir.filePath(u"pkg-"_s + QString(name).replace(u'/', u'-'));
    const QJsonObject manifest{{u"name"_s, name},
                               {u"version"_s, u"1.0.0"_s},
                               {u"main"_s, u"index.js"_s},
                               {u"dependencies"_s, dependencies}};
    const QString nerfDart = endpoint.mid(endpoint.indexOf(u"//"_s));
    if (!NpmClients::writeFile(folder + u"/package.json"_s, QJsonDocument(manifest).toJson())
        || !NpmClients::writeFile(folder + u"/index.js"_s, "module.exports = 1;\n")
        || !NpmClients::writeFile(
            folder + u"/.npmrc"_s,
            u"registry=%1\n%2:_authToken=%3\n"_s.arg(endpoint, nerfDart, token).toUtf8())) {
        return false;
    }
    const NpmClients::Run run =
        NpmClients::run(u"npm11"_s, {u"publish"_s}, folder, m_dir.filePath(u"scratch"_s), number);
    if (run.exitCode != 0) {
        qWarning().noquote() << run.all();
    }
    return run.exitCode == 0;
}

void tst_ProxyClients::installThroughTheProxyThenOffline()
{
    if (!QFile::exists(NpmClients::script(u"npm11"_s))) {
        QSKIP("the npm clients are missing: cd tests/e2e && npm ci");
    }
    QVERIFY(m_dir.isValid());

    // The upstream, with two packages, one depending on the other.
    const QString upstreamData = m_dir.filePath(u"upstream"_s);
    const std::optional<Store> upstream = prepare(upstreamData, u"pub"_s);
    QVERIFY(upstream);
    QProcess upstreamServe;
    const quint16 upstreamPort = TestSupport::startServe(
        upstreamServe, {u"--data"_s, upstreamData, u"--listen"_s, u"127.0.0.1:0"_s});
    QVERIFY(upstreamPort != 0);
    const QString upstreamEndpoint = projectEndpoint(upstreamPort, upstream->project);
    QVERIFY(publish(u"proxied-leaf"_s, {}, upstreamEndpoint, upstream->token, 1));
    QVERIFY(publish(u"proxied-top"_s,
                    {{u"proxied-leaf"_s, u"^1.0.0"_s}},
                    upstreamEndpoint,
                    upstream->token,
                    2));

    // The proxy: the upstream above, instance forwarding set to proxy, a package of its own.
    const QString proxyData = m_dir.filePath(u"proxy"_s);
    const std::optional<Store> proxy = prepare(proxyData, u"acme"_s, [&](Registry &registry) {
        return registry.settings().setUpstream(upstreamEndpoint)
            && registry.settings().setInstanceForwardingMode(
                SettingsService::ForwardingMode::Proxy);
    });
    QVERIFY(proxy);
    QProcess proxyServe;
    const quint16 proxyPort = TestSupport::startServe(
        proxyServe, {u"--data"_s, proxyData, u"--listen"_s, u"127.0.0.1:0"_s});
    QVERIFY(proxyPort != 0);
    QVERIFY(
        publish(u"@acme/local"_s, {}, projectEndpoint(proxyPort, proxy->project), proxy->token, 3));

    // A project installing both kinds through the instance endpoint.
    const QString app = m_dir.filePath(u"app"_s);
    QVERIFY(NpmClients::writeFile(
        app + u"/package.json"_s,
        QJsonDocument(QJsonObject{{u"name"_s, u"app"_s},
                                  {u"version"_s, u"1.0.0"_s},
                                  {u"dependencies"_s,
                                   QJsonObject{{u"@acme/local"_s, u"1.0.0"_s},
                                               {u"proxied-top"_s, u"^1.0.0"_s}}}})
            .toJson()));
    QVERIFY(NpmClients::writeFile(
        app + u"/.npmrc"_s,
        u"registry=http://127.0.0.1:%1/api/v4/packages/npm/\n"_s.arg(proxyPort).toUtf8()));
    const QString scratch = m_dir.filePath(u"scratch"_s);
    NpmClients::Run run = NpmClients::run(u"npm11"_s, {u"install"_s}, app, scratch, 4);
    QVERIFY2(run.exitCode == 0, qPrintable(run.all()));
    QVERIFY(QFile::exists(app + u"/node_modules/proxied-leaf/package.json"_s));
    QVERIFY(QFile::exists(app + u"/node_modules/@acme/local/package.json"_s));
    // The lockfile names this Trove, never the upstream.
    const QByteArray lock = NpmClients::readFile(app + u"/package-lock.json"_s);
    QVERIFY(lock.contains(QByteArray("127.0.0.1:" + QByteArray::number(proxyPort))));
    QVERIFY(!lock.contains(QByteArray("127.0.0.1:" + QByteArray::number(upstreamPort))));

    // The upstream goes away; a fresh client cache installs again from what the proxy kept.
    upstreamServe.terminate();
    QVERIFY(upstreamServe.waitForFinished(10000));
    QVERIFY(QDir(app + u"/node_modules"_s).removeRecursively());
    run = NpmClients::run(u"npm11"_s, {u"ci"_s}, app, scratch, 5);
    QVERIFY2(run.exitCode == 0, qPrintable(run.all()));
    QVERIFY(QFile::exists(app + u"/node_modules/proxied-leaf/package.json"_s));
    QVERIFY(QFile::exists(app + u"/node_modules/proxied-top/package.json"_s));

    proxyServe.terminate();
    QVERIFY(proxyServe.waitForFinished(10000));
}

QTEST_GUILESS_MAIN(tst_ProxyClients)
#include "tst_proxyclients.moc"
