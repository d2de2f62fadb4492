// SPDX-License-Identifier: GPL-3.0-or-later
// Forwarding and protection from the window against the real embedded server: the upstream URL,
// instance and group forwarding in their three modes (off, redirect, proxy and cache) with their
// locks decide what the server answers for unknown names at once, and the projects' rows say what
// their endpoints do; the dependency-confusion warning shows while anything forwards; in proxy
// mode packages come from a second real server, and the dialog shows the cache (packages, size,
// hit ratio) and clears it after asking; the package list shows cached packages apart (badge,
// tooltip, cached:yes|no); a protection rule shows the packages it matches as it is typed and
// refuses a developer's publish.
#include "ui/mainwindow.h"

#include "../model/testsupport.h"
#include "../server/npmfixture.h"
#include "model/itemmodels/packagetablemodel.h"
#include "model/store/packagestore.h"
#include "model/store/proxystore.h"
#include "server/embeddedserver.h"
#include "ui/confirm.h"
#include "ui/forwardingdialog.h"
#include "ui/packagefilterproxymodel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFile>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QPushButton>
#include <QRadioButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTableWidget>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Trove;
using TestSupport::RegistryFixture;

class tst_Forwarding : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void forwardingDecidesUnknownNames();
    void protectionRuleWithLiveMatches();
    void proxyModeKeepsPackages();
    void cachedPackagesShownApart();
    void clearCacheAsks();

private:
    // GET or PUT against the embedded server, redirects not followed; the status and Location.
    std::pair<int, QString> send(const QByteArray &method,
                                 const QString &path,
                                 const QString &token,
                                 const QByteArray &body = {});
    // GET of a full URL; the status and the body.
    std::pair<int, QByteArray> get(const QString &url);
    bool waitForChange(QSignalSpy &changes);
    QString labelText(const char *name) const;

    QTemporaryDir m_settingsDir;
    RegistryFixture m_fixture;
    std::unique_ptr<Http::EmbeddedServer> m_server;
    // A second registry, the proxy's upstream: a public project with an unscoped package.
    RegistryFixture m_upstreamFixture;
    std::unique_ptr<Http::EmbeddedServer> m_upstreamServer;
    QString m_upstreamUrl;
    std::unique_ptr<MainWindow> m_window;
    ForwardingDialog *m_dialog = nullptr;
    QNetworkAccessManager m_network;
    QString m_maintainer;
    QString m_developer;
    qint64 m_projectId = 0;
};

