// SPDX-License-Identifier: GPL-3.0-or-later
// Groups, subgroups, projects, users and memberships on a real SQLite file.

#include "model/registry.h"

#include "testsupport.h"

#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Trove;
using TestSupport::RegistryFixture;

Q_DECLARE_METATYPE(Trove::Error::Code)
Q_DECLARE_METATYPE(Trove::Visibility)
Q_DECLARE_METATYPE(Trove::AccessLevel)

class tst_NamespaceService : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void createGroup_data();
    void createGroup();
    void createProject_data();
    void createProject();
    void findByIdAndPath();
    void createUser_data();
    void createUser();
    void addMember_data();
    void addMember();
    void inheritedRole_data();
    void inheritedRole();
    void renameMovesWhatIsUnder();
    void renameRefusals();
    void visibilityOrder();

private:
    RegistryFixture m_fixture;
};

void tst_NamespaceService::init()
{
    QVERIFY2(m_fixture.open(), qPrintable(m_fixture.error()));
    NamespaceService &namespaces = m_fixture->namespaces();
    QVERIFY_RESULT(namespaces.createGroup(u"acme"_s, Visibility::Internal));
    QVERIFY_RESULT(namespaces.createGroup(u"acme/team"_s, Visibility::Internal));
    QVERIFY_RESULT(namespaces.createProject(u"acme/app"_s, Visibility::Internal));
    QVERIFY_RESULT(namespaces.createGroup(u"open"_s, Visibility::Public));
    QVERIFY_RESULT(m_fixture->users().createUser(u"ada"_s));
}

void tst_NamespaceService::cleanup()
{
    m_fixture.close();
}

void tst_NamespaceService::createGroup_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<Visibility>("visibility");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<Error::Code>("code");

    const auto ok = [](const char *name, const QString &path, Visibility v = Visibility::Private) {
        QTest::addRow("%s", name) << path << v << true << Error::Code::Invalid;
    };
    const auto bad = [](const char *name,
                        const QString &path,
                        Error::Code code,
                        Visibility v = Visibility::Private) {
        QTest::addRow("%s", name) << path << v << false << code;
    };
    ok("top level", u"widgets"_s);
    ok("one character", u"w"_s);
    ok("underscore first", u"_w"_s);
    ok("digits dots dashes", u"w-1.2_x"_s);
    ok("upper case", u"Widgets"_s);
    ok("255 characters", QString(255, u'a'));
    ok("subgroup", u"acme/frontend"_s);
    ok("subgroup of subgroup", u"acme/team/frontend"_s);
    ok("subgroup as visible as parent", u"acme/frontend"_s, Visibility::Internal);
    ok("subgroup less visible than parent", u"open/private"_s, Visibility::Private);
    ok("top level public", u"pub"_s, Visibility::Public);
    ok("parent path in other case", u"ACME/frontend"_s);

    bad("empty", u""_s, Error::Code::Invalid);
    bad("leading dash", u"-w"_s, Error::Code::Invalid);
    bad("leading dot", u".w"_s, Error::Code::Invalid);
    bad("ends in .git", u"w.git"_s, Error::Code::Invalid);
    bad("ends in .GIT", u"w.GIT"_s, Error::Code::Invalid);
    bad("ends in .atom", u"w.atom"_s, Error::Code::Invalid);
    bad("space", u"a b"_s, Error::Code::Invalid);
    bad("non-ASCII letter", u"caf\u00e9"_s, Error::Code::Invalid);
    bad("at sign", u"@acme"_s, Error::Code::Invalid);
    bad("256 characters", QString(256, u'a'), Error::Code::Invalid);
    // $ in a pattern matches before a final newline; these must still be refused.
    bad("trailing newline", u"widgets\n"_s, Error::Code::Invalid);
    bad("trailing carriage return", u"widgets\r"_s, Error::Code::Invalid);
    bad("trailing CR LF", u"widgets\r\n"_s, Error::Code::Invalid);
    bad("newline only", u"\n"_s, Error::Code::Invalid);
    bad("leading newline", u"\nwidgets"_s, Error::Code::Invalid);
    bad("subgroup with trailing newline", u"acme/frontend\n"_s, Error::Code::Invalid);
    bad("parent with trailing newline", u"acme\n/frontend"_s, Error::Code::Invalid);
    bad("trailing slash", u"acme/"_s, Error::Code::Invalid);
    bad("leading slash", u"/acme"_s, Error::Code::Invalid);
    bad("double slash", u"acme//x"_s, Error::Code::Invalid);
    bad("dot dot segment", u"acme/../x"_s, Error::Code::Invalid);
    bad("duplicate", u"acme"_s, Error::Code::Conflict);
    bad("duplicate in other case", u"ACME"_s, Error::Code::Conflict);
    bad("duplicate subgroup in other case", u"acme/TEAM"_s, Error::Code::Conflict);
    bad("path of a project", u"acme/APP"_s, Error::Code::Conflict);
    bad("parent missing", u"nope/x"_s, Error::Code::NotFound);
    bad("grandparent path missing", u"acme/nope/x"_s, Error::Code::NotFound);
    bad("public under internal", u"acme/x"_s, Error::Code::Invalid, Visibility::Public);
    bad("public under internal subgroup",
        u"acme/team/x"_s,
        Error::Code::Invalid,
        Visibility::Public);
}

