// SPDX-License-Identifier: GPL-3.0-or-later
// npm search through NpmHandler at instance, group and project level (who finds what), its
// response shape and parameters, and the per-project package registry switch on every npm route.
#include "npmfixture.h"

#include "model/registry.h"
#include "server/npmhandler.h"

#include <QJsonArray>
#include <QRegularExpression>

using namespace Qt::StringLiterals;
using namespace Trove;
using namespace Trove::Http;
using namespace NpmFixture;

class tst_NpmSearch : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void whoFindsWhat_data();
    void whoFindsWhat();
    void responseShape();
    void parameters_data();
    void parameters();
    void registrySwitch_data();
    void registrySwitch();
    void registrySwitchHidesPackagesAbove();

private:
    Response call(const QByteArray &method,
                  const QByteArray &path,
                  const QString &token = {},
                  const QByteArray &body = {});
    Response publish(const QString &name,
                     const QString &version,
                     qint64 projectId,
                     const QJsonObject &extra = {});
    QByteArray projectPath(qint64 projectId) const;
    static QStringList namesIn(const Response &response);

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<Registry> m_registry;
    std::unique_ptr<NpmHandler> m_handler;
    qint64 m_app = 0; // acme/app, private
    qint64 m_other = 0; // acme/other, private
    qint64 m_public = 0; // open/lib, public
    QHash<QString, QString> m_tokens;
};

void tst_NpmSearch::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    Result<std::unique_ptr<Registry>> registry = Registry::open(m_dir->path());
    QVERIFY2(registry, qPrintable(registry ? QString() : registry.error().message));
    m_registry = std::move(*registry);
    Registry &r = *m_registry;
    QVERIFY(r.namespaces().createGroup(u"acme"_s, Visibility::Private));
    QVERIFY(r.namespaces().createGroup(u"open"_s, Visibility::Public));
    m_app = r.namespaces().createProject(u"acme/app"_s, Visibility::Private)->id;
    m_other = r.namespaces().createProject(u"acme/other"_s, Visibility::Private)->id;
    m_public = r.namespaces().createProject(u"open/lib"_s, Visibility::Public)->id;
    for (const QString &name : {u"maint"_s, u"outsider"_s, u"appdev"_s}) {
        const Result<User> user = r.users().createUser(name);
        QVERIFY(user);
        m_tokens.insert(name,
                        r.tokens().createPersonalAccessToken(user->id, {}, {u"api"_s})->token);
    }
    QVERIFY(r.users().addGroupMember(u"maint"_s, u"acme"_s, AccessLevel::Maintainer));
    QVERIFY(r.users().addGroupMember(u"maint"_s, u"open"_s, AccessLevel::Maintainer));
    QVERIFY(r.users().addProjectMember(u"appdev"_s, u"acme/app"_s, AccessLevel::Developer));
    m_tokens.insert(
        u"deploy"_s,
        r.tokens().createDeployToken(0, m_other, {}, {u"read_package_registry"_s})->token);
    QVERIFY(r.settings().setInstanceForwarding(false));
    NpmHandler::Config config;
    config.baseUrl = u"http://trove.test"_s;
    m_handler = std::make_unique<NpmHandler>(r, config);

    QCOMPARE(publish(u"@acme/app-widget"_s,
                     u"1.0.0"_s,
                     m_app,
                     {{u"description"_s, u"Widgets for the app"_s},
                      {u"keywords"_s, QJsonArray{u"ui"_s, u"widget"_s}},
                      {u"homepage"_s, u"http://127.0.0.1/acme/app"_s},
                      {u"repository"_s,
                       QJsonObject{{u"type"_s, u"git"_s},
                                   {u"url"_s, u"git+http://127.0.0.1/acme/app.git"_s}}},
                      {u"bugs"_s, QJsonObject{{u"url"_s, u"http://127.0.0.1/acme/app/issues"_s}}}})
                 .status,
             200);
    QCOMPARE(publish(u"@acme/other-tool"_s, u"2.0.0"_s, m_other).status, 200);
    QCOMPARE(publish(u"open-lib"_s, u"0.1.0"_s, m_public).status, 200);
}

