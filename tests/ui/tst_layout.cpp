// SPDX-License-Identifier: GPL-3.0-or-later
// The window keeps the size it was given, and the details pane shows its values whole or elided
// with the whole value in a tooltip, at a small and a large window.
#include "ui/mainwindow.h"

#include "../model/testsupport.h"
#include "model/itemmodels/versiontablemodel.h"
#include "ui/versiondetailsview.h"
#include "ui/versionview.h"

#include <QApplication>
#include <QClipboard>
#include <QHeaderView>
#include <QJsonObject>
#include <QLabel>
#include <QLocale>
#include <QSettings>
#include <QSignalSpy>
#include <QSplitter>
#include <QStandardPaths>
#include <QTest>
#include <QToolButton>

using namespace Qt::StringLiterals;
using namespace Trove;
using TestSupport::RegistryFixture;

namespace {

// Why `label` does not show all of its text at its size ("" when it does): a single line must
// fit its width or be elided with the text in its tooltip; a wrapped one needs no more height
// than it has.
QString cutReason(const QLabel *label)
{
    const QString text = label->text();
    const int width = label->contentsRect().width();
    const QFontMetrics metrics = label->fontMetrics();
    if (label->wordWrap()) {
        if (label->heightForWidth(label->width()) > label->height()) {
            return u"needs %1 px of height, has %2"_s.arg(label->heightForWidth(label->width()))
                .arg(label->height());
        }
        for (const QString &word : text.split(u' ', Qt::SkipEmptyParts)) {
            if (metrics.horizontalAdvance(word) > width && label->toolTip() != text) {
                return u"the word %1 is wider than %2 px"_s.arg(word).arg(width);
            }
        }
        return {};
    }
    if (metrics.horizontalAdvance(text) <= width) {
        return {};
    }
    if (label->toolTip() == text) {
        return {}; // elided, the whole value one hover away
    }
    return u"%1 px of text in %2 px, tooltip %3"_s.arg(metrics.horizontalAdvance(text))
        .arg(width)
        .arg(label->toolTip());
}

} // namespace

class tst_Layout : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void windowKeepsItsSize_data();
    void windowKeepsItsSize();
    void versionsSplitterWidensTheList();
    void integrityAndDateHaveTooltips();
    void copyButtonsFollowTheSelection();

private:
    // The window at `size`, showing @acme/very-long-package-name-for-layout@1.0.0.
    bool openAt(const QSize &size);

    QTemporaryDir m_settingsDir;
    RegistryFixture m_fixture;
    std::unique_ptr<MainWindow> m_window;
};

void tst_Layout::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_settingsDir.isValid());
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_settingsDir.path());
    QCoreApplication::setOrganizationName(u"TroveTest"_s);
    QCoreApplication::setApplicationName(u"tst_layout"_s);
    QVERIFY2(!TestSupport::makeTarball(u"x"_s, u"1.0.0"_s).isEmpty(), "tar czf did not work");
}

void tst_Layout::init()
{
    QSettings().clear();
    QVERIFY2(m_fixture.open(), qPrintable(m_fixture.error()));
    QVERIFY_RESULT(m_fixture->namespaces().createGroup(u"acme"_s));
    const Result<Project> project = m_fixture->namespaces().createProject(u"acme/core"_s);
    QVERIFY_RESULT(project);
    const QJsonObject manifest{
        {u"description"_s,
         u"A package whose description is long enough to need several lines in a narrow "
         "details pane, with a link https://example.invalid/a/rather/long/path/to/its/docs"_s},
        {u"license"_s, u"(MIT OR Apache-2.0) AND CC-BY-4.0"_s},
        {u"scripts"_s,
         QJsonObject{{u"preinstall"_s, u"node a.js"_s},
                     {u"install"_s, u"node b.js"_s},
                     {u"postinstall"_s, u"node c.js"_s}}}};
    QVERIFY_RESULT(m_fixture->packages().publish(
        TestSupport::publishRequest(project->id,
                                    u"@acme/very-long-package-name-for-layout"_s,
                                    u"1.0.0-beta.with.a.long.prerelease"_s,
                                    u"latest"_s,
                                    manifest)));
}

void tst_Layout::cleanup()
{
    m_window.reset();
    m_fixture.close();
}

bool tst_Layout::openAt(const QSize &size)
{
    m_window = std::make_unique<MainWindow>(m_fixture.registry());
    m_window->resize(size);
    QSignalSpy loaded(m_window.get(), &MainWindow::packagesLoaded);
    m_window->show();
    if (!loaded.wait(10000) || !QTest::qWaitForWindowExposed(m_window.get())) {
        return false;
    }
    QSignalSpy details(m_window.get(), &MainWindow::versionDetailsLoaded);
    if (!m_window->showPackage(u"@acme/very-long-package-name-for-layout"_s)
        || (details.isEmpty() && !details.wait(10000))) {
        return false;
    }
    // Let the layouts settle with the details in place.
    QApplication::processEvents();
    QTest::qWait(50);
    return !m_window->findChild<VersionDetailsView *>(u"versionDetails"_s)
                ->details()
                .package.name.isEmpty();
}

