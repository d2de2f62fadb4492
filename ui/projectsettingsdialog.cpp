// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/projectsettingsdialog.h"

#include "ui/async.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;
using namespace Trove;

ProjectSettingsDialog::ProjectSettingsDialog(const Project &project,
                                             qint64 packageCount,
                                             QWidget *parent)
    : QDialog(parent)
    , m_project(project)
    , m_packageCount(packageCount)
{
    setObjectName(u"projectSettingsDialog"_s);
    setWindowTitle(tr("Settings of %1").arg(project.fullPath));

    auto *heading = new QLabel(tr("Project %1").arg(project.fullPath));
    heading->setTextFormat(Qt::PlainText);
    QFont font = heading->font();
    font.setBold(true);
    heading->setFont(font);

    // GitLab's name for the setting (Settings ▸ General ▸ Visibility, project features).
    m_packages = new QCheckBox(tr("&Packages: this project's package registry"));
    m_packages->setObjectName(u"packagesEnabledCheck"_s);
    m_packages->setChecked(project.packagesEnabled);
    connect(m_packages, &QCheckBox::toggled, this, &ProjectSettingsDialog::updateExplanation);
    m_explanation = new QLabel;
    m_explanation->setObjectName(u"packagesExplanation"_s);
    m_explanation->setTextFormat(Qt::PlainText);
    m_explanation->setWordWrap(true);

    m_visibility = new QComboBox;
    m_visibility->setObjectName(u"visibilityCombo"_s);
    for (const Visibility choice :
         {Visibility::Private, Visibility::Internal, Visibility::Public}) {
        m_visibility->addItem(visibilityName(choice), int(choice));
    }
    m_visibility->setCurrentIndex(m_visibility->findData(int(project.visibility)));
    auto *visibilityText = new QLabel(tr("A project is at most as visible as its group."));
    visibilityText->setWordWrap(true);

    m_error = new QLabel;
    m_error->setObjectName(u"settingsError"_s);
    m_error->setTextFormat(Qt::PlainText);
    m_error->setWordWrap(true);
    m_error->setStyleSheet(u"color: #c0392b;"_s);
    m_error->hide();

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    m_ok = buttons->button(QDialogButtonBox::Ok);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *form = new QFormLayout;
    form->addRow(tr("&Visibility:"), m_visibility);
    form->addRow(QString(), visibilityText);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(heading);
    layout->addWidget(m_packages);
    layout->addWidget(m_explanation);
    layout->addSpacing(8);
    layout->addLayout(form);
    layout->addStretch(1);
    layout->addWidget(m_error);
    layout->addWidget(buttons);
    updateExplanation();
    resize(520, 320);
}

void ProjectSettingsDialog::setWrite(Write write, QThreadPool *pool)
{
    m_write = std::move(write);
    m_pool = pool;
}

bool ProjectSettingsDialog::packagesEnabled() const
{
    return m_packages->isChecked();
}

Visibility ProjectSettingsDialog::visibility() const
{
    return Visibility(m_visibility->currentData().toInt());
}

QString ProjectSettingsDialog::explanation() const
{
    return m_explanation->text();
}

QString ProjectSettingsDialog::errorText() const
{
    return m_error->text();
}

void ProjectSettingsDialog::updateExplanation()
{
    if (m_packages->isChecked()) {
        m_explanation->setText(
            tr("On (GitLab's default): npm and GitLab's Packages API serve this project's "
               "packages to whoever may read the project, and publish to it."));
        return;
    }
    m_explanation->setText(
        tr("Off: every npm and Packages API request for this project answers 403 Forbidden, "
           "also for its maintainers, and its packages (%1) leave the group and instance "
           "documents and search. Nothing is deleted: switching it on again brings them back.")
            .arg(m_packageCount == 1 ? tr("1 version")
                                     : tr("%1 versions").arg(QLocale().toString(m_packageCount))));
}

void ProjectSettingsDialog::done(int result)
{
    if (m_writing) {
        return;
    }
    if (result != QDialog::Accepted || !m_write) {
        QDialog::done(result);
        return;
    }
    const std::optional<bool> packages = packagesEnabled() != m_project.packagesEnabled
        ? std::optional<bool>(packagesEnabled())
        : std::nullopt;
    const std::optional<Visibility> visible = visibility() != m_project.visibility
        ? std::optional<Visibility>(visibility())
        : std::nullopt;
    if (!packages && !visible) {
        QDialog::done(result);
        return;
    }
    m_writing = true;
    m_ok->setEnabled(false);
    m_error->hide();
    const qint64 id = m_project.id;
    Ui::runAsync(
        this,
        m_pool,
        [write = m_write, id, packages, visible] { return write(id, packages, visible); },
        [this, packages, visible](const Result<void> &written) {
            m_writing = false;
            m_ok->setEnabled(true);
            if (!written) {
                m_error->setText(tr("Not saved: %1").arg(written.error().message));
                m_error->show();
                emit writeFinished(false, written.error().message);
                return;
            }
            if (packages) {
                m_project.packagesEnabled = *packages;
            }
            if (visible) {
                m_project.visibility = *visible;
            }
            emit writeFinished(
                true,
                packagesEnabled()
                    ? tr("Saved the settings of %1.").arg(m_project.fullPath)
                    : tr("The package registry of %1 is off.").arg(m_project.fullPath));
            QDialog::done(QDialog::Accepted);
        });
}