void tst_NpmSearch::cleanup()
{
    m_handler.reset();
    m_registry.reset();
    m_dir.reset();
    m_tokens.clear();
}

Response tst_NpmSearch::call(const QByteArray &method,
                             const QByteArray &path,
                             const QString &token,
                             const QByteArray &body)
{
    RequestContext context;
    context.method = method;
    const qsizetype question = path.indexOf('?');
    context.encodedPath = question < 0 ? path : path.left(question);
    context.query = question < 0 ? QByteArray() : path.mid(question + 1);
    context.body = body;
    context.headers.append(qMakePair(QByteArray("Host"), QByteArray("trove.test")));
    if (!token.isEmpty()) {
        context.headers.append(
            qMakePair(QByteArray("Authorization"), QByteArray("Bearer " + token.toUtf8())));
    }
    return m_handler->handle(context);
}

QByteArray tst_NpmSearch::projectPath(qint64 projectId) const
{
    return "/api/v4/projects/" + QByteArray::number(projectId) + "/packages/npm/";
}

Response tst_NpmSearch::publish(const QString &name,
                                const QString &version,
                                qint64 projectId,
                                const QJsonObject &extra)
{
    QJsonObject body = publishBody(name, version, makeTarball(name, version));
    QJsonObject versions = body.value(u"versions"_s).toObject();
    QJsonObject manifest = versions.value(version).toObject();
    for (auto it = extra.constBegin(); it != extra.constEnd(); ++it) {
        manifest.insert(it.key(), it.value());
    }
    versions.insert(version, manifest);
    body.insert(u"versions"_s, versions);
    return call("PUT",
                projectPath(projectId) + encodeName(name),
                m_tokens.value(u"maint"_s),
                QJsonDocument(body).toJson(QJsonDocument::Compact));
}

QStringList tst_NpmSearch::namesIn(const Response &response)
{
    QStringList names;
    const QJsonArray objects =
        QJsonDocument::fromJson(response.body).object().value(u"objects"_s).toArray();
    for (const QJsonValue &object : objects) {
        names.append(object.toObject().value(u"package"_s).toObject().value(u"name"_s).toString());
    }
    names.sort();
    return names;
}

void tst_NpmSearch::whoFindsWhat_data()
{
    QTest::addColumn<QString>("who");
    QTest::addColumn<QByteArray>("prefix"); // "project:<name>" is replaced by its path
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<int>("status");
    QTest::addColumn<QStringList>("expected");

    const QByteArray instance = "/api/v4/packages/npm/";
    const QByteArray acme = "/api/v4/groups/acme/-/packages/npm/";
    const QByteArray open = "/api/v4/groups/open/-/packages/npm/";
    const QStringList all = {u"@acme/app-widget"_s, u"@acme/other-tool"_s, u"open-lib"_s};
    QTest::addRow("instance, anonymous: public only")
        << QString() << instance << QByteArray() << 200 << QStringList{u"open-lib"_s};
    QTest::addRow("instance, maintainer: everything")
        << u"maint"_s << instance << QByteArray() << 200 << all;
    QTest::addRow("instance, outsider: public only")
        << u"outsider"_s << instance << QByteArray() << 200 << QStringList{u"open-lib"_s};
    QTest::addRow("instance, project member: that project and public ones")
        << u"appdev"_s << instance << QByteArray() << 200
        << QStringList{u"@acme/app-widget"_s, u"open-lib"_s};
    QTest::addRow("instance, deploy token: its project and public ones")
        << u"deploy"_s << instance << QByteArray() << 200
        << QStringList{u"@acme/other-tool"_s, u"open-lib"_s};
    QTest::addRow("instance, words narrow it") << u"maint"_s << instance << QByteArray("widget")
                                               << 200 << QStringList{u"@acme/app-widget"_s};
    QTest::addRow("instance, scope is a word")
        << u"maint"_s << instance << QByteArray("acme") << 200
        << QStringList{u"@acme/app-widget"_s, u"@acme/other-tool"_s};
    QTest::addRow("group, maintainer") << u"maint"_s << acme << QByteArray() << 200
                                       << QStringList{u"@acme/app-widget"_s, u"@acme/other-tool"_s};
    QTest::addRow("group, project member sees only the project")
        << u"appdev"_s << acme << QByteArray() << 200 << QStringList{u"@acme/app-widget"_s};
    QTest::addRow("private group, anonymous")
        << QString() << acme << QByteArray() << 401 << QStringList{};
    QTest::addRow("public group, anonymous")
        << QString() << open << QByteArray() << 200 << QStringList{u"open-lib"_s};
    QTest::addRow("unknown group")
        << u"maint"_s << QByteArray("/api/v4/groups/nope/-/packages/npm/") << QByteArray() << 404
        << QStringList{};
    QTest::addRow("project, member") << u"appdev"_s << QByteArray("project:app") << QByteArray()
                                     << 200 << QStringList{u"@acme/app-widget"_s};
    QTest::addRow("project, words of another project's package")
        << u"maint"_s << QByteArray("project:app") << QByteArray("tool") << 200 << QStringList{};
    QTest::addRow("private project, outsider")
        << u"outsider"_s << QByteArray("project:app") << QByteArray() << 404 << QStringList{};
    QTest::addRow("private project, anonymous")
        << QString() << QByteArray("project:app") << QByteArray() << 401 << QStringList{};
    QTest::addRow("public project, anonymous") << QString() << QByteArray("project:lib")
                                               << QByteArray() << 200 << QStringList{u"open-lib"_s};
}

