// SPDX-License-Identifier: GPL-3.0-or-later
// Tarball inspection with libarchive, on archives made by tar(1) and gzip(1).

#include "model/npm/tarball.h"

#include <QDir>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <limits>

using namespace Qt::StringLiterals;
using namespace Trove::Npm;

namespace {

// Builds files under a temporary folder and packs them with the given tar arguments.
QByteArray pack(const QList<std::pair<QString, QByteArray>> &files,
                const QStringList &tarArguments = {u"czf"_s})
{
    QTemporaryDir dir;
    QStringList roots;
    for (const auto &[path, content] : files) {
        QDir(dir.path()).mkpath(QFileInfo(path).path());
        QFile file(dir.filePath(path));
        if (!file.open(QIODevice::WriteOnly)) {
            return {};
        }
        file.write(content);
        const QString root = path.section(u'/', 0, 0);
        if (!roots.contains(root)) {
            roots.append(root);
        }
    }
    QProcess tar;
    tar.setWorkingDirectory(dir.path());
    tar.start(u"tar"_s, tarArguments + QStringList{u"out"_s} + roots);
    tar.waitForFinished();
    QFile out(dir.filePath(u"out"_s));
    return out.open(QIODevice::ReadOnly) ? out.readAll() : QByteArray();
}

const QByteArray Manifest = R"({"name":"@acme/w","version":"1.0.0"})";

// gzip(1) over the given bytes.
QByteArray gzip(const QByteArray &bytes)
{
    QProcess process;
    process.start(u"gzip"_s, {u"-c"_s});
    process.write(bytes);
    process.closeWriteChannel();
    process.waitForFinished();
    return process.readAllStandardOutput();
}

// One ustar header; `size` is written in base-256 (as GNU tar does for huge sizes) so that any
// 64-bit value, negative ones included, can be put in front of the reader.
QByteArray tarHeader(const QByteArray &name, qint64 size)
{
    QByteArray header(512, '\0');
    header.replace(0, name.size(), name);
    header.replace(100, 8, QByteArray("0000644\0", 8));
    header.replace(108, 8, QByteArray("0000000\0", 8));
    header.replace(116, 8, QByteArray("0000000\0", 8));
    header[124] = char(size < 0 ? 0xff : 0x80);
    for (int i = 0; i < 8; ++i) {
        header[135 - i] = char(quint64(size) >> (8 * i));
    }
    for (int i = 125; i < 128; ++i) {
        header[i] = char(size < 0 ? 0xff : 0x00);
    }
    header.replace(136, 12, QByteArray("00000000000\0", 12));
    header[156] = '0';
    header.replace(257,
                   8,
                   QByteArray("ustar\0"
                              "00",
                              8));
    header.replace(148, 8, QByteArray(8, ' '));
    int sum = 0;
    for (const char c : std::as_const(header)) {
        sum += uchar(c);
    }
    const QByteArray checksum = QByteArray::number(sum, 8).rightJustified(6, '0');
    header.replace(148, 8, QByteArray(checksum + QByteArray("\0 ", 2)));
    return header;
}

QByteArray tarEntry(const QByteArray &name, const QByteArray &content)
{
    QByteArray data = content;
    data.append(QByteArray((512 - data.size() % 512) % 512, '\0'));
    return tarHeader(name, content.size()) + data;
}

} // namespace

class tst_Tarball : public QObject
{
    Q_OBJECT

private slots:
    void readsAnNpmTarball();
    void anyTopFolder();
    void longPaths();
    void refused_data();
    void refused();
    void entryLimit();
    void sizesCannotOverflow_data();
    void sizesCannotOverflow();
    void fromFile();
    void readmeWhenAsked();
};

void tst_Tarball::readsAnNpmTarball()
{
    const QByteArray tgz = pack({{u"package/package.json"_s, Manifest},
                                 {u"package/index.js"_s, "module.exports = 1;\n"},
                                 {u"package/lib/a.js"_s, QByteArray(5000, 'a')}});
    const auto info = inspectTarball(tgz);
    QVERIFY2(info, qPrintable(info ? QString() : info.error().message));
    QCOMPARE(info->packageJson, Manifest);
    QVERIFY(info->unpackedSize >= Manifest.size() + 20 + 5000);
    QStringList files;
    for (const TarballEntry &entry : info->entries) {
        if (entry.isFile) {
            files.append(entry.path);
        }
    }
    files.sort();
    QCOMPARE(
        files,
        (QStringList{u"package/index.js"_s, u"package/lib/a.js"_s, u"package/package.json"_s}));
}

