// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/registrysettingsdialog.h"

#include "model/registry.h"
#include "model/tls/selfsigned.h"

#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFontDatabase>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QVBoxLayout>

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <optional>

using namespace Qt::StringLiterals;

namespace {

QLabel *errorLabel(const char *name)
{
    auto *label = new QLabel;
    label->setObjectName(QString::fromLatin1(name));
    label->setWordWrap(true);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    // Red: the message under a field is what keeps Save disabled.
    label->setStyleSheet(u"color: #c01c28;"_s);
    label->hide();
    return label;
}

void showError(QLabel *label, const QString &text)
{
    label->setText(text);
    label->setVisible(!text.isEmpty());
}

} // namespace

QString RegistrySettingsDialog::Values::clientCaFile() const
{
    if (!tlsEnabled()) {
        return {};
    }
    const Trove::Result<Trove::Tls::CertificateInfo> info =
        Trove::Tls::checkCertificateFile(certificateFile);
    return info && info->selfSigned ? certificateFile : QString();
}

RegistrySettingsDialog::Values RegistrySettingsDialog::load()
{
    QSettings settings;
    settings.beginGroup(u"Registry"_s);
    Values values;
    const int port = settings.value(u"port"_s, values.port).toInt();
    values.port = port >= 0 && port <= 65535 ? quint16(port) : values.port;
    values.listenOnAllAddresses = settings.value(u"listenOnAllAddresses"_s, false).toBool();
    values.startWithWindow = settings.value(u"startWithWindow"_s, true).toBool();
    values.certificateFile = settings.value(u"tlsCertificateFile"_s).toString();
    values.keyFile = settings.value(u"tlsKeyFile"_s).toString();
    return values;
}

void RegistrySettingsDialog::save(const Values &values)
{
    QSettings settings;
    settings.beginGroup(u"Registry"_s);
    settings.setValue(u"port"_s, values.port);
    settings.setValue(u"listenOnAllAddresses"_s, values.listenOnAllAddresses);
    settings.setValue(u"startWithWindow"_s, values.startWithWindow);
    settings.setValue(u"tlsCertificateFile"_s, values.certificateFile);
    settings.setValue(u"tlsKeyFile"_s, values.keyFile);
}

QStringList RegistrySettingsDialog::machineAddresses()
{
    // getifaddrs() rather than QNetworkInterface: ui/ does not link Qt Network.
    QStringList addresses;
    ifaddrs *list = nullptr;
    if (getifaddrs(&list) != 0) {
        return addresses;
    }
    for (const ifaddrs *entry = list; entry; entry = entry->ifa_next) {
        if (!entry->ifa_addr || !(entry->ifa_flags & IFF_UP)) {
            continue;
        }
        char text[INET6_ADDRSTRLEN] = {};
        const int family = entry->ifa_addr->sa_family;
        const void *address = nullptr;
        if (family == AF_INET) {
            address = &reinterpret_cast<const sockaddr_in *>(entry->ifa_addr)->sin_addr;
        } else if (family == AF_INET6) {
            address = &reinterpret_cast<const sockaddr_in6 *>(entry->ifa_addr)->sin6_addr;
        }
        if (address && inet_ntop(family, address, text, sizeof text)) {
            const QString name = QString::fromLatin1(text);
            if (!addresses.contains(name)) {
                addresses.append(name);
            }
        }
    }
    freeifaddrs(list);
    return addresses;
}

