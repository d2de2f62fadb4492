// SPDX-License-Identifier: GPL-3.0-or-later
// End-to-end: the real `npm search` (npm 10 and 11) against the real `trove serve` on 127.0.0.1,
// at project, group and instance level, with and without a token, and with a project's package
// registry switched off.

#include "../app/servehelper.h"
#include "npmclients.h"

#include "model/registry.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Trove;

class tst_SearchClients : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void search_data();
    void search();
    void textOutput();
    void registrySwitchedOff();

private:
    QString origin() const { return u"http://127.0.0.1:%1"_s.arg(m_port); }
    QString levelUrl(const QString &level) const;
    // A folder whose .npmrc points npm at `registryUrl`, with the token when given.
    QString workDir(const QString &registryUrl, const QString &token);
    NpmClients::Run npm(const QString &client, const QStringList &arguments, const QString &dir);
    bool publish(const QString &projectUrl, const QString &name, const QJsonObject &extra);
    static QStringList namesOf(const NpmClients::Run &run);

    QTemporaryDir m_dir;
    QString m_data;
    QProcess m_serve;
    quint16 m_port = 0;
    qint64 m_widgets = 0; // acme/widgets, private
    qint64 m_tools = 0; // acme/tools, private
    qint64 m_lib = 0; // open/lib, public
    QString m_token; // mia, maintainer of both groups
    int m_counter = 0;
};

QString tst_SearchClients::levelUrl(const QString &level) const
{
    if (level == u"instance"_s) {
        return origin() + u"/api/v4/packages/npm/"_s;
    }
    if (level == u"group"_s) {
        return origin() + u"/api/v4/groups/acme/-/packages/npm/"_s;
    }
    return origin() + u"/api/v4/projects/%1/packages/npm/"_s.arg(m_widgets);
}

QString tst_SearchClients::workDir(const QString &registryUrl, const QString &token)
{
    const QString dir = m_dir.filePath(u"work-%1"_s.arg(++m_counter));
    QString npmrc = u"registry=%1\n@acme:registry=%1\n"_s.arg(registryUrl);
    if (!token.isEmpty()) {
        // npm looks for a token of the registry's own URL before publishing.
        npmrc += u"%1:_authToken=%2\n"_s.arg(registryUrl.mid(registryUrl.indexOf(u"//"_s)), token);
        npmrc += u"//127.0.0.1:%1/api/v4/:_authToken=%2\n"_s.arg(m_port).arg(token);
    }
    NpmClients::writeFile(dir + u"/.npmrc"_s, npmrc.toUtf8());
    return dir;
}

NpmClients::Run
tst_SearchClients::npm(const QString &client, const QStringList &arguments, const QString &dir)
{
    return NpmClients::run(client, arguments, dir, m_dir.path(), ++m_counter);
}

bool tst_SearchClients::publish(const QString &projectUrl,
                                const QString &name,
                                const QJsonObject &extra)
{
    const QString dir = workDir(projectUrl, m_token);
    QJsonObject manifest{{u"name"_s, name}, {u"version"_s, u"1.0.0"_s}, {u"license"_s, u"MIT"_s}};
    for (auto it = extra.constBegin(); it != extra.constEnd(); ++it) {
        manifest.insert(it.key(), it.value());
    }
    NpmClients::writeFile(dir + u"/package.json"_s, QJsonDocument(manifest).toJson());
    NpmClients::writeFile(dir + u"/index.js"_s, "module.exports = 1;\n");
    const NpmClients::Run run = npm(u"npm11"_s, {u"publish"_s}, dir);
    if (run.exitCode != 0) {
        qWarning().noquote() << run.all();
    }
    return run.exitCode == 0;
}

QStringList tst_SearchClients::namesOf(const NpmClients::Run &run)
{
    QStringList names;
    const QJsonArray packages = QJsonDocument::fromJson(run.out.toUtf8()).array();
    for (const QJsonValue &package : packages) {
        names.append(package.toObject().value(u"name"_s).toString());
    }
    names.sort();
    return names;
}

