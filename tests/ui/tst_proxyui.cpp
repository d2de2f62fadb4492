// SPDX-License-Identifier: GPL-3.0-or-later
// The proxy in the window against a real upstream (a second embedded server on loopback): a
// lockfile dropped on the window is mirrored into the cache (the dialog names the file's format,
// preselects the tree's group or project, refuses a level that does not proxy and a file that is
// no lockfile, shows the progress and ends with a report of what was fetched, what was already
// cached and what could not be had, which can be copied); the mirrored packages appear as cached
// rows. With TROVE_SCREENSHOTS set, the dialog is saved there at each step.
#include "ui/mainwindow.h"

#include "../model/testsupport.h"
#include "model/itemmodels/packagetablemodel.h"
#include "model/store/proxystore.h"
#include "server/embeddedserver.h"
#include "ui/confirm.h"
#include "ui/forwardingdialog.h"
#include "ui/mirrordialog.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QDir>
#include <QDropEvent>
#include <QFile>
#include <QFormLayout>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QListWidget>
#include <QMimeData>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTableView>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Trove;
using TestSupport::RegistryFixture;

class tst_ProxyUi : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void dragAcceptsLockfilesAndTarballs_data();
    void dragAcceptsLockfilesAndTarballs();
    void refusedFileIsExplained();
    void levelThatDoesNotProxyIsRefused();
    void droppedLockfileIsMirrored();
    void secondMirrorFindsItCached();
    void hitRatioSinceStartBesideTheSavedOne();
    void removeOnePackageFromTheCache();
    void clientFetchShowsWithoutReload();

private:
    // The row of the cached package `name` in the window's list; invalid if none.
    QModelIndex cachedRow(const QString &name);
    // Drops `files` on the window; whether the drag was accepted.
    bool drop(const QStringList &files);
    // The mirror dialog the last drop opened, once its files are read and its target checked.
    MirrorDialog *openedDialog();
    QString writeFile(const QString &name, const QByteArray &content);
    std::pair<int, QByteArray> get(const QString &url);
    void screenshot(QWidget *widget, const QString &name);

    QTemporaryDir m_settingsDir;
    QTemporaryDir m_files;
    RegistryFixture m_fixture;
    std::unique_ptr<Http::EmbeddedServer> m_server;
    RegistryFixture m_upstreamFixture;
    std::unique_ptr<Http::EmbeddedServer> m_upstreamServer;
    QString m_upstreamUrl;
    std::unique_ptr<MainWindow> m_window;
    QNetworkAccessManager m_network;
    QByteArray m_lockfile;
    int m_counter = 0;
};

