// SPDX-License-Identifier: GPL-3.0-or-later
// The window on a shared PostgreSQL store (docs/postgresql.md, "The window on a shared store"):
// the real `trove` window runs no server there unless asked; a version published through a real
// `trove serve` on the same store appears in the window's package list within a second; tags
// and deprecations made in the window are served by that `trove serve`; the title and status bar
// name the store without its password; Registry ▸ Open the Local Store goes back; and the Open a
// Shared Store dialog's errors stand under the URL. Runs on the cluster of tests/pg/cluster.sh
// (TROVE_TEST_STORE); skipped without one.
#include "../app/servehelper.h"
#include "../model/testsupport.h"
#include "../pg/pgsupport.h"

#include "model/registry.h"
#include "ui/deprecatedialog.h"
#include "ui/mainwindow.h"
#include "ui/namedialogs.h"
#include "ui/sharedstoredialog.h"

#include <QAction>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QNetworkAccessManager>
#include <QProcess>
#include <QPushButton>
#include <QRegularExpression>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Trove;
using namespace PgSupport;

namespace {

// A `trove` child (the window or `trove serve`) in an environment of its own: settings, runtime
// folder and home in `home`, offscreen, no TROVE_STORE. Killed when it goes.
class Child
{
public:
    explicit Child(const QString &home)
    {
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.remove(u"TROVE_STORE"_s);
        environment.remove(u"TROVE_DATA"_s);
        environment.insert(u"QT_QPA_PLATFORM"_s, u"offscreen"_s);
        environment.insert(u"HOME"_s, home);
        environment.insert(u"XDG_CONFIG_HOME"_s, home + u"/config"_s);
        environment.insert(u"XDG_DATA_HOME"_s, home + u"/data"_s);
        const QString runtime = home + u"/runtime"_s;
        QDir().mkpath(runtime);
        QFile::setPermissions(runtime, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
        environment.insert(u"XDG_RUNTIME_DIR"_s, runtime);
        m_process.setProcessEnvironment(environment);
    }
    ~Child() { TestSupport::stopProcess(m_process); }
    bool start(const QStringList &arguments)
    {
        m_process.start(TroveBinary, arguments);
        return m_process.waitForStarted(10000);
    }
    // Waits up to `ms` for `pattern` in what it printed; the match's first group ("" if none).
    std::optional<QString> waitFor(const QRegularExpression &pattern, int ms)
    {
        QElapsedTimer timer;
        timer.start();
        while (true) {
            const QRegularExpressionMatch match = pattern.match(output());
            if (match.hasMatch()) {
                return match.captured(1);
            }
            if (timer.elapsed() > ms || m_process.state() != QProcess::Running) {
                return std::nullopt;
            }
            m_process.waitForReadyRead(50);
        }
    }
    QString output()
    {
        m_output += QString::fromUtf8(m_process.readAllStandardOutput());
        m_output += QString::fromUtf8(m_process.readAllStandardError());
        return m_output;
    }
    QProcess &process() { return m_process; }

private:
    QProcess m_process;
    QString m_output;
};

const QRegularExpression Listening(u"^Listening on http://127.0.0.1:(\\d+)/$"_s,
                                   QRegularExpression::MultilineOption);

QStringList packageNames(MainWindow &window)
{
    const auto *table = window.findChild<QTableView *>(u"packageTable"_s);
    QStringList names;
    for (int row = 0; row < table->model()->rowCount(); ++row) {
        names.append(table->model()->index(row, 0).data().toString());
    }
    return names;
}

} // namespace

class tst_SharedStore : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();
    void windowServesOnlyWhenAsked();
    void otherInstancesWritesAppearAndWindowWritesAreServed();
    void titleAndMenusNameTheStore();
    void dialogShowsErrorsAtTheUrl();
    // With TROVE_SCREENSHOTS set (tests/tools/screenshots.sh, under Xvfb): the dialog in its
    // states and the window on a shared store, at 800×500. Skipped otherwise.
    void screenshots();

private:
    QString newStore()
    {
        const QString schema = TestSupport::freshSchemaName();
        m_schemas.append(schema);
        return TestSupport::testStore() + u"?schema="_s + schema;
    }

