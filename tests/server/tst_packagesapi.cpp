// SPDX-License-Identifier: GPL-3.0-or-later
// GitLab's REST Packages API (docs/packages-api.md) against a real registry in a temporary
// folder, through the same handler that serves the npm routes.
#include "npmfixture.h"

#include "model/blobstore.h"
#include "model/registry.h"
#include "model/store/database.h"
#include "server/npmhandler.h"

#include <QFile>
#include <QJsonArray>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>

using namespace Qt::StringLiterals;
using namespace Trove;
using namespace Trove::Http;
using namespace NpmFixture;

namespace {

QJsonArray arrayOf(const Response &response)
{
    return QJsonDocument::fromJson(response.body).array();
}

QJsonObject objectOf(const Response &response)
{
    return QJsonDocument::fromJson(response.body).object();
}

// "name@version" of each listed package, in the order given.
QStringList idsOf(const Response &response)
{
    QStringList ids;
    for (const QJsonValue &value : arrayOf(response)) {
        ids.append(value[u"name"_s].toString() + u'@' + value[u"version"_s].toString());
    }
    return ids;
}

} // namespace

class tst_PackagesApi : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void listFields();
    void listParameters_data();
    void listParameters();
    void invalidParameters_data();
    void invalidParameters();
    void pagination();
    void projectByPath();
    void access_data();
    void access();
    void unknownToken();
    void showAndFiles();
    void notFound_data();
    void notFound();
    void deletePackage();
    void deletePackageFile();
    void deleteRefused_data();
    void deleteRefused();
    void refusedFromTheHead();
    void groupList();
    void invalidNpmName();
    void registryOff();
    void largeListsAreNotCounted();

private:
    Response call(const QByteArray &method,
                  const QByteArray &path,
                  const QString &token = {},
                  const QList<QPair<QByteArray, QByteArray>> &headers = {});
    void publish(const QString &name, const QString &version, qint64 projectId = 0);
    qint64 idOf(const QString &name, const QString &version, qint64 projectId = 0);
    QByteArray packagesPath(qint64 projectId = 0) const;

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<Registry> m_registry;
    std::unique_ptr<NpmHandler> m_handler;
    qint64 m_app = 0; // acme/app, private
    qint64 m_deep = 0; // acme/sub/deep, private
    qint64 m_public = 0; // open/lib, public
    qint64 m_internal = 0; // open/inner, internal
    QHash<QString, QString> m_tokens;
};

void tst_PackagesApi::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    Result<std::unique_ptr<Registry>> registry = Registry::open(m_dir->path());
    QVERIFY2(registry, qPrintable(registry ? QString() : registry.error().message));
    m_registry = std::move(*registry);
    Registry &r = *m_registry;
    QVERIFY(r.namespaces().createGroup(u"acme"_s, Visibility::Private));
    QVERIFY(r.namespaces().createGroup(u"acme/sub"_s, Visibility::Private));
    QVERIFY(r.namespaces().createGroup(u"open"_s, Visibility::Public));
    m_app = r.namespaces().createProject(u"acme/app"_s, Visibility::Private)->id;
    m_deep = r.namespaces().createProject(u"acme/sub/deep"_s, Visibility::Private)->id;
    m_public = r.namespaces().createProject(u"open/lib"_s, Visibility::Public)->id;
    m_internal = r.namespaces().createProject(u"open/inner"_s, Visibility::Internal)->id;
    const QList<std::pair<QString, AccessLevel>> users = {{u"maint"_s, AccessLevel::Maintainer},
                                                          {u"dev"_s, AccessLevel::Developer},
                                                          {u"rep"_s, AccessLevel::Reporter},
                                                          {u"guest"_s, AccessLevel::Guest},
                                                          {u"outsider"_s, AccessLevel::None}};
    for (const auto &[name, level] : users) {
        const Result<User> user = r.users().createUser(name);
        QVERIFY(user);
        if (level != AccessLevel::None) {
            QVERIFY(r.users().addGroupMember(name, u"acme"_s, level));
            QVERIFY(r.users().addGroupMember(name, u"open"_s, level));
        }
        m_tokens.insert(name,
                        r.tokens().createPersonalAccessToken(user->id, {}, {u"api"_s})->token);
    }
    const qint64 dev = r.users().store().userByName(u"dev"_s)->id;
    const qint64 maint = r.users().store().userByName(u"maint"_s)->id;
    m_tokens.insert(u"readapi"_s,
                    r.tokens().createPersonalAccessToken(maint, {}, {u"read_api"_s})->token);
    m_tokens.insert(u"deploy"_s,
                    r.tokens()
                        .createDeployToken(
                            0, m_app, {}, {u"read_package_registry"_s, u"write_package_registry"_s})
                        ->token);
    m_tokens.insert(u"deploy-read"_s,
                    r.tokens()
                        .createDeployToken(r.namespaces().store().groupByPath(u"acme"_s)->id,
                                           0,
                                           {},
                                           {u"read_package_registry"_s})
                        ->token);
    m_tokens.insert(u"job"_s, r.tokens().createJobToken(m_app, dev)->token);
    m_tokens.insert(u"job-maint"_s, r.tokens().createJobToken(m_app, maint)->token);
    QVERIFY(r.settings().setInstanceForwarding(false));
    NpmHandler::Config config;
    config.baseUrl = u"http://trove.test"_s;
    m_handler = std::make_unique<NpmHandler>(r, config);
}

void tst_PackagesApi::cleanup()
{
    m_handler.reset();
    m_registry.reset();
    m_dir.reset();
    m_tokens.clear();
}

