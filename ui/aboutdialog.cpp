// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/aboutdialog.h"

#include <QApplication>
#include <QDialogButtonBox>
#include <QDir>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QIcon>
#include <QLabel>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;
using Trove::ServerStatus;

namespace {

QLabel *selectable(const QString &text, const QString &name)
{
    auto *label = new QLabel(text);
    label->setObjectName(name);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::LinksAccessibleByMouse);
    return label;
}

} // namespace

AboutDialog::AboutDialog(const QString &dataFolder, const ServerStatus &status, QWidget *parent)
    : QDialog(parent)
{
    setWindowTitle(tr("About Trove"));

    auto *icon = new QLabel;
    icon->setPixmap(QApplication::windowIcon().pixmap(64, 64));
    auto *title = new QLabel(u"<h2>Trove %1</h2>"_s.arg(QCoreApplication::applicationVersion()));
    title->setObjectName(u"aboutVersion"_s);
    auto *summary = new QLabel(tr("An npm package registry for your desktop, compatible with "
                                  "GitLab's npm package registry."));
    summary->setWordWrap(true);
    auto *heading = new QVBoxLayout;
    heading->addWidget(title);
    heading->addWidget(summary);
    auto *top = new QHBoxLayout;
    top->addWidget(icon, 0, Qt::AlignTop);
    top->addLayout(heading, 1);

    auto *form = new QFormLayout;
    auto *licence = selectable(
        tr("GNU General Public License, version 3 or later (GPL-3.0-or-later)"), u"aboutLicence"_s);
    licence->setWordWrap(true);
    form->addRow(tr("Licence:"), licence);
    // Built against one Qt and running on another after a library update: both matter in a
    // bug report.
    const QString runtime = QString::fromLatin1(qVersion());
    const QString built = QStringLiteral(QT_VERSION_STR);
    form->addRow(
        tr("Qt:"),
        selectable(runtime == built ? runtime : tr("%1 (built with %2)").arg(runtime, built),
                   u"aboutQt"_s));
    form->addRow(tr("Data folder:"),
                 selectable(QDir::toNativeSeparators(dataFolder), u"aboutDataFolder"_s));
    form->addRow(tr("Registry:"), selectable(addressText(status), u"aboutAddress"_s));

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addLayout(form);
    layout->addWidget(buttons);
}

QString AboutDialog::addressText(const ServerStatus &status)
{
    switch (status.state) {
    case ServerStatus::State::Running:
        return status.url();
    case ServerStatus::State::Starting:
        return tr("starting on %1:%2").arg(status.host).arg(status.requestedPort);
    case ServerStatus::State::Failed:
        return tr("not running: %1").arg(status.error);
    case ServerStatus::State::Stopped:
        break;
    }
    return tr("stopped");
}
