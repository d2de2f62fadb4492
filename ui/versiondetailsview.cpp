// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/versiondetailsview.h"

#include <QApplication>
#include <QClipboard>
#include <QFontDatabase>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QTextBrowser>
#include <QTimer>
#include <QToolButton>
#include <QTreeWidget>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;
using namespace Trove;

namespace {

enum DependencyRole { LocalRole = Qt::UserRole };

// A README is someone else's text: links open in the user's browser when clicked, but nothing
// is fetched to render it. Remote images would tell a third party who looks at which package
// when (and from where); they show as their alternative text.
class ReadmeBrowser final : public QTextBrowser
{
public:
    ReadmeBrowser()
    {
        setOpenExternalLinks(true);
        setOpenLinks(true);
    }

    // Nothing is loaded, remote or local: a README cannot name files of this machine either.
    QVariant loadResource(int, const QUrl &) override { return {}; }
};

// Sorts the size column by bytes, not by its text.
class FileItem final : public QTreeWidgetItem
{
public:
    using QTreeWidgetItem::QTreeWidgetItem;
    bool operator<(const QTreeWidgetItem &other) const override
    {
        const int column = treeWidget() ? treeWidget()->sortColumn() : 0;
        if (column == 1) {
            return data(1, Qt::UserRole).toLongLong() < other.data(1, Qt::UserRole).toLongLong();
        }
        return QTreeWidgetItem::operator<(other);
    }
};

QLabel *selectableLabel()
{
    auto *label = new QLabel;
    label->setTextFormat(Qt::PlainText);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    label->setWordWrap(true);
    return label;
}

QString dependencyKindText(const QString &kind)
{
    if (kind == u"peerDependencies"_s) {
        return VersionDetailsView::tr("peer");
    }
    if (kind == u"optionalDependencies"_s) {
        return VersionDetailsView::tr("optional");
    }
    if (kind == u"devDependencies"_s) {
        return VersionDetailsView::tr("development");
    }
    return VersionDetailsView::tr("runtime");
}

} // namespace

VersionDetailsView::VersionDetailsView(QWidget *parent)
    : QTabWidget(parent)
{
    setObjectName(u"versionDetails"_s);
    setDocumentMode(true);
    buildOverview();

    m_readme = new ReadmeBrowser;
    m_readme->setObjectName(u"readmeView"_s);
    m_readme->setAccessibleName(tr("README"));
    addTab(m_readme, tr("README"));

    m_dependencies = new QTreeWidget;
    m_dependencies->setObjectName(u"dependencyList"_s);
    m_dependencies->setAccessibleName(tr("Dependencies"));
    m_dependencies->setHeaderLabels({tr("Package"), tr("Range"), tr("Kind")});
    m_dependencies->setRootIsDecorated(false);
    m_dependencies->setUniformRowHeights(true);
    m_dependencies->setColumnWidth(0, 240);
    m_dependencies->setColumnWidth(1, 120);
    m_dependencies->setToolTip(
        tr("Underlined packages are in this registry: click one to show it."));
    connect(m_dependencies, &QTreeWidget::itemActivated, this, [this](QTreeWidgetItem *item) {
        if (item->data(0, LocalRole).toBool()) {
            emit packageActivated(item->text(0));
        }
    });
    connect(m_dependencies, &QTreeWidget::itemClicked, this, [this](QTreeWidgetItem *item) {
        if (item->data(0, LocalRole).toBool()) {
            emit packageActivated(item->text(0));
        }
    });
    addTab(m_dependencies, tr("Dependencies"));

    m_files = new QTreeWidget;
    m_files->setObjectName(u"fileList"_s);
    m_files->setAccessibleName(tr("Files in the tarball"));
    m_files->setHeaderLabels({tr("File"), tr("Size")});
    m_files->setRootIsDecorated(false);
    m_files->setUniformRowHeights(true);
    m_files->setColumnWidth(0, 360);
    m_files->setSortingEnabled(true);
    m_files->sortByColumn(0, Qt::AscendingOrder);
    addTab(m_files, tr("Files"));
    clear();
}

