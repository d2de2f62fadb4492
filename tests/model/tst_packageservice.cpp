// SPDX-License-Identifier: GPL-3.0-or-later
// Publishing (GitLab's checks in GitLab's order, nothing written on refusal), dist-tags,
// deprecation, unpublishing, the blob store and its sweep, and the change events.

#include "model/registry.h"
#include "model/storecheck.h"

#include "testsupport.h"

#include <QCryptographicHash>
#include <QElapsedTimer>
#include <QSignalSpy>
#include <QSqlQuery>
#include <QTest>
#include <QThread>

#include <atomic>

#include <sys/stat.h>

using namespace Qt::StringLiterals;
using namespace Trove;
using TestSupport::RegistryFixture;

Q_DECLARE_METATYPE(Trove::Error::Code)

namespace {

const QString TooLarge =
    u"Validation failed: Package json structure is too large. Maximum size is 20000 characters"_s;
const QString InvalidName = u"Validation failed: Name should be a valid NPM package name: "
                            "https://github.com/npm/validate-npm-package-name#naming-rules."_s;
const QString InvalidVersion =
    u"Validation failed: Version should follow SemVer: https://semver.org"_s;

// Tarballs are made by `tar`; keep each one for the whole run.
QByteArray tarball(const QString &name, const QString &version, const QString &salt = {})
{
    static QHash<QString, QByteArray> cache;
    const QString key = name + u'@' + version + u'#' + salt;
    if (!cache.contains(key)) {
        cache.insert(key, TestSupport::makeTarball(name, version, salt));
    }
    return cache.value(key);
}

QString hex(const QByteArray &bytes, QCryptographicHash::Algorithm algorithm)
{
    return QString::fromLatin1(QCryptographicHash::hash(bytes, algorithm).toHex());
}

} // namespace

class tst_PackageService : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void publish();
    void publishRefused_data();
    void publishRefused();
    void publishAllowed_data();
    void publishAllowed();
    void concurrentPublishOneWins();
    void distTags_data();
    void distTags();
    void deprecate();
    void unpublish();
    void blobStore();
    void damagedBlobReplaced();
    void isDigest_data();
    void isDigest();
    void sweep();
    void sweepOnOpen();
    void blobLayout();
    void legacyLayoutMoved();
    void manyPackagesInOneProject();

private:
    PackageService::PublishRequest request(const QString &projectPath,
                                           const QString &name,
                                           const QString &version,
                                           const QString &salt = {});
    Result<Package> publishAs(const QString &projectPath,
                              const QString &name,
                              const QString &version,
                              const QString &salt = {});
    qint64 projectId(const QString &path);
    QStringList blobFiles() const { return TestSupport::listFiles(m_fixture.blobRoot()); }
    QString dump() const { return TestSupport::dumpDatabase(m_fixture.connection()); }

    RegistryFixture m_fixture;
    Actor m_developer;
    Actor m_deployToken;
};

void tst_PackageService::initTestCase()
{
    QVERIFY2(!tarball(u"@acme/widget"_s, u"1.0.0"_s).isEmpty(), "tar czf did not work");
}

void tst_PackageService::init()
{
    QVERIFY2(m_fixture.open(), qPrintable(m_fixture.error()));
    NamespaceService &namespaces = m_fixture->namespaces();
    QVERIFY_RESULT(namespaces.createGroup(u"acme"_s));
    QVERIFY_RESULT(namespaces.createGroup(u"acme/team"_s));
    QVERIFY_RESULT(namespaces.createProject(u"acme/a"_s));
    QVERIFY_RESULT(namespaces.createProject(u"acme/b"_s));
    QVERIFY_RESULT(namespaces.createProject(u"acme/team/c"_s));
    QVERIFY_RESULT(namespaces.createGroup(u"other"_s));
    QVERIFY_RESULT(namespaces.createProject(u"other/p"_s));
    const Result<User> dev = m_fixture->users().createUser(u"dev"_s);
    QVERIFY_RESULT(dev);
    QVERIFY_RESULT(m_fixture->users().addGroupMember(u"dev"_s, u"acme"_s, AccessLevel::Developer));
    QVERIFY_RESULT(m_fixture->users().addGroupMember(u"dev"_s, u"other"_s, AccessLevel::Developer));
    const Result<CreatedToken> pat =
        m_fixture->tokens().createPersonalAccessToken(dev->id, {}, {u"api"_s});
    QVERIFY_RESULT(pat);
    const Result<Actor> developer = m_fixture->tokens().authenticate(pat->token);
    QVERIFY_RESULT(developer);
    m_developer = *developer;
    const Result<CreatedToken> deploy = m_fixture->tokens().createDeployToken(
        0, projectId(u"acme/a"_s), {}, {u"write_package_registry"_s});
    QVERIFY_RESULT(deploy);
    const Result<Actor> deployActor = m_fixture->tokens().authenticate(deploy->token);
    QVERIFY_RESULT(deployActor);
    m_deployToken = *deployActor;
}

void tst_PackageService::cleanup()
{
    m_fixture.close();
}

qint64 tst_PackageService::projectId(const QString &path)
{
    const Result<Project> project = m_fixture->namespaces().findProject(path);
    return project ? project->id : 0;
}

PackageService::PublishRequest tst_PackageService::request(const QString &projectPath,
                                                           const QString &name,
                                                           const QString &version,
                                                           const QString &salt)
{
    PackageService::PublishRequest request;
    request.projectId = projectId(projectPath);
    request.name = name;
    request.version = version;
    request.packageJson = TestSupport::packageJson(name, version);
    request.tarball = tarball(name, version, salt);
    request.publisher = m_developer;
    return request;
}

Result<Package> tst_PackageService::publishAs(const QString &projectPath,
                                              const QString &name,
                                              const QString &version,
                                              const QString &salt)
{
    return m_fixture->packages().publish(request(projectPath, name, version, salt));
}

