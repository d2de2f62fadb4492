// SPDX-License-Identifier: GPL-3.0-or-later
#include "model/npm/manifest.h"

#include <algorithm>

using namespace Qt::StringLiterals;

namespace Trove::Npm {

QJsonObject strippedPackageJson(QJsonObject version)
{
    for (const QString &field :
         {u"readme"_s, u"readmeFilename"_s, u"licenseText"_s, u"contributors"_s, u"exports"_s}) {
        version.remove(field);
    }
    const QJsonObject scripts = version.value(u"scripts"_s).toObject();
    if (scripts.contains(u"preinstall"_s) || scripts.contains(u"install"_s)
        || scripts.contains(u"postinstall"_s)) {
        version.insert(u"hasInstallScript"_s, true);
    }
    return version;
}

qsizetype packageJsonCharacters(const QByteArray &compactJson)
{
    // Every UTF-8 byte that is not a continuation byte starts one code point.
    return std::count_if(
        compactJson.begin(), compactJson.end(), [](char c) { return (uchar(c) & 0xc0) != 0x80; });
}

QString integrityOf(const QString &sha512Hex)
{
    return u"sha512-"_s + QString::fromLatin1(QByteArray::fromHex(sha512Hex.toLatin1()).toBase64());
}

} // namespace Trove::Npm
