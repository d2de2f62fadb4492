// SPDX-License-Identifier: GPL-3.0-or-later
// Trove's semver against node-semver itself: tests/data/semver-cases.json holds node-semver's
// answers (the command that made it is in tests/data/generate-semver-cases.mjs), followed by
// hand-written rows that document the rules.

#include "model/npm/semver.h"

#include <QFile>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Trove::Npm;

namespace {

int sign(int value)
{
    return value < 0 ? -1 : (value > 0 ? 1 : 0);
}

QString describe(const std::optional<Version> &version)
{
    return version ? version->toString() : u"(none)"_s;
}

} // namespace

class tst_Semver : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void oracleRanges();
    void oracleSatisfies();
    void oracleVersions();
    void oracleCompare();
    void oracleSorted();
    void strictVersionsForPublish_data();
    void strictVersionsForPublish();
    void looseVersions_data();
    void looseVersions();
    void precedence_data();
    void precedence();
    void satisfies_data();
    void satisfies();
    void invalidRanges_data();
    void invalidRanges();
    void maxSatisfying_data();
    void maxSatisfying();

private:
    QJsonArray cases(const QString &section) const { return m_cases.value(section).toArray(); }

    QJsonObject m_cases;
    // Whether node-semver's `new SemVer(text)` accepts each version of the oracle.
    QHash<QString, bool> m_nodeValid;
};

void tst_Semver::initTestCase()
{
    QFile file(QStringLiteral(TROVE_SOURCE_DIR "/tests/data/semver-cases.json"));
    QVERIFY(file.open(QIODevice::ReadOnly));
    QJsonParseError error;
    m_cases = QJsonDocument::fromJson(file.readAll(), &error).object();
    QVERIFY2(error.error == QJsonParseError::NoError, qPrintable(error.errorString()));
    QVERIFY(cases(u"satisfies"_s).size() > 10000);
    for (const QJsonValue &value : cases(u"versions"_s)) {
        const QJsonObject c = value.toObject();
        m_nodeValid.insert(c.value(u"version"_s).toString(), c.value(u"valid"_s).toBool());
    }
    qInfo("Oracle: %s, %lld ranges, %lld versions, %lld comparisons, %lld satisfies cases",
          qPrintable(m_cases.value(u"oracle"_s).toString()),
          qlonglong(cases(u"ranges"_s).size()),
          qlonglong(cases(u"versions"_s).size()),
          qlonglong(cases(u"compare"_s).size()),
          qlonglong(cases(u"satisfies"_s).size()));
}

void tst_Semver::oracleRanges()
{
    QStringList disagreements;
    for (const QJsonValue &value : cases(u"ranges"_s)) {
        const QJsonObject c = value.toObject();
        const QString range = c.value(u"range"_s).toString();
        const bool valid = c.value(u"valid"_s).toBool();
        if (Range::parse(range).has_value() != valid) {
            disagreements.append(
                u"range \"%1\": node says %2"_s.arg(range, valid ? u"valid"_s : u"invalid"_s));
        }
    }
    QVERIFY2(disagreements.isEmpty(), qPrintable(disagreements.join(u'\n')));
}

void tst_Semver::oracleSatisfies()
{
    // One loop rather than 17,000 data rows; every disagreement is listed before failing.
    QStringList disagreements;
    QHash<QString, std::optional<Range>> ranges;
    for (const QJsonValue &value : cases(u"satisfies"_s)) {
        const QJsonObject c = value.toObject();
        const QString rangeText = c.value(u"range"_s).toString();
        const QString versionText = c.value(u"version"_s).toString();
        const bool includePrerelease = c.value(u"includePrerelease"_s).toBool();
        const bool expected = c.value(u"satisfies"_s).toBool();
        auto range = ranges.find(rangeText);
        if (range == ranges.end()) {
            range = ranges.insert(rangeText, Range::parse(rangeText));
        }
        if (!range->has_value()) {
            disagreements.append(u"range \"%1\" refused"_s.arg(rangeText));
            continue;
        }
        QVERIFY2(m_nodeValid.contains(versionText), qPrintable(versionText));
        // node-semver reads a version string as `new SemVer(text)`; what it refuses satisfies
        // nothing. What it accepts reads the same with Version::parse(text, true).
        bool actual = false;
        if (m_nodeValid.value(versionText)) {
            const std::optional<Version> version = Version::parse(versionText, true);
            QVERIFY2(version, qPrintable(versionText));
            actual = (*range)->satisfies(*version, includePrerelease);
        }
        if (actual != expected) {
            disagreements.append(u"\"%1\" satisfies \"%2\"%3: node says %4"_s.arg(
                versionText,
                rangeText,
                includePrerelease ? u" (includePrerelease)"_s : QString(),
                expected ? u"yes"_s : u"no"_s));
        }
    }
    disagreements.removeDuplicates();
    QVERIFY2(disagreements.isEmpty(),
             qPrintable(u"%1 disagreements, e.g.\n"_s.arg(disagreements.size())
                        + disagreements.mid(0, 30).join(u'\n')));
}

