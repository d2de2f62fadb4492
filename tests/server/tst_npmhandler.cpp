// SPDX-License-Identifier: GPL-3.0-or-later
#include "npmfixture.h"

#include "model/registry.h"
#include "server/npmhandler.h"

#include <QDirIterator>

#include <QJsonArray>
#include <zlib.h>

using namespace Qt::StringLiterals;
using namespace Trove;
using namespace Trove::Http;
using namespace NpmFixture;

namespace {

QJsonObject jsonOf(const Response &response)
{
    return QJsonDocument::fromJson(response.body).object();
}

QByteArray headerOf(const Response &response, const QByteArray &name)
{
    for (const auto &header : response.headers) {
        if (header.first.compare(name, Qt::CaseInsensitive) == 0) {
            return header.second;
        }
    }
    return {};
}

} // namespace

class tst_NpmHandler : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void publishThenPackument();
    void abbreviatedAndConditional();
    void gzipAndCache();
    void writesByAnotherProcessAreSeen();
    void cachedAnswersFollowCredentials();
    void cachedAnswersFollowOtherProcesses();
    void publishRejected_data();
    void publishRejected();
    void concurrentPublishOneWins();
    void metadataMatrix_data();
    void metadataMatrix();
    void instanceAndGroupLevels();
    void tarballDownload();
    void distTags();
    void deprecate();
    void unpublish();
    void whoamiPingAudit();
    void unknownRoutes();
    void credentials_data();
    void credentials();
    void hostileBodies_data();
    void hostileBodies();

private:
    Response call(const QByteArray &method,
                  const QByteArray &path,
                  const QString &token = {},
                  const QByteArray &body = {},
                  const QList<QPair<QByteArray, QByteArray>> &headers = {});
    Response publish(const QString &name,
                     const QString &version,
                     const QString &token,
                     const QString &tag = u"latest"_s,
                     qint64 projectId = 0);
    QByteArray projectPath(qint64 projectId = 0) const;
    // Everything a client could observe or the store holds, to prove a refusal changed nothing.
    QByteArray snapshot();

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<Registry> m_registry;
    std::unique_ptr<NpmHandler> m_handler;
    qint64 m_app = 0; // acme/app, private
    qint64 m_other = 0; // acme/other, private
    qint64 m_public = 0; // open/lib, public
    QHash<QString, QString> m_tokens;
};

void tst_NpmHandler::init()
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
    m_tokens.insert(u"readapi"_s,
                    r.tokens().createPersonalAccessToken(dev, {}, {u"read_api"_s})->token);
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
    const QString finished = r.tokens().createJobToken(m_app, dev)->token;
    QVERIFY(r.tokens().finishJob(finished));
    m_tokens.insert(u"finished-job"_s, finished);
    QVERIFY(r.settings().setInstanceForwarding(false));
    QVERIFY(r.settings().setUpstream(u"http://127.0.0.1:9/upstream/"_s));
    NpmHandler::Config config;
    config.baseUrl = u"http://trove.test"_s;
    m_handler = std::make_unique<NpmHandler>(r, config);
}

void tst_NpmHandler::cleanup()
{
    m_handler.reset();
    m_registry.reset();
    m_dir.reset();
    m_tokens.clear();
}

Response tst_NpmHandler::call(const QByteArray &method,
                              const QByteArray &path,
                              const QString &token,
                              const QByteArray &body,
                              const QList<QPair<QByteArray, QByteArray>> &headers)
{
    RequestContext context;
    context.method = method;
    const qsizetype question = path.indexOf('?');
    context.encodedPath = question < 0 ? path : path.left(question);
    context.query = question < 0 ? QByteArray() : path.mid(question + 1);
    context.body = body;
    context.headers = headers;
    context.headers.append(qMakePair(QByteArray("Host"), QByteArray("trove.test")));
    if (!token.isEmpty()) {
        context.headers.append(
            qMakePair(QByteArray("Authorization"), QByteArray("Bearer " + token.toUtf8())));
    }
    return m_handler->handle(context);
}

QByteArray tst_NpmHandler::projectPath(qint64 projectId) const
{
    return "/api/v4/projects/" + QByteArray::number(projectId ? projectId : m_app)
        + "/packages/npm/";
}

Response tst_NpmHandler::publish(const QString &name,
                                 const QString &version,
                                 const QString &token,
                                 const QString &tag,
                                 qint64 projectId)
{
    const QJsonObject body = publishBody(name, version, makeTarball(name, version), tag);
    return call("PUT",
                projectPath(projectId) + encodeName(name),
                token,
                QJsonDocument(body).toJson(QJsonDocument::Compact));
}

QByteArray tst_NpmHandler::snapshot()
{
    QByteArray state;
    for (const char *name : {"@acme/w", "@acme/other", "open-lib"}) {
        for (const qint64 project : {m_app, m_other, m_public}) {
            state += call("GET",
                          projectPath(project) + encodeName(QString::fromLatin1(name)),
                          m_tokens.value(u"maint"_s))
                         .body;
        }
    }
    QDirIterator it(m_dir->path() + u"/blobs"_s, QDir::Files, QDirIterator::Subdirectories);
    QStringList files;
    while (it.hasNext()) {
        files.append(it.next());
    }
    files.sort();
    state += files.join(u'\n').toUtf8();
    state += QByteArray::number(*m_registry->packages().store().packageCount());
    return state;
}

