// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "model/packagesummary.h"
#include "model/store/proxystore.h"

#include <QAbstractTableModel>
#include <QByteArray>
#include <QHash>
#include <QList>
#include <QPair>

namespace Trove {

// The package list: one row per package name per project, over a value snapshot. Fed by
// setPackages() (a whole snapshot, loaded off the GUI thread) and updatePackage() /
// removePackage() when a change event names one package; data() never touches the store.
// Packages the proxy keeps from the upstream (setCachedPackages()) follow the published ones,
// one row per name, apart from them: no project (ProjectIdRole 0), "cached" in the Status
// column, the upstream and the last fetch in the tooltip.
class PackageTableModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PackageTableModel)

public:
    enum Column {
        NameColumn,
        LatestColumn,
        DistTagsColumn,
        VersionsColumn,
        UpdatedColumn,
        PublisherColumn,
        DeprecatedColumn,
        ColumnCount
    };
    // Raw values for filters, sorting and the details pane, the same on every column of a row.
    // EditRole gives each column's raw value (numbers and times sort as such).
    enum Role {
        PackageNameRole = Qt::UserRole,
        ScopeRole, // QString without '@', empty when unscoped
        ProjectIdRole, // qint64
        ProjectPathRole, // QString
        DistTagNamesRole, // QStringList, sorted
        DeprecatedRole, // bool: the latest version is deprecated
        UpdatedRole, // QDateTime, UTC
        SummaryRole, // Trove::PackageSummary
        CachedRole, // bool: kept by the proxy from the upstream, not published here
        UpstreamRole, // QString: where a cached package came from; empty for published ones
        FetchedAtRole // QDateTime, UTC: a cached package's last fetch from the upstream
    };

    explicit PackageTableModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant
    headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // Replaces every row (begin/endResetModel).
    void setPackages(QList<Trove::PackageSummary> packages);
    // Changes the package's row (dataChanged) or appends it (rowsInserted).
    void updatePackage(const Trove::PackageSummary &package);
    // Removes the package's row, if any (its last version was unpublished).
    void removePackage(qint64 projectId, const QString &name);
    // Replaces the cached rows (begin/endResetModel) unless they are the same; the published
    // ones stay.
    void setCachedPackages(const QList<Trove::ProxyStore::CachedPackage> &packages);
    // Whether the row is a cached package; its details, or nullptr for a published one.
    bool isCachedAt(int row) const { return row >= m_publishedCount; }
    const Trove::ProxyStore::CachedPackage *cachedAt(int row) const;

    const QList<Trove::PackageSummary> &packages() const { return m_packages; }
    // The row's package, without a QVariant: for the filter and the sort, which ask for every
    // row on each keystroke.
    const Trove::PackageSummary &packageAt(int row) const { return m_packages.at(row); }
    // The name folded to lower case, computed once per snapshot: sorting by name compares these.
    const QString &foldedNameAt(int row) const { return m_folded.at(row).name; }
    // "name\nproject/path\ndescription\nkeyword…", folded, in UTF-8: what the filter's words
    // are looked for in.
    const QByteArray &foldedSearchTextAt(int row) const { return m_folded.at(row).searchText; }
    // The latest version's keywords, folded.
    const QStringList &foldedKeywordsAt(int row) const { return m_folded.at(row).keywords; }
    // Changes with every change of the rows, before the model's signals say so: what a filter
    // computed from them is stale when it differs.
    quint64 generation() const { return m_generation; }
    // The row of the package, or -1.
    int rowOf(qint64 projectId, const QString &name) const;

    // "latest: 1.2.0, beta: 2.0.0-rc.1": latest first, then by tag name.
    static QString distTagsText(const Trove::PackageSummary &package);

private:
    using Key = QPair<qint64, QString>;

    QVariant displayData(const Trove::PackageSummary &package, int column) const;
    QVariant cachedToolTip(int row) const;
    static Trove::PackageSummary summaryOf(const Trove::ProxyStore::CachedPackage &package);
    QVariant editData(const Trove::PackageSummary &package, int column) const;
    void rebuildIndex();

    QList<Trove::PackageSummary> m_packages;
    struct Folded
    {
        QString name;
        QByteArray searchText;
        QStringList keywords;
    };
    static Folded fold(const Trove::PackageSummary &package);
    QList<Folded> m_folded; // parallel to m_packages
    QHash<Key, int> m_rows; // (project, name) → row; cached rows are (0, name)
    // Rows [0, m_publishedCount) are published packages; the rest are m_cached, in order.
    int m_publishedCount = 0;
    QList<Trove::ProxyStore::CachedPackage> m_cached;
    quint64 m_generation = 0;
};

} // namespace Trove
