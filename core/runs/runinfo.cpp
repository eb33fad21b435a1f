// SPDX-License-Identifier: GPL-3.0-or-later
#include "runinfo.h"

namespace vigil {

QString CheckpointInfo::defaultOption() const
{
    for (const CheckpointOption &o : options)
        if (o.isDefault)
            return o.name;
    return options.isEmpty() ? QString() : options.first().name;
}

QString checkpointStatusName(CheckpointInfo::Status status)
{
    switch (status) {
    case CheckpointInfo::Status::Pending:
        return QStringLiteral("pending");
    case CheckpointInfo::Status::Decided:
        return QStringLiteral("decided");
    case CheckpointInfo::Status::Applied:
        return QStringLiteral("applied");
    case CheckpointInfo::Status::Refused:
        return QStringLiteral("refused");
    case CheckpointInfo::Status::Broken:
        return QStringLiteral("broken");
    }
    return {};
}

Result<QList<RunInfo>> parseScan(const QByteArray &, const QString &)
{
    return QList<RunInfo>(); // TODO: awaits the scan format
}

} // namespace vigil
