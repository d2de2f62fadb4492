// SPDX-License-Identifier: GPL-3.0-or-later
// Screenshots of each view and dialog, for the README: run by tests/tools/screenshots.sh under
// Xvfb with TROVE_SCREENSHOTS set to the folder to write; skipped otherwise. Each also checks
// that its view shows what it should, so a broken view does not make a quietly wrong picture.
#include "ui/confirm.h"
#include "ui/mainwindow.h"

#include "../model/testsupport.h"
#include "model/requestlog.h"
#include "model/tls/selfsigned.h"
#include "server/embeddedserver.h"
#include "ui/confirm.h"
#include "ui/deletedialogs.h"
#include "ui/deprecatedialog.h"
#include "ui/emptystate.h"
#include "ui/forwardingdialog.h"
#include "ui/npmrcbuilderdialog.h"
#include "ui/projectsettingsdialog.h"
#include "ui/publishdialog.h"
#include "ui/registrysettingsdialog.h"
#include "ui/requestlogview.h"
#include "ui/setupsheet.h"
#include "ui/tagdialog.h"
#include "ui/tokensdialog.h"
#include "ui/usersdialog.h"
#include "ui/versiondetailsview.h"
#include "ui/welcomeview.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QDockWidget>
#include <QLabel>
#include <QLineEdit>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QStyleFactory>
#include <QTableView>
#include <QTest>
#include <QTreeView>
#include <QWizard>

using namespace Qt::StringLiterals;
using namespace Trove;
using TestSupport::RegistryFixture;

class tst_Screenshots : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void mainWindow();
    void versionFiles();
    void deprecateDialog();
    void tagDialog();
    void invalidGroupName();
    void tokens();
    void npmrcBuilder();
    void requestLog();
    void registrySettings();
    void usersAndRoles();
    void forwardingAndProtection();
    void publishSheet();
    void deleteVersionsConfirmation();
    void deleteGroupConfirmation();
    void projectSettings();
    void darkPalette();
    void detailsPaneAtSize_data();
    void detailsPaneAtSize();
    void firstRun();

private:
    bool save(QWidget *widget, const QString &name);
    Result<Package> publish(const QString &project,
                            const QString &name,
                            const QString &version,
                            const QString &tag = u"latest"_s,
                            const QJsonObject &manifest = {},
                            const QList<std::pair<QString, QByteArray>> &files = {});

    QString m_folder;
    qint64 m_userId = 0;
    QTemporaryDir m_settingsDir;
    RegistryFixture m_fixture;
    RequestLog m_log;
    std::unique_ptr<Http::EmbeddedServer> m_server;
    std::unique_ptr<MainWindow> m_window;
};

Result<Package> tst_Screenshots::publish(const QString &project,
                                         const QString &name,
                                         const QString &version,
                                         const QString &tag,
                                         const QJsonObject &manifest,
                                         const QList<std::pair<QString, QByteArray>> &files)
{
    return m_fixture->packages().publish(
        TestSupport::publishRequest(m_fixture->namespaces().findProject(project)->id,
                                    name,
                                    version,
                                    tag,
                                    manifest,
                                    files,
                                    m_userId));
}