    QTemporaryDir m_settingsDir;
    QStringList m_schemas;
};

void tst_SharedStore::initTestCase()
{
    if (TestSupport::testStore().isEmpty()) {
        QSKIP("No PostgreSQL cluster (TROVE_TEST_STORE): tests/pg/cluster.sh run DIR -- …");
    }
    QVERIFY2(QFileInfo(TroveBinary).isExecutable(), qPrintable(TroveBinary));
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_settingsDir.isValid());
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_settingsDir.path());
    QCoreApplication::setOrganizationName(u"TroveTest"_s);
    QCoreApplication::setApplicationName(u"tst_sharedstore"_s);
    qunsetenv("TROVE_STORE");
}

void tst_SharedStore::init()
{
    QSettings().clear();
    m_schemas.clear();
}

void tst_SharedStore::cleanup()
{
    for (const QString &schema : std::as_const(m_schemas)) {
        TestSupport::dropSchema(schema);
    }
}

void tst_SharedStore::windowServesOnlyWhenAsked()
{
    QTemporaryDir home;
    QTemporaryDir data;
    QVERIFY(home.isValid() && data.isValid());
    const QString store = newStore();

    // `trove --store URL`: the window opens on the store, says which, and serves nothing.
    {
        Child window(home.path());
        QVERIFY(window.start({u"--store"_s, store, u"--data"_s, data.path()}));
        const auto opened = window.waitFor(
            QRegularExpression(u"^Store (\\S+)$"_s, QRegularExpression::MultilineOption), 30000);
        QVERIFY2(opened.has_value(), qPrintable(window.output()));
        QCOMPARE(*opened, Database::displayOf(store));
        // The local store would start the server by now (it does right after the store opens).
        QVERIFY2(!window.waitFor(Listening, 3000).has_value(), qPrintable(window.output()));
        QCOMPARE(window.process().state(), QProcess::Running);
        // Its data folder holds no SQLite store: the database is PostgreSQL.
        QVERIFY(!QFileInfo::exists(QDir(data.path()).filePath(u"trove.sqlite"_s)));
        // The shared data folder stays free for the team's servers: a `trove serve` on the same
        // store and folder starts beside the window.
        Child server(home.path());
        QVERIFY(server.start({u"serve"_s,
                              u"--listen"_s,
                              u"127.0.0.1:0"_s,
                              u"--data"_s,
                              data.path(),
                              u"--store"_s,
                              store}));
        QVERIFY2(server.waitFor(Listening, 30000).has_value(), qPrintable(server.output()));
        // A second window on the store raises the first instead of opening another.
        Child second(home.path());
        QVERIFY(second.start({u"--store"_s, store, u"--data"_s, data.path()}));
        QVERIFY(second.process().waitForFinished(30000));
        QCOMPARE(second.process().exitCode(), 0);
        QVERIFY2(window.waitFor(QRegularExpression(u"(Raised the window)"_s), 10000).has_value(),
                 qPrintable(window.output()));
    }
    // Asked on the command line (--listen): it serves.
    {
        Child window(home.path());
        QVERIFY(window.start(
            {u"--store"_s, store, u"--data"_s, data.path(), u"--listen"_s, u"127.0.0.1:0"_s}));
        QVERIFY2(window.waitFor(Listening, 30000).has_value(), qPrintable(window.output()));
    }
    // A malformed --store is refused before any window.
    {
        Child window(home.path());
        QVERIFY(window.start({u"--store"_s, u"postgresql://trove:pw@127.0.0.1/"_s}));
        QVERIFY(window.process().waitForFinished(30000));
        QCOMPARE(window.process().exitCode(), 2);
        QVERIFY2(!window.output().contains(u":pw@"_s), qPrintable(window.output()));
    }
}

