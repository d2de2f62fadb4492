// SPDX-License-Identifier: GPL-3.0-or-later
#include "model/itemmodels/namespacetreemodel.h"
#include "ui/mainwindow.h"

#include "../model/testsupport.h"
#include "../server/npmfixture.h"
#include "model/itemmodels/packagetablemodel.h"
#include "server/embeddedserver.h"

#include <QAbstractButton>
#include <QAbstractItemModelTester>
#include <QActionGroup>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMessageBox>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableView>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
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

QString cell(const QAbstractItemView *view, int row, int column)
{
    return view->model()->index(row, column).data().toString();
}

} // namespace

class tst_MainWindow : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void listsPublishedPackages();
    void filters_data();
    void filters();
    void projectTreeFilters();
    void selectingShowsVersions();
    void publishWhileOpenAppears();
    void commandLineWritesAppear();
    void deprecateWhileOpenUpdatesBadge();
    void embeddedRegistryInStatusBar();
    void npmPublishThroughServerAppears();
    void busyPortAsks();
    void sortAndSplittersAreRemembered();
    void treeCreatesRenamesAndSetsVisibility();
    void screenshot();

private:
    Result<Package> publish(const QString &project,
                            const QString &name,
                            const QString &version,
                            const QString &tag = u"latest"_s);
    qint64 projectId(const QString &path);
    // A window over the fixture's registry whose first snapshot has been applied.
    std::unique_ptr<MainWindow> openWindow();
    QStringList visibleNames(MainWindow &window) const;

    QTemporaryDir m_settingsDir;
    RegistryFixture m_fixture;
};

void tst_MainWindow::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_settingsDir.isValid());
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_settingsDir.path());
    QCoreApplication::setOrganizationName(u"TroveTest"_s);
    QCoreApplication::setApplicationName(u"tst_mainwindow"_s);
    QVERIFY2(!TestSupport::makeTarball(u"x"_s, u"1.0.0"_s).isEmpty(), "tar czf did not work");
}

void tst_MainWindow::init()
{
    QSettings().clear();
    QVERIFY2(m_fixture.open(), qPrintable(m_fixture.error()));
    NamespaceService &namespaces = m_fixture->namespaces();
    QVERIFY_RESULT(namespaces.createGroup(u"acme"_s));
    QVERIFY_RESULT(namespaces.createGroup(u"acme/web"_s));
    QVERIFY_RESULT(namespaces.createProject(u"acme/core"_s));
    QVERIFY_RESULT(namespaces.createProject(u"acme/web/ui"_s));

    QVERIFY_RESULT(publish(u"acme/core"_s, u"@acme/core"_s, u"1.0.0"_s));
    QVERIFY_RESULT(publish(u"acme/core"_s, u"@acme/core"_s, u"1.1.0"_s));
    QVERIFY_RESULT(publish(u"acme/core"_s, u"@acme/core"_s, u"2.0.0-beta.1"_s, u"beta"_s));
    QVERIFY_RESULT(publish(u"acme/core"_s, u"@acme/legacy"_s, u"0.1.0"_s));
    QVERIFY_RESULT(m_fixture->packages().deprecate(
        projectId(u"acme/core"_s), u"@acme/legacy"_s, {{u"0.1.0"_s, u"use @acme/core"_s}}));
    QVERIFY_RESULT(publish(u"acme/web/ui"_s, u"@acme/button"_s, u"3.0.0"_s));
}

void tst_MainWindow::cleanup()
{
    m_fixture.close();
}

qint64 tst_MainWindow::projectId(const QString &path)
{
    const Result<Project> project = m_fixture->namespaces().findProject(path);
    return project ? project->id : 0;
}

Result<Package> tst_MainWindow::publish(const QString &project,
                                        const QString &name,
                                        const QString &version,
                                        const QString &tag)
{
    return m_fixture->packages().publish(
        TestSupport::publishRequest(projectId(project), name, version, tag));
}

