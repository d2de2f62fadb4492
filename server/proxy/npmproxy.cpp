// SPDX-License-Identifier: GPL-3.0-or-later
// The npm handler in proxy mode (docs/proxy.md): documents and tarballs of names no project here
// holds, fetched from the upstream, kept, and answered with tarball URLs pointing here.
#include "model/npm/packagename.h"
#include "model/registry.h"
#include "server/httperror.h"
#include "server/npm/common.h"
#include "server/npmhandler.h"
#include "server/proxy/proxycache.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace Trove::Http {

namespace {

// The fields of a version that an abbreviated document keeps (npm's install-v1 form).
const QStringList AbbreviatedFields = {
    u"name"_s,
    u"version"_s,
    u"deprecated"_s,
    u"dependencies"_s,
    u"optionalDependencies"_s,
    u"devDependencies"_s,
    u"bundleDependencies"_s,
    u"bundledDependencies"_s,
    u"peerDependencies"_s,
    u"peerDependenciesMeta"_s,
    u"bin"_s,
    u"directories"_s,
    u"dist"_s,
    u"engines"_s,
    u"cpu"_s,
    u"os"_s,
    u"libc"_s,
    u"_hasShrinkwrap"_s,
    u"hasInstallScript"_s,
    u"funding"_s,
    u"acceptDependencies"_s,
    u"license"_s,
};

// The file name of a version's tarball in the URLs this Trove writes: "<bare name>-<v>.tgz".
QString tarballFileName(const QString &name, const QString &version)
{
    return name.section(u'/', -1) + u'-' + version + u".tgz"_s;
}

QString versionOfFileName(const QString &name, const QString &fileName)
{
    const QString prefix = name.section(u'/', -1) + u'-';
    if (!fileName.startsWith(prefix) || !fileName.endsWith(u".tgz"_s)
        || fileName.size() <= prefix.size() + 4) {
        return {};
    }
    return fileName.mid(prefix.size(), fileName.size() - prefix.size() - 4);
}

// The upstream's document with every tarball URL pointing at `tarballBase` (this Trove's
// route at the level asked), in the full or the abbreviated form.
QByteArray render(const QByteArray &upstream,
                  const QString &name,
                  const QString &tarballBase,
                  bool abbreviated)
{
    QJsonObject document = QJsonDocument::fromJson(upstream).object();
    QJsonObject versions = document.value(u"versions"_s).toObject();
    for (auto it = versions.begin(); it != versions.end(); ++it) {
        QJsonObject manifest = it.value().toObject();
        QJsonObject dist = manifest.value(u"dist"_s).toObject();
        dist.insert(u"tarball"_s,
                    QString(tarballBase + name + u"/-/"_s + tarballFileName(name, it.key())));
        manifest.insert(u"dist"_s, dist);
        if (abbreviated) {
            QJsonObject kept;
            for (const QString &field : AbbreviatedFields) {
                if (manifest.contains(field)) {
                    kept.insert(field, manifest.value(field));
                }
            }
            manifest = kept;
        }
        it.value() = manifest;
    }
    if (!abbreviated) {
        document.insert(u"versions"_s, versions);
        document.remove(u"_attachments"_s);
        return QJsonDocument(document).toJson(QJsonDocument::Compact);
    }
    QJsonObject brief{{u"name"_s, document.value(u"name"_s).toString(name)},
                      {u"dist-tags"_s, document.value(u"dist-tags"_s)},
                      {u"versions"_s, versions}};
    if (const QJsonValue modified = document.value(u"time"_s).toObject().value(u"modified"_s);
        modified.isString()) {
        brief.insert(u"modified"_s, modified);
    }
    return QJsonDocument(brief).toJson(QJsonDocument::Compact);
}

// A proxied answer has its own freshness (docs/proxy.md §4): kept in the response cache only where
// the caller says how long.
Response withLog(Response response, const QString &reason, NpmRoute::Level level)
{
    response.keepForMs = 0;
    response.log.reason = reason;
    response.log.level = levelName(level);
    return response;
}

Response tarballAnswer(const ProxyCache::Tarball &tarball, NpmRoute::Level level)
{
    if (tarball.status == 200) {
        Response response = Response::file(tarball.path, "application/octet-stream");
        response.setHeader("ETag", '"' + tarball.sha512.left(32).toLatin1() + '"');
        response.setHeader("Cache-Control", "public, max-age=31536000, immutable");
        response = withLog(response, tarball.reason, level);
        // A kept tarball never changes: its answer is reused like a published one's, while the
        // generation lasts and the blob is there (NpmHandler::handle, docs/proxy.md §6).
        response.keepForMs = -1;
        response.keptTarball = tarball.sha512;
        return response;
    }
    if (tarball.status == 404) {
        return withLog(notFoundResponse(u"Package"_s), tarball.reason, level);
    }
    return withLog(
        errorResponse(502, u"502 Bad Gateway - "_s + tarball.reason), tarball.reason, level);
}

} // namespace

