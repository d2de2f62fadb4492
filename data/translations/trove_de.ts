<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>AboutDialog</name>
    <message>
        <source>About Trove</source>
        <translation>Über Trove</translation>
    </message>
    <message>
        <source>An npm package registry for your desktop, compatible with GitLab&apos;s npm package registry.</source>
        <translation>Eine npm-Paket-Registry für Ihren Desktop, kompatibel mit der npm-Paket-Registry von GitLab.</translation>
    </message>
    <message>
        <source>GNU General Public License, version 3 or later (GPL-3.0-or-later)</source>
        <translation>GNU General Public License, Version 3 oder später (GPL-3.0-or-later)</translation>
    </message>
    <message>
        <source>Licence:</source>
        <translation>Lizenz:</translation>
    </message>
    <message>
        <source>Qt:</source>
        <translation>Qt:</translation>
    </message>
    <message>
        <source>%1 (built with %2)</source>
        <translation>%1 (erstellt mit %2)</translation>
    </message>
    <message>
        <source>Data folder:</source>
        <translation>Datenordner:</translation>
    </message>
    <message>
        <source>Registry:</source>
        <translation>Registry:</translation>
    </message>
    <message>
        <source>starting on %1:%2</source>
        <translation>startet auf %1:%2</translation>
    </message>
    <message>
        <source>not running: %1</source>
        <translation>läuft nicht: %1</translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>angehalten</translation>
    </message>
