// SPDX-License-Identifier: GPL-3.0-or-later
// trove mirror LOCKFILE…: a second `trove serve` on loopback is the upstream; the mirror fills
// this registry's proxy cache from a lockfile, verifies the tarballs against the lockfile's
// integrity, skips what no registry gives, and reports (exit 1) what could not be had.

#include "servehelper.h"

#include "tests/tarballwriter.h"

#include "model/actor.h"
#include "model/registry.h"
#include "model/services/namespaceservice.h"
#include "model/services/packageservice.h"
#include "model/services/settingsservice.h"
#include "model/services/userservice.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Trove;

namespace {

struct Run
{
    int exitCode = -1;
    QByteArray out;
    QString err;
};

std::unique_ptr<Registry> openRegistry(const QString &dataDir)
{
    Result<std::unique_ptr<Registry>> registry = Registry::open(dataDir);
    if (!registry) {
        qWarning().noquote() << "Registry::open:" << registry.error().message;
        return nullptr;
    }
    return std::move(*registry);
}

bool writeFile(const QString &path, const QByteArray &content)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly | QIODevice::Truncate)
        && file.write(content) == content.size();
}

struct Published
{
    QString name;
    QString version;
    QByteArray tarball;
    QString integrity() const
    {
        return u"sha512-"_s
            + QString::fromLatin1(
                   QCryptographicHash::hash(tarball, QCryptographicHash::Sha512).toBase64());
    }
    QString blobPath(const QString &dataDir) const
    {
        const QString hex = QString::fromLatin1(
            QCryptographicHash::hash(tarball, QCryptographicHash::Sha512).toHex());
        return dataDir + u"/blobs/sha512/"_s + hex.left(2) + u'/' + hex;
    }
};

Published makePackage(const QString &name, const QString &version)
{
    const QByteArray manifest =
        QJsonDocument(
            QJsonObject{{u"name"_s, name}, {u"version"_s, version}, {u"main"_s, u"index.js"_s}})
            .toJson(QJsonDocument::Compact);
    const QByteArray tarball = TestSupport::writeTarball(
        {{"package/package.json", manifest},
         {"package/index.js", "module.exports = '" + version.toUtf8() + "';\n"}});
    return {name, version, tarball};
}

// A package-lock.json v3 of `entries`, each "node_modules/<name>" unless nested.
QByteArray packageLock(const QList<std::pair<QString, QJsonObject>> &entries)
{
    QJsonObject packages{{QString(), QJsonObject{{u"name"_s, u"app"_s}}}};
    for (const auto &[path, entry] : entries) {
        packages.insert(path, entry);
    }
    return QJsonDocument(QJsonObject{{u"name"_s, u"app"_s},
                                     {u"lockfileVersion"_s, 3},
                                     {u"packages"_s, packages}})
        .toJson();
}

QJsonObject lockEntry(const Published &package, const QString &integrity = {})
{
    return {
        {u"version"_s, package.version},
        {u"resolved"_s, u"http://127.0.0.1:9/%1/-/%1-%2.tgz"_s.arg(package.name, package.version)},
        {u"integrity"_s, integrity.isEmpty() ? package.integrity() : integrity}};
}

} // namespace

class tst_Mirror : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void init();

    void mirrorsEveryRegistryEntry();
    void reportsWhatCouldNotBeHad_data();
    void reportsWhatCouldNotBeHad();
    void refusals_data();
    void refusals();
    void noLockfile();
    void mirrorsRealLockfiles_data();
    void mirrorsRealLockfiles();
    // Last: it stops the upstream.
    void installsOfflineAfterwards();

private:
    Run trove(const QStringList &arguments);

    QTemporaryDir m_dir;
    QString m_upstreamData;
    QProcess m_upstream;
    quint16 m_upstreamPort = 0;
    QString m_template; // the downstream registry, copied for each test
    QString m_data;
    int m_counter = 0;
    QList<Published> m_published;
    Published m_local;
};

