// SPDX-License-Identifier: GPL-3.0-or-later
#include "model/storecheck.h"

#include "model/registry.h"
#include "model/store/packagestore.h"
#include "model/store/proxystore.h"

#include <QCryptographicHash>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QSet>

using namespace Qt::StringLiterals;

namespace Trove {

namespace {

constexpr qint64 ReadBufferSize = 1024 * 1024;

// One row's blob reference.
struct Row
{
    QString name;
    QString version;
    QString projectPath;
    QString sha512;
    qint64 size = 0;
};

// Every package row, through the store: one query for the (project, name) pairs, then one
// indexed query per pair.
Result<QList<Row>> allRows(Registry &registry)
{
    const PackageStore &packages = registry.packages().store();
    const Result<QList<PackageSummary>> summaries = packages.packageSummaries();
    if (!summaries) {
        return summaries.error();
    }
    QList<Row> rows;
    for (const PackageSummary &summary : *summaries) {
        const Result<QList<Package>> versions =
            packages.packagesInProject(summary.projectId, summary.name);
        if (!versions) {
            return versions.error();
        }
        for (const Package &package : *versions) {
            rows.append({package.name,
                         package.version,
                         summary.projectPath,
                         package.sha512.toLower(),
                         package.size});
        }
    }
    return rows;
}

// The blob folder of the data directory (Registry opens its BlobStore there). Its own files (a
// layout marker) are none of the check's business: only sha512/ and tmp/ are walked.
QString blobRoot(Registry &registry)
{
    return QDir(registry.database().dataDir()).filePath(u"blobs"_s);
}

StoreProblem
rowProblem(StoreProblem::Kind kind, const Row &row, const QString &path, const QString &detail)
{
    return {kind, row.name, row.version, row.projectPath, path, detail};
}

// The SHA-512 (hex) and size of a file, read in 1 MiB pieces; an error text when unreadable.
Result<std::pair<QString, qint64>> hashFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        return Error::storage(file.errorString());
    }
    QCryptographicHash hash(QCryptographicHash::Sha512);
    QByteArray buffer(ReadBufferSize, Qt::Uninitialized);
    qint64 total = 0;
    for (;;) {
        const qint64 read = file.read(buffer.data(), buffer.size());
        if (read < 0) {
            return Error::storage(file.errorString());
        }
        if (read == 0) {
            break;
        }
        hash.addData(QByteArrayView(buffer.constData(), read));
        total += read;
    }
    return std::pair{QString::fromLatin1(hash.result().toHex()), total};
}

