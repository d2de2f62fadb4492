// SPDX-License-Identifier: GPL-3.0-or-later
// A hostile client on 127.0.0.1 against the real `trove serve`: several hundred generated
// requests that are each wrong in one way (HTTP framing, publish bodies, tarballs, tokens,
// dist-tags, deprecations). Every one must be refused with a 4xx whose JSON names an `error`
// (or, when not even the head can be read, a 4xx or a closed connection), be the only answer on
// its connection (a smuggled second request is never answered), leave the server answering, and
// leave the store as it was: every table, and every file under the data folder.

#include "servehelper.h"
#include "tests/tarballwriter.h"

#include <QCryptographicHash>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

#include <functional>

using namespace Qt::StringLiterals;

namespace {

const QString Trove = TestSupport::TroveBinary;
const QByteArray Package = "@acme/widget";
const QByteArray PackagePath = "@acme%2fwidget";

struct Reply
{
    int status = 0; // 0: no status line came back
    QByteArray headers;
    QByteArray body;
    QByteArray rest; // bytes after the first response: a second answer
};

// One request on a fresh connection from `from`, read until the server closes or `timeoutMs`.
Reply exchange(quint16 port,
               const QHostAddress &from,
               const QByteArray &request,
               int timeoutMs = 8000)
{
    QTcpSocket socket;
    socket.bind(from);
    socket.connectToHost(QHostAddress::LocalHost, port);
    Reply reply;
    if (!socket.waitForConnected(5000)) {
        return reply;
    }
    socket.write(request);
    QByteArray raw;
    QDeadlineTimer deadline(timeoutMs);
    while (!deadline.hasExpired()) {
        if (socket.bytesToWrite() > 0) {
            socket.waitForBytesWritten(50);
        }
        if (socket.waitForReadyRead(50)) {
            raw += socket.readAll();
            continue;
        }
        raw += socket.readAll();
        if (socket.state() != QAbstractSocket::ConnectedState) {
            break;
        }
    }
    raw += socket.readAll();
    const qsizetype end = raw.indexOf("\r\n\r\n");
    static const QRegularExpression statusLine(u"^HTTP/1\\.1 (\\d{3}) "_s);
    const QRegularExpressionMatch match = statusLine.match(QString::fromLatin1(raw.left(20)));
    if (end < 0 || !match.hasMatch()) {
        return reply;
    }
    reply.status = match.captured(1).toInt();
    reply.headers = raw.left(end);
    static const QRegularExpression lengthField(u"\r\ncontent-length: *(\\d+)"_s,
                                                QRegularExpression::CaseInsensitiveOption);
    const QRegularExpressionMatch length = lengthField.match(QString::fromLatin1(reply.headers));
    const qsizetype size = length.hasMatch() ? length.captured(1).toLongLong() : 0;
    reply.body = raw.mid(end + 4, size);
    reply.rest = raw.mid(end + 4 + size);
    return reply;
}

QByteArray sha1Hex(const QByteArray &data)
{
    return QCryptographicHash::hash(data, QCryptographicHash::Sha1).toHex();
}

QByteArray integrityOf(const QByteArray &data)
{
    return "sha512-" + QCryptographicHash::hash(data, QCryptographicHash::Sha512).toBase64();
}

using Entry = TestSupport::TarEntry;
using TestSupport::writeTarball;

QByteArray packageJson(const QByteArray &name, const QByteArray &version)
{
    return QJsonDocument(QJsonObject{{u"name"_s, QString::fromUtf8(name)},
                                     {u"version"_s, QString::fromUtf8(version)},
                                     {u"description"_s, u"A hostile test"_s},
                                     {u"main"_s, u"index.js"_s}})
        .toJson(QJsonDocument::Compact);
}

QByteArray goodTarball(const QByteArray &version)
{
    return writeTarball({{"package/package.json", packageJson(Package, version)},
                         {"package/index.js", "module.exports = 1;\n"}});
}

// The body `npm publish` sends for `version` with `tgz` as its tarball.
QJsonObject publishDocument(const QByteArray &version, const QByteArray &tgz)
{
    const QString v = QString::fromUtf8(version);
    const QString name = QString::fromUtf8(Package);
    const QJsonObject manifest{{u"name"_s, name},
                               {u"version"_s, v},
                               {u"description"_s, u"A hostile test"_s},
                               {u"main"_s, u"index.js"_s},
                               {u"_id"_s, QString(name + u'@' + v)},
                               {u"dist"_s,
                                QJsonObject{{u"shasum"_s, QString::fromLatin1(sha1Hex(tgz))},
                                            {u"integrity"_s, QString::fromLatin1(integrityOf(tgz))},
                                            {u"tarball"_s, u"http://127.0.0.1/ignored.tgz"_s}}}};
    return QJsonObject{{u"_id"_s, name},
                       {u"name"_s, name},
                       {u"description"_s, u"A hostile test"_s},
                       {u"dist-tags"_s, QJsonObject{{u"latest"_s, v}}},
                       {u"versions"_s, QJsonObject{{v, manifest}}},
                       {u"access"_s, QJsonValue()},
                       {u"_attachments"_s,
                        QJsonObject{{name + u'-' + v + u".tgz"_s,
                                     QJsonObject{{u"content_type"_s, u"application/octet-stream"_s},
                                                 {u"data"_s, QString::fromLatin1(tgz.toBase64())},
                                                 {u"length"_s, qint64(tgz.size())}}}}}};
}

QByteArray compact(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

// Edits the value at a dotted path ("versions.V.dist.shasum"; V is the row's version) of a copy.
QJsonObject edited(QJsonObject object,
                   const QStringList &path,
                   const std::function<void(QJsonObject &, const QString &)> &edit)
{
    if (path.size() == 1) {
        edit(object, path.first());
        return object;
    }
    QJsonObject inner = object.value(path.first()).toObject();
    inner = edited(inner, path.mid(1), edit);
    object.insert(path.first(), inner);
    return object;
}

QJsonObject withValue(const QJsonObject &object, const QString &dotted, const QJsonValue &value)
{
    return edited(object, dotted.split(u'.'), [&value](QJsonObject &o, const QString &key) {
        o.insert(key, value);
    });
}

QJsonObject without(const QJsonObject &object, const QString &dotted)
{
    return edited(
        object, dotted.split(u'.'), [](QJsonObject &o, const QString &key) { o.remove(key); });
}

QByteArray request(const QByteArray &method,
                   const QByteArray &target,
                   const QByteArray &body,
                   const QList<QByteArray> &headers)
{
    QByteArray text = method + ' ' + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
    for (const QByteArray &header : headers) {
        text += header + "\r\n";
    }
    text += "Content-Type: application/json\r\nContent-Length: " + QByteArray::number(body.size())
        + "\r\nConnection: close\r\n\r\n" + body;
    return text;
}

} // namespace

class tst_BadInput : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void refused_data();
    void refused();

private:
    QByteArray trove(const QStringList &arguments);
    QString snapshot();
    QByteArray publishUrl() const;
    QByteArray bearer(const QByteArray &token) const { return "Authorization: Bearer " + token; }
    QByteArray nextVersion() { return "2.0." + QByteArray::number(++m_versions); }

    void addRow(const QByteArray &family,
                const QByteArray &name,
                const QByteArray &bytes,
                bool mayClose = false);
    void framingRows();
    void publishRows();
    void tarballRows();
    void tokenRows();
    void distTagRows();
    void deprecationRows();

