// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/forwardingdialog.h"

#include "model/registry.h"
#include "model/store/namespacestore.h"
#include "ui/async.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QTabWidget>
#include <QTableWidget>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;
using namespace Trove;

namespace {

enum GroupColumn { GroupPathColumn, GroupSettingColumn, GroupLockColumn, GroupEffectiveColumn };
enum RuleColumn { RulePatternColumn, RuleRoleColumn };

} // namespace

ForwardingDialog::ForwardingDialog(Registry &registry,
                                   std::function<QStringList(qint64)> packageNames,
                                   QWidget *parent)
    : QDialog(parent)
    , m_registry(registry)
    , m_packageNames(std::move(packageNames))
{
    setObjectName(u"forwardingDialog"_s);
    setWindowTitle(tr("Forwarding and Protection"));
    auto *tabs = new QTabWidget;
    tabs->addTab(buildForwardingTab(), tr("&Forwarding"));
    tabs->addTab(buildProtectionTab(), tr("&Protection"));
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(tabs, 1);
    layout->addWidget(buttons);
    resize(760, 560);
    connect(&m_registry.events(),
            &Events::settingsChanged,
            this,
            &ForwardingDialog::reload,
            Qt::QueuedConnection);
    reload();
}

QWidget *ForwardingDialog::buildForwardingTab()
{
    auto *page = new QWidget;
    m_instance = new QCheckBox(tr("Forward requests for packages this registry does not have "
                                  "to the upstream"));
    m_instance->setObjectName(u"instanceForwarding"_s);
    m_instanceLock = new QCheckBox(tr("Enforce for every group (groups cannot change it)"));
    m_instanceLock->setObjectName(u"instanceLock"_s);
    const auto saveInstance = [this] {
        if (m_applying) {
            return;
        }
        const bool on = m_instance->isChecked();
        const bool lock = m_instanceLock->isChecked();
        write(on ? tr("Forwarding is on.") : tr("Forwarding is off."),
              [registry = &m_registry, on, lock] {
                  return registry->settings().setInstanceForwarding(on, lock);
              });
    };
    connect(m_instance, &QCheckBox::toggled, this, saveInstance);
    connect(m_instanceLock, &QCheckBox::toggled, this, saveInstance);

    m_warning = new QLabel(
        tr("⚠ Dependency confusion: with forwarding on, a name this registry does not have is "
           "fetched from the upstream. If someone publishes a package there under a name your "
           "team uses (say @acme/billing before you publish it here), installs here get theirs. "
           "Turn forwarding off for groups whose scopes you own, or publish every name here "
           "first."));
    m_warning->setObjectName(u"confusionWarning"_s);
    m_warning->setWordWrap(true);
    m_warning->setFrameShape(QFrame::StyledPanel);
    m_warning->setMargin(6);

    m_upstream = new QLineEdit;
    m_upstream->setObjectName(u"upstreamEdit"_s);
    m_upstream->setPlaceholderText(tr("from your npm configuration"));
    auto *saveUpstream = new QPushButton(tr("&Set"));
    saveUpstream->setObjectName(u"setUpstreamButton"_s);
    connect(saveUpstream, &QPushButton::clicked, this, [this] {
        const QString url = m_upstream->text().trimmed();
        write(tr("The upstream is %1.").arg(url),
              [registry = &m_registry, url] { return registry->settings().setUpstream(url); });
    });
    auto *upstreamRow = new QHBoxLayout;
    upstreamRow->addWidget(m_upstream, 1);
    upstreamRow->addWidget(saveUpstream);

    m_groups = new QTableWidget(0, 4);
    m_groups->setObjectName(u"groupForwarding"_s);
    m_groups->setHorizontalHeaderLabels(
        {tr("Group"), tr("Forwarding"), tr("Enforce for subgroups"), tr("In force")});
    m_groups->verticalHeader()->hide();
    m_groups->horizontalHeader()->setStretchLastSection(true);
    m_groups->setColumnWidth(GroupPathColumn, 220);
    m_groups->setColumnWidth(GroupSettingColumn, 180);
    m_groups->setColumnWidth(GroupLockColumn, 170);
    m_groups->setSelectionMode(QAbstractItemView::NoSelection);

    auto *form = new QFormLayout;
    form->addRow(tr("Upstream:"), upstreamRow);
    auto *layout = new QVBoxLayout(page);
    layout->addWidget(m_instance);
    layout->addWidget(m_instanceLock);
    layout->addWidget(m_warning);
    layout->addLayout(form);
    layout->addWidget(new QLabel(tr("Groups (a setting enforced higher up wins):")));
    layout->addWidget(m_groups, 1);
    return page;
}

