// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/npm/common.h"

#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace Trove::Http {

Response jsonObject(int status, const QJsonObject &object)
{
    return Response::json(status, QJsonDocument(object).toJson(QJsonDocument::Compact));
}

Response badRequest(const QString &message)
{
    return jsonObject(
        400, {{u"message"_s, QString(u"400 Bad request - "_s + message)}, {u"error"_s, message}});
}

Response documentResponse(MetadataCache &cache,
                          const QString &key,
                          const MetadataCache::Entry &entry,
                          const QByteArray &ifNoneMatch,
                          bool gzip,
                          bool abbreviated)
{
    if (ifNoneMatch == entry.etag) {
        Response notModified = Response::empty(304);
        notModified.setHeader("ETag", entry.etag);
        return notModified;
    }
    Response response = Response::json(200, gzip ? cache.gzipOf(key, entry) : entry.body);
    if (gzip) {
        response.setHeader("Content-Encoding", "gzip");
    }
    if (abbreviated) {
        response.setHeader("Content-Type", "application/vnd.npm.install-v1+json");
    }
    response.setHeader("ETag", entry.etag);
    response.setHeader("Cache-Control", "no-cache");
    response.setHeader("Vary", "Accept, Accept-Encoding, Authorization");
    return response;
}

QString versionFromFileName(const QString &name, const QString &fileName)
{
    if (!fileName.endsWith(u".tgz"_s)) {
        return {};
    }
    const QString stem = fileName.chopped(4);
    const QString bare = name.section(u'/', -1);
    for (const QString &prefix : {QString(name + u'-'), QString(bare + u'-')}) {
        if (stem.startsWith(prefix) && stem.size() > prefix.size()) {
            return stem.mid(prefix.size());
        }
    }
    return {};
}

} // namespace Trove::Http
