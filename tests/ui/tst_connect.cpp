// SPDX-License-Identifier: GPL-3.0-or-later
// Connecting clients from the window, proven with the real clients against the real embedded
// server: the .npmrc builder's output for every level and token kind installs with npm, yarn
// berry, yarn classic and pnpm; a token made in the tokens window works, is shown once and never
// listed, and is refused as soon as it is revoked there. With TLS: Registry Settings checks the
// certificate and key at their fields and creates a self-signed pair, and the builder's https
// lines with its cafile install with npm.
#include "ui/confirm.h"
#include "ui/mainwindow.h"

#include "../e2e/npmclients.h"
#include "../model/testsupport.h"
#include "model/itemmodels/tokentablemodel.h"
#include "model/tls/selfsigned.h"
#include "server/embeddedserver.h"
#include "ui/npmrcbuilderdialog.h"
#include "ui/registrysettingsdialog.h"
#include "ui/tokensdialog.h"

#include <QCheckBox>
#include <QClipboard>
#include <QDialogButtonBox>
#include <QGuiApplication>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QProcess>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableView>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Trove;
using TestSupport::RegistryFixture;

using NpmClients::readFile;
using NpmClients::Run;
using NpmClients::writeFile;

class tst_Connect : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();

    void builderOutputInstalls_data();
    void builderOutputInstalls();
    void builderWritesAfterPreview();
    void tokenCreatedShownOnceRevokedRefused();
    void finishedJobRefused();
    void settingsCheckTlsFilesAtTheirFields_data();
    void settingsCheckTlsFilesAtTheirFields();
    void settingsCreateSelfSignedCertificate();
    void settingsWarnAboutPlainHttpOnTheNetwork();
    void builderOverTlsInstalls();

private:
    // Runs a client in `dir` with `token` in the variable the generated files name.
    Run client(const QString &name,
               const QStringList &arguments,
               const QString &dir,
               const QString &variable,
               const QString &token,
               const QString &userConfig = {});
    QList<NpmrcBuilderDialog::Namespace> groups() const;
    QList<NpmrcBuilderDialog::Namespace> projects() const;
    TokensDialog *openTokens();

    QTemporaryDir m_settingsDir;
    QTemporaryDir m_work;
    RegistryFixture m_fixture;
    std::unique_ptr<Http::EmbeddedServer> m_server;
    std::unique_ptr<MainWindow> m_window;
    qint64 m_projectId = 0;
    qint64 m_userId = 0;
    QString m_personalToken;
    QString m_deployToken;
    QString m_jobToken;
    int m_counter = 0;
};