void tst_NamespaceService::createGroup()
{
    QFETCH(QString, path);
    QFETCH(Visibility, visibility);
    QFETCH(bool, ok);
    QFETCH(Error::Code, code);

    QSignalSpy changed(&m_fixture->events(), &Events::namespacesChanged);
    const QString before = TestSupport::dumpDatabase(m_fixture.connection());
    const Result<Group> group = m_fixture->namespaces().createGroup(path, visibility);
    if (!ok) {
        QVERIFY(!group);
        QCOMPARE(group.error().code, code);
        QCOMPARE(changed.count(), 0);
        QCOMPARE(TestSupport::dumpDatabase(m_fixture.connection()), before);
        return;
    }
    QVERIFY_RESULT(group);
    QCOMPARE(changed.count(), 1);
    QVERIFY(group->id > 0);
    QCOMPARE(group->path, path.section(u'/', -1));
    QCOMPARE(group->name, group->path);
    QCOMPARE(group->visibility, visibility);
    const Result<Group> found = m_fixture->namespaces().findGroup(group->fullPath);
    QVERIFY_RESULT(found);
    QCOMPARE(found->id, group->id);
    if (path.contains(u'/')) {
        const Result<Group> parent = m_fixture->namespaces().findGroup(path.section(u'/', 0, -2));
        QVERIFY_RESULT(parent);
        QCOMPARE(group->parentId, parent->id);
        // The full path keeps the parent's stored spelling.
        QCOMPARE(group->fullPath, parent->fullPath + u'/' + group->path);
    } else {
        QCOMPARE(group->parentId, 0);
        QCOMPARE(group->fullPath, path);
    }
}

