// SPDX-License-Identifier: GPL-3.0-or-later
#include "model/versiondetails.h"

#include "model/blobstore.h"
#include "model/npm/manifest.h"
#include "model/store/packagestore.h"

#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace Trove {

QString VersionDetails::integrity() const
{
    return Npm::integrityOf(package.sha512);
}

Result<VersionDetails>
loadVersionDetails(const Database &database, const BlobStore &blobs, const Package &package)
{
    VersionDetails details;
    details.package = package;
    const QJsonObject manifest = QJsonDocument::fromJson(package.packageJson).object();
    details.description = manifest.value(u"description"_s).toString();
    const QJsonValue license = manifest.value(u"license"_s);
    details.license =
        license.isObject() ? license.toObject().value(u"type"_s).toString() : license.toString();
    details.homepage = manifest.value(u"homepage"_s).toString();
    const QJsonObject scripts = manifest.value(u"scripts"_s).toObject();
    for (const QString &script : {u"preinstall"_s, u"install"_s, u"postinstall"_s}) {
        if (scripts.contains(script)) {
            details.installScripts.append(script);
        }
    }

    const PackageStore store(database);
    for (const QString &kind : {u"dependencies"_s,
                                u"peerDependencies"_s,
                                u"optionalDependencies"_s,
                                u"devDependencies"_s}) {
        const QJsonObject dependencies = manifest.value(kind).toObject();
        for (auto it = dependencies.begin(); it != dependencies.end(); ++it) {
            VersionDetails::Dependency dependency{it.key(), it.value().toString(), kind};
            const Result<QList<Package>> named = store.packagesNamed(dependency.name);
            if (!named) {
                return named.error();
            }
            dependency.local = !named->isEmpty();
            details.dependencies.append(dependency);
        }
    }

    details.tarballPath = blobs.pathOf(package.sha512);
    Npm::TarballLimits limits;
    limits.maxReadmeSize = MaxReadmeBytes;
    // Published tarballs passed the upload limits already; these only bound the work.
    const Result<Npm::TarballInfo> tarball = Npm::inspectTarballFile(details.tarballPath, limits);
    if (tarball) {
        details.files = tarball->entries;
        details.unpackedSize = tarball->unpackedSize;
        details.readme = QString::fromUtf8(tarball->readme);
        details.readmePath = tarball->readmePath;
    } else {
        details.tarballError = tarball.error().message;
    }
    return details;
}

} // namespace Trove
