// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "model/versiondetails.h"

#include <QTabWidget>

class QFormLayout;
class QLabel;
class QPushButton;
class QToolButton;
class QTextBrowser;
class QTreeWidget;
class QTreeWidgetItem;

// The selected version, in tabs: an overview (integrity, publisher, time, install commands with
// copy buttons, save the tarball), its README rendered as Markdown (remote images are not
// fetched), its dependencies (those this registry holds are links) and the files of its tarball.
class VersionDetailsView final : public QTabWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(VersionDetailsView)

public:
    enum Tab { OverviewTab, ReadmeTab, DependenciesTab, FilesTab };

    explicit VersionDetailsView(QWidget *parent = nullptr);

    void setDetails(const Trove::VersionDetails &details);
    void clear();
    const Trove::VersionDetails &details() const { return m_details; }

    // "npm install @acme/core@1.2.0", and yarn's and pnpm's forms.
    static QString npmCommand(const Trove::Package &package);
    static QString yarnCommand(const Trove::Package &package);
    static QString pnpmCommand(const Trove::Package &package);

signals:
    // A dependency this registry holds was clicked.
    void packageActivated(const QString &name);
    void saveTarballRequested();

private:
    void buildOverview();
    // Copies `text` and lets `button` say "Copied" for a moment.
    void copy(QToolButton *button, const QString &text);

    Trove::VersionDetails m_details;
    QLabel *m_heading = nullptr;
    QLabel *m_description = nullptr;
    QLabel *m_published = nullptr;
    QLabel *m_size = nullptr;
    QLabel *m_integrity = nullptr;
    QLabel *m_shasum = nullptr;
    QLabel *m_license = nullptr;
    QLabel *m_scripts = nullptr;
    QLabel *m_npm = nullptr;
    QLabel *m_yarn = nullptr;
    QLabel *m_pnpm = nullptr;
    QList<QToolButton *> m_copyButtons; // top to bottom, the Tab order
    QList<QLabel *> m_copyValues; // what each of them copies
    QPushButton *m_save = nullptr;
    QTextBrowser *m_readme = nullptr;
    QTreeWidget *m_dependencies = nullptr;
    QTreeWidget *m_files = nullptr;
};