RegistrySettingsDialog::RegistrySettingsDialog(const Values &values, QWidget *parent)
    : QDialog(parent)
    , m_certificateFolder(Trove::Registry::defaultDataDir())
{
    setObjectName(u"registrySettingsDialog"_s);
    setWindowTitle(tr("Registry Settings"));
    m_port = new QSpinBox;
    m_port->setObjectName(u"portSpin"_s);
    m_port->setRange(0, 65535);
    m_port->setSpecialValueText(tr("any free port"));
    m_port->setValue(values.port);
    m_port->setToolTip(tr("When the port is taken, Trove asks: retry, or use another port."));
    m_inForce = new QLabel;
    m_inForce->setObjectName(u"portInForceLabel"_s);
    m_inForce->setWordWrap(true);
    m_inForce->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_inForce->hide();
    m_portWarning = new QLabel;
    m_portWarning->setObjectName(u"portChangeWarning"_s);
    m_portWarning->setWordWrap(true);
    m_portWarning->hide();
    m_allAddresses = new QCheckBox(tr("Let other machines connect (listen on every address)"));
    m_allAddresses->setObjectName(u"allAddressesCheck"_s);
    m_allAddresses->setChecked(values.listenOnAllAddresses);
    m_warning = new QLabel;
    m_warning->setObjectName(u"lanWarning"_s);
    m_warning->setWordWrap(true);
    m_autoStart = new QCheckBox(tr("Start the registry when Trove opens"));
    m_autoStart->setObjectName(u"autoStartCheck"_s);
    m_autoStart->setChecked(values.startWithWindow);

    // TLS: two files, each with its own message under it.
    const auto fileRow = [this](QLineEdit *edit, const char *browseName, const QString &title) {
        auto *browse = new QPushButton(tr("Browse…"));
        browse->setObjectName(QString::fromLatin1(browseName));
        connect(browse, &QPushButton::clicked, this, [this, edit, title] {
            const QString chosen = m_chooseFile
                ? m_chooseFile(title, edit->text())
                : QFileDialog::getOpenFileName(
                    this, title, edit->text(), tr("PEM files (*.pem *.crt *.key);;All files (*)"));
            if (!chosen.isEmpty()) {
                edit->setText(QDir::toNativeSeparators(chosen));
            }
        });
        auto *row = new QHBoxLayout;
        row->addWidget(edit, 1);
        row->addWidget(browse);
        return row;
    };
    m_certificate = new QLineEdit(values.certificateFile);
    m_certificate->setObjectName(u"certificateEdit"_s);
    m_certificate->setPlaceholderText(tr("none: plain HTTP"));
    m_certificate->setClearButtonEnabled(true);
    m_certificateError = errorLabel("certificateError");
    m_key = new QLineEdit(values.keyFile);
    m_key->setObjectName(u"keyEdit"_s);
    m_key->setPlaceholderText(tr("the certificate's private key, unencrypted"));
    m_key->setClearButtonEnabled(true);
    m_keyError = errorLabel("keyError");
    m_create = new QPushButton(tr("Create a &self-signed certificate for this machine"));
    m_create->setObjectName(u"createCertificateButton"_s);
    m_create->setToolTip(tr("Writes cert.pem and key.pem into Trove's data folder, replacing "
                            "earlier ones, for every address of this machine."));
    m_fingerprint = new QLabel;
    m_fingerprint->setObjectName(u"fingerprintLabel"_s);
    // Not word-wrapped: validate() breaks its lines, and a wrapped label asks for height it
    // does not use.
    m_fingerprint->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_cafileLine = new QLineEdit;
    m_cafileLine->setObjectName(u"cafileLine"_s);
    m_cafileLine->setReadOnly(true);
    m_cafileLine->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_cafileLine->setWhatsThis(tr("The .npmrc line that makes npm, pnpm and yarn 1 trust this "
                                  "certificate; on another machine, the path of its copy there."));
    m_copyCafile = new QPushButton(tr("Copy"));
    m_copyCafile->setObjectName(u"copyCafileButton"_s);
    connect(m_copyCafile, &QPushButton::clicked, this, [this] {
        QApplication::clipboard()->setText(m_cafileLine->text());
    });
    auto *cafileRow = new QHBoxLayout;
    cafileRow->addWidget(m_cafileLine, 1);
    cafileRow->addWidget(m_copyCafile);

    // Labels made here: addRow(text, layout) gives its label no buddy, so no mnemonic.
    const auto buddyLabel = [](const QString &text, QWidget *buddy) {
        auto *label = new QLabel(text);
        label->setBuddy(buddy);
        return label;
    };
    auto *tlsForm = new QFormLayout;
    tlsForm->addRow(buddyLabel(tr("C&ertificate:"), m_certificate),
                    fileRow(m_certificate, "browseCertificateButton", tr("Certificate (PEM)")));
    tlsForm->addRow(QString(), m_certificateError);
    tlsForm->addRow(buddyLabel(tr("Private &key:"), m_key),
                    fileRow(m_key, "browseKeyButton", tr("Private key (PEM)")));
    tlsForm->addRow(QString(), m_keyError);
    tlsForm->addRow(QString(), m_create);
    tlsForm->addRow(QString(), m_fingerprint);
    tlsForm->addRow(buddyLabel(tr(".&npmrc:"), m_cafileLine), cafileRow);
    auto *tlsBox = new QGroupBox(tr("HTTPS (TLS)"));
    tlsBox->setObjectName(u"tlsGroup"_s);
    tlsBox->setLayout(tlsForm);

    m_buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *form = new QFormLayout;
    form->addRow(tr("&Port:"), m_port);
    form->addRow(QString(), m_inForce);
    form->addRow(QString(), m_portWarning);
    form->addRow(QString(), m_allAddresses);
    form->addRow(QString(), m_warning);
    form->addRow(QString(), m_autoStart);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(tlsBox);
    auto *note = new QLabel(tr("A new port, address or certificate takes effect when the registry "
                               "restarts; Trove restarts it for you."));
    note->setWordWrap(true);
    layout->addWidget(note);
    layout->addStretch(1);
    layout->addWidget(m_buttons);
    // Wide enough for a path and the fingerprint's lines, narrow enough for an 800-pixel screen.
    setMinimumWidth(560);

    connect(m_allAddresses, &QCheckBox::toggled, this, &RegistrySettingsDialog::validate);
    connect(m_port, &QSpinBox::valueChanged, this, &RegistrySettingsDialog::updatePortWarning);
    connect(m_certificate, &QLineEdit::textChanged, this, &RegistrySettingsDialog::validate);
    connect(m_key, &QLineEdit::textChanged, this, &RegistrySettingsDialog::validate);
    connect(m_create, &QPushButton::clicked, this, &RegistrySettingsDialog::createCertificate);
    validate();
}

