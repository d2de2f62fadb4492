// SPDX-License-Identifier: GPL-3.0-or-later
// The streamed publish body decoder: strict JSON, the attachment's base64 decoded and hashed into
// a staged file, the same result whatever the chunking, bounded memory, limits.

#include "model/npm/publishbody.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Trove;
using namespace Trove::Npm;

// moc's preprocessor cannot read the raw string literals below.
#ifndef Q_MOC_RUN
namespace {

QByteArray bodyWithData(const QByteArray &data, const QByteArray &extra = {})
{
    return R"({"name":"a","versions":{"1.0.0":{"name":"a"}},"_attachments":{"a-1.0.0.tgz":{"data":")"
        + data + R"(","length":3}})" + extra + "}";
}

// Feeds `body` in chunks of `chunk` bytes (0: whole).
Result<DecodedPublishBody> decode(const QString &dir,
                                  const QByteArray &body,
                                  qsizetype chunk,
                                  const PublishBodyDecoder::Limits &limits = {})
{
    PublishBodyDecoder decoder(dir, limits);
    if (chunk == 0) {
        chunk = qMax<qsizetype>(1, body.size());
    }
    for (qsizetype at = 0; at < body.size(); at += chunk) {
        if (const Result<void> written =
                decoder.write(QByteArrayView(body).sliced(at, qMin(chunk, body.size() - at)));
            !written) {
            return written.error();
        }
    }
    return decoder.finish();
}

qint64 residentKiB()
{
    QFile status(u"/proc/self/status"_s);
    if (!status.open(QIODevice::ReadOnly)) {
        return -1;
    }
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith("VmRSS:")) {
            return line.mid(6).trimmed().split(' ').at(0).toLongLong();
        }
    }
    return -1;
}

QByteArray fileContent(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray("<missing>");
}

} // namespace
#endif

class tst_PublishBody : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void refused_data();
    void refused();
    void decodes_data();
    void decodes();
    void chunkingDoesNotMatter();
    void bigDataBoundedMemory();
    void stagedFileLifetime();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    QStringList staged() const { return QDir(m_dir->path()).entryList(QDir::Files); }
};

#ifndef Q_MOC_RUN
void tst_PublishBody::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

