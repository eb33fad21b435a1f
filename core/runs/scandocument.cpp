// SPDX-License-Identifier: GPL-3.0-or-later
#include "scandocument.h"

#include <QString>
#include <QStringList>
#include <nlohmann/json.hpp>

namespace vigil {

using nlohmann::json;

struct ScanDocument::Data
{
    json doc; // null until the first snapshot
};

namespace {

QString qs(const std::string &s)
{
    return QString::fromStdString(s);
}

std::string text(const json &obj, const char *key)
{
    const auto it = obj.find(key);
    return it != obj.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// Replaces the element of `list` whose `key` is `name`, or inserts `entry` in
// name order.
void upsert(json &list, const char *key, const std::string &name, json entry)
{
    if (!list.is_array())
        list = json::array();
    for (auto it = list.begin(); it != list.end(); ++it) {
        const std::string other = text(*it, key);
        if (other == name) {
            *it = std::move(entry);
            return;
        }
        if (other > name) {
            list.insert(it, std::move(entry));
            return;
        }
    }
    list.push_back(std::move(entry));
}

void erase(json &list, const char *key, const std::string &name)
{
    if (!list.is_array())
        return;
    for (auto it = list.begin(); it != list.end(); ++it)
        if (text(*it, key) == name) {
            list.erase(it);
            return;
        }
}

// The cursor counts the bytes of each run's events.jsonl delivered so far:
// that is the file's size the scan would show (lines are written whole).
void applyCursor(json &runs, const QString &cursor)
{
    for (const QString &part : cursor.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        const qsizetype eq = part.lastIndexOf(QLatin1Char('='));
        bool ok = false;
        const qint64 offset = eq > 0 ? part.mid(eq + 1).toLongLong(&ok) : -1;
        if (!ok)
            continue;
        const std::string run = part.left(eq).toStdString();
        for (json &r : runs)
            if (text(r, "dir") == run && offset > r.value("events_size", qint64(0)))
                r["events_size"] = offset;
    }
}

Error bad(const QString &what)
{
    return Error(QStringLiteral("vigil-job watch: %1").arg(what), Error::Kind::Malformed);
}

} // namespace

ScanDocument::ScanDocument() : d(std::make_unique<Data>()) {}

ScanDocument::~ScanDocument() = default;

bool ScanDocument::hasSnapshot() const
{
    return d->doc.is_object();
}

QByteArray ScanDocument::toJson() const
{
    if (!hasSnapshot())
        return {};
    return QByteArray::fromStdString(d->doc.dump());
}

Result<ScanDocument::Applied> ScanDocument::apply(const QByteArray &line)
{
    json msg = json::parse(line.constData(), line.constData() + line.size(), nullptr, false);
    if (msg.is_discarded() || !msg.is_object())
        return bad(QStringLiteral("a line that is not a JSON object: %1")
                       .arg(QString::fromUtf8(line.left(80))));
    const std::string type = text(msg, "type");
    if (type.empty())
        return bad(QStringLiteral("a line without \"type\""));
    Applied a;
    a.cursor = qs(text(msg, "cursor"));
    a.run = qs(text(msg, "run"));

    if (type == "snapshot") {
        json scan = msg.value("scan", json());
        if (!scan.is_object() || !scan.value("runs", json()).is_array())
            return bad(QStringLiteral("a snapshot without a scan document"));
        d->doc = std::move(scan);
        a.change = Change::Scan;
        return a;
    }
    if (type == "heartbeat") {
        a.change = Change::Heartbeat;
        return a;
    }
    if (type == "event") {
        const json &event = msg.value("event", json());
        if (a.run.isEmpty() || !event.is_object() || !msg.value("offset", json()).is_number())
            return bad(QStringLiteral("an event line without run, offset or event"));
        if (hasSnapshot())
            applyCursor(d->doc["runs"], a.cursor);
        a.change = Change::Event;
        a.offset = msg.value("offset", qint64(-1));
        a.event = QByteArray::fromStdString(event.dump());
        return a;
    }
    if (type == "event_error" || type == "events_truncated") {
        a.problem = type == "event_error"
                        ? QStringLiteral("run %1: events.jsonl at offset %2: %3")
                              .arg(a.run)
                              .arg(msg.value("offset", qint64(-1)))
                              .arg(qs(text(msg, "error")))
                        : QStringLiteral("run %1: events.jsonl was replaced by a shorter file "
                                         "(%2 bytes)")
                              .arg(a.run)
                              .arg(msg.value("size", qint64(-1)));
        return a;
    }
    if (type == "metrics" || type == "metrics_removed") {
        a.change = Change::Metrics;
        a.file = qs(type == "metrics" ? text(msg, "file") : text(msg, "name"));
        a.size = type == "metrics" ? msg.value("size", qint64(-1)) : -1;
        return a;
    }

    static const char *const kPatches[] = {"run",          "run_removed", "task",
                                           "task_removed", "checkpoint",  "checkpoint_removed"};
    if (std::find(std::begin(kPatches), std::end(kPatches), type) == std::end(kPatches))
        return a; // a newer helper's line: nothing to do with it
    if (!hasSnapshot())
        return bad(QStringLiteral("a \"%1\" line before the snapshot").arg(qs(type)));
    if (a.run.isEmpty())
        return bad(QStringLiteral("a \"%1\" line without \"run\"").arg(qs(type)));
    const std::string run = a.run.toStdString();
    json &runs = d->doc["runs"];

    if (type == "run") {
        json entry = msg.value("entry", json());
        if (!entry.is_object())
            return bad(QStringLiteral("a run line without its entry"));
        entry["dir"] = run;
        upsert(runs, "dir", run, std::move(entry));
    } else if (type == "run_removed") {
        erase(runs, "dir", run);
    } else {
        json *target = nullptr;
        for (json &r : runs)
            if (text(r, "dir") == run)
                target = &r;
        if (!target)
            return bad(QStringLiteral("a \"%1\" line for run %2, which the snapshot does not have")
                           .arg(qs(type), a.run));
        const bool isTask = type.rfind("task", 0) == 0;
        const char *listKey = isTask ? "tasks" : "checkpoints";
        const char *nameKey = isTask ? "name" : "id";
        if (type == "task" || type == "checkpoint") {
            json entry = msg.value(isTask ? "task" : "checkpoint", json());
            const std::string name = text(entry, nameKey);
            if (!entry.is_object() || name.empty())
                return bad(QStringLiteral("a \"%1\" line without a named entry").arg(qs(type)));
            upsert((*target)[listKey], nameKey, name, std::move(entry));
        } else {
            const std::string name = text(msg, "name");
            if (name.empty())
                return bad(QStringLiteral("a \"%1\" line without \"name\"").arg(qs(type)));
            erase((*target)[listKey], nameKey, name);
        }
    }
    a.change = Change::Scan;
    return a;
}

} // namespace vigil
