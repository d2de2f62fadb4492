// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/httpparser.h"

#include <cstring>

namespace Trove::Http {

namespace {

// RFC 9110 §5.6.2 tchar.
bool isTokenChar(char c)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
        return true;
    }
    return c != '\0' && std::strchr("!#$%&'*+-.^_`|~", c) != nullptr;
}

bool isToken(QByteArrayView text)
{
    if (text.isEmpty()) {
        return false;
    }
    for (const char c : text) {
        if (!isTokenChar(c)) {
            return false;
        }
    }
    return true;
}

// field-vchar, SP and HTAB: no control character (RFC 9110 §5.5), obs-text allowed.
bool isFieldValue(QByteArrayView text)
{
    for (const char c : text) {
        const uchar u = uchar(c);
        if ((u < 0x20 && u != '\t') || u == 0x7f) {
            return false;
        }
    }
    return true;
}

QByteArrayView trimmedBlanks(QByteArrayView text)
{
    qsizetype begin = 0;
    qsizetype end = text.size();
    while (begin < end && (text[begin] == ' ' || text[begin] == '\t')) {
        ++begin;
    }
    while (end > begin && (text[end - 1] == ' ' || text[end - 1] == '\t')) {
        --end;
    }
    return text.sliced(begin, end - begin);
}

bool equalsIgnoringCase(QByteArrayView a, QByteArrayView b)
{
    return a.size() == b.size() && a.compare(b, Qt::CaseInsensitive) == 0;
}

// 1*DIGIT, no sign, no blanks, no list: anything else is not a Content-Length (RFC 9112 §6.3).
bool parseDecimal(QByteArrayView text, qint64 *value)
{
    // 18 digits always fit in qint64; longer lengths are no body we would take anyway.
    if (text.isEmpty() || text.size() > 18) {
        return false;
    }
    qint64 result = 0;
    for (const char c : text) {
        if (c < '0' || c > '9') {
            return false;
        }
        result = result * 10 + (c - '0');
    }
    *value = result;
    return true;
}

int hexValue(char c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

// Host = uri-host [ ":" port ] (RFC 9110 §7.2): reg-name characters, an IP literal in brackets,
// digits after the colon. Anything else is no host a client meant.
bool isHostValue(QByteArrayView value)
{
    for (const char c : value) {
        const bool allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
            || (c >= '0' && c <= '9') || std::strchr("-._~%!$&'()*+,;=:[]", c) != nullptr;
        if (!allowed || c == '\0') {
            return false;
        }
    }
    return true;
}

// Comma-separated list members, each trimmed, empty members skipped (RFC 9110 §5.6.1).
bool listContains(QByteArrayView list, QByteArrayView member)
{
    qsizetype start = 0;
    while (start <= list.size()) {
        qsizetype comma = list.indexOf(',', start);
        if (comma < 0) {
            comma = list.size();
        }
        if (equalsIgnoringCase(trimmedBlanks(list.sliced(start, comma - start)), member)) {
            return true;
        }
        start = comma + 1;
    }
    return false;
}

} // namespace

QByteArray RequestHead::header(QByteArrayView name) const
{
    for (const auto &[key, value] : headers) {
        if (equalsIgnoringCase(key, name)) {
            return value;
        }
    }
    return {};
}

RequestParser::RequestParser(const Limits &limits)
    : m_limits(limits)
{
}

RequestParser::RequestParser()
    : RequestParser(Limits{})
{
}

void RequestParser::reset()
{
    m_state = State::Start;
    m_head = RequestHead{};
    m_line.clear();
    m_sawCr = false;
    m_headBytes = 0;
    m_trailerBytes = 0;
    m_remaining = 0;
    m_body = {};
    m_errorStatus = 0;
    m_errorMessage.clear();
}

RequestParser::Event RequestParser::fail(int status, const char *message)
{
    m_state = State::Failed;
    m_errorStatus = status;
    m_errorMessage = message;
    return Event::Error;
}

