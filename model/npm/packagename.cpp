// SPDX-License-Identifier: GPL-3.0-or-later
#include "model/npm/packagename.h"

#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace Trove::Npm {

bool isValidPackageName(const QString &name)
{
    // GitLab: \A(?:@(NAMESPACE_FORMAT)/)?[-+._a-zA-Z0-9]+\z, where a namespace is
    // [a-zA-Z0-9_.][a-zA-Z0-9_\-.]*[a-zA-Z0-9_\-] or a single [a-zA-Z0-9_], not ending in .git
    // or .atom.
    static const QRegularExpression pattern(
        u"^(?:@([a-zA-Z0-9_.][a-zA-Z0-9_\\-.]*[a-zA-Z0-9_\\-]|[a-zA-Z0-9_])/)?([-+._a-zA-Z0-9]+)$"_s);
    if (name.isEmpty() || name.size() > 214) {
        return false;
    }
    const QRegularExpressionMatch match = pattern.match(name);
    if (!match.hasMatch()) {
        return false;
    }
    const QString scope = match.captured(1);
    if (scope.endsWith(u".git"_s) || scope.endsWith(u".atom"_s)) {
        return false;
    }
    const QString bare = match.captured(2);
    return bare != u"."_s && bare != u".."_s;
}

QString scopeOf(const QString &name)
{
    if (!name.startsWith(u'@')) {
        return {};
    }
    const qsizetype slash = name.indexOf(u'/');
    return slash < 0 ? QString() : name.mid(1, slash - 1);
}

QString tarballFileName(const QString &name, const QString &version)
{
    return name % u'-' % version % u".tgz"_s;
}

QString npmjsTarballFileName(const QString &name, const QString &version)
{
    return name.section(u'/', -1) % u'-' % version % u".tgz"_s;
}

QString decodePackageNameSegment(QByteArrayView encoded)
{
    const QByteArray bytes = QByteArray::fromPercentEncoding(encoded.toByteArray());
    const QString text = QString::fromUtf8(bytes);
    if (text.toUtf8() != bytes) {
        return {};
    }
    for (const QChar c : text) {
        if (c.unicode() < 0x20 || c.unicode() == 0x7f) {
            return {};
        }
    }
    return text;
}

} // namespace Trove::Npm
