// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/tokensdialog.h"

#include "model/itemmodels/tokentablemodel.h"
#include "model/registry.h"
#include "model/store/namespacestore.h"
#include "model/store/userstore.h"
#include "ui/async.h"
#include "ui/confirm.h"
#include "ui/emptystate.h"
#include "ui/namedialogs.h"

#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QDateEdit>
#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QFormLayout>
#include <QFutureWatcher>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QTableView>
#include <QTimeZone>
#include <QVBoxLayout>
#include <QtConcurrent>

using namespace Qt::StringLiterals;
using namespace Trove;

namespace {

struct Snapshot
{
    QList<TokenTableModel::Row> rows;
    QList<User> users;
    QList<Group> groups;
    QList<Project> projects;
};

// The shown-once secret: closing it (Escape, Close) before Copy asks, since it cannot be shown
// again.
class SecretSheet final : public QDialog
{
public:
    using QDialog::QDialog;
    bool copied = false;

    void reject() override
    {
        if (!copied
            && !Ui::confirm(this,
                            TokensDialog::tr("Close Without Copying the Token?"),
                            TokensDialog::tr("The token has not been copied, and Trove cannot "
                                             "show it again: no client could use it, and you "
                                             "would need a new one."),
                            TokensDialog::tr("Close Without Copying"))) {
            return;
        }
        QDialog::reject();
    }
};

} // namespace

TokensDialog::TokensDialog(Registry &registry, QWidget *parent)
    : QDialog(parent)
    , m_registry(registry)
{
    setObjectName(u"tokensDialog"_s);
    setWindowTitle(tr("Tokens"));
    m_model = new TokenTableModel(this);
    m_table = new QTableView;
    m_table->setObjectName(u"tokenTable"_s);
    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->verticalHeader()->hide();
    // The name takes what is left, so that the State column (revoked or active) is in sight at
    // the dialog's size, not behind a horizontal scroll bar.
    QHeaderView *header = m_table->horizontalHeader();
    header->setStretchLastSection(false);
    header->setSectionResizeMode(TokenTableModel::NameColumn, QHeaderView::Stretch);
    m_table->setColumnWidth(TokenTableModel::KindColumn, 80);
    m_table->setColumnWidth(TokenTableModel::OwnerColumn, 120);
    m_table->setColumnWidth(TokenTableModel::ScopesColumn, 130);
    m_table->setColumnWidth(TokenTableModel::ExpiresColumn, 90);
    m_table->setColumnWidth(TokenTableModel::LastUsedColumn, 130);
    m_table->setColumnWidth(TokenTableModel::StateColumn, 90);
    EmptyState::install(m_table,
                        tr("No tokens yet. New Personal Token makes one for a person's npm (it "
                           "acts as that user); New Deploy Token one for a machine or service, "
                           "for one group or project."));
    connect(m_table->selectionModel(),
            &QItemSelectionModel::currentRowChanged,
            this,
            &TokensDialog::updateButtons);

    auto *buttons = new QHBoxLayout;
    const auto addButton = [this, buttons](const QString &text, const char *name) {
        auto *button = new QPushButton(text);
        button->setObjectName(QString::fromLatin1(name));
        buttons->addWidget(button);
        return button;
    };
    connect(addButton(tr("New &Personal Token…"), "newPersonalButton"),
            &QPushButton::clicked,
            this,
            [this] { openCreateForm(TokenKind::Personal); });
    connect(addButton(tr("New &Deploy Token…"), "newDeployButton"),
            &QPushButton::clicked,
            this,
            [this] { openCreateForm(TokenKind::Deploy); });
    connect(addButton(tr("New &Job Token…"), "newJobButton"), &QPushButton::clicked, this, [this] {
        openCreateForm(TokenKind::Job);
    });
    buttons->addStretch(1);
    m_revoke = addButton(tr("&Revoke"), "revokeButton");
    connect(m_revoke, &QPushButton::clicked, this, &TokensDialog::revokeSelected);

    auto *close = new QDialogButtonBox(QDialogButtonBox::Close);
    connect(close, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    auto *intro = new QLabel(tr("Tokens are stored only as digests: a new token is shown once. "
                                "Revoking takes effect at the next request."));
    intro->setWordWrap(true);
    layout->addWidget(intro);
    layout->addWidget(m_table, 1);
    // What the last revoke, finish or create did, here where it was done.
    m_feedback = new QLabel;
    m_feedback->setObjectName(u"feedbackLabel"_s);
    m_feedback->setWordWrap(true);
    m_feedback->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_feedback);
    layout->addLayout(buttons);
    layout->addWidget(close);
    resize(900, 440);
    // Changes made elsewhere (the server records last use; the command line) show on reload.
    connect(&m_registry.events(),
            &Events::tokensChanged,
            this,
            &TokensDialog::reload,
            Qt::QueuedConnection);
    updateButtons();
    reload();
}

