// SPDX-License-Identifier: GPL-3.0-or-later
// The one publish pipeline (PackageService::publish of a streamed body): every rule refused with
// a message naming the field and the store left byte-identical; a good publish accepted; the
// tarball's layout rules; the window's preflight saying the same.

#include "model/npm/packagename.h"
#include "model/npm/publishbody.h"
#include "model/registry.h"
#include "model/tarballpublish.h"

#include "tests/tarballwriter.h"
#include "testsupport.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QTest>

#include <functional>

using namespace Qt::StringLiterals;
using namespace Trove;
using TestSupport::RegistryFixture;

namespace {

using Entry = TestSupport::TarEntry;
using TestSupport::writeTarball;

QByteArray manifestOf(const QString &name, const QString &version)
{
    return QJsonDocument(QJsonObject{{u"name"_s, name}, {u"version"_s, version}}).toJson();
}

QList<Entry> goodEntries(const QString &name, const QString &version)
{
    return {{"package/", {}, AE_IFDIR, {}},
            {"package/package.json", manifestOf(name, version), AE_IFREG, {}},
            {"package/lib/index.js", "module.exports = 1;\n", AE_IFREG, {}}};
}

QString hex(const QByteArray &bytes, QCryptographicHash::Algorithm algorithm)
{
    return QString::fromLatin1(QCryptographicHash::hash(bytes, algorithm).toHex());
}

// The body `npm publish` sends for `tarball`.
QJsonObject npmBody(const QString &name, const QString &version, const QByteArray &tarball)
{
    const QString file = Npm::tarballFileName(name, version);
    QJsonObject manifest{
        {u"name"_s, name},
        {u"version"_s, version},
        {u"description"_s, u"a package"_s},
        {u"dependencies"_s, QJsonObject{{u"left-pad"_s, u"^1.0.0"_s}}},
        {u"_id"_s, QString(name + u'@' + version)},
        {u"dist"_s,
         QJsonObject{
             {u"shasum"_s, hex(tarball, QCryptographicHash::Sha1)},
             {u"integrity"_s,
              QString(
                  u"sha512-"_s
                  + QString::fromLatin1(
                      QCryptographicHash::hash(tarball, QCryptographicHash::Sha512).toBase64()))},
             {u"tarball"_s, u"http://127.0.0.1/%1/-/%2"_s.arg(name, file)}}}};
    return QJsonObject{
        {u"_id"_s, name},
        {u"name"_s, name},
        {u"dist-tags"_s, QJsonObject{{u"latest"_s, version}}},
        {u"versions"_s, QJsonObject{{version, manifest}}},
        {u"access"_s, QJsonValue::Null},
        {u"_attachments"_s,
         QJsonObject{{file,
                      QJsonObject{{u"content_type"_s, u"application/octet-stream"_s},
                                  {u"data"_s, QString::fromLatin1(tarball.toBase64())},
                                  {u"length"_s, double(tarball.size())}}}}}};
}

using Edit = std::function<void(QJsonObject &body, QJsonObject &manifest, QJsonObject &dist)>;

// Edits the body (top level), its one version's manifest and that manifest's dist.
QJsonObject edited(QJsonObject body, const Edit &edit)
{
    QJsonObject versions = body.value(u"versions"_s).toObject();
    const QString version = versions.constBegin().key();
    QJsonObject manifest = versions.constBegin().value().toObject();
    QJsonObject dist = manifest.value(u"dist"_s).toObject();
    edit(body, manifest, dist);
    if (!dist.isEmpty()) {
        manifest.insert(u"dist"_s, dist);
    }
    // Unless the edit replaced `versions` itself, write the edited manifest back.
    if (body.value(u"versions"_s).toObject().value(version).isObject()) {
        versions = body.value(u"versions"_s).toObject();
        versions.insert(version, manifest);
        body.insert(u"versions"_s, versions);
    }
    return body;
}

} // namespace

Q_DECLARE_METATYPE(Edit)
Q_DECLARE_METATYPE(QList<Entry>)

