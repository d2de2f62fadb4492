// SPDX-License-Identifier: GPL-3.0-or-later
// `trove store copy` through the real `trove` binary (docs/cli.md, docs/postgresql.md): a SQLite
// store made by real publishes through `trove serve` is copied into PostgreSQL and back, and
// `trove serve` on each copy answers every package, tag, deprecation, search and tarball as the
// original did, and takes new publishes; a non-empty target is refused and left as it was; a
// missing or damaged blob fails the copy, naming it, and the target stays empty. Runs on the
// cluster of tests/pg/cluster.sh (TROVE_TEST_STORE); skipped without one.
#include "../model/testsupport.h"
#include "pgsupport.h"

#include <QCryptographicHash>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QProcess>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QUrlQuery>

using namespace Qt::StringLiterals;
using PgSupport::Answer;
using PgSupport::makeTarball;
using PgSupport::publishBody;
using PgSupport::request;
using PgSupport::Run;
using PgSupport::Server;
using PgSupport::TroveBinary;

namespace {

// Every `trove` run here (store copies among them) may take 120 s, twice the default.
Run trove(const QStringList &arguments)
{
    return PgSupport::trove(arguments, {}, 120000);
}

// What the source store holds, as a client reaches it.
struct Source
{
    qint64 projectId = 0;
    QByteArray token;
    QStringList view; // Client::view() of the original
};

// An npm client of one server and project.
class Client
{
public:
    Client(quint16 port, qint64 projectId, const QByteArray &token)
        : m_port(port)
        , m_projectId(projectId)
        , m_token(token)
    {
    }

    Answer get(const QString &path) { return request(m_network, apiRequest(path), "GET"); }

    int publish(const QString &name, const QString &version)
    {
        QNetworkRequest put = apiRequest(name);
        put.setHeader(QNetworkRequest::ContentTypeHeader, u"application/json"_s);
        put.setRawHeader("Npm-Command", "publish");
        const QByteArray tarball =
            makeTarball(name, version, "module.exports = '" + version.toUtf8() + "';\n");
        return request(m_network,
                       put,
                       "PUT",
                       publishBody(name, version, tarball, u"The "_s + name + u" package"_s))
            .status;
    }

    // Every answer a client depends on, one line each, without what names the server (its
    // port, in tarball URLs): per package its dist-tags, per version its integrity, shasum and
    // deprecation and the tarball's own SHA-512 and status, and what search finds.
    QStringList view(const QStringList &names)
    {
        QStringList lines;
        for (const QString &name : names) {
            const Answer packument = get(name);
            const QJsonObject document = QJsonDocument::fromJson(packument.body).object();
            lines.append(
                u"%1 status %2 dist-tags %3"_s.arg(name)
                    .arg(packument.status)
                    .arg(QString::fromUtf8(QJsonDocument(document.value(u"dist-tags"_s).toObject())
                                               .toJson(QJsonDocument::Compact))));
            const QJsonObject versions = document.value(u"versions"_s).toObject();
            for (auto it = versions.begin(); it != versions.end(); ++it) {
                const QJsonObject version = it.value().toObject();
                const QJsonObject dist = version.value(u"dist"_s).toObject();
                const Answer tarball = get(u"%1/-/%1-%2.tgz"_s.arg(name, it.key()));
                lines.append(
                    u"%1@%2 integrity %3 shasum %4 deprecated '%5' tarball %6 sha512-%7"_s
                        .arg(name,
                             it.key(),
                             dist.value(u"integrity"_s).toString(),
                             dist.value(u"shasum"_s).toString(),
                             version.value(u"deprecated"_s).toString())
                        .arg(tarball.status)
                        .arg(QString::fromLatin1(
                            QCryptographicHash::hash(tarball.body, QCryptographicHash::Sha512)
                                .toBase64())));
            }
        }
        const Answer search = get(u"-/v1/search?text=package"_s);
        QStringList found;
        const QJsonArray objects =
            QJsonDocument::fromJson(search.body).object().value(u"objects"_s).toArray();
        for (const QJsonValue &object : objects) {
            found.append(
                object.toObject().value(u"package"_s).toObject().value(u"name"_s).toString());
        }
        found.sort();
        lines.append(u"search status %1: %2"_s.arg(search.status).arg(found.join(u' ')));
        return lines;
    }

private:
    QNetworkRequest apiRequest(const QString &path) const
    {
        return PgSupport::apiRequest(m_port, m_projectId, path, m_token);
    }