void tst_NamespaceService::createProject_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<Visibility>("visibility");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<Error::Code>("code");

    QTest::addRow("in top-level group")
        << u"acme/widgets"_s << Visibility::Private << true << Error::Code::Invalid;
    QTest::addRow("in subgroup") << u"acme/team/widgets"_s << Visibility::Internal << true
                                 << Error::Code::Invalid;
    QTest::addRow("public in public group")
        << u"open/site"_s << Visibility::Public << true << Error::Code::Invalid;
    QTest::addRow("same leaf as a group elsewhere")
        << u"acme/team/team"_s << Visibility::Private << true << Error::Code::Invalid;
    QTest::addRow("top level") << u"widgets"_s << Visibility::Private << false
                               << Error::Code::Invalid;
    QTest::addRow("group missing")
        << u"nope/widgets"_s << Visibility::Private << false << Error::Code::NotFound;
    QTest::addRow("more visible than group")
        << u"acme/widgets"_s << Visibility::Public << false << Error::Code::Invalid;
    QTest::addRow("duplicate") << u"acme/app"_s << Visibility::Private << false
                               << Error::Code::Conflict;
    QTest::addRow("duplicate in other case")
        << u"Acme/App"_s << Visibility::Private << false << Error::Code::Conflict;
    QTest::addRow("path of a group")
        << u"acme/team"_s << Visibility::Private << false << Error::Code::Conflict;
    QTest::addRow("invalid leaf") << u"acme/-x"_s << Visibility::Private << false
                                  << Error::Code::Invalid;
    QTest::addRow("ends in .git") << u"acme/x.git"_s << Visibility::Private << false
                                  << Error::Code::Invalid;
    QTest::addRow("empty") << u""_s << Visibility::Private << false << Error::Code::Invalid;
    QTest::addRow("leaf with trailing newline")
        << u"acme/widgets\n"_s << Visibility::Private << false << Error::Code::Invalid;
    QTest::addRow("leaf with trailing carriage return")
        << u"acme/widgets\r"_s << Visibility::Private << false << Error::Code::Invalid;
    QTest::addRow("group with trailing newline")
        << u"acme\n/widgets"_s << Visibility::Private << false << Error::Code::Invalid;
}

void tst_NamespaceService::createProject()
{
    QFETCH(QString, path);
    QFETCH(Visibility, visibility);
    QFETCH(bool, ok);
    QFETCH(Error::Code, code);

    QSignalSpy changed(&m_fixture->events(), &Events::namespacesChanged);
    const QString before = TestSupport::dumpDatabase(m_fixture.connection());
    const Result<Project> project = m_fixture->namespaces().createProject(path, visibility);
    if (!ok) {
        QVERIFY(!project);
        QCOMPARE(project.error().code, code);
        QCOMPARE(changed.count(), 0);
        QCOMPARE(TestSupport::dumpDatabase(m_fixture.connection()), before);
        return;
    }
    QVERIFY_RESULT(project);
    QCOMPARE(changed.count(), 1);
    QCOMPARE(project->fullPath, path);
    QCOMPARE(project->path, path.section(u'/', -1));
    QCOMPARE(project->rootNamespacePath(), path.section(u'/', 0, 0));
    const Result<Group> group = m_fixture->namespaces().findGroup(path.section(u'/', 0, -2));
    QVERIFY_RESULT(group);
    QCOMPARE(project->namespaceId, group->id);
}

void tst_NamespaceService::findByIdAndPath()
{
    NamespaceService &namespaces = m_fixture->namespaces();
    const Result<Project> project = namespaces.findProject(u"acme/app"_s);
    QVERIFY_RESULT(project);
    const Result<Project> byId = namespaces.findProject(QString::number(project->id));
    QVERIFY_RESULT(byId);
    QCOMPARE(byId->fullPath, u"acme/app"_s);
    const Result<Project> otherCase = namespaces.findProject(u"ACME/App"_s);
    QVERIFY_RESULT(otherCase);
    QCOMPARE(otherCase->id, project->id);
    QCOMPARE(otherCase->fullPath, u"acme/app"_s);

    const Result<Group> team = namespaces.findGroup(u"acme/team"_s);
    QVERIFY_RESULT(team);
    const Result<Group> teamById = namespaces.findGroup(QString::number(team->id));
    QVERIFY_RESULT(teamById);
    QCOMPARE(teamById->fullPath, u"acme/team"_s);

    QCOMPARE(namespaces.findProject(u"acme/nope"_s).error().code, Error::Code::NotFound);
    QCOMPARE(namespaces.findProject(u"999"_s).error().code, Error::Code::NotFound);
    QCOMPARE(namespaces.findGroup(u"acme/app"_s).error().code, Error::Code::NotFound);
    QCOMPARE(namespaces.findProject(u"acme/team"_s).error().code, Error::Code::NotFound);
    QCOMPARE(namespaces.findGroup(u"999"_s).error().code, Error::Code::NotFound);
}

