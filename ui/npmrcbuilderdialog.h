// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "model/npmrcbuilder.h"

#include <QDialog>

#include <functional>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QTabWidget;

// Builds the client configuration for this registry by clicking: scopes, endpoint level and token
// kind in; .npmrc, `npm config set`, publishConfig, .yarnrc.yml, .yarnrc, pnpm settings and a CI
// job out, each with a copy button; the .npmrc can be merged into a chosen folder after a
// preview. Tokens appear as ${NPM_TOKEN} (${CI_JOB_TOKEN} in CI), never as their value. With TLS
// on in Registry Settings the URLs are https and the files name the self-signed certificate as
// the clients' cafile.
class NpmrcBuilderDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(NpmrcBuilderDialog)

public:
    struct Namespace
    {
        qint64 id = 0; // projects only
        QString fullPath;
    };

    NpmrcBuilderDialog(const QString &origin,
                       const QList<Namespace> &groups,
                       const QList<Namespace> &projects,
                       QWidget *parent = nullptr);

    // Preselects a project (its top-level group becomes the scope).
    void selectProject(qint64 projectId);
    void setLevel(Trove::NpmrcRequest::Level level);
    void setTokenKind(Trove::NpmrcRequest::TokenKind kind);
    void setScopes(const QString &commaSeparated);
    // Picks the group for the group level by its full path.
    void selectGroup(const QString &fullPath);

    Trove::NpmrcRequest request() const;
    const Trove::NpmrcSnippets &snippets() const { return m_snippets; }

    // The seam for "Write .npmrc…": returns the chosen folder or "" (default: QFileDialog).
    void setFolderChooser(std::function<QString()> chooser) { m_chooseFolder = std::move(chooser); }
    // Opens the preview of writing the .npmrc into `folder` (non-blocking; its Write button
    // merges and saves). Public for the folder chooser's caller and the tests.
    void previewWrite(const QString &folder);

signals:
    void written(const QString &path);

private:
    void rebuild();
    void addOutput(const QString &title, const char *name, QPlainTextEdit **edit);

    const QString m_origin;
    const QString m_caFile;
    const QList<Namespace> m_groups;
    const QList<Namespace> m_projects;
    QLineEdit *m_scopes = nullptr;
    QComboBox *m_level = nullptr;
    QComboBox *m_project = nullptr;
    QComboBox *m_group = nullptr;
    QComboBox *m_token = nullptr;
    QCheckBox *m_default = nullptr;
    QLabel *m_warnings = nullptr;
    QTabWidget *m_tabs = nullptr;
    QPlainTextEdit *m_npmrc = nullptr;
    QPlainTextEdit *m_commands = nullptr;
    QPlainTextEdit *m_publishConfig = nullptr;
    QPlainTextEdit *m_yarnBerry = nullptr;
    QPlainTextEdit *m_yarnClassic = nullptr;
    QPlainTextEdit *m_pnpm = nullptr;
    QPlainTextEdit *m_ci = nullptr;
    Trove::NpmrcSnippets m_snippets;
    std::function<QString()> m_chooseFolder;
};
