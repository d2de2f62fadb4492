// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "model/domain.h"
#include "model/npm/tarball.h"
#include "model/result.h"

#include <QList>
#include <QMetaType>
#include <QString>
#include <QStringList>

namespace Trove {

class BlobStore;
class Database;

// What the desktop shows about one version: read off the GUI thread by loadVersionDetails()
// (the package row, its tarball with libarchive, and which dependencies the store holds).
struct VersionDetails
{
    struct Dependency
    {
        QString name;
        QString range;
        // "dependencies", "peerDependencies", "optionalDependencies" or "devDependencies"
        QString kind;
        bool local = false; // some project of this registry holds a package of this name
    };

    Package package;
    QString description;
    QString license;
    QString homepage;
    QList<Dependency> dependencies;
    // The lifecycle scripts npm runs at install ("preinstall", "install", "postinstall") that
    // the version declares.
    QStringList installScripts;
    QList<Npm::TarballEntry> files; // in archive order
    qint64 unpackedSize = 0;
    QString readme; // Markdown (or plain text), empty when the tarball has none
    QString readmePath;
    QString tarballPath; // the blob's file
    // Why the tarball could not be read (its files and README are then missing), or empty.
    QString tarballError;

    // "sha512-<base64>", as npm writes dist.integrity.
    QString integrity() const;
};

// READMEs larger than this are not shown (npm's own site cuts at 64 KiB of rendered text).
inline constexpr qint64 MaxReadmeBytes = 512 * 1024;

Result<VersionDetails>
loadVersionDetails(const Database &database, const BlobStore &blobs, const Package &package);

} // namespace Trove

Q_DECLARE_METATYPE(Trove::VersionDetails)
