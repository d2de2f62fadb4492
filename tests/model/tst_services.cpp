// SPDX-License-Identifier: GPL-3.0-or-later
// The model services on a real SQLite file: namespaces, users, tokens, settings, packages, blobs
// and their change events.

#include "model/registry.h"
#include "model/store/sql.h"

#include <QCryptographicHash>
#include <QDirIterator>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSignalSpy>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

using namespace Qt::StringLiterals;
using namespace Trove;

#define QVERIFY_RESULT(r) \
    QVERIFY2((r).has_value(), qPrintable((r).has_value() ? QString() : (r).error().message))

class tst_Services : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void groupsAndProjects();
    void membershipsAreInherited();
    void tokenLifecycle();
    void expiredAndRevokedTokens();
    void forwardingCascade();
    void upstreamFromTheUsersNpmConfig();
    void publishWritesBlobRowAndTag();
    void publishRefusalsChangeNothing_data();
    void publishRefusalsChangeNothing();
    void concurrentPublishOneWins();
    void distTagsAndDeprecation();
    void unpublishKeepsSharedBlobs();
    void sweepRemovesOrphansOnly();
    void eventsAfterCommitsOnly();

private:
    QString dump();
    Result<Package> publish(const QString &name,
                            const QString &version,
                            qint64 projectId = 0,
                            const QByteArray &tarball = {});

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<Registry> m_registry;
    qint64 m_project = 0;
};

void tst_Services::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    Result<std::unique_ptr<Registry>> registry = Registry::open(m_dir->path());
    QVERIFY_RESULT(registry);
    m_registry = std::move(*registry);
    QVERIFY(m_registry->namespaces().createGroup(u"acme"_s));
    m_project = m_registry->namespaces().createProject(u"acme/app"_s)->id;
}

void tst_Services::cleanup()
{
    m_registry.reset();
    m_dir.reset();
}

