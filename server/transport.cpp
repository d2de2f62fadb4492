// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/transport.h"

#include <QSocketNotifier>
#include <QSslSocket>

#include <cerrno>

#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

namespace Trove::Http {

namespace {

// One receive buffer per thread: read(2) lands here and only what arrived is copied out, so an
// idle connection holds no buffer.
char *scratch(qint64 size)
{
    thread_local QByteArray buffer;
    if (buffer.size() < size) {
        buffer.resize(size);
    }
    return buffer.data();
}

bool wouldBlock()
{
    return errno == EAGAIN || errno == EWOULDBLOCK;
}

} // namespace

PlainTransport::PlainTransport(int descriptor)
    : m_fd(descriptor)
{
    m_readNotifier = new QSocketNotifier(m_fd, QSocketNotifier::Read, this);
    m_writeNotifier = new QSocketNotifier(m_fd, QSocketNotifier::Write, this);
    m_writeNotifier->setEnabled(false);
    connect(m_readNotifier, &QSocketNotifier::activated, this, [this] { onReadable(); });
    connect(m_writeNotifier, &QSocketNotifier::activated, this, [this] { onWritable(); });
}

PlainTransport::~PlainTransport()
{
    abort();
}

void PlainTransport::onReadable()
{
    m_mayHaveInput = true;
    if (m_callbacks.readable) {
        m_callbacks.readable();
    }
}

QByteArray PlainTransport::read(qint64 max)
{
    if (m_fd < 0 || !m_mayHaveInput) {
        return {};
    }
    char *buffer = scratch(max);
    for (;;) {
        const ssize_t n = ::read(m_fd, buffer, size_t(max));
        if (n > 0) {
            // A short read took everything the kernel had: the notifier says when more comes.
            if (n < max) {
                m_mayHaveInput = false;
            }
            return QByteArray(buffer, n);
        }
        if (n < 0 && errno == EINTR) {
            continue;
        }
        m_mayHaveInput = false;
        if (n < 0 && wouldBlock()) {
            return {};
        }
        if (n == 0 && bytesToWrite() > 0) {
            // The peer has finished sending but may still read: the answer goes out first.
            m_peerDone = true;
            m_readNotifier->setEnabled(false);
            return {};
        }
        // The peer closed its side (0) or the connection broke.
        fail();
        return {};
    }
}

void PlainTransport::discardInput()
{
    m_mayHaveInput = true;
    while (m_fd >= 0 && !read(64 * 1024).isEmpty()) { }
}

void PlainTransport::pauseReading(bool paused)
{
    if (paused == m_readPaused || m_fd < 0 || m_peerDone) {
        return;
    }
    m_readPaused = paused;
    m_readNotifier->setEnabled(!paused);
    if (!paused) {
        m_mayHaveInput = true;
    }
}

void PlainTransport::write(QByteArrayView head, QByteArrayView body)
{
    if (m_fd < 0) {
        return;
    }
    if (bytesToWrite() > 0) {
        // Behind what is queued already: keep the order.
        m_pending.append(head.data(), head.size());
        m_pending.append(body.data(), body.size());
        return;
    }
    iovec parts[2] = {{const_cast<char *>(head.data()), size_t(head.size())},
                      {const_cast<char *>(body.data()), size_t(body.size())}};
    msghdr message = {};
    message.msg_iov = parts;
    message.msg_iovlen = body.isEmpty() ? 1 : 2;
    ssize_t sent;
    do {
        // MSG_NOSIGNAL: a client that has gone is an error here, not SIGPIPE.
        sent = ::sendmsg(m_fd, &message, MSG_NOSIGNAL);
    } while (sent < 0 && errno == EINTR);
    if (sent < 0) {
        if (!wouldBlock()) {
            fail();
            return;
        }
        sent = 0;
    }
    if (sent == head.size() + body.size()) {
        return;
    }
    m_pending.clear();
    m_pendingPos = 0;
    if (sent < head.size()) {
        m_pending.append(head.data() + sent, head.size() - sent);
        m_pending.append(body.data(), body.size());
    } else {
        const qsizetype done = sent - head.size();
        m_pending.append(body.data() + done, body.size() - done);
    }
    m_writeNotifier->setEnabled(true);
}

bool PlainTransport::sendPending()
{
    while (m_fd >= 0 && bytesToWrite() > 0) {
        const ssize_t sent = ::send(
            m_fd, m_pending.constData() + m_pendingPos, size_t(bytesToWrite()), MSG_NOSIGNAL);
        if (sent > 0) {
            m_pendingPos += sent;
            continue;
        }
        if (sent < 0 && errno == EINTR) {
            continue;
        }
        if (sent < 0 && wouldBlock()) {
            return true;
        }
        fail();
        return false;
    }
    if (bytesToWrite() == 0) {
        m_pending.clear();
        m_pendingPos = 0;
    }
    return m_fd >= 0;
}

void PlainTransport::onWritable()
{
    if (!sendPending()) {
        return;
    }
    if (bytesToWrite() == 0) {
        m_writeNotifier->setEnabled(false);
        if (m_peerDone) {
            fail();
            return;
        }
    }
    if (m_callbacks.written) {
        m_callbacks.written();
    }
}

void PlainTransport::notifyWhenWritable()
{
    if (m_fd >= 0) {
        m_writeNotifier->setEnabled(true);
    }
}

void PlainTransport::closeWrite()
{
    if (m_fd >= 0) {
        ::shutdown(m_fd, SHUT_WR);
    }
}

void PlainTransport::abort()
{
    if (m_fd < 0) {
        return;
    }
    // The notifiers let go of the descriptor before it is closed (and perhaps reused).
    m_readNotifier->setEnabled(false);
    m_writeNotifier->setEnabled(false);
    ::close(m_fd);
    m_fd = -1;
    m_pending.clear();
    m_pendingPos = 0;
    m_mayHaveInput = false;
}

void PlainTransport::fail()
{
    if (m_failed) {
        return;
    }
    m_failed = true;
    abort();
    if (m_callbacks.closed) {
        m_callbacks.closed();
    }
}

TlsTransport::TlsTransport(QSslSocket *socket)
    : m_socket(socket)
{
    m_socket->setParent(this);
    // When this buffer is full Qt stops reading the socket, and the kernel's window pushes back
    // on the client.
    m_socket->setReadBufferSize(64 * 1024);
    connect(m_socket, &QIODevice::readyRead, this, [this] {
        if (m_callbacks.readable) {
            m_callbacks.readable();
        }
    });
    connect(m_socket, &QIODevice::bytesWritten, this, [this] {
        if (m_callbacks.written) {
            m_callbacks.written();
        }
    });
    const auto closed = [this] {
        if (m_callbacks.closed) {
            m_callbacks.closed();
        }
    };
    connect(m_socket, &QAbstractSocket::disconnected, this, closed);
    connect(m_socket, &QAbstractSocket::errorOccurred, this, [this, closed] {
        // A reset or a failed handshake: nothing more can be sent.
        if (m_socket->state() != QAbstractSocket::ConnectedState) {
            closed();
        }
    });
}

QByteArray TlsTransport::read(qint64 max)
{
    return m_socket->read(max);
}

bool TlsTransport::mayHaveInput() const
{
    return m_socket->bytesAvailable() > 0;
}

void TlsTransport::discardInput()
{
    m_socket->skip(m_socket->bytesAvailable());
}

void TlsTransport::write(QByteArrayView head, QByteArrayView body)
{
    m_socket->write(head.data(), head.size());
    if (!body.isEmpty()) {
        m_socket->write(body.data(), body.size());
    }
}

qint64 TlsTransport::bytesToWrite() const
{
    return m_socket->bytesToWrite();
}

void TlsTransport::closeWrite()
{
    m_socket->disconnectFromHost();
}

void TlsTransport::abort()
{
    m_socket->abort();
}

} // namespace Trove::Http
