// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/sharedstoredialog.h"

#include "model/store/database.h"
#include "model/store/pgschema.h"
#include "ui/async.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QUrl>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;
using namespace Trove;

namespace {

const QString Group = u"SharedStore"_s;

// The text under a field: its error, or the connection test's result. The dialog grows to show
// all of it: a wrapped label's height depends on its width, which the dialog's size hint does
// not follow by itself.
void showError(QLabel *label, const QString &text)
{
    label->setText(text);
    label->setVisible(!text.isEmpty());
    QWidget *dialog = label->window();
    if (QLayout *layout = dialog->layout()) {
        layout->activate();
        const int height = layout->hasHeightForWidth()
            ? layout->totalHeightForWidth(dialog->width())
            : layout->totalSizeHint().height();
        if (height > dialog->height()) {
            dialog->resize(dialog->width(), height);
        }
    }
}

} // namespace

SharedStoreDialog::Choice SharedStoreDialog::load()
{
    QSettings settings;
    settings.beginGroup(Group);
    Choice choice;
    if (settings.value(u"open"_s, false).toBool()) {
        choice.url = settings.value(u"url"_s).toString();
    }
    choice.dataFolder = settings.value(u"dataFolder"_s).toString();
    choice.serveFromWindow = settings.value(u"serveFromWindow"_s, false).toBool();
    return choice;
}

void SharedStoreDialog::save(const Choice &choice)
{
    QSettings settings;
    settings.beginGroup(Group);
    // No password reaches the settings file, neither the password field's nor one typed into
    // the URL: the settings are plain text. This session keeps it; the next start finds it in
    // ~/.pgpass, or says why the store does not open and opens the local one.
    QUrl url(choice.url);
    url.setPassword(QString());
    settings.setValue(u"url"_s, choice.url.isEmpty() ? QString() : url.toString());
    settings.setValue(u"open"_s, !choice.url.isEmpty());
    settings.setValue(u"dataFolder"_s, choice.dataFolder);
    settings.setValue(u"serveFromWindow"_s, choice.serveFromWindow);
}

void SharedStoreDialog::forgetStore()
{
    QSettings settings;
    settings.beginGroup(Group);
    settings.setValue(u"open"_s, false);
}

QString SharedStoreDialog::lastUrl()
{
    QSettings settings;
    settings.beginGroup(Group);
    return settings.value(u"url"_s).toString();
}

QString SharedStoreDialog::urlProblem(const QString &text)
{
    const QString url = text.trimmed();
    if (url.isEmpty()) {
        return tr("Enter the store's address, e.g. postgresql://trove@db.example.test/trove.");
    }
    if (!Pg::isUrl(url)) {
        return tr("A shared store's address starts with postgresql://, e.g. "
                  "postgresql://trove@db.example.test/trove.");
    }
    const QUrl parsed(url, QUrl::StrictMode);
    if (!parsed.isValid()) {
        return tr("This is not a valid address: %1")
            .arg(parsed.errorString().remove(parsed.password()));
    }
    if (parsed.host().isEmpty()) {
        return tr("The address names no server: postgresql://USER@HOST[:PORT]/DATABASE.");
    }
    if (const Result<Pg::Location> location = Pg::parseUrl(url); !location) {
        return location.error().message;
    }
    return {};
}

