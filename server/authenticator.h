// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "model/actor.h"
#include "model/result.h"

namespace Trove {
class TokenService;
}

namespace Trove::Http {

struct RequestContext;

// Finds the caller's token in a request, as GitLab's API guard does for npm routes:
// `Authorization: Bearer` (any token kind), `Private-Token`, `Deploy-Token`, `Job-Token`,
// HTTP Basic whose password is a deploy token, and the `private_token` / `job_token` query
// parameters. No credentials: anonymous. Credentials that match nothing: Unauthorized, even
// where anonymous access would be allowed.
class Authenticator final
{
public:
    explicit Authenticator(TokenService &tokens);

    Result<Actor> authenticate(const RequestContext &context) const;

    // The token found in the request, empty if none (for tests and the request log's redaction).
    static QString tokenOf(const RequestContext &context, bool *basic = nullptr);

private:
    TokenService &m_tokens;
};

} // namespace Trove::Http
