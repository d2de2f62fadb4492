// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/npmrcbuilderdialog.h"

#include "ui/registrysettingsdialog.h"

#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QFontDatabase>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSaveFile>
#include <QTabWidget>
#include <QTextBlock>
#include <QTextCursor>
#include <QTimer>
#include <QUrl>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;
using Trove::NpmrcRequest;

namespace {

// The address the window knows is the listening one; the scheme follows the settings the
// registry was started with.
QString originFor(const QString &origin, const RegistrySettingsDialog::Values &settings)
{
    if (!settings.tlsEnabled()) {
        return origin;
    }
    QUrl url(origin);
    url.setScheme(u"https"_s);
    return url.toString();
}

} // namespace

NpmrcBuilderDialog::NpmrcBuilderDialog(const QString &origin,
                                       const QList<Namespace> &groups,
                                       const QList<Namespace> &projects,
                                       QWidget *parent)
    : QDialog(parent)
    , m_origin(originFor(origin, RegistrySettingsDialog::load()))
    , m_caFile(RegistrySettingsDialog::load().clientCaFile())
    , m_groups(groups)
    , m_projects(projects)
{
    setObjectName(u"npmrcBuilder"_s);
    setWindowTitle(tr("Connect a Client"));

    m_scopes = new QLineEdit;
    m_scopes->setObjectName(u"scopesEdit"_s);
    m_scopes->setPlaceholderText(tr("e.g. @acme, @acme-tools"));
    m_scopes->setToolTip(tr("The scopes of your packages; npm sends @scope/* requests here."));
    m_level = new QComboBox;
    m_level->setObjectName(u"levelCombo"_s);
    m_level->addItem(tr("Project: one project's packages"), int(NpmrcRequest::Level::Project));
    m_level->addItem(tr("Group: every project of a group"), int(NpmrcRequest::Level::Group));
    m_level->addItem(tr("Instance: every project, by scope"), int(NpmrcRequest::Level::Instance));
    m_project = new QComboBox;
    m_project->setObjectName(u"projectCombo"_s);
    for (const Namespace &project : projects) {
        m_project->addItem(project.fullPath, project.id);
    }
    m_project->setToolTip(
        tr("Where npm publish sends packages, and the project level's registry."));
    m_group = new QComboBox;
    m_group->setObjectName(u"groupCombo"_s);
    for (const Namespace &group : groups) {
        m_group->addItem(group.fullPath);
    }
    m_token = new QComboBox;
    m_token->setObjectName(u"tokenCombo"_s);
    m_token->addItem(tr("Personal access token (a person, on their machine)"),
                     int(NpmrcRequest::TokenKind::Personal));
    m_token->addItem(tr("Deploy token (a machine or service, one group or project)"),
                     int(NpmrcRequest::TokenKind::Deploy));
    m_token->addItem(tr("CI job token (inside a running job)"), int(NpmrcRequest::TokenKind::Job));
    m_default = new QCheckBox(tr("Also the default registry (unscoped packages, forwarding)"));
    m_default->setObjectName(u"defaultRegistryCheck"_s);
    m_warnings = new QLabel;
    m_warnings->setObjectName(u"warningsLabel"_s);
    m_warnings->setWordWrap(true);

    auto *form = new QFormLayout;
    form->addRow(tr("&Scopes:"), m_scopes);
    form->addRow(tr("&Endpoint:"), m_level);
    form->addRow(tr("&Project:"), m_project);
    form->addRow(tr("&Group:"), m_group);
    form->addRow(tr("&Token:"), m_token);
    form->addRow(QString(), m_default);

    m_tabs = new QTabWidget;
    m_tabs->setObjectName(u"outputTabs"_s);
    addOutput(u".npmrc"_s, "npmrcOutput", &m_npmrc);
    addOutput(tr("npm config"), "commandsOutput", &m_commands);
    addOutput(u"package.json"_s, "publishConfigOutput", &m_publishConfig);
    addOutput(tr("Yarn 2+"), "yarnBerryOutput", &m_yarnBerry);
    addOutput(tr("Yarn 1"), "yarnClassicOutput", &m_yarnClassic);
    addOutput(u"pnpm"_s, "pnpmOutput", &m_pnpm);
    addOutput(tr("CI job"), "ciOutput", &m_ci);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close);
    QPushButton *write =
        buttons->addButton(tr("&Write .npmrc to Folder…"), QDialogButtonBox::ActionRole);
    write->setObjectName(u"writeButton"_s);
    connect(write, &QPushButton::clicked, this, [this] {
        const QString folder = m_chooseFolder
            ? m_chooseFolder()
            : QFileDialog::getExistingDirectory(this, tr("Folder of the project that installs"));
        if (!folder.isEmpty()) {
            previewWrite(folder);
        }
    });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_warnings);
    layout->addWidget(m_tabs, 1);
    layout->addWidget(buttons);

    for (QComboBox *combo : {m_level, m_project, m_group, m_token}) {
        connect(combo, &QComboBox::currentIndexChanged, this, &NpmrcBuilderDialog::rebuild);
    }
    connect(m_scopes, &QLineEdit::textChanged, this, &NpmrcBuilderDialog::rebuild);
    connect(m_default, &QCheckBox::toggled, this, &NpmrcBuilderDialog::rebuild);
    if (!projects.isEmpty()) {
        selectProject(projects.first().id);
    }
    resize(760, 620);
    rebuild();
}

