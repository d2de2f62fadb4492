// SPDX-License-Identifier: GPL-3.0-or-later
#include "model/lockfile/lockfile.h"

#include "model/lockfile/lockfileparse.h"

#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QRegularExpression>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace Trove::Lockfiles {

namespace Detail {

Error errorAt(const QString &fileName, int line, const QString &message)
{
    if (line <= 0) {
        return Error::invalid(fileName + u": "_s + message);
    }
    return Error::invalid(u"%1:%2: %3"_s.arg(fileName).arg(line).arg(message));
}

QString skipReason(LockfileEntry::Kind kind, const QString &where)
{
    const QString suffix = where.isEmpty() ? QString() : u" (%1)"_s.arg(where);
    switch (kind) {
    case LockfileEntry::Kind::Registry:
        return {};
    case LockfileEntry::Kind::Workspace:
        return u"a workspace package of the project"_s + suffix;
    case LockfileEntry::Kind::Link:
        return u"a link to a local folder"_s + suffix;
    case LockfileEntry::Kind::File:
        return u"a local file or folder"_s + suffix;
    case LockfileEntry::Kind::Git:
        return u"a git dependency"_s + suffix;
    case LockfileEntry::Kind::Remote:
        return u"a tarball URL outside any registry"_s + suffix;
    case LockfileEntry::Kind::Bundled:
        return u"bundled in its parent's tarball"_s + suffix;
    case LockfileEntry::Kind::Patch:
        return u"a patched copy of another entry, which is mirrored itself"_s + suffix;
    }
    return {};
}

std::optional<SpecKind> classifySpec(const QString &spec)
{
    using Kind = LockfileEntry::Kind;
    const auto make = [&spec](Kind kind) { return SpecKind{kind, skipReason(kind, spec)}; };
    if (spec.startsWith(u"npm:"_s)) {
        return SpecKind{Kind::Registry, {}};
    }
    if (spec.startsWith(u"workspace:"_s)) {
        return make(Kind::Workspace);
    }
    if (spec.startsWith(u"link:"_s) || spec.startsWith(u"portal:"_s)) {
        return make(Kind::Link);
    }
    if (spec.startsWith(u"file:"_s) || spec.startsWith(u"./"_s) || spec.startsWith(u"../"_s)
        || spec.startsWith(u'/') || spec.startsWith(u"~/"_s)) {
        return make(Kind::File);
    }
    if (spec.startsWith(u"patch:"_s)) {
        return make(Kind::Patch);
    }
    static const QStringList gitPrefixes = {
        u"git+"_s, u"git:"_s, u"git@"_s, u"github:"_s, u"gitlab:"_s, u"bitbucket:"_s, u"gist:"_s};
    for (const QString &prefix : gitPrefixes) {
        if (spec.startsWith(prefix)) {
            return make(Kind::Git);
        }
    }
    if (spec.startsWith(u"http://"_s) || spec.startsWith(u"https://"_s)) {
        const bool git = spec.endsWith(u".git"_s) || spec.contains(u".git#"_s);
        return make(git ? Kind::Git : Kind::Remote);
    }
    if (spec.contains(u':')) {
        return std::nullopt;
    }
    if (spec.contains(u'/')) {
        // Semver ranges and tags have no slash: "owner/repo" is the git host shorthand.
        return make(Kind::Git);
    }
    return SpecKind{Kind::Registry, {}};
}

std::optional<NameAndSpec> splitDescriptor(const QString &descriptor)
{
    const qsizetype at = descriptor.indexOf(u'@', descriptor.startsWith(u'@') ? 1 : 0);
    if (at <= 0) {
        return std::nullopt;
    }
    return NameAndSpec{descriptor.left(at), descriptor.mid(at + 1)};
}

std::optional<QChar> simpleEscape(QChar escape)
{
    switch (escape.unicode()) {
    case u'\\':
    case u'"':
    case u'/':
        return escape;
    case u'n':
        return u'\n';
    case u't':
        return u'\t';
    case u'r':
        return u'\r';
    case u'b':
        return u'\b';
    case u'f':
        return u'\f';
    default:
        return std::nullopt;
    }
}

bool isPlausibleName(const QString &name)
{
    static const QRegularExpression pattern(u"^(@[^/@\\s]+/)?[^/@\\s][^/\\s]*$"_s);
    return name.size() <= 214 && pattern.match(name).hasMatch();
}

int lineOf(const QByteArray &content, qsizetype offset)
{
    offset = std::clamp<qsizetype>(offset, 0, content.size());
    return int(QByteArrayView(content).first(offset).count('\n')) + 1;
}

Lockfile finish(Lockfile::Format format, QList<LockfileEntry> entries)
{
    Lockfile lockfile;
    lockfile.format = format;
    QHash<QString, qsizetype> seen;
    for (LockfileEntry &entry : entries) {
        const QString key = entry.skipped() ? entry.key() + u'\n' + entry.skipReason : entry.key();
        const auto found = seen.constFind(key);
        if (found == seen.cend()) {
            seen.insert(key, lockfile.entries.size());
            lockfile.entries.append(std::move(entry));
            continue;
        }
        LockfileEntry &kept = lockfile.entries[*found];
        if (kept.resolved.isEmpty()) {
            kept.resolved = entry.resolved;
        }
        if (kept.integrity.isEmpty()) {
            kept.integrity = entry.integrity;
        }
    }
    std::sort(lockfile.entries.begin(),
              lockfile.entries.end(),
              [](const LockfileEntry &a, const LockfileEntry &b) {
                  if (a.name != b.name) {
                      return a.name < b.name;
                  }
                  if (a.version != b.version) {
                      return a.version < b.version;
                  }
                  return a.kind < b.kind;
              });
    return lockfile;
}

} // namespace Detail