    QTemporaryDir m_dir;
    QString m_data;
    QProcess m_server;
    quint16 m_port = 0;
    qint64 m_projectId = 0;
    QByteArray m_maintainer;
    QByteArray m_developer;
    QByteArray m_reporter;
    QByteArray m_readApi;
    QByteArray m_revoked;
    QByteArray m_expired;
    QByteArray m_readDeploy;
    QByteArray m_writeDeploy;
    QByteArray m_finishedJob;
    QString m_snapshot;
    int m_versions = 0;
    int m_rows = 0;
    int m_sources = 0;
};

QByteArray tst_BadInput::trove(const QStringList &arguments)
{
    QProcess process;
    process.start(Trove, arguments + QStringList{u"--data"_s, m_data});
    process.waitForFinished(30000);
    if (process.exitCode() != 0) {
        qWarning() << arguments << process.readAllStandardError();
        return {};
    }
    return process.readAllStandardOutput().trimmed();
}

QByteArray tst_BadInput::publishUrl() const
{
    return "/api/v4/projects/" + QByteArray::number(m_projectId) + "/packages/npm/" + PackagePath;
}

// Every table (schema and rows) on a second, read-only connection, and every file under the data
// folder but the database's own with its size and SHA-256 (blobs and staging files).
// last_used_at is left out: a valid token's use is recorded (in batches) on purpose, refusal
// or not, and says nothing about what the request changed.
QString tst_BadInput::snapshot()
{
    QString out;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"snapshot"_s);
        db.setDatabaseName(QDir(m_data).filePath(u"trove.sqlite"_s));
        db.setConnectOptions(u"QSQLITE_OPEN_READONLY;QSQLITE_BUSY_TIMEOUT=5000"_s);
        if (!db.open()) {
            return u"cannot open: "_s + db.lastError().text();
        }
        QSqlQuery tables(db);
        tables.exec(u"SELECT name, sql FROM sqlite_master ORDER BY name"_s);
        QList<QString> names;
        while (tables.next()) {
            out += tables.value(0).toString() + u": "_s + tables.value(1).toString() + u'\n';
            if (tables.value(1).toString().startsWith(u"CREATE TABLE"_s)) {
                names += tables.value(0).toString();
            }
        }
        for (const QString &table : names) {
            QSqlQuery rows(db);
            if (!rows.exec(u"SELECT * FROM \"%1\" ORDER BY rowid"_s.arg(table))) {
                rows.exec(u"SELECT * FROM \"%1\""_s.arg(table));
            }
            while (rows.next()) {
                const QSqlRecord record = rows.record();
                out += table + u':';
                for (int i = 0; i < record.count(); ++i) {
                    if (record.fieldName(i) == u"last_used_at"_s) {
                        continue;
                    }
                    const QVariant value = rows.value(i);
                    out += u" %1=%2"_s.arg(record.fieldName(i),
                                           value.isNull() ? u"NULL"_s
                                               : value.typeId() == QMetaType::QByteArray
                                               ? QString::fromLatin1(value.toByteArray().toHex())
                                               : value.toString());
                }
                out += u'\n';
            }
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(u"snapshot"_s);
    QStringList files;
    QDirIterator it(
        m_data, QDir::Files | QDir::Hidden | QDir::System, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        const QString relative = QDir(m_data).relativeFilePath(path);
        if (relative.startsWith(u"trove.sqlite"_s)) {
            continue;
        }
        QFile file(path);
        file.open(QIODevice::ReadOnly);
        QCryptographicHash hash(QCryptographicHash::Sha256);
        hash.addData(&file);
        files += u"%1 %2 %3"_s.arg(relative)
                     .arg(file.size())
                     .arg(QString::fromLatin1(hash.result().toHex()));
    }
    files.sort();
    return out + files.join(u'\n');
}

void tst_BadInput::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_data = m_dir.path();
    QVERIFY(
        !trove({u"group"_s, u"create"_s, u"acme"_s, u"--visibility"_s, u"private"_s}).isEmpty());
    m_projectId = trove({u"project"_s, u"create"_s, u"acme/widgets"_s}).toLongLong();
    QVERIFY(m_projectId > 0);
    for (const auto &[user, role] : {std::pair{u"mia"_s, u"maintainer"_s},
                                     std::pair{u"dev"_s, u"developer"_s},
                                     std::pair{u"rex"_s, u"reporter"_s}}) {
        QVERIFY(!trove({u"user"_s, u"create"_s, user}).isEmpty());
        QVERIFY(!trove({u"member"_s, u"add"_s, u"--project"_s, u"acme/widgets"_s, user, role})
                     .isEmpty());
    }
    m_maintainer = trove({u"token"_s, u"create"_s, u"mia"_s});
    m_developer = trove({u"token"_s, u"create"_s, u"dev"_s});
    m_reporter = trove({u"token"_s, u"create"_s, u"rex"_s});
    m_readApi = trove({u"token"_s, u"create"_s, u"mia"_s, u"--scopes"_s, u"read_api"_s});
    m_revoked = trove({u"token"_s, u"create"_s, u"mia"_s, u"--name"_s, u"revoked"_s});
    m_expired = trove({u"token"_s,
                       u"create"_s,
                       u"mia"_s,
                       u"--expires"_s,
                       u"2099-01-01"_s,
                       u"--name"_s,
                       u"expired"_s});
    m_readDeploy = trove({u"deploy-token"_s,
                          u"create"_s,
                          u"--project"_s,
                          u"acme/widgets"_s,
                          u"--scopes"_s,
                          u"read_package_registry"_s});
    m_writeDeploy = trove({u"deploy-token"_s,
                           u"create"_s,
                           u"--project"_s,
                           u"acme/widgets"_s,
                           u"--scopes"_s,
                           u"read_package_registry,write_package_registry"_s});
    m_finishedJob = trove(
        {u"job-token"_s, u"create"_s, u"--project"_s, u"acme/widgets"_s, u"--user"_s, u"mia"_s});
    for (const QByteArray &token : {m_maintainer,
                                    m_developer,
                                    m_reporter,
                                    m_readApi,
                                    m_revoked,
                                    m_expired,
                                    m_readDeploy,
                                    m_writeDeploy,
                                    m_finishedJob}) {
        QVERIFY(!token.isEmpty());
    }
    QVERIFY(!trove({u"job-token"_s, u"finish"_s, QString::fromLatin1(m_finishedJob)}).isNull());
    // No verb revokes a token (the window does) or makes one that has expired (the date must be
    // in the future): set both in the table, as the window and the passing of time would.
    {
        QProcess sqlite;
        sqlite.start(u"sqlite3"_s,
                     {QDir(m_data).filePath(u"trove.sqlite"_s),
                      u"UPDATE personal_access_tokens SET revoked = 1 WHERE name = 'revoked';"
                      " UPDATE personal_access_tokens SET expires_at = '2001-01-01'"
                      " WHERE name = 'expired';"_s});
        QVERIFY(sqlite.waitForFinished(10000));
        QCOMPARE(sqlite.exitCode(), 0);
    }

    m_port =
        TestSupport::startServe(m_server, {u"--listen"_s, u"127.0.0.1:0"_s, u"--data"_s, m_data});
    QVERIFY2(m_port != 0, m_server.readAllStandardError().constData());

    // The control: the unmutated body publishes, so each row below fails for its one mutation.
    const QByteArray tgz = goodTarball("1.0.0");
    const Reply published = exchange(
        m_port,
        QHostAddress::LocalHost,
        request(
            "PUT", publishUrl(), compact(publishDocument("1.0.0", tgz)), {bearer(m_maintainer)}));
    QVERIFY2(published.status == 200, QByteArray(published.headers + published.body).constData());
    // The tokens are used once here, so that their first use is not recorded during a row.
    for (const QByteArray &token :
         {m_developer, m_reporter, m_readApi, m_readDeploy, m_writeDeploy}) {
        const Reply read = exchange(
            m_port, QHostAddress::LocalHost, request("GET", publishUrl(), {}, {bearer(token)}));
        QCOMPARE(read.status, 200);
    }
    m_snapshot = snapshot();
    QVERIFY(m_snapshot.contains(u"1.0.0"_s));
}

