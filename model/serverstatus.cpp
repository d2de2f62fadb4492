// SPDX-License-Identifier: GPL-3.0-or-later
#include "model/serverstatus.h"

using namespace Qt::StringLiterals;

namespace Trove {

QString ServerStatus::url() const
{
    return (tls ? u"https://%1:%2/"_s : u"http://%1:%2/"_s).arg(host).arg(port);
}

} // namespace Trove