class tst_PublishPipeline : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void accepted();
    void refused_data();
    void refused();
    void tarballRefused_data();
    void tarballRefused();
    void preflightSaysTheSame();
    void identicalBytesAcrossUnpublish();

private:
    Result<Package> publishBody(const QString &urlName, const QJsonObject &body);
    QString snapshot() const;

    RegistryFixture m_fixture;
    qint64 m_projectId = 0;
    Actor m_publisher;
};

void tst_PublishPipeline::init()
{
    QVERIFY2(m_fixture.open(), qPrintable(m_fixture.error()));
    QVERIFY_RESULT(m_fixture->namespaces().createGroup(u"acme"_s));
    const Result<Project> project = m_fixture->namespaces().createProject(u"acme/a"_s);
    QVERIFY_RESULT(project);
    m_projectId = project->id;
    m_publisher.kind = Actor::Kind::User;
    m_publisher.username = u"mia"_s;
    // Something published already: the refusals must leave it exactly as it is.
    const QByteArray tarball = writeTarball(goodEntries(u"@acme/old"_s, u"1.0.0"_s));
    QVERIFY_RESULT(publishBody(u"@acme/old"_s, npmBody(u"@acme/old"_s, u"1.0.0"_s, tarball)));
}

void tst_PublishPipeline::cleanup()
{
    m_fixture.close();
}

Result<Package> tst_PublishPipeline::publishBody(const QString &urlName, const QJsonObject &body)
{
    const Result<QString> staging = m_fixture->blobs().stagingDir();
    if (!staging) {
        return staging.error();
    }
    Npm::PublishBodyDecoder decoder(*staging, {});
    if (const Result<void> written = decoder.write(QJsonDocument(body).toJson()); !written) {
        return written.error();
    }
    const Result<Npm::DecodedPublishBody> decoded = decoder.finish();
    if (!decoded) {
        return decoded.error();
    }
    return m_fixture->packages().publish(m_projectId, urlName, *decoded, m_publisher);
}

QString tst_PublishPipeline::snapshot() const
{
    QStringList blobs;
    for (const QString &file : TestSupport::listFiles(m_fixture.blobRoot())) {
        QFile f(QDir(m_fixture.blobRoot()).filePath(file));
        f.open(QIODevice::ReadOnly);
        blobs.append(file + u' ' + hex(f.readAll(), QCryptographicHash::Sha256));
    }
    return TestSupport::dumpDatabase(m_fixture.connection()) + blobs.join(u'\n');
}

void tst_PublishPipeline::accepted()
{
    const QByteArray tarball = writeTarball(goodEntries(u"@acme/w"_s, u"1.0.0"_s));
    const Result<Package> published =
        publishBody(u"@acme/w"_s, npmBody(u"@acme/w"_s, u"1.0.0"_s, tarball));
    QVERIFY_RESULT(published);
    QCOMPARE(published->version, u"1.0.0"_s);
    QCOMPARE(published->sha512, hex(tarball, QCryptographicHash::Sha512));
    QCOMPARE(published->size, tarball.size());
    QCOMPARE(*m_fixture->blobs().read(published->sha512), tarball);
    const QJsonObject stored = QJsonDocument::fromJson(published->packageJson).object();
    QCOMPARE(stored.value(u"dependencies"_s).toObject().value(u"left-pad"_s).toString(),
             u"^1.0.0"_s);
    QCOMPARE(m_fixture->packages().store().distTags(m_projectId, u"@acme/w"_s)->size(), 1);
    // The staged upload moved into the store: nothing left in the staging folder.
    QCOMPARE(QDir(*m_fixture->blobs().stagingDir()).entryList(QDir::Files), QStringList());
}

