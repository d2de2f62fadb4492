// SPDX-License-Identifier: GPL-3.0-or-later
// `trove` with no verb: the window with the registry inside it, on the offscreen platform. The
// registry says where it listens as `trove serve` does, takes --data or TROVE_DATA, and stays
// stopped on a busy port (the window asks what to do), saying so and who holds the port.

#include <QProcess>
#include <QRegularExpression>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

const QString Trove = QStringLiteral(TROVE_BINARY_DIR "/app/trove");

// Starts `trove ARGS` and returns the port it printed, 0 if none.
quint16
start(QProcess &process, const QStringList &arguments, const QProcessEnvironment &environment)
{
    process.setProcessEnvironment(environment);
    process.start(Trove, arguments);
    if (!process.waitForStarted(10000)) {
        return 0;
    }
    static const QRegularExpression listening(u"^Listening on http://127.0.0.1:(\\d+)/$"_s,
                                              QRegularExpression::MultilineOption);
    QString output;
    for (int i = 0; i < 150; ++i) {
        process.waitForReadyRead(100);
        output += QString::fromUtf8(process.readAllStandardOutput());
        const QRegularExpressionMatch match = listening.match(output);
        if (match.hasMatch()) {
            return match.captured(1).toUShort();
        }
    }
    return 0;
}

QByteArray ping(quint16 port)
{
    QTcpSocket socket;
    socket.connectToHost(u"127.0.0.1"_s, port);
    if (!socket.waitForConnected(5000)) {
        return {};
    }
    socket.write("GET /api/v4/packages/npm/-/ping HTTP/1.1\r\nHost: localhost\r\n"
                 "Connection: close\r\n\r\n");
    QByteArray response;
    while (socket.waitForReadyRead(5000)) {
        response += socket.readAll();
    }
    return response;
}

void stop(QProcess &process)
{
    process.kill();
    process.waitForFinished(10000);
}

} // namespace

class tst_Desktop : public QObject
{
    Q_OBJECT

private slots:
    void startsWithRegistry();
    void dataFromEnvironment();
    void busyPortAsks();
    void refusesBadOptions();

private:
    // Offscreen, with the window's settings in a temporary folder.
    QProcessEnvironment environment() const;

    QTemporaryDir m_config;
};

QProcessEnvironment tst_Desktop::environment() const
{
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(u"QT_QPA_PLATFORM"_s, u"offscreen"_s);
    environment.insert(u"XDG_CONFIG_HOME"_s, m_config.path());
    environment.remove(u"TROVE_DATA"_s);
    return environment;
}

void tst_Desktop::startsWithRegistry()
{
    QTemporaryDir data;
    QVERIFY(data.isValid());
    QProcess process;
    const quint16 port =
        start(process, {u"--data"_s, data.path(), u"--listen"_s, u"127.0.0.1:0"_s}, environment());
    QVERIFY2(port != 0, process.readAllStandardError().constData());
    QVERIFY(QFile::exists(data.filePath(u"trove.sqlite"_s)));
    const QByteArray response = ping(port);
    QVERIFY2(response.startsWith("HTTP/1.1 200"), response.constData());
    QCOMPARE(process.state(), QProcess::Running);
    stop(process);
}

void tst_Desktop::dataFromEnvironment()
{
    QTemporaryDir data;
    QVERIFY(data.isValid());
    QProcessEnvironment withData = environment();
    withData.insert(u"TROVE_DATA"_s, data.path());
    QProcess process;
    const quint16 port = start(process, {u"--listen"_s, u"127.0.0.1:0"_s}, withData);
    QVERIFY2(port != 0, process.readAllStandardError().constData());
    QVERIFY(QFile::exists(data.filePath(u"trove.sqlite"_s)));
    stop(process);
}

// The port asked for is held by this test: no silent move to another port (the .npmrc files
// written for it would point nowhere). stderr names the port and its holder, nothing listens,
// and the window stays open with its question (Retry / Use Another Port… / Cancel).
void tst_Desktop::busyPortAsks()
{
    QTemporaryDir data;
    QVERIFY(data.isValid());
    QTcpServer squatter;
    QVERIFY(squatter.listen(QHostAddress::LocalHost, 0));
    const quint16 port = squatter.serverPort();
    QProcess process;
    process.setProcessEnvironment(environment());
    process.start(Trove, {u"--data"_s, data.path(), u"--listen"_s, u"127.0.0.1:%1"_s.arg(port)});
    QVERIFY2(process.waitForStarted(10000), qPrintable(process.errorString()));
    const QString expected = u"trove: the registry did not start: port %1 of 127.0.0.1 is in use "
                             u"by tst_desktop (pid %2)\n"_s.arg(port)
                                 .arg(QCoreApplication::applicationPid());
    QString err;
    QString out;
    for (int i = 0; i < 150 && !err.contains(expected); ++i) {
        process.waitForReadyRead(100);
        err += QString::fromUtf8(process.readAllStandardError());
        out += QString::fromUtf8(process.readAllStandardOutput());
    }
    QVERIFY2(err.contains(expected), qPrintable(err));
    // Still asking, after a moment in which a fallback would have printed its address.
    QTest::qWait(500);
    out += QString::fromUtf8(process.readAllStandardOutput());
    QCOMPARE(process.state(), QProcess::Running);
    QVERIFY2(!out.contains(u"Listening on"_s), qPrintable(out));
    QVERIFY(squatter.isListening());
    stop(process);
}

void tst_Desktop::refusesBadOptions()
{
    QProcess process;
    QProcessEnvironment noDisplay = environment();
    noDisplay.remove(u"QT_QPA_PLATFORM"_s);
    noDisplay.remove(u"DISPLAY"_s);
    noDisplay.remove(u"WAYLAND_DISPLAY"_s);
    process.setProcessEnvironment(noDisplay); // a bad option is refused before any display
    process.start(Trove, {u"--listen"_s, u"nonsense"_s});
    QVERIFY(process.waitForFinished(10000));
    QCOMPARE(process.exitCode(), 2);
    QCOMPARE(QString::fromUtf8(process.readAllStandardError()),
             u"trove: invalid --listen nonsense: use HOST:PORT, e.g. 127.0.0.1:4873\n"_s);
}

QTEST_GUILESS_MAIN(tst_Desktop)
#include "tst_desktop.moc"