void tst_SearchClients::initTestCase()
{
    if (!QFile::exists(NpmClients::script(u"npm11"_s))) {
        QFAIL("The npm clients are missing: run tests/run.sh (npm ci in tests/e2e)");
    }
    QVERIFY(m_dir.isValid());
    m_data = m_dir.filePath(u"data"_s);
    {
        Result<std::unique_ptr<Registry>> opened = Registry::open(m_data);
        QVERIFY2(opened, qPrintable(opened ? QString() : opened.error().message));
        Registry &registry = **opened;
        QVERIFY(registry.namespaces().createGroup(u"acme"_s, Visibility::Private));
        QVERIFY(registry.namespaces().createGroup(u"open"_s, Visibility::Public));
        m_widgets = registry.namespaces().createProject(u"acme/widgets"_s)->id;
        m_tools = registry.namespaces().createProject(u"acme/tools"_s)->id;
        m_lib = registry.namespaces().createProject(u"open/lib"_s, Visibility::Public)->id;
        const Result<User> mia = registry.users().createUser(u"mia"_s);
        QVERIFY(mia);
        QVERIFY(registry.users().addGroupMember(u"mia"_s, u"acme"_s, AccessLevel::Maintainer));
        QVERIFY(registry.users().addGroupMember(u"mia"_s, u"open"_s, AccessLevel::Maintainer));
        m_token = registry.tokens().createPersonalAccessToken(mia->id, {}, {u"api"_s})->token;
        QVERIFY(registry.settings().setInstanceForwarding(false));
    }
    m_port =
        TestSupport::startServe(m_serve, {u"--listen"_s, u"127.0.0.1:0"_s, u"--data"_s, m_data});
    QVERIFY2(m_port != 0, qPrintable(QString::fromUtf8(m_serve.readAllStandardError())));

    const QString project = origin() + u"/api/v4/projects/%1/packages/npm/"_s;
    QVERIFY(publish(project.arg(m_widgets),
                    u"@acme/widget"_s,
                    {{u"description"_s, u"Buttons and sliders"_s},
                     {u"keywords"_s, QJsonArray{u"ui"_s, u"buttons"_s}}}));
    QVERIFY(publish(
        project.arg(m_tools), u"@acme/hammer"_s, {{u"description"_s, u"Tools for nails"_s}}));
    QVERIFY(publish(
        project.arg(m_lib),
        u"open-thing"_s,
        {{u"description"_s, u"A public thing"_s}, {u"keywords"_s, QJsonArray{u"thing"_s}}}));
}

void tst_SearchClients::cleanupTestCase()
{
    if (m_serve.state() != QProcess::NotRunning) {
        m_serve.terminate();
        if (!m_serve.waitForFinished(10000)) {
            m_serve.kill();
            m_serve.waitForFinished();
        }
    }
}

void tst_SearchClients::search_data()
{
    QTest::addColumn<QString>("client");
    QTest::addColumn<QString>("level");
    QTest::addColumn<bool>("withToken");
    QTest::addColumn<QString>("words");
    QTest::addColumn<QStringList>("expected");

    for (const QString &client : {u"npm10"_s, u"npm11"_s}) {
        const auto row = [&](const char *what) -> QTestData & {
            return QTest::addRow("%s, %s", qPrintable(client), what) << client;
        };
        row("project, keyword") << u"project"_s << true << u"buttons"_s
                                << QStringList{u"@acme/widget"_s};
        row("project, another project's package")
            << u"project"_s << true << u"hammer"_s << QStringList{};
        row("group, scope") << u"group"_s << true << u"acme"_s
                            << QStringList{u"@acme/hammer"_s, u"@acme/widget"_s};
        row("group, description") << u"group"_s << true << u"nails"_s
                                  << QStringList{u"@acme/hammer"_s};
        row("instance, token") << u"instance"_s << true << u"thing"_s
                               << QStringList{u"open-thing"_s};
        row("instance, anonymous: public only")
            << u"instance"_s << false << u"acme"_s << QStringList{};
        row("instance, anonymous, public package")
            << u"instance"_s << false << u"public"_s << QStringList{u"open-thing"_s};
    }
}

