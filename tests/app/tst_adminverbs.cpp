// SPDX-License-Identifier: GPL-3.0-or-later
// The admin command line, run as users run it: the built `trove` executable against a data
// directory. Every refused command must print one line on stderr, nothing on stdout, exit
// non-zero and leave the store exactly as it was.

#include "model/registry.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

struct Run
{
    int exitCode = -1;
    QString out;
    QString err;
};

Run trove(const QStringList &arguments,
          const QProcessEnvironment &env = QProcessEnvironment::systemEnvironment(),
          const QByteArray &input = {})
{
    QProcess process;
    process.setProcessEnvironment(env);
    process.start(QStringLiteral(TROVE_BINARY_DIR "/app/trove"), arguments);
    if (!input.isEmpty()) {
        process.write(input);
    }
    process.closeWriteChannel();
    process.waitForFinished(30000);
    return {process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1,
            QString::fromUtf8(process.readAllStandardOutput()),
            QString::fromUtf8(process.readAllStandardError())};
}

// Every row of every table, for before/after comparisons.
QString dump(const QString &dataDir)
{
    const QString name = u"dump-%1"_s.arg(quintptr(&dataDir));
    QString text;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, name);
        db.setDatabaseName(dataDir + u"/trove.sqlite"_s);
        if (!db.open()) {
            return u"cannot open"_s;
        }
        QSqlQuery tables(db);
        tables.exec(u"SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"_s);
        QStringList names;
        while (tables.next()) {
            names.append(tables.value(0).toString());
        }
        for (const QString &table : names) {
            QSqlQuery rows(db);
            rows.exec(u"SELECT * FROM "_s + table + u" ORDER BY rowid"_s);
            text += table + u":\n"_s;
            while (rows.next()) {
                QStringList values;
                for (int i = 0; i < rows.record().count(); ++i) {
                    values.append(rows.value(i).toString());
                }
                text += values.join(u'|') + u'\n';
            }
        }
    }
    QSqlDatabase::removeDatabase(name);
    return text;
}

} // namespace

class tst_AdminVerbs : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void succeeds_data();
    void succeeds();
    void refused_data();
    void refused();
    void tokensAuthenticate();
    void jobTokenFinishFromStandardInput();
    void dataDirectoryForms();
    void helpAndUnknownCommands();

private:
    // --data goes first so that a "--" in the arguments cannot swallow it.
    QStringList withData(const QStringList &arguments) const
    {
        if (arguments.size() < 2) {
            return arguments + QStringList{u"--data"_s, m_dir->path()};
        }
        return arguments.mid(0, 2) + QStringList{u"--data"_s, m_dir->path()} + arguments.mid(2);
    }
    // A store with a group tree, projects, users and a rule, built through the command line.
    void populate();

    std::unique_ptr<QTemporaryDir> m_dir;
};

void tst_AdminVerbs::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    populate();
}

void tst_AdminVerbs::cleanup()
{
    m_dir.reset();
}

void tst_AdminVerbs::populate()
{
    const QList<QStringList> steps = {
        {u"group"_s, u"create"_s, u"acme"_s, u"--visibility"_s, u"internal"_s},
        {u"group"_s, u"create"_s, u"acme/web"_s, u"--visibility"_s, u"private"_s},
        {u"project"_s, u"create"_s, u"acme/web/app"_s},
        {u"user"_s, u"create"_s, u"mia"_s},
        {u"user"_s, u"create"_s, u"root"_s, u"--admin"_s},
    };
    for (const QStringList &step : steps) {
        const Run run = trove(withData(step));
        QVERIFY2(run.exitCode == 0, qPrintable(step.join(u' ') + u": "_s + run.err));
    }
}