void tst_Connect::initTestCase()
{
    // The actions these tests click ask first (ui/confirm.h); tst_confirmations tests the
    // questions, here the answer is yes.
    Ui::setConfirmAnswer([](const QString &, const QString &) { return true; });
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_settingsDir.isValid());
    QVERIFY(m_work.isValid());
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_settingsDir.path());
    QCoreApplication::setOrganizationName(u"TroveTest"_s);
    QCoreApplication::setApplicationName(u"tst_connect"_s);
    QVERIFY2(QFile::exists(NpmClients::script(u"npm11"_s)),
             "the npm clients are missing: tests/run.sh installs them");

    QVERIFY2(m_fixture.open(), qPrintable(m_fixture.error()));
    QVERIFY_RESULT(m_fixture->namespaces().createGroup(u"acme"_s));
    QVERIFY_RESULT(m_fixture->namespaces().createGroup(u"acme/web"_s));
    const Result<Project> project = m_fixture->namespaces().createProject(u"acme/web/ui"_s);
    QVERIFY_RESULT(project);
    m_projectId = project->id;
    const Result<User> mia = m_fixture->users().createUser(u"mia"_s);
    QVERIFY_RESULT(mia);
    m_userId = mia->id;
    QVERIFY_RESULT(m_fixture->users().addGroupMember(u"mia"_s, u"acme"_s, AccessLevel::Maintainer));
    const Result<CreatedToken> pat =
        m_fixture->tokens().createPersonalAccessToken(m_userId, u"laptop"_s, {u"read_api"_s});
    QVERIFY_RESULT(pat);
    m_personalToken = pat->token;
    const Result<Group> acme = m_fixture->namespaces().findGroup(u"acme"_s);
    QVERIFY_RESULT(acme);
    const Result<CreatedToken> deploy = m_fixture->tokens().createDeployToken(
        acme->id, 0, u"ci-read"_s, {u"read_package_registry"_s});
    QVERIFY_RESULT(deploy);
    m_deployToken = deploy->token;
    const Result<CreatedToken> job = m_fixture->tokens().createJobToken(m_projectId, m_userId);
    QVERIFY_RESULT(job);
    m_jobToken = job->token;

    // A version published a moment ago: the release-age gates of yarn berry and pnpm would hide
    // it unless the generated settings exempt the team's scope.
    QVERIFY_RESULT(m_fixture->packages().publish(TestSupport::publishRequest(
        m_projectId, u"@acme/widget"_s, u"1.0.0"_s, u"latest"_s, {}, {}, m_userId)));

    m_server = std::make_unique<Http::EmbeddedServer>(m_fixture.registry());
    m_server->start(Http::ServerConfig{});
    QTRY_COMPARE(m_server->status().state, ServerStatus::State::Running);
    m_window = std::make_unique<MainWindow>(m_fixture.registry());
    QObject::connect(m_server.get(),
                     &Http::EmbeddedServer::statusChanged,
                     m_window.get(),
                     &MainWindow::setServerStatus);
    m_window->setServerStatus(m_server->status());
    QSignalSpy loaded(m_window.get(), &MainWindow::packagesLoaded);
    m_window->show();
    QVERIFY(loaded.wait(10000));
}

void tst_Connect::cleanupTestCase()
{
    m_window.reset();
    m_server.reset();
    m_fixture.close();
}

QList<NpmrcBuilderDialog::Namespace> tst_Connect::groups() const
{
    return {{0, u"acme"_s}, {0, u"acme/web"_s}};
}

QList<NpmrcBuilderDialog::Namespace> tst_Connect::projects() const
{
    return {{m_projectId, u"acme/web/ui"_s}};
}

Run tst_Connect::client(const QString &name,
                        const QStringList &arguments,
                        const QString &dir,
                        const QString &variable,
                        const QString &token,
                        const QString &userConfig)
{
    QProcessEnvironment extra;
    extra.insert(variable, token);
    // The GUI thread waits here; the embedded server answers from its own threads.
    return NpmClients::run(name, arguments, dir, m_work.path(), ++m_counter, extra, userConfig);
}

void tst_Connect::builderOutputInstalls_data()
{
    QTest::addColumn<QString>("client");
    QTest::addColumn<int>("level");
    QTest::addColumn<int>("tokenKind");
    const QList<std::pair<const char *, NpmrcRequest::Level>> levels = {
        {"project", NpmrcRequest::Level::Project},
        {"group", NpmrcRequest::Level::Group},
        {"instance", NpmrcRequest::Level::Instance}};
    const QList<std::pair<const char *, NpmrcRequest::TokenKind>> kinds = {
        {"personal", NpmrcRequest::TokenKind::Personal},
        {"deploy", NpmrcRequest::TokenKind::Deploy},
        {"job", NpmrcRequest::TokenKind::Job}};
    for (const auto &[levelName, level] : levels) {
        for (const auto &[kindName, kind] : kinds) {
            QTest::addRow("npm, %s level, %s token", levelName, kindName)
                << u"npm11"_s << int(level) << int(kind);
        }
        QTest::addRow("yarn berry, %s level", levelName)
            << u"yarn4"_s << int(level) << int(NpmrcRequest::TokenKind::Personal);
        QTest::addRow("pnpm, %s level", levelName)
            << u"pnpm"_s << int(level) << int(NpmrcRequest::TokenKind::Deploy);
    }
    // Yarn classic: project level only (the builder says so for the others).
    QTest::addRow("yarn classic, project level")
        << u"yarn1"_s << int(NpmrcRequest::Level::Project) << int(NpmrcRequest::TokenKind::Job);
}