QWidget *ForwardingDialog::buildProtectionTab()
{
    auto *page = new QWidget;
    m_project = new QComboBox;
    m_project->setObjectName(u"protectionProject"_s);
    connect(m_project, &QComboBox::currentIndexChanged, this, &ForwardingDialog::reloadRules);
    m_rules = new QTableWidget(0, 2);
    m_rules->setObjectName(u"protectionRules"_s);
    m_rules->setHorizontalHeaderLabels({tr("Package name pattern"), tr("Who may push")});
    m_rules->verticalHeader()->hide();
    m_rules->horizontalHeader()->setStretchLastSection(true);
    m_rules->setColumnWidth(RulePatternColumn, 300);
    m_rules->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_rules->setEditTriggers(QAbstractItemView::NoEditTriggers);
    auto *remove = new QPushButton(tr("&Remove Rule"));
    remove->setObjectName(u"removeRuleButton"_s);
    connect(remove, &QPushButton::clicked, this, [this] {
        const QTableWidgetItem *item = m_rules->item(m_rules->currentRow(), RulePatternColumn);
        if (!item) {
            return;
        }
        const qint64 id = item->data(Qt::UserRole).toLongLong();
        write(tr("Removed the rule %1.").arg(item->text()), [registry = &m_registry, id] {
            return registry->settings().removeProtectionRule(id);
        });
    });

    m_pattern = new QLineEdit;
    m_pattern->setObjectName(u"patternEdit"_s);
    m_pattern->setPlaceholderText(tr("e.g. @acme/core-*  (* matches any characters)"));
    connect(m_pattern, &QLineEdit::textChanged, this, &ForwardingDialog::updateMatches);
    m_role = new QComboBox;
    m_role->setObjectName(u"roleCombo"_s);
    m_role->addItem(tr("Maintainers and owners"), int(AccessLevel::Maintainer));
    m_role->addItem(tr("Owners"), int(AccessLevel::Owner));
    m_role->addItem(tr("Administrators only"), int(AccessLevel::Admin));
    auto *add = new QPushButton(tr("&Add Rule"));
    add->setObjectName(u"addRuleButton"_s);
    connect(add, &QPushButton::clicked, this, [this] {
        const qint64 projectId = m_project->currentData().toLongLong();
        const QString pattern = m_pattern->text().trimmed();
        const auto level = AccessLevel(m_role->currentData().toInt());
        write(tr("Protected %1.").arg(pattern),
              [registry = &m_registry, projectId, pattern, level]() -> Result<void> {
                  const Result<ProtectionRule> rule =
                      registry->settings().addProtectionRule(projectId, pattern, level);
                  if (!rule) {
                      return rule.error();
                  }
                  return {};
              });
    });
    m_matchCount = new QLabel;
    m_matchCount->setObjectName(u"matchCount"_s);
    m_matches = new QListWidget;
    m_matches->setObjectName(u"matchList"_s);

    auto *form = new QFormLayout;
    form->addRow(tr("P&roject:"), m_project);
    auto *addRow = new QHBoxLayout;
    addRow->addWidget(m_pattern, 1);
    addRow->addWidget(m_role);
    addRow->addWidget(add);
    auto *layout = new QVBoxLayout(page);
    auto *intro = new QLabel(tr("A protected name can be published (and its versions replaced "
                                "or tagged) only by the roles you choose; deploy tokens never "
                                "push it."));
    intro->setWordWrap(true);
    layout->addWidget(intro);
    layout->addLayout(form);
    layout->addWidget(m_rules, 1);
    layout->addWidget(remove, 0, Qt::AlignRight);
    layout->addLayout(addRow);
    layout->addWidget(m_matchCount);
    layout->addWidget(m_matches, 1);
    return page;
}

void ForwardingDialog::reload()
{
    Registry *registry = &m_registry;
    Ui::runAsync(
        this,
        nullptr,
        [registry]() -> Result<Snapshot> {
            Snapshot snapshot;
            SettingsService &settings = registry->settings();
            const Result<bool> instance = settings.instanceForwarding();
            const Result<bool> lock = settings.instanceForwardingLocked();
            const Result<QUrl> upstream = settings.upstream();
            const NamespaceStore namespaces(registry->database());
            const Result<QList<Group>> groups = namespaces.groups();
            const Result<QList<Project>> projects = namespaces.projects();
            if (!instance || !lock || !groups || !projects) {
                return Error::storage(u"cannot read the settings"_s);
            }
            snapshot.instance = *instance;
            snapshot.instanceLock = *lock;
            snapshot.upstream = upstream ? upstream->toString() : QString();
            snapshot.projects = *projects;
            for (const Group &group : *groups) {
                const Result<SettingsStore::GroupPackageSettings> own =
                    settings.store().groupSettings(group.id);
                const Result<bool> effective = settings.forwardingForGroup(group.id);
                if (!own || !effective) {
                    return Error::storage(u"cannot read the group settings"_s);
                }
                snapshot.groups.append(
                    {group, own->npmForwarding, own->lockNpmForwarding, *effective});
            }
            std::sort(
                snapshot.groups.begin(), snapshot.groups.end(), [](const auto &a, const auto &b) {
                    return a.group.fullPath < b.group.fullPath;
                });
            std::sort(snapshot.projects.begin(),
                      snapshot.projects.end(),
                      [](const Project &a, const Project &b) { return a.fullPath < b.fullPath; });
            return snapshot;
        },
        [this](const Result<Snapshot> &snapshot) {
            if (!snapshot) {
                emit changeFinished(false, snapshot.error().message);
                return;
            }
            apply(*snapshot);
            emit reloaded();
        });
}

