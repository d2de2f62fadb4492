// SPDX-License-Identifier: GPL-3.0-or-later
#include "model/registry.h"

#include "model/store/packagestore.h"
#include "model/store/sql.h"

#include <QDir>
#include <QStandardPaths>

using namespace Qt::StringLiterals;

namespace Trove {

Registry::Registry(std::unique_ptr<Database> database)
    : m_database(std::move(database))
    , m_blobs(QDir(m_database->dataDir()).filePath(u"blobs"_s))
    , m_namespaces(*m_database, &m_events)
    , m_users(*m_database, &m_events)
    , m_tokens(*m_database, &m_events)
    , m_settings(*m_database, &m_events)
    , m_packages(*m_database, m_blobs, &m_events)
    , m_policy(*m_database)
{
}

Registry::~Registry() = default;

QString Registry::defaultDataDir()
{
    const QString fromEnvironment = qEnvironmentVariable("TROVE_DATA");
    if (!fromEnvironment.isEmpty()) {
        return fromEnvironment;
    }
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
}

Result<std::unique_ptr<Registry>> Registry::open(const QString &dataDir, Sweep sweep)
{
    return open(dataDir, Database::defaultStore(), sweep);
}

Result<std::unique_ptr<Registry>>
Registry::open(const QString &dataDir, const QString &store, Sweep sweep)
{
    Result<std::unique_ptr<Database>> database = Database::open(dataDir, store);
    if (!database) {
        return database.error();
    }
    std::unique_ptr<Registry> registry(new Registry(std::move(*database)));
    if (const Result<void> prepared = registry->prepareBlobs(); !prepared) {
        return prepared.error();
    }
    if (sweep == Sweep::AtOpen) {
        if (const Result<int> swept = registry->sweepOrphanBlobs(); !swept) {
            return swept.error();
        }
    }
    return registry;
}

Result<void> Registry::prepareBlobs()
{
    // The blob layout (docs/architecture.md §4) is recorded in the database, not beside the
    // blobs, where the sweep and every listing of blob files would meet the marker.
    const QString layout = u"sha512/ab"_s;
    {
        Sql::Statement select(*m_database, u"SELECT value FROM meta WHERE key = 'blob_layout'"_s);
        if (!select.exec()) {
            return select.error(u"Cannot read the blob layout"_s);
        }
        if (select.next() && select.value(0).toString() == layout) {
            return {};
        }
    }
    if (const Result<void> prepared = m_blobs.prepare(); !prepared) {
        return prepared;
    }
    Sql::Statement record(*m_database,
                          u"INSERT INTO meta (key, value) VALUES ('blob_layout', :layout)"
                          " ON CONFLICT(key) DO UPDATE SET value = excluded.value"_s);
    record.bind(u":layout"_s, layout);
    if (!record.exec()) {
        return record.error(u"Cannot record the blob layout"_s);
    }
    return {};
}

Result<int> Registry::sweepOrphanBlobs(qint64 graceSeconds)
{
    // A publish stores its blob before it takes the write lock for its row: files younger than
    // the grace are left alone, and a publish that finds its blob gone under the lock stores it
    // again. Holding the lock keeps rows from being committed or removed while we look.
    Sql::Transaction transaction(*m_database);
    if (!transaction.isActive()) {
        return transaction.error();
    }
    const PackageStore packages(*m_database);
    const Result<int> swept = m_blobs.sweep(
        [&packages](const QString &sha512) { return packages.blobReferenced(sha512); },
        graceSeconds);
    if (!swept) {
        return swept;
    }
    if (const Result<void> committed = transaction.commit(); !committed) {
        return committed.error();
    }
    return swept;
}

} // namespace Trove