void tst_Connect::builderOutputInstalls()
{
    QFETCH(QString, client);
    QFETCH(int, level);
    QFETCH(int, tokenKind);
    NpmrcBuilderDialog builder(m_server->status().url(), groups(), projects());
    builder.selectProject(m_projectId);
    builder.setLevel(NpmrcRequest::Level(level));
    builder.selectGroup(u"acme/web"_s);
    builder.setTokenKind(NpmrcRequest::TokenKind(tokenKind));
    const NpmrcSnippets &out = builder.snippets();
    // What the dialog shows is what is built.
    QCOMPARE(builder.findChild<QPlainTextEdit *>(u"npmrcOutput"_s)->toPlainText(), out.npmrc);
    QVERIFY(!out.npmrc.contains(m_personalToken) && !out.npmrc.contains(m_jobToken));

    const QString token = tokenKind == int(NpmrcRequest::TokenKind::Personal) ? m_personalToken
        : tokenKind == int(NpmrcRequest::TokenKind::Deploy)                   ? m_deployToken
                                                                              : m_jobToken;
    const QString dir = m_work.filePath(u"consumer-%1"_s.arg(++m_counter));
    QVERIFY(writeFile(dir + u"/package.json"_s,
                      R"({"name":"consumer","version":"1.0.0","private":true})"));
    QVERIFY(writeFile(dir + u"/.npmrc"_s, out.npmrc.toUtf8()));
    Run run;
    if (client == u"yarn4"_s) {
        // The generated file, plus this test's own choice of linker (to look in node_modules).
        QVERIFY(writeFile(dir + u"/.yarnrc.yml"_s,
                          "nodeLinker: node-modules\nenableTelemetry: false\n"
                              + out.yarnBerry.toUtf8()));
        QVERIFY(writeFile(dir + u"/yarn.lock"_s, ""));
        run = this->client(
            client, {u"add"_s, u"@acme/widget@^1.0.0"_s}, dir, out.tokenVariable, token);
    } else if (client == u"yarn1"_s) {
        QVERIFY(writeFile(dir + u"/.yarnrc"_s, out.yarnClassic.toUtf8()));
        run = this->client(client,
                           {u"add"_s, u"@acme/widget@^1.0.0"_s, u"--non-interactive"_s},
                           dir,
                           out.tokenVariable,
                           token);
    } else if (client == u"pnpm"_s) {
        // A one-day gate for everything else, as pnpm 11 has by default: the generated exclusion
        // must let the version published a moment ago through.
        QVERIFY(writeFile(dir + u"/pnpm-workspace.yaml"_s,
                          "minimumReleaseAge: 1440\n" + out.pnpmWorkspace.toUtf8()));
        // pnpm's split: scope lines in the project, credentials in the user's file.
        QVERIFY(writeFile(dir + u"/.npmrc"_s, out.pnpmProjectNpmrc.toUtf8()));
        const QString userConfig = dir + u"-user-npmrc"_s;
        QVERIFY(writeFile(userConfig, out.pnpmUserNpmrc.toUtf8()));
        run = this->client(client,
                           {u"add"_s,
                            u"@acme/widget@^1.0.0"_s,
                            u"--store-dir"_s,
                            m_work.filePath(u"pnpm-store-%1"_s.arg(m_counter))},
                           dir,
                           out.tokenVariable,
                           token,
                           userConfig);
    } else {
        run = this->client(
            client, {u"install"_s, u"@acme/widget@^1.0.0"_s}, dir, out.tokenVariable, token);
    }
    QVERIFY2(run.exitCode == 0, qPrintable(run.all()));
    const QJsonObject installed =
        QJsonDocument::fromJson(readFile(dir + u"/node_modules/@acme/widget/package.json"_s))
            .object();
    QCOMPARE(installed.value(u"version"_s).toString(), u"1.0.0"_s);
}

