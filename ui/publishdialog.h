// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "model/domain.h"
#include "model/tarballpublish.h"

#include <QDialog>

class QComboBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QTableWidget;

namespace Trove {
class Registry;
}

// The preflight sheet for .tgz files dropped on the window: for a chosen project, each file's
// name and version, whether it can be published there (and why not), its files, unpacked size,
// install scripts and the naming convention; then publishes them one by one with progress.
// Store work runs off the GUI thread; the Registry must outlive the dialog.
class PublishDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PublishDialog)

public:
    PublishDialog(Trove::Registry &registry,
                  const QStringList &files,
                  const QList<Trove::Project> &projects,
                  qint64 projectId,
                  QWidget *parent = nullptr);

    void selectProject(qint64 projectId);
    void setDistTag(const QString &tag);
    const QList<Trove::TarballPreflight> &preflights() const { return m_preflights; }
    // Publishes every publishable file (what the Publish button does).
    void publishAll();

signals:
    void checked();
    // Every file has been tried; `published` of them made it.
    void finished(int published);

private:
    void check();
    void showPreflights(const QList<Trove::TarballPreflight> &preflights);
    void publishNext(int row);
    void updateButton();

    Trove::Registry &m_registry;
    const QStringList m_files;
    const QList<Trove::Project> m_projects;
    QList<Trove::TarballPreflight> m_preflights;
    quint64 m_generation = 0;
    int m_published = 0;
    bool m_publishing = false;

    QComboBox *m_project = nullptr;
    QLineEdit *m_tag = nullptr;
    QLabel *m_tagStatus = nullptr;
    QTableWidget *m_table = nullptr;
    QProgressBar *m_progress = nullptr;
    QPushButton *m_publish = nullptr;
};
