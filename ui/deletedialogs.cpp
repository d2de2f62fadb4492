// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/deletedialogs.h"

#include "ui/async.h"

#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QTextBrowser>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;
using namespace Trove;

namespace {

// Longer lists are cut: the dialog is read, not scrolled through for minutes.
constexpr int MaxListed = 40;

QString bullet(const QString &line)
{
    return u"  • "_s + line;
}

QString versionCount(int count)
{
    return count == 1 ? DeleteDialog::tr("1 version")
                      : DeleteDialog::tr("%n versions", nullptr, count);
}

// English without a translation loaded: "1 package", "2 packages" (`many` has %1 for n).
QString counted(qsizetype n, const QString &one, const QString &many)
{
    return n == 1 ? one : many.arg(QLocale().toString(n));
}

void appendCut(QStringList *lines, qsizetype total)
{
    if (total > MaxListed) {
        lines->append(bullet(DeleteDialog::tr("…and %1 more").arg(total - MaxListed)));
    }
}

} // namespace

DeleteDialog::DeleteDialog(const QString &title,
                           const QString &heading,
                           const QString &actionText,
                           QWidget *parent)
    : QDialog(parent)
{
    setObjectName(u"deleteDialog"_s);
    setWindowTitle(title);
    m_heading = new QLabel(heading);
    m_heading->setObjectName(u"deleteHeading"_s);
    m_heading->setTextFormat(Qt::PlainText);
    m_heading->setWordWrap(true);
    QFont font = m_heading->font();
    font.setBold(true);
    m_heading->setFont(font);

    m_impact = new QTextBrowser;
    m_impact->setObjectName(u"deleteImpact"_s);
    m_impact->setPlainText(tr("Checking what depends on it…"));
    m_impact->setFrameShape(QFrame::NoFrame);
    m_impact->setFocusPolicy(Qt::NoFocus);
    // Text of the dialog, not a document to edit: the dialog's own background.
    QPalette palette = m_impact->palette();
    palette.setBrush(QPalette::Base, palette.brush(QPalette::Window));
    m_impact->setPalette(palette);

    auto *undo = new QLabel(tr("Deleting cannot be undone."));
    undo->setObjectName(u"deleteWarning"_s);

    m_confirmLabel = new QLabel;
    m_confirmLabel->setTextFormat(Qt::PlainText);
    m_confirmLabel->setWordWrap(true);
    m_confirmLabel->hide();
    m_confirm = new QLineEdit;
    m_confirm->setObjectName(u"deleteConfirmEdit"_s);
    m_confirm->hide();
    m_confirmLabel->setBuddy(m_confirm);
    connect(m_confirm, &QLineEdit::textChanged, this, &DeleteDialog::updateButtons);

    m_error = new QLabel;
    m_error->setObjectName(u"deleteError"_s);
    m_error->setTextFormat(Qt::PlainText);
    m_error->setWordWrap(true);
    m_error->setStyleSheet(u"color: #c0392b;"_s);
    m_error->hide();

    auto *buttons = new QDialogButtonBox;
    m_cancel = buttons->addButton(QDialogButtonBox::Cancel);
    m_cancel->setObjectName(u"cancelButton"_s);
    m_delete = buttons->addButton(actionText, QDialogButtonBox::AcceptRole);
    m_delete->setObjectName(u"deleteButton"_s);
    // Cancel is what Return does: deleting takes a deliberate click.
    m_delete->setAutoDefault(false);
    m_cancel->setDefault(true);
    m_delete->setStyleSheet(u"QPushButton:enabled { color: #c0392b; }"_s);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_heading);
    layout->addWidget(m_impact, 1);
    layout->addWidget(undo);
    layout->addWidget(m_confirmLabel);
    layout->addWidget(m_confirm);
    layout->addWidget(m_error);
    layout->addWidget(buttons);
    resize(640, 400);
    updateButtons();
    m_cancel->setFocus();
}