Response tst_PackagesApi::call(const QByteArray &method,
                               const QByteArray &path,
                               const QString &token,
                               const QList<QPair<QByteArray, QByteArray>> &headers)
{
    RequestContext context;
    context.method = method;
    const qsizetype question = path.indexOf('?');
    context.encodedPath = question < 0 ? path : path.left(question);
    context.query = question < 0 ? QByteArray() : path.mid(question + 1);
    context.headers = headers;
    // A Host header nobody should trust: links must come from the configured base URL.
    context.headers.append(qMakePair(QByteArray("Host"), QByteArray("evil.test")));
    if (!token.isEmpty()) {
        context.headers.append(qMakePair(QByteArray("PRIVATE-TOKEN"), token.toUtf8()));
    }
    return m_handler->handle(context);
}

QByteArray tst_PackagesApi::packagesPath(qint64 projectId) const
{
    return "/api/v4/projects/" + QByteArray::number(projectId ? projectId : m_app) + "/packages";
}

void tst_PackagesApi::publish(const QString &name, const QString &version, qint64 projectId)
{
    const QJsonObject body = publishBody(name, version, makeTarball(name, version));
    RequestContext context;
    context.method = "PUT";
    context.encodedPath = "/api/v4/projects/" + QByteArray::number(projectId ? projectId : m_app)
        + "/packages/npm/" + encodeName(name);
    context.body = QJsonDocument(body).toJson(QJsonDocument::Compact);
    context.headers.append(qMakePair(QByteArray("Authorization"),
                                     QByteArray("Bearer " + m_tokens.value(u"maint"_s).toUtf8())));
    const Response response = m_handler->handle(context);
    QVERIFY2(response.status == 200, response.body.constData());
}

qint64 tst_PackagesApi::idOf(const QString &name, const QString &version, qint64 projectId)
{
    const Result<Package> package =
        m_registry->packages().store().packageVersion(projectId ? projectId : m_app, name, version);
    return package ? package->id : 0;
}

void tst_PackagesApi::listFields()
{
    publish(u"@acme/widgets"_s, u"1.0.0"_s);
    publish(u"@acme/widgets"_s, u"1.1.0"_s);
    const Response response = call("GET", packagesPath(), m_tokens.value(u"maint"_s));
    QCOMPARE(response.status, 200);
    const QJsonArray list = arrayOf(response);
    QCOMPARE(list.size(), 2);
    const QJsonObject first = list.at(0).toObject();
    const qint64 id = idOf(u"@acme/widgets"_s, u"1.0.0"_s);
    QCOMPARE(first[u"id"_s].toInteger(), id);
    QCOMPARE(first[u"name"_s].toString(), u"@acme/widgets"_s);
    QCOMPARE(first[u"version"_s].toString(), u"1.0.0"_s);
    QCOMPARE(first[u"package_type"_s].toString(), u"npm"_s);
    QCOMPARE(first[u"status"_s].toString(), u"default"_s);
    QVERIFY(first[u"last_downloaded_at"_s].isNull());
    QVERIFY(first.contains(u"last_downloaded_at"_s));
    QVERIFY(QDateTime::fromString(first[u"created_at"_s].toString(), Qt::ISODateWithMs).isValid());
    QVERIFY(first[u"pipelines"_s].isArray());
    QVERIFY(!first.contains(u"project_id"_s)); // only in group lists
    const QJsonObject links = first[u"_links"_s].toObject();
    QCOMPARE(links[u"web_path"_s].toString(), u"/acme/app/-/packages/%1"_s.arg(id));
    QCOMPARE(links[u"delete_api_path"_s].toString(),
             u"http://trove.test/api/v4/projects/%1/packages/%2"_s.arg(m_app).arg(id));
    // "latest" points at 1.1.0: the tag shows on that package, not on 1.0.0.
    QCOMPARE(first[u"tags"_s].toArray().size(), 0);
    const QJsonArray tags = list.at(1)[u"tags"_s].toArray();
    QCOMPARE(tags.size(), 1);
    QCOMPARE(tags.at(0)[u"name"_s].toString(), u"latest"_s);
    QCOMPARE(tags.at(0)[u"package_id"_s].toInteger(), idOf(u"@acme/widgets"_s, u"1.1.0"_s));

    // A reporter may read but not delete: no delete_api_path for them.
    const Response asReporter = call("GET", packagesPath(), m_tokens.value(u"rep"_s));
    QCOMPARE(asReporter.status, 200);
    QVERIFY(!arrayOf(asReporter).at(0)[u"_links"_s].toObject().contains(u"delete_api_path"_s));
}

