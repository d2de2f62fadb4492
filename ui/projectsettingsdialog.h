// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "model/domain.h"
#include "model/result.h"

#include <QDialog>

#include <functional>

class QCheckBox;
class QComboBox;
class QLabel;
class QPushButton;
class QThreadPool;

// Project ▸ Settings: GitLab's "Packages" switch (on by default) with what switching it off
// does, and the project's visibility. OK writes what changed off the GUI thread; a refusal (a
// project more visible than its group) is shown in the dialog, which stays open. Non-blocking.
class ProjectSettingsDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ProjectSettingsDialog)

public:
    // `packageCount`: how many package versions the project holds, for the words.
    ProjectSettingsDialog(const Trove::Project &project,
                          qint64 packageCount,
                          QWidget *parent = nullptr);

    // Writes the changed settings; runs on a worker thread of `pool` (global when nullptr).
    using Write = std::function<Trove::Result<void>(
        qint64 projectId, std::optional<bool> packagesEnabled, std::optional<Trove::Visibility>)>;
    void setWrite(Write write, QThreadPool *pool = nullptr);

    bool packagesEnabled() const;
    Trove::Visibility visibility() const;
    QString explanation() const;
    QString errorText() const;

    // Accepted: writes what changed first; closes once that worked (at once if nothing did).
    void done(int result) override;

signals:
    void writeFinished(bool ok, const QString &message);

private:
    void updateExplanation();

    Trove::Project m_project;
    qint64 m_packageCount = 0;
    Write m_write;
    QThreadPool *m_pool = nullptr;
    bool m_writing = false;
    QCheckBox *m_packages = nullptr;
    QLabel *m_explanation = nullptr;
    QComboBox *m_visibility = nullptr;
    QLabel *m_error = nullptr;
    QPushButton *m_ok = nullptr;
};
