// SPDX-License-Identifier: GPL-3.0-or-later
// The groups/projects tree: loading it, its context menu (new, rename, visibility, delete,
// settings) and what selecting a row filters.
#include "ui/mainwindow.h"

#include "model/itemmodels/namespacetreemodel.h"
#include "model/itemmodels/packagetablemodel.h"
#include "model/registry.h"
#include "ui/async.h"
#include "ui/deletedialogs.h"
#include "ui/namespacepane.h"
#include "ui/packagefilterproxymodel.h"
#include "ui/projectsettingsdialog.h"
#include "ui/uilogging.h"

#include <QAction>
#include <QActionGroup>
#include <QLabel>
#include <QMenu>
#include <QStatusBar>

using namespace Qt::StringLiterals;
using namespace Trove;

namespace {

using NodeKind = NamespaceTreeModel::Kind;

} // namespace

void MainWindow::reloadNamespaces()
{
    Database *database = &m_registry.database();
    Ui::runAsync(
        this,
        &m_pool,
        [database] { return NamespaceTreeModel::load(*database); },
        [this](const Result<NamespaceTreeModel::Snapshot> &namespaces) {
            if (!namespaces) {
                qCWarning(lcUi) << "Cannot load groups and projects:" << namespaces.error().message;
                return;
            }
            m_groupList = namespaces->groups;
            m_projectList = namespaces->projects;
            updateWelcome();
            m_namespaceTree->setSnapshot(*namespaces);
            updateForwardingStatus();
            applyNamespaceSelection();
        });
}

