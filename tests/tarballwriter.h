// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Tarballs for tests, written with libarchive so that entries tar(1) would never make (links,
// devices, `..`, two package.json) can be made too.

#include <QByteArray>
#include <QList>

#include <archive.h>
#include <archive_entry.h>

namespace TestSupport {

// One tar entry: a regular file unless `type` says otherwise.
struct TarEntry
{
    QByteArray path;
    QByteArray content = {};
    unsigned type = AE_IFREG;
    QByteArray link = {}; // symlink target, or (for a regular file) hard link source
};

// A tar archive of `entries`, gzip-compressed unless `filter` says otherwise (ARCHIVE_FILTER_*).
inline QByteArray writeTarball(const QList<TarEntry> &entries, int filter = ARCHIVE_FILTER_GZIP)
{
    QByteArray out(4 * 1024 * 1024, '\0');
    size_t used = 0;
    archive *a = archive_write_new();
    archive_write_set_format_pax_restricted(a);
    if (filter == ARCHIVE_FILTER_GZIP) {
        archive_write_add_filter_gzip(a);
    } else if (filter == ARCHIVE_FILTER_BZIP2) {
        archive_write_add_filter_bzip2(a);
    } else if (filter == ARCHIVE_FILTER_XZ) {
        archive_write_add_filter_xz(a);
    }
    archive_write_open_memory(a, out.data(), size_t(out.size()), &used);
    for (const TarEntry &e : entries) {
        archive_entry *entry = archive_entry_new();
        archive_entry_set_pathname(entry, e.path.constData());
        archive_entry_set_mtime(entry, 499162500, 0);
        if (e.type == AE_IFLNK) {
            archive_entry_set_filetype(entry, AE_IFLNK);
            archive_entry_set_symlink(entry, e.link.constData());
            archive_entry_set_perm(entry, 0777);
        } else if (!e.link.isEmpty()) {
            archive_entry_set_filetype(entry, AE_IFREG);
            archive_entry_set_hardlink(entry, e.link.constData());
            archive_entry_set_perm(entry, 0644);
        } else {
            archive_entry_set_filetype(entry, e.type);
            archive_entry_set_perm(entry, e.type == AE_IFDIR ? 0755 : 0644);
            if (e.type == AE_IFCHR || e.type == AE_IFBLK) {
                archive_entry_set_rdev(entry, 0x0103);
            }
            if (e.type == AE_IFREG) {
                archive_entry_set_size(entry, e.content.size());
            }
        }
        archive_write_header(a, entry);
        if (e.type == AE_IFREG && e.link.isEmpty() && !e.content.isEmpty()) {
            archive_write_data(a, e.content.constData(), size_t(e.content.size()));
        }
        archive_entry_free(entry);
    }
    archive_write_close(a);
    archive_write_free(a);
    out.truncate(qsizetype(used));
    return out;
}

} // namespace TestSupport