Run tst_Mirror::trove(const QStringList &arguments)
{
    QProcess process;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.remove(u"TROVE_DATA"_s);
    process.setProcessEnvironment(environment);
    process.start(TestSupport::TroveBinary, arguments + QStringList{u"--data"_s, m_data});
    if (!process.waitForFinished(60000)) {
        process.kill();
        process.waitForFinished();
    }
    return {process.exitCode(),
            process.readAllStandardOutput(),
            QString::fromUtf8(process.readAllStandardError())};
}

void tst_Mirror::initTestCase()
{
    QVERIFY(m_dir.isValid());
    // The upstream: a public group whose group-level endpoint serves scoped and unscoped names.
    m_upstreamData = m_dir.filePath(u"upstream"_s);
    // The packages of tests/data/lockfiles, as npm packed them: the real clients' lockfiles
    // there lock these exact bytes.
    const auto fixture = [](const QString &name, const QString &version, const QString &file) {
        QFile tarball(QStringLiteral(TROVE_SOURCE_DIR "/tests/data/lockfiles/tarballs/") + file);
        return Published{
            name, version, tarball.open(QIODevice::ReadOnly) ? tarball.readAll() : QByteArray()};
    };
    m_published = {fixture(u"left-pad-lite"_s, u"1.0.0"_s, u"left-pad-lite-1.0.0.tgz"_s),
                   fixture(u"left-pad-lite"_s, u"1.2.0"_s, u"left-pad-lite-1.2.0.tgz"_s),
                   fixture(u"tiny-util"_s, u"0.3.1"_s, u"tiny-util-0.3.1.tgz"_s),
                   fixture(u"@acme/core"_s, u"1.1.0"_s, u"acme-core-1.1.0.tgz"_s),
                   fixture(u"@acme/core"_s, u"1.0.0"_s, u"acme-core-1.0.0.tgz"_s),
                   fixture(u"@acme/widget"_s, u"2.0.0"_s, u"acme-widget-2.0.0.tgz"_s)};
    for (const Published &package : std::as_const(m_published)) {
        QVERIFY2(!package.tarball.isEmpty(), qPrintable(package.name));
    }
    m_local = makePackage(u"here-only"_s, u"1.0.0"_s);
    const auto publish =
        [](Registry &registry, qint64 projectId, const User &publisher, const Published &package) {
            PackageService::PublishRequest request;
            request.projectId = projectId;
            request.name = package.name;
            request.version = package.version;
            request.packageJson = QJsonDocument(QJsonObject{{u"name"_s, package.name},
                                                            {u"version"_s, package.version}})
                                      .toJson(QJsonDocument::Compact);
            request.tarball = package.tarball;
            request.publisher.kind = Actor::Kind::User;
            request.publisher.userId = publisher.id;
            request.publisher.username = publisher.username;
            return registry.packages().publish(request);
        };
    {
        std::unique_ptr<Registry> upstream = openRegistry(m_upstreamData);
        QVERIFY(upstream);
        QVERIFY(upstream->namespaces().createGroup(u"up"_s, Visibility::Public));
        const Result<Project> project =
            upstream->namespaces().createProject(u"up/pkgs"_s, Visibility::Public);
        QVERIFY(project);
        const Result<User> publisher = upstream->users().createUser(u"publisher"_s);
        QVERIFY(publisher);
        // Lower versions first, as they were published for the lockfiles.
        for (const qsizetype index : {0, 1, 2, 4, 3, 5}) {
            const Published &package = m_published[index];
            const Result<Package> done = publish(*upstream, project->id, *publisher, package);
            QVERIFY2(done,
                     qPrintable(package.name + u"@"_s + package.version + u": "_s
                                + (done ? QString() : done.error().message)));
        }
        QVERIFY(upstream->settings().setInstanceForwarding(false));
    }
    m_upstreamPort = TestSupport::startServe(
        m_upstream, {u"--listen"_s, u"127.0.0.1:0"_s, u"--data"_s, m_upstreamData});
    QVERIFY(m_upstreamPort != 0);

    // This registry: proxy mode towards the upstream's group, and one name of its own.
    m_template = m_dir.filePath(u"template"_s);
    std::unique_ptr<Registry> registry = openRegistry(m_template);
    QVERIFY(registry);
    QVERIFY(registry->namespaces().createGroup(u"home"_s, Visibility::Public));
    const Result<Project> project =
        registry->namespaces().createProject(u"home/app"_s, Visibility::Public);
    QVERIFY(project);
    QVERIFY(registry->namespaces().createGroup(u"quiet"_s, Visibility::Public));
    const Result<Group> quiet = registry->namespaces().findGroup(u"quiet"_s);
    QVERIFY(quiet);
    const Result<User> publisher = registry->users().createUser(u"publisher"_s);
    QVERIFY(publisher);
    const Result<Package> local = publish(*registry, project->id, *publisher, m_local);
    QVERIFY(local);
    QVERIFY(registry->settings().setUpstream(
        u"http://127.0.0.1:%1/api/v4/groups/up/-/packages/npm/"_s.arg(m_upstreamPort)));
    QVERIFY(registry->settings().setInstanceForwardingMode(SettingsService::ForwardingMode::Proxy));
    QVERIFY(registry->settings().setGroupForwardingMode(quiet->id,
                                                        SettingsService::ForwardingMode::Off));
}