QString tst_Services::dump()
{
    QString text;
    QSqlDatabase db = QSqlDatabase::database(m_registry->database().connectionName());
    QSqlQuery tables(db);
    tables.exec(u"SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"_s);
    QStringList names;
    while (tables.next()) {
        names.append(tables.value(0).toString());
    }
    for (const QString &table : names) {
        QSqlQuery rows(db);
        rows.exec(u"SELECT * FROM "_s + table + u" ORDER BY rowid"_s);
        while (rows.next()) {
            QStringList values;
            for (int i = 0; i < rows.record().count(); ++i) {
                values.append(rows.value(i).toString());
            }
            text += table + u": "_s + values.join(u'|') + u'\n';
        }
    }
    QDirIterator it(
        m_dir->path() + u"/blobs"_s, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    QStringList files;
    while (it.hasNext()) {
        files.append(it.next());
    }
    files.sort();
    return text + files.join(u'\n');
}

Result<Package> tst_Services::publish(const QString &name,
                                      const QString &version,
                                      qint64 projectId,
                                      const QByteArray &tarball)
{
    PackageService::PublishRequest request;
    request.projectId = projectId ? projectId : m_project;
    request.name = name;
    request.version = version;
    request.packageJson = QJsonDocument(QJsonObject{{u"name"_s, name}, {u"version"_s, version}})
                              .toJson(QJsonDocument::Compact);
    request.tarball = tarball.isEmpty() ? (name + u'@' + version).toUtf8().repeated(10) : tarball;
    request.publisher.kind = Actor::Kind::User;
    request.publisher.username = u"mia"_s;
    return m_registry->packages().publish(request);
}

void tst_Services::groupsAndProjects()
{
    NamespaceService &namespaces = m_registry->namespaces();
    const Result<Group> sub = namespaces.createGroup(u"acme/frontend"_s);
    QVERIFY_RESULT(sub);
    QCOMPARE(sub->fullPath, u"acme/frontend"_s);
    QVERIFY(sub->parentId != 0);
    const Result<Project> project = namespaces.createProject(u"acme/frontend/widgets"_s);
    QVERIFY_RESULT(project);
    QCOMPARE(project->rootNamespacePath(), u"acme"_s);
    QCOMPARE(namespaces.findProject(QString::number(project->id))->fullPath, project->fullPath);
    QCOMPARE(namespaces.findProject(u"ACME/Frontend/Widgets"_s)->id, project->id);
    QCOMPARE(namespaces.findGroup(u"acme/frontend"_s)->id, sub->id);
    QCOMPARE(namespaces.store().ancestors(sub->id)->size(), 2);
    QCOMPARE(namespaces.store().projectsUnder(namespaces.findGroup(u"acme"_s)->id)->size(), 2);

    QCOMPARE(namespaces.createGroup(u"Acme"_s).error().code, Error::Code::Conflict);
    QCOMPARE(namespaces.createProject(u"acme/frontend"_s).error().code, Error::Code::Conflict);
    QCOMPARE(namespaces.createGroup(u"nope/x"_s).error().code, Error::Code::NotFound);
    QCOMPARE(namespaces.createGroup(u"a b"_s).error().code, Error::Code::Invalid);
    QCOMPARE(namespaces.createGroup(u"acme/pub"_s, Visibility::Public).error().code,
             Error::Code::Invalid);
    QCOMPARE(namespaces.findProject(u"999"_s).error().code, Error::Code::NotFound);
}

void tst_Services::membershipsAreInherited()
{
    QVERIFY(m_registry->namespaces().createGroup(u"acme/sub"_s));
    const Result<Project> deep = m_registry->namespaces().createProject(u"acme/sub/deep"_s);
    QVERIFY_RESULT(deep);
    const Result<User> user = m_registry->users().createUser(u"mia"_s);
    QVERIFY_RESULT(user);
    UserStore &users = m_registry->users().store();
    QCOMPARE(*users.projectAccessLevel(user->id, deep->id), AccessLevel::None);
    QVERIFY(m_registry->users().addGroupMember(u"mia"_s, u"acme"_s, AccessLevel::Reporter));
    QCOMPARE(*users.projectAccessLevel(user->id, deep->id), AccessLevel::Reporter);
    QVERIFY(m_registry->users().addProjectMember(
        u"mia"_s, u"acme/sub/deep"_s, AccessLevel::Maintainer));
    QCOMPARE(*users.projectAccessLevel(user->id, deep->id), AccessLevel::Maintainer);
    // The highest role wins, and changing a role replaces it.
    QVERIFY(m_registry->users().addGroupMember(u"mia"_s, u"acme"_s, AccessLevel::Owner));
    QCOMPARE(*users.projectAccessLevel(user->id, deep->id), AccessLevel::Owner);
    QCOMPARE(users.memberships(user->id)->size(), 2);
    QCOMPARE(
        m_registry->users().addGroupMember(u"nobody"_s, u"acme"_s, AccessLevel::Guest).error().code,
        Error::Code::NotFound);
    QCOMPARE(m_registry->users().createUser(u"MIA"_s).error().code, Error::Code::Conflict);
}

void tst_Services::tokenLifecycle()
{
    const Result<User> user = m_registry->users().createUser(u"mia"_s);
    QVERIFY_RESULT(user);
    TokenService &tokens = m_registry->tokens();
    const Result<CreatedToken> pat =
        tokens.createPersonalAccessToken(user->id, u"laptop"_s, {u"api"_s});
    QVERIFY_RESULT(pat);
    QVERIFY(pat->token.startsWith(u"tpat-"_s));
    QVERIFY(pat->token.startsWith(pat->prefix));
    QVERIFY(!dump().contains(pat->token));
    QVERIFY(dump().contains(TokenService::digest(pat->token)));

    Result<Actor> actor = tokens.authenticate(pat->token);
    QVERIFY_RESULT(actor);
    QCOMPARE(actor->kind, Actor::Kind::User);
    QCOMPARE(actor->username, u"mia"_s);
    QVERIFY(tokens.store().personalToken(pat->id)->lastUsedAt.isValid());

    const QStringList bad = {QString(),
                             u"tpat-"_s,
                             QString(pat->token.chopped(1) + u'X'),
                             u"glpat-xyz"_s,
                             QString(pat->token + u'x')};
    for (const QString &candidate : bad) {
        const Result<Actor> refused = tokens.authenticate(candidate);
        QVERIFY(!refused);
        QCOMPARE(refused.error().code, Error::Code::Unauthorized);
    }
    QCOMPARE(tokens.createPersonalAccessToken(user->id, {}, {u"write_repository"_s}).error().code,
             Error::Code::Invalid);
    QCOMPARE(tokens.createPersonalAccessToken(user->id, {}, {}).error().code, Error::Code::Invalid);
    QCOMPARE(
        tokens.createPersonalAccessToken(user->id, {}, {u"api"_s}, QDate(2001, 1, 1)).error().code,
        Error::Code::Invalid);
    QCOMPARE(tokens.createDeployToken(0, m_project, {}, {u"api"_s}).error().code,
             Error::Code::Invalid);

    const Result<CreatedToken> job = tokens.createJobToken(m_project, user->id);
    QVERIFY_RESULT(job);
    QCOMPARE(tokens.authenticate(job->token)->jobProjectId, m_project);
    QVERIFY(tokens.finishJob(job->token));
    QVERIFY(!tokens.authenticate(job->token));
    QCOMPARE(tokens.finishJob(u"tjob-unknown"_s).error().code, Error::Code::NotFound);
}

void tst_Services::expiredAndRevokedTokens()
{
    const Result<User> user = m_registry->users().createUser(u"mia"_s);
    TokenService &tokens = m_registry->tokens();
    const Result<CreatedToken> pat =
        tokens.createPersonalAccessToken(user->id, {}, {u"api"_s}, QDate::currentDate().addDays(1));
    QVERIFY_RESULT(pat);
    QVERIFY(tokens.authenticate(pat->token));
    // Expire it by moving the date, as time would.
    {
        Sql::Statement update(m_registry->database(),
                              u"UPDATE personal_access_tokens SET expires_at = :date"_s);
        update.bind(u":date"_s, QDate::currentDate().toString(Qt::ISODate));
        QVERIFY(update.exec());
    }
    Result<Actor> refused = tokens.authenticate(pat->token);
    QVERIFY(!refused);
    QVERIFY(refused.error().message.contains(u"expired"_s));

    const Result<CreatedToken> deploy =
        tokens.createDeployToken(0, m_project, {}, {u"read_package_registry"_s});
    QVERIFY_RESULT(deploy);
    QVERIFY(tokens.authenticate(deploy->token));
    QVERIFY(tokens.revoke(TokenKind::Deploy, deploy->id));
    refused = tokens.authenticate(deploy->token);
    QVERIFY(!refused);
    QVERIFY(refused.error().message.contains(u"revoked"_s));
    QCOMPARE(tokens.revoke(TokenKind::Personal, 9999).error().code, Error::Code::NotFound);
}

void tst_Services::forwardingCascade()
{
    SettingsService &settings = m_registry->settings();
    NamespaceService &namespaces = m_registry->namespaces();
    QVERIFY(namespaces.createGroup(u"acme/sub"_s));
    const Result<Project> deep = namespaces.createProject(u"acme/sub/lib"_s);
    const qint64 root = namespaces.findGroup(u"acme"_s)->id;
    const qint64 sub = namespaces.findGroup(u"acme/sub"_s)->id;

    QCOMPARE(*settings.instanceForwarding(), true); // GitLab's default
    QCOMPARE(*settings.forwardingForProject(*deep), true);
    QVERIFY(settings.setInstanceForwarding(false));
    QCOMPARE(*settings.forwardingForProject(*deep), false);
    // The nearest group with a value wins …
    QVERIFY(settings.setGroupForwarding(root, true));
    QCOMPARE(*settings.forwardingForProject(*deep), true);
    QVERIFY(settings.setGroupForwarding(sub, false));
    QCOMPARE(*settings.forwardingForProject(*deep), false);
    QCOMPARE(*settings.forwardingForGroup(root), true);
    // … unless a group above locks its value …
    QVERIFY(settings.setGroupForwarding(root, true, true));
    QCOMPARE(*settings.forwardingForProject(*deep), true);
    // … or the instance locks its own.
    QVERIFY(settings.setInstanceForwarding(false, true));
    QCOMPARE(*settings.forwardingForProject(*deep), false);
    QVERIFY(settings.setInstanceForwarding(true));
    QVERIFY(settings.clearGroupForwarding(root));
    QCOMPARE(*settings.forwardingForGroup(root), true);
    QCOMPARE(*settings.forwardingForProject(*deep), false);
}

void tst_Services::upstreamFromTheUsersNpmConfig()
{
    // The default is read once per process, so ask a fresh process: the command line prints the
    // upstream that `upstream set` normalises, and a forwarding redirect shows the default. Here
    // the unit under test is the parser and the stored setting.
    QVERIFY(!SettingsService::parseUpstream(u"ftp://x/"_s));
    QVERIFY(!SettingsService::parseUpstream(u"http:///nohost"_s));
    QVERIFY(!SettingsService::parseUpstream(u"http://x/?q=1"_s));
    QCOMPARE(SettingsService::parseUpstream(u" http://127.0.0.1:9/a "_s)->toString(),
             u"http://127.0.0.1:9/a/"_s);
    QVERIFY(m_registry->settings().setUpstream(u"http://127.0.0.1:9/mirror"_s));
    QCOMPARE(m_registry->settings().upstream()->toString(), u"http://127.0.0.1:9/mirror/"_s);
    QCOMPARE(m_registry->settings().setUpstream(u"nonsense"_s).error().code, Error::Code::Invalid);
    QCOMPARE(m_registry->settings().upstream()->toString(), u"http://127.0.0.1:9/mirror/"_s);

    // The default from an .npmrc, in a process of its own.
    QTemporaryDir home;
    QFile npmrc(home.filePath(u".npmrc"_s));
    QVERIFY(npmrc.open(QIODevice::WriteOnly));
    npmrc.write("; a comment\nfoo=bar\nregistry = http://127.0.0.1:4999/from-npmrc\n");
    npmrc.close();
    const QString fresh = home.filePath(u"data"_s);
    QProcess process;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(u"NPM_CONFIG_USERCONFIG"_s, npmrc.fileName());
    process.setProcessEnvironment(env);
    // trove serve reads the default at start; one request for an unknown name shows it.
    process.start(QStringLiteral(TROVE_BINARY_DIR "/app/trove"),
                  {u"serve"_s, u"--listen"_s, u"127.0.0.1:0"_s, u"--data"_s, fresh});
    QVERIFY(process.waitForStarted());
    QString output;
    for (int i = 0; i < 100 && !output.contains(u'\n'); ++i) {
        process.waitForReadyRead(100);
        output += QString::fromUtf8(process.readAllStandardOutput());
    }
    const quint16 port = output.section(u':', -1).section(u'/', 0, 0).toUShort();
    QVERIFY2(port != 0, qPrintable(output));
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, port);
    QVERIFY(socket.waitForConnected(5000));
    socket.write("GET /api/v4/packages/npm/left-pad HTTP/1.1\r\nHost: x\r\n\r\n");
    QByteArray reply;
    for (int i = 0; i < 50 && !reply.contains("\r\n\r\n"); ++i) {
        socket.waitForReadyRead(100);
        reply += socket.readAll();
    }
    process.terminate();
    process.waitForFinished(5000);
    QVERIFY2(reply.startsWith("HTTP/1.1 302"), reply.constData());
    QVERIFY2(reply.contains("Location: http://127.0.0.1:4999/from-npmrc/left-pad"),
             reply.constData());
}