void tst_PublishPipeline::refused_data()
{
    QTest::addColumn<QString>("urlName");
    QTest::addColumn<Edit>("edit");
    QTest::addColumn<QString>("message");

    const QString name = u"@acme/w"_s;
    const QString schema = u"Validation failed: Package json must be a valid json schema"_s;
    const auto row = [&](const char *what, const Edit &edit, const QString &message) {
        QTest::addRow("%s", what) << name << edit << message;
    };
    QTest::addRow("body name differs from the URL")
        << u"@acme/x"_s << Edit([](QJsonObject &, QJsonObject &, QJsonObject &) {})
        << u"Invalid publish body: name (@acme/w) differs from the package name in the URL "
           "(@acme/x)"_s;
    row(
        "name not a string",
        [](QJsonObject &b, QJsonObject &, QJsonObject &) { b.insert(u"name"_s, 1); },
        u"Invalid publish body: name must be a string"_s);
    row(
        "versions an array",
        [](QJsonObject &b, QJsonObject &, QJsonObject &) {
            b.insert(u"versions"_s, QJsonArray{1});
        },
        u"Version is empty."_s);
    row(
        "versions empty",
        [](QJsonObject &b, QJsonObject &, QJsonObject &) {
            b.insert(u"versions"_s, QJsonObject{});
        },
        u"Version is empty."_s);
    row(
        "two versions",
        [](QJsonObject &b, QJsonObject &m, QJsonObject &) {
            QJsonObject versions = b.value(u"versions"_s).toObject();
            versions.insert(u"2.0.0"_s, m);
            b.insert(u"versions"_s, versions);
        },
        u"Invalid publish body: versions has 2 versions: publish one version at a time"_s);
    row(
        "version not an object",
        [](QJsonObject &b, QJsonObject &, QJsonObject &) {
            b.insert(u"versions"_s, QJsonObject{{u"1.0.0"_s, u"x"_s}});
        },
        u"Invalid publish body: versions.1.0.0 must be an object"_s);
    row(
        "invalid semver",
        [](QJsonObject &b, QJsonObject &m, QJsonObject &) {
            m.insert(u"version"_s, u"1.0"_s);
            b.insert(u"versions"_s, QJsonObject{{u"1.0"_s, m}});
            b.insert(u"dist-tags"_s, QJsonObject{{u"latest"_s, u"1.0"_s}});
            b.insert(u"_attachments"_s,
                     QJsonObject{{u"@acme/w-1.0.tgz"_s,
                                  b.value(u"_attachments"_s).toObject().begin().value()}});
        },
        u"Validation failed: Version should follow SemVer: https://semver.org"_s);
    row(
        "dist-tags an array",
        [](QJsonObject &b, QJsonObject &, QJsonObject &) {
            b.insert(u"dist-tags"_s, QJsonArray{u"1.0.0"_s});
        },
        u"Invalid publish body: dist-tags must be an object"_s);
    row(
        "dist-tags a number",
        [](QJsonObject &b, QJsonObject &, QJsonObject &) { b.insert(u"dist-tags"_s, 3); },
        u"Invalid publish body: dist-tags must be an object"_s);
    row(
        "tag naming another version",
        [](QJsonObject &b, QJsonObject &, QJsonObject &) {
            b.insert(u"dist-tags"_s, QJsonObject{{u"latest"_s, u"9.9.9"_s}});
        },
        u"Invalid publish body: dist-tags.latest must name the published version 1.0.0"_s);
    row(
        "tag value a number",
        [](QJsonObject &b, QJsonObject &, QJsonObject &) {
            b.insert(u"dist-tags"_s, QJsonObject{{u"latest"_s, 1}});
        },
        u"Invalid publish body: dist-tags.latest must name the published version 1.0.0"_s);
    row(
        "two tags",
        [](QJsonObject &b, QJsonObject &, QJsonObject &) {
            b.insert(u"dist-tags"_s, QJsonObject{{u"latest"_s, u"1.0.0"_s}, {u"b"_s, u"1.0.0"_s}});
        },
        u"Invalid publish body: dist-tags has 2 tags: publish with exactly one tag"_s);
    row(
        "tag that is a range",
        [](QJsonObject &b, QJsonObject &, QJsonObject &) {
            b.insert(u"dist-tags"_s, QJsonObject{{u"^1.0.0"_s, u"1.0.0"_s}});
        },
        u"Invalid dist-tag ^1.0.0"_s);
    row(
        "no attachments",
        [](QJsonObject &b, QJsonObject &, QJsonObject &) { b.remove(u"_attachments"_s); },
        u"Attachment data is empty."_s);
    row(
        "empty attachment data",
        [](QJsonObject &b, QJsonObject &, QJsonObject &) {
            b.insert(u"_attachments"_s,
                     QJsonObject{{u"@acme/w-1.0.0.tgz"_s,
                                  QJsonObject{{u"data"_s, u""_s}, {u"length"_s, 0}}}});
        },
        u"Attachment data is empty."_s);
    row(
        "attachment named otherwise",
        [](QJsonObject &b, QJsonObject &, QJsonObject &) {
            b.insert(
                u"_attachments"_s,
                QJsonObject{{u"w.tgz"_s, b.value(u"_attachments"_s).toObject().begin().value()}});
        },
        u"Invalid publish body: _attachments must have one entry named @acme/w-1.0.0.tgz, "
        "not w.tgz"_s);
    const auto attachmentField = [](const QString &field, const QJsonValue &value) {
        return Edit([field, value](QJsonObject &b, QJsonObject &, QJsonObject &) {
            QJsonObject attachments = b.value(u"_attachments"_s).toObject();
            QJsonObject entry = attachments.begin().value().toObject();
            if (value.isUndefined()) {
                entry.remove(field);
            } else {
                entry.insert(field, value);
            }
            attachments.insert(attachments.begin().key(), entry);
            b.insert(u"_attachments"_s, attachments);
        });
    };
    const QString lengthField = u"Invalid publish body: _attachments.@acme/w-1.0.0.tgz.length "_s;
    row("length missing",
        attachmentField(u"length"_s, QJsonValue::Undefined),
        lengthField + u"must be a non-negative integer"_s);
    row("length a string",
        attachmentField(u"length"_s, u"12"_s),
        lengthField + u"must be a non-negative integer"_s);
    row("length negative",
        attachmentField(u"length"_s, -1),
        lengthField + u"must be a non-negative integer"_s);
    row("length with a fraction",
        attachmentField(u"length"_s, 10.5),
        lengthField + u"must be a non-negative integer"_s);
    row("length beyond 2^53",
        attachmentField(u"length"_s, 1e17),
        lengthField + u"must be a non-negative integer"_s);
    row("length wrong", attachmentField(u"length"_s, 3), lengthField + u"is 3 but the data"_s);
    row("content_type a number",
        attachmentField(u"content_type"_s, 1),
        u"Invalid publish body: _attachments.@acme/w-1.0.0.tgz.content_type must be a string"_s);

    const auto manifestField = [](const QString &field, const QJsonValue &value) {
        return Edit([field, value](QJsonObject &, QJsonObject &m, QJsonObject &) {
            m.insert(field, value);
        });
    };
    const QString prefix = u"Invalid publish body: versions.1.0.0."_s;
    row("manifest name differs",
        manifestField(u"name"_s, u"@acme/x"_s),
        prefix + u"name must be @acme/w"_s);
    row("manifest version differs",
        manifestField(u"version"_s, u"1.0.1"_s),
        prefix + u"version must be 1.0.0"_s);
    row(
        "manifest name missing",
        [](QJsonObject &, QJsonObject &m, QJsonObject &) { m.remove(u"name"_s); },
        schema);
    for (const QString &field : {u"dependencies"_s,
                                 u"devDependencies"_s,
                                 u"peerDependencies"_s,
                                 u"optionalDependencies"_s,
                                 u"engines"_s,
                                 u"scripts"_s,
                                 u"directories"_s}) {
        QTest::addRow("%s an array", qPrintable(field))
            << name << manifestField(field, QJsonArray{u"x"_s})
            << prefix + field + u" must be an object of strings"_s;
        QTest::addRow("%s with a number", qPrintable(field))
            << name << manifestField(field, QJsonObject{{u"x"_s, 1}})
            << prefix + field + u" must be an object of strings"_s;
    }
    row("peerDependenciesMeta of strings",
        manifestField(u"peerDependenciesMeta"_s, QJsonObject{{u"x"_s, u"y"_s}}),
        prefix + u"peerDependenciesMeta must be an object of objects"_s);
    row("bundleDependencies a string",
        manifestField(u"bundleDependencies"_s, u"x"_s),
        prefix + u"bundleDependencies must be an array of strings or a boolean"_s);
    row("bin a number",
        manifestField(u"bin"_s, 1),
        prefix + u"bin must be a string or an object of strings"_s);
    for (const QString &field : {u"description"_s, u"main"_s, u"license"_s, u"homepage"_s}) {
        QTest::addRow("%s not a string", qPrintable(field))
            << name << manifestField(field, QJsonArray{})
            << prefix + field + u" must be a string"_s;
    }
    for (const QString &field : {u"keywords"_s, u"files"_s, u"os"_s, u"cpu"_s}) {
        QTest::addRow("%s a string", qPrintable(field))
            << name << manifestField(field, u"x"_s)
            << prefix + field + u" must be an array of strings"_s;
        QTest::addRow("%s with a number", qPrintable(field))
            << name << manifestField(field, QJsonArray{1})
            << prefix + field + u" must be an array of strings"_s;
    }
    row(
        "dist missing",
        [](QJsonObject &, QJsonObject &m, QJsonObject &d) {
            d = {};
            m.remove(u"dist"_s);
        },
        schema);
    row(
        "dist.tarball missing",
        [](QJsonObject &, QJsonObject &, QJsonObject &d) { d.remove(u"tarball"_s); },
        schema);
    row(
        "dist.shasum not hex",
        [](QJsonObject &, QJsonObject &, QJsonObject &d) { d.insert(u"shasum"_s, u"xyz"_s); },
        prefix + u"dist.shasum must be 40 hex digits"_s);
    row(
        "dist.integrity not sha512",
        [](QJsonObject &, QJsonObject &, QJsonObject &d) {
            d.insert(u"integrity"_s, u"sha1-AAAA"_s);
        },
        prefix + u"dist.integrity must be a sha512 integrity string (sha512-<base64>)"_s);
    row(
        "dist.shasum of other bytes",
        [](QJsonObject &, QJsonObject &, QJsonObject &d) {
            d.insert(u"shasum"_s, QString(40, u'0'));
        },
        u"The tarball's SHA-1 does not match dist.shasum"_s);
    row(
        "dist.integrity of other bytes",
        [](QJsonObject &, QJsonObject &, QJsonObject &d) {
            d.insert(u"integrity"_s,
                     QString(u"sha512-"_s + QString::fromLatin1(QByteArray(64, 'x').toBase64())));
        },
        u"The tarball's SHA-512 does not match dist.integrity"_s);
    row("package.json over 20,000 characters",
        manifestField(u"description"_s, QString(20001, u'é')),
        u"Validation failed: Package json structure is too large. Maximum size is 20000 "
        "characters"_s);
    row(
        "already published",
        [](QJsonObject &b, QJsonObject &, QJsonObject &) {
            // init() published @acme/old 1.0.0.
            Q_UNUSED(b);
        },
        QString()); // replaced in refused(): publishes @acme/old again
}