void tst_Semver::oracleVersions()
{
    QStringList disagreements;
    for (const QJsonValue &value : cases(u"versions"_s)) {
        const QJsonObject c = value.toObject();
        const QString text = c.value(u"version"_s).toString();
        const bool strict = c.value(u"strict"_s).toBool();
        const QJsonValue clean = c.value(u"clean"_s);
        if (isValidVersion(text) != strict) {
            disagreements.append(u"\"%1\" strict: expected %2"_s.arg(text).arg(strict));
        }
        const std::optional<Version> loose = Version::parse(text, true);
        const QString expectedClean = clean.isNull() ? u"(none)"_s : clean.toString();
        if (describe(loose) != expectedClean) {
            disagreements.append(
                u"\"%1\" loose: %2, clean() says %3"_s.arg(text, describe(loose), expectedClean));
        }
        if (c.value(u"valid"_s).toBool() && !loose) {
            disagreements.append(u"\"%1\" is valid for node-semver but not loose"_s.arg(text));
        }
    }
    QVERIFY2(disagreements.isEmpty(), qPrintable(disagreements.join(u'\n')));
}

void tst_Semver::oracleCompare()
{
    QStringList disagreements;
    for (const QJsonValue &value : cases(u"compare"_s)) {
        const QJsonObject c = value.toObject();
        const QString a = c.value(u"a"_s).toString();
        const QString b = c.value(u"b"_s).toString();
        const std::optional<Version> x = Version::parse(a);
        const std::optional<Version> y = Version::parse(b);
        QVERIFY2(x && y, qPrintable(a + u" / "_s + b));
        const int compare = c.value(u"compare"_s).toInt();
        const int compareBuild = c.value(u"compareBuild"_s).toInt();
        if (sign(x->compare(*y)) != compare || sign(y->compare(*x)) != -compare
            || sign(x->compareBuild(*y)) != compareBuild
            || sign(y->compareBuild(*x)) != -compareBuild || x->compare(*x) != 0) {
            disagreements.append(u"%1 vs %2: node says %3 (build %4), Trove %5 (build %6)"_s.arg(
                a,
                b,
                QString::number(compare),
                QString::number(compareBuild),
                QString::number(sign(x->compare(*y))),
                QString::number(sign(x->compareBuild(*y)))));
        }
    }
    QVERIFY2(disagreements.isEmpty(), qPrintable(disagreements.join(u'\n')));
}

void tst_Semver::oracleSorted()
{
    QStringList expected;
    for (const QJsonValue &value : m_cases.value(u"sorted"_s).toArray()) {
        expected.append(value.toString());
    }
    QStringList input;
    for (const QJsonValue &value : cases(u"versions"_s)) {
        if (value.toObject().value(u"valid"_s).toBool()) {
            input.append(value.toObject().value(u"version"_s).toString());
        }
    }
    // node-semver's sort is stable, so from the same input order the result is identical.
    QCOMPARE(sortVersions(input), expected);

    // From another order, equal versions ("1.2.3", "v1.2.3") may swap.
    std::reverse(input.begin(), input.end());
    input.append(u"not a version"_s);
    const QStringList sorted = sortVersions(input);
    QCOMPARE(sorted.size(), expected.size());
    for (qsizetype i = 0; i < sorted.size(); ++i) {
        QCOMPARE(
            Version::parse(sorted.at(i), true)->compareBuild(*Version::parse(expected.at(i), true)),
            0);
    }
}

void tst_Semver::strictVersionsForPublish_data()
{
    QTest::addColumn<QString>("version");
    QTest::addColumn<bool>("valid");
    // GitLab's SemVer rule (docs/npm-api.md §5.3).
    QTest::addRow("plain") << u"1.2.3"_s << true;
    QTest::addRow("prerelease and build") << u"1.0.0-rc.1+build.5"_s << true;
    QTest::addRow("largest safe integer") << u"9007199254740991.0.0"_s << true;
    QTest::addRow("above the largest safe integer") << u"9007199254740992.0.0"_s << false;
    QTest::addRow("leading v") << u"v1.2.3"_s << false;
    QTest::addRow("leading =") << u"=1.2.3"_s << false;
    QTest::addRow("one part") << u"1"_s << false;
    QTest::addRow("two parts") << u"1.2"_s << false;
    QTest::addRow("four parts") << u"1.2.3.4"_s << false;
    QTest::addRow("slash") << u"1./2.3"_s << false;
    QTest::addRow("traversal") << u"../../../../../1.2.3"_s << false;
    QTest::addRow("encoded traversal") << u"%2e%2e%2f1.2.3"_s << false;
    QTest::addRow("leading zero") << u"01.2.3"_s << false;
    QTest::addRow("leading zero in a numeric prerelease") << u"1.2.3-01"_s << false;
    QTest::addRow("leading space") << u" 1.2.3"_s << false;
    QTest::addRow("trailing newline") << u"1.2.3\n"_s << false;
    QTest::addRow("empty prerelease") << u"1.2.3-"_s << false;
    QTest::addRow("empty") << QString() << false;
    QTest::addRow("257 characters") << u"1.2.3-"_s + QString(251, u'a') << false;
}