void tst_Services::publishWritesBlobRowAndTag()
{
    const QByteArray tarball = "some tarball bytes";
    const Result<Package> package = publish(u"@acme/w"_s, u"1.0.0"_s, 0, tarball);
    QVERIFY_RESULT(package);
    const QString sha512 =
        QString::fromLatin1(QCryptographicHash::hash(tarball, QCryptographicHash::Sha512).toHex());
    QCOMPARE(package->sha512, sha512);
    QCOMPARE(
        package->sha1,
        QString::fromLatin1(QCryptographicHash::hash(tarball, QCryptographicHash::Sha1).toHex()));
    QCOMPARE(package->size, tarball.size());
    const QString path = m_dir->path() + u"/blobs/sha512/"_s + sha512.left(2) + u'/'
        + sha512.mid(2, 2) + u'/' + sha512;
    QCOMPARE(m_registry->blobs().pathOf(sha512), path);
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(file.readAll(), tarball);
    const Result<QList<DistTag>> tags =
        m_registry->packages().store().distTags(m_project, u"@acme/w"_s);
    QCOMPARE(tags->size(), 1);
    QCOMPARE(tags->first().tag, u"latest"_s);
    QCOMPARE(tags->first().version, u"1.0.0"_s);
}

void tst_Services::publishRefusalsChangeNothing_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("version");
    QTest::addColumn<QString>("twist");
    QTest::addColumn<int>("code");
    QTest::addColumn<QString>("message");
    const int invalid = int(Error::Code::Invalid);
    const int forbidden = int(Error::Code::Forbidden);
    QTest::newRow("empty version")
        << u"@acme/w"_s << u""_s << QString() << invalid << u"Version is empty."_s;
    QTest::newRow("empty tarball") << u"@acme/w"_s << u"2.0.0"_s << u"no-tarball"_s << invalid
                                   << u"Attachment data is empty."_s;
    QTest::newRow("same version in the project")
        << u"@acme/w"_s << u"1.0.0"_s << QString() << forbidden << u"Package already exists."_s;
    QTest::newRow("protected") << u"@acme/w"_s << u"2.0.0"_s << u"protect"_s << forbidden
                               << u"Package protected."_s;
    QTest::newRow("too large") << u"@acme/w"_s << u"2.0.0"_s << u"small-limit"_s << invalid
                               << u"File is too large."_s;
    QTest::newRow("bad name") << u"@acme/Not Valid"_s << u"2.0.0"_s << QString() << invalid
                              << u"Validation failed: Name should be a valid NPM package name: "
                                 "https://github.com/npm/validate-npm-package-name#naming-rules."_s;
    QTest::newRow("path traversal in the name")
        << u"@acme/../../etc"_s << u"2.0.0"_s << QString() << invalid << QString();
    QTest::newRow("bad version")
        << u"@acme/w"_s << u"v2"_s << QString() << invalid
        << u"Validation failed: Version should follow SemVer: https://semver.org"_s;
    QTest::newRow("naming convention, another project")
        << u"@acme/w"_s << u"1.0.0"_s << u"other-project"_s << invalid
        << u"Validation failed: Package already exists"_s;
    QTest::newRow("checksum mismatch")
        << u"@acme/w"_s << u"2.0.0"_s << u"wrong-sha1"_s << invalid << QString();
    QTest::newRow("package.json over 20000 characters")
        << u"@acme/w"_s << u"2.0.0"_s << u"huge"_s << invalid
        << u"Validation failed: Package json structure is too "
           "large. Maximum size is 20000 characters"_s;
    QTest::newRow("a tag that is a range")
        << u"@acme/w"_s << u"2.0.0"_s << u"tag-range"_s << invalid << QString();
}