void tst_Connect::builderWritesAfterPreview()
{
    const QString folder = m_work.filePath(u"write-target"_s);
    const QByteArray before = "# ours\nsave-exact=true\n@acme:registry=http://old.test/\n"
                              "//old.test/:_authToken=${OLD}\n";
    QVERIFY(writeFile(folder + u"/.npmrc"_s, before));
    NpmrcBuilderDialog builder(m_server->status().url(), groups(), projects());
    builder.selectProject(m_projectId);
    builder.setFolderChooser([&folder] { return folder; });
    QSignalSpy written(&builder, &NpmrcBuilderDialog::written);
    builder.findChild<QPushButton *>(u"writeButton"_s)->click();
    auto *preview = builder.findChild<QDialog *>(u"npmrcPreview"_s);
    QVERIFY(preview);
    const QStringList shown =
        preview->findChild<QPlainTextEdit *>(u"previewText"_s)->toPlainText().split(u'\n');
    // Nothing is written before the user agrees.
    QCOMPARE(readFile(folder + u"/.npmrc"_s), before);
    // The preview marks each line: kept, the old registry line and its replacement, added.
    const QString registry = builder.snippets().registryUrl;
    const QString apiKey = nerfDart(m_server->status().url() + u"api/v4/"_s);
    const QStringList expected{
        u"  # ours"_s,
        u"  save-exact=true"_s,
        u"- @acme:registry=http://old.test/"_s,
        u"~ @acme:registry=%1"_s.arg(registry),
        u"  //old.test/:_authToken=${OLD}"_s,
    };
    QCOMPARE(shown.mid(0, expected.size()), expected);
    const QStringList rest = shown.mid(expected.size());
    QVERIFY(!rest.isEmpty());
    for (const QString &line : rest) {
        QVERIFY2(line.startsWith(u"+ "_s), qPrintable(line));
    }
    QVERIFY2(rest.contains(u"+ %1:_authToken=${NPM_TOKEN}"_s.arg(apiKey)),
             qPrintable(rest.join(u'\n')));
    const QString summary = preview->findChild<QLabel *>(u"previewSummary"_s)->text();
    QVERIFY2(summary.contains(u"%1 line(s) added"_s.arg(rest.size()))
                 || summary.contains(u"%1 lines added"_s.arg(rest.size())),
             qPrintable(summary));
    QVERIFY2(summary.contains(u"1 line"_s) && summary.contains(u"changed"_s), qPrintable(summary));
    QVERIFY2(summary.contains(u"3 line"_s) && summary.contains(u"kept"_s), qPrintable(summary));

    preview->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Save)->click();
    QCOMPARE(written.size(), 1);
    // The written file is the preview without its markers and the replaced line: every
    // unrelated line kept in place, the registry line changed, the credentials appended.
    QStringList file;
    for (const QString &line : shown) {
        if (!line.startsWith(u"- "_s)) {
            file.append(line.mid(2));
        }
    }
    const QString after = QString::fromUtf8(readFile(folder + u"/.npmrc"_s));
    QCOMPARE(after, file.join(u'\n') + u'\n');
    QVERIFY(after.startsWith(u"# ours\nsave-exact=true\n@acme:registry=%1\n"
                             "//old.test/:_authToken=${OLD}\n"_s.arg(registry)));
    QVERIFY(!after.contains(u"registry=http://old.test/"_s));
}

TokensDialog *tst_Connect::openTokens()
{
    m_window->openTokens();
    auto *dialog = m_window->findChild<TokensDialog *>(u"tokensDialog"_s);
    if (dialog) {
        QSignalSpy reloaded(dialog, &TokensDialog::reloaded);
        reloaded.wait(5000);
    }
    return dialog;
}

