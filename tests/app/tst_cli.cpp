// SPDX-License-Identifier: GPL-3.0-or-later
// The admin command line (docs/cli.md §3) as users run it: the built `trove` executable against a
// fresh data directory per test. A verb that succeeds prints one line (the id, the token, or a
// compact JSON object with --json) and its effect is checked in the store; a refused verb exits
// non-zero, prints nothing on stdout and exactly one line on stderr, and leaves every table and
// every blob file exactly as it was.

#include "model/registry.h"
#include "model/storecheck.h"
#include "servehelper.h"
#include "tests/tarballwriter.h"

#include <QCryptographicHash>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>

#include <QDirIterator>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Trove;

namespace {

const QString TroveExecutable = QStringLiteral(TROVE_BINARY_DIR "/app/trove");

// A job token of the fixture; rows write this placeholder because _data() runs before init().
const QString JobPlaceholder = u"{job}"_s;

struct Run
{
    int exitCode = -1;
    bool crashed = false;
    QString out;
    QString err;
};

// What a successful verb printed: the id or the token, and the --json object if asked for.
struct Created
{
    bool ok = false;
    qint64 id = 0;
    QString token;
    QJsonObject json;
};

void addColumns()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<bool>("json");
    QTest::addColumn<QString>("input"); // standard input
    QTest::addColumn<int>("exitCode");
    // Success: a regular expression for the plain output. Refusal: a part of the stderr line.
    QTest::addColumn<QString>("expect");
    QTest::addColumn<QVariantMap>("fields"); // expected keys and values of the --json object
}

// Two rows: the verb as given, and with --json.
void addSuccess(const char *name,
                const QStringList &arguments,
                const QString &plainPattern,
                const QVariantMap &fields,
                const QString &input = {})
{
    QTest::addRow("%s", name) << arguments << false << input << 0 << plainPattern << fields;
    QTest::addRow("%s [--json]", name) << arguments << true << input << 0 << plainPattern << fields;
}

void addRefusal(const char *name,
                const QStringList &arguments,
                int exitCode,
                const QString &message,
                bool json = false,
                const QString &input = {})
{
    QTest::addRow("%s", name) << arguments << json << input << exitCode << message << QVariantMap{};
}

// The bad inputs of --expires, shared by token create and deploy-token create.
void addDateRefusals(const QStringList &arguments)
{
    const QString yesterday =
        QDateTime::currentDateTimeUtc().date().addDays(-1).toString(Qt::ISODate);
    const QString today = QDateTime::currentDateTimeUtc().date().toString(Qt::ISODate);
    const QString expires = u"--expires"_s;
    addRefusal("month 13", arguments + QStringList{expires, u"2026-13-01"_s}, 1, u"Invalid date"_s);
    addRefusal(
        "30 February", arguments + QStringList{expires, u"2027-02-30"_s}, 1, u"Invalid date"_s);
    addRefusal(
        "date in words", arguments + QStringList{expires, u"tomorrow"_s}, 1, u"Invalid date"_s);
    addRefusal("date without zero padding",
               arguments + QStringList{expires, u"2026-1-1"_s},
               1,
               u"Invalid date 2026-1-1"_s);
    addRefusal("date with a time",
               arguments + QStringList{expires, u"2099-01-01T00:00"_s},
               1,
               u"Invalid date"_s);
    addRefusal("date with a newline at the end",
               arguments + QStringList{expires, u"2099-01-01\n"_s},
               1,
               u"Invalid date"_s);
    addRefusal("date in other digits",
               arguments + QStringList{expires, u"\u0662\u0660\u0669\u0669-01-01"_s},
               1,
               u"Invalid date"_s);
    addRefusal("date in the past",
               arguments + QStringList{expires, u"2001-01-01"_s},
               1,
               u"must be in the future"_s);
    addRefusal("yesterday", arguments + QStringList{expires, yesterday}, 1, u"in the future"_s);
    addRefusal("today", arguments + QStringList{expires, today}, 1, u"in the future"_s);
}

QString replaced(QString text, const QString &jobToken)
{
    return text.replace(JobPlaceholder, jobToken);
}

// Every file under `root`, relative to it, sorted.
QStringList filesUnder(const QString &root)
{
    QStringList files;
    QDirIterator it(root, QDir::Files | QDir::Hidden | QDir::System, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        files.append(QDir(root).relativeFilePath(it.next()));
    }
    files.sort();
    return files;
}

bool copyTree(const QString &from, const QString &to)
{
    for (const QString &file : filesUnder(from)) {
        const QString target = QDir(to).filePath(file);
        if (!QDir().mkpath(QFileInfo(target).absolutePath())
            || !QFile::copy(QDir(from).filePath(file), target)) {
            return false;
        }
    }
    return true;
}

// The role a user holds directly in one group or project, from the store.
std::optional<AccessLevel> directLevel(const QList<Membership> &memberships, qint64 userId)
{
    for (const Membership &membership : memberships) {
        if (membership.userId == userId) {
            return membership.accessLevel;
        }
    }
    return std::nullopt;
}

// What `sqlite3 FILE .dump` shows, for machines without the sqlite3 program: the schema and
// every row of every table.
// Every table of the file, as SQL text; `error` says why when the file cannot be read.
QString tableDump(const QString &file, QString *error)
{
    const QString name = u"tst_cli_dump"_s;
    QString text;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, name);
        db.setDatabaseName(file);
        QSqlQuery schema(db);
        if (!db.open()) {
            *error = u"cannot open "_s + file;
        } else if (!schema.exec(
                       u"SELECT type, name, sql FROM sqlite_master ORDER BY type, name"_s)) {
            *error = schema.lastError().text();
        }
        QStringList tables;
        while (schema.next()) {
            text += schema.value(2).toString() + u";\n"_s;
            if (schema.value(0).toString() == u"table"_s) {
                tables.append(schema.value(1).toString());
            }
        }
        for (const QString &table : std::as_const(tables)) {
            QSqlQuery rows(db);
            if (!rows.exec(u"SELECT * FROM \"%1\" ORDER BY rowid"_s.arg(table))) {
                *error = rows.lastError().text();
                break;
            }
            while (rows.next()) {
                QStringList values;
                for (int i = 0; i < rows.record().count(); ++i) {
                    const QVariant value = rows.value(i);
                    values.append(value.isNull() ? u"NULL"_s : u"'"_s + value.toString() + u"'"_s);
                }
                text += u"INSERT INTO %1 VALUES(%2);\n"_s.arg(table, values.join(u','));
            }
        }
    }
    QSqlDatabase::removeDatabase(name);
    return text;
}

// The commands without a verb: their arguments follow the noun.
bool verbless(const QString &noun)
{
    return noun == u"check"_s || noun == u"deprecate"_s || noun == u"backup"_s
        || noun == u"restore"_s;
}

std::unique_ptr<Registry> openRegistry(const QString &dataDir)
{
    Result<std::unique_ptr<Registry>> registry = Registry::open(dataDir);
    if (!registry) {
        qWarning().noquote() << "Registry::open:" << registry.error().message;
        return nullptr;
    }
    return std::move(*registry);
}

} // namespace

class tst_Cli : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void groupCreate_data();
    void groupCreate();
    void projectCreate_data();
    void projectCreate();
    void userCreate_data();
    void userCreate();
    void memberAdd_data();
    void memberAdd();
    void tokenCreate_data();
    void tokenCreate();
    void deployTokenCreate_data();
    void deployTokenCreate();
    void jobTokenCreate_data();
    void jobTokenCreate();
    void jobTokenFinish_data();
    void jobTokenFinish();
    void forwardingSet_data();
    void forwardingSet();
    void upstreamSet_data();
    void upstreamSet();
    void protectAdd_data();
    void protectAdd();
    void unknownCommand_data();
    void unknownCommand();

    void dataDirectoryBeforeTheNoun();
    void dataDirectoryFromTheEnvironment();
    void finishedJobTokenIsRefused();
    void quietOnAFreshOrUntidyStore();
    void helpOnAVerb_data();
    void helpOnAVerb();
    void helpListsEveryVerb();
    void helpListsEveryOption();
    void check_data();
    void check();
    void startupCheck();

    void listings_data();
    void listings();
    void newVerbRefusals_data();
    void newVerbRefusals();
    void groupDelete();
    void projectDelete();
    void projectSet();
    void userDelete();
    void memberRemove();
    void tokenRevoke();
    void deployTokenRevoke();
    void packageDelete();
    void tags();
    void deprecateByRange();
    void checkRepair();
    void backupAndRestore();
    void backupDuringPublishes();

private:
    Run trove(const QStringList &arguments,
              const QString &input = {},
              const QProcessEnvironment &environment = {}) const;
    // --data goes right after the noun and verb, so a "--" in the arguments cannot swallow it.
    QStringList withData(const QStringList &arguments) const;
    // Every table (schema and rows, as `sqlite3 .dump` prints them) and every blob file.
    QString storeState() const;
    // Runs a verb with --json that must succeed; its object (empty, with a warning, if not).
    QJsonObject runJson(const QStringList &arguments);
    // Runs the current row of a verb test; `created->ok` only when the verb succeeded as
    // expected and the caller should check its effect in the store.
    void runRow(Created *created);
    void checkRefused(const QStringList &arguments,
                      bool json,
                      const QString &input,
                      int exitCode,
                      const QString &message);

    QTemporaryDir m_template; // the fixture store, copied for each test
    QString m_jobToken; // of a running job of acme/web/app, acting as mia
    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_data; // the data directory of the running test
    QProcessEnvironment m_environment;
};

void tst_Cli::initTestCase()
{
    QVERIFY2(QFileInfo(TroveExecutable).isExecutable(), qPrintable(TroveExecutable));
    QVERIFY(m_template.isValid());
    // The fixture is built through the model, once: a group tree, projects, users, memberships,
    // every kind of token, settings, a protection rule and a published package, so that the
    // "unchanged" comparisons cover every table.
    std::unique_ptr<Registry> registry = openRegistry(m_template.path());
    QVERIFY(registry);
    NamespaceService &namespaces = registry->namespaces();
    QVERIFY(namespaces.createGroup(u"acme"_s, Visibility::Internal));
    QVERIFY(namespaces.createGroup(u"acme/web"_s, Visibility::Private));
    const Result<Group> open = namespaces.createGroup(u"open"_s, Visibility::Public);
    QVERIFY(open);
    const Result<Project> app = namespaces.createProject(u"acme/web/app"_s, Visibility::Private);
    QVERIFY(app);
    QVERIFY(namespaces.createProject(u"acme/lib"_s, Visibility::Internal));
    QVERIFY(namespaces.createProject(u"open/site"_s, Visibility::Public));
    const Result<User> mia = registry->users().createUser(u"mia"_s);
    QVERIFY(mia);
    QVERIFY(registry->users().createUser(u"rex"_s));
    QVERIFY(registry->users().createUser(u"root"_s, true));
    QVERIFY(registry->users().addGroupMember(u"mia"_s, u"acme"_s, AccessLevel::Developer));
    QVERIFY(
        registry->users().addProjectMember(u"rex"_s, u"acme/web/app"_s, AccessLevel::Maintainer));
    QVERIFY(registry->tokens().createPersonalAccessToken(mia->id, u"laptop"_s, {u"api"_s}));
    QVERIFY(
        registry->tokens().createDeployToken(0, app->id, u"ci"_s, {u"read_package_registry"_s}));
    const Result<CreatedToken> job = registry->tokens().createJobToken(app->id, mia->id);
    QVERIFY(job);
    m_jobToken = job->token;
    QVERIFY(registry->settings().setInstanceForwarding(true));
    QVERIFY(registry->settings().setGroupForwarding(open->id, false));
    QVERIFY(registry->settings().setUpstream(u"http://127.0.0.1:9/npm/"_s));
    QVERIFY(registry->settings().addProtectionRule(
        app->id, u"@acme/secret-*"_s, AccessLevel::Maintainer));
    PackageService::PublishRequest publish;
    publish.projectId = app->id;
    publish.name = u"@acme/util"_s;
    publish.version = u"1.0.0"_s;
    publish.packageJson = R"({"name":"@acme/util","version":"1.0.0"})";
    publish.tarball = QByteArray("not really gzip, the store does not look");
    publish.publisher.kind = Actor::Kind::User;
    publish.publisher.userId = mia->id;
    publish.publisher.username = u"mia"_s;
    const Result<Package> published = registry->packages().publish(publish);
    QVERIFY2(published, qPrintable(published ? QString() : published.error().message));
}

void tst_Cli::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_data = m_dir->filePath(u"data"_s);
    QVERIFY(copyTree(m_template.path(), m_data));
    // The default data folder of the child is inside the test's folder, and TROVE_DATA is unset:
    // whatever a test forgets, it cannot write to the user's real registry.
    m_environment = QProcessEnvironment::systemEnvironment();
    m_environment.remove(u"TROVE_DATA"_s);
    m_environment.remove(u"QT_LOGGING_RULES"_s);
    m_environment.remove(u"QT_LOGGING_CONF"_s);
    m_environment.insert(u"XDG_DATA_HOME"_s, m_dir->filePath(u"xdg"_s));
    m_environment.insert(u"HOME"_s, m_dir->filePath(u"home"_s));
}

void tst_Cli::cleanup()
{
    m_dir.reset();
}

Run tst_Cli::trove(const QStringList &arguments,
                   const QString &input,
                   const QProcessEnvironment &environment) const
{
    QProcess process;
    process.setProcessEnvironment(environment.isEmpty() ? m_environment : environment);
    process.start(TroveExecutable, arguments);
    if (!process.waitForStarted(30000)) {
        return {};
    }
    process.write(input.toUtf8());
    process.closeWriteChannel();
    if (!process.waitForFinished(30000)) {
        process.kill();
        process.waitForFinished();
        return {};
    }
    Run run;
    run.crashed = process.exitStatus() != QProcess::NormalExit;
    run.exitCode = run.crashed ? -1 : process.exitCode();
    run.out = QString::fromUtf8(process.readAllStandardOutput());
    run.err = QString::fromUtf8(process.readAllStandardError());
    return run;
}

QStringList tst_Cli::withData(const QStringList &arguments) const
{
    const qsizetype at = verbless(arguments.value(0)) ? 1 : 2;
    return arguments.mid(0, at) + QStringList{u"--data"_s, m_data} + arguments.mid(at);
}

QString tst_Cli::storeState() const
{
    // A dump that failed must fail the test, not compare equal to another failed dump: each
    // failure is recorded with QTest::qFail and answered with a text no other call returns.
    static int failures = 0;
    const auto failed = [](const QString &why) {
        QTest::qFail(qPrintable(u"storeState: "_s + why), __FILE__, __LINE__);
        return u"<store state unreadable #%1: %2>"_s.arg(++failures).arg(why);
    };
    QString state;
    if (QStandardPaths::findExecutable(u"sqlite3"_s).isEmpty()) {
        QString error;
        state = tableDump(QDir(m_data).filePath(u"trove.sqlite"_s), &error);
        if (!error.isEmpty()) {
            return failed(error);
        }
    } else {
        QProcess sqlite;
        sqlite.start(u"sqlite3"_s, {QDir(m_data).filePath(u"trove.sqlite"_s), u".dump"_s});
        const bool finished = sqlite.waitForFinished(30000);
        const QString err = QString::fromUtf8(sqlite.readAllStandardError());
        if (!finished || sqlite.exitStatus() != QProcess::NormalExit || sqlite.exitCode() != 0
            || !err.isEmpty()) {
            return failed(u"sqlite3 failed (exit code %1): %2"_s.arg(sqlite.exitCode()).arg(err));
        }
        state = QString::fromUtf8(sqlite.readAllStandardOutput());
        if (!state.contains(u"CREATE TABLE"_s)) {
            return failed(u"sqlite3 dumped no table"_s);
        }
    }
    state += u"\n-- blob files:\n"_s;
    state += filesUnder(QDir(m_data).filePath(u"blobs"_s)).join(u'\n');
    return state;
}

