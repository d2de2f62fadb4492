// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDialog>
#include <QStringList>

class QTextBrowser;

// Help ▸ Getting Started: the user's part of the README (installing, the window, running the
// registry, administration, the endpoints), shipped in the program as a resource and rendered
// as Markdown, so it is there offline and matches the version that runs.
class GettingStartedDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(GettingStartedDialog)

public:
    explicit GettingStartedDialog(QWidget *parent = nullptr);

    // The README's level-2 sections whose titles start with one of these, in this order.
    static const QStringList &sectionTitles();
    // The Markdown shown: those sections of `readme`, without the screenshots (files of the
    // source tree, not of the program) and without the build-from-source parts.
    static QString userPart(const QString &readme);
    // The README as built into the program.
    static QString builtInReadme();

    QTextBrowser *browser() const { return m_browser; }

private:
    QTextBrowser *m_browser = nullptr;
};
