// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

namespace Trove {

// A failure of a model/ operation. `message` is English, for logs, the command line and HTTP
// bodies; ui/ maps `code` to translated text. server/ maps `code` to a status in one place.
struct Error
{
    enum class Code { NotFound, Conflict, Invalid, Unauthorized, Forbidden, Storage };

    Code code = Code::Invalid;
    QString message;

    static Error notFound(const QString &message) { return {Code::NotFound, message}; }
    static Error conflict(const QString &message) { return {Code::Conflict, message}; }
    static Error invalid(const QString &message) { return {Code::Invalid, message}; }
    static Error unauthorized(const QString &message) { return {Code::Unauthorized, message}; }
    static Error forbidden(const QString &message) { return {Code::Forbidden, message}; }
    static Error storage(const QString &message) { return {Code::Storage, message}; }
};

} // namespace Trove
