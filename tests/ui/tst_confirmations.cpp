// SPDX-License-Identifier: GPL-3.0-or-later
// What cannot be undone is asked first, naming what breaks; Cancel changes nothing, the named
// action acts: revoking a token (its State column in sight, feedback in the dialog), removing a
// tag, stopping the registry, quitting while the registry answered requests, closing the
// shown-once token before copying it. A personal token with no users offers New User instead of
// an empty list. Real store and server; the answers come through Ui::setConfirmAnswer.
#include "ui/mainwindow.h"

#include "../model/testsupport.h"
#include "model/itemmodels/tokentablemodel.h"
#include "model/requestlog.h"
#include "model/store/packagestore.h"
#include "server/embeddedserver.h"
#include "ui/confirm.h"
#include "ui/emptystate.h"
#include "ui/namedialogs.h"
#include "ui/tokensdialog.h"
#include "ui/trayicon.h"

#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QPushButton>
#include <QScrollBar>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableView>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Trove;
using TestSupport::RegistryFixture;

class tst_Confirmations : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void init();

    void newPersonalTokenWithoutUsersOffersNewUser();
    void revokeAsksAndNamesTheClients();
    void shownOnceTokenAsksBeforeClosing();
    void removeTagAsks();
    void stopRegistryAsks();
    void quitWhileServingAsks();

private:
    TokensDialog *openTokens();
    QStringList tags(const QString &name);

    QTemporaryDir m_settingsDir;
    RegistryFixture m_fixture;
    RequestLog m_log;
    std::unique_ptr<Http::EmbeddedServer> m_server;
    std::unique_ptr<MainWindow> m_window;
    qint64 m_projectId = 0;
    QStringList m_asked;
    bool m_answer = false;
};

void tst_Confirmations::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_settingsDir.isValid());
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_settingsDir.path());
    QCoreApplication::setOrganizationName(u"TroveTest"_s);
    QCoreApplication::setApplicationName(u"tst_confirmations"_s);
    Ui::setConfirmAnswer([this](const QString &, const QString &text) {
        m_asked << text;
        return m_answer;
    });

    QVERIFY2(m_fixture.open(), qPrintable(m_fixture.error()));
    QVERIFY_RESULT(m_fixture->namespaces().createGroup(u"acme"_s));
    const Result<Project> project = m_fixture->namespaces().createProject(u"acme/web"_s);
    QVERIFY_RESULT(project);
    m_projectId = project->id;
    QVERIFY_RESULT(m_fixture->packages().publish(
        TestSupport::publishRequest(m_projectId, u"@acme/core"_s, u"1.0.0"_s)));
    QVERIFY_RESULT(m_fixture->packages().publish(
        TestSupport::publishRequest(m_projectId, u"@acme/core"_s, u"2.0.0-beta.1"_s, u"beta"_s)));

    m_server = std::make_unique<Http::EmbeddedServer>(m_fixture.registry());
    m_server->setRequestLog(&m_log);
    m_window = std::make_unique<MainWindow>(m_fixture.registry());
    QSignalSpy loaded(m_window.get(), &MainWindow::packagesLoaded);
    m_window->setRequestLog(&m_log);
    QObject::connect(m_server.get(),
                     &Http::EmbeddedServer::statusChanged,
                     m_window.get(),
                     &MainWindow::setServerStatus);
    QObject::connect(m_window.get(), &MainWindow::startRegistryRequested, m_server.get(), [this] {
        m_server->start(Http::ServerConfig{});
    });
    QObject::connect(m_window.get(), &MainWindow::stopRegistryRequested, m_server.get(), [this] {
        m_server->stop();
    });
    m_server->start(Http::ServerConfig{});
    QTRY_COMPARE(m_server->status().state, ServerStatus::State::Running);
    m_window->show();
    QVERIFY(!loaded.isEmpty() || loaded.wait(10000));
}

void tst_Confirmations::cleanupTestCase()
{
    Ui::setConfirmAnswer({});
    m_window.reset();
    m_server.reset();
    m_fixture.close();
}

