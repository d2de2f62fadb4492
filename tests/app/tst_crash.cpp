// SPDX-License-Identifier: GPL-3.0-or-later
// "A crash or kill at any moment loses no committed data" and "no orphan blob survives the next
// start" (docs/architecture.md §4): tests/app/crashwriter is killed with SIGKILL inside a publish's
// transaction, at random moments of a publish loop, and between an unpublish's commit and its
// blob clean-up; every time, the reopened store holds exactly the committed state.

#include "model/registry.h"

#include <QCryptographicHash>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QProcess>
#include <QRandomGenerator>
#include <QScopeGuard>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <functional>

using namespace Qt::StringLiterals;
using namespace Trove;

namespace {

const QString Writer = QStringLiteral(TROVE_BINARY_DIR "/tests/app/crashwriter");

// The same bytes as crashwriter's tarballFor().
QByteArray tarballFor(const QString &name, const QString &version)
{
    const QByteArray seed = (name + u'@' + version).toUtf8();
    return seed + QCryptographicHash::hash(seed, QCryptographicHash::Sha512).toHex().repeated(32);
}

QString sha512Of(const QByteArray &bytes)
{
    return QString::fromLatin1(QCryptographicHash::hash(bytes, QCryptographicHash::Sha512).toHex());
}

// Where BlobStore keeps a digest, relative to the data directory.
QString blobPath(const QString &sha512)
{
    return u"blobs/sha512/%1/%2"_s.arg(sha512.left(2), sha512);
}

// Every file under <dataDir>/blobs (temporary files of QSaveFile included), relative to dataDir.
QStringList blobFiles(const QString &dataDir)
{
    QStringList files;
    QDirIterator it(dataDir + u"/blobs"_s,
                    QDir::Files | QDir::Hidden | QDir::System,
                    QDirIterator::Subdirectories);
    while (it.hasNext()) {
        files.append(QDir(dataDir).relativeFilePath(it.next()));
    }
    files.sort();
    return files;
}

// Runs `work` on a plain connection of the test's own (not through the model).
void withConnection(const QString &dataDir,
                    const std::function<void(QSqlDatabase &)> &work,
                    const QString &options = {})
{
    static int counter = 0;
    const QString name = u"tst_crash_%1"_s.arg(++counter);
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, name);
        db.setDatabaseName(dataDir + u"/trove.sqlite"_s);
        db.setConnectOptions(options);
        if (db.open()) {
            work(db);
        } else {
            qWarning().noquote() << "cannot open" << db.lastError().text();
        }
    }
    QSqlDatabase::removeDatabase(name);
}

QString integrityCheck(const QString &dataDir)
{
    QString result;
    withConnection(dataDir, [&](QSqlDatabase &db) {
        QSqlQuery query(db);
        if (query.exec(u"PRAGMA integrity_check"_s) && query.next()) {
            result = query.value(0).toString();
        }
    });
    return result;
}

// The blob files that rows of the packages table reference (every project, every name).
QStringList referencedBlobFiles(const QString &dataDir)
{
    QStringList files;
    withConnection(dataDir, [&](QSqlDatabase &db) {
        QSqlQuery query(db);
        if (query.exec(u"SELECT DISTINCT sha512 FROM packages"_s)) {
            while (query.next()) {
                files.append(blobPath(query.value(0).toString()));
            }
        }
    });
    files.sort();
    return files;
}

// Opens the store as a start after the sweep's grace period would: every orphan the kill left
// is swept, however young (a live start keeps orphans younger than BlobStore::SweepGraceSeconds,
// which may belong to a publish about to commit).
std::unique_ptr<Registry> openRegistry(const QString &dataDir)
{
    Result<std::unique_ptr<Registry>> registry = Registry::open(dataDir, Registry::Sweep::ByCaller);
    if (!registry) {
        qWarning().noquote() << "Registry::open:" << registry.error().message;
        return nullptr;
    }
    if (const Result<int> swept = (*registry)->sweepOrphanBlobs(0); !swept) {
        qWarning().noquote() << "sweepOrphanBlobs:" << swept.error().message;
        return nullptr;
    }
    return std::move(*registry);
}