void tst_PackageService::publish()
{
    QSignalSpy changed(&m_fixture->events(), &Events::packageChanged);
    PackageService::PublishRequest req = request(u"acme/a"_s, u"@acme/widget"_s, u"1.0.0"_s);
    req.expectedSha1 = hex(req.tarball, QCryptographicHash::Sha1);
    req.expectedSha512 = hex(req.tarball, QCryptographicHash::Sha512);
    const Result<Package> package = m_fixture->packages().publish(req);
    QVERIFY_RESULT(package);

    const QString sha512 = hex(req.tarball, QCryptographicHash::Sha512);
    QCOMPARE(package->sha512, sha512);
    QCOMPARE(package->sha1, hex(req.tarball, QCryptographicHash::Sha1));
    QCOMPARE(package->size, req.tarball.size());
    QCOMPARE(package->publisher, u"dev"_s);
    QCOMPARE(package->publisherUserId, m_developer.userId);
    QCOMPARE(package->status, PackageStatus::Default);

    // The blob: blobs/sha512/<2>/<128 hex>, nothing else.
    const QString relative = u"sha512/"_s + sha512.left(2) + u'/' + sha512;
    QCOMPARE(blobFiles(), QStringList{relative});
    QFile blob(QDir(m_fixture.blobRoot()).filePath(relative));
    QVERIFY(blob.open(QIODevice::ReadOnly));
    QCOMPARE(blob.readAll(), req.tarball);
    QCOMPARE(m_fixture->blobs().pathOf(sha512), blob.fileName());

    // The row and the tag.
    const Result<Package> stored =
        m_fixture->packages().store().packageVersion(req.projectId, u"@acme/widget"_s, u"1.0.0"_s);
    QVERIFY_RESULT(stored);
    QCOMPARE(stored->id, package->id);
    QCOMPARE(stored->packageJson, req.packageJson);
    const Result<QList<DistTag>> tags =
        m_fixture->packages().store().distTags(req.projectId, u"@acme/widget"_s);
    QVERIFY_RESULT(tags);
    QCOMPARE(tags->size(), 1);
    QCOMPARE(tags->first().tag, u"latest"_s);
    QCOMPARE(tags->first().version, u"1.0.0"_s);
    QCOMPARE(tags->first().packageId, package->id);

    QCOMPARE(changed.count(), 1);
    QCOMPARE(changed.first().at(0).toLongLong(), req.projectId);
    QCOMPARE(changed.first().at(1).toString(), u"@acme/widget"_s);

    // A second version moves the default tag; a named tag leaves latest alone.
    QVERIFY_RESULT(publishAs(u"acme/a"_s, u"@acme/widget"_s, u"1.1.0"_s));
    PackageService::PublishRequest beta =
        request(u"acme/a"_s, u"@acme/widget"_s, u"2.0.0-beta.1"_s);
    beta.distTag = u"beta"_s;
    QVERIFY_RESULT(m_fixture->packages().publish(beta));
    QStringList tagged;
    const QList<DistTag> tagList1 =
        *m_fixture->packages().store().distTags(req.projectId, u"@acme/widget"_s);
    for (const DistTag &tag : tagList1) {
        tagged.append(tag.tag + u'=' + tag.version);
    }
    tagged.sort();
    QCOMPARE(tagged, (QStringList{u"beta=2.0.0-beta.1"_s, u"latest=1.1.0"_s}));
    QCOMPARE(changed.count(), 3);
    QCOMPARE(blobFiles().size(), 3);
}

void tst_PackageService::publishRefused_data()
{
    // Setup steps: "publish <project> <name> <version>", "rule <pattern> <maintainer|owner>",
    // "max <bytes>". Request changes: "project <path>", "name <n>", "version <v>", "tag <t>",
    // "empty tarball", "json <characters>", "sha1 wrong", "sha512 wrong", "deploy token",
    // "extra fails".
    QTest::addColumn<QStringList>("setup");
    QTest::addColumn<QStringList>("change");
    QTest::addColumn<Error::Code>("code");
    QTest::addColumn<QString>("message");

    const auto Invalid = Error::Code::Invalid;
    const auto Forbidden = Error::Code::Forbidden;
    const QString existing = u"publish acme/a @acme/widget 1.0.0"_s;

    QTest::addRow("version empty (before the attachment)")
        << QStringList{} << QStringList{u"version "_s, u"empty tarball"_s} << Invalid
        << u"Version is empty."_s;
    QTest::addRow("version blank")
        << QStringList{} << QStringList{u"version  "_s} << Invalid << u"Version is empty."_s;
    QTest::addRow("attachment empty (before the duplicate)")
        << QStringList{existing} << QStringList{u"empty tarball"_s} << Invalid
        << u"Attachment data is empty."_s;
    QTest::addRow("duplicate in the project (before protection and size)")
        << QStringList{existing, u"rule * owner"_s, u"max 10"_s} << QStringList{} << Forbidden
        << u"Package already exists."_s;
    QTest::addRow("duplicate by a deploy token")
        << QStringList{existing} << QStringList{u"deploy token"_s} << Forbidden
        << u"Package already exists."_s;
    QTest::addRow("protected (before size)")
        << QStringList{u"rule @acme/* maintainer"_s, u"max 10"_s} << QStringList{} << Forbidden
        << u"Package protected."_s;
    QTest::addRow("protected, case-insensitive glob")
        << QStringList{u"rule @ACME/WID* maintainer"_s} << QStringList{} << Forbidden
        << u"Package protected."_s;
    QTest::addRow("protected against a deploy token")
        << QStringList{u"rule @acme/widget maintainer"_s} << QStringList{u"deploy token"_s}
        << Forbidden << u"Package protected."_s;
    QTest::addRow("too large (before the name)")
        << QStringList{u"max 10"_s} << QStringList{u"name @acme/a b"_s} << Invalid
        << u"File is too large."_s;
    QTest::addRow("invalid name (before the version)")
        << QStringList{} << QStringList{u"name @acme/a b"_s, u"version 1.0"_s} << Invalid
        << InvalidName;
    QTest::addRow("name with a sub path")
        << QStringList{} << QStringList{u"name @acme/sub/pkg"_s} << Invalid << InvalidName;
    QTest::addRow("name with two @")
        << QStringList{} << QStringList{u"name @inv@lid-scope/pkg"_s} << Invalid << InvalidName;
    QTest::addRow("name with dot dot")
        << QStringList{} << QStringList{u"name @acme/../../pkg"_s} << Invalid << InvalidName;
    QTest::addRow("name empty") << QStringList{} << QStringList{u"name "_s} << Invalid
                                << InvalidName;
    QTest::addRow("version 1.0") << QStringList{} << QStringList{u"version 1.0"_s} << Invalid
                                 << InvalidVersion;
    QTest::addRow("version 1") << QStringList{} << QStringList{u"version 1"_s} << Invalid
                               << InvalidVersion;
    QTest::addRow("version with v")
        << QStringList{} << QStringList{u"version v1.0.0"_s} << Invalid << InvalidVersion;
    QTest::addRow("version with a path")
        << QStringList{} << QStringList{u"version ../../../../../1.2.3"_s} << Invalid
        << InvalidVersion;
    QTest::addRow("version 1./2.3")
        << QStringList{} << QStringList{u"version 1./2.3"_s} << Invalid << InvalidVersion;
    QTest::addRow("version with a leading zero")
        << QStringList{} << QStringList{u"version 01.2.3"_s} << Invalid << InvalidVersion;
    QTest::addRow("dist-tag that is a range")
        << QStringList{} << QStringList{u"tag 1.x"_s} << Invalid << u"Invalid dist-tag 1.x"_s;
    QTest::addRow("naming convention: same version in a sibling project")
        << QStringList{existing} << QStringList{u"project acme/b"_s} << Invalid
        << u"Validation failed: Package already exists"_s;
    QTest::addRow("naming convention: same version in a subgroup's project")
        << QStringList{existing} << QStringList{u"project acme/team/c"_s} << Invalid
        << u"Validation failed: Package already exists"_s;
    QTest::addRow("naming convention (before the package.json size)")
        << QStringList{u"publish acme/team/c @acme/widget 1.0.0"_s}
        << QStringList{u"project acme/a"_s, u"json 25000"_s} << Invalid
        << u"Validation failed: Package already exists"_s;
    QTest::addRow("package.json too large")
        << QStringList{} << QStringList{u"json 20100"_s} << Invalid << TooLarge;
    QTest::addRow("package.json far too large")
        << QStringList{} << QStringList{u"json 500000"_s} << Invalid << TooLarge;
    QTest::addRow("caller's validation fails (after GitLab's)")
        << QStringList{} << QStringList{u"extra fails"_s} << Invalid << u"extra check failed"_s;
    QTest::addRow("sha1 mismatch") << QStringList{} << QStringList{u"sha1 wrong"_s} << Invalid
                                   << u"The tarball's SHA-1 does not match dist.shasum"_s;
    QTest::addRow("sha512 mismatch") << QStringList{} << QStringList{u"sha512 wrong"_s} << Invalid
                                     << u"The tarball's SHA-512 does not match dist.integrity"_s;
}

