// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/welcomeview.h"

#include "ui/trayicon.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

WelcomeView::WelcomeView(QWidget *parent)
    : QWidget(parent)
{
    setObjectName(u"welcomeView"_s);
    setBackgroundRole(QPalette::Base);
    setAutoFillBackground(true);

    auto *icon = new QLabel;
    icon->setPixmap(TrayIcon::applicationIcon().pixmap(64, 64));
    icon->setAlignment(Qt::AlignHCenter);
    icon->setMinimumHeight(64);

    auto *title = new QLabel(tr("Welcome to Trove"));
    title->setObjectName(u"welcomeTitle"_s);
    QFont font = title->font();
    font.setBold(true);
    font.setPointSizeF(font.pointSizeF() * 1.5);
    title->setFont(font);
    title->setAlignment(Qt::AlignHCenter);

    auto *what = new QLabel(
        tr("Trove is an npm registry for your team, running on this computer. npm, yarn and pnpm "
           "publish your packages to it and install them from it, under your team's @scope, with "
           "tokens and roles as in GitLab's package registry. Other packages can still come from "
           "the public registry."));
    what->setObjectName(u"welcomeText"_s);
    what->setWordWrap(true);
    what->setAlignment(Qt::AlignHCenter);

    m_setup = new QPushButton(tr("&Set Up a Registry for Your Team…"));
    m_setup->setObjectName(u"setupButton"_s);
    m_setup->setDefault(true);
    connect(m_setup, &QPushButton::clicked, this, &WelcomeView::setupRequested);

    auto *how = new QLabel(
        tr("One sheet creates your team's group (its path is the npm scope), a first project to "
           "publish to, your user with a role and a token, and then writes the .npmrc your "
           "clients need."));
    how->setObjectName(u"welcomeHow"_s);
    how->setWordWrap(true);
    how->setAlignment(Qt::AlignHCenter);
    how->setForegroundRole(QPalette::PlaceholderText);

    auto *column = new QWidget;
    column->setMaximumWidth(560);
    auto *inner = new QVBoxLayout(column);
    inner->setSpacing(12);
    inner->addWidget(icon);
    inner->addWidget(title);
    inner->addWidget(what);
    inner->addSpacing(8);
    inner->addWidget(m_setup, 0, Qt::AlignHCenter);
    inner->addWidget(how);

    // Centred without an alignment flag: an aligned widget gets its size hint's height, too
    // short for the wrapped text at the width it ends up with.
    auto *row = new QHBoxLayout;
    row->addStretch(1);
    row->addWidget(column, 4);
    row->addStretch(1);
    auto *layout = new QVBoxLayout(this);
    layout->addStretch(1);
    layout->addLayout(row);
    layout->addStretch(2);
}
