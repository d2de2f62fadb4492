// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "model/lockfile/lockfilemirror.h"

#include <QDialog>
#include <QStringList>

#include <memory>

class QComboBox;
class QLabel;
class QListWidget;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QStackedWidget;

namespace Trove {
class Registry;
}

// Lockfiles dropped on the window are mirrored into the proxy's cache as `trove mirror` does
// (LockfileMirror; docs/proxy.md, "Mirroring a lockfile"): the dialog names each file's format or
// why it is refused, asks for the project or group whose forwarding keeps the packages, shows the
// progress (n of N, the current package) of a run off the GUI thread that can be cancelled, and
// ends with a report that can be copied.
class MirrorDialog final : public QDialog
{
    Q_OBJECT

public:
    // `level` preselects the target (the tree's selection); ids 0: the instance.
    MirrorDialog(Trove::Registry &registry,
                 const QStringList &files,
                 const Trove::LockfileMirror::Level &level,
                 QWidget *parent = nullptr);
    ~MirrorDialog() override;

    // True for the names the lockfile readers know (package-lock.json, npm-shrinkwrap.json,
    // yarn.lock, pnpm-lock.yaml), and for .json, .lock and .yaml files, which the dialog reads to
    // say why they are refused if they are none.
    static bool looksLikeLockfile(const QString &path);

signals:
    // The files were read and the targets listed: the Mirror button says whether it can run.
    void ready();
    // The report is shown.
    void mirrored(bool ok);

protected:
    void reject() override;

private:
    void load();
    void checkTarget();
    void start();
    void showProgress();
    void showReport(const Trove::Result<Trove::LockfileMirror::Report> &report);

    struct Run;

    Trove::Registry &m_registry;
    const QStringList m_files;
    const Trove::LockfileMirror::Level m_preselected;
    std::optional<Trove::LockfileMirror::Plan> m_plan;
    std::shared_ptr<Run> m_run;
    quint64 m_checkGeneration = 0;
    bool m_forwardingOk = false;

    QStackedWidget *m_pages = nullptr;
    QListWidget *m_fileList = nullptr;
    QComboBox *m_target = nullptr;
    QLabel *m_targetStatus = nullptr;
    QPushButton *m_mirrorButton = nullptr;
    QProgressBar *m_progress = nullptr;
    QLabel *m_current = nullptr;
    QPushButton *m_cancelButton = nullptr;
    QLabel *m_summary = nullptr;
    QPlainTextEdit *m_report = nullptr;
};
