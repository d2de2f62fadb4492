// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "model/result.h"

#include <QByteArray>
#include <QString>

#include <functional>

namespace Trove {

namespace Npm {
class StagedFile;
}

// Tarballs, content-addressed: <root>/sha512/ab/<128 hex digits>. A blob is written to a
// staging file under <root>/tmp, fsync'ed, renamed into place and its folder fsync'ed (every step
// checked), so it is either whole or absent, and durable before any row refers to it. Writers
// need no database lock: rows are committed afterwards.
class BlobStore final
{
public:
    explicit BlobStore(const QString &root);

    // How long a file is safe from sweep(): a publish stores its blob before it takes the write
    // lock for its row, so a young unreferenced blob may be one whose row is about to be
    // committed. A publish takes seconds; 15 minutes leaves room for a slow disk or a paused
    // process, and an orphan costs only disk space until the next sweep.
    static constexpr qint64 SweepGraceSeconds = 15 * 60;

    // Readies the folders before first use: creates the 256 first-level folders, and moves the
    // blobs of a store made before this layout (sha512/ab/cd/<digest>) up one level. Idempotent,
    // and safe while another process does the same; Registry::open runs it once per store (the
    // database records it) before anything else, sweep() included.
    Result<void> prepare();

    // <root>/tmp, created if needed: where uploads are staged (PublishBodyDecoder) so that
    // adopt() can rename them into the store on the same file system.
    Result<QString> stagingDir() const;

    // Writes the bytes (unless the same content is already stored) and returns its sha512 hex.
    Result<QString> put(const QByteArray &bytes);
    // Moves a staged file whose content hashes to `sha512Hex` into the store (released, so its
    // owner no longer deletes it). When the blob is stored already, the staged file is left
    // alone and the blob's modification time is refreshed: that keeps it from the sweep until
    // the caller's row is committed.
    Result<void> adopt(Npm::StagedFile &file, const QString &sha512Hex);
    QString pathOf(const QString &sha512Hex) const;
    bool contains(const QString &sha512Hex) const;
    Result<QByteArray> read(const QString &sha512Hex) const;
    Result<void> remove(const QString &sha512Hex);

    // Deletes every file under the store that is not a complete blob referenced according to
    // `isReferenced` (half-written and staging files included), unless it was modified less than
    // `graceSeconds` ago. Returns how many were deleted.
    Result<int> sweep(const std::function<Result<bool>(const QString &sha512Hex)> &isReferenced,
                      qint64 graceSeconds = SweepGraceSeconds);

    static bool isDigest(const QString &text);

private:
    const QString m_root;
};

} // namespace Trove