void VersionDetailsView::buildOverview()
{
    auto *page = new QWidget;
    page->setObjectName(u"overviewPage"_s);
    auto *layout = new QVBoxLayout(page);
    m_heading = new QLabel;
    m_heading->setTextFormat(Qt::PlainText);
    QFont bold = m_heading->font();
    bold.setBold(true);
    m_heading->setFont(bold);
    layout->addWidget(m_heading);
    m_description = selectableLabel();
    layout->addWidget(m_description);

    auto *form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::ExpandingFieldsGrow);
    m_published = selectableLabel();
    m_size = selectableLabel();
    m_integrity = selectableLabel();
    m_integrity->setObjectName(u"integrityLabel"_s);
    m_integrity->setWordWrap(false);
    m_shasum = selectableLabel();
    m_license = selectableLabel();
    m_scripts = selectableLabel();
    m_scripts->setObjectName(u"installScriptsLabel"_s);
    form->addRow(tr("Published:"), m_published);
    form->addRow(tr("Size:"), m_size);
    form->addRow(tr("Integrity:"), m_integrity);
    form->addRow(tr("SHA-1:"), m_shasum);
    form->addRow(tr("License:"), m_license);
    form->addRow(tr("Install scripts:"), m_scripts);

    const auto commandRow = [this, form](const QString &label, QLabel **target, const char *name) {
        auto *row = new QWidget;
        auto *rowLayout = new QHBoxLayout(row);
        rowLayout->setContentsMargins(0, 0, 0, 0);
        *target = selectableLabel();
        (*target)->setWordWrap(false);
        QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);
        (*target)->setFont(mono);
        auto *button = new QToolButton;
        button->setObjectName(QString::fromLatin1(name));
        button->setText(tr("Copy"));
        button->setToolTip(tr("Copy the %1 command").arg(label));
        button->setAccessibleName(tr("Copy the %1 command").arg(label));
        QLabel *command = *target;
        connect(button, &QToolButton::clicked, this, [this, command, label] {
            copy(command->text(), label);
        });
        rowLayout->addWidget(*target, 1);
        rowLayout->addWidget(button);
        form->addRow(label + u':', row);
    };
    commandRow(u"npm"_s, &m_npm, "copyNpm");
    commandRow(u"yarn"_s, &m_yarn, "copyYarn");
    commandRow(u"pnpm"_s, &m_pnpm, "copyPnpm");
    layout->addLayout(form);

    auto *buttons = new QHBoxLayout;
    m_save = new QPushButton(tr("Save Tarball…"));
    m_save->setObjectName(u"saveTarballButton"_s);
    connect(m_save, &QPushButton::clicked, this, &VersionDetailsView::saveTarballRequested);
    m_copied = new QLabel;
    m_copied->setObjectName(u"copiedLabel"_s);
    buttons->addWidget(m_save);
    buttons->addWidget(m_copied, 1);
    layout->addLayout(buttons);
    layout->addStretch(1);
    addTab(page, tr("Overview"));
}

QString VersionDetailsView::npmCommand(const Package &package)
{
    return u"npm install %1@%2"_s.arg(package.name, package.version);
}

QString VersionDetailsView::yarnCommand(const Package &package)
{
    return u"yarn add %1@%2"_s.arg(package.name, package.version);
}

QString VersionDetailsView::pnpmCommand(const Package &package)
{
    return u"pnpm add %1@%2"_s.arg(package.name, package.version);
}

void VersionDetailsView::copy(const QString &text, const QString &what)
{
    QApplication::clipboard()->setText(text);
    m_copied->setText(tr("Copied the %1 command.").arg(what));
    QTimer::singleShot(3000, m_copied, [label = m_copied, text = m_copied->text()] {
        if (label->text() == text) {
            label->clear();
        }
    });
}

