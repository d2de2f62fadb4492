// SPDX-License-Identifier: GPL-3.0-or-later
// npm publish (docs/npm-api.md §5): the body streams through the decoder, then the model's one
// publishing pipeline commits it. npm deprecate sends its body the same way (deprecate.cpp).
#include "model/npm/publishbody.h"
#include "model/registry.h"
#include "server/httperror.h"
#include "server/npm/common.h"
#include "server/npmhandler.h"
#include "server/requestpipeline.h"

#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace Trove::Http {

namespace {

// A publish body streaming through the decoder (docs/http.md): the tarball goes to a staged file
// as it arrives, the rest of the JSON stays in memory.
class PublishSink final : public BodySink
{
public:
    PublishSink(const QString &stagingDir, const Npm::PublishBodyDecoder::Limits &limits)
        : m_decoder(stagingDir, limits)
    {
    }

    Result<void> write(QByteArrayView piece) override { return m_decoder.write(piece); }

    Result<void> finish() override
    {
        Result<Npm::DecodedPublishBody> decoded = m_decoder.finish();
        if (!decoded) {
            return decoded.error();
        }
        m_decoded = std::move(*decoded);
        return {};
    }

    const Npm::DecodedPublishBody &decoded() const { return m_decoded; }

private:
    Npm::PublishBodyDecoder m_decoder;
    Npm::DecodedPublishBody m_decoded;
};

} // namespace

Result<std::shared_ptr<BodySink>> NpmHandler::publishSink() const
{
    const Result<QString> staging = m_registry.blobs().stagingDir();
    if (!staging) {
        return staging.error();
    }
    Npm::PublishBodyDecoder::Limits limits;
    limits.maxAttachmentBytes = m_registry.packages().maxFileSize();
    return std::shared_ptr<BodySink>(std::make_shared<PublishSink>(*staging, limits));
}

Response
NpmHandler::publish(const NpmRoute &route, const RequestContext &context, const Actor &actor) const
{
    // A request admitted from its head (HttpServer with admit()) was authorized for its project
    // before a body byte was read; a handler called directly with the whole body is authorized
    // here.
    if (!RequestPipeline::admittedProject(context)) {
        if (std::optional<Response> refused = gate(route, context, actor)) {
            return std::move(*refused);
        }
    }
    const Result<Project> found = project(route);
    if (!found) {
        return errorResponse(found.error());
    }
    // The body streamed through the decoder (HttpServer with admit()), or arrived whole (a
    // handler called directly): decoded the same way either way.
    const auto *streamed = dynamic_cast<const PublishSink *>(context.sink.get());
    std::shared_ptr<BodySink> decodedHere;
    if (!streamed) {
        Result<std::shared_ptr<BodySink>> sink = publishSink();
        if (!sink) {
            return errorResponse(sink.error());
        }
        decodedHere = std::move(*sink);
        if (const Result<void> written = decodedHere->write(context.body); !written) {
            return errorResponse(written.error());
        }
        if (const Result<void> finished = decodedHere->finish(); !finished) {
            return errorResponse(finished.error());
        }
        streamed = static_cast<const PublishSink *>(decodedHere.get());
    }
    const Npm::DecodedPublishBody &decoded = streamed->decoded();
    if (context.header("npm-command") == "deprecate") {
        // The decoder has checked the JSON's syntax already.
        return deprecate(*found, route, QJsonDocument::fromJson(decoded.json).object(), actor);
    }

    // One pipeline for every publish (the window's too): the body's fields, GitLab's checks, the
    // tarball, then the commit (docs/npm-api.md §5).
    const Result<Package> published =
        m_registry.packages().publish(*found, route.packageName, decoded, actor);
    if (!published) {
        return errorResponse(published.error());
    }
    return jsonObject(200,
                      {{u"ok"_s, true},
                       {u"id"_s, published->id},
                       {u"name"_s, published->name},
                       {u"version"_s, published->version}});
}

} // namespace Trove::Http