    QNetworkAccessManager m_network;
    const quint16 m_port;
    const qint64 m_projectId;
    const QByteArray m_token;
};

const QStringList PackageNames = {u"widget"_s, u"gadget"_s};

// The relative paths of the files under `root`, with their contents' SHA-512. SQLite's
// -wal and -shm files are left out: any reader of a WAL database, even a read-only one, may
// create them; what matters is that the database file does not change.
QStringList filesUnder(const QString &root)
{
    QStringList files;
    QDirIterator it(root, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        if (path.endsWith(u"-wal"_s) || path.endsWith(u"-shm"_s)) {
            continue;
        }
        QFile file(path);
        const QByteArray bytes = file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
        files.append(QDir(root).relativeFilePath(path) + u' '
                     + QString::fromLatin1(
                         QCryptographicHash::hash(bytes, QCryptographicHash::Sha512).toHex()));
    }
    files.sort();
    return files;
}

} // namespace

class tst_StoreCopy : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();
    void copyToPostgresAndBack_data();
    void copyToPostgresAndBack();
    void nonEmptyTargetIsRefused();
    void badBlobFailsTheCopy_data();
    void badBlobFailsTheCopy();
    void usageErrors_data();
    void usageErrors();
    void passwordIsNeverShown();

private:
    QString newStore()
    {
        const QString schema = TestSupport::freshSchemaName();
        m_schemas.append(schema);
        return TestSupport::testStore() + u"?schema="_s + schema;
    }
    // Rows in `table` of the store in `schema` (0 when the table does not exist yet).
    static qint64 rowsIn(const QString &store, const QString &table)
    {
        const QString schema = QUrlQuery(QUrl(store)).queryItemValue(u"schema"_s);
        QSqlQuery count(TestSupport::adminConnection());
        if (!count.exec(u"SELECT count(*) FROM \"%1\".%2"_s.arg(schema, table)) || !count.next()) {
            return 0;
        }
        return count.value(0).toLongLong();
    }
    // A SQLite store in `data` made through the CLI and real publishes through `trove serve`:
    // two packages, three versions, a deprecation and a dist-tag.
    static bool makeSource(const QString &data, Source *source);

    QStringList m_schemas;
};

bool tst_StoreCopy::makeSource(const QString &data, Source *source)
{
    const QList<QStringList> steps = {
        {u"group"_s, u"create"_s, u"acme"_s, u"--visibility"_s, u"public"_s},
        {u"project"_s, u"create"_s, u"acme/web"_s, u"--visibility"_s, u"public"_s},
        {u"user"_s, u"create"_s, u"mia"_s},
        {u"member"_s, u"add"_s, u"--group"_s, u"acme"_s, u"mia"_s, u"maintainer"_s},
        {u"token"_s, u"create"_s, u"mia"_s},
        {u"forwarding"_s, u"set"_s, u"off"_s},
    };
    for (const QStringList &step : steps) {
        const Run run = trove(step + QStringList{u"--data"_s, data});
        if (run.exitCode != 0) {
            qWarning("%s: %s", qPrintable(step.join(u' ')), qPrintable(run.err));
            return false;
        }
        if (step.at(0) == u"project"_s) {
            source->projectId = run.out.trimmed().toLongLong();
        } else if (step.at(0) == u"token"_s) {
            source->token = run.out.trimmed().toUtf8();
        }
    }
    Server server;
    if (server.start({u"--data"_s, data}) == 0) {
        qWarning("%s", qPrintable(server.output()));
        return false;
    }
    Client client(server.port(), source->projectId, source->token);
    for (const auto &[name, version] : {std::pair{u"widget"_s, u"1.0.0"_s},
                                        std::pair{u"widget"_s, u"1.1.0"_s},
                                        std::pair{u"gadget"_s, u"0.1.0"_s}}) {
        if (const int status = client.publish(name, version); status != 200) {
            qWarning("publish %s@%s: %d", qPrintable(name), qPrintable(version), status);
            return false;
        }
    }
    const QList<QStringList> after = {
        {u"deprecate"_s, u"widget"_s, u"1.0.0"_s, u"use 1.1"_s, u"--project"_s, u"acme/web"_s},
        {u"tag"_s, u"set"_s, u"widget@1.0.0"_s, u"stable"_s, u"--project"_s, u"acme/web"_s},
    };
    for (const QStringList &step : after) {
        const Run run = trove(step + QStringList{u"--data"_s, data});
        if (run.exitCode != 0) {
            qWarning("%s: %s", qPrintable(step.join(u' ')), qPrintable(run.err));
            return false;
        }
    }
    source->view = client.view(PackageNames);
    return true;
}