void tst_Services::publishRefusalsChangeNothing()
{
    QFETCH(QString, name);
    QFETCH(QString, version);
    QFETCH(QString, twist);
    QFETCH(int, code);
    QFETCH(QString, message);

    QVERIFY_RESULT(publish(u"@acme/w"_s, u"1.0.0"_s));
    const Result<Project> other = m_registry->namespaces().createProject(u"acme/other"_s);
    QVERIFY_RESULT(other);
    if (twist == u"protect"_s) {
        QVERIFY(m_registry->settings().addProtectionRule(
            m_project, u"@acme/*"_s, AccessLevel::Maintainer));
    } else if (twist == u"small-limit"_s) {
        m_registry->packages().setMaxFileSize(4);
    }
    const QString before = dump();

    PackageService::PublishRequest request;
    request.projectId = twist == u"other-project"_s ? other->id : m_project;
    request.name = name;
    request.version = version;
    request.packageJson = twist == u"huge"_s
        ? QJsonDocument(QJsonObject{{u"description"_s, QString(20001, u'x')}})
              .toJson(QJsonDocument::Compact)
        : QByteArray("{}");
    request.tarball = twist == u"no-tarball"_s ? QByteArray() : QByteArray("tarball bytes");
    if (twist == u"wrong-sha1"_s) {
        request.expectedSha1 = QString(40, u'0');
    }
    if (twist == u"tag-range"_s) {
        request.distTag = u"1.x"_s;
    }
    request.publisher.kind = Actor::Kind::User;
    const Result<Package> refused = m_registry->packages().publish(request);
    QVERIFY(!refused);
    QCOMPARE(int(refused.error().code), code);
    if (!message.isEmpty()) {
        QCOMPARE(refused.error().message, message);
    }
    QCOMPARE(dump(), before);
}