void tst_NpmHandler::publishThenPackument()
{
    const Response published = publish(u"@acme/w"_s, u"1.0.0"_s, m_tokens.value(u"dev"_s));
    QCOMPARE(published.status, 200);
    QVERIFY(jsonOf(published).value(u"ok"_s).toBool());

    const Response response = call("GET", projectPath() + "@acme%2fw", m_tokens.value(u"rep"_s));
    QCOMPARE(response.status, 200);
    const QJsonObject document = jsonOf(response);
    QCOMPARE(document.value(u"name"_s).toString(), u"@acme/w"_s);
    QCOMPARE(document.value(u"dist-tags"_s).toObject().value(u"latest"_s).toString(), u"1.0.0"_s);
    const QJsonObject version =
        document.value(u"versions"_s).toObject().value(u"1.0.0"_s).toObject();
    QCOMPARE(version.value(u"dependencies"_s).toObject().value(u"left-pad"_s).toString(),
             u"^1.3.0"_s);
    const QJsonObject dist = version.value(u"dist"_s).toObject();
    QCOMPARE(dist.value(u"tarball"_s).toString(),
             u"http://trove.test/api/v4/projects/%1/packages/npm/@acme/w/-/@acme/w-1.0.0.tgz"_s.arg(
                 m_app));
    QCOMPARE(dist.value(u"shasum"_s).toString().size(), 40);
    QVERIFY(dist.value(u"integrity"_s).toString().startsWith(u"sha512-"_s));
    QVERIFY(document.value(u"time"_s).toObject().contains(u"1.0.0"_s));
    QVERIFY(document.value(u"time"_s).toObject().contains(u"created"_s));
    QVERIFY(document.contains(u"modified"_s));

    // The raw-slash and %2F spellings name the same package.
    QCOMPARE(call("GET", projectPath() + "@acme/w", m_tokens.value(u"rep"_s)).body, response.body);
    QCOMPARE(call("GET", projectPath() + "@acme%2Fw", m_tokens.value(u"rep"_s)).body,
             response.body);
}

void tst_NpmHandler::abbreviatedAndConditional()
{
    QCOMPARE(publish(u"@acme/w"_s, u"1.0.0"_s, m_tokens.value(u"dev"_s)).status, 200);
    const QList<QPair<QByteArray, QByteArray>> corgi = {
        {"Accept", "application/vnd.npm.install-v1+json; q=1.0, application/json; q=0.8, */*"}};
    const Response response =
        call("GET", projectPath() + "@acme%2fw", m_tokens.value(u"rep"_s), {}, corgi);
    QCOMPARE(response.status, 200);
    QCOMPARE(headerOf(response, "Content-Type"), QByteArray("application/vnd.npm.install-v1+json"));
    const QJsonObject version =
        jsonOf(response).value(u"versions"_s).toObject().value(u"1.0.0"_s).toObject();
    QVERIFY(!version.contains(u"description"_s));
    QVERIFY(version.contains(u"dependencies"_s));
    QVERIFY(jsonOf(response).contains(u"modified"_s));

    const QByteArray etag = headerOf(response, "ETag");
    QVERIFY(!etag.isEmpty());
    QList<QPair<QByteArray, QByteArray>> conditional = corgi;
    conditional.append({"If-None-Match", etag});
    QCOMPARE(
        call("GET", projectPath() + "@acme%2fw", m_tokens.value(u"rep"_s), {}, conditional).status,
        304);
    // A write changes the document and so its tag.
    QCOMPARE(publish(u"@acme/w"_s, u"1.0.1"_s, m_tokens.value(u"dev"_s)).status, 200);
    QCOMPARE(
        call("GET", projectPath() + "@acme%2fw", m_tokens.value(u"rep"_s), {}, conditional).status,
        200);
}

void tst_NpmHandler::gzipAndCache()
{
    QCOMPARE(publish(u"@acme/w"_s, u"1.0.0"_s, m_tokens.value(u"dev"_s)).status, 200);
    const Response plain = call("GET", projectPath() + "@acme%2fw", m_tokens.value(u"rep"_s));
    const Response zipped =
        call("GET",
             projectPath() + "@acme%2fw",
             m_tokens.value(u"rep"_s),
             {},
             {qMakePair(QByteArray("Accept-Encoding"), QByteArray("gzip, deflate"))});
    QCOMPARE(zipped.status, 200);
    QCOMPARE(headerOf(zipped, "Content-Encoding"), QByteArray("gzip"));
    QCOMPARE(headerOf(zipped, "ETag"), headerOf(plain, "ETag"));
    // gunzip with zlib: the same bytes as the plain document.
    z_stream stream = {};
    QVERIFY(inflateInit2(&stream, 16 + 15) == Z_OK);
    QByteArray out(1024 * 1024, Qt::Uninitialized);
    stream.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(zipped.body.constData()));
    stream.avail_in = uInt(zipped.body.size());
    stream.next_out = reinterpret_cast<Bytef *>(out.data());
    stream.avail_out = uInt(out.size());
    QCOMPARE(inflate(&stream, Z_FINISH), Z_STREAM_END);
    out.resize(qsizetype(stream.total_out));
    inflateEnd(&stream);
    QCOMPARE(out, plain.body);
    // A second read is served from the cache: the same bytes.
    QCOMPARE(call("GET", projectPath() + "@acme%2fw", m_tokens.value(u"rep"_s)).body, plain.body);
}

void tst_NpmHandler::writesByAnotherProcessAreSeen()
{
    QCOMPARE(publish(u"@acme/w"_s, u"1.0.0"_s, m_tokens.value(u"dev"_s)).status, 200);
    QCOMPARE(publish(u"@acme/w"_s, u"1.1.0"_s, m_tokens.value(u"dev"_s)).status, 200);
    const QByteArray before =
        call("GET", projectPath() + "@acme%2fw", m_tokens.value(u"rep"_s)).body;
    // What `trove` on the command line does: another connection (here another Registry on the
    // same folder, whose events this handler never hears) commits a change.
    {
        Result<std::unique_ptr<Registry>> other = Registry::open(m_dir->path());
        QVERIFY(other);
        QVERIFY((*other)->packages().setDistTag(m_app, u"@acme/w"_s, u"latest"_s, u"1.0.0"_s));
    }
    const QByteArray after =
        call("GET", projectPath() + "@acme%2fw", m_tokens.value(u"rep"_s)).body;
    QVERIFY(before != after);
    QCOMPARE(QJsonDocument::fromJson(after)
                 .object()
                 .value(u"dist-tags"_s)
                 .toObject()
                 .value(u"latest"_s)
                 .toString(),
             u"1.0.0"_s);
}