void tst_BadInput::cleanupTestCase()
{
    m_server.terminate();
    if (!m_server.waitForFinished(10000)) {
        m_server.kill();
        m_server.waitForFinished();
    }
    const QByteArray errors = m_server.readAllStandardError();
    // Crashes and Qt warnings of the server show in the test's log.
    if (!errors.isEmpty()) {
        qInfo().noquote() << "trove serve said:" << QString::fromUtf8(errors).left(4000);
    }
}

void tst_BadInput::addRow(const QByteArray &family,
                          const QByteArray &name,
                          const QByteArray &bytes,
                          bool mayClose)
{
    ++m_rows;
    // Each row comes from its own loopback address: the rows with dead tokens would otherwise
    // hit the per-address failure throttle and be answered 429 for a reason not their own.
    ++m_sources;
    const QHostAddress from(quint32((127u << 24) | (7u << 16) | quint32(m_sources)));
    QTest::addRow("%s: %s", family.constData(), name.constData())
        << bytes << mayClose << from.toString();
}

void tst_BadInput::refused_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<bool>("mayClose");
    QTest::addColumn<QString>("from");
    framingRows();
    publishRows();
    tarballRows();
    tokenRows();
    distTagRows();
    deprecationRows();
    qInfo("%d generated rows", m_rows);
}