void tst_SharedStore::otherInstancesWritesAppearAndWindowWritesAreServed()
{
    QTemporaryDir home;
    QTemporaryDir dir;
    QVERIFY(home.isValid() && dir.isValid());
    const QString data = dir.path();
    const QString store = newStore();

    // The window's side: the store opened as app/desktop.cpp opens it, notifications on.
    Result<std::unique_ptr<Registry>> registry =
        Registry::open(data, store, Registry::Sweep::ByCaller);
    QVERIFY2(registry, qPrintable(registry ? QString() : registry.error().message));
    QVERIFY_RESULT((*registry)->database().watchChanges());
    NamespaceService &namespaces = (*registry)->namespaces();
    QVERIFY_RESULT(namespaces.createGroup(u"acme"_s));
    const Result<Project> project = namespaces.createProject(u"acme/web"_s);
    QVERIFY_RESULT(project);
    const Result<User> mia = (*registry)->users().createUser(u"mia"_s);
    QVERIFY_RESULT(mia);
    QVERIFY_RESULT(
        (*registry)->users().addGroupMember(u"mia"_s, u"acme"_s, AccessLevel::Maintainer));
    const Result<CreatedToken> token =
        (*registry)->tokens().createPersonalAccessToken(mia->id, u"ci"_s, {u"api"_s});
    QVERIFY_RESULT(token);

    MainWindow window(**registry);
    QSignalSpy loaded(&window, &MainWindow::packagesLoaded);
    window.show();
    QVERIFY(loaded.wait(10000));
    QVERIFY(!packageNames(window).contains(u"widget"_s));

    Child server(home.path());
    QVERIFY(server.start(
        {u"serve"_s, u"--listen"_s, u"127.0.0.1:0"_s, u"--data"_s, data, u"--store"_s, store}));
    const auto portText = server.waitFor(Listening, 30000);
    QVERIFY2(portText.has_value(), qPrintable(server.output()));
    const quint16 port = portText->toUShort();

    // A publish through the other instance shows in the window's list within a second.
    QNetworkAccessManager network;
    QNetworkRequest put = apiRequest(port, project->id, u"widget"_s, token->token.toUtf8());
    put.setHeader(QNetworkRequest::ContentTypeHeader, u"application/json"_s);
    put.setRawHeader("Npm-Command", "publish");
    const Answer published =
        request(network,
                put,
                "PUT",
                publishBody(u"widget"_s, u"1.0.0"_s, makeTarball(u"widget"_s, u"1.0.0"_s)));
    QVERIFY2(published.status == 200 || published.status == 201,
             qPrintable(QString::number(published.status) + QString::fromUtf8(published.body)));
    QElapsedTimer shown;
    shown.start();
    QTRY_VERIFY_WITH_TIMEOUT(packageNames(window).contains(u"widget"_s), 1000);
    qInfo("The publish through trove serve showed in the window after %lld ms", shown.elapsed());

    // A tag set in the window is served by the other instance.
    QSignalSpy versions(&window, &MainWindow::versionsLoaded);
    QVERIFY(window.showPackage(u"widget"_s, project->id));
    QTRY_COMPARE_WITH_TIMEOUT(window.currentVersion(), u"1.0.0"_s, 5000);
    QSignalSpy writes(&window, &MainWindow::writeFinished);
    window.moveTag(u"stable"_s, u"1.0.0"_s);
    QVERIFY(writes.wait(10000));
    QVERIFY2(writes.first().at(0).toBool(), qPrintable(writes.first().at(1).toString()));
    const auto packument = [&] {
        const Answer answer = request(
            network, apiRequest(port, project->id, u"widget"_s, token->token.toUtf8()), "GET");
        return QJsonDocument::fromJson(answer.body).object();
    };
    QTRY_COMPARE_WITH_TIMEOUT(
        packument()[u"dist-tags"_s].toObject()[u"stable"_s].toString(), u"1.0.0"_s, 1000);

    // So is a deprecation made in the window's dialog.
    writes.clear();
    window.openDeprecateDialog(DeprecateDialog::Mode::Deprecate);
    auto *dialog = window.findChild<DeprecateDialog *>(u"deprecateDialog"_s);
    QVERIFY(dialog);
    auto *message = dialog->findChild<QComboBox *>(u"messageEdit"_s);
    message->setEditText(u"Use 2.x"_s);
    auto *ok = dialog->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok);
    QTRY_VERIFY(ok->isEnabled());
    QTest::mouseClick(ok, Qt::LeftButton);
    QVERIFY(writes.wait(10000));
    QVERIFY2(writes.first().at(0).toBool(), qPrintable(writes.first().at(1).toString()));
    QTRY_COMPARE_WITH_TIMEOUT(
        packument()[u"versions"_s].toObject()[u"1.0.0"_s].toObject()[u"deprecated"_s].toString(),
        u"Use 2.x"_s,
        1000);

    // A user added in the window (File ▸ New User…) is in the store the command line reads.
    writes.clear();
    window.findChild<QAction *>(u"menuNewUserAction"_s)->trigger();
    NameInputDialog *input = nullptr;
    for (NameInputDialog *candidate : window.findChildren<NameInputDialog *>()) {
        if (candidate->isVisible()) {
            input = candidate;
        }
    }
    QVERIFY(input);
    input->setTextValue(u"rex"_s);
    input->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok)->click();
    QVERIFY(writes.wait(10000));
    QVERIFY2(writes.first().at(0).toBool(), qPrintable(writes.first().at(1).toString()));
    Child cli(home.path());
    QVERIFY(cli.start({u"user"_s, u"list"_s, u"--data"_s, data, u"--store"_s, store}));
    QVERIFY(cli.process().waitForFinished(30000));
    QVERIFY2(cli.output().contains(u"rex"_s), qPrintable(cli.output()));
}

