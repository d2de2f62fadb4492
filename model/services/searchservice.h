// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "model/result.h"
#include "model/store/searchstore.h"

#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>

namespace Trove {

class Database;

// npm search over the packages of the projects a caller may read (docs/npm-api.md §11.4):
// words of the query match name, description, keywords and README of each package's latest
// version; qualifiers as npm's registry knows them narrow it down.
class SearchService final
{
public:
    explicit SearchService(const Database &database);

    static constexpr int DefaultSize = 20;
    static constexpr int MaxSize = 250;

    struct Hit
    {
        QString name;
        QString version; // the latest
        QString description;
        QStringList keywords;
        QDateTime date; // when that version was published
        QString publisher;
        // From the latest version's package.json, empty when it has none.
        QString homepage;
        QString repository;
        QString bugs;
        QString projectPath;
        bool deprecated = false;
        double score = 0; // 0 < score <= 1: relevance against the best match of the query
        bool exact = false;
    };

    struct Results
    {
        QList<Hit> hits;
        qint64 total = 0;
    };

    // `text` as npm sends it: words (each matches the start of a word anywhere, all must match)
    // and the qualifiers `keywords:a,b`, `scope:acme`, `is:deprecated`, `not:deprecated`.
    // Invalid when size is not 1..MaxSize or from is negative.
    Result<Results>
    search(const QString &text, const QList<qint64> &projectIds, int size, int from) const;

    // The store's query for `text` (for the tests): the FTS5 expression and the filters.
    static SearchStore::Query parseQuery(const QString &text);

private:
    const Database &m_database;
};

} // namespace Trove
