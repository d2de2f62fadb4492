// SPDX-License-Identifier: GPL-3.0-or-later
// Fuzzes Trove::Http::RequestParser (server/httpparser.h). The first byte is the size of the
// pieces the rest arrives in (0: all at once), as reads on a connection would deliver it; the
// rest is the byte stream of one connection, possibly several pipelined requests.
#include "server/httpparser.h"

#include <QByteArrayView>

#include <cstddef>
#include <cstdint>

using Trove::Http::RequestHead;
using Trove::Http::RequestParser;
using Event = RequestParser::Event;

namespace {

void check(bool condition)
{
    if (!condition) {
        __builtin_trap();
    }
}

// Feeds input and checks every event against the parser's contract and the request it is in.
class Connection
{
public:
    explicit Connection(const RequestParser::Limits &limits)
        : m_parser(limits)
    {
    }

    // One feed() call; the event, with *consumed bytes of input taken.
    Event step(QByteArrayView input, qsizetype *consumed)
    {
        *consumed = -1;
        const Event event = m_parser.feed(input, consumed);
        check(*consumed >= 0 && *consumed <= input.size());
        // An event that consumes nothing is fine once (End after the last Body), never for
        // long: a parser that stops consuming would hang its connection.
        m_idleEvents = *consumed == 0 ? m_idleEvents + 1 : 0;
        check(m_idleEvents < 8);
        switch (event) {
        case Event::NeedMore:
            // "All input consumed; feed more."
            check(*consumed == input.size());
            break;
        case Event::Head: {
            check(!m_inRequest);
            const RequestHead &head = m_parser.head();
            check(!head.method.isEmpty());
            check(head.target.startsWith('/'));
            check(head.target.startsWith(head.path));
            check(head.contentLength >= 0);
            check(head.framing == RequestHead::Framing::Length || head.contentLength == 0);
            m_inRequest = true;
            m_framing = head.framing;
            m_contentLength = head.contentLength;
            m_bodyBytes = 0;
            break;
        }
        case Event::Body: {
            check(m_inRequest && m_framing != RequestHead::Framing::None);
            // A view of bytes this call consumed, never a copy or beyond them.
            const QByteArrayView body = m_parser.body();
            check(body.data() >= input.data() && body.size() <= *consumed
                  && body.data() + body.size() <= input.data() + *consumed);
            m_bodyBytes += body.size();
            check(m_framing != RequestHead::Framing::Length || m_bodyBytes <= m_contentLength);
            break;
        }
        case Event::End:
            check(m_inRequest);
            check(m_framing != RequestHead::Framing::Length || m_bodyBytes == m_contentLength);
            check(m_framing != RequestHead::Framing::None || m_bodyBytes == 0);
            m_inRequest = false;
            m_parser.reset();
            check(!m_parser.inRequest());
            break;
        case Event::Error:
            check(m_parser.errorStatus() >= 400 && m_parser.errorStatus() <= 599);
            check(!m_parser.errorMessage().isEmpty());
            break;
        }
        return event;
    }

private:
    RequestParser m_parser;
    bool m_inRequest = false;
    RequestHead::Framing m_framing = RequestHead::Framing::None;
    qint64 m_contentLength = 0;
    qint64 m_bodyBytes = 0;
    int m_idleEvents = 0;
};

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0) {
        return 0;
    }
    const QByteArrayView stream(data + 1, qsizetype(size - 1));
    const qsizetype pieceSize = data[0] == 0 ? stream.size() : qsizetype(data[0]);

    // Small limits so that each of them is reachable with fuzzer-sized inputs.
    RequestParser::Limits limits;
    limits.maxHeadBytes = 1024;
    limits.maxHeaderCount = 16;
    limits.maxChunkLineBytes = 64;
    limits.maxTrailerBytes = 256;
    Connection connection(limits);

    for (qsizetype offset = 0; offset < stream.size(); offset += pieceSize) {
        const QByteArrayView piece = stream.sliced(offset, qMin(pieceSize, stream.size() - offset));
        qsizetype pos = 0;
        while (pos < piece.size()) {
            qsizetype consumed = 0;
            if (connection.step(piece.sliced(pos), &consumed) == Event::Error) {
                return 0;
            }
            pos += consumed;
        }
    }
    // The stream is over: what the parser still owes (the End of a request without body, or
    // after its last Body) comes out of empty input.
    for (;;) {
        qsizetype consumed = 0;
        const Event event = connection.step({}, &consumed);
        if (event == Event::NeedMore || event == Event::Error) {
            return 0;
        }
    }
}