void tst_NamespaceService::createUser_data()
{
    QTest::addColumn<QString>("username");
    QTest::addColumn<bool>("admin");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<Error::Code>("code");

    QTest::addRow("plain") << u"grace"_s << false << true << Error::Code::Invalid;
    QTest::addRow("admin") << u"root"_s << true << true << Error::Code::Invalid;
    QTest::addRow("dots dashes digits") << u"g.r-4_ce"_s << false << true << Error::Code::Invalid;
    QTest::addRow("empty") << u""_s << false << false << Error::Code::Invalid;
    QTest::addRow("leading dash") << u"-grace"_s << false << false << Error::Code::Invalid;
    QTest::addRow("leading dot") << u".grace"_s << false << false << Error::Code::Invalid;
    QTest::addRow("space") << u"gr ace"_s << false << false << Error::Code::Invalid;
    QTest::addRow("slash") << u"gr/ace"_s << false << false << Error::Code::Invalid;
    QTest::addRow("ends in .git") << u"grace.git"_s << false << false << Error::Code::Invalid;
    QTest::addRow("256 characters") << QString(256, u'g') << false << false << Error::Code::Invalid;
    QTest::addRow("trailing newline") << u"grace\n"_s << false << false << Error::Code::Invalid;
    QTest::addRow("trailing carriage return")
        << u"grace\r"_s << false << false << Error::Code::Invalid;
    QTest::addRow("newline only") << u"\n"_s << false << false << Error::Code::Invalid;
    QTest::addRow("duplicate") << u"ada"_s << false << false << Error::Code::Conflict;
    QTest::addRow("duplicate in other case") << u"ADA"_s << true << false << Error::Code::Conflict;
}

void tst_NamespaceService::createUser()
{
    QFETCH(QString, username);
    QFETCH(bool, admin);
    QFETCH(bool, ok);
    QFETCH(Error::Code, code);

    QSignalSpy changed(&m_fixture->events(), &Events::usersChanged);
    const QString before = TestSupport::dumpDatabase(m_fixture.connection());
    const Result<User> user = m_fixture->users().createUser(username, admin);
    if (!ok) {
        QVERIFY(!user);
        QCOMPARE(user.error().code, code);
        QCOMPARE(changed.count(), 0);
        QCOMPARE(TestSupport::dumpDatabase(m_fixture.connection()), before);
        return;
    }
    QVERIFY_RESULT(user);
    QCOMPARE(changed.count(), 1);
    const Result<User> stored = m_fixture->users().store().userByName(username.toUpper());
    QVERIFY_RESULT(stored);
    QCOMPARE(stored->id, user->id);
    QCOMPARE(stored->username, username);
    QCOMPARE(stored->admin, admin);
}

void tst_NamespaceService::addMember_data()
{
    QTest::addColumn<QString>("username");
    QTest::addColumn<QString>("path");
    QTest::addColumn<bool>("group");
    QTest::addColumn<AccessLevel>("level");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<Error::Code>("code");

    QTest::addRow("group guest") << u"ada"_s << u"acme"_s << true << AccessLevel::Guest << true
                                 << Error::Code::Invalid;
    QTest::addRow("project owner")
        << u"ada"_s << u"acme/app"_s << false << AccessLevel::Owner << true << Error::Code::Invalid;
    QTest::addRow("username in other case")
        << u"ADA"_s << u"acme/team"_s << true << AccessLevel::Developer << true
        << Error::Code::Invalid;
    QTest::addRow("role none") << u"ada"_s << u"acme"_s << true << AccessLevel::None << false
                               << Error::Code::Invalid;
    QTest::addRow("role admin") << u"ada"_s << u"acme"_s << true << AccessLevel::Admin << false
                                << Error::Code::Invalid;
    QTest::addRow("unknown role number")
        << u"ada"_s << u"acme/app"_s << false << AccessLevel(35) << false << Error::Code::Invalid;
    QTest::addRow("unknown user") << u"bob"_s << u"acme"_s << true << AccessLevel::Guest << false
                                  << Error::Code::NotFound;
    QTest::addRow("unknown group")
        << u"ada"_s << u"nope"_s << true << AccessLevel::Guest << false << Error::Code::NotFound;
    QTest::addRow("unknown project") << u"ada"_s << u"acme/nope"_s << false << AccessLevel::Guest
                                     << false << Error::Code::NotFound;
    QTest::addRow("project path as group") << u"ada"_s << u"acme/app"_s << true
                                           << AccessLevel::Guest << false << Error::Code::NotFound;
}

