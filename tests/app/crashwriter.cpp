// SPDX-License-Identifier: GPL-3.0-or-later
// A writer that tst_crash kills with SIGKILL at chosen and at random moments:
//
//   crashwriter mid-transaction DIR   publishes crash@1.0.0, then does what PackageService::publish
//                                     does for crash@2.0.0 but stops inside the transaction (blob
//                                     on disk, row inserted, tag moved), prints "IN-TRANSACTION"
//                                     and waits to be killed;
//   crashwriter publish-loop DIR      publishes loop@1.0.N, N = the next unused patch, forever,
//                                     printing "COMMITTED <version>" after each publish returned;
//   crashwriter unpublish-gap DIR     publishes gap@1.0.0 and gap@1.0.1 (same bytes) and
//                                     other@1.0.0, deletes gap@1.0.0 and other@1.0.0 in one
//                                     committed transaction like PackageService::unpublishVersion,
//                                     prints "COMMITTED" and waits to be killed before the blob
//                                     clean-up that follows the commit.
//
// The tarballs' bytes are a function of name and version (tarballFor), which tst_crash repeats.

#include "model/registry.h"
#include "model/store/packagestore.h"
#include "model/store/sql.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QLoggingCategory>
#include <QRegularExpression>
#include <QTextStream>
#include <QThread>

using namespace Qt::StringLiterals;
using namespace Trove;