void tst_Forwarding::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_settingsDir.isValid());
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_settingsDir.path());
    QCoreApplication::setOrganizationName(u"TroveTest"_s);
    QCoreApplication::setApplicationName(u"tst_forwarding"_s);
    QVERIFY2(m_fixture.open(), qPrintable(m_fixture.error()));
    QVERIFY_RESULT(m_fixture->namespaces().createGroup(u"acme"_s));
    const Result<Project> project = m_fixture->namespaces().createProject(u"acme/core"_s);
    QVERIFY_RESULT(project);
    m_projectId = project->id;
    const Result<User> mia = m_fixture->users().createUser(u"mia"_s);
    const Result<User> dev = m_fixture->users().createUser(u"dev"_s);
    QVERIFY_RESULT(mia);
    QVERIFY_RESULT(dev);
    QVERIFY_RESULT(m_fixture->users().addGroupMember(u"mia"_s, u"acme"_s, AccessLevel::Maintainer));
    QVERIFY_RESULT(m_fixture->users().addGroupMember(u"dev"_s, u"acme"_s, AccessLevel::Developer));
    m_maintainer = m_fixture->tokens().createPersonalAccessToken(mia->id, {}, {u"api"_s})->token;
    m_developer = m_fixture->tokens().createPersonalAccessToken(dev->id, {}, {u"api"_s})->token;
    for (const QString &name : {u"@acme/core-a"_s, u"@acme/core-b"_s, u"@acme/other"_s}) {
        QVERIFY_RESULT(m_fixture->packages().publish(TestSupport::publishRequest(
            m_projectId, name, u"1.0.0"_s, u"latest"_s, {}, {}, mia->id)));
    }

    QVERIFY2(m_upstreamFixture.open(), qPrintable(m_upstreamFixture.error()));
    Registry &up = m_upstreamFixture.registry();
    QVERIFY_RESULT(up.namespaces().createGroup(u"pub"_s, Visibility::Public));
    const Result<Project> lib = up.namespaces().createProject(u"pub/lib"_s, Visibility::Public);
    QVERIFY_RESULT(lib);
    for (const QString &version : {u"1.0.0"_s, u"1.1.0"_s}) {
        QVERIFY_RESULT(up.packages().publish(
            TestSupport::publishRequest(lib->id, u"left-pad-lite"_s, version)));
    }
    m_upstreamServer = std::make_unique<Http::EmbeddedServer>(up);
    m_upstreamServer->start(Http::ServerConfig{});
    QTRY_COMPARE(m_upstreamServer->status().state, ServerStatus::State::Running);
    m_upstreamUrl =
        m_upstreamServer->status().url() + u"api/v4/projects/%1/packages/npm/"_s.arg(lib->id);

    m_server = std::make_unique<Http::EmbeddedServer>(m_fixture.registry());
    m_server->start(Http::ServerConfig{});
    QTRY_COMPARE(m_server->status().state, ServerStatus::State::Running);
    m_window = std::make_unique<MainWindow>(m_fixture.registry());
    QSignalSpy loaded(m_window.get(), &MainWindow::packagesLoaded);
    m_window->show();
    QVERIFY(loaded.wait(10000));
    m_window->openForwarding();
    m_dialog = m_window->findChild<ForwardingDialog *>(u"forwardingDialog"_s);
    QVERIFY(m_dialog);
    QSignalSpy reloaded(m_dialog, &ForwardingDialog::reloaded);
    QVERIFY(reloaded.wait(5000));
}

void tst_Forwarding::cleanupTestCase()
{
    Ui::setConfirmAnswer({});
    m_window.reset();
    m_server.reset();
    m_upstreamServer.reset();
    m_fixture.close();
    m_upstreamFixture.close();
}

std::pair<int, QByteArray> tst_Forwarding::get(const QString &url)
{
    QNetworkRequest request{QUrl(url)};
    std::unique_ptr<QNetworkReply> reply(m_network.get(request));
    QSignalSpy finished(reply.get(), &QNetworkReply::finished);
    if (!reply->isFinished() && !finished.wait(20000)) {
        return {-1, {}};
    }
    return {reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), reply->readAll()};
}

QString tst_Forwarding::labelText(const char *name) const
{
    const auto *label = m_dialog->findChild<QLabel *>(QString::fromLatin1(name));
    return label ? label->text() : u"(no label %1)"_s.arg(QString::fromLatin1(name));
}

std::pair<int, QString> tst_Forwarding::send(const QByteArray &method,
                                             const QString &path,
                                             const QString &token,
                                             const QByteArray &body)
{
    QNetworkRequest request(QUrl(m_server->status().url() + path.mid(1)));
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                         QNetworkRequest::ManualRedirectPolicy);
    request.setRawHeader("Authorization", "Bearer " + token.toUtf8());
    request.setHeader(QNetworkRequest::ContentTypeHeader, u"application/json"_s);
    std::unique_ptr<QNetworkReply> reply(m_network.sendCustomRequest(request, method, body));
    QSignalSpy finished(reply.get(), &QNetworkReply::finished);
    if (!reply->isFinished() && !finished.wait(10000)) {
        return {-1, {}};
    }
    return {reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(),
            QString::fromUtf8(reply->rawHeader("Location"))};
}

bool tst_Forwarding::waitForChange(QSignalSpy &changes)
{
    if (changes.isEmpty() && !changes.wait(5000)) {
        return false;
    }
    const bool ok = changes.takeFirst().at(0).toBool();
    QSignalSpy reloaded(m_dialog, &ForwardingDialog::reloaded);
    return reloaded.wait(5000) && ok;
}