void tst_PackagesApi::listParameters_data()
{
    QTest::addColumn<QByteArray>("query");
    QTest::addColumn<QStringList>("expected");

    // Published in this order: b@1.0.0, a@2.0.0, c-util@1.10.0, a@10.0.0 (deprecated), B-Two@0.1.0
    const QString b = u"@acme/b@1.0.0"_s;
    const QString a2 = u"@acme/a@2.0.0"_s;
    const QString c = u"@acme/c-util@1.10.0"_s;
    const QString a10 = u"@acme/a@10.0.0"_s;
    const QString bTwo = u"@acme/B-Two@0.1.0"_s;
    QTest::newRow("default: created_at asc") << QByteArray() << QStringList{b, a2, c, a10, bTwo};
    QTest::newRow("created_at desc")
        << QByteArray("order_by=created_at&sort=desc") << QStringList{bTwo, a10, c, a2, b};
    QTest::newRow("name asc (then id)")
        << QByteArray("order_by=name") << QStringList{bTwo, a2, a10, b, c};
    QTest::newRow("name desc") << QByteArray("order_by=name&sort=desc")
                               << QStringList{c, b, a10, a2, bTwo};
    // GitLab orders versions as text, not as semver.
    QTest::newRow("version asc") << QByteArray("order_by=version")
                                 << QStringList{bTwo, b, c, a10, a2};
    QTest::newRow("type (all npm: by id)")
        << QByteArray("order_by=type&sort=desc") << QStringList{bTwo, a10, c, a2, b};
    QTest::newRow("package_name is a substring")
        << QByteArray("package_name=util") << QStringList{c};
    QTest::newRow("package_name ignores case")
        << QByteArray("package_name=b-TWO") << QStringList{bTwo};
    QTest::newRow("package_name matches the scope")
        << QByteArray("package_name=%40acme%2Fa") << QStringList{a2, a10};
    QTest::newRow("package_name: % is literal") << QByteArray("package_name=%25") << QStringList{};
    QTest::newRow("package_name: _ is literal") << QByteArray("package_name=_") << QStringList{};
    QTest::newRow("package_version exact") << QByteArray("package_version=1.0.0") << QStringList{b};
    QTest::newRow("package_version is not a substring")
        << QByteArray("package_version=1.0") << QStringList{};
    QTest::newRow("package_type npm")
        << QByteArray("package_type=npm") << QStringList{b, a2, c, a10, bTwo};
    QTest::newRow("package_type maven") << QByteArray("package_type=maven") << QStringList{};
    QTest::newRow("status default") << QByteArray("status=default") << QStringList{b, a2, c, bTwo};
    QTest::newRow("status deprecated") << QByteArray("status=deprecated") << QStringList{a10};
    QTest::newRow("status hidden") << QByteArray("status=hidden") << QStringList{};
    QTest::newRow("status pending_destruction")
        << QByteArray("status=pending_destruction") << QStringList{};
    QTest::newRow("filters combine")
        << QByteArray("package_name=acme%2Fa&order_by=version&sort=desc&package_type=npm")
        << QStringList{a2, a10};
    QTest::newRow("include_versionless is accepted")
        << QByteArray("include_versionless=true&package_name=c-") << QStringList{c};
}

void tst_PackagesApi::listParameters()
{
    QFETCH(QByteArray, query);
    QFETCH(QStringList, expected);
    publish(u"@acme/b"_s, u"1.0.0"_s);
    publish(u"@acme/a"_s, u"2.0.0"_s);
    publish(u"@acme/c-util"_s, u"1.10.0"_s);
    publish(u"@acme/a"_s, u"10.0.0"_s);
    publish(u"@acme/B-Two"_s, u"0.1.0"_s);
    QVERIFY(m_registry->packages().deprecate(m_app, u"@acme/a"_s, {{u"10.0.0"_s, u"broken"_s}}));
    // Another project's packages never show.
    publish(u"@acme/a"_s, u"3.0.0"_s, m_deep);

    const Response response =
        call("GET",
             packagesPath() + (query.isEmpty() ? QByteArray() : QByteArray("?" + query)),
             m_tokens.value(u"rep"_s));
    QCOMPARE(response.status, 200);
    QCOMPARE(idsOf(response), expected);
    QCOMPARE(response.header("X-Total"), QByteArray::number(expected.size()));
    if (query.contains("status=deprecated")) {
        QCOMPARE(arrayOf(response).at(0)[u"status"_s].toString(), u"deprecated"_s);
    }
}

void tst_PackagesApi::invalidParameters_data()
{
    QTest::addColumn<QByteArray>("query");
    QTest::addColumn<QString>("error");
    QTest::newRow("order_by") << QByteArray("order_by=size")
                              << u"order_by does not have a valid value"_s;
    QTest::newRow("order_by project_path is for groups")
        << QByteArray("order_by=project_path") << u"order_by does not have a valid value"_s;
    QTest::newRow("sort") << QByteArray("sort=up") << u"sort does not have a valid value"_s;
    QTest::newRow("package_type") << QByteArray("package_type=tarball")
                                  << u"package_type does not have a valid value"_s;
    QTest::newRow("status") << QByteArray("status=gone") << u"status does not have a valid value"_s;
    QTest::newRow("page") << QByteArray("page=two") << u"page is invalid"_s;
    QTest::newRow("per_page") << QByteArray("per_page=1x") << u"per_page is invalid"_s;
    QTest::newRow("include_versionless")
        << QByteArray("include_versionless=maybe") << u"include_versionless is invalid"_s;
    QTest::newRow("several, joined")
        << QByteArray("sort=up&status=gone")
        << u"sort does not have a valid value, status does not have a valid value"_s;
}

void tst_PackagesApi::invalidParameters()
{
    QFETCH(QByteArray, query);
    QFETCH(QString, error);
    publish(u"@acme/a"_s, u"1.0.0"_s);
    const Response response = call("GET", packagesPath() + "?" + query, m_tokens.value(u"rep"_s));
    QCOMPARE(response.status, 400);
    QCOMPARE(objectOf(response)[u"error"_s].toString(), error);
}

