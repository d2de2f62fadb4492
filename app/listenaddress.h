// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QHostAddress>
#include <QString>

// "HOST:PORT" as `--listen` takes it: an IPv4 address, "[IPv6]" or "localhost", and a port from
// 0 (any free one) to 65535. False for anything else.
bool parseListenAddress(const QString &text, QHostAddress *address, quint16 *port);
