// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "model/result.h"

#include <QByteArray>
#include <QList>
#include <QString>

namespace Trove::Npm {

struct TarballEntry
{
    QString path;
    qint64 size = 0;
    bool isFile = true;
};

struct TarballInfo
{
    QList<TarballEntry> entries;
    // The first regular file whose path matches GitLab's ^[^/]+/package.json$, in archive order
    // (npm uses "package/", some packers another single folder).
    QByteArray packageJson;
    qint64 unpackedSize = 0;
    // The first regular file named README, README.md, README.markdown or README.txt (any case)
    // in the top folder, when TarballLimits::maxReadmeSize allows it; its path in `readmePath`.
    QByteArray readme;
    QString readmePath;
};

// Bounds for untrusted uploads.
struct TarballLimits
{
    qint64 maxEntries = 100000;
    qint64 maxUnpackedSize = 1024LL * 1024 * 1024;
    qint64 maxPackageJsonSize = 4 * 1024 * 1024;
    // The README is read when it is at most this large (0: never read; the desktop sets it).
    qint64 maxReadmeSize = 0;
    // Refuse what npm would not unpack safely: entries outside one single top folder, `..`,
    // absolute or empty components, links, devices and fifos, and a second package.json.
    bool strictLayout = true;
};

// Reads a gzip-compressed tar from memory with libarchive. Error::Invalid for anything that is
// not a whole gzip + tar archive with a package.json, or that exceeds the limits.
Result<TarballInfo> inspectTarball(const QByteArray &tgz, const TarballLimits &limits = {});
// The same, streaming from a file (for the desktop's file list); Error::NotFound if it cannot be
// opened.
Result<TarballInfo> inspectTarballFile(const QString &path, const TarballLimits &limits = {});

} // namespace Trove::Npm