void ForwardingDialog::apply(const Snapshot &snapshot)
{
    m_applying = true;
    m_instance->setChecked(snapshot.instance);
    m_instanceLock->setChecked(snapshot.instanceLock);
    if (!m_upstream->hasFocus()) {
        m_upstream->setText(snapshot.upstream);
    }
    bool anyOn = snapshot.instance;
    m_groups->setRowCount(int(snapshot.groups.size()));
    for (int row = 0; row < snapshot.groups.size(); ++row) {
        const GroupRow &group = snapshot.groups.at(row);
        anyOn = anyOn || group.effective;
        auto *path = new QTableWidgetItem(group.group.fullPath);
        path->setFlags(Qt::ItemIsEnabled);
        m_groups->setItem(row, GroupPathColumn, path);
        auto *setting = new QComboBox;
        setting->setObjectName(u"groupSetting:"_s + group.group.fullPath);
        setting->addItem(tr("inherit"), -1);
        setting->addItem(tr("on"), 1);
        setting->addItem(tr("off"), 0);
        setting->setCurrentIndex(!group.own ? 0 : (*group.own ? 1 : 2));
        setting->setEnabled(!snapshot.instanceLock);
        auto *lock = new QCheckBox;
        lock->setObjectName(u"groupLock:"_s + group.group.fullPath);
        lock->setChecked(group.lock);
        lock->setEnabled(!snapshot.instanceLock && group.own.has_value());
        const qint64 id = group.group.id;
        const auto save = [this, setting, lock, id, path = group.group.fullPath] {
            const int value = setting->currentData().toInt();
            const bool locked = lock->isChecked();
            write(tr("Forwarding for %1 saved.").arg(path),
                  [registry = &m_registry, value, locked, id] {
                      return value < 0
                          ? registry->settings().clearGroupForwarding(id)
                          : registry->settings().setGroupForwarding(id, value == 1, locked);
                  });
        };
        connect(setting, &QComboBox::currentIndexChanged, this, save);
        connect(lock, &QCheckBox::toggled, this, save);
        m_groups->setCellWidget(row, GroupSettingColumn, setting);
        m_groups->setCellWidget(row, GroupLockColumn, lock);
        auto *effective =
            new QTableWidgetItem(group.effective ? tr("forwards") : tr("does not forward"));
        effective->setFlags(Qt::ItemIsEnabled);
        m_groups->setItem(row, GroupEffectiveColumn, effective);
    }
    m_warning->setVisible(anyOn);

    const qint64 selected = m_project->currentData().toLongLong();
    {
        const QSignalBlocker blocker(m_project);
        m_project->clear();
        for (const Project &project : snapshot.projects) {
            m_project->addItem(project.fullPath, project.id);
        }
        const int index = m_project->findData(selected);
        m_project->setCurrentIndex(index >= 0 ? index : 0);
    }
    m_applying = false;
    reloadRules();
}

void ForwardingDialog::write(const QString &success, std::function<Result<void>()> work)
{
    Ui::runAsync(this, nullptr, std::move(work), [this, success](const Result<void> &result) {
        emit changeFinished(bool(result), result ? success : result.error().message);
        reload();
    });
}

void ForwardingDialog::reloadRules()
{
    const qint64 projectId = m_project->currentData().toLongLong();
    m_projectPackages = m_packageNames(projectId);
    Registry *registry = &m_registry;
    Ui::runAsync(
        this,
        nullptr,
        [registry, projectId] { return registry->settings().protectionRules(projectId); },
        [this, projectId](const Result<QList<ProtectionRule>> &rules) {
            if (!rules || projectId != m_project->currentData().toLongLong()) {
                return;
            }
            m_rules->setRowCount(int(rules->size()));
            for (int row = 0; row < rules->size(); ++row) {
                const ProtectionRule &rule = rules->at(row);
                auto *pattern = new QTableWidgetItem(rule.pattern);
                pattern->setData(Qt::UserRole, rule.id);
                m_rules->setItem(row, RulePatternColumn, pattern);
                m_rules->setItem(
                    row,
                    RuleRoleColumn,
                    new QTableWidgetItem(
                        tr("%1 and above").arg(accessLevelName(rule.minimumAccessLevelForPush))));
            }
            updateMatches();
        });
}

QStringList ForwardingDialog::matchesOf(const QString &pattern) const
{
    ProtectionRule rule;
    rule.pattern = pattern.trimmed();
    QStringList names;
    if (rule.pattern.isEmpty()) {
        return names;
    }
    for (const QString &name : m_projectPackages) {
        if (rule.matches(name)) {
            names.append(name);
        }
    }
    names.sort();
    return names;
}

void ForwardingDialog::updateMatches()
{
    const QStringList names = matchesOf(m_pattern->text());
    m_matches->clear();
    m_matches->addItems(names);
    m_matchCount->setText(
        m_pattern->text().trimmed().isEmpty()
            ? tr("Type a pattern to see which packages of the project it protects.")
            : tr("%n package(s) of this project match.", nullptr, int(names.size())));
}
