// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/forwardingdialog.h"

#include "model/registry.h"
#include "model/serverstatus.h"
#include "model/store/namespacestore.h"
#include "ui/async.h"
#include "ui/confirm.h"

#include <QButtonGroup>
#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QLocale>
#include <QPushButton>
#include <QRadioButton>
#include <QTabWidget>
#include <QTableWidget>
#include <QTimer>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;
using namespace Trove;

namespace {

enum GroupColumn { GroupPathColumn, GroupSettingColumn, GroupLockColumn, GroupEffectiveColumn };
enum ProjectColumn { ProjectPathColumn, ProjectEffectiveColumn };
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
    m_tabs = tabs;
    tabs->addTab(buildForwardingTab(), tr("&Forwarding"));
    m_cachePage = buildCacheTab();
    tabs->addTab(m_cachePage, tr("Proxy &Cache"));
    tabs->addTab(buildProtectionTab(), tr("&Protection"));
    // The proxy's writes send no change events: while its figures are shown, they are read
    // again every few seconds (not on the other tabs, where a reload would rebuild the group
    // rows under the user's hands).
    auto *refresh = new QTimer(this);
    refresh->setInterval(5000);
    connect(refresh, &QTimer::timeout, this, [this] {
        if (isVisible() && m_tabs->currentWidget() == m_cachePage) {
            reload();
        }
    });
    refresh->start();
    connect(tabs, &QTabWidget::currentChanged, this, [this] {
        if (m_tabs->currentWidget() == m_cachePage) {
            reload();
        }
    });
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(tabs, 1);
    layout->addWidget(buttons);
    resize(820, 700);
    connect(&m_registry.events(),
            &Events::settingsChanged,
            this,
            &ForwardingDialog::reload,
            Qt::QueuedConnection);
    reload();
}

QString ForwardingDialog::modeName(Mode mode)
{
    switch (mode) {
    case Mode::Off:
        return tr("off: not found (404)");
    case Mode::Redirect:
        return tr("redirect to the upstream");
    case Mode::Proxy:
        return tr("proxy and cache");
    }
    return {};
}

QWidget *ForwardingDialog::buildForwardingTab()
{
    auto *page = new QWidget;
    auto *intro = new QLabel(tr("What happens when a client asks for a package this registry "
                                "does not have:"));
    intro->setWordWrap(true);
    m_instance = new QButtonGroup(this);
    auto *modes = new QVBoxLayout;
    const struct
    {
        Mode mode;
        const char *objectName;
        QString text;
        QString description;
    } choices[] = {
        {Mode::Off,
         "instanceModeOff",
         tr("&Off"),
         tr("The client is told the package does not exist (404). Only packages published "
            "here install.")},
        {Mode::Redirect,
         "instanceModeRedirect",
         tr("&Redirect to the upstream"),
         tr("The client is sent to the upstream for it and downloads it from there (GitLab's "
            "behaviour, the default). Nothing is kept here; installs need the upstream.")},
        {Mode::Proxy,
         "instanceModeProxy",
         tr("Pro&xy and cache"),
         tr("This registry fetches it from the upstream, checks and keeps it, and serves it "
            "itself, also later when the upstream is slow or down (offline installs). Project "
            "endpoints still redirect: use the instance or group endpoint.")},
    };
    for (const auto &choice : choices) {
        auto *button = new QRadioButton(choice.text);
        button->setObjectName(QString::fromLatin1(choice.objectName));
        m_instance->addButton(button, int(choice.mode));
        auto *description = new QLabel(choice.description);
        description->setWordWrap(true);
        description->setIndent(24);
        description->setBuddy(button);
        modes->addWidget(button);
        modes->addWidget(description);
    }
    connect(m_instance, &QButtonGroup::idToggled, this, [this](int, bool checked) {
        if (checked) {
            saveInstance();
        }
    });
    m_instanceLock = new QCheckBox(tr("Enforce for every group (groups cannot change it)"));
    m_instanceLock->setObjectName(u"instanceLock"_s);
    connect(m_instanceLock, &QCheckBox::toggled, this, &ForwardingDialog::saveInstance);

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
    m_groups->setColumnWidth(GroupPathColumn, 200);
    m_groups->setColumnWidth(GroupSettingColumn, 220);
    m_groups->setColumnWidth(GroupLockColumn, 160);
    m_groups->setSelectionMode(QAbstractItemView::NoSelection);
    m_groups->setTabKeyNavigation(false);

    // Projects have no setting of their own (neither in GitLab nor in the command line): what
    // their endpoints do follows from their group, said here so nobody has to work it out.
    m_projects = new QTableWidget(0, 2);
    m_projects->setObjectName(u"projectForwarding"_s);
    m_projects->setHorizontalHeaderLabels({tr("Project"), tr("Its endpoint, for unknown names")});
    m_projects->verticalHeader()->hide();
    m_projects->horizontalHeader()->setStretchLastSection(true);
    m_projects->setColumnWidth(ProjectPathColumn, 260);
    m_projects->setSelectionMode(QAbstractItemView::NoSelection);
    m_projects->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_projects->setTabKeyNavigation(false);

    auto *upstreamLabel = new QLabel(tr("&Upstream:"));
    upstreamLabel->setBuddy(m_upstream);
    auto *form = new QFormLayout;
    form->addRow(upstreamLabel, upstreamRow);
    auto *layout = new QVBoxLayout(page);
    layout->addWidget(intro);
    layout->addLayout(modes);
    layout->addWidget(m_instanceLock);
    layout->addWidget(m_warning);
    layout->addLayout(form);
    layout->addWidget(new QLabel(tr("Groups (a setting enforced higher up wins):")));
    layout->addWidget(m_groups, 2);
    layout->addWidget(new QLabel(tr("Projects:")));
    layout->addWidget(m_projects, 1);
    return page;
}