// Reads are answered from memory (NpmHandler::handle): an answer given to one credential is
// never given to another, and every form of a request keeps its own answer.
void tst_NpmHandler::cachedAnswersFollowCredentials()
{
    QCOMPARE(publish(u"@acme/w"_s, u"1.0.0"_s, m_tokens.value(u"dev"_s)).status, 200);
    const QByteArray path = projectPath() + "@acme%2fw";
    const QByteArray tarballPath = path + "/-/@acme/w-1.0.0.tgz";
    for (int round = 0; round < 2; ++round) {
        QCOMPARE(call("GET", path, m_tokens.value(u"rep"_s)).status, 200);
        QCOMPARE(call("GET", path, m_tokens.value(u"outsider"_s)).status, 404);
        QCOMPARE(call("GET", path).status, 401);
        QCOMPARE(call("GET", path, u"garbage"_s).status, 401);
        QCOMPARE(call("GET", path, {}, {}, {{"Private-Token", m_tokens.value(u"rep"_s).toUtf8()}})
                     .status,
                 200);
        QCOMPARE(call("GET", path, {}, {}, {{"Authorization", "Bearer"}}).status, 401);
        QCOMPARE(call("GET", tarballPath, m_tokens.value(u"rep"_s)).status, 200);
        QCOMPARE(call("GET", tarballPath, m_tokens.value(u"outsider"_s)).status, 404);
        QCOMPARE(call("GET", tarballPath).status, 404);
        const Response full = call("GET", path, m_tokens.value(u"rep"_s));
        const Response abbreviated = call("GET",
                                          path,
                                          m_tokens.value(u"rep"_s),
                                          {},
                                          {{"Accept", "application/vnd.npm.install-v1+json"}});
        QVERIFY(full.body.size() > abbreviated.body.size());
        QCOMPARE(abbreviated.header("Content-Type"), "application/vnd.npm.install-v1+json");
        const Response zipped =
            call("GET", path, m_tokens.value(u"rep"_s), {}, {{"Accept-Encoding", "gzip"}});
        QCOMPARE(zipped.header("Content-Encoding"), "gzip");
        QVERIFY(full.header("Content-Encoding").isEmpty());
        // A conditional request for the cached document.
        QCOMPARE(
            call(
                "GET", path, m_tokens.value(u"rep"_s), {}, {{"If-None-Match", full.header("ETag")}})
                .status,
            304);
    }
}

// Writes by another process (the command line) end every cached answer at once: a revoked
// token is refused, a new package is found, an unpublished tarball is gone.
void tst_NpmHandler::cachedAnswersFollowOtherProcesses()
{
    QCOMPARE(publish(u"@acme/w"_s, u"1.0.0"_s, m_tokens.value(u"dev"_s)).status, 200);
    const QByteArray path = projectPath() + "@acme%2fw";
    const QByteArray tarballPath = path + "/-/@acme/w-1.0.0.tgz";
    const QString token = m_tokens.value(u"rep"_s);
    QCOMPARE(call("GET", path, token).status, 200);
    QCOMPARE(call("GET", path, token).status, 200);
    QCOMPARE(call("GET", projectPath() + "@acme%2fnew", token).status, 404);
    QCOMPARE(call("GET", tarballPath, token).status, 200);

    Result<std::unique_ptr<Registry>> other = Registry::open(m_dir->path());
    QVERIFY(other);
    PackageService::PublishRequest request;
    request.projectId = m_app;
    request.name = u"@acme/new"_s;
    request.version = u"1.0.0"_s;
    request.packageJson = R"({"name":"@acme/new","version":"1.0.0"})";
    request.tarball = makeTarball(request.name, request.version);
    request.publisher = *(*other)->tokens().authenticate(m_tokens.value(u"dev"_s));
    const Result<Package> published = (*other)->packages().publish(request);
    QVERIFY2(published, qPrintable(published ? QString() : published.error().message));
    QCOMPARE(call("GET", projectPath() + "@acme%2fnew", token).status, 200);

    QVERIFY((*other)->packages().unpublishVersion(m_app, u"@acme/w"_s, u"1.0.0"_s));
    QCOMPARE(call("GET", tarballPath, token).status, 404);

    const Result<Actor> actor = (*other)->tokens().authenticate(token);
    QVERIFY(actor);
    QVERIFY((*other)->tokens().revoke(TokenKind::Personal, actor->tokenId));
    QCOMPARE(call("GET", projectPath() + "@acme%2fnew", token).status, 401);
}

void tst_NpmHandler::publishRejected_data()
{
    QTest::addColumn<QString>("token");
    QTest::addColumn<QString>("mutation");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("message");

    QTest::addRow("anonymous") << QString() << QString() << 401 << u"401 Unauthorized"_s;
    QTest::addRow("unknown token") << u"garbage"_s << QString() << 401 << u"401 Unauthorized"_s;
    QTest::addRow("finished job") << u"finished-job"_s << QString() << 401 << u"401 Unauthorized"_s;
    QTest::addRow("reporter") << u"rep"_s << QString() << 403 << u"403 Forbidden"_s;
    QTest::addRow("read_api token") << u"readapi"_s << QString() << 403 << u"403 Forbidden"_s;
    QTest::addRow("read-only deploy token")
        << u"deploy-read"_s << QString() << 403 << u"403 Forbidden"_s;
    QTest::addRow("outsider on a private project")
        << u"outsider"_s << QString() << 404 << u"Project not found"_s;
    QTest::addRow("duplicate in the project")
        << u"dev"_s << u"duplicate"_s << 403 << u"Package already exists."_s;
    QTest::addRow("no versions") << u"dev"_s << u"no-versions"_s << 400 << u"Version is empty."_s;
    QTest::addRow("versions of the wrong type")
        << u"dev"_s << u"versions-array"_s << 400 << u"Version is empty."_s;
    QTest::addRow("no attachment")
        << u"dev"_s << u"no-attachment"_s << 400 << u"Attachment data is empty."_s;
    QTest::addRow("empty attachment")
        << u"dev"_s << u"empty-attachment"_s << 400 << u"Attachment data is empty."_s;
    QTest::addRow("bad base64")
        << u"dev"_s << u"bad-base64"_s << 400
        << u"Attachment data is not valid base64: _attachments.@acme/w-1.5.0.tgz.data is not base64 (standard alphabet, no whitespace)"_s;
    QTest::addRow("invalid semver")
        << u"dev"_s << u"semver"_s << 400
        << u"Validation failed: Version should follow SemVer: https://semver.org"_s;
    QTest::addRow("package.json too large")
        << u"dev"_s << u"huge"_s << 400
        << u"Validation failed: Package json structure is too large. Maximum size is 20000 characters"_s;
    QTest::addRow("shasum mismatch")
        << u"dev"_s << u"shasum"_s << 400 << u"The tarball's SHA-1 does not match dist.shasum"_s;
    QTest::addRow("integrity mismatch") << u"dev"_s << u"integrity"_s << 400
                                        << u"The tarball's SHA-512 does not match dist.integrity"_s;
    QTest::addRow("not a tarball") << u"dev"_s << u"not-gzip"_s << 400 << QString();
    QTest::addRow("manifest of another version")
        << u"dev"_s << u"incoherent"_s << 400
        << u"Package manifest is not coherent: the tarball's package.json is not @acme/w@1.5.0"_s;
    QTest::addRow("malformed json")
        << u"dev"_s << u"malformed"_s << 400
        << u"Invalid json: the body ends before the top-level object closes"_s;
    QTest::addRow("body names another package") << u"dev"_s << u"other-name"_s << 400 << QString();
    QTest::addRow("missing dist")
        << u"dev"_s << u"no-dist"_s << 400
        << u"Validation failed: Package json must be a valid json schema"_s;
    QTest::addRow("naming convention duplicate")
        << u"dev"_s << u"convention"_s << 400 << u"Validation failed: Package already exists"_s;
    QTest::addRow("protected name") << u"dev"_s << u"protected"_s << 403 << u"Package protected."_s;
    QTest::addRow("protected name, deploy token")
        << u"deploy"_s << u"protected"_s << 403 << u"Package protected."_s;
}