void tst_Confirmations::init()
{
    m_asked.clear();
    m_answer = false;
}

TokensDialog *tst_Confirmations::openTokens()
{
    m_window->openTokens();
    auto *dialog = m_window->findChild<TokensDialog *>(u"tokensDialog"_s);
    if (dialog) {
        QSignalSpy reloaded(dialog, &TokensDialog::reloaded);
        reloaded.wait(5000);
    }
    return dialog;
}

QStringList tst_Confirmations::tags(const QString &name)
{
    QStringList names;
    const Result<QList<DistTag>> all =
        PackageStore(m_fixture->database()).distTags(m_projectId, name);
    for (const DistTag &tag : *all) {
        names << tag.tag;
    }
    names.sort();
    return names;
}

void tst_Confirmations::newPersonalTokenWithoutUsersOffersNewUser()
{
    TokensDialog *dialog = openTokens();
    QVERIFY(dialog);
    auto *table = dialog->findChild<QTableView *>(u"tokenTable"_s);
    // The empty list says what fills it.
    EmptyState *empty = EmptyState::of(table);
    QVERIFY(empty && empty->isShown());
    QVERIFY2(empty->text().contains(u"New Personal Token"_s), qPrintable(empty->text()));

    // No users: no form with an empty user list, but the reason and New User.
    dialog->findChild<QPushButton *>(u"newPersonalButton"_s)->click();
    QVERIFY(!dialog->findChild<QDialog *>(u"createTokenForm"_s));
    auto *notice = dialog->findChild<QMessageBox *>(u"noUsersNotice"_s);
    QVERIFY(notice);
    QVERIFY2(notice->text().contains(u"no users yet"_s), qPrintable(notice->text()));
    notice->findChild<QPushButton *>(u"newUserButton"_s)->click();
    NameInputDialog *input = nullptr;
    QTRY_VERIFY((input = dialog->findChild<NameInputDialog *>()));
    input->setTextValue(u"-mia"_s);
    QVERIFY(input->reason().contains(u"cannot start with"_s));
    input->setTextValue(u"mia"_s);
    input->accept();
    // Made: the token's form follows, with the new user in it.
    QDialog *form = nullptr;
    QTRY_VERIFY((form = dialog->findChild<QDialog *>(u"createTokenForm"_s)));
    auto *users = form->findChild<QComboBox *>(u"userCombo"_s);
    QCOMPARE(users->count(), 1);
    QCOMPARE(users->currentText(), u"mia"_s);
    form->reject();
    dialog->close();
}

void tst_Confirmations::revokeAsksAndNamesTheClients()
{
    const Result<User> mia = UserStore(m_fixture->database()).userByName(u"mia"_s);
    QVERIFY_RESULT(mia);
    const Result<CreatedToken> pat =
        m_fixture->tokens().createPersonalAccessToken(mia->id, u"laptop"_s, {u"api"_s});
    QVERIFY_RESULT(pat);
    TokensDialog *dialog = openTokens();
    QVERIFY(dialog);
    QVERIFY(QTest::qWaitForWindowExposed(dialog));
    auto *table = dialog->findChild<QTableView *>(u"tokenTable"_s);
    QTRY_COMPARE(table->model()->rowCount(), 1);
    QVERIFY(!EmptyState::of(table)->isShown());

    // At the dialog's own size the State column is in sight, with no scrolling sideways.
    const QHeaderView *header = table->horizontalHeader();
    const int stateRight = header->sectionViewportPosition(TokenTableModel::StateColumn)
        + header->sectionSize(TokenTableModel::StateColumn);
    QVERIFY2(stateRight <= table->viewport()->width(),
             qPrintable(u"%1 > %2"_s.arg(stateRight).arg(table->viewport()->width())));
    QVERIFY(!table->horizontalScrollBar()->isVisible());
    QVERIFY(header->sectionSize(TokenTableModel::NameColumn) >= 100);

    table->selectRow(0);
    QSignalSpy changed(dialog, &TokensDialog::changeFinished);
    auto *revoke = dialog->findChild<QPushButton *>(u"revokeButton"_s);
    // Cancel: nothing happens, the token still works.
    revoke->click();
    QCOMPARE(m_asked.size(), 1);
    const QString asked = m_asked.first();
    QVERIFY2(asked.contains(u"laptop"_s) && asked.contains(u"mia"_s)
                 && asked.contains(u"npm, yarn and pnpm"_s) && asked.contains(u"401"_s)
                 && asked.contains(u"never been used"_s),
             qPrintable(asked));
    QTest::qWait(200);
    QCOMPARE(changed.size(), 0);
    QVERIFY(m_fixture->tokens().authenticate(pat->token).has_value());
    QCOMPARE(table->model()->index(0, TokenTableModel::StateColumn).data().toString(), u"active"_s);

    // Revoke: refused from now on, and the dialog says so where it was done.
    m_answer = true;
    revoke->click();
    QVERIFY(changed.wait(5000));
    QVERIFY(changed.first().first().toBool());
    QVERIFY(!m_fixture->tokens().authenticate(pat->token).has_value());
    QTRY_COMPARE(table->model()->index(0, TokenTableModel::StateColumn).data().toString(),
                 u"revoked"_s);
    const QString feedback = dialog->findChild<QLabel *>(u"feedbackLabel"_s)->text();
    QVERIFY2(feedback.startsWith(u"Revoked laptop"_s), qPrintable(feedback));
    dialog->close();
}

