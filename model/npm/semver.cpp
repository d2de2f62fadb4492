// SPDX-License-Identifier: GPL-3.0-or-later
#include "model/npm/semver.h"

#include <QRegularExpression>

#include <algorithm>
#include <functional>

using namespace Qt::StringLiterals;

// Range parsing follows node-semver 7 step by step (build stripping, hyphen ranges, operator
// whitespace, carets, tildes, x-ranges, stars, then comparators), because its quirks are what npm
// users see: "1.2.3 ||" means any version, "x.1" is invalid, "**" is invalid. The grammar below is
// node-semver's, with its length bounds (at most 256 digits, 250 identifier characters), written
// with \A and \z because PCRE's $ also matches before a final newline.
namespace {

constexpr qsizetype MaxVersionLength = 256;
constexpr qsizetype MaxRangeLength = 2048;
constexpr qint64 MaxSafeInteger = 9007199254740991LL;

struct Grammar
{
    Grammar()
    {
        const QString numeric = u"0|[1-9]\\d{0,256}"_s;
        const QString nonNumeric = u"\\d{0,256}[a-zA-Z-][a-zA-Z0-9-]{0,250}"_s;
        const QString numericLoose = u"\\d{1,256}"_s;
        // A non-numeric identifier is tried first: it may start with digits.
        const QString preId = u"(?:"_s % nonNumeric % u'|' % numeric % u')';
        const QString preIdLoose = u"(?:"_s % nonNumeric % u'|' % numericLoose % u')';
        const QString pre = u"(?:-("_s % preId % u"(?:\\."_s % preId % u")*))"_s;
        const QString preLoose = u"(?:-?("_s % preIdLoose % u"(?:\\."_s % preIdLoose % u")*))"_s;
        const QString buildId = u"[a-zA-Z0-9-]{1,250}"_s;
        const QString build = u"(?:\\+("_s % buildId % u"(?:\\."_s % buildId % u")*))"_s;
        const QString main = u"("_s % numeric % u")\\.("_s % numeric % u")\\.("_s % numeric % u')';
        const QString mainLoose =
            u"("_s % numericLoose % u")\\.("_s % numericLoose % u")\\.("_s % numericLoose % u')';
        const QString fullPlain = u"v?"_s % main % pre % u'?' % build % u'?';
        const QString loosePlain = u"[v=\\s]*"_s % mainLoose % preLoose % u'?' % build % u'?';
        const QString gtlt = u"((?:<|>)?=?)"_s;
        const QString xId = numeric % u"|x|X|\\*"_s;
        // Groups: major, minor, patch, prerelease, build.
        const QString xPlain = u"[v=\\s]*("_s % xId % u")(?:\\.("_s % xId % u")(?:\\.("_s % xId
            % u")(?:"_s % pre % u")?"_s % build % u"?)?)?"_s;

        strict.setPattern(u"\\A"_s % main % pre % u'?' % build % u"?\\z"_s);
        full.setPattern(u"\\A"_s % fullPlain % u"\\z"_s);
        comparator.setPattern(u"\\A"_s % gtlt % u"\\s?("_s % fullPlain % u")\\z|\\A\\z"_s);
        xRange.setPattern(u"\\A"_s % gtlt % u"\\s?"_s % xPlain % u"\\z"_s);
        caret.setPattern(u"\\A\\^"_s % xPlain % u"\\z"_s);
        tilde.setPattern(u"\\A~>?"_s % xPlain % u"\\z"_s);
        hyphen.setPattern(u"\\A\\s?("_s % xPlain % u")\\s-\\s("_s % xPlain % u")\\s?\\z"_s);
        comparatorTrim.setPattern(u"(\\s?)"_s % gtlt % u"\\s?("_s % loosePlain % u'|' % xPlain
                                  % u')');
        tildeTrim.setPattern(u"(\\s?)~>?\\s"_s);
        caretTrim.setPattern(u"(\\s?)\\^\\s"_s);
        star.setPattern(u"(<|>)?=?\\s?\\*"_s);
        // Unbounded, as node-semver strips build metadata from a whole range.
        buildStrip.setPattern(u"\\+[a-zA-Z0-9-]+(?:\\.[a-zA-Z0-9-]+)*"_s);
        whitespace.setPattern(u"\\s+"_s);
    }