void ForwardingDialog::saveInstance()
{
    if (m_applying || m_instance->checkedId() < 0) {
        return;
    }
    const auto mode = Mode(m_instance->checkedId());
    const bool lock = m_instanceLock->isChecked();
    write(tr("Forwarding: %1.").arg(modeName(mode)), [registry = &m_registry, mode, lock] {
        return registry->settings().setInstanceForwardingMode(mode, lock);
    });
}

QWidget *ForwardingDialog::buildCacheTab()
{
    auto *page = new QWidget;
    auto *intro = new QLabel(tr("In proxy mode, packages fetched from the upstream are kept "
                                "here and served from disk. Packages published here are never "
                                "part of the cache."));
    intro->setWordWrap(true);
    m_cacheSize = new QLabel;
    m_cacheSize->setObjectName(u"cacheSize"_s);
    m_cachePackages = new QLabel;
    m_cachePackages->setObjectName(u"cachePackages"_s);
    m_hitRatio = new QLabel;
    m_hitRatio->setObjectName(u"cacheHitRatio"_s);
    m_hitRatio->setWordWrap(true);
    m_hitRatioSinceStart = new QLabel;
    m_hitRatioSinceStart->setObjectName(u"cacheHitRatioSinceStart"_s);
    m_hitRatioSinceStart->setWordWrap(true);
    for (QLabel *label : {m_cacheSize, m_cachePackages, m_hitRatio, m_hitRatioSinceStart}) {
        label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    }
    m_clearCache = new QPushButton(tr("C&lear Cache…"));
    m_clearCache->setObjectName(u"clearCacheButton"_s);
    connect(m_clearCache, &QPushButton::clicked, this, &ForwardingDialog::clearCache);
    auto *form = new QFormLayout;
    form->addRow(tr("On disk:"), m_cacheSize);
    form->addRow(tr("Packages:"), m_cachePackages);
    // Two ratios: the saved one survives restarts but lags by up to half a minute; the one of
    // this run of Trove is counted as answers are given and starts again with the program.
    form->addRow(tr("Hit ratio (saved):"), m_hitRatio);
    form->addRow(tr("Since Trove started:"), m_hitRatioSinceStart);
    auto *layout = new QVBoxLayout(page);
    layout->addWidget(intro);
    layout->addLayout(form);
    layout->addWidget(m_clearCache, 0, Qt::AlignLeft);
    layout->addStretch(1);
    return page;
}

