// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Helpers for the model tests: a fresh Registry in a temporary directory, Result checks, a
// minimal npm tarball, and dumps of the database and the blob folder to prove that a refused
// write changed nothing.
//
// The store: SQLite in the temporary directory, or, when TROVE_TEST_STORE holds a PostgreSQL URL
// (tests/pg/cluster.sh run sets it), a fresh schema of that database for every open(), dropped
// again by close().

#include "model/registry.h"

#include <QCoreApplication>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QTemporaryDir>
#include <QTest>
#include <QUrl>

#include <memory>
#include <utility>

// Fails the test with the error's message unless the Result holds a value.
#define QVERIFY_RESULT(expression)                                                            \
    do {                                                                                      \
        const auto &verifyResult_ = (expression);                                             \
        QVERIFY2(verifyResult_.has_value(),                                                   \
                 qPrintable(verifyResult_.has_value() ? QString()                             \
                                                      : QString::fromLatin1(#expression)      \
                                    + QStringLiteral(": ") + verifyResult_.error().message)); \
    } while (false)

// Fails the test unless the Result holds an error with this code and message.
#define QCOMPARE_ERROR(expression, expectedCode, expectedMessage)                              \
    do {                                                                                       \
        const auto &errorResult_ = (expression);                                               \
        QVERIFY2(!errorResult_.has_value(),                                                    \
                 qPrintable(QString::fromLatin1(#expression) + QStringLiteral(" succeeded"))); \
        QCOMPARE(errorResult_.error().code, expectedCode);                                     \
        QCOMPARE(errorResult_.error().message, expectedMessage);                               \
    } while (false)

namespace QTest {

template<>
inline char *toString(const Trove::Error::Code &code)
{
    static const char *const names[] = {
        "NotFound", "Conflict", "Invalid", "Unauthorized", "Forbidden", "Storage"};
    return qstrdup(names[int(code)]);
}

template<>
inline char *toString(const Trove::AccessPolicy::Decision &decision)
{
    return qstrdup(qPrintable(Trove::AccessPolicy::decisionName(decision)));
}

template<>
inline char *toString(const Trove::AccessLevel &level)
{
    return qstrdup(qPrintable(Trove::accessLevelName(level)));
}

template<>
inline char *toString(const Trove::Visibility &visibility)
{
    return qstrdup(qPrintable(Trove::visibilityName(visibility)));
}

} // namespace QTest

namespace TestSupport {

// The PostgreSQL database the tests run on (TROVE_TEST_STORE), or empty for SQLite.
inline QString testStore()
{
    return qEnvironmentVariable("TROVE_TEST_STORE");
}

// A connection to the test database outside any store's schema, for creating and dropping
// schemas; invalid when the tests run on SQLite.
inline QSqlDatabase adminConnection()
{
    const QString name = QStringLiteral("testsupport-admin");
    if (QSqlDatabase::contains(name)) {
        return QSqlDatabase::database(name);
    }
    const QUrl url(testStore());
    if (testStore().isEmpty() || !url.isValid()) {
        return {};
    }
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), name);
    db.setHostName(url.host());
    db.setPort(url.port(5432));
    db.setUserName(url.userName());
    db.setPassword(url.password());
    db.setDatabaseName(url.path().mid(1));
    if (!db.open()) {
        qWarning("Cannot open the test database: %s", qPrintable(db.lastError().text()));
    }
    QSqlQuery(db).exec(QStringLiteral("SET client_min_messages = warning"));
    return db;
}

// A schema name no other test process uses at the same time.
inline QString freshSchemaName()
{
    static int counter = 0;
    return QStringLiteral("t_%1_%2").arg(QCoreApplication::applicationPid()).arg(++counter);
}

inline void dropSchema(const QString &schema)
{
    if (schema.isEmpty()) {
        return;
    }
    QSqlQuery drop(adminConnection());
    if (!drop.exec(QStringLiteral("DROP SCHEMA IF EXISTS \"%1\" CASCADE").arg(schema))) {
        qWarning(
            "Cannot drop schema %s: %s", qPrintable(schema), qPrintable(drop.lastError().text()));
    }
}

// A schema a closed fixture emptied for the next one: migrating a new schema costs far more
// than emptying one (dozens of tables, functions and triggers), and an emptied schema is what a
// fresh one is (no rows, identities restarted, only the schema version in meta).
inline QString &spareSchema()
{
    static QString schema;
    return schema;
}

// Empties every table of `schema` as migrating it left it; false if that failed.
inline bool emptySchema(const QString &schema)
{
    QSqlQuery reset(adminConnection());
    const QString quoted = u'"' + schema + u'"';
    const bool ok = reset.exec(
        QStringLiteral("DO $$ BEGIN EXECUTE (SELECT 'TRUNCATE ' || string_agg(format('%I.%I',"
                       " schemaname, tablename), ', ') || ' RESTART IDENTITY CASCADE'"
                       " FROM pg_tables WHERE schemaname = '")
        + schema
        + QStringLiteral("' AND tablename NOT IN ('meta', 'change_stamp')); END $$;"
                         " DELETE FROM ")
        + quoted + QStringLiteral(".meta WHERE key <> 'schema_version'; UPDATE ") + quoted
        + QStringLiteral(".change_stamp SET value = 0"));
    if (!ok) {
        qWarning(
            "Cannot empty schema %s: %s", qPrintable(schema), qPrintable(reset.lastError().text()));
    }
    return ok;
}

// Done with `schema`: kept as the spare when none is, else dropped.
inline void releaseSchema(const QString &schema)
{
    if (schema.isEmpty()) {
        return;
    }
    if (spareSchema().isEmpty() && emptySchema(schema)) {
        spareSchema() = schema;
        return;
    }
    dropSchema(schema);
}

// The store URL a Registry opened now should use, in TROVE_STORE (which Database::open()
// reads): an empty schema on PostgreSQL, nothing (SQLite) otherwise. Returns the schema.
inline QString selectFreshStore()
{
    if (testStore().isEmpty()) {
        qunsetenv("TROVE_STORE");
        return {};
    }
    QString schema = std::exchange(spareSchema(), QString());
    if (schema.isEmpty()) {
        schema = freshSchemaName();
    }
    qputenv("TROVE_STORE", (testStore() + QStringLiteral("?schema=") + schema).toUtf8());
    return schema;
}

// A Registry on a real SQLite file in its own temporary directory (or in a fresh PostgreSQL
// schema, see above). Call open() in init().
class RegistryFixture
{
public:
    RegistryFixture() = default;
    RegistryFixture(const RegistryFixture &) = delete;
    RegistryFixture &operator=(const RegistryFixture &) = delete;
    ~RegistryFixture()
    {
        close();
        dropSchema(std::exchange(spareSchema(), QString()));
    }

    bool open()
    {
        m_registry.reset();
        releaseSchema(std::exchange(m_schema, QString()));
        if (m_dir) {
            // The folder of the previous open(), emptied of every file: its folders are kept.
            // A new store creates the blob store's 256 folders, and doing that again for every
            // test row in a fresh temporary folder made ext4's inode allocator (which scans the
            // inodes of the folders just deleted) most of the model tests' run time.
            if (!removeFiles(m_dir->path())) {
                m_error = QStringLiteral("Cannot empty %1").arg(m_dir->path());
                return false;
            }
        } else {
            m_dir = std::make_unique<QTemporaryDir>();
        }
        if (!m_dir->isValid()) {
            m_error = QStringLiteral("Cannot create a temporary directory");
            return false;
        }
        m_schema = selectFreshStore();
        auto opened = Trove::Registry::open(m_dir->path());
        if (!opened) {
            m_error = opened.error().message;
            return false;
        }
        m_registry = std::move(*opened);
        return true;
    }
    // Closes and opens the same directory again (what a restart does).
    bool reopen()
    {
        m_registry.reset();
        if (!m_schema.isEmpty()) {
            qputenv("TROVE_STORE", (testStore() + QStringLiteral("?schema=") + m_schema).toUtf8());
        }
        auto opened = Trove::Registry::open(m_dir->path());
        if (!opened) {
            m_error = opened.error().message;
            return false;
        }
        m_registry = std::move(*opened);
        return true;
    }
    // Closes the registry; its folder stays for the next open(), which empties it (the
    // fixture's destructor removes it).
    void close()
    {
        m_registry.reset();
        releaseSchema(std::exchange(m_schema, QString()));
    }
    bool onPostgres() const { return !m_schema.isEmpty(); }

    QString error() const { return m_error; }
    QString path() const { return m_dir->path(); }
    QString blobRoot() const { return m_dir->filePath(QStringLiteral("blobs")); }
    Trove::Registry &registry() { return *m_registry; }
    Trove::Registry *operator->() { return m_registry.get(); }
    QSqlDatabase connection() const
    {
        return QSqlDatabase::database(m_registry->database().connectionName());
    }

private:
    static bool removeFiles(const QString &root)
    {
        bool removed = true;
        QDirIterator files(
            root, QDir::Files | QDir::Hidden | QDir::System, QDirIterator::Subdirectories);
        while (files.hasNext()) {
            removed &= QFile::remove(files.next());
        }
        return removed;
    }

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<Trove::Registry> m_registry;
    QString m_schema; // PostgreSQL only
    QString m_error;
};

// Every table's rows (ordered by rowid), one line each: what a refused write must not change.
// PostgreSQL has no rowid: a table's lines are sorted there, and the change stamp, which a
// statement that changed no row may bump, is left out.
inline QString dumpDatabase(const QSqlDatabase &db)
{
    QStringList tables;
    QSqlQuery list(db);
    if (db.driverName() == QStringLiteral("QPSQL")) {
        if (!list.exec(QStringLiteral(
                "SELECT table_name FROM information_schema.tables"
                " WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
                " AND table_name <> 'change_stamp' ORDER BY table_name"))) {
            return QStringLiteral("cannot list tables");
        }
        while (list.next()) {
            tables.append(list.value(0).toString());
        }
        QString dump;
        for (const QString &table : std::as_const(tables)) {
            QSqlQuery rows(db);
            if (!rows.exec(QStringLiteral("SELECT * FROM ") + table)) {
                return QStringLiteral("cannot read ") + table;
            }
            QStringList lines;
            while (rows.next()) {
                QStringList cells;
                const QSqlRecord record = rows.record();
                for (int i = 0; i < record.count(); ++i) {
                    cells.append(record.fieldName(i) + u'=' + rows.value(i).toString());
                }
                lines.append(table + QStringLiteral(": ") + cells.join(QStringLiteral(", ")));
            }
            lines.sort();
            for (const QString &line : std::as_const(lines)) {
                dump += line + u'\n';
            }
        }
        return dump;
    }
    if (!list.exec(QStringLiteral("SELECT name FROM sqlite_master WHERE type = 'table'"
                                  " AND name NOT LIKE 'sqlite_%' ORDER BY name"))) {
        return QStringLiteral("cannot list tables");
    }
    while (list.next()) {
        tables.append(list.value(0).toString());
    }
    QString dump;
    for (const QString &table : std::as_const(tables)) {
        QSqlQuery rows(db);
        // Tables WITHOUT ROWID (the search index's shadow tables) have no rowid: they are read
        // in their primary key's order.
        if (!rows.exec(QStringLiteral("SELECT * FROM ") + table + QStringLiteral(" ORDER BY rowid"))
            && !rows.exec(QStringLiteral("SELECT * FROM ") + table)) {
            return QStringLiteral("cannot read ") + table;
        }
        while (rows.next()) {
            QStringList cells;
            const QSqlRecord record = rows.record();
            for (int i = 0; i < record.count(); ++i) {
                cells.append(record.fieldName(i) + u'=' + rows.value(i).toString());
            }
            dump += table + QStringLiteral(": ") + cells.join(QStringLiteral(", ")) + u'\n';
        }
    }
    return dump;
}

// Every file under `root`, relative, sorted (temporary files included).
inline QStringList listFiles(const QString &root)
{
    QStringList files;
    QDirIterator it(root, QDir::Files | QDir::Hidden | QDir::System, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        files.append(QDir(root).relativeFilePath(it.next()));
    }
    files.sort();
    return files;
}

// A minimal npm tarball (package/package.json, package/index.js), gzip + tar, built with `tar`.
// `salt` goes into index.js so that equal name and version can still give different bytes.
// `extraFiles`: more files under package/ (path relative to it, content).
inline QByteArray makeTarball(const QString &name,
                              const QString &version,
                              const QString &salt = {},
                              const QList<std::pair<QString, QByteArray>> &extraFiles = {})
{
    QTemporaryDir dir;
    if (!dir.isValid() || !QDir(dir.path()).mkdir(QStringLiteral("package"))) {
        return {};
    }
    const QJsonObject manifest{{QStringLiteral("name"), name},
                               {QStringLiteral("version"), version}};
    QFile json(dir.filePath(QStringLiteral("package/package.json")));
    QFile index(dir.filePath(QStringLiteral("package/index.js")));
    if (!json.open(QIODevice::WriteOnly) || !index.open(QIODevice::WriteOnly)) {
        return {};
    }
    json.write(QJsonDocument(manifest).toJson());
    index.write("module.exports = "
                + QJsonDocument(QJsonObject{{QStringLiteral("salt"), salt}}).toJson() + ";\n");
    json.close();
    index.close();
    for (const auto &[path, content] : extraFiles) {
        const QString target = dir.filePath(QStringLiteral("package/") + path);
        QDir().mkpath(QFileInfo(target).absolutePath());
        QFile file(target);
        if (!file.open(QIODevice::WriteOnly) || file.write(content) != content.size()) {
            return {};
        }
    }
    QProcess tar;
    tar.setWorkingDirectory(dir.path());
    tar.start(QStringLiteral("tar"),
              {QStringLiteral("czf"), QStringLiteral("-"), QStringLiteral("package")});
    if (!tar.waitForFinished(30000) || tar.exitStatus() != QProcess::NormalExit
        || tar.exitCode() != 0) {
        return {};
    }
    return tar.readAllStandardOutput();
}

// The stripped package.json the server would store for name@version.
inline QByteArray
packageJson(const QString &name, const QString &version, const QJsonObject &extra = {})
{
    QJsonObject json = extra;
    json.insert(QStringLiteral("name"), name);
    json.insert(QStringLiteral("version"), version);
    json.insert(
        QStringLiteral("dist"),
        QJsonObject{{QStringLiteral("shasum"), QStringLiteral("0")},
                    {QStringLiteral("tarball"),
                     QStringLiteral("http://localhost/%1/-/%1-%2.tgz").arg(name, version)}});
    return QJsonDocument(json).toJson(QJsonDocument::Compact);
}

// name@version published to `projectId` as npm would send it (tarball made by tar, package.json
// with `manifest`'s fields and `files` under package/), by a user: `userId` 0 records no user row.
inline Trove::PackageService::PublishRequest
publishRequest(qint64 projectId,
               const QString &name,
               const QString &version,
               const QString &tag = QStringLiteral("latest"),
               const QJsonObject &manifest = {},
               const QList<std::pair<QString, QByteArray>> &files = {},
               qint64 userId = 0,
               const QString &username = QStringLiteral("mia"))
{
    Trove::PackageService::PublishRequest request;
    request.projectId = projectId;
    request.name = name;
    request.version = version;
    request.distTag = tag;
    request.packageJson = packageJson(name, version, manifest);
    request.tarball = makeTarball(name, version, {}, files);
    request.publisher.kind = Trove::Actor::Kind::User;
    request.publisher.userId = userId;
    request.publisher.username = username;
    return request;
}

} // namespace TestSupport
