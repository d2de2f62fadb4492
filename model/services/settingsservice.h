// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "model/domain.h"
#include "model/result.h"
#include "model/store/settingsstore.h"

#include <QUrl>

#include <optional>

namespace Trove {

class Database;
class Events;

// Forwarding of unknown packages (instance and group settings with GitLab's cascade and lock),
// the upstream URL, and per-project protection rules.
class SettingsService final
{
public:
    // What forwarding does with an unknown name (docs/proxy.md §1): nothing (404), a redirect to
    // the upstream (GitLab's), or proxy and cache the upstream.
    enum class ForwardingMode { Off, Redirect, Proxy };
    static QString forwardingModeName(ForwardingMode mode); // "off", "on", "proxy"
    static std::optional<ForwardingMode> forwardingModeFromName(const QString &name);

    // How long a kept upstream document is answered without asking the upstream again.
    static constexpr int DefaultProxyMaxAgeSeconds = 120;
    static constexpr qint64 DefaultProxyCacheMaxBytes = 10LL * 1024 * 1024 * 1024;

    SettingsService(const Database &database, Events *events = nullptr);

    // Instance level. GitLab's default is on.
    Result<bool> instanceForwarding() const;
    Result<void> setInstanceForwarding(bool enabled, bool lock = false);
    // Whether the instance setting is enforced on every group (they cannot override it).
    Result<bool> instanceForwardingLocked() const;
    // Group level; cleared with clearGroupForwarding (then the group inherits).
    Result<void> setGroupForwarding(qint64 groupId, bool enabled, bool lock = false);
    Result<void> clearGroupForwarding(qint64 groupId);

    // The value in force for a group or a project: a lock higher up (the instance, then the
    // groups from the top down) wins; otherwise the nearest group with a value; otherwise the
    // instance.
    Result<bool> forwardingForGroup(qint64 groupId) const;
    Result<bool> forwardingForProject(const Project &project) const;

    // The same with the mode: the bool forms above are "mode != Off", and setting forwarding on
    // with them means Redirect. A mode travels with its on/off value down the cascade.
    Result<ForwardingMode> instanceForwardingMode() const;
    Result<void> setInstanceForwardingMode(ForwardingMode mode, bool lock = false);
    Result<void> setGroupForwardingMode(qint64 groupId, ForwardingMode mode, bool lock = false);
    Result<ForwardingMode> forwardingModeForGroup(qint64 groupId) const;
    Result<ForwardingMode> forwardingModeForProject(const Project &project) const;

    // docs/proxy.md §4 and §6; stored as the settings proxy_max_age and proxy_cache_max_bytes.
    Result<int> proxyMaxAgeSeconds() const;
    Result<void> setProxyMaxAgeSeconds(int seconds);
    Result<qint64> proxyCacheMaxBytes() const;
    Result<void> setProxyCacheMaxBytes(qint64 bytes);

    // The upstream base URL, ending in '/'. Unless set, it is read from the user's npm
    // configuration (see defaultUpstream()). Empty if neither gives one.
    Result<QUrl> upstream() const;
    Result<void> setUpstream(const QString &url);
    // From `registry=` in the user's .npmrc (NPM_CONFIG_USERCONFIG or ~/.npmrc), then the
    // npm_config_registry environment variable, then `npm config get registry`. Read once per
    // process; may run a process, so call it off the GUI thread.
    static QUrl defaultUpstream();
    static Result<QUrl> parseUpstream(const QString &url);

    // minimumLevel: Maintainer, Owner or Admin (GitLab's choices for push).
    Result<ProtectionRule>
    addProtectionRule(qint64 projectId, const QString &pattern, AccessLevel minimumLevel);
    Result<QList<ProtectionRule>> protectionRules(qint64 projectId) const;
    Result<void> removeProtectionRule(qint64 ruleId);

    SettingsStore &store() { return m_store; }

private:
    const Database &m_database;
    SettingsStore m_store;
    Events *m_events;
};

} // namespace Trove
