// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/mirrordialog.h"

#include "model/registry.h"
#include "model/store/namespacestore.h"
#include "ui/async.h"

#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileInfo>
#include <QFormLayout>
#include <QLabel>
#include <QListWidget>
#include <QMutex>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QStackedWidget>
#include <QTimer>
#include <QVBoxLayout>

#include <algorithm>
#include <atomic>

using namespace Qt::StringLiterals;
using namespace Trove;

// Shared by the dialog and the run on the pool: the dialog may be closed (and gone) before the
// run ends, so the run writes its progress here and the dialog reads it on a timer.
struct MirrorDialog::Run
{
    std::atomic_bool cancel{false};
    QMutex mutex;
    qsizetype done = 0;
    qsizetype total = 0;
    QString name;
};

namespace {

struct Loaded
{
    struct File
    {
        QString path;
        QString format; // empty: refused
        QString error;
        qsizetype packages = 0;
    };
    QList<File> files;
    std::optional<LockfileMirror::Plan> plan; // of the files that could be read
    QList<Group> groups;
    QList<Project> projects;
};

QVariant levelData(qint64 projectId, qint64 groupId)
{
    return QVariantList{projectId, groupId};
}

} // namespace

bool MirrorDialog::looksLikeLockfile(const QString &path)
{
    static const QStringList names = {
        u"package-lock.json"_s, u"npm-shrinkwrap.json"_s, u"yarn.lock"_s, u"pnpm-lock.yaml"_s};
    const QString name = QFileInfo(path).fileName();
    if (names.contains(name, Qt::CaseInsensitive)) {
        return true;
    }
    const QString suffix = QFileInfo(path).suffix().toLower();
    return suffix == u"json"_s || suffix == u"lock"_s || suffix == u"yaml"_s || suffix == u"yml"_s;
}

MirrorDialog::MirrorDialog(Registry &registry,
                           const QStringList &files,
                           const LockfileMirror::Level &level,
                           QWidget *parent)
    : QDialog(parent)
    , m_registry(registry)
    , m_files(files)
    , m_preselected(level)
{
    setObjectName(u"mirrorDialog"_s);
    setWindowTitle(tr("Mirror %n Lockfile(s)", nullptr, int(files.size())));

    m_pages = new QStackedWidget;

    // The files and where their packages go.
    auto *choose = new QWidget;
    m_fileList = new QListWidget;
    m_fileList->setObjectName(u"lockfileList"_s);
    m_fileList->setWordWrap(true);
    m_target = new QComboBox;
    m_target->setObjectName(u"targetCombo"_s);
    m_target->setEnabled(false);
    m_targetStatus = new QLabel;
    m_targetStatus->setObjectName(u"targetStatus"_s);
    m_targetStatus->setWordWrap(true);
    m_targetStatus->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *explain = new QLabel(
        tr("Every package the lockfiles pin is fetched from the upstream into the proxy's cache, "
           "so that the project installs with the upstream gone. Forwarding where they go must "
           "be proxy and cache."));
    explain->setWordWrap(true);
    auto *form = new QFormLayout;
    form->addRow(tr("Into:"), m_target);
    auto *chooseLayout = new QVBoxLayout(choose);
    chooseLayout->setContentsMargins(0, 0, 0, 0);
    chooseLayout->addWidget(explain);
    chooseLayout->addWidget(m_fileList, 1);
    chooseLayout->addLayout(form);
    chooseLayout->addWidget(m_targetStatus);
    m_pages->addWidget(choose);

    // The run.
    auto *running = new QWidget;
    m_progress = new QProgressBar;
    m_progress->setObjectName(u"mirrorProgress"_s);
    m_progress->setFormat(tr("%v of %m"));
    m_current = new QLabel;
    m_current->setObjectName(u"currentPackage"_s);
    auto *runningLayout = new QVBoxLayout(running);
    runningLayout->setContentsMargins(0, 0, 0, 0);
    runningLayout->addStretch();
    runningLayout->addWidget(m_progress);
    runningLayout->addWidget(m_current);
    runningLayout->addStretch();
    m_pages->addWidget(running);

    // The report.
    auto *done = new QWidget;
    m_summary = new QLabel;
    m_summary->setObjectName(u"reportSummary"_s);
    m_summary->setWordWrap(true);
    m_report = new QPlainTextEdit;
    m_report->setObjectName(u"mirrorReport"_s);
    m_report->setReadOnly(true);
    m_report->setLineWrapMode(QPlainTextEdit::NoWrap);
    auto *copy = new QPushButton(tr("&Copy Report"));
    copy->setObjectName(u"copyReportButton"_s);
    connect(copy, &QPushButton::clicked, this, [this] {
        QApplication::clipboard()->setText(m_report->toPlainText());
    });
    auto *doneLayout = new QVBoxLayout(done);
    doneLayout->setContentsMargins(0, 0, 0, 0);
    doneLayout->addWidget(m_summary);
    doneLayout->addWidget(m_report, 1);
    doneLayout->addWidget(copy, 0, Qt::AlignLeft);
    m_pages->addWidget(done);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close);
    m_mirrorButton = buttons->addButton(tr("&Mirror"), QDialogButtonBox::AcceptRole);
    m_mirrorButton->setObjectName(u"mirrorButton"_s);
    m_mirrorButton->setEnabled(false);
    m_cancelButton = buttons->addButton(tr("Cancel Mirror"), QDialogButtonBox::ActionRole);
    m_cancelButton->setObjectName(u"cancelButton"_s);
    m_cancelButton->hide();
    connect(buttons, &QDialogButtonBox::rejected, this, &MirrorDialog::reject);
    connect(m_mirrorButton, &QPushButton::clicked, this, &MirrorDialog::start);
    connect(m_cancelButton, &QPushButton::clicked, this, [this] {
        if (m_run) {
            m_run->cancel = true;
            m_cancelButton->setEnabled(false);
            m_current->setText(tr("Cancelling: the packages being fetched finish first…"));
        }
    });
    connect(m_target, &QComboBox::currentIndexChanged, this, &MirrorDialog::checkTarget);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_pages, 1);
    layout->addWidget(buttons);
    resize(560, 380);
    load();
}

