// SPDX-License-Identifier: GPL-3.0-or-later
#include "version.h"

namespace vigil::protocol {

const char *helperVersion()
{
    return VIGIL_VERSION;
}

} // namespace vigil::protocol
