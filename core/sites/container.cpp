// SPDX-License-Identifier: GPL-3.0-or-later
#include "container.h"

namespace vigil::container {

namespace {

constexpr qsizetype kMaxImage = 1024;
constexpr qsizetype kMaxBind = 4096;

Error invalid(const QString &what, const QString &value, const QString &why)
{
    return Error(QStringLiteral("invalid container %1 \"%2\": %3").arg(what, value.left(200), why),
                 Error::Kind::Malformed);
}

QString describeChar(QChar c, qsizetype at)
{
    return QStringLiteral("character U+%1 at position %2 is not allowed")
        .arg(QString::number(c.unicode(), 16).toUpper().rightJustified(4, QLatin1Char('0')))
        .arg(at);
}

bool isImageChar(QChar c)
{
    if (c.unicode() >= 128)
        return false;
    const char a = char(c.unicode());
    return (a >= 'a' && a <= 'z') || (a >= 'A' && a <= 'Z') || (a >= '0' && a <= '9') ||
           QByteArrayView("._-/:@+").contains(a);
}

QString directoryOf(const QString &path)
{
    const qsizetype slash = path.lastIndexOf(QLatin1Char('/'));
    return slash <= 0 ? QStringLiteral("/") : path.left(slash);
}

} // namespace

std::optional<Runtime> runtimeFromName(const QString &name)
{
    if (name == QLatin1String("apptainer"))
        return Runtime::Apptainer;
    if (name == QLatin1String("singularity"))
        return Runtime::Singularity;
    if (name == QLatin1String("podman"))
        return Runtime::Podman;
    if (name == QLatin1String("docker"))
        return Runtime::Docker;
    return std::nullopt;
}

QString runtimeName(Runtime runtime)
{
    switch (runtime) {
    case Runtime::Apptainer:
        return QStringLiteral("apptainer");
    case Runtime::Singularity:
        return QStringLiteral("singularity");
    case Runtime::Podman:
        return QStringLiteral("podman");
    case Runtime::Docker:
        return QStringLiteral("docker");
    }
    return {};
}

Result<Runtime> parseRuntime(const QString &name)
{
    if (auto r = runtimeFromName(name))
        return *r;
    return Error(QStringLiteral("unknown container runtime \"%1\" (expected apptainer, "
                                "singularity, podman or docker)")
                     .arg(name.left(100)),
                 Error::Kind::Malformed);
}

Result<void> validateImage(const QString &image)
{
    if (image.isEmpty())
        return invalid(QStringLiteral("image"), image, QStringLiteral("it is empty"));
    if (image.size() > kMaxImage)
        return invalid(QStringLiteral("image"), image,
                       QStringLiteral("longer than %1 characters").arg(kMaxImage));
    if (image.front() == QLatin1Char('-'))
        return invalid(QStringLiteral("image"), image,
                       QStringLiteral("it starts with '-' and would be read as an option"));
    for (qsizetype i = 0; i < image.size(); ++i)
        if (!isImageChar(image[i]))
            return invalid(QStringLiteral("image"), image,
                           describeChar(image[i], i) +
                               QStringLiteral(" (use A-Z a-z 0-9 . _ - / : @ +)"));
    return {};
}

Result<Bind> parseBind(const QString &bind)
{
    const QString what = QStringLiteral("bind");
    if (bind.isEmpty())
        return invalid(what, bind, QStringLiteral("it is empty"));
    if (bind.size() > kMaxBind)
        return invalid(what, bind, QStringLiteral("longer than %1 characters").arg(kMaxBind));
    for (qsizetype i = 0; i < bind.size(); ++i) {
        const QChar c = bind[i];
        if (c.unicode() < 0x20 || c.unicode() == 0x7f || c.category() == QChar::Other_Control ||
            c.category() == QChar::Separator_Line || c.category() == QChar::Separator_Paragraph)
            return invalid(what, bind,
                           describeChar(c, i) + QStringLiteral(" (a control character)"));
        if (c == QLatin1Char(','))
            return invalid(what, bind,
                           QStringLiteral("',' at position %1 is not allowed (apptainer reads it "
                                          "as a list of binds: write one bind per string)")
                               .arg(i));
    }
    const QStringList parts = bind.split(QLatin1Char(':'));
    if (parts.size() > 3)
        return invalid(what, bind, QStringLiteral("expected SRC[:DST[:ro|rw]]"));
    Bind b;
    b.source = parts[0];
    b.target = parts.size() > 1 ? parts[1] : parts[0];
    for (const QString &p : {b.source, b.target})
        if (!p.startsWith(QLatin1Char('/')))
            return invalid(what, bind,
                           QStringLiteral("\"%1\" is not an absolute path").arg(p.left(200)));
    if (parts.size() == 3) {
        if (parts[2] == QLatin1String("ro"))
            b.readOnly = true;
        else if (parts[2] != QLatin1String("rw"))
            return invalid(what, bind,
                           QStringLiteral("the option \"%1\" is not ro or rw").arg(parts[2]));
    }
    return b;
}

Result<void> validateBind(const QString &bind)
{
    if (auto b = parseBind(bind); !b)
        return b.error();
    return {};
}

Result<Runtime> effectiveRuntime(const ContainerSpec &container, const SiteSpec &site)
{
    if (!container.runtime.isEmpty())
        return parseRuntime(container.runtime);
    if (!site.containerRuntime.isEmpty())
        return parseRuntime(site.containerRuntime);
    return site.kind == SiteSpec::Kind::Slurm ? Runtime::Apptainer : Runtime::Podman;
}

QStringList slurmEnvironment()
{
    return {QStringLiteral("SLURM_JOB_ID"),           QStringLiteral("SLURM_JOB_NAME"),
            QStringLiteral("SLURM_ARRAY_JOB_ID"),     QStringLiteral("SLURM_ARRAY_TASK_ID"),
            QStringLiteral("SLURM_ARRAY_TASK_COUNT"), QStringLiteral("SLURM_ARRAY_TASK_MIN"),
            QStringLiteral("SLURM_ARRAY_TASK_MAX"),   QStringLiteral("SLURM_CPUS_PER_TASK"),
            QStringLiteral("SLURM_NTASKS"),           QStringLiteral("SLURM_PROCID"),
            QStringLiteral("SLURM_NODELIST"),         QStringLiteral("SLURM_SUBMIT_DIR")};
}

Result<QStringList> wrapCommand(const ContainerSpec &container, Runtime runtime,
                                const RunContext &run, const QStringList &command)
{
    if (auto ok = validateImage(container.image); !ok)
        return ok.error();
    if (!run.runDir.startsWith(QLatin1Char('/')) || !run.helperPath.startsWith(QLatin1Char('/')))
        return Error(QStringLiteral("the run directory \"%1\" and vigil-job \"%2\" must be "
                                    "absolute paths to be bound into a container")
                         .arg(run.runDir, run.helperPath));
    if (command.isEmpty())
        return Error(
            QStringLiteral("task %1 has no command to run in its container").arg(run.task));
    for (const QString &path : {run.runDir, run.helperPath})
        if (path.contains(QLatin1Char(':')) || path.contains(QLatin1Char(',')))
            return Error(QStringLiteral("\"%1\" cannot be bound into a container: the path "
                                        "contains ':' or ','")
                             .arg(path));
    QList<Bind> binds{{run.runDir, run.runDir, false}};
    const QString helperDir = directoryOf(run.helperPath);
    if (helperDir != run.runDir && !helperDir.startsWith(run.runDir + QLatin1Char('/')))
        binds << Bind{helperDir, helperDir, true};
    for (const QString &spec : container.binds) {
        auto b = parseBind(spec);
        if (!b)
            return b.error();
        binds << *b;
    }

    QStringList argv{runtimeName(runtime)};
    if (runtime == Runtime::Apptainer || runtime == Runtime::Singularity) {
        // The host environment passes through (VIGIL_*, SLURM_*, the task's own).
        argv << QStringLiteral("exec");
        for (const Bind &b : std::as_const(binds))
            argv << QStringLiteral("--bind")
                 << (b.source == b.target && !b.readOnly
                         ? b.source
                         : b.source + QLatin1Char(':') + b.target +
                               (b.readOnly ? QStringLiteral(":ro") : QString()));
        argv << QStringLiteral("--pwd") << run.runDir;
    } else {
        // Host networking like apptainer's: a training job talks to the same
        // services (and peers) with or without a container.
        argv << QStringLiteral("run") << QStringLiteral("--rm") << QStringLiteral("--network=host");
        for (const Bind &b : std::as_const(binds))
            argv << QStringLiteral("--volume")
                 << b.source + QLatin1Char(':') + b.target +
                        (b.readOnly ? QStringLiteral(":ro") : QString());
        argv << QStringLiteral("--workdir") << run.runDir;
        argv << QStringLiteral("--env") << QStringLiteral("VIGIL_RUN_DIR=") + run.runDir
             << QStringLiteral("--env") << QStringLiteral("VIGIL_RUN_ID=") + run.runId
             << QStringLiteral("--env") << QStringLiteral("VIGIL_TASK=") + run.task
             << QStringLiteral("--env") << QStringLiteral("VIGIL_JOB=") + run.helperPath;
        // A bare NAME takes the value from the job's environment, when set.
        for (const QString &name : run.passEnvironment)
            argv << QStringLiteral("--env") << name;
    }
    argv << container.image;
    argv << command;
    return argv;
}

} // namespace vigil::container
