// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QHash>
#include <QHostAddress>
#include <QMutex>

#include <deque>

namespace Trove::Http {

// Counts requests with invalid credentials per client address, so that an address that keeps
// trying tokens is answered 429 instead of 401 (docs/http.md). Valid tokens are never slowed:
// only a failure is counted or refused. Thread-safe; bounded in addresses.
class LoginThrottle final
{
public:
    struct Limits
    {
        int maxFailures = 20; // within the window, before 429
        qint64 windowMs = 60 * 1000;
        int maxAddresses = 4096; // the oldest are forgotten beyond this
    };

    explicit LoginThrottle(const Limits &limits);
    LoginThrottle();

    // Records a failed authentication from `address` at `nowMs` (monotonic). Returns 0 while the
    // address is within its limit, else the seconds until it is again.
    int failed(const QHostAddress &address, qint64 nowMs);
    // Failures of `address` in the window ending at `nowMs`.
    int failures(const QHostAddress &address, qint64 nowMs) const;

    // IPv6 clients are counted per /64: one host has a whole /64 to pick addresses from.
    static QHostAddress keyOf(const QHostAddress &address);

private:
    const Limits m_limits;
    mutable QMutex m_mutex;
    QHash<QHostAddress, std::deque<qint64>> m_failures;
    std::deque<QHostAddress> m_order; // addresses by first failure, for forgetting the oldest
};

} // namespace Trove::Http
