// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/packagefilterproxymodel.h"

#include "model/itemmodels/packagetablemodel.h"

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
    m_keywords.clear();
    m_deprecated.reset();
    static const QRegularExpression space(u"\\s+"_s);
    const QStringList parts = text.split(space, Qt::SkipEmptyParts);
    for (const QString &part : parts) {
        if (part.startsWith(u"tag:"_s, Qt::CaseInsensitive) && part.size() > 4) {
            m_tags.append(part.mid(4));
        } else if (part.startsWith(u"kw:"_s, Qt::CaseInsensitive) && part.size() > 3) {
            m_keywords.append(part.mid(3).toCaseFolded());
        } else if (part.compare(u"deprecated:yes"_s, Qt::CaseInsensitive) == 0) {
            m_deprecated = true;
        } else if (part.compare(u"deprecated:no"_s, Qt::CaseInsensitive) == 0) {
            m_deprecated = false;
        } else {
            m_words.append(part.toCaseFolded()); // matched against folded names and paths
        }
    }
    invalidateFilter();
}

void PackageFilterProxyModel::setProjectFilter(const std::optional<QSet<qint64>> &projectIds)
{
    m_projects = projectIds;
    invalidateFilter();
}

// Both below read the source model's values directly, not through data() and QVariant: with
// 100,000 rows they run for every row on each keystroke (filter) and n log n times (sort).
bool PackageFilterProxyModel::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    const auto *packages = qobject_cast<const PackageTableModel *>(sourceModel());
    if (!packages || sourceParent.isValid()) {
        return false;
    }
    const Trove::PackageSummary &package = packages->packageAt(sourceRow);
    if (m_projects && !m_projects->contains(package.projectId)) {
        return false;
    }
    if (m_deprecated && package.deprecated != *m_deprecated) {
        return false;
    }
    for (const QString &tag : m_tags) {
        if (!package.distTags.contains(tag)) {
            return false;
        }
    }
    if (!m_keywords.isEmpty()) {
        const QStringList &keywords = packages->foldedKeywordsAt(sourceRow);
        for (const QString &keyword : m_keywords) {
            if (!keywords.contains(keyword)) {
                return false;
            }
        }
    }
    if (!m_words.isEmpty()) {
        const QString &text = packages->foldedSearchTextAt(sourceRow);
        for (const QString &word : m_words) {
            if (!text.contains(word)) {
                return false;
            }
        }
    }
    return true;
}

bool PackageFilterProxyModel::lessThan(const QModelIndex &left, const QModelIndex &right) const
{
    const auto *packages = qobject_cast<const PackageTableModel *>(sourceModel());
    if (!packages) {
        return QSortFilterProxyModel::lessThan(left, right);
    }
    const Trove::PackageSummary &a = packages->packageAt(left.row());
    const Trove::PackageSummary &b = packages->packageAt(right.row());
    // Ties fall back on the name, then the project: a stable order whatever the column.
    const auto byName = [&] {
        const int order =
            packages->foldedNameAt(left.row()).compare(packages->foldedNameAt(right.row()));
        return order != 0 ? order < 0 : a.projectPath < b.projectPath;
    };
    const auto byText = [&](const QString &x, const QString &y) {
        const int order = x.compare(y, Qt::CaseInsensitive);
        return order != 0 ? order < 0 : byName();
    };
    const auto byNumber = [&](qint64 x, qint64 y) { return x != y ? x < y : byName(); };
    switch (left.column()) {
    case PackageTableModel::NameColumn:
        return byName();
    case PackageTableModel::LatestColumn:
        return byText(a.latestVersion, b.latestVersion);
    case PackageTableModel::DistTagsColumn:
        return byText(PackageTableModel::distTagsText(a), PackageTableModel::distTagsText(b));
    case PackageTableModel::VersionsColumn:
        return byNumber(a.versionCount, b.versionCount);
    case PackageTableModel::UpdatedColumn:
        return byNumber(a.updatedAt.toMSecsSinceEpoch(), b.updatedAt.toMSecsSinceEpoch());
    case PackageTableModel::PublisherColumn:
        return byText(a.publisher, b.publisher);
    case PackageTableModel::DeprecatedColumn:
        return byNumber(a.deprecated ? a.versionCount + 1 : a.deprecatedVersionCount,
                        b.deprecated ? b.versionCount + 1 : b.deprecatedVersionCount);
    default:
        return byName();
    }
}
