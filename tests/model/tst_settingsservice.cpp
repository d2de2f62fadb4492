// SPDX-License-Identifier: GPL-3.0-or-later
// Forwarding (instance and group cascade with locks), the upstream URL and protection rules.

#include "model/registry.h"

#include "testsupport.h"

#include <QCoreApplication>
#include <QProcessEnvironment>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Trove;
using TestSupport::RegistryFixture;

Q_DECLARE_METATYPE(Trove::Error::Code)
Q_DECLARE_METATYPE(Trove::AccessLevel)

class tst_SettingsService : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void instanceForwardingDefaultsOn();
    void forwardingCascade_data();
    void forwardingCascade();
    void groupForwardingUnknownGroup();
    void parseUpstream_data();
    void parseUpstream();
    void setUpstream();
    void defaultUpstream_data();
    void defaultUpstream();
    void defaultUpstreamChild();
    void protectionRules_data();
    void protectionRules();
    void protectionRuleDuplicates();

private:
    RegistryFixture m_fixture;
    qint64 m_root = 0;
    qint64 m_sub = 0;
    Project m_project;
};

void tst_SettingsService::init()
{
    if (QTest::currentTestFunction() == QByteArrayLiteral("defaultUpstreamChild")) {
        return;
    }
    QVERIFY2(m_fixture.open(), qPrintable(m_fixture.error()));
    auto root = m_fixture->namespaces().createGroup(u"acme"_s);
    QVERIFY_RESULT(root);
    m_root = root->id;
    auto sub = m_fixture->namespaces().createGroup(u"acme/team"_s);
    QVERIFY_RESULT(sub);
    m_sub = sub->id;
    auto project = m_fixture->namespaces().createProject(u"acme/team/app"_s);
    QVERIFY_RESULT(project);
    m_project = *project;
}

void tst_SettingsService::cleanup()
{
    m_fixture.close();
}

void tst_SettingsService::instanceForwardingDefaultsOn()
{
    SettingsService &settings = m_fixture->settings();
    QCOMPARE(*settings.instanceForwarding(), true);
    QCOMPARE(*settings.forwardingForProject(m_project), true);
    QCOMPARE(*settings.forwardingForGroup(m_root), true);

    QSignalSpy changed(&m_fixture->events(), &Events::settingsChanged);
    QVERIFY_RESULT(settings.setInstanceForwarding(false));
    QCOMPARE(changed.count(), 1);
    QCOMPARE(*settings.instanceForwarding(), false);
    QCOMPARE(*settings.forwardingForProject(m_project), false);
    QVERIFY_RESULT(settings.setInstanceForwarding(true));
    QCOMPARE(changed.count(), 2);
    QCOMPARE(*settings.forwardingForProject(m_project), true);
}

void tst_SettingsService::forwardingCascade_data()
{
    // Each level as "" (unset), "on", "off", "on locked", "off locked"; the instance is never
    // unset in these rows ("" there means the default).
    QTest::addColumn<QString>("instance");
    QTest::addColumn<QString>("root");
    QTest::addColumn<QString>("sub");
    QTest::addColumn<bool>("project"); // in force for acme/team/app
    QTest::addColumn<bool>("rootGroup"); // in force for acme

    QTest::addRow("nothing set") << u""_s << u""_s << u""_s << true << true;
    QTest::addRow("instance off") << u"off"_s << u""_s << u""_s << false << false;
    QTest::addRow("instance off, root on") << u"off"_s << u"on"_s << u""_s << true << true;
    QTest::addRow("instance on, root off") << u"on"_s << u"off"_s << u""_s << false << false;
    QTest::addRow("instance on, sub off") << u"on"_s << u""_s << u"off"_s << false << true;
    QTest::addRow("root off, sub on: nearest wins")
        << u""_s << u"off"_s << u"on"_s << true << false;
    QTest::addRow("root on, sub off: nearest wins")
        << u""_s << u"on"_s << u"off"_s << false << true;
    QTest::addRow("root off locked, sub on")
        << u""_s << u"off locked"_s << u"on"_s << false << false;
    QTest::addRow("root on locked, sub off")
        << u"off"_s << u"on locked"_s << u"off"_s << true << true;
    QTest::addRow("root off locked, sub on locked: top lock wins")
        << u""_s << u"off locked"_s << u"on locked"_s << false << false;
    QTest::addRow("sub locked, root unlocked")
        << u"on"_s << u"on"_s << u"off locked"_s << false << true;
    QTest::addRow("instance off locked, root on, sub on")
        << u"off locked"_s << u"on"_s << u"on"_s << false << false;
    QTest::addRow("instance off locked, root on locked")
        << u"off locked"_s << u"on locked"_s << u""_s << false << false;
    QTest::addRow("instance on locked, sub off locked")
        << u"on locked"_s << u""_s << u"off locked"_s << true << true;
}

