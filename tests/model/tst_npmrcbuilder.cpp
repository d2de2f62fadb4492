// SPDX-License-Identifier: GPL-3.0-or-later
// The .npmrc builder's text: URLs and keys exactly as npm matches them, placeholders instead of
// tokens, the warnings, and the merge into an existing .npmrc. (tests/ui/tst_connect runs the
// real clients with its output.)
#include "model/npmrcbuilder.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace Trove;

class tst_NpmrcBuilder : public QObject
{
    Q_OBJECT

private slots:
    void nerfDarts();
    void projectLevel();
    void groupAndInstanceLevels();
    void jobTokenAndDefaultRegistry();
    void tls_data();
    void tls();
    void plainHttpBeyondLoopbackWarns_data();
    void plainHttpBeyondLoopbackWarns();
    void merge();
    void mergeLines_data();
    void mergeLines();
};

void tst_NpmrcBuilder::nerfDarts()
{
    QCOMPARE(nerfDart(u"http://127.0.0.1:4873/api/v4/packages/npm/"_s),
             u"//127.0.0.1:4873/api/v4/packages/npm/"_s);
    QCOMPARE(nerfDart(u"http://127.0.0.1:4873/api/v4"_s), u"//127.0.0.1:4873/api/v4/"_s);
    QCOMPARE(nerfDart(u"https://registry.test/"_s), u"//registry.test/"_s);
}

void tst_NpmrcBuilder::projectLevel()
{
    NpmrcRequest request;
    request.origin = u"http://127.0.0.1:4873/"_s; // the trailing slash is not doubled
    request.projectId = 7;
    request.scopes = {u"@acme"_s, u"acme"_s, u" tools "_s};
    const NpmrcSnippets out = buildNpmrc(request);
    QCOMPARE(out.registryUrl, u"http://127.0.0.1:4873/api/v4/projects/7/packages/npm/"_s);
    QCOMPARE(out.publishUrl, out.registryUrl);
    QCOMPARE(out.npmrc,
             u"@acme:registry=http://127.0.0.1:4873/api/v4/projects/7/packages/npm/\n"
             "@tools:registry=http://127.0.0.1:4873/api/v4/projects/7/packages/npm/\n"
             "//127.0.0.1:4873/api/v4/projects/7/packages/npm/:_authToken=${NPM_TOKEN}\n"
             "//127.0.0.1:4873/api/v4/:_authToken=${NPM_TOKEN}\n"_s);
    QVERIFY(out.npmConfigCommands.contains(
        u"npm config set --location=project '@acme:registry' "
        "'http://127.0.0.1:4873/api/v4/projects/7/packages/npm/'"_s));
    QVERIFY(out.publishConfig.contains(u"\"registry\": \"%1\""_s.arg(out.registryUrl)));
    QVERIFY(
        out.yarnBerry.contains(u"  acme:\n    npmRegistryServer: \"%1\"\n"_s.arg(out.registryUrl)));
    QVERIFY(out.yarnBerry.contains(u"npmMinimalAgeGate: 0"_s));
    QVERIFY(out.yarnBerry.contains(u"unsafeHttpWhitelist:\n  - \"127.0.0.1\""_s));
    QVERIFY(!out.yarnBerry.contains(u"npmPublishRegistry"_s)); // the same URL
    QCOMPARE(out.yarnClassic,
             u"\"@acme:registry\" \"%1\"\n\"@tools:registry\" \"%1\"\nalways-auth true\n"_s.arg(
                 out.registryUrl));
    // pnpm expands ${NPM_TOKEN} only in the user's .npmrc: credentials go there.
    QCOMPARE(out.pnpmProjectNpmrc,
             u"@acme:registry=%1\n@tools:registry=%1\n"_s.arg(out.registryUrl));
    QCOMPARE(out.pnpmUserNpmrc,
             u"//127.0.0.1:4873/api/v4/projects/7/packages/npm/:_authToken=${NPM_TOKEN}\n"
             "//127.0.0.1:4873/api/v4/:_authToken=${NPM_TOKEN}\n"_s);
    QCOMPARE(out.pnpmWorkspace,
             u"minimumReleaseAgeExclude:\n  - \"@acme/*\"\n  - \"@tools/*\"\n"_s);
    QVERIFY(out.warnings.isEmpty());
}

