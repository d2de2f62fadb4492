// SPDX-License-Identifier: GPL-3.0-or-later
// When versions were last downloaded: recorded in memory, written in batches by quiet writes
// that leave the change stamp alone, merged into every read, and written when the store closes.

#include "model/store/packagestore.h"

#include "testsupport.h"

#include <QSqlQuery>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Trove;

class tst_DownloadUsage : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void batching_data();
    void batching();
    void readsMergeMemory();
    void newestWins();
    void writtenOnClose();
    void byName();

private:
    Result<Package> publish(const QString &name, const QString &version);
    // The stored column, straight from SQLite; invalid when null.
    QDateTime storedDownload(qint64 packageId);
    PackageStore store() { return PackageStore(m_fixture->database()); }

    TestSupport::RegistryFixture m_fixture;
    qint64 m_project = 0;
};

void tst_DownloadUsage::init()
{
    QVERIFY2(m_fixture.open(), qPrintable(m_fixture.error()));
    QVERIFY_RESULT(m_fixture->namespaces().createGroup(u"acme"_s));
    const Result<Project> project = m_fixture->namespaces().createProject(u"acme/a"_s);
    QVERIFY_RESULT(project);
    m_project = project->id;
}

void tst_DownloadUsage::cleanup()
{
    m_fixture.close();
}

Result<Package> tst_DownloadUsage::publish(const QString &name, const QString &version)
{
    return m_fixture->packages().publish(
        TestSupport::publishRequest(m_project, name, version, u"latest"_s));
}

QDateTime tst_DownloadUsage::storedDownload(qint64 packageId)
{
    QSqlQuery query(m_fixture.connection());
    query.prepare(u"SELECT last_downloaded_at FROM packages WHERE id = ?"_s);
    query.addBindValue(packageId);
    if (!query.exec() || !query.next() || query.value(0).isNull()) {
        return {};
    }
    return QDateTime::fromMSecsSinceEpoch(query.value(0).toLongLong(), Qt::UTC);
}

void tst_DownloadUsage::batching_data()
{
    QTest::addColumn<qint64>("intervalMs");
    QTest::addColumn<int>("downloads");
    QTest::addColumn<bool>("writtenAtOnce");

    QTest::addRow("interval not reached: nothing written") << qint64(60 * 60 * 1000) << 5 << false;
    QTest::addRow("interval 0: the first download writes") << qint64(0) << 1 << true;
    QTest::addRow("interval 0: many downloads, one row") << qint64(0) << 20 << true;
}

void tst_DownloadUsage::batching()
{
    QFETCH(qint64, intervalMs);
    QFETCH(int, downloads);
    QFETCH(bool, writtenAtOnce);

    const Result<Package> package = publish(u"widget"_s, u"1.0.0"_s);
    QVERIFY_RESULT(package);
    m_fixture->database().downloadUsage().setFlushIntervalMs(intervalMs);
    const QByteArray stamp = m_fixture->database().changeStamp();
    const QDateTime before = QDateTime::currentDateTimeUtc().addMSecs(-1);

    for (int i = 0; i < downloads; ++i) {
        store().recordDownload(package->id);
    }

    const QDateTime stored = storedDownload(package->id);
    QCOMPARE(stored.isValid(), writtenAtOnce);
    // Pending downloads are all that memory holds: a written batch leaves nothing behind.
    QCOMPARE(m_fixture->database().downloadUsage().pending().isEmpty(), writtenAtOnce);
    if (writtenAtOnce) {
        QVERIFY(stored >= before);
    }
    // Quiet writes: the server's response cache is not cleared by downloads.
    QCOMPARE(m_fixture->database().changeStamp(), stamp);

    // An explicit flush writes whatever waits.
    const Result<int> flushed = store().flushDownloads(Database::LockWait::Yes);
    QVERIFY_RESULT(flushed);
    QCOMPARE(*flushed, writtenAtOnce ? 0 : 1);
    QVERIFY(storedDownload(package->id) >= before);
    QCOMPARE(m_fixture->database().changeStamp(), stamp);
}

