// SPDX-License-Identifier: GPL-3.0-or-later
#include "model/services/packageservice.h"

#include "model/blobstore.h"
#include "model/events.h"
#include "model/logging.h"
#include "model/npm/manifest.h"
#include "model/npm/packagename.h"
#include "model/npm/publishrules.h"
#include "model/npm/semver.h"
#include "model/services/accesspolicy.h"
#include "model/store/namespacestore.h"
#include "model/store/sql.h"

#include <QCryptographicHash>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace Trove {

PackageService::PackageService(const Database &database, BlobStore &blobs, Events *events)
    : m_database(database)
    , m_blobs(blobs)
    , m_store(database)
    , m_events(events)
{
}

bool PackageService::isValidTagName(const QString &tag)
{
    // npm refuses tags that are semver ranges on the client; the server keeps tags URL- and
    // file-safe and refuses anything that reads as a version.
    // "." and ".." are path segments, not names: a URL with them means something else to
    // every client and proxy on the way.
    if (tag.isEmpty() || tag.size() > 255 || tag == u"."_s || tag == u".."_s
        || Npm::Range::parse(tag).has_value()) {
        return false;
    }
    for (const QChar c : tag) {
        if (c.unicode() <= 0x20 || c.unicode() >= 0x7f || c == u'/' || c == u'%' || c == u'\\') {
            return false;
        }
    }
    return true;
}

Result<bool> PackageService::conventionTaken(const Database &database,
                                             const Project &project,
                                             const QString &name,
                                             const QString &version)
{
    if (Npm::scopeOf(name) != project.rootNamespacePath()) {
        return false;
    }
    return PackageStore(database).versionExistsUnderRootOf(project.id, name, version);
}

Result<void> PackageService::checkNameAndVersion(const QString &name, const QString &version)
{
    if (!Npm::isValidPackageName(name)) {
        return Error::invalid(u"Validation failed: Name should be a valid NPM package name: "
                              "https://github.com/npm/validate-npm-package-name#naming-rules."_s);
    }
    if (!Npm::isValidVersion(version)) {
        return Error::invalid(
            u"Validation failed: Version should follow SemVer: https://semver.org"_s);
    }
    return {};
}

Result<void> PackageService::checkPackageJsonSize(const QByteArray &packageJson)
{
    if (Npm::packageJsonCharacters(packageJson) > MaxPackageJsonCharacters) {
        return Error::invalid(u"Validation failed: Package json structure is too large. "
                              "Maximum size is 20000 characters"_s);
    }
    return {};
}

Result<Package> PackageService::publish(qint64 projectId,
                                        const QString &nameFromUrl,
                                        const Npm::DecodedPublishBody &body,
                                        const Actor &publisher)
{
    const Result<Project> project = NamespaceStore(m_database).projectById(projectId);
    if (!project) {
        return project.error();
    }
    return publish(*project, nameFromUrl, body, publisher);
}

Result<Package> PackageService::publish(const Project &project,
                                        const QString &nameFromUrl,
                                        const Npm::DecodedPublishBody &body,
                                        const Actor &publisher)
{
    const Result<Npm::PublishDocument> document = Npm::readPublishDocument(body.json, nameFromUrl);
    if (!document) {
        return document.error();
    }
    const auto found = std::find_if(
        body.attachments.cbegin(), body.attachments.cend(), [&](const Npm::DecodedAttachment &a) {
            return a.fileName == document->attachmentName;
        });
    if (found == body.attachments.cend() || !found->file || found->size == 0) {
        return Error::invalid(u"Attachment data is empty."_s);
    }
    const Npm::DecodedAttachment &attachment = *found;
    PublishRequest request;
    request.projectId = project.id;
    request.project = project;
    request.name = document->name;
    request.version = document->version;
    request.packageJson = document->packageJson;
    request.upload = attachment;
    request.distTag = document->distTag;
    request.readme = document->manifest.value(u"readme"_s).toString();
    request.publisher = publisher;
    request.extraValidation = [&]() -> Result<void> {
        if (const Result<void> fields = Npm::checkPublishDocument(*document, attachment); !fields) {
            return fields;
        }
        const Result<Npm::TarballInfo> tarball =
            Npm::checkPublishedTarball(attachment.file->path(), *document);
        return tarball ? Result<void>() : Result<void>(tarball.error());
    };
    return publish(request);
}

