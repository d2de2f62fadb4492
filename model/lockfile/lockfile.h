// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "model/result.h"

#include <QByteArray>
#include <QList>
#include <QString>

namespace Trove {

// One package a lockfile pins. `kind` says whether a registry can give it; every other kind is
// skipped by a mirror, and `skipReason` says why in English.
struct LockfileEntry
{
    enum class Kind {
        Registry, // a registry package: its document and tarball can be mirrored
        Workspace, // a package of the project itself
        Link, // a symbolic link to a folder
        File, // a local folder or tarball file
        Git, // a git repository
        Remote, // a tarball URL outside any registry document
        Bundled, // shipped inside its parent's tarball
        Patch, // a patched copy of another entry
    };

    QString name;
    QString version;
    QString resolved; // the tarball URL the lockfile records, empty if none
    QString integrity; // an npm integrity (`sha512-…`), empty if the lockfile has none
    Kind kind = Kind::Registry;
    QString skipReason; // empty for Registry
    int line = 0; // where the entry starts (1-based; 0 when the format has no lines)

    bool skipped() const { return kind != Kind::Registry; }
    QString key() const { return name + u'@' + version; }
    bool operator==(const LockfileEntry &other) const = default;
};

struct Lockfile
{
    enum class Format { PackageLock, YarnClassic, YarnBerry, Pnpm };

    Format format = Format::PackageLock;
    // Registry entries are unique by name@version; sorted by name, then version, then kind.
    QList<LockfileEntry> entries;
};

namespace Lockfiles {

// Inputs above this size are refused rather than read: a 10,000-package lockfile is ~10 MiB.
inline constexpr qint64 MaxSize = 64 * 1024 * 1024;
// Deeper nesting than any lockfile uses is refused, so a hostile file cannot exhaust the stack.
inline constexpr int MaxDepth = 32;

QString formatName(Lockfile::Format format);

// Reads the file at `path` (at most MaxSize bytes) and parses it by its name
// (package-lock.json, npm-shrinkwrap.json, yarn.lock, pnpm-lock.yaml) or, for any other name,
// by its content. Errors are Invalid (NotFound for a missing file) and start with "path:line: ".
Result<Lockfile> read(const QString &path);

// Parses `content`; `fileName` is used to pick the format and in error messages.
Result<Lockfile> parse(const QByteArray &content, const QString &fileName);

// The format parsers; `fileName` only prefixes error messages.
Result<Lockfile> parsePackageLock(const QByteArray &content, const QString &fileName);
Result<Lockfile> parseYarnLock(const QByteArray &content, const QString &fileName);
Result<Lockfile> parsePnpmLock(const QByteArray &content, const QString &fileName);

// True when `integrity` is one or more space-separated `sha1|sha256|sha384|sha512-<base64>`.
bool isValidIntegrity(const QString &integrity);

} // namespace Lockfiles

} // namespace Trove