void tst_BadInput::framingRows()
{
    const QByteArray ping = "/api/v4/packages/npm/-/ping";
    const QByteArray tail = "\r\nHost: 127.0.0.1\r\n\r\n";
    const QList<QByteArray> requestLines = {
        "GET",
        "GET /",
        "GET / HTTP/1.1 extra",
        "GET  " + ping + " HTTP/1.1",
        "GET " + ping + "  HTTP/1.1",
        "GET " + ping + " HTTP/1.1 ",
        " GET " + ping + " HTTP/1.1",
        "\tGET " + ping + " HTTP/1.1",
        "GET " + ping + " HTTP/2.0",
        "GET " + ping + " HTTP/1.2",
        "GET " + ping + " HTTP/3",
        "GET " + ping + " HTTP/1",
        "GET " + ping + " HTTP/01.1",
        "GET " + ping + " HTTP/1.10",
        "GET " + ping + " http/1.1",
        "GET " + ping + " HTTPS/1.1",
        "GET " + ping + " HTTP/1.1\t",
        "GET\t" + ping + "\tHTTP/1.1",
        "G(T " + ping + " HTTP/1.1",
        "GE\x7fT " + ping + " HTTP/1.1",
        QByteArray("G\0T ", 4) + ping + " HTTP/1.1",
        "GET " + ping + QByteArray("\0 HTTP/1.1", 10),
        "GET /api/v4/packages/npm/-/p\x01ng HTTP/1.1",
        "GET /api/v4/packages/npm/-/p ng HTTP/1.1",
        "GET /api/v4/packages/npm/-/p\xffng HTTP/1.1",
        "GET " + QByteArray(70 * 1024, 'a') + " HTTP/1.1",
        QByteArray(70 * 1024, 'G') + " / HTTP/1.1",
        " / HTTP/1.1",
        "/ HTTP/1.1",
        "GET ping HTTP/1.1",
        "GET ?a HTTP/1.1",
        "CONNECT 127.0.0.1:1 HTTP/1.1",
        "GET " + ping + " HTTP/1.1\rX",
        "\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03",
        "PRI * HTTP/2.0\r\n\r\nSM",
    };
    for (int i = 0; i < requestLines.size(); ++i) {
        addRow("framing", "request line " + QByteArray::number(i), requestLines.at(i) + tail, true);
    }

    const QByteArray get = "GET " + ping + " HTTP/1.1\r\n";
    const QList<QByteArray> headerBlocks = {
        "",
        "Host: a\r\nHost: b\r\n",
        "Host: a\r\nhost: a\r\n",
        "Host: a, b\r\n",
        "Host: a\r\nBad Header: x\r\n",
        "Host: a\r\n: empty name\r\n",
        "Host: a\r\nX-A : b\r\n",
        "Host: a\r\nX-A\t: b\r\n",
        "Host: a\r\nNo colon\r\n",
        "Host: a\r\nX@A: b\r\n",
        "Host: a\r\nX\"A: b\r\n",
        "Host: a\r\nX-A: b\r\n c\r\n",
        "Host: a\r\nX-A: b\r\n\tc\r\n",
        " Host: a\r\n",
        "Host: a\r\nX-A: b\x01c\r\n",
        "Host: a\r\nX-A: b\x7f\r\n",
        QByteArray("Host: a\r\nX-A: b\0c\r\n", 19),
        QByteArray("Host: a\r\nX-\0A: b\r\n", 18),
        "Host: a\r\nX-A: b\rc\r\n",
        "Host: a\r\nX-A: b\nc\r\n",
        "Host: a\nX-A: b\n",
        "Host: a\r\r\n",
        "Host: a\r\nX-A: " + QByteArray(70 * 1024, 'v') + "\r\n",
        "Host: a\r\n" + QByteArray("X-A: b\r\n").repeated(101),
        "Host: a\r\n" + QByteArray("X-Filler: " + QByteArray(2000, 'f') + "\r\n").repeated(40),
        "Host: a\r\n" + QByteArray(70 * 1024, 'n') + ": v\r\n",
        "Host: a b\r\n",
        "Host: a/b\r\n",
        "Host: a\r\nContent-Length: 0\r\nContent-Length: 0\r\n",
    };
    for (int i = 0; i < headerBlocks.size(); ++i) {
        addRow("framing",
               "header block " + QByteArray::number(i),
               get + headerBlocks.at(i) + "\r\n",
               true);
    }

    // Bodies with contradictory or malformed framing, each followed by a second request that a
    // lenient parser would take from inside the body (request smuggling). Only one answer may
    // come, and it must be a refusal.
    const QByteArray smuggled = "GET " + ping + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
    const QByteArray post = "POST " + ping + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
    const QList<QByteArray> lengths = {"-1",
                                       "+5",
                                       "0x5",
                                       "5 5",
                                       "5,5",
                                       "",
                                       " ",
                                       "1e3",
                                       "5.0",
                                       "99999999999999999999999",
                                       "18446744073709551616",
                                       "9223372036854775808",
                                       "5\x0b",
                                       "\xd9\xa5",
                                       "five",
                                       "05a"};
    for (const QByteArray &length : lengths) {
        addRow("framing",
               "Content-Length '" + length.toPercentEncoding() + "'",
               post + "Content-Length: " + length + "\r\n\r\nhello" + smuggled,
               true);
    }
    addRow("framing",
           "two different Content-Length",
           post + "Content-Length: 5\r\nContent-Length: 6\r\n\r\nhello" + smuggled,
           true);
    addRow("framing",
           "two equal Content-Length",
           post + "Content-Length: 5\r\nContent-Length: 5\r\n\r\nhello" + smuggled,
           true);
    const QByteArray chunkedSmuggle = "0\r\n\r\n" + smuggled;
    const QList<QByteArray> codings = {"gzip",
                                       "chunked, chunked",
                                       "gzip, chunked",
                                       "identity",
                                       "chunked;x=1",
                                       "xchunked",
                                       "chunked\x0b",
                                       "\"chunked\"",
                                       "chunked, gzip",
                                       "deflate",
                                       ""};
    for (const QByteArray &coding : codings) {
        addRow("framing",
               "Transfer-Encoding '" + coding.toPercentEncoding() + "'",
               post + "Transfer-Encoding: " + coding + "\r\n\r\n" + chunkedSmuggle,
               true);
    }
    addRow("framing",
           "CL.TE: Content-Length then chunked",
           post + "Content-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n" + chunkedSmuggle,
           true);
    addRow("framing",
           "TE.CL: chunked then Content-Length",
           post + "Transfer-Encoding: chunked\r\nContent-Length: 40\r\n\r\n" + chunkedSmuggle,
           true);
    addRow("framing",
           "two Transfer-Encoding",
           post + "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n"
               + chunkedSmuggle,
           true);
    addRow("framing",
           "Transfer-Encoding with obs-fold",
           post + "Transfer-Encoding:\r\n chunked\r\n\r\n" + chunkedSmuggle,
           true);
    addRow("framing",
           "Transfer-Encoding name with space",
           post + "Transfer-Encoding : chunked\r\n\r\n" + chunkedSmuggle,
           true);
    addRow("framing",
           "chunked on HTTP/1.0",
           "POST " + ping + " HTTP/1.0\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n"
               + chunkedSmuggle,
           true);

    const QByteArray chunked = post + "Transfer-Encoding: chunked\r\n\r\n";
    const QList<QByteArray> chunks = {
        "zz\r\nhello\r\n",
        "-5\r\nhello\r\n",
        "0x5\r\nhello\r\n",
        "+5\r\nhello\r\n",
        " 5\r\nhello\r\n",
        "5 5\r\nhello\r\n",
        "\r\nhello\r\n",
        "ffffffffffffffffffff\r\nhello\r\n",
        "8000000000000000\r\nhello\r\n",
        "5\nhello\r\n",
        "5\r\nhello\n",
        "5\r\nhelloXX\r\n",
        "3\r\nhello\r\n",
        "5\r\nhello",
        "5;" + QByteArray(1100, 'e') + "\r\nhello\r\n",
        "5;a=\x01\r\nhello\r\n",
        "5\rhello\r\n",
        "5\r\nhello\r\r\n",
        QByteArray("5\0\r\nhello\r\n", 11),
        "\xd9\xa5\r\nhello\r\n",
    };
    for (int i = 0; i < chunks.size(); ++i) {
        addRow("framing",
               "chunk " + QByteArray::number(i),
               chunked + chunks.at(i) + chunkedSmuggle,
               true);
    }
    addRow("framing",
           "trailer with obs-fold",
           chunked + "5\r\nhello\r\n0\r\nX-T: a\r\n b\r\n\r\n" + smuggled,
           true);
    addRow("framing",
           "oversize trailer",
           chunked + "5\r\nhello\r\n0\r\nX-T: " + QByteArray(20 * 1024, 't') + "\r\n\r\n"
               + smuggled,
           true);
    // Line endings and NUL bytes all through one request.
    const QByteArray clean = "GET " + ping + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: */*\r\n\r\n";
    for (const QByteArray &replacement : {QByteArray("\n"),
                                          QByteArray("\r"),
                                          QByteArray("\r\r\n"),
                                          QByteArray("\n\r"),
                                          QByteArray("\r\0\n", 3)}) {
        QByteArray bytes = clean;
        bytes.replace("\r\n", replacement);
        addRow("framing", "line ends '" + replacement.toPercentEncoding() + "'", bytes, true);
    }
    for (int i = 0; i < clean.size(); i += 9) {
        QByteArray bytes = clean;
        bytes.insert(i, '\0');
        if (i < 4 || i > clean.size() - 4) {
            continue; // before the request or after its end, a NUL is not inside this request
        }
        addRow("framing", "NUL at " + QByteArray::number(i), bytes, true);
    }
}

void tst_BadInput::publishRows()
{
    const auto add = [this](const QByteArray &name, const QByteArray &body) {
        addRow("publish", name, request("PUT", publishUrl(), body, {bearer(m_maintainer)}));
    };
    const auto addEdited =
        [&](const QByteArray &name,
            const std::function<QJsonObject(const QJsonObject &, const QString &)> &edit) {
            const QByteArray version = nextVersion();
            const QByteArray tgz = goodTarball(version);
            add(name, compact(edit(publishDocument(version, tgz), QString::fromLatin1(version))));
        };
    const QList<QPair<QByteArray, QJsonValue>> badValues = {
        {"null", QJsonValue()},
        {"number", 5},
        {"true", true},
        {"array", QJsonArray{u"x"_s}},
        {"object", QJsonObject{{u"a"_s, 1}}},
        {"empty string", u""_s},
    };
    // Fields whose every wrong type is refused.
    for (const QString &field : {u"name"_s, u"versions"_s, u"_attachments"_s, u"dist-tags"_s}) {
        addEdited("no " + field.toLatin1(),
                  [field](const QJsonObject &o, const QString &) { return without(o, field); });
        for (const auto &[what, value] : badValues) {
            if (field == u"versions"_s && what == "object") {
                continue; // a version "a" of 1: the version rows below
            }
            addEdited(field.toLatin1() + " is " + what,
                      [field, value](const QJsonObject &o, const QString &) {
                          return withValue(o, field, value);
                      });
        }
    }
    for (const QByteArray &name : {QByteArray("other"),
                                   QByteArray("@acme/other"),
                                   QByteArray("@acme/Widget"),
                                   QByteArray("@acme/widget "),
                                   QByteArray("@ACME/widget"),
                                   QByteArray("@acme%2fwidget"),
                                   QByteArray("@acme/widget\x01"),
                                   QByteArray("@acme/widget/x")}) {
        addEdited("name '" + name.toPercentEncoding() + "'",
                  [name](const QJsonObject &o, const QString &) {
                      return withValue(o, u"name"_s, QString::fromUtf8(name));
                  });
    }
    // The manifest: each field npm sends, with a wrong type or value.
    const QList<QPair<QString, QJsonValue>> manifestValues = {
        {u"name"_s, 5},
        {u"name"_s, u"@acme/other"_s},
        {u"name"_s, QJsonValue()},
        {u"version"_s, 5},
        {u"version"_s, u"9.9.9"_s},
        {u"version"_s, QJsonValue()},
        {u"version"_s, u"v1"_s},
        {u"dist"_s, u"x"_s},
        {u"dist"_s, QJsonArray()},
        {u"dist"_s, QJsonValue()},
        {u"dist.shasum"_s, 5},
        {u"dist.shasum"_s, u"0000000000000000000000000000000000000000"_s},
        {u"dist.shasum"_s, u"xyz"_s},
        {u"dist.shasum"_s, u""_s},
        {u"dist.integrity"_s, 5},
        {u"dist.integrity"_s, u"sha512-AAAA"_s},
        {u"dist.integrity"_s, u"sha512-!!!!"_s},
        {u"dist.integrity"_s, QString::fromLatin1(integrityOf("other"))},
        {u"dist.tarball"_s, 5},
        {u"dist.tarball"_s, QJsonArray()},
        {u"dependencies"_s, QJsonArray{u"a"_s}},
        {u"dependencies"_s, u"a"_s},
        {u"dependencies"_s, QJsonObject{{u"a"_s, 1}}},
        {u"devDependencies"_s, u"a"_s},
        {u"peerDependencies"_s, 5},
        {u"optionalDependencies"_s, QJsonArray()},
        {u"bundleDependencies"_s, 5},
        {u"bin"_s, 5},
        {u"bin"_s, QJsonObject{{u"x"_s, 1}}},
        {u"scripts"_s, QJsonArray()},
        {u"scripts"_s, QJsonObject{{u"test"_s, 1}}},
        {u"engines"_s, u"node"_s},
        {u"description"_s, 5},
        {u"keywords"_s, 5},
        {u"keywords"_s, QJsonArray{1}},
        {u"main"_s, 5},
        {u"deprecated"_s, 5},
        {u"license"_s, 5},
        {u"homepage"_s, 5},
        {u"os"_s, u"linux"_s},
        {u"cpu"_s, 5},
        {u"files"_s, u"x"_s},
        {u"directories"_s, 5},
        {u"gitHead"_s, 5},
        {u"_id"_s, 5},
        {u"repository"_s, 5},
        {u"author"_s, 5},
        {u"bugs"_s, 5},
        {u"funding"_s, 5},
        {u"types"_s, 5},
    };
    for (const auto &[field, value] : manifestValues) {
        addEdited("versions.V." + field.toLatin1() + " = "
                      + QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact),
                  [field, value](const QJsonObject &o, const QString &v) {
                      return withValue(o, u"versions."_s + v + u'.' + field, value);
                  });
    }
    for (const QString &field : {u"name"_s, u"version"_s, u"dist"_s, u"dist.shasum"_s}) {
        addEdited("versions.V without " + field.toLatin1(),
                  [field](const QJsonObject &o, const QString &v) {
                      return without(o, u"versions."_s + v + u'.' + field);
                  });
    }
    for (const QString &key :
         {u"1.0"_s, u"v2.0.999"_s, u"02.0.999"_s, u""_s, u"2.0.999 "_s, u"1.0.0"_s, u"x"_s}) {
        addEdited("version key '" + key.toLatin1() + "'",
                  [key](const QJsonObject &o, const QString &v) {
                      QJsonObject versions = o.value(u"versions"_s).toObject();
                      QJsonObject manifest = versions.take(v).toObject();
                      manifest.insert(u"version"_s, key);
                      versions.insert(key, manifest);
                      return withValue(o, u"versions"_s, versions);
                  });
    }
    addEdited("two versions", [](const QJsonObject &o, const QString &v) {
        QJsonObject versions = o.value(u"versions"_s).toObject();
        QJsonObject second = versions.value(v).toObject();
        second.insert(u"version"_s, u"3.0.0"_s);
        versions.insert(u"3.0.0"_s, second);
        return withValue(o, u"versions"_s, versions);
    });
    addEdited("manifest is a string", [](const QJsonObject &o, const QString &v) {
        return withValue(o, u"versions"_s, QJsonObject{{v, u"x"_s}});
    });
    addEdited("manifest is an array", [](const QJsonObject &o, const QString &v) {
        return withValue(o, u"versions"_s, QJsonObject{{v, QJsonArray()}});
    });
    // dist-tags.
    const QList<QPair<QByteArray, QJsonValue>> tags = {
        {"latest names a missing version", QJsonObject{{u"latest"_s, u"9.9.9"_s}}},
        {"latest is a number", QJsonObject{{u"latest"_s, 5}}},
        {"latest is null", QJsonObject{{u"latest"_s, QJsonValue()}}},
        {"empty tag name", QJsonObject{{u""_s, u"V"_s}}},
        {"tag named like a version", QJsonObject{{u"1.0.0"_s, u"V"_s}}},
        {"tag named like a range", QJsonObject{{u"^1.0.0"_s, u"V"_s}}},
        {"tag with a space", QJsonObject{{u"la test"_s, u"V"_s}}},
        {"tag with a slash", QJsonObject{{u"a/b"_s, u"V"_s}}},
        {"tag with a percent", QJsonObject{{u"a%2f"_s, u"V"_s}}},
        {"tag with a control character", QJsonObject{{u"a\u0001"_s, u"V"_s}}},
        {"tags name no version", QJsonObject{{u"next"_s, u"9.9.9"_s}}},
        {"empty tag object", QJsonObject()},
    };
    for (const auto &[what, value] : tags) {
        addEdited("dist-tags: " + what, [value](const QJsonObject &o, const QString &v) {
            QJsonObject tagObject = value.toObject();
            for (auto it = tagObject.begin(); it != tagObject.end(); ++it) {
                if (it.value() == u"V"_s) {
                    it.value() = v;
                }
            }
            return withValue(o, u"dist-tags"_s, tagObject);
        });
    }
    // _attachments.
    const auto attachment = [](const QJsonObject &o) {
        return o.value(u"_attachments"_s).toObject().begin().value().toObject();
    };
    const auto withAttachment = [](const QJsonObject &o, const QJsonObject &a) {
        QJsonObject attachments = o.value(u"_attachments"_s).toObject();
        attachments.insert(attachments.begin().key(), a);
        return withValue(o, u"_attachments"_s, attachments);
    };
    const QList<QPair<QByteArray, QJsonValue>> attachmentValues = {
        {"length -1", -1},
        {"length 0", 0},
        {"length 1", 1},
        {"length 2^70", 1180591620717411303424.0},
        {"length '123'", u"123"_s},
        {"length 1.5", 1.5},
        {"length null", QJsonValue()},
        {"data null", QJsonValue()},
        {"data 5", 5},
        {"data ''", u""_s},
        {"data '!!!!'", u"!!!!"_s},
        {"data base64 with a hole", u"H4sI AAAA"_s},
        {"data base64 of not gzip",
         QString::fromLatin1(QByteArray("not a tarball at all").toBase64())},
        {"data base64 url-safe alphabet", u"H4sI-_-_"_s},
        {"data base64 cut mid-quantum", u"H4sIAAA"_s},
        {"content_type 5", 5},
    };
    for (const auto &[what, value] : attachmentValues) {
        addEdited("_attachments: " + what, [&, what, value](const QJsonObject &o, const QString &) {
            QJsonObject a = attachment(o);
            const QByteArray field = what.split(' ').first();
            if (what.startsWith("length ") && value.isDouble() && value.toDouble() == 1) {
                a.insert(u"length"_s, a.value(u"length"_s).toInteger() + 1);
            } else {
                a.insert(QString::fromLatin1(field), value);
            }
            return withAttachment(o, a);
        });
    }
    addEdited("_attachments: no data", [&](const QJsonObject &o, const QString &) {
        QJsonObject a = attachment(o);
        a.remove(u"data"_s);
        return withAttachment(o, a);
    });
    addEdited("_attachments: the entry is a string", [&](const QJsonObject &o, const QString &) {
        QJsonObject attachments = o.value(u"_attachments"_s).toObject();
        attachments.insert(attachments.begin().key(), u"x"_s);
        return withValue(o, u"_attachments"_s, attachments);
    });
    addEdited("_attachments: a second one", [&](const QJsonObject &o, const QString &) {
        QJsonObject attachments = o.value(u"_attachments"_s).toObject();
        attachments.insert(u"@acme/widget-3.0.0.tgz"_s, attachments.begin().value());
        return withValue(o, u"_attachments"_s, attachments);
    });
    addEdited(
        "_attachments: named for another version", [&](const QJsonObject &o, const QString &) {
            QJsonObject attachments = o.value(u"_attachments"_s).toObject();
            const QJsonValue a = attachments.begin().value();
            return withValue(o, u"_attachments"_s, QJsonObject{{u"@acme/widget-9.9.9.tgz"_s, a}});
        });
    addEdited("_attachments: named for another package",
              [&](const QJsonObject &o, const QString &v) {
                  QJsonObject attachments = o.value(u"_attachments"_s).toObject();
                  const QJsonValue a = attachments.begin().value();
                  return withValue(
                      o, u"_attachments"_s, QJsonObject{{u"@acme/other-"_s + v + u".tgz"_s, a}});
              });
    addEdited(
        "_attachments: tarball of another version", [&](const QJsonObject &o, const QString &v) {
            // The hashes match the bytes, the bytes are another version's tarball.
            const QByteArray tgz = goodTarball("1.0.0");
            QJsonObject manifest = o.value(u"versions"_s).toObject().value(v).toObject();
            manifest.insert(u"dist"_s,
                            QJsonObject{{u"shasum"_s, QString::fromLatin1(sha1Hex(tgz))},
                                        {u"integrity"_s, QString::fromLatin1(integrityOf(tgz))}});
            QJsonObject a = attachment(o);
            a.insert(u"data"_s, QString::fromLatin1(tgz.toBase64()));
            a.insert(u"length"_s, qint64(tgz.size()));
            return withValue(withAttachment(o, a), u"versions"_s, QJsonObject{{v, manifest}});
        });

    // JSON that is not JSON, or not the JSON it should be.
    {
        const QByteArray version = nextVersion();
        const QByteArray good = compact(publishDocument(version, goodTarball(version)));
        const QList<QPair<QByteArray, QByteArray>> texts = {
            {"truncated", good.left(good.size() / 2)},
            {"truncated by one", good.chopped(1)},
            {"trailing comma", good.chopped(1) + ",}"},
            {"trailing garbage", good + "x"},
            {"second document", good + "{}"},
            {"single quotes", QByteArray(good).replace('"', '\'')},
            {"unquoted keys", QByteArray(good).replace("\"name\"", "name")},
            {"NaN", good.chopped(1) + ",\"x\":NaN}"},
            {"comment", "/* c */" + good},
            {"empty body", ""},
            {"whitespace only", "   \n"},
            {"top-level array", "[" + good + "]"},
            {"top-level null", "null"},
            {"top-level string", "\"x\""},
            {"top-level number", "1"},
            {"raw control character in a string",
             QByteArray(good).replace("A hostile test", "A \x01 test")},
            {"invalid UTF-8 in a string",
             QByteArray(good).replace("A hostile test", "A \xc3\x28 test")},
            {"overlong UTF-8", QByteArray(good).replace("A hostile test", "A \xc0\xaf test")},
            {"lone surrogate escape", QByteArray(good).replace("A hostile test", "A \\ud800 test")},
            {"bad escape", QByteArray(good).replace("A hostile test", "A \\x41 test")},
            {"NUL byte", QByteArray(good).replace("A hostile test", QByteArray("A \0 test", 8))},
            {"UTF-16",
             QByteArray(reinterpret_cast<const char *>(QString::fromUtf8(good).utf16()),
                        good.size() * 2)},
        };
        for (const auto &[what, text] : texts) {
            add("JSON: " + what, text);
        }
        // Deep nesting, in an ignored field and in the manifest.
        for (const int depth : {600, 5000, 100000}) {
            const QByteArray deep =
                QByteArray("[").repeated(depth) + QByteArray("]").repeated(depth);
            add("JSON: nested " + QByteArray::number(depth) + " deep at top level",
                good.chopped(1) + ",\"deep\":" + deep + "}");
            QByteArray inManifest = good;
            inManifest.replace(
                "\"main\":\"index.js\"",
                QByteArray("\"main\":\"index.js\",\"deep\":" + QByteArray("{\"a\":").repeated(depth)
                           + "1" + QByteArray("}").repeated(depth)));
            add("JSON: nested " + QByteArray::number(depth) + " deep in the manifest", inManifest);
        }
        // Duplicate keys: a second value that differs from the first.
        QByteArray duplicateName = good;
        duplicateName.replace("{\"_attachments\"", "{\"name\":\"@acme/other\",\"_attachments\"");
        add("JSON: duplicate name", duplicateName.chopped(1) + ",\"name\":\"@acme/other\"}");
        add("JSON: duplicate versions", good.chopped(1) + ",\"versions\":{}}");
        add("JSON: duplicate _attachments", good.chopped(1) + ",\"_attachments\":{}}");
        add("JSON: duplicate dist-tags",
            good.chopped(1) + ",\"dist-tags\":{\"latest\":\"9.9.9\"}}");
        QByteArray duplicateVersion = good;
        duplicateVersion.replace(
            QByteArray("\"version\":\"" + version + "\""),
            QByteArray("\"version\":\"" + version + "\",\"version\":\"9.9.9\""));
        add("JSON: duplicate manifest version", duplicateVersion);
        QByteArray duplicateData = good;
        duplicateData.replace("\"content_type\"", "\"data\":\"!!!!\",\"content_type\"");
        add("JSON: duplicate attachment data", duplicateData);
    }
    // A body that says less than its Content-Length would be a stall, not a refusal; a body
    // with more than it says is a second request (the rest is refused as a request line).
    {
        const QByteArray version = nextVersion();
        const QByteArray good = compact(publishDocument(version, goodTarball(version)));
        QByteArray bytes = request("PUT", publishUrl(), good, {bearer(m_maintainer)});
        bytes.replace(QByteArray("Content-Length: " + QByteArray::number(good.size())),
                      QByteArray("Content-Length: " + QByteArray::number(good.size() - 10)));
        addRow("publish", "Content-Length short by 10", bytes);
    }
}