    QRegularExpression strict;
    QRegularExpression full;
    QRegularExpression comparator;
    QRegularExpression xRange;
    QRegularExpression caret;
    QRegularExpression tilde;
    QRegularExpression hyphen;
    QRegularExpression comparatorTrim;
    QRegularExpression tildeTrim;
    QRegularExpression caretTrim;
    QRegularExpression star;
    QRegularExpression buildStrip;
    QRegularExpression whitespace;
};

const Grammar &grammar()
{
    // One compiled set per thread: the server parses ranges on worker threads.
    static thread_local const Grammar instance;
    return instance;
}

// JavaScript's \s and String.prototype.trim(), which node-semver relies on; QChar::isSpace()
// differs (it includes U+0085, excludes U+FEFF).
bool isJsSpace(QChar c)
{
    switch (c.unicode()) {
    case 0x09:
    case 0x0a:
    case 0x0b:
    case 0x0c:
    case 0x0d:
    case 0x20:
    case 0xa0:
    case 0x1680:
    case 0x2028:
    case 0x2029:
    case 0x202f:
    case 0x205f:
    case 0x3000:
    case 0xfeff:
        return true;
    default:
        return c.unicode() >= 0x2000 && c.unicode() <= 0x200a;
    }
}

QString jsTrim(QStringView text)
{
    qsizetype begin = 0;
    qsizetype end = text.size();
    while (begin < end && isJsSpace(text.at(begin))) {
        ++begin;
    }
    while (end > begin && isJsSpace(text.at(end - 1))) {
        --end;
    }
    return text.mid(begin, end - begin).toString();
}

// Every run of JavaScript whitespace becomes one ' ', as node-semver does before parsing a range.
QString collapseJsSpaces(QStringView text)
{
    QString result;
    result.reserve(text.size());
    bool inSpace = false;
    for (const QChar c : text) {
        if (isJsSpace(c)) {
            if (!inSpace) {
                result += u' ';
            }
            inSpace = true;
        } else {
            result += c;
            inSpace = false;
        }
    }
    return result;
}

// After collapseJsSpaces() the only whitespace left is ' ', so Qt's \s equals JavaScript's.
QStringList splitWhitespace(const QString &text)
{
    return text.split(grammar().whitespace, Qt::KeepEmptyParts);
}

bool isX(const QString &part)
{
    return part.isEmpty() || part == u"x"_s || part == u"X"_s || part == u"*"_s;
}

// JavaScript's `+n + 1` as text. Numbers too big to be a version component stay too big: the
// comparator that receives them is then refused, as in node-semver.
QString inc(const QString &number)
{
    if (number.size() > 17) {
        return u"NaN"_s;
    }
    return QString::number(number.toLongLong() + 1);
}

bool isAllDigits(const QString &text)
{
    return !text.isEmpty()
        && std::all_of(text.cbegin(), text.cend(), [](QChar c) { return c >= u'0' && c <= u'9'; });
}

// node-semver's identifier order: all-digit identifiers compare as (double) numbers and sort
// before the others, which compare as UTF-16 strings.
int compareIdentifiers(const QString &a, const QString &b)
{
    const bool aNumeric = isAllDigits(a);
    const bool bNumeric = isAllDigits(b);
    if (aNumeric && bNumeric) {
        const double x = a.toDouble();
        const double y = b.toDouble();
        return x == y ? 0 : (x < y ? -1 : 1);
    }
    if (aNumeric != bNumeric) {
        return aNumeric ? -1 : 1;
    }
    return a == b ? 0 : (a < b ? -1 : 1);
}

// Identifier lists as node-semver's comparePre/compareBuild walk them: a missing identifier sorts
// first, and the first differing pair decides.
int compareIdentifierLists(const QStringList &a, const QStringList &b)
{
    for (qsizetype i = 0;; ++i) {
        if (i >= a.size() || i >= b.size()) {
            return a.size() == b.size() ? 0 : (i >= a.size() ? -1 : 1);
        }
        if (a.at(i) != b.at(i)) {
            return compareIdentifiers(a.at(i), b.at(i));
        }
    }
}

// JavaScript's String.replace with a regular expression: every match when `global`, else the
// first, each replaced by `replace(match)`.
QString replaceMatches(const QString &text,
                       const QRegularExpression &pattern,
                       bool global,
                       const std::function<QString(const QRegularExpressionMatch &)> &replace)
{
    QString result;
    qsizetype last = 0;
    QRegularExpressionMatchIterator it = pattern.globalMatch(text);
    while (it.hasNext()) {
        const QRegularExpressionMatch match = it.next();
        result += QStringView(text).mid(last, match.capturedStart() - last);
        result += replace(match);
        last = match.capturedEnd();
        if (!global) {
            break;
        }
    }
    result += QStringView(text).mid(last);
    return result;
}

QString mapWords(const QString &text, const std::function<QString(const QString &)> &map)
{
    QStringList words = splitWhitespace(text);
    for (QString &word : words) {
        word = map(word);
    }
    return words.join(u' ');
}

// ^1.2.3 := >=1.2.3 <2.0.0-0, ^0.2.3 := >=0.2.3 <0.3.0-0, ^0.0.3 := >=0.0.3 <0.0.4-0, ^1.x := 1.x.
QString replaceCaret(const QString &comp, bool includePrerelease)
{
    const QRegularExpressionMatch m = grammar().caret.match(comp);
    if (!m.hasMatch()) {
        return comp;
    }
    const QString major = m.captured(1);
    const QString minor = m.captured(2);
    const QString patch = m.captured(3);
    const QString pre = m.captured(4);
    const QString z = includePrerelease ? u"-0"_s : QString();
    if (isX(major)) {
        return {};
    }
    if (isX(minor)) {
        return u">=%1.0.0%2 <%3.0.0-0"_s.arg(major, z, inc(major));
    }
    if (isX(patch)) {
        const QString upper =
            major == u"0"_s ? u"%1.%2.0-0"_s.arg(major, inc(minor)) : u"%1.0.0-0"_s.arg(inc(major));
        return u">=%1.%2.0%3 <%4"_s.arg(major, minor, z, upper);
    }
    // A full version is its own lower bound, with or without includePrerelease.
    const QString lower = pre.isEmpty() ? u"%1.%2.%3"_s.arg(major, minor, patch)
                                        : u"%1.%2.%3-%4"_s.arg(major, minor, patch, pre);
    QString upper;
    if (major != u"0"_s) {
        upper = u"%1.0.0-0"_s.arg(inc(major));
    } else if (minor != u"0"_s) {
        upper = u"0.%1.0-0"_s.arg(inc(minor));
    } else {
        upper = u"0.0.%1-0"_s.arg(inc(patch));
    }
    return u">=%1 <%2"_s.arg(lower, upper);
}

// ~1.2.3 := >=1.2.3 <1.3.0-0, ~1.2 := 1.2.x, ~1 := 1.x.
QString replaceTilde(const QString &comp, bool includePrerelease)
{
    const QRegularExpressionMatch m = grammar().tilde.match(comp);
    if (!m.hasMatch()) {
        return comp;
    }
    const QString major = m.captured(1);
    const QString minor = m.captured(2);
    const QString patch = m.captured(3);
    const QString pre = m.captured(4);
    // With includePrerelease a partial tilde starts at the lowest prerelease, like an x-range.
    const QString z = includePrerelease ? u"-0"_s : QString();
    if (isX(major)) {
        return {};
    }
    if (isX(minor)) {
        return u">=%1.0.0%2 <%3.0.0-0"_s.arg(major, z, inc(major));
    }
    if (isX(patch)) {
        return u">=%1.%2.0%3 <%1.%4.0-0"_s.arg(major, minor, z, inc(minor));
    }
    const QString lower = pre.isEmpty() ? u"%1.%2.%3"_s.arg(major, minor, patch)
                                        : u"%1.%2.%3-%4"_s.arg(major, minor, patch, pre);
    return u">=%1 <%2.%3.0-0"_s.arg(lower, major, inc(minor));
}

// 1.2.x := >=1.2.0 <1.3.0-0, >1.2 := >=1.3.0, <=1.x := <2.0.0-0, >* := nothing, * := anything.
QString replaceXRange(const QString &input, bool includePrerelease)
{
    const QString comp = jsTrim(input);
    const QRegularExpressionMatch m = grammar().xRange.match(comp);
    if (!m.hasMatch()) {
        return comp;
    }
    QString op = m.captured(1);
    QString major = m.captured(2);
    QString minor = m.captured(3);
    QString patch = m.captured(4);
    // An x may only be followed by x's: "x.1" and "1.x.2" are not ranges.
    if ((isX(major) && !isX(minor)) || (isX(minor) && !patch.isEmpty() && !isX(patch))) {
        return comp;
    }
    const bool xMajor = isX(major);
    const bool xMinor = xMajor || isX(minor);
    const bool anyX = xMinor || isX(patch);
    if (op == u"="_s && anyX) {
        op.clear();
    }
    QString pre = includePrerelease ? u"-0"_s : QString();
    if (xMajor) {
        return op == u">"_s || op == u"<"_s ? u"<0.0.0-0"_s : u"*"_s;
    }
    if (!op.isEmpty() && anyX) {
        if (xMinor) {
            minor = u"0"_s;
        }
        patch = u"0"_s;
        if (op == u">"_s) {
            op = u">="_s;
            if (xMinor) {
                major = inc(major);
                minor = u"0"_s;
            } else {
                minor = inc(minor);
            }
        } else if (op == u"<="_s) {
            op = u"<"_s;
            if (xMinor) {
                major = inc(major);
            } else {
                minor = inc(minor);
            }
        }
        if (op == u"<"_s) {
            pre = u"-0"_s;
        }
        return op % major % u'.' % minor % u'.' % patch % pre;
    }
    if (xMinor) {
        return u">=%1.0.0%2 <%3.0.0-0"_s.arg(major, pre, inc(major));
    }
    if (anyX) {
        return u">=%1.%2.0%3 <%1.%4.0-0"_s.arg(major, minor, pre, inc(minor));
    }
    return comp;
}

// "1.2 - 2.3.4" := ">=1.2.0 <=2.3.4", "1.2.3 - 2.3" := ">=1.2.3 <2.4.0-0".
QString replaceHyphen(const QRegularExpressionMatch &m, bool includePrerelease)
{
    // Groups: 1 from (2-4 parts, 5 prerelease, 6 build), 7 to (8-10 parts, 11 prerelease, 12).
    const QString z = includePrerelease ? u"-0"_s : QString();
    QString from = m.captured(1);
    const QString fromMajor = m.captured(2);
    const QString fromMinor = m.captured(3);
    if (isX(fromMajor)) {
        from.clear();
    } else if (isX(fromMinor)) {
        from = u">=%1.0.0%2"_s.arg(fromMajor, z);
    } else if (isX(m.captured(4))) {
        from = u">=%1.%2.0%3"_s.arg(fromMajor, fromMinor, z);
    } else if (!m.captured(5).isEmpty()) {
        from = u">="_s % from;
    } else {
        from = u">="_s % from % z;
    }

    QString to = m.captured(7);
    const QString toMajor = m.captured(8);
    const QString toMinor = m.captured(9);
    const QString toPatch = m.captured(10);
    if (isX(toMajor)) {
        to.clear();
    } else if (isX(toMinor)) {
        to = u"<%1.0.0-0"_s.arg(inc(toMajor));
    } else if (isX(toPatch)) {
        to = u"<%1.%2.0-0"_s.arg(toMajor, inc(toMinor));
    } else if (!m.captured(11).isEmpty()) {
        to = u"<=%1.%2.%3-%4"_s.arg(toMajor, toMinor, toPatch, m.captured(11));
    } else if (includePrerelease) {
        to = u"<%1.%2.%3-0"_s.arg(toMajor, toMinor, inc(toPatch));
    } else {
        to = u"<="_s % to;
    }
    return jsTrim(QString(from % u' ' % to));
}

// One space-separated word of a range after the trims: carets, tildes, x-ranges, then one star.
QString desugarWord(const QString &word, bool includePrerelease)
{
    QString comp = mapWords(jsTrim(word), [includePrerelease](const QString &w) {
        return replaceCaret(w, includePrerelease);
    });
    comp = mapWords(jsTrim(comp), [includePrerelease](const QString &w) {
        return replaceTilde(w, includePrerelease);
    });
    comp = mapWords(comp, [includePrerelease](const QString &w) {
        return replaceXRange(w, includePrerelease);
    });
    return replaceMatches(
        jsTrim(comp), grammar().star, false, [](const auto &) { return QString(); });
}

} // namespace

