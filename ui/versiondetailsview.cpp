// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/versiondetailsview.h"

#include <QApplication>
#include <QClipboard>
#include <QFontDatabase>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPainter>
#include <QPushButton>
#include <QScrollArea>
#include <QStyle>
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

// A label that never asks for more width than a few characters: what does not fit is elided
// (text() stays the whole value) and the whole value is in the tooltip. An integrity hash or a
// long package name must not make the window wider than the user made it.
class ElidingLabel final : public QLabel
{
public:
    explicit ElidingLabel(Qt::TextElideMode mode)
        : m_mode(mode)
    {
        setTextFormat(Qt::PlainText);
        setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
        setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    }

    bool isElided() const
    {
        return fontMetrics().horizontalAdvance(text()) > contentsRect().width();
    }

    QSize minimumSizeHint() const override
    {
        return {fontMetrics().horizontalAdvance(u"…"_s) * 4, QLabel::minimumSizeHint().height()};
    }

protected:
    void resizeEvent(QResizeEvent *event) override
    {
        QLabel::resizeEvent(event);
        updateToolTip();
    }

    void paintEvent(QPaintEvent *event) override
    {
        updateToolTip(); // setText() is not virtual: catch up with the text here
        if (!isElided()) {
            QLabel::paintEvent(event); // keeps the mouse selection
            return;
        }
        QPainter painter(this);
        const QRect rect = contentsRect();
        style()->drawItemText(&painter,
                              rect,
                              int(alignment()),
                              palette(),
                              isEnabled(),
                              fontMetrics().elidedText(text(), m_mode, rect.width()),
                              foregroundRole());
    }

private:
    void updateToolTip()
    {
        const QString tip = isElided() ? text() : QString();
        if (toolTip() != tip) {
            setToolTip(tip);
        }
    }

    Qt::TextElideMode m_mode;
};

// Wraps at word boundaries; the longest word does not set a minimum width (a word wider than
// the label is cut at its edge rather than widening the window, and the tooltip has it all).
class WrappingLabel final : public QLabel
{
public:
    WrappingLabel()
    {
        setTextFormat(Qt::PlainText);
        setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
        setWordWrap(true);
    }

    QSize minimumSizeHint() const override
    {
        return {fontMetrics().horizontalAdvance(u"…"_s) * 4, QLabel::minimumSizeHint().height()};
    }

    // A tooltip of its own (the full date); else the tooltip is the text while a word is cut.
    void setFixedToolTip(const QString &tip)
    {
        m_fixedToolTip = tip;
        updateToolTip();
    }

protected:
    void resizeEvent(QResizeEvent *event) override
    {
        QLabel::resizeEvent(event);
        updateToolTip();
    }

    void paintEvent(QPaintEvent *event) override
    {
        updateToolTip(); // setText() is not virtual: catch up with the text here
        QLabel::paintEvent(event);
    }

private:
    void updateToolTip()
    {
        QString tip = m_fixedToolTip;
        if (tip.isEmpty()) {
            const int width = contentsRect().width();
            const QStringList words = text().split(u' ', Qt::SkipEmptyParts);
            if (std::any_of(words.cbegin(), words.cend(), [&](const QString &word) {
                    return fontMetrics().horizontalAdvance(word) > width;
                })) {
                tip = text();
            }
        }
        if (toolTip() != tip) {
            setToolTip(tip);
        }
    }

    QString m_fixedToolTip;
};

QLabel *selectableLabel()
{
    return new WrappingLabel;
}

