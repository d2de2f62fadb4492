// SPDX-License-Identifier: GPL-3.0-or-later
// npm search's index and query (SearchService, SearchStore) on a real SQLite file: what the
// publish, tag, deprecate and unpublish transactions leave in it, what a query finds and in which
// order, and the per-project package registry switch.
#include "model/events.h"
#include "model/services/searchservice.h"
#include "model/store/database.h"
#include "model/store/packagestore.h"
#include "model/store/sql.h"
#include "testsupport.h"

#include <QJsonArray>
#include <QSignalSpy>
#include <QSqlError>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Trove;

class tst_Search final : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void fts5IsAvailable();
    void finds_data();
    void finds();
    void latestVersionIsIndexed();
    void deprecateAndUnpublishKeepIndexCurrent();
    void readmeIsSearchable();
    void onlyGivenProjects();
    void oneHitPerName();
    void paging();
    void pagingOverNamesInSeveralProjects();
    void badSizeOrFrom_data();
    void badSizeOrFrom();
    void packagesSwitch();
    void migrationBackfills();
    void queryIsNeverFtsSyntax();
    void readersCatchUpWhatWritesNoted();

private:
    Result<Package> publish(const QString &projectPath,
                            const QString &name,
                            const QString &version,
                            const QJsonObject &extra = {},
                            const QString &tag = u"latest"_s);
    qint64 projectId(const QString &path);
    QStringList names(const QString &text, const QList<qint64> &projects = {});
    QList<qint64> allProjects();

    TestSupport::RegistryFixture m_fixture;
    bool m_open = false;
    Actor m_publisher;
};

void tst_Search::init()
{
    m_open = m_fixture.open();
    QVERIFY2(m_open, qPrintable(m_fixture.error()));
    NamespaceService &namespaces = m_fixture->namespaces();
    QVERIFY_RESULT(namespaces.createGroup(u"acme"_s));
    QVERIFY_RESULT(namespaces.createProject(u"acme/a"_s));
    QVERIFY_RESULT(namespaces.createProject(u"acme/b"_s));
    QVERIFY_RESULT(namespaces.createGroup(u"other"_s));
    QVERIFY_RESULT(namespaces.createProject(u"other/p"_s));
    const Result<User> mia = m_fixture->users().createUser(u"mia"_s);
    QVERIFY_RESULT(mia);
    m_publisher.kind = Actor::Kind::User;
    m_publisher.userId = mia->id;
    m_publisher.username = u"mia"_s;
}

void tst_Search::cleanup()
{
    // Whatever a test did, the full-text index must still match package_search row for row:
    // FTS5's integrity check compares them (a stale entry left by an in-place update fails it).
    // PostgreSQL's index is a generated tsvector column of package_search itself: nothing to
    // drift apart (docs/postgresql.md).
    if (m_open && !m_fixture.onPostgres()) {
        QSqlQuery check(m_fixture.connection());
        QVERIFY2(check.exec(u"INSERT INTO package_search_fts (package_search_fts)"
                            " VALUES ('integrity-check')"_s),
                 qPrintable(check.lastError().text()));
    }
    m_fixture.close();
}

qint64 tst_Search::projectId(const QString &path)
{
    const Result<Project> project = m_fixture->namespaces().findProject(path);
    return project ? project->id : 0;
}

QList<qint64> tst_Search::allProjects()
{
    return {projectId(u"acme/a"_s), projectId(u"acme/b"_s), projectId(u"other/p"_s)};
}

Result<Package> tst_Search::publish(const QString &projectPath,
                                    const QString &name,
                                    const QString &version,
                                    const QJsonObject &extra,
                                    const QString &tag)
{
    QJsonObject manifest{{u"name"_s, name}, {u"version"_s, version}};
    for (auto it = extra.constBegin(); it != extra.constEnd(); ++it) {
        manifest.insert(it.key(), it.value());
    }
    PackageService::PublishRequest request;
    request.projectId = projectId(projectPath);
    request.name = name;
    request.version = version;
    request.packageJson = QJsonDocument(manifest).toJson(QJsonDocument::Compact);
    request.tarball = TestSupport::makeTarball(name, version);
    request.distTag = tag;
    request.publisher = m_publisher;
    return m_fixture->packages().publish(request);
}

