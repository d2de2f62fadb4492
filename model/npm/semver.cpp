// SPDX-License-Identifier: GPL-3.0-or-later
#include "model/npm/semver.h"

#include <QHash>
#include <QRegularExpression>

#include <algorithm>
#include <functional>

using namespace Qt::StringLiterals;

// node-semver's grammar, non-loose (its re.js), rebuilt here as QRegularExpression strings.
namespace {

const QString Numeric = u"0|[1-9]\\d*"_s;
const QString NonNumeric = u"\\d*[a-zA-Z-][a-zA-Z0-9-]*"_s;
const QString PrereleaseIdentifier = u"(?:"_s + Numeric + u"|"_s + NonNumeric + u")"_s;
const QString Prerelease =
    u"(?:-("_s + PrereleaseIdentifier + u"(?:\\."_s + PrereleaseIdentifier + u")*))"_s;
const QString Build = u"(?:\\+([0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*))"_s;
const QString MainVersion = u"("_s + Numeric + u")\\.("_s + Numeric + u")\\.("_s + Numeric + u")"_s;
const QString FullPlain = u"v?"_s + MainVersion + Prerelease + u"?"_s + Build + u"?"_s;
const QString Gtlt = u"((?:<|>)?=?)"_s;
const QString XIdentifier = Numeric + u"|x|X|\\*"_s;
const QString XRangePlain = u"[v=\\s]*("_s + XIdentifier + u")(?:\\.("_s + XIdentifier
    + u")(?:\\.("_s + XIdentifier + u")(?:"_s + Prerelease + u")?"_s + Build + u"?)?)?"_s;

const QRegularExpression &regex(const QString &pattern)
{
    // Patterns are few and fixed; keep each compiled once.
    static thread_local QHash<QString, QRegularExpression> cache;
    auto it = cache.find(pattern);
    if (it == cache.end()) {
        it = cache.insert(pattern, QRegularExpression(pattern));
    }
    return *it;
}

const QString FullRe = u"^\\s*"_s + FullPlain + u"\\s*$"_s;
const QString StrictRe = u"^"_s + MainVersion + Prerelease + u"?"_s + Build + u"?$"_s;
const QString ComparatorRe = u"^"_s + Gtlt + u"\\s*("_s + FullPlain + u")$|^$"_s;
const QString XRangeRe = u"^"_s + Gtlt + u"\\s*"_s + XRangePlain + u"$"_s;
const QString CaretRe = u"^\\^"_s + XRangePlain + u"$"_s;
const QString TildeRe = u"^(?:~>?)"_s + XRangePlain + u"$"_s;
const QString HyphenRe = u"^\\s*("_s + XRangePlain + u")\\s+-\\s+("_s + XRangePlain + u")\\s*$"_s;
const QString ComparatorTrimRe = u"(\\s*)"_s + Gtlt + u"\\s*("_s + XRangePlain + u")"_s;
const QString TildeTrimRe = u"(\\s*)(?:~>?)\\s+"_s;
const QString CaretTrimRe = u"(\\s*)(?:\\^)\\s+"_s;
const QString StarRe = u"(<|>)?=?\\s*\\*"_s;

constexpr qint64 MaxSafeInteger = 9007199254740991LL;

bool isX(const QString &part)
{
    return part.isEmpty() || part == u"x"_s || part == u"X"_s || part == u"*"_s;
}

QString inc(const QString &number)
{
    return QString::number(number.toLongLong() + 1);
}

int compareIdentifiers(const QString &a, const QString &b)
{
    bool aNumeric = false;
    bool bNumeric = false;
    const qint64 aValue = a.toLongLong(&aNumeric);
    const qint64 bValue = b.toLongLong(&bNumeric);
    if (aNumeric && bNumeric) {
        return aValue < bValue ? -1 : (aValue > bValue ? 1 : 0);
    }
    if (aNumeric) {
        return -1;
    }
    if (bNumeric) {
        return 1;
    }
    return a < b ? -1 : (a > b ? 1 : 0);
}

// Applies `replace` to every match of `pattern` in `text`, like JavaScript's String.replace with a
// global regex and a function.
QString replaceAll(const QString &text,
                   const QString &pattern,
                   const std::function<QString(const QRegularExpressionMatch &)> &replace)
{
    QString result;
    qsizetype last = 0;
    QRegularExpressionMatchIterator it = regex(pattern).globalMatch(text);
    while (it.hasNext()) {
        const QRegularExpressionMatch match = it.next();
        result += QStringView(text).mid(last, match.capturedStart() - last);
        result += replace(match);
        last = match.capturedEnd();
    }
    result += QStringView(text).mid(last);
    return result;
}

QString replaceCaret(const QString &comp, bool includePrerelease)
{
    const QRegularExpressionMatch m = regex(CaretRe).match(comp);
    if (!m.hasMatch()) {
        return comp;
    }
    const QString M = m.captured(1), mi = m.captured(2), p = m.captured(3), pr = m.captured(4);
    const QString z = includePrerelease ? u"-0"_s : QString();
    if (isX(M)) {
        return {};
    }
    if (isX(mi)) {
        return u">=%1.0.0%2 <%3.0.0-0"_s.arg(M, z, inc(M));
    }
    if (isX(p)) {
        if (M == u"0"_s) {
            return u">=%1.%2.0%3 <%1.%4.0-0"_s.arg(M, mi, z, inc(mi));
        }
        return u">=%1.%2.0%3 <%4.0.0-0"_s.arg(M, mi, z, inc(M));
    }
    const QString from =
        pr.isEmpty() ? u"%1.%2.%3"_s.arg(M, mi, p) : u"%1.%2.%3-%4"_s.arg(M, mi, p, pr);
    // A full version is its own lower bound, with or without includePrerelease (node-semver 7.8).
    if (M == u"0"_s) {
        if (mi == u"0"_s) {
            return u">=%1 <%2.%3.%4-0"_s.arg(from, M, mi, inc(p));
        }
        return u">=%1 <%2.%3.0-0"_s.arg(from, M, inc(mi));
    }
    return u">=%1 <%2.0.0-0"_s.arg(from, inc(M));
}

QString replaceTilde(const QString &comp, bool includePrerelease)
{
    const QRegularExpressionMatch m = regex(TildeRe).match(comp);
    if (!m.hasMatch()) {
        return comp;
    }
    const QString M = m.captured(1), mi = m.captured(2), p = m.captured(3), pr = m.captured(4);
    // With includePrerelease a partial tilde starts at the lowest prerelease, like an x-range.
    const QString z = includePrerelease ? u"-0"_s : QString();
    if (isX(M)) {
        return {};
    }
    if (isX(mi)) {
        return u">=%1.0.0%2 <%3.0.0-0"_s.arg(M, z, inc(M));
    }
    if (isX(p)) {
        return u">=%1.%2.0%3 <%1.%4.0-0"_s.arg(M, mi, z, inc(mi));
    }
    if (!pr.isEmpty()) {
        return u">=%1.%2.%3-%4 <%1.%5.0-0"_s.arg(M, mi, p, pr, inc(mi));
    }
    return u">=%1.%2.%3 <%1.%4.0-0"_s.arg(M, mi, p, inc(mi));
}

QString replaceXRange(const QString &input, bool includePrerelease)
{
    const QString comp = input.trimmed();
    const QRegularExpressionMatch m = regex(XRangeRe).match(comp);
    if (!m.hasMatch()) {
        return comp;
    }
    QString gtlt = m.captured(1);
    QString M = m.captured(2), mi = m.captured(3), p = m.captured(4);
    const bool xM = isX(M);
    const bool xm = xM || isX(mi);
    const bool xp = xm || isX(p);
    const bool anyX = xp;
    if (gtlt == u"="_s && anyX) {
        gtlt.clear();
    }
    QString pr = includePrerelease ? u"-0"_s : QString();
    if (xM) {
        if (gtlt == u">"_s || gtlt == u"<"_s) {
            return u"<0.0.0-0"_s;
        }
        return u"*"_s;
    }
    if (!gtlt.isEmpty() && anyX) {
        if (xm) {
            mi = u"0"_s;
        }
        p = u"0"_s;
        if (gtlt == u">"_s) {
            gtlt = u">="_s;
            if (xm) {
                M = inc(M);
                mi = u"0"_s;
                p = u"0"_s;
            } else {
                mi = inc(mi);
                p = u"0"_s;
            }
        } else if (gtlt == u"<="_s) {
            gtlt = u"<"_s;
            if (xm) {
                M = inc(M);
            } else {
                mi = inc(mi);
            }
        }
        if (gtlt == u"<"_s) {
            pr = u"-0"_s;
        }
        return u"%1%2.%3.%4%5"_s.arg(gtlt, M, mi, p, pr);
    }
    if (xm) {
        return u">=%1.0.0%2 <%3.0.0-0"_s.arg(M, pr, inc(M));
    }
    if (xp) {
        return u">=%1.%2.0%3 <%1.%4.0-0"_s.arg(M, mi, pr, inc(mi));
    }
    return comp;
}

QString hyphenReplace(const QRegularExpressionMatch &m, bool includePrerelease)
{
    // Groups: 1 from, 2-4 from parts, 5 from prerelease, 6 from build, 7 to, 8-10, 11, 12.
    QString from = m.captured(1);
    const QString fM = m.captured(2), fm = m.captured(3), fp = m.captured(4), fpr = m.captured(5);
    QString to = m.captured(7);
    const QString tM = m.captured(8), tm = m.captured(9), tp = m.captured(10), tpr = m.captured(11);
    const QString incPr = includePrerelease ? u"-0"_s : QString();
    if (isX(fM)) {
        from.clear();
    } else if (isX(fm)) {
        from = u">=%1.0.0%2"_s.arg(fM, incPr);
    } else if (isX(fp)) {
        from = u">=%1.%2.0%3"_s.arg(fM, fm, incPr);
    } else if (!fpr.isEmpty()) {
        from = u">="_s + from;
    } else {
        from = u">="_s + from + incPr;
    }
    if (isX(tM)) {
        to.clear();
    } else if (isX(tm)) {
        to = u"<%1.0.0-0"_s.arg(inc(tM));
    } else if (isX(tp)) {
        to = u"<%1.%2.0-0"_s.arg(tM, inc(tm));
    } else if (!tpr.isEmpty()) {
        to = u"<=%1.%2.%3-%4"_s.arg(tM, tm, tp, tpr);
    } else if (includePrerelease) {
        to = u"<%1.%2.%3-0"_s.arg(tM, tm, inc(tp));
    } else {
        to = u"<="_s + to;
    }
    return QString(from + u' ' + to).trimmed();
}

QStringList splitSpaces(const QString &text)
{
    return text.split(regex(u"\\s+"_s), Qt::KeepEmptyParts);
}

} // namespace