void tst_Cli::checkRefused(const QStringList &arguments,
                           bool json,
                           const QString &input,
                           int exitCode,
                           const QString &message)
{
    const QString before = storeState();
    QVERIFY2(before.contains(u"INSERT INTO packages"_s), qPrintable(before));
    QStringList command = withData(arguments);
    if (json) {
        command.append(u"--json"_s);
    }
    const Run run = trove(command, input);
    QVERIFY2(!run.crashed, qPrintable(run.err));
    QVERIFY2(run.exitCode == exitCode,
             qPrintable(u"exit code %1, stderr: %2"_s.arg(run.exitCode).arg(run.err)));
    QVERIFY2(run.out.isEmpty(), qPrintable(u"stdout: "_s + run.out));
    // Exactly one line, which says what is wrong.
    QVERIFY2(run.err.endsWith(u'\n'), qPrintable(run.err));
    const QString line = run.err.trimmed();
    QVERIFY2(!line.isEmpty() && !line.contains(u'\n') && !line.contains(u'\r'),
             qPrintable(run.err));
    const QString noun = verbless(arguments.value(0))
        ? arguments.value(0)
        : arguments.value(0) + u' ' + arguments.value(1);
    QVERIFY2(line.startsWith(u"trove "_s + noun + u": "_s), qPrintable(line));
    QVERIFY2(line.contains(message), qPrintable(u"\"%1\" lacks \"%2\""_s.arg(line, message)));
    const QString after = storeState();
    if (after != before) {
        qWarning().noquote() << "before:\n" << before << "\nafter:\n" << after;
    }
    QVERIFY2(after == before, "a refused command changed the store");
}

void tst_Cli::runRow(Created *created)
{
    QFETCH(QStringList, arguments);
    QFETCH(bool, json);
    QFETCH(QString, input);
    QFETCH(int, exitCode);
    QFETCH(QString, expect);
    QFETCH(QVariantMap, fields);

    for (QString &argument : arguments) {
        argument = replaced(argument, m_jobToken);
    }
    input = replaced(input, m_jobToken);
    if (exitCode != 0) {
        checkRefused(arguments, json, input, exitCode, expect);
        return;
    }

    QStringList command = withData(arguments);
    if (json) {
        command.append(u"--json"_s);
    }
    const Run run = trove(command, input);
    QVERIFY2(!run.crashed && run.exitCode == 0,
             qPrintable(u"exit code %1, stderr: %2"_s.arg(run.exitCode).arg(run.err)));
    QVERIFY2(run.err.isEmpty(), qPrintable(run.err));
    // One line.
    QVERIFY2(run.out.endsWith(u'\n') && run.out.count(u'\n') == 1, qPrintable(run.out));
    const QString out = run.out.trimmed();
    if (!json) {
        QVERIFY2(QRegularExpression(expect).match(out).hasMatch(),
                 qPrintable(u"\"%1\" does not match %2"_s.arg(out, expect)));
        if (QRegularExpression(u"^\\d+$"_s).match(out).hasMatch()) {
            created->id = out.toLongLong();
        } else {
            created->token = out;
        }
        created->ok = true;
        return;
    }
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(run.out.toUtf8(), &error);
    QVERIFY2(error.error == QJsonParseError::NoError, qPrintable(error.errorString() + out));
    QVERIFY2(document.isObject(), qPrintable(out));
    // Compact.
    QCOMPARE(QString::fromUtf8(document.toJson(QJsonDocument::Compact)), out);
    const QJsonObject object = document.object();
    for (auto it = fields.cbegin(); it != fields.cend(); ++it) {
        QVERIFY2(object.contains(it.key()), qPrintable(it.key() + u" missing in "_s + out));
        QCOMPARE(object.value(it.key()), QJsonValue::fromVariant(it.value()));
    }
    if (object.contains(u"id"_s)) {
        // A number, not a string.
        QVERIFY2(object.value(u"id"_s).isDouble(), qPrintable(out));
        const double id = object.value(u"id"_s).toDouble();
        QVERIFY(id >= 1 && id == double(qint64(id)));
        created->id = qint64(id);
    }
    if (object.contains(u"token"_s)) {
        QVERIFY(object.value(u"token"_s).isString());
        created->token = object.value(u"token"_s).toString();
        QVERIFY2(QRegularExpression(expect).match(created->token).hasMatch(), qPrintable(out));
    }
    created->json = object;
    created->ok = true;
}

void tst_Cli::groupCreate_data()
{
    addColumns();
    const QString id = u"^\\d+$"_s;
    addSuccess(
        "top-level group, private by default",
        {u"group"_s, u"create"_s, u"beta"_s},
        id,
        {{u"full_path"_s, u"beta"_s}, {u"name"_s, u"beta"_s}, {u"visibility"_s, u"private"_s}});
    addSuccess("public group with a name",
               {u"group"_s,
                u"create"_s,
                u"gamma"_s,
                u"--visibility"_s,
                u"public"_s,
                u"--name"_s,
                u"Gamma Team"_s},
               id,
               {{u"full_path"_s, u"gamma"_s},
                {u"name"_s, u"Gamma Team"_s},
                {u"visibility"_s, u"public"_s}});
    addSuccess("subgroup of a subgroup",
               {u"group"_s, u"create"_s, u"acme/web/deep"_s},
               id,
               {{u"full_path"_s, u"acme/web/deep"_s}, {u"visibility"_s, u"private"_s}});
    addSuccess("subgroup as visible as its parent",
               {u"group"_s, u"create"_s, u"acme/Tools_1.x"_s, u"--visibility"_s, u"internal"_s},
               id,
               {{u"full_path"_s, u"acme/Tools_1.x"_s}, {u"visibility"_s, u"internal"_s}});

    const QStringList create = {u"group"_s, u"create"_s};
    const QString invalidPath = u"Invalid path"_s;
    addRefusal("duplicate path", create + QStringList{u"acme"_s}, 1, u"already been taken"_s);
    addRefusal("duplicate path, other case",
               create + QStringList{u"ACME"_s},
               1,
               u"Path ACME has already been taken"_s);
    addRefusal("duplicate subgroup, other case",
               create + QStringList{u"acme/WEB"_s},
               1,
               u"already been taken"_s);
    addRefusal(
        "path of a project", create + QStringList{u"acme/lib"_s}, 1, u"already been taken"_s);
    addRefusal("path with a space", create + QStringList{u"Bad Name"_s}, 1, invalidPath);
    addRefusal("path starting with a dash", create + QStringList{u"--"_s, u"-x"_s}, 1, invalidPath);
    addRefusal(
        "dash path taken for an option", create + QStringList{u"-x"_s}, 2, u"Unknown option"_s);
    addRefusal("path with ..", create + QStringList{u"a/../b"_s}, 1, invalidPath);
    addRefusal(
        "path with .. under a real group", create + QStringList{u"acme/../b"_s}, 1, invalidPath);
    addRefusal("path ending in .git", create + QStringList{u"x.git"_s}, 1, invalidPath);
    addRefusal("path starting with a dot", create + QStringList{u".hidden"_s}, 1, invalidPath);
    addRefusal("path with a slash at the end", create + QStringList{u"acme/"_s}, 1, invalidPath);
    addRefusal("empty path", create + QStringList{u""_s}, 1, invalidPath);
    // $ in a pattern also matches before a final newline: these once passed.
    addRefusal(
        "path with a newline at the end", create + QStringList{u"acme2\n"_s}, 1, invalidPath);
    addRefusal("path with a CR at the end", create + QStringList{u"acme2\r"_s}, 1, invalidPath);
    addRefusal("path that is a newline", create + QStringList{u"\n"_s}, 1, invalidPath);
    addRefusal("subgroup with a newline at the end",
               create + QStringList{u"acme/sub\n"_s},
               1,
               invalidPath);
    addRefusal("unknown parent group",
               create + QStringList{u"nope/sub"_s},
               1,
               u"Parent group nope not found"_s);
    addRefusal("unknown grandparent group",
               create + QStringList{u"acme/nope/sub"_s},
               1,
               u"Parent group acme/nope not found"_s);
    addRefusal("subgroup more visible than its parent",
               create + QStringList{u"acme/open"_s, u"--visibility"_s, u"public"_s},
               1,
               u"cannot be more visible"_s);
    addRefusal("unknown visibility",
               create + QStringList{u"x"_s, u"--visibility"_s, u"secret"_s},
               1,
               u"Unknown visibility secret"_s);
    addRefusal("unknown visibility [--json]",
               create + QStringList{u"x"_s, u"--visibility"_s, u"Public"_s},
               1,
               u"Unknown visibility Public"_s,
               true);
    addRefusal("no path", create, 2, u"expected 1 argument(s), got 0"_s);
    addRefusal("two paths", create + QStringList{u"x"_s, u"y"_s}, 2, u"expected 1 argument"_s);
}

void tst_Cli::groupCreate()
{
    Created created;
    runRow(&created);
    if (!created.ok) {
        return;
    }
    QFETCH(QStringList, arguments);
    QFETCH(QVariantMap, fields);
    const std::unique_ptr<Registry> registry = openRegistry(m_data);
    QVERIFY(registry);
    const Result<Group> group = registry->namespaces().store().groupByPath(arguments.at(2));
    QVERIFY(group);
    QCOMPARE(group->id, created.id);
    QCOMPARE(group->fullPath, arguments.at(2));
    QCOMPARE(visibilityName(group->visibility), fields.value(u"visibility"_s).toString());
    if (fields.contains(u"name"_s)) {
        QCOMPARE(group->name, fields.value(u"name"_s).toString());
    }
}

void tst_Cli::projectCreate_data()
{
    addColumns();
    const QString id = u"^\\d+$"_s;
    addSuccess("private project in a subgroup",
               {u"project"_s, u"create"_s, u"acme/web/site"_s},
               id,
               {{u"full_path"_s, u"acme/web/site"_s},
                {u"name"_s, u"site"_s},
                {u"visibility"_s, u"private"_s}});
    addSuccess("public project with a name",
               {u"project"_s,
                u"create"_s,
                u"open/blog"_s,
                u"--visibility"_s,
                u"public"_s,
                u"--name"_s,
                u"The Blog"_s},
               id,
               {{u"full_path"_s, u"open/blog"_s},
                {u"name"_s, u"The Blog"_s},
                {u"visibility"_s, u"public"_s}});
    addSuccess("internal project in an internal group",
               {u"project"_s, u"create"_s, u"acme/lib2"_s, u"--visibility"_s, u"internal"_s},
               id,
               {{u"full_path"_s, u"acme/lib2"_s}, {u"visibility"_s, u"internal"_s}});

    const QStringList create = {u"project"_s, u"create"_s};
    const QString invalidPath = u"Invalid path"_s;
    addRefusal("project without a group", create + QStringList{u"lonely"_s}, 1, u"GROUP/PROJECT"_s);
    addRefusal("project with a newline at the end",
               create + QStringList{u"acme/lib2\n"_s},
               1,
               u"Invalid path"_s);
    addRefusal("unknown group", create + QStringList{u"nope/app"_s}, 1, u"Group nope not found"_s);
    addRefusal("unknown subgroup",
               create + QStringList{u"acme/nope/app"_s},
               1,
               u"Group acme/nope not found"_s);
    addRefusal("duplicate path",
               create + QStringList{u"acme/web/app"_s},
               1,
               u"Path acme/web/app has already been taken"_s);
    addRefusal("duplicate path, other case",
               create + QStringList{u"ACME/Web/App"_s},
               1,
               u"already been taken"_s);
    addRefusal(
        "path of a subgroup", create + QStringList{u"acme/web"_s}, 1, u"already been taken"_s);
    addRefusal("path with a space", create + QStringList{u"acme/Bad Name"_s}, 1, invalidPath);
    addRefusal(
        "path starting with a dash", create + QStringList{u"--"_s, u"acme/-x"_s}, 1, invalidPath);
    addRefusal("path with ..", create + QStringList{u"acme/../app"_s}, 1, invalidPath);
    addRefusal("path ending in .git", create + QStringList{u"acme/x.git"_s}, 1, invalidPath);
    addRefusal("project more visible than its group",
               create + QStringList{u"acme/web/x"_s, u"--visibility"_s, u"internal"_s},
               1,
               u"cannot be more visible than its group acme/web"_s);
    addRefusal("unknown visibility",
               create + QStringList{u"acme/x"_s, u"--visibility"_s, u"everyone"_s},
               1,
               u"Unknown visibility everyone"_s);
    addRefusal("no path", create, 2, u"expected 1 argument"_s);
}

void tst_Cli::projectCreate()
{
    Created created;
    runRow(&created);
    if (!created.ok) {
        return;
    }
    QFETCH(QStringList, arguments);
    QFETCH(QVariantMap, fields);
    const std::unique_ptr<Registry> registry = openRegistry(m_data);
    QVERIFY(registry);
    const Result<Project> project = registry->namespaces().store().projectByPath(arguments.at(2));
    QVERIFY(project);
    QCOMPARE(project->id, created.id);
    QCOMPARE(visibilityName(project->visibility), fields.value(u"visibility"_s).toString());
    const Result<Group> group =
        registry->namespaces().store().groupByPath(arguments.at(2).section(u'/', 0, -2));
    QVERIFY(group);
    QCOMPARE(project->namespaceId, group->id);
    if (fields.contains(u"name"_s)) {
        QCOMPARE(project->name, fields.value(u"name"_s).toString());
    }
}

void tst_Cli::userCreate_data()
{
    addColumns();
    const QString id = u"^\\d+$"_s;
    addSuccess("user",
               {u"user"_s, u"create"_s, u"zoe"_s},
               id,
               {{u"username"_s, u"zoe"_s}, {u"admin"_s, false}});
    addSuccess("administrator",
               {u"user"_s, u"create"_s, u"boss"_s, u"--admin"_s},
               id,
               {{u"username"_s, u"boss"_s}, {u"admin"_s, true}});
    addSuccess("name with dot, dash and digit",
               {u"user"_s, u"create"_s, u"rex.d-2"_s},
               id,
               {{u"username"_s, u"rex.d-2"_s}});

    const QStringList create = {u"user"_s, u"create"_s};
    addRefusal("duplicate user", create + QStringList{u"mia"_s}, 1, u"already been taken"_s);
    addRefusal(
        "duplicate user, other case", create + QStringList{u"MIA"_s}, 1, u"already been taken"_s);
    addRefusal("name with a space", create + QStringList{u"a b"_s}, 1, u"Invalid username"_s);
    addRefusal("name with a newline at the end",
               create + QStringList{u"zoe\n"_s},
               1,
               u"Invalid username"_s);
    addRefusal(
        "name with a CR at the end", create + QStringList{u"zoe\r"_s}, 1, u"Invalid username"_s);
    addRefusal("empty name", create + QStringList{u""_s}, 1, u"Invalid username"_s);
    addRefusal(
        "unknown option", create + QStringList{u"x"_s, u"--root"_s}, 2, u"Unknown option 'root'"_s);
    addRefusal("no name", create, 2, u"expected 1 argument"_s);
}

void tst_Cli::userCreate()
{
    Created created;
    runRow(&created);
    if (!created.ok) {
        return;
    }
    QFETCH(QStringList, arguments);
    const std::unique_ptr<Registry> registry = openRegistry(m_data);
    QVERIFY(registry);
    const Result<User> user = registry->users().store().userByName(arguments.at(2));
    QVERIFY(user);
    QCOMPARE(user->id, created.id);
    QCOMPARE(user->admin, arguments.contains(u"--admin"_s));
}

