// SPDX-License-Identifier: GPL-3.0-or-later
#include "model/services/namespaceservice.h"

#include "model/events.h"

#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace Trove {

NamespaceService::NamespaceService(const Database &database, Events *events)
    : m_store(database)
    , m_events(events)
{
}

bool NamespaceService::isValidPathSegment(const QString &segment)
{
    static const QRegularExpression pattern(u"^[A-Za-z0-9_][A-Za-z0-9_.\\-]*$"_s);
    return !segment.isEmpty() && segment.size() <= 255 && pattern.match(segment).hasMatch()
        && !segment.endsWith(u".git"_s, Qt::CaseInsensitive)
        && !segment.endsWith(u".atom"_s, Qt::CaseInsensitive);
}

Result<QString> NamespaceService::parentAndLeaf(const QString &fullPath, QString *leaf) const
{
    const QStringList segments = fullPath.split(u'/');
    for (const QString &segment : segments) {
        if (!isValidPathSegment(segment)) {
            return Error::invalid(
                u"Invalid path %1: each part may contain only letters, digits, '_', '-' and '.',"
                " cannot start with '-' or '.' and cannot end in '.git' or '.atom'"_s.arg(
                    fullPath.isEmpty() ? u"\"\""_s : fullPath));
        }
    }
    *leaf = segments.last();
    return QStringList(segments.begin(), segments.end() - 1).join(u'/');
}

Result<Group>
NamespaceService::createGroup(const QString &fullPath, Visibility visibility, const QString &name)
{
    QString leaf;
    const Result<QString> parentPath = parentAndLeaf(fullPath, &leaf);
    if (!parentPath) {
        return parentPath.error();
    }
    Group group;
    if (!parentPath->isEmpty()) {
        const Result<Group> parent = m_store.groupByPath(*parentPath);
        if (!parent) {
            return parent.error().code == Error::Code::NotFound
                ? Error::notFound(u"Parent group %1 not found"_s.arg(*parentPath))
                : parent.error();
        }
        if (int(visibility) > int(parent->visibility)) {
            return Error::invalid(
                u"A subgroup cannot be more visible than its parent group %1 (%2)"_s.arg(
                    parent->fullPath, visibilityName(parent->visibility)));
        }
        group.parentId = parent->id;
        group.fullPath = parent->fullPath + u'/' + leaf;
    } else {
        group.fullPath = leaf;
    }
    const Result<bool> taken = m_store.pathTaken(group.fullPath);
    if (!taken) {
        return taken.error();
    }
    if (*taken) {
        return Error::conflict(u"Path %1 has already been taken"_s.arg(group.fullPath));
    }
    group.path = leaf;
    group.name = name.isEmpty() ? leaf : name;
    group.visibility = visibility;
    group.createdAt = QDateTime::currentDateTimeUtc();
    Result<Group> created = m_store.insertGroup(group);
    if (created && m_events) {
        emit m_events->namespacesChanged();
    }
    return created;
}

Result<Project>
NamespaceService::createProject(const QString &fullPath, Visibility visibility, const QString &name)
{
    QString leaf;
    const Result<QString> groupPath = parentAndLeaf(fullPath, &leaf);
    if (!groupPath) {
        return groupPath.error();
    }
    if (groupPath->isEmpty()) {
        return Error::invalid(
            u"A project lives in a group: give GROUP/PROJECT, e.g. acme/%1"_s.arg(leaf));
    }
    const Result<Group> group = m_store.groupByPath(*groupPath);
    if (!group) {
        return group.error().code == Error::Code::NotFound
            ? Error::notFound(u"Group %1 not found"_s.arg(*groupPath))
            : group.error();
    }
    if (int(visibility) > int(group->visibility)) {
        return Error::invalid(u"A project cannot be more visible than its group %1 (%2)"_s.arg(
            group->fullPath, visibilityName(group->visibility)));
    }
    Project project;
    project.namespaceId = group->id;
    project.path = leaf;
    project.fullPath = group->fullPath + u'/' + leaf;
    const Result<bool> taken = m_store.pathTaken(project.fullPath);
    if (!taken) {
        return taken.error();
    }
    if (*taken) {
        return Error::conflict(u"Path %1 has already been taken"_s.arg(project.fullPath));
    }
    project.name = name.isEmpty() ? leaf : name;
    project.visibility = visibility;
    project.createdAt = QDateTime::currentDateTimeUtc();
    Result<Project> created = m_store.insertProject(project);
    if (created && m_events) {
        emit m_events->namespacesChanged();
    }
    return created;
}

Result<Group> NamespaceService::findGroup(const QString &idOrPath) const
{
    bool numeric = false;
    const qint64 id = idOrPath.toLongLong(&numeric);
    return numeric ? m_store.groupById(id) : m_store.groupByPath(idOrPath);
}

Result<Project> NamespaceService::findProject(const QString &idOrPath) const
{
    bool numeric = false;
    const qint64 id = idOrPath.toLongLong(&numeric);
    return numeric ? m_store.projectById(id) : m_store.projectByPath(idOrPath);
}

} // namespace Trove