// Waits for a line starting with `prefix` on the writer's stdout; returns all that was read.
QString waitForLine(QProcess &writer, const QString &prefix)
{
    QString read;
    QElapsedTimer timer;
    timer.start();
    while (timer.elapsed() < 30000 && writer.state() == QProcess::Running) {
        writer.waitForReadyRead(100);
        read += QString::fromUtf8(writer.readAllStandardOutput());
        for (const QString &line : read.split(u'\n')) {
            if (line.startsWith(prefix)) {
                return read;
            }
        }
    }
    return read;
}

void killHard(QProcess &writer)
{
    if (writer.state() == QProcess::NotRunning) {
        return;
    }
    ::kill(pid_t(writer.processId()), SIGKILL);
    writer.waitForFinished(30000);
}

// The row, its blob on disk, and the bytes hashing to what the row says.
void checkPackage(Registry &registry, const Package &package)
{
    const Result<QByteArray> bytes = registry.blobs().read(package.sha512);
    QVERIFY2(bytes, qPrintable(package.name + u'@' + package.version));
    QCOMPARE(sha512Of(*bytes), package.sha512);
    QCOMPARE(
        QString::fromLatin1(QCryptographicHash::hash(*bytes, QCryptographicHash::Sha1).toHex()),
        package.sha1);
    QCOMPARE(qint64(bytes->size()), package.size);
    QCOMPARE(*bytes, tarballFor(package.name, package.version));
}

} // namespace

class tst_Crash : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void killedInsideAPublishTransaction();
    void killedAtRandomMomentsOfAPublishLoop();
    void killedBetweenUnpublishCommitAndBlobCleanUp();
};

void tst_Crash::initTestCase()
{
    QVERIFY2(QFileInfo(Writer).isExecutable(), qPrintable(Writer));
}

void tst_Crash::killedInsideAPublishTransaction()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QProcess writer;
    writer.start(Writer, {u"mid-transaction"_s, dir.path()});
    QVERIFY(writer.waitForStarted());
    const auto stopWriter = qScopeGuard([&writer] { killHard(writer); });
    const QString read = waitForLine(writer, u"IN-TRANSACTION"_s);
    QVERIFY2(read.contains(u"IN-TRANSACTION\n"_s),
             qPrintable(read + QString::fromUtf8(writer.readAllStandardError())));

    const QString committedBlob = blobPath(sha512Of(tarballFor(u"crash"_s, u"1.0.0"_s)));
    const QString uncommittedBlob = blobPath(sha512Of(tarballFor(u"crash"_s, u"2.0.0"_s)));
    // The moment is the one we want: the blob is on disk, the row is written but not committed
    // (another connection does not see it), and the writer holds the write lock.
    QStringList bothBlobs = {committedBlob, uncommittedBlob};
    bothBlobs.sort();
    QCOMPARE(blobFiles(dir.path()), bothBlobs);
    withConnection(
        dir.path(),
        [](QSqlDatabase &db) {
            QSqlQuery query(db);
            QVERIFY(query.exec(u"SELECT version FROM packages ORDER BY version"_s));
            QStringList versions;
            while (query.next()) {
                versions.append(query.value(0).toString());
            }
            QCOMPARE(versions, QStringList{u"1.0.0"_s});
            QVERIFY2(!query.exec(u"BEGIN IMMEDIATE"_s), "the writer does not hold the write lock");
            QVERIFY2(query.lastError().text().contains(u"locked"_s),
                     qPrintable(query.lastError().text()));
        },
        u"QSQLITE_BUSY_TIMEOUT=0"_s);
    if (QTest::currentTestFailed()) {
        return;
    }

    killHard(writer);
    QCOMPARE(writer.exitStatus(), QProcess::CrashExit);
    // Before the next start, the blob of the lost transaction is still there.
    QVERIFY(blobFiles(dir.path()).contains(uncommittedBlob));

    std::unique_ptr<Registry> registry = openRegistry(dir.path());
    QVERIFY(registry);
    const Result<Project> project = registry->namespaces().store().projectByPath(u"crash/app"_s);
    QVERIFY(project);
    PackageStore &packages = registry->packages().store();
    // The old state: 1.0.0 with its blob and tag; no 2.0.0, and its blob swept by open().
    const Result<Package> first = packages.packageVersion(project->id, u"crash"_s, u"1.0.0"_s);
    QVERIFY(first);
    checkPackage(*registry, *first);
    if (QTest::currentTestFailed()) {
        return;
    }
    const Result<Package> lost = packages.packageVersion(project->id, u"crash"_s, u"2.0.0"_s);
    QVERIFY(!lost);
    QCOMPARE(lost.error().code, Error::Code::NotFound);
    QCOMPARE(*packages.packageCount(), qint64(1));
    const Result<QList<DistTag>> tags = packages.distTags(project->id, u"crash"_s);
    QVERIFY(tags);
    QCOMPARE(tags->size(), 1);
    QCOMPARE(tags->first().tag, u"latest"_s);
    QCOMPARE(tags->first().version, u"1.0.0"_s);
    QCOMPARE(blobFiles(dir.path()), QStringList{committedBlob});
    QCOMPARE(integrityCheck(dir.path()), u"ok"_s);

    // The store is usable: no lock or journal was left behind, and the version can be published.
    PackageService::PublishRequest request;
    request.projectId = project->id;
    request.name = u"crash"_s;
    request.version = u"2.0.0"_s;
    request.packageJson = R"({"name":"crash","version":"2.0.0"})";
    request.tarball = tarballFor(u"crash"_s, u"2.0.0"_s);
    request.publisher.kind = Actor::Kind::User;
    request.publisher.username = u"test"_s;
    const Result<Package> published = registry->packages().publish(request);
    QVERIFY2(published, qPrintable(published ? QString() : published.error().message));
    QCOMPARE(blobFiles(dir.path()), bothBlobs);
}