void tst_Confirmations::shownOnceTokenAsksBeforeClosing()
{
    TokensDialog *dialog = openTokens();
    QVERIFY(dialog);
    QSignalSpy created(dialog, &TokensDialog::tokenCreated);
    for (const bool copyFirst : {false, true}) {
        dialog->openCreateForm(TokenKind::Personal);
        auto *form = dialog->findChild<QDialog *>(u"createTokenForm"_s);
        QVERIFY(form);
        form->findChild<QLineEdit *>(u"nameEdit"_s)->setText(u"ci"_s);
        form->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok)->click();
        QTRY_VERIFY(dialog->findChild<QDialog *>(u"newTokenSheet"_s));
        auto *sheet = dialog->findChild<QDialog *>(u"newTokenSheet"_s);
        QTRY_VERIFY(sheet->isVisible());
        m_asked.clear();
        if (copyFirst) {
            // Copied: closing needs no question.
            sheet->findChild<QPushButton *>(u"copyTokenButton"_s)->click();
            QTest::keyClick(sheet, Qt::Key_Escape);
            QVERIFY(m_asked.isEmpty());
            QTRY_VERIFY(!dialog->findChild<QDialog *>(u"newTokenSheet"_s));
            continue;
        }
        // Escape and Close ask; Cancel keeps the sheet with the token.
        m_answer = false;
        QTest::keyClick(sheet, Qt::Key_Escape);
        QCOMPARE(m_asked.size(), 1);
        QVERIFY2(m_asked.first().contains(u"cannot show it again"_s), qPrintable(m_asked.first()));
        QVERIFY(sheet->isVisible());
        sheet->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Close)->click();
        QCOMPARE(m_asked.size(), 2);
        QVERIFY(sheet->isVisible());
        QCOMPARE(sheet->findChild<QLineEdit *>(u"tokenField"_s)->text(),
                 created.last().first().toString());
        // Close Without Copying: gone.
        m_answer = true;
        QTest::keyClick(sheet, Qt::Key_Escape);
        QTRY_VERIFY(!dialog->findChild<QDialog *>(u"newTokenSheet"_s));
    }
    QCOMPARE(created.size(), 2);
    dialog->close();
}

