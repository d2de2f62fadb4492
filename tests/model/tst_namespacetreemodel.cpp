// SPDX-License-Identifier: GPL-3.0-or-later
#include "model/itemmodels/namespacetreemodel.h"

#include "testsupport.h"

#include <QAbstractItemModelTester>
#include <QPersistentModelIndex>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Trove;
using TestSupport::RegistryFixture;

namespace {

// The tree as a user reads it: "All packages[acme[core,web],beta]" (names in view order).
QString describe(const QAbstractItemModel &model, const QModelIndex &parent = {})
{
    QStringList rows;
    for (int row = 0; row < model.rowCount(parent); ++row) {
        const QModelIndex index = model.index(row, 0, parent);
        QString text = index.data().toString();
        if (model.rowCount(index) > 0) {
            text += u'[' + describe(model, index) + u']';
        }
        rows.append(text);
    }
    return rows.join(u',');
}

// The forwarding column beside each name: "acme=proxy,core=proxy,beta=" (depth first).
QString badges(const QAbstractItemModel &model, const QModelIndex &parent = {})
{
    QStringList rows;
    for (int row = 0; row < model.rowCount(parent); ++row) {
        const QModelIndex index = model.index(row, NamespaceTreeModel::NameColumn, parent);
        rows.append(
            index.data().toString() + u'='
            + model.index(row, NamespaceTreeModel::ForwardingColumn, parent).data().toString());
        if (model.rowCount(index) > 0) {
            rows.append(badges(model, index));
        }
    }
    return rows.join(u',');
}

enum class Op {
    None,
    CreateGroup,
    CreateProject,
    RenameGroup,
    RenameProject,
    DeleteGroup,
    DeleteProject,
    SwitchOffPackages
};

} // namespace

class tst_NamespaceTreeModel : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void emptyStoreShowsAllPackages();
    void changesUpdateRowsInPlace_data();
    void changesUpdateRowsInPlace();
    void roles();
    void projectsUnder();
    void forwardingColumn();

private:
    bool reload();

    RegistryFixture m_fixture;
    NamespaceTreeModel *m_model = nullptr;
    QAbstractItemModelTester *m_tester = nullptr;
};

void tst_NamespaceTreeModel::init()
{
    QVERIFY2(m_fixture.open(), qPrintable(m_fixture.error()));
    m_model = new NamespaceTreeModel(this);
    m_tester = new QAbstractItemModelTester(m_model,
                                            QAbstractItemModelTester::FailureReportingMode::QtTest);
}

void tst_NamespaceTreeModel::cleanup()
{
    delete m_tester;
    m_tester = nullptr;
    delete m_model;
    m_model = nullptr;
    m_fixture.close();
}

bool tst_NamespaceTreeModel::reload()
{
    const Result<NamespaceTreeModel::Snapshot> snapshot =
        NamespaceTreeModel::load(m_fixture->database());
    if (!snapshot) {
        qWarning("load: %s", qPrintable(snapshot.error().message));
        return false;
    }
    m_model->setSnapshot(*snapshot);
    return true;
}

void tst_NamespaceTreeModel::emptyStoreShowsAllPackages()
{
    QVERIFY(reload());
    QCOMPARE(describe(*m_model), u"All packages"_s);
    QCOMPARE(m_model->allIndex().data().toString(), u"All packages"_s);
    QCOMPARE(m_model->headerData(0, Qt::Horizontal).toString(), u"Groups and projects"_s);
}

void tst_NamespaceTreeModel::changesUpdateRowsInPlace_data()
{
    QTest::addColumn<Op>("op");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("argument");
    QTest::addColumn<QString>("expected");
    // The node whose row must survive the change (selection and expansion stay on it).
    QTest::addColumn<QString>("kept");

    const QString before = u"All packages[acme[core,tools[cli],web],beta]"_s;
    QTest::newRow("nothing changed") << Op::None << QString() << QString() << before << u"web"_s;
    QTest::newRow("new top-level group sorts in")
        << Op::CreateGroup << u"alpha"_s << QString()
        << u"All packages[acme[core,tools[cli],web],alpha,beta]"_s << u"core"_s;
    QTest::newRow("new subgroup") << Op::CreateGroup << u"beta/inner"_s << QString()
                                  << u"All packages[acme[core,tools[cli],web],beta[inner]]"_s
                                  << u"beta"_s;
    QTest::newRow("new project among the others")
        << Op::CreateProject << u"acme/docs"_s << QString()
        << u"All packages[acme[core,docs,tools[cli],web],beta]"_s << u"web"_s;
    QTest::newRow("renamed project moves among its siblings")
        << Op::RenameProject << u"acme/web"_s << u"app"_s
        << u"All packages[acme[app,core,tools[cli]],beta]"_s << u"app"_s;
    QTest::newRow("renamed group keeps what is in it")
        << Op::RenameGroup << u"acme/tools"_s << u"aaa"_s
        << u"All packages[acme[aaa[cli],core,web],beta]"_s << u"cli"_s;
    QTest::newRow("renamed top-level group")
        << Op::RenameGroup << u"beta"_s << u"able"_s
        << u"All packages[able,acme[core,tools[cli],web]]"_s << u"able"_s;
    QTest::newRow("deleted project") << Op::DeleteProject << u"acme/core"_s << QString()
                                     << u"All packages[acme[tools[cli],web],beta]"_s << u"web"_s;
    QTest::newRow("deleted group with what is in it")
        << Op::DeleteGroup << u"acme/tools"_s << QString() << u"All packages[acme[core,web],beta]"_s
        << u"core"_s;
    QTest::newRow("registry switched off: same rows")
        << Op::SwitchOffPackages << u"acme/core"_s << QString() << before << u"core"_s;
}