void tst_Cli::memberAdd_data()
{
    addColumns();
    const QStringList add = {u"member"_s, u"add"_s};
    addSuccess("developer of a group",
               add + QStringList{u"--group"_s, u"acme"_s, u"rex"_s, u"developer"_s},
               u"^30$"_s,
               {{u"username"_s, u"rex"_s},
                {u"group"_s, u"acme"_s},
                {u"role"_s, u"developer"_s},
                {u"access_level"_s, 30}});
    addSuccess(
        "owner of a project",
        add + QStringList{u"--project"_s, u"acme/web/app"_s, u"mia"_s, u"owner"_s},
        u"^50$"_s,
        {{u"project"_s, u"acme/web/app"_s}, {u"role"_s, u"owner"_s}, {u"access_level"_s, 50}});
    addSuccess("guest of a subgroup",
               add + QStringList{u"--group"_s, u"acme/web"_s, u"root"_s, u"guest"_s},
               u"^10$"_s,
               {{u"role"_s, u"guest"_s}, {u"access_level"_s, 10}});
    addSuccess("reporter of a project",
               add + QStringList{u"--project"_s, u"open/site"_s, u"rex"_s, u"reporter"_s},
               u"^20$"_s,
               {{u"access_level"_s, 20}});
    addSuccess("maintainer, changing a role",
               add + QStringList{u"--group"_s, u"acme"_s, u"mia"_s, u"maintainer"_s},
               u"^40$"_s,
               {{u"role"_s, u"maintainer"_s}, {u"access_level"_s, 40}});

    addRefusal("unknown group",
               add + QStringList{u"--group"_s, u"nope"_s, u"mia"_s, u"developer"_s},
               1,
               u"nope not found"_s);
    addRefusal("unknown project",
               add + QStringList{u"--project"_s, u"acme/nope"_s, u"mia"_s, u"developer"_s},
               1,
               u"acme/nope not found"_s);
    addRefusal("a project given as a group",
               add + QStringList{u"--group"_s, u"acme/lib"_s, u"mia"_s, u"developer"_s},
               1,
               u"not found"_s);
    addRefusal("unknown user",
               add + QStringList{u"--group"_s, u"acme"_s, u"nobody"_s, u"developer"_s},
               1,
               u"User nobody not found"_s);
    addRefusal("unknown role",
               add + QStringList{u"--group"_s, u"acme"_s, u"mia"_s, u"boss"_s},
               1,
               u"Unknown role boss"_s);
    addRefusal("admin as a member role",
               add + QStringList{u"--project"_s, u"acme/web/app"_s, u"mia"_s, u"admin"_s},
               1,
               u"Unknown role admin"_s);
    addRefusal("role as a number",
               add + QStringList{u"--group"_s, u"acme"_s, u"mia"_s, u"30"_s},
               1,
               u"Unknown role 30"_s,
               true);
    addRefusal("both --group and --project",
               add
                   + QStringList{u"--group"_s,
                                 u"acme"_s,
                                 u"--project"_s,
                                 u"acme/lib"_s,
                                 u"mia"_s,
                                 u"developer"_s},
               2,
               u"exactly one of --group and --project"_s);
    addRefusal("neither --group nor --project",
               add + QStringList{u"mia"_s, u"developer"_s},
               2,
               u"exactly one of --group and --project"_s);
    addRefusal("no role",
               add + QStringList{u"--group"_s, u"acme"_s, u"mia"_s},
               2,
               u"expected 2 argument(s), got 1"_s);
}

void tst_Cli::memberAdd()
{
    Created created;
    runRow(&created);
    if (!created.ok) {
        return;
    }
    QFETCH(QStringList, arguments);
    const bool group = arguments.at(2) == u"--group"_s;
    const QString path = arguments.at(3);
    const QString username = arguments.at(4);
    const std::optional<AccessLevel> level = accessLevelFromName(arguments.at(5));
    QVERIFY(level);
    const std::unique_ptr<Registry> registry = openRegistry(m_data);
    QVERIFY(registry);
    const Result<User> user = registry->users().store().userByName(username);
    QVERIFY(user);
    Result<QList<Membership>> memberships = QList<Membership>{};
    if (group) {
        const Result<Group> found = registry->namespaces().store().groupByPath(path);
        QVERIFY(found);
        memberships = registry->users().store().membershipsOfGroup(found->id);
    } else {
        const Result<Project> found = registry->namespaces().store().projectByPath(path);
        QVERIFY(found);
        memberships = registry->users().store().membershipsOfProject(found->id);
    }
    QVERIFY(memberships);
    QCOMPARE(directLevel(*memberships, user->id).value_or(AccessLevel::None), *level);
}

void tst_Cli::tokenCreate_data()
{
    addColumns();
    const QStringList create = {u"token"_s, u"create"_s};
    const QString pat = u"^tpat-[A-Za-z0-9]+$"_s;
    addSuccess("api scope by default",
               create + QStringList{u"mia"_s},
               pat,
               {{u"username"_s, u"mia"_s},
                {u"scopes"_s, QStringList{u"api"_s}},
                {u"expires_at"_s, QVariant()}});
    addSuccess(
        "both scopes, expiry and name",
        create
            + QStringList{u"mia"_s,
                          u"--scopes"_s,
                          u"api,read_api"_s,
                          u"--expires"_s,
                          u"2099-12-31"_s,
                          u"--name"_s,
                          u"ci"_s},
        pat,
        {{u"scopes"_s, QStringList{u"api"_s, u"read_api"_s}}, {u"expires_at"_s, u"2099-12-31"_s}});
    addSuccess("read_api for an administrator, user name in another case",
               create + QStringList{u"ROOT"_s, u"--scopes"_s, u"read_api"_s},
               pat,
               {{u"username"_s, u"root"_s}, {u"scopes"_s, QStringList{u"read_api"_s}}});

    addRefusal("unknown user", create + QStringList{u"nobody"_s}, 1, u"User nobody not found"_s);
    addRefusal("unknown scope",
               create + QStringList{u"mia"_s, u"--scopes"_s, u"api,sudo"_s},
               1,
               u"Unknown scope sudo"_s);
    addRefusal("deploy token scope",
               create + QStringList{u"mia"_s, u"--scopes"_s, u"read_package_registry"_s},
               1,
               u"Unknown scope read_package_registry"_s);
    addRefusal(
        "empty scope list", create + QStringList{u"mia"_s, u"--scopes"_s, u""_s}, 1, u"scope"_s);
    addRefusal("unknown scope [--json]",
               create + QStringList{u"mia"_s, u"--scopes"_s, u"write"_s},
               1,
               u"Unknown scope write"_s,
               true);
    addDateRefusals(create + QStringList{u"mia"_s});
    addRefusal("no user", create, 2, u"expected 1 argument"_s);
}

void tst_Cli::tokenCreate()
{
    Created created;
    runRow(&created);
    if (!created.ok) {
        return;
    }
    QFETCH(QVariantMap, fields);
    QFETCH(QStringList, arguments);
    const std::unique_ptr<Registry> registry = openRegistry(m_data);
    QVERIFY(registry);
    const Result<Actor> actor = registry->tokens().authenticate(created.token);
    QVERIFY2(actor, qPrintable(actor ? QString() : actor.error().message));
    QCOMPARE(actor->kind, Actor::Kind::User);
    QCOMPARE(actor->username, arguments.at(2).toLower());
    if (fields.contains(u"scopes"_s)) {
        QCOMPARE(actor->scopes, fields.value(u"scopes"_s).toStringList());
    }
    if (created.id != 0) {
        QCOMPARE(actor->tokenId, created.id);
    }
    // Only a digest is stored.
    QVERIFY(!storeState().contains(created.token.mid(5)));
}

void tst_Cli::deployTokenCreate_data()
{
    addColumns();
    const QStringList create = {u"deploy-token"_s, u"create"_s};
    const QString dt = u"^tdt-[A-Za-z0-9]+$"_s;
    addSuccess(
        "project, both scopes",
        create
            + QStringList{u"--project"_s,
                          u"acme/web/app"_s,
                          u"--scopes"_s,
                          u"read_package_registry,write_package_registry"_s},
        dt,
        {{u"project"_s, u"acme/web/app"_s},
         {u"scopes"_s, QStringList{u"read_package_registry"_s, u"write_package_registry"_s}}});
    addSuccess("group, name, username and expiry",
               create
                   + QStringList{u"--group"_s,
                                 u"acme"_s,
                                 u"--scopes"_s,
                                 u"read_package_registry"_s,
                                 u"--name"_s,
                                 u"mirror"_s,
                                 u"--username"_s,
                                 u"reader"_s,
                                 u"--expires"_s,
                                 u"2099-01-01"_s},
               dt,
               {{u"group"_s, u"acme"_s},
                {u"username"_s, u"reader"_s},
                {u"scopes"_s, QStringList{u"read_package_registry"_s}}});

    const QStringList project = create + QStringList{u"--project"_s, u"acme/web/app"_s};
    const QStringList read = {u"--scopes"_s, u"read_package_registry"_s};
    addRefusal("missing --scopes", project, 2, u"--scopes is required"_s);
    addRefusal("missing --scopes [--json]", project, 2, u"--scopes is required"_s, true);
    addRefusal("both --group and --project",
               project + QStringList{u"--group"_s, u"acme"_s} + read,
               2,
               u"exactly one of --group and --project"_s);
    addRefusal("neither --group nor --project", create + read, 2, u"exactly one"_s);
    addRefusal("unknown project",
               create + QStringList{u"--project"_s, u"acme/nope"_s} + read,
               1,
               u"acme/nope not found"_s);
    addRefusal("unknown group",
               create + QStringList{u"--group"_s, u"nope"_s} + read,
               1,
               u"nope not found"_s);
    addRefusal("personal token scope",
               project + QStringList{u"--scopes"_s, u"api"_s},
               1,
               u"Unknown scope api"_s);
    addRefusal("one unknown scope of two",
               project + QStringList{u"--scopes"_s, u"read_package_registry,delete"_s},
               1,
               u"Unknown scope delete"_s);
    addDateRefusals(project + read);
}

void tst_Cli::deployTokenCreate()
{
    Created created;
    runRow(&created);
    if (!created.ok) {
        return;
    }
    QFETCH(QStringList, arguments);
    QFETCH(QVariantMap, fields);
    const std::unique_ptr<Registry> registry = openRegistry(m_data);
    QVERIFY(registry);
    const Result<Actor> actor = registry->tokens().authenticate(created.token);
    QVERIFY2(actor, qPrintable(actor ? QString() : actor.error().message));
    QCOMPARE(actor->kind, Actor::Kind::DeployToken);
    QCOMPARE(actor->scopes, fields.value(u"scopes"_s).toStringList());
    const qsizetype at = arguments.indexOf(u"--group"_s);
    if (at >= 0) {
        const Result<Group> group =
            registry->namespaces().store().groupByPath(arguments.at(at + 1));
        QVERIFY(group);
        QCOMPARE(actor->deployGroupId, group->id);
        QCOMPARE(actor->deployProjectId, qint64(0));
    } else {
        const Result<Project> project = registry->namespaces().store().projectByPath(
            arguments.at(arguments.indexOf(u"--project"_s) + 1));
        QVERIFY(project);
        QCOMPARE(actor->deployProjectId, project->id);
        QCOMPARE(actor->deployGroupId, qint64(0));
    }
    if (fields.contains(u"username"_s)) {
        QCOMPARE(actor->username, fields.value(u"username"_s).toString());
    } else {
        QVERIFY2(actor->username.startsWith(u"trove+deploy-token-"_s), qPrintable(actor->username));
    }
    QVERIFY(!storeState().contains(created.token.mid(4)));
}

void tst_Cli::jobTokenCreate_data()
{
    addColumns();
    const QStringList create = {u"job-token"_s, u"create"_s};
    addSuccess("job of a project",
               create + QStringList{u"--project"_s, u"acme/web/app"_s, u"--user"_s, u"mia"_s},
               u"^tjob-[A-Za-z0-9]+$"_s,
               {{u"project"_s, u"acme/web/app"_s}, {u"username"_s, u"mia"_s}});

    addRefusal("unknown project",
               create + QStringList{u"--project"_s, u"acme/nope"_s, u"--user"_s, u"mia"_s},
               1,
               u"acme/nope not found"_s);
    addRefusal("a group given as the project",
               create + QStringList{u"--project"_s, u"acme/web"_s, u"--user"_s, u"mia"_s},
               1,
               u"not found"_s);
    addRefusal("unknown user",
               create + QStringList{u"--project"_s, u"acme/web/app"_s, u"--user"_s, u"nobody"_s},
               1,
               u"User nobody not found"_s);
    addRefusal("no --user",
               create + QStringList{u"--project"_s, u"acme/web/app"_s},
               2,
               u"--project and --user are required"_s);
    addRefusal("no --project",
               create + QStringList{u"--user"_s, u"mia"_s},
               2,
               u"--project and --user are required"_s);
}

void tst_Cli::jobTokenCreate()
{
    Created created;
    runRow(&created);
    if (!created.ok) {
        return;
    }
    const std::unique_ptr<Registry> registry = openRegistry(m_data);
    QVERIFY(registry);
    const Result<Actor> actor = registry->tokens().authenticate(created.token);
    QVERIFY2(actor, qPrintable(actor ? QString() : actor.error().message));
    QCOMPARE(actor->kind, Actor::Kind::JobToken);
    QCOMPARE(actor->username, u"mia"_s);
    QVERIFY(!actor->admin);
    const Result<Project> project = registry->namespaces().store().projectByPath(u"acme/web/app"_s);
    QVERIFY(project);
    QCOMPARE(actor->jobProjectId, project->id);
    QVERIFY(!storeState().contains(created.token.mid(5)));
}

void tst_Cli::jobTokenFinish_data()
{
    addColumns();
    const QStringList finish = {u"job-token"_s, u"finish"_s};
    const QVariantMap finished = {{u"finished"_s, true}};
    addSuccess(
        "token as the argument", finish + QStringList{JobPlaceholder}, u"^finished$"_s, finished);
    addSuccess("token on standard input",
               finish + QStringList{u"-"_s},
               u"^finished$"_s,
               finished,
               JobPlaceholder + u'\n');
    addSuccess("token on standard input without a newline",
               finish + QStringList{u"-"_s},
               u"^finished$"_s,
               finished,
               JobPlaceholder);

    addRefusal("unknown job token",
               finish + QStringList{u"tjob-0000000000000000000000000000000000000000"_s},
               1,
               u"No job has this token"_s);
    addRefusal("unknown job token on standard input",
               finish + QStringList{u"-"_s},
               1,
               u"No job has this token"_s,
               false,
               u"tjob-1111111111111111111111111111111111111111\n"_s);
    addRefusal("personal access token", finish + QStringList{u"tpat-x"_s}, 1, u"Not a job token"_s);
    addRefusal("nothing on standard input", finish + QStringList{u"-"_s}, 1, u"Not a job token"_s);
    addRefusal("no token", finish, 2, u"expected 1 argument"_s);
}

void tst_Cli::jobTokenFinish()
{
    Created created;
    runRow(&created);
    if (!created.ok) {
        return;
    }
    const std::unique_ptr<Registry> registry = openRegistry(m_data);
    QVERIFY(registry);
    const Result<Actor> actor = registry->tokens().authenticate(m_jobToken);
    QVERIFY(!actor);
    QCOMPARE(actor.error().code, Error::Code::Unauthorized);
}

void tst_Cli::forwardingSet_data()
{
    addColumns();
    const QStringList set = {u"forwarding"_s, u"set"_s};
    addSuccess("instance off",
               set + QStringList{u"off"_s},
               u"^off$"_s,
               {{u"scope"_s, u"instance"_s}, {u"forwarding"_s, false}, {u"lock"_s, false}});
    addSuccess("instance off, locked",
               set + QStringList{u"off"_s, u"--lock"_s},
               u"^off$"_s,
               {{u"scope"_s, u"instance"_s}, {u"forwarding"_s, false}, {u"lock"_s, true}});
    addSuccess("instance on, locked",
               set + QStringList{u"on"_s, u"--lock"_s},
               u"^on$"_s,
               {{u"scope"_s, u"instance"_s}, {u"forwarding"_s, true}, {u"lock"_s, true}});
    addSuccess("group on",
               set + QStringList{u"on"_s, u"--group"_s, u"open"_s},
               u"^on$"_s,
               {{u"scope"_s, u"open"_s}, {u"forwarding"_s, true}, {u"lock"_s, false}});
    addSuccess("subgroup off, locked",
               set + QStringList{u"off"_s, u"--group"_s, u"acme/web"_s, u"--lock"_s},
               u"^off$"_s,
               {{u"scope"_s, u"acme/web"_s}, {u"forwarding"_s, false}, {u"lock"_s, true}});

    addRefusal("unknown state",
               set + QStringList{u"maybe"_s},
               1,
               u"Unknown state maybe: use on, off or proxy"_s);
    addRefusal("state as a number", set + QStringList{u"1"_s}, 1, u"Unknown state 1"_s, true);
    addRefusal("unknown group",
               set + QStringList{u"on"_s, u"--group"_s, u"nope"_s},
               1,
               u"nope not found"_s);
    addRefusal("no state", set, 2, u"expected 1 argument"_s);
}

