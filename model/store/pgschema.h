// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// The PostgreSQL side of Database (docs/postgresql.md): where a store URL points, the schema's
// own ordered migrations, and the change stamp. For model/store/*.cpp only.

#include "model/result.h"

#include <QByteArray>
#include <QSemaphore>
#include <QString>
#include <QThread>

#include <atomic>
#include <optional>

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

// Opens QPSQL connection `name` (added by the caller's QSqlDatabase::addDatabase) on `location`
// and sets its session up (search path, notices); the reason when that failed.
QString openConnection(const Location &location, const QString &name);

// Brings the schema up to date in one transaction under an advisory lock: instances that start
// at once wait for the first, which migrates; the others find the schema current.
Result<void> migrate(const Database &database, const Location &location);
int schemaVersion();

// change_stamp.value: bumped in every transaction that changes a row, except the quiet columns
// (last_used_at, last_downloaded_at).
QByteArray changeStamp(const Database &database);
// The change stamp `value` as changeStamp() writes it.
QByteArray stampText(qint64 value);

// The change stamp without a round trip per look: a thread of its own holds one connection that
// LISTENs on the store's channel, which the stamp's trigger notifies with the new value at every
// commit that bumps it (PostgreSQL delivers a notification only once its transaction committed,
// so the value never runs ahead of the data). Once a second it checks its connection; while it
// has none, stamp() answers nullopt and the caller reads the row instead.
class ChangeListener final : public QThread
{
public:
    explicit ChangeListener(const Location &location);
    ~ChangeListener() override;
    ChangeListener(const ChangeListener &) = delete;
    ChangeListener &operator=(const ChangeListener &) = delete;

    // Starts the thread and waits (up to 10 s) until it listens; false (the reason in
    // `failure`) when it could not.
    bool startListening(QString *failure);
    // The newest stamp notified, or nullopt while not listening.
    std::optional<qint64> stamp() const;

    // The notification channel of the store a connection's search path selects, as SQL.
    static QString channelExpression();
    // The application_name of this process's listening connections (tests end them to see
    // them come back).
    static QString applicationName();

protected:
    void run() override;

private:
    const Location m_location;
    std::atomic<qint64> m_stamp{-1}; // -1: not listening
    QSemaphore m_firstAttempt; // released once the first attempt to listen ended
    QString m_failure; // why it failed, written before that release
};

} // namespace Pg

} // namespace Trove
