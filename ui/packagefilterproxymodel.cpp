// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/packagefilterproxymodel.h"

#include "model/itemmodels/packagetablemodel.h"
#include "model/store/packagestore.h"

#include <QRegularExpression>

#include <algorithm>
#include <cstring>

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
    m_cached.reset();
    m_unusedSince = {};
    m_downloadTimes.clear();
    static const QRegularExpression space(u"\\s+"_s);
    static const QRegularExpression unused(u"^unused:(\\d{1,5})([dwm])$"_s,
                                           QRegularExpression::CaseInsensitiveOption);
    const QStringList parts = text.split(space, Qt::SkipEmptyParts);
    QStringList problems;
    for (const QString &part : parts) {
        if (part.startsWith(u"tag:"_s, Qt::CaseInsensitive) && part.size() > 4) {
            m_tags.append(part.mid(4));
        } else if (part.startsWith(u"kw:"_s, Qt::CaseInsensitive) && part.size() > 3) {
            m_keywords.append(part.mid(3).toCaseFolded());
        } else if (const QRegularExpressionMatch match = unused.match(part); match.hasMatch()) {
            const QChar unit = match.captured(2).at(0).toLower();
            const int days = match.captured(1).toInt() * (unit == u'w' ? 7 : unit == u'm' ? 30 : 1);
            m_unusedSince = QDateTime::currentDateTimeUtc().addDays(-days);
        } else if (part.compare(u"deprecated:yes"_s, Qt::CaseInsensitive) == 0) {
            m_deprecated = true;
        } else if (part.compare(u"deprecated:no"_s, Qt::CaseInsensitive) == 0) {
            m_deprecated = false;
        } else if (part.compare(u"cached:yes"_s, Qt::CaseInsensitive) == 0) {
            m_cached = true;
        } else if (part.compare(u"cached:no"_s, Qt::CaseInsensitive) == 0) {
            m_cached = false;
        } else {
            // Still a word (no package holds a colon, so it matches nothing), but no longer
            // silently: the reason is shown at the filter field.
            if (const QString problem = keyProblem(part); !problem.isEmpty()) {
                problems.append(problem);
            }
            m_words.append(part.toCaseFolded().toUtf8()); // matched against folded text
        }
    }
    const QString error = problems.join(u' ');
    if (error != m_error) {
        m_error = error;
        emit filterErrorChanged(m_error);
    }
    if (m_unusedSince.isValid() && m_downloadTimesSource) {
        m_downloadTimes = m_downloadTimesSource();
    }
    matchWords();
    invalidateFilter();
}

QString PackageFilterProxyModel::keyProblem(const QString &part)
{
    // A word that starts like a key ("letters:") names a key; package names, scopes and project
    // paths never hold a colon, so no such word can be a plain word that matches.
    static const QRegularExpression key(u"^([A-Za-z]+):(.*)$"_s);
    const QRegularExpressionMatch match = key.match(part);
    if (!match.hasMatch()) {
        return {};
    }
    const QString name = match.captured(1).toLower();
    if (name == u"deprecated"_s) {
        return tr("“%1”: deprecated: takes yes or no.").arg(part);
    }
    if (name == u"cached"_s) {
        return tr("“%1”: cached: takes yes or no.").arg(part);
    }
    if (name == u"unused"_s) {
        return tr("“%1”: unused: takes a period such as 90d, 12w or 6m.").arg(part);
    }
    if ((name == u"tag"_s || name == u"kw"_s) && match.captured(2).isEmpty()) {
        return tr("“%1”: %2: needs a value.").arg(part, name);
    }
    if (name == u"tag"_s || name == u"kw"_s) {
        return {};
    }
    return tr("Unknown filter “%1:”: use tag:, kw:, deprecated:yes|no, cached:yes|no or "
              "unused:90d.")
        .arg(match.captured(1));
}

