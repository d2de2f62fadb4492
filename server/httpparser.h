// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QPair>

namespace Trove::Http {

// The head of one HTTP/1.1 request, as the parser accepted it.
struct RequestHead
{
    enum class Framing {
        None, // no body
        Length, // Content-Length bytes follow
        Chunked, // Transfer-Encoding: chunked
    };

    QByteArray method; // a token, as sent ("GET")
    QByteArray target; // origin-form, as sent: "/path?query"
    QByteArray path; // target up to '?', still percent-encoded
    QByteArray query; // after '?', without it
    bool http10 = false;
    QList<QPair<QByteArray, QByteArray>> headers; // names as sent, values without outer blanks
    Framing framing = Framing::None;
    qint64 contentLength = 0; // with Framing::Length
    bool keepAlive = true; // after the version and Connection
    bool expectContinue = false;

    // Case-insensitive; the first header of that name.
    QByteArray header(QByteArrayView name) const;
};

// The only code that decides where a request starts and ends on a connection (docs/http.md).
// Strict HTTP/1.1 (RFC 9112): whatever a lenient parser would have to guess at is refused, with
// the status to answer before the connection is closed: duplicate or non-decimal Content-Length,
// Content-Length with Transfer-Encoding, a transfer coding other than exactly "chunked" (501),
// chunked on HTTP/1.0, bad chunk sizes or framing, obsolete line folding, bare CR or LF, control
// characters, a missing or repeated Host. It never buffers a body: body bytes are handed out as
// views of the caller's input.
//
// Pull style: feed() consumes input up to the next event and says how much it took; call it
// again with the rest. One parser per connection; reset() after End for the next request.
class RequestParser
{
public:
    struct Limits
    {
        qsizetype maxHeadBytes = 64 * 1024; // request line and header fields together
        int maxHeaderCount = 100;
        qsizetype maxChunkLineBytes = 1024; // a chunk-size line with its extensions
        qsizetype maxTrailerBytes = 16 * 1024;
    };

    enum class Event {
        NeedMore, // all input consumed; feed more
        Head, // the head is complete: head()
        Body, // body(): a piece of the body, a view of the input just given
        End, // the request is complete; the input after it is the next request's
        Error, // errorStatus() and errorMessage(); the connection must be closed
    };

    explicit RequestParser(const Limits &limits);
    RequestParser();

    Event feed(QByteArrayView input, qsizetype *consumed);
    void reset();

    const RequestHead &head() const { return m_head; }
    QByteArrayView body() const { return m_body; }
    int errorStatus() const { return m_errorStatus; }
    const QByteArray &errorMessage() const { return m_errorMessage; }
    // Bytes of the current request's head seen so far (0 between requests): for the head timeout.
    bool inRequest() const { return m_state != State::Start || !m_line.isEmpty(); }

private:
    enum class State {
        Start, // before the request line (blank lines allowed)
        Headers,
        Length,
        ChunkSize,
        ChunkData,
        ChunkDataEnd, // CRLF after chunk data
        Trailers,
        Done,
        Failed,
    };

    enum class Line { Complete, Incomplete, TooLong, Malformed };

    Event fail(int status, const char *message);
    // Takes input up to the end of a CRLF-terminated line into m_line (without the CRLF); m_line
    // may not grow beyond `limit`.
    Line takeLine(QByteArrayView input, qsizetype *pos, qsizetype limit);
    Event requestLine();
    Event headerLine();
    Event endOfHead();
    Event chunkSizeLine();

    Limits m_limits;
    State m_state = State::Start;
    RequestHead m_head;
    QByteArray m_line;
    bool m_sawCr = false; // of the CRLF after chunk data
    qsizetype m_headBytes = 0;
    qsizetype m_trailerBytes = 0;
    qint64 m_remaining = 0;
    QByteArrayView m_body;
    int m_errorStatus = 0;
    QByteArray m_errorMessage;
};

} // namespace Trove::Http