void tst_StoreCopy::initTestCase()
{
    if (TestSupport::testStore().isEmpty()) {
        QSKIP("No PostgreSQL cluster (TROVE_TEST_STORE): tests/pg/cluster.sh run DIR -- …");
    }
    QVERIFY2(QFileInfo(TroveBinary).isExecutable(), qPrintable(TroveBinary));
}

void tst_StoreCopy::init()
{
    m_schemas.clear();
}

void tst_StoreCopy::cleanup()
{
    for (const QString &schema : std::as_const(m_schemas)) {
        TestSupport::dropSchema(schema);
    }
}

void tst_StoreCopy::copyToPostgresAndBack_data()
{
    QTest::addColumn<bool>("ownDataFolder");
    // The case: the PostgreSQL store keeps using the SQLite store's folder for blobs.
    QTest::newRow("blobs shared with the source") << false;
    QTest::newRow("blobs copied to --to-data") << true;
}

void tst_StoreCopy::copyToPostgresAndBack()
{
    QFETCH(bool, ownDataFolder);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString sqlite = QDir(dir.path()).filePath(u"sqlite"_s);
    Source source;
    QVERIFY(makeSource(sqlite, &source));
    QCOMPARE(source.view.size(), 1 + 2 + 1 + 1 + 1); // two packages, three versions, search
    QVERIFY2(source.view.last().endsWith(u": gadget widget"_s), qPrintable(source.view.last()));
    const QStringList sourceFiles = filesUnder(sqlite);

    const QString store = newStore();
    const QString pgData = ownDataFolder ? QDir(dir.path()).filePath(u"pg"_s) : sqlite;
    QStringList arguments{u"store"_s, u"copy"_s, u"--from"_s, sqlite, u"--to"_s, store};
    if (ownDataFolder) {
        arguments << u"--to-data"_s << pgData;
    }
    Run run = trove(arguments);
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    QVERIFY2(run.out.contains(u"Copied packages: 3 row(s)"_s), qPrintable(run.out));
    QVERIFY2(run.out.contains(u"and 3 blob(s)"_s), qPrintable(run.out));
    QVERIFY2(run.out.contains(ownDataFolder ? u"3 copied"_s : u"shared folder"_s),
             qPrintable(run.out));
    // The source was only read.
    QCOMPARE(filesUnder(sqlite), sourceFiles);
    QCOMPARE(rowsIn(store, u"packages"_s), qint64(3));
    QCOMPARE(rowsIn(store, u"dist_tags"_s), qint64(3));

    {
        Server server;
        QVERIFY2(server.start({u"--data"_s, pgData, u"--store"_s, store}) != 0,
                 qPrintable(server.output()));
        Client client(server.port(), source.projectId, source.token);
        QCOMPARE(client.view(PackageNames), source.view);
        // New rows take ids after the copied ones (the sequences were moved past them).
        QCOMPARE(client.publish(u"widget"_s, u"1.2.0"_s), 200);
        QCOMPARE(client.publish(u"doohickey"_s, u"1.0.0"_s), 200);
    }
    run = trove({u"user"_s, u"create"_s, u"noah"_s, u"--data"_s, pgData, u"--store"_s, store});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));

    // And back into a new SQLite folder: the same answers again, the new versions included.
    const QString back = QDir(dir.path()).filePath(u"back"_s);
    run = trove({u"store"_s,
                 u"copy"_s,
                 u"--from"_s,
                 store,
                 u"--from-data"_s,
                 pgData,
                 u"--to"_s,
                 back,
                 u"--json"_s});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    const QJsonObject report = QJsonDocument::fromJson(run.out.toUtf8()).object();
    QCOMPARE(report.value(u"blobs"_s).toInt(), 5);
    QCOMPARE(report.value(u"blobsCopied"_s).toInt(), 5);
    QCOMPARE(report.value(u"tables"_s).toObject().value(u"users"_s).toInt(), 2);
    QCOMPARE(report.value(u"tables"_s).toObject().value(u"packages"_s).toInt(), 5);
    QVERIFY2(!run.out.contains(u"Copied packages"_s), qPrintable(run.out)); // JSON only

    Server original;
    QVERIFY2(original.start({u"--data"_s, pgData, u"--store"_s, store}) != 0,
             qPrintable(original.output()));
    Server copy;
    QVERIFY2(copy.start({u"--data"_s, back}) != 0, qPrintable(copy.output()));
    const QStringList names = PackageNames + QStringList{u"doohickey"_s};
    const QStringList expected =
        Client(original.port(), source.projectId, source.token).view(names);
    QVERIFY2(expected.join(u'\n').contains(u"widget@1.2.0"_s), qPrintable(expected.join(u'\n')));
    Client client(copy.port(), source.projectId, source.token);
    QCOMPARE(client.view(names), expected);
    QCOMPARE(client.publish(u"widget"_s, u"1.3.0"_s), 200);
    run = trove({u"user"_s, u"list"_s, u"--data"_s, back});
    QVERIFY2(run.out.contains(u"noah"_s), qPrintable(run.out));
}

