// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "model/npm/publishbody.h"
#include "model/npm/tarball.h"
#include "model/result.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>

namespace Trove::Npm {

// What a publish body says, once its shape has been checked by readPublishDocument().
struct PublishDocument
{
    QJsonObject body;
    QString name;
    QString version;
    QString distTag;
    QJsonObject manifest; // versions.<version> as sent
    // The manifest as the store keeps it: stripped (strippedPackageJson), compact JSON.
    QByteArray packageJson;
    QString attachmentName; // the one key of _attachments
    QString expectedSha1; // dist.shasum, lower case
    QString expectedSha512; // from dist.integrity, hex; empty when the client sent none
};

// Parses the body's JSON and checks what a publish needs to be read at all: `name` equal to the
// URL's, exactly one version (GitLab's "Version is empty."), one dist-tag naming it, and one
// attachment (GitLab's "Attachment data is empty." when there is none). Error::Invalid.
Result<PublishDocument> readPublishDocument(const QByteArray &json, const QString &nameFromUrl);

// Every other field npm sends, with npm's types, GitLab's json schema (name, version,
// dist.shasum, dist.tarball), and the attachment's declared length and dist hashes against the
// decoded bytes. Error::Invalid naming the field.
Result<void> checkPublishDocument(const PublishDocument &document,
                                  const DecodedAttachment &attachment);

// The tarball as published: strict layout (TarballLimits::strictLayout), and a package.json
// naming the same name and version as the body. Streams from the file.
Result<TarballInfo> checkPublishedTarball(const QString &path, const PublishDocument &document);

// The tarball's package.json names the body's name and version.
Result<void> checkTarballManifest(const TarballInfo &info, const PublishDocument &document);

// The document `npm publish` would send for a packed tarball whose package.json is `manifest`:
// one version, the "latest" tag, and an attachment of `size` bytes hashing to the given digests
// (data left out, as DecodedPublishBody::json has it).
QByteArray publishDocumentFor(const QJsonObject &manifest,
                              qint64 size,
                              const QString &sha1Hex,
                              const QString &sha512Hex);

} // namespace Trove::Npm
