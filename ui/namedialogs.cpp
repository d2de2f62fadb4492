// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/namedialogs.h"

#include "model/services/namespaceservice.h"
#include "model/services/userservice.h"
#include "ui/async.h"

#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;
using Trove::NamespaceService;
using Trove::Result;
using Trove::UserService;

NameInputDialog::NameInputDialog(
    Kind kind, const QString &title, const QString &label, const QString &text, QWidget *parent)
    : QInputDialog(parent)
    , m_kind(kind)
{
    setObjectName(u"namespaceInput"_s);
    setWindowTitle(title);
    setInputMode(QInputDialog::TextInput);
    setLabelText(label);
    setTextValue(text);
    m_reason = new QLabel(this);
    m_reason->setObjectName(u"nameReason"_s);
    m_reason->setWordWrap(true);
    m_reason->setTextInteractionFlags(Qt::TextSelectableByMouse);
    // QInputDialog builds its layout (label, field, buttons in one QVBoxLayout) on first need;
    // sizeHint() is a public way to ask for it. The reason goes under the field.
    (void)sizeHint();
    if (auto *box = qobject_cast<QVBoxLayout *>(layout())) {
        box->insertWidget(box->count() - 1, m_reason);
    }
    connect(this, &QInputDialog::textValueChanged, this, &NameInputDialog::updateState);
    updateState();
}

void NameInputDialog::setWrite(std::function<Result<void>(const QString &)> write)
{
    m_write = std::move(write);
}

QString NameInputDialog::problem(Kind kind, const QString &text)
{
    const QString value = text.trimmed();
    const bool user = kind == Kind::User;
    if (value.isEmpty()) {
        return user ? tr("Type a username.") : tr("Type a path.");
    }
    if (value.contains(u'/')) {
        return tr("One part only: no “/”.");
    }
    const bool valid =
        user ? UserService::isValidUsername(value) : NamespaceService::isValidPathSegment(value);
    if (!valid) {
        // The store's rule decides; these say which part of it the input breaks.
        if (value.startsWith(u'-') || value.startsWith(u'.')) {
            return tr("It cannot start with “-” or “.”.");
        }
        if (value.endsWith(u".git"_s) || value.endsWith(u".atom"_s)) {
            return tr("It cannot end in “.git” or “.atom”.");
        }
        if (value.size() > 255) {
            return tr("At most 255 characters.");
        }
        return tr("Only letters, digits, “_”, “-” and “.”.");
    }
    if (kind == Kind::TopLevelGroup && value != value.toLower()) {
        // GitLab would take "Acme", but npm refuses capital letters in new package names, so no
        // package could ever be published under the scope @Acme.
        return tr("Use lowercase: the path becomes the npm scope @%1, and npm refuses capital "
                  "letters in package names.")
            .arg(value);
    }
    return {};
}

QString NameInputDialog::reason() const
{
    return m_reason->text();
}

void NameInputDialog::updateState()
{
    const QString why = problem(m_kind, textValue());
    if (auto *buttons = findChild<QDialogButtonBox *>()) {
        buttons->button(QDialogButtonBox::Ok)->setEnabled(why.isEmpty() && !m_writing);
    }
    if (!why.isEmpty()) {
        showReason(why, true);
    } else if (m_kind == Kind::TopLevelGroup) {
        showReason(tr("Packages in it will be named @%1/…").arg(textValue().trimmed()), false);
    } else {
        showReason({}, false);
    }
}

void NameInputDialog::showReason(const QString &text, bool problem)
{
    m_reason->setText(text);
    // A problem in red, readable on light and dark themes; a hint in the normal text colour.
    m_reason->setStyleSheet(problem ? u"color: #c0392b;"_s : QString());
}

void NameInputDialog::done(int result)
{
    if (result != QDialog::Accepted || m_written || !m_write) {
        QInputDialog::done(result);
        return;
    }
    // Accept() also comes from Enter in the field, where the disabled button does not guard.
    if (m_writing || !problem(m_kind, textValue()).isEmpty()) {
        return;
    }
    const QString value = textValue().trimmed();
    m_writing = true;
    setEnabled(false);
    updateState();
    Ui::runAsync(
        this,
        nullptr,
        [write = m_write, value] { return write(value); },
        [this, value](const Result<void> &written) {
            m_writing = false;
            setEnabled(true);
            if (!written) {
                updateState();
                showReason(written.error().message, true);
                emit writeFinished(false, written.error().message);
                findChild<QLineEdit *>()->setFocus();
                return;
            }
            m_written = true;
            emit writeFinished(true, value);
            QInputDialog::done(QDialog::Accepted);
        });
}
