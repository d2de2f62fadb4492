// SPDX-License-Identifier: GPL-3.0-or-later
// The first run, as a new user meets it: an empty store opens on the welcome view; its one
// action, the set-up sheet, keeps each page while its input is invalid (with the reason) and
// creates the group, project, user with a role and a token shown once; Connect a Client follows
// with all of it selected, its .npmrc is written, and a real `npm publish` with it lands a
// package that the window then shows. The empty lists say what fills them.
#include "ui/mainwindow.h"

#include "../e2e/npmclients.h"
#include "../model/testsupport.h"
#include "model/itemmodels/packagetablemodel.h"
#include "model/requestlog.h"
#include "model/store/namespacestore.h"
#include "model/store/userstore.h"
#include "server/embeddedserver.h"
#include "ui/confirm.h"
#include "ui/emptystate.h"
#include "ui/npmrcbuilderdialog.h"
#include "ui/requestlogview.h"
#include "ui/setupsheet.h"
#include "ui/welcomeview.h"

#include <QAbstractButton>
#include <QClipboard>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QGuiApplication>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStackedWidget>
#include <QStandardPaths>
#include <QTableView>
#include <QTest>
#include <QTreeView>

using namespace Qt::StringLiterals;
using namespace Trove;
using TestSupport::RegistryFixture;

namespace {

// The button that goes on from the current page: Create… on the commit pages, else Next/Finish.
QAbstractButton *forward(QWizard *sheet)
{
    for (const QWizard::WizardButton which :
         {QWizard::CommitButton, QWizard::NextButton, QWizard::FinishButton}) {
        QAbstractButton *button = sheet->button(which);
        if (button && button->isVisible()) {
            return button;
        }
    }
    return nullptr;
}

struct Invalid
{
    QString text;
    QString reason; // a part of what is shown under the field
};

} // namespace

class tst_FirstRun : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();

    void emptyStoreOpensOnWelcome();
    void setUpToRealPublish();

private:
    // Tries each invalid input in `field`: the page stays, its button is disabled, the reason is
    // shown, and nothing is written (`written` stays false).
    void refuse(SetupSheet *sheet,
                const char *field,
                const QList<Invalid> &inputs,
                const std::function<bool()> &written);

    QTemporaryDir m_settingsDir;
    QTemporaryDir m_work;
    RegistryFixture m_fixture;
    RequestLog m_log;
    std::unique_ptr<Http::EmbeddedServer> m_server;
    std::unique_ptr<MainWindow> m_window;
    QStringList m_asked;
    bool m_answer = false;
};

void tst_FirstRun::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_settingsDir.isValid());
    QVERIFY(m_work.isValid());
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_settingsDir.path());
    QCoreApplication::setOrganizationName(u"TroveTest"_s);
    QCoreApplication::setApplicationName(u"tst_firstrun"_s);
    QVERIFY2(QFile::exists(NpmClients::script(u"npm11"_s)),
             "the npm clients are missing: tests/run.sh installs them");
    Ui::setConfirmAnswer([this](const QString &, const QString &text) {
        m_asked << text;
        return m_answer;
    });

    QVERIFY2(m_fixture.open(), qPrintable(m_fixture.error()));
    m_server = std::make_unique<Http::EmbeddedServer>(m_fixture.registry());
    m_server->setRequestLog(&m_log);
    m_window = std::make_unique<MainWindow>(m_fixture.registry());
    m_window->setRequestLog(&m_log);
    QObject::connect(m_server.get(),
                     &Http::EmbeddedServer::statusChanged,
                     m_window.get(),
                     &MainWindow::setServerStatus);
    QSignalSpy loaded(m_window.get(), &MainWindow::packagesLoaded);
    m_window->show();
    QVERIFY(loaded.wait(10000));
}

void tst_FirstRun::cleanupTestCase()
{
    Ui::setConfirmAnswer({});
    m_window.reset();
    m_server.reset();
    m_fixture.close();
}