RequestParser::Line RequestParser::takeLine(QByteArrayView input, qsizetype *pos, qsizetype limit)
{
    // A line ends with CRLF; a CR anywhere else and a LF without its CR are refused, since other
    // parsers on the path may end lines there (RFC 9112 §2.2).
    const qsizetype start = *pos;
    const char *data = input.data() + start;
    const qsizetype available = input.size() - start;
    const void *found = std::memchr(data, '\n', size_t(available));
    const qsizetype take = found ? static_cast<const char *>(found) - data + 1 : available;
    if (m_line.size() + take > limit) {
        return Line::TooLong;
    }
    m_line.append(data, take);
    *pos = start + take;
    if (!found) {
        return Line::Incomplete;
    }
    m_line.chop(1); // the LF
    if (m_line.isEmpty() || m_line.back() != '\r') {
        return Line::Malformed;
    }
    m_line.chop(1);
    if (m_line.contains('\r')) {
        return Line::Malformed;
    }
    return Line::Complete;
}

RequestParser::Event RequestParser::feed(QByteArrayView input, qsizetype *consumed)
{
    qsizetype pos = 0;
    const auto done = [&](Event event) {
        *consumed = pos;
        return event;
    };
    m_body = {};
    for (;;) {
        switch (m_state) {
        case State::Start:
        case State::Headers:
        case State::Trailers: {
            if (pos == input.size()) {
                return done(Event::NeedMore);
            }
            const qsizetype before = pos;
            const bool trailers = m_state == State::Trailers;
            // The limit counts the whole head (or trailer section), not one line.
            const qsizetype limit = trailers
                ? m_limits.maxTrailerBytes - m_trailerBytes + m_line.size()
                : m_limits.maxHeadBytes - m_headBytes + m_line.size();
            const Line line = takeLine(input, &pos, limit);
            (trailers ? m_trailerBytes : m_headBytes) += pos - before;
            if (line == Line::TooLong) {
                return done(trailers ? fail(400, "Chunked trailer section is too large")
                                     : fail(431, "Request header fields are too large"));
            }
            if (line == Line::Malformed) {
                return done(fail(400, "Lines must end with CRLF"));
            }
            if (line == Line::Incomplete) {
                return done(Event::NeedMore);
            }
            Event event = Event::NeedMore;
            if (m_state == State::Start) {
                if (m_line.isEmpty()) {
                    // Empty lines before a request line are ignored (RFC 9112 §2.2), a few only.
                    if (m_headBytes > 8) {
                        return done(fail(400, "Empty lines instead of a request"));
                    }
                    continue;
                }
                event = requestLine();
            } else if (m_state == State::Headers) {
                event = m_line.isEmpty() ? endOfHead() : headerLine();
            } else if (m_line.isEmpty()) {
                m_state = State::Done;
                m_line.clear();
                return done(Event::End);
            } else {
                // Trailer fields are read for their framing and dropped: never merged into the
                // head, where they could stand in for headers the checks have already passed.
                const qsizetype colon = m_line.indexOf(':');
                if (colon <= 0 || !isToken(QByteArrayView(m_line).first(colon))
                    || !isFieldValue(QByteArrayView(m_line).sliced(colon + 1))) {
                    return done(fail(400, "Malformed chunked trailer field"));
                }
            }
            m_line.clear();
            if (event != Event::NeedMore) {
                return done(event);
            }
            break;
        }
        case State::Length:
        case State::ChunkData: {
            if (m_remaining == 0) {
                if (m_state == State::Length) {
                    m_state = State::Done;
                    return done(Event::End);
                }
                m_state = State::ChunkDataEnd;
                break;
            }
            if (pos == input.size()) {
                return done(Event::NeedMore);
            }
            const qint64 take = std::min<qint64>(m_remaining, input.size() - pos);
            m_body = input.sliced(pos, take);
            m_remaining -= take;
            pos += take;
            return done(Event::Body);
        }
        case State::ChunkDataEnd: {
            // Exactly CRLF after a chunk's data.
            while (pos < input.size()) {
                const char c = input[pos];
                if (!m_sawCr) {
                    if (c != '\r') {
                        return done(fail(400, "Chunk data is not followed by CRLF"));
                    }
                    m_sawCr = true;
                    ++pos;
                    continue;
                }
                if (c != '\n') {
                    return done(fail(400, "Chunk data is not followed by CRLF"));
                }
                ++pos;
                m_sawCr = false;
                m_state = State::ChunkSize;
                break;
            }
            if (m_state == State::ChunkDataEnd) {
                return done(Event::NeedMore);
            }
            break;
        }
        case State::ChunkSize: {
            if (pos == input.size()) {
                return done(Event::NeedMore);
            }
            const Line line = takeLine(input, &pos, m_limits.maxChunkLineBytes);
            if (line == Line::TooLong || line == Line::Malformed) {
                return done(fail(400, "Malformed chunk size line"));
            }
            if (line == Line::Incomplete) {
                return done(Event::NeedMore);
            }
            const Event event = chunkSizeLine();
            m_line.clear();
            if (event != Event::NeedMore) {
                return done(event);
            }
            break;
        }
        case State::Done:
            return done(Event::End);
        case State::Failed:
            return done(Event::Error);
        }
    }
}