namespace {

// A few kilobytes, distinct per name and version (the store does not look inside).
QByteArray tarballFor(const QString &name, const QString &version)
{
    const QByteArray seed = (name + u'@' + version).toUtf8();
    return seed + QCryptographicHash::hash(seed, QCryptographicHash::Sha512).toHex().repeated(32);
}

QTextStream &out()
{
    static QTextStream stream(stdout);
    return stream;
}

int failed(const QString &what, const Error &error)
{
    QTextStream(stderr) << "crashwriter: " << what << ": " << error.message << '\n';
    return 1;
}

// The project every mode publishes to, created on first use.
Result<qint64> projectId(Registry &registry)
{
    if (const Result<Project> project = registry.namespaces().store().projectByPath(u"crash/app"_s);
        project) {
        return project->id;
    }
    if (!registry.namespaces().store().groupByPath(u"crash"_s)) {
        if (const Result<Group> group = registry.namespaces().createGroup(u"crash"_s); !group) {
            return group.error();
        }
    }
    if (!registry.users().store().userByName(u"writer"_s)) {
        if (const Result<User> user = registry.users().createUser(u"writer"_s); !user) {
            return user.error();
        }
    }
    const Result<Project> project = registry.namespaces().createProject(u"crash/app"_s);
    if (!project) {
        return project.error();
    }
    return project->id;
}

Result<Package> publish(Registry &registry,
                        qint64 project,
                        const QString &name,
                        const QString &version,
                        const QByteArray &tarball)
{
    PackageService::PublishRequest request;
    request.projectId = project;
    request.name = name;
    request.version = version;
    request.packageJson = u"{\"name\":\"%1\",\"version\":\"%2\"}"_s.arg(name, version).toUtf8();
    request.tarball = tarball;
    request.publisher.kind = Actor::Kind::User;
    request.publisher.username = u"writer"_s;
    return registry.packages().publish(request);
}

[[noreturn]] void waitToBeKilled()
{
    for (;;) {
        QThread::sleep(1);
    }
}

int midTransaction(Registry &registry, qint64 project)
{
    if (const Result<Package> first =
            publish(registry, project, u"crash"_s, u"1.0.0"_s, tarballFor(u"crash"_s, u"1.0.0"_s));
        !first) {
        return failed(u"publish crash@1.0.0"_s, first.error());
    }
    // PackageService::publish from its transaction on, without the commit.
    const Database &database = registry.database();
    Sql::Transaction transaction(database);
    if (!transaction.isActive()) {
        return failed(u"begin"_s, transaction.error());
    }
    const QByteArray tarball = tarballFor(u"crash"_s, u"2.0.0"_s);
    const Result<QString> blob = registry.blobs().put(tarball);
    if (!blob) {
        return failed(u"put"_s, blob.error());
    }
    Package package;
    package.projectId = project;
    package.name = u"crash"_s;
    package.version = u"2.0.0"_s;
    package.packageJson = "{\"name\":\"crash\",\"version\":\"2.0.0\"}";
    package.sha1 =
        QString::fromLatin1(QCryptographicHash::hash(tarball, QCryptographicHash::Sha1).toHex());
    package.sha512 = *blob;
    package.size = tarball.size();
    package.publisher = u"writer"_s;
    package.createdAt = package.updatedAt = QDateTime::currentDateTimeUtc();
    PackageStore store(database);
    const Result<Package> inserted = store.insertPackage(package);
    if (!inserted) {
        return failed(u"insert"_s, inserted.error());
    }
    if (const Result<void> tagged =
            store.upsertDistTag(project, u"crash"_s, u"latest"_s, inserted->id, package.createdAt);
        !tagged) {
        return failed(u"tag"_s, tagged.error());
    }
    out() << "IN-TRANSACTION\n";
    out().flush();
    waitToBeKilled();
}

int publishLoop(Registry &registry, qint64 project)
{
    // Continues after the versions earlier (killed) runs committed.
    const Result<QList<Package>> existing =
        registry.packages().store().packagesInProject(project, u"loop"_s);
    if (!existing) {
        return failed(u"list"_s, existing.error());
    }
    static const QRegularExpression loopVersion(u"^1\\.0\\.(\\d+)$"_s);
    int patch = 0;
    for (const Package &package : *existing) {
        const QRegularExpressionMatch match = loopVersion.match(package.version);
        if (match.hasMatch()) {
            patch = std::max(patch, match.captured(1).toInt() + 1);
        }
    }
    for (;; ++patch) {
        const QString version = u"1.0.%1"_s.arg(patch);
        const Result<Package> published =
            publish(registry, project, u"loop"_s, version, tarballFor(u"loop"_s, version));
        if (!published) {
            return failed(u"publish loop@"_s + version, published.error());
        }
        out() << "COMMITTED " << version << '\n';
        out().flush();
    }
}

int unpublishGap(Registry &registry, qint64 project)
{
    const QByteArray shared = tarballFor(u"gap"_s, u"1.0.0"_s);
    const QList<std::pair<QString, QString>> versions = {
        {u"gap"_s, u"1.0.0"_s}, {u"gap"_s, u"1.0.1"_s}, {u"other"_s, u"1.0.0"_s}};
    for (const auto &[name, version] : versions) {
        const QByteArray tarball = name == u"gap"_s ? shared : tarballFor(name, version);
        if (const Result<Package> published = publish(registry, project, name, version, tarball);
            !published) {
            return failed(u"publish "_s + name + u'@' + version, published.error());
        }
    }
    // PackageService::unpublishVersion up to its commit, without removeUnreferencedBlobs().
    const Database &database = registry.database();
    PackageStore store(database);
    Sql::Transaction transaction(database);
    if (!transaction.isActive()) {
        return failed(u"begin"_s, transaction.error());
    }
    for (const QString &name : {u"gap"_s, u"other"_s}) {
        const Result<Package> package = store.packageVersion(project, name, u"1.0.0"_s);
        if (!package) {
            return failed(u"find "_s + name, package.error());
        }
        if (const Result<void> removed = store.deletePackage(package->id); !removed) {
            return failed(u"delete "_s + name, removed.error());
        }
    }
    if (const Result<void> committed = transaction.commit(); !committed) {
        return failed(u"commit"_s, committed.error());
    }
    out() << "COMMITTED\n";
    out().flush();
    waitToBeKilled();
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    // Only what the test reads: a publish loop would otherwise log a line per version.
    QLoggingCategory::setFilterRules(u"trove.*.info=false"_s);
    const QStringList arguments = app.arguments();
    if (arguments.size() != 3) {
        QTextStream(stderr)
            << "usage: crashwriter mid-transaction|publish-loop|unpublish-gap DIR\n";
        return 2;
    }
    Result<std::unique_ptr<Registry>> registry = Registry::open(arguments.at(2));
    if (!registry) {
        return failed(u"open"_s, registry.error());
    }
    const Result<qint64> project = projectId(**registry);
    if (!project) {
        return failed(u"project"_s, project.error());
    }
    const QString mode = arguments.at(1);
    if (mode == u"mid-transaction"_s) {
        return midTransaction(**registry, *project);
    }
    if (mode == u"publish-loop"_s) {
        return publishLoop(**registry, *project);
    }
    if (mode == u"unpublish-gap"_s) {
        return unpublishGap(**registry, *project);
    }
    QTextStream(stderr) << "crashwriter: unknown mode " << mode << '\n';
    return 2;
}
