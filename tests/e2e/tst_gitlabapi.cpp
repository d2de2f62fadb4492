// SPDX-License-Identifier: GPL-3.0-or-later
// End-to-end: python-gitlab (Debian's python3-gitlab, run with /usr/bin/python3) against the real
// `trove serve` on 127.0.0.1: list, filter, get, list files and delete through GitLab's Packages
// API (docs/packages-api.md). The script, tests/e2e/gitlabapi.py, asserts what it sees.

#include "../app/servehelper.h"

#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

class tst_GitlabApi : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void pythonGitlab();

private:
    struct Run
    {
        int exitCode = -1;
        QString out;
        QString err;
    };
    Run trove(const QStringList &arguments);

    QTemporaryDir m_dir;
    QString m_data;
    QProcess m_server;
    quint16 m_port = 0;
    qint64 m_projectId = 0;
    QString m_maintainerToken;
    QString m_reporterToken;
};

tst_GitlabApi::Run tst_GitlabApi::trove(const QStringList &arguments)
{
    QProcess process;
    process.start(TestSupport::TroveBinary, arguments + QStringList{u"--data"_s, m_data});
    process.waitForFinished(30000);
    return {process.exitCode(),
            QString::fromUtf8(process.readAllStandardOutput()).trimmed(),
            QString::fromUtf8(process.readAllStandardError()).trimmed()};
}

void tst_GitlabApi::initTestCase()
{
    if (!QFile::exists(u"/usr/bin/python3"_s)) {
        QFAIL("/usr/bin/python3 is missing: run packaging/install-deps.sh");
    }
    QProcess probe;
    probe.start(u"/usr/bin/python3"_s, {u"-c"_s, u"import gitlab, requests"_s});
    probe.waitForFinished(30000);
    QVERIFY2(probe.exitCode() == 0,
             "python3-gitlab is missing: run packaging/install-deps.sh (Debian's python3-gitlab)");

    QVERIFY(m_dir.isValid());
    m_data = m_dir.filePath(u"data"_s);
    QCOMPARE(trove({u"group"_s, u"create"_s, u"acme"_s}).exitCode, 0);
    const Run project = trove({u"project"_s, u"create"_s, u"acme/widgets"_s});
    QCOMPARE(project.exitCode, 0);
    m_projectId = project.out.toLongLong();
    QVERIFY(m_projectId > 0);
    QCOMPARE(trove({u"user"_s, u"create"_s, u"mia"_s}).exitCode, 0);
    QCOMPARE(trove({u"user"_s, u"create"_s, u"rex"_s}).exitCode, 0);
    QCOMPARE(
        trove({u"member"_s, u"add"_s, u"--group"_s, u"acme"_s, u"mia"_s, u"maintainer"_s}).exitCode,
        0);
    QCOMPARE(
        trove({u"member"_s, u"add"_s, u"--project"_s, u"acme/widgets"_s, u"rex"_s, u"reporter"_s})
            .exitCode,
        0);
    m_maintainerToken = trove({u"token"_s, u"create"_s, u"mia"_s}).out;
    m_reporterToken = trove({u"token"_s, u"create"_s, u"rex"_s}).out;
    QVERIFY(!m_maintainerToken.isEmpty() && !m_reporterToken.isEmpty());
    QCOMPARE(trove({u"forwarding"_s, u"set"_s, u"off"_s}).exitCode, 0);
    m_server.setProcessChannelMode(QProcess::SeparateChannels);
    m_port =
        TestSupport::startServe(m_server, {u"--listen"_s, u"127.0.0.1:0"_s, u"--data"_s, m_data});
    QVERIFY2(m_port != 0, m_server.readAllStandardError().constData());
}

void tst_GitlabApi::cleanupTestCase()
{
    if (m_server.state() != QProcess::NotRunning) {
        m_server.terminate();
        if (!m_server.waitForFinished(10000)) {
            m_server.kill();
            m_server.waitForFinished();
        }
    }
}

void tst_GitlabApi::pythonGitlab()
{
    QProcess python;
    python.start(u"/usr/bin/python3"_s,
                 {QStringLiteral(TROVE_SOURCE_DIR "/tests/e2e/gitlabapi.py"),
                  u"http://127.0.0.1:%1"_s.arg(m_port),
                  QString::number(m_projectId),
                  m_maintainerToken,
                  m_reporterToken});
    QVERIFY(python.waitForFinished(120000));
    const QByteArray out = python.readAllStandardOutput();
    const QByteArray err = python.readAllStandardError();
    QVERIFY2(python.exitCode() == 0, QByteArray(out + err).constData());
    QCOMPARE(out.trimmed(), "ok");
}

QTEST_GUILESS_MAIN(tst_GitlabApi)
#include "tst_gitlabapi.moc"