void MainWindow::fillNamespaceMenu(QMenu *menu)
{
    const NamespacePane::Node node = m_namespaceTree->currentNode();
    const NodeKind kind = node.kind;
    const QString path = node.path;
    const qint64 id = node.id;
    const Visibility visibility = node.visibility;
    Registry *registry = &m_registry;

    // Asks for one path segment (non-blocking); the dialog checks it as it is typed, runs `apply`
    // off the GUI thread and stays open with the store's reason when the write is refused.
    const auto ask = [this](NameInputDialog::Kind nameKind,
                            const QString &title,
                            const QString &label,
                            const QString &text,
                            std::function<Result<void>(const QString &)> apply,
                            const QString &done) {
        openNameDialog(nameKind, title, label, text, std::move(apply), done);
    };

    if (kind == NodeKind::All || kind == NodeKind::Group) {
        QAction *group =
            menu->addAction(kind == NodeKind::All ? tr("New &Group…") : tr("New &Subgroup…"));
        group->setObjectName(u"newGroupAction"_s);
        connect(group, &QAction::triggered, this, [=] {
            ask(
                kind == NodeKind::All ? NameInputDialog::Kind::TopLevelGroup
                                      : NameInputDialog::Kind::Subgroup,
                tr("New Group"),
                kind == NodeKind::All ? tr("Path of the top-level group (also the npm scope):")
                                      : tr("Path of the subgroup in %1:").arg(path),
                QString(),
                [registry, path, visibility, kind](const QString &segment) -> Result<void> {
                    const QString full = kind == NodeKind::All ? segment : path + u'/' + segment;
                    const Result<Group> created = registry->namespaces().createGroup(
                        full, kind == NodeKind::All ? Visibility::Private : visibility);
                    if (!created) {
                        return created.error();
                    }
                    return {};
                },
                tr("Created the group %1."));
        });
    }
    if (kind == NodeKind::Group) {
        QAction *project = menu->addAction(tr("New &Project…"));
        project->setObjectName(u"newProjectAction"_s);
        connect(project, &QAction::triggered, this, [=] {
            ask(
                NameInputDialog::Kind::Project,
                tr("New Project"),
                tr("Path of the project in %1:").arg(path),
                QString(),
                [registry, path, visibility](const QString &segment) -> Result<void> {
                    const Result<Project> created =
                        registry->namespaces().createProject(path + u'/' + segment, visibility);
                    if (!created) {
                        return created.error();
                    }
                    return {};
                },
                tr("Created the project %1."));
        });
    }
    if (kind == NodeKind::All) {
        return;
    }
    QAction *rename = menu->addAction(tr("&Rename…"));
    rename->setObjectName(u"renameAction"_s);
    connect(rename, &QAction::triggered, this, [=] {
        ask(
            NameInputDialog::Kind::Rename,
            tr("Rename %1").arg(path),
            tr("New path (the URLs of what is inside change with it):"),
            path.section(u'/', -1),
            [registry, kind, id](const QString &segment) {
                return kind == NodeKind::Group ? registry->namespaces().renameGroup(id, segment)
                                               : registry->namespaces().renameProject(id, segment);
            },
            tr("Renamed to %1."));
    });
    QMenu *visibilityMenu = menu->addMenu(tr("&Visibility"));
    visibilityMenu->setObjectName(u"visibilityMenu"_s);
    visibilityMenu->setToolTipsVisible(true);
    // One of three (radio items); a choice GitLab's order refuses is disabled, saying why: a
    // group or project is at most as visible as its group, a group at least as visible as what
    // it holds.
    auto *visibilityChoices = new QActionGroup(visibilityMenu);
    visibilityChoices->setExclusive(true);
    const auto refusal = [this, kind, id](Visibility choice) -> QString {
        const qint64 parentId = [&] {
            for (const Group &group : std::as_const(m_groupList)) {
                if (kind == NodeKind::Group && group.id == id) {
                    return group.parentId;
                }
            }
            for (const Project &project : std::as_const(m_projectList)) {
                if (kind == NodeKind::Project && project.id == id) {
                    return project.namespaceId;
                }
            }
            return qint64(0);
        }();
        for (const Group &group : std::as_const(m_groupList)) {
            if (group.id == parentId && int(choice) > int(group.visibility)) {
                return tr("Its group %1 is %2.")
                    .arg(group.fullPath, visibilityName(group.visibility));
            }
            if (kind == NodeKind::Group && group.parentId == id
                && int(group.visibility) > int(choice)) {
                return tr("Subgroup %1 is %2: make it less visible first.")
                    .arg(group.fullPath, visibilityName(group.visibility));
            }
        }
        for (const Project &project : std::as_const(m_projectList)) {
            if (kind == NodeKind::Group && project.namespaceId == id
                && int(project.visibility) > int(choice)) {
                return tr("Project %1 is %2: make it less visible first.")
                    .arg(project.fullPath, visibilityName(project.visibility));
            }
        }
        return {};
    };
    for (const Visibility choice :
         {Visibility::Private, Visibility::Internal, Visibility::Public}) {
        QAction *action = visibilityMenu->addAction(visibilityName(choice));
        action->setObjectName(u"visibility:"_s + visibilityName(choice));
        action->setCheckable(true);
        action->setChecked(choice == visibility);
        visibilityChoices->addAction(action);
        if (const QString reason = refusal(choice); !reason.isEmpty() && choice != visibility) {
            action->setEnabled(false);
            action->setToolTip(reason);
        }
        connect(action, &QAction::triggered, this, [=, this] {
            runWrite(tr("%1 is now %2.").arg(path, visibilityName(choice)),
                     [registry, kind, id, choice] {
                         return kind == NodeKind::Group
                             ? registry->namespaces().setGroupVisibility(id, choice)
                             : registry->namespaces().setProjectVisibility(id, choice);
                     });
        });
    }
    menu->addSeparator();
    if (kind == NodeKind::Project) {
        QAction *settings = menu->addAction(tr("&Settings…"));
        settings->setObjectName(u"projectSettingsAction"_s);
        connect(settings, &QAction::triggered, this, [this, id] { openProjectSettings(id); });
        QAction *remove = menu->addAction(tr("&Delete Project…"));
        remove->setObjectName(u"deleteProjectAction"_s);
        connect(remove, &QAction::triggered, this, [this, id] { deleteProject(id); });
    } else {
        QAction *remove = menu->addAction(tr("&Delete Group…"));
        remove->setObjectName(u"deleteGroupAction"_s);
        connect(remove, &QAction::triggered, this, [this, id] { deleteGroup(id); });
    }
}

