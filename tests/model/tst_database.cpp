// SPDX-License-Identifier: GPL-3.0-or-later
#include "model/store/database.h"

#include <QSqlDatabase>
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

QTEST_GUILESS_MAIN(tst_Database)
#include "tst_database.moc"
