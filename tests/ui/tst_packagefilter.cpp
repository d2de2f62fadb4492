// SPDX-License-Identifier: GPL-3.0-or-later
// The window's package filter (PackageFilterProxyModel over PackageTableModel) on summaries read
// from a real store: plain words also match descriptions and keywords, `kw:` matches a keyword;
// packages the proxy keeps stay apart from published ones through reloads and `cached:yes|no`
// tells them apart.
#include "../model/testsupport.h"
#include "model/itemmodels/packagetablemodel.h"
#include "model/store/proxystore.h"
#include "ui/packagefilterproxymodel.h"

#include <QAbstractItemModelTester>
#include <QJsonArray>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Trove;

class tst_PackageFilter final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void filter_data();
    void filter();
    void typingAndBackspacing();
    void summaryFollowsLatest();
    void filterFollowsModelChanges();
    void cachedRowsStayApart();

private:
    void publish(const QString &name,
                 const QString &version,
                 const QJsonObject &extra,
                 const QString &tag = u"latest"_s);
    QStringList visible(const QString &text);

    TestSupport::RegistryFixture m_fixture;
    PackageTableModel *m_model = nullptr;
    PackageFilterProxyModel *m_proxy = nullptr;
    qint64 m_project = 0;
};

void tst_PackageFilter::publish(const QString &name,
                                const QString &version,
                                const QJsonObject &extra,
                                const QString &tag)
{
    QJsonObject manifest{{u"name"_s, name}, {u"version"_s, version}};
    for (auto it = extra.constBegin(); it != extra.constEnd(); ++it) {
        manifest.insert(it.key(), it.value());
    }
    PackageService::PublishRequest request;
    request.projectId = m_project;
    request.name = name;
    request.version = version;
    request.packageJson = QJsonDocument(manifest).toJson(QJsonDocument::Compact);
    request.tarball = TestSupport::makeTarball(name, version);
    request.distTag = tag;
    request.publisher.kind = Actor::Kind::User;
    request.publisher.username = u"mia"_s;
    QVERIFY_RESULT(m_fixture->packages().publish(request));
}

void tst_PackageFilter::initTestCase()
{
    QVERIFY2(m_fixture.open(), qPrintable(m_fixture.error()));
    QVERIFY_RESULT(m_fixture->namespaces().createGroup(u"acme"_s));
    const Result<Project> project = m_fixture->namespaces().createProject(u"acme/front"_s);
    QVERIFY_RESULT(project);
    m_project = project->id;
    publish(u"@acme/widget"_s,
            u"1.0.0"_s,
            {{u"description"_s, u"Buttons and Sliders"_s},
             {u"keywords"_s, QJsonArray{u"UI"_s, u"react"_s}}});
    publish(u"@acme/charts"_s,
            u"1.0.0"_s,
            {{u"description"_s, u"Plots for dashboards"_s},
             {u"keywords"_s, QJsonArray{u"plotting"_s, u"react-native"_s}}});
    publish(u"left-pad"_s, u"1.0.0"_s, {{u"keywords"_s, u"string"_s}});
    m_model = new PackageTableModel(this);
    m_proxy = new PackageFilterProxyModel(this);
    m_proxy->setSourceModel(m_model);
    new QAbstractItemModelTester(
        m_proxy, QAbstractItemModelTester::FailureReportingMode::QtTest, this);
    const Result<QList<PackageSummary>> summaries =
        m_fixture->packages().store().packageSummaries(PackageStore::SearchText::Current);
    QVERIFY_RESULT(summaries);
    m_model->setPackages(*summaries);
}

void tst_PackageFilter::cleanupTestCase()
{
    m_fixture.close();
}

QStringList tst_PackageFilter::visible(const QString &text)
{
    m_proxy->setFilterText(text);
    QStringList names;
    for (int row = 0; row < m_proxy->rowCount(); ++row) {
        names.append(m_proxy->index(row, PackageTableModel::NameColumn).data().toString());
    }
    names.sort();
    return names;
}

