// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/npm/common.h"

#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace Trove::Http {

Response jsonObject(int status, const QJsonObject &object)
{
    return Response::json(status, QJsonDocument(object).toJson(QJsonDocument::Compact));
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