void tst_PackagesApi::pagination()
{
    for (int i = 0; i < 7; ++i) {
        publish(u"@acme/p"_s, u"1.0.%1"_s.arg(i));
    }
    const QString token = m_tokens.value(u"rep"_s);
    const QByteArray base = "http://trove.test" + packagesPath();

    const Response first = call("GET", packagesPath() + "?per_page=3&package_name=p", token);
    QCOMPARE(first.status, 200);
    QCOMPARE(idsOf(first),
             (QStringList{u"@acme/p@1.0.0"_s, u"@acme/p@1.0.1"_s, u"@acme/p@1.0.2"_s}));
    QCOMPARE(first.header("X-Total"), "7");
    QCOMPARE(first.header("X-Total-Pages"), "3");
    QCOMPARE(first.header("X-Page"), "1");
    QCOMPARE(first.header("X-Per-Page"), "3");
    QCOMPARE(first.header("X-Next-Page"), "2");
    QCOMPARE(first.header("X-Prev-Page"), "");
    // Keys sorted as Rails' to_query sorts them; the base URL configured, never the Host header.
    QCOMPARE(first.header("Link"),
             "<" + base + "?package_name=p&page=2&per_page=3>; rel=\"next\", <" + base
                 + "?package_name=p&page=1&per_page=3>; rel=\"first\", <" + base
                 + "?package_name=p&page=3&per_page=3>; rel=\"last\"");

    const Response middle = call("GET", packagesPath() + "?per_page=3&page=2", token);
    QCOMPARE(idsOf(middle),
             (QStringList{u"@acme/p@1.0.3"_s, u"@acme/p@1.0.4"_s, u"@acme/p@1.0.5"_s}));
    QCOMPARE(middle.header("X-Next-Page"), "3");
    QCOMPARE(middle.header("X-Prev-Page"), "1");
    QVERIFY(middle.header("Link").startsWith(
        QByteArray("<" + base + "?page=1&per_page=3>; rel=\"prev\", <" + base
                   + "?page=3&per_page=3>; rel=\"next\"")));

    const Response last = call("GET", packagesPath() + "?per_page=3&page=3", token);
    QCOMPARE(idsOf(last), QStringList{u"@acme/p@1.0.6"_s});
    QCOMPARE(last.header("X-Next-Page"), "");
    QVERIFY(!last.header("Link").contains("rel=\"next\""));

    const Response beyond = call("GET", packagesPath() + "?per_page=3&page=9", token);
    QCOMPARE(beyond.status, 200);
    QCOMPARE(arrayOf(beyond).size(), 0);
    QCOMPARE(beyond.header("X-Total"), "7");
    QCOMPARE(beyond.header("X-Prev-Page"), ""); // Kaminari: no previous page out of range

    // GitLab's default of 20 and its maximum of 100.
    QCOMPARE(call("GET", packagesPath(), token).header("X-Per-Page"), "20");
    QCOMPARE(call("GET", packagesPath() + "?per_page=1000", token).header("X-Per-Page"), "100");
    QCOMPARE(call("GET", packagesPath() + "?per_page=0", token).header("X-Per-Page"), "20");
    QCOMPARE(call("GET", packagesPath() + "?page=0", token).header("X-Page"), "1");

    // An empty list still has one page.
    const Response empty = call("GET", packagesPath(m_deep), token);
    QCOMPARE(empty.header("X-Total"), "0");
    QCOMPARE(empty.header("X-Total-Pages"), "1");
}

void tst_PackagesApi::projectByPath()
{
    publish(u"@acme/a"_s, u"1.0.0"_s, m_deep);
    for (const QByteArray &id : {QByteArray("acme%2Fsub%2Fdeep"),
                                 QByteArray("acme%2fsub%2fdeep"),
                                 QByteArray::number(m_deep)}) {
        const Response response =
            call("GET", "/api/v4/projects/" + id + "/packages", m_tokens.value(u"rep"_s));
        QCOMPARE(response.status, 200);
        QCOMPARE(idsOf(response), QStringList{u"@acme/a@1.0.0"_s});
    }
    QCOMPARE(call("GET", "/api/v4/projects/acme%2Fnone/packages", m_tokens.value(u"rep"_s)).status,
             404);
}

void tst_PackagesApi::access_data()
{
    QTest::addColumn<QString>("who");
    QTest::addColumn<QString>("where");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("message");

    const QString notFound = u"404 Project Not Found"_s;
    const QString forbidden = u"403 Forbidden"_s;
    // GitLab's REST API hides what the caller may not see, from anonymous callers too (the npm
    // routes answer them 401).
    QTest::newRow("anonymous, private") << QString() << u"private"_s << 404 << notFound;
    QTest::newRow("anonymous, internal") << QString() << u"internal"_s << 404 << notFound;
    QTest::newRow("anonymous, public") << QString() << u"public"_s << 200 << QString();
    QTest::newRow("outsider, private") << u"outsider"_s << u"private"_s << 404 << notFound;
    QTest::newRow("outsider, internal") << u"outsider"_s << u"internal"_s << 200 << QString();
    QTest::newRow("outsider, public") << u"outsider"_s << u"public"_s << 200 << QString();
    QTest::newRow("guest, private") << u"guest"_s << u"private"_s << 403 << forbidden;
    QTest::newRow("reporter") << u"rep"_s << u"private"_s << 200 << QString();
    QTest::newRow("developer") << u"dev"_s << u"private"_s << 200 << QString();
    QTest::newRow("maintainer") << u"maint"_s << u"private"_s << 200 << QString();
    QTest::newRow("read_api token") << u"readapi"_s << u"private"_s << 200 << QString();
    QTest::newRow("deploy token of the project") << u"deploy"_s << u"private"_s << 200 << QString();
    QTest::newRow("deploy token of another project") << u"deploy"_s << u"deep"_s << 404 << notFound;
    QTest::newRow("deploy token of the group") << u"deploy-read"_s << u"deep"_s << 200 << QString();
    QTest::newRow("job token of the project") << u"job"_s << u"private"_s << 200 << QString();
    QTest::newRow("job token of another project") << u"job"_s << u"deep"_s << 404 << notFound;
    QTest::newRow("job token, public project") << u"job"_s << u"public"_s << 200 << QString();
}