void tst_NpmSearch::whoFindsWhat()
{
    QFETCH(QString, who);
    QFETCH(QByteArray, prefix);
    QFETCH(QByteArray, text);
    QFETCH(int, status);
    QFETCH(QStringList, expected);
    if (prefix == "project:app") {
        prefix = projectPath(m_app);
    } else if (prefix == "project:lib") {
        prefix = projectPath(m_public);
    }
    const Response response =
        call("GET", prefix + "-/v1/search?text=" + text + "&size=20", m_tokens.value(who));
    QCOMPARE(response.status, status);
    if (status == 200) {
        QCOMPARE(namesIn(response), expected);
        QCOMPARE(QJsonDocument::fromJson(response.body).object().value(u"total"_s).toInt(),
                 expected.size());
    }
}

void tst_NpmSearch::responseShape()
{
    const Response response = call("GET",
                                   "/api/v4/packages/npm/-/v1/search?text=widget&size=20&from=0"
                                   "&quality=0.65&popularity=0.98&maintenance=0.5",
                                   m_tokens.value(u"maint"_s));
    QCOMPARE(response.status, 200);
    QVERIFY(response.header("Content-Type").startsWith("application/json"));
    const QJsonObject body = QJsonDocument::fromJson(response.body).object();
    QCOMPARE(body.value(u"total"_s).toInt(), 1);
    // An HTTP date, as npm's registry sends.
    static const QRegularExpression httpDate(
        u"^[A-Z][a-z]{2}, \\d{2} [A-Z][a-z]{2} \\d{4} \\d{2}:\\d{2}:\\d{2} GMT$"_s);
    QVERIFY2(httpDate.match(body.value(u"time"_s).toString()).hasMatch(),
             qPrintable(body.value(u"time"_s).toString()));
    const QJsonObject object = body.value(u"objects"_s).toArray().at(0).toObject();
    const QJsonObject package = object.value(u"package"_s).toObject();
    QCOMPARE(package.value(u"name"_s).toString(), u"@acme/app-widget"_s);
    QCOMPARE(package.value(u"scope"_s).toString(), u"acme"_s);
    QCOMPARE(package.value(u"version"_s).toString(), u"1.0.0"_s);
    QCOMPARE(package.value(u"description"_s).toString(), u"Widgets for the app"_s);
    QCOMPARE(package.value(u"keywords"_s).toArray(), (QJsonArray{u"ui"_s, u"widget"_s}));
    const QDateTime date =
        QDateTime::fromString(package.value(u"date"_s).toString(), Qt::ISODateWithMs);
    QVERIFY(date.isValid());
    QVERIFY(qAbs(date.secsTo(QDateTime::currentDateTimeUtc())) < 600);
    QCOMPARE(package.value(u"links"_s).toObject(),
             (QJsonObject{{u"homepage"_s, u"http://127.0.0.1/acme/app"_s},
                          {u"repository"_s, u"http://127.0.0.1/acme/app.git"_s},
                          {u"bugs"_s, u"http://127.0.0.1/acme/app/issues"_s}}));
    QCOMPARE(package.value(u"publisher"_s).toObject().value(u"username"_s).toString(), u"maint"_s);
    QCOMPARE(package.value(u"maintainers"_s).toArray().size(), 1);
    const QJsonObject score = object.value(u"score"_s).toObject();
    QCOMPARE(score.value(u"final"_s).toDouble(), 1.0);
    for (const QString &detail : {u"quality"_s, u"popularity"_s, u"maintenance"_s}) {
        QVERIFY(score.value(u"detail"_s).toObject().value(detail).isDouble());
    }
    QVERIFY(object.value(u"searchScore"_s).toDouble() > 0);

    // A package without links has an empty links object.
    const Response plain =
        call("GET", "/api/v4/packages/npm/-/v1/search?text=open-lib", m_tokens.value(u"maint"_s));
    const QJsonObject other = QJsonDocument::fromJson(plain.body)
                                  .object()
                                  .value(u"objects"_s)
                                  .toArray()
                                  .at(0)
                                  .toObject()
                                  .value(u"package"_s)
                                  .toObject();
    QCOMPARE(other.value(u"scope"_s).toString(), u"unscoped"_s);
    QCOMPARE(other.value(u"links"_s).toObject(), QJsonObject());
}

