// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QStringList>

class QTextStream;

// `trove [--data DIR] [--store URL] [--listen HOST:PORT] [FILE.tgz...]`: the desktop window with
// the registry running inside it (by default on 127.0.0.1:4873; a busy port is a question in the
// window). Prints "Listening on http://HOST:PORT/" on `out` once the registry accepts
// connections, as `trove serve` does. One window per data folder: with one open, this raises it,
// hands it the tarballs and returns 0.
//
// On a shared PostgreSQL store (--store, TROVE_STORE, or the one Registry ▸ Open a Shared Store…
// chose last) it prints "Store URL" (without a password) and runs no registry unless asked:
// --listen, the dialog's "serve from this window", or Registry ▸ Start Registry. One window per
// store then, and the shared data folder stays free for `trove serve` (docs/postgresql.md).
int runDesktop(
    int &argc, char **argv, const QStringList &arguments, QTextStream &out, QTextStream &err);
