// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/singleinstance.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocalServer>
#include <QLocalSocket>
#include <QThread>

#include <unistd.h>

using namespace Qt::StringLiterals;

namespace {

// The longest request line a later launch may send: thousands of paths, not more.
constexpr qint64 MaxRequest = 1024 * 1024;

QString canonicalFolder(const QString &dataDir)
{
    const QString canonical = QFileInfo(dataDir).canonicalFilePath();
    return canonical.isEmpty() ? QDir::cleanPath(QDir(dataDir).absolutePath()) : canonical;
}

} // namespace

SingleInstance::SingleInstance(const QString &dataDir, QObject *parent)
    : QObject(parent)
    , m_dataDir(dataDir)
{
}

SingleInstance::~SingleInstance() = default;

QString SingleInstance::lockFilePath(const QString &dataDir)
{
    return QDir(dataDir).filePath(u"trove-window.lock"_s);
}

QString SingleInstance::serverName(const QString &dataDir)
{
    const QByteArray hash =
        QCryptographicHash::hash(canonicalFolder(dataDir).toUtf8(), QCryptographicHash::Sha256)
            .toHex()
            .left(24);
    return u"trove-%1-%2"_s.arg(::getuid()).arg(QString::fromLatin1(hash));
}

QString SingleInstance::windowHolding(const QString &dataDir)
{
    if (!QFileInfo(dataDir).isDir()) {
        return {};
    }
    QLockFile lock(lockFilePath(dataDir));
    lock.setStaleLockTime(0); // stale only when its process is gone
    if (lock.tryLock(0)) {
        lock.unlock();
        return {};
    }
    if (lock.error() != QLockFile::LockFailedError) {
        return {}; // unreadable folder: the registry's own opening says why
    }
    qint64 pid = 0;
    QString host;
    QString application;
    lock.getLockInfo(&pid, &host, &application);
    return u"the data folder %1 is open in the Trove window (pid %2), whose registry serves it "
           "already; use that registry (Registry ▸ Copy Registry Address), or close the window "
           "first"_s.arg(QDir::toNativeSeparators(dataDir))
               .arg(pid);
}

SingleInstance::Claim SingleInstance::claim(const QStringList &files, int patienceMs)
{
    QDir().mkpath(m_dataDir);
    m_lock = std::make_unique<QLockFile>(lockFilePath(m_dataDir));
    m_lock->setStaleLockTime(0);
    QJsonObject request;
    request.insert(u"files"_s, QJsonArray::fromStringList(files));
    const QByteArray line = QJsonDocument(request).toJson(QJsonDocument::Compact) + '\n';
    const QString name = serverName(m_dataDir);
    QElapsedTimer waited;
    waited.start();
    while (true) {
        if (m_lock->tryLock(0)) {
            if (!listen()) {
                // Still the only window: later launches just cannot reach it.
                qWarning().noquote()
                    << "Cannot listen for later launches on" << name << ":" << m_message;
            }
            return Claim::First;
        }
        if (m_lock->error() != QLockFile::LockFailedError) {
            // No lock to be had in this folder (read-only, say): Registry::open says why.
            return Claim::First;
        }
        QLocalSocket socket;
        socket.connectToServer(name);
        if (socket.waitForConnected(1000)) {
            socket.write(line);
            socket.waitForBytesWritten(2000);
            QByteArray reply;
            while (!reply.contains('\n') && socket.waitForReadyRead(10000)) {
                reply += socket.readAll();
            }
            const QJsonObject answer = QJsonDocument::fromJson(reply.trimmed()).object();
            if (answer.contains(u"pid"_s)) {
                m_message = u"Trove is already open on %1 (pid %2): raised its window"_s
                                .arg(QDir::toNativeSeparators(m_dataDir))
                                .arg(answer.value(u"pid"_s).toInteger());
                if (!files.isEmpty()) {
                    m_message += u" and passed it %1 to publish"_s.arg(files.join(u", "_s));
                }
                return Claim::Handed;
            }
        }
        if (waited.elapsed() >= patienceMs) {
            break;
        }
        QThread::msleep(100);
    }
    qint64 pid = 0;
    QString host;
    QString application;
    m_lock->getLockInfo(&pid, &host, &application);
    m_message = u"the data folder %1 is open in another Trove window (pid %2 on %3) that does not "
                "answer; close it, or remove %4 if that process is not Trove"_s
                    .arg(QDir::toNativeSeparators(m_dataDir))
                    .arg(pid)
                    .arg(host, QDir::toNativeSeparators(lockFilePath(m_dataDir)));
    return Claim::Refused;
}

bool SingleInstance::listen()
{
    const QString name = serverName(m_dataDir);
    m_server = new QLocalServer(this);
    // Only this user may hand the window files to publish.
    m_server->setSocketOptions(QLocalServer::UserAccessOption);
    // A socket left by a window that crashed: it holds no lock, so it is nobody's.
    QLocalServer::removeServer(name);
    if (!m_server->listen(name)) {
        m_message = m_server->errorString();
        return false;
    }
    connect(m_server, &QLocalServer::newConnection, this, [this] {
        while (QLocalSocket *socket = m_server->nextPendingConnection()) {
            connect(socket, &QLocalSocket::disconnected, socket, &QObject::deleteLater);
            connect(socket, &QLocalSocket::readyRead, this, [this, socket] {
                if (!socket->canReadLine()) {
                    if (socket->bytesAvailable() > MaxRequest) {
                        socket->abort();
                    }
                    return;
                }
                const QJsonObject request =
                    QJsonDocument::fromJson(socket->readLine(MaxRequest).trimmed()).object();
                QStringList files;
                const QJsonArray list = request.value(u"files"_s).toArray();
                for (const QJsonValue &file : list) {
                    if (file.isString()) {
                        files.append(file.toString());
                    }
                }
                emit activated(files);
                QJsonObject answer;
                answer.insert(u"pid"_s, QCoreApplication::applicationPid());
                socket->write(QJsonDocument(answer).toJson(QJsonDocument::Compact) + '\n');
                socket->disconnectFromServer();
            });
        }
    });
    return true;
}
