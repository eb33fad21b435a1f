// SPDX-License-Identifier: GPL-3.0-or-later
// The checks across the tables of a workflow: sites and tasks that are named
// but not defined, dependency cycles, the branches of gates, inputs taken from
// other tasks, and what only a SLURM site can do.
#include "tomlreader.h"

#include <QSet>

namespace vigil::workflowtoml {

namespace {

class Graph
{
public:
    Graph(Reader &rd, const Workflow &wf, const toml::table &root)
        : m_rd(rd), m_wf(wf), m_tasks(root["tasks"].as_table())
    {
        for (const TaskSpec &t : wf.tasks)
            for (const QString &dep : t.after)
                m_children[dep] << t.name;
    }

    void check()
    {
        for (const TaskSpec &t : m_wf.tasks) {
            checkAfter(t);
            if (t.isGate())
                checkBranches(t);
            else
                checkJob(t);
        }
        checkCycles();
    }

private:
    const toml::table *table(const QString &task) const
    {
        const toml::node *n = m_tasks ? m_tasks->get(task.toStdString()) : nullptr;
        return n ? n->as_table() : nullptr;
    }
    // tasks.TASK.key, else the task's table.
    const toml::node *node(const QString &task, std::string_view key) const
    {
        const toml::table *t = table(task);
        const toml::node *n = t ? t->get(key) : nullptr;
        return n ? n : t;
    }
    // Element i of the array tasks.TASK.key, else the key.
    const toml::node *element(const QString &task, std::string_view key, qsizetype i) const
    {
        const toml::node *n = node(task, key);
        const toml::array *a = n ? n->as_array() : nullptr;
        return a && size_t(i) < a->size() ? a->get(size_t(i)) : n;
    }

    void checkAfter(const TaskSpec &t)
    {
        for (qsizetype i = 0; i < t.after.size(); ++i) {
            const QString &dep = t.after[i];
            if (dep == t.name)
                m_rd.report(element(t.name, "after", i),
                            QStringLiteral("[tasks.%1] runs after itself").arg(t.name));
            else if (!m_wf.task(dep))
                m_rd.report(element(t.name, "after", i),
                            QStringLiteral("[tasks.%1] runs after \"%2\", which is not a task%3")
                                .arg(t.name, dep, suggestTask(dep)));
        }
    }

    QString suggestTask(const QString &name) const
    {
        for (const TaskSpec &t : m_wf.tasks)
            if (t.name.compare(name, Qt::CaseInsensitive) == 0)
                return QStringLiteral(" (did you mean \"%1\"?)").arg(t.name);
        return {};
    }

    void checkJob(const TaskSpec &t)
    {
        if (t.site.isEmpty())
            return; // reported by readTask
        const SiteSpec *site = m_wf.site(t.site);
        if (!site) {
            m_rd.report(node(t.name, "site"),
                        QStringLiteral("[tasks.%1] uses site \"%2\", which is not defined in "
                                       "[sites]")
                            .arg(t.name, t.site));
        } else if (site->kind != SiteSpec::Kind::Slurm) {
            const QString kind = siteKindName(site->kind);
            for (auto key : {"array", "sweep"})
                if (const toml::table *tt = table(t.name); tt && tt->get(key))
                    m_rd.report(tt->get(key), QStringLiteral("[tasks.%1].%2 needs a SLURM site; "
                                                             "site \"%3\" is of kind %4")
                                                  .arg(t.name, QLatin1String(key), t.site, kind));
            const toml::table *res =
                table(t.name) ? table(t.name)->get_as<toml::table>("resources") : nullptr;
            for (auto key : {"gpus", "nodes", "partition", "account", "qos", "extra"})
                if (res && res->get(key))
                    m_rd.report(res->get(key),
                                QStringLiteral("[tasks.%1].resources.%2 applies only to SLURM "
                                               "sites; site \"%3\" is of kind %4")
                                    .arg(t.name, QLatin1String(key), t.site, kind));
        }
        for (qsizetype i = 0; i < t.inputs.size(); ++i) {
            const DataInput &in = t.inputs[i];
            if (in.fromTask.isEmpty())
                continue;
            const toml::node *n = element(t.name, "inputs", i);
            const toml::table *it = n ? n->as_table() : nullptr;
            const toml::node *from = it && it->get("from") ? it->get("from") : n;
            const TaskSpec *src = m_wf.task(in.fromTask);
            if (!src)
                m_rd.report(from, QStringLiteral("[tasks.%1].inputs: \"%2\" is not a task%3")
                                      .arg(t.name, in.fromTask, suggestTask(in.fromTask)));
            else if (!upstream(t.name).contains(in.fromTask))
                m_rd.report(from, QStringLiteral("[tasks.%1].inputs: task \"%2\" does not run "
                                                 "before it: add \"%2\" to its after (directly or "
                                                 "through another task)")
                                      .arg(t.name, in.fromTask));
            else if (!in.path.isEmpty() && !src->outputs.contains(in.path))
                m_rd.report(it && it->get("path") ? it->get("path") : n,
                            QStringLiteral("[tasks.%1].inputs: task \"%2\" does not declare the "
                                           "output \"%3\" (its outputs: %4)")
                                .arg(t.name, in.fromTask, in.path,
                                     src->outputs.isEmpty()
                                         ? QStringLiteral("none")
                                         : src->outputs.join(QStringLiteral(", "))));
        }
    }

