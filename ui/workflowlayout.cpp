// SPDX-License-Identifier: GPL-3.0-or-later
#include "workflowlayout.h"

#include <QMap>
#include <algorithm>
#include <functional>

namespace vigil {

QHash<QString, int> workflowLayers(const Workflow &workflow)
{
    QHash<QString, int> layer;
    QHash<QString, bool> visiting; // guards against cycles in unchecked input
    std::function<int(const TaskSpec &)> depth = [&](const TaskSpec &t) -> int {
        if (const auto it = layer.constFind(t.name); it != layer.cend())
            return *it;
        if (visiting.value(t.name))
            return 0;
        visiting.insert(t.name, true);
        int d = 0;
        for (const QString &dep : t.after)
            if (const TaskSpec *p = workflow.task(dep))
                d = std::max(d, depth(*p) + 1);
        visiting.insert(t.name, false);
        layer.insert(t.name, d);
        return d;
    };
    for (const TaskSpec &t : workflow.tasks)
        depth(t);
    return layer;
}

QHash<QString, QPointF> layoutWorkflow(const Workflow &workflow, QSizeF node, QSizeF gap)
{
    QHash<QString, QPointF> pos;
    const bool placed =
        !workflow.tasks.isEmpty() && std::all_of(workflow.tasks.cbegin(), workflow.tasks.cend(),
                                                 [](const TaskSpec &t) { return t.hasPosition; });
    if (placed) {
        for (const TaskSpec &t : workflow.tasks)
            pos.insert(t.name, t.position);
        return pos;
    }

    const QHash<QString, int> layer = workflowLayers(workflow);
    QMap<int, QStringList> columns;
    for (const TaskSpec &t : workflow.tasks)
        columns[layer.value(t.name)] << t.name;

    // Order each column by the mean row of its predecessors (one sweep).
    QHash<QString, double> row;
    for (auto it = columns.begin(); it != columns.end(); ++it) {
        QStringList &names = it.value();
        QHash<QString, double> key;
        for (int i = 0; i < names.size(); ++i) {
            const TaskSpec *t = workflow.task(names[i]);
            double sum = 0;
            int n = 0;
            for (const QString &dep : t->after)
                if (row.contains(dep)) {
                    sum += row.value(dep);
                    ++n;
                }
            key.insert(names[i], n ? sum / n : double(i));
        }
        std::stable_sort(names.begin(), names.end(), [&](const QString &a, const QString &b) {
            return key.value(a) < key.value(b);
        });
        for (int i = 0; i < names.size(); ++i)
            row.insert(names[i], i - (names.size() - 1) / 2.0);
    }

    for (auto it = columns.cbegin(); it != columns.cend(); ++it)
        for (const QString &name : it.value())
            pos.insert(name, QPointF(it.key() * (node.width() + gap.width()),
                                     row.value(name) * (node.height() + gap.height()) -
                                         node.height() / 2));
    return pos;
}

} // namespace vigil
