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
// folder), which send no Events to this one. Every `intervalMs` it reads the database's change
// stamp (one pread() of the WAL index header, no SQL, no lock) on the thread it lives in, and
// emits changedElsewhere() when the stamp moved while this process's Events said nothing.
//
// A write of this process and one of another process in the same interval look like this
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
    std::atomic<bool> m_ownWrite{false};
};

} // namespace Trove