void tst_NpmrcBuilder::groupAndInstanceLevels()
{
    NpmrcRequest request;
    request.origin = u"http://localhost:4873"_s;
    request.level = NpmrcRequest::Level::Group;
    request.groupPath = u"acme/web"_s;
    request.projectId = 3;
    request.scopes = {u"acme"_s};
    NpmrcSnippets out = buildNpmrc(request);
    QCOMPARE(out.registryUrl, u"http://localhost:4873/api/v4/groups/acme%2Fweb/-/packages/npm/"_s);
    QVERIFY(out.yarnBerry.contains(
        u"npmPublishRegistry: \"http://localhost:4873/api/v4/projects/3/packages/npm/\""_s));
    QVERIFY(out.warnings.join(u' ').contains(u"Yarn classic"_s));

    request.level = NpmrcRequest::Level::Instance;
    request.scopes = {u"acme"_s, u"other"_s};
    request.topLevelGroups = {u"acme"_s};
    request.projectId = 0;
    request.tokenKind = NpmrcRequest::TokenKind::Deploy;
    out = buildNpmrc(request);
    QCOMPARE(out.registryUrl, u"http://localhost:4873/api/v4/packages/npm/"_s);
    // The registry's key is the API's key's child: both lines, so npm finds a token for either.
    QVERIFY(out.npmrc.contains(u"//localhost:4873/api/v4/packages/npm/:_authToken=${NPM_TOKEN}"_s));
    QVERIFY(out.npmrc.contains(u"//localhost:4873/api/v4/:_authToken=${NPM_TOKEN}"_s));
    const QString warnings = out.warnings.join(u'\n');
    QVERIFY2(warnings.contains(u"@other is not the path of a top-level group"_s),
             qPrintable(warnings));
    QVERIFY(!warnings.contains(u"@acme is not"_s));
    QVERIFY(warnings.contains(u"deploy token"_s));
    QVERIFY(warnings.contains(u"Choose a project to publish to"_s));
    QVERIFY(out.publishConfig.isEmpty());
}

void tst_NpmrcBuilder::jobTokenAndDefaultRegistry()
{
    NpmrcRequest request;
    request.origin = u"http://127.0.0.1:4873"_s;
    request.projectId = 2;
    request.scopes = {u"acme"_s};
    request.tokenKind = NpmrcRequest::TokenKind::Job;
    request.defaultRegistry = true;
    const NpmrcSnippets out = buildNpmrc(request);
    QCOMPARE(out.tokenVariable, u"CI_JOB_TOKEN"_s);
    QVERIFY(
        out.npmrc.contains(u"registry=http://127.0.0.1:4873/api/v4/projects/2/packages/npm/\n"_s));
    QVERIFY(out.npmrc.contains(u":_authToken=${CI_JOB_TOKEN}"_s));
    QVERIFY(!out.npmrc.contains(u"NPM_TOKEN"_s));
    QVERIFY(out.yarnBerry.contains(
        u"npmRegistryServer: \"http://127.0.0.1:4873/api/v4/projects/2/packages/npm/\"\nnpmScopes:"_s));
    QVERIFY(out.ciJob.contains(u"npm publish"_s));
    QVERIFY(out.ciJob.contains(u"npm ci"_s));
    QVERIFY(out.ciJob.contains(u"npm dist-tag add"_s));
}

void tst_NpmrcBuilder::tls_data()
{
    QTest::addColumn<QString>("caFile");
    QTest::addColumn<QString>("npmrcLine"); // empty: no cafile line
    QTest::addColumn<QString>("yarnBerryLine");
    QTest::addColumn<QString>("yarnClassicLine");
    QTest::addRow("self-signed certificate")
        << u"/home/mia/.local/share/trove/cert.pem"_s
        << u"cafile=/home/mia/.local/share/trove/cert.pem\n"_s
        << u"httpsCaFilePath: \"/home/mia/.local/share/trove/cert.pem\"\n"_s
        << u"cafile \"/home/mia/.local/share/trove/cert.pem\"\n"_s;
    QTest::addRow("a path with a space")
        << u"/srv/my certs/cert.pem"_s << u"cafile=/srv/my certs/cert.pem\n"_s
        << u"httpsCaFilePath: \"/srv/my certs/cert.pem\"\n"_s
        << u"cafile \"/srv/my certs/cert.pem\"\n"_s;
    QTest::addRow("a Windows path, quoted strings escaped")
        << u"C:\\Trove\\cert.pem"_s << u"cafile=C:\\Trove\\cert.pem\n"_s
        << u"httpsCaFilePath: \"C:\\\\Trove\\\\cert.pem\"\n"_s
        << u"cafile \"C:\\\\Trove\\\\cert.pem\"\n"_s;
    QTest::addRow("a certificate of a known authority: no file")
        << QString() << QString() << QString() << QString();
}

