// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/desktop.h"
#include "app/desktopmodule.h"

#include "app/listenaddress.h"
#include "app/singleinstance.h"

#include "model/registry.h"
#include "model/requestlog.h"
#include "model/services/settingsservice.h"
#include "model/store/database.h"
#include "model/storecheck.h"
#include "server/embeddedserver.h"
#include "server/httpserver.h"
#include "ui/mainwindow.h"
#include "ui/registrysettingsdialog.h"
#include "ui/sharedstoredialog.h"
#include "ui/trayicon.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QCryptographicHash>
#include <QDir>
#include <QLibraryInfo>
#include <QMessageBox>
#include <QSslKey>
#include <QTextStream>
#include <QThread>
#include <QThreadPool>
#include <QTranslator>

using namespace Qt::StringLiterals;
using namespace Trove;

namespace {

// The folder whose lock makes a window the only one (SingleInstance). On the local store the
// data folder. On a shared store not that folder: the team's `trove serve` instances use it too,
// here or on other machines, and `trove serve` refuses a folder a window holds; the lock goes to
// a folder of this user's named after the store instead, so there is one window per store.
QString instanceFolder(const QString &store, const QString &dataDir)
{
    if (store.isEmpty()) {
        return dataDir;
    }
    const QByteArray key =
        QCryptographicHash::hash(Database::displayOf(store).toUtf8(), QCryptographicHash::Sha256)
            .toHex()
            .left(16);
    return QDir(Registry::defaultDataDir())
        .filePath(u"shared-stores/"_s + QString::fromLatin1(key));
}

} // namespace

