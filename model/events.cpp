// SPDX-License-Identifier: GPL-3.0-or-later
#include "model/events.h"

namespace Trove {

Events::Events(QObject *parent)
    : QObject(parent)
{
}

} // namespace Trove