void NpmrcBuilderDialog::addOutput(const QString &title, const char *name, QPlainTextEdit **edit)
{
    auto *page = new QWidget;
    auto *layout = new QVBoxLayout(page);
    *edit = new QPlainTextEdit;
    (*edit)->setObjectName(QString::fromLatin1(name));
    (*edit)->setReadOnly(true);
    (*edit)->setLineWrapMode(QPlainTextEdit::NoWrap);
    (*edit)->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    auto *copy = new QPushButton(tr("Copy"));
    copy->setObjectName(QString::fromLatin1(name) + u"Copy"_s);
    QPlainTextEdit *target = *edit;
    connect(copy, &QPushButton::clicked, this, [target, copy] {
        QApplication::clipboard()->setText(target->toPlainText());
        // Said on the button that was pressed, for a moment.
        copy->setText(tr("Copied"));
        QTimer::singleShot(2000, copy, [copy] { copy->setText(tr("Copy")); });
    });
    layout->addWidget(*edit, 1);
    layout->addWidget(copy, 0, Qt::AlignRight);
    m_tabs->addTab(page, title);
}

void NpmrcBuilderDialog::selectProject(qint64 projectId)
{
    const int index = m_project->findData(projectId);
    if (index < 0) {
        return;
    }
    m_project->setCurrentIndex(index);
    const QString root = m_project->currentText().section(u'/', 0, 0);
    if (m_scopes->text().isEmpty()) {
        m_scopes->setText(u'@' + root);
    }
    const int group = m_group->findText(root);
    if (group >= 0) {
        m_group->setCurrentIndex(group);
    }
}

void NpmrcBuilderDialog::setLevel(NpmrcRequest::Level level)
{
    m_level->setCurrentIndex(m_level->findData(int(level)));
}

void NpmrcBuilderDialog::setTokenKind(NpmrcRequest::TokenKind kind)
{
    m_token->setCurrentIndex(m_token->findData(int(kind)));
}

void NpmrcBuilderDialog::setScopes(const QString &commaSeparated)
{
    m_scopes->setText(commaSeparated);
}

void NpmrcBuilderDialog::selectGroup(const QString &fullPath)
{
    m_group->setCurrentIndex(m_group->findText(fullPath));
}

NpmrcRequest NpmrcBuilderDialog::request() const
{
    NpmrcRequest request;
    request.origin = m_origin;
    request.caFile = m_caFile;
    request.level = NpmrcRequest::Level(m_level->currentData().toInt());
    request.projectId = m_project->currentData().toLongLong();
    request.groupPath = m_group->currentText();
    for (const QString &scope : m_scopes->text().split(u',', Qt::SkipEmptyParts)) {
        request.scopes.append(scope.trimmed());
    }
    request.tokenKind = NpmrcRequest::TokenKind(m_token->currentData().toInt());
    request.defaultRegistry = m_default->isChecked();
    for (const Namespace &group : m_groups) {
        if (!group.fullPath.contains(u'/')) {
            request.topLevelGroups.append(group.fullPath);
        }
    }
    return request;
}

void NpmrcBuilderDialog::rebuild()
{
    const NpmrcRequest current = request();
    m_group->setEnabled(current.level == NpmrcRequest::Level::Group);
    m_snippets = Trove::buildNpmrc(current);
    m_npmrc->setPlainText(m_snippets.npmrc);
    m_commands->setPlainText(m_snippets.npmConfigCommands);
    m_publishConfig->setPlainText(m_snippets.publishConfig);
    m_yarnBerry->setPlainText(m_snippets.yarnBerry);
    m_yarnClassic->setPlainText(tr("# .yarnrc (the token comes from .npmrc)\n")
                                + m_snippets.yarnClassic);
    m_pnpm->setPlainText(
        tr("# The project's .npmrc:\n") + m_snippets.pnpmProjectNpmrc
        + tr("\n# Your user ~/.npmrc (pnpm expands ${…} in credentials only there, not in a\n"
             "# project's .npmrc):\n")
        + m_snippets.pnpmUserNpmrc
        + tr("\n# pnpm-workspace.yaml, so that pnpm's release-age gate lets your own packages in "
             "at once:\n")
        + m_snippets.pnpmWorkspace);
    m_ci->setPlainText(m_snippets.ciJob);
    QStringList lines;
    for (const QString &warning : std::as_const(m_snippets.warnings)) {
        lines.append(u"⚠ "_s + warning);
    }
    lines.append(tr("Set %1 in the environment to the token: the files name it, never hold it.")
                     .arg(m_snippets.tokenVariable));
    if (!m_caFile.isEmpty()) {
        lines.append(tr("The registry's certificate is self-signed: on other machines, copy %1 "
                        "there and give its path in the cafile line (httpsCaFilePath for Yarn "
                        "2+).")
                         .arg(QDir::toNativeSeparators(m_caFile)));
    }
    m_warnings->setText(lines.join(u'\n'));
}

