// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/npmroute.h"

#include <QByteArray>
#include <QList>
#include <QUrl>

using namespace Qt::StringLiterals;

namespace Trove::Http {

namespace {

// Percent-decodes one path segment; nullopt for invalid UTF-8 or control characters.
std::optional<QString> decode(QByteArrayView segment)
{
    const QByteArray bytes = QByteArray::fromPercentEncoding(segment.toByteArray());
    const QString text = QString::fromUtf8(bytes);
    if (text.toUtf8() != bytes) {
        return std::nullopt;
    }
    for (const QChar c : text) {
        if (c.unicode() < 0x20 || c.unicode() == 0x7f) {
            return std::nullopt;
        }
    }
    return text;
}

// Joins decoded segments with '/'.
std::optional<QString> decodeJoined(const QList<QByteArrayView> &segments)
{
    QStringList parts;
    for (const QByteArrayView segment : segments) {
        const std::optional<QString> part = decode(segment);
        if (!part) {
            return std::nullopt;
        }
        parts.append(*part);
    }
    return parts.join(u'/');
}

// Takes a package name from the front of `segments`: "@scope%2fname" (one segment), "@scope" +
// "name" (two), or "name". Returns how many segments it used, 0 if none.
qsizetype takeName(const QList<QByteArrayView> &segments, QString *name)
{
    if (segments.isEmpty() || segments.first().isEmpty()) {
        return 0;
    }
    const std::optional<QString> first = decode(segments.first());
    if (!first) {
        return 0;
    }
    if (first->startsWith(u'@') && !first->contains(u'/')) {
        if (segments.size() < 2 || segments.at(1).isEmpty() || segments.at(1) == "-") {
            *name = *first;
            return 1;
        }
        const std::optional<QString> second = decode(segments.at(1));
        if (!second) {
            return 0;
        }
        *name = *first + u'/' + *second;
        return 2;
    }
    *name = *first;
    return 1;
}

bool is(QByteArrayView method, const char *expected)
{
    return method == QByteArrayView(expected);
}

} // namespace

std::optional<NpmRoute> parseNpmRoute(QByteArrayView method, QByteArrayView encodedPath)
{
    const QByteArrayView api = "/api/v4/";
    if (!encodedPath.startsWith(api)) {
        return std::nullopt;
    }
    QList<QByteArrayView> segments;
    {
        QByteArrayView rest = encodedPath.sliced(api.size());
        qsizetype start = 0;
        for (qsizetype i = 0; i <= rest.size(); ++i) {
            if (i == rest.size() || rest.at(i) == '/') {
                segments.append(rest.sliced(start, i - start));
                start = i + 1;
            }
        }
    }

    NpmRoute route;
    qsizetype used = 0;
    if (segments.size() >= 3 && segments.at(0) == "packages" && segments.at(1) == "npm") {
        route.level = NpmRoute::Level::Instance;
        used = 2;
    } else if (segments.size() >= 6 && segments.at(0) == "groups" && segments.at(2) == "-"
               && segments.at(3) == "packages" && segments.at(4) == "npm") {
        route.level = NpmRoute::Level::Group;
        used = 5;
    } else if (segments.size() >= 5 && segments.at(0) == "projects" && segments.at(2) == "packages"
               && segments.at(3) == "npm") {
        route.level = NpmRoute::Level::Project;
        used = 4;
    } else {
        return std::nullopt;
    }
    if (route.level != NpmRoute::Level::Instance) {
        const std::optional<QString> target = decode(segments.at(1));
        if (!target || target->isEmpty()) {
            return std::nullopt;
        }
        route.target = *target;
    }
    {
        QByteArray prefix = api.toByteArray();
        for (qsizetype i = 0; i < used; ++i) {
            prefix += segments.at(i).toByteArray() + '/';
        }
        route.prefix = QString::fromLatin1(prefix);
    }
    const QList<QByteArrayView> rest = segments.mid(used);

    // -/… extension and namespace routes.
    if (rest.value(0) == "-") {
        const QList<QByteArrayView> tail = rest.mid(1);
        if (tail.size() == 1 && tail.at(0) == "whoami"
            && (is(method, "GET") || is(method, "HEAD"))) {
            route.kind = NpmRoute::Kind::Whoami;
            return route;
        }
        if (tail.size() == 2 && tail.at(0) == "v1" && tail.at(1) == "search"
            && (is(method, "GET") || is(method, "HEAD"))) {
            route.kind = NpmRoute::Kind::Search;
            return route;
        }
        if (tail.size() == 1 && tail.at(0) == "ping" && (is(method, "GET") || is(method, "HEAD"))) {
            route.kind = NpmRoute::Kind::Ping;
            return route;
        }
        if (tail.size() == 5 && tail.at(0) == "npm" && tail.at(1) == "v1"
            && tail.at(2) == "security" && is(method, "POST")) {
            if (tail.at(3) == "advisories" && tail.at(4) == "bulk") {
                route.kind = NpmRoute::Kind::AuditBulk;
                return route;
            }
            if (tail.at(3) == "audits" && tail.at(4) == "quick") {
                route.kind = NpmRoute::Kind::AuditQuick;
                return route;
            }
            return std::nullopt;
        }
        if (tail.size() >= 3 && tail.at(0) == "package") {
            const qsizetype nameSegments = takeName(tail.mid(1), &route.packageName);
            if (nameSegments == 0) {
                return std::nullopt;
            }
            const QList<QByteArrayView> after = tail.mid(1 + nameSegments);
            if (after.size() == 1 && after.at(0) == "dist-tags") {
                if (!is(method, "GET") && !is(method, "HEAD")) {
                    return std::nullopt;
                }
                route.kind = NpmRoute::Kind::DistTags;
                return route;
            }
            if (after.size() == 2 && after.at(0) == "dist-tags") {
                const std::optional<QString> tag = decode(after.at(1));
                if (!tag) {
                    return std::nullopt;
                }
                route.tag = *tag;
                if (is(method, "PUT")) {
                    route.kind = NpmRoute::Kind::DistTagPut;
                } else if (is(method, "DELETE")) {
                    route.kind = NpmRoute::Kind::DistTagDelete;
                } else {
                    return std::nullopt;
                }
                return route;
            }
        }
        return std::nullopt;
    }

    const qsizetype nameSegments = takeName(rest, &route.packageName);
    if (nameSegments == 0) {
        return std::nullopt;
    }
    const QList<QByteArrayView> after = rest.mid(nameSegments);
    if (after.isEmpty()) {
        if (is(method, "GET") || is(method, "HEAD")) {
            route.kind = NpmRoute::Kind::Packument;
        } else if (is(method, "PUT")) {
            route.kind = NpmRoute::Kind::Publish;
        } else {
            return std::nullopt;
        }
        return route;
    }
    if (after.size() == 2 && after.at(0) == "-rev") {
        if (is(method, "PUT")) {
            route.kind = NpmRoute::Kind::UnpublishPut;
        } else if (is(method, "DELETE")) {
            route.kind = NpmRoute::Kind::UnpublishAll;
        } else {
            return std::nullopt;
        }
        return route;
    }
    if (after.size() >= 2 && after.at(0) == "-") {
        QList<QByteArrayView> file = after.mid(1);
        bool deletion = false;
        if (file.size() >= 3 && file.at(file.size() - 2) == "-rev") {
            file = file.mid(0, file.size() - 2);
            deletion = true;
        }
        const std::optional<QString> fileName = decodeJoined(file);
        if (!fileName || fileName->isEmpty()) {
            return std::nullopt;
        }
        route.fileName = *fileName;
        if (deletion && is(method, "DELETE")) {
            route.kind = NpmRoute::Kind::TarballDelete;
        } else if (!deletion && (is(method, "GET") || is(method, "HEAD"))) {
            route.kind = NpmRoute::Kind::Tarball;
        } else {
            return std::nullopt;
        }
        return route;
    }
    return std::nullopt;
}

QString levelName(NpmRoute::Level level)
{
    switch (level) {
    case NpmRoute::Level::Instance:
        return u"instance"_s;
    case NpmRoute::Level::Group:
        return u"group"_s;
    case NpmRoute::Level::Project:
        return u"project"_s;
    }
    return {};
}

} // namespace Trove::Http
