// SPDX-License-Identifier: GPL-3.0-or-later
#include "model/itemmodels/namespacetreemodel.h"

#include "model/store/namespacestore.h"

#include <algorithm>
#include <functional>

using namespace Qt::StringLiterals;

namespace Trove {

namespace {

// What a row shows.
struct Content
{
    NamespaceTreeModel::Kind kind = NamespaceTreeModel::Kind::All;
    qint64 id = 0;
    QString name; // the last path segment
    QString fullPath;
    Visibility visibility = Visibility::Private;
    bool packagesEnabled = true;
    NamespaceTreeModel::ForwardingMode forwarding = NamespaceTreeModel::ForwardingMode::Off;
};

} // namespace

struct NamespaceTreeModel::Node : Content
{
    Node *parent = nullptr;
    std::vector<std::unique_ptr<Node>> children;

    int row() const
    {
        const auto &siblings = parent->children;
        const auto found = std::find_if(
            siblings.cbegin(), siblings.cend(), [this](const auto &n) { return n.get() == this; });
        return int(found - siblings.cbegin());
    }
    bool sameContent(const Content &other) const
    {
        return name == other.name && fullPath == other.fullPath && visibility == other.visibility
            && packagesEnabled == other.packagesEnabled && forwarding == other.forwarding;
    }
    void takeContent(const Content &other)
    {
        name = other.name;
        fullPath = other.fullPath;
        visibility = other.visibility;
        packagesEnabled = other.packagesEnabled;
        forwarding = other.forwarding;
    }
};

namespace {

using Key = std::pair<int, qint64>; // (Kind, id)

// Siblings by path, as the view shows them; kind and id only make the order total.
bool lessThan(const NamespaceTreeModel::Kind kindA,
              const QString &nameA,
              qint64 idA,
              const NamespaceTreeModel::Kind kindB,
              const QString &nameB,
              qint64 idB)
{
    if (nameA != nameB) {
        return nameA < nameB;
    }
    if (kindA != kindB) {
        return int(kindA) < int(kindB);
    }
    return idA < idB;
}

} // namespace

NamespaceTreeModel::NamespaceTreeModel(QObject *parent)
    : QAbstractItemModel(parent)
    , m_root(std::make_unique<Node>())
{
    auto all = std::make_unique<Node>();
    all->parent = m_root.get();
    m_all = all.get();
    m_root->children.push_back(std::move(all));
}

NamespaceTreeModel::~NamespaceTreeModel() = default;

Result<NamespaceTreeModel::Snapshot> NamespaceTreeModel::load(const Database &database)
{
    const NamespaceStore store(database);
    Result<QList<Group>> groups = store.groups();
    if (!groups) {
        return groups.error();
    }
    Result<QList<Project>> projects = store.projects();
    if (!projects) {
        return projects.error();
    }
    Snapshot snapshot;
    snapshot.groups = std::move(*groups);
    snapshot.projects = std::move(*projects);
    const SettingsService settings(database);
    const Result<ForwardingMode> instance = settings.instanceForwardingMode();
    if (!instance) {
        return instance.error();
    }
    snapshot.instanceForwarding = *instance;
    const Result<QUrl> upstream = settings.upstream();
    if (!upstream) {
        return upstream.error();
    }
    snapshot.upstreamHost = upstream->port() > 0
        ? u"%1:%2"_s.arg(upstream->host()).arg(upstream->port())
        : upstream->host();
    for (const Group &group : std::as_const(snapshot.groups)) {
        const Result<ForwardingMode> mode = settings.forwardingModeForGroup(group.id);
        if (!mode) {
            return mode.error();
        }
        if (*mode != ForwardingMode::Off) {
            snapshot.groupForwarding.insert(group.id, *mode);
        }
    }
    for (const Project &project : std::as_const(snapshot.projects)) {
        const Result<ForwardingMode> mode = settings.forwardingModeForProject(project);
        if (!mode) {
            return mode.error();
        }
        if (*mode != ForwardingMode::Off) {
            snapshot.projectForwarding.insert(project.id, *mode);
        }
    }
    return snapshot;
}

NamespaceTreeModel::Node *NamespaceTreeModel::nodeOf(const QModelIndex &index) const
{
    return index.isValid() ? static_cast<Node *>(index.internalPointer()) : m_root.get();
}

QModelIndex NamespaceTreeModel::indexOfNode(const Node *node, int column) const
{
    if (!node || node == m_root.get()) {
        return {};
    }
    return createIndex(node->row(), column, const_cast<Node *>(node));
}

QModelIndex NamespaceTreeModel::index(int row, int column, const QModelIndex &parent) const
{
    if (!hasIndex(row, column, parent)) {
        return {};
    }
    return createIndex(row, column, nodeOf(parent)->children.at(size_t(row)).get());
}

QModelIndex NamespaceTreeModel::parent(const QModelIndex &child) const
{
    if (!child.isValid()) {
        return {};
    }
    return indexOfNode(nodeOf(child)->parent);
}

int NamespaceTreeModel::rowCount(const QModelIndex &parent) const
{
    if (parent.isValid() && parent.column() != 0) {
        return 0;
    }
    return int(nodeOf(parent)->children.size());
}

int NamespaceTreeModel::columnCount(const QModelIndex &) const
{
    return ColumnCount;
}

QString NamespaceTreeModel::forwardingBadge(ForwardingMode mode)
{
    switch (mode) {
    case ForwardingMode::Off:
        return {};
    case ForwardingMode::Redirect:
        return tr("redirect");
    case ForwardingMode::Proxy:
        return tr("proxy");
    }
    return {};
}

QVariant NamespaceTreeModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid)) {
        return {};
    }
    const Node *node = nodeOf(index);
    switch (role) {
    case Qt::DisplayRole:
        if (index.column() == ForwardingColumn) {
            return forwardingBadge(node->forwarding);
        }
        return node->kind == Kind::All ? tr("All packages") : node->name;
    case Qt::ToolTipRole:
        if (index.column() == ForwardingColumn) {
            switch (node->forwarding) {
            case ForwardingMode::Off:
                return {};
            case ForwardingMode::Redirect:
                return tr("Names unknown here are redirected to the upstream registry.");
            case ForwardingMode::Proxy:
                return tr("Names unknown here are fetched from the upstream registry (proxy).");
            }
            return {};
        }
        if (node->kind == Kind::Group) {
            return tr("group %1, %2").arg(node->fullPath, visibilityName(node->visibility));
        }
        if (node->kind == Kind::Project) {
            return node->packagesEnabled
                ? tr("project %1, %2").arg(node->fullPath, visibilityName(node->visibility))
                : tr("project %1, %2: its package registry is switched off (Project ▸ Settings)")
                      .arg(node->fullPath, visibilityName(node->visibility));
        }
        return {};
    case KindRole:
        return int(node->kind);
    case IdRole:
        return node->id;
    case PathRole:
        return node->fullPath;
    case VisibilityRole:
        return int(node->visibility);
    case PackagesEnabledRole:
        return node->packagesEnabled;
    case ForwardingRole:
        return int(node->forwarding);
    default:
        return {};
    }
}