void tst_AdminVerbs::succeeds_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("plain"); // regular expression for the plain output
    QTest::addColumn<QString>("jsonKey"); // a key of the --json object
    QTest::addColumn<QString>("jsonValue"); // its expected value ("" to only check presence)

    QTest::newRow("group create, top level") << QStringList{u"group"_s, u"create"_s, u"beta"_s}
                                             << u"^\\d+$"_s << u"full_path"_s << u"beta"_s;
    QTest::newRow("group create, subgroup, public under internal refused? no: private")
        << QStringList{u"group"_s, u"create"_s, u"acme/web/deep"_s} << u"^\\d+$"_s
        << u"visibility"_s << u"private"_s;
    QTest::newRow("project create")
        << QStringList{u"project"_s, u"create"_s, u"acme/tools"_s, u"--visibility"_s, u"internal"_s}
        << u"^\\d+$"_s << u"visibility"_s << u"internal"_s;
    QTest::newRow("user create") << QStringList{u"user"_s, u"create"_s, u"rex.d-2"_s} << u"^\\d+$"_s
                                 << u"username"_s << u"rex.d-2"_s;
    QTest::newRow("member add to a group")
        << QStringList{u"member"_s, u"add"_s, u"--group"_s, u"acme"_s, u"mia"_s, u"developer"_s}
        << u"^30$"_s << u"role"_s << u"developer"_s;
    QTest::newRow("member add to a project") << QStringList{u"member"_s,
                                                            u"add"_s,
                                                            u"--project"_s,
                                                            u"acme/web/app"_s,
                                                            u"mia"_s,
                                                            u"owner"_s}
                                             << u"^50$"_s << u"role"_s << u"owner"_s;
    QTest::newRow("token create, default scope")
        << QStringList{u"token"_s, u"create"_s, u"mia"_s} << u"^tpat-[A-Za-z0-9]{40}$"_s
        << u"username"_s << u"mia"_s;
    QTest::newRow("token create, read_api with expiry")
        << QStringList{u"token"_s,
                       u"create"_s,
                       u"mia"_s,
                       u"--scopes"_s,
                       u"read_api"_s,
                       u"--expires"_s,
                       u"2099-12-31"_s,
                       u"--name"_s,
                       u"ci"_s}
        << u"^tpat-"_s << u"expires_at"_s << u"2099-12-31"_s;
    QTest::newRow("deploy-token create for a project")
        << QStringList{u"deploy-token"_s,
                       u"create"_s,
                       u"--project"_s,
                       u"acme/web/app"_s,
                       u"--scopes"_s,
                       u"read_package_registry,write_package_registry"_s}
        << u"^tdt-[A-Za-z0-9]{40}$"_s << u"project"_s << u"acme/web/app"_s;
    QTest::newRow("deploy-token create for a group") << QStringList{u"deploy-token"_s,
                                                                    u"create"_s,
                                                                    u"--group"_s,
                                                                    u"acme"_s,
                                                                    u"--scopes"_s,
                                                                    u"read_package_registry"_s,
                                                                    u"--username"_s,
                                                                    u"reader"_s}
                                                     << u"^tdt-"_s << u"username"_s << u"reader"_s;
    QTest::newRow("job-token create")
        << QStringList{u"job-token"_s,
                       u"create"_s,
                       u"--project"_s,
                       u"acme/web/app"_s,
                       u"--user"_s,
                       u"mia"_s}
        << u"^tjob-[A-Za-z0-9]{40}$"_s << u"project"_s << u"acme/web/app"_s;
    QTest::newRow("forwarding set, instance") << QStringList{u"forwarding"_s, u"set"_s, u"off"_s}
                                              << u"^off$"_s << u"scope"_s << u"instance"_s;
    QTest::newRow("forwarding set, group, locked")
        << QStringList{u"forwarding"_s, u"set"_s, u"on"_s, u"--group"_s, u"acme"_s, u"--lock"_s}
        << u"^on$"_s << u"scope"_s << u"acme"_s;
    QTest::newRow("upstream set adds the trailing slash")
        << QStringList{u"upstream"_s, u"set"_s, u"http://127.0.0.1:9/npm"_s}
        << u"^http://127\\.0\\.0\\.1:9/npm/$"_s << u"upstream"_s << u"http://127.0.0.1:9/npm/"_s;
    QTest::newRow("protect add") << QStringList{u"protect"_s,
                                                u"add"_s,
                                                u"--project"_s,
                                                u"acme/web/app"_s,
                                                u"@acme/core-*"_s,
                                                u"--push"_s,
                                                u"owner"_s}
                                 << u"^\\d+$"_s << u"push"_s << u"owner"_s;
}

