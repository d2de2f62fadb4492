// SPDX-License-Identifier: GPL-3.0-or-later
#include "model/itemmodels/packagetablemodel.h"

#include "testsupport.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Trove;
using TestSupport::RegistryFixture;

namespace {

PackageSummary summary(qint64 projectId,
                       const QString &name,
                       const QString &latest,
                       const QMap<QString, QString> &tags = {},
                       int versions = 1,
                       int deprecatedVersions = 0,
                       bool deprecated = false)
{
    PackageSummary package;
    package.projectId = projectId;
    package.projectPath = u"acme/p%1"_s.arg(projectId);
    package.name = name;
    package.latestVersion = latest;
    package.distTags = tags;
    package.versionCount = versions;
    package.deprecatedVersionCount = deprecatedVersions;
    package.deprecated = deprecated;
    package.publisher = u"mia"_s;
    package.updatedAt = QDateTime(QDate(2026, 1, 2), QTime(3, 4), Qt::UTC);
    return package;
}

} // namespace

class tst_PackageTableModel : public QObject
{
    Q_OBJECT

private slots:
    void cleanup();

    void cells_data();
    void cells();
    void roles();
    void headers();
    void updatePackage_data();
    void updatePackage();
    void removePackage();

    void summariesFromStore();
    void summaryOfOnePackage();

private:
    qint64 publish(const QString &project, const QString &name, const QString &version);

    RegistryFixture m_fixture;
};

void tst_PackageTableModel::cleanup()
{
    m_fixture.close();
}

void tst_PackageTableModel::cells_data()
{
    QTest::addColumn<PackageSummary>("package");
    QTest::addColumn<int>("column");
    QTest::addColumn<QVariant>("display");
    QTest::addColumn<QVariant>("edit");

    const PackageSummary plain =
        summary(1, u"left-pad"_s, u"1.3.0"_s, {{u"latest"_s, u"1.3.0"_s}}, 12);
    const PackageSummary tagged = summary(2,
                                          u"@acme/core"_s,
                                          u"2.0.0"_s,
                                          {{u"beta"_s, u"3.0.0-beta.1"_s},
                                           {u"alpha"_s, u"3.0.0-alpha.2"_s},
                                           {u"latest"_s, u"2.0.0"_s}},
                                          5);
    const PackageSummary dead = summary(1, u"old"_s, u"0.1.0"_s, {}, 3, 3, true);
    const PackageSummary partly = summary(1, u"partly"_s, u"2.0.0"_s, {}, 4, 2, false);

    QTest::addRow("name") << plain << int(PackageTableModel::NameColumn) << QVariant(u"left-pad"_s)
                          << QVariant(u"left-pad"_s);
    QTest::addRow("scoped name") << tagged << int(PackageTableModel::NameColumn)
                                 << QVariant(u"@acme/core"_s) << QVariant(u"@acme/core"_s);
    QTest::addRow("latest") << tagged << int(PackageTableModel::LatestColumn)
                            << QVariant(u"2.0.0"_s) << QVariant(u"2.0.0"_s);
    QTest::addRow("tags: latest first, then by name")
        << tagged << int(PackageTableModel::DistTagsColumn)
        << QVariant(u"latest: 2.0.0, alpha: 3.0.0-alpha.2, beta: 3.0.0-beta.1"_s)
        << QVariant(u"latest: 2.0.0, alpha: 3.0.0-alpha.2, beta: 3.0.0-beta.1"_s);
    QTest::addRow("no tags") << dead << int(PackageTableModel::DistTagsColumn)
                             << QVariant(QString()) << QVariant(QString());
    QTest::addRow("versions: number as edit value")
        << plain << int(PackageTableModel::VersionsColumn) << QVariant(QLocale().toString(12))
        << QVariant(12);
    QTest::addRow("updated: time as edit value")
        << plain << int(PackageTableModel::UpdatedColumn)
        << QVariant(QLocale().toString(plain.updatedAt.toLocalTime(), QLocale::ShortFormat))
        << QVariant(plain.updatedAt);
    QTest::addRow("publisher") << plain << int(PackageTableModel::PublisherColumn)
                               << QVariant(u"mia"_s) << QVariant(u"mia"_s);
    QTest::addRow("not deprecated: no badge")
        << plain << int(PackageTableModel::DeprecatedColumn) << QVariant(QString()) << QVariant(0);
    QTest::addRow("deprecated: the word, not a colour")
        << dead << int(PackageTableModel::DeprecatedColumn) << QVariant(u"deprecated"_s)
        << QVariant(4);
    QTest::addRow("some versions deprecated") << partly << int(PackageTableModel::DeprecatedColumn)
                                              << QVariant(u"2 deprecated"_s) << QVariant(2);
}