void tst_Mirror::cleanupTestCase()
{
    m_upstream.terminate();
    m_upstream.waitForFinished(10000);
}

void tst_Mirror::init()
{
    // Each test starts from the same registry with an empty cache.
    m_data = m_dir.filePath(u"data-%1"_s.arg(++m_counter));
    QVERIFY(QDir().mkpath(m_data));
    const QDir source(m_template);
    for (const QString &file : source.entryList(QDir::Files)) {
        QVERIFY(QFile::copy(source.filePath(file), m_data + u'/' + file));
    }
    QVERIFY(QDir().mkpath(m_data + u"/blobs"_s));
}

void tst_Mirror::mirrorsEveryRegistryEntry()
{
    // Two lockfiles of one project: what they share is fetched once.
    const QString npmLock = m_dir.filePath(u"all/package-lock.json"_s);
    QVERIFY(QDir().mkpath(m_dir.filePath(u"all"_s)));
    QVERIFY(writeFile(
        npmLock,
        packageLock({
            {u"node_modules/left-pad-lite"_s, lockEntry(m_published[1])},
            {u"node_modules/tiny-util"_s, lockEntry(m_published[2])},
            {u"node_modules/tiny-util/node_modules/left-pad-lite"_s, lockEntry(m_published[0])},
            {u"node_modules/@acme/core"_s, lockEntry(m_published[3])},
            {u"node_modules/here-only"_s, lockEntry(m_local)},
            {u"node_modules/helper"_s,
             QJsonObject{{u"resolved"_s, u"packages/helper"_s}, {u"link"_s, true}}},
            {u"packages/helper"_s, QJsonObject{{u"version"_s, u"0.1.0"_s}}},
        })));
    const QString yarnLock = m_dir.filePath(u"all/yarn.lock"_s);
    QVERIFY(writeFile(yarnLock,
                      "# yarn lockfile v1\n\n\ntiny-util@^0.3.0:\n  version \"0.3.1\"\n"
                      "  integrity "
                          + m_published[2].integrity().toLatin1() + "\n"));

    const Run run = trove({u"mirror"_s, npmLock, yarnLock, u"--json"_s});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err + QString::fromUtf8(run.out)));
    const QJsonObject report = QJsonDocument::fromJson(run.out).object();
    QStringList mirrored;
    for (const QJsonValue &entry : report.value(u"mirrored"_s).toArray()) {
        mirrored << entry[u"name"_s].toString() + u'@' + entry[u"version"_s].toString();
    }
    QCOMPARE(mirrored,
             QStringList({u"@acme/core@1.1.0"_s,
                          u"left-pad-lite@1.0.0"_s,
                          u"left-pad-lite@1.2.0"_s,
                          u"tiny-util@0.3.1"_s}));
    QCOMPARE(report.value(u"failed"_s).toArray().size(), 0);
    QStringList skipped;
    for (const QJsonValue &entry : report.value(u"skipped"_s).toArray()) {
        skipped << entry[u"name"_s].toString() + u": "_s + entry[u"reason"_s].toString();
    }
    QCOMPARE(skipped,
             QStringList({u"helper: a workspace package of the project (packages/helper)"_s,
                          u"here-only: published here (never proxied)"_s}));
    // Progress, one line per name, on stderr.
    QVERIFY2(run.err.contains(u"/3] left-pad-lite 1.0.0, 1.2.0\n"_s), qPrintable(run.err));

    // The tarballs are in this registry's blob store, byte for byte the upstream's; the
    // upstream's other versions are not.
    for (qsizetype i = 0; i < m_published.size(); ++i) {
        QCOMPARE(QFile::exists(m_published[i].blobPath(m_data)), i < 4);
    }

    // The plain report says the same.
    const Run plain = trove({u"mirror"_s, npmLock});
    QCOMPARE(plain.exitCode, 0);
    QVERIFY2(plain.out.startsWith("Mirrored 4 of 4 package versions into the cache.\nSkipped (2):"),
             plain.out.constData());
}

