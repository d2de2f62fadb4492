// SPDX-License-Identifier: GPL-3.0-or-later
#include "model/npm/tarball.h"

#include <QFile>

#include <archive.h>
#include <archive_entry.h>

#include <cerrno>
#include <memory>

using namespace Qt::StringLiterals;

namespace Trove::Npm {

namespace {

struct ArchiveDeleter
{
    void operator()(archive *a) const { archive_read_free(a); }
};
using ArchivePtr = std::unique_ptr<archive, ArchiveDeleter>;

ArchivePtr newReader()
{
    ArchivePtr reader(archive_read_new());
    // npm tarballs are gzip + tar; nothing else is accepted.
    archive_read_support_filter_gzip(reader.get());
    archive_read_support_format_tar(reader.get());
    return reader;
}

QString archiveError(archive *a)
{
    const char *text = archive_error_string(a);
    return text ? QString::fromUtf8(text) : u"unknown error"_s;
}

// A failure before the first entry: no format recognised is "not a tar"; anything else (a
// truncated or damaged gzip stream) is corruption. libarchive reports an unknown format as EILSEQ
// (its private ARCHIVE_ERRNO_FILE_FORMAT).
Error openingError(archive *a)
{
    if (archive_errno(a) == EILSEQ) {
        return Error::invalid(u"Tarball is not a gzip-compressed tar archive"_s);
    }
    return Error::invalid(u"Tarball is corrupt: "_s + archiveError(a));
}

bool isReadmeName(const QString &fileName)
{
    static const QStringList names = {
        u"readme"_s, u"readme.md"_s, u"readme.markdown"_s, u"readme.txt"_s};
    return names.contains(fileName.toLower());
}

Result<QByteArray> readEntry(archive *a, qint64 size)
{
    QByteArray data;
    data.resize(size);
    const la_ssize_t read = archive_read_data(a, data.data(), size_t(data.size()));
    if (read != la_ssize_t(data.size())) {
        return Error::invalid(u"Tarball is corrupt: "_s + archiveError(a));
    }
    return data;
}

// npm unpacks a tarball by dropping the first path component of every entry, so every entry must
// sit in the same single top folder ("package/" as npm packs), reachable by a plain relative path,
// and be a plain file or folder: a link or device would point an installer outside the package.
Result<void> checkEntry(archive_entry *entry, const TarballEntry &item, QString &topFolder)
{
    const auto type = archive_entry_filetype(entry);
    if (archive_entry_hardlink(entry) != nullptr) {
        return Error::invalid(
            u"Tarball entry %1 is a hard link: only files and folders"_s.arg(item.path));
    }
    if (type == AE_IFLNK) {
        return Error::invalid(
            u"Tarball entry %1 is a symbolic link: only files and folders"_s.arg(item.path));
    }
    if (type != AE_IFREG && type != AE_IFDIR) {
        return Error::invalid(
            u"Tarball entry %1 is a device, fifo or socket: only files and folders"_s.arg(
                item.path));
    }
    if (item.path.startsWith(u'/')) {
        return Error::invalid(u"Tarball entry %1 has an absolute path"_s.arg(item.path));
    }
    // A control character (a newline, an escape sequence) in a file name is no part of a package
    // and can mislead whoever lists the files; a name that is not UTF-8 cannot be shown right.
    if (archive_entry_pathname_utf8(entry) == nullptr) {
        return Error::invalid(u"Tarball entry names must be UTF-8"_s);
    }
    for (const QChar c : item.path) {
        if (c.unicode() < 0x20 || c.unicode() == 0x7f) {
            QString shown = item.path;
            shown.replace(c, u'?');
            return Error::invalid(
                u"Tarball entry %1 has a control character in its name"_s.arg(shown));
        }
    }
    QString path = item.path;
    if (type == AE_IFDIR && path.endsWith(u'/')) {
        path.chop(1);
    }
    const QStringList parts = path.split(u'/');
    for (const QString &part : parts) {
        if (part == u".."_s) {
            return Error::invalid(u"Tarball entry %1 has a .. component"_s.arg(item.path));
        }
        if (part.isEmpty() || part == u"."_s || part.contains(u'\\')) {
            return Error::invalid(
                u"Tarball entry %1 has an empty, . or \\ component"_s.arg(item.path));
        }
    }
    if (parts.size() == 1 && type != AE_IFDIR) {
        return Error::invalid(
            u"Tarball entry %1 is outside the package folder (package/)"_s.arg(item.path));
    }
    if (topFolder.isEmpty()) {
        topFolder = parts.at(0);
    } else if (parts.at(0) != topFolder) {
        return Error::invalid(
            u"Tarball entry %1 is outside the package folder (%2/)"_s.arg(item.path, topFolder));
    }
    return {};
}

Result<TarballInfo> readAll(archive *a, const TarballLimits &limits)
{
    TarballInfo info;
    QString topFolder;
    bool packageJsonFound = false;
    archive_entry *entry = nullptr;
    bool first = true;
    for (;;) {
        const int status = archive_read_next_header(a, &entry);
        if (status == ARCHIVE_EOF) {
            // A tar of no entries is still a tar: only the missing package.json is wrong.
            first = first && archive_format(a) == 0;
            break;
        }
        if (status < ARCHIVE_WARN) {
            if (first) {
                return openingError(a);
            }
            return Error::invalid(u"Tarball is corrupt: "_s + archiveError(a));
        }
        if (first && archive_filter_code(a, 0) != ARCHIVE_FILTER_GZIP) {
            return Error::invalid(u"Tarball is not a gzip-compressed tar archive"_s);
        }
        first = false;
        if (info.entries.size() >= limits.maxEntries) {
            return Error::invalid(u"Tarball has more than %1 entries"_s.arg(limits.maxEntries));
        }
        TarballEntry item;
        const char *pathname = archive_entry_pathname_utf8(entry);
        item.path = pathname ? QString::fromUtf8(pathname)
                             : QString::fromLocal8Bit(archive_entry_pathname(entry));
        const auto type = archive_entry_filetype(entry);
        item.isFile = type == AE_IFREG;
        item.size = archive_entry_size(entry);
        if (limits.strictLayout) {
            if (const Result<void> allowed = checkEntry(entry, item, topFolder); !allowed) {
                return allowed.error();
            }
        }
        // Checked arithmetic: a negative size, or one that would carry the sum past the limit
        // (2, then INT64_MAX - 1), is refused before it is added.
        if (item.size < 0) {
            return Error::invalid(u"Tarball entry %1 has a negative size"_s.arg(item.path));
        }
        if (item.size > limits.maxUnpackedSize - info.unpackedSize) {
            return Error::invalid(
                u"Tarball unpacks to more than %1 bytes"_s.arg(limits.maxUnpackedSize));
        }
        info.unpackedSize += item.size;
        // GitLab's rule: the path matches ^[^/]+/package.json$, whatever the top folder's name.
        const QStringList parts = item.path.split(u'/');
        const bool isPackageJson = item.isFile && parts.size() == 2 && !parts.at(0).isEmpty()
            && parts.at(1) == u"package.json"_s;
        if (isPackageJson && packageJsonFound && limits.strictLayout) {
            // Which one would an installer read? Never guess.
            return Error::invalid(
                u"Tarball has more than one %1: publish one package.json"_s.arg(item.path));
        }
        if (isPackageJson && !packageJsonFound) {
            if (item.size > limits.maxPackageJsonSize) {
                return Error::invalid(u"package.json file too large"_s);
            }
            Result<QByteArray> data = readEntry(a, item.size);
            if (!data) {
                return data.error();
            }
            info.packageJson = *data;
            packageJsonFound = true;
        } else if (item.isFile && info.readmePath.isEmpty() && parts.size() == 2
                   && item.size <= limits.maxReadmeSize && isReadmeName(parts.at(1))) {
            Result<QByteArray> data = readEntry(a, item.size);
            if (!data) {
                return data.error();
            }
            info.readme = *data;
            info.readmePath = item.path;
        } else if (archive_read_data_skip(a) != ARCHIVE_OK) {
            return Error::invalid(u"Tarball is corrupt: "_s + archiveError(a));
        }
        info.entries.append(item);
    }
    if (first) {
        return Error::invalid(u"Tarball is not a gzip-compressed tar archive"_s);
    }
    if (!packageJsonFound) {
        return Error::invalid(u"package.json not found in tarball"_s);
    }
    return info;
}

} // namespace

Result<TarballInfo> inspectTarball(const QByteArray &tgz, const TarballLimits &limits)
{
    if (tgz.size() < 2 || uchar(tgz.at(0)) != 0x1f || uchar(tgz.at(1)) != 0x8b) {
        return Error::invalid(u"Tarball is not a gzip-compressed tar archive"_s);
    }
    ArchivePtr reader = newReader();
    if (archive_read_open_memory(reader.get(), tgz.constData(), size_t(tgz.size())) != ARCHIVE_OK) {
        return openingError(reader.get());
    }
    return readAll(reader.get(), limits);
}

Result<TarballInfo> inspectTarballFile(const QString &path, const TarballLimits &limits)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        return Error::notFound(u"Cannot open %1"_s.arg(path));
    }
    const QByteArray magic = file.peek(2);
    if (magic.size() < 2 || uchar(magic.at(0)) != 0x1f || uchar(magic.at(1)) != 0x8b) {
        return Error::invalid(u"Tarball is not a gzip-compressed tar archive"_s);
    }
    file.close();
    ArchivePtr reader = newReader();
    if (archive_read_open_filename(reader.get(), QFile::encodeName(path).constData(), 65536)
        != ARCHIVE_OK) {
        return openingError(reader.get());
    }
    return readAll(reader.get(), limits);
}

} // namespace Trove::Npm
