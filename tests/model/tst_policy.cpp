// SPDX-License-Identifier: GPL-3.0-or-later
// The access-policy matrix: actor kind × role × visibility × operation, with GitLab's answers
// (npm-protocol.md §2 and §6.2), first as a pure decision, then through a real store where roles
// are inherited from parent groups and tokens are real.

#include "model/registry.h"

#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Trove;

using Decision = AccessPolicy::Decision;
using Operation = AccessPolicy::Operation;
using Facts = AccessPolicy::Facts;

Q_DECLARE_METATYPE(Facts)

namespace {

const QList<AccessLevel> Roles = {AccessLevel::None,
                                  AccessLevel::Guest,
                                  AccessLevel::Reporter,
                                  AccessLevel::Developer,
                                  AccessLevel::Maintainer,
                                  AccessLevel::Owner};
const QList<Visibility> Visibilities = {
    Visibility::Public, Visibility::Internal, Visibility::Private};
const QList<Operation> Operations = {
    Operation::ReadPackage, Operation::CreatePackage, Operation::DestroyPackage};

Decision parse(QChar c)
{
    switch (c.unicode()) {
    case u'A':
        return Decision::Allow;
    case u'1':
        return Decision::Unauthorized;
    case u'3':
        return Decision::Forbidden;
    default:
        return Decision::NotFound;
    }
}

// A grid per operation: one line per role (none, guest, reporter, developer, maintainer, owner),
// one column per visibility (public, internal, private). A = allow, 1 = 401, 3 = 403, 4 = 404.
struct Grid
{
    const char *name;
    Actor::Kind kind;
    QStringList scopes;
    bool admin;
    bool covers;
    QStringList read, create, destroy;
};

const QList<Grid> &grids()
{
    static const QList<Grid> list = {
        // GitLab: anyone reads public packages; anonymous callers are told to authenticate.
        {"anonymous",
         Actor::Kind::Anonymous,
         {},
         false,
         false,
         {u"A11"_s, u"A11"_s, u"A11"_s, u"A11"_s, u"A11"_s, u"A11"_s},
         {u"111"_s, u"111"_s, u"111"_s, u"111"_s, u"111"_s, u"111"_s},
         {u"111"_s, u"111"_s, u"111"_s, u"111"_s, u"111"_s, u"111"_s}},
        // Pull: reporter on private, any user on internal; publish and tag: developer; remove a
        // tag, deprecate: maintainer. A project the caller cannot see is 404.
        {"personal token, api",
         Actor::Kind::User,
         {u"api"_s},
         false,
         false,
         {u"AA4"_s, u"AA3"_s, u"AAA"_s, u"AAA"_s, u"AAA"_s, u"AAA"_s},
         {u"334"_s, u"333"_s, u"333"_s, u"AAA"_s, u"AAA"_s, u"AAA"_s},
         {u"334"_s, u"333"_s, u"333"_s, u"333"_s, u"AAA"_s, u"AAA"_s}},
        // read_api allows GET and HEAD only: every write is insufficient_scope (403).
        {"personal token, read_api",
         Actor::Kind::User,
         {u"read_api"_s},
         false,
         false,
         {u"AA4"_s, u"AA3"_s, u"AAA"_s, u"AAA"_s, u"AAA"_s, u"AAA"_s},
         {u"333"_s, u"333"_s, u"333"_s, u"333"_s, u"333"_s, u"333"_s},
         {u"333"_s, u"333"_s, u"333"_s, u"333"_s, u"333"_s, u"333"_s}},
        {"administrator",
         Actor::Kind::User,
         {u"api"_s},
         true,
         false,
         {u"AAA"_s, u"AAA"_s, u"AAA"_s, u"AAA"_s, u"AAA"_s, u"AAA"_s},
         {u"AAA"_s, u"AAA"_s, u"AAA"_s, u"AAA"_s, u"AAA"_s, u"AAA"_s},
         {u"AAA"_s, u"AAA"_s, u"AAA"_s, u"AAA"_s, u"AAA"_s, u"AAA"_s}},
        // Deploy tokens: their scopes decide, on their own project or group.
        {"deploy token, read, own project",
         Actor::Kind::DeployToken,
         {u"read_package_registry"_s},
         false,
         true,
         {u"AAA"_s, u"AAA"_s, u"AAA"_s, u"AAA"_s, u"AAA"_s, u"AAA"_s},
         {u"333"_s, u"333"_s, u"333"_s, u"333"_s, u"333"_s, u"333"_s},
         {u"333"_s, u"333"_s, u"333"_s, u"333"_s, u"333"_s, u"333"_s}},
        {"deploy token, write, own project",
         Actor::Kind::DeployToken,
         {u"write_package_registry"_s},
         false,
         true,
         {u"AAA"_s, u"AAA"_s, u"AAA"_s, u"AAA"_s, u"AAA"_s, u"AAA"_s},
         {u"AAA"_s, u"AAA"_s, u"AAA"_s, u"AAA"_s, u"AAA"_s, u"AAA"_s},
         {u"AAA"_s, u"AAA"_s, u"AAA"_s, u"AAA"_s, u"AAA"_s, u"AAA"_s}},
        // Elsewhere a deploy token sees public projects only.
        {"deploy token, read+write, other project",
         Actor::Kind::DeployToken,
         {u"read_package_registry"_s, u"write_package_registry"_s},
         false,
         false,
         {u"A44"_s, u"A44"_s, u"A44"_s, u"A44"_s, u"A44"_s, u"A44"_s},
         {u"344"_s, u"344"_s, u"344"_s, u"344"_s, u"344"_s, u"344"_s},
         {u"344"_s, u"344"_s, u"344"_s, u"344"_s, u"344"_s, u"344"_s}},
        // A job token acts as its user on the job's project.
        {"job token, own project",
         Actor::Kind::JobToken,
         {},
         false,
         true,
         {u"AA4"_s, u"AA3"_s, u"AAA"_s, u"AAA"_s, u"AAA"_s, u"AAA"_s},
         {u"334"_s, u"333"_s, u"333"_s, u"AAA"_s, u"AAA"_s, u"AAA"_s},
         {u"334"_s, u"333"_s, u"333"_s, u"333"_s, u"AAA"_s, u"AAA"_s}},
        // … and reads only public projects elsewhere, whatever its user's roles there.
        {"job token, other project",
         Actor::Kind::JobToken,
         {},
         false,
         false,
         {u"A44"_s, u"A44"_s, u"A44"_s, u"A44"_s, u"A44"_s, u"A44"_s},
         {u"344"_s, u"344"_s, u"344"_s, u"344"_s, u"344"_s, u"344"_s},
         {u"344"_s, u"344"_s, u"344"_s, u"344"_s, u"344"_s, u"344"_s}},
    };
    return list;
}

} // namespace