void tst_Forwarding::forwardingDecidesUnknownNames()
{
    QSignalSpy changes(m_dialog, &ForwardingDialog::changeFinished);
    const QString instancePath = u"/api/v4/packages/npm/@acme%2fnot-here"_s;
    const QString groupPath = u"/api/v4/groups/acme/-/packages/npm/@acme%2fnot-here"_s;

    // The upstream, set in the dialog (nothing listens on port 9: nothing is fetched).
    auto *upstream = m_dialog->findChild<QLineEdit *>(u"upstreamEdit"_s);
    upstream->setText(u"http://127.0.0.1:9/"_s);
    m_dialog->findChild<QPushButton *>(u"setUpstreamButton"_s)->click();
    QVERIFY(waitForChange(changes));

    auto *off = m_dialog->findChild<QRadioButton *>(u"instanceModeOff"_s);
    auto *redirect = m_dialog->findChild<QRadioButton *>(u"instanceModeRedirect"_s);
    auto *proxy = m_dialog->findChild<QRadioButton *>(u"instanceModeProxy"_s);
    auto *warning = m_dialog->findChild<QLabel *>(u"confusionWarning"_s);
    QVERIFY(off && redirect && proxy);
    QVERIFY(redirect->isChecked()); // GitLab's default
    QVERIFY(!off->isChecked() && !proxy->isChecked());
    QVERIFY(warning->isVisible());
    auto answer = send("GET", instancePath, m_maintainer);
    QCOMPARE(answer.first, 302);
    QCOMPARE(answer.second, u"http://127.0.0.1:9/@acme%2fnot-here"_s);
    auto *projects = m_dialog->findChild<QTableWidget *>(u"projectForwarding"_s);
    QCOMPARE(projects->rowCount(), 1);
    QCOMPARE(projects->item(0, 0)->text(), u"acme/core"_s);
    QCOMPARE(projects->item(0, 1)->text(), u"redirect to the upstream"_s);

    off->click();
    QVERIFY(waitForChange(changes));
    QVERIFY(off->isChecked());
    QCOMPARE(send("GET", instancePath, m_maintainer).first, 404);
    QVERIFY(!warning->isVisible());
    QCOMPARE(projects->item(0, 1)->text(), u"off: not found (404)"_s);
    QCOMPARE(m_fixture->settings().instanceForwardingMode().value(),
             SettingsService::ForwardingMode::Off);

    // The group turns it on for itself: its endpoint forwards, the warning is back.
    auto *groups = m_dialog->findChild<QTableWidget *>(u"groupForwarding"_s);
    auto *setting = groups->findChild<QComboBox *>(u"groupSetting:acme"_s);
    QVERIFY(setting);
    QCOMPARE(setting->currentData().toInt(), -1); // inherits
    QCOMPARE(setting->count(), 4); // inherit, off, redirect, proxy
    setting->setCurrentIndex(setting->findData(int(SettingsService::ForwardingMode::Redirect)));
    QVERIFY(waitForChange(changes));
    QCOMPARE(send("GET", groupPath, m_maintainer).first, 302);
    QVERIFY(warning->isVisible());
    QCOMPARE(groups->item(0, 3)->text(), u"redirect to the upstream"_s);
    QCOMPARE(projects->item(0, 1)->text(), u"redirect to the upstream"_s);

    // Enforced at the instance: groups cannot override, and their settings are greyed out.
    m_dialog->findChild<QCheckBox *>(u"instanceLock"_s)->setChecked(true);
    QVERIFY(waitForChange(changes));
    QCOMPARE(send("GET", groupPath, m_maintainer).first, 404);
    QVERIFY(!groups->findChild<QComboBox *>(u"groupSetting:acme"_s)->isEnabled());
    QCOMPARE(groups->item(0, 3)->text(), u"off: not found (404)"_s);
}

