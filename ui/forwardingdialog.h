// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "model/domain.h"
#include "model/result.h"
#include "model/services/settingsservice.h"
#include "model/store/proxystore.h"

#include <QDialog>

#include <functional>

class QButtonGroup;
class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;
class QRadioButton;
class QTabWidget;
class QTableWidget;

namespace Trove {
class Registry;
}

// Forwarding of unknown packages to the upstream in its three modes (off, redirect, proxy and
// cache; docs/proxy.md §1) at instance and group level, with "enforce for subgroups", what each
// project's endpoint does as a result, and the dependency-confusion warning; the upstream URL;
// the proxy's cache (size, packages, hit ratio, Clear Cache…); and per-project protection rules
// with the packages each pattern matches as it is typed. Store work runs off the GUI thread; the
// Registry must outlive the dialog.
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

    // What a mode does, in words (the dialog's choices and the "In force" columns).
    static QString modeName(Trove::SettingsService::ForwardingMode mode);

signals:
    void reloaded();
    void changeFinished(bool ok, const QString &message);

private:
    using Mode = Trove::SettingsService::ForwardingMode;
    struct GroupRow
    {
        Trove::Group group;
        std::optional<Mode> own; // unset: inherits
        bool lock = false;
        Mode effective = Mode::Redirect;
    };
    struct ProjectRow
    {
        Trove::Project project;
        Mode effective = Mode::Redirect;
    };
    struct Snapshot
    {
        Mode instance = Mode::Redirect;
        bool instanceLock = false;
        QString upstream;
        QList<GroupRow> groups;
        QList<ProjectRow> projects;
        Trove::ProxyStore::Totals cache;
        qint64 cacheCap = 0;
        qint64 hits = 0;
        qint64 misses = 0;
    };

    QWidget *buildForwardingTab();
    QWidget *buildCacheTab();
    QWidget *buildProtectionTab();
    void saveInstance();
    void clearCache();
    void apply(const Snapshot &snapshot);
    void write(const QString &success, std::function<Trove::Result<void>()> work);
    void reloadRules();
    void updateMatches();

    Trove::Registry &m_registry;
    std::function<QStringList(qint64)> m_packageNames;
    // The selected project's package names, read once per selection (not per keystroke).
    QStringList m_projectPackages;
    bool m_applying = false;

    QButtonGroup *m_instance = nullptr; // the ids are the modes
    QCheckBox *m_instanceLock = nullptr;
    QLabel *m_warning = nullptr;
    QLineEdit *m_upstream = nullptr;
    QTableWidget *m_groups = nullptr;
    QTableWidget *m_projects = nullptr;

    QTabWidget *m_tabs = nullptr;
    QWidget *m_cachePage = nullptr;
    QLabel *m_cacheSize = nullptr;
    QLabel *m_cachePackages = nullptr;
    QLabel *m_hitRatio = nullptr;
    QLabel *m_hitRatioSinceStart = nullptr;
    QPushButton *m_clearCache = nullptr;

    QComboBox *m_project = nullptr;
    QTableWidget *m_rules = nullptr;
    QLineEdit *m_pattern = nullptr;
    QComboBox *m_role = nullptr;
    QListWidget *m_matches = nullptr;
    QLabel *m_matchCount = nullptr;
};