void tst_Tarball::anyTopFolder()
{
    // Some packers use another top folder; the first "<folder>/package.json" counts, not a
    // nested one.
    const QByteArray tgz = pack({{u"node/nested/package.json"_s, "{\"name\":\"wrong\"}"},
                                 {u"node/package.json"_s, Manifest}});
    const auto info = inspectTarball(tgz);
    QVERIFY(info);
    QCOMPARE(info->packageJson, Manifest);
}

void tst_Tarball::longPaths()
{
    const QString deep =
        u"package/"_s + QString(120, u'd') + u'/' + QString(120, u'e') + u"/file.js"_s;
    const QByteArray tgz =
        pack({{u"package/package.json"_s, Manifest}, {deep, "x"}}, {u"--format=pax"_s, u"-czf"_s});
    const auto info = inspectTarball(tgz);
    QVERIFY(info);
    bool found = false;
    for (const TarballEntry &entry : info->entries) {
        found |= entry.path == deep;
    }
    QVERIFY(found);
}

void tst_Tarball::refused_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("message");
    const QByteArray good = pack({{u"package/package.json"_s, Manifest}});
    const QString notTgz = u"Tarball is not a gzip-compressed tar archive"_s;
    QTest::addRow("empty") << QByteArray() << notTgz;
    QTest::addRow("random bytes") << QByteArray("this is not an archive at all") << notTgz;
    QTest::addRow("plain tar") << pack({{u"package/package.json"_s, Manifest}}, {u"cf"_s})
                               << notTgz;
    // The smallest zip: an end-of-central-directory record.
    QTest::addRow("zip") << QByteArray("PK\x05\x06") + QByteArray(18, 0) << notTgz;
    QTest::addRow("gzip of text") << gzip("just some text\n") << notTgz;
    QTest::addRow("gzip of nothing") << gzip({}) << notTgz;
    QTest::addRow("gzip magic alone") << QByteArray("\x1f\x8b") << notTgz;
    QTest::addRow("truncated") << good.left(good.size() / 2) << u"Tarball is corrupt: "_s;
    QTest::addRow("gzip header then zeros") << good.left(10) + QByteArray(100, 0) << QString();
    QTest::addRow("empty tar") << gzip(QByteArray(1024, 0))
                               << u"package.json not found in tarball"_s;
    QTest::addRow("no package.json")
        << pack({{u"package/index.js"_s, "x"}}) << u"package.json not found in tarball"_s;
    QTest::addRow("package.json too deep")
        << pack({{u"package/sub/package.json"_s, Manifest}}) << u"package.json not found"_s;
    QTest::addRow("package.json without a folder")
        << pack({{u"package.json"_s, Manifest}})
        << u"Tarball entry package.json is outside the package folder"_s;
}

void tst_Tarball::refused()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QString, message);
    const auto info = inspectTarball(bytes);
    QVERIFY(!info);
    QCOMPARE(info.error().code, Trove::Error::Code::Invalid);
    QVERIFY(!info.error().message.isEmpty());
    if (!message.isEmpty()) {
        QVERIFY2(info.error().message.contains(message), qPrintable(info.error().message));
    }
}

void tst_Tarball::sizesCannotOverflow_data()
{
    QTest::addColumn<qint64>("size");
    QTest::addColumn<QString>("message");
    // 2 + (INT64_MAX - 1) wrapped to a negative sum that passed the limit check.
    QTest::addRow("2 then INT64_MAX - 1")
        << std::numeric_limits<qint64>::max() - 1 << u"Tarball unpacks to more than"_s;
    // libarchive refuses these itself; either way they are refused.
    QTest::addRow("INT64_MAX") << std::numeric_limits<qint64>::max() << QString();
    QTest::addRow("negative") << qint64(-1024) << QString();
}