void tst_BadInput::tarballRows()
{
    const auto add = [this](const QByteArray &name,
                            const std::function<QByteArray(const QByteArray &)> &make) {
        const QByteArray version = nextVersion();
        const QByteArray tgz = make(version);
        addRow("tarball",
               name,
               request("PUT",
                       publishUrl(),
                       compact(publishDocument(version, tgz)),
                       {bearer(m_maintainer)}));
    };
    const auto json = [](const QByteArray &version) { return packageJson(Package, version); };
    const auto withEntries = [&](const QList<Entry> &extra) {
        return [&json, extra](const QByteArray &version) {
            QList<Entry> entries{{"package/package.json", json(version)}};
            entries += extra;
            return writeTarball(entries);
        };
    };
    add("two package/package.json", [&](const QByteArray &v) {
        return writeTarball({{"package/package.json", json(v)},
                             {"package/package.json", packageJson("@acme/evil", v)}});
    });
    add("package.json then a second of another name", [&](const QByteArray &v) {
        return writeTarball({{"package/package.json", json(v)},
                             {"other/package.json", packageJson("@acme/evil", v)}});
    });
    const QList<QPair<QByteArray, QList<Entry>>> extras = {
        {"../ escape", {{"package/../../etc/x", "x"}}},
        {"../ at the start", {{"../x", "x"}}},
        {"absolute path", {{"/tmp/x", "x"}}},
        {"empty component", {{"package//x", "x"}}},
        {"dot component", {{"package/./x", "x"}}},
        {"second top folder", {{"other/x", "x"}}},
        {"file at the top", {{"x", "x"}}},
        {"symlink out", {{"package/link", {}, AE_IFLNK, "/etc/passwd"}}},
        {"symlink up", {{"package/link", {}, AE_IFLNK, "../../x"}}},
        {"symlink inside", {{"package/link", {}, AE_IFLNK, "index.js"}}},
        {"hardlink",
         {{"package/index.js", "x"}, {"package/hard", {}, AE_IFREG, "package/index.js"}}},
        {"hardlink out", {{"package/hard", {}, AE_IFREG, "/etc/passwd"}}},
        {"character device", {{"package/dev", {}, AE_IFCHR}}},
        {"block device", {{"package/blk", {}, AE_IFBLK}}},
        {"fifo", {{"package/fifo", {}, AE_IFIFO}}},
        {"backslash path", {{"package\\..\\..\\x", "x"}}},
        {"control character in a path", {{"package/a\x01", "x"}}},
    };
    for (const auto &[what, entries] : extras) {
        add(what, withEntries(entries));
    }
    add("no package.json", [](const QByteArray &) {
        return writeTarball({{"package/index.js", "x"}});
    });
    add("package.json at the top", [&](const QByteArray &v) {
        return writeTarball({{"package.json", json(v)}});
    });
    add("package.json is a folder", [](const QByteArray &) {
        return writeTarball({{"package/package.json", {}, AE_IFDIR}, {"package/index.js", "x"}});
    });
    add("package.json of another name", [](const QByteArray &v) {
        return writeTarball({{"package/package.json", packageJson("@acme/other", v)}});
    });
    add("package.json of another version", [](const QByteArray &) {
        return writeTarball({{"package/package.json", packageJson(Package, "9.9.9")}});
    });
    add("package.json not JSON", [](const QByteArray &) {
        return writeTarball({{"package/package.json", "{name:"}});
    });
    add("package.json without a version", [](const QByteArray &) {
        return writeTarball({{"package/package.json", "{\"name\":\"@acme/widget\"}"}});
    });
    add("package.json name is a number", [](const QByteArray &v) {
        return writeTarball({{"package/package.json", "{\"name\":5,\"version\":\"" + v + "\"}"}});
    });
    add("not gzip: plain tar", [&](const QByteArray &v) {
        return writeTarball({{"package/package.json", json(v)}}, ARCHIVE_FILTER_NONE);
    });
    add("bzip2", [&](const QByteArray &v) {
        return writeTarball({{"package/package.json", json(v)}}, ARCHIVE_FILTER_BZIP2);
    });
    add("xz", [&](const QByteArray &v) {
        return writeTarball({{"package/package.json", json(v)}}, ARCHIVE_FILTER_XZ);
    });
    add("gzip of garbage", [](const QByteArray &) { return qCompress("garbage").mid(4); });
    add("truncated to half", [&](const QByteArray &v) {
        const QByteArray whole = goodTarball(v);
        return whole.left(whole.size() / 2);
    });
    add("truncated by 8 bytes", [&](const QByteArray &v) { return goodTarball(v).chopped(8); });
    add("gzip header only", [](const QByteArray &) {
        return QByteArray("\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03", 10);
    });
    add("empty", [](const QByteArray &) { return QByteArray(); });
    add("a zip file", [](const QByteArray &) -> QByteArray {
        return QByteArray("PK\x03\x04\x14\x00\x00\x00", 8) + QByteArray(100, 'z');
    });
}

