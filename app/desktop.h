// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QStringList>

class QTextStream;

// `trove [--data DIR] [--listen HOST:PORT]`: the desktop window with the registry running inside
// it (by default on 127.0.0.1:4873, or any free port when that one is busy). Prints
// "Listening on http://HOST:PORT/" on `out` once the registry accepts connections, as `trove
// serve` does.
int runDesktop(
    int &argc, char **argv, const QStringList &arguments, QTextStream &out, QTextStream &err);