void MainWindow::openNameDialog(NameInputDialog::Kind kind,
                                const QString &title,
                                const QString &label,
                                const QString &text,
                                std::function<Result<void>(const QString &)> write,
                                const QString &done)
{
    auto *input = new NameInputDialog(kind, title, label, text, this);
    input->setAttribute(Qt::WA_DeleteOnClose);
    input->setWrite(std::move(write));
    // The refusal stays in the dialog with the input; the status bar only notes what was done.
    connect(input,
            &NameInputDialog::writeFinished,
            this,
            [this, done](bool ok, const QString &valueOrError) {
                const QString message =
                    ok ? done.arg(valueOrError) : tr("Not done: %1").arg(valueOrError);
                if (ok) {
                    statusBar()->showMessage(message, 5000);
                }
                emit writeFinished(ok, message);
            });
    input->open();
}

void MainWindow::triggerNamespaceAction(const QString &name)
{
    // The menu bar offers what the tree's context menu offers for the current tree item.
    QMenu menu;
    fillNamespaceMenu(&menu);
    for (QAction *action : menu.findChildren<QAction *>()) {
        if (action->objectName() == name) {
            action->trigger();
            return;
        }
    }
}

void MainWindow::applyNamespaceSelection()
{
    m_proxy->setProjectFilter(m_namespaceTree->currentProjects());
    updateForwardingStatus();
    updateCountLabel();
    updateActions();
}

void MainWindow::deleteProject(qint64 projectId)
{
    const auto found = std::find_if(m_projectList.cbegin(),
                                    m_projectList.cend(),
                                    [projectId](const Project &p) { return p.id == projectId; });
    if (found == m_projectList.cend()) {
        return;
    }
    const Project project = *found;
    QList<PackageSummary> packages;
    for (int row = 0; row < m_packages->rowCount(); ++row) {
        if (m_packages->packageAt(row).projectId == projectId) {
            packages.append(m_packages->packageAt(row));
        }
    }
    auto *dialog = new DeleteDialog(
        tr("Delete Project"),
        packages.isEmpty() ? tr("Delete the project %1?").arg(project.fullPath)
                           : tr("Delete the project %1 and its packages?").arg(project.fullPath),
        tr("Delete Project"),
        this);
    dialog->setObjectName(u"deleteProjectDialog"_s);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setImpact(DeleteDialog::projectImpact(project.fullPath, packages));
    Registry *registry = &m_registry;
    dialog->setWrite(
        [registry, project]() -> Result<QString> {
            const Result<NamespaceService::Deleted> deleted =
                registry->namespaces().deleteProject(project.id, registry->blobs());
            if (!deleted) {
                return deleted.error();
            }
            return MainWindow::tr("Deleted the project %1 (%n package version(s)).",
                                  nullptr,
                                  deleted->versions)
                .arg(project.fullPath);
        },
        &m_pool);
    openDeleteDialog(dialog);
}

void MainWindow::openDeleteDialog(DeleteDialog *dialog)
{
    connect(dialog, &DeleteDialog::writeFinished, this, [this](bool ok, const QString &message) {
        if (ok) {
            statusBar()->showMessage(message, 5000);
        }
        emit writeFinished(ok, ok ? message : tr("Not done: %1").arg(message));
    });
    dialog->open();
}

void MainWindow::deleteGroup(qint64 groupId)
{
    const auto found = std::find_if(m_groupList.cbegin(),
                                    m_groupList.cend(),
                                    [groupId](const Group &g) { return g.id == groupId; });
    if (found == m_groupList.cend()) {
        return;
    }
    const Group group = *found;
    const QString prefix = group.fullPath + u'/';
    QStringList subgroups;
    for (const Group &other : std::as_const(m_groupList)) {
        if (other.fullPath.startsWith(prefix)) {
            subgroups.append(other.fullPath);
        }
    }
    QStringList projects;
    for (const Project &project : std::as_const(m_projectList)) {
        if (project.fullPath.startsWith(prefix)) {
            projects.append(project.fullPath);
        }
    }
    subgroups.sort();
    projects.sort();
    QList<PackageSummary> packages;
    for (int row = 0; row < m_packages->rowCount(); ++row) {
        if (m_packages->packageAt(row).projectPath.startsWith(prefix)) {
            packages.append(m_packages->packageAt(row));
        }
    }
    std::sort(packages.begin(), packages.end(), [](const auto &a, const auto &b) {
        return a.projectPath != b.projectPath ? a.projectPath < b.projectPath : a.name < b.name;
    });
    const bool empty = subgroups.isEmpty() && projects.isEmpty();
    auto *dialog = new DeleteDialog(
        tr("Delete Group"),
        empty ? tr("Delete the empty group %1?").arg(group.fullPath)
              : tr("Delete the group %1 and everything in it?").arg(group.fullPath),
        tr("Delete Group"),
        this);
    dialog->setObjectName(u"deleteGroupDialog"_s);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setImpact(DeleteDialog::groupImpact(group.fullPath, subgroups, projects, packages));
    if (!empty) {
        // GitLab's safeguard for a group with something in it.
        dialog->requireTypedConfirmation(group.fullPath);
    }
    Registry *registry = &m_registry;
    dialog->setWrite(
        [registry, group, empty]() -> Result<QString> {
            // Not recursive for a group that looked empty: whatever arrived since is refused.
            const Result<NamespaceService::Deleted> deleted =
                registry->namespaces().deleteGroup(group.id, !empty, registry->blobs());
            if (!deleted) {
                return deleted.error();
            }
            return MainWindow::tr("Deleted the group %1.").arg(group.fullPath);
        },
        &m_pool);
    openDeleteDialog(dialog);
}