void ForwardingDialog::clearCache()
{
    if (!Ui::confirm(this,
                     tr("Clear the Proxy Cache"),
                     tr("Remove every package kept from the upstream (%1)? Installs that need "
                        "them fetch them from the upstream again, and fail while it is down. "
                        "Packages published here are not touched.")
                         .arg(m_cacheSize->text()),
                     tr("Clear Cache"))) {
        return;
    }
    write(tr("The proxy cache is cleared."), [registry = &m_registry]() -> Result<void> {
        const Result<int> removed =
            ProxyStore(registry->database()).clearWithBlobs(QString(), registry->blobs());
        if (!removed) {
            return removed.error();
        }
        return {};
    });
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
            const Result<Mode> instance = settings.instanceForwardingMode();
            const Result<bool> lock = settings.instanceForwardingLocked();
            const Result<QUrl> upstream = settings.upstream();
            const NamespaceStore namespaces(registry->database());
            const Result<QList<Group>> groups = namespaces.groups();
            const Result<QList<Project>> projects = namespaces.projects();
            const ProxyStore proxy(registry->database());
            const Result<ProxyStore::Totals> totals = proxy.totals();
            const Result<QPair<qint64, qint64>> counts = proxy.counts();
            const Result<qint64> cap = settings.proxyCacheMaxBytes();
            if (!instance || !lock || !groups || !projects || !totals || !counts || !cap) {
                return Error::storage(u"cannot read the settings"_s);
            }
            snapshot.instance = *instance;
            snapshot.instanceLock = *lock;
            snapshot.upstream = upstream ? upstream->toString() : QString();
            snapshot.cache = *totals;
            snapshot.cacheCap = *cap;
            snapshot.hits = counts->first;
            snapshot.misses = counts->second;
            for (const Group &group : *groups) {
                const Result<SettingsStore::GroupPackageSettings> own =
                    settings.store().groupSettings(group.id);
                const Result<Mode> effective = settings.forwardingModeForGroup(group.id);
                if (!own || !effective) {
                    return Error::storage(u"cannot read the group settings"_s);
                }
                std::optional<Mode> mode;
                if (own->npmForwarding) {
                    mode = !*own->npmForwarding ? Mode::Off
                        : own->npmProxy         ? Mode::Proxy
                                                : Mode::Redirect;
                }
                snapshot.groups.append({group, mode, own->lockNpmForwarding, *effective});
            }
            for (const Project &project : *projects) {
                const Result<Mode> effective = settings.forwardingModeForProject(project);
                if (!effective) {
                    return Error::storage(u"cannot read the project settings"_s);
                }
                snapshot.projects.append({project, *effective});
            }
            std::sort(
                snapshot.groups.begin(), snapshot.groups.end(), [](const auto &a, const auto &b) {
                    return a.group.fullPath < b.group.fullPath;
                });
            std::sort(snapshot.projects.begin(),
                      snapshot.projects.end(),
                      [](const ProjectRow &a, const ProjectRow &b) {
                          return a.project.fullPath < b.project.fullPath;
                      });
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
    if (QAbstractButton *button = m_instance->button(int(snapshot.instance))) {
        button->setChecked(true);
    }
    m_instanceLock->setChecked(snapshot.instanceLock);
    if (!m_upstream->hasFocus()) {
        m_upstream->setText(snapshot.upstream);
    }
    bool anyOn = snapshot.instance != Mode::Off;
    m_groups->setRowCount(int(snapshot.groups.size()));
    for (int row = 0; row < snapshot.groups.size(); ++row) {
        const GroupRow &group = snapshot.groups.at(row);
        anyOn = anyOn || group.effective != Mode::Off;
        auto *path = new QTableWidgetItem(group.group.fullPath);
        path->setFlags(Qt::ItemIsEnabled);
        m_groups->setItem(row, GroupPathColumn, path);
        auto *setting = new QComboBox;
        setting->setObjectName(u"groupSetting:"_s + group.group.fullPath);
        setting->setAccessibleName(tr("Forwarding of %1").arg(group.group.fullPath));
        setting->addItem(tr("inherit"), -1);
        setting->addItem(tr("off"), int(Mode::Off));
        setting->addItem(tr("redirect to the upstream"), int(Mode::Redirect));
        setting->addItem(tr("proxy and cache"), int(Mode::Proxy));
        setting->setCurrentIndex(setting->findData(group.own ? int(*group.own) : -1));
        setting->setEnabled(!snapshot.instanceLock);
        auto *lock = new QCheckBox;
        lock->setObjectName(u"groupLock:"_s + group.group.fullPath);
        lock->setAccessibleName(tr("Enforce for the subgroups of %1").arg(group.group.fullPath));
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
                          : registry->settings().setGroupForwardingMode(id, Mode(value), locked);
                  });
        };
        connect(setting, &QComboBox::currentIndexChanged, this, save);
        connect(lock, &QCheckBox::toggled, this, save);
        m_groups->setCellWidget(row, GroupSettingColumn, setting);
        m_groups->setCellWidget(row, GroupLockColumn, lock);
        auto *effective = new QTableWidgetItem(modeName(group.effective));
        effective->setFlags(Qt::ItemIsEnabled);
        m_groups->setItem(row, GroupEffectiveColumn, effective);
    }
    m_warning->setVisible(anyOn);

    m_projects->setRowCount(int(snapshot.projects.size()));
    for (int row = 0; row < snapshot.projects.size(); ++row) {
        const ProjectRow &project = snapshot.projects.at(row);
        m_projects->setItem(row, ProjectPathColumn, new QTableWidgetItem(project.project.fullPath));
        // docs/proxy.md §1: a project-level endpoint never proxies; it redirects instead.
        const QString effect = project.effective == Mode::Off ? modeName(Mode::Off)
            : project.effective == Mode::Redirect
            ? modeName(Mode::Redirect)
            : tr("redirect to the upstream (its group proxies; project endpoints never do)");
        m_projects->setItem(row, ProjectEffectiveColumn, new QTableWidgetItem(effect));
    }

    const QLocale locale;
    const qint64 onDisk = snapshot.cache.tarballBytes + snapshot.cache.documentBytes;
    m_cacheSize->setText(
        tr("%1 (%n tarball(s) and their documents; tarballs are capped at %2)",
           nullptr,
           int(snapshot.cache.tarballs))
            .arg(locale.formattedDataSize(onDisk), locale.formattedDataSize(snapshot.cacheCap)));
    m_cachePackages->setText(tr("%n package(s) cached", nullptr, int(snapshot.cache.packages)));
    const qint64 answered = snapshot.hits + snapshot.misses;
    m_hitRatio->setText(
        answered == 0
            ? tr("No proxied answers yet.")
            : tr("%1 % of proxied answers came from the cache (%2 of %3) since it was last "
                 "cleared; the last half minute's answers are counted a little later.")
                  .arg(locale.toString(100.0 * double(snapshot.hits) / double(answered), 'f', 1),
                       locale.toString(snapshot.hits),
                       locale.toString(answered)));
    const ServerStatus::ProxyAnswers sinceStart = ServerStatus::proxyAnswersSinceStart();
    const qint64 answeredSinceStart = sinceStart.hits + sinceStart.misses;
    m_hitRatioSinceStart->setText(
        answeredSinceStart == 0
            ? tr("No proxied answers since Trove started.")
            : tr("%1 % from the cache (%2 of %3), counted as they are given; not kept when "
                 "Trove quits.")
                  .arg(locale.toString(
                           100.0 * double(sinceStart.hits) / double(answeredSinceStart), 'f', 1),
                       locale.toString(sinceStart.hits),
                       locale.toString(answeredSinceStart)));
    m_clearCache->setEnabled(snapshot.cache.documents > 0 || snapshot.cache.tarballs > 0);

    const qint64 selected = m_project->currentData().toLongLong();
    {
        const QSignalBlocker blocker(m_project);
        m_project->clear();
        for (const ProjectRow &row : snapshot.projects) {
            m_project->addItem(row.project.fullPath, row.project.id);
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
