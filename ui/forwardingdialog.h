// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "model/domain.h"
#include "model/result.h"

#include <QDialog>

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

// Forwarding of unknown packages to the upstream (instance and group settings, with "enforce for
// subgroups" and the dependency-confusion warning), the upstream URL, and per-project protection
// rules with the packages each pattern matches as it is typed. Store work runs off the GUI
// thread; the Registry must outlive the dialog.
class ForwardingDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ForwardingDialog)

public:
    // `packageNames(projectId)`: the package names the project holds now (the window's list).
    ForwardingDialog(Trove::Registry &registry,
                     std::function<QStringList(qint64 projectId)> packageNames,
                     QWidget *parent = nullptr);

    void reload();
    // The packages of the selected project that `pattern` matches (as the server matches).
    QStringList matchesOf(const QString &pattern) const;

signals:
    void reloaded();
    void changeFinished(bool ok, const QString &message);

private:
    struct GroupRow
    {
        Trove::Group group;
        std::optional<bool> own; // unset: inherits
        bool lock = false;
        bool effective = false;
    };
    struct Snapshot
    {
        bool instance = true;
        bool instanceLock = false;
        QString upstream;
        QList<GroupRow> groups;
        QList<Trove::Project> projects;
    };

    QWidget *buildForwardingTab();
    QWidget *buildProtectionTab();
    void apply(const Snapshot &snapshot);
    void write(const QString &success, std::function<Trove::Result<void>()> work);
    void reloadRules();
    void updateMatches();

    Trove::Registry &m_registry;
    std::function<QStringList(qint64)> m_packageNames;
    // The selected project's package names, read once per selection (not per keystroke).
    QStringList m_projectPackages;
    bool m_applying = false;

    QCheckBox *m_instance = nullptr;
    QCheckBox *m_instanceLock = nullptr;
    QLabel *m_warning = nullptr;
    QLineEdit *m_upstream = nullptr;
    QTableWidget *m_groups = nullptr;

    QComboBox *m_project = nullptr;
    QTableWidget *m_rules = nullptr;
    QLineEdit *m_pattern = nullptr;
    QComboBox *m_role = nullptr;
    QListWidget *m_matches = nullptr;
    QLabel *m_matchCount = nullptr;
};
