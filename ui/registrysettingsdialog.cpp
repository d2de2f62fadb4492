// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/registrysettingsdialog.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QSettings>
#include <QSpinBox>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

RegistrySettingsDialog::Values RegistrySettingsDialog::load()
{
    QSettings settings;
    settings.beginGroup(u"Registry"_s);
    Values values;
    const int port = settings.value(u"port"_s, values.port).toInt();
    values.port = port >= 0 && port <= 65535 ? quint16(port) : values.port;
    values.listenOnAllAddresses = settings.value(u"listenOnAllAddresses"_s, false).toBool();
    values.startWithWindow = settings.value(u"startWithWindow"_s, true).toBool();
    return values;
}

void RegistrySettingsDialog::save(const Values &values)
{
    QSettings settings;
    settings.beginGroup(u"Registry"_s);
    settings.setValue(u"port"_s, values.port);
    settings.setValue(u"listenOnAllAddresses"_s, values.listenOnAllAddresses);
    settings.setValue(u"startWithWindow"_s, values.startWithWindow);
}

RegistrySettingsDialog::RegistrySettingsDialog(const Values &values, QWidget *parent)
    : QDialog(parent)
{
    setObjectName(u"registrySettingsDialog"_s);
    setWindowTitle(tr("Registry Settings"));
    m_port = new QSpinBox;
    m_port->setObjectName(u"portSpin"_s);
    m_port->setRange(0, 65535);
    m_port->setSpecialValueText(tr("any free port"));
    m_port->setValue(values.port);
    m_port->setToolTip(tr("When the port is taken, the registry uses any free one and says so in "
                          "the status bar."));
    m_allAddresses = new QCheckBox(tr("Let other machines connect (listen on every address)"));
    m_allAddresses->setObjectName(u"allAddressesCheck"_s);
    m_allAddresses->setChecked(values.listenOnAllAddresses);
    m_warning = new QLabel(tr("Anyone on your network can then read public packages, and try "
                              "tokens. The registry speaks plain HTTP: tokens cross the network "
                              "unencrypted unless a TLS proxy stands in front of it."));
    m_warning->setWordWrap(true);
    m_warning->setVisible(values.listenOnAllAddresses);
    connect(m_allAddresses, &QCheckBox::toggled, m_warning, &QWidget::setVisible);
    m_autoStart = new QCheckBox(tr("Start the registry when Trove opens"));
    m_autoStart->setObjectName(u"autoStartCheck"_s);
    m_autoStart->setChecked(values.startWithWindow);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *form = new QFormLayout;
    form->addRow(tr("&Port:"), m_port);
    form->addRow(QString(), m_allAddresses);
    form->addRow(QString(), m_warning);
    form->addRow(QString(), m_autoStart);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(new QLabel(tr("A new port or address takes effect when the registry "
                                    "restarts; Trove restarts it for you.")));
    layout->addWidget(buttons);
}

RegistrySettingsDialog::Values RegistrySettingsDialog::values() const
{
    return {quint16(m_port->value()), m_allAddresses->isChecked(), m_autoStart->isChecked()};
}
