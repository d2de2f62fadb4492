// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace Trove::Npm {

// A semantic version with node-semver's precedence (build metadata ignored).
class Version
{
public:
    // node-semver's non-loose parse: surrounding spaces and a leading 'v' or '=' are accepted.
    // Components above 2^53 - 1 are refused.
    static std::optional<Version> parse(QStringView text);

    qint64 major() const { return m_major; }
    qint64 minor() const { return m_minor; }
    qint64 patch() const { return m_patch; }
    const QStringList &prerelease() const { return m_prerelease; }
    bool isPrerelease() const { return !m_prerelease.isEmpty(); }

    // <0, 0, >0.
    int compare(const Version &other) const;
    bool operator<(const Version &other) const { return compare(other) < 0; }
    bool operator==(const Version &other) const { return compare(other) == 0; }

    // "1.2.3-beta.1" (no build metadata).
    QString toString() const;

private:
    qint64 m_major = 0;
    qint64 m_minor = 0;
    qint64 m_patch = 0;
    QStringList m_prerelease;
};

// What GitLab accepts at publish: strict MAJOR.MINOR.PATCH[-pre][+build], no leading 'v'.
bool isValidVersion(const QString &version);

// A node-semver range: `||`, hyphen ranges, x-ranges, `~`, `^`, comparators, partial versions.
class Range
{
public:
    static std::optional<Range> parse(QStringView text, bool includePrerelease = false);

    // node-semver's satisfies(): a prerelease only matches a comparator set that names a
    // prerelease of the same [major, minor, patch], unless includePrerelease.
    bool satisfies(const Version &version) const;
    bool satisfies(QStringView version) const;

private:
    struct Comparator
    {
        enum class Op { Any, Less, LessEqual, Greater, GreaterEqual, Equal };
        Op op = Op::Any;
        Version version;
        bool test(const Version &candidate) const;
    };
    using ComparatorSet = QList<Comparator>;

    static std::optional<ComparatorSet> parseSet(const QString &text, bool includePrerelease);

    QList<ComparatorSet> m_sets;
    bool m_includePrerelease = false;
};

// Ascending precedence; strings that are not versions are dropped.
QStringList sortVersions(const QStringList &versions);
// The highest version satisfying the range, if any.
std::optional<QString> maxSatisfying(const QStringList &versions, const Range &range);

} // namespace Trove::Npm
