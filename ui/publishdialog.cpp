// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/publishdialog.h"

#include "model/registry.h"
#include "ui/async.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFile>
#include <QFileInfo>
#include <QFormLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QProgressBar>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;
using namespace Trove;

namespace {

enum Column { FileColumn, PackageColumn, FilesColumn, SizeColumn, ScriptsColumn, CheckColumn };

// Larger files are not read: GitLab's own npm limit.
constexpr qint64 MaxTarballBytes = PackageService::DefaultMaxFileSize;

} // namespace

PublishDialog::PublishDialog(Registry &registry,
                             const QStringList &files,
                             const QList<Project> &projects,
                             qint64 projectId,
                             QWidget *parent)
    : QDialog(parent)
    , m_registry(registry)
    , m_files(files)
    , m_projects(projects)
{
    setObjectName(u"publishDialog"_s);
    setWindowTitle(tr("Publish %n Tarball(s)", nullptr, int(files.size())));
    m_project = new QComboBox;
    m_project->setObjectName(u"projectCombo"_s);
    for (const Project &project : projects) {
        m_project->addItem(project.fullPath, project.id);
    }
    m_project->setCurrentIndex(std::max(0, m_project->findData(projectId)));
    connect(m_project, &QComboBox::currentIndexChanged, this, &PublishDialog::check);
    m_tag = new QLineEdit(u"latest"_s);
    m_tag->setObjectName(u"distTagEdit"_s);
    m_tagStatus = new QLabel;
    m_tagStatus->setObjectName(u"tagStatus"_s);
    connect(m_tag, &QLineEdit::textChanged, this, &PublishDialog::updateButton);

    m_table = new QTableWidget(0, 6);
    m_table->setObjectName(u"preflightTable"_s);
    m_table->setHorizontalHeaderLabels({tr("File"),
                                        tr("Package"),
                                        tr("Files"),
                                        tr("Unpacked"),
                                        tr("Install scripts"),
                                        tr("Check")});
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setWordWrap(true);
    m_table->setColumnWidth(FileColumn, 160);
    m_table->setColumnWidth(PackageColumn, 190);
    m_table->setColumnWidth(FilesColumn, 50);
    m_table->setColumnWidth(SizeColumn, 80);
    m_table->setColumnWidth(ScriptsColumn, 110);
    m_progress = new QProgressBar;
    m_progress->setObjectName(u"publishProgress"_s);
    m_progress->hide();

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close);
    m_publish = buttons->addButton(tr("&Publish"), QDialogButtonBox::AcceptRole);
    m_publish->setObjectName(u"publishButton"_s);
    disconnect(buttons, &QDialogButtonBox::accepted, nullptr, nullptr);
    connect(m_publish, &QPushButton::clicked, this, &PublishDialog::publishAll);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *form = new QFormLayout;
    form->addRow(tr("&Project:"), m_project);
    form->addRow(tr("&Dist-tag:"), m_tag);
    form->addRow(QString(), m_tagStatus);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_table, 1);
    layout->addWidget(m_progress);
    layout->addWidget(buttons);
    resize(860, 380);
    check();
}

void PublishDialog::selectProject(qint64 projectId)
{
    m_project->setCurrentIndex(m_project->findData(projectId));
}

void PublishDialog::setDistTag(const QString &tag)
{
    m_tag->setText(tag);
}

void PublishDialog::check()
{
    const quint64 generation = ++m_generation;
    const qint64 projectId = m_project->currentData().toLongLong();
    Project project;
    for (const Project &candidate : m_projects) {
        if (candidate.id == projectId) {
            project = candidate;
        }
    }
    const Database *database = &m_registry.database();
    const QStringList files = m_files;
    m_publish->setEnabled(false);
    Ui::runAsync(
        this,
        nullptr,
        [database, project, files] {
            QList<TarballPreflight> preflights;
            for (const QString &path : files) {
                QFile file(path);
                if (file.size() > MaxTarballBytes) {
                    TarballPreflight tooLarge;
                    tooLarge.file = path;
                    tooLarge.problem = u"Larger than %1 bytes"_s.arg(MaxTarballBytes);
                    preflights.append(tooLarge);
                    continue;
                }
                if (!file.open(QIODevice::ReadOnly)) {
                    TarballPreflight unreadable;
                    unreadable.file = path;
                    unreadable.problem = u"Cannot read it: %1"_s.arg(file.errorString());
                    preflights.append(unreadable);
                    continue;
                }
                preflights.append(preflightTarball(*database, project, path, file.readAll()));
            }
            return preflights;
        },
        [this, generation](const QList<TarballPreflight> &preflights) {
            if (generation != m_generation) {
                return;
            }
            showPreflights(preflights);
            emit checked();
        });
}