void tst_Semver::strictVersionsForPublish()
{
    QFETCH(QString, version);
    QFETCH(bool, valid);
    QCOMPARE(isValidVersion(version), valid);
    QCOMPARE(Version::parse(version).has_value(), valid);
}

void tst_Semver::looseVersions_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("expected");
    QTest::addRow("leading v") << u"v1.2.3"_s << u"1.2.3"_s;
    QTest::addRow("leading =") << u"=1.2.3"_s << u"1.2.3"_s;
    QTest::addRow("several prefixes") << u"=v=1.2.3"_s << u"1.2.3"_s;
    QTest::addRow("spaces around") << u"  1.2.3-beta  "_s << u"1.2.3-beta"_s;
    QTest::addRow("build dropped from the text") << u"1.2.3+b.1"_s << u"1.2.3"_s;
    QTest::addRow("upper-case V") << u"V1.2.3"_s << QString();
    QTest::addRow("leading zero") << u"01.2.3"_s << QString();
    QTest::addRow("partial") << u"1.2"_s << QString();
}

void tst_Semver::looseVersions()
{
    QFETCH(QString, text);
    QFETCH(QString, expected);
    const std::optional<Version> version = Version::parse(text, true);
    QCOMPARE(version ? version->toString() : QString(), expected);
}

void tst_Semver::precedence_data()
{
    QTest::addColumn<QString>("lower");
    QTest::addColumn<QString>("higher");
    // The examples of semver.org §11, then numeric against alphanumeric identifiers.
    const QStringList chain = {u"1.0.0-alpha"_s,
                               u"1.0.0-alpha.1"_s,
                               u"1.0.0-alpha.beta"_s,
                               u"1.0.0-beta"_s,
                               u"1.0.0-beta.2"_s,
                               u"1.0.0-beta.11"_s,
                               u"1.0.0-rc.1"_s,
                               u"1.0.0"_s,
                               u"2.0.0"_s,
                               u"2.1.0"_s,
                               u"2.1.1"_s};
    for (qsizetype i = 0; i + 1 < chain.size(); ++i) {
        QTest::addRow("%s < %s", qPrintable(chain.at(i)), qPrintable(chain.at(i + 1)))
            << chain.at(i) << chain.at(i + 1);
    }
    QTest::addRow("numeric below alphanumeric") << u"1.0.0-9"_s << u"1.0.0-a"_s;
    QTest::addRow("numbers compare as numbers") << u"1.0.0-9"_s << u"1.0.0-10"_s;
    QTest::addRow("upper case below lower case") << u"1.0.0-Z"_s << u"1.0.0-a"_s;
    // node-semver compares them as JavaScript numbers (doubles): 2^64 < 2^65.
    QTest::addRow("numbers beyond 64 bits")
        << u"1.0.0-18446744073709551616"_s << u"1.0.0-36893488147419103232"_s;
}

void tst_Semver::precedence()
{
    QFETCH(QString, lower);
    QFETCH(QString, higher);
    const std::optional<Version> low = Version::parse(lower);
    const std::optional<Version> high = Version::parse(higher);
    QVERIFY(low && high);
    QVERIFY(*low < *high);
    QVERIFY(!(*high < *low));
    QCOMPARE(low->compare(*high), -1);
    QCOMPARE(high->compare(*low), 1);
}

