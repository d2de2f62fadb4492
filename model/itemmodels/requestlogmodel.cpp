// SPDX-License-Identifier: GPL-3.0-or-later
#include "model/itemmodels/requestlogmodel.h"

#include <QLocale>

using namespace Qt::StringLiterals;

namespace Trove {

RequestLogModel::RequestLogModel(qsizetype capacity, QObject *parent)
    : QAbstractTableModel(parent)
    , m_capacity(std::max<qsizetype>(1, capacity))
{
}

int RequestLogModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_entries.size());
}

int RequestLogModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString RequestLogModel::tokenText(const RequestLogEntry &entry)
{
    if (entry.tokenKind.isEmpty()) {
        return tr("none");
    }
    QString text = entry.tokenKind;
    if (!entry.tokenName.isEmpty()) {
        text += u" '"_s + entry.tokenName + u'\'';
    }
    // A deploy token's username is a generated label, not a person: the name says more.
    if (!entry.username.isEmpty() && entry.username != entry.tokenName
        && entry.tokenKind != u"deploy"_s) {
        text += u" ("_s + entry.username + u')';
    }
    return text;
}

QString RequestLogModel::curlCommand(const RequestLogEntry &entry, const QString &origin)
{
    QString base = origin;
    while (base.endsWith(u'/')) {
        base.chop(1);
    }
    QString command = u"curl -i"_s;
    if (entry.method == u"HEAD"_s) {
        command += u" --head"_s;
    } else if (entry.method != u"GET"_s) {
        command += u" -X "_s + entry.method;
    }
    // Single quotes: the path's percent signs and the rest stay as they are.
    command += u" '"_s + base + entry.path + u'\'';
    if (!entry.tokenKind.isEmpty()) {
        // Never the token itself: the log does not have it, and a pasted command must not.
        command += u" -H \"Authorization: Bearer $NPM_TOKEN\""_s;
    }
    return command;
}

QVariant RequestLogModel::data(const QModelIndex &index, int role) const
{
    Q_ASSERT(checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid));
    const RequestLogEntry &entry = m_entries.at(index.row());
    const bool problem = entry.status >= 400;
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case TimeColumn:
            return entry.time.toLocalTime().toString(u"HH:mm:ss.zzz"_s);
        case MethodColumn:
            return entry.method;
        case PathColumn:
            return entry.path;
        case LevelColumn:
            return entry.level;
        case TokenColumn:
            return tokenText(entry);
        case StatusColumn:
            return entry.status;
        case BytesColumn:
            return QLocale().formattedDataSize(entry.bytes);
        case DurationColumn:
            return entry.durationMs;
        case ReasonColumn:
            return entry.reason;
        default:
            return {};
        }
    case Qt::ToolTipRole:
        if (index.column() == ReasonColumn || index.column() == PathColumn) {
            return index.column() == ReasonColumn ? entry.reason : entry.path;
        }
        return {};
    case Qt::TextAlignmentRole:
        if (index.column() == BytesColumn || index.column() == DurationColumn
            || index.column() == StatusColumn) {
            return int(Qt::AlignRight | Qt::AlignVCenter);
        }
        return {};
    case StatusRole:
        return entry.status;
    case ProblemRole:
        return problem;
    case SearchTextRole:
        return QString(entry.method + u' ' + entry.path + u' ' + QString::number(entry.status)
                       + u' ' + tokenText(entry) + u' ' + entry.level + u' ' + entry.reason);
    default:
        return {};
    }
}

QVariant RequestLogModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) {
        return QAbstractTableModel::headerData(section, orientation, role);
    }
    switch (section) {
    case TimeColumn:
        return tr("Time");
    case MethodColumn:
        return tr("Method");
    case PathColumn:
        return tr("Path");
    case LevelColumn:
        return tr("Level");
    case TokenColumn:
        return tr("Token");
    case StatusColumn:
        return tr("Status");
    case BytesColumn:
        return tr("Bytes");
    case DurationColumn:
        return tr("ms");
    case ReasonColumn:
        return tr("Why");
    default:
        return {};
    }
}

void RequestLogModel::append(const QList<RequestLogEntry> &entries)
{
    if (entries.isEmpty()) {
        return;
    }
    // Only the newest `capacity` of the batch can stay.
    const qsizetype skip = std::max<qsizetype>(0, entries.size() - m_capacity);
    const qsizetype incoming = entries.size() - skip;
    const qsizetype overflow = m_entries.size() + incoming - m_capacity;
    if (overflow > 0) {
        beginRemoveRows({}, 0, int(overflow) - 1);
        m_entries.remove(0, overflow);
        endRemoveRows();
    }
    beginInsertRows({}, int(m_entries.size()), int(m_entries.size() + incoming) - 1);
    m_entries.append(entries.mid(skip));
    endInsertRows();
}

void RequestLogModel::clear()
{
    beginResetModel();
    m_entries.clear();
    endResetModel();
}

} // namespace Trove