void tst_FirstRun::emptyStoreOpensOnWelcome()
{
    auto *welcome = m_window->findChild<WelcomeView *>();
    QVERIFY(welcome);
    QTRY_VERIFY(welcome->isVisible());
    QCOMPARE(m_window->findChild<QStackedWidget *>(u"packageArea"_s)->currentWidget(), welcome);
    QVERIFY(!m_window->findChild<QTableView *>(u"packageTable"_s)->isVisible());
    const QString what = welcome->findChild<QLabel *>(u"welcomeText"_s)->text();
    QVERIFY2(what.contains(u"npm registry for your team"_s), qPrintable(what));
    QCOMPARE(welcome->setupButton()->text(), u"&Set Up a Registry for Your Team…"_s);

    // The request log says what fills it: before the registry runs, and once it does.
    auto *log = m_window->findChild<RequestLogView *>();
    QVERIFY(log);
    EmptyState *logState = EmptyState::of(log->table());
    QVERIFY(logState);
    QVERIFY(logState->isShown());
    QVERIFY2(logState->text().startsWith(u"No requests yet"_s), qPrintable(logState->text()));
    QVERIFY2(logState->text().contains(u"Start Registry"_s), qPrintable(logState->text()));
    m_server->start(Http::ServerConfig{});
    QTRY_COMPARE(m_server->status().state, ServerStatus::State::Running);
    QTRY_VERIFY2(logState->text().contains(m_server->status().url()), qPrintable(logState->text()));
    // The versions list, with no package selected.
    EmptyState *versions = EmptyState::of(m_window->findChild<QTreeView *>(u"versionList"_s));
    QVERIFY(versions);
    QCOMPARE(versions->text(), u"Select a package to see its versions."_s);
}

void tst_FirstRun::refuse(SetupSheet *sheet,
                          const char *field,
                          const QList<Invalid> &inputs,
                          const std::function<bool()> &written)
{
    auto *edit = sheet->findChild<QLineEdit *>(QString::fromLatin1(field));
    QVERIFY(edit);
    QVERIFY(edit->isVisible());
    const int page = sheet->currentId();
    for (const Invalid &input : inputs) {
        edit->setText(input.text);
        QAbstractButton *button = forward(sheet);
        QVERIFY(button);
        QVERIFY2(!button->isEnabled(), qPrintable(input.text));
        QVERIFY2(sheet->reason().contains(input.reason),
                 qPrintable(input.text + u" → "_s + sheet->reason()));
        // Return in the field (what the disabled button does not guard) keeps the page too.
        QTest::keyClick(edit, Qt::Key_Return);
        sheet->next();
        QTest::qWait(50);
        QCOMPARE(sheet->currentId(), page);
        QCOMPARE(edit->text(), input.text);
        QVERIFY2(!written(), qPrintable(input.text));
    }
}