void tst_Mirror::reportsWhatCouldNotBeHad_data()
{
    QTest::addColumn<QByteArray>("lockfile");
    QTest::addColumn<QString>("failed");
    QTest::addColumn<QString>("reason");

    const Published missing = makePackage(u"not-upstream"_s, u"2.0.0"_s);
    QTest::addRow("a name the upstream does not have")
        << packageLock({{u"node_modules/left-pad-lite"_s, lockEntry(m_published[0])},
                        {u"node_modules/not-upstream"_s, lockEntry(missing)}})
        << u"not-upstream@2.0.0"_s << QString();
    const Published otherBytes = makePackage(u"tiny-util"_s, u"0.3.1-other"_s);
    QTest::addRow("a tarball that is not the one locked")
        << packageLock(
               {{u"node_modules/tiny-util"_s, lockEntry(m_published[2], otherBytes.integrity())}})
        << u"tiny-util@0.3.1"_s << u"the upstream's tarball is not the one locked"_s;
    QTest::addRow("a version the upstream does not have") << packageLock(
        {{u"node_modules/tiny-util"_s, lockEntry(makePackage(u"tiny-util"_s, u"9.9.9"_s))}})
                                                          << u"tiny-util@9.9.9"_s << QString();
    QTest::addRow("a version of a name published here that is not here")
        << packageLock(
               {{u"node_modules/here-only"_s, lockEntry(makePackage(u"here-only"_s, u"1.0.1"_s))}})
        << u"here-only@1.0.1"_s
        << u"the name is published here, but not this version (names published here are never "
           "proxied)"_s;
    QTest::addRow("a scope that is a group here")
        << packageLock({{u"node_modules/@home/gone"_s,
                         lockEntry(makePackage(u"@home/gone"_s, u"1.0.0"_s))}})
        << u"@home/gone@1.0.0"_s << u"the scope @home is a group here, so it is never proxied"_s;
}

void tst_Mirror::reportsWhatCouldNotBeHad()
{
    QFETCH(QByteArray, lockfile);
    QFETCH(QString, failed);
    QFETCH(QString, reason);
    const QString path = m_dir.filePath(u"fail-%1/package-lock.json"_s.arg(m_counter));
    QVERIFY(QDir().mkpath(QFileInfo(path).absolutePath()));
    QVERIFY(writeFile(path, lockfile));

    const Run run = trove({u"mirror"_s, path, u"--json"_s});
    QCOMPARE(run.exitCode, 1);
    const QJsonObject report = QJsonDocument::fromJson(run.out).object();
    const QJsonArray failures = report.value(u"failed"_s).toArray();
    QCOMPARE(failures.size(), 1);
    const QJsonObject failure = failures.first().toObject();
    QCOMPARE(failure[u"name"_s].toString() + u'@' + failure[u"version"_s].toString(), failed);
    QVERIFY(!failure[u"reason"_s].toString().isEmpty());
    QVERIFY2(failure[u"reason"_s].toString().startsWith(reason),
             qPrintable(failure[u"reason"_s].toString()));

    const Run plain = trove({u"mirror"_s, path});
    QCOMPARE(plain.exitCode, 1);
    const QByteArray line = "Could not be had (1):\n  " + failed.toUtf8() + ": ";
    QVERIFY2(plain.out.contains(line), plain.out.constData());
}

