// SPDX-License-Identifier: GPL-3.0-or-later
// The self-signed certificate of Registry Settings, read back as a TLS client reads it (Qt's
// QSslCertificate), and the checks of a chosen certificate and key file.
#include "model/tls/selfsigned.h"

#include <QFile>
#include <QHostAddress>
#include <QSslCertificate>
#include <QSslCertificateExtension>
#include <QSslKey>
#include <QSysInfo>
#include <QTemporaryDir>
#include <QTest>

#include <openssl/bio.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

using namespace Qt::StringLiterals;
using namespace Trove;

namespace {

bool writeFile(const QString &path, const QByteArray &content)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly | QIODevice::Truncate)
        && file.write(content) == content.size();
}

QByteArray readFile(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

// OpenSSL's own check that the private key belongs to the certificate.
bool keyMatches(const QByteArray &certificatePem, const QByteArray &keyPem)
{
    BIO *certificateBio = BIO_new_mem_buf(certificatePem.constData(), int(certificatePem.size()));
    BIO *keyBio = BIO_new_mem_buf(keyPem.constData(), int(keyPem.size()));
    X509 *certificate = PEM_read_bio_X509(certificateBio, nullptr, nullptr, nullptr);
    EVP_PKEY *key = PEM_read_bio_PrivateKey(keyBio, nullptr, nullptr, nullptr);
    const bool matches = certificate && key && X509_check_private_key(certificate, key) == 1;
    EVP_PKEY_free(key);
    X509_free(certificate);
    BIO_free(keyBio);
    BIO_free(certificateBio);
    return matches;
}

} // namespace

class tst_SelfSigned : public QObject
{
    Q_OBJECT

private slots:
    void certificateReadsBack();
    void namesAreSortedIntoDnsAndIp_data();
    void namesAreSortedIntoDnsAndIp();
    void filesAndKeyPermissions();
    void twoCertificatesDiffer();
    void checkCertificateFile_data();
    void checkCertificateFile();
    void checkKeyFile_data();
    void checkKeyFile();
};

void tst_SelfSigned::certificateReadsBack()
{
    const Result<Tls::SelfSignedCertificate> created =
        Tls::createSelfSigned({u"192.168.1.20"_s, u"build-01.lan"_s});
    QVERIFY2(created, qPrintable(created ? QString() : created.error().message));
    const QList<QSslCertificate> chain =
        QSslCertificate::fromData(created->certificatePem, QSsl::Pem);
    QCOMPARE(chain.size(), 1);
    const QSslCertificate &certificate = chain.first();
    QVERIFY(!certificate.isNull());
    QVERIFY(certificate.isSelfSigned());
    QCOMPARE(certificate.version(), "3");
    QCOMPARE(certificate.subjectInfo(QSslCertificate::Organization), QStringList{u"Trove"_s});

    // 825 days from now (less the minute back-dated for clocks a little behind).
    const QDateTime now = QDateTime::currentDateTimeUtc();
    QVERIFY(certificate.effectiveDate() <= now);
    QVERIFY(certificate.effectiveDate() > now.addSecs(-300));
    QVERIFY(qAbs(now.daysTo(certificate.expiryDate()) - 825) <= 1);

    const auto altNames = certificate.subjectAlternativeNames();
    const QStringList dns = altNames.values(QSsl::DnsEntry);
    const QStringList ips = altNames.values(QSsl::IpAddressEntry);
    for (const QString &name : {u"build-01.lan"_s, u"localhost"_s}) {
        QVERIFY2(dns.contains(name), qPrintable(dns.join(u' ')));
    }
    if (!QSysInfo::machineHostName().isEmpty()) {
        QVERIFY2(dns.contains(QSysInfo::machineHostName().toLower()), qPrintable(dns.join(u' ')));
    }
    for (const QString &ip : {u"192.168.1.20"_s, u"127.0.0.1"_s, u"::1"_s}) {
        QVERIFY2(ips.contains(ip), qPrintable(ips.join(u' ')));
    }
    QCOMPARE(created->ipAddresses.size(), ips.size());
    QCOMPARE(created->dnsNames.size(), dns.size());

    // CA:TRUE, so that a client's cafile accepts it as its own root.
    bool sawConstraints = false;
    for (const QSslCertificateExtension &extension : certificate.extensions()) {
        if (extension.name() == u"basicConstraints"_s) {
            sawConstraints = true;
            QVERIFY(extension.isCritical());
            QCOMPARE(extension.value().toMap().value(u"ca"_s).toBool(), true);
        }
    }
    QVERIFY(sawConstraints);

    // The key: EC P-256, unencrypted PEM as the server loads it, and the certificate's own.
    const QSslKey key(created->privateKeyPem, QSsl::Ec, QSsl::Pem, QSsl::PrivateKey);
    QVERIFY(!key.isNull());
    QCOMPARE(key.length(), 256);
    QCOMPARE(certificate.publicKey().algorithm(), QSsl::Ec);
    QVERIFY(keyMatches(created->certificatePem, created->privateKeyPem));

    // The fingerprint is the SHA-256 of the DER, as Qt computes it.
    QCOMPARE(
        created->sha256Fingerprint,
        QString::fromLatin1(certificate.digest(QCryptographicHash::Sha256).toHex(':').toUpper()));
}

