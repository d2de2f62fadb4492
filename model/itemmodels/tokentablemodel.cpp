// SPDX-License-Identifier: GPL-3.0-or-later
#include "model/itemmodels/tokentablemodel.h"

#include "model/store/namespacestore.h"
#include "model/store/tokenstore.h"
#include "model/store/userstore.h"

#include <QHash>
#include <QLocale>

using namespace Qt::StringLiterals;

namespace Trove {

TokenTableModel::TokenTableModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

Result<QList<TokenTableModel::Row>> TokenTableModel::load(const Database &database,
                                                          const QDate &today)
{
    const Result<QList<User>> users = UserStore(database).users();
    const NamespaceStore namespaces(database);
    const Result<QList<Group>> groups = namespaces.groups();
    const Result<QList<Project>> projects = namespaces.projects();
    const TokenStore tokens(database);
    const Result<QList<PersonalAccessToken>> personal = tokens.personalTokens();
    const Result<QList<DeployToken>> deploy = tokens.deployTokens();
    const Result<QList<JobToken>> jobs = tokens.jobTokens();
    for (const Error *error : {users ? nullptr : &users.error(),
                               groups ? nullptr : &groups.error(),
                               projects ? nullptr : &projects.error(),
                               personal ? nullptr : &personal.error(),
                               deploy ? nullptr : &deploy.error(),
                               jobs ? nullptr : &jobs.error()}) {
        if (error) {
            return *error;
        }
    }
    QHash<qint64, QString> userNames;
    for (const User &user : *users) {
        userNames.insert(user.id, user.username);
    }
    QHash<qint64, QString> groupPaths;
    for (const Group &group : *groups) {
        groupPaths.insert(group.id, group.fullPath);
    }
    QHash<qint64, QString> projectPaths;
    for (const Project &project : *projects) {
        projectPaths.insert(project.id, project.fullPath);
    }
    const auto expiredOrActive = [&today](bool revoked, const std::optional<QDate> &expiresAt) {
        if (revoked) {
            return State::Revoked;
        }
        return expiresAt && *expiresAt <= today ? State::Expired : State::Active;
    };

    QList<Row> rows;
    for (const PersonalAccessToken &token : *personal) {
        rows.append({TokenKind::Personal,
                     token.id,
                     token.name,
                     token.prefix,
                     userNames.value(token.userId),
                     token.scopes,
                     token.expiresAt,
                     token.lastUsedAt,
                     token.createdAt,
                     expiredOrActive(token.revoked, token.expiresAt)});
    }
    for (const DeployToken &token : *deploy) {
        const QString owner = token.groupId
            ? tr("group %1").arg(groupPaths.value(token.groupId))
            : tr("project %1").arg(projectPaths.value(token.projectId));
        rows.append({TokenKind::Deploy,
                     token.id,
                     token.name,
                     token.prefix,
                     owner,
                     token.scopes,
                     token.expiresAt,
                     token.lastUsedAt,
                     token.createdAt,
                     expiredOrActive(token.revoked, token.expiresAt)});
    }
    for (const JobToken &token : *jobs) {
        rows.append({TokenKind::Job,
                     token.id,
                     QString(),
                     token.prefix,
                     tr("project %1 (as %2)")
                         .arg(projectPaths.value(token.projectId), userNames.value(token.userId)),
                     {},
                     std::nullopt,
                     {},
                     token.createdAt,
                     token.running ? State::Running : State::Finished});
    }
    std::sort(rows.begin(), rows.end(), [](const Row &a, const Row &b) {
        return a.createdAt != b.createdAt ? a.createdAt > b.createdAt : a.id > b.id;
    });
    return rows;
}

int TokenTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int TokenTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString TokenTableModel::scopeDescription(const QString &scope)
{
    if (scope == Scope::Api) {
        return tr("api: read and publish packages, tag and deprecate, as the user's roles allow");
    }
    if (scope == Scope::ReadApi) {
        return tr("read_api: install and view packages the user may see");
    }
    if (scope == Scope::ReadPackageRegistry) {
        return tr("read_package_registry: install the group's or project's packages");
    }
    if (scope == Scope::WritePackageRegistry) {
        return tr("write_package_registry: publish and tag in the group or project");
    }
    return scope;
}

QString TokenTableModel::scopeWords(const QStringList &scopes)
{
    // What the token may do, in words; the scope names themselves are in the tooltip.
    QStringList words;
    const auto add = [&words](const QString &word) {
        if (!words.contains(word)) {
            words.append(word);
        }
    };
    for (const QString &scope : scopes) {
        if (scope == Scope::Api) {
            add(tr("install"));
            add(tr("publish"));
        } else if (scope == Scope::ReadApi || scope == Scope::ReadPackageRegistry) {
            add(tr("install"));
        } else if (scope == Scope::WritePackageRegistry) {
            add(tr("publish"));
        } else {
            add(scope);
        }
    }
    return words.join(u", "_s);
}

QVariant TokenTableModel::data(const QModelIndex &index, int role) const
{
    Q_ASSERT(checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid));
    const Row &row = m_rows.at(index.row());
    const QLocale locale;
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case KindColumn:
            return row.kind == TokenKind::Personal ? tr("personal")
                : row.kind == TokenKind::Deploy    ? tr("deploy")
                                                   : tr("CI job");
        case NameColumn:
            return row.name.isEmpty() ? row.prefix + u'…' : u"%1 (%2…)"_s.arg(row.name, row.prefix);
        case OwnerColumn:
            return row.owner;
        case ScopesColumn:
            return row.kind == TokenKind::Job ? tr("the job's user, for its project")
                                              : scopeWords(row.scopes);
        case ExpiresColumn:
            return row.expiresAt
                ? locale.toString(*row.expiresAt, QLocale::ShortFormat)
                : (row.kind == TokenKind::Job ? tr("when the job ends") : tr("never"));
        case LastUsedColumn:
            return row.lastUsedAt.isValid()
                ? locale.toString(row.lastUsedAt.toLocalTime(), QLocale::ShortFormat)
                : tr("never used");
        case StateColumn:
            switch (row.state) {
            case State::Active:
                return tr("active");
            case State::Expired:
                return tr("expired");
            case State::Revoked:
                return tr("revoked");
            case State::Running:
                return tr("job running");
            case State::Finished:
                return tr("job finished");
            }
            return {};
        default:
            return {};
        }
    case Qt::ToolTipRole:
        if (index.column() == ScopesColumn) {
            QStringList lines;
            for (const QString &scope : row.scopes) {
                lines.append(scopeDescription(scope));
            }
            return lines.join(u'\n');
        }
        return {};
    case KindRole:
        return int(row.kind);
    case IdRole:
        return row.id;
    case StateRole:
        return int(row.state);
    default:
        return {};
    }
}

QVariant TokenTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) {
        return QAbstractTableModel::headerData(section, orientation, role);
    }
    switch (section) {
    case KindColumn:
        return tr("Kind");
    case NameColumn:
        return tr("Token");
    case OwnerColumn:
        return tr("For");
    case ScopesColumn:
        return tr("May");
    case ExpiresColumn:
        return tr("Expires");
    case LastUsedColumn:
        return tr("Last used");
    case StateColumn:
        return tr("State");
    default:
        return {};
    }
}

void TokenTableModel::setRows(QList<Row> rows)
{
    beginResetModel();
    m_rows = std::move(rows);
    endResetModel();
}

} // namespace Trove