void tst_Mirror::refusals_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QByteArray>("lockfile");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QString>("error");

    const QByteArray good =
        packageLock({{u"node_modules/left-pad-lite"_s, lockEntry(m_published[0])}});
    QTest::addRow("npm 6 lockfile")
        << QStringList() << QByteArray("{\n  \"lockfileVersion\": 1\n}\n") << 1
        << u"package-lock.json:2: lockfileVersion 1 (npm 6) is not supported"_s;
    QTest::addRow("forwarding off for the group")
        << QStringList{u"--group"_s, u"quiet"_s} << good << 1
        << u"forwarding at group quiet is 'off', not 'proxy'"_s;
    QTest::addRow("both levels") << QStringList{u"--group"_s,
                                                u"home"_s,
                                                u"--project"_s,
                                                u"home/app"_s}
                                 << good << 2 << u"give --project or --group, not both"_s;
    QTest::addRow("unknown group")
        << QStringList{u"--group"_s, u"nope"_s} << good << 1 << u"nope"_s;
}

void tst_Mirror::refusals()
{
    QFETCH(QStringList, arguments);
    QFETCH(QByteArray, lockfile);
    QFETCH(int, exitCode);
    QFETCH(QString, error);
    const QString path = m_dir.filePath(u"refused-%1/package-lock.json"_s.arg(m_counter));
    QVERIFY(QDir().mkpath(QFileInfo(path).absolutePath()));
    QVERIFY(writeFile(path, lockfile));
    const Run run = trove(QStringList{u"mirror"_s, path} + arguments);
    QCOMPARE(run.exitCode, exitCode);
    QVERIFY2(run.err.contains(error), qPrintable(run.err));
    QVERIFY(run.out.isEmpty());
    // Nothing was fetched.
    QVERIFY(!QFile::exists(m_published[0].blobPath(m_data)));
}

void tst_Mirror::noLockfile()
{
    const Run run = trove({u"mirror"_s});
    QCOMPARE(run.exitCode, 2);
    QVERIFY2(run.err.startsWith(u"trove mirror: name at least one lockfile (usage: trove mirror "
                                "LOCKFILE..."_s),
             qPrintable(run.err));
}

void tst_Mirror::mirrorsRealLockfiles_data()
{
    QTest::addColumn<QStringList>("lockfiles");
    QTest::addColumn<QStringList>("skipped");
    const QString npmV3 = u"npm-v3/package-lock.json"_s;
    const QString npmV2 = u"npm-v2/package-lock.json"_s;
    const QString classic = u"yarn-classic/yarn.lock"_s;
    const QString berry = u"yarn-berry/yarn.lock"_s;
    const QString pnpm = u"pnpm/pnpm-lock.yaml"_s;
    QTest::addRow("npm, lockfile v3")
        << QStringList{npmV3} << QStringList{u"helper"_s, u"local-thing"_s};
    QTest::addRow("npm, lockfile v2")
        << QStringList{npmV2} << QStringList{u"helper"_s, u"local-thing"_s};
    QTest::addRow("yarn classic") << QStringList{classic} << QStringList{u"local-thing"_s};
    QTest::addRow("yarn berry") << QStringList{berry}
                                << QStringList{u"consumer"_s, u"helper"_s, u"local-thing"_s};
    QTest::addRow("pnpm") << QStringList{pnpm} << QStringList{u"local-thing"_s};
    QTest::addRow("all five at once") << QStringList{npmV3, npmV2, classic, berry, pnpm}
                                      << QStringList{u"consumer"_s,
                                                     u"helper"_s,
                                                     u"helper"_s,
                                                     u"helper"_s,
                                                     u"local-thing"_s,
                                                     u"local-thing"_s,
                                                     u"local-thing"_s,
                                                     u"local-thing"_s,
                                                     u"local-thing"_s};
}

