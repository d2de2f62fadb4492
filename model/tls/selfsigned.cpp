// SPDX-License-Identifier: GPL-3.0-or-later
#include "model/tls/selfsigned.h"

#include <QDir>
#include <QFile>
#include <QSaveFile>
#include <QSysInfo>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <arpa/inet.h>

#include <memory>

using namespace Qt::StringLiterals;

namespace Trove::Tls {

namespace {

template<typename T, void (*Free)(T *)>
struct Deleter
{
    void operator()(T *pointer) const { Free(pointer); }
};
template<typename T, void (*Free)(T *)>
using Owned = std::unique_ptr<T, Deleter<T, Free>>;

using Bio = Owned<BIO, BIO_free_all>;
using Key = Owned<EVP_PKEY, EVP_PKEY_free>;
using Certificate = Owned<X509, X509_free>;
using Names = Owned<GENERAL_NAMES, GENERAL_NAMES_free>;
using Name = Owned<GENERAL_NAME, GENERAL_NAME_free>;
using Octets = Owned<ASN1_OCTET_STRING, ASN1_OCTET_STRING_free>;
using Integer = Owned<ASN1_INTEGER, ASN1_INTEGER_free>;
using Bignum = Owned<BIGNUM, BN_free>;
using Extension = Owned<X509_EXTENSION, X509_EXTENSION_free>;

constexpr int validDays = 825;

// The first of OpenSSL's queued errors, for the message; the queue is cleared so that a later
// call does not report this one.
QString openSslError(const QString &what)
{
    const unsigned long code = ERR_get_error();
    ERR_clear_error();
    if (code == 0) {
        return what;
    }
    char text[256] = {};
    ERR_error_string_n(code, text, sizeof text);
    return what + u": "_s + QString::fromLatin1(text);
}

QByteArray bioBytes(BIO *bio)
{
    char *data = nullptr;
    const long size = BIO_get_mem_data(bio, &data);
    return QByteArray(data, qsizetype(size));
}

QString fingerprintOf(X509 *certificate)
{
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int size = 0;
    if (X509_digest(certificate, EVP_sha256(), digest, &size) != 1) {
        return {};
    }
    return QString::fromLatin1(
        QByteArray(reinterpret_cast<const char *>(digest), int(size)).toHex(':').toUpper());
}

// The text of an IP address SAN entry (4 or 16 bytes), IPv6 in its short form.
QString ipText(const ASN1_OCTET_STRING *octets)
{
    const int length = ASN1_STRING_length(octets);
    char text[INET6_ADDRSTRLEN] = {};
    if ((length != 4 && length != 16)
        || !inet_ntop(
            length == 4 ? AF_INET : AF_INET6, ASN1_STRING_get0_data(octets), text, sizeof text)) {
        return {};
    }
    return QString::fromLatin1(text);
}

void readAltNames(X509 *certificate, QStringList *dns, QStringList *ips)
{
    const Names names(static_cast<GENERAL_NAMES *>(
        X509_get_ext_d2i(certificate, NID_subject_alt_name, nullptr, nullptr)));
    if (!names) {
        return;
    }
    for (int i = 0; i < sk_GENERAL_NAME_num(names.get()); ++i) {
        const GENERAL_NAME *name = sk_GENERAL_NAME_value(names.get(), i);
        if (name->type == GEN_DNS) {
            const ASN1_IA5STRING *text = name->d.dNSName;
            dns->append(
                QString::fromLatin1(reinterpret_cast<const char *>(ASN1_STRING_get0_data(text)),
                                    ASN1_STRING_length(text)));
        } else if (name->type == GEN_IPADD) {
            ips->append(ipText(name->d.iPAddress));
        }
    }
}

// A host name as a DNS SAN may hold it: letters, digits, '-', '.', and '*' (a wildcard label).
bool isDnsName(const QString &name)
{
    if (name.isEmpty() || name.size() > 253) {
        return false;
    }
    for (const QChar c : name) {
        if (!(c.isLetterOrNumber() && c.unicode() < 128) && c != u'-' && c != u'.' && c != u'*') {
            return false;
        }
    }
    return true;
}

bool addExtension(X509 *certificate, int nid, const char *value)
{
    X509V3_CTX context;
    X509V3_set_ctx_nodb(&context);
    X509V3_set_ctx(&context, certificate, certificate, nullptr, nullptr, 0);
    const Extension extension(X509V3_EXT_conf_nid(nullptr, &context, nid, value));
    return extension && X509_add_ext(certificate, extension.get(), -1) == 1;
}

Result<void> writeFile(const QString &path, const QByteArray &content, bool secret)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        return Error::storage(u"Cannot write %1: %2"_s.arg(path, file.errorString()));
    }
    // Before the first byte: the temporary file is created with the usual 0644 (0666 less the
    // umask), and the rename keeps the mode it has then.
    if (secret && !file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner)) {
        file.cancelWriting();
        return Error::storage(u"Cannot restrict the permissions of %1"_s.arg(path));
    }
    if (file.write(content) != content.size() || !file.commit()) {
        return Error::storage(u"Cannot write %1: %2"_s.arg(path, file.errorString()));
    }
    return {};
}

} // namespace

