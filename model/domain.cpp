// SPDX-License-Identifier: GPL-3.0-or-later
#include "model/domain.h"

#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace Trove {

QString visibilityName(Visibility visibility)
{
    switch (visibility) {
    case Visibility::Private:
        return u"private"_s;
    case Visibility::Internal:
        return u"internal"_s;
    case Visibility::Public:
        return u"public"_s;
    }
    return {};
}

std::optional<Visibility> visibilityFromName(const QString &name)
{
    for (const Visibility v : {Visibility::Private, Visibility::Internal, Visibility::Public}) {
        if (name == visibilityName(v)) {
            return v;
        }
    }
    return std::nullopt;
}

QString accessLevelName(AccessLevel level)
{
    switch (level) {
    case AccessLevel::None:
        return u"none"_s;
    case AccessLevel::Guest:
        return u"guest"_s;
    case AccessLevel::Reporter:
        return u"reporter"_s;
    case AccessLevel::Developer:
        return u"developer"_s;
    case AccessLevel::Maintainer:
        return u"maintainer"_s;
    case AccessLevel::Owner:
        return u"owner"_s;
    case AccessLevel::Admin:
        return u"admin"_s;
    }
    return {};
}

std::optional<AccessLevel> accessLevelFromName(const QString &name)
{
    for (const AccessLevel level : {AccessLevel::Guest,
                                    AccessLevel::Reporter,
                                    AccessLevel::Developer,
                                    AccessLevel::Maintainer,
                                    AccessLevel::Owner,
                                    AccessLevel::Admin}) {
        if (name == accessLevelName(level)) {
            return level;
        }
    }
    return std::nullopt;
}

QString Project::rootNamespacePath() const
{
    return fullPath.section(u'/', 0, 0);
}

bool ProtectionRule::matches(const QString &packageName) const
{
    // GitLab: `name ILIKE pattern` with '*' as '%'.
    const QString expression =
        u'^' + QRegularExpression::escape(pattern).replace(u"\\*"_s, u".*"_s) + u'$';
    const QRegularExpression regex(expression, QRegularExpression::CaseInsensitiveOption);
    return regex.match(packageName).hasMatch();
}

} // namespace Trove