Result<Package> PackageService::publish(const PublishRequest &request)
{
    const bool staged = request.upload.file != nullptr;
    const qint64 size = staged ? request.upload.size : request.tarball.size();
    if (request.version.trimmed().isEmpty()) {
        return Error::invalid(u"Version is empty."_s);
    }
    if (size == 0) {
        return Error::invalid(u"Attachment data is empty."_s);
    }
    const Result<Project> project = request.project
        ? Result<Project>(*request.project)
        : NamespaceStore(m_database).projectById(request.projectId);
    if (!project) {
        return project.error();
    }
    if (const Result<Package> existing =
            m_store.packageVersion(project->id, request.name, request.version);
        existing) {
        return Error::forbidden(u"Package already exists."_s);
    } else if (existing.error().code != Error::Code::NotFound) {
        return existing.error();
    }
    const Result<bool> protectedName =
        AccessPolicy(m_database).pushProtected(request.publisher, *project, request.name);
    if (!protectedName) {
        return protectedName.error();
    }
    if (*protectedName) {
        return Error::forbidden(u"Package protected."_s);
    }
    if (size > m_maxFileSize) {
        return Error::invalid(u"File is too large."_s);
    }
    if (const Result<void> valid = checkNameAndVersion(request.name, request.version); !valid) {
        return valid.error();
    }
    if (!isValidTagName(request.distTag)) {
        return Error::invalid(u"Invalid dist-tag %1"_s.arg(request.distTag));
    }
    const auto conventionTaken = [&] {
        return PackageService::conventionTaken(m_database, *project, request.name, request.version);
    };
    if (const Result<bool> taken = conventionTaken(); !taken) {
        return taken.error();
    } else if (*taken) {
        return Error::invalid(u"Validation failed: Package already exists"_s);
    }
    if (const Result<void> small = checkPackageJsonSize(request.packageJson); !small) {
        return small.error();
    }
    if (request.extraValidation) {
        if (const Result<void> valid = request.extraValidation(); !valid) {
            return valid.error();
        }
    }
    const QString sha1 = staged
        ? QString::fromLatin1(request.upload.sha1)
        : QString::fromLatin1(
            QCryptographicHash::hash(request.tarball, QCryptographicHash::Sha1).toHex());
    const QString sha512 = staged
        ? QString::fromLatin1(request.upload.sha512)
        : QString::fromLatin1(
            QCryptographicHash::hash(request.tarball, QCryptographicHash::Sha512).toHex());
    if (!request.expectedSha1.isEmpty() && request.expectedSha1.toLower() != sha1) {
        return Error::invalid(u"The tarball's SHA-1 does not match dist.shasum"_s);
    }
    if (!request.expectedSha512.isEmpty() && request.expectedSha512.toLower() != sha512) {
        return Error::invalid(u"The tarball's SHA-512 does not match dist.integrity"_s);
    }

    // The blob is made durable before the write lock is taken, so a large upload never holds
    // up other writers. The sweep leaves young files alone (BlobStore::SweepGraceSeconds), and
    // storing refreshes an existing blob's time, so it is not taken for an orphan meanwhile.
    const auto storeBlob = [&]() -> Result<void> {
        if (staged) {
            return m_blobs.adopt(*request.upload.file, sha512);
        }
        const Result<QString> stored = m_blobs.put(request.tarball);
        if (!stored) {
            return stored.error();
        }
        Q_ASSERT(*stored == sha512);
        return {};
    };
    if (const Result<void> stored = storeBlob(); !stored) {
        return stored.error();
    }

    Sql::Transaction transaction(m_database);
    if (!transaction.isActive()) {
        return transaction.error();
    }
    // A concurrent publish of the same version may have committed since the checks above: the
    // unique index refuses its twin at the insert below. The blob stays for the sweep: another
    // publish of the same bytes may be about to commit a row that refers to it. Under the naming
    // convention the index (per project) cannot help, so that check is made again here.
    if (const Result<bool> taken = conventionTaken(); !taken) {
        return taken.error();
    } else if (*taken) {
        return Error::invalid(u"Validation failed: Package already exists"_s);
    }
    // An unpublish of another version with the same bytes removes its blob under this lock
    // (removeUnreferencedBlobs) once no row refers to it, which may have happened between
    // storing and here. Under the lock the check is final: store it again if it went.
    if (!m_blobs.contains(sha512)) {
        if (const Result<void> stored = storeBlob(); !stored) {
            return stored.error();
        }
        if (!m_blobs.contains(sha512)) {
            return Error::storage(u"The blob of %1@%2 vanished before its row was committed"_s.arg(
                request.name, request.version));
        }
    }
    const QDateTime now = QDateTime::currentDateTimeUtc();
    Package package;
    package.projectId = project->id;
    package.name = request.name;
    package.version = request.version;
    package.packageJson = request.packageJson;
    package.sha1 = sha1;
    package.sha512 = sha512;
    package.size = size;
    package.publisher = request.publisher.username.isEmpty() ? request.publisher.tokenName
                                                             : request.publisher.username;
    package.publisherUserId = request.publisher.userId;
    package.createdAt = now;
    package.updatedAt = now;
    package.readme = request.readme;
    const QJsonObject json = QJsonDocument::fromJson(request.packageJson).object();
    if (json.value(u"deprecated"_s).isString()
        && !json.value(u"deprecated"_s).toString().isEmpty()) {
        package.status = PackageStatus::Deprecated;
    }
    Result<Package> created = m_store.insertPackage(package);
    if (!created) {
        // Another publish of the same version committed first.
        return created.error().code == Error::Code::Conflict
            ? Error::forbidden(u"Package already exists."_s)
            : created.error();
    }
    if (const Result<void> tagged =
            m_store.upsertDistTag(project->id, request.name, request.distTag, created->id, now);
        !tagged) {
        return tagged.error();
    }
    if (const Result<void> committed = transaction.commit(); !committed) {
        return committed.error();
    }
    qCInfo(lcModel).noquote() << "Published" << request.name + u'@' + request.version << "to"
                              << project->fullPath;
    if (m_events) {
        emit m_events->packageChanged(project->id, request.name);
    }
    return created;
}