void tst_NpmHandler::publishRejected()
{
    QFETCH(QString, token);
    QFETCH(QString, mutation);
    QFETCH(int, status);
    QFETCH(QString, message);

    QCOMPARE(publish(u"@acme/w"_s, u"1.0.0"_s, m_tokens.value(u"dev"_s)).status, 200);
    QCOMPARE(publish(u"@acme/other"_s, u"2.0.0"_s, m_tokens.value(u"dev"_s), u"latest"_s, m_other)
                 .status,
             200);
    if (mutation == u"protected"_s) {
        QVERIFY(m_registry->settings().addProtectionRule(
            m_app, u"@acme/w*"_s, AccessLevel::Maintainer));
    }
    const QByteArray before = snapshot();

    QString name = u"@acme/w"_s;
    QString version = mutation == u"duplicate"_s ? u"1.0.0"_s : u"1.5.0"_s;
    if (mutation == u"convention"_s) {
        name = u"@acme/other"_s;
        version = u"2.0.0"_s;
    }
    QByteArray tarball = makeTarball(name, version);
    QJsonObject body = publishBody(name, version, tarball);
    auto editVersion = [&](const std::function<void(QJsonObject &)> &edit) {
        QJsonObject versions = body.value(u"versions"_s).toObject();
        QJsonObject v = versions.value(version).toObject();
        edit(v);
        versions.insert(version, v);
        body.insert(u"versions"_s, versions);
    };
    const QString attachment = name + u'-' + version + u".tgz"_s;
    QByteArray raw;
    if (mutation == u"no-versions"_s) {
        body.insert(u"versions"_s, QJsonObject());
    } else if (mutation == u"versions-array"_s) {
        body.insert(u"versions"_s, QJsonArray{1, 2});
    } else if (mutation == u"no-attachment"_s) {
        body.remove(u"_attachments"_s);
    } else if (mutation == u"empty-attachment"_s) {
        body.insert(u"_attachments"_s, QJsonObject{{attachment, QJsonObject{{u"data"_s, u""_s}}}});
    } else if (mutation == u"bad-base64"_s) {
        body.insert(u"_attachments"_s,
                    QJsonObject{{attachment, QJsonObject{{u"data"_s, u"!!!not base64!!!"_s}}}});
    } else if (mutation == u"semver"_s) {
        body = publishBody(name, u"1.2"_s, makeTarball(name, u"1.2"_s));
        version = u"1.2"_s;
    } else if (mutation == u"huge"_s) {
        editVersion([](QJsonObject &v) { v.insert(u"description"_s, QString(21000, u'x')); });
    } else if (mutation == u"shasum"_s) {
        editVersion([](QJsonObject &v) {
            QJsonObject dist = v.value(u"dist"_s).toObject();
            dist.insert(u"shasum"_s, QString(40, u'0'));
            v.insert(u"dist"_s, dist);
        });
    } else if (mutation == u"integrity"_s) {
        editVersion([](QJsonObject &v) {
            QJsonObject dist = v.value(u"dist"_s).toObject();
            dist.insert(
                u"integrity"_s,
                QString(u"sha512-"_s + QString::fromLatin1(QByteArray(64, 'x').toBase64())));
            v.insert(u"dist"_s, dist);
        });
    } else if (mutation == u"not-gzip"_s) {
        body = publishBody(name, version, QByteArray("this is not a tarball at all"));
    } else if (mutation == u"incoherent"_s) {
        body = publishBody(name, version, makeTarball(name, u"9.9.9"_s));
    } else if (mutation == u"malformed"_s) {
        raw = "{\"name\": \"@acme/w\", \"versions\": {";
    } else if (mutation == u"other-name"_s) {
        body.insert(u"name"_s, u"@acme/somebody-else"_s);
    } else if (mutation == u"no-dist"_s) {
        editVersion([](QJsonObject &v) { v.remove(u"dist"_s); });
    }
    if (raw.isEmpty()) {
        raw = QJsonDocument(body).toJson(QJsonDocument::Compact);
    }
    const Response response = call("PUT",
                                   projectPath() + encodeName(u"@acme/w"_s == name ? name : name),
                                   token.isEmpty() ? QString() : m_tokens.value(token, token),
                                   raw);
    QCOMPARE(response.status, status);
    const QJsonObject error = jsonOf(response);
    QVERIFY2(error.contains(u"error"_s), response.body.constData());
    if (!message.isEmpty()) {
        QCOMPARE(error.value(u"error"_s).toString(), message);
    }
    QCOMPARE(snapshot(), before);
}

void tst_NpmHandler::concurrentPublishOneWins()
{
    const QByteArray body =
        QJsonDocument(
            publishBody(u"@acme/race"_s, u"1.0.0"_s, makeTarball(u"@acme/race"_s, u"1.0.0"_s)))
            .toJson(QJsonDocument::Compact);
    QList<int> statuses(6);
    QList<QThread *> threads;
    for (int i = 0; i < statuses.size(); ++i) {
        threads.append(QThread::create([&, i] {
            RequestContext context;
            context.method = "PUT";
            context.encodedPath = projectPath() + "@acme%2frace";
            context.body = body;
            context.headers = {
                qMakePair(QByteArray("Authorization"),
                          QByteArray("Bearer " + m_tokens.value(u"dev"_s).toUtf8()))};
            statuses[i] = m_handler->handle(context).status;
        }));
        threads.last()->start();
    }
    for (QThread *thread : threads) {
        QVERIFY(thread->wait(60000));
        delete thread;
    }
    QCOMPARE(statuses.count(200), 1);
    QCOMPARE(statuses.count(403), statuses.size() - 1);
}