void tst_Forwarding::protectionRuleWithLiveMatches()
{
    QSignalSpy changes(m_dialog, &ForwardingDialog::changeFinished);
    auto *pattern = m_dialog->findChild<QLineEdit *>(u"patternEdit"_s);
    auto *matches = m_dialog->findChild<QListWidget *>(u"matchList"_s);
    QTest::keyClicks(pattern, u"@acme/core-*"_s);
    QCOMPARE(matches->count(), 2);
    QCOMPARE(matches->item(0)->text(), u"@acme/core-a"_s);
    QCOMPARE(matches->item(1)->text(), u"@acme/core-b"_s);
    QCOMPARE(m_dialog->findChild<QLabel *>(u"matchCount"_s)->text(),
             u"2 package(s) of this project match."_s);

    const QByteArray tarball = NpmFixture::makeTarball(u"@acme/core-c"_s, u"1.0.0"_s);
    const QByteArray body =
        QJsonDocument(NpmFixture::publishBody(u"@acme/core-c"_s, u"1.0.0"_s, tarball)).toJson();
    const QString publishPath =
        u"/api/v4/projects/%1/packages/npm/@acme%2fcore-c"_s.arg(m_projectId);

    m_dialog->findChild<QPushButton *>(u"addRuleButton"_s)->click();
    QVERIFY(waitForChange(changes));
    auto *rules = m_dialog->findChild<QTableWidget *>(u"protectionRules"_s);
    QTRY_COMPARE(rules->rowCount(), 1);
    QCOMPARE(rules->item(0, 0)->text(), u"@acme/core-*"_s);
    // A developer may not push a protected name; the maintainer may.
    QCOMPARE(send("PUT", publishPath, m_developer, body).first, 403);

    rules->selectRow(0);
    m_dialog->findChild<QPushButton *>(u"removeRuleButton"_s)->click();
    QVERIFY(waitForChange(changes));
    QTRY_COMPARE(rules->rowCount(), 0);
    QCOMPARE(send("PUT", publishPath, m_developer, body).first, 200);
}

void tst_Forwarding::proxyModeKeepsPackages()
{
    QSignalSpy changes(m_dialog, &ForwardingDialog::changeFinished);
    m_dialog->findChild<QCheckBox *>(u"instanceLock"_s)->setChecked(false);
    QVERIFY(waitForChange(changes));
    auto *upstream = m_dialog->findChild<QLineEdit *>(u"upstreamEdit"_s);
    upstream->setText(m_upstreamUrl);
    m_dialog->findChild<QPushButton *>(u"setUpstreamButton"_s)->click();
    QVERIFY(waitForChange(changes));
    m_dialog->findChild<QRadioButton *>(u"instanceModeProxy"_s)->click();
    QVERIFY(waitForChange(changes));
    QCOMPARE(m_fixture->settings().instanceForwardingMode().value(),
             SettingsService::ForwardingMode::Proxy);
    // The group inherits again: it proxies, and its project's endpoint (which never proxies)
    // says that it redirects.
    auto *groups = m_dialog->findChild<QTableWidget *>(u"groupForwarding"_s);
    auto *setting = groups->findChild<QComboBox *>(u"groupSetting:acme"_s);
    setting->setCurrentIndex(setting->findData(-1));
    QVERIFY(waitForChange(changes));
    QCOMPARE(groups->item(0, 3)->text(), u"proxy and cache"_s);
    auto *projects = m_dialog->findChild<QTableWidget *>(u"projectForwarding"_s);
    QVERIFY2(projects->item(0, 1)->text().startsWith(u"redirect to the upstream (its group "
                                                     "proxies"_s),
             qPrintable(projects->item(0, 1)->text()));
    QCOMPARE(labelText("cachePackages"), u"0 package(s) cached"_s);
    QVERIFY(!m_dialog->findChild<QPushButton *>(u"clearCacheButton"_s)->isEnabled());

    // A client asks the instance for a package only the upstream has: it comes through and is
    // kept, its tarball too (asked twice: the second comes from the cache).
    const auto [status, body] =
        get(m_server->status().url() + u"api/v4/packages/npm/left-pad-lite"_s);
    QCOMPARE(status, 200);
    const QJsonObject document = QJsonDocument::fromJson(body).object();
    const QString tarball = document.value(u"versions"_s)
                                .toObject()
                                .value(u"1.1.0"_s)
                                .toObject()
                                .value(u"dist"_s)
                                .toObject()
                                .value(u"tarball"_s)
                                .toString();
    QVERIFY2(tarball.startsWith(m_server->status().url()), qPrintable(tarball));
    QCOMPARE(get(tarball).first, 200);
    QCOMPARE(get(tarball).first, 200);
    // The server writes its answer counts every 30 s and when it stops.
    m_server->stop();
    m_server->start(Http::ServerConfig{});
    QTRY_COMPARE(m_server->status().state, ServerStatus::State::Running);

    // The cache's figures are read again when its tab is shown (the proxy's writes send no
    // change events).
    QCOMPARE(labelText("cachePackages"), u"0 package(s) cached"_s);
    QSignalSpy reloaded(m_dialog, &ForwardingDialog::reloaded);
    auto *tabs = m_dialog->findChild<QTabWidget *>();
    tabs->setCurrentIndex(1);
    QVERIFY(reloaded.wait(5000));
    QCOMPARE(labelText("cachePackages"), u"1 package(s) cached"_s);
    const QString size = labelText("cacheSize");
    QVERIFY2(size.contains(u"1 tarball(s)"_s), qPrintable(size));
    QVERIFY2(!size.startsWith(u"0 "_s), qPrintable(size));
    const QString ratio = labelText("cacheHitRatio");
    QVERIFY2(ratio.startsWith(u"33.3 % of proxied answers came from the cache (1 of 3)"_s),
             qPrintable(ratio));
    QVERIFY(m_dialog->findChild<QPushButton *>(u"clearCacheButton"_s)->isEnabled());
    // Back to the first tab: no timed reload of the cache's figures races the next checks.
    tabs->setCurrentIndex(0);
}