void tst_Screenshots::initTestCase()
{
    // Closing what asks first (an uncopied token, a removed tag) is answered yes: the pictures
    // are of the dialogs, not of the questions.
    Ui::setConfirmAnswer([](const QString &, const QString &) { return true; });
    m_folder = qEnvironmentVariable("TROVE_SCREENSHOTS");
    if (m_folder.isEmpty()) {
        QSKIP("TROVE_SCREENSHOTS is not set");
    }
    QVERIFY(QDir().mkpath(m_folder));
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_settingsDir.isValid());
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_settingsDir.path());
    QCoreApplication::setOrganizationName(u"TroveTest"_s);
    QCoreApplication::setApplicationName(u"tst_screenshots"_s);
    // Closing what asks first (the shown-once token) goes on without a message box.
    Ui::setConfirmAnswer([](const QString &, const QString &) { return true; });
    QVERIFY2(m_fixture.open(), qPrintable(m_fixture.error()));
    NamespaceService &namespaces = m_fixture->namespaces();
    QVERIFY_RESULT(namespaces.createGroup(u"acme"_s));
    QVERIFY_RESULT(namespaces.createGroup(u"acme/web"_s));
    QVERIFY_RESULT(namespaces.createProject(u"acme/core"_s));
    QVERIFY_RESULT(namespaces.createProject(u"acme/web/ui"_s));
    const Result<User> mia = m_fixture->users().createUser(u"mia"_s);
    QVERIFY_RESULT(mia);
    m_userId = mia->id;
    QVERIFY_RESULT(m_fixture->users().addGroupMember(u"mia"_s, u"acme"_s, AccessLevel::Maintainer));
    QVERIFY_RESULT(m_fixture->tokens().createPersonalAccessToken(mia->id, u"laptop"_s, {u"api"_s}));
    QVERIFY_RESULT(
        m_fixture->tokens().createDeployToken(m_fixture->namespaces().findGroup(u"acme"_s)->id,
                                              0,
                                              u"ci-read"_s,
                                              {u"read_package_registry"_s},
                                              QDate(2027, 6, 30)));
    QVERIFY_RESULT(m_fixture->tokens().createJobToken(
        m_fixture->namespaces().findProject(u"acme/web/ui"_s)->id, mia->id));

    const QByteArray readme =
        "# @acme/button\n\nAn accessible button for Acme's web apps.\n\n"
        "## Install\n\n```sh\nnpm install @acme/button\n```\n\n"
        "## Use\n\n```js\nimport { Button } from '@acme/button';\n```\n\n"
        "- keyboard and screen reader friendly\n- themable through CSS variables\n";
    const QJsonObject manifest{
        {u"description"_s, u"An accessible button for Acme's web apps"_s},
        {u"license"_s, u"MIT"_s},
        {u"dependencies"_s,
         QJsonObject{{u"@acme/tokens"_s, u"^0.4.0"_s}, {u"clsx"_s, u"^2.1.0"_s}}},
        {u"peerDependencies"_s, QJsonObject{{u"react"_s, u">=18"_s}}}};
    const QList<std::pair<QString, QByteArray>> files = {
        {u"README.md"_s, readme},
        {u"dist/index.js"_s, QByteArray(4200, 'x')},
        {u"dist/index.d.ts"_s, QByteArray(900, 'x')},
        {u"dist/button.css"_s, QByteArray(1600, 'x')}};
    for (const QString &version : {u"1.0.0"_s, u"1.0.1"_s, u"1.1.0"_s, u"1.2.0"_s}) {
        QVERIFY_RESULT(
            publish(u"acme/web/ui"_s, u"@acme/button"_s, version, u"latest"_s, manifest, files));
    }
    QVERIFY_RESULT(
        publish(u"acme/web/ui"_s, u"@acme/button"_s, u"2.0.0-rc.1"_s, u"next"_s, manifest, files));
    QVERIFY_RESULT(
        m_fixture->packages().setDistTag(m_fixture->namespaces().findProject(u"acme/web/ui"_s)->id,
                                         u"@acme/button"_s,
                                         u"stable"_s,
                                         u"1.1.0"_s));
    QVERIFY_RESULT(m_fixture->packages().deprecate(
        m_fixture->namespaces().findProject(u"acme/web/ui"_s)->id,
        u"@acme/button"_s,
        {{u"1.0.0"_s, u"Focus ring missing; upgrade to 1.2.0."_s},
         {u"1.0.1"_s, u"Focus ring missing; upgrade to 1.2.0."_s}}));
    for (const QString &name : {u"@acme/icons"_s, u"@acme/tokens"_s, u"@acme/forms"_s}) {
        QVERIFY_RESULT(publish(u"acme/web/ui"_s, name, u"0.4.2"_s));
    }
    QVERIFY_RESULT(publish(u"acme/core"_s, u"@acme/core"_s, u"3.1.0"_s));
    QVERIFY_RESULT(publish(u"acme/core"_s, u"@acme/legacy"_s, u"0.9.0"_s));
    QVERIFY_RESULT(
        m_fixture->packages().deprecate(m_fixture->namespaces().findProject(u"acme/core"_s)->id,
                                        u"@acme/legacy"_s,
                                        {{u"0.9.0"_s, u"Use @acme/core"_s}}));

    // A loopback upstream: the user's own npm configuration must not appear in a picture.
    QVERIFY_RESULT(m_fixture->settings().setUpstream(u"http://127.0.0.1:4874/"_s));
    m_server = std::make_unique<Http::EmbeddedServer>(m_fixture.registry());
    m_server->setRequestLog(&m_log);
    m_window = std::make_unique<MainWindow>(m_fixture.registry());
    QObject::connect(m_server.get(),
                     &Http::EmbeddedServer::statusChanged,
                     m_window.get(),
                     &MainWindow::setServerStatus);
    m_window->setRequestLog(&m_log);
    m_window->setRequestCounter([this] { return m_server->requestCount(); });
    m_window->resize(1280, 780);
    QSignalSpy loaded(m_window.get(), &MainWindow::packagesLoaded);
    m_window->show();
    QVERIFY(loaded.wait(10000));
    m_server->start(Http::ServerConfig{});
    QTRY_COMPARE(m_server->status().state, ServerStatus::State::Running);
    QSignalSpy details(m_window.get(), &MainWindow::versionDetailsLoaded);
    QVERIFY(m_window->showPackage(u"@acme/button"_s));
    QVERIFY(details.wait(10000));
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
}

