// SPDX-License-Identifier: GPL-3.0-or-later
#include "model/services/settingsservice.h"

#include "model/events.h"
#include "model/npm/packagename.h"
#include "model/store/namespacestore.h"
#include "model/store/sql.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QStandardPaths>

#include <mutex>

using namespace Qt::StringLiterals;

namespace Trove {

namespace {

const QString ForwardingKey = u"npm_package_requests_forwarding"_s;
const QString ForwardingLockKey = u"lock_npm_package_requests_forwarding"_s;
const QString UpstreamKey = u"npm_upstream_url"_s;
const QString ForwardingModeKey = u"npm_forwarding_mode"_s;
const QString ProxyMaxAgeKey = u"proxy_max_age"_s;
const QString ProxyCacheMaxBytesKey = u"proxy_cache_max_bytes"_s;

QUrl registryFromNpmrc(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly | QIODevice::Text)) {
        return {};
    }
    while (!file.atEnd()) {
        const QString line = QString::fromUtf8(file.readLine()).trimmed();
        if (line.startsWith(u'#') || line.startsWith(u';')) {
            continue;
        }
        const qsizetype equals = line.indexOf(u'=');
        if (equals > 0 && line.left(equals).trimmed() == u"registry"_s) {
            const Result<QUrl> url = SettingsService::parseUpstream(line.mid(equals + 1).trimmed());
            if (url) {
                return *url;
            }
        }
    }
    return {};
}

QUrl findDefaultUpstream()
{
    QString npmrc = qEnvironmentVariable("NPM_CONFIG_USERCONFIG");
    if (npmrc.isEmpty()) {
        npmrc = qEnvironmentVariable("npm_config_userconfig");
    }
    if (npmrc.isEmpty()) {
        npmrc = QDir::home().filePath(u".npmrc"_s);
    }
    if (const QUrl fromFile = registryFromNpmrc(npmrc); fromFile.isValid()) {
        return fromFile;
    }
    for (const char *variable : {"NPM_CONFIG_REGISTRY", "npm_config_registry"}) {
        if (const Result<QUrl> url = SettingsService::parseUpstream(qEnvironmentVariable(variable));
            url) {
            return *url;
        }
    }
    const QString npm = QStandardPaths::findExecutable(u"npm"_s);
    if (npm.isEmpty()) {
        return {};
    }
    QProcess process;
    process.start(npm, {u"config"_s, u"get"_s, u"registry"_s});
    if (!process.waitForFinished(10000) || process.exitCode() != 0) {
        process.kill();
        return {};
    }
    const Result<QUrl> url = SettingsService::parseUpstream(
        QString::fromUtf8(process.readAllStandardOutput()).trimmed());
    return url ? *url : QUrl();
}

} // namespace

SettingsService::SettingsService(const Database &database, Events *events)
    : m_database(database)
    , m_store(database)
    , m_events(events)
{
}

QString SettingsService::forwardingModeName(ForwardingMode mode)
{
    switch (mode) {
    case ForwardingMode::Off:
        return u"off"_s;
    case ForwardingMode::Redirect:
        return u"on"_s;
    case ForwardingMode::Proxy:
        return u"proxy"_s;
    }
    return {};
}

std::optional<SettingsService::ForwardingMode>
SettingsService::forwardingModeFromName(const QString &name)
{
    if (name == u"off"_s) {
        return ForwardingMode::Off;
    }
    if (name == u"on"_s || name == u"redirect"_s) {
        return ForwardingMode::Redirect;
    }
    if (name == u"proxy"_s) {
        return ForwardingMode::Proxy;
    }
    return std::nullopt;
}

Result<bool> SettingsService::instanceForwarding() const
{
    const Result<ForwardingMode> mode = instanceForwardingMode();
    if (!mode) {
        return mode.error();
    }
    return *mode != ForwardingMode::Off;
}

Result<SettingsService::ForwardingMode> SettingsService::instanceForwardingMode() const
{
    const Result<std::optional<QString>> value = m_store.value(ForwardingKey);
    if (!value) {
        return value.error();
    }
    if (value->has_value() && **value != u"1"_s) {
        return ForwardingMode::Off;
    }
    const Result<std::optional<QString>> mode = m_store.value(ForwardingModeKey);
    if (!mode) {
        return mode.error();
    }
    return mode->has_value() && **mode == u"proxy"_s ? ForwardingMode::Proxy
                                                     : ForwardingMode::Redirect;
}

Result<bool> SettingsService::instanceForwardingLocked() const
{
    const Result<std::optional<QString>> lock = m_store.value(ForwardingLockKey);
    if (!lock) {
        return lock.error();
    }
    return lock->has_value() && **lock == u"1"_s;
}

