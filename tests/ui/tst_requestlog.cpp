// SPDX-License-Identifier: GPL-3.0-or-later
// The window's live request log against the real embedded server: every refusal and miss says
// why in plain words (also when the answer came from the server's cache), tokens never appear,
// copy as curl redacts them, pause holds rows back.
#include "ui/mainwindow.h"

#include "../model/testsupport.h"
#include "../server/npmfixture.h"
#include "model/itemmodels/requestlogmodel.h"
#include "model/requestlog.h"
#include "server/embeddedserver.h"
#include "ui/requestlogview.h"

#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QDockWidget>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableView>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Trove;
using TestSupport::RegistryFixture;

class tst_RequestLog : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void init();

    void explainsRefusals_data();
    void explainsRefusals();
    void cachedAnswersKeepTheirReason();
    void copyAsCurlAndPause();

private:
    // Sends a request to the embedded server; returns the status.
    int send(const QByteArray &method,
             const QString &path,
             const QString &token = {},
             const QByteArray &body = {});
    // The log's rows once the view has taken them.
    QList<RequestLogEntry> shown(int atLeast);

    QTemporaryDir m_settingsDir;
    RegistryFixture m_fixture;
    RequestLog m_log;
    std::unique_ptr<Http::EmbeddedServer> m_server;
    std::unique_ptr<MainWindow> m_window;
    RequestLogView *m_view = nullptr;
    QNetworkAccessManager m_network;
    QHash<QString, QString> m_tokens;
    qint64 m_core = 0;
    qint64 m_secret = 0;
};

void tst_RequestLog::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_settingsDir.isValid());
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_settingsDir.path());
    QCoreApplication::setOrganizationName(u"TroveTest"_s);
    QCoreApplication::setApplicationName(u"tst_requestlog"_s);
    QVERIFY2(m_fixture.open(), qPrintable(m_fixture.error()));
    NamespaceService &namespaces = m_fixture->namespaces();
    QVERIFY_RESULT(namespaces.createGroup(u"acme"_s));
    const Result<Project> core = namespaces.createProject(u"acme/core"_s);
    const Result<Project> secret = namespaces.createProject(u"acme/secret"_s);
    QVERIFY_RESULT(core);
    QVERIFY_RESULT(secret);
    m_core = core->id;
    m_secret = secret->id;
    QVERIFY_RESULT(m_fixture->settings().setInstanceForwarding(false));
    const Result<User> mia = m_fixture->users().createUser(u"mia"_s);
    QVERIFY_RESULT(mia);
    const Result<User> bob = m_fixture->users().createUser(u"bob"_s);
    QVERIFY_RESULT(bob);
    QVERIFY_RESULT(
        m_fixture->users().addProjectMember(u"mia"_s, u"acme/core"_s, AccessLevel::Maintainer));
    QVERIFY_RESULT(
        m_fixture->users().addProjectMember(u"bob"_s, u"acme/core"_s, AccessLevel::Reporter));
    TokenService &tokens = m_fixture->tokens();
    const auto keep = [this](const QString &name, const Result<CreatedToken> &token) {
        if (token) {
            m_tokens.insert(name, token->token);
        }
        return bool(token);
    };
    QVERIFY(
        keep(u"maintainer"_s, tokens.createPersonalAccessToken(mia->id, u"laptop"_s, {u"api"_s})));
    QVERIFY(keep(u"readApi"_s,
                 tokens.createPersonalAccessToken(mia->id, u"viewer"_s, {u"read_api"_s})));
    QVERIFY(keep(u"reporter"_s, tokens.createPersonalAccessToken(bob->id, u"bobs"_s, {u"api"_s})));
    QVERIFY(keep(u"deployRead"_s,
                 tokens.createDeployToken(0, m_core, u"ci-read"_s, {u"read_package_registry"_s})));
    QVERIFY(keep(u"job"_s, tokens.createJobToken(m_core, mia->id)));

    m_server = std::make_unique<Http::EmbeddedServer>(m_fixture.registry());
    m_server->setRequestLog(&m_log);
    m_server->start(Http::ServerConfig{});
    QTRY_COMPARE(m_server->status().state, ServerStatus::State::Running);
    m_window = std::make_unique<MainWindow>(m_fixture.registry());
    m_window->setRequestLog(&m_log);
    m_window->setServerStatus(m_server->status());
    m_window->show();
    m_window->findChild<QAction *>(u"requestLogAction"_s)->trigger();
    QVERIFY(m_window->findChild<QDockWidget *>(u"requestLogDock"_s)->isVisible());
    m_view = m_window->findChild<RequestLogView *>(u"requestLog"_s);
    QVERIFY(m_view);
}