void tst_PackageService::publishRefused()
{
    QFETCH(QStringList, setup);
    QFETCH(QStringList, change);
    QFETCH(Error::Code, code);
    QFETCH(QString, message);

    PackageService &packages = m_fixture->packages();
    for (const QString &step : std::as_const(setup)) {
        const QStringList words = step.split(u' ');
        if (words.first() == u"publish"_s) {
            QVERIFY_RESULT(publishAs(words.at(1), words.at(2), words.at(3)));
        } else if (words.first() == u"rule"_s) {
            QVERIFY_RESULT(m_fixture->settings().addProtectionRule(
                projectId(u"acme/a"_s), words.at(1), *accessLevelFromName(words.at(2))));
        } else if (words.first() == u"max"_s) {
            packages.setMaxFileSize(words.at(1).toLongLong());
        }
    }

    // Different bytes from anything published in the setup, so a stray blob would show.
    PackageService::PublishRequest req =
        request(u"acme/a"_s, u"@acme/widget"_s, u"1.0.0"_s, u"refused"_s);
    for (const QString &step : std::as_const(change)) {
        const QString argument = step.section(u' ', 1);
        if (step.startsWith(u"project "_s)) {
            req.projectId = projectId(argument);
        } else if (step.startsWith(u"name "_s)) {
            req.name = argument;
        } else if (step.startsWith(u"version "_s)) {
            req.version = argument;
        } else if (step.startsWith(u"tag "_s)) {
            req.distTag = argument;
        } else if (step == u"empty tarball"_s) {
            req.tarball.clear();
        } else if (step.startsWith(u"json "_s)) {
            const QJsonObject padding{{u"description"_s, QString(argument.toInt(), u'x')}};
            req.packageJson = TestSupport::packageJson(req.name, req.version, padding);
        } else if (step == u"sha1 wrong"_s) {
            req.expectedSha1 = QString(40, u'0');
            req.expectedSha512 = hex(req.tarball, QCryptographicHash::Sha512);
        } else if (step == u"sha512 wrong"_s) {
            req.expectedSha1 = hex(req.tarball, QCryptographicHash::Sha1);
            req.expectedSha512 = QString(128, u'0');
        } else if (step == u"deploy token"_s) {
            req.publisher = m_deployToken;
        } else if (step == u"extra fails"_s) {
            req.extraValidation = [] {
                return Result<void>(Error::invalid(u"extra check failed"_s));
            };
        }
    }

    const QString databaseBefore = dump();
    const QStringList blobsBefore = blobFiles();
    QSignalSpy changed(&m_fixture->events(), &Events::packageChanged);
    QCOMPARE_ERROR(packages.publish(req), code, message);
    QCOMPARE(changed.count(), 0);
    QCOMPARE(dump(), databaseBefore);
    QCOMPARE(blobFiles(), blobsBefore);
}

void tst_PackageService::publishAllowed_data()
{
    QTest::addColumn<QString>("existing"); // "<project> <name> <version>" or ""
    QTest::addColumn<QString>("project");
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("version");
    QTest::addColumn<int>("jsonCharacters");

    QTest::addRow("scope is not the root group")
        << u"acme/a @other/widget 1.0.0"_s << u"acme/b"_s << u"@other/widget"_s << u"1.0.0"_s << 0;
    QTest::addRow("another root group")
        << u"acme/a @acme/widget 1.0.0"_s << u"other/p"_s << u"@acme/widget"_s << u"1.0.0"_s << 0;
    QTest::addRow("another version in a sibling project")
        << u"acme/a @acme/widget 1.0.0"_s << u"acme/b"_s << u"@acme/widget"_s << u"1.0.1"_s << 0;
    QTest::addRow("unscoped in a sibling project")
        << u"acme/a widget 1.0.0"_s << u"acme/b"_s << u"widget"_s << u"1.0.0"_s << 0;
    QTest::addRow("scope differs in case from the root group")
        << u"acme/a @ACME/widget 1.0.0"_s << u"acme/b"_s << u"@ACME/widget"_s << u"1.0.0"_s << 0;
    QTest::addRow("same version of another name")
        << u"acme/a @acme/widget 1.0.0"_s << u"acme/a"_s << u"@acme/gadget"_s << u"1.0.0"_s << 0;
    QTest::addRow("prerelease and build")
        << QString() << u"acme/a"_s << u"@acme/widget"_s << u"1.0.0-rc.1+build.5"_s << 0;
    QTest::addRow("upper case name")
        << QString() << u"acme/a"_s << u"@acme/Widget"_s << u"1.0.0"_s << 0;
    QTest::addRow("package.json of 19000 characters")
        << QString() << u"acme/a"_s << u"@acme/widget"_s << u"1.0.0"_s << 19000;
}