std::unique_ptr<MainWindow> tst_MainWindow::openWindow()
{
    auto window = std::make_unique<MainWindow>(m_fixture.registry());
    QSignalSpy loaded(window.get(), &MainWindow::packagesLoaded);
    window->show();
    if (!loaded.wait(10000)) {
        return nullptr;
    }
    return window;
}

QStringList tst_MainWindow::visibleNames(MainWindow &window) const
{
    const auto *table = window.findChild<QTableView *>(u"packageTable"_s);
    QStringList names;
    for (int row = 0; row < table->model()->rowCount(); ++row) {
        names.append(table->model()->index(row, PackageTableModel::NameColumn).data().toString());
    }
    return names;
}

void tst_MainWindow::listsPublishedPackages()
{
    const std::unique_ptr<MainWindow> window = openWindow();
    QVERIFY(window);
    auto *table = window->findChild<QTableView *>(u"packageTable"_s);
    QVERIFY(table);
    QAbstractItemModelTester tester(table->model(),
                                    QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(visibleNames(*window),
             QStringList({u"@acme/button"_s, u"@acme/core"_s, u"@acme/legacy"_s}));
    const QAbstractItemModel *model = table->model();
    QCOMPARE(model->index(1, PackageTableModel::LatestColumn).data().toString(), u"1.1.0"_s);
    QCOMPARE(model->index(1, PackageTableModel::DistTagsColumn).data().toString(),
             u"latest: 1.1.0, beta: 2.0.0-beta.1"_s);
    QCOMPARE(model->index(1, PackageTableModel::VersionsColumn).data(Qt::EditRole), QVariant(3));
    QCOMPARE(model->index(2, PackageTableModel::DeprecatedColumn).data().toString(),
             u"deprecated"_s);
    QCOMPARE(window->findChild<QLabel *>(u"packageCount"_s)->text(), u"3 packages"_s);

    // Sorting by a column sorts by its raw value.
    table->sortByColumn(PackageTableModel::VersionsColumn, Qt::DescendingOrder);
    QCOMPARE(visibleNames(*window).first(), u"@acme/core"_s);
}

void tst_MainWindow::filters_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QStringList>("expected");

    QTest::addRow("name part") << u"butt"_s << QStringList{u"@acme/button"_s};
    QTest::addRow("case-insensitive") << u"BUTTON"_s << QStringList{u"@acme/button"_s};
    QTest::addRow("scope") << u"@acme/"_s
                           << QStringList{u"@acme/button"_s, u"@acme/core"_s, u"@acme/legacy"_s};
    QTest::addRow("project path") << u"web/ui"_s << QStringList{u"@acme/button"_s};
    QTest::addRow("project path names its packages")
        << u"acme/core"_s << QStringList{u"@acme/core"_s, u"@acme/legacy"_s};
    QTest::addRow("tag") << u"tag:beta"_s << QStringList{u"@acme/core"_s};
    QTest::addRow("unknown tag") << u"tag:next"_s << QStringList{};
    QTest::addRow("deprecated:yes") << u"deprecated:yes"_s << QStringList{u"@acme/legacy"_s};
    QTest::addRow("deprecated:no")
        << u"deprecated:no"_s << QStringList{u"@acme/button"_s, u"@acme/core"_s};
    QTest::addRow("words and tokens combine")
        << u"acme deprecated:no tag:latest  b"_s << QStringList{u"@acme/button"_s};
    QTest::addRow("cleared") << QString()
                             << QStringList{u"@acme/button"_s, u"@acme/core"_s, u"@acme/legacy"_s};
}

void tst_MainWindow::filters()
{
    QFETCH(QString, text);
    QFETCH(QStringList, expected);

    const std::unique_ptr<MainWindow> window = openWindow();
    QVERIFY(window);
    auto *filter = window->findChild<QLineEdit *>(u"filterEdit"_s);
    QVERIFY(filter);
    filter->setFocus();
    QTest::keyClicks(filter, u"zzz"_s);
    QTRY_COMPARE(visibleNames(*window), QStringList());
    filter->clear();
    QTest::keyClicks(filter, text);
    QTRY_COMPARE(visibleNames(*window), expected);
}

