#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Writes the trove(1) man page from the text the program itself prints:
#   manpage.sh TROVE_BINARY VERSION OUTPUT
# SYNOPSIS is `trove --help`, COMMANDS is `trove help`; the rest (what each part does, files,
# environment) is prose that the usage lines do not carry.
set -euo pipefail
trove="$1" version="$2" output="$3"

# roff: backslashes doubled, minus signs as \- (a plain - may print as a hyphen), and a line
# starting with . or ' protected so it is not read as a request.
escape() {
    sed -e 's/\\/\\e/g' -e 's/-/\\-/g' -e "s/^\\([.']\\)/\\\\\\&\\1/"
}

usage="$(QT_QPA_PLATFORM=offscreen "$trove" --help)"
commands="$(QT_QPA_PLATFORM=offscreen "$trove" help)"
[[ -n "$usage" && -n "$commands" ]] || { echo "manpage.sh: $trove printed no help" >&2; exit 1; }

{
    cat <<ROFF
.TH TROVE 1 "" "Trove $version" "User Commands"
.SH NAME
trove \\- a desktop npm package registry compatible with GitLab's npm package registry
.SH SYNOPSIS
.nf
ROFF
    # The usage lines without their "Usage:" lead.
    sed -e 's/^Usage: *//' -e 's/^ *//' <<<"$usage" | escape
    cat <<'ROFF'
.fi
.SH DESCRIPTION
.B trove
runs an npm package registry that npm, yarn and pnpm publish to and install from as they would
from GitLab's npm package registry, keeping every tarball on the local disk.
.PP
Without a command it opens the desktop window with the registry running inside it, by default
on 127.0.0.1:4873; when that port is busy the window asks whether to retry, use another
port or leave the registry stopped.
.B \-\-hidden
starts it in the system tray without showing the window.
.PP
.B trove serve
runs the same registry without a window. It prints
.I Listening on http://HOST:PORT/
once it accepts connections and stops cleanly on SIGINT or SIGTERM.
.B \-\-listen 127.0.0.1:0
picks a free port.
.PP
The administration commands below change the data folder directly, also while a registry is
serving it.
.SH COMMANDS
.nf
ROFF
    tail -n +2 <<<"$commands" | sed -e 's/^ *//' | escape
    cat <<'ROFF'
.fi
.PP
Each command takes
.BI \-\-data " DIR"
and
.B \-\-json
(machine-readable output).
.SH FILES
.TP
.I trove.sqlite
the database in the data folder (WAL mode)
.TP
.I blobs/sha512/
the package tarballs, named by their SHA-512 digest
.TP
.I /var/lib/trove
the data folder of the
.B trove.service
systemd unit, which runs
.B trove serve
as the system user
.IR trove .
It is installed disabled:
.B systemctl enable \-\-now trove
starts it.
.SH ENVIRONMENT
.TP
.B TROVE_DATA
the data folder when
.B \-\-data
is not given; otherwise the user's application data folder.
.SH SEE ALSO
.BR npm (1),
.BR systemctl (1)
ROFF
} >"$output"