void tst_Connect::tokenCreatedShownOnceRevokedRefused()
{
    TokensDialog *dialog = openTokens();
    QVERIFY(dialog);
    auto *table = dialog->findChild<QTableView *>(u"tokenTable"_s);
    const int before = table->model()->rowCount();
    QSignalSpy created(dialog, &TokensDialog::tokenCreated);

    dialog->findChild<QPushButton *>(u"newPersonalButton"_s)->click();
    auto *form = dialog->findChild<QDialog *>(u"createTokenForm"_s);
    QVERIFY(form);
    form->findChild<QLineEdit *>(u"nameEdit"_s)->setText(u"made in the window"_s);
    QVERIFY(form->findChild<QCheckBox *>(u"api"_s)->isChecked());
    form->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok)->click();
    QVERIFY(created.wait(5000));
    const QString token = created.first().first().toString();
    QVERIFY(token.startsWith(u"tpat-"_s));
    auto *sheet = dialog->findChild<QDialog *>(u"newTokenSheet"_s);
    QVERIFY(sheet);
    QCOMPARE(sheet->findChild<QLineEdit *>(u"tokenField"_s)->text(), token);
    QTRY_COMPARE(table->model()->rowCount(), before + 1);
    // The list identifies tokens by name and prefix, never by the secret.
    for (int row = 0; row < table->model()->rowCount(); ++row) {
        for (int column = 0; column < table->model()->columnCount(); ++column) {
            QVERIFY(!table->model()->index(row, column).data().toString().contains(token));
        }
    }
    const QString named = table->model()->index(0, TokenTableModel::NameColumn).data().toString();
    QVERIFY2(named.startsWith(u"made in the window (tpat-"_s) && named.endsWith(u"…)"_s)
                 && token.startsWith(named.mid(20, named.size() - 22)),
             qPrintable(named));
    sheet->close();

    // The new token works with npm...
    const QString instance = m_server->status().url() + u"api/v4/packages/npm/"_s;
    const QString dir = m_work.filePath(u"whoami"_s);
    QVERIFY(writeFile(
        dir + u"/.npmrc"_s,
        u"registry=%1\n%2:_authToken=${NPM_TOKEN}\n"_s.arg(instance, nerfDart(instance)).toUtf8()));
    Run run = client(u"npm11"_s, {u"whoami"_s}, dir, u"NPM_TOKEN"_s, token);
    QVERIFY2(run.exitCode == 0, qPrintable(run.all()));
    QCOMPARE(run.out.trimmed(), u"mia"_s);
    QTRY_COMPARE(table->model()->index(0, TokenTableModel::LastUsedColumn).data().toString()
                     != u"never used"_s,
                 true);

    // ...until it is revoked in the window: refused at the next request.
    table->selectRow(0);
    QSignalSpy changed(dialog, &TokensDialog::changeFinished);
    dialog->findChild<QPushButton *>(u"revokeButton"_s)->click();
    QVERIFY(changed.wait(5000));
    QVERIFY(changed.first().first().toBool());
    run = client(u"npm11"_s, {u"whoami"_s}, dir, u"NPM_TOKEN"_s, token);
    QVERIFY2(run.exitCode != 0, qPrintable(run.all()));
    QVERIFY2(run.all().contains(u"401"_s), qPrintable(run.all()));
    QTRY_COMPARE(table->model()->index(0, TokenTableModel::StateColumn).data().toString(),
                 u"revoked"_s);
}

void tst_Connect::finishedJobRefused()
{
    TokensDialog *dialog = openTokens();
    QVERIFY(dialog);
    QSignalSpy created(dialog, &TokensDialog::tokenCreated);
    dialog->openCreateForm(TokenKind::Job);
    auto *form = dialog->findChild<QDialog *>(u"createTokenForm"_s);
    QVERIFY(form);
    form->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok)->click();
    QVERIFY(created.wait(5000));
    const QString token = created.first().first().toString();
    QVERIFY(token.startsWith(u"tjob-"_s));

    const QString project =
        m_server->status().url() + u"api/v4/projects/%1/packages/npm/"_s.arg(m_projectId);
    const QString dir = m_work.filePath(u"job"_s);
    QVERIFY(writeFile(dir + u"/package.json"_s, R"({"name":"c","version":"1.0.0"})"));
    QVERIFY(writeFile(
        dir + u"/.npmrc"_s,
        u"@acme:registry=%1\n%2:_authToken=${CI_JOB_TOKEN}\n"_s.arg(project, nerfDart(project))
            .toUtf8()));
    Run run = client(
        u"npm11"_s, {u"view"_s, u"@acme/widget"_s, u"version"_s}, dir, u"CI_JOB_TOKEN"_s, token);
    QVERIFY2(run.exitCode == 0, qPrintable(run.all()));
    QCOMPARE(run.out.trimmed(), u"1.0.0"_s);

    auto *table = dialog->findChild<QTableView *>(u"tokenTable"_s);
    QTRY_VERIFY(table->model()->index(0, TokenTableModel::StateColumn).data().toString()
                == u"job running"_s);
    table->selectRow(0);
    auto *finish = dialog->findChild<QPushButton *>(u"revokeButton"_s);
    QCOMPARE(finish->text(), u"&Finish Job"_s);
    QSignalSpy changed(dialog, &TokensDialog::changeFinished);
    finish->click();
    QVERIFY(changed.wait(5000));
    run = client(u"npm11"_s,
                 {u"view"_s, u"@acme/widget"_s, u"version"_s, u"--prefer-online"_s},
                 dir,
                 u"CI_JOB_TOKEN"_s,
                 token);
    QVERIFY2(run.exitCode != 0, qPrintable(run.all()));
    QVERIFY2(run.all().contains(u"401"_s), qPrintable(run.all()));
}