void tst_Services::concurrentPublishOneWins()
{
    QList<bool> won(8);
    QList<QThread *> threads;
    for (int i = 0; i < won.size(); ++i) {
        threads.append(QThread::create(
            [this, &won, i] { won[i] = publish(u"@acme/race"_s, u"1.0.0"_s).has_value(); }));
        threads.last()->start();
    }
    for (QThread *thread : threads) {
        QVERIFY(thread->wait(60000));
        delete thread;
    }
    QCOMPARE(won.count(true), 1);
    QCOMPARE(m_registry->packages().store().packagesInProject(m_project, u"@acme/race"_s)->size(),
             1);
}

void tst_Services::distTagsAndDeprecation()
{
    PackageService &packages = m_registry->packages();
    QVERIFY_RESULT(publish(u"@acme/w"_s, u"1.0.0"_s));
    QVERIFY_RESULT(publish(u"@acme/w"_s, u"1.1.0"_s));
    QVERIFY(packages.setDistTag(m_project, u"@acme/w"_s, u"stable"_s, u"1.0.0"_s));
    QVERIFY(packages.setDistTag(m_project, u"@acme/w"_s, u"stable"_s, u"1.1.0"_s)); // moves
    const auto tags = packages.store().distTags(m_project, u"@acme/w"_s);
    QCOMPARE(tags->size(), 2);
    QCOMPARE(tags->at(1).tag, u"stable"_s);
    QCOMPARE(tags->at(1).version, u"1.1.0"_s);
    QCOMPARE(packages.setDistTag(m_project, u"@acme/w"_s, u"canary"_s, u"9.9.9"_s).error().code,
             Error::Code::NotFound);
    QCOMPARE(packages.setDistTag(m_project, u"@acme/w"_s, u"^1.0.0"_s, u"1.0.0"_s).error().code,
             Error::Code::Invalid);
    QVERIFY(packages.removeDistTag(m_project, u"@acme/w"_s, u"stable"_s));
    QCOMPARE(packages.removeDistTag(m_project, u"@acme/w"_s, u"stable"_s).error().code,
             Error::Code::NotFound);

    const Result<QStringList> changed = packages.deprecate(
        m_project, u"@acme/w"_s, {{u"1.0.0"_s, u"use 1.1"_s}, {u"7.7.7"_s, u"not here"_s}});
    QVERIFY_RESULT(changed);
    QCOMPARE(*changed, QStringList{u"1.0.0"_s});
    Result<Package> old = packages.store().packageVersion(m_project, u"@acme/w"_s, u"1.0.0"_s);
    QCOMPARE(old->status, PackageStatus::Deprecated);
    QCOMPARE(QJsonDocument::fromJson(old->packageJson).object().value(u"deprecated"_s).toString(),
             u"use 1.1"_s);
    // Same message again: nothing changes.
    QCOMPARE(packages.deprecate(m_project, u"@acme/w"_s, {{u"1.0.0"_s, u"use 1.1"_s}})->size(), 0);
    QCOMPARE(*packages.deprecate(m_project, u"@acme/w"_s, {{u"1.0.0"_s, u""_s}}),
             QStringList{u"1.0.0"_s});
    old = packages.store().packageVersion(m_project, u"@acme/w"_s, u"1.0.0"_s);
    QCOMPARE(old->status, PackageStatus::Default);
    QVERIFY(!QJsonDocument::fromJson(old->packageJson).object().contains(u"deprecated"_s));
}

