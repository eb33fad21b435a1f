#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The Vigil run-directory protocol for Python training code (stdlib only).

The twin of the static ``vigil-job`` helper: it writes and reads the same
files, byte for byte, under the same rules (docs/protocol.md)::

    import vigil_job
    vigil_job.checkpoint("lr-check", "Lower the learning rate?",
                         options=[("continue", "Continue"), ("lower", "Lower it")],
                         params=[{"name": "lr", "type": "number", "default": 1e-3,
                                  "min": 0, "max": 1}],
                         deadline="2h")
    ...  # keep training
    d = vigil_job.decision("lr-check")          # None while pending
    if d is not None:
        apply(d["option"], d["params"])
        vigil_job.ack("lr-check", "lr set to %g" % d["params"]["lr"])

The run directory is ``run_dir=`` or $VIGIL_RUN_DIR. Run as a script it offers
the subcommands init-run, checkpoint, decision, wait, param, log-metrics and
ack with vigil-job's options and exit codes.
"""

import argparse
import calendar
import json
import hashlib
import math
import os
import pwd
import re
import socket
import stat
import subprocess
import sys
import time

__version__ = "0.1.0"
FORMAT_MAJOR = 1
FORMAT_MINOR = 0
MAX_FILE_SIZE = 1024 * 1024
MAX_EVENT_LINE = 4000
MAX_ID = 64

EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_PENDING, EXIT_REFUSED = 0, 1, 2, 3, 4

_ID_RE = re.compile(r"^[A-Za-z0-9._-]+$")
_USER_RE = re.compile(r"^[A-Za-z0-9._@-]+$")
_HEX32 = re.compile(r"^[0-9a-f]{32}$")
_HEX64 = re.compile(r"^[0-9a-f]{64}$")
# The largest byte count evidence_bytes may give for one metric file (1 TiB).
MAX_EVIDENCE_FILE_BYTES = 1 << 40
_TIME_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:[.,]\d+)?"
                      r"([Zz]|[+-]\d{2}:\d{2})$")
_PARAM_TYPES = ("number", "integer", "string", "boolean", "enum")
_REFUSED_PREFIX = "decision.refused-"


class VigilError(Exception):
    """A protocol error. ``kind``: error, not_found, exists, malformed, refused,
    conflict, pending, unsupported, too_large."""

    def __init__(self, message, kind="error"):
        super().__init__(message)
        self.kind = kind


# --- names, times, text ---------------------------------------------------

def validate_id(value, what="id"):
    if not isinstance(value, str):
        raise VigilError("invalid %s %r: expected a string" % (what, value), "malformed")
    why = None
    if not value:
        why = "it is empty"
    elif len(value) > MAX_ID:
        why = "it is %d characters long (at most %d)" % (len(value), MAX_ID)
    elif value.startswith("-"):
        why = "it must not start with '-'"
    elif value.startswith("."):
        # Dot-names are the temporaries' (".NAME.tmp-..."), and scans skip them.
        why = "it must not start with '.'"
    elif not _ID_RE.match(value) or not value.isascii():
        bad = next(c for c in value if not (c.isascii() and _ID_RE.match(c)))
        why = "%r at position %d is not allowed (use A-Z a-z 0-9 . _ -)" % (bad, value.index(bad))
    if why:
        raise VigilError("invalid %s %s: %s" % (what, json.dumps(value), why), "malformed")


def validate_relative_path(value, what="path"):
    if not isinstance(value, str) or not value:
        raise VigilError("invalid %s %r: it is empty" % (what, value), "malformed")
    if len(value.encode("utf-8", "surrogatepass")) > 1024 or value.startswith("/"):
        raise VigilError("invalid %s %s: it must be relative to the run directory and at most "
                         "1024 bytes" % (what, json.dumps(value)), "malformed")
    for part in value.split("/"):
        try:
            validate_id(part, "path component")
        except VigilError as e:
            raise VigilError("invalid %s %s: %s" % (what, json.dumps(value), e), "malformed")


def validate_user_name(value):
    if (not isinstance(value, str) or not value or len(value) > MAX_ID or value.startswith("-")
            or not value.isascii() or not _USER_RE.match(value)):
        raise VigilError("invalid user name %s: use 1-64 characters from A-Z a-z 0-9 . _ - @, "
                         "not starting with '-'" % json.dumps(value), "malformed")


def now():
    return int(time.time())


def format_utc(t):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(int(t)))


def parse_utc(text):
    m = _TIME_RE.match(text) if isinstance(text, str) else None
    if not m:
        raise VigilError("invalid time %r (expected ISO-8601 UTC such as 2025-03-01T14:05:09Z)"
                         % (text,), "malformed")
    y, mo, d, h, mi, s = (int(g) for g in m.groups()[:6])
    day_ok = y > 0 and 1 <= mo <= 12 and 1 <= d <= calendar.monthrange(y, mo)[1]
    if not day_ok or h > 23 or mi > 59 or s > 60:
        raise VigilError("invalid time %r: out of range" % (text,), "malformed")
    t = calendar.timegm((y, mo, d, h, mi, s, 0, 0, 0))
    zone = m.group(7)
    if zone not in ("Z", "z"):
        sign = -1 if zone[0] == "-" else 1
        t -= sign * (int(zone[1:3]) * 3600 + int(zone[4:6]) * 60)
    return t


def parse_duration(text):
    """"30s", "10m", "2h", "1d", "1h30m"; a bare number is seconds."""
    if isinstance(text, (int, float)) and not isinstance(text, bool):
        return float(text)
    m = re.fullmatch(r"((?:\d+[smhd])*)(\d+)?", text or "")
    if not text or not m or (m.group(2) and m.group(1)):
        raise VigilError("invalid duration %r: expected a number followed by s, m, h or d "
                         "(e.g. 30s, 10m, 2h, 1d)" % (text,), "malformed")
    units = {"s": 1, "m": 60, "h": 3600, "d": 86400}
    total = sum(int(n) * units[u] for n, u in re.findall(r"(\d+)([smhd])", m.group(1)))
    return total + int(m.group(2) or 0)


def parse_deadline(text, start):
    if len(text) > 4 and text[4] == "-":
        return parse_utc(text)
    return start + int(parse_duration(text))


def _one_line(value, field, max_bytes, allow_empty, fail):
    if not isinstance(value, str):
        fail(field, "expected a string, got %s" % _type_name(value))
    try:
        raw = value.encode("utf-8")
    except UnicodeEncodeError:
        fail(field, "is not valid UTF-8")
    if not allow_empty and not value:
        fail(field, "must not be empty")
    if len(raw) > max_bytes:
        fail(field, "is %d bytes long (at most %d)" % (len(raw), max_bytes))
    if any(_is_control(c) for c in value):
        fail(field, "contains control characters (newlines, tabs, ...)")


def _is_control(c):
    """C0 (newline and tab included), DEL and C1 (U+0080-U+009F, e.g. the 8-bit CSI
    U+009B): the same rule as hasNoControlChars in core/protocol/text.cpp."""
    o = ord(c)
    return o < 0x20 or 0x7F <= o <= 0x9F


def _truncate(text, max_bytes):
    raw = text.encode("utf-8", "replace")
    if len(raw) <= max_bytes:
        return text
    return raw[:max(max_bytes - 3, 0)].decode("utf-8", "ignore") + "..."


def _type_name(v):
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "a boolean"
    if isinstance(v, int):
        return "an integer"
    if isinstance(v, float):
        return "a number"
    if isinstance(v, str):
        return "a string"
    if isinstance(v, list):
        return "an array"
    if isinstance(v, dict):
        return "an object"
    return "an unsupported value"


# --- JSON files -------------------------------------------------------------

def dump_file(doc):
    return json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def dump_line(doc):
    return json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def format_header(name):
    return {"name": name, "version": "%d.%d" % (FORMAT_MAJOR, FORMAT_MINOR)}


def _reject_constant(name):
    raise ValueError("%s is not valid JSON" % name)


def _finite_float(text):
    value = float(text)
    if not math.isfinite(value):
        raise ValueError("number overflow parsing %r" % text)
    return value


def parse_json(data, file):
    try:
        return json.loads(data.decode("utf-8"), parse_constant=_reject_constant,
                          parse_float=_finite_float)
    except UnicodeDecodeError:
        raise VigilError("%s: not valid JSON: invalid UTF-8" % file, "malformed")
    except (ValueError, RecursionError) as e:
        raise VigilError("%s: not valid JSON: %s" % (file, e), "malformed")


def check_format(doc, name, file):
    if not isinstance(doc, dict):
        raise VigilError("%s: expected a JSON object" % file, "malformed")
    fmt = doc.get("format")
    if not isinstance(fmt, dict):
        raise VigilError('%s: field "format" is missing or not an object (not a %s file)'
                         % (file, name), "malformed")
    if fmt.get("name") != name:
        raise VigilError('%s: field "format.name" is %s, expected "%s"'
                         % (file, json.dumps(fmt.get("name")), name), "malformed")
    version = fmt.get("version")
    m = re.fullmatch(r"(\d{1,4})\.(\d{1,4})", version) if isinstance(version, str) else None
    if not m:
        raise VigilError('%s: field "format.version": expected a string "MAJOR.MINOR"' % file,
                         "malformed")
    major = int(m.group(1))
    if major > FORMAT_MAJOR:
        raise VigilError("%s has format version %s; this vigil_job.py understands %d.x: upgrade it"
                         % (file, version, FORMAT_MAJOR), "unsupported")
    if major < FORMAT_MAJOR:
        raise VigilError("%s has format version %s, older than %d.0: not supported"
                         % (file, version, FORMAT_MAJOR), "unsupported")


class _Fields:
    """Strict access to one JSON object; errors name the file and field."""

    def __init__(self, obj, file, prefix=""):
        self.obj, self.file, self.prefix = obj, file, prefix
        if not isinstance(obj, dict):
            self.fail("", "expected an object, got %s" % _type_name(obj))

    def fail(self, key, why):
        field = (self.prefix + key) if key else (self.prefix.rstrip(".") or "(top level)")
        raise VigilError('%s: field "%s": %s' % (self.file, field, why), "malformed")

    def sub(self, value, prefix):
        return _Fields(value, self.file, prefix)

    def get(self, key, kind, default=None, required=True):
        if key not in self.obj or (self.obj[key] is None and not required):
            if required:
                self.fail(key, "is missing")
            return default
        v = self.obj[key]
        ok = {"string": isinstance(v, str), "bool": isinstance(v, bool),
              "int": isinstance(v, int) and not isinstance(v, bool),
              "array": isinstance(v, list), "object": isinstance(v, dict), "any": True}[kind]
        if not ok:
            want = {"string": "a string", "bool": "true or false", "int": "an integer",
                    "array": "an array", "object": "an object"}[kind]
            self.fail(key, "expected %s, got %s" % (want, _type_name(v)))
        return v

    def time(self, key, required=True):
        v = self.get(key, "string", required=required)
        if v is None:
            return None
        try:
            return parse_utc(v)
        except VigilError as e:
            self.fail(key, str(e))

    def uid(self, value, field):
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value < 0xFFFFFFFF:
            self.fail(field, "expected a numeric uid, got %s" % _type_name(value))
        return value

    def strings(self, key):
        arr = self.get(key, "array", [], required=False)
        for i, s in enumerate(arr):
            if not isinstance(s, str):
                self.fail("%s[%d]" % (key, i), "expected a string, got %s" % _type_name(s))
        return list(arr)


# --- requests and decisions ---------------------------------------------------

def _is_number(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


def _is_integer(v):
    return isinstance(v, int) and not isinstance(v, bool)


def check_param_value(p, value, field, fail):
    t = p["type"]
    if t == "number" and not _is_number(value):
        fail(field, "expected a number, got %s" % _type_name(value))
    if t == "integer" and not _is_integer(value):
        fail(field, "expected an integer, got %s" % _type_name(value))
    if t in ("string", "enum"):
        if not isinstance(value, str):
            fail(field, "expected a string, got %s" % _type_name(value))
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            fail(field, "is not valid UTF-8")
    if t == "boolean" and not isinstance(value, bool):
        fail(field, "expected true or false, got %s" % _type_name(value))
    if t == "enum" and value not in p["choices"]:
        fail(field, "%s is not one of the choices (%s)"
             % (json.dumps(value), ", ".join(json.dumps(c) for c in p["choices"])))
    if t in ("number", "integer"):
        if p.get("min") is not None and value < p["min"]:
            fail(field, "%s is below the minimum %s" % (json.dumps(value), json.dumps(p["min"])))
        if p.get("max") is not None and value > p["max"]:
            fail(field, "%s is above the maximum %s" % (json.dumps(value), json.dumps(p["max"])))


def validate_request(r, file="request.json"):
    """Every rule of request.json (same as vigil-job); raises VigilError."""
    def fail(field, why):
        raise VigilError('%s: field "%s": %s' % (file, field, why), "malformed")

    def check_id(value, field, what):
        try:
            validate_id(value, what)
        except VigilError as e:
            fail(field, str(e))

    def count(n, limit, field):
        if n > limit:
            fail(field, "has %d entries (at most %d)" % (n, limit))

    check_id(r["id"], "id", "checkpoint id")
    if not isinstance(r["nonce"], str) or not _HEX32.match(r["nonce"]):
        fail("nonce", "expected 32 lower-case hex digits")
    _one_line(r["title"], "title", 256, False, fail)
    try:
        r["body"].encode("utf-8")
    except UnicodeEncodeError:
        fail("body", "is not valid UTF-8")
    if not r["options"]:
        fail("options", "a checkpoint needs at least one option")
    count(len(r["options"]), 32, "options")
    names = set()
    for i, o in enumerate(r["options"]):
        check_id(o["name"], "options[%d].name" % i, "option name")
        _one_line(o["label"], "options[%d].label" % i, 256, True, fail)
        if o["name"] in names:
            fail("options[%d].name" % i, "option %s is listed twice" % json.dumps(o["name"]))
        names.add(o["name"])
    defaults = sum(1 for o in r["options"] if o["default"])
    if defaults != 1:
        fail("options", "exactly one option must be the default (found %d)" % defaults)
    count(len(r["params"]), 64, "params")
    pnames = set()
    for i, p in enumerate(r["params"]):
        at = "params[%d]" % i
        check_id(p["name"], at + ".name", "parameter name")
        _one_line(p["label"], at + ".label", 256, True, fail)
        numeric = p["type"] in ("number", "integer")
        for key in ("min", "max"):
            b = p.get(key)
            if b is None:
                continue
            if not numeric:
                fail(at + "." + key, "only number and integer parameters have bounds")
            if not (_is_integer(b) if p["type"] == "integer" else _is_number(b)):
                fail(at + "." + key, "expected %s, got %s" % (
                    "an integer" if p["type"] == "integer" else "a number", _type_name(b)))
        if p.get("min") is not None and p.get("max") is not None and p["min"] > p["max"]:
            fail(at + ".min", "the minimum %s is above the maximum %s"
                 % (json.dumps(p["min"]), json.dumps(p["max"])))
        if p["type"] == "enum":
            if not p["choices"]:
                fail(at + ".choices", "an enum parameter needs at least one choice")
            count(len(p["choices"]), 64, at + ".choices")
            for k, c in enumerate(p["choices"]):
                _one_line(c, "%s.choices[%d]" % (at, k), 256, False, fail)
                if p["choices"].index(c) != k:
                    fail("%s.choices[%d]" % (at, k), "%s is listed twice" % json.dumps(c))
        elif p["choices"]:
            fail(at + ".choices", "only enum parameters have choices")
        if p.get("default") is None:
            fail(at + ".default", "is missing (every parameter needs a default)")
        check_param_value(p, p["default"], at + ".default", fail)
        if p["name"] in pnames:
            fail(at + ".name", "parameter %s is listed twice" % json.dumps(p["name"]))
        pnames.add(p["name"])
    count(len(r["metrics"]), 32, "metrics")
    for i, m in enumerate(r["metrics"]):
        try:
            validate_relative_path(m["file"], "metric file")
        except VigilError as e:
            fail("metrics[%d].file" % i, str(e))
        if m["x"] is not None:
            _one_line(m["x"], "metrics[%d].x" % i, 256, False, fail)
        count(len(m["columns"]), 64, "metrics[%d].columns" % i)
        for k, c in enumerate(m["columns"]):
            _one_line(c, "metrics[%d].columns[%d]" % (i, k), 256, False, fail)
    count(len(r["attachments"]), 64, "attachments")
    for i, a in enumerate(r["attachments"]):
        try:
            validate_relative_path(a, "attachment")
        except VigilError as e:
            fail("attachments[%d]" % i, str(e))
    if r["default_on_timeout"] is not None and r["default_on_timeout"] not in names:
        fail("default_on_timeout", "%s is not one of the options"
             % json.dumps(r["default_on_timeout"]))
    count(len(r["approvers"]), 64, "approvers")
    for i, a in enumerate(r["approvers"]):
        try:
            validate_user_name(a)
        except VigilError as e:
            fail("approvers[%d]" % i, str(e))
    if len(r["approver_uids"]) != len(r["approvers"]):
        fail("approver_uids", "has %d entries but approvers has %d"
             % (len(r["approver_uids"]), len(r["approvers"])))
    _one_line(r["job"]["host"], "job.host", 256, True, fail)
    for key in ("slurm_job_id", "slurm_step_id"):
        if r["job"][key] is not None:
            _one_line(r["job"][key], "job." + key, 64, False, fail)
    if r["task"] is not None:
        check_id(r["task"], "task", "task name")


def request_from_json(doc, file="request.json"):
    """The request as a dict with every field (times as ISO strings)."""
    check_format(doc, "vigil.request", file)
    f = _Fields(doc, file)
    r = {"format": format_header("vigil.request"), "id": f.get("id", "string"),
         "nonce": f.get("nonce", "string"), "title": f.get("title", "string"),
         "body": f.get("body", "string", "", required=False), "options": [], "params": [],
         "metrics": []}
    for i, o in enumerate(f.get("options", "array", [], required=False)):
        of = f.sub(o, "options[%d]." % i)
        r["options"].append({"name": of.get("name", "string"),
                             "label": of.get("label", "string", "", required=False),
                             "default": of.get("default", "bool", False, required=False)})
    for i, p in enumerate(f.get("params", "array", [], required=False)):
        pf = f.sub(p, "params[%d]." % i)
        t = pf.get("type", "string")
        if t not in _PARAM_TYPES:
            pf.fail("type", "%s is not a parameter type (number, integer, string, boolean, enum)"
                    % json.dumps(t))
        r["params"].append({"name": pf.get("name", "string"),
                            "label": pf.get("label", "string", "", required=False), "type": t,
                            "default": pf.get("default", "any", None, required=False),
                            "min": pf.get("min", "any", None, required=False),
                            "max": pf.get("max", "any", None, required=False),
                            "choices": pf.strings("choices")})
    for i, m in enumerate(f.get("metrics", "array", [], required=False)):
        mf = f.sub(m, "metrics[%d]." % i)
        r["metrics"].append({"file": mf.get("file", "string"),
                             "x": mf.get("x", "string", None, required=False),
                             "columns": mf.strings("columns")})
    r["attachments"] = f.strings("attachments")
    deadline = f.time("deadline", required=False)
    r["deadline"] = None if deadline is None else format_utc(deadline)
    r["default_on_timeout"] = f.get("default_on_timeout", "string", None, required=False)
    r["approvers"] = f.strings("approvers")
    r["approver_uids"] = [f.uid(u, "approver_uids[%d]" % i)
                          for i, u in enumerate(f.get("approver_uids", "array", [],
                                                      required=False))]
    jf = f.sub(f.get("job", "object"), "job.")
    r["job"] = {"host": jf.get("host", "string", "", required=False),
                "slurm_job_id": jf.get("slurm_job_id", "string", None, required=False),
                "slurm_step_id": jf.get("slurm_step_id", "string", None, required=False)}
    r["task"] = f.get("task", "string", None, required=False)
    r["created_at"] = format_utc(f.time("created_at"))
    r["created_by_uid"] = f.uid(f.get("created_by_uid", "any"), "created_by_uid")
    validate_request(r, file)
    return r


def decision_from_json(doc, file="decision.json"):
    check_format(doc, "vigil.decision", file)
    f = _Fields(doc, file)
    d = {"format": format_header("vigil.decision"),
         "checkpoint": f.get("checkpoint", "string"), "nonce": f.get("nonce", "string"),
         "decision_id": f.get("decision_id", "string"), "option": f.get("option", "string"),
         "params": f.get("params", "object", {}, required=False),
         "comment": f.get("comment", "string", "", required=False),
         "decided_by": f.get("decided_by", "string"),
         "decided_at": format_utc(f.time("decided_at")),
         "client_host": f.get("client_host", "string", "", required=False),
         "evidence_sha256": f.get("evidence_sha256", "string", "", required=False),
         "kind": f.get("kind", "string")}
    try:
        validate_id(d["checkpoint"], "checkpoint id")
    except VigilError as e:
        f.fail("checkpoint", str(e))
    for key in ("nonce", "decision_id"):
        if not _HEX32.match(d[key]):
            f.fail(key, "expected 32 lower-case hex digits")
    try:
        validate_id(d["option"], "option name")
    except VigilError as e:
        f.fail("option", str(e))
    if len(d["comment"].encode("utf-8", "surrogatepass")) > 64 * 1024:
        f.fail("comment", "is longer than 65536 bytes")
    if not d["decided_by"]:
        f.fail("decided_by", "must not be empty")
    _one_line(d["decided_by"], "decided_by", MAX_ID, False, f.fail)
    _one_line(d["client_host"], "client_host", 256, True, f.fail)
    if d["evidence_sha256"] and not _HEX64.match(d["evidence_sha256"]):
        f.fail("evidence_sha256", "expected 64 lower-case hex digits or an empty string")
    counts = f.get("evidence_bytes", "array", None, required=False)
    if counts is not None:
        if not d["evidence_sha256"]:
            f.fail("evidence_bytes", "given without evidence_sha256 (the hash they describe)")
        if len(counts) > 32:
            f.fail("evidence_bytes", "has %d counts (at most 32)" % len(counts))
        for i, n in enumerate(counts):
            if not isinstance(n, int) or isinstance(n, bool):
                f.fail("evidence_bytes[%d]" % i, "expected an integer, got %s" % _type_name(n))
            if not 0 <= n <= MAX_EVIDENCE_FILE_BYTES:
                f.fail("evidence_bytes[%d]" % i, "%d is not a byte count (0 to %d)"
                       % (n, MAX_EVIDENCE_FILE_BYTES))
        d["evidence_bytes"] = counts
    if d["kind"] not in ("human", "timeout-default"):
        f.fail("kind", "%s is not a decision kind (human, timeout-default)"
               % json.dumps(d["kind"]))
    return d


def timeout_option(request):
    if request["default_on_timeout"] is not None:
        return request["default_on_timeout"]
    return next(o["name"] for o in request["options"] if o["default"])


def check_decision(request, d, owner_uid, file="decision.json"):
    """Raises VigilError(kind "refused" or "malformed") unless `d` may be applied."""
    if d["checkpoint"] != request["id"]:
        raise VigilError("%s: it answers checkpoint %s, not %s"
                         % (file, json.dumps(d["checkpoint"]), json.dumps(request["id"])),
                         "refused")
    if d["nonce"] != request["nonce"]:
        raise VigilError("%s: its nonce does not match the request's (a stale or forged "
                         "decision)" % file, "refused")
    names = [o["name"] for o in request["options"]]
    if d["option"] not in names:
        raise VigilError('%s: field "option": %s is not an option of checkpoint %s (%s)'
                         % (file, json.dumps(d["option"]), json.dumps(request["id"]),
                            ", ".join(names)), "malformed")
    if d["kind"] == "timeout-default" and d["option"] != timeout_option(request):
        raise VigilError("%s: a timeout default must choose %s, not %s"
                         % (file, json.dumps(timeout_option(request)),
                            json.dumps(d["option"])), "refused")
    counts = d.get("evidence_bytes")
    if counts is not None and len(counts) != len(request["metrics"]):
        raise VigilError('%s: field "evidence_bytes": has %d byte counts, but checkpoint %s has '
                         '%d metric files' % (file, len(counts), json.dumps(request["id"]),
                                              len(request["metrics"])), "malformed")
    params = {p["name"]: p for p in request["params"]}
    for name, value in d["params"].items():
        if name not in params:
            raise VigilError('%s: field "params": %s is not a parameter of checkpoint %s'
                             % (file, json.dumps(name), json.dumps(request["id"])), "malformed")

        def fail(field, why):
            raise VigilError('%s: field "%s": %s' % (file, field, why), "malformed")
        check_param_value(params[name], value, "params." + name, fail)
    allowed = request["approver_uids"] or [request["created_by_uid"]]
    if owner_uid in allowed:
        return
    if d["kind"] == "timeout-default" and owner_uid == request["created_by_uid"]:
        return
    raise VigilError("%s: the file is owned by uid %d, who is not an approver of checkpoint %s "
                     "(allowed uids: %s)" % (file, owner_uid, json.dumps(request["id"]),
                                             ", ".join(str(u) for u in allowed)), "refused")


def _hash_prefix(run_dir, rel, count, digest):
    """Adds rel, a NUL and the first `count` bytes of the metric file `rel`.
    An error names the component at fault (a directory that is a link: that
    directory), like vigil-job."""
    parts = [p for p in rel.split("/") if p]
    if not parts or ".." in parts:
        raise VigilError("%s: invalid path" % run_dir.shown(rel), "unsupported")
    pfd = os.dup(run_dir.fd)
    try:
        for i, part in enumerate(parts[:-1]):
            try:
                nfd = os.open(part, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC,
                              dir_fd=pfd)
            except OSError as e:
                raise run_dir._oserror("/".join(parts[:i + 1]), e, pfd, part)
            os.close(pfd)
            pfd = nfd
    except BaseException:
        os.close(pfd)
        raise
    leaf = parts[-1]
    try:
        try:
            fd = os.open(leaf, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC | os.O_NONBLOCK
                         | os.O_NOCTTY, dir_fd=pfd)
        except OSError as e:
            if e.errno == 2:
                raise VigilError("%s: no such file" % run_dir.shown(rel), "not_found")
            raise run_dir._oserror(rel, e, pfd, leaf)
    finally:
        os.close(pfd)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise VigilError("%s: not a regular file: refused" % run_dir.shown(rel), "unsupported")
        digest.update(rel.encode("utf-8") + b"\0")
        left = count
        while left > 0:
            chunk = os.read(fd, min(left, 64 * 1024))
            if not chunk:
                raise VigilError("%s: is now %d bytes long, shorter than the %d bytes the decider "
                                 "saw" % (run_dir.shown(rel), count - left, count), "error")
            digest.update(chunk)
            left -= len(chunk)
    finally:
        os.close(fd)


def verify_evidence(run_dir, request, d, file="decision.json"):
    """Raises VigilError(kind "refused") when the decision's evidence_sha256
    does not match the first evidence_bytes[i] bytes of the request's metric
    files as they are now (no byte counts or no hash: nothing to check)."""
    counts = d.get("evidence_bytes")
    if counts is None or not d["evidence_sha256"]:
        return
    cp = "checkpoint %s" % json.dumps(request["id"])
    if len(counts) != len(request["metrics"]):
        raise VigilError('%s: field "evidence_bytes": has %d byte counts, but %s has %d metric '
                         "files" % (file, len(counts), cp, len(request["metrics"])), "refused")
    digest = hashlib.sha256()
    files = []
    for m, count in zip(request["metrics"], counts):
        try:
            _hash_prefix(run_dir, m["file"], count, digest)
        except VigilError as e:
            raise VigilError("%s: tampered evidence: the metrics the decider saw for %s cannot be "
                             "checked: %s" % (file, cp, e), "refused")
        files.append("%s (first %d bytes)" % (m["file"], count))
    if digest.hexdigest() != d["evidence_sha256"]:
        raise VigilError("%s: tampered evidence: evidence_sha256 does not match the metrics of %s "
                         "as they are now: %s%s differ from what the decider saw"
                         % (file, cp, "the bytes of " if len(counts) == 1 else
                            "the bytes of one of ", ", ".join(files) or "(no metric files)"),
                         "refused")


def effective_params(request, d):
    return {p["name"]: d["params"].get(p["name"], p["default"]) for p in request["params"]}


# --- file access --------------------------------------------------------------

class _Dir:
    """An open directory; relative paths below it never follow symlinks."""

    def __init__(self, path, display=""):
        self.fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
        self.display = display

    def close(self):
        os.close(self.fd)

    def shown(self, rel):
        return "%s/%s" % (self.display, rel) if self.display else rel

    def _oserror(self, rel, e, dirfd=None, leaf=None):
        if e.errno in (40, 20, 31) and dirfd is not None:  # ELOOP, ENOTDIR, EMLINK
            try:
                if stat.S_ISLNK(os.stat(leaf, dir_fd=dirfd, follow_symlinks=False).st_mode):
                    return VigilError("%s: is a symbolic link: refused" % self.shown(rel),
                                      "unsupported")
            except OSError:
                pass
        kind = {2: "not_found", 17: "exists", 13: "permission", 1: "permission"}.get(e.errno,
                                                                                   "error")
        return VigilError("%s: %s" % (self.shown(rel), e.strerror), kind)

    def parent(self, rel):
        parts = [p for p in rel.split("/") if p]
        if not parts or ".." in parts:
            raise VigilError("%s: invalid path" % self.shown(rel), "unsupported")
        fd = os.dup(self.fd)
        try:
            for part in parts[:-1]:
                try:
                    nfd = os.open(part, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC,
                                  dir_fd=fd)
                except OSError as e:
                    raise self._oserror(rel, e, fd, part)
                os.close(fd)
                fd = nfd
        except BaseException:
            os.close(fd)
            raise
        return fd, parts[-1]

    def read(self, rel, limit=MAX_FILE_SIZE):
        """(bytes, os.stat_result) of a regular file under `limit` bytes."""
        pfd, leaf = self.parent(rel)
        try:
            try:
                fd = os.open(leaf, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC | os.O_NONBLOCK
                             | os.O_NOCTTY, dir_fd=pfd)
            except OSError as e:
                raise self._oserror(rel, e, pfd, leaf)
        finally:
            os.close(pfd)
        try:
            st = os.fstat(fd)
            if not stat.S_ISREG(st.st_mode):
                raise VigilError("%s: not a regular file: refused" % self.shown(rel),
                                 "unsupported")
            if st.st_size > limit:
                raise VigilError("%s: the file is %d bytes, over the limit of %d bytes: refused"
                                 % (self.shown(rel), st.st_size, limit), "too_large")
            chunks, total = [], 0
            while True:
                chunk = os.read(fd, limit + 1 - total)
                if not chunk:
                    break
                chunks.append(chunk)
                total += len(chunk)
                if total > limit:
                    raise VigilError("%s: the file grew over the limit while being read: refused"
                                     % self.shown(rel), "too_large")
            return b"".join(chunks), st
        finally:
            os.close(fd)

    def _write_temp(self, pfd, leaf, data, mode):
        tmp = ".%s.tmp-%d-%s" % (leaf, os.getpid(), os.urandom(6).hex())
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC,
                     mode, dir_fd=pfd)
        try:
            os.fchmod(fd, mode)
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
            os.fsync(fd)
        except BaseException:
            os.close(fd)
            os.unlink(tmp, dir_fd=pfd)
            raise
        os.close(fd)
        return tmp

    def write_atomic(self, rel, data, mode):
        pfd, leaf = self.parent(rel)
        try:
            tmp = self._write_temp(pfd, leaf, data, mode)
            try:
                os.rename(tmp, leaf, src_dir_fd=pfd, dst_dir_fd=pfd)
            except OSError as e:
                os.unlink(tmp, dir_fd=pfd)
                raise self._oserror(rel, e)
            os.fsync(pfd)
        finally:
            os.close(pfd)

    def create_no_clobber(self, rel, data, mode):
        """Raises VigilError(kind "exists") when `rel` exists: the first writer wins."""
        pfd, leaf = self.parent(rel)
        try:
            tmp = self._write_temp(pfd, leaf, data, mode)
            err = None
            try:
                os.link(tmp, leaf, src_dir_fd=pfd, dst_dir_fd=pfd, follow_symlinks=False)
            except FileExistsError as e:
                err = e
            except OSError as e:
                # NFS may report an error for a LINK that succeeded.
                if os.stat(tmp, dir_fd=pfd, follow_symlinks=False).st_nlink != 2:
                    err = e
            os.unlink(tmp, dir_fd=pfd)
            if isinstance(err, FileExistsError):
                raise VigilError("%s: already exists" % self.shown(rel), "exists")
            if err is not None:
                raise self._oserror(rel, err)
            os.fsync(pfd)
        finally:
            os.close(pfd)

    def append(self, rel, data, mode):
        pfd, leaf = self.parent(rel)
        flags = os.O_WRONLY | os.O_APPEND | os.O_NOFOLLOW | os.O_CLOEXEC | os.O_NOCTTY
        try:
            try:
                fd = os.open(leaf, flags | os.O_CREAT | os.O_EXCL, mode, dir_fd=pfd)
                os.fchmod(fd, mode)
            except FileExistsError:
                fd = os.open(leaf, flags, dir_fd=pfd)
        except OSError as e:
            raise self._oserror(rel, e, pfd, leaf)
        finally:
            os.close(pfd)
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                raise VigilError("%s: not a regular file: refused" % self.shown(rel),
                                 "unsupported")
            n = os.write(fd, data)  # one write: atomic with O_APPEND
            if n != len(data):
                raise VigilError("%s: short write" % self.shown(rel))
        finally:
            os.close(fd)

    def make_sub(self, rel, mode):
        pfd, leaf = self.parent(rel)
        try:
            try:
                os.mkdir(leaf, mode, dir_fd=pfd)
                fd = os.open(leaf, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW, dir_fd=pfd)
                os.fchmod(fd, mode)
                os.close(fd)
            except FileExistsError:
                pass
        finally:
            os.close(pfd)

    def lstat(self, rel):
        pfd, leaf = self.parent(rel)
        try:
            return os.stat(leaf, dir_fd=pfd, follow_symlinks=False)
        except OSError:
            return None
        finally:
            os.close(pfd)


def _modes(run_info):
    return (0o640, 0o750) if run_info.get("group_readable") else (0o600, 0o700)


class _Run:
    def __init__(self, run_dir):
        if run_dir is None:
            run_dir = os.environ.get("VIGIL_RUN_DIR")
        if not run_dir:
            raise VigilError("no run directory (run_dir= or VIGIL_RUN_DIR)", "usage")
        self.path = run_dir
        try:
            self.dir = _Dir(run_dir)
        except OSError as e:
            raise VigilError("%s: %s" % (run_dir, e.strerror),
                             "not_found" if e.errno == 2 else "error")
        try:
            data, _ = self.dir.read("run.json")
        except VigilError as e:
            self.dir.close()
            if e.kind == "not_found":
                raise VigilError("%s: not a run directory (no run.json): create it with "
                                 "`vigil-job init-run`" % run_dir, "not_found")
            raise VigilError("%s/%s" % (run_dir, e), e.kind)
        doc = parse_json(data, "run.json")
        check_format(doc, "vigil.run", "run.json")
        f = _Fields(doc, "run.json")
        self.info = {"run_id": f.get("run_id", "string"),
                     "group_readable": f.get("group_readable", "bool", False, required=False)}
        self.file_mode, self.dir_mode = _modes(self.info)

    def close(self):
        self.dir.close()

    def event(self, kind, at, **fields):
        record = {"type": kind, "time": format_utc(at), "uid": os.geteuid()}
        record.update(fields)
        line = dump_line(record)
        while len(line.encode("utf-8")) + 1 > MAX_EVENT_LINE:
            strings = [k for k, v in record.items()
                       if isinstance(v, str) and k not in ("type", "time") and len(v) >= 16]
            if not strings:
                record = {"type": kind, "time": record["time"], "truncated": True}
                line = dump_line(record)
                break
            longest = max(strings, key=lambda k: len(record[k]))
            record[longest] = _truncate(record[longest],
                                        len(record[longest].encode("utf-8")) // 2)
            record["truncated"] = True
            line = dump_line(record)
        self.dir.append("events.jsonl", (line + "\n").encode("utf-8"), self.file_mode)


def _read_request(run, cid):
    validate_id(cid, "checkpoint id")
    file = "checkpoints/%s/request.json" % cid
    try:
        data, _ = run.dir.read(file)
    except VigilError as e:
        if e.kind == "not_found":
            raise VigilError("no checkpoint %s (%s)" % (json.dumps(cid), e), "not_found")
        raise
    r = request_from_json(parse_json(data, file), file)
    if r["id"] != cid:
        raise VigilError('%s: field "id" is %s but the directory is %s'
                         % (file, json.dumps(r["id"]), json.dumps(cid)), "malformed")
    return r


def _same_question(a, b):
    keys = ("id", "title", "body", "options", "params", "metrics", "attachments", "approvers",
            "task")
    return (all(a[k] == b[k] for k in keys) and timeout_option(a) == timeout_option(b)
            and (a["deadline"] is None) == (b["deadline"] is None))


# --- the API --------------------------------------------------------------------

def resolve_uid(name):
    """getpwnam, then the system's `id -u NAME` (argv, no shell)."""
    validate_user_name(name)
    try:
        return pwd.getpwnam(name).pw_uid
    except KeyError:
        pass
    for command in ("/usr/bin/id", "/bin/id"):
        if os.access(command, os.X_OK):
            try:
                out = subprocess.run([command, "-u", name], capture_output=True, timeout=20,
                                     check=False)
            except (OSError, subprocess.TimeoutExpired) as e:
                raise VigilError("cannot resolve user %s to a uid: %s" % (json.dumps(name), e),
                                 "not_found")
            text = out.stdout.decode("utf-8", "replace").strip()
            if out.returncode == 0 and text.isdigit():
                return int(text)
            raise VigilError("cannot resolve user %s to a uid: unknown to getpwnam, and `%s -u "
                             "%s` exited with status %d" % (json.dumps(name), command, name,
                                                            out.returncode), "not_found")
    raise VigilError("cannot resolve user %s to a uid" % json.dumps(name), "not_found")