TokensDialog::~TokensDialog() = default;

void TokensDialog::reload()
{
    Database *database = &m_registry.database();
    const QDate today = QDateTime::currentDateTimeUtc().date();
    Ui::runAsync(
        this,
        nullptr,
        [database, today]() -> Result<Snapshot> {
            Result<QList<TokenTableModel::Row>> rows = TokenTableModel::load(*database, today);
            if (!rows) {
                return rows.error();
            }
            const Result<QList<User>> users = UserStore(*database).users();
            const NamespaceStore namespaces(*database);
            const Result<QList<Group>> groups = namespaces.groups();
            const Result<QList<Project>> projects = namespaces.projects();
            if (!users || !groups || !projects) {
                return Error::storage(u"cannot read users, groups and projects"_s);
            }
            return Snapshot{*rows, *users, *groups, *projects};
        },
        [this](const Result<Snapshot> &snapshot) {
            if (!snapshot) {
                emit changeFinished(false, snapshot.error().message);
                return;
            }
            m_users = snapshot->users;
            m_groups = snapshot->groups;
            m_projects = snapshot->projects;
            m_model->setRows(snapshot->rows);
            updateButtons();
            emit reloaded();
        });
}

void TokensDialog::updateButtons()
{
    const QModelIndex current = m_table->currentIndex();
    const auto state = TokenTableModel::State(current.data(TokenTableModel::StateRole).toInt());
    const bool live = current.isValid()
        && (state == TokenTableModel::State::Active || state == TokenTableModel::State::Running);
    m_revoke->setEnabled(live);
    m_revoke->setText(current.isValid()
                              && TokenKind(current.data(TokenTableModel::KindRole).toInt())
                                  == TokenKind::Job
                          ? tr("&Finish Job")
                          : tr("&Revoke"));
}

void TokensDialog::revokeSelected()
{
    const QModelIndex current = m_table->currentIndex();
    if (!current.isValid()) {
        return;
    }
    const TokenTableModel::Row row = m_model->rowAt(current.row());
    const auto shown = [&](int column) {
        return m_model->index(current.row(), column).data().toString();
    };
    const QString name = shown(TokenTableModel::NameColumn);
    const QString lastUsed = row.lastUsedAt.isValid()
        ? tr("It was last used %1.").arg(shown(TokenTableModel::LastUsedColumn))
        : tr("It has never been used.");
    const bool job = row.kind == TokenKind::Job;
    const QString text = job
        ? tr("Finish the job of %1? Its token is refused from then on: the job's npm, yarn "
             "or pnpm (CI_JOB_TOKEN) gets 401 Unauthorized at its next request. %2")
              .arg(row.owner, lastUsed)
        : tr("Revoke %1 of %2? npm, yarn and pnpm that send it (from an .npmrc, NPM_TOKEN or a "
             "CI variable) get 401 Unauthorized at their next request: installs and publishes "
             "with it fail. %3 This cannot be undone.")
              .arg(name, row.owner, lastUsed);
    if (!Ui::confirm(this,
                     job ? tr("Finish the Job?") : tr("Revoke the Token?"),
                     text,
                     job ? tr("Finish Job") : tr("Revoke"))) {
        return;
    }
    Registry *registry = &m_registry;
    Ui::runAsync(
        this,
        nullptr,
        [registry, row]() -> Result<void> {
            // For a job token, this finishes the job.
            return registry->tokens().revoke(row.kind, row.id);
        },
        [this, row, name](const Result<void> &result) {
            const QString message = result
                ? (row.kind == TokenKind::Job
                       ? tr("The job is finished: its token is refused.")
                       : tr("Revoked %1: the token is refused from now on.").arg(name))
                : result.error().message;
            m_feedback->setText(message);
            emit changeFinished(bool(result), message);
            reload();
        });
}