void tst_Forwarding::cachedPackagesShownApart()
{
    const Result<QList<PackageSummary>> published =
        PackageStore(m_fixture->database()).packageSummaries();
    const Result<QList<ProxyStore::CachedPackage>> cached =
        ProxyStore(m_fixture->database()).cachedPackages();
    QVERIFY_RESULT(published);
    QVERIFY_RESULT(cached);
    QCOMPARE(cached->size(), 1);
    PackageTableModel model;
    model.setPackages(*published);
    model.setCachedPackages(*cached);
    QCOMPARE(model.rowCount(), int(published->size()) + 1);

    const int row = model.rowOf(0, u"left-pad-lite"_s);
    QVERIFY(row >= 0);
    QVERIFY(model.isCachedAt(row));
    const auto at = [&](int column, int role = Qt::DisplayRole) {
        return model.index(row, column).data(role);
    };
    // The badge is a word; the tooltip names the upstream and the last fetch.
    QCOMPARE(at(PackageTableModel::DeprecatedColumn).toString(), u"cached"_s);
    QVERIFY(at(PackageTableModel::NameColumn, PackageTableModel::CachedRole).toBool());
    QCOMPARE(at(PackageTableModel::NameColumn, PackageTableModel::UpstreamRole).toString(),
             m_upstreamUrl);
    QCOMPARE(at(PackageTableModel::VersionsColumn).toString(), u"1"_s); // one tarball kept
    const QString tip = at(PackageTableModel::NameColumn, Qt::ToolTipRole).toString();
    QVERIFY2(tip.contains(m_upstreamUrl), qPrintable(tip));
    QVERIFY2(tip.contains(u"Last fetched "_s), qPrintable(tip));
    QVERIFY(
        at(PackageTableModel::NameColumn, PackageTableModel::FetchedAtRole).toDateTime().isValid());
    for (int published = 0; published < model.rowCount(); ++published) {
        if (published != row) {
            QVERIFY(!model.index(published, 0).data(PackageTableModel::CachedRole).toBool());
            QVERIFY(model.index(published, PackageTableModel::DeprecatedColumn).data()
                    != u"cached"_s);
        }
    }

    // A package published meanwhile goes among the published ones; the cached row stays one.
    PackageSummary fresh;
    fresh.projectId = m_projectId;
    fresh.name = u"@acme/fresh"_s;
    fresh.versionCount = 1;
    model.updatePackage(fresh);
    QVERIFY(!model.isCachedAt(model.rowOf(m_projectId, u"@acme/fresh"_s)));
    QVERIFY(model.isCachedAt(model.rowOf(0, u"left-pad-lite"_s)));

    PackageFilterProxyModel filter;
    filter.setSourceModel(&model);
    const auto names = [&] {
        QStringList shown;
        for (int i = 0; i < filter.rowCount(); ++i) {
            shown.append(filter.index(i, 0).data(PackageTableModel::PackageNameRole).toString());
        }
        shown.sort();
        return shown;
    };
    filter.setFilterText(u"cached:yes"_s);
    QCOMPARE(names(), QStringList{u"left-pad-lite"_s});
    QVERIFY(filter.filterError().isEmpty());
    filter.setFilterText(u"cached:no"_s);
    QCOMPARE(filter.rowCount(), int(published->size()) + 1);
    QVERIFY(!names().contains(u"left-pad-lite"_s));
    filter.setFilterText(u"CACHED:YES pad"_s);
    QCOMPARE(names(), QStringList{u"left-pad-lite"_s});
    filter.setFilterText(u"cached:maybe"_s);
    QCOMPARE(filter.rowCount(), 0);
    QVERIFY2(filter.filterError().contains(u"cached: takes yes or no"_s),
             qPrintable(filter.filterError()));
    // A project of the tree shows its own packages: never a cached one.
    filter.setFilterText(QString());
    filter.setProjectFilter(QSet<qint64>{m_projectId});
    QVERIFY(!names().contains(u"left-pad-lite"_s));
    QVERIFY(PackageFilterProxyModel::helpText().contains(u"cached:yes"_s));
}

