// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "model/actor.h"
#include "model/domain.h"
#include "model/result.h"
#include "model/services/packageservice.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

namespace Trove {

class Database;

// What the window's publish sheet says about one .tgz before it is published to a project:
// read off the GUI thread by preflightTarball(). The checks are the server's (name, version,
// duplicates, GitLab's naming convention); publishing still runs every one of them again.
struct TarballPreflight
{
    QString file; // where it came from
    QByteArray tarball;
    QString name;
    QString version;
    QByteArray packageJson; // stripped, compact: what the store keeps
    int fileCount = 0;
    qint64 unpackedSize = 0;
    QStringList installScripts; // preinstall, install, postinstall
    // Why it cannot be published to the project (not a tarball, bad name or version, the
    // version exists): empty when it can.
    QString problem;
    // Not a refusal: the scope is not the project's top-level group, so GitLab's naming
    // convention (and instance-level installs) will not find it by scope.
    QString warning;

    bool publishable() const { return problem.isEmpty(); }
};

TarballPreflight preflightTarball(const Database &database,
                                  const Project &project,
                                  const QString &file,
                                  const QByteArray &tarball);

// The request that publishes a checked tarball, as `publisher`, with `distTag`.
PackageService::PublishRequest publishRequest(const TarballPreflight &preflight,
                                              qint64 projectId,
                                              const QString &distTag,
                                              const Actor &publisher);

} // namespace Trove
