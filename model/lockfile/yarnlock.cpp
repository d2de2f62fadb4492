// SPDX-License-Identifier: GPL-3.0-or-later
// yarn.lock in its two formats. Yarn classic (1.x) writes its own syntax: `descriptor, …:`
// headers and `key value` lines indented by two spaces. Yarn berry (2 and later) writes YAML
// with a `__metadata` entry; its `checksum` is a hash of yarn's own zip archive of the package,
// not of the tarball, so it is never taken for an npm integrity.

#include "model/lockfile/lockfile.h"

#include "model/lockfile/lockfileparse.h"
#include "model/npm/semver.h"

#include <QRegularExpression>
#include <QStringList>
#include <QUrl>

using namespace Qt::StringLiterals;

namespace Trove::Lockfiles {

namespace {

using Detail::errorAt;
using Detail::simpleEscape;
using Kind = LockfileEntry::Kind;

struct ClassicNode
{
    QStringList keys; // a header's descriptors, or the one key of a `key value` line
    QString value;
    bool isMap = false;
    std::vector<ClassicNode> children;
    int line = 0;

    const ClassicNode *child(const QString &key) const
    {
        for (const ClassicNode &node : children) {
            if (node.keys.size() == 1 && node.keys.front() == key) {
                return &node;
            }
        }
        return nullptr;
    }
};

class ClassicParser
{
public:
    explicit ClassicParser(const QString &fileName)
        : m_fileName(fileName)
    {
    }

    Result<std::vector<ClassicNode>> parse(const QByteArray &content)
    {
        const QStringList lines = QString::fromUtf8(content).split(u'\n');
        for (qsizetype i = 0; i < lines.size(); ++i) {
            QString text = lines[i];
            if (text.endsWith(u'\r')) {
                text.chop(1);
            }
            int indent = 0;
            while (indent < text.size() && (text[indent] == u' ' || text[indent] == u'\t')) {
                if (text[indent] == u'\t') {
                    return errorAt(m_fileName, int(i + 1), u"a tab in the indentation"_s);
                }
                ++indent;
            }
            const QString rest = text.mid(indent).trimmed();
            if (rest.isEmpty() || rest.startsWith(u'#')) {
                continue;
            }
            m_lines.push_back({int(i + 1), indent, rest});
        }
        qsizetype pos = 0;
        std::vector<ClassicNode> nodes;
        if (!parseBlock(pos, 0, 1, nodes)) {
            return *m_error;
        }
        if (pos < qsizetype(m_lines.size())) {
            return errorAt(m_fileName, m_lines[pos].number, u"unexpected indentation"_s);
        }
        return nodes;
    }

private:
    struct Line
    {
        int number;
        int indent;
        QString text;
    };

    bool fail(int line, const QString &message)
    {
        if (!m_error) {
            m_error = errorAt(m_fileName, line, message);
        }
        return false;
    }

    bool parseBlock(qsizetype &pos, int indent, int depth, std::vector<ClassicNode> &out)
    {
        if (depth > MaxDepth) {
            return fail(m_lines[pos].number, u"nested deeper than %1 levels"_s.arg(MaxDepth));
        }
        while (pos < qsizetype(m_lines.size()) && m_lines[pos].indent == indent) {
            const Line &line = m_lines[pos];
            ClassicNode node;
            node.line = line.number;
            qsizetype index = 0;
            if (line.text.endsWith(u':')) {
                node.isMap = true;
                const QString header = line.text.chopped(1);
                while (true) {
                    QString key;
                    if (!parseToken(line.number, header, index, key)) {
                        return false;
                    }
                    node.keys.append(key);
                    if (index == header.size()) {
                        break;
                    }
                    if (!header.mid(index).startsWith(u", "_s)) {
                        return fail(line.number, u"expected \", \" between keys"_s);
                    }
                    index += 2;
                }
                ++pos;
                if (pos < qsizetype(m_lines.size()) && m_lines[pos].indent > indent) {
                    if (m_lines[pos].indent != indent + 2) {
                        return fail(m_lines[pos].number, u"indented by other than two spaces"_s);
                    }
                    if (!parseBlock(pos, indent + 2, depth + 1, node.children)) {
                        return false;
                    }
                }
            } else {
                QString key;
                if (!parseToken(line.number, line.text, index, key)) {
                    return false;
                }
                if (index >= line.text.size() || line.text[index] != u' ') {
                    return fail(line.number, u"expected \"key value\""_s);
                }
                while (index < line.text.size() && line.text[index] == u' ') {
                    ++index;
                }
                if (!parseToken(line.number, line.text, index, node.value)) {
                    return false;
                }
                if (index != line.text.size()) {
                    return fail(line.number, u"unexpected text after a value"_s);
                }
                node.keys.append(key);
                ++pos;
            }
            out.push_back(std::move(node));
            if (pos < qsizetype(m_lines.size()) && m_lines[pos].indent > indent) {
                return fail(m_lines[pos].number, u"unexpected indentation"_s);
            }
        }
        return true;
    }