QString formatName(Lockfile::Format format)
{
    switch (format) {
    case Lockfile::Format::PackageLock:
        return u"package-lock.json"_s;
    case Lockfile::Format::YarnClassic:
        return u"yarn.lock (classic)"_s;
    case Lockfile::Format::YarnBerry:
        return u"yarn.lock (berry)"_s;
    case Lockfile::Format::Pnpm:
        return u"pnpm-lock.yaml"_s;
    }
    return {};
}

bool isValidIntegrity(const QString &integrity)
{
    static const QRegularExpression hash(
        u"^(sha1|sha256|sha384|sha512)-[A-Za-z0-9+/]+={0,2}(\\?[\\x21-\\x7e]*)?$"_s);
    const QStringList parts = integrity.split(u' ', Qt::SkipEmptyParts);
    if (parts.isEmpty()) {
        return false;
    }
    return std::all_of(parts.cbegin(), parts.cend(), [](const QString &part) {
        return hash.match(part).hasMatch();
    });
}

Result<Lockfile> parse(const QByteArray &content, const QString &fileName)
{
    if (content.size() > MaxSize) {
        return Detail::errorAt(
            fileName, 0, u"larger than %1 MiB, not read"_s.arg(MaxSize / (1024 * 1024)));
    }
    const QString base = QFileInfo(fileName).fileName();
    if (base == u"package-lock.json"_s || base == u"npm-shrinkwrap.json"_s) {
        return parsePackageLock(content, fileName);
    }
    if (base == u"yarn.lock"_s) {
        return parseYarnLock(content, fileName);
    }
    if (base == u"pnpm-lock.yaml"_s) {
        return parsePnpmLock(content, fileName);
    }
    // Any other name (a copy such as app.lock): the first significant line tells.
    for (const QByteArray &raw : content.split('\n')) {
        const QByteArray line = raw.trimmed();
        if (line.isEmpty()) {
            continue;
        }
        if (line.startsWith('{')) {
            return parsePackageLock(content, fileName);
        }
        if (line.startsWith("lockfileVersion:")) {
            return parsePnpmLock(content, fileName);
        }
        if (line.startsWith('#') || line.startsWith("__metadata:")) {
            return parseYarnLock(content, fileName);
        }
        break;
    }
    return Detail::errorAt(fileName,
                           0,
                           u"not a package-lock.json, yarn.lock or pnpm-lock.yaml (name the file "
                           "after its format)"_s);
}

Result<Lockfile> read(const QString &path)
{
    QFile file(path);
    if (!file.exists()) {
        return Error::notFound(path + u": no such file"_s);
    }
    if (!file.open(QIODevice::ReadOnly)) {
        return Error::invalid(path + u": "_s + file.errorString());
    }
    if (file.size() > MaxSize) {
        return Detail::errorAt(
            path, 0, u"larger than %1 MiB, not read"_s.arg(MaxSize / (1024 * 1024)));
    }
    // Read one byte more than allowed: a file that grows (or a pipe) is still bounded.
    const QByteArray content = file.read(MaxSize + 1);
    return parse(content, path);
}

} // namespace Trove::Lockfiles