void tst_NpmSearch::parameters_data()
{
    QTest::addColumn<QByteArray>("query");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("error");
    QTest::addColumn<int>("count");

    QTest::addRow("defaults") << QByteArray("text=") << 200 << QString() << 3;
    QTest::addRow("size 1") << QByteArray("size=1") << 200 << QString() << 1;
    QTest::addRow("size 250") << QByteArray("size=250") << 200 << QString() << 3;
    QTest::addRow("from 2") << QByteArray("from=2") << 200 << QString() << 1;
    QTest::addRow("from past the end") << QByteArray("from=10") << 200 << QString() << 0;
    QTest::addRow("size 0") << QByteArray("size=0") << 400 << u"size must be between 1 and 250"_s
                            << 0;
    QTest::addRow("size 251") << QByteArray("size=251") << 400
                              << u"size must be between 1 and 250"_s << 0;
    QTest::addRow("size not a number")
        << QByteArray("size=ten") << 400 << u"size must be a number"_s << 0;
    QTest::addRow("negative from")
        << QByteArray("from=-1") << 400 << u"from must not be negative"_s << 0;
    QTest::addRow("from not a number")
        << QByteArray("from=1.5") << 400 << u"from must be a number"_s << 0;
}

void tst_NpmSearch::parameters()
{
    QFETCH(QByteArray, query);
    QFETCH(int, status);
    QFETCH(QString, error);
    QFETCH(int, count);
    const Response response =
        call("GET", "/api/v4/packages/npm/-/v1/search?" + query, m_tokens.value(u"maint"_s));
    QCOMPARE(response.status, status);
    const QJsonObject body = QJsonDocument::fromJson(response.body).object();
    if (status == 200) {
        QCOMPARE(body.value(u"objects"_s).toArray().size(), count);
        QCOMPARE(body.value(u"total"_s).toInt(), 3);
    } else {
        QCOMPARE(body.value(u"error"_s).toString(), error);
    }
}

void tst_NpmSearch::registrySwitch_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QByteArray>("path"); // after the project's prefix
    QTest::addColumn<QByteArray>("body");

    QTest::addRow("packument") << QByteArray("GET") << QByteArray("@acme%2fapp-widget")
                               << QByteArray();
    QTest::addRow("tarball") << QByteArray("GET")
                             << QByteArray("@acme%2fapp-widget/-/@acme/app-widget-1.0.0.tgz")
                             << QByteArray();
    QTest::addRow("dist-tags") << QByteArray("GET")
                               << QByteArray("-/package/@acme%2fapp-widget/dist-tags")
                               << QByteArray();
    QTest::addRow("set a dist-tag")
        << QByteArray("PUT") << QByteArray("-/package/@acme%2fapp-widget/dist-tags/beta")
        << QByteArray("\"1.0.0\"");
    QTest::addRow("search") << QByteArray("GET") << QByteArray("-/v1/search?text=widget")
                            << QByteArray();
    QTest::addRow("unpublish") << QByteArray("DELETE") << QByteArray("@acme%2fapp-widget/-rev/1")
                               << QByteArray();
    QTest::addRow("publish") << QByteArray("PUT") << QByteArray("@acme%2fnew") << QByteArray("{}");
}