void tst_SearchClients::search()
{
    QFETCH(QString, client);
    QFETCH(QString, level);
    QFETCH(bool, withToken);
    QFETCH(QString, words);
    QFETCH(QStringList, expected);
    const QString dir = workDir(levelUrl(level), withToken ? m_token : QString());
    const NpmClients::Run run = npm(client, {u"search"_s, u"--json"_s, words}, dir);
    QVERIFY2(run.exitCode == 0, qPrintable(run.all()));
    QCOMPARE(namesOf(run), expected);
}

void tst_SearchClients::textOutput()
{
    const QString dir = workDir(levelUrl(u"instance"_s), m_token);
    for (const QString &client : {u"npm10"_s, u"npm11"_s}) {
        const NpmClients::Run run =
            npm(client, {u"search"_s, u"--color=false"_s, u"widget"_s}, dir);
        QVERIFY2(run.exitCode == 0, qPrintable(run.all()));
        QVERIFY2(run.out.contains(u"@acme/widget"_s), qPrintable(run.all()));
        QVERIFY2(run.out.contains(u"Buttons and sliders"_s), qPrintable(run.all()));
        QVERIFY2(run.out.contains(u"Version 1.0.0 published"_s), qPrintable(run.all()));
        QVERIFY2(run.out.contains(u"by mia"_s), qPrintable(run.all()));
        QVERIFY2(run.out.contains(u"ui buttons"_s), qPrintable(run.all()));
        QVERIFY2(!run.out.contains(u"open-thing"_s), qPrintable(run.all()));
    }
    const NpmClients::Run none = npm(u"npm11"_s, {u"search"_s, u"nothing-like-this"_s}, dir);
    QVERIFY2(none.exitCode == 0, qPrintable(none.all()));
    QVERIFY2(none.out.contains(u"No matches found"_s), qPrintable(none.all()));
}

void tst_SearchClients::registrySwitchedOff()
{
    // The window and the command line write to the same store while the server runs.
    const auto setEnabled = [this](bool enabled) {
        Result<std::unique_ptr<Registry>> opened = Registry::open(m_data);
        return opened && (*opened)->namespaces().setPackagesEnabled(m_tools, enabled).has_value();
    };
    QVERIFY(setEnabled(false));
    const QString group = workDir(levelUrl(u"group"_s), m_token);
    const NpmClients::Run run = npm(u"npm11"_s, {u"search"_s, u"--json"_s, u"acme"_s}, group);
    QVERIFY2(run.exitCode == 0, qPrintable(run.all()));
    QCOMPARE(namesOf(run), QStringList{u"@acme/widget"_s});

    const QString project =
        workDir(origin() + u"/api/v4/projects/%1/packages/npm/"_s.arg(m_tools), m_token);
    const NpmClients::Run refused =
        npm(u"npm11"_s, {u"search"_s, u"--json"_s, u"hammer"_s}, project);
    QVERIFY2(refused.exitCode != 0, qPrintable(refused.all()));
    QVERIFY2(refused.all().contains(u"403"_s), qPrintable(refused.all()));
    QVERIFY2(refused.all().contains(u"the package registry is disabled for project acme/tools"_s),
             qPrintable(refused.all()));

    QVERIFY(setEnabled(true));
    const NpmClients::Run back = npm(u"npm11"_s, {u"search"_s, u"--json"_s, u"hammer"_s}, project);
    QVERIFY2(back.exitCode == 0, qPrintable(back.all()));
    QCOMPARE(namesOf(back), QStringList{u"@acme/hammer"_s});
}

QTEST_GUILESS_MAIN(tst_SearchClients)
#include "tst_searchclients.moc"
