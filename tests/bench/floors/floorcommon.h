// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// What the two floor servers of the benchmark share: their command line, the prebuilt body, the
// listening sockets of their threads, and running one event loop per thread. See
// docs/performance.md for what the floors are for.

#include <QByteArray>
#include <QList>
#include <QString>

#include <functional>

namespace Floor {

enum class ListenMode {
    // Every thread has its own listening socket on the same port (SO_REUSEPORT): the kernel
    // spreads new connections over the sockets by a hash of the address pair.
    ReusePort,
    // One listening socket, a duplicate of its descriptor in every thread's event loop: each
    // new connection wakes every thread, the first accept() wins.
    Shared,
};

struct Options
{
    quint16 port = 0;
    int threads = 1;
    int status = 200;
    qsizetype bodySize = 2;
    ListenMode mode = ListenMode::ReusePort;
    // floor_tcp --socket raw: read(2) and write(2) on the accepted descriptors instead of QTcpSocket.
    bool rawSockets = false;
};

// Parses the command line (--port, --threads, --status, --body-size, --listen-mode, and --socket
// if `socketOption`); on a bad argument prints why and exits 2.
Options parseOptions(const QString &description, bool socketOption = false);

// A JSON body of exactly `size` bytes (at least 2: "{}").
QByteArray makeBody(qsizetype size);

// The reason phrase of the statuses the floors answer.
QByteArray reasonPhrase(int status);

// Listening descriptors on 127.0.0.1:options.port, one per thread (see ListenMode); the chosen
// port goes to `port`. Exits 1 with a message if the port cannot be had.
QList<int> listeningSockets(const Options &options, quint16 *port);

// Prints the port as the first line of stdout (what the benchmark reads), then runs
// `serve(descriptor)` on its own thread with its own event loop for each descriptor, the
// first one on the main thread. Never returns: the floors end by a signal.
[[noreturn]] void
run(const QList<int> &descriptors, quint16 port, const std::function<void(int descriptor)> &serve);

} // namespace Floor