Result<void> PackageService::setDistTag(qint64 projectId,
                                        const QString &name,
                                        const QString &tag,
                                        const QString &version)
{
    if (!isValidTagName(tag)) {
        return Error::invalid(u"Invalid dist-tag %1: a tag cannot be a semver range"_s.arg(tag));
    }
    Sql::Transaction transaction(m_database);
    if (!transaction.isActive()) {
        return transaction.error();
    }
    const Result<Package> package = m_store.packageVersion(projectId, name, version);
    if (!package) {
        return package.error();
    }
    if (const Result<void> set = m_store.upsertDistTag(
            projectId, name, tag, package->id, QDateTime::currentDateTimeUtc());
        !set) {
        return set;
    }
    if (const Result<void> committed = transaction.commit(); !committed) {
        return committed;
    }
    if (m_events) {
        emit m_events->packageChanged(projectId, name);
    }
    return {};
}

Result<void>
PackageService::removeDistTag(qint64 projectId, const QString &name, const QString &tag)
{
    Result<void> removed = m_store.deleteDistTag(projectId, name, tag);
    if (removed && m_events) {
        emit m_events->packageChanged(projectId, name);
    }
    return removed;
}

Result<QStringList> PackageService::deprecate(qint64 projectId,
                                              const QString &name,
                                              const QMap<QString, QString> &messages)
{
    Sql::Transaction transaction(m_database);
    if (!transaction.isActive()) {
        return transaction.error();
    }
    const QDateTime now = QDateTime::currentDateTimeUtc();
    QStringList changed;
    for (auto it = messages.cbegin(); it != messages.cend(); ++it) {
        const Result<Package> package = m_store.packageVersion(projectId, name, it.key());
        if (!package) {
            if (package.error().code == Error::Code::NotFound) {
                continue;
            }
            return package.error();
        }
        QJsonObject json = QJsonDocument::fromJson(package->packageJson).object();
        const QString current = json.value(u"deprecated"_s).toString();
        if (current == it.value() && json.contains(u"deprecated"_s) == !it.value().isEmpty()) {
            continue;
        }
        PackageStatus status = PackageStatus::Default;
        if (it.value().isEmpty()) {
            json.remove(u"deprecated"_s);
        } else {
            json.insert(u"deprecated"_s, it.value());
            status = PackageStatus::Deprecated;
        }
        if (const Result<void> updated = m_store.updatePackageJson(
                package->id, QJsonDocument(json).toJson(QJsonDocument::Compact), status, now);
            !updated) {
            return updated.error();
        }
        changed.append(it.key());
    }
    if (const Result<void> committed = transaction.commit(); !committed) {
        return committed.error();
    }
    if (!changed.isEmpty() && m_events) {
        emit m_events->packageChanged(projectId, name);
    }
    return changed;
}

