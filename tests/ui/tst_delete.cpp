// SPDX-License-Identifier: GPL-3.0-or-later
// Deleting in the window and the project's Packages switch, against a real store and the real
// embedded server, checked with the real npm client: what each confirmation says (dist-tags that
// move or go, dependents by range), Cancel changes nothing, deleted versions and packages leave
// what npm sees, a group with something in it needs its path typed, a deleted user's token stops
// working, and a project switched off answers npm with 403.
#include "ui/mainwindow.h"

#include "../e2e/npmclients.h"
#include "../model/testsupport.h"
#include "model/itemmodels/versiontablemodel.h"
#include "model/store/packagestore.h"
#include "server/embeddedserver.h"
#include "ui/deletedialogs.h"
#include "ui/projectsettingsdialog.h"
#include "ui/usersdialog.h"
#include "ui/versionview.h"

#include <QAction>
#include <QCheckBox>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>
#include <QTreeView>

using namespace Qt::StringLiterals;
using namespace Trove;
using NpmClients::Run;
using TestSupport::RegistryFixture;

class tst_Delete : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void confirmationSaysWhatBreaks_data();
    void confirmationSaysWhatBreaks();
    void deleteVersionsNpmFollows();
    void deletePackageNpm404();
    void deleteProjectListsPackages();
    void groupNeedsTypedPath();
    void refusalStaysInTheDialog();
    void deleteUserRevokesTokens();
    void projectSwitchOffAnswers403();

private:
    qint64 projectId(const QString &path);
    Result<Package> publish(const QString &project,
                            const QString &name,
                            const QString &version,
                            const QString &tag = u"latest"_s,
                            const QJsonObject &manifest = {});
    bool openWindow();
    bool selectVersions(const QStringList &versions);
    bool selectTreeItem(const QString &text);
    // The confirmation the action opened, once it says what breaks.
    DeleteDialog *confirmation(const QString &objectName);
    Run npm(const QStringList &arguments);
    qint64 versionCount();

    QTemporaryDir m_settingsDir;
    QTemporaryDir m_work;
    RegistryFixture m_fixture;
    QString m_token;
    qint64 m_userId = 0;
    int m_counter = 0;
    std::unique_ptr<MainWindow> m_window;
    std::unique_ptr<Http::EmbeddedServer> m_server;
};

void tst_Delete::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_settingsDir.isValid());
    QVERIFY(m_work.isValid());
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_settingsDir.path());
    QCoreApplication::setOrganizationName(u"TroveTest"_s);
    QCoreApplication::setApplicationName(u"tst_delete"_s);
    QVERIFY2(QFile::exists(NpmClients::script(u"npm11"_s)),
             "the npm clients are missing: tests/run.sh installs them");
}

void tst_Delete::init()
{
    QSettings().clear();
    QVERIFY2(m_fixture.open(), qPrintable(m_fixture.error()));
    QVERIFY_RESULT(m_fixture->namespaces().createGroup(u"acme"_s));
    QVERIFY_RESULT(m_fixture->namespaces().createProject(u"acme/core"_s));
    QVERIFY_RESULT(m_fixture->namespaces().createProject(u"acme/app"_s));
    const Result<User> mia = m_fixture->users().createUser(u"mia"_s);
    QVERIFY_RESULT(mia);
    m_userId = mia->id;
    QVERIFY_RESULT(m_fixture->users().addGroupMember(u"mia"_s, u"acme"_s, AccessLevel::Maintainer));
    const Result<CreatedToken> token =
        m_fixture->tokens().createPersonalAccessToken(mia->id, {}, {u"api"_s});
    QVERIFY_RESULT(token);
    m_token = token->token;
    QVERIFY_RESULT(publish(u"acme/core"_s, u"@acme/core"_s, u"1.0.0"_s));
    QVERIFY_RESULT(publish(u"acme/core"_s, u"@acme/core"_s, u"1.1.0"_s));
    QVERIFY_RESULT(publish(u"acme/core"_s, u"@acme/core"_s, u"1.2.0-beta.1"_s, u"beta"_s));
    const auto dependsOn = [](const QString &kind, const QString &range) {
        return QJsonObject{{kind, QJsonObject{{u"@acme/core"_s, range}}}};
    };
    QVERIFY_RESULT(publish(u"acme/app"_s,
                           u"@acme/app"_s,
                           u"1.0.0"_s,
                           u"latest"_s,
                           dependsOn(u"dependencies"_s, u"^1.1.0"_s)));
    QVERIFY_RESULT(publish(u"acme/app"_s,
                           u"@acme/web"_s,
                           u"3.0.0"_s,
                           u"latest"_s,
                           dependsOn(u"peerDependencies"_s, u"^1.0.0"_s)));
    QVERIFY_RESULT(publish(u"acme/app"_s,
                           u"@acme/old"_s,
                           u"0.1.0"_s,
                           u"latest"_s,
                           dependsOn(u"dependencies"_s, u"~0.9.0"_s)));
    QVERIFY_RESULT(publish(u"acme/app"_s,
                           u"@acme/edge"_s,
                           u"0.0.1"_s,
                           u"latest"_s,
                           dependsOn(u"optionalDependencies"_s, u"beta"_s)));
}