void tst_BadInput::tokenRows()
{
    const auto publishWith = [this](const QByteArray &name,
                                    const QList<QByteArray> &headers,
                                    const QByteArray &query = {}) {
        const QByteArray version = nextVersion();
        addRow("token",
               name,
               request("PUT",
                       publishUrl() + query,
                       compact(publishDocument(version, goodTarball(version))),
                       headers));
    };
    const QByteArray secret = m_maintainer.mid(m_maintainer.indexOf('-') + 1);
    publishWith("anonymous", {});
    publishWith("Bearer without a token", {"Authorization: Bearer"});
    publishWith("Bearer and a space", {"Authorization: Bearer "});
    publishWith("prefix only", {bearer("tpat-")});
    publishWith("garbage", {bearer("garbage")});
    publishWith("well-formed unknown", {bearer("tpat-" + QByteArray(secret.size(), 'x'))});
    publishWith("one character more", {bearer(m_maintainer + "x")});
    publishWith("one character less", {bearer(m_maintainer.chopped(1))});
    publishWith("upper case", {bearer(m_maintainer.toUpper())});
    publishWith("wrong prefix tdt-", {bearer("tdt-" + secret)});
    publishWith("wrong prefix tjob-", {bearer("tjob-" + secret)});
    publishWith("no prefix", {bearer(secret)});
    publishWith("two tokens in one", {bearer(m_maintainer + " " + m_maintainer)});
    publishWith("revoked", {bearer(m_revoked)});
    publishWith("expired", {bearer(m_expired)});
    publishWith("finished job", {bearer(m_finishedJob)});
    publishWith("finished job as Job-Token", {"Job-Token: " + m_finishedJob});
    publishWith("Basic with a personal token",
                {"Authorization: Basic " + QByteArray("mia:" + m_maintainer).toBase64()});
    publishWith("Basic with a job token",
                {"Authorization: Basic " + QByteArray("x:" + m_finishedJob).toBase64()});
    publishWith("Basic without a colon", {"Authorization: Basic " + m_writeDeploy.toBase64()});
    publishWith("Basic not base64", {"Authorization: Basic !!!!"});
    publishWith("Basic empty", {"Authorization: Basic "});
    publishWith("another scheme", {"Authorization: Token " + m_maintainer});
    publishWith("Private-Token unknown", {"Private-Token: tpat-nope"});
    publishWith("Deploy-Token unknown", {"Deploy-Token: tdt-nope"});
    publishWith("Job-Token unknown", {"Job-Token: tjob-nope"});
    publishWith("private_token unknown", {}, "?private_token=tpat-nope");
    publishWith("job_token unknown", {}, "?job_token=tjob-nope");
    publishWith("reporter", {bearer(m_reporter)});
    publishWith("read_api scope", {bearer(m_readApi)});
    publishWith("read-only deploy token", {bearer(m_readDeploy)});
    publishWith("read-only deploy token as Basic",
                {"Authorization: Basic " + QByteArray("x:" + m_readDeploy).toBase64()});
    // Anonymous writes on every write route.
    const QByteArray prefix =
        "/api/v4/projects/" + QByteArray::number(m_projectId) + "/packages/npm/";
    addRow(
        "token",
        "anonymous dist-tag PUT",
        request("PUT", prefix + "-/package/" + PackagePath + "/dist-tags/beta", "\"1.0.0\"", {}));
    addRow("token",
           "anonymous dist-tag DELETE",
           request("DELETE", prefix + "-/package/" + PackagePath + "/dist-tags/latest", {}, {}));
    addRow("token",
           "anonymous deprecate",
           request("PUT",
                   publishUrl(),
                   "{\"versions\":{\"1.0.0\":{\"deprecated\":\"x\"}}}",
                   {"Npm-Command: deprecate"}));
    addRow("token", "anonymous unpublish", request("DELETE", publishUrl() + "/-rev/1", {}, {}));
    addRow("token",
           "anonymous tarball unpublish",
           request("DELETE", publishUrl() + "/-/widget-1.0.0.tgz/-rev/1", {}, {}));
    addRow("token",
           "reporter unpublish",
           request("DELETE", publishUrl() + "/-rev/1", {}, {bearer(m_reporter)}));
    addRow("token",
           "developer unpublish",
           request("DELETE", publishUrl() + "/-rev/1", {}, {bearer(m_developer)}));
    addRow("token",
           "revoked unpublish",
           request("DELETE", publishUrl() + "/-rev/1", {}, {bearer(m_revoked)}));
    addRow("token",
           "expired dist-tag DELETE",
           request("DELETE",
                   prefix + "-/package/" + PackagePath + "/dist-tags/latest",
                   {},
                   {bearer(m_expired)}));
}