void tst_Services::unpublishKeepsSharedBlobs()
{
    const Result<Project> other = m_registry->namespaces().createProject(u"acme/other"_s);
    QVERIFY_RESULT(other);
    // The same bytes in two projects share one blob.
    const Result<Package> a = publish(u"shared"_s, u"1.0.0"_s, m_project, "same bytes");
    const Result<Package> b = publish(u"shared"_s, u"1.0.0"_s, other->id, "same bytes");
    QVERIFY_RESULT(a);
    QVERIFY_RESULT(b);
    QCOMPARE(a->sha512, b->sha512);
    QVERIFY(m_registry->packages().unpublishVersion(m_project, u"shared"_s, u"1.0.0"_s));
    QVERIFY(m_registry->blobs().contains(a->sha512));
    QVERIFY(m_registry->packages().unpublishPackage(other->id, u"shared"_s));
    QVERIFY(!m_registry->blobs().contains(a->sha512));
    QCOMPARE(m_registry->packages().unpublishPackage(other->id, u"shared"_s).error().code,
             Error::Code::NotFound);
}

void tst_Services::sweepRemovesOrphansOnly()
{
    const Result<Package> kept = publish(u"@acme/w"_s, u"1.0.0"_s);
    QVERIFY_RESULT(kept);
    const Result<QString> orphan = m_registry->blobs().put("nobody refers to me");
    QVERIFY_RESULT(orphan);
    // What QSaveFile leaves behind when the process dies while writing.
    const QString folder = QFileInfo(m_registry->blobs().pathOf(*orphan)).absolutePath();
    QFile temporary(folder + u"/"_s + *orphan + u".Xa1b2c"_s);
    QVERIFY(temporary.open(QIODevice::WriteOnly));
    temporary.write("half");
    temporary.close();
    const Result<int> swept = m_registry->sweepOrphanBlobs();
    QVERIFY_RESULT(swept);
    QCOMPARE(*swept, 2);
    QVERIFY(m_registry->blobs().contains(kept->sha512));
    QVERIFY(!m_registry->blobs().contains(*orphan));
    QVERIFY(!temporary.exists());
}