void tst_PublishBody::refused_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("message"); // contained in the error's message
    QTest::addColumn<int>("maxDepth");

    const auto row =
        [](const char *name, const QByteArray &body, const QString &message, int depth = 64) {
            QTest::addRow("%s", name) << body << message << depth;
        };
    row("empty body", "", u"the body is empty"_s);
    row("whitespace only", "  \n", u"ends before"_s);
    row("top-level array", "[]", u"must be a JSON object"_s);
    row("top-level string", "\"x\"", u"must be a JSON object"_s);
    row("top-level number", "1", u"must be a JSON object"_s);
    row("unclosed object", R"({"a":1)", u"ends before"_s);
    row("unclosed string", R"({"a":"x)", u"ends before"_s);
    row("trailing comma in object", R"({"a":1,})", u"trailing comma"_s);
    row("trailing comma in array", R"({"a":[1,]})", u"trailing comma"_s);
    row("leading comma", R"({,"a":1})", u"key must be a string"_s);
    row("comment", "{/* c */}", u"key must be a string"_s);
    row("comment as value", "{\"a\":// c\n1}", u"comments are not JSON"_s);
    row("single quotes", R"({"a":'x'})", u"double quotes"_s);
    row("unquoted key", R"({a:1})", u"key must be a string"_s);
    row("missing colon", R"({"a" 1})", u"':' must follow"_s);
    row("missing comma", R"({"a":1 "b":2})", u"',' or '}' expected"_s);
    row("leading zero", R"({"a":01})", u"leading zero"_s);
    row("negative leading zero", R"({"a":-01})", u"leading zero"_s);
    row("bare minus", R"({"a":-})", u"digit must follow '-'"_s);
    row("bare dot", R"({"a":1.})", u"digit must follow '.'"_s);
    row("leading dot", R"({"a":.5})", u"unexpected character"_s);
    row("empty exponent", R"({"a":1e})", u"exponent needs digits"_s);
    row("plus sign", R"({"a":+1})", u"unexpected character"_s);
    row("NaN", R"({"a":NaN})", u"unexpected character"_s);
    row("bad literal", R"({"a":tru})", u"unknown literal"_s);
    row("capital literal", R"({"a":True})", u"unexpected character"_s);
    row("invalid escape", R"({"a":"\x"})", u"invalid escape"_s);
    row("short unicode escape", R"({"a":"\u12"})", u"four hex digits"_s);
    row("lone high surrogate", R"({"a":"\ud800x"})", u"high surrogate"_s);
    row("lone low surrogate", R"({"a":"\udc00"})", u"lone surrogate"_s);
    row("raw control character", QByteArray("{\"a\":\"x\ty\"}"), u"control character"_s);
    row("invalid UTF-8 byte", QByteArray("{\"a\":\"\xff\"}"), u"invalid UTF-8"_s);
    row("overlong UTF-8", QByteArray("{\"a\":\"\xc0\x80\"}"), u"invalid UTF-8"_s);
    row("UTF-8 surrogate", QByteArray("{\"a\":\"\xed\xa0\x80\"}"), u"invalid UTF-8"_s);
    row("truncated UTF-8", QByteArray("{\"a\":\"\xe2\x82\"}"), u"invalid UTF-8"_s);
    row("beyond U+10FFFF", QByteArray("{\"a\":\"\xf4\x90\x80\x80\"}"), u"invalid UTF-8"_s);
    row("byte order mark", QByteArray("\xef\xbb\xbf{}"), u"must be a JSON object"_s);
    row("garbage after the object", "{} x", u"only whitespace"_s);
    row("two objects", "{}{}", u"only whitespace"_s);
    row("too deep", R"({"a":{"b":{"c":1}}})", u"nesting deeper than 2"_s, 2);
    row("duplicate key", R"({"a":1,"a":2})", u"duplicate key \"a\""_s);
    row("duplicate key by escape", R"({"a":1,"\u0061":2})", u"duplicate key \"a\""_s);
    row("duplicate nested key", R"({"v":{"x":1,"y":[{"k":1,"k":1}]}})", u"duplicate key \"k\""_s);
    row("duplicate data key",
        R"({"_attachments":{"a.tgz":{"data":"AAAA","data":"AAAA"}}})",
        u"duplicate key \"data\""_s);
    row("second attachment",
        R"({"_attachments":{"a.tgz":{"data":"AAAA"},"a.sigstore":{"data":"AAAA"}}})",
        u"Publish one attachment at a time"_s);
    row("second attachment without data",
        R"({"_attachments":{"a.tgz":{},"b.tgz":{}}})",
        u"Publish one attachment at a time"_s);
    row("base64 bad character", bodyWithData("AA*A"), u"is not base64"_s);
    row("base64 url alphabet", bodyWithData("AA-_"), u"is not base64"_s);
    row("base64 with whitespace", bodyWithData("AAAA AAAA"), u"is not base64"_s);
    row("base64 with escaped newline", bodyWithData("AAAA\\nAAAA"), u"escape sequence"_s);
    row("base64 unicode escape", bodyWithData("AAA\\u0041"), u"escape sequence"_s);
    row("base64 missing padding", bodyWithData("QQ"), u"multiple of 4"_s);
    row("base64 short padding", bodyWithData("QQ="), u"multiple of 4"_s);
    row("base64 padding in the middle", bodyWithData("QQ==QUFB"), u"after its '=' padding"_s);
    row("base64 padding too early", bodyWithData("Q==="), u"wrong place"_s);
    row("base64 padding bits set", bodyWithData("QR=="), u"padding bits"_s);
    row("base64 data unterminated", R"({"_attachments":{"a.tgz":{"data":"AAAA)", u"ends before"_s);
}

void tst_PublishBody::refused()
{
    QFETCH(QByteArray, body);
    QFETCH(QString, message);
    QFETCH(int, maxDepth);
    PublishBodyDecoder::Limits limits;
    limits.maxDepth = maxDepth;
    for (const qsizetype chunk : {qsizetype(0), qsizetype(1), qsizetype(3)}) {
        const Result<DecodedPublishBody> decoded = decode(m_dir->path(), body, chunk, limits);
        QVERIFY2(!decoded, qPrintable(u"accepted with chunks of %1"_s.arg(chunk)));
        QCOMPARE(decoded.error().code, Error::Code::Invalid);
        QVERIFY2(decoded.error().message.contains(message), qPrintable(decoded.error().message));
        QCOMPARE(staged(), QStringList());
    }
}

