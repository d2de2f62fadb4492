// SPDX-License-Identifier: GPL-3.0-or-later
// The one HTTP/1.1 request parser (docs/http.md): what it accepts, what it refuses with which
// status, and that feeding it byte by byte gives the same answer as feeding it whole.

#include "server/httpparser.h"

#include <QTest>

using namespace Trove::Http;

namespace {

// What the parser made of a stream: one line per request ("GET /x len=5 body=hello"), then
// "error <status>" if it refused.
struct Outcome
{
    QList<QByteArray> requests;
    int errorStatus = 0;
    QByteArray bodies;
};

Outcome parse(const QByteArray &stream, qsizetype piece)
{
    Outcome outcome;
    RequestParser parser;
    QByteArray body;
    qsizetype offset = 0;
    QByteArray pending;
    // After Head (and Body) the parser is called again even with nothing left to give it: a
    // request without a body ends there.
    for (;;) {
        if (pending.isEmpty() && offset < stream.size()) {
            pending = stream.mid(offset, piece);
            offset += pending.size();
        }
        qsizetype consumed = 0;
        const RequestParser::Event event = parser.feed(pending, &consumed);
        if (consumed > pending.size()) {
            outcome.errorStatus = -1;
            return outcome;
        }
        if (event == RequestParser::Event::Body) {
            body += parser.body().toByteArray();
        }
        pending.remove(0, consumed);
        switch (event) {
        case RequestParser::Event::NeedMore:
            if (!pending.isEmpty()) {
                outcome.errorStatus = -2; // NeedMore must consume everything
                return outcome;
            }
            break;
        case RequestParser::Event::Head:
        case RequestParser::Event::Body:
            break;
        case RequestParser::Event::End: {
            const RequestHead &head = parser.head();
            QByteArray line = head.method + ' ' + head.target;
            if (head.framing == RequestHead::Framing::Chunked) {
                line += " chunked";
            }
            line += " body=" + body;
            if (!head.keepAlive) {
                line += " close";
            }
            outcome.requests.append(line);
            body.clear();
            parser.reset();
            break;
        }
        case RequestParser::Event::Error:
            outcome.errorStatus = parser.errorStatus();
            return outcome;
        }
        if (event == RequestParser::Event::NeedMore && offset >= stream.size()) {
            break;
        }
    }
    return outcome;
}

} // namespace

class tst_HttpParser : public QObject
{
    Q_OBJECT

private slots:
    void accepted_data();
    void accepted();
    void refused_data();
    void refused();
    void headFields();
    void limits();
    void incompleteIsNotAnEnd();
};