RequestParser::Event RequestParser::requestLine()
{
    // method SP request-target SP HTTP-version, single spaces (RFC 9112 §3).
    const QByteArrayView line(m_line);
    const qsizetype firstSpace = line.indexOf(' ');
    const qsizetype lastSpace = line.lastIndexOf(' ');
    if (firstSpace <= 0 || lastSpace <= firstSpace + 1) {
        return fail(400, "Malformed request line");
    }
    const QByteArrayView method = line.first(firstSpace);
    const QByteArrayView target = line.sliced(firstSpace + 1, lastSpace - firstSpace - 1);
    const QByteArrayView version = line.sliced(lastSpace + 1);
    if (!isToken(method)) {
        return fail(400, "Malformed request method");
    }
    if (version == "HTTP/1.1") {
        m_head.http10 = false;
    } else if (version == "HTTP/1.0") {
        m_head.http10 = true;
    } else if (version.size() == 8 && version.startsWith("HTTP/") && version[5] >= '0'
               && version[5] <= '9' && version[6] == '.' && version[7] >= '0'
               && version[7] <= '9') {
        return fail(505, "HTTP version not supported");
    } else {
        return fail(400, "Malformed HTTP version");
    }
    // Origin form only: an absolute URI would name a host beside the Host header, and '*' is for
    // OPTIONS to a proxy; neither is an npm request.
    if (!target.startsWith('/')) {
        return fail(400, "The request target must be a path");
    }
    for (const char c : target) {
        const uchar u = uchar(c);
        if (u <= 0x20 || u >= 0x7f || c == '#') {
            return fail(400, "Malformed request target");
        }
    }
    m_head.method = method.toByteArray();
    m_head.target = target.toByteArray();
    const qsizetype question = target.indexOf('?');
    m_head.path = question < 0 ? m_head.target : target.first(question).toByteArray();
    m_head.query = question < 0 ? QByteArray() : target.sliced(question + 1).toByteArray();
    m_state = State::Headers;
    return Event::NeedMore;
}

RequestParser::Event RequestParser::headerLine()
{
    const QByteArrayView line(m_line);
    if (line.front() == ' ' || line.front() == '\t') {
        return fail(400, "Obsolete line folding is not accepted");
    }
    const qsizetype colon = line.indexOf(':');
    if (colon <= 0) {
        return fail(400, "Malformed header field");
    }
    const QByteArrayView name = line.first(colon);
    // No blank between the name and the colon (RFC 9112 §5.1): a proxy may read it otherwise.
    if (!isToken(name)) {
        return fail(400, "Malformed header field name");
    }
    const QByteArrayView value = trimmedBlanks(line.sliced(colon + 1));
    if (!isFieldValue(value)) {
        return fail(400, "Control character in a header field");
    }
    if (m_head.headers.size() >= m_limits.maxHeaderCount) {
        return fail(431, "Too many header fields");
    }
    m_head.headers.append(qMakePair(name.toByteArray(), value.toByteArray()));
    return Event::NeedMore;
}