void tst_PackageService::publishAllowed()
{
    QFETCH(QString, existing);
    QFETCH(QString, project);
    QFETCH(QString, name);
    QFETCH(QString, version);
    QFETCH(int, jsonCharacters);

    if (!existing.isEmpty()) {
        const QStringList words = existing.split(u' ');
        QVERIFY_RESULT(publishAs(words.at(0), words.at(1), words.at(2)));
    }
    PackageService::PublishRequest req = request(project, name, version, u"allowed"_s);
    if (jsonCharacters) {
        req.packageJson = TestSupport::packageJson(
            name, version, {{u"description"_s, QString(jsonCharacters, u'x')}});
    }
    // Upper-case hex digests are accepted.
    req.expectedSha1 = hex(req.tarball, QCryptographicHash::Sha1).toUpper();
    QVERIFY_RESULT(m_fixture->packages().publish(req));
    QVERIFY_RESULT(m_fixture->packages().store().packageVersion(req.projectId, name, version));
}

void tst_PackageService::concurrentPublishOneWins()
{
    // Several threads publish the same version with different bytes: one row, one blob, one event.
    constexpr int Threads = 6;
    QList<PackageService::PublishRequest> requests;
    for (int i = 0; i < Threads; ++i) {
        requests.append(request(u"acme/a"_s, u"@acme/widget"_s, u"1.0.0"_s, u"thread %1"_s.arg(i)));
    }
    QSignalSpy changed(&m_fixture->events(), &Events::packageChanged);
    QList<std::optional<Result<Package>>> results(Threads);
    QList<QThread *> threads;
    std::atomic<int> ready{0};
    for (int i = 0; i < Threads; ++i) {
        threads.append(QThread::create([&, i] {
            ++ready;
            while (ready < Threads) {
                QThread::yieldCurrentThread();
            }
            results[i] = m_fixture->packages().publish(requests.at(i));
        }));
    }
    for (QThread *thread : std::as_const(threads)) {
        thread->start();
    }
    for (QThread *thread : std::as_const(threads)) {
        QVERIFY(thread->wait(60000));
        delete thread;
    }
    int winners = 0;
    QString winningSha512;
    for (const auto &result : std::as_const(results)) {
        QVERIFY(result.has_value());
        if (result->has_value()) {
            ++winners;
            winningSha512 = (*result)->sha512;
        } else {
            QCOMPARE((*result).error().code, Error::Code::Forbidden);
            QCOMPARE((*result).error().message, u"Package already exists."_s);
        }
    }
    QCOMPARE(winners, 1);
    QCOMPARE(*m_fixture->packages().store().packageCount(), 1);
    QCOMPARE(changed.count(), 1);
    // A loser that got past the first "already exists" check stored its blob before the lock;
    // it is left to the sweep (another publish of the same bytes might have been about to
    // commit), and once past the grace it goes. How many got that far depends on timing.
    const Result<int> swept = m_fixture->sweepOrphanBlobs(0);
    QVERIFY(swept);
    QVERIFY2(*swept <= Threads - 1, qPrintable(QString::number(*swept)));
    QCOMPARE(
        blobFiles(),
        QStringList{
            QDir(m_fixture.blobRoot()).relativeFilePath(m_fixture->blobs().pathOf(winningSha512))});
}

void tst_PackageService::distTags_data()
{
    // Steps run in order on @acme/widget in acme/a, which has 1.0.0 and 2.0.0 (latest = 2.0.0):
    // "set <tag> <version>", "remove <tag>"; the last step's outcome is checked.
    QTest::addColumn<QStringList>("steps");
    QTest::addColumn<QString>("packageName");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<Error::Code>("code");
    QTest::addColumn<QString>("message");
    QTest::addColumn<QStringList>("expected"); // tags afterwards, "tag=version", sorted

    const QStringList initial = {u"latest=2.0.0"_s};
    const QString widget = u"@acme/widget"_s;
    const auto add = [&](const char *name, const QStringList &steps, const QStringList &expected) {
        QTest::addRow("%s", name) << steps << widget << true << Error::Code::Invalid << QString()
                                  << expected;
    };
    const auto refuse =
        [&](const char *name, const QString &step, Error::Code code, const QString &message) {
            QTest::addRow("%s", name)
                << QStringList{step} << widget << false << code << message << initial;
        };
    add("set a new tag", {u"set next 1.0.0"_s}, {u"latest=2.0.0"_s, u"next=1.0.0"_s});
    add("move latest back", {u"set latest 1.0.0"_s}, {u"latest=1.0.0"_s});
    add("move a tag twice",
        {u"set next 1.0.0"_s, u"set next 2.0.0"_s},
        {u"latest=2.0.0"_s, u"next=2.0.0"_s});
    add("set then remove", {u"set next 1.0.0"_s, u"remove next"_s}, {u"latest=2.0.0"_s});
    add("remove latest", {u"remove latest"_s}, {});
    add("tag with dash and digits",
        {u"set release-candidate-2 1.0.0"_s},
        {u"latest=2.0.0"_s, u"release-candidate-2=1.0.0"_s});
    add("tag with underscore and dot",
        {u"set stable_v.two 1.0.0"_s},
        {u"latest=2.0.0"_s, u"stable_v.two=1.0.0"_s});
    refuse(
        "remove unknown tag", u"remove nope"_s, Error::Code::NotFound, u"Package tag not found"_s);
    refuse("set on unknown version",
           u"set next 9.9.9"_s,
           Error::Code::NotFound,
           u"Package not found"_s);
    for (const QString &tag : {u"1.0.0"_s,
                               u"^1.0.0"_s,
                               u"~1.2"_s,
                               u"1.x"_s,
                               u"v1"_s,
                               u">=1"_s,
                               u"*"_s,
                               u"a/b"_s,
                               u"a b"_s,
                               u"a%2fb"_s,
                               u"a\\b"_s,
                               u"caf\u00e9"_s,
                               QString(256, u't')}) {
        QTest::addRow("invalid tag \"%s\"", qPrintable(tag.left(20)))
            << QStringList{u"set "_s + tag + u" 1.0.0"_s} << widget << false << Error::Code::Invalid
            << u"Invalid dist-tag %1: a tag cannot be a semver range"_s.arg(tag) << initial;
    }
    QTest::addRow("invalid tag \"\"")
        << QStringList{u"set  1.0.0"_s} << widget << false << Error::Code::Invalid
        << u"Invalid dist-tag : a tag cannot be a semver range"_s << initial;
    QTest::addRow("unknown package") << QStringList{u"set next 1.0.0"_s} << u"@acme/nope"_s << false
                                     << Error::Code::NotFound << u"Package not found"_s << initial;
    QTest::addRow("remove on unknown package")
        << QStringList{u"remove latest"_s} << u"@acme/nope"_s << false << Error::Code::NotFound
        << u"Package tag not found"_s << initial;
}