void tst_Crash::killedAtRandomMomentsOfAPublishLoop()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QRandomGenerator random(20240611);
    QStringList present; // the versions in the store after the last reopen
    int acknowledged = 0;
    constexpr int RandomRounds = 12;
    // The last round waits for a few publishes before it kills, so the test never passes
    // without having published anything.
    for (int round = 0; round <= RandomRounds; ++round) {
        QProcess writer;
        writer.start(Writer, {u"publish-loop"_s, dir.path()});
        QVERIFY(writer.waitForStarted());
        const auto stopWriter = qScopeGuard([&writer] { killHard(writer); });
        if (round < RandomRounds) {
            QTest::qSleep(int(random.bounded(20, 301)));
        } else {
            QString read;
            for (int i = 0; i < 300 && read.count(u"COMMITTED "_s) < 3; ++i) {
                writer.waitForReadyRead(100);
                read = QString::fromUtf8(writer.peek(1 << 20));
            }
        }
        killHard(writer);
        QVERIFY2(writer.exitStatus() == QProcess::CrashExit,
                 qPrintable(u"the writer stopped by itself: "_s
                            + QString::fromUtf8(writer.readAllStandardError())));
        // Whole lines only: a line the writer had not finished is not an acknowledgement.
        QStringList printed;
        QStringList lines = QString::fromUtf8(writer.readAllStandardOutput()).split(u'\n');
        lines.removeLast();
        for (const QString &line : std::as_const(lines)) {
            QVERIFY2(line.startsWith(u"COMMITTED 1.0."_s), qPrintable(line));
            printed.append(line.mid(10));
        }
        acknowledged += printed.size();

        // What the last start could not see: orphans the kill left (swept by the open below).
        const QStringList orphans = [&] {
            QStringList files = blobFiles(dir.path());
            for (const QString &file : referencedBlobFiles(dir.path())) {
                files.removeOne(file);
            }
            return files;
        }();

        std::unique_ptr<Registry> registry = openRegistry(dir.path());
        QVERIFY(registry);
        QStringList versions;
        const Result<Project> project =
            registry->namespaces().store().projectByPath(u"crash/app"_s);
        if (project) {
            const Result<QList<Package>> stored =
                registry->packages().store().packagesInProject(project->id, u"loop"_s);
            QVERIFY(stored);
            for (const Package &package : *stored) {
                versions.append(package.version);
                checkPackage(*registry, package);
                if (QTest::currentTestFailed()) {
                    return;
                }
            }
        } else {
            // Killed before the project was created: nothing can have been published.
            QVERIFY(present.isEmpty() && printed.isEmpty());
        }
        // The loop publishes 1.0.0, 1.0.1, … one at a time: the store holds a gapless run of
        // them, containing what it held before and every acknowledged version, and at most one
        // more (committed, killed before "COMMITTED" was printed).
        for (int patch = 0; patch < versions.size(); ++patch) {
            QVERIFY2(versions.contains(u"1.0.%1"_s.arg(patch)), qPrintable(versions.join(u' ')));
        }
        for (const QString &version : std::as_const(present) + printed) {
            QVERIFY2(versions.contains(version),
                     qPrintable(u"lost committed %1 in round %2"_s.arg(version).arg(round)));
        }
        const qsizetype expected = present.size() + printed.size();
        QVERIFY2(versions.size() == expected || versions.size() == expected + 1,
                 qPrintable(u"round %1: %2 before, %3 acknowledged, %4 now"_s.arg(round)
                                .arg(present.size())
                                .arg(printed.size())
                                .arg(versions.size())));
        // The tag moved in the same transaction as the row it points to.
        if (!versions.isEmpty()) {
            const Result<QList<DistTag>> tags =
                registry->packages().store().distTags(project->id, u"loop"_s);
            QVERIFY(tags);
            QCOMPARE(tags->size(), 1);
            QCOMPARE(tags->first().version, u"1.0.%1"_s.arg(versions.size() - 1));
        }
        // Every file under blobs/ is a whole blob that a row references.
        QCOMPARE(blobFiles(dir.path()), referencedBlobFiles(dir.path()));
        QCOMPARE(integrityCheck(dir.path()), u"ok"_s);
        qInfo().noquote()
            << u"round %1: %2 versions, %3 acknowledged now, %4 orphan file(s) swept"_s.arg(round)
                   .arg(versions.size())
                   .arg(printed.size())
                   .arg(orphans.size());
        present = versions;
    }
    QVERIFY(acknowledged >= 3);
}