void tst_NpmHandler::metadataMatrix_data()
{
    QTest::addColumn<QString>("caller");
    QTest::addColumn<bool>("publicProject");
    QTest::addColumn<bool>("existing");
    QTest::addColumn<bool>("forwarding");
    QTest::addColumn<int>("status");

    // docs/npm-api.md §8.2 (project level), with our private group "acme" and public "open".
    struct Row
    {
        const char *caller;
        int publicExisting, publicMissingFwd, publicMissing, privateExisting, privateMissingFwd,
            privateMissing;
    };
    const QList<Row> rows = {
        {"anonymous", 200, 302, 404, 401, 302, 401},
        {"guest", 200, 302, 404, 403, 302, 403},
        {"rep", 200, 302, 404, 200, 302, 404},
        {"job", 200, 302, 404, 200, 302, 404},
        {"deploy", 200, 302, 404, 200, 302, 404},
        // A finished job token is refused before anything else, even before forwarding.
        {"finished-job", 401, 401, 401, 401, 401, 401},
    };
    for (const Row &row : rows) {
        const QString caller = QString::fromLatin1(row.caller);
        QTest::addRow("%s, public, existing", row.caller)
            << caller << true << true << false << row.publicExisting;
        QTest::addRow("%s, public, missing, fwd", row.caller)
            << caller << true << false << true << row.publicMissingFwd;
        QTest::addRow("%s, public, missing", row.caller)
            << caller << true << false << false << row.publicMissing;
        QTest::addRow("%s, private, existing", row.caller)
            << caller << false << true << false << row.privateExisting;
        QTest::addRow("%s, private, missing, fwd", row.caller)
            << caller << false << false << true << row.privateMissingFwd;
        QTest::addRow("%s, private, missing", row.caller)
            << caller << false << false << false << row.privateMissing;
    }
}

void tst_NpmHandler::metadataMatrix()
{
    QFETCH(QString, caller);
    QFETCH(bool, publicProject);
    QFETCH(bool, existing);
    QFETCH(bool, forwarding);
    QFETCH(int, status);

    // The job and deploy tokens belong to acme/app; on the public project they are outsiders,
    // which GitLab's table does not cover, so the public rows use a token of the public project.
    const qint64 project = publicProject ? m_public : m_app;
    QString token = caller == u"anonymous"_s ? QString() : m_tokens.value(caller);
    if (publicProject && caller == u"job"_s) {
        token = m_registry->tokens()
                    .createJobToken(m_public, m_registry->users().store().userByName(u"dev"_s)->id)
                    ->token;
    } else if (publicProject && caller == u"deploy"_s) {
        token = m_registry->tokens()
                    .createDeployToken(0, m_public, {}, {u"read_package_registry"_s})
                    ->token;
    }
    QCOMPARE(
        publish(u"@x/pkg"_s, u"1.0.0"_s, m_tokens.value(u"maint"_s), u"latest"_s, project).status,
        200);
    QVERIFY(m_registry->settings().setInstanceForwarding(forwarding));
    const QByteArray name = existing ? "@x%2fpkg" : "@x%2fmissing";
    const Response response = call("GET", projectPath(project) + name, token);
    QCOMPARE(response.status, status);
    if (status == 302) {
        QCOMPARE(headerOf(response, "Location"),
                 QByteArray("http://127.0.0.1:9/upstream/@x%2fmissing"));
    } else if (status != 200) {
        QVERIFY(jsonOf(response).contains(u"error"_s));
    }
}

void tst_NpmHandler::instanceAndGroupLevels()
{
    QCOMPARE(publish(u"@acme/w"_s, u"1.0.0"_s, m_tokens.value(u"dev"_s)).status, 200);
    // The naming convention: the same scoped name and version once per root group.
    QCOMPARE(
        publish(u"@acme/w"_s, u"1.0.0"_s, m_tokens.value(u"dev"_s), u"latest"_s, m_other).status,
        400);
    // Without the naming convention the same name may live in two projects.
    QCOMPARE(publish(u"plain"_s, u"1.0.0"_s, m_tokens.value(u"dev"_s)).status, 200);
    QCOMPARE(publish(u"plain"_s, u"1.0.0"_s, m_tokens.value(u"dev"_s), u"latest"_s, m_other).status,
             200);

    Response response = call("GET", "/api/v4/packages/npm/@acme%2fw", m_tokens.value(u"rep"_s));
    QCOMPARE(response.status, 200);
    QVERIFY(jsonOf(response).value(u"versions"_s).toObject().contains(u"1.0.0"_s));
    // Instance level only knows scoped names of a top-level group.
    QCOMPARE(call("GET", "/api/v4/packages/npm/plain", m_tokens.value(u"rep"_s)).status, 404);
    response = call("GET", "/api/v4/groups/acme/-/packages/npm/plain", m_tokens.value(u"maint"_s));
    QCOMPARE(response.status, 200);
    // The most recent of the two wins; tarball URLs are project level.
    const QString tarball = jsonOf(response)
                                .value(u"versions"_s)
                                .toObject()
                                .value(u"1.0.0"_s)
                                .toObject()
                                .value(u"dist"_s)
                                .toObject()
                                .value(u"tarball"_s)
                                .toString();
    QVERIFY2(tarball.contains(u"/api/v4/projects/%1/"_s.arg(m_other)), qPrintable(tarball));
    QCOMPARE(call("GET", "/api/v4/groups/acme/-/packages/npm/plain", QString()).status, 401);
    QCOMPARE(
        call("GET", "/api/v4/groups/nope/-/packages/npm/plain", m_tokens.value(u"maint"_s)).status,
        404);
    QCOMPARE(call("GET", "/api/v4/groups/acme/-/packages/npm/plain", m_tokens.value(u"outsider"_s))
                 .status,
             403);

    QVERIFY(m_registry->settings().setInstanceForwarding(true));
    response = call("GET", "/api/v4/packages/npm/lodash", QString());
    QCOMPARE(response.status, 302);
    QCOMPARE(headerOf(response, "Location"), QByteArray("http://127.0.0.1:9/upstream/lodash"));
    // A group that turns forwarding off, and locks it, wins over the instance.
    QVERIFY(m_registry->settings().setGroupForwarding(
        m_registry->namespaces().store().groupByPath(u"acme"_s)->id, false, true));
    QCOMPARE(
        call("GET", "/api/v4/groups/acme/-/packages/npm/lodash", m_tokens.value(u"maint"_s)).status,
        404);
    QCOMPARE(call("GET", projectPath() + "lodash", m_tokens.value(u"maint"_s)).status, 404);
}