void tst_Layout::windowKeepsItsSize_data()
{
    QTest::addColumn<QSize>("size");
    QTest::newRow("800x500") << QSize(800, 500);
    QTest::newRow("1600x1000") << QSize(1600, 1000);
}

void tst_Layout::windowKeepsItsSize()
{
    QFETCH(QSize, size);
    QVERIFY(openAt(size));
    QVERIFY2(
        m_window->width() <= size.width(),
        qPrintable(u"asked for %1 px, the window is %2 px wide (minimum %3)"_s.arg(size.width())
                       .arg(m_window->width())
                       .arg(m_window->minimumSizeHint().width())));
    QVERIFY(m_window->height() <= size.height());

    auto *overview = m_window->findChild<QWidget *>(u"overviewPage"_s);
    QVERIFY(overview && overview->isVisible());
    int checked = 0;
    for (const QLabel *label : overview->findChildren<QLabel *>()) {
        if (!label->isVisible() || label->text().isEmpty()) {
            continue;
        }
        ++checked;
        // Wrapped labels get their height when the layout has run after the text changed.
        QTRY_VERIFY2_WITH_TIMEOUT(
            cutReason(label).isEmpty(),
            qPrintable(u"%1 (%2): %3"_s.arg(label->objectName(), label->text(), cutReason(label))),
            2000);
    }
    QVERIFY2(checked >= 12, qPrintable(QString::number(checked)));
}

void tst_Layout::versionsSplitterWidensTheList()
{
    QVERIFY(openAt(QSize(800, 500)));
    auto *splitter = m_window->findChild<QSplitter *>(u"versionSplitter"_s);
    auto *versions = m_window->findChild<VersionView *>(u"versionList"_s);
    QList<int> sizes = splitter->sizes();
    const int total = sizes.value(0) + sizes.value(1);
    splitter->setSizes({total - 120, 120});
    QApplication::processEvents();
    sizes = splitter->sizes();
    // The details pane gives way: nothing in it sets a minimum width from its content.
    QVERIFY2(sizes.value(0) >= total - 200,
             qPrintable(u"versions %1 px of %2"_s.arg(sizes.value(0)).arg(total)));
    QHeaderView *header = versions->header();
    const int deprecationRight =
        header->sectionViewportPosition(VersionTableModel::DeprecationColumn)
        + header->sectionSize(VersionTableModel::DeprecationColumn);
    QVERIFY2(deprecationRight <= versions->viewport()->width(),
             qPrintable(u"Deprecation ends at %1 px, the list is %2 px wide"_s.arg(deprecationRight)
                            .arg(versions->viewport()->width())));
}

void tst_Layout::integrityAndDateHaveTooltips()
{
    QVERIFY(openAt(QSize(800, 500)));
    auto *details = m_window->findChild<VersionDetailsView *>(u"versionDetails"_s);
    auto *integrity = details->findChild<QLabel *>(u"integrityLabel"_s);
    const QString full = details->details().integrity();
    QVERIFY(full.startsWith(u"sha512-"_s));
    QCOMPARE(integrity->text(), full);
    // Too long for this pane: elided, the whole value in the tooltip and behind Copy.
    QVERIFY(integrity->fontMetrics().horizontalAdvance(full) > integrity->width());
    QCOMPARE(integrity->toolTip(), full);
    details->findChild<QToolButton *>(u"copyIntegrity"_s)->click();
    QCOMPARE(QApplication::clipboard()->text(), full);

    const QDateTime published = details->details().package.createdAt.toLocalTime();
    auto *date = details->findChild<QLabel *>(u"publishedLabel"_s);
    QVERIFY2(date->text().startsWith(QLocale().toString(published, QLocale::ShortFormat)),
             qPrintable(date->text()));
    QCOMPARE(date->toolTip(), QLocale().toString(published, QLocale::LongFormat));
}

void tst_Layout::copyButtonsFollowTheSelection()
{
    QVERIFY(openAt(QSize(1600, 1000)));
    auto *details = m_window->findChild<VersionDetailsView *>(u"versionDetails"_s);
    auto *copyNpm = details->findChild<QToolButton *>(u"copyNpm"_s);
    QVERIFY(copyNpm->isEnabled());
    copyNpm->click();
    QCOMPARE(
        QApplication::clipboard()->text(),
        u"npm install @acme/very-long-package-name-for-layout@1.0.0-beta.with.a.long.prerelease"_s);
    QCOMPARE(copyNpm->text(), u"Copied"_s);
    QTRY_COMPARE_WITH_TIMEOUT(copyNpm->text(), u"Copy"_s, 5000);

    details->clear();
    for (const QToolButton *button : details->findChildren<QToolButton *>()) {
        if (!button->objectName().startsWith(u"copy"_s)) {
            continue; // the tab bar's scroll arrows
        }
        QVERIFY2(!button->isEnabled(), qPrintable(button->objectName()));
    }
}

QTEST_MAIN(tst_Layout)
#include "tst_layout.moc"
