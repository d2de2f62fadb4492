// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QStringList>

class QTextStream;

// The admin command line: `trove <noun> <verb> ...` (docs/cli.md §3). Each verb prints the created
// id or token on stdout (a JSON object with --json) and exits 0, or prints one line on stderr
// and exits non-zero without changing anything.
class AdminCommandLine final
{
public:
    AdminCommandLine(QTextStream &out, QTextStream &err);

    // Whether `arguments` (without the program name) name an admin verb.
    static bool handles(const QStringList &arguments);
    int run(const QStringList &arguments);

private:
    QTextStream &m_out;
    QTextStream &m_err;
};
