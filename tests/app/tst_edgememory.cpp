// SPDX-License-Identifier: GPL-3.0-or-later
// What the edge of `trove serve` costs in memory and time under a hostile or merely large client,
// measured from outside in /proc/<pid>/status: a refused 300 MB body is not buffered, distinct
// Host headers do not grow anything (nor reach tarball URLs), a real 300 MB publish streams,
// dribbling clients are cut off by the head timeout, and guessing tokens gets 429.

#include "servehelper.h"
#include "tests/tarballwriter.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <archive.h>
#include <archive_entry.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <memory>

using namespace Qt::StringLiterals;

namespace {

const QString Trove = TestSupport::TroveBinary;
constexpr qint64 MiB = 1024 * 1024;

// A field of /proc/<pid>/status in bytes (VmRSS, VmHWM).
qint64 statusBytes(qint64 pid, const QByteArray &field)
{
    QFile file(u"/proc/%1/status"_s.arg(pid));
    if (!file.open(QIODevice::ReadOnly)) {
        return -1;
    }
    for (const QByteArray &line : file.readAll().split('\n')) {
        if (line.startsWith(QByteArray(field + ':'))) {
            return line.mid(field.size() + 1).trimmed().split(' ').first().toLongLong() * 1024;
        }
    }
    return -1;
}

struct Reply
{
    int status = 0;
    QByteArray headers;
    QByteArray body;
};

// Reads one response from a kept-alive connection.
Reply readReply(QTcpSocket &socket, int timeoutMs = 10000)
{
    QByteArray raw;
    QDeadlineTimer deadline(timeoutMs);
    qsizetype end = -1;
    while ((end = raw.indexOf("\r\n\r\n")) < 0) {
        if (deadline.hasExpired()
            || (!socket.waitForReadyRead(int(qMax<qint64>(1, deadline.remainingTime())))
                && socket.bytesAvailable() == 0)) {
            return {};
        }
        raw += socket.readAll();
    }
    Reply reply;
    reply.headers = raw.left(end);
    reply.status = raw.mid(9, 3).toInt();
    static const QRegularExpression lengthField(u"\r\ncontent-length: *(\\d+)"_s,
                                                QRegularExpression::CaseInsensitiveOption);
    const QRegularExpressionMatch length = lengthField.match(QString::fromLatin1(reply.headers));
    const qsizetype size = length.hasMatch() ? length.captured(1).toLongLong() : 0;
    reply.body = raw.mid(end + 4);
    while (reply.body.size() < size) {
        if (deadline.hasExpired()
            || (!socket.waitForReadyRead(int(qMax<qint64>(1, deadline.remainingTime())))
                && socket.bytesAvailable() == 0)) {
            return {};
        }
        reply.body += socket.readAll();
    }
    return reply;
}

QByteArray header(const Reply &reply, const QByteArray &name)
{
    for (const QByteArray &line : reply.headers.split('\n')) {
        if (line.toLower().startsWith(QByteArray(name.toLower() + ':'))) {
            return line.mid(name.size() + 1).trimmed();
        }
    }
    return {};
}

// Random-looking bytes, fast and reproducible: nothing in them compresses.
void fillRandom(QByteArray &buffer, quint64 &state)
{
    auto *words = reinterpret_cast<quint64 *>(buffer.data());
    for (qsizetype i = 0; i < buffer.size() / 8; ++i) {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        words[i] = state;
    }
}

} // namespace

class tst_EdgeMemory : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void refusedHugeBodyIsNotBuffered_data();
    void refusedHugeBodyIsNotBuffered();
    void distinctHostsGrowNothing();
    void bigPublishStreams();
    void dribblingClientsAreCutOff();
    void guessedTokensAreThrottled();

private:
    QByteArray trove(const QStringList &arguments);
    qint64 pid() const { return m_server.processId(); }
    QByteArray publishPath() const
    {
        return "/api/v4/projects/" + QByteArray::number(m_projectId)
            + "/packages/npm/@acme%2fwidget";
    }
    bool connect(QTcpSocket &socket, const QHostAddress &from = QHostAddress::LocalHost);
    int ping();

    QTemporaryDir m_dir;
    QString m_data;
    QProcess m_server;
    quint16 m_port = 0;
    qint64 m_projectId = 0;
    QByteArray m_maintainer;
    QByteArray m_reporter;
};