QStringList tst_Search::names(const QString &text, const QList<qint64> &projects)
{
    const Result<SearchService::Results> results =
        SearchService(m_fixture->database())
            .search(text, projects.isEmpty() ? allProjects() : projects, 250, 0);
    if (!results) {
        return {u"error: "_s + results.error().message};
    }
    QStringList found;
    for (const SearchService::Hit &hit : results->hits) {
        found.append(hit.name);
    }
    return found;
}

void tst_Search::fts5IsAvailable()
{
    if (m_fixture.onPostgres()) {
        QSKIP("SQLite's full-text index; PostgreSQL's is a tsvector column");
    }
    QSqlQuery query(m_fixture.connection());
    QVERIFY(query.exec(u"SELECT sqlite_compileoption_used('ENABLE_FTS5')"_s));
    QVERIFY(query.next());
    QCOMPARE(query.value(0).toInt(), 1);
}

void tst_Search::finds_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QStringList>("expected");

    QTest::addRow("word in the name") << u"widget"_s << QStringList{u"@acme/widget"_s};
    QTest::addRow("start of a word") << u"widg"_s << QStringList{u"@acme/widget"_s};
    QTest::addRow("scope") << u"acme"_s << QStringList{u"@acme/charts"_s, u"@acme/widget"_s};
    QTest::addRow("description") << u"spreadsheet"_s << QStringList{u"@acme/charts"_s};
    QTest::addRow("keyword") << u"plotting"_s << QStringList{u"@acme/charts"_s};
    QTest::addRow("every word must match")
        << u"charts spreadsheet"_s << QStringList{u"@acme/charts"_s};
    QTest::addRow("one word missing") << u"charts nothing"_s << QStringList{};
    QTest::addRow("case does not matter") << u"SPREADSHEET"_s << QStringList{u"@acme/charts"_s};
    QTest::addRow("name with punctuation") << u"left-pad"_s << QStringList{u"left-pad"_s};
    QTest::addRow("exact name first, before better text matches")
        << u"pad"_s << QStringList{u"pad"_s, u"left-pad"_s};
    QTest::addRow("keywords qualifier") << u"keywords:ui"_s << QStringList{u"@acme/widget"_s};
    QTest::addRow("keywords qualifier, any of two")
        << u"keywords:ui,plotting"_s << QStringList{u"@acme/charts"_s, u"@acme/widget"_s};
    QTest::addRow("keyword qualifier does not look at the name")
        << u"keywords:widget"_s << QStringList{};
    QTest::addRow("scope qualifier")
        << u"scope:acme"_s << QStringList{u"@acme/charts"_s, u"@acme/widget"_s};
    QTest::addRow("scope qualifier with a word")
        << u"scope:acme chart"_s << QStringList{u"@acme/charts"_s};
    QTest::addRow("not a word at all") << u"zzz"_s << QStringList{};
    QTest::addRow("no text: everything, by name")
        << u""_s << QStringList{u"@acme/charts"_s, u"@acme/widget"_s, u"left-pad"_s, u"pad"_s};
}

void tst_Search::finds()
{
    QFETCH(QString, text);
    QFETCH(QStringList, expected);
    QVERIFY_RESULT(publish(u"acme/a"_s,
                           u"@acme/widget"_s,
                           u"1.0.0"_s,
                           {{u"description"_s, u"Buttons and sliders"_s},
                            {u"keywords"_s, QJsonArray{u"ui"_s, u"buttons"_s}}}));
    QVERIFY_RESULT(publish(u"acme/b"_s,
                           u"@acme/charts"_s,
                           u"2.1.0"_s,
                           {{u"description"_s, u"Charts for any spreadsheet"_s},
                            {u"keywords"_s, QJsonArray{u"plotting"_s}}}));
    QVERIFY_RESULT(publish(u"other/p"_s,
                           u"left-pad"_s,
                           u"1.0.0"_s,
                           {{u"description"_s, u"pad pad pad: padding on the left"_s}}));
    QVERIFY_RESULT(publish(u"other/p"_s, u"pad"_s, u"1.0.0"_s));
    QStringList found = names(text);
    if (!text.isEmpty() && !text.startsWith(u"pad"_s)) {
        found.sort(); // the order is tested where it is defined (exact name first)
    }
    QCOMPARE(found, expected);
}

