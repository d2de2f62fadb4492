// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QStringList>

class QTextStream;

// `trove serve [--listen HOST:PORT] [--data DIR] [--base-url URL] [--threads N]
//  [--max-body-size BYTES]`: the headless registry. Prints "Listening on http://HOST:PORT/" once
// it accepts connections and stops cleanly on SIGINT or SIGTERM.
int runServe(const QStringList &arguments, QTextStream &out, QTextStream &err);