MirrorDialog::~MirrorDialog()
{
    if (m_run) {
        m_run->cancel = true;
    }
}

void MirrorDialog::reject()
{
    // Closing while it runs cancels what has not started; the run ends on its own.
    if (m_run) {
        m_run->cancel = true;
    }
    QDialog::reject();
}

void MirrorDialog::load()
{
    Registry *registry = &m_registry;
    Ui::runAsync(
        this,
        nullptr,
        [registry, files = m_files] {
            Loaded loaded;
            QStringList readable;
            for (const QString &path : files) {
                Loaded::File file{path, {}, {}, 0};
                const Result<Lockfile> lockfile = Lockfiles::read(path);
                if (lockfile) {
                    file.format = Lockfiles::formatName(lockfile->format);
                    file.packages =
                        std::count_if(lockfile->entries.cbegin(),
                                      lockfile->entries.cend(),
                                      [](const LockfileEntry &entry) { return !entry.skipped(); });
                    readable << path;
                } else {
                    file.error = lockfile.error().message;
                }
                loaded.files.append(file);
            }
            if (!readable.isEmpty()) {
                if (Result<LockfileMirror::Plan> plan = LockfileMirror::read(readable); plan) {
                    loaded.plan = std::move(*plan);
                }
            }
            const NamespaceStore store(registry->database());
            loaded.groups = store.groups().value_or(QList<Group>());
            loaded.projects = store.projects().value_or(QList<Project>());
            return loaded;
        },
        [this](const Loaded &loaded) {
            m_fileList->clear();
            for (const Loaded::File &file : loaded.files) {
                const QString name = QFileInfo(file.path).fileName();
                auto *item = new QListWidgetItem;
                if (file.format.isEmpty()) {
                    // The error starts with the whole path; the tooltip has it.
                    QString error = file.error;
                    error.replace(file.path, name);
                    item->setText(tr("%1: refused, %2").arg(name, error));
                    item->setIcon(style()->standardIcon(QStyle::SP_MessageBoxWarning));
                } else {
                    item->setText(tr("%1: %n package version(s) (%2)", nullptr, int(file.packages))
                                      .arg(name, file.format));
                }
                item->setToolTip(file.path);
                m_fileList->addItem(item);
            }
            m_plan = loaded.plan;

            QList<Group> groups = loaded.groups;
            QList<Project> projects = loaded.projects;
            std::sort(groups.begin(), groups.end(), [](const Group &a, const Group &b) {
                return a.fullPath < b.fullPath;
            });
            std::sort(projects.begin(), projects.end(), [](const Project &a, const Project &b) {
                return a.fullPath < b.fullPath;
            });
            const QSignalBlocker blocker(m_target);
            m_target->clear();
            m_target->addItem(tr("The instance"), levelData(0, 0));
            for (const Group &group : std::as_const(groups)) {
                m_target->addItem(tr("Group %1").arg(group.fullPath), levelData(0, group.id));
                m_target->setItemData(m_target->count() - 1, group.fullPath, Qt::UserRole + 1);
            }
            for (const Project &project : std::as_const(projects)) {
                m_target->addItem(tr("Project %1").arg(project.fullPath), levelData(project.id, 0));
                m_target->setItemData(m_target->count() - 1, project.fullPath, Qt::UserRole + 1);
            }
            const int preselected =
                m_target->findData(levelData(m_preselected.projectId, m_preselected.groupId));
            m_target->setCurrentIndex(std::max(preselected, 0));
            m_target->setEnabled(true);
            checkTarget();
        });
}

