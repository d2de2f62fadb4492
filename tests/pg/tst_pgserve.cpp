// SPDX-License-Identifier: GPL-3.0-or-later
// The real `trove` binary on a PostgreSQL store (docs/postgresql.md, docs/cli.md): --store and
// TROVE_STORE for the admin verbs and `trove serve`, passwords kept out of every message,
// backup and restore refused, and two `trove serve` on one store and one shared data folder,
// a version published through one served by the other within 100 ms. Runs on the cluster of
// tests/pg/cluster.sh (TROVE_TEST_STORE); skipped without one.
#include "../model/testsupport.h"
#include "pgsupport.h"

#include <QDir>
#include <QElapsedTimer>
#include <QHash>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <utility>

using namespace Qt::StringLiterals;
using namespace PgSupport;

class tst_PgServe : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();
    void storeOptionChoosesTheDatabase();
    void passwordIsNeverShown();
    void backupAndRestoreRefuse_data();
    void backupAndRestoreRefuse();
    void helpListsTheOption();
    void twoServersOnOneStore();

private:
    // A fresh schema of the test cluster for each test function, dropped after it.
    QString newStore()
    {
        const QString schema = TestSupport::freshSchemaName();
        m_schemas.append(schema);
        return TestSupport::testStore() + u"?schema="_s + schema;
    }
    // The test cluster's URL with a password added (the cluster trusts loopback, so libpq never
    // sends it): what a password must never be shown as.
    static QString withPassword(const QString &store, const QString &password)
    {
        QUrl url(store);
        url.setPassword(password);
        return url.toString();
    }

    QStringList m_schemas;
};

void tst_PgServe::initTestCase()
{
    if (TestSupport::testStore().isEmpty()) {
        QSKIP("No PostgreSQL cluster (TROVE_TEST_STORE): tests/pg/cluster.sh run DIR -- …");
    }
    QVERIFY2(QFileInfo(TroveBinary).isExecutable(), qPrintable(TroveBinary));
}

void tst_PgServe::init()
{
    m_schemas.clear();
}

void tst_PgServe::cleanup()
{
    for (const QString &schema : std::as_const(m_schemas)) {
        TestSupport::dropSchema(schema);
    }
}

void tst_PgServe::storeOptionChoosesTheDatabase()
{
    QTemporaryDir first;
    QTemporaryDir second;
    QVERIFY(first.isValid() && second.isValid());
    const QString storeA = newStore();
    const QString storeB = newStore();

    Run run = trove(
        {u"user"_s, u"create"_s, u"alice"_s, u"--data"_s, first.path(), u"--store"_s, storeA});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    // The database is the store, not the data folder's file: another folder sees alice.
    run = trove({u"user"_s, u"list"_s, u"--data"_s, second.path(), u"--store"_s, storeA});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    QVERIFY2(run.out.contains(u"alice"_s), qPrintable(run.out));
    QVERIFY(!QFileInfo::exists(QDir(second.path()).filePath(u"trove.sqlite"_s)));
    QVERIFY(!QFileInfo::exists(QDir(first.path()).filePath(u"trove.sqlite"_s)));

    // TROVE_STORE alone.
    run = trove({u"user"_s, u"list"_s, u"--data"_s, second.path()}, storeA);
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    QVERIFY2(run.out.contains(u"alice"_s), qPrintable(run.out));

    // --store beats the environment.
    run = trove({u"user"_s, u"list"_s, u"--data"_s, second.path(), u"--store"_s, storeB}, storeA);
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    QVERIFY2(!run.out.contains(u"alice"_s), qPrintable(run.out));

    // An empty --store is the SQLite file of the data folder, whatever the environment says.
    run = trove({u"user"_s, u"list"_s, u"--data"_s, second.path(), u"--store="_s}, storeA);
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    QVERIFY2(!run.out.contains(u"alice"_s), qPrintable(run.out));
    QVERIFY(QFileInfo::exists(QDir(second.path()).filePath(u"trove.sqlite"_s)));

    // trove serve takes the same option: a user created through the CLI on store A logs in.
    Server server;
    const quint16 port = server.start({u"--data"_s, second.path()}, storeA);
    QVERIFY2(port != 0, qPrintable(server.output()));
    QVERIFY2(server.output().contains(u"Store "_s + TestSupport::testStore()),
             qPrintable(server.output()));
}