QVariant NamespaceTreeModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) {
        return {};
    }
    switch (section) {
    case NameColumn:
        return tr("Groups and projects");
    case ForwardingColumn:
        return tr("Forwarding");
    default:
        return {};
    }
}

QModelIndex NamespaceTreeModel::allIndex() const
{
    return indexOfNode(m_all);
}

QModelIndex NamespaceTreeModel::indexOf(Kind kind, qint64 id) const
{
    if (kind == Kind::All) {
        return allIndex();
    }
    // Depth first; the tree is small (what a team's registry holds).
    std::vector<const Node *> pending{m_all};
    while (!pending.empty()) {
        const Node *node = pending.back();
        pending.pop_back();
        if (node->kind == kind && node->id == id) {
            return indexOfNode(node);
        }
        for (const auto &child : node->children) {
            pending.push_back(child.get());
        }
    }
    return {};
}

void NamespaceTreeModel::collectProjects(const Node *node, QSet<qint64> *ids) const
{
    if (node->kind == Kind::Project) {
        ids->insert(node->id);
    }
    for (const auto &child : node->children) {
        collectProjects(child.get(), ids);
    }
}

QSet<qint64> NamespaceTreeModel::projectsUnder(const QModelIndex &index) const
{
    QSet<qint64> ids;
    if (index.isValid()) {
        collectProjects(nodeOf(index), &ids);
    }
    return ids;
}

void NamespaceTreeModel::removeNode(Node *node)
{
    Node *parent = node->parent;
    const int row = node->row();
    beginRemoveRows(indexOfNode(parent), row, row);
    parent->children.erase(parent->children.begin() + row);
    endRemoveRows();
}

void NamespaceTreeModel::insertNode(Node *parent, std::unique_ptr<Node> node)
{
    const auto position =
        std::lower_bound(parent->children.cbegin(),
                         parent->children.cend(),
                         node.get(),
                         [](const std::unique_ptr<Node> &a, const Node *b) {
                             return lessThan(a->kind, a->name, a->id, b->kind, b->name, b->id);
                         });
    const int row = int(position - parent->children.cbegin());
    node->parent = parent;
    beginInsertRows(indexOfNode(parent), row, row);
    parent->children.insert(parent->children.begin() + row, std::move(node));
    endInsertRows();
}