void tst_Delete::cleanup()
{
    m_window.reset();
    m_server.reset();
    m_fixture.close();
}

qint64 tst_Delete::projectId(const QString &path)
{
    const Result<Project> project = m_fixture->namespaces().findProject(path);
    return project ? project->id : 0;
}

Result<Package> tst_Delete::publish(const QString &project,
                                    const QString &name,
                                    const QString &version,
                                    const QString &tag,
                                    const QJsonObject &manifest)
{
    return m_fixture->packages().publish(TestSupport::publishRequest(
        projectId(project), name, version, tag, manifest, {}, m_userId));
}

bool tst_Delete::openWindow()
{
    m_server = std::make_unique<Http::EmbeddedServer>(m_fixture.registry());
    m_window = std::make_unique<MainWindow>(m_fixture.registry());
    QSignalSpy loaded(m_window.get(), &MainWindow::packagesLoaded);
    m_window->show();
    if (!loaded.wait(10000)) {
        return false;
    }
    m_server->start(Http::ServerConfig{});
    return QTest::qWaitFor(
        [this] { return m_server->status().state == ServerStatus::State::Running; }, 10000);
}

bool tst_Delete::selectVersions(const QStringList &versions)
{
    QSignalSpy shown(m_window.get(), &MainWindow::versionsLoaded);
    if (!m_window->showPackage(u"@acme/core"_s) || !(shown.wait(10000) || shown.size() > 0)) {
        return false;
    }
    auto *view = m_window->findChild<VersionView *>(u"versionList"_s);
    view->clearSelection();
    int selected = 0;
    for (int row = 0; row < view->model()->rowCount(); ++row) {
        const QModelIndex index = view->model()->index(row, 0);
        if (versions.contains(index.data(VersionTableModel::VersionRole).toString())) {
            view->selectionModel()->select(index,
                                           QItemSelectionModel::Select | QItemSelectionModel::Rows);
            ++selected;
        }
    }
    return selected == versions.size();
}

bool tst_Delete::selectTreeItem(const QString &text)
{
    auto *tree = m_window->findChild<QTreeView *>(u"namespaceTree"_s);
    const QModelIndexList found = tree->model()->match(tree->model()->index(0, 0),
                                                       Qt::DisplayRole,
                                                       text,
                                                       -1,
                                                       Qt::MatchExactly | Qt::MatchRecursive);
    if (found.size() != 1) {
        return false;
    }
    tree->setCurrentIndex(found.first());
    return true;
}

DeleteDialog *tst_Delete::confirmation(const QString &objectName)
{
    DeleteDialog *dialog = nullptr;
    QTest::qWaitFor(
        [&] {
            dialog = m_window->findChild<DeleteDialog *>(objectName);
            return dialog && dialog->isVisible() && dialog->deleteButton()->isEnabled();
        },
        10000);
    return dialog;
}