void tst_Search::latestVersionIsIndexed()
{
    QVERIFY_RESULT(publish(
        u"acme/a"_s, u"@acme/widget"_s, u"1.0.0"_s, {{u"description"_s, u"classic buttons"_s}}));
    QVERIFY_RESULT(publish(
        u"acme/a"_s, u"@acme/widget"_s, u"2.0.0"_s, {{u"description"_s, u"modern toggles"_s}}));
    QCOMPARE(names(u"toggles"_s), QStringList{u"@acme/widget"_s});
    QCOMPARE(names(u"classic"_s), QStringList{});

    // A prerelease under another tag leaves the latest as it was.
    QVERIFY_RESULT(publish(u"acme/a"_s,
                           u"@acme/widget"_s,
                           u"3.0.0-beta.1"_s,
                           {{u"description"_s, u"experimental"_s}},
                           u"beta"_s));
    QCOMPARE(names(u"experimental"_s), QStringList{});
    const Result<SearchService::Results> results =
        SearchService(m_fixture->database()).search(u"toggles"_s, allProjects(), 20, 0);
    QVERIFY_RESULT(results);
    QCOMPARE(results->hits.value(0).version, u"2.0.0"_s);

    // Moving latest back moves what is found.
    QVERIFY_RESULT(m_fixture->packages().setDistTag(
        projectId(u"acme/a"_s), u"@acme/widget"_s, u"latest"_s, u"1.0.0"_s));
    QCOMPARE(names(u"classic"_s), QStringList{u"@acme/widget"_s});
    QCOMPARE(names(u"toggles"_s), QStringList{});
}

void tst_Search::deprecateAndUnpublishKeepIndexCurrent()
{
    const qint64 a = projectId(u"acme/a"_s);
    QVERIFY_RESULT(publish(u"acme/a"_s, u"@acme/widget"_s, u"1.0.0"_s));
    QVERIFY_RESULT(publish(u"acme/a"_s, u"@acme/widget"_s, u"2.0.0"_s));
    QCOMPARE(names(u"is:deprecated"_s), QStringList{});
    QVERIFY_RESULT(m_fixture->packages().deprecate(
        a, u"@acme/widget"_s, {{u"2.0.0"_s, u"use @acme/gadget"_s}}));
    QCOMPARE(names(u"is:deprecated"_s), QStringList{u"@acme/widget"_s});
    QCOMPARE(names(u"widget not:deprecated"_s), QStringList{});

    // Unpublishing the latest: the newest remaining version stands for the name.
    QVERIFY_RESULT(m_fixture->packages().unpublishVersion(a, u"@acme/widget"_s, u"2.0.0"_s));
    const Result<SearchService::Results> results =
        SearchService(m_fixture->database()).search(u"widget"_s, allProjects(), 20, 0);
    QVERIFY_RESULT(results);
    QCOMPARE(results->hits.size(), 1);
    QCOMPARE(results->hits.first().version, u"1.0.0"_s);
    QCOMPARE(results->hits.first().deprecated, false);

    QVERIFY_RESULT(m_fixture->packages().unpublishPackage(a, u"@acme/widget"_s));
    QCOMPARE(names(u"widget"_s), QStringList{});
    QSqlQuery rows(m_fixture.connection());
    QVERIFY(rows.exec(u"SELECT count(*) FROM package_search"_s));
    QVERIFY(rows.next());
    QCOMPARE(rows.value(0).toInt(), 0);
}