void tst_Tarball::sizesCannotOverflow()
{
    QFETCH(qint64, size);
    QFETCH(QString, message);
    const QByteArray tar = tarEntry("package/package.json", Manifest) + tarEntry("package/a", "xx")
        + tarHeader("package/huge", size) + QByteArray(1024, '\0');
    const auto info = inspectTarball(gzip(tar));
    QVERIFY(!info);
    QVERIFY2(info.error().message.contains(message), qPrintable(info.error().message));
    // The same archive without the huge entry is fine: the refusal is the size's.
    QVERIFY(inspectTarball(gzip(tarEntry("package/package.json", Manifest)
                                + tarEntry("package/a", "xx") + QByteArray(1024, '\0'))));
}

void tst_Tarball::entryLimit()
{
    QList<std::pair<QString, QByteArray>> files{{u"package/package.json"_s, Manifest}};
    for (int i = 0; i < 20; ++i) {
        files.append({u"package/f%1.js"_s.arg(i), "x"});
    }
    TarballLimits limits;
    limits.maxEntries = 10;
    const auto info = inspectTarball(pack(files), limits);
    QVERIFY(!info);
    QVERIFY(info.error().message.contains(u"more than 10 entries"_s));
    limits.maxEntries = 22; // the files and the "package/" folder
    QVERIFY(inspectTarball(pack(files), limits));

    limits = {};
    limits.maxUnpackedSize = 10;
    const auto tooBig = inspectTarball(pack(files), limits);
    QVERIFY(!tooBig);
    QVERIFY2(tooBig.error().message.contains(u"more than 10 bytes"_s),
             qPrintable(tooBig.error().message));

    limits = {};
    limits.maxPackageJsonSize = Manifest.size() - 1;
    const auto bigManifest = inspectTarball(pack(files), limits);
    QVERIFY(!bigManifest);
    QVERIFY2(bigManifest.error().message.contains(u"package.json"_s),
             qPrintable(bigManifest.error().message));
}

void tst_Tarball::fromFile()
{
    QTemporaryDir dir;
    QFile file(dir.filePath(u"w.tgz"_s));
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(pack({{u"package/package.json"_s, Manifest}}));
    file.close();
    const auto info = inspectTarballFile(file.fileName());
    QVERIFY(info);
    QCOMPARE(info->packageJson, Manifest);
    QCOMPARE(inspectTarballFile(dir.filePath(u"missing.tgz"_s)).error().code,
             Trove::Error::Code::NotFound);

    // Streaming meets the truncation only after the first entries.
    QFile truncated(dir.filePath(u"truncated.tgz"_s));
    QVERIFY(truncated.open(QIODevice::WriteOnly));
    const QByteArray whole = pack(
        {{u"package/package.json"_s, Manifest}, {u"package/big.bin"_s, QByteArray(200000, 'z')}});
    truncated.write(whole.left(whole.size() - 40));
    truncated.close();
    const auto cut = inspectTarballFile(truncated.fileName());
    QVERIFY(!cut);
    QVERIFY2(cut.error().message.startsWith(u"Tarball is corrupt: "_s),
             qPrintable(cut.error().message));
}

// The desktop shows the README of the top folder: read only when asked, only up to the size limit,
// and not one from a subfolder.
void tst_Tarball::readmeWhenAsked()
{
    const QByteArray tgz = pack({{u"package/package.json"_s, Manifest},
                                 {u"package/docs/README.md"_s, "# Not this one\n"},
                                 {u"package/Readme.md"_s, "# Hello\n"}});
    const auto unread = inspectTarball(tgz);
    QVERIFY(unread);
    QVERIFY(unread->readme.isEmpty());
    QVERIFY(unread->readmePath.isEmpty());

    TarballLimits limits;
    limits.maxReadmeSize = 1024;
    const auto info = inspectTarball(tgz, limits);
    QVERIFY(info);
    QCOMPARE(info->readmePath, u"package/Readme.md"_s);
    QCOMPARE(info->readme, QByteArray("# Hello\n"));
    QCOMPARE(info->packageJson, Manifest);

    limits.maxReadmeSize = 4;
    const auto tooLarge = inspectTarball(tgz, limits);
    QVERIFY(tooLarge);
    QCOMPARE(tooLarge->readmePath, QString());
    QCOMPARE(tooLarge->entries.size(), unread->entries.size());
}

QTEST_GUILESS_MAIN(tst_Tarball)
#include "tst_tarball.moc"
