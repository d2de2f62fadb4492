// SPDX-License-Identifier: GPL-3.0-or-later
#include "model/storewatcher.h"

#include "model/events.h"
#include "model/store/database.h"

namespace Trove {

namespace {

// Two looks: the Event may come just before a look, and the commit's notification a
// millisecond after it.
constexpr int OwnWriteLooks = 2;

} // namespace

StoreWatcher::StoreWatcher(const Database &database,
                           Events &events,
                           int intervalMs,
                           QObject *parent)
    : QObject(parent)
    , m_database(database)
    , m_stamp(database.changeStamp())
{
    // Direct: the services emit from whichever thread wrote, right after their commit.
    const auto ours = [this] { m_ownWrite.store(OwnWriteLooks); };
    connect(&events, &Events::namespacesChanged, this, ours, Qt::DirectConnection);
    connect(&events, &Events::usersChanged, this, ours, Qt::DirectConnection);
    connect(&events, &Events::tokensChanged, this, ours, Qt::DirectConnection);
    connect(&events, &Events::settingsChanged, this, ours, Qt::DirectConnection);
    connect(&events, &Events::packageChanged, this, ours, Qt::DirectConnection);
    m_timer.setInterval(intervalMs);
    connect(&m_timer, &QTimer::timeout, this, &StoreWatcher::check);
    m_timer.start();
}

void StoreWatcher::check()
{
    const QByteArray stamp = m_database.changeStamp();
    if (stamp == m_stamp) {
        // An Event for a change the last look already took for someone else's, or one whose
        // notification has not come back yet (PostgreSQL): it counts for one more look.
        int looks = m_ownWrite.load();
        while (looks > 0 && !m_ownWrite.compare_exchange_weak(looks, looks - 1)) { }
        return;
    }
    m_stamp = stamp;
    if (m_ownWrite.exchange(0) > 0) {
        return;
    }
    emit changedElsewhere();
}

} // namespace Trove
