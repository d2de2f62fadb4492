// SPDX-License-Identifier: GPL-3.0-or-later
// Forwarding and protection from the window against the real embedded server: the upstream URL,
// instance and group forwarding with their locks decide what the server answers for unknown
// names at once; the dependency-confusion warning shows while anything forwards; a protection
// rule shows the packages it matches as it is typed and refuses a developer's publish.
#include "ui/mainwindow.h"

#include "../model/testsupport.h"
#include "../server/npmfixture.h"
#include "server/embeddedserver.h"
#include "ui/forwardingdialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableWidget>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Trove;
using TestSupport::RegistryFixture;

class tst_Forwarding : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void forwardingDecidesUnknownNames();
    void protectionRuleWithLiveMatches();

private:
    // GET or PUT against the embedded server, redirects not followed; the status and Location.
    std::pair<int, QString> send(const QByteArray &method,
                                 const QString &path,
                                 const QString &token,
                                 const QByteArray &body = {});
    bool waitForChange(QSignalSpy &changes);

    QTemporaryDir m_settingsDir;
    RegistryFixture m_fixture;
    std::unique_ptr<Http::EmbeddedServer> m_server;
    std::unique_ptr<MainWindow> m_window;
    ForwardingDialog *m_dialog = nullptr;
    QNetworkAccessManager m_network;
    QString m_maintainer;
    QString m_developer;
    qint64 m_projectId = 0;
};

void tst_Forwarding::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_settingsDir.isValid());
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_settingsDir.path());
    QCoreApplication::setOrganizationName(u"TroveTest"_s);
    QCoreApplication::setApplicationName(u"tst_forwarding"_s);
    QVERIFY2(m_fixture.open(), qPrintable(m_fixture.error()));
    QVERIFY_RESULT(m_fixture->namespaces().createGroup(u"acme"_s));
    const Result<Project> project = m_fixture->namespaces().createProject(u"acme/core"_s);
    QVERIFY_RESULT(project);
    m_projectId = project->id;
    const Result<User> mia = m_fixture->users().createUser(u"mia"_s);
    const Result<User> dev = m_fixture->users().createUser(u"dev"_s);
    QVERIFY_RESULT(mia);
    QVERIFY_RESULT(dev);
    QVERIFY_RESULT(m_fixture->users().addGroupMember(u"mia"_s, u"acme"_s, AccessLevel::Maintainer));
    QVERIFY_RESULT(m_fixture->users().addGroupMember(u"dev"_s, u"acme"_s, AccessLevel::Developer));
    m_maintainer = m_fixture->tokens().createPersonalAccessToken(mia->id, {}, {u"api"_s})->token;
    m_developer = m_fixture->tokens().createPersonalAccessToken(dev->id, {}, {u"api"_s})->token;
    for (const QString &name : {u"@acme/core-a"_s, u"@acme/core-b"_s, u"@acme/other"_s}) {
        QVERIFY_RESULT(m_fixture->packages().publish(TestSupport::publishRequest(
            m_projectId, name, u"1.0.0"_s, u"latest"_s, {}, {}, mia->id)));
    }

    m_server = std::make_unique<Http::EmbeddedServer>(m_fixture.registry());
    m_server->start(Http::ServerConfig{});
    QTRY_COMPARE(m_server->status().state, ServerStatus::State::Running);
    m_window = std::make_unique<MainWindow>(m_fixture.registry());
    QSignalSpy loaded(m_window.get(), &MainWindow::packagesLoaded);
    m_window->show();
    QVERIFY(loaded.wait(10000));
    m_window->openForwarding();
    m_dialog = m_window->findChild<ForwardingDialog *>(u"forwardingDialog"_s);
    QVERIFY(m_dialog);
    QSignalSpy reloaded(m_dialog, &ForwardingDialog::reloaded);
    QVERIFY(reloaded.wait(5000));
}

void tst_Forwarding::cleanupTestCase()
{
    m_window.reset();
    m_server.reset();
    m_fixture.close();
}

std::pair<int, QString> tst_Forwarding::send(const QByteArray &method,
                                             const QString &path,
                                             const QString &token,
                                             const QByteArray &body)
{
    QNetworkRequest request(QUrl(m_server->status().url() + path.mid(1)));
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                         QNetworkRequest::ManualRedirectPolicy);
    request.setRawHeader("Authorization", "Bearer " + token.toUtf8());
    request.setHeader(QNetworkRequest::ContentTypeHeader, u"application/json"_s);
    std::unique_ptr<QNetworkReply> reply(m_network.sendCustomRequest(request, method, body));
    QSignalSpy finished(reply.get(), &QNetworkReply::finished);
    if (!reply->isFinished() && !finished.wait(10000)) {
        return {-1, {}};
    }
    return {reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(),
            QString::fromUtf8(reply->rawHeader("Location"))};
}

