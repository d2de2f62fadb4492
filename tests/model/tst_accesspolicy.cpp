// SPDX-License-Identifier: GPL-3.0-or-later
#include "model/registry.h"

#include "testsupport.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace Trove;
using TestSupport::RegistryFixture;

using Decision = AccessPolicy::Decision;
using Operation = AccessPolicy::Operation;

namespace {

// Who calls, as the rows of the matrix name them.
enum class Caller {
    Anonymous,
    PatApi,
    PatReadApi,
    AdminPatApi,
    AdminPatReadApi,
    DeployRead,
    DeployWrite,
    DeployReadWrite,
    JobOwnProject,
    JobOtherProject,
};

// Where a deploy token lives relative to the project acme/team/app.
enum class Coverage {
    Project, // a token of the project itself
    AncestorGroup, // a token of the root group acme
    OtherProject, // a token of other/tool
    SiblingGroup, // a token of acme/sibling: same root group, not an ancestor
};

// Where the user's role comes from.
enum class RoleSource { Project, ParentGroup, RootGroup };

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

QString callerName(Caller caller)
{
    switch (caller) {
    case Caller::Anonymous:
        return u"anonymous"_s;
    case Caller::PatApi:
        return u"PAT api"_s;
    case Caller::PatReadApi:
        return u"PAT read_api"_s;
    case Caller::AdminPatApi:
        return u"admin PAT api"_s;
    case Caller::AdminPatReadApi:
        return u"admin PAT read_api"_s;
    case Caller::DeployRead:
        return u"deploy read"_s;
    case Caller::DeployWrite:
        return u"deploy write"_s;
    case Caller::DeployReadWrite:
        return u"deploy read+write"_s;
    case Caller::JobOwnProject:
        return u"job token of the project"_s;
    case Caller::JobOtherProject:
        return u"job token of another project"_s;
    }
    return {};
}

QString coverageName(Coverage coverage)
{
    switch (coverage) {
    case Coverage::Project:
        return u"project token"_s;
    case Coverage::AncestorGroup:
        return u"root group token"_s;
    case Coverage::OtherProject:
        return u"other project's token"_s;
    case Coverage::SiblingGroup:
        return u"sibling group's token"_s;
    }
    return {};
}

QString sourceName(RoleSource source)
{
    switch (source) {
    case RoleSource::Project:
        return u"direct"_s;
    case RoleSource::ParentGroup:
        return u"via parent group"_s;
    case RoleSource::RootGroup:
        return u"via root group"_s;
    }
    return {};
}

bool usesRole(Caller caller)
{
    switch (caller) {
    case Caller::PatApi:
    case Caller::PatReadApi:
    case Caller::AdminPatApi:
    case Caller::AdminPatReadApi:
    case Caller::JobOwnProject:
    case Caller::JobOtherProject:
        return true;
    default:
        return false;
    }
}

bool isDeploy(Caller caller)
{
    return caller == Caller::DeployRead || caller == Caller::DeployWrite
        || caller == Caller::DeployReadWrite;
}

QStringList scopesOf(Caller caller)
{
    switch (caller) {
    case Caller::PatApi:
    case Caller::AdminPatApi:
        return {u"api"_s};
    case Caller::PatReadApi:
    case Caller::AdminPatReadApi:
        return {u"read_api"_s};
    case Caller::DeployRead:
        return {u"read_package_registry"_s};
    case Caller::DeployWrite:
        return {u"write_package_registry"_s};
    case Caller::DeployReadWrite:
        return {u"read_package_registry"_s, u"write_package_registry"_s};
    default:
        return {};
    }
}

int visibilityIndex(Visibility visibility)
{
    return visibility == Visibility::Public ? 0 : visibility == Visibility::Internal ? 1 : 2;
}

// GitLab's answers (docs/npm-api.md §2.2, §2.3, §8.2), written as tables
// rather than rules: one letter per role none, guest, reporter, developer, maintainer, owner.
// A = allow, U = 401, F = 403, N = 404.
//
// A user acting through a PAT with `api`, or a running job token on its own project.
// Rows: public, internal, private; columns: read, create, destroy.
const char *const MemberTable[3][3] = {
    {"AAAAAA", "FFFAAA", "FFFFAA"},
    {"AAAAAA", "FFFAAA", "FFFFAA"},
    {"NFAAAA", "NFFAAA", "NFFFAA"},
};
// read_api is GET/HEAD only: the API guard answers 403 insufficient_scope to writes.
const char *const ReadApiWrites = "FFFFFF";
// Not a member of anything the token covers: public projects are readable, the rest hidden.
const char *const OutsiderTable[3][3] = {
    {"A", "F", "F"},
    {"N", "N", "N"},
    {"N", "N", "N"},
};

Decision fromLetter(char letter)
{
    switch (letter) {
    case 'A':
        return Decision::Allow;
    case 'U':
        return Decision::Unauthorized;
    case 'F':
        return Decision::Forbidden;
    default:
        return Decision::NotFound;
    }
}

Decision expectedDecision(
    Caller caller, bool covers, AccessLevel role, Visibility visibility, Operation operation)
{
    const int v = visibilityIndex(visibility);
    const int o = int(operation);
    const int r = int(Roles.indexOf(role));
    const bool read = operation == Operation::ReadPackage;
    switch (caller) {
    case Caller::Anonymous:
        return read && visibility == Visibility::Public ? Decision::Allow : Decision::Unauthorized;
    case Caller::PatApi:
        return fromLetter(MemberTable[v][o][r]);
    case Caller::PatReadApi:
        return fromLetter(read ? MemberTable[v][o][r] : ReadApiWrites[r]);
    case Caller::AdminPatApi:
        return Decision::Allow;
    case Caller::AdminPatReadApi:
        return read ? Decision::Allow : Decision::Forbidden;
    case Caller::DeployRead:
        if (!covers) {
            return fromLetter(OutsiderTable[v][o][0]);
        }
        return read ? Decision::Allow : Decision::Forbidden;
    case Caller::DeployWrite:
    case Caller::DeployReadWrite:
        return covers ? Decision::Allow : fromLetter(OutsiderTable[v][o][0]);
    case Caller::JobOwnProject:
        return fromLetter(MemberTable[v][o][r]);
    case Caller::JobOtherProject:
        return fromLetter(OutsiderTable[v][o][0]);
    }
    return Decision::NotFound;
}

Actor::Kind kindOf(Caller caller)
{
    if (caller == Caller::Anonymous) {
        return Actor::Kind::Anonymous;
    }
    if (isDeploy(caller)) {
        return Actor::Kind::DeployToken;
    }
    if (caller == Caller::JobOwnProject || caller == Caller::JobOtherProject) {
        return Actor::Kind::JobToken;
    }
    return Actor::Kind::User;
}

bool isAdmin(Caller caller)
{
    return caller == Caller::AdminPatApi || caller == Caller::AdminPatReadApi;
}

QString decisionsText(const QList<Decision> &decisions)
{
    QStringList names;
    for (const Decision decision : decisions) {
        names.append(AccessPolicy::decisionName(decision));
    }
    return names.join(u' ');
}

} // namespace