</context>
<context>
    <name>DeleteDialog</name>
    <message>
        <source>1 version</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n versions</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>…and %1 more</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Checking what depends on it…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Deleting cannot be undone.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What depends on it could not be read: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>To confirm, type “%1”:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not deleted: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Every version of %1 goes (%2): %3.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>npm view and npm install of %1 then answer 404 Not Found.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Versions that go: %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Installs that ask for exactly these versions, and lockfiles that name them, then fail with 404 Not Found.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No dist-tag points at them.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dist-tags:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 goes (it points at %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 moves from %2 to %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No other package in this registry depends on %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No other package in this registry depends on these versions.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Packages in this registry that depend on %1 (%2):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 versions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no longer resolves</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>still resolves, to %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 %2 in %3: %4 “%5” — %6</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The project %1 holds no packages.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Its packages go with it: %1, </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>1 package</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 packages</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>npm view and npm install of them then answer 404 Not Found.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Its members, deploy tokens, CI job tokens and protection rules go too.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The group %1 is empty: nothing else goes with it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Everything inside %1 goes with it:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>1 subgroup: </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 subgroups: </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>1 project: </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 projects: </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>1 package, </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 packages, </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 in %2 (%3)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GitLab deletes a group only when it is empty, or with everything in it once its full path is typed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 has no usable token.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>1 token of %2 is revoked: npm requests with it answer 401 from then on.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 tokens of %2 are revoked: npm requests with them answer 401 from then on.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 has no role in any group or project.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>1 role in a group or project goes.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 roles in groups and projects go.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Versions %1 published stay, with their name.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DeprecateDialog</name>
    <message>
        <source>Deprecate %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Undeprecate %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>npm, yarn and pnpm warn everyone who installs a deprecated version, with your message. The versions stay installable.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The ticked versions lose their deprecation message.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>e.g. &lt;1.4.0, 1.x, &gt;=2.0.0-beta &lt;2.0.0</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A semver range, read as npm deprecate reads it: prereleases included.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Versions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> (latest)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> — deprecated: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not a semver range: nothing changed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Why, and what to use instead</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Upgrade to %1 or later.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This version has a known security issue; upgrade to %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Published by mistake; use %1 instead.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No longer maintained.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pick a template or write your own message.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Deprecate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Undeprecate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Range:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Versions:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Message:</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n version(s) match.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Tick versions or type a range.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Write a message: npm shows it to everyone who installs these versions.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n version(s) will be deprecated.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n version(s) will be undeprecated.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Not deprecated</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ForwardingDialog</name>
    <message>
        <source>Forwarding and Protection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Forwarding</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Protection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Forward requests for packages this registry does not have to the upstream</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enforce for every group (groups cannot change it)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Forwarding is on.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Forwarding is off.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>⚠ Dependency confusion: with forwarding on, a name this registry does not have is fetched from the upstream. If someone publishes a package there under a name your team uses (say @acme/billing before you publish it here), installs here get theirs. Turn forwarding off for groups whose scopes you own, or publish every name here first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>from your npm configuration</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Set</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The upstream is %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Group</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Forwarding</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enforce for subgroups</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>In force</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Upstream:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Groups (a setting enforced higher up wins):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Package name pattern</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Who may push</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Remove Rule</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Removed the rule %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>e.g. @acme/core-*  (* matches any characters)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Maintainers and owners</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Owners</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Administrators only</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Add Rule</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Protected %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>P&amp;roject:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A protected name can be published (and its versions replaced or tagged) only by the roles you choose; deploy tokens never push it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>inherit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>on</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>off</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Forwarding for %1 saved.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>forwards</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>does not forward</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 and above</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type a pattern to see which packages of the project it protects.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n package(s) of this project match.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
</context>
<context>
    <name>GettingStartedDialog</name>
    <message>
        <source>Getting Started with Trove</source>
        <translation>Erste Schritte mit Trove</translation>
    </message>
    <message>
        <source># Getting Started

</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Trove</source>
        <translation>Trove</translation>
    </message>
    <message>
        <source>Groups and projects</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Filter: name, tag:beta, deprecated:yes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Filter packages</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Packages</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Versions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Drag a tag onto another version to move it there.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Request Log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>⚠ Plain HTTP on the network: tokens travel unencrypted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose a certificate in Registry Settings (or create one there) to serve HTTPS.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <source>&amp;Publish Tarballs…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Publish .tgz files to a project (or drop them on the window)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Publish Tarballs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>npm tarballs (*.tgz)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Save Tarball…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy &amp;Install Command</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copied the npm install command.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Filter Packages</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Request &amp;Log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Reload</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reload packages, groups and projects from the data folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Package</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Deprecate…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Undeprecate…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add or Move &amp;Tag…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Move Tag Here</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Remove Tag</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Registry</source>
        <translation>&amp;Registry</translation>
    </message>
    <message>
        <source>&amp;Start Registry</source>
        <translation>Registry &amp;starten</translation>
    </message>
    <message>
        <source>S&amp;top Registry</source>
        <translation>Registry an&amp;halten</translation>
    </message>
    <message>
        <source>&amp;Copy Registry Address</source>
        <translation>Registry-Adresse &amp;kopieren</translation>
    </message>
    <message>
        <source>Copied %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Registry &amp;Settings…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Tools</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Tokens…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Connect a Client (.npmrc)…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Users and Roles…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Forwarding and Protection…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Hilfe</translation>
    </message>
    <message>
        <source>&amp;Getting Started</source>
        <translation>&amp;Erste Schritte</translation>
    </message>
    <message>
        <source>&amp;About Trove</source>
        <translation>Über &amp;Trove</translation>
    </message>
    <message>
        <source>About &amp;Qt</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Missing or damaged tarballs: %1, e.g. %2 — run “trove check”</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Installs of these versions fail. “trove check” in a terminal lists every problem; publish the versions again to mend them.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Registry stopped</source>
        <translation>Registry angehalten</translation>
    </message>
    <message>
        <source>Starting the registry on %1:%2…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Registry running at %1 (port %2 was busy)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Registry running at %1</source>
        <translation>Registry läuft unter %1</translation>
    </message>
    <message>
        <source>Registry not running: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 — Trove</source>
        <translation>%1 — Trove</translation>
    </message>
    <message>
        <source>0 requests/s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 requests/s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot load the package list.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All packages</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>group %1, %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>project %1, %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No package selected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 in %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The latest version, %1, is deprecated: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is not in this registry.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (now %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Every package needs a latest tag: move it instead.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not done: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Deprecated %n version(s) of %1.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Undeprecated %n version(s) of %1.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>%1 now points at %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Removed the tag %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save Tarball</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Wrote %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New &amp;Group…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New &amp;Subgroup…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New Group</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Path of the top-level group (also the npm scope):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Path of the subgroup in %1:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Created the group %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New &amp;Project…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New Project</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Path of the project in %1:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Created the project %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Rename…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rename %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New path (the URLs of what is inside change with it):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Renamed to %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Visibility</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is now %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>1 package</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n packages</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>%1 shown of %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Create a project first: packages are published to one.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Published %n package version(s).</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Select a package to see its versions.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New P&amp;roject…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New &amp;User…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New User</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Username (give it a role in Tools ▸ Users and Roles):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Added the user %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete &amp;Version…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete &amp;Package…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pro&amp;ject</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Delete Project…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete &amp;Group…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>project %1, %2: its package registry is switched off (Project ▸ Settings)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A project in the selected group</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select a group in the tree first</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New Sub&amp;group…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete %1 &amp;Versions…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove the Tag?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove the tag %1 (now %2) from %3? Installs that ask for %3@%1 fail with “No matching version” until the tag is set again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove Tag</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Port %1 Is in Use</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The registry cannot listen on port %1: another program uses it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The registry cannot listen on port %1: %2 uses it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Retry once it is free, or use another port. The .npmrc files written earlier point at port %1: with another port, write them again (Tools ▸ Connect a Client).

Cancel leaves the registry stopped; Registry ▸ Start Registry tries again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Retry</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Use &amp;Another Port…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Its group %1 is %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Subgroup %1 is %2: make it less visible first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Project %1 is %2: make it less visible first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Delete Group…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete Package</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete Version</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete %1 Versions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete %1 from %2, with all its versions?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete %1 %2 from %3?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete %1 versions of %2 from %3?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete Versions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Deleted %1 from %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Deleted %1 %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Deleted %1 versions of %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete Project</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete the project %1?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete the project %1 and its packages?</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Deleted the project %1 (%n package version(s)).</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Delete Group</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete the empty group %1?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete the group %1 and everything in it?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Deleted the group %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Set up %1 with the project %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No package matches “%1”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No package in %1 matches “%2”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;p&gt;No packages in %1 yet.&lt;/p&gt;&lt;p&gt;To publish one, run this in its folder (the name in its package.json starts with @%2/):&lt;/p&gt;&lt;p&gt;&lt;code&gt;npm publish --registry %3&lt;/code&gt;&lt;/p&gt;&lt;p&gt;npm needs the .npmrc from Tools ▸ Connect a Client for the token. Or drop .tgz files on the window.&lt;/p&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No packages in the projects of %1 yet. Select a project to see how to publish to it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No packages yet. Packages are published to a project: select a group and use File ▸ New Project….</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No packages yet. Select a project to see how to publish to it, or drop .tgz files on the window (File ▸ Publish Tarballs…).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop the Registry?</source>
        <translation type="unfinished">Registry anhalten?</translation>
    </message>
    <message>
        <source>Stop the registry at %1? npm, yarn and pnpm pointed at it fail until it is started again: installs, publishes and the CI jobs of everyone whose .npmrc names it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop Registry</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Words match package names, scopes and project paths.
tag:NAME shows packages with that dist-tag; deprecated:yes or deprecated:no keeps packages with some or with no deprecated version.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>NameInputDialog</name>
    <message>
        <source>Type a username.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type a path.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>One part only: no “/”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>It cannot start with “-” or “.”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>It cannot end in “.git” or “.atom”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>At most 255 characters.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only letters, digits, “_”, “-” and “.”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Use lowercase: the path becomes the npm scope @%1, and npm refuses capital letters in package names.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Packages in it will be named @%1/…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>NpmrcBuilderDialog</name>
    <message>
        <source>Connect a Client</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>e.g. @acme, @acme-tools</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The scopes of your packages; npm sends @scope/* requests here.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Project: one project&apos;s packages</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Group: every project of a group</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Instance: every project, by scope</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Where npm publish sends packages, and the project level&apos;s registry.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Personal access token (a person, on their machine)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Deploy token (a machine or service, one group or project)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CI job token (inside a running job)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Also the default registry (unscoped packages, forwarding)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Scopes:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Endpoint:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Project:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Group:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Token:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>npm config</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Yarn 2+</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Yarn 1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CI job</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Write .npmrc to Folder…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Folder of the project that installs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source># .yarnrc (the token comes from .npmrc)
</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source># The project&apos;s .npmrc:
</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>
# Your user ~/.npmrc (pnpm expands ${…} in credentials only there, not in a
# project&apos;s .npmrc):
</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>
# pnpm-workspace.yaml, so that pnpm&apos;s release-age gate lets your own packages in at once:
</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Set %1 in the environment to the token: the files name it, never hold it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The registry&apos;s certificate is self-signed: on other machines, copy %1 there and give its path in the cafile line (httpsCaFilePath for Yarn 2+).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Write %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A new .npmrc with these lines:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The .npmrc after the change (other lines are kept):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PackageFilterProxyModel</name>
    <message>
        <source>“%1”: deprecated: takes yes or no.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“%1”: unused: takes a period such as 90d, 12w or 6m.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“%1”: %2: needs a value.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unknown filter “%1:”: use tag:, kw:, deprecated:yes|no or unused:90d.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ProjectSettingsDialog</name>
    <message>
        <source>Settings of %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Project %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Packages: this project&apos;s package registry</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A project is at most as visible as its group.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Visibility:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>On (GitLab&apos;s default): npm and GitLab&apos;s Packages API serve this project&apos;s packages to whoever may read the project, and publish to it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Off: every npm and Packages API request for this project answers 403 Forbidden, also for its maintainers, and its packages (%1) leave the group and instance documents and search. Nothing is deleted: switching it on again brings them back.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>1 version</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 versions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not saved: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved the settings of %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The package registry of %1 is off.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PublishDialog</name>
    <message numerus="yes">
        <source>Publish %n Tarball(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Package</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Files</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unpacked</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Install scripts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Check</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Publish</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Project:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Dist-tag:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>none</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot publish: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ready; note: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ready</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“%1” cannot be a dist-tag (not a version or range, no spaces or slashes).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>published</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not published: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Published %n tarball(s).</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Published %1 of %n tarball(s); see Check for the others.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
</context>
<context>
    <name>RegistrySettingsDialog</name>
    <message>
        <source>Registry Settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>any free port</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Let other machines connect (listen on every address)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start the registry when Trove opens</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PEM files (*.pem *.crt *.key);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>none: plain HTTP</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the certificate&apos;s private key, unencrypted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Create a &amp;self-signed certificate for this machine</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Writes cert.pem and key.pem into Trove&apos;s data folder, replacing earlier ones, for every address of this machine.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The .npmrc line that makes npm, pnpm and yarn 1 trust this certificate; on another machine, the path of its copy there.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>C&amp;ertificate:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Certificate (PEM)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Private &amp;key:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Private key (PEM)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>.&amp;npmrc:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>HTTPS (TLS)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Port:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A new port, address or certificate takes effect when the registry restarts; Trove restarts it for you.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose the certificate of this key, or clear the key.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose the private key of this certificate, or clear the certificate.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SHA-256 fingerprint:
%1
Valid until %2%3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>, self-signed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Anyone on your network can then read public packages, and try tokens.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>⚠ Without TLS the registry speaks plain HTTP: tokens and packages cross the network unencrypted. Choose a certificate below.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>When the port is taken, Trove asks: retry, or use another port.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>from the settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>from --listen %1 on the command line: the setting is %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>In use: %1, %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Starting on port %1, %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not running: %1. Port %2, %3.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stopped; starts on port %1, %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stopped.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>⚠ .npmrc files written earlier point at port %1: after the change, write them again (Tools ▸ Connect a Client) or edit their registry lines.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RequestLogView</name>
    <message>
        <source>Filter: path, status, token, reason</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Problems only</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only answers of 400 and above</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>P&amp;ause</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop adding requests while you read; they are kept and shown on resume (up to 10,000).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Res&amp;ume</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy as &amp;curl</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>C&amp;lear</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 not shown (too many at once)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No problems: every request shown so far was answered below 400.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No request matches the filter.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No requests yet. Once the registry runs (Registry ▸ Start Registry), each request of npm, yarn or pnpm appears here as it arrives.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No requests yet. Each request npm, yarn or pnpm sends to %1 appears here as it arrives, with its token and answer. Tools ▸ Connect a Client writes the .npmrc that points them here.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SetupSheet</name>
    <message>
        <source>Saving…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Set Up a Registry for Your Team</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Connect a Client…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your team&apos;s group</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A top-level group holds your team&apos;s projects. Its path is the npm scope of every package in it: the group acme publishes @acme/…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>e.g. acme</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Group &amp;path:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Packages in it will be named @%1/…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Create &amp;Group</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A first project</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Packages are published to a project: one repository&apos;s packages, or a few that belong together. Installs read every project of the group.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>e.g. web</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Project &amp;path:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>npm publish sends @%1/… packages to %1/%2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Create P&amp;roject</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>You</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tokens belong to users, and a user&apos;s role in the group decides what their tokens may do. Your login name is suggested.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>e.g. mia</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Username:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Role in the group:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add &amp;User</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A token for npm</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>npm, yarn and pnpm send a personal access token with each request. This one acts as you, with your role: it may install and publish (scope api).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>where it is used, e.g. laptop</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>npm on %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Token &amp;name:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name it after where it is used, e.g. laptop: the list of tokens shows the name.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Create &amp;Token</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your token, shown once</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy it now: Trove keeps only its digest and cannot show it again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Copy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copied.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Put it in the environment variable NPM_TOKEN (your shell&apos;s profile, or the CI settings), not in a file you commit. Connect a Client then writes a .npmrc that names the variable, for this project and scope.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close Without Copying the Token?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The token has not been copied, and Trove cannot show it again. Without it npm cannot publish or install as %1; you would need a new token (Tools ▸ Tokens).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Go On Without Copying</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close Without Copying</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>TagDialog</name>
    <message>
        <source>Tag %1@%2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>e.g. beta, next, stable</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Set Tag</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Tag:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Clients install the tagged version with “npm install %1@TAG”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type a tag name.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“%1” cannot be a tag: a tag is not a version or range, and has no spaces, slashes or percent signs.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 already points at this version.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Moves %1 from %2 to %3.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Adds the tag %1.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>TokensDialog</name>
    <message>
        <source>Tokens</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New &amp;Personal Token…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New &amp;Deploy Token…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New &amp;Job Token…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Revoke</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tokens are stored only as digests: a new token is shown once. Revoking takes effect at the next request.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Finish Job</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The job is finished: its token is refused.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New Personal Access Token</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New Deploy Token</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New CI Job Token</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>what it is for, e.g. laptop, CI, staging</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>group %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>project %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Expires on</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Acts as:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;User:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;For:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>May:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A job token acts as its user, for its project and the projects that user may read; it ends when the job is finished.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Create</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>personal access token</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>deploy token</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CI job token</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Created.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your new %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Copy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copied.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy it now: Trove keeps only its digest and cannot show it again. Put it in the environment variable your .npmrc names (NPM_TOKEN), not in a file you commit.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close Without Copying the Token?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The token has not been copied, and Trove cannot show it again: no client could use it, and you would need a new one.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close Without Copying</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No tokens yet. New Personal Token makes one for a person&apos;s npm (it acts as that user); New Deploy Token one for a machine or service, for one group or project.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>It was last used %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>It has never been used.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Finish the job of %1? Its token is refused from then on: the job&apos;s npm, yarn or pnpm (CI_JOB_TOKEN) gets 401 Unauthorized at its next request. %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Revoke %1 of %2? npm, yarn and pnpm that send it (from an .npmrc, NPM_TOKEN or a CI variable) get 401 Unauthorized at their next request: installs and publishes with it fail. %3 This cannot be undone.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Finish the Job?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Revoke the Token?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Finish Job</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Revoke</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Revoked %1: the token is refused from now on.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>There is no group or project yet: create one first (File ▸ New Group…).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>There is no project yet: create one first (File ▸ New Project…).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No Users Yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A personal access token belongs to a user, and there are no users yet. Add one first: the token then acts as that user, with their roles.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A CI job token acts as a user, and there are no users yet. Add one first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New &amp;User…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New User</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Username (give it a role in Tools ▸ Users and Roles):</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>TrayIcon</name>
    <message>
        <source>&amp;Open Trove</source>
        <translation>Trove ö&amp;ffnen</translation>
    </message>
    <message>
        <source>&amp;Desktop Settings</source>
        <translation>&amp;Desktop-Einstellungen</translation>
    </message>
    <message>
        <source>&amp;Keep Running When the Window Closes</source>
        <translation>&amp;Weiterlaufen, wenn das Fenster geschlossen wird</translation>
    </message>
    <message>
        <source>&amp;Start with the Session (in the Tray)</source>
        <translation>Mit der &amp;Sitzung starten (im Infobereich)</translation>
    </message>
    <message>
        <source>&amp;Notify of Publishes and Deprecations</source>
        <translation>Über Veröffentlichungen und Abkündigungen &amp;benachrichtigen</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <source>The registry keeps serving from the tray. Quit from the tray icon&apos;s menu to stop it.</source>
        <translation>Die Registry läuft im Infobereich weiter. Beenden Sie sie über das Menü des Symbols.</translation>
    </message>
    <message>
        <source>Trove is still running</source>
        <translation>Trove läuft weiter</translation>
    </message>
    <message>
        <source>The registry at %1 answered requests in the last minutes. Closing Trove stops it, and npm, yarn or pnpm pointed at it will fail.

Stop the registry and close?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop the Registry?</source>
        <translation>Registry anhalten?</translation>
    </message>
    <message>
        <source>Trove: registry running at %1
%2 requests/s</source>
        <translation>Trove: Registry läuft unter %1
%2 Anfragen/s</translation>
    </message>
    <message>
        <source>Trove: starting the registry</source>
        <translation>Trove: Registry wird gestartet</translation>
    </message>
    <message>
        <source>Trove: registry not running: %1</source>
        <translation>Trove: Registry läuft nicht: %1</translation>
    </message>
    <message>
        <source>Trove: registry stopped</source>
        <translation>Trove: Registry angehalten</translation>
    </message>
    <message>
        <source>Publish refused</source>
        <translation>Veröffentlichung abgelehnt</translation>
    </message>
    <message>
        <source>A publish of %1 was refused (%2).</source>
        <translation>Eine Veröffentlichung von %1 wurde abgelehnt (%2).</translation>
    </message>
    <message>
        <source>Package published</source>
        <translation>Paket veröffentlicht</translation>
    </message>
    <message>
        <source>%1@%2 was published to %3.</source>
        <translation>%1@%2 wurde in %3 veröffentlicht.</translation>
    </message>
    <message>
        <source>Package deprecated</source>
        <translation>Paket abgekündigt</translation>
    </message>
    <message numerus="yes">
        <source>%n version(s) of %1 in %2 deprecated.</source>
        <translation>
            <numerusform>%n Version von %1 in %2 abgekündigt.</numerusform>
            <numerusform>%n Versionen von %1 in %2 abgekündigt.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>UsersDialog</name>
    <message>
        <source>guest: sees that private groups and projects exist; cannot install packages</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>reporter: installs and views packages</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>developer: also publishes new versions and adds or moves dist-tags</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>maintainer: also deprecates, removes dist-tags and unpublishes; pushes names protected for maintainers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>owner: everything a maintainer may, and names protected for owners</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Users and Roles</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>username</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Administrator</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Administrators may do everything, in every group and project.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add &amp;User</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Added %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Group or project</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Role</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Give Role</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is now %2 in %3.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Remove Role</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Removed the role in %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Roles (a group&apos;s role also holds in its subgroups and projects):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;In:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>R&amp;ole:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>group %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>project %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (administrator)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Delete User…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete User</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete the user %1?</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Deleted %1; %n token(s) revoked.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
</context>
<context>
    <name>VersionDetailsView</name>
    <message>
        <source>peer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>optional</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>development</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>runtime</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>README</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dependencies</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Package</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Range</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kind</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Underlined packages are in this registry: click one to show it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Files in the tarball</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Size</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Files</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Published:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Size:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Integrity:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SHA-1:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>License:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Install scripts:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save Tarball…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Overview</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No version selected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 by %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%1 packed, %2 unpacked, %n file(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>%1 packed; the tarball cannot be read: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>none given</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>none</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>runs %1 at install</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This version has no README.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>In this registry: click to show it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not in this registry</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dependencies (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Files (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the integrity (SHA-512)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the %1 command</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copied</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>WelcomeView</name>
    <message>
        <source>Welcome to Trove</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Trove is an npm registry for your team, running on this computer. npm, yarn and pnpm publish your packages to it and install them from it, under your team&apos;s @scope, with tokens and roles as in GitLab&apos;s package registry. Other packages can still come from the public registry.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Set Up a Registry for Your Team…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>One sheet creates your team&apos;s group (its path is the npm scope), a first project to publish to, your user with a role and a token, and then writes the .npmrc your clients need.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