def init_run(run_dir, run_id, workflow_name="", group_readable=False):
    """Creates a run directory (idempotent for the same run id)."""
    validate_id(run_id, "run id")
    file_mode, dir_mode = _modes({"group_readable": group_readable})
    made = False
    try:
        os.mkdir(run_dir, dir_mode)
        made = True
    except FileExistsError:
        pass
    except OSError as e:
        raise VigilError("%s: %s" % (run_dir, e.strerror))
    d = _Dir(run_dir)
    try:
        if made:
            os.fchmod(d.fd, dir_mode)
        try:
            data, _ = d.read("run.json")
            doc = parse_json(data, "run.json")
            check_format(doc, "vigil.run", "run.json")
            if doc.get("run_id") != run_id:
                raise VigilError("%s: already holds run %s, not %s"
                                 % (run_dir, json.dumps(doc.get("run_id")), json.dumps(run_id)),
                                 "conflict")
            return {"created": False, "run_dir": os.path.abspath(run_dir), "run_id": run_id}
        except VigilError as e:
            if e.kind != "not_found":
                raise
        ours = ("metrics", "tasks", "checkpoints", "events.jsonl")
        for name in os.listdir(d.fd):
            if name not in ours and not name.startswith(".run.json."):
                raise VigilError("%s: exists and is not a run directory (it contains %s)"
                                 % (run_dir, json.dumps(name)), "conflict")
        for sub in ("metrics", "tasks", "checkpoints"):
            d.make_sub(sub, dir_mode)
        d.append("events.jsonl", b"", file_mode)
        at = now()
        info = {"format": format_header("vigil.run"), "run_id": run_id,
                "workflow_name": workflow_name, "created_at": format_utc(at),
                "created_by_uid": os.geteuid(), "group_readable": bool(group_readable)}
        try:
            d.create_no_clobber("run.json", dump_file(info).encode("utf-8"), file_mode)
        except VigilError as e:
            if e.kind == "exists":
                return init_run(run_dir, run_id, workflow_name, group_readable)
            raise
    finally:
        d.close()
    run = _Run(run_dir)
    try:
        run.event("run_created", at, run_id=run_id)
    finally:
        run.close()
    return {"created": True, "run_dir": os.path.abspath(run_dir), "run_id": run_id}