Q_DECLARE_METATYPE(Caller)
Q_DECLARE_METATYPE(Coverage)
Q_DECLARE_METATYPE(RoleSource)
Q_DECLARE_METATYPE(Trove::AccessLevel)
Q_DECLARE_METATYPE(Trove::Visibility)
Q_DECLARE_METATYPE(Trove::AccessPolicy::Operation)
Q_DECLARE_METATYPE(Trove::AccessPolicy::Decision)

class tst_AccessPolicy : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void decide_data();
    void decide();
    void check_data();
    void check();
    void finishedJobToken();
    void pushProtected_data();
    void pushProtected();
    void pushProtectedWithoutRules();

private:
    // acme (V) / acme/team (V) / acme/team/app (V), the project under test; acme/sibling (V);
    // other (public) / other/tool (public); user "member".
    void buildWorld(Visibility visibility, bool admin);

    RegistryFixture m_fixture;
    Project m_project;
    Project m_otherProject;
    Group m_root;
    Group m_sibling;
    User m_user;
};

void tst_AccessPolicy::init()
{
    QVERIFY2(m_fixture.open(), qPrintable(m_fixture.error()));
}

void tst_AccessPolicy::cleanup()
{
    m_fixture.close();
}

void tst_AccessPolicy::buildWorld(Visibility visibility, bool admin)
{
    NamespaceService &namespaces = m_fixture->namespaces();
    auto root = namespaces.createGroup(u"acme"_s, visibility);
    QVERIFY_RESULT(root);
    m_root = *root;
    QVERIFY_RESULT(namespaces.createGroup(u"acme/team"_s, visibility));
    auto sibling = namespaces.createGroup(u"acme/sibling"_s, visibility);
    QVERIFY_RESULT(sibling);
    m_sibling = *sibling;
    auto project = namespaces.createProject(u"acme/team/app"_s, visibility);
    QVERIFY_RESULT(project);
    m_project = *project;
    QVERIFY_RESULT(namespaces.createGroup(u"other"_s, Visibility::Public));
    auto other = namespaces.createProject(u"other/tool"_s, Visibility::Public);
    QVERIFY_RESULT(other);
    m_otherProject = *other;
    auto user = m_fixture->users().createUser(u"member"_s, admin);
    QVERIFY_RESULT(user);
    m_user = *user;
}

