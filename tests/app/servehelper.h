// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Starting the real `trove serve` from a test.

#include <QProcess>
#include <QRegularExpression>
#include <QString>
#include <QStringList>

namespace TestSupport {

inline const QString TroveBinary = QStringLiteral(TROVE_BINARY_DIR "/app/trove");

// Starts `trove serve ARGUMENTS` (give `--listen 127.0.0.1:0` for a free port) and waits, up to
// ten seconds, for the line it prints once it accepts connections; returns the port in it, 0 if
// the line never came.
inline quint16 startServe(QProcess &process, const QStringList &arguments)
{
    process.start(TroveBinary, QStringList{QStringLiteral("serve")} + arguments);
    if (!process.waitForStarted(10000)) {
        return 0;
    }
    static const QRegularExpression listening(
        QStringLiteral("^Listening on https?://([^/]+):(\\d+)/$"),
        QRegularExpression::MultilineOption);
    QString output;
    for (int i = 0; i < 200 && process.state() == QProcess::Running; ++i) {
        process.waitForReadyRead(50);
        output += QString::fromUtf8(process.readAllStandardOutput());
        const QRegularExpressionMatch match = listening.match(output);
        if (match.hasMatch()) {
            return match.captured(2).toUShort();
        }
    }
    return 0;
}

// Ends a child process (SIGTERM, the clean stop of `trove serve` and of nginx), killing it if it
// has not ended within ten seconds.
inline void stopProcess(QProcess &process)
{
    if (process.state() == QProcess::NotRunning) {
        return;
    }
    process.terminate();
    if (!process.waitForFinished(10000)) {
        process.kill();
        process.waitForFinished();
    }
}

} // namespace TestSupport