namespace {

struct TlsFiles
{
    QString certificate;
    QString key;
};

// A self-signed pair in `folder`, as Registry Settings creates it.
TlsFiles makeTlsFiles(const QString &folder)
{
    const Result<Tls::CertificateFiles> files = Tls::writeSelfSigned(folder, {u"127.0.0.1"_s});
    return files ? TlsFiles{files->certificateFile, files->keyFile} : TlsFiles{};
}

} // namespace

void tst_Connect::settingsCheckTlsFilesAtTheirFields_data()
{
    QTest::addColumn<QString>("certificate"); // "good", "other", "garbage", "missing" or ""
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("certificateError"); // a part of the message under the field
    QTest::addColumn<QString>("keyError");
    QTest::addRow("no TLS") << QString() << QString() << QString() << QString();
    QTest::addRow("a matching pair") << u"good"_s << u"good"_s << QString() << QString();
    QTest::addRow("the key of another certificate")
        << u"good"_s << u"other"_s << QString() << u"is not the private key of"_s;
    QTest::addRow("a certificate that is no PEM")
        << u"garbage"_s << u"good"_s << u"holds no PEM certificate"_s << QString();
    QTest::addRow("a key that is no PEM")
        << u"good"_s << u"garbage"_s << QString() << u"no unencrypted private key"_s;
    QTest::addRow("a missing certificate file")
        << u"missing"_s << u"good"_s << u"Cannot read"_s << QString();
    QTest::addRow("a certificate without its key")
        << u"good"_s << QString() << QString() << u"Choose the private key"_s;
    QTest::addRow("a key without its certificate")
        << QString() << u"good"_s << u"Choose the certificate"_s << QString();
}

void tst_Connect::settingsCheckTlsFilesAtTheirFields()
{
    QFETCH(QString, certificate);
    QFETCH(QString, key);
    QFETCH(QString, certificateError);
    QFETCH(QString, keyError);
    QTemporaryDir dir;
    const TlsFiles good = makeTlsFiles(dir.filePath(u"good"_s));
    const TlsFiles other = makeTlsFiles(dir.filePath(u"other"_s));
    QVERIFY(!good.certificate.isEmpty() && !other.key.isEmpty());
    const QString garbage = dir.filePath(u"garbage.pem"_s);
    QVERIFY(writeFile(garbage, "not a PEM file\n"));
    const auto path = [&](const QString &which, bool isKey) {
        return which == u"good"_s   ? (isKey ? good.key : good.certificate)
            : which == u"other"_s   ? (isKey ? other.key : other.certificate)
            : which == u"garbage"_s ? garbage
            : which == u"missing"_s ? dir.filePath(u"missing.pem"_s)
                                    : QString();
    };

    RegistrySettingsDialog dialog(RegistrySettingsDialog::Values{});
    // Chosen through the Browse… buttons, as a user does.
    QString next;
    dialog.setFileChooser([&next](const QString &, const QString &) { return next; });
    next = path(certificate, false);
    dialog.findChild<QPushButton *>(u"browseCertificateButton"_s)->click();
    next = path(key, true);
    dialog.findChild<QPushButton *>(u"browseKeyButton"_s)->click();
    dialog.show();

    const auto *certificateLabel = dialog.findChild<QLabel *>(u"certificateError"_s);
    const auto *keyLabel = dialog.findChild<QLabel *>(u"keyError"_s);
    QCOMPARE(certificateLabel->isVisible(), !certificateError.isEmpty());
    QCOMPARE(keyLabel->isVisible(), !keyError.isEmpty());
    if (!certificateError.isEmpty()) {
        QVERIFY2(certificateLabel->text().contains(certificateError),
                 qPrintable(certificateLabel->text()));
    }
    if (!keyError.isEmpty()) {
        QVERIFY2(keyLabel->text().contains(keyError), qPrintable(keyLabel->text()));
    }
    const bool valid = certificateError.isEmpty() && keyError.isEmpty();
    QCOMPARE(dialog.findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Save)->isEnabled(),
             valid);
    // The fingerprint shows for any readable certificate; the cafile line only for a valid pair.
    const auto *fingerprint = dialog.findChild<QLabel *>(u"fingerprintLabel"_s);
    QCOMPARE(fingerprint->isVisible(), certificate == u"good"_s);
    const auto *cafile = dialog.findChild<QLineEdit *>(u"cafileLine"_s);
    QCOMPARE(cafile->text(),
             valid && certificate == u"good"_s ? u"cafile="_s + good.certificate : QString());
    QCOMPARE(dialog.values().tlsEnabled(), !certificate.isEmpty() && !key.isEmpty());
}

