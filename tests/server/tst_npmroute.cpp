// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/npmroute.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace Trove::Http;

Q_DECLARE_METATYPE(NpmRoute::Kind)
Q_DECLARE_METATYPE(NpmRoute::Level)

class tst_NpmRoute : public QObject
{
    Q_OBJECT

private slots:
    void routes_data();
    void routes();
    void rejected_data();
    void rejected();
};

void tst_NpmRoute::routes_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QByteArray>("path");
    QTest::addColumn<NpmRoute::Level>("level");
    QTest::addColumn<QString>("target");
    QTest::addColumn<NpmRoute::Kind>("kind");
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("tag");

    using K = NpmRoute::Kind;
    using L = NpmRoute::Level;
    const QString none;
    QTest::newRow("project packument, npm's %2f")
        << QByteArray("GET") << QByteArray("/api/v4/projects/7/packages/npm/@acme%2fwidget")
        << L::Project << u"7"_s << K::Packument << u"@acme/widget"_s << none << none;
    QTest::newRow("project packument, pnpm's %2F")
        << QByteArray("GET") << QByteArray("/api/v4/projects/7/packages/npm/@acme%2Fwidget")
        << L::Project << u"7"_s << K::Packument << u"@acme/widget"_s << none << none;
    QTest::newRow("project packument, raw slash")
        << QByteArray("GET") << QByteArray("/api/v4/projects/7/packages/npm/@acme/widget")
        << L::Project << u"7"_s << K::Packument << u"@acme/widget"_s << none << none;
    QTest::newRow("project by encoded path")
        << QByteArray("GET")
        << QByteArray("/api/v4/projects/acme%2Fsub%2Fapp/packages/npm/left-pad") << L::Project
        << u"acme/sub/app"_s << K::Packument << u"left-pad"_s << none << none;
    QTest::newRow("HEAD packument")
        << QByteArray("HEAD") << QByteArray("/api/v4/packages/npm/left-pad") << L::Instance << none
        << K::Packument << u"left-pad"_s << none << none;
    QTest::newRow("instance packument")
        << QByteArray("GET") << QByteArray("/api/v4/packages/npm/@acme%2fwidget") << L::Instance
        << none << K::Packument << u"@acme/widget"_s << none << none;
    QTest::newRow("group packument")
        << QByteArray("GET") << QByteArray("/api/v4/groups/acme%2Ffront/-/packages/npm/@acme%2fw")
        << L::Group << u"acme/front"_s << K::Packument << u"@acme/w"_s << none << none;
    QTest::newRow("gitlab tarball")
        << QByteArray("GET")
        << QByteArray("/api/v4/projects/7/packages/npm/@acme/widget/-/@acme/widget-1.0.0.tgz")
        << L::Project << u"7"_s << K::Tarball << u"@acme/widget"_s << u"@acme/widget-1.0.0.tgz"_s
        << none;
    QTest::newRow("npmjs-style tarball")
        << QByteArray("GET")
        << QByteArray("/api/v4/projects/7/packages/npm/@acme%2fwidget/-/widget-1.0.0.tgz")
        << L::Project << u"7"_s << K::Tarball << u"@acme/widget"_s << u"widget-1.0.0.tgz"_s << none;
    QTest::newRow("unscoped tarball")
        << QByteArray("GET") << QByteArray("/api/v4/projects/7/packages/npm/lp/-/lp-1.0.0.tgz")
        << L::Project << u"7"_s << K::Tarball << u"lp"_s << u"lp-1.0.0.tgz"_s << none;
    QTest::newRow("publish") << QByteArray("PUT")
                             << QByteArray("/api/v4/projects/7/packages/npm/@acme%2fwidget")
                             << L::Project << u"7"_s << K::Publish << u"@acme/widget"_s << none
                             << none;
    QTest::newRow("dist-tags list")
        << QByteArray("GET")
        << QByteArray("/api/v4/projects/7/packages/npm/-/package/@acme%2fwidget/dist-tags")
        << L::Project << u"7"_s << K::DistTags << u"@acme/widget"_s << none << none;
    QTest::newRow("dist-tag put, raw slash")
        << QByteArray("PUT")
        << QByteArray("/api/v4/packages/npm/-/package/@acme/widget/dist-tags/beta") << L::Instance
        << none << K::DistTagPut << u"@acme/widget"_s << none << u"beta"_s;
    QTest::newRow("dist-tag delete")
        << QByteArray("DELETE")
        << QByteArray("/api/v4/groups/3/-/packages/npm/-/package/lp/dist-tags/next%2Done")
        << L::Group << u"3"_s << K::DistTagDelete << u"lp"_s << none << u"next-one"_s;
    QTest::newRow("audit bulk") << QByteArray(
        "POST") << QByteArray("/api/v4/projects/7/packages/npm/-/npm/v1/security/advisories/bulk")
                                << L::Project << u"7"_s << K::AuditBulk << none << none << none;
    QTest::newRow("audit quick") << QByteArray(
        "POST") << QByteArray("/api/v4/packages/npm/-/npm/v1/security/audits/quick")
                                 << L::Instance << none << K::AuditQuick << none << none << none;
    QTest::newRow("whoami") << QByteArray("GET") << QByteArray("/api/v4/packages/npm/-/whoami")
                            << L::Instance << none << K::Whoami << none << none << none;
    QTest::newRow("ping") << QByteArray("GET")
                          << QByteArray("/api/v4/projects/7/packages/npm/-/ping") << L::Project
                          << u"7"_s << K::Ping << none << none << none;
    QTest::newRow("instance search")
        << QByteArray("GET") << QByteArray("/api/v4/packages/npm/-/v1/search") << L::Instance
        << none << K::Search << none << none << none;
    QTest::newRow("group search") << QByteArray(
        "GET") << QByteArray("/api/v4/groups/acme%2Fsub/-/packages/npm/-/v1/search")
                                  << L::Group << u"acme/sub"_s << K::Search << none << none << none;
    QTest::newRow("project search, HEAD")
        << QByteArray("HEAD") << QByteArray("/api/v4/projects/7/packages/npm/-/v1/search")
        << L::Project << u"7"_s << K::Search << none << none << none;
    QTest::newRow("unpublish one version")
        << QByteArray("PUT") << QByteArray("/api/v4/projects/7/packages/npm/@a%2fb/-rev/undefined")
        << L::Project << u"7"_s << K::UnpublishPut << u"@a/b"_s << none << none;
    QTest::newRow("unpublish all")
        << QByteArray("DELETE") << QByteArray("/api/v4/projects/7/packages/npm/@a%2fb/-rev/1-x")
        << L::Project << u"7"_s << K::UnpublishAll << u"@a/b"_s << none << none;
    QTest::newRow("delete tarball")
        << QByteArray("DELETE")
        << QByteArray("/api/v4/projects/7/packages/npm/@a/b/-/@a/b-1.0.0.tgz/-rev/1-x")
        << L::Project << u"7"_s << K::TarballDelete << u"@a/b"_s << u"@a/b-1.0.0.tgz"_s << none;
}

