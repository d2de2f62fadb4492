// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// The PostgreSQL side of Database (docs/postgresql.md): where a store URL points, the schema's
// own ordered migrations, and the change stamp. For model/store/*.cpp only.

#include "model/result.h"

#include <QByteArray>
#include <QString>

namespace Trove {

class Database;

namespace Pg {

// postgresql://USER[:PASSWORD]@HOST[:PORT]/DB[?schema=NAME] (postgres:// too). Without a
// password libpq's own sources apply (PGPASSWORD, ~/.pgpass). `schema` puts every table in
// that schema instead of "public" (created if missing), so several stores can share a database.
struct Location
{
    QString host;
    int port = 5432;
    QString user;
    QString password;
    QString database;
    QString schema;

    // The URL without its password, for messages.
    QString display() const;
};

bool isUrl(const QString &store);
Result<Location> parseUrl(const QString &store);

// Brings the schema up to date in one transaction under an advisory lock: instances that start
// at once wait for the first, which migrates; the others find the schema current.
Result<void> migrate(const Database &database, const Location &location);
int schemaVersion();

// change_stamp.value: bumped in every transaction that changes a row, except the quiet columns
// (last_used_at, last_downloaded_at).
QByteArray changeStamp(const Database &database);

} // namespace Pg

} // namespace Trove