void MainWindow::openProjectSettings(qint64 projectId)
{
    const auto found = std::find_if(m_projectList.cbegin(),
                                    m_projectList.cend(),
                                    [projectId](const Project &p) { return p.id == projectId; });
    if (found == m_projectList.cend()) {
        return;
    }
    qint64 versions = 0;
    for (int row = 0; row < m_packages->rowCount(); ++row) {
        if (m_packages->packageAt(row).projectId == projectId) {
            versions += m_packages->packageAt(row).versionCount;
        }
    }
    auto *dialog = new ProjectSettingsDialog(*found, versions, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    Registry *registry = &m_registry;
    dialog->setWrite(
        [registry](qint64 id,
                   std::optional<bool> packages,
                   std::optional<Visibility> visibility) -> Result<void> {
            // Visibility first: when the group refuses it, nothing has changed.
            if (visibility) {
                if (const Result<void> set =
                        registry->namespaces().setProjectVisibility(id, *visibility);
                    !set) {
                    return set;
                }
            }
            if (packages) {
                return registry->namespaces().setPackagesEnabled(id, *packages);
            }
            return {};
        },
        &m_pool);
    connect(dialog,
            &ProjectSettingsDialog::writeFinished,
            this,
            [this](bool ok, const QString &message) {
                if (ok) {
                    statusBar()->showMessage(message, 5000);
                }
                emit writeFinished(ok, ok ? message : tr("Not done: %1").arg(message));
            });
    dialog->open();
}

void MainWindow::updateForwardingStatus()
{
    const QModelIndex current = m_namespaceTree->currentIndex();
    using Mode = NamespaceTreeModel::ForwardingMode;
    const NamespaceTreeModel::Snapshot &snapshot = m_namespaceTree->namespaceModel()->snapshot();
    // The selected row's mode in force; where that is off, still the instance's (what
    // "All packages" and every other group get).
    auto mode = Mode(current.siblingAtColumn(0).data(NamespaceTreeModel::ForwardingRole).toInt());
    QString where = m_namespaceTree->currentNode().path;
    if (mode == Mode::Off) {
        mode = snapshot.instanceForwarding;
        where.clear();
    }
    if (mode == Mode::Off) {
        m_forwardingLabel->hide();
        return;
    }
    const QString host = snapshot.upstreamHost.toHtmlEscaped();
    const QString text = mode == Mode::Proxy ? tr("Forwarding: proxy to %1").arg(host)
                                             : tr("Forwarding: redirect to %1").arg(host);
    m_forwardingLabel->setText(u"<a href=\"#forwarding\">%1</a>"_s.arg(text));
    m_forwardingLabel->setAccessibleName(
        where.isEmpty() ? text : tr("%1 (for %2)").arg(text, where.toHtmlEscaped()));
    m_forwardingLabel->setToolTip(
        tr("Names not published here are looked up at %1. Anyone who publishes one of your "
           "internal names there can reach your installs (dependency confusion): protect your "
           "scopes or switch forwarding off in Tools ▸ Forwarding and Protection.")
            .arg(snapshot.upstreamHost));
    m_forwardingLabel->show();
}
