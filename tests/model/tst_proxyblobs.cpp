// SPDX-License-Identifier: GPL-3.0-or-later
// Tarballs the proxy's cache keeps share the blob store with published ones (docs/proxy.md): the
// orphan sweep, `trove check` and `trove check --repair` must leave them, and only them, alone.
#include "model/blobstore.h"
#include "model/registry.h"
#include "model/store/proxystore.h"
#include "model/storecheck.h"

#include "testsupport.h"

#include <QFile>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Trove;

namespace {

// The row of a tarball the proxy keeps, left-pad 1.3.0 from an upstream on loopback.
ProxyStore::Tarball leftPad(const QString &sha512, const QDateTime &fetchedAt)
{
    ProxyStore::Tarball tarball;
    tarball.sha512 = sha512;
    tarball.name = u"left-pad"_s;
    tarball.version = u"1.3.0"_s;
    tarball.size = 27;
    tarball.sourceUrl = u"http://127.0.0.1:9/left-pad/-/left-pad-1.3.0.tgz"_s;
    tarball.fetchedAt = fetchedAt;
    tarball.accessedAt = fetchedAt;
    return tarball;
}

} // namespace

class tst_ProxyBlobs : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void keptTarballSurvivesSweepAndCheck();
    void changesCountWhatTheWindowLists();

private:
    TestSupport::RegistryFixture m_fixture;
};

void tst_ProxyBlobs::init()
{
    QVERIFY2(m_fixture.open(), qPrintable(m_fixture.error()));
}

void tst_ProxyBlobs::cleanup()
{
    m_fixture.close();
}

void tst_ProxyBlobs::keptTarballSurvivesSweepAndCheck()
{
    const Result<QString> kept = m_fixture->blobs().put("a tarball from the upstream");
    QVERIFY_RESULT(kept);
    const Result<QString> orphan = m_fixture->blobs().put("a file no row knows");
    QVERIFY_RESULT(orphan);
    ProxyStore proxy(m_fixture->database());
    QVERIFY_RESULT(proxy.putTarball(leftPad(*kept, QDateTime::currentDateTimeUtc())));

    // trove check: the orphan is reported, the kept tarball is not.
    const Result<StoreCheckReport> report = checkStore(m_fixture.registry());
    QVERIFY_RESULT(report);
    QStringList unreferenced;
    for (const StoreProblem &problem : report->problems) {
        QCOMPARE(problem.kind, StoreProblem::Kind::UnreferencedFile);
        unreferenced << problem.path;
    }
    QCOMPARE(unreferenced, QStringList{m_fixture->blobs().pathOf(*orphan)});

    // The sweep (no grace) takes the orphan and leaves the kept tarball.
    const Result<int> swept = m_fixture->sweepOrphanBlobs(0);
    QVERIFY_RESULT(swept);
    QCOMPARE(*swept, 1);
    QVERIFY(m_fixture->blobs().contains(*kept));
    QVERIFY(!m_fixture->blobs().contains(*orphan));

    // Once the cache lets go of it, it is an orphan like any other.
    QVERIFY_RESULT(proxy.removeTarball(*kept));
    const Result<int> again = m_fixture->sweepOrphanBlobs(0);
    QVERIFY_RESULT(again);
    QCOMPARE(*again, 1);
    QVERIFY(!m_fixture->blobs().contains(*kept));
}

// The window reads ProxyStore::changes() every two seconds and the cached packages only when it
// moved: every write that changes cachedPackages() must move it, and the bookkeeping that does
// not (accesses, hit counts) must not, or the window would read the whole list at every install.
void tst_ProxyBlobs::changesCountWhatTheWindowLists()
{
    ProxyStore proxy(m_fixture->database());
    qint64 last = -1;
    const auto moved = [&]() -> bool {
        const Result<qint64> now = proxy.changes();
        if (!now) {
            qWarning() << now.error().message;
            return false;
        }
        const bool changed = *now != last;
        last = *now;
        return changed;
    };
    const auto cachedNames = [&] {
        QStringList names;
        const Result<QList<ProxyStore::CachedPackage>> cached = proxy.cachedPackages();
        if (!cached) {
            qWarning() << cached.error().message;
            return names;
        }
        for (const ProxyStore::CachedPackage &package : *cached) {
            names << package.name;
        }
        return names;
    };
    QVERIFY(moved()); // the first read
    QCOMPARE(last, 0);

    const QDateTime at = QDateTime::currentDateTimeUtc();
    ProxyStore::Document document;
    document.name = u"left-pad"_s;
    document.upstream = u"http://127.0.0.1:9/"_s;
    document.body = R"({"name":"left-pad","dist-tags":{"latest":"1.3.0"},"versions":{}})";
    document.fetchedAt = at;
    QVERIFY_RESULT(proxy.putDocument(document));
    QVERIFY(moved());
    QCOMPARE(cachedNames(), QStringList{u"left-pad"_s});

    QVERIFY_RESULT(proxy.touchDocument(u"left-pad"_s, at.addSecs(60)));
    QVERIFY(moved());

    const Result<QString> blob = m_fixture->blobs().put("a tarball from the upstream");
    QVERIFY_RESULT(blob);
    QVERIFY_RESULT(proxy.putTarball(leftPad(*blob, at)));
    QVERIFY(moved());

    // Bookkeeping the list does not show.
    QVERIFY_RESULT(
        proxy.recordAccesses({{*blob, at.addSecs(120)}}, {{u"left-pad"_s, at.addSecs(120)}}));
    QVERIFY_RESULT(proxy.addCounts(3, 1));
    QVERIFY(!moved());

    QVERIFY_RESULT(proxy.removeTarball(*blob));
    QVERIFY(moved());

    // Clearing everything starts the hit ratio again, and is a change like any other.
    const Result<QStringList> cleared = proxy.clear(QString());
    QVERIFY_RESULT(cleared);
    QVERIFY(moved());
    QVERIFY(cachedNames().isEmpty());
    const Result<QPair<qint64, qint64>> counts = proxy.counts();
    QVERIFY_RESULT(counts);
    QCOMPARE(*counts, qMakePair(qint64(0), qint64(0)));
}

QTEST_GUILESS_MAIN(tst_ProxyBlobs)
#include "tst_proxyblobs.moc"
