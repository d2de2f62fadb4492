// SPDX-License-Identifier: GPL-3.0-or-later
// Group, project and user names from the window: each invalid input keeps OK disabled with the
// reason under the field (the store's own rules), a top-level group in capitals is refused as an
// npm scope, a refusal by the store (a taken path) leaves the dialog open with the input, and a
// good name is written and closes the dialog. Also reachable from the menu bar.
#include "ui/mainwindow.h"
#include "ui/namedialogs.h"
#include "ui/usersdialog.h"

#include "../model/testsupport.h"

#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>
#include <QTreeView>

using namespace Qt::StringLiterals;
using namespace Trove;
using TestSupport::RegistryFixture;
using Kind = NameInputDialog::Kind;

class tst_NameDialogs : public QObject
{
    Q_OBJECT

private slots:
    void invalidInput_data();
    void invalidInput();
    void refusedWriteStaysOpen();
    void menuBarCreatesGroupProjectUser();
    void usersDialogSaysWhy();
};

static QPushButton *okButton(QDialog *dialog)
{
    return dialog->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok);
}

void tst_NameDialogs::invalidInput_data()
{
    QTest::addColumn<int>("kind");
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("reason"); // a part of the reason shown; empty: accepted

    QTest::newRow("empty path") << int(Kind::Project) << u""_s << u"Type a path"_s;
    QTest::newRow("blank path") << int(Kind::Subgroup) << u"   "_s << u"Type a path"_s;
    QTest::newRow("leading dash") << int(Kind::TopLevelGroup) << u"-acme"_s << u"start with"_s;
    QTest::newRow("leading dot") << int(Kind::Project) << u".web"_s << u"start with"_s;
    QTest::newRow(".git") << int(Kind::Rename) << u"web.git"_s << u".git"_s;
    QTest::newRow("space") << int(Kind::Project) << u"my web"_s << u"Only letters"_s;
    QTest::newRow("slash") << int(Kind::Subgroup) << u"a/b"_s << u"One part only"_s;
    QTest::newRow("too long") << int(Kind::Project) << QString(256, u'a') << u"255"_s;
    QTest::newRow("scope in capitals") << int(Kind::TopLevelGroup) << u"Acme"_s << u"@Acme"_s;
    QTest::newRow("empty user") << int(Kind::User) << u""_s << u"Type a username"_s;
    QTest::newRow("bad user") << int(Kind::User) << u"-rex"_s << u"start with"_s;
    // Capitals are fine below the top level: they are not part of a package name.
    QTest::newRow("subgroup in capitals") << int(Kind::Subgroup) << u"Web"_s << QString();
    QTest::newRow("lowercase scope") << int(Kind::TopLevelGroup) << u"acme"_s << QString();
    QTest::newRow("user") << int(Kind::User) << u"rex.b_2"_s << QString();
}

void tst_NameDialogs::invalidInput()
{
    QFETCH(int, kind);
    QFETCH(QString, text);
    QFETCH(QString, reason);
    bool written = false;
    NameInputDialog dialog(Kind(kind), u"New"_s, u"Path:"_s, QString());
    dialog.setWrite([&written](const QString &) -> Result<void> {
        written = true;
        return {};
    });
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    auto *edit = dialog.findChild<QLineEdit *>();
    edit->selectAll();
    QTest::keyClicks(edit, text);
    auto *shown = dialog.findChild<QLabel *>(u"nameReason"_s);
    QVERIFY(shown->isVisible());
    if (reason.isEmpty()) {
        QVERIFY(okButton(&dialog)->isEnabled());
        return;
    }
    QVERIFY2(!okButton(&dialog)->isEnabled(), qPrintable(text));
    QVERIFY2(shown->text().contains(reason), qPrintable(shown->text()));
    // Enter in the field does not get past the check either.
    QTest::keyClick(edit, Qt::Key_Return);
    QTest::qWait(50);
    QVERIFY(dialog.isVisible());
    QVERIFY(!written);
    QCOMPARE(edit->text(), text);
}

void tst_NameDialogs::refusedWriteStaysOpen()
{
    RegistryFixture fixture;
    QVERIFY2(fixture.open(), qPrintable(fixture.error()));
    QVERIFY_RESULT(fixture->namespaces().createGroup(u"acme"_s));
    Registry *registry = &fixture.registry();
    NameInputDialog dialog(Kind::TopLevelGroup, u"New Group"_s, u"Path:"_s, u"acme"_s);
    dialog.setWrite([registry](const QString &path) -> Result<void> {
        const Result<Group> group = registry->namespaces().createGroup(path);
        if (!group) {
            return group.error();
        }
        return {};
    });
    QSignalSpy finished(&dialog, &NameInputDialog::writeFinished);
    QSignalSpy selected(&dialog, &QInputDialog::textValueSelected);
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    QVERIFY(okButton(&dialog)->isEnabled()); // free as far as the rules know
    okButton(&dialog)->click();
    QVERIFY(finished.wait(5000));
    QCOMPARE(finished.takeFirst().at(0).toBool(), false);
    QVERIFY(dialog.isVisible());
    QCOMPARE(dialog.textValue(), u"acme"_s);
    QVERIFY2(!dialog.reason().isEmpty()
                 && dialog.reason() != u"Packages in it will be named @acme/…"_s,
             qPrintable(dialog.reason()));
    QCOMPARE(selected.count(), 0);

    // Corrected in place: written, and closed.
    dialog.setTextValue(u"labs"_s);
    QVERIFY(okButton(&dialog)->isEnabled());
    okButton(&dialog)->click();
    QVERIFY(finished.wait(5000));
    QCOMPARE(finished.takeFirst().at(0).toBool(), true);
    QTRY_VERIFY(!dialog.isVisible());
    QCOMPARE(selected.count(), 1);
    QVERIFY_RESULT(fixture->namespaces().findGroup(u"labs"_s));
}