void tst_NpmRoute::routes()
{
    QFETCH(QByteArray, method);
    QFETCH(QByteArray, path);
    QFETCH(NpmRoute::Level, level);
    QFETCH(QString, target);
    QFETCH(NpmRoute::Kind, kind);
    QFETCH(QString, name);
    QFETCH(QString, file);
    QFETCH(QString, tag);

    const std::optional<NpmRoute> route = parseNpmRoute(method, path);
    QVERIFY(route);
    QCOMPARE(route->level, level);
    QCOMPARE(route->target, target);
    QCOMPARE(route->kind, kind);
    QCOMPARE(route->packageName, name);
    QCOMPARE(route->fileName, file);
    QCOMPARE(route->tag, tag);
}

void tst_NpmRoute::rejected_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QByteArray>("path");
    QTest::newRow("not the api") << QByteArray("GET") << QByteArray("/left-pad");
    QTest::newRow("other api") << QByteArray("GET") << QByteArray("/api/v4/users");
    QTest::newRow("post to a package")
        << QByteArray("POST") << QByteArray("/api/v4/packages/npm/left-pad");
    QTest::newRow("delete a packument")
        << QByteArray("DELETE") << QByteArray("/api/v4/projects/1/packages/npm/lp");
    QTest::newRow("empty name") << QByteArray("GET") << QByteArray("/api/v4/packages/npm/");
    QTest::newRow("CR LF in name")
        << QByteArray("GET") << QByteArray("/api/v4/packages/npm/%0d%0ahttp:%2f%2fx");
    QTest::newRow("NUL in name") << QByteArray("GET") << QByteArray("/api/v4/packages/npm/a%00b");
    QTest::newRow("invalid utf-8") << QByteArray("GET") << QByteArray("/api/v4/packages/npm/%ff");
    QTest::newRow("unknown dash route")
        << QByteArray("GET") << QByteArray("/api/v4/packages/npm/-/v1/browse");
    QTest::newRow("search by POST")
        << QByteArray("POST") << QByteArray("/api/v4/packages/npm/-/v1/search");
    QTest::newRow("search with more after it")
        << QByteArray("GET") << QByteArray("/api/v4/packages/npm/-/v1/search/x");
    QTest::newRow("group without dash")
        << QByteArray("GET") << QByteArray("/api/v4/groups/1/packages/npm/lp");
    QTest::newRow("tarball by PUT")
        << QByteArray("PUT") << QByteArray("/api/v4/projects/1/packages/npm/lp/-/lp-1.0.0.tgz");
}

void tst_NpmRoute::rejected()
{
    QFETCH(QByteArray, method);
    QFETCH(QByteArray, path);
    QVERIFY(!parseNpmRoute(method, path).has_value());
}

QTEST_GUILESS_MAIN(tst_NpmRoute)
#include "tst_npmroute.moc"