Run tst_Delete::npm(const QStringList &arguments)
{
    const QString origin = u"http://127.0.0.1:%1"_s.arg(m_server->status().port);
    const QString project =
        origin + u"/api/v4/projects/%1/packages/npm/"_s.arg(projectId(u"acme/core"_s));
    const QString instance = origin + u"/api/v4/packages/npm/"_s;
    const QString dir = m_work.filePath(u"npm"_s);
    QDir().mkpath(dir);
    QFile npmrc(dir + u"/.npmrc"_s);
    if (!npmrc.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
        return {};
    }
    npmrc.write(u"registry=%1\n@acme:registry=%2\n%3:_authToken=%5\n%4:_authToken=%5\n"_s
                    .arg(instance,
                         project,
                         instance.mid(instance.indexOf(u"//"_s)),
                         project.mid(project.indexOf(u"//"_s)),
                         m_token)
                    .toUtf8());
    npmrc.close();
    Run run = NpmClients::run(
        u"npm11"_s, arguments + QStringList{u"--prefer-online"_s}, dir, m_work.path(), ++m_counter);
    run.out = run.out.trimmed();
    run.err = run.err.trimmed();
    return run;
}

qint64 tst_Delete::versionCount()
{
    const Result<qint64> count = PackageStore(m_fixture->database()).packageCount();
    return count ? *count : -1;
}

void tst_Delete::confirmationSaysWhatBreaks_data()
{
    QTest::addColumn<QStringList>("versions"); // empty: Delete Package
    QTest::addColumn<QString>("button");
    QTest::addColumn<QStringList>("says");
    QTest::addColumn<QStringList>("doesNotSay");

    // ^1.1.0 is not met by 1.2.0-beta.1 (a prerelease needs a range that names one).
    QTest::addRow("the latest version")
        << QStringList{u"1.1.0"_s} << u"Delete Version"_s
        << QStringList{u"latest moves from 1.1.0 to 1.2.0-beta.1"_s,
                       u"@acme/app 1.0.0 in acme/app: dependencies “^1.1.0” — no longer resolves"_s,
                       u"@acme/web 3.0.0 in acme/app: peerDependencies “^1.0.0” — still "
                       "resolves, to 1.0.0"_s}
        << QStringList{u"beta goes"_s, u"@acme/old"_s, u"@acme/edge"_s};
    QTest::addRow("two versions")
        << QStringList{u"1.1.0"_s, u"1.2.0-beta.1"_s} << u"Delete 2 Versions"_s
        << QStringList{u"latest moves from 1.1.0 to 1.0.0"_s,
                       u"beta goes (it points at 1.2.0-beta.1)"_s,
                       u"@acme/app 1.0.0 in acme/app: dependencies “^1.1.0” — no longer resolves"_s,
                       u"@acme/web 3.0.0 in acme/app: peerDependencies “^1.0.0” — still "
                       "resolves, to 1.0.0"_s,
                       u"@acme/edge 0.0.1 in acme/app: optionalDependencies “beta” — no longer "
                       "resolves"_s}
        << QStringList{u"@acme/old"_s};
    QTest::addRow("an old version only a wide range picks")
        << QStringList{u"1.0.0"_s} << u"Delete Version"_s
        << QStringList{u"No dist-tag points at them."_s,
                       u"@acme/web 3.0.0 in acme/app: peerDependencies “^1.0.0” — still "
                       "resolves, to 1.1.0"_s}
        << QStringList{u"@acme/app"_s, u"no longer resolves"_s};
    QTest::addRow("the package")
        << QStringList() << u"Delete Package"_s
        << QStringList{u"Every version of @acme/core goes (3 versions)"_s,
                       u"latest goes (it points at 1.1.0)"_s,
                       u"beta goes (it points at 1.2.0-beta.1)"_s,
                       u"@acme/app 1.0.0"_s,
                       u"@acme/web 3.0.0"_s,
                       u"@acme/old 0.1.0 in acme/app: dependencies “~0.9.0” — no longer resolves"_s,
                       u"@acme/edge 0.0.1"_s}
        << QStringList{u"still resolves"_s};
}

