// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArrayView>
#include <QString>

namespace Trove::Npm {

// GitLab's npm name rule: `@<namespace>/<name>` or `<name>`, the namespace in GitLab's path format
// and the name of `-+._` letters and digits (docs/npm-api.md §5.3), at most 214 characters.
bool isValidPackageName(const QString &name);

// "scope" of "@scope/name"; empty for an unscoped name.
QString scopeOf(const QString &name);

// GitLab's stored file name: "@scope/name-1.0.0.tgz" (the scope included).
QString tarballFileName(const QString &name, const QString &version);

// The npmjs form: "name-1.0.0.tgz" (no scope).
QString npmjsTarballFileName(const QString &name, const QString &version);

// Percent-decodes one path segment ("%2f" and "%2F" become '/'); empty for invalid UTF-8 or a
// decoded control character (NUL, CR, LF, or any other C0 character or DEL). Malformed escapes
// such as "%fp" stay as they are; isValidPackageName() then refuses the name.
QString decodePackageNameSegment(QByteArrayView encoded);

} // namespace Trove::Npm