void tst_MainWindow::projectTreeFilters()
{
    const std::unique_ptr<MainWindow> window = openWindow();
    QVERIFY(window);
    auto *tree = window->findChild<QTreeView *>(u"namespaceTree"_s);
    QVERIFY(tree);
    const QModelIndexList web = treeItems(tree, u"web"_s);
    QCOMPARE(web.size(), 1);
    tree->setCurrentIndex(web.first());
    QCOMPARE(visibleNames(*window), QStringList{u"@acme/button"_s});
    const QModelIndexList acme = treeItems(tree, u"acme"_s);
    QCOMPARE(acme.size(), 1);
    tree->setCurrentIndex(acme.first());
    QCOMPARE(visibleNames(*window).size(), 3);
    tree->setCurrentIndex(tree->model()->index(0, 0));
    QCOMPARE(visibleNames(*window).size(), 3);
}

// The real `trove` command line, another process, sends the window no event: the window
// notices its commit by itself (StoreWatcher) and shows the new group without a reload.
void tst_MainWindow::commandLineWritesAppear()
{
    const std::unique_ptr<MainWindow> window = openWindow();
    QVERIFY(window);
    auto *tree = window->findChild<QTreeView *>(u"namespaceTree"_s);
    QVERIFY(tree);
    QVERIFY(treeItems(tree, u"fresh-group"_s).isEmpty());
    QProcess cli;
    cli.start(QStringLiteral(TROVE_BINARY_DIR "/app/trove"),
              {u"group"_s, u"create"_s, u"fresh-group"_s, u"--data"_s, m_fixture.path()});
    QVERIFY(cli.waitForFinished(10000));
    QCOMPARE(cli.exitCode(), 0);
    QTRY_COMPARE_WITH_TIMEOUT(treeItems(tree, u"fresh-group"_s).size(), 1, 3000);
}

void tst_MainWindow::selectingShowsVersions()
{
    const std::unique_ptr<MainWindow> window = openWindow();
    QVERIFY(window);
    auto *table = window->findChild<QTableView *>(u"packageTable"_s);
    auto *versions = window->findChild<QTreeView *>(u"versionList"_s);
    auto *banner = window->findChild<QLabel *>(u"deprecationBanner"_s);
    QVERIFY(versions);
    QVERIFY(banner);

    table->selectRow(1); // @acme/core
    QTRY_COMPARE(versions->model()->rowCount(), 3);
    // Newest first, each with its tags.
    QCOMPARE(cell(versions, 0, 0), u"2.0.0-beta.1"_s);
    QCOMPARE(cell(versions, 0, 1), u"beta"_s);
    QCOMPARE(cell(versions, 1, 0), u"1.1.0"_s);
    QCOMPARE(cell(versions, 1, 1), u"latest"_s);
    QCOMPARE(cell(versions, 2, 0), u"1.0.0"_s);
    QCOMPARE(cell(versions, 2, 4), QString());
    QVERIFY(banner->isHidden());
    QCOMPARE(window->findChild<QLabel *>(u"detailsTitle"_s)->text(), u"@acme/core in acme/core"_s);

    table->selectRow(2); // @acme/legacy
    QTRY_COMPARE(versions->model()->rowCount(), 1);
    QCOMPARE(cell(versions, 0, 4), u"deprecated: use @acme/core"_s);
    QVERIFY(banner->isVisible());
    QVERIFY2(banner->text().contains(u"use @acme/core"_s), qPrintable(banner->text()));
}

