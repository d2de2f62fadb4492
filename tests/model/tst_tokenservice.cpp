// SPDX-License-Identifier: GPL-3.0-or-later
// Personal access, deploy and CI job tokens: creation, what is stored, authentication.

#include "model/registry.h"

#include "testsupport.h"

#include <QCryptographicHash>
#include <QElapsedTimer>
#include <QSignalSpy>
#include <QSqlError>
#include <QSqlQuery>
#include <QTest>
#include <QThread>

using namespace Qt::StringLiterals;
using namespace Trove;
using TestSupport::RegistryFixture;

Q_DECLARE_METATYPE(Trove::Error::Code)
Q_DECLARE_METATYPE(Trove::TokenKind)

namespace {

constexpr int ExpiresToday = -1000;
constexpr int InvalidDate = -2000;

std::optional<QDate> inDays(int days)
{
    return QDate::currentDate().addDays(days);
}

} // namespace

class tst_TokenService : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void create_data();
    void create();
    void secretIsNotStored_data();
    void secretIsNotStored();
    void authenticateActor_data();
    void authenticateActor();
    void refused_data();
    void refused();
    void unknownAndMalformedLookAlike();
    void lastUsedRecorded();
    void lastUseWrittenInBatches();
    void flushKeepsTheChangeStamp();
    void heldWriteLockDoesNotDelay();
    void lastUseWrittenAtClose();
    void concurrentUses();
    void finishJob();

private:
    // Creates a token of the kind: "pat", "admin pat", "deploy project", "deploy group", "job".
    Result<CreatedToken> createToken(const QString &what);
    void setColumn(const QString &table, const QString &column, const QVariant &value, qint64 id);
    QVariant storedLastUse(const QString &table, qint64 id);

    RegistryFixture m_fixture;
    qint64 m_userId = 0;
    qint64 m_adminId = 0;
    qint64 m_groupId = 0;
    qint64 m_projectId = 0;
};

void tst_TokenService::init()
{
    QVERIFY2(m_fixture.open(), qPrintable(m_fixture.error()));
    auto group = m_fixture->namespaces().createGroup(u"acme"_s);
    QVERIFY_RESULT(group);
    m_groupId = group->id;
    auto project = m_fixture->namespaces().createProject(u"acme/app"_s);
    QVERIFY_RESULT(project);
    m_projectId = project->id;
    auto user = m_fixture->users().createUser(u"ada"_s);
    QVERIFY_RESULT(user);
    m_userId = user->id;
    auto admin = m_fixture->users().createUser(u"root"_s, true);
    QVERIFY_RESULT(admin);
    m_adminId = admin->id;
}

void tst_TokenService::cleanup()
{
    m_fixture.close();
}

Result<CreatedToken> tst_TokenService::createToken(const QString &what)
{
    TokenService &tokens = m_fixture->tokens();
    if (what == u"pat"_s) {
        return tokens.createPersonalAccessToken(m_userId, u"laptop"_s, {u"api"_s});
    }
    if (what == u"admin pat"_s) {
        return tokens.createPersonalAccessToken(m_adminId, {}, {u"read_api"_s, u"api"_s});
    }
    if (what == u"deploy project"_s) {
        return tokens.createDeployToken(
            0, m_projectId, u"ci"_s, {u"read_package_registry"_s}, inDays(30), u"deployer"_s);
    }
    if (what == u"deploy group"_s) {
        return tokens.createDeployToken(m_groupId, 0, {}, {u"write_package_registry"_s});
    }
    return tokens.createJobToken(m_projectId, m_userId);
}

void tst_TokenService::setColumn(const QString &table,
                                 const QString &column,
                                 const QVariant &value,
                                 qint64 id)
{
    QSqlQuery update(m_fixture.connection());
    QVERIFY(update.prepare(u"UPDATE "_s + table + u" SET "_s + column + u" = :v WHERE id = :id"_s));
    update.bindValue(u":v"_s, value);
    update.bindValue(u":id"_s, id);
    QVERIFY2(update.exec(), qPrintable(update.lastError().text()));
    QCOMPARE(update.numRowsAffected(), 1);
}

