// SPDX-License-Identifier: GPL-3.0-or-later
#include "model/store/searchstore.h"

#include "model/domain.h"
#include "model/logging.h"
#include "model/store/sql.h"
#include "model/store/time.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>

using namespace Qt::StringLiterals;

namespace Trove {

namespace {

// The matching entries (one per package name per project): %1 the FROM part (with or without
// the FTS table), %2 its extra condition, %3 the columns, %4 the order and limit.
// The projects come as one JSON array so that the statement's text, and so its prepared form in
// the statement cache, is the same for every caller. Narrow on purpose: at 100,000 packages a
// short word matches most of them, and every column carried through the sort costs.
// %5 the projects' ids (Sql::idsOf()), %6 LIKE (Sql::likeIgnoringCase()).
const QString HitsSelect =
    u"SELECT %3 FROM %1"
    " WHERE s.project_id IN (SELECT value FROM (%5) AS ids"
    " WHERE value IN (SELECT id FROM projects WHERE packages_enabled = 1)) %2"
    " AND (:anyScope = 1 OR s.name %6 :scopePrefix ESCAPE '\\')"
    " AND (:anyStatus = 1 OR (SELECT status FROM packages WHERE id = s.package_id) = :status)"
    " %4"_s;

// %1 the rank, %2 whether the name is the query: as cheap as possible, they run for every hit.
const QString RankedColumns = u"s.name, s.package_id, %1 AS rank, %2 AS exact"_s;

// The name, or the name without its scope, is :exact (npm names are lower case).
const QString ExactName =
    u"(substr(s.name, -length(:exact)) = :exact AND (length(s.name) = length(:exact)"
    " OR substr(s.name, -length(:exact) - 1, 1) = '/'))"_s;
// PostgreSQL's substr() does not count a negative start from the end.
const QString PgExactName =
    u"(right(s.name, length(:exact)) = :exact AND (length(s.name) = length(:exact)"
    " OR substr(s.name, length(s.name) - length(:exact), 1) = '/'))"_s;

const QString RankedOrder = u"ORDER BY exact DESC, rank, s.name, s.package_id DESC LIMIT :limit"_s;
// Without text, in the order of the name index, which ends the scan after one page.
const QString NameOrder = u"ORDER BY s.name, s.package_id DESC LIMIT :limit"_s;

// What a hit shows, for the few entries of one page.
const QString DetailsSelect =
    u"SELECT p.id, r.full_path, p.version, s.description, s.keywords, p.package_json,"
    " p.publisher, p.created_at, p.status, p.project_id, p.name"
    " FROM packages p JOIN projects r ON r.id = p.project_id"
    " JOIN package_search s ON s.project_id = p.project_id AND s.name = p.name"
    " WHERE p.id IN (%1)"_s;

// Weights of name, description, keywords and README in the ranking.
const QString Ranked = u"bm25(package_search_fts, 10.0, 4.0, 6.0, 1.0)"_s;
// PostgreSQL: ts_rank over the weights of D (README), C (description), B (keywords) and A
// (name), in the same proportions; negated, so that lower is better as with bm25.
const QString PgRanked =
    u"-ts_rank('{0.1, 0.4, 0.6, 1.0}', s.document, to_tsquery('simple', :rankMatch))"_s;

// The FTS5 expression SearchService::parseQuery() writes (phrases of letter-and-digit tokens,
// "…"* for a prefix, `keywords : "…"` for one column, OR, parentheses, and terms side by side
// for AND) as a tsquery: phrases become <->, a prefix :*, the keywords column weight B.
QString tsQuery(const QString &match)
{
    QString out;
    bool lastWasOperand = false;
    QString weight;
    const auto operand = [&](const QString &text) {
        if (lastWasOperand) {
            out += u" & "_s;
        }
        out += text;
    };
    for (qsizetype i = 0; i < match.size();) {
        const QChar c = match.at(i);
        if (c.isSpace()) {
            ++i;
        } else if (c == u'(') {
            operand(u"("_s);
            lastWasOperand = false;
            ++i;
        } else if (c == u')') {
            out += u')';
            lastWasOperand = true;
            ++i;
        } else if (match.mid(i, 2) == u"OR"_s) {
            out += u" | "_s;
            lastWasOperand = false;
            i += 2;
        } else if (match.mid(i, 8) == u"keywords"_s) {
            weight = u"B"_s;
            i = match.indexOf(u':', i) + 1;
            if (i == 0) {
                break;
            }
        } else if (c == u'"') {
            const qsizetype end = match.indexOf(u'"', i + 1);
            if (end < 0) {
                break;
            }
            const QStringList tokens =
                match.mid(i + 1, end - i - 1).split(u' ', Qt::SkipEmptyParts);
            i = end + 1;
            const bool prefix = i < match.size() && match.at(i) == u'*';
            if (prefix) {
                ++i;
            }
            QStringList lexemes;
            for (qsizetype t = 0; t < tokens.size(); ++t) {
                QString lexeme = tokens.at(t);
                lexeme.removeIf([](QChar ch) { return !ch.isLetterOrNumber(); });
                const bool last = t == tokens.size() - 1;
                const QString label = (prefix && last ? u"*"_s : QString()) + weight;
                lexemes.append(u'\'' + lexeme + u'\''
                               + (label.isEmpty() ? QString() : u':' + label));
            }
            weight.clear();
            if (!lexemes.isEmpty()) {
                operand(u'(' + lexemes.join(u" <-> "_s) + u')');
                lastWasOperand = true;
            }
        } else {
            ++i; // nothing else is written; skipped rather than passed on
        }
    }
    return out;
}

QString likeEscaped(QString text)
{
    text.replace(u"\\"_s, u"\\\\"_s);
    text.replace(u"%"_s, u"\\%"_s);
    text.replace(u"_"_s, u"\\_"_s);
    return text;
}

QStringList keywordList(const QString &json)
{
    QStringList keywords;
    const QJsonArray array = QJsonDocument::fromJson(json.toUtf8()).array();
    for (const QJsonValue &keyword : array) {
        if (keyword.isString() && !keyword.toString().isEmpty()) {
            keywords.append(keyword.toString());
        }
    }
    return keywords;
}

} // namespace

SearchStore::SearchStore(const Database &database)
    : m_database(database)
{
}

Result<SearchStore::Page> SearchStore::search(const Query &query) const
{
    Page page;
    if (query.projectIds.isEmpty()) {
        return page;
    }
    if (const Result<void> current = m_database.catchUpSearchIndex(); !current) {
        qCWarning(lcStore).noquote() << current.error().message;
    }
    QJsonArray projects;
    for (const qint64 id : query.projectIds) {
        projects.append(id);
    }
    const bool fts = !query.match.isEmpty();
    const bool postgres = m_database.dialect() == Database::Dialect::PostgreSQL;
    // PostgreSQL: the text's tsvector is a column of package_search itself
    // (docs/postgresql.md), and its planner picks the name index by itself.
    const QString from = fts && !postgres
        ? u"package_search_fts f JOIN package_search s ON s.id = f.rowid"_s
        : u"package_search s"_s;
    // The page without text walks the name index (counting walks the project index).
    const QString pageFrom =
        fts || postgres ? from : u"package_search s INDEXED BY package_search_name"_s;
    const QString exactName = query.exactName.toLower();
    const QString match = !fts ? QString()
        : postgres             ? u"AND s.document @@ to_tsquery('simple', :match)"_s
                               : u"AND package_search_fts MATCH :match"_s;
    const QString hitsSelect = QString(HitsSelect)
                                   .replace(u"%5"_s, Sql::idsOf(m_database, u":projects"_s))
                                   .replace(u"%6"_s, Sql::likeIgnoringCase(m_database));
    const auto bindCommon = [&](Sql::Statement &select) {
        select.bind(u":projects"_s, QString::fromUtf8(QJsonDocument(projects).toJson()))
            .bind(u":anyScope"_s, query.scope.isEmpty() ? 1 : 0)
            .bind(u":scopePrefix"_s, QString(u'@' + likeEscaped(query.scope) + u"/%"_s))
            .bind(u":anyStatus"_s, query.deprecated ? 0 : 1)
            .bind(u":status"_s,
                  int(query.deprecated.value_or(false) ? PackageStatus::Deprecated
                                                       : PackageStatus::Default));
        if (fts) {
            select.bind(u":match"_s, postgres ? tsQuery(query.match) : query.match);
        }
    };

    {
        // total counts entries: a name held by several projects in reach counts once for each.
        Sql::Statement count(m_database, hitsSelect.arg(from, match, u"count(*)"_s, QString()));
        bindCommon(count);
        if (!count.exec() || !count.next()) {
            return count.error(u"Cannot search the packages"_s);
        }
        page.total = count.value(0).toLongLong();
    }
    if (page.total == 0 || query.from >= page.total) {
        return page;
    }

    // The page's entries, one per name: the best-ranked entry of a name stands for it (on a tie
    // the most recently published). Fetched from the top with room for names seen twice, and
    // again with more room when that was not enough.
    const QString columns =
        RankedColumns.arg(fts ? (postgres ? PgRanked : Ranked) : u"0.0"_s,
                          exactName.isEmpty() ? u"0"_s : (postgres ? PgExactName : ExactName));
    struct Entry
    {
        qint64 packageId = 0;
        double rank = 0;
        bool exact = false;
    };
    QList<Entry> entries;
    double top = 0;
    qint64 limit = qint64(query.from) + query.size + 16;
    for (;;) {
        Sql::Statement select(
            m_database, hitsSelect.arg(pageFrom, match, columns, fts ? RankedOrder : NameOrder));
        bindCommon(select);
        if (fts && postgres) {
            select.bind(u":rankMatch"_s, tsQuery(query.match));
        }
        if (!exactName.isEmpty()) {
            select.bind(u":exact"_s, exactName);
        }
        select.bind(u":limit"_s, limit);
        if (!select.exec()) {
            return select.error(u"Cannot search the packages"_s);
        }
        entries.clear();
        QSet<QString> names;
        qint64 rows = 0;
        qint64 skipped = 0;
        while (select.next()) {
            ++rows;
            const double rank = select.value(2).toDouble();
            if (rows == 1) {
                top = rank;
            }
            if (entries.size() == query.size || names.contains(select.value(0).toString())) {
                continue;
            }
            names.insert(select.value(0).toString());
            if (skipped < query.from) {
                ++skipped;
                continue;
            }
            entries.append({select.value(1).toLongLong(), rank, select.value(3).toBool()});
        }
        if (entries.size() == query.size || rows < limit) {
            break;
        }
        limit *= 2;
    }
    if (entries.isEmpty()) {
        return page;
    }

    QJsonArray ids;
    for (const Entry &entry : std::as_const(entries)) {
        ids.append(entry.packageId);
    }
    Sql::Statement details(m_database, DetailsSelect.arg(Sql::idsOf(m_database, u":ids"_s)));
    details.bind(u":ids"_s, QString::fromUtf8(QJsonDocument(ids).toJson()));
    if (!details.exec()) {
        return details.error(u"Cannot search the packages"_s);
    }
    QHash<qint64, Row> rows;
    while (details.next()) {
        Row row;
        row.projectPath = details.value(1).toString();
        row.version = details.value(2).toString();
        row.description = details.value(3).toString();
        row.keywords = keywordList(details.value(4).toString());
        row.packageJson = details.value(5).toString().toUtf8();
        row.publisher = details.value(6).toString();
        row.date = StoreTime::fromStored(details.value(7));
        row.deprecated = PackageStatus(details.value(8).toInt()) == PackageStatus::Deprecated;
        row.projectId = details.value(9).toLongLong();
        row.name = details.value(10).toString();
        rows.insert(details.value(0).toLongLong(), std::move(row));
    }
    for (const Entry &entry : std::as_const(entries)) {
        auto it = rows.find(entry.packageId);
        if (it == rows.end()) {
            continue; // unpublished between the two statements
        }
        Row row = std::move(*it);
        // bm25 is negative, lower is better: the best match of the query gets 1.
        row.relevance = fts && top < 0 ? entry.rank / top : 1.0;
        row.exact = entry.exact;
        page.rows.append(std::move(row));
    }
    return page;
}

} // namespace Trove