void tst_NamespaceService::addMember()
{
    QFETCH(QString, username);
    QFETCH(QString, path);
    QFETCH(bool, group);
    QFETCH(AccessLevel, level);
    QFETCH(bool, ok);
    QFETCH(Error::Code, code);

    UserService &users = m_fixture->users();
    QSignalSpy changed(&m_fixture->events(), &Events::usersChanged);
    const QString before = TestSupport::dumpDatabase(m_fixture.connection());
    const Result<void> added = group ? users.addGroupMember(username, path, level)
                                     : users.addProjectMember(username, path, level);
    if (!ok) {
        QVERIFY(!added);
        QCOMPARE(added.error().code, code);
        QCOMPARE(changed.count(), 0);
        QCOMPARE(TestSupport::dumpDatabase(m_fixture.connection()), before);
        return;
    }
    QVERIFY_RESULT(added);
    QCOMPARE(changed.count(), 1);
    const Result<User> ada = users.store().userByName(u"ada"_s);
    QVERIFY_RESULT(ada);
    const Result<QList<Membership>> memberships = users.store().memberships(ada->id);
    QVERIFY_RESULT(memberships);
    QCOMPARE(memberships->size(), 1);
    QCOMPARE(memberships->first().accessLevel, level);

    // Adding again changes the role instead of adding a second membership.
    const Result<void> again = group
        ? users.addGroupMember(username, path, AccessLevel::Reporter)
        : users.addProjectMember(username, path, AccessLevel::Reporter);
    QVERIFY_RESULT(again);
    const Result<QList<Membership>> after = users.store().memberships(ada->id);
    QVERIFY_RESULT(after);
    QCOMPARE(after->size(), 1);
    QCOMPARE(after->first().accessLevel, AccessLevel::Reporter);
}

void tst_NamespaceService::inheritedRole_data()
{
    // Memberships as "path=role" (a path with two slashes or "acme/app" is a project).
    QTest::addColumn<QStringList>("memberships");
    QTest::addColumn<QString>("project");
    QTest::addColumn<AccessLevel>("expected");

    QTest::addRow("none") << QStringList{} << u"acme/team/lib"_s << AccessLevel::None;
    QTest::addRow("direct") << QStringList{u"acme/team/lib=developer"_s} << u"acme/team/lib"_s
                            << AccessLevel::Developer;
    QTest::addRow("from parent group")
        << QStringList{u"acme/team=maintainer"_s} << u"acme/team/lib"_s << AccessLevel::Maintainer;
    QTest::addRow("from root group")
        << QStringList{u"acme=reporter"_s} << u"acme/team/lib"_s << AccessLevel::Reporter;
    QTest::addRow("highest wins: group above direct")
        << QStringList{u"acme=owner"_s, u"acme/team/lib=guest"_s} << u"acme/team/lib"_s
        << AccessLevel::Owner;
    QTest::addRow("highest wins: direct above group")
        << QStringList{u"acme=guest"_s, u"acme/team/lib=maintainer"_s} << u"acme/team/lib"_s
        << AccessLevel::Maintainer;
    QTest::addRow("highest wins: subgroup above root")
        << QStringList{u"acme=reporter"_s, u"acme/team=developer"_s} << u"acme/team/lib"_s
        << AccessLevel::Developer;
    QTest::addRow("subgroup does not reach the root group's project")
        << QStringList{u"acme/team=owner"_s} << u"acme/app"_s << AccessLevel::None;
    QTest::addRow("sibling project does not count")
        << QStringList{u"acme/app=owner"_s} << u"acme/team/lib"_s << AccessLevel::None;
    QTest::addRow("other root group does not count")
        << QStringList{u"open=owner"_s} << u"acme/team/lib"_s << AccessLevel::None;
}

