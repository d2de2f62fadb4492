// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/trayicon.h"

#include "model/itemmodels/requestlogmodel.h"
#include "model/registry.h"
#include "model/store/packagestore.h"
#include "ui/async.h"
#include "ui/mainwindow.h"
#include "ui/uilogging.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDir>
#include <QFile>
#include <QMenu>
#include <QMessageBox>
#include <QSaveFile>
#include <QSettings>
#include <QStandardPaths>
#include <QSystemTrayIcon>
#include <QTimer>
#include <QUrl>

using namespace Qt::StringLiterals;
using namespace Trove;

namespace {

const QString AppId = u"io.github.trove.Trove"_s;
// "In the last minutes": a registry that answered within this long is in use, and closing the
// window (which stops it, without a tray) asks first.
constexpr std::chrono::minutes RecentlyServed{5};

QString key(qint64 projectId, const QString &name)
{
    return QString::number(projectId) + u' ' + name;
}

// A desktop entry's Exec value: arguments with spaces, quotes or backslashes quoted as the
// Desktop Entry Specification says.
QString execArgument(const QString &argument)
{
    static const QString special = u" \t\n\"'\\><~|&;$*?#()`"_s;
    // A literal % is %% whether quoted or not (field codes start with %).
    const QString argumentText = QString(argument).replace(u"%"_s, u"%%"_s);
    bool quote = argument.isEmpty();
    for (const QChar c : argument) {
        quote = quote || special.contains(c);
    }
    if (!quote) {
        return argumentText;
    }
    QString escaped = argumentText;
    escaped.replace(u"\\"_s, u"\\\\"_s).replace(u"\""_s, u"\\\""_s).replace(u"`"_s, u"\\`"_s);
    escaped.replace(u"$"_s, u"\\$"_s);
    return u'"' + escaped + u'"';
}

// The package name of a publish route ("/api/v4/projects/7/packages/npm/@acme%2fcore"); "" for
// any other route (dist-tags are under /-/).
QString publishedName(const RequestLogEntry &entry)
{
    if (entry.method != u"PUT"_s) {
        return {};
    }
    const QString marker = u"/packages/npm/"_s;
    const qsizetype at = entry.path.indexOf(marker);
    if (at < 0) {
        return {};
    }
    QString name = entry.path.mid(at + marker.size());
    name = name.left(name.indexOf(u'?'));
    if (name.isEmpty() || name.startsWith(u"-/"_s) || name.contains(u"/-/"_s)) {
        return {};
    }
    return QUrl::fromPercentEncoding(name.toUtf8());
}

} // namespace

TrayIcon::TrayIcon(MainWindow *window,
                   Registry &registry,
                   const QString &dataFolder,
                   QObject *parent)
    : QObject(parent)
    , m_window(window)
    , m_registry(registry)
    , m_dataFolder(dataFolder)
{
    m_icon = new QSystemTrayIcon(this);
    m_menu = new QMenu;
    m_menu->setObjectName(u"trayMenu"_s);
    buildMenu();
    m_icon->setContextMenu(m_menu);
    connect(
        m_icon, &QSystemTrayIcon::activated, this, [this](QSystemTrayIcon::ActivationReason why) {
            if (why == QSystemTrayIcon::Trigger || why == QSystemTrayIcon::DoubleClick) {
                if (m_window && m_window->isVisible() && !m_window->isMinimized()) {
                    m_window->hide();
                } else {
                    openWindow();
                }
            }
        });
    m_rateTimer = new QTimer(this);
    m_rateTimer->setInterval(1000);
    connect(m_rateTimer, &QTimer::timeout, this, &TrayIcon::updateRate);
    m_rateTimer->start();
    m_recentlyServed = QDeadlineTimer(0); // expired: nothing served yet

    window->installEventFilter(this);
    // File ▸ Quit quits, also when closing the window would only hide it in the tray.
    if (QAction *quitAction = window->findChild<QAction *>(u"quitAction"_s)) {
        disconnect(quitAction, &QAction::triggered, window, nullptr);
        connect(quitAction, &QAction::triggered, this, &TrayIcon::quit);
    }
    if (RequestLogModel *log = window->requestLogModel()) {
        connect(log,
                &QAbstractItemModel::rowsInserted,
                this,
                [this](const QModelIndex &, int first, int last) { requestsLogged(first, last); });
    }
    // Queued: the event may come from a server thread, inside the write that emitted it.
    connect(&m_registry.events(),
            &Events::packageChanged,
            this,
            &TrayIcon::packageChanged,
            Qt::QueuedConnection);
    loadBaseline();

    updateIcon();
    if (QSystemTrayIcon::isSystemTrayAvailable()) {
        m_icon->show();
        // With the icon as the way back, a hidden window or a closed dialog must not end the
        // program; quit() does.
        QApplication::setQuitOnLastWindowClosed(false);
    }
}