void MirrorDialog::checkTarget()
{
    const quint64 generation = ++m_checkGeneration;
    m_mirrorButton->setEnabled(false);
    const QVariantList data = m_target->currentData().toList();
    if (data.size() != 2) {
        return;
    }
    LockfileMirror::Level level{data.at(0).toLongLong(),
                                data.at(1).toLongLong(),
                                m_target->currentData(Qt::UserRole + 1).toString()};
    Registry *registry = &m_registry;
    Ui::runAsync(
        this,
        nullptr,
        [registry, level] { return LockfileMirror::checkForwarding(*registry, level); },
        [this, generation](const Result<void> &proxying) {
            if (generation != m_checkGeneration) {
                return;
            }
            m_forwardingOk = bool(proxying);
            if (!m_plan) {
                m_targetStatus->setText(tr("None of the files is a lockfile that can be read."));
            } else if (!proxying) {
                m_targetStatus->setText(
                    tr("Not here: %1. Choose where forwarding is proxy and cache, or set it "
                       "in Forwarding…")
                        .arg(proxying.error().message));
            } else {
                qsizetype names = m_plan->wanted.size();
                m_targetStatus->setText(
                    tr("%n package name(s) will be fetched into the cache.", nullptr, int(names)));
            }
            m_mirrorButton->setEnabled(m_plan && m_forwardingOk && !m_plan->wanted.isEmpty());
            emit ready();
        });
}

void MirrorDialog::start()
{
    if (!m_plan || m_run) {
        return;
    }
    m_run = std::make_shared<Run>();
    m_pages->setCurrentIndex(1);
    m_mirrorButton->hide();
    m_cancelButton->show();
    m_progress->setRange(0, 0);
    m_current->setText(tr("Asking the upstream…"));
    auto *timer = new QTimer(this);
    connect(timer, &QTimer::timeout, this, &MirrorDialog::showProgress);
    timer->start(100);

    Registry *registry = &m_registry;
    std::shared_ptr<Run> run = m_run;
    Ui::runAsync(
        this,
        nullptr,
        [registry, plan = *m_plan, run]() -> Result<LockfileMirror::Report> {
            const std::unique_ptr<MirrorFetcher> fetcher = LockfileMirror::makeFetcher(*registry);
            if (!fetcher) {
                return Error{Error::Code::Invalid, u"this program has no proxy to mirror with"_s};
            }
            return LockfileMirror::run(
                *registry,
                plan,
                *fetcher,
                [run](qsizetype done, qsizetype total, const LockfileMirror::NameDone &name) {
                    const QMutexLocker lock(&run->mutex);
                    run->done = done;
                    run->total = total;
                    run->name = name.name;
                },
                &run->cancel);
        },
        [this, timer](const Result<LockfileMirror::Report> &report) {
            timer->stop();
            showProgress(); // the last name, which the timer may not have seen
            showReport(report);
        });
}

void MirrorDialog::showProgress()
{
    if (!m_run) {
        return;
    }
    const QMutexLocker lock(&m_run->mutex);
    if (m_run->total == 0) {
        return;
    }
    m_progress->setRange(0, int(m_run->total));
    m_progress->setValue(int(m_run->done));
    if (!m_run->cancel) {
        m_current->setText(tr("%1 of %2: %3").arg(m_run->done).arg(m_run->total).arg(m_run->name));
    }
}

void MirrorDialog::showReport(const Result<LockfileMirror::Report> &report)
{
    m_pages->setCurrentIndex(2);
    m_cancelButton->hide();
    if (!report) {
        m_summary->setText(tr("The mirror stopped: %1").arg(report.error().message));
        m_report->setPlainText(report.error().message);
        emit mirrored(false);
        return;
    }
    QString summary = tr("%n package version(s) fetched", nullptr, int(report->fetched.size()))
        + u", "_s + tr("%n already cached", nullptr, int(report->alreadyCached.size())) + u", "_s
        + tr("%n could not be had", nullptr, int(report->failed.size())) + u"."_s;
    if (report->cancelled) {
        summary += u' ' + tr("Cancelled.");
    }
    m_summary->setText(summary);
    m_report->setPlainText(report->plainText());
    emit mirrored(report->ok());
}
