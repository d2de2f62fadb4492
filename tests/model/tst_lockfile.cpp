// SPDX-License-Identifier: GPL-3.0-or-later
// Lockfiles read for `trove mirror` (docs/mirror.md): the real files npm, yarn classic, yarn
// berry and pnpm wrote for one project (tests/tools/make-lockfiles.sh), hand-written files with
// git, remote, bundled, patched and workspace entries, and bad inputs, each refused with its
// file and line.

#include "model/lockfile/lockfile.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using Trove::Lockfile;
using Trove::LockfileEntry;
namespace Lockfiles = Trove::Lockfiles;

namespace {

const QString Base = u"http://127.0.0.1:4873/api/v4/projects/1/packages/npm/"_s;
const QString Core = u"sha512-Vde2JFAxIfQGtPD9XVCYH+vZnZJZXnxyBRdaAms0jBPyviM93PMtkjAokonxbpv6Vk/"
                     "BQb6DQoPnsmG8fFRb7g=="_s;
const QString Widget =
    u"sha512-GGOyczTA3oPfr0jGEMi32cfkq2Tc73Lfu6X8bz9hD3+Ya5ZN98K531Kf9M4uCAQfQy0O"
    "DFxOLH3iJkfw9HGofQ=="_s;
const QString Pad100 =
    u"sha512-L4ZSyRaDHmeAeLkLC83Shrd9oouTsA6pJqPw+MkWjKgo3npUEUXqZ18rO4lAvPh9v4vQ"
    "ojO9hKyqve5jnyMCKw=="_s;
const QString Pad120 =
    u"sha512-hOqLzXzN+9sgVbntUUS7hdNwNlMMZzzE8A0H5Z60Fzs1bx/LM+QWkqp+gGfg8rbPiEc+"
    "qU31QWq5bLG4W+Yoyw=="_s;
const QString Tiny = u"sha512-Is+togdU28txa3i6qqVXrwTNMLRK7Ybz+UQnYT7gmWTkuNoUpHFNa/Qn/i3ELmmqR/"
                     "XVWGx8tg2I3qfJ7tWcIw=="_s;
const QString Commit = u"0123456789abcdef0123456789abcdef01234567"_s;

QString tarball(const QString &name, const QString &version)
{
    return Base + name + u"/-/"_s + name + u'-' + version + u".tgz"_s;
}

// One line per entry: "name@version resolved integrity" ("-" for none), or "skip name@version:
// reason".
QString describe(const LockfileEntry &entry)
{
    if (entry.skipped()) {
        return u"skip %1: %2"_s.arg(entry.key(), entry.skipReason);
    }
    return u"%1 %2 %3"_s.arg(entry.key(),
                             entry.resolved.isEmpty() ? u"-"_s : entry.resolved,
                             entry.integrity.isEmpty() ? u"-"_s : entry.integrity);
}

QString registry(const QString &name, const QString &version, const QString &integrity)
{
    return u"%1@%2 %3 %4"_s.arg(name, version, tarball(name, version), integrity);
}

QByteArray readData(const QString &relative)
{
    QFile file(QStringLiteral(TROVE_SOURCE_DIR "/tests/data/lockfiles/") + relative);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

} // namespace

Q_DECLARE_METATYPE(Trove::Lockfile::Format)

class tst_Lockfile : public QObject
{
    Q_OBJECT

private slots:
    void fixtures_data();
    void fixtures();
    void badInputs_data();
    void badInputs();
    void bounds_data();
    void bounds();
    void formatByContent_data();
    void formatByContent();
    void readFile();
    void integrity_data();
    void integrity();
    void damagedFiles_data();
    void damagedFiles();
};

void tst_Lockfile::fixtures_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<Lockfile::Format>("format");
    QTest::addColumn<QStringList>("expected");