void tst_StoreCopy::nonEmptyTargetIsRefused()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString sqlite = QDir(dir.path()).filePath(u"sqlite"_s);
    Source source;
    QVERIFY(makeSource(sqlite, &source));
    const QString store = newStore();
    const QString pgData = QDir(dir.path()).filePath(u"pg"_s);
    Run run = trove(
        {u"store"_s, u"copy"_s, u"--from"_s, sqlite, u"--to"_s, store, u"--to-data"_s, pgData});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));

    // Another store, copied into the now non-empty one: refused, nothing changes.
    const QString other = QDir(dir.path()).filePath(u"other"_s);
    run = trove({u"user"_s, u"create"_s, u"zoe"_s, u"--data"_s, other});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    const auto state = [&] {
        const Run users =
            trove({u"user"_s, u"list"_s, u"--json"_s, u"--data"_s, pgData, u"--store"_s, store});
        return QStringList{users.out,
                           QString::number(rowsIn(store, u"packages"_s)),
                           QString::number(rowsIn(store, u"users"_s)),
                           filesUnder(pgData).join(u' ')};
    };
    const QStringList before = state();
    QVERIFY2(before.at(0).contains(u"mia"_s), qPrintable(before.at(0)));
    for (const QString &from : {other, sqlite}) {
        run = trove(
            {u"store"_s, u"copy"_s, u"--from"_s, from, u"--to"_s, store, u"--to-data"_s, pgData});
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.startsWith(u"trove store copy: The target "_s), qPrintable(run.err));
        QVERIFY2(run.err.contains(u"not empty"_s), qPrintable(run.err));
        QVERIFY2(run.err.contains(u"3 row(s) in packages"_s), qPrintable(run.err));
        QCOMPARE(run.err.count(u'\n'), 1);
        QCOMPARE(state(), before);
    }

    // The other way: the PostgreSQL store into the SQLite folder it came from.
    const QStringList sqliteFiles = filesUnder(sqlite);
    run = trove(
        {u"store"_s, u"copy"_s, u"--from"_s, store, u"--from-data"_s, pgData, u"--to"_s, sqlite});
    QCOMPARE(run.exitCode, 1);
    QVERIFY2(run.err.contains(u"not empty"_s), qPrintable(run.err));
    QCOMPARE(filesUnder(sqlite), sqliteFiles);

    // And a folder into itself.
    run = trove({u"store"_s, u"copy"_s, u"--from"_s, sqlite, u"--to"_s, sqlite});
    QCOMPARE(run.exitCode, 1);
    QVERIFY2(run.err.contains(u"the same store"_s), qPrintable(run.err));
}