void tst_Delete::confirmationSaysWhatBreaks()
{
    QFETCH(QStringList, versions);
    QFETCH(QString, button);
    QFETCH(QStringList, says);
    QFETCH(QStringList, doesNotSay);
    QVERIFY(openWindow());
    QVERIFY(selectVersions(versions.isEmpty() ? QStringList{u"1.0.0"_s} : versions));
    const qint64 before = versionCount();

    m_window
        ->findChild<QAction *>(versions.isEmpty() ? u"deletePackageAction"_s
                                                  : u"deleteVersionsAction"_s)
        ->trigger();
    DeleteDialog *dialog =
        confirmation(versions.isEmpty() ? u"deletePackageDialog"_s : u"deleteVersionsDialog"_s);
    QVERIFY(dialog);
    QVERIFY(dialog->deleteButton()->isEnabled());
    QCOMPARE(dialog->deleteButton()->text(), button);
    // Return cancels: deleting takes a click on the button named for it.
    QVERIFY(dialog->cancelButton()->isDefault());
    QVERIFY(!dialog->deleteButton()->isDefault());
    const QString text = dialog->impactText();
    for (const QString &expected : std::as_const(says)) {
        QVERIFY2(text.contains(expected), qPrintable(expected + u"\n---\n"_s + text));
    }
    for (const QString &unexpected : std::as_const(doesNotSay)) {
        QVERIFY2(!text.contains(unexpected), qPrintable(unexpected + u"\n---\n"_s + text));
    }

    // Cancel: nothing changed.
    QTest::keyClick(dialog, Qt::Key_Return);
    QTRY_VERIFY(!m_window->findChild<DeleteDialog *>());
    QTest::qWait(200);
    QCOMPARE(versionCount(), before);
}

void tst_Delete::deleteVersionsNpmFollows()
{
    QVERIFY(openWindow());
    Run run = npm({u"view"_s, u"@acme/core"_s, u"dist-tags"_s, u"--json"_s});
    QVERIFY2(run.exitCode == 0, qPrintable(run.all()));
    QCOMPARE(QJsonDocument::fromJson(run.out.toUtf8()).object().value(u"latest"_s).toString(),
             u"1.1.0"_s);

    QVERIFY(selectVersions({u"1.1.0"_s, u"1.2.0-beta.1"_s}));
    QSignalSpy writes(m_window.get(), &MainWindow::writeFinished);
    m_window->findChild<QAction *>(u"deleteVersionsAction"_s)->trigger();
    DeleteDialog *dialog = confirmation(u"deleteVersionsDialog"_s);
    QVERIFY(dialog);
    QTest::mouseClick(dialog->deleteButton(), Qt::LeftButton);
    QVERIFY(writes.wait(10000));
    QVERIFY2(writes.first().first().toBool(), qPrintable(writes.first().last().toString()));
    QTRY_VERIFY(!m_window->findChild<DeleteDialog *>());

    run = npm({u"view"_s, u"@acme/core"_s, u"dist-tags"_s, u"--json"_s});
    QVERIFY2(run.exitCode == 0, qPrintable(run.all()));
    const QJsonObject tags = QJsonDocument::fromJson(run.out.toUtf8()).object();
    QCOMPARE(tags.value(u"latest"_s).toString(), u"1.0.0"_s);
    QVERIFY2(!tags.contains(u"beta"_s), qPrintable(run.out));
    run = npm({u"view"_s, u"@acme/core"_s, u"versions"_s, u"--json"_s});
    QVERIFY2(run.exitCode == 0, qPrintable(run.all()));
    const QJsonDocument versions = QJsonDocument::fromJson(run.out.toUtf8());
    // npm prints a lone version as a string, several as an array.
    QVERIFY2(versions.isArray() ? versions.array() == QJsonArray{u"1.0.0"_s}
                                : run.out == u"\"1.0.0\""_s,
             qPrintable(run.out));
    // The window follows: one version left.
    QTRY_COMPARE(m_window->findChild<VersionView *>(u"versionList"_s)->model()->rowCount(), 1);
}

