// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "model/domain.h"
#include "model/result.h"
#include "model/store/namespacestore.h"

namespace Trove {

class Database;
class Events;

// Groups, subgroups and projects, with GitLab's path rules.
class NamespaceService final
{
public:
    NamespaceService(const Database &database, Events *events = nullptr);

    // "acme" creates a top-level group, "acme/frontend" a subgroup of the existing "acme".
    // A subgroup cannot be more visible than its parent.
    Result<Group> createGroup(const QString &fullPath,
                              Visibility visibility = Visibility::Private,
                              const QString &name = {});
    // "acme/frontend/widgets": a project in the existing group "acme/frontend". A project cannot
    // be more visible than its group.
    Result<Project> createProject(const QString &fullPath,
                                  Visibility visibility = Visibility::Private,
                                  const QString &name = {});

    // By numeric id or full path (URL-decoded).
    Result<Group> findGroup(const QString &idOrPath) const;
    Result<Project> findProject(const QString &idOrPath) const;

    // GitLab: letters, digits, '_', '-' and '.'; not starting with '-' or '.'; not ending in
    // '.git' or '.atom'; at most 255 characters.
    static bool isValidPathSegment(const QString &segment);

    NamespaceStore &store() { return m_store; }

private:
    Result<QString> parentAndLeaf(const QString &fullPath, QString *leaf) const;

    NamespaceStore m_store;
    Events *m_events;
};

} // namespace Trove