    // The real clients' files: the project depends on @acme/widget (-> @acme/core,
    // left-pad-lite ^1), tiny-util (-> left-pad-lite 1.0.0), an alias of left-pad-lite 1.0.0,
    // a local folder, and has a workspace package (-> left-pad-lite ^1.2.0).
    const QStringList npm = {
        registry(u"@acme/core"_s, u"1.1.0"_s, Core),
        registry(u"@acme/widget"_s, u"2.0.0"_s, Widget),
        u"skip helper@0.1.0: a workspace package of the project (packages/helper)"_s,
        registry(u"left-pad-lite"_s, u"1.0.0"_s, Pad100),
        registry(u"left-pad-lite"_s, u"1.2.0"_s, Pad120),
        u"skip local-thing@0.0.1: a link to a local folder (vendor/local-thing)"_s,
        registry(u"tiny-util"_s, u"0.3.1"_s, Tiny),
    };
    QTest::addRow("npm 11, lockfile v3")
        << u"npm-v3/package-lock.json"_s << Lockfile::Format::PackageLock << npm;
    QTest::addRow("npm 11, lockfile v2")
        << u"npm-v2/package-lock.json"_s << Lockfile::Format::PackageLock << npm;
    QTest::addRow("yarn classic")
        << u"yarn-classic/yarn.lock"_s << Lockfile::Format::YarnClassic
        << QStringList{
               registry(u"@acme/core"_s, u"1.1.0"_s, Core),
               registry(u"@acme/widget"_s, u"2.0.0"_s, Widget),
               registry(u"left-pad-lite"_s, u"1.0.0"_s, Pad100),
               registry(u"left-pad-lite"_s, u"1.2.0"_s, Pad120),
               u"skip local-thing@0.0.1: a local file or folder (file:./vendor/local-thing)"_s,
               registry(u"tiny-util"_s, u"0.3.1"_s, Tiny),
           };
    // Berry records no npm integrity (its checksum hashes its own zip archive).
    QTest::addRow("yarn berry")
        << u"yarn-berry/yarn.lock"_s << Lockfile::Format::YarnBerry
        << QStringList{
               registry(u"@acme/core"_s, u"1.1.0"_s, u"-"_s),
               registry(u"@acme/widget"_s, u"2.0.0"_s, u"-"_s),
               u"skip consumer@0.0.0-use.local: a workspace package of the project "
               "(workspace:.)"_s,
               u"skip helper@0.0.0-use.local: a workspace package of the project "
               "(workspace:packages/helper)"_s,
               registry(u"left-pad-lite"_s, u"1.0.0"_s, u"-"_s),
               registry(u"left-pad-lite"_s, u"1.2.0"_s, u"-"_s),
               u"skip local-thing@0.0.1: a local file or folder (file:./vendor/local-thing#./"
               "vendor/local-thing::hash=28cc38&locator=consumer%40workspace%3A.)"_s,
               registry(u"tiny-util"_s, u"0.3.1"_s, u"-"_s),
           };
    QTest::addRow("pnpm")
        << u"pnpm/pnpm-lock.yaml"_s << Lockfile::Format::Pnpm
        << QStringList{
               registry(u"@acme/core"_s, u"1.1.0"_s, Core),
               registry(u"@acme/widget"_s, u"2.0.0"_s, Widget),
               registry(u"left-pad-lite"_s, u"1.0.0"_s, Pad100),
               registry(u"left-pad-lite"_s, u"1.2.0"_s, Pad120),
               u"skip local-thing@: a local file or folder (file:vendor/local-thing)"_s,
               registry(u"tiny-util"_s, u"0.3.1"_s, Tiny),
           };

