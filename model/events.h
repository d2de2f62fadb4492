// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QObject>
#include <QString>

namespace Trove {

// Change events, emitted by the services after their transaction committed. Listeners in other
// threads connect with a context object (queued), e.g. the window's item models and the server's
// metadata cache. Writes by another process (the command line) are not seen here; readers that
// cache check the database's change stamp as well (Database::changeStamp(), StoreWatcher).
class Events final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Events)

public:
    explicit Events(QObject *parent = nullptr);

signals:
    void namespacesChanged();
    void usersChanged();
    void tokensChanged();
    void settingsChanged();
    // A version was published, deprecated, unpublished, or a dist-tag of the name moved.
    void packageChanged(qint64 projectId, const QString &packageName);
};

} // namespace Trove
