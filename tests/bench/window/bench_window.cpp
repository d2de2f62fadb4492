// SPDX-License-Identifier: GPL-3.0-or-later
// The window with a big store (issue #5): fills a fresh data folder with N packages (default
// 100,000; one version and a `latest` tag each, across 10 projects), then reports
//   - the time from the start of this program to the first painted window, and to the first
//     paint of the package table holding all N rows (the list loads off the GUI thread);
//   - the time each keystroke of a typed filter takes: from the end of the filter box's pause to
//     the repainted table (the pause itself, 150 ms, is not counted), as median and maximum.
// It prints one line per figure and a Markdown table. Not a test: a benchmark
// (tests/bench/window/README in the top-level README says how to run it); `--packages 2000`
// is the quick run ctest does (bench_window_smoke), whose figures mean nothing.
//
// Usage: bench_window [--packages N] [--keep DIR]
//   QT_QPA_PLATFORM=offscreen by default; set it to xcb (under Xvfb) for a real window server.

#include "model/itemmodels/packagetablemodel.h"
#include "model/registry.h"
#include "ui/mainwindow.h"

#include <QAbstractItemModel>
#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QLineEdit>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <algorithm>
#include <cstdio>

using namespace Qt::StringLiterals;
using namespace Trove;

namespace {

QElapsedTimer s_clock; // from the start of main()

// Groups, projects and one published template package through the services, then N - 1 rows
// copied from it in one transaction (publishing 100,000 tarballs would take minutes and measure
// nothing about the window).
bool fill(const QString &dataDir, int count)
{
    Result<std::unique_ptr<Registry>> opened = Registry::open(dataDir);
    if (!opened) {
        std::fprintf(stderr, "cannot open %s\n", qPrintable(opened.error().message));
        return false;
    }
    Registry &registry = **opened;
    if (!registry.namespaces().createGroup(u"bench"_s, Visibility::Public)) {
        return false;
    }
    QList<qint64> projects;
    for (int i = 0; i < 10; ++i) {
        const Result<Project> project =
            registry.namespaces().createProject(u"bench/p%1"_s.arg(i), Visibility::Public);
        if (!project) {
            return false;
        }
        projects.append(project->id);
    }
    const Result<User> user = registry.users().createUser(u"bench"_s);
    if (!user) {
        return false;
    }
    PackageService::PublishRequest request;
    request.projectId = projects.first();
    request.name = u"@bench/template"_s;
    request.version = u"1.0.0"_s;
    request.packageJson = R"({"name":"@bench/template","version":"1.0.0"})";
    // The smallest valid .tgz: a gzip of an empty tar (two zero blocks).
    request.tarball = QByteArray::fromBase64(
        "H4sIAAAAAAAAA+3BAQ0AAADCoPdPbQ8HFAAAAAAAAAAAAAAAAAAAAPgbKlXbyQAoAAA=");
    request.publisher.kind = Actor::Kind::User;
    request.publisher.userId = user->id;
    request.publisher.username = user->username;
    const Result<Package> published = registry.packages().publish(request);
    if (!published) {
        std::fprintf(stderr, "cannot publish: %s\n", qPrintable(published.error().message));
        return false;
    }
    opened->reset();

    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"fill"_s);
        db.setDatabaseName(dataDir + u"/trove.sqlite"_s);
        if (!db.open()) {
            return false;
        }
        QSqlQuery query(db);
        const bool ok = query.exec(u"BEGIN"_s)
            && query.exec(
                u"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %1)"
                " INSERT INTO packages (project_id, name, version, status, package_json, sha1,"
                " sha512, size, publisher, publisher_user_id, created_at, updated_at)"
                " SELECT (SELECT min(id) FROM projects) + n.i % 10, '@bench/pkg-' || n.i,"
                " p.version, p.status, p.package_json, p.sha1, p.sha512, p.size, p.publisher,"
                " p.publisher_user_id, p.created_at - n.i, p.updated_at - n.i"
                " FROM n, packages p WHERE p.name = '@bench/template'"_s.arg(count - 1))
            && query.exec(
                u"INSERT INTO dist_tags (project_id, package_name, tag, package_id, updated_at)"
                " SELECT project_id, name, 'latest', id, updated_at FROM packages"
                " WHERE name LIKE '@bench/pkg-%'"_s)
            && query.exec(u"COMMIT"_s);
        if (!ok) {
            std::fprintf(stderr, "cannot fill: %s\n", qPrintable(query.lastError().text()));
            return false;
        }
        query.exec(u"PRAGMA wal_checkpoint(TRUNCATE)"_s);
    }
    QSqlDatabase::removeDatabase(u"fill"_s);
    return true;
}

// Records the first paint of a widget after `armed` is set.
class PaintWatch final : public QObject
{
public:
    bool armed = true;
    qint64 paintedAt = -1;

protected:
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (armed && paintedAt < 0 && event->type() == QEvent::Paint) {
            // After the paint itself: the filter sees the event first, so post the reading.
            QTimer::singleShot(0, this, [this] {
                if (paintedAt < 0) {
                    paintedAt = s_clock.elapsed();
                }
            });
        }
        return QObject::eventFilter(watched, event);
    }
};

double median(QList<double> values)
{
    std::sort(values.begin(), values.end());
    return values.isEmpty() ? 0 : values.at(values.size() / 2);
}

} // namespace

