// SPDX-License-Identifier: GPL-3.0-or-later
#include "model/npm/manifest.h"

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

QString integrityOf(const QString &sha512Hex)
{
    return u"sha512-"_s + QString::fromLatin1(QByteArray::fromHex(sha512Hex.toLatin1()).toBase64());
}

} // namespace Trove::Npm
