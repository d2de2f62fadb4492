// SPDX-License-Identifier: GPL-3.0-or-later
// The PostgreSQL store itself (docs/postgresql.md): URLs, migrations when several instances start
// at once, the change stamp, and same-version publishes from two instances. Runs on the cluster
// of tests/pg/cluster.sh (TROVE_TEST_STORE); skipped without one.
#include "model/registry.h"
#include "model/store/database.h"
#include "model/store/pgschema.h"

#include "../model/testsupport.h"

#include <QElapsedTimer>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <atomic>
#include <optional>

using namespace Qt::StringLiterals;
using namespace Trove;

class tst_PgDatabase : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();
    void rejectsBadUrls_data();
    void rejectsBadUrls();
    void opensAndMigrates();
    void concurrentOpensMigrateOnce();
    void rejectsNewerSchema();
    void schemasAreSeparate();
    void changeStampSeesOtherInstances();
    void quietWritesKeepTheStamp();
    void notifiedStampSeesOtherInstances();
    void listenerComesBack();
    void twoInstancesPublishOnce();

private:
    QString storeUrl(const QString &schema) const
    {
        return TestSupport::testStore() + u"?schema="_s + schema;
    }
    static QVariant scalar(const Database &database, const QString &sql)
    {
        QSqlQuery query(QSqlDatabase::database(database.connectionName()));
        if (!query.exec(sql) || !query.next()) {
            return {};
        }
        return query.value(0);
    }

    QTemporaryDir m_dir;
    QString m_schema;
};

void tst_PgDatabase::initTestCase()
{
    if (TestSupport::testStore().isEmpty()) {
        QSKIP("No PostgreSQL cluster (TROVE_TEST_STORE): tests/pg/cluster.sh run DIR -- …");
    }
    QVERIFY(m_dir.isValid());
}

void tst_PgDatabase::init()
{
    m_schema = TestSupport::freshSchemaName();
    qunsetenv("TROVE_STORE");
}

void tst_PgDatabase::cleanup()
{
    TestSupport::dropSchema(m_schema);
}

void tst_PgDatabase::rejectsBadUrls_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("message");
    QTest::newRow("no database") << u"postgresql://trove@127.0.0.1/"_s
                                 << u"The PostgreSQL URL names no database"_s;
    QTest::newRow("unknown option") << u"postgresql://trove@127.0.0.1/trove?sslmode=x"_s
                                    << u"Unknown option sslmode in the PostgreSQL URL"_s;
    QTest::newRow("schema in capitals") << u"postgresql://trove@127.0.0.1/trove?schema=Main"_s
                                        << u"The schema must be lower-case letters"_s;
    QTest::newRow("schema with a quote") << u"postgresql://trove@127.0.0.1/trove?schema=a%22b"_s
                                         << u"The schema must be lower-case letters"_s;
    QTest::newRow("not postgresql")
        << u"mysql://trove@127.0.0.1/trove"_s << u"Not a PostgreSQL URL"_s;
}

void tst_PgDatabase::rejectsBadUrls()
{
    QFETCH(QString, url);
    QFETCH(QString, message);
    const auto opened = Database::open(m_dir.path(), url);
    QVERIFY(!opened);
    QCOMPARE(opened.error().code, Error::Code::Invalid);
    QVERIFY2(opened.error().message.startsWith(message), qPrintable(opened.error().message));
}

void tst_PgDatabase::opensAndMigrates()
{
    const auto opened = Database::open(m_dir.path(), storeUrl(m_schema));
    QVERIFY_RESULT(opened);
    const Database &database = **opened;
    QCOMPARE(database.dialect(), Database::Dialect::PostgreSQL);
    QCOMPARE(database.storeDisplay(), storeUrl(m_schema));
    QCOMPARE(scalar(database, u"SELECT current_schema()"_s).toString(), m_schema);
    QCOMPARE(scalar(database, u"SELECT value FROM meta WHERE key = 'schema_version'"_s).toInt(),
             Pg::schemaVersion());
    // Every table the stores use, in the store's schema.
    const QStringList tables = {
        u"namespaces"_s,
        u"projects"_s,
        u"users"_s,
        u"memberships"_s,
        u"personal_access_tokens"_s,
        u"deploy_tokens"_s,
        u"job_tokens"_s,
        u"packages"_s,
        u"dist_tags"_s,
        u"settings"_s,
        u"namespace_package_settings"_s,
        u"protection_rules"_s,
        u"package_readmes"_s,
        u"package_search"_s,
        u"change_stamp"_s,
        u"meta"_s,
    };
    for (const QString &table : tables) {
        QCOMPARE(scalar(database,
                        u"SELECT count(*) FROM information_schema.tables"
                        " WHERE table_schema = '%1' AND table_name = '%2'"_s.arg(m_schema, table))
                     .toInt(),
                 1);
    }
}