void tst_Cli::forwardingSet()
{
    Created created;
    runRow(&created);
    if (!created.ok) {
        return;
    }
    QFETCH(QStringList, arguments);
    const bool enabled = arguments.at(2) == u"on"_s;
    const bool lock = arguments.contains(u"--lock"_s);
    const qsizetype at = arguments.indexOf(u"--group"_s);
    const std::unique_ptr<Registry> registry = openRegistry(m_data);
    QVERIFY(registry);
    SettingsService &settings = registry->settings();
    const Result<Group> acme = registry->namespaces().store().groupByPath(u"acme"_s);
    const Result<Group> open = registry->namespaces().store().groupByPath(u"open"_s);
    QVERIFY(acme && open);
    if (at < 0) {
        QCOMPARE(*settings.instanceForwarding(), enabled);
        // Only a locked instance setting overrides the group "open", which turned it off.
        QCOMPARE(*settings.forwardingForGroup(open->id), lock ? enabled : false);
        QCOMPARE(*settings.forwardingForGroup(acme->id), enabled);
        return;
    }
    const Result<Group> group = registry->namespaces().store().groupByPath(arguments.at(at + 1));
    QVERIFY(group);
    QCOMPARE(*settings.forwardingForGroup(group->id), enabled);
    QCOMPARE(*settings.instanceForwarding(), true);
    if (group->fullPath == u"acme/web"_s) {
        // A locked group setting holds for its subgroups; the group above keeps its own.
        const Result<Group> deep = registry->namespaces().createGroup(u"acme/web/deep"_s);
        QVERIFY(deep);
        QCOMPARE(*settings.forwardingForGroup(deep->id), enabled);
        QVERIFY(settings.setGroupForwarding(deep->id, !enabled));
        QCOMPARE(*settings.forwardingForGroup(deep->id), lock ? enabled : !enabled);
        QCOMPARE(*settings.forwardingForGroup(acme->id), true);
    }
}

void tst_Cli::upstreamSet_data()
{
    addColumns();
    const QStringList set = {u"upstream"_s, u"set"_s};
    addSuccess("path without a trailing slash",
               set + QStringList{u"http://127.0.0.1:9/npm"_s},
               u"^http://127\\.0\\.0\\.1:9/npm/$"_s,
               {{u"upstream"_s, u"http://127.0.0.1:9/npm/"_s}});
    addSuccess("host only",
               set + QStringList{u"https://upstream.example"_s},
               u"^https://upstream\\.example/$"_s,
               {{u"upstream"_s, u"https://upstream.example/"_s}});
    addSuccess("already normalised",
               set + QStringList{u"https://mirror.example/npm/"_s},
               u"^https://mirror\\.example/npm/$"_s,
               {{u"upstream"_s, u"https://mirror.example/npm/"_s}});

    const QString invalid = u"Invalid upstream URL"_s;
    addRefusal("ftp", set + QStringList{u"ftp://x"_s}, 1, invalid + u" ftp://x"_s);
    addRefusal("not a url", set + QStringList{u"not a url"_s}, 1, invalid);
    addRefusal("empty", set + QStringList{u""_s}, 1, invalid);
    addRefusal("empty [--json]", set + QStringList{u""_s}, 1, invalid, true);
    addRefusal("no host", set + QStringList{u"http://"_s}, 1, invalid);
    addRefusal("relative", set + QStringList{u"/npm/"_s}, 1, invalid);
    addRefusal("with a query", set + QStringList{u"https://x.example/?a=1"_s}, 1, invalid);
    addRefusal("no URL", set, 2, u"expected 1 argument"_s);
}

void tst_Cli::upstreamSet()
{
    Created created;
    runRow(&created);
    if (!created.ok) {
        return;
    }
    QFETCH(QVariantMap, fields);
    const std::unique_ptr<Registry> registry = openRegistry(m_data);
    QVERIFY(registry);
    const Result<QUrl> upstream = registry->settings().upstream();
    QVERIFY(upstream);
    QCOMPARE(upstream->toString(), fields.value(u"upstream"_s).toString());
}

void tst_Cli::protectAdd_data()
{
    addColumns();
    const QStringList add = {u"protect"_s, u"add"_s, u"--project"_s, u"acme/web/app"_s};
    const QString id = u"^\\d+$"_s;
    addSuccess("scoped wildcard, maintainers",
               add + QStringList{u"@acme/core-*"_s, u"--push"_s, u"maintainer"_s},
               id,
               {{u"project"_s, u"acme/web/app"_s},
                {u"pattern"_s, u"@acme/core-*"_s},
                {u"push"_s, u"maintainer"_s}});
    addSuccess("everything, owners",
               add + QStringList{u"*"_s, u"--push"_s, u"owner"_s},
               id,
               {{u"pattern"_s, u"*"_s}, {u"push"_s, u"owner"_s}});
    addSuccess("one name, administrators",
               add + QStringList{u"left-pad"_s, u"--push"_s, u"admin"_s},
               id,
               {{u"pattern"_s, u"left-pad"_s}, {u"push"_s, u"admin"_s}});

    const QString invalid = u"Invalid package name pattern"_s;
    addRefusal("pattern with a space",
               add + QStringList{u"@acme/a b"_s, u"--push"_s, u"maintainer"_s},
               1,
               invalid);
    addRefusal("scope without a name",
               add + QStringList{u"@acme/"_s, u"--push"_s, u"maintainer"_s},
               1,
               invalid);
    addRefusal(
        "two slashes", add + QStringList{u"@acme/a/b"_s, u"--push"_s, u"maintainer"_s}, 1, invalid);
    addRefusal("empty pattern", add + QStringList{u""_s, u"--push"_s, u"maintainer"_s}, 1, invalid);
    addRefusal("existing pattern",
               add + QStringList{u"@acme/secret-*"_s, u"--push"_s, u"owner"_s},
               1,
               u"already been taken"_s);
    addRefusal("developers may push",
               add + QStringList{u"*"_s, u"--push"_s, u"developer"_s},
               1,
               u"Unknown minimum role developer: use maintainer, owner or admin"_s);
    addRefusal("unknown push role",
               add + QStringList{u"*"_s, u"--push"_s, u"boss"_s},
               1,
               u"Unknown minimum role boss"_s,
               true);
    addRefusal(
        "unknown project",
        {u"protect"_s, u"add"_s, u"--project"_s, u"acme/nope"_s, u"*"_s, u"--push"_s, u"owner"_s},
        1,
        u"acme/nope not found"_s);
    addRefusal("no --push", add + QStringList{u"*"_s}, 2, u"--project and --push are required"_s);
    addRefusal("no --project",
               {u"protect"_s, u"add"_s, u"*"_s, u"--push"_s, u"owner"_s},
               2,
               u"--project and --push are required"_s);
}

void tst_Cli::protectAdd()
{
    Created created;
    runRow(&created);
    if (!created.ok) {
        return;
    }
    QFETCH(QStringList, arguments);
    const std::unique_ptr<Registry> registry = openRegistry(m_data);
    QVERIFY(registry);
    const Result<Project> project = registry->namespaces().store().projectByPath(u"acme/web/app"_s);
    QVERIFY(project);
    const Result<QList<ProtectionRule>> rules = registry->settings().protectionRules(project->id);
    QVERIFY(rules);
    const auto rule = std::find_if(rules->cbegin(), rules->cend(), [&](const ProtectionRule &r) {
        return r.id == created.id;
    });
    QVERIFY(rule != rules->cend());
    QCOMPARE(rule->pattern, arguments.at(4));
    QCOMPARE(accessLevelName(rule->minimumAccessLevelForPush), arguments.at(6));
}

void tst_Cli::unknownCommand_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("command");
    QTest::addRow("unknown verb") << QStringList{u"group"_s, u"rename"_s, u"acme"_s}
                                  << u"group rename"_s;
    QTest::addRow("unknown verb of a token")
        << QStringList{u"token"_s, u"rotate"_s, u"1"_s} << u"token rotate"_s;
    QTest::addRow("noun without a verb") << QStringList{u"member"_s} << u"member"_s;
    QTest::addRow("verb of another noun")
        << QStringList{u"user"_s, u"add"_s, u"x"_s} << u"user add"_s;
}

void tst_Cli::unknownCommand()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, command);
    const QString before = storeState();
    const Run run = trove(arguments + QStringList{u"--data"_s, m_data});
    QCOMPARE(run.exitCode, 2);
    QVERIFY2(run.out.isEmpty(), qPrintable(run.out));
    const QString line = run.err.trimmed();
    QVERIFY2(run.err.endsWith(u'\n') && !line.isEmpty() && !line.contains(u'\n'),
             qPrintable(run.err));
    QVERIFY2(line.startsWith(u"trove: unknown command '%1'"_s.arg(command)), qPrintable(line));
    QCOMPARE(storeState(), before);
}

void tst_Cli::dataDirectoryBeforeTheNoun()
{
    Run run = trove({u"--data"_s, m_data, u"group"_s, u"create"_s, u"x"_s});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    QVERIFY(QRegularExpression(u"^\\d+\\n$"_s).match(run.out).hasMatch());
    run = trove({u"--data="_s + m_data, u"user"_s, u"create"_s, u"y"_s, u"--json"_s});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    QCOMPARE(QJsonDocument::fromJson(run.out.toUtf8()).object().value(u"username"_s),
             QJsonValue(u"y"_s));
    // Refusals look the same in this form.
    run = trove({u"--data"_s, m_data, u"group"_s, u"create"_s, u"x"_s});
    QCOMPARE(run.exitCode, 1);
    QCOMPARE(run.err, u"trove group create: Path x has already been taken\n"_s);

    const std::unique_ptr<Registry> registry = openRegistry(m_data);
    QVERIFY(registry);
    QVERIFY(registry->namespaces().store().groupByPath(u"x"_s));
    QVERIFY(registry->users().store().userByName(u"y"_s));
    // Nothing went to the default folder.
    QVERIFY(!QFileInfo::exists(m_dir->filePath(u"xdg"_s)));
}

void tst_Cli::dataDirectoryFromTheEnvironment()
{
    QProcessEnvironment environment = m_environment;
    environment.insert(u"TROVE_DATA"_s, m_data);
    Run run = trove({u"user"_s, u"create"_s, u"fromenv"_s}, {}, environment);
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    // --data wins over TROVE_DATA.
    const QString other = m_dir->filePath(u"other"_s);
    run = trove({u"user"_s, u"create"_s, u"explicit"_s, u"--data"_s, other}, {}, environment);
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    {
        const std::unique_ptr<Registry> registry = openRegistry(m_data);
        QVERIFY(registry);
        QVERIFY(registry->users().store().userByName(u"fromenv"_s));
        QVERIFY(!registry->users().store().userByName(u"explicit"_s));
    }
    const std::unique_ptr<Registry> registry = openRegistry(other);
    QVERIFY(registry);
    QVERIFY(registry->users().store().userByName(u"explicit"_s));
    QVERIFY(!registry->users().store().userByName(u"fromenv"_s));
    QVERIFY(!QFileInfo::exists(m_dir->filePath(u"xdg"_s)));
}

void tst_Cli::finishedJobTokenIsRefused()
{
    const Run created = trove(withData(
        {u"job-token"_s, u"create"_s, u"--project"_s, u"open/site"_s, u"--user"_s, u"rex"_s}));
    QVERIFY2(created.exitCode == 0, qPrintable(created.err));
    const QString token = created.out.trimmed();
    {
        const std::unique_ptr<Registry> registry = openRegistry(m_data);
        QVERIFY(registry);
        QVERIFY(registry->tokens().authenticate(token));
    }
    // Through standard input, so the secret is not in the process list.
    const Run finished = trove(withData({u"job-token"_s, u"finish"_s, u"-"_s}), created.out);
    QVERIFY2(finished.exitCode == 0, qPrintable(finished.err));
    QCOMPARE(finished.out, u"finished\n"_s);
    const std::unique_ptr<Registry> registry = openRegistry(m_data);
    QVERIFY(registry);
    const Result<Actor> actor = registry->tokens().authenticate(token);
    QVERIFY(!actor);
    QCOMPARE(actor.error().code, Error::Code::Unauthorized);
    // The other job of the fixture still runs.
    QVERIFY(registry->tokens().authenticate(m_jobToken));
}

void tst_Cli::quietOnAFreshOrUntidyStore()
{
    // The first command on a new data directory creates and migrates the store: a refusal is
    // still one line, a success prints nothing on stderr.
    const QString fresh = m_dir->filePath(u"fresh"_s);
    Run run = trove({u"project"_s, u"create"_s, u"nope/app"_s, u"--data"_s, fresh});
    QCOMPARE(run.exitCode, 1);
    QVERIFY(run.out.isEmpty());
    QCOMPARE(run.err, u"trove project create: Group nope not found\n"_s);
    run = trove({u"group"_s, u"create"_s, u"nope"_s, u"--data"_s, fresh + u"/2"_s});
    QVERIFY2(run.exitCode == 0 && run.err.isEmpty(), qPrintable(run.err));

    // A blob file no row references (a crash between blob and commit) is left alone by the
    // admin verbs, which write no blobs: the server sweeps it at its start (tst_serve).
    const QString orphan = m_data + u"/blobs/sha512/00/00/"_s + QString(128, u'0');
    QVERIFY(QDir().mkpath(QFileInfo(orphan).absolutePath()));
    QFile file(orphan);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("orphan");
    file.close();
    run = trove(withData({u"user"_s, u"create"_s, u"tidy"_s}));
    QVERIFY2(run.exitCode == 0 && run.err.isEmpty(), qPrintable(run.err));
}

void tst_Cli::helpOnAVerb_data()
{
    QTest::addColumn<QStringList>("verb");
    const QList<QStringList> verbs = {
        {u"group"_s, u"create"_s},     {u"project"_s, u"create"_s},
        {u"user"_s, u"create"_s},      {u"member"_s, u"add"_s},
        {u"token"_s, u"create"_s},     {u"deploy-token"_s, u"create"_s},
        {u"job-token"_s, u"create"_s}, {u"job-token"_s, u"finish"_s},
        {u"forwarding"_s, u"set"_s},   {u"upstream"_s, u"set"_s},
        {u"protect"_s, u"add"_s},      {u"group"_s, u"list"_s},
        {u"group"_s, u"delete"_s},     {u"project"_s, u"delete"_s},
        {u"user"_s, u"delete"_s},      {u"member"_s, u"remove"_s},
        {u"token"_s, u"revoke"_s},     {u"deploy-token"_s, u"list"_s},
        {u"package"_s, u"delete"_s},   {u"tag"_s, u"set"_s},
        {u"settings"_s, u"show"_s},
    };
    for (const QStringList &verb : verbs) {
        QTest::addRow("%s", qPrintable(verb.join(u' '))) << verb;
    }
}

void tst_Cli::helpOnAVerb()
{
    QFETCH(QStringList, verb);
    const QString missing = m_dir->filePath(u"never-created"_s);
    for (const QString &help : {u"--help"_s, u"-h"_s}) {
        const Run run = trove(verb + QStringList{help, u"--data"_s, missing});
        QCOMPARE(run.exitCode, 0);
        QVERIFY2(run.err.isEmpty(), qPrintable(run.err));
        QVERIFY2(run.out.startsWith(u"Usage: trove "_s + verb.join(u' ') + u' '),
                 qPrintable(run.out));
        // Help opens no store.
        QVERIFY(!QFileInfo::exists(missing));
    }
}

