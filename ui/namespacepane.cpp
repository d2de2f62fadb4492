// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/namespacepane.h"

#include <QHeaderView>
#include <QStyledItemDelegate>

using namespace Qt::StringLiterals;
using namespace Trove;

namespace {

// A project whose package registry is switched off is drawn greyed, as a disabled item is
// (the model has no colours: it links no Gui).
class NamespaceDelegate final : public QStyledItemDelegate
{
public:
    using QStyledItemDelegate::QStyledItemDelegate;

protected:
    void initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const override
    {
        QStyledItemDelegate::initStyleOption(option, index);
        if (!index.data(NamespaceTreeModel::PackagesEnabledRole).toBool()) {
            option->palette.setBrush(QPalette::Text,
                                     option->palette.brush(QPalette::Disabled, QPalette::Text));
        }
    }
};

} // namespace

NamespacePane::NamespacePane(QWidget *parent)
    : QTreeView(parent)
    , m_model(new NamespaceTreeModel(this))
{
    setObjectName(u"namespaceTree"_s);
    setAccessibleName(tr("Groups and projects"));
    setModel(m_model);
    setItemDelegate(new NamespaceDelegate(this));
    setSelectionMode(QAbstractItemView::SingleSelection);
    setSelectionBehavior(QAbstractItemView::SelectRows);
    setUniformRowHeights(true);
    header()->setStretchLastSection(false);
    header()->setSectionResizeMode(NamespaceTreeModel::NameColumn, QHeaderView::Stretch);
    header()->setSectionResizeMode(NamespaceTreeModel::ForwardingColumn,
                                   QHeaderView::ResizeToContents);
    // The pane is narrow (about 90 px at 800×500) and forwarding is on for the whole instance by
    // default, so a column saying "redirect" on every row left no room for the names; the status
    // bar says where the selected row's unknown names go, and links to the settings.
    setColumnHidden(NamespaceTreeModel::ForwardingColumn, true);
    // Room for "All packages" and short names two levels down before anything is elided: at
    // 800×500 the splitter otherwise gave the tree under 90 px ("c…" for a project "core").
    setMinimumWidth(fontMetrics().horizontalAdvance(u"All packages"_s) + 2 * indentation());
    // One visible column whose rows say what they are; its title ("Groups and projects") was cut
    // at that width. The accessible name carries it.
    setHeaderHidden(true);
    setCurrentIndex(m_model->allIndex());
    connect(selectionModel(), &QItemSelectionModel::currentChanged, this, [this] {
        if (!m_applying) {
            emit currentNodeChanged();
        }
    });
    // A deleted current row hands the selection to All (not to a neighbour, which would show
    // another project's packages unasked).
    connect(m_model,
            &QAbstractItemModel::rowsAboutToBeRemoved,
            this,
            [this](const QModelIndex &parent, int first, int last) {
                for (QModelIndex index = currentIndex(); index.isValid(); index = index.parent()) {
                    if (index.parent() == parent && index.row() >= first && index.row() <= last) {
                        setCurrentIndex(m_model->allIndex());
                        return;
                    }
                }
            });
}

void NamespacePane::setSnapshot(const NamespaceTreeModel::Snapshot &snapshot)
{
    // In place: the current row stays selected.
    m_applying = true;
    m_model->setSnapshot(snapshot);
    m_applying = false;
    expandAll();
    if (!currentIndex().isValid()) {
        setCurrentIndex(m_model->allIndex());
    }
}

NamespacePane::Node NamespacePane::currentNode() const
{
    const QModelIndex current = currentIndex();
    if (!current.isValid()) {
        return {};
    }
    const QModelIndex name = current.siblingAtColumn(NamespaceTreeModel::NameColumn);
    return {Kind(name.data(NamespaceTreeModel::KindRole).toInt()),
            name.data(NamespaceTreeModel::IdRole).toLongLong(),
            name.data(NamespaceTreeModel::PathRole).toString(),
            Visibility(name.data(NamespaceTreeModel::VisibilityRole).toInt())};
}

std::optional<QSet<qint64>> NamespacePane::currentProjects() const
{
    if (currentNode().kind == Kind::All) {
        return std::nullopt;
    }
    return m_model->projectsUnder(currentIndex().siblingAtColumn(0));
}

void NamespacePane::selectAllPackages()
{
    setCurrentIndex(m_model->allIndex());
}

bool NamespacePane::selectNode(Kind kind, qint64 id)
{
    const QModelIndex index = m_model->indexOf(kind, id);
    if (!index.isValid()) {
        return false;
    }
    setCurrentIndex(index);
    return true;
}