void tst_PublishBody::decodes_data()
{
    QTest::addColumn<QByteArray>("data");
    QTest::addRow("empty") << QByteArray();
    QTest::addRow("one byte (==)") << QByteArray("\x01");
    QTest::addRow("two bytes (=)") << QByteArray("\xff\x00", 2);
    QTest::addRow("three bytes") << QByteArray("abc");
    QTest::addRow("every byte value") << [] {
        QByteArray all;
        for (int i = 0; i < 256; ++i) {
            all.append(char(i));
        }
        return all;
    }();
    QTest::addRow("200 KiB random") << [] {
        QByteArray random(200 * 1024 + 1, Qt::Uninitialized);
        QRandomGenerator generator(7);
        for (char &c : random) {
            c = char(generator.bounded(256));
        }
        return random;
    }();
}

void tst_PublishBody::decodes()
{
    QFETCH(QByteArray, data);
    QByteArray encoded = data.toBase64();
    // JSON lets an encoder escape '/': the decoder must read it as '/'.
    encoded.replace("/", "\\/");
    const QByteArray body = "{\"name\":\"\\u00e9\",\"_attachments\":{\"x.tgz\":{\"length\":"
        + QByteArray::number(data.size()) + ",\"data\":\"" + encoded + "\"}}}\n";
    const Result<DecodedPublishBody> decoded = decode(m_dir->path(), body, 4093);
    QVERIFY2(decoded, qPrintable(decoded ? QString() : decoded.error().message));
    QCOMPARE(decoded->json,
             "{\"name\":\"\\u00e9\",\"_attachments\":{\"x.tgz\":{\"length\":"
                 + QByteArray::number(data.size()) + ",\"data\":\"\"}}}\n");
    QCOMPARE(decoded->attachments.size(), 1);
    const DecodedAttachment &attachment = decoded->attachments.at(0);
    QCOMPARE(attachment.fileName, u"x.tgz"_s);
    QCOMPARE(attachment.size, data.size());
    QCOMPARE(fileContent(attachment.file->path()), data);
    QCOMPARE(attachment.sha1, QCryptographicHash::hash(data, QCryptographicHash::Sha1).toHex());
    QCOMPARE(attachment.sha512, QCryptographicHash::hash(data, QCryptographicHash::Sha512).toHex());
}

void tst_PublishBody::chunkingDoesNotMatter()
{
    const QByteArray data = QByteArray("npm tarball bytes \x00\x01\xfe\xff", 22).repeated(100);
    const QByteArray body =
        R"({"_id":"@s/p","name":"@s/p","description":"caf\u00e9 – ok \"q\"",)"
        R"("versions":{"1.0.0":{"n":[1,-2.5e+3,0.0,true,false,null,{}],"e":[]}},)"
        R"("_attachments":{"@s/p-1.0.0.tgz":{"content_type":"x","data":")"
        + data.toBase64() + R"(","length":2200}},"access":null})";
    const Result<DecodedPublishBody> whole = decode(m_dir->path(), body, 0);
    QVERIFY2(whole, qPrintable(whole ? QString() : whole.error().message));
    const Result<DecodedPublishBody> bytes = decode(m_dir->path(), body, 1);
    QVERIFY2(bytes, qPrintable(bytes ? QString() : bytes.error().message));
    QCOMPARE(bytes->json, whole->json);
    QVERIFY(!whole->json.contains(data.toBase64().left(16)));
    QCOMPARE(bytes->attachments.size(), 1);
    QCOMPARE(bytes->attachments.at(0).fileName, u"@s/p-1.0.0.tgz"_s);
    QCOMPARE(bytes->attachments.at(0).sha512, whole->attachments.at(0).sha512);
    QCOMPARE(fileContent(bytes->attachments.at(0).file->path()), data);
    QCOMPARE(fileContent(whole->attachments.at(0).file->path()), data);
}