void tst_TokenService::create_data()
{
    QTest::addColumn<QString>("kind"); // pat, deploy, job
    QTest::addColumn<QStringList>("scopes");
    QTest::addColumn<int>("expiresInDays"); // 0: no expiry
    QTest::addColumn<bool>("unknownOwner");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<Error::Code>("code");

    const auto none = Error::Code::Invalid;
    QTest::addRow("pat api") << u"pat"_s << QStringList{u"api"_s} << 0 << false << true << none;
    QTest::addRow("pat read_api, expires tomorrow")
        << u"pat"_s << QStringList{u"read_api"_s} << 1 << false << true << none;
    QTest::addRow("pat both, duplicated")
        << u"pat"_s << QStringList{u"api"_s, u"read_api"_s, u"api"_s} << 365 << false << true
        << none;
    QTest::addRow("pat no scope") << u"pat"_s << QStringList{} << 0 << false << false << none;
    QTest::addRow("pat deploy scope")
        << u"pat"_s << QStringList{u"read_package_registry"_s} << 0 << false << false << none;
    QTest::addRow("pat unknown scope")
        << u"pat"_s << QStringList{u"api"_s, u"sudo"_s} << 0 << false << false << none;
    QTest::addRow("pat scope in other case")
        << u"pat"_s << QStringList{u"API"_s} << 0 << false << false << none;
    QTest::addRow("pat expires today")
        << u"pat"_s << QStringList{u"api"_s} << ExpiresToday << false << false << none;
    QTest::addRow("pat expired yesterday")
        << u"pat"_s << QStringList{u"api"_s} << -1 << false << false << none;
    QTest::addRow("pat invalid date")
        << u"pat"_s << QStringList{u"api"_s} << InvalidDate << false << false << none;
    QTest::addRow("pat unknown user")
        << u"pat"_s << QStringList{u"api"_s} << 0 << true << false << Error::Code::NotFound;
    QTest::addRow("deploy read") << u"deploy"_s << QStringList{u"read_package_registry"_s} << 0
                                 << false << true << none;
    QTest::addRow("deploy read+write")
        << u"deploy"_s << QStringList{u"read_package_registry"_s, u"write_package_registry"_s} << 10
        << false << true << none;
    QTest::addRow("deploy no scope") << u"deploy"_s << QStringList{} << 0 << false << false << none;
    QTest::addRow("deploy api scope")
        << u"deploy"_s << QStringList{u"api"_s} << 0 << false << false << none;
    QTest::addRow("deploy expired")
        << u"deploy"_s << QStringList{u"read_package_registry"_s} << -5 << false << false << none;
    QTest::addRow("deploy unknown project")
        << u"deploy"_s << QStringList{u"read_package_registry"_s} << 0 << true << false
        << Error::Code::NotFound;
    QTest::addRow("job") << u"job"_s << QStringList{} << 0 << false << true << none;
    QTest::addRow("job unknown project")
        << u"job"_s << QStringList{} << 0 << true << false << Error::Code::NotFound;
}

