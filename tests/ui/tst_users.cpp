// SPDX-License-Identifier: GPL-3.0-or-later
// Users and roles from the window against the real embedded server: a user added in the dialog
// and given a role can publish at once; the role's meaning is said in words; a bad username is
// refused with the reason and changes nothing; a removed role is refused at the next request.
#include "ui/usersdialog.h"

#include "../model/testsupport.h"
#include "../server/npmfixture.h"
#include "server/embeddedserver.h"

#include <QCheckBox>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Trove;
using TestSupport::RegistryFixture;

class tst_Users : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void addUserGiveRolePublish();

private:
    int publish(const QString &token, const QString &version);
    bool waitForChange(QSignalSpy &changes, UsersDialog &dialog);

    RegistryFixture m_fixture;
    std::unique_ptr<Http::EmbeddedServer> m_server;
    QNetworkAccessManager m_network;
    qint64 m_projectId = 0;
};

void tst_Users::initTestCase()
{
    QVERIFY2(m_fixture.open(), qPrintable(m_fixture.error()));
    QVERIFY_RESULT(m_fixture->namespaces().createGroup(u"acme"_s));
    const Result<Project> project = m_fixture->namespaces().createProject(u"acme/core"_s);
    QVERIFY_RESULT(project);
    m_projectId = project->id;
    m_server = std::make_unique<Http::EmbeddedServer>(m_fixture.registry());
    m_server->start(Http::ServerConfig{});
    QTRY_COMPARE(m_server->status().state, ServerStatus::State::Running);
}

void tst_Users::cleanupTestCase()
{
    m_server.reset();
    m_fixture.close();
}

int tst_Users::publish(const QString &token, const QString &version)
{
    const QString name = u"@acme/lib"_s;
    const QByteArray body =
        QJsonDocument(
            NpmFixture::publishBody(name, version, NpmFixture::makeTarball(name, version)))
            .toJson();
    QNetworkRequest request(
        QUrl(m_server->status().url()
             + u"api/v4/projects/%1/packages/npm/@acme%2flib"_s.arg(m_projectId)));
    request.setRawHeader("Authorization", "Bearer " + token.toUtf8());
    request.setHeader(QNetworkRequest::ContentTypeHeader, u"application/json"_s);
    std::unique_ptr<QNetworkReply> reply(m_network.put(request, body));
    QSignalSpy finished(reply.get(), &QNetworkReply::finished);
    if (!reply->isFinished() && !finished.wait(10000)) {
        return -1;
    }
    return reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
}

bool tst_Users::waitForChange(QSignalSpy &changes, UsersDialog &dialog)
{
    if (changes.isEmpty() && !changes.wait(5000)) {
        return false;
    }
    const bool ok = changes.takeFirst().at(0).toBool();
    QSignalSpy reloaded(&dialog, &UsersDialog::reloaded);
    return reloaded.wait(5000) && ok;
}

void tst_Users::addUserGiveRolePublish()
{
    UsersDialog dialog(m_fixture.registry());
    QSignalSpy reloaded(&dialog, &UsersDialog::reloaded);
    QVERIFY(reloaded.wait(5000));
    QSignalSpy changes(&dialog, &UsersDialog::changeFinished);

    // Nobody selected: no role to give or remove.
    QVERIFY(!dialog.findChild<QPushButton *>(u"giveRoleButton"_s)->isEnabled());
    QVERIFY(!dialog.findChild<QPushButton *>(u"removeRoleButton"_s)->isEnabled());

    // A name GitLab would refuse: the reason, and no user.
    // Refused as it is typed: Add User stays disabled.
    dialog.findChild<QLineEdit *>(u"newUserEdit"_s)->setText(u"-bad name"_s);
    QVERIFY(!dialog.findChild<QPushButton *>(u"addUserButton"_s)->isEnabled());
    QCOMPARE(changes.count(), 0);
    QCOMPARE(dialog.findChild<QListWidget *>(u"userList"_s)->count(), 0);

    dialog.findChild<QLineEdit *>(u"newUserEdit"_s)->setText(u"rex"_s);
    dialog.findChild<QPushButton *>(u"addUserButton"_s)->click();
    QVERIFY(waitForChange(changes, dialog));
    auto *users = dialog.findChild<QListWidget *>(u"userList"_s);
    QCOMPARE(users->count(), 1);
    QCOMPARE(users->currentItem()->text(), u"rex"_s);
    const Result<User> rex = m_fixture->users().store().userByName(u"rex"_s);
    QVERIFY_RESULT(rex);
    const Result<CreatedToken> token =
        m_fixture->tokens().createPersonalAccessToken(rex->id, {}, {u"api"_s});
    QVERIFY_RESULT(token);
    // No role yet: the private project is hidden from rex.
    QCOMPARE(publish(token->token, u"1.0.0"_s), 404);

    auto *target = dialog.findChild<QComboBox *>(u"targetCombo"_s);
    auto *role = dialog.findChild<QComboBox *>(u"roleCombo"_s);
    target->setCurrentIndex(target->findText(u"group acme"_s));
    role->setCurrentIndex(role->findText(u"reporter"_s));
    QCOMPARE(dialog.findChild<QLabel *>(u"roleDescription"_s)->text(),
             u"reporter: installs and views packages"_s);
    role->setCurrentIndex(role->findText(u"developer"_s));
    QVERIFY(dialog.findChild<QLabel *>(u"roleDescription"_s)->text().contains(u"publishes"_s));
    dialog.findChild<QPushButton *>(u"giveRoleButton"_s)->click();
    QVERIFY(waitForChange(changes, dialog));
    auto *roles = dialog.findChild<QTableWidget *>(u"roleTable"_s);
    QCOMPARE(roles->rowCount(), 1);
    QCOMPARE(roles->item(0, 0)->text(), u"group acme"_s);
    QCOMPARE(roles->item(0, 1)->text(), u"developer"_s);
    // Inherited by the group's project: rex publishes there.
    QCOMPARE(publish(token->token, u"1.0.0"_s), 200);

    roles->clearSelection();
    QVERIFY(!dialog.findChild<QPushButton *>(u"removeRoleButton"_s)->isEnabled());
    roles->selectRow(0);
    QVERIFY(dialog.findChild<QPushButton *>(u"removeRoleButton"_s)->isEnabled());
    dialog.findChild<QPushButton *>(u"removeRoleButton"_s)->click();
    QVERIFY(waitForChange(changes, dialog));
    QCOMPARE(roles->rowCount(), 0);
    QCOMPARE(publish(token->token, u"1.0.1"_s), 404);
}

QTEST_MAIN(tst_Users)
#include "tst_users.moc"
