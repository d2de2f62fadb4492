// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDialog>
#include <QMap>
#include <QStringList>

class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QListWidget;

// Deprecates or undeprecates versions of one package. The user ticks versions or types a semver
// range; the versions it matches are ticked and highlighted as they type (node-semver's
// satisfies() with prereleases included, as `npm deprecate` reads a range). Deprecating needs a
// message; templates fill in the latest version. Open it with open(): it never blocks.
class DeprecateDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DeprecateDialog)

public:
    enum class Mode { Deprecate, Undeprecate };

    struct Version
    {
        QString version;
        QString deprecation; // current message, empty when not deprecated
    };

    // `versions` newest first; `preselected` are ticked at the start.
    DeprecateDialog(Mode mode,
                    const QString &packageName,
                    const QList<Version> &versions,
                    const QString &latestVersion,
                    const QStringList &preselected,
                    QWidget *parent = nullptr);

    Mode mode() const { return m_mode; }
    QStringList checkedVersions() const;
    // The message for each ticked version ("" to undeprecate): what PackageService::deprecate
    // takes.
    QMap<QString, QString> messages() const;
    QString message() const;

    // Ticks exactly the versions `range` matches. False (and nothing changes) when `range` is
    // not a semver range.
    bool applyRange(const QString &range);

private:
    void updateState();

    const Mode m_mode;
    QLineEdit *m_range = nullptr;
    QLabel *m_rangeStatus = nullptr;
    QListWidget *m_list = nullptr;
    QComboBox *m_message = nullptr;
    QLabel *m_summary = nullptr;
    QDialogButtonBox *m_buttons = nullptr;
};