SharedStoreDialog::SharedStoreDialog(const Choice &choice,
                                     const QString &defaultDataFolder,
                                     QWidget *parent)
    : QDialog(parent)
{
    setObjectName(u"sharedStoreDialog"_s);
    setWindowTitle(tr("Open a Shared Store"));

    auto *intro = new QLabel(tr("Several Trove instances (windows and “trove serve”) can share "
                                "one PostgreSQL database and one data folder for the tarballs."));
    intro->setWordWrap(true);

    m_url = new QLineEdit(choice.url.isEmpty() ? lastUrl() : choice.url);
    m_url->setObjectName(u"storeUrlEdit"_s);
    m_url->setPlaceholderText(u"postgresql://user@host:5432/database"_s);
    m_url->setMinimumWidth(360);
    m_urlStatus = new QLabel;
    m_urlStatus->setObjectName(u"storeUrlStatus"_s);
    m_urlStatus->setWordWrap(true);
    m_urlStatus->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_urlStatus->hide();
    m_testButton = new QPushButton(tr("&Test Connection"));
    m_testButton->setObjectName(u"testConnectionButton"_s);
    connect(m_testButton, &QPushButton::clicked, this, &SharedStoreDialog::testConnection);
    auto *urlRow = new QHBoxLayout;
    urlRow->addWidget(m_url, 1);
    urlRow->addWidget(m_testButton);
    auto *urlBox = new QVBoxLayout;
    urlBox->addLayout(urlRow);
    urlBox->addWidget(m_urlStatus);

    m_password = new QLineEdit;
    m_password->setObjectName(u"storePasswordEdit"_s);
    m_password->setEchoMode(QLineEdit::Password);
    m_password->setPlaceholderText(tr("Optional"));
    m_passwordHint = new QLabel(tr("Used for this session only, never saved. To open the store "
                                   "at the next start without asking, put the password in "
                                   "~/.pgpass (host:port:database:user:password)."));
    m_passwordHint->setObjectName(u"storePasswordHint"_s);
    m_passwordHint->setWordWrap(true);
    QFont small = m_passwordHint->font();
    small.setPointSizeF(small.pointSizeF() * 0.9);
    m_passwordHint->setFont(small);
    auto *passwordBox = new QVBoxLayout;
    passwordBox->addWidget(m_password);
    passwordBox->addWidget(m_passwordHint);

    m_dataFolder =
        new QLineEdit(choice.dataFolder.isEmpty() ? defaultDataFolder : choice.dataFolder);
    m_dataFolder->setObjectName(u"storeDataFolderEdit"_s);
    m_dataFolder->setToolTip(tr("The tarballs are kept here: every instance on this store must "
                                "use the same folder (a network file system between machines)."));
    auto *browse = new QPushButton(tr("&Browse…"));
    browse->setObjectName(u"browseDataFolderButton"_s);
    connect(browse, &QPushButton::clicked, this, [this] {
        const QString folder = m_chooseFolder
            ? m_chooseFolder(m_dataFolder->text())
            : QFileDialog::getExistingDirectory(
                this, tr("Shared Data Folder"), m_dataFolder->text());
        if (!folder.isEmpty()) {
            m_dataFolder->setText(QDir::toNativeSeparators(folder));
        }
    });
    m_folderStatus = new QLabel;
    m_folderStatus->setObjectName(u"storeDataFolderStatus"_s);
    m_folderStatus->setWordWrap(true);
    m_folderStatus->hide();
    auto *folderRow = new QHBoxLayout;
    folderRow->addWidget(m_dataFolder, 1);
    folderRow->addWidget(browse);
    auto *folderBox = new QVBoxLayout;
    folderBox->addLayout(folderRow);
    folderBox->addWidget(m_folderStatus);

    m_serve = new QCheckBox(tr("&Serve the registry from this window too"));
    m_serve->setObjectName(u"serveFromWindowCheck"_s);
    m_serve->setToolTip(tr("Off: the window only manages the store, and the team's “trove "
                           "serve” instances answer npm. On: this window runs a registry as "
                           "well, on the port of Registry Settings."));
    m_serve->setChecked(choice.serveFromWindow);

    auto *form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::ExpandingFieldsGrow);
    form->addRow(tr("Store &URL:"), urlBox);
    form->addRow(tr("&Password:"), passwordBox);
    form->addRow(tr("Shared &data folder:"), folderBox);
    form->addRow(QString(), m_serve);
    // Mnemonics of the labels go to the fields (a layout cannot take the focus).
    for (const auto &[layout, field] : {std::pair<QLayout *, QWidget *>(urlBox, m_url),
                                        std::pair<QLayout *, QWidget *>(passwordBox, m_password),
                                        std::pair<QLayout *, QWidget *>(folderBox, m_dataFolder)}) {
        if (auto *label = qobject_cast<QLabel *>(form->labelForField(layout))) {
            label->setBuddy(field);
        }
    }

    m_buttons = new QDialogButtonBox(QDialogButtonBox::Open | QDialogButtonBox::Cancel);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &SharedStoreDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addLayout(form);
    layout->addStretch(1);
    layout->addWidget(m_buttons);

    // A changed field makes the last result stale.
    const auto stale = [this] {
        ++m_testGeneration;
        showError(m_urlStatus, {});
        m_testButton->setEnabled(true);
        m_buttons->button(QDialogButtonBox::Open)->setEnabled(true);
    };
    connect(m_url, &QLineEdit::textChanged, this, stale);
    connect(m_password, &QLineEdit::textChanged, this, stale);
    connect(m_dataFolder, &QLineEdit::textChanged, this, [this] { showError(m_folderStatus, {}); });
    // Wide enough for the URL and the hint on two lines, high enough for the wrapped texts.
    resize(560, 0);
    showError(m_folderStatus, {});
}

