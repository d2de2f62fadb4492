// SPDX-License-Identifier: GPL-3.0-or-later
// Smaller things of the window a user runs into: the filter's deprecated: key and its unknown
// keys, Undeprecate's ticks, the Visibility submenu's choices, the tag dialog's reason, the
// publish sheet's progress after a bad tarball, and English plurals from the translation.
#include "ui/mainwindow.h"

#include "../model/testsupport.h"
#include "model/itemmodels/namespacetreemodel.h"
#include "ui/deprecatedialog.h"
#include "ui/packagefilterproxymodel.h"
#include "ui/publishdialog.h"
#include "ui/tagdialog.h"

#include <QActionGroup>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMenu>
#include <QProgressBar>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableView>
#include <QTest>
#include <QTranslator>
#include <QTreeView>

using namespace Qt::StringLiterals;
using namespace Trove;
using TestSupport::RegistryFixture;

namespace {

// The rows of the groups/projects tree named `text`, at any depth.
QModelIndexList treeItems(const QTreeView *tree, const QString &text)
{
    const QAbstractItemModel *model = tree->model();
    return model->match(
        model->index(0, 0), Qt::DisplayRole, text, -1, Qt::MatchExactly | Qt::MatchRecursive);
}

} // namespace

class tst_WindowItems : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void filterKeys_data();
    void filterKeys();
    void undeprecateTicksOnlyDeprecated();
    void visibilityChoices_data();
    void visibilityChoices();
    void tagReasonIsNotClipped();
    void publishProgressEndsAfterBadTarball();
    void englishPlurals_data();
    void englishPlurals();
    void forwardingShows();

private:
    bool openWindow();
    qint64 projectId(const QString &path);

    QTemporaryDir m_settingsDir;
    QTemporaryDir m_files;
    RegistryFixture m_fixture;
    std::unique_ptr<MainWindow> m_window;
};

void tst_WindowItems::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_settingsDir.isValid());
    QVERIFY(m_files.isValid());
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_settingsDir.path());
    QCoreApplication::setOrganizationName(u"TroveTest"_s);
    QCoreApplication::setApplicationName(u"tst_windowitems"_s);
    QVERIFY2(!TestSupport::makeTarball(u"x"_s, u"1.0.0"_s).isEmpty(), "tar czf did not work");
}

void tst_WindowItems::init()
{
    QSettings().clear();
    QVERIFY2(m_fixture.open(), qPrintable(m_fixture.error()));
    NamespaceService &namespaces = m_fixture->namespaces();
    // acme is internal and holds an internal project and a private subgroup.
    QVERIFY_RESULT(namespaces.createGroup(u"acme"_s, Visibility::Internal));
    QVERIFY_RESULT(namespaces.createGroup(u"acme/web"_s, Visibility::Private));
    QVERIFY_RESULT(namespaces.createProject(u"acme/core"_s, Visibility::Internal));
    QVERIFY_RESULT(namespaces.createProject(u"acme/web/ui"_s, Visibility::Private));
    const qint64 core = projectId(u"acme/core"_s);
    // @acme/old: two of three versions deprecated, not the latest ("2 deprecated").
    for (const QString &version : {u"1.0.0"_s, u"1.1.0"_s, u"2.0.0"_s}) {
        QVERIFY_RESULT(m_fixture->packages().publish(
            TestSupport::publishRequest(core, u"@acme/old"_s, version)));
    }
    QVERIFY_RESULT(m_fixture->packages().deprecate(
        core, u"@acme/old"_s, {{u"1.0.0"_s, u"use 2"_s}, {u"1.1.0"_s, u"use 2"_s}}));
    QVERIFY_RESULT(m_fixture->packages().publish(
        TestSupport::publishRequest(core, u"@acme/fresh"_s, u"1.0.0"_s)));
}

void tst_WindowItems::cleanup()
{
    m_window.reset();
    m_fixture.close();
}

qint64 tst_WindowItems::projectId(const QString &path)
{
    const Result<Project> project = m_fixture->namespaces().findProject(path);
    return project ? project->id : 0;
}

bool tst_WindowItems::openWindow()
{
    m_window = std::make_unique<MainWindow>(m_fixture.registry());
    QSignalSpy loaded(m_window.get(), &MainWindow::packagesLoaded);
    m_window->show();
    return loaded.wait(10000) && QTest::qWaitForWindowExposed(m_window.get());
}