void tst_Connect::settingsCreateSelfSignedCertificate()
{
    QTemporaryDir dir;
    const QString folder = dir.filePath(u"appdata"_s);
    RegistrySettingsDialog dialog(RegistrySettingsDialog::Values{});
    dialog.setCertificateFolder(folder);
    dialog.show();
    auto *save = dialog.findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Save);
    auto *copy = dialog.findChild<QPushButton *>(u"copyCafileButton"_s);
    QVERIFY(!copy->isEnabled());

    dialog.findChild<QPushButton *>(u"createCertificateButton"_s)->click();
    const QString certificate = folder + u"/cert.pem"_s;
    const QString key = folder + u"/key.pem"_s;
    QCOMPARE(dialog.findChild<QLineEdit *>(u"certificateEdit"_s)->text(),
             QDir::toNativeSeparators(certificate));
    QCOMPARE(dialog.findChild<QLineEdit *>(u"keyEdit"_s)->text(), QDir::toNativeSeparators(key));
    QCOMPARE(QFile::permissions(key),
             QFile::ReadOwner | QFile::WriteOwner | QFile::ReadUser | QFile::WriteUser);
    QVERIFY(save->isEnabled());
    QVERIFY(!dialog.findChild<QLabel *>(u"certificateError"_s)->isVisible());
    QVERIFY(!dialog.findChild<QLabel *>(u"keyError"_s)->isVisible());

    // The fingerprint shown is the file's; the line to copy names the file.
    const Result<Tls::CertificateInfo> info = Tls::checkCertificateFile(certificate);
    QVERIFY_RESULT(info);
    const auto *fingerprint = dialog.findChild<QLabel *>(u"fingerprintLabel"_s);
    QVERIFY(fingerprint->isVisible());
    QVERIFY2(fingerprint->text().replace(u'\n', u':').contains(info->sha256Fingerprint),
             qPrintable(fingerprint->text()));
    // Every address of the machine is in it, loopback included.
    for (const QString &address : RegistrySettingsDialog::machineAddresses()) {
        if (!address.contains(u':')) { // IPv6 forms differ in their text; IPv4 does not
            QVERIFY2(info->ipAddresses.contains(address), qPrintable(address));
        }
    }
    QCOMPARE(dialog.findChild<QLineEdit *>(u"cafileLine"_s)->text(), u"cafile="_s + certificate);
    QVERIFY(copy->isEnabled());
    copy->click();
    QCOMPARE(QGuiApplication::clipboard()->text(), u"cafile="_s + certificate);

    const RegistrySettingsDialog::Values values = dialog.values();
    QCOMPARE(values.certificateFile, certificate);
    QCOMPARE(values.keyFile, key);
    QCOMPARE(values.clientCaFile(), certificate);
}

