// SPDX-License-Identifier: GPL-3.0-or-later
// The request log's and the tokens window's item models: QAbstractItemModelTester on every
// change, the rows the store and the server give them, and never a secret.
#include "model/itemmodels/requestlogmodel.h"
#include "model/itemmodels/tokentablemodel.h"
#include "model/requestlog.h"

#include "testsupport.h"

#include <QAbstractItemModelTester>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Trove;
using TestSupport::RegistryFixture;

namespace {

RequestLogEntry entry(const QString &path, int status, const QString &reason = {})
{
    RequestLogEntry e;
    e.time = QDateTime(QDate(2026, 12, 1), QTime(12, 0), Qt::UTC);
    e.method = u"GET"_s;
    e.path = path;
    e.status = status;
    e.reason = reason;
    return e;
}

} // namespace

class tst_LogAndTokenModels : public QObject
{
    Q_OBJECT

private slots:
    void requestLogBuffer();
    void requestLogModel();
    void tokenModel();
};

// Appended from many threads, taken in order, bounded.
void tst_LogAndTokenModels::requestLogBuffer()
{
    RequestLog log(3);
    for (int i = 0; i < 5; ++i) {
        log.append(entry(u"/p%1"_s.arg(i), 200));
    }
    quint64 dropped = 0;
    const QList<RequestLogEntry> taken = log.takeNew(&dropped);
    QCOMPARE(dropped, 2u);
    QCOMPARE(taken.size(), 3);
    QCOMPARE(taken.first().path, u"/p2"_s);
    QCOMPARE(taken.first().sequence, 3u);
    QCOMPARE(taken.last().sequence, 5u);
    QVERIFY(log.takeNew(&dropped).isEmpty());
    QCOMPARE(dropped, 0u);
    QCOMPARE(log.total(), 5u);
}

void tst_LogAndTokenModels::requestLogModel()
{
    RequestLogModel model(4);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.append({entry(u"/a"_s, 200), entry(u"/b"_s, 404, u"no such package"_s)});
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.index(1, RequestLogModel::ReasonColumn).data().toString(), u"no such package"_s);
    QVERIFY(model.index(1, 0).data(RequestLogModel::ProblemRole).toBool());
    QVERIFY(!model.index(0, 0).data(RequestLogModel::ProblemRole).toBool());
    // Past the capacity the oldest rows go, in one batch.
    model.append({entry(u"/c"_s, 200), entry(u"/d"_s, 200), entry(u"/e"_s, 401)});
    QCOMPARE(model.rowCount(), 4);
    QCOMPARE(model.entryAt(0).path, u"/b"_s);
    QCOMPARE(model.entryAt(3).path, u"/e"_s);
    // A batch larger than the capacity keeps its newest rows.
    QList<RequestLogEntry> many;
    for (int i = 0; i < 6; ++i) {
        many.append(entry(u"/m%1"_s.arg(i), 200));
    }
    model.append(many);
    QCOMPARE(model.rowCount(), 4);
    QCOMPARE(model.entryAt(0).path, u"/m2"_s);
    model.clear();
    QCOMPARE(model.rowCount(), 0);

    RequestLogEntry withToken = entry(u"/api/v4/packages/npm/@acme%2fcore"_s, 200);
    withToken.tokenKind = u"personal"_s;
    withToken.tokenName = u"laptop"_s;
    withToken.username = u"mia"_s;
    QCOMPARE(RequestLogModel::tokenText(withToken), u"personal 'laptop' (mia)"_s);
    QCOMPARE(RequestLogModel::curlCommand(withToken, u"http://127.0.0.1:4873/"_s),
             u"curl -i 'http://127.0.0.1:4873/api/v4/packages/npm/@acme%2fcore' "
             "-H \"Authorization: Bearer $NPM_TOKEN\""_s);
    withToken.method = u"PUT"_s;
    withToken.tokenKind.clear();
    QCOMPARE(RequestLogModel::curlCommand(withToken, u"http://127.0.0.1:4873"_s),
             u"curl -i -X PUT 'http://127.0.0.1:4873/api/v4/packages/npm/@acme%2fcore'"_s);
}