void tst_Search::readmeIsSearchable()
{
    // The README reaches the index through the store (GitLab strips it from package.json).
    const Result<Package> first = publish(u"acme/a"_s, u"@acme/widget"_s, u"1.0.0"_s);
    QVERIFY_RESULT(first);
    Package package = *first;
    package.id = 0;
    package.version = u"1.1.0"_s;
    package.readme = u"# Widget\n\nRenders a kaleidoscope of colours."_s;
    const Result<Package> stored = PackageStore(m_fixture->database()).insertPackage(package);
    QVERIFY_RESULT(stored);
    QVERIFY(stored->readme.isEmpty());
    QCOMPARE(names(u"kaleidoscope"_s), QStringList{}); // not the latest version yet
    QVERIFY_RESULT(m_fixture->packages().setDistTag(
        projectId(u"acme/a"_s), u"@acme/widget"_s, u"latest"_s, u"1.1.0"_s));
    QCOMPARE(names(u"kaleidoscope"_s), QStringList{u"@acme/widget"_s});
    QCOMPARE(names(u"keywords:kaleidoscope"_s), QStringList{});
}

void tst_Search::onlyGivenProjects()
{
    QVERIFY_RESULT(publish(u"acme/a"_s, u"@acme/widget"_s, u"1.0.0"_s));
    QVERIFY_RESULT(publish(u"other/p"_s, u"widget-tools"_s, u"1.0.0"_s));
    QCOMPARE(names(u"widget"_s, {projectId(u"acme/a"_s)}), QStringList{u"@acme/widget"_s});
    QCOMPARE(names(u"widget"_s, {projectId(u"other/p"_s)}), QStringList{u"widget-tools"_s});
    QCOMPARE(names(u"widget"_s, {projectId(u"acme/b"_s)}), QStringList{});
    const Result<SearchService::Results> nowhere =
        SearchService(m_fixture->database()).search(u"widget"_s, {}, 20, 0);
    QVERIFY_RESULT(nowhere);
    QCOMPARE(nowhere->total, 0);
}

void tst_Search::oneHitPerName()
{
    QVERIFY_RESULT(publish(u"acme/a"_s, u"shared"_s, u"1.0.0"_s));
    QTest::qWait(5); // distinct publish times
    QVERIFY_RESULT(publish(u"acme/b"_s, u"shared"_s, u"1.5.0"_s));
    const Result<SearchService::Results> results =
        SearchService(m_fixture->database()).search(u"shared"_s, allProjects(), 20, 0);
    QVERIFY_RESULT(results);
    QCOMPARE(results->total, 2); // entries: one per project holding the name
    QCOMPARE(results->hits.size(), 1);
    QCOMPARE(results->hits.first().version, u"1.5.0"_s);
    QCOMPARE(results->hits.first().projectPath, u"acme/b"_s);
    QCOMPARE(results->hits.first().publisher, u"mia"_s);
    QVERIFY(results->hits.first().exact);
    QCOMPARE(results->hits.first().score, 1.0);
}

void tst_Search::paging()
{
    for (int i = 0; i < 7; ++i) {
        QVERIFY_RESULT(publish(u"acme/a"_s, u"pkg-%1"_s.arg(i), u"1.0.0"_s));
    }
    SearchService search(m_fixture->database());
    const Result<SearchService::Results> first = search.search(u"pkg"_s, allProjects(), 3, 0);
    QVERIFY_RESULT(first);
    QCOMPARE(first->total, 7);
    QCOMPARE(first->hits.size(), 3);
    const Result<SearchService::Results> last = search.search(u"pkg"_s, allProjects(), 3, 6);
    QVERIFY_RESULT(last);
    QCOMPARE(last->hits.size(), 1);
    QCOMPARE(last->total, 7);
    const Result<SearchService::Results> beyond = search.search(u"pkg"_s, allProjects(), 3, 50);
    QVERIFY_RESULT(beyond);
    QCOMPARE(beyond->hits.size(), 0);
    QCOMPARE(beyond->total, 7);
    QStringList all;
    for (int from = 0; from < 7; from += 3) {
        const Result<SearchService::Results> page = search.search(u"pkg"_s, allProjects(), 3, from);
        QVERIFY_RESULT(page);
        for (const SearchService::Hit &hit : page->hits) {
            all.append(hit.name);
        }
    }
    all.removeDuplicates();
    QCOMPARE(all.size(), 7);
}