void tst_Forwarding::clearCacheAsks()
{
    const ProxyStore store(m_fixture->database());
    const Result<std::optional<ProxyStore::Tarball>> kept =
        store.tarball(u"left-pad-lite"_s, u"1.1.0"_s);
    QVERIFY_RESULT(kept);
    QVERIFY(kept->has_value());
    const QString blob = m_fixture->blobs().pathOf((*kept)->sha512);
    QVERIFY(QFile::exists(blob));
    const auto publishedBefore = PackageStore(m_fixture->database()).packageSummaries();
    QVERIFY_RESULT(publishedBefore);

    QSignalSpy changes(m_dialog, &ForwardingDialog::changeFinished);
    QString asked;
    // Cancel: nothing goes.
    Ui::setConfirmAnswer([&asked](const QString &, const QString &text) {
        asked = text;
        return false;
    });
    m_dialog->findChild<QPushButton *>(u"clearCacheButton"_s)->click();
    QVERIFY2(asked.contains(u"Remove every package kept from the upstream"_s), qPrintable(asked));
    QVERIFY2(asked.contains(labelText("cacheSize")), qPrintable(asked));
    QVERIFY(!changes.wait(500));
    QCOMPARE(store.totals()->packages, 1);
    QVERIFY(QFile::exists(blob));

    Ui::setConfirmAnswer([](const QString &, const QString &) { return true; });
    m_dialog->findChild<QPushButton *>(u"clearCacheButton"_s)->click();
    QVERIFY(waitForChange(changes));
    Ui::setConfirmAnswer({});
    const Result<ProxyStore::Totals> totals = store.totals();
    QVERIFY_RESULT(totals);
    QCOMPARE(totals->documents, 0);
    QCOMPARE(totals->tarballs, 0);
    QVERIFY(!QFile::exists(blob));
    QCOMPARE(labelText("cachePackages"), u"0 package(s) cached"_s);
    QCOMPARE(labelText("cacheHitRatio"), u"No proxied answers yet."_s);
    QVERIFY(!m_dialog->findChild<QPushButton *>(u"clearCacheButton"_s)->isEnabled());
    // Published packages are not touched.
    const auto publishedAfter = PackageStore(m_fixture->database()).packageSummaries();
    QVERIFY_RESULT(publishedAfter);
    QCOMPARE(publishedAfter->size(), publishedBefore->size());
}

QTEST_MAIN(tst_Forwarding)
#include "tst_forwarding.moc"
