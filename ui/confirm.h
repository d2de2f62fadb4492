// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

#include <functional>

class QWidget;

namespace Ui {

// Asks before an action that cannot be undone. `text` names what breaks; `action` is the text
// of the button that does it ("Revoke"). Cancel is the default button and what Escape means, so
// a stray Return or Escape changes nothing. True when the user chose `action`.
bool confirm(QWidget *parent, const QString &title, const QString &text, const QString &action);

// The seam for tests: while set, confirm() asks this instead of showing a message box (it gets
// the title and text). An empty function restores the message box.
using ConfirmAnswer = std::function<bool(const QString &title, const QString &text)>;
void setConfirmAnswer(ConfirmAnswer answer);

} // namespace Ui