SharedStoreDialog::Choice SharedStoreDialog::choice() const
{
    Choice choice;
    choice.url = m_url->text().trimmed();
    choice.dataFolder = QDir::cleanPath(QDir::fromNativeSeparators(m_dataFolder->text().trimmed()));
    choice.serveFromWindow = m_serve->isChecked();
    return choice;
}

QString SharedStoreDialog::connectionUrl() const
{
    const QString url = m_url->text().trimmed();
    if (m_password->text().isEmpty()) {
        return url;
    }
    QUrl withPassword(url, QUrl::StrictMode);
    withPassword.setPassword(m_password->text());
    return withPassword.toString();
}

bool SharedStoreDialog::validate()
{
    const QString problem = urlProblem(m_url->text());
    showError(m_urlStatus, problem);
    QString folderProblem;
    const QString folder = choice().dataFolder;
    if (folder.isEmpty() || folder == u"."_s) {
        folderProblem = tr("Choose the folder every instance on this store keeps the tarballs in.");
    } else if (QDir::isRelativePath(folder)) {
        folderProblem = tr("Give the whole path of the folder, from /.");
    } else if (!QDir().mkpath(folder)) {
        folderProblem = tr("Cannot create the folder %1.").arg(folder);
    }
    showError(m_folderStatus, folderProblem);
    if (!problem.isEmpty()) {
        m_url->setFocus();
    } else if (!folderProblem.isEmpty()) {
        m_dataFolder->setFocus();
    }
    return problem.isEmpty() && folderProblem.isEmpty();
}

void SharedStoreDialog::testConnection()
{
    runTest(false);
}

void SharedStoreDialog::accept()
{
    runTest(true);
}

void SharedStoreDialog::runTest(bool acceptAfter)
{
    if (!validate()) {
        emit testFinished(false);
        return;
    }
    const quint64 generation = ++m_testGeneration;
    const QString url = connectionUrl();
    const QString folder = choice().dataFolder;
    showError(m_urlStatus, tr("Connecting to %1…").arg(Database::displayOf(url)));
    m_testButton->setEnabled(false);
    m_buttons->button(QDialogButtonBox::Open)->setEnabled(false);
    // Opening is what the window will do: connect, and bring the schema up to date (a new,
    // empty database gets Trove's tables). Off the GUI thread: an unreachable server takes a
    // while to say so. The Database goes on the thread that used it.
    Ui::runAsync(
        this,
        nullptr,
        [url, folder]() -> std::pair<bool, QString> {
            const Result<std::unique_ptr<Database>> database = Database::open(folder, url);
            if (!database) {
                // Database's messages name the store without its password already; the check
                // stays in case a driver's text repeats the URL.
                QString message = database.error().message;
                if (const QString password = QUrl(url).password(); !password.isEmpty()) {
                    message.replace(password, u"…"_s);
                }
                // libpq's lines (one indented by a tab) as one paragraph under the field, each
                // ending as a sentence ("Connection refused" has no full stop of its own).
                QStringList sentences;
                for (const QString &line : message.split(u'\n')) {
                    QString sentence = line.simplified();
                    if (sentence.isEmpty()) {
                        continue;
                    }
                    if (!sentence.endsWith(u'.') && !sentence.endsWith(u'?')
                        && !sentence.endsWith(u'!') && !sentence.endsWith(u':')) {
                        sentence += u'.';
                    }
                    sentences.append(sentence);
                }
                return {false, sentences.join(u' ')};
            }
            return {true, (*database)->storeDisplay()};
        },
        [this, generation, acceptAfter](const std::pair<bool, QString> &result) {
            if (generation != m_testGeneration) {
                return; // the fields changed meanwhile
            }
            m_testButton->setEnabled(true);
            m_buttons->button(QDialogButtonBox::Open)->setEnabled(true);
            if (result.first) {
                showError(m_urlStatus, tr("✓ Connected to %1.").arg(result.second));
            } else {
                // The store's own message names it ("Cannot open postgresql://…: …").
                showError(m_urlStatus, result.second);
                m_url->setFocus();
            }
            emit testFinished(result.first);
            if (result.first && acceptAfter) {
                QDialog::accept();
            }
        });
}