void tst_SelfSigned::namesAreSortedIntoDnsAndIp_data()
{
    QTest::addColumn<QStringList>("names");
    QTest::addColumn<QStringList>("expectedDns");
    QTest::addColumn<QStringList>("expectedIps");
    QTest::addColumn<QStringList>("absent");
    QTest::addRow("IPv6 with a zone, bracketed")
        << QStringList{u"fe80::1%eth0"_s, u"[fd00::5]"_s} << QStringList{}
        << QStringList{u"fe80::1"_s, u"fd00::5"_s} << QStringList{u"fe80::1%eth0"_s};
    QTest::addRow("duplicates and upper case once")
        << QStringList{u"Box.LAN"_s, u"box.lan"_s, u"127.0.0.1"_s, u"localhost"_s}
        << QStringList{u"box.lan"_s} << QStringList{} << QStringList{};
    QTest::addRow("names a SAN cannot hold are left out")
        << QStringList{u"two words"_s, u"a,b"_s, u""_s, u"  "_s} << QStringList{} << QStringList{}
        << QStringList{u"two words"_s, u"a,b"_s};
}

void tst_SelfSigned::namesAreSortedIntoDnsAndIp()
{
    QFETCH(QStringList, names);
    QFETCH(QStringList, expectedDns);
    QFETCH(QStringList, expectedIps);
    QFETCH(QStringList, absent);
    const Result<Tls::SelfSignedCertificate> created = Tls::createSelfSigned(names);
    QVERIFY(created);
    const auto altNames =
        QSslCertificate::fromData(created->certificatePem).value(0).subjectAlternativeNames();
    const QStringList dns = altNames.values(QSsl::DnsEntry);
    const QStringList ips = altNames.values(QSsl::IpAddressEntry);
    for (const QString &name : std::as_const(expectedDns)) {
        QCOMPARE(dns.count(name), 1);
    }
    for (const QString &ip : std::as_const(expectedIps)) {
        QVERIFY2(ips.contains(ip), qPrintable(ips.join(u' ')));
    }
    QCOMPARE(dns.count(u"localhost"_s), 1);
    QCOMPARE(ips.count(u"127.0.0.1"_s), 1);
    for (const QString &name : std::as_const(absent)) {
        QVERIFY(!dns.contains(name) && !ips.contains(name));
    }
}

void tst_SelfSigned::filesAndKeyPermissions()
{
    QTemporaryDir dir;
    const QString folder = dir.filePath(u"data/new"_s); // created on the way
    const Result<Tls::CertificateFiles> files = Tls::writeSelfSigned(folder, {u"10.0.0.7"_s});
    QVERIFY2(files, qPrintable(files ? QString() : files.error().message));
    QCOMPARE(files->certificateFile, folder + u"/cert.pem"_s);
    QCOMPARE(files->keyFile, folder + u"/key.pem"_s);
    QCOMPARE(readFile(files->certificateFile), files->certificate.certificatePem);
    QCOMPARE(readFile(files->keyFile), files->certificate.privateKeyPem);
    QCOMPARE(QFile::permissions(files->keyFile),
             QFile::ReadOwner | QFile::WriteOwner | QFile::ReadUser | QFile::WriteUser);
    QVERIFY(QFile::permissions(files->certificateFile) & QFile::ReadOther);

    // The written pair passes the checks the settings dialog makes.
    const Result<Tls::CertificateInfo> info = Tls::checkCertificateFile(files->certificateFile);
    QVERIFY(info);
    QCOMPARE(info->sha256Fingerprint, files->certificate.sha256Fingerprint);
    QVERIFY(info->ipAddresses.contains(u"10.0.0.7"_s));
    QVERIFY(info->subject.contains(u"CN=Trove on"_s));
    QVERIFY(info->selfSigned);
    QVERIFY(info->notAfter > QDateTime::currentDateTimeUtc().addDays(800));
    const Result<void> key = Tls::checkKeyFile(files->keyFile, files->certificateFile);
    QVERIFY2(key, qPrintable(key ? QString() : key.error().message));

    // Again: both files replaced, the key still 0600.
    const Result<Tls::CertificateFiles> again = Tls::writeSelfSigned(folder, {});
    QVERIFY(again);
    QCOMPARE(readFile(again->certificateFile), again->certificate.certificatePem);
    QCOMPARE(QFile::permissions(again->keyFile),
             QFile::ReadOwner | QFile::WriteOwner | QFile::ReadUser | QFile::WriteUser);
}

