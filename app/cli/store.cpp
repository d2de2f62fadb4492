// SPDX-License-Identifier: GPL-3.0-or-later
// trove check [--repair], trove backup, trove restore, trove store copy
#include "app/cli/command.h"
#include "app/cli/verbs.h"

#include "model/backup.h"
#include "model/store/database.h"
#include "model/storecheck.h"
#include "model/storecopy.h"

#include <QDir>
#include <QTextStream>

using namespace Qt::StringLiterals;
using namespace Trove;

namespace Cli {

namespace {

QString problemLine(const StoreProblem &problem)
{
    const QString subject = problem.packageName.isEmpty()
        ? problem.path
        : u"%1@%2 (%3)"_s.arg(problem.packageName, problem.version, problem.projectPath);
    QString line = subject + u": "_s + problem.detail;
    if (!problem.packageName.isEmpty() && !problem.path.isEmpty()) {
        line += u" ("_s + problem.path + u')';
    }
    return oneLine(line);
}

QJsonObject problemJson(const StoreProblem &problem)
{
    QJsonObject object{{u"kind"_s, StoreProblem::kindName(problem.kind)},
                       {u"path"_s, problem.path},
                       {u"detail"_s, problem.detail},
                       {u"repairable"_s, StoreProblem::repairable(problem.kind)},
                       {u"remedy"_s, problem.remedy()}};
    if (!problem.packageName.isEmpty()) {
        object.insert(u"package"_s, problem.packageName);
        object.insert(u"version"_s, problem.version);
        object.insert(u"project"_s, problem.projectPath);
    }
    return object;
}

QString summaryLine(const StoreCheckReport &report, bool repaired)
{
    return u"%1 package row(s), %2 blob(s) checked: %3"_s.arg(report.rows)
        .arg(report.blobs)
        .arg(report.clean() ? u"no problems"_s
                            : u"%1 problem(s)%2"_s.arg(report.problems.size())
                                  .arg(repaired ? u" left"_s : QString()));
}

QJsonObject backupJson(const BackupReport &report, const QString &dir)
{
    return {{u"dir"_s, dir},
            {u"rows"_s, report.rows},
            {u"blobs"_s, report.blobs},
            {u"bytes"_s, report.bytes},
            {u"linked"_s, report.linked}};
}

// backup and restore copy the SQLite file (VACUUM INTO) and the blobs; a PostgreSQL store is
// the server's to back up. Checked before anything is opened, so nothing is connected to.
bool refusePostgres(Command &command)
{
    if (command.store().isEmpty()) {
        return false;
    }
    command.fail(u"only a SQLite store can be backed up or restored here; a PostgreSQL store"
                 " (%1) is backed up with pg_dump and restored with pg_restore, plus a copy of"
                 " the data folder's blobs"_s.arg(Database::displayOf(command.store())));
    return true;
}

} // namespace

// Reads every blob against its row; one line per problem and a summary, or one JSON object.
// Exit 0 when the store is clean, 1 when problems were found. Changes nothing, unless --repair:
// then the files no row needs go first (older than --grace seconds), and what is left is listed
// with what can be done about it.
int check(Command &command)
{
    command.addOption(u"repair"_s);
    command.addOption(u"grace"_s, u"SECONDS"_s);
    if (!command.parse(0)) {
        return command.usageExit();
    }
    const bool repair = command.isSet(u"repair"_s);
    qint64 grace = BlobStore::SweepGraceSeconds;
    if (command.isSet(u"grace"_s)) {
        bool ok = false;
        grace = command.value(u"grace"_s).toLongLong(&ok);
        if (!ok || grace < 0 || !repair) {
            command.usage(repair ? u"--grace takes a number of seconds"_s
                                 : u"--grace goes with --repair"_s);
            return Usage;
        }
    }
    Registry *registry = command.registry();
    if (!registry) {
        return Failure;
    }
    StoreCheckReport report;
    qint64 removed = 0;
    if (repair) {
        Result<StoreRepairReport> repaired = repairStore(*registry, grace);
        if (!repaired) {
            return command.fail(repaired.error());
        }
        removed = repaired->removed;
        report = std::move(repaired->after);
    } else {
        Result<StoreCheckReport> checked = checkStore(*registry);
        if (!checked) {
            return command.fail(checked.error());
        }
        report = std::move(*checked);
    }
    QStringList lines;
    QJsonArray problems;
    for (const StoreProblem &problem : std::as_const(report.problems)) {
        lines.append(repair ? problemLine(problem) + u"; "_s + problem.remedy()
                            : problemLine(problem));
        problems.append(problemJson(problem));
    }
    if (repair) {
        lines.append(u"Removed %1 file(s) no package row needs"_s.arg(removed));
    }
    lines.append(summaryLine(report, repair));
    QJsonObject json{{u"rows"_s, report.rows},
                     {u"blobs"_s, report.blobs},
                     {u"clean"_s, report.clean()},
                     {u"problems"_s, problems}};
    if (repair) {
        json.insert(u"removed"_s, removed);
    }
    command.print(lines.join(u'\n'), json);
    return report.clean() ? Success : Failure;
}

int backup(Command &command)
{
    if (!command.parse(1)) {
        return command.usageExit();
    }
    if (refusePostgres(command)) {
        return Failure;
    }
    const QString dir = QDir(command.positional(0)).absolutePath();
    Registry *registry = command.registry();
    if (!registry) {
        return Failure;
    }
    const Result<BackupReport> report = backupRegistry(*registry, dir);
    if (!report) {
        return command.fail(report.error());
    }
    return command.print(
        u"Backed up %1 package version(s), %2 tarball(s) (%3 bytes, %4 hard-linked)"
        " to %5"_s.arg(report->rows)
            .arg(report->blobs)
            .arg(report->bytes)
            .arg(report->linked)
            .arg(dir),
        backupJson(*report, dir));
}

int restore(Command &command)
{
    if (!command.parse(1)) {
        return command.usageExit();
    }
    if (refusePostgres(command)) {
        return Failure;
    }
    const QString dir = QDir(command.positional(0)).absolutePath();
    // Not opened first: opening would create a registry where the backup must go.
    const QString dataDir = QDir(command.dataDir()).absolutePath();
    const Result<BackupReport> report = restoreBackup(dir, dataDir);
    if (!report) {
        return command.fail(report.error());
    }
    QJsonObject json = backupJson(*report, dir);
    json.insert(u"data"_s, dataDir);
    return command.print(
        u"Restored %1 package version(s), %2 tarball(s) (%3 bytes) from %4 into %5"_s
            .arg(report->rows)
            .arg(report->blobs)
            .arg(report->bytes)
            .arg(dir, dataDir),
        json);
}

// Copies a whole store into an empty one (model/storecopy.h): SQLite folder to PostgreSQL and
// back. --from and --to each take a folder (its trove.sqlite and blobs/) or a PostgreSQL URL. A
// URL's blobs are in --from-data / --to-data; without --from-data, --data (as for every verb);
// without --to-data, the source's data folder: the two stores then share its blobs/ and nothing
// is copied there, only verified.
int storeCopy(Command &command)
{
    command.addOption(u"from"_s, u"DIR|URL"_s);
    command.addOption(u"to"_s, u"DIR|URL"_s);
    command.addOption(u"from-data"_s, u"DIR"_s);
    command.addOption(u"to-data"_s, u"DIR"_s);
    if (!command.parse(0)) {
        return command.usageExit();
    }
    const QString from = command.value(u"from"_s);
    const QString to = command.value(u"to"_s);
    if (from.isEmpty() || to.isEmpty()) {
        command.usage(u"--from and --to are both needed"_s);
        return Usage;
    }
    const bool fromUrl = isStoreUrl(from);
    const bool toUrl = isStoreUrl(to);
    if (!fromUrl && command.isSet(u"from-data"_s)) {
        command.usage(u"--from-data goes with a PostgreSQL --from (a folder holds its blobs)"_s);
        return Usage;
    }
    if (!toUrl && command.isSet(u"to-data"_s)) {
        command.usage(u"--to-data goes with a PostgreSQL --to (a folder holds its blobs)"_s);
        return Usage;
    }
    StoreEndpoint source;
    source.store = fromUrl ? from : QString();
    source.dataDir = QDir(fromUrl ? (command.isSet(u"from-data"_s) ? command.value(u"from-data"_s)
                                                                   : command.dataDir())
                                  : from)
                         .absolutePath();
    StoreEndpoint target;
    target.store = toUrl ? to : QString();
    target.dataDir =
        QDir(toUrl ? (command.isSet(u"to-data"_s) ? command.value(u"to-data"_s) : source.dataDir)
                   : to)
            .absolutePath();

    QTextStream out(stdout);
    const bool json = command.json();
    const Result<StoreCopyReport> report =
        copyStore(source, target, [&out, json](const QString &line) {
            if (!json) {
                out << line << '\n';
                out.flush();
            }
        });
    if (!report) {
        return command.fail(report.error());
    }
    QJsonObject tables;
    for (const StoreCopyReport::Table &table : report->tables) {
        tables.insert(table.name, table.rows);
    }
    return command.print(
        u"Copied %1 row(s) in %2 table(s) and %3 blob(s) (%4 bytes, %5 written) from %6 to %7"_s
            .arg(report->rows)
            .arg(report->tables.size())
            .arg(report->blobs)
            .arg(report->bytes)
            .arg(report->blobsCopied)
            .arg(source.display(), target.display()),
        {{u"from"_s, source.display()},
         {u"to"_s, target.display()},
         {u"fromData"_s, source.dataDir},
         {u"toData"_s, target.dataDir},
         {u"tables"_s, tables},
         {u"rows"_s, report->rows},
         {u"blobs"_s, report->blobs},
         {u"blobsCopied"_s, report->blobsCopied},
         {u"bytes"_s, report->bytes},
         {u"sharedBlobs"_s, report->sharedBlobs}});
}

} // namespace Cli