void RegistrySettingsDialog::showPortInForce(const Trove::ServerStatus &status,
                                             const QString &commandLineListen)
{
    using State = Trove::ServerStatus::State;
    const QString setting = QString::number(RegistrySettingsDialog::load().port);
    // Why this port: the setting, or this run's --listen, which the setting does not change
    // until Save (after Save the settings are in force).
    const QString why = commandLineListen.isEmpty()
        ? tr("from the settings")
        : tr("from --listen %1 on the command line: the setting is %2")
              .arg(commandLineListen, setting);
    QString text;
    switch (status.state) {
    case State::Running:
        text = tr("In use: %1, %2.").arg(status.url(), why);
        break;
    case State::Starting:
        text = tr("Starting on port %1, %2.").arg(status.requestedPort).arg(why);
        break;
    case State::Failed:
        text = tr("Not running: %1. Port %2, %3.")
                   .arg(status.error)
                   .arg(status.requestedPort)
                   .arg(why);
        break;
    case State::Stopped:
        text = status.requestedPort != 0
            ? tr("Stopped; starts on port %1, %2.").arg(status.requestedPort).arg(why)
            : tr("Stopped.");
        break;
    }
    m_inForce->setText(text);
    m_inForce->show();
    // The port .npmrc files were written for: the running one, else the one asked for (a busy
    // port included: the files written before point at it).
    m_portInUse = status.state == State::Running ? status.port : status.requestedPort;
    updatePortWarning();
}

void RegistrySettingsDialog::suggestPort(quint16 port)
{
    m_port->setValue(port);
    m_port->setFocus();
    m_port->selectAll();
}

quint16 RegistrySettingsDialog::freePortAfter(quint16 port, bool allAddresses)
{
    // A socket of our own rather than QTcpServer: ui/ does not link Qt Network.
    for (int candidate = port + 1; candidate <= port + 100 && candidate <= 65535; ++candidate) {
        const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
        if (fd < 0) {
            return 0;
        }
        // As the server binds: SO_REUSEADDR, so a port in TIME_WAIT counts as free.
        const int yes = 1;
        ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_port = htons(quint16(candidate));
        address.sin_addr.s_addr = htonl(allAddresses ? INADDR_ANY : INADDR_LOOPBACK);
        const bool free =
            ::bind(fd, reinterpret_cast<const sockaddr *>(&address), sizeof address) == 0
            && ::listen(fd, 1) == 0;
        ::close(fd);
        if (free) {
            return quint16(candidate);
        }
    }
    return 0;
}

