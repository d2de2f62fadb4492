// SPDX-License-Identifier: GPL-3.0-or-later
#include "model/blobstore.h"

#include "model/logging.h"

#include <QCryptographicHash>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QSaveFile>

using namespace Qt::StringLiterals;

namespace Trove {

BlobStore::BlobStore(const QString &root)
    : m_root(root)
{
}

bool BlobStore::isDigest(const QString &text)
{
    if (text.size() != 128) {
        return false;
    }
    for (const QChar c : text) {
        if (!((c >= u'0' && c <= u'9') || (c >= u'a' && c <= u'f'))) {
            return false;
        }
    }
    return true;
}

QString BlobStore::pathOf(const QString &sha512Hex) const
{
    Q_ASSERT(isDigest(sha512Hex));
    return m_root % u"/sha512/"_s % QStringView(sha512Hex).left(2) % u'/'
        % QStringView(sha512Hex).mid(2, 2) % u'/' % sha512Hex;
}

bool BlobStore::contains(const QString &sha512Hex) const
{
    return isDigest(sha512Hex) && QFile::exists(pathOf(sha512Hex));
}

Result<QString> BlobStore::put(const QByteArray &bytes)
{
    const QString digest =
        QString::fromLatin1(QCryptographicHash::hash(bytes, QCryptographicHash::Sha512).toHex());
    const QString path = pathOf(digest);
    if (QFile::exists(path)) {
        return digest;
    }
    if (!QDir().mkpath(QFileInfo(path).absolutePath())) {
        return Error::storage(u"Cannot create the folder of %1"_s.arg(path));
    }
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit()) {
        return Error::storage(u"Cannot write %1: %2"_s.arg(path, file.errorString()));
    }
    return digest;
}

Result<QByteArray> BlobStore::read(const QString &sha512Hex) const
{
    if (!isDigest(sha512Hex)) {
        return Error::invalid(u"Not a blob address"_s);
    }
    QFile file(pathOf(sha512Hex));
    if (!file.open(QIODevice::ReadOnly)) {
        return Error::notFound(u"Blob %1 is missing"_s.arg(sha512Hex.left(16)));
    }
    return file.readAll();
}

Result<void> BlobStore::remove(const QString &sha512Hex)
{
    if (!isDigest(sha512Hex)) {
        return Error::invalid(u"Not a blob address"_s);
    }
    const QString path = pathOf(sha512Hex);
    if (QFile::exists(path) && !QFile::remove(path)) {
        return Error::storage(u"Cannot delete %1"_s.arg(path));
    }
    return {};
}

Result<int>
BlobStore::sweep(const std::function<Result<bool>(const QString &sha512Hex)> &isReferenced)
{
    int removed = 0;
    QDirIterator it(m_root + u"/sha512"_s,
                    QDir::Files | QDir::Hidden | QDir::System,
                    QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        const QString name = it.fileName();
        bool keep = false;
        if (isDigest(name) && path == pathOf(name)) {
            const Result<bool> referenced = isReferenced(name);
            if (!referenced) {
                return referenced.error();
            }
            keep = *referenced;
        }
        if (!keep) {
            if (!QFile::remove(path)) {
                return Error::storage(u"Cannot delete %1"_s.arg(path));
            }
            qCInfo(lcStore).noquote() << "Swept unreferenced blob file" << name.left(24);
            ++removed;
        }
    }
    return removed;
}

} // namespace Trove
