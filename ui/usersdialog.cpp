// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/usersdialog.h"

#include "model/registry.h"
#include "model/store/namespacestore.h"
#include "model/store/tokenstore.h"
#include "model/store/userstore.h"
#include "ui/async.h"
#include "ui/deletedialogs.h"
#include "ui/emptystate.h"
#include "ui/namedialogs.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSplitter>
#include <QTableWidget>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;
using namespace Trove;

namespace {

struct Snapshot
{
    QList<User> users;
    QList<Group> groups;
    QList<Project> projects;
    QHash<qint64, QList<Membership>> memberships;
};

} // namespace

QString UsersDialog::roleDescription(AccessLevel level)
{
    switch (level) {
    case AccessLevel::Guest:
        return tr("guest: sees that private groups and projects exist; cannot install packages");
    case AccessLevel::Reporter:
        return tr("reporter: installs and views packages");
    case AccessLevel::Developer:
        return tr("developer: also publishes new versions and adds or moves dist-tags");
    case AccessLevel::Maintainer:
        return tr("maintainer: also deprecates, removes dist-tags and unpublishes; pushes names "
                  "protected for maintainers");
    case AccessLevel::Owner:
        return tr("owner: everything a maintainer may, and names protected for owners");
    default:
        return {};
    }
}

UsersDialog::UsersDialog(Registry &registry, QWidget *parent)
    : QDialog(parent)
    , m_registry(registry)
{
    setObjectName(u"usersDialog"_s);
    setWindowTitle(tr("Users and Roles"));

    m_userList = new QListWidget;
    m_userList->setObjectName(u"userList"_s);
    EmptyState::install(m_userList,
                        tr("No users yet. Add User makes one; give them a role in a group or "
                           "project so that their tokens may install or publish."));
    connect(m_userList, &QListWidget::currentRowChanged, this, &UsersDialog::showMemberships);
    m_newUser = new QLineEdit;
    m_newUser->setObjectName(u"newUserEdit"_s);
    m_newUser->setPlaceholderText(tr("username"));
    m_newAdmin = new QCheckBox(tr("Administrator"));
    m_newAdmin->setObjectName(u"newAdminCheck"_s);
    m_newAdmin->setToolTip(tr("Administrators may do everything, in every group and project."));
    auto *addUser = new QPushButton(tr("Add &User"));
    addUser->setObjectName(u"addUserButton"_s);
    connect(addUser, &QPushButton::clicked, this, [this] {
        const QString name = m_newUser->text().trimmed();
        const bool admin = m_newAdmin->isChecked();
        // The answer to this write (not to a role change) goes under the field.
        connect(
            this,
            &UsersDialog::changeFinished,
            this,
            [this](bool ok, const QString &message) {
                m_newUserReason->setText(ok ? QString() : message);
            },
            Qt::SingleShotConnection);
        write(tr("Added %1.").arg(name), [registry = &m_registry, name, admin]() -> Result<void> {
            const Result<User> user = registry->users().createUser(name, admin);
            if (!user) {
                return user.error();
            }
            return {};
        });
    });
    auto *left = new QWidget;
    auto *leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->addWidget(m_userList, 1);
    auto *newRow = new QHBoxLayout;
    newRow->addWidget(m_newUser, 1);
    newRow->addWidget(m_newAdmin);
    leftLayout->addLayout(newRow);
    // Why Add User is disabled, or why the store refused the name; the input stays.
    m_newUserReason = new QLabel;
    m_newUserReason->setObjectName(u"newUserReason"_s);
    m_newUserReason->setWordWrap(true);
    m_newUserReason->setStyleSheet(u"color: #c0392b;"_s);
    leftLayout->addWidget(m_newUserReason);
    leftLayout->addWidget(addUser);
    auto *deleteUser = new QPushButton(tr("&Delete User…"));
    deleteUser->setObjectName(u"deleteUserButton"_s);
    connect(deleteUser, &QPushButton::clicked, this, &UsersDialog::deleteCurrentUser);
    // Nothing to delete until a user is selected (the list is reloaded after each change).
    deleteUser->setEnabled(false);
    const auto enableDelete = [this, deleteUser] {
        deleteUser->setEnabled(m_userList->currentRow() >= 0);
    };
    connect(m_userList, &QListWidget::currentRowChanged, deleteUser, enableDelete);
    // A reload selects the row with the list's signals blocked.
    connect(this, &UsersDialog::reloaded, deleteUser, enableDelete);
    leftLayout->addWidget(deleteUser);
    const auto checkName = [this, addUser] {
        const QString text = m_newUser->text();
        const QString why = text.isEmpty()
            ? QString()
            : NameInputDialog::problem(NameInputDialog::Kind::User, text);
        m_newUserReason->setText(why);
        addUser->setEnabled(!text.trimmed().isEmpty() && why.isEmpty());
    };
    connect(m_newUser, &QLineEdit::textChanged, this, checkName);
    checkName();

    m_roles = new QTableWidget(0, 2);
    m_roles->setObjectName(u"roleTable"_s);
    m_roles->setHorizontalHeaderLabels({tr("Group or project"), tr("Role")});
    m_roles->verticalHeader()->hide();
    m_roles->horizontalHeader()->setStretchLastSection(true);
    m_roles->setColumnWidth(0, 240);
    m_roles->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_roles->setEditTriggers(QAbstractItemView::NoEditTriggers);
    EmptyState::install(m_roles,
                        tr("No roles yet: choose a group or project and a role, then give it."));
    m_target = new QComboBox;
    m_target->setObjectName(u"targetCombo"_s);
    m_role = new QComboBox;
    m_role->setObjectName(u"roleCombo"_s);
    for (const AccessLevel level : {AccessLevel::Guest,
                                    AccessLevel::Reporter,
                                    AccessLevel::Developer,
                                    AccessLevel::Maintainer,
                                    AccessLevel::Owner}) {
        m_role->addItem(accessLevelName(level), int(level));
    }
    m_role->setCurrentIndex(2);
    m_roleText = new QLabel;
    m_roleText->setObjectName(u"roleDescription"_s);
    m_roleText->setWordWrap(true);
    const auto describe = [this] {
        m_roleText->setText(roleDescription(AccessLevel(m_role->currentData().toInt())));
    };
    connect(m_role, &QComboBox::currentIndexChanged, this, describe);
    describe();
    auto *give = new QPushButton(tr("&Give Role"));
    give->setObjectName(u"giveRoleButton"_s);
    connect(give, &QPushButton::clicked, this, [this] {
        const int row = m_userList->currentRow();
        if (row < 0 || row >= m_users.size()) {
            return;
        }
        const QString username = m_users.at(row).username;
        const QString target = m_target->currentData().toString(); // "g:path" or "p:path"
        const auto level = AccessLevel(m_role->currentData().toInt());
        write(tr("%1 is now %2 in %3.").arg(username, accessLevelName(level), target.mid(2)),
              [registry = &m_registry, username, target, level] {
                  return target.startsWith(u"g:"_s)
                      ? registry->users().addGroupMember(username, target.mid(2), level)
                      : registry->users().addProjectMember(username, target.mid(2), level);
              });
    });
    auto *remove = new QPushButton(tr("&Remove Role"));
    remove->setObjectName(u"removeRoleButton"_s);
    connect(remove, &QPushButton::clicked, this, [this] {
        const int userRow = m_userList->currentRow();
        const QTableWidgetItem *item = m_roles->item(m_roles->currentRow(), 0);
        if (userRow < 0 || userRow >= m_users.size() || !item) {
            return;
        }
        const qint64 userId = m_users.at(userRow).id;
        const qint64 groupId = item->data(Qt::UserRole).toLongLong();
        const qint64 projectId = item->data(Qt::UserRole + 1).toLongLong();
        write(tr("Removed the role in %1.").arg(item->text()),
              [registry = &m_registry, userId, groupId, projectId] {
                  return registry->users().removeMember(userId, groupId, projectId);
              });
    });

    // A role is given to the selected user and removed from the selected row: with nobody or
    // nothing selected the buttons would do nothing.
    const auto updateRoleButtons = [this, give, remove] {
        const bool user = m_userList->currentRow() >= 0;
        give->setEnabled(user && m_target->count() > 0);
        remove->setEnabled(user && !m_roles->selectedItems().isEmpty());
    };
    connect(m_userList, &QListWidget::currentRowChanged, this, updateRoleButtons);
    connect(m_roles, &QTableWidget::itemSelectionChanged, this, updateRoleButtons);
    connect(m_target, &QComboBox::currentIndexChanged, this, updateRoleButtons);
    connect(this, &UsersDialog::reloaded, this, updateRoleButtons); // lists refilled quietly
    updateRoleButtons();

    auto *right = new QWidget;
    auto *rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(0, 0, 0, 0);
    rightLayout->addWidget(new QLabel(tr("Roles (a group's role also holds in its subgroups and "
                                         "projects):")));
    rightLayout->addWidget(m_roles, 1);
    rightLayout->addWidget(remove, 0, Qt::AlignRight);
    auto *form = new QFormLayout;
    form->addRow(tr("&In:"), m_target);
    form->addRow(tr("R&ole:"), m_role);
    form->addRow(QString(), m_roleText);
    rightLayout->addLayout(form);
    rightLayout->addWidget(give, 0, Qt::AlignRight);

    auto *splitter = new QSplitter;
    splitter->addWidget(left);
    splitter->addWidget(right);
    splitter->setStretchFactor(1, 2);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(splitter, 1);
    layout->addWidget(buttons);
    resize(760, 480);
    connect(&m_registry.events(),
            &Events::usersChanged,
            this,
            &UsersDialog::reload,
            Qt::QueuedConnection);
    connect(&m_registry.events(),
            &Events::namespacesChanged,
            this,
            &UsersDialog::reload,
            Qt::QueuedConnection);
    reload();
}

