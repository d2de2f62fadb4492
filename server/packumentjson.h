// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "model/domain.h"

#include <QByteArray>
#include <QMap>
#include <QString>

namespace Trove::Http {

// The npm package document (packument) for one name, as GitLab serves it plus what the clients
// use and GitLab leaves out: `time`, `modified`, `dist.integrity` and the abbreviated field list
// (docs/npm-api.md §4).
struct PackumentInput
{
    QString name;
    QList<Package> versions; // one package per version (the winner across projects)
    QMap<QString, QString> distTags; // tag → version; `latest` is added when missing
    QString baseUrl; // "http://host:port", no trailing slash
};

QByteArray renderPackument(const PackumentInput &input, bool abbreviated);

// dist-tags with `latest` synthesized as the highest version when missing.
QMap<QString, QString> completeDistTags(const QMap<QString, QString> &tags,
                                        const QList<Package> &versions);

// <base>/api/v4/projects/<id>/packages/npm/<name>/-/<name>-<version>.tgz, GitLab's form.
QString tarballUrl(const QString &baseUrl, const Package &package);

QString isoTime(const QDateTime &time);

} // namespace Trove::Http