    // Hand-written: what the clients write for git, remote, bundled, patched, linked entries.
    const QString gitSsh = u"git+ssh://git@127.0.0.1/owner/from-git.git#"_s + Commit;
    QTest::addRow("package-lock, other kinds")
        << u"kinds/package-lock.json"_s << Lockfile::Format::PackageLock
        << QStringList{
               u"skip from-git@1.0.0: a git dependency (%1)"_s.arg(gitSsh),
               u"skip inner@2.0.0: bundled in its parent's tarball (node_modules/with-bundle)"_s,
               u"no-resolved@3.0.0 - sha1-KdA7TXwtenBqgRpSnXOZIa6xvDU="_s,
               u"skip tarball-file@1.0.0: a local file or folder (file:../tarball-file-1.0.0.tgz)"_s,
               u"with-bundle@1.0.0 http://127.0.0.1:4873/with-bundle/-/with-bundle-1.0.0.tgz "
               "sha512-ihHaheJcN8Bj6egyhiFq8/ivZu1TNcrDsjpxuIoxG6cEL6QDXBvmbmwQYQB7GXgXVBbSDnrzHRd6S64pbgOdVQ=="_s,
           };
    // The SHA-1 after '#' in `resolved` is the integrity of lockfiles without one.
    QTest::addRow("yarn classic, other kinds")
        << u"kinds/yarn.lock"_s << Lockfile::Format::YarnClassic
        << QStringList{
               u"skip from-git@1.0.0: a git dependency (owner/from-git)"_s,
               u"old-style@1.0.0 http://127.0.0.1:4873/old-style/-/old-style-1.0.0.tgz "
               "sha1-KdA7TXwtenBqgRpSnXOZIa6xvDU="_s,
               u"skip remote@1.0.0: a tarball URL outside any registry "
               "(http://127.0.0.1:4873/remote.tgz)"_s,
           };
    QTest::addRow("yarn berry, other kinds")
        << u"kinds/berry/yarn.lock"_s << Lockfile::Format::YarnBerry
        << QStringList{
               u"skip from-git@1.0.0: a git dependency "
               "(https://127.0.0.1/owner/from-git.git#commit=%1)"_s.arg(Commit),
               u"skip kinds@0.0.0-use.local: a workspace package of the project (workspace:.)"_s,
               u"skip linked@0.0.0-use.local: a link to a local folder "
               "(link:./linked::locator=kinds%40workspace%3A.)"_s,
               u"resolve@1.22.8 - -"_s,
               u"skip resolve@1.22.8: a patched copy of another entry, which is mirrored itself "
               "(patch:resolve@npm%3A1.22.8#optional!builtin<compat/resolve>::version=1.22.8&"
               "hash=c3c19d)"_s,
           };
    QTest::addRow("pnpm, other kinds")
        << u"kinds/pnpm-lock.yaml"_s << Lockfile::Format::Pnpm
        << QStringList{
               u"skip from-git@1.0.0: a git dependency "
               "(git+https://127.0.0.1/owner/from-git.git#%1)"_s.arg(Commit),
               u"plain@1.0.0 - sha512-zN09qfKZ0Rt7CBzVPnscSx/q1ZRTI/cCJ0JKxvJiMU8m4p628jVm+"
               "HFVK02ykmfcEJHl7Ar5CaytDctctAmeKg=="_s,
               u"skip remote@1.0.0: a tarball URL outside any registry "
               "(http://127.0.0.1:4873/remote.tgz)"_s,
               u"skip shared@: a workspace package of the project (packages/shared)"_s,
           };
    // What larger pnpm files carry besides: overrides, patches, peer suffixes in snapshots,
    // block sequences, flow collections of several kinds, comments after values.
    const QString any = u"sha512-zN09qfKZ0Rt7CBzVPnscSx/q1ZRTI/cCJ0JKxvJiMU8m4p628jVm+"
                        "HFVK02ykmfcEJHl7Ar5CaytDctctAmeKg=="_s;
    QStringList features;
    for (const QString &key : {u"@babel/code-frame@7.23.5"_s,
                               u"debug@4.3.4"_s,
                               u"fsevents@2.3.3"_s,
                               u"js-tokens@4.0.0"_s,
                               u"loose-envify@1.4.0"_s,
                               u"rimraf@3.0.2"_s,
                               u"supports-color@5.5.0"_s}) {
        features << key + u" - "_s + any;
    }
    QTest::addRow("pnpm, features of larger files")
        << u"kinds/features/pnpm-lock.yaml"_s << Lockfile::Format::Pnpm << features;
}

void tst_Lockfile::fixtures()
{
    QFETCH(QString, path);
    QFETCH(Lockfile::Format, format);
    QFETCH(QStringList, expected);
    const QString file = QStringLiteral(TROVE_SOURCE_DIR "/tests/data/lockfiles/") + path;
    const Trove::Result<Lockfile> lockfile = Lockfiles::read(file);
    QVERIFY2(lockfile, qPrintable(lockfile ? QString() : lockfile.error().message));
    QCOMPARE(lockfile->format, format);
    QStringList actual;
    for (const LockfileEntry &entry : lockfile->entries) {
        actual << describe(entry);
        QVERIFY2(entry.line > 0 || format == Lockfile::Format::PackageLock,
                 qPrintable(entry.key()));
    }
    QCOMPARE(actual, expected);
}

