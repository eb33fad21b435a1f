// SPDX-License-Identifier: GPL-3.0-or-later
#include "notifylog.h"

Q_LOGGING_CATEGORY(lcNotify, "vigil.notify", QtInfoMsg)
