// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "model/result.h"

#include <QInputDialog>

#include <functional>

class QLabel;

// Asks for the path of a new group, subgroup or project, a new path for one, or a new username.
// The input is checked as it is typed with the store's own rules
// (NamespaceService::isValidPathSegment, UserService::isValidUsername): OK stays disabled and the
// reason is shown under the field. On OK the write runs off the GUI thread; if the store refuses
// it (a path already taken, a visibility rule), the reason is shown and the dialog stays open
// with the input. It closes (emitting textValueSelected) only once the write is done.
//
// A QInputDialog so that its text API (setTextValue, textValueSelected) stays what callers know.
class NameInputDialog final : public QInputDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(NameInputDialog)

public:
    enum class Kind {
        TopLevelGroup, // its path is the npm scope of every package below it
        Subgroup,
        Project,
        Rename,
        User,
    };

    NameInputDialog(Kind kind,
                    const QString &title,
                    const QString &label,
                    const QString &text,
                    QWidget *parent = nullptr);

    // Writes `value` (the trimmed input); called on a worker thread.
    void setWrite(std::function<Trove::Result<void>(const QString &value)> write);

    // Why `text` cannot be used for `kind`, in words; empty when it can. The same rules as the
    // store, so what passes here is refused by the store only for a reason the store alone knows
    // (a path already taken).
    static QString problem(Kind kind, const QString &text);

    // What is shown under the field: the reason OK is disabled, the store's refusal, or a hint.
    QString reason() const;
    bool isWriting() const { return m_writing; }

    // Accepted: starts the write instead of closing; closes when it succeeded.
    void done(int result) override;

signals:
    // After each write: ok, and the value or the store's reason.
    void writeFinished(bool ok, const QString &valueOrError);

private:
    void updateState();
    void showReason(const QString &text, bool problem);

    Kind m_kind;
    std::function<Trove::Result<void>(const QString &)> m_write;
    QLabel *m_reason = nullptr;
    bool m_writing = false;
    bool m_written = false;
};