void tst_Lockfile::badInputs_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("fileName");
    QTest::addColumn<QString>("error");

    QTest::addRow("npm 6 lockfile")
        << u"bad/npm-v1.json"_s << u"package-lock.json"_s
        << u"package-lock.json:3: lockfileVersion 1 (npm 6) is not supported: run `npm install` "
           "with npm 7 or later to upgrade the lockfile to version 3"_s;
    QTest::addRow("truncated JSON") << u"bad/npm-broken.json"_s << u"package-lock.json"_s
                                    << u"package-lock.json:7: not JSON: unterminated object"_s;
    QTest::addRow("package-lock, md5 integrity")
        << u"bad/npm-bad-integrity.json"_s << u"app/package-lock.json"_s
        << u"app/package-lock.json:5: \"md5-AAAA\" is not an integrity"_s;
    QTest::addRow("package-lock, no version")
        << u"bad/npm-no-version.json"_s << u"npm-shrinkwrap.json"_s
        << u"npm-shrinkwrap.json:5: \"node_modules/a\" has no valid version (\"\")"_s;
    QTest::addRow("yarn classic, tab") << u"bad/classic-tab.lock"_s << u"yarn.lock"_s
                                       << u"yarn.lock:6: a tab in the indentation"_s;
    QTest::addRow("yarn classic, unterminated string")
        << u"bad/classic-unterminated.lock"_s << u"yarn.lock"_s
        << u"yarn.lock:5: a quoted string must end on its line"_s;
    QTest::addRow("yarn classic, no version")
        << u"bad/classic-no-version.lock"_s << u"yarn.lock"_s << u"yarn.lock:7: no version"_s;
    QTest::addRow("yarn berry, anchor") << u"bad/berry-anchor.lock"_s << u"yarn.lock"_s
                                        << u"yarn.lock:4: anchors and aliases are not supported"_s;
    QTest::addRow("yarn berry, block scalar") << u"bad/berry-block-scalar.lock"_s << u"yarn.lock"_s
                                              << u"yarn.lock:6: block scalars are not supported"_s;
    QTest::addRow("yarn berry, unknown protocol")
        << u"bad/berry-unknown-protocol.lock"_s << u"yarn.lock"_s
        << u"yarn.lock:4: unknown protocol in \"a@exec:./make-a.js\""_s;
    QTest::addRow("yarn berry, scalar on two lines")
        << u"bad/berry-continued.lock"_s << u"yarn.lock"_s
        << u"yarn.lock:7: unexpected indentation"_s;
    QTest::addRow("pnpm 8 lockfile")
        << u"bad/pnpm-v6.yaml"_s << u"pnpm-lock.yaml"_s
        << u"pnpm-lock.yaml:1: lockfileVersion 6.0 is not supported (9.0 is, written by pnpm 9 "
           "and later)"_s;
    QTest::addRow("pnpm, flow mapping on two lines")
        << u"bad/pnpm-flow-lines.yaml"_s << u"pnpm-lock.yaml"_s
        << u"pnpm-lock.yaml:6: a flow collection must end on its line"_s;
    QTest::addRow("pnpm, no integrity") << u"bad/pnpm-no-integrity.yaml"_s << u"pnpm-lock.yaml"_s
                                        << u"pnpm-lock.yaml:5: \"a@1.0.0\" has no integrity"_s;
    QTest::addRow("pnpm, duplicate key") << u"bad/pnpm-duplicate.yaml"_s << u"pnpm-lock.yaml"_s
                                         << u"pnpm-lock.yaml:8: duplicate key \"a@1.0.0\""_s;
    QTest::addRow("pnpm, two documents")
        << u"bad/pnpm-two-documents.yaml"_s << u"pnpm-lock.yaml"_s
        << u"pnpm-lock.yaml:1: document markers (several YAML documents) are not supported"_s;
    QTest::addRow("pnpm, a tag for a version")
        << u"bad/pnpm-not-a-version.yaml"_s << u"pnpm-lock.yaml"_s
        << u"pnpm-lock.yaml:5: \"a@latest\" is no name@version"_s;
}

