// SPDX-License-Identifier: GPL-3.0-or-later
// Fuzzes Trove::Http::parseNpmRoute (server/npmroute.h). Input: "METHOD /encoded/path", like a
// request line without the version; without a space the whole input is a GET path.
#include "server/npmroute.h"

#include <QByteArrayView>
#include <QString>

#include <cstddef>
#include <cstdint>

namespace {

// The route's decoded fields reach SQL parameters, file names and response headers: none may
// carry a control character (parseNpmRoute refuses those paths).
void checkText(const QString &text)
{
    for (const QChar c : text) {
        if (c.unicode() < 0x20 || c.unicode() == 0x7f) {
            __builtin_trap();
        }
    }
}

bool hasPackage(Trove::Http::NpmRoute::Kind kind)
{
    using Kind = Trove::Http::NpmRoute::Kind;
    switch (kind) {
    case Kind::AuditBulk:
    case Kind::AuditQuick:
    case Kind::Whoami:
    case Kind::Ping:
        return false;
    default:
        return true;
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArrayView input(data, static_cast<qsizetype>(size));
    const qsizetype space = input.indexOf(' ');
    const QByteArrayView method = space < 0 ? QByteArrayView("GET") : input.first(space);
    const QByteArrayView path = space < 0 ? input : input.sliced(space + 1);

    const std::optional<Trove::Http::NpmRoute> route = Trove::Http::parseNpmRoute(method, path);
    if (!route) {
        return 0;
    }
    checkText(route->target);
    checkText(route->packageName);
    checkText(route->fileName);
    checkText(route->tag);
    if (hasPackage(route->kind) && route->packageName.isEmpty()) {
        __builtin_trap();
    }
    // The prefix is the front of the path as requested (held as Latin-1, byte for byte).
    if (!path.startsWith(route->prefix.toLatin1())) {
        __builtin_trap();
    }
    return 0;
}