void RegistrySettingsDialog::updatePortWarning()
{
    // Said before Save: the clients' .npmrc files keep the old address.
    const bool changed = m_portInUse != 0 && m_port->value() != m_portInUse;
    m_portWarning->setText(
        changed ? tr("⚠ .npmrc files written earlier point at port %1: after the change, write "
                     "them again (Tools ▸ Connect a Client) or edit their registry lines.")
                      .arg(m_portInUse)
                : QString());
    m_portWarning->setVisible(changed);
}

RegistrySettingsDialog::Values RegistrySettingsDialog::values() const
{
    return {quint16(m_port->value()),
            m_allAddresses->isChecked(),
            m_autoStart->isChecked(),
            QDir::fromNativeSeparators(m_certificate->text().trimmed()),
            QDir::fromNativeSeparators(m_key->text().trimmed())};
}

void RegistrySettingsDialog::validate()
{
    const Values current = values();
    QString certificateError;
    QString keyError;
    std::optional<Trove::Tls::CertificateInfo> info;
    if (!current.certificateFile.isEmpty()) {
        Trove::Result<Trove::Tls::CertificateInfo> checked =
            Trove::Tls::checkCertificateFile(current.certificateFile);
        if (checked) {
            info = std::move(*checked);
        } else {
            certificateError = checked.error().message;
        }
    }
    if (!current.keyFile.isEmpty()) {
        const Trove::Result<void> checked =
            Trove::Tls::checkKeyFile(current.keyFile, info ? current.certificateFile : QString());
        if (!checked) {
            keyError = checked.error().message;
        }
    }
    // Each half without the other: the message goes to the empty field.
    if (current.certificateFile.isEmpty() && !current.keyFile.isEmpty()) {
        certificateError = tr("Choose the certificate of this key, or clear the key.");
    } else if (!current.certificateFile.isEmpty() && current.keyFile.isEmpty()) {
        keyError = tr("Choose the private key of this certificate, or clear the certificate.");
    }
    showError(m_certificateError, certificateError);
    showError(m_keyError, keyError);
    const bool valid = certificateError.isEmpty() && keyError.isEmpty();
    m_buttons->button(QDialogButtonBox::Save)->setEnabled(valid);

    const bool tls = valid && current.tlsEnabled();
    if (info) {
        m_fingerprint->setText(
            tr("SHA-256 fingerprint:\n%1\nValid until %2%3")
                // 32 bytes as "AB:" each: two lines of 16.
                .arg(info->sha256Fingerprint.left(47) + u'\n' + info->sha256Fingerprint.mid(48),
                     QLocale().toString(info->notAfter.toLocalTime().date(), QLocale::ShortFormat),
                     info->selfSigned ? tr(", self-signed") : QString()));
    }
    m_fingerprint->setVisible(info.has_value());
    // Clients trust a self-signed certificate through cafile; one of an authority they know.
    const bool cafile = tls && info && info->selfSigned;
    m_cafileLine->setText(cafile ? u"cafile="_s + current.certificateFile : QString());
    m_cafileLine->setCursorPosition(0); // "cafile=" in sight; the whole line in the tooltip
    m_cafileLine->setToolTip(m_cafileLine->text());
    m_certificate->setToolTip(current.certificateFile);
    m_key->setToolTip(current.keyFile);
    m_cafileLine->setEnabled(cafile);
    m_copyCafile->setEnabled(cafile);

    QString warning;
    if (current.listenOnAllAddresses) {
        warning = tr("Anyone on your network can then read public packages, and try tokens.");
        if (!tls) {
            warning += u' '
                + tr("⚠ Without TLS the registry speaks plain HTTP: tokens and packages cross the "
                     "network unencrypted. Choose a certificate below.");
        }
    }
    m_warning->setText(warning);
    m_warning->setVisible(!warning.isEmpty());
}

void RegistrySettingsDialog::createCertificate()
{
    const Trove::Result<Trove::Tls::CertificateFiles> files =
        Trove::Tls::writeSelfSigned(m_certificateFolder, machineAddresses());
    if (!files) {
        showError(m_certificateError, files.error().message);
        return;
    }
    m_certificate->setText(QDir::toNativeSeparators(files->certificateFile));
    m_key->setText(QDir::toNativeSeparators(files->keyFile));
    validate();
}
