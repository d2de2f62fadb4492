// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/versionview.h"

#include "model/itemmodels/versiontablemodel.h"

#include <QApplication>
#include <QDrag>
#include <QDragEnterEvent>
#include <QHeaderView>
#include <QMimeData>
#include <QMouseEvent>
#include <QPainter>

using namespace Qt::StringLiterals;
using Trove::VersionTableModel;

namespace {

constexpr int ChipPadding = 5;
constexpr int ChipGap = 4;

} // namespace

QList<QRect>
TagChipDelegate::chipRects(const QRect &cell, const QFontMetrics &metrics, const QStringList &tags)
{
    QList<QRect> rects;
    int x = cell.left() + 2;
    const int height = std::min(cell.height() - 2, metrics.height() + 2);
    const int top = cell.top() + (cell.height() - height) / 2;
    for (const QString &tag : tags) {
        const int width = metrics.horizontalAdvance(tag) + 2 * ChipPadding;
        rects.append(QRect(x, top, width, height));
        x += width + ChipGap;
    }
    return rects;
}

void TagChipDelegate::paint(QPainter *painter,
                            const QStyleOptionViewItem &option,
                            const QModelIndex &index) const
{
    const QStringList tags = index.data(VersionTableModel::TagNamesRole).toStringList();
    QStyleOptionViewItem base = option;
    initStyleOption(&base, index);
    base.text.clear();
    QApplication::style()->drawControl(QStyle::CE_ItemViewItem, &base, painter, base.widget);
    if (tags.isEmpty()) {
        return;
    }
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    const bool selected = option.state & QStyle::State_Selected;
    const QPalette &palette = option.palette;
    const QList<QRect> rects = chipRects(option.rect, option.fontMetrics, tags);
    for (qsizetype i = 0; i < tags.size(); ++i) {
        const QRectF rect = QRectF(rects.at(i)).adjusted(0.5, 0.5, -0.5, -0.5);
        painter->setPen(QPen(selected ? palette.highlightedText().color() : palette.mid().color()));
        painter->setBrush(selected ? Qt::NoBrush : palette.alternateBase());
        painter->drawRoundedRect(rect, 4, 4);
        painter->setPen(selected ? palette.highlightedText().color() : palette.text().color());
        painter->drawText(rects.at(i), Qt::AlignCenter, tags.at(i));
    }
    painter->restore();
}

QSize TagChipDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QSize size = QStyledItemDelegate::sizeHint(option, index);
    const QStringList tags = index.data(VersionTableModel::TagNamesRole).toStringList();
    const QList<QRect> rects = chipRects(QRect(0, 0, 0, size.height()), option.fontMetrics, tags);
    if (!rects.isEmpty()) {
        size.setWidth(std::max(size.width(), rects.last().right() + 4));
    }
    size.setHeight(std::max(size.height(), option.fontMetrics.height() + 6));
    return size;
}

VersionView::VersionView(QWidget *parent)
    : QTreeView(parent)
{
    setItemDelegateForColumn(VersionTableModel::TagsColumn, new TagChipDelegate(this));
    setAcceptDrops(true);
    viewport()->setAcceptDrops(true);
    setDragDropMode(QAbstractItemView::DragDrop);
    setDropIndicatorShown(false);
    setContextMenuPolicy(Qt::CustomContextMenu);
    // Tab leaves the list (to the details) instead of moving between its cells.
    setTabKeyNavigation(false);
}

QString VersionView::tagAt(const QPoint &pos) const
{
    const QModelIndex index = indexAt(pos);
    if (!index.isValid() || index.column() != VersionTableModel::TagsColumn) {
        return {};
    }
    const QStringList tags = index.data(VersionTableModel::TagNamesRole).toStringList();
    const QList<QRect> rects = TagChipDelegate::chipRects(visualRect(index), fontMetrics(), tags);
    for (qsizetype i = 0; i < rects.size(); ++i) {
        if (rects.at(i).contains(pos)) {
            return tags.at(i);
        }
    }
    return {};
}

void VersionView::mousePressEvent(QMouseEvent *event)
{
    m_pressPos = event->position().toPoint();
    m_pressedTag = event->button() == Qt::LeftButton ? tagAt(m_pressPos) : QString();
    QTreeView::mousePressEvent(event);
}