void tst_NameDialogs::menuBarCreatesGroupProjectUser()
{
    RegistryFixture fixture;
    QVERIFY2(fixture.open(), qPrintable(fixture.error()));
    auto window = std::make_unique<MainWindow>(fixture.registry());
    window->show();
    QVERIFY(QTest::qWaitForWindowExposed(window.get()));
    QSignalSpy writes(window.get(), &MainWindow::writeFinished);
    const auto menuAction = [&](const QString &name) {
        return window->menuBar()->findChild<QAction *>(name);
    };
    const auto answer = [&](const QString &text) {
        // Closed dialogs are deleted later: the one asking is the visible one.
        NameInputDialog *input = nullptr;
        for (NameInputDialog *candidate : window->findChildren<NameInputDialog *>()) {
            if (candidate->isVisible()) {
                input = candidate;
            }
        }
        if (!input) {
            return false;
        }
        input->setTextValue(text);
        okButton(input)->click();
        return true;
    };

    QVERIFY(menuAction(u"menuNewGroupAction"_s));
    QVERIFY(!menuAction(u"menuNewProjectAction"_s)->isEnabled()); // no group selected
    menuAction(u"menuNewGroupAction"_s)->trigger();
    QVERIFY(answer(u"acme"_s));
    QVERIFY(writes.wait(5000));
    QVERIFY(writes.takeFirst().at(0).toBool());
    QVERIFY_RESULT(fixture->namespaces().findGroup(u"acme"_s));

    auto *tree = window->findChild<QTreeView *>(u"namespaceTree"_s);
    QTRY_VERIFY([&] {
        const QModelIndexList acme = tree->model()->match(tree->model()->index(0, 0),
                                                          Qt::DisplayRole,
                                                          u"acme"_s,
                                                          -1,
                                                          Qt::MatchExactly | Qt::MatchRecursive);
        if (acme.isEmpty()) {
            return false;
        }
        tree->setCurrentIndex(acme.first());
        return true;
    }());
    QTRY_VERIFY(menuAction(u"menuNewProjectAction"_s)->isEnabled());
    menuAction(u"menuNewProjectAction"_s)->trigger();
    QVERIFY(answer(u"web"_s));
    QVERIFY(writes.wait(5000));
    QVERIFY(writes.takeFirst().at(0).toBool());
    QVERIFY_RESULT(fixture->namespaces().findProject(u"acme/web"_s));

    menuAction(u"menuNewUserAction"_s)->trigger();
    QVERIFY(answer(u"rex"_s));
    QVERIFY(writes.wait(5000));
    QVERIFY(writes.takeFirst().at(0).toBool());
    QVERIFY_RESULT(fixture->users().store().userByName(u"rex"_s));
}

void tst_NameDialogs::usersDialogSaysWhy()
{
    RegistryFixture fixture;
    QVERIFY2(fixture.open(), qPrintable(fixture.error()));
    QVERIFY_RESULT(fixture->users().createUser(u"rex"_s));
    UsersDialog dialog(fixture.registry());
    QSignalSpy reloaded(&dialog, &UsersDialog::reloaded);
    QVERIFY(reloaded.wait(5000));
    auto *edit = dialog.findChild<QLineEdit *>(u"newUserEdit"_s);
    auto *add = dialog.findChild<QPushButton *>(u"addUserButton"_s);
    auto *reason = dialog.findChild<QLabel *>(u"newUserReason"_s);
    QVERIFY(!add->isEnabled()); // nothing typed
    edit->setText(u"-bad name"_s);
    QVERIFY(!add->isEnabled());
    QVERIFY2(reason->text().contains(u"start with"_s), qPrintable(reason->text()));

    // Taken: only the store knows; its reason stays with the input.
    QSignalSpy changes(&dialog, &UsersDialog::changeFinished);
    edit->setText(u"rex"_s);
    QVERIFY(add->isEnabled());
    QVERIFY(reason->text().isEmpty());
    add->click();
    QVERIFY(changes.wait(5000));
    QCOMPARE(changes.takeFirst().at(0).toBool(), false);
    QVERIFY(!reason->text().isEmpty());
    QCOMPARE(edit->text(), u"rex"_s);
}

QTEST_MAIN(tst_NameDialogs)
#include "tst_namedialogs.moc"