    // A double-quoted string (JSON escapes) or a bare word, as yarn's own tokenizer reads them:
    // a bare word ends at a space, ':' or ','.
    bool parseToken(int line, const QString &text, qsizetype &index, QString &out)
    {
        out.clear();
        if (index >= text.size()) {
            return fail(line, u"expected a key or value"_s);
        }
        if (text[index] != u'"') {
            const qsizetype start = index;
            while (index < text.size() && text[index] != u' ' && text[index] != u':'
                   && text[index] != u',' && text[index] != u'"') {
                ++index;
            }
            if (index == start) {
                return fail(line, u"expected a key or value"_s);
            }
            out = text.mid(start, index - start);
            return true;
        }
        ++index;
        while (index < text.size()) {
            const QChar c = text[index];
            if (c == u'"') {
                ++index;
                return true;
            }
            if (c != u'\\') {
                out += c;
                ++index;
                continue;
            }
            if (index + 1 >= text.size()) {
                break;
            }
            const QChar escape = text[index + 1];
            index += 2;
            if (const std::optional<QChar> plain = simpleEscape(escape)) {
                out += *plain;
                continue;
            }
            switch (escape.unicode()) {
            case u'u': {
                bool ok = false;
                const ushort code = text.mid(index, 4).toUShort(&ok, 16);
                if (!ok || index + 4 > text.size()) {
                    return fail(line, u"a bad \\u escape"_s);
                }
                out += QChar(code);
                index += 4;
                break;
            }
            default:
                return fail(line, u"unknown escape \"\\%1\""_s.arg(escape));
            }
        }
        return fail(line, u"a quoted string must end on its line"_s);
    }

