// SPDX-License-Identifier: GPL-3.0-or-later
#include "model/npm/publishrules.h"

#include "model/npm/manifest.h"
#include "model/npm/packagename.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;

namespace Trove::Npm {

namespace {

const QString SchemaMessage = u"Validation failed: Package json must be a valid json schema"_s;

Error fieldError(const QString &field, const QString &what)
{
    return Error::invalid(u"Invalid publish body: %1 %2"_s.arg(field, what));
}

bool isStringArray(const QJsonValue &value)
{
    if (!value.isArray()) {
        return false;
    }
    const QJsonArray array = value.toArray();
    return std::all_of(
        array.begin(), array.end(), [](const QJsonValue &v) { return v.isString(); });
}

bool isStringObject(const QJsonValue &value)
{
    if (!value.isObject()) {
        return false;
    }
    const QJsonObject object = value.toObject();
    return std::all_of(
        object.begin(), object.end(), [](const QJsonValue &v) { return v.isString(); });
}

bool isHex(const QString &text, qsizetype length)
{
    return text.size() == length && std::all_of(text.begin(), text.end(), [](QChar c) {
               return (c >= u'0' && c <= u'9') || (c >= u'a' && c <= u'f')
                   || (c >= u'A' && c <= u'F');
           });
}

// The manifest's fields that npm itself writes or reads, with the types npm gives them.
Result<void> checkManifestTypes(const QJsonObject &manifest, const QString &prefix)
{
    for (const QString &field : {u"dependencies"_s,
                                 u"devDependencies"_s,
                                 u"peerDependencies"_s,
                                 u"optionalDependencies"_s,
                                 u"engines"_s,
                                 u"scripts"_s,
                                 u"directories"_s}) {
        if (manifest.contains(field) && !isStringObject(manifest.value(field))) {
            return fieldError(prefix + field, u"must be an object of strings"_s);
        }
    }
    if (manifest.contains(u"peerDependenciesMeta"_s)) {
        const QJsonValue meta = manifest.value(u"peerDependenciesMeta"_s);
        const QJsonObject object = meta.toObject();
        if (!meta.isObject() || !std::all_of(object.begin(), object.end(), [](const QJsonValue &v) {
                return v.isObject();
            })) {
            return fieldError(prefix + u"peerDependenciesMeta"_s,
                              u"must be an object of objects"_s);
        }
    }
    for (const QString &field : {u"bundleDependencies"_s, u"bundledDependencies"_s}) {
        const QJsonValue value = manifest.value(field);
        if (manifest.contains(field) && !value.isBool() && !isStringArray(value)) {
            return fieldError(prefix + field, u"must be an array of strings or a boolean"_s);
        }
    }
    if (const QJsonValue bin = manifest.value(u"bin"_s);
        manifest.contains(u"bin"_s) && !bin.isString() && !isStringObject(bin)) {
        return fieldError(prefix + u"bin"_s, u"must be a string or an object of strings"_s);
    }
    for (const QString &field : {u"description"_s, u"main"_s, u"license"_s, u"homepage"_s}) {
        if (manifest.contains(field) && !manifest.value(field).isString()) {
            return fieldError(prefix + field, u"must be a string"_s);
        }
    }
    for (const QString &field : {u"keywords"_s, u"files"_s, u"os"_s, u"cpu"_s}) {
        if (manifest.contains(field) && !isStringArray(manifest.value(field))) {
            return fieldError(prefix + field, u"must be an array of strings"_s);
        }
    }
    return {};
}

} // namespace

Result<PublishDocument> readPublishDocument(const QByteArray &json, const QString &nameFromUrl)
{
    QJsonParseError parseError;
    const QJsonDocument parsed = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError || !parsed.isObject()) {
        return Error::invalid(u"Invalid json"_s);
    }
    PublishDocument document;
    document.body = parsed.object();
    const QJsonObject &body = document.body;
    if (!body.value(u"name"_s).isString()) {
        return fieldError(u"name"_s, u"must be a string"_s);
    }
    document.name = body.value(u"name"_s).toString();
    if (document.name != nameFromUrl) {
        return fieldError(u"name"_s,
                          u"(%1) differs from the package name in the URL (%2)"_s.arg(document.name,
                                                                                      nameFromUrl));
    }
    // GitLab reads the first key of `versions`; anything that has none is its "Version is empty."
    const QJsonObject versions = body.value(u"versions"_s).toObject();
    if (versions.isEmpty() || versions.constBegin().key().trimmed().isEmpty()) {
        return Error::invalid(u"Version is empty."_s);
    }
    if (versions.size() > 1) {
        return fieldError(u"versions"_s,
                          u"has %1 versions: publish one version at a time"_s.arg(versions.size()));
    }
    document.version = versions.constBegin().key();
    const QString prefix = u"versions.%1."_s.arg(document.version);
    if (!versions.constBegin().value().isObject()) {
        return fieldError(prefix.chopped(1), u"must be an object"_s);
    }
    document.manifest = versions.constBegin().value().toObject();

