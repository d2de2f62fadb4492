// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "model/domain.h"

#include <QWizard>

namespace Trove {
class Registry;
} // namespace Trove

// "Set Up a Registry for Your Team": the first-run sheet. Page by page it creates the top-level
// group (its path checked as an npm scope, with the rules of NameInputDialog::problem), a first
// project in it, the user (prefilled with the login name) with a role in the group, and a
// personal access token, which it shows once. Finishing opens Connect a Client (the main window
// does that, on setUp()).
//
// Each page checks its input as it is typed (Create stays disabled, the reason under the field)
// and writes when the user goes on, off the GUI thread; a write the store refuses keeps the page
// with the reason and the input. What was written stays written: those pages are commit pages
// (no Back past them). Closing the last page before the token was copied asks first.
class SetupSheet final : public QWizard
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SetupSheet)

public:
    enum PageId { GroupPage, ProjectPage, UserPage, TokenPage, SecretPage };

    explicit SetupSheet(Trove::Registry &registry, QWidget *parent = nullptr);

    // The login name, as the user page suggests it (lowercase; "" when it is not a valid
    // username).
    static QString suggestedUsername();

    // What was made so far.
    const Trove::Group &group() const { return m_group; }
    const Trove::Project &project() const { return m_project; }
    const Trove::User &user() const { return m_user; }
    const QString &token() const { return m_token; }
    // The reason shown under the current page's fields ("" when none).
    QString reason() const;
    // Whether the current page is writing.
    bool isWriting() const;
    bool tokenCopied() const { return m_tokenCopied; }

    void done(int result) override;

signals:
    // Finished: everything was made; the window opens Connect a Client for it.
    void setUp(const Trove::Group &group, const Trove::Project &project);
    // A page's write finished (ok, or the store's reason).
    void writeFinished(bool ok, const QString &message);

private:
    friend class SetupStepPage;
    void buildGroupPage();
    void buildProjectPage();
    void buildUserPage();
    void buildTokenPage();
    void buildSecretPage();

    Trove::Registry &m_registry;
    Trove::Group m_group;
    Trove::Project m_project;
    Trove::User m_user;
    QString m_token;
    bool m_tokenCopied = false;
};
