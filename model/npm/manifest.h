// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QString>

namespace Trove::Npm {

// The package.json of a version as GitLab stores it: without the fields GitLab drops
// (PACKAGE_JSON_NOT_ALLOWED_FIELDS: readme, readmeFilename, licenseText, contributors, exports),
// and with hasInstallScript when it has an install-time script (npm's own marker).
QJsonObject strippedPackageJson(QJsonObject version);

// The one measure of a stored package.json against GitLab's 20,000-character limit: Unicode
// characters (code points) of the compact UTF-8 JSON, as GitLab counts a Ruby string's size.
qsizetype packageJsonCharacters(const QByteArray &compactJson);

// "sha512-<base64>", as npm writes dist.integrity, from a hex SHA-512 digest.
QString integrityOf(const QString &sha512Hex);

} // namespace Trove::Npm