void tst_Cli::helpListsEveryVerb()
{
    const Run run = trove({u"help"_s});
    QCOMPARE(run.exitCode, 0);
    QVERIFY2(run.err.isEmpty(), qPrintable(run.err));
    for (const QString &verb : {u"group create"_s,
                                u"group list"_s,
                                u"group show"_s,
                                u"group delete"_s,
                                u"project create"_s,
                                u"project list"_s,
                                u"project show"_s,
                                u"project delete"_s,
                                u"user create"_s,
                                u"user list"_s,
                                u"user delete"_s,
                                u"member add"_s,
                                u"member list"_s,
                                u"member remove"_s,
                                u"token create"_s,
                                u"token list"_s,
                                u"token revoke"_s,
                                u"deploy-token create"_s,
                                u"deploy-token list"_s,
                                u"deploy-token revoke"_s,
                                u"job-token create"_s,
                                u"job-token finish"_s,
                                u"package list"_s,
                                u"package show"_s,
                                u"package delete"_s,
                                u"tag list"_s,
                                u"tag set"_s,
                                u"tag rm"_s,
                                u"deprecate"_s,
                                u"forwarding set"_s,
                                u"upstream set"_s,
                                u"protect add"_s,
                                u"settings show"_s,
                                u"check"_s,
                                u"backup"_s,
                                u"restore"_s}) {
        QVERIFY2(run.out.contains(u"  trove "_s + verb + u' ')
                     || run.out.contains(u"  trove "_s + verb + u'\n'),
                 qPrintable(verb));
    }
    QVERIFY2(run.out.contains(u"trove check [--repair"_s), qPrintable(run.out));
}

// `trove --help` names every option of the window and of `trove serve`.
void tst_Cli::helpListsEveryOption()
{
    const Run run = trove({u"--help"_s});
    QCOMPARE(run.exitCode, 0);
    QVERIFY2(run.err.isEmpty(), qPrintable(run.err));
    for (const QString &option : {u"--data"_s,
                                  u"--listen"_s,
                                  u"--hidden"_s,
                                  u"--base-url"_s,
                                  u"--threads"_s,
                                  u"--max-body-size"_s,
                                  u"--tls-cert"_s,
                                  u"--tls-key"_s,
                                  u"--trust-proxy"_s,
                                  u"--json"_s}) {
        QVERIFY2(run.out.contains(u"  "_s + option + u' '), qPrintable(option + u'\n' + run.out));
    }
}

void tst_Cli::check_data()
{
    // What is done to the fixture's store (one published version, @acme/util@1.0.0 in
    // acme/web/app), and the problem lines `trove check` must print (empty: clean, exit 0).
    QTest::addColumn<QString>("damage");
    QTest::addColumn<bool>("json");
    QTest::addColumn<QStringList>("expected");
    const QString row = u"@acme/util@1.0.0 (acme/web/app): "_s;
    for (const bool json : {false, true}) {
        const auto add = [json](const char *name, const QString &damage, const QStringList &lines) {
            QTest::addRow("%s%s", name, json ? " --json" : "") << damage << json << lines;
        };
        add("clean", u"none"_s, {});
        add("blob deleted", u"delete"_s, {row + u"blob missing"_s});
        add("blob with one byte changed",
            u"corrupt"_s,
            {row + u"blob content does not match its SHA-512"_s});
        add("blob cut short", u"truncate"_s, {row + u"blob has"_s});
        add("stray file", u"stray"_s, {u"file no package row references"_s});
        add("staging file", u"staging"_s, {u"staging file left behind"_s});
        add("stray and deleted",
            u"stray+delete"_s,
            {row + u"blob missing"_s, u"file no package row references"_s});
    }
}

void tst_Cli::check()
{
    QFETCH(QString, damage);
    QFETCH(bool, json);
    QFETCH(QStringList, expected);

    const QString blobs = QDir(m_data).filePath(u"blobs"_s);
    QStringList stored;
    for (const QString &file : filesUnder(blobs)) {
        if (file.contains(u"sha512/"_s)) {
            stored.append(QDir(blobs).filePath(file));
        }
    }
    QCOMPARE(stored.size(), 1);
    const QString blob = stored.constFirst();
    QVERIFY2(QFileInfo(blob).isFile(), qPrintable(blob));
    QString damaged; // the path a problem line must name
    const QStringList steps = damage.split(u'+');
    for (const QString &step : steps) {
        if (step == u"delete"_s) {
            QVERIFY(QFile::remove(blob));
            damaged = blob;
        } else if (step == u"corrupt"_s || step == u"truncate"_s) {
            QFile file(blob);
            QVERIFY(file.open(QIODevice::ReadWrite));
            QByteArray bytes = file.readAll();
            QVERIFY(bytes.size() > 1);
            if (step == u"corrupt"_s) {
                bytes[0] = char(bytes.at(0) ^ 1);
            } else {
                bytes.chop(1);
            }
            QVERIFY(file.resize(0));
            QVERIFY(file.seek(0));
            QCOMPARE(file.write(bytes), bytes.size());
            file.close();
            damaged = blob;
        } else if (step == u"stray"_s || step == u"staging"_s) {
            const QString dir =
                QDir(blobs).filePath(step == u"stray"_s ? u"sha512/ab/cd"_s : u"tmp"_s);
            QVERIFY(QDir().mkpath(dir));
            const QString path =
                QDir(dir).filePath(step == u"stray"_s ? QString(128, u'a') : u"upload-1"_s);
            QFile file(path);
            QVERIFY(file.open(QIODevice::WriteOnly));
            QVERIFY(file.write("left over") > 0);
            file.close();
            if (damaged.isEmpty()) {
                damaged = path;
            }
        }
    }

    const QString before = storeState();
    QStringList arguments = withData({u"check"_s});
    if (json) {
        arguments.append(u"--json"_s);
    }
    const Run run = trove(arguments);
    QVERIFY2(!run.crashed, qPrintable(run.err));
    QVERIFY2(run.err.isEmpty(), qPrintable(run.err));
    QCOMPARE(run.exitCode, expected.isEmpty() ? 0 : 1);
    // The check repairs nothing and removes nothing.
    QCOMPARE(storeState(), before);

    if (json) {
        QJsonParseError error;
        const QJsonDocument document = QJsonDocument::fromJson(run.out.toUtf8(), &error);
        QVERIFY2(error.error == QJsonParseError::NoError, qPrintable(run.out));
        const QJsonObject object = document.object();
        QCOMPARE(object.value(u"rows"_s).toInt(), 1);
        QCOMPARE(object.value(u"clean"_s).toBool(), expected.isEmpty());
        const QJsonArray problems = object.value(u"problems"_s).toArray();
        QCOMPARE(problems.size(), expected.size());
        for (qsizetype i = 0; i < expected.size(); ++i) {
            const QJsonObject problem = problems.at(i).toObject();
            const QString &want = expected.at(i);
            const bool ofRow = want.startsWith(u'@');
            const QString detail = problem.value(u"detail"_s).toString();
            QVERIFY2(detail.startsWith(ofRow ? want.section(u": "_s, 1) : want),
                     qPrintable(detail));
            QCOMPARE(problem.value(u"package"_s).toString(), ofRow ? u"@acme/util"_s : QString());
            if (ofRow) {
                QCOMPARE(problem.value(u"version"_s).toString(), u"1.0.0"_s);
                QCOMPARE(problem.value(u"project"_s).toString(), u"acme/web/app"_s);
            }
            QVERIFY(!problem.value(u"path"_s).toString().isEmpty());
        }
        return;
    }
    QStringList lines = run.out.split(u'\n');
    QCOMPARE(lines.takeLast(), QString()); // ends with a newline
    QVERIFY(!lines.isEmpty());
    const QString summary = lines.takeLast();
    QVERIFY2(summary.startsWith(u"1 package row(s)"_s), qPrintable(summary));
    QVERIFY2(summary.endsWith(expected.isEmpty() ? u"no problems"_s
                                                 : u"%1 problem(s)"_s.arg(expected.size())),
             qPrintable(summary));
    QCOMPARE(lines.size(), expected.size());
    for (qsizetype i = 0; i < expected.size(); ++i) {
        QVERIFY2(lines.at(i).contains(expected.at(i)),
                 qPrintable(u"\"%1\" lacks \"%2\""_s.arg(lines.at(i), expected.at(i))));
    }
    if (!damaged.isEmpty()) {
        QVERIFY2(run.out.contains(damaged), qPrintable(run.out));
    }
}

// The stat-only check for a start-up warning, through the model: a missing or resized blob is
// found, with its row; files no row names are not looked for.
void tst_Cli::startupCheck()
{
    const QString blobs = QDir(m_data).filePath(u"blobs"_s);
    QString blob;
    for (const QString &file : filesUnder(blobs)) {
        if (file.contains(u"sha512/"_s)) {
            blob = QDir(blobs).filePath(file);
        }
    }
    QVERIFY(!blob.isEmpty());
    {
        std::unique_ptr<Registry> registry = openRegistry(m_data);
        QVERIFY(registry);
        const Result<StoreCheckReport> clean = checkBlobsExist(*registry);
        QVERIFY(clean);
        QCOMPARE(clean->rows, 1);
        QVERIFY(clean->clean());
    }
    QVERIFY(QDir().mkpath(QDir(blobs).filePath(u"tmp"_s)));
    QFile staging(QDir(blobs).filePath(u"tmp/upload"_s));
    QVERIFY(staging.open(QIODevice::WriteOnly));
    staging.close();
    QVERIFY(QFile::remove(blob));
    std::unique_ptr<Registry> registry = openRegistry(m_data);
    QVERIFY(registry);
    const Result<StoreCheckReport> report = checkBlobsExist(*registry);
    QVERIFY(report);
    QCOMPARE(report->problems.size(), 1);
    const StoreProblem &problem = report->problems.constFirst();
    QCOMPARE(problem.kind, StoreProblem::Kind::MissingBlob);
    QCOMPARE(problem.packageName, u"@acme/util"_s);
    QCOMPARE(problem.version, u"1.0.0"_s);
    QCOMPARE(problem.projectPath, u"acme/web/app"_s);
    QCOMPARE(problem.path, blob);
}

// --- the verbs that read: aligned tables, and --json --------------------------------------

namespace {

// The value at `path` in a JSON document: keys and array indexes separated by '/', "#" for an
// array's size.
QJsonValue jsonAt(QJsonValue value, const QString &path)
{
    if (path.isEmpty()) {
        return value;
    }
    for (const QString &part : path.split(u'/')) {
        if (value.isArray()) {
            const QJsonArray array = value.toArray();
            value = part == u"#"_s ? QJsonValue(array.size()) : array.at(part.toInt());
        } else {
            value = value.toObject().value(part);
        }
    }
    return value;
}

// Each line of a table puts every column where its header put it: no cell runs into the next
// column.
bool aligned(const QStringList &lines, QString *why)
{
    const QString header = lines.value(0);
    QList<qsizetype> starts;
    static const QRegularExpression column(u"  (\\S)"_s);
    for (QRegularExpressionMatchIterator it = column.globalMatch(header); it.hasNext();) {
        starts.append(it.next().capturedStart(1));
    }
    for (const QString &line : lines.mid(1)) {
        for (const qsizetype start : std::as_const(starts)) {
            if (line.size() > start && line.at(start - 1) != u' ') {
                *why = u"column at %1 misaligned in \"%2\" (header \"%3\")"_s.arg(start).arg(
                    line, header);
                return false;
            }
        }
    }
    return true;
}

} // namespace

void tst_Cli::listings_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QStringList>("plain"); // lines (or parts of lines) of the plain output
    QTest::addColumn<QVariantMap>("json"); // path in the --json document → value

    QTest::addRow("group list") << QStringList{u"group"_s, u"list"_s}
                                << QStringList{u"ID  PATH      NAME  VISIBILITY  CREATED"_s,
                                               u"2   acme/web  web   private"_s}
                                << QVariantMap{{u"#"_s, 3},
                                               {u"0/full_path"_s, u"acme"_s},
                                               {u"0/parent_id"_s, QVariant()},
                                               {u"1/full_path"_s, u"acme/web"_s},
                                               {u"1/parent_id"_s, 1},
                                               {u"2/visibility"_s, u"public"_s}};
    QTest::addRow("group show") << QStringList{u"group"_s, u"show"_s, u"acme"_s}
                                << QStringList{u"path:       acme"_s,
                                               u"subgroups:  acme/web"_s,
                                               u"projects:   acme/lib"_s,
                                               u"members:    mia (developer)"_s}
                                << QVariantMap{{u"full_path"_s, u"acme"_s},
                                               {u"visibility"_s, u"internal"_s},
                                               {u"subgroups/#"_s, 1},
                                               {u"subgroups/0"_s, u"acme/web"_s},
                                               {u"projects/0"_s, u"acme/lib"_s},
                                               {u"members/0/username"_s, u"mia"_s},
                                               {u"members/0/access_level"_s, 30}};
    QTest::addRow("project list")
        << QStringList{u"project"_s, u"list"_s}
        << QStringList{u"ID  PATH          NAME  VISIBILITY  PACKAGES  VERSIONS"_s,
                       u"1   acme/web/app  app   private     1         1"_s}
        << QVariantMap{{u"#"_s, 3},
                       {u"0/full_path"_s, u"acme/lib"_s},
                       {u"1/full_path"_s, u"acme/web/app"_s},
                       {u"1/packages"_s, 1},
                       {u"1/versions"_s, 1},
                       {u"2/full_path"_s, u"open/site"_s}};
    QTest::addRow("project list --group")
        << QStringList{u"project"_s, u"list"_s, u"--group"_s, u"acme/web"_s}
        << QStringList{u"acme/web/app"_s}
        << QVariantMap{{u"#"_s, 1}, {u"0/full_path"_s, u"acme/web/app"_s}};
    QTest::addRow("project show") << QStringList{u"project"_s, u"show"_s, u"acme/web/app"_s}
                                  << QStringList{u"packages:         @acme/util"_s,
                                                 u"members:          rex (maintainer)"_s,
                                                 u"package registry: on"_s}
                                  << QVariantMap{{u"full_path"_s, u"acme/web/app"_s},
                                                 {u"packages"_s, 1},
                                                 {u"package_names/0"_s, u"@acme/util"_s},
                                                 {u"versions"_s, 1},
                                                 {u"members/0/username"_s, u"rex"_s},
                                                 {u"members/0/role"_s, u"maintainer"_s},
                                                 {u"packages_enabled"_s, true}};
    QTest::addRow("user list") << QStringList{u"user"_s, u"list"_s}
                               << QStringList{u"ID  USERNAME  ADMIN  CREATED"_s,
                                              u"3   root      yes"_s}
                               << QVariantMap{{u"#"_s, 3},
                                              {u"0/username"_s, u"mia"_s},
                                              {u"0/admin"_s, false},
                                              {u"2/username"_s, u"root"_s},
                                              {u"2/admin"_s, true}};
    QTest::addRow("member list --project")
        << QStringList{u"member"_s, u"list"_s, u"--project"_s, u"acme/web/app"_s}
        << QStringList{u"USERNAME  ROLE        ACCESS_LEVEL"_s, u"rex       maintainer  40"_s}
        << QVariantMap{{u"#"_s, 1}, {u"0/username"_s, u"rex"_s}, {u"0/access_level"_s, 40}};
    QTest::addRow("member list --group")
        << QStringList{u"member"_s, u"list"_s, u"--group"_s, u"acme"_s}
        << QStringList{u"mia       developer  30"_s}
        << QVariantMap{{u"#"_s, 1}, {u"0/role"_s, u"developer"_s}};
    QTest::addRow("token list") << QStringList{u"token"_s, u"list"_s}
                                << QStringList{u"ID  USER  NAME    PREFIX"_s, u"api"_s, u"active"_s}
                                << QVariantMap{{u"#"_s, 1},
                                               {u"0/id"_s, 1},
                                               {u"0/username"_s, u"mia"_s},
                                               {u"0/name"_s, u"laptop"_s},
                                               {u"0/scopes/0"_s, u"api"_s},
                                               {u"0/expires_at"_s, QVariant()},
                                               {u"0/state"_s, u"active"_s},
                                               {u"0/revoked"_s, false}};
    QTest::addRow("token list of a user without tokens")
        << QStringList{u"token"_s, u"list"_s, u"rex"_s} << QStringList{u"ID  USER"_s}
        << QVariantMap{{u"#"_s, 0}};
    QTest::addRow("deploy-token list")
        << QStringList{u"deploy-token"_s, u"list"_s}
        << QStringList{u"ID  NAME  USERNAME"_s, u"acme/web/app"_s, u"read_package_registry"_s}
        << QVariantMap{{u"#"_s, 1},
                       {u"0/name"_s, u"ci"_s},
                       {u"0/project"_s, u"acme/web/app"_s},
                       {u"0/scopes/0"_s, u"read_package_registry"_s},
                       {u"0/state"_s, u"active"_s}};
    QTest::addRow("deploy-token list --group")
        << QStringList{u"deploy-token"_s, u"list"_s, u"--group"_s, u"acme"_s}
        << QStringList{u"ID  NAME"_s} << QVariantMap{{u"#"_s, 0}};
    QTest::addRow("package list")
        << QStringList{u"package"_s, u"list"_s}
        << QStringList{u"PROJECT       NAME        LATEST  VERSIONS  DEPRECATED  UPDATED"_s,
                       u"acme/web/app  @acme/util  1.0.0   1         no"_s}
        << QVariantMap{{u"#"_s, 1},
                       {u"0/project"_s, u"acme/web/app"_s},
                       {u"0/name"_s, u"@acme/util"_s},
                       {u"0/latest"_s, u"1.0.0"_s},
                       {u"0/versions"_s, 1},
                       {u"0/dist_tags/latest"_s, u"1.0.0"_s},
                       {u"0/publisher"_s, u"mia"_s}};
    QTest::addRow("package list --name, any case")
        << QStringList{u"package"_s, u"list"_s, u"--name"_s, u"UTIL"_s}
        << QStringList{u"@acme/util"_s} << QVariantMap{{u"#"_s, 1}};
    QTest::addRow("package list --name without a match")
        << QStringList{u"package"_s, u"list"_s, u"--name"_s, u"lodash"_s}
        << QStringList{u"PROJECT"_s} << QVariantMap{{u"#"_s, 0}};
    QTest::addRow("package list --project without packages")
        << QStringList{u"package"_s, u"list"_s, u"--project"_s, u"acme/lib"_s}
        << QStringList{u"PROJECT"_s} << QVariantMap{{u"#"_s, 0}};
    QTest::addRow("package show") << QStringList{u"package"_s, u"show"_s, u"@acme/util"_s}
                                  << QStringList{u"VERSION  PUBLISHED"_s, u"mia"_s, u"latest"_s}
                                  << QVariantMap{{u"name"_s, u"@acme/util"_s},
                                                 {u"project"_s, u"acme/web/app"_s},
                                                 {u"dist_tags/latest"_s, u"1.0.0"_s},
                                                 {u"versions/#"_s, 1},
                                                 {u"versions/0/version"_s, u"1.0.0"_s},
                                                 {u"versions/0/publisher"_s, u"mia"_s},
                                                 {u"versions/0/dist_tags/0"_s, u"latest"_s},
                                                 {u"versions/0/deprecated"_s, QVariant()}};
    QTest::addRow("tag list") << QStringList{u"tag"_s, u"list"_s, u"@acme/util"_s}
                              << QStringList{u"TAG     VERSION"_s, u"latest  1.0.0"_s}
                              << QVariantMap{{u"latest"_s, u"1.0.0"_s}};
    QTest::addRow("settings show") << QStringList{u"settings"_s, u"show"_s}
                                   << QStringList{u"forwarding:        on"_s,
                                                  u"upstream:          http://127.0.0.1:9/npm/"_s,
                                                  u"group forwarding:  open off"_s}
                                   << QVariantMap{{u"forwarding"_s, true},
                                                  {u"forwarding_locked"_s, false},
                                                  {u"upstream"_s, u"http://127.0.0.1:9/npm/"_s},
                                                  {u"upstream_set"_s, true},
                                                  {u"group_forwarding/#"_s, 1},
                                                  {u"group_forwarding/0/group"_s, u"open"_s},
                                                  {u"group_forwarding/0/forwarding"_s, false}};
}