void tst_RequestLog::cleanupTestCase()
{
    m_window.reset();
    m_server.reset();
    m_fixture.close();
}

void tst_RequestLog::init()
{
    m_view->poll();
    m_view->model()->clear();
}

int tst_RequestLog::send(const QByteArray &method,
                         const QString &path,
                         const QString &token,
                         const QByteArray &body)
{
    QNetworkRequest request(QUrl(m_server->status().url() + path.mid(1)));
    if (!token.isEmpty()) {
        request.setRawHeader("Authorization", "Bearer " + token.toUtf8());
    }
    request.setHeader(QNetworkRequest::ContentTypeHeader, u"application/json"_s);
    std::unique_ptr<QNetworkReply> reply(m_network.sendCustomRequest(request, method, body));
    QSignalSpy finished(reply.get(), &QNetworkReply::finished);
    if (!reply->isFinished() && !finished.wait(10000)) {
        return -1;
    }
    return reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
}

QList<RequestLogEntry> tst_RequestLog::shown(int atLeast)
{
    // The view takes the server's entries four times a second; the caller checks the count.
    (void)QTest::qWaitFor([this, atLeast] { return m_view->model()->rowCount() >= atLeast; }, 5000);
    QList<RequestLogEntry> entries;
    for (int row = 0; row < m_view->model()->rowCount(); ++row) {
        entries.append(m_view->model()->entryAt(row));
    }
    return entries;
}

void tst_RequestLog::explainsRefusals_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("token");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("tokenColumn");
    QTest::addColumn<QString>("reason");

    const QString core = u"/api/v4/projects/{core}/packages/npm/"_s;
    const QByteArray name = NpmFixture::encodeName(u"@acme/thing"_s);
    QTest::addRow("deploy token is read-only")
        << QByteArray("PUT") << core + QString::fromLatin1(name) << u"deployRead"_s << 403
        << u"deploy 'ci-read'"_s
        << u"deploy token 'ci-read' is read-only: publishing or tagging needs "
           "write_package_registry"_s;
    QTest::addRow("read_api cannot publish")
        << QByteArray("PUT") << core + QString::fromLatin1(name) << u"readApi"_s << 403
        << u"personal 'viewer' (mia)"_s
        << u"personal token 'viewer' of mia has the read_api scope only: publishing or tagging "
           "needs api"_s;
    QTest::addRow("reporter cannot publish")
        << QByteArray("PUT") << core + QString::fromLatin1(name) << u"reporter"_s << 403
        << u"personal 'bobs' (bob)"_s
        << u"personal token 'bobs' of bob acts as a reporter of acme/core: publishing or tagging "
           "needs developer"_s;
    QTest::addRow("job token of another project")
        << QByteArray("GET")
        << u"/api/v4/projects/{secret}/packages/npm/"_s + QString::fromLatin1(name) << u"job"_s
        << 404 << u"job 'CI job token' (mia)"_s
        << u"the job token of project acme/core (mia) cannot read project acme/secret: a job "
           "token reads other projects only when they are public, and acme/secret is private"_s;
    QTest::addRow("no package, forwarding off")
        << QByteArray("GET") << u"/api/v4/packages/npm/"_s + QString::fromLatin1(name)
        << u"maintainer"_s << 404 << u"personal 'laptop' (mia)"_s
        << u"no project of group acme has a package of this name, and forwarding to the upstream "
           "is off"_s;
    QTest::addRow("scope of no top-level group")
        << QByteArray("GET") << u"/api/v4/packages/npm/@nobody%2fthing"_s << u"maintainer"_s << 404
        << u"personal 'laptop' (mia)"_s
        << u"scope @nobody names no top-level group (at instance level a package is found by its "
           "scope), and forwarding to the upstream is off"_s;
    QTest::addRow("scope differs in case")
        << QByteArray("GET") << u"/api/v4/packages/npm/@Acme%2fthing"_s << u"maintainer"_s << 404
        << u"personal 'laptop' (mia)"_s
        << u"scope @Acme does not match the top-level group acme (case matters), and forwarding "
           "to the upstream is off"_s;
    QTest::addRow("unknown token")
        << QByteArray("GET") << core + QString::fromLatin1(name) << u"unknown"_s << 401 << u"none"_s
        << u"the token is unknown, revoked or expired, or its job has finished (an unknown token "
           "is refused even for public packages)"_s;
    QTest::addRow("no token, private project")
        << QByteArray("GET") << core + QString::fromLatin1(name) << QString() << 401 << u"none"_s
        << u"no token was sent, and project acme/core is private: only public projects are read "
           "without one"_s;
}

