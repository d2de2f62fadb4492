// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "model/result.h"

#include <QByteArray>
#include <QString>

#include <functional>

namespace Trove {

// Tarballs, content-addressed: <root>/sha512/ab/cd/<128 hex digits>. A file is written with
// QSaveFile (fsync, then an atomic rename), so it is either whole or absent.
class BlobStore final
{
public:
    explicit BlobStore(const QString &root);

    // Writes the bytes (unless the same content is already stored) and returns its sha512 hex.
    Result<QString> put(const QByteArray &bytes);
    QString pathOf(const QString &sha512Hex) const;
    bool contains(const QString &sha512Hex) const;
    Result<QByteArray> read(const QString &sha512Hex) const;
    Result<void> remove(const QString &sha512Hex);

    // Deletes every file under the store that is not a complete blob referenced according to
    // `isReferenced` (half-written temporary files included). Returns how many were deleted.
    Result<int> sweep(const std::function<Result<bool>(const QString &sha512Hex)> &isReferenced);

    static bool isDigest(const QString &text);

private:
    const QString m_root;
};

} // namespace Trove