void tst_PublishPipeline::refused()
{
    QFETCH(QString, urlName);
    QFETCH(Edit, edit);
    QFETCH(QString, message);

    QString name = u"@acme/w"_s;
    if (message.isEmpty()) {
        name = urlName = u"@acme/old"_s;
        message = u"Package already exists."_s;
    }
    const QByteArray tarball = writeTarball(goodEntries(name, u"1.0.0"_s));
    const QJsonObject body = edited(npmBody(name, u"1.0.0"_s, tarball), edit);
    const QString before = snapshot();
    const Result<Package> published = publishBody(urlName, body);
    QVERIFY2(!published, "accepted");
    QCOMPARE(published.error().message.left(message.size()), message);
    QCOMPARE(snapshot(), before);
}

void tst_PublishPipeline::tarballRefused_data()
{
    QTest::addColumn<QList<Entry>>("entries");
    QTest::addColumn<QString>("message");

    const QByteArray manifest = manifestOf(u"@acme/w"_s, u"1.0.0"_s);
    const QList<Entry> good = goodEntries(u"@acme/w"_s, u"1.0.0"_s);
    QTest::addRow("two package.json")
        << (good + QList<Entry>{{"package/package.json", manifest, AE_IFREG, {}}})
        << u"Tarball has more than one package/package.json"_s;
    QTest::addRow("../x") << (good + QList<Entry>{{"package/../x", "x", AE_IFREG, {}}})
                          << u"Tarball entry package/../x has a .. component"_s;
    QTest::addRow("absolute path") << (good + QList<Entry>{{"/etc/x", "x", AE_IFREG, {}}})
                                   << u"Tarball entry /etc/x has an absolute path"_s;
    QTest::addRow("empty component")
        << (good + QList<Entry>{{"package//x", "x", AE_IFREG, {}}})
        << u"Tarball entry package//x has an empty, . or \\ component"_s;
    QTest::addRow("symlink") << (good + QList<Entry>{{"package/link", {}, AE_IFLNK, "/etc/passwd"}})
                             << u"Tarball entry package/link is a symbolic link"_s;
    QTest::addRow("hardlink")
        << (good + QList<Entry>{{"package/hard", {}, AE_IFREG, "package/package.json"}})
        << u"Tarball entry package/hard is a hard link"_s;
    QTest::addRow("device") << (good + QList<Entry>{{"package/tty", {}, AE_IFCHR, {}}})
                            << u"Tarball entry package/tty is a device, fifo or socket"_s;
    QTest::addRow("fifo") << (good + QList<Entry>{{"package/fifo", {}, AE_IFIFO, {}}})
                          << u"Tarball entry package/fifo is a device, fifo or socket"_s;
    QTest::addRow("entry outside package/")
        << (good + QList<Entry>{{"other/x.js", "x", AE_IFREG, {}}})
        << u"Tarball entry other/x.js is outside the package folder (package/)"_s;
    QTest::addRow("file at the top") << (good + QList<Entry>{{"x.js", "x", AE_IFREG, {}}})
                                     << u"Tarball entry x.js is outside the package folder"_s;
    QTest::addRow("no package.json") << QList<Entry>{{"package/index.js", "x", AE_IFREG, {}}}
                                     << u"package.json not found in tarball"_s;
    QTest::addRow("package.json of another version")
        << QList<Entry>{{"package/package.json",
                         manifestOf(u"@acme/w"_s, u"2.0.0"_s),
                         AE_IFREG,
                         {}}}
        << u"Package manifest is not coherent"_s;
}

