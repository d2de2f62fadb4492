// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "server/httpresponse.h"

#include <QJsonObject>
#include <QString>

// What the files of the npm API's requests (server/npm/) share.
namespace Trove::Http {

Response jsonObject(int status, const QJsonObject &object);

// The version in a tarball file name: GitLab's "<name>-<version>.tgz" (scope included) or the
// npmjs form "<bare name>-<version>.tgz". Empty when the file name is neither.
QString versionFromFileName(const QString &name, const QString &fileName);

} // namespace Trove::Http