void tst_NamespaceService::inheritedRole()
{
    QFETCH(QStringList, memberships);
    QFETCH(QString, project);
    QFETCH(AccessLevel, expected);

    QVERIFY_RESULT(m_fixture->namespaces().createProject(u"acme/team/lib"_s));
    UserService &users = m_fixture->users();
    for (const QString &membership : std::as_const(memberships)) {
        const QString path = membership.section(u'=', 0, 0);
        const std::optional<AccessLevel> level = accessLevelFromName(membership.section(u'=', 1));
        QVERIFY(level);
        const bool isProject = path.count(u'/') == 2 || path == u"acme/app"_s;
        QVERIFY_RESULT(isProject ? users.addProjectMember(u"ada"_s, path, *level)
                                 : users.addGroupMember(u"ada"_s, path, *level));
    }
    const Result<Project> target = m_fixture->namespaces().findProject(project);
    QVERIFY_RESULT(target);
    const Result<User> ada = users.store().userByName(u"ada"_s);
    QVERIFY_RESULT(ada);
    const Result<AccessLevel> level = users.store().projectAccessLevel(ada->id, target->id);
    QVERIFY_RESULT(level);
    QCOMPARE(*level, expected);
}

// A group's new path carries its subgroups and projects with it; ids stay.
void tst_NamespaceService::renameMovesWhatIsUnder()
{
    NamespaceService &namespaces = m_fixture->namespaces();
    QVERIFY_RESULT(namespaces.createProject(u"acme/team/web"_s, Visibility::Internal));
    // A sibling whose path starts with the same letters must not move.
    QVERIFY_RESULT(namespaces.createGroup(u"acme/team_b"_s, Visibility::Internal));
    QVERIFY_RESULT(namespaces.createProject(u"acme/team_b/x"_s, Visibility::Internal));
    const qint64 team = namespaces.findGroup(u"acme/team"_s)->id;
    const qint64 web = namespaces.findProject(u"acme/team/web"_s)->id;
    QSignalSpy changed(&m_fixture->events(), &Events::namespacesChanged);
    QVERIFY_RESULT(namespaces.renameGroup(team, u"squad"_s));
    QCOMPARE(changed.count(), 1);
    QCOMPARE(namespaces.findGroup(QString::number(team))->fullPath, u"acme/squad"_s);
    QCOMPARE(namespaces.findProject(QString::number(web))->fullPath, u"acme/squad/web"_s);
    QCOMPARE(namespaces.findProject(u"acme/squad/web"_s)->id, web);
    QCOMPARE(namespaces.findProject(u"acme/team_b/x"_s)->fullPath, u"acme/team_b/x"_s);
    QVERIFY(!namespaces.findProject(u"acme/team/web"_s));

    const qint64 app = namespaces.findProject(u"acme/app"_s)->id;
    QVERIFY_RESULT(namespaces.renameProject(app, u"service"_s));
    QCOMPARE(namespaces.findProject(QString::number(app))->fullPath, u"acme/service"_s);
    // A top-level group without packages may be renamed too.
    const qint64 acme = namespaces.findGroup(u"acme"_s)->id;
    QVERIFY_RESULT(namespaces.renameGroup(acme, u"acme-corp"_s));
    QCOMPARE(namespaces.findProject(QString::number(web))->fullPath, u"acme-corp/squad/web"_s);
}