void UsersDialog::reload()
{
    Database *database = &m_registry.database();
    Ui::runAsync(
        this,
        nullptr,
        [database]() -> Result<Snapshot> {
            const UserStore users(*database);
            const NamespaceStore namespaces(*database);
            Snapshot snapshot;
            const Result<QList<User>> all = users.users();
            const Result<QList<Group>> groups = namespaces.groups();
            const Result<QList<Project>> projects = namespaces.projects();
            if (!all || !groups || !projects) {
                return Error::storage(u"cannot read users, groups and projects"_s);
            }
            snapshot.users = *all;
            snapshot.groups = *groups;
            snapshot.projects = *projects;
            for (const User &user : *all) {
                const Result<QList<Membership>> memberships = users.memberships(user.id);
                if (!memberships) {
                    return memberships.error();
                }
                snapshot.memberships.insert(user.id, *memberships);
            }
            return snapshot;
        },
        [this](const Result<Snapshot> &snapshot) {
            if (!snapshot) {
                emit changeFinished(false, snapshot.error().message);
                return;
            }
            const QString current = m_userList->currentItem()
                ? m_userList->currentItem()->data(Qt::UserRole).toString()
                : QString();
            m_users = snapshot->users;
            m_groups = snapshot->groups;
            m_projects = snapshot->projects;
            m_memberships = snapshot->memberships;
            const QString target = m_target->currentData().toString();
            {
                const QSignalBlocker blocker(m_target);
                m_target->clear();
                QStringList groups;
                for (const Group &group : std::as_const(m_groups)) {
                    groups.append(group.fullPath);
                }
                groups.sort();
                for (const QString &path : std::as_const(groups)) {
                    m_target->addItem(tr("group %1").arg(path), QString(u"g:"_s + path));
                }
                QStringList projects;
                for (const Project &project : std::as_const(m_projects)) {
                    projects.append(project.fullPath);
                }
                projects.sort();
                for (const QString &path : std::as_const(projects)) {
                    m_target->addItem(tr("project %1").arg(path), QString(u"p:"_s + path));
                }
                m_target->setCurrentIndex(std::max(0, m_target->findData(target)));
            }
            const QSignalBlocker blocker(m_userList);
            m_userList->clear();
            int select = m_users.isEmpty() ? -1 : 0;
            for (int i = 0; i < m_users.size(); ++i) {
                const User &user = m_users.at(i);
                auto *item = new QListWidgetItem(
                    user.admin ? tr("%1 (administrator)").arg(user.username) : user.username,
                    m_userList);
                item->setData(Qt::UserRole, user.username);
                if (user.username == current) {
                    select = i;
                }
            }
            m_userList->setCurrentRow(select);
            showMemberships();
            emit reloaded();
        });
}