Result<SelfSignedCertificate> createSelfSigned(const QStringList &names)
{
    ERR_clear_error();
    const Key key(EVP_EC_gen("P-256"));
    if (!key) {
        return Error::storage(openSslError(u"Cannot create an EC P-256 key"_s));
    }

    // Every name once, in the order given, then the ones a client on this machine uses.
    const QString hostName = QSysInfo::machineHostName();
    QStringList all = names;
    all += {u"localhost"_s, u"127.0.0.1"_s, u"::1"_s};
    if (!hostName.isEmpty()) {
        all.append(hostName);
    }
    SelfSignedCertificate out;
    const Names altNames(GENERAL_NAMES_new());
    QList<QByteArray> ipsSeen;
    for (QString name : std::as_const(all)) {
        name = name.trimmed();
        if (const qsizetype zone = name.indexOf(u'%'); zone >= 0) {
            name.truncate(zone);
        }
        if (name.startsWith(u'[') && name.endsWith(u']')) {
            name = name.mid(1, name.size() - 2);
        }
        if (name.isEmpty()) {
            continue;
        }
        Name entry(GENERAL_NAME_new());
        if (Octets ip(a2i_IPADDRESS(name.toLatin1().constData())); ip) {
            const QByteArray bytes(reinterpret_cast<const char *>(ASN1_STRING_get0_data(ip.get())),
                                   ASN1_STRING_length(ip.get()));
            if (ipsSeen.contains(bytes)) {
                continue;
            }
            ipsSeen.append(bytes);
            out.ipAddresses.append(ipText(ip.get()));
            GENERAL_NAME_set0_value(entry.get(), GEN_IPADD, ip.release());
        } else {
            name = name.toLower();
            if (!isDnsName(name) || out.dnsNames.contains(name)) {
                continue;
            }
            ASN1_IA5STRING *text = ASN1_IA5STRING_new();
            const QByteArray latin = name.toLatin1();
            ASN1_STRING_set(text, latin.constData(), int(latin.size()));
            out.dnsNames.append(name);
            GENERAL_NAME_set0_value(entry.get(), GEN_DNS, text);
        }
        sk_GENERAL_NAME_push(altNames.get(), entry.release());
    }

    const Certificate certificate(X509_new());
    // A random positive 127-bit serial: a client that saw an earlier certificate of this
    // machine must not take the new one for it.
    unsigned char serialBytes[16];
    if (RAND_bytes(serialBytes, sizeof serialBytes) != 1) {
        return Error::storage(openSslError(u"No random bytes for the serial number"_s));
    }
    serialBytes[0] &= 0x7f;
    const Bignum serialNumber(BN_bin2bn(serialBytes, sizeof serialBytes, nullptr));
    const Integer serial(BN_to_ASN1_INTEGER(serialNumber.get(), nullptr));

    const QString commonName = u"Trove on %1"_s.arg(hostName.isEmpty() ? u"localhost"_s : hostName)
                                   .left(64); // the CN's upper bound
    X509_NAME *subject = X509_get_subject_name(certificate.get());
    const QByteArray commonNameUtf8 = commonName.toUtf8();
    bool ok = X509_set_version(certificate.get(), X509_VERSION_3) == 1
        && X509_set_serialNumber(certificate.get(), serial.get()) == 1
        // A minute back: a client whose clock is a little behind still accepts it at once.
        && X509_gmtime_adj(X509_getm_notBefore(certificate.get()), -60)
        && X509_time_adj_ex(X509_getm_notAfter(certificate.get()), validDays, 0, nullptr)
        && X509_NAME_add_entry_by_txt(subject,
                                      "O",
                                      MBSTRING_ASC,
                                      reinterpret_cast<const unsigned char *>("Trove"),
                                      -1,
                                      -1,
                                      0)
            == 1
        && X509_NAME_add_entry_by_txt(
               subject,
               "CN",
               MBSTRING_UTF8,
               reinterpret_cast<const unsigned char *>(commonNameUtf8.constData()),
               int(commonNameUtf8.size()),
               -1,
               0)
            == 1
        && X509_set_issuer_name(certificate.get(), subject) == 1
        && X509_set_pubkey(certificate.get(), key.get()) == 1;
    ok = ok && addExtension(certificate.get(), NID_basic_constraints, "critical,CA:TRUE")
        && addExtension(
             certificate.get(), NID_key_usage, "critical,digitalSignature,keyCertSign,cRLSign")
        && addExtension(certificate.get(), NID_ext_key_usage, "serverAuth")
        && addExtension(certificate.get(), NID_subject_key_identifier, "hash")
        && addExtension(certificate.get(), NID_authority_key_identifier, "keyid:always")
        && X509_add1_ext_i2d(
               certificate.get(), NID_subject_alt_name, altNames.get(), 0, X509V3_ADD_DEFAULT)
            == 1;
    if (!ok) {
        return Error::storage(openSslError(u"Cannot build the certificate"_s));
    }
    if (X509_sign(certificate.get(), key.get(), EVP_sha256()) <= 0) {
        return Error::storage(openSslError(u"Cannot sign the certificate"_s));
    }

    const Bio certificateBio(BIO_new(BIO_s_mem()));
    const Bio keyBio(BIO_new(BIO_s_mem()));
    if (PEM_write_bio_X509(certificateBio.get(), certificate.get()) != 1
        || PEM_write_bio_PrivateKey(keyBio.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr)
            != 1) {
        return Error::storage(openSslError(u"Cannot write the certificate as PEM"_s));
    }
    out.certificatePem = bioBytes(certificateBio.get());
    out.privateKeyPem = bioBytes(keyBio.get());
    out.sha256Fingerprint = fingerprintOf(certificate.get());
    return out;
}