Result<void>
PackageService::unpublishVersion(qint64 projectId, const QString &name, const QString &version)
{
    QString sha512;
    {
        Sql::Transaction transaction(m_database);
        if (!transaction.isActive()) {
            return transaction.error();
        }
        const Result<Package> package = m_store.packageVersion(projectId, name, version);
        if (!package) {
            return package.error();
        }
        if (const Result<void> removed = m_store.deletePackage(package->id); !removed) {
            return removed;
        }
        if (const Result<void> committed = transaction.commit(); !committed) {
            return committed;
        }
        sha512 = package->sha512;
    }
    removeUnreferencedBlobs({sha512});
    if (m_events) {
        emit m_events->packageChanged(projectId, name);
    }
    return {};
}

Result<void> PackageService::unpublishPackage(qint64 projectId, const QString &name)
{
    QStringList sha512s;
    {
        Sql::Transaction transaction(m_database);
        if (!transaction.isActive()) {
            return transaction.error();
        }
        const Result<QList<Package>> packages = m_store.packagesInProject(projectId, name);
        if (!packages) {
            return packages.error();
        }
        if (packages->isEmpty()) {
            return Error::notFound(u"Package not found"_s);
        }
        for (const Package &package : *packages) {
            if (const Result<void> removed = m_store.deletePackage(package.id); !removed) {
                return removed;
            }
            sha512s.append(package.sha512);
        }
        if (const Result<void> committed = transaction.commit(); !committed) {
            return committed;
        }
    }
    removeUnreferencedBlobs(sha512s);
    if (m_events) {
        emit m_events->packageChanged(projectId, name);
    }
    return {};
}

void PackageService::removeUnreferencedBlobs(const QStringList &sha512s)
{
    // After the commit: a crash here leaves an orphan, which the next start sweeps. The check
    // and the delete share the write lock so a concurrent publish of the same bytes is safe.
    Sql::Transaction transaction(m_database);
    if (!transaction.isActive()) {
        return;
    }
    for (const QString &sha512 : sha512s) {
        const Result<bool> referenced = m_store.blobReferenced(sha512);
        if (referenced && !*referenced) {
            (void)m_blobs.remove(sha512);
        }
    }
    (void)transaction.commit();
}

