// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/loginthrottle.h"

namespace Trove::Http {

LoginThrottle::LoginThrottle(const Limits &limits)
    : m_limits(limits)
{
}

LoginThrottle::LoginThrottle()
    : LoginThrottle(Limits{})
{
}

QHostAddress LoginThrottle::keyOf(const QHostAddress &address)
{
    bool isV4 = false;
    const quint32 v4 = address.toIPv4Address(&isV4);
    if (isV4) {
        return QHostAddress(v4);
    }
    Q_IPV6ADDR bytes = address.toIPv6Address();
    for (int i = 8; i < 16; ++i) {
        bytes[i] = 0;
    }
    return QHostAddress(bytes);
}

int LoginThrottle::failed(const QHostAddress &address, qint64 nowMs)
{
    const QHostAddress key = keyOf(address);
    QMutexLocker lock(&m_mutex);
    auto it = m_failures.find(key);
    if (it == m_failures.end()) {
        while (m_failures.size() >= m_limits.maxAddresses && !m_order.empty()) {
            m_failures.remove(m_order.front());
            m_order.pop_front();
        }
        it = m_failures.insert(key, {});
        m_order.push_back(key);
    }
    std::deque<qint64> &times = *it;
    while (!times.empty() && times.front() <= nowMs - m_limits.windowMs) {
        times.pop_front();
    }
    if (qsizetype(times.size()) < m_limits.maxFailures) {
        times.push_back(nowMs);
        return 0;
    }
    // Over the limit: this failure is refused and not counted, so that the address is free again
    // one window after its oldest counted failure.
    const qint64 waitMs = times.front() + m_limits.windowMs - nowMs;
    return int(std::max<qint64>(1, (waitMs + 999) / 1000));
}

int LoginThrottle::failures(const QHostAddress &address, qint64 nowMs) const
{
    QMutexLocker lock(&m_mutex);
    const auto it = m_failures.constFind(keyOf(address));
    if (it == m_failures.cend()) {
        return 0;
    }
    int count = 0;
    for (const qint64 time : *it) {
        count += time > nowMs - m_limits.windowMs;
    }
    return count;
}

} // namespace Trove::Http
