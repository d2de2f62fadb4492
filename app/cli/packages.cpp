// SPDX-License-Identifier: GPL-3.0-or-later
// trove package …, trove tag …, trove deprecate
#include "app/cli/command.h"
#include "app/cli/verbs.h"

#include "model/npm/semver.h"

#include <QJsonDocument>

using namespace Qt::StringLiterals;
using namespace Trove;

namespace Cli {

namespace {

// "name@version" → name and version; a scoped name's own '@' is not the separator. False when
// there is no version, or an empty one.
bool splitSpec(const QString &spec, QString *name, QString *version)
{
    const qsizetype at = spec.indexOf(u'@', spec.startsWith(u'@') ? 1 : 0);
    if (at <= 0) {
        *name = spec;
        version->clear();
        return false;
    }
    *name = spec.left(at);
    *version = spec.mid(at + 1);
    return !version->isEmpty();
}

QJsonObject tagsJson(const QMap<QString, QString> &tags)
{
    QJsonObject json;
    for (auto it = tags.cbegin(); it != tags.cend(); ++it) {
        json.insert(it.key(), it.value());
    }
    return json;
}

QString integrity(const QString &sha512Hex)
{
    return u"sha512-"_s + QString::fromLatin1(QByteArray::fromHex(sha512Hex.toLatin1()).toBase64());
}

QString deprecationOf(const Package &package)
{
    return QJsonDocument::fromJson(package.packageJson).object().value(u"deprecated"_s).toString();
}

// Every version of the name in the project, oldest first; NotFound when there is none.
Result<QList<Package>> versionsOf(Registry &registry, const Project &project, const QString &name)
{
    Result<QList<Package>> versions =
        registry.packages().store().packagesInProject(project.id, name);
    if (versions && versions->isEmpty()) {
        return Error::notFound(u"Package %1 not found in %2"_s.arg(name, project.fullPath));
    }
    return versions;
}

} // namespace

int packageList(Command &command)
{
    command.addOption(u"project"_s, u"PATH"_s);
    command.addOption(u"name"_s, u"TEXT"_s);
    if (!command.parse(0)) {
        return command.usageExit();
    }
    Registry *registry = command.registry();
    if (!registry) {
        return Failure;
    }
    qint64 onlyProject = 0;
    if (command.isSet(u"project"_s)) {
        const std::optional<Project> project = command.project(command.value(u"project"_s));
        if (!project) {
            return Failure;
        }
        onlyProject = project->id;
    }
    const Result<QList<PackageSummary>> summaries = registry->packages().store().packageSummaries();
    if (!summaries) {
        return command.fail(summaries.error());
    }
    // GitLab's package_name filter is fuzzy: a part of the name, in any case.
    const QString part = command.value(u"name"_s);
    QList<QStringList> rows;
    QJsonArray json;
    for (const PackageSummary &summary : *summaries) {
        if ((onlyProject && summary.projectId != onlyProject)
            || !summary.name.contains(part, Qt::CaseInsensitive)) {
            continue;
        }
        rows.append({summary.projectPath,
                     summary.name,
                     summary.latestVersion,
                     QString::number(summary.versionCount),
                     summary.deprecated ? u"yes"_s : u"no"_s,
                     timeText(summary.updatedAt)});
        json.append(QJsonObject{{u"project"_s, summary.projectPath},
                                {u"name"_s, summary.name},
                                {u"latest"_s, summary.latestVersion},
                                {u"versions"_s, summary.versionCount},
                                {u"deprecated_versions"_s, summary.deprecatedVersionCount},
                                {u"deprecated"_s, summary.deprecated},
                                {u"dist_tags"_s, tagsJson(summary.distTags)},
                                {u"publisher"_s, summary.publisher},
                                {u"updated_at"_s, timeJson(summary.updatedAt)}});
    }
    return command.printTable(
        {u"PROJECT"_s, u"NAME"_s, u"LATEST"_s, u"VERSIONS"_s, u"DEPRECATED"_s, u"UPDATED"_s},
        rows,
        json);
}

int packageShow(Command &command)
{
    command.addOption(u"project"_s, u"PATH"_s);
    if (!command.parse(1)) {
        return command.usageExit();
    }
    Registry *registry = command.registry();
    if (!registry) {
        return Failure;
    }
    const QString name = command.positional(0);
    const std::optional<Project> project = command.packageProject(name);
    if (!project) {
        return Failure;
    }
    const Result<QList<Package>> versions = versionsOf(*registry, *project, name);
    if (!versions) {
        return command.fail(versions.error());
    }
    const Result<QList<DistTag>> tags = registry->packages().store().distTags(project->id, name);
    if (!tags) {
        return command.fail(tags.error());
    }
    QMap<QString, QString> tagMap;
    QHash<QString, QStringList> tagsOfVersion;
    for (const DistTag &tag : *tags) {
        tagMap.insert(tag.tag, tag.version);
        tagsOfVersion[tag.version].append(tag.tag);
    }
    QList<QStringList> rows;
    QJsonArray versionJson;
    for (const Package &version : *versions) {
        const QString deprecated = deprecationOf(version);
        rows.append({version.version,
                     timeText(version.createdAt),
                     version.publisher,
                     QString::number(version.size),
                     tagsOfVersion.value(version.version).join(u','),
                     deprecated});
        versionJson.append(QJsonObject{
            {u"version"_s, version.version},
            {u"created_at"_s, timeJson(version.createdAt)},
            {u"publisher"_s, version.publisher},
            {u"size"_s, version.size},
            {u"shasum"_s, version.sha1},
            {u"integrity"_s, integrity(version.sha512)},
            {u"dist_tags"_s, QJsonArray::fromStringList(tagsOfVersion.value(version.version))},
            {u"deprecated"_s, deprecated.isEmpty() ? QJsonValue() : QJsonValue(deprecated)}});
    }
    if (command.json()) {
        return command.print(QString(),
                             {{u"name"_s, name},
                              {u"project"_s, project->fullPath},
                              {u"dist_tags"_s, tagsJson(tagMap)},
                              {u"versions"_s, versionJson}});
    }
    return command.printTable(
        {u"VERSION"_s, u"PUBLISHED"_s, u"PUBLISHER"_s, u"SIZE"_s, u"TAGS"_s, u"DEPRECATED"_s},
        rows,
        {});
}

int packageDelete(Command &command)
{
    command.addOption(u"project"_s, u"PATH"_s);
    if (!command.parse(1)) {
        return command.usageExit();
    }
    // Never guessed: a deletion names its project.
    if (!command.isSet(u"project"_s)) {
        command.usage(u"--project is required"_s);
        return Usage;
    }
    QString name;
    QString version;
    const bool oneVersion = splitSpec(command.positional(0), &name, &version);
    if (!oneVersion && command.positional(0).endsWith(u'@')) {
        return command.fail(
            u"Invalid version in %1: give NAME or NAME@VERSION"_s.arg(command.positional(0)));
    }
    Registry *registry = command.registry();
    if (!registry) {
        return Failure;
    }
    const std::optional<Project> project = command.project(command.value(u"project"_s));
    if (!project) {
        return Failure;
    }
    const Result<QList<Package>> versions = versionsOf(*registry, *project, name);
    if (!versions) {
        return command.fail(versions.error());
    }
    qsizetype count = versions->size();
    if (oneVersion) {
        const Result<void> removed =
            registry->packages().unpublishVersion(project->id, name, version);
        if (!removed) {
            return command.fail(removed.error().code == Error::Code::NotFound
                                    ? Error::notFound(u"Version %1 of %2 not found in %3"_s.arg(
                                        version, name, project->fullPath))
                                    : removed.error());
        }
        count = 1;
    } else if (const Result<void> removed =
                   registry->packages().unpublishPackage(project->id, name);
               !removed) {
        return command.fail(removed.error());
    }
    const QString what = oneVersion ? name + u'@' + version : name;
    return command.print(
        u"Deleted %1 from %2: %3 version(s)"_s.arg(what, project->fullPath).arg(count),
        {{u"deleted"_s, what},
         {u"name"_s, name},
         {u"version"_s, oneVersion ? QJsonValue(version) : QJsonValue()},
         {u"project"_s, project->fullPath},
         {u"versions"_s, count}});
}

int tagList(Command &command)
{
    command.addOption(u"project"_s, u"PATH"_s);
    if (!command.parse(1)) {
        return command.usageExit();
    }
    Registry *registry = command.registry();
    if (!registry) {
        return Failure;
    }
    const QString name = command.positional(0);
    const std::optional<Project> project = command.packageProject(name);
    if (!project) {
        return Failure;
    }
    if (const Result<QList<Package>> versions = versionsOf(*registry, *project, name); !versions) {
        return command.fail(versions.error());
    }
    const Result<QList<DistTag>> tags = registry->packages().store().distTags(project->id, name);
    if (!tags) {
        return command.fail(tags.error());
    }
    QMap<QString, QString> map;
    QList<QStringList> rows;
    for (const DistTag &tag : *tags) {
        map.insert(tag.tag, tag.version);
    }
    for (auto it = map.cbegin(); it != map.cend(); ++it) {
        rows.append({it.key(), it.value()});
    }
    // As `npm dist-tag ls --json` would: tag → version.
    if (command.json()) {
        return command.print(QString(), tagsJson(map));
    }
    return command.printTable({u"TAG"_s, u"VERSION"_s}, rows, {});
}

int tagSet(Command &command)
{
    command.addOption(u"project"_s, u"PATH"_s);
    if (!command.parse(2)) {
        return command.usageExit();
    }
    QString name;
    QString version;
    if (!splitSpec(command.positional(0), &name, &version)) {
        command.usage(u"%1 names no version: give NAME@VERSION"_s.arg(command.positional(0)));
        return Usage;
    }
    const QString tag = command.positional(1);
    if (!PackageService::isValidTagName(tag)) {
        return command.fail(u"Invalid dist-tag %1: a tag cannot be a semver range"_s.arg(tag));
    }
    Registry *registry = command.registry();
    if (!registry) {
        return Failure;
    }
    const std::optional<Project> project = command.packageProject(name);
    if (!project) {
        return Failure;
    }
    const Result<void> set = registry->packages().setDistTag(project->id, name, tag, version);
    if (!set) {
        return command.fail(set.error().code == Error::Code::NotFound
                                ? Error::notFound(u"Version %1 of %2 not found in %3"_s.arg(
                                    version, name, project->fullPath))
                                : set.error());
    }
    return command.print(u"%1: %2@%3"_s.arg(tag, name, version),
                         {{u"name"_s, name},
                          {u"tag"_s, tag},
                          {u"version"_s, version},
                          {u"project"_s, project->fullPath}});
}

int tagRemove(Command &command)
{
    command.addOption(u"project"_s, u"PATH"_s);
    if (!command.parse(2)) {
        return command.usageExit();
    }
    const QString name = command.positional(0);
    const QString tag = command.positional(1);
    // npm refuses to remove `latest`: every package needs one.
    if (tag == u"latest"_s) {
        return command.fail(u"The latest tag cannot be removed; point it at another version with"
                            " trove tag set"_s);
    }
    Registry *registry = command.registry();
    if (!registry) {
        return Failure;
    }
    const std::optional<Project> project = command.packageProject(name);
    if (!project) {
        return Failure;
    }
    const Result<void> removed = registry->packages().removeDistTag(project->id, name, tag);
    if (!removed) {
        return command.fail(removed.error().code == Error::Code::NotFound ? Error::notFound(
                                u"%1 has no tag %2 in %3"_s.arg(name, tag, project->fullPath))
                                                                          : removed.error());
    }
    return command.print(u"-%1: %2"_s.arg(tag, name),
                         {{u"name"_s, name},
                          {u"tag"_s, tag},
                          {u"removed"_s, true},
                          {u"project"_s, project->fullPath}});
}

int deprecate(Command &command)
{
    command.addOption(u"project"_s, u"PATH"_s);
    if (!command.parse(3)) {
        return command.usageExit();
    }
    const QString name = command.positional(0);
    const QString rangeText = command.positional(1);
    const QString message = command.positional(2);
    const std::optional<Npm::Range> range = Npm::Range::parse(rangeText);
    if (!range) {
        return command.fail(u"Invalid version range %1"_s.arg(rangeText));
    }
    Registry *registry = command.registry();
    if (!registry) {
        return Failure;
    }
    const std::optional<Project> project = command.packageProject(name);
    if (!project) {
        return Failure;
    }
    const Result<QList<Package>> versions = versionsOf(*registry, *project, name);
    if (!versions) {
        return command.fail(versions.error());
    }
    // As `npm deprecate` and the window do: prereleases match too.
    QMap<QString, QString> messages;
    QStringList matched;
    for (const Package &package : *versions) {
        const std::optional<Npm::Version> version = Npm::Version::parse(package.version);
        if (version && range->satisfies(*version, true)) {
            messages.insert(package.version, message);
            matched.append(package.version);
        }
    }
    if (matched.isEmpty()) {
        return command.fail(Error::notFound(
            u"No version of %1 in %2 satisfies %3"_s.arg(name, project->fullPath, rangeText)));
    }
    const Result<QStringList> changed = registry->packages().deprecate(project->id, name, messages);
    if (!changed) {
        return command.fail(changed.error());
    }
    const QString plain = message.isEmpty() ? u"Undeprecated %1 version(s) of %2: %3"_s
                                            : u"Deprecated %1 version(s) of %2: %3"_s;
    return command.print(plain.arg(changed->size()).arg(name, changed->join(u", "_s)),
                         {{u"name"_s, name},
                          {u"project"_s, project->fullPath},
                          {u"range"_s, rangeText},
                          {u"message"_s, message},
                          {u"matched"_s, QJsonArray::fromStringList(matched)},
                          {u"changed"_s, QJsonArray::fromStringList(*changed)}});
}

} // namespace Cli