void tst_PgDatabase::concurrentOpensMigrateOnce()
{
    // Instances starting at once on an empty schema: without the advisory lock some would fail
    // on tables another is creating.
    constexpr int Instances = 6;
    // What each instance's open() said: empty when it succeeded.
    QStringList failures(Instances, u"did not run"_s);
    QList<QThread *> threads;
    std::atomic<int> ready{0};
    const QString url = storeUrl(m_schema);
    for (int i = 0; i < Instances; ++i) {
        threads.append(QThread::create([&, i] {
            ++ready;
            while (ready < Instances) {
                QThread::yieldCurrentThread();
            }
            // The Database (and this thread's connection) closes here, on this thread.
            const auto opened = Database::open(m_dir.path(), url);
            failures[i] = opened ? QString() : opened.error().message;
        }));
    }
    for (QThread *thread : std::as_const(threads)) {
        thread->start();
    }
    for (QThread *thread : std::as_const(threads)) {
        QVERIFY(thread->wait(60000));
        delete thread;
    }
    for (const QString &failure : std::as_const(failures)) {
        QVERIFY2(failure.isEmpty(), qPrintable(failure));
    }
    const auto opened = Database::open(m_dir.path(), url);
    QVERIFY_RESULT(opened);
    QCOMPARE(scalar(**opened, u"SELECT value FROM meta WHERE key = 'schema_version'"_s).toInt(),
             Pg::schemaVersion());
}

void tst_PgDatabase::rejectsNewerSchema()
{
    {
        const auto opened = Database::open(m_dir.path(), storeUrl(m_schema));
        QVERIFY_RESULT(opened);
        QSqlQuery update(QSqlDatabase::database((*opened)->connectionName()));
        QVERIFY(update.exec(u"UPDATE meta SET value = '99' WHERE key = 'schema_version'"_s));
    }
    const auto reopened = Database::open(m_dir.path(), storeUrl(m_schema));
    QVERIFY(!reopened);
    QCOMPARE(reopened.error().code, Error::Code::Storage);
    QVERIFY2(reopened.error().message.contains(u"has schema version 99, newer than this Trove"_s),
             qPrintable(reopened.error().message));
}

void tst_PgDatabase::schemasAreSeparate()
{
    const QString other = TestSupport::freshSchemaName();
    {
        qputenv("TROVE_STORE", storeUrl(m_schema).toUtf8());
        auto first = Registry::open(m_dir.path());
        QVERIFY_RESULT(first);
        QVERIFY_RESULT((*first)->namespaces().createGroup(u"acme"_s));
        QTemporaryDir otherDir;
        qputenv("TROVE_STORE", storeUrl(other).toUtf8());
        auto second = Registry::open(otherDir.path());
        QVERIFY_RESULT(second);
        QCOMPARE((*second)->namespaces().findGroup(u"acme"_s).error().code, Error::Code::NotFound);
        QVERIFY_RESULT((*first)->namespaces().findGroup(u"acme"_s));
    }
    qunsetenv("TROVE_STORE");
    TestSupport::dropSchema(other);
}