void tst_Screenshots::cleanupTestCase()
{
    m_window.reset();
    m_server.reset();
    m_fixture.close();
}

bool tst_Screenshots::save(QWidget *widget, const QString &name)
{
    QTest::qWait(150);
    const QString file = QDir(m_folder).filePath(name + u".png"_s);
    const bool saved = widget->grab().save(file);
    qInfo() << "Wrote" << file;
    return saved;
}

void tst_Screenshots::mainWindow()
{
    auto *details = m_window->findChild<VersionDetailsView *>(u"versionDetails"_s);
    details->setCurrentIndex(VersionDetailsView::ReadmeTab);
    QCOMPARE(details->details().package.version, u"1.2.0"_s);
    QVERIFY(save(m_window.get(), u"main"_s));
}

void tst_Screenshots::versionFiles()
{
    auto *details = m_window->findChild<VersionDetailsView *>(u"versionDetails"_s);
    details->setCurrentIndex(VersionDetailsView::OverviewTab);
    QVERIFY(save(m_window.get(), u"version-overview"_s));
    details->setCurrentIndex(VersionDetailsView::FilesTab);
    QVERIFY(save(details, u"version-files"_s));
    details->setCurrentIndex(VersionDetailsView::DependenciesTab);
    QVERIFY(save(details, u"version-dependencies"_s));
    details->setCurrentIndex(VersionDetailsView::ReadmeTab);
}

void tst_Screenshots::deprecateDialog()
{
    m_window->openDeprecateDialog(DeprecateDialog::Mode::Deprecate);
    auto *dialog = m_window->findChild<DeprecateDialog *>(u"deprecateDialog"_s);
    QVERIFY(dialog);
    dialog->findChild<QLineEdit *>(u"rangeEdit"_s)->setText(u"<1.2.0"_s);
    QCOMPARE(dialog->checkedVersions().size(), 3);
    QVERIFY(save(dialog, u"deprecate-dialog"_s));
    dialog->reject();
}