void tst_WindowItems::filterKeys_data()
{
    QTest::addColumn<QString>("filter");
    QTest::addColumn<QStringList>("shown");
    QTest::addColumn<QString>("error"); // a part of the error under the field; "" for none

    QTest::newRow("deprecated:yes, a version deprecated")
        << u"deprecated:yes"_s << QStringList{u"@acme/old"_s} << QString();
    QTest::newRow("deprecated:no")
        << u"deprecated:no"_s << QStringList{u"@acme/fresh"_s} << QString();
    // What the filter cannot read matches nothing, as before, but says why at the field.
    QTest::newRow("unknown key") << u"owner:mia"_s << QStringList{} << u"Unknown filter “owner:”"_s;
    QTest::newRow("unknown key beside a word")
        << u"fresh lang:js"_s << QStringList{} << u"“lang:”"_s;
    QTest::newRow("bad deprecated value")
        << u"deprecated:maybe"_s << QStringList{} << u"yes or no"_s;
    QTest::newRow("bad unused period") << u"unused:soon"_s << QStringList{} << u"90d"_s;
    QTest::newRow("known keys") << u"tag:latest kw:none"_s << QStringList{} << QString();
}

void tst_WindowItems::filterKeys()
{
    QFETCH(QString, filter);
    QFETCH(QStringList, shown);
    QFETCH(QString, error);
    QVERIFY(openWindow());
    auto *edit = m_window->findChild<QLineEdit *>(u"filterEdit"_s);
    auto *table = m_window->findChild<QTableView *>(u"packageTable"_s);
    auto *errorLabel = m_window->findChild<QLabel *>(u"filterError"_s);
    QVERIFY(errorLabel);
    auto *proxy = qobject_cast<PackageFilterProxyModel *>(table->model());
    QVERIFY(proxy);
    QTest::keyClicks(edit, filter);
    QTRY_COMPARE(proxy->filterText(), filter); // applied after a pause in typing
    QStringList names;
    for (int row = 0; row < table->model()->rowCount(); ++row) {
        names.append(table->model()->index(row, 0).data().toString());
    }
    names.sort();
    QCOMPARE(names, shown);
    if (error.isEmpty()) {
        QVERIFY2(errorLabel->isHidden(), qPrintable(errorLabel->text()));
    } else {
        QVERIFY(errorLabel->isVisible());
        QVERIFY2(errorLabel->text().contains(error), qPrintable(errorLabel->text()));
        // Mending the text takes the error away.
        edit->clear();
        QTRY_VERIFY(errorLabel->isHidden());
    }
}

void tst_WindowItems::undeprecateTicksOnlyDeprecated()
{
    const QList<DeprecateDialog::Version> versions{
        {u"1.0.0"_s, u"use 2"_s}, {u"1.1.0"_s, QString()}, {u"2.0.0"_s, QString()}};
    // The user had 1.0.0 and 1.1.0 selected in the versions list.
    DeprecateDialog dialog(DeprecateDialog::Mode::Undeprecate,
                           u"@acme/old"_s,
                           versions,
                           u"2.0.0"_s,
                           {u"1.0.0"_s, u"1.1.0"_s});
    QCOMPARE(dialog.checkedVersions(), QStringList{u"1.0.0"_s});
    auto *list = dialog.findChild<QListWidget *>(u"versionChecklist"_s);
    QVERIFY(!(list->item(1)->flags() & Qt::ItemIsUserCheckable));
    // A range ticks what it matches that is deprecated, and nothing else.
    QTest::keyClicks(dialog.findChild<QLineEdit *>(u"rangeEdit"_s), u"*"_s);
    QCOMPARE(dialog.checkedVersions(), QStringList{u"1.0.0"_s});

    DeprecateDialog deprecate(DeprecateDialog::Mode::Deprecate,
                              u"@acme/old"_s,
                              versions,
                              u"2.0.0"_s,
                              {u"1.0.0"_s, u"1.1.0"_s});
    QCOMPARE(deprecate.checkedVersions(), (QStringList{u"1.0.0"_s, u"1.1.0"_s}));
}

void tst_WindowItems::visibilityChoices_data()
{
    QTest::addColumn<QString>("node"); // the tree item's text
    QTest::addColumn<QString>("checked");
    QTest::addColumn<QStringList>("disabled");
    QTest::addColumn<QString>("reason"); // part of the tooltip of the first disabled choice

    // acme (internal) holds the internal project core: it cannot be private.
    QTest::newRow("group") << u"acme"_s << u"internal"_s << QStringList{u"private"_s}
                           << u"Project acme/core is internal"_s;
    // core is in the internal acme: it cannot be public.
    QTest::newRow("project") << u"core"_s << u"internal"_s << QStringList{u"public"_s}
                             << u"Its group acme is internal"_s;
    // web (private) is in acme (internal): public is refused, internal allowed.
    QTest::newRow("subgroup") << u"web"_s << u"private"_s << QStringList{u"public"_s}
                              << u"Its group acme is internal"_s;
}

