// SPDX-License-Identifier: GPL-3.0-or-later
// Ports that stay put: a port another program holds is a question in the window (Retry, Use
// Another Port…, Cancel), never a silent move to a random port, and Registry Settings say which
// port is in force and why. The window and its server are wired as app/desktop.cpp wires them,
// against a real store and a real socket squatting on the port.
#include "ui/mainwindow.h"
#include "ui/registrysettingsdialog.h"

#include "../model/testsupport.h"
#include "server/embeddedserver.h"

#include <QAction>
#include <QApplication>
#include <QDialogButtonBox>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QTcpServer>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Trove;
using TestSupport::RegistryFixture;

namespace {

// The window and its server as app/desktop.cpp wires them (without the tray).
struct Desktop
{
    Desktop(Registry &registry, const QString &commandLineListen)
        : server(registry)
        , window(registry)
    {
        QObject::connect(
            &server, &Http::EmbeddedServer::statusChanged, &window, &MainWindow::setServerStatus);
        QObject::connect(
            &server, &Http::EmbeddedServer::portInUse, &window, &MainWindow::showPortInUse);
        QObject::connect(&window, &MainWindow::startRegistryRequested, &server, [this] {
            server.start(config, {}, false);
        });
        QObject::connect(&window, &MainWindow::registrySettingsChanged, &server, [this] {
            config.port = RegistrySettingsDialog::load().port;
            if (server.status().state != ServerStatus::State::Stopped) {
                server.stop();
                server.start(config, {}, false);
            }
        });
        window.setCommandLineListen(commandLineListen);
    }
    ~Desktop() { server.stop(); }

    void start(quint16 port)
    {
        config.port = port;
        server.start(config, {}, false);
    }
    QString statusText() const { return window.findChild<QLabel *>(u"serverStatus"_s)->text(); }

    Http::ServerConfig config;
    Http::EmbeddedServer server;
    MainWindow window;
};

// The visible widget of type T named `name` among the application's windows, else nullptr.
template<typename T>
T *visible(const QString &name)
{
    for (QWidget *widget : QApplication::allWidgets()) {
        auto *typed = qobject_cast<T *>(widget);
        if (typed && typed->objectName() == name && typed->isVisible()) {
            return typed;
        }
    }
    return nullptr;
}

// A loopback port nothing listens on now.
quint16 freePort()
{
    QTcpServer probe;
    return probe.listen(QHostAddress::LocalHost, 0) ? probe.serverPort() : 0;
}

} // namespace

class tst_Ports : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void busyPortAsksAndCancelStaysStopped();
    void retryAfterFreeingUsesThePort();
    void useAnotherPortSavesAFreeOne();
    void settingsShowThePortInForceAndWhy_data();
    void settingsShowThePortInForceAndWhy();

private:
    QTemporaryDir m_settingsDir;
    RegistryFixture m_fixture;
};

void tst_Ports::initTestCase()
{
    QVERIFY(m_settingsDir.isValid());
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_settingsDir.path());
    QCoreApplication::setOrganizationName(u"TroveTest"_s);
    QCoreApplication::setApplicationName(u"tst_ports"_s);
}

void tst_Ports::init()
{
    QSettings().clear();
    QVERIFY2(m_fixture.open(), qPrintable(m_fixture.error()));
}

void tst_Ports::cleanup()
{
    // Boxes and dialogs of a failed test do not leak into the next.
    for (QWidget *widget : QApplication::topLevelWidgets()) {
        if (qobject_cast<QDialog *>(widget)) {
            widget->close();
        }
    }
    m_fixture.close();
}

