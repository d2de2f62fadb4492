// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "model/packagesummary.h"
#include "model/result.h"
#include "model/services/packageservice.h"

#include <QDialog>

#include <functional>

class QLabel;
class QLineEdit;
class QPushButton;
class QTextBrowser;
class QThreadPool;

// The confirmation before anything is deleted: a heading, what breaks in words (filled in when
// it is known, see setImpact()), "cannot be undone", and two buttons: Cancel, the default, and a
// destructive one named for the action ("Delete 2 Versions"). Where GitLab asks for it, the
// destructive button stays disabled until the full path is typed. Accepting runs the write off
// the GUI thread; a refusal is shown in the dialog, which stays open; it closes once the write
// succeeded. Non-blocking: open() it.
class DeleteDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DeleteDialog)

public:
    DeleteDialog(const QString &title,
                 const QString &heading,
                 const QString &actionText,
                 QWidget *parent = nullptr);

    // What breaks, in words. Until it is set the dialog says it is checking and the
    // destructive button is disabled: nobody confirms without having been told.
    void setImpact(const QString &text);
    // Reading what breaks failed: said in the dialog; deleting stays possible.
    void setImpactError(const QString &message);
    // The destructive button stays disabled until exactly `text` is typed.
    void requireTypedConfirmation(const QString &text);
    // Runs on a worker thread of `pool` (the global pool when nullptr); returns what the status
    // bar says when it worked.
    void setWrite(std::function<Trove::Result<QString>()> write, QThreadPool *pool = nullptr);

    QString impactText() const;
    QString errorText() const;
    QPushButton *deleteButton() const { return m_delete; }
    QPushButton *cancelButton() const { return m_cancel; }
    QLineEdit *confirmationEdit() const { return m_confirm; }

    // Accepted: starts the write instead of closing.
    void done(int result) override;

    // What deleting versions (or, with impact.wholePackage, the package) of `name` breaks: the
    // tags that move or go, the dependents and whether their ranges still resolve.
    static QString versionsImpact(const QString &name,
                                  const Trove::PackageService::DeletionImpact &impact);
    // A project's packages with their version counts.
    static QString projectImpact(const QString &projectPath,
                                 const QList<Trove::PackageSummary> &packages);
    // A group: what is inside it (subgroups, projects, packages).
    static QString groupImpact(const QString &groupPath,
                               const QStringList &subgroups,
                               const QStringList &projects,
                               const QList<Trove::PackageSummary> &packages);
    // A user: the tokens revoked and the roles that go.
    static QString userImpact(const QString &username, int usableTokens, int roles);

signals:
    // After each write: ok, and the success message or the store's reason.
    void writeFinished(bool ok, const QString &message);

private:
    void updateButtons();

    QLabel *m_heading = nullptr;
    QTextBrowser *m_impact = nullptr;
    QLabel *m_confirmLabel = nullptr;
    QLineEdit *m_confirm = nullptr;
    QLabel *m_error = nullptr;
    QPushButton *m_delete = nullptr;
    QPushButton *m_cancel = nullptr;
    QString m_confirmText;
    std::function<Trove::Result<QString>()> m_write;
    QThreadPool *m_pool = nullptr;
    bool m_impactKnown = false;
    bool m_writing = false;
};