void tst_Screenshots::tagDialog()
{
    m_window->openTagDialog();
    auto *dialog = m_window->findChild<TagDialog *>(u"tagDialog"_s);
    QVERIFY(dialog);
    dialog->findChild<QLineEdit *>(u"tagEdit"_s)->setText(u"stable"_s);
    QVERIFY(save(dialog, u"tag-dialog"_s));
    dialog->reject();
}

// A top-level group in capitals: OK disabled, the reason under the field.
void tst_Screenshots::invalidGroupName()
{
    NameInputDialog dialog(NameInputDialog::Kind::TopLevelGroup,
                           u"New Group"_s,
                           u"Path of the top-level group (also the npm scope):"_s,
                           u"Acme"_s,
                           m_window.get());
    QVERIFY(save(&dialog, u"new-group-invalid"_s));
}

void tst_Screenshots::tokens()
{
    m_window->openTokens();
    auto *dialog = m_window->findChild<TokensDialog *>(u"tokensDialog"_s);
    QVERIFY(dialog);
    QTRY_COMPARE(dialog->findChild<QTableView *>(u"tokenTable"_s)->model()->rowCount(), 3);
    QVERIFY(save(dialog, u"tokens"_s));
    dialog->openCreateForm(TokenKind::Deploy);
    auto *form = dialog->findChild<QDialog *>(u"createTokenForm"_s);
    QVERIFY(form);
    form->findChild<QLineEdit *>(u"nameEdit"_s)->setText(u"staging server"_s);
    QVERIFY(save(form, u"token-new-deploy"_s));
    QSignalSpy created(dialog, &TokensDialog::tokenCreated);
    form->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok)->click();
    QVERIFY(created.wait(5000));
    auto *sheet = dialog->findChild<QDialog *>(u"newTokenSheet"_s);
    QVERIFY(sheet);
    QVERIFY(save(sheet, u"token-shown-once"_s));
    sheet->close();
    dialog->close();
}

void tst_Screenshots::npmrcBuilder()
{
    m_window->openNpmrcBuilder();
    auto *dialog = m_window->findChild<NpmrcBuilderDialog *>(u"npmrcBuilder"_s);
    QVERIFY(dialog);
    dialog->setLevel(NpmrcRequest::Level::Group);
    dialog->selectGroup(u"acme"_s);
    QVERIFY(dialog->snippets().npmrc.contains(u"/api/v4/groups/acme/-/packages/npm/"_s));
    QVERIFY(save(dialog, u"npmrc-builder"_s));
    dialog->close();
}

void tst_Screenshots::requestLog()
{
    QNetworkAccessManager network;
    const QString base = m_server->status().url();
    for (const QString &path : {u"api/v4/packages/npm/@acme%2fbutton"_s,
                                u"api/v4/packages/npm/@acme%2fmissing"_s,
                                u"api/v4/projects/1/packages/npm/@acme%2fcore"_s}) {
        std::unique_ptr<QNetworkReply> reply(network.get(QNetworkRequest(QUrl(base + path))));
        QTRY_VERIFY(reply->isFinished());
    }
    m_window->findChild<QAction *>(u"requestLogAction"_s)->trigger();
    auto *view = m_window->findChild<RequestLogView *>(u"requestLog"_s);
    QTRY_COMPARE(view->table()->model()->rowCount(), 3);
    QVERIFY(save(m_window.get(), u"request-log"_s));
    m_window->findChild<QAction *>(u"requestLogAction"_s)->trigger();
}

