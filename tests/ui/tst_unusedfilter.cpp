// SPDX-License-Identifier: GPL-3.0-or-later
// The package filter's `unused:` word: packages no version of which was downloaded, nor
// published, within the period, from download times in a real store.
#include "../model/testsupport.h"
#include "model/itemmodels/packagetablemodel.h"
#include "model/store/packagestore.h"
#include "ui/packagefilterproxymodel.h"

#include <QAbstractItemModelTester>
#include <QSqlQuery>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Trove;

class tst_UnusedFilter final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void unused_data();
    void unused();

private:
    qint64 publishAged(const QString &name, int ageDays);
    QStringList visible(const QString &text);

    TestSupport::RegistryFixture m_fixture;
    PackageTableModel *m_model = nullptr;
    PackageFilterProxyModel *m_proxy = nullptr;
    qint64 m_project = 0;
};

qint64 tst_UnusedFilter::publishAged(const QString &name, int ageDays)
{
    const Result<Package> package =
        m_fixture->packages().publish(TestSupport::publishRequest(m_project, name, u"1.0.0"_s));
    if (!package) {
        return 0;
    }
    QSqlQuery age(m_fixture.connection());
    age.prepare(u"UPDATE packages SET created_at = :at, updated_at = :at WHERE id = :id"_s);
    age.bindValue(u":at"_s, QDateTime::currentDateTimeUtc().addDays(-ageDays).toMSecsSinceEpoch());
    age.bindValue(u":id"_s, package->id);
    if (!age.exec()) {
        return 0;
    }
    // The summary's "updated" counts the dist-tag's move too.
    QSqlQuery tags(m_fixture.connection());
    tags.prepare(u"UPDATE dist_tags SET updated_at = :at WHERE package_id = :id"_s);
    tags.bindValue(u":at"_s, QDateTime::currentDateTimeUtc().addDays(-ageDays).toMSecsSinceEpoch());
    tags.bindValue(u":id"_s, package->id);
    return tags.exec() ? package->id : 0;
}

void tst_UnusedFilter::initTestCase()
{
    QVERIFY2(m_fixture.open(), qPrintable(m_fixture.error()));
    QVERIFY_RESULT(m_fixture->namespaces().createGroup(u"acme"_s));
    const Result<Project> project = m_fixture->namespaces().createProject(u"acme/front"_s);
    QVERIFY_RESULT(project);
    m_project = project->id;
    const QDateTime now = QDateTime::currentDateTimeUtc();
    DownloadUsage &usage = m_fixture->database().downloadUsage();
    // old, never downloaded; old, downloaded 200 days ago; old, downloaded 10 days ago;
    // published 5 days ago, never downloaded.
    QVERIFY(publishAged(u"never-used"_s, 400));
    const qint64 stale = publishAged(u"long-ago"_s, 400);
    const qint64 recent = publishAged(u"still-used"_s, 400);
    QVERIFY(publishAged(u"brand-new"_s, 5));
    QVERIFY(stale && recent);
    usage.record(stale, now.addDays(-200));
    QVERIFY_RESULT(PackageStore(m_fixture->database()).flushDownloads(Database::LockWait::Yes));
    usage.record(recent, now.addDays(-10)); // not written yet: the filter must see it anyway

    m_model = new PackageTableModel(this);
    const Result<QList<PackageSummary>> summaries =
        m_fixture->packages().store().packageSummaries();
    QVERIFY_RESULT(summaries);
    m_model->setPackages(*summaries);
    m_proxy = new PackageFilterProxyModel(this);
    m_proxy->setSourceModel(m_model);
    m_proxy->setDownloadTimesSource([this] {
        const Result<QHash<QString, QDateTime>> times =
            PackageStore(m_fixture->database()).lastDownloadsByName();
        return times ? *times : QHash<QString, QDateTime>();
    });
    new QAbstractItemModelTester(
        m_proxy, QAbstractItemModelTester::FailureReportingMode::QtTest, this);
}

void tst_UnusedFilter::cleanupTestCase()
{
    delete m_proxy;
    delete m_model;
    m_fixture.close();
}

QStringList tst_UnusedFilter::visible(const QString &text)
{
    m_proxy->setFilterText(text);
    QStringList names;
    for (int row = 0; row < m_proxy->rowCount(); ++row) {
        names.append(m_proxy->index(row, PackageTableModel::NameColumn).data().toString());
    }
    names.sort();
    return names;
}

void tst_UnusedFilter::unused_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QStringList>("expected");

    const QStringList all{u"brand-new"_s, u"long-ago"_s, u"never-used"_s, u"still-used"_s};
    QTest::addRow("no filter") << QString() << all;
    QTest::addRow("90 days") << u"unused:90d"_s << QStringList{u"long-ago"_s, u"never-used"_s};
    QTest::addRow("weeks") << u"unused:4w"_s << QStringList{u"long-ago"_s, u"never-used"_s};
    QTest::addRow("3 days: new and recent too") << u"unused:3d"_s << all;
    QTest::addRow("months, upper case") << u"UNUSED:12M"_s << QStringList{u"never-used"_s};
    QTest::addRow("with a name word") << u"unused:90d long"_s << QStringList{u"long-ago"_s};
    QTest::addRow("no unit: a plain word") << u"unused:90"_s << QStringList();
}

void tst_UnusedFilter::unused()
{
    QFETCH(QString, text);
    QFETCH(QStringList, expected);
    QCOMPARE(visible(text), expected);
}

QTEST_MAIN(tst_UnusedFilter)
#include "tst_unusedfilter.moc"