def _option(o):
    if isinstance(o, str):
        name, _, label = o.partition("=")
        return {"name": name, "label": label, "default": False}
    if isinstance(o, (tuple, list)):
        return {"name": o[0], "label": o[1] if len(o) > 1 else "", "default": False}
    return {"name": o["name"], "label": o.get("label", ""), "default": bool(o.get("default"))}


def _param(p):
    t = p.get("type", "string")
    default = p.get("default")
    if default is None:
        default = {"boolean": False, "string": ""}.get(t)
        if t == "enum" and p.get("choices"):
            default = p["choices"][0]
    return {"name": p["name"], "label": p.get("label", ""), "type": t, "default": default,
            "min": p.get("min"), "max": p.get("max"), "choices": list(p.get("choices") or [])}


def _metric(m):
    if isinstance(m, str):
        return {"file": m, "x": None, "columns": []}
    return {"file": m["file"], "x": m.get("x"), "columns": list(m.get("columns") or [])}


def checkpoint(id, title, options, body="", default=None, params=None, metrics=None,
               attachments=None, deadline=None, timeout_default=None, approvers=None,
               task=None, run_dir=None):
    """Posts a checkpoint and returns at once: {"id", "nonce", "existing"}.

    options: names, "name=Label" strings, (name, label) tuples or dicts; the
    default is `default` (else the first). params: dicts with name, type
    (number, integer, string, boolean, enum), default, min, max, choices,
    label. metrics: "file" or {"file", "x", "columns"}. deadline: a duration
    ("2h") or an ISO-8601 time. approvers: user names."""
    validate_id(id, "checkpoint id")
    opts = [_option(o) for o in options]
    if not opts:
        raise VigilError("a checkpoint needs at least one option", "usage")
    default = default or opts[0]["name"]
    if not any(o["name"] == default for o in opts):
        raise VigilError("default %s is not one of the options" % json.dumps(default), "usage")
    if not any(o["default"] for o in opts):
        next(o for o in opts if o["name"] == default)["default"] = True
    if timeout_default is not None and deadline is None:
        raise VigilError("timeout_default needs a deadline", "usage")
    created = now()
    approvers = list(approvers or [])
    r = {"format": format_header("vigil.request"), "id": id, "nonce": os.urandom(16).hex(),
         "title": title, "body": body, "options": opts,
         "params": [_param(p) for p in (params or [])],
         "metrics": [_metric(m) for m in (metrics or [])],
         "attachments": list(attachments or []), "deadline": None, "default_on_timeout": None,
         "approvers": approvers, "approver_uids": [resolve_uid(a) for a in approvers],
         "job": {"host": socket.gethostname(),
                 "slurm_job_id": os.environ.get("SLURM_JOB_ID") or None,
                 "slurm_step_id": os.environ.get("SLURM_STEP_ID") or None},
         "task": task if task is not None else (os.environ.get("VIGIL_TASK") or None),
         "created_at": format_utc(created), "created_by_uid": os.geteuid()}
    if deadline is not None:
        r["deadline"] = format_utc(parse_deadline(deadline, created))
        r["default_on_timeout"] = timeout_default or next(o["name"] for o in opts
                                                          if o["default"])
    validate_request(r, "the checkpoint")
    run = _Run(run_dir)
    try:
        run.dir.make_sub("checkpoints", run.dir_mode)
        run.dir.make_sub("checkpoints/" + id, run.dir_mode)
        try:
            run.dir.create_no_clobber("checkpoints/%s/request.json" % id,
                                      dump_file(r).encode("utf-8"), run.file_mode)
        except VigilError as e:
            if e.kind != "exists":
                raise
            stored = _read_request(run, id)
            if not _same_question(stored, r):
                raise VigilError("checkpoint %s was already posted with a different request "
                                 "(at %s): use another id" % (json.dumps(id),
                                                              stored["created_at"]), "conflict")
            return {"id": id, "nonce": stored["nonce"], "existing": True}
        if any(u != os.geteuid() for u in (r["approver_uids"] or [r["created_by_uid"]])):
            fd, _ = run.dir.parent("checkpoints/%s/request.json" % id)  # the checkpoint dir
            try:
                os.fchmod(fd, 0o1770)
            finally:
                os.close(fd)
            if not run.info["group_readable"]:
                _warn("an approver is not the job owner, but the run is not group-readable: "
                      "they cannot reach this checkpoint")
        run.event("checkpoint_posted", created, checkpoint=id, title=_truncate(title, 256),
                  deadline=r["deadline"], **({"task": r["task"]} if r["task"] else {}))
    finally:
        run.close()
    return {"id": id, "nonce": r["nonce"], "existing": False}


