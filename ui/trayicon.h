// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "model/packagesummary.h"
#include "model/serverstatus.h"

#include <QDeadlineTimer>
#include <QHash>
#include <QIcon>
#include <QObject>
#include <QPointer>

#include <functional>
#include <optional>

class MainWindow;
class QAction;
class QMenu;
class QSystemTrayIcon;
class QTimer;

namespace Trove {
class Registry;
} // namespace Trove

// The registry in the system tray, and what closing the window means (docs/packaging.md).
//
// The icon shows whether the registry runs and, in its tooltip, the address and requests per
// second; its menu opens the window, starts or stops the registry, copies the address and quits.
// With a tray, closing the window hides it and the registry keeps serving (said once); a
// setting turns that off. Without a tray, closing the window stops the registry, so it asks
// first when the registry answered requests in the last minutes. The menu also holds the
// desktop settings: keep running when closed, start with the session (an XDG autostart entry
// that starts Trove hidden) and notifications of publishes, deprecations and refused publishes.
class TrayIcon final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TrayIcon)

public:
    // Watches `window`'s close events and uses its Registry menu's actions; both must outlive
    // the icon. `dataFolder` goes into the autostart entry when it is not the default one.
    TrayIcon(MainWindow *window,
             Trove::Registry &registry,
             const QString &dataFolder,
             QObject *parent = nullptr);
    ~TrayIcon() override;

    // Trove's icon (data/icons/, built into the program), for the windows and the tray.
    static QIcon applicationIcon();

    // Whether the icon is in a tray (a tray host runs on the desktop).
    bool inTray() const;
    QMenu *menu() const { return m_menu; }
    QSystemTrayIcon *icon() const { return m_icon; }
    // The tooltip: state, address, requests per second.
    QString toolTip() const;

    void setServerStatus(const Trove::ServerStatus &status);
    // Read once a second, as the window's status bar does.
    void setRequestCounter(std::function<quint64()> counter);

    // Closing the window with a tray: hide it and keep serving (QSettings "Tray/closeToTray",
    // on by default).
    static bool closeToTray();
    static void setCloseToTray(bool on);
    // Notifications of publishes, deprecations and refused publishes ("Tray/notifications",
    // off by default).
    static bool notificationsEnabled();
    static void setNotificationsEnabled(bool on);
    // The XDG autostart entry: $XDG_CONFIG_HOME/autostart/<app id>.desktop.
    static QString autostartPath();
    bool startsWithSession() const;
    // Writes or removes the entry; false (and a warning in the log) when it cannot be written.
    bool setStartsWithSession(bool on);

    // The seam for the question asked when closing would stop a registry that was in use
    // (default: a message box); true closes. Tests answer it themselves.
    void setCloseQuestion(std::function<bool(const QString &text)> question)
    {
        m_closeQuestion = std::move(question);
    }
    // The last notification shown ("" when none), for tests and the log.
    QString lastNotification() const { return m_lastNotification; }

    // Shows the window (from the tray, or at start without --hidden).
    void openWindow();
    // Quits: the window closes for good and quitRequested() is emitted. With a tray too, it
    // asks first when the registry answered requests in the last minutes.
    void quit();

signals:
    // The application should quit (app/ stops the server and leaves the event loop).
    void quitRequested();
    // Closing the window hid it in the tray; `noticeShown` the first time, when the tray said
    // that the registry keeps serving.
    void closedToTray(bool noticeShown);
    // A notification was shown (or would have been, with no tray to show it).
    void notified(const QString &title, const QString &text);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void buildMenu();
    void updateIcon();
    void updateRate();
    void notify(const QString &title, const QString &text);
    void loadBaseline();
    void packageChanged(qint64 projectId, const QString &name);
    void comparePackage(const Trove::PackageSummary &now);
    void requestsLogged(int first, int last);
    bool servedRecently() const;
    // Before quitting stops a registry that answered requests in the last minutes: asks (the
    // close question); true goes on.
    bool askBeforeStopping();

    QPointer<MainWindow> m_window;
    Trove::Registry &m_registry;
    QString m_dataFolder;
    QSystemTrayIcon *m_icon = nullptr;
    QMenu *m_menu = nullptr;
    QAction *m_openAction = nullptr;
    QAction *m_closeToTrayAction = nullptr;
    QAction *m_autostartAction = nullptr;
    QAction *m_notificationsAction = nullptr;
    QTimer *m_rateTimer = nullptr;
    Trove::ServerStatus m_status;
    std::function<quint64()> m_requestCounter;
    quint64 m_lastCount = 0;
    quint64 m_rate = 0;
    // When the registry last answered a request (expired: not in the last minutes).
    QDeadlineTimer m_recentlyServed;
    bool m_quitting = false;
    std::function<bool(const QString &)> m_closeQuestion;
    QString m_lastNotification;
    // What each package looked like, to tell a publish from a deprecation when it changes.
    struct Known
    {
        int versions = 0;
        int deprecated = 0;
    };
    QHash<QString, Known> m_known;
    bool m_baselineLoaded = false;
};
