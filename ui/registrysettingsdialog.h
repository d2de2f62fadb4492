// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "model/serverstatus.h"

#include <QDialog>

#include <functional>

class QCheckBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;

// Where the embedded registry listens, whether it starts with the window, and the certificate
// and key it serves HTTPS with. Stored in QSettings (group "Registry"); app/ reads them at start
// (the address unless --listen is given).
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
        // PEM files; HTTPS when both are set (see tlsEnabled()).
        QString certificateFile;
        QString keyFile;

        bool tlsEnabled() const { return !certificateFile.isEmpty() && !keyFile.isEmpty(); }
        // The certificate clients name in their cafile setting: the certificate file when it
        // is self-signed, else "" (a certificate authority's is among the system's roots).
        QString clientCaFile() const;
    };

    static Values load();
    static void save(const Values &values);

    explicit RegistrySettingsDialog(const Values &values, QWidget *parent = nullptr);
    Values values() const;

    // The seam for the Browse… buttons: returns the chosen file or "" (default: QFileDialog).
    using FileChooser = std::function<QString(const QString &title, const QString &current)>;
    void setFileChooser(FileChooser chooser) { m_chooseFile = std::move(chooser); }
    // Where "Create a self-signed certificate" writes cert.pem and key.pem (default: the app's
    // data folder).
    void setCertificateFolder(const QString &folder) { m_certificateFolder = folder; }

    // What the registry uses now and why, shown above the port: `status` is the window's, and
    // `commandLineListen` the --listen of this run ("" when the settings are in force).
    void showPortInForce(const Trove::ServerStatus &status, const QString &commandLineListen);
    // Puts `port` in the port field with the field focused (Use Another Port after a busy one).
    void suggestPort(quint16 port);
    // The first port after `port` that nothing listens on (127.0.0.1, or every address), 0 if
    // none of the next hundred is free.
    static quint16 freePortAfter(quint16 port, bool allAddresses);

    // The names and addresses of this machine that go into a new certificate: every address of
    // every interface that is up (loopback included).
    static QStringList machineAddresses();

private:
    void validate();
    void updatePortWarning();
    void createCertificate();

    QSpinBox *m_port = nullptr;
    QLabel *m_inForce = nullptr;
    QLabel *m_portWarning = nullptr;
    quint16 m_portInUse = 0; // the port clients' .npmrc files point at (0: unknown)
    QCheckBox *m_allAddresses = nullptr;
    QLabel *m_warning = nullptr;
    QCheckBox *m_autoStart = nullptr;
    QLineEdit *m_certificate = nullptr;
    QLabel *m_certificateError = nullptr;
    QLineEdit *m_key = nullptr;
    QLabel *m_keyError = nullptr;
    QPushButton *m_create = nullptr;
    QLabel *m_fingerprint = nullptr;
    QLineEdit *m_cafileLine = nullptr;
    QPushButton *m_copyCafile = nullptr;
    QDialogButtonBox *m_buttons = nullptr;
    FileChooser m_chooseFile;
    QString m_certificateFolder;
};
