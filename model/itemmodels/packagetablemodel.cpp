// SPDX-License-Identifier: GPL-3.0-or-later
#include "model/itemmodels/packagetablemodel.h"

#include <QLocale>

using namespace Qt::StringLiterals;

namespace Trove {

PackageTableModel::PackageTableModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

int PackageTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_packages.size());
}

int PackageTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant PackageTableModel::data(const QModelIndex &index, int role) const
{
    Q_ASSERT(checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid));
    const PackageSummary &package = m_packages.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        return displayData(package, index.column());
    case Qt::EditRole:
        return editData(package, index.column());
    case Qt::ToolTipRole:
        switch (index.column()) {
        case NameColumn:
            return tr("%1 in %2").arg(package.name, package.projectPath);
        case DeprecatedColumn:
            if (package.deprecatedVersionCount == 0) {
                return {};
            }
            return tr("%n of %1 versions deprecated", nullptr, package.deprecatedVersionCount)
                .arg(package.versionCount);
        case UpdatedColumn:
            return QLocale().toString(package.updatedAt.toLocalTime(), QLocale::LongFormat);
        default:
            return {};
        }
    case Qt::TextAlignmentRole:
        if (index.column() == VersionsColumn) {
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        }
        return {};
    case PackageNameRole:
        return package.name;
    case ScopeRole:
        return package.scope();
    case ProjectIdRole:
        return package.projectId;
    case ProjectPathRole:
        return package.projectPath;
    case DistTagNamesRole:
        return QStringList(package.distTags.keys());
    case DeprecatedRole:
        return package.deprecated;
    case UpdatedRole:
        return package.updatedAt;
    case SummaryRole:
        return QVariant::fromValue(package);
    default:
        return {};
    }
}

QVariant PackageTableModel::displayData(const PackageSummary &package, int column) const
{
    switch (column) {
    case NameColumn:
        return package.name;
    case LatestColumn:
        return package.latestVersion;
    case DistTagsColumn:
        return distTagsText(package);
    case VersionsColumn:
        return QLocale().toString(package.versionCount);
    case UpdatedColumn:
        return QLocale().toString(package.updatedAt.toLocalTime(), QLocale::ShortFormat);
    case PublisherColumn:
        return package.publisher;
    case DeprecatedColumn:
        // Text, not colour alone: the badge must read the same to every user.
        if (package.deprecated) {
            return tr("deprecated");
        }
        if (package.deprecatedVersionCount > 0) {
            return tr("%n deprecated", nullptr, package.deprecatedVersionCount);
        }
        return QString();
    default:
        return {};
    }
}

QVariant PackageTableModel::editData(const PackageSummary &package, int column) const
{
    switch (column) {
    case NameColumn:
        return package.name;
    case LatestColumn:
        return package.latestVersion;
    case DistTagsColumn:
        return distTagsText(package);
    case VersionsColumn:
        return package.versionCount;
    case UpdatedColumn:
        return package.updatedAt;
    case PublisherColumn:
        return package.publisher;
    case DeprecatedColumn:
        // Sorts fully deprecated after partly deprecated after clean.
        return package.deprecated ? package.versionCount + 1 : package.deprecatedVersionCount;
    default:
        return {};
    }
}

QVariant PackageTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) {
        return QAbstractTableModel::headerData(section, orientation, role);
    }
    switch (section) {
    case NameColumn:
        return tr("Name");
    case LatestColumn:
        return tr("Latest");
    case DistTagsColumn:
        return tr("Tags");
    case VersionsColumn:
        return tr("Versions");
    case UpdatedColumn:
        return tr("Updated");
    case PublisherColumn:
        return tr("Publisher");
    case DeprecatedColumn:
        return tr("Status");
    default:
        return {};
    }
}

void PackageTableModel::setPackages(QList<PackageSummary> packages)
{
    ++m_generation;
    beginResetModel();
    m_packages = std::move(packages);
    m_folded.clear();
    m_folded.reserve(m_packages.size());
    for (const PackageSummary &package : std::as_const(m_packages)) {
        m_folded.append(fold(package));
    }
    rebuildIndex();
    endResetModel();
}

void PackageTableModel::updatePackage(const PackageSummary &package)
{
    const int row = rowOf(package.projectId, package.name);
    if (row >= 0) {
        if (m_packages.at(row) == package) {
            return;
        }
        ++m_generation;
        m_packages[row] = package;
        m_folded[row] = fold(package); // the project may have been renamed
        emit dataChanged(index(row, 0), index(row, ColumnCount - 1));
        return;
    }
    const int last = int(m_packages.size());
    ++m_generation;
    beginInsertRows({}, last, last);
    m_packages.append(package);
    m_folded.append(fold(package));
    m_rows.insert(Key(package.projectId, package.name), last);
    endInsertRows();
}

void PackageTableModel::removePackage(qint64 projectId, const QString &name)
{
    const int row = rowOf(projectId, name);
    if (row < 0) {
        return;
    }
    ++m_generation;
    beginRemoveRows({}, row, row);
    m_packages.removeAt(row);
    m_folded.removeAt(row);
    rebuildIndex();
    endRemoveRows();
}

PackageTableModel::Folded PackageTableModel::fold(const PackageSummary &package)
{
    Folded folded;
    folded.name = package.name.toCaseFolded();
    QString text = folded.name + u'\n' + package.projectPath.toCaseFolded();
    if (!package.description.isEmpty()) {
        text += u'\n' + package.description.toCaseFolded();
    }
    for (const QString &keyword : package.keywords) {
        folded.keywords.append(keyword.toCaseFolded());
        text += u'\n' + folded.keywords.constLast();
    }
    // UTF-8: half the memory of UTF-16 for mostly-ASCII text, and memmem() searches it (a valid
    // UTF-8 needle only matches at character boundaries).
    folded.searchText = text.toUtf8();
    return folded;
}

int PackageTableModel::rowOf(qint64 projectId, const QString &name) const
{
    return m_rows.value(Key(projectId, name), -1);
}

QString PackageTableModel::distTagsText(const PackageSummary &package)
{
    QStringList parts;
    if (const auto latest = package.distTags.constFind(u"latest"_s);
        latest != package.distTags.cend()) {
        parts.append(latest.key() + u": "_s + latest.value());
    }
    for (auto it = package.distTags.cbegin(); it != package.distTags.cend(); ++it) {
        if (it.key() != u"latest"_s) {
            parts.append(it.key() + u": "_s + it.value());
        }
    }
    return parts.join(u", "_s);
}

void PackageTableModel::rebuildIndex()
{
    m_rows.clear();
    m_rows.reserve(m_packages.size());
    for (int row = 0; row < int(m_packages.size()); ++row) {
        const PackageSummary &package = m_packages.at(row);
        m_rows.insert(Key(package.projectId, package.name), row);
    }
}

} // namespace Trove