void tst_AdminVerbs::succeeds()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, plain);
    QFETCH(QString, jsonKey);
    QFETCH(QString, jsonValue);

    const Run run = trove(withData(arguments));
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    QVERIFY(run.err.isEmpty());
    QVERIFY2(QRegularExpression(plain).match(run.out.trimmed()).hasMatch(), qPrintable(run.out));

    // The same verb again with --json, on a fresh store (creations cannot repeat).
    cleanup();
    init();
    const Run json = trove(withData(arguments) << u"--json"_s);
    QVERIFY2(json.exitCode == 0, qPrintable(json.err));
    QJsonParseError error;
    const QJsonObject object = QJsonDocument::fromJson(json.out.toUtf8(), &error).object();
    QCOMPARE(error.error, QJsonParseError::NoError);
    QVERIFY2(object.contains(jsonKey), qPrintable(json.out));
    if (!jsonValue.isEmpty()) {
        QCOMPARE(object.value(jsonKey).toVariant().toString(), jsonValue);
    }
    if (object.contains(u"id"_s)) {
        QVERIFY(object.value(u"id"_s).isDouble());
    }
}

void tst_AdminVerbs::refused_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("message"); // a part of the one stderr line

    QTest::newRow("duplicate group")
        << QStringList{u"group"_s, u"create"_s, u"acme"_s} << u"already been taken"_s;
    QTest::newRow("duplicate group, other case")
        << QStringList{u"group"_s, u"create"_s, u"ACME"_s} << u"already been taken"_s;
    QTest::newRow("group path with a space")
        << QStringList{u"group"_s, u"create"_s, u"Bad Name"_s} << u"Invalid path"_s;
    QTest::newRow("group path starting with a dash")
        << QStringList{u"group"_s, u"create"_s, u"--"_s, u"-x"_s} << u"Invalid path"_s;
    QTest::newRow("group path with ..")
        << QStringList{u"group"_s, u"create"_s, u"acme/../b"_s} << u"Invalid path"_s;
    QTest::newRow("group path ending in .git")
        << QStringList{u"group"_s, u"create"_s, u"x.git"_s} << u"Invalid path"_s;
    QTest::newRow("empty group path")
        << QStringList{u"group"_s, u"create"_s, u""_s} << u"Invalid path"_s;
    QTest::newRow("subgroup of a missing parent")
        << QStringList{u"group"_s, u"create"_s, u"nope/sub"_s} << u"Parent group nope not found"_s;
    QTest::newRow("subgroup more visible than its parent")
        << QStringList{u"group"_s, u"create"_s, u"acme/open"_s, u"--visibility"_s, u"public"_s}
        << u"more visible"_s;
    QTest::newRow("unknown visibility")
        << QStringList{u"group"_s, u"create"_s, u"x"_s, u"--visibility"_s, u"secret"_s}
        << u"Unknown visibility"_s;
    QTest::newRow("project without a group")
        << QStringList{u"project"_s, u"create"_s, u"lonely"_s} << u"GROUP/PROJECT"_s;
    QTest::newRow("project in an unknown group")
        << QStringList{u"project"_s, u"create"_s, u"nope/app"_s} << u"Group nope not found"_s;
    QTest::newRow("duplicate project")
        << QStringList{u"project"_s, u"create"_s, u"acme/web/APP"_s} << u"already been taken"_s;
    QTest::newRow("project named like a subgroup")
        << QStringList{u"project"_s, u"create"_s, u"acme/web"_s} << u"already been taken"_s;
    QTest::newRow("project more visible than its group")
        << QStringList{u"project"_s, u"create"_s, u"acme/web/x"_s, u"--visibility"_s, u"internal"_s}
        << u"more visible"_s;
    QTest::newRow("duplicate user")
        << QStringList{u"user"_s, u"create"_s, u"MIA"_s} << u"already been taken"_s;
    QTest::newRow("invalid username")
        << QStringList{u"user"_s, u"create"_s, u"a b"_s} << u"Invalid username"_s;
    QTest::newRow("member of an unknown group")
        << QStringList{u"member"_s, u"add"_s, u"--group"_s, u"nope"_s, u"mia"_s, u"developer"_s}
        << u"not found"_s;
    QTest::newRow("unknown member")
        << QStringList{u"member"_s, u"add"_s, u"--group"_s, u"acme"_s, u"nobody"_s, u"developer"_s}
        << u"User nobody not found"_s;
    QTest::newRow("unknown role")
        << QStringList{u"member"_s, u"add"_s, u"--group"_s, u"acme"_s, u"mia"_s, u"boss"_s}
        << u"Unknown role"_s;
    QTest::newRow("admin is no member role") << QStringList{u"member"_s,
                                                            u"add"_s,
                                                            u"--project"_s,
                                                            u"acme/web/app"_s,
                                                            u"mia"_s,
                                                            u"admin"_s}
                                             << u"Unknown role"_s;
    QTest::newRow("token of an unknown user")
        << QStringList{u"token"_s, u"create"_s, u"nobody"_s} << u"User nobody not found"_s;
    QTest::newRow("token with an unknown scope")
        << QStringList{u"token"_s, u"create"_s, u"mia"_s, u"--scopes"_s, u"api,sudo"_s}
        << u"Unknown scope sudo"_s;
    QTest::newRow("token with a deploy scope")
        << QStringList{u"token"_s, u"create"_s, u"mia"_s, u"--scopes"_s, u"read_package_registry"_s}
        << u"Unknown scope"_s;
    QTest::newRow("date with month 13")
        << QStringList{u"token"_s, u"create"_s, u"mia"_s, u"--expires"_s, u"2026-13-01"_s}
        << u"Invalid date"_s;
    QTest::newRow("date in words")
        << QStringList{u"token"_s, u"create"_s, u"mia"_s, u"--expires"_s, u"tomorrow"_s}
        << u"Invalid date"_s;
    QTest::newRow("date without padding")
        << QStringList{u"token"_s, u"create"_s, u"mia"_s, u"--expires"_s, u"2026-1-1"_s}
        << u"Invalid date"_s;
    QTest::newRow("date in the past")
        << QStringList{u"token"_s, u"create"_s, u"mia"_s, u"--expires"_s, u"2001-01-01"_s}
        << u"in the future"_s;
    QTest::newRow("deploy token without scopes")
        << QStringList{u"deploy-token"_s, u"create"_s, u"--project"_s, u"acme/web/app"_s}
        << u"--scopes"_s;
    QTest::newRow("deploy token with a user scope") << QStringList{u"deploy-token"_s,
                                                                   u"create"_s,
                                                                   u"--project"_s,
                                                                   u"acme/web/app"_s,
                                                                   u"--scopes"_s,
                                                                   u"api"_s}
                                                    << u"Unknown scope api"_s;
    QTest::newRow("deploy token for group and project") << QStringList{u"deploy-token"_s,
                                                                       u"create"_s,
                                                                       u"--project"_s,
                                                                       u"acme/web/app"_s,
                                                                       u"--group"_s,
                                                                       u"acme"_s,
                                                                       u"--scopes"_s,
                                                                       u"read_package_registry"_s}
                                                        << u"exactly one"_s;
    QTest::newRow("deploy token for an unknown project") << QStringList{u"deploy-token"_s,
                                                                        u"create"_s,
                                                                        u"--project"_s,
                                                                        u"acme/nope"_s,
                                                                        u"--scopes"_s,
                                                                        u"read_package_registry"_s}
                                                         << u"not found"_s;
    QTest::newRow("job token for an unknown project") << QStringList{u"job-token"_s,
                                                                     u"create"_s,
                                                                     u"--project"_s,
                                                                     u"acme/nope"_s,
                                                                     u"--user"_s,
                                                                     u"mia"_s}
                                                      << u"not found"_s;
    QTest::newRow("job token without a user")
        << QStringList{u"job-token"_s, u"create"_s, u"--project"_s, u"acme/web/app"_s}
        << u"required"_s;
    QTest::newRow("finish an unknown job token")
        << QStringList{u"job-token"_s,
                       u"finish"_s,
                       u"tjob-0000000000000000000000000000000000000000"_s}
        << u"No job has this token"_s;
    QTest::newRow("finish something that is no job token")
        << QStringList{u"job-token"_s, u"finish"_s, u"tpat-x"_s} << u"Not a job token"_s;
    QTest::newRow("forwarding maybe")
        << QStringList{u"forwarding"_s, u"set"_s, u"maybe"_s} << u"use on or off"_s;
    QTest::newRow("forwarding for an unknown group")
        << QStringList{u"forwarding"_s, u"set"_s, u"on"_s, u"--group"_s, u"nope"_s}
        << u"not found"_s;
    QTest::newRow("upstream over ftp")
        << QStringList{u"upstream"_s, u"set"_s, u"ftp://127.0.0.1/"_s} << u"Invalid upstream URL"_s;
    QTest::newRow("upstream that is no URL")
        << QStringList{u"upstream"_s, u"set"_s, u"not a url"_s} << u"Invalid upstream URL"_s;
    QTest::newRow("empty upstream")
        << QStringList{u"upstream"_s, u"set"_s, u""_s} << u"Invalid upstream URL"_s;
    QTest::newRow("protection pattern with a space") << QStringList{u"protect"_s,
                                                                    u"add"_s,
                                                                    u"--project"_s,
                                                                    u"acme/web/app"_s,
                                                                    u"@acme/a b"_s,
                                                                    u"--push"_s,
                                                                    u"maintainer"_s}
                                                     << u"Invalid package name pattern"_s;
    QTest::newRow("protection for developers") << QStringList{u"protect"_s,
                                                              u"add"_s,
                                                              u"--project"_s,
                                                              u"acme/web/app"_s,
                                                              u"*"_s,
                                                              u"--push"_s,
                                                              u"developer"_s}
                                               << u"maintainer, owner or admin"_s;
    QTest::newRow("protection of an unknown project") << QStringList{u"protect"_s,
                                                                     u"add"_s,
                                                                     u"--project"_s,
                                                                     u"acme/nope"_s,
                                                                     u"*"_s,
                                                                     u"--push"_s,
                                                                     u"owner"_s}
                                                      << u"not found"_s;
    QTest::newRow("missing argument")
        << QStringList{u"group"_s, u"create"_s} << u"expected 1 argument"_s;
    QTest::newRow("extra argument")
        << QStringList{u"user"_s, u"create"_s, u"a"_s, u"b"_s} << u"expected 1 argument"_s;
    QTest::newRow("unknown option")
        << QStringList{u"user"_s, u"create"_s, u"a"_s, u"--root"_s} << u"Unknown option"_s;
}

