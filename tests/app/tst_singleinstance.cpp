// SPDX-License-Identifier: GPL-3.0-or-later
// One window per data folder, with the real `trove` on the offscreen platform: a second launch on
// the folder raises the first window, hands it its .tgz paths and exits 0 without a registry of
// its own; two folders run side by side; a crashed window's lock and socket are in nobody's way;
// `trove serve` refuses a folder that a window serves.

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLocalServer>
#include <QLocalSocket>
#include <QProcess>
#include <QRegularExpression>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

#include <unistd.h>

using namespace Qt::StringLiterals;

namespace {

const QString Trove = QStringLiteral(TROVE_BINARY_DIR "/app/trove");

// Starts `trove ARGS` and returns the port it printed, 0 if none; what it printed meanwhile is
// appended to `output`.
quint16 start(QProcess &process,
              const QStringList &arguments,
              const QProcessEnvironment &environment,
              QString *output)
{
    process.setProcessEnvironment(environment);
    process.start(Trove, arguments);
    if (!process.waitForStarted(10000)) {
        return 0;
    }
    static const QRegularExpression listening(u"^Listening on http://127.0.0.1:(\\d+)/$"_s,
                                              QRegularExpression::MultilineOption);
    for (int i = 0; i < 150; ++i) {
        process.waitForReadyRead(100);
        *output += QString::fromUtf8(process.readAllStandardOutput());
        const QRegularExpressionMatch match = listening.match(*output);
        if (match.hasMatch()) {
            return match.captured(1).toUShort();
        }
    }
    return 0;
}

// Reads `process`'s output into `output` until it holds `line`, for up to 10 s.
bool waitForLine(QProcess &process, QString *output, const QString &line)
{
    for (int i = 0; i < 100 && !output->split(u'\n').contains(line); ++i) {
        process.waitForReadyRead(100);
        *output += QString::fromUtf8(process.readAllStandardOutput());
    }
    return output->split(u'\n').contains(line);
}

bool answersPing(quint16 port)
{
    QTcpSocket socket;
    socket.connectToHost(u"127.0.0.1"_s, port);
    if (!socket.waitForConnected(5000)) {
        return false;
    }
    socket.write("GET /api/v4/packages/npm/-/ping HTTP/1.1\r\nHost: localhost\r\n"
                 "Connection: close\r\n\r\n");
    QByteArray response;
    while (socket.waitForReadyRead(5000)) {
        response += socket.readAll();
    }
    return response.startsWith("HTTP/1.1 200");
}

// The window's local socket for `dataDir`, named as app/singleinstance.cpp names it: the
// canonical path's hash, so that another spelling of the folder finds the same window.
QString socketName(const QString &dataDir)
{
    const QByteArray hash =
        QCryptographicHash::hash(QFileInfo(dataDir).canonicalFilePath().toUtf8(),
                                 QCryptographicHash::Sha256)
            .toHex()
            .left(24);
    return u"trove-%1-%2"_s.arg(::getuid()).arg(QString::fromLatin1(hash));
}

// Kills `process` (no chance to tidy up, as in a crash) and removes the socket the window on
// `dataDir` leaves behind, if any.
void stop(QProcess &process, const QString &dataDir)
{
    process.kill();
    process.waitForFinished(10000);
    QLocalServer::removeServer(socketName(dataDir));
}

} // namespace

class tst_SingleInstance : public QObject
{
    Q_OBJECT

private slots:
    void secondLaunchRaisesTheFirst();
    void twoFoldersSideBySide();
    void crashedWindowIsNotInTheWay();
    void serveRefusesAFolderAWindowServes();
    void serveOnABusyPortFailsInOneLine();

private:
    // Offscreen, with the window's settings in a temporary folder.
    QProcessEnvironment environment() const;

    QTemporaryDir m_config;
};

QProcessEnvironment tst_SingleInstance::environment() const
{
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(u"QT_QPA_PLATFORM"_s, u"offscreen"_s);
    environment.insert(u"XDG_CONFIG_HOME"_s, m_config.path());
    environment.remove(u"TROVE_DATA"_s);
    return environment;
}