void tst_PackageFilter::filter_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QStringList>("expected");
    QTest::addRow("nothing: everything")
        << u""_s << QStringList{u"@acme/charts"_s, u"@acme/widget"_s, u"left-pad"_s};
    QTest::addRow("part of a name") << u"wid"_s << QStringList{u"@acme/widget"_s};
    QTest::addRow("project path") << u"front"_s
                                  << QStringList{
                                         u"@acme/charts"_s, u"@acme/widget"_s, u"left-pad"_s};
    QTest::addRow("word of a description") << u"sliders"_s << QStringList{u"@acme/widget"_s};
    QTest::addRow("description, any case") << u"DASHBOARD"_s << QStringList{u"@acme/charts"_s};
    QTest::addRow("part of a keyword") << u"plot"_s << QStringList{u"@acme/charts"_s};
    QTest::addRow("keyword shared by prefix")
        << u"react"_s << QStringList{u"@acme/charts"_s, u"@acme/widget"_s};
    QTest::addRow("keyword given as a string") << u"string"_s << QStringList{u"left-pad"_s};
    QTest::addRow("kw: is a whole keyword") << u"kw:react"_s << QStringList{u"@acme/widget"_s};
    QTest::addRow("kw: in any case") << u"KW:ui"_s << QStringList{u"@acme/widget"_s};
    QTest::addRow("kw: part of a keyword is not one") << u"kw:plot"_s << QStringList{};
    QTest::addRow("kw: is not the description") << u"kw:buttons"_s << QStringList{};
    QTest::addRow("kw: and a word")
        << u"kw:react-native dashboards"_s << QStringList{u"@acme/charts"_s};
    QTest::addRow("every word must match") << u"sliders plot"_s << QStringList{};
    QTest::addRow("kw: with tag:") << u"kw:string tag:latest"_s << QStringList{u"left-pad"_s};
}

void tst_PackageFilter::filter()
{
    QFETCH(QString, text);
    QFETCH(QStringList, expected);
    QCOMPARE(visible(text), expected);
}

void tst_PackageFilter::typingAndBackspacing()
{
    // Each keystroke narrows the previous result or reuses a recent one: the same answers as a
    // fresh filter.
    const QStringList typed = {u"p"_s,
                               u"pl"_s,
                               u"plo"_s,
                               u"plot"_s,
                               u"plots"_s,
                               u"plots "_s,
                               u"plots d"_s,
                               u"plots dx"_s,
                               u"plots d"_s,
                               u"plots"_s,
                               u"plo"_s,
                               u"p"_s,
                               u"pa"_s,
                               u"pad"_s,
                               u""_s,
                               u"l"_s};
    for (const QString &text : typed) {
        const QStringList stepwise = visible(text);
        PackageFilterProxyModel fresh;
        fresh.setSourceModel(m_model);
        fresh.setFilterText(text);
        QStringList expected;
        for (int row = 0; row < fresh.rowCount(); ++row) {
            expected.append(fresh.index(row, PackageTableModel::NameColumn).data().toString());
        }
        expected.sort();
        QVERIFY2(stepwise == expected, qPrintable(text));
    }
    QCOMPARE(visible(u"plots d"_s), QStringList{u"@acme/charts"_s});
    QCOMPARE(visible(u"plots dx"_s), QStringList{});
    QCOMPARE(visible(u"l"_s), (QStringList{u"@acme/charts"_s, u"@acme/widget"_s, u"left-pad"_s}));
}

void tst_PackageFilter::filterFollowsModelChanges()
{
    m_proxy->setFilterText(u"cogwheels"_s);
    QCOMPARE(m_proxy->rowCount(), 0);
    // A new description arrives while the filter stands: the row shows without a keystroke.
    Result<PackageSummary> summary = m_fixture->packages().store().packageSummary(
        m_project, u"left-pad"_s, PackageStore::SearchText::Current);
    QVERIFY_RESULT(summary);
    summary->description = u"Cogwheels and pads"_s;
    m_model->updatePackage(*summary);
    QCOMPARE(m_proxy->rowCount(), 1);
    // And a new package that matches.
    PackageSummary added = *summary;
    added.name = u"cogwheels"_s;
    added.description.clear();
    m_model->updatePackage(added);
    QCOMPARE(m_proxy->rowCount(), 2);
    m_model->removePackage(m_project, u"left-pad"_s);
    QCOMPARE(m_proxy->rowCount(), 1);
    // The words typed before the changes are matched against the rows as they are now.
    QCOMPARE(visible(u"cog"_s), QStringList{u"cogwheels"_s});
    QCOMPARE(visible(u"cogwheels"_s), QStringList{u"cogwheels"_s});
}

void tst_PackageFilter::summaryFollowsLatest()
{
    // A newer latest with other words: the row is found by the new ones only.
    publish(u"@acme/widget"_s,
            u"2.0.0"_s,
            {{u"description"_s, u"Toggles"_s}, {u"keywords"_s, QJsonArray{u"forms"_s}}});
    const Result<PackageSummary> summary = m_fixture->packages().store().packageSummary(
        m_project, u"@acme/widget"_s, PackageStore::SearchText::Current);
    QVERIFY_RESULT(summary);
    QCOMPARE(summary->description, u"Toggles"_s);
    QCOMPARE(summary->keywords, QStringList{u"forms"_s});
    m_model->updatePackage(*summary);
    QCOMPARE(visible(u"toggles"_s), QStringList{u"@acme/widget"_s});
    QCOMPARE(visible(u"kw:forms"_s), QStringList{u"@acme/widget"_s});
    QCOMPARE(visible(u"sliders"_s), QStringList{});
    QCOMPARE(visible(u"kw:react"_s), QStringList{});
}

