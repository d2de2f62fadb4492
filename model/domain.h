// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDate>
#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace Trove {

// GitLab's visibility levels, with GitLab's numbers (they are stored).
enum class Visibility { Private = 0, Internal = 10, Public = 20 };

// GitLab's access levels, with GitLab's numbers (they are stored). Admin is not a membership
// role; it is the level of an administrator in protection rules.
enum class AccessLevel {
    None = 0,
    Guest = 10,
    Reporter = 20,
    Developer = 30,
    Maintainer = 40,
    Owner = 50,
    Admin = 60
};

QString visibilityName(Visibility visibility);
std::optional<Visibility> visibilityFromName(const QString &name);
QString accessLevelName(AccessLevel level);
std::optional<AccessLevel> accessLevelFromName(const QString &name);

struct Group
{
    qint64 id = 0;
    qint64 parentId = 0; // 0 for a top-level group
    QString path; // the last segment
    QString fullPath; // "acme/frontend"
    QString name;
    Visibility visibility = Visibility::Private;
    QDateTime createdAt;
};

struct Project
{
    qint64 id = 0;
    qint64 namespaceId = 0;
    QString path;
    QString fullPath; // "acme/frontend/widgets"
    QString name;
    Visibility visibility = Visibility::Private;
    QDateTime createdAt;
    // GitLab's "Packages" project setting: when off, every npm request for the project is
    // refused (403) and its packages are left out of group and instance documents and search.
    bool packagesEnabled = true;

    // The first segment of fullPath: GitLab's naming convention scopes packages with it.
    QString rootNamespacePath() const;
};

struct User
{
    qint64 id = 0;
    QString username;
    bool admin = false;
    QDateTime createdAt;
};

struct Membership
{
    qint64 userId = 0;
    qint64 groupId = 0; // exactly one of groupId and projectId is set
    qint64 projectId = 0;
    AccessLevel accessLevel = AccessLevel::Guest;
};

enum class TokenKind { Personal, Deploy, Job };

// Scopes of personal access tokens and of deploy tokens.
namespace Scope {
inline constexpr char16_t Api[] = u"api";
inline constexpr char16_t ReadApi[] = u"read_api";
inline constexpr char16_t ReadPackageRegistry[] = u"read_package_registry";
inline constexpr char16_t WritePackageRegistry[] = u"write_package_registry";
} // namespace Scope

struct PersonalAccessToken
{
    qint64 id = 0;
    qint64 userId = 0;
    QString name;
    QString prefix; // the first characters, shown to identify the token
    QStringList scopes;
    std::optional<QDate> expiresAt;
    bool revoked = false;
    QDateTime lastUsedAt;
    QDateTime createdAt;
};

struct DeployToken
{
    qint64 id = 0;
    qint64 groupId = 0; // exactly one of groupId and projectId is set
    qint64 projectId = 0;
    QString name;
    QString username;
    QString prefix;
    QStringList scopes;
    std::optional<QDate> expiresAt;
    bool revoked = false;
    QDateTime lastUsedAt;
    QDateTime createdAt;
};

struct JobToken
{
    qint64 id = 0;
    qint64 projectId = 0;
    qint64 userId = 0;
    QString prefix;
    bool running = true;
    QDateTime createdAt;
    QDateTime finishedAt;
};

// A secret made once: the token to show the user, and the stored record's id.
struct CreatedToken
{
    qint64 id = 0;
    QString token;
    QString prefix;
};

enum class PackageStatus { Default = 0, Deprecated = 1 };

// One published version of one package in one project.
struct Package
{
    qint64 id = 0;
    qint64 projectId = 0;
    QString name;
    QString version;
    PackageStatus status = PackageStatus::Default;
    QByteArray packageJson; // the stripped package.json, compact JSON
    QString sha1; // hex
    QString sha512; // hex; also the blob's address
    qint64 size = 0;
    QString publisher;
    qint64 publisherUserId = 0;
    QDateTime createdAt;
    QDateTime updatedAt;
    // The README published with the version, for search only: PackageStore::insertPackage keeps
    // it beside the row (GitLab strips it from the package.json); never read back.
    QString readme;
};

struct DistTag
{
    qint64 projectId = 0;
    QString packageName;
    QString tag;
    qint64 packageId = 0;
    QString version;
    QDateTime updatedAt;
};

struct ProtectionRule
{
    qint64 id = 0;
    qint64 projectId = 0;
    QString pattern; // npm name with '*' wildcards, matched case-insensitively
    AccessLevel minimumAccessLevelForPush = AccessLevel::Maintainer;
    QDateTime createdAt;

    bool matches(const QString &packageName) const;
};

} // namespace Trove