QByteArray tst_EdgeMemory::trove(const QStringList &arguments)
{
    QProcess process;
    process.start(Trove, arguments + QStringList{u"--data"_s, m_data});
    process.waitForFinished(30000);
    return process.exitCode() == 0 ? process.readAllStandardOutput().trimmed() : QByteArray();
}

bool tst_EdgeMemory::connect(QTcpSocket &socket, const QHostAddress &from)
{
    socket.bind(from);
    socket.connectToHost(QHostAddress::LocalHost, m_port);
    return socket.waitForConnected(5000);
}

int tst_EdgeMemory::ping()
{
    QTcpSocket socket;
    if (!connect(socket)) {
        return 0;
    }
    socket.write("GET /api/v4/packages/npm/-/ping HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    return readReply(socket, 5000).status;
}

void tst_EdgeMemory::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_data = m_dir.path();
    QVERIFY(!trove({u"group"_s, u"create"_s, u"acme"_s, u"--visibility"_s, u"public"_s}).isEmpty());
    m_projectId =
        trove({u"project"_s, u"create"_s, u"acme/widgets"_s, u"--visibility"_s, u"public"_s})
            .toLongLong();
    QVERIFY(m_projectId > 0);
    QVERIFY(!trove({u"user"_s, u"create"_s, u"mia"_s}).isEmpty());
    QVERIFY(!trove({u"user"_s, u"create"_s, u"rex"_s}).isEmpty());
    QVERIFY(
        !trove(
             {u"member"_s, u"add"_s, u"--project"_s, u"acme/widgets"_s, u"mia"_s, u"maintainer"_s})
             .isEmpty());
    QVERIFY(
        !trove({u"member"_s, u"add"_s, u"--project"_s, u"acme/widgets"_s, u"rex"_s, u"reporter"_s})
             .isEmpty());
    m_maintainer = trove({u"token"_s, u"create"_s, u"mia"_s});
    m_reporter = trove({u"token"_s, u"create"_s, u"rex"_s});
    QVERIFY(!m_maintainer.isEmpty() && !m_reporter.isEmpty());

    m_port =
        TestSupport::startServe(m_server, {u"--listen"_s, u"127.0.0.1:0"_s, u"--data"_s, m_data});
    QVERIFY2(m_port != 0, m_server.readAllStandardError().constData());
    QCOMPARE(ping(), 200);
}

void tst_EdgeMemory::cleanupTestCase()
{
    m_server.terminate();
    if (!m_server.waitForFinished(10000)) {
        m_server.kill();
        m_server.waitForFinished();
    }
}

void tst_EdgeMemory::refusedHugeBodyIsNotBuffered_data()
{
    QTest::addColumn<bool>("anonymous");
    QTest::addColumn<int>("status");
    QTest::newRow("anonymous: 401") << true << 401;
    QTest::newRow("reporter: 403") << false << 403;
}