def _warn(message):
    sys.stderr.write("vigil_job.py: warning: %s\n" % message)


def _poll(run, cid, commit_timeout, reported, check_evidence=True):
    request = _read_request(run, cid)
    file = "checkpoints/%s/decision.json" % cid
    for _ in range(4):
        seen = run.dir.lstat(file)
        if seen is not None:
            owner = seen.st_uid
            try:
                data, st = run.dir.read(file)
                if (st.st_dev, st.st_ino) != (seen.st_dev, seen.st_ino):
                    continue
                d = decision_from_json(parse_json(data, file), file)
                check_decision(request, d, st.st_uid, file)
                # The metrics the decider saw: their first bytes must not have changed.
                if check_evidence:
                    verify_evidence(run.dir, request, d, file)
                return request, d
            except VigilError as e:
                if e.kind == "not_found":
                    continue
                reason = str(e)
            except Exception as e:  # noqa: BLE001 - anything odd in the file is a refusal
                reason = "%s: %s" % (file, e)
            moved = _move_aside(run, cid, seen)
            _warn("refused a decision: %s%s" % (reason, " (moved to %s)" % moved if moved else ""))
            key = (seen.st_dev, seen.st_ino, seen.st_mtime_ns)
            if key not in reported:
                reported.add(key)
                run.event("decision_refused", now(), checkpoint=cid, reason=_truncate(reason, 1024),
                          owner_uid=owner, moved_to=moved)
            if moved is None:
                return request, None
            continue
        if not commit_timeout or request["deadline"] is None or now() < parse_utc(
                request["deadline"]):
            return request, None
        at = now()
        d = {"format": format_header("vigil.decision"), "checkpoint": cid,
             "nonce": request["nonce"], "decision_id": os.urandom(16).hex(),
             "option": timeout_option(request),
             "params": {p["name"]: p["default"] for p in request["params"]}, "comment": "",
             "decided_by": "vigil-job", "decided_at": format_utc(at),
             "client_host": socket.gethostname(), "evidence_sha256": "",
             "kind": "timeout-default"}
        try:
            run.dir.create_no_clobber(file, dump_file(d).encode("utf-8"), run.file_mode)
        except VigilError as e:
            if e.kind == "exists":
                continue
            raise
        run.event("timeout_default", at, checkpoint=cid, option=d["option"],
                  decision_id=d["decision_id"])
        return request, d
    return request, None


