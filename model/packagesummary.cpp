// SPDX-License-Identifier: GPL-3.0-or-later
#include "model/packagesummary.h"

namespace Trove {

QString PackageSummary::scope() const
{
    if (!name.startsWith(u'@')) {
        return {};
    }
    const qsizetype slash = name.indexOf(u'/');
    return slash < 0 ? QString() : name.mid(1, slash - 1);
}

} // namespace Trove
