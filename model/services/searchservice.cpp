// SPDX-License-Identifier: GPL-3.0-or-later
#include "model/services/searchservice.h"

#include "model/store/searchstore.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace Trove {

namespace {

// The word pieces FTS5's unicode61 tokenizer makes of `text`: runs of letters and digits.
QStringList tokensOf(const QString &text)
{
    QStringList tokens;
    QString current;
    for (const QChar c : text) {
        if (c.isLetterOrNumber()) {
            current += c;
        } else if (!current.isEmpty()) {
            tokens.append(current);
            current.clear();
        }
    }
    if (!current.isEmpty()) {
        tokens.append(current);
    }
    return tokens;
}

// One user word as an FTS5 phrase whose last token may be the start of a longer one:
// "widget-co" → "widget co"*. Tokens are letters and digits only, so nothing in them is FTS5
// syntax.
QString phrase(const QStringList &tokens, bool prefix)
{
    return u'"' + tokens.join(u' ') + u'"' + (prefix ? u"*"_s : QString());
}

// A URL-ish field of package.json: a string, or an object with `url`.
QString urlOf(const QJsonValue &value)
{
    QString url = value.isObject() ? value.toObject().value(u"url"_s).toString() : value.toString();
    if (url.startsWith(u"git+"_s)) {
        url = url.mid(4);
    }
    return url;
}

} // namespace

SearchService::SearchService(const Database &database)
    : m_database(database)
{
}

SearchStore::Query SearchService::parseQuery(const QString &text)
{
    SearchStore::Query query;
    QStringList terms;
    QStringList words;
    static const QRegularExpression space(u"\\s+"_s);
    const QStringList parts = text.split(space, Qt::SkipEmptyParts);
    for (const QString &part : parts) {
        const qsizetype colon = part.indexOf(u':');
        const QString qualifier = colon > 0 ? part.left(colon).toLower() : QString();
        const QString value = colon > 0 ? part.mid(colon + 1) : QString();
        if (qualifier == u"keywords"_s) {
            // npm: any of the comma-separated keywords.
            QStringList any;
            for (const QString &keyword : value.split(u',', Qt::SkipEmptyParts)) {
                if (const QStringList tokens = tokensOf(keyword); !tokens.isEmpty()) {
                    any.append(u"keywords : "_s + phrase(tokens, false));
                }
            }
            if (!any.isEmpty()) {
                terms.append(u'(' + any.join(u" OR "_s) + u')');
            }
        } else if (qualifier == u"scope"_s) {
            query.scope = value.startsWith(u'@') ? value.mid(1) : value;
        } else if ((qualifier == u"is"_s || qualifier == u"not"_s)
                   && value.compare(u"deprecated"_s, Qt::CaseInsensitive) == 0) {
            query.deprecated = qualifier == u"is"_s;
        } else if (!qualifier.isEmpty()
                   && (qualifier == u"author"_s || qualifier == u"maintainer"_s
                       || qualifier == u"boost-exact"_s || qualifier == u"is"_s
                       || qualifier == u"not"_s)) {
            // npm's other qualifiers: nothing here to match them against; they narrow nothing.
        } else if (const QStringList tokens = tokensOf(part); !tokens.isEmpty()) {
            terms.append(phrase(tokens, true));
            words.append(part);
        }
    }
    query.match = terms.join(u' ');
    if (words.size() == 1) {
        query.exactName = words.first();
    }
    return query;
}

Result<SearchService::Results> SearchService::search(const QString &text,
                                                     const QList<qint64> &projectIds,
                                                     int size,
                                                     int from) const
{
    if (size < 1 || size > MaxSize) {
        return Error::invalid(u"size must be between 1 and %1"_s.arg(MaxSize));
    }
    if (from < 0) {
        return Error::invalid(u"from must not be negative"_s);
    }
    SearchStore::Query query = parseQuery(text);
    query.projectIds = projectIds;
    query.size = size;
    query.from = from;
    const Result<SearchStore::Page> page = SearchStore(m_database).search(query);
    if (!page) {
        return page.error();
    }
    Results results;
    results.total = page->total;
    for (const SearchStore::Row &row : page->rows) {
        Hit hit;
        hit.name = row.name;
        hit.version = row.version;
        hit.description = row.description;
        hit.keywords = row.keywords;
        hit.date = row.date;
        hit.publisher = row.publisher;
        hit.projectPath = row.projectPath;
        hit.deprecated = row.deprecated;
        hit.exact = row.exact;
        hit.score = row.relevance;
        const QJsonObject manifest = QJsonDocument::fromJson(row.packageJson).object();
        hit.homepage = manifest.value(u"homepage"_s).toString();
        hit.repository = urlOf(manifest.value(u"repository"_s));
        hit.bugs = urlOf(manifest.value(u"bugs"_s));
        results.hits.append(std::move(hit));
    }
    return results;
}

} // namespace Trove
