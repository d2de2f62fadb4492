// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/packagesapi.h"

#include "model/npm/packagename.h"
#include "model/registry.h"
#include "server/httperror.h"
#include "server/npmroute.h"
#include "server/packumentjson.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QUrl>
#include <QUrlQuery>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace Trove::Http {

namespace {

using Decision = AccessPolicy::Decision;
using Operation = AccessPolicy::Operation;

constexpr qint64 DefaultPerPage = 20; // GitLab's default page size
constexpr qint64 MaxPerPage = 100; // and its largest
// GitLab counts the matches of an offset-paginated list up to this many, for speed.
constexpr qint64 MaxCounted = 10000;

// GitLab's REST errors carry only a message: {"message": "404 Project Not Found"}.
Response messageResponse(int status, const QString &message)
{
    return Response::json(
        status, QJsonDocument(QJsonObject{{u"message"_s, message}}).toJson(QJsonDocument::Compact));
}

// Grape's answer to a parameter it refuses: {"error": "order_by does not have a valid value"}.
Response invalidParams(const QStringList &errors)
{
    return Response::json(400,
                          QJsonDocument(QJsonObject{{u"error"_s, errors.join(u", "_s)}})
                              .toJson(QJsonDocument::Compact));
}

Response projectNotFound(const QString &reason)
{
    return withReason(messageResponse(404, u"404 Project Not Found"_s), reason);
}

Response recordNotFound(const QString &reason)
{
    // ActiveRecord::RecordNotFound as GitLab's API rescues it.
    return withReason(messageResponse(404, u"404 Not found"_s), reason);
}

bool isDigits(QByteArrayView text)
{
    return !text.isEmpty() && text.size() <= 18
        && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// A path parameter (:id): percent-decoded; empty when it is no usable text.
QString decodeSegment(QByteArrayView segment)
{
    const QByteArray bytes = QByteArray::fromPercentEncoding(segment.toByteArray());
    const QString text = QString::fromUtf8(bytes);
    if (text.isEmpty() || text.toUtf8() != bytes) {
        return {};
    }
    for (const QChar c : text) {
        if (c.unicode() < 0x20 || c.unicode() == 0x7f) {
            return {};
        }
    }
    return text;
}

// Grape's Boolean: the words dry-types accepts as true or false.
std::optional<bool> parseBoolean(const QString &text)
{
    const QString word = text.toLower();
    for (const char16_t *yes : {u"1", u"on", u"t", u"true", u"y", u"yes"}) {
        if (word == QStringView(yes)) {
            return true;
        }
    }
    for (const char16_t *no : {u"0", u"off", u"f", u"false", u"n", u"no"}) {
        if (word == QStringView(no)) {
            return false;
        }
    }
    return std::nullopt;
}

// GitLab's package types: any of them is a valid filter, only npm matches anything here.
const QStringList &packageTypes()
{
    static const QStringList types = {u"maven"_s,
                                      u"npm"_s,
                                      u"conan"_s,
                                      u"nuget"_s,
                                      u"pypi"_s,
                                      u"composer"_s,
                                      u"generic"_s,
                                      u"golang"_s,
                                      u"debian"_s,
                                      u"rubygems"_s,
                                      u"helm"_s,
                                      u"terraform_module"_s,
                                      u"rpm"_s,
                                      u"ml_model"_s,
                                      u"cargo"_s};
    return types;
}

QString statusName(PackageStatus status)
{
    // GitLab gives an npm-deprecated package the status "deprecated" (its status 5).
    return status == PackageStatus::Deprecated ? u"deprecated"_s : u"default"_s;
}

// The query parameters as sent, decoded, in order; the first of each name wins.
QList<std::pair<QString, QString>> queryPairs(const RequestContext &context)
{
    QList<std::pair<QString, QString>> pairs;
    const QUrlQuery query(QString::fromUtf8(context.query));
    for (const auto &[key, value] : query.queryItems(QUrl::FullyDecoded)) {
        pairs.append({key, value});
    }
    return pairs;
}

std::optional<QString> queryValue(const QList<std::pair<QString, QString>> &pairs,
                                  const QString &name)
{
    for (const auto &[key, value] : pairs) {
        if (key == name) {
            return value;
        }
    }
    return std::nullopt;
}

// Rails' to_query: keys sorted, each part escaped.
QString encodedQuery(QMap<QString, QString> params)
{
    QStringList parts;
    for (auto it = params.cbegin(); it != params.cend(); ++it) {
        parts.append(QString::fromLatin1(QUrl::toPercentEncoding(it.key())) + u'='
                     + QString::fromLatin1(QUrl::toPercentEncoding(it.value())));
    }
    return parts.join(u'&');
}

QJsonArray tagsJson(const QList<PackageStore::TagRow> &tags, qint64 packageId)
{
    QJsonArray array;
    for (const PackageStore::TagRow &tag : tags) {
        if (tag.packageId == packageId) {
            array.append(QJsonObject{{u"id"_s, tag.id},
                                     {u"package_id"_s, tag.packageId},
                                     {u"name"_s, tag.name},
                                     {u"created_at"_s, isoTime(tag.updatedAt)},
                                     {u"updated_at"_s, isoTime(tag.updatedAt)}});
        }
    }
    return array;
}

QJsonObject packageJson(const Package &package,
                        const Project &project,
                        const QList<PackageStore::TagRow> &tags,
                        bool group,
                        bool destroyable,
                        const QString &baseUrl,
                        const QDateTime &lastDownloaded)
{
    QJsonObject links{
        {u"web_path"_s,
         QString(u'/' + project.fullPath + u"/-/packages/"_s + QString::number(package.id))}};
    if (destroyable) {
        links.insert(u"delete_api_path"_s,
                     QString(baseUrl + u"/api/v4/projects/"_s + QString::number(project.id)
                             + u"/packages/"_s + QString::number(package.id)));
    }
    QJsonObject object{
        {u"id"_s, package.id},
        {u"name"_s, package.name},
        {u"version"_s, package.version},
        {u"package_type"_s, u"npm"_s},
        {u"status"_s, statusName(package.status)},
        {u"_links"_s, links},
        {u"created_at"_s, isoTime(package.createdAt)},
        // Null until the first download, as in GitLab.
        {u"last_downloaded_at"_s,
         lastDownloaded.isValid() ? QJsonValue(isoTime(lastDownloaded)) : QJsonValue()},
        {u"tags"_s, tagsJson(tags, package.id)},
        {u"pipelines"_s, QJsonArray()}};
    if (group) {
        object.insert(u"project_id"_s, project.id);
        object.insert(u"project_path"_s, project.fullPath);
    }
    return object;
}

Response jsonResponse(int status, const QJsonDocument &document)
{
    return Response::json(status, document.toJson(QJsonDocument::Compact));
}

// GitLab's offset pagination headers (Gitlab::Pagination::OffsetHeaderBuilder): X-Total and
// friends, and a Link header built from `base`, the base URL of the npm documents.
void setPageHeaders(Response *response,
                    qint64 page,
                    qint64 perPage,
                    qint64 total,
                    bool more,
                    const QString &base,
                    const RequestContext &context)
{
    // Past MaxCounted matches GitLab stops counting: no X-Total, X-Total-Pages or rel="last".
    const bool counted = total <= MaxCounted;
    const qint64 totalPages = std::max<qint64>(1, (total + perPage - 1) / perPage);
    const qint64 next = more ? page + 1 : 0;
    // Kaminari's: no previous page beyond the last one.
    const qint64 prev = page > 1 && (!counted || page <= totalPages) ? page - 1 : 0;
    const auto number = [](qint64 value) {
        return value > 0 ? QByteArray::number(value) : QByteArray();
    };
    response->setHeader("X-Per-Page", QByteArray::number(perPage));
    response->setHeader("X-Page", QByteArray::number(page));
    response->setHeader("X-Next-Page", number(next));
    response->setHeader("X-Prev-Page", number(prev));
    if (counted) {
        response->setHeader("X-Total", QByteArray::number(total));
        response->setHeader("X-Total-Pages", QByteArray::number(totalPages));
    }

    QMap<QString, QString> query;
    for (const auto &[key, value] : queryPairs(context)) {
        if (!query.contains(key)) {
            query.insert(key, value);
        }
    }
    query.insert(u"per_page"_s, QString::number(perPage));
    // The path as requested, after the base URL the npm documents use (never the Host header).
    const QString path = base + QString::fromUtf8(context.encodedPath);
    const auto href = [&](qint64 target) -> QString {
        QMap<QString, QString> withPage = query;
        withPage.insert(u"page"_s, QString::number(target));
        return u'<' + path + u'?' + encodedQuery(withPage) + u'>';
    };
    QStringList links;
    if (prev > 0) {
        links.append(href(prev) + u"; rel=\"prev\""_s);
    }
    if (next > 0) {
        links.append(href(next) + u"; rel=\"next\""_s);
    }
    links.append(href(1) + u"; rel=\"first\""_s);
    if (counted) {
        links.append(href(totalPages) + u"; rel=\"last\""_s);
    }
    response->setHeader("Link", links.join(u", "_s).toUtf8());
}

} // namespace

std::optional<PackagesApi::Route> PackagesApi::parse(QByteArrayView method,
                                                     QByteArrayView encodedPath)
{
    const QByteArrayView api = "/api/v4/";
    if (!encodedPath.startsWith(api)) {
        return std::nullopt;
    }
    // A trailing slash is no part of a route; empty segments elsewhere make no route.
    QByteArray rest = encodedPath.sliced(api.size()).toByteArray();
    if (rest.endsWith('/')) {
        rest.chop(1);
    }
    const QList<QByteArray> segments = rest.split('/');
    if (segments.size() < 3 || segments.at(2) != "packages") {
        return std::nullopt;
    }
    const bool get = method == "GET" || method == "HEAD";
    const bool remove = method == "DELETE";
    Route route;
    route.target = decodeSegment(segments.at(1));
    if (route.target.isEmpty()) {
        return std::nullopt;
    }
    if (segments.at(0) == "groups") {
        if (segments.size() != 3 || !get) {
            return std::nullopt;
        }
        route.kind = Route::Kind::GroupList;
        return route;
    }
    if (segments.at(0) != "projects") {
        return std::nullopt;
    }
    if (segments.size() == 3) {
        if (!get) {
            return std::nullopt;
        }
        route.kind = Route::Kind::ProjectList;
        return route;
    }
    // "packages/npm/…" and the other formats' routes are not this API's.
    if (!isDigits(segments.at(3))) {
        return std::nullopt;
    }
    route.packageId = segments.at(3).toLongLong();
    if (segments.size() == 4) {
        if (!get && !remove) {
            return std::nullopt;
        }
        route.kind = get ? Route::Kind::Show : Route::Kind::Delete;
        return route;
    }
    if (segments.at(4) != "package_files") {
        return std::nullopt;
    }
    if (segments.size() == 5 && get) {
        route.kind = Route::Kind::Files;
        return route;
    }
    if (segments.size() == 6 && remove && isDigits(segments.at(5))) {
        route.kind = Route::Kind::DeleteFile;
        route.fileId = segments.at(5).toLongLong();
        return route;
    }
    return std::nullopt;
}

std::optional<Response> PackagesApi::invalidNpmName(QByteArrayView encodedPath)
{
    const qsizetype npm = encodedPath.indexOf("/packages/npm/");
    if (!encodedPath.startsWith("/api/v4/") || npm < 0) {
        return std::nullopt;
    }
    // The segments of the name: "{name}[/-/…]" or "-/package/{name}/dist-tags[/…]". Only the
    // name is checked here; a bad tag or file name stays the catch-all's 404.
    const QList<QByteArray> segments =
        encodedPath.sliced(npm + qsizetype(sizeof("/packages/npm/")) - 1).toByteArray().split('/');
    qsizetype first = 0;
    if (segments.value(0) == "-") {
        if (segments.value(1) != "package") {
            return std::nullopt;
        }
        first = 2;
    }
    QByteArray name;
    for (qsizetype i = first; i < segments.size(); ++i) {
        const QByteArray &segment = segments.at(i);
        if (segment == "-" || segment == "dist-tags" || (i > first + 1)) {
            break;
        }
        name += segment + '/';
    }
    // GitLab's file_path validation refuses line breaks; Trove refuses every control character
    // and invalid UTF-8 in a name.
    const QByteArray decoded = QByteArray::fromPercentEncoding(name);
    const QString text = QString::fromUtf8(decoded);
    bool invalid = text.toUtf8() != decoded;
    for (const QChar c : text) {
        invalid |= c.unicode() < 0x20 || c.unicode() == 0x7f;
    }
    if (!invalid) {
        return std::nullopt;
    }
    return withReason(invalidParams({u"package_name should be a valid file path"_s}),
                      u"the package name decodes to control characters or invalid UTF-8"_s);
}

PackagesApi::PackagesApi(Registry &registry, const RequestPipeline &pipeline)
    : m_registry(registry)
    , m_pipeline(pipeline)
{
}

namespace {

// The level that names the request in the request log.
NpmRoute::Level logLevel(const PackagesApi::Route &route)
{
    return route.kind == PackagesApi::Route::Kind::GroupList ? NpmRoute::Level::Group
                                                             : NpmRoute::Level::Project;
}

} // namespace

Admission PackagesApi::admit(const Route &route, const RequestContext &context) const
{
    Admission admission;
    std::variant<Actor, Response> who = m_pipeline.authenticate(logLevel(route), context);
    if (Response *refused = std::get_if<Response>(&who)) {
        admission.refusal = std::move(*refused);
        return admission;
    }
    const Actor &actor = std::get<Actor>(who);
    // The token is checked once per request, from its head: handle() takes this caller.
    RequestPipeline::admit(context, actor);
    if (std::optional<Response> refused = gate(route, actor)) {
        RequestPipeline::noteCaller(&*refused, logLevel(route), actor);
        admission.refusal = std::move(*refused);
    }
    return admission;
}

Response PackagesApi::handle(const Route &route, const RequestContext &context) const
{
    std::variant<Actor, Response> who = m_pipeline.caller(logLevel(route), context);
    if (Response *refused = std::get_if<Response>(&who)) {
        return std::move(*refused);
    }
    const Actor &actor = std::get<Actor>(who);
    Response response = answer(route, context, actor);
    RequestPipeline::noteCaller(&response, logLevel(route), actor);
    return response;
}

std::optional<Response> PackagesApi::gate(const Route &route, const Actor &actor) const
{
    if (route.kind == Route::Kind::GroupList) {
        return std::nullopt; // the group's checks need the projects: answered by groupList()
    }
    const std::variant<Project, Response> project = readableProject(route, actor);
    if (const Response *refused = std::get_if<Response>(&project)) {
        return *refused;
    }
    return std::nullopt;
}

Response
PackagesApi::answer(const Route &route, const RequestContext &context, const Actor &actor) const
{
    switch (route.kind) {
    case Route::Kind::ProjectList:
        return projectList(route, context, actor);
    case Route::Kind::GroupList:
        return groupList(route, context, actor);
    case Route::Kind::Show:
        return show(route, context, actor);
    case Route::Kind::Files:
        return files(route, context, actor);
    case Route::Kind::Delete:
    case Route::Kind::DeleteFile:
        return remove(route, actor);
    }
    return unknownRouteResponse();
}

std::variant<Project, Response> PackagesApi::readableProject(const Route &route,
                                                             const Actor &actor) const
{
    const Result<Project> project = m_registry.namespaces().findProject(route.target);
    if (!project) {
        return project.error().code == Error::Code::NotFound
            ? projectNotFound(u"no project has this id or path"_s)
            : errorResponse(project.error());
    }
    const Result<AccessPolicy::Verdict> read =
        m_registry.policy().checkWithReason(actor, *project, Operation::ReadPackage);
    if (!read) {
        return errorResponse(read.error());
    }
    switch (read->decision) {
    case Decision::Allow:
        break;
    case Decision::Unauthorized:
    case Decision::NotFound:
        // GitLab's REST API hides a project the caller may not see, from anonymous callers too.
        return projectNotFound(read->reason);
    case Decision::Forbidden:
        return withReason(messageResponse(403, u"403 Forbidden"_s), read->reason);
    }
    if (!project->packagesEnabled) {
        // GitLab's "Packages" project setting: off, the project's packages are no one's to read.
        const QString reason =
            u"the package registry is disabled for project %1"_s.arg(project->fullPath);
        return withReason(messageResponse(403, u"403 Forbidden"_s), reason);
    }
    if (route.kind == Route::Kind::Delete || route.kind == Route::Kind::DeleteFile) {
        const Result<AccessPolicy::Verdict> destroy =
            m_registry.policy().checkWithReason(actor, *project, Operation::DestroyPackage);
        if (!destroy) {
            return errorResponse(destroy.error());
        }
        if (destroy->decision != Decision::Allow) {
            // The caller sees the project: GitLab's authorize_destroy_package! answers 403.
            return withReason(messageResponse(403, u"403 Forbidden"_s), destroy->reason);
        }
    }
    return *project;
}

std::variant<PackagesApi::ListParams, Response>
PackagesApi::listParams(const Route &route, const RequestContext &context) const
{
    using Order = PackageStore::VersionQuery::Order;
    const QList<std::pair<QString, QString>> pairs = queryPairs(context);
    ListParams params;
    QStringList errors;
    const auto integer = [&](const QString &name, qint64 fallback) {
        const std::optional<QString> text = queryValue(pairs, name);
        if (!text) {
            return fallback;
        }
        bool ok = false;
        const qint64 value = text->toLongLong(&ok);
        if (!ok) {
            errors.append(name + u" is invalid"_s);
            return fallback;
        }
        return value;
    };
    params.page = std::max<qint64>(1, integer(u"page"_s, 1));
    const qint64 perPage = integer(u"per_page"_s, DefaultPerPage);
    params.perPage = perPage < 1 ? DefaultPerPage : std::min(perPage, MaxPerPage);

    const bool group = route.kind == Route::Kind::GroupList;
    const std::optional<QString> orderBy = queryValue(pairs, u"order_by"_s);
    if (route.kind == Route::Kind::Files) {
        // A package's files take only their own order (one file: nothing to order) and sort.
        const QStringList fileOrders = {u"id"_s, u"file_name"_s, u"created_at"_s};
        if (orderBy && !fileOrders.contains(*orderBy)) {
            errors.append(u"order_by does not have a valid value"_s);
        }
        const std::optional<QString> sort = queryValue(pairs, u"sort"_s);
        if (sort && *sort != u"asc"_s && *sort != u"desc"_s) {
            errors.append(u"sort does not have a valid value"_s);
        }
        if (!errors.isEmpty()) {
            return invalidParams(errors);
        }
        return params;
    }
    if (!orderBy || *orderBy == u"created_at"_s) {
        params.query.order = Order::CreatedAt;
    } else if (*orderBy == u"name"_s) {
        params.query.order = Order::Name;
    } else if (*orderBy == u"version"_s) {
        params.query.order = Order::Version;
    } else if (*orderBy == u"type"_s) {
        params.query.order = Order::Type;
    } else if (group && *orderBy == u"project_path"_s) {
        params.query.order = Order::ProjectPath;
    } else {
        errors.append(u"order_by does not have a valid value"_s);
    }
    const std::optional<QString> sort = queryValue(pairs, u"sort"_s);
    if (sort && *sort != u"asc"_s && *sort != u"desc"_s) {
        errors.append(u"sort does not have a valid value"_s);
    }
    params.query.descending = sort == u"desc"_s;

    bool matchesNothing = false;
    if (const std::optional<QString> type = queryValue(pairs, u"package_type"_s)) {
        if (!packageTypes().contains(*type)) {
            errors.append(u"package_type does not have a valid value"_s);
        }
        matchesNothing |= *type != u"npm"_s;
    }
    params.query.nameContains = queryValue(pairs, u"package_name"_s).value_or(QString());
    params.query.version = queryValue(pairs, u"package_version"_s).value_or(QString());
    // Without a status GitLab lists the displayable ones: default, deprecated and error.
    params.query.statuses = {PackageStatus::Default, PackageStatus::Deprecated};
    if (const std::optional<QString> status = queryValue(pairs, u"status"_s)) {
        const QStringList known = {u"default"_s,
                                   u"hidden"_s,
                                   u"processing"_s,
                                   u"error"_s,
                                   u"pending_destruction"_s,
                                   u"deprecated"_s};
        if (!known.contains(*status)) {
            errors.append(u"status does not have a valid value"_s);
        } else if (*status == u"default"_s) {
            params.query.statuses = {PackageStatus::Default};
        } else if (*status == u"deprecated"_s) {
            params.query.statuses = {PackageStatus::Deprecated};
        } else {
            matchesNothing = true; // Trove never holds a hidden, processing or failed package
        }
    }
    for (const QString &name : {u"exclude_subgroups"_s, u"include_versionless"_s}) {
        if (const std::optional<QString> flag = queryValue(pairs, name)) {
            const std::optional<bool> value = parseBoolean(*flag);
            if (!value) {
                errors.append(name + u" is invalid"_s);
            } else if (name == u"exclude_subgroups"_s) {
                params.excludeSubgroups = *value;
            }
        }
    }
    if (!errors.isEmpty()) {
        return invalidParams(errors);
    }
    if (matchesNothing) {
        params.query.statuses.clear();
    }
    params.query.limit = params.perPage;
    params.query.countCap = MaxCounted;
    params.query.offset = (params.page - 1) * params.perPage;
    return params;
}

bool PackagesApi::mayDestroy(const Project &project, const Actor &actor) const
{
    const Result<Decision> decision =
        m_registry.policy().check(actor, project, Operation::DestroyPackage);
    return decision && *decision == Decision::Allow;
}

Response PackagesApi::page(const ListParams &params,
                           const PackageStore::VersionPage &found,
                           const QHash<qint64, Project> &projects,
                           bool group,
                           const RequestContext &context,
                           const Actor &actor) const
{
    QList<qint64> ids;
    for (const Package &package : found.packages) {
        ids.append(package.id);
    }
    const Result<QList<PackageStore::TagRow>> tags =
        m_registry.packages().store().tagsOfPackages(ids);
    if (!tags) {
        return errorResponse(tags.error());
    }
    const Result<QHash<qint64, QDateTime>> downloads =
        m_registry.packages().store().lastDownloads(ids);
    if (!downloads) {
        return errorResponse(downloads.error());
    }
    const QString base = m_pipeline.baseUrl(context);
    QHash<qint64, bool> destroyable;
    QJsonArray array;
    for (const Package &package : found.packages) {
        const Project project = projects.value(package.projectId);
        if (!destroyable.contains(project.id)) {
            destroyable.insert(project.id, mayDestroy(project, actor));
        }
        array.append(packageJson(package,
                                 project,
                                 *tags,
                                 group,
                                 destroyable.value(project.id),
                                 base,
                                 downloads->value(package.id)));
    }
    Response response = jsonResponse(200, QJsonDocument(array));

    setPageHeaders(&response, params.page, params.perPage, found.total, found.more, base, context);
    return response;
}

Response PackagesApi::projectList(const Route &route,
                                  const RequestContext &context,
                                  const Actor &actor) const
{
    const std::variant<Project, Response> project = readableProject(route, actor);
    if (const Response *refused = std::get_if<Response>(&project)) {
        return *refused;
    }
    const Project &found = std::get<Project>(project);
    std::variant<ListParams, Response> params = listParams(route, context);
    if (const Response *refused = std::get_if<Response>(&params)) {
        return *refused;
    }
    ListParams &list = std::get<ListParams>(params);
    list.query.projectIds = {found.id};
    const Result<PackageStore::VersionPage> versions =
        m_registry.packages().store().queryVersions(list.query);
    if (!versions) {
        return errorResponse(versions.error());
    }
    return page(list, *versions, {{found.id, found}}, false, context, actor);
}

Response
PackagesApi::groupList(const Route &route, const RequestContext &context, const Actor &actor) const
{
    const Result<Group> group = m_registry.namespaces().findGroup(route.target);
    if (!group) {
        return group.error().code == Error::Code::NotFound
            ? withReason(messageResponse(404, u"404 Group Not Found"_s),
                         u"no group has this id or path"_s)
            : errorResponse(group.error());
    }
    const Result<QList<Project>> under = m_registry.namespaces().store().projectsUnder(group->id);
    if (!under) {
        return errorResponse(under.error());
    }
    std::variant<ListParams, Response> params = listParams(route, context);
    // Only the projects whose packages the caller may read (GitLab's GroupPackagesFinder).
    QHash<qint64, Project> readable;
    for (const Project &project : *under) {
        const Result<Decision> decision =
            m_registry.policy().check(actor, project, Operation::ReadPackage);
        if (!decision) {
            return errorResponse(decision.error());
        }
        if (*decision == Decision::Allow && project.packagesEnabled) {
            readable.insert(project.id, project);
        }
    }
    // A group the caller may not see is not found, as GitLab's find_group! answers.
    bool visible = group->visibility == Visibility::Public
        || (group->visibility == Visibility::Internal && !actor.isAnonymous())
        || (actor.kind == Actor::Kind::User && actor.admin) || !readable.isEmpty();
    if (!visible && (actor.kind == Actor::Kind::User || actor.kind == Actor::Kind::JobToken)) {
        const Result<AccessLevel> level =
            m_registry.users().store().groupAccessLevel(actor.userId, group->id);
        visible = level && *level >= AccessLevel::Guest;
    }
    if (!visible) {
        return withReason(messageResponse(404, u"404 Group Not Found"_s),
                          u"the caller may not see group %1"_s.arg(group->fullPath));
    }
    if (const Response *refused = std::get_if<Response>(&params)) {
        return *refused;
    }
    ListParams &list = std::get<ListParams>(params);
    for (const Project &project : std::as_const(readable)) {
        if (!list.excludeSubgroups || project.namespaceId == group->id) {
            list.query.projectIds.append(project.id);
        }
    }
    std::sort(list.query.projectIds.begin(), list.query.projectIds.end());
    const Result<PackageStore::VersionPage> versions =
        m_registry.packages().store().queryVersions(list.query);
    if (!versions) {
        return errorResponse(versions.error());
    }
    return page(list, *versions, readable, true, context, actor);
}

std::variant<Package, Response> PackagesApi::packageOf(const Route &route,
                                                       const Project &project) const
{
    const Result<Package> package = m_registry.packages().store().packageById(route.packageId);
    if (!package) {
        return package.error().code == Error::Code::NotFound
            ? recordNotFound(u"no package has id %1"_s.arg(route.packageId))
            : errorResponse(package.error());
    }
    if (package->projectId != project.id) {
        return recordNotFound(
            u"package %1 is not in project %2"_s.arg(route.packageId).arg(project.fullPath));
    }
    return *package;
}

Response
PackagesApi::show(const Route &route, const RequestContext &context, const Actor &actor) const
{
    const std::variant<Project, Response> project = readableProject(route, actor);
    if (const Response *refused = std::get_if<Response>(&project)) {
        return *refused;
    }
    const Project &found = std::get<Project>(project);
    const std::variant<Package, Response> package = packageOf(route, found);
    if (const Response *refused = std::get_if<Response>(&package)) {
        return *refused;
    }
    const Package &shown = std::get<Package>(package);
    const Result<QList<Package>> siblings =
        m_registry.packages().store().packagesInProject(found.id, shown.name);
    if (!siblings) {
        return errorResponse(siblings.error());
    }
    const Result<QList<PackageStore::TagRow>> tags =
        m_registry.packages().store().tagsOfPackages({shown.id});
    if (!tags) {
        return errorResponse(tags.error());
    }
    const Result<QHash<qint64, QDateTime>> downloads =
        m_registry.packages().store().lastDownloads({shown.id});
    if (!downloads) {
        return errorResponse(downloads.error());
    }
    QJsonObject object = packageJson(shown,
                                     found,
                                     *tags,
                                     false,
                                     mayDestroy(found, actor),
                                     m_pipeline.baseUrl(context),
                                     downloads->value(shown.id));
    // The other versions of the name (GitLab's PackageVersion entity).
    QJsonArray versions;
    for (const Package &other : *siblings) {
        if (other.id != shown.id) {
            versions.append(QJsonObject{{u"id"_s, other.id},
                                        {u"version"_s, other.version},
                                        {u"created_at"_s, isoTime(other.createdAt)},
                                        {u"pipelines"_s, QJsonArray()}});
        }
    }
    object.insert(u"versions"_s, versions);
    return jsonResponse(200, QJsonDocument(object));
}

Response
PackagesApi::files(const Route &route, const RequestContext &context, const Actor &actor) const
{
    const std::variant<Project, Response> project = readableProject(route, actor);
    if (const Response *refused = std::get_if<Response>(&project)) {
        return *refused;
    }
    const std::variant<Package, Response> package = packageOf(route, std::get<Project>(project));
    if (const Response *refused = std::get_if<Response>(&package)) {
        return *refused;
    }
    const Package &shown = std::get<Package>(package);
    std::variant<ListParams, Response> params = listParams(route, context);
    if (const Response *refused = std::get_if<Response>(&params)) {
        return *refused;
    }
    const ListParams &list = std::get<ListParams>(params);
    // One tarball per version: the package's only file has the package's id.
    QJsonArray array;
    if (list.page == 1) {
        array.append(QJsonObject{{u"id"_s, shown.id},
                                 {u"package_id"_s, shown.id},
                                 {u"created_at"_s, isoTime(shown.createdAt)},
                                 {u"file_name"_s, Npm::tarballFileName(shown.name, shown.version)},
                                 {u"size"_s, shown.size},
                                 {u"file_md5"_s, QJsonValue()},
                                 {u"file_sha1"_s, shown.sha1},
                                 {u"file_sha256"_s, QJsonValue()},
                                 {u"pipelines"_s, QJsonArray()}});
    }
    Response response = jsonResponse(200, QJsonDocument(array));
    setPageHeaders(
        &response, list.page, list.perPage, 1, false, m_pipeline.baseUrl(context), context);
    return response;
}

Response PackagesApi::remove(const Route &route, const Actor &actor) const
{
    const std::variant<Project, Response> project = readableProject(route, actor);
    if (const Response *refused = std::get_if<Response>(&project)) {
        return *refused;
    }
    const Project &found = std::get<Project>(project);
    const std::variant<Package, Response> package = packageOf(route, found);
    if (const Response *refused = std::get_if<Response>(&package)) {
        return *refused;
    }
    const Package &removed = std::get<Package>(package);
    if (route.kind == Route::Kind::DeleteFile && route.fileId != removed.id) {
        return withReason(messageResponse(404, u"404 Not Found"_s),
                          u"package %1 has no file %2 (its only file has its id)"_s.arg(
                              QString::number(removed.id), QString::number(route.fileId)));
    }
    // npm's unpublish of one version: its dist-tags go with it ("latest" then falls to the
    // highest version left) and the tarball goes when no other row uses it.
    const Result<void> done =
        m_registry.packages().unpublishVersion(found.id, removed.name, removed.version);
    if (!done) {
        return done.error().code == Error::Code::NotFound
            ? recordNotFound(u"the version was removed meanwhile"_s)
            : errorResponse(done.error());
    }
    return Response::empty(204);
}

} // namespace Trove::Http