void tst_Search::pagingOverNamesInSeveralProjects()
{
    // Ten names, each in three projects: thirty entries, and pages of distinct names.
    for (int i = 0; i < 10; ++i) {
        for (const QString &project : {u"acme/a"_s, u"acme/b"_s, u"other/p"_s}) {
            QVERIFY_RESULT(publish(project, u"multi-%1"_s.arg(i), u"1.0.0"_s));
        }
    }
    SearchService search(m_fixture->database());
    const Result<SearchService::Results> all = search.search(u"multi"_s, allProjects(), 10, 0);
    QVERIFY_RESULT(all);
    QCOMPARE(all->total, 30);
    QStringList names;
    for (const SearchService::Hit &hit : all->hits) {
        names.append(hit.name);
    }
    QCOMPARE(names.size(), 10);
    names.removeDuplicates();
    QCOMPARE(names.size(), 10);
    QStringList paged;
    for (const int from : {0, 4, 8}) {
        const Result<SearchService::Results> page =
            search.search(u"multi"_s, allProjects(), 4, from);
        QVERIFY_RESULT(page);
        for (const SearchService::Hit &hit : page->hits) {
            paged.append(hit.name);
        }
    }
    QCOMPARE(paged, names);
    // Without text the same, in name order.
    const Result<SearchService::Results> listed = search.search(QString(), allProjects(), 10, 0);
    QVERIFY_RESULT(listed);
    QStringList listedNames;
    for (const SearchService::Hit &hit : listed->hits) {
        listedNames.append(hit.name);
    }
    QStringList sorted = names;
    sorted.sort();
    QCOMPARE(listedNames, sorted);
}

void tst_Search::badSizeOrFrom_data()
{
    QTest::addColumn<int>("size");
    QTest::addColumn<int>("from");
    QTest::addColumn<QString>("message");
    QTest::addRow("size 0") << 0 << 0 << u"size must be between 1 and 250"_s;
    QTest::addRow("size 251") << 251 << 0 << u"size must be between 1 and 250"_s;
    QTest::addRow("negative from") << 20 << -1 << u"from must not be negative"_s;
}

void tst_Search::badSizeOrFrom()
{
    QFETCH(int, size);
    QFETCH(int, from);
    QFETCH(QString, message);
    QCOMPARE_ERROR(SearchService(m_fixture->database()).search(u"x"_s, allProjects(), size, from),
                   Error::Code::Invalid,
                   message);
}

void tst_Search::packagesSwitch()
{
    const qint64 a = projectId(u"acme/a"_s);
    QVERIFY_RESULT(publish(u"acme/a"_s, u"@acme/widget"_s, u"1.0.0"_s));
    const Result<Project> before = m_fixture->namespaces().store().projectById(a);
    QVERIFY_RESULT(before);
    QVERIFY(before->packagesEnabled); // on by default
    QSignalSpy changed(&m_fixture->events(), &Events::namespacesChanged);
    QVERIFY_RESULT(m_fixture->namespaces().setPackagesEnabled(a, false));
    QCOMPARE(changed.size(), 1);
    const Result<Project> after = m_fixture->namespaces().findProject(u"acme/a"_s);
    QVERIFY_RESULT(after);
    QVERIFY(!after->packagesEnabled);
    // Even when a caller passes the project, a switched-off registry finds nothing.
    QCOMPARE(names(u"widget"_s), QStringList{});
    QVERIFY(m_fixture.reopen());
    const Result<Project> reopened = m_fixture->namespaces().findProject(u"acme/a"_s);
    QVERIFY_RESULT(reopened);
    QVERIFY(!reopened->packagesEnabled);
    QVERIFY_RESULT(m_fixture->namespaces().setPackagesEnabled(a, true));
    QCOMPARE(names(u"widget"_s), QStringList{u"@acme/widget"_s});
    QCOMPARE_ERROR(m_fixture->namespaces().setPackagesEnabled(9999, false),
                   Error::Code::NotFound,
                   u"Project not found"_s);
}