namespace Trove::Npm {

std::optional<Version> Version::parseNodeDefault(QStringView text)
{
    if (text.size() > MaxVersionLength) {
        return std::nullopt;
    }
    const QRegularExpressionMatch m = grammar().full.match(jsTrim(text));
    if (!m.hasMatch()) {
        return std::nullopt;
    }
    Version version;
    qint64 *const parts[] = {&version.m_major, &version.m_minor, &version.m_patch};
    for (int i = 0; i < 3; ++i) {
        bool ok = false;
        *parts[i] = m.captured(i + 1).toLongLong(&ok);
        if (!ok || *parts[i] > MaxSafeInteger) {
            return std::nullopt;
        }
    }
    if (!m.captured(4).isEmpty()) {
        version.m_prerelease = m.captured(4).split(u'.');
    }
    if (!m.captured(5).isEmpty()) {
        version.m_build = m.captured(5).split(u'.');
    }
    return version;
}

std::optional<Version> Version::parse(QStringView text, bool loose)
{
    if (loose) {
        // node-semver's clean(): trim, drop every leading '=' and 'v', then parse as usual.
        const QString trimmed = jsTrim(text);
        qsizetype skip = 0;
        while (skip < trimmed.size() && (trimmed.at(skip) == u'=' || trimmed.at(skip) == u'v')) {
            ++skip;
        }
        return parseNodeDefault(QStringView(trimmed).mid(skip));
    }
    if (text.size() > MaxVersionLength || !grammar().strict.match(text).hasMatch()) {
        return std::nullopt;
    }
    return parseNodeDefault(text);
}

int Version::compare(const Version &other) const
{
    for (const auto &[a, b] : {std::pair{m_major, other.m_major},
                               std::pair{m_minor, other.m_minor},
                               std::pair{m_patch, other.m_patch}}) {
        if (a != b) {
            return a < b ? -1 : 1;
        }
    }
    // A release is above its prereleases.
    if (m_prerelease.isEmpty() || other.m_prerelease.isEmpty()) {
        if (m_prerelease.isEmpty() == other.m_prerelease.isEmpty()) {
            return 0;
        }
        return m_prerelease.isEmpty() ? 1 : -1;
    }
    return compareIdentifierLists(m_prerelease, other.m_prerelease);
}

int Version::compareBuild(const Version &other) const
{
    if (const int c = compare(other); c != 0) {
        return c;
    }
    return compareIdentifierLists(m_build, other.m_build);
}

QString Version::toString() const
{
    QString text = QString::number(m_major) % u'.' % QString::number(m_minor) % u'.'
        % QString::number(m_patch);
    if (!m_prerelease.isEmpty()) {
        text += u'-' % m_prerelease.join(u'.');
    }
    return text;
}

bool isValidVersion(const QString &version)
{
    return Version::parse(version).has_value();
}

bool Range::Comparator::test(const Version &candidate) const
{
    const int c = candidate.compare(version);
    switch (op) {
    case Op::Any:
        return true;
    case Op::Less:
        return c < 0;
    case Op::LessEqual:
        return c <= 0;
    case Op::Greater:
        return c > 0;
    case Op::GreaterEqual:
        return c >= 0;
    case Op::Equal:
        return c == 0;
    }
    return false;
}

std::optional<Range::ComparatorSet> Range::parseSet(QString range, bool includePrerelease)
{
    const Grammar &g = grammar();
    range.remove(g.buildStrip);
    if (const QRegularExpressionMatch m = g.hyphen.match(range); m.hasMatch()) {
        range = replaceHyphen(m, includePrerelease);
    }
    // "> 1.2.3" -> ">1.2.3", "~ 1.2" -> "~1.2", "^ 1" -> "^1".
    range = replaceMatches(
        range, g.comparatorTrim, true, [](const QRegularExpressionMatch &m) -> QString {
            return m.captured(1) % m.captured(2) % m.captured(3);
        });
    range =
        replaceMatches(range, g.tildeTrim, true, [](const QRegularExpressionMatch &m) -> QString {
            return m.captured(1) % u'~';
        });
    range =
        replaceMatches(range, g.caretTrim, true, [](const QRegularExpressionMatch &m) -> QString {
            return m.captured(1) % u'^';
        });

    QStringList words = range.split(u' ');
    for (QString &word : words) {
        word = desugarWord(word, includePrerelease);
    }

    // Every comparator must parse before the set is judged.
    struct Parsed
    {
        QString key;
        Comparator comparator;
    };
    QList<Parsed> parsed;
    for (QString comp : splitWhitespace(words.join(u' '))) {
        comp = jsTrim(comp);
        // >=0.0.0 (>=0.0.0-0 with includePrerelease) is the same as *.
        if (comp == (includePrerelease ? u">=0.0.0-0"_s : u">=0.0.0"_s)) {
            comp.clear();
        }
        const QRegularExpressionMatch m = g.comparator.match(comp);
        if (!m.hasMatch()) {
            return std::nullopt;
        }
        Parsed item;
        if (!m.captured(2).isEmpty()) {
            const std::optional<Version> version = Version::parseNodeDefault(m.captured(2));
            if (!version) {
                return std::nullopt;
            }
            const QString op = m.captured(1);
            item.comparator.version = *version;
            item.comparator.op = op == u"<"_s ? Comparator::Op::Less
                : op == u"<="_s               ? Comparator::Op::LessEqual
                : op == u">"_s                ? Comparator::Op::Greater
                : op == u">="_s               ? Comparator::Op::GreaterEqual
                                              : Comparator::Op::Equal;
            item.key = (op == u"="_s ? QString() : op) % version->toString();
        }
        parsed.append(item);
    }

    ComparatorSet set;
    QStringList keys;
    for (const Parsed &item : std::as_const(parsed)) {
        if (item.key == u"<0.0.0-0"_s) {
            return ComparatorSet{item.comparator}; // matches nothing: the set is just that
        }
        if (!keys.contains(item.key)) {
            keys.append(item.key);
            set.append(item.comparator);
        }
    }
    if (set.size() > 1) {
        set.removeIf([](const Comparator &c) { return c.op == Comparator::Op::Any; });
    }
    return set;
}

std::optional<QList<Range::ComparatorSet>> Range::parseSets(const QString &range,
                                                            bool includePrerelease)
{
    QList<ComparatorSet> sets;
    for (const QString &part : range.split(u"||"_s)) {
        std::optional<ComparatorSet> set = parseSet(jsTrim(part), includePrerelease);
        if (!set) {
            return std::nullopt;
        }
        if (!set->isEmpty()) {
            sets.append(std::move(*set));
        }
    }
    if (sets.isEmpty()) {
        return std::nullopt;
    }
    const auto isNull = [](const ComparatorSet &set) {
        const Comparator &first = set.first();
        return first.op == Comparator::Op::Less && first.version.toString() == u"0.0.0-0"_s;
    };
    const auto isAny = [](const ComparatorSet &set) {
        return set.size() == 1 && set.first().op == Comparator::Op::Any;
    };
    if (sets.size() > 1) {
        // Sets that match nothing go, unless all do; one set matching anything wins.
        const ComparatorSet first = sets.first();
        sets.removeIf(isNull);
        if (sets.isEmpty()) {
            sets = {first};
        } else if (sets.size() > 1) {
            if (const auto any = std::find_if(sets.cbegin(), sets.cend(), isAny);
                any != sets.cend()) {
                sets = {*any};
            }
        }
    }
    return sets;
}

std::optional<Range> Range::parse(QStringView text)
{
    if (text.size() > MaxRangeLength) {
        return std::nullopt;
    }
    const QString raw = collapseJsSpaces(jsTrim(text));
    std::optional<QList<ComparatorSet>> sets = parseSets(raw, false);
    std::optional<QList<ComparatorSet>> setsIncludingPrerelease = parseSets(raw, true);
    if (!sets || !setsIncludingPrerelease) {
        return std::nullopt;
    }
    Range range;
    range.m_sets = std::move(*sets);
    range.m_setsIncludingPrerelease = std::move(*setsIncludingPrerelease);
    return range;
}

bool Range::satisfies(const Version &version, bool includePrerelease) const
{
    const QList<ComparatorSet> &sets = includePrerelease ? m_setsIncludingPrerelease : m_sets;
    for (const ComparatorSet &set : sets) {
        const bool all = std::all_of(
            set.cbegin(), set.cend(), [&version](const Comparator &c) { return c.test(version); });
        if (!all) {
            continue;
        }
        if (!version.isPrerelease() || includePrerelease) {
            return true;
        }
        // A prerelease needs a comparator naming a prerelease of the same [major, minor, patch].
        for (const Comparator &c : set) {
            if (c.op != Comparator::Op::Any && c.version.isPrerelease()
                && c.version.major() == version.major() && c.version.minor() == version.minor()
                && c.version.patch() == version.patch()) {
                return true;
            }
        }
    }
    return false;
}

QStringList sortVersions(QStringList versions)
{
    QList<std::pair<Version, QString>> parsed;
    for (QString &text : versions) {
        if (std::optional<Version> version = Version::parse(text, true)) {
            parsed.append({std::move(*version), std::move(text)});
        }
    }
    std::stable_sort(parsed.begin(), parsed.end(), [](const auto &a, const auto &b) {
        return a.first.compareBuild(b.first) < 0;
    });
    QStringList sorted;
    sorted.reserve(parsed.size());
    for (auto &[version, text] : parsed) {
        sorted.append(std::move(text));
    }
    return sorted;
}

std::optional<Version>
maxSatisfying(const QStringList &versions, const Range &range, bool includePrerelease)
{
    std::optional<Version> best;
    for (const QString &text : versions) {
        const std::optional<Version> version = Version::parse(text, true);
        if (version && range.satisfies(*version, includePrerelease)
            && (!best || best->compare(*version) < 0)) {
            best = version;
        }
    }
    return best;
}

} // namespace Trove::Npm
