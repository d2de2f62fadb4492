// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "model/serverstatus.h"

#include <QDialog>

class QLabel;

// Help ▸ About Trove: the version, the licence, the Qt it was built with and runs on, the data
// folder and the registry's address (each field selectable, for a bug report or a teammate).
class AboutDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AboutDialog)

public:
    explicit AboutDialog(const QString &dataFolder,
                         const Trove::ServerStatus &status,
                         QWidget *parent = nullptr);

    // The registry's address line: the URL while it runs, else what it is doing.
    static QString addressText(const Trove::ServerStatus &status);
};