void tst_Search::migrationBackfills()
{
    if (m_fixture.onPostgres()) {
        QSKIP("SQLite's migration of a store from before search; a PostgreSQL store has had the "
              "index since its first schema step (model/store/pgschema.cpp)");
    }
    QVERIFY_RESULT(
        publish(u"acme/a"_s,
                u"@acme/widget"_s,
                u"1.0.0"_s,
                {{u"description"_s, u"legacy row"_s}, {u"keywords"_s, u"single-keyword"_s}}));
    QVERIFY_RESULT(publish(u"acme/a"_s, u"@acme/widget"_s, u"2.0.0-rc.1"_s, {}, u"next"_s));
    // Back to a store of schema version 1: what this migration added goes.
    {
        QSqlQuery sql(m_fixture.connection());
        const QStringList statements = {
            u"DROP TRIGGER packages_search_insert"_s,
            u"DROP TRIGGER packages_search_delete"_s,
            u"DROP TRIGGER packages_search_update"_s,
            u"DROP TRIGGER dist_tags_search_insert"_s,
            u"DROP TRIGGER dist_tags_search_update"_s,
            u"DROP TRIGGER dist_tags_search_delete"_s,
            u"DROP TABLE package_search_pending"_s,
            u"DROP TABLE package_search_fts"_s,
            u"DROP TABLE package_search"_s,
            u"DROP TABLE package_readmes"_s,
            u"ALTER TABLE projects DROP COLUMN packages_enabled"_s,
            // And what the later steps added: download times (4), the proxy's tables and the
            // forwarding mode (5); step 6's trigger went with package_search, step 7's table of
            // pending names above.
            u"DROP INDEX packages_project_created"_s,
            u"ALTER TABLE packages DROP COLUMN last_downloaded_at"_s,
            u"DROP TABLE proxy_documents"_s,
            u"DROP TABLE proxy_tarballs"_s,
            u"DROP TABLE proxy_counters"_s,
            u"ALTER TABLE namespace_package_settings DROP COLUMN npm_forwarding_mode"_s,
            u"UPDATE meta SET value = '1' WHERE key = 'schema_version'"_s,
        };
        for (const QString &statement : statements) {
            QVERIFY2(sql.exec(statement), qPrintable(sql.lastError().text()));
        }
    }
    QVERIFY(m_fixture.reopen());
    QCOMPARE(names(u"legacy"_s), QStringList{u"@acme/widget"_s});
    QCOMPARE(names(u"keywords:single-keyword"_s), QStringList{u"@acme/widget"_s});
    const Result<SearchService::Results> results =
        SearchService(m_fixture->database()).search(u"legacy"_s, allProjects(), 20, 0);
    QVERIFY_RESULT(results);
    QCOMPARE(results->hits.value(0).version, u"1.0.0"_s);
    QCOMPARE(results->hits.value(0).keywords, QStringList{u"single-keyword"_s});
    const Result<Project> project = m_fixture->namespaces().findProject(u"acme/a"_s);
    QVERIFY_RESULT(project);
    QVERIFY(project->packagesEnabled);
    // And the triggers came back with it.
    QVERIFY_RESULT(publish(u"acme/b"_s, u"fresh"_s, u"1.0.0"_s));
    QCOMPARE(names(u"fresh"_s), QStringList{u"fresh"_s});
}

void tst_Search::queryIsNeverFtsSyntax()
{
    QVERIFY_RESULT(publish(
        u"acme/a"_s, u"@acme/widget"_s, u"1.0.0"_s, {{u"description"_s, u"AND OR NOT near"_s}}));
    // FTS5 operators, quotes, parentheses and column filters are plain text to a search.
    for (const QString &text : {u"\"widget"_s,
                                u"widget)"_s,
                                u"NOT"_s,
                                u"name:widget"_s,
                                u"*"_s,
                                u"NEAR(widget"_s,
                                u"^widget"_s,
                                u"widget OR zzz"_s}) {
        const Result<SearchService::Results> results =
            SearchService(m_fixture->database()).search(text, allProjects(), 20, 0);
        QVERIFY2(results.has_value(),
                 qPrintable(text + u": "_s + (results ? QString() : results.error().message)));
    }
    QCOMPARE(names(u"widget OR zzz"_s), QStringList{}); // "OR" is a word; zzz matches nothing
    QCOMPARE(names(u"NOT"_s), QStringList{u"@acme/widget"_s});
}

