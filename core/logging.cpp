// SPDX-License-Identifier: GPL-3.0-or-later
#include "logging.h"

Q_LOGGING_CATEGORY(lcSsh, "vigil.ssh", QtInfoMsg)
Q_LOGGING_CATEGORY(lcSshTrace, "vigil.ssh.trace", QtCriticalMsg)
Q_LOGGING_CATEGORY(lcSlurm, "vigil.slurm", QtInfoMsg)
Q_LOGGING_CATEGORY(lcSite, "vigil.site", QtInfoMsg)
Q_LOGGING_CATEGORY(lcEngine, "vigil.engine", QtInfoMsg)
Q_LOGGING_CATEGORY(lcWorkflow, "vigil.workflow", QtInfoMsg)
Q_LOGGING_CATEGORY(lcUi, "vigil.ui", QtInfoMsg)
