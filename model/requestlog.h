// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDateTime>
#include <QList>
#include <QMutex>
#include <QString>

namespace Trove {

// One answered request, as the window's request log shows it. Never a token, a header value or
// a body: the token's kind and name identify it.
struct RequestLogEntry
{
    quint64 sequence = 0; // 1, 2, … in the order the log received them
    QDateTime time; // UTC, when the answer was sent
    QString method;
    QString path; // as sent, percent-encoded
    QString level; // "project", "group", "instance" or "" (not an npm route)
    QString tokenKind; // "personal", "deploy", "job" or "" (anonymous)
    QString tokenName; // the token's name (or the job's project); "" when none
    QString username; // who the token acts as, if anyone
    int status = 0;
    qint64 bytes = 0;
    qint64 durationMs = 0;
    // Why a 401, 403 or 404 (or a redirect) happened, in plain words; "" otherwise.
    QString reason;
};

// The requests the server answered, kept for the window: appended from the server's worker
// threads, taken in batches by the GUI thread (a timer, not a signal per request: a busy
// server answers tens of thousands a second). Bounded: the oldest entries go first.
class RequestLog final
{
public:
    explicit RequestLog(qsizetype capacity = 10000);

    void append(RequestLogEntry entry); // any thread
    // The entries appended since the last call, oldest first, and how many were dropped in
    // between because the buffer was full.
    QList<RequestLogEntry> takeNew(quint64 *dropped = nullptr);
    quint64 total() const;

private:
    mutable QMutex m_mutex;
    const qsizetype m_capacity;
    QList<RequestLogEntry> m_pending;
    quint64 m_sequence = 0;
    quint64 m_dropped = 0;
};

} // namespace Trove
