// SPDX-License-Identifier: GPL-3.0-or-later
// The tray icon and what closing the window means. Run twice by ctest: on the offscreen platform
// (no tray: closing asks before stopping a registry in use) and under Xvfb with a tray host
// (tests/ui/tray-xvfb.sh, TROVE_EXPECT_TRAY=1: closing hides to the tray, the registry keeps
// answering npm, Quit in the tray's menu quits). The autostart entry and the notifications are
// checked in both.
#include "ui/aboutdialog.h"
#include "ui/confirm.h"
#include "ui/gettingstarted.h"
#include "ui/mainwindow.h"
#include "ui/trayicon.h"

#include "../model/testsupport.h"
#include "../server/npmfixture.h"
#include "model/requestlog.h"
#include "server/embeddedserver.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QDir>
#include <QJsonDocument>
#include <QMenu>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QSystemTrayIcon>
#include <QTest>
#include <QTextBrowser>

using namespace Qt::StringLiterals;
using namespace Trove;
using TestSupport::RegistryFixture;

namespace {

// The window, its server and its tray, wired as app/desktop.cpp wires them.
struct Desktop
{
    explicit Desktop(Registry &registry, const QString &dataFolder)
        : server(registry)
        , window(registry)
    {
        server.setRequestLog(&log);
        window.setRequestLog(&log);
        window.setDataFolder(dataFolder);
        tray = std::make_unique<TrayIcon>(&window, registry, dataFolder);
        QObject::connect(
            &server, &Http::EmbeddedServer::statusChanged, &window, &MainWindow::setServerStatus);
        QObject::connect(
            &server, &Http::EmbeddedServer::statusChanged, tray.get(), &TrayIcon::setServerStatus);
        QObject::connect(&window, &MainWindow::startRegistryRequested, &server, [this] {
            server.start(config);
        });
        QObject::connect(
            &window, &MainWindow::stopRegistryRequested, &server, [this] { server.stop(); });
        tray->setRequestCounter([this] { return server.requestCount(); });
        window.setRequestCounter([this] { return server.requestCount(); });
        config.port = 0;
    }
    ~Desktop()
    {
        tray.reset();
        server.stop();
    }
    QString origin() const { return server.status().url(); }

    RequestLog log;
    Http::ServerConfig config;
    Http::EmbeddedServer server;
    MainWindow window;
    std::unique_ptr<TrayIcon> tray;
};

QAction *menuAction(QMenu *menu, const QString &name)
{
    for (QAction *action : menu->actions()) {
        if (action->objectName() == name) {
            return action;
        }
        if (action->menu()) {
            if (QAction *inner = menuAction(action->menu(), name)) {
                return inner;
            }
        }
    }
    return nullptr;
}

int get(const QString &url, QByteArray *body = nullptr)
{
    QNetworkAccessManager network;
    std::unique_ptr<QNetworkReply> reply(network.get(QNetworkRequest(QUrl(url))));
    QSignalSpy finished(reply.get(), &QNetworkReply::finished);
    if (!reply->isFinished() && !finished.wait(10000)) {
        return 0;
    }
    if (body) {
        *body = reply->readAll();
    }
    return reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
}

bool expectTray()
{
    return qEnvironmentVariable("TROVE_EXPECT_TRAY") == u"1"_s;
}

} // namespace

class tst_Tray : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void menuHasTheRegistryActions();
    void autostartEntryFollowsTheSetting();
    void notificationsAreOffByDefault();
    void notifiesPublishDeprecationAndRefusal();
    void withoutTrayClosingAsksWhenInUse();
    void withTrayClosingKeepsServing();
    void withTraySettingOffClosingQuits();

private:
    qint64 projectId() const;
    void publish(const QString &version);

    QTemporaryDir m_settingsDir;
    QTemporaryDir m_configDir;
    RegistryFixture m_fixture;
};

