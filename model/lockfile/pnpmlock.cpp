// SPDX-License-Identifier: GPL-3.0-or-later
// pnpm-lock.yaml, lockfileVersion 9.0 (pnpm 9 and 10): `packages` maps "name@version" (or
// "name@<url or path>" for what no registry gives) to its `resolution`; `importers` maps each
// project folder to its dependencies, where `link:` versions are workspace packages.

#include "model/lockfile/lockfile.h"

#include "model/lockfile/lockfileparse.h"
#include "model/npm/semver.h"

using namespace Qt::StringLiterals;

namespace Trove::Lockfiles {

namespace {

using Detail::errorAt;
using Detail::YamlNode;
using Kind = LockfileEntry::Kind;

// The `link:` dependencies of every importer: packages of the workspace (or linked folders).
Result<QList<LockfileEntry>> importerLinks(const YamlNode &importers, const QString &fileName)
{
    QList<LockfileEntry> entries;
    for (std::size_t i = 0; i < importers.keys.size(); ++i) {
        const YamlNode &importer = importers.children[i];
        if (!importer.isMap()) {
            return errorAt(fileName, importers.keyLines[i], u"an importer is not a mapping"_s);
        }
        for (const QString &group :
             {u"dependencies"_s, u"devDependencies"_s, u"optionalDependencies"_s}) {
            const YamlNode *dependencies = importer.value(group);
            if (!dependencies || !dependencies->isMap()) {
                continue;
            }
            for (std::size_t j = 0; j < dependencies->keys.size(); ++j) {
                const QString version = dependencies->children[j].text(u"version"_s);
                if (!version.startsWith(u"link:"_s)) {
                    continue;
                }
                LockfileEntry entry;
                entry.name = dependencies->keys[j];
                entry.line = dependencies->keyLines[j];
                entry.resolved = version.mid(5);
                entry.kind = Kind::Workspace;
                entry.skipReason = Detail::skipReason(Kind::Workspace, entry.resolved);
                entries.append(entry);
            }
        }
    }
    return entries;
}

} // namespace

Result<Lockfile> parsePnpmLock(const QByteArray &content, const QString &fileName)
{
    if (content.size() > MaxSize) {
        return errorAt(fileName, 0, u"larger than %1 MiB, not read"_s.arg(MaxSize / 1048576));
    }
    const Result<YamlNode> root = Detail::parseYaml(content, fileName);
    if (!root) {
        return root.error();
    }
    const YamlNode *version = root->value(u"lockfileVersion"_s);
    if (!version || !version->isScalar()) {
        return errorAt(fileName, 1, u"no lockfileVersion"_s);
    }
    if (version->scalar != u"9.0"_s) {
        return errorAt(fileName,
                       version->line,
                       u"lockfileVersion %1 is not supported (9.0 is, written by pnpm 9 and "
                       "later)"_s.arg(version->scalar));
    }
    QList<LockfileEntry> entries;
    if (const YamlNode *importers = root->value(u"importers"_s); importers && importers->isMap()) {
        const Result<QList<LockfileEntry>> links = importerLinks(*importers, fileName);
        if (!links) {
            return links.error();
        }
        entries += *links;
    }
    const YamlNode *packages = root->value(u"packages"_s);
    if (packages && !packages->isMap()) {
        return errorAt(fileName, packages->line, u"\"packages\" is not a mapping"_s);
    }
    for (std::size_t i = 0; packages && i < packages->keys.size(); ++i) {
        const QString &key = packages->keys[i];
        const YamlNode &node = packages->children[i];
        const int line = packages->keyLines[i];
        const std::optional<Detail::NameAndSpec> descriptor = Detail::splitDescriptor(key);
        if (!descriptor || !Detail::isPlausibleName(descriptor->name)) {
            return errorAt(fileName, line, u"\"%1\" is no name@version"_s.arg(key));
        }
        if (!node.isMap()) {
            return errorAt(fileName, line, u"\"%1\" is not a mapping"_s.arg(key));
        }
        const YamlNode *resolution = node.value(u"resolution"_s);
        if (!resolution || !resolution->isMap()) {
            return errorAt(fileName, line, u"\"%1\" has no resolution"_s.arg(key));
        }
        for (const QString &field : resolution->keys) {
            if (!resolution->value(field)->isScalar()) {
                return errorAt(fileName, line, u"resolution.%1 is not a value"_s.arg(field));
            }
        }
        LockfileEntry entry;
        entry.line = line;
        entry.name = descriptor->name;
        entry.integrity = resolution->text(u"integrity"_s);
        entry.resolved = resolution->text(u"tarball"_s);
        if (!entry.integrity.isEmpty() && !isValidIntegrity(entry.integrity)) {
            return errorAt(fileName, line, u"\"%1\" is not an integrity"_s.arg(entry.integrity));
        }
        const QString type = resolution->text(u"type"_s);
        if (type == u"git"_s) {
            entry.kind = Kind::Git;
            entry.resolved = resolution->text(u"repo"_s);
        } else if (type == u"directory"_s) {
            entry.kind = Kind::File;
            entry.resolved = resolution->text(u"directory"_s);
        } else if (!type.isEmpty()) {
            return errorAt(fileName, line, u"unknown resolution type \"%1\""_s.arg(type));
        } else if (entry.resolved.startsWith(u"file:"_s)) {
            entry.kind = Kind::File;
        } else {
            const std::optional<Detail::SpecKind> spec = Detail::classifySpec(descriptor->spec);
            if (!spec) {
                return errorAt(fileName, line, u"unknown protocol in \"%1\""_s.arg(key));
            }
            entry.kind = spec->kind;
        }
        if (entry.kind == Kind::Registry) {
            entry.version = descriptor->spec;
            if (!Npm::isValidVersion(entry.version)) {
                return errorAt(fileName, line, u"\"%1\" is no name@version"_s.arg(key));
            }
            if (entry.integrity.isEmpty()) {
                return errorAt(fileName, line, u"\"%1\" has no integrity"_s.arg(key));
            }
        } else {
            // Packages from elsewhere carry their manifest's version in a field of their own.
            entry.version = node.text(u"version"_s);
            entry.skipReason = Detail::skipReason(entry.kind, descriptor->spec);
        }
        entries.append(entry);
    }
    return Detail::finish(Lockfile::Format::Pnpm, entries);
}

} // namespace Trove::Lockfiles