void TokensDialog::openCreateForm(TokenKind kind)
{
    if (kind != TokenKind::Deploy && m_users.isEmpty()) {
        offerNewUser(kind);
        return;
    }
    auto *form = new QDialog(this);
    form->setObjectName(u"createTokenForm"_s);
    form->setAttribute(Qt::WA_DeleteOnClose);
    form->setWindowTitle(kind == TokenKind::Personal     ? tr("New Personal Access Token")
                             : kind == TokenKind::Deploy ? tr("New Deploy Token")
                                                         : tr("New CI Job Token"));
    auto *layout = new QFormLayout(form);
    auto *name = new QLineEdit;
    name->setObjectName(u"nameEdit"_s);
    name->setPlaceholderText(tr("what it is for, e.g. laptop, CI, staging"));
    auto *user = new QComboBox;
    user->setObjectName(u"userCombo"_s);
    for (const User &candidate : std::as_const(m_users)) {
        user->addItem(candidate.username, candidate.id);
    }
    // Deploy tokens belong to a group or a project; job tokens to a project.
    auto *target = new QComboBox;
    target->setObjectName(u"targetCombo"_s);
    if (kind == TokenKind::Deploy) {
        for (const Group &group : std::as_const(m_groups)) {
            target->addItem(tr("group %1").arg(group.fullPath), QVariantList{group.id, 0});
        }
    }
    for (const Project &project : std::as_const(m_projects)) {
        target->addItem(tr("project %1").arg(project.fullPath), QVariantList{0, project.id});
    }
    QList<QCheckBox *> scopes;
    const QStringList scopeNames = kind == TokenKind::Personal
        ? QStringList{QStringView(Scope::Api).toString(), QStringView(Scope::ReadApi).toString()}
        : QStringList{QStringView(Scope::ReadPackageRegistry).toString(),
                      QStringView(Scope::WritePackageRegistry).toString()};
    for (const QString &scope : scopeNames) {
        auto *box = new QCheckBox(TokenTableModel::scopeDescription(scope));
        box->setObjectName(scope);
        box->setProperty("scope", scope);
        scopes.append(box);
    }
    if (!scopes.isEmpty()) {
        scopes.first()->setChecked(true);
    }
    auto *expires = new QCheckBox(tr("Expires on"));
    expires->setObjectName(u"expiresCheck"_s);
    auto *date = new QDateEdit(QDate::currentDate().addDays(30));
    date->setObjectName(u"expiresDate"_s);
    date->setCalendarPopup(true);
    date->setMinimumDate(QDate::currentDate().addDays(1));
    date->setEnabled(false);
    connect(expires, &QCheckBox::toggled, date, &QWidget::setEnabled);
    auto *row = new QHBoxLayout;
    row->addWidget(expires);
    row->addWidget(date, 1);

    if (kind != TokenKind::Job) {
        layout->addRow(tr("&Name:"), name);
    }
    if (kind != TokenKind::Deploy) {
        layout->addRow(kind == TokenKind::Job ? tr("&Acts as:") : tr("&User:"), user);
    }
    if (kind != TokenKind::Personal) {
        layout->addRow(tr("&For:"), target);
    }
    for (QCheckBox *box : std::as_const(scopes)) {
        layout->addRow(box == scopes.first() ? tr("May:") : QString(), box);
    }
    if (kind != TokenKind::Job) {
        layout->addRow(QString(), row);
    } else {
        auto *note =
            new QLabel(tr("A job token acts as its user, for its project and the "
                          "projects that user may read; it ends when the job is finished."));
        note->setWordWrap(true);
        layout->addRow(note);
    }
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("Create"));
    if (kind != TokenKind::Personal && target->count() == 0) {
        auto *none = new QLabel(kind == TokenKind::Deploy
                                    ? tr("There is no group or project yet: create one first "
                                         "(File ▸ New Group…).")
                                    : tr("There is no project yet: create one first (File ▸ New "
                                         "Project…)."));
        none->setObjectName(u"noTargetLabel"_s);
        none->setWordWrap(true);
        layout->addRow(none);
        buttons->button(QDialogButtonBox::Ok)->setEnabled(false);
    }
    layout->addRow(buttons);
    connect(buttons, &QDialogButtonBox::rejected, form, &QDialog::reject);
    connect(buttons, &QDialogButtonBox::accepted, form, [=, this] {
        QStringList chosen;
        for (QCheckBox *box : scopes) {
            if (box->isChecked()) {
                chosen.append(box->property("scope").toString());
            }
        }
        const std::optional<QDate> expiry =
            expires->isChecked() ? std::optional<QDate>(date->date()) : std::nullopt;
        const qint64 userId = user->currentData().toLongLong();
        const QVariantList where = target->currentData().toList();
        const qint64 groupId = where.value(0).toLongLong();
        const qint64 projectId = where.value(1).toLongLong();
        const QString tokenName = name->text().trimmed();
        form->accept();
        Registry *registry = &m_registry;
        Ui::runAsync(
            this,
            nullptr,
            [=]() -> Result<CreatedToken> {
                switch (kind) {
                case TokenKind::Personal:
                    return registry->tokens().createPersonalAccessToken(
                        userId, tokenName, chosen, expiry);
                case TokenKind::Deploy:
                    return registry->tokens().createDeployToken(
                        groupId, projectId, tokenName, chosen, expiry);
                case TokenKind::Job:
                    return registry->tokens().createJobToken(projectId, userId);
                }
                return Error::invalid(u"unknown token kind"_s);
            },
            [this, kind](const Result<CreatedToken> &created) {
                if (!created) {
                    emit changeFinished(false, created.error().message);
                    return;
                }
                reload();
                showSecret(created->token,
                           kind == TokenKind::Personal     ? tr("personal access token")
                               : kind == TokenKind::Deploy ? tr("deploy token")
                                                           : tr("CI job token"));
                emit tokenCreated(created->token);
                emit changeFinished(true, tr("Created."));
            });
    });
    form->open();
}

