// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/serve.h"

#include "app/listenaddress.h"

#include "model/registry.h"
#include "model/storecheck.h"
#include "server/httpserver.h"
#include "server/npmhandler.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QHostAddress>
#include <QSocketNotifier>
#include <QTextStream>
#include <QThread>
#include <QThreadPool>

#include <csignal>
#include <cstdio>
#include <sys/socket.h>
#include <unistd.h>

using namespace Qt::StringLiterals;
using namespace Trove;

namespace {

int s_signalFds[2] = {-1, -1};

void onSignal(int)
{
    const char byte = 1;
    // Only async-signal-safe calls here; the event loop reads the byte.
    [[maybe_unused]] const ssize_t written = ::write(s_signalFds[0], &byte, 1);
}

} // namespace

int runServe(const QStringList &arguments, QTextStream &out, QTextStream &err)
{
    QCommandLineParser parser;
    parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    parser.addOption({u"listen"_s, u"Address and port (default 127.0.0.1:4873)"_s, u"HOST:PORT"_s});
    parser.addOption({u"data"_s, u"Data directory"_s, u"DIR"_s});
    parser.addOption({u"store"_s,
                      u"The database: postgresql://USER@HOST[:PORT]/DB (default: $TROVE_STORE, "
                      "else the SQLite file in the data directory)"_s,
                      u"URL"_s});
    parser.addOption(
        {u"base-url"_s, u"Base of tarball URLs, e.g. https://npm.example.test"_s, u"URL"_s});
    parser.addOption({u"threads"_s, u"Worker threads (default: the number of cores)"_s, u"N"_s});
    parser.addOption(
        {u"max-body-size"_s, u"Largest request body in bytes (default 500 MiB)"_s, u"BYTES"_s});
    parser.addOption(
        {u"tls-cert"_s, u"Serve HTTPS with this PEM certificate (chain)"_s, u"FILE"_s});
    parser.addOption({u"tls-key"_s, u"The PEM private key of --tls-cert"_s, u"FILE"_s});
    parser.addOption({u"trust-proxy"_s,
                      u"Build tarball URLs from a reverse proxy's X-Forwarded-Proto and "
                      "X-Forwarded-Host"_s});
    parser.addOption({u"proxy-max-age"_s,
                      u"In proxy mode, seconds a document kept from the upstream is answered "
                      "without asking it again (default: the setting, else 120)"_s,
                      u"SECONDS"_s});
    const auto fail = [&err](const QString &message) {
        err << "trove serve: " << message << '\n';
        err.flush();
        return 2;
    };
    if (!parser.parse(QStringList{u"trove"_s} + arguments.mid(1))) {
        return fail(parser.errorText());
    }
    if (!parser.positionalArguments().isEmpty()) {
        return fail(u"unexpected argument %1"_s.arg(parser.positionalArguments().first()));
    }

    Http::ServerConfig config;
    config.address = QHostAddress(QHostAddress::LocalHost);
    config.port = 4873;
    if (parser.isSet(u"listen"_s)
        && !parseListenAddress(parser.value(u"listen"_s), &config.address, &config.port)) {
        return fail(u"invalid --listen %1: use HOST:PORT, e.g. 127.0.0.1:4873"_s.arg(
            parser.value(u"listen"_s)));
    }
    config.workerThreads = std::max(1, QThread::idealThreadCount());
    if (parser.isSet(u"threads"_s)) {
        bool ok = false;
        config.workerThreads = parser.value(u"threads"_s).toInt(&ok);
        if (!ok || config.workerThreads < 1 || config.workerThreads > 64) {
            return fail(u"invalid --threads: give a number from 1 to 64"_s);
        }
    }
    if (parser.isSet(u"max-body-size"_s)) {
        bool ok = false;
        config.maxBodySize = parser.value(u"max-body-size"_s).toLongLong(&ok);
        if (!ok || config.maxBodySize < 1) {
            return fail(u"invalid --max-body-size: give a number of bytes"_s);
        }
    }
    if (parser.isSet(u"tls-cert"_s) != parser.isSet(u"tls-key"_s)) {
        return fail(u"--tls-cert and --tls-key go together"_s);
    }
    if (parser.isSet(u"tls-cert"_s)) {
        const Result<QSslConfiguration> tls =
            Http::HttpServer::loadTls(parser.value(u"tls-cert"_s), parser.value(u"tls-key"_s));
        if (!tls) {
            return fail(tls.error().message);
        }
        config.tls = *tls;
    }
    Http::NpmHandler::Config handlerConfig;
    handlerConfig.trustForwardedHeaders = parser.isSet(u"trust-proxy"_s);
    if (parser.isSet(u"proxy-max-age"_s)) {
        bool ok = false;
        handlerConfig.proxyMaxAgeSeconds = parser.value(u"proxy-max-age"_s).toInt(&ok);
        if (!ok || handlerConfig.proxyMaxAgeSeconds < 0) {
            return fail(u"invalid --proxy-max-age: give a number of seconds, 0 or more"_s);
        }
    }
    if (parser.isSet(u"base-url"_s)) {
        const QUrl base(parser.value(u"base-url"_s), QUrl::StrictMode);
        if (!base.isValid() || (base.scheme() != u"http"_s && base.scheme() != u"https"_s)
            || base.host().isEmpty()) {
            return fail(u"invalid --base-url %1"_s.arg(parser.value(u"base-url"_s)));
        }
        handlerConfig.baseUrl = base.toString(QUrl::StripTrailingSlash);
    }

    QString dataDir = parser.value(u"data"_s);
    if (dataDir.isEmpty()) {
        dataDir = Registry::defaultDataDir();
    }
    // --store beats TROVE_STORE; an empty --store picks the SQLite file.
    const QString store =
        parser.isSet(u"store"_s) ? parser.value(u"store"_s) : Database::defaultStore();
    Result<std::unique_ptr<Registry>> registry =
        Registry::open(dataDir, store, Registry::Sweep::ByCaller);
    if (!registry) {
        err << "trove serve: " << registry.error().message << '\n';
        err.flush();
        return 1;
    }
    (*registry)->packages().setMaxFileSize(config.maxBodySize);
    // Other instances on the store: their commits reach the response cache through the
    // store's notifications instead of a read of the change stamp at every request.
    if (const Result<void> watching = (*registry)->database().watchChanges(); !watching) {
        err << "trove serve: warning: " << watching.error().message
            << "; reading the change stamp at every request instead\n";
        err.flush();
    }

    const Http::NpmHandler handler(**registry, handlerConfig);
    Http::HttpServer server(
        [&handler](const Http::RequestContext &context) { return handler.handle(context); });
    server.setAdmitter(
        [&handler](const Http::RequestContext &context) { return handler.admit(context); });

    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, s_signalFds) != 0) {
        return fail(u"cannot set up signal handling"_s);
    }
    QSocketNotifier notifier(s_signalFds[1], QSocketNotifier::Read);
    QObject::connect(&notifier, &QSocketNotifier::activated, &notifier, [&notifier] {
        char byte = 0;
        [[maybe_unused]] const ssize_t read = ::read(s_signalFds[1], &byte, 1);
        notifier.setEnabled(false);
        QCoreApplication::quit();
    });
    struct sigaction action = {};
    action.sa_handler = onSignal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    ::sigaction(SIGINT, &action, nullptr);
    ::sigaction(SIGTERM, &action, nullptr);

    const Result<quint16> port = server.start(config);
    if (!port) {
        err << "trove serve: " << port.error().message << '\n';
        err.flush();
        return 1;
    }
    // Read the user's npm configuration (which may run `npm config get registry`, a few hundred
    // milliseconds) beside the server rather than before it or inside the first forwarded
    // request; a request that needs it meanwhile waits for this one reading.
    QThreadPool::globalInstance()->start([] { (void)SettingsService::defaultUpstream(); });
    // Orphan blobs are swept beside the running server (under the write lock, so publishes
    // wait for it and reads go on), not before the first request; waited for before the
    // registry goes.
    // Then every row's tarball is looked for (exists, right size; `trove check` hashes them
    // too), so that a store damaged by a crash of the machine or a hand is reported at once
    // rather than as a failed install later.
    const std::unique_ptr<QThread, void (*)(QThread *)> sweeper(
        QThread::create([&registry] {
            if (const Result<int> swept = (*registry)->sweepOrphanBlobs(); !swept) {
                qWarning().noquote() << "Cannot sweep orphan blobs:" << swept.error().message;
            }
            const Result<StoreCheckReport> report = checkBlobsExist(**registry);
            if (!report) {
                qWarning().noquote()
                    << "Cannot check the stored tarballs:" << report.error().message;
            } else if (!report->clean()) {
                // stdio, not the caller's stream: this runs beside the main thread.
                const StoreProblem &first = report->problems.first();
                std::fprintf(stderr,
                             "trove serve: warning: %lld stored tarball(s) missing or damaged, "
                             "e.g. %s: run `trove check`\n",
                             static_cast<long long>(report->problems.size()),
                             qPrintable(first.packageName + u'@' + first.version));
                std::fflush(stderr);
            }
        }),
        [](QThread *thread) {
            thread->wait();
            delete thread;
        });
    sweeper->start(QThread::LowPriority);
    QString host = config.address.toString();
    if (config.address.protocol() == QAbstractSocket::IPv6Protocol) {
        host = u'[' + host + u']';
    }
    if (!config.address.isLoopback() && !config.tlsEnabled()) {
        err << "trove serve: warning: listening on " << host
            << " without TLS: tokens and packages cross the network in clear text; give "
               "--tls-cert and --tls-key\n";
        err.flush();
    }
    if (!store.isEmpty()) {
        // Never the URL as given: it may hold a password.
        out << "Store " << (*registry)->database().storeDisplay() << '\n';
    }
    out << "Listening on " << (config.tlsEnabled() ? "https" : "http") << "://" << host << ':'
        << *port << "/\n";
    out.flush();

    const int code = QCoreApplication::exec();
    server.stop();
    err << "trove serve: stopped\n";
    err.flush();
    return code;
}