void tst_Confirmations::removeTagAsks()
{
    QSignalSpy versions(m_window.get(), &MainWindow::versionsLoaded);
    QVERIFY(m_window->showPackage(u"@acme/core"_s, m_projectId));
    QVERIFY(versions.wait(5000));
    QCOMPARE(tags(u"@acme/core"_s), (QStringList{u"beta"_s, u"latest"_s}));
    QSignalSpy written(m_window.get(), &MainWindow::writeFinished);

    m_window->removeTag(u"beta"_s);
    QCOMPARE(m_asked.size(), 1);
    QVERIFY2(m_asked.first().contains(u"@acme/core@beta"_s)
                 && m_asked.first().contains(u"2.0.0-beta.1"_s),
             qPrintable(m_asked.first()));
    QTest::qWait(200);
    QCOMPARE(written.size(), 0);
    QCOMPARE(tags(u"@acme/core"_s), (QStringList{u"beta"_s, u"latest"_s}));

    m_answer = true;
    m_window->removeTag(u"beta"_s);
    QVERIFY(written.wait(5000));
    QVERIFY(written.first().first().toBool());
    QCOMPARE(tags(u"@acme/core"_s), QStringList{u"latest"_s});
}

void tst_Confirmations::stopRegistryAsks()
{
    auto *stop = m_window->findChild<QAction *>(u"stopRegistryAction"_s);
    QVERIFY(stop && stop->isEnabled());
    const QString url = m_server->status().url();
    stop->trigger();
    QCOMPARE(m_asked.size(), 1);
    QVERIFY2(m_asked.first().contains(url) && m_asked.first().contains(u"fail"_s),
             qPrintable(m_asked.first()));
    QTest::qWait(200);
    QCOMPARE(m_server->status().state, ServerStatus::State::Running);

    m_answer = true;
    stop->trigger();
    QTRY_COMPARE(m_server->status().state, ServerStatus::State::Stopped);
    QCOMPARE(m_asked.size(), 2);
    // Starting again asks nothing.
    m_window->findChild<QAction *>(u"startRegistryAction"_s)->trigger();
    QTRY_COMPARE(m_server->status().state, ServerStatus::State::Running);
    QCOMPARE(m_asked.size(), 2);
}

void tst_Confirmations::quitWhileServingAsks()
{
    // File ▸ Quit with the tray's handling, as app/ wires it. On this platform there is no tray,
    // so quitting is closing; with a tray (tests/ui/tray-xvfb.sh) the same question comes from
    // TrayIcon::quit().
    MainWindow window(m_fixture.registry());
    TrayIcon tray(&window, m_fixture.registry(), m_fixture.path());
    tray.setRequestCounter([this] { return m_server->requestCount(); });
    QObject::connect(
        m_server.get(), &Http::EmbeddedServer::statusChanged, &tray, &TrayIcon::setServerStatus);
    tray.setServerStatus(m_server->status());
    window.setServerStatus(m_server->status());
    QStringList asked;
    bool answer = false;
    tray.setCloseQuestion([&](const QString &text) {
        asked << text;
        return answer;
    });
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QSignalSpy quit(&tray, &TrayIcon::quitRequested);
    auto *quitAction = window.findChild<QAction *>(u"quitAction"_s);

    // A client used it a moment ago.
    {
        QNetworkAccessManager network;
        std::unique_ptr<QNetworkReply> reply(network.get(
            QNetworkRequest(QUrl(m_server->status().url() + u"api/v4/packages/npm/-/ping"_s))));
        QTRY_VERIFY(reply->isFinished());
        QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
    }
    // The tray reads the count once a second.
    QTest::qWait(1500);

    quitAction->trigger();
    QCOMPARE(asked.size(), 1);
    QVERIFY2(asked.first().contains(m_server->status().url())
                 && asked.first().contains(u"npm, yarn or pnpm"_s),
             qPrintable(asked.first()));
    QTest::qWait(100);
    QVERIFY(window.isVisible());
    QCOMPARE(quit.size(), 0);
    QCOMPARE(m_server->status().state, ServerStatus::State::Running);

    answer = true;
    quitAction->trigger();
    QCOMPARE(asked.size(), 2);
    QTRY_COMPARE(quit.size(), 1);
    QVERIFY(!window.isVisible());
}

QTEST_MAIN(tst_Confirmations)
#include "tst_confirmations.moc"