void tst_Lockfile::badInputs()
{
    QFETCH(QString, path);
    QFETCH(QString, fileName);
    QFETCH(QString, error);
    const QByteArray content = readData(path);
    QVERIFY(!content.isEmpty());
    const Trove::Result<Lockfile> lockfile = Lockfiles::parse(content, fileName);
    QVERIFY(!lockfile);
    QCOMPARE(lockfile.error().code, Trove::Error::Code::Invalid);
    QCOMPARE(lockfile.error().message, error);
}

void tst_Lockfile::bounds_data()
{
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QString>("fileName");
    QTest::addColumn<QString>("error");

    QByteArray block = "lockfileVersion: '9.0'\nsettings:\n";
    for (int i = 1; i <= 40; ++i) {
        block += QByteArray(qsizetype(2 * i), ' ') + "k" + QByteArray::number(i) + ":\n";
    }
    block += QByteArray(82, ' ') + "v: 1\n";
    QTest::addRow("block nesting")
        << block << u"pnpm-lock.yaml"_s << u"pnpm-lock.yaml:34: nested deeper than 32 levels"_s;
    const QByteArray flow =
        "lockfileVersion: '9.0'\nsettings: " + QByteArray(40, '[') + QByteArray(40, ']') + "\n";
    QTest::addRow("flow nesting") << flow << u"pnpm-lock.yaml"_s
                                  << u"pnpm-lock.yaml:2: nested deeper than 32 levels"_s;
    QByteArray classic = "# yarn lockfile v1\n";
    for (int i = 0; i < 40; ++i) {
        classic += QByteArray(qsizetype(2 * i), ' ') + "k" + QByteArray::number(i) + ":\n";
    }
    QTest::addRow("yarn classic nesting")
        << classic << u"yarn.lock"_s << u"yarn.lock:34: nested deeper than 32 levels"_s;
    QTest::addRow("larger than 64 MiB")
        << QByteArray(Lockfiles::MaxSize + 1, ' ') << u"package-lock.json"_s
        << u"package-lock.json: larger than 64 MiB, not read"_s;
    QTest::addRow("unknown format") << QByteArray("<html></html>\n") << u"deps.lock"_s
                                    << u"deps.lock: not a package-lock.json, yarn.lock or "
                                       "pnpm-lock.yaml (name the file after its format)"_s;
}

void tst_Lockfile::bounds()
{
    QFETCH(QByteArray, content);
    QFETCH(QString, fileName);
    QFETCH(QString, error);
    const Trove::Result<Lockfile> lockfile = Lockfiles::parse(content, fileName);
    QVERIFY(!lockfile);
    QCOMPARE(lockfile.error().message, error);
}

void tst_Lockfile::formatByContent_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<Lockfile::Format>("format");
    QTest::addRow("package-lock") << u"npm-v3/package-lock.json"_s << Lockfile::Format::PackageLock;
    QTest::addRow("yarn classic") << u"yarn-classic/yarn.lock"_s << Lockfile::Format::YarnClassic;
    QTest::addRow("yarn berry") << u"yarn-berry/yarn.lock"_s << Lockfile::Format::YarnBerry;
    QTest::addRow("pnpm") << u"pnpm/pnpm-lock.yaml"_s << Lockfile::Format::Pnpm;
}

void tst_Lockfile::formatByContent()
{
    QFETCH(QString, path);
    QFETCH(Lockfile::Format, format);
    // A copy under another name is read by what it contains, to the same entries.
    const QByteArray content = readData(path);
    const Trove::Result<Lockfile> named =
        Lockfiles::read(QStringLiteral(TROVE_SOURCE_DIR "/tests/data/lockfiles/") + path);
    const Trove::Result<Lockfile> renamed = Lockfiles::parse(content, u"project.lock"_s);
    QVERIFY(named);
    QVERIFY2(renamed, qPrintable(renamed ? QString() : renamed.error().message));
    QCOMPARE(renamed->format, format);
    QVERIFY(renamed->entries == named->entries);
    QVERIFY(!renamed->entries.isEmpty());
}