void tst_PublishPipeline::tarballRefused()
{
    QFETCH(QList<Entry>, entries);
    QFETCH(QString, message);
    const QByteArray tarball = writeTarball(entries);
    QVERIFY(!tarball.isEmpty());
    const QString before = snapshot();
    const Result<Package> published =
        publishBody(u"@acme/w"_s, npmBody(u"@acme/w"_s, u"1.0.0"_s, tarball));
    QVERIFY2(!published, "accepted");
    QCOMPARE(published.error().code, Error::Code::Invalid);
    QVERIFY2(published.error().message.startsWith(message), qPrintable(published.error().message));
    QCOMPARE(snapshot(), before);

    // The window's preflight refuses the same tarball with the same message (it builds the body
    // from the tarball's own package.json, so that cannot disagree with it).
    if (message.startsWith(u"Package manifest"_s)) {
        return;
    }
    const Result<Project> project = m_fixture->namespaces().findProject(u"acme/a"_s);
    const TarballPreflight preflight =
        preflightTarball(m_fixture->database(), *project, u"w.tgz"_s, tarball);
    QVERIFY(!preflight.publishable());
    QCOMPARE(preflight.problem, published.error().message);
}

void tst_PublishPipeline::preflightSaysTheSame()
{
    const Result<Project> project = m_fixture->namespaces().findProject(u"acme/a"_s);
    QVERIFY_RESULT(project);
    // A package.json field of the wrong type: the same message from both.
    QJsonObject manifest{
        {u"name"_s, u"@acme/w"_s}, {u"version"_s, u"1.0.0"_s}, {u"keywords"_s, u"not an array"_s}};
    const QByteArray tarball =
        writeTarball({{"package/package.json", QJsonDocument(manifest).toJson(), AE_IFREG, {}}});
    const TarballPreflight preflight =
        preflightTarball(m_fixture->database(), *project, u"w.tgz"_s, tarball);
    QCOMPARE(preflight.problem,
             u"Invalid publish body: versions.1.0.0.keywords must be an array of strings"_s);
    QJsonObject body = npmBody(u"@acme/w"_s, u"1.0.0"_s, tarball);
    body = edited(body, [](QJsonObject &, QJsonObject &m, QJsonObject &) {
        m.insert(u"keywords"_s, u"not an array"_s);
    });
    QCOMPARE(publishBody(u"@acme/w"_s, body).error().message, preflight.problem);

    // A good tarball passes the preflight and its publish goes through the same commit path.
    const QByteArray good = writeTarball(goodEntries(u"@acme/w"_s, u"1.0.0"_s));
    const TarballPreflight ok = preflightTarball(m_fixture->database(), *project, u"w.tgz"_s, good);
    QVERIFY2(ok.publishable(), qPrintable(ok.problem));
    QVERIFY_RESULT(
        m_fixture->packages().publish(publishRequest(ok, project->id, u"latest"_s, m_publisher)));
    QCOMPARE(*m_fixture->blobs().read(hex(good, QCryptographicHash::Sha512)), good);
}