void UsersDialog::showMemberships()
{
    const int row = m_userList->currentRow();
    m_roles->setRowCount(0);
    if (row < 0 || row >= m_users.size()) {
        return;
    }
    QHash<qint64, QString> groupPaths;
    for (const Group &group : std::as_const(m_groups)) {
        groupPaths.insert(group.id, group.fullPath);
    }
    QHash<qint64, QString> projectPaths;
    for (const Project &project : std::as_const(m_projects)) {
        projectPaths.insert(project.id, project.fullPath);
    }
    const QList<Membership> memberships = m_memberships.value(m_users.at(row).id);
    m_roles->setRowCount(int(memberships.size()));
    for (int i = 0; i < memberships.size(); ++i) {
        const Membership &membership = memberships.at(i);
        auto *where = new QTableWidgetItem(
            membership.groupId ? tr("group %1").arg(groupPaths.value(membership.groupId))
                               : tr("project %1").arg(projectPaths.value(membership.projectId)));
        where->setData(Qt::UserRole, membership.groupId);
        where->setData(Qt::UserRole + 1, membership.projectId);
        m_roles->setItem(i, 0, where);
        auto *role = new QTableWidgetItem(accessLevelName(membership.accessLevel));
        role->setToolTip(roleDescription(membership.accessLevel));
        m_roles->setItem(i, 1, role);
    }
}

