// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "model/domain.h"
#include "model/result.h"

#include <optional>

namespace Trove {

class Database;

// Instance settings (key/value), package settings of groups, and protection rules.
class SettingsStore final
{
public:
    explicit SettingsStore(const Database &database);

    Result<std::optional<QString>> value(const QString &key) const;
    Result<void> setValue(const QString &key, const QString &value);

    struct GroupPackageSettings
    {
        std::optional<bool> npmForwarding; // unset: inherit
        bool lockNpmForwarding = false;
        // With forwarding on: proxy and cache the upstream instead of redirecting to it
        // (docs/proxy.md §1).
        bool npmProxy = false;
    };
    Result<GroupPackageSettings> groupSettings(qint64 groupId) const;
    Result<void> setGroupSettings(qint64 groupId, const GroupPackageSettings &settings);

    // Conflict when the project already has a rule with this pattern.
    Result<ProtectionRule> insertProtectionRule(const ProtectionRule &rule);
    Result<QList<ProtectionRule>> protectionRules(qint64 projectId) const;
    Result<void> deleteProtectionRule(qint64 id);

private:
    const Database &m_database;
};

} // namespace Trove