class tst_Policy : public QObject
{
    Q_OBJECT

private slots:
    void decide_data();
    void decide();
    void throughTheStore_data();
    void throughTheStore();
    void deployTokenOfAnAncestorGroup();
    void pushProtection_data();
    void pushProtection();
};

void tst_Policy::decide_data()
{
    QTest::addColumn<Facts>("facts");
    QTest::addColumn<Operation>("operation");
    QTest::addColumn<Decision>("expected");
    for (const Grid &grid : grids()) {
        for (int r = 0; r < Roles.size(); ++r) {
            for (int v = 0; v < Visibilities.size(); ++v) {
                for (int o = 0; o < Operations.size(); ++o) {
                    Facts facts;
                    facts.kind = grid.kind;
                    facts.scopes = grid.scopes;
                    facts.admin = grid.admin;
                    facts.tokenCoversProject = grid.covers;
                    facts.level = Roles.at(r);
                    facts.visibility = Visibilities.at(v);
                    const QStringList &table =
                        o == 0 ? grid.read : (o == 1 ? grid.create : grid.destroy);
                    QTest::addRow("%s, %s, %s, %s",
                                  grid.name,
                                  qPrintable(accessLevelName(Roles.at(r))),
                                  qPrintable(visibilityName(Visibilities.at(v))),
                                  qPrintable(AccessPolicy::operationName(Operations.at(o))))
                        << facts << Operations.at(o) << parse(table.at(r).at(v));
                }
            }
        }
    }
}

void tst_Policy::decide()
{
    QFETCH(Facts, facts);
    QFETCH(Operation, operation);
    QFETCH(Decision, expected);
    QCOMPARE(AccessPolicy::decisionName(AccessPolicy::decide(facts, operation)),
             AccessPolicy::decisionName(expected));
}