void tst_PackageService::distTags()
{
    QFETCH(QStringList, steps);
    QFETCH(QString, packageName);
    QFETCH(bool, ok);
    QFETCH(Error::Code, code);
    QFETCH(QString, message);
    QFETCH(QStringList, expected);

    QVERIFY_RESULT(publishAs(u"acme/a"_s, u"@acme/widget"_s, u"1.0.0"_s));
    QVERIFY_RESULT(publishAs(u"acme/a"_s, u"@acme/widget"_s, u"2.0.0"_s));
    const qint64 project = projectId(u"acme/a"_s);
    PackageService &packages = m_fixture->packages();
    QSignalSpy changed(&m_fixture->events(), &Events::packageChanged);

    for (qsizetype i = 0; i < steps.size(); ++i) {
        const QString &step = steps.at(i);
        const bool last = i == steps.size() - 1;
        const QString before = dump();
        const int eventsBefore = int(changed.count());
        Result<void> result;
        if (step.startsWith(u"set "_s)) {
            // "set <tag> <version>"; the tag may be empty ("set  1.0.0").
            const QString tag = step.mid(4, step.lastIndexOf(u' ') - 4);
            result = packages.setDistTag(project, packageName, tag, step.section(u' ', -1));
        } else {
            result = packages.removeDistTag(project, packageName, step.mid(7));
        }
        if (last && !ok) {
            QCOMPARE_ERROR(result, code, message);
            QCOMPARE(changed.count(), eventsBefore);
            QCOMPARE(dump(), before);
        } else {
            QVERIFY_RESULT(result);
            QCOMPARE(changed.count(), eventsBefore + 1);
            QCOMPARE(changed.last().at(0).toLongLong(), project);
            QCOMPARE(changed.last().at(1).toString(), packageName);
        }
    }
    QStringList tags;
    const QList<DistTag> tagList2 = *packages.store().distTags(project, u"@acme/widget"_s);
    for (const DistTag &tag : tagList2) {
        tags.append(tag.tag + u'=' + tag.version);
    }
    tags.sort();
    QCOMPARE(tags, expected);
}

void tst_PackageService::deprecate()
{
    QVERIFY_RESULT(publishAs(u"acme/a"_s, u"@acme/widget"_s, u"1.0.0"_s));
    QVERIFY_RESULT(publishAs(u"acme/a"_s, u"@acme/widget"_s, u"2.0.0"_s));
    QVERIFY_RESULT(publishAs(u"acme/b"_s, u"@acme/widget"_s, u"1.0.1"_s));
    const qint64 project = projectId(u"acme/a"_s);
    PackageService &packages = m_fixture->packages();
    QSignalSpy changed(&m_fixture->events(), &Events::packageChanged);
    const auto stored = [&](const QString &version) {
        return *packages.store().packageVersion(project, u"@acme/widget"_s, version);
    };
    const auto deprecation = [&](const QString &version) {
        return QJsonDocument::fromJson(stored(version).packageJson).object().value(u"deprecated"_s);
    };

    // Versions the project does not have (9.9.9, and 1.0.1 of acme/b) are ignored.
    Result<QStringList> result =
        packages.deprecate(project,
                           u"@acme/widget"_s,
                           {{u"1.0.0"_s, u"use 2"_s}, {u"9.9.9"_s, u"x"_s}, {u"1.0.1"_s, u"x"_s}});
    QVERIFY_RESULT(result);
    QCOMPARE(*result, QStringList{u"1.0.0"_s});
    QCOMPARE(changed.count(), 1);
    QCOMPARE(stored(u"1.0.0"_s).status, PackageStatus::Deprecated);
    QCOMPARE(deprecation(u"1.0.0"_s).toString(), u"use 2"_s);
    QCOMPARE(stored(u"2.0.0"_s).status, PackageStatus::Default);
    QVERIFY(deprecation(u"2.0.0"_s).isUndefined());
    QCOMPARE(packages.store()
                 .packageVersion(projectId(u"acme/b"_s), u"@acme/widget"_s, u"1.0.1"_s)
                 ->status,
             PackageStatus::Default);
    // The rest of package.json is kept.
    QCOMPARE(QJsonDocument::fromJson(stored(u"1.0.0"_s).packageJson).object().value(u"name"_s),
             u"@acme/widget"_s);

    // The same message again changes nothing and tells nobody.
    QString before = dump();
    result = packages.deprecate(project, u"@acme/widget"_s, {{u"1.0.0"_s, u"use 2"_s}});
    QVERIFY_RESULT(result);
    QVERIFY(result->isEmpty());
    QCOMPARE(changed.count(), 1);
    QCOMPARE(dump(), before);

    // A new message replaces the old one.
    result = packages.deprecate(
        project, u"@acme/widget"_s, {{u"1.0.0"_s, u"use 3"_s}, {u"2.0.0"_s, u"use 3"_s}});
    QVERIFY_RESULT(result);
    QCOMPARE(*result, (QStringList{u"1.0.0"_s, u"2.0.0"_s}));
    QCOMPARE(changed.count(), 2);
    QCOMPARE(deprecation(u"1.0.0"_s).toString(), u"use 3"_s);

    // "" undeprecates: the key goes, the status is back to default.
    result = packages.deprecate(project, u"@acme/widget"_s, {{u"1.0.0"_s, QString()}});
    QVERIFY_RESULT(result);
    QCOMPARE(*result, QStringList{u"1.0.0"_s});
    QCOMPARE(changed.count(), 3);
    QCOMPARE(stored(u"1.0.0"_s).status, PackageStatus::Default);
    QVERIFY(deprecation(u"1.0.0"_s).isUndefined());
    QCOMPARE(stored(u"2.0.0"_s).status, PackageStatus::Deprecated);

    // Undeprecating what is not deprecated, or an unknown package: nothing changes.
    before = dump();
    result = packages.deprecate(project, u"@acme/widget"_s, {{u"1.0.0"_s, QString()}});
    QVERIFY_RESULT(result);
    QVERIFY(result->isEmpty());
    result = packages.deprecate(project, u"@acme/nope"_s, {{u"1.0.0"_s, u"x"_s}});
    QVERIFY_RESULT(result);
    QVERIFY(result->isEmpty());
    QCOMPARE(changed.count(), 3);
    QCOMPARE(dump(), before);

    // Published with a deprecation in package.json: deprecated from the start.
    PackageService::PublishRequest req = request(u"acme/a"_s, u"@acme/widget"_s, u"3.0.0"_s);
    req.packageJson =
        TestSupport::packageJson(req.name, req.version, {{u"deprecated"_s, u"do not use"_s}});
    QCOMPARE(packages.publish(req)->status, PackageStatus::Deprecated);
}