// The head of a 300 MB publish, then the body anyway: the answer comes before the body, and
// what follows is dropped or the connection closed, never kept.
void tst_EdgeMemory::refusedHugeBodyIsNotBuffered()
{
    QFETCH(bool, anonymous);
    QFETCH(int, status);
    const qint64 rssBefore = statusBytes(pid(), "VmRSS");
    const qint64 total = 300 * 1000 * 1000;
    // A plain socket: QTcpSocket stops writing once it has read the server's end of stream, and
    // this client is to go on sending regardless.
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    QVERIFY(fd >= 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(m_port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    QCOMPARE(::connect(fd, reinterpret_cast<const sockaddr *>(&address), sizeof address), 0);
    QByteArray head = "PUT " + publishPath()
        + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n";
    if (!anonymous) {
        head += "Authorization: Bearer " + m_reporter + "\r\n";
    }
    head += "Content-Length: " + QByteArray::number(total) + "\r\n\r\n";
    QCOMPARE(::send(fd, head.constData(), size_t(head.size()), MSG_NOSIGNAL), ssize_t(head.size()));
    QByteArray answer;
    QDeadlineTimer deadline(5000);
    timeval wait{0, 100 * 1000};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof wait);
    while (!answer.contains("\r\n\r\n{") || !answer.endsWith('}')) {
        char buffer[4096];
        const ssize_t got = ::recv(fd, buffer, sizeof buffer, 0);
        if (got > 0) {
            answer.append(buffer, got);
        } else if (got == 0 || deadline.hasExpired()) {
            break;
        }
    }
    QVERIFY2(answer.startsWith(QByteArray("HTTP/1.1 " + QByteArray::number(status) + ' ')),
             answer.constData());
    const QByteArray json = answer.mid(answer.indexOf("\r\n\r\n") + 4);
    QVERIFY2(!QJsonDocument::fromJson(json).object().value(u"error"_s).toString().isEmpty(),
             json.constData());

    QElapsedTimer clock;
    clock.start();
    const QByteArray chunk(MiB, '{');
    qint64 sent = 0;
    int error = 0;
    while (sent < total && clock.elapsed() < 30000) {
        const ssize_t put = ::send(
            fd, chunk.constData(), size_t(qMin<qint64>(chunk.size(), total - sent)), MSG_NOSIGNAL);
        if (put < 0) {
            error = errno;
            break;
        }
        sent += put;
    }
    ::close(fd);
    const qint64 peak = statusBytes(pid(), "VmHWM");
    qInfo("sent %lld MB of the body in %lld ms, then %s; peak RSS %.1f MiB, %.1f MiB above the RSS "
          "before",
          sent / 1000000,
          clock.elapsed(),
          error ? strerror(error) : "all of it",
          double(peak) / MiB,
          double(peak - rssBefore) / MiB);
    QVERIFY2(peak - rssBefore < 64 * MiB,
             qPrintable(u"grew by %1 MiB"_s.arg((peak - rssBefore) / MiB)));
    QCOMPARE(ping(), 200);
}

// 20,000 package documents, each with its own Host, on four keep-alive connections at once.
void tst_EdgeMemory::distinctHostsGrowNothing()
{
    {
        // One small version to read.
        const QByteArray tgz = TestSupport::writeTarball(
            {{"package/package.json", "{\"name\":\"@acme/widget\",\"version\":\"1.0.0\"}"}});
        const QJsonObject body{
            {u"name"_s, u"@acme/widget"_s},
            {u"dist-tags"_s, QJsonObject{{u"latest"_s, u"1.0.0"_s}}},
            {u"versions"_s,
             QJsonObject{
                 {u"1.0.0"_s,
                  QJsonObject{{u"name"_s, u"@acme/widget"_s},
                              {u"version"_s, u"1.0.0"_s},
                              {u"dist"_s,
                               QJsonObject{{u"tarball"_s, u"http://127.0.0.1/x.tgz"_s},
                                           {u"shasum"_s,
                                            QString::fromLatin1(QCryptographicHash::hash(
                                                                    tgz, QCryptographicHash::Sha1)
                                                                    .toHex())}}}}}}},
            {u"_attachments"_s,
             QJsonObject{{u"@acme/widget-1.0.0.tgz"_s,
                          QJsonObject{{u"data"_s, QString::fromLatin1(tgz.toBase64())},
                                      {u"length"_s, qint64(tgz.size())}}}}}};
        const QByteArray json = QJsonDocument(body).toJson(QJsonDocument::Compact);
        QTcpSocket socket;
        QVERIFY(connect(socket));
        socket.write("PUT " + publishPath()
                     + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + m_maintainer
                     + "\r\nContent-Type: application/json\r\nContent-Length: "
                     + QByteArray::number(json.size()) + "\r\n\r\n" + json);
        const Reply published = readReply(socket);
        QVERIFY2(published.status == 200, published.body.constData());
    }

    constexpr int Connections = 4;
    constexpr int PerConnection = 5000;
    std::atomic<int> failures{0};
    std::atomic<int> leaks{0};
    const auto run = [&](int which, int count, const QByteArray &hostPrefix) {
        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, m_port);
        if (!socket.waitForConnected(5000)) {
            failures += count;
            return;
        }
        for (int i = 0; i < count; ++i) {
            const QByteArray host =
                hostPrefix + QByteArray::number(which) + '-' + QByteArray::number(i) + ".invalid";
            socket.write("GET " + publishPath() + " HTTP/1.1\r\nHost: " + host + "\r\n\r\n");
            const Reply reply = readReply(socket);
            if (reply.status != 200) {
                ++failures;
                if (socket.state() != QAbstractSocket::ConnectedState) {
                    failures += count - i - 1;
                    return;
                }
                continue;
            }
            if (reply.body.contains(hostPrefix)
                || !reply.body.contains("\"tarball\":\"http://127.0.0.1:")) {
                ++leaks;
            }
        }
    };
    // A warm-up fills the caches that are meant to be filled.
    run(0, 500, "warm-");
    QCOMPARE(failures.load(), 0);
    const qint64 rssBefore = statusBytes(pid(), "VmRSS");
    QElapsedTimer clock;
    clock.start();
    std::vector<std::unique_ptr<QThread>> threads;
    for (int t = 0; t < Connections; ++t) {
        threads.emplace_back(QThread::create(run, t, PerConnection, QByteArray("attacker-")));
        threads.back()->start();
    }
    for (auto &thread : threads) {
        thread->wait();
    }
    const qint64 rssAfter = statusBytes(pid(), "VmRSS");
    qInfo("%d requests with distinct Host headers in %lld ms; RSS %.1f -> %.1f MiB (peak %.1f MiB)",
          Connections * PerConnection,
          clock.elapsed(),
          double(rssBefore) / MiB,
          double(rssAfter) / MiB,
          double(statusBytes(pid(), "VmHWM")) / MiB);
    QCOMPARE(failures.load(), 0);
    QCOMPARE(leaks.load(), 0);
    QVERIFY2(rssAfter - rssBefore < 16 * MiB,
             qPrintable(u"grew by %1 MiB"_s.arg((rssAfter - rssBefore) / MiB)));
}