void tst_PackagesApi::access()
{
    QFETCH(QString, who);
    QFETCH(QString, where);
    QFETCH(int, status);
    QFETCH(QString, message);
    const qint64 project = where == u"public"_s ? m_public
        : where == u"internal"_s                ? m_internal
        : where == u"deep"_s                    ? m_deep
                                                : m_app;
    publish(u"thing"_s, u"1.0.0"_s, project);
    const Response response = call("GET", packagesPath(project), m_tokens.value(who));
    QCOMPARE(response.status, status);
    if (status == 200) {
        QCOMPARE(idsOf(response), QStringList{u"thing@1.0.0"_s});
    } else {
        QCOMPARE(objectOf(response)[u"message"_s].toString(), message);
        QVERIFY(!response.log.reason.isEmpty());
    }
    // The same rules for one package and its files.
    const QByteArray one =
        packagesPath(project) + '/' + QByteArray::number(idOf(u"thing"_s, u"1.0.0"_s, project));
    QCOMPARE(call("GET", one, m_tokens.value(who)).status, status);
    QCOMPARE(call("GET", one + "/package_files", m_tokens.value(who)).status, status);
}

void tst_PackagesApi::unknownToken()
{
    publish(u"thing"_s, u"1.0.0"_s, m_public);
    // An unknown token is refused even where anonymous callers may read.
    const Response response = call("GET", packagesPath(m_public), u"glpat-not-a-token"_s);
    QCOMPARE(response.status, 401);
    QCOMPARE(objectOf(response)[u"message"_s].toString(), u"401 Unauthorized"_s);
    const QString finished = m_registry->tokens().createJobToken(m_app, 1)->token;
    QVERIFY(m_registry->tokens().finishJob(finished));
    RequestContext context;
    context.method = "GET";
    context.encodedPath = packagesPath();
    context.headers.append(qMakePair(QByteArray("JOB-TOKEN"), finished.toUtf8()));
    QCOMPARE(m_handler->handle(context).status, 401);
    // Authorization: Bearer and JOB-TOKEN work as PRIVATE-TOKEN does.
    context.headers = {qMakePair(QByteArray("JOB-TOKEN"), m_tokens.value(u"job"_s).toUtf8())};
    QCOMPARE(m_handler->handle(context).status, 200);
    context.headers = {qMakePair(QByteArray("Authorization"),
                                 QByteArray("Bearer " + m_tokens.value(u"rep"_s).toUtf8()))};
    QCOMPARE(m_handler->handle(context).status, 200);
}

void tst_PackagesApi::showAndFiles()
{
    publish(u"@acme/w"_s, u"1.0.0"_s);
    publish(u"@acme/w"_s, u"2.0.0"_s);
    publish(u"@acme/other"_s, u"1.0.0"_s);
    const qint64 id = idOf(u"@acme/w"_s, u"2.0.0"_s);
    const QString token = m_tokens.value(u"rep"_s);

    const Response shown = call("GET", packagesPath() + '/' + QByteArray::number(id), token);
    QCOMPARE(shown.status, 200);
    const QJsonObject object = objectOf(shown);
    QCOMPARE(object[u"id"_s].toInteger(), id);
    QCOMPARE(object[u"name"_s].toString(), u"@acme/w"_s);
    QCOMPARE(object[u"version"_s].toString(), u"2.0.0"_s);
    QCOMPARE(object[u"tags"_s].toArray().at(0)[u"name"_s].toString(), u"latest"_s);
    // The other versions of the name, not those of other names.
    const QJsonArray versions = object[u"versions"_s].toArray();
    QCOMPARE(versions.size(), 1);
    QCOMPARE(versions.at(0)[u"version"_s].toString(), u"1.0.0"_s);
    QCOMPARE(versions.at(0)[u"id"_s].toInteger(), idOf(u"@acme/w"_s, u"1.0.0"_s));

    const Response files =
        call("GET", packagesPath() + '/' + QByteArray::number(id) + "/package_files", token);
    QCOMPARE(files.status, 200);
    const QJsonArray list = arrayOf(files);
    QCOMPARE(list.size(), 1);
    const QJsonObject file = list.at(0).toObject();
    const Package stored = *m_registry->packages().store().packageById(id);
    QCOMPARE(file[u"id"_s].toInteger(), id);
    QCOMPARE(file[u"package_id"_s].toInteger(), id);
    QCOMPARE(file[u"file_name"_s].toString(), u"@acme/w-2.0.0.tgz"_s);
    QCOMPARE(file[u"size"_s].toInteger(), stored.size);
    QVERIFY(stored.size > 0);
    QCOMPARE(file[u"file_sha1"_s].toString(), stored.sha1);
    QVERIFY(file[u"file_md5"_s].isNull());
    QVERIFY(file[u"file_sha256"_s].isNull());
    QCOMPARE(files.header("X-Total"), "1");
    // The files' own order parameters, not the packages'.
    const QByteArray filesPath = packagesPath() + '/' + QByteArray::number(id) + "/package_files";
    QCOMPARE(call("GET", filesPath + "?order_by=file_name&sort=desc", token).status, 200);
    QCOMPARE(call("GET", filesPath + "?order_by=version", token).status, 400);
    QCOMPARE(arrayOf(call("GET", filesPath + "?page=2", token)).size(), 0);
    QCOMPARE(files.header("Link"),
             "<http://trove.test" + packagesPath() + '/' + QByteArray::number(id)
                 + "/package_files?page=1&per_page=20>; rel=\"first\", <http://trove.test"
                 + packagesPath() + '/' + QByteArray::number(id)
                 + "/package_files?page=1&per_page=20>; rel=\"last\"");
}

void tst_PackagesApi::notFound_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QByteArray>("suffix");
    QTest::addColumn<QString>("message");
    QTest::newRow("no such package")
        << QByteArray("GET") << QByteArray("/999999") << u"404 Not found"_s;
    QTest::newRow("package of another project")
        << QByteArray("GET") << QByteArray("/OTHER") << u"404 Not found"_s;
    QTest::newRow("files of no package")
        << QByteArray("GET") << QByteArray("/999999/package_files") << u"404 Not found"_s;
    QTest::newRow("delete no package")
        << QByteArray("DELETE") << QByteArray("/999999") << u"404 Not found"_s;
}

