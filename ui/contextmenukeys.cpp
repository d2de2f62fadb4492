// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/contextmenukeys.h"

#include <QAbstractItemView>
#include <QContextMenuEvent>
#include <QKeySequence>
#include <QShortcut>

namespace {

void requestMenu(QAbstractItemView *view)
{
    QPoint pos(1, 1);
    if (const QModelIndex current = view->currentIndex(); current.isValid()) {
        view->scrollTo(current);
        const QRect rect = view->visualRect(current);
        // Just inside the cell's left edge: indexAt() of it is the current item, whatever the
        // column widths.
        pos = QPoint(rect.left() + std::min(8, rect.width() / 2), rect.center().y());
    }
    emit view->customContextMenuRequested(pos);
}

// The Menu key sends a keyboard context menu event to the view itself (not its viewport) at a
// point that names no item; it is turned into a request at the current item.
class MenuKeyFilter final : public QObject
{
public:
    using QObject::QObject;

    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (event->type() == QEvent::ContextMenu
            && static_cast<QContextMenuEvent *>(event)->reason() == QContextMenuEvent::Keyboard) {
            if (auto *view = qobject_cast<QAbstractItemView *>(watched)) {
                requestMenu(view);
                return true;
            }
        }
        return QObject::eventFilter(watched, event);
    }
};

} // namespace

void enableContextMenuKeys(QAbstractItemView *view)
{
    view->installEventFilter(new MenuKeyFilter(view));
    auto *shortcut = new QShortcut(QKeySequence(Qt::SHIFT | Qt::Key_F10), view);
    shortcut->setContext(Qt::WidgetWithChildrenShortcut);
    QObject::connect(shortcut, &QShortcut::activated, view, [view] { requestMenu(view); });
}
