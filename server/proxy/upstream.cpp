// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/proxy/upstream.h"

#include "model/npm/publishbody.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QUuid>

using namespace Qt::StringLiterals;

namespace Trove::Http {

struct Upstream::Flight
{
    Request request;
    QList<Callback> waiters;
    QNetworkReply *reply = nullptr;
    std::unique_ptr<QFile> out;
    std::shared_ptr<Npm::StagedFile> file;
    QCryptographicHash sha512{QCryptographicHash::Sha512};
    QCryptographicHash sha1{QCryptographicHash::Sha1};
    QByteArray body;
    qint64 size = 0;
    bool tooLarge = false;
    QString failure; // a local failure (the staged file), not the network's
};

Upstream::Upstream(Config config)
    : m_config(config)
{
    m_thread.setObjectName(u"trove-upstream"_s);
    m_context = new QObject;
    m_context->moveToThread(&m_thread);
    m_thread.start();
}

Upstream::~Upstream()
{
    // Waiters of fetches still running are dropped: their connections give up on their own.
    QMetaObject::invokeMethod(
        m_context,
        [this] {
            for (const std::shared_ptr<Flight> &flight : std::as_const(m_flights)) {
                if (flight->reply) {
                    flight->reply->disconnect();
                    flight->reply->abort();
                    flight->reply->deleteLater();
                }
            }
            m_flights.clear();
            delete m_network;
            m_network = nullptr;
            // Timers and the like made on this thread end on it, the context too: a finishing
            // thread deletes what was handed to deleteLater() (deleting it from here, after
            // the thread stopped, made Qt warn about timers stopped from another thread).
            qDeleteAll(m_context->children());
            m_context->deleteLater();
        },
        Qt::BlockingQueuedConnection);
    m_thread.quit();
    m_thread.wait();
    m_context = nullptr;
}

void Upstream::post(std::function<void()> work)
{
    QMetaObject::invokeMethod(m_context, std::move(work), Qt::QueuedConnection);
}

void Upstream::get(const Request &request, Callback done)
{
    post([this, request, done = std::move(done)]() mutable {
        const QString key = request.url.toString() + u'\n'
            + QString::fromLatin1(request.ifNoneMatch) + u'\n' + QString::fromLatin1(request.accept)
            + u'\n' + request.saveDir;
        if (const auto it = m_flights.constFind(key); it != m_flights.cend()) {
            (*it)->waiters.append(std::move(done)); // single flight: wait for the one under way
            return;
        }
        auto flight = std::make_shared<Flight>();
        flight->request = request;
        flight->waiters.append(std::move(done));
        m_flights.insert(key, flight);
        start(key, 0);
    });
}

void Upstream::start(const QString &key, int attempt)
{
    const std::shared_ptr<Flight> flight = m_flights.value(key);
    if (!flight) {
        return;
    }
    if (!m_network) {
        m_network = new QNetworkAccessManager;
    }
    flight->body.clear();
    flight->size = 0;
    flight->tooLarge = false;
    flight->sha512.reset();
    flight->sha1.reset();
    if (!flight->request.saveDir.isEmpty()) {
        const QString path =
            QDir(flight->request.saveDir)
                .filePath(u"proxy-"_s + QUuid::createUuid().toString(QUuid::Id128));
        flight->file = std::make_shared<Npm::StagedFile>(path);
        flight->out = std::make_unique<QFile>(path);
        if (!flight->out->open(QIODevice::WriteOnly | QIODevice::Truncate)) {
            Reply reply;
            reply.error = u"cannot write %1: %2"_s.arg(path, flight->out->errorString());
            finish(key, reply);
            return;
        }
    }
    QNetworkRequest request(flight->request.url);
    request.setTransferTimeout(m_config.timeoutMs);
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                         QNetworkRequest::NoLessSafeRedirectPolicy);
    request.setRawHeader("Accept", flight->request.accept);
    if (!flight->request.ifNoneMatch.isEmpty()) {
        request.setRawHeader("If-None-Match", flight->request.ifNoneMatch);
    }
    ++m_sent;
    QNetworkReply *reply = m_network->get(request);
    flight->reply = reply;
    const qint64 limit = flight->out ? m_config.maxFileBytes : m_config.maxDocumentBytes;
    QObject::connect(reply, &QNetworkReply::readyRead, m_context, [flight, reply, limit] {
        const QByteArray piece = reply->readAll();
        flight->size += piece.size();
        if (flight->size > limit) {
            flight->tooLarge = true;
            reply->abort();
            return;
        }
        if (flight->out) {
            flight->sha512.addData(piece);
            flight->sha1.addData(piece);
            if (flight->out->write(piece) != piece.size()) {
                flight->failure = flight->out->errorString();
                reply->abort();
            }
            return;
        }
        flight->body += piece;
    });
    QObject::connect(
        reply, &QNetworkReply::finished, m_context, [this, key, flight, reply, attempt] {
            reply->deleteLater();
            flight->reply = nullptr;
            if (m_flights.value(key) != flight) {
                return;
            }
            const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
            Reply answer;
            answer.status = flight->tooLarge || !flight->failure.isEmpty() ? 0 : status;
            if (flight->tooLarge) {
                answer.tooLarge = true;
                answer.error = u"the upstream's answer is larger than %1 bytes"_s.arg(
                    flight->out ? m_config.maxFileBytes : m_config.maxDocumentBytes);
            } else if (!flight->failure.isEmpty()) {
                answer.error = flight->failure;
            } else if (status == 0) {
                answer.error = reply->errorString();
            }
            const bool transient = answer.status == 0 || answer.status == 502
                || answer.status == 503 || answer.status == 504;
            if (transient && !answer.tooLarge && flight->failure.isEmpty()
                && attempt < m_config.retries) {
                flight->out.reset();
                flight->file.reset();
                start(key, attempt + 1);
                return;
            }
            if (answer.status != 0) {
                answer.etag = reply->rawHeader("ETag");
                if (flight->out) {
                    answer.file = flight->file;
                    answer.sha512 = flight->sha512.result().toHex();
                    answer.sha1 = flight->sha1.result().toHex();
                    answer.size = flight->size;
                } else {
                    answer.body = std::move(flight->body);
                    answer.size = answer.body.size();
                }
            }
            if (flight->out) {
                flight->out->flush();
                flight->out.reset();
            }
            finish(key, answer);
        });
}

void Upstream::finish(const QString &key, const Reply &reply)
{
    const std::shared_ptr<Flight> flight = m_flights.take(key);
    if (!flight) {
        return;
    }
    flight->file.reset(); // the reply's copy keeps it while a waiter wants it
    for (const Callback &waiter : std::as_const(flight->waiters)) {
        waiter(reply);
    }
}

} // namespace Trove::Http