void tst_Delete::deletePackageNpm404()
{
    QVERIFY(openWindow());
    QVERIFY(selectVersions({u"1.0.0"_s}));
    QSignalSpy writes(m_window.get(), &MainWindow::writeFinished);
    m_window->findChild<QAction *>(u"deletePackageAction"_s)->trigger();
    DeleteDialog *dialog = confirmation(u"deletePackageDialog"_s);
    QVERIFY(dialog);
    QTest::mouseClick(dialog->deleteButton(), Qt::LeftButton);
    QVERIFY(writes.wait(10000));
    QVERIFY2(writes.first().first().toBool(), qPrintable(writes.first().last().toString()));

    const Run run = npm({u"view"_s, u"@acme/core"_s, u"version"_s});
    QVERIFY2(run.exitCode != 0, qPrintable(run.all()));
    QVERIFY2(run.all().contains(u"404"_s), qPrintable(run.all()));
    // What depended on it is still there.
    QCOMPARE(versionCount(), 4);
}

void tst_Delete::deleteProjectListsPackages()
{
    QVERIFY(openWindow());
    QVERIFY(selectTreeItem(u"core"_s));
    m_window->findChild<QAction *>(u"menuDeleteProjectAction"_s)->trigger();
    DeleteDialog *dialog = confirmation(u"deleteProjectDialog"_s);
    QVERIFY(dialog);
    QCOMPARE(dialog->deleteButton()->text(), u"Delete Project"_s);
    QVERIFY2(dialog->impactText().contains(u"@acme/core (3 versions)"_s),
             qPrintable(dialog->impactText()));
    QVERIFY2(!dialog->impactText().contains(u"@acme/app"_s), qPrintable(dialog->impactText()));
    QSignalSpy writes(m_window.get(), &MainWindow::writeFinished);
    QTest::mouseClick(dialog->deleteButton(), Qt::LeftButton);
    QVERIFY(writes.wait(10000));
    QVERIFY2(writes.first().first().toBool(), qPrintable(writes.first().last().toString()));
    QCOMPARE(m_fixture->namespaces().findProject(u"acme/core"_s).error().code,
             Error::Code::NotFound);
    QCOMPARE(versionCount(), 4);
    auto *tree = m_window->findChild<QTreeView *>(u"namespaceTree"_s);
    QTRY_VERIFY(tree->model()
                    ->match(tree->model()->index(0, 0),
                            Qt::DisplayRole,
                            u"core"_s,
                            -1,
                            Qt::MatchExactly | Qt::MatchRecursive)
                    .isEmpty());
}