void tst_NamespaceTreeModel::changesUpdateRowsInPlace()
{
    QFETCH(Op, op);
    QFETCH(QString, path);
    QFETCH(QString, argument);
    QFETCH(QString, expected);
    QFETCH(QString, kept);

    NamespaceService &namespaces = m_fixture->namespaces();
    for (const QString &group : {u"acme"_s, u"acme/tools"_s, u"beta"_s}) {
        QVERIFY_RESULT(namespaces.createGroup(group));
    }
    for (const QString &project : {u"acme/web"_s, u"acme/core"_s, u"acme/tools/cli"_s}) {
        QVERIFY_RESULT(namespaces.createProject(project));
    }
    QVERIFY(reload());
    QCOMPARE(describe(*m_model), u"All packages[acme[core,tools[cli],web],beta]"_s);

    // The kept node by its id, followed through the change as a view's current item would be.
    const QModelIndexList keptBefore = m_model->match(m_model->allIndex(),
                                                      Qt::DisplayRole,
                                                      kept == u"app"_s        ? u"web"_s
                                                          : kept == u"able"_s ? u"beta"_s
                                                                              : kept,
                                                      1,
                                                      Qt::MatchExactly | Qt::MatchRecursive);
    QCOMPARE(keptBefore.size(), 1);
    const QPersistentModelIndex keptIndex(keptBefore.first());
    const auto keptKind = keptIndex.data(NamespaceTreeModel::KindRole).toInt();
    const qint64 keptId = keptIndex.data(NamespaceTreeModel::IdRole).toLongLong();
    QSignalSpy resets(m_model, &QAbstractItemModel::modelReset);

    switch (op) {
    case Op::None:
        break;
    case Op::CreateGroup:
        QVERIFY_RESULT(namespaces.createGroup(path));
        break;
    case Op::CreateProject:
        QVERIFY_RESULT(namespaces.createProject(path));
        break;
    case Op::RenameGroup:
        QVERIFY_RESULT(namespaces.renameGroup(namespaces.findGroup(path)->id, argument));
        break;
    case Op::RenameProject:
        QVERIFY_RESULT(namespaces.renameProject(namespaces.findProject(path)->id, argument));
        break;
    case Op::DeleteGroup:
        QVERIFY_RESULT(
            namespaces.deleteGroup(namespaces.findGroup(path)->id, true, m_fixture->blobs()));
        break;
    case Op::DeleteProject:
        QVERIFY_RESULT(
            namespaces.deleteProject(namespaces.findProject(path)->id, m_fixture->blobs()));
        break;
    case Op::SwitchOffPackages:
        QVERIFY_RESULT(namespaces.setPackagesEnabled(namespaces.findProject(path)->id, false));
        break;
    }
    QVERIFY(reload());
    QCOMPARE(describe(*m_model), expected);
    QCOMPARE(resets.size(), 0);
    QVERIFY(keptIndex.isValid());
    QCOMPARE(keptIndex.data().toString(), kept);
    QCOMPARE(keptIndex.data(NamespaceTreeModel::KindRole).toInt(), keptKind);
    QCOMPARE(keptIndex.data(NamespaceTreeModel::IdRole).toLongLong(), keptId);
    QCOMPARE(QModelIndex(keptIndex), m_model->indexOf(NamespaceTreeModel::Kind(keptKind), keptId));
}

