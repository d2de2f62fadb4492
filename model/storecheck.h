// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "model/blobstore.h"
#include "model/result.h"

#include <QList>
#include <QString>

namespace Trove {

class Registry;

// One thing wrong between the package rows and the blob files.
struct StoreProblem
{
    enum class Kind {
        MissingBlob, // a row's blob file does not exist
        WrongSize, // the file's size is not the row's
        WrongDigest, // the file's SHA-512 is not the row's
        UnreadableBlob, // the file exists but cannot be read
        UnreferencedFile, // a file under the blob folder that no row references
        StagingFile, // an upload left in the staging folder
    };

    Kind kind = Kind::MissingBlob;
    // Of the row, for the first four kinds; empty for a file no row names.
    QString packageName;
    QString version;
    QString projectPath;
    QString path; // the file concerned (absolute)
    QString detail; // what is wrong, one line of English

    // "missing-blob", "wrong-size", ...: stable, for --json.
    static QString kindName(Kind kind);
    // Whether repairStore() can mend it: only files no row needs can go. A row whose tarball is
    // missing or damaged cannot be mended here (the bytes cannot be invented).
    static bool repairable(Kind kind);
    // What the user can do about it, one line of English.
    QString remedy() const;
};

struct StoreCheckReport
{
    qint64 rows = 0; // package rows looked at
    qint64 blobs = 0; // distinct blob files looked at (hashed, for checkStore())
    QList<StoreProblem> problems;

    bool clean() const { return problems.isEmpty(); }
};

// Every package row against its blob: the file exists, has the row's size and SHA-512 (read
// in 1 MiB pieces, each distinct blob once); every file under the blob folder is a row's blob;
// nothing is left in the staging folder. Reads only: nothing is repaired or removed. Runs as
// long as reading every blob takes.
Result<StoreCheckReport> checkStore(Registry &registry);

// The cheap part for a start-up warning: each row's blob file exists and has the row's size
// (one stat() per distinct blob; no hashing, no walk of the folder, so stray and staging files
// are not reported). Measured at 100,000 rows (10,000 names), warm file cache, on the 2-core
// development machine: 1.7 to 2.3 s, about a third reading the rows through PackageStore (one
// query per package name, package.json included), a sixth the stat() calls. Call it on a worker
// thread, never before the server listens or the window shows.
Result<StoreCheckReport> checkBlobsExist(Registry &registry);

struct StoreRepairReport
{
    qint64 removed = 0; // files removed
    StoreCheckReport after; // what checkStore() finds afterwards: what could not be repaired
};

// Removes the files no row needs (unreferenced files under the blob folder, staging files)
// that are older than `graceSeconds`, under the write lock as the start-up sweep does, so it is
// safe beside a running server; younger ones may belong to a publish in progress and stay.
// Never touches a row: a version whose tarball is missing or damaged stays listed in `after`.
Result<StoreRepairReport> repairStore(Registry &registry,
                                      qint64 graceSeconds = BlobStore::SweepGraceSeconds);

} // namespace Trove
