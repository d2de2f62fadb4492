// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "model/domain.h"

#include <QDialog>

class QLabel;
class QPushButton;
class QTableView;

namespace Trove {
class Registry;
class TokenTableModel;
} // namespace Trove

// The registry's tokens: list (with last use and state), create personal access, deploy and CI
// job tokens (the secret is shown once, with a copy button), revoke, finish a job. Store work
// runs off the GUI thread; the Registry must outlive the dialog.
class TokensDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TokensDialog)

public:
    explicit TokensDialog(Trove::Registry &registry, QWidget *parent = nullptr);
    ~TokensDialog() override;

    // Opens the (non-blocking) form for a new token of this kind.
    void openCreateForm(Trove::TokenKind kind);
    // Revokes the selected token, or finishes the selected job.
    void revokeSelected();
    void reload();

signals:
    void reloaded();
    // A token was made; `token` is the secret, shown once by the dialog.
    void tokenCreated(const QString &token);
    void changeFinished(bool ok, const QString &message);

private:
    void updateButtons();
    void showSecret(const QString &token, const QString &what);
    // No user to make the token for: says so and offers New User, then the token's form.
    void offerNewUser(Trove::TokenKind kind);

    Trove::Registry &m_registry;
    Trove::TokenTableModel *m_model = nullptr;
    QTableView *m_table = nullptr;
    QPushButton *m_revoke = nullptr;
    QLabel *m_feedback = nullptr;
    QList<Trove::User> m_users;
    QList<Trove::Group> m_groups;
    QList<Trove::Project> m_projects;
};
