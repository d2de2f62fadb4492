// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "model/domain.h"

#include <QAbstractTableModel>
#include <QDateTime>
#include <QHash>
#include <QList>

namespace Trove {

// The versions of one package in one project, newest published first, with the dist-tags that
// point at each and its deprecation message. A value snapshot fed by setVersions(); data()
// never touches the store.
class VersionTableModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(VersionTableModel)

public:
    enum Column {
        VersionColumn,
        TagsColumn,
        PublishedColumn,
        PublisherColumn,
        DeprecationColumn,
        LastDownloadedColumn,
        ColumnCount
    };
    enum Role {
        VersionRole = Qt::UserRole, // QString
        PackageIdRole, // qint64
        TagNamesRole, // QStringList, sorted
        DeprecatedRole, // bool
        DeprecationMessageRole, // QString, empty unless deprecated
        PublishedRole, // QDateTime, UTC
        LastDownloadedRole // QDateTime, UTC; invalid when never downloaded
    };

    explicit VersionTableModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant
    headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // Replaces every row (begin/endResetModel). `versions` in any order; shown newest first.
    void setVersions(QList<Trove::Package> versions, const QList<Trove::DistTag> &tags);
    void clear();
    // When each version (by package id) was last downloaded (PackageStore::lastDownloads());
    // versions left out were never downloaded.
    void setLastDownloads(const QHash<qint64, QDateTime> &times);

    // The deprecation message stored in a version's package.json ("" when not deprecated).
    static QString deprecationMessage(const Trove::Package &package);

private:
    struct Row
    {
        Package package;
        QStringList tags;
        QString deprecation;
        QDateTime lastDownloaded;
    };

    QList<Row> m_rows;
};

} // namespace Trove