void tst_SelfSigned::twoCertificatesDiffer()
{
    const Result<Tls::SelfSignedCertificate> first = Tls::createSelfSigned({});
    const Result<Tls::SelfSignedCertificate> second = Tls::createSelfSigned({});
    QVERIFY(first && second);
    QVERIFY(first->privateKeyPem != second->privateKeyPem);
    QVERIFY(first->sha256Fingerprint != second->sha256Fingerprint);
    const QSslCertificate a = QSslCertificate::fromData(first->certificatePem).value(0);
    const QSslCertificate b = QSslCertificate::fromData(second->certificatePem).value(0);
    QVERIFY(a.serialNumber() != b.serialNumber());
    QVERIFY(!keyMatches(first->certificatePem, second->privateKeyPem));
}

void tst_SelfSigned::checkCertificateFile_data()
{
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QString>("error"); // empty: accepted
    const Result<Tls::SelfSignedCertificate> created = Tls::createSelfSigned({});
    QVERIFY(created);
    QTest::addRow("a certificate") << created->certificatePem << QString();
    QTest::addRow("certificate after the key")
        << created->privateKeyPem + created->certificatePem << QString();
    QTest::addRow("a key instead") << created->privateKeyPem << u"holds no PEM certificate"_s;
    QTest::addRow("empty") << QByteArray() << u"holds no PEM certificate"_s;
    QTest::addRow("text") << QByteArray("hello\n") << u"holds no PEM certificate"_s;
    QTest::addRow("missing") << QByteArray("<missing>") << u"Cannot read"_s;
}

void tst_SelfSigned::checkCertificateFile()
{
    QFETCH(QByteArray, content);
    QFETCH(QString, error);
    QTemporaryDir dir;
    const QString path = dir.filePath(u"cert.pem"_s);
    if (content != "<missing>") {
        QVERIFY(writeFile(path, content));
    }
    const Result<Tls::CertificateInfo> info = Tls::checkCertificateFile(path);
    if (error.isEmpty()) {
        QVERIFY2(info, qPrintable(info ? QString() : info.error().message));
        QCOMPARE(info->sha256Fingerprint.size(), 32 * 3 - 1);
    } else {
        QVERIFY(!info);
        QVERIFY2(info.error().message.contains(error), qPrintable(info.error().message));
        QVERIFY(info.error().message.contains(path));
    }
}

void tst_SelfSigned::checkKeyFile_data()
{
    QTest::addColumn<QByteArray>("key");
    QTest::addColumn<QByteArray>("certificate");
    QTest::addColumn<QString>("error"); // empty: accepted
    const Result<Tls::SelfSignedCertificate> mine = Tls::createSelfSigned({});
    const Result<Tls::SelfSignedCertificate> other = Tls::createSelfSigned({});
    QVERIFY(mine && other);
    // The same key, encrypted with a password: the server cannot ask for one.
    BIO *in = BIO_new_mem_buf(mine->privateKeyPem.constData(), int(mine->privateKeyPem.size()));
    EVP_PKEY *key = PEM_read_bio_PrivateKey(in, nullptr, nullptr, nullptr);
    BIO *out = BIO_new(BIO_s_mem());
    char password[] = "secret";
    QVERIFY(
        PEM_write_bio_PKCS8PrivateKey(out, key, EVP_aes_256_cbc(), nullptr, 0, nullptr, password)
        == 1);
    char *data = nullptr;
    const long size = BIO_get_mem_data(out, &data);
    const QByteArray encryptedCopy(data, int(size));
    BIO_free(out);
    EVP_PKEY_free(key);
    BIO_free(in);

    QTest::addRow("its own key") << mine->privateKeyPem << mine->certificatePem << QString();
    QTest::addRow("no certificate to compare") << mine->privateKeyPem << QByteArray() << QString();
    QTest::addRow("another certificate's key")
        << other->privateKeyPem << mine->certificatePem << u"is not the private key of"_s;
    QTest::addRow("encrypted") << encryptedCopy << mine->certificatePem
                               << u"no unencrypted private key"_s;
    QTest::addRow("a certificate instead")
        << mine->certificatePem << mine->certificatePem << u"no unencrypted private key"_s;
    QTest::addRow("empty") << QByteArray() << mine->certificatePem
                           << u"no unencrypted private key"_s;
}

void tst_SelfSigned::checkKeyFile()
{
    QFETCH(QByteArray, key);
    QFETCH(QByteArray, certificate);
    QFETCH(QString, error);
    QTemporaryDir dir;
    const QString keyPath = dir.filePath(u"key.pem"_s);
    QVERIFY(writeFile(keyPath, key));
    QString certificatePath;
    if (!certificate.isEmpty()) {
        certificatePath = dir.filePath(u"cert.pem"_s);
        QVERIFY(writeFile(certificatePath, certificate));
    }
    const Result<void> checked = Tls::checkKeyFile(keyPath, certificatePath);
    if (error.isEmpty()) {
        QVERIFY2(checked, qPrintable(checked ? QString() : checked.error().message));
    } else {
        QVERIFY(!checked);
        QVERIFY2(checked.error().message.contains(error), qPrintable(checked.error().message));
    }
}

QTEST_GUILESS_MAIN(tst_SelfSigned)
#include "tst_selfsigned.moc"