void tst_Connect::settingsWarnAboutPlainHttpOnTheNetwork()
{
    QTemporaryDir dir;
    const TlsFiles files = makeTlsFiles(dir.path());
    RegistrySettingsDialog dialog(RegistrySettingsDialog::Values{});
    dialog.show();
    auto *all = dialog.findChild<QCheckBox *>(u"allAddressesCheck"_s);
    const auto *warning = dialog.findChild<QLabel *>(u"lanWarning"_s);
    QVERIFY(!warning->isVisible()); // loopback only
    all->setChecked(true);
    QVERIFY(warning->isVisible());
    QVERIFY2(warning->text().contains(u"plain HTTP"_s), qPrintable(warning->text()));
    dialog.findChild<QLineEdit *>(u"certificateEdit"_s)->setText(files.certificate);
    QVERIFY(warning->text().contains(u"plain HTTP"_s)); // not yet: the key is missing
    dialog.findChild<QLineEdit *>(u"keyEdit"_s)->setText(files.key);
    QVERIFY(warning->isVisible());
    QVERIFY2(!warning->text().contains(u"plain HTTP"_s), qPrintable(warning->text()));
    all->setChecked(false);
    QVERIFY(!warning->isVisible());
}

void tst_Connect::builderOverTlsInstalls()
{
    QTemporaryDir dir;
    const TlsFiles files = makeTlsFiles(dir.path());
    QVERIFY(!files.certificate.isEmpty());
    RegistrySettingsDialog::Values settings = RegistrySettingsDialog::load();
    const RegistrySettingsDialog::Values before = settings;
    settings.certificateFile = files.certificate;
    settings.keyFile = files.key;
    RegistrySettingsDialog::save(settings);
    const auto restore = qScopeGuard([&before] { RegistrySettingsDialog::save(before); });

    // A second embedded registry on the same store, with the settings' certificate.
    Http::ServerConfig config;
    config.address = QHostAddress(QHostAddress::LocalHost);
    config.port = 0;
    const Result<QSslConfiguration> tls = Http::HttpServer::loadTls(files.certificate, files.key);
    QVERIFY_RESULT(tls);
    config.tls = *tls;
    Http::EmbeddedServer server(m_fixture.registry());
    server.start(config);
    QTRY_COMPARE(server.status().state, ServerStatus::State::Running);

    // The window knows the listening address; the builder takes https and the cafile from the
    // settings.
    NpmrcBuilderDialog builder(server.status().url(), groups(), projects());
    builder.selectProject(m_projectId);
    const NpmrcSnippets &out = builder.snippets();
    QVERIFY2(out.registryUrl.startsWith(u"https://127.0.0.1:"_s), qPrintable(out.registryUrl));
    QVERIFY2(out.npmrc.contains(u"\ncafile="_s + files.certificate + u'\n'), qPrintable(out.npmrc));
    QVERIFY(out.yarnBerry.contains(u"httpsCaFilePath: \"%1\""_s.arg(files.certificate)));
    QVERIFY(!out.npmrc.contains(u"strict-ssl"_s));
    QVERIFY2(builder.findChild<QLabel *>(u"warningsLabel"_s)->text().contains(files.certificate),
             qPrintable(builder.findChild<QLabel *>(u"warningsLabel"_s)->text()));

    const QString consumer = m_work.filePath(u"consumer-tls"_s);
    QVERIFY(writeFile(consumer + u"/package.json"_s,
                      R"({"name":"consumer","version":"1.0.0","private":true})"));
    QVERIFY(writeFile(consumer + u"/.npmrc"_s, out.npmrc.toUtf8()));
    const Run run = client(u"npm11"_s,
                           {u"install"_s, u"@acme/widget@^1.0.0"_s},
                           consumer,
                           out.tokenVariable,
                           m_personalToken);
    QVERIFY2(run.exitCode == 0, qPrintable(run.all()));
    const QJsonObject installed =
        QJsonDocument::fromJson(readFile(consumer + u"/node_modules/@acme/widget/package.json"_s))
            .object();
    QCOMPARE(installed.value(u"version"_s).toString(), u"1.0.0"_s);
    server.stop();
}

QTEST_MAIN(tst_Connect)
#include "tst_connect.moc"
