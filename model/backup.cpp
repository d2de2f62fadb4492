// SPDX-License-Identifier: GPL-3.0-or-later
#include "model/backup.h"

#include "model/blobstore.h"
#include "model/registry.h"
#include "model/store/database.h"
#include "model/store/sql.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlDatabase>
#include <QSqlQuery>

#include <QAtomicInteger>

#include <cerrno>
#include <fcntl.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

// The SQL here (VACUUM INTO, and reading a snapshot file that is no registry's database) works on
// files outside any Database, which is why it is not in model/store/.

namespace Trove {

namespace {

constexpr qint64 ReadBufferSize = 1024 * 1024;
constexpr int Attempts = 3;

struct BlobRef
{
    QString sha512;
    qint64 size = 0;
    QString label; // "name@version (project)" of one row using it
};

QString blobsFolder(const QString &dir)
{
    return QDir(dir).filePath(u"blobs"_s);
}

// Absent, or a folder with nothing in it.
Result<void> requireEmptyFolder(const QString &dir, const QString &what)
{
    const QFileInfo info(dir);
    if (!info.exists()) {
        return {};
    }
    if (!info.isDir()) {
        return Error::conflict(u"%1 %2 is not a folder"_s.arg(what, dir));
    }
    if (!QDir(dir).isEmpty(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden | QDir::System)) {
        return Error::conflict(u"%1 %2 is not empty"_s.arg(what, dir));
    }
    return {};
}

// Leaves `dir` as requireEmptyFolder() found it: removes what is in it, and the folder itself
// when it did not exist before.
void clearFolder(const QString &dir, bool existed)
{
    if (existed) {
        QDir folder(dir);
        for (const QFileInfo &entry : folder.entryInfoList(QDir::AllEntries | QDir::NoDotAndDotDot
                                                           | QDir::Hidden | QDir::System)) {
            if (entry.isDir() && !entry.isSymLink()) {
                QDir(entry.filePath()).removeRecursively();
            } else {
                QFile::remove(entry.filePath());
            }
        }
    } else {
        QDir(dir).removeRecursively();
    }
}

bool syncPath(const QString &path, bool directory)
{
    const int fd = ::open(QFile::encodeName(path).constData(),
                          (directory ? O_RDONLY | O_DIRECTORY : O_RDONLY) | O_CLOEXEC);
    if (fd < 0) {
        return false;
    }
    const bool synced = ::fsync(fd) == 0;
    ::close(fd);
    return synced;
}

// The SHA-512 (hex) and size of a file.
Result<std::pair<QString, qint64>> hashFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        return Error::storage(u"Cannot read %1: %2"_s.arg(path, file.errorString()));
    }
    QCryptographicHash hash(QCryptographicHash::Sha512);
    QByteArray buffer(ReadBufferSize, Qt::Uninitialized);
    qint64 total = 0;
    for (;;) {
        const qint64 read = file.read(buffer.data(), buffer.size());
        if (read < 0) {
            return Error::storage(u"Cannot read %1: %2"_s.arg(path, file.errorString()));
        }
        if (read == 0) {
            break;
        }
        hash.addData(QByteArrayView(buffer.constData(), read));
        total += read;
    }
    return std::pair{QString::fromLatin1(hash.result().toHex()), total};
}

