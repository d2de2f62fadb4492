// SPDX-License-Identifier: GPL-3.0-or-later
// .tgz files dropped on the window: the preflight sheet checks each against the chosen project
// (name, version conflict, files, size, install scripts, naming convention, dist-tag), publishes
// the good ones with progress, refuses the rest with the reason and leaves them out of the store,
// and the result shows in the package table.
#include "ui/mainwindow.h"

#include "../model/testsupport.h"
#include "model/itemmodels/packagetablemodel.h"
#include "ui/publishdialog.h"

#include <QDropEvent>
#include <QLabel>
#include <QLineEdit>
#include <QMimeData>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableView>
#include <QTableWidget>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Trove;
using TestSupport::RegistryFixture;

class tst_DropPublish : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void dropPreflightPublish();

private:
    QString writeFile(const QString &name, const QByteArray &content);

    QTemporaryDir m_settingsDir;
    QTemporaryDir m_files;
    RegistryFixture m_fixture;
    qint64 m_projectId = 0;
};

void tst_DropPublish::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_settingsDir.isValid());
    QVERIFY(m_files.isValid());
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_settingsDir.path());
    QCoreApplication::setOrganizationName(u"TroveTest"_s);
    QCoreApplication::setApplicationName(u"tst_droppublish"_s);
    QVERIFY2(m_fixture.open(), qPrintable(m_fixture.error()));
    QVERIFY_RESULT(m_fixture->namespaces().createGroup(u"acme"_s));
    const Result<Project> project = m_fixture->namespaces().createProject(u"acme/core"_s);
    QVERIFY_RESULT(project);
    m_projectId = project->id;
    QVERIFY_RESULT(m_fixture->packages().publish(
        TestSupport::publishRequest(m_projectId, u"@acme/core"_s, u"1.0.0"_s)));
}

void tst_DropPublish::cleanupTestCase()
{
    m_fixture.close();
}

QString tst_DropPublish::writeFile(const QString &name, const QByteArray &content)
{
    const QString path = m_files.filePath(name);
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(content) != content.size()) {
        return {};
    }
    return path;
}

void tst_DropPublish::dropPreflightPublish()
{
    MainWindow window(m_fixture.registry());
    QSignalSpy loaded(&window, &MainWindow::packagesLoaded);
    window.show();
    QVERIFY(loaded.wait(10000));
    QTRY_COMPARE(window.findChild<QTableView *>(u"packageTable"_s)->model()->rowCount(), 1);

    const QByteArray withScript =
        R"({"name":"@acme/new","version":"2.1.0","scripts":{"postinstall":"node setup.js"}})";
    const QStringList files = {
        writeFile(
            u"acme-new-2.1.0.tgz"_s,
            TestSupport::makeTarball(u"@acme/new"_s,
                                     u"2.1.0"_s,
                                     {},
                                     {{u"package.json"_s, withScript}, {u"lib/a.js"_s, "1;"}})),
        writeFile(u"acme-core-1.0.0.tgz"_s,
                  TestSupport::makeTarball(u"@acme/core"_s, u"1.0.0"_s, u"again"_s)),
        writeFile(u"notes.tgz"_s, "these are not a tarball"),
        writeFile(u"other-x-0.1.0.tgz"_s, TestSupport::makeTarball(u"@other/x"_s, u"0.1.0"_s)),
    };
    for (const QString &file : files) {
        QVERIFY(!file.isEmpty());
    }

    // What the desktop sends when the files are dropped on the window.
    QMimeData mime;
    QList<QUrl> urls;
    for (const QString &file : files) {
        urls.append(QUrl::fromLocalFile(file));
    }
    mime.setUrls(urls);
    const QPoint centre = window.rect().center();
    QDragEnterEvent enter(centre, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(&window, &enter);
    QVERIFY(enter.isAccepted());
    QDropEvent drop(centre, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(&window, &drop);
    QTRY_VERIFY(window.findChild<PublishDialog *>(u"publishDialog"_s));
    auto *dialog = window.findChild<PublishDialog *>(u"publishDialog"_s);
    QSignalSpy checked(dialog, &PublishDialog::checked);
    QVERIFY(!dialog->preflights().isEmpty() || checked.wait(10000));
    QTRY_COMPARE(dialog->preflights().size(), 4);

    const QList<TarballPreflight> &preflights = dialog->preflights();
    QVERIFY(preflights.at(0).publishable());
    QCOMPARE(preflights.at(0).name, u"@acme/new"_s);
    QCOMPARE(preflights.at(0).installScripts, QStringList{u"postinstall"_s});
    QCOMPARE(preflights.at(0).fileCount, 3);
    QCOMPARE(preflights.at(1).problem,
             u"@acme/core 1.0.0 is already in acme/core: publish a new version"_s);
    QVERIFY2(preflights.at(2).problem.contains(u"not a gzip-compressed tar archive"_s),
             qPrintable(preflights.at(2).problem));
    QVERIFY(preflights.at(3).publishable());
    QVERIFY(preflights.at(3).warning.contains(u"@acme"_s));
    auto *table = dialog->findChild<QTableWidget *>(u"preflightTable"_s);
    QCOMPARE(table->item(0, 4)->text(), u"postinstall"_s);
    QVERIFY(table->item(1, 5)->text().startsWith(u"cannot publish: "_s));

    // A dist-tag that reads as a version is refused before anything is sent.
    auto *publish = dialog->findChild<QPushButton *>(u"publishButton"_s);
    dialog->setDistTag(u"1.0.0"_s);
    QVERIFY(!publish->isEnabled());
    dialog->setDistTag(u"next"_s);
    QVERIFY(publish->isEnabled());

    QSignalSpy finished(dialog, &PublishDialog::finished);
    publish->click();
    QVERIFY(finished.wait(10000));
    QCOMPARE(finished.first().first().toInt(), 2);
    QCOMPARE(table->item(0, 5)->text(), u"published"_s);
    QCOMPARE(table->item(3, 5)->text(), u"published"_s);
    QVERIFY(table->item(1, 5)->text().startsWith(u"cannot publish"_s));

    // In the store, with the tag; the refused ones are not.
    const Result<QList<DistTag>> tags =
        m_fixture->packages().store().distTags(m_projectId, u"@acme/new"_s);
    QVERIFY_RESULT(tags);
    QCOMPARE(tags->size(), 1);
    QCOMPARE(tags->first().tag, u"next"_s);
    QCOMPARE(tags->first().version, u"2.1.0"_s);
    const Result<QList<Package>> core =
        m_fixture->packages().store().packagesInProject(m_projectId, u"@acme/core"_s);
    QVERIFY_RESULT(core);
    QCOMPARE(core->size(), 1);
    // And in the window's table, without a reload.
    const QAbstractItemModel *model = window.findChild<QTableView *>(u"packageTable"_s)->model();
    QTRY_COMPARE(model->rowCount(), 3);
}

QTEST_MAIN(tst_DropPublish)
#include "tst_droppublish.moc"