void tst_NpmHandler::tarballDownload()
{
    QCOMPARE(publish(u"@acme/w"_s, u"1.0.0"_s, m_tokens.value(u"dev"_s)).status, 200);
    const QByteArray path = projectPath() + "@acme/w/-/@acme/w-1.0.0.tgz";
    Response response = call("GET", path, m_tokens.value(u"rep"_s));
    QCOMPARE(response.status, 200);
    QVERIFY(QFile::exists(response.filePath));
    QFile file(response.filePath);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QJsonObject document =
        jsonOf(call("GET", projectPath() + "@acme%2fw", m_tokens.value(u"rep"_s)));
    const QString shasum = document.value(u"versions"_s)
                               .toObject()
                               .value(u"1.0.0"_s)
                               .toObject()
                               .value(u"dist"_s)
                               .toObject()
                               .value(u"shasum"_s)
                               .toString();
    QCOMPARE(QString::fromLatin1(
                 QCryptographicHash::hash(file.readAll(), QCryptographicHash::Sha1).toHex()),
             shasum);
    QCOMPARE(
        call("GET", projectPath() + "@acme%2fw/-/w-1.0.0.tgz", m_tokens.value(u"rep"_s)).status,
        200);
    // Anonymous download from a private project: 404, not 401 (docs/npm-api.md §2.3).
    QCOMPARE(call("GET", path, QString()).status, 404);
    QCOMPARE(call("GET", path, m_tokens.value(u"guest"_s)).status, 403);
    QCOMPARE(
        call("GET", projectPath() + "@acme/w/-/@acme/w-9.9.9.tgz", m_tokens.value(u"rep"_s)).status,
        404);
    QCOMPARE(
        call("GET", projectPath() + "@acme/w/-/..%2f..%2fetc%2fpasswd", m_tokens.value(u"rep"_s))
            .status,
        404);
}

void tst_NpmHandler::distTags()
{
    QCOMPARE(publish(u"@acme/w"_s, u"1.0.0"_s, m_tokens.value(u"dev"_s)).status, 200);
    QCOMPARE(publish(u"@acme/w"_s, u"2.0.0-rc.1"_s, m_tokens.value(u"dev"_s), u"next"_s).status,
             200);
    const QByteArray tags = projectPath() + "-/package/@acme%2fw/dist-tags";
    Response response = call("GET", tags, m_tokens.value(u"rep"_s));
    QCOMPARE(response.status, 200);
    QCOMPARE(jsonOf(response),
             (QJsonObject{{u"latest"_s, u"1.0.0"_s}, {u"next"_s, u"2.0.0-rc.1"_s}}));

    QCOMPARE(call("PUT", tags + "/stable", m_tokens.value(u"dev"_s), "\"1.0.0\"").status, 204);
    QCOMPARE(call("PUT", tags + "/stable", m_tokens.value(u"rep"_s), "\"1.0.0\"").status, 403);
    QCOMPARE(call("PUT", tags + "/stable", QString(), "\"1.0.0\"").status, 401);
    response = call("PUT", tags + "/stable", m_tokens.value(u"dev"_s), "\"3.0.0\"");
    QCOMPARE(response.status, 404);
    QCOMPARE(jsonOf(response).value(u"error"_s).toString(), u"Package not found"_s);
    response = call("PUT", tags + "/stable", m_tokens.value(u"dev"_s), "");
    QCOMPARE(response.status, 400);
    QCOMPARE(jsonOf(response).value(u"error"_s).toString(), u"\"Version\" not given"_s);
    QCOMPARE(call("DELETE", tags + "/stable", m_tokens.value(u"dev"_s)).status, 403);
    QCOMPARE(call("DELETE", tags + "/stable", m_tokens.value(u"maint"_s)).status, 204);
    response = call("DELETE", tags + "/stable", m_tokens.value(u"maint"_s));
    QCOMPARE(response.status, 404);
    QCOMPARE(jsonOf(response).value(u"error"_s).toString(), u"Package tag not found"_s);
    // Removing latest: the document synthesizes it as the highest version.
    QCOMPARE(call("DELETE", tags + "/latest", m_tokens.value(u"maint"_s)).status, 204);
    response =
        call("GET", "/api/v4/packages/npm/-/package/@acme/w/dist-tags", m_tokens.value(u"rep"_s));
    QCOMPARE(jsonOf(response).value(u"latest"_s).toString(), u"2.0.0-rc.1"_s);
}

