// SPDX-License-Identifier: GPL-3.0-or-later
// npm package names as GitLab validates them (docs/npm-api.md §5.3), tarball file names and the
// decoding of a name's path segment (docs/npm-api.md §1.2).

#include "model/npm/packagename.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace Trove::Npm;

class tst_PackageName : public QObject
{
    Q_OBJECT

private slots:
    void validity_data();
    void validity();
    void scope_data();
    void scope();
    void tarballFileNames_data();
    void tarballFileNames();
    void decodeSegment_data();
    void decodeSegment();
};

void tst_PackageName::validity_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<bool>("valid");
    // GitLab's spec examples.
    QTest::addRow("scope with a digit") << u"@group-1/package"_s << true;
    QTest::addRow("scope with a hyphen") << u"@any-scope/package"_s << true;
    QTest::addRow("unscoped") << u"unscoped-package"_s << true;
    QTest::addRow("@ inside the scope") << u"@inv@lid-scope/package"_s << false;
    QTest::addRow("traversal") << u"@scope/../../package"_s << false;
    QTest::addRow("encoded traversal") << u"@scope%2e%2e%fpackage"_s << false;
    QTest::addRow("two slashes") << u"@scope/sub/package"_s << false;
    // The regular expression's edges.
    QTest::addRow("upper case") << u"@Scope/Package"_s << true;
    QTest::addRow("all name characters") << u"a-b+c.d_e9"_s << true;
    QTest::addRow("one-character scope") << u"@a/b"_s << true;
    QTest::addRow("scope of a dot alone") << u"@./b"_s << false;
    QTest::addRow("scope starting with a dot") << u"@.a/b"_s << true;
    QTest::addRow("scope starting with a hyphen") << u"@-a/b"_s << false;
    QTest::addRow("scope ending with a dot") << u"@a./b"_s << false;
    QTest::addRow("scope ending with a hyphen") << u"@a-/b"_s << true;
    QTest::addRow("scope ending in .git") << u"@project.git/b"_s << false;
    QTest::addRow("scope ending in .atom") << u"@feed.atom/b"_s << false;
    QTest::addRow("scope containing .git") << u"@a.gitx/b"_s << true;
    QTest::addRow("empty scope") << u"@/b"_s << false;
    QTest::addRow("scope without a name") << u"@scope/"_s << false;
    QTest::addRow("scope alone") << u"@scope"_s << false;
    QTest::addRow("empty") << QString() << false;
    QTest::addRow("dot") << u"."_s << false;
    QTest::addRow("dot dot") << u".."_s << false;
    QTest::addRow("scoped dot") << u"@scope/."_s << false;
    QTest::addRow("scoped dot dot") << u"@scope/.."_s << false;
    QTest::addRow("three dots") << u"..."_s << true;
    QTest::addRow("space") << u"my package"_s << false;
    QTest::addRow("trailing newline") << u"package\n"_s << false;
    QTest::addRow("percent") << u"pack%20age"_s << false;
    QTest::addRow("non-ASCII letter") << u"paquet-\u00e9"_s << false;
    QTest::addRow("214 characters") << QString(214, u'a') << true;
    QTest::addRow("215 characters") << QString(215, u'a') << false;
    QTest::addRow("scoped, 214 characters") << u"@s/"_s + QString(211, u'a') << true;
    QTest::addRow("scoped, 215 characters") << u"@s/"_s + QString(212, u'a') << false;
}

void tst_PackageName::validity()
{
    QFETCH(QString, name);
    QFETCH(bool, valid);
    QCOMPARE(isValidPackageName(name), valid);
}

void tst_PackageName::scope_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("scope");
    QTest::addRow("scoped") << u"@acme/widget"_s << u"acme"_s;
    QTest::addRow("unscoped") << u"widget"_s << QString();
    QTest::addRow("case kept") << u"@Acme/widget"_s << u"Acme"_s;
    QTest::addRow("at sign without a slash") << u"@acme"_s << QString();
}

void tst_PackageName::scope()
{
    QFETCH(QString, name);
    QFETCH(QString, scope);
    QCOMPARE(scopeOf(name), scope);
}

void tst_PackageName::tarballFileNames_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("version");
    QTest::addColumn<QString>("gitlab");
    QTest::addColumn<QString>("npmjs");
    QTest::addRow("scoped") << u"@s/n"_s << u"1.0.0"_s << u"@s/n-1.0.0.tgz"_s << u"n-1.0.0.tgz"_s;
    QTest::addRow("unscoped") << u"n"_s << u"1.0.0"_s << u"n-1.0.0.tgz"_s << u"n-1.0.0.tgz"_s;
    QTest::addRow("prerelease and build")
        << u"@s/n"_s << u"2.0.0-rc.1+b.2"_s << u"@s/n-2.0.0-rc.1+b.2.tgz"_s
        << u"n-2.0.0-rc.1+b.2.tgz"_s;
}

void tst_PackageName::tarballFileNames()
{
    QFETCH(QString, name);
    QFETCH(QString, version);
    QFETCH(QString, gitlab);
    QFETCH(QString, npmjs);
    QCOMPARE(tarballFileName(name, version), gitlab);
    QCOMPARE(npmjsTarballFileName(name, version), npmjs);
}

void tst_PackageName::decodeSegment_data()
{
    QTest::addColumn<QByteArray>("encoded");
    QTest::addColumn<QString>("decoded");
    QTest::addRow("npm's lower-case slash escape")
        << QByteArray("@scope%2fname") << u"@scope/name"_s;
    QTest::addRow("pnpm's upper-case slash escape")
        << QByteArray("@scope%2Fname") << u"@scope/name"_s;
    QTest::addRow("encoded @") << QByteArray("%40scope%2fname") << u"@scope/name"_s;
    QTest::addRow("plain") << QByteArray("name") << u"name"_s;
    QTest::addRow("UTF-8") << QByteArray("caf%C3%A9") << u"caf\u00e9"_s;
    QTest::addRow("malformed escape kept")
        << QByteArray("@scope%2e%2e%fpackage") << u"@scope..%fpackage"_s;
    QTest::addRow("invalid UTF-8") << QByteArray("bad%C3%28") << QString();
    QTest::addRow("overlong slash") << QByteArray("a%C0%AFb") << QString();
    QTest::addRow("encoded surrogate") << QByteArray("a%ED%A0%80b") << QString();
    QTest::addRow("NUL") << QByteArray("a%00b") << QString();
    QTest::addRow("CR LF") << QByteArray("%0d%0aname") << QString();
    QTest::addRow("LF") << QByteArray("a%0Ab") << QString();
    QTest::addRow("tab") << QByteArray("a%09b") << QString();
    QTest::addRow("escape cut short") << QByteArray("name%2") << u"name%2"_s;
    QTest::addRow("escape at the very end") << QByteArray("name%2f") << u"name/"_s;
    QTest::addRow("byte order mark kept") << QByteArray("%EF%BB%BFname") << u"\ufeffname"_s;
    QTest::addRow("empty") << QByteArray() << QString();
}

void tst_PackageName::decodeSegment()
{
    QFETCH(QByteArray, encoded);
    QFETCH(QString, decoded);
    QCOMPARE(decodePackageNameSegment(encoded), decoded);
}

QTEST_GUILESS_MAIN(tst_PackageName)
#include "tst_packagename.moc"