void tst_Semver::satisfies_data()
{
    QTest::addColumn<QString>("range");
    QTest::addColumn<QString>("version");
    QTest::addColumn<bool>("includePrerelease");
    QTest::addColumn<bool>("expected");
    QTest::addRow("caret keeps the major") << u"^1.2.3"_s << u"1.9.0"_s << false << true;
    QTest::addRow("caret stops at the next major") << u"^1.2.3"_s << u"2.0.0"_s << false << false;
    QTest::addRow("caret on 0.0.x is exact") << u"^0.0.1"_s << u"0.0.2"_s << false << false;
    QTest::addRow("caret on 0.x keeps the minor") << u"^0.x"_s << u"0.9.9"_s << false << true;
    QTest::addRow("tilde on a major") << u"~1"_s << u"1.9.9"_s << false << true;
    QTest::addRow("tilde keeps the minor") << u"~1.2.3"_s << u"1.3.0"_s << false << false;
    QTest::addRow("~> is tilde") << u"~> 1.2"_s << u"1.2.9"_s << false << true;
    QTest::addRow("hyphen with a partial end") << u"1.2.3 - 2.3"_s << u"2.3.9"_s << false << true;
    QTest::addRow("hyphen end is inclusive") << u"1.2.3 - 2.3.4"_s << u"2.3.4"_s << false << true;
    QTest::addRow("prerelease of the named tuple")
        << u">=1.2.3-alpha <1.2.4"_s << u"1.2.3-beta"_s << false << true;
    QTest::addRow("prerelease of another tuple")
        << u">=1.2.3-alpha <1.3.0"_s << u"1.2.4-beta"_s << false << false;
    QTest::addRow("prerelease with includePrerelease")
        << u">=1.2.3-alpha <1.3.0"_s << u"1.2.4-beta"_s << true << true;
    QTest::addRow("x-range skips prereleases") << u"1.x"_s << u"1.5.0-beta"_s << false << false;
    QTest::addRow("x-range with includePrerelease") << u"1.x"_s << u"1.0.0-0"_s << true << true;
    QTest::addRow("below the first prerelease") << u"<1.0.0-0"_s << u"0.9.0"_s << false << true;
    QTest::addRow("empty range is any") << QString() << u"3.0.0"_s << false << true;
    QTest::addRow("star does not take prereleases") << u"*"_s << u"3.0.0-rc.1"_s << false << false;
    QTest::addRow("a trailing || makes any") << u"1.2.3 ||"_s << u"9.0.0"_s << false << true;
    QTest::addRow("<0.0.0-0 matches nothing") << u"<0.0.0-0"_s << u"0.0.0-0"_s << true << false;
    QTest::addRow("build metadata ignored") << u"1.2.3"_s << u"1.2.3+b"_s << false << true;
    QTest::addRow("no-break space is whitespace")
        << u"\u00a0^1.2.3"_s << u"1.4.0"_s << false << true;
}

void tst_Semver::satisfies()
{
    QFETCH(QString, range);
    QFETCH(QString, version);
    QFETCH(bool, includePrerelease);
    QFETCH(bool, expected);
    const std::optional<Range> parsed = Range::parse(range);
    QVERIFY(parsed);
    const std::optional<Version> parsedVersion = Version::parse(version, true);
    QVERIFY(parsedVersion);
    QCOMPARE(parsed->satisfies(*parsedVersion, includePrerelease), expected);
}

void tst_Semver::invalidRanges_data()
{
    QTest::addColumn<QString>("range");
    QTest::addRow("a dist-tag") << u"latest"_s;
    QTest::addRow("x before a number") << u"x.1"_s;
    QTest::addRow("two stars") << u"**"_s;
    QTest::addRow("bound beyond 2^53") << u"^9007199254740991.0.0"_s;
    QTest::addRow("null set with garbage") << u"<0.0.0-0 garbage"_s;
    QTest::addRow("doubled operator") << u">>1"_s;
    QTest::addRow("longer than 2048 characters") << QString(1025, u'1').replace(u"1"_s, u"1 "_s);
}

void tst_Semver::invalidRanges()
{
    QFETCH(QString, range);
    QVERIFY(!Range::parse(range));
}

void tst_Semver::maxSatisfying_data()
{
    QTest::addColumn<QStringList>("versions");
    QTest::addColumn<QString>("range");
    QTest::addColumn<QString>("expected");
    const QStringList versions = {
        u"1.0.0"_s, u"1.2.0"_s, u"1.3.0-beta"_s, u"2.0.0"_s, u"junk"_s, u"v1.2.5"_s};
    QTest::addRow("caret") << versions << u"^1.0.0"_s << u"1.2.5"_s;
    QTest::addRow("nothing") << versions << u">3"_s << QString();
    QTest::addRow("any") << versions << u"*"_s << u"2.0.0"_s;
}

void tst_Semver::maxSatisfying()
{
    QFETCH(QStringList, versions);
    QFETCH(QString, range);
    QFETCH(QString, expected);
    const std::optional<Range> parsed = Range::parse(range);
    QVERIFY(parsed);
    const std::optional<Version> best = Trove::Npm::maxSatisfying(versions, *parsed);
    QCOMPARE(best ? best->toString() : QString(), expected);
}

QTEST_GUILESS_MAIN(tst_Semver)
#include "tst_semver.moc"
