// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/desktopmodule.h"

#include <QDir>
#include <QFileInfo>
#include <QLibrary>
#include <QTextStream>

using namespace Qt::StringLiterals;

int runDesktopModule(
    int &argc, char **argv, const QStringList &arguments, QTextStream &out, QTextStream &err)
{
    // No QCoreApplication exists yet (the module makes the QApplication): the executable's
    // folder comes from the kernel.
    const QString binDir = QFileInfo(u"/proc/self/exe"_s).canonicalPath();
    const QStringList candidates{
        binDir + u"/trove-desktop.so"_s,
        QDir::cleanPath(binDir + u'/' + QStringLiteral(TROVE_DESKTOP_MODULE_DIR_FROM_BIN)
                        + u"/trove-desktop.so"_s),
    };
    QStringList failures;
    for (const QString &path : candidates) {
        if (!QFileInfo::exists(path)) {
            continue;
        }
        QLibrary module(path);
        const auto entry = reinterpret_cast<DesktopEntry>(module.resolve(DesktopEntryName));
        if (entry) {
            return entry(&argc, argv, &arguments, &out, &err);
        }
        failures.append(module.errorString());
    }
    err << "trove: the desktop window is not installed ("
        << (failures.isEmpty() ? candidates.join(u", "_s) + u" not found"_s
                               : failures.join(u"; "_s))
        << "); trove serve runs without it\n";
    err.flush();
    return 1;
}