void tst_Crash::killedBetweenUnpublishCommitAndBlobCleanUp()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QProcess writer;
    writer.start(Writer, {u"unpublish-gap"_s, dir.path()});
    QVERIFY(writer.waitForStarted());
    const auto stopWriter = qScopeGuard([&writer] { killHard(writer); });
    const QString read = waitForLine(writer, u"COMMITTED"_s);
    QVERIFY2(read.contains(u"COMMITTED\n"_s),
             qPrintable(read + QString::fromUtf8(writer.readAllStandardError())));
    killHard(writer);
    QCOMPARE(writer.exitStatus(), QProcess::CrashExit);

    // gap@1.0.0 and gap@1.0.1 share one blob; other@1.0.0 has its own, now an orphan.
    const QString shared = blobPath(sha512Of(tarballFor(u"gap"_s, u"1.0.0"_s)));
    const QString orphan = blobPath(sha512Of(tarballFor(u"other"_s, u"1.0.0"_s)));
    QStringList bothBlobs = {shared, orphan};
    bothBlobs.sort();
    QCOMPARE(blobFiles(dir.path()), bothBlobs);
    QCOMPARE(referencedBlobFiles(dir.path()), QStringList{shared});

    std::unique_ptr<Registry> registry = openRegistry(dir.path());
    QVERIFY(registry);
    const Result<Project> project = registry->namespaces().store().projectByPath(u"crash/app"_s);
    QVERIFY(project);
    PackageStore &packages = registry->packages().store();
    // The committed delete holds; the version that shares the blob keeps it whole.
    QVERIFY(!packages.packageVersion(project->id, u"gap"_s, u"1.0.0"_s));
    QVERIFY(!packages.packageVersion(project->id, u"other"_s, u"1.0.0"_s));
    const Result<Package> kept = packages.packageVersion(project->id, u"gap"_s, u"1.0.1"_s);
    QVERIFY(kept);
    QCOMPARE(*registry->blobs().read(kept->sha512), tarballFor(u"gap"_s, u"1.0.0"_s));
    QCOMPARE(*packages.packageCount(), qint64(1));
    QCOMPARE(blobFiles(dir.path()), QStringList{shared});
    QCOMPARE(integrityCheck(dir.path()), u"ok"_s);
}

QTEST_GUILESS_MAIN(tst_Crash)
#include "tst_crash.moc"
