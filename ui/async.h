// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QFutureWatcher>
#include <QObject>
#include <QThreadPool>
#include <QtConcurrent>

#include <type_traits>

namespace Ui {

// Runs `work` on `pool` (the global pool when nullptr) and hands its result to `apply` on
// `context`'s thread, unless `context` is gone by then. The one way the window's widgets and
// dialogs read and write the store off the GUI thread.
template<typename Work, typename Apply>
void runAsync(QObject *context, QThreadPool *pool, Work work, Apply apply)
{
    using T = std::invoke_result_t<Work>;
    auto *watcher = new QFutureWatcher<T>(context);
    QObject::connect(watcher, &QFutureWatcherBase::finished, context, [watcher, apply] {
        apply(watcher->result());
        watcher->deleteLater();
    });
    watcher->setFuture(pool ? QtConcurrent::run(pool, std::move(work))
                            : QtConcurrent::run(std::move(work)));
}

} // namespace Ui
