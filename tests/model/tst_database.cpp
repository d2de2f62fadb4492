// SPDX-License-Identifier: GPL-3.0-or-later
#include "model/store/database.h"

#include <QElapsedTimer>
#include <QProcess>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

using namespace Qt::StringLiterals;
using namespace Trove;

class tst_Database : public QObject
{
    Q_OBJECT

private slots:
    void opensAndMigrates();
    void pragmasOnEveryConnection_data();
    void pragmasOnEveryConnection();
    void reopenKeepsVersion();
    void rejectsNewerSchema();
    void connectionPerThread();
    void quietWritesKeepTheStamp_data();
    void quietWritesKeepTheStamp();
    void quietWriteDoesNotWaitForTheLock();
};

static QVariant pragma(const QString &connection, const QString &name)
{
    QSqlQuery query(QSqlDatabase::database(connection));
    if (!query.exec(u"PRAGMA "_s + name) || !query.next()) {
        return {};
    }
    return query.value(0);
}

void tst_Database::opensAndMigrates()
{
    QTemporaryDir dir;
    auto database = Database::open(dir.path() + u"/nested/data"_s);
    QVERIFY2(database, qPrintable(database ? QString() : database.error().message));
    QVERIFY(QFile::exists(dir.path() + u"/nested/data/trove.sqlite"_s));
    QSqlQuery query(QSqlDatabase::database((*database)->connectionName()));
    QVERIFY(query.exec(u"SELECT value FROM meta WHERE key = 'schema_version'"_s));
    QVERIFY(query.next());
    QCOMPARE(query.value(0).toInt(), Database::schemaVersion());
}

void tst_Database::pragmasOnEveryConnection_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("expected");
    QTest::addRow("foreign keys") << u"foreign_keys"_s << u"1"_s;
    QTest::addRow("wal") << u"journal_mode"_s << u"wal"_s;
    QTest::addRow("synchronous full") << u"synchronous"_s << u"2"_s;
}

void tst_Database::pragmasOnEveryConnection()
{
    QFETCH(QString, name);
    QFETCH(QString, expected);
    QTemporaryDir dir;
    auto database = Database::open(dir.path());
    QVERIFY(database);
    QCOMPARE(pragma((*database)->connectionName(), name).toString(), expected);

    QString fromThread;
    QThread *thread = QThread::create(
        [&] { fromThread = pragma((*database)->connectionName(), name).toString(); });
    thread->start();
    QVERIFY(thread->wait(10000));
    delete thread;
    QCOMPARE(fromThread, expected);
}

void tst_Database::reopenKeepsVersion()
{
    QTemporaryDir dir;
    {
        auto first = Database::open(dir.path());
        QVERIFY(first);
        QSqlQuery insert(QSqlDatabase::database((*first)->connectionName()));
        QVERIFY(insert.exec(u"INSERT INTO users (username, created_at) VALUES ('ada', 1)"_s));
    }
    auto second = Database::open(dir.path());
    QVERIFY(second);
    QSqlQuery query(QSqlDatabase::database((*second)->connectionName()));
    QVERIFY(query.exec(u"SELECT count(*) FROM users"_s));
    QVERIFY(query.next());
    QCOMPARE(query.value(0).toInt(), 1);
}

void tst_Database::rejectsNewerSchema()
{
    QTemporaryDir dir;
    {
        auto first = Database::open(dir.path());
        QVERIFY(first);
        QSqlQuery update(QSqlDatabase::database((*first)->connectionName()));
        QVERIFY(update.exec(u"UPDATE meta SET value = '999' WHERE key = 'schema_version'"_s));
    }
    auto second = Database::open(dir.path());
    QVERIFY(!second);
    QVERIFY2(second.error().message.contains(u"newer"_s), qPrintable(second.error().message));
}

void tst_Database::connectionPerThread()
{
    QTemporaryDir dir;
    auto database = Database::open(dir.path());
    QVERIFY(database);
    const QString mine = (*database)->connectionName();
    QCOMPARE((*database)->connectionName(), mine);
    QString theirs;
    QThread *thread = QThread::create([&] { theirs = (*database)->connectionName(); });
    thread->start();
    QVERIFY(thread->wait(10000));
    delete thread;
    QVERIFY(!theirs.isEmpty());
    QVERIFY(theirs != mine);
    // The thread's exit closed its connection.
    QVERIFY(!QSqlDatabase::contains(theirs));
}

void tst_Database::quietWritesKeepTheStamp_data()
{
    // Steps, each followed by whether the change stamp must differ from the one before it.
    // quiet: writeQuietly() commits a row; quiet-empty: it changes nothing; quiet-failed: its
    // work fails and is rolled back; own: a plain commit on the same connection; thread:
    // a commit on another thread's connection; process: a commit by the sqlite3 program.
    QTest::addColumn<QStringList>("steps");
    QTest::addColumn<QList<bool>>("changed");
    QTest::newRow("quiet") << QStringList{u"quiet"_s} << QList<bool>{false};
    QTest::newRow("quiet chain") << QStringList{u"quiet"_s, u"quiet"_s, u"quiet"_s}
                                 << QList<bool>{false, false, false};
    QTest::newRow("quiet empty") << QStringList{u"quiet-empty"_s} << QList<bool>{false};
    QTest::newRow("quiet failed") << QStringList{u"quiet-failed"_s, u"quiet"_s}
                                  << QList<bool>{false, false};
    QTest::newRow("own") << QStringList{u"own"_s} << QList<bool>{true};
    QTest::newRow("quiet then own")
        << QStringList{u"quiet"_s, u"quiet"_s, u"own"_s, u"quiet"_s, u"own"_s}
        << QList<bool>{false, false, true, false, true};
    QTest::newRow("another thread")
        << QStringList{u"quiet"_s, u"thread"_s, u"quiet"_s} << QList<bool>{false, true, false};
    QTest::newRow("another process")
        << QStringList{u"quiet"_s, u"process"_s, u"quiet"_s} << QList<bool>{false, true, false};
}