void tst_AccessPolicy::decide_data()
{
    QTest::addColumn<Caller>("caller");
    QTest::addColumn<bool>("covers");
    QTest::addColumn<AccessLevel>("role");
    QTest::addColumn<Visibility>("visibility");
    QTest::addColumn<Operation>("operation");
    QTest::addColumn<Decision>("expected");

    const QList<Caller> callers = {Caller::Anonymous,
                                   Caller::PatApi,
                                   Caller::PatReadApi,
                                   Caller::AdminPatApi,
                                   Caller::AdminPatReadApi,
                                   Caller::DeployRead,
                                   Caller::DeployWrite,
                                   Caller::DeployReadWrite,
                                   Caller::JobOwnProject,
                                   Caller::JobOtherProject};
    for (const Caller caller : callers) {
        const QList<bool> coverages = isDeploy(caller)
            ? QList<bool>{true, false}
            : QList<bool>{caller == Caller::JobOwnProject};
        const QList<AccessLevel> roles = usesRole(caller) ? Roles : QList{AccessLevel::None};
        for (const bool covers : coverages) {
            for (const AccessLevel role : roles) {
                for (const Visibility visibility : Visibilities) {
                    for (const Operation operation : Operations) {
                        QString name = callerName(caller);
                        if (isDeploy(caller)) {
                            name += covers ? u" covering"_s : u" not covering"_s;
                        }
                        if (usesRole(caller)) {
                            name += u" / "_s + accessLevelName(role);
                        }
                        name += u" / "_s + visibilityName(visibility) + u" / "_s
                            + AccessPolicy::operationName(operation);
                        QTest::addRow("%s", qPrintable(name))
                            << caller << covers << role << visibility << operation
                            << expectedDecision(caller, covers, role, visibility, operation);
                    }
                }
            }
        }
    }
}

void tst_AccessPolicy::decide()
{
    QFETCH(Caller, caller);
    QFETCH(bool, covers);
    QFETCH(AccessLevel, role);
    QFETCH(Visibility, visibility);
    QFETCH(Operation, operation);
    QFETCH(Decision, expected);

    AccessPolicy::Facts facts;
    facts.kind = kindOf(caller);
    facts.visibility = visibility;
    facts.level = role;
    facts.admin = isAdmin(caller);
    facts.scopes = scopesOf(caller);
    facts.tokenCoversProject = covers;
    QCOMPARE(AccessPolicy::decide(facts, operation), expected);
}

void tst_AccessPolicy::check_data()
{
    QTest::addColumn<Caller>("caller");
    QTest::addColumn<Coverage>("coverage");
    QTest::addColumn<AccessLevel>("role");
    QTest::addColumn<RoleSource>("source");
    QTest::addColumn<Visibility>("visibility");

    for (const Visibility visibility : Visibilities) {
        const QString suffix = u" / "_s + visibilityName(visibility);
        QTest::addRow("%s", qPrintable(u"anonymous"_s + suffix))
            << Caller::Anonymous << Coverage::Project << AccessLevel::None << RoleSource::Project
            << visibility;
        for (const Caller caller :
             {Caller::DeployRead, Caller::DeployWrite, Caller::DeployReadWrite}) {
            for (const Coverage coverage : {Coverage::Project,
                                            Coverage::AncestorGroup,
                                            Coverage::OtherProject,
                                            Coverage::SiblingGroup}) {
                QTest::addRow(
                    "%s",
                    qPrintable(callerName(caller) + u" / "_s + coverageName(coverage) + suffix))
                    << caller << coverage << AccessLevel::None << RoleSource::Project << visibility;
            }
        }
        for (const Caller caller : {Caller::PatApi,
                                    Caller::PatReadApi,
                                    Caller::AdminPatApi,
                                    Caller::JobOwnProject,
                                    Caller::JobOtherProject}) {
            QTest::addRow("%s", qPrintable(callerName(caller) + u" / none"_s + suffix))
                << caller << Coverage::Project << AccessLevel::None << RoleSource::Project
                << visibility;
            for (const AccessLevel role : Roles.mid(1)) {
                for (const RoleSource source :
                     {RoleSource::Project, RoleSource::ParentGroup, RoleSource::RootGroup}) {
                    QTest::addRow("%s",
                                  qPrintable(callerName(caller) + u" / "_s + accessLevelName(role)
                                             + u' ' + sourceName(source) + suffix))
                        << caller << Coverage::Project << role << source << visibility;
                }
            }
        }
    }
}