Result<void> SettingsService::setInstanceForwarding(bool enabled, bool lock)
{
    return setInstanceForwardingMode(enabled ? ForwardingMode::Redirect : ForwardingMode::Off,
                                     lock);
}

Result<void> SettingsService::setInstanceForwardingMode(ForwardingMode mode, bool lock)
{
    const bool enabled = mode != ForwardingMode::Off;
    // The value, its mode and its lock change together.
    Sql::Transaction transaction(m_database);
    if (!transaction.isActive()) {
        return transaction.error();
    }
    if (const Result<void> set = m_store.setValue(ForwardingKey, enabled ? u"1"_s : u"0"_s); !set) {
        return set;
    }
    if (const Result<void> set = m_store.setValue(ForwardingLockKey, lock ? u"1"_s : u"0"_s);
        !set) {
        return set;
    }
    if (const Result<void> set = m_store.setValue(
            ForwardingModeKey, mode == ForwardingMode::Proxy ? u"proxy"_s : u"redirect"_s);
        !set) {
        return set;
    }
    if (const Result<void> committed = transaction.commit(); !committed) {
        return committed;
    }
    if (m_events) {
        emit m_events->settingsChanged();
    }
    return {};
}

Result<void> SettingsService::setGroupForwarding(qint64 groupId, bool enabled, bool lock)
{
    return setGroupForwardingMode(
        groupId, enabled ? ForwardingMode::Redirect : ForwardingMode::Off, lock);
}

Result<void> SettingsService::setGroupForwardingMode(qint64 groupId, ForwardingMode mode, bool lock)
{
    const bool enabled = mode != ForwardingMode::Off;
    if (const Result<Group> group = NamespaceStore(m_database).groupById(groupId); !group) {
        return group.error();
    }
    SettingsStore::GroupPackageSettings settings;
    settings.npmForwarding = enabled;
    settings.lockNpmForwarding = lock;
    settings.npmProxy = mode == ForwardingMode::Proxy;
    if (const Result<void> set = m_store.setGroupSettings(groupId, settings); !set) {
        return set;
    }
    if (m_events) {
        emit m_events->settingsChanged();
    }
    return {};
}

Result<void> SettingsService::clearGroupForwarding(qint64 groupId)
{
    if (const Result<void> set = m_store.setGroupSettings(groupId, {}); !set) {
        return set;
    }
    if (m_events) {
        emit m_events->settingsChanged();
    }
    return {};
}

Result<bool> SettingsService::forwardingForGroup(qint64 groupId) const
{
    const Result<ForwardingMode> mode = forwardingModeForGroup(groupId);
    if (!mode) {
        return mode.error();
    }
    return *mode != ForwardingMode::Off;
}

Result<bool> SettingsService::forwardingForProject(const Project &project) const
{
    return forwardingForGroup(project.namespaceId);
}

Result<SettingsService::ForwardingMode>
SettingsService::forwardingModeForGroup(qint64 groupId) const
{
    const Result<std::optional<QString>> lock = m_store.value(ForwardingLockKey);
    if (!lock) {
        return lock.error();
    }
    if (lock->has_value() && **lock == u"1"_s) {
        return instanceForwardingMode();
    }
    const Result<QList<Group>> chain = NamespaceStore(m_database).ancestors(groupId);
    if (!chain) {
        return chain.error();
    }
    const auto modeOf = [](const SettingsStore::GroupPackageSettings &settings) {
        if (!*settings.npmForwarding) {
            return ForwardingMode::Off;
        }
        return settings.npmProxy ? ForwardingMode::Proxy : ForwardingMode::Redirect;
    };
    // From the top-level group down: the first lock decides.
    std::optional<ForwardingMode> nearest;
    for (auto it = chain->crbegin(); it != chain->crend(); ++it) {
        const Result<SettingsStore::GroupPackageSettings> settings = m_store.groupSettings(it->id);
        if (!settings) {
            return settings.error();
        }
        if (settings->npmForwarding.has_value()) {
            if (settings->lockNpmForwarding) {
                return modeOf(*settings);
            }
            nearest = modeOf(*settings);
        }
    }
    if (nearest) {
        return *nearest;
    }
    return instanceForwardingMode();
}

Result<SettingsService::ForwardingMode>
SettingsService::forwardingModeForProject(const Project &project) const
{
    return forwardingModeForGroup(project.namespaceId);
}

Result<int> SettingsService::proxyMaxAgeSeconds() const
{
    const Result<std::optional<QString>> value = m_store.value(ProxyMaxAgeKey);
    if (!value) {
        return value.error();
    }
    bool ok = false;
    const int seconds = value->has_value() ? (*value)->toInt(&ok) : 0;
    return ok && seconds >= 0 ? seconds : DefaultProxyMaxAgeSeconds;
}