void tst_Screenshots::registrySettings()
{
    {
        RegistrySettingsDialog dialog(RegistrySettingsDialog::load(), m_window.get());
        dialog.show();
        QVERIFY(save(&dialog, u"registry-settings"_s));
    }

    // TLS for the LAN: every address, a certificate created by the button.
    QTemporaryDir appData;
    RegistrySettingsDialog::Values values;
    values.listenOnAllAddresses = true;
    RegistrySettingsDialog dialog(values, m_window.get());
    dialog.setCertificateFolder(appData.path());
    dialog.show();
    // Xvfb has no window manager to give the new window the focus.
    dialog.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&dialog));
    // Plain HTTP on the network first: the warning under the checkbox says so.
    QVERIFY(dialog.findChild<QLabel *>(u"lanWarning"_s)->text().contains(u"plain HTTP"_s));
    QVERIFY(save(&dialog, u"registry-settings-plain-http"_s));

    // Everything is reached with Tab alone, in reading order.
    const QStringList expected = {u"portSpin"_s,
                                  u"allAddressesCheck"_s,
                                  u"autoStartCheck"_s,
                                  u"certificateEdit"_s,
                                  u"browseCertificateButton"_s,
                                  u"keyEdit"_s,
                                  u"browseKeyButton"_s,
                                  u"createCertificateButton"_s};
    dialog.findChild<QWidget *>(u"portSpin"_s)->setFocus();
    QStringList visited;
    for (int i = 0; i < 20 && visited.size() < expected.size(); ++i) {
        const QString name = QApplication::focusWidget()->objectName();
        if (expected.contains(name) && !visited.contains(name)) {
            visited.append(name);
        }
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_Tab);
    }
    QCOMPARE(visited, expected);

    // The button by keyboard: Alt+S is its mnemonic.
    dialog.findChild<QWidget *>(u"portSpin"_s)->setFocus();
    QTest::keyClick(&dialog, Qt::Key_S, Qt::AltModifier);
    QTRY_VERIFY(QFile::exists(appData.filePath(u"cert.pem"_s)));
    auto *cafile = dialog.findChild<QLineEdit *>(u"cafileLine"_s);
    QCOMPARE(cafile->text(), u"cafile="_s + appData.filePath(u"cert.pem"_s));
    QVERIFY(!dialog.findChild<QLabel *>(u"lanWarning"_s)->text().contains(u"plain HTTP"_s));
    QVERIFY(dialog.findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Save)->isEnabled());
    // Fits a small screen: nothing is cut off at 800×500.
    QVERIFY2(dialog.minimumSizeHint().width() <= 800 && dialog.minimumSizeHint().height() <= 500,
             qPrintable(u"%1×%2"_s.arg(dialog.minimumSizeHint().width())
                            .arg(dialog.minimumSizeHint().height())));
    dialog.resize(dialog.sizeHint().boundedTo(QSize(800, 500)));
    QVERIFY(save(&dialog, u"registry-settings-tls"_s));

    // A key that is not the certificate's: the message under the key, Save off.
    QTemporaryDir other;
    QVERIFY(Tls::writeSelfSigned(other.path(), {}));
    dialog.findChild<QLineEdit *>(u"keyEdit"_s)->setText(other.filePath(u"key.pem"_s));
    QVERIFY(dialog.findChild<QLabel *>(u"keyError"_s)->isVisible());
    QVERIFY(!dialog.findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Save)->isEnabled());
    dialog.resize(dialog.sizeHint().boundedTo(QSize(800, 500)));
    QVERIFY(save(&dialog, u"registry-settings-tls-error"_s));
}

void tst_Screenshots::usersAndRoles()
{
    m_window->openUsers();
    auto *dialog = m_window->findChild<UsersDialog *>(u"usersDialog"_s);
    QVERIFY(dialog);
    QSignalSpy reloaded(dialog, &UsersDialog::reloaded);
    QVERIFY(reloaded.wait(5000));
    QVERIFY(save(dialog, u"users"_s));
    dialog->close();
}

void tst_Screenshots::forwardingAndProtection()
{
    m_window->openForwarding();
    auto *dialog = m_window->findChild<ForwardingDialog *>(u"forwardingDialog"_s);
    QVERIFY(dialog);
    QSignalSpy reloaded(dialog, &ForwardingDialog::reloaded);
    QVERIFY(reloaded.wait(5000));
    QVERIFY(save(dialog, u"forwarding"_s));
    dialog->close();
}

