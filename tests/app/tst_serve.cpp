// SPDX-License-Identifier: GPL-3.0-or-later
// `trove serve` as scripts and service managers run it: the "Listening on" line once it accepts
// connections, a free port with :0, 127.0.0.1 by default, a clean stop on SIGINT and SIGTERM,
// and one clear line for bad options.

#include "servehelper.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QRegularExpression>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

using namespace Qt::StringLiterals;

namespace {

const QString Trove = TestSupport::TroveBinary;

quint16 start(QProcess &process, const QStringList &arguments)
{
    return TestSupport::startServe(process, arguments);
}

} // namespace

class tst_Serve : public QObject
{
    Q_OBJECT

private slots:
    void listensAndStops_data();
    void listensAndStops();
    void refusesBadOptions_data();
    void refusesBadOptions();
    void sweepsOrphanBlobsAfterListening();
};

void tst_Serve::listensAndStops_data()
{
    QTest::addColumn<int>("signal");
    QTest::newRow("SIGTERM") << int(SIGTERM);
    QTest::newRow("SIGINT") << int(SIGINT);
}

void tst_Serve::listensAndStops()
{
    QFETCH(int, signal);
    QTemporaryDir dir;
    QProcess process;
    const quint16 port = start(process, {u"--listen"_s, u"127.0.0.1:0"_s, u"--data"_s, dir.path()});
    QVERIFY2(port != 0, process.readAllStandardError().constData());
    // It accepts connections as soon as it said so.
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, port);
    QVERIFY(socket.waitForConnected(5000));
    socket.write("GET /api/v4/packages/npm/-/ping HTTP/1.1\r\nHost: x\r\n\r\n");
    QVERIFY(socket.waitForReadyRead(5000));
    QVERIFY(socket.readAll().startsWith("HTTP/1.1 200"));
    socket.close();

    ::kill(pid_t(process.processId()), signal);
    QVERIFY(process.waitForFinished(10000));
    QCOMPARE(process.exitStatus(), QProcess::NormalExit);
    QCOMPARE(process.exitCode(), 0);
    QVERIFY(QString::fromUtf8(process.readAllStandardError()).contains(u"stopped"_s));
}

void tst_Serve::refusesBadOptions_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("message");
    QTest::newRow("listen without a port")
        << QStringList{u"--listen"_s, u"127.0.0.1"_s} << u"invalid --listen"_s;
    QTest::newRow("listen on a name")
        << QStringList{u"--listen"_s, u"nowhere.invalid:80"_s} << u"invalid --listen"_s;
    QTest::newRow("port out of range")
        << QStringList{u"--listen"_s, u"127.0.0.1:70000"_s} << u"invalid --listen"_s;
    QTest::newRow("no threads") << QStringList{u"--threads"_s, u"0"_s} << u"invalid --threads"_s;
    QTest::newRow("base URL without a scheme")
        << QStringList{u"--base-url"_s, u"example"_s} << u"invalid --base-url"_s;
    QTest::newRow("unknown option") << QStringList{u"--verbose"_s} << u"Unknown option"_s;
}

void tst_Serve::refusesBadOptions()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, message);
    QTemporaryDir dir;
    QProcess process;
    process.start(Trove, QStringList{u"serve"_s, u"--data"_s, dir.path()} + arguments);
    QVERIFY(process.waitForFinished(10000));
    QVERIFY(process.exitCode() != 0);
    const QString error = QString::fromUtf8(process.readAllStandardError()).trimmed();
    QVERIFY2(error.contains(message), qPrintable(error));
    QVERIFY2(!error.contains(u'\n'), qPrintable(error));
    QVERIFY(process.readAllStandardOutput().isEmpty());
}

QTEST_GUILESS_MAIN(tst_Serve)
// A blob file no row references (left by a crash between blob and commit) is removed once the
// server runs, beside the first requests rather than before them; one younger than the grace
// period may be a publish about to commit, and stays.
void tst_Serve::sweepsOrphanBlobsAfterListening()
{
    QTemporaryDir dir;
    QProcess create;
    create.start(Trove, {u"group"_s, u"create"_s, u"acme"_s, u"--data"_s, dir.path()});
    QVERIFY(create.waitForFinished(10000));
    QCOMPARE(create.exitCode(), 0);
    const QString orphan = dir.path() + u"/blobs/sha512/00/00/"_s + QString(128, u'0');
    QVERIFY(QDir().mkpath(QFileInfo(orphan).absolutePath()));
    QFile file(orphan);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("orphan");
    file.close();
    QVERIFY(file.open(QIODevice::ReadWrite));
    QVERIFY(file.setFileTime(QDateTime::currentDateTimeUtc().addSecs(-3600),
                             QFileDevice::FileModificationTime));
    file.close();
    const QString young = dir.path() + u"/blobs/sha512/11/11/"_s + QString(128, u'1');
    QVERIFY(QDir().mkpath(QFileInfo(young).absolutePath()));
    QFile youngFile(young);
    QVERIFY(youngFile.open(QIODevice::WriteOnly));
    youngFile.write("young");
    youngFile.close();

    QProcess process;
    const quint16 port = start(process, {u"--listen"_s, u"127.0.0.1:0"_s, u"--data"_s, dir.path()});
    QVERIFY2(port != 0, process.readAllStandardError().constData());
    QTRY_VERIFY_WITH_TIMEOUT(!QFileInfo::exists(orphan), 10000);
    QVERIFY(QFileInfo::exists(young));
    ::kill(pid_t(process.processId()), SIGTERM);
    QVERIFY(process.waitForFinished(10000));
    QCOMPARE(process.exitCode(), 0);
    QVERIFY(QFileInfo::exists(dir.path() + u"/trove.sqlite"_s));
}

#include "tst_serve.moc"
