// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QStyledItemDelegate>
#include <QTreeView>

// Paints a version's dist-tags as chips (framed words: readable without colour).
class TagChipDelegate final : public QStyledItemDelegate
{
    Q_OBJECT

public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter *painter,
               const QStyleOptionViewItem &option,
               const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;

    // Where each tag's chip is drawn inside `cell`, in the order of `tags`.
    static QList<QRect>
    chipRects(const QRect &cell, const QFontMetrics &metrics, const QStringList &tags);
};

// The versions of a package. A tag chip can be dragged onto another version to move that
// dist-tag there (tagDropped); the same moves are in the context menu, for the keyboard.
class VersionView final : public QTreeView
{
    Q_OBJECT

public:
    static constexpr const char *TagMimeType = "application/x-trove-dist-tag";

    explicit VersionView(QWidget *parent = nullptr);

    // The tag whose chip is at `pos` (viewport coordinates), or "".
    QString tagAt(const QPoint &pos) const;

signals:
    void tagDropped(const QString &tag, const QString &version);

protected:
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dragMoveEvent(QDragMoveEvent *event) override;
    void dragLeaveEvent(QDragLeaveEvent *event) override;
    void dropEvent(QDropEvent *event) override;
    void paintEvent(QPaintEvent *event) override;

private:
    // The version a tag dragged to `pos` would move to, or "" when it cannot go there.
    QString dropTarget(const QMimeData *mime, const QPoint &pos) const;

    QPoint m_pressPos;
    QString m_pressedTag;
    int m_dropRow = -1;
};