void tst_PgServe::passwordIsNeverShown()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString secret = u"s3cret-pw"_s;

    // Nothing listens on port 1: the refusal names the store, without its password.
    const QString unreachable = u"postgresql://trove:%1@127.0.0.1:1/nodb"_s.arg(secret);
    Run run = trove({u"user"_s, u"list"_s, u"--data"_s, dir.path(), u"--store"_s, unreachable});
    QCOMPARE(run.exitCode, 1);
    QVERIFY2(run.err.contains(u"postgresql://trove@127.0.0.1:1/nodb"_s), qPrintable(run.err));
    QVERIFY2(!QString(run.out + run.err).contains(secret), qPrintable(run.err));

    // A malformed one too (an unknown option).
    run = trove({u"user"_s,
                 u"list"_s,
                 u"--data"_s,
                 dir.path(),
                 u"--store"_s,
                 unreachable + u"?sslmode=require"_s});
    QCOMPARE(run.exitCode, 1);
    QVERIFY2(!QString(run.out + run.err).contains(secret), qPrintable(run.err));

    Server refused;
    QCOMPARE(refused.start({u"--data"_s, dir.path(), u"--store"_s, unreachable}), quint16(0));
    QVERIFY(refused.process().state() == QProcess::NotRunning
            || refused.process().waitForFinished(30000));
    QCOMPARE(refused.process().exitCode(), 1);
    QVERIFY2(refused.output().contains(u"postgresql://trove@127.0.0.1:1/nodb"_s),
             qPrintable(refused.output()));
    QVERIFY2(!refused.output().contains(secret), qPrintable(refused.output()));

    // A store that opens: its line on stdout has no password either.
    const QString store = newStore();
    Server server;
    QVERIFY2(server.start({u"--data"_s, dir.path(), u"--store"_s, withPassword(store, secret)})
                 != 0,
             qPrintable(server.output()));
    QVERIFY2(server.output().contains(u"Store "_s + store), qPrintable(server.output()));
    QVERIFY2(!server.output().contains(secret), qPrintable(server.output()));
}

void tst_PgServe::backupAndRestoreRefuse_data()
{
    QTest::addColumn<QString>("verb");
    QTest::addColumn<bool>("fromEnvironment");
    QTest::newRow("backup --store") << u"backup"_s << false;
    QTest::newRow("backup TROVE_STORE") << u"backup"_s << true;
    QTest::newRow("restore --store") << u"restore"_s << false;
    QTest::newRow("restore TROVE_STORE") << u"restore"_s << true;
}

void tst_PgServe::backupAndRestoreRefuse()
{
    QFETCH(QString, verb);
    QFETCH(bool, fromEnvironment);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString store = newStore();
    const QString data = QDir(dir.path()).filePath(u"data"_s);
    const QString target = QDir(dir.path()).filePath(u"target"_s);
    QStringList arguments{verb, target, u"--data"_s, data};
    if (!fromEnvironment) {
        arguments << u"--store"_s << withPassword(store, u"hunter2"_s);
    }
    const Run run =
        trove(arguments, fromEnvironment ? withPassword(store, u"hunter2"_s) : QString());
    QCOMPARE(run.exitCode, 1);
    QVERIFY2(run.err.startsWith(u"trove "_s + verb + u": "_s), qPrintable(run.err));
    QVERIFY2(run.err.contains(u"pg_dump"_s), qPrintable(run.err));
    QVERIFY2(!run.err.contains(u"hunter2"_s), qPrintable(run.err));
    QCOMPARE(run.err.count(u'\n'), 1);
    // Refused before anything was made or connected to.
    QVERIFY(!QFileInfo::exists(target));
    QVERIFY(!QFileInfo::exists(data));
}

void tst_PgServe::helpListsTheOption()
{
    Run run = trove({u"--help"_s});
    QCOMPARE(run.exitCode, 0);
    QVERIFY2(run.out.contains(u"trove serve [--listen HOST:PORT] [--data DIR] [--store URL]"_s),
             qPrintable(run.out));
    QVERIFY2(run.out.contains(u"  --store URL "_s), qPrintable(run.out));
    QVERIFY2(run.out.contains(u"$TROVE_STORE"_s), qPrintable(run.out));
    run = trove({u"help"_s});
    QCOMPARE(run.exitCode, 0);
    QVERIFY2(run.out.contains(u"--store URL"_s), qPrintable(run.out));
    run = trove({u"user"_s, u"list"_s, u"--help"_s});
    QCOMPARE(run.exitCode, 0);
    QVERIFY2(run.out.contains(u"[--store URL]"_s), qPrintable(run.out));
}

