// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDateTime>
#include <QMap>
#include <QMetaType>
#include <QString>
#include <QStringList>

namespace Trove {

// One row of the package list: one package name in one project, summarised over its versions.
struct PackageSummary
{
    qint64 projectId = 0;
    QString projectPath; // "acme/frontend/widgets"
    QString name; // "@acme/core"
    // The version the `latest` dist-tag points at; without that tag, the most recently
    // published version.
    QString latestVersion;
    QMap<QString, QString> distTags; // tag → version
    int versionCount = 0;
    int deprecatedVersionCount = 0;
    // The last change: a version published or deprecated, or a dist-tag moved.
    QDateTime updatedAt;
    QString publisher; // of the latest version
    // The latest version's description and keywords, for the window's filter.
    QString description;
    QStringList keywords;
    // Whether the latest version is deprecated. This is what npm itself reports for a name
    // (`npm view`, the npm website, the install warning for an unpinned install): `npm deprecate
    // pkg "msg"` marks every version, and a range deprecation that spares the latest leaves the
    // package usable. deprecatedVersionCount tells the partial case apart.
    bool deprecated = false;

    // The scope without '@' ("acme" for "@acme/core"), empty for an unscoped name.
    QString scope() const;
    bool operator==(const PackageSummary &other) const = default;
};

} // namespace Trove

Q_DECLARE_METATYPE(Trove::PackageSummary)