void tst_PgDatabase::changeStampSeesOtherInstances()
{
    const auto a = Database::open(m_dir.path(), storeUrl(m_schema));
    QVERIFY_RESULT(a);
    const auto b = Database::open(m_dir.path(), storeUrl(m_schema));
    QVERIFY_RESULT(b);
    const QByteArray before = (*a)->changeStamp();
    QCOMPARE((*b)->changeStamp(), before);
    QSqlQuery write(QSqlDatabase::database((*b)->connectionName()));
    QVERIFY(write.exec(u"INSERT INTO settings (key, value) VALUES ('k', 'v')"_s));
    const QByteArray after = (*a)->changeStamp();
    QVERIFY(after != before);
    QCOMPARE((*b)->changeStamp(), after);
    // A write that is rolled back changes nothing.
    QVERIFY(write.exec(u"BEGIN"_s));
    QVERIFY(write.exec(u"UPDATE settings SET value = 'w'"_s));
    QVERIFY(write.exec(u"ROLLBACK"_s));
    QCOMPARE((*a)->changeStamp(), after);
}

void tst_PgDatabase::quietWritesKeepTheStamp()
{
    qputenv("TROVE_STORE", storeUrl(m_schema).toUtf8());
    auto registry = Registry::open(m_dir.path());
    qunsetenv("TROVE_STORE");
    QVERIFY_RESULT(registry);
    const Result<User> user = (*registry)->users().createUser(u"mia"_s);
    QVERIFY_RESULT(user);
    QVERIFY_RESULT((*registry)->tokens().createPersonalAccessToken(user->id, {}, {u"api"_s}));
    const Database &database = (*registry)->database();
    const QByteArray before = database.changeStamp();
    QVERIFY_RESULT(database.writeQuietly([&database]() -> Result<void> {
        QSqlQuery update(QSqlDatabase::database(database.connectionName()));
        if (!update.exec(u"UPDATE personal_access_tokens SET last_used_at = 1234"_s)) {
            return Error::storage(u"update failed"_s);
        }
        return {};
    }));
    QCOMPARE(scalar(database, u"SELECT last_used_at FROM personal_access_tokens"_s).toLongLong(),
             1234);
    QCOMPARE(database.changeStamp(), before);
    // Any other column of the same table is no quiet write.
    QSqlQuery revoke(QSqlDatabase::database(database.connectionName()));
    QVERIFY(revoke.exec(u"UPDATE personal_access_tokens SET revoked = 1"_s));
    QVERIFY(database.changeStamp() != before);
}

void tst_PgDatabase::notifiedStampSeesOtherInstances()
{
    const auto writer = Database::open(m_dir.path(), storeUrl(m_schema));
    QVERIFY_RESULT(writer);
    const auto watcher = Database::open(m_dir.path(), storeUrl(m_schema));
    QVERIFY_RESULT(watcher);
    QVERIFY_RESULT((*watcher)->watchChanges());
    QVERIFY((*watcher)->isWatchingChanges());
    QVERIFY(!(*writer)->isWatchingChanges());
    QByteArray before = (*writer)->changeStamp();
    QCOMPARE((*watcher)->changeStamp(), before);

    QSqlQuery write(QSqlDatabase::database((*writer)->connectionName()));
    for (int i = 0; i < 5; ++i) {
        QElapsedTimer elapsed;
        elapsed.start();
        QVERIFY(write.exec(u"INSERT INTO settings (key, value) VALUES ('k%1', 'v')"_s.arg(i)));
        // Looked at every half millisecond (QTRY_ would wait 50 ms between looks).
        while ((*watcher)->changeStamp() == before && elapsed.elapsed() < 2000) {
            QThread::usleep(500);
        }
        qInfo("notified after %lld ms", elapsed.elapsed());
        QVERIFY2(elapsed.elapsed() < 100, qPrintable(u"%1 ms"_s.arg(elapsed.elapsed())));
        // The notified value is the row's, not just some other value.
        before = (*writer)->changeStamp();
        QCOMPARE((*watcher)->changeStamp(), before);
    }

    // A write rolled back notifies nothing, nor does a quiet one.
    QVERIFY(write.exec(u"BEGIN"_s));
    QVERIFY(write.exec(u"UPDATE settings SET value = 'w'"_s));
    QVERIFY(write.exec(u"ROLLBACK"_s));
    const Database &writerDatabase = **writer;
    QVERIFY_RESULT(writerDatabase.writeQuietly([&writerDatabase]() -> Result<void> {
        QSqlQuery update(QSqlDatabase::database(writerDatabase.connectionName()));
        if (!update.exec(u"UPDATE packages SET last_downloaded_at = 1"_s)) {
            return Error::storage(u"update failed"_s);
        }
        return {};
    }));
    QTest::qWait(200);
    QCOMPARE((*watcher)->changeStamp(), before);
}