// Schema step 7: a write notes the names it changed and leaves the index alone; whatever reads
// the index first indexes them, even after a restart (a crash keeps the notes, committed with
// the write). Inside a write transaction a reader does not try to write.
void tst_Search::readersCatchUpWhatWritesNoted()
{
    if (m_fixture.onPostgres()) {
        QSKIP("PostgreSQL's triggers index inside each write (docs/postgresql.md)");
    }
    const auto count = [this](const QString &table) {
        QSqlQuery query(m_fixture.connection());
        if (!query.exec(u"SELECT count(*) FROM "_s + table) || !query.next()) {
            return -1;
        }
        return query.value(0).toInt();
    };
    QVERIFY_RESULT(publish(
        u"acme/a"_s, u"@acme/widget"_s, u"1.0.0"_s, {{u"description"_s, u"kaleidoscope"_s}}));
    QCOMPARE(count(u"package_search_pending"_s), 1);
    QCOMPARE(count(u"package_search"_s), 0);

    // The note outlives the process that wrote it.
    QVERIFY(m_fixture.reopen());
    QCOMPARE(count(u"package_search_pending"_s), 1);

    // A listing that must change nothing (`trove package list`, `trove check`) leaves the note.
    const Result<QList<PackageSummary>> asStored =
        PackageStore(m_fixture->database()).packageSummaries();
    QVERIFY_RESULT(asStored);
    QCOMPARE(asStored->size(), 1);
    QCOMPARE(count(u"package_search_pending"_s), 1);

    // The window's list filters on description and keywords: it catches up first.
    const Result<QList<PackageSummary>> summaries =
        PackageStore(m_fixture->database()).packageSummaries(PackageStore::SearchText::Current);
    QVERIFY_RESULT(summaries);
    QCOMPARE(summaries->size(), 1);
    QCOMPARE(summaries->first().description, u"kaleidoscope"_s);
    QCOMPARE(count(u"package_search_pending"_s), 0);
    QCOMPARE(count(u"package_search"_s), 1);

    // Several writes, one catch-up: the newer latest and a second name, found by a search.
    QVERIFY_RESULT(publish(
        u"acme/a"_s, u"@acme/widget"_s, u"2.0.0"_s, {{u"description"_s, u"stroboscope"_s}}));
    QVERIFY_RESULT(publish(u"acme/b"_s, u"@acme/gadget"_s, u"1.0.0"_s));
    QCOMPARE(count(u"package_search_pending"_s), 2);
    QCOMPARE(names(u"stroboscope"_s), QStringList{u"@acme/widget"_s});
    QCOMPARE(names(u"kaleidoscope"_s), QStringList{});
    QCOMPARE(names(u"gadget"_s), QStringList{u"@acme/gadget"_s});
    QCOMPARE(count(u"package_search_pending"_s), 0);

    // A reader inside a write transaction leaves the notes for later.
    QVERIFY_RESULT(
        m_fixture->packages().unpublishPackage(projectId(u"acme/b"_s), u"@acme/gadget"_s));
    {
        Sql::Transaction transaction(m_fixture->database());
        QVERIFY(transaction.isActive());
        QVERIFY_RESULT(m_fixture->database().catchUpSearchIndex());
        QCOMPARE(count(u"package_search_pending"_s), 1);
    }
    QCOMPARE(names(u"gadget"_s), QStringList{});
    QCOMPARE(count(u"package_search"_s), 1);
}

QTEST_GUILESS_MAIN(tst_Search)
#include "tst_search.moc"