void tst_ProxyUi::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_settingsDir.isValid());
    QVERIFY(m_files.isValid());
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_settingsDir.path());
    QCoreApplication::setOrganizationName(u"TroveTest"_s);
    QCoreApplication::setApplicationName(u"tst_proxyui"_s);

    // The upstream: a public project with two unscoped packages.
    QVERIFY2(m_upstreamFixture.open(), qPrintable(m_upstreamFixture.error()));
    Registry &up = m_upstreamFixture.registry();
    QVERIFY_RESULT(up.namespaces().createGroup(u"pub"_s, Visibility::Public));
    const Result<Project> lib = up.namespaces().createProject(u"pub/lib"_s, Visibility::Public);
    QVERIFY_RESULT(lib);
    for (const QString &version : {u"1.0.0"_s, u"1.1.0"_s}) {
        QVERIFY_RESULT(up.packages().publish(
            TestSupport::publishRequest(lib->id, u"left-pad-lite"_s, version)));
    }
    QVERIFY_RESULT(
        up.packages().publish(TestSupport::publishRequest(lib->id, u"tiny-util"_s, u"2.0.0"_s)));
    m_upstreamServer = std::make_unique<Http::EmbeddedServer>(up);
    m_upstreamServer->start(Http::ServerConfig{});
    QTRY_COMPARE(m_upstreamServer->status().state, ServerStatus::State::Running);
    m_upstreamUrl =
        m_upstreamServer->status().url() + u"api/v4/projects/%1/packages/npm/"_s.arg(lib->id);

    // This registry proxies the upstream at the instance; the group "plain" does not.
    QVERIFY2(m_fixture.open(), qPrintable(m_fixture.error()));
    QVERIFY_RESULT(m_fixture->namespaces().createGroup(u"acme"_s));
    QVERIFY_RESULT(m_fixture->namespaces().createProject(u"acme/app"_s));
    const Result<Group> plain = m_fixture->namespaces().createGroup(u"plain"_s);
    QVERIFY_RESULT(plain);
    QVERIFY_RESULT(m_fixture->settings().setUpstream(m_upstreamUrl));
    QVERIFY_RESULT(
        m_fixture->settings().setInstanceForwardingMode(SettingsService::ForwardingMode::Proxy));
    QVERIFY_RESULT(m_fixture->settings().setGroupForwardingMode(
        plain->id, SettingsService::ForwardingMode::Off));

    // The lockfile: two versions the upstream has (with their integrity) and a name it has not.
    QJsonObject packages{{u""_s, QJsonObject{{u"name"_s, u"app"_s}, {u"version"_s, u"1.0.0"_s}}}};
    for (const auto &[name, version] :
         {std::pair{u"left-pad-lite"_s, u"1.1.0"_s}, std::pair{u"tiny-util"_s, u"2.0.0"_s}}) {
        const auto [status, body] = get(m_upstreamUrl + name);
        QCOMPARE(status, 200);
        const QJsonObject dist =
            QJsonDocument::fromJson(body).object()[u"versions"_s][version][u"dist"_s].toObject();
        QVERIFY(!dist[u"integrity"_s].toString().isEmpty());
        packages.insert(QString(u"node_modules/"_s + name),
                        QJsonObject{{u"version"_s, version},
                                    {u"resolved"_s, dist[u"tarball"_s].toString()},
                                    {u"integrity"_s, dist[u"integrity"_s].toString()}});
    }
    packages.insert(
        u"node_modules/nowhere-pkg"_s,
        QJsonObject{
            {u"version"_s, u"1.0.0"_s},
            {u"resolved"_s, QString(m_upstreamUrl + u"nowhere-pkg/-/nowhere-pkg-1.0.0.tgz"_s)},
            {u"integrity"_s,
             QString(u"sha512-"_s + QString::fromLatin1(QByteArray(64, 'x').toBase64()))}});
    m_lockfile = QJsonDocument(QJsonObject{{u"name"_s, u"app"_s},
                                           {u"version"_s, u"1.0.0"_s},
                                           {u"lockfileVersion"_s, 3},
                                           {u"requires"_s, true},
                                           {u"packages"_s, packages}})
                     .toJson();

    m_server = std::make_unique<Http::EmbeddedServer>(m_fixture.registry());
    m_server->start(Http::ServerConfig{});
    QTRY_COMPARE(m_server->status().state, ServerStatus::State::Running);
    m_window = std::make_unique<MainWindow>(m_fixture.registry());
    QSignalSpy loaded(m_window.get(), &MainWindow::packagesLoaded);
    m_window->resize(800, 500);
    m_window->show();
    QVERIFY(loaded.wait(10000));
}

void tst_ProxyUi::cleanupTestCase()
{
    m_window.reset();
    m_server.reset();
    m_upstreamServer.reset();
    m_fixture.close();
    m_upstreamFixture.close();
}

std::pair<int, QByteArray> tst_ProxyUi::get(const QString &url)
{
    std::unique_ptr<QNetworkReply> reply(m_network.get(QNetworkRequest(QUrl(url))));
    QSignalSpy finished(reply.get(), &QNetworkReply::finished);
    if (!reply->isFinished() && !finished.wait(20000)) {
        return {-1, {}};
    }
    return {reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), reply->readAll()};
}

QString tst_ProxyUi::writeFile(const QString &name, const QByteArray &content)
{
    const QString dir = m_files.filePath(QString::number(++m_counter));
    QDir().mkpath(dir);
    QFile file(dir + u'/' + name);
    if (!file.open(QIODevice::WriteOnly) || file.write(content) != content.size()) {
        return {};
    }
    return file.fileName();
}