void tst_NpmHandler::deprecate()
{
    QCOMPARE(publish(u"@acme/w"_s, u"1.0.0"_s, m_tokens.value(u"dev"_s)).status, 200);
    QCOMPARE(publish(u"@acme/w"_s, u"1.1.0"_s, m_tokens.value(u"dev"_s)).status, 200);
    QJsonObject document =
        jsonOf(call("GET", projectPath() + "@acme%2fw", m_tokens.value(u"maint"_s)));
    QJsonObject versions = document.value(u"versions"_s).toObject();
    QJsonObject v = versions.value(u"1.0.0"_s).toObject();
    v.insert(u"deprecated"_s, u"use 1.1"_s);
    versions.insert(u"1.0.0"_s, v);
    document.insert(u"versions"_s, versions);
    const QByteArray body = QJsonDocument(document).toJson(QJsonDocument::Compact);
    const QList<QPair<QByteArray, QByteArray>> deprecateHeader = {{"Npm-Command", "deprecate"}};
    QCOMPARE(
        call("PUT", projectPath() + "@acme%2fw", m_tokens.value(u"dev"_s), body, deprecateHeader)
            .status,
        403);
    QCOMPARE(
        call("PUT", projectPath() + "@acme%2fw", m_tokens.value(u"maint"_s), body, deprecateHeader)
            .status,
        200);
    document = jsonOf(call("GET", projectPath() + "@acme%2fw", m_tokens.value(u"rep"_s)));
    QCOMPARE(document.value(u"versions"_s)
                 .toObject()
                 .value(u"1.0.0"_s)
                 .toObject()
                 .value(u"deprecated"_s)
                 .toString(),
             u"use 1.1"_s);
    QVERIFY(!document.value(u"versions"_s)
                 .toObject()
                 .value(u"1.1.0"_s)
                 .toObject()
                 .contains(u"deprecated"_s));

    v.insert(u"deprecated"_s, u""_s);
    versions.insert(u"1.0.0"_s, v);
    document.insert(u"versions"_s, versions);
    QCOMPARE(call("PUT",
                  projectPath() + "@acme%2fw",
                  m_tokens.value(u"maint"_s),
                  QJsonDocument(document).toJson(QJsonDocument::Compact),
                  deprecateHeader)
                 .status,
             200);
    document = jsonOf(call("GET", projectPath() + "@acme%2fw", m_tokens.value(u"rep"_s)));
    QVERIFY(!document.value(u"versions"_s)
                 .toObject()
                 .value(u"1.0.0"_s)
                 .toObject()
                 .contains(u"deprecated"_s));

    const Response none = call("PUT",
                               projectPath() + "@acme%2fw",
                               m_tokens.value(u"maint"_s),
                               "{\"name\":\"@acme/w\",\"versions\":{}}",
                               deprecateHeader);
    QCOMPARE(none.status, 400);
    QCOMPARE(jsonOf(none).value(u"error"_s).toString(),
             u"\"package versions to deprecate\" not given"_s);
}

void tst_NpmHandler::unpublish()
{
    QCOMPARE(publish(u"@acme/w"_s, u"1.0.0"_s, m_tokens.value(u"dev"_s)).status, 200);
    QCOMPARE(publish(u"@acme/w"_s, u"1.1.0"_s, m_tokens.value(u"dev"_s)).status, 200);
    QJsonObject document =
        jsonOf(call("GET", projectPath() + "@acme%2fw?write=true", m_tokens.value(u"maint"_s)));
    QJsonObject versions = document.value(u"versions"_s).toObject();
    versions.remove(u"1.1.0"_s);
    document.insert(u"versions"_s, versions);
    document.insert(u"dist-tags"_s, QJsonObject{{u"latest"_s, u"1.0.0"_s}});
    const QByteArray body = QJsonDocument(document).toJson(QJsonDocument::Compact);
    QCOMPARE(call("PUT", projectPath() + "@acme%2fw/-rev/undefined", m_tokens.value(u"dev"_s), body)
                 .status,
             403);
    QCOMPARE(
        call("PUT", projectPath() + "@acme%2fw/-rev/undefined", m_tokens.value(u"maint"_s), body)
            .status,
        200);
    QCOMPARE(call("DELETE",
                  projectPath() + "@acme/w/-/@acme/w-1.1.0.tgz/-rev/undefined",
                  m_tokens.value(u"maint"_s))
                 .status,
             200);
    document = jsonOf(call("GET", projectPath() + "@acme%2fw", m_tokens.value(u"rep"_s)));
    QCOMPARE(document.value(u"versions"_s).toObject().keys(), QStringList{u"1.0.0"_s});
    QCOMPARE(call("DELETE", projectPath() + "@acme%2fw/-rev/undefined", m_tokens.value(u"maint"_s))
                 .status,
             200);
    QCOMPARE(call("GET", projectPath() + "@acme%2fw", m_tokens.value(u"rep"_s)).status, 404);
    QCOMPARE(*m_registry->packages().store().packageCount(), 0);
}

void tst_NpmHandler::whoamiPingAudit()
{
    Response response = call("GET", "/api/v4/packages/npm/-/whoami", m_tokens.value(u"dev"_s));
    QCOMPARE(response.status, 200);
    QCOMPARE(jsonOf(response).value(u"username"_s).toString(), u"dev"_s);
    QCOMPARE(call("GET", "/api/v4/packages/npm/-/whoami", QString()).status, 401);
    QCOMPARE(call("GET", "/api/v4/packages/npm/-/ping", QString()).status, 200);

    const QByteArray bulk = "-/npm/v1/security/advisories/bulk";
    QCOMPARE(call("POST", projectPath() + bulk, QString(), "{}").status, 401);
    response = call("POST", projectPath() + bulk, m_tokens.value(u"rep"_s), "{}");
    QCOMPARE(response.status, 200);
    QCOMPARE(response.body, QByteArray("[]"));
    QCOMPARE(call("POST", "/api/v4/packages/npm/" + bulk, m_tokens.value(u"rep"_s), "{}").status,
             404);
    QVERIFY(m_registry->settings().setInstanceForwarding(true));
    // Forwarded to the upstream (tst_npmaudit); nothing listens on port 9 here.
    response = call("POST", projectPath() + bulk, m_tokens.value(u"rep"_s), "{}");
    QCOMPARE(response.status, 502);
}

void tst_NpmHandler::unknownRoutes()
{
    for (const QByteArray &path : {QByteArray("/"),
                                   QByteArray("/api/v4/users"),
                                   QByteArray("/api/v4/packages/npm/-/v1/browse")}) {
        const Response response = call("GET", path);
        QCOMPARE(response.status, 404);
        QCOMPARE(jsonOf(response).value(u"error"_s).toString(), u"404 Not Found"_s);
    }
    // Publishing is project level only.
    QCOMPARE(call("PUT", "/api/v4/packages/npm/@acme%2fw", m_tokens.value(u"dev"_s), "{}").status,
             404);
}

