// SPDX-License-Identifier: GPL-3.0-or-later
#include "model/serverstatus.h"

#include <atomic>

using namespace Qt::StringLiterals;

namespace Trove {

namespace {
std::atomic<qint64> proxyHits{0};
std::atomic<qint64> proxyMisses{0};
} // namespace

void ServerStatus::countProxyAnswer(bool hit)
{
    (hit ? proxyHits : proxyMisses).fetch_add(1, std::memory_order_relaxed);
}

ServerStatus::ProxyAnswers ServerStatus::proxyAnswersSinceStart()
{
    return {proxyHits.load(std::memory_order_relaxed), proxyMisses.load(std::memory_order_relaxed)};
}

QString ServerStatus::url() const
{
    return (tls ? u"https://%1:%2/"_s : u"http://%1:%2/"_s).arg(host).arg(port);
}

} // namespace Trove