void tst_PackageTableModel::cells()
{
    QFETCH(PackageSummary, package);
    QFETCH(int, column);
    QFETCH(QVariant, display);
    QFETCH(QVariant, edit);

    PackageTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setPackages({summary(9, u"first"_s, u"1.0.0"_s), package});
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.columnCount(), int(PackageTableModel::ColumnCount));
    const QModelIndex index = model.index(1, column);
    QCOMPARE(index.data(Qt::DisplayRole), display);
    QCOMPARE(index.data(Qt::EditRole), edit);
}

void tst_PackageTableModel::roles()
{
    PackageTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    const PackageSummary package = summary(
        4, u"@acme/core"_s, u"1.0.0"_s, {{u"next"_s, u"2.0.0"_s}, {u"latest"_s, u"1.0.0"_s}});
    model.setPackages({package});
    for (int column = 0; column < model.columnCount(); ++column) {
        const QModelIndex index = model.index(0, column);
        QCOMPARE(index.data(PackageTableModel::PackageNameRole), QVariant(u"@acme/core"_s));
        QCOMPARE(index.data(PackageTableModel::ScopeRole), QVariant(u"acme"_s));
        QCOMPARE(index.data(PackageTableModel::ProjectIdRole), QVariant(qint64(4)));
        QCOMPARE(index.data(PackageTableModel::ProjectPathRole), QVariant(u"acme/p4"_s));
        QCOMPARE(index.data(PackageTableModel::DistTagNamesRole).toStringList(),
                 QStringList({u"latest"_s, u"next"_s}));
        QCOMPARE(index.data(PackageTableModel::DeprecatedRole), QVariant(false));
        QCOMPARE(index.data(PackageTableModel::UpdatedRole), QVariant(package.updatedAt));
        QCOMPARE(index.data(PackageTableModel::SummaryRole).value<PackageSummary>(), package);
    }
    PackageSummary unscoped;
    unscoped.name = u"left-pad"_s;
    QCOMPARE(unscoped.scope(), QString());
}

void tst_PackageTableModel::headers()
{
    PackageTableModel model;
    QStringList titles;
    for (int column = 0; column < model.columnCount(); ++column) {
        titles.append(model.headerData(column, Qt::Horizontal).toString());
    }
    QCOMPARE(titles,
             QStringList({u"Name"_s,
                          u"Latest"_s,
                          u"Tags"_s,
                          u"Versions"_s,
                          u"Updated"_s,
                          u"Publisher"_s,
                          u"Status"_s}));
}

void tst_PackageTableModel::updatePackage_data()
{
    QTest::addColumn<PackageSummary>("update");
    QTest::addColumn<int>("expectedRows");
    QTest::addColumn<int>("expectedRow");
    QTest::addColumn<int>("changed");
    QTest::addColumn<int>("inserted");

    QTest::addRow("new version of a listed package")
        << summary(1, u"a"_s, u"1.1.0"_s, {}, 2) << 2 << 0 << 1 << 0;
    QTest::addRow("same name in another project is another row")
        << summary(2, u"a"_s, u"1.0.0"_s) << 3 << 2 << 0 << 1;
    QTest::addRow("new package") << summary(1, u"c"_s, u"0.0.1"_s) << 3 << 2 << 0 << 1;
    QTest::addRow("unchanged summary: no signal")
        << summary(1, u"b"_s, u"1.0.0"_s) << 2 << 1 << 0 << 0;
}