void tst_Screenshots::publishSheet()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const auto write = [&dir](const QString &name, const QByteArray &content) {
        QFile file(dir.filePath(name));
        return file.open(QIODevice::WriteOnly) && file.write(content) == content.size()
            ? file.fileName()
            : QString();
    };
    const QStringList files = {
        write(u"acme-forms-0.5.0.tgz"_s, TestSupport::makeTarball(u"@acme/forms"_s, u"0.5.0"_s)),
        write(u"acme-forms-0.4.2.tgz"_s,
              TestSupport::makeTarball(u"@acme/forms"_s, u"0.4.2"_s, u"x"_s)),
        write(u"left-pad-1.3.0.tgz"_s, TestSupport::makeTarball(u"left-pad"_s, u"1.3.0"_s))};
    m_window->openPublishDialog(files);
    auto *dialog = m_window->findChild<PublishDialog *>(u"publishDialog"_s);
    QVERIFY(dialog);
    QTRY_COMPARE(dialog->preflights().size(), 3);
    QVERIFY(save(dialog, u"publish-sheet"_s));
    dialog->close();
}

// Readable in a dark palette: the same window with Fusion's colours inverted to a dark scheme.
void tst_Screenshots::darkPalette()
{
    QPalette dark;
    dark.setColor(QPalette::Window, QColor(0x2b, 0x2b, 0x2b));
    dark.setColor(QPalette::WindowText, QColor(0xe6, 0xe6, 0xe6));
    dark.setColor(QPalette::Base, QColor(0x1e, 0x1e, 0x1e));
    dark.setColor(QPalette::AlternateBase, QColor(0x33, 0x33, 0x33));
    dark.setColor(QPalette::Text, QColor(0xe6, 0xe6, 0xe6));
    dark.setColor(QPalette::Button, QColor(0x3a, 0x3a, 0x3a));
    dark.setColor(QPalette::ButtonText, QColor(0xe6, 0xe6, 0xe6));
    dark.setColor(QPalette::Highlight, QColor(0x3d, 0x6f, 0xb4));
    dark.setColor(QPalette::HighlightedText, Qt::white);
    dark.setColor(QPalette::Link, QColor(0x8a, 0xb4, 0xf8));
    dark.setColor(QPalette::Mid, QColor(0x55, 0x55, 0x55));
    dark.setColor(QPalette::PlaceholderText, QColor(0x99, 0x99, 0x99));
    const QPalette before = QApplication::palette();
    QApplication::setStyle(QStyleFactory::create(u"Fusion"_s));
    QApplication::setPalette(dark);
    QVERIFY(save(m_window.get(), u"main-dark"_s));
    QApplication::setPalette(before);
}

// Deleting two versions: the tags that move or go and the packages whose ranges pick them.
void tst_Screenshots::deleteVersionsConfirmation()
{
    QVERIFY_RESULT(publish(u"acme/web/ui"_s,
                           u"@acme/checkout"_s,
                           u"2.4.0"_s,
                           u"latest"_s,
                           {{u"dependencies"_s, QJsonObject{{u"@acme/button"_s, u"^1.2.0"_s}}}}));
    QVERIFY_RESULT(
        publish(u"acme/core"_s,
                u"@acme/admin"_s,
                u"0.3.0"_s,
                u"latest"_s,
                {{u"peerDependencies"_s, QJsonObject{{u"@acme/button"_s, u"^1.0.0"_s}}}}));
    QSignalSpy versions(m_window.get(), &MainWindow::versionsLoaded);
    QVERIFY(m_window->showPackage(u"@acme/button"_s));
    versions.wait(2000);
    auto *view = m_window->findChild<QTreeView *>(u"versionList"_s);
    QVERIFY(view);
    view->clearSelection();
    for (int row = 0; row < view->model()->rowCount(); ++row) {
        const QModelIndex index = view->model()->index(row, 0);
        const QString version = index.data().toString();
        if (version == u"1.2.0"_s || version == u"2.0.0-rc.1"_s) {
            view->selectionModel()->select(index,
                                           QItemSelectionModel::Select | QItemSelectionModel::Rows);
        }
    }
    m_window->deleteSelectedVersions();
    DeleteDialog *dialog = nullptr;
    QTRY_VERIFY((dialog = m_window->findChild<DeleteDialog *>(u"deleteVersionsDialog"_s))
                && dialog->deleteButton()->isEnabled());
    QCOMPARE(dialog->deleteButton()->text(), u"Delete 2 Versions"_s);
    QVERIFY(save(dialog, u"delete-versions"_s));
    dialog->reject();
}