void tst_Cli::listings()
{
    QFETCH(QStringList, arguments);
    QFETCH(QStringList, plain);
    QFETCH(QVariantMap, json);

    const QString before = storeState();
    const Run run = trove(withData(arguments));
    QVERIFY2(!run.crashed && run.exitCode == 0,
             qPrintable(u"exit code %1, stderr: %2"_s.arg(run.exitCode).arg(run.err)));
    QVERIFY2(run.err.isEmpty(), qPrintable(run.err));
    QVERIFY2(run.out.endsWith(u'\n'), qPrintable(run.out));
    const QStringList lines = run.out.chopped(1).split(u'\n');
    for (const QString &expected : plain) {
        QVERIFY2(run.out.contains(expected),
                 qPrintable(u"\"%1\" missing in:\n%2"_s.arg(expected, run.out)));
    }
    // A table's header is in capitals; a record's field names are not.
    if (lines.value(0) == lines.value(0).toUpper()) {
        QString why;
        QVERIFY2(aligned(lines, &why), qPrintable(why));
    }

    const Run jsonRun = trove(withData(arguments) + QStringList{u"--json"_s});
    QVERIFY2(jsonRun.exitCode == 0 && jsonRun.err.isEmpty(), qPrintable(jsonRun.err));
    QVERIFY2(jsonRun.out.endsWith(u'\n') && jsonRun.out.count(u'\n') == 1, qPrintable(jsonRun.out));
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(jsonRun.out.toUtf8(), &error);
    QVERIFY2(error.error == QJsonParseError::NoError, qPrintable(jsonRun.out));
    const QJsonValue root =
        document.isArray() ? QJsonValue(document.array()) : QJsonValue(document.object());
    for (auto it = json.cbegin(); it != json.cend(); ++it) {
        const QJsonValue found = jsonAt(root, it.key());
        QVERIFY2(
            found == QJsonValue::fromVariant(it.value()),
            qPrintable(u"%1 is %2 in %3"_s.arg(
                it.key(),
                QString::fromUtf8(QJsonDocument(QJsonArray{found}).toJson(QJsonDocument::Compact)),
                jsonRun.out)));
    }
    // Reading changes nothing.
    QCOMPARE(storeState(), before);
}

// --- refusals of the new verbs: one line, and the store as it was --------------------------

void tst_Cli::newVerbRefusals_data()
{
    addColumns();
    const QString missing = u"/nonexistent/trove-backup"_s;
    const auto add =
        [](const char *name, const QStringList &arguments, int exitCode, const QString &message) {
            addRefusal(name, arguments, exitCode, message);
            QTest::addRow("%s [--json]", name)
                << arguments << true << QString() << exitCode << message << QVariantMap{};
        };
    add("group show, unknown", {u"group"_s, u"show"_s, u"nope"_s}, 1, u"Group nope not found"_s);
    add("group show, no path", {u"group"_s, u"show"_s}, 2, u"expected 1 argument(s), got 0"_s);
    add("group list, an argument", {u"group"_s, u"list"_s, u"acme"_s}, 2, u"expected 0"_s);
    add("group delete, not empty",
        {u"group"_s, u"delete"_s, u"acme"_s},
        1,
        u"Group acme is not empty: it holds 1 subgroup(s) and 2 project(s)"_s);
    add("group delete, recursive without confirm",
        {u"group"_s, u"delete"_s, u"acme"_s, u"--recursive"_s},
        2,
        u"--confirm acme"_s);
    add("group delete, confirm of another path",
        {u"group"_s, u"delete"_s, u"acme"_s, u"--recursive"_s, u"--confirm"_s, u"acme/web"_s},
        2,
        u"--confirm acme"_s);
    add("group delete, confirm in another case",
        {u"group"_s, u"delete"_s, u"acme"_s, u"--recursive"_s, u"--confirm"_s, u"ACME"_s},
        2,
        u"--confirm acme"_s);
    add("group delete, confirm without recursive",
        {u"group"_s, u"delete"_s, u"open"_s, u"--confirm"_s, u"open"_s},
        2,
        u"--confirm goes with --recursive"_s);
    add("group delete, unknown", {u"group"_s, u"delete"_s, u"nope"_s}, 1, u"not found"_s);
    add("project show, unknown",
        {u"project"_s, u"show"_s, u"acme/nope"_s},
        1,
        u"Project acme/nope not found"_s);
    add("project list, unknown group",
        {u"project"_s, u"list"_s, u"--group"_s, u"nope"_s},
        1,
        u"Group nope not found"_s);
    add("project delete with packages, unconfirmed",
        {u"project"_s, u"delete"_s, u"acme/web/app"_s},
        1,
        u"holds 1 package version(s), which would be deleted with it: confirm with --confirm"
        " acme/web/app"_s);
    add("project delete, confirm of another path",
        {u"project"_s, u"delete"_s, u"acme/web/app"_s, u"--confirm"_s, u"acme/lib"_s},
        2,
        u"does not name the project"_s);
    add("project delete, a group's path",
        {u"project"_s, u"delete"_s, u"acme/web"_s},
        1,
        u"Project acme/web not found"_s);
    add("project set, no setting",
        {u"project"_s, u"set"_s, u"acme/lib"_s},
        2,
        u"--packages on|off"_s);
    add("project set, unknown state",
        {u"project"_s, u"set"_s, u"acme/lib"_s, u"--packages"_s, u"maybe"_s},
        1,
        u"Unknown state maybe: use on or off"_s);
    add("project set, unknown project",
        {u"project"_s, u"set"_s, u"acme/nope"_s, u"--packages"_s, u"off"_s},
        1,
        u"Project acme/nope not found"_s);
    add("user delete, unknown",
        {u"user"_s, u"delete"_s, u"nobody"_s},
        1,
        u"User nobody not found"_s);
    add("member list, no target",
        {u"member"_s, u"list"_s},
        2,
        u"give exactly one of --group and --project"_s);
    add("member list, both targets",
        {u"member"_s, u"list"_s, u"--group"_s, u"acme"_s, u"--project"_s, u"acme/lib"_s},
        2,
        u"exactly one"_s);
    add("member list, unknown project",
        {u"member"_s, u"list"_s, u"--project"_s, u"acme/nope"_s},
        1,
        u"not found"_s);
    add("member remove, no direct membership",
        {u"member"_s, u"remove"_s, u"--group"_s, u"acme"_s, u"rex"_s},
        1,
        u"rex is no direct member of acme"_s);
    add("member remove, inherited only",
        {u"member"_s, u"remove"_s, u"--project"_s, u"acme/web/app"_s, u"mia"_s},
        1,
        u"no direct member"_s);
    add("member remove, unknown user",
        {u"member"_s, u"remove"_s, u"--project"_s, u"acme/web/app"_s, u"nobody"_s},
        1,
        u"User nobody not found"_s);
    add("token list, unknown user",
        {u"token"_s, u"list"_s, u"nobody"_s},
        1,
        u"User nobody not found"_s);
    add("token list, two users",
        {u"token"_s, u"list"_s, u"mia"_s, u"rex"_s},
        2,
        u"expected 0 to 1"_s);
    add("token revoke, not a number",
        {u"token"_s, u"revoke"_s, u"laptop"_s},
        1,
        u"Invalid token id laptop"_s);
    add("token revoke, zero", {u"token"_s, u"revoke"_s, u"0"_s}, 1, u"Invalid token id 0"_s);
    add("token revoke, other digits",
        {u"token"_s, u"revoke"_s, u"\u0661"_s},
        1,
        u"Invalid token id"_s);
    add("token revoke, unknown", {u"token"_s, u"revoke"_s, u"99"_s}, 1, u"Token 99 not found"_s);
    add("deploy-token revoke, unknown",
        {u"deploy-token"_s, u"revoke"_s, u"99"_s},
        1,
        u"Deploy token 99 not found"_s);
    add("deploy-token list, both targets",
        {u"deploy-token"_s, u"list"_s, u"--group"_s, u"acme"_s, u"--project"_s, u"acme/lib"_s},
        2,
        u"at most one"_s);
    add("package list, unknown project",
        {u"package"_s, u"list"_s, u"--project"_s, u"acme/nope"_s},
        1,
        u"not found"_s);
    add("package show, unknown",
        {u"package"_s, u"show"_s, u"@acme/none"_s},
        1,
        u"Package @acme/none not found"_s);
    add("package show, not in that project",
        {u"package"_s, u"show"_s, u"@acme/util"_s, u"--project"_s, u"acme/lib"_s},
        1,
        u"Package @acme/util not found in acme/lib"_s);
    add("package delete without --project",
        {u"package"_s, u"delete"_s, u"@acme/util@1.0.0"_s},
        2,
        u"--project is required"_s);
    add("package delete, unknown version",
        {u"package"_s, u"delete"_s, u"@acme/util@9.9.9"_s, u"--project"_s, u"acme/web/app"_s},
        1,
        u"Version 9.9.9 of @acme/util not found in acme/web/app"_s);
    add("package delete, empty version",
        {u"package"_s, u"delete"_s, u"@acme/util@"_s, u"--project"_s, u"acme/web/app"_s},
        1,
        u"Invalid version"_s);
    add("package delete, another project",
        {u"package"_s, u"delete"_s, u"@acme/util"_s, u"--project"_s, u"acme/lib"_s},
        1,
        u"not found in acme/lib"_s);
    add("tag list, unknown package", {u"tag"_s, u"list"_s, u"@acme/none"_s}, 1, u"not found"_s);
    add("tag set without a version",
        {u"tag"_s, u"set"_s, u"@acme/util"_s, u"beta"_s},
        2,
        u"names no version"_s);
    add("tag set, unknown version",
        {u"tag"_s, u"set"_s, u"@acme/util@2.0.0"_s, u"beta"_s},
        1,
        u"Version 2.0.0 of @acme/util not found"_s);
    add("tag set, a range as tag",
        {u"tag"_s, u"set"_s, u"@acme/util@1.0.0"_s, u"1.x"_s},
        1,
        u"Invalid dist-tag 1.x"_s);
    add("tag rm latest",
        {u"tag"_s, u"rm"_s, u"@acme/util"_s, u"latest"_s},
        1,
        u"The latest tag cannot be removed"_s);
    add("tag rm, unknown tag",
        {u"tag"_s, u"rm"_s, u"@acme/util"_s, u"beta"_s},
        1,
        u"@acme/util has no tag beta in acme/web/app"_s);
    add("deprecate, no version in range",
        {u"deprecate"_s, u"@acme/util"_s, u">=2"_s, u"old"_s},
        1,
        u"No version of @acme/util in acme/web/app satisfies >=2"_s);
    add("deprecate, not a range",
        {u"deprecate"_s, u"@acme/util"_s, u"1.0.0 ||| <"_s, u"old"_s},
        1,
        u"Invalid version range"_s);
    add("deprecate, no message",
        {u"deprecate"_s, u"@acme/util"_s, u"*"_s},
        2,
        u"expected 3 argument(s), got 2"_s);
    add("deprecate, unknown package",
        {u"deprecate"_s, u"@acme/none"_s, u"*"_s, u"old"_s},
        1,
        u"Package @acme/none not found"_s);
    add("settings show, an argument", {u"settings"_s, u"show"_s, u"all"_s}, 2, u"expected 0"_s);
    add("check --grace without --repair",
        {u"check"_s, u"--grace"_s, u"0"_s},
        2,
        u"--grace goes with --repair"_s);
    add("check --repair --grace not a number",
        {u"check"_s, u"--repair"_s, u"--grace"_s, u"soon"_s},
        2,
        u"--grace takes a number"_s);
    add("backup, no folder", {u"backup"_s}, 2, u"expected 1 argument(s), got 0"_s);
    add("backup into a folder that cannot be made",
        {u"backup"_s, u"/proc/trove-backup"_s},
        1,
        u"Cannot"_s);
    add("restore from no backup", {u"restore"_s, missing}, 1, u"Data folder"_s);
}

void tst_Cli::newVerbRefusals()
{
    Created created;
    runRow(&created);
}

// --- the verbs that change things, and what they change -------------------------------------

