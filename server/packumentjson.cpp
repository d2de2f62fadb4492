// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/packumentjson.h"

#include "model/npm/manifest.h"

#include "model/npm/packagename.h"
#include "model/npm/semver.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace Trove::Http {

namespace {

// The fields of an abbreviated ("corgi") version object.
const QStringList &abbreviatedFields()
{
    static const QStringList fields = {
        u"name"_s,
        u"version"_s,
        u"deprecated"_s,
        u"dependencies"_s,
        u"acceptDependencies"_s,
        u"optionalDependencies"_s,
        u"devDependencies"_s,
        u"bundleDependencies"_s,
        u"peerDependencies"_s,
        u"peerDependenciesMeta"_s,
        u"bin"_s,
        u"directories"_s,
        u"dist"_s,
        u"engines"_s,
        u"_hasShrinkwrap"_s,
        u"hasInstallScript"_s,
        u"funding"_s,
        u"cpu"_s,
        u"os"_s,
        u"libc"_s,
    };
    return fields;
}

QJsonObject versionObject(const Package &package, const QString &baseUrl, bool abbreviated)
{
    QJsonObject stored = QJsonDocument::fromJson(package.packageJson).object();
    stored.insert(u"name"_s, package.name);
    stored.insert(u"version"_s, package.version);
    QJsonObject dist{{u"shasum"_s, package.sha1},
                     {u"tarball"_s, tarballUrl(baseUrl, package)},
                     {u"integrity"_s, Npm::integrityOf(package.sha512)}};
    stored.insert(u"dist"_s, dist);
    if (stored.value(u"deprecated"_s).isString()
        && stored.value(u"deprecated"_s).toString().isEmpty()) {
        stored.remove(u"deprecated"_s);
    }
    if (!abbreviated) {
        stored.insert(u"_id"_s, QString(package.name + u'@' + package.version));
        return stored;
    }
    QJsonObject corgi;
    for (const QString &field : abbreviatedFields()) {
        const auto it = stored.constFind(field);
        if (it != stored.constEnd()) {
            corgi.insert(field, *it);
        }
    }
    return corgi;
}

} // namespace

QString isoTime(const QDateTime &time)
{
    return time.toUTC().toString(Qt::ISODateWithMs);
}

QString tarballUrl(const QString &baseUrl, const Package &package)
{
    return baseUrl % u"/api/v4/projects/"_s % QString::number(package.projectId)
        % u"/packages/npm/"_s % package.name % u"/-/"_s
        % Npm::tarballFileName(package.name, package.version);
}

QMap<QString, QString> completeDistTags(const QMap<QString, QString> &tags,
                                        const QList<Package> &versions)
{
    QMap<QString, QString> complete = tags;
    if (!complete.contains(u"latest"_s) && !versions.isEmpty()) {
        QStringList all;
        for (const Package &package : versions) {
            all.append(package.version);
        }
        const QStringList sorted = Npm::sortVersions(all);
        if (!sorted.isEmpty()) {
            complete.insert(u"latest"_s, sorted.last());
        }
    }
    return complete;
}

QByteArray renderPackument(const PackumentInput &input, bool abbreviated)
{
    QJsonObject versions;
    QJsonObject time;
    QDateTime created;
    QDateTime modified;
    for (const Package &package : input.versions) {
        versions.insert(package.version, versionObject(package, input.baseUrl, abbreviated));
        time.insert(package.version, isoTime(package.createdAt));
        if (!created.isValid() || package.createdAt < created) {
            created = package.createdAt;
        }
        const QDateTime changed = std::max(package.createdAt, package.updatedAt);
        if (!modified.isValid() || changed > modified) {
            modified = changed;
        }
    }
    QJsonObject tags;
    const QMap<QString, QString> complete = completeDistTags(input.distTags, input.versions);
    for (auto it = complete.cbegin(); it != complete.cend(); ++it) {
        tags.insert(it.key(), it.value());
    }

    QJsonObject document{
        {u"name"_s, input.name}, {u"dist-tags"_s, tags}, {u"versions"_s, versions}};
    if (modified.isValid()) {
        document.insert(u"modified"_s, isoTime(modified));
    }
    if (!abbreviated) {
        document.insert(u"_id"_s, input.name);
        if (created.isValid()) {
            time.insert(u"created"_s, isoTime(created));
            time.insert(u"modified"_s, isoTime(modified));
        }
        document.insert(u"time"_s, time);
        // Hoist what `npm view` shows from the latest version.
        const QJsonObject latest = versions.value(complete.value(u"latest"_s)).toObject();
        for (const QString &field : {u"description"_s,
                                     u"license"_s,
                                     u"homepage"_s,
                                     u"repository"_s,
                                     u"keywords"_s,
                                     u"author"_s,
                                     u"bugs"_s}) {
            if (latest.contains(field)) {
                document.insert(field, latest.value(field));
            }
        }
    }
    return QJsonDocument(document).toJson(QJsonDocument::Compact);
}

} // namespace Trove::Http
