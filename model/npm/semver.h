// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>
#include <QString>
#include <QStringList>
#include <QStringView>

#include <optional>

namespace Trove::Npm {

// A semantic version with node-semver's precedence (build metadata ignored by compare()).
class Version
{
public:
    // Strict: exactly MAJOR.MINOR.PATCH[-pre][+build] (SemVer 2.0: no leading 'v', no leading
    // zeros, no spaces). Loose: like node-semver's clean(), surrounding whitespace and leading
    // 'v'/'=' characters are dropped first. Either way at most 256 characters and components
    // at most 2^53 - 1.
    static std::optional<Version> parse(QStringView text, bool loose = false);

    qint64 major() const { return m_major; }
    qint64 minor() const { return m_minor; }
    qint64 patch() const { return m_patch; }
    const QStringList &prerelease() const { return m_prerelease; }
    const QStringList &build() const { return m_build; }
    bool isPrerelease() const { return !m_prerelease.isEmpty(); }

    // <0, 0, >0 by SemVer precedence; build metadata is ignored.
    int compare(const Version &other) const;
    // compare(), then build metadata as a tie-break (node-semver's compareBuild; used to sort).
    int compareBuild(const Version &other) const;
    bool operator<(const Version &other) const { return compare(other) < 0; }
    bool operator==(const Version &other) const { return compare(other) == 0; }

    // "1.2.3-beta.1", without build metadata (node-semver's `version`).
    QString toString() const;

private:
    friend class Range;
    // node-semver's own `new SemVer(text)`: surrounding whitespace and one leading 'v'.
    static std::optional<Version> parseNodeDefault(QStringView text);

    qint64 m_major = 0;
    qint64 m_minor = 0;
    qint64 m_patch = 0;
    QStringList m_prerelease;
    QStringList m_build;
};

// What GitLab accepts at publish ("Validation failed: Version should follow SemVer:
// https://semver.org"): Version::parse(version) without `loose`.
bool isValidVersion(const QString &version);

// A node-semver range: `||`, hyphen ranges (`1.2 - 2`), x-ranges (`1.x`, `*`, ""), `^`, `~`, `~>`,
// the comparators `<`, `<=`, `>`, `>=`, `=`, partial versions, node-semver's whitespace rules.
// Both node-semver readings (with and without includePrerelease) are kept, so one parse serves
// both. Ranges longer than 2048 characters are refused (node-semver has no limit; no real range
// comes near it, and it bounds the work on untrusted input).
class Range
{
public:
    static std::optional<Range> parse(QStringView text);

    // node-semver's satisfies(): a prerelease version only matches a comparator set that names
    // a prerelease of the same [major, minor, patch], unless includePrerelease.
    bool satisfies(const Version &version, bool includePrerelease = false) const;

private:
    struct Comparator
    {
        enum class Op { Any, Less, LessEqual, Greater, GreaterEqual, Equal };
        Op op = Op::Any;
        Version version;
        bool test(const Version &candidate) const;
    };
    using ComparatorSet = QList<Comparator>;

    static std::optional<QList<ComparatorSet>> parseSets(const QString &range,
                                                         bool includePrerelease);
    static std::optional<ComparatorSet> parseSet(QString range, bool includePrerelease);

    QList<ComparatorSet> m_sets;
    QList<ComparatorSet> m_setsIncludingPrerelease;
};

// Ascending precedence (node-semver's sort(): compareBuild, stable); each string is read with
// Version::parse(text, true), and strings that are not versions are dropped.
QStringList sortVersions(QStringList versions);

// node-semver's maxSatisfying(): the highest version (first of equals) that satisfies `range`;
// versions are read with Version::parse(text, true).
std::optional<Version>
maxSatisfying(const QStringList &versions, const Range &range, bool includePrerelease = false);

} // namespace Trove::Npm