void tst_SharedStore::titleAndMenusNameTheStore()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString secret = u"s3cret-pw"_s;
    // The cluster trusts loopback, so the password is never sent: it only must not show.
    QUrl withPassword(newStore());
    withPassword.setPassword(secret);
    Result<std::unique_ptr<Registry>> registry =
        Registry::open(dir.path(), withPassword.toString(), Registry::Sweep::ByCaller);
    QVERIFY2(registry, qPrintable(registry ? QString() : registry.error().message));

    MainWindow window(**registry);
    window.show();
    const QString display = (*registry)->database().storeDisplay();
    QVERIFY(display.startsWith(TestSupport::testStore()));
    QVERIFY2(window.windowTitle().contains(display), qPrintable(window.windowTitle()));
    QVERIFY(!window.windowTitle().contains(secret));
    auto *label = window.findChild<QLabel *>(u"sharedStoreStatus"_s);
    QVERIFY(label && label->isVisible());
    QVERIFY2(label->text().contains(display), qPrintable(label->text()));
    QVERIFY(!label->text().contains(secret) && !label->toolTip().contains(secret));

    // Open the Local Store: the window asks app/ for the local store, and forgets the shared one.
    SharedStoreDialog::save({withPassword.toString(QUrl::RemovePassword), dir.path(), false});
    QCOMPARE(SharedStoreDialog::load().url, withPassword.toString(QUrl::RemovePassword));
    auto *local = window.findChild<QAction *>(u"openLocalStoreAction"_s);
    QVERIFY(local && local->isEnabled());
    QSignalSpy reopen(&window, &MainWindow::openStoreRequested);
    local->trigger();
    QCOMPARE(reopen.size(), 1);
    QCOMPARE(reopen.first().at(0).toString(), QString());
    QVERIFY(SharedStoreDialog::load().url.isEmpty());

    // Open a Shared Store…: the dialog, and on Open the store with the typed password for this
    // session, while the settings file never holds it.
    reopen.clear();
    window.findChild<QAction *>(u"openSharedStoreAction"_s)->trigger();
    auto *dialog = window.findChild<SharedStoreDialog *>(u"sharedStoreDialog"_s);
    QVERIFY(dialog && dialog->isVisible());
    auto *url = dialog->findChild<QLineEdit *>(u"storeUrlEdit"_s);
    url->setText(withPassword.toString(QUrl::RemovePassword));
    dialog->findChild<QLineEdit *>(u"storePasswordEdit"_s)->setText(secret);
    dialog->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Open)->click();
    QTRY_COMPARE_WITH_TIMEOUT(reopen.size(), 1, 30000);
    QCOMPARE(reopen.first().at(0).toString(), withPassword.toString());
    QCOMPARE(reopen.first().at(1).toString(), dir.path());
    QCOMPARE(SharedStoreDialog::load().url, withPassword.toString(QUrl::RemovePassword));
    QSettings().sync();
    QFile settings(QSettings().fileName());
    QVERIFY(settings.open(QIODevice::ReadOnly));
    QVERIFY(!settings.readAll().contains(secret.toUtf8()));
    // Nor when the password was typed into the URL itself.
    SharedStoreDialog::save({withPassword.toString(), dir.path(), false});
    QCOMPARE(SharedStoreDialog::load().url, withPassword.toString(QUrl::RemovePassword));
    QSettings().sync();
    settings.close();
    QVERIFY(settings.open(QIODevice::ReadOnly));
    QVERIFY(!settings.readAll().contains(secret.toUtf8()));

    // A window on the local store has nothing to go back to.
    QTemporaryDir localDir;
    Result<std::unique_ptr<Registry>> sqlite =
        Registry::open(localDir.path(), QString(), Registry::Sweep::ByCaller);
    QVERIFY_RESULT(sqlite);
    MainWindow localWindow(**sqlite);
    QVERIFY(!localWindow.findChild<QAction *>(u"openLocalStoreAction"_s)->isEnabled());
    QVERIFY(!localWindow.findChild<QLabel *>(u"sharedStoreStatus"_s)->isVisibleTo(&localWindow));
    QCOMPARE(localWindow.windowTitle(), u"Trove"_s);
}

