// SPDX-License-Identifier: GPL-3.0-or-later
#include "model/npm/publishbody.h"

#include <QCryptographicHash>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>
#include <QTemporaryFile>

#include <optional>

using namespace Qt::StringLiterals;

namespace Trove::Npm {

StagedFile::StagedFile(QString path)
    : m_path(std::move(path))
{
}

StagedFile::~StagedFile()
{
    if (!m_path.isEmpty()) {
        QFile::remove(m_path);
    }
}

namespace {

// Decoded attachment bytes are written in pieces of this size: with the JSON copy, the only
// memory the decoder holds.
constexpr qsizetype FlushBytes = 64 * 1024;

enum class Scan {
    Value, // a value must come
    ValueOrClose, // after '[': a value or ']'
    KeyOrClose, // after '{': a key or '}'
    Key, // after ',' in an object: a key
    Colon,
    CommaOrClose,
    String, // inside a string (key or value)
    StringEscape,
    StringUnicode, // \uXXXX, m_hexLeft digits to go
    Data, // inside the base64 string of an attachment
    DataEscape,
    Number,
    Literal,
    Done, // the top-level object has closed
};

enum class NumberPart {
    Minus,
    Zero,
    Integer,
    Dot,
    Fraction,
    Exponent,
    ExponentSign,
    ExponentDigits
};

struct Frame
{
    bool isObject = false;
    QSet<QByteArray> keys; // raw (still escaped) keys seen, normalised through QJsonDocument
    QString currentKey;
    int entries = 0;
};

int base64Value(char c)
{
    if (c >= 'A' && c <= 'Z') {
        return c - 'A';
    }
    if (c >= 'a' && c <= 'z') {
        return c - 'a' + 26;
    }
    if (c >= '0' && c <= '9') {
        return c - '0' + 52;
    }
    if (c == '+') {
        return 62;
    }
    if (c == '/') {
        return 63;
    }
    return -1;
}

bool isWhitespace(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

} // namespace

struct PublishBodyDecoder::State
{
    QString stagingDir;
    Limits limits;
    std::optional<Error> failed;
    qint64 offset = 0; // of the byte being read, for messages

    QByteArray json;
    QList<Frame> stack;
    Scan scan = Scan::Value;
    bool stringIsKey = false;
    QByteArray key; // the raw key being read, quotes included

    // String validation.
    int utf8Left = 0; // continuation bytes still expected
    uchar utf8Low = 0x80, utf8High = 0xbf; // range of the next continuation byte
    int hexLeft = 0;
    uint codeUnit = 0;
    bool wantLowSurrogate = false; // a \uD800–\uDBFF escape must be followed by a low one

    NumberPart number = NumberPart::Zero;
    QByteArray literalRest; // what a true/false/null still needs

    // The attachment being decoded.
    QList<DecodedAttachment> attachments;
    std::unique_ptr<QFile> file;
    QCryptographicHash sha1{QCryptographicHash::Sha1};
    QCryptographicHash sha512{QCryptographicHash::Sha512};
    QByteArray pending; // decoded, not yet written
    quint32 quad = 0;
    int quadChars = 0;
    int padding = 0; // '=' seen in the current (last) quad

    Error syntax(const QString &what) const
    {
        return Error::invalid(u"Invalid json: %1 at byte %2"_s.arg(what).arg(offset));
    }
    Error dataError(const QString &what) const
    {
        // GitLab's own wording first, then what exactly is wrong.
        return Error::invalid(u"Attachment data is not valid base64: _attachments.%1.data %2"_s.arg(
            attachments.last().fileName, what));
    }

    Result<void> append(char c)
    {
        if (json.size() >= limits.maxJsonBytes) {
            return Error::invalid(
                u"Publish body too large: its JSON without attachment data exceeds %1 bytes"_s.arg(
                    limits.maxJsonBytes));
        }
        json.append(c);
        return {};
    }