def _move_aside(run, cid, seen):
    name = "%s%s-%s.json" % (_REFUSED_PREFIX, time.strftime("%Y%m%dT%H%M%SZ", time.gmtime()),
                             os.urandom(4).hex())
    cp, _ = run.dir.parent("checkpoints/%s/decision.json" % cid)  # the checkpoint dir
    try:
        os.rename("decision.json", name, src_dir_fd=cp, dst_dir_fd=cp)
        moved = os.stat(name, dir_fd=cp, follow_symlinks=False)
        if (moved.st_dev, moved.st_ino) != (seen.st_dev, seen.st_ino):
            # Another file took its place between the check and the move: put it back.
            try:
                os.link(name, "decision.json", src_dir_fd=cp, dst_dir_fd=cp,
                        follow_symlinks=False)
            except OSError:
                pass
            os.unlink(name, dir_fd=cp)
            return None
        os.fsync(cp)
        return name
    except OSError as e:
        _warn("cannot move the refused decision aside: %s" % e.strerror)
        return None
    finally:
        os.close(cp)


def _public(request, d):
    out = {k: v for k, v in d.items() if k != "format"}
    out["params"] = effective_params(request, d)
    return out


def decision(id, wait=False, timeout=None, run_dir=None):
    """The valid decision as a dict (params completed with defaults), or None
    while pending. Commits the timeout default once the deadline has passed.
    wait=True polls (0.5 s doubling up to 5 s) until decided or `timeout`
    (seconds or a duration string) runs out."""
    validate_id(id, "checkpoint id")
    limit = None if timeout is None else parse_duration(timeout)
    start = time.monotonic()
    interval = 0.5
    reported = set()
    run = _Run(run_dir)
    try:
        while True:
            request, d = _poll(run, id, True, reported)
            if d is not None:
                return _public(request, d)
            if not wait:
                return None
            pause = interval
            if limit is not None:
                left = limit - (time.monotonic() - start)
                if left <= 0:
                    return None
                pause = min(pause, left)
            if request["deadline"] is not None:
                pause = min(pause, max(parse_utc(request["deadline"]) - time.time() + 0.05, 0.05))
            time.sleep(pause)
            interval = min(interval * 2, 5.0)
    finally:
        run.close()


