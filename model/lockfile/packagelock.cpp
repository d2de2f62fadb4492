// SPDX-License-Identifier: GPL-3.0-or-later
// package-lock.json and npm-shrinkwrap.json, lockfileVersion 2 and 3: the "packages" map of
// install paths ("node_modules/a/node_modules/@s/b") to what is installed there. Version 1
// (npm 6) keeps a different tree ("dependencies") and is refused: npm 7 and later upgrade it.

#include "model/lockfile/lockfile.h"

#include "model/lockfile/lockfileparse.h"
#include "model/npm/semver.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>
#include <QSet>

using namespace Qt::StringLiterals;

namespace Trove::Lockfiles {

namespace {

// JSON parsers give no lines: the line of an entry is where its key opens an object, which is
// where a reader of an error message has to look. One pass over the text, so that a large file
// costs no more than reading it; npm writes one key per line (a key not found has line 0).
QHash<QString, int> objectKeyLines(const QByteArray &content)
{
    QHash<QString, int> lines;
    int number = 0;
    qsizetype start = 0;
    while (start <= content.size()) {
        qsizetype end = content.indexOf('\n', start);
        if (end < 0) {
            end = content.size();
        }
        ++number;
        const QByteArray line = content.mid(start, end - start).trimmed();
        start = end + 1;
        if (!line.startsWith('"') || !line.endsWith('{')) {
            continue;
        }
        const qsizetype close = line.lastIndexOf("\":");
        if (close <= 0) {
            continue;
        }
        // The key as JSON decodes it (escapes included).
        const QJsonArray key = QJsonDocument::fromJson('[' + line.left(close + 1) + ']').array();
        if (key.size() == 1 && key.first().isString() && !lines.contains(key.first().toString())) {
            lines.insert(key.first().toString(), number);
        }
    }
    return lines;
}

} // namespace

Result<Lockfile> parsePackageLock(const QByteArray &content, const QString &fileName)
{
    using Detail::errorAt;
    using Kind = LockfileEntry::Kind;
    if (content.size() > MaxSize) {
        return errorAt(fileName, 0, u"larger than %1 MiB, not read"_s.arg(MaxSize / 1048576));
    }
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(content, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        return errorAt(fileName,
                       Detail::lineOf(content, parseError.offset),
                       u"not JSON: "_s + parseError.errorString());
    }
    if (!document.isObject()) {
        return errorAt(fileName, 1, u"not a JSON object"_s);
    }
    const QJsonObject root = document.object();
    const QJsonValue version = root.value(u"lockfileVersion"_s);
    const qsizetype versionAt = content.indexOf("\"lockfileVersion\"");
    const int versionLine = versionAt < 0 ? 0 : Detail::lineOf(content, versionAt);
    if (!version.isDouble()) {
        return errorAt(fileName, versionLine, u"no numeric lockfileVersion"_s);
    }
    if (version.toInt() == 1) {
        return errorAt(fileName,
                       versionLine,
                       u"lockfileVersion 1 (npm 6) is not supported: run `npm install` with npm 7 "
                       "or later to upgrade the lockfile to version 3"_s);
    }
    if (version.toInt() != 2 && version.toInt() != 3) {
        return errorAt(fileName,
                       versionLine,
                       u"lockfileVersion %1 is not supported (2 and 3 are)"_s.arg(version.toInt()));
    }
    const QJsonValue packagesValue = root.value(u"packages"_s);
    if (!packagesValue.isObject()) {
        return errorAt(fileName, 1, u"no \"packages\" object"_s);
    }
    const QJsonObject packages = packagesValue.toObject();

    QSet<QString> fileDependencies;
    for (auto it = packages.begin(); it != packages.end(); ++it) {
        if (it.key().contains(u"node_modules/"_s)) {
            continue;
        }
        for (const QString &group :
             {u"dependencies"_s, u"devDependencies"_s, u"optionalDependencies"_s}) {
            const QJsonObject dependencies = it.value().toObject().value(group).toObject();
            for (auto dependency = dependencies.begin(); dependency != dependencies.end();
                 ++dependency) {
                if (dependency.value().toString().startsWith(u"file:"_s)) {
                    fileDependencies.insert(dependency.key());
                }
            }
        }
    }

    QList<LockfileEntry> entries;
    const QHash<QString, int> keyLines = objectKeyLines(content);
    for (auto it = packages.begin(); it != packages.end(); ++it) {
        const QString path = it.key();
        const int line = keyLines.value(path);
        if (!it.value().isObject()) {
            return errorAt(fileName, line, u"\"%1\" is not an object"_s.arg(path));
        }
        const QJsonObject object = it.value().toObject();
        const qsizetype marker = path.lastIndexOf(u"node_modules/"_s);
        if (path.isEmpty() || marker < 0) {
            // The project itself ("") and its workspace folders: the links to the folders
            // (below) are the entries.
            continue;
        }
        for (const QString &field : {u"version"_s, u"resolved"_s, u"integrity"_s, u"name"_s}) {
            if (object.contains(field) && !object.value(field).isString()) {
                return errorAt(
                    fileName, line, u"\"%1\" of \"%2\" is not a string"_s.arg(field, path));
            }
        }
        LockfileEntry entry;
        entry.line = line;
        // An alias ("x": "npm:real@1") is installed at node_modules/x and names the real package.
        entry.name = object.value(u"name"_s).toString(path.mid(marker + 13));
        entry.version = object.value(u"version"_s).toString();
        entry.resolved = object.value(u"resolved"_s).toString();
        entry.integrity = object.value(u"integrity"_s).toString();
        if (!Detail::isPlausibleName(entry.name)) {
            return errorAt(fileName, line, u"\"%1\" is not a package name"_s.arg(entry.name));
        }
        if (object.value(u"link"_s).toBool()) {
            const QJsonObject target = packages.value(entry.resolved).toObject();
            entry.version = target.value(u"version"_s).toString();
            // npm links both workspace folders and `file:` folders; the project's own
            // dependencies say which.
            const bool workspace = packages.contains(entry.resolved)
                && !entry.resolved.contains(u"node_modules/"_s)
                && !fileDependencies.contains(entry.name);
            entry.kind = workspace ? Kind::Workspace : Kind::Link;
            entry.skipReason = Detail::skipReason(entry.kind, entry.resolved);
            entries.append(entry);
            continue;
        }
        if (!entry.integrity.isEmpty() && !isValidIntegrity(entry.integrity)) {
            return errorAt(fileName, line, u"\"%1\" is not an integrity"_s.arg(entry.integrity));
        }
        if (object.value(u"inBundle"_s).toBool()) {
            entry.kind = Kind::Bundled;
            entry.skipReason = Detail::skipReason(entry.kind, path.left(marker).chopped(1));
            entries.append(entry);
            continue;
        }
        if (entry.resolved.isEmpty()) {
            // npm leaves `resolved` out of registry entries with omit-lockfile-registry-resolved.
            entry.kind = Kind::Registry;
        } else if (entry.resolved.startsWith(u"http://"_s)
                   || entry.resolved.startsWith(u"https://"_s)) {
            entry.kind = Kind::Registry;
        } else {
            const std::optional<Detail::SpecKind> spec = Detail::classifySpec(entry.resolved);
            if (!spec) {
                return errorAt(
                    fileName, line, u"unknown kind of \"resolved\": "_s + entry.resolved);
            }
            entry.kind = spec->kind;
            entry.skipReason = spec->reason;
        }
        if (entry.kind == Kind::Registry && !Npm::isValidVersion(entry.version)) {
            return errorAt(
                fileName, line, u"\"%1\" has no valid version (\"%2\")"_s.arg(path, entry.version));
        }
        entries.append(entry);
    }
    return Detail::finish(Lockfile::Format::PackageLock, entries);
}

} // namespace Trove::Lockfiles