void DeleteDialog::setImpact(const QString &text)
{
    m_impact->setPlainText(text);
    m_impactKnown = true;
    updateButtons();
}

void DeleteDialog::setImpactError(const QString &message)
{
    setImpact(tr("What depends on it could not be read: %1").arg(message));
}

void DeleteDialog::requireTypedConfirmation(const QString &text)
{
    m_confirmText = text;
    m_confirmLabel->setText(tr("To confirm, type “%1”:").arg(text));
    m_confirmLabel->show();
    m_confirm->show();
    m_confirm->setPlaceholderText(text);
    updateButtons();
}

void DeleteDialog::setWrite(std::function<Result<QString>()> write, QThreadPool *pool)
{
    m_write = std::move(write);
    m_pool = pool;
}

QString DeleteDialog::impactText() const
{
    return m_impact->toPlainText();
}

QString DeleteDialog::errorText() const
{
    return m_error->isVisible() || !m_error->text().isEmpty() ? m_error->text() : QString();
}

void DeleteDialog::updateButtons()
{
    const bool typed = m_confirmText.isEmpty() || m_confirm->text() == m_confirmText;
    m_delete->setEnabled(m_impactKnown && typed && !m_writing);
    m_cancel->setEnabled(!m_writing);
}

void DeleteDialog::done(int result)
{
    if (result != QDialog::Accepted || !m_write) {
        if (!m_writing) {
            QDialog::done(result);
        }
        return;
    }
    if (m_writing || !m_delete->isEnabled()) {
        return;
    }
    m_writing = true;
    m_error->clear();
    m_error->hide();
    updateButtons();
    Ui::runAsync(this, m_pool, m_write, [this](const Result<QString> &written) {
        m_writing = false;
        updateButtons();
        if (!written) {
            m_error->setText(tr("Not deleted: %1").arg(written.error().message));
            m_error->show();
            emit writeFinished(false, written.error().message);
            return;
        }
        emit writeFinished(true, *written);
        QDialog::done(QDialog::Accepted);
    });
}

QString DeleteDialog::versionsImpact(const QString &name,
                                     const PackageService::DeletionImpact &impact)
{
    QStringList lines;
    if (impact.wholePackage) {
        lines.append(tr("Every version of %1 goes (%2): %3.")
                         .arg(name,
                              versionCount(int(impact.versions.size())),
                              impact.versions.mid(0, MaxListed).join(u", "_s)));
        lines.append(tr("npm view and npm install of %1 then answer 404 Not Found.").arg(name));
    } else {
        lines.append(tr("Versions that go: %1.").arg(impact.versions.join(u", "_s)));
        lines.append(tr("Installs that ask for exactly these versions, and lockfiles that name "
                        "them, then fail with 404 Not Found."));
    }
    lines.append(QString());
    if (impact.tags.isEmpty()) {
        lines.append(tr("No dist-tag points at them."));
    } else {
        lines.append(tr("Dist-tags:"));
        for (const auto &tag : impact.tags) {
            lines.append(bullet(tag.to.isEmpty()
                                    ? tr("%1 goes (it points at %2)").arg(tag.tag, tag.from)
                                    : tr("%1 moves from %2 to %3").arg(tag.tag, tag.from, tag.to)));
        }
    }
    lines.append(QString());
    if (impact.dependents.isEmpty()) {
        lines.append(impact.wholePackage
                         ? tr("No other package in this registry depends on %1.").arg(name)
                         : tr("No other package in this registry depends on these versions."));
    } else {
        lines.append(
            tr("Packages in this registry that depend on %1 (%2):")
                .arg(name, counted(impact.dependents.size(), tr("1 version"), tr("%1 versions"))));
        for (qsizetype i = 0; i < impact.dependents.size() && i < MaxListed; ++i) {
            const auto &dependent = impact.dependents.at(i);
            const QString outcome = dependent.resolvesTo.isEmpty()
                ? tr("no longer resolves")
                : tr("still resolves, to %1").arg(dependent.resolvesTo);
            lines.append(bullet(tr("%1 %2 in %3: %4 “%5” — %6")
                                    .arg(dependent.name,
                                         dependent.version,
                                         dependent.projectPath,
                                         dependent.kind,
                                         dependent.range,
                                         outcome)));
        }
        appendCut(&lines, impact.dependents.size());
    }
    return lines.join(u'\n');
}

