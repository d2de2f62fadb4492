// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDialog>
#include <QMap>

class QDialogButtonBox;
class QLabel;
class QLineEdit;

// Names a dist-tag to point at one version: checks the name as the registry does and says
// when the tag already exists and will move. Open it with open(): it never blocks.
class TagDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TagDialog)

public:
    // `existing`: tag → version, the package's dist-tags now.
    TagDialog(const QString &packageName,
              const QString &version,
              const QMap<QString, QString> &existing,
              QWidget *parent = nullptr);

    QString tag() const;
    QString version() const { return m_version; }

protected:
    void resizeEvent(QResizeEvent *event) override;

private:
    void updateState();
    // Gives the status label the height its wrapped text needs at its width.
    void fitStatus();

    const QString m_version;
    const QMap<QString, QString> m_existing;
    QLineEdit *m_tag = nullptr;
    QLabel *m_status = nullptr;
    QDialogButtonBox *m_buttons = nullptr;
};