void tst_Tray::initTestCase()
{
    // The actions these tests click ask first (ui/confirm.h); tst_confirmations tests the
    // questions, here the answer is yes.
    Ui::setConfirmAnswer([](const QString &, const QString &) { return true; });
    QVERIFY(m_settingsDir.isValid() && m_configDir.isValid());
    // The autostart entry goes under $XDG_CONFIG_HOME: a folder of the test's own.
    qputenv("XDG_CONFIG_HOME", m_configDir.path().toUtf8());
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_settingsDir.path());
    QCoreApplication::setOrganizationName(u"TroveTest"_s);
    QCoreApplication::setApplicationName(u"tst_tray"_s);
    QCoreApplication::setApplicationVersion(u"0.1.0"_s);
    QApplication::setWindowIcon(TrayIcon::applicationIcon());
    QVERIFY2(!TrayIcon::applicationIcon().pixmap(32, 32).isNull(), "the icon is not built in");
    if (expectTray()) {
        QTRY_VERIFY2_WITH_TIMEOUT(QSystemTrayIcon::isSystemTrayAvailable(), "no tray host", 10000);
    }
}

void tst_Tray::init()
{
    QSettings().clear();
    QFile::remove(TrayIcon::autostartPath());
    QVERIFY2(m_fixture.open(), qPrintable(m_fixture.error()));
    QVERIFY_RESULT(m_fixture->namespaces().createGroup(u"acme"_s, Visibility::Public));
    QVERIFY_RESULT(m_fixture->namespaces().createProject(u"acme/core"_s, Visibility::Public));
}

void tst_Tray::cleanup()
{
    m_fixture.close();
}

qint64 tst_Tray::projectId() const
{
    const Result<Project> project =
        const_cast<RegistryFixture &>(m_fixture)->namespaces().findProject(u"acme/core"_s);
    return project ? project->id : 0;
}

void tst_Tray::publish(const QString &version)
{
    QVERIFY_RESULT(m_fixture->packages().publish(
        TestSupport::publishRequest(projectId(), u"@acme/core"_s, version)));
}

void tst_Tray::menuHasTheRegistryActions()
{
    Desktop desktop(m_fixture.registry(), m_fixture.path());
    QMenu *menu = desktop.tray->menu();
    QStringList names;
    for (QAction *action : menu->actions()) {
        if (!action->isSeparator()) {
            names << action->objectName();
        }
    }
    QCOMPARE(names,
             (QStringList{u"trayOpenAction"_s,
                          u"startRegistryAction"_s,
                          u"stopRegistryAction"_s,
                          u"copyAddressAction"_s,
                          QString(),
                          u"trayQuitAction"_s}));

    // Start from the tray: the tooltip says where, Copy puts the address on the clipboard.
    QAction *start = menuAction(menu, u"startRegistryAction"_s);
    QVERIFY(start && start->isEnabled());
    start->trigger();
    QTRY_COMPARE(desktop.server.status().state, ServerStatus::State::Running);
    QTRY_VERIFY(desktop.tray->toolTip().contains(desktop.origin()));
    QVERIFY(desktop.tray->toolTip().contains(u"0 requests/s"_s));
    QVERIFY(!start->isEnabled());
    menuAction(menu, u"copyAddressAction"_s)->trigger();
    QCOMPARE(QApplication::clipboard()->text(), desktop.origin());
    // Requests per second: a burst shows within the next second or two.
    for (int i = 0; i < 5; ++i) {
        QCOMPARE(get(desktop.origin() + u"api/v4/packages/npm/-/ping"_s), 200);
    }
    QTRY_VERIFY_WITH_TIMEOUT(!desktop.tray->toolTip().contains(u"\n0 requests/s"_s), 3000);
    menuAction(menu, u"stopRegistryAction"_s)->trigger();
    QTRY_COMPARE(desktop.tray->toolTip(), u"Trove: registry stopped"_s);
}

void tst_Tray::autostartEntryFollowsTheSetting()
{
    Desktop desktop(m_fixture.registry(), m_fixture.path());
    const QString path = TrayIcon::autostartPath();
    QCOMPARE(path, m_configDir.path() + u"/autostart/io.github.trove.Trove.desktop"_s);
    QAction *autostart = menuAction(desktop.tray->menu(), u"autostartAction"_s);
    QVERIFY(autostart && autostart->isCheckable());
    QVERIFY(!autostart->isChecked());
    QVERIFY(!QFile::exists(path));

    autostart->setChecked(true);
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QString entry = QString::fromUtf8(file.readAll());
    file.close();
    // Starts this program hidden in the tray, on the same (non-default) data folder.
    QVERIFY2(entry.contains(u"\nExec=%1 --hidden --data %2\n"_s.arg(
                 QCoreApplication::applicationFilePath(), m_fixture.path())),
             qPrintable(entry));
    QVERIFY(entry.startsWith(u"[Desktop Entry]\n"_s));
    const QString validator = QStandardPaths::findExecutable(u"desktop-file-validate"_s);
    if (!validator.isEmpty()) {
        QProcess validate;
        validate.start(validator, {path});
        QVERIFY(validate.waitForFinished(10000));
        QVERIFY2(validate.exitCode() == 0, validate.readAllStandardOutput().constData());
    }
    // A new icon (the next start) sees the entry.
    {
        Desktop again(m_fixture.registry(), m_fixture.path());
        QVERIFY(menuAction(again.tray->menu(), u"autostartAction"_s)->isChecked());
    }

    autostart->setChecked(false);
    QVERIFY(!QFile::exists(path));
}

