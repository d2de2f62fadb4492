// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "server/httpresponse.h"
#include "server/metadatacache.h"

#include <QJsonObject>
#include <QString>

// What the files of the npm API's requests (server/npm/) share.
namespace Trove::Http {

Response jsonObject(int status, const QJsonObject &object);
// GitLab's 400 for a missing parameter: {"message": "400 Bad request - M", "error": M}.
Response badRequest(const QString &message);

// A package document kept in `cache` under `key`, as the answer to a request that sent
// `ifNoneMatch` and accepts gzip or not: 304 when the client's copy is current, else the
// document (abbreviated: npm's install-v1 form).
Response documentResponse(MetadataCache &cache,
                          const QString &key,
                          const MetadataCache::Entry &entry,
                          const QByteArray &ifNoneMatch,
                          bool gzip,
                          bool abbreviated);

// The version in a tarball file name: GitLab's "<name>-<version>.tgz" (scope included) or the
// npmjs form "<bare name>-<version>.tgz". Empty when the file name is neither.
QString versionFromFileName(const QString &name, const QString &fileName);

} // namespace Trove::Http