void tst_MainWindow::publishWhileOpenAppears()
{
    const std::unique_ptr<MainWindow> window = openWindow();
    QVERIFY(window);
    auto *table = window->findChild<QTableView *>(u"packageTable"_s);
    auto *versions = window->findChild<QTreeView *>(u"versionList"_s);
    table->selectRow(1); // @acme/core
    QTRY_COMPARE(versions->model()->rowCount(), 3);

    QVERIFY_RESULT(publish(u"acme/web/ui"_s, u"@acme/dialog"_s, u"0.1.0"_s));
    QTRY_COMPARE(
        visibleNames(*window),
        QStringList({u"@acme/button"_s, u"@acme/core"_s, u"@acme/dialog"_s, u"@acme/legacy"_s}));

    // A new version of the selected package: its row and its versions follow.
    QVERIFY_RESULT(publish(u"acme/core"_s, u"@acme/core"_s, u"1.2.0"_s));
    QTRY_COMPARE(versions->model()->rowCount(), 4);
    QCOMPARE(cell(versions, 0, 0), u"1.2.0"_s);
    const QModelIndex current = table->currentIndex();
    QCOMPARE(current.data(PackageTableModel::PackageNameRole).toString(), u"@acme/core"_s);
    QCOMPARE(current.siblingAtColumn(PackageTableModel::LatestColumn).data().toString(),
             u"1.2.0"_s);

    // Unpublishing the last version removes the row.
    QVERIFY_RESULT(
        m_fixture->packages().unpublishPackage(projectId(u"acme/web/ui"_s), u"@acme/dialog"_s));
    QTRY_COMPARE(visibleNames(*window).size(), 3);
}

void tst_MainWindow::deprecateWhileOpenUpdatesBadge()
{
    const std::unique_ptr<MainWindow> window = openWindow();
    QVERIFY(window);
    auto *filter = window->findChild<QLineEdit *>(u"filterEdit"_s);
    QTest::keyClicks(filter, u"deprecated:yes"_s);
    QTRY_COMPARE(visibleNames(*window), QStringList{u"@acme/legacy"_s});
    QVERIFY_RESULT(m_fixture->packages().deprecate(
        projectId(u"acme/web/ui"_s), u"@acme/button"_s, {{u"3.0.0"_s, u"gone"_s}}));
    QTRY_COMPARE(visibleNames(*window), QStringList({u"@acme/button"_s, u"@acme/legacy"_s}));
}

void tst_MainWindow::embeddedRegistryInStatusBar()
{
    const std::unique_ptr<MainWindow> window = openWindow();
    QVERIFY(window);
    auto *label = window->findChild<QLabel *>(u"serverStatus"_s);
    QVERIFY(label);
    QCOMPARE(label->text(), u"Registry stopped"_s);

    Http::EmbeddedServer server(m_fixture.registry());
    QObject::connect(
        &server, &Http::EmbeddedServer::statusChanged, window.get(), &MainWindow::setServerStatus);
    Http::ServerConfig config;
    config.port = 0;
    server.start(config);
    QTRY_COMPARE(server.status().state, ServerStatus::State::Running);
    const quint16 port = server.status().port;
    QVERIFY(port != 0);
    QCOMPARE(label->text(), u"Registry running at http://127.0.0.1:%1/"_s.arg(port));

    // It answers, and not from the GUI thread: the GUI thread is blocked while the request runs.
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, port);
    QVERIFY(socket.waitForConnected(5000));
    socket.write("GET /api/v4/packages/npm/-/ping HTTP/1.1\r\nHost: localhost\r\n"
                 "Connection: close\r\n\r\n");
    QVERIFY(socket.waitForBytesWritten(5000));
    QByteArray response;
    while (socket.waitForReadyRead(5000)) {
        response += socket.readAll();
    }
    QVERIFY2(response.startsWith("HTTP/1.1 "), response.constData());

    server.stop();
    QCOMPARE(label->text(), u"Registry stopped"_s);

    // Every address, plain HTTP: the warning shows beside the address while it runs.
    auto *plain = window->findChild<QLabel *>(u"plainHttpStatus"_s);
    QVERIFY(plain);
    QVERIFY(!plain->isVisibleTo(window.get()));
    config.address = QHostAddress(QHostAddress::AnyIPv4);
    server.start(config);
    QTRY_COMPARE(server.status().state, ServerStatus::State::Running);
    QVERIFY(plain->isVisibleTo(window.get()));
    QVERIFY2(label->text().startsWith(u"Registry running at http://0.0.0.0:"_s),
             qPrintable(label->text()));
    server.stop();
    QVERIFY(!plain->isVisibleTo(window.get()));

    // With TLS the address says https, and the network sees no plain HTTP.
    ServerStatus secure;
    secure.state = ServerStatus::State::Running;
    secure.host = u"0.0.0.0"_s;
    secure.port = 4873;
    secure.tls = true;
    window->setServerStatus(secure);
    QCOMPARE(label->text(), u"Registry running at https://0.0.0.0:4873/"_s);
    QVERIFY(!plain->isVisibleTo(window.get()));
}

