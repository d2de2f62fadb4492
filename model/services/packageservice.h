// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "model/actor.h"
#include "model/domain.h"
#include "model/npm/publishbody.h"
#include "model/result.h"
#include "model/store/packagestore.h"

#include <QMap>

#include <functional>
#include <optional>

namespace Trove {

class BlobStore;
class Database;
class Events;

// Publishing, tagging, deprecating and unpublishing package versions. Every write is one
// transaction followed by a change event; a refused write changes nothing.
class PackageService final
{
public:
    PackageService(const Database &database, BlobStore &blobs, Events *events = nullptr);

    static constexpr int MaxPackageJsonCharacters = 20000;
    static constexpr qint64 DefaultMaxFileSize = 524288000; // GitLab's npm_max_file_size

    struct PublishRequest
    {
        qint64 projectId = 0;
        // The project itself when the caller has read it already (the server has, to authorize
        // the request): not read again. Otherwise read by projectId.
        std::optional<Project> project;
        QString name;
        QString version;
        QByteArray packageJson; // stripped package.json of the version, compact JSON
        QByteArray tarball; // the decoded .tgz, or
        // the upload decoded by PublishBodyDecoder: moved into the blob store, never read whole.
        Npm::DecodedAttachment upload;
        QString distTag = QStringLiteral("latest");
        // The README npm sends in the version's manifest: kept for search (docs/npm-api.md §11.4).
        QString readme;
        Actor publisher;
        // What the client said the tarball hashes to (hex), checked when not empty.
        QString expectedSha1;
        QString expectedSha512;
        // Checks of the caller's (e.g. the JSON schema and the tarball's own package.json), run
        // after GitLab's checks and before anything is written.
        std::function<Result<void>()> extraValidation;
    };

    // The one publish pipeline for a body as npm sends it (PUT /<name>), after streaming:
    // parse, check every field npm sends (Npm::readPublishDocument, GitLab's checks in GitLab's
    // order, Npm::checkPublishDocument), inspect the tarball from its staged file, then commit
    // through publish(PublishRequest). The caller has checked that `publisher` may publish to
    // the project. A refusal writes nothing; the body's staged file goes with the body.
    Result<Package> publish(qint64 projectId,
                            const QString &nameFromUrl,
                            const Npm::DecodedPublishBody &body,
                            const Actor &publisher);
    Result<Package> publish(const Project &project,
                            const QString &nameFromUrl,
                            const Npm::DecodedPublishBody &body,
                            const Actor &publisher);

    // The commit path: GitLab's checks, in GitLab's order and with its messages (see
    // docs/ and the tests), from "Version is empty." on, then `extraValidation`; then the blob is
    // stored durably (BlobStore::put or ::adopt) without any lock, and only then the row is
    // committed under the write lock.
    Result<Package> publish(const PublishRequest &request);

    // GitLab's checks of a name and version, with its messages.
    static Result<void> checkNameAndVersion(const QString &name, const QString &version);
    // GitLab's limit on the stored package.json, measured by Npm::packageJsonCharacters.
    static Result<void> checkPackageJsonSize(const QByteArray &packageJson);

    // Points `tag` at `version`. NotFound "Package not found" for an unknown version.
    Result<void>
    setDistTag(qint64 projectId, const QString &name, const QString &tag, const QString &version);
    // NotFound "Package tag not found".
    Result<void> removeDistTag(qint64 projectId, const QString &name, const QString &tag);

    // Sets the deprecation message of each listed version of the project ("" undeprecates);
    // versions the project does not have are ignored. Returns the versions that changed.
    Result<QStringList>
    deprecate(qint64 projectId, const QString &name, const QMap<QString, QString> &messages);

    // Removes one version (its dist-tags go with it) or every version of the name.
    Result<void> unpublishVersion(qint64 projectId, const QString &name, const QString &version);
    Result<void> unpublishPackage(qint64 projectId, const QString &name);

    void setMaxFileSize(qint64 bytes) { m_maxFileSize = bytes; }
    qint64 maxFileSize() const { return m_maxFileSize; }

    PackageStore &store() { return m_store; }

    static bool isValidTagName(const QString &tag);

    // GitLab's naming convention: a package scoped with its project's top-level group must be
    // unique (name and version) across every project under that group. True when another
    // project there already has it.
    static Result<bool> conventionTaken(const Database &database,
                                        const Project &project,
                                        const QString &name,
                                        const QString &version);

    // What deleting versions of a package breaks, for the window's confirmation: computed
    // before anything is written, from the store as it is now.
    struct DeletionImpact
    {
        struct TagChange
        {
            QString tag;
            QString from; // the version it points at now
            // Where it moves ("latest" only, to the highest version left, as npm's unpublish
            // moves it and the packument falls back to); empty when the tag goes.
            QString to;
        };
        struct Dependent
        {
            qint64 projectId = 0;
            QString projectPath;
            QString name;
            QString version;
            QString kind; // "dependencies", "peerDependencies" or "optionalDependencies"
            QString range; // as written, a semver range or a dist-tag
            // The highest version left that the range selects; empty when it no longer
            // resolves (always, for a whole package).
            QString resolvesTo;
        };
        QStringList versions; // the versions that go, ascending
        bool wholePackage = false; // every version goes
        QList<TagChange> tags; // ordered by tag name
        // Every version of another package in this registry whose range selects a version that
        // goes (for a whole package: any range on the name), ordered by name and version.
        QList<Dependent> dependents;
    };
    // `versions` empty: the whole package. NotFound when the project has no version of the name
    // or lacks one of `versions`. Reads every package's manifest: run it off the GUI thread.
    Result<DeletionImpact>
    deletionImpact(qint64 projectId, const QString &name, const QStringList &versions) const;

private:
    void removeUnreferencedBlobs(const QStringList &sha512s);

    const Database &m_database;
    BlobStore &m_blobs;
    PackageStore m_store;
    Events *m_events;
    qint64 m_maxFileSize = DefaultMaxFileSize;
};

} // namespace Trove
