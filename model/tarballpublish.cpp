// SPDX-License-Identifier: GPL-3.0-or-later
#include "model/tarballpublish.h"

#include "model/npm/manifest.h"
#include "model/npm/packagename.h"
#include "model/npm/semver.h"
#include "model/npm/tarball.h"
#include "model/store/packagestore.h"

#include <QCryptographicHash>
#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace Trove {

TarballPreflight preflightTarball(const Database &database,
                                  const Project &project,
                                  const QString &file,
                                  const QByteArray &tarball)
{
    TarballPreflight preflight;
    preflight.file = file;
    preflight.tarball = tarball;
    const Result<Npm::TarballInfo> info = Npm::inspectTarball(tarball);
    if (!info) {
        preflight.problem = info.error().message;
        return preflight;
    }
    for (const Npm::TarballEntry &entry : info->entries) {
        preflight.fileCount += entry.isFile;
    }
    preflight.unpackedSize = info->unpackedSize;
    QJsonParseError parseError;
    const QJsonDocument manifest = QJsonDocument::fromJson(info->packageJson, &parseError);
    if (!manifest.isObject()) {
        preflight.problem = u"Its package.json is not a JSON object"_s;
        return preflight;
    }
    QJsonObject version = manifest.object();
    preflight.name = version.value(u"name"_s).toString();
    preflight.version = version.value(u"version"_s).toString();
    const QJsonObject scripts = version.value(u"scripts"_s).toObject();
    for (const QString &script : {u"preinstall"_s, u"install"_s, u"postinstall"_s}) {
        if (scripts.contains(script)) {
            preflight.installScripts.append(script);
        }
    }
    if (!Npm::isValidPackageName(preflight.name)) {
        preflight.problem = u"“%1” is not a valid package name"_s.arg(preflight.name);
        return preflight;
    }
    if (!Npm::isValidVersion(preflight.version)) {
        preflight.problem = u"“%1” is not a semantic version"_s.arg(preflight.version);
        return preflight;
    }
    // What `npm publish` would have sent: the manifest with its id and dist.
    const QString sha1 =
        QString::fromLatin1(QCryptographicHash::hash(tarball, QCryptographicHash::Sha1).toHex());
    const QString sha512 =
        QString::fromLatin1(QCryptographicHash::hash(tarball, QCryptographicHash::Sha512).toHex());
    version.insert(u"_id"_s, QString(preflight.name + u'@' + preflight.version));
    version.insert(
        u"dist"_s,
        QJsonObject{{u"shasum"_s, sha1},
                    {u"integrity"_s, Npm::integrityOf(sha512)},
                    {u"tarball"_s, Npm::tarballFileName(preflight.name, preflight.version)}});
    preflight.packageJson =
        QJsonDocument(Npm::strippedPackageJson(version)).toJson(QJsonDocument::Compact);
    if (preflight.packageJson.size() > PackageService::MaxPackageJsonCharacters) {
        preflight.problem = u"Its package.json is larger than %1 characters"_s.arg(
            PackageService::MaxPackageJsonCharacters);
        return preflight;
    }

    const PackageStore packages(database);
    const Result<Package> existing =
        packages.packageVersion(project.id, preflight.name, preflight.version);
    if (existing) {
        preflight.problem = u"%1 %2 is already in %3: publish a new version"_s.arg(
            preflight.name, preflight.version, project.fullPath);
        return preflight;
    }
    const QString root = project.rootNamespacePath();
    if (Npm::scopeOf(preflight.name) == root) {
        const Result<bool> taken =
            PackageService::conventionTaken(database, project, preflight.name, preflight.version);
        if (!taken) {
            preflight.problem = taken.error().message;
            return preflight;
        }
        if (*taken) {
            preflight.problem =
                u"%1 %2 is already in another project of %3: the naming "
                "convention allows it once"_s.arg(preflight.name, preflight.version, root);
            return preflight;
        }
    } else {
        preflight.warning = u"The scope is not @%1: at instance level clients find %2 only "
                            "through the naming convention (@%1/…)"_s.arg(root, preflight.name);
    }
    return preflight;
}

PackageService::PublishRequest publishRequest(const TarballPreflight &preflight,
                                              qint64 projectId,
                                              const QString &distTag,
                                              const Actor &publisher)
{
    PackageService::PublishRequest request;
    request.projectId = projectId;
    request.name = preflight.name;
    request.version = preflight.version;
    request.packageJson = preflight.packageJson;
    request.tarball = preflight.tarball;
    request.distTag = distTag;
    request.publisher = publisher;
    return request;
}

} // namespace Trove
