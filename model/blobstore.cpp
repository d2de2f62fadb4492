// SPDX-License-Identifier: GPL-3.0-or-later
#include "model/blobstore.h"

#include "model/logging.h"
#include "model/npm/publishbody.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QTemporaryFile>

#include <cerrno>
#include <cstdio> // renameat2
#include <cstring>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace Trove {

BlobStore::BlobStore(const QString &root)
    : m_root(root)
{
}

bool BlobStore::isDigest(const QString &text)
{
    if (text.size() != 128) {
        return false;
    }
    for (const QChar c : text) {
        if (!((c >= u'0' && c <= u'9') || (c >= u'a' && c <= u'f'))) {
            return false;
        }
    }
    return true;
}

QString BlobStore::pathOf(const QString &sha512Hex) const
{
    Q_ASSERT(isDigest(sha512Hex));
    return m_root % u"/sha512/"_s % QStringView(sha512Hex).left(2) % u'/' % sha512Hex;
}

bool BlobStore::contains(const QString &sha512Hex) const
{
    return isDigest(sha512Hex) && QFile::exists(pathOf(sha512Hex));
}

namespace {

Error posixError(const QString &what, const QString &path)
{
    return Error::storage(u"%1 %2: %3"_s.arg(what, path, QString::fromLocal8Bit(strerror(errno))));
}

Result<void> syncPath(const QString &path, int flags)
{
    const int fd = ::open(QFile::encodeName(path).constData(), flags | O_CLOEXEC);
    if (fd < 0) {
        return posixError(u"Cannot open"_s, path);
    }
    const int synced = ::fsync(fd);
    const int savedErrno = errno;
    const int closed = ::close(fd);
    if (synced != 0 || closed != 0) {
        errno = synced != 0 ? savedErrno : errno;
        return posixError(u"Cannot fsync"_s, path);
    }
    return {};
}

// Writes `bytes` to a new file in `dir` (synced by install()); returns its path.
Result<QString> writeStagingFile(const QString &dir, const QByteArray &bytes)
{
    QTemporaryFile file(dir + u"/blob-XXXXXX"_s);
    file.setAutoRemove(false);
    if (!file.open()) {
        return Error::storage(u"Cannot create a file in %1: %2"_s.arg(dir, file.errorString()));
    }
    const QString path = file.fileName();
    qint64 written = 0;
    while (written < bytes.size()) {
        const qint64 n =
            ::write(file.handle(), bytes.constData() + written, size_t(bytes.size() - written));
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            const Error error = posixError(u"Cannot write"_s, path);
            QFile::remove(path);
            return error;
        }
        written += n;
    }
    file.close();
    return path;
}

// Copies `from` into a new file in `dir` in pieces (never whole in memory).
Result<QString> copyToStagingFile(const QString &dir, const QString &from)
{
    QFile in(from);
    if (!in.open(QIODevice::ReadOnly)) {
        return Error::storage(u"Cannot read %1: %2"_s.arg(from, in.errorString()));
    }
    QTemporaryFile out(dir + u"/blob-XXXXXX"_s);
    out.setAutoRemove(false);
    if (!out.open()) {
        return Error::storage(u"Cannot create a file in %1: %2"_s.arg(dir, out.errorString()));
    }
    const QString path = out.fileName();
    while (!in.atEnd()) {
        const QByteArray piece = in.read(64 * 1024);
        if (piece.isEmpty() || out.write(piece) != piece.size()) {
            out.remove();
            return Error::storage(u"Cannot copy %1 to %2"_s.arg(from, path));
        }
    }
    if (!out.flush()) {
        const Error error = posixError(u"Cannot write"_s, path);
        out.remove();
        return error;
    }
    out.close();
    return path;
}

