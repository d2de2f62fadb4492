// SPDX-License-Identifier: GPL-3.0-or-later
// The window's package actions against a real store and the real embedded server, checked with
// the real npm client: deprecate a range, move and remove dist-tags (also by dragging a tag
// chip), the version details pane, save a tarball, the Registry menu and its request rate.
#include "ui/confirm.h"
#include "ui/mainwindow.h"

#include "../e2e/npmclients.h"
#include "../model/testsupport.h"
#include "model/itemmodels/packagetablemodel.h"
#include "model/itemmodels/versiontablemodel.h"
#include "server/embeddedserver.h"
#include "ui/deprecatedialog.h"
#include "ui/tagdialog.h"
#include "ui/versiondetailsview.h"
#include "ui/versionview.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QCryptographicHash>
#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMenu>
#include <QMimeData>
#include <QProcess>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableView>
#include <QTest>
#include <QTextBrowser>
#include <QToolButton>
#include <QTreeWidget>

using namespace Qt::StringLiterals;
using namespace Trove;
using TestSupport::RegistryFixture;

using NpmClients::Run;

class tst_PackageActions : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void deprecateRangeThenNpmViewShowsIt();
    void dragTagChipMovesTagForNpm();
    void tagDialogAddsAndMenuRemoves();
    void versionDetails();
    void saveTarball();
    void registryMenuAndRequestRate();
    void realNpmPublishAppears();

private:
    qint64 projectId(const QString &path);
    Result<Package> publish(const QString &name,
                            const QString &version,
                            const QString &tag = u"latest"_s,
                            const QJsonObject &manifest = {},
                            const QList<std::pair<QString, QByteArray>> &files = {});
    // A window showing `name`'s versions, and the server it talks to.
    bool openAt(const QString &name);
    // Runs the real npm 11 against the embedded server, with the maintainer's token.
    // In `dir` (default: a scratch folder), which gets the .npmrc.
    Run npm(const QStringList &arguments, const QString &dir = {});
    // Waits for the window's write to finish; true when it succeeded.
    bool waitForWrite(QSignalSpy &spy);
    int versionRow(const QString &version) const;

    QTemporaryDir m_settingsDir;
    QTemporaryDir m_work;
    RegistryFixture m_fixture;
    QString m_token;
    int m_counter = 0;
    qint64 m_userId = 0;
    std::unique_ptr<MainWindow> m_window;
    std::unique_ptr<Http::EmbeddedServer> m_server;
};

void tst_PackageActions::initTestCase()
{
    // The actions these tests click ask first (ui/confirm.h); tst_confirmations tests the
    // questions, here the answer is yes.
    Ui::setConfirmAnswer([](const QString &, const QString &) { return true; });
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_settingsDir.isValid());
    QVERIFY(m_work.isValid());
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_settingsDir.path());
    QCoreApplication::setOrganizationName(u"TroveTest"_s);
    QCoreApplication::setApplicationName(u"tst_packageactions"_s);
    QVERIFY2(QFile::exists(NpmClients::script(u"npm11"_s)),
             "the npm clients are missing: tests/run.sh installs them");
}

void tst_PackageActions::init()
{
    QSettings().clear();
    QVERIFY2(m_fixture.open(), qPrintable(m_fixture.error()));
    QVERIFY_RESULT(m_fixture->namespaces().createGroup(u"acme"_s));
    QVERIFY_RESULT(m_fixture->namespaces().createProject(u"acme/core"_s));
    const Result<User> mia = m_fixture->users().createUser(u"mia"_s);
    QVERIFY_RESULT(mia);
    QVERIFY_RESULT(m_fixture->users().addGroupMember(u"mia"_s, u"acme"_s, AccessLevel::Maintainer));
    const Result<CreatedToken> token =
        m_fixture->tokens().createPersonalAccessToken(mia->id, {}, {u"api"_s});
    QVERIFY_RESULT(token);
    m_token = token->token;
    m_userId = mia->id;
    QVERIFY_RESULT(publish(u"@acme/core"_s, u"1.0.0"_s));
    QVERIFY_RESULT(publish(u"@acme/core"_s, u"1.1.0"_s));
    QVERIFY_RESULT(publish(u"@acme/core"_s, u"2.0.0-beta.1"_s, u"beta"_s));
}

void tst_PackageActions::cleanup()
{
    m_window.reset();
    m_server.reset();
    m_fixture.close();
}