void PublishDialog::showPreflights(const QList<TarballPreflight> &preflights)
{
    m_preflights = preflights;
    const QLocale locale;
    m_table->setRowCount(int(preflights.size()));
    for (int row = 0; row < preflights.size(); ++row) {
        const TarballPreflight &preflight = preflights.at(row);
        const auto set = [this, row](int column, const QString &text) {
            auto *item = new QTableWidgetItem(text);
            item->setToolTip(text);
            m_table->setItem(row, column, item);
        };
        set(FileColumn, QFileInfo(preflight.file).fileName());
        set(PackageColumn,
            preflight.name.isEmpty() ? QString() : preflight.name + u'@' + preflight.version);
        set(FilesColumn, preflight.fileCount ? QString::number(preflight.fileCount) : QString());
        set(SizeColumn,
            preflight.unpackedSize ? locale.formattedDataSize(preflight.unpackedSize) : QString());
        set(ScriptsColumn,
            preflight.installScripts.isEmpty() ? tr("none")
                                               : preflight.installScripts.join(u", "_s));
        // Words first: the check reads without colour.
        set(CheckColumn,
            !preflight.publishable()           ? tr("cannot publish: %1").arg(preflight.problem)
                : !preflight.warning.isEmpty() ? tr("ready; note: %1").arg(preflight.warning)
                                               : tr("ready"));
    }
    m_table->resizeRowsToContents();
    updateButton();
}

void PublishDialog::updateButton()
{
    const QString tag = m_tag->text().trimmed();
    const bool tagOk = PackageService::isValidTagName(tag);
    m_tagStatus->setText(tagOk ? QString()
                               : tr("“%1” cannot be a dist-tag (not a version or range, no "
                                    "spaces or slashes).")
                                     .arg(tag));
    const bool any = std::any_of(
        m_preflights.cbegin(), m_preflights.cend(), [](const auto &p) { return p.publishable(); });
    m_publish->setEnabled(any && tagOk && !m_publishing);
}

void PublishDialog::publishAll()
{
    if (m_publishing) {
        return;
    }
    m_publishing = true;
    m_published = 0;
    m_project->setEnabled(false);
    m_tag->setEnabled(false);
    m_progress->setRange(0, int(m_preflights.size()));
    m_progress->setValue(0);
    m_progress->resetFormat();
    m_progress->show();
    updateButton();
    publishNext(0);
}

void PublishDialog::publishNext(int row)
{
    if (row >= m_preflights.size()) {
        m_publishing = false;
        // Every file has been tried: the bar is full, and says how it went, a failure included
        // (a file that could not be published is skipped without moving the bar itself).
        m_progress->setValue(m_progress->maximum());
        const int tried = int(m_preflights.size());
        m_progress->setFormat(
            m_published == tried
                ? tr("Published %n tarball(s).", nullptr, tried)
                : tr("Published %1 of %n tarball(s); see Check for the others.", nullptr, tried)
                      .arg(m_published));
        emit finished(m_published);
        return;
    }
    m_progress->setValue(row);
    const TarballPreflight &preflight = m_preflights.at(row);
    if (!preflight.publishable()) {
        publishNext(row + 1);
        return;
    }
    Actor publisher;
    publisher.kind = Actor::Kind::User;
    // No user account: the window acts for whoever runs it.
    const QString user = qEnvironmentVariable("USER");
    publisher.username = user.isEmpty() ? u"desktop"_s : u"desktop (%1)"_s.arg(user);
    const PackageService::PublishRequest request = publishRequest(
        preflight, m_project->currentData().toLongLong(), m_tag->text().trimmed(), publisher);
    Registry *registry = &m_registry;
    Ui::runAsync(
        this,
        nullptr,
        [registry, request] { return registry->packages().publish(request); },
        [this, row](const Result<Package> &published) {
            m_table->item(row, CheckColumn)
                ->setText(published ? tr("published")
                                    : tr("not published: %1").arg(published.error().message));
            m_published += bool(published);
            m_progress->setValue(row + 1);
            publishNext(row + 1);
        });
}
