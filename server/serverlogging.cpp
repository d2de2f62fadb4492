// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/serverlogging.h"

Q_LOGGING_CATEGORY(lcServer, "trove.server", QtInfoMsg)