bool tst_Forwarding::waitForChange(QSignalSpy &changes)
{
    if (changes.isEmpty() && !changes.wait(5000)) {
        return false;
    }
    const bool ok = changes.takeFirst().at(0).toBool();
    QSignalSpy reloaded(m_dialog, &ForwardingDialog::reloaded);
    return reloaded.wait(5000) && ok;
}

void tst_Forwarding::forwardingDecidesUnknownNames()
{
    QSignalSpy changes(m_dialog, &ForwardingDialog::changeFinished);
    const QString instancePath = u"/api/v4/packages/npm/@acme%2fnot-here"_s;
    const QString groupPath = u"/api/v4/groups/acme/-/packages/npm/@acme%2fnot-here"_s;

    // The upstream, set in the dialog (nothing listens on port 9: nothing is fetched).
    auto *upstream = m_dialog->findChild<QLineEdit *>(u"upstreamEdit"_s);
    upstream->setText(u"http://127.0.0.1:9/"_s);
    m_dialog->findChild<QPushButton *>(u"setUpstreamButton"_s)->click();
    QVERIFY(waitForChange(changes));

    auto *instance = m_dialog->findChild<QCheckBox *>(u"instanceForwarding"_s);
    auto *warning = m_dialog->findChild<QLabel *>(u"confusionWarning"_s);
    QVERIFY(instance->isChecked()); // GitLab's default
    QVERIFY(warning->isVisible());
    auto answer = send("GET", instancePath, m_maintainer);
    QCOMPARE(answer.first, 302);
    QCOMPARE(answer.second, u"http://127.0.0.1:9/@acme%2fnot-here"_s);

    instance->setChecked(false);
    QVERIFY(waitForChange(changes));
    QCOMPARE(send("GET", instancePath, m_maintainer).first, 404);
    QVERIFY(!warning->isVisible());

    // The group turns it on for itself: its endpoint forwards, the warning is back.
    auto *groups = m_dialog->findChild<QTableWidget *>(u"groupForwarding"_s);
    auto *setting = groups->findChild<QComboBox *>(u"groupSetting:acme"_s);
    QVERIFY(setting);
    setting->setCurrentIndex(setting->findData(1));
    QVERIFY(waitForChange(changes));
    QCOMPARE(send("GET", groupPath, m_maintainer).first, 302);
    QVERIFY(warning->isVisible());
    QCOMPARE(groups->item(0, 3)->text(), u"forwards"_s);

    // Enforced at the instance: groups cannot override, and their settings are greyed out.
    m_dialog->findChild<QCheckBox *>(u"instanceLock"_s)->setChecked(true);
    QVERIFY(waitForChange(changes));
    QCOMPARE(send("GET", groupPath, m_maintainer).first, 404);
    QVERIFY(!groups->findChild<QComboBox *>(u"groupSetting:acme"_s)->isEnabled());
    QCOMPARE(groups->item(0, 3)->text(), u"does not forward"_s);
}

void tst_Forwarding::protectionRuleWithLiveMatches()
{
    QSignalSpy changes(m_dialog, &ForwardingDialog::changeFinished);
    auto *pattern = m_dialog->findChild<QLineEdit *>(u"patternEdit"_s);
    auto *matches = m_dialog->findChild<QListWidget *>(u"matchList"_s);
    QTest::keyClicks(pattern, u"@acme/core-*"_s);
    QCOMPARE(matches->count(), 2);
    QCOMPARE(matches->item(0)->text(), u"@acme/core-a"_s);
    QCOMPARE(matches->item(1)->text(), u"@acme/core-b"_s);
    QCOMPARE(m_dialog->findChild<QLabel *>(u"matchCount"_s)->text(),
             u"2 package(s) of this project match."_s);

    const QByteArray tarball = NpmFixture::makeTarball(u"@acme/core-c"_s, u"1.0.0"_s);
    const QByteArray body =
        QJsonDocument(NpmFixture::publishBody(u"@acme/core-c"_s, u"1.0.0"_s, tarball)).toJson();
    const QString publishPath =
        u"/api/v4/projects/%1/packages/npm/@acme%2fcore-c"_s.arg(m_projectId);

    m_dialog->findChild<QPushButton *>(u"addRuleButton"_s)->click();
    QVERIFY(waitForChange(changes));
    auto *rules = m_dialog->findChild<QTableWidget *>(u"protectionRules"_s);
    QTRY_COMPARE(rules->rowCount(), 1);
    QCOMPARE(rules->item(0, 0)->text(), u"@acme/core-*"_s);
    // A developer may not push a protected name; the maintainer may.
    QCOMPARE(send("PUT", publishPath, m_developer, body).first, 403);

    rules->selectRow(0);
    m_dialog->findChild<QPushButton *>(u"removeRuleButton"_s)->click();
    QVERIFY(waitForChange(changes));
    QTRY_COMPARE(rules->rowCount(), 0);
    QCOMPARE(send("PUT", publishPath, m_developer, body).first, 200);
}

QTEST_MAIN(tst_Forwarding)
#include "tst_forwarding.moc"
