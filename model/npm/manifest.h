// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QJsonObject>

namespace Trove::Npm {

// The package.json of a version as GitLab stores it: without the fields GitLab drops
// (PACKAGE_JSON_NOT_ALLOWED_FIELDS: readme, readmeFilename, licenseText, contributors, exports),
// and with hasInstallScript when it has an install-time script (npm's own marker).
QJsonObject strippedPackageJson(QJsonObject version);

} // namespace Trove::Npm
