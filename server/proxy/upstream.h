// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QString>
#include <QThread>
#include <QUrl>

#include <atomic>
#include <functional>
#include <memory>

class QNetworkAccessManager;

namespace Trove::Npm {
class StagedFile;
}

namespace Trove::Http {

// The HTTP client of the proxy (docs/proxy.md §5): one QNetworkAccessManager on a thread of its
// own, so that no server worker ever waits for the upstream. Fetches time out after
// `timeoutMs` without progress and are tried once more after a network error or a 502/503/504.
// Concurrent get()s of the same request share one fetch (single flight). Documents are kept in
// memory up to `maxDocumentBytes`; files stream to a staged file, hashed on the way, up to
// `maxFileBytes`.
class Upstream final
{
public:
    struct Config
    {
        int timeoutMs = 30 * 1000;
        int retries = 1;
        qint64 maxDocumentBytes = 64LL * 1024 * 1024;
        qint64 maxFileBytes = 500LL * 1024 * 1024;
    };

    struct Request
    {
        QUrl url;
        QByteArray ifNoneMatch;
        QByteArray accept = "application/json";
        // Set: the body goes to a new file in this folder (Reply::file), not to Reply::body.
        QString saveDir;
    };

    struct Reply
    {
        int status = 0; // 0: no HTTP answer; `error` says why
        QString error;
        bool tooLarge = false;
        QByteArray etag;
        QByteArray body;
        std::shared_ptr<Npm::StagedFile> file; // deleted with the last copy unless released
        QByteArray sha512; // hex, of the file
        QByteArray sha1; // hex, of the file
        qint64 size = 0;
    };

    // Called on the upstream's thread: do little there, or post the work elsewhere.
    using Callback = std::function<void(const Reply &)>;

    explicit Upstream(Config config);
    ~Upstream();
    Upstream(const Upstream &) = delete;
    Upstream &operator=(const Upstream &) = delete;

    void get(const Request &request, Callback done);
    // Runs `work` on the upstream's thread, after what is queued there.
    void post(std::function<void()> work);
    // Requests sent over the network, retries included.
    qint64 sent() const { return m_sent.load(); }
    const Config &config() const { return m_config; }
    // An object on the upstream's thread, as a context for timers and connections there.
    QObject *context() const { return m_context; }

private:
    struct Flight;
    void start(const QString &key, int attempt);
    void finish(const QString &key, const Reply &reply);

    const Config m_config;
    QThread m_thread;
    QObject *m_context = nullptr; // lives on m_thread
    QNetworkAccessManager *m_network = nullptr; // made and used on m_thread only
    QHash<QString, std::shared_ptr<Flight>> m_flights; // m_thread only
    std::atomic<qint64> m_sent{0};
};

} // namespace Trove::Http
