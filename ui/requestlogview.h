// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QWidget>

class QCheckBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSortFilterProxyModel;
class QTableView;
class QTimer;

namespace Trove {
class RequestLog;
class RequestLogModel;
} // namespace Trove

// The live request log: method, path, endpoint level, token (kind and name, never the secret),
// status, bytes, time, and for refusals and misses the reason. Filter, problems only, pause,
// copy as curl (token as $NPM_TOKEN). Takes the server's entries in batches, four times a second.
class RequestLogView final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RequestLogView)

public:
    explicit RequestLogView(QWidget *parent = nullptr);

    // The log the server fills; must outlive this view.
    void setRequestLog(Trove::RequestLog *log);
    // Where clients reach the registry, for "Copy as curl".
    void setOrigin(const QString &origin);
    // Takes what the server has logged since the last time (the timer calls it).
    void poll();
    Trove::RequestLogModel *model() const { return m_model; }
    QTableView *table() const { return m_table; }
    // The curl command for the selected request ("" when none); also put on the clipboard by
    // the Copy as curl button.
    QString selectedCurl() const;

private:
    // What the empty table says: why it is empty and what fills it.
    void updateEmptyState();

    Trove::RequestLog *m_log = nullptr;
    Trove::RequestLogModel *m_model = nullptr;
    QSortFilterProxyModel *m_proxy = nullptr;
    QTableView *m_table = nullptr;
    QLineEdit *m_filter = nullptr;
    QCheckBox *m_problemsOnly = nullptr;
    QPushButton *m_pause = nullptr;
    QLabel *m_dropped = nullptr;
    QTimer *m_timer = nullptr;
    QString m_origin;
    quint64 m_droppedTotal = 0;
};
