// SPDX-License-Identifier: GPL-3.0-or-later
// A tarball download shows as last_downloaded_at in GitLab's Packages API at once (from memory),
// and in the store after the batch is written; other versions stay null.
#include "npmfixture.h"

#include "model/registry.h"
#include "model/store/packagestore.h"
#include "server/npmhandler.h"

#include <QJsonArray>
#include <QSqlDatabase>
#include <QSqlQuery>

using namespace Qt::StringLiterals;
using namespace Trove;
using namespace Trove::Http;
using namespace NpmFixture;

class tst_DownloadTimes : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void downloadShowsInApi_data();
    void downloadShowsInApi();

private:
    Response call(const QByteArray &method, const QByteArray &path);
    void publish(const QString &name, const QString &version);
    // last_downloaded_at of name@version in the project's package list.
    QJsonValue listedDownload(const QString &name, const QString &version);
    // The column as stored.
    QVariant storedDownload(const QString &name, const QString &version);

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<Registry> m_registry;
    std::unique_ptr<NpmHandler> m_handler;
    qint64 m_project = 0;
    QString m_token;
};

void tst_DownloadTimes::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    Result<std::unique_ptr<Registry>> registry = Registry::open(m_dir->path());
    QVERIFY2(registry, qPrintable(registry ? QString() : registry.error().message));
    m_registry = std::move(*registry);
    Registry &r = *m_registry;
    QVERIFY(r.namespaces().createGroup(u"acme"_s, Visibility::Private));
    m_project = r.namespaces().createProject(u"acme/app"_s, Visibility::Private)->id;
    const Result<User> user = r.users().createUser(u"maint"_s);
    QVERIFY(user);
    QVERIFY(r.users().addGroupMember(u"maint"_s, u"acme"_s, AccessLevel::Maintainer));
    m_token = r.tokens().createPersonalAccessToken(user->id, {}, {u"api"_s})->token;
    QVERIFY(r.settings().setInstanceForwarding(false));
    NpmHandler::Config config;
    config.baseUrl = u"http://127.0.0.1:1"_s;
    m_handler = std::make_unique<NpmHandler>(r, config);
}

void tst_DownloadTimes::cleanup()
{
    m_handler.reset();
    m_registry.reset();
    m_dir.reset();
}

Response tst_DownloadTimes::call(const QByteArray &method, const QByteArray &path)
{
    RequestContext context;
    context.method = method;
    const qsizetype question = path.indexOf('?');
    context.encodedPath = question < 0 ? path : path.left(question);
    context.query = question < 0 ? QByteArray() : path.mid(question + 1);
    context.headers.append(qMakePair(QByteArray("PRIVATE-TOKEN"), m_token.toUtf8()));
    return m_handler->handle(context);
}

void tst_DownloadTimes::publish(const QString &name, const QString &version)
{
    const QJsonObject body = publishBody(name, version, makeTarball(name, version));
    RequestContext context;
    context.method = "PUT";
    context.encodedPath =
        "/api/v4/projects/" + QByteArray::number(m_project) + "/packages/npm/" + encodeName(name);
    context.body = QJsonDocument(body).toJson(QJsonDocument::Compact);
    context.headers.append(
        qMakePair(QByteArray("Authorization"), QByteArray("Bearer " + m_token.toUtf8())));
    const Response response = m_handler->handle(context);
    QVERIFY2(response.status == 200, response.body.constData());
}

QJsonValue tst_DownloadTimes::listedDownload(const QString &name, const QString &version)
{
    const Response response =
        call("GET", "/api/v4/projects/" + QByteArray::number(m_project) + "/packages");
    if (response.status != 200) {
        return u"HTTP %1"_s.arg(response.status);
    }
    const QJsonArray list = QJsonDocument::fromJson(response.body).array();
    for (const QJsonValue &item : list) {
        if (item[u"name"_s].toString() == name && item[u"version"_s].toString() == version) {
            return item[u"last_downloaded_at"_s];
        }
    }
    return u"not listed"_s;
}

QVariant tst_DownloadTimes::storedDownload(const QString &name, const QString &version)
{
    QSqlQuery query(QSqlDatabase::database(m_registry->database().connectionName()));
    query.prepare(u"SELECT last_downloaded_at FROM packages WHERE name = ? AND version = ?"_s);
    query.addBindValue(name);
    query.addBindValue(version);
    if (!query.exec() || !query.next()) {
        return u"no row"_s;
    }
    return query.value(0);
}

void tst_DownloadTimes::downloadShowsInApi_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QByteArray>("tarballPath");

    QTest::addRow("plain name") << u"widget"_s << QByteArray("widget/-/widget-1.0.0.tgz");
    QTest::addRow("scoped name") << u"@acme/widget"_s
                                 << QByteArray("@acme%2fwidget/-/@acme/widget-1.0.0.tgz");
}

void tst_DownloadTimes::downloadShowsInApi()
{
    QFETCH(QString, name);
    QFETCH(QByteArray, tarballPath);

    publish(name, u"1.0.0"_s);
    publish(name, u"1.1.0"_s);
    // No flush during the requests: what the API shows first comes from memory.
    m_registry->database().downloadUsage().setFlushIntervalMs(60 * 60 * 1000);
    QVERIFY(listedDownload(name, u"1.0.0"_s).isNull());

    const QDateTime before = QDateTime::currentDateTimeUtc().addSecs(-1);
    const Response download =
        call("GET",
             "/api/v4/projects/" + QByteArray::number(m_project) + "/packages/npm/" + tarballPath);
    QCOMPARE(download.status, 200);

    const QJsonValue listed = listedDownload(name, u"1.0.0"_s);
    QVERIFY2(listed.isString(), QJsonDocument(QJsonArray{listed}).toJson().constData());
    const QDateTime shown = QDateTime::fromString(listed.toString(), Qt::ISODateWithMs);
    QVERIFY(shown.isValid());
    QVERIFY(shown >= before && shown <= QDateTime::currentDateTimeUtc());
    QVERIFY(listedDownload(name, u"1.1.0"_s).isNull());
    QVERIFY(storedDownload(name, u"1.0.0"_s).isNull()); // not written yet

    // The next download after the interval writes the batch, though the server answers it
    // from its response cache.
    m_registry->database().downloadUsage().setFlushIntervalMs(0);
    QCOMPARE(
        call("GET",
             "/api/v4/projects/" + QByteArray::number(m_project) + "/packages/npm/" + tarballPath)
            .status,
        200);
    QVERIFY(!storedDownload(name, u"1.0.0"_s).isNull());
    QVERIFY(m_registry->database().downloadUsage().pending().isEmpty());
    QCOMPARE(QDateTime::fromString(listedDownload(name, u"1.0.0"_s).toString(), Qt::ISODateWithMs)
                 .toMSecsSinceEpoch(),
             storedDownload(name, u"1.0.0"_s).toLongLong());
    QVERIFY(storedDownload(name, u"1.1.0"_s).isNull());

    // A single package's page shows it too.
    const qint64 id =
        m_registry->packages().store().packageVersion(m_project, name, u"1.0.0"_s)->id;
    const Response shownOne = call("GET",
                                   "/api/v4/projects/" + QByteArray::number(m_project)
                                       + "/packages/" + QByteArray::number(id));
    QCOMPARE(shownOne.status, 200);
    QVERIFY(QJsonDocument::fromJson(shownOne.body)[u"last_downloaded_at"_s].isString());
}

QTEST_GUILESS_MAIN(tst_DownloadTimes)
#include "tst_downloadtimes.moc"
