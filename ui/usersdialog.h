// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "model/domain.h"
#include "model/result.h"

#include <QDialog>
#include <QHash>

#include <functional>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QTableWidget;

namespace Trove {
class Registry;
}

// Users and their roles in groups and projects, with what each role may do in words. Roles given
// to a group are inherited by its subgroups and projects. Store work runs off the GUI thread;
// the Registry must outlive the dialog.
class UsersDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(UsersDialog)

public:
    explicit UsersDialog(Trove::Registry &registry, QWidget *parent = nullptr);

    void reload();
    // What a role may do with packages, in plain words.
    static QString roleDescription(Trove::AccessLevel level);

signals:
    void reloaded();
    void changeFinished(bool ok, const QString &message);

private:
    void showMemberships();
    void write(const QString &success, std::function<Trove::Result<void>()> work);
    // Delete User: asks with a DeleteDialog that says how many tokens are revoked.
    void deleteCurrentUser();

    Trove::Registry &m_registry;
    QList<Trove::User> m_users;
    QList<Trove::Group> m_groups;
    QList<Trove::Project> m_projects;
    QHash<qint64, QList<Trove::Membership>> m_memberships;

    QListWidget *m_userList = nullptr;
    QLineEdit *m_newUser = nullptr;
    QCheckBox *m_newAdmin = nullptr;
    QLabel *m_newUserReason = nullptr;
    QTableWidget *m_roles = nullptr;
    QComboBox *m_target = nullptr;
    QComboBox *m_role = nullptr;
    QLabel *m_roleText = nullptr;
};