    QString m_fileName;
    std::vector<Line> m_lines;
    std::optional<Error> m_error;
};

// Yarn classic's `resolved` carries the tarball's SHA-1 after '#' (the only hash older
// lockfiles have).
QString sha1Integrity(const QString &fragment)
{
    static const QRegularExpression hex(u"^[0-9a-f]{40}$"_s);
    if (!hex.match(fragment).hasMatch()) {
        return {};
    }
    return u"sha1-"_s + QString::fromLatin1(QByteArray::fromHex(fragment.toLatin1()).toBase64());
}

Result<Lockfile> parseClassic(const QByteArray &content, const QString &fileName)
{
    const Result<std::vector<ClassicNode>> nodes = ClassicParser(fileName).parse(content);
    if (!nodes) {
        return nodes.error();
    }
    QList<LockfileEntry> entries;
    for (const ClassicNode &node : *nodes) {
        if (!node.isMap) {
            return errorAt(fileName, node.line, u"expected \"descriptor:\" at the top level"_s);
        }
        const std::optional<Detail::NameAndSpec> descriptor =
            Detail::splitDescriptor(node.keys.front());
        if (!descriptor) {
            return errorAt(
                fileName, node.line, u"\"%1\" is no name@range"_s.arg(node.keys.front()));
        }
        LockfileEntry entry;
        entry.line = node.line;
        entry.name = descriptor->name;
        const std::optional<Detail::SpecKind> spec = Detail::classifySpec(descriptor->spec);
        if (!spec) {
            return errorAt(
                fileName, node.line, u"unknown protocol in \"%1\""_s.arg(node.keys.front()));
        }
        if (descriptor->spec.startsWith(u"npm:"_s)) {
            // An alias: "x@npm:real@^1" installs the package `real`.
            const std::optional<Detail::NameAndSpec> real =
                Detail::splitDescriptor(descriptor->spec.mid(4));
            entry.name = real ? real->name : descriptor->spec.mid(4);
        }
        for (const QString &field : {u"version"_s, u"resolved"_s, u"integrity"_s}) {
            const ClassicNode *child = node.child(field);
            if (child && child->isMap) {
                return errorAt(fileName, child->line, u"\"%1\" is not a value"_s.arg(field));
            }
        }
        const ClassicNode *version = node.child(u"version"_s);
        if (!version) {
            return errorAt(fileName, node.line, u"no version"_s);
        }
        entry.version = version->value;
        const ClassicNode *resolved = node.child(u"resolved"_s);
        const ClassicNode *integrity = node.child(u"integrity"_s);
        entry.integrity = integrity ? integrity->value : QString();
        if (!entry.integrity.isEmpty() && !Lockfiles::isValidIntegrity(entry.integrity)) {
            return errorAt(
                fileName, integrity->line, u"\"%1\" is not an integrity"_s.arg(entry.integrity));
        }
        entry.kind = spec->kind;
        entry.skipReason = spec->reason;
        const QString url = resolved ? resolved->value : QString();
        if (entry.kind == Kind::Registry && url.startsWith(u"file:"_s)) {
            entry.kind = Kind::File;
            entry.skipReason = Detail::skipReason(Kind::File, url);
        }
        if (entry.kind == Kind::Registry) {
            const qsizetype hash = url.indexOf(u'#');
            entry.resolved = hash < 0 ? url : url.left(hash);
            if (entry.integrity.isEmpty() && hash >= 0) {
                entry.integrity = sha1Integrity(url.mid(hash + 1));
            }
            if (!Npm::isValidVersion(entry.version)) {
                return errorAt(
                    fileName, version->line, u"\"%1\" is not a version"_s.arg(entry.version));
            }
        } else {
            entry.resolved = url;
        }
        entries.append(entry);
    }
    return Detail::finish(Lockfile::Format::YarnClassic, entries);
}

Result<Lockfile> parseBerry(const QByteArray &content, const QString &fileName)
{
    const Result<Detail::YamlNode> root = Detail::parseYaml(content, fileName);
    if (!root) {
        return root.error();
    }
    if (!root->isMap()) {
        return errorAt(fileName, root->line, u"not a mapping"_s);
    }
    const Detail::YamlNode *metadata = root->value(u"__metadata"_s);
    if (!metadata || !metadata->isMap() || metadata->text(u"version"_s).isEmpty()) {
        return errorAt(fileName, 1, u"no __metadata with a version"_s);
    }
    QList<LockfileEntry> entries;
    for (std::size_t i = 0; i < root->keys.size(); ++i) {
        const QString &key = root->keys[i];
        const Detail::YamlNode &node = root->children[i];
        const int line = root->keyLines[i];
        if (key == u"__metadata"_s) {
            continue;
        }
        if (!node.isMap()) {
            return errorAt(fileName, line, u"\"%1\" is not a mapping"_s.arg(key));
        }
        const QString resolution = node.text(u"resolution"_s);
        const std::optional<Detail::NameAndSpec> locator = Detail::splitDescriptor(resolution);
        if (!locator) {
            return errorAt(fileName, line, u"no resolution \"name@reference\""_s);
        }
        LockfileEntry entry;
        entry.line = line;
        entry.name = locator->name;
        entry.version = node.text(u"version"_s);
        const std::optional<Detail::SpecKind> spec = Detail::classifySpec(locator->spec);
        if (!spec) {
            return errorAt(fileName, line, u"unknown protocol in \"%1\""_s.arg(resolution));
        }
        entry.kind = spec->kind;
        entry.skipReason = spec->reason;
        if (entry.kind == Kind::Registry) {
            if (!locator->spec.startsWith(u"npm:"_s)) {
                return errorAt(fileName, line, u"a resolution without a protocol"_s);
            }
            // npm:<version>[::__archiveUrl=<percent-encoded URL>], the URL when the tarball is
            // not where the registry's convention puts it (as with GitLab's and Trove's).
            const QString reference = locator->spec.mid(4);
            const qsizetype params = reference.indexOf(u"::"_s);
            const QString version = params < 0 ? reference : reference.left(params);
            if (!entry.version.isEmpty() && entry.version != version) {
                return errorAt(
                    fileName,
                    line,
                    u"version %1 differs from the resolution's %2"_s.arg(entry.version, version));
            }
            entry.version = version;
            if (!Npm::isValidVersion(entry.version)) {
                return errorAt(fileName, line, u"\"%1\" is not a version"_s.arg(entry.version));
            }
            if (params >= 0) {
                for (const QString &pair : reference.mid(params + 2).split(u'&')) {
                    if (pair.startsWith(u"__archiveUrl="_s)) {
                        entry.resolved = QUrl::fromPercentEncoding(pair.mid(13).toUtf8());
                    }
                }
            }
        } else {
            entry.resolved = locator->spec;
        }
        entries.append(entry);
    }
    return Detail::finish(Lockfile::Format::YarnBerry, entries);
}

} // namespace

Result<Lockfile> parseYarnLock(const QByteArray &content, const QString &fileName)
{
    if (content.size() > MaxSize) {
        return errorAt(fileName, 0, u"larger than %1 MiB, not read"_s.arg(MaxSize / 1048576));
    }
    // Berry's files always have a top-level __metadata entry; classic's never do.
    static const QRegularExpression metadata(u"^__metadata:"_s,
                                             QRegularExpression::MultilineOption);
    if (metadata.match(QString::fromUtf8(content)).hasMatch()) {
        return parseBerry(content, fileName);
    }
    return parseClassic(content, fileName);
}

} // namespace Trove::Lockfiles