void NpmrcBuilderDialog::previewWrite(const QString &folder)
{
    const QString path = QDir(folder).filePath(u".npmrc"_s);
    QString existing;
    QFile file(path);
    if (file.open(QIODevice::ReadOnly)) {
        existing = QString::fromUtf8(file.readAll());
        file.close();
    }
    const QList<Trove::NpmrcMergeLine> lines = Trove::mergeNpmrcLines(existing, m_snippets.npmrc);
    const QString merged = Trove::mergeNpmrc(existing, m_snippets.npmrc);

    auto *preview = new QDialog(this);
    preview->setObjectName(u"npmrcPreview"_s);
    preview->setAttribute(Qt::WA_DeleteOnClose);
    preview->setWindowTitle(tr("Write %1").arg(QDir::toNativeSeparators(path)));
    auto *text = new QPlainTextEdit;
    text->setObjectName(u"previewText"_s);
    text->setReadOnly(true);
    text->setLineWrapMode(QPlainTextEdit::NoWrap);
    text->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    // A marker in the text and a colour behind it: the marker reads the same to every user (and
    // to a screen reader), the colour finds it at a glance.
    QStringList marked;
    QList<QColor> colours; // per line of `marked`; invalid: no colour
    int added = 0;
    int changed = 0;
    int kept = 0;
    for (const Trove::NpmrcMergeLine &line : lines) {
        switch (line.kind) {
        case Trove::NpmrcMergeLine::Kind::Added:
            ++added;
            marked.append(u"+ "_s + line.text);
            colours.append(QColor(0xd4, 0xf4, 0xd4));
            break;
        case Trove::NpmrcMergeLine::Kind::Changed:
            ++changed;
            marked.append(u"- "_s + line.previous);
            colours.append(QColor(0xf8, 0xd7, 0xd7));
            marked.append(u"~ "_s + line.text);
            colours.append(QColor(0xfa, 0xed, 0xc4));
            break;
        case Trove::NpmrcMergeLine::Kind::Kept:
            ++kept;
            marked.append(u"  "_s + line.text);
            colours.append(QColor());
            break;
        }
    }
    text->setPlainText(marked.join(u'\n'));
    QList<QTextEdit::ExtraSelection> highlights;
    for (int row = 0; row < colours.size(); ++row) {
        if (!colours.at(row).isValid()) {
            continue;
        }
        QTextEdit::ExtraSelection highlight;
        highlight.cursor = QTextCursor(text->document()->findBlockByNumber(row));
        highlight.format.setBackground(colours.at(row));
        highlight.format.setForeground(QColor(Qt::black)); // readable on the light colours
        highlight.format.setProperty(QTextFormat::FullWidthSelection, true);
        highlights.append(highlight);
    }
    text->setExtraSelections(highlights);

    auto *summary = new QLabel;
    summary->setObjectName(u"previewSummary"_s);
    summary->setWordWrap(true);
    if (existing.isEmpty()) {
        summary->setText(
            tr("%1 does not exist yet: a new file with %n line(s), all added.", nullptr, added)
                .arg(QDir::toNativeSeparators(path)));
    } else {
        summary->setText(
            tr("The file after the change: %1, %2, %3. Every other line of the file stays as "
               "it is.")
                .arg(tr("%n line(s) added", nullptr, added),
                     tr("%n line(s) changed", nullptr, changed),
                     tr("%n line(s) kept", nullptr, kept)));
    }
    auto *legend = new QLabel(tr("+ added   ~ changed (the line it replaces is shown above it, "
                                 "marked -, and goes)   unmarked: kept as it is"));
    legend->setObjectName(u"previewLegend"_s);
    legend->setWordWrap(true);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel);
    connect(buttons, &QDialogButtonBox::rejected, preview, &QDialog::reject);
    connect(buttons, &QDialogButtonBox::accepted, preview, [this, preview, path, merged] {
        QSaveFile out(path);
        if (!out.open(QIODevice::WriteOnly) || out.write(merged.toUtf8()) < 0 || !out.commit()) {
            m_warnings->setText(tr("Cannot write %1: %2").arg(path, out.errorString()));
            preview->reject();
            return;
        }
        preview->accept();
        emit written(path);
    });
    auto *layout = new QVBoxLayout(preview);
    layout->addWidget(summary);
    layout->addWidget(text, 1);
    layout->addWidget(legend);
    layout->addWidget(buttons);
    preview->resize(720, 400);
    preview->open();
}
