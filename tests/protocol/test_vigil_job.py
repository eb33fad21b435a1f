# SPDX-License-Identifier: GPL-3.0-or-later
"""Unit tests of python/vigil_job.py (run with PYTHONPATH=python)."""

import hashlib
import json
import os
import tempfile
import time
import unittest

import vigil_job as vj


class Base(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.run_dir = os.path.join(self.tmp.name, "run")
        vj.init_run(self.run_dir, "run")

    def tearDown(self):
        self.tmp.cleanup()

    def path(self, *parts):
        return os.path.join(self.run_dir, *parts)

    def events(self, kind=None):
        with open(self.path("events.jsonl"), encoding="utf-8") as f:
            records = [json.loads(line) for line in f]
        return [r for r in records if kind is None or r["type"] == kind]

    def post(self, cid="c", **kw):
        kw.setdefault("options", ["go=Go", "stop"])
        return vj.checkpoint(cid, kw.pop("title", "Title"), run_dir=self.run_dir, **kw)

    def request(self, cid="c"):
        with open(self.path("checkpoints", cid, "request.json"), "rb") as f:
            return vj.request_from_json(vj.parse_json(f.read(), "request.json"))

    def write_decision(self, cid="c", option="go", params=None, nonce=None, owner=None,
                       kind="human"):
        r = self.request(cid)
        d = {"format": vj.format_header("vigil.decision"), "checkpoint": cid,
             "nonce": nonce or r["nonce"], "decision_id": os.urandom(16).hex(), "option": option,
             "params": params or {}, "comment": "", "decided_by": "root",
             "decided_at": vj.format_utc(vj.now()), "client_host": "desk",
             "evidence_sha256": "", "kind": kind}
        path = self.path("checkpoints", cid, "decision.json")
        d_dir = vj._Dir(os.path.dirname(path))
        try:
            d_dir.create_no_clobber("decision.json", vj.dump_file(d).encode(), 0o600)
        finally:
            d_dir.close()
        if owner is not None:
            os.chown(path, owner, owner)
        return d


class Names(unittest.TestCase):
    def test_ids(self):
        for good in ("a", "lr-check", "v1.2_x", "x" * 64, "a..b", "x."):
            with self.subTest(good=good):
                vj.validate_id(good)
        for bad in ("", ".", "..", ".hidden", "-rf", "a b", "$(id)", "`id`", "a;b", "a\nb",
                    "caf\u00e9", "/etc", "../x", "x" * 65, "a/b", "'", "a\u009bb"):
            with self.subTest(bad=bad):
                with self.assertRaises(vj.VigilError) as cm:
                    vj.validate_id(bad, "checkpoint id")
                self.assertTrue(str(cm.exception).startswith("invalid checkpoint id"))
                self.assertNotIn("\n", str(cm.exception))
        with self.assertRaises(vj.VigilError) as cm:
            vj.validate_id(".hidden", "run id")
        self.assertEqual(str(cm.exception),
                         'invalid run id ".hidden": it must not start with \'.\'')
        # The C1 range ends at U+009F: U+00A0 (no-break space) is text.
        self.assertTrue(vj._is_control("\u009f") and not vj._is_control("\u00a0"))

    def test_durations_and_times(self):
        self.assertEqual(vj.parse_duration("1h30m"), 5400)
        self.assertEqual(vj.parse_duration("45"), 45)
        for bad in ("", "h", "2w", "-1m", "1h30"):
            with self.subTest(bad=bad), self.assertRaises(vj.VigilError):
                vj.parse_duration(bad)
        self.assertEqual(vj.format_utc(vj.parse_utc("2025-03-01T16:05:09.5+02:00")),
                         "2025-03-01T14:05:09Z")
        for bad in ("2025-03-01T14:05:09", "2025-02-30T00:00:00Z", "tomorrow"):
            with self.subTest(bad=bad), self.assertRaises(vj.VigilError):
                vj.parse_utc(bad)

    def test_param_spec(self):
        p = vj.parse_param_spec("arch:enum=vit,choices=resnet|vit,label=A\\, b")
        self.assertEqual(p["choices"], ["resnet", "vit"])
        self.assertEqual(p["default"], "vit")
        self.assertEqual(p["label"], "A, b")
        self.assertEqual(vj.parse_param_spec("n:integer=3,min=1")["min"], 1)
        self.assertEqual(vj.parse_param_spec("x:number=1")["default"], 1.0)
        with self.assertRaises(vj.VigilError):
            vj.parse_param_spec("x:number")


class Formats(Base):
    def test_round_trip_and_versions(self):
        self.post(params=[{"name": "lr", "type": "number", "default": 0.1, "min": 0, "max": 1}])
        raw = open(self.path("checkpoints", "c", "request.json"), "rb").read()
        r = self.request()
        self.assertEqual(vj.dump_file(r).encode(), raw)
        doc = json.loads(raw)
        doc["format"]["version"] = "1.9"
        doc["future"] = True
        vj.request_from_json(doc)
        doc["format"]["version"] = "2.0"
        with self.assertRaises(vj.VigilError) as cm:
            vj.request_from_json(doc)
        self.assertEqual(str(cm.exception), "request.json has format version 2.0; this "
                         "vigil_job.py understands 1.x: upgrade it")

    def test_malformed(self):
        self.post()
        base = json.loads(open(self.path("checkpoints", "c", "request.json"), "rb").read())
        cases = [
            (lambda d: d.__setitem__("title", 5), 'field "title": expected a string'),
            (lambda d: d.pop("nonce"), 'field "nonce": is missing'),
            (lambda d: d["options"][1].__setitem__("default", True), "exactly one option"),
            (lambda d: d.__setitem__("attachments", ["/etc/shadow"]), "invalid attachment"),
            (lambda d: d.__setitem__("approver_uids", [True]), "expected a numeric uid"),
            (lambda d: d.__setitem__("title", "red \u009b31m"),
             'field "title": contains control characters'),
            (lambda d: d["options"][0].__setitem__("label", "\u0085"),
             'field "options[0].label": contains control characters'),
            (lambda d: d.__setitem__("id", ".c"), "it must not start with '.'"),
        ]
        for mutate, message in cases:
            with self.subTest(message=message):
                doc = json.loads(json.dumps(base))
                mutate(doc)
                with self.assertRaises(vj.VigilError) as cm:
                    vj.request_from_json(doc)
                self.assertIn(message, str(cm.exception))
        with self.assertRaises(vj.VigilError):
            vj.parse_json(b'{"x": NaN}', "request.json")

    def test_event_lines_stay_short(self):
        run = vj._Run(self.run_dir)
        run.event("checkpoint_posted", vj.now(), checkpoint="c", title="t" * 10000)
        run.close()
        line = open(self.path("events.jsonl"), "rb").read().splitlines()[-1]
        self.assertLessEqual(len(line) + 1, vj.MAX_EVENT_LINE)
        self.assertTrue(json.loads(line)["truncated"])


class Files(Base):
    def test_atomic_write_leaves_no_temporaries(self):
        d = vj._Dir(self.tmp.name)
        for i in range(10):
            d.write_atomic("f.json", b"v%d" % i, 0o640)
        d.close()
        self.assertEqual(sorted(os.listdir(self.tmp.name)), ["f.json", "run"])
        self.assertEqual(os.stat(os.path.join(self.tmp.name, "f.json")).st_mode & 0o777, 0o640)

    def test_no_clobber_race(self):
        target = os.path.join(self.tmp.name, "race.json")
        r, w = os.pipe()
        pids = []
        for i in range(6):
            pid = os.fork()
            if pid == 0:
                os.close(w)
                os.read(r, 1)
                d = vj._Dir(self.tmp.name)
                try:
                    d.create_no_clobber("race.json", b"writer %d" % i, 0o600)
                    os._exit(0)
                except vj.VigilError as e:
                    if e.kind != "exists":
                        os._exit(1)
                    won = open(target, "rb").read()
                    os._exit(10 + int(won.split()[1]))
            pids.append(pid)
        os.close(r)
        os.close(w)
        codes = [os.waitstatus_to_exitcode(os.waitpid(p, 0)[1]) for p in pids]
        self.assertEqual(codes.count(0), 1)
        winner = codes.index(0)
        self.assertTrue(all(c == 10 + winner for i, c in enumerate(codes) if i != winner))
        self.assertEqual(sorted(os.listdir(self.tmp.name)), ["race.json", "run"])

    def test_reads_refused(self):
        d = vj._Dir(self.tmp.name)
        with open(os.path.join(self.tmp.name, "big"), "wb") as f:
            f.write(b" " * (vj.MAX_FILE_SIZE + 1))
        os.symlink("big", os.path.join(self.tmp.name, "link"))
        with self.assertRaises(vj.VigilError) as cm:
            d.read("big")
        self.assertEqual(cm.exception.kind, "too_large")
        with self.assertRaises(vj.VigilError) as cm:
            d.read("link")
        self.assertEqual(str(cm.exception), "link: is a symbolic link: refused")
        os.symlink(self.tmp.name, os.path.join(self.run_dir, "checkpoints", "up"))
        with self.assertRaises(vj.VigilError) as cm:
            vj._Dir(self.run_dir).read("checkpoints/up/big")
        self.assertIn("is a symbolic link", str(cm.exception))
        d.close()


class Flow(Base):
    def test_pending_decided_ack(self):
        out = self.post(params=[{"name": "k", "type": "integer", "default": 2, "max": 5}])
        self.assertFalse(out["existing"])
        self.assertIsNone(vj.decision("c", run_dir=self.run_dir))
        with self.assertRaises(vj.VigilError) as cm:
            vj.ack("c", "early", run_dir=self.run_dir)
        self.assertEqual(cm.exception.kind, "pending")
        d = self.write_decision(option="stop")
        got = vj.decision("c", run_dir=self.run_dir)
        self.assertEqual(got["decision_id"], d["decision_id"])
        self.assertEqual(got["params"], {"k": 2})
        a = vj.ack("c", "stopped", run_dir=self.run_dir)
        self.assertEqual(a["decision_id"], d["decision_id"])
        self.assertEqual(len(self.events("ack_written")), 1)
        # Same question again: idempotent; another question: conflict.
        self.assertTrue(self.post(params=[{"name": "k", "type": "integer", "default": 2,
                                           "max": 5}])["existing"])
        with self.assertRaises(vj.VigilError) as cm:
            self.post(title="Other")
        self.assertEqual(cm.exception.kind, "conflict")

    @unittest.skipUnless(os.geteuid() == 0, "chown needs root")
    def test_forged_refused_and_logged(self):
        self.post()
        self.write_decision(owner=65534)
        self.assertIsNone(vj.decision("c", run_dir=self.run_dir))
        refused = self.events("decision_refused")
        self.assertEqual(len(refused), 1)
        self.assertIn("owned by uid 65534", refused[0]["reason"])
        self.assertFalse(os.path.lexists(self.path("checkpoints", "c", "decision.json")))
        self.assertTrue(refused[0]["moved_to"].startswith("decision.refused-"))
        good = self.write_decision()
        self.assertEqual(vj.decision("c", run_dir=self.run_dir)["decision_id"],
                         good["decision_id"])

    def test_wrong_nonce_refused(self):
        self.post()
        self.write_decision(nonce="f" * 32)
        self.assertIsNone(vj.decision("c", run_dir=self.run_dir))
        self.assertIn("nonce does not match", self.events("decision_refused")[0]["reason"])

    def test_timeout_default_once(self):
        self.post(deadline="2020-01-01T00:00:00Z", timeout_default="stop",
                  params=[{"name": "lr", "type": "number", "default": 0.5}])
        first = vj.decision("c", run_dir=self.run_dir)
        second = vj.decision("c", run_dir=self.run_dir)
        self.assertEqual(first["kind"], "timeout-default")
        self.assertEqual(first["option"], "stop")
        self.assertEqual(first["params"], {"lr": 0.5})
        self.assertEqual(first["decision_id"], second["decision_id"])
        self.assertEqual(len(self.events("timeout_default")), 1)

    def test_wait_times_out(self):
        self.post()
        start = time.monotonic()
        self.assertIsNone(vj.decision("c", wait=True, timeout="1s", run_dir=self.run_dir))
        self.assertGreaterEqual(time.monotonic() - start, 0.9)

    def test_cli_exit_codes(self):
        self.post()
        self.assertEqual(vj.main(["decision", "--id", "c", "--run-dir", self.run_dir]),
                         vj.EXIT_PENDING)
        self.assertEqual(vj.main(["decision", "--id", "$(x)", "--run-dir", self.run_dir]),
                         vj.EXIT_ERROR)
        with self.assertRaises(SystemExit) as cm:
            vj.main(["decision", "--bogus"])
        self.assertEqual(cm.exception.code, vj.EXIT_USAGE)



class Evidence(Base):
    """evidence_bytes: parsed, checked against the metric files, refusals logged."""

    def post_with_metrics(self, text):
        self.post(metrics=["m/loss.csv"])
        os.makedirs(self.path("m"), exist_ok=True)
        with open(self.path("m", "loss.csv"), "w", encoding="utf-8") as f:
            f.write(text)

    def write_evidence_decision(self, seen, counts):
        r = self.request()
        dec = {"format": vj.format_header("vigil.decision"), "checkpoint": "c",
               "nonce": r["nonce"], "decision_id": os.urandom(16).hex(), "option": "go",
               "params": {}, "comment": "", "decided_by": "root",
               "decided_at": vj.format_utc(vj.now()), "client_host": "desk",
               "evidence_sha256": hashlib.sha256(b"m/loss.csv\0" + seen).hexdigest(),
               "kind": "human"}
        if counts is not None:
            dec["evidence_bytes"] = counts
        d_dir = vj._Dir(self.path("checkpoints", "c"))
        try:
            d_dir.create_no_clobber("decision.json", vj.dump_file(dec).encode(), 0o600)
        finally:
            d_dir.close()
        return dec

    def test_field_parsed_and_validated(self):
        self.post_with_metrics("a\n1\n")
        r = self.request()
        base = self.write_evidence_decision(b"a\n", [2])
        d = vj.decision_from_json(json.loads(vj.dump_file(base)))
        self.assertEqual(d["evidence_bytes"], [2])
        vj.check_decision(r, d, os.geteuid())
        old = dict(base)
        del old["evidence_bytes"]
        self.assertNotIn("evidence_bytes", vj.decision_from_json(old))
        for bad, why in (([-1], '"evidence_bytes[0]": -1 is not a byte count'),
                         (["2"], '"evidence_bytes[0]": expected an integer, got a string'),
                         ([True], '"evidence_bytes[0]": expected an integer'),
                         (2, '"evidence_bytes": expected an array'),
                         ([1] * 33, '"evidence_bytes": has 33 counts (at most 32)'),
                         ([vj.MAX_EVIDENCE_FILE_BYTES + 1], "is not a byte count")):
            with self.subTest(bad=bad), self.assertRaises(vj.VigilError) as cm:
                vj.decision_from_json(dict(base, evidence_bytes=bad))
            self.assertIn(why, str(cm.exception))
        with self.assertRaises(vj.VigilError) as cm:
            vj.decision_from_json(dict(base, evidence_sha256=""))
        self.assertIn("given without evidence_sha256", str(cm.exception))
        with self.assertRaises(vj.VigilError) as cm:
            vj.check_decision(r, dict(d, evidence_bytes=[1, 2]), os.geteuid())
        self.assertIn("has 2 byte counts, but checkpoint \"c\" has 1 metric files",
                      str(cm.exception))

    def test_matching_applied_even_when_grown(self):
        self.post_with_metrics("a\n1\n")
        dec = self.write_evidence_decision(b"a\n1\n", [4])
        with open(self.path("m", "loss.csv"), "a", encoding="utf-8") as f:
            f.write("2\n3\n")
        self.assertEqual(vj.decision("c", run_dir=self.run_dir)["decision_id"],
                         dec["decision_id"])
        self.assertEqual(self.events("decision_refused"), [])
        # Applying it rewrote the metrics: the ack is not refused.
        with open(self.path("m", "loss.csv"), "w", encoding="utf-8") as f:
            f.write("a\n")
        self.assertEqual(vj.ack("c", "retrained", run_dir=self.run_dir)["decision_id"],
                         dec["decision_id"])
        self.assertEqual(self.events("decision_refused"), [])

    def test_without_counts_applied_as_before(self):
        self.post_with_metrics("a\n9\n")
        dec = self.write_evidence_decision(b"a\n1\n", None)  # the hash does not match
        self.assertEqual(vj.decision("c", run_dir=self.run_dir)["decision_id"],
                         dec["decision_id"])

    def test_tampered_refused_and_logged(self):
        for name, after, why in (
                ("rewritten", "a\n9\n", "the bytes of m/loss.csv (first 4 bytes) differ"),
                ("shorter", "a\n", "m/loss.csv: is now 2 bytes long, shorter than the 4 bytes"),
                ("removed", None, "m/loss.csv: no such file")):
            with self.subTest(name=name):
                self.tearDown()
                self.setUp()
                self.post_with_metrics("a\n1\n")
                dec = self.write_evidence_decision(b"a\n1\n", [4])
                if after is None:
                    os.unlink(self.path("m", "loss.csv"))
                else:
                    with open(self.path("m", "loss.csv"), "w", encoding="utf-8") as f:
                        f.write(after)
                self.assertIsNone(vj.decision("c", run_dir=self.run_dir))
                refused = self.events("decision_refused")
                self.assertEqual(len(refused), 1)
                self.assertIn("tampered evidence", refused[0]["reason"])
                self.assertIn('checkpoint "c"', refused[0]["reason"])
                self.assertIn(why, refused[0]["reason"])
                self.assertTrue(refused[0]["moved_to"].startswith("decision.refused-"))
                self.assertFalse(os.path.lexists(self.path("checkpoints", "c", "decision.json")))
                with self.assertRaises(vj.VigilError) as cm:
                    vj.ack("c", "no", run_dir=self.run_dir)
                self.assertEqual(cm.exception.kind, "pending")
                self.assertNotEqual(dec["decision_id"], "")


VECTORS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "vectors")