TrayIcon::~TrayIcon()
{
    delete m_menu;
}

QIcon TrayIcon::applicationIcon()
{
    QIcon icon;
    for (const int size : {16, 32, 64, 256}) {
        icon.addFile(u":/trove/icons/trove-%1.png"_s.arg(size), QSize(size, size));
    }
    return icon;
}

bool TrayIcon::inTray() const
{
    return m_icon->isVisible() && QSystemTrayIcon::isSystemTrayAvailable();
}

void TrayIcon::buildMenu()
{
    m_openAction = m_menu->addAction(tr("&Open Trove"));
    m_openAction->setObjectName(u"trayOpenAction"_s);
    connect(m_openAction, &QAction::triggered, this, &TrayIcon::openWindow);
    m_menu->addSeparator();
    // The window's own actions: one place enables them for the registry's state.
    for (const char *name : {"startRegistryAction", "stopRegistryAction", "copyAddressAction"}) {
        if (QAction *action = m_window->findChild<QAction *>(QString::fromLatin1(name))) {
            m_menu->addAction(action);
        }
    }
    m_menu->addSeparator();
    QMenu *settings = m_menu->addMenu(tr("&Desktop Settings"));
    settings->setObjectName(u"trayDesktopSettings"_s);
    m_closeToTrayAction = settings->addAction(tr("&Keep Running When the Window Closes"));
    m_closeToTrayAction->setObjectName(u"closeToTrayAction"_s);
    m_closeToTrayAction->setCheckable(true);
    m_closeToTrayAction->setChecked(closeToTray());
    connect(m_closeToTrayAction, &QAction::toggled, this, [](bool on) { setCloseToTray(on); });
    m_autostartAction = settings->addAction(tr("&Start with the Session (in the Tray)"));
    m_autostartAction->setObjectName(u"autostartAction"_s);
    m_autostartAction->setCheckable(true);
    m_autostartAction->setChecked(startsWithSession());
    connect(m_autostartAction, &QAction::toggled, this, [this](bool on) {
        if (!setStartsWithSession(on)) {
            const QSignalBlocker blocker(m_autostartAction);
            m_autostartAction->setChecked(startsWithSession());
        }
    });
    m_notificationsAction = settings->addAction(tr("&Notify of Publishes and Deprecations"));
    m_notificationsAction->setObjectName(u"notificationsAction"_s);
    m_notificationsAction->setCheckable(true);
    m_notificationsAction->setChecked(notificationsEnabled());
    connect(m_notificationsAction, &QAction::toggled, this, [](bool on) {
        setNotificationsEnabled(on);
    });
    m_menu->addSeparator();
    QAction *quitAction = m_menu->addAction(tr("&Quit"));
    quitAction->setObjectName(u"trayQuitAction"_s);
    connect(quitAction, &QAction::triggered, this, &TrayIcon::quit);
}

void TrayIcon::openWindow()
{
    if (!m_window) {
        return;
    }
    m_window->show();
    m_window->setWindowState(m_window->windowState() & ~Qt::WindowMinimized);
    m_window->raise();
    m_window->activateWindow();
}

void TrayIcon::quit()
{
    if (!inTray() && m_window) {
        // Closing is quitting: the close event asks first if the registry was in use, and
        // quits when it closes.
        m_window->close();
        return;
    }
    // Quitting stops the registry, as closing does without a tray: the same question.
    if (!askBeforeStopping()) {
        return;
    }
    m_quitting = true;
    if (m_window) {
        m_window->close();
    }
    emit quitRequested();
}

bool TrayIcon::askBeforeStopping()
{
    if (m_status.state != ServerStatus::State::Running || !servedRecently()) {
        return true;
    }
    const QString text = tr("The registry at %1 answered requests in the last minutes. "
                            "Closing Trove stops it, and npm, yarn or pnpm pointed at it "
                            "will fail.\n\nStop the registry and close?")
                             .arg(m_status.url());
    if (m_closeQuestion) {
        return m_closeQuestion(text);
    }
    return QMessageBox::question(m_window,
                                 tr("Stop the Registry?"),
                                 text,
                                 QMessageBox::Close | QMessageBox::Cancel,
                                 QMessageBox::Cancel)
        == QMessageBox::Close;
}