void tst_NamespaceService::renameRefusals()
{
    NamespaceService &namespaces = m_fixture->namespaces();
    const qint64 acme = namespaces.findGroup(u"acme"_s)->id;
    const qint64 team = namespaces.findGroup(u"acme/team"_s)->id;
    const qint64 app = namespaces.findProject(u"acme/app"_s)->id;
    const QString before = TestSupport::dumpDatabase(m_fixture.connection());
    QCOMPARE_ERROR(namespaces.renameGroup(team, u"app"_s), // the project's path
                   Error::Code::Conflict,
                   u"Path acme/app has already been taken"_s);
    QCOMPARE_ERROR(
        namespaces.renameGroup(team, u"-bad"_s),
        Error::Code::Invalid,
        u"Path can contain only letters, digits, '_', '-' and '.'; it cannot start with '-' or '.' or end in '.git' or '.atom'"_s);
    QCOMPARE_ERROR(namespaces.renameProject(app, u"team"_s),
                   Error::Code::Conflict,
                   u"Path acme/team has already been taken"_s);
    QCOMPARE_ERROR(
        namespaces.renameProject(app, u"x.git"_s),
        Error::Code::Invalid,
        u"Path can contain only letters, digits, '_', '-' and '.'; it cannot start with '-' or '.' or end in '.git' or '.atom'"_s);
    QCOMPARE(TestSupport::dumpDatabase(m_fixture.connection()), before);

    // The top-level group of a project with npm packages keeps its path: it is their scope.
    QVERIFY_RESULT(m_fixture->packages().publish(
        TestSupport::publishRequest(app, u"@acme/core"_s, u"1.0.0"_s)));
    const QString published = TestSupport::dumpDatabase(m_fixture.connection());
    QCOMPARE_ERROR(namespaces.renameGroup(acme, u"acme2"_s),
                   Error::Code::Invalid,
                   u"Group acme keeps its path: project acme/app holds npm packages, whose scope "
                   "is the top-level group's path"_s);
    QCOMPARE(TestSupport::dumpDatabase(m_fixture.connection()), published);
    // A subgroup or project under it may still move.
    QVERIFY_RESULT(namespaces.renameProject(app, u"application"_s));
}

void tst_NamespaceService::visibilityOrder()
{
    NamespaceService &namespaces = m_fixture->namespaces();
    const qint64 acme = namespaces.findGroup(u"acme"_s)->id;
    const qint64 team = namespaces.findGroup(u"acme/team"_s)->id;
    const qint64 app = namespaces.findProject(u"acme/app"_s)->id;
    // Not more visible than the parent; not less visible than what is inside.
    QCOMPARE_ERROR(namespaces.setGroupVisibility(team, Visibility::Public),
                   Error::Code::Invalid,
                   u"A subgroup cannot be more visible than its group acme (internal)"_s);
    QCOMPARE_ERROR(namespaces.setProjectVisibility(app, Visibility::Public),
                   Error::Code::Invalid,
                   u"A project cannot be more visible than its group acme (internal)"_s);
    QCOMPARE_ERROR(namespaces.setGroupVisibility(acme, Visibility::Private),
                   Error::Code::Invalid,
                   u"Subgroup acme/team is internal: make it less visible first"_s);
    QVERIFY_RESULT(namespaces.setGroupVisibility(team, Visibility::Private));
    QVERIFY_RESULT(namespaces.setProjectVisibility(app, Visibility::Private));
    QVERIFY_RESULT(namespaces.setGroupVisibility(acme, Visibility::Private));
    QCOMPARE(namespaces.findGroup(u"acme"_s)->visibility, Visibility::Private);
    QVERIFY_RESULT(namespaces.setGroupVisibility(acme, Visibility::Public));
    QVERIFY_RESULT(namespaces.setProjectVisibility(app, Visibility::Public));
    QCOMPARE(namespaces.findProject(u"acme/app"_s)->visibility, Visibility::Public);
}

QTEST_GUILESS_MAIN(tst_NamespaceService)
#include "tst_namespaceservice.moc"