Result<PackageService::DeletionImpact> PackageService::deletionImpact(
    qint64 projectId, const QString &name, const QStringList &versions) const
{
    const Result<QList<Package>> all = m_store.packagesInProject(projectId, name);
    if (!all) {
        return all.error();
    }
    if (all->isEmpty()) {
        return Error::notFound(u"Package not found"_s);
    }
    QStringList existing;
    for (const Package &package : *all) {
        existing.append(package.version);
    }
    DeletionImpact impact;
    QStringList left;
    if (versions.isEmpty()) {
        impact.versions = existing;
    } else {
        for (const QString &version : versions) {
            if (!existing.contains(version)) {
                return Error::notFound(u"Package %1@%2 not found"_s.arg(name, version));
            }
        }
        impact.versions = versions;
        for (const QString &version : std::as_const(existing)) {
            if (!versions.contains(version)) {
                left.append(version);
            }
        }
    }
    impact.versions.removeDuplicates();
    impact.versions = Npm::sortVersions(impact.versions);
    impact.wholePackage = left.isEmpty();
    left = Npm::sortVersions(left);
    // The packument's rule (and npm's unpublish): without a latest tag, the highest version.
    const QString latestLeft = left.isEmpty() ? QString() : left.last();

    const Result<QList<DistTag>> tags = m_store.distTags(projectId, name);
    if (!tags) {
        return tags.error();
    }
    QMap<QString, QString> tagsAfter; // what a dependency on a tag name selects afterwards
    bool hasLatest = false;
    for (const DistTag &tag : *tags) {
        hasLatest = hasLatest || tag.tag == u"latest"_s;
        if (!impact.versions.contains(tag.version)) {
            tagsAfter.insert(tag.tag, tag.version);
            continue;
        }
        const QString to = tag.tag == u"latest"_s ? latestLeft : QString();
        impact.tags.append({tag.tag, tag.version, to});
        if (!to.isEmpty()) {
            tagsAfter.insert(tag.tag, to);
        }
    }
    const QStringList sortedExisting = Npm::sortVersions(existing);
    if (!hasLatest && !sortedExisting.isEmpty()) {
        // No stored latest tag: clients see the highest version as latest, and that moves too.
        const QString implicit = sortedExisting.last();
        if (impact.versions.contains(implicit)) {
            impact.tags.append({u"latest"_s, implicit, latestLeft});
        }
        if (!latestLeft.isEmpty()) {
            tagsAfter.insert(u"latest"_s, latestLeft);
        }
    }
    std::sort(impact.tags.begin(), impact.tags.end(), [](const auto &a, const auto &b) {
        return a.tag < b.tag;
    });
    QMap<QString, QString> tagsBefore;
    for (const DistTag &tag : *tags) {
        tagsBefore.insert(tag.tag, tag.version);
    }
    if (!hasLatest && !sortedExisting.isEmpty()) {
        tagsBefore.insert(u"latest"_s, sortedExisting.last());
    }

    // Which version a range or tag selected before, and selects afterwards ("" for none).
    const auto selected = [&](const QString &range,
                              const QStringList &from,
                              const QMap<QString, QString> &tagMap) -> QString {
        const QString trimmed = range.trimmed();
        if (tagMap.contains(trimmed)) {
            return tagMap.value(trimmed);
        }
        const std::optional<Npm::Range> parsed = Npm::Range::parse(trimmed);
        if (!parsed) {
            return {};
        }
        const std::optional<Npm::Version> best = Npm::maxSatisfying(from, *parsed);
        return best ? best->toString() : QString();
    };

    const Result<QList<PackageSummary>> summaries = m_store.packageSummaries();
    if (!summaries) {
        return summaries.error();
    }
    // Only what resolves at install: a devDependency matters to the dependent's own developers.
    static const QStringList kinds = {
        u"dependencies"_s, u"peerDependencies"_s, u"optionalDependencies"_s};
    const QByteArray quotedName = '"' + name.toUtf8() + '"';
    QHash<qint64, QString> projectPaths;
    QStringList names;
    for (const PackageSummary &summary : *summaries) {
        projectPaths.insert(summary.projectId, summary.projectPath);
        names.append(summary.name);
    }
    names.removeDuplicates();
    // By name, over the name index: one query per name, however large a project is.
    for (const QString &other : std::as_const(names)) {
        const Result<QList<Package>> dependentVersions = m_store.packagesNamed(other);
        if (!dependentVersions) {
            return dependentVersions.error();
        }
        for (const Package &dependent : *dependentVersions) {
            if (dependent.projectId == projectId && dependent.name == name) {
                continue;
            }
            // Most manifests do not name the package at all: skip them before parsing.
            if (!dependent.packageJson.contains(quotedName)) {
                continue;
            }
            const QJsonObject json = QJsonDocument::fromJson(dependent.packageJson).object();
            for (const QString &kind : kinds) {
                const QJsonValue range = json.value(kind).toObject().value(name);
                if (!range.isString()) {
                    continue;
                }
                const QString text = range.toString();
                if (!impact.wholePackage) {
                    const QString before = selected(text, existing, tagsBefore);
                    // Listed only when the range picks a version that goes; whether it then
                    // still resolves (to a version that stays) is said with it.
                    const std::optional<Npm::Range> parsed = Npm::Range::parse(text.trimmed());
                    bool affected = false;
                    for (const QString &version : std::as_const(impact.versions)) {
                        const std::optional<Npm::Version> v = Npm::Version::parse(version, true);
                        if ((parsed && v && parsed->satisfies(*v)) || before == version) {
                            affected = true;
                            break;
                        }
                    }
                    if (!affected) {
                        continue;
                    }
                }
                impact.dependents.append(
                    {dependent.projectId,
                     projectPaths.value(dependent.projectId),
                     dependent.name,
                     dependent.version,
                     kind,
                     text,
                     impact.wholePackage ? QString() : selected(text, left, tagsAfter)});
            }
        }
    }
    std::sort(impact.dependents.begin(), impact.dependents.end(), [](const auto &a, const auto &b) {
        if (a.name != b.name) {
            return a.name < b.name;
        }
        if (a.projectPath != b.projectPath) {
            return a.projectPath < b.projectPath;
        }
        const std::optional<Npm::Version> va = Npm::Version::parse(a.version, true);
        const std::optional<Npm::Version> vb = Npm::Version::parse(b.version, true);
        return va && vb ? va->compareBuild(*vb) < 0 : a.version < b.version;
    });
    return impact;
}

} // namespace Trove
