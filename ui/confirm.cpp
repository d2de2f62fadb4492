// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/confirm.h"

#include <QMessageBox>
#include <QPushButton>

namespace {

Ui::ConfirmAnswer &answer()
{
    static Ui::ConfirmAnswer instance;
    return instance;
}

} // namespace

namespace Ui {

bool confirm(QWidget *parent, const QString &title, const QString &text, const QString &action)
{
    if (answer()) {
        return answer()(title, text);
    }
    QMessageBox box(QMessageBox::Warning, title, text, QMessageBox::NoButton, parent);
    box.setObjectName(QStringLiteral("confirmation"));
    QPushButton *act = box.addButton(action, QMessageBox::DestructiveRole);
    QPushButton *cancel = box.addButton(QMessageBox::Cancel);
    box.setDefaultButton(cancel);
    box.setEscapeButton(cancel);
    box.exec();
    return box.clickedButton() == act;
}

void setConfirmAnswer(ConfirmAnswer next)
{
    answer() = std::move(next);
}

} // namespace Ui