void tst_Ports::busyPortAsksAndCancelStaysStopped()
{
    QTcpServer squatter;
    QVERIFY(squatter.listen(QHostAddress::LocalHost, 0));
    const quint16 port = squatter.serverPort();
    Desktop desktop(m_fixture.registry(), QString());
    desktop.window.show();
    desktop.start(port);

    QMessageBox *box = nullptr;
    QTRY_VERIFY((box = visible<QMessageBox>(u"portInUseBox"_s)));
    // Names the port and what holds it: this test process.
    QVERIFY2(box->text().contains(u"port %1"_s.arg(port)), qPrintable(box->text()));
    QVERIFY2(box->text().contains(u"(pid %1)"_s.arg(QCoreApplication::applicationPid())),
             qPrintable(box->text()));
    // Says what another port means for the clients.
    QVERIFY2(box->informativeText().contains(
                 u".npmrc files written earlier point at port %1"_s.arg(port)),
             qPrintable(box->informativeText()));
    QVERIFY(box->findChild<QPushButton *>(u"retryButton"_s));
    QVERIFY(box->findChild<QPushButton *>(u"anotherPortButton"_s));

    // No random port behind the user's back.
    QCOMPARE(desktop.server.status().state, ServerStatus::State::Failed);
    QVERIFY2(desktop.statusText().startsWith(u"Registry not running: port %1"_s.arg(port)),
             qPrintable(desktop.statusText()));

    box->findChild<QPushButton *>(u"cancelButton"_s)->click();
    QTRY_VERIFY(!visible<QMessageBox>(u"portInUseBox"_s));
    QTest::qWait(200);
    QCOMPARE(desktop.server.status().state, ServerStatus::State::Failed);
    QVERIFY2(desktop.statusText().contains(u"in use"_s), qPrintable(desktop.statusText()));
    QVERIFY(desktop.window.findChild<QAction *>(u"startRegistryAction"_s)->isEnabled());
    QCOMPARE(desktop.window.windowTitle(), u"Trove"_s);
}

void tst_Ports::retryAfterFreeingUsesThePort()
{
    auto squatter = std::make_unique<QTcpServer>();
    QVERIFY(squatter->listen(QHostAddress::LocalHost, 0));
    const quint16 port = squatter->serverPort();
    Desktop desktop(m_fixture.registry(), QString());
    desktop.window.show();
    desktop.start(port);
    QMessageBox *box = nullptr;
    QTRY_VERIFY((box = visible<QMessageBox>(u"portInUseBox"_s)));

    // Retry while still taken: asked again.
    box->findChild<QPushButton *>(u"retryButton"_s)->click();
    QTRY_VERIFY((box = visible<QMessageBox>(u"portInUseBox"_s)));
    QCOMPARE(desktop.server.status().state, ServerStatus::State::Failed);

    squatter.reset();
    box->findChild<QPushButton *>(u"retryButton"_s)->click();
    QTRY_COMPARE(desktop.server.status().state, ServerStatus::State::Running);
    QCOMPARE(desktop.server.status().port, port);
    const QString address = u"http://127.0.0.1:%1/"_s.arg(port);
    QCOMPARE(desktop.statusText(), u"Registry running at %1"_s.arg(address));
    // The address the .npmrc files use, in the title too.
    QVERIFY2(desktop.window.windowTitle().contains(address),
             qPrintable(desktop.window.windowTitle()));
    QVERIFY(!visible<QMessageBox>(u"portInUseBox"_s));
}

