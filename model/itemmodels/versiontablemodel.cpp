// SPDX-License-Identifier: GPL-3.0-or-later
#include "model/itemmodels/versiontablemodel.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace Trove {

VersionTableModel::VersionTableModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

int VersionTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int VersionTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant VersionTableModel::data(const QModelIndex &index, int role) const
{
    Q_ASSERT(checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid));
    const Row &row = m_rows.at(index.row());
    const bool deprecated = row.package.status == PackageStatus::Deprecated;
    switch (role) {
    case Qt::DisplayRole:
    case Qt::EditRole:
        switch (index.column()) {
        case VersionColumn:
            return row.package.version;
        case TagsColumn:
            return row.tags.join(u", "_s);
        case PublishedColumn:
            if (role == Qt::EditRole) {
                return row.package.createdAt;
            }
            return QLocale().toString(row.package.createdAt.toLocalTime(), QLocale::ShortFormat);
        case PublisherColumn:
            return row.package.publisher;
        case DeprecationColumn:
            // The word first, so that the state reads without colour or icon.
            return deprecated ? tr("deprecated: %1").arg(row.deprecation) : QString();
        case LastDownloadedColumn:
            if (role == Qt::EditRole) {
                return row.lastDownloaded;
            }
            return row.lastDownloaded.isValid()
                ? QLocale().toString(row.lastDownloaded.toLocalTime(), QLocale::ShortFormat)
                : tr("never");
        default:
            return {};
        }
    case Qt::ToolTipRole:
        if (index.column() == DeprecationColumn && deprecated) {
            return row.deprecation;
        }
        if (index.column() == PublishedColumn) {
            return QLocale().toString(row.package.createdAt.toLocalTime(), QLocale::LongFormat);
        }
        return {};
    case VersionRole:
        return row.package.version;
    case PackageIdRole:
        return row.package.id;
    case TagNamesRole:
        return row.tags;
    case DeprecatedRole:
        return deprecated;
    case DeprecationMessageRole:
        return row.deprecation;
    case PublishedRole:
        return row.package.createdAt;
    case LastDownloadedRole:
        return row.lastDownloaded;
    default:
        return {};
    }
}

QVariant VersionTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) {
        return QAbstractTableModel::headerData(section, orientation, role);
    }
    switch (section) {
    case VersionColumn:
        return tr("Version");
    case TagsColumn:
        return tr("Tags");
    case PublishedColumn:
        return tr("Published");
    case PublisherColumn:
        return tr("Publisher");
    case DeprecationColumn:
        return tr("Deprecation");
    case LastDownloadedColumn:
        return tr("Last downloaded");
    default:
        return {};
    }
}

void VersionTableModel::setVersions(QList<Package> versions, const QList<DistTag> &tags)
{
    // Newest first; the id breaks ties between versions published in the same millisecond.
    std::sort(versions.begin(), versions.end(), [](const Package &a, const Package &b) {
        return a.createdAt != b.createdAt ? a.createdAt > b.createdAt : a.id > b.id;
    });
    QHash<qint64, QStringList> tagsOf;
    for (const DistTag &tag : tags) {
        tagsOf[tag.packageId].append(tag.tag);
    }
    beginResetModel();
    m_rows.clear();
    m_rows.reserve(versions.size());
    for (Package &version : versions) {
        QStringList names = tagsOf.value(version.id);
        names.sort();
        QString message = deprecationMessage(version);
        m_rows.append(Row{std::move(version), std::move(names), std::move(message)});
    }
    endResetModel();
}

void VersionTableModel::setLastDownloads(const QHash<qint64, QDateTime> &times)
{
    for (Row &row : m_rows) {
        row.lastDownloaded = times.value(row.package.id);
    }
    if (!m_rows.isEmpty()) {
        emit dataChanged(index(0, LastDownloadedColumn),
                         index(int(m_rows.size()) - 1, LastDownloadedColumn));
    }
}

void VersionTableModel::clear()
{
    beginResetModel();
    m_rows.clear();
    endResetModel();
}

QString VersionTableModel::deprecationMessage(const Package &package)
{
    if (package.status != PackageStatus::Deprecated) {
        return {};
    }
    return QJsonDocument::fromJson(package.packageJson).object().value(u"deprecated"_s).toString();
}

} // namespace Trove
