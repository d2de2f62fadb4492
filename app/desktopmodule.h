// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QStringList>

class QTextStream;

// The desktop window lives in a module of its own (trove-desktop.so, built from app/desktop.cpp)
// so that `trove serve` and the admin verbs never load Qt Widgets and Qt Gui. This loads it, from
// next to the executable (a build folder) or from <prefix>/<libdir>/trove (an installed
// program), and runs the window; a missing module is one line on `err` and exit status 1.
int runDesktopModule(
    int &argc, char **argv, const QStringList &arguments, QTextStream &out, QTextStream &err);

// The module's entry point, resolved by name.
using DesktopEntry = int (*)(
    int *argc, char **argv, const QStringList *arguments, QTextStream *out, QTextStream *err);
inline constexpr char DesktopEntryName[] = "trove_desktop_main";
