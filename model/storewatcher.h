// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QObject>
#include <QTimer>

#include <atomic>

namespace Trove {

class Database;
class Events;

// Notices commits made by other processes (the command line, another server on the same data
// folder or shared store), which send no Events to this one. Every `intervalMs` it reads the
// database's change stamp on the thread it lives in (SQLite: the WAL index header in shared
// memory, no SQL, no lock; PostgreSQL: the notified value in memory once
// Database::watchChanges() runs, else one query), and emits changedElsewhere() when the stamp
// moved while this process's Events said nothing.
//
// On PostgreSQL this process's own commits reach the stamp a moment after their Events (the
// notification comes back), so an Event counts as ours for up to two looks of an unchanged
// stamp. A write of this process and one of another process that close together look like this
// process's alone; the other is noticed with the next change. Listeners reload what they show.
class StoreWatcher final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(StoreWatcher)

public:
    StoreWatcher(const Database &database,
                 Events &events,
                 int intervalMs = 500,
                 QObject *parent = nullptr);

    // Looks now instead of at the next tick (tests, and a "Reload" action).
    void check();

signals:
    void changedElsewhere();

private:
    const Database &m_database;
    QTimer m_timer;
    QByteArray m_stamp;
    // Looks of an unchanged stamp an Event of ours still waits for its commit to show (0: none).
    std::atomic<int> m_ownWrite{0};
};

} // namespace Trove