void tst_SingleInstance::secondLaunchRaisesTheFirst()
{
    QTemporaryDir data;
    QTemporaryDir work;
    QVERIFY(data.isValid() && work.isValid());
    QFile tarball(work.filePath(u"hello-1.0.0.tgz"_s));
    QVERIFY(tarball.open(QIODevice::WriteOnly));
    tarball.close();

    QProcess first;
    QString firstOutput;
    const quint16 port = start(first,
                               {u"--data"_s, data.path(), u"--listen"_s, u"127.0.0.1:0"_s},
                               environment(),
                               &firstOutput);
    QVERIFY2(port != 0, first.readAllStandardError().constData());

    // The second from another folder, naming the tarball relative to it, and the data folder
    // by another path: the same folder all the same.
    const QString alias = work.filePath(u"alias"_s);
    QVERIFY(QFile::link(data.path(), alias));
    QProcess second;
    second.setProcessEnvironment(environment());
    second.setWorkingDirectory(work.path());
    second.start(Trove,
                 {u"--data"_s, alias, u"--listen"_s, u"127.0.0.1:0"_s, u"hello-1.0.0.tgz"_s});
    QVERIFY(second.waitForFinished(20000));
    QCOMPARE(second.exitStatus(), QProcess::NormalExit);
    QCOMPARE(second.exitCode(), 0);
    const QString secondOutput = QString::fromUtf8(second.readAllStandardOutput());
    QVERIFY2(!secondOutput.contains(u"Listening on"_s), qPrintable(secondOutput));
    QVERIFY2(secondOutput.startsWith(
                 u"trove: Trove is already open on %1 (pid %2): raised its "
                 "window and passed it %3 to publish\n"_s.arg(QDir::toNativeSeparators(alias))
                     .arg(first.processId())
                     .arg(tarball.fileName())),
             qPrintable(secondOutput));

    // The first window got the absolute path and still serves: one registry.
    QVERIFY2(waitForLine(first,
                         &firstOutput,
                         u"Raised the window for another launch on this data folder; tarballs "
                         "to publish: "_s
                             + tarball.fileName()),
             qPrintable(firstOutput));
    QCOMPARE(first.state(), QProcess::Running);
    QVERIFY(answersPing(port));

    // Without tarballs: just raised.
    second.start(Trove, {u"--data"_s, data.path()});
    QVERIFY(second.waitForFinished(20000));
    QCOMPARE(second.exitCode(), 0);
    QVERIFY(waitForLine(
        first, &firstOutput, u"Raised the window for another launch on this data folder"_s));
    stop(first, data.path());
}

void tst_SingleInstance::twoFoldersSideBySide()
{
    QTemporaryDir one;
    QTemporaryDir two;
    QVERIFY(one.isValid() && two.isValid());
    QProcess first;
    QProcess second;
    QString firstOutput;
    QString secondOutput;
    const quint16 firstPort = start(first,
                                    {u"--data"_s, one.path(), u"--listen"_s, u"127.0.0.1:0"_s},
                                    environment(),
                                    &firstOutput);
    QVERIFY2(firstPort != 0, first.readAllStandardError().constData());
    const quint16 secondPort = start(second,
                                     {u"--data"_s, two.path(), u"--listen"_s, u"127.0.0.1:0"_s},
                                     environment(),
                                     &secondOutput);
    QVERIFY2(secondPort != 0, second.readAllStandardError().constData());
    QVERIFY(firstPort != secondPort);
    QVERIFY(answersPing(firstPort));
    QVERIFY(answersPing(secondPort));
    QCOMPARE(first.state(), QProcess::Running);
    QCOMPARE(second.state(), QProcess::Running);
    stop(first, one.path());
    stop(second, two.path());
}