    if (!body.value(u"dist-tags"_s).isObject()) {
        return fieldError(u"dist-tags"_s, u"must be an object"_s);
    }
    const QJsonObject tags = body.value(u"dist-tags"_s).toObject();
    if (tags.size() != 1) {
        return fieldError(u"dist-tags"_s,
                          u"has %1 tags: publish with exactly one tag"_s.arg(tags.size()));
    }
    if (tags.constBegin().value().toString() != document.version) {
        return fieldError(u"dist-tags.%1"_s.arg(tags.constBegin().key()),
                          u"must name the published version %1"_s.arg(document.version));
    }
    document.distTag = tags.constBegin().key();

    // GitLab answers "Attachment data is empty." for a missing attachment too (docs/npm-api.md
    // §5.2); a second one is refused by name.
    const QJsonObject attachments = body.value(u"_attachments"_s).toObject();
    if (attachments.isEmpty()) {
        return Error::invalid(u"Attachment data is empty."_s);
    }
    if (attachments.size() > 1) {
        return Error::invalid(u"Publish one attachment at a time"_s);
    }
    document.attachmentName = attachments.constBegin().key();
    const QString expectedName = tarballFileName(document.name, document.version);
    if (document.attachmentName != expectedName) {
        return fieldError(
            u"_attachments"_s,
            u"must have one entry named %1, not %2"_s.arg(expectedName, document.attachmentName));
    }
    const QJsonValue entry = attachments.constBegin().value();
    if (!entry.isObject() || !entry.toObject().value(u"data"_s).isString()) {
        return Error::invalid(u"Attachment data is empty."_s);
    }

    document.packageJson =
        QJsonDocument(strippedPackageJson(document.manifest)).toJson(QJsonDocument::Compact);
    const QJsonObject dist = document.manifest.value(u"dist"_s).toObject();
    document.expectedSha1 = dist.value(u"shasum"_s).toString().toLower();
    const QString integrity = dist.value(u"integrity"_s).toString();
    if (integrity.startsWith(u"sha512-"_s)) {
        const QByteArray digest = QByteArray::fromBase64(integrity.mid(7).toLatin1());
        if (digest.size() == 64) {
            document.expectedSha512 = QString::fromLatin1(digest.toHex());
        }
    }
    return document;
}