void tst_SettingsService::forwardingCascade()
{
    QFETCH(QString, instance);
    QFETCH(QString, root);
    QFETCH(QString, sub);
    QFETCH(bool, project);
    QFETCH(bool, rootGroup);

    SettingsService &settings = m_fixture->settings();
    QSignalSpy changed(&m_fixture->events(), &Events::settingsChanged);
    int writes = 0;
    if (!instance.isEmpty()) {
        QVERIFY_RESULT(settings.setInstanceForwarding(instance.startsWith(u"on"_s),
                                                      instance.endsWith(u"locked"_s)));
        ++writes;
    }
    if (!root.isEmpty()) {
        QVERIFY_RESULT(settings.setGroupForwarding(
            m_root, root.startsWith(u"on"_s), root.endsWith(u"locked"_s)));
        ++writes;
    }
    if (!sub.isEmpty()) {
        QVERIFY_RESULT(
            settings.setGroupForwarding(m_sub, sub.startsWith(u"on"_s), sub.endsWith(u"locked"_s)));
        ++writes;
    }
    QCOMPARE(changed.count(), writes);
    QCOMPARE(*settings.forwardingForProject(m_project), project);
    QCOMPARE(*settings.forwardingForGroup(m_sub), project);
    QCOMPARE(*settings.forwardingForGroup(m_root), rootGroup);

    // Clearing both groups: the instance value (or its default) applies again.
    QVERIFY_RESULT(settings.clearGroupForwarding(m_sub));
    QVERIFY_RESULT(settings.clearGroupForwarding(m_root));
    QCOMPARE(changed.count(), writes + 2);
    QCOMPARE(*settings.forwardingForProject(m_project), *settings.instanceForwarding());
    QCOMPARE(*settings.instanceForwarding(), !instance.startsWith(u"off"_s));
}

void tst_SettingsService::groupForwardingUnknownGroup()
{
    SettingsService &settings = m_fixture->settings();
    QSignalSpy changed(&m_fixture->events(), &Events::settingsChanged);
    const QString before = TestSupport::dumpDatabase(m_fixture.connection());
    QCOMPARE(settings.setGroupForwarding(999, false).error().code, Error::Code::NotFound);
    QVERIFY(!settings.clearGroupForwarding(999));
    QCOMPARE(changed.count(), 0);
    QCOMPARE(TestSupport::dumpDatabase(m_fixture.connection()), before);
}

