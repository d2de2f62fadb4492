// SPDX-License-Identifier: GPL-3.0-or-later
#include "model/store/settingsstore.h"

#include "model/store/sql.h"
#include "model/store/time.h"

using namespace Qt::StringLiterals;

namespace Trove {

SettingsStore::SettingsStore(const Database &database)
    : m_database(database)
{
}

Result<std::optional<QString>> SettingsStore::value(const QString &key) const
{
    Sql::Statement select(m_database, u"SELECT value FROM settings WHERE key = :key"_s);
    select.bind(u":key"_s, key);
    if (!select.exec()) {
        return select.error(u"Cannot read setting %1"_s.arg(key));
    }
    if (!select.next()) {
        return std::optional<QString>();
    }
    return std::optional<QString>(select.value(0).toString());
}

Result<void> SettingsStore::setValue(const QString &key, const QString &value)
{
    Sql::Statement upsert(m_database,
                          u"INSERT INTO settings (key, value) VALUES (:key, :value)"
                          " ON CONFLICT (key) DO UPDATE SET value = excluded.value"_s);
    upsert.bind(u":key"_s, key).bind(u":value"_s, value);
    if (!upsert.exec()) {
        return upsert.error(u"Cannot write setting %1"_s.arg(key));
    }
    return {};
}

Result<SettingsStore::GroupPackageSettings> SettingsStore::groupSettings(qint64 groupId) const
{
    Sql::Statement select(m_database,
                          u"SELECT npm_forwarding, lock_npm_forwarding, npm_forwarding_mode"
                          " FROM namespace_package_settings WHERE namespace_id = :group"_s);
    select.bind(u":group"_s, groupId);
    if (!select.exec()) {
        return select.error(u"Cannot read the package settings of group %1"_s.arg(groupId));
    }
    GroupPackageSettings settings;
    if (select.next()) {
        if (!select.value(0).isNull()) {
            settings.npmForwarding = select.value(0).toBool();
        }
        settings.lockNpmForwarding = select.value(1).toBool();
        settings.npmProxy = select.value(2).toString() == u"proxy"_s;
    }
    return settings;
}

Result<void> SettingsStore::setGroupSettings(qint64 groupId, const GroupPackageSettings &settings)
{
    Sql::Statement upsert(m_database,
                          u"INSERT INTO namespace_package_settings (namespace_id, npm_forwarding,"
                          " lock_npm_forwarding, npm_forwarding_mode)"
                          " VALUES (:group, :forwarding, :lock, :mode)"
                          " ON CONFLICT (namespace_id) DO UPDATE SET"
                          " npm_forwarding = excluded.npm_forwarding,"
                          " lock_npm_forwarding = excluded.lock_npm_forwarding,"
                          " npm_forwarding_mode = excluded.npm_forwarding_mode"_s);
    upsert.bind(u":group"_s, groupId)
        .bind(u":forwarding"_s,
              settings.npmForwarding ? QVariant(*settings.npmForwarding ? 1 : 0) : QVariant())
        .bind(u":lock"_s, settings.lockNpmForwarding ? 1 : 0)
        .bind(u":mode"_s, settings.npmProxy ? QVariant(u"proxy"_s) : QVariant());
    if (!upsert.exec()) {
        return upsert.error(u"Cannot write the package settings of group %1"_s.arg(groupId));
    }
    return {};
}

Result<ProtectionRule> SettingsStore::insertProtectionRule(const ProtectionRule &rule)
{
    Sql::Statement insert(m_database,
                          u"INSERT INTO protection_rules (project_id, pattern,"
                          " minimum_access_level_for_push, created_at)"
                          " VALUES (:project, :pattern, :level, :at)"_s
                              % Sql::returningId(m_database));
    insert.bind(u":project"_s, rule.projectId)
        .bind(u":pattern"_s, rule.pattern)
        .bind(u":level"_s, int(rule.minimumAccessLevelForPush))
        .bind(u":at"_s, StoreTime::toStored(rule.createdAt));
    if (!insert.exec()) {
        if (insert.isConstraintViolation()) {
            return Error::conflict(
                u"Package name pattern %1 has already been taken"_s.arg(rule.pattern));
        }
        return insert.error(u"Cannot add the protection rule"_s);
    }
    ProtectionRule created = rule;
    created.id = insert.insertedId();
    return created;
}

Result<QList<ProtectionRule>> SettingsStore::protectionRules(qint64 projectId) const
{
    Sql::Statement select(m_database,
                          u"SELECT id, project_id, pattern, minimum_access_level_for_push,"
                          " created_at FROM protection_rules WHERE project_id = :project"
                          " ORDER BY id"_s);
    select.bind(u":project"_s, projectId);
    if (!select.exec()) {
        return select.error(u"Cannot read protection rules"_s);
    }
    QList<ProtectionRule> rules;
    while (select.next()) {
        ProtectionRule rule;
        rule.id = select.value(0).toLongLong();
        rule.projectId = select.value(1).toLongLong();
        rule.pattern = select.value(2).toString();
        rule.minimumAccessLevelForPush = AccessLevel(select.value(3).toInt());
        rule.createdAt = StoreTime::fromStored(select.value(4));
        rules.append(rule);
    }
    return rules;
}

Result<void> SettingsStore::deleteProtectionRule(qint64 id)
{
    Sql::Statement remove(m_database, u"DELETE FROM protection_rules WHERE id = :id"_s);
    remove.bind(u":id"_s, id);
    if (!remove.exec()) {
        return remove.error(u"Cannot delete protection rule %1"_s.arg(id));
    }
    if (remove.numRowsAffected() == 0) {
        return Error::notFound(u"Protection rule %1 not found"_s.arg(id));
    }
    return {};
}

} // namespace Trove