bool TrayIcon::eventFilter(QObject *watched, QEvent *event)
{
    if (watched != m_window || event->type() != QEvent::Close || m_quitting) {
        return QObject::eventFilter(watched, event);
    }
    if (inTray() && closeToTray()) {
        event->ignore();
        m_window->hide();
        QSettings settings;
        const bool notice = !settings.value(u"Tray/closeNoticeShown"_s, false).toBool();
        if (notice) {
            settings.setValue(u"Tray/closeNoticeShown"_s, true);
            const QString text = tr("The registry keeps serving from the tray. Quit from the "
                                    "tray icon's menu to stop it.");
            m_lastNotification = text;
            m_icon->showMessage(tr("Trove is still running"), text, QSystemTrayIcon::Information);
        }
        emit closedToTray(notice);
        return true;
    }
    // Closing now stops the registry: ask if clients were using it.
    if (!askBeforeStopping()) {
        event->ignore();
        return true;
    }
    m_quitting = true;
    // After the window's own closeEvent (which saves its layout) has run.
    QMetaObject::invokeMethod(this, &TrayIcon::quitRequested, Qt::QueuedConnection);
    return QObject::eventFilter(watched, event);
}

bool TrayIcon::servedRecently() const
{
    // Requests since the rate's last tick count too: a quit right after them must still ask.
    if (m_requestCounter && m_requestCounter() > m_lastCount) {
        return true;
    }
    return !m_recentlyServed.hasExpired();
}

void TrayIcon::setServerStatus(const ServerStatus &status)
{
    const bool started = status.state == ServerStatus::State::Running
        && m_status.state != ServerStatus::State::Running;
    m_status = status;
    if (started) {
        m_lastCount = m_requestCounter ? m_requestCounter() : 0;
        m_rate = 0;
    }
    updateIcon();
}

void TrayIcon::setRequestCounter(std::function<quint64()> counter)
{
    m_requestCounter = std::move(counter);
    m_lastCount = m_requestCounter ? m_requestCounter() : 0;
}

void TrayIcon::updateRate()
{
    if (!m_requestCounter) {
        return;
    }
    const quint64 count = m_requestCounter();
    const quint64 rate = count - std::min(count, m_lastCount);
    m_lastCount = count;
    if (rate > 0) {
        m_recentlyServed = QDeadlineTimer(RecentlyServed);
    }
    if (rate != m_rate) {
        m_rate = rate;
        updateIcon();
    }
}

QString TrayIcon::toolTip() const
{
    switch (m_status.state) {
    case ServerStatus::State::Running:
        return tr("Trove: registry running at %1\n%2 requests/s")
            .arg(m_status.url(), QLocale().toString(m_rate));
    case ServerStatus::State::Starting:
        return tr("Trove: starting the registry");
    case ServerStatus::State::Failed:
        return tr("Trove: registry not running: %1").arg(m_status.error);
    case ServerStatus::State::Stopped:
        break;
    }
    return tr("Trove: registry stopped");
}

void TrayIcon::updateIcon()
{
    // The application's icon while it serves, greyed out while it does not.
    QIcon icon = applicationIcon();
    if (m_status.state != ServerStatus::State::Running) {
        icon = QIcon(icon.pixmap(64, 64, QIcon::Disabled));
    }
    m_icon->setIcon(icon);
    m_icon->setToolTip(toolTip());
}

void TrayIcon::notify(const QString &title, const QString &text)
{
    if (!notificationsEnabled()) {
        return;
    }
    m_lastNotification = text;
    qCInfo(lcUi).noquote() << "Notification:" << title << '-' << text;
    if (inTray()) {
        m_icon->showMessage(title, text, QSystemTrayIcon::Information);
    }
    emit notified(title, text);
}

void TrayIcon::requestsLogged(int first, int last)
{
    auto *log = m_window ? m_window->requestLogModel() : nullptr;
    if (!log) {
        return;
    }
    for (int row = first; row <= last; ++row) {
        const RequestLogEntry &entry = log->entryAt(row);
        if (entry.status < 400) {
            continue;
        }
        const QString name = publishedName(entry);
        if (name.isEmpty()) {
            continue;
        }
        const QString why = entry.reason.isEmpty()
            ? QString::number(entry.status)
            : u"%1: %2"_s.arg(entry.status).arg(entry.reason);
        notify(tr("Publish refused"), tr("A publish of %1 was refused (%2).").arg(name, why));
    }
}