void tst_PackageService::unpublish()
{
    PackageService &packages = m_fixture->packages();
    const qint64 a = projectId(u"acme/a"_s);
    const qint64 b = projectId(u"acme/b"_s);
    const Result<Package> one = publishAs(u"acme/a"_s, u"@acme/widget"_s, u"1.0.0"_s);
    QVERIFY_RESULT(one);
    const Result<Package> two = publishAs(u"acme/a"_s, u"@acme/widget"_s, u"2.0.0"_s);
    QVERIFY_RESULT(two);
    QVERIFY_RESULT(packages.setDistTag(a, u"@acme/widget"_s, u"stable"_s, u"1.0.0"_s));
    // The same bytes in two projects share one blob.
    const Result<Package> sharedA = publishAs(u"acme/a"_s, u"shared"_s, u"1.0.0"_s);
    QVERIFY_RESULT(sharedA);
    const Result<Package> sharedB = publishAs(u"acme/b"_s, u"shared"_s, u"1.0.0"_s);
    QVERIFY_RESULT(sharedB);
    QCOMPARE(sharedA->sha512, sharedB->sha512);
    BlobStore &blobs = m_fixture->blobs();
    QCOMPARE(blobFiles().size(), 3);
    QSignalSpy changed(&m_fixture->events(), &Events::packageChanged);

    // Unknown versions and packages: NotFound, nothing changes.
    const QString before = dump();
    QCOMPARE_ERROR(packages.unpublishVersion(a, u"@acme/widget"_s, u"9.9.9"_s),
                   Error::Code::NotFound,
                   u"Package not found"_s);
    QCOMPARE_ERROR(packages.unpublishVersion(b, u"@acme/widget"_s, u"1.0.0"_s),
                   Error::Code::NotFound,
                   u"Package not found"_s);
    QCOMPARE_ERROR(packages.unpublishPackage(a, u"@acme/nope"_s),
                   Error::Code::NotFound,
                   u"Package not found"_s);
    QCOMPARE(changed.count(), 0);
    QCOMPARE(dump(), before);
    QCOMPARE(blobFiles().size(), 3);

    // One version: its row, its tags and its blob go; the other version stays.
    QVERIFY_RESULT(packages.unpublishVersion(a, u"@acme/widget"_s, u"2.0.0"_s));
    QCOMPARE(changed.count(), 1);
    QVERIFY(!packages.store().packageVersion(a, u"@acme/widget"_s, u"2.0.0"_s));
    QVERIFY(!blobs.contains(two->sha512));
    QVERIFY(blobs.contains(one->sha512));
    const Result<QList<DistTag>> tags = packages.store().distTags(a, u"@acme/widget"_s);
    QVERIFY_RESULT(tags);
    QCOMPARE(tags->size(), 1); // "latest" pointed at 2.0.0 and went with it
    QCOMPARE(tags->first().tag, u"stable"_s);

    // A blob another row still uses is kept.
    QVERIFY_RESULT(packages.unpublishVersion(a, u"shared"_s, u"1.0.0"_s));
    QVERIFY(blobs.contains(sharedB->sha512));
    QCOMPARE(*blobs.read(sharedB->sha512), tarball(u"shared"_s, u"1.0.0"_s));
    QVERIFY_RESULT(packages.unpublishPackage(b, u"shared"_s));
    QVERIFY(!blobs.contains(sharedB->sha512));

    // The whole package: every version, every tag, every blob.
    QVERIFY_RESULT(publishAs(u"acme/a"_s, u"@acme/widget"_s, u"3.0.0"_s));
    QVERIFY_RESULT(packages.unpublishPackage(a, u"@acme/widget"_s));
    QVERIFY(packages.store().packagesInProject(a, u"@acme/widget"_s)->isEmpty());
    QVERIFY(packages.store().distTags(a, u"@acme/widget"_s)->isEmpty());
    QCOMPARE(*packages.store().packageCount(), 0);
    QCOMPARE(blobFiles(), QStringList());
    QCOMPARE(changed.count(), 5);
}

void tst_PackageService::blobStore()
{
    BlobStore &blobs = m_fixture->blobs();
    const QByteArray bytes = tarball(u"@acme/widget"_s, u"1.0.0"_s);
    const Result<QString> first = blobs.put(bytes);
    QVERIFY_RESULT(first);
    QCOMPARE(*first, hex(bytes, QCryptographicHash::Sha512));
    QVERIFY(blobs.contains(*first));
    QCOMPARE(*blobs.put(bytes), *first); // same content, same file
    QCOMPARE(blobFiles().size(), 1);
    QCOMPARE(*blobs.read(*first), bytes);
    QVERIFY(blobs.pathOf(*first).startsWith(m_fixture.blobRoot() + u"/sha512/"_s));

    const QString missing = hex("missing", QCryptographicHash::Sha512);
    QVERIFY(!blobs.contains(missing));
    QCOMPARE(blobs.read(missing).error().code, Error::Code::NotFound);
    QCOMPARE(blobs.read(u"../trove.sqlite"_s).error().code, Error::Code::Invalid);
    QVERIFY(!blobs.contains(u"../trove.sqlite"_s));
    QVERIFY_RESULT(blobs.remove(missing));
    QCOMPARE(blobs.remove(u"x"_s).error().code, Error::Code::Invalid);
    QVERIFY_RESULT(blobs.remove(*first));
    QVERIFY(!blobs.contains(*first));
    QCOMPARE(blobFiles(), QStringList());

    // An empty blob is a blob too.
    const Result<QString> empty = blobs.put({});
    QVERIFY_RESULT(empty);
    QCOMPARE(*blobs.read(*empty), QByteArray());
}