void tst_PackagesApi::notFound()
{
    QFETCH(QByteArray, method);
    QFETCH(QByteArray, suffix);
    QFETCH(QString, message);
    publish(u"@acme/x"_s, u"1.0.0"_s, m_deep);
    suffix.replace("OTHER", QByteArray::number(idOf(u"@acme/x"_s, u"1.0.0"_s, m_deep)));
    const Response response = call(method, packagesPath() + suffix, m_tokens.value(u"maint"_s));
    QCOMPARE(response.status, 404);
    QCOMPARE(objectOf(response)[u"message"_s].toString(), message);
    QVERIFY(m_registry->packages().store().packageVersion(m_deep, u"@acme/x"_s, u"1.0.0"_s));
}

void tst_PackagesApi::deletePackage()
{
    publish(u"@acme/w"_s, u"1.0.0"_s);
    publish(u"@acme/w"_s, u"1.1.0"_s);
    QVERIFY(m_registry->packages().setDistTag(m_app, u"@acme/w"_s, u"beta"_s, u"1.1.0"_s));
    const Package doomed =
        *m_registry->packages().store().packageVersion(m_app, u"@acme/w"_s, u"1.1.0"_s);
    const QString blob = m_registry->blobs().pathOf(doomed.sha512);
    QVERIFY(QFile::exists(blob));
    // The document as npm saw it before: cached, and the delete must end that.
    const QByteArray packumentPath =
        "/api/v4/projects/" + QByteArray::number(m_app) + "/packages/npm/@acme%2fw";
    const Response before = call("GET", packumentPath, m_tokens.value(u"maint"_s));
    QVERIFY(objectOf(before)[u"versions"_s].toObject().contains(u"1.1.0"_s));

    const Response response = call(
        "DELETE", packagesPath() + '/' + QByteArray::number(doomed.id), m_tokens.value(u"maint"_s));
    QCOMPARE(response.status, 204);
    QVERIFY(response.body.isEmpty());

    // npm no longer sees the version; "latest" falls back to the version left; "beta" is gone.
    const Response packument = call("GET", packumentPath, m_tokens.value(u"maint"_s));
    QCOMPARE(packument.status, 200);
    const QJsonObject document = objectOf(packument);
    QVERIFY(!document[u"versions"_s].toObject().contains(u"1.1.0"_s));
    QVERIFY(document[u"versions"_s].toObject().contains(u"1.0.0"_s));
    QCOMPARE(document[u"dist-tags"_s].toObject(), (QJsonObject{{u"latest"_s, u"1.0.0"_s}}));
    // The tarball had no other row: it is gone.
    QVERIFY(!QFile::exists(blob));
    // The list follows, and a second delete finds nothing.
    QCOMPARE(idsOf(call("GET", packagesPath(), m_tokens.value(u"maint"_s))),
             QStringList{u"@acme/w@1.0.0"_s});
    QCOMPARE(call("DELETE",
                  packagesPath() + '/' + QByteArray::number(doomed.id),
                  m_tokens.value(u"maint"_s))
                 .status,
             404);
}

void tst_PackagesApi::deletePackageFile()
{
    publish(u"@acme/w"_s, u"1.0.0"_s);
    publish(u"@acme/w"_s, u"1.1.0"_s, m_deep); // the same tarball bytes? no: another version
    const qint64 id = idOf(u"@acme/w"_s, u"1.0.0"_s);
    const QByteArray files = packagesPath() + '/' + QByteArray::number(id) + "/package_files/";
    const QString token = m_tokens.value(u"maint"_s);

    const Response wrongFile = call("DELETE", files + QByteArray::number(id + 1000), token);
    QCOMPARE(wrongFile.status, 404);
    QVERIFY(m_registry->packages().store().packageById(id));

    QCOMPARE(call("DELETE", files + QByteArray::number(id), token).status, 204);
    QVERIFY(!m_registry->packages().store().packageById(id));
    // Other projects keep theirs.
    QVERIFY(m_registry->packages().store().packageVersion(m_deep, u"@acme/w"_s, u"1.1.0"_s));
}

void tst_PackagesApi::deleteRefused_data()
{
    QTest::addColumn<QString>("who");
    QTest::addColumn<bool>("publicProject");
    QTest::addColumn<int>("status");
    QTest::newRow("anonymous, private") << QString() << false << 404;
    QTest::newRow("anonymous, public") << QString() << true << 403;
    QTest::newRow("outsider, private") << u"outsider"_s << false << 404;
    QTest::newRow("outsider, public") << u"outsider"_s << true << 403;
    QTest::newRow("reporter") << u"rep"_s << false << 403;
    QTest::newRow("developer") << u"dev"_s << false << 403;
    QTest::newRow("maintainer's read_api token") << u"readapi"_s << false << 403;
    QTest::newRow("read-only deploy token") << u"deploy-read"_s << false << 403;
    QTest::newRow("job token of a developer") << u"job"_s << false << 403;
    QTest::newRow("job token of a maintainer") << u"job-maint"_s << false << 204;
    QTest::newRow("deploy token with write") << u"deploy"_s << false << 204;
    QTest::newRow("maintainer") << u"maint"_s << false << 204;
}

