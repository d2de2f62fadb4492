// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QWidget>

class QPushButton;

// The package area of an empty store (no group yet): what Trove is, and one way to start, the
// set-up sheet. The main window shows it instead of the package list until a group exists.
class WelcomeView final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(WelcomeView)

public:
    explicit WelcomeView(QWidget *parent = nullptr);

    QPushButton *setupButton() const { return m_setup; }

signals:
    void setupRequested();

private:
    QPushButton *m_setup = nullptr;
};
