// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDateTime>
#include <QVariant>

namespace Trove::StoreTime {

// Times are stored as milliseconds since the epoch, UTC (portable between SQLite and PostgreSQL).
inline QVariant toStored(const QDateTime &time)
{
    return time.isValid() ? QVariant(time.toMSecsSinceEpoch()) : QVariant();
}

inline QDateTime fromStored(const QVariant &value)
{
    if (value.isNull()) {
        return {};
    }
    return QDateTime::fromMSecsSinceEpoch(value.toLongLong(), Qt::UTC);
}

inline QDateTime now()
{
    return QDateTime::currentDateTimeUtc();
}

} // namespace Trove::StoreTime
