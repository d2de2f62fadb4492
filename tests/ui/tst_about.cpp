// SPDX-License-Identifier: GPL-3.0-or-later
// Help ▸ About, Help ▸ Getting Started and the window title: what a user reads there.
#include "ui/aboutdialog.h"
#include "ui/gettingstarted.h"
#include "ui/mainwindow.h"
#include "ui/trayicon.h"

#include "../model/testsupport.h"

#include <QAction>
#include <QDir>
#include <QLabel>
#include <QMenu>
#include <QSettings>
#include <QStandardPaths>
#include <QTest>
#include <QTextBrowser>
#include <QTranslator>

using namespace Qt::StringLiterals;
using namespace Trove;
using TestSupport::RegistryFixture;

class tst_About : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void aboutShowsVersionLicenceQtFolderAndAddress();
    void aboutWhenStopped();
    void titleCarriesTheAddress();
    void gettingStartedRendersTheReadme();
    void userPart_data();
    void userPart();
    void translationsFollowTheLocale();

private:
    QString labelText(QWidget *dialog, const QString &name) const;
    static ServerStatus running(quint16 port);

    QTemporaryDir m_settingsDir;
    RegistryFixture m_fixture;
};

void tst_About::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_settingsDir.isValid());
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_settingsDir.path());
    QCoreApplication::setOrganizationName(u"TroveTest"_s);
    QCoreApplication::setApplicationName(u"tst_about"_s);
    QCoreApplication::setApplicationVersion(u"9.8.7"_s);
}

void tst_About::init()
{
    QVERIFY2(m_fixture.open(), qPrintable(m_fixture.error()));
}

void tst_About::cleanup()
{
    m_fixture.close();
}

QString tst_About::labelText(QWidget *dialog, const QString &name) const
{
    auto *label = dialog->findChild<QLabel *>(name);
    return label ? label->text() : u"(no label %1)"_s.arg(name);
}

ServerStatus tst_About::running(quint16 port)
{
    ServerStatus status;
    status.state = ServerStatus::State::Running;
    status.host = u"127.0.0.1"_s;
    status.port = port;
    status.requestedPort = port;
    return status;
}

void tst_About::aboutShowsVersionLicenceQtFolderAndAddress()
{
    MainWindow window(m_fixture.registry());
    window.setDataFolder(m_fixture.path());
    window.setServerStatus(running(4999));
    window.show();
    auto *action = window.findChild<QAction *>(u"aboutAction"_s);
    QVERIFY(action);
    action->trigger();
    AboutDialog *about = nullptr;
    QTRY_VERIFY((about = window.findChild<AboutDialog *>()) && about->isVisible());

    QVERIFY2(labelText(about, u"aboutVersion"_s).contains(u"Trove 9.8.7"_s),
             qPrintable(labelText(about, u"aboutVersion"_s)));
    QVERIFY(labelText(about, u"aboutLicence"_s).contains(u"GPL-3.0-or-later"_s));
    QVERIFY(labelText(about, u"aboutQt"_s).startsWith(QString::fromLatin1(qVersion())));
    QCOMPARE(labelText(about, u"aboutDataFolder"_s), QDir::toNativeSeparators(m_fixture.path()));
    QCOMPARE(labelText(about, u"aboutAddress"_s), u"http://127.0.0.1:4999/"_s);
    about->close();
}

void tst_About::aboutWhenStopped()
{
    AboutDialog stopped(u"/srv/trove"_s, ServerStatus{});
    QCOMPARE(labelText(&stopped, u"aboutAddress"_s), u"stopped"_s);
    ServerStatus failed;
    failed.state = ServerStatus::State::Failed;
    failed.error = u"Address in use"_s;
    AboutDialog failing(u"/srv/trove"_s, failed);
    QCOMPARE(labelText(&failing, u"aboutAddress"_s), u"not running: Address in use"_s);
}

void tst_About::titleCarriesTheAddress()
{
    MainWindow window(m_fixture.registry());
    QCOMPARE(window.windowTitle(), u"Trove"_s);
    window.setServerStatus(running(4873));
    QCOMPARE(window.windowTitle(), u"http://127.0.0.1:4873/ — Trove"_s);
    window.setServerStatus(ServerStatus{});
    QCOMPARE(window.windowTitle(), u"Trove"_s);
}

