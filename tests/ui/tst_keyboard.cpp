// SPDX-License-Identifier: GPL-3.0-or-later
// The window by keyboard alone: Tab walks the panes in reading order and leaves a table instead
// of walking its cells; Shift+F10 and the Menu key open the focused view's context menu.
#include "ui/mainwindow.h"

#include "../model/testsupport.h"
#include "ui/versiondetailsview.h"
#include "ui/versionview.h"

#include <QApplication>
#include <QContextMenuEvent>
#include <QLineEdit>
#include <QMenu>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTabBar>
#include <QTableView>
#include <QTest>
#include <QTimer>
#include <QTreeView>

using namespace Qt::StringLiterals;
using namespace Trove;
using TestSupport::RegistryFixture;

class tst_Keyboard : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void tabVisitsEachPaneInOrder();
    void shiftTabGoesBack();
    void contextMenuFromKeyboard_data();
    void contextMenuFromKeyboard();

private:
    // The window, shown and active, with @acme/core selected and its 1.0.0 shown in the details.
    bool openAtVersion();
    // A readable name for the focused widget ("" when there is none).
    QString focusName() const;
    QWidget *paneNamed(const QString &name) const;

    QTemporaryDir m_settingsDir;
    RegistryFixture m_fixture;
    std::unique_ptr<MainWindow> m_window;
};

void tst_Keyboard::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_settingsDir.isValid());
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_settingsDir.path());
    QCoreApplication::setOrganizationName(u"TroveTest"_s);
    QCoreApplication::setApplicationName(u"tst_keyboard"_s);
    QVERIFY2(!TestSupport::makeTarball(u"x"_s, u"1.0.0"_s).isEmpty(), "tar czf did not work");
}

void tst_Keyboard::init()
{
    QSettings().clear();
    QVERIFY2(m_fixture.open(), qPrintable(m_fixture.error()));
    QVERIFY_RESULT(m_fixture->namespaces().createGroup(u"acme"_s));
    const Result<Project> project = m_fixture->namespaces().createProject(u"acme/core"_s);
    QVERIFY_RESULT(project);
    for (const QString &version : {u"1.0.0"_s, u"1.1.0"_s}) {
        QVERIFY_RESULT(m_fixture->packages().publish(
            TestSupport::publishRequest(project->id, u"@acme/core"_s, version)));
    }
    QVERIFY_RESULT(m_fixture->packages().publish(
        TestSupport::publishRequest(project->id, u"@acme/tools"_s, u"0.1.0"_s)));
}

void tst_Keyboard::cleanup()
{
    m_window.reset();
    m_fixture.close();
}

bool tst_Keyboard::openAtVersion()
{
    m_window = std::make_unique<MainWindow>(m_fixture.registry());
    QSignalSpy loaded(m_window.get(), &MainWindow::packagesLoaded);
    m_window->show();
    if (!loaded.wait(10000) || !QTest::qWaitForWindowActive(m_window.get())) {
        return false;
    }
    QSignalSpy versions(m_window.get(), &MainWindow::versionsLoaded);
    if (!m_window->showPackage(u"@acme/core"_s) || (versions.isEmpty() && !versions.wait(10000))) {
        return false;
    }
    auto *list = m_window->findChild<VersionView *>(u"versionList"_s);
    auto *details = m_window->findChild<VersionDetailsView *>(u"versionDetails"_s);
    for (int row = 0; row < list->model()->rowCount(); ++row) {
        const QModelIndex index = list->model()->index(row, 0);
        if (index.data().toString() == u"1.0.0"_s) {
            list->setCurrentIndex(index);
        }
    }
    return QTest::qWaitFor([details] { return details->details().package.version == u"1.0.0"_s; },
                           10000);
}

QString tst_Keyboard::focusName() const
{
    QWidget *focus = QApplication::focusWidget();
    if (!focus) {
        return {};
    }
    if (qobject_cast<QTabBar *>(focus)
        && focus->parentWidget() == m_window->findChild<QWidget *>(u"versionDetails"_s)) {
        return u"detailTabs"_s;
    }
    return focus->objectName();
}

QWidget *tst_Keyboard::paneNamed(const QString &name) const
{
    return m_window->findChild<QWidget *>(name);
}