Result<StoreCheckReport> check(Registry &registry, bool hash)
{
    const Result<QList<Row>> rows = allRows(registry);
    if (!rows) {
        return rows.error();
    }
    const BlobStore &blobs = registry.blobs();
    StoreCheckReport report;
    report.rows = rows->size();
    // Several rows (the same tarball in two projects) may share a blob: each file is looked at
    // once, and every row that names a bad one is reported.
    QHash<QString, std::optional<StoreProblem>> verdicts;
    for (const Row &row : *rows) {
        if (!BlobStore::isDigest(row.sha512)) {
            report.problems.append(
                rowProblem(StoreProblem::Kind::WrongDigest,
                           row,
                           QString(),
                           u"the row's SHA-512 is not a digest: %1"_s.arg(row.sha512)));
            continue;
        }
        const QString path = blobs.pathOf(row.sha512);
        auto verdict = verdicts.constFind(row.sha512);
        if (verdict == verdicts.cend()) {
            std::optional<StoreProblem> problem;
            const QFileInfo info(path);
            ++report.blobs;
            if (!info.exists()) {
                problem = rowProblem(StoreProblem::Kind::MissingBlob, row, path, u"blob missing"_s);
            } else if (info.size() != row.size) {
                problem = rowProblem(
                    StoreProblem::Kind::WrongSize,
                    row,
                    path,
                    u"blob has %1 bytes, the row says %2"_s.arg(info.size()).arg(row.size));
            } else if (hash) {
                const Result<std::pair<QString, qint64>> read = hashFile(path);
                if (!read) {
                    problem = rowProblem(StoreProblem::Kind::UnreadableBlob,
                                         row,
                                         path,
                                         u"blob unreadable: %1"_s.arg(read.error().message));
                } else if (read->first != row.sha512) {
                    problem = rowProblem(StoreProblem::Kind::WrongDigest,
                                         row,
                                         path,
                                         u"blob content does not match its SHA-512 (it hashes"
                                         " to %1…)"_s.arg(read->first.left(16)));
                } else if (read->second != row.size) {
                    problem = rowProblem(
                        StoreProblem::Kind::WrongSize,
                        row,
                        path,
                        u"blob has %1 bytes, the row says %2"_s.arg(read->second).arg(row.size));
                }
            }
            verdict = verdicts.insert(row.sha512, problem);
        }
        if (*verdict) {
            StoreProblem problem = **verdict;
            problem.packageName = row.name;
            problem.version = row.version;
            problem.projectPath = row.projectPath;
            report.problems.append(problem);
        }
    }
    if (!hash) {
        return report;
    }

    // Files no row references, and uploads left in the staging folder.
    const QString root = blobRoot(registry);
    const ProxyStore proxy(registry.database());
    const QString staging = QDir(root).filePath(u"tmp"_s) + u'/';
    QStringList found;
    for (const QString &folder : {u"sha512"_s, u"tmp"_s}) {
        QDirIterator files(QDir(root).filePath(folder),
                           QDir::Files | QDir::Hidden | QDir::System,
                           QDirIterator::Subdirectories);
        while (files.hasNext()) {
            found.append(files.next());
        }
    }
    found.sort();
    for (const QString &path : std::as_const(found)) {
        if (path.startsWith(staging)) {
            report.problems.append(
                {StoreProblem::Kind::StagingFile, {}, {}, {}, path, u"staging file left behind"_s});
            continue;
        }
        const QString name = QFileInfo(path).fileName();
        if (BlobStore::isDigest(name) && blobs.pathOf(name) == path) {
            if (verdicts.contains(name)) {
                continue;
            }
            // A tarball the proxy's cache keeps (docs/proxy.md) is no orphan either.
            const Result<bool> cached = proxy.tarballKept(name);
            if (!cached) {
                return cached.error();
            }
            if (*cached) {
                continue;
            }
        }
        report.problems.append({StoreProblem::Kind::UnreferencedFile,
                                {},
                                {},
                                {},
                                path,
                                u"file no package row references"_s});
    }
    return report;
}

} // namespace

QString StoreProblem::kindName(Kind kind)
{
    switch (kind) {
    case Kind::MissingBlob:
        return u"missing-blob"_s;
    case Kind::WrongSize:
        return u"wrong-size"_s;
    case Kind::WrongDigest:
        return u"wrong-digest"_s;
    case Kind::UnreadableBlob:
        return u"unreadable-blob"_s;
    case Kind::UnreferencedFile:
        return u"unreferenced-file"_s;
    case Kind::StagingFile:
        return u"staging-file"_s;
    }
    return {};
}

bool StoreProblem::repairable(Kind kind)
{
    return kind == Kind::UnreferencedFile || kind == Kind::StagingFile;
}

QString StoreProblem::remedy() const
{
    if (repairable(kind)) {
        return u"trove check --repair removes it once it is older than %1 minutes (a publish"
               " may be about to use a younger one)"_s.arg(BlobStore::SweepGraceSeconds / 60);
    }
    if (kind == Kind::UnreadableBlob) {
        return u"cannot be repaired here: make the file readable, or publish the version again"_s;
    }
    return u"cannot be repaired: the tarball's bytes are lost; %1@%2 in %3 is broken until it is"
           " published again, or deleted with trove package delete %1@%2 --project %3"_s.arg(
               packageName, version, projectPath);
}

Result<StoreRepairReport> repairStore(Registry &registry, qint64 graceSeconds)
{
    StoreRepairReport report;
    const Result<int> swept = registry.sweepOrphanBlobs(graceSeconds);
    if (!swept) {
        return swept.error();
    }
    report.removed = *swept;
    Result<StoreCheckReport> after = checkStore(registry);
    if (!after) {
        return after.error();
    }
    report.after = std::move(*after);
    return report;
}

Result<StoreCheckReport> checkStore(Registry &registry)
{
    return check(registry, true);
}

Result<StoreCheckReport> checkBlobsExist(Registry &registry)
{
    return check(registry, false);
}

} // namespace Trove