def ack(id, outcome, run_dir=None):
    """Writes ack.json for the checkpoint's valid decision (VigilError kind
    "pending" without one) and returns it."""
    validate_id(id, "checkpoint id")
    run = _Run(run_dir)
    try:
        # No evidence check: the job has this decision already, and applying it
        # may have rewritten the metric files.
        _, d = _poll(run, id, False, set(), check_evidence=False)
        if d is None:
            raise VigilError("checkpoint %s has no valid decision to acknowledge yet"
                             % json.dumps(id), "pending")
        at = now()
        a = {"format": format_header("vigil.ack"), "checkpoint": id,
             "decision_id": d["decision_id"], "applied_at": format_utc(at), "outcome": outcome}
        if len(outcome.encode("utf-8")) > 64 * 1024:
            raise VigilError('ack.json: field "outcome": longer than 65536 bytes', "malformed")
        run.dir.write_atomic("checkpoints/%s/ack.json" % id, dump_file(a).encode("utf-8"),
                             run.file_mode)
        run.event("ack_written", at, checkpoint=id, decision_id=d["decision_id"],
                  outcome=_truncate(outcome, 1024))
        return {k: v for k, v in a.items() if k != "format"}
    finally:
        run.close()


def wait(id, timeout=None, run_dir=None):
    """Blocks until checkpoint `id` is decided (committing a due timeout
    default) and returns the decision dict; None when `timeout` (seconds or a
    duration string) runs out first. The same as decision(id, wait=True)."""
    return decision(id, wait=True, timeout=timeout, run_dir=run_dir)