void tst_SharedStore::dialogShowsErrorsAtTheUrl()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    SharedStoreDialog dialog({}, dir.path());
    dialog.show();
    auto *url = dialog.findChild<QLineEdit *>(u"storeUrlEdit"_s);
    auto *status = dialog.findChild<QLabel *>(u"storeUrlStatus"_s);
    auto *open = dialog.findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Open);
    QSignalSpy tested(&dialog, &SharedStoreDialog::testFinished);

    // Checked without connecting; the dialog stays open, the error under the URL.
    const QList<std::pair<QString, QString>> bad = {
        {QString(), u"Enter the store's address"_s},
        {u"http://127.0.0.1/trove"_s, u"starts with postgresql://"_s},
        {u"postgresql://trove@127.0.0.1/"_s, u"names no database"_s},
        {u"postgresql://trove@127.0.0.1/trove?sslmode=require"_s, u"Unknown option sslmode"_s},
    };
    for (const auto &[text, expected] : bad) {
        url->setText(text);
        tested.clear();
        open->click();
        QCOMPARE(tested.size(), 1);
        QCOMPARE(tested.first().at(0).toBool(), false);
        QVERIFY2(status->isVisible() && status->text().contains(expected),
                 qPrintable(text + u" → "_s + status->text()));
        QVERIFY(dialog.isVisible());
    }

    // Nothing listens on port 1: the connection fails, named without its password.
    url->setText(u"postgresql://trove:s3cret-pw@127.0.0.1:1/nodb"_s);
    tested.clear();
    dialog.findChild<QPushButton *>(u"testConnectionButton"_s)->click();
    QVERIFY(tested.wait(30000));
    QCOMPARE(tested.first().at(0).toBool(), false);
    QVERIFY2(status->text().contains(u"postgresql://trove@127.0.0.1:1/nodb"_s),
             qPrintable(status->text()));
    QVERIFY(!status->text().contains(u"s3cret"_s));
    // libpq's lines run on as sentences: its "Connection refused" line gets its full stop.
    QVERIFY2(!status->text().contains(u"refused Is"_s), qPrintable(status->text()));
    QVERIFY(dialog.isVisible());

    // The cluster: connected, said under the URL.
    url->setText(newStore());
    tested.clear();
    dialog.findChild<QPushButton *>(u"testConnectionButton"_s)->click();
    QVERIFY(tested.wait(30000));
    QVERIFY2(tested.first().at(0).toBool(), qPrintable(status->text()));
    QVERIFY2(status->text().contains(u"Connected to "_s + TestSupport::testStore()),
             qPrintable(status->text()));

    // A data folder that is not a whole path stands under the folder field.
    dialog.findChild<QLineEdit *>(u"storeDataFolderEdit"_s)->setText(u"relative/blobs"_s);
    tested.clear();
    open->click();
    QCOMPARE(tested.size(), 1);
    auto *folderStatus = dialog.findChild<QLabel *>(u"storeDataFolderStatus"_s);
    QVERIFY(folderStatus->isVisible() && !folderStatus->text().isEmpty());
    QVERIFY(dialog.isVisible());
}