void tst_TokenService::create()
{
    QFETCH(QString, kind);
    QFETCH(QStringList, scopes);
    QFETCH(int, expiresInDays);
    QFETCH(bool, unknownOwner);
    QFETCH(bool, ok);
    QFETCH(Error::Code, code);

    std::optional<QDate> expiry;
    if (expiresInDays == ExpiresToday) {
        expiry = QDate::currentDate();
    } else if (expiresInDays == InvalidDate) {
        expiry = QDate();
    } else if (expiresInDays != 0) {
        expiry = inDays(expiresInDays);
    }

    TokenService &tokens = m_fixture->tokens();
    QSignalSpy changed(&m_fixture->events(), &Events::tokensChanged);
    const QString before = TestSupport::dumpDatabase(m_fixture.connection());
    Result<CreatedToken> created = Error::invalid({});
    TokenKind tokenKind = TokenKind::Personal;
    if (kind == u"pat"_s) {
        created =
            tokens.createPersonalAccessToken(unknownOwner ? 999 : m_userId, u"t"_s, scopes, expiry);
    } else if (kind == u"deploy"_s) {
        tokenKind = TokenKind::Deploy;
        created = tokens.createDeployToken(0, unknownOwner ? 999 : m_projectId, {}, scopes, expiry);
    } else {
        tokenKind = TokenKind::Job;
        created = tokens.createJobToken(unknownOwner ? 999 : m_projectId, m_userId);
    }
    if (!ok) {
        QVERIFY(!created);
        QCOMPARE(created.error().code, code);
        QCOMPARE(changed.count(), 0);
        QCOMPARE(TestSupport::dumpDatabase(m_fixture.connection()), before);
        return;
    }
    QVERIFY_RESULT(created);
    QCOMPARE(changed.count(), 1);
    QCOMPARE(TokenService::kindOf(created->token), tokenKind);
    QCOMPARE(created->prefix, created->token.left(created->prefix.size()));
    QVERIFY(created->prefix.size() < created->token.size());
    // Each call gives a new secret.
    QVERIFY(created->token != createToken(kind == u"deploy"_s ? u"deploy project"_s : kind)->token);

    if (tokenKind == TokenKind::Personal) {
        const Result<PersonalAccessToken> stored = tokens.store().personalToken(created->id);
        QVERIFY_RESULT(stored);
        QStringList unique = scopes;
        unique.removeDuplicates();
        QCOMPARE(stored->scopes, unique);
        QCOMPARE(stored->expiresAt, expiry);
        QCOMPARE(stored->prefix, created->prefix);
        QVERIFY(!stored->revoked);
    } else if (tokenKind == TokenKind::Deploy) {
        const Result<DeployToken> stored = tokens.store().deployToken(created->id);
        QVERIFY_RESULT(stored);
        QCOMPARE(stored->projectId, m_projectId);
        QCOMPARE(stored->groupId, 0);
        QVERIFY2(stored->username.startsWith(u"trove+deploy-token-"_s),
                 qPrintable(stored->username));
    }
}

void tst_TokenService::secretIsNotStored_data()
{
    QTest::addColumn<QString>("what");
    QTest::addRow("personal access token") << u"pat"_s;
    QTest::addRow("deploy token") << u"deploy project"_s;
    QTest::addRow("job token") << u"job"_s;
}

void tst_TokenService::secretIsNotStored()
{
    QFETCH(QString, what);
    const Result<CreatedToken> created = createToken(what);
    QVERIFY_RESULT(created);
    QVERIFY_RESULT(m_fixture->tokens().authenticate(created->token));
    const QString secret = created->token.mid(created->prefix.size());
    QVERIFY(secret.size() >= 20);

    // No cell of any table holds the token or its unshown part; the digest column holds SHA-256.
    const QString dump = TestSupport::dumpDatabase(m_fixture.connection());
    QVERIFY(!dump.contains(created->token));
    QVERIFY(!dump.contains(secret));
    const QString sha256 = QString::fromLatin1(
        QCryptographicHash::hash(created->token.toUtf8(), QCryptographicHash::Sha256).toHex());
    QVERIFY(dump.contains(u"token_digest="_s + sha256));

    // Nor do the database's files (the WAL included), in any encoding SQLite could use. A
    // PostgreSQL store keeps its files in the cluster, out of reach here: the dump above is it.
    if (m_fixture.onPostgres()) {
        return;
    }
    const QStringList files = QDir(m_fixture.path()).entryList({u"trove.sqlite*"_s}, QDir::Files);
    QVERIFY(files.contains(u"trove.sqlite"_s));
    for (const QString &name : files) {
        QFile file(QDir(m_fixture.path()).filePath(name));
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray bytes = file.readAll();
        QVERIFY2(!bytes.contains(secret.toUtf8()), qPrintable(name));
        QVERIFY2(!bytes.contains(
                     QByteArray(reinterpret_cast<const char *>(secret.utf16()), secret.size() * 2)),
                 qPrintable(name));
    }
}

