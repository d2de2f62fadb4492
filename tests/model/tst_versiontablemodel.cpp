// SPDX-License-Identifier: GPL-3.0-or-later
#include "model/itemmodels/versiontablemodel.h"

#include <QAbstractItemModelTester>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Trove;

namespace {

Package makeVersion(qint64 id, const QString &number, int minute, const QString &deprecation = {})
{
    Package package;
    package.id = id;
    package.projectId = 1;
    package.name = u"@acme/core"_s;
    package.version = number;
    package.publisher = u"mia"_s;
    package.createdAt = QDateTime(QDate(2026, 3, 1), QTime(12, minute), Qt::UTC);
    QJsonObject json{{u"name"_s, package.name}, {u"version"_s, number}};
    if (!deprecation.isEmpty()) {
        package.status = PackageStatus::Deprecated;
        json.insert(u"deprecated"_s, deprecation);
    }
    package.packageJson = QJsonDocument(json).toJson(QJsonDocument::Compact);
    return package;
}

DistTag tag(const QString &name, qint64 packageId)
{
    DistTag tag;
    tag.projectId = 1;
    tag.packageName = u"@acme/core"_s;
    tag.tag = name;
    tag.packageId = packageId;
    return tag;
}

} // namespace

class tst_VersionTableModel : public QObject
{
    Q_OBJECT

private slots:
    void rows_data();
    void rows();
    void headersAndReset();
    void lastDownloaded();
};

void tst_VersionTableModel::rows_data()
{
    QTest::addColumn<int>("row");
    QTest::addColumn<QString>("version");
    QTest::addColumn<QString>("tags");
    QTest::addColumn<QString>("deprecation");

    // Published in the order 1.0.0, 2.0.0-rc.1, 1.1.0 (a backport), 1.1.1 in the same minute.
    QTest::addRow("newest first") << 0 << u"1.1.1"_s << u"latest"_s << QString();
    QTest::addRow("same time: higher id first") << 1 << u"1.1.0"_s << QString() << QString();
    QTest::addRow("two tags, sorted") << 2 << u"2.0.0-rc.1"_s << u"beta, next"_s << QString();
    QTest::addRow("deprecated: word and message")
        << 3 << u"1.0.0"_s << QString() << u"deprecated: use 1.1"_s;
}

void tst_VersionTableModel::rows()
{
    QFETCH(int, row);
    QFETCH(QString, version);
    QFETCH(QString, tags);
    QFETCH(QString, deprecation);

    VersionTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setVersions({makeVersion(1, u"1.0.0"_s, 0, u"use 1.1"_s),
                       makeVersion(2, u"2.0.0-rc.1"_s, 1),
                       makeVersion(3, u"1.1.0"_s, 2),
                       makeVersion(4, u"1.1.1"_s, 2)},
                      {tag(u"next"_s, 2), tag(u"latest"_s, 4), tag(u"beta"_s, 2)});
    QCOMPARE(model.rowCount(), 4);
    QCOMPARE(model.columnCount(), int(VersionTableModel::ColumnCount));
    QCOMPARE(model.index(row, VersionTableModel::VersionColumn).data().toString(), version);
    QCOMPARE(model.index(row, VersionTableModel::TagsColumn).data().toString(), tags);
    QCOMPARE(model.index(row, VersionTableModel::DeprecationColumn).data().toString(), deprecation);
    QCOMPARE(model.index(row, 0).data(VersionTableModel::VersionRole).toString(), version);
    QCOMPARE(model.index(row, 0).data(VersionTableModel::DeprecatedRole).toBool(),
             !deprecation.isEmpty());
    QCOMPARE(model.index(row, 0).data(VersionTableModel::TagNamesRole).toStringList(),
             tags.isEmpty() ? QStringList() : tags.split(u", "_s));
    QCOMPARE(model.index(row, VersionTableModel::PublishedColumn).data(Qt::EditRole).metaType(),
             QMetaType::fromType<QDateTime>());
}

void tst_VersionTableModel::headersAndReset()
{
    VersionTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QStringList titles;
    for (int column = 0; column < model.columnCount(); ++column) {
        titles.append(model.headerData(column, Qt::Horizontal).toString());
    }
    QCOMPARE(titles,
             QStringList({u"Version"_s,
                          u"Tags"_s,
                          u"Published"_s,
                          u"Publisher"_s,
                          u"Deprecation"_s,
                          u"Last downloaded"_s}));
    model.setVersions({makeVersion(1, u"1.0.0"_s, 0)}, {});
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    model.clear();
    QCOMPARE(reset.size(), 1);
    QCOMPARE(model.rowCount(), 0);
}

void tst_VersionTableModel::lastDownloaded()
{
    VersionTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setVersions({makeVersion(1, u"1.0.0"_s, 0), makeVersion(2, u"1.1.0"_s, 1)}, {});
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    const QDateTime at(QDate(2026, 4, 2), QTime(9, 30), Qt::UTC);
    model.setLastDownloads({{1, at}});
    QCOMPARE(changed.size(), 1);
    // Newest first: row 0 is 1.1.0, never downloaded; row 1 is 1.0.0.
    const QModelIndex never = model.index(0, VersionTableModel::LastDownloadedColumn);
    const QModelIndex once = model.index(1, VersionTableModel::LastDownloadedColumn);
    QCOMPARE(never.data().toString(), u"never"_s);
    QVERIFY(!never.data(VersionTableModel::LastDownloadedRole).toDateTime().isValid());
    QCOMPARE(once.data(VersionTableModel::LastDownloadedRole).toDateTime(), at);
    QCOMPARE(once.data(Qt::EditRole).toDateTime(), at);
    QCOMPARE(once.data().toString(), QLocale().toString(at.toLocalTime(), QLocale::ShortFormat));
}

QTEST_GUILESS_MAIN(tst_VersionTableModel)
#include "tst_versiontablemodel.moc"
