// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/tagdialog.h"

#include "model/services/packageservice.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

TagDialog::TagDialog(const QString &packageName,
                     const QString &version,
                     const QMap<QString, QString> &existing,
                     QWidget *parent)
    : QDialog(parent)
    , m_version(version)
    , m_existing(existing)
{
    setObjectName(u"tagDialog"_s);
    setWindowTitle(tr("Tag %1@%2").arg(packageName, version));
    m_tag = new QLineEdit;
    m_tag->setObjectName(u"tagEdit"_s);
    m_tag->setPlaceholderText(tr("e.g. beta, next, stable"));
    m_status = new QLabel;
    m_status->setObjectName(u"tagStatus"_s);
    m_status->setWordWrap(true);
    m_status->setTextFormat(Qt::PlainText);
    m_status->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("Set Tag"));
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_tag, &QLineEdit::textChanged, this, &TagDialog::updateState);

    auto *form = new QFormLayout;
    form->addRow(tr("&Tag:"), m_tag);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(new QLabel(
        tr("Clients install the tagged version with “npm install %1@TAG”.").arg(packageName)));
    layout->addLayout(form);
    layout->addWidget(m_status);
    layout->addWidget(m_buttons);
    updateState();
}

QString TagDialog::tag() const
{
    return m_tag->text().trimmed();
}

void TagDialog::updateState()
{
    const QString name = tag();
    bool valid = false;
    if (name.isEmpty()) {
        m_status->setText(tr("Type a tag name."));
    } else if (!Trove::PackageService::isValidTagName(name)) {
        // npm's own rule: a tag that reads as a version or range would be ambiguous.
        m_status->setText(tr("“%1” cannot be a tag: a tag is not a version or range, and has no "
                             "spaces, slashes or percent signs.")
                              .arg(name));
    } else if (m_existing.value(name) == m_version) {
        m_status->setText(tr("%1 already points at this version.").arg(name));
    } else if (m_existing.contains(name)) {
        m_status->setText(
            tr("Moves %1 from %2 to %3.").arg(name, m_existing.value(name), m_version));
        valid = true;
    } else {
        m_status->setText(tr("Adds the tag %1.").arg(name));
        valid = true;
    }
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(valid);
    fitStatus();
}

void TagDialog::fitStatus()
{
    // A dialog's minimum height does not follow a wrapped label's height for its width: the
    // label asks for the lines its reason takes at the width it has, and the dialog grows.
    if (m_status->isVisible()) {
        m_status->setMinimumHeight(m_status->heightForWidth(m_status->contentsRect().width()));
    }
}

void TagDialog::resizeEvent(QResizeEvent *event)
{
    QDialog::resizeEvent(event); // the layout has placed the label at the new width
    fitStatus();
}