void tst_DownloadUsage::readsMergeMemory()
{
    const Result<Package> used = publish(u"widget"_s, u"1.0.0"_s);
    const Result<Package> unused = publish(u"widget"_s, u"1.1.0"_s);
    QVERIFY_RESULT(used);
    QVERIFY_RESULT(unused);
    m_fixture->database().downloadUsage().setFlushIntervalMs(60 * 60 * 1000);

    store().recordDownload(used->id);
    QVERIFY(!storedDownload(used->id).isValid());

    const Result<QHash<qint64, QDateTime>> times = store().lastDownloads({used->id, unused->id});
    QVERIFY_RESULT(times);
    QVERIFY(times->contains(used->id));
    QVERIFY(!times->contains(unused->id));
    QCOMPARE(times->value(used->id),
             m_fixture->database().downloadUsage().pending().value(used->id));
}

void tst_DownloadUsage::newestWins()
{
    const Result<Package> package = publish(u"widget"_s, u"1.0.0"_s);
    QVERIFY_RESULT(package);
    DownloadUsage &usage = m_fixture->database().downloadUsage();
    const QDateTime later = QDateTime::currentDateTimeUtc().addDays(1);
    usage.record(package->id, later);
    QVERIFY_RESULT(store().flushDownloads(Database::LockWait::Yes));
    QCOMPARE(storedDownload(package->id), later);

    // Another process's later time stays when this one writes an older one.
    usage.record(package->id, later.addDays(-2));
    QVERIFY_RESULT(store().flushDownloads(Database::LockWait::Yes));
    QCOMPARE(storedDownload(package->id), later);
}

void tst_DownloadUsage::writtenOnClose()
{
    const Result<Package> package = publish(u"widget"_s, u"1.0.0"_s);
    QVERIFY_RESULT(package);
    m_fixture->database().downloadUsage().setFlushIntervalMs(60 * 60 * 1000);
    store().recordDownload(package->id);
    QVERIFY(!storedDownload(package->id).isValid());

    QVERIFY2(m_fixture.reopen(), qPrintable(m_fixture.error()));
    QVERIFY(storedDownload(package->id).isValid());
    const Result<QHash<qint64, QDateTime>> times = store().lastDownloads({package->id});
    QVERIFY_RESULT(times);
    QCOMPARE(times->value(package->id), storedDownload(package->id));
}

void tst_DownloadUsage::byName()
{
    const Result<Package> old = publish(u"widget"_s, u"1.0.0"_s);
    const Result<Package> recent = publish(u"widget"_s, u"2.0.0"_s);
    const Result<Package> never = publish(u"gadget"_s, u"1.0.0"_s);
    QVERIFY_RESULT(old);
    QVERIFY_RESULT(recent);
    QVERIFY_RESULT(never);
    DownloadUsage &usage = m_fixture->database().downloadUsage();
    usage.setFlushIntervalMs(60 * 60 * 1000);
    const QDateTime longAgo = QDateTime::currentDateTimeUtc().addDays(-200);
    usage.record(old->id, longAgo);
    QVERIFY_RESULT(store().flushDownloads(Database::LockWait::Yes));
    // Written for one version, in memory for the other: the name takes the newest.
    const QDateTime now = QDateTime::currentDateTimeUtc();
    usage.record(recent->id, now);

    const Result<QHash<QString, QDateTime>> times = store().lastDownloadsByName();
    QVERIFY_RESULT(times);
    QCOMPARE(times->value(PackageStore::downloadKey(m_project, u"widget"_s)), now);
    QVERIFY(!times->contains(PackageStore::downloadKey(m_project, u"gadget"_s)));
}

QTEST_GUILESS_MAIN(tst_DownloadUsage)
#include "tst_downloadusage.moc"