void tst_PackagesApi::deleteRefused()
{
    QFETCH(QString, who);
    QFETCH(bool, publicProject);
    QFETCH(int, status);
    const qint64 project = publicProject ? m_public : m_app;
    publish(u"thing"_s, u"1.0.0"_s, project);
    const qint64 id = idOf(u"thing"_s, u"1.0.0"_s, project);
    const Response response =
        call("DELETE", packagesPath(project) + '/' + QByteArray::number(id), m_tokens.value(who));
    QCOMPARE(response.status, status);
    QCOMPARE(bool(m_registry->packages().store().packageById(id)), status != 204);
    if (status != 204) {
        QVERIFY(!response.log.reason.isEmpty());
        const Response file = call("DELETE",
                                   packagesPath(project) + '/' + QByteArray::number(id)
                                       + "/package_files/" + QByteArray::number(id),
                                   m_tokens.value(who));
        QCOMPARE(file.status, status);
        QVERIFY(m_registry->packages().store().packageById(id));
    }
}

void tst_PackagesApi::refusedFromTheHead()
{
    publish(u"thing"_s, u"1.0.0"_s);
    const qint64 id = idOf(u"thing"_s, u"1.0.0"_s);
    RequestContext context;
    context.method = "DELETE";
    context.encodedPath = packagesPath() + '/' + QByteArray::number(id);
    context.headers = {qMakePair(QByteArray("PRIVATE-TOKEN"), m_tokens.value(u"dev"_s).toUtf8()),
                       qMakePair(QByteArray("Content-Length"), QByteArray("100000"))};
    Admission admission = m_handler->admit(context);
    QVERIFY(admission.refusal);
    QCOMPARE(admission.refusal->status, 403);
    QVERIFY(!admission.sink);

    context.headers[0].second = "glpat-unknown";
    admission = m_handler->admit(context);
    QVERIFY(admission.refusal);
    QCOMPARE(admission.refusal->status, 401);

    context.headers[0].second = m_tokens.value(u"maint"_s).toUtf8();
    admission = m_handler->admit(context);
    QVERIFY(!admission.refusal);
    QVERIFY(m_registry->packages().store().packageById(id)); // admitting deletes nothing
}

void tst_PackagesApi::groupList()
{
    publish(u"@acme/top"_s, u"1.0.0"_s);
    publish(u"@acme/deep"_s, u"1.0.0"_s, m_deep);
    publish(u"open-lib"_s, u"1.0.0"_s, m_public);
    const QString token = m_tokens.value(u"rep"_s);

    const Response all = call("GET", "/api/v4/groups/acme/packages?order_by=project_path", token);
    QCOMPARE(all.status, 200);
    QCOMPARE(idsOf(all), (QStringList{u"@acme/top@1.0.0"_s, u"@acme/deep@1.0.0"_s}));
    const QJsonObject first = arrayOf(all).at(0).toObject();
    QCOMPARE(first[u"project_id"_s].toInteger(), m_app);
    QCOMPARE(first[u"project_path"_s].toString(), u"acme/app"_s);
    QCOMPARE(arrayOf(all).at(1)[u"project_path"_s].toString(), u"acme/sub/deep"_s);
    QCOMPARE(all.header("X-Total"), "2");

    const Response desc =
        call("GET", "/api/v4/groups/acme/packages?order_by=project_path&sort=desc", token);
    QCOMPARE(idsOf(desc), (QStringList{u"@acme/deep@1.0.0"_s, u"@acme/top@1.0.0"_s}));

    const Response top = call("GET", "/api/v4/groups/acme/packages?exclude_subgroups=true", token);
    QCOMPARE(idsOf(top), QStringList{u"@acme/top@1.0.0"_s});
    const Response sub = call("GET", "/api/v4/groups/acme%2Fsub/packages", token);
    QCOMPARE(idsOf(sub), QStringList{u"@acme/deep@1.0.0"_s});
    QCOMPARE(call("GET", "/api/v4/groups/acme/packages?exclude_subgroups=perhaps", token).status,
             400);

    // A project-scoped deploy token reads only its project's packages.
    QCOMPARE(idsOf(call("GET", "/api/v4/groups/acme/packages", m_tokens.value(u"deploy"_s))),
             QStringList{u"@acme/top@1.0.0"_s});
    // Private groups are not found by those who may not see them; public ones list public
    // projects to anyone.
    QCOMPARE(call("GET", "/api/v4/groups/acme/packages").status, 404);
    QCOMPARE(objectOf(call("GET",
                           "/api/v4/groups/acme/packages",
                           m_tokens.value(u"outsider"_s)))[u"message"_s]
                 .toString(),
             u"404 Group Not Found"_s);
    QCOMPARE(idsOf(call("GET", "/api/v4/groups/open/packages")), QStringList{u"open-lib@1.0.0"_s});
    QCOMPARE(call("GET", "/api/v4/groups/nope/packages", token).status, 404);
    // A guest sees the group but may read none of its private projects' packages.
    const Response guest = call("GET", "/api/v4/groups/acme/packages", m_tokens.value(u"guest"_s));
    QCOMPARE(guest.status, 200);
    QCOMPARE(arrayOf(guest).size(), 0);
}

