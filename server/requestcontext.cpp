// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/requestcontext.h"

#include <QUrlQuery>

namespace Trove::Http {

QByteArray RequestContext::header(QByteArrayView name) const
{
    for (const auto &[key, value] : headers) {
        if (key.compare(name, Qt::CaseInsensitive) == 0) {
            return value;
        }
    }
    return {};
}

QString RequestContext::queryItem(const QString &name) const
{
    if (query.isEmpty()) {
        return {};
    }
    return QUrlQuery(QString::fromUtf8(query)).queryItemValue(name, QUrl::FullyDecoded);
}

} // namespace Trove::Http