void tst_Delete::groupNeedsTypedPath()
{
    QVERIFY_RESULT(m_fixture->namespaces().createGroup(u"spare"_s));
    QVERIFY(openWindow());

    // A group with projects: only once "acme" is typed.
    QVERIFY(selectTreeItem(u"acme"_s));
    m_window->findChild<QAction *>(u"menuDeleteGroupAction"_s)->trigger();
    DeleteDialog *dialog = nullptr;
    QTRY_VERIFY((dialog = m_window->findChild<DeleteDialog *>(u"deleteGroupDialog"_s)));
    QVERIFY2(dialog->impactText().contains(u"2 project"_s), qPrintable(dialog->impactText()));
    QVERIFY(dialog->confirmationEdit()->isVisible());
    QVERIFY(!dialog->deleteButton()->isEnabled());
    QTest::keyClicks(dialog->confirmationEdit(), u"acm"_s);
    QVERIFY(!dialog->deleteButton()->isEnabled());
    dialog->accept(); // what Return on the field would ask: refused while the path is wrong
    QTest::qWait(300);
    QVERIFY(dialog->isVisible());
    QVERIFY_RESULT(m_fixture->namespaces().findGroup(u"acme"_s));
    QTest::keyClicks(dialog->confirmationEdit(), u"e"_s);
    QVERIFY(dialog->deleteButton()->isEnabled());
    QSignalSpy writes(m_window.get(), &MainWindow::writeFinished);
    QTest::mouseClick(dialog->deleteButton(), Qt::LeftButton);
    QVERIFY(writes.wait(10000));
    QVERIFY2(writes.first().first().toBool(), qPrintable(writes.first().last().toString()));
    QCOMPARE(m_fixture->namespaces().findGroup(u"acme"_s).error().code, Error::Code::NotFound);
    QCOMPARE(versionCount(), 0);

    // An empty group: no path to type.
    QTRY_VERIFY(!m_window->findChild<DeleteDialog *>());
    QTRY_VERIFY(selectTreeItem(u"spare"_s));
    m_window->findChild<QAction *>(u"menuDeleteGroupAction"_s)->trigger();
    dialog = confirmation(u"deleteGroupDialog"_s);
    QVERIFY(dialog);
    QVERIFY(!dialog->confirmationEdit()->isVisible());
    QVERIFY2(dialog->impactText().contains(u"empty"_s), qPrintable(dialog->impactText()));
    writes.clear();
    QTest::mouseClick(dialog->deleteButton(), Qt::LeftButton);
    QVERIFY(writes.wait(10000));
    QVERIFY(writes.first().first().toBool());
    QCOMPARE(m_fixture->namespaces().findGroup(u"spare"_s).error().code, Error::Code::NotFound);
}

// The store refuses what the confirmation did not show: a project created in the "empty" group
// after the dialog opened. The reason is shown in the dialog, which stays open; nothing goes.
void tst_Delete::refusalStaysInTheDialog()
{
    QVERIFY_RESULT(m_fixture->namespaces().createGroup(u"spare"_s));
    QVERIFY(openWindow());
    QVERIFY(selectTreeItem(u"spare"_s));
    m_window->findChild<QAction *>(u"menuDeleteGroupAction"_s)->trigger();
    DeleteDialog *dialog = confirmation(u"deleteGroupDialog"_s);
    QVERIFY(dialog);
    QVERIFY(!dialog->confirmationEdit()->isVisible());
    QVERIFY_RESULT(m_fixture->namespaces().createProject(u"spare/late"_s));

    QSignalSpy writes(m_window.get(), &MainWindow::writeFinished);
    QTest::mouseClick(dialog->deleteButton(), Qt::LeftButton);
    QVERIFY(writes.wait(10000));
    QVERIFY(!writes.first().first().toBool());
    QVERIFY(dialog->isVisible());
    QVERIFY2(dialog->errorText().startsWith(u"Not deleted: "_s), qPrintable(dialog->errorText()));
    QVERIFY_RESULT(m_fixture->namespaces().findGroup(u"spare"_s));
    QVERIFY_RESULT(m_fixture->namespaces().findProject(u"spare/late"_s));
    // Still a choice: Cancel closes it.
    QVERIFY(dialog->cancelButton()->isEnabled());
    QTest::mouseClick(dialog->cancelButton(), Qt::LeftButton);
    QTRY_VERIFY(!m_window->findChild<DeleteDialog *>());
}

void tst_Delete::deleteUserRevokesTokens()
{
    QVERIFY(openWindow());
    Run run = npm({u"whoami"_s});
    QVERIFY2(run.exitCode == 0, qPrintable(run.all()));
    QCOMPARE(run.out, u"mia"_s);

    m_window->openUsers();
    auto *users = m_window->findChild<UsersDialog *>(u"usersDialog"_s);
    QVERIFY(users);
    auto *list = users->findChild<QListWidget *>(u"userList"_s);
    QTRY_COMPARE(list->count(), 1);
    list->setCurrentRow(0);
    users->findChild<QPushButton *>(u"deleteUserButton"_s)->click();
    DeleteDialog *dialog = nullptr;
    QTRY_VERIFY((dialog = users->findChild<DeleteDialog *>(u"deleteUserDialog"_s))
                && dialog->deleteButton()->isEnabled());
    QVERIFY2(dialog->impactText().contains(u"1 token"_s), qPrintable(dialog->impactText()));
    QVERIFY2(dialog->impactText().contains(u"1 role"_s), qPrintable(dialog->impactText()));
    QCOMPARE(dialog->deleteButton()->text(), u"Delete User"_s);
    QSignalSpy changed(users, &UsersDialog::changeFinished);
    QTest::mouseClick(dialog->deleteButton(), Qt::LeftButton);
    QVERIFY(changed.wait(10000));
    QVERIFY2(changed.first().first().toBool(), qPrintable(changed.first().last().toString()));
    QTRY_COMPARE(list->count(), 0);

    run = npm({u"whoami"_s});
    QVERIFY2(run.exitCode != 0, qPrintable(run.all()));
    QVERIFY2(run.all().contains(u"401"_s), qPrintable(run.all()));
}

