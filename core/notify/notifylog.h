// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QLoggingCategory>

// Phone notifications (webhooks): vigil.notify. Never logs a secret.
Q_DECLARE_LOGGING_CATEGORY(lcNotify)
