// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDialog>

class QCheckBox;
class QLabel;
class QSpinBox;

// Where the embedded registry listens and whether it starts with the window. Stored in
// QSettings (group "Registry"); app/ reads them at start unless --listen is given.
class RegistrySettingsDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RegistrySettingsDialog)

public:
    struct Values
    {
        quint16 port = 4873;
        bool listenOnAllAddresses = false; // 0.0.0.0 instead of 127.0.0.1
        bool startWithWindow = true;
    };

    static Values load();
    static void save(const Values &values);

    explicit RegistrySettingsDialog(const Values &values, QWidget *parent = nullptr);
    Values values() const;

private:
    QSpinBox *m_port = nullptr;
    QCheckBox *m_allAddresses = nullptr;
    QLabel *m_warning = nullptr;
    QCheckBox *m_autoStart = nullptr;
};
