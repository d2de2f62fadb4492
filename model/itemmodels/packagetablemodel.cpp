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
    const ProxyStore::CachedPackage *cached = cachedAt(index.row());
    switch (role) {
    case Qt::DisplayRole:
        if (cached && index.column() == DeprecatedColumn) {
            // In words, as "deprecated" is: not a colour or an icon alone.
            return tr("cached");
        }
        return displayData(package, index.column());
    case Qt::EditRole:
        if (cached && index.column() == DeprecatedColumn) {
            return -1; // before every published package
        }
        return editData(package, index.column());
    case Qt::ToolTipRole:
        if (cached) {
            return cachedToolTip(index.row());
        }
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
    case CachedRole:
        return cached != nullptr;
    case UpstreamRole:
        return cached ? cached->upstream : QString();
    case FetchedAtRole:
        return cached ? cached->fetchedAt : QDateTime();
    default:
        return {};
    }
}

QVariant PackageTableModel::cachedToolTip(int row) const
{
    const ProxyStore::CachedPackage &cached = m_cached.at(row - m_publishedCount);
    const QLocale locale;
    return tr("%1 is not published here: the proxy keeps it from the upstream %2.\n"
              "Last fetched %3; %n version(s) kept, %4 on disk.",
              nullptr,
              cached.tarballs)
        .arg(cached.name,
             cached.upstream,
             locale.toString(cached.fetchedAt.toLocalTime(), QLocale::LongFormat),
             locale.formattedDataSize(cached.bytes));
}

const ProxyStore::CachedPackage *PackageTableModel::cachedAt(int row) const
{
    return row >= m_publishedCount && row < int(m_packages.size())
        ? &m_cached.at(row - m_publishedCount)
        : nullptr;
}

PackageSummary PackageTableModel::summaryOf(const ProxyStore::CachedPackage &package)
{
    // No project: the window's project filters leave it out, and nothing that acts on a
    // project's package finds it.
    PackageSummary summary;
    summary.projectId = 0;
    summary.name = package.name;
    summary.versionCount = package.tarballs;
    // From the kept document: its latest and tags, and the last fetch as the Updated column.
    summary.distTags = package.distTags;
    summary.latestVersion = package.distTags.value(u"latest"_s);
    summary.updatedAt = package.fetchedAt;
    return summary;
}

void PackageTableModel::setCachedPackages(const QList<ProxyStore::CachedPackage> &packages)
{
    // Asked again and again (the proxy's writes send no change events): an unchanged list
    // neither resets the view nor loses its selection.
    if (packages == m_cached) {
        return;
    }
    ++m_generation;
    beginResetModel();
    m_packages.resize(m_publishedCount);
    m_folded.resize(m_publishedCount);
    m_cached = packages;
    for (const ProxyStore::CachedPackage &package : packages) {
        m_packages.append(summaryOf(package));
        m_folded.append(fold(m_packages.constLast()));
    }
    rebuildIndex();
    endResetModel();
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
    m_publishedCount = int(packages.size());
    m_packages = std::move(packages);
    for (const ProxyStore::CachedPackage &cached : std::as_const(m_cached)) {
        m_packages.append(summaryOf(cached));
    }
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
    if (row >= 0 && !isCachedAt(row)) {
        if (m_packages.at(row) == package) {
            return;
        }
        ++m_generation;
        m_packages[row] = package;
        m_folded[row] = fold(package); // the project may have been renamed
        emit dataChanged(index(row, 0), index(row, ColumnCount - 1));
        return;
    }
    // After the last published row, before the cached ones.
    const int last = m_publishedCount;
    ++m_generation;
    beginInsertRows({}, last, last);
    m_packages.insert(last, package);
    m_folded.insert(last, fold(package));
    ++m_publishedCount;
    rebuildIndex();
    endInsertRows();
}

void PackageTableModel::removePackage(qint64 projectId, const QString &name)
{
    const int row = rowOf(projectId, name);
    if (row < 0 || isCachedAt(row)) {
        return;
    }
    ++m_generation;
    beginRemoveRows({}, row, row);
    m_packages.removeAt(row);
    m_folded.removeAt(row);
    --m_publishedCount;
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