static bool execOn(const QString &connection, const QString &sql)
{
    QSqlQuery query(QSqlDatabase::database(connection));
    if (!query.exec(sql)) {
        qWarning() << sql << query.lastError().text();
        return false;
    }
    return true;
}

void tst_Database::quietWritesKeepTheStamp()
{
    QFETCH(QStringList, steps);
    QFETCH(QList<bool>, changed);
    QTemporaryDir dir;
    auto opened = Database::open(dir.path());
    QVERIFY(opened);
    const Database &database = **opened;
    const QString connection = database.connectionName();

    int counter = 0;
    for (qsizetype i = 0; i < steps.size(); ++i) {
        const QString &step = steps.at(i);
        const QString key = u"k%1"_s.arg(++counter);
        const QString insert = u"INSERT INTO settings (key, value) VALUES ('%1', 'v')"_s.arg(key);
        const QByteArray before = database.changeStamp();
        if (step == u"quiet"_s || step == u"quiet-empty"_s || step == u"quiet-failed"_s) {
            const Result<void> written = database.writeQuietly([&]() -> Result<void> {
                if (step == u"quiet-empty"_s) {
                    return {};
                }
                if (!execOn(connection, insert)) {
                    return Error::storage(u"insert failed"_s);
                }
                if (step == u"quiet-failed"_s) {
                    return Error::invalid(u"changed my mind"_s);
                }
                return {};
            });
            QCOMPARE(bool(written), step != u"quiet-failed"_s);
        } else if (step == u"own"_s) {
            QVERIFY(execOn(connection, insert));
        } else if (step == u"thread"_s) {
            bool ok = false;
            QThread *thread =
                QThread::create([&] { ok = execOn(database.connectionName(), insert); });
            thread->start();
            QVERIFY(thread->wait(10000));
            delete thread;
            QVERIFY(ok);
        } else if (step == u"process"_s) {
            QProcess sqlite;
            sqlite.start(u"sqlite3"_s, {database.filePath(), insert});
            QVERIFY(sqlite.waitForFinished(10000));
            QCOMPARE(sqlite.exitStatus(), QProcess::NormalExit);
            QCOMPARE(sqlite.exitCode(), 0);
            QCOMPARE(sqlite.readAllStandardError(), QByteArray());
        } else {
            QFAIL(qPrintable(step));
        }
        const QByteArray after = database.changeStamp();
        QVERIFY2((after != before) == changed.at(i),
                 qPrintable(u"step %1 (%2)"_s.arg(i + 1).arg(step)));
        // Every committed row is really there, quiet or not.
        QSqlQuery count(QSqlDatabase::database(connection));
        QVERIFY(count.exec(u"SELECT count(*) FROM settings WHERE key = '%1'"_s.arg(key)));
        QVERIFY(count.next());
        QCOMPARE(count.value(0).toInt(), step.startsWith(u"quiet-"_s) ? 0 : 1);
    }
}

void tst_Database::quietWriteDoesNotWaitForTheLock()
{
    QTemporaryDir dir;
    auto opened = Database::open(dir.path());
    QVERIFY(opened);
    const Database &database = **opened;
    const QByteArray stamp = database.changeStamp();
    {
        QSqlDatabase other = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"holder"_s);
        other.setDatabaseName(database.filePath());
        QVERIFY(other.open());
        QVERIFY(execOn(u"holder"_s, u"BEGIN IMMEDIATE"_s));
        QVERIFY(execOn(u"holder"_s, u"INSERT INTO settings (key, value) VALUES ('a', 'b')"_s));

        bool ran = false;
        QElapsedTimer timer;
        timer.start();
        const Result<void> written = database.writeQuietly([&]() -> Result<void> {
            ran = true;
            return {};
        });
        QVERIFY2(timer.elapsed() < 100, qPrintable(QString::number(timer.elapsed())));
        QVERIFY(!written);
        QCOMPARE(written.error().code, Error::Code::Conflict);
        QVERIFY(!ran);
        QCOMPARE(database.changeStamp(), stamp);

        // The connection's busy timeout is back: a plain write waits for the lock again.
        QSqlQuery timeout(QSqlDatabase::database(database.connectionName()));
        QVERIFY(timeout.exec(u"PRAGMA busy_timeout"_s) && timeout.next());
        QCOMPARE(timeout.value(0).toInt(), 30000);

        QVERIFY(execOn(u"holder"_s, u"COMMIT"_s));
        other.close();
    }
    QSqlDatabase::removeDatabase(u"holder"_s);
    QVERIFY(database.changeStamp() != stamp);
    QVERIFY(database.writeQuietly([] { return Result<void>(); }));
}

QTEST_GUILESS_MAIN(tst_Database)
#include "tst_database.moc"