void tst_SharedStore::screenshots()
{
    const QString folder = qEnvironmentVariable("TROVE_SCREENSHOTS");
    if (folder.isEmpty()) {
        QSKIP("TROVE_SCREENSHOTS is not set");
    }
    const auto save = [&folder](QWidget *widget, const QString &name) {
        QCoreApplication::processEvents();
        QTest::qWait(200);
        return widget->grab().save(QDir(folder).filePath(name + u".png"_s));
    };
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString store = newStore();
    Result<std::unique_ptr<Registry>> registry =
        Registry::open(dir.path(), store, Registry::Sweep::ByCaller);
    QVERIFY_RESULT(registry);
    QVERIFY_RESULT((*registry)->namespaces().createGroup(u"acme"_s));
    QVERIFY_RESULT((*registry)->namespaces().createProject(u"acme/web"_s));
    MainWindow window(**registry);
    window.resize(800, 500);
    QSignalSpy loaded(&window, &MainWindow::packagesLoaded);
    window.show();
    QVERIFY(loaded.wait(10000));
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QVERIFY(save(&window, u"shared-store-window"_s));

    window.findChild<QAction *>(u"openSharedStoreAction"_s)->trigger();
    auto *dialog = window.findChild<SharedStoreDialog *>(u"sharedStoreDialog"_s);
    QVERIFY(dialog);
    QVERIFY(QTest::qWaitForWindowExposed(dialog));
    QVERIFY2(dialog->width() <= 800 && dialog->height() <= 500,
             qPrintable(u"%1×%2"_s.arg(dialog->width()).arg(dialog->height())));
    auto *url = dialog->findChild<QLineEdit *>(u"storeUrlEdit"_s);
    QSignalSpy tested(dialog, &SharedStoreDialog::testFinished);
    QVERIFY(save(dialog, u"shared-store-dialog"_s));
    url->setText(u"postgresql://trove@127.0.0.1/"_s);
    dialog->testConnection();
    QVERIFY(save(dialog, u"shared-store-dialog-bad-url"_s));
    url->setText(u"postgresql://trove@127.0.0.1:1/trove"_s);
    tested.clear();
    dialog->testConnection();
    QVERIFY(tested.wait(30000));
    QVERIFY(save(dialog, u"shared-store-dialog-unreachable"_s));
    url->setText(store);
    tested.clear();
    dialog->testConnection();
    QVERIFY(tested.wait(30000));
    QVERIFY(save(dialog, u"shared-store-dialog-connected"_s));
    dialog->reject();
}

QTEST_MAIN(tst_SharedStore)
#include "tst_sharedstore.moc"