// The event comes from a server worker thread: the window takes it queued.
void tst_MainWindow::npmPublishThroughServerAppears()
{
    const Result<User> mia = m_fixture->users().createUser(u"mia"_s);
    QVERIFY_RESULT(mia);
    QVERIFY_RESULT(m_fixture->users().addGroupMember(u"mia"_s, u"acme"_s, AccessLevel::Maintainer));
    const Result<CreatedToken> token =
        m_fixture->tokens().createPersonalAccessToken(mia->id, {}, {u"api"_s});
    QVERIFY_RESULT(token);

    const std::unique_ptr<MainWindow> window = openWindow();
    QVERIFY(window);
    Http::EmbeddedServer server(m_fixture.registry());
    server.start(Http::ServerConfig{});
    QTRY_COMPARE(server.status().state, ServerStatus::State::Running);

    const QString name = u"@acme/from-npm"_s;
    const QByteArray tarball = NpmFixture::makeTarball(name, u"1.0.0"_s);
    const QByteArray body =
        QJsonDocument(NpmFixture::publishBody(name, u"1.0.0"_s, tarball, u"next"_s)).toJson();
    QNetworkAccessManager network;
    QNetworkRequest request(
        QUrl(u"http://127.0.0.1:%1/api/v4/projects/%2/packages/npm/%3"_s.arg(server.status().port)
                 .arg(projectId(u"acme/core"_s))
                 .arg(QString::fromLatin1(NpmFixture::encodeName(name)))));
    request.setHeader(QNetworkRequest::ContentTypeHeader, u"application/json"_s);
    request.setRawHeader("Authorization", "Bearer " + token->token.toUtf8());
    std::unique_ptr<QNetworkReply> reply(network.put(request, body));
    QTRY_VERIFY_WITH_TIMEOUT(reply->isFinished(), 15000);
    QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);

    QTRY_VERIFY(visibleNames(*window).contains(name));
    auto *filter = window->findChild<QLineEdit *>(u"filterEdit"_s);
    QTest::keyClicks(filter, u"tag:next"_s);
    QTRY_COMPARE(visibleNames(*window), QStringList{name});
}

// A port another program holds, started as the window starts its registry (no fallback to a
// random port, which would leave the .npmrc files written for this one pointing nowhere): the
// registry stays stopped, the status bar says who holds the port and the window asks. The
// answers (Retry, Use Another Port…, Cancel) are tst_ports'.
void tst_MainWindow::busyPortAsks()
{
    QTcpServer squatter;
    QVERIFY(squatter.listen(QHostAddress::LocalHost, 0));
    const std::unique_ptr<MainWindow> window = openWindow();
    QVERIFY(window);
    Http::EmbeddedServer server(m_fixture.registry());
    QObject::connect(
        &server, &Http::EmbeddedServer::statusChanged, window.get(), &MainWindow::setServerStatus);
    QObject::connect(
        &server, &Http::EmbeddedServer::portInUse, window.get(), &MainWindow::showPortInUse);
    Http::ServerConfig config;
    config.port = squatter.serverPort();
    server.start(config, {}, false);
    QTRY_COMPARE(server.status().state, ServerStatus::State::Failed);
    QCOMPARE(server.status().port, quint16(0));
    auto *label = window->findChild<QLabel *>(u"serverStatus"_s);
    QCOMPARE(label->text(),
             u"Registry not running: port %1 of 127.0.0.1 is in use by tst_mainwindow (pid %2)"_s
                 .arg(squatter.serverPort())
                 .arg(QCoreApplication::applicationPid()));
    QMessageBox *box = nullptr;
    QTRY_VERIFY((box = window->findChild<QMessageBox *>(u"portInUseBox"_s)) && box->isVisible());
    QCOMPARE(box->windowTitle(), u"Port %1 Is in Use"_s.arg(squatter.serverPort()));
    QStringList buttons;
    for (QAbstractButton *button : box->buttons()) {
        buttons.append(button->text().remove(u'&')); // the platform's Cancel has one or none
    }
    buttons.sort();
    QCOMPARE(buttons, (QStringList{u"Cancel"_s, u"Retry"_s, u"Use Another Port…"_s}));
    box->close();

    // Stopped straight after starting (on a free port): the late "Running" from the server
    // thread is dropped.
    config.port = 0;
    QList<ServerStatus::State> states;
    QObject::connect(&server,
                     &Http::EmbeddedServer::statusChanged,
                     window.get(),
                     [&states](const ServerStatus &status) { states.append(status.state); });
    server.stop();
    server.start(config, {}, false);
    server.stop();
    // No waiting for time to pass: stop() returns after the server thread has run start()'s job,
    // and that job queues its "Running" to the server object before it ends. Delivering the
    // server object's queued calls now is therefore the moment the late "Running" would arrive.
    QCoreApplication::sendPostedEvents(&server, QEvent::MetaCall);
    QCOMPARE(states,
             (QList<ServerStatus::State>{ServerStatus::State::Stopped,
                                         ServerStatus::State::Starting,
                                         ServerStatus::State::Stopped}));
    QCOMPARE(server.status().state, ServerStatus::State::Stopped);
    QCOMPARE(label->text(), u"Registry stopped"_s);
}