    Result<void> byte(char c);
    Result<qsizetype> run(const char *begin, const char *end);
    Result<void> beginValue(char c);
    Result<void> endValue();
    Result<void> stringByte(char c);
    Result<void> dataByte(char c);
    Result<void> endKey();
    Result<void> beginData();
    Result<void> endData();
    Result<void> flush();
};

Result<void> PublishBodyDecoder::State::byte(char c)
{
    switch (scan) {
    case Scan::Data:
        return dataByte(c);
    case Scan::DataEscape:
        // The base64 alphabet needs no escaping; JSON allows "\/" for '/', which some encoders
        // write. Any other escape cannot stand for a base64 character we accept.
        if (c != '/') {
            return dataError(u"has an escape sequence other than \\/: it is not base64"_s);
        }
        scan = Scan::Data;
        return dataByte('/');
    case Scan::String:
    case Scan::StringEscape:
    case Scan::StringUnicode:
        return stringByte(c);
    case Scan::Number: {
        const bool digit = c >= '0' && c <= '9';
        switch (number) {
        case NumberPart::Minus:
            if (!digit) {
                return syntax(u"a digit must follow '-'"_s);
            }
            number = c == '0' ? NumberPart::Zero : NumberPart::Integer;
            return append(c);
        case NumberPart::Zero:
            if (digit) {
                return syntax(u"a number has a leading zero"_s);
            }
            [[fallthrough]];
        case NumberPart::Integer:
            if (digit) {
                return append(c);
            }
            if (c == '.') {
                number = NumberPart::Dot;
                return append(c);
            }
            if (c == 'e' || c == 'E') {
                number = NumberPart::Exponent;
                return append(c);
            }
            break;
        case NumberPart::Dot:
            if (!digit) {
                return syntax(u"a digit must follow '.'"_s);
            }
            number = NumberPart::Fraction;
            return append(c);
        case NumberPart::Fraction:
            if (digit) {
                return append(c);
            }
            if (c == 'e' || c == 'E') {
                number = NumberPart::Exponent;
                return append(c);
            }
            break;
        case NumberPart::Exponent:
            if (c == '+' || c == '-') {
                number = NumberPart::ExponentSign;
                return append(c);
            }
            [[fallthrough]];
        case NumberPart::ExponentSign:
            if (!digit) {
                return syntax(u"an exponent needs digits"_s);
            }
            number = NumberPart::ExponentDigits;
            return append(c);
        case NumberPart::ExponentDigits:
            if (digit) {
                return append(c);
            }
            break;
        }
        // The number ended at a byte that belongs to what follows.
        if (const Result<void> ended = endValue(); !ended) {
            return ended;
        }
        return byte(c);
    }
    case Scan::Literal:
        if (c != literalRest.at(0)) {
            return syntax(u"unknown literal (only true, false and null)"_s);
        }
        literalRest.remove(0, 1);
        if (const Result<void> appended = append(c); !appended) {
            return appended;
        }
        return literalRest.isEmpty() ? endValue() : Result<void>();
    default:
        break;
    }

    if (isWhitespace(c)) {
        return append(c);
    }
    switch (scan) {
    case Scan::Done:
        return syntax(u"only whitespace may follow the top-level object"_s);
    case Scan::Value:
    case Scan::ValueOrClose:
        if (c == ']' && scan == Scan::ValueOrClose) {
            stack.removeLast();
            if (const Result<void> appended = append(c); !appended) {
                return appended;
            }
            return endValue();
        }
        if (c == ']' || c == '}') {
            return syntax(u"a value is missing (trailing comma?)"_s);
        }
        return beginValue(c);
    case Scan::KeyOrClose:
    case Scan::Key:
        if (c == '}' && scan == Scan::KeyOrClose) {
            stack.removeLast();
            if (const Result<void> appended = append(c); !appended) {
                return appended;
            }
            return endValue();
        }
        if (c == '}') {
            return syntax(u"a key is missing (trailing comma?)"_s);
        }
        if (c != '"') {
            return syntax(u"an object key must be a string"_s);
        }
        if (stack.size() == 2 && stack.at(0).currentKey == u"_attachments"_s
            && stack.last().entries >= limits.maxAttachments) {
            return Error::invalid(u"Publish one attachment at a time"_s);
        }
        scan = Scan::String;
        stringIsKey = true;
        key = "\"";
        return append(c);
    case Scan::Colon:
        if (c != ':') {
            return syntax(u"':' must follow an object key"_s);
        }
        scan = Scan::Value;
        return append(c);
    case Scan::CommaOrClose: {
        Frame &frame = stack.last();
        if (c == ',') {
            scan = frame.isObject ? Scan::Key : Scan::Value;
            return append(c);
        }
        if (c == (frame.isObject ? '}' : ']')) {
            stack.removeLast();
            if (const Result<void> appended = append(c); !appended) {
                return appended;
            }
            return endValue();
        }
        return syntax(frame.isObject ? u"',' or '}' expected"_s : u"',' or ']' expected"_s);
    }
    default:
        Q_UNREACHABLE();
    }
    return {};
}

Result<void> PublishBodyDecoder::State::beginValue(char c)
{
    if (stack.isEmpty() && c != '{') {
        return Error::invalid(u"Invalid json: the body must be a JSON object"_s);
    }
    switch (c) {
    case '{':
    case '[':
        if (stack.size() >= limits.maxDepth) {
            return syntax(u"nesting deeper than %1 levels"_s.arg(limits.maxDepth));
        }
        stack.append(Frame{c == '{', {}, {}, 0});
        scan = c == '{' ? Scan::KeyOrClose : Scan::ValueOrClose;
        return append(c);
    case '"':
        // "_attachments": {"<file>": {"data": "<base64>"}} at the top level.
        if (stack.size() == 3 && stack.at(0).currentKey == u"_attachments"_s && stack.at(1).isObject
            && stack.at(2).isObject && stack.at(2).currentKey == u"data"_s) {
            if (const Result<void> appended = append('"'); !appended) {
                return appended;
            }
            if (const Result<void> appended = append('"'); !appended) {
                return appended;
            }
            return beginData();
        }
        scan = Scan::String;
        stringIsKey = false;
        return append(c);
    case '-':
        scan = Scan::Number;
        number = NumberPart::Minus;
        return append(c);
    case 't':
    case 'f':
    case 'n':
        scan = Scan::Literal;
        literalRest = c == 't' ? "rue" : c == 'f' ? "alse" : "ull";
        return append(c);
    default:
        if (c >= '0' && c <= '9') {
            scan = Scan::Number;
            number = c == '0' ? NumberPart::Zero : NumberPart::Integer;
            return append(c);
        }
        return syntax(c == '\''      ? u"strings need double quotes"_s
                          : c == '/' ? u"comments are not JSON"_s
                                     : u"unexpected character"_s);
    }
}

Result<void> PublishBodyDecoder::State::endValue()
{
    if (stack.isEmpty()) {
        scan = Scan::Done;
        return {};
    }
    Frame &frame = stack.last();
    ++frame.entries;
    scan = Scan::CommaOrClose;
    return {};
}

Result<void> PublishBodyDecoder::State::endKey()
{
    // The raw key is valid JSON by now; let QJsonDocument undo its escapes so "a" and "\u0061"
    // are the same key.
    const QJsonDocument parsed = QJsonDocument::fromJson('[' + key + ']');
    const QString text = parsed.array().at(0).toString();
    Frame &frame = stack.last();
    const QByteArray normalised = text.toUtf8();
    if (frame.keys.contains(normalised)) {
        return Error::invalid(
            u"Invalid json: duplicate key \"%1\" at byte %2"_s.arg(text).arg(offset));
    }
    frame.keys.insert(normalised);
    frame.currentKey = text;
    scan = Scan::Colon;
    return {};
}

Result<void> PublishBodyDecoder::State::stringByte(char c)
{
    const uchar u = uchar(c);
    if (stringIsKey) {
        key.append(c);
    }
    if (const Result<void> appended = append(c); !appended) {
        return appended;
    }
    if (scan == Scan::StringEscape) {
        switch (c) {
        case 'u':
            scan = Scan::StringUnicode;
            hexLeft = 4;
            codeUnit = 0;
            return {};
        case '"':
        case '\\':
        case '/':
        case 'b':
        case 'f':
        case 'n':
        case 'r':
        case 't':
            if (wantLowSurrogate) {
                return syntax(u"a \\u high surrogate is not followed by a low one"_s);
            }
            scan = Scan::String;
            return {};
        default:
            return syntax(u"invalid escape sequence"_s);
        }
    }
    if (scan == Scan::StringUnicode) {
        const int value = c >= '0' && c <= '9' ? c - '0'
            : c >= 'a' && c <= 'f'             ? c - 'a' + 10
            : c >= 'A' && c <= 'F'             ? c - 'A' + 10
                                               : -1;
        if (value < 0) {
            return syntax(u"\\u needs four hex digits"_s);
        }
        codeUnit = codeUnit * 16 + uint(value);
        if (--hexLeft > 0) {
            return {};
        }
        const bool high = codeUnit >= 0xd800 && codeUnit <= 0xdbff;
        const bool low = codeUnit >= 0xdc00 && codeUnit <= 0xdfff;
        if (wantLowSurrogate != low || (low && !wantLowSurrogate)) {
            return syntax(u"a \\u escape is a lone surrogate"_s);
        }
        wantLowSurrogate = high;
        scan = Scan::String;
        return {};
    }
    // Inside the string proper.
    if (utf8Left > 0) {
        if (u < utf8Low || u > utf8High) {
            return syntax(u"invalid UTF-8"_s);
        }
        --utf8Left;
        utf8Low = 0x80;
        utf8High = 0xbf;
        return {};
    }
    if (wantLowSurrogate && c != '\\') {
        return syntax(u"a \\u high surrogate is not followed by a low one"_s);
    }
    if (c == '\\') {
        scan = Scan::StringEscape;
        return {};
    }
    if (c == '"') {
        if (stringIsKey) {
            return endKey();
        }
        return endValue();
    }
    if (u < 0x20) {
        return syntax(u"a control character in a string must be escaped"_s);
    }
    if (u < 0x80) {
        return {};
    }
    // The lead byte fixes how many continuation bytes follow and, to refuse overlong forms,
    // surrogates and code points beyond U+10FFFF, the range of the first one.
    if (u >= 0xc2 && u <= 0xdf) {
        utf8Left = 1;
    } else if (u == 0xe0) {
        utf8Left = 2;
        utf8Low = 0xa0;
    } else if ((u >= 0xe1 && u <= 0xec) || u == 0xee || u == 0xef) {
        utf8Left = 2;
    } else if (u == 0xed) {
        utf8Left = 2;
        utf8High = 0x9f;
    } else if (u == 0xf0) {
        utf8Left = 3;
        utf8Low = 0x90;
    } else if (u >= 0xf1 && u <= 0xf3) {
        utf8Left = 3;
    } else if (u == 0xf4) {
        utf8Left = 3;
        utf8High = 0x8f;
    } else {
        return syntax(u"invalid UTF-8"_s);
    }
    return {};
}

Result<void> PublishBodyDecoder::State::beginData()
{
    DecodedAttachment attachment;
    attachment.fileName = stack.at(1).currentKey;
    if (attachments.size() >= limits.maxAttachments) {
        return Error::invalid(u"Publish one attachment at a time"_s);
    }
    auto temporary = std::make_unique<QTemporaryFile>(stagingDir + u"/upload-XXXXXX"_s);
    temporary->setAutoRemove(false);
    if (!temporary->open()) {
        return Error::storage(
            u"Cannot create a staging file in %1: %2"_s.arg(stagingDir, temporary->errorString()));
    }
    attachment.file = std::make_shared<StagedFile>(temporary->fileName());
    file = std::move(temporary);
    attachments.append(attachment);
    sha1.reset();
    sha512.reset();
    pending.clear();
    pending.reserve(FlushBytes);
    quad = 0;
    quadChars = 0;
    padding = 0;
    scan = Scan::Data;
    return {};
}

Result<void> PublishBodyDecoder::State::flush()
{
    if (pending.isEmpty()) {
        return {};
    }
    sha1.addData(pending);
    sha512.addData(pending);
    if (file->write(pending) != pending.size()) {
        return Error::storage(
            u"Cannot write the staging file %1: %2"_s.arg(file->fileName(), file->errorString()));
    }
    pending.clear();
    return {};
}

// What byte() would do with a run of bytes that changes no state but the buffers, done for the
// run at once: plain ASCII inside a string, base64 characters inside an attachment's data. Most
// of a body is one or the other, and a byte at a time costs a call and a Result each. Returns how
// many bytes it took (0: let byte() read the next one, which also places every error exactly).
Result<qsizetype> PublishBodyDecoder::State::run(const char *begin, const char *end)
{
    if (scan == Scan::String && utf8Left == 0 && !wantLowSurrogate) {
        const char *at = begin;
        while (at < end) {
            const uchar u = uchar(*at);
            if (u < 0x20 || u >= 0x80 || u == '"' || u == '\\') {
                break;
            }
            ++at;
        }
        const qsizetype length = at - begin;
        if (length == 0 || json.size() + length > limits.maxJsonBytes) {
            return 0;
        }
        json.append(begin, length);
        if (stringIsKey) {
            key.append(begin, length);
        }
        return length;
    }
    if (scan == Scan::Data && padding == 0) {
        DecodedAttachment &attachment = attachments.last();
        const char *at = begin;
        while (at < end) {
            const int value = base64Value(*at);
            if (value < 0) {
                break;
            }
            ++at;
            quad = (quad << 6) | quint32(value);
            if (++quadChars < 4) {
                continue;
            }
            const char bytes[3] = {char(quad >> 16), char(quad >> 8), char(quad)};
            pending.append(bytes, 3);
            quad = 0;
            quadChars = 0;
            attachment.size += 3;
            if (attachment.size > limits.maxAttachmentBytes) {
                return Error::invalid(u"File is too large."_s);
            }
            if (pending.size() >= FlushBytes) {
                if (const Result<void> flushed = flush(); !flushed) {
                    return flushed.error();
                }
            }
        }
        return at - begin;
    }
    return 0;
}

Result<void> PublishBodyDecoder::State::dataByte(char c)
{
    if (c == '"') {
        return endData();
    }
    if (c == '\\') {
        scan = Scan::DataEscape;
        return {};
    }
    if (padding > 0 && c != '=') {
        return dataError(u"has characters after its '=' padding: it is not base64"_s);
    }
    if (c == '=') {
        // At most two '=', and only in the last two places of a quad.
        if (quadChars + padding < 2 || ++padding + quadChars > 4) {
            return dataError(u"has '=' padding in the wrong place: it is not base64"_s);
        }
        return {};
    }
    const int value = base64Value(c);
    if (value < 0) {
        return dataError(u"is not base64 (standard alphabet, no whitespace)"_s);
    }
    quad = (quad << 6) | quint32(value);
    if (++quadChars < 4) {
        return {};
    }
    pending.append(char(quad >> 16));
    pending.append(char(quad >> 8));
    pending.append(char(quad));
    quad = 0;
    quadChars = 0;
    attachments.last().size += 3;
    if (attachments.last().size > limits.maxAttachmentBytes) {
        return Error::invalid(u"File is too large."_s);
    }
    return pending.size() >= FlushBytes ? flush() : Result<void>();
}

Result<void> PublishBodyDecoder::State::endData()
{
    DecodedAttachment &attachment = attachments.last();
    if (quadChars + padding != 0 && quadChars + padding != 4) {
        return dataError(u"is not base64: its length is not a multiple of 4 (padding missing?)"_s);
    }
    if (padding > 0) {
        // 2 characters carry 1 byte, 3 carry 2; the bits left over must be zero.
        const int bits = quadChars * 6;
        const int bytes = quadChars - 1;
        const quint32 leftover = quad & ((1u << (bits - bytes * 8)) - 1);
        if (leftover != 0) {
            return dataError(u"is not canonical base64 (padding bits set)"_s);
        }
        const quint32 value = quad >> (bits - bytes * 8);
        for (int i = bytes - 1; i >= 0; --i) {
            pending.append(char(value >> (8 * i)));
        }
        attachment.size += bytes;
        if (attachment.size > limits.maxAttachmentBytes) {
            return Error::invalid(u"File is too large."_s);
        }
        quad = 0;
        quadChars = 0;
        padding = 0;
    }
    if (const Result<void> flushed = flush(); !flushed) {
        return flushed;
    }
    if (!file->flush()) {
        return Error::storage(
            u"Cannot write the staging file %1: %2"_s.arg(file->fileName(), file->errorString()));
    }
    file->close();
    file.reset();
    attachment.sha1 = sha1.result().toHex();
    attachment.sha512 = sha512.result().toHex();
    return endValue();
}

PublishBodyDecoder::PublishBodyDecoder(const QString &stagingDir, const Limits &limits)
    : m_state(std::make_unique<State>())
{
    m_state->stagingDir = stagingDir;
    m_state->limits = limits;
}

PublishBodyDecoder::~PublishBodyDecoder() = default;

Result<void> PublishBodyDecoder::write(QByteArrayView chunk)
{
    State &state = *m_state;
    if (state.failed) {
        return *state.failed;
    }
    const auto fail = [&state](const Error &error) -> Result<void> {
        state.failed = error;
        // A refused body leaves nothing behind.
        state.file.reset();
        state.attachments.clear();
        return error;
    };
    const char *at = chunk.data();
    const char *const end = at + chunk.size();
    while (at < end) {
        const Result<qsizetype> taken = state.run(at, end);
        if (!taken) {
            return fail(taken.error());
        }
        if (*taken > 0) {
            at += *taken;
            state.offset += *taken;
            continue;
        }
        if (const Result<void> done = state.byte(*at); !done) {
            return fail(done.error());
        }
        ++at;
        ++state.offset;
    }
    return {};
}

Result<DecodedPublishBody> PublishBodyDecoder::finish()
{
    State &state = *m_state;
    if (state.failed) {
        return *state.failed;
    }
    if (state.scan != Scan::Done) {
        state.failed = state.offset == 0 && state.stack.isEmpty()
            ? Error::invalid(u"Invalid json: the body is empty"_s)
            : Error::invalid(u"Invalid json: the body ends before the top-level object closes"_s);
        state.file.reset();
        state.attachments.clear();
        return *state.failed;
    }
    DecodedPublishBody body;
    body.json = std::move(state.json);
    body.attachments = std::move(state.attachments);
    state.failed = Error::invalid(u"The body has been read already"_s);
    return body;
}

} // namespace Trove::Npm