// A group with projects in it: deleting waits for its path to be typed.
void tst_Screenshots::deleteGroupConfirmation()
{
    auto *tree = m_window->findChild<QTreeView *>(u"namespaceTree"_s);
    const QModelIndexList acme = tree->model()->match(tree->model()->index(0, 0),
                                                      Qt::DisplayRole,
                                                      u"acme"_s,
                                                      -1,
                                                      Qt::MatchExactly | Qt::MatchRecursive);
    QCOMPARE(acme.size(), 1);
    m_window->deleteGroup(acme.first().data(Qt::UserRole + 1).toLongLong()); // IdRole
    DeleteDialog *dialog = nullptr;
    QTRY_VERIFY((dialog = m_window->findChild<DeleteDialog *>(u"deleteGroupDialog"_s)));
    dialog->confirmationEdit()->setText(u"acm"_s);
    QVERIFY(!dialog->deleteButton()->isEnabled());
    QVERIFY(save(dialog, u"delete-group"_s));
    dialog->reject();
}

// Project ▸ Settings with the Packages switch just turned off: what that does, in words.
void tst_Screenshots::projectSettings()
{
    m_window->openProjectSettings(m_fixture->namespaces().findProject(u"acme/web/ui"_s)->id);
    auto *dialog = m_window->findChild<ProjectSettingsDialog *>(u"projectSettingsDialog"_s);
    QVERIFY(dialog);
    dialog->findChild<QCheckBox *>(u"packagesEnabledCheck"_s)->setChecked(false);
    QVERIFY(save(dialog, u"project-settings"_s));
    dialog->reject();
}

