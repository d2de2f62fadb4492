// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

class QAbstractItemView;

// Opens `view`'s context menu from the keyboard: the Menu key (a Qt::ContextMenu event of reason
// Keyboard) and Shift+F10 (a shortcut while the view has the focus). The menu is asked for at the
// current item, in viewport coordinates, as a right click there would; with no current item, at
// the viewport's top left corner. The view must use Qt::CustomContextMenu.
void enableContextMenuKeys(QAbstractItemView *view);