Result<void> SettingsService::setProxyMaxAgeSeconds(int seconds)
{
    if (seconds < 0) {
        return Error::invalid(u"The proxy's max-age is a number of seconds, 0 or more"_s);
    }
    if (const Result<void> set = m_store.setValue(ProxyMaxAgeKey, QString::number(seconds)); !set) {
        return set;
    }
    if (m_events) {
        emit m_events->settingsChanged();
    }
    return {};
}

Result<qint64> SettingsService::proxyCacheMaxBytes() const
{
    const Result<std::optional<QString>> value = m_store.value(ProxyCacheMaxBytesKey);
    if (!value) {
        return value.error();
    }
    bool ok = false;
    const qint64 bytes = value->has_value() ? (*value)->toLongLong(&ok) : 0;
    return ok && bytes > 0 ? bytes : DefaultProxyCacheMaxBytes;
}

Result<void> SettingsService::setProxyCacheMaxBytes(qint64 bytes)
{
    if (bytes < 1) {
        return Error::invalid(u"The proxy cache's size cap is a number of bytes, 1 or more"_s);
    }
    if (const Result<void> set = m_store.setValue(ProxyCacheMaxBytesKey, QString::number(bytes));
        !set) {
        return set;
    }
    if (m_events) {
        emit m_events->settingsChanged();
    }
    return {};
}

Result<QUrl> SettingsService::parseUpstream(const QString &url)
{
    QUrl parsed(url.trimmed(), QUrl::StrictMode);
    if (url.trimmed().isEmpty() || !parsed.isValid()
        || (parsed.scheme() != u"http"_s && parsed.scheme() != u"https"_s)
        || parsed.host().isEmpty() || parsed.hasQuery() || parsed.hasFragment()) {
        return Error::invalid(
            u"Invalid upstream URL %1: give an absolute http:// or https:// URL"_s.arg(url));
    }
    if (!parsed.path().endsWith(u'/')) {
        parsed.setPath(parsed.path() + u'/');
    }
    return parsed;
}

Result<QUrl> SettingsService::upstream() const
{
    const Result<std::optional<QString>> value = m_store.value(UpstreamKey);
    if (!value) {
        return value.error();
    }
    if (value->has_value()) {
        return parseUpstream(**value);
    }
    return defaultUpstream();
}

Result<void> SettingsService::setUpstream(const QString &url)
{
    const Result<QUrl> parsed = parseUpstream(url);
    if (!parsed) {
        return parsed.error();
    }
    if (const Result<void> set = m_store.setValue(UpstreamKey, parsed->toString()); !set) {
        return set;
    }
    if (m_events) {
        emit m_events->settingsChanged();
    }
    return {};
}

QUrl SettingsService::defaultUpstream()
{
    static std::once_flag once;
    static QUrl upstream;
    std::call_once(once, [] { upstream = findDefaultUpstream(); });
    return upstream;
}

Result<ProtectionRule> SettingsService::addProtectionRule(qint64 projectId,
                                                          const QString &pattern,
                                                          AccessLevel minimumLevel)
{
    if (minimumLevel != AccessLevel::Maintainer && minimumLevel != AccessLevel::Owner
        && minimumLevel != AccessLevel::Admin) {
        return Error::invalid(u"The minimum role to push must be maintainer, owner or admin"_s);
    }
    QString probe = pattern;
    probe.replace(u'*', u'x');
    if (pattern.size() > 255 || (pattern != u"*"_s && !Npm::isValidPackageName(probe))) {
        return Error::invalid(
            u"Invalid package name pattern %1: an npm package name, '*' matching any characters"_s
                .arg(pattern.isEmpty() ? u"\"\""_s : pattern));
    }
    if (const Result<Project> project = NamespaceStore(m_database).projectById(projectId);
        !project) {
        return project.error();
    }
    ProtectionRule rule;
    rule.projectId = projectId;
    rule.pattern = pattern;
    rule.minimumAccessLevelForPush = minimumLevel;
    rule.createdAt = QDateTime::currentDateTimeUtc();
    Result<ProtectionRule> created = m_store.insertProtectionRule(rule);
    if (created && m_events) {
        emit m_events->settingsChanged();
    }
    return created;
}

Result<QList<ProtectionRule>> SettingsService::protectionRules(qint64 projectId) const
{
    return m_store.protectionRules(projectId);
}

Result<void> SettingsService::removeProtectionRule(qint64 ruleId)
{
    Result<void> removed = m_store.deleteProtectionRule(ruleId);
    if (removed && m_events) {
        emit m_events->settingsChanged();
    }
    return removed;
}

} // namespace Trove
