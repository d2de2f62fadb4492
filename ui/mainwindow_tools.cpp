// SPDX-License-Identifier: GPL-3.0-or-later
// The tool windows and sheets the menus open: tokens, users, forwarding, Connect a Client,
// registry settings and the busy port's question, the first-run sheet, help and about.
#include "ui/mainwindow.h"

#include "model/itemmodels/namespacetreemodel.h"
#include "model/itemmodels/packagetablemodel.h"
#include "model/registry.h"
#include "ui/aboutdialog.h"
#include "ui/forwardingdialog.h"
#include "ui/gettingstarted.h"
#include "ui/namespacepane.h"
#include "ui/npmrcbuilderdialog.h"
#include "ui/registrysettingsdialog.h"
#include "ui/setupsheet.h"
#include "ui/tokensdialog.h"
#include "ui/usersdialog.h"

#include <QDir>
#include <QMessageBox>
#include <QPointer>
#include <QPushButton>
#include <QStatusBar>
#include <QTableView>

using namespace Qt::StringLiterals;
using namespace Trove;

namespace {

using NodeKind = NamespaceTreeModel::Kind;

} // namespace

void MainWindow::openGettingStarted()
{
    // One at a time: a second F1 brings the open one forward.
    if (auto *open = findChild<GettingStartedDialog *>()) {
        open->raise();
        open->activateWindow();
        return;
    }
    auto *dialog = new GettingStartedDialog(this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->show();
}

void MainWindow::openAbout()
{
    auto *dialog = new AboutDialog(m_dataFolder, m_serverStatus, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->open();
}

namespace {

// The tool windows are one of a kind: the open one is raised instead of a second made. `make`
// builds it (deleted on close); its changeFinished() messages go to the status bar. Returns the
// new dialog, or nullptr when one was open.
template<typename Dialog, typename Make>
Dialog *raiseOrOpen(MainWindow *window, const QString &objectName, Make make)
{
    if (auto *open = window->findChild<Dialog *>(objectName)) {
        open->raise();
        open->activateWindow();
        return nullptr;
    }
    Dialog *dialog = make();
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    QObject::connect(
        dialog, &Dialog::changeFinished, window, [window](bool, const QString &message) {
            window->statusBar()->showMessage(message, 5000);
        });
    dialog->show();
    return dialog;
}

} // namespace

void MainWindow::openTokens()
{
    raiseOrOpen<TokensDialog>(
        this, u"tokensDialog"_s, [this] { return new TokensDialog(m_registry, this); });
}

void MainWindow::openUsers()
{
    raiseOrOpen<UsersDialog>(
        this, u"usersDialog"_s, [this] { return new UsersDialog(m_registry, this); });
}

void MainWindow::openForwarding()
{
    const QPointer<PackageTableModel> packages = m_packages;
    auto *dialog = raiseOrOpen<ForwardingDialog>(this, u"forwardingDialog"_s, [this, packages] {
        return new ForwardingDialog(
            m_registry,
            [packages](qint64 projectId) {
                QStringList names;
                for (int row = 0; packages && row < packages->rowCount(); ++row) {
                    if (packages->packageAt(row).projectId == projectId) {
                        names.append(packages->packageAt(row).name);
                    }
                }
                return names;
            },
            this);
    });
    if (dialog) {
        // The tree's forwarding column and the status bar follow the settings.
        connect(dialog, &ForwardingDialog::changeFinished, this, &MainWindow::reload);
    }
}

void MainWindow::openNpmrcBuilder(qint64 projectId)
{
    if (auto *open = findChild<NpmrcBuilderDialog *>(u"npmrcBuilder"_s)) {
        open->raise();
        open->activateWindow();
        return;
    }
    QList<NpmrcBuilderDialog::Namespace> groups;
    for (const Group &group : std::as_const(m_groupList)) {
        groups.append({group.id, group.fullPath});
    }
    std::sort(groups.begin(), groups.end(), [](const auto &a, const auto &b) {
        return a.fullPath < b.fullPath;
    });
    QList<NpmrcBuilderDialog::Namespace> projects;
    for (const Project &project : std::as_const(m_projectList)) {
        projects.append({project.id, project.fullPath});
    }
    std::sort(projects.begin(), projects.end(), [](const auto &a, const auto &b) {
        return a.fullPath < b.fullPath;
    });
    // The address clients reach: the running registry's, else where it would listen.
    const QString origin = m_serverStatus.state == ServerStatus::State::Running
        ? m_serverStatus.url()
        : u"http://127.0.0.1:%1/"_s.arg(RegistrySettingsDialog::load().port);
    auto *dialog = new NpmrcBuilderDialog(origin, groups, projects, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    if (projectId <= 0) {
        projectId = m_table->currentIndex().data(PackageTableModel::ProjectIdRole).toLongLong();
    }
    if (projectId > 0) {
        dialog->selectProject(projectId);
    }
    connect(dialog, &NpmrcBuilderDialog::written, this, [this](const QString &path) {
        statusBar()->showMessage(tr("Wrote %1").arg(QDir::toNativeSeparators(path)), 5000);
    });
    dialog->show();
}

void MainWindow::openRegistrySettings()
{
    openRegistrySettingsWithPort(0);
}

void MainWindow::openRegistrySettingsWithPort(quint16 suggestedPort)
{
    auto *dialog = new RegistrySettingsDialog(RegistrySettingsDialog::load(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->showPortInForce(m_serverStatus, m_commandLineListen);
    if (suggestedPort != 0) {
        dialog->suggestPort(suggestedPort);
    }
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        RegistrySettingsDialog::save(dialog->values());
        // app/ restarts the registry from the settings, --listen or not.
        m_commandLineListen.clear();
        emit registrySettingsChanged();
    });
    dialog->open();
}

void MainWindow::showPortInUse(quint16 port, const QString &holder)
{
    // One question at a time: a later refusal replaces the box of an earlier one.
    if (auto *earlier = findChild<QMessageBox *>(u"portInUseBox"_s)) {
        earlier->setObjectName(QString());
        earlier->close();
    }
    auto *box = new QMessageBox(
        QMessageBox::Warning,
        tr("Port %1 Is in Use").arg(port),
        holder.isEmpty()
            ? tr("The registry cannot listen on port %1: another program uses it.").arg(port)
            : tr("The registry cannot listen on port %1: %2 uses it.").arg(port).arg(holder),
        QMessageBox::NoButton,
        this);
    box->setObjectName(u"portInUseBox"_s);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setInformativeText(
        tr("Retry once it is free, or use another port. The .npmrc files written earlier point at "
           "port %1: with another port, write them again (Tools ▸ Connect a Client).\n\nCancel "
           "leaves the registry stopped; Registry ▸ Start Registry tries again.")
            .arg(port));
    QPushButton *retry = box->addButton(tr("&Retry"), QMessageBox::AcceptRole);
    retry->setObjectName(u"retryButton"_s);
    QPushButton *another = box->addButton(tr("Use &Another Port…"), QMessageBox::ActionRole);
    another->setObjectName(u"anotherPortButton"_s);
    box->addButton(QMessageBox::Cancel)->setObjectName(u"cancelButton"_s);
    box->setDefaultButton(retry);
    connect(box,
            &QMessageBox::buttonClicked,
            this,
            [this, retry, another, port](QAbstractButton *button) {
                if (button == retry) {
                    emit startRegistryRequested();
                } else if (button == another) {
                    openRegistrySettingsWithPort(RegistrySettingsDialog::freePortAfter(
                        port, RegistrySettingsDialog::load().listenOnAllAddresses));
                }
            });
    box->open();
}

void MainWindow::openSetupSheet()
{
    if (auto *open = findChild<SetupSheet *>()) {
        open->raise();
        open->activateWindow();
        return;
    }
    auto *sheet = new SetupSheet(m_registry, this);
    sheet->setAttribute(Qt::WA_DeleteOnClose);
    connect(sheet, &SetupSheet::setUp, this, [this](const Group &group, const Project &project) {
        // The builder lists what the window knows, and the reload the writes caused may not
        // have arrived yet.
        if (std::none_of(m_groupList.cbegin(), m_groupList.cend(), [&](const Group &known) {
                return known.id == group.id;
            })) {
            m_groupList.append(group);
        }
        if (std::none_of(m_projectList.cbegin(), m_projectList.cend(), [&](const Project &known) {
                return known.id == project.id;
            })) {
            m_projectList.append(project);
        }
        updateWelcome();
        // Then the new project is selected: its empty list shows how to publish to it. The
        // namespaces are applied before the packages (one worker, in order).
        const qint64 projectId = project.id;
        connect(
            this,
            &MainWindow::packagesLoaded,
            this,
            [this, projectId] { m_namespaceTree->selectNode(NodeKind::Project, projectId); },
            Qt::SingleShotConnection);
        reload();
        statusBar()->showMessage(
            tr("Set up %1 with the project %2.").arg(u'@' + group.fullPath, project.fullPath),
            5000);
        openNpmrcBuilder(project.id);
        if (auto *builder = findChild<NpmrcBuilderDialog *>(u"npmrcBuilder"_s)) {
            builder->setLevel(NpmrcRequest::Level::Project);
            builder->setTokenKind(NpmrcRequest::TokenKind::Personal);
        }
    });
    sheet->open();
}