void tst_PackageFilter::cachedRowsStayApart()
{
    // Kept as the proxy keeps them: a package with one tarball, and an upstream 404 (no package).
    ProxyStore store(m_fixture->database());
    const QDateTime fetched = QDateTime::currentDateTimeUtc().addSecs(-60);
    QVERIFY_RESULT(store.putDocument({u"is-odd-lite"_s,
                                      u"http://127.0.0.1:9/"_s,
                                      200,
                                      "\"e1\"",
                                      R"({"name":"is-odd-lite"})",
                                      fetched,
                                      fetched}));
    QVERIFY_RESULT(store.putDocument(
        {u"no-such-thing"_s, u"http://127.0.0.1:9/"_s, 404, {}, {}, fetched, fetched}));
    QVERIFY_RESULT(store.putTarball({QString(128, u'a'),
                                     u"is-odd-lite"_s,
                                     u"1.0.0"_s,
                                     2048,
                                     u"http://127.0.0.1:9/is-odd-lite/-/is-odd-lite-1.0.0.tgz"_s,
                                     fetched,
                                     fetched}));
    const Result<QList<ProxyStore::CachedPackage>> cached = store.cachedPackages();
    QVERIFY_RESULT(cached);
    QCOMPARE(cached->size(), 1);
    QCOMPARE(cached->first().tarballs, 1);
    QCOMPARE(cached->first().upstream, u"http://127.0.0.1:9/"_s);
    QCOMPARE(cached->first().fetchedAt, fetched);

    const QStringList published = visible(QString());
    m_model->setCachedPackages(*cached);
    QCOMPARE(visible(u"cached:yes"_s), QStringList{u"is-odd-lite"_s});
    // Asked again with nothing changed: no reset (the view keeps its selection).
    QSignalSpy resets(m_model, &QAbstractItemModel::modelReset);
    m_model->setCachedPackages(*store.cachedPackages());
    QCOMPARE(resets.size(), 0);
    QCOMPARE(visible(u"cached:no"_s), published);
    QCOMPARE(visible(u"odd"_s), QStringList{u"is-odd-lite"_s});
    QCOMPARE(visible(u"cached:yes odd"_s), QStringList{u"is-odd-lite"_s});
    QCOMPARE(visible(u"cached:no odd"_s), QStringList{});
    QVERIFY(m_proxy->filterError().isEmpty());
    QCOMPARE(visible(u"cached:sometimes"_s), QStringList{});
    QVERIFY(m_proxy->filterError().contains(u"cached: takes yes or no"_s));

    // The window reloads the published list: the cached row stays, and stays cached.
    const Result<QList<PackageSummary>> summaries =
        m_fixture->packages().store().packageSummaries(PackageStore::SearchText::Current);
    QVERIFY_RESULT(summaries);
    m_model->setPackages(*summaries);
    QCOMPARE(visible(u"cached:yes"_s), QStringList{u"is-odd-lite"_s});
    // A package published meanwhile is a published one; removing by a cached row's key does not
    // remove the cached package.
    PackageSummary added = summaries->first();
    added.name = u"@acme/new"_s;
    m_model->updatePackage(added);
    QCOMPARE(visible(u"cached:yes"_s), QStringList{u"is-odd-lite"_s});
    QVERIFY(visible(u"cached:no"_s).contains(u"@acme/new"_s));
    m_model->removePackage(0, u"is-odd-lite"_s);
    QCOMPARE(visible(u"cached:yes"_s), QStringList{u"is-odd-lite"_s});
    const int row = m_model->rowOf(0, u"is-odd-lite"_s);
    QCOMPARE(m_model->index(row, PackageTableModel::DeprecatedColumn).data().toString(),
             u"cached"_s);
    QVERIFY(
        m_model->index(row, 0).data(Qt::ToolTipRole).toString().contains(u"http://127.0.0.1:9/"_s));

    // The cache is cleared: no cached row, the published ones unchanged.
    m_model->setCachedPackages({});
    QCOMPARE(visible(u"cached:yes"_s), QStringList{});
    QCOMPARE(visible(QString()).size(), published.size() + 1);
}

QTEST_MAIN(tst_PackageFilter)
#include "tst_packagefilter.moc"
