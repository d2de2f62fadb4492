// SPDX-License-Identifier: GPL-3.0-or-later
// Fuzzes Trove::Npm::PublishBodyDecoder (model/npm/publishbody.h). The first byte says where the
// rest is split into two write() calls, so chunk boundaries fall inside strings, escapes and
// base64 as they do on a real connection; then finish().
#include "model/npm/publishbody.h"

#include <QByteArray>
#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QTemporaryDir>

#include <cstddef>
#include <cstdint>

using namespace Qt::StringLiterals;
using Trove::Npm::PublishBodyDecoder;

namespace {

// One staging folder per process: every input must leave it empty again.
const QString &stagingDir()
{
    static QTemporaryDir dir;
    static const QString path = dir.path();
    return path;
}

bool stagingDirIsEmpty()
{
    return QDir(stagingDir()).isEmpty(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden);
}

bool isLowerHex(const QByteArray &text, qsizetype length)
{
    if (text.size() != length) {
        return false;
    }
    for (const char c : text) {
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
            return false;
        }
    }
    return true;
}

void checkBody(const Trove::Npm::DecodedPublishBody &body, const PublishBodyDecoder::Limits &limits)
{
    if (body.json.size() > limits.maxJsonBytes || body.attachments.size() > limits.maxAttachments) {
        __builtin_trap();
    }
    for (const Trove::Npm::DecodedAttachment &attachment : body.attachments) {
        if (!attachment.file || attachment.size < 0 || attachment.size > limits.maxAttachmentBytes
            || !isLowerHex(attachment.sha1, 40) || !isLowerHex(attachment.sha512, 128)) {
            __builtin_trap();
        }
        // The staged file holds exactly the decoded bytes that were hashed.
        QFile file(attachment.file->path());
        if (!file.open(QIODevice::ReadOnly)) {
            __builtin_trap();
        }
        const QByteArray content = file.readAll();
        if (content.size() != attachment.size
            || QCryptographicHash::hash(content, QCryptographicHash::Sha1).toHex()
                != attachment.sha1
            || QCryptographicHash::hash(content, QCryptographicHash::Sha512).toHex()
                != attachment.sha512) {
            __builtin_trap();
        }
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0) {
        return 0;
    }
    const QByteArrayView body(data + 1, qsizetype(size - 1));
    const qsizetype split = qsizetype(data[0]) * body.size() / 255;

    // Small bounds so that each limit is reachable with fuzzer-sized inputs.
    PublishBodyDecoder::Limits limits;
    limits.maxJsonBytes = 2048;
    limits.maxAttachmentBytes = 1024;
    limits.maxAttachments = 2;
    limits.maxDepth = 16;
    {
        PublishBodyDecoder decoder(stagingDir(), limits);
        const Trove::Result<void> first = decoder.write(body.first(split));
        const Trove::Result<void> second = decoder.write(body.sliced(split));
        // "After an error every later call fails too."
        if (!first && second) {
            __builtin_trap();
        }
        const Trove::Result<Trove::Npm::DecodedPublishBody> decoded = decoder.finish();
        if ((!first || !second) && decoded) {
            __builtin_trap();
        }
        if (decoded) {
            checkBody(*decoded, limits);
        }
        // The same body a byte at a time: the decoder takes runs of plain bytes whole, and where
        // a run ends must not change the outcome (the same body, or the same error).
        PublishBodyDecoder bytewise(stagingDir(), limits);
        Trove::Result<void> fed;
        for (qsizetype at = 0; at < body.size() && fed; ++at) {
            fed = bytewise.write(body.sliced(at, 1));
        }
        const Trove::Result<Trove::Npm::DecodedPublishBody> again = bytewise.finish();
        if (bool(decoded) != bool(again)) {
            __builtin_trap();
        }
        if (decoded
            && (decoded->json != again->json
                || decoded->attachments.size() != again->attachments.size()
                || (!decoded->attachments.isEmpty()
                    && decoded->attachments.first().sha512 != again->attachments.first().sha512))) {
            __builtin_trap();
        }
        if (!decoded && decoded.error().message != again.error().message) {
            __builtin_trap();
        }
    }
    // Staged files belong to the decoded body (StagedFile): with the decoder and the body gone,
    // nothing of this input may stay on disk.
    if (!stagingDirIsEmpty()) {
        __builtin_trap();
    }
    return 0;
}
