// SPDX-License-Identifier: GPL-3.0-or-later
// Trove's semver against node-semver itself: tests/data/semver-cases.json was produced by running
// node-semver on every range × version (the command is in generate-semver-cases.mjs).

#include "model/npm/semver.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Trove::Npm;

class tst_Semver : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void oracleSatisfies();
    void oracleValid();
    void oracleSorted();
    void strictVersionsForPublish_data();
    void strictVersionsForPublish();
    void precedence_data();
    void precedence();

private:
    QJsonObject m_cases;
};

void tst_Semver::initTestCase()
{
    QFile file(QStringLiteral(TROVE_SOURCE_DIR "/tests/data/semver-cases.json"));
    QVERIFY(file.open(QIODevice::ReadOnly));
    m_cases = QJsonDocument::fromJson(file.readAll()).object();
    QVERIFY(m_cases.value(u"satisfies"_s).toArray().size() > 5000);
}

void tst_Semver::oracleSatisfies()
{
    // One loop rather than 7,000 data rows; every disagreement is listed before failing.
    QStringList disagreements;
    const QJsonArray cases = m_cases.value(u"satisfies"_s).toArray();
    for (const QJsonValue &value : cases) {
        const QJsonObject c = value.toObject();
        const QString range = c.value(u"range"_s).toString();
        const QString version = c.value(u"version"_s).toString();
        const bool includePrerelease = c.value(u"includePrerelease"_s).toBool();
        const std::optional<Range> parsed = Range::parse(range, includePrerelease);
        if (parsed.has_value() != c.value(u"valid"_s).toBool()) {
            disagreements.append(
                u"range \"%1\" valid: node says %2"_s.arg(range).arg(c.value(u"valid"_s).toBool()));
            continue;
        }
        if (parsed && parsed->satisfies(version) != c.value(u"satisfies"_s).toBool()) {
            disagreements.append(u"\"%1\" satisfies \"%2\"%3: node says %4"_s.arg(
                version,
                range,
                includePrerelease ? u" (includePrerelease)"_s : QString(),
                c.value(u"satisfies"_s).toBool() ? u"yes"_s : u"no"_s));
        }
    }
    disagreements.removeDuplicates();
    QVERIFY2(disagreements.isEmpty(),
             qPrintable(u"%1 disagreements, e.g.\n"_s.arg(disagreements.size())
                        + disagreements.mid(0, 20).join(u'\n')));
}

void tst_Semver::oracleValid()
{
    for (const QJsonValue &value : m_cases.value(u"valid"_s).toArray()) {
        const QJsonObject c = value.toObject();
        QVERIFY2(Version::parse(c.value(u"version"_s).toString()).has_value()
                     == c.value(u"valid"_s).toBool(),
                 qPrintable(c.value(u"version"_s).toString()));
    }
}

void tst_Semver::oracleSorted()
{
    QStringList expected;
    for (const QJsonValue &value : m_cases.value(u"sorted"_s).toArray()) {
        expected.append(value.toString());
    }
    QStringList shuffled = expected;
    std::reverse(shuffled.begin(), shuffled.end());
    const QStringList sorted = sortVersions(shuffled);
    // Equal precedence (build metadata, a leading v) may come in either order.
    QCOMPARE(sorted.size(), expected.size());
    for (qsizetype i = 0; i < sorted.size(); ++i) {
        QCOMPARE(Version::parse(sorted.at(i))->compare(*Version::parse(expected.at(i))), 0);
    }
}

void tst_Semver::strictVersionsForPublish_data()
{
    QTest::addColumn<QString>("version");
    QTest::addColumn<bool>("valid");
    // GitLab's SemVer rule (npm-protocol.md §4.3).
    QTest::newRow("plain") << u"1.2.3"_s << true;
    QTest::newRow("prerelease and build") << u"1.0.0-rc.1+build.5"_s << true;
    QTest::newRow("leading v") << u"v1.2.3"_s << false;
    QTest::newRow("one part") << u"1"_s << false;
    QTest::newRow("two parts") << u"1.2"_s << false;
    QTest::newRow("slash") << u"1./2.3"_s << false;
    QTest::newRow("traversal") << u"../../../../../1.2.3"_s << false;
    QTest::newRow("encoded traversal") << u"%2e%2e%2f1.2.3"_s << false;
    QTest::newRow("leading zero") << u"01.2.3"_s << false;
    QTest::newRow("space") << u" 1.2.3"_s << false;
}

void tst_Semver::strictVersionsForPublish()
{
    QFETCH(QString, version);
    QFETCH(bool, valid);
    QCOMPARE(isValidVersion(version), valid);
}

void tst_Semver::precedence_data()
{
    QTest::addColumn<QString>("lower");
    QTest::addColumn<QString>("higher");
    // The examples of semver.org §11.
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
}

void tst_Semver::precedence()
{
    QFETCH(QString, lower);
    QFETCH(QString, higher);
    QVERIFY(*Version::parse(lower) < *Version::parse(higher));
    QVERIFY(!(*Version::parse(higher) < *Version::parse(lower)));
}

QTEST_GUILESS_MAIN(tst_Semver)
#include "tst_semver.moc"