Result<void> checkPublishDocument(const PublishDocument &document,
                                  const DecodedAttachment &attachment)
{
    const QJsonObject &manifest = document.manifest;
    const QString prefix = u"versions.%1."_s.arg(document.version);
    const QJsonValue distValue = manifest.value(u"dist"_s);
    const QJsonObject dist = distValue.toObject();
    // GitLab's json schema: name, version, dist.tarball and dist.shasum are strings.
    if (!manifest.value(u"name"_s).isString() || !manifest.value(u"version"_s).isString()
        || !distValue.isObject() || !dist.value(u"shasum"_s).isString()
        || !dist.value(u"tarball"_s).isString()) {
        return Error::invalid(SchemaMessage);
    }
    if (manifest.value(u"name"_s).toString() != document.name) {
        return fieldError(prefix + u"name"_s, u"must be %1"_s.arg(document.name));
    }
    if (manifest.value(u"version"_s).toString() != document.version) {
        return fieldError(prefix + u"version"_s, u"must be %1"_s.arg(document.version));
    }
    if (!isHex(dist.value(u"shasum"_s).toString(), 40)) {
        return fieldError(prefix + u"dist.shasum"_s, u"must be 40 hex digits"_s);
    }
    if (dist.contains(u"integrity"_s)) {
        if (!dist.value(u"integrity"_s).isString() || document.expectedSha512.isEmpty()) {
            return fieldError(prefix + u"dist.integrity"_s,
                              u"must be a sha512 integrity string (sha512-<base64>)"_s);
        }
    }
    if (const Result<void> types = checkManifestTypes(manifest, prefix); !types) {
        return types;
    }
    const QJsonObject entry =
        document.body.value(u"_attachments"_s).toObject().value(document.attachmentName).toObject();
    const QString entryField = u"_attachments.%1."_s.arg(document.attachmentName);
    if (entry.contains(u"content_type"_s) && !entry.value(u"content_type"_s).isString()) {
        return fieldError(entryField + u"content_type"_s, u"must be a string"_s);
    }
    const QJsonValue length = entry.value(u"length"_s);
    const double value = length.toDouble(-1);
    if (!length.isDouble() || value < 0 || value > 9007199254740992.0
        || std::floor(value) != value) {
        return fieldError(entryField + u"length"_s, u"must be a non-negative integer"_s);
    }
    if (qint64(value) != attachment.size) {
        return fieldError(
            entryField + u"length"_s,
            u"is %1 but the data decodes to %2 bytes"_s.arg(qint64(value)).arg(attachment.size));
    }
    if (document.expectedSha1 != QString::fromLatin1(attachment.sha1)) {
        return Error::invalid(u"The tarball's SHA-1 does not match dist.shasum"_s);
    }
    if (!document.expectedSha512.isEmpty()
        && document.expectedSha512 != QString::fromLatin1(attachment.sha512)) {
        return Error::invalid(u"The tarball's SHA-512 does not match dist.integrity"_s);
    }
    return {};
}

Result<TarballInfo> checkPublishedTarball(const QString &path, const PublishDocument &document)
{
    TarballLimits limits;
    limits.strictLayout = true;
    Result<TarballInfo> info = inspectTarballFile(path, limits);
    if (!info) {
        return info.error();
    }
    if (const Result<void> coherent = checkTarballManifest(*info, document); !coherent) {
        return coherent.error();
    }
    return info;
}

Result<void> checkTarballManifest(const TarballInfo &info, const PublishDocument &document)
{
    const QJsonDocument manifest = QJsonDocument::fromJson(info.packageJson);
    const QJsonObject object = manifest.object();
    if (!manifest.isObject() || object.value(u"name"_s).toString() != document.name
        || object.value(u"version"_s).toString() != document.version) {
        return Error::invalid(
            u"Package manifest is not coherent: the tarball's package.json is not %1@%2"_s.arg(
                document.name, document.version));
    }
    return {};
}

QByteArray publishDocumentFor(const QJsonObject &manifest,
                              qint64 size,
                              const QString &sha1Hex,
                              const QString &sha512Hex)
{
    const QString name = manifest.value(u"name"_s).toString();
    const QString version = manifest.value(u"version"_s).toString();
    const QString file = tarballFileName(name, version);
    QJsonObject withDist = manifest;
    withDist.insert(u"_id"_s, QString(name + u'@' + version));
    withDist.insert(u"dist"_s,
                    QJsonObject{{u"shasum"_s, sha1Hex},
                                {u"integrity"_s, integrityOf(sha512Hex)},
                                {u"tarball"_s, file}});
    const QJsonObject body{
        {u"_id"_s, name},
        {u"name"_s, name},
        {u"dist-tags"_s, QJsonObject{{u"latest"_s, version}}},
        {u"versions"_s, QJsonObject{{version, withDist}}},
        {u"_attachments"_s,
         QJsonObject{{file,
                      QJsonObject{{u"content_type"_s, u"application/octet-stream"_s},
                                  {u"data"_s, u""_s},
                                  {u"length"_s, double(size)}}}}},
    };
    return QJsonDocument(body).toJson(QJsonDocument::Compact);
}

} // namespace Trove::Npm