void UsersDialog::write(const QString &success, std::function<Result<void>()> work)
{
    Ui::runAsync(this, nullptr, std::move(work), [this, success](const Result<void> &result) {
        emit changeFinished(bool(result), result ? success : result.error().message);
        if (result) {
            m_newUser->clear();
        }
        reload();
    });
}

void UsersDialog::deleteCurrentUser()
{
    const int row = m_userList->currentRow();
    if (row < 0 || row >= m_users.size()) {
        return;
    }
    const User user = m_users.at(row);
    const auto roles = int(m_memberships.value(user.id).size());
    auto *dialog = new DeleteDialog(
        tr("Delete User"), tr("Delete the user %1?").arg(user.username), tr("Delete User"), this);
    dialog->setObjectName(u"deleteUserDialog"_s);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    Registry *registry = &m_registry;
    dialog->setWrite([registry, user]() -> Result<QString> {
        const Result<int> revoked = registry->users().deleteUser(user.id);
        if (!revoked) {
            return revoked.error();
        }
        return tr("Deleted %1; %n token(s) revoked.", nullptr, *revoked).arg(user.username);
    });
    connect(dialog, &DeleteDialog::writeFinished, this, [this](bool ok, const QString &message) {
        emit changeFinished(ok, message);
        if (ok) {
            reload();
        }
    });
    dialog->open();
    // The tokens that work until now, counted as deleteUser() revokes them: personal access
    // tokens not yet revoked and the user's running CI jobs.
    Ui::runAsync(
        dialog,
        nullptr,
        [database = &m_registry.database(), userId = user.id]() -> Result<int> {
            const TokenStore tokens(*database);
            const Result<QList<PersonalAccessToken>> personal = tokens.personalTokens();
            if (!personal) {
                return personal.error();
            }
            const Result<QList<JobToken>> jobs = tokens.jobTokens();
            if (!jobs) {
                return jobs.error();
            }
            int usable = 0;
            for (const PersonalAccessToken &token : *personal) {
                usable += token.userId == userId && !token.revoked ? 1 : 0;
            }
            for (const JobToken &job : *jobs) {
                usable += job.userId == userId && job.running ? 1 : 0;
            }
            return usable;
        },
        [dialog, username = user.username, roles](const Result<int> &usable) {
            if (usable) {
                dialog->setImpact(DeleteDialog::userImpact(username, *usable, roles));
            } else {
                dialog->setImpactError(usable.error().message);
            }
        });
}