qint64 tst_PackageActions::projectId(const QString &path)
{
    const Result<Project> project = m_fixture->namespaces().findProject(path);
    return project ? project->id : 0;
}

Result<Package> tst_PackageActions::publish(const QString &name,
                                            const QString &version,
                                            const QString &tag,
                                            const QJsonObject &manifest,
                                            const QList<std::pair<QString, QByteArray>> &files)
{
    return m_fixture->packages().publish(TestSupport::publishRequest(
        projectId(u"acme/core"_s), name, version, tag, manifest, files, m_userId));
}

bool tst_PackageActions::openAt(const QString &name)
{
    m_server = std::make_unique<Http::EmbeddedServer>(m_fixture.registry());
    m_window = std::make_unique<MainWindow>(m_fixture.registry());
    QObject::connect(m_server.get(),
                     &Http::EmbeddedServer::statusChanged,
                     m_window.get(),
                     &MainWindow::setServerStatus);
    QSignalSpy loaded(m_window.get(), &MainWindow::packagesLoaded);
    m_window->show();
    if (!loaded.wait(10000)) {
        return false;
    }
    m_server->start(Http::ServerConfig{});
    if (!QTest::qWaitFor(
            [this] { return m_server->status().state == ServerStatus::State::Running; }, 10000)) {
        return false;
    }
    QSignalSpy versions(m_window.get(), &MainWindow::versionsLoaded);
    if (!m_window->showPackage(name)) {
        return false;
    }
    return versions.wait(10000) || versions.size() > 0;
}

Run tst_PackageActions::npm(const QStringList &arguments, const QString &workDir)
{
    const QString registry =
        u"http://127.0.0.1:%1/api/v4/projects/%2/packages/npm/"_s.arg(m_server->status().port)
            .arg(projectId(u"acme/core"_s));
    const QString dir = workDir.isEmpty() ? m_work.filePath(u"npm"_s) : workDir;
    QDir().mkpath(dir);
    QFile npmrc(dir + u"/.npmrc"_s);
    if (!npmrc.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
        return {};
    }
    npmrc.write(u"@acme:registry=%1\n%2:_authToken=%3\n"_s
                    .arg(registry, registry.mid(registry.indexOf(u"//"_s)), m_token)
                    .toUtf8());
    npmrc.close();
    // The GUI thread waits here: the embedded server answers from its own threads.
    Run run = NpmClients::run(
        u"npm11"_s, arguments + QStringList{u"--prefer-online"_s}, dir, m_work.path(), ++m_counter);
    run.out = run.out.trimmed(); // npm view prints a value and a newline
    run.err = run.err.trimmed();
    return run;
}

bool tst_PackageActions::waitForWrite(QSignalSpy &spy)
{
    if (spy.isEmpty() && !spy.wait(10000)) {
        return false;
    }
    const bool ok = spy.takeFirst().at(0).toBool();
    // The change event reloads the versions; let it land before the next step reads them.
    QSignalSpy versions(m_window.get(), &MainWindow::versionsLoaded);
    versions.wait(2000);
    return ok;
}

int tst_PackageActions::versionRow(const QString &version) const
{
    const auto *view = m_window->findChild<VersionView *>(u"versionList"_s);
    for (int row = 0; row < view->model()->rowCount(); ++row) {
        if (view->model()->index(row, 0).data(VersionTableModel::VersionRole).toString()
            == version) {
            return row;
        }
    }
    return -1;
}