void tst_TokenService::authenticateActor_data()
{
    QTest::addColumn<QString>("what");
    QTest::addRow("personal access token") << u"pat"_s;
    QTest::addRow("admin personal access token") << u"admin pat"_s;
    QTest::addRow("project deploy token") << u"deploy project"_s;
    QTest::addRow("group deploy token") << u"deploy group"_s;
    QTest::addRow("job token") << u"job"_s;
}

void tst_TokenService::authenticateActor()
{
    QFETCH(QString, what);
    const Result<CreatedToken> created = createToken(what);
    QVERIFY_RESULT(created);
    const Result<Actor> actor = m_fixture->tokens().authenticate(created->token);
    QVERIFY_RESULT(actor);
    QCOMPARE(actor->tokenId, created->id);
    if (what == u"pat"_s) {
        QCOMPARE(actor->kind, Actor::Kind::User);
        QCOMPARE(actor->userId, m_userId);
        QCOMPARE(actor->username, u"ada"_s);
        QVERIFY(!actor->admin);
        QCOMPARE(actor->scopes, QStringList{u"api"_s});
        QCOMPARE(actor->tokenName, u"laptop"_s);
    } else if (what == u"admin pat"_s) {
        QCOMPARE(actor->kind, Actor::Kind::User);
        QCOMPARE(actor->userId, m_adminId);
        QVERIFY(actor->admin);
        QCOMPARE(actor->scopes, (QStringList{u"read_api"_s, u"api"_s}));
    } else if (what == u"deploy project"_s) {
        QCOMPARE(actor->kind, Actor::Kind::DeployToken);
        QCOMPARE(actor->username, u"deployer"_s);
        QCOMPARE(actor->deployProjectId, m_projectId);
        QCOMPARE(actor->deployGroupId, 0);
        QCOMPARE(actor->userId, 0);
        QVERIFY(!actor->admin);
        QCOMPARE(actor->scopes, QStringList{u"read_package_registry"_s});
    } else if (what == u"deploy group"_s) {
        QCOMPARE(actor->kind, Actor::Kind::DeployToken);
        QCOMPARE(actor->deployGroupId, m_groupId);
        QCOMPARE(actor->deployProjectId, 0);
        QCOMPARE(actor->scopes, QStringList{u"write_package_registry"_s});
    } else {
        QCOMPARE(actor->kind, Actor::Kind::JobToken);
        QCOMPARE(actor->userId, m_userId);
        QCOMPARE(actor->username, u"ada"_s);
        QCOMPARE(actor->jobProjectId, m_projectId);
        QVERIFY(actor->scopes.isEmpty());
        QVERIFY(!actor->admin);
    }
}

void tst_TokenService::refused_data()
{
    QTest::addColumn<QString>("what");
    // How the token is spoilt: revoke, expire, finish, tamper.
    QTest::addColumn<QString>("spoil");
    QTest::addColumn<QString>("message");

    const QString unknown = u"401 Unauthorized"_s;
    const QString revoked = u"Token was revoked. You have to re-authorize from the user."_s;
    const QString expired =
        u"Token is expired. You can either do re-authorization or token refresh."_s;
    QTest::addRow("pat revoked") << u"pat"_s << u"revoke"_s << revoked;
    QTest::addRow("pat expired yesterday") << u"pat"_s << u"expire -1"_s << expired;
    QTest::addRow("pat expiring today") << u"pat"_s << u"expire 0"_s << expired;
    QTest::addRow("deploy revoked") << u"deploy project"_s << u"revoke"_s << revoked;
    QTest::addRow("deploy expired") << u"deploy project"_s << u"expire -3"_s << expired;
    QTest::addRow("job finished") << u"job"_s << u"finish"_s << unknown;
    QTest::addRow("job revoked") << u"job"_s << u"revoke"_s << unknown;
    QTest::addRow("pat last character changed") << u"pat"_s << u"flip"_s << unknown;
    QTest::addRow("deploy last character changed") << u"deploy group"_s << u"flip"_s << unknown;
    QTest::addRow("job last character changed") << u"job"_s << u"flip"_s << unknown;
    QTest::addRow("pat one character longer") << u"pat"_s << u"append"_s << unknown;
    QTest::addRow("pat one character shorter") << u"pat"_s << u"chop"_s << unknown;
    QTest::addRow("pat in lower case") << u"pat"_s << u"lower"_s << unknown;
    QTest::addRow("deploy secret with pat prefix") << u"deploy project"_s << u"as pat"_s << unknown;
    QTest::addRow("pat secret with job prefix") << u"pat"_s << u"as job"_s << unknown;
    QTest::addRow("pat without prefix") << u"pat"_s << u"no prefix"_s << unknown;
    QTest::addRow("pat with spaces around") << u"pat"_s << u"spaces"_s << unknown;
    QTest::addRow("empty") << u"pat"_s << u"empty"_s << unknown;
}

