// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/emptystate.h"

#include <QAbstractItemView>
#include <QEvent>
#include <QLabel>

using namespace Qt::StringLiterals;

EmptyState::EmptyState(QAbstractItemView *view)
    : QObject(view)
    , m_view(view)
{
    setObjectName(u"emptyState"_s);
    m_label = new QLabel(view->viewport());
    m_label->setObjectName(u"emptyStateLabel"_s);
    m_label->setTextFormat(Qt::RichText);
    m_label->setWordWrap(true);
    m_label->setAlignment(Qt::AlignHCenter | Qt::AlignTop);
    // The commands it shows are there to be copied.
    m_label->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    m_label->setForegroundRole(QPalette::PlaceholderText);
    m_label->hide();
    view->viewport()->installEventFilter(this);
    if (QAbstractItemModel *model = view->model()) {
        connect(model, &QAbstractItemModel::modelReset, this, &EmptyState::update);
        connect(model, &QAbstractItemModel::layoutChanged, this, &EmptyState::update);
        connect(model, &QAbstractItemModel::rowsInserted, this, &EmptyState::update);
        connect(model, &QAbstractItemModel::rowsRemoved, this, &EmptyState::update);
    }
}

EmptyState *EmptyState::install(QAbstractItemView *view, const QString &text)
{
    Q_ASSERT(view && view->model());
    EmptyState *state = of(view);
    if (!state) {
        state = new EmptyState(view);
    }
    if (!text.isEmpty()) {
        state->setText(text);
    }
    return state;
}

EmptyState *EmptyState::of(const QAbstractItemView *view)
{
    return view ? view->findChild<EmptyState *>(u"emptyState"_s, Qt::FindDirectChildrenOnly)
                : nullptr;
}

void EmptyState::setText(const QString &text)
{
    if (m_label->text() != text) {
        m_label->setText(text);
        place();
    }
    update();
}

QString EmptyState::text() const
{
    return m_label->text();
}

bool EmptyState::isShown() const
{
    return !m_label->isHidden();
}

void EmptyState::update()
{
    if (!m_label) {
        return;
    }
    const bool empty =
        m_view && m_view->model() && m_view->model()->rowCount() == 0 && !m_label->text().isEmpty();
    m_label->setVisible(empty);
    if (empty) {
        place();
    }
}

void EmptyState::place()
{
    if (!m_view || !m_label) {
        return;
    }
    // A column of readable width, a little below the header: the eye finds it where the first
    // rows would be.
    const QRect area = m_view->viewport()->rect().adjusted(16, 16, -16, -16);
    const int width = std::min(area.width(), 640);
    const int height = std::min(m_label->heightForWidth(width), area.height());
    m_label->setGeometry(
        area.x() + (area.width() - width) / 2, area.y(), width, std::max(height, 0));
}

bool EmptyState::eventFilter(QObject *watched, QEvent *event)
{
    if (event->type() == QEvent::Resize || event->type() == QEvent::Show) {
        place();
    }
    return QObject::eventFilter(watched, event);
}