void tst_AccessPolicy::check()
{
    QFETCH(Caller, caller);
    QFETCH(Coverage, coverage);
    QFETCH(AccessLevel, role);
    QFETCH(RoleSource, source);
    QFETCH(Visibility, visibility);

    buildWorld(visibility, isAdmin(caller));
    if (QTest::currentTestFailed()) {
        return;
    }
    UserService &users = m_fixture->users();
    if (role != AccessLevel::None) {
        switch (source) {
        case RoleSource::Project:
            QVERIFY_RESULT(users.addProjectMember(u"member"_s, u"acme/team/app"_s, role));
            break;
        case RoleSource::ParentGroup:
            QVERIFY_RESULT(users.addGroupMember(u"member"_s, u"acme/team"_s, role));
            break;
        case RoleSource::RootGroup:
            QVERIFY_RESULT(users.addGroupMember(u"member"_s, u"acme"_s, role));
            break;
        }
    }
    // A role in the other project, to show it does not leak into acme/team/app.
    QVERIFY_RESULT(users.addProjectMember(u"member"_s, u"other/tool"_s, AccessLevel::Owner));

    TokenService &tokens = m_fixture->tokens();
    Actor actor;
    bool covers = false;
    if (caller != Caller::Anonymous) {
        Result<CreatedToken> created = Error::invalid(u"no token"_s);
        if (isDeploy(caller)) {
            switch (coverage) {
            case Coverage::Project:
                created = tokens.createDeployToken(0, m_project.id, {}, scopesOf(caller));
                covers = true;
                break;
            case Coverage::AncestorGroup:
                created = tokens.createDeployToken(m_root.id, 0, {}, scopesOf(caller));
                covers = true;
                break;
            case Coverage::OtherProject:
                created = tokens.createDeployToken(0, m_otherProject.id, {}, scopesOf(caller));
                break;
            case Coverage::SiblingGroup:
                created = tokens.createDeployToken(m_sibling.id, 0, {}, scopesOf(caller));
                break;
            }
        } else if (caller == Caller::JobOwnProject) {
            created = tokens.createJobToken(m_project.id, m_user.id);
        } else if (caller == Caller::JobOtherProject) {
            created = tokens.createJobToken(m_otherProject.id, m_user.id);
        } else {
            created = tokens.createPersonalAccessToken(m_user.id, {}, scopesOf(caller));
        }
        QVERIFY_RESULT(created);
        const Result<Actor> authenticated = tokens.authenticate(created->token);
        QVERIFY_RESULT(authenticated);
        actor = *authenticated;
        QCOMPARE(actor.kind, kindOf(caller));
    }

    QList<Decision> actual;
    QList<Decision> expected;
    for (const Operation operation : Operations) {
        const Result<Decision> decision = m_fixture->policy().check(actor, m_project, operation);
        QVERIFY_RESULT(decision);
        actual.append(*decision);
        expected.append(expectedDecision(caller, covers, role, visibility, operation));
    }
    QVERIFY2(actual == expected,
             qPrintable(u"read/create/destroy: got %1, expected %2"_s.arg(
                 decisionsText(actual), decisionsText(expected))));

    // The facts check() derives are those decide() gets in the pure test.
    const Result<AccessPolicy::Facts> facts = m_fixture->policy().facts(actor, m_project);
    QVERIFY_RESULT(facts);
    QCOMPARE(facts->level,
             caller == Caller::Anonymous || isDeploy(caller) ? AccessLevel::None : role);
    QCOMPARE(facts->tokenCoversProject, covers || caller == Caller::JobOwnProject);
    QCOMPARE(facts->visibility, visibility);
}