class SharedVectors(unittest.TestCase):
    """tests/protocol/vectors: the same files and verdicts as tst_vectors.cpp."""

    def load(self, name):
        with open(os.path.join(VECTORS, name), "rb") as f:
            return f.read()

    def test_manifest(self):
        manifest = json.loads(self.load("manifest.json"))
        self.assertGreaterEqual(len(manifest["vectors"]), 20)
        checked = 0
        for v in manifest["vectors"]:
            if v["kind"] == "state":
                continue  # vigil_job.py does not read task states
            with self.subTest(file=v["file"]):
                name, data = v["file"], self.load(v["file"])
                try:
                    if v["kind"] == "request":
                        vj.request_from_json(vj.parse_json(data, name), name)
                    elif v["kind"] == "decision":
                        req_name = v["request"]
                        r = vj.request_from_json(vj.parse_json(self.load(req_name), req_name))
                        d = vj.decision_from_json(vj.parse_json(data, name), name)
                        # The owner rule is not part of the vectors: pass the job owner.
                        vj.check_decision(r, d, r["created_by_uid"], name)
                    elif v["kind"] == "ack":
                        vj.ack_from_json(vj.parse_json(data, name), name)
                    else:
                        self.fail("unknown kind %s" % v["kind"])
                    error = None
                except vj.VigilError as e:
                    error = str(e)
                if v["valid"]:
                    self.assertIsNone(error)
                else:
                    self.assertIsNotNone(error, "accepted an invalid file")
                    self.assertIn(v["error"], error)
                    self.assertTrue(error.startswith(name), error)
                checked += 1
        self.assertGreaterEqual(checked, 20)