void tst_Tray::notificationsAreOffByDefault()
{
    Desktop desktop(m_fixture.registry(), m_fixture.path());
    QVERIFY(!TrayIcon::notificationsEnabled());
    QVERIFY(!menuAction(desktop.tray->menu(), u"notificationsAction"_s)->isChecked());
    QSignalSpy notified(desktop.tray.get(), &TrayIcon::notified);
    QTest::qWait(200); // the packages known at start are loaded
    publish(u"1.0.0"_s);
    QVERIFY(!notified.wait(1500));
}

void tst_Tray::notifiesPublishDeprecationAndRefusal()
{
    publish(u"1.0.0"_s); // known before the icon starts: no notification for it
    Desktop desktop(m_fixture.registry(), m_fixture.path());
    menuAction(desktop.tray->menu(), u"notificationsAction"_s)->setChecked(true);
    QVERIFY(TrayIcon::notificationsEnabled());
    QSignalSpy notified(desktop.tray.get(), &TrayIcon::notified);
    QTest::qWait(300); // the packages known at start are loaded

    publish(u"1.1.0"_s);
    QTRY_COMPARE(notified.size(), 1);
    QCOMPARE(notified.at(0).at(0).toString(), u"Package published"_s);
    QCOMPARE(notified.at(0).at(1).toString(), u"@acme/core@1.1.0 was published to acme/core."_s);

    QVERIFY_RESULT(m_fixture->packages().deprecate(
        projectId(), u"@acme/core"_s, {{u"1.0.0"_s, u"use 1.1"_s}, {u"1.1.0"_s, u"broken"_s}}));
    QTRY_COMPARE(notified.size(), 2);
    QCOMPARE(notified.at(1).at(0).toString(), u"Package deprecated"_s);
    QCOMPARE(notified.at(1).at(1).toString(),
             u"2 version(s) of @acme/core in acme/core deprecated."_s);

    // A publish without a token, refused by the server, seen in the request log.
    desktop.server.start(desktop.config);
    QTRY_COMPARE(desktop.server.status().state, ServerStatus::State::Running);
    const QString name = u"@acme/core"_s;
    const QByteArray tarball = NpmFixture::makeTarball(name, u"2.0.0"_s);
    QNetworkAccessManager network;
    QNetworkRequest request(QUrl(desktop.origin()
                                 + u"api/v4/projects/%1/packages/npm/%2"_s.arg(projectId())
                                       .arg(QString::fromLatin1(NpmFixture::encodeName(name)))));
    request.setHeader(QNetworkRequest::ContentTypeHeader, u"application/json"_s);
    std::unique_ptr<QNetworkReply> reply(network.put(
        request,
        QJsonDocument(NpmFixture::publishBody(name, u"2.0.0"_s, tarball, u"latest"_s)).toJson()));
    QTRY_VERIFY_WITH_TIMEOUT(reply->isFinished(), 15000);
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    QVERIFY2(status >= 400, qPrintable(QString::number(status)));
    QTRY_COMPARE_WITH_TIMEOUT(notified.size(), 3, 5000);
    QCOMPARE(notified.at(2).at(0).toString(), u"Publish refused"_s);
    const QString text = notified.at(2).at(1).toString();
    QVERIFY2(text.startsWith(u"A publish of @acme/core was refused (%1"_s.arg(status)),
             qPrintable(text));
}