namespace Trove::Npm {

std::optional<Version> Version::parse(QStringView text)
{
    if (text.size() > 256) {
        return std::nullopt;
    }
    const QRegularExpressionMatch m = regex(FullRe).match(text);
    if (!m.hasMatch()) {
        return std::nullopt;
    }
    Version version;
    bool ok = false;
    version.m_major = m.captured(1).toLongLong(&ok);
    if (!ok || version.m_major > MaxSafeInteger) {
        return std::nullopt;
    }
    version.m_minor = m.captured(2).toLongLong(&ok);
    if (!ok || version.m_minor > MaxSafeInteger) {
        return std::nullopt;
    }
    version.m_patch = m.captured(3).toLongLong(&ok);
    if (!ok || version.m_patch > MaxSafeInteger) {
        return std::nullopt;
    }
    if (m.hasCaptured(4) && !m.captured(4).isEmpty()) {
        version.m_prerelease = m.captured(4).split(u'.');
    }
    return version;
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
    if (m_prerelease.isEmpty() || other.m_prerelease.isEmpty()) {
        return m_prerelease.isEmpty() == other.m_prerelease.isEmpty() ? 0
            : m_prerelease.isEmpty()                                  ? 1
                                                                      : -1;
    }
    for (qsizetype i = 0;; ++i) {
        if (i >= m_prerelease.size() && i >= other.m_prerelease.size()) {
            return 0;
        }
        if (i >= m_prerelease.size()) {
            return -1;
        }
        if (i >= other.m_prerelease.size()) {
            return 1;
        }
        if (const int c = compareIdentifiers(m_prerelease.at(i), other.m_prerelease.at(i));
            c != 0) {
            return c;
        }
    }
}

QString Version::toString() const
{
    QString text = u"%1.%2.%3"_s.arg(m_major).arg(m_minor).arg(m_patch);
    if (!m_prerelease.isEmpty()) {
        text += u'-' + m_prerelease.join(u'.');
    }
    return text;
}

bool isValidVersion(const QString &version)
{
    return version.size() <= 256 && regex(StrictRe).match(version).hasMatch()
        && Version::parse(version).has_value();
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

std::optional<Range::ComparatorSet> Range::parseSet(const QString &input, bool includePrerelease)
{
    QString range = input;
    if (const QRegularExpressionMatch hyphen = regex(HyphenRe).match(range); hyphen.hasMatch()) {
        range = hyphenReplace(hyphen, includePrerelease);
    }
    range = replaceAll(range, ComparatorTrimRe, [](const QRegularExpressionMatch &m) -> QString {
        return m.captured(1) + m.captured(2) + m.captured(3);
    });
    range = replaceAll(range, TildeTrimRe, [](const QRegularExpressionMatch &m) -> QString {
        return m.captured(1) + u'~';
    });
    range = replaceAll(range, CaretTrimRe, [](const QRegularExpressionMatch &m) -> QString {
        return m.captured(1) + u'^';
    });

    QStringList parsed;
    for (const QString &comp : range.split(u' ')) {
        // parseComparator: carets, tildes, x-ranges, stars.
        QStringList parts;
        for (const QString &part : splitSpaces(comp.trimmed())) {
            parts.append(replaceCaret(part, includePrerelease));
        }
        QString step = parts.join(u' ');
        parts.clear();
        for (const QString &part : splitSpaces(step.trimmed())) {
            parts.append(replaceTilde(part, includePrerelease));
        }
        step = parts.join(u' ');
        parts.clear();
        for (const QString &part : splitSpaces(step)) {
            parts.append(replaceXRange(part, includePrerelease));
        }
        step = parts.join(u' ');
        step = step.trimmed().replace(regex(StarRe), QString());
        parsed.append(step);
    }
    QList<Comparator> comparators;
    QStringList seen;
    for (QString comp : splitSpaces(parsed.join(u' '))) {
        // >=0.0.0 is the same as *.
        if ((!includePrerelease && comp == u">=0.0.0"_s)
            || (includePrerelease && comp == u">=0.0.0-0"_s)) {
            comp.clear();
        }
        const QRegularExpressionMatch m = regex(ComparatorRe).match(comp);
        if (!m.hasMatch()) {
            return std::nullopt;
        }
        Comparator comparator;
        if (!comp.isEmpty()) {
            const QString op = m.captured(1);
            const std::optional<Version> version = Version::parse(m.captured(2));
            if (!version) {
                return std::nullopt;
            }
            comparator.version = *version;
            comparator.op = op == u"<"_s ? Comparator::Op::Less
                : op == u"<="_s          ? Comparator::Op::LessEqual
                : op == u">"_s           ? Comparator::Op::Greater
                : op == u">="_s          ? Comparator::Op::GreaterEqual
                                         : Comparator::Op::Equal;
            if (comparator.op == Comparator::Op::Less
                && comparator.version.toString() == u"0.0.0-0"_s) {
                return ComparatorSet{comparator}; // the null set
            }
        }
        const QString key =
            m.captured(1) + (comp.isEmpty() ? QString() : comparator.version.toString());
        if (!seen.contains(key)) {
            seen.append(key);
            comparators.append(comparator);
        }
    }
    if (comparators.size() > 1) {
        comparators.removeIf([](const Comparator &c) { return c.op == Comparator::Op::Any; });
    }
    return comparators;
}

std::optional<Range> Range::parse(QStringView text, bool includePrerelease)
{
    if (text.size() > 2048) {
        return std::nullopt;
    }
    const QString raw = text.toString().trimmed().split(regex(u"\\s+"_s)).join(u' ');
    Range range;
    range.m_includePrerelease = includePrerelease;
    for (const QString &part : raw.split(u"||"_s)) {
        const std::optional<ComparatorSet> set = parseSet(part.trimmed(), includePrerelease);
        if (!set) {
            return std::nullopt;
        }
        if (!set->isEmpty()) {
            range.m_sets.append(*set);
        }
    }
    if (range.m_sets.isEmpty()) {
        return std::nullopt;
    }
    if (range.m_sets.size() > 1) {
        const ComparatorSet first = range.m_sets.first();
        const auto isNull = [](const ComparatorSet &set) {
            return set.size() == 1 && set.first().op == Comparator::Op::Less
                && set.first().version.toString() == u"0.0.0-0"_s;
        };
        range.m_sets.removeIf(isNull);
        if (range.m_sets.isEmpty()) {
            range.m_sets = {first};
        } else if (range.m_sets.size() > 1) {
            for (const ComparatorSet &set : std::as_const(range.m_sets)) {
                if (set.size() == 1 && set.first().op == Comparator::Op::Any) {
                    range.m_sets = {set};
                    break;
                }
            }
        }
    }
    return range;
}

bool Range::satisfies(const Version &version) const
{
    for (const ComparatorSet &set : m_sets) {
        bool all = true;
        for (const Comparator &comparator : set) {
            all = all && comparator.test(version);
        }
        if (!all) {
            continue;
        }
        if (version.isPrerelease() && !m_includePrerelease) {
            bool allowed = false;
            for (const Comparator &comparator : set) {
                if (comparator.op != Comparator::Op::Any && comparator.version.isPrerelease()
                    && comparator.version.major() == version.major()
                    && comparator.version.minor() == version.minor()
                    && comparator.version.patch() == version.patch()) {
                    allowed = true;
                }
            }
            if (!allowed) {
                continue;
            }
        }
        return true;
    }
    return false;
}

bool Range::satisfies(QStringView version) const
{
    const std::optional<Version> parsed = Version::parse(version);
    return parsed && satisfies(*parsed);
}

QStringList sortVersions(const QStringList &versions)
{
    QList<std::pair<Version, QString>> parsed;
    for (const QString &text : versions) {
        if (const std::optional<Version> version = Version::parse(text)) {
            parsed.append({*version, text});
        }
    }
    std::stable_sort(parsed.begin(), parsed.end(), [](const auto &a, const auto &b) {
        return a.first < b.first;
    });
    QStringList sorted;
    for (const auto &[version, text] : parsed) {
        sorted.append(text);
    }
    return sorted;
}

std::optional<QString> maxSatisfying(const QStringList &versions, const Range &range)
{
    std::optional<QString> best;
    std::optional<Version> bestVersion;
    for (const QString &text : versions) {
        const std::optional<Version> version = Version::parse(text);
        if (version && range.satisfies(*version) && (!bestVersion || *bestVersion < *version)) {
            best = text;
            bestVersion = version;
        }
    }
    return best;
}

} // namespace Trove::Npm
