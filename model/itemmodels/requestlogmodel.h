// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "model/requestlog.h"

#include <QAbstractTableModel>
#include <QList>

namespace Trove {

// The request log's rows, newest last, at most `capacity` of them (the oldest go). Fed in batches
// by append() from RequestLog::takeNew().
class RequestLogModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RequestLogModel)

public:
    enum Column {
        TimeColumn,
        MethodColumn,
        PathColumn,
        LevelColumn,
        TokenColumn,
        StatusColumn,
        BytesColumn,
        DurationColumn,
        ReasonColumn,
        ColumnCount
    };
    enum Role { StatusRole = Qt::UserRole, ProblemRole, SearchTextRole };

    explicit RequestLogModel(qsizetype capacity = 5000, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant
    headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    void append(const QList<Trove::RequestLogEntry> &entries);
    void clear();
    const RequestLogEntry &entryAt(int row) const { return m_entries.at(row); }

    // "personal 'laptop' (mia)", "deploy 'ci'", "job (mia)", "none".
    static QString tokenText(const Trove::RequestLogEntry &entry);
    // The request as a curl command against `origin` ("http://127.0.0.1:4873/"), the token as
    // $NPM_TOKEN: what to paste into a terminal or a bug report.
    static QString curlCommand(const Trove::RequestLogEntry &entry, const QString &origin);

private:
    const qsizetype m_capacity;
    QList<RequestLogEntry> m_entries;
};

} // namespace Trove