Result<CertificateFiles> writeSelfSigned(const QString &folder, const QStringList &names)
{
    Result<SelfSignedCertificate> created = createSelfSigned(names);
    if (!created) {
        return created.error();
    }
    if (!QDir().mkpath(folder)) {
        return Error::storage(u"Cannot create the folder %1"_s.arg(folder));
    }
    const QDir dir(folder);
    CertificateFiles files{dir.absoluteFilePath(u"cert.pem"_s),
                           dir.absoluteFilePath(u"key.pem"_s),
                           std::move(*created)};
    // The key first: a certificate without its key is of no use, the other way round the
    // server still starts with the old pair.
    if (const Result<void> written =
            writeFile(files.keyFile, files.certificate.privateKeyPem, true);
        !written) {
        return written.error();
    }
    if (const Result<void> written =
            writeFile(files.certificateFile, files.certificate.certificatePem, false);
        !written) {
        return written.error();
    }
    return files;
}

Result<CertificateInfo> checkCertificateFile(const QString &certificateFile)
{
    QFile file(certificateFile);
    if (!file.open(QIODevice::ReadOnly)) {
        return Error::invalid(u"Cannot read %1: %2"_s.arg(certificateFile, file.errorString()));
    }
    const QByteArray pem = file.read(1 << 20);
    ERR_clear_error();
    const Bio bio(BIO_new_mem_buf(pem.constData(), int(pem.size())));
    const Certificate certificate(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
    ERR_clear_error();
    if (!certificate) {
        return Error::invalid(u"%1 holds no PEM certificate"_s.arg(certificateFile));
    }
    CertificateInfo info;
    info.sha256Fingerprint = fingerprintOf(certificate.get());
    char subject[512] = {};
    X509_NAME_oneline(X509_get_subject_name(certificate.get()), subject, sizeof subject);
    info.subject = QString::fromUtf8(subject);
    tm notAfter = {};
    if (ASN1_TIME_to_tm(X509_get0_notAfter(certificate.get()), &notAfter) == 1) {
        info.notAfter =
            QDateTime(QDate(notAfter.tm_year + 1900, notAfter.tm_mon + 1, notAfter.tm_mday),
                      QTime(notAfter.tm_hour, notAfter.tm_min, notAfter.tm_sec),
                      Qt::UTC);
    }
    readAltNames(certificate.get(), &info.dnsNames, &info.ipAddresses);
    info.selfSigned = X509_NAME_cmp(X509_get_subject_name(certificate.get()),
                                    X509_get_issuer_name(certificate.get()))
        == 0;
    if (X509_cmp_current_time(X509_get0_notAfter(certificate.get())) <= 0) {
        return Error::invalid(u"The certificate in %1 expired on %2"_s.arg(
            certificateFile, info.notAfter.toString(Qt::ISODate)));
    }
    return info;
}

Result<void> checkKeyFile(const QString &keyFile, const QString &certificateFile)
{
    QFile file(keyFile);
    if (!file.open(QIODevice::ReadOnly)) {
        return Error::invalid(u"Cannot read %1: %2"_s.arg(keyFile, file.errorString()));
    }
    const QByteArray pem = file.read(1 << 20);
    ERR_clear_error();
    const Bio bio(BIO_new_mem_buf(pem.constData(), int(pem.size())));
    // A password callback that gives none: an encrypted key fails instead of prompting on the
    // terminal.
    const Key key(PEM_read_bio_PrivateKey(
        bio.get(), nullptr, [](char *, int, int, void *) { return 0; }, nullptr));
    ERR_clear_error();
    if (!key) {
        return Error::invalid(u"%1 holds no unencrypted private key in PEM form"_s.arg(keyFile));
    }
    const int type = EVP_PKEY_get_base_id(key.get());
    if (type != EVP_PKEY_RSA && type != EVP_PKEY_EC) {
        return Error::invalid(u"%1 holds neither an RSA nor an EC key"_s.arg(keyFile));
    }
    if (certificateFile.isEmpty()) {
        return {};
    }
    QFile certificate(certificateFile);
    if (!certificate.open(QIODevice::ReadOnly)) {
        return {}; // the certificate's own check reports that
    }
    const QByteArray certificatePem = certificate.read(1 << 20);
    const Bio certificateBio(
        BIO_new_mem_buf(certificatePem.constData(), int(certificatePem.size())));
    const Certificate x509(PEM_read_bio_X509(certificateBio.get(), nullptr, nullptr, nullptr));
    ERR_clear_error();
    if (x509 && X509_check_private_key(x509.get(), key.get()) != 1) {
        ERR_clear_error();
        return Error::invalid(
            u"%1 is not the private key of the certificate %2"_s.arg(keyFile, certificateFile));
    }
    return {};
}

} // namespace Trove::Tls
