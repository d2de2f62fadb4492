// SPDX-License-Identifier: GPL-3.0-or-later
#include "model/store/searchstore.h"

#include "model/domain.h"
#include "model/store/sql.h"
#include "model/store/time.h"

#include <QJsonArray>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace Trove {

namespace {

// %1: the FROM part (with or without the FTS table), %2: its extra condition, %3: the rank.
// The projects come as one JSON array so that the statement's text, and so its prepared form in
// the statement cache, is the same for every caller.
const QString SearchSelect =
    u"WITH hits AS ("
    " SELECT s.project_id, s.name, s.package_id, s.description, s.keywords, %3 AS rank"
    " FROM %1"
    " WHERE s.project_id IN (SELECT value FROM json_each(:projects)) %2"
    " AND (:anyScope OR s.name LIKE :scopePrefix ESCAPE '\\')),"
    " best AS ("
    " SELECT h.*, row_number() OVER (PARTITION BY h.name"
    " ORDER BY p.created_at DESC, p.id DESC) AS n"
    " FROM hits h JOIN packages p ON p.id = h.package_id)"
    " SELECT b.project_id, r.full_path, b.name, p.version, b.description, b.keywords,"
    " p.package_json, p.publisher, p.created_at, p.status, b.rank,"
    " (lower(b.name) = lower(:exact)"
    " OR lower(substr(b.name, instr(b.name, '/') + 1)) = lower(:exactBare)) AS exact,"
    " count(*) OVER () AS total, min(b.rank) OVER () AS top"
    " FROM best b JOIN packages p ON p.id = b.package_id JOIN projects r ON r.id = b.project_id"
    " WHERE b.n = 1 AND r.packages_enabled = 1 AND (:anyStatus OR p.status = :status)"
    " ORDER BY exact DESC, b.rank, b.name LIMIT :size OFFSET :from"_s;

// Weights of name, description, keywords and README in the ranking.
const QString Ranked = u"bm25(package_search_fts, 10.0, 4.0, 6.0, 1.0)"_s;

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
    QJsonArray projects;
    for (const qint64 id : query.projectIds) {
        projects.append(id);
    }
    const bool fts = !query.match.isEmpty();
    const QString sql = fts
        ? SearchSelect.arg(u"package_search_fts f JOIN package_search s ON s.id = f.rowid"_s,
                           u"AND package_search_fts MATCH :match"_s,
                           Ranked)
        : SearchSelect.arg(u"package_search s"_s, QString(), u"0.0"_s);
    const auto run = [&](int size, int from) -> Result<void> {
        Sql::Statement select(m_database, sql);
        select.bind(u":projects"_s, QString::fromUtf8(QJsonDocument(projects).toJson()))
            .bind(u":anyScope"_s, query.scope.isEmpty() ? 1 : 0)
            .bind(u":scopePrefix"_s, QString(u'@' + likeEscaped(query.scope) + u"/%"_s))
            .bind(u":exact"_s, query.exactName)
            .bind(u":exactBare"_s, query.exactName)
            .bind(u":anyStatus"_s, query.deprecated ? 0 : 1)
            .bind(u":status"_s,
                  int(query.deprecated.value_or(false) ? PackageStatus::Deprecated
                                                       : PackageStatus::Default))
            .bind(u":size"_s, size)
            .bind(u":from"_s, from);
        if (fts) {
            select.bind(u":match"_s, query.match);
        }
        if (!select.exec()) {
            return select.error(u"Cannot search the packages"_s);
        }
        while (select.next()) {
            Row row;
            row.projectId = select.value(0).toLongLong();
            row.projectPath = select.value(1).toString();
            row.name = select.value(2).toString();
            row.version = select.value(3).toString();
            row.description = select.value(4).toString();
            row.keywords = keywordList(select.value(5).toString());
            row.packageJson = select.value(6).toString().toUtf8();
            row.publisher = select.value(7).toString();
            row.date = StoreTime::fromStored(select.value(8));
            row.deprecated = PackageStatus(select.value(9).toInt()) == PackageStatus::Deprecated;
            const double rank = select.value(10).toDouble();
            row.exact = select.value(11).toBool();
            page.total = select.value(12).toLongLong();
            const double top = select.value(13).toDouble();
            // bm25 is negative, lower is better: the best match gets 1.
            row.relevance = fts && top < 0 ? rank / top : 1.0;
            page.rows.append(std::move(row));
        }
        return {};
    };
    if (const Result<void> ran = run(query.size, query.from); !ran) {
        return ran.error();
    }
    if (page.rows.isEmpty() && query.from > 0) {
        // Past the end: the window's count came with no row; count with the first one.
        if (const Result<void> counted = run(1, 0); !counted) {
            return counted.error();
        }
        page.rows.clear();
    }
    return page;
}

} // namespace Trove