// Hard-links `from` to `to` (true), or copies it when they are on different file systems or the
// file system has no hard links (false). The copy is fsync'ed.
Result<bool> linkOrCopy(const QString &from, const QString &to)
{
    if (!QDir().mkpath(QFileInfo(to).absolutePath())) {
        return Error::storage(u"Cannot create the folder of %1"_s.arg(to));
    }
    if (::link(QFile::encodeName(from).constData(), QFile::encodeName(to).constData()) == 0) {
        return true;
    }
    const int linkError = errno;
    if (linkError == ENOENT) {
        return Error::notFound(u"%1 is gone"_s.arg(from));
    }
    if (linkError != EXDEV && linkError != EPERM && linkError != EMLINK
        && linkError != EOPNOTSUPP) {
        return Error::storage(
            u"Cannot link %1 to %2: %3"_s.arg(from, to, qt_error_string(linkError)));
    }
    QFile source(from);
    if (!source.open(QIODevice::ReadOnly)) {
        return source.exists()
            ? Error::storage(u"Cannot read %1: %2"_s.arg(from, source.errorString()))
            : Error::notFound(u"%1 is gone"_s.arg(from));
    }
    QFile target(to);
    if (!target.open(QIODevice::WriteOnly | QIODevice::NewOnly)) {
        return Error::storage(u"Cannot write %1: %2"_s.arg(to, target.errorString()));
    }
    QByteArray buffer(ReadBufferSize, Qt::Uninitialized);
    for (;;) {
        const qint64 read = source.read(buffer.data(), buffer.size());
        if (read < 0) {
            return Error::storage(u"Cannot read %1: %2"_s.arg(from, source.errorString()));
        }
        if (read == 0) {
            break;
        }
        if (target.write(buffer.constData(), read) != read) {
            return Error::storage(u"Cannot write %1: %2"_s.arg(to, target.errorString()));
        }
    }
    if (!target.flush() || ::fsync(target.handle()) != 0) {
        return Error::storage(u"Cannot write %1 to disk"_s.arg(to));
    }
    return false;
}

// The blobs the rows of a database file reference, read through a connection of its own.
Result<QList<BlobRef>> blobsOfSnapshot(const QString &file, qint64 *rows)
{
    static QAtomicInteger<quint64> counter;
    const QString name = u"trove-backup-%1"_s.arg(counter.fetchAndAddRelaxed(1));
    Result<QList<BlobRef>> result = QList<BlobRef>();
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, name);
        db.setDatabaseName(file);
        db.setConnectOptions(u"QSQLITE_OPEN_READONLY"_s);
        QSqlQuery select(db);
        if (!db.open()) {
            result = Error::storage(u"Cannot open %1"_s.arg(file));
        } else if (!select.exec(u"SELECT p.sha512, p.size, p.name, p.version, pr.full_path"
                                " FROM packages p LEFT JOIN projects pr ON pr.id = p.project_id"
                                " ORDER BY p.id"_s)) {
            result = Sql::storageError(select, u"Cannot read the package rows of %1"_s.arg(file));
        } else {
            QHash<QString, qsizetype> seen;
            while (select.next()) {
                ++*rows;
                const QString sha512 = select.value(0).toString().toLower();
                if (seen.contains(sha512)) {
                    continue;
                }
                seen.insert(sha512, result->size());
                result->append({sha512,
                                select.value(1).toLongLong(),
                                u"%1@%2 (%3)"_s.arg(select.value(2).toString(),
                                                    select.value(3).toString(),
                                                    select.value(4).toString())});
            }
        }
    }
    QSqlDatabase::removeDatabase(name);
    return result;
}

// The tarballs of a backup by digest, wherever under blobs/sha512/ they are: a backup made
// before the store's folder layout changed restores as well.
QHash<QString, QString> backupBlobFiles(const QString &dir)
{
    QHash<QString, QString> files;
    QDirIterator it(
        QDir(blobsFolder(dir)).filePath(u"sha512"_s), QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        if (BlobStore::isDigest(it.fileName())) {
            files.insert(it.fileName(), path);
        }
    }
    return files;
}

// The file at `path` is the blob `ref`.
Result<void> verifyBlob(const BlobRef &ref, const QString &path)
{
    const Result<std::pair<QString, qint64>> hashed = hashFile(path);
    if (!hashed) {
        return hashed.error();
    }
    if (hashed->first != ref.sha512 || hashed->second != ref.size) {
        return Error::storage(
            u"The tarball of %1 does not match its SHA-512 and size (%2)"_s.arg(ref.label, path));
    }
    return {};
}