void tst_Tray::withoutTrayClosingAsksWhenInUse()
{
    if (QSystemTrayIcon::isSystemTrayAvailable()) {
        QSKIP("a tray host runs: closing hides to the tray (withTrayClosingKeepsServing)");
    }
    QStringList asked;
    {
        // Not used since it started: closing quits without a question.
        Desktop desktop(m_fixture.registry(), m_fixture.path());
        desktop.tray->setCloseQuestion([&asked](const QString &text) {
            asked << text;
            return true;
        });
        QVERIFY(!desktop.tray->inTray());
        desktop.window.show();
        desktop.server.start(desktop.config);
        QTRY_COMPARE(desktop.server.status().state, ServerStatus::State::Running);
        QSignalSpy quit(desktop.tray.get(), &TrayIcon::quitRequested);
        QVERIFY(desktop.window.close());
        QVERIFY(asked.isEmpty());
        QTRY_COMPARE(quit.size(), 1);
    }
    {
        Desktop desktop(m_fixture.registry(), m_fixture.path());
        bool answer = false;
        desktop.tray->setCloseQuestion([&asked, &answer](const QString &text) {
            asked << text;
            return answer;
        });
        desktop.window.show();
        desktop.server.start(desktop.config);
        QTRY_COMPARE(desktop.server.status().state, ServerStatus::State::Running);
        QTRY_VERIFY(desktop.tray->toolTip().contains(desktop.origin()));
        QCOMPARE(get(desktop.origin() + u"api/v4/packages/npm/-/ping"_s), 200);
        // The once-a-second count sees it (the tooltip's rate is that count).
        QTRY_VERIFY_WITH_TIMEOUT(!desktop.tray->toolTip().contains(u"\n0 requests/s"_s), 5000);
        QSignalSpy quit(desktop.tray.get(), &TrayIcon::quitRequested);

        // "Cancel": the window and the registry stay.
        QVERIFY(!desktop.window.close());
        QCOMPARE(asked.size(), 1);
        QVERIFY2(asked.at(0).contains(desktop.origin()), qPrintable(asked.at(0)));
        QVERIFY(desktop.window.isVisible());
        QTest::qWait(100);
        QCOMPARE(quit.size(), 0);

        // File ▸ Quit asks the same; "Close" quits.
        answer = true;
        desktop.window.findChild<QAction *>(u"quitAction"_s)->trigger();
        QCOMPARE(asked.size(), 2);
        QVERIFY(!desktop.window.isVisible());
        QTRY_COMPARE(quit.size(), 1);
    }
}