// Renames `from` to `to` unless `to` exists (then fails with EEXIST): renameat2's
// RENAME_NOREPLACE, or link() and unlink() on file systems without it (some network ones).
int renameNoReplace(const QByteArray &from, const QByteArray &to)
{
    if (::renameat2(AT_FDCWD, from.constData(), AT_FDCWD, to.constData(), RENAME_NOREPLACE) == 0) {
        return 0;
    }
    if (errno != EINVAL && errno != ENOSYS) {
        return -1;
    }
    if (::link(from.constData(), to.constData()) != 0) {
        return -1;
    }
    ::unlink(from.constData()); // a leftover staging file is swept later
    return 0;
}

// Whether the file at `path` holds exactly the bytes whose SHA-512 is `sha512Hex`.
bool holdsDigest(const QString &path, const QString &sha512Hex)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        return false;
    }
    QCryptographicHash hash(QCryptographicHash::Sha512);
    return hash.addData(&file) && hash.result().toHex() == sha512Hex.toLatin1();
}

// Renames a complete file into place, then makes its content and its name durable: the file is
// synced after the rename, so on a journalling file system one commit carries both, and the
// folder's sync after it finds little left to do (docs/architecture.md §4). Until both syncs
// have returned no row refers to the blob, so a crash in between leaves at worst a name
// without its bytes, which reuse() checks and the sweep removes. Returns false in
// `*installed` when a blob of that name appeared meanwhile (`from` is left where it is).
Result<void> install(const QString &from,
                     const QString &to,
                     bool *crossDevice = nullptr,
                     bool *installed = nullptr)
{
    const QString dir = QFileInfo(to).absolutePath();
    // The folders this rename needs that do not exist yet (prepare() creates all 256, but one may
    // have been deleted since): each new one's entry in its parent must be made durable too.
    QStringList created;
    for (QString folder = dir;
         !QFileInfo::exists(folder) && QFileInfo(folder).fileName() != u"sha512"_s;
         folder = QFileInfo(folder).absolutePath()) {
        created.append(folder);
    }
    if (!QDir().mkpath(dir)) {
        return Error::storage(u"Cannot create the folder %1"_s.arg(dir));
    }
    // Blobs are read by whoever serves them; staging files are created private.
    if (::chmod(QFile::encodeName(from).constData(), 0644) != 0) {
        return posixError(u"Cannot set the mode of"_s, from);
    }
    if (renameNoReplace(QFile::encodeName(from), QFile::encodeName(to)) != 0) {
        if (errno == EEXIST && installed) {
            *installed = false;
            return {};
        }
        if (crossDevice) {
            *crossDevice = errno == EXDEV;
        }
        return posixError(u"Cannot move a blob to"_s, to);
    }
    if (installed) {
        *installed = true;
    }
    if (const Result<void> synced = syncPath(to, O_RDONLY); !synced) {
        return synced;
    }
    if (const Result<void> synced = syncPath(dir, O_RDONLY | O_DIRECTORY); !synced) {
        return synced;
    }
    for (const QString &folder : std::as_const(created)) {
        if (const Result<void> synced =
                syncPath(QFileInfo(folder).absolutePath(), O_RDONLY | O_DIRECTORY);
            !synced) {
            return synced;
        }
    }
    return {};
}

} // namespace

Result<QString> BlobStore::stagingDir() const
{
    const QString dir = m_root + u"/tmp"_s;
    if (!QDir().mkpath(dir)) {
        return Error::storage(u"Cannot create the staging folder %1"_s.arg(dir));
    }
    return dir;
}

