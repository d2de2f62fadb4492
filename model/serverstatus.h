// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QMetaType>
#include <QString>

namespace Trove {

// What the window shows about the embedded registry (docs/style.md §1): the server emits it, app/
// hands it to the window, so ui/ never includes server/.
struct ServerStatus
{
    enum class State { Stopped, Starting, Running, Failed };

    State state = State::Stopped;
    QString host; // "127.0.0.1", "[::1]"
    quint16 port = 0; // the bound port while Running
    // The port that was asked for; differs from `port` when it was busy and any free port was
    // taken instead.
    quint16 requestedPort = 0;
    QString error; // English, for the log; Failed only
    bool tls = false; // serving HTTPS
    // Reachable from other machines (not loopback) without TLS: tokens cross the network in
    // clear text.
    bool plainOnNetwork = false;

    bool fellBackToAnyPort() const
    {
        return state == State::Running && requestedPort != 0 && port != requestedPort;
    }
    QString url() const;

    // The proxy's answers since the program started: from the cache (hits) and from the upstream
    // (misses). Counted in memory by every ProxyCache of this process as they answer, unlike the
    // saved totals (ProxyStore::counts), which are written every 30 s and at the end.
    struct ProxyAnswers
    {
        qint64 hits = 0;
        qint64 misses = 0;
    };
    static void countProxyAnswer(bool hit);
    static ProxyAnswers proxyAnswersSinceStart();
};

} // namespace Trove

Q_DECLARE_METATYPE(Trove::ServerStatus)