void tst_AdminVerbs::refused()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, message);

    // A rule that exists already, so a duplicate is refused too.
    QCOMPARE(trove(withData({u"protect"_s,
                             u"add"_s,
                             u"--project"_s,
                             u"acme/web/app"_s,
                             u"@acme/x"_s,
                             u"--push"_s,
                             u"maintainer"_s}))
                 .exitCode,
             0);
    const QString before = dump(m_dir->path());
    const Run run = trove(withData(arguments));
    QVERIFY2(run.exitCode != 0, qPrintable(run.out));
    QVERIFY2(run.out.isEmpty(), qPrintable(run.out));
    const QStringList lines = run.err.trimmed().split(u'\n');
    // One line saying what is wrong; a usage error may add the verb's usage line.
    QVERIFY2(lines.size() == 1 || (lines.size() == 2 && lines.at(1).startsWith(u"Usage:"_s)),
             qPrintable(run.err));
    QVERIFY2(lines.first().startsWith(u"trove "_s), qPrintable(run.err));
    QVERIFY2(lines.first().contains(message), qPrintable(run.err));
    QCOMPARE(dump(m_dir->path()), before);
}

void tst_AdminVerbs::tokensAuthenticate()
{
    const Run pat =
        trove(withData({u"token"_s, u"create"_s, u"mia"_s, u"--scopes"_s, u"api,read_api"_s}));
    const Run deploy = trove(withData({u"deploy-token"_s,
                                       u"create"_s,
                                       u"--group"_s,
                                       u"acme"_s,
                                       u"--scopes"_s,
                                       u"write_package_registry"_s}));
    const Run job = trove(withData(
        {u"job-token"_s, u"create"_s, u"--project"_s, u"acme/web/app"_s, u"--user"_s, u"mia"_s}));
    QCOMPARE(pat.exitCode + deploy.exitCode + job.exitCode, 0);

    Trove::Result<std::unique_ptr<Trove::Registry>> registry = Trove::Registry::open(m_dir->path());
    QVERIFY(registry);
    const auto actor = (*registry)->tokens().authenticate(pat.out.trimmed());
    QVERIFY(actor);
    QCOMPARE(actor->username, u"mia"_s);
    QCOMPARE(actor->scopes, (QStringList{u"api"_s, u"read_api"_s}));
    const auto deployActor = (*registry)->tokens().authenticate(deploy.out.trimmed());
    QVERIFY(deployActor);
    QCOMPARE(deployActor->kind, Trove::Actor::Kind::DeployToken);
    const auto jobActor = (*registry)->tokens().authenticate(job.out.trimmed());
    QVERIFY(jobActor);
    QCOMPARE(jobActor->kind, Trove::Actor::Kind::JobToken);

    // Only digests are stored: no table holds a secret.
    const QString all = dump(m_dir->path());
    for (const Run &token : {pat, deploy, job}) {
        QVERIFY(!all.contains(token.out.trimmed()));
    }
}