namespace {

// Moves the blobs of one first-level folder out of its legacy second-level folders.
Result<void> flattenFolder(const QString &folder)
{
    const QString prefix = QFileInfo(folder).fileName();
    const QStringList subfolders = QDir(folder).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    if (subfolders.isEmpty()) {
        return {};
    }
    for (const QString &sub : subfolders) {
        const QString legacy = folder + u'/' + sub;
        const QStringList names = QDir(legacy).entryList(QDir::Files | QDir::Hidden | QDir::System);
        for (const QString &name : names) {
            // Anything else is left where it is, for the sweep to judge.
            if (!BlobStore::isDigest(name) || !name.startsWith(prefix + sub)) {
                continue;
            }
            const QByteArray from = QFile::encodeName(legacy + u'/' + name);
            const QByteArray to = QFile::encodeName(folder + u'/' + name);
            // ENOENT: another process opening the store moved it first.
            if (::rename(from.constData(), to.constData()) != 0 && errno != ENOENT) {
                return posixError(u"Cannot move a blob to"_s, folder);
            }
        }
        if (const Result<void> synced = syncPath(legacy, O_RDONLY | O_DIRECTORY); !synced) {
            return synced;
        }
    }
    if (const Result<void> synced = syncPath(folder, O_RDONLY | O_DIRECTORY); !synced) {
        return synced;
    }
    for (const QString &sub : subfolders) {
        QDir(folder).rmdir(sub); // only when empty; a stray file keeps it, for the sweep
    }
    return {};
}

} // namespace

Result<void> BlobStore::prepare()
{
    const QString top = m_root + u"/sha512"_s;
    if (!QDir().mkpath(top)) {
        return Error::storage(u"Cannot create the folder %1"_s.arg(top));
    }
    // All 256 first-level folders exist from now on, so that storing a blob syncs its file and
    // one folder, never a chain of new folders (docs/architecture.md §4).
    for (int i = 0; i < 256; ++i) {
        const QString folder = top + u'/' + u"%1"_s.arg(i, 2, 16, QChar(u'0'));
        if (!QDir().mkpath(folder)) {
            return Error::storage(u"Cannot create the folder %1"_s.arg(folder));
        }
        if (const Result<void> flattened = flattenFolder(folder); !flattened) {
            return flattened;
        }
    }
    return syncPath(top, O_RDONLY | O_DIRECTORY);
}

namespace {

// An existing blob taken for a new row. Its bytes are checked: a crash between install()'s
// rename and its syncs can leave a name without them, and such a file is removed so that the
// new bytes take its place (false). A good one is synced (another publish of the same bytes may
// not have synced it yet) and its time refreshed, which keeps it from the sweep until the
// caller's row is committed (true).
Result<bool> reuse(const QString &path, const QString &sha512Hex)
{
    if (!QFile::exists(path)) {
        return false;
    }
    if (!holdsDigest(path, sha512Hex)) {
        qCWarning(lcModel).noquote()
            << "Replacing" << path << "whose content does not match its name";
        if (!QFile::remove(path) && QFile::exists(path)) {
            return Error::storage(u"Cannot remove the damaged blob %1"_s.arg(path));
        }
        return false;
    }
    if (const Result<void> synced = syncPath(path, O_RDONLY); !synced) {
        return synced.error();
    }
    if (const Result<void> synced =
            syncPath(QFileInfo(path).absolutePath(), O_RDONLY | O_DIRECTORY);
        !synced) {
        return synced.error();
    }
    if (::utimensat(AT_FDCWD, QFile::encodeName(path).constData(), nullptr, 0) != 0) {
        return posixError(u"Cannot touch"_s, path);
    }
    return true;
}

// install(), and when another writer put the same blob in place first, reuse() of theirs.
// `*moved` says whether `from` was renamed into the store (else it is still the caller's).
Result<void> settle(const QString &from,
                    const QString &path,
                    const QString &sha512Hex,
                    bool *moved,
                    bool *crossDevice = nullptr)
{
    *moved = false;
    if (const Result<void> installed = install(from, path, crossDevice, moved); !installed) {
        return installed;
    }
    if (*moved) {
        return {};
    }
    const Result<bool> reused = reuse(path, sha512Hex);
    if (!reused) {
        return reused.error();
    }
    if (!*reused) {
        return Error::storage(u"The blob %1 changed while it was stored"_s.arg(path));
    }
    return {};
}

} // namespace