void tst_PgDatabase::listenerComesBack()
{
    const auto writer = Database::open(m_dir.path(), storeUrl(m_schema));
    QVERIFY_RESULT(writer);
    const auto watcher = Database::open(m_dir.path(), storeUrl(m_schema));
    QVERIFY_RESULT(watcher);
    QVERIFY_RESULT((*watcher)->watchChanges());
    QVERIFY((*watcher)->isWatchingChanges());

    // The listening connection ends (a restart of the server, a network cut).
    QSqlQuery terminate(TestSupport::adminConnection());
    QVERIFY2(terminate.exec(
                 u"SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                 " WHERE application_name = '%1'"_s.arg(Pg::ChangeListener::applicationName())),
             qPrintable(terminate.lastError().text()));
    QVERIFY(terminate.next());
    QCOMPARE(terminate.value(0).toInt(), 1);

    // Commits meanwhile are not lost: the stamp is read while it is away, and it listens again.
    QSqlQuery write(QSqlDatabase::database((*writer)->connectionName()));
    QVERIFY(write.exec(u"INSERT INTO settings (key, value) VALUES ('k', 'v')"_s));
    QTRY_COMPARE_WITH_TIMEOUT((*watcher)->changeStamp(), (*writer)->changeStamp(), 5000);
    QTRY_VERIFY_WITH_TIMEOUT((*watcher)->isWatchingChanges(), 5000);
    const QByteArray before = (*writer)->changeStamp();
    QVERIFY(write.exec(u"UPDATE settings SET value = 'w'"_s));
    QTRY_VERIFY_WITH_TIMEOUT((*watcher)->changeStamp() != before, 1000);
    QCOMPARE((*watcher)->changeStamp(), (*writer)->changeStamp());
}

void tst_PgDatabase::twoInstancesPublishOnce()
{
    // Two instances (own data directories, own connections) on one store, several publishes of
    // one version on each at once: exactly one succeeds, through the unique constraint and the
    // write lock that both instances share.
    qputenv("TROVE_STORE", storeUrl(m_schema).toUtf8());
    QTemporaryDir firstDir;
    QTemporaryDir secondDir;
    auto first = Registry::open(firstDir.path());
    QVERIFY_RESULT(first);
    auto second = Registry::open(secondDir.path());
    QVERIFY_RESULT(second);
    qunsetenv("TROVE_STORE");
    QVERIFY_RESULT((*first)->namespaces().createGroup(u"acme"_s));
    const Result<Project> project = (*first)->namespaces().createProject(u"acme/a"_s);
    QVERIFY_RESULT(project);

    constexpr int Threads = 8;
    QList<PackageService::PublishRequest> requests;
    for (int i = 0; i < Threads; ++i) {
        requests.append(TestSupport::publishRequest(project->id, u"@acme/widget"_s, u"1.0.0"_s));
    }
    QList<std::optional<Result<Package>>> results(Threads);
    QList<QThread *> threads;
    std::atomic<int> ready{0};
    for (int i = 0; i < Threads; ++i) {
        Registry *registry = (i % 2 ? first : second)->get();
        threads.append(QThread::create([&, i, registry] {
            ++ready;
            while (ready < Threads) {
                QThread::yieldCurrentThread();
            }
            results[i] = registry->packages().publish(requests.at(i));
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
    for (const auto &result : std::as_const(results)) {
        QVERIFY(result.has_value());
        if (result->has_value()) {
            ++winners;
        } else {
            QCOMPARE(result->error().message, u"Package already exists."_s);
        }
    }
    QCOMPARE(winners, 1);
    QCOMPARE(*(*first)->packages().store().packageCount(), 1);
    QCOMPARE(*(*second)->packages().store().packageCount(), 1);
}

QTEST_GUILESS_MAIN(tst_PgDatabase)
#include "tst_pgdatabase.moc"
