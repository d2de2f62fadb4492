// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "model/domain.h"
#include "model/error.h"
#include "model/registry.h"

#include <QCommandLineParser>
#include <QJsonArray>
#include <QJsonObject>
#include <QStringList>

#include <memory>
#include <optional>

class QTextStream;

namespace Cli {

enum ExitCode { Success = 0, Failure = 1, Usage = 2 };

// Refusals are one line on stderr; a storage error's text may span several.
QString oneLine(const QString &message);

// One verb's parsing, checking and output (docs/cli.md): what every verb shares. Owns nothing
// beyond the call.
class Command final
{
public:
    // `arguments` start with the noun and the verb (an empty verb for `trove check` and the
    // other commands without one).
    Command(QTextStream &out,
            QTextStream &err,
            const QStringList &arguments,
            const QString &synopsis);
    ~Command();
    Command(const Command &) = delete;
    Command &operator=(const Command &) = delete;

    void addOption(const QString &name, const QString &valueName = {});

    // Parses; false (after printing why, or the help) on a usage error or --help. Takes between
    // `minimum` and `maximum` positional arguments (`maximum` -1: as many as `minimum`).
    bool parse(qsizetype minimum, qsizetype maximum = -1);
    // One line, like every other refusal (docs/cli.md), with the synopsis in it; false.
    bool usage(const QString &message);
    int usageExit() const { return m_helpShown ? Success : Usage; }

    // "group create", or just "check" for a command without a verb.
    QString name() const;

    QString value(const QString &option) const { return m_parser.value(option); }
    bool isSet(const QString &option) const { return m_parser.isSet(option); }
    QString positional(qsizetype index) const
    {
        return m_parser.positionalArguments().value(index);
    }
    qsizetype positionalCount() const { return m_parser.positionalArguments().size(); }
    bool json() const { return m_parser.isSet(QStringLiteral("json")); }

    // --data, or $TROVE_DATA, or the default folder.
    QString dataDir() const;
    // --store (even empty: the SQLite file), else $TROVE_STORE: a PostgreSQL URL, or empty for
    // the SQLite file in dataDir().
    QString store() const;
    // Opens the registry of dataDir() on store(); null (after printing why) when it cannot be
    // opened.
    Trove::Registry *registry();

    int fail(const Trove::Error &error);
    int fail(const QString &message);

    // Prints `plain`, or `json` (compact, one line) with --json; Success.
    int print(const QString &plain, const QJsonObject &json);
    // An aligned table (a header line, then one line per row; columns two spaces apart), or the
    // JSON array with --json; Success.
    int
    printTable(const QStringList &headers, const QList<QStringList> &rows, const QJsonArray &json);
    // "field: value" lines, the names aligned, or the JSON object with --json; Success.
    int printRecord(const QList<std::pair<QString, QString>> &fields, const QJsonObject &json);

    // Lookups that print the refusal themselves and answer nullopt.
    std::optional<Trove::Group> group(const QString &path);
    std::optional<Trove::Project> project(const QString &path);
    std::optional<Trove::User> user(const QString &username);
    // --project when given; otherwise the one project that has a version of `packageName`
    // (refused when none or several do).
    std::optional<Trove::Project> packageProject(const QString &packageName);

private:
    QTextStream &m_out;
    QTextStream &m_err;
    const QString m_noun;
    const QString m_verb;
    const QString m_synopsis;
    QStringList m_arguments;
    QCommandLineParser m_parser;
    bool m_helpShown = false;
    std::unique_ptr<Trove::Registry> m_registry;
};

// Shared formatting.
QString timeText(const QDateTime &time); // ISO 8601 UTC to the second, "" when invalid
QJsonValue timeJson(const QDateTime &time); // the same, null when invalid
QString dateText(const std::optional<QDate> &date); // "" when none
QJsonValue dateJson(const std::optional<QDate> &date);

} // namespace Cli
