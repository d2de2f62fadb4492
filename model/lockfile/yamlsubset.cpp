// SPDX-License-Identifier: GPL-3.0-or-later
// The YAML subset of yarn berry's and pnpm's lockfiles (see lockfileparse.h). A general YAML
// library would accept far more than these files contain, and model/ links Qt Core only; what
// is outside the subset is refused with its line rather than read a way its writer did not mean.

#include "model/lockfile/lockfileparse.h"

#include <QSet>
#include <QStringList>

using namespace Qt::StringLiterals;

namespace Trove::Lockfiles::Detail {

const YamlNode *YamlNode::value(const QString &key) const
{
    if (type != Type::Map) {
        return nullptr;
    }
    for (std::size_t i = 0; i < keys.size(); ++i) {
        if (keys[i] == key) {
            return &children[i];
        }
    }
    return nullptr;
}

QString YamlNode::text(const QString &key) const
{
    const YamlNode *node = value(key);
    return node && node->isScalar() ? node->scalar : QString();
}

namespace {

struct Line
{
    int number = 0;
    int indent = 0;
    QString text; // after the indentation, trailing spaces removed
};

class YamlParser
{
public:
    explicit YamlParser(const QString &fileName)
        : m_fileName(fileName)
    {
    }

    Result<YamlNode> parse(const QByteArray &content)
    {
        if (!splitLines(content)) {
            return *m_error;
        }
        YamlNode root;
        root.type = YamlNode::Type::Map;
        root.line = 1;
        if (m_lines.empty()) {
            return root;
        }
        if (m_lines.front().indent != 0) {
            return errorAt(m_fileName, m_lines.front().number, u"unexpected indentation"_s);
        }
        qsizetype pos = 0;
        if (!parseBlock(pos, 0, 1, root)) {
            return *m_error;
        }
        if (pos < qsizetype(m_lines.size())) {
            return errorAt(m_fileName, m_lines[pos].number, u"unexpected indentation"_s);
        }
        return root;
    }

private:
    bool fail(int line, const QString &message)
    {
        if (!m_error) {
            m_error = errorAt(m_fileName, line, message);
        }
        return false;
    }

    bool splitLines(const QByteArray &content)
    {
        QString text = QString::fromUtf8(content);
        if (text.startsWith(QChar(0xfeff))) {
            text.remove(0, 1);
        }
        const QStringList lines = text.split(u'\n');
        for (qsizetype i = 0; i < lines.size(); ++i) {
            const int number = int(i + 1);
            QString line = lines[i];
            if (line.endsWith(u'\r')) {
                line.chop(1);
            }
            int indent = 0;
            while (indent < line.size() && (line[indent] == u' ' || line[indent] == u'\t')) {
                if (line[indent] == u'\t') {
                    return fail(number, u"a tab in the indentation"_s);
                }
                ++indent;
            }
            QString rest = line.mid(indent);
            while (rest.endsWith(u' ') || rest.endsWith(u'\t')) {
                rest.chop(1);
            }
            if (rest.isEmpty() || rest.startsWith(u'#')) {
                continue;
            }
            if (indent == 0
                && (rest == u"---"_s || rest.startsWith(u"--- "_s) || rest == u"..."_s)) {
                return fail(number,
                            u"document markers (several YAML documents) are not supported"_s);
            }
            m_lines.push_back({number, indent, rest});
        }
        return true;
    }

    static bool isSequenceItem(const QString &text)
    {
        return text == u"-"_s || text.startsWith(u"- "_s);
    }

    bool parseBlock(qsizetype &pos, int indent, int depth, YamlNode &out)
    {
        if (depth > MaxDepth) {
            return fail(m_lines[pos].number, u"nested deeper than %1 levels"_s.arg(MaxDepth));
        }
        if (isSequenceItem(m_lines[pos].text)) {
            return parseSequence(pos, indent, depth, out);
        }
        return parseMapping(pos, indent, depth, out);
    }

    // The value of a key or item written on the lines below it.
    bool parseNested(qsizetype &pos, int indent, int depth, YamlNode &out)
    {
        const int line = m_lines[pos].number;
        ++pos;
        if (pos < qsizetype(m_lines.size()) && m_lines[pos].indent > indent) {
            return parseBlock(pos, m_lines[pos].indent, depth + 1, out);
        }
        if (pos < qsizetype(m_lines.size()) && m_lines[pos].indent == indent
            && isSequenceItem(m_lines[pos].text)) {
            return parseSequence(pos, indent, depth + 1, out);
        }
        out = YamlNode();
        out.line = line;
        return true;
    }