void tst_SettingsService::parseUpstream_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("expected"); // empty: refused

    QTest::addRow("host without slash")
        << u"https://upstream.example"_s << u"https://upstream.example/"_s;
    QTest::addRow("host with slash")
        << u"https://upstream.example/"_s << u"https://upstream.example/"_s;
    QTest::addRow("http with port and path")
        << u"http://mirror.local:8080/npm"_s << u"http://mirror.local:8080/npm/"_s;
    QTest::addRow("nested path with slash")
        << u"https://h.example/a/b/"_s << u"https://h.example/a/b/"_s;
    QTest::addRow("surrounding spaces") << u"  https://h.example  "_s << u"https://h.example/"_s;
    QTest::addRow("empty") << u""_s << QString();
    QTest::addRow("spaces only") << u"   "_s << QString();
    QTest::addRow("no scheme") << u"upstream.example"_s << QString();
    QTest::addRow("ftp") << u"ftp://h.example/"_s << QString();
    QTest::addRow("file") << u"file:///tmp/registry"_s << QString();
    QTest::addRow("no host") << u"https://"_s << QString();
    QTest::addRow("query") << u"https://h.example/?a=1"_s << QString();
    QTest::addRow("fragment") << u"https://h.example/#x"_s << QString();
    QTest::addRow("not a URL") << u"not a url"_s << QString();
}

void tst_SettingsService::parseUpstream()
{
    QFETCH(QString, input);
    QFETCH(QString, expected);
    const Result<QUrl> url = SettingsService::parseUpstream(input);
    if (expected.isEmpty()) {
        QVERIFY2(!url, qPrintable(url ? url->toString() : QString()));
        QCOMPARE(url.error().code, Error::Code::Invalid);
        return;
    }
    QVERIFY_RESULT(url);
    QCOMPARE(url->toString(), expected);
}

void tst_SettingsService::setUpstream()
{
    SettingsService &settings = m_fixture->settings();
    QSignalSpy changed(&m_fixture->events(), &Events::settingsChanged);
    QVERIFY_RESULT(settings.setUpstream(u"https://mirror.example/npm"_s));
    QCOMPARE(changed.count(), 1);
    QCOMPARE(settings.upstream()->toString(), u"https://mirror.example/npm/"_s);

    const QString before = TestSupport::dumpDatabase(m_fixture.connection());
    QCOMPARE(settings.setUpstream(u"ftp://nope/"_s).error().code, Error::Code::Invalid);
    QCOMPARE(changed.count(), 1);
    QCOMPARE(TestSupport::dumpDatabase(m_fixture.connection()), before);
    QCOMPARE(settings.upstream()->toString(), u"https://mirror.example/npm/"_s);
}

void tst_SettingsService::defaultUpstream_data()
{
    QTest::addColumn<QString>("npmrc"); // contents; "-" for no file
    QTest::addColumn<QString>("environment"); // npm_config_registry
    QTest::addColumn<QString>("expected");

    QTest::addRow("registry line")
        << u"registry=https://npm.example/\n"_s << QString() << u"https://npm.example/"_s;
    QTest::addRow("normalised to a trailing slash")
        << u"registry = https://npm.example/sub\n"_s << QString() << u"https://npm.example/sub/"_s;
    QTest::addRow("comments and other keys skipped")
        << u"# registry=https://commented.example/\n; registry=https://semi.example/\n"
           "@acme:registry=https://scoped.example/\n"
           "//npm.example/:_authToken=secret\nregistry=https://npm.example/\n"_s
        << QString() << u"https://npm.example/"_s;
    QTest::addRow("invalid line skipped") << u"registry=not a url\nregistry=http://b.example\n"_s
                                          << QString() << u"http://b.example/"_s;
    QTest::addRow("file before environment")
        << u"registry=https://file.example/\n"_s << u"https://env.example/"_s
        << u"https://file.example/"_s;
    QTest::addRow("environment when the file has none")
        << u"color=false\n"_s << u"https://env.example"_s << u"https://env.example/"_s;
    QTest::addRow("environment when there is no file")
        << u"-"_s << u"https://env.example/"_s << u"https://env.example/"_s;
    QTest::addRow("nothing, npm not on PATH") << u"-"_s << QString() << QString();
}