void tst_SingleInstance::crashedWindowIsNotInTheWay()
{
    QTemporaryDir data;
    QVERIFY(data.isValid());
    QProcess crashed;
    QString output;
    QVERIFY(start(crashed,
                  {u"--data"_s, data.path(), u"--listen"_s, u"127.0.0.1:0"_s},
                  environment(),
                  &output)
            != 0);
    crashed.kill(); // the lock file and the socket stay behind
    QVERIFY(crashed.waitForFinished(10000));
    QVERIFY(QFile::exists(data.filePath(u"trove-window.lock"_s)));
    QVERIFY(QFileInfo(QDir::temp().filePath(socketName(data.path()))).exists());

    QProcess next;
    output.clear();
    const quint16 port = start(
        next, {u"--data"_s, data.path(), u"--listen"_s, u"127.0.0.1:0"_s}, environment(), &output);
    QVERIFY2(port != 0, next.readAllStandardError().constData());
    QVERIFY(answersPing(port));
    // And it is the one a later launch reaches.
    QProcess later;
    later.setProcessEnvironment(environment());
    later.start(Trove, {u"--data"_s, data.path()});
    QVERIFY(later.waitForFinished(20000));
    QCOMPARE(later.exitCode(), 0);
    QVERIFY(
        waitForLine(next, &output, u"Raised the window for another launch on this data folder"_s));
    stop(next, data.path());
}

void tst_SingleInstance::serveRefusesAFolderAWindowServes()
{
    QTemporaryDir data;
    QVERIFY(data.isValid());
    QProcess window;
    QString output;
    QVERIFY(start(window,
                  {u"--data"_s, data.path(), u"--listen"_s, u"127.0.0.1:0"_s},
                  environment(),
                  &output)
            != 0);
    QProcess serve;
    serve.setProcessEnvironment(environment());
    serve.start(Trove, {u"serve"_s, u"--data"_s, data.path(), u"--listen"_s, u"127.0.0.1:0"_s});
    QVERIFY(serve.waitForFinished(20000));
    QCOMPARE(serve.exitCode(), 1);
    QString err = QString::fromUtf8(serve.readAllStandardError());
    // The store's log lines aside: it is not even opened.
    QVERIFY2(!err.contains(u"trove.store"_s), qPrintable(err));
    QVERIFY2(err.startsWith(u"trove serve: the data folder %1 is open in the Trove window (pid "
                            "%2)"_s.arg(QDir::toNativeSeparators(data.path()))
                                .arg(window.processId())),
             qPrintable(err));
    QCOMPARE(err.count(u'\n'), 1);
    QVERIFY(serve.readAllStandardOutput().isEmpty());

    // Once the window is gone (even killed), serve opens the folder.
    stop(window, data.path());
    output.clear();
    const quint16 port =
        start(serve,
              {u"serve"_s, u"--data"_s, data.path(), u"--listen"_s, u"127.0.0.1:0"_s},
              environment(),
              &output);
    QVERIFY2(port != 0, serve.readAllStandardError().constData());
    stop(serve, data.path());
}

void tst_SingleInstance::serveOnABusyPortFailsInOneLine()
{
    QTemporaryDir data;
    QTcpServer squatter;
    QVERIFY(data.isValid() && squatter.listen(QHostAddress::LocalHost, 0));
    QProcess serve;
    serve.setProcessEnvironment(environment());
    serve.start(Trove,
                {u"serve"_s,
                 u"--data"_s,
                 data.path(),
                 u"--listen"_s,
                 u"127.0.0.1:%1"_s.arg(squatter.serverPort())});
    QVERIFY(serve.waitForFinished(20000));
    QVERIFY(serve.exitCode() != 0);
    // One line of its own (beside the store's log lines), naming the port.
    const QStringList lines = QString::fromUtf8(serve.readAllStandardError())
                                  .split(u'\n')
                                  .filter(QRegularExpression(u"^trove serve: "_s));
    QCOMPARE(lines.size(), 1);
    QVERIFY2(lines.first().contains(u"127.0.0.1:%1"_s.arg(squatter.serverPort())),
             qPrintable(lines.first()));
    QVERIFY(serve.readAllStandardOutput().isEmpty());
}

QTEST_GUILESS_MAIN(tst_SingleInstance)
#include "tst_singleinstance.moc"