void tst_WindowItems::visibilityChoices()
{
    QFETCH(QString, node);
    QFETCH(QString, checked);
    QFETCH(QStringList, disabled);
    QFETCH(QString, reason);
    QVERIFY(openWindow());
    auto *tree = m_window->findChild<QTreeView *>(u"namespaceTree"_s);
    QTRY_VERIFY(!treeItems(tree, node).isEmpty());
    tree->setCurrentIndex(treeItems(tree, node).first());

    QMenu menu;
    m_window->fillNamespaceMenu(&menu);
    auto *visibility = menu.findChild<QMenu *>(u"visibilityMenu"_s);
    QVERIFY(visibility);
    QStringList checkedNames;
    QStringList disabledNames;
    QString firstReason;
    for (QAction *action : visibility->actions()) {
        // Radio items: one group, exclusive.
        QVERIFY(action->actionGroup());
        QVERIFY(action->actionGroup()->isExclusive());
        if (action->isChecked()) {
            checkedNames.append(action->text());
        }
        if (!action->isEnabled()) {
            disabledNames.append(action->text());
            if (firstReason.isEmpty()) {
                firstReason = action->toolTip();
            }
        }
    }
    QCOMPARE(checkedNames, QStringList{checked});
    QCOMPARE(disabledNames, disabled);
    QVERIFY2(firstReason.contains(reason), qPrintable(firstReason));

    // An allowed choice is written.
    for (QAction *action : visibility->actions()) {
        if (action->isEnabled() && !action->isChecked()) {
            QSignalSpy written(m_window.get(), &MainWindow::writeFinished);
            action->trigger();
            QVERIFY(written.wait(10000));
            QVERIFY2(written.first().at(0).toBool(), qPrintable(written.first().at(1).toString()));
            break;
        }
    }
}

void tst_WindowItems::tagReasonIsNotClipped()
{
    TagDialog dialog(u"@acme/old"_s, u"1.0.0"_s, {{u"latest"_s, u"2.0.0"_s}});
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    dialog.resize(320, dialog.height());
    // Not a tag (it reads as a range): the reason takes several lines at this width.
    QTest::keyClicks(dialog.findChild<QLineEdit *>(u"tagEdit"_s), u">=1.0.0"_s);
    auto *status = dialog.findChild<QLabel *>(u"tagStatus"_s);
    QVERIFY(status->text().contains(u"cannot be a tag"_s));
    QTRY_VERIFY2(status->height() >= status->heightForWidth(status->width()),
                 qPrintable(u"%1 px high, needs %2"_s.arg(status->height())
                                .arg(status->heightForWidth(status->width()))));
    // More than one line: this is the case that was clipped.
    QVERIFY(status->heightForWidth(status->width()) > status->fontMetrics().height() * 3 / 2);
}

void tst_WindowItems::publishProgressEndsAfterBadTarball()
{
    const QString good = m_files.filePath(u"good-1.0.0.tgz"_s);
    const QString bad = m_files.filePath(u"bad.tgz"_s);
    QFile goodFile(good);
    QVERIFY(goodFile.open(QIODevice::WriteOnly));
    goodFile.write(TestSupport::makeTarball(u"@acme/good"_s, u"1.0.0"_s));
    goodFile.close();
    QFile badFile(bad);
    QVERIFY(badFile.open(QIODevice::WriteOnly));
    badFile.write("not a tarball");
    badFile.close();

    const Result<Project> core = m_fixture->namespaces().findProject(u"acme/core"_s);
    QVERIFY_RESULT(core);
    // The good one first: the bad one is the last row, skipped after the bar moved.
    PublishDialog dialog(m_fixture.registry(), {good, bad}, {*core}, core->id);
    QSignalSpy checked(&dialog, &PublishDialog::checked);
    QVERIFY(checked.wait(10000));
    QCOMPARE(dialog.preflights().size(), 2);
    QVERIFY(dialog.preflights().at(0).publishable());
    QVERIFY(!dialog.preflights().at(1).publishable());
    QSignalSpy finished(&dialog, &PublishDialog::finished);
    dialog.publishAll();
    QVERIFY(finished.wait(10000));
    QCOMPARE(finished.first().at(0).toInt(), 1);
    auto *progress = dialog.findChild<QProgressBar *>(u"publishProgress"_s);
    QCOMPARE(progress->value(), progress->maximum());
    QVERIFY2(progress->text().contains(u"1 of 2"_s), qPrintable(progress->text()));
}