void tst_PublishPipeline::identicalBytesAcrossUnpublish()
{
    // Two versions whose tarballs are the same bytes share one blob; unpublishing one keeps it
    // for the other, unpublishing both removes it.
    const QList<Entry> entries = goodEntries(u"@acme/old"_s, u"1.0.0"_s);
    const QByteArray tarball = writeTarball(entries);
    const QString sha512 = hex(tarball, QCryptographicHash::Sha512);
    QVERIFY(m_fixture->blobs().contains(sha512));
    // The old blob looks long stored: adopting identical bytes refreshes it against the sweep.
    QFile blob(m_fixture->blobs().pathOf(sha512));
    QVERIFY(blob.open(QIODevice::ReadWrite));
    QVERIFY(blob.setFileTime(QDateTime::currentDateTime().addDays(-1),
                             QFileDevice::FileModificationTime));
    blob.close();
    const QString staging = *m_fixture->blobs().stagingDir();
    QFile copy(staging + u"/upload-test"_s);
    QVERIFY(copy.open(QIODevice::WriteOnly));
    copy.write(tarball);
    copy.close();
    {
        Npm::StagedFile staged(copy.fileName());
        QVERIFY_RESULT(m_fixture->blobs().adopt(staged, sha512));
        QVERIFY(QFileInfo(m_fixture->blobs().pathOf(sha512)).lastModified()
                > QDateTime::currentDateTime().addSecs(-60));
    }
    QVERIFY(!QFile::exists(copy.fileName())); // not adopted: the store had it
    QVERIFY_RESULT(m_fixture->packages().unpublishVersion(m_projectId, u"@acme/old"_s, u"1.0.0"_s));
    QVERIFY(!m_fixture->blobs().contains(sha512));
}

QTEST_GUILESS_MAIN(tst_PublishPipeline)
#include "tst_publishpipeline.moc"