void NamespaceTreeModel::sortChildren(Node *parent)
{
    // A selection sort of moves: a rename moves one row, and each move keeps the persistent
    // indexes (the view's current item) on their nodes.
    auto &children = parent->children;
    const QModelIndex parentIndex = indexOfNode(parent);
    for (size_t i = 0; i < children.size(); ++i) {
        size_t smallest = i;
        for (size_t j = i + 1; j < children.size(); ++j) {
            const Node &a = *children[j];
            const Node &b = *children[smallest];
            if (lessThan(a.kind, a.name, a.id, b.kind, b.name, b.id)) {
                smallest = j;
            }
        }
        if (smallest != i) {
            beginMoveRows(parentIndex, int(smallest), int(smallest), parentIndex, int(i));
            std::unique_ptr<Node> moved = std::move(children[smallest]);
            children.erase(children.begin() + qsizetype(smallest));
            children.insert(children.begin() + qsizetype(i), std::move(moved));
            endMoveRows();
        }
    }
}

void NamespaceTreeModel::setSnapshot(const Snapshot &snapshot)
{
    m_snapshot = snapshot;
    const auto keyOf = [](const Content *node) { return Key(int(node->kind), node->id); };
    const Key allKey(int(Kind::All), 0);

    // What the tree should hold: each node's content and its parent.
    struct Wanted
    {
        Content content;
        Key parent;
    };
    QHash<qint64, bool> groupIds;
    for (const Group &group : snapshot.groups) {
        groupIds.insert(group.id, true);
    }
    QHash<Key, Wanted> wanted;
    for (const Group &group : snapshot.groups) {
        Wanted entry;
        entry.content.kind = Kind::Group;
        entry.content.id = group.id;
        entry.content.name = group.path;
        entry.content.fullPath = group.fullPath;
        entry.content.visibility = group.visibility;
        entry.content.forwarding = snapshot.groupForwarding.value(group.id, ForwardingMode::Off);
        entry.parent =
            groupIds.contains(group.parentId) ? Key(int(Kind::Group), group.parentId) : allKey;
        wanted.insert(keyOf(&entry.content), entry);
    }
    for (const Project &project : snapshot.projects) {
        Wanted entry;
        entry.content.kind = Kind::Project;
        entry.content.id = project.id;
        entry.content.name = project.path;
        entry.content.fullPath = project.fullPath;
        entry.content.visibility = project.visibility;
        entry.content.packagesEnabled = project.packagesEnabled;
        entry.content.forwarding =
            snapshot.projectForwarding.value(project.id, ForwardingMode::Off);
        entry.parent = groupIds.contains(project.namespaceId)
            ? Key(int(Kind::Group), project.namespaceId)
            : allKey;
        wanted.insert(keyOf(&entry.content), entry);
    }

    // 1. Rows that are gone, or under another parent now, leave with what is under them (what
    // is still wanted of that comes back in step 3).
    std::function<void(Node *)> prune = [&](Node *parent) {
        for (int row = int(parent->children.size()) - 1; row >= 0; --row) {
            Node *child = parent->children[size_t(row)].get();
            const auto found = wanted.constFind(keyOf(child));
            if (found == wanted.cend() || found->parent != keyOf(parent)) {
                removeNode(child);
            } else {
                prune(child);
            }
        }
    };
    prune(m_all);

    // 2. Rows that stay take their new content in place (a rename moves the row among its
    // siblings).
    QHash<Key, Node *> present;
    present.insert(allKey, m_all);
    if (m_all->forwarding != snapshot.instanceForwarding) {
        m_all->forwarding = snapshot.instanceForwarding;
        emit dataChanged(indexOfNode(m_all, 0), indexOfNode(m_all, ColumnCount - 1));
    }
    std::function<void(Node *)> update = [&](Node *parent) {
        bool renamed = false;
        for (const auto &child : parent->children) {
            present.insert(keyOf(child.get()), child.get());
            const Content content = wanted.value(keyOf(child.get())).content;
            if (!child->sameContent(content)) {
                renamed = renamed || child->name != content.name;
                child->takeContent(content);
                emit dataChanged(indexOfNode(child.get(), 0),
                                 indexOfNode(child.get(), ColumnCount - 1));
            }
            update(child.get());
        }
        if (renamed) {
            sortChildren(parent);
        }
    };
    update(m_all);

    // 3. New rows: groups parents first (a parent's full path is shorter), then projects.
    QList<Key> missing;
    for (auto it = wanted.cbegin(); it != wanted.cend(); ++it) {
        if (!present.contains(it.key())) {
            missing.append(it.key());
        }
    }
    std::sort(missing.begin(), missing.end(), [&wanted](const Key &a, const Key &b) {
        const Content &na = wanted[a].content;
        const Content &nb = wanted[b].content;
        if (na.kind != nb.kind) {
            return na.kind == Kind::Group;
        }
        const auto depthA = na.fullPath.count(u'/');
        const auto depthB = nb.fullPath.count(u'/');
        return depthA != depthB ? depthA < depthB : na.fullPath < nb.fullPath;
    });
    for (const Key &key : std::as_const(missing)) {
        const Wanted &entry = wanted[key];
        Node *parent = present.value(entry.parent, m_all);
        auto node = std::make_unique<Node>();
        static_cast<Content &>(*node) = entry.content;
        Node *raw = node.get();
        insertNode(parent, std::move(node));
        present.insert(key, raw);
    }
}

} // namespace Trove