void tst_WindowItems::englishPlurals_data()
{
    QTest::addColumn<int>("files");
    QTest::addColumn<QString>("title");
    QTest::newRow("one") << 1 << u"Publish 1 Tarball"_s;
    QTest::newRow("two") << 2 << u"Publish 2 Tarballs"_s;
}

void tst_WindowItems::englishPlurals()
{
    QFETCH(int, files);
    QFETCH(QString, title);
    // The English translation built from data/translations/trove_en.ts gives the forms.
    QTranslator english;
    QVERIFY(english.load(u":/trove/i18n/trove_en.qm"_s));
    QVERIFY(QCoreApplication::installTranslator(&english));
    QStringList paths;
    for (int i = 0; i < files; ++i) {
        paths.append(m_files.filePath(u"file%1.tgz"_s.arg(i)));
    }
    const Result<Project> core = m_fixture->namespaces().findProject(u"acme/core"_s);
    QVERIFY_RESULT(core);
    PublishDialog dialog(m_fixture.registry(), paths, {*core}, core->id);
    QCoreApplication::removeTranslator(&english);
    QCOMPARE(dialog.windowTitle(), title);
}

// Forwarding in the window: the tree marks in words where unknown names go to the upstream,
// and the status bar says it for the selected row, with the settings one click away.
void tst_WindowItems::forwardingShows()
{
    SettingsService &settings = m_fixture->settings();
    QVERIFY_RESULT(settings.setInstanceForwardingMode(SettingsService::ForwardingMode::Off));
    QVERIFY_RESULT(settings.setUpstream(u"http://127.0.0.1:4999/"_s));
    QVERIFY_RESULT(
        settings.setGroupForwardingMode(m_fixture->namespaces().findGroup(u"acme/web"_s)->id,
                                        SettingsService::ForwardingMode::Proxy));
    QVERIFY(openWindow());
    auto *tree = m_window->findChild<QTreeView *>(u"namespaceTree"_s);
    auto *label = m_window->findChild<QLabel *>(u"forwardingStatus"_s);
    QVERIFY(tree && label);
    const auto badge = [tree](const QString &name) {
        const QModelIndexList found = treeItems(tree, name);
        return found.isEmpty()
            ? u"?"_s
            : found.first().siblingAtColumn(NamespaceTreeModel::ForwardingColumn).data().toString();
    };
    QTRY_COMPARE(badge(u"web"_s), u"proxy"_s);
    QCOMPARE(badge(u"ui"_s), u"proxy"_s);
    QCOMPARE(badge(u"acme"_s), QString());
    QCOMPARE(badge(u"core"_s), QString());
    // The names keep the pane's width (the marks are the status bar's, below).
    QVERIFY(tree->columnWidth(NamespaceTreeModel::NameColumn) >= tree->viewport()->width() - 1);

    // All packages, with the instance's forwarding off: nothing said.
    QVERIFY(label->isHidden());
    tree->setCurrentIndex(treeItems(tree, u"ui"_s).first());
    QTRY_VERIFY(label->isVisible());
    QVERIFY2(label->text().contains(u"Forwarding: proxy to 127.0.0.1:4999"_s),
             qPrintable(label->text()));
    QVERIFY(label->toolTip().contains(u"dependency confusion"_s));
    tree->setCurrentIndex(treeItems(tree, u"core"_s).first());
    QTRY_VERIFY(label->isHidden());

    // The instance's redirect reaches every row without its own setting, and the status bar.
    QVERIFY_RESULT(settings.setInstanceForwardingMode(SettingsService::ForwardingMode::Redirect));
    m_window->reload();
    QTRY_COMPARE(badge(u"core"_s), u"redirect"_s);
    QCOMPARE(badge(u"web"_s), u"proxy"_s);
    QTRY_VERIFY(label->isVisible());
    QVERIFY2(label->text().contains(u"Forwarding: redirect to 127.0.0.1:4999"_s),
             qPrintable(label->text()));

    // The link opens Tools ▸ Forwarding and Protection.
    emit label->linkActivated(u"#forwarding"_s);
    QTRY_VERIFY(m_window->findChild<QWidget *>(u"forwardingDialog"_s));
}

QTEST_MAIN(tst_WindowItems)
#include "tst_windowitems.moc"