void tst_BadInput::distTagRows()
{
    const QByteArray prefix = "/api/v4/projects/" + QByteArray::number(m_projectId)
        + "/packages/npm/-/package/" + PackagePath + "/dist-tags/";
    for (const QByteArray &tag : {QByteArray("1.0.0"),
                                  QByteArray("v1.0.0"),
                                  QByteArray("%5E1.0.0"),
                                  QByteArray("1.x"),
                                  QByteArray("*"),
                                  QByteArray("%3E%3D1"),
                                  QByteArray("~1"),
                                  QByteArray("1"),
                                  QByteArray("1.0.0-rc.1"),
                                  QByteArray("%20"),
                                  QByteArray("a%20b"),
                                  QByteArray("%2e%2e"),
                                  QByteArray("a%2Fb"),
                                  QByteArray("a%00"),
                                  QByteArray("a%0a"),
                                  QByteArray("%ff"),
                                  QByteArray("x").repeated(300)}) {
        addRow("dist-tag",
               "tag '" + tag.left(40) + "'",
               request("PUT", prefix + tag, "\"1.0.0\"", {bearer(m_maintainer)}));
    }
    addRow("dist-tag", "no tag", request("PUT", prefix, "\"1.0.0\"", {bearer(m_maintainer)}));
    for (const QByteArray &body : {QByteArray("1.0.0"),
                                   QByteArray("\"9.9.9\""),
                                   QByteArray("1"),
                                   QByteArray("null"),
                                   QByteArray("[\"1.0.0\"]"),
                                   QByteArray("{\"version\":\"1.0.0\"}"),
                                   QByteArray(""),
                                   QByteArray("\"\""),
                                   QByteArray("\"not-semver\""),
                                   QByteArray("\"1.0.0"),
                                   QByteArray("\"1.0.0\" \"1.0.0\""),
                                   QByteArray("\"^1.0.0\""),
                                   QByteArray("true"),
                                   QByteArray("\"1.0.0\\u0000\"")}) {
        addRow("dist-tag",
               "body '" + body.toPercentEncoding() + "'",
               request("PUT", prefix + "beta", body, {bearer(m_maintainer)}));
    }
    addRow("dist-tag",
           "reporter adds",
           request("PUT", prefix + "beta", "\"1.0.0\"", {bearer(m_reporter)}));
    addRow("dist-tag",
           "developer removes",
           request("DELETE", prefix + "latest", {}, {bearer(m_developer)}));
    addRow("dist-tag",
           "missing tag removed",
           request("DELETE", prefix + "nothing", {}, {bearer(m_maintainer)}));
    addRow("dist-tag",
           "unknown package",
           request("PUT",
                   "/api/v4/projects/" + QByteArray::number(m_projectId)
                       + "/packages/npm/-/package/@acme%2fnone/dist-tags/beta",
                   "\"1.0.0\"",
                   {bearer(m_maintainer)}));
}

