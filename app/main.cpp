// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/cli.h"
#include "app/desktopmodule.h"
#include "app/serve.h"
#include "app/singleinstance.h"

#include "model/registry.h"

#include <QCoreApplication>
#include <QTextStream>

#include <cstdio>

using namespace Qt::StringLiterals;

namespace {

// `trove --data DIR group create x` means the same as `trove group create x --data DIR`.
QStringList normalised(QStringList arguments)
{
    if (arguments.size() >= 2 && arguments.first() == u"--data"_s) {
        const QString dir = arguments.at(1);
        arguments.remove(0, 2);
        arguments << u"--data"_s << dir;
    } else if (!arguments.isEmpty() && arguments.first().startsWith(u"--data="_s)) {
        arguments.append(arguments.takeFirst());
    }
    return arguments;
}

// The data folder `trove serve ARGS` opens: --data as app/serve.cpp reads it, else the default.
QString serveDataDir(const QStringList &arguments)
{
    for (qsizetype i = 1; i < arguments.size(); ++i) {
        const QString &argument = arguments.at(i);
        if ((argument == u"--data"_s || argument == u"-data"_s) && i + 1 < arguments.size()) {
            return arguments.at(i + 1);
        }
        for (const QString &prefix : {u"--data="_s, u"-data="_s}) {
            if (argument.startsWith(prefix)) {
                return argument.mid(prefix.size());
            }
        }
    }
    return Trove::Registry::defaultDataDir();
}

void printUsage(QTextStream &out)
{
    // Every option of app/desktop.cpp and app/serve.cpp (docs/cli.md).
    out << "Usage: trove [--data DIR] [--store URL] [--listen HOST:PORT] [--hidden] [FILE.tgz...]\n"
           "           the desktop application; --hidden starts it in the system tray; one\n"
           "           window per data folder: a second launch raises it and hands it FILEs;\n"
           "           on a --store it serves only with --listen or when asked to\n"
           "       trove serve [--listen HOST:PORT] [--data DIR] [--store URL] [--base-url URL]\n"
           "           [--threads N] [--max-body-size BYTES] [--tls-cert FILE --tls-key FILE]\n"
           "           [--trust-proxy] the registry without a window\n"
           "       trove <noun> <verb> ... [--data DIR] [--store URL] [--json]\n"
           "           administration: group, project, user, member, token, deploy-token,\n"
           "           job-token, package, tag, deprecate, forwarding, upstream, protect,\n"
           "           settings, check, backup, restore (trove help lists the verbs)\n"
           "\n"
           "  --data DIR             data directory (default: $TROVE_DATA or the app data folder)\n"
           "  --store URL            (window, serve, administration) the database, e.g.\n"
           "                         postgresql://USER@HOST[:PORT]/DB (default: $TROVE_STORE,\n"
           "                         else trove.sqlite in the data directory); the data\n"
           "                         directory still holds the tarballs\n"
           "  --listen HOST:PORT     address and port (default 127.0.0.1:4873)\n"
           "  --hidden               start in the system tray without showing the window\n"
           "  --base-url URL         base of tarball URLs, e.g. https://npm.example.test\n"
           "  --threads N            worker threads (default: the number of cores)\n"
           "  --max-body-size BYTES  largest request body in bytes (default 500 MiB)\n"
           "  --tls-cert FILE        serve HTTPS with this PEM certificate (chain)\n"
           "  --tls-key FILE         the PEM private key of --tls-cert\n"
           "  --trust-proxy          build tarball URLs from a reverse proxy's X-Forwarded-Proto\n"
           "                         and X-Forwarded-Host\n"
           "  --json                 (administration) print JSON\n";
    out.flush();
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication::setOrganizationName(u"Trove"_s);
    QCoreApplication::setApplicationName(u"trove"_s);
    QCoreApplication::setApplicationVersion(u"0.1.0"_s);

    QStringList arguments;
    for (int i = 1; i < argc; ++i) {
        arguments.append(QString::fromLocal8Bit(argv[i]));
    }
    arguments = normalised(arguments);

    QTextStream out(stdout);
    QTextStream err(stderr);
    if (AdminCommandLine::handles(arguments) || arguments.value(0) == u"help"_s) {
        QCoreApplication app(argc, argv);
        return AdminCommandLine(out, err).run(arguments);
    }
    if (arguments.value(0) == u"--help"_s || arguments.value(0) == u"-h"_s) {
        printUsage(out);
        return 0;
    }
    if (arguments.value(0) == u"--version"_s) {
        out << "trove " << QCoreApplication::applicationVersion() << '\n';
        out.flush();
        return 0;
    }
    if (arguments.value(0) == u"serve"_s) {
        QCoreApplication app(argc, argv);
        // The window on this folder already serves it (docs/architecture.md).
        if (const QString held = SingleInstance::windowHolding(serveDataDir(arguments));
            !held.isEmpty()) {
            err << "trove serve: " << held << '\n';
            err.flush();
            return 1;
        }
        return runServe(arguments, out, err);
    }
    // `trove FILE.tgz` opens the publish sheet, in the window already open on the folder if any.
    if (arguments.isEmpty() || arguments.value(0).startsWith(u"--data"_s)
        || arguments.value(0).startsWith(u"--listen"_s) || arguments.value(0) == u"--hidden"_s
        || arguments.value(0).startsWith(u"--store"_s)
        || arguments.value(0).endsWith(u".tgz"_s, Qt::CaseInsensitive)) {
        return runDesktopModule(argc, argv, arguments, out, err);
    }
    printUsage(err);
    return 2;
}