void tst_PackagesApi::invalidNpmName()
{
    // GitLab's file_path validation of the npm routes' package name.
    for (const QByteArray &path :
         {QByteArray("/api/v4/projects/1/packages/npm/%0d%0ahttp:/%2fexample.com"),
          QByteArray("/api/v4/packages/npm/%0d%0ahttp:/%2fexample.com"),
          QByteArray("/api/v4/groups/acme/-/packages/npm/%0aname"),
          QByteArray("/api/v4/projects/1/packages/npm/-/package/%0aname/dist-tags"),
          QByteArray("/api/v4/projects/1/packages/npm/@acme/%ffname/-/x.tgz")}) {
        const Response response = call("GET", path, m_tokens.value(u"maint"_s));
        QCOMPARE(response.status, 400);
        QCOMPARE(response.body,
                 QByteArray(R"({"error":"package_name should be a valid file path"})"));
    }
    // A bad tag or file name is no bad package name: those stay the catch-all's 404.
    QCOMPARE(call("GET", "/api/v4/projects/1/packages/npm/-/package/ok/dist-tags/a%0a").status,
             404);
    QCOMPARE(call("GET", "/api/v4/projects/1/packages/npm/ok/-/%0a.tgz").status, 404);
    // Other unknown paths stay GitLab's catch-all 404.
    QCOMPARE(call("GET", "/api/v4/projects/1/packages/pypi/simple").status, 404);
    QCOMPARE(call("PUT", packagesPath() + "/1").status, 404);
    // Methods the API has no route for, at every depth (none may read past the path's end).
    for (const QByteArray &method : {QByteArray("POST"), QByteArray("PATCH"), QByteArray("PUT")}) {
        for (const QByteArray &tail : {QByteArray(),
                                       QByteArray("/1"),
                                       QByteArray("/1/"),
                                       QByteArray("/1/package_files"),
                                       QByteArray("/1/package_files/1")}) {
            QCOMPARE(call(method, packagesPath() + tail).status, 404);
        }
    }
}

void tst_PackagesApi::registryOff()
{
    publish(u"@acme/top"_s, u"1.0.0"_s);
    publish(u"@acme/deep"_s, u"1.0.0"_s, m_deep);
    const qint64 id = idOf(u"@acme/top"_s, u"1.0.0"_s);
    QVERIFY(m_registry->namespaces().setPackagesEnabled(m_app, false));

    // Those who may read the project are told 403 and why (in the request log); others still
    // do not learn that it exists.
    const Response list = call("GET", packagesPath(), m_tokens.value(u"rep"_s));
    QCOMPARE(list.status, 403);
    QCOMPARE(list.log.reason, u"the package registry is disabled for project acme/app"_s);
    QCOMPARE(call("GET", packagesPath(), m_tokens.value(u"outsider"_s)).status, 404);
    QCOMPARE(call("GET", packagesPath() + '/' + QByteArray::number(id), m_tokens.value(u"maint"_s))
                 .status,
             403);
    QCOMPARE(
        call("DELETE", packagesPath() + '/' + QByteArray::number(id), m_tokens.value(u"maint"_s))
            .status,
        403);
    QVERIFY(m_registry->packages().store().packageById(id));
    // The group's list leaves the project out.
    QCOMPARE(idsOf(call("GET", "/api/v4/groups/acme/packages", m_tokens.value(u"maint"_s))),
             QStringList{u"@acme/deep@1.0.0"_s});

    QVERIFY(m_registry->namespaces().setPackagesEnabled(m_app, true));
    QCOMPARE(call("GET", packagesPath(), m_tokens.value(u"rep"_s)).status, 200);
}

void tst_PackagesApi::largeListsAreNotCounted()
{
    if (m_registry->database().dialect() == Database::Dialect::PostgreSQL) {
        QSKIP("its rows are written into the SQLite file directly; the limit on counting is the "
              "same code on PostgreSQL");
    }
    // Rows straight into the registry's SQLite file in one transaction, as another process
    // could write them: ten thousand publishes (or commits) would take minutes.
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"bulk"_s);
        db.setDatabaseName(m_dir->filePath(u"trove.sqlite"_s));
        QVERIFY(db.open());
        QVERIFY(db.transaction());
        QSqlQuery insert(db);
        QVERIFY(insert.prepare(
            u"INSERT INTO packages (project_id, name, version, status, package_json, sha1, sha512,"
            " size, publisher, created_at, updated_at)"
            " VALUES (?, '@acme/many', ?, 0, '{}', '00', '00', 1, 'maint', ?, ?)"_s));
        for (int i = 0; i < 10001; ++i) {
            insert.addBindValue(m_app);
            insert.addBindValue(u"1.0.%1"_s.arg(i));
            insert.addBindValue(1000000 + i);
            insert.addBindValue(1000000 + i);
            QVERIFY2(insert.exec(), qPrintable(insert.lastError().text()));
        }
        QVERIFY(db.commit());
        insert.finish();
        db.close();
    }
    QSqlDatabase::removeDatabase(u"bulk"_s);
    const QString token = m_tokens.value(u"rep"_s);
    // More than 10,000 matches: GitLab leaves out the totals and the last page's link.
    const Response many = call("GET", packagesPath() + "?per_page=100&page=2", token);
    QCOMPARE(many.status, 200);
    QCOMPARE(arrayOf(many).size(), 100);
    QCOMPARE(arrayOf(many).at(0)[u"version"_s].toString(), u"1.0.100"_s);
    QVERIFY(many.header("X-Total").isNull());
    QVERIFY(many.header("X-Total-Pages").isNull());
    QCOMPARE(many.header("X-Next-Page"), "3");
    QCOMPARE(many.header("X-Prev-Page"), "1");
    QVERIFY(many.header("Link").contains("rel=\"first\""));
    QVERIFY(!many.header("Link").contains("rel=\"last\""));
    // The last page still knows there is no next one.
    const Response last = call("GET", packagesPath() + "?per_page=100&page=101", token);
    QCOMPARE(arrayOf(last).size(), 1);
    QCOMPARE(last.header("X-Next-Page"), "");
    // 10,000 matches exactly are counted.
    QVERIFY(m_registry->packages().deprecate(m_app, u"@acme/many"_s, {{u"1.0.0"_s, u"old"_s}}));
    const Response exact = call("GET", packagesPath() + "?status=default", token);
    QCOMPARE(exact.header("X-Total"), "10000");
    QCOMPARE(exact.header("X-Total-Pages"), "500");
}

QTEST_GUILESS_MAIN(tst_PackagesApi)
#include "tst_packagesapi.moc"