void tst_PackageActions::deprecateRangeThenNpmViewShowsIt()
{
    QVERIFY(openAt(u"@acme/core"_s));
    QSignalSpy writes(m_window.get(), &MainWindow::writeFinished);

    m_window->openDeprecateDialog(DeprecateDialog::Mode::Deprecate);
    auto *dialog = m_window->findChild<DeprecateDialog *>(u"deprecateDialog"_s);
    QVERIFY(dialog);
    QVERIFY(dialog->isVisible());
    auto *range = dialog->findChild<QLineEdit *>(u"rangeEdit"_s);
    auto *status = dialog->findChild<QLabel *>(u"rangeStatus"_s);
    auto *ok = dialog->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok);
    // Opened on the selected version (the latest).
    QCOMPARE(dialog->checkedVersions(), QStringList{u"1.1.0"_s});

    QTest::keyClicks(range, u"1.x"_s);
    QCOMPARE(dialog->checkedVersions(), (QStringList{u"1.1.0"_s, u"1.0.0"_s}));
    QCOMPARE(status->text(), u"2 version(s) match."_s);
    QVERIFY2(!ok->isEnabled(), "deprecating needs a message");

    // npm deprecate reads ranges with prereleases included: <2.0.0 takes 2.0.0-beta.1 too.
    range->setText(u"<2.0.0"_s);
    QCOMPARE(dialog->checkedVersions(), (QStringList{u"2.0.0-beta.1"_s, u"1.1.0"_s, u"1.0.0"_s}));
    range->setText(u"not a range ~~"_s);
    QCOMPARE(status->text(), u"Not a semver range: nothing changed."_s);
    QCOMPARE(dialog->checkedVersions().size(), 3);
    range->setText(u"~1.0"_s);
    QCOMPARE(dialog->checkedVersions(), QStringList{u"1.0.0"_s});

    auto *message = dialog->findChild<QComboBox *>(u"messageEdit"_s);
    message->setCurrentIndex(1); // the first template
    QCOMPARE(message->currentText(), u"Upgrade to 1.1.0 or later."_s);
    QVERIFY(ok->isEnabled());
    QTest::mouseClick(ok, Qt::LeftButton);
    QVERIFY(waitForWrite(writes));

    Run view = npm({u"view"_s, u"@acme/core@1.0.0"_s, u"deprecated"_s});
    QVERIFY2(view.exitCode == 0, qPrintable(view.err));
    QCOMPARE(view.out, u"Upgrade to 1.1.0 or later."_s);
    view = npm({u"view"_s, u"@acme/core@1.1.0"_s, u"deprecated"_s});
    QCOMPARE(view.out, QString());
    // The window shows it too.
    const int row = versionRow(u"1.0.0"_s);
    QVERIFY(row >= 0);
    auto *versions = m_window->findChild<VersionView *>(u"versionList"_s);
    QCOMPARE(versions->model()->index(row, 0).data(VersionTableModel::DeprecationMessageRole),
             u"Upgrade to 1.1.0 or later."_s);

    // Undeprecate the version selected in the list.
    versions->setCurrentIndex(versions->model()->index(row, 0));
    m_window->openDeprecateDialog(DeprecateDialog::Mode::Undeprecate);
    dialog = nullptr;
    for (auto *candidate : m_window->findChildren<DeprecateDialog *>()) {
        if (candidate->mode() == DeprecateDialog::Mode::Undeprecate) {
            dialog = candidate;
        }
    }
    QVERIFY(dialog);
    QCOMPARE(dialog->checkedVersions(), QStringList{u"1.0.0"_s});
    QVERIFY(!dialog->findChild<QComboBox *>(u"messageEdit"_s)->isVisible());
    dialog->accept();
    QVERIFY(waitForWrite(writes));
    view = npm({u"view"_s, u"@acme/core@1.0.0"_s, u"deprecated"_s});
    QVERIFY2(view.exitCode == 0, qPrintable(view.err));
    QCOMPARE(view.out, QString());
}