void tst_Delete::projectSwitchOffAnswers403()
{
    QVERIFY(openWindow());
    Run run = npm({u"view"_s, u"@acme/core"_s, u"version"_s});
    QVERIFY2(run.exitCode == 0, qPrintable(run.all()));
    QCOMPARE(run.out, u"1.1.0"_s);

    QVERIFY(selectTreeItem(u"core"_s));
    m_window->findChild<QAction *>(u"menuProjectSettingsAction"_s)->trigger();
    ProjectSettingsDialog *dialog = nullptr;
    QTRY_VERIFY((dialog = m_window->findChild<ProjectSettingsDialog *>()));
    auto *check = dialog->findChild<QCheckBox *>(u"packagesEnabledCheck"_s);
    QVERIFY(check->isChecked());
    check->setChecked(false);
    QVERIFY2(dialog->explanation().contains(u"403 Forbidden"_s), qPrintable(dialog->explanation()));
    QVERIFY2(dialog->explanation().contains(u"search"_s), qPrintable(dialog->explanation()));
    QSignalSpy writes(m_window.get(), &MainWindow::writeFinished);
    dialog->accept();
    QVERIFY(writes.wait(10000));
    QVERIFY2(writes.first().first().toBool(), qPrintable(writes.first().last().toString()));
    QVERIFY(!m_fixture->namespaces().findProject(u"acme/core"_s)->packagesEnabled);

    run = npm({u"view"_s, u"@acme/core"_s, u"version"_s});
    QVERIFY2(run.exitCode != 0, qPrintable(run.all()));
    QVERIFY2(run.all().contains(u"403"_s), qPrintable(run.all()));
    // The tree says so.
    auto *tree = m_window->findChild<QTreeView *>(u"namespaceTree"_s);
    QTRY_VERIFY(tree->model()
                        ->match(tree->model()->index(0, 0),
                                Qt::DisplayRole,
                                u"core"_s,
                                -1,
                                Qt::MatchExactly | Qt::MatchRecursive)
                        .size()
                    == 1
                && tree->model()
                       ->match(tree->model()->index(0, 0),
                               Qt::DisplayRole,
                               u"core"_s,
                               -1,
                               Qt::MatchExactly | Qt::MatchRecursive)
                       .first()
                       .data(Qt::ToolTipRole)
                       .toString()
                       .contains(u"switched off"_s));

    // On again: npm sees the package.
    QVERIFY(selectTreeItem(u"core"_s));
    m_window->findChild<QAction *>(u"menuProjectSettingsAction"_s)->trigger();
    QTRY_VERIFY((dialog = m_window->findChild<ProjectSettingsDialog *>()));
    dialog->findChild<QCheckBox *>(u"packagesEnabledCheck"_s)->setChecked(true);
    writes.clear();
    dialog->accept();
    QVERIFY(writes.wait(10000));
    run = npm({u"view"_s, u"@acme/core"_s, u"version"_s});
    QVERIFY2(run.exitCode == 0, qPrintable(run.all()));
    QCOMPARE(run.out, u"1.1.0"_s);
}

QTEST_MAIN(tst_Delete)
#include "tst_delete.moc"