void tst_BadInput::deprecationRows()
{
    const auto add =
        [this](const QByteArray &name, const QByteArray &body, const QByteArray &token) {
            addRow("deprecate",
                   name,
                   request("PUT", publishUrl(), body, {bearer(token), "Npm-Command: deprecate"}));
        };
    const QList<QPair<QByteArray, QByteArray>> bodies = {
        {"empty object", "{}"},
        {"name only", "{\"name\":\"@acme/widget\"}"},
        {"versions empty", "{\"name\":\"@acme/widget\",\"versions\":{}}"},
        {"versions an array", "{\"name\":\"@acme/widget\",\"versions\":[]}"},
        {"versions a string", "{\"name\":\"@acme/widget\",\"versions\":\"1.0.0\"}"},
        {"versions null", "{\"name\":\"@acme/widget\",\"versions\":null}"},
        {"deprecated a number",
         "{\"name\":\"@acme/widget\",\"versions\":{\"1.0.0\":{\"deprecated\":5}}}"},
        {"deprecated null",
         "{\"name\":\"@acme/widget\",\"versions\":{\"1.0.0\":{\"deprecated\":null}}}"},
        {"deprecated an object",
         "{\"name\":\"@acme/widget\",\"versions\":{\"1.0.0\":{\"deprecated\":{}}}}"},
        {"deprecated true",
         "{\"name\":\"@acme/widget\",\"versions\":{\"1.0.0\":{\"deprecated\":true}}}"},
        {"version a string", "{\"name\":\"@acme/widget\",\"versions\":{\"1.0.0\":\"x\"}}"},
        {"version without deprecated",
         "{\"name\":\"@acme/widget\",\"versions\":{\"1.0.0\":{\"name\":\"@acme/widget\"}}}"},
        {"other name",
         "{\"name\":\"@acme/other\",\"versions\":{\"1.0.0\":{\"deprecated\":\"x\"}}}"},
        {"not JSON", "{versions:"},
        {"an array", "[]"},
        {"a string", "\"x\""},
        {"empty", ""},
    };
    for (const auto &[what, body] : bodies) {
        add(what, body, m_maintainer);
    }
    const QByteArray real =
        "{\"name\":\"@acme/widget\",\"versions\":{\"1.0.0\":{\"deprecated\":\"x\"}}}";
    add("by a developer", real, m_developer);
    add("by a reporter", real, m_reporter);
    add("with a read-only deploy token", real, m_readDeploy);
    add("with a read_api token", real, m_readApi);
}

// Rows that show a defect of the server, by data tag: the lead fixes the code and removes them.
const char *knownDefect(const char *tag)
{
    // Rows that showed a defect are listed here, with the defect, until it is mended.
    static const QHash<QByteArray, const char *> defects = {};
    return defects.value(QByteArray(tag), nullptr);
}

void tst_BadInput::refused()
{
    QFETCH(QByteArray, bytes);
    QFETCH(bool, mayClose);
    QFETCH(QString, from);

    // Everything is measured first, the store last, so that a failing row still hands the
    // next one the store as it left it.
    const Reply reply = exchange(m_port, QHostAddress(from), bytes);
    const Reply ping = exchange(
        m_port,
        QHostAddress(from),
        "GET /api/v4/packages/npm/-/ping HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    const QString before = m_snapshot;
    const QString after = snapshot();
    m_snapshot = after;

    if (const char *defect = knownDefect(QTest::currentDataTag())) {
        QEXPECT_FAIL("", defect, Abort);
    }
    if (reply.status == 0) {
        QVERIFY2(mayClose, "no answer to a request whose head was well-formed");
    } else {
        // A head that is not HTTP/1.1 as this server speaks it may also get the statuses RFC 9112
        // gives for it: 501 for a transfer coding it does not implement (6.1), 505 for a version
        // (RFC 9110 15.6.6). Never 5xx for anything the handler sees.
        const bool protocolRefusal = mayClose && (reply.status == 501 || reply.status == 505);
        QVERIFY2((reply.status >= 400 && reply.status < 500) || protocolRefusal,
                 reply.headers.constData());
        if (!mayClose || !reply.body.isEmpty()) {
            QJsonParseError error;
            const QJsonDocument document = QJsonDocument::fromJson(reply.body, &error);
            QVERIFY2(error.error == QJsonParseError::NoError, reply.body.constData());
            QVERIFY2(!document.object().value(u"error"_s).toString().isEmpty(),
                     reply.body.constData());
        }
        // One request, one answer: nothing from a second request hidden in this one's bytes.
        QVERIFY2(reply.rest.isEmpty(), reply.rest.left(200).constData());
    }
    QCOMPARE(ping.status, 200);
    QCOMPARE(after, before);
}

QTEST_GUILESS_MAIN(tst_BadInput)
#include "tst_badinput.moc"