// One attempt at a backup into the empty `dir`; NotFound when a blob went between the snapshot
// and its link (the caller tries again).
Result<BackupReport> backupOnce(Registry &registry, const QString &dir)
{
    if (!QDir().mkpath(dir)) {
        return Error::storage(u"Cannot create %1"_s.arg(dir));
    }
    const QString snapshot = QDir(dir).filePath(QString::fromUtf16(Backup::DatabaseFile));
    {
        QSqlDatabase db = QSqlDatabase::database(registry.database().connectionName());
        if (!db.isOpen()) {
            return Error::storage(registry.database().lastOpenError());
        }
        QSqlQuery vacuum(db);
        if (!vacuum.prepare(u"VACUUM INTO :file"_s)) {
            return Sql::storageError(vacuum, u"Cannot snapshot the database"_s);
        }
        vacuum.bindValue(u":file"_s, snapshot);
        if (!vacuum.exec()) {
            return Sql::storageError(vacuum, u"Cannot snapshot the database"_s);
        }
    }
    if (!syncPath(snapshot, false)) {
        return Error::storage(u"Cannot write %1 to disk"_s.arg(snapshot));
    }
    BackupReport report;
    const Result<QList<BlobRef>> blobs = blobsOfSnapshot(snapshot, &report.rows);
    if (!blobs) {
        return blobs.error();
    }
    const BlobStore target(blobsFolder(dir));
    QSet<QString> folders;
    for (const BlobRef &ref : *blobs) {
        if (!BlobStore::isDigest(ref.sha512)) {
            return Error::storage(u"The row of %1 has no valid SHA-512"_s.arg(ref.label));
        }
        const QString to = target.pathOf(ref.sha512);
        const Result<bool> linked = linkOrCopy(registry.blobs().pathOf(ref.sha512), to);
        if (!linked) {
            if (linked.error().code == Error::Code::NotFound) {
                return Error::notFound(
                    u"The tarball of %1 is missing from the store"_s.arg(ref.label));
            }
            return linked.error();
        }
        if (const Result<void> verified = verifyBlob(ref, to); !verified) {
            return verified.error();
        }
        ++report.blobs;
        report.bytes += ref.size;
        report.linked += *linked ? 1 : 0;
        folders.insert(QFileInfo(to).absolutePath());
    }
    const QJsonObject manifest{
        {u"format"_s, Backup::Format},
        {u"created_at"_s, QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs)},
        {u"schema_version"_s, Database::schemaVersion()},
        {u"rows"_s, report.rows},
        {u"blobs"_s, report.blobs},
        {u"bytes"_s, report.bytes},
    };
    const QString manifestPath = QDir(dir).filePath(QString::fromUtf16(Backup::ManifestFile));
    QFile file(manifestPath);
    if (!file.open(QIODevice::WriteOnly | QIODevice::NewOnly)
        || file.write(QJsonDocument(manifest).toJson()) < 0 || !file.flush()
        || ::fsync(file.handle()) != 0) {
        return Error::storage(u"Cannot write %1"_s.arg(manifestPath));
    }
    file.close();
    for (const QString &folder : std::as_const(folders)) {
        syncPath(folder, true);
    }
    syncPath(dir, true);
    return report;
}

} // namespace

Result<BackupReport> backupRegistry(Registry &registry, const QString &dir)
{
    const QString target = QDir(dir).absolutePath();
    if (QDir(target) == QDir(registry.database().dataDir())) {
        return Error::invalid(u"The backup folder cannot be the data folder"_s);
    }
    if (const Result<void> empty = requireEmptyFolder(target, u"Backup folder"_s); !empty) {
        return empty.error();
    }
    const bool existed = QFileInfo::exists(target);
    Result<BackupReport> report = Error::storage(u"No attempt made"_s);
    for (int attempt = 0; attempt < Attempts; ++attempt) {
        report = backupOnce(registry, target);
        if (report) {
            return report;
        }
        clearFolder(target, existed);
        if (report.error().code != Error::Code::NotFound) {
            break;
        }
    }
    return report;
}

