// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Helpers shared by the lockfile parsers (model/lockfile/*.cpp); not part of the model's API.

#include "model/lockfile/lockfile.h"

#include <QString>

#include <optional>
#include <vector>

namespace Trove::Lockfiles::Detail {

// "file:line: message" (line 0: "file: message") as an Invalid error.
Error errorAt(const QString &fileName, int line, const QString &message);

// What a dependency specifier (the part after `name@` in a yarn descriptor or a pnpm key) says
// about where the package comes from; nullopt for a protocol we do not know.
struct SpecKind
{
    LockfileEntry::Kind kind = LockfileEntry::Kind::Registry;
    QString reason;
};
std::optional<SpecKind> classifySpec(const QString &spec);

// The skip reason for `kind`, naming `where` (a path, URL or protocol) when given.
QString skipReason(LockfileEntry::Kind kind, const QString &where);

// Splits "name@spec" (the name may be scoped: "@scope/name@spec"); nullopt without a spec.
struct NameAndSpec
{
    QString name;
    QString spec;
};
std::optional<NameAndSpec> splitDescriptor(const QString &descriptor);

// A name npm could have published: "name" or "@scope/name", no spaces or control characters.
// (Stricter rules, such as GitLab's, would refuse old public names in capitals.)
bool isPlausibleName(const QString &name);

// What the escapes JSON, YAML's double-quoted strings and yarn classic share stand for
// (\\ \" \/ \n \t \r \b \f, the letter after the backslash); nullopt for any other.
std::optional<QChar> simpleEscape(QChar escape);

// 1-based line of byte `offset` in `content`.
int lineOf(const QByteArray &content, qsizetype offset);

// Dedupes (registry entries by name@version, keeping the first with a resolved URL and an
// integrity filled in from later ones; skipped entries by name@version and reason) and sorts.
Lockfile finish(Lockfile::Format format, QList<LockfileEntry> entries);

// A parsed document of the YAML subset that yarn berry and pnpm write: block mappings and
// sequences indented with spaces, plain, single- and double-quoted scalars, one-line flow
// mappings and sequences, comments. Anything else (anchors, tags, block scalars, multi-line
// scalars, several documents, tabs) is an error with its line.
struct YamlNode
{
    enum class Type { Scalar, Map, Sequence };

    Type type = Type::Scalar;
    QString scalar;
    std::vector<QString> keys; // Map: keys in order
    std::vector<int> keyLines; // Map: the line of each key
    std::vector<YamlNode> children; // Map: values parallel to keys; Sequence: items
    int line = 0;

    bool isMap() const { return type == Type::Map; }
    bool isScalar() const { return type == Type::Scalar; }
    // The value of `key` in a map, nullptr if absent (or if this is no map).
    const YamlNode *value(const QString &key) const;
    // The scalar of `key`, empty if absent or not a scalar.
    QString text(const QString &key) const;
};

Result<YamlNode> parseYaml(const QByteArray &content, const QString &fileName);

} // namespace Trove::Lockfiles::Detail
