// SPDX-License-Identifier: GPL-3.0-or-later
#include "model/storewatcher.h"

#include "model/events.h"
#include "model/store/database.h"

namespace Trove {

StoreWatcher::StoreWatcher(const Database &database,
                           Events &events,
                           int intervalMs,
                           QObject *parent)
    : QObject(parent)
    , m_database(database)
    , m_stamp(database.changeStamp())
{
    // Direct: the services emit from whichever thread wrote, right after their commit.
    const auto ours = [this] { m_ownWrite.store(true); };
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
        // An event for a change the last look already took for someone else's.
        m_ownWrite.store(false);
        return;
    }
    m_stamp = stamp;
    if (m_ownWrite.exchange(false)) {
        return;
    }
    emit changedElsewhere();
}

} // namespace Trove
