// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "model/result.h"

#include <QString>

namespace Trove {

class Registry;

// What a backup holds, or what a restore brought back.
struct BackupReport
{
    qint64 rows = 0; // package versions in the snapshot
    qint64 blobs = 0; // distinct tarballs
    qint64 bytes = 0; // their total size
    qint64 linked = 0; // blobs hard-linked rather than copied
};

// A backup folder (docs/cli.md, "trove backup"):
//   trove.sqlite                 the database, a consistent snapshot
//   blobs/sha512/…               every tarball a row of the snapshot references, where a
//                                BlobStore at blobs/ keeps it
//   backup.json                  written last: the backup is complete when it exists
namespace Backup {
inline constexpr char16_t DatabaseFile[] = u"trove.sqlite";
inline constexpr char16_t ManifestFile[] = u"backup.json";
inline constexpr int Format = 1;
} // namespace Backup

// Writes a backup of `registry` into `dir`, which must be absent or an empty folder. The database
// is copied with SQLite's VACUUM INTO: one read transaction, so it is a consistent snapshot even
// while `trove serve` publishes (WAL readers and writers do not block each other). Then every blob
// the snapshot's rows reference is hard-linked (blobs are never changed in place) or, across file
// systems, copied, and the backup's file is hashed and compared with the row's SHA-512 and size.
// A blob the live store lost since the snapshot (an unpublish in between) starts the backup over,
// up to three times. Anything wrong: the error, and `dir` is left as it was found.
Result<BackupReport> backupRegistry(Registry &registry, const QString &dir);

// Checks a backup folder (manifest, database readable, every blob there with its SHA-512 and
// size) without changing it.
Result<BackupReport> verifyBackup(const QString &dir);

// Restores the backup in `backupDir` into `dataDir`, which must be absent or an empty folder
// (anything else is refused: a restore never merges into or replaces a registry). The backup is
// verified first; blobs are copied (hard-linked on the same file system) and the database is
// opened once to bring its schema up to date. On failure `dataDir` is left empty.
Result<BackupReport> restoreBackup(const QString &backupDir, const QString &dataDir);

} // namespace Trove
