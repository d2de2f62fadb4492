// SPDX-License-Identifier: GPL-3.0-or-later
#include "model/requestlog.h"

namespace Trove {

RequestLog::RequestLog(qsizetype capacity)
    : m_capacity(std::max<qsizetype>(1, capacity))
{
}

void RequestLog::append(RequestLogEntry entry)
{
    const QMutexLocker locker(&m_mutex);
    entry.sequence = ++m_sequence;
    if (m_pending.size() >= m_capacity) {
        m_pending.removeFirst();
        ++m_dropped;
    }
    m_pending.append(std::move(entry));
}

QList<RequestLogEntry> RequestLog::takeNew(quint64 *dropped)
{
    const QMutexLocker locker(&m_mutex);
    if (dropped) {
        *dropped = m_dropped;
    }
    m_dropped = 0;
    return std::exchange(m_pending, {});
}

quint64 RequestLog::total() const
{
    const QMutexLocker locker(&m_mutex);
    return m_sequence;
}

} // namespace Trove