RequestParser::Event RequestParser::endOfHead()
{
    int hosts = 0;
    int lengths = 0;
    bool chunked = false;
    bool transferEncoding = false;
    QByteArray codings;
    bool close = false;
    bool keepAlive = false;
    for (const auto &[name, value] : std::as_const(m_head.headers)) {
        if (equalsIgnoringCase(name, "host")) {
            ++hosts;
            if (!isHostValue(value)) {
                return fail(400, "The Host header is not a host");
            }
        } else if (equalsIgnoringCase(name, "content-length")) {
            ++lengths;
            if (lengths > 1) {
                return fail(400, "More than one Content-Length");
            }
            if (!parseDecimal(value, &m_head.contentLength)) {
                return fail(400, "Content-Length is not a decimal number");
            }
        } else if (equalsIgnoringCase(name, "transfer-encoding")) {
            codings += (transferEncoding ? ", " : "") + value;
            transferEncoding = true;
        } else if (equalsIgnoringCase(name, "connection")) {
            close = close || listContains(value, "close");
            keepAlive = keepAlive || listContains(value, "keep-alive");
        } else if (equalsIgnoringCase(name, "expect")) {
            if (!equalsIgnoringCase(value, "100-continue")) {
                return fail(417, "Only Expect: 100-continue is understood");
            }
            m_head.expectContinue = true;
        }
    }
    if (hosts > 1 || (hosts == 0 && !m_head.http10)) {
        return fail(400, "An HTTP/1.1 request needs exactly one Host header");
    }
    if (transferEncoding) {
        if (m_head.http10) {
            return fail(400, "Transfer-Encoding is not allowed in HTTP/1.0");
        }
        if (lengths > 0) {
            return fail(400, "Content-Length together with Transfer-Encoding");
        }
        chunked = equalsIgnoringCase(codings, "chunked");
        if (!chunked) {
            return fail(501, "Only the chunked transfer coding is understood");
        }
    }
    m_head.keepAlive = m_head.http10 ? keepAlive && !close : !close;
    if (chunked) {
        m_head.framing = RequestHead::Framing::Chunked;
        m_state = State::ChunkSize;
    } else if (lengths > 0 && m_head.contentLength > 0) {
        m_head.framing = RequestHead::Framing::Length;
        m_remaining = m_head.contentLength;
        m_state = State::Length;
    } else {
        m_head.framing = RequestHead::Framing::None;
        m_state = State::Done;
    }
    return Event::Head;
}

RequestParser::Event RequestParser::chunkSizeLine()
{
    // chunk-size [ chunk-ext ]: hex digits, then nothing or ';' extensions (RFC 9112 §7.1).
    const QByteArrayView line(m_line);
    qsizetype digits = 0;
    qint64 size = 0;
    while (digits < line.size() && hexValue(line[digits]) >= 0) {
        // 15 hex digits stay below 2^60: no overflow, and far beyond any body we accept.
        if (digits == 15) {
            return fail(400, "Chunk size is too large");
        }
        size = size * 16 + hexValue(line[digits]);
        ++digits;
    }
    if (digits == 0) {
        return fail(400, "Malformed chunk size");
    }
    QByteArrayView rest = line.sliced(digits);
    qsizetype blanks = 0;
    while (blanks < rest.size() && (rest[blanks] == ' ' || rest[blanks] == '\t')) {
        ++blanks;
    }
    rest = rest.sliced(blanks);
    if (!rest.isEmpty() && (rest.front() != ';' || !isFieldValue(rest))) {
        return fail(400, "Malformed chunk size");
    }
    if (blanks > 0 && rest.isEmpty()) {
        return fail(400, "Malformed chunk size");
    }
    if (size == 0) {
        m_state = State::Trailers;
        return Event::NeedMore;
    }
    m_remaining = size;
    m_state = State::ChunkData;
    return Event::NeedMore;
}

} // namespace Trove::Http