    // Every task that `task` comes after, directly or transitively.
    QSet<QString> upstream(const QString &task) const
    {
        QSet<QString> seen;
        const TaskSpec *t = m_wf.task(task);
        QStringList todo = t ? t->after : QStringList();
        while (!todo.isEmpty()) {
            const QString name = todo.takeLast();
            if (seen.contains(name))
                continue;
            seen.insert(name);
            if (const TaskSpec *dep = m_wf.task(name))
                todo << dep->after;
        }
        return seen;
    }

    // Every task that comes after `task`, directly or transitively.
    QSet<QString> downstream(const QString &task) const
    {
        QSet<QString> seen;
        QStringList todo = m_children.value(task);
        while (!todo.isEmpty()) {
            const QString t = todo.takeLast();
            if (seen.contains(t))
                continue;
            seen.insert(t);
            todo << m_children.value(t);
        }
        return seen;
    }

    void checkBranches(const TaskSpec &gate)
    {
        const QSet<QString> after = downstream(gate.name);
        const toml::node *optionsNode = node(gate.name, "options");
        const toml::array *options = optionsNode ? optionsNode->as_array() : nullptr;
        for (qsizetype i = 0; i < gate.gate.options.size(); ++i) {
            const GateOption &o = gate.gate.options[i];
            const toml::node *on =
                options && size_t(i) < options->size() ? options->get(size_t(i)) : optionsNode;
            const toml::table *ot = on ? on->as_table() : nullptr;
            for (auto [key, list] :
                 {std::pair{"enables", &o.enables}, std::pair{"skips", &o.skips}}) {
                const toml::array *a = ot ? ot->get_as<toml::array>(key) : nullptr;
                for (qsizetype j = 0; j < list->size(); ++j) {
                    const QString &target = list->at(j);
                    const toml::node *n = a && size_t(j) < a->size() ? a->get(size_t(j)) : on;
                    if (!m_wf.task(target))
                        m_rd.report(n, QStringLiteral("[tasks.%1] option \"%2\" %3 \"%4\", which "
                                                      "is not a task%5")
                                           .arg(gate.name, o.name, QLatin1String(key), target,
                                                suggestTask(target)));
                    else if (!after.contains(target))
                        m_rd.report(n, QStringLiteral("[tasks.%1] option \"%2\" %3 \"%4\", which "
                                                      "does not come after the gate (add \"%1\" "
                                                      "to its after, directly or through another "
                                                      "task)")
                                           .arg(gate.name, o.name, QLatin1String(key), target));
                }
            }
        }
    }

    // Depth-first search with colours; every cycle found is named once.
    void checkCycles()
    {
        QMap<QString, int> colour; // 0 white, 1 grey, 2 black
        QStringList path;
        std::function<void(const TaskSpec &)> visit = [&](const TaskSpec &t) {
            colour[t.name] = 1;
            path << t.name;
            for (qsizetype i = 0; i < t.after.size(); ++i) {
                const QString &dep = t.after[i];
                const TaskSpec *d = m_wf.task(dep);
                if (!d || dep == t.name)
                    continue; // reported by checkAfter
                if (colour.value(dep) == 1) {
                    QStringList cycle = path.mid(path.indexOf(dep));
                    cycle << dep;
                    m_rd.report(element(t.name, "after", i),
                                QStringLiteral("dependency cycle: %1")
                                    .arg(cycle.join(QStringLiteral(" -> "))));
                } else if (colour.value(dep) == 0) {
                    visit(*d);
                }
            }
            path.removeLast();
            colour[t.name] = 2;
        };
        for (const TaskSpec &t : m_wf.tasks)
            if (colour.value(t.name) == 0)
                visit(t);
    }

    Reader &m_rd;
    const Workflow &m_wf;
    const toml::table *m_tasks;
    QMap<QString, QStringList> m_children; // task -> the tasks that run after it
};

} // namespace

void checkGraph(Reader &rd, const Workflow &wf, const toml::table &root)
{
    Graph(rd, wf, root).check();
}

} // namespace vigil::workflowtoml