void tst_SettingsService::defaultUpstream()
{
    QFETCH(QString, npmrc);
    QFETCH(QString, environment);
    QFETCH(QString, expected);

    // defaultUpstream() is read once per process, so each row asks a fresh process: this test
    // binary running only defaultUpstreamChild.
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString npmrcPath = dir.filePath(u"npmrc"_s);
    if (npmrc != u"-"_s) {
        QFile file(npmrcPath);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(npmrc.toUtf8());
    }
    QVERIFY(QDir(dir.path()).mkdir(u"home"_s));
    QVERIFY(QDir(dir.path()).mkdir(u"bin"_s));
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const QString &name : env.keys()) {
        if (name.startsWith(u"npm_config_"_s, Qt::CaseInsensitive)) {
            env.remove(name);
        }
    }
    env.insert(u"NPM_CONFIG_USERCONFIG"_s, npmrcPath);
    env.insert(u"HOME"_s, dir.filePath(u"home"_s));
    env.insert(u"PATH"_s, dir.filePath(u"bin"_s)); // no npm to ask
    if (!environment.isEmpty()) {
        env.insert(u"npm_config_registry"_s, environment);
    }
    const QString output = dir.filePath(u"out"_s);
    env.insert(u"TROVE_TEST_CHILD_OUTPUT"_s, output);

    QProcess child;
    child.setProcessEnvironment(env);
    child.start(QCoreApplication::applicationFilePath(), {u"defaultUpstreamChild"_s});
    QVERIFY(child.waitForFinished(60000));
    QVERIFY2(child.exitStatus() == QProcess::NormalExit && child.exitCode() == 0,
             child.readAllStandardOutput().constData());
    QFile result(output);
    QVERIFY(result.open(QIODevice::ReadOnly));
    const QStringList lines = QString::fromUtf8(result.readAll()).split(u'\n');
    QCOMPARE(lines.size(), 3);
    QCOMPARE(lines.at(0), expected);
    // The second call, after the file changed, still gives the first answer (read once).
    QCOMPARE(lines.at(1), expected);
    // With no stored upstream, the registry's upstream is the default.
    QCOMPARE(lines.at(2), expected);
}

void tst_SettingsService::defaultUpstreamChild()
{
    const QString output = qEnvironmentVariable("TROVE_TEST_CHILD_OUTPUT");
    if (output.isEmpty()) {
        QSKIP("Runs in a child process of defaultUpstream()");
    }
    const QString first = SettingsService::defaultUpstream().toString();
    QFile npmrc(qEnvironmentVariable("NPM_CONFIG_USERCONFIG"));
    QVERIFY(npmrc.open(QIODevice::WriteOnly | QIODevice::Truncate));
    npmrc.write("registry=https://changed.example/\n");
    npmrc.close();
    const QString second = SettingsService::defaultUpstream().toString();
    QVERIFY2(m_fixture.open(), qPrintable(m_fixture.error()));
    const Result<QUrl> upstream = m_fixture->settings().upstream();
    QVERIFY_RESULT(upstream);
    QFile file(output);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write((first + u'\n' + second + u'\n' + upstream->toString()).toUtf8());
}

void tst_SettingsService::protectionRules_data()
{
    QTest::addColumn<QString>("pattern");
    QTest::addColumn<AccessLevel>("minimum");
    QTest::addColumn<bool>("unknownProject");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<Error::Code>("code");

    const auto M = AccessLevel::Maintainer;
    const auto none = Error::Code::Invalid;
    QTest::addRow("scoped glob") << u"@acme/*"_s << M << false << true << none;
    QTest::addRow("star alone") << u"*"_s << AccessLevel::Owner << false << true << none;
    QTest::addRow("exact name") << u"@acme/widget"_s << AccessLevel::Admin << false << true << none;
    QTest::addRow("unscoped glob") << u"widget-*"_s << M << false << true << none;
    QTest::addRow("glob in the middle") << u"@acme/a*b"_s << M << false << true << none;
    // npm names end at 214 characters (GitLab's own pattern limit, 255, is never reached).
    QTest::addRow("214 characters")
        << u"@acme/"_s + QString(208, u'a') << M << false << true << none;
    QTest::addRow("215 characters")
        << u"@acme/"_s + QString(209, u'a') << M << false << false << none;
    QTest::addRow("empty") << u""_s << M << false << false << none;
    QTest::addRow("space") << u"@acme/a b"_s << M << false << false << none;
    QTest::addRow("space in scope") << u"@ac me/*"_s << M << false << false << none;
    QTest::addRow("nested path") << u"@acme/sub/pkg"_s << M << false << false << none;
    QTest::addRow("question mark") << u"@acme/pkg?"_s << M << false << false << none;
    QTest::addRow("256 characters")
        << u"@acme/"_s + QString(250, u'a') << M << false << false << none;
    QTest::addRow("guest") << u"@acme/*"_s << AccessLevel::Guest << false << false << none;
    QTest::addRow("developer") << u"@acme/*"_s << AccessLevel::Developer << false << false << none;
    QTest::addRow("none") << u"@acme/*"_s << AccessLevel::None << false << false << none;
    QTest::addRow("unknown project") << u"@acme/*"_s << M << true << false << Error::Code::NotFound;
}