void tst_PackageTableModel::updatePackage()
{
    QFETCH(PackageSummary, update);
    QFETCH(int, expectedRows);
    QFETCH(int, expectedRow);
    QFETCH(int, changed);
    QFETCH(int, inserted);

    PackageTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setPackages({summary(1, u"a"_s, u"1.0.0"_s), summary(1, u"b"_s, u"1.0.0"_s)});
    QSignalSpy changedSpy(&model, &QAbstractItemModel::dataChanged);
    QSignalSpy insertedSpy(&model, &QAbstractItemModel::rowsInserted);
    model.updatePackage(update);
    QCOMPARE(model.rowCount(), expectedRows);
    QCOMPARE(changedSpy.size(), changed);
    QCOMPARE(insertedSpy.size(), inserted);
    QCOMPARE(model.rowOf(update.projectId, update.name), expectedRow);
    QCOMPARE(model.index(expectedRow, PackageTableModel::LatestColumn).data(),
             QVariant(update.latestVersion));
    if (changed) {
        const QList<QVariant> arguments = changedSpy.first();
        QCOMPARE(arguments.at(0).toModelIndex(), model.index(expectedRow, 0));
        QCOMPARE(arguments.at(1).toModelIndex(),
                 model.index(expectedRow, PackageTableModel::ColumnCount - 1));
    }
}

void tst_PackageTableModel::removePackage()
{
    PackageTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setPackages({summary(1, u"a"_s, u"1.0.0"_s),
                       summary(1, u"b"_s, u"1.0.0"_s),
                       summary(1, u"c"_s, u"1.0.0"_s)});
    QSignalSpy removedSpy(&model, &QAbstractItemModel::rowsRemoved);
    model.removePackage(1, u"b"_s);
    QCOMPARE(removedSpy.size(), 1);
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.rowOf(1, u"c"_s), 1);
    QCOMPARE(model.rowOf(1, u"b"_s), -1);
    model.removePackage(1, u"b"_s);
    QCOMPARE(removedSpy.size(), 1);
}

qint64
tst_PackageTableModel::publish(const QString &project, const QString &name, const QString &version)
{
    PackageService::PublishRequest request;
    const Result<Project> found = m_fixture->namespaces().findProject(project);
    request.projectId = found ? found->id : 0;
    request.name = name;
    request.version = version;
    request.packageJson = TestSupport::packageJson(name, version);
    request.tarball = TestSupport::makeTarball(name, version);
    request.publisher.kind = Actor::Kind::User;
    request.publisher.username = u"mia"_s;
    const Result<Package> published = m_fixture->packages().publish(request);
    return published ? published->id : 0;
}