void tst_RequestLog::explainsRefusals()
{
    QFETCH(QByteArray, method);
    QFETCH(QString, path);
    QFETCH(QString, token);
    QFETCH(int, status);
    QFETCH(QString, tokenColumn);
    QFETCH(QString, reason);
    path.replace(u"{core}"_s, QString::number(m_core));
    path.replace(u"{secret}"_s, QString::number(m_secret));
    const QString secret = token == u"unknown"_s
        ? u"tpat-0000000000000000000000000000000000000000"_s
        : m_tokens.value(token);
    QByteArray body;
    if (method == "PUT") {
        const QByteArray tarball = NpmFixture::makeTarball(u"@acme/thing"_s, u"1.0.0"_s);
        body =
            QJsonDocument(NpmFixture::publishBody(u"@acme/thing"_s, u"1.0.0"_s, tarball)).toJson();
    }
    QCOMPARE(send(method, path, secret, body), status);
    const QList<RequestLogEntry> entries = shown(1);
    // shown() gives up after five seconds without a row; last() of an empty list is undefined.
    QVERIFY2(!entries.isEmpty(), "the request log shows no row for the request");
    const RequestLogEntry &entry = entries.last();
    QCOMPARE(entry.method, QString::fromLatin1(method));
    // Qt's client writes %2F where the test wrote %2f.
    QCOMPARE(entry.path.toLower(), path.toLower());
    QCOMPARE(entry.status, status);
    QCOMPARE(RequestLogModel::tokenText(entry), tokenColumn);
    QCOMPARE(entry.reason, reason);
    QCOMPARE(entry.level, path.contains(u"/projects/"_s) ? u"project"_s : u"instance"_s);
    // The table shows it, and nowhere the secret.
    const QAbstractItemModel *model = m_view->table()->model();
    const int last = model->rowCount() - 1;
    QCOMPARE(model->index(last, RequestLogModel::ReasonColumn).data().toString(), reason);
    for (int row = 0; row < model->rowCount(); ++row) {
        for (int column = 0; column < model->columnCount(); ++column) {
            QVERIFY(secret.isEmpty()
                    || !model->index(row, column).data().toString().contains(secret));
        }
    }
}

void tst_RequestLog::cachedAnswersKeepTheirReason()
{
    const QString path = u"/api/v4/packages/npm/@acme%2fnowhere"_s;
    QCOMPARE(send("GET", path, m_tokens.value(u"maintainer"_s)), 404);
    QCOMPARE(send("GET", path, m_tokens.value(u"maintainer"_s)), 404); // from the server's cache
    const QList<RequestLogEntry> entries = shown(2);
    QCOMPARE(entries.size(), 2);
    QCOMPARE(entries.at(1).reason, entries.at(0).reason);
    QVERIFY(entries.at(1).reason.contains(u"forwarding to the upstream is off"_s));
    QCOMPARE(entries.at(1).tokenName, u"laptop"_s);
}

void tst_RequestLog::copyAsCurlAndPause()
{
    const QString token = m_tokens.value(u"maintainer"_s);
    QCOMPARE(send("GET", u"/api/v4/projects/%1/packages/npm/@acme%2fnone"_s.arg(m_core), token),
             404);
    QVERIFY2(!shown(1).isEmpty(), "the request log shows no row for the request");
    m_view->table()->selectRow(0);
    m_view->findChild<QPushButton *>(u"copyCurlButton"_s)->click();
    const QString curl = QApplication::clipboard()->text();
    // The path as the client sent it (Qt's client writes %2F).
    QCOMPARE(curl,
             u"curl -i '"_s + m_server->status().url() + m_view->model()->entryAt(0).path.mid(1)
                 + u"' -H \"Authorization: Bearer $NPM_TOKEN\""_s);
    QVERIFY(curl.contains(u"/api/v4/projects/%1/packages/npm/@acme%2Fnone'"_s.arg(m_core)));
    QVERIFY(!curl.contains(token));

    // Paused: the rows wait; resumed: they come in order.
    auto *pause = m_view->findChild<QPushButton *>(u"pauseButton"_s);
    pause->click();
    QVERIFY(pause->isChecked());
    QCOMPARE(send("GET", u"/api/v4/packages/npm/-/ping"_s), 200);
    QTest::qWait(600);
    QCOMPARE(m_view->model()->rowCount(), 1);
    pause->click();
    QCOMPARE(m_view->model()->rowCount(), 2);
    QCOMPARE(m_view->model()->entryAt(1).path, u"/api/v4/packages/npm/-/ping"_s);

    // Problems only.
    m_view->findChild<QCheckBox *>(u"problemsOnly"_s)->setChecked(true);
    QCOMPARE(m_view->table()->model()->rowCount(), 1);
}

QTEST_MAIN(tst_RequestLog)
#include "tst_requestlog.moc"
