// SPDX-License-Identifier: GPL-3.0-or-later
// Fuzzes Trove::Npm::Version and Range (model/npm/semver.h). Input: UTF-8 lines, the first a
// range and the others versions, so the corpus stays readable ("^1.2.3\n1.2.4\n").
#include "model/npm/semver.h"

#include <QString>
#include <QStringList>

#include <cstddef>
#include <cstdint>

using Trove::Npm::Range;
using Trove::Npm::Version;

namespace {

int sign(int value)
{
    return (value > 0) - (value < 0);
}

// Properties every parsed version must have, whatever the text it came from.
void checkVersion(const Version &version)
{
    if (version.major() < 0 || version.minor() < 0 || version.patch() < 0) {
        __builtin_trap();
    }
    if (version.compare(version) != 0 || version.compareBuild(version) != 0) {
        __builtin_trap();
    }
    // toString() drops build metadata and any loose decoration: the strict parser must read it
    // back as an equal version.
    const std::optional<Version> again = Version::parse(version.toString());
    if (!again || again->compare(version) != 0 || again->toString() != version.toString()) {
        __builtin_trap();
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QString text =
        QString::fromUtf8(reinterpret_cast<const char *>(data), static_cast<qsizetype>(size));
    const QStringList lines = text.split(u'\n');
    const QString rangeText = lines.first();
    const QStringList versionTexts = lines.mid(1);

    QList<Version> versions;
    for (const QString &versionText : versionTexts) {
        const std::optional<Version> strict = Version::parse(versionText);
        if (strict.has_value() != Trove::Npm::isValidVersion(versionText)) {
            __builtin_trap();
        }
        const std::optional<Version> loose = Version::parse(versionText, true);
        // Loose reading only removes restrictions.
        if (strict && (!loose || loose->compareBuild(*strict) != 0)) {
            __builtin_trap();
        }
        if (loose) {
            checkVersion(*loose);
            versions.append(*loose);
        }
    }
    // Precedence is a total order: antisymmetric, and compare() agrees with compareBuild().
    for (const Version &a : std::as_const(versions)) {
        for (const Version &b : std::as_const(versions)) {
            if (sign(a.compare(b)) != -sign(b.compare(a))
                || sign(a.compareBuild(b)) != -sign(b.compareBuild(a))
                || (a.compare(b) != 0 && sign(a.compare(b)) != sign(a.compareBuild(b)))) {
                __builtin_trap();
            }
        }
    }

    const QStringList sorted = Trove::Npm::sortVersions(versionTexts);
    if (sorted.size() != versions.size()) {
        __builtin_trap();
    }
    for (qsizetype i = 1; i < sorted.size(); ++i) {
        const std::optional<Version> previous = Version::parse(sorted.at(i - 1), true);
        const std::optional<Version> current = Version::parse(sorted.at(i), true);
        if (!previous || !current || previous->compareBuild(*current) > 0) {
            __builtin_trap();
        }
    }

    const std::optional<Range> range = Range::parse(rangeText);
    if (!range) {
        return 0;
    }
    for (const bool includePrerelease : {false, true}) {
        for (const Version &version : std::as_const(versions)) {
            const bool matches = range->satisfies(version, includePrerelease);
            // includePrerelease only widens a range.
            if (!includePrerelease && matches && !range->satisfies(version, true)) {
                __builtin_trap();
            }
        }
        const std::optional<Version> best =
            Trove::Npm::maxSatisfying(versionTexts, *range, includePrerelease);
        if (best) {
            if (!range->satisfies(*best, includePrerelease)) {
                __builtin_trap();
            }
            for (const Version &version : std::as_const(versions)) {
                if (range->satisfies(version, includePrerelease) && best->compare(version) < 0) {
                    __builtin_trap();
                }
            }
        }
    }
    return 0;
}