void tst_Keyboard::tabVisitsEachPaneInOrder()
{
    QVERIFY(openAtVersion());
    paneNamed(u"namespaceTree"_s)->setFocus(Qt::OtherFocusReason);
    QTRY_COMPARE(focusName(), u"namespaceTree"_s);

    const QStringList expected{u"filterEdit"_s,
                               u"packageTable"_s,
                               u"versionList"_s,
                               u"detailTabs"_s,
                               u"copyIntegrity"_s,
                               u"copyNpm"_s,
                               u"copyYarn"_s,
                               u"copyPnpm"_s,
                               u"saveTarballButton"_s};
    auto *table = m_window->findChild<QTableView *>(u"packageTable"_s);
    const QModelIndex selectedPackage = table->currentIndex();
    QStringList visited;
    for (qsizetype i = 0; i < expected.size(); ++i) {
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_Tab);
        visited.append(focusName());
    }
    QCOMPARE(visited, expected);
    // Passing through the package table moved neither its current cell nor the selection.
    QCOMPARE(table->currentIndex(), selectedPackage);
    QCOMPARE(m_window->currentVersion(), u"1.0.0"_s);
}

void tst_Keyboard::shiftTabGoesBack()
{
    QVERIFY(openAtVersion());
    paneNamed(u"saveTarballButton"_s)->setFocus(Qt::OtherFocusReason);
    QTRY_COMPARE(focusName(), u"saveTarballButton"_s);
    const QStringList expected{u"copyPnpm"_s,
                               u"copyYarn"_s,
                               u"copyNpm"_s,
                               u"copyIntegrity"_s,
                               u"detailTabs"_s,
                               u"versionList"_s,
                               u"packageTable"_s,
                               u"filterEdit"_s,
                               u"namespaceTree"_s};
    QStringList visited;
    for (qsizetype i = 0; i < expected.size(); ++i) {
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_Backtab, Qt::ShiftModifier);
        visited.append(focusName());
    }
    QCOMPARE(visited, expected);
}

void tst_Keyboard::contextMenuFromKeyboard_data()
{
    QTest::addColumn<QString>("view");
    QTest::addColumn<bool>("menuKey"); // else Shift+F10
    QTest::addColumn<QString>("action"); // an action the menu must offer

    QTest::newRow("tree, Shift+F10") << u"namespaceTree"_s << false << u"newGroupAction"_s;
    QTest::newRow("tree, Menu key") << u"namespaceTree"_s << true << u"newGroupAction"_s;
    QTest::newRow("versions, Shift+F10") << u"versionList"_s << false << u"addTagAction"_s;
    QTest::newRow("versions, Menu key") << u"versionList"_s << true << u"addTagAction"_s;
}

void tst_Keyboard::contextMenuFromKeyboard()
{
    QFETCH(QString, view);
    QFETCH(bool, menuKey);
    QFETCH(QString, action);
    QVERIFY(openAtVersion());
    QWidget *pane = paneNamed(view);
    pane->setFocus(Qt::OtherFocusReason);
    QTRY_COMPARE(focusName(), view);
    const QString treeItem =
        m_window->findChild<QTreeView *>(u"namespaceTree"_s)->currentIndex().data().toString();

    // The menu runs its own event loop: look at it from inside, then close it.
    QStringList offered;
    bool opened = false;
    QTimer poll;
    poll.setInterval(20);
    connect(&poll, &QTimer::timeout, this, [&] {
        if (auto *menu = qobject_cast<QMenu *>(QApplication::activePopupWidget())) {
            opened = true;
            for (const QAction *item : menu->actions()) {
                offered.append(item->objectName());
            }
            menu->close();
        }
    });
    poll.start();
    if (menuKey) {
        // What the platform sends for the Menu key: a keyboard context menu event to the focus.
        QContextMenuEvent event(
            QContextMenuEvent::Keyboard, QPoint(0, 0), pane->mapToGlobal(QPoint(0, 0)));
        QApplication::sendEvent(pane, &event);
    } else {
        QTest::keyClick(pane, Qt::Key_F10, Qt::ShiftModifier);
    }
    QTRY_VERIFY(opened);
    poll.stop();
    QVERIFY2(offered.contains(action), qPrintable(offered.join(u", "_s)));
    // The menu was for the current item: neither the version nor the tree item changed.
    QCOMPARE(m_window->currentVersion(), u"1.0.0"_s);
    QCOMPARE(m_window->findChild<QTreeView *>(u"namespaceTree"_s)->currentIndex().data().toString(),
             treeItem);
}

QTEST_MAIN(tst_Keyboard)
#include "tst_keyboard.moc"