void tst_NpmrcBuilder::tls()
{
    QFETCH(QString, caFile);
    QFETCH(QString, npmrcLine);
    QFETCH(QString, yarnBerryLine);
    QFETCH(QString, yarnClassicLine);
    NpmrcRequest request;
    request.origin = u"https://192.168.1.20:4873/"_s;
    request.caFile = caFile;
    request.projectId = 7;
    request.scopes = {u"acme"_s};
    const NpmrcSnippets out = buildNpmrc(request);
    QCOMPARE(out.registryUrl, u"https://192.168.1.20:4873/api/v4/projects/7/packages/npm/"_s);
    QVERIFY2(out.npmrc.startsWith(u"@acme:registry=https://192.168.1.20:4873/"_s),
             qPrintable(out.npmrc));
    QVERIFY(out.npmrc.contains(
        u"//192.168.1.20:4873/api/v4/projects/7/packages/npm/:_authToken=${NPM_TOKEN}\n"_s));
    // Certificate checks stay on: never strict-ssl=false, never yarn's plain-HTTP list.
    for (const QString &text : {out.npmrc,
                                out.npmConfigCommands,
                                out.yarnBerry,
                                out.yarnClassic,
                                out.pnpmProjectNpmrc,
                                out.pnpmUserNpmrc}) {
        QVERIFY2(!text.contains(u"strict-ssl"_s), qPrintable(text));
        QVERIFY2(!text.contains(u"unsafeHttpWhitelist"_s), qPrintable(text));
        QVERIFY2(!text.contains(u"http://"_s), qPrintable(text));
    }
    QVERIFY(out.warnings.isEmpty());
    if (npmrcLine.isEmpty()) {
        for (const QString &text : {out.npmrc, out.yarnBerry, out.yarnClassic}) {
            QVERIFY2(!text.contains(u"cafile"_s, Qt::CaseInsensitive), qPrintable(text));
        }
        return;
    }
    QVERIFY2(out.npmrc.contains(npmrcLine), qPrintable(out.npmrc));
    // pnpm reads cafile from the project's .npmrc (it is no credential).
    QVERIFY2(out.pnpmProjectNpmrc.contains(npmrcLine), qPrintable(out.pnpmProjectNpmrc));
    QVERIFY(out.npmConfigCommands.contains(
        u"npm config set --location=project 'cafile' '%1'"_s.arg(caFile)));
    QVERIFY2(out.yarnBerry.startsWith(yarnBerryLine), qPrintable(out.yarnBerry));
    QVERIFY2(out.yarnClassic.endsWith(yarnClassicLine), qPrintable(out.yarnClassic));
    // Merged into an .npmrc that trusted another certificate: one cafile line, the new one.
    const QString merged = mergeNpmrc(u"cafile=/old/cert.pem\nsave-exact=true\n"_s, out.npmrc);
    QCOMPARE(merged.count(u"cafile="_s), 1);
    QVERIFY(merged.startsWith(npmrcLine));
}

void tst_NpmrcBuilder::plainHttpBeyondLoopbackWarns_data()
{
    QTest::addColumn<QString>("origin");
    QTest::addColumn<bool>("warns");
    QTest::addRow("LAN address over http") << u"http://192.168.1.20:4873"_s << true;
    QTest::addRow("host name over http") << u"http://build-01.lan:4873"_s << true;
    QTest::addRow("127.0.0.1") << u"http://127.0.0.1:4873"_s << false;
    QTest::addRow("localhost") << u"http://localhost:4873"_s << false;
    QTest::addRow("::1") << u"http://[::1]:4873"_s << false;
    QTest::addRow("LAN address over https") << u"https://192.168.1.20:4873"_s << false;
}

void tst_NpmrcBuilder::plainHttpBeyondLoopbackWarns()
{
    QFETCH(QString, origin);
    QFETCH(bool, warns);
    NpmrcRequest request;
    request.origin = origin;
    request.projectId = 1;
    request.scopes = {u"acme"_s};
    request.caFile = u"/ignored/for/http.pem"_s;
    const NpmrcSnippets out = buildNpmrc(request);
    QCOMPARE(out.warnings.join(u' ').contains(u"unencrypted"_s), warns);
    if (origin.startsWith(u"http:"_s)) {
        QVERIFY(!out.npmrc.contains(u"cafile"_s));
        QVERIFY(!out.yarnBerry.contains(u"httpsCaFilePath"_s));
    }
}