void tst_PublishBody::bigDataBoundedMemory()
{
    // 50 MiB decoded, fed in 256 KiB pieces generated on the fly: the test holds no copy either.
    constexpr qsizetype Block = 3 * 16384; // a multiple of 3: blocks' base64 concatenate
    QByteArray block(Block, Qt::Uninitialized);
    QRandomGenerator generator(11);
    for (char &c : block) {
        c = char(generator.bounded(256));
    }
    const QByteArray encodedBlock = block.toBase64();
    constexpr int Blocks = 50 * 1024 * 1024 / Block + 1;
    QCryptographicHash sha512(QCryptographicHash::Sha512);
    for (int i = 0; i < Blocks; ++i) {
        sha512.addData(block);
    }
    const qint64 before = residentKiB();
    QVERIFY(before > 0);
    PublishBodyDecoder decoder(m_dir->path(), {});
    QVERIFY(decoder.write(R"({"name":"big","_attachments":{"big-1.0.0.tgz":{"data":")"));
    QByteArray piece;
    for (int i = 0; i < Blocks; ++i) {
        piece += encodedBlock;
        if (piece.size() >= 256 * 1024 || i == Blocks - 1) {
            QVERIFY(decoder.write(piece));
            piece.clear();
        }
    }
    QVERIFY(decoder.write(R"("}}})"));
    const qint64 growth = residentKiB() - before;
    const Result<DecodedPublishBody> decoded = decoder.finish();
    QVERIFY2(decoded, qPrintable(decoded ? QString() : decoded.error().message));
    QVERIFY2(growth < 32 * 1024, qPrintable(u"VmRSS grew by %1 KiB"_s.arg(growth)));
    QCOMPARE(decoded->attachments.at(0).size, qint64(Block) * Blocks);
    QCOMPARE(decoded->attachments.at(0).sha512, sha512.result().toHex());
    QCOMPARE(QFileInfo(decoded->attachments.at(0).file->path()).size(), qint64(Block) * Blocks);

    // The limits hold too: one byte more than allowed is refused, and nothing stays staged.
    PublishBodyDecoder::Limits limits;
    limits.maxAttachmentBytes = Block - 1;
    PublishBodyDecoder limited(m_dir->path(), limits);
    QVERIFY(limited.write(R"({"_attachments":{"big.tgz":{"data":")"));
    const Result<void> tooBig = limited.write(encodedBlock);
    QVERIFY(!tooBig);
    QCOMPARE(tooBig.error().message, u"File is too large."_s);
    QVERIFY(!limited.finish());

    limits = {};
    limits.maxJsonBytes = 64;
    PublishBodyDecoder small(m_dir->path(), limits);
    QVERIFY(small.write(R"({"_attachments":{"big.tgz":{"data":")"));
    QVERIFY(small.write(encodedBlock)); // attachment data does not count
    const Result<void> tooMuchJson =
        small.write(R"("}},"description":"0123456789012345678901234"})");
    QVERIFY(!tooMuchJson);
    QVERIFY2(tooMuchJson.error().message.contains(u"exceeds 64 bytes"_s),
             qPrintable(tooMuchJson.error().message));
}

void tst_PublishBody::stagedFileLifetime()
{
    QString path;
    {
        const Result<DecodedPublishBody> decoded = decode(m_dir->path(), bodyWithData("AAAA"), 0);
        QVERIFY(decoded);
        path = decoded->attachments.at(0).file->path();
        QVERIFY(QFile::exists(path));
    }
    QVERIFY(!QFile::exists(path)); // deleted with the body
    {
        const Result<DecodedPublishBody> decoded = decode(m_dir->path(), bodyWithData("AAAA"), 0);
        QVERIFY(decoded);
        path = decoded->attachments.at(0).file->path();
        QVERIFY(QFile::rename(path, path + u".moved"_s));
        decoded->attachments.at(0).file->release();
    }
    QVERIFY(QFile::exists(path + u".moved"_s)); // released: not the owner's to delete
    QVERIFY(QFile::remove(path + u".moved"_s));
    {
        // A body that stops mid-attachment (client gone) leaves nothing behind.
        PublishBodyDecoder decoder(m_dir->path(), {});
        QVERIFY(decoder.write(R"({"_attachments":{"a.tgz":{"data":"AAAA)"));
        QCOMPARE(staged().size(), 1);
    }
    QCOMPARE(staged(), QStringList());
}

#endif

QTEST_GUILESS_MAIN(tst_PublishBody)
#include "tst_publishbody.moc"
