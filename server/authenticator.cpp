// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/authenticator.h"

#include "model/services/tokenservice.h"
#include "server/requestcontext.h"

using namespace Qt::StringLiterals;

namespace Trove::Http {

Authenticator::Authenticator(TokenService &tokens)
    : m_tokens(tokens)
{
}

QString Authenticator::tokenOf(const RequestContext &context, bool *basic)
{
    if (basic) {
        *basic = false;
    }
    const QByteArray authorization = context.header("authorization").trimmed();
    if (!authorization.isEmpty()) {
        const qsizetype space = authorization.indexOf(' ');
        const QByteArray scheme = authorization.left(space).toLower();
        const QByteArray credentials =
            space < 0 ? QByteArray() : authorization.mid(space + 1).trimmed();
        if (scheme == "bearer") {
            return QString::fromUtf8(credentials);
        }
        if (scheme == "basic") {
            if (basic) {
                *basic = true;
            }
            const QByteArray decoded = QByteArray::fromBase64(credentials);
            const qsizetype colon = decoded.indexOf(':');
            return colon < 0 ? QString() : QString::fromUtf8(decoded.mid(colon + 1));
        }
        // An unknown scheme is a credential that matches nothing.
        return QString::fromUtf8(authorization);
    }
    for (const char *header : {"private-token", "deploy-token", "job-token"}) {
        const QByteArray value = context.header(header).trimmed();
        if (!value.isEmpty()) {
            return QString::fromUtf8(value);
        }
    }
    for (const QString &parameter : {u"private_token"_s, u"job_token"_s}) {
        const QString value = context.queryItem(parameter);
        if (!value.isEmpty()) {
            return value;
        }
    }
    return {};
}

Result<Actor> Authenticator::authenticate(const RequestContext &context) const
{
    bool basic = false;
    const QString token = tokenOf(context, &basic);
    const bool hasCredentials = !token.isEmpty() || !context.header("authorization").isEmpty();
    if (!hasCredentials) {
        return Actor{};
    }
    if (basic && TokenService::kindOf(token) != TokenKind::Deploy) {
        // GitLab's npm routes take HTTP Basic only with a deploy token as the password.
        return Error::unauthorized(u"401 Unauthorized"_s);
    }
    return m_tokens.authenticate(token);
}

} // namespace Trove::Http