Result<BackupReport> verifyBackup(const QString &dir)
{
    QFile manifestFile(QDir(dir).filePath(QString::fromUtf16(Backup::ManifestFile)));
    if (!manifestFile.open(QIODevice::ReadOnly)) {
        return Error::invalid(u"%1 is no complete backup: it has no %2"_s.arg(
            dir, QString::fromUtf16(Backup::ManifestFile)));
    }
    const QJsonObject manifest = QJsonDocument::fromJson(manifestFile.readAll()).object();
    if (manifest.value(u"format"_s).toInt() != Backup::Format) {
        return Error::invalid(u"%1 is a backup in a format this Trove does not know"_s.arg(dir));
    }
    if (manifest.value(u"schema_version"_s).toInt() > Database::schemaVersion()) {
        return Error::invalid(
            u"%1 was made by a newer Trove (schema %2, this one knows %3)"_s.arg(dir)
                .arg(manifest.value(u"schema_version"_s).toInt())
                .arg(Database::schemaVersion()));
    }
    const QString snapshot = QDir(dir).filePath(QString::fromUtf16(Backup::DatabaseFile));
    if (!QFileInfo(snapshot).isFile()) {
        return Error::invalid(
            u"%1 is no backup: it has no %2"_s.arg(dir, QString::fromUtf16(Backup::DatabaseFile)));
    }
    BackupReport report;
    const Result<QList<BlobRef>> blobs = blobsOfSnapshot(snapshot, &report.rows);
    if (!blobs) {
        return blobs.error();
    }
    const QHash<QString, QString> files = backupBlobFiles(dir);
    for (const BlobRef &ref : *blobs) {
        if (!BlobStore::isDigest(ref.sha512)) {
            return Error::storage(u"The row of %1 has no valid SHA-512"_s.arg(ref.label));
        }
        const QString path = files.value(ref.sha512);
        if (path.isEmpty()) {
            return Error::storage(
                u"The backup lacks the tarball of %1 (%2…)"_s.arg(ref.label, ref.sha512.left(16)));
        }
        if (const Result<void> verified = verifyBlob(ref, path); !verified) {
            return verified.error();
        }
        ++report.blobs;
        report.bytes += ref.size;
    }
    if (manifest.value(u"rows"_s).toInteger() != report.rows
        || manifest.value(u"blobs"_s).toInteger() != report.blobs) {
        return Error::storage(u"%1 does not hold what its %2 lists"_s.arg(
            dir, QString::fromUtf16(Backup::ManifestFile)));
    }
    return report;
}

Result<BackupReport> restoreBackup(const QString &backupDir, const QString &dataDir)
{
    const QString target = QDir(dataDir).absolutePath();
    if (const Result<void> empty = requireEmptyFolder(target, u"Data folder"_s); !empty) {
        return Error::conflict(empty.error().message
                               + u": restore only into an empty or new data folder"_s);
    }
    Result<BackupReport> report = verifyBackup(backupDir);
    if (!report) {
        return report;
    }
    const bool existed = QFileInfo::exists(target);
    const auto fail = [&](const Error &error) -> Result<BackupReport> {
        clearFolder(target, existed);
        return error;
    };
    if (!QDir().mkpath(target)) {
        return Error::storage(u"Cannot create %1"_s.arg(target));
    }
    report->linked = 0;
    const QString snapshot = QDir(backupDir).filePath(QString::fromUtf16(Backup::DatabaseFile));
    qint64 rows = 0;
    const Result<QList<BlobRef>> blobs = blobsOfSnapshot(snapshot, &rows);
    if (!blobs) {
        return fail(blobs.error());
    }
    const QHash<QString, QString> files = backupBlobFiles(backupDir);
    const BlobStore destination(blobsFolder(target));
    for (const BlobRef &ref : *blobs) {
        const Result<bool> linked =
            linkOrCopy(files.value(ref.sha512), destination.pathOf(ref.sha512));
        if (!linked) {
            return fail(linked.error());
        }
        report->linked += *linked ? 1 : 0;
    }
    // The database is always copied: it changes in place once the registry runs.
    const QString database = QDir(target).filePath(QString::fromUtf16(Backup::DatabaseFile));
    if (!QFile::copy(snapshot, database) || !syncPath(database, false)) {
        return fail(Error::storage(u"Cannot copy %1 to %2"_s.arg(snapshot, database)));
    }
    QFile::setPermissions(database, QFile::ReadOwner | QFile::WriteOwner);
    syncPath(target, true);
    {
        // Opened once: brings an older backup's schema up to date and checks that it opens.
        Result<std::unique_ptr<Registry>> opened =
            Registry::open(target, Registry::Sweep::ByCaller);
        if (!opened) {
            return fail(opened.error());
        }
    }
    return report;
}

} // namespace Trove
