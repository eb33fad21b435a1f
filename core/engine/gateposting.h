// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// A gate becomes a checkpoint of the run: checkpoints/<gate>/request.json,
// made with the protocol library (the same request vigil-job posts for an
// in-job checkpoint), so that the desktop, vigilctl and the store read it
// like any other. Its decision (human, or the default the engine takes when
// the deadline passed) is a decision.json like any other. Pure.

#include "protocol/decision.h"
#include "protocol/request.h"
#include "result.h"
#include "workflow/workflow.h"

#include <QDateTime>
#include <QMap>

namespace vigil {
class Transport;
}

namespace vigil::engine {

// Who may decide and who posts, as the site knows them.
struct GateAccount
{
    quint32 ownerUid = 0;        // the engine's account on the site (created_by_uid)
    QStringList approvers;       // user names
    QList<quint32> approverUids; // approverUids[i] is approvers[i]'s uid on the site
    QString host;                // recorded as the request's job host
};

// The approvers of a gate: its own, else the workflow's.
QStringList gateApprovers(const Workflow &workflow, const TaskSpec &gate);

// The site whose run directory holds a gate's checkpoint: the site of the
// nearest job before it (through its `after`, gates looked through), else the
// site of the workflow's first job. Every engine computes the same one.
QString gateSite(const Workflow &workflow, const TaskSpec &gate);

// The request of `gate` posted at `now` (its deadline: now + the gate's
// deadline). Checked with validateRequest: an error names the gate and what
// is wrong.
Result<protocol::Request> gateRequest(const TaskSpec &gate, const GateAccount &account,
                                      const QDateTime &now);

// A time as the protocol library writes it (whole seconds, UTC).
protocol::TimePoint protocolTime(const QDateTime &time);

// The parameters a decision gives, every one (left-out ones at their
// defaults), as the text that goes into VIGIL_PARAM_<NAME>: numbers as
// written by JSON, booleans "true"/"false", strings as they are.
QMap<QString, QString> decisionParams(const protocol::Request &request,
                                      const protocol::Decision &decision);

// Reads and checks a checkpoint's request.json / decision.json on `transport`
// (at most 1 MiB; an error names the file).
void readRequestFile(Transport *transport, const QString &path, QObject *context,
                     Callback<protocol::Request> done);
void readDecisionFile(Transport *transport, const QString &path, QObject *context,
                      Callback<protocol::Decision> done);

} // namespace vigil::engine
