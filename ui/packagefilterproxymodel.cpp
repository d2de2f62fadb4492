// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/packagefilterproxymodel.h"

#include "model/itemmodels/packagetablemodel.h"

#include <QDateTime>
#include <QRegularExpression>

using namespace Qt::StringLiterals;
using Trove::PackageTableModel;

PackageFilterProxyModel::PackageFilterProxyModel(QObject *parent)
    : QSortFilterProxyModel(parent)
{
    setSortRole(Qt::EditRole);
    setSortCaseSensitivity(Qt::CaseInsensitive);
    setDynamicSortFilter(true);
}

void PackageFilterProxyModel::setFilterText(const QString &text)
{
    if (text == m_text) {
        return;
    }
    m_text = text;
    m_words.clear();
    m_tags.clear();
    m_deprecated.reset();
    static const QRegularExpression space(u"\\s+"_s);
    const QStringList parts = text.split(space, Qt::SkipEmptyParts);
    for (const QString &part : parts) {
        if (part.startsWith(u"tag:"_s, Qt::CaseInsensitive) && part.size() > 4) {
            m_tags.append(part.mid(4));
        } else if (part.compare(u"deprecated:yes"_s, Qt::CaseInsensitive) == 0) {
            m_deprecated = true;
        } else if (part.compare(u"deprecated:no"_s, Qt::CaseInsensitive) == 0) {
            m_deprecated = false;
        } else {
            m_words.append(part);
        }
    }
    invalidateFilter();
}

void PackageFilterProxyModel::setProjectFilter(const std::optional<QSet<qint64>> &projectIds)
{
    m_projects = projectIds;
    invalidateFilter();
}

bool PackageFilterProxyModel::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    const QModelIndex index = sourceModel()->index(sourceRow, 0, sourceParent);
    if (m_projects
        && !m_projects->contains(index.data(PackageTableModel::ProjectIdRole).toLongLong())) {
        return false;
    }
    if (m_deprecated && index.data(PackageTableModel::DeprecatedRole).toBool() != *m_deprecated) {
        return false;
    }
    if (!m_tags.isEmpty()) {
        const QStringList tags = index.data(PackageTableModel::DistTagNamesRole).toStringList();
        for (const QString &tag : m_tags) {
            if (!tags.contains(tag)) {
                return false;
            }
        }
    }
    if (!m_words.isEmpty()) {
        const QString name = index.data(PackageTableModel::PackageNameRole).toString();
        const QString project = index.data(PackageTableModel::ProjectPathRole).toString();
        for (const QString &word : m_words) {
            if (!name.contains(word, Qt::CaseInsensitive)
                && !project.contains(word, Qt::CaseInsensitive)) {
                return false;
            }
        }
    }
    return true;
}

bool PackageFilterProxyModel::lessThan(const QModelIndex &left, const QModelIndex &right) const
{
    const QVariant a = left.data(sortRole());
    const QVariant b = right.data(sortRole());
    if (a.metaType() == b.metaType() && a.metaType() == QMetaType::fromType<QDateTime>()) {
        return a.toDateTime() < b.toDateTime();
    }
    if (a.metaType() == b.metaType() && a.metaType() == QMetaType::fromType<QString>()) {
        const int order = a.toString().compare(b.toString(), Qt::CaseInsensitive);
        if (order != 0) {
            return order < 0;
        }
        // Equal names in two projects: keep a stable order by project.
        return left.data(PackageTableModel::ProjectPathRole).toString()
            < right.data(PackageTableModel::ProjectPathRole).toString();
    }
    return QSortFilterProxyModel::lessThan(left, right);
}