void tst_Lockfile::readFile()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const Trove::Result<Lockfile> missing = Lockfiles::read(dir.filePath(u"yarn.lock"_s));
    QVERIFY(!missing);
    QCOMPARE(missing.error().code, Trove::Error::Code::NotFound);
    QCOMPARE(missing.error().message, dir.filePath(u"yarn.lock"_s) + u": no such file"_s);

    // An empty lockfile of a project without dependencies has no entries.
    QFile empty(dir.filePath(u"pnpm-lock.yaml"_s));
    QVERIFY(empty.open(QIODevice::WriteOnly));
    empty.write("lockfileVersion: '9.0'\n\nimporters:\n\n  .: {}\n");
    empty.close();
    const Trove::Result<Lockfile> none = Lockfiles::read(empty.fileName());
    QVERIFY2(none, qPrintable(none ? QString() : none.error().message));
    QVERIFY(none->entries.isEmpty());
}

void tst_Lockfile::integrity_data()
{
    QTest::addColumn<QString>("integrity");
    QTest::addColumn<bool>("valid");
    QTest::addRow("sha512") << Core << true;
    QTest::addRow("sha1") << u"sha1-KdA7TXwtenBqgRpSnXOZIa6xvDU="_s << true;
    QTest::addRow("two hashes") << u"sha1-KdA7TXwtenBqgRpSnXOZIa6xvDU= "_s + Core << true;
    QTest::addRow("md5") << u"md5-AAAA"_s << false;
    QTest::addRow("berry checksum") << u"10c0/e53b175c4933"_s << false;
    QTest::addRow("empty") << QString() << false;
    QTest::addRow("not base64") << u"sha512-%%%"_s << false;
}

void tst_Lockfile::integrity()
{
    QFETCH(QString, integrity);
    QFETCH(bool, valid);
    QCOMPARE(Lockfiles::isValidIntegrity(integrity), valid);
}

void tst_Lockfile::damagedFiles_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("fileName");
    QTest::addRow("package-lock") << u"npm-v3/package-lock.json"_s << u"package-lock.json"_s;
    QTest::addRow("yarn classic") << u"yarn-classic/yarn.lock"_s << u"yarn.lock"_s;
    QTest::addRow("yarn berry") << u"yarn-berry/yarn.lock"_s << u"yarn.lock"_s;
    QTest::addRow("pnpm") << u"pnpm/pnpm-lock.yaml"_s << u"pnpm-lock.yaml"_s;
    QTest::addRow("pnpm, features") << u"kinds/features/pnpm-lock.yaml"_s << u"pnpm-lock.yaml"_s;
}

void tst_Lockfile::damagedFiles()
{
    QFETCH(QString, path);
    QFETCH(QString, fileName);
    // Every truncation and every one-byte change of a real file is read or refused with the
    // file's name (and a line where there is one); none is taken for more than was there.
    const QByteArray content = readData(path);
    QVERIFY(!content.isEmpty());
    const Trove::Result<Lockfile> whole = Lockfiles::parse(content, fileName);
    QVERIFY(whole);
    const auto check = [&](const QByteArray &damaged) {
        const Trove::Result<Lockfile> lockfile = Lockfiles::parse(damaged, fileName);
        if (!lockfile) {
            QVERIFY2(lockfile.error().message.startsWith(fileName + u':'),
                     qPrintable(lockfile.error().message));
            return;
        }
        QVERIFY(lockfile->entries.size() <= whole->entries.size() + 1);
    };
    for (qsizetype size = 0; size < content.size(); ++size) {
        check(content.left(size));
    }
    for (qsizetype at = 0; at < content.size(); ++at) {
        for (const char replacement : {'\t', ' ', ':', '"', '{', '-', '#', '\n', '\0'}) {
            QByteArray damaged = content;
            damaged[at] = replacement;
            check(damaged);
        }
    }
}

QTEST_GUILESS_MAIN(tst_Lockfile)
#include "tst_lockfile.moc"