// A blob is renamed into place before it is synced (docs/architecture.md §4), so a crash in
// between can leave its name with no bytes or some of them. Storing the same content again must
// not take that file for the blob: put() and a publish replace it, and the row's tarball is whole.
void tst_PackageService::damagedBlobReplaced()
{
    BlobStore &blobs = m_fixture->blobs();
    const QByteArray bytes = tarball(u"@acme/widget"_s, u"1.0.0"_s);
    const QString digest = hex(bytes, QCryptographicHash::Sha512);
    const auto damage = [&](const QByteArray &left) {
        QFile file(blobs.pathOf(digest));
        QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        QCOMPARE(file.write(left), left.size());
    };

    damage(QByteArray());
    QCOMPARE(*blobs.read(digest), QByteArray()); // the name is there, its bytes are not
    QCOMPARE(blobs.put(bytes).value_or(QString()), digest);
    QCOMPARE(*blobs.read(digest), bytes);

    damage(bytes.left(bytes.size() / 2));
    PackageService::PublishRequest req = request(u"acme/a"_s, u"@acme/widget"_s, u"1.0.0"_s);
    QCOMPARE(hex(req.tarball, QCryptographicHash::Sha512), digest);
    const Result<Package> published = m_fixture->packages().publish(req);
    QVERIFY_RESULT(published);
    QCOMPARE(*blobs.read(published->sha512), bytes);
    QCOMPARE(blobFiles().size(), 1);

    // A whole blob is taken as it is: the same file (inode), not a copy.
    const auto inode = [&] {
        struct stat status = {};
        return ::stat(QFile::encodeName(blobs.pathOf(digest)).constData(), &status) == 0
            ? qint64(status.st_ino)
            : qint64(-1);
    };
    const qint64 before = inode();
    QVERIFY(before > 0);
    QCOMPARE(blobs.put(bytes).value_or(QString()), digest);
    QCOMPARE(inode(), before);
    QCOMPARE(blobFiles().size(), 1);
}

void tst_PackageService::isDigest_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("expected");
    QTest::addRow("sha512 hex") << hex("x", QCryptographicHash::Sha512) << true;
    QTest::addRow("upper case") << hex("x", QCryptographicHash::Sha512).toUpper() << false;
    QTest::addRow("sha1 hex") << hex("x", QCryptographicHash::Sha1) << false;
    QTest::addRow("one short") << hex("x", QCryptographicHash::Sha512).chopped(1) << false;
    QTest::addRow("not hex") << QString(128, u'g') << false;
    QTest::addRow("path") << u"../"_s + QString(125, u'a') << false;
    QTest::addRow("empty") << QString() << false;
}

void tst_PackageService::isDigest()
{
    QFETCH(QString, text);
    QFETCH(bool, expected);
    QCOMPARE(BlobStore::isDigest(text), expected);
}

void tst_PackageService::sweep()
{
    const Result<Package> kept = publishAs(u"acme/a"_s, u"@acme/widget"_s, u"1.0.0"_s);
    QVERIFY_RESULT(kept);
    BlobStore &blobs = m_fixture->blobs();
    const Result<QString> orphan = blobs.put(tarball(u"@acme/orphan"_s, u"1.0.0"_s));
    QVERIFY_RESULT(orphan);
    // What a crash leaves: QSaveFile's temporary file next to a blob, and strays.
    const QString keptPath = blobs.pathOf(kept->sha512);
    const QString dir = QFileInfo(keptPath).absolutePath();
    const QString misplaced = m_fixture.blobRoot() + u"/sha512/00/00/"_s + *orphan;
    QVERIFY(QDir().mkpath(QFileInfo(misplaced).absolutePath()));
    for (const QString &path : QStringList{keptPath + u".aBc123"_s,
                                           dir + u"/.hidden"_s,
                                           dir + u"/"_s + kept->sha512.toUpper(),
                                           misplaced}) {
        QFile file(path);
        QVERIFY2(file.open(QIODevice::WriteOnly), qPrintable(path));
        file.write("half");
    }
    // And a staging file of an upload that never finished.
    const QString staging = *blobs.stagingDir() + u"/upload-abc"_s;
    {
        QFile file(staging);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("half");
    }
    QCOMPARE(blobFiles().size(), 7);

    const QString before = dump();
    // Young files may be blobs whose rows are about to be committed: the grace keeps them.
    QCOMPARE(*m_fixture->sweepOrphanBlobs(), 0);
    QCOMPARE(blobFiles().size(), 7);
    // Once older than the grace, every unreferenced file goes.
    for (const QString &file : blobFiles()) {
        QFile aged(QDir(m_fixture.blobRoot()).filePath(file));
        QVERIFY(aged.open(QIODevice::ReadWrite));
        QVERIFY(aged.setFileTime(
            QDateTime::currentDateTime().addSecs(-BlobStore::SweepGraceSeconds - 60),
            QFileDevice::FileModificationTime));
    }
    const Result<int> swept = m_fixture->sweepOrphanBlobs();
    QVERIFY_RESULT(swept);
    QCOMPARE(*swept, 6);
    QCOMPARE(blobFiles(), QStringList{QDir(m_fixture.blobRoot()).relativeFilePath(keptPath)});
    QCOMPARE(*blobs.read(kept->sha512), tarball(u"@acme/widget"_s, u"1.0.0"_s));
    QCOMPARE(dump(), before);

    // Nothing left to sweep.
    QCOMPARE(*m_fixture->sweepOrphanBlobs(), 0);
}

