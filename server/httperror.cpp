// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/httperror.h"

#include "server/serverlogging.h"

#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace Trove::Http {

int statusOf(Error::Code code)
{
    switch (code) {
    case Error::Code::NotFound:
        return 404;
    case Error::Code::Conflict:
        return 409;
    case Error::Code::Invalid:
        return 400;
    case Error::Code::Unauthorized:
        return 401;
    case Error::Code::Forbidden:
        return 403;
    case Error::Code::Storage:
        return 500;
    }
    return 500;
}

Response errorResponse(int status, const QString &message)
{
    const QJsonObject body{{u"message"_s, message}, {u"error"_s, message}};
    return Response::json(status, QJsonDocument(body).toJson(QJsonDocument::Compact));
}

Response errorResponse(const Error &error)
{
    if (error.code == Error::Code::Storage) {
        // Storage messages name files and database errors: they go to the server's log and the
        // request log, never to the client.
        qCWarning(lcServer).noquote() << "Storage error:" << error.message;
        Response response = errorResponse(500,
                                          u"Internal server error: the registry could not "
                                          "read or write its store"_s);
        response.log.reason = error.message;
        return response;
    }
    return errorResponse(statusOf(error.code), error.message);
}

Response notFoundResponse(const QString &resource)
{
    QString titled;
    for (const QString &word : resource.split(u' ')) {
        titled += (titled.isEmpty() ? QString() : u" "_s) + word.left(1).toUpper() + word.mid(1);
    }
    const QString error = resource.left(1).toUpper() + resource.mid(1).toLower() + u" not found"_s;
    const QJsonObject body{{u"message"_s, QString(u"404 "_s + titled + u" Not Found"_s)},
                           {u"error"_s, error}};
    return Response::json(404, QJsonDocument(body).toJson(QJsonDocument::Compact));
}

Response unknownRouteResponse()
{
    const QJsonObject body{{u"error"_s, u"404 Not Found"_s}};
    return Response::json(404, QJsonDocument(body).toJson(QJsonDocument::Compact));
}

} // namespace Trove::Http