void TokensDialog::offerNewUser(TokenKind kind)
{
    auto *notice = new QMessageBox(QMessageBox::Information,
                                   tr("No Users Yet"),
                                   kind == TokenKind::Personal
                                       ? tr("A personal access token belongs to a user, and "
                                            "there are no users yet. Add one first: the token "
                                            "then acts as that user, with their roles.")
                                       : tr("A CI job token acts as a user, and there are no "
                                            "users yet. Add one first."),
                                   QMessageBox::Cancel,
                                   this);
    notice->setObjectName(u"noUsersNotice"_s);
    notice->setAttribute(Qt::WA_DeleteOnClose);
    QPushButton *add = notice->addButton(tr("New &User…"), QMessageBox::AcceptRole);
    add->setObjectName(u"newUserButton"_s);
    notice->setDefaultButton(add);
    connect(add, &QPushButton::clicked, this, [this, kind] {
        auto *input = new NameInputDialog(NameInputDialog::Kind::User,
                                          tr("New User"),
                                          tr("Username (give it a role in Tools ▸ Users and "
                                             "Roles):"),
                                          QString(),
                                          this);
        input->setAttribute(Qt::WA_DeleteOnClose);
        Registry *registry = &m_registry;
        input->setWrite([registry](const QString &name) -> Result<void> {
            const Result<User> user = registry->users().createUser(name);
            if (!user) {
                return user.error();
            }
            return {};
        });
        // Made: the token's form follows, with the new user in it once the list has it.
        connect(input, &NameInputDialog::writeFinished, this, [this, kind](bool ok) {
            if (!ok) {
                return;
            }
            connect(
                this,
                &TokensDialog::reloaded,
                this,
                [this, kind] { openCreateForm(kind); },
                Qt::SingleShotConnection);
            reload();
        });
        input->open();
    });
    notice->open();
}

void TokensDialog::showSecret(const QString &token, const QString &what)
{
    auto *sheet = new SecretSheet(this);
    sheet->setObjectName(u"newTokenSheet"_s);
    sheet->setAttribute(Qt::WA_DeleteOnClose);
    sheet->setWindowTitle(tr("Your new %1").arg(what));
    auto *field = new QLineEdit(token);
    field->setObjectName(u"tokenField"_s);
    field->setReadOnly(true);
    field->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    field->setMinimumWidth(field->fontMetrics().horizontalAdvance(token) + 24);
    auto *copy = new QPushButton(tr("&Copy"));
    copy->setObjectName(u"copyTokenButton"_s);
    auto *copied = new QLabel;
    connect(copy, &QPushButton::clicked, sheet, [token, copied, sheet] {
        QApplication::clipboard()->setText(token);
        sheet->copied = true;
        copied->setText(tr("Copied."));
    });
    auto *row = new QHBoxLayout;
    row->addWidget(field, 1);
    row->addWidget(copy);
    auto *warning = new QLabel(tr("Copy it now: Trove keeps only its digest and cannot show it "
                                  "again. Put it in the environment variable your .npmrc names "
                                  "(NPM_TOKEN), not in a file you commit."));
    warning->setWordWrap(true);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close);
    connect(buttons, &QDialogButtonBox::rejected, sheet, &QDialog::reject);
    auto *layout = new QVBoxLayout(sheet);
    layout->addWidget(warning);
    layout->addLayout(row);
    layout->addWidget(copied);
    layout->addWidget(buttons);
    sheet->open();
}