void tst_NpmHandler::credentials_data()
{
    QTest::addColumn<QString>("token"); // a key of m_tokens, or a literal
    QTest::addColumn<QByteArray>("form"); // how the request carries it
    QTest::addColumn<int>("status"); // of GET whoami
    QTest::newRow("Bearer personal token") << u"dev"_s << QByteArray("bearer") << 200;
    QTest::newRow("Bearer deploy token") << u"deploy"_s << QByteArray("bearer") << 200;
    QTest::newRow("Bearer job token") << u"job"_s << QByteArray("bearer") << 200;
    QTest::newRow("Private-Token") << u"dev"_s << QByteArray("private-token") << 200;
    QTest::newRow("Deploy-Token") << u"deploy"_s << QByteArray("deploy-token") << 200;
    QTest::newRow("Job-Token") << u"job"_s << QByteArray("job-token") << 200;
    QTest::newRow("Basic with a deploy token") << u"deploy"_s << QByteArray("basic") << 200;
    QTest::newRow("Basic with a personal token") << u"dev"_s << QByteArray("basic") << 401;
    QTest::newRow("private_token parameter") << u"dev"_s << QByteArray("query") << 200;
    QTest::newRow("lower-case bearer") << u"dev"_s << QByteArray("lowercase") << 200;
    QTest::newRow("unknown scheme") << u"dev"_s << QByteArray("digest") << 401;
    QTest::newRow("empty Bearer") << QString() << QByteArray("bearer") << 401;
    QTest::newRow("garbage Bearer") << u"\x01\x02 nonsense"_s << QByteArray("bearer") << 401;
    QTest::newRow("huge Bearer") << QString(20000, u'a') << QByteArray("bearer") << 401;
    QTest::newRow("Basic that is not base64") << u"%%%"_s << QByteArray("raw-basic") << 401;
    QTest::newRow("revoked-looking token of the right shape")
        << u"tpat-0000000000000000000000000000000000000000"_s << QByteArray("bearer") << 401;
}

void tst_NpmHandler::credentials()
{
    QFETCH(QString, token);
    QFETCH(QByteArray, form);
    QFETCH(int, status);
    const QByteArray secret = m_tokens.value(token, token).toUtf8();
    RequestContext context;
    context.method = "GET";
    context.encodedPath = "/api/v4/packages/npm/-/whoami";
    if (form == "bearer") {
        context.headers.append(
            qMakePair(QByteArray("Authorization"), QByteArray("Bearer " + secret)));
    } else if (form == "lowercase") {
        context.headers.append(
            qMakePair(QByteArray("authorization"), QByteArray("bearer " + secret)));
    } else if (form == "basic") {
        context.headers.append(
            qMakePair(QByteArray("Authorization"),
                      QByteArray("Basic " + QByteArray("someone:" + secret).toBase64())));
    } else if (form == "raw-basic") {
        context.headers.append(
            qMakePair(QByteArray("Authorization"), QByteArray("Basic " + secret)));
    } else if (form == "digest") {
        context.headers.append(
            qMakePair(QByteArray("Authorization"), QByteArray("Digest " + secret)));
    } else if (form == "query") {
        context.query = "private_token=" + secret;
    } else {
        context.headers.append(qMakePair(form, secret));
    }
    const Response response = m_handler->handle(context);
    QCOMPARE(response.status, status);
    if (status == 200) {
        QVERIFY(!jsonOf(response).value(u"username"_s).toString().isEmpty());
    } else {
        QVERIFY(jsonOf(response).contains(u"error"_s));
        // An unknown token is refused even where anonymous reads are allowed.
        RequestContext publicRead = context;
        publicRead.encodedPath = projectPath(m_public) + "anything";
        QCOMPARE(m_handler->handle(publicRead).status, 401);
    }
}

void tst_NpmHandler::hostileBodies_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QByteArray>("path");
    QTest::addColumn<QByteArray>("body");
    const QByteArray publishPath = projectPath() + "@acme%2fw";
    QTest::newRow("empty body") << QByteArray("PUT") << publishPath << QByteArray();
    QTest::newRow("JSON array") << QByteArray("PUT") << publishPath << QByteArray("[1,2,3]");
    QTest::newRow("JSON string") << QByteArray("PUT") << publishPath << QByteArray("\"x\"");
    QTest::newRow("binary") << QByteArray("PUT") << publishPath
                            << QByteArray("\x00\x01\xff\xfe", 4);
    QTest::newRow("huge key") << QByteArray("PUT") << publishPath
                              << QByteArray("{\"" + QByteArray(1024 * 1024, 'k') + "\":1}");
    QTest::newRow("deep nesting") << QByteArray("PUT") << publishPath
                                  << QByteArray(5000, '[') + QByteArray(5000, ']');
    QTest::newRow("name of the wrong type")
        << QByteArray("PUT") << publishPath
        << QByteArray("{\"name\":42,\"versions\":{\"1.0.0\":7}}");
    QTest::newRow("attachments of the wrong type")
        << QByteArray("PUT") << publishPath
        << QByteArray("{\"name\":\"@acme/w\",\"versions\":{\"1.0.0\":{}},\"_attachments\":[]}");
    QTest::newRow("traversal in the package name")
        << QByteArray("PUT") << projectPath() + "..%2f..%2fetc%2fpasswd" << QByteArray("{}");
    QTest::newRow("traversal in a tarball name")
        << QByteArray("GET") << projectPath() + "@acme%2fw/-/..%2f..%2f..%2ftrove.sqlite"
        << QByteArray();
    QTest::newRow("traversal in a dist-tag")
        << QByteArray("PUT") << projectPath() + "-/package/@acme%2fw/dist-tags/..%2f..%2fx"
        << QByteArray("\"1.0.0\"");
    QTest::newRow("dist-tag body of the wrong type")
        << QByteArray("PUT") << projectPath() + "-/package/@acme%2fw/dist-tags/next"
        << QByteArray("{\"v\":1}");
    QTest::newRow("deprecate with garbage")
        << QByteArray("PUT") << publishPath << QByteArray("{\"versions\":5}");
}

void tst_NpmHandler::hostileBodies()
{
    QFETCH(QByteArray, method);
    QFETCH(QByteArray, path);
    QFETCH(QByteArray, body);
    QCOMPARE(publish(u"@acme/w"_s, u"1.0.0"_s, m_tokens.value(u"dev"_s)).status, 200);
    const QByteArray before = snapshot();
    QList<QPair<QByteArray, QByteArray>> headers;
    if (QByteArray(QTest::currentDataTag()).startsWith("deprecate")) {
        headers.append(qMakePair(QByteArray("Npm-Command"), QByteArray("deprecate")));
    }
    const Response response = call(method, path, m_tokens.value(u"maint"_s), body, headers);
    QVERIFY2(response.status >= 400 && response.status < 500, response.body.left(200).constData());
    QVERIFY2(jsonOf(response).contains(u"error"_s), response.body.left(200).constData());
    QCOMPARE(snapshot(), before);
}

QTEST_GUILESS_MAIN(tst_NpmHandler)
#include "tst_npmhandler.moc"