bool tst_ProxyUi::drop(const QStringList &files)
{
    // Any dialog of an earlier drop goes first: openedDialog() finds the new one.
    for (MirrorDialog *old : m_window->findChildren<MirrorDialog *>()) {
        delete old;
    }
    QMimeData data;
    QList<QUrl> urls;
    for (const QString &file : files) {
        urls.append(QUrl::fromLocalFile(file));
    }
    data.setUrls(urls);
    const QPoint at = m_window->rect().center();
    QDragEnterEvent enter(at, Qt::CopyAction, &data, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(m_window.get(), &enter);
    if (!enter.isAccepted()) {
        return false;
    }
    QDropEvent dropped(at, Qt::CopyAction, &data, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(m_window.get(), &dropped);
    return dropped.isAccepted();
}

MirrorDialog *tst_ProxyUi::openedDialog()
{
    MirrorDialog *dialog = nullptr;
    if (!QTest::qWaitFor([&] {
            dialog = m_window->findChild<MirrorDialog *>(u"mirrorDialog"_s);
            return dialog != nullptr;
        })) {
        return nullptr;
    }
    QSignalSpy ready(dialog, &MirrorDialog::ready);
    return ready.wait(10000) ? dialog : nullptr;
}

void tst_ProxyUi::screenshot(QWidget *widget, const QString &name)
{
    const QString dir = qEnvironmentVariable("TROVE_SCREENSHOTS");
    if (dir.isEmpty()) {
        return;
    }
    QTest::qWait(200); // painted
    QVERIFY(widget->grab().save(dir + u'/' + name + u".png"_s));
}

void tst_ProxyUi::dragAcceptsLockfilesAndTarballs_data()
{
    QTest::addColumn<QStringList>("names");
    QTest::addColumn<bool>("accepted");
    QTest::addRow("package-lock.json") << QStringList{u"package-lock.json"_s} << true;
    QTest::addRow("yarn.lock") << QStringList{u"yarn.lock"_s} << true;
    QTest::addRow("pnpm-lock.yaml") << QStringList{u"pnpm-lock.yaml"_s} << true;
    QTest::addRow("a tarball") << QStringList{u"pkg-1.0.0.tgz"_s} << true;
    QTest::addRow("a picture") << QStringList{u"photo.png"_s} << false;
    QTest::addRow("a lockfile and a picture")
        << QStringList{u"yarn.lock"_s, u"photo.png"_s} << false;
}

void tst_ProxyUi::dragAcceptsLockfilesAndTarballs()
{
    QFETCH(QStringList, names);
    QFETCH(bool, accepted);
    QMimeData data;
    QList<QUrl> urls;
    for (const QString &name : names) {
        urls.append(QUrl::fromLocalFile(m_files.filePath(name)));
    }
    data.setUrls(urls);
    QDragEnterEvent enter(
        m_window->rect().center(), Qt::CopyAction, &data, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(m_window.get(), &enter);
    QCOMPARE(enter.isAccepted(), accepted);
}

void tst_ProxyUi::refusedFileIsExplained()
{
    const QString notes = writeFile(u"notes.json"_s, R"({"just": "notes"})");
    const QString old = writeFile(u"package-lock.json"_s, R"({"lockfileVersion": 1})");
    QVERIFY(drop({notes, old}));
    MirrorDialog *dialog = openedDialog();
    QVERIFY(dialog);
    auto *list = dialog->findChild<QListWidget *>(u"lockfileList"_s);
    QCOMPARE(list->count(), 2);
    QVERIFY2(list->item(0)->text().startsWith(u"notes.json: refused, notes.json: "_s),
             qPrintable(list->item(0)->text()));
    QVERIFY2(list->item(1)->text().startsWith(u"package-lock.json: refused, "_s)
                 && list->item(1)->text().contains(u"lockfileVersion 1"_s),
             qPrintable(list->item(1)->text()));
    QCOMPARE(dialog->findChild<QLabel *>(u"targetStatus"_s)->text(),
             u"None of the files is a lockfile that can be read."_s);
    QVERIFY(!dialog->findChild<QPushButton *>(u"mirrorButton"_s)->isEnabled());
    screenshot(dialog, u"mirror-refused"_s);
}

void tst_ProxyUi::levelThatDoesNotProxyIsRefused()
{
    QVERIFY(drop({writeFile(u"package-lock.json"_s, m_lockfile)}));
    MirrorDialog *dialog = openedDialog();
    QVERIFY(dialog);
    auto *target = dialog->findChild<QComboBox *>(u"targetCombo"_s);
    // Nothing selected in the tree: the instance.
    QCOMPARE(target->currentText(), u"The instance"_s);
    QVERIFY(dialog->findChild<QPushButton *>(u"mirrorButton"_s)->isEnabled());
    QSignalSpy ready(dialog, &MirrorDialog::ready);
    target->setCurrentIndex(target->findText(u"Group plain"_s));
    QVERIFY(ready.wait(5000));
    const QString status = dialog->findChild<QLabel *>(u"targetStatus"_s)->text();
    QVERIFY2(status.contains(u"forwarding at group plain is 'off', not 'proxy'"_s),
             qPrintable(status));
    QVERIFY(!dialog->findChild<QPushButton *>(u"mirrorButton"_s)->isEnabled());
}

void tst_ProxyUi::droppedLockfileIsMirrored()
{
    QVERIFY(drop({writeFile(u"package-lock.json"_s, m_lockfile)}));
    MirrorDialog *dialog = openedDialog();
    QVERIFY(dialog);
    auto *list = dialog->findChild<QListWidget *>(u"lockfileList"_s);
    QCOMPARE(list->count(), 1);
    QCOMPARE(list->item(0)->text(),
             u"package-lock.json: 3 package version(s) (package-lock.json)"_s);
    QCOMPARE(dialog->findChild<QLabel *>(u"targetStatus"_s)->text(),
             u"3 package name(s) will be fetched into the cache."_s);
    screenshot(dialog, u"mirror-drop"_s);

    QSignalSpy mirrored(dialog, &MirrorDialog::mirrored);
    QSignalSpy packagesLoaded(m_window.get(), &MainWindow::packagesLoaded);
    dialog->findChild<QPushButton *>(u"mirrorButton"_s)->click();
    QVERIFY(dialog->findChild<QProgressBar *>(u"mirrorProgress"_s)->isVisible());
    QVERIFY(mirrored.wait(30000));
    QCOMPARE(mirrored.at(0).at(0).toBool(), false); // one name could not be had
    QCOMPARE(dialog->findChild<QProgressBar *>(u"mirrorProgress"_s)->value(), 3);

    QCOMPARE(dialog->findChild<QLabel *>(u"reportSummary"_s)->text(),
             u"2 package version(s) fetched, 0 already cached, 1 could not be had."_s);
    const QString report = dialog->findChild<QPlainTextEdit *>(u"mirrorReport"_s)->toPlainText();
    QVERIFY2(report.startsWith(u"Mirrored 2 of 3 package versions into the cache.\n"_s),
             qPrintable(report));
    QVERIFY2(report.contains(u"Could not be had (1):\n  nowhere-pkg@1.0.0: "_s),
             qPrintable(report));
    QVERIFY2(report.contains(u"Fetched (2):\n  left-pad-lite@1.1.0\n  tiny-util@2.0.0"_s),
             qPrintable(report));
    QVERIFY2(!report.contains(u"Already cached"_s), qPrintable(report));
    dialog->findChild<QPushButton *>(u"copyReportButton"_s)->click();
    QCOMPARE(QApplication::clipboard()->text(), report);
    screenshot(dialog, u"mirror-report"_s);

    // The tarballs are in the cache, and the window lists both packages as cached rows.
    const ProxyStore cache(m_fixture->database());
    QVERIFY(cache.tarball(u"left-pad-lite"_s, u"1.1.0"_s).value().has_value());
    QVERIFY(cache.tarball(u"tiny-util"_s, u"2.0.0"_s).value().has_value());
    auto *table = m_window->findChild<QTableView *>();
    QVERIFY(table);
    const auto cachedNames = [table] {
        QStringList names;
        for (int row = 0; row < table->model()->rowCount(); ++row) {
            const QModelIndex index = table->model()->index(row, 0);
            if (index.data(PackageTableModel::CachedRole).toBool()) {
                names << index.data(PackageTableModel::PackageNameRole).toString();
            }
        }
        names.sort();
        return names;
    };
    QTRY_COMPARE_WITH_TIMEOUT(
        cachedNames(), (QStringList{u"left-pad-lite"_s, u"tiny-util"_s}), 5000);
    // Their rows show what the kept document says: latest, dist-tags and the last fetch.
    for (int row = 0; row < table->model()->rowCount(); ++row) {
        const QModelIndex index = table->model()->index(row, PackageTableModel::NameColumn);
        if (index.data(PackageTableModel::PackageNameRole).toString() != u"left-pad-lite"_s) {
            continue;
        }
        const auto cell = [&](int column) {
            return index.siblingAtColumn(column).data(Qt::DisplayRole).toString();
        };
        QCOMPARE(cell(PackageTableModel::LatestColumn), u"1.1.0"_s);
        QCOMPARE(cell(PackageTableModel::DistTagsColumn), u"latest: 1.1.0"_s);
        QVERIFY(!cell(PackageTableModel::UpdatedColumn).isEmpty());
    }
}

void tst_ProxyUi::secondMirrorFindsItCached()
{
    QVERIFY(drop({writeFile(u"package-lock.json"_s, m_lockfile)}));
    MirrorDialog *dialog = openedDialog();
    QVERIFY(dialog);
    QSignalSpy mirrored(dialog, &MirrorDialog::mirrored);
    dialog->findChild<QPushButton *>(u"mirrorButton"_s)->click();
    QVERIFY(mirrored.wait(30000));
    QCOMPARE(dialog->findChild<QLabel *>(u"reportSummary"_s)->text(),
             u"0 package version(s) fetched, 2 already cached, 1 could not be had."_s);
    const QString report = dialog->findChild<QPlainTextEdit *>(u"mirrorReport"_s)->toPlainText();
    QVERIFY2(report.contains(u"Already cached (2):\n  left-pad-lite@1.1.0\n  tiny-util@2.0.0"_s),
             qPrintable(report));
}

void tst_ProxyUi::hitRatioSinceStartBesideTheSavedOne()
{
    // A client installs a mirrored package: its document and tarball come from the cache.
    const auto [status, body] = get(m_server->status().url() + u"api/v4/packages/npm/tiny-util"_s);
    QCOMPARE(status, 200);
    const QString tarball = QJsonDocument::fromJson(body)
                                .object()[u"versions"_s][u"2.0.0"_s][u"dist"_s][u"tarball"_s]
                                .toString();
    const ServerStatus::ProxyAnswers before = ServerStatus::proxyAnswersSinceStart();
    QCOMPARE(get(tarball).first, 200);
    const ServerStatus::ProxyAnswers after = ServerStatus::proxyAnswersSinceStart();
    QCOMPARE(after.hits, before.hits + 1);
    QCOMPARE(after.misses, before.misses);

    m_window->openForwarding();
    auto *dialog = m_window->findChild<ForwardingDialog *>(u"forwardingDialog"_s);
    QVERIFY(dialog);
    QSignalSpy reloaded(dialog, &ForwardingDialog::reloaded);
    QVERIFY(reloaded.wait(5000));
    auto *tabs = dialog->findChild<QTabWidget *>();
    tabs->setCurrentIndex(1);
    QVERIFY(reloaded.wait(5000));
    const qint64 answered = after.hits + after.misses;
    const QString sinceStart = dialog->findChild<QLabel *>(u"cacheHitRatioSinceStart"_s)->text();
    const QString expected = u"%1 % from the cache (%2 of %3), counted as they are given"_s.arg(
        QLocale().toString(100.0 * double(after.hits) / double(answered), 'f', 1),
        QLocale().toString(after.hits),
        QLocale().toString(answered));
    QVERIFY2(sinceStart.startsWith(expected), qPrintable(sinceStart + u" / "_s + expected));
    // The saved ratio (the mirror's answers, written when it ended) beside it, each row saying
    // which it is.
    const QString saved = dialog->findChild<QLabel *>(u"cacheHitRatio"_s)->text();
    QVERIFY2(saved.contains(u"since it was last cleared"_s), qPrintable(saved));
    auto *form = qobject_cast<QFormLayout *>(dialog->findChild<QLabel *>(u"cacheHitRatio"_s)
                                                 ->parentWidget()
                                                 ->layout()
                                                 ->itemAt(1)
                                                 ->layout());
    QVERIFY(form);
    QCOMPARE(qobject_cast<QLabel *>(
                 form->labelForField(dialog->findChild<QLabel *>(u"cacheHitRatioSinceStart"_s)))
                 ->text(),
             u"Since Trove started:"_s);
    QCOMPARE(
        qobject_cast<QLabel *>(form->labelForField(dialog->findChild<QLabel *>(u"cacheHitRatio"_s)))
            ->text(),
        u"Hit ratio (saved):"_s);
    screenshot(dialog, u"proxy-cache-tab"_s);
    dialog->close();
}

void tst_ProxyUi::removeOnePackageFromTheCache()
{
    auto *table = m_window->findChild<QTableView *>();
    QVERIFY(table);
    const auto rowOf = [this](const QString &name) { return cachedRow(name); };
    QTRY_VERIFY_WITH_TIMEOUT(rowOf(u"left-pad-lite"_s).isValid(), 5000);
    const ProxyStore cache(m_fixture->database());
    const std::optional<ProxyStore::Tarball> kept =
        cache.tarball(u"left-pad-lite"_s, u"1.1.0"_s).value();
    QVERIFY(kept.has_value());
    const QString blob = m_fixture->blobs().pathOf(kept->sha512);
    QVERIFY(QFile::exists(blob));

    auto *remove = m_window->findChild<QAction *>(u"removeFromCacheAction"_s);
    QVERIFY(remove);
    // On a published row it has nothing to do; on a cached one it asks first, naming the
    // package, and a No leaves everything.
    table->setCurrentIndex(rowOf(u"left-pad-lite"_s));
    QTRY_VERIFY(remove->isEnabled());
    QStringList asked;
    Ui::setConfirmAnswer([&asked](const QString &, const QString &text) {
        asked << text;
        return false;
    });
    remove->trigger();
    QCOMPARE(asked.size(), 1);
    QVERIFY2(asked.first().contains(u"Remove left-pad-lite from the proxy cache"_s),
             qPrintable(asked.first()));
    QVERIFY2(asked.first().contains(m_upstreamUrl), qPrintable(asked.first()));
    QVERIFY(cache.tarball(u"left-pad-lite"_s, u"1.1.0"_s).value().has_value());

    Ui::setConfirmAnswer([](const QString &, const QString &) { return true; });
    QSignalSpy written(m_window.get(), &MainWindow::writeFinished);
    remove->trigger();
    QVERIFY(written.wait(10000));
    Ui::setConfirmAnswer({});
    QCOMPARE(written.first().at(0).toBool(), true);
    // Its row, its kept tarball and the blob are gone; the other cached package stays.
    QTRY_VERIFY_WITH_TIMEOUT(!rowOf(u"left-pad-lite"_s).isValid(), 5000);
    QVERIFY(rowOf(u"tiny-util"_s).isValid());
    QVERIFY(!cache.tarball(u"left-pad-lite"_s, u"1.1.0"_s).value().has_value());
    QVERIFY(cache.tarball(u"tiny-util"_s, u"2.0.0"_s).value().has_value());
    QVERIFY(!QFile::exists(blob));
}

// An install through the window's own server fills the cache with no event to tell the window:
// the row appears within the two seconds of its look at the cache's count of changes, with no
// reload asked for (left-pad-lite left the cache in the test before).
void tst_ProxyUi::clientFetchShowsWithoutReload()
{
    QVERIFY(!cachedRow(u"left-pad-lite"_s).isValid());
    const auto [status, body] =
        get(m_server->status().url() + u"api/v4/packages/npm/left-pad-lite"_s);
    QCOMPARE(status, 200);
    QTRY_VERIFY_WITH_TIMEOUT(cachedRow(u"left-pad-lite"_s).isValid(), 5000);
}

QModelIndex tst_ProxyUi::cachedRow(const QString &name)
{
    auto *table = m_window->findChild<QTableView *>();
    if (!table) {
        return {};
    }
    for (int row = 0; row < table->model()->rowCount(); ++row) {
        const QModelIndex index = table->model()->index(row, 0);
        if (index.data(PackageTableModel::PackageNameRole).toString() == name
            && index.data(PackageTableModel::CachedRole).toBool()) {
            return index;
        }
    }
    return {};
}

QTEST_MAIN(tst_ProxyUi)
#include "tst_proxyui.moc"