int main(int argc, char *argv[])
{
    s_clock.start();
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) {
        qputenv("QT_QPA_PLATFORM", "offscreen");
    }
    QApplication app(argc, argv);
    QCoreApplication::setOrganizationName(u"TroveBench"_s);
    QCommandLineParser parser;
    parser.addHelpOption();
    parser.addOption({u"packages"_s, u"Packages in the store (default 100000)"_s, u"N"_s});
    parser.addOption({u"keep"_s, u"Fill this folder (must not exist) and keep it"_s, u"DIR"_s});
    parser.process(app);
    const int count = parser.isSet(u"packages"_s) ? parser.value(u"packages"_s).toInt() : 100000;
    if (count < 2) {
        std::fprintf(stderr, "--packages must be at least 2\n");
        return 2;
    }

    QTemporaryDir temporary;
    const QString dataDir =
        parser.isSet(u"keep"_s) ? parser.value(u"keep"_s) : temporary.filePath(u"data"_s);
    QElapsedTimer fillClock;
    fillClock.start();
    if (!fill(dataDir, count)) {
        return 1;
    }
    const qint64 fillMs = fillClock.elapsed();

    // What `trove` does at start, timed from here.
    s_clock.restart();
    Result<std::unique_ptr<Registry>> registry = Registry::open(dataDir, Registry::Sweep::ByCaller);
    if (!registry) {
        return 1;
    }
    PaintWatch windowPaint;
    PaintWatch tablePaint;
    tablePaint.armed = false;
    bool loaded = false;
    MainWindow window(**registry);
    auto *table = window.findChild<QTableView *>(u"packageTable"_s);
    auto *filter = window.findChild<QLineEdit *>(u"filterEdit"_s);
    auto *filterTimer = filter ? filter->findChild<QTimer *>() : nullptr;
    if (!filterTimer) {
        const QList<QTimer *> timers = window.findChildren<QTimer *>();
        for (QTimer *timer : timers) {
            if (timer->isSingleShot() && timer->interval() == 150) {
                filterTimer = timer;
            }
        }
    }
    if (!table || !filter || !filterTimer) {
        std::fprintf(stderr, "the window has changed: no package table, filter box or pause\n");
        return 1;
    }
    QObject::connect(&window, &MainWindow::packagesLoaded, &window, [&] {
        if (table->model()->rowCount() == count) {
            loaded = true;
            tablePaint.armed = true;
            table->viewport()->update();
        }
    });
    window.installEventFilter(&windowPaint);
    table->viewport()->installEventFilter(&tablePaint);
    window.show();
    if (!QTest::qWaitFor([&] { return loaded && tablePaint.paintedAt >= 0; }, 120000)) {
        std::fprintf(stderr, "the package list did not load\n");
        return 1;
    }
    const qint64 firstPaint = windowPaint.paintedAt;
    const qint64 listPaint = tablePaint.paintedAt;

    // Keystrokes: the time from the end of the pause to the repainted table.
    QElapsedTimer keystroke;
    QList<double> times;
    QObject::connect(filterTimer, &QTimer::timeout, &window, [&] {
        // Connected after the window's own handler: the filter has been applied.
        table->viewport()->repaint();
        times.append(keystroke.nsecsElapsed() / 1e6);
    });
    class TimerStart final : public QObject
    {
    public:
        explicit TimerStart(QElapsedTimer *clock)
            : m_clock(clock)
        {
        }

    protected:
        bool eventFilter(QObject *, QEvent *event) override
        {
            if (event->type() == QEvent::Timer) {
                m_clock->start();
            }
            return false;
        }

    private:
        QElapsedTimer *m_clock;
    } timerStart(&keystroke);
    filterTimer->installEventFilter(&timerStart);
    const QString typed = u"pkg-4242 "_s;
    const QStringList extra = {u"tag:latest"_s, u"deprecated:no"_s};
    QStringList texts;
    for (int i = 1; i <= typed.size(); ++i) {
        texts.append(typed.left(i));
    }
    for (const QString &word : extra) {
        texts.append(typed + word);
    }
    for (int i = typed.size() - 1; i >= 0; --i) {
        texts.append(typed.left(i)); // backspacing back to the whole list
    }
    for (const QString &text : std::as_const(texts)) {
        const qsizetype before = times.size();
        filter->setText(text);
        if (!QTest::qWaitFor([&] { return times.size() > before; }, 10000)) {
            std::fprintf(stderr, "the filter did not run for \"%s\"\n", qPrintable(text));
            return 1;
        }
    }
    const double keyMedian = median(times);
    const double keyMax = *std::max_element(times.begin(), times.end());
    window.close();

    std::printf("packages: %d (store filled in %lld ms)\n", count, fillMs);
    std::printf("first painted window: %lld ms\n", firstPaint);
    std::printf("first paint of the full package list: %lld ms\n", listPaint);
    std::printf("filter per keystroke (%lld keystrokes): median %.1f ms, max %.1f ms\n",
                qlonglong(times.size()),
                keyMedian,
                keyMax);
    std::printf("\n| figure | value | goal |\n|---|---|---|\n");
    std::printf(
        "| first painted window (%d packages) | %lld ms | <= 1000 ms |\n", count, firstPaint);
    std::printf("| package list loaded and painted | %lld ms | - |\n", listPaint);
    std::printf("| filter per keystroke, median | %.1f ms | <= 16 ms |\n", keyMedian);
    std::printf("| filter per keystroke, max | %.1f ms | - |\n", keyMax);
    return 0;
}