int runDesktop(
    int &argc, char **argv, const QStringList &arguments, QTextStream &out, QTextStream &err)
{
    QCommandLineParser parser;
    parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    parser.addOption({u"data"_s, u"Data directory"_s, u"DIR"_s});
    parser.addOption({u"listen"_s, u"Address and port (default 127.0.0.1:4873)"_s, u"HOST:PORT"_s});
    // The autostart entry's: start in the tray, the window opened from there.
    parser.addOption({u"hidden"_s, u"Start in the system tray without showing the window"_s});
    // A PostgreSQL store for this run (docs/postgresql.md); an empty one is the local store.
    parser.addOption({u"store"_s, u"Database: postgresql://USER@HOST[:PORT]/DB"_s, u"URL"_s});
    const auto fail = [&err](const QString &message) {
        err << "trove: " << message << '\n';
        err.flush();
        return 2;
    };
    if (!parser.parse(QStringList{u"trove"_s} + arguments)) {
        return fail(parser.errorText());
    }
    // .tgz paths: the publish sheet opens with them, in this window or the one already open on
    // the data folder. Absolute, as that window has another working directory.
    QStringList tarballs;
    for (const QString &argument : parser.positionalArguments()) {
        if (!argument.endsWith(u".tgz"_s, Qt::CaseInsensitive)) {
            return fail(u"unexpected argument %1"_s.arg(argument));
        }
        tarballs.append(QDir::cleanPath(QDir::current().absoluteFilePath(argument)));
    }
    QHostAddress listenAddress(QHostAddress::LocalHost);
    quint16 listenPort = 4873;
    const bool listenGiven = parser.isSet(u"listen"_s);
    if (listenGiven
        && !parseListenAddress(parser.value(u"listen"_s), &listenAddress, &listenPort)) {
        return fail(u"invalid --listen %1: use HOST:PORT, e.g. 127.0.0.1:4873"_s.arg(
            parser.value(u"listen"_s)));
    }

    // The store: --store, else TROVE_STORE, else the shared store the window was last opened on
    // (Registry ▸ Open a Shared Store…), else the SQLite file of the data folder. The data folder
    // of a remembered shared store is the one chosen with it, unless --data says otherwise.
    QString store;
    QString dataDir = parser.value(u"data"_s);
    if (parser.isSet(u"store"_s)) {
        store = parser.value(u"store"_s).trimmed();
        if (!store.isEmpty()) {
            if (const QString problem = SharedStoreDialog::urlProblem(store); !problem.isEmpty()) {
                return fail(u"invalid --store %1: %2"_s.arg(Database::displayOf(store), problem));
            }
        }
    } else if (!Database::defaultStore().isEmpty()) {
        store = Database::defaultStore();
    } else if (const SharedStoreDialog::Choice remembered = SharedStoreDialog::load();
               !remembered.url.isEmpty()) {
        store = remembered.url;
        if (dataDir.isEmpty()) {
            dataDir = remembered.dataFolder;
        }
    }
    if (dataDir.isEmpty()) {
        dataDir = Registry::defaultDataDir();
    }

    // After the options: a bad option needs no display.
    QApplication app(argc, argv);
    // One window per data folder: a later launch raises the first and hands it its tarballs
    // before it opens the store. After the application: the local sockets want its event loop.
    QString heldFolder = instanceFolder(store, dataDir);
    auto instance = std::make_unique<SingleInstance>(heldFolder);
    const SingleInstance::Claim claim = instance->claim(tarballs);
    if (claim == SingleInstance::Claim::Handed) {
        out << "trove: " << instance->message() << '\n';
        out.flush();
        return 0;
    }
    QApplication::setApplicationDisplayName(u"Trove"_s);
    // The installed .desktop file's name (data/), which Wayland compositors match windows with.
    QApplication::setDesktopFileName(u"io.github.trove.Trove"_s);
    QApplication::setWindowIcon(TrayIcon::applicationIcon());
    // The window in the user's language where there is a translation (ui/CMakeLists.txt builds
    // them in), English plurals from trove_en; Qt's own dialogs' strings where installed.
    QTranslator translator;
    if (translator.load(QLocale(), u"trove"_s, u"_"_s, u":/trove/i18n"_s)) {
        QCoreApplication::installTranslator(&translator);
    }
    QTranslator qtTranslator;
    if (qtTranslator.load(
            QLocale(), u"qtbase"_s, u"_"_s, QLibraryInfo::path(QLibraryInfo::TranslationsPath))) {
        QCoreApplication::installTranslator(&qtTranslator);
    }
    // After the application: loading the TLS settings starts Qt's TLS backend, which wants the
    // application object.
    Http::ServerConfig config;
    config.address = listenAddress;
    config.port = listenPort;
    config.workerThreads = 2;
    // The window's settings (Registry Settings…) unless --listen says otherwise for this run.
    // TLS from the settings whatever --listen says. A certificate or key that cannot be loaded
    // keeps the registry stopped rather than serving plain HTTP that the user turned off.
    QString tlsError;
    const auto tlsFromSettings = [&tlsError](Http::ServerConfig *target) {
        const RegistrySettingsDialog::Values values = RegistrySettingsDialog::load();
        target->tls.reset();
        tlsError.clear();
        if (!values.tlsEnabled()) {
            return;
        }
        const Result<QSslConfiguration> tls =
            Http::HttpServer::loadTls(values.certificateFile, values.keyFile);
        if (tls) {
            target->tls = *tls;
        } else {
            tlsError = tls.error().message;
        }
    };
    const auto configFromSettings = [&config, &tlsFromSettings] {
        const RegistrySettingsDialog::Values values = RegistrySettingsDialog::load();
        Http::ServerConfig fromSettings = config;
        fromSettings.port = values.port;
        fromSettings.address =
            QHostAddress(values.listenOnAllAddresses ? QHostAddress::Any : QHostAddress::LocalHost);
        tlsFromSettings(&fromSettings);
        return fromSettings;
    };
    if (!listenGiven) {
        config = configFromSettings();
    } else {
        tlsFromSettings(&config);
    }

    if (claim == SingleInstance::Claim::Refused) {
        err << "trove: " << instance->message() << '\n';
        err.flush();
        QMessageBox::critical(nullptr,
                              QApplication::translate("Trove", "Trove"),
                              QApplication::translate("Trove", "Trove cannot open a window: %1.")
                                  .arg(instance->message()));
        return 1;
    }
    // One window on one store; it asks for another store by ending with Reopen.
    static constexpr int Reopen = 0x7e0e;
    struct WindowRun
    {
        int code;
        QString store;
        QString dataDir;
    };
    bool fromCommandLine = parser.isSet(u"store"_s);
    const auto runWindow =
        [&](const QString &store, const QString &dataDir, bool first) -> WindowRun {
        // Another store or folder: this window becomes the one for it, unless one already is
        // (that one comes up instead).
        if (const QString folder = instanceFolder(store, dataDir); folder != heldFolder) {
            auto next = std::make_unique<SingleInstance>(folder);
            if (next->claim({}) != SingleInstance::Claim::First) {
                out << "trove: " << next->message() << '\n';
                out.flush();
                return WindowRun{0, {}, {}};
            }
            instance = std::move(next);
            heldFolder = folder;
        }
        Result<std::unique_ptr<Registry>> registry =
            Registry::open(dataDir, store, Registry::Sweep::ByCaller);
        if (!registry && !store.isEmpty() && !fromCommandLine) {
            // A remembered or newly chosen shared store that cannot be opened now (server down, a
            // password only typed in an earlier session): the local store, with the reason.
            err << "trove: " << registry.error().message << '\n';
            err.flush();
            QMessageBox::warning(
                nullptr,
                QApplication::translate("Trove", "Trove"),
                QApplication::translate("Trove",
                                        "Cannot open the shared store %1:\n%2\n\nThe window opens "
                                        "on the local store. Registry ▸ Open a Shared Store… tries "
                                        "again (a password can go in ~/.pgpass).")
                    .arg(Database::displayOf(store), registry.error().message));
            SharedStoreDialog::forgetStore();
            return WindowRun{Reopen, QString(), Registry::defaultDataDir()};
        }
        if (!registry) {
            err << "trove: " << registry.error().message << '\n';
            err.flush();
            QMessageBox::critical(
                nullptr,
                QApplication::translate("Trove", "Trove"),
                store.isEmpty()
                    ? QApplication::translate("Trove", "Cannot open the data folder %1:\n%2")
                          .arg(dataDir, registry.error().message)
                    : QApplication::translate("Trove", "Cannot open the shared store %1:\n%2")
                          .arg(Database::displayOf(store), registry.error().message));
            return WindowRun{1, {}, {}};
        }
        const bool shared = (*registry)->database().dialect() == Database::Dialect::PostgreSQL;
        if (shared) {
            // As `trove serve` says it: which store, never its password.
            out << "Store " << (*registry)->database().storeDisplay() << '\n';
            out.flush();
            // Other instances' commits reach the window's StoreWatcher through notifications, from
            // memory, within milliseconds (docs/postgresql.md). Before the window's threads use it.
            if (const Result<void> watching = (*registry)->database().watchChanges(); !watching) {
                err << "trove: other instances' changes show with a delay: "
                    << watching.error().message << '\n';
                err.flush();
            }
        }
        // On a shared store the team's `trove serve` instances answer npm: the window serves too
        // only when asked (the dialog's checkbox, --listen, or Registry ▸ Start Registry).
        const bool startServer = listenGiven
            || (shared ? SharedStoreDialog::load().serveFromWindow
                       : RegistrySettingsDialog::load().startWithWindow);
        // Read the user's npm configuration (perhaps `npm config get registry`, a few hundred
        // milliseconds) beside the window's start rather than before it; a request that needs it
        // meanwhile waits for this one reading.
        QThreadPool::globalInstance()->start([] { (void)SettingsService::defaultUpstream(); });
        // Orphan blobs are swept beside the window and the server (under the write lock, so
        // publishes wait for it and reads go on); waited for before the registry goes.
        const std::unique_ptr<QThread, void (*)(QThread *)> sweeper(
            QThread::create([&registry] {
                if (const Result<int> swept = (*registry)->sweepOrphanBlobs(); !swept) {
                    qWarning().noquote() << "Cannot sweep orphan blobs:" << swept.error().message;
                }
            }),
            [](QThread *thread) {
                thread->wait();
                delete thread;
            });
        sweeper->start(QThread::LowPriority);

        // Declared in this order so that they go in the reverse one: the window (and its loads),
        // then the server thread, then the registry they both use.
        RequestLog requestLog;
        Http::EmbeddedServer server(**registry);
        server.setRequestLog(&requestLog);
        MainWindow window(**registry);
        window.setRequestLog(&requestLog);
        window.setDataFolder(dataDir);
        // Registry ▸ Open a Shared Store… / Open the Local Store: this window goes and another
        // opens on that store (the Registry is the window's for its whole life).
        WindowRun next{0, {}, {}};
        QObject::connect(&window,
                         &MainWindow::openStoreRequested,
                         &app,
                         [&next](const QString &chosenStore, const QString &chosenFolder) {
                             next = WindowRun{Reopen,
                                              chosenStore,
                                              chosenFolder.isEmpty() ? Registry::defaultDataDir()
                                                                     : chosenFolder};
                             QCoreApplication::exit(Reopen);
                         });
        // Registry Settings say which port is in force and why.
        window.setCommandLineListen(listenGiven ? parser.value(u"listen"_s) : QString());
        // The tray icon, and what closing the window means with or without a tray.
        TrayIcon tray(&window, **registry, dataDir);
        QObject::connect(
            &server, &Http::EmbeddedServer::statusChanged, &tray, &TrayIcon::setServerStatus);
        tray.setRequestCounter([&server] { return server.requestCount(); });
        QObject::connect(&tray, &TrayIcon::quitRequested, &app, &QCoreApplication::quit);
        QObject::connect(
            &server, &Http::EmbeddedServer::statusChanged, &window, &MainWindow::setServerStatus);
        QObject::connect(
            &server,
            &Http::EmbeddedServer::statusChanged,
            &window,
            [&out, &err](const ServerStatus &status) {
                if (status.state == ServerStatus::State::Running) {
                    if (status.plainOnNetwork) {
                        err << "trove: listening on " << status.host
                            << " without TLS: tokens and packages cross the network in "
                               "clear text; choose a certificate in Registry Settings\n";
                        err.flush();
                    }
                    out << "Listening on " << status.url() << '\n';
                    out.flush();
                } else if (status.state == ServerStatus::State::Failed) {
                    err << "trove: the registry did not start: " << status.error << '\n';
                    err.flush();
                }
            });
        window.setRequestCounter([&server] { return server.requestCount(); });
        // A busy port is a question in the window (retry, another port, or stay stopped), never a
        // silent move to a random port that the .npmrc files written earlier do not know.
        QObject::connect(
            &server, &Http::EmbeddedServer::portInUse, &window, &MainWindow::showPortInUse);
        // A later launch on this data folder (SingleInstance): the window comes up, with the publish
        // sheet for its tarballs.
        QObject::connect(instance.get(),
                         &SingleInstance::activated,
                         &window,
                         [&window, &tray, &out](const QStringList &files) {
                             tray.openWindow();
                             out << "Raised the window for another launch on this data folder";
                             if (!files.isEmpty()) {
                                 window.openPublishDialog(files);
                                 out << "; tarballs to publish: " << files.join(u", "_s);
                             }
                             out << '\n';
                             out.flush();
                         });
        const auto startIfTlsLoads = [&server, &config, &tlsError, &window, &err] {
            if (tlsError.isEmpty()) {
                server.start(config, {}, false);
                return;
            }
            err << "trove: the registry did not start: " << tlsError << '\n';
            err.flush();
            auto *box = new QMessageBox(
                QMessageBox::Warning,
                QApplication::translate("Trove", "Trove"),
                QApplication::translate("Trove",
                                        "The registry did not start: its certificate cannot be "
                                        "used.\n%1\n\nChoose another one in Registry Settings.")
                    .arg(tlsError),
                QMessageBox::Ok,
                &window);
            box->setAttribute(Qt::WA_DeleteOnClose);
            box->open();
        };
        QObject::connect(&window, &MainWindow::startRegistryRequested, &server, [&startIfTlsLoads] {
            startIfTlsLoads();
        });
        QObject::connect(
            &window, &MainWindow::stopRegistryRequested, &server, [&server] { server.stop(); });
        QObject::connect(
            &window,
            &MainWindow::registrySettingsChanged,
            &server,
            [&server, &config, &configFromSettings, &startIfTlsLoads] {
                const Http::ServerConfig changed = configFromSettings();
                const bool restart = changed.port != config.port
                    || changed.address != config.address
                    || changed.tls.has_value() != config.tls.has_value()
                    || (changed.tls
                        && (changed.tls->localCertificate() != config.tls->localCertificate()
                            || changed.tls->privateKey() != config.tls->privateKey()));
                config = changed;
                if (restart && server.status().state != ServerStatus::State::Stopped) {
                    server.stop();
                    startIfTlsLoads();
                }
            });
        // --hidden (the autostart entry) starts in the tray; with no tray to open it from, the window
        // shows anyway.
        // A window reopened on another store shows: the user just asked for it.
        if (!first || !parser.isSet(u"hidden"_s) || !tray.inTray()) {
            window.show();
        }
        if (startServer) {
            startIfTlsLoads();
        }
        // Tarballs on this launch's command line: the sheet once the projects are known.
        if (!tarballs.isEmpty() && first) {
            auto *once = new QObject(&window);
            QObject::connect(&window, &MainWindow::packagesLoaded, once, [&window, once, tarballs] {
                delete once;
                window.openPublishDialog(tarballs);
            });
        }
        // Every row's tarball looked for (exists, right size) beside the window; a store damaged by
        // a crash of the machine or a hand shows in the status bar. The pool is waited for before
        // the window goes.
        QThreadPool::globalInstance()->start([&registry, &window] {
            const Result<StoreCheckReport> report = checkBlobsExist(**registry);
            if (report && !report->clean()) {
                const StoreProblem &first = report->problems.first();
                const QString example = first.packageName + u'@' + first.version;
                const qsizetype count = report->problems.size();
                QMetaObject::invokeMethod(&window, [&window, count, example] {
                    window.showStoreProblems(count, example);
                });
            }
        });
        const int code = QApplication::exec();
        server.stop();
        // The tool windows read and write on the global pool: none may outlive the registry.
        QThreadPool::globalInstance()->waitForDone();
        if (code == Reopen && next.code == Reopen) {
            return next;
        }
        return WindowRun{code == Reopen ? 0 : code, {}, {}};
    };

    // The first window on the store chosen above; another each time the user opens a store.
    WindowRun run = runWindow(store, dataDir, true);
    while (run.code == Reopen) {
        fromCommandLine = false;
        run = runWindow(run.store, run.dataDir, false);
    }
    return run.code;
}

// The module's one exported symbol (app/desktopmodule.h).
extern "C" Q_DECL_EXPORT int trove_desktop_main(
    int *argc, char **argv, const QStringList *arguments, QTextStream *out, QTextStream *err)
{
    return runDesktop(*argc, argv, *arguments, *out, *err);
}
