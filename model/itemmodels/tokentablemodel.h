// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "model/domain.h"
#include "model/result.h"

#include <QAbstractTableModel>
#include <QDateTime>
#include <QList>

namespace Trove {

class Database;

// Every token of the registry: personal access, deploy and CI job tokens, with their owner,
// scopes, expiry, last use and state. Never a secret: only the visible prefix. A value snapshot
// read by load() off the GUI thread; data() never touches the store.
class TokenTableModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TokenTableModel)

public:
    enum Column {
        KindColumn,
        NameColumn,
        OwnerColumn,
        ScopesColumn,
        ExpiresColumn,
        LastUsedColumn,
        StateColumn,
        ColumnCount
    };
    enum Role { KindRole = Qt::UserRole, IdRole, StateRole };
    enum class State { Active, Expired, Revoked, Running, Finished };

    struct Row
    {
        TokenKind kind = TokenKind::Personal;
        qint64 id = 0;
        QString name;
        QString prefix;
        QString owner; // "mia", "group acme", "project acme/core (as mia)"
        QStringList scopes;
        std::optional<QDate> expiresAt;
        QDateTime lastUsedAt;
        QDateTime createdAt;
        State state = State::Active;
    };

    explicit TokenTableModel(QObject *parent = nullptr);

    // Reads every token, newest first. `today` (UTC) decides what has expired.
    static Result<QList<Row>> load(const Database &database, const QDate &today);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant
    headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    void setRows(QList<Row> rows);
    const Row &rowAt(int row) const { return m_rows.at(row); }

    // What a scope allows, in plain words.
    static QString scopeDescription(const QString &scope);
    // The May column: "install", "publish" or both, from the token's scopes.
    static QString scopeWords(const QStringList &scopes);

private:
    QList<Row> m_rows;
};

} // namespace Trove