void tst_Tray::withTrayClosingKeepsServing()
{
    if (!QSystemTrayIcon::isSystemTrayAvailable()) {
        QVERIFY2(!expectTray(), "TROVE_EXPECT_TRAY=1 but no tray host");
        QSKIP("no tray host on this display (tests/ui/tray-xvfb.sh runs one)");
    }
    publish(u"1.0.0"_s);
    Desktop desktop(m_fixture.registry(), m_fixture.path());
    QVERIFY(desktop.tray->inTray());
    QVERIFY(!QApplication::quitOnLastWindowClosed());
    bool asked = false;
    desktop.tray->setCloseQuestion([&asked](const QString &) { return asked = true; });
    desktop.window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&desktop.window));
    desktop.server.start(desktop.config);
    QTRY_COMPARE(desktop.server.status().state, ServerStatus::State::Running);
    QSignalSpy quit(desktop.tray.get(), &TrayIcon::quitRequested);

    // The screenshots of the tray menu, the About box and Getting Started (looked at by hand).
    const QString shots = QStringLiteral(TROVE_BINARY_DIR "/screenshots");
    QDir().mkpath(shots);
    desktop.tray->menu()->popup(QPoint(40, 40));
    QVERIFY(QTest::qWaitForWindowExposed(desktop.tray->menu()));
    QTest::qWait(200);
    QVERIFY(desktop.tray->menu()->grab().save(shots + u"/tray-menu.png"_s));
    desktop.tray->menu()->hide();
    desktop.window.openAbout();
    auto *about = desktop.window.findChild<AboutDialog *>();
    QVERIFY(about && QTest::qWaitForWindowExposed(about));
    QTest::qWait(200);
    QVERIFY(about->grab().save(shots + u"/about.png"_s));
    about->close();
    desktop.window.openGettingStarted();
    auto *help = desktop.window.findChild<GettingStartedDialog *>();
    QVERIFY(help && QTest::qWaitForWindowExposed(help));
    QTest::qWait(200);
    QVERIFY(help->grab().save(shots + u"/getting-started.png"_s));
    help->close();

    // Closing hides the window; the registry keeps serving; the tray says so the first time.
    QSignalSpy firstClose(desktop.tray.get(), &TrayIcon::closedToTray);
    QVERIFY(!desktop.window.close());
    QCOMPARE(firstClose.size(), 1);
    QCOMPARE(firstClose.at(0).at(0).toBool(), true);
    QVERIFY(!desktop.window.isVisible());
    QVERIFY(!asked);
    QVERIFY(desktop.tray->lastNotification().contains(u"keeps serving from the tray"_s));
    QVERIFY(QSettings().value(u"Tray/closeNoticeShown"_s).toBool());
    QTest::qWait(200);
    QCOMPARE(quit.size(), 0);
    QCOMPARE(desktop.server.status().state, ServerStatus::State::Running);

    // npm itself still gets the package from the registry.
    QByteArray body;
    QCOMPARE(get(desktop.origin() + u"api/v4/packages/npm/@acme%2fcore"_s, &body), 200);
    QCOMPARE(QJsonDocument::fromJson(body)[u"name"_s].toString(), u"@acme/core"_s);
    const QString npm = QStandardPaths::findExecutable(u"npm"_s);
    if (!npm.isEmpty()) {
        QTemporaryDir home;
        QProcess view;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(u"HOME"_s, home.path());
        env.insert(u"npm_config_cache"_s, home.filePath(u"cache"_s));
        env.insert(u"npm_config_userconfig"_s, home.filePath(u"npmrc"_s));
        env.insert(u"npm_config_update_notifier"_s, u"false"_s);
        view.setProcessEnvironment(env);
        view.start(npm,
                   {u"view"_s,
                    u"@acme/core"_s,
                    u"version"_s,
                    u"--registry"_s,
                    desktop.origin() + u"api/v4/packages/npm/"_s});
        QVERIFY(view.waitForFinished(60000));
        QVERIFY2(view.exitCode() == 0, view.readAllStandardError().constData());
        QCOMPARE(view.readAllStandardOutput().trimmed(), QByteArray("1.0.0"));
    }

    // Open from the tray, close again: hidden, and no second notice.
    menuAction(desktop.tray->menu(), u"trayOpenAction"_s)->trigger();
    QTRY_VERIFY(desktop.window.isVisible());
    QSignalSpy hidden(desktop.tray.get(), &TrayIcon::closedToTray);
    QVERIFY(!desktop.window.close());
    QVERIFY(!desktop.window.isVisible());
    QCOMPARE(hidden.size(), 1);
    QCOMPARE(hidden.at(0).at(0).toBool(), false);

    // Quit from the tray's menu after npm was served: the same question as closing without a
    // tray (answered yes here), then the window goes for good and the application quits.
    menuAction(desktop.tray->menu(), u"trayOpenAction"_s)->trigger();
    QTRY_VERIFY(desktop.window.isVisible());
    menuAction(desktop.tray->menu(), u"trayQuitAction"_s)->trigger();
    QVERIFY(!desktop.window.isVisible());
    QTRY_COMPARE(quit.size(), 1);
    QVERIFY(asked);
}

void tst_Tray::withTraySettingOffClosingQuits()
{
    if (!QSystemTrayIcon::isSystemTrayAvailable()) {
        QVERIFY2(!expectTray(), "TROVE_EXPECT_TRAY=1 but no tray host");
        QSKIP("no tray host on this display (tests/ui/tray-xvfb.sh runs one)");
    }
    Desktop desktop(m_fixture.registry(), m_fixture.path());
    QAction *keep = menuAction(desktop.tray->menu(), u"closeToTrayAction"_s);
    QVERIFY(keep && keep->isChecked());
    keep->setChecked(false);
    QVERIFY(!TrayIcon::closeToTray());
    desktop.window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&desktop.window));
    QSignalSpy quit(desktop.tray.get(), &TrayIcon::quitRequested);
    QSignalSpy hidden(desktop.tray.get(), &TrayIcon::closedToTray);
    QVERIFY(desktop.window.close());
    QTRY_COMPARE(quit.size(), 1);
    QCOMPARE(hidden.size(), 0);
}

QTEST_MAIN(tst_Tray)
#include "tst_tray.moc"