class NewCommands(Base):
    def test_wait_returns_when_another_process_decides(self):
        self.post("w")
        import threading
        t = threading.Timer(0.8, lambda: self.write_decision("w", option="stop"))
        t.start()
        start = time.monotonic()
        d = vj.wait("w", timeout="20s", run_dir=self.run_dir)
        t.join()
        self.assertIsNotNone(d)
        self.assertEqual(d["option"], "stop")
        self.assertGreaterEqual(time.monotonic() - start, 0.7)

    def test_wait_times_out(self):
        self.post("w")
        start = time.monotonic()
        self.assertIsNone(vj.wait("w", timeout=1, run_dir=self.run_dir))
        self.assertGreaterEqual(time.monotonic() - start, 0.9)

    def test_param_types(self):
        params = [vj.parse_param_spec(s) for s in (
            "lr:number:0.001,min=0,max=1", "n:integer=3", "s:string:hello", "b:boolean",
            "opt:enum,choices=adam|sgd")]
        self.post("p", params=params)
        with self.assertRaises(vj.VigilError) as cm:
            vj.param("p", "lr", run_dir=self.run_dir)
        self.assertEqual(cm.exception.kind, "pending")
        with self.assertRaises(vj.VigilError) as cm:
            vj.param("p", "nope", run_dir=self.run_dir)
        self.assertEqual(cm.exception.kind, "not_found")
        self.assertIn('has no parameter "nope" (its parameters: lr, n, s, b, opt)',
                      str(cm.exception))
        self.write_decision("p", params={"lr": 0.0005, "b": True, "opt": "sgd"})
        got = {n: vj.param("p", n, run_dir=self.run_dir) for n in ("lr", "n", "s", "b", "opt")}
        self.assertEqual(got, {"lr": 0.0005, "n": 3, "s": "hello", "b": True, "opt": "sgd"})
        self.assertIsInstance(got["n"], int)

    def test_log_metrics(self):
        vj.log_metrics({"loss": 0.5, "acc": "1e-3"}, step=1, run_dir=self.run_dir)
        vj.log_metrics([("acc", -2)], step=2, run_dir=self.run_dir)
        with open(self.path("metrics", "metrics.csv"), "rb") as f:
            self.assertEqual(f.read(), b"step,loss,acc\n1,0.5,1e-3\n2,,-2\n")
        for bad, kind in (({"x": "inf"}, "malformed"), ({"x": float("nan")}, "malformed"),
                          ({"x": "0x10"}, "malformed"), ({"x": True}, "malformed"),
                          ({"a b": 1}, "malformed"), ({"lr": 1}, "conflict")):
            with self.subTest(bad=bad), self.assertRaises(vj.VigilError) as cm:
                vj.log_metrics(bad, run_dir=self.run_dir)
            self.assertEqual(cm.exception.kind, kind)
        self.assertIn('"lr" is not a column', str(cm.exception))
        for bad in ("../x.csv", "metrics/a/b.csv", "metrics/x.txt"):
            with self.subTest(file=bad), self.assertRaises(vj.VigilError):
                vj.log_metrics({"x": 1}, file=bad, run_dir=self.run_dir)

    def test_checkpoint_spellings(self):
        self.assertEqual(vj.parse_param_spec("s:string:a=b")["default"], "a=b")
        self.assertEqual(vj.parse_param_spec("lr:number:0.5,max=1")["max"], 1.0)
        self.assertEqual(vj.parse_param_spec("lr:number=0.5")["default"], 0.5)