void tst_TokenService::refused()
{
    QFETCH(QString, what);
    QFETCH(QString, spoil);
    QFETCH(QString, message);

    TokenService &tokens = m_fixture->tokens();
    const Result<CreatedToken> created = createToken(what);
    QVERIFY_RESULT(created);
    const TokenKind kind = *TokenService::kindOf(created->token);
    const QString table = kind == TokenKind::Personal ? u"personal_access_tokens"_s
        : kind == TokenKind::Deploy                   ? u"deploy_tokens"_s
                                                      : u"job_tokens"_s;
    QString token = created->token;
    const QString secret = token.mid(token.indexOf(u'-') + 1);
    if (spoil == u"revoke"_s) {
        QVERIFY_RESULT(tokens.revoke(kind, created->id));
    } else if (spoil.startsWith(u"expire"_s)) {
        // The service refuses to create an expired token; age it in the table.
        const int days = spoil.section(u' ', 1).toInt();
        setColumn(table,
                  u"expires_at"_s,
                  QDateTime::currentDateTimeUtc().date().addDays(days).toString(Qt::ISODate),
                  created->id);
    } else if (spoil == u"finish"_s) {
        QVERIFY_RESULT(tokens.finishJob(token));
    } else if (spoil == u"flip"_s) {
        token.back() = token.back() == u'a' ? u'b' : u'a';
    } else if (spoil == u"append"_s) {
        token += u'a';
    } else if (spoil == u"chop"_s) {
        token.chop(1);
    } else if (spoil == u"lower"_s) {
        token = token.toLower();
        QVERIFY(token != created->token);
    } else if (spoil == u"as pat"_s) {
        token = u"tpat-"_s + secret;
    } else if (spoil == u"as job"_s) {
        token = u"tjob-"_s + secret;
    } else if (spoil == u"no prefix"_s) {
        token = secret;
    } else if (spoil == u"spaces"_s) {
        token = u' ' + token + u' ';
    } else if (spoil == u"empty"_s) {
        token.clear();
    }
    QSignalSpy changed(&m_fixture->events(), &Events::tokensChanged);
    QCOMPARE_ERROR(tokens.authenticate(token), Error::Code::Unauthorized, message);
    QCOMPARE(changed.count(), 0);
    // The untouched token still works unless the token itself was spoilt.
    const bool tokenSpoilt =
        spoil == u"revoke"_s || spoil.startsWith(u"expire"_s) || spoil == u"finish"_s;
    QCOMPARE(tokens.authenticate(created->token).has_value(), !tokenSpoilt);
}

void tst_TokenService::unknownAndMalformedLookAlike()
{
    // Nothing in the answer tells an unknown token from a malformed one or a finished job, so a
    // caller learns nothing about which secrets exist.
    TokenService &tokens = m_fixture->tokens();
    const Result<CreatedToken> job = createToken(u"job"_s);
    QVERIFY_RESULT(job);
    QVERIFY_RESULT(tokens.finishJob(job->token));
    const QStringList tokensToTry = {
        u"tpat-"_s + QString(40, u'A'),
        u"tdt-"_s + QString(40, u'A'),
        u"tjob-"_s + QString(40, u'A'),
        u"glpat-xxxxxxxxxxxxxxxxxxxx"_s,
        u"x"_s,
        job->token,
    };
    for (const QString &token : tokensToTry) {
        const Result<Actor> actor = tokens.authenticate(token);
        QVERIFY2(!actor, qPrintable(token));
        QCOMPARE(actor.error().code, Error::Code::Unauthorized);
        QCOMPARE(actor.error().message, u"401 Unauthorized"_s);
    }
}