    bool parseMapping(qsizetype &pos, int indent, int depth, YamlNode &out)
    {
        out.type = YamlNode::Type::Map;
        out.line = m_lines[pos].number;
        // A lockfile's `packages` has thousands of keys: no quadratic check.
        QSet<QString> seen;
        while (pos < qsizetype(m_lines.size())) {
            const Line &line = m_lines[pos];
            if (line.indent < indent) {
                break;
            }
            if (line.indent > indent) {
                return fail(line.number, u"unexpected indentation"_s);
            }
            if (isSequenceItem(line.text)) {
                return fail(line.number, u"a sequence item among mapping keys"_s);
            }
            qsizetype index = 0;
            QString key;
            if (!parseKey(line, index, key)) {
                return false;
            }
            if (seen.contains(key)) {
                return fail(line.number, u"duplicate key \"%1\""_s.arg(key));
            }
            seen.insert(key);
            const QString rest = line.text.mid(index);
            YamlNode value;
            if (rest.isEmpty() || rest.startsWith(u" #"_s)) {
                if (!parseNested(pos, indent, depth, value)) {
                    return false;
                }
            } else if (!rest.startsWith(u' ')) {
                return fail(line.number, u"expected a space after \":\""_s);
            } else {
                if (!parseInline(line.number, rest.trimmed(), depth + 1, value)) {
                    return false;
                }
                ++pos;
            }
            out.keys.push_back(key);
            out.keyLines.push_back(line.number);
            out.children.push_back(std::move(value));
        }
        return true;
    }

    bool parseSequence(qsizetype &pos, int indent, int depth, YamlNode &out)
    {
        out.type = YamlNode::Type::Sequence;
        out.line = m_lines[pos].number;
        while (pos < qsizetype(m_lines.size())) {
            const Line &line = m_lines[pos];
            if (line.indent < indent || (line.indent == indent && !isSequenceItem(line.text))) {
                break;
            }
            if (line.indent > indent) {
                return fail(line.number, u"unexpected indentation"_s);
            }
            const QString rest = line.text.mid(1).trimmed();
            YamlNode item;
            if (rest.isEmpty() || rest.startsWith(u'#')) {
                if (!parseNested(pos, indent, depth, item)) {
                    return false;
                }
            } else {
                if (!parseInline(line.number, rest, depth + 1, item)) {
                    return false;
                }
                ++pos;
            }
            out.children.push_back(std::move(item));
        }
        return true;
    }

    // A block mapping key, then its ':'; `index` ends after the ':'.
    bool parseKey(const Line &line, qsizetype &index, QString &key)
    {
        const QString &text = line.text;
        if (text[0] == u'"' || text[0] == u'\'') {
            if (!parseQuoted(line.number, text, index, key)) {
                return false;
            }
            if (index >= text.size() || text[index] != u':') {
                return fail(line.number, u"expected \":\" after a key"_s);
            }
            ++index;
            return true;
        }
        if (u"-?:,[]{}#&*!|>%@`"_s.contains(text[0])) {
            return fail(line.number, u"a key cannot start with \"%1\""_s.arg(text[0]));
        }
        for (qsizetype i = 0; i < text.size(); ++i) {
            if (text[i] == u':' && (i + 1 == text.size() || text[i + 1] == u' ')) {
                key = text.left(i);
                index = i + 1;
                if (key.endsWith(u' ')) {
                    return fail(line.number, u"a space before \":\""_s);
                }
                return true;
            }
            if (text[i] == u'#' && i > 0 && text[i - 1] == u' ') {
                break;
            }
        }
        return fail(line.number, u"expected \"key:\""_s);
    }

    // A value on the line of its key or item: a scalar or a flow collection, then at most a
    // comment.
    bool parseInline(int line, const QString &text, int depth, YamlNode &out)
    {
        qsizetype index = 0;
        if (!parseValue(line, text, index, false, depth, out)) {
            return false;
        }
        while (index < text.size() && text[index] == u' ') {
            ++index;
        }
        if (index < text.size() && !(text[index] == u'#' && text[index - 1] == u' ')) {
            return fail(line, u"unexpected text after a value"_s);
        }
        return true;
    }

