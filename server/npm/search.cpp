// SPDX-License-Identifier: GPL-3.0-or-later
// npm search at any level (docs/npm-api.md §11.4): NpmHandler::search.
#include "model/registry.h"
#include "model/services/searchservice.h"
#include "server/httperror.h"
#include "server/npmhandler.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>

using namespace Qt::StringLiterals;

namespace Trove::Http {

namespace {

// An exact name match outranks any text match, as npm's registry boosts exact names.
constexpr double ExactBoost = 100000.0;

// A query parameter that must be a whole number when given.
std::optional<int> number(const RequestContext &context, const QString &name, int fallback)
{
    const QString text = context.queryItem(name);
    if (text.isEmpty()) {
        return fallback;
    }
    bool ok = false;
    const int value = text.toInt(&ok);
    return ok ? std::optional<int>(value) : std::nullopt;
}

QJsonObject packageObject(const SearchService::Hit &hit)
{
    QJsonObject links;
    if (!hit.homepage.isEmpty()) {
        links.insert(u"homepage"_s, hit.homepage);
    }
    if (!hit.repository.isEmpty()) {
        links.insert(u"repository"_s, hit.repository);
    }
    if (!hit.bugs.isEmpty()) {
        links.insert(u"bugs"_s, hit.bugs);
    }
    const QString scope =
        hit.name.startsWith(u'@') ? hit.name.section(u'/', 0, 0).mid(1) : u"unscoped"_s;
    const QJsonObject publisher{{u"username"_s, hit.publisher}};
    return {
        {u"name"_s, hit.name},
        {u"scope"_s, scope},
        {u"version"_s, hit.version},
        {u"description"_s, hit.description},
        {u"keywords"_s, QJsonArray::fromStringList(hit.keywords)},
        {u"date"_s, hit.date.toUTC().toString(Qt::ISODateWithMs)},
        {u"links"_s, links},
        {u"publisher"_s, publisher},
        // npm's client lists maintainers for every hit and fails without the array.
        {u"maintainers"_s, QJsonArray{publisher}},
    };
}

} // namespace

// GET <level>/-/v1/search?text=&size=&from=: npm search. Auth: optional; only projects the
// caller may read (and whose package registry is on) are searched. size 1..250 (20), from >= 0
// (0). 200 {"objects": [{"package", "score", "searchScore"}], "total", "time"} | 400 for a bad
// size or from | 401/403/404 for a group or project the caller may not read.
Response
NpmHandler::search(const NpmRoute &route, const RequestContext &context, const Actor &actor) const
{
    const std::optional<int> size = number(context, u"size"_s, SearchService::DefaultSize);
    const std::optional<int> from = number(context, u"from"_s, 0);
    if (!size || !from) {
        return errorResponse(400, !size ? u"size must be a number"_s : u"from must be a number"_s);
    }
    QList<qint64> readable;
    if (route.level == NpmRoute::Level::Project) {
        const std::variant<Project, Response> target =
            m_pipeline->authorize(project(route), actor, AccessPolicy::Operation::ReadPackage);
        if (const Response *refused = std::get_if<Response>(&target)) {
            return *refused;
        }
        readable.append(std::get<Project>(target).id);
    } else {
        Result<QList<Project>> projects = m_registry.namespaces().store().projects();
        if (route.level == NpmRoute::Level::Group) {
            const Result<Group> group = m_registry.namespaces().findGroup(route.target);
            if (!group) {
                return group.error().code == Error::Code::NotFound ? notFoundResponse(u"Group"_s)
                                                                   : errorResponse(group.error());
            }
            if (group->visibility != Visibility::Public && actor.isAnonymous()) {
                Response refused = unauthorizedResponse();
                refused.log.reason = u"no token was sent, and group %1 is %2"_s.arg(
                    group->fullPath, visibilityName(group->visibility));
                return refused;
            }
            projects = m_registry.namespaces().store().projectsUnder(group->id);
        }
        if (!projects) {
            return errorResponse(projects.error());
        }
        for (const Project &project : std::as_const(*projects)) {
            if (!project.packagesEnabled) {
                continue;
            }
            const Result<AccessPolicy::Decision> decision =
                m_registry.policy().check(actor, project, AccessPolicy::Operation::ReadPackage);
            if (!decision) {
                return errorResponse(decision.error());
            }
            if (*decision == AccessPolicy::Decision::Allow) {
                readable.append(project.id);
            }
        }
    }

    const Result<SearchService::Results> results =
        SearchService(m_registry.database())
            .search(context.queryItem(u"text"_s), readable, *size, *from);
    if (!results) {
        return errorResponse(results.error());
    }
    QJsonArray objects;
    for (const SearchService::Hit &hit : results->hits) {
        const QJsonObject detail{
            {u"quality"_s, 1.0}, {u"popularity"_s, 1.0}, {u"maintenance"_s, 1.0}};
        objects.append(QJsonObject{
            {u"package"_s, packageObject(hit)},
            {u"score"_s, QJsonObject{{u"final"_s, hit.score}, {u"detail"_s, detail}}},
            {u"searchScore"_s, hit.exact ? ExactBoost + hit.score : hit.score},
        });
    }
    const QString time = QLocale::c().toString(QDateTime::currentDateTimeUtc(),
                                               u"ddd, dd MMM yyyy hh:mm:ss 'GMT'"_s);
    Response response = Response::json(
        200,
        QJsonDocument(
            QJsonObject{{u"objects"_s, objects}, {u"total"_s, results->total}, {u"time"_s, time}})
            .toJson(QJsonDocument::Compact));
    response.setHeader("Cache-Control", "no-cache");
    return response;
}

} // namespace Trove::Http