void TrayIcon::loadBaseline()
{
    Database *database = &m_registry.database();
    Ui::runAsync(
        this,
        nullptr,
        [database] { return PackageStore(*database).packageSummaries(); },
        [this](const Result<QList<PackageSummary>> &summaries) {
            if (!summaries) {
                qCWarning(lcUi) << "Cannot load the packages for notifications:"
                                << summaries.error().message;
                return;
            }
            for (const PackageSummary &summary : *summaries) {
                // What a change seen before the baseline arrived said stays.
                m_known.insert(
                    key(summary.projectId, summary.name),
                    m_known.value(key(summary.projectId, summary.name),
                                  Known{summary.versionCount, summary.deprecatedVersionCount}));
            }
            m_baselineLoaded = true;
        });
}

void TrayIcon::packageChanged(qint64 projectId, const QString &name)
{
    Database *database = &m_registry.database();
    Ui::runAsync(
        this,
        nullptr,
        [database, projectId, name] {
            return PackageStore(*database).packageSummary(projectId, name);
        },
        [this](const Result<PackageSummary> &summary) {
            if (summary) {
                comparePackage(*summary);
            }
        });
}

void TrayIcon::comparePackage(const PackageSummary &now)
{
    const QString k = key(now.projectId, now.name);
    const Known before = m_known.value(k);
    m_known.insert(k, Known{now.versionCount, now.deprecatedVersionCount});
    if (now.versionCount > before.versions) {
        notify(tr("Package published"),
               tr("%1@%2 was published to %3.").arg(now.name, now.latestVersion, now.projectPath));
    } else if (now.deprecatedVersionCount > before.deprecated) {
        const int count = now.deprecatedVersionCount - before.deprecated;
        notify(tr("Package deprecated"),
               tr("%n version(s) of %1 in %2 deprecated.", nullptr, count)
                   .arg(now.name, now.projectPath));
    }
}

bool TrayIcon::closeToTray()
{
    return QSettings().value(u"Tray/closeToTray"_s, true).toBool();
}

void TrayIcon::setCloseToTray(bool on)
{
    QSettings().setValue(u"Tray/closeToTray"_s, on);
}

bool TrayIcon::notificationsEnabled()
{
    return QSettings().value(u"Tray/notifications"_s, false).toBool();
}

void TrayIcon::setNotificationsEnabled(bool on)
{
    QSettings().setValue(u"Tray/notifications"_s, on);
}

QString TrayIcon::autostartPath()
{
    return QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation)
        + u"/autostart/"_s + AppId + u".desktop"_s;
}

bool TrayIcon::startsWithSession() const
{
    return QFile::exists(autostartPath());
}

bool TrayIcon::setStartsWithSession(bool on)
{
    const QString path = autostartPath();
    if (!on) {
        if (QFile::exists(path) && !QFile::remove(path)) {
            qCWarning(lcUi) << "Cannot remove the autostart entry" << path;
            return false;
        }
        return true;
    }
    if (!QDir().mkpath(QFileInfo(path).absolutePath())) {
        qCWarning(lcUi) << "Cannot create the folder of" << path;
        return false;
    }
    // The program that runs now (installed or a build), started hidden on the same data.
    QStringList command{QCoreApplication::applicationFilePath(), u"--hidden"_s};
    if (QDir::cleanPath(m_dataFolder) != QDir::cleanPath(Registry::defaultDataDir())) {
        command << u"--data"_s << m_dataFolder;
    }
    QStringList exec;
    for (const QString &argument : std::as_const(command)) {
        exec << execArgument(argument);
    }
    const QString entry = u"[Desktop Entry]\n"
                          "Type=Application\n"
                          "Name=Trove\n"
                          "Comment=The npm package registry, in the tray\n"
                          "Exec=%1\n"
                          "Icon=%2\n"
                          "Terminal=false\n"
                          "X-GNOME-Autostart-enabled=true\n"_s.arg(exec.join(u' '), AppId);
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(entry.toUtf8()) < 0 || !file.commit()) {
        qCWarning(lcUi) << "Cannot write the autostart entry" << path << file.errorString();
        return false;
    }
    return true;
}