void tst_Ports::useAnotherPortSavesAFreeOne()
{
    QTcpServer squatter;
    QVERIFY(squatter.listen(QHostAddress::LocalHost, 0));
    const quint16 port = squatter.serverPort();
    RegistrySettingsDialog::Values settings = RegistrySettingsDialog::load();
    settings.port = port;
    RegistrySettingsDialog::save(settings);
    Desktop desktop(m_fixture.registry(), QString());
    desktop.window.show();
    desktop.start(port);
    QMessageBox *box = nullptr;
    QTRY_VERIFY((box = visible<QMessageBox>(u"portInUseBox"_s)));
    box->findChild<QPushButton *>(u"anotherPortButton"_s)->click();

    RegistrySettingsDialog *dialog = nullptr;
    QTRY_VERIFY((dialog = visible<RegistrySettingsDialog>(u"registrySettingsDialog"_s)));
    const quint16 suggested = quint16(dialog->findChild<QSpinBox *>(u"portSpin"_s)->value());
    QVERIFY2(suggested > port, qPrintable(QString::number(suggested)));
    auto *warning = dialog->findChild<QLabel *>(u"portChangeWarning"_s);
    QVERIFY(warning->isVisible());
    QVERIFY2(warning->text().contains(u".npmrc files written earlier point at port %1"_s.arg(port)),
             qPrintable(warning->text()));
    QVERIFY2(
        dialog->findChild<QLabel *>(u"portInForceLabel"_s)->text().contains(u"from the settings"_s),
        qPrintable(dialog->findChild<QLabel *>(u"portInForceLabel"_s)->text()));

    dialog->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Save)->click();
    QTRY_COMPARE(desktop.server.status().state, ServerStatus::State::Running);
    QCOMPARE(desktop.server.status().port, suggested);
    QCOMPARE(RegistrySettingsDialog::load().port, suggested);
    QCOMPARE(desktop.statusText(), u"Registry running at http://127.0.0.1:%1/"_s.arg(suggested));
    QVERIFY(squatter.isListening());
}

void tst_Ports::settingsShowThePortInForceAndWhy_data()
{
    QTest::addColumn<bool>("fromCommandLine");
    QTest::addColumn<QString>("expected"); // %1 the port in use, LISTEN the --listen text

    QTest::newRow("settings") << false << u"In use: http://127.0.0.1:%1/, from the settings."_s;
    QTest::newRow("--listen")
        << true
        << u"In use: http://127.0.0.1:%1/, from --listen LISTEN on the command "
           "line: the setting is 4873."_s;
}

void tst_Ports::settingsShowThePortInForceAndWhy()
{
    QFETCH(bool, fromCommandLine);
    QFETCH(QString, expected);
    const quint16 port = freePort();
    QVERIFY(port != 0);
    const QString listen = u"127.0.0.1:%1"_s.arg(port);
    Desktop desktop(m_fixture.registry(), fromCommandLine ? listen : QString());
    desktop.window.show();
    desktop.start(port);
    QTRY_COMPARE(desktop.server.status().state, ServerStatus::State::Running);

    desktop.window.findChild<QAction *>(u"registrySettingsAction"_s)->trigger();
    RegistrySettingsDialog *dialog = nullptr;
    QTRY_VERIFY((dialog = visible<RegistrySettingsDialog>(u"registrySettingsDialog"_s)));
    QCOMPARE(dialog->findChild<QLabel *>(u"portInForceLabel"_s)->text(),
             QString(expected).replace(u"LISTEN"_s, listen).arg(port));
    // The port field holds the setting; changing it away from the port in use warns.
    auto *spin = dialog->findChild<QSpinBox *>(u"portSpin"_s);
    QCOMPARE(spin->value(), 4873);
    auto *warning = dialog->findChild<QLabel *>(u"portChangeWarning"_s);
    QCOMPARE(warning->isVisible(), true); // 4873 is not the port in use
    spin->setValue(port);
    QVERIFY(!warning->isVisible());

    // After Save the settings are in force, --listen or not.
    dialog->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Save)->click();
    QTRY_VERIFY(!visible<RegistrySettingsDialog>(u"registrySettingsDialog"_s));
    QTRY_COMPARE(desktop.server.status().state, ServerStatus::State::Running);
    desktop.window.findChild<QAction *>(u"registrySettingsAction"_s)->trigger();
    QTRY_VERIFY((dialog = visible<RegistrySettingsDialog>(u"registrySettingsDialog"_s)));
    QTRY_COMPARE(dialog->findChild<QLabel *>(u"portInForceLabel"_s)->text(),
                 u"In use: http://127.0.0.1:%1/, from the settings."_s.arg(port));
}

QTEST_MAIN(tst_Ports)
#include "tst_ports.moc"