    bool
    parseValue(int line, const QString &text, qsizetype &index, bool flow, int depth, YamlNode &out)
    {
        if (depth > MaxDepth) {
            return fail(line, u"nested deeper than %1 levels"_s.arg(MaxDepth));
        }
        out = YamlNode();
        out.line = line;
        if (index >= text.size()) {
            return fail(line, u"expected a value"_s);
        }
        const QChar first = text[index];
        const QChar next = index + 1 < text.size() ? text[index + 1] : QChar(u' ');
        if (first == u'{' || first == u'[') {
            return parseFlow(line, text, index, depth, out);
        }
        if (first == u'"' || first == u'\'') {
            return parseQuoted(line, text, index, out.scalar);
        }
        if (first == u'|' || first == u'>') {
            return fail(line, u"block scalars are not supported"_s);
        }
        if (first == u'&' || first == u'*') {
            return fail(line, u"anchors and aliases are not supported"_s);
        }
        if (first == u'!') {
            return fail(line, u"tags are not supported"_s);
        }
        if (u"%@`,]}#"_s.contains(first)
            || (u"-?:"_s.contains(first) && (next == u' ' || next == u','))) {
            return fail(line, u"a value cannot start with \"%1\""_s.arg(first));
        }
        const qsizetype start = index;
        while (index < text.size()) {
            const QChar c = text[index];
            if (flow && (c == u',' || c == u']' || c == u'}')) {
                break;
            }
            if (c == u'#' && text[index - 1] == u' ') {
                break;
            }
            if (c == u':' && (index + 1 == text.size() || text[index + 1] == u' ')) {
                return fail(line, u"a mapping on the line of a value is not supported"_s);
            }
            ++index;
        }
        out.scalar = text.mid(start, index - start).trimmed();
        return true;
    }

    bool parseFlow(int line, const QString &text, qsizetype &index, int depth, YamlNode &out)
    {
        const bool isMap = text[index] == u'{';
        const QChar close = isMap ? u'}' : u']';
        out.type = isMap ? YamlNode::Type::Map : YamlNode::Type::Sequence;
        ++index;
        const auto skipSpaces = [&] {
            while (index < text.size() && text[index] == u' ') {
                ++index;
            }
        };
        skipSpaces();
        if (index < text.size() && text[index] == close) {
            ++index;
            return true;
        }
        while (true) {
            skipSpaces();
            if (index >= text.size()) {
                return fail(line, u"a flow collection must end on its line"_s);
            }
            if (isMap) {
                QString key;
                if (text[index] == u'"' || text[index] == u'\'') {
                    if (!parseQuoted(line, text, index, key)) {
                        return false;
                    }
                } else {
                    const qsizetype start = index;
                    while (index < text.size() && text[index] != u':' && text[index] != u','
                           && text[index] != u'}') {
                        ++index;
                    }
                    key = text.mid(start, index - start).trimmed();
                }
                if (key.isEmpty() || index + 1 >= text.size() || text[index] != u':'
                    || text[index + 1] != u' ') {
                    return fail(line, u"expected \"key: value\" in a flow mapping"_s);
                }
                for (const QString &existing : out.keys) {
                    if (existing == key) {
                        return fail(line, u"duplicate key \"%1\""_s.arg(key));
                    }
                }
                index += 2;
                skipSpaces();
                out.keys.push_back(key);
                out.keyLines.push_back(line);
            }
            YamlNode value;
            if (!parseValue(line, text, index, true, depth + 1, value)) {
                return false;
            }
            out.children.push_back(std::move(value));
            skipSpaces();
            if (index >= text.size()) {
                return fail(line, u"a flow collection must end on its line"_s);
            }
            if (text[index] == close) {
                ++index;
                return true;
            }
            if (text[index] != u',') {
                return fail(line, u"expected \",\" or \"%1\""_s.arg(close));
            }
            ++index;
        }
    }

    bool parseQuoted(int line, const QString &text, qsizetype &index, QString &out)
    {
        const QChar quote = text[index];
        ++index;
        out.clear();
        while (index < text.size()) {
            const QChar c = text[index];
            if (quote == u'\'') {
                if (c == u'\'') {
                    if (index + 1 < text.size() && text[index + 1] == u'\'') {
                        out += u'\'';
                        index += 2;
                        continue;
                    }
                    ++index;
                    return true;
                }
                out += c;
                ++index;
                continue;
            }
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
            int hexDigits = 0;
            if (const std::optional<QChar> plain = simpleEscape(escape)) {
                out += *plain;
                continue;
            }
            switch (escape.unicode()) {
            case u'0':
                out += QChar(0);
                break;
            case u'x':
                hexDigits = 2;
                break;
            case u'u':
                hexDigits = 4;
                break;
            case u'U':
                hexDigits = 8;
                break;
            default:
                return fail(line, u"unknown escape \"\\%1\""_s.arg(escape));
            }
            if (hexDigits > 0) {
                bool ok = false;
                const uint code = text.mid(index, hexDigits).toUInt(&ok, 16);
                if (!ok || index + hexDigits > text.size() || code > 0x10ffff) {
                    return fail(line, u"a bad \\%1 escape"_s.arg(escape));
                }
                const char32_t codePoint = code;
                out += QString::fromUcs4(&codePoint, 1);
                index += hexDigits;
            }
        }
        return fail(line, u"a quoted string must end on its line"_s);
    }

    QString m_fileName;
    std::vector<Line> m_lines;
    std::optional<Error> m_error;
};

} // namespace

Result<YamlNode> parseYaml(const QByteArray &content, const QString &fileName)
{
    return YamlParser(fileName).parse(content);
}

} // namespace Trove::Lockfiles::Detail