QString DeleteDialog::projectImpact(const QString &projectPath,
                                    const QList<PackageSummary> &packages)
{
    QStringList lines;
    int versions = 0;
    for (const PackageSummary &package : packages) {
        versions += package.versionCount;
    }
    if (packages.isEmpty()) {
        lines.append(tr("The project %1 holds no packages.").arg(projectPath));
    } else {
        lines.append(tr("Its packages go with it: %1, ")
                         .arg(counted(packages.size(), tr("1 package"), tr("%1 packages")))
                     + versionCount(versions) + u':');
        for (qsizetype i = 0; i < packages.size() && i < MaxListed; ++i) {
            lines.append(bullet(
                tr("%1 (%2)").arg(packages.at(i).name, versionCount(packages.at(i).versionCount))));
        }
        appendCut(&lines, packages.size());
        lines.append(tr("npm view and npm install of them then answer 404 Not Found."));
    }
    lines.append(QString());
    lines.append(tr("Its members, deploy tokens, CI job tokens and protection rules go too."));
    return lines.join(u'\n');
}

QString DeleteDialog::groupImpact(const QString &groupPath,
                                  const QStringList &subgroups,
                                  const QStringList &projects,
                                  const QList<PackageSummary> &packages)
{
    if (subgroups.isEmpty() && projects.isEmpty()) {
        return tr("The group %1 is empty: nothing else goes with it.").arg(groupPath);
    }
    QStringList lines;
    lines.append(tr("Everything inside %1 goes with it:").arg(groupPath));
    if (!subgroups.isEmpty()) {
        lines.append(bullet(counted(subgroups.size(), tr("1 subgroup: "), tr("%1 subgroups: "))
                            + subgroups.mid(0, MaxListed).join(u", "_s)));
    }
    if (!projects.isEmpty()) {
        lines.append(bullet(counted(projects.size(), tr("1 project: "), tr("%1 projects: "))
                            + projects.mid(0, MaxListed).join(u", "_s)));
    }
    int versions = 0;
    for (const PackageSummary &package : packages) {
        versions += package.versionCount;
    }
    lines.append(bullet(counted(packages.size(), tr("1 package, "), tr("%1 packages, "))
                        + versionCount(versions)));
    for (qsizetype i = 0; i < packages.size() && i < MaxListed; ++i) {
        lines.append(u"      "_s
                     + tr("%1 in %2 (%3)")
                           .arg(packages.at(i).name,
                                packages.at(i).projectPath,
                                versionCount(packages.at(i).versionCount)));
    }
    appendCut(&lines, packages.size());
    lines.append(QString());
    lines.append(tr("GitLab deletes a group only when it is empty, or with everything in it "
                    "once its full path is typed."));
    return lines.join(u'\n');
}

QString DeleteDialog::userImpact(const QString &username, int usableTokens, int roles)
{
    QStringList lines;
    lines.append(usableTokens == 0
                     ? tr("%1 has no usable token.").arg(username)
                     : counted(usableTokens,
                               tr("1 token of %2 is revoked: npm requests with it answer 401 "
                                  "from then on."),
                               tr("%1 tokens of %2 are revoked: npm requests with them answer "
                                  "401 from then on."))
                           .arg(username));
    lines.append(roles == 0 ? tr("%1 has no role in any group or project.").arg(username)
                            : counted(roles,
                                      tr("1 role in a group or project goes."),
                                      tr("%1 roles in groups and projects go.")));
    lines.append(tr("Versions %1 published stay, with their name.").arg(username));
    return lines.join(u'\n');
}