void tst_PgServe::twoServersOnOneStore()
{
    // One store, one data folder shared by both servers (the blobs), as two machines would
    // share a network folder.
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString data = dir.path();
    const QString store = newStore();
    qint64 projectId = 0;
    QByteArray token;
    const QList<QStringList> steps = {
        {u"group"_s, u"create"_s, u"acme"_s, u"--visibility"_s, u"public"_s},
        {u"project"_s, u"create"_s, u"acme/web"_s, u"--visibility"_s, u"public"_s},
        {u"user"_s, u"create"_s, u"mia"_s},
        {u"member"_s, u"add"_s, u"--group"_s, u"acme"_s, u"mia"_s, u"maintainer"_s},
        {u"token"_s, u"create"_s, u"mia"_s},
        {u"forwarding"_s, u"set"_s, u"off"_s},
    };
    for (const QStringList &step : steps) {
        const Run run = trove(step + QStringList{u"--data"_s, data, u"--store"_s, store});
        QVERIFY2(run.exitCode == 0, qPrintable(step.join(u' ') + u": "_s + run.err));
        if (step.at(0) == u"project"_s) {
            projectId = run.out.trimmed().toLongLong();
        } else if (step.at(0) == u"token"_s) {
            token = run.out.trimmed().toUtf8();
        }
    }
    QVERIFY(projectId > 0 && !token.isEmpty());

    Server first;
    Server second;
    QVERIFY2(first.start({u"--data"_s, data, u"--store"_s, store}) != 0,
             qPrintable(first.output()));
    QVERIFY2(second.start({u"--data"_s, data, u"--store"_s, store}) != 0,
             qPrintable(second.output()));

    // Each listens for the store's changes on a connection of its own (docs/postgresql.md).
    for (Server *server : {&first, &second}) {
        QSqlQuery listening(TestSupport::adminConnection());
        QVERIFY(listening.exec(
            u"SELECT count(*) FROM pg_stat_activity"
            " WHERE application_name = 'trove-listener-%1'"_s.arg(server->process().processId())));
        QVERIFY(listening.next());
        QCOMPARE(listening.value(0).toInt(), 1);
    }

    QNetworkAccessManager network;
    QHash<QString, QByteArray> tarballs;
    const auto publish = [&](quint16 port, const QString &version) {
        QNetworkRequest put = apiRequest(port, projectId, u"widget"_s, token);
        put.setHeader(QNetworkRequest::ContentTypeHeader, u"application/json"_s);
        put.setRawHeader("Npm-Command", "publish");
        const QByteArray tarball = makeTarball(u"widget"_s, version);
        tarballs.insert(version, tarball);
        return request(network, put, "PUT", publishBody(u"widget"_s, version, tarball));
    };
    const auto versionsAt = [&](quint16 port) {
        const Answer answer =
            request(network, apiRequest(port, projectId, u"widget"_s, token), "GET");
        return std::make_pair(
            answer.status,
            QJsonDocument::fromJson(answer.body).object().value(u"versions"_s).toObject().keys());
    };

    QCOMPARE(publish(first.port(), u"1.0.0"_s).status, 200);
    // The second server answers (and keeps in its response cache) the document with 1.0.0.
    for (int i = 0; i < 3; ++i) {
        QCOMPARE(versionsAt(second.port()), std::make_pair(200, QStringList{u"1.0.0"_s}));
    }

    // Each round: publish through one, then ask the other until it serves the new version.
    const QList<std::pair<Server *, Server *>> rounds = {
        {&first, &second}, {&second, &first}, {&first, &second}};
    QStringList expected{u"1.0.0"_s};
    for (qsizetype round = 0; round < rounds.size(); ++round) {
        auto [writer, reader] = rounds.at(round);
        const QString version = u"1.0.%1"_s.arg(round + 1);
        expected.append(version);
        // Cached on the reader before the write.
        QCOMPARE(versionsAt(reader->port()).first, 200);
        QCOMPARE(publish(writer->port(), version).status, 200);
        // What counts is when a request to the other server first gets the new version: the
        // time that request was sent, not when its answer came back (on two loaded cores one
        // answer alone can take tens of milliseconds, whatever the store).
        QElapsedTimer elapsed;
        elapsed.start();
        std::pair<int, QStringList> seen;
        qint64 sentAt = 0;
        int stale = 0;
        while (elapsed.elapsed() < 5000) {
            sentAt = elapsed.elapsed();
            seen = versionsAt(reader->port());
            if (seen.second.contains(version)) {
                break;
            }
            ++stale;
            QTest::qWait(2);
        }
        qInfo("round %lld: asked %lld ms after the publish, the other server answered the new"
              " version (%d stale answers before, answered after %lld ms)",
              round + 1,
              sentAt,
              stale,
              elapsed.elapsed());
        QCOMPARE(seen, std::make_pair(200, expected));
        QVERIFY2(sentAt < 100, qPrintable(u"%1 ms"_s.arg(sentAt)));

        // Its tarball too, from the shared folder.
        const Answer tarball = request(
            network,
            apiRequest(reader->port(), projectId, u"widget/-/widget-%1.tgz"_s.arg(version), token),
            "GET");
        QCOMPARE(tarball.status, 200);
        QCOMPARE(tarball.body, tarballs.value(version));
    }
    // The same version through the other server: refused, once published is published.
    const Answer again = [&] {
        QNetworkRequest put = apiRequest(second.port(), projectId, u"widget"_s, token);
        put.setHeader(QNetworkRequest::ContentTypeHeader, u"application/json"_s);
        put.setRawHeader("Npm-Command", "publish");
        return request(network,
                       put,
                       "PUT",
                       publishBody(u"widget"_s, u"1.0.1"_s, makeTarball(u"widget"_s, u"1.0.1"_s)));
    }();
    QCOMPARE(again.status, 403);
}

QTEST_GUILESS_MAIN(tst_PgServe)
#include "tst_pgserve.moc"