void tst_NpmSearch::registrySwitch()
{
    QFETCH(QByteArray, method);
    QFETCH(QByteArray, path);
    QFETCH(QByteArray, body);
    QVERIFY(m_registry->namespaces().setPackagesEnabled(m_app, false));
    const QByteArray url = projectPath(m_app) + path;

    const Response refused = call(method, url, m_tokens.value(u"maint"_s), body);
    QCOMPARE(refused.status, 403);
    QCOMPARE(QJsonDocument::fromJson(refused.body).object().value(u"error"_s).toString(),
             u"403 Forbidden - the package registry is disabled for project acme/app"_s);
    QCOMPARE(refused.log.reason, u"the package registry is disabled for project acme/app"_s);
    // Refused from the head alone too, before a body is read.
    RequestContext head;
    head.method = method;
    head.encodedPath = url.left(url.indexOf('?') < 0 ? url.size() : url.indexOf('?'));
    head.headers = {qMakePair(QByteArray("Authorization"),
                              QByteArray("Bearer " + m_tokens.value(u"maint"_s).toUtf8()))};
    const Admission admission = m_handler->admit(head);
    QVERIFY(admission.refusal.has_value());
    QCOMPARE(admission.refusal->status, 403);

    // Someone who may not read the project learns nothing new.
    const Response outsider = call(method, url, m_tokens.value(u"outsider"_s), body);
    QVERIFY(outsider.status != 200);
    QVERIFY(!outsider.log.reason.contains(u"disabled"_s));

    // Nothing changed while it was off, and switching it on serves the package again.
    QVERIFY(m_registry->namespaces().setPackagesEnabled(m_app, true));
    const Response packument =
        call("GET", projectPath(m_app) + "@acme%2fapp-widget", m_tokens.value(u"maint"_s));
    QCOMPARE(packument.status, 200);
    QCOMPARE(
        QJsonDocument::fromJson(packument.body).object().value(u"dist-tags"_s).toObject().keys(),
        QStringList{u"latest"_s});
}

void tst_NpmSearch::registrySwitchHidesPackagesAbove()
{
    const QString maint = m_tokens.value(u"maint"_s);
    QCOMPARE(call("GET", "/api/v4/packages/npm/@acme%2fapp-widget", maint).status, 200);
    QCOMPARE(call("GET", "/api/v4/groups/acme/-/packages/npm/@acme%2fapp-widget", maint).status,
             200);
    QVERIFY(m_registry->namespaces().setPackagesEnabled(m_app, false));
    QCOMPARE(call("GET", "/api/v4/packages/npm/@acme%2fapp-widget", maint).status, 404);
    QCOMPARE(call("GET", "/api/v4/groups/acme/-/packages/npm/@acme%2fapp-widget", maint).status,
             404);
    QCOMPARE(call("GET",
                  "/api/v4/groups/acme/-/packages/npm/-/package/@acme%2fapp-widget/dist-tags",
                  maint)
                 .status,
             404);
    QCOMPARE(namesIn(call("GET", "/api/v4/packages/npm/-/v1/search?text=", maint)),
             (QStringList{u"@acme/other-tool"_s, u"open-lib"_s}));
    QCOMPARE(namesIn(call("GET", "/api/v4/groups/acme/-/packages/npm/-/v1/search", maint)),
             QStringList{u"@acme/other-tool"_s});
    // The other projects go on as before.
    QCOMPARE(call("GET", "/api/v4/packages/npm/@acme%2fother-tool", maint).status, 200);
}

QTEST_GUILESS_MAIN(tst_NpmSearch)
#include "tst_npmsearch.moc"