void tst_LogAndTokenModels::tokenModel()
{
    RegistryFixture fixture;
    QVERIFY2(fixture.open(), qPrintable(fixture.error()));
    QVERIFY_RESULT(fixture->namespaces().createGroup(u"acme"_s));
    const Result<Project> project = fixture->namespaces().createProject(u"acme/core"_s);
    QVERIFY_RESULT(project);
    const Result<User> mia = fixture->users().createUser(u"mia"_s);
    QVERIFY_RESULT(mia);
    const QDate expiry = QDateTime::currentDateTimeUtc().date().addDays(2);
    const Result<CreatedToken> pat =
        fixture->tokens().createPersonalAccessToken(mia->id, u"laptop"_s, {u"read_api"_s}, expiry);
    QVERIFY_RESULT(pat);
    const Result<CreatedToken> deploy =
        fixture->tokens().createDeployToken(0, project->id, u"ci"_s, {u"read_package_registry"_s});
    QVERIFY_RESULT(deploy);
    QVERIFY_RESULT(fixture->tokens().revoke(TokenKind::Deploy, deploy->id));
    const Result<CreatedToken> job = fixture->tokens().createJobToken(project->id, mia->id);
    QVERIFY_RESULT(job);

    const Result<QList<TokenTableModel::Row>> rows =
        TokenTableModel::load(fixture->database(), expiry); // expired from that day on
    QVERIFY_RESULT(rows);
    TokenTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setRows(*rows);
    QCOMPARE(model.rowCount(), 3);
    QHash<int, int> rowOfKind;
    for (int row = 0; row < model.rowCount(); ++row) {
        rowOfKind.insert(model.index(row, 0).data(TokenTableModel::KindRole).toInt(), row);
        for (int column = 0; column < model.columnCount(); ++column) {
            const QString text = model.index(row, column).data().toString();
            QVERIFY(!text.contains(pat->token) && !text.contains(deploy->token)
                    && !text.contains(job->token));
        }
    }
    const int personal = rowOfKind.value(int(TokenKind::Personal));
    QCOMPARE(model.index(personal, TokenTableModel::StateColumn).data().toString(), u"expired"_s);
    QCOMPARE(model.index(personal, TokenTableModel::OwnerColumn).data().toString(), u"mia"_s);
    QCOMPARE(model.index(personal, TokenTableModel::LastUsedColumn).data().toString(),
             u"never used"_s);
    // The column says what the token may do in words, the tooltip names the scope.
    QCOMPARE(model.index(personal, TokenTableModel::ScopesColumn).data().toString(), u"install"_s);
    QVERIFY(model.index(personal, TokenTableModel::ScopesColumn)
                .data(Qt::ToolTipRole)
                .toString()
                .startsWith(u"read_api: "_s));
    const int deployRow = rowOfKind.value(int(TokenKind::Deploy));
    QCOMPARE(model.index(deployRow, TokenTableModel::StateColumn).data().toString(), u"revoked"_s);
    QCOMPARE(model.index(deployRow, TokenTableModel::OwnerColumn).data().toString(),
             u"project acme/core"_s);
    const int jobRow = rowOfKind.value(int(TokenKind::Job));
    QCOMPARE(model.index(jobRow, TokenTableModel::StateColumn).data().toString(), u"job running"_s);
    QCOMPARE(model.index(jobRow, TokenTableModel::OwnerColumn).data().toString(),
             u"project acme/core (as mia)"_s);

    // A use not yet written to the file shows in the window at once, on its next load.
    const Result<CreatedToken> used =
        fixture->tokens().createPersonalAccessToken(mia->id, u"desk"_s, {u"api"_s});
    QVERIFY_RESULT(used);
    QVERIFY_RESULT(fixture->tokens().authenticate(used->token));
    const QDateTime lastUse = fixture->tokens().store().personalToken(used->id)->lastUsedAt;
    QVERIFY(lastUse.isValid());
    const Result<QList<TokenTableModel::Row>> reloaded =
        TokenTableModel::load(fixture->database(), QDate::currentDate());
    QVERIFY_RESULT(reloaded);
    bool found = false;
    for (const TokenTableModel::Row &row : *reloaded) {
        if (row.kind == TokenKind::Personal && row.id == used->id) {
            found = true;
            QCOMPARE(row.lastUsedAt, lastUse);
        }
    }
    QVERIFY(found);

    model.setRows({});
    QCOMPARE(model.rowCount(), 0);
    fixture.close();
}

QTEST_GUILESS_MAIN(tst_LogAndTokenModels)
#include "tst_logandtokenmodels.moc"
