// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDialog>

#include <functional>

class QCheckBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QPushButton;

// Registry ▸ Open a Shared Store…: the PostgreSQL store several Trove instances share
// (docs/postgresql.md), the password if the URL has none, and the data folder every instance
// keeps the tarballs in. Test Connection opens the store off the GUI thread and says what came
// of it under the URL; every error stands under the field that caused it. Open tests the
// connection the same way and is accepted only once it succeeded.
//
// Stored in QSettings (group "SharedStore") without the password field's value: a password is
// kept only when the URL itself carries it, else libpq finds one in PGPASSWORD or ~/.pgpass.
class SharedStoreDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SharedStoreDialog)

public:
    struct Choice
    {
        QString url; // as typed (a password only if the URL carries one); empty: the local store
        QString dataFolder; // where the tarballs are, shared by every instance
        bool serveFromWindow = false; // run the embedded server too
    };

    // The remembered choice; url empty when the window uses the local store.
    static Choice load();
    static void save(const Choice &choice);
    // Back to the local SQLite store (the shared one stays in the dialog's fields).
    static void forgetStore();
    // The shared store's URL remembered for the dialog's field even after going back to local.
    static QString lastUrl();

    // `defaultDataFolder`: proposed while no folder was chosen.
    explicit SharedStoreDialog(const Choice &choice,
                               const QString &defaultDataFolder,
                               QWidget *parent = nullptr);

    Choice choice() const;
    // The URL to connect with: the typed one with the password field's value put in (this
    // process only; never saved, never shown).
    QString connectionUrl() const;

    // "" when `url` is a PostgreSQL URL this store accepts, else what is wrong, for the user.
    static QString urlProblem(const QString &url);

    // The seam for Browse…: returns the chosen folder or "" (default: QFileDialog).
    void setFolderChooser(std::function<QString(const QString &current)> chooser)
    {
        m_chooseFolder = std::move(chooser);
    }

public slots:
    // Opens the store with the fields' values off the GUI thread; the result shows under the
    // URL (testFinished).
    void testConnection();
    void accept() override;

signals:
    void testFinished(bool ok);

private:
    // Checks the fields without connecting; false (with the errors shown) when one is wrong.
    bool validate();
    void runTest(bool acceptAfter);

    QLineEdit *m_url = nullptr;
    QLabel *m_urlStatus = nullptr;
    QLineEdit *m_password = nullptr;
    QLabel *m_passwordHint = nullptr;
    QLineEdit *m_dataFolder = nullptr;
    QLabel *m_folderStatus = nullptr;
    QCheckBox *m_serve = nullptr;
    QPushButton *m_testButton = nullptr;
    QDialogButtonBox *m_buttons = nullptr;
    std::function<QString(const QString &)> m_chooseFolder;
    quint64 m_testGeneration = 0;
};
