// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/deprecatedialog.h"

#include "model/npm/semver.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace {

enum ItemRole { VersionRole = Qt::UserRole, MatchRole };

} // namespace

DeprecateDialog::DeprecateDialog(Mode mode,
                                 const QString &packageName,
                                 const QList<Version> &versions,
                                 const QString &latestVersion,
                                 const QStringList &preselected,
                                 QWidget *parent)
    : QDialog(parent)
    , m_mode(mode)
{
    setObjectName(u"deprecateDialog"_s);
    const bool deprecating = mode == Mode::Deprecate;
    setWindowTitle(deprecating ? tr("Deprecate %1").arg(packageName)
                               : tr("Undeprecate %1").arg(packageName));

    auto *intro =
        new QLabel(deprecating ? tr("npm, yarn and pnpm warn everyone who installs a deprecated "
                                    "version, with your message. The versions stay installable.")
                               : tr("The ticked versions lose their deprecation message."));
    intro->setWordWrap(true);

    m_range = new QLineEdit;
    m_range->setObjectName(u"rangeEdit"_s);
    m_range->setPlaceholderText(tr("e.g. <1.4.0, 1.x, >=2.0.0-beta <2.0.0"));
    m_range->setClearButtonEnabled(true);
    m_range->setToolTip(
        tr("A semver range, read as npm deprecate reads it: prereleases included."));
    m_rangeStatus = new QLabel;
    m_rangeStatus->setObjectName(u"rangeStatus"_s);
    m_rangeStatus->setWordWrap(true);

    m_list = new QListWidget;
    m_list->setObjectName(u"versionChecklist"_s);
    m_list->setAccessibleName(tr("Versions"));
    m_list->setUniformItemSizes(true);
    for (const Version &version : versions) {
        QString text = version.version;
        if (version.version == latestVersion) {
            text += tr(" (latest)");
        }
        if (!version.deprecation.isEmpty()) {
            text += tr(" — deprecated: %1").arg(version.deprecation);
        }
        auto *item = new QListWidgetItem(text, m_list);
        item->setData(VersionRole, version.version);
        // Undeprecating a version that is not deprecated changes nothing: it cannot be ticked.
        const bool tickable = deprecating || !version.deprecation.isEmpty();
        item->setFlags(tickable ? Qt::ItemIsEnabled | Qt::ItemIsUserCheckable | Qt::ItemIsSelectable
                                : Qt::ItemIsSelectable);
        if (!tickable) {
            item->setToolTip(tr("Not deprecated"));
        }
        item->setCheckState(tickable && preselected.contains(version.version) ? Qt::Checked
                                                                              : Qt::Unchecked);
    }
    connect(m_list, &QListWidget::itemChanged, this, &DeprecateDialog::updateState);
    connect(m_range, &QLineEdit::textChanged, this, [this](const QString &text) {
        if (text.trimmed().isEmpty()) {
            m_rangeStatus->clear();
            for (int i = 0; i < m_list->count(); ++i) {
                m_list->item(i)->setData(MatchRole, false);
                m_list->item(i)->setData(Qt::BackgroundRole, QVariant());
            }
            updateState();
            return;
        }
        if (!applyRange(text)) {
            m_rangeStatus->setText(tr("Not a semver range: nothing changed."));
        }
    });

    m_message = new QComboBox(this);
    m_message->setObjectName(u"messageEdit"_s);
    m_message->setEditable(true);
    m_message->setInsertPolicy(QComboBox::NoInsert);
    m_message->lineEdit()->setPlaceholderText(tr("Why, and what to use instead"));
    m_message->addItem(QString());
    if (!latestVersion.isEmpty()) {
        m_message->addItem(tr("Upgrade to %1 or later.").arg(latestVersion));
        m_message->addItem(
            tr("This version has a known security issue; upgrade to %1.").arg(latestVersion));
        m_message->addItem(tr("Published by mistake; use %1 instead.").arg(latestVersion));
    }
    m_message->addItem(tr("No longer maintained."));
    m_message->setCurrentIndex(0);
    m_message->setToolTip(tr("Pick a template or write your own message."));
    connect(m_message, &QComboBox::currentTextChanged, this, &DeprecateDialog::updateState);

    m_summary = new QLabel;
    m_summary->setObjectName(u"summaryLabel"_s);
    m_summary->setWordWrap(true);

    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    m_buttons->button(QDialogButtonBox::Ok)
        ->setText(deprecating ? tr("Deprecate") : tr("Undeprecate"));
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *form = new QFormLayout;
    form->addRow(tr("&Range:"), m_range);
    form->addRow(QString(), m_rangeStatus);
    form->addRow(tr("&Versions:"), m_list);
    if (deprecating) {
        form->addRow(tr("&Message:"), m_message);
    } else {
        m_message->hide();
    }
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addLayout(form);
    layout->addWidget(m_summary);
    layout->addWidget(m_buttons);
    resize(520, 460);
    updateState();
}

bool DeprecateDialog::applyRange(const QString &text)
{
    const std::optional<Trove::Npm::Range> range = Trove::Npm::Range::parse(text);
    if (!range) {
        return false;
    }
    const QSignalBlocker blocker(m_list);
    int matches = 0;
    for (int i = 0; i < m_list->count(); ++i) {
        QListWidgetItem *item = m_list->item(i);
        const std::optional<Trove::Npm::Version> version =
            Trove::Npm::Version::parse(item->data(VersionRole).toString());
        const bool match = version && range->satisfies(*version, true)
            && item->flags().testFlag(Qt::ItemIsUserCheckable);
        matches += match;
        item->setData(MatchRole, match);
        item->setCheckState(match ? Qt::Checked : Qt::Unchecked);
        // The tick says it without colour; the highlight makes the matches easy to scan.
        item->setData(Qt::BackgroundRole,
                      match ? QVariant(palette().highlight().color().lighter(170)) : QVariant());
    }
    m_rangeStatus->setText(tr("%n version(s) match.", nullptr, matches));
    updateState();
    return true;
}

QStringList DeprecateDialog::checkedVersions() const
{
    QStringList versions;
    for (int i = 0; i < m_list->count(); ++i) {
        if (m_list->item(i)->checkState() == Qt::Checked) {
            versions.append(m_list->item(i)->data(VersionRole).toString());
        }
    }
    return versions;
}

QString DeprecateDialog::message() const
{
    return m_mode == Mode::Deprecate ? m_message->currentText().trimmed() : QString();
}

QMap<QString, QString> DeprecateDialog::messages() const
{
    QMap<QString, QString> result;
    const QString text = message();
    for (const QString &version : checkedVersions()) {
        result.insert(version, text);
    }
    return result;
}

void DeprecateDialog::updateState()
{
    const int count = int(checkedVersions().size());
    const bool needsMessage = m_mode == Mode::Deprecate && message().isEmpty();
    QString summary;
    if (count == 0) {
        summary = tr("Tick versions or type a range.");
    } else if (needsMessage) {
        summary = tr("Write a message: npm shows it to everyone who installs these versions.");
    } else if (m_mode == Mode::Deprecate) {
        summary = tr("%n version(s) will be deprecated.", nullptr, count);
    } else {
        summary = tr("%n version(s) will be undeprecated.", nullptr, count);
    }
    m_summary->setText(summary);
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(count > 0 && !needsMessage);
}
