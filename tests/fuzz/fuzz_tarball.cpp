// SPDX-License-Identifier: GPL-3.0-or-later
// Fuzzes Trove::Npm::inspectTarball (model/npm/tarball.h). An input that starts with the gzip
// magic is given as it is; any other input is a tar that the harness gzips first, so the
// mutations reach the tar headers instead of dying in gzip's CRC.
#include "model/npm/tarball.h"

#include <QByteArray>
#include <QFile>
#include <QTemporaryDir>

#include <zlib.h>

#include <cstddef>
#include <cstdint>

using namespace Qt::StringLiterals;
using Trove::Npm::TarballInfo;
using Trove::Npm::TarballLimits;

namespace {

QByteArray gzip(const QByteArray &data)
{
    z_stream stream{};
    // 15 + 16: a gzip wrapper, as npm pack writes.
    if (deflateInit2(&stream, Z_BEST_SPEED, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
        __builtin_trap();
    }
    QByteArray out(qsizetype(deflateBound(&stream, uLong(data.size()))) + 32, Qt::Uninitialized);
    stream.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(data.constData()));
    stream.avail_in = uInt(data.size());
    stream.next_out = reinterpret_cast<Bytef *>(out.data());
    stream.avail_out = uInt(out.size());
    if (deflate(&stream, Z_FINISH) != Z_STREAM_END) {
        __builtin_trap();
    }
    out.resize(qsizetype(stream.total_out));
    deflateEnd(&stream);
    return out;
}

bool sameEntries(const TarballInfo &a, const TarballInfo &b)
{
    if (a.entries.size() != b.entries.size()) {
        return false;
    }
    for (qsizetype i = 0; i < a.entries.size(); ++i) {
        const auto &x = a.entries.at(i);
        const auto &y = b.entries.at(i);
        if (x.path != y.path || x.size != y.size || x.isFile != y.isFile) {
            return false;
        }
    }
    return a.packageJson == b.packageJson && a.unpackedSize == b.unpackedSize
        && a.readme == b.readme && a.readmePath == b.readmePath;
}

void checkInfo(const TarballInfo &info, const TarballLimits &limits)
{
    if (info.entries.size() > limits.maxEntries || info.unpackedSize > limits.maxUnpackedSize
        || info.packageJson.size() > limits.maxPackageJsonSize
        || info.readme.size() > limits.maxReadmeSize
        || (info.readmePath.isEmpty() && !info.readme.isEmpty())) {
        __builtin_trap();
    }
    qint64 unpacked = 0;
    bool packageJson = false;
    for (const Trove::Npm::TarballEntry &entry : info.entries) {
        unpacked += std::max<qint64>(0, entry.size);
        const qsizetype slash = entry.path.indexOf(u'/');
        packageJson = packageJson
            || (entry.isFile && slash > 0 && entry.path.mid(slash) == u"/package.json"_s);
    }
    // A success always found a package.json at GitLab's ^[^/]+/package.json$.
    if (unpacked != info.unpackedSize || !packageJson) {
        __builtin_trap();
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    QByteArray input(reinterpret_cast<const char *>(data), qsizetype(size));
    if (!input.startsWith("\x1f\x8b")) {
        input = gzip(input);
    }
    // Small bounds so the limit paths are reached with fuzzer-sized inputs; a README is read as
    // the desktop reads it.
    TarballLimits limits;
    limits.maxEntries = 32;
    limits.maxUnpackedSize = 1024 * 1024;
    limits.maxPackageJsonSize = 64 * 1024;
    limits.maxReadmeSize = 16 * 1024;

    const Trove::Result<TarballInfo> fromMemory = Trove::Npm::inspectTarball(input, limits);
    if (fromMemory) {
        checkInfo(*fromMemory, limits);
    }

    // The file variant streams the same bytes: it must come to the same answer.
    static QTemporaryDir dir;
    const QString path = dir.filePath(u"input.tgz"_s);
    {
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate)
            || file.write(input) != input.size()) {
            __builtin_trap();
        }
    }
    const Trove::Result<TarballInfo> fromFile = Trove::Npm::inspectTarballFile(path, limits);
    if (fromFile.has_value() != fromMemory.has_value()
        || (fromFile && !sameEntries(*fromFile, *fromMemory))) {
        __builtin_trap();
    }
    return 0;
}
