#!/usr/bin/python3
"""gst-memtrace tests: the scenario corpus (tests/scenarios/), exact.

Each scenario is a real program (C, or Python through PyGObject) with
leaks planted in uniquely named functions, or a clean real pipeline, and
an expect.json that says exactly what the report must find.  Each runs
under `gst-memtrace run --record-refs`; each report its expect.json asks
for (`report --format json` with the given options) is compared, field by
field, with what is expected:
- the trace: complete, and how it ended (gst_deinit or exit);
- leaked_by_type: exactly the types expected, objects and bytes (and
  allocated bytes where given);
- summary.leak_groups and the groups: one reported group per expected one,
  matched by type and planted function, with its objects, bytes, state,
  the planted function in its stack, acquire stack or references not given
  back, its last pad and what it holds, type by type;
- `report --fail-on leaks`: exit 0 for a clean report, 1 otherwise.

Recall is the planted leaked objects found over those planted, and
precision the reported objects that were planted (or held by a planted
leak) over those reported, counted type by type: leaked_by_type counts
roots and held objects alike.  Both must be 1.00.

Run by meson with the environment of tests/meson.build, or by hand
(MEMTRACE_BUILD_DIR, default build/).  Arguments: scenario names, to run
only those.  Prints one line per check and ends with "N passed, M failed";
exits 0 only when nothing failed.  MEMTRACE_KEEP_TRACES=1 keeps the
traces."""

import os
import shutil
import sys
import tempfile

sys.dont_write_bytecode = True     # nothing written into the source tree
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "scenarios"))
import corpus  # noqa: E402

passed = failed = 0
planted_total = found_total = reported_total = 0


def check(name, ok, detail=""):
    global passed, failed
    if ok:
        passed += 1
        corpus.say("ok    %s" % name)
    else:
        failed += 1
        corpus.say("FAIL  %s%s" % (name, (": " + detail) if detail else ""))
    return ok


def tallies(d):
    return {t: (v["objects"], v["bytes"]) for t, v in d.items()}


def group_has(g, e):
    """Does reported group g show the functions expected group e names?"""
    if "stack" in e and e["stack"] not in corpus.frames(g.get("stack")):
        return False
    if "acquire_stack" in e and \
            e["acquire_stack"] not in corpus.frames(g.get("acquire_stack")):
        return False
    for fn in e.get("refs", {}):
        if not any(fn in corpus.frames(r.get("stack"))
                   for r in g.get("refs_not_given_back", [])):
            return False
    return True


def match_groups(expected, reported):
    """Pairs [(expected, reported or None)] and the reported groups left.
    A reported group matches an expected one of its type that names the
    same functions; among several, the one with as many objects."""
    left = list(reported)
    pairs = []
    for e in expected:
        cands = [g for g in left if g["type"] == e["type"] and group_has(g, e)]
        cands.sort(key=lambda g: (g["objects"] != e["objects"],
                                  g["bytes"] != e["bytes"]))
        g = cands[0] if cands else None
        if g is not None:
            left.remove(g)
        pairs.append((e, g))
    return pairs, left


def describe(g):
    fn = [f for f in corpus.frames(g.get("stack"))
          if f and not f.startswith(("gst_", "g_", "_g", "on_", "wrap_"))]
    return "%s x%d (%d bytes) at %s" % (g["type"], g["objects"], g["bytes"],
                                        fn[0] if fn else "?")


def check_group(where, e, g):
    what = "%s: group %s%s" % (where, e["type"], " at " + (
        e.get("stack") or e.get("acquire_stack")
        or ",".join(e.get("refs", {})) or "?"))
    if not check(what + ": reported", g is not None,
                 "no %s group names %s" % (e["type"], ", ".join(
                     "%s in %s" % (e[k], k) for k in ("stack", "acquire_stack")
                     if k in e) or "its functions")):
        return
    for k in ("objects", "bytes", "allocated_bytes", "state"):
        if k in e:
            check("%s: %s" % (what, k), g[k] == e[k],
                  "%r, expected %r" % (g[k], e[k]))
    if "last_pad" in e:
        check(what + ": last_pad", g["last_pad"] == e["last_pad"],
              "%r, expected %r" % (g["last_pad"], e["last_pad"]))
    if "holds" in e:
        check(what + ": holds", tallies(g["holds"]) == tallies(e["holds"]),
              "%s, expected %s" % (tallies(g["holds"]), tallies(e["holds"])))
    refs = g.get("refs_not_given_back", [])
    for fn, count in e.get("refs", {}).items():
        got = sum(r["count"] for r in refs
                  if fn in corpus.frames(r.get("stack")))
        check("%s: %d reference(s) not given back in %s" % (what, count, fn),
              got == count, "%d" % got)
    if e.get("refs_exact"):
        extra = [(r["count"], [f for f in corpus.frames(r.get("stack"))
                               if f][:4])
                 for r in refs if not any(fn in corpus.frames(r.get("stack"))
                                          for fn in e.get("refs", {}))]
        check(what + ": no other reference not given back", not extra,
              "also %s" % extra)


