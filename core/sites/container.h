// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "result.h"
#include "workflow/workflow.h"

#include <QStringList>
#include <optional>

// Container tasks: pure functions that check a task's container table and
// build the argv that runs its command inside the container. The job script
// runs that argv under `vigil-job task-exec`, outside the container, so the
// task's state and markers are written whatever the image holds; the run
// directory and the helper's directory are bound at the same paths so that
// `$VIGIL_JOB checkpoint ...` works inside as well.
namespace vigil::container {

enum class Runtime { Apptainer, Singularity, Podman, Docker };

std::optional<Runtime> runtimeFromName(const QString &name);
QString runtimeName(Runtime runtime);

// "apptainer", "singularity", "podman" or "docker"; the error lists them.
Result<Runtime> parseRuntime(const QString &name);

// An image reference or path: 1-1024 ASCII characters from
// A-Z a-z 0-9 . _ - / : @ +, not starting with '-' (never read as an option).
Result<void> validateImage(const QString &image);

// A bind "SRC[:DST[:ro|rw]]": absolute paths, no control characters, no ','
// (apptainer splits --bind at commas), not starting with '-'.
Result<void> validateBind(const QString &bind);

struct Bind
{
    QString source;
    QString target; // the source's path when not given
    bool readOnly = false;
};
Result<Bind> parseBind(const QString &bind);

// The runtime a task uses: its own, else its site's container_runtime, else
// apptainer on a SLURM site and podman on an ssh or local one.
Result<Runtime> effectiveRuntime(const ContainerSpec &container, const SiteSpec &site);

// What the container needs to know of the run.
struct RunContext
{
    QString runDir;     // absolute; bound, and the working directory
    QString helperPath; // absolute path of vigil-job; its directory is bound read-only
    QString runId;
    QString task;
    QStringList passEnvironment; // variable names handed to podman/docker (apptainer passes all)
};

// The argv that runs `command` in the container, e.g.
//   apptainer exec --bind RUN --bind HELPERDIR:HELPERDIR:ro --pwd RUN IMAGE CMD...
//   podman run --rm --network=host --volume RUN:RUN --volume ... --workdir RUN
//          --env VIGIL_RUN_DIR=RUN ... IMAGE CMD...
// Every value is one argv element (the caller quotes them with shellJoin).
Result<QStringList> wrapCommand(const ContainerSpec &container, Runtime runtime,
                                const RunContext &run, const QStringList &command);

// Variables a SLURM job sets that a podman/docker container gets as well.
QStringList slurmEnvironment();

} // namespace vigil::container