void tst_AdminVerbs::jobTokenFinishFromStandardInput()
{
    const Run job = trove(withData(
        {u"job-token"_s, u"create"_s, u"--project"_s, u"acme/web/app"_s, u"--user"_s, u"mia"_s}));
    QCOMPARE(job.exitCode, 0);
    const Run finished = trove(withData({u"job-token"_s, u"finish"_s, u"-"_s}),
                               QProcessEnvironment::systemEnvironment(),
                               job.out.toUtf8());
    QVERIFY2(finished.exitCode == 0, qPrintable(finished.err));
    QCOMPARE(finished.out.trimmed(), u"finished"_s);
    Trove::Result<std::unique_ptr<Trove::Registry>> registry = Trove::Registry::open(m_dir->path());
    QVERIFY(registry);
    const auto actor = (*registry)->tokens().authenticate(job.out.trimmed());
    QVERIFY(!actor);
    QCOMPARE(actor.error().code, Trove::Error::Code::Unauthorized);
}

void tst_AdminVerbs::dataDirectoryForms()
{
    // --data before the noun.
    Run run = trove({u"--data"_s, m_dir->path(), u"user"_s, u"create"_s, u"early"_s});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    // TROVE_DATA.
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(u"TROVE_DATA"_s, m_dir->path());
    run = trove({u"user"_s, u"create"_s, u"fromenv"_s}, env);
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    QVERIFY(dump(m_dir->path()).contains(u"fromenv"_s));
    QVERIFY(dump(m_dir->path()).contains(u"early"_s));
}

void tst_AdminVerbs::helpAndUnknownCommands()
{
    Run run = trove({u"group"_s, u"create"_s, u"--help"_s});
    QCOMPARE(run.exitCode, 0);
    QVERIFY(run.out.contains(u"Usage: trove group create"_s));
    run = trove({u"group"_s, u"delete"_s, u"x"_s});
    QCOMPARE(run.exitCode, 2);
    QVERIFY(run.err.contains(u"unknown command"_s));
    QVERIFY(run.err.contains(u"trove deploy-token create"_s));
}

QTEST_GUILESS_MAIN(tst_AdminVerbs)
#include "tst_adminverbs.moc"
