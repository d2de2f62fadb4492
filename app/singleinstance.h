// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QLockFile>
#include <QObject>
#include <QStringList>

#include <memory>

class QLocalServer;

// One window per data folder (docs/architecture.md, "One window per data folder"). The first
// window on a folder holds a lock file in it (QLockFile: a crashed window's lock is stale, its
// process gone) and listens on a local socket named after the folder's canonical path; a later
// launch on the same folder finds the lock taken, hands its .tgz paths to that socket and exits.
class SingleInstance final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SingleInstance)

public:
    enum class Claim {
        First, // this process holds the folder: open the window
        Handed, // a running window took the request: exit 0
        Refused, // another process holds the folder and does not answer; see message()
    };

    // `dataDir` need not exist yet: claim() creates it.
    explicit SingleInstance(const QString &dataDir, QObject *parent = nullptr);
    ~SingleInstance() override;

    // Takes the folder, or hands `files` (absolute .tgz paths) to the window that has it,
    // trying for up to `patienceMs` while a window that has just taken the lock starts
    // listening.
    Claim claim(const QStringList &files, int patienceMs = 5000);
    // What Refused means, or what the running window answered to Handed (its pid).
    QString message() const { return m_message; }

    // The lock file in `dataDir`.
    static QString lockFilePath(const QString &dataDir);
    // The local socket's name for `dataDir`: its canonical path hashed, with the user's id (the
    // socket lives in the shared temporary folder).
    static QString serverName(const QString &dataDir);
    // For `trove serve`: "" when no window holds `dataDir`, else why serve refuses. Takes the
    // lock only for the moment of asking: servers on one folder may share it (docs/).
    static QString windowHolding(const QString &dataDir);

signals:
    // A later launch on this folder asked for the window, with its .tgz paths (maybe none).
    void activated(const QStringList &files);

private:
    bool listen();

    QString m_dataDir;
    std::unique_ptr<QLockFile> m_lock;
    QLocalServer *m_server = nullptr; // child of this
    QString m_message;
};