void tst_Policy::throughTheStore_data()
{
    QTest::addColumn<QString>("token"); // which actor
    QTest::addColumn<QString>(
        "membership"); // "group:ROLE" (inherited from the root group) or "project:ROLE"
    QTest::addColumn<Visibility>("visibility");
    QTest::addColumn<Operation>("operation");
    QTest::addColumn<Decision>("expected");

    // A sample of the grids, this time with roles inherited through groups and real tokens.
    QTest::newRow("reporter inherited from the root group reads a private project")
        << u"pat"_s << u"group:reporter"_s << Visibility::Private << Operation::ReadPackage
        << Decision::Allow;
    QTest::newRow("developer inherited publishes")
        << u"pat"_s << u"group:developer"_s << Visibility::Private << Operation::CreatePackage
        << Decision::Allow;
    QTest::newRow("developer inherited may not deprecate")
        << u"pat"_s << u"group:developer"_s << Visibility::Private << Operation::DestroyPackage
        << Decision::Forbidden;
    QTest::newRow("project maintainer deprecates")
        << u"pat"_s << u"project:maintainer"_s << Visibility::Private << Operation::DestroyPackage
        << Decision::Allow;
    QTest::newRow("guest of the project, private")
        << u"pat"_s << u"project:guest"_s << Visibility::Private << Operation::ReadPackage
        << Decision::Forbidden;
    QTest::newRow("non-member, private") << u"pat"_s << QString() << Visibility::Private
                                         << Operation::ReadPackage << Decision::NotFound;
    QTest::newRow("non-member, internal") << u"pat"_s << QString() << Visibility::Internal
                                          << Operation::ReadPackage << Decision::Allow;
    QTest::newRow("anonymous, internal") << QString() << QString() << Visibility::Internal
                                         << Operation::ReadPackage << Decision::Unauthorized;
    QTest::newRow("job token of the project, developer")
        << u"job"_s << u"group:developer"_s << Visibility::Private << Operation::CreatePackage
        << Decision::Allow;
    QTest::newRow("job token of another project, developer")
        << u"other-job"_s << u"group:developer"_s << Visibility::Private << Operation::ReadPackage
        << Decision::NotFound;
    QTest::newRow("project deploy token, write") << u"deploy"_s << QString() << Visibility::Private
                                                 << Operation::DestroyPackage << Decision::Allow;
    QTest::newRow("read_api token writes")
        << u"readapi"_s << u"group:owner"_s << Visibility::Private << Operation::CreatePackage
        << Decision::Forbidden;
}

void tst_Policy::throughTheStore()
{
    QFETCH(QString, token);
    QFETCH(QString, membership);
    QFETCH(Visibility, visibility);
    QFETCH(Operation, operation);
    QFETCH(Decision, expected);

    QTemporaryDir dir;
    Result<std::unique_ptr<Registry>> opened = Registry::open(dir.path());
    QVERIFY(opened);
    Registry &registry = **opened;
    QVERIFY(registry.namespaces().createGroup(u"acme"_s, Visibility::Public));
    QVERIFY(registry.namespaces().createGroup(u"acme/sub"_s, Visibility::Public));
    const Result<Project> project =
        registry.namespaces().createProject(u"acme/sub/app"_s, visibility);
    QVERIFY(project);
    const Result<Project> other =
        registry.namespaces().createProject(u"acme/other"_s, Visibility::Private);
    QVERIFY(other);
    const Result<User> user = registry.users().createUser(u"mia"_s);
    QVERIFY(user);
    if (!membership.isEmpty()) {
        const QString level = membership.section(u':', 1);
        const AccessLevel role = *accessLevelFromName(level);
        if (membership.startsWith(u"group:"_s)) {
            QVERIFY(registry.users().addGroupMember(u"mia"_s, u"acme"_s, role));
        } else {
            QVERIFY(registry.users().addProjectMember(u"mia"_s, u"acme/sub/app"_s, role));
        }
    }
    QString secret;
    if (token == u"pat"_s) {
        secret = registry.tokens().createPersonalAccessToken(user->id, {}, {u"api"_s})->token;
    } else if (token == u"readapi"_s) {
        secret = registry.tokens().createPersonalAccessToken(user->id, {}, {u"read_api"_s})->token;
    } else if (token == u"job"_s) {
        secret = registry.tokens().createJobToken(project->id, user->id)->token;
    } else if (token == u"other-job"_s) {
        secret = registry.tokens().createJobToken(other->id, user->id)->token;
    } else if (token == u"deploy"_s) {
        secret = registry.tokens()
                     .createDeployToken(0, project->id, {}, {u"write_package_registry"_s})
                     ->token;
    }
    Actor actor;
    if (!secret.isEmpty()) {
        const Result<Actor> authenticated = registry.tokens().authenticate(secret);
        QVERIFY(authenticated);
        actor = *authenticated;
    }
    const Result<Decision> decision = registry.policy().check(actor, *project, operation);
    QVERIFY(decision);
    QCOMPARE(AccessPolicy::decisionName(*decision), AccessPolicy::decisionName(expected));
}