namespace {

// The one blob file of the fixture's store, or every one.
QStringList blobFiles(const QString &data)
{
    QStringList files;
    const QString blobs = QDir(data).filePath(u"blobs"_s);
    for (const QString &file : filesUnder(blobs)) {
        if (file.startsWith(u"sha512/"_s)) {
            files.append(QDir(blobs).filePath(file));
        }
    }
    return files;
}

Result<Package> publishVersion(Registry &registry,
                               const QString &projectPath,
                               const QString &name,
                               const QString &version,
                               const QByteArray &bytes)
{
    const Result<Project> project = registry.namespaces().store().projectByPath(projectPath);
    if (!project) {
        return project.error();
    }
    PackageService::PublishRequest publish;
    publish.projectId = project->id;
    publish.name = name;
    publish.version = version;
    publish.packageJson = QJsonDocument(QJsonObject{{u"name"_s, name}, {u"version"_s, version}})
                              .toJson(QJsonDocument::Compact);
    publish.tarball = bytes;
    publish.publisher.kind = Actor::Kind::User;
    publish.publisher.username = u"rex"_s;
    return registry.packages().publish(publish);
}

} // namespace

QJsonObject tst_Cli::runJson(const QStringList &arguments)
{
    const Run run = trove(withData(arguments) + QStringList{u"--json"_s});
    if (run.crashed || run.exitCode != 0 || !run.err.isEmpty()) {
        qWarning().noquote() << arguments << "exit code" << run.exitCode << run.err;
        return {};
    }
    return QJsonDocument::fromJson(run.out.toUtf8()).object();
}

void tst_Cli::groupDelete()
{
    // An empty group goes without more ado.
    {
        std::unique_ptr<Registry> registry = openRegistry(m_data);
        QVERIFY(registry);
        QVERIFY(registry->namespaces().createGroup(u"spare"_s));
    }
    QJsonObject deleted = runJson({u"group"_s, u"delete"_s, u"spare"_s});
    QCOMPARE(deleted.value(u"deleted"_s).toString(), u"spare"_s);
    QCOMPARE(deleted.value(u"groups"_s).toInt(), 1);
    QCOMPARE(deleted.value(u"projects"_s).toInt(), 0);

    // With everything inside, once the path is typed again.
    QCOMPARE(blobFiles(m_data).size(), 1);
    const Run run = trove(withData(
        {u"group"_s, u"delete"_s, u"acme"_s, u"--recursive"_s, u"--confirm"_s, u"acme"_s}));
    QVERIFY2(run.exitCode == 0 && run.err.isEmpty(), qPrintable(run.err));
    QCOMPARE(
        run.out,
        u"Deleted group acme: 2 group(s), 2 project(s), 1 package version(s), 1 tarball(s)\n"_s);
    std::unique_ptr<Registry> registry = openRegistry(m_data);
    QVERIFY(registry);
    const Result<QList<Group>> groups = registry->namespaces().store().groups();
    QVERIFY(groups);
    QCOMPARE(groups->size(), 1);
    QCOMPARE(groups->constFirst().fullPath, u"open"_s);
    const Result<QList<Project>> projects = registry->namespaces().store().projects();
    QVERIFY(projects);
    QCOMPARE(projects->size(), 1);
    QCOMPARE(registry->packages().store().packageCount().value_or(-1), 0);
    QVERIFY(blobFiles(m_data).isEmpty());
    // The project's deploy token and job, and mia's membership, went with it.
    QCOMPARE(registry->tokens().store().deployTokens()->size(), 0);
    QCOMPARE(registry->tokens().store().jobTokens()->size(), 0);
    QCOMPARE(registry->users()
                 .store()
                 .memberships(registry->users().store().userByName(u"mia"_s)->id)
                 ->size(),
             0);
    // Users stay.
    QCOMPARE(registry->users().store().users()->size(), 3);
    const Result<StoreCheckReport> report = checkStore(*registry);
    QVERIFY(report && report->clean());
}

void tst_Cli::projectDelete()
{
    // Without packages: no confirmation needed.
    QJsonObject deleted = runJson({u"project"_s, u"delete"_s, u"acme/lib"_s});
    QCOMPARE(deleted.value(u"deleted"_s).toString(), u"acme/lib"_s);
    QCOMPARE(deleted.value(u"projects"_s).toInt(), 1);
    QCOMPARE(deleted.value(u"versions"_s).toInt(), 0);

    // The same bytes in another project keep the blob until the last row using them goes.
    {
        std::unique_ptr<Registry> registry = openRegistry(m_data);
        QVERIFY(registry);
        const Result<Package> copy =
            publishVersion(*registry,
                           u"open/site"_s,
                           u"util-copy"_s,
                           u"1.0.0"_s,
                           QByteArray("not really gzip, the store does not look"));
        QVERIFY2(copy, qPrintable(copy ? QString() : copy.error().message));
    }
    QCOMPARE(blobFiles(m_data).size(), 1);
    deleted =
        runJson({u"project"_s, u"delete"_s, u"acme/web/app"_s, u"--confirm"_s, u"acme/web/app"_s});
    QCOMPARE(deleted.value(u"versions"_s).toInt(), 1);
    QCOMPARE(deleted.value(u"blobs"_s).toInt(), 0);
    QCOMPARE(blobFiles(m_data).size(), 1);
    deleted = runJson({u"project"_s, u"delete"_s, u"open/site"_s, u"--confirm"_s, u"open/site"_s});
    QCOMPARE(deleted.value(u"versions"_s).toInt(), 1);
    QCOMPARE(deleted.value(u"blobs"_s).toInt(), 1);
    QVERIFY(blobFiles(m_data).isEmpty());

    std::unique_ptr<Registry> registry = openRegistry(m_data);
    QVERIFY(registry);
    QVERIFY(!registry->namespaces().store().projectByPath(u"acme/web/app"_s));
    QCOMPARE(registry->namespaces().store().groups()->size(), 3);
    QCOMPARE(registry->packages().store().packageCount().value_or(-1), 0);
    QCOMPARE(registry->settings().protectionRules(1)->size(), 0);
    const Result<StoreCheckReport> report = checkStore(*registry);
    QVERIFY(report && report->clean());
}

void tst_Cli::projectSet()
{
    QJsonObject set =
        runJson({u"project"_s, u"set"_s, u"acme/web/app"_s, u"--packages"_s, u"off"_s});
    QCOMPARE(set, (QJsonObject{{u"project"_s, u"acme/web/app"_s}, {u"packages_enabled"_s, false}}));
    {
        std::unique_ptr<Registry> registry = openRegistry(m_data);
        QVERIFY(registry);
        QCOMPARE(registry->namespaces().store().projectByPath(u"acme/web/app"_s)->packagesEnabled,
                 false);
    }
    const Run shown = trove(withData({u"project"_s, u"show"_s, u"acme/web/app"_s}));
    QVERIFY2(shown.out.contains(u"package registry: off\n"_s), qPrintable(shown.out));
    const Run run =
        trove(withData({u"project"_s, u"set"_s, u"acme/web/app"_s, u"--packages"_s, u"on"_s}));
    QCOMPARE(run.out, u"Package registry of acme/web/app: on\n"_s);
    std::unique_ptr<Registry> registry = openRegistry(m_data);
    QVERIFY(registry);
    QCOMPARE(registry->namespaces().store().projectByPath(u"acme/web/app"_s)->packagesEnabled,
             true);
}

void tst_Cli::userDelete()
{
    const QJsonObject created = runJson({u"token"_s, u"create"_s, u"mia"_s});
    const QString token = created.value(u"token"_s).toString();
    QVERIFY(!token.isEmpty());
    {
        std::unique_ptr<Registry> registry = openRegistry(m_data);
        QVERIFY(registry);
        QVERIFY(registry->tokens().authenticate(token));
        QVERIFY(registry->tokens().authenticate(m_jobToken));
    }
    const Run run = trove(withData({u"user"_s, u"delete"_s, u"mia"_s}));
    QVERIFY2(run.exitCode == 0 && run.err.isEmpty(), qPrintable(run.err));
    // Two personal tokens and the running job.
    QCOMPARE(run.out, u"Deleted user mia; 3 token(s) revoked\n"_s);

    std::unique_ptr<Registry> registry = openRegistry(m_data);
    QVERIFY(registry);
    QVERIFY(!registry->users().store().userByName(u"mia"_s));
    const Result<Actor> refused = registry->tokens().authenticate(token);
    QVERIFY(!refused);
    QCOMPARE(refused.error().code, Error::Code::Unauthorized);
    QVERIFY(!registry->tokens().authenticate(m_jobToken));
    QCOMPARE(registry->tokens().store().personalTokens()->size(), 0);
    // What she published stays, under her name.
    const Result<QList<Package>> versions =
        registry->packages().store().packagesNamed(u"@acme/util"_s);
    QVERIFY(versions);
    QCOMPARE(versions->size(), 1);
    QCOMPARE(versions->constFirst().publisher, u"mia"_s);
}

void tst_Cli::memberRemove()
{
    const QJsonObject removed =
        runJson({u"member"_s, u"remove"_s, u"--project"_s, u"acme/web/app"_s, u"rex"_s});
    QCOMPARE(removed.value(u"removed"_s).toBool(), true);
    QCOMPARE(removed.value(u"project"_s).toString(), u"acme/web/app"_s);
    std::unique_ptr<Registry> registry = openRegistry(m_data);
    QVERIFY(registry);
    const Result<User> rex = registry->users().store().userByName(u"rex"_s);
    QVERIFY(rex);
    QCOMPARE(registry->users().store().projectAccessLevel(rex->id, 1).value_or(AccessLevel::Owner),
             AccessLevel::None);
}

void tst_Cli::tokenRevoke()
{
    const QJsonObject created = runJson({u"token"_s, u"create"_s, u"rex"_s, u"--name"_s, u"ci"_s});
    const qint64 id = created.value(u"id"_s).toInteger();
    const QString token = created.value(u"token"_s).toString();
    QVERIFY(id > 1);
    const Run run = trove(withData({u"token"_s, u"revoke"_s, QString::number(id)}));
    QVERIFY2(run.exitCode == 0 && run.err.isEmpty(), qPrintable(run.err));
    QCOMPARE(run.out, u"Revoked token %1 (ci)\n"_s.arg(id));
    {
        std::unique_ptr<Registry> registry = openRegistry(m_data);
        QVERIFY(registry);
        QVERIFY(!registry->tokens().authenticate(token));
        const QJsonArray list =
            QJsonDocument::fromJson(
                trove(withData({u"token"_s, u"list"_s, u"rex"_s, u"--json"_s})).out.toUtf8())
                .array();
        QCOMPARE(list.size(), 1);
        QCOMPARE(list.at(0).toObject().value(u"state"_s).toString(), u"revoked"_s);
    }
    // Twice: refused, and nothing changes.
    checkRefused({u"token"_s, u"revoke"_s, QString::number(id)},
                 false,
                 {},
                 1,
                 u"Token %1 is already revoked"_s.arg(id));
}

void tst_Cli::deployTokenRevoke()
{
    const QJsonObject revoked = runJson({u"deploy-token"_s, u"revoke"_s, u"1"_s});
    QCOMPARE(revoked.value(u"revoked"_s).toBool(), true);
    std::unique_ptr<Registry> registry = openRegistry(m_data);
    QVERIFY(registry);
    QVERIFY(registry->tokens().store().deployToken(1)->revoked);
    checkRefused({u"deploy-token"_s, u"revoke"_s, u"1"_s}, true, {}, 1, u"already revoked"_s);
}

void tst_Cli::packageDelete()
{
    {
        std::unique_ptr<Registry> registry = openRegistry(m_data);
        QVERIFY(registry);
        QVERIFY(publishVersion(*registry, u"acme/web/app"_s, u"@acme/util"_s, u"1.1.0"_s, "v1.1"));
        QVERIFY(publishVersion(*registry, u"acme/web/app"_s, u"@acme/other"_s, u"1.0.0"_s, "o"));
    }
    QCOMPARE(blobFiles(m_data).size(), 3);
    QJsonObject deleted = runJson(
        {u"package"_s, u"delete"_s, u"@acme/util@1.0.0"_s, u"--project"_s, u"acme/web/app"_s});
    QCOMPARE(deleted.value(u"deleted"_s).toString(), u"@acme/util@1.0.0"_s);
    QCOMPARE(deleted.value(u"version"_s).toString(), u"1.0.0"_s);
    QCOMPARE(deleted.value(u"versions"_s).toInt(), 1);
    QCOMPARE(blobFiles(m_data).size(), 2);
    {
        std::unique_ptr<Registry> registry = openRegistry(m_data);
        QVERIFY(registry);
        const Result<QList<Package>> left =
            registry->packages().store().packagesInProject(1, u"@acme/util"_s);
        QVERIFY(left);
        QCOMPARE(left->size(), 1);
        QCOMPARE(left->constFirst().version, u"1.1.0"_s);
    }
    // The whole name.
    const Run run = trove(
        withData({u"package"_s, u"delete"_s, u"@acme/util"_s, u"--project"_s, u"acme/web/app"_s}));
    QVERIFY2(run.exitCode == 0 && run.err.isEmpty(), qPrintable(run.err));
    QCOMPARE(run.out, u"Deleted @acme/util from acme/web/app: 1 version(s)\n"_s);
    std::unique_ptr<Registry> registry = openRegistry(m_data);
    QVERIFY(registry);
    QVERIFY(registry->packages().store().packagesNamed(u"@acme/util"_s)->isEmpty());
    QCOMPARE(registry->packages().store().packagesNamed(u"@acme/other"_s)->size(), 1);
    QCOMPARE(blobFiles(m_data).size(), 1);
    const Result<StoreCheckReport> report = checkStore(*registry);
    QVERIFY(report && report->clean());
}

void tst_Cli::tags()
{
    {
        std::unique_ptr<Registry> registry = openRegistry(m_data);
        QVERIFY(registry);
        QVERIFY(
            publishVersion(*registry, u"acme/web/app"_s, u"@acme/util"_s, u"2.0.0-rc.1"_s, "rc"));
    }
    QJsonObject set = runJson({u"tag"_s, u"set"_s, u"@acme/util@2.0.0-rc.1"_s, u"next"_s});
    QCOMPARE(set.value(u"tag"_s).toString(), u"next"_s);
    QCOMPARE(set.value(u"version"_s).toString(), u"2.0.0-rc.1"_s);
    QCOMPARE(set.value(u"project"_s).toString(), u"acme/web/app"_s);
    const Run list = trove(withData({u"tag"_s, u"list"_s, u"@acme/util"_s}));
    QCOMPARE(list.out, u"TAG     VERSION\nlatest  2.0.0-rc.1\nnext    2.0.0-rc.1\n"_s);
    // `latest` moves back with tag set, as npm dist-tag add does.
    QVERIFY(!runJson({u"tag"_s, u"set"_s, u"@acme/util@1.0.0"_s, u"latest"_s}).isEmpty());
    const QJsonObject removed = runJson({u"tag"_s, u"rm"_s, u"@acme/util"_s, u"next"_s});
    QCOMPARE(removed.value(u"removed"_s).toBool(), true);
    const QJsonObject tags = runJson({u"tag"_s, u"list"_s, u"@acme/util"_s});
    QCOMPARE(tags, (QJsonObject{{u"latest"_s, u"1.0.0"_s}}));
}