void tst_PackageTableModel::summariesFromStore()
{
    QVERIFY2(m_fixture.open(), qPrintable(m_fixture.error()));
    QVERIFY_RESULT(m_fixture->namespaces().createGroup(u"acme"_s));
    QVERIFY_RESULT(m_fixture->namespaces().createProject(u"acme/a"_s));
    QVERIFY_RESULT(m_fixture->namespaces().createProject(u"acme/b"_s));
    PackageStore &store = m_fixture->packages().store();

    Result<QList<PackageSummary>> empty = store.packageSummaries();
    QVERIFY_RESULT(empty);
    QVERIFY(empty->isEmpty());

    QVERIFY(publish(u"acme/a"_s, u"@acme/core"_s, u"1.0.0"_s));
    QVERIFY(publish(u"acme/a"_s, u"@acme/core"_s, u"1.1.0"_s));
    QVERIFY(publish(u"acme/a"_s, u"@acme/core"_s, u"0.9.0"_s)); // latest moves to the newest
    const qint64 project = m_fixture->namespaces().findProject(u"acme/a"_s)->id;
    QVERIFY_RESULT(
        m_fixture->packages().setDistTag(project, u"@acme/core"_s, u"latest"_s, u"1.1.0"_s));
    QVERIFY_RESULT(
        m_fixture->packages().setDistTag(project, u"@acme/core"_s, u"beta"_s, u"0.9.0"_s));
    QVERIFY(publish(u"acme/a"_s, u"@acme/old"_s, u"1.0.0"_s));
    QVERIFY(publish(u"acme/a"_s, u"@acme/old"_s, u"2.0.0"_s));
    QVERIFY_RESULT(
        m_fixture->packages().deprecate(project, u"@acme/old"_s, {{u"1.0.0"_s, u"use 2"_s}}));
    QVERIFY(publish(u"acme/b"_s, u"@acme/core"_s, u"5.0.0"_s));
    QVERIFY(publish(u"acme/b"_s, u"@acme/gone"_s, u"1.0.0"_s));
    QVERIFY_RESULT(
        m_fixture->packages().deprecate(m_fixture->namespaces().findProject(u"acme/b"_s)->id,
                                        u"@acme/gone"_s,
                                        {{u"1.0.0"_s, u"gone"_s}}));

    const Result<QList<PackageSummary>> summaries = store.packageSummaries();
    QVERIFY_RESULT(summaries);
    QCOMPARE(summaries->size(), 4);
    const PackageSummary &core = summaries->at(0);
    QCOMPARE(core.name, u"@acme/core"_s);
    QCOMPARE(core.projectPath, u"acme/a"_s);
    QCOMPARE(core.latestVersion, u"1.1.0"_s);
    QCOMPARE(core.versionCount, 3);
    QCOMPARE(core.distTags,
             (QMap<QString, QString>{{u"latest"_s, u"1.1.0"_s}, {u"beta"_s, u"0.9.0"_s}}));
    QCOMPARE(core.publisher, u"mia"_s);
    QVERIFY(!core.deprecated);
    QVERIFY(core.updatedAt.isValid());

    const PackageSummary &old = summaries->at(1);
    QCOMPARE(old.name, u"@acme/old"_s);
    QCOMPARE(old.latestVersion, u"2.0.0"_s);
    QCOMPARE(old.deprecatedVersionCount, 1);
    QVERIFY2(!old.deprecated, "only an older version is deprecated");

    QCOMPARE(summaries->at(2).projectPath, u"acme/b"_s);
    QCOMPARE(summaries->at(2).name, u"@acme/core"_s);
    QCOMPARE(summaries->at(2).latestVersion, u"5.0.0"_s);
    QCOMPARE(summaries->at(3).name, u"@acme/gone"_s);
    QVERIFY(summaries->at(3).deprecated);
    QCOMPARE(summaries->at(3).deprecatedVersionCount, 1);
}

void tst_PackageTableModel::summaryOfOnePackage()
{
    QVERIFY2(m_fixture.open(), qPrintable(m_fixture.error()));
    QVERIFY_RESULT(m_fixture->namespaces().createGroup(u"acme"_s));
    QVERIFY_RESULT(m_fixture->namespaces().createProject(u"acme/a"_s));
    const qint64 project = m_fixture->namespaces().findProject(u"acme/a"_s)->id;
    QVERIFY(publish(u"acme/a"_s, u"@acme/core"_s, u"1.0.0"_s));
    QVERIFY(publish(u"acme/a"_s, u"@acme/other"_s, u"1.0.0"_s));
    PackageStore &store = m_fixture->packages().store();

    const Result<PackageSummary> core = store.packageSummary(project, u"@acme/core"_s);
    QVERIFY_RESULT(core);
    QCOMPARE(core->name, u"@acme/core"_s);
    QCOMPARE(core->versionCount, 1);
    QCOMPARE(*core, store.packageSummaries()->at(0));

    const Result<PackageSummary> missing = store.packageSummary(project, u"@acme/none"_s);
    QVERIFY(!missing);
    QCOMPARE(missing.error().code, Error::Code::NotFound);
}

QTEST_GUILESS_MAIN(tst_PackageTableModel)
#include "tst_packagetablemodel.moc"
