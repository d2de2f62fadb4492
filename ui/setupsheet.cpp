// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/setupsheet.h"

#include "model/registry.h"
#include "model/store/userstore.h"
#include "ui/async.h"
#include "ui/confirm.h"
#include "ui/namedialogs.h"
#include "ui/usersdialog.h"

#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QDir>
#include <QFontDatabase>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSysInfo>
#include <QVBoxLayout>
#include <QWizardPage>

using namespace Qt::StringLiterals;
using namespace Trove;

// One step of the sheet: fields in a form, the reason (or a hint) under them, and the write that
// runs when the user goes on. Not in an anonymous namespace: the sheet names it as a friend.
class SetupStepPage final : public QWizardPage
{
public:
    SetupStepPage(SetupSheet *sheet, const QString &title, const QString &subTitle)
        : m_sheet(sheet)
    {
        setTitle(title);
        setSubTitle(subTitle);
        auto *layout = new QVBoxLayout(this);
        form = new QFormLayout;
        layout->addLayout(form);
        m_reason = new QLabel;
        m_reason->setObjectName(u"setupReason"_s);
        m_reason->setWordWrap(true);
        m_reason->setTextInteractionFlags(Qt::TextSelectableByMouse);
        layout->addWidget(m_reason);
        layout->addStretch(1);
    }

    // Why the input cannot be used ("" when it can), and what to say when it can.
    std::function<QString()> check;
    std::function<QString()> hint;
    // Starts the write; it ends with finish("") or finish(reason).
    std::function<void(SetupStepPage *)> write;
    QFormLayout *form = nullptr;

    void refresh()
    {
        if (!m_writing) {
            const QString why = check ? check() : QString();
            showReason(why.isEmpty() && hint ? hint() : why, !why.isEmpty());
        }
        emit completeChanged();
    }

    bool isComplete() const override { return !m_writing && (!check || check().isEmpty()); }

    bool validatePage() override
    {
        if (m_written || !write) {
            return true;
        }
        // Return in a field also lands here, where the disabled button does not guard.
        if (m_writing || !isComplete()) {
            return false;
        }
        m_writing = true;
        showReason(SetupSheet::tr("Saving…"), false);
        emit completeChanged();
        write(this);
        return false;
    }

    void finish(const QString &error)
    {
        m_writing = false;
        if (!error.isEmpty()) {
            showReason(error, true);
            emit completeChanged();
            emit m_sheet->writeFinished(false, error);
            return;
        }
        m_written = true;
        emit completeChanged();
        emit m_sheet->writeFinished(true, QString());
        m_sheet->next();
    }

    QString reason() const { return m_reason->text(); }
    bool isWriting() const { return m_writing; }

private:
    void showReason(const QString &text, bool problem)
    {
        m_reason->setText(text);
        // As NameInputDialog: a problem in red, a hint in the normal text colour.
        m_reason->setStyleSheet(problem ? u"color: #c0392b;"_s : QString());
    }

    SetupSheet *m_sheet;
    QLabel *m_reason = nullptr;
    bool m_writing = false;
    bool m_written = false;
};

namespace {

QLineEdit *lineEdit(const char *name, const QString &placeholder)
{
    auto *edit = new QLineEdit;
    edit->setObjectName(QString::fromLatin1(name));
    edit->setPlaceholderText(placeholder);
    return edit;
}

} // namespace

SetupSheet::SetupSheet(Registry &registry, QWidget *parent)
    : QWizard(parent)
    , m_registry(registry)
{
    setObjectName(u"setupSheet"_s);
    setWindowTitle(tr("Set Up a Registry for Your Team"));
    setOption(QWizard::NoBackButtonOnStartPage);
    setOption(QWizard::NoBackButtonOnLastPage);
    buildGroupPage();
    buildProjectPage();
    buildUserPage();
    buildTokenPage();
    buildSecretPage();
    setButtonText(QWizard::FinishButton, tr("&Connect a Client…"));
    resize(620, 460);
}

QString SetupSheet::suggestedUsername()
{
    QString name = qEnvironmentVariable("USER");
    if (name.isEmpty()) {
        name = qEnvironmentVariable("LOGNAME");
    }
    if (name.isEmpty()) {
        name = QDir::home().dirName();
    }
    name = name.toLower();
    return NameInputDialog::problem(NameInputDialog::Kind::User, name).isEmpty() ? name : QString();
}

QString SetupSheet::reason() const
{
    const auto *page = dynamic_cast<const SetupStepPage *>(currentPage());
    return page ? page->reason() : QString();
}

bool SetupSheet::isWriting() const
{
    const auto *page = dynamic_cast<const SetupStepPage *>(currentPage());
    return page && page->isWriting();
}