void tst_MainWindow::sortAndSplittersAreRemembered()
{
    {
        const std::unique_ptr<MainWindow> window = openWindow();
        QVERIFY(window);
        window->findChild<QTableView *>(u"packageTable"_s)
            ->sortByColumn(PackageTableModel::UpdatedColumn, Qt::DescendingOrder);
        window->close();
    }
    const std::unique_ptr<MainWindow> window = openWindow();
    QVERIFY(window);
    const QHeaderView *header =
        window->findChild<QTableView *>(u"packageTable"_s)->horizontalHeader();
    QCOMPARE(header->sortIndicatorSection(), int(PackageTableModel::UpdatedColumn));
    QCOMPARE(header->sortIndicatorOrder(), Qt::DescendingOrder);
    // Last published first.
    QCOMPARE(visibleNames(*window).first(), u"@acme/button"_s);
}

// The tree's context menu: new group, subgroup and project, rename (what is inside moves with
// it), visibility within GitLab's order; each change shows without a reload.
void tst_MainWindow::treeCreatesRenamesAndSetsVisibility()
{
    const std::unique_ptr<MainWindow> window = openWindow();
    QVERIFY(window);
    auto *tree = window->findChild<QTreeView *>(u"namespaceTree"_s);
    QSignalSpy writes(window.get(), &MainWindow::writeFinished);
    // The row whose full path is `path` (invalid when there is none).
    const auto findItem = [tree](const QString &path) -> QModelIndex {
        const QModelIndexList found = tree->model()->match(tree->model()->index(0, 0),
                                                           NamespaceTreeModel::PathRole,
                                                           path,
                                                           1,
                                                           Qt::MatchExactly | Qt::MatchRecursive);
        return found.value(0);
    };
    // The named action of the tree's context menu for the current item, filled into `menu` on
    // the first call.
    const auto menuAction = [&](QMenu &menu, const QString &action) -> QAction * {
        if (menu.isEmpty()) {
            window->fillNamespaceMenu(&menu);
        }
        QAction *found = nullptr;
        for (QAction *candidate : menu.findChildren<QAction *>()) {
            if (candidate->objectName() == action) {
                found = candidate;
            }
        }
        return found;
    };
    const auto run = [&](const QString &action, const QString &text) {
        QMenu menu;
        QAction *found = menuAction(menu, action);
        if (!found) {
            return false;
        }
        found->trigger();
        if (text.isNull()) {
            return true;
        }
        auto *input = window->findChild<QInputDialog *>(u"namespaceInput"_s);
        if (!input) {
            return false;
        }
        input->setTextValue(text);
        input->accept();
        return true;
    };

    tree->setCurrentIndex(tree->model()->index(0, 0)); // All packages
    QVERIFY(run(u"newGroupAction"_s, u"labs"_s));
    QVERIFY(writes.wait(5000));
    QVERIFY(writes.takeFirst().at(0).toBool());
    QTRY_VERIFY(findItem(u"labs"_s).isValid());

    tree->setCurrentIndex(findItem(u"acme/web"_s));
    QVERIFY(run(u"newProjectAction"_s, u"site"_s));
    QVERIFY(writes.wait(5000));
    QVERIFY(writes.takeFirst().at(0).toBool());
    QTRY_VERIFY(findItem(u"acme/web/site"_s).isValid());

    // Rename: the project inside moves, and the package table shows the new path.
    tree->setCurrentIndex(findItem(u"acme/web"_s));
    QVERIFY(run(u"renameAction"_s, u"frontend"_s));
    QVERIFY(writes.wait(5000));
    QVERIFY(writes.takeFirst().at(0).toBool());
    QTRY_VERIFY(findItem(u"acme/frontend/ui"_s).isValid());
    QVERIFY(!findItem(u"acme/web/ui"_s).isValid());
    const Result<Project> ui = m_fixture->namespaces().findProject(u"acme/frontend/ui"_s);
    QVERIFY_RESULT(ui);
    auto *table = window->findChild<QTableView *>(u"packageTable"_s);
    QTRY_VERIFY([&] {
        for (int row = 0; row < table->model()->rowCount(); ++row) {
            const QModelIndex index = table->model()->index(row, 0);
            if (index.data(PackageTableModel::PackageNameRole).toString() == u"@acme/button"_s) {
                return index.data(PackageTableModel::ProjectPathRole).toString()
                    == u"acme/frontend/ui"_s;
            }
        }
        return false;
    }());

    // Visibility, one radio item of three: a project is no more visible than its (private)
    // group, so the menu offers only what GitLab's order allows; the refused choices are
    // disabled with the reason in their tooltip, and triggering one writes nothing.
    tree->setCurrentIndex(findItem(u"acme/frontend/ui"_s));
    {
        QMenu menu;
        QAction *isPrivate = menuAction(menu, u"visibility:private"_s);
        QAction *isInternal = menuAction(menu, u"visibility:internal"_s);
        QAction *isPublic = menuAction(menu, u"visibility:public"_s);
        QVERIFY(isPrivate && isInternal && isPublic);
        QVERIFY(isPrivate->isCheckable() && isPrivate->isChecked() && isPrivate->isEnabled());
        QVERIFY(!isInternal->isChecked() && !isPublic->isChecked());
        QVERIFY(isPrivate->actionGroup() && isPrivate->actionGroup()->isExclusive());
        QCOMPARE(isPublic->actionGroup(), isPrivate->actionGroup());
        for (QAction *refused : {isInternal, isPublic}) {
            QVERIFY(!refused->isEnabled());
            QCOMPARE(refused->toolTip(), u"Its group acme/frontend is private."_s);
        }
        isPublic->trigger();
    }
    QVERIFY(!writes.wait(500));
    QCOMPARE(m_fixture->namespaces().findProject(u"acme/frontend/ui"_s)->visibility,
             Visibility::Private);

    // A group at least as visible as what it holds: acme may become public (an allowed choice
    // writes), then acme/frontend; acme can no longer go private under its public subgroup.
    tree->setCurrentIndex(findItem(u"acme"_s));
    QVERIFY(run(u"visibility:public"_s, QString()));
    QVERIFY(writes.wait(5000));
    QVERIFY(writes.takeFirst().at(0).toBool());
    QTRY_COMPARE(m_fixture->namespaces().findGroup(u"acme"_s)->visibility, Visibility::Public);
    QTRY_VERIFY(findItem(u"acme"_s).data(Qt::ToolTipRole).toString().endsWith(u"public"_s));
    tree->setCurrentIndex(findItem(u"acme/frontend"_s));
    QVERIFY(run(u"visibility:public"_s, QString()));
    QVERIFY(writes.wait(5000));
    QVERIFY(writes.takeFirst().at(0).toBool());
    QTRY_VERIFY(
        findItem(u"acme/frontend"_s).data(Qt::ToolTipRole).toString().endsWith(u"public"_s));
    tree->setCurrentIndex(findItem(u"acme"_s));
    {
        QMenu menu;
        QAction *isPrivate = menuAction(menu, u"visibility:private"_s);
        QVERIFY(isPrivate);
        QVERIFY(!isPrivate->isEnabled());
        QCOMPARE(isPrivate->toolTip(),
                 u"Subgroup acme/frontend is public: make it less visible first."_s);
        QVERIFY(menuAction(menu, u"visibility:public"_s)->isChecked());
    }

    // Under its public group the project's public choice is offered, and writes.
    tree->setCurrentIndex(findItem(u"acme/frontend/ui"_s));
    {
        QMenu menu;
        QAction *isPublic = menuAction(menu, u"visibility:public"_s);
        QVERIFY(isPublic);
        QVERIFY(isPublic->isEnabled());
        QVERIFY(isPublic->toolTip().isEmpty() || isPublic->toolTip() == isPublic->text());
        isPublic->trigger();
    }
    QVERIFY(writes.wait(5000));
    QVERIFY(writes.takeFirst().at(0).toBool());
    QTRY_COMPARE(m_fixture->namespaces().findProject(u"acme/frontend/ui"_s)->visibility,
                 Visibility::Public);
    QTRY_VERIFY(
        findItem(u"acme/frontend/ui"_s).data(Qt::ToolTipRole).toString().endsWith(u"public"_s));
}