void tst_AccessPolicy::finishedJobToken()
{
    // A finished job's token is refused before any policy runs: 401 everywhere (docs/npm-api.md §8.2).
    buildWorld(Visibility::Public, false);
    QVERIFY_RESULT(m_fixture->users().addProjectMember(
        u"member"_s, u"acme/team/app"_s, AccessLevel::Developer));
    const Result<CreatedToken> job = m_fixture->tokens().createJobToken(m_project.id, m_user.id);
    QVERIFY_RESULT(job);
    QVERIFY_RESULT(m_fixture->tokens().authenticate(job->token));
    QVERIFY_RESULT(m_fixture->tokens().finishJob(job->token));
    QCOMPARE_ERROR(m_fixture->tokens().authenticate(job->token),
                   Error::Code::Unauthorized,
                   u"401 Unauthorized"_s);
}

void tst_AccessPolicy::pushProtected_data()
{
    QTest::addColumn<QStringList>("patterns");
    QTest::addColumn<AccessLevel>("minimum");
    QTest::addColumn<QString>("actorKind"); // user, admin, deploy, job
    QTest::addColumn<AccessLevel>("role");
    QTest::addColumn<QString>("name");
    QTest::addColumn<bool>("expected");

    const QStringList acme = {u"@acme/*"_s};
    const auto M = AccessLevel::Maintainer;
    const auto O = AccessLevel::Owner;
    const auto A = AccessLevel::Admin;
    const QString widget = u"@acme/widget"_s;

    QTest::addRow("maintainer rule, guest")
        << acme << M << u"user"_s << AccessLevel::Guest << widget << true;
    QTest::addRow("maintainer rule, developer")
        << acme << M << u"user"_s << AccessLevel::Developer << widget << true;
    QTest::addRow("maintainer rule, maintainer") << acme << M << u"user"_s << M << widget << false;
    QTest::addRow("maintainer rule, owner") << acme << M << u"user"_s << O << widget << false;
    QTest::addRow("maintainer rule, admin")
        << acme << M << u"admin"_s << AccessLevel::None << widget << false;
    QTest::addRow("maintainer rule, deploy token")
        << acme << M << u"deploy"_s << AccessLevel::None << widget << true;
    QTest::addRow("maintainer rule, job developer")
        << acme << M << u"job"_s << AccessLevel::Developer << widget << true;
    QTest::addRow("maintainer rule, job maintainer")
        << acme << M << u"job"_s << M << widget << false;
    QTest::addRow("owner rule, maintainer") << acme << O << u"user"_s << M << widget << true;
    QTest::addRow("owner rule, owner") << acme << O << u"user"_s << O << widget << false;
    QTest::addRow("owner rule, admin")
        << acme << O << u"admin"_s << AccessLevel::None << widget << false;
    QTest::addRow("admin rule, owner") << acme << A << u"user"_s << O << widget << true;
    QTest::addRow("admin rule, job owner") << acme << A << u"job"_s << O << widget << true;
    QTest::addRow("admin rule, admin")
        << acme << A << u"admin"_s << AccessLevel::None << widget << false;
    QTest::addRow("admin rule, admin without membership")
        << acme << A << u"admin"_s << AccessLevel::None << u"@acme/x"_s << false;

    QTest::addRow("case-insensitive name")
        << acme << M << u"user"_s << AccessLevel::Developer << u"@ACME/Widget"_s << true;
    QTest::addRow("case-insensitive pattern") << QStringList{u"@Acme/WIDGET"_s} << M << u"user"_s
                                              << AccessLevel::Developer << widget << true;
    QTest::addRow("no match, developer")
        << acme << M << u"user"_s << AccessLevel::Developer << u"@other/widget"_s << false;
    QTest::addRow("no match, deploy token")
        << acme << M << u"deploy"_s << AccessLevel::None << u"@other/widget"_s << false;
    QTest::addRow("star matches unscoped, deploy")
        << QStringList{u"*"_s} << M << u"deploy"_s << AccessLevel::None << u"lodash"_s << true;
    QTest::addRow("star matches scoped, developer")
        << QStringList{u"*"_s} << M << u"user"_s << AccessLevel::Developer << widget << true;
    QTest::addRow("suffix glob matches")
        << QStringList{u"@acme/package-*"_s} << M << u"user"_s << AccessLevel::Developer
        << u"@acme/package-prod"_s << true;
    QTest::addRow("suffix glob, other name")
        << QStringList{u"@acme/package-*"_s} << M << u"user"_s << AccessLevel::Developer
        << u"@acme/prod-package"_s << false;
    QTest::addRow("prefix glob matches")
        << QStringList{u"@acme/*package"_s} << M << u"user"_s << AccessLevel::Developer
        << u"@acme/prod-package"_s << true;
    QTest::addRow("glob anchored at both ends")
        << QStringList{u"@acme/package-*"_s} << M << u"user"_s << AccessLevel::Developer
        << u"x@acme/package-prod"_s << false;
    QTest::addRow("exact pattern, longer name")
        << QStringList{u"@acme/widget"_s} << M << u"user"_s << AccessLevel::Developer
        << u"@acme/widgets"_s << false;
    QTest::addRow("dot is literal") << QStringList{u"@acme/a.b"_s} << M << u"user"_s
                                    << AccessLevel::Developer << u"@acme/axb"_s << false;
    QTest::addRow("plus is literal") << QStringList{u"@acme/a+b"_s} << M << u"user"_s
                                     << AccessLevel::Developer << u"@acme/aab"_s << false;
    QTest::addRow("one of several rules") << QStringList{u"@acme/other"_s, u"@acme/wid*"_s} << M
                                          << u"deploy"_s << AccessLevel::None << widget << true;
}