void tst_StoreCopy::badBlobFailsTheCopy_data()
{
    QTest::addColumn<bool>("missing");
    QTest::addColumn<bool>("ownDataFolder");
    QTest::newRow("missing, blobs copied") << true << true;
    QTest::newRow("damaged, blobs copied") << false << true;
    QTest::newRow("damaged, blobs shared") << false << false;
}

void tst_StoreCopy::badBlobFailsTheCopy()
{
    QFETCH(bool, missing);
    QFETCH(bool, ownDataFolder);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString sqlite = QDir(dir.path()).filePath(u"sqlite"_s);
    Source source;
    QVERIFY(makeSource(sqlite, &source));

    // widget@1.1.0's tarball: its digest from the row, through the CLI.
    Run run = trove({u"package"_s,
                     u"show"_s,
                     u"widget"_s,
                     u"--project"_s,
                     u"acme/web"_s,
                     u"--json"_s,
                     u"--data"_s,
                     sqlite});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    QString integrity;
    const QJsonArray versions =
        QJsonDocument::fromJson(run.out.toUtf8()).object().value(u"versions"_s).toArray();
    for (const QJsonValue &version : versions) {
        if (version.toObject().value(u"version"_s).toString() == u"1.1.0"_s) {
            integrity = version.toObject().value(u"integrity"_s).toString();
        }
    }
    QVERIFY2(integrity.startsWith(u"sha512-"_s), qPrintable(run.out));
    const QString digest =
        QString::fromLatin1(QByteArray::fromBase64(integrity.mid(7).toLatin1()).toHex());
    const QString blob = QDir(sqlite).filePath(u"blobs/sha512/%1/%2"_s.arg(digest.left(2), digest));
    QVERIFY2(QFileInfo::exists(blob), qPrintable(blob));
    QByteArray published;
    {
        QFile file(blob);
        QVERIFY(file.open(QIODevice::ReadOnly));
        published = file.readAll();
    }
    if (missing) {
        QVERIFY(QFile::remove(blob));
    } else {
        // The same size, one byte changed: only the digest shows it.
        QFile file(blob);
        QVERIFY(file.open(QIODevice::ReadWrite));
        QByteArray bytes = file.readAll();
        bytes[bytes.size() / 2] = char(bytes.at(bytes.size() / 2) ^ 0x55);
        QVERIFY(file.seek(0));
        QCOMPARE(file.write(bytes), bytes.size());
    }

    const QString store = newStore();
    const QString pgData = QDir(dir.path()).filePath(u"pg"_s);
    QStringList arguments{u"store"_s, u"copy"_s, u"--from"_s, sqlite, u"--to"_s, store};
    if (ownDataFolder) {
        arguments << u"--to-data"_s << pgData;
    }
    run = trove(arguments);
    QCOMPARE(run.exitCode, 1);
    QVERIFY2(run.err.contains(u"widget@1.1.0"_s), qPrintable(run.err));
    QVERIFY2(run.err.contains(missing ? u"missing"_s : u"damaged"_s), qPrintable(run.err));
    QVERIFY2(run.err.contains(blob), qPrintable(run.err));
    // The target stays empty: no row, no blob.
    for (const QString &table : {u"users"_s, u"namespaces"_s, u"packages"_s}) {
        QCOMPARE(rowsIn(store, table), qint64(0));
    }
    QCOMPARE(filesUnder(QDir(pgData).filePath(u"blobs"_s)), QStringList());
    // Once repaired (the tarball put back as published), the copy goes through.
    if (missing) {
        QFile file(blob);
        QVERIFY(file.open(QIODevice::WriteOnly));
        QCOMPARE(file.write(published), published.size());
        file.close();
        run = trove(arguments);
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        QCOMPARE(rowsIn(store, u"packages"_s), qint64(3));
    }
}

