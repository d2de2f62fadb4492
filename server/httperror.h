// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "model/error.h"
#include "server/httpresponse.h"

namespace Trove::Http {

// The one mapping from model errors to HTTP (docs/style.md §7): NotFound 404, Conflict 409,
// Invalid 400, Unauthorized 401, Forbidden 403, Storage 500.
int statusOf(Error::Code code);

// {"message": M, "error": M}: GitLab's shape; npm prints `error`.
Response errorResponse(int status, const QString &message);
Response errorResponse(const Error &error);
// GitLab's npm not-found shape: {"message": "404 <Resource> Not Found", "error": "<Resource> not found"}.
Response notFoundResponse(const QString &resource);
// The catch-all for unknown routes: {"error": "404 Not Found"}.
Response unknownRouteResponse();

} // namespace Trove::Http