// Writes $TROVE_SCREENSHOTS/main.png (tests/tools/screenshots.sh runs it under Xvfb); skipped
// when the variable is not set.
void tst_MainWindow::screenshot()
{
    const QString folder = qEnvironmentVariable("TROVE_SCREENSHOTS");
    if (folder.isEmpty()) {
        QSKIP("TROVE_SCREENSHOTS is not set");
    }
    QVERIFY(QDir().mkpath(folder));
    for (const QString &version : {u"1.0.1"_s, u"1.1.0"_s, u"1.2.0"_s}) {
        QVERIFY_RESULT(publish(u"acme/web/ui"_s, u"@acme/button"_s, version));
    }
    QVERIFY_RESULT(publish(u"acme/web/ui"_s, u"@acme/button"_s, u"2.0.0-rc.1"_s, u"next"_s));
    QVERIFY_RESULT(
        m_fixture->packages().deprecate(projectId(u"acme/web/ui"_s),
                                        u"@acme/button"_s,
                                        {{u"3.0.0"_s, u"3.0.0 was published by mistake"_s}}));
    for (const QString &name : {u"@acme/icons"_s, u"@acme/tokens"_s, u"@acme/forms"_s}) {
        QVERIFY_RESULT(publish(u"acme/web/ui"_s, name, u"0.4.2"_s));
    }
    const std::unique_ptr<MainWindow> window = openWindow();
    QVERIFY(window);
    window->resize(1200, 720);
    Http::EmbeddedServer server(m_fixture.registry());
    QObject::connect(
        &server, &Http::EmbeddedServer::statusChanged, window.get(), &MainWindow::setServerStatus);
    server.start(Http::ServerConfig{});
    QTRY_COMPARE(server.status().state, ServerStatus::State::Running);
    auto *table = window->findChild<QTableView *>(u"packageTable"_s);
    table->selectRow(0); // @acme/button
    auto *versions = window->findChild<QTreeView *>(u"versionList"_s);
    QTRY_COMPARE(versions->model()->rowCount(), 5);
    QVERIFY(QTest::qWaitForWindowExposed(window.get()));
    QTest::qWait(200);
    const QString file = QDir(folder).filePath(u"main.png"_s);
    QVERIFY(window->grab().save(file));
    qInfo() << "Wrote" << file;
}

QTEST_MAIN(tst_MainWindow)
#include "tst_mainwindow.moc"
