// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "model/result.h"

#include <QList>
#include <QString>

#include <functional>

namespace Trove {

// Where a copy reads from or writes to: a store (a PostgreSQL URL, or empty for the SQLite file
// `<dataDir>/trove.sqlite`) and the data folder that holds its blobs.
struct StoreEndpoint
{
    QString store;
    QString dataDir;

    // The store as messages show it: the URL without its password, or the SQLite file.
    QString display() const;
};

struct StoreCopyReport
{
    struct Table
    {
        QString name;
        qint64 rows = 0;
    };
    QList<Table> tables; // in the order they were copied
    qint64 rows = 0; // all tables together
    qint64 blobs = 0; // distinct blobs the rows name, each verified
    qint64 blobsCopied = 0; // of those, written into the target's data folder
    qint64 bytes = 0; // the verified blobs' size
    bool sharedBlobs = false; // source and target use the same blob folder: nothing copied
};

// Copies every row of the source store into the target store (docs/cli.md, `trove store copy`):
// SQLite to PostgreSQL, PostgreSQL to SQLite, or either to its own kind.
//
// - The source is read through a connection of its own, read-only, in one snapshot (a server may
//   keep running on it); it must have this Trove's schema version.
// - The target is opened as Database::open does (its schema created or brought up to date) and
//   must be empty: every copied table without a row, or Error::Code::Conflict and nothing
//   written.
// - Blobs: every distinct digest that a package or proxy tarball row names is read from the
//   source's blob folder and its size and SHA-512 checked against the row; it is written into
//   the target's blob folder unless both folders are the same. A missing or damaged blob fails
//   the copy, naming it, before any row is written; blobs written by a failed copy are removed.
// - Rows go in one transaction on the target (under its write lock), tables in dependency order,
//   ids kept; PostgreSQL's identity sequences are set past the copied ids; every table's row
//   count is compared with the source's before the commit. The search index and the change
//   stamp are not copied: the target's own triggers build them.
//
// `progress` receives one line per step (a table copied, every thousand blobs).
Result<StoreCopyReport> copyStore(const StoreEndpoint &from,
                                  const StoreEndpoint &to,
                                  const std::function<void(const QString &)> &progress = {});

// Whether `text` names a PostgreSQL store (postgresql://…, postgres://…) rather than a folder.
bool isStoreUrl(const QString &text);

} // namespace Trove
