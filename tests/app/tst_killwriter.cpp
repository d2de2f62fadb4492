// SPDX-License-Identifier: GPL-3.0-or-later
// "A crash or kill at any moment loses no committed data": a writer process is killed with
// SIGKILL inside a transaction and at random moments of a publish loop; the store must reopen with
// every acknowledged version and its blob, without the uncommitted one, and without orphan blobs.

#include "model/registry.h"

#include <QCryptographicHash>
#include <QDirIterator>
#include <QProcess>
#include <QRandomGenerator>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

using namespace Qt::StringLiterals;
using namespace Trove;

namespace {

const QString Writer = QStringLiteral(TROVE_BINARY_DIR "/tests/app/killwriter");

QStringList blobFiles(const QString &dataDir)
{
    QStringList files;
    QDirIterator it(
        dataDir + u"/blobs"_s, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        files.append(QFileInfo(it.next()).fileName());
    }
    files.sort();
    return files;
}

QString integrityCheck(const QString &dataDir)
{
    const QString name = u"integrity"_s;
    QString result;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, name);
        db.setDatabaseName(dataDir + u"/trove.sqlite"_s);
        if (db.open()) {
            QSqlQuery query(db);
            if (query.exec(u"PRAGMA integrity_check"_s) && query.next()) {
                result = query.value(0).toString();
            }
        }
    }
    QSqlDatabase::removeDatabase(name);
    return result;
}

void kill9(QProcess &process)
{
    ::kill(pid_t(process.processId()), SIGKILL);
    process.waitForFinished(10000);
}

} // namespace

class tst_KillWriter : public QObject
{
    Q_OBJECT

private slots:
    void killedInsideATransaction();
    void killedAtRandomMoments();
};

void tst_KillWriter::killedInsideATransaction()
{
    QTemporaryDir dir;
    QProcess writer;
    writer.start(Writer, {u"mid-transaction"_s, dir.path()});
    QVERIFY(writer.waitForStarted());
    QString line;
    for (int i = 0; i < 100 && !line.startsWith(u"IN-TRANSACTION"_s); ++i) {
        writer.waitForReadyRead(100);
        line += QString::fromUtf8(writer.readAllStandardOutput());
    }
    QVERIFY2(line.startsWith(u"IN-TRANSACTION"_s), writer.readAllStandardError().constData());
    const QString blob = line.section(u' ', 1).trimmed();
    // The blob was written inside the transaction and is on disk when the writer dies.
    QVERIFY(blobFiles(dir.path()).contains(blob));
    kill9(writer);
    QCOMPARE(writer.exitStatus(), QProcess::CrashExit);

    Result<std::unique_ptr<Registry>> registry = Registry::open(dir.path());
    QVERIFY2(registry, qPrintable(registry ? QString() : registry.error().message));
    // The old state: no row, and the next start swept the blob nobody references.
    QCOMPARE(*(*registry)->packages().store().packageCount(), 0);
    QVERIFY(!blobFiles(dir.path()).contains(blob));
    QCOMPARE(blobFiles(dir.path()), QStringList());
    QCOMPARE(integrityCheck(dir.path()), u"ok"_s);
    // The group and project the writer committed before its transaction are still there.
    QVERIFY((*registry)->namespaces().store().projectByPath(u"acme/app"_s));
}

void tst_KillWriter::killedAtRandomMoments()
{
    QTemporaryDir dir;
    QRandomGenerator random(20261124);
    QStringList committed;
    for (int round = 0; round < 8; ++round) {
        QProcess writer;
        writer.start(Writer, {u"publish-loop"_s, dir.path(), QString::number(round + 1)});
        QVERIFY(writer.waitForStarted());
        QTest::qWait(int(random.bounded(20, 300)));
        // Let the writer get going at least once per round.
        for (int i = 0; i < 50 && !writer.canReadLine(); ++i) {
            writer.waitForReadyRead(100);
        }
        kill9(writer);
        const QStringList lines = QString::fromUtf8(writer.readAllStandardOutput()).split(u'\n');
        for (const QString &line : lines) {
            if (line.startsWith(u"COMMITTED "_s)) {
                committed.append(line.mid(10).trimmed());
            }
        }

        Result<std::unique_ptr<Registry>> registry = Registry::open(dir.path());
        QVERIFY2(registry, qPrintable(registry ? QString() : registry.error().message));
        const Result<Project> project =
            (*registry)->namespaces().store().projectByPath(u"acme/app"_s);
        QVERIFY(project);
        const Result<QList<Package>> stored =
            (*registry)->packages().store().packagesInProject(project->id, u"@acme/loop"_s);
        QVERIFY(stored);
        QStringList versions;
        QStringList referenced;
        for (const Package &package : *stored) {
            versions.append(package.version);
            referenced.append(package.sha512);
            // Every row has its whole blob.
            const Result<QByteArray> bytes = (*registry)->blobs().read(package.sha512);
            QVERIFY2(bytes, qPrintable(package.version));
            QCOMPARE(QString::fromLatin1(
                         QCryptographicHash::hash(*bytes, QCryptographicHash::Sha512).toHex()),
                     package.sha512);
        }
        // Every acknowledged publish survived (one more may have committed unacknowledged).
        for (const QString &version : std::as_const(committed)) {
            QVERIFY2(versions.contains(version), qPrintable(version));
        }
        QVERIFY(versions.size() <= committed.size() + round + 1);
        // No blob without a row.
        referenced.sort();
        QCOMPARE(blobFiles(dir.path()), referenced);
        QCOMPARE(integrityCheck(dir.path()), u"ok"_s);
    }
    QVERIFY2(committed.size() >= 8, "the writer never got to publish");
}

QTEST_GUILESS_MAIN(tst_KillWriter)
#include "tst_killwriter.moc"