def param(id, name, run_dir=None):
    """The effective value of parameter `name` of the decided checkpoint `id`
    (the decision's value or the request's default). VigilError kind "pending"
    while undecided, "not_found" for a parameter the request does not declare."""
    validate_id(id, "checkpoint id")
    validate_id(name, "parameter name")
    run = _Run(run_dir)
    try:
        request, d = _poll(run, id, True, set())
    finally:
        run.close()
    names = [p["name"] for p in request["params"]]
    if name not in names:
        raise VigilError("checkpoint %s has no parameter %s (its parameters: %s)"
                         % (json.dumps(id), json.dumps(name), ", ".join(names) or "none"),
                         "not_found")
    if d is None:
        raise VigilError("checkpoint %s has no valid decision yet" % json.dumps(id), "pending")
    return effective_params(request, d)[name]


_NUMBER_RE = re.compile(r"-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
MAX_METRIC_LINE = 4000
MAX_METRIC_COLUMNS = 64
DEFAULT_METRICS_FILE = "metrics/metrics.csv"


def is_metric_number(text):
    """-?(digits[.digits]|.digits)([eE][+-]digits) and finite (as vigil-job)."""
    if not isinstance(text, str) or len(text) > 64 or not _NUMBER_RE.fullmatch(text):
        return False
    return math.isfinite(float(text))


def validate_metrics_file(rel):
    shown = "metrics file %s" % json.dumps(rel)
    if (not isinstance(rel, str) or not rel.startswith("metrics/") or not rel.endswith(".csv")
            or len(rel) <= len("metrics/.csv")):
        raise VigilError("%s: expected metrics/NAME.csv" % shown, "malformed")
    try:
        validate_id(rel[len("metrics/"):], "metrics file name")
    except VigilError as e:
        raise VigilError("%s: %s" % (shown, e), "malformed")


def _metric_text(key, value):
    if isinstance(value, bool):
        raise VigilError("metric %s: %s is not a finite number" % (json.dumps(key), value),
                         "malformed")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise VigilError("metric %s: %s is not a finite number" % (json.dumps(key),
                                                                       json.dumps(str(value))),
                             "malformed")
        return repr(value)
    if not is_metric_number(value):
        raise VigilError("metric %s: %s is not a finite number (e.g. 0.25, -3, 1e-4)"
                         % (json.dumps(key), json.dumps(value)), "malformed")
    return value


def log_metrics(values, step=None, file=DEFAULT_METRICS_FILE, run_dir=None):
    """Appends one row to `file` (metrics/NAME.csv) in the run directory and
    returns the line. `values`: a dict or (key, value) pairs, in column order
    for a new file; values are numbers or number strings. The first row creates
    the file with its header ("step" first when `step` is given); later rows
    must use its columns (a new key raises VigilError kind "conflict")."""
    validate_metrics_file(file)
    pairs = list(values.items()) if isinstance(values, dict) else list(values)
    if not pairs:
        raise VigilError("no KEY=VALUE given", "malformed")
    if step is not None and (isinstance(step, bool) or not isinstance(step, int) or step < 0):
        raise VigilError("step %r: expected a non-negative integer" % (step,), "usage")
    keys, cells = [], {}
    if step is not None:
        keys.append("step")
        cells["step"] = str(step)
    for key, value in pairs:
        validate_id(key, "metric key")
        text = _metric_text(key, value)
        if key in cells:
            raise VigilError("metric %s is given twice%s" % (
                json.dumps(key), " (--step fills it)" if key == "step" and step is not None
                else ""), "malformed")
        keys.append(key)
        cells[key] = text
    if len(keys) > MAX_METRIC_COLUMNS:
        raise VigilError("too many metrics in one row (at most %d)" % MAX_METRIC_COLUMNS,
                         "malformed")
    run = _Run(run_dir)
    try:
        run.dir.make_sub("metrics", run.dir_mode)
        for _ in range(2):
            header = _metrics_header(run, file)
            if header is None:
                line = ",".join(cells[k] for k in keys) + "\n"
                data = ",".join(keys) + "\n" + line
                if len(data.encode("utf-8")) > 2 * MAX_METRIC_LINE:
                    raise VigilError("the row is too long", "too_large")
                try:
                    run.dir.create_no_clobber(file, data.encode("utf-8"), run.file_mode)
                    return line
                except VigilError as e:
                    if e.kind != "exists":
                        raise
                    continue
            columns = header.split(",")
            for k in keys:
                if k not in columns:
                    raise VigilError("%s: %s is not a column (the header is %s; a file's columns "
                                     "never change: use another --file)"
                                     % (file, json.dumps(k), json.dumps(header)), "conflict")
            line = ",".join(cells.get(c, "") for c in columns) + "\n"
            if len(line.encode("utf-8")) > MAX_METRIC_LINE:
                raise VigilError("the row is %d bytes long (at most %d)"
                                 % (len(line.encode("utf-8")), MAX_METRIC_LINE), "too_large")
            run.dir.append(file, line.encode("utf-8"), run.file_mode)
            return line
        raise VigilError("%s: cannot create or append" % file)
    finally:
        run.close()


def _metrics_header(run, file):
    """The first line of `file`, or None when it does not exist."""
    pfd, leaf = run.dir.parent(file)
    try:
        try:
            fd = os.open(leaf, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC | os.O_NONBLOCK
                         | os.O_NOCTTY, dir_fd=pfd)
        except FileNotFoundError:
            return None
        except OSError as e:
            raise run.dir._oserror(file, e, pfd, leaf)
    finally:
        os.close(pfd)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise VigilError("%s: not a regular file: refused" % file, "unsupported")
        data = b""
        while b"\n" not in data and len(data) < 64 * 1024:
            chunk = os.pread(fd, 64 * 1024 - len(data), len(data))
            if not chunk:
                break
            data += chunk
    finally:
        os.close(fd)
    if b"\n" not in data:
        raise VigilError("%s: has no complete header line: refused" % file, "malformed")
    header = data.split(b"\n", 1)[0].decode("utf-8", "replace")
    return header[:-1] if header.endswith("\r") else header


def ack_from_json(doc, file="ack.json"):
    """ack.json as a dict (checked like vigil-job does)."""
    check_format(doc, "vigil.ack", file)
    f = _Fields(doc, file)
    a = {"format": format_header("vigil.ack"), "checkpoint": f.get("checkpoint", "string"),
         "decision_id": f.get("decision_id", "string"),
         "applied_at": format_utc(f.time("applied_at")),
         "outcome": f.get("outcome", "string", "", required=False)}
    try:
        validate_id(a["checkpoint"], "checkpoint id")
    except VigilError as e:
        f.fail("checkpoint", str(e))
    if not _HEX32.match(a["decision_id"]):
        f.fail("decision_id", "expected 32 lower-case hex digits")
    if len(a["outcome"].encode("utf-8", "surrogatepass")) > 64 * 1024:
        f.fail("outcome", "is longer than 65536 bytes")
    return a


# --- command line ------------------------------------------------------------------

def _split_escaped(text, sep):
    parts, cur, i = [], "", 0
    while i < len(text):
        if text[i] == "\\" and i + 1 < len(text) and text[i + 1] in (sep, "\\"):
            cur += text[i + 1]
            i += 2
            continue
        if text[i] == sep:
            parts.append(cur)
            cur = ""
        else:
            cur += text[i]
        i += 1
    parts.append(cur)
    return parts


def _value(t, text, what):
    try:
        if t == "number":
            v = float(text)
            if not math.isfinite(v):
                raise ValueError
            return v
        if t == "integer":
            return int(text, 10)
    except ValueError:
        raise VigilError("%s %s: expected %s" % (what, json.dumps(text),
                                                 "a number" if t == "number" else "an integer"),
                         "usage")
    if t == "boolean":
        if text in ("true", "1", "yes"):
            return True
        if text in ("false", "0", "no"):
            return False
        raise VigilError("%s %s: expected true or false" % (what, json.dumps(text)), "usage")
    return text


def parse_param_spec(spec):
    """NAME:TYPE[=DEFAULT] or NAME:TYPE[:DEFAULT], then [,min=X][,max=Y][,choices=A|B]
    [,label=TEXT] (as vigil-job)."""
    parts = _split_escaped(spec, ",")
    name, colon, t = parts[0].partition(":")
    if not colon:
        raise VigilError("--param %s: expected NAME:TYPE[=DEFAULT][,min=X][,max=Y][,choices=A|B]"
                         % json.dumps(spec), "usage")
    c2, eq = t.find(":"), t.find("=")
    if c2 >= 0 and (eq < 0 or c2 < eq):  # NAME:TYPE:DEFAULT (the spelling)
        t, eq, default_text = t.partition(":")
    else:
        t, eq, default_text = t.partition("=")
    if t not in _PARAM_TYPES:
        raise VigilError("--param %s: unknown type %s (number, integer, string, boolean, enum)"
                         % (json.dumps(spec), json.dumps(t)), "usage")
    p = {"name": name, "label": "", "type": t, "default": None, "min": None, "max": None,
         "choices": []}
    default_text = default_text if eq else None
    for part in parts[1:]:
        key, eq, value = part.partition("=")
        if not eq or key not in ("min", "max", "label", "default", "choices"):
            raise VigilError("--param %s: unexpected %s (min, max, choices, label, default)"
                             % (json.dumps(spec), json.dumps(part)), "usage")
        if key in ("min", "max"):
            p[key] = _value("integer" if t == "integer" else "number", value, key)
        elif key == "choices":
            p["choices"] = _split_escaped(value, "|")
        elif key == "default":
            default_text = value
        else:
            p["label"] = value
    if default_text is not None:
        p["default"] = _value(t, default_text, "default")
    elif t == "enum" and p["choices"]:
        p["default"] = p["choices"][0]
    elif t in ("number", "integer"):
        raise VigilError("--param %s: a %s parameter needs a default (NAME:%s=VALUE)"
                         % (json.dumps(spec), t, t), "usage")
    return _param(p)


def parse_metrics_spec(spec):
    parts = _split_escaped(spec, ",")
    m = {"file": parts[0], "x": None, "columns": []}
    for part in parts[1:]:
        key, eq, value = part.partition("=")
        if eq and key == "x":
            m["x"] = value
        elif eq and key == "columns":
            m["columns"] = _split_escaped(value, ":")
        else:
            raise VigilError("--metrics %s: expected FILE[,x=COL][,columns=A:B]"
                             % json.dumps(spec), "usage")
    return m


_EXIT = {"pending": EXIT_PENDING, "refused": EXIT_REFUSED, "conflict": EXIT_REFUSED,
         "usage": EXIT_USAGE}


def main(argv=None):
    parser = argparse.ArgumentParser(prog="vigil_job.py", allow_abbrev=False,
                                     description="The Vigil job-side protocol (vigil-job's twin).")
    parser.add_argument("--version", action="version",
                        version="vigil_job.py %s (protocol %d.%d)"
                        % (__version__, FORMAT_MAJOR, FORMAT_MINOR))
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("init-run", allow_abbrev=False)
    p.add_argument("--run-dir")
    p.add_argument("--run-id", required=True)
    p.add_argument("--workflow-name", default="")
    p.add_argument("--group-readable", action="store_true")
    p = sub.add_parser("checkpoint", allow_abbrev=False)
    p.add_argument("--run-dir")
    p.add_argument("--task")
    p.add_argument("--id", required=True)
    p.add_argument("--title", required=True)
    body = p.add_mutually_exclusive_group()
    body.add_argument("--body", default="")
    body.add_argument("--body-file")
    p.add_argument("--option", action="append", required=True)
    p.add_argument("--default")
    p.add_argument("--param", action="append", default=[])
    p.add_argument("--metrics", action="append", default=[])
    p.add_argument("--attach", action="append", default=[])
    p.add_argument("--deadline")
    p.add_argument("--timeout", help="another name of --deadline")
    p.add_argument("--timeout-default")
    p.add_argument("--approver", action="append", default=[])
    p = sub.add_parser("decision", allow_abbrev=False)
    p.add_argument("--run-dir")
    p.add_argument("--id", required=True)
    p.add_argument("--wait", action="store_true")
    p.add_argument("--timeout")
    p.add_argument("--json", action="store_true")
    p = sub.add_parser("wait", allow_abbrev=False)
    p.add_argument("--run-dir")
    p.add_argument("--id", required=True)
    p.add_argument("--timeout")
    p.add_argument("--json", action="store_true")
    p = sub.add_parser("param", allow_abbrev=False)
    p.add_argument("--run-dir")
    p.add_argument("--id", required=True)
    p.add_argument("--json", action="store_true")
    p.add_argument("name")
    p = sub.add_parser("log-metrics", allow_abbrev=False)
    p.add_argument("--run-dir")
    p.add_argument("--step")
    p.add_argument("--file", default=DEFAULT_METRICS_FILE)
    p.add_argument("values", nargs="+", metavar="KEY=VALUE")
    p = sub.add_parser("ack", allow_abbrev=False)
    p.add_argument("--run-dir")
    p.add_argument("--id", required=True)
    p.add_argument("--outcome", required=True)
    args = parser.parse_args(argv)
    try:
        if args.command == "init-run":
            run_dir = args.run_dir or os.environ.get("VIGIL_RUN_DIR")
            if not run_dir:
                raise VigilError("--run-dir is required", "usage")
            print(dump_line(init_run(run_dir, args.run_id, args.workflow_name,
                                     args.group_readable)))
        elif args.command == "checkpoint":
            text = args.body
            if args.body_file:
                with open(args.body_file, "rb") as f:
                    raw = f.read(512 * 1024 + 1)
                if len(raw) > 512 * 1024:
                    raise VigilError("--body-file: over the limit of 512 KiB")
                text = raw.decode("utf-8")
            if args.timeout and args.deadline:
                raise VigilError("--timeout is another name of --deadline: give one of them",
                                 "usage")
            args.deadline = args.deadline or args.timeout
            if args.timeout_default and not args.deadline:
                raise VigilError("--timeout-default needs --deadline (or --timeout)", "usage")
            out = checkpoint(args.id, args.title, args.option, body=text, default=args.default,
                             params=[parse_param_spec(s) for s in args.param],
                             metrics=[parse_metrics_spec(s) for s in args.metrics],
                             attachments=args.attach, deadline=args.deadline,
                             timeout_default=args.timeout_default, approvers=args.approver,
                             task=args.task, run_dir=args.run_dir)
            print(dump_line(out))
        elif args.command == "decision":
            if args.timeout and not args.wait:
                raise VigilError("--timeout needs --wait", "usage")
            d = decision(args.id, wait=args.wait, timeout=args.timeout, run_dir=args.run_dir)
            if d is None:
                return EXIT_PENDING
            print(dump_line(d) if args.json else d["option"])
        elif args.command == "wait":
            d = wait(args.id, timeout=args.timeout, run_dir=args.run_dir)
            if d is None:
                return EXIT_PENDING
            print(dump_line(d) if args.json else d["option"])
        elif args.command == "param":
            v = param(args.id, args.name, run_dir=args.run_dir)
            print(v if isinstance(v, str) and not args.json else dump_line(v))
        elif args.command == "log-metrics":
            step = None
            if args.step is not None:
                if not re.fullmatch(r"[0-9]{1,18}", args.step):
                    raise VigilError("--step %s: expected a non-negative integer"
                                     % json.dumps(args.step), "usage")
                step = int(args.step)
            try:
                validate_metrics_file(args.file)
            except VigilError as e:
                raise VigilError("--file: %s" % e, "usage")
            pairs = []
            for arg in args.values:
                key, eq, value = arg.partition("=")
                if not eq:
                    raise VigilError("expected KEY=VALUE, got %s" % json.dumps(arg), "malformed")
                validate_id(key, "metric key")
                pairs.append((key, value))
            log_metrics(pairs, step=step, file=args.file, run_dir=args.run_dir)
        elif args.command == "ack":
            ack(args.id, args.outcome, run_dir=args.run_dir)
        sys.stdout.flush()
        return EXIT_OK
    except VigilError as e:
        sys.stderr.write("vigil_job.py: %s: %s\n" % (args.command, e))
        return _EXIT.get(e.kind, EXIT_ERROR)
    except (OSError, UnicodeDecodeError) as e:
        sys.stderr.write("vigil_job.py: %s: %s\n" % (args.command, e))
        return EXIT_ERROR


if __name__ == "__main__":
    sys.exit(main())
