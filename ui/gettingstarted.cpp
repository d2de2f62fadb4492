// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/gettingstarted.h"

#include <QDesktopServices>
#include <QDialogButtonBox>
#include <QFile>
#include <QRegularExpression>
#include <QTextBrowser>
#include <QUrl>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

GettingStartedDialog::GettingStartedDialog(QWidget *parent)
    : QDialog(parent)
{
    setWindowTitle(tr("Getting Started with Trove"));
    m_browser = new QTextBrowser;
    m_browser->setObjectName(u"gettingStartedText"_s);
    // Links inside the README point at files of the source tree, which the program does not
    // have; only web links open (in the browser).
    m_browser->setOpenLinks(false);
    connect(m_browser, &QTextBrowser::anchorClicked, this, [](const QUrl &url) {
        if (url.scheme() == u"https"_s || url.scheme() == u"http"_s) {
            QDesktopServices::openUrl(url);
        }
    });
    m_browser->setMarkdown(userPart(builtInReadme()));

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_browser);
    layout->addWidget(buttons);
    resize(820, 700);
}

const QStringList &GettingStartedDialog::sectionTitles()
{
    static const QStringList titles{
        u"Install from the .deb"_s,
        u"The window"_s,
        u"Running the registry"_s,
        u"Administration from scripts"_s,
        u"Endpoints"_s,
        u"Licence"_s,
    };
    return titles;
}

QString GettingStartedDialog::builtInReadme()
{
    QFile file(u":/trove/README.md"_s);
    if (!file.open(QIODevice::ReadOnly)) {
        return {};
    }
    return QString::fromUtf8(file.readAll());
}

QString GettingStartedDialog::userPart(const QString &readme)
{
    // Level-2 sections by title; a "## " inside a code block is not a heading.
    QList<QStringList> sections(sectionTitles().size());
    qsizetype current = -1;
    bool inFence = false;
    static const QRegularExpression imageOnlyRow(u"^\\|[\\s|:-]*\\|$"_s);
    const QStringList lines = readme.split(u'\n');
    for (const QString &line : lines) {
        if (line.startsWith(u"```"_s)) {
            inFence = !inFence;
        }
        if (!inFence && line.startsWith(u"## "_s)) {
            const QString title = line.mid(3).trimmed();
            current = -1;
            for (qsizetype i = 0; i < sectionTitles().size(); ++i) {
                if (title.startsWith(sectionTitles().at(i))) {
                    current = i;
                    break;
                }
            }
        }
        if (current < 0) {
            continue;
        }
        // Screenshots are files of the source tree: their lines (and the tables that only
        // lay them out) would show as broken images.
        if (!inFence && (line.contains(u"!["_s) || imageOnlyRow.match(line).hasMatch())) {
            continue;
        }
        sections[current].append(line);
    }
    QString markdown = tr("# Getting Started\n\n");
    for (const QStringList &section : std::as_const(sections)) {
        if (!section.isEmpty()) {
            markdown += section.join(u'\n').trimmed() + u"\n\n"_s;
        }
    }
    return markdown;
}