// A maintainer's 300 MB publish body (225 MiB of incompressible tarball), streamed from a file
// by the test as npm would send it, held in memory by neither side.
void tst_EdgeMemory::bigPublishStreams()
{
    QElapsedTimer clock;
    clock.start();
    const QString tarballPath = m_dir.filePath(u"big.tgz"_s);
    constexpr qint64 Payload = 225 * MiB;
    {
        archive *a = archive_write_new();
        archive_write_set_format_pax_restricted(a);
        archive_write_add_filter_gzip(a);
        // The bytes do not compress: do not spend time trying.
        archive_write_set_filter_option(a, "gzip", "compression-level", "1");
        QVERIFY(archive_write_open_filename(a, QFile::encodeName(tarballPath).constData())
                == ARCHIVE_OK);
        const QByteArray json = "{\"name\":\"@acme/widget\",\"version\":\"2.0.0\"}";
        archive_entry *entry = archive_entry_new();
        archive_entry_set_pathname(entry, "package/package.json");
        archive_entry_set_filetype(entry, AE_IFREG);
        archive_entry_set_perm(entry, 0644);
        archive_entry_set_size(entry, json.size());
        archive_write_header(a, entry);
        archive_write_data(a, json.constData(), size_t(json.size()));
        archive_entry_clear(entry);
        archive_entry_set_pathname(entry, "package/data.bin");
        archive_entry_set_filetype(entry, AE_IFREG);
        archive_entry_set_perm(entry, 0644);
        archive_entry_set_size(entry, Payload);
        archive_write_header(a, entry);
        QByteArray buffer(4 * MiB, '\0');
        quint64 state = 0x9e3779b97f4a7c15ULL;
        for (qint64 written = 0; written < Payload; written += buffer.size()) {
            fillRandom(buffer, state);
            archive_write_data(a, buffer.constData(), size_t(buffer.size()));
        }
        archive_entry_free(entry);
        QCOMPARE(archive_write_close(a), ARCHIVE_OK);
        archive_write_free(a);
    }
    QFile tarball(tarballPath);
    QVERIFY(tarball.open(QIODevice::ReadOnly));
    const qint64 size = tarball.size();
    QCryptographicHash sha1(QCryptographicHash::Sha1);
    QCryptographicHash sha512(QCryptographicHash::Sha512);
    while (!tarball.atEnd()) {
        const QByteArray piece = tarball.read(4 * MiB);
        sha1.addData(piece);
        sha512.addData(piece);
    }
    const qint64 builtMs = clock.elapsed();

    const QByteArray prefix =
        "{\"_id\":\"@acme/widget\",\"name\":\"@acme/widget\",\"dist-tags\":{\"latest\":\"2.0.0\"},"
        "\"versions\":{\"2.0.0\":{\"name\":\"@acme/"
        "widget\",\"version\":\"2.0.0\",\"dist\":{\"shasum\":\""
        + sha1.result().toHex() + "\",\"integrity\":\"sha512-" + sha512.result().toBase64()
        + "\",\"tarball\":\"http://127.0.0.1/x.tgz\"}}},\"_attachments\":{\"@acme/"
          "widget-2.0.0.tgz\":{\"content_type\":\"application/octet-stream\","
          "\"length\":"
        + QByteArray::number(size) + ",\"data\":\"";
    const QByteArray suffix = "\"}}}";
    const qint64 bodySize = prefix.size() + (size + 2) / 3 * 4 + suffix.size();

    const qint64 rssBefore = statusBytes(pid(), "VmRSS");
    QTcpSocket socket;
    QVERIFY(connect(socket));
    socket.write("PUT " + publishPath() + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                 + m_maintainer + "\r\nContent-Type: application/json\r\nContent-Length: "
                 + QByteArray::number(bodySize) + "\r\n\r\n" + prefix);
    tarball.seek(0);
    qint64 peakDuring = 0;
    while (!tarball.atEnd()) {
        socket.write(tarball.read(3 * MiB).toBase64()); // a multiple of 3: no padding inside
        while (socket.bytesToWrite() > 4 * MiB) {
            if (!socket.waitForBytesWritten(10000)) {
                QFAIL(qPrintable(u"the server stopped reading: "_s + socket.errorString()));
            }
        }
        peakDuring = qMax(peakDuring, statusBytes(pid(), "VmRSS"));
    }
    socket.write(suffix);
    const Reply reply = readReply(socket, 120000);
    const qint64 peak = statusBytes(pid(), "VmHWM");
    qInfo("body %.1f MiB (tarball %.1f MiB, built in %lld ms), published in %lld ms with status %d;"
          " server RSS %.1f MiB before, peak %.1f MiB: %.1f MiB above (%.2f x the body)",
          double(bodySize) / MiB,
          double(size) / MiB,
          builtMs,
          clock.elapsed() - builtMs,
          reply.status,
          double(rssBefore) / MiB,
          double(peak) / MiB,
          double(peak - rssBefore) / MiB,
          double(peak - rssBefore) / double(bodySize));
    QVERIFY2(reply.status == 200, reply.body.constData());
    QVERIFY2(peak - rssBefore < 128 * MiB,
             qPrintable(u"grew by %1 MiB"_s.arg((peak - rssBefore) / MiB)));

    // It is there, whole.
    QTcpSocket check;
    QVERIFY(connect(check));
    check.write("GET " + publishPath() + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    const Reply document = readReply(check);
    QCOMPARE(document.status, 200);
    const QJsonObject dist = QJsonDocument::fromJson(document.body)
                                 .object()
                                 .value(u"versions"_s)
                                 .toObject()
                                 .value(u"2.0.0"_s)
                                 .toObject()
                                 .value(u"dist"_s)
                                 .toObject();
    QCOMPARE(dist.value(u"shasum"_s).toString().toLatin1(), sha1.result().toHex());
    QFile::remove(tarballPath);
}

// 64 connections that send one byte of a request head every 3 s: the head timeout (10 s) ends
// each, and the server answers others all the while.
void tst_EdgeMemory::dribblingClientsAreCutOff()
{
    constexpr int Clients = 64;
    std::vector<std::unique_ptr<QTcpSocket>> sockets;
    for (int i = 0; i < Clients; ++i) {
        sockets.push_back(std::make_unique<QTcpSocket>());
        QVERIFY(connect(*sockets.back()));
    }
    const QByteArray head = "GET /api/v4/packages/npm/-/ping HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
    QElapsedTimer clock;
    clock.start();
    int sentBytes = 0;
    int pings = 0;
    QList<qint64> closedAt(Clients, -1);
    while (clock.elapsed() < 20000) {
        if (clock.elapsed() >= sentBytes * 3000 && sentBytes < head.size()) {
            for (int i = 0; i < Clients; ++i) {
                if (closedAt[i] < 0) {
                    sockets[size_t(i)]->write(head.mid(sentBytes, 1));
                    sockets[size_t(i)]->flush();
                }
            }
            ++sentBytes;
        }
        QCOMPARE(ping(), 200);
        ++pings;
        for (int i = 0; i < Clients; ++i) {
            QTcpSocket &socket = *sockets[size_t(i)];
            socket.waitForReadyRead(1);
            if (closedAt[i] < 0 && socket.state() != QAbstractSocket::ConnectedState) {
                closedAt[i] = clock.elapsed();
            }
        }
        if (std::all_of(closedAt.cbegin(), closedAt.cend(), [](qint64 at) { return at >= 0; })) {
            break;
        }
        QTest::qWait(200);
    }
    const qint64 last = *std::max_element(closedAt.cbegin(), closedAt.cend());
    const qint64 first = *std::min_element(closedAt.cbegin(), closedAt.cend());
    qInfo("%d dribbling connections closed between %lld and %lld ms; %d pings answered meanwhile",
          Clients,
          first,
          last,
          pings);
    QVERIFY2(first >= 0, "a dribbling connection was still open after 20 s");
    // Not before the timeout: the head had not broken any rule.
    QVERIFY2(first >= 9000, qPrintable(u"closed after %1 ms"_s.arg(first)));
    QVERIFY(last <= 14000);
}

// 20 failures a minute per address (server/loginthrottle.h), then 429 with Retry-After; a valid
// token from the same address is still answered.
void tst_EdgeMemory::guessedTokensAreThrottled()
{
    const QHostAddress from(u"127.0.9.9"_s);
    QList<int> statuses;
    QByteArray retryAfter;
    for (int i = 0; i < 25; ++i) {
        QTcpSocket socket;
        QVERIFY(connect(socket, from));
        socket.write("GET " + publishPath()
                     + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer tpat-guess"
                     + QByteArray::number(i) + "\r\nConnection: close\r\n\r\n");
        const Reply reply = readReply(socket);
        statuses += reply.status;
        if (reply.status == 429) {
            retryAfter = header(reply, "Retry-After");
            QVERIFY(!QJsonDocument::fromJson(reply.body)
                         .object()
                         .value(u"error"_s)
                         .toString()
                         .isEmpty());
        }
    }
    qInfo() << "statuses" << statuses << "Retry-After" << retryAfter;
    QCOMPARE(statuses.mid(0, 20), QList<int>(20, 401));
    QCOMPARE(statuses.mid(20), QList<int>(5, 429));
    QVERIFY(retryAfter.toInt() > 0 && retryAfter.toInt() <= 60);

    QTcpSocket socket;
    QVERIFY(connect(socket, from));
    socket.write(
        "GET /api/v4/packages/npm/-/whoami HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
        + m_maintainer + "\r\nConnection: close\r\n\r\n");
    const Reply reply = readReply(socket);
    QCOMPARE(reply.status, 200);
    QCOMPARE(QJsonDocument::fromJson(reply.body).object().value(u"username"_s).toString(),
             u"mia"_s);
}

QTEST_GUILESS_MAIN(tst_EdgeMemory)
#include "tst_edgememory.moc"