QVariant tst_TokenService::storedLastUse(const QString &table, qint64 id)
{
    QSqlQuery select(m_fixture.connection());
    select.prepare(u"SELECT last_used_at FROM "_s + table + u" WHERE id = :id"_s);
    select.bindValue(u":id"_s, id);
    if (!select.exec() || !select.next()) {
        qWarning() << select.lastError().text();
        return u"no row"_s;
    }
    return select.value(0);
}

void tst_TokenService::lastUsedRecorded()
{
    TokenService &tokens = m_fixture->tokens();
    const Result<CreatedToken> pat = createToken(u"pat"_s);
    QVERIFY_RESULT(pat);
    const Result<CreatedToken> deploy = createToken(u"deploy project"_s);
    QVERIFY_RESULT(deploy);
    QVERIFY(!tokens.store().personalToken(pat->id)->lastUsedAt.isValid());
    QVERIFY(!tokens.store().deployToken(deploy->id)->lastUsedAt.isValid());
    QSignalSpy changed(&m_fixture->events(), &Events::tokensChanged);

    const QDateTime before = QDateTime::currentDateTimeUtc().addMSecs(-1);
    QVERIFY_RESULT(tokens.authenticate(pat->token));
    QVERIFY_RESULT(tokens.authenticate(deploy->token));
    const QDateTime first = tokens.store().personalToken(pat->id)->lastUsedAt;
    QVERIFY(first.isValid());
    QVERIFY(first >= before);
    QVERIFY(tokens.store().deployToken(deploy->id)->lastUsedAt >= before);
    QCOMPARE(changed.count(), 2);

    // Every use shows at once, newest first, in every read of this process (the tokens window
    // reads through its own TokenStore), but is announced at most once a minute per token.
    QTest::qWait(5);
    QVERIFY_RESULT(tokens.authenticate(pat->token));
    const QDateTime second = tokens.store().personalToken(pat->id)->lastUsedAt;
    QVERIFY(second > first);
    QCOMPARE(TokenStore(m_fixture->database()).personalToken(pat->id)->lastUsedAt, second);
    QCOMPARE(tokens.store().personalTokens()->constFirst().lastUsedAt, second);
    QCOMPARE(changed.count(), 2);

    // An older use written by someone else does not hide the newer one in memory; a newer one
    // (another process's) wins over it.
    const qint64 old = QDateTime::currentDateTimeUtc().addSecs(-120).toMSecsSinceEpoch();
    setColumn(u"personal_access_tokens"_s, u"last_used_at"_s, old, pat->id);
    QCOMPARE(tokens.store().personalToken(pat->id)->lastUsedAt, second);
    const qint64 later = second.addSecs(10).toMSecsSinceEpoch();
    setColumn(u"personal_access_tokens"_s, u"last_used_at"_s, later, pat->id);
    QCOMPARE(tokens.store().personalToken(pat->id)->lastUsedAt.toMSecsSinceEpoch(), later);
}

