// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QObject>

#include <functional>

class QSocketNotifier;
class QSslSocket;

namespace Trove::Http {

// The byte stream under one HTTP connection (docs/http.md §9). Plain TCP is owned directly:
// read(2) and sendmsg(2) on the descriptor, driven by one QSocketNotifier each way, so that a
// keep-alive request costs one read and one write. QTcpSocket would add an FIONREAD per read,
// a copy through its buffers, a separate write per queued buffer and an event-loop wake-up each
// time it switches its write notifier on. TLS goes through QSslSocket.
//
// All on the connection's thread. The callbacks may delete the connection later (deleteLater),
// never synchronously.
class Transport : public QObject
{
public:
    struct Callbacks
    {
        std::function<void()> readable; // bytes may be waiting
        std::function<void()> written; // queued output went out, or writable() was asked for
        std::function<void()> closed; // the peer went away or the stream failed
    };

    void setCallbacks(Callbacks callbacks) { m_callbacks = std::move(callbacks); }

    // Up to `max` received bytes; empty when none are waiting (or the stream ended: then
    // `closed` has been called).
    virtual QByteArray read(qint64 max) = 0;
    // Whether received bytes may be waiting without a new `readable` call.
    virtual bool mayHaveInput() const = 0;
    virtual void discardInput() = 0;
    // While paused, `readable` is not called (the peer's window fills and it stops sending).
    virtual void pauseReading(bool paused) = 0;

    // Sends `head` then `body`, as much as the kernel takes now; the rest is queued and sent
    // when the socket is writable.
    virtual void write(QByteArrayView head, QByteArrayView body = {}) = 0;
    virtual qint64 bytesToWrite() const = 0;
    // Calls `written` once the socket is writable (after sendfile() met a full buffer).
    virtual void notifyWhenWritable() = 0;
    // Ends output once everything queued has gone: FIN, or TLS's close_notify.
    virtual void closeWrite() = 0;
    // Drops the connection at once.
    virtual void abort() = 0;

    // The descriptor for sendfile(); -1 when output must go through write() (TLS).
    virtual int sendfileDescriptor() const = 0;

protected:
    Callbacks m_callbacks;
};

class PlainTransport final : public Transport
{
public:
    // Takes ownership of `descriptor`, a connected TCP socket.
    explicit PlainTransport(int descriptor);
    ~PlainTransport() override;

    QByteArray read(qint64 max) override;
    bool mayHaveInput() const override { return m_mayHaveInput; }
    void discardInput() override;
    void pauseReading(bool paused) override;
    void write(QByteArrayView head, QByteArrayView body) override;
    qint64 bytesToWrite() const override { return m_pending.size() - m_pendingPos; }
    void notifyWhenWritable() override;
    void closeWrite() override;
    void abort() override;
    int sendfileDescriptor() const override { return m_fd; }

private:
    void onReadable();
    void onWritable();
    // Sends queued bytes; false when the connection failed.
    bool sendPending();
    void fail();

    int m_fd;
    QSocketNotifier *m_readNotifier = nullptr;
    QSocketNotifier *m_writeNotifier = nullptr;
    QByteArray m_pending;
    qsizetype m_pendingPos = 0;
    bool m_mayHaveInput = true;
    bool m_readPaused = false;
    bool m_peerDone = false; // end of input seen while output was still queued
    bool m_failed = false;
};

class TlsTransport final : public Transport
{
public:
    // Takes ownership of `socket` (a child from now on).
    explicit TlsTransport(QSslSocket *socket);

    QByteArray read(qint64 max) override;
    bool mayHaveInput() const override;
    void discardInput() override;
    void pauseReading(bool) override { } // QSslSocket's bounded read buffer pushes back
    void write(QByteArrayView head, QByteArrayView body) override;
    qint64 bytesToWrite() const override;
    void notifyWhenWritable() override { }
    void closeWrite() override;
    void abort() override;
    int sendfileDescriptor() const override { return -1; }

private:
    QSslSocket *const m_socket;
};

} // namespace Trove::Http