def check_report(s, trace, r, work):
    global planted_total, found_total, reported_total
    args = r.get("args", [])
    where = s.name + (" [%s]" % " ".join(args) if args else "")
    d, p = corpus.report(trace, work, args)
    if not check("%s: report --format json" % where,
                 p.returncode == 0 and d is not None,
                 "exit %d: %s" % (p.returncode,
                                  p.stderr.decode(errors="replace")[-300:])):
        return
    check("%s: recording complete" % where, d["trace"]["complete"] is True)
    if "end_reason" in r:
        check("%s: ended at %s" % (where, r["end_reason"]),
              d["trace"]["end_reason"] == r["end_reason"],
              "%r" % d["trace"]["end_reason"])
    check("%s: no events dropped" % where, d["trace"]["dropped_events"] == 0)

    exp_types, got_types = r["leaked_by_type"], d["leaked_by_type"]
    for t in sorted(set(exp_types) | set(got_types)):
        e, g = exp_types.get(t), got_types.get(t)
        ok = e is not None and g is not None and \
            (g["objects"], g["bytes"]) == (e["objects"], e["bytes"]) and \
            ("allocated_bytes" not in e
             or g["allocated_bytes"] == e["allocated_bytes"])
        check("%s: leaked %s" % (where, t), ok, "%s, expected %s" % (
            g and (g["objects"], g["bytes"], g["allocated_bytes"]),
            e and (e["objects"], e["bytes"], e.get("allocated_bytes"))))
    check("%s: summary.leak_groups" % where,
          d["summary"]["leak_groups"] == len(r["groups"]),
          "%d, expected %d" % (d["summary"]["leak_groups"], len(r["groups"])))
    check("%s: summary.leaked_objects" % where,
          d["summary"]["leaked_objects"] ==
          sum(t["objects"] for t in exp_types.values()),
          "%d" % d["summary"]["leaked_objects"])

    unsuppressed = [g for g in d["leaks"] if not g["suppressed"]]
    pairs, extra = match_groups(r["groups"], unsuppressed)
    for e, g in pairs:
        check_group(where, e, g)
    check("%s: no other leak group" % where, not extra,
          "; ".join(describe(g) for g in extra))

    want = 0 if not exp_types or all(t["objects"] == 0
                                     for t in exp_types.values()) else 1
    code = corpus.fail_on_leaks(trace, work, args)
    check("%s: report --fail-on leaks exits %d" % (where, want), code == want,
          "exit %d" % code)

    # Recall and precision, type by type.
    planted = sum(t["objects"] for t in exp_types.values())
    reported = sum(t["objects"] for t in got_types.values())
    true = sum(min(exp_types[t]["objects"], got_types[t]["objects"])
               for t in exp_types if t in got_types)
    planted_total += planted
    reported_total += reported
    found_total += true
    corpus.say("      %s: planted %d, reported %d, found %d" %
               (where, planted, reported, true))


def main():
    work = tempfile.mkdtemp(prefix="test-scenarios-")
    only = set(sys.argv[1:])
    try:
        if not check("gst-memtrace built", os.access(corpus.CLI, os.X_OK),
                     corpus.CLI):
            return 1
        corpus.warm_registry(work)
        for s in corpus.scenarios(only):
            argv = s.argv()
            if not check("%s: program built" % s.name, argv is not None,
                         "no scenario-%s in %s" % (s.name,
                                                   corpus.SCENARIOS_BUILD)):
                continue
            trace = os.path.join(work, s.name + ".trace")
            p = corpus.record(s, work, trace)
            if not check("%s: runs under gst-memtrace, exit 0" % s.name,
                         p.returncode == 0 and os.path.exists(trace),
                         "exit %d: %s" % (p.returncode, p.stderr.decode(
                             errors="replace")[-600:])):
                continue
            for r in s.expect["reports"]:
                check_report(s, trace, r, work)
    finally:
        if failed and os.environ.get("MEMTRACE_KEEP_TRACES"):
            corpus.say("traces kept in %s" % work)
        else:
            shutil.rmtree(work, ignore_errors=True)

    recall = found_total / planted_total if planted_total else 1.0
    precision = found_total / reported_total if reported_total else 1.0
    corpus.say("recall %.2f (%d of %d planted leaked objects found)" %
               (recall, found_total, planted_total))
    corpus.say("precision %.2f (%d of %d reported objects planted or held "
               "by a planted leak)" % (precision, found_total, reported_total))
    check("recall is 1.00", found_total == planted_total)
    check("precision is 1.00", found_total == reported_total)
    corpus.say("%d passed, %d failed" % (passed, failed))
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