void tst_NpmrcBuilder::merge()
{
    const QString existing = u"# team settings\n"
                             "save-exact=true\n"
                             "@acme:registry=http://old.test/\n"
                             "//old.test/:_authToken=${OLD}\n"_s;
    const QString snippet = u"@acme:registry=http://127.0.0.1:4873/api/v4/packages/npm/\n"
                            "//127.0.0.1:4873/api/v4/:_authToken=${NPM_TOKEN}\n"_s;
    QCOMPARE(mergeNpmrc(existing, snippet),
             u"# team settings\n"
             "save-exact=true\n"
             "@acme:registry=http://127.0.0.1:4873/api/v4/packages/npm/\n"
             "//old.test/:_authToken=${OLD}\n"
             "//127.0.0.1:4873/api/v4/:_authToken=${NPM_TOKEN}\n"_s);
    QCOMPARE(mergeNpmrc(QString(), snippet), snippet);
    // Merging twice changes nothing more.
    QCOMPARE(mergeNpmrc(mergeNpmrc(existing, snippet), snippet), mergeNpmrc(existing, snippet));
}

void tst_NpmrcBuilder::mergeLines_data()
{
    QTest::addColumn<QString>("existing");
    QTest::addColumn<QString>("snippet");
    // Each line of the result as "<mark><text>" with + added, ~ changed (then "<was"), space kept.
    QTest::addColumn<QStringList>("expected");
    QTest::newRow("new file") << QString() << u"a=1\nb=2\n"_s << QStringList{u"+a=1"_s, u"+b=2"_s};
    QTest::newRow("old registry replaced, others kept")
        << u"# ours\nsave-exact=true\n@acme:registry=http://old.test/\n"_s
        << u"@acme:registry=http://127.0.0.1:1/\n//127.0.0.1:1/:_authToken=${NPM_TOKEN}\n"_s
        << QStringList{u" # ours"_s,
                       u" save-exact=true"_s,
                       u"~@acme:registry=http://127.0.0.1:1/<@acme:registry=http://old.test/"_s,
                       u"+//127.0.0.1:1/:_authToken=${NPM_TOKEN}"_s};
    QTest::newRow("same value is kept, not changed")
        << u"a=1\nb=2\n"_s << u"a=1\n"_s << QStringList{u" a=1"_s, u" b=2"_s};
    QTest::newRow("comments of the snippet are not written")
        << u"a=1\n"_s << u"# a comment\nc=3\n"_s << QStringList{u" a=1"_s, u"+c=3"_s};
    QTest::newRow("a key twice in the file: both changed")
        << u"a=1\nx=0\na=2\n"_s << u"a=3\n"_s
        << QStringList{u"~a=3<a=1"_s, u" x=0"_s, u"~a=3<a=2"_s};
    QTest::newRow("blank lines and comments of the file are kept")
        << u"\n; old style\n\nz=9"_s << u"z=10\n"_s
        << QStringList{u" "_s, u" ; old style"_s, u" "_s, u"~z=10<z=9"_s};
}

void tst_NpmrcBuilder::mergeLines()
{
    QFETCH(QString, existing);
    QFETCH(QString, snippet);
    QFETCH(QStringList, expected);
    QStringList actual;
    QStringList texts;
    for (const NpmrcMergeLine &line : mergeNpmrcLines(existing, snippet)) {
        texts.append(line.text);
        switch (line.kind) {
        case NpmrcMergeLine::Kind::Added:
            actual.append(u"+"_s + line.text);
            break;
        case NpmrcMergeLine::Kind::Changed:
            actual.append(u"~"_s + line.text + u"<"_s + line.previous);
            break;
        case NpmrcMergeLine::Kind::Kept:
            actual.append(u" "_s + line.text);
            break;
        }
    }
    QCOMPARE(actual, expected);
    // The preview's lines are the file that is written.
    QCOMPARE(mergeNpmrc(existing, snippet), texts.join(u'\n') + u'\n');
}

QTEST_GUILESS_MAIN(tst_NpmrcBuilder)
#include "tst_npmrcbuilder.moc"