void tst_FirstRun::setUpToRealPublish()
{
    auto *welcome = m_window->findChild<WelcomeView *>();
    welcome->setupButton()->click();
    auto *sheet = m_window->findChild<SetupSheet *>(u"setupSheet"_s);
    QVERIFY(sheet);
    QTRY_VERIFY(sheet->isVisible());
    QCOMPARE(sheet->currentId(), int(SetupSheet::GroupPage));
    Registry &registry = m_fixture.registry();
    const auto hasGroups = [&registry] {
        return !NamespaceStore(registry.database()).groups()->isEmpty();
    };

    // The group: its path is the npm scope.
    refuse(sheet,
           "groupPathEdit",
           {{u""_s, u"Type a path"_s},
            {u"-acme"_s, u"cannot start with"_s},
            {u"Acme"_s, u"Use lowercase: the path becomes the npm scope @Acme"_s},
            {u"ac/me"_s, u"no “/”"_s},
            {u"acme.git"_s, u"cannot end in"_s},
            {u"ac me"_s, u"Only letters, digits"_s}},
           hasGroups);
    sheet->findChild<QLineEdit *>(u"groupPathEdit"_s)->setText(u"acme"_s);
    QCOMPARE(sheet->reason(), u"Packages in it will be named @acme/…"_s);
    QVERIFY(forward(sheet)->isEnabled());
    QCOMPARE(forward(sheet)->text(), u"Create &Group"_s);
    forward(sheet)->click();
    QTRY_COMPARE(sheet->currentId(), int(SetupSheet::ProjectPage));
    QCOMPARE(sheet->group().fullPath, u"acme"_s);
    QVERIFY(hasGroups());
    // What was written stays written: no way back to write it again.
    QVERIFY(!sheet->button(QWizard::BackButton)->isVisible()
            || !sheet->button(QWizard::BackButton)->isEnabled());

    // The project.
    const auto hasProjects = [&registry] {
        return !NamespaceStore(registry.database()).projects()->isEmpty();
    };
    refuse(sheet,
           "projectPathEdit",
           {{u"  "_s, u"Type a path"_s},
            {u".web"_s, u"cannot start with"_s},
            {u"web/app"_s, u"no “/”"_s},
            {u"wé b"_s, u"Only letters, digits"_s}},
           hasProjects);
    sheet->findChild<QLineEdit *>(u"projectPathEdit"_s)->setText(u"web"_s);
    QVERIFY2(sheet->reason().contains(u"acme/web"_s), qPrintable(sheet->reason()));
    forward(sheet)->click();
    QTRY_COMPARE(sheet->currentId(), int(SetupSheet::UserPage));
    QCOMPARE(sheet->project().fullPath, u"acme/web"_s);

    // The user, prefilled with the login name, with a role in the group.
    auto *username = sheet->findChild<QLineEdit *>(u"usernameEdit"_s);
    QCOMPARE(username->text(), SetupSheet::suggestedUsername());
    const auto hasUsers = [&registry] {
        return !UserStore(registry.database()).users()->isEmpty();
    };
    refuse(sheet,
           "usernameEdit",
           {{u""_s, u"Type a username"_s},
            {u"-mia"_s, u"cannot start with"_s},
            {u"m ia"_s, u"Only letters, digits"_s}},
           hasUsers);
    username->setText(u"mia"_s);
    auto *role = sheet->findChild<QComboBox *>(u"roleCombo"_s);
    QCOMPARE(role->currentText(), accessLevelName(AccessLevel::Owner));
    role->setCurrentIndex(role->findData(int(AccessLevel::Maintainer)));
    QVERIFY(sheet->findChild<QLabel *>(u"roleDescription"_s)->text().startsWith(u"maintainer"_s));
    forward(sheet)->click();
    QTRY_COMPARE(sheet->currentId(), int(SetupSheet::TokenPage));
    QCOMPARE(sheet->user().username, u"mia"_s);
    QCOMPARE(*UserStore(registry.database()).groupAccessLevel(sheet->user().id, sheet->group().id),
             AccessLevel::Maintainer);

    // The token.
    auto *tokenName = sheet->findChild<QLineEdit *>(u"tokenNameEdit"_s);
    QVERIFY(!tokenName->text().isEmpty());
    refuse(sheet, "tokenNameEdit", {{u" "_s, u"Name it after where it is used"_s}}, [&] {
        return !sheet->token().isEmpty();
    });
    tokenName->setText(u"laptop"_s);
    forward(sheet)->click();
    QTRY_COMPARE(sheet->currentId(), int(SetupSheet::SecretPage));
    const QString token = sheet->token();
    QVERIFY2(token.startsWith(u"tpat-"_s), qPrintable(token));
    QCOMPARE(sheet->findChild<QLineEdit *>(u"tokenField"_s)->text(), token);

    // Shown once: Escape before copying asks; Cancel keeps the sheet and the token.
    m_asked.clear();
    m_answer = false;
    QTest::keyClick(sheet, Qt::Key_Escape);
    QCOMPARE(m_asked.size(), 1);
    QVERIFY2(m_asked.first().contains(u"cannot show it again"_s), qPrintable(m_asked.first()));
    QVERIFY(sheet->isVisible());
    QCOMPARE(sheet->currentId(), int(SetupSheet::SecretPage));
    sheet->findChild<QPushButton *>(u"copyTokenButton"_s)->click();
    QCOMPARE(QGuiApplication::clipboard()->text(), token);
    QCOMPARE(sheet->findChild<QLabel *>(u"copiedLabel"_s)->text(), u"Copied."_s);

    // Finishing opens Connect a Client for what was made, without another question.
    QCOMPARE(forward(sheet)->text(), u"&Connect a Client…"_s);
    forward(sheet)->click();
    QCOMPARE(m_asked.size(), 1);
    NpmrcBuilderDialog *builder = nullptr;
    QTRY_VERIFY((builder = m_window->findChild<NpmrcBuilderDialog *>(u"npmrcBuilder"_s)));
    QCOMPARE(builder->request().scopes, QStringList{u"@acme"_s});
    QCOMPARE(builder->request().projectId, sheet->project().id);
    QCOMPARE(builder->request().level, NpmrcRequest::Level::Project);
    QCOMPARE(builder->request().tokenKind, NpmrcRequest::TokenKind::Personal);
    QCOMPARE(builder->findChild<QComboBox *>(u"projectCombo"_s)->currentText(), u"acme/web"_s);
    const qint64 projectId = sheet->project().id;

    // The welcome view has done its job.
    QTRY_VERIFY(!welcome->isVisible());
    QTRY_VERIFY(m_window->findChild<QTableView *>(u"packageTable"_s)->isVisible());

    // The new project is selected, and its empty list names the publish command for it.
    auto *tree = m_window->findChild<QTreeView *>(u"namespaceTree"_s);
    QTRY_VERIFY(tree->currentIndex().data().toString() == u"web"_s);
    EmptyState *packages = EmptyState::of(m_window->findChild<QTableView *>(u"packageTable"_s));
    QVERIFY(packages);
    const QString projectRegistry =
        m_server->status().url() + u"api/v4/projects/%1/packages/npm/"_s.arg(projectId);
    QTRY_VERIFY2(packages->text().contains(u"npm publish --registry "_s + projectRegistry),
                 qPrintable(packages->text()));
    QVERIFY(packages->isShown());

    // Copy says so.
    auto *copy = builder->findChild<QPushButton *>(u"npmrcOutputCopy"_s);
    copy->click();
    QCOMPARE(copy->text(), u"Copied"_s);
    QCOMPARE(QGuiApplication::clipboard()->text(), builder->snippets().npmrc);

    // The .npmrc, written into the package's folder after its preview.
    const QString folder = m_work.filePath(u"first"_s);
    QVERIFY(NpmClients::writeFile(folder + u"/package.json"_s,
                                  R"({"name":"@acme/first","version":"1.0.0"})"));
    QVERIFY(NpmClients::writeFile(folder + u"/index.js"_s, "module.exports = 1;\n"));
    builder->setFolderChooser([&folder] { return folder; });
    QSignalSpy written(builder, &NpmrcBuilderDialog::written);
    builder->findChild<QPushButton *>(u"writeButton"_s)->click();
    auto *preview = builder->findChild<QDialog *>(u"npmrcPreview"_s);
    QVERIFY(preview);
    preview->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Save)->click();
    QCOMPARE(written.size(), 1);
    QVERIFY(!NpmClients::readFile(folder + u"/.npmrc"_s).contains(token.toUtf8()));

    // A real npm publish with it, the token in the variable the file names.
    QProcessEnvironment extra;
    extra.insert(builder->snippets().tokenVariable, token);
    const NpmClients::Run run =
        NpmClients::run(u"npm11"_s, {u"publish"_s}, folder, m_work.path(), 1, extra);
    QVERIFY2(run.exitCode == 0, qPrintable(run.all()));

    // The window shows it, in the project, and the empty text is gone.
    auto *table = m_window->findChild<QTableView *>(u"packageTable"_s);
    QTRY_COMPARE_WITH_TIMEOUT(table->model()->rowCount(), 1, 10000);
    QCOMPARE(table->model()->index(0, PackageTableModel::NameColumn).data().toString(),
             u"@acme/first"_s);
    QVERIFY(!packages->isShown());
    QVERIFY(!welcome->isVisible());
}

QTEST_MAIN(tst_FirstRun)
#include "tst_firstrun.moc"