void VersionDetailsView::clear()
{
    m_details = {};
    m_heading->setText(tr("No version selected"));
    for (QLabel *label : {m_description,
                          m_published,
                          m_size,
                          m_integrity,
                          m_shasum,
                          m_license,
                          m_scripts,
                          m_npm,
                          m_yarn,
                          m_pnpm,
                          m_copied}) {
        label->clear();
    }
    m_save->setEnabled(false);
    m_readme->clear();
    m_dependencies->clear();
    m_files->clear();
    setTabText(DependenciesTab, tr("Dependencies"));
    setTabText(FilesTab, tr("Files"));
}

void VersionDetailsView::setDetails(const VersionDetails &details)
{
    m_details = details;
    const Package &package = details.package;
    const QLocale locale;
    m_heading->setText(u"%1@%2"_s.arg(package.name, package.version));
    m_description->setText(details.description);
    m_description->setVisible(!details.description.isEmpty());
    m_published->setText(
        tr("%1 by %2")
            .arg(locale.toString(package.createdAt.toLocalTime(), QLocale::LongFormat),
                 package.publisher.isEmpty() ? tr("unknown") : package.publisher));
    m_size->setText(details.tarballError.isEmpty()
                        ? tr("%1 packed, %2 unpacked, %n file(s)",
                             nullptr,
                             int(std::count_if(details.files.cbegin(),
                                               details.files.cend(),
                                               [](const auto &entry) { return entry.isFile; })))
                              .arg(locale.formattedDataSize(package.size),
                                   locale.formattedDataSize(details.unpackedSize))
                        : tr("%1 packed; the tarball cannot be read: %2")
                              .arg(locale.formattedDataSize(package.size), details.tarballError));
    m_integrity->setText(details.integrity());
    m_shasum->setText(package.sha1);
    m_license->setText(details.license.isEmpty() ? tr("none given") : details.license);
    // Words, not just a colour: install scripts run code on every machine that installs this.
    m_scripts->setText(details.installScripts.isEmpty()
                           ? tr("none")
                           : tr("runs %1 at install").arg(details.installScripts.join(u", "_s)));
    m_npm->setText(npmCommand(package));
    m_yarn->setText(yarnCommand(package));
    m_pnpm->setText(pnpmCommand(package));
    m_copied->clear();
    m_save->setEnabled(details.tarballError.isEmpty());

    if (details.readme.isEmpty()) {
        m_readme->setPlainText(tr("This version has no README."));
    } else if (details.readmePath.endsWith(u".txt"_s, Qt::CaseInsensitive)) {
        m_readme->setPlainText(details.readme);
    } else {
        m_readme->setMarkdown(details.readme);
    }

    m_dependencies->clear();
    QFont linkFont = m_dependencies->font();
    linkFont.setUnderline(true);
    for (const VersionDetails::Dependency &dependency : details.dependencies) {
        auto *item = new QTreeWidgetItem(
            m_dependencies,
            {dependency.name, dependency.range, dependencyKindText(dependency.kind)});
        item->setData(0, LocalRole, dependency.local);
        if (dependency.local) {
            item->setFont(0, linkFont);
            item->setForeground(0, palette().link());
            item->setToolTip(0, tr("In this registry: click to show it"));
        } else {
            item->setToolTip(0, tr("Not in this registry"));
        }
    }
    setTabText(DependenciesTab, tr("Dependencies (%1)").arg(details.dependencies.size()));

    m_files->setSortingEnabled(false);
    m_files->clear();
    int fileCount = 0;
    for (const Npm::TarballEntry &entry : details.files) {
        if (!entry.isFile) {
            continue;
        }
        ++fileCount;
        auto *item = new FileItem(m_files, {entry.path, locale.formattedDataSize(entry.size)});
        item->setData(1, Qt::UserRole, entry.size);
        item->setTextAlignment(1, Qt::AlignRight | Qt::AlignVCenter);
    }
    m_files->setSortingEnabled(true);
    setTabText(FilesTab, tr("Files (%1)").arg(fileCount));
}
