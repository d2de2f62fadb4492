// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QSet>
#include <QSortFilterProxyModel>
#include <QStringList>

#include <optional>

// Filters and sorts the package table for the main window. The filter text is a list of words,
// all of which must match: `tag:NAME` (the package has that dist-tag), `kw:WORD` (one of the
// latest version's keywords is WORD, in any case), `deprecated:yes|no` (its latest version is /
// is not deprecated), anything else a case-insensitive part of the package name (which holds the
// scope), its project's path, or the latest version's description or keywords. The project
// filter comes from the groups/projects tree.
class PackageFilterProxyModel final : public QSortFilterProxyModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PackageFilterProxyModel)

public:
    explicit PackageFilterProxyModel(QObject *parent = nullptr);

    void setFilterText(const QString &text);
    QString filterText() const { return m_text; }
    // Only packages of these projects; std::nullopt for every project.
    void setProjectFilter(const std::optional<QSet<qint64>> &projectIds);

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;
    bool lessThan(const QModelIndex &left, const QModelIndex &right) const override;

private:
    QString m_text;
    QStringList m_words;
    QStringList m_tags;
    QStringList m_keywords; // folded
    std::optional<bool> m_deprecated;
    std::optional<QSet<qint64>> m_projects;
};