ElidingLabel *elidingLabel(Qt::TextElideMode mode)
{
    return new ElidingLabel(mode);
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
    m_dependencies->setTabKeyNavigation(false);
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
    m_files->setTabKeyNavigation(false);
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
    m_heading = elidingLabel(Qt::ElideRight);
    m_heading->setObjectName(u"versionHeading"_s);
    QFont bold = m_heading->font();
    bold.setBold(true);
    m_heading->setFont(bold);
    layout->addWidget(m_heading);
    m_description = selectableLabel();
    m_description->setObjectName(u"descriptionLabel"_s);
    layout->addWidget(m_description);

    // A grid, not a QFormLayout: the form gave a value wrapped to two lines the height of one
    // and a half at some widths; the grid gives each row its height for the width it has.
    auto *form = new QGridLayout;
    form->setColumnStretch(1, 1);
    // Wrapped values start at their label's line; a value beside a Copy button is centred on
    // the button, and so is its label.
    const auto addRow =
        [form](const QString &text, QWidget *field, Qt::Alignment vertical = Qt::AlignTop) {
            auto *label = new QLabel(text);
            label->setBuddy(field);
            const int row = form->rowCount();
            form->addWidget(label, row, 0, Qt::AlignLeft | vertical);
            form->addWidget(field, row, 1, vertical);
        };
    m_published = selectableLabel();
    m_published->setObjectName(u"publishedLabel"_s);
    m_size = selectableLabel();
    m_size->setObjectName(u"sizeLabel"_s);
    m_integrity = elidingLabel(Qt::ElideMiddle);
    m_integrity->setObjectName(u"integrityLabel"_s);
    m_shasum = elidingLabel(Qt::ElideMiddle);
    m_shasum->setObjectName(u"shasumLabel"_s);
    m_license = selectableLabel();
    m_license->setObjectName(u"licenseLabel"_s);
    m_scripts = selectableLabel();
    m_scripts->setObjectName(u"installScriptsLabel"_s);
    addRow(tr("Published:"), m_published);
    addRow(tr("Size:"), m_size);

    // A value with a Copy button beside it; the button is what Tab reaches.
    const auto copyRow =
        [this, addRow](const QString &label, QLabel *value, const char *name, const QString &what) {
            auto *row = new QWidget;
            auto *rowLayout = new QHBoxLayout(row);
            rowLayout->setContentsMargins(0, 0, 0, 0);
            auto *button = new QToolButton;
            button->setObjectName(QString::fromLatin1(name));
            button->setText(tr("Copy"));
            button->setToolTip(tr("Copy %1").arg(what));
            button->setAccessibleName(tr("Copy %1").arg(what));
            button->setFocusPolicy(Qt::StrongFocus);
            connect(button, &QToolButton::clicked, this, [this, button, value] {
                copy(button, value->text());
            });
            rowLayout->addWidget(value, 1);
            rowLayout->addWidget(button);
            addRow(label, row, Qt::AlignVCenter);
            m_copyButtons.append(button);
            m_copyValues.append(value);
        };
    copyRow(tr("Integrity:"), m_integrity, "copyIntegrity", tr("the integrity (SHA-512)"));
    addRow(tr("SHA-1:"), m_shasum);
    addRow(tr("License:"), m_license);
    addRow(tr("Install scripts:"), m_scripts);

    const QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    m_npm = elidingLabel(Qt::ElideRight);
    m_yarn = elidingLabel(Qt::ElideRight);
    m_pnpm = elidingLabel(Qt::ElideRight);
    for (QLabel *command : {m_npm, m_yarn, m_pnpm}) {
        command->setFont(mono);
    }
    copyRow(u"npm:"_s, m_npm, "copyNpm", tr("the %1 command").arg(u"npm"_s));
    copyRow(u"yarn:"_s, m_yarn, "copyYarn", tr("the %1 command").arg(u"yarn"_s));
    copyRow(u"pnpm:"_s, m_pnpm, "copyPnpm", tr("the %1 command").arg(u"pnpm"_s));
    layout->addLayout(form);

    auto *buttons = new QHBoxLayout;
    m_save = new QPushButton(tr("Save Tarball…"));
    m_save->setObjectName(u"saveTarballButton"_s);
    connect(m_save, &QPushButton::clicked, this, &VersionDetailsView::saveTarballRequested);
    buttons->addWidget(m_save);
    buttons->addStretch(1);
    layout->addLayout(buttons);
    layout->addStretch(1);

    // In a scroll area: at a small window the overview scrolls instead of cutting its rows, and
    // the wrapped labels get their height for the width they have.
    auto *scroll = new QScrollArea;
    scroll->setObjectName(u"overviewScroll"_s);
    scroll->setWidget(page);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    // The scroll area itself is no Tab stop: Tab goes from the tabs to the buttons.
    scroll->setFocusPolicy(Qt::NoFocus);
    addTab(scroll, tr("Overview"));

    // Tab: the tabs, then the Copy buttons top to bottom, then Save Tarball.
    QWidget *previous = tabBar();
    for (QToolButton *button : std::as_const(m_copyButtons)) {
        QWidget::setTabOrder(previous, button);
        previous = button;
    }
    QWidget::setTabOrder(previous, m_save);
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

void VersionDetailsView::copy(QToolButton *button, const QString &text)
{
    QApplication::clipboard()->setText(text);
    // Feedback where the eyes are: the button says so for a moment.
    button->setText(tr("Copied"));
    QTimer::singleShot(1500, button, [button] { button->setText(tr("Copy")); });
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
                          m_pnpm}) {
        label->clear();
    }
    static_cast<WrappingLabel *>(m_published)->setFixedToolTip(QString());
    // Nothing to copy or save until a version is shown.
    for (QToolButton *button : std::as_const(m_copyButtons)) {
        button->setEnabled(false);
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
    // The short form fits a narrow pane; the full date is one hover away.
    const QDateTime published = package.createdAt.toLocalTime();
    m_published->setText(tr("%1 by %2")
                             .arg(locale.toString(published, QLocale::ShortFormat),
                                  package.publisher.isEmpty() ? tr("unknown") : package.publisher));
    static_cast<WrappingLabel *>(m_published)
        ->setFixedToolTip(locale.toString(published, QLocale::LongFormat));
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
    for (qsizetype i = 0; i < m_copyButtons.size(); ++i) {
        m_copyButtons.at(i)->setEnabled(!m_copyValues.at(i)->text().isEmpty());
    }
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