void tst_HttpParser::accepted_data()
{
    QTest::addColumn<QByteArray>("stream");
    QTest::addColumn<QList<QByteArray>>("requests");
    QTest::newRow("GET") << QByteArray("GET /x HTTP/1.1\r\nHost: a\r\n\r\n")
                         << QList<QByteArray>{"GET /x body="};
    QTest::newRow("query kept in the target")
        << QByteArray("GET /x?a=b%20c HTTP/1.1\r\nHost: a\r\n\r\n")
        << QList<QByteArray>{"GET /x?a=b%20c body="};
    QTest::newRow("length body, then a pipelined request")
        << QByteArray("PUT /p HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello"
                      "GET /n HTTP/1.1\r\nHost: a\r\n\r\n")
        << QList<QByteArray>{"PUT /p body=hello", "GET /n body="};
    QTest::newRow("Content-Length: 0")
        << QByteArray("PUT /p HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n")
        << QList<QByteArray>{"PUT /p body="};
    QTest::newRow("chunked with extensions and trailers")
        << QByteArray("PUT /p HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                      "5;name=value\r\nhello\r\n6\r\n world\r\n0\r\nX-Trailer: 1\r\n\r\n"
                      "GET /n HTTP/1.1\r\nHost: a\r\n\r\n")
        << QList<QByteArray>{"PUT /p chunked body=hello world", "GET /n body="};
    QTest::newRow("chunked in upper case, hex sizes")
        << QByteArray("PUT /p HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: Chunked\r\n\r\n"
                      "A\r\n0123456789\r\n0\r\n\r\n")
        << QList<QByteArray>{"PUT /p chunked body=0123456789"};
    QTest::newRow("empty lines before a request")
        << QByteArray("\r\n\r\nGET /x HTTP/1.1\r\nHost: a\r\n\r\n")
        << QList<QByteArray>{"GET /x body="};
    QTest::newRow("HTTP/1.0 without Host closes")
        << QByteArray("GET /x HTTP/1.0\r\n\r\n") << QList<QByteArray>{"GET /x body= close"};
    QTest::newRow("HTTP/1.0 keep-alive")
        << QByteArray("GET /x HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
        << QList<QByteArray>{"GET /x body="};
    QTest::newRow("Connection: close")
        << QByteArray("GET /x HTTP/1.1\r\nHost: a\r\nConnection: foo, close\r\n\r\n")
        << QList<QByteArray>{"GET /x body= close"};
    QTest::newRow("blanks around values")
        << QByteArray("GET /x HTTP/1.1\r\nHost:   a \t\r\nContent-Length:\t2 \r\n\r\nok")
        << QList<QByteArray>{"GET /x body=ok"};
    QTest::newRow("obs-text in a value")
        << QByteArray("GET /x HTTP/1.1\r\nHost: a\r\nX-Name: caf\xc3\xa9\r\n\r\n")
        << QList<QByteArray>{"GET /x body="};
}

void tst_HttpParser::accepted()
{
    QFETCH(QByteArray, stream);
    QFETCH(QList<QByteArray>, requests);
    for (const qsizetype piece : {stream.size(), qsizetype(1), qsizetype(7)}) {
        const Outcome outcome = parse(stream, piece);
        QCOMPARE(outcome.errorStatus, 0);
        QCOMPARE(outcome.requests, requests);
    }
}

void tst_HttpParser::refused_data()
{
    QTest::addColumn<QByteArray>("stream");
    QTest::addColumn<int>("status");
    // Each is a way two parsers could disagree about where a request ends: refused, never guessed.
    QTest::newRow("two Content-Length") << QByteArray(
        "PUT /p HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!")
                                        << 400;
    QTest::newRow("two equal Content-Length") << QByteArray(
        "PUT /p HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\nhello")
                                              << 400;
    QTest::newRow("Content-Length list")
        << QByteArray("PUT /p HTTP/1.1\r\nHost: a\r\nContent-Length: 5, 5\r\n\r\nhello") << 400;
    QTest::newRow("Content-Length with a sign")
        << QByteArray("PUT /p HTTP/1.1\r\nHost: a\r\nContent-Length: +5\r\n\r\nhello") << 400;
    QTest::newRow("Content-Length in hex")
        << QByteArray("PUT /p HTTP/1.1\r\nHost: a\r\nContent-Length: 0x5\r\n\r\nhello") << 400;
    QTest::newRow("Content-Length overflowing")
        << QByteArray("PUT /p HTTP/1.1\r\nHost: a\r\nContent-Length: 99999999999999999999\r\n\r\n")
        << 400;
    QTest::newRow("Content-Length with chunked")
        << QByteArray("POST /p HTTP/1.1\r\nHost: a\r\nContent-Length: 30\r\nTransfer-Encoding: "
                      "chunked\r\n\r\n0\r\n\r\nDELETE /x HTTP/1.1\r\nHost: a\r\n\r\n")
        << 400;
    QTest::newRow("xchunked") << QByteArray(
        "PUT /p HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: xchunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n")
                              << 501;
    QTest::newRow("gzip, chunked")
        << QByteArray("PUT /p HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n")
        << 501;
    QTest::newRow("chunked twice")
        << QByteArray("PUT /p HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n"
                      "Transfer-Encoding: chunked\r\n\r\n")
        << 501;
    QTest::newRow("chunked on HTTP/1.0")
        << QByteArray("PUT /p HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n") << 400;
    QTest::newRow("chunk size -5") << QByteArray(
        "PUT /p HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n-5\r\nhello\r\n")
                                   << 400;
    QTest::newRow("chunk size 0x5") << QByteArray(
        "PUT /p HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0x5\r\nhello\r\n")
                                    << 400;
    QTest::newRow("chunk size overflowing")
        << QByteArray("PUT /p HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                      "ffffffffffffffffff\r\n")
        << 400;
    QTest::newRow("empty chunk size") << QByteArray(
        "PUT /p HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n\r\nhello\r\n")
                                      << 400;
    QTest::newRow("chunk data longer than its size")
        << QByteArray("PUT /p HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                      "3\r\nhello\r\n0\r\n\r\n")
        << 400;
    QTest::newRow("chunk size with a bare LF")
        << QByteArray("PUT /p HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                      "5\nhello\r\n0\r\n\r\n")
        << 400;
    QTest::newRow("obsolete line folding")
        << QByteArray("GET /x HTTP/1.1\r\nHost: a\r\nX-A: 1\r\n  folded\r\n\r\n") << 400;
    QTest::newRow("bare LF line ends") << QByteArray("GET /x HTTP/1.1\nHost: a\n\n") << 400;
    QTest::newRow("bare CR in a value")
        << QByteArray("GET /x HTTP/1.1\r\nHost: a\rX-B: 1\r\n\r\n") << 400;
    QTest::newRow("NUL in a value")
        << QByteArray("GET /x HTTP/1.1\r\nHost: a\0b\r\n\r\n", 31) << 400;
    QTest::newRow("blank before the colon")
        << QByteArray("GET /x HTTP/1.1\r\nHost : a\r\n\r\n") << 400;
    QTest::newRow("no Host") << QByteArray("GET /x HTTP/1.1\r\n\r\n") << 400;
    QTest::newRow("two Host") << QByteArray("GET /x HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n") << 400;
    QTest::newRow("Host with a blank") << QByteArray("GET /x HTTP/1.1\r\nHost: a b\r\n\r\n") << 400;
    QTest::newRow("Host with a slash") << QByteArray("GET /x HTTP/1.1\r\nHost: a/b\r\n\r\n") << 400;
    QTest::newRow("absolute form")
        << QByteArray("GET http://a/x HTTP/1.1\r\nHost: a\r\n\r\n") << 400;
    QTest::newRow("asterisk form") << QByteArray("OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n") << 400;
    QTest::newRow("two spaces") << QByteArray("GET  /x HTTP/1.1\r\nHost: a\r\n\r\n") << 400;
    QTest::newRow("no version") << QByteArray("GET /x\r\nHost: a\r\n\r\n") << 400;
    QTest::newRow("HTTP/2.0") << QByteArray("GET /x HTTP/2.0\r\nHost: a\r\n\r\n") << 505;
    QTest::newRow("lower-case version") << QByteArray("GET /x http/1.1\r\nHost: a\r\n\r\n") << 400;
    QTest::newRow("method with a slash")
        << QByteArray("GE/T /x HTTP/1.1\r\nHost: a\r\n\r\n") << 400;
    QTest::newRow("fragment in the target")
        << QByteArray("GET /x#y HTTP/1.1\r\nHost: a\r\n\r\n") << 400;
    QTest::newRow("unknown expectation")
        << QByteArray("PUT /p HTTP/1.1\r\nHost: a\r\nExpect: 200-ok\r\n\r\n") << 417;
    QTest::newRow("many empty lines") << QByteArray(20, '\n').replace("\n", "\r\n") << 400;
    QTest::newRow("malformed trailer")
        << QByteArray("PUT /p HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                      "0\r\nnot a field\r\n\r\n")
        << 400;
}

void tst_HttpParser::refused()
{
    QFETCH(QByteArray, stream);
    QFETCH(int, status);
    for (const qsizetype piece : {stream.size(), qsizetype(1), qsizetype(5)}) {
        const Outcome outcome = parse(stream, piece);
        QCOMPARE(outcome.errorStatus, status);
        // Nothing after the refusal reaches anyone: the smuggled DELETE above included.
        for (const QByteArray &request : outcome.requests) {
            QVERIFY2(!request.startsWith("DELETE"), request.constData());
        }
    }
}

void tst_HttpParser::headFields()
{
    RequestParser parser;
    const QByteArray stream = "PUT /api/v4/x%2fy?q=1 HTTP/1.1\r\nHost: h\r\nX-Token: "
                              "abc\r\nContent-Length: 3\r\nExpect: 100-continue\r\n\r\n";
    qsizetype consumed = 0;
    QCOMPARE(parser.feed(stream, &consumed), RequestParser::Event::Head);
    QCOMPARE(consumed, stream.size());
    const RequestHead &head = parser.head();
    QCOMPARE(head.method, QByteArray("PUT"));
    QCOMPARE(head.path, QByteArray("/api/v4/x%2fy"));
    QCOMPARE(head.query, QByteArray("q=1"));
    QCOMPARE(head.header("x-token"), QByteArray("abc"));
    QCOMPARE(head.framing, RequestHead::Framing::Length);
    QCOMPARE(head.contentLength, 3);
    QVERIFY(head.expectContinue);
    QVERIFY(head.keepAlive);
    QVERIFY(parser.inRequest());
}

void tst_HttpParser::limits()
{
    RequestParser::Limits limits;
    limits.maxHeadBytes = 200;
    limits.maxHeaderCount = 3;
    {
        RequestParser parser(limits);
        qsizetype consumed = 0;
        const QByteArray big = "GET /x HTTP/1.1\r\nHost: a\r\nX: " + QByteArray(300, 'x');
        QCOMPARE(parser.feed(big, &consumed), RequestParser::Event::Error);
        QCOMPARE(parser.errorStatus(), 431);
    }
    {
        // The limit is on the whole head, not one line: many short lines reach it too.
        RequestParser parser(limits);
        qsizetype consumed = 0;
        QByteArray many = "GET /x HTTP/1.1\r\nHost: a\r\n";
        for (int i = 0; i < 40; ++i) {
            many += "A: b\r\n";
        }
        QCOMPARE(parser.feed(many, &consumed), RequestParser::Event::Error);
        QCOMPARE(parser.errorStatus(), 431);
    }
}

void tst_HttpParser::incompleteIsNotAnEnd()
{
    // A body that has not all arrived is never handed on as a request.
    const Outcome outcome =
        parse("PUT /p HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\nabc", 1000);
    QCOMPARE(outcome.errorStatus, 0);
    QVERIFY(outcome.requests.isEmpty());
}

QTEST_GUILESS_MAIN(tst_HttpParser)
#include "tst_httpparser.moc"
