// SPDX-License-Identifier: GPL-3.0-or-later
#include "model/npm/packagename.h"

#include <QRegularExpression>
#include <QStringDecoder>

using namespace Qt::StringLiterals;

namespace Trove::Npm {

bool isValidPackageName(const QString &name)
{
    // GitLab: \A(?:@(NAMESPACE_FORMAT)/)?[-+._a-zA-Z0-9]+\z, where a namespace is
    // [a-zA-Z0-9_.][a-zA-Z0-9_\-.]*[a-zA-Z0-9_\-] or a single [a-zA-Z0-9_], not ending in .git
    // or .atom. \z, not $: PCRE's $ also matches before a final newline.
    static thread_local const QRegularExpression pattern(
        u"\\A(?:@([a-zA-Z0-9_.][a-zA-Z0-9_\\-.]*[a-zA-Z0-9_\\-]|[a-zA-Z0-9_])/)?([-+._a-zA-Z0-9]+)\\z"_s);
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
    // Own decoder: QByteArray::fromPercentEncoding() turns a malformed escape such as "%fp" into
    // an arbitrary byte; here it stays as it is.
    const auto hexValue = [](char c) -> int {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    };
    QByteArray bytes;
    bytes.reserve(encoded.size());
    for (qsizetype i = 0; i < encoded.size(); ++i) {
        const int high = i + 2 < encoded.size() ? hexValue(encoded.at(i + 1)) : -1;
        const int low = i + 2 < encoded.size() ? hexValue(encoded.at(i + 2)) : -1;
        if (encoded.at(i) == '%' && high >= 0 && low >= 0) {
            bytes.append(char(high * 16 + low));
            i += 2;
        } else {
            bytes.append(encoded.at(i));
        }
    }
    QStringDecoder decoder(QStringDecoder::Utf8,
                           QStringDecoder::Flag::Stateless
                               | QStringDecoder::Flag::ConvertInitialBom);
    const QString text = decoder.decode(bytes);
    if (decoder.hasError()) {
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