Result<QString> BlobStore::put(const QByteArray &bytes)
{
    const QString digest =
        QString::fromLatin1(QCryptographicHash::hash(bytes, QCryptographicHash::Sha512).toHex());
    const QString path = pathOf(digest);
    if (const Result<bool> reused = reuse(path, digest); !reused) {
        return reused.error();
    } else if (*reused) {
        return digest;
    }
    const Result<QString> staging = stagingDir();
    if (!staging) {
        return staging.error();
    }
    const Result<QString> written = writeStagingFile(*staging, bytes);
    if (!written) {
        return written.error();
    }
    bool moved = false;
    const Result<void> settled = settle(*written, path, digest, &moved);
    if (!moved) {
        QFile::remove(*written);
    }
    if (!settled) {
        return settled.error();
    }
    return digest;
}

Result<void> BlobStore::adopt(Npm::StagedFile &file, const QString &sha512Hex)
{
    Q_ASSERT(isDigest(sha512Hex));
    const QString path = pathOf(sha512Hex);
    if (const Result<bool> reused = reuse(path, sha512Hex); !reused) {
        return reused.error();
    } else if (*reused) {
        return {};
    }
    bool moved = false;
    bool crossDevice = false;
    const Result<void> settled = settle(file.path(), path, sha512Hex, &moved, &crossDevice);
    if (moved) {
        file.release();
    }
    if (settled || !crossDevice) {
        return settled;
    }
    // Staged on another file system: copy into ours first.
    const Result<QString> staging = stagingDir();
    if (!staging) {
        return staging.error();
    }
    const Result<QString> copy = copyToStagingFile(*staging, file.path());
    if (!copy) {
        return copy.error();
    }
    const Result<void> copied = settle(*copy, path, sha512Hex, &moved);
    if (!moved) {
        QFile::remove(*copy);
    }
    return copied;
}

Result<QByteArray> BlobStore::read(const QString &sha512Hex) const
{
    if (!isDigest(sha512Hex)) {
        return Error::invalid(u"Not a blob address"_s);
    }
    QFile file(pathOf(sha512Hex));
    if (!file.open(QIODevice::ReadOnly)) {
        return Error::notFound(u"Blob %1 is missing"_s.arg(sha512Hex.left(16)));
    }
    return file.readAll();
}

Result<void> BlobStore::remove(const QString &sha512Hex)
{
    if (!isDigest(sha512Hex)) {
        return Error::invalid(u"Not a blob address"_s);
    }
    const QString path = pathOf(sha512Hex);
    if (QFile::exists(path) && !QFile::remove(path)) {
        return Error::storage(u"Cannot delete %1"_s.arg(path));
    }
    return {};
}

Result<int>
BlobStore::sweep(const std::function<Result<bool>(const QString &sha512Hex)> &isReferenced,
                 qint64 graceSeconds)
{
    const QDateTime youngAfter = QDateTime::currentDateTimeUtc().addSecs(-graceSeconds);
    int removed = 0;
    for (const QString &folder : {u"/sha512"_s, u"/tmp"_s}) {
        QDirIterator it(m_root + folder,
                        QDir::Files | QDir::Hidden | QDir::System,
                        QDirIterator::Subdirectories);
        while (it.hasNext()) {
            const QString path = it.next();
            const QString name = it.fileName();
            // Young files may belong to a publish whose row is not committed yet.
            if (it.fileInfo().lastModified() > youngAfter) {
                continue;
            }
            bool keep = false;
            if (folder == u"/sha512"_s && isDigest(name) && path == pathOf(name)) {
                const Result<bool> referenced = isReferenced(name);
                if (!referenced) {
                    return referenced.error();
                }
                keep = *referenced;
            }
            if (!keep) {
                if (!QFile::remove(path)) {
                    return Error::storage(u"Cannot delete %1"_s.arg(path));
                }
                qCInfo(lcStore).noquote() << "Swept unreferenced blob file" << name.left(24);
                ++removed;
            }
        }
    }
    return removed;
}

} // namespace Trove