@unittest.skipUnless(os.environ.get("VIGIL_JOB_BINARY"), "VIGIL_JOB_BINARY is not set")
class CrossWithHelper(unittest.TestCase):
    """vigil-job and vigil_job.py write the same metrics bytes and read each other's."""

    def test_same_metrics_bytes_and_params(self):
        import subprocess
        job = os.environ["VIGIL_JOB_BINARY"]
        script = os.path.join(os.path.dirname(vj.__file__), "vigil_job.py")
        with tempfile.TemporaryDirectory() as tmp:
            files = []
            for n, cmd in (("a", [job]), ("b", ["python3", script])):
                run = os.path.join(tmp, n)
                vj.init_run(run, n)
                for args in (["loss=0.5", "acc=1e-3", "--step", "1"], ["acc=2", "--step", "2"],
                             ["loss=-.5", "--file", "metrics/other.csv"]):
                    out = subprocess.run(cmd + ["log-metrics", "--run-dir", run] + args,
                                         capture_output=True, check=False)
                    self.assertEqual(out.returncode, 0, out.stderr)
                for args, code in ((["new=1"], 4), (["acc=nan"], 1), (["x=1", "--step", "-1"], 2)):
                    out = subprocess.run(cmd + ["log-metrics", "--run-dir", run] + args,
                                         capture_output=True, check=False)
                    self.assertEqual(out.returncode, code, (cmd, args, out.stderr))
                with open(os.path.join(run, "metrics", "metrics.csv"), "rb") as f:
                    files.append(f.read())
            self.assertEqual(files[0], files[1])
            # Python posts, vigil-job reads the parameter (and the other way round).
            run = os.path.join(tmp, "a")
            vj.checkpoint("c", "t", ["go", "lr"], params=[vj.parse_param_spec("lr:number:0.25")],
                          deadline="1s", run_dir=run)
            time.sleep(1.1)
            out = subprocess.run([job, "param", "--run-dir", run, "--id", "c", "lr"],
                                 capture_output=True, check=False)
            self.assertEqual((out.returncode, out.stdout), (0, b"0.25\n"), out.stderr)
            subprocess.run([job, "checkpoint", "--run-dir", run, "--id", "d", "--title", "t",
                            "--option", "go", "--param", "n:integer:7", "--timeout", "1s"],
                           capture_output=True, check=True)
            time.sleep(1.1)
            self.assertEqual(vj.param("d", "n", run_dir=run), 7)


if __name__ == "__main__":
    unittest.main()