void tst_Policy::deployTokenOfAnAncestorGroup()
{
    QTemporaryDir dir;
    Result<std::unique_ptr<Registry>> opened = Registry::open(dir.path());
    QVERIFY(opened);
    Registry &registry = **opened;
    const Result<Group> root = registry.namespaces().createGroup(u"acme"_s);
    QVERIFY(root);
    QVERIFY(registry.namespaces().createGroup(u"acme/sub"_s));
    QVERIFY(registry.namespaces().createGroup(u"beta"_s));
    const Result<Project> inside = registry.namespaces().createProject(u"acme/sub/app"_s);
    const Result<Project> outside = registry.namespaces().createProject(u"beta/app"_s);
    QVERIFY(inside && outside);
    const QString secret =
        registry.tokens().createDeployToken(root->id, 0, {}, {u"read_package_registry"_s})->token;
    const Result<Actor> actor = registry.tokens().authenticate(secret);
    QVERIFY(actor);
    QCOMPARE(*registry.policy().check(*actor, *inside, Operation::ReadPackage), Decision::Allow);
    QCOMPARE(*registry.policy().check(*actor, *inside, Operation::CreatePackage),
             Decision::Forbidden);
    QCOMPARE(*registry.policy().check(*actor, *outside, Operation::ReadPackage),
             Decision::NotFound);
}

void tst_Policy::pushProtection_data()
{
    QTest::addColumn<QString>("pattern");
    QTest::addColumn<AccessLevel>("minimum");
    QTest::addColumn<QString>("actor"); // role name, "admin" or "deploy"
    QTest::addColumn<QString>("name");
    QTest::addColumn<bool>("refused");

    QTest::newRow("developer below maintainer") << u"@acme/core-*"_s << AccessLevel::Maintainer
                                                << u"developer"_s << u"@acme/core-ui"_s << true;
    QTest::newRow("maintainer at maintainer") << u"@acme/core-*"_s << AccessLevel::Maintainer
                                              << u"maintainer"_s << u"@acme/core-ui"_s << false;
    QTest::newRow("maintainer below owner")
        << u"@acme/core-*"_s << AccessLevel::Owner << u"maintainer"_s << u"@acme/core-ui"_s << true;
    QTest::newRow("owner below admin")
        << u"*"_s << AccessLevel::Admin << u"owner"_s << u"anything"_s << true;
    QTest::newRow("admin always") << u"*"_s << AccessLevel::Admin << u"admin"_s << u"anything"_s
                                  << false;
    QTest::newRow("deploy token never")
        << u"@acme/*"_s << AccessLevel::Maintainer << u"deploy"_s << u"@acme/x"_s << true;
    QTest::newRow("glob in the middle") << u"@acme/*-internal"_s << AccessLevel::Maintainer
                                        << u"developer"_s << u"@acme/billing-internal"_s << true;
    QTest::newRow("case-insensitive")
        << u"@ACME/Core"_s << AccessLevel::Maintainer << u"developer"_s << u"@acme/core"_s << true;
    QTest::newRow("other names are free")
        << u"@acme/core-*"_s << AccessLevel::Owner << u"developer"_s << u"@acme/ui"_s << false;
    QTest::newRow("deploy token, unmatched name")
        << u"@acme/core-*"_s << AccessLevel::Maintainer << u"deploy"_s << u"@acme/ui"_s << false;
}

void tst_Policy::pushProtection()
{
    QFETCH(QString, pattern);
    QFETCH(AccessLevel, minimum);
    QFETCH(QString, actor);
    QFETCH(QString, name);
    QFETCH(bool, refused);

    QTemporaryDir dir;
    Result<std::unique_ptr<Registry>> opened = Registry::open(dir.path());
    QVERIFY(opened);
    Registry &registry = **opened;
    QVERIFY(registry.namespaces().createGroup(u"acme"_s));
    const Result<Project> project = registry.namespaces().createProject(u"acme/app"_s);
    QVERIFY(project);
    QVERIFY(registry.settings().addProtectionRule(project->id, pattern, minimum));
    Actor who;
    if (actor == u"deploy"_s) {
        const QString secret =
            registry.tokens()
                .createDeployToken(0, project->id, {}, {u"write_package_registry"_s})
                ->token;
        who = *registry.tokens().authenticate(secret);
    } else {
        const Result<User> user = registry.users().createUser(u"mia"_s, actor == u"admin"_s);
        QVERIFY(user);
        if (actor != u"admin"_s) {
            QVERIFY(registry.users().addProjectMember(
                u"mia"_s, u"acme/app"_s, *accessLevelFromName(actor)));
        }
        who = *registry.tokens().authenticate(
            registry.tokens().createPersonalAccessToken(user->id, {}, {u"api"_s})->token);
    }
    const Result<bool> blocked = registry.policy().pushProtected(who, *project, name);
    QVERIFY(blocked);
    QCOMPARE(*blocked, refused);
}

QTEST_GUILESS_MAIN(tst_Policy)
#include "tst_policy.moc"