void tst_TokenService::lastUseWrittenInBatches()
{
    TokenService &tokens = m_fixture->tokens();
    const Result<CreatedToken> pat = createToken(u"pat"_s);
    QVERIFY_RESULT(pat);
    const Result<CreatedToken> deploy = createToken(u"deploy group"_s);
    QVERIFY_RESULT(deploy);

    QVERIFY_RESULT(tokens.authenticate(pat->token));
    QVERIFY_RESULT(tokens.authenticate(deploy->token));
    const QDateTime shown = tokens.store().personalToken(pat->id)->lastUsedAt;
    QVERIFY(shown.isValid());
    // Not written yet: the batch interval (30 s) has not passed.
    QVERIFY(storedLastUse(u"personal_access_tokens"_s, pat->id).isNull());
    QVERIFY(storedLastUse(u"deploy_tokens"_s, deploy->id).isNull());

    const Result<int> flushed = tokens.flushUsage();
    QVERIFY_RESULT(flushed);
    QCOMPARE(*flushed, 2);
    QCOMPARE(storedLastUse(u"personal_access_tokens"_s, pat->id).toLongLong(),
             shown.toMSecsSinceEpoch());
    QVERIFY(!storedLastUse(u"deploy_tokens"_s, deploy->id).isNull());
    // Nothing left to write.
    QCOMPARE(*tokens.flushUsage(), 0);

    // Once the interval has passed, the next authentication writes the batch itself.
    tokens.setUsageFlushIntervalMs(0);
    QTest::qWait(5);
    QVERIFY_RESULT(tokens.authenticate(pat->token));
    const QDateTime newer = tokens.store().personalToken(pat->id)->lastUsedAt;
    QVERIFY(newer > shown);
    QCOMPARE(storedLastUse(u"personal_access_tokens"_s, pat->id).toLongLong(),
             newer.toMSecsSinceEpoch());
}

void tst_TokenService::flushKeepsTheChangeStamp()
{
    TokenService &tokens = m_fixture->tokens();
    const Result<CreatedToken> pat = createToken(u"pat"_s);
    QVERIFY_RESULT(pat);
    tokens.setUsageFlushIntervalMs(0);
    const QByteArray stamp = m_fixture->database().changeStamp();
    for (int i = 0; i < 3; ++i) {
        QTest::qWait(2);
        QVERIFY_RESULT(tokens.authenticate(pat->token));
        QVERIFY(!storedLastUse(u"personal_access_tokens"_s, pat->id).isNull());
        QCOMPARE(m_fixture->database().changeStamp(), stamp);
    }
    // Any other write still shows.
    QVERIFY_RESULT(createToken(u"admin pat"_s));
    QVERIFY(m_fixture->database().changeStamp() != stamp);
}

void tst_TokenService::heldWriteLockDoesNotDelay()
{
    if (m_fixture.onPostgres()) {
        QSKIP("holds SQLite's write lock from a second connection; PostgreSQL's is an advisory "
              "lock per schema (docs/postgresql.md), not taken here yet");
    }
    TokenService &tokens = m_fixture->tokens();
    const Result<CreatedToken> pat = createToken(u"pat"_s);
    QVERIFY_RESULT(pat);
    tokens.setUsageFlushIntervalMs(0);
    {
        // Another connection (a publish, another process) holds the write lock.
        QSqlDatabase other = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"publisher"_s);
        other.setDatabaseName(m_fixture->database().filePath());
        QVERIFY(other.open());
        QSqlQuery begin(other);
        QVERIFY(begin.exec(u"BEGIN IMMEDIATE"_s));
        QVERIFY(begin.exec(u"UPDATE users SET admin = admin"_s));

        QElapsedTimer timer;
        timer.start();
        const Result<Actor> actor = tokens.authenticate(pat->token);
        const qint64 elapsed = timer.elapsed();
        QVERIFY_RESULT(actor);
        QCOMPARE(actor->tokenId, pat->id);
        QVERIFY2(elapsed < 100, qPrintable(u"authenticate took %1 ms"_s.arg(elapsed)));
        // The use shows and waits for the next batch.
        QVERIFY(tokens.store().personalToken(pat->id)->lastUsedAt.isValid());
        QVERIFY(storedLastUse(u"personal_access_tokens"_s, pat->id).isNull());

        QVERIFY(begin.exec(u"COMMIT"_s));
        begin.finish();
        other.close();
    }
    QSqlDatabase::removeDatabase(u"publisher"_s);
    QVERIFY_RESULT(tokens.authenticate(pat->token));
    QCOMPARE(storedLastUse(u"personal_access_tokens"_s, pat->id).toLongLong(),
             tokens.store().personalToken(pat->id)->lastUsedAt.toMSecsSinceEpoch());
}