// The first run: an empty store's welcome view at three window sizes, the set-up sheet's pages
// (an invalid group path with its reason, then each step), and the empty project it leaves,
// whose list names the npm publish command.
void tst_Screenshots::firstRun()
{
    RegistryFixture empty;
    QVERIFY2(empty.open(), qPrintable(empty.error()));
    MainWindow window(empty.registry());
    window.setServerStatus(m_server->status());
    QSignalSpy loaded(&window, &MainWindow::packagesLoaded);
    window.show();
    QVERIFY(!loaded.isEmpty() || loaded.wait(10000));
    auto *welcome = window.findChild<WelcomeView *>();
    QTRY_VERIFY(welcome && welcome->isVisible());
    for (const QSize size : {QSize(800, 500), QSize(1280, 780), QSize(1600, 1000)}) {
        window.resize(size);
        QTRY_COMPARE(window.size(), size);
        QVERIFY(save(&window, u"welcome-%1x%2"_s.arg(size.width()).arg(size.height())));
    }

    window.openSetupSheet();
    auto *sheet = window.findChild<SetupSheet *>(u"setupSheet"_s);
    QVERIFY(sheet);
    QVERIFY(QTest::qWaitForWindowExposed(sheet));
    auto *group = sheet->findChild<QLineEdit *>(u"groupPathEdit"_s);
    group->setText(u"Acme"_s);
    QVERIFY(sheet->reason().contains(u"lowercase"_s));
    QVERIFY(save(sheet, u"setup-group-invalid"_s));
    group->setText(u"acme"_s);
    QVERIFY(save(sheet, u"setup-group"_s));
    // Goes on to the next page and names its picture.
    const auto forward = [sheet](const QString &shot) -> QString {
        for (const QWizard::WizardButton which : {QWizard::CommitButton, QWizard::NextButton}) {
            if (sheet->button(which)->isVisible()) {
                const int page = sheet->currentId();
                sheet->button(which)->click();
                QTest::qWaitFor([sheet, page] { return sheet->currentId() != page; }, 5000);
                break;
            }
        }
        return shot;
    };
    QVERIFY(save(sheet, forward(u"setup-project"_s)));
    sheet->findChild<QLineEdit *>(u"projectPathEdit"_s)->setText(u"web"_s);
    QVERIFY(save(sheet, forward(u"setup-user"_s)));
    sheet->findChild<QLineEdit *>(u"usernameEdit"_s)->setText(u"mia"_s);
    QVERIFY(save(sheet, forward(u"setup-token"_s)));
    sheet->findChild<QLineEdit *>(u"tokenNameEdit"_s)->setText(u"laptop"_s);
    QVERIFY(save(sheet, forward(u"setup-token-shown-once"_s)));
    QCOMPARE(sheet->currentId(), int(SetupSheet::SecretPage));
    sheet->findChild<QPushButton *>(u"copyTokenButton"_s)->click();
    sheet->accept();
    NpmrcBuilderDialog *builder = nullptr;
    QTRY_VERIFY((builder = window.findChild<NpmrcBuilderDialog *>(u"npmrcBuilder"_s)));
    QVERIFY(save(builder, u"setup-connect-client"_s));
    builder->close();

    auto *tree = window.findChild<QTreeView *>(u"namespaceTree"_s);
    QTRY_COMPARE(tree->model()
                     ->match(tree->model()->index(0, 0),
                             Qt::DisplayRole,
                             u"web"_s,
                             -1,
                             Qt::MatchExactly | Qt::MatchRecursive)
                     .size(),
                 1);
    tree->setCurrentIndex(tree->model()
                              ->match(tree->model()->index(0, 0),
                                      Qt::DisplayRole,
                                      u"web"_s,
                                      -1,
                                      Qt::MatchExactly | Qt::MatchRecursive)
                              .first());
    auto *table = window.findChild<QTableView *>(u"packageTable"_s);
    QTRY_VERIFY(EmptyState::of(table)->text().contains(u"npm publish --registry"_s));
    for (const QSize size : {QSize(800, 500), QSize(1600, 1000)}) {
        window.resize(size);
        QTRY_COMPARE(window.size(), size);
        QVERIFY(save(&window, u"empty-project-%1x%2"_s.arg(size.width()).arg(size.height())));
    }
}

// The details pane at a small and a large window: the window keeps the size asked for, the
// Overview wraps and elides instead of cutting.
void tst_Screenshots::detailsPaneAtSize_data()
{
    QTest::addColumn<QSize>("size");
    QTest::newRow("800x500") << QSize(800, 500);
    QTest::newRow("1600x1000") << QSize(1600, 1000);
}

void tst_Screenshots::detailsPaneAtSize()
{
    QFETCH(QSize, size);
    const QSize before = m_window->size();
    auto *details = m_window->findChild<VersionDetailsView *>(u"versionDetails"_s);
    details->setCurrentIndex(VersionDetailsView::OverviewTab);
    m_window->resize(size);
    QTRY_COMPARE(m_window->size(), size);
    const QString name = u"details-%1x%2"_s.arg(size.width()).arg(size.height());
    QVERIFY(save(m_window.get(), name));
    QVERIFY(save(details, name + u"-pane"_s));
    m_window->resize(before);
    QTRY_COMPARE(m_window->size(), before);
}

QTEST_MAIN(tst_Screenshots)
#include "tst_screenshots.moc"
