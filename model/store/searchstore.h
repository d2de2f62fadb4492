// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "model/result.h"

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace Trove {

class Database;

// The search index: package_search (one row per package name per project, the latest version's
// text) and its FTS5 table. On SQLite, writes note the names they change and search() first
// indexes them (Database::catchUpSearchIndex()); on PostgreSQL, triggers keep both current inside
// each write (model/store/database.cpp, pgschema.cpp).
class SearchStore final
{
public:
    explicit SearchStore(const Database &database);

    struct Query
    {
        QList<qint64> projectIds; // where to look; empty: nowhere
        QString match; // an FTS5 query; empty: every package
        QString exactName; // case-insensitive: this name, or this bare name, ranks first
        QString scope; // without '@'; empty: any
        std::optional<bool> deprecated; // of the latest version; nullopt: either
        int size = 20;
        int from = 0;
    };

    struct Row
    {
        qint64 projectId = 0;
        QString projectPath;
        QString name;
        QString version;
        QString description;
        QStringList keywords;
        QByteArray packageJson; // the latest version's stored package.json
        QString publisher;
        QDateTime date; // when the latest version was published
        bool deprecated = false;
        double relevance = 0; // higher is better; 1 for the best match of the query
        bool exact = false; // the name is the query
    };

    struct Page
    {
        QList<Row> rows;
        qint64 total = 0; // entries, not pages
    };

    // One name appears once on a page: where several projects in reach hold it, the entry that
    // ranks best stands for it (on a tie, the most recently published). Ordered by exactness,
    // then relevance (FTS5's bm25, the name weighing most), then name. `total` counts entries:
    // such a name once per project.
    Result<Page> search(const Query &query) const;

private:
    const Database &m_database;
};

} // namespace Trove
