// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "model/result.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QString>

#include <memory>

namespace Trove::Npm {

// A file in a staging folder that is deleted when the last owner lets go of it, unless it was
// moved away (BlobStore::adopt renames it into the store).
class StagedFile
{
public:
    explicit StagedFile(QString path);
    ~StagedFile();
    StagedFile(const StagedFile &) = delete;
    StagedFile &operator=(const StagedFile &) = delete;

    const QString &path() const { return m_path; }
    // The file has been moved elsewhere: nothing to delete.
    void release() { m_path.clear(); }

private:
    QString m_path;
};

// One attachment of a publish body, base64-decoded into a staged file while the body streamed.
struct DecodedAttachment
{
    QString fileName; // its key under "_attachments"
    std::shared_ptr<StagedFile> file;
    qint64 size = 0; // decoded bytes
    QByteArray sha1; // hex, lower case
    QByteArray sha512; // hex, lower case
};

// A publish (or deprecate, or unpublish) body as npm sends it, after streaming.
struct DecodedPublishBody
{
    // The body with every "_attachments"."<file>"."data" string replaced by "": small enough to
    // parse with QJsonDocument.
    QByteArray json;
    QList<DecodedAttachment> attachments;
};

// Streams an npm publish body: validates the JSON syntax as it arrives, copies everything but
// the attachments' base64 "data" strings into DecodedPublishBody::json, and decodes those strings
// into staged files under `stagingDir`, hashing them on the way. Memory stays bounded by
// Limits::maxJsonBytes whatever the body's size. Not thread-safe; one per request.
class PublishBodyDecoder
{
public:
    struct Limits
    {
        qint64 maxJsonBytes = 64LL * 1024 * 1024; // the body without attachment data
        qint64 maxAttachmentBytes = 500LL * 1024 * 1024; // decoded, each
        int maxAttachments = 1;
        int maxDepth = 64;
    };

    PublishBodyDecoder(const QString &stagingDir, const Limits &limits);
    ~PublishBodyDecoder();
    PublishBodyDecoder(const PublishBodyDecoder &) = delete;
    PublishBodyDecoder &operator=(const PublishBodyDecoder &) = delete;

    // Error::Invalid with a message that says what is wrong ("Invalid json", "_attachments:
    // data of x.tgz is not base64", …), or Error::Storage when the staging file cannot be
    // written. After an error every later call fails too.
    Result<void> write(QByteArrayView chunk);
    // The body ended: Invalid when the JSON is incomplete.
    Result<DecodedPublishBody> finish();

private:
    struct State;
    std::unique_ptr<State> m_state;
};

} // namespace Trove::Npm