void tst_Mirror::mirrorsRealLockfiles()
{
    QFETCH(QStringList, lockfiles);
    QFETCH(QStringList, skipped);
    // What npm, yarn and pnpm wrote for one project (tests/tools/make-lockfiles.sh): their
    // integrities are checked against the tarballs the upstream gives.
    QStringList arguments{u"mirror"_s};
    for (const QString &lockfile : std::as_const(lockfiles)) {
        arguments << QStringLiteral(TROVE_SOURCE_DIR "/tests/data/lockfiles/") + lockfile;
    }
    const Run run = trove(arguments + QStringList{u"--json"_s});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err + QString::fromUtf8(run.out)));
    const QJsonObject report = QJsonDocument::fromJson(run.out).object();
    QStringList mirrored;
    for (const QJsonValue &entry : report.value(u"mirrored"_s).toArray()) {
        mirrored << entry[u"name"_s].toString() + u'@' + entry[u"version"_s].toString();
    }
    QCOMPARE(mirrored,
             QStringList({u"@acme/core@1.1.0"_s,
                          u"@acme/widget@2.0.0"_s,
                          u"left-pad-lite@1.0.0"_s,
                          u"left-pad-lite@1.2.0"_s,
                          u"tiny-util@0.3.1"_s}));
    QStringList skippedNames;
    for (const QJsonValue &entry : report.value(u"skipped"_s).toArray()) {
        skippedNames << entry[u"name"_s].toString();
    }
    skippedNames.sort();
    QCOMPARE(skippedNames, skipped);
    for (const Published &package : std::as_const(m_published)) {
        const bool locked = package.name != u"@acme/core"_s || package.version == u"1.1.0"_s;
        QCOMPARE(QFile::exists(package.blobPath(m_data)), locked);
    }
}

void tst_Mirror::installsOfflineAfterwards()
{
    const QString path = m_dir.filePath(u"offline/package-lock.json"_s);
    QVERIFY(QDir().mkpath(QFileInfo(path).absolutePath()));
    QVERIFY(writeFile(path,
                      packageLock({{u"node_modules/left-pad-lite"_s, lockEntry(m_published[1])},
                                   {u"node_modules/@acme/core"_s, lockEntry(m_published[3])}})));
    const Run run = trove({u"mirror"_s, path});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err + QString::fromUtf8(run.out)));

    // The upstream goes away; this registry answers the document and the tarball from its cache.
    m_upstream.terminate();
    QVERIFY(m_upstream.waitForFinished(10000));
    QProcess serve;
    const quint16 port =
        TestSupport::startServe(serve, {u"--listen"_s, u"127.0.0.1:0"_s, u"--data"_s, m_data});
    QVERIFY(port != 0);
    QNetworkAccessManager network;
    const auto get = [&network](const QString &url) {
        QNetworkReply *reply = network.get(QNetworkRequest(QUrl(url)));
        for (int i = 0; i < 1000 && !reply->isFinished(); ++i) {
            QTest::qWait(20);
        }
        return reply;
    };
    for (const int index : {1, 3}) {
        const Published &package = m_published[index];
        const QString name = QString(package.name).replace(u'/', u"%2f"_s);
        QNetworkReply *document =
            get(u"http://127.0.0.1:%1/api/v4/packages/npm/%2"_s.arg(port).arg(name));
        QCOMPARE(document->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
        const QJsonObject dist = QJsonDocument::fromJson(document->readAll())
                                     .object()[u"versions"_s][package.version][u"dist"_s]
                                     .toObject();
        QCOMPARE(dist[u"integrity"_s].toString(), package.integrity());
        QNetworkReply *tarball = get(dist[u"tarball"_s].toString());
        QCOMPARE(tarball->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
        QCOMPARE(tarball->readAll(), package.tarball);
    }
    serve.terminate();
    QVERIFY(serve.waitForFinished(10000));
}

QTEST_GUILESS_MAIN(tst_Mirror)
#include "tst_mirror.moc"