QString PackageFilterProxyModel::helpText()
{
    return tr("Words match package names, scopes and project paths.\n"
              "tag:NAME shows packages with that dist-tag; kw:WORD those with that keyword.\n"
              "deprecated:yes or deprecated:no keeps packages with some or with no deprecated "
              "version.\n"
              "cached:yes shows only the packages the proxy keeps from the upstream; "
              "cached:no only those published here.\n"
              "unused:90d (or 12w, 6m) keeps packages nobody downloaded or published in that "
              "time.");
}

void PackageFilterProxyModel::setDownloadTimesSource(
    std::function<QHash<QString, QDateTime>()> source)
{
    m_downloadTimesSource = std::move(source);
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
    if (m_cached && packages->isCachedAt(sourceRow) != *m_cached) {
        return false;
    }
    // Any deprecated version, as the Status column counts them: "2 deprecated" is a match.
    if (m_deprecated
        && (package.deprecated || package.deprecatedVersionCount > 0) != *m_deprecated) {
        return false;
    }
    if (m_unusedSince.isValid()) {
        // A version published within the period has not had the time to be used.
        if (package.updatedAt >= m_unusedSince) {
            return false;
        }
        const QDateTime downloaded = m_downloadTimes.value(
            Trove::PackageStore::downloadKey(package.projectId, package.name));
        if (downloaded.isValid() && downloaded >= m_unusedSince) {
            return false;
        }
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
        // The rows matched when the filter text was set, while the rows are still those.
        if (m_wordsMatched && packages->generation() == m_wordsGeneration
            && sourceRow < m_wordRows.size()) {
            return m_wordRows.testBit(sourceRow);
        }
        return textMatches(sourceRow);
    }
    return true;
}

bool PackageFilterProxyModel::textMatches(int sourceRow) const
{
    const auto *packages = static_cast<const PackageTableModel *>(sourceModel());
    const QByteArray &text = packages->foldedSearchTextAt(sourceRow);
    for (const QByteArray &word : m_words) {
        // memmem: glibc's search is several times faster than QString::contains on these short
        // texts, which matters for 100,000 rows per keystroke.
        if (!::memmem(
                text.constData(), size_t(text.size()), word.constData(), size_t(word.size()))) {
            return false;
        }
    }
    return true;
}

void PackageFilterProxyModel::matchWords()
{
    m_wordsMatched = false;
    const auto *packages = qobject_cast<const PackageTableModel *>(sourceModel());
    if (!packages || m_words.isEmpty()) {
        return;
    }
    const quint64 generation = packages->generation();
    if (generation != m_recentGeneration) {
        m_recent.clear();
        m_recentGeneration = generation;
    }
    const int rows = packages->rowCount();
    const auto found = std::find_if(m_recent.cbegin(), m_recent.cend(), [&](const WordMatches &m) {
        return m.words == m_words;
    });
    if (found != m_recent.cend()) {
        m_wordRows = found->rows;
        m_recent.move(found - m_recent.cbegin(), 0);
    } else {
        // Rows that miss a part of a word miss the word: an earlier result whose every word is
        // part of one of these words holds all rows that can match now.
        const QBitArray *narrowest = nullptr;
        for (const WordMatches &earlier : std::as_const(m_recent)) {
            const bool implied = std::all_of(
                earlier.words.cbegin(), earlier.words.cend(), [&](const QByteArray &part) {
                    return std::any_of(m_words.cbegin(), m_words.cend(), [&](const QByteArray &w) {
                        return w.contains(part);
                    });
                });
            if (implied && (!narrowest || earlier.rows.count(true) < narrowest->count(true))) {
                narrowest = &earlier.rows;
            }
        }
        QBitArray matched(rows);
        for (int row = 0; row < rows; ++row) {
            if ((!narrowest || narrowest->testBit(row)) && textMatches(row)) {
                matched.setBit(row);
            }
        }
        m_wordRows = matched;
        m_recent.prepend({m_words, std::move(matched)});
        constexpr qsizetype MaxRecent = 32;
        if (m_recent.size() > MaxRecent) {
            m_recent.removeLast();
        }
    }
    m_wordsGeneration = generation;
    m_wordsMatched = true;
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