void tst_SettingsService::protectionRules()
{
    QFETCH(QString, pattern);
    QFETCH(AccessLevel, minimum);
    QFETCH(bool, unknownProject);
    QFETCH(bool, ok);
    QFETCH(Error::Code, code);

    SettingsService &settings = m_fixture->settings();
    QSignalSpy changed(&m_fixture->events(), &Events::settingsChanged);
    const QString before = TestSupport::dumpDatabase(m_fixture.connection());
    const Result<ProtectionRule> rule =
        settings.addProtectionRule(unknownProject ? 999 : m_project.id, pattern, minimum);
    if (!ok) {
        QVERIFY(!rule);
        QCOMPARE(rule.error().code, code);
        QCOMPARE(changed.count(), 0);
        QCOMPARE(TestSupport::dumpDatabase(m_fixture.connection()), before);
        return;
    }
    QVERIFY_RESULT(rule);
    QCOMPARE(changed.count(), 1);
    const Result<QList<ProtectionRule>> rules = settings.protectionRules(m_project.id);
    QVERIFY_RESULT(rules);
    QCOMPARE(rules->size(), 1);
    QCOMPARE(rules->first().pattern, pattern);
    QCOMPARE(rules->first().minimumAccessLevelForPush, minimum);
    QCOMPARE(rules->first().id, rule->id);

    QVERIFY_RESULT(settings.removeProtectionRule(rule->id));
    QCOMPARE(changed.count(), 2);
    QVERIFY(settings.protectionRules(m_project.id)->isEmpty());
    QCOMPARE(settings.removeProtectionRule(rule->id).error().code, Error::Code::NotFound);
    QCOMPARE(changed.count(), 2);
}

void tst_SettingsService::protectionRuleDuplicates()
{
    SettingsService &settings = m_fixture->settings();
    QVERIFY_RESULT(settings.addProtectionRule(m_project.id, u"@acme/*"_s, AccessLevel::Maintainer));
    QSignalSpy changed(&m_fixture->events(), &Events::settingsChanged);
    const QString before = TestSupport::dumpDatabase(m_fixture.connection());
    QCOMPARE(
        settings.addProtectionRule(m_project.id, u"@acme/*"_s, AccessLevel::Owner).error().code,
        Error::Code::Conflict);
    QCOMPARE(changed.count(), 0);
    QCOMPARE(TestSupport::dumpDatabase(m_fixture.connection()), before);

    // The same pattern in another project is another rule.
    auto other = m_fixture->namespaces().createProject(u"acme/other"_s);
    QVERIFY_RESULT(other);
    QVERIFY_RESULT(settings.addProtectionRule(other->id, u"@acme/*"_s, AccessLevel::Maintainer));
    QCOMPARE(settings.protectionRules(m_project.id)->size(), 1);
    QCOMPARE(settings.protectionRules(other->id)->size(), 1);
}

QTEST_GUILESS_MAIN(tst_SettingsService)
#include "tst_settingsservice.moc"