QString NpmHandler::localNameReason(const QString &name) const
{
    const QString scope = Npm::scopeOf(name);
    if (!scope.isEmpty()) {
        const Result<Group> group = m_registry.namespaces().store().groupByPath(scope);
        if (group && group->parentId == 0) {
            return u"scope @%1 belongs to top-level group %2 here: its names are never proxied"_s
                .arg(scope, group->fullPath);
        }
    }
    const Result<QList<Package>> published = m_registry.packages().store().packagesNamed(name);
    if (!published) {
        return published.error().message;
    }
    if (!published->isEmpty()) {
        return u"a package of this name is published here (in a project this endpoint does not "
               "search): it is never proxied"_s;
    }
    return {};
}

std::optional<Response> NpmHandler::proxyPackument(const NpmRoute &route,
                                                   const RequestContext &context) const
{
    if (!localNameReason(route.packageName).isEmpty()) {
        return std::nullopt;
    }
    const QString name = route.packageName;
    const bool abbreviated = wantsAbbreviated(context);
    const bool gzip = context.header("accept-encoding").contains("gzip");
    const QByteArray ifNoneMatch = context.header("if-none-match");
    const QString tarballBase = m_pipeline->baseUrl(context) + route.prefix;
    const NpmRoute::Level level = route.level;
    const auto answer = [this, name, abbreviated, gzip, ifNoneMatch, tarballBase, level](
                            const ProxyCache::Document &document) {
        if (document.status == 404) {
            Response notFound = withLog(notFoundResponse(u"Package"_s), document.reason, level);
            notFound.keepForMs = document.freshForMs;
            return notFound;
        }
        if (document.status != 200) {
            return withLog(errorResponse(502, u"502 Bad Gateway - the upstream did not answer"_s),
                           document.reason,
                           level);
        }
        // Rendered once per copy of the document, form and base URL.
        const QString key = u"proxy|"_s % name % u'|' % (abbreviated ? u"a"_s : u"f"_s) % u'|'
            % tarballBase % u'|' % QString::number(document.fetchedAtMs);
        const quint64 generation = m_cache->generation();
        std::optional<MetadataCache::Entry> entry = m_cache->find(key, generation);
        if (!entry) {
            entry = m_cache->insert(
                key, render(document.body, name, tarballBase, abbreviated), generation);
        }
        Response response =
            withLog(documentResponse(*m_cache, key, *entry, ifNoneMatch, gzip, abbreviated),
                    document.reason,
                    level);
        if (response.status == 200) {
            // Answered from memory, without the store, while the kept copy is fresh.
            response.keepForMs = document.freshForMs;
        }
        return response;
    };
    if (std::optional<ProxyCache::Document> fresh = proxy().freshDocument(name)) {
        return answer(*fresh);
    }
    return deferredResponse([this, name, answer](Responder respond) {
        proxy().fetchDocument(name, [answer, respond](const ProxyCache::Document &document) {
            respond(answer(document));
        });
    });
}

Response NpmHandler::proxyTarball(const NpmRoute &route, const Actor &actor) const
{
    const Result<SettingsService::ForwardingMode> mode = forwardingMode(route);
    if (!mode) {
        return errorResponse(mode.error());
    }
    if (*mode != SettingsService::ForwardingMode::Proxy) {
        return unknownRouteResponse();
    }
    if (route.level == NpmRoute::Level::Group) {
        // Readable by whoever may read the level (docs/proxy.md §7).
        const Result<Group> group = m_registry.namespaces().findGroup(route.target);
        if (!group) {
            return group.error().code == Error::Code::NotFound ? withLog(
                       notFoundResponse(u"Group"_s), u"no group has this id or path"_s, route.level)
                                                               : errorResponse(group.error());
        }
        if (group->visibility != Visibility::Public && actor.isAnonymous()) {
            return withLog(unauthorizedResponse(),
                           u"no token was sent, and group %1 is not public"_s.arg(group->fullPath),
                           route.level);
        }
    }
    if (const QString local = localNameReason(route.packageName); !local.isEmpty()) {
        return withLog(notFoundResponse(u"Package"_s), local, route.level);
    }
    const QString version = versionOfFileName(route.packageName, route.fileName);
    if (version.isEmpty()) {
        return withLog(notFoundResponse(u"Package"_s),
                       u"not a tarball file name of %1"_s.arg(route.packageName),
                       route.level);
    }
    if (std::optional<ProxyCache::Tarball> kept = proxy().keptTarball(route.packageName, version)) {
        return tarballAnswer(*kept, route.level);
    }
    const QString name = route.packageName;
    const NpmRoute::Level level = route.level;
    return deferredResponse([this, name, version, level](Responder respond) {
        proxy().fetchTarball(name, version, [respond, level](const ProxyCache::Tarball &tarball) {
            respond(tarballAnswer(tarball, level));
        });
    });
}

ProxyCache &NpmHandler::proxy() const
{
    std::call_once(m_proxyOnce, [this] {
        ProxyCache::Config config;
        config.maxAgeSeconds = m_config.proxyMaxAgeSeconds;
        config.upstream.maxFileBytes = m_registry.packages().maxFileSize();
        m_proxy = std::make_unique<ProxyCache>(m_registry, config);
    });
    return *m_proxy;
}

} // namespace Trove::Http