void tst_Services::eventsAfterCommitsOnly()
{
    Events &events = m_registry->events();
    QSignalSpy packages(&events, &Events::packageChanged);
    QSignalSpy namespaces(&events, &Events::namespacesChanged);
    QSignalSpy tokens(&events, &Events::tokensChanged);
    QSignalSpy settings(&events, &Events::settingsChanged);
    QVERIFY_RESULT(publish(u"@acme/w"_s, u"1.0.0"_s));
    QCOMPARE(packages.size(), 1);
    QCOMPARE(packages.first().at(0).toLongLong(), m_project);
    QCOMPARE(packages.first().at(1).toString(), u"@acme/w"_s);
    QVERIFY(!publish(u"@acme/w"_s, u"1.0.0"_s)); // refused: no event
    QCOMPARE(packages.size(), 1);
    QVERIFY(m_registry->namespaces().createGroup(u"beta"_s));
    QVERIFY(!m_registry->namespaces().createGroup(u"beta"_s));
    QCOMPARE(namespaces.size(), 1);
    const Result<User> user = m_registry->users().createUser(u"mia"_s);
    QVERIFY(m_registry->tokens().createPersonalAccessToken(user->id, {}, {u"api"_s}));
    QVERIFY(!m_registry->tokens().createPersonalAccessToken(user->id, {}, {u"nope"_s}));
    QCOMPARE(tokens.size(), 1);
    QVERIFY(m_registry->settings().setInstanceForwarding(false));
    QCOMPARE(settings.size(), 1);
}

QTEST_GUILESS_MAIN(tst_Services)
#include "tst_services.moc"