void tst_TokenService::lastUseWrittenAtClose()
{
    const Result<CreatedToken> pat = createToken(u"pat"_s);
    QVERIFY_RESULT(pat);
    QVERIFY_RESULT(m_fixture->tokens().authenticate(pat->token));
    const QDateTime shown = m_fixture->tokens().store().personalToken(pat->id)->lastUsedAt;
    QVERIFY(shown.isValid());
    // Closing the registry writes what is pending; the reopened one reads it from the file.
    QVERIFY2(m_fixture.reopen(), qPrintable(m_fixture.error()));
    QCOMPARE(storedLastUse(u"personal_access_tokens"_s, pat->id).toLongLong(),
             shown.toMSecsSinceEpoch());
    QCOMPARE(m_fixture->tokens().store().personalToken(pat->id)->lastUsedAt, shown);
}

void tst_TokenService::concurrentUses()
{
    // The server authenticates on several worker threads at once, each with its own connection,
    // while batches are written.
    TokenService &tokens = m_fixture->tokens();
    const Result<CreatedToken> pat = createToken(u"pat"_s);
    QVERIFY_RESULT(pat);
    const Result<CreatedToken> deploy = createToken(u"deploy group"_s);
    QVERIFY_RESULT(deploy);
    tokens.setUsageFlushIntervalMs(0);
    std::atomic<int> failures{0};
    QList<QThread *> threads;
    for (int t = 0; t < 4; ++t) {
        const QString token = t % 2 ? pat->token : deploy->token;
        threads.append(QThread::create([&tokens, &failures, token] {
            for (int i = 0; i < 50; ++i) {
                if (!tokens.authenticate(token)) {
                    ++failures;
                }
            }
        }));
        threads.last()->start();
    }
    for (QThread *thread : std::as_const(threads)) {
        QVERIFY(thread->wait(60000));
        delete thread;
    }
    QCOMPARE(failures.load(), 0);
    QVERIFY_RESULT(tokens.flushUsage());
    // What the file holds is the newest use shown.
    QCOMPARE(storedLastUse(u"personal_access_tokens"_s, pat->id).toLongLong(),
             tokens.store().personalToken(pat->id)->lastUsedAt.toMSecsSinceEpoch());
    QCOMPARE(storedLastUse(u"deploy_tokens"_s, deploy->id).toLongLong(),
             tokens.store().deployToken(deploy->id)->lastUsedAt.toMSecsSinceEpoch());
}

void tst_TokenService::finishJob()
{
    TokenService &tokens = m_fixture->tokens();
    const Result<CreatedToken> job = createToken(u"job"_s);
    QVERIFY_RESULT(job);
    const Result<CreatedToken> pat = createToken(u"pat"_s);
    QVERIFY_RESULT(pat);
    QSignalSpy changed(&m_fixture->events(), &Events::tokensChanged);

    QCOMPARE(tokens.finishJob(pat->token).error().code, Error::Code::Invalid);
    QCOMPARE(tokens.finishJob(u"tjob-"_s + QString(40, u'A')).error().code, Error::Code::NotFound);
    QCOMPARE(changed.count(), 0);

    QVERIFY_RESULT(tokens.finishJob(job->token));
    QCOMPARE(changed.count(), 1);
    const Result<JobToken> stored = tokens.store().jobToken(job->id);
    QVERIFY_RESULT(stored);
    QVERIFY(!stored->running);
    QVERIFY(stored->finishedAt.isValid());
    QCOMPARE(tokens.authenticate(job->token).error().code, Error::Code::Unauthorized);

    QCOMPARE(tokens.revoke(TokenKind::Personal, 999).error().code, Error::Code::NotFound);
    QCOMPARE(tokens.revoke(TokenKind::Deploy, 999).error().code, Error::Code::NotFound);
    QCOMPARE(changed.count(), 1);
}

QTEST_GUILESS_MAIN(tst_TokenService)
#include "tst_tokenservice.moc"