void SetupSheet::buildGroupPage()
{
    auto *page = new SetupStepPage(
        this,
        tr("Your team's group"),
        tr("A top-level group holds your team's projects. Its path is the npm scope of every "
           "package in it: the group acme publishes @acme/…"));
    auto *path = lineEdit("groupPathEdit", tr("e.g. acme"));
    page->form->addRow(tr("Group &path:"), path);
    page->check = [path] {
        return NameInputDialog::problem(NameInputDialog::Kind::TopLevelGroup, path->text());
    };
    page->hint = [path] {
        return tr("Packages in it will be named @%1/…").arg(path->text().trimmed());
    };
    connect(path, &QLineEdit::textChanged, page, [page] { page->refresh(); });
    page->write = [this, path](SetupStepPage *step) {
        Registry *registry = &m_registry;
        const QString value = path->text().trimmed();
        Ui::runAsync(
            step,
            nullptr,
            [registry, value] {
                return registry->namespaces().createGroup(value, Visibility::Private);
            },
            [this, step](const Result<Group> &group) {
                if (group) {
                    m_group = *group;
                }
                step->finish(group ? QString() : group.error().message);
            });
    };
    page->setCommitPage(true);
    page->setButtonText(QWizard::CommitButton, tr("Create &Group"));
    page->refresh();
    setPage(GroupPage, page);
}

void SetupSheet::buildProjectPage()
{
    auto *page = new SetupStepPage(
        this,
        tr("A first project"),
        tr("Packages are published to a project: one repository's packages, or a few that "
           "belong together. Installs read every project of the group."));
    auto *path = lineEdit("projectPathEdit", tr("e.g. web"));
    page->form->addRow(tr("Project &path:"), path);
    page->check = [path] {
        return NameInputDialog::problem(NameInputDialog::Kind::Project, path->text());
    };
    page->hint = [this, path] {
        return tr("npm publish sends @%1/… packages to %1/%2.")
            .arg(m_group.fullPath, path->text().trimmed());
    };
    connect(path, &QLineEdit::textChanged, page, [page] { page->refresh(); });
    page->write = [this, path](SetupStepPage *step) {
        Registry *registry = &m_registry;
        const QString full = m_group.fullPath + u'/' + path->text().trimmed();
        Ui::runAsync(
            step,
            nullptr,
            [registry, full] {
                return registry->namespaces().createProject(full, Visibility::Private);
            },
            [this, step](const Result<Project> &project) {
                if (project) {
                    m_project = *project;
                }
                step->finish(project ? QString() : project.error().message);
            });
    };
    page->setCommitPage(true);
    page->setButtonText(QWizard::CommitButton, tr("Create P&roject"));
    page->refresh();
    setPage(ProjectPage, page);
}

void SetupSheet::buildUserPage()
{
    auto *page = new SetupStepPage(
        this,
        tr("You"),
        tr("Tokens belong to users, and a user's role in the group decides what their tokens "
           "may do. Your login name is suggested."));
    auto *name = lineEdit("usernameEdit", tr("e.g. mia"));
    name->setText(suggestedUsername());
    auto *role = new QComboBox;
    role->setObjectName(u"roleCombo"_s);
    for (const AccessLevel level : {AccessLevel::Reporter,
                                    AccessLevel::Developer,
                                    AccessLevel::Maintainer,
                                    AccessLevel::Owner}) {
        role->addItem(accessLevelName(level), int(level));
    }
    role->setCurrentIndex(role->count() - 1);
    auto *roleText = new QLabel;
    roleText->setObjectName(u"roleDescription"_s);
    roleText->setWordWrap(true);
    const auto describe = [role, roleText] {
        roleText->setText(UsersDialog::roleDescription(AccessLevel(role->currentData().toInt())));
    };
    describe();
    connect(role, &QComboBox::currentIndexChanged, roleText, describe);
    page->form->addRow(tr("&Username:"), name);
    page->form->addRow(tr("&Role in the group:"), role);
    page->form->addRow(QString(), roleText);
    page->check = [name] {
        return NameInputDialog::problem(NameInputDialog::Kind::User, name->text());
    };
    connect(name, &QLineEdit::textChanged, page, [page] { page->refresh(); });
    page->write = [this, name, role](SetupStepPage *step) {
        Registry *registry = &m_registry;
        const QString username = name->text().trimmed();
        const auto level = AccessLevel(role->currentData().toInt());
        const QString groupPath = m_group.fullPath;
        Ui::runAsync(
            step,
            nullptr,
            [registry, username, level, groupPath]() -> Result<User> {
                // A user made earlier (from the command line, or a sheet closed half-way) is
                // the same person: they get the role.
                Result<User> user = UserStore(registry->database()).userByName(username);
                if (!user) {
                    if (user.error().code != Error::Code::NotFound) {
                        return user.error();
                    }
                    user = registry->users().createUser(username);
                    if (!user) {
                        return user.error();
                    }
                }
                const Result<void> member =
                    registry->users().addGroupMember(username, groupPath, level);
                if (!member) {
                    return member.error();
                }
                return user;
            },
            [this, step](const Result<User> &user) {
                if (user) {
                    m_user = *user;
                }
                step->finish(user ? QString() : user.error().message);
            });
    };
    page->setCommitPage(true);
    page->setButtonText(QWizard::CommitButton, tr("Add &User"));
    page->refresh();
    setPage(UserPage, page);
}