void tst_PackageService::sweepOnOpen()
{
    const Result<Package> kept = publishAs(u"acme/a"_s, u"@acme/widget"_s, u"1.0.0"_s);
    QVERIFY_RESULT(kept);
    const Result<QString> orphan = m_fixture->blobs().put(tarball(u"@acme/orphan"_s, u"1.0.0"_s));
    QVERIFY_RESULT(orphan);
    QFile aged(m_fixture->blobs().pathOf(*orphan));
    QVERIFY(aged.open(QIODevice::ReadWrite));
    QVERIFY(
        aged.setFileTime(QDateTime::currentDateTime().addSecs(-BlobStore::SweepGraceSeconds - 60),
                         QFileDevice::FileModificationTime));
    aged.close();
    QVERIFY2(m_fixture.reopen(), qPrintable(m_fixture.error()));
    QVERIFY(m_fixture->blobs().contains(kept->sha512));
    QVERIFY(!m_fixture->blobs().contains(*orphan));
}

void tst_PackageService::blobLayout()
{
    // Every first-level folder exists before the first publish, so storing a blob never has to
    // create (and sync) a folder chain.
    const QStringList folders =
        QDir(m_fixture.blobRoot() + u"/sha512"_s).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    QCOMPARE(folders.size(), 256);
    QCOMPARE(folders.first(), u"00"_s);
    QCOMPARE(folders.last(), u"ff"_s);
    const Result<Package> published = publishAs(u"acme/a"_s, u"@acme/widget"_s, u"1.0.0"_s);
    QVERIFY_RESULT(published);
    QCOMPARE(m_fixture->blobs().pathOf(published->sha512),
             m_fixture.blobRoot() + u"/sha512/"_s + published->sha512.left(2) + u'/'
                 + published->sha512);
    QCOMPARE(QDir(m_fixture.blobRoot() + u"/sha512"_s).entryList(QDir::Dirs | QDir::NoDotAndDotDot),
             folders);
}

void tst_PackageService::legacyLayoutMoved()
{
    // A store written before the flat layout: blobs one folder deeper, no record of the layout.
    QStringList digests;
    for (const QString &name : {u"@acme/one"_s, u"@acme/two"_s}) {
        const Result<Package> published = publishAs(u"acme/a"_s, name, u"1.0.0"_s);
        QVERIFY_RESULT(published);
        digests.append(published->sha512);
    }
    const QString top = m_fixture.blobRoot() + u"/sha512/"_s;
    for (const QString &digest : std::as_const(digests)) {
        const QString legacy = top + digest.left(2) + u'/' + digest.mid(2, 2);
        QVERIFY(QDir().mkpath(legacy));
        QVERIFY(QFile::rename(m_fixture->blobs().pathOf(digest), legacy + u'/' + digest));
    }
    // A file that is no blob of that folder stays where it is, for the sweep to judge.
    const QString stray = top + u"00/11/"_s + QString(128, u'2');
    QVERIFY(QDir().mkpath(QFileInfo(stray).absolutePath()));
    {
        QFile file(stray);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("stray");
    }
    {
        QSqlQuery forget(m_fixture.connection());
        QVERIFY(forget.exec(u"DELETE FROM meta WHERE key = 'blob_layout'"_s));
    }
    QVERIFY(!m_fixture->blobs().contains(digests.first()));

    QVERIFY2(m_fixture.reopen(), qPrintable(m_fixture.error()));
    for (const QString &digest : std::as_const(digests)) {
        QVERIFY(m_fixture->blobs().contains(digest));
        const Result<QByteArray> bytes = m_fixture->blobs().read(digest);
        QVERIFY_RESULT(bytes);
        QCOMPARE(QString::fromLatin1(
                     QCryptographicHash::hash(*bytes, QCryptographicHash::Sha512).toHex()),
                 digest);
        QVERIFY(!QFileInfo::exists(top + digest.left(2) + u'/' + digest.mid(2, 2)));
    }
    QVERIFY(QFileInfo::exists(stray));
    QStringList expected{u"sha512/00/11/"_s + QString(128, u'2')};
    for (const QString &digest : std::as_const(digests)) {
        expected.append(u"sha512/"_s + digest.left(2) + u'/' + digest);
    }
    expected.sort();
    QStringList files = blobFiles();
    files.sort();
    QCOMPARE(files, expected);
}

// A project of 20,000 packages: reading one name's versions is an index lookup, not a walk over
// the project, so the check of every stored tarball (`trove check`, and `trove serve` at start)
// reads them all in seconds. (Walking the project per name took 42 ms a name at 100,000
// packages: over an hour for the check.)
void tst_PackageService::manyPackagesInOneProject()
{
    constexpr int Count = 20000;
    QVERIFY_RESULT(publishAs(u"acme/a"_s, u"@acme/template"_s, u"1.0.0"_s));
    {
        QSqlQuery copy(m_fixture.connection());
        QVERIFY2(copy.exec(u"INSERT INTO packages (project_id, name, version, status, package_json,"
                           " sha1, sha512, size, publisher, publisher_user_id, created_at,"
                           " updated_at)"
                           " WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n"
                           " WHERE i < %1)"
                           " SELECT p.project_id, '@acme/s' || CAST(n.i AS TEXT), p.version,"
                           " p.status, p.package_json, p.sha1, p.sha512, p.size, p.publisher,"
                           " p.publisher_user_id, p.created_at, p.updated_at"
                           " FROM n, packages p WHERE p.name = '@acme/template'"_s.arg(Count)),
                 qPrintable(copy.lastError().text()));
    }
    const Result<QList<Package>> versions =
        m_fixture->packages().store().packagesInProject(projectId(u"acme/a"_s), u"@acme/s777"_s);
    QVERIFY_RESULT(versions);
    QCOMPARE(versions->size(), 1);
    QCOMPARE(versions->first().version, u"1.0.0"_s);

    QElapsedTimer timer;
    timer.start();
    const Result<StoreCheckReport> report = checkBlobsExist(m_fixture.registry());
    QVERIFY_RESULT(report);
    QCOMPARE(report->rows, Count + 1);
    QVERIFY(report->clean());
    // Seconds here, sanitizers included; the walk per name took minutes at this size.
    QVERIFY2(timer.elapsed() < 30000, qPrintable(u"%1 ms"_s.arg(timer.elapsed())));
}

QTEST_GUILESS_MAIN(tst_PackageService)
#include "tst_packageservice.moc"
