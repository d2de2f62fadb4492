// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/httpresponse.h"

namespace Trove::Http {

Response Response::json(int status, const QByteArray &compactJson)
{
    Response response;
    response.status = status;
    response.body = compactJson;
    response.headers.append(qMakePair(QByteArray("Content-Type"), QByteArray("application/json")));
    return response;
}

Response Response::empty(int status)
{
    Response response;
    response.status = status;
    return response;
}

Response Response::file(const QString &path, const QByteArray &contentType)
{
    Response response;
    response.filePath = path;
    response.headers.append(qMakePair(QByteArray("Content-Type"), contentType));
    return response;
}

Response deferredResponse(std::function<void(Responder)> start)
{
    Response response;
    response.status = 0;
    response.deferred = std::make_shared<DeferredAnswer>(DeferredAnswer{std::move(start)});
    return response;
}

void Response::setHeader(const QByteArray &name, const QByteArray &value)
{
    for (auto &header : headers) {
        if (header.first.compare(name, Qt::CaseInsensitive) == 0) {
            header.second = value;
            return;
        }
    }
    headers.append(qMakePair(name, value));
}

QByteArray Response::header(QByteArrayView name) const
{
    for (const auto &[key, value] : headers) {
        if (key.compare(name, Qt::CaseInsensitive) == 0) {
            return value;
        }
    }
    return {};
}

QByteArray reasonPhrase(int status)
{
    switch (status) {
    case 100:
        return "Continue";
    case 200:
        return "OK";
    case 201:
        return "Created";
    case 204:
        return "No Content";
    case 302:
        return "Found";
    case 304:
        return "Not Modified";
    case 307:
        return "Temporary Redirect";
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 409:
        return "Conflict";
    case 413:
        return "Payload Too Large";
    case 431:
        return "Request Header Fields Too Large";
    case 500:
        return "Internal Server Error";
    case 502:
        return "Bad Gateway";
    case 504:
        return "Gateway Timeout";
    case 503:
        return "Service Unavailable";
    default:
        return "Status";
    }
}

} // namespace Trove::Http
