// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QBitArray>
#include <QByteArray>
#include <QDateTime>
#include <QHash>
#include <QList>
#include <QSet>
#include <QSortFilterProxyModel>
#include <QStringList>

#include <functional>
#include <optional>

// Filters and sorts the package table for the main window. The filter text is a list of words,
// all of which must match: `tag:NAME` (the package has that dist-tag), `kw:WORD` (one of the
// latest version's keywords is WORD, in any case), `deprecated:yes|no` (some version is / no
// version is deprecated, as the Status column counts them), `cached:yes|no` (kept by the proxy
// from the upstream / published here), `unused:90d` (no version downloaded, nor any published, in the last 90
// days; `Nw` weeks, `Nm` months of 30 days), anything else a case-insensitive part of the package name (which holds the
// scope), its project's path, or the latest version's description or keywords. Any other
// `key:` (or a known key with a value it does not take) is a word, which matches nothing, and
// is reported by filterError(). The project filter comes from the groups/projects tree.
class PackageFilterProxyModel final : public QSortFilterProxyModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PackageFilterProxyModel)

public:
    explicit PackageFilterProxyModel(QObject *parent = nullptr);

    // What the filter field understands, for its tooltip.
    static QString helpText();

    void setFilterText(const QString &text);
    QString filterText() const { return m_text; }
    // Why part of the filter text is not applied (an unknown key, a bad value); "" when all is.
    QString filterError() const { return m_error; }
    // Only packages of these projects; std::nullopt for every project.
    void setProjectFilter(const std::optional<QSet<qint64>> &projectIds);
    // Where `unused:` reads when each package was last downloaded, keyed by
    // Trove::PackageStore::downloadKey(); asked once each time the filter text holds `unused:`.
    void setDownloadTimesSource(std::function<QHash<QString, QDateTime>()> source);

signals:
    void filterErrorChanged(const QString &error);

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;
    bool lessThan(const QModelIndex &left, const QModelIndex &right) const override;

private:
    // The reason `part` (a word of the filter text) is a key this filter does not take, or "".
    static QString keyProblem(const QString &part);
    // The rows whose text holds every word, computed once per filter text: one pass over the
    // rows, narrowed to an earlier result when that one's words are parts of these (typing on
    // narrows), or taken from the recent results (backspacing).
    void matchWords();
    bool textMatches(int sourceRow) const;

    struct WordMatches
    {
        QList<QByteArray> words;
        QBitArray rows;
    };

    QString m_text;
    QString m_error;
    QList<QByteArray> m_words; // folded, UTF-8
    QBitArray m_wordRows; // valid for the source model's m_wordsGeneration
    quint64 m_wordsGeneration = 0;
    bool m_wordsMatched = false;
    QList<WordMatches> m_recent; // most recent first, for m_recentGeneration
    quint64 m_recentGeneration = 0;
    QStringList m_tags;
    QStringList m_keywords; // folded
    std::optional<bool> m_deprecated;
    std::optional<bool> m_cached;
    std::function<QHash<QString, QDateTime>()> m_downloadTimesSource;
    QDateTime m_unusedSince; // valid while the text holds `unused:`
    QHash<QString, QDateTime> m_downloadTimes;
    std::optional<QSet<qint64>> m_projects;
};