void tst_Cli::deprecateByRange()
{
    {
        std::unique_ptr<Registry> registry = openRegistry(m_data);
        QVERIFY(registry);
        for (const QString &version : {u"1.0.1"_s, u"1.1.0"_s, u"2.0.0-rc.1"_s, u"2.0.0"_s}) {
            QVERIFY(publishVersion(
                *registry, u"acme/web/app"_s, u"@acme/util"_s, version, version.toUtf8()));
        }
    }
    const auto deprecations = [this] {
        QMap<QString, QString> messages;
        const QJsonObject shown = runJson({u"package"_s, u"show"_s, u"@acme/util"_s});
        for (const QJsonValue &version : shown.value(u"versions"_s).toArray()) {
            const QJsonObject object = version.toObject();
            messages.insert(object.value(u"version"_s).toString(),
                            object.value(u"deprecated"_s).toString());
        }
        return messages;
    };
    // Prereleases match a range too, as with npm deprecate.
    QJsonObject done = runJson({u"deprecate"_s, u"@acme/util"_s, u"<2.0.0"_s, u"use 2"_s});
    QCOMPARE(done.value(u"matched"_s).toArray().size(), 4);
    QCOMPARE(done.value(u"changed"_s).toArray().size(), 4);
    QMap<QString, QString> messages = deprecations();
    QCOMPARE(messages.value(u"1.0.0"_s), u"use 2"_s);
    QCOMPARE(messages.value(u"1.1.0"_s), u"use 2"_s);
    QCOMPARE(messages.value(u"2.0.0-rc.1"_s), u"use 2"_s);
    QCOMPARE(messages.value(u"2.0.0"_s), QString());
    // An empty message undeprecates.
    const Run run = trove(withData({u"deprecate"_s, u"@acme/util"_s, u"~1.0.0"_s, QString()}));
    QVERIFY2(run.exitCode == 0 && run.err.isEmpty(), qPrintable(run.err));
    QCOMPARE(run.out, u"Undeprecated 2 version(s) of @acme/util: 1.0.0, 1.0.1\n"_s);
    messages = deprecations();
    QCOMPARE(messages.value(u"1.0.0"_s), QString());
    QCOMPARE(messages.value(u"1.0.1"_s), QString());
    QCOMPARE(messages.value(u"1.1.0"_s), u"use 2"_s);
}

void tst_Cli::checkRepair()
{
    const QString blobs = QDir(m_data).filePath(u"blobs"_s);
    const QStringList stored = blobFiles(m_data);
    QCOMPARE(stored.size(), 1);
    const auto leave = [](const QString &path, qint64 ageSeconds) {
        QVERIFY(QDir().mkpath(QFileInfo(path).absolutePath()));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        QVERIFY(file.write("left over") > 0);
        // Written out first: the write would otherwise set the time again at close().
        QVERIFY(file.flush());
        QVERIFY(file.setFileTime(QDateTime::currentDateTimeUtc().addSecs(-ageSeconds),
                                 QFileDevice::FileModificationTime));
        file.close();
    };
    const QString oldStray = QFileInfo(stored.constFirst()).dir().filePath(QString(128, u'a'));
    const QString oldStaging = QDir(blobs).filePath(u"tmp/upload-old"_s);
    const QString youngStaging = QDir(blobs).filePath(u"tmp/upload-now"_s);
    leave(oldStray, 3600);
    leave(oldStaging, 3600);
    leave(youngStaging, 0);

    // The rows are fine: the old files go, the young one stays and is listed, exit 1.
    Run run = trove(withData({u"check"_s, u"--repair"_s}));
    QVERIFY2(!run.crashed && run.err.isEmpty(), qPrintable(run.err));
    QCOMPARE(run.exitCode, 1);
    QVERIFY(!QFileInfo::exists(oldStray));
    QVERIFY(!QFileInfo::exists(oldStaging));
    QVERIFY(QFileInfo::exists(youngStaging));
    QVERIFY(QFileInfo::exists(stored.constFirst()));
    QStringList lines = run.out.chopped(1).split(u'\n');
    QCOMPARE(lines.size(), 3);
    QVERIFY2(lines.at(0).startsWith(youngStaging
                                    + u": staging file left behind; trove check"
                                      " --repair removes it once it is older than"_s),
             qPrintable(lines.at(0)));
    QCOMPARE(lines.at(1), u"Removed 2 file(s) no package row needs"_s);
    QCOMPARE(lines.at(2), u"1 package row(s), 1 blob(s) checked: 1 problem(s) left"_s);

    // --grace 0 takes the young one too: clean.
    run = trove(withData({u"check"_s, u"--repair"_s, u"--grace"_s, u"0"_s, u"--json"_s}));
    QCOMPARE(run.exitCode, 0);
    QJsonObject report = QJsonDocument::fromJson(run.out.toUtf8()).object();
    QCOMPARE(report.value(u"removed"_s).toInt(), 1);
    QCOMPARE(report.value(u"clean"_s).toBool(), true);
    QVERIFY(!QFileInfo::exists(youngStaging));

    // A lost tarball cannot be mended: the row stays, the version is named as broken, and the
    // way out is offered, not taken.
    QVERIFY(QFile::remove(stored.constFirst()));
    const QString before = storeState();
    run = trove(withData({u"check"_s, u"--repair"_s, u"--json"_s}));
    QCOMPARE(run.exitCode, 1);
    QCOMPARE(storeState(), before);
    report = QJsonDocument::fromJson(run.out.toUtf8()).object();
    QCOMPARE(report.value(u"removed"_s).toInt(), 0);
    const QJsonArray problems = report.value(u"problems"_s).toArray();
    QCOMPARE(problems.size(), 1);
    const QJsonObject problem = problems.at(0).toObject();
    QCOMPARE(problem.value(u"kind"_s).toString(), u"missing-blob"_s);
    QCOMPARE(problem.value(u"repairable"_s).toBool(), false);
    QCOMPARE(problem.value(u"package"_s).toString(), u"@acme/util"_s);
    QVERIFY2(problem.value(u"remedy"_s)
                 .toString()
                 .contains(u"trove package delete @acme/util@1.0.0 --project acme/web/app"_s),
             qPrintable(problem.value(u"remedy"_s).toString()));
}

void tst_Cli::backupAndRestore()
{
    const QString backupDir = m_dir->filePath(u"backup"_s);
    const QString before = storeState();
    Run run = trove(withData({u"backup"_s, backupDir}));
    QVERIFY2(run.exitCode == 0 && run.err.isEmpty(), qPrintable(run.err));
    QVERIFY2(run.out.startsWith(u"Backed up 1 package version(s), 1 tarball(s)"_s),
             qPrintable(run.out));
    QCOMPARE(storeState(), before);
    // A second backup into the same folder is refused: it is not empty.
    checkRefused({u"backup"_s, backupDir}, false, {}, 1, u"is not empty"_s);

    // Restore refuses a data folder with anything in it, the fixture's above all.
    checkRefused({u"restore"_s, backupDir},
                 true,
                 {},
                 1,
                 u"is not empty: restore only into an empty or new data folder"_s);

    const QString restored = m_dir->filePath(u"restored"_s);
    run = trove({u"restore"_s, backupDir, u"--data"_s, restored, u"--json"_s});
    QVERIFY2(run.exitCode == 0 && run.err.isEmpty(), qPrintable(run.err));
    const QJsonObject json = QJsonDocument::fromJson(run.out.toUtf8()).object();
    QCOMPARE(json.value(u"rows"_s).toInt(), 1);
    QCOMPARE(json.value(u"blobs"_s).toInt(), 1);
    QCOMPARE(json.value(u"data"_s).toString(), restored);

    // The same rows and the same blob files.
    const QString original = m_data;
    m_data = restored;
    const QString after = storeState();
    m_data = original;
    QStringList beforeLines = before.split(u'\n');
    QStringList afterLines = after.split(u'\n');
    beforeLines.sort();
    afterLines.sort();
    QCOMPARE(afterLines, beforeLines);
    run = trove({u"check"_s, u"--data"_s, restored});
    QCOMPARE(run.exitCode, 0);

    // A damaged backup is refused, and the data folder stays empty.
    const QStringList backupBlobs = blobFiles(backupDir);
    QCOMPARE(backupBlobs.size(), 1);
    QFile blob(backupBlobs.constFirst());
    QVERIFY(blob.open(QIODevice::Append));
    blob.write("x");
    blob.close();
    const QString second = m_dir->filePath(u"second"_s);
    run = trove({u"restore"_s, backupDir, u"--data"_s, second});
    QCOMPARE(run.exitCode, 1);
    QVERIFY2(run.err.contains(u"@acme/util@1.0.0 (acme/web/app) does not match its SHA-512"_s),
             qPrintable(run.err));
    QVERIFY(!QFileInfo::exists(second) || QDir(second).isEmpty());
    // So is one that lacks a tarball.
    QVERIFY(QFile::remove(backupBlobs.constFirst()));
    run = trove({u"restore"_s, backupDir, u"--data"_s, second});
    QCOMPARE(run.exitCode, 1);
    QVERIFY2(run.err.contains(u"The backup lacks the tarball of @acme/util@1.0.0"_s),
             qPrintable(run.err));
    QVERIFY(!QFileInfo::exists(second) || QDir(second).isEmpty());
}

// A backup taken while `trove serve` takes publishes restores to a store `trove check` finds
// clean, holding every version acknowledged before the backup began, with its integrity; any
// version acknowledged during it is there whole or not at all.
void tst_Cli::backupDuringPublishes()
{
    const QByteArray token =
        runJson({u"token"_s, u"create"_s, u"mia"_s}).value(u"token"_s).toString().toLatin1();
    QVERIFY(!token.isEmpty());
    QProcess server;
    server.setProcessEnvironment(m_environment);
    server.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    const quint16 port =
        TestSupport::startServe(server, {u"--listen"_s, u"127.0.0.1:0"_s, u"--data"_s, m_data});
    QVERIFY2(port != 0, "trove serve did not start");

    struct Sent
    {
        QString name;
        QString version;
        QByteArray tarball;
        QString integrity;
        QNetworkReply *reply = nullptr;
    };
    // Several managers: more connections at once than one client's pool.
    std::vector<std::unique_ptr<QNetworkAccessManager>> networks;
    for (int i = 0; i < 4; ++i) {
        networks.push_back(std::make_unique<QNetworkAccessManager>());
    }
    const auto publish = [&](int index) {
        Sent sent;
        sent.name = u"@acme/load-%1"_s.arg(index % 5);
        sent.version = u"1.0.%1"_s.arg(index);
        const QByteArray manifest =
            QJsonDocument(QJsonObject{{u"name"_s, sent.name}, {u"version"_s, sent.version}})
                .toJson();
        sent.tarball = TestSupport::writeTarball(
            {{"package/package.json", manifest},
             {"package/index.js", "module.exports = " + QByteArray::number(index) + ";\n"}});
        sent.integrity =
            u"sha512-"_s
            + QString::fromLatin1(
                QCryptographicHash::hash(sent.tarball, QCryptographicHash::Sha512).toBase64());
        const QString fileName = sent.name + u'-' + sent.version + u".tgz"_s;
        const QJsonObject version{
            {u"name"_s, sent.name},
            {u"version"_s, sent.version},
            {u"_id"_s, QString(sent.name + u'@' + sent.version)},
            {u"dist"_s,
             QJsonObject{
                 {u"integrity"_s, sent.integrity},
                 {u"shasum"_s,
                  QString::fromLatin1(
                      QCryptographicHash::hash(sent.tarball, QCryptographicHash::Sha1).toHex())},
                 {u"tarball"_s, QString(u"http://127.0.0.1/"_s + fileName)}}}};
        const QByteArray body =
            QJsonDocument(
                QJsonObject{
                    {u"_id"_s, sent.name},
                    {u"name"_s, sent.name},
                    {u"dist-tags"_s, QJsonObject{{u"latest"_s, sent.version}}},
                    {u"versions"_s, QJsonObject{{sent.version, version}}},
                    {u"_attachments"_s,
                     QJsonObject{
                         {fileName,
                          QJsonObject{{u"content_type"_s, u"application/octet-stream"_s},
                                      {u"data"_s, QString::fromLatin1(sent.tarball.toBase64())},
                                      {u"length"_s, sent.tarball.size()}}}}}})
                .toJson(QJsonDocument::Compact);
        QUrl url;
        url.setScheme(u"http"_s);
        url.setHost(u"127.0.0.1"_s);
        url.setPort(port);
        url.setPath(u"/api/v4/projects/1/packages/npm/"_s
                        + QString(sent.name).replace(u'/', u"%2F"_s),
                    QUrl::TolerantMode);
        QNetworkRequest request(url);
        request.setHeader(QNetworkRequest::ContentTypeHeader, u"application/json"_s);
        request.setRawHeader("Authorization", "Bearer " + token);
        sent.reply = networks[size_t(index) % networks.size()]->put(request, body);
        return sent;
    };
    const auto finished = [](const QList<Sent> &wave) {
        return std::all_of(
            wave.cbegin(), wave.cend(), [](const Sent &sent) { return sent.reply->isFinished(); });
    };
    const auto acknowledged = [](const Sent &sent) {
        return sent.reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt() == 200;
    };

    // Before: acknowledged, so the backup must hold them.
    QList<Sent> before;
    for (int i = 0; i < 12; ++i) {
        before.append(publish(i));
    }
    QTRY_VERIFY_WITH_TIMEOUT(finished(before), 60000);
    for (const Sent &sent : std::as_const(before)) {
        QVERIFY2(acknowledged(sent),
                 qPrintable(sent.version + u' ' + QString::fromUtf8(sent.reply->readAll())));
    }
    // During: the backup starts while these are in flight, and more follow while it runs.
    QList<Sent> during;
    for (int i = 12; i < 24; ++i) {
        during.append(publish(i));
    }
    const QString backupDir = m_dir->filePath(u"backup"_s);
    QProcess backup;
    backup.setProcessEnvironment(m_environment);
    backup.start(TroveExecutable, {u"backup"_s, backupDir, u"--data"_s, m_data, u"--json"_s});
    QVERIFY(backup.waitForStarted(10000));
    int next = 24;
    while (backup.state() != QProcess::NotRunning && next < 200) {
        during.append(publish(next++));
        QTest::qWait(5);
    }
    QTRY_VERIFY_WITH_TIMEOUT(backup.state() == QProcess::NotRunning, 120000);
    QTRY_VERIFY_WITH_TIMEOUT(finished(during), 120000);
    const QByteArray backupErr = backup.readAllStandardError();
    QVERIFY2(backup.exitStatus() == QProcess::NormalExit && backup.exitCode() == 0,
             backupErr.constData());
    const QJsonObject report = QJsonDocument::fromJson(backup.readAllStandardOutput()).object();
    // Every version acknowledged before, the fixture's, and some of those during.
    QVERIFY2(report.value(u"rows"_s).toInteger() >= 13,
             qPrintable(QString::number(report.value(u"rows"_s).toInteger())));
    server.terminate();
    QVERIFY(server.waitForFinished(30000));

    const QString restored = m_dir->filePath(u"restored"_s);
    Run run = trove({u"restore"_s, backupDir, u"--data"_s, restored});
    QVERIFY2(run.exitCode == 0 && run.err.isEmpty(), qPrintable(run.err));
    run = trove({u"check"_s, u"--data"_s, restored});
    QVERIFY2(run.exitCode == 0, qPrintable(run.out + run.err));

    std::unique_ptr<Registry> registry = openRegistry(restored);
    QVERIFY(registry);
    int duringPresent = 0;
    int duringAcknowledged = 0;
    const auto holds = [&registry](const Sent &sent, bool *present) {
        const Result<Package> row =
            registry->packages().store().packageVersion(1, sent.name, sent.version);
        *present = bool(row);
        if (!row) {
            return true;
        }
        const QString integrity = u"sha512-"_s
            + QString::fromLatin1(QByteArray::fromHex(row->sha512.toLatin1()).toBase64());
        const Result<QByteArray> bytes = registry->blobs().read(row->sha512);
        return integrity == sent.integrity && bytes && *bytes == sent.tarball;
    };
    for (const Sent &sent : std::as_const(before)) {
        bool present = false;
        QVERIFY2(holds(sent, &present), qPrintable(sent.version));
        QVERIFY2(present, qPrintable(sent.name + u'@' + sent.version + u" is not in the backup"_s));
    }
    for (const Sent &sent : std::as_const(during)) {
        bool present = false;
        QVERIFY2(holds(sent, &present), qPrintable(sent.version));
        duringPresent += present;
        duringAcknowledged += acknowledged(sent);
        // Nothing the server refused is in the backup.
        QVERIFY(!present || acknowledged(sent));
    }
    qInfo().noquote() << u"%1 of %2 publishes made during the backup were acknowledged; %3 are in"
                         " the backup"_s.arg(duringAcknowledged)
                             .arg(during.size())
                             .arg(duringPresent);
    QCOMPARE(report.value(u"rows"_s).toInteger(), qint64(13 + duringPresent));
    for (const Sent &sent : std::as_const(before) + during) {
        sent.reply->deleteLater();
    }
}

QTEST_GUILESS_MAIN(tst_Cli)
#include "tst_cli.moc"