void VersionView::mouseMoveEvent(QMouseEvent *event)
{
    if (m_pressedTag.isEmpty() || !(event->buttons() & Qt::LeftButton)
        || (event->position().toPoint() - m_pressPos).manhattanLength()
            < QApplication::startDragDistance()) {
        QTreeView::mouseMoveEvent(event);
        return;
    }
    auto *mime = new QMimeData;
    mime->setData(QString::fromLatin1(TagMimeType), m_pressedTag.toUtf8());
    mime->setText(m_pressedTag);
    auto *drag = new QDrag(this);
    drag->setMimeData(mime);
    const QRect chip(QPoint(0, 0),
                     QSize(fontMetrics().horizontalAdvance(m_pressedTag) + 2 * ChipPadding,
                           fontMetrics().height() + 2));
    QPixmap pixmap(chip.size() * devicePixelRatioF());
    pixmap.setDevicePixelRatio(devicePixelRatioF());
    pixmap.fill(Qt::transparent);
    {
        QPainter painter(&pixmap);
        painter.setRenderHint(QPainter::Antialiasing);
        painter.setPen(palette().highlight().color());
        painter.setBrush(palette().base());
        painter.drawRoundedRect(QRectF(chip).adjusted(0.5, 0.5, -0.5, -0.5), 4, 4);
        painter.setPen(palette().text().color());
        painter.drawText(chip, Qt::AlignCenter, m_pressedTag);
    }
    drag->setPixmap(pixmap);
    m_pressedTag.clear();
    drag->exec(Qt::MoveAction);
}

QString VersionView::dropTarget(const QMimeData *mime, const QPoint &pos) const
{
    if (!mime || !mime->hasFormat(QString::fromLatin1(TagMimeType))) {
        return {};
    }
    const QString tag = QString::fromUtf8(mime->data(QString::fromLatin1(TagMimeType)));
    const QModelIndex index = indexAt(pos);
    if (tag.isEmpty() || !index.isValid()) {
        return {};
    }
    // Dropped where it already is: nothing to move.
    if (index.data(VersionTableModel::TagNamesRole).toStringList().contains(tag)) {
        return {};
    }
    return index.data(VersionTableModel::VersionRole).toString();
}

void VersionView::dragEnterEvent(QDragEnterEvent *event)
{
    if (event->mimeData()->hasFormat(QString::fromLatin1(TagMimeType))) {
        event->acceptProposedAction();
        return;
    }
    event->ignore();
}

void VersionView::dragMoveEvent(QDragMoveEvent *event)
{
    const QPoint pos = event->position().toPoint();
    const QString version = dropTarget(event->mimeData(), pos);
    const int row = version.isEmpty() ? -1 : indexAt(pos).row();
    if (row != m_dropRow) {
        m_dropRow = row;
        viewport()->update();
    }
    if (version.isEmpty()) {
        event->ignore();
    } else {
        event->setDropAction(Qt::MoveAction);
        event->accept();
    }
}

void VersionView::dragLeaveEvent(QDragLeaveEvent *event)
{
    m_dropRow = -1;
    viewport()->update();
    QTreeView::dragLeaveEvent(event);
}

void VersionView::dropEvent(QDropEvent *event)
{
    const QString version = dropTarget(event->mimeData(), event->position().toPoint());
    m_dropRow = -1;
    viewport()->update();
    if (version.isEmpty()) {
        event->ignore();
        return;
    }
    event->setDropAction(Qt::MoveAction);
    event->accept();
    emit tagDropped(QString::fromUtf8(event->mimeData()->data(QString::fromLatin1(TagMimeType))),
                    version);
}

void VersionView::paintEvent(QPaintEvent *event)
{
    QTreeView::paintEvent(event);
    if (m_dropRow < 0 || !model()) {
        return;
    }
    const QModelIndex first = model()->index(m_dropRow, 0);
    QRect row = visualRect(first);
    row.setLeft(0);
    row.setRight(viewport()->width() - 1);
    QPainter painter(viewport());
    painter.setPen(QPen(palette().highlight().color(), 2));
    painter.drawRect(row.adjusted(1, 1, -1, -1));
}
