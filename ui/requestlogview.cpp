// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/requestlogview.h"

#include "model/itemmodels/requestlogmodel.h"
#include "model/requestlog.h"
#include "ui/emptystate.h"

#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QScrollBar>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;
using Trove::RequestLogModel;

namespace {

class LogFilter final : public QSortFilterProxyModel
{
public:
    using QSortFilterProxyModel::QSortFilterProxyModel;

    void setProblemsOnly(bool on)
    {
        m_problemsOnly = on;
        invalidateFilter();
    }
    void setWords(const QString &text)
    {
        m_words = text.toCaseFolded().split(u' ', Qt::SkipEmptyParts);
        invalidateFilter();
    }

protected:
    bool filterAcceptsRow(int row, const QModelIndex &parent) const override
    {
        const QModelIndex index = sourceModel()->index(row, 0, parent);
        if (m_problemsOnly && !index.data(RequestLogModel::ProblemRole).toBool()) {
            return false;
        }
        if (m_words.isEmpty()) {
            return true;
        }
        const QString text = index.data(RequestLogModel::SearchTextRole).toString().toCaseFolded();
        for (const QString &word : m_words) {
            if (!text.contains(word)) {
                return false;
            }
        }
        return true;
    }

private:
    bool m_problemsOnly = false;
    QStringList m_words;
};

} // namespace

RequestLogView::RequestLogView(QWidget *parent)
    : QWidget(parent)
{
    setObjectName(u"requestLog"_s);
    m_model = new RequestLogModel(5000, this);
    auto *proxy = new LogFilter(this);
    proxy->setSourceModel(m_model);
    m_proxy = proxy;

    m_filter = new QLineEdit;
    m_filter->setObjectName(u"logFilter"_s);
    m_filter->setPlaceholderText(tr("Filter: path, status, token, reason"));
    m_filter->setClearButtonEnabled(true);
    connect(m_filter, &QLineEdit::textChanged, this, [this, proxy](const QString &text) {
        proxy->setWords(text);
        updateEmptyState();
    });
    m_problemsOnly = new QCheckBox(tr("&Problems only"));
    m_problemsOnly->setObjectName(u"problemsOnly"_s);
    m_problemsOnly->setToolTip(tr("Only answers of 400 and above"));
    connect(m_problemsOnly, &QCheckBox::toggled, this, [this, proxy](bool on) {
        proxy->setProblemsOnly(on);
        updateEmptyState();
    });
    m_pause = new QPushButton(tr("P&ause"));
    m_pause->setObjectName(u"pauseButton"_s);
    m_pause->setCheckable(true);
    m_pause->setToolTip(tr("Stop adding requests while you read; they are kept and shown on "
                           "resume (up to 10,000)."));
    connect(m_pause, &QPushButton::toggled, this, [this](bool paused) {
        m_pause->setText(paused ? tr("Res&ume") : tr("P&ause"));
        if (!paused) {
            poll();
        }
    });
    auto *curl = new QPushButton(tr("Copy as &curl"));
    curl->setObjectName(u"copyCurlButton"_s);
    connect(curl, &QPushButton::clicked, this, [this] {
        const QString command = selectedCurl();
        if (!command.isEmpty()) {
            QApplication::clipboard()->setText(command);
        }
    });
    auto *clear = new QPushButton(tr("C&lear"));
    connect(clear, &QPushButton::clicked, m_model, &RequestLogModel::clear);
    m_dropped = new QLabel;
    m_dropped->setObjectName(u"droppedLabel"_s);

    m_table = new QTableView;
    m_table->setObjectName(u"requestTable"_s);
    m_table->setModel(m_proxy);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 6);
    m_table->setWordWrap(false);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setColumnWidth(RequestLogModel::TimeColumn, 100);
    m_table->setColumnWidth(RequestLogModel::MethodColumn, 60);
    m_table->setColumnWidth(RequestLogModel::PathColumn, 330);
    m_table->setColumnWidth(RequestLogModel::LevelColumn, 70);
    m_table->setColumnWidth(RequestLogModel::TokenColumn, 160);
    m_table->setColumnWidth(RequestLogModel::StatusColumn, 55);
    m_table->setColumnWidth(RequestLogModel::BytesColumn, 80);
    m_table->setColumnWidth(RequestLogModel::DurationColumn, 45);
    EmptyState::install(m_table);
    connect(m_model, &QAbstractItemModel::modelReset, this, &RequestLogView::updateEmptyState);
    connect(m_model, &QAbstractItemModel::rowsInserted, this, &RequestLogView::updateEmptyState);
    updateEmptyState();

    auto *bar = new QHBoxLayout;
    bar->addWidget(m_filter, 1);
    bar->addWidget(m_problemsOnly);
    bar->addWidget(m_pause);
    bar->addWidget(curl);
    bar->addWidget(clear);
    bar->addWidget(m_dropped);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(bar);
    layout->addWidget(m_table, 1);

    m_timer = new QTimer(this);
    m_timer->setInterval(250);
    connect(m_timer, &QTimer::timeout, this, &RequestLogView::poll);
}

void RequestLogView::setOrigin(const QString &origin)
{
    m_origin = origin;
    updateEmptyState();
}

void RequestLogView::updateEmptyState()
{
    QString text;
    if (m_model->rowCount() > 0) {
        text = m_problemsOnly->isChecked() && m_filter->text().trimmed().isEmpty()
            ? tr("No problems: every request shown so far was answered below 400.")
            : tr("No request matches the filter.");
    } else if (m_origin.isEmpty()) {
        text = tr("No requests yet. Once the registry runs (Registry ▸ Start Registry), each "
                  "request of npm, yarn or pnpm appears here as it arrives.");
    } else {
        text = tr("No requests yet. Each request npm, yarn or pnpm sends to %1 appears here as it "
                  "arrives, with its token and answer. Tools ▸ Connect a Client writes the "
                  ".npmrc that points them here.")
                   .arg(m_origin.toHtmlEscaped());
    }
    EmptyState::of(m_table)->setText(text);
}

void RequestLogView::setRequestLog(Trove::RequestLog *log)
{
    m_log = log;
    if (m_log) {
        m_timer->start();
    } else {
        m_timer->stop();
    }
}

void RequestLogView::poll()
{
    if (!m_log || m_pause->isChecked()) {
        return;
    }
    quint64 dropped = 0;
    const QList<Trove::RequestLogEntry> entries = m_log->takeNew(&dropped);
    if (entries.isEmpty()) {
        return;
    }
    if (dropped) {
        m_droppedTotal += dropped;
        m_dropped->setText(tr("%1 not shown (too many at once)").arg(m_droppedTotal));
    }
    // Follow the newest request unless the user has scrolled up to read.
    QScrollBar *scroll = m_table->verticalScrollBar();
    const bool atEnd = scroll->value() >= scroll->maximum() - 2;
    m_model->append(entries);
    if (atEnd) {
        m_table->scrollToBottom();
    }
}

QString RequestLogView::selectedCurl() const
{
    const QModelIndex current = m_proxy->mapToSource(m_table->currentIndex());
    if (!current.isValid()) {
        return {};
    }
    return RequestLogModel::curlCommand(m_model->entryAt(current.row()), m_origin);
}
