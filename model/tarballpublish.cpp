// SPDX-License-Identifier: GPL-3.0-or-later
#include "model/tarballpublish.h"

#include "model/npm/manifest.h"
#include "model/npm/packagename.h"
#include "model/npm/publishrules.h"
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
    // The same strict layout rules as a publish over HTTP (Npm::checkPublishedTarball).
    const Result<Npm::TarballInfo> info = Npm::inspectTarball(tarball);
    if (!info) {
        preflight.problem = info.error().message;
        return preflight;
    }
    for (const Npm::TarballEntry &entry : info->entries) {
        preflight.fileCount += entry.isFile;
    }
    preflight.unpackedSize = info->unpackedSize;
    const QJsonDocument manifest = QJsonDocument::fromJson(info->packageJson);
    if (!manifest.isObject()) {
        preflight.problem = u"Its package.json is not a JSON object"_s;
        return preflight;
    }
    const QJsonObject version = manifest.object();
    preflight.name = version.value(u"name"_s).toString();
    preflight.version = version.value(u"version"_s).toString();
    const QJsonObject scripts = version.value(u"scripts"_s).toObject();
    for (const QString &script : {u"preinstall"_s, u"install"_s, u"postinstall"_s}) {
        if (scripts.contains(script)) {
            preflight.installScripts.append(script);
        }
    }
    // What `npm publish` would send for this tarball, through the server's own checks.
    Npm::DecodedAttachment attachment;
    attachment.size = tarball.size();
    attachment.sha1 = QCryptographicHash::hash(tarball, QCryptographicHash::Sha1).toHex();
    attachment.sha512 = QCryptographicHash::hash(tarball, QCryptographicHash::Sha512).toHex();
    const Result<void> valid = [&]() -> Result<void> {
        if (!version.value(u"name"_s).isString() || !version.value(u"version"_s).isString()) {
            return Error::invalid(u"Validation failed: Package json must be a valid json schema"_s);
        }
        const Result<Npm::PublishDocument> document = Npm::readPublishDocument(
            Npm::publishDocumentFor(version,
                                    attachment.size,
                                    QString::fromLatin1(attachment.sha1),
                                    QString::fromLatin1(attachment.sha512)),
            preflight.name);
        if (!document) {
            return document.error();
        }
        attachment.fileName = document->attachmentName;
        if (const Result<void> names =
                PackageService::checkNameAndVersion(preflight.name, preflight.version);
            !names) {
            return names;
        }
        if (const Result<void> small = PackageService::checkPackageJsonSize(document->packageJson);
            !small) {
            return small;
        }
        if (const Result<void> fields = Npm::checkPublishDocument(*document, attachment); !fields) {
            return fields;
        }
        if (const Result<void> coherent = Npm::checkTarballManifest(*info, *document); !coherent) {
            return coherent;
        }
        preflight.packageJson = document->packageJson;
        return {};
    }();
    if (!valid) {
        preflight.problem = valid.error().message;
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
