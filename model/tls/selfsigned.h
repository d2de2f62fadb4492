// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "model/result.h"

#include <QByteArray>
#include <QDateTime>
#include <QString>
#include <QStringList>

// Certificates for serving HTTPS on a LAN without a certificate authority: a self-signed one
// that clients trust through their `cafile` setting, and the checks of a certificate and key
// chosen by the user. OpenSSL's libcrypto directly, because model/ does not link Qt Network.
namespace Trove::Tls {

struct SelfSignedCertificate
{
    QByteArray certificatePem;
    QByteArray privateKeyPem; // PKCS#8, unencrypted
    QString sha256Fingerprint; // "AB:CD:…", as browsers and `openssl x509 -fingerprint` show it
    QStringList dnsNames; // the subjectAltName entries, as written
    QStringList ipAddresses;
};

// An EC P-256 key and an X.509 v3 certificate valid for 825 days (the longest that Apple's
// clients accept) whose subjectAltName holds every entry of `names` (host names and IPv4/IPv6
// addresses, told apart here; an IPv6 zone such as "%eth0" is dropped) plus localhost,
// 127.0.0.1, ::1 and this machine's host name. basicConstraints CA:TRUE: npm, yarn and pnpm
// give `cafile` to Node as the trusted roots, and Node accepts a server certificate that is its
// own trusted root only when it may be a CA.
Result<SelfSignedCertificate> createSelfSigned(const QStringList &names);

struct CertificateFiles
{
    QString certificateFile;
    QString keyFile;
    SelfSignedCertificate certificate;
};

// createSelfSigned(names), written as `folder`/cert.pem and `folder`/key.pem (the key 0600 from
// its first byte on; both replaced atomically).
Result<CertificateFiles> writeSelfSigned(const QString &folder, const QStringList &names);

struct CertificateInfo
{
    QString sha256Fingerprint;
    QString subject; // one line, e.g. "/O=Trove/CN=Trove on build-01"
    // Its own issuer: clients trust it only through their cafile setting; otherwise a
    // certificate authority's, which clients find among the system's roots.
    bool selfSigned = false;
    QDateTime notAfter; // UTC
    QStringList dnsNames;
    QStringList ipAddresses;
};

// The first certificate of a PEM file: refused when there is none or it has expired.
Result<CertificateInfo> checkCertificateFile(const QString &certificateFile);

// An unencrypted RSA or EC private key in PEM form (what the server can load), and, when
// `certificateFile` is given and readable, the private key of that certificate.
Result<void> checkKeyFile(const QString &keyFile, const QString &certificateFile = {});

} // namespace Trove::Tls
