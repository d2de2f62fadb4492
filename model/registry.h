// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "model/blobstore.h"
#include "model/events.h"
#include "model/result.h"
#include "model/services/accesspolicy.h"
#include "model/services/namespaceservice.h"
#include "model/services/packageservice.h"
#include "model/services/settingsservice.h"
#include "model/services/tokenservice.h"
#include "model/services/userservice.h"
#include "model/store/database.h"

#include <memory>

namespace Trove {

// One data directory: its database, blob store, services and change events. The services keep
// no per-call state and every thread gets its own database connection, so one Registry serves
// the GUI thread and the server's worker threads alike.
class Registry final
{
public:
    ~Registry();
    Registry(const Registry &) = delete;
    Registry &operator=(const Registry &) = delete;

    // When to remove blobs that no row references (left by a crash between writing a blob and
    // committing its row, or between an unpublish's commit and the file's removal).
    enum class Sweep {
        AtOpen, // before open() returns
        ByCaller, // the caller runs sweepOrphanBlobs() when it suits it (e.g. after the server
        // listens, on another thread), or never if it writes no blobs
    };

    // Opens (creating) the data directory and migrates the schema. The database is the one
    // Database::defaultStore() names (TROVE_STORE), else the SQLite file in the data directory.
    static Result<std::unique_ptr<Registry>> open(const QString &dataDir,
                                                  Sweep sweep = Sweep::AtOpen);
    // The data directory (blobs, logs, locks) and the database chosen apart: `store` empty for
    // `<dataDir>/trove.sqlite`, else a PostgreSQL URL (docs/postgresql.md). Several processes
    // may open one PostgreSQL store with one shared data directory.
    static Result<std::unique_ptr<Registry>>
    open(const QString &dataDir, const QString &store, Sweep sweep = Sweep::AtOpen);
    // QStandardPaths::AppDataLocation unless TROVE_DATA is set.
    static QString defaultDataDir();

    Database &database() { return *m_database; }
    BlobStore &blobs() { return m_blobs; }
    Events &events() { return m_events; }
    NamespaceService &namespaces() { return m_namespaces; }
    UserService &users() { return m_users; }
    TokenService &tokens() { return m_tokens; }
    SettingsService &settings() { return m_settings; }
    PackageService &packages() { return m_packages; }
    const AccessPolicy &policy() const { return m_policy; }

    // Safe beside readers and writers on other threads: it holds the write lock while it runs,
    // and leaves files younger than `graceSeconds` (see BlobStore::SweepGraceSeconds).
    Result<int> sweepOrphanBlobs(qint64 graceSeconds = BlobStore::SweepGraceSeconds);

private:
    Result<void> prepareBlobs();
    explicit Registry(std::unique_ptr<Database> database);

    std::unique_ptr<Database> m_database;
    BlobStore m_blobs;
    Events m_events;
    NamespaceService m_namespaces;
    UserService m_users;
    TokenService m_tokens;
    SettingsService m_settings;
    PackageService m_packages;
    AccessPolicy m_policy;
};

} // namespace Trove