void tst_About::gettingStartedRendersTheReadme()
{
    MainWindow window(m_fixture.registry());
    window.show();
    auto *action = window.findChild<QAction *>(u"gettingStartedAction"_s);
    QVERIFY(action);
    QCOMPARE(action->shortcut(), QKeySequence(QKeySequence::HelpContents));
    action->trigger();
    GettingStartedDialog *dialog = nullptr;
    QTRY_VERIFY((dialog = window.findChild<GettingStartedDialog *>()) && dialog->isVisible());
    // A second F1 brings the same one forward.
    action->trigger();
    QCOMPARE(window.findChildren<GettingStartedDialog *>().size(), 1);

    // The README as it is in the source tree, its user part only: every chosen section that
    // the README has is there, in order; the developers' parts are not.
    QFile readme(QStringLiteral(TROVE_SOURCE_DIR "/README.md"));
    QVERIFY(readme.open(QIODevice::ReadOnly));
    const QString source = QString::fromUtf8(readme.readAll());
    const QString text = dialog->browser()->toPlainText();
    qsizetype previous = -1;
    int found = 0;
    for (const QString &title : GettingStartedDialog::sectionTitles()) {
        if (!source.contains(u"\n## "_s + title)) {
            continue;
        }
        const qsizetype at = text.indexOf(title);
        QVERIFY2(at > previous, qPrintable(u"section %1 missing or out of order"_s.arg(title)));
        previous = at;
        ++found;
    }
    QVERIFY2(found >= 4, "the README lost the sections Getting Started shows");
    QVERIFY(text.contains(u"trove serve"_s));
    const QString markdown = GettingStartedDialog::userPart(GettingStartedDialog::builtInReadme());
    for (const QString &developers : {u"Tests"_s, u"Performance"_s, u"Layout"_s}) {
        QVERIFY2(!markdown.contains(u"\n## "_s + developers), qPrintable(developers));
    }
    QVERIFY(!dialog->browser()->toHtml().contains(u"<img"_s));
}

void tst_About::userPart_data()
{
    QTest::addColumn<QString>("readme");
    QTest::addColumn<QStringList>("present");
    QTest::addColumn<QStringList>("absent");

    QTest::newRow("chosen sections in the chosen order")
        << u"# T\nintro\n## Running the registry\nrun it\n## Tests\nctest\n## The window\n"
           "click\n"_s
        << QStringList{u"## The window\nclick"_s, u"## Running the registry\nrun it"_s}
        << QStringList{u"intro"_s, u"ctest"_s};
    QTest::newRow("subsections stay with their section")
        << u"## The window\na\n### Menus\nb\n## Layout\nc\n"_s << QStringList{u"### Menus\nb"_s}
        << QStringList{u"c"_s};
    QTest::newRow("a heading inside a code block is code")
        << u"## The window\n```sh\n## not a heading\n```\nafter\n## Layout\nhidden\n"_s
        << QStringList{u"## not a heading"_s, u"after"_s} << QStringList{u"hidden"_s};
    QTest::newRow("screenshots are left out")
        << u"## The window\n![The main window](packaging/screenshots/main.png)\n| | |\n|---|---|\n"
           "| ![a](a.png) | ![b](b.png) |\ntext\n"_s
        << QStringList{u"text"_s} << QStringList{u"!["_s, u"|---|"_s};
    QTest::newRow("a title may go on")
        << u"## Install from the .deb, and more\nx\n"_s << QStringList{u"x"_s} << QStringList{};
}

void tst_About::userPart()
{
    QFETCH(QString, readme);
    QFETCH(QStringList, present);
    QFETCH(QStringList, absent);
    const QString markdown = GettingStartedDialog::userPart(readme);
    for (const QString &part : std::as_const(present)) {
        QVERIFY2(markdown.contains(part), qPrintable(markdown));
    }
    for (const QString &part : std::as_const(absent)) {
        QVERIFY2(!markdown.contains(part), qPrintable(markdown));
    }
    if (present.size() == 2) {
        QVERIFY(markdown.indexOf(present.at(0)) < markdown.indexOf(present.at(1)));
    }
}

void tst_About::translationsFollowTheLocale()
{
    // As app/desktop.cpp loads them: the .qm for the locale, built into the program.
    QTranslator german;
    QVERIFY(german.load(QLocale(u"de_DE"_s), u"trove"_s, u"_"_s, u":/trove/i18n"_s));
    QCoreApplication::installTranslator(&german);
    {
        AboutDialog about(u"/srv/trove"_s, ServerStatus{});
        QCOMPARE(about.windowTitle(), u"Über Trove"_s);
        QCOMPARE(labelText(&about, u"aboutAddress"_s), u"angehalten"_s);
        MainWindow window(m_fixture.registry());
        TrayIcon tray(&window, m_fixture.registry(), m_fixture.path());
        QCOMPARE(tray.menu()->actions().first()->text(), u"Trove ö&ffnen"_s);
        QCOMPARE(tray.toolTip(), u"Trove: Registry angehalten"_s);
    }
    QCoreApplication::removeTranslator(&german);

    // English has no strings of its own, but its plurals: "%n version(s)" reads right.
    QTranslator english;
    QVERIFY(english.load(QLocale(u"en_GB"_s), u"trove"_s, u"_"_s, u":/trove/i18n"_s));
    QCoreApplication::installTranslator(&english);
    const char *source = "%n version(s) of %1 in %2 deprecated.";
    QCOMPARE(QCoreApplication::translate("TrayIcon", source, nullptr, 1).arg(u"x"_s, u"g/p"_s),
             u"1 version of x in g/p deprecated."_s);
    QCOMPARE(QCoreApplication::translate("TrayIcon", source, nullptr, 3).arg(u"x"_s, u"g/p"_s),
             u"3 versions of x in g/p deprecated."_s);
    QCoreApplication::removeTranslator(&english);
    QCOMPARE(QCoreApplication::translate("TrayIcon", source, nullptr, 3).arg(u"x"_s, u"g/p"_s),
             u"3 version(s) of x in g/p deprecated."_s);
}

QTEST_MAIN(tst_About)
#include "tst_about.moc"
