// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QLabel>
#include <QObject>
#include <QPointer>

class QAbstractItemView;

// What an empty list would show and how to fill it: a text over the view's viewport while its
// model has no rows, gone with the first row. One per view (install() returns the existing one);
// install it after the view's model is set. The text is rich text: callers escape what they
// insert (names, paths) with toHtmlEscaped().
class EmptyState final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(EmptyState)

public:
    static EmptyState *install(QAbstractItemView *view, const QString &text = {});
    // The one installed on `view`, or nullptr.
    static EmptyState *of(const QAbstractItemView *view);

    void setText(const QString &text);
    QString text() const;
    // Whether the text is shown now (the model is empty and the view visible).
    bool isShown() const;
    QLabel *label() const { return m_label; }

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    explicit EmptyState(QAbstractItemView *view);
    void update();
    void place();

    QPointer<QAbstractItemView> m_view;
    // Guarded: the view deletes its viewport (and this label) before its model, whose reset on
    // the way out still reaches update().
    QPointer<QLabel> m_label;
};