void tst_PackageActions::dragTagChipMovesTagForNpm()
{
    QVERIFY(openAt(u"@acme/core"_s));
    QSignalSpy writes(m_window.get(), &MainWindow::writeFinished);
    auto *view = m_window->findChild<VersionView *>(u"versionList"_s);
    const int from = versionRow(u"1.1.0"_s);
    const int to = versionRow(u"1.0.0"_s);
    QVERIFY(from >= 0 && to >= 0);

    // The chip the user presses on is the tag that is dragged.
    const QModelIndex tagsCell = view->model()->index(from, VersionTableModel::TagsColumn);
    const QList<QRect> chips = TagChipDelegate::chipRects(
        view->visualRect(tagsCell), view->fontMetrics(), QStringList{u"latest"_s});
    QCOMPARE(view->tagAt(chips.first().center()), u"latest"_s);
    QCOMPARE(view->tagAt(view->visualRect(view->model()->index(from, 0)).center()), QString());

    // What QDrag delivers when the chip is dropped on 1.0.0's row.
    QMimeData mime;
    mime.setData(QString::fromLatin1(VersionView::TagMimeType), "latest");
    const QPoint target = view->visualRect(view->model()->index(to, 0)).center();
    QDragEnterEvent enter(target, Qt::MoveAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(view->viewport(), &enter);
    QVERIFY(enter.isAccepted());
    QDragMoveEvent move(target, Qt::MoveAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(view->viewport(), &move);
    QVERIFY(move.isAccepted());
    // Onto the version it is already on: refused.
    const QPoint same = view->visualRect(view->model()->index(from, 0)).center();
    QDragMoveEvent moveSame(same, Qt::MoveAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(view->viewport(), &moveSame);
    QVERIFY(!moveSame.isAccepted());
    QDropEvent drop(target, Qt::MoveAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(view->viewport(), &drop);
    QVERIFY(waitForWrite(writes));

    const Run tags = npm({u"dist-tag"_s, u"ls"_s, u"@acme/core"_s});
    QVERIFY2(tags.exitCode == 0, qPrintable(tags.err));
    QVERIFY2(tags.out.contains(u"latest: 1.0.0"_s), qPrintable(tags.out));
    QVERIFY2(tags.out.contains(u"beta: 2.0.0-beta.1"_s), qPrintable(tags.out));
    // The package table follows: its Latest column now reads 1.0.0.
    auto *table = m_window->findChild<QTableView *>(u"packageTable"_s);
    QTRY_COMPARE(
        table->currentIndex().siblingAtColumn(PackageTableModel::LatestColumn).data().toString(),
        u"1.0.0"_s);
}

void tst_PackageActions::tagDialogAddsAndMenuRemoves()
{
    QVERIFY(openAt(u"@acme/core"_s));
    QSignalSpy writes(m_window.get(), &MainWindow::writeFinished);
    auto *view = m_window->findChild<VersionView *>(u"versionList"_s);
    view->setCurrentIndex(view->model()->index(versionRow(u"1.0.0"_s), 0));

    m_window->openTagDialog();
    auto *dialog = m_window->findChild<TagDialog *>(u"tagDialog"_s);
    QVERIFY(dialog);
    auto *edit = dialog->findChild<QLineEdit *>(u"tagEdit"_s);
    auto *status = dialog->findChild<QLabel *>(u"tagStatus"_s);
    auto *ok = dialog->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok);
    QTest::keyClicks(edit, u"1.2.3"_s);
    QVERIFY(!ok->isEnabled());
    QVERIFY2(status->text().contains(u"cannot be a tag"_s), qPrintable(status->text()));
    edit->setText(u"beta"_s);
    QCOMPARE(status->text(), u"Moves beta from 2.0.0-beta.1 to 1.0.0."_s);
    edit->setText(u"stable"_s);
    QCOMPARE(status->text(), u"Adds the tag stable."_s);
    QTest::mouseClick(ok, Qt::LeftButton);
    QVERIFY(waitForWrite(writes));
    Run tags = npm({u"dist-tag"_s, u"ls"_s, u"@acme/core"_s});
    QVERIFY2(tags.out.contains(u"stable: 1.0.0"_s), qPrintable(tags.out + tags.err));

    // Package > Remove Tag lists the selected version's tags; latest cannot be removed.
    view->setCurrentIndex(view->model()->index(versionRow(u"1.0.0"_s), 0));
    auto *menu = m_window->findChild<QMenu *>(u"removeTagMenu"_s);
    QVERIFY(menu);
    emit menu->aboutToShow(); // as when the user opens it
    QList<QAction *> actions = menu->actions();
    QCOMPARE(actions.size(), 1);
    QCOMPARE(actions.first()->text(), u"stable"_s);
    actions.first()->trigger();
    QVERIFY(waitForWrite(writes));
    tags = npm({u"dist-tag"_s, u"ls"_s, u"@acme/core"_s});
    QVERIFY2(!tags.out.contains(u"stable"_s), qPrintable(tags.out));

    view->setCurrentIndex(view->model()->index(versionRow(u"1.1.0"_s), 0));
    emit menu->aboutToShow(); // as when the user opens it
    actions = menu->actions();
    QCOMPARE(actions.size(), 1);
    QCOMPARE(actions.first()->text(), u"latest"_s);
    QVERIFY(!actions.first()->isEnabled());
}

void tst_PackageActions::versionDetails()
{
    const QByteArray readme = "# Acme docs\n\nSee ![badge](http://127.0.0.1:9/badge.svg) and "
                              "[the guide](http://127.0.0.1:9/guide).\n";
    const QJsonObject manifest{
        {u"description"_s, u"Documentation helpers"_s},
        {u"license"_s, u"MIT"_s},
        {u"scripts"_s, QJsonObject{{u"postinstall"_s, u"node setup.js"_s}}},
        {u"dependencies"_s,
         QJsonObject{{u"@acme/core"_s, u"^1.0.0"_s}, {u"left-pad"_s, u"^1.3.0"_s}}},
        {u"peerDependencies"_s, QJsonObject{{u"react"_s, u">=18"_s}}}};
    const Result<Package> docs = publish(u"@acme/docs"_s,
                                         u"1.0.0"_s,
                                         u"latest"_s,
                                         manifest,
                                         {{u"README.md"_s, readme}, {u"lib/a.js"_s, "1;\n"}});
    QVERIFY_RESULT(docs);
    QVERIFY(openAt(u"@acme/docs"_s));
    auto *details = m_window->findChild<VersionDetailsView *>(u"versionDetails"_s);
    QTRY_COMPARE(details->details().package.version, u"1.0.0"_s);

    QCOMPARE(details->findChild<QLabel *>(u"integrityLabel"_s)->text(),
             u"sha512-"_s
                 + QString::fromLatin1(QByteArray::fromHex(docs->sha512.toLatin1()).toBase64()));
    QCOMPARE(details->findChild<QLabel *>(u"installScriptsLabel"_s)->text(),
             u"runs postinstall at install"_s);

    auto *browser = details->findChild<QTextBrowser *>(u"readmeView"_s);
    QVERIFY(browser->toPlainText().startsWith(u"Acme docs"_s));
    // The remote image is not fetched (nothing listens on port 9 either way).
    QVERIFY(
        browser->loadResource(QTextDocument::ImageResource, QUrl(u"http://127.0.0.1:9/badge.svg"_s))
            .isNull());

    auto *files = details->findChild<QTreeWidget *>(u"fileList"_s);
    QStringList paths;
    for (int i = 0; i < files->topLevelItemCount(); ++i) {
        paths.append(files->topLevelItem(i)->text(0));
    }
    paths.sort();
    QCOMPARE(paths,
             (QStringList{u"package/README.md"_s,
                          u"package/index.js"_s,
                          u"package/lib/a.js"_s,
                          u"package/package.json"_s}));

    details->findChild<QToolButton *>(u"copyPnpm"_s)->click();
    QCOMPARE(QApplication::clipboard()->text(), u"pnpm add @acme/docs@1.0.0"_s);

    // Dependencies: the one this registry holds is a link that shows it.
    auto *dependencies = details->findChild<QTreeWidget *>(u"dependencyList"_s);
    QCOMPARE(dependencies->topLevelItemCount(), 3);
    QTreeWidgetItem *core = dependencies->findItems(u"@acme/core"_s, Qt::MatchExactly).value(0);
    QTreeWidgetItem *leftPad = dependencies->findItems(u"left-pad"_s, Qt::MatchExactly).value(0);
    QVERIFY(core && leftPad);
    QVERIFY(core->font(0).underline());
    QVERIFY(!leftPad->font(0).underline());
    QCOMPARE(dependencies->findItems(u"react"_s, Qt::MatchExactly).value(0)->text(2), u"peer"_s);
    emit dependencies->itemClicked(leftPad, 0);
    auto *title = m_window->findChild<QLabel *>(u"detailsTitle"_s);
    QCOMPARE(title->text(), u"@acme/docs in acme/core"_s);
    emit dependencies->itemClicked(core, 0);
    QCOMPARE(title->text(), u"@acme/core in acme/core"_s);
    QTRY_COMPARE(details->details().package.name, u"@acme/core"_s);
}

void tst_PackageActions::saveTarball()
{
    QVERIFY(openAt(u"@acme/core"_s));
    QSignalSpy writes(m_window.get(), &MainWindow::writeFinished);
    auto *details = m_window->findChild<VersionDetailsView *>(u"versionDetails"_s);
    QTRY_COMPARE(details->details().package.version, u"1.1.0"_s);
    QString suggested;
    const QString target = m_work.filePath(u"saved.tgz"_s);
    m_window->setSaveFileChooser([&suggested, &target](const QString &name) {
        suggested = name;
        return target;
    });
    auto *action = m_window->findChild<QAction *>(u"saveTarballAction"_s);
    QVERIFY(action->isEnabled());
    QCOMPARE(action->shortcut(), QKeySequence(QKeySequence::Save));
    action->trigger();
    QVERIFY(waitForWrite(writes));
    QCOMPARE(suggested, u"acme-core-1.1.0.tgz"_s);
    QFile saved(target);
    QVERIFY(saved.open(QIODevice::ReadOnly));
    const QByteArray bytes = saved.readAll();
    QCOMPARE(
        QString::fromLatin1(QCryptographicHash::hash(bytes, QCryptographicHash::Sha512).toHex()),
        details->details().package.sha512);

    // Cancelled: nothing happens.
    m_window->setSaveFileChooser([](const QString &) { return QString(); });
    action->trigger();
    QVERIFY(!writes.wait(300));
}

void tst_PackageActions::registryMenuAndRequestRate()
{
    QVERIFY(openAt(u"@acme/core"_s));
    auto *start = m_window->findChild<QAction *>(u"startRegistryAction"_s);
    auto *stop = m_window->findChild<QAction *>(u"stopRegistryAction"_s);
    QVERIFY(!start->isEnabled());
    QVERIFY(stop->isEnabled());
    QSignalSpy stopAsked(m_window.get(), &MainWindow::stopRegistryRequested);
    QSignalSpy startAsked(m_window.get(), &MainWindow::startRegistryRequested);
    QObject::connect(m_window.get(), &MainWindow::stopRegistryRequested, m_server.get(), [this] {
        m_server->stop();
    });
    QObject::connect(m_window.get(), &MainWindow::startRegistryRequested, m_server.get(), [this] {
        m_server->start(Http::ServerConfig{});
    });
    auto *rate = m_window->findChild<QLabel *>(u"requestRate"_s);
    // The counter the status bar reads once a second.
    m_window->setRequestCounter([this] { return m_server->requestCount(); });

    const Run view = npm({u"view"_s, u"@acme/core"_s, u"version"_s});
    QVERIFY2(view.exitCode == 0, qPrintable(view.err));
    QCOMPARE(view.out, u"1.1.0"_s);
    QVERIFY(m_server->requestCount() >= 1);
    QTRY_VERIFY_WITH_TIMEOUT(rate->isVisible() && rate->text().endsWith(u"requests/s"_s), 3000);

    stop->trigger();
    QCOMPARE(stopAsked.size(), 1);
    QCOMPARE(m_server->status().state, ServerStatus::State::Stopped);
    QCOMPARE(m_window->findChild<QLabel *>(u"serverStatus"_s)->text(), u"Registry stopped"_s);
    QVERIFY(start->isEnabled());
    QVERIFY(!stop->isEnabled());
    QVERIFY(!rate->isVisible());
    start->trigger();
    QCOMPARE(startAsked.size(), 1);
    QTRY_COMPARE(m_server->status().state, ServerStatus::State::Running);
    QVERIFY(stop->isEnabled());
}

// A real `npm publish` through the embedded server shows in the table, without a reload, with
// its dist-tag.
void tst_PackageActions::realNpmPublishAppears()
{
    QVERIFY(openAt(u"@acme/core"_s));
    const QString dir = m_work.filePath(u"to-publish"_s);
    QVERIFY(QDir().mkpath(dir));
    QFile manifest(dir + u"/package.json"_s);
    QVERIFY(manifest.open(QIODevice::WriteOnly));
    manifest.write(R"({"name":"@acme/fresh","version":"0.3.0","main":"index.js"})");
    manifest.close();
    QFile index(dir + u"/index.js"_s);
    QVERIFY(index.open(QIODevice::WriteOnly));
    index.write("module.exports = 3;\n");
    index.close();
    const Run run = npm({u"publish"_s, u"--tag"_s, u"beta"_s}, dir);
    QVERIFY2(run.exitCode == 0, qPrintable(run.out + run.err));
    auto *table = m_window->findChild<QTableView *>(u"packageTable"_s);
    QTRY_VERIFY_WITH_TIMEOUT(
        [table] {
            for (int row = 0; row < table->model()->rowCount(); ++row) {
                const QModelIndex index = table->model()->index(row, 0);
                if (index.data(PackageTableModel::PackageNameRole).toString() == u"@acme/fresh"_s) {
                    return index.data(PackageTableModel::DistTagNamesRole).toStringList()
                        == QStringList{u"beta"_s};
                }
            }
            return false;
        }(),
        5000);
}

QTEST_MAIN(tst_PackageActions)
#include "tst_packageactions.moc"
