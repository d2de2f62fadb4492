// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/listenaddress.h"

using namespace Qt::StringLiterals;

bool parseListenAddress(const QString &text, QHostAddress *address, quint16 *port)
{
    const qsizetype colon = text.lastIndexOf(u':');
    if (colon <= 0) {
        return false;
    }
    QString host = text.left(colon);
    if (host.startsWith(u'[') && host.endsWith(u']')) {
        host = host.mid(1, host.size() - 2);
    }
    bool ok = false;
    const uint number = text.mid(colon + 1).toUInt(&ok);
    if (!ok || number > 65535) {
        return false;
    }
    if (host == u"localhost"_s) {
        host = u"127.0.0.1"_s;
    }
    if (!address->setAddress(host)) {
        return false;
    }
    *port = quint16(number);
    return true;
}