void tst_NamespaceTreeModel::roles()
{
    NamespaceService &namespaces = m_fixture->namespaces();
    QVERIFY_RESULT(namespaces.createGroup(u"acme"_s, Visibility::Internal));
    const Result<Project> core = namespaces.createProject(u"acme/core"_s, Visibility::Private);
    QVERIFY_RESULT(core);
    QVERIFY_RESULT(namespaces.setPackagesEnabled(core->id, false));
    QVERIFY(reload());

    const QModelIndex acme = m_model->index(0, 0, m_model->allIndex());
    QCOMPARE(acme.data().toString(), u"acme"_s);
    QCOMPARE(acme.data(NamespaceTreeModel::KindRole).toInt(), int(NamespaceTreeModel::Kind::Group));
    QCOMPARE(acme.data(NamespaceTreeModel::PathRole).toString(), u"acme"_s);
    QCOMPARE(acme.data(NamespaceTreeModel::VisibilityRole).toInt(), int(Visibility::Internal));
    QVERIFY(acme.data(Qt::ToolTipRole).toString().startsWith(u"group acme, internal"_s));

    const QModelIndex project = m_model->index(0, 0, acme);
    QCOMPARE(project.data().toString(), u"core"_s);
    QCOMPARE(project.parent(), acme);
    QCOMPARE(project.data(NamespaceTreeModel::IdRole).toLongLong(), core->id);
    QCOMPARE(project.data(NamespaceTreeModel::PathRole).toString(), u"acme/core"_s);
    QCOMPARE(project.data(NamespaceTreeModel::PackagesEnabledRole).toBool(), false);
    QVERIFY(project.data(Qt::ToolTipRole).toString().contains(u"switched off"_s));
    QCOMPARE(m_model->indexOf(NamespaceTreeModel::Kind::Project, core->id), project);
    QVERIFY(!m_model->indexOf(NamespaceTreeModel::Kind::Group, core->id + 1000).isValid());
}

void tst_NamespaceTreeModel::projectsUnder()
{
    NamespaceService &namespaces = m_fixture->namespaces();
    QVERIFY_RESULT(namespaces.createGroup(u"acme"_s));
    QVERIFY_RESULT(namespaces.createGroup(u"acme/tools"_s));
    QVERIFY_RESULT(namespaces.createGroup(u"beta"_s));
    const qint64 web = namespaces.createProject(u"acme/web"_s)->id;
    const qint64 cli = namespaces.createProject(u"acme/tools/cli"_s)->id;
    const qint64 app = namespaces.createProject(u"beta/app"_s)->id;
    QVERIFY(reload());

    QCOMPARE(m_model->projectsUnder(m_model->allIndex()), (QSet<qint64>{web, cli, app}));
    const qint64 acme = namespaces.findGroup(u"acme"_s)->id;
    const qint64 tools = namespaces.findGroup(u"acme/tools"_s)->id;
    QCOMPARE(m_model->projectsUnder(m_model->indexOf(NamespaceTreeModel::Kind::Group, acme)),
             (QSet<qint64>{web, cli}));
    QCOMPARE(m_model->projectsUnder(m_model->indexOf(NamespaceTreeModel::Kind::Group, tools)),
             QSet<qint64>{cli});
    QCOMPARE(m_model->projectsUnder(m_model->indexOf(NamespaceTreeModel::Kind::Project, app)),
             QSet<qint64>{app});
}

void tst_NamespaceTreeModel::forwardingColumn()
{
    NamespaceService &namespaces = m_fixture->namespaces();
    SettingsService &settings = m_fixture->settings();
    QVERIFY_RESULT(namespaces.createGroup(u"acme"_s));
    QVERIFY_RESULT(namespaces.createGroup(u"beta"_s));
    QVERIFY_RESULT(namespaces.createProject(u"acme/core"_s));
    QVERIFY_RESULT(namespaces.createProject(u"beta/app"_s));

    QVERIFY_RESULT(settings.setInstanceForwardingMode(SettingsService::ForwardingMode::Off));
    QVERIFY_RESULT(settings.setUpstream(u"http://127.0.0.1:4999/"_s));
    QVERIFY(reload());
    QCOMPARE(m_model->snapshot().upstreamHost, u"127.0.0.1:4999"_s);
    QCOMPARE(badges(*m_model), u"All packages=,acme=,core=,beta=,app="_s);

    // A group's proxy reaches its projects, not the other group.
    const qint64 acme = namespaces.findGroup(u"acme"_s)->id;
    QVERIFY_RESULT(settings.setGroupForwardingMode(acme, SettingsService::ForwardingMode::Proxy));
    QSignalSpy changes(m_model, &QAbstractItemModel::dataChanged);
    QVERIFY(reload());
    QCOMPARE(badges(*m_model), u"All packages=,acme=proxy,core=proxy,beta=,app="_s);
    QVERIFY(!changes.isEmpty());
    const QModelIndex core = m_model->indexOf(NamespaceTreeModel::Kind::Project,
                                              namespaces.findProject(u"acme/core"_s)->id);
    QCOMPARE(core.data(NamespaceTreeModel::ForwardingRole).toInt(),
             int(SettingsService::ForwardingMode::Proxy));
    QVERIFY(core.siblingAtColumn(NamespaceTreeModel::ForwardingColumn)
                .data(Qt::ToolTipRole)
                .toString()
                .contains(u"upstream"_s));
    QVERIFY(core.data(Qt::ToolTipRole).toString().endsWith(u"private"_s));

    // The instance's redirect shows on All and on what has no setting of its own.
    QVERIFY_RESULT(settings.setInstanceForwardingMode(SettingsService::ForwardingMode::Redirect));
    QVERIFY(reload());
    QCOMPARE(badges(*m_model),
             u"All packages=redirect,acme=proxy,core=proxy,beta=redirect,app=redirect"_s);
}

QTEST_GUILESS_MAIN(tst_NamespaceTreeModel)
#include "tst_namespacetreemodel.moc"
