// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QStringList>

class QTextStream;

// `trove [--data DIR] [--listen HOST:PORT] [FILE.tgz...]`: the desktop window with the registry
// running inside it (by default on 127.0.0.1:4873; a busy port is a question in the window).
// Prints "Listening on http://HOST:PORT/" on `out` once the registry accepts connections, as
// `trove serve` does. One window per data folder: with one open, this raises it, hands it the
// tarballs and returns 0.
int runDesktop(
    int &argc, char **argv, const QStringList &arguments, QTextStream &out, QTextStream &err);