void SetupSheet::buildTokenPage()
{
    auto *page = new SetupStepPage(
        this,
        tr("A token for npm"),
        tr("npm, yarn and pnpm send a personal access token with each request. This one acts as "
           "you, with your role: it may install and publish (scope api)."));
    auto *name = lineEdit("tokenNameEdit", tr("where it is used, e.g. laptop"));
    name->setText(tr("npm on %1").arg(QSysInfo::machineHostName()));
    page->form->addRow(tr("Token &name:"), name);
    page->check = [name] {
        return name->text().trimmed().isEmpty()
            ? tr("Name it after where it is used, e.g. laptop: the list of tokens shows the name.")
            : QString();
    };
    connect(name, &QLineEdit::textChanged, page, [page] { page->refresh(); });
    page->write = [this, name](SetupStepPage *step) {
        Registry *registry = &m_registry;
        const qint64 userId = m_user.id;
        const QString tokenName = name->text().trimmed();
        Ui::runAsync(
            step,
            nullptr,
            [registry, userId, tokenName] {
                return registry->tokens().createPersonalAccessToken(
                    userId, tokenName, {QStringView(Scope::Api).toString()});
            },
            [this, step](const Result<CreatedToken> &created) {
                if (created) {
                    m_token = created->token;
                    if (auto *field = findChild<QLineEdit *>(u"tokenField"_s)) {
                        field->setText(m_token);
                    }
                }
                step->finish(created ? QString() : created.error().message);
            });
    };
    page->setCommitPage(true);
    page->setButtonText(QWizard::CommitButton, tr("Create &Token"));
    page->refresh();
    setPage(TokenPage, page);
}

void SetupSheet::buildSecretPage()
{
    auto *page = new QWizardPage;
    page->setTitle(tr("Your token, shown once"));
    page->setSubTitle(tr("Copy it now: Trove keeps only its digest and cannot show it again."));
    auto *field = new QLineEdit;
    field->setObjectName(u"tokenField"_s);
    field->setReadOnly(true);
    field->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    auto *copy = new QPushButton(tr("&Copy"));
    copy->setObjectName(u"copyTokenButton"_s);
    auto *copied = new QLabel;
    copied->setObjectName(u"copiedLabel"_s);
    connect(copy, &QPushButton::clicked, this, [this, field, copied] {
        QApplication::clipboard()->setText(field->text());
        m_tokenCopied = true;
        copied->setText(tr("Copied."));
    });
    auto *row = new QHBoxLayout;
    row->addWidget(field, 1);
    row->addWidget(copy);
    auto *next = new QLabel(
        tr("Put it in the environment variable NPM_TOKEN (your shell's profile, or the CI "
           "settings), not in a file you commit. Connect a Client then writes a .npmrc that "
           "names the variable, for this project and scope."));
    next->setWordWrap(true);
    auto *layout = new QVBoxLayout(page);
    layout->addLayout(row);
    layout->addWidget(copied);
    layout->addWidget(next);
    layout->addStretch(1);
    setPage(SecretPage, page);
    connect(this, &QWizard::accepted, this, [this] { emit setUp(m_group, m_project); });
}

void SetupSheet::done(int result)
{
    // The token cannot be shown again: closing (Escape, Close) or going on before copying it
    // asks.
    if (currentId() == SecretPage && !m_tokenCopied && !m_token.isEmpty()
        && !Ui::confirm(this,
                        tr("Close Without Copying the Token?"),
                        tr("The token has not been copied, and Trove cannot show it again. "
                           "Without it npm cannot publish or install as %1; you would need a new "
                           "token (Tools ▸ Tokens).")
                            .arg(m_user.username),
                        result == QDialog::Accepted ? tr("Go On Without Copying")
                                                    : tr("Close Without Copying"))) {
        return;
    }
    QWizard::done(result);
}