void tst_StoreCopy::usageErrors_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("message");
    QTest::newRow("no --to") << QStringList{u"--from"_s, u"a"_s} << u"--from and --to"_s;
    QTest::newRow("no --from") << QStringList{u"--to"_s, u"a"_s} << u"--from and --to"_s;
    QTest::newRow("--to-data with a folder")
        << QStringList{u"--from"_s, u"a"_s, u"--to"_s, u"b"_s, u"--to-data"_s, u"c"_s}
        << u"--to-data goes with a PostgreSQL --to"_s;
    QTest::newRow("--from-data with a folder")
        << QStringList{u"--from"_s, u"a"_s, u"--to"_s, u"b"_s, u"--from-data"_s, u"c"_s}
        << u"--from-data goes with a PostgreSQL --from"_s;
}

void tst_StoreCopy::usageErrors()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, message);
    const Run run = trove(QStringList{u"store"_s, u"copy"_s} + arguments);
    QCOMPARE(run.exitCode, 2);
    QVERIFY2(run.err.contains(message), qPrintable(run.err));
    QVERIFY2(run.err.contains(u"trove store copy --from DIR|URL --to DIR|URL"_s),
             qPrintable(run.err));
    QCOMPARE(run.err.count(u'\n'), 1);
}

void tst_StoreCopy::passwordIsNeverShown()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString sqlite = QDir(dir.path()).filePath(u"sqlite"_s);
    Run run = trove({u"user"_s, u"create"_s, u"mia"_s, u"--data"_s, sqlite});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    const QString store = newStore();
    QUrl withPassword(store);
    withPassword.setPassword(u"s3cret-pw"_s);
    // The cluster trusts loopback: libpq never sends the password, the copy goes through.
    QString printed;
    run = trove({u"store"_s, u"copy"_s, u"--from"_s, sqlite, u"--to"_s, withPassword.toString()});
    printed += run.out + run.err;
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    QVERIFY2(run.out.contains(u"to "_s + store), qPrintable(run.out));
    // Refused the second time: the refusal names the store without the password either.
    run = trove({u"store"_s,
                 u"copy"_s,
                 u"--from"_s,
                 sqlite,
                 u"--to"_s,
                 withPassword.toString(),
                 u"--json"_s});
    printed += run.out + run.err;
    QCOMPARE(run.exitCode, 1);
    QVERIFY2(run.err.contains(store), qPrintable(run.err));
    // And back, from the URL with its password.
    const QString back = QDir(dir.path()).filePath(u"back"_s);
    run = trove({u"store"_s,
                 u"copy"_s,
                 u"--from"_s,
                 withPassword.toString(),
                 u"--from-data"_s,
                 sqlite,
                 u"--to"_s,
                 back,
                 u"--json"_s});
    printed += run.out + run.err;
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    QCOMPARE(QJsonDocument::fromJson(run.out.toUtf8()).object().value(u"from"_s).toString(), store);
    QVERIFY2(!printed.contains(u"s3cret-pw"_s), qPrintable(printed));
}

QTEST_GUILESS_MAIN(tst_StoreCopy)
#include "tst_storecopy.moc"