void tst_AccessPolicy::pushProtected()
{
    QFETCH(QStringList, patterns);
    QFETCH(AccessLevel, minimum);
    QFETCH(QString, actorKind);
    QFETCH(AccessLevel, role);
    QFETCH(QString, name);
    QFETCH(bool, expected);

    buildWorld(Visibility::Private, actorKind == u"admin"_s);
    if (QTest::currentTestFailed()) {
        return;
    }
    for (const QString &pattern : std::as_const(patterns)) {
        QVERIFY_RESULT(m_fixture->settings().addProtectionRule(m_project.id, pattern, minimum));
    }
    if (role != AccessLevel::None) {
        // Inherited from the root group: protection rules compare the inherited role.
        QVERIFY_RESULT(m_fixture->users().addGroupMember(u"member"_s, u"acme"_s, role));
    }
    TokenService &tokens = m_fixture->tokens();
    Result<CreatedToken> created = Error::invalid(u"no token"_s);
    if (actorKind == u"deploy"_s) {
        created = tokens.createDeployToken(0, m_project.id, {}, {u"write_package_registry"_s});
    } else if (actorKind == u"job"_s) {
        created = tokens.createJobToken(m_project.id, m_user.id);
    } else {
        created = tokens.createPersonalAccessToken(m_user.id, {}, {u"api"_s});
    }
    QVERIFY_RESULT(created);
    const Result<Actor> actor = tokens.authenticate(created->token);
    QVERIFY_RESULT(actor);
    const Result<bool> isProtected = m_fixture->policy().pushProtected(*actor, m_project, name);
    QVERIFY_RESULT(isProtected);
    QCOMPARE(*isProtected, expected);
}

void tst_AccessPolicy::pushProtectedWithoutRules()
{
    // No rule: nobody is stopped, not even a deploy token; rules of another project do not count.
    buildWorld(Visibility::Private, false);
    QVERIFY_RESULT(
        m_fixture->settings().addProtectionRule(m_otherProject.id, u"*"_s, AccessLevel::Admin));
    const Result<CreatedToken> deploy =
        m_fixture->tokens().createDeployToken(0, m_project.id, {}, {u"write_package_registry"_s});
    QVERIFY_RESULT(deploy);
    const Result<Actor> actor = m_fixture->tokens().authenticate(deploy->token);
    QVERIFY_RESULT(actor);
    const Result<bool> isProtected =
        m_fixture->policy().pushProtected(*actor, m_project, u"@acme/widget"_s);
    QVERIFY_RESULT(isProtected);
    QVERIFY(!*isProtected);
}

QTEST_GUILESS_MAIN(tst_AccessPolicy)
#include "tst_accesspolicy.moc"
