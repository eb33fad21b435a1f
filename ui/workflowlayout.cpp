// SPDX-License-Identifier: GPL-3.0-or-later
#include "workflowlayout.h"

#include <QMap>
#include <algorithm>
#include <functional>

namespace vigil {

namespace {

// The tasks by index, looked up once: each task's own index is that of the
// first task of its name (Workflow::task's answer), and its dependencies are
// the indices of the tasks they name (names of no task left out). Looking a
// name up in the task list for every dependency made a layout quadratic in
// the number of tasks.
struct TaskGraph
{
    QList<qsizetype> self;
    QList<QList<qsizetype>> deps;
};

TaskGraph taskGraph(const Workflow &workflow)
{
    const qsizetype n = workflow.tasks.size();
    QHash<QString, qsizetype> index;
    index.reserve(n);
    for (qsizetype i = 0; i < n; ++i)
        if (!index.contains(workflow.tasks.at(i).name))
            index.insert(workflow.tasks.at(i).name, i);
    TaskGraph g;
    g.self.resize(n);
    g.deps.resize(n);
    for (qsizetype i = 0; i < n; ++i) {
        const TaskSpec &t = workflow.tasks.at(i);
        g.self[i] = index.value(t.name);
        for (const QString &dep : t.after)
            if (const auto it = index.constFind(dep); it != index.cend())
                g.deps[i] << *it;
    }
    return g;
}

// The layer of each task (by index): the length of the longest chain of
// dependencies leading to it; a dependency that closes a cycle (unchecked
// input) counts as layer 0.
QList<int> taskLayers(const Workflow &workflow, const TaskGraph &g)
{
    const qsizetype n = workflow.tasks.size();
    QList<int> layer(n, -1);
    QList<bool> visiting(n, false);
    std::function<int(qsizetype)> depth = [&](qsizetype i) -> int {
        if (layer.at(i) >= 0)
            return layer.at(i);
        if (visiting.at(i))
            return 0;
        visiting[i] = true;
        int d = 0;
        for (const qsizetype p : g.deps.at(i))
            d = std::max(d, depth(p) + 1);
        visiting[i] = false;
        layer[i] = d;
        return d;
    };
    for (qsizetype i = 0; i < n; ++i)
        depth(g.self.at(i));
    return layer;
}

} // namespace

QHash<QString, int> workflowLayers(const Workflow &workflow)
{
    const TaskGraph g = taskGraph(workflow);
    const QList<int> layer = taskLayers(workflow, g);
    QHash<QString, int> byName;
    byName.reserve(workflow.tasks.size());
    for (qsizetype i = 0; i < workflow.tasks.size(); ++i)
        byName.insert(workflow.tasks.at(i).name, layer.at(g.self.at(i)));
    return byName;
}

QHash<QString, QPointF> layoutWorkflow(const Workflow &workflow, QSizeF node, QSizeF gap)
{
    QHash<QString, QPointF> pos;
    pos.reserve(workflow.tasks.size());
    const bool placed =
        !workflow.tasks.isEmpty() && std::all_of(workflow.tasks.cbegin(), workflow.tasks.cend(),
                                                 [](const TaskSpec &t) { return t.hasPosition; });
    if (placed) {
        for (const TaskSpec &t : workflow.tasks)
            pos.insert(t.name, t.position);
        return pos;
    }

    const TaskGraph g = taskGraph(workflow);
    const QList<int> layer = taskLayers(workflow, g);
    QMap<int, QList<qsizetype>> columns;
    for (qsizetype i = 0; i < workflow.tasks.size(); ++i)
        columns[layer.at(g.self.at(i))] << i;

    // Order each column by the mean row of its predecessors (one sweep); the
    // row of a task is known once its column is placed.
    QList<double> row(workflow.tasks.size(), 0);
    QList<bool> hasRow(workflow.tasks.size(), false);
    QList<double> key(workflow.tasks.size(), 0); // each column sets its own tasks'
    for (auto it = columns.begin(); it != columns.end(); ++it) {
        QList<qsizetype> &tasks = it.value();
        for (qsizetype i = 0; i < tasks.size(); ++i) {
            double sum = 0;
            int n = 0;
            for (const qsizetype dep : g.deps.at(g.self.at(tasks.at(i))))
                if (hasRow.at(dep)) {
                    sum += row.at(dep);
                    ++n;
                }
            key[tasks.at(i)] = n ? sum / n : double(i);
        }
        std::stable_sort(tasks.begin(), tasks.end(),
                         [&](qsizetype a, qsizetype b) { return key.at(a) < key.at(b); });
        for (qsizetype i = 0; i < tasks.size(); ++i) {
            const qsizetype self = g.self.at(tasks.at(i));
            row[self] = i - (tasks.size() - 1) / 2.0;
            hasRow[self] = true;
        }
    }

    for (auto it = columns.cbegin(); it != columns.cend(); ++it)
        for (const qsizetype i : it.value())
            pos.insert(
                workflow.tasks.at(i).name,
                QPointF(it.key() * (node.width() + gap.width()),
                        row.at(g.self.at(i)) * (node.height() + gap.height()) - node.height() / 2));
    return pos;
}

} // namespace vigil
