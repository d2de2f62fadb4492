// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/cli/command.h"

#include <QJsonDocument>
#include <QTextStream>

using namespace Qt::StringLiterals;
using namespace Trove;

namespace Cli {

QString oneLine(const QString &message)
{
    return message.simplified();
}

Command::Command(QTextStream &out,
                 QTextStream &err,
                 const QStringList &arguments,
                 const QString &synopsis)
    : m_out(out)
    , m_err(err)
    , m_noun(arguments.value(0))
    , m_verb(arguments.value(1))
    , m_synopsis(synopsis)
{
    m_parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    m_parser.addOption(
        {u"data"_s, u"Data directory (default: $TROVE_DATA or the app data folder)"_s, u"DIR"_s});
    m_parser.addOption({u"store"_s,
                        u"The database: postgresql://USER@HOST[:PORT]/DB (default: $TROVE_STORE,"
                        " else the SQLite file in the data directory)"_s,
                        u"URL"_s});
    m_parser.addOption({u"json"_s, u"Print JSON"_s});
    m_parser.addOption({{u"h"_s, u"help"_s}, u"Show this help"_s});
    // The program name and the noun are not part of the verb's own arguments.
    m_arguments = QStringList{u"trove"_s} + arguments.mid(2);
}

Command::~Command() = default;

void Command::addOption(const QString &name, const QString &valueName)
{
    m_parser.addOption(QCommandLineOption(name, QString(), valueName));
}

bool Command::parse(qsizetype minimum, qsizetype maximum)
{
    if (maximum < 0) {
        maximum = minimum;
    }
    if (!m_parser.parse(m_arguments)) {
        return usage(m_parser.errorText());
    }
    if (m_parser.isSet(u"help"_s)) {
        m_out << "Usage: trove " << QString(name() + u' ' + m_synopsis).trimmed()
              << " [--data DIR] [--store URL] [--json]\n";
        m_out.flush();
        m_helpShown = true;
        return false;
    }
    const qsizetype count = m_parser.positionalArguments().size();
    if (count < minimum || count > maximum) {
        const QString expected =
            minimum == maximum ? QString::number(minimum) : u"%1 to %2"_s.arg(minimum).arg(maximum);
        return usage(u"expected %1 argument(s), got %2"_s.arg(expected).arg(count));
    }
    return true;
}

bool Command::usage(const QString &message)
{
    m_err << "trove " << name() << ": " << oneLine(message) << " (usage: trove "
          << QString(name() + u' ' + m_synopsis).trimmed() << ")\n";
    m_err.flush();
    return false;
}

QString Command::name() const
{
    return m_verb.isEmpty() ? m_noun : m_noun + u' ' + m_verb;
}

QString Command::dataDir() const
{
    const QString dataDir = m_parser.value(u"data"_s);
    return dataDir.isEmpty() ? Registry::defaultDataDir() : dataDir;
}

QString Command::store() const
{
    // An empty --store is how to reach the SQLite file while TROVE_STORE names another store.
    return m_parser.isSet(u"store"_s) ? m_parser.value(u"store"_s) : Database::defaultStore();
}

Registry *Command::registry()
{
    // The admin verbs leave the sweep (a walk over every blob) to the server and the window,
    // which sweep at each start; `trove check --repair` sweeps on purpose.
    Result<std::unique_ptr<Registry>> opened =
        Registry::open(dataDir(), store(), Registry::Sweep::ByCaller);
    if (!opened) {
        fail(opened.error());
        return nullptr;
    }
    m_registry = std::move(*opened);
    return m_registry.get();
}

int Command::fail(const Error &error)
{
    m_err << "trove " << name() << ": " << oneLine(error.message) << '\n';
    m_err.flush();
    return Failure;
}

int Command::fail(const QString &message)
{
    return fail(Error::invalid(message));
}

int Command::print(const QString &plain, const QJsonObject &json)
{
    if (this->json()) {
        m_out << QJsonDocument(json).toJson(QJsonDocument::Compact) << '\n';
    } else {
        m_out << plain << '\n';
    }
    m_out.flush();
    return Success;
}

int Command::printTable(const QStringList &headers,
                        const QList<QStringList> &rows,
                        const QJsonArray &json)
{
    if (this->json()) {
        m_out << QJsonDocument(json).toJson(QJsonDocument::Compact) << '\n';
        m_out.flush();
        return Success;
    }
    QList<qsizetype> widths;
    for (const QString &header : headers) {
        widths.append(header.size());
    }
    for (const QStringList &row : rows) {
        for (qsizetype i = 0; i < row.size() && i < widths.size(); ++i) {
            // A value with a line break would break the table's one line per row.
            widths[i] = std::max(widths.at(i), oneLine(row.at(i)).size());
        }
    }
    const auto line = [&](const QStringList &cells) {
        QString text;
        for (qsizetype i = 0; i < widths.size(); ++i) {
            const QString cell = oneLine(cells.value(i));
            text += i + 1 < widths.size() ? cell.leftJustified(widths.at(i) + 2) : cell;
        }
        m_out << text.trimmed() << '\n';
    };
    line(headers);
    for (const QStringList &row : rows) {
        line(row);
    }
    m_out.flush();
    return Success;
}

int Command::printRecord(const QList<std::pair<QString, QString>> &fields, const QJsonObject &json)
{
    if (this->json()) {
        return print(QString(), json);
    }
    qsizetype width = 0;
    for (const auto &[field, value] : fields) {
        width = std::max(width, field.size() + 1);
    }
    for (const auto &[field, value] : fields) {
        m_out << QString(field + u':').leftJustified(width + 1) << oneLine(value) << '\n';
    }
    m_out.flush();
    return Success;
}

std::optional<Group> Command::group(const QString &path)
{
    const Result<Group> found = m_registry->namespaces().store().groupByPath(path);
    if (!found) {
        fail(found.error().code == Error::Code::NotFound
                 ? Error::notFound(u"Group %1 not found"_s.arg(path))
                 : found.error());
        return std::nullopt;
    }
    return *found;
}

std::optional<Project> Command::project(const QString &path)
{
    const Result<Project> found = m_registry->namespaces().store().projectByPath(path);
    if (!found) {
        fail(found.error().code == Error::Code::NotFound
                 ? Error::notFound(u"Project %1 not found"_s.arg(path))
                 : found.error());
        return std::nullopt;
    }
    return *found;
}

std::optional<User> Command::user(const QString &username)
{
    const Result<User> found = m_registry->users().store().userByName(username);
    if (!found) {
        fail(found.error().code == Error::Code::NotFound
                 ? Error::notFound(u"User %1 not found"_s.arg(username))
                 : found.error());
        return std::nullopt;
    }
    return *found;
}

std::optional<Project> Command::packageProject(const QString &packageName)
{
    if (isSet(u"project"_s)) {
        return project(value(u"project"_s));
    }
    const Result<QList<Package>> versions =
        m_registry->packages().store().packagesNamed(packageName);
    if (!versions) {
        fail(versions.error());
        return std::nullopt;
    }
    QList<qint64> projectIds;
    for (const Package &version : *versions) {
        if (!projectIds.contains(version.projectId)) {
            projectIds.append(version.projectId);
        }
    }
    if (projectIds.isEmpty()) {
        fail(Error::notFound(u"Package %1 not found"_s.arg(packageName)));
        return std::nullopt;
    }
    if (projectIds.size() > 1) {
        QStringList paths;
        for (const qint64 id : std::as_const(projectIds)) {
            const Result<Project> found = m_registry->namespaces().store().projectById(id);
            paths.append(found ? found->fullPath : QString::number(id));
        }
        paths.sort();
        fail(u"Package %1 is in several projects (%2): give --project"_s.arg(packageName,
                                                                             paths.join(u", "_s)));
        return std::nullopt;
    }
    const Result<Project> found = m_registry->namespaces().store().projectById(projectIds.first());
    if (!found) {
        fail(found.error());
        return std::nullopt;
    }
    return *found;
}

QString timeText(const QDateTime &time)
{
    return time.isValid() ? time.toUTC().toString(Qt::ISODate) : QString();
}

QJsonValue timeJson(const QDateTime &time)
{
    return time.isValid() ? QJsonValue(timeText(time)) : QJsonValue();
}

QString dateText(const std::optional<QDate> &date)
{
    return date ? date->toString(Qt::ISODate) : QString();
}

QJsonValue dateJson(const std::optional<QDate> &date)
{
    return date ? QJsonValue(dateText(date)) : QJsonValue();
}

} // namespace Cli
