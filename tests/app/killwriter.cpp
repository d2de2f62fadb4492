// SPDX-License-Identifier: GPL-3.0-or-later
// A writer for tst_killwriter, which kills it with SIGKILL:
//   killwriter mid-transaction DIR   stops inside a publish's transaction, after the blob is on
//                                    disk and the row inserted, and waits to be killed;
//   killwriter publish-loop DIR N    publishes versions N.0.0, N.0.1, … and prints "COMMITTED v"
//                                    after each publish returned.

#include "model/registry.h"
#include "model/store/packagestore.h"
#include "model/store/sql.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QTextStream>
#include <QThread>

#include <cstdio>

using namespace Qt::StringLiterals;
using namespace Trove;

namespace {

// Distinct bytes per version; the store does not look inside them for this test.
QByteArray tarballFor(const QString &version)
{
    return QCryptographicHash::hash(version.toUtf8(), QCryptographicHash::Sha512).repeated(64);
}

Result<qint64> prepare(Registry &registry)
{
    if (const Result<Project> project = registry.namespaces().store().projectByPath(u"acme/app"_s);
        project) {
        return project->id;
    }
    if (const Result<Group> group = registry.namespaces().createGroup(u"acme"_s); !group) {
        return group.error();
    }
    const Result<Project> project = registry.namespaces().createProject(u"acme/app"_s);
    if (!project) {
        return project.error();
    }
    return project->id;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QStringList arguments = app.arguments();
    QTextStream out(stdout);
    if (arguments.size() < 3) {
        return 2;
    }
    Result<std::unique_ptr<Registry>> registry = Registry::open(arguments.at(2));
    if (!registry) {
        QTextStream(stderr) << registry.error().message << '\n';
        return 1;
    }
    const Result<qint64> projectId = prepare(**registry);
    if (!projectId) {
        return 1;
    }
    Actor publisher;
    publisher.kind = Actor::Kind::User;
    publisher.username = u"writer"_s;

    if (arguments.at(1) == u"mid-transaction"_s) {
        // What PackageService::publish does, stopped before the commit.
        Database &database = (*registry)->database();
        Sql::Transaction transaction(database);
        const QByteArray tarball = tarballFor(u"9.9.9"_s);
        const Result<QString> blob = (*registry)->blobs().put(tarball);
        if (!transaction.isActive() || !blob) {
            return 1;
        }
        Package package;
        package.projectId = *projectId;
        package.name = u"@acme/killed"_s;
        package.version = u"9.9.9"_s;
        package.packageJson = "{}";
        package.sha1 = QString::fromLatin1(
            QCryptographicHash::hash(tarball, QCryptographicHash::Sha1).toHex());
        package.sha512 = *blob;
        package.size = tarball.size();
        package.publisher = u"writer"_s;
        package.createdAt = package.updatedAt = QDateTime::currentDateTimeUtc();
        if (!PackageStore(database).insertPackage(package)) {
            return 1;
        }
        out << "IN-TRANSACTION " << *blob << '\n';
        out.flush();
        for (;;) {
            QThread::sleep(1);
        }
    }

    if (arguments.at(1) == u"publish-loop"_s) {
        const int major = arguments.value(3).toInt();
        for (int patch = 0;; ++patch) {
            PackageService::PublishRequest request;
            request.projectId = *projectId;
            request.name = u"@acme/loop"_s;
            request.version = u"%1.0.%2"_s.arg(major).arg(patch);
            request.packageJson = "{\"name\":\"@acme/loop\"}";
            request.tarball = tarballFor(request.version);
            request.publisher = publisher;
            const Result<Package> published = (*registry)->packages().publish(request);
            if (!published) {
                QTextStream(stderr) << published.error().message << '\n';
                return 1;
            }
            out << "COMMITTED " << request.version << '\n';
            out.flush();
        }
    }
    return 2;
}
