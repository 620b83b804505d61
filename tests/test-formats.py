#!/usr/bin/python3
"""gst-memtrace tests: the report formats (markdown, junit, sarif, html,
folded) on traces of the planted-leak apps, and on a leak whose every string
is hostile (tests/formats/hostile.c).

Run by meson (tests/meson.build) with MEMTRACE_CLI, MEMTRACE_APPS_DIR,
MEMTRACE_APPS_SRCDIR, MEMTRACE_PLUGIN_DIR and MEMTRACE_REGISTRY set, or by
hand: MEMTRACE_BUILD_DIR (default: build/) stands for all of them.  Needs
gcc and pkg-config (to build the hostile app), xmllint (libxml2-utils) and
chromium.  Prints one line per check and ends with "N passed, M failed";
exits 0 only when nothing failed.  MEMTRACE_SCREENSHOT=FILE keeps a
screenshot of an HTML report there."""

import html
import html.parser
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import urllib.parse
import xml.etree.ElementTree as ET

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
BUILD = os.environ.get("MEMTRACE_BUILD_DIR", os.path.join(REPO, "build"))
CLI = os.environ.get("MEMTRACE_CLI",
                     os.path.join(BUILD, "viewer", "gst-memtrace"))
APPS_DIR = os.environ.get("MEMTRACE_APPS_DIR", os.path.join(BUILD, "tests"))
APPS_SRCDIR = os.environ.get("MEMTRACE_APPS_SRCDIR",
                             os.path.join(REPO, "tests", "apps"))
PLUGIN_DIR = os.environ.get("MEMTRACE_PLUGIN_DIR",
                            os.path.join(BUILD, "tracer"))
REGISTRY = os.environ.get("MEMTRACE_REGISTRY")
XSD = os.path.join(HERE, "formats", "junit.xsd")
HOSTILE_SRC = os.path.join(HERE, "formats", "hostile.c")

# The planted-leak apps: each has one line marked /* planted */.
APPS = ["keep_samples", "probe_ref", "pool_starve", "alloc_memory",
        "leaked_bin", "no_deinit", "clean"]
LEAKY = [a for a in APPS if a != "clean"]
HOSTILE_SINK = "<img src=x onerror=document.title='PWNED'>|`x`\\x01]]>"
HOSTILE_FILE = "<script>x</script>|`md` ```&\"q\"\x01.c"
HOSTILE_ARG = '<script>document.title="CMD"</script>'

passed = failed = 0
work = None


def check(name, ok, detail=""):
    global passed, failed
    if ok:
        passed += 1
        print("ok    %s" % name)
    else:
        failed += 1
        print("FAIL  %s%s" % (name, (": " + detail) if detail else ""))
    sys.stdout.flush()
    return ok


def child_env():
    env = dict(os.environ)
    for v in ("GST_TRACERS", "GST_DEBUG", "GST_DEBUG_FILE",
              "GST_MEMTRACE_NOTIFY", "G_DEBUG", "GST_PLUGIN_PATH_1_0",
              "GST_REGISTRY_1_0", "GST_REGISTRY_UPDATE", "NO_COLOR"):
        env.pop(v, None)
    env["GST_PLUGIN_PATH"] = PLUGIN_DIR
    env["GST_REGISTRY"] = REGISTRY or os.path.join(work, "registry.bin")
    env["LC_ALL"] = "C.UTF-8"
    return env


def run(argv, **kw):
    return subprocess.run(argv, env=child_env(), capture_output=True,
                          timeout=kw.pop("timeout", 120), **kw)


def record(name, argv):
    trace = os.path.join(work, name + ".trace")
    p = run([CLI, "run", "-o", trace, "--record-refs", "--"] + argv)
    if not check("record %s" % name, p.returncode == 0
                 and os.path.exists(trace),
                 "exit %d: %s" % (p.returncode, p.stderr.decode(errors="replace")[-500:])):
        return None
    return trace


def report(trace, fmt, *args):
    """The report's text (str) and exit code."""
    p = run([CLI, "report", "--format", fmt] + list(args) + [trace])
    return p.stdout.decode("utf-8", errors="replace"), p.returncode, \
        p.stderr.decode("utf-8", errors="replace")


def planted(app):
    src = os.path.join(APPS_SRCDIR, app + ".c")
    with open(src) as f:
        for n, line in enumerate(f, 1):
            if "/* planted */" in line:
                return os.path.basename(src), n
    return os.path.basename(src), None


# Markdown

def md_fences(text):
    """Fenced code blocks as CommonMark reads them: [(fence, lines)]."""
    blocks, lines, i = [], text.split("\n"), 0
    while i < len(lines):
        m = re.match(r"^ {0,3}(`{3,})[^`]*$", lines[i])
        if not m:
            i += 1
            continue
        fence, body, i = m.group(1), [], i + 1
        while i < len(lines) and not re.match(
                r"^ {0,3}`{%d,}\s*$" % len(fence), lines[i]):
            body.append(lines[i])
            i += 1
        blocks.append((fence, body))
        i += 1
    return blocks


def test_markdown(traces, info):
    t = traces["keep_samples"]
    md, code, _ = report(t, "markdown")
    text = html.unescape(md)
    check("markdown: exit 0", code == 0)
    check("markdown: title line", md.startswith("## gst-memtrace: "))
    check("markdown: planted function", "plant_keep_samples" in text)
    check("markdown: last pad", "last pad: sink:sink" in text)
    groups = info["keep_samples"]["summary"]["leak_groups"]
    check("markdown: one <details> per leak group",
          md.count("<details>") == groups and md.count("</details>") == groups,
          "%d for %d groups" % (md.count("<details>"), groups))
    check("markdown: summary table",
          re.search(r"^\| leaked objects \| %d \|$" %
                    info["keep_samples"]["summary"]["leaked_objects"], md,
                    re.M) is not None)
    check("markdown: leaked-by-type table",
          re.search(r"^\| GstMemory \| 5 \| 1000 \| \d+ \|$", md, re.M)
          is not None)
    blocks = md_fences(md)
    stacks = re.findall(r"^\*\*(created at|acquired from its pool at|\d+ "
                        r"references? never given back, taken at)\*\*$", md,
                        re.M)
    check("markdown: one code block per stack",
          len(blocks) == len(stacks) and len(blocks) > 0,
          "%d blocks, %d stacks" % (len(blocks), len(stacks)))
    check("markdown: stacks as function (file:line)",
          any(re.search(r"plant_keep_samples \((\.\./)+tests/apps/"
                        r"keep_samples\.c:19\)", l)
              for _, body in blocks for l in body))

    md, code, _ = report(traces["clean"], "markdown")
    check("markdown: clean trace says no leaks",
          code == 0 and md.startswith("## gst-memtrace: no leaks")
          and "<details>" not in md)

    h = traces.get("hostile")
    if h:
        md, code, _ = report(h, "markdown")
        text = html.unescape(md)
        outside = "\n".join(l for l in md.split("\n")
                            if not re.match(r"^#\d+ ", l))
        check("markdown: hostile names escaped (no raw markup outside "
              "code blocks)", not re.search(r"<(script|img)", outside, re.I),
              "raw markup found")
        check("markdown: no raw backticks or pipes from the trace outside "
              "code blocks", "`x`" not in outside and "|`" not in outside)
        check("markdown: no control characters",
              not re.search(r"[\x00-\x09\x0b-\x1f\x7f]", md))
        check("markdown: hostile last pad shown, as text",
              HOSTILE_SINK + ":sink" in text)
        check("markdown: hostile command shown, as text", HOSTILE_ARG in text)
        blocks = md_fences(md)
        check("markdown: hostile file stays inside its code block",
              any(HOSTILE_FILE.replace("\x01", "\\x01") in l
                  for _, body in blocks for l in body))
        check("markdown: fences longer than any backtick run inside",
              all(len(f) > max([len(r) for l in body
                                for r in re.findall("`+", l)] + [2])
                  for f, body in blocks))


# JUnit

def xmllint_ok(path):
    p = subprocess.run(["xmllint", "--noout", "--schema", XSD, path],
                       capture_output=True)
    return p.returncode == 0, p.stderr.decode(errors="replace")[-400:]


def test_junit(traces, info):
    if not check("junit: xmllint available", shutil.which("xmllint"),
                 "install libxml2-utils"):
        return
    for app, t in sorted(traces.items()):
        xml, code, _ = report(t, "junit")
        path = os.path.join(work, app + ".xml")
        with open(path, "w") as f:
            f.write(xml)
        ok, err = xmllint_ok(path)
        check("junit %s: valid against junit.xsd" % app, code == 0 and ok,
              err)
        try:
            root = ET.fromstring(xml.encode())
        except ET.ParseError as e:
            check("junit %s: parses" % app, False, str(e))
            continue
        cases = root.findall("./testsuite/testcase")
        failing = [c for c in cases if c.find("failure") is not None]
        groups = info[app]["summary"]["leak_groups"]
        check("junit %s: one failing testcase per leak group" % app,
              len(failing) == groups and
              root.get("failures") == str(groups) and
              root.find("testsuite").get("tests") == str(len(cases)),
              "%d failing, %d groups" % (len(failing), groups))
        names = [c.get("name") for c in cases]
        check("junit %s: testcase names unique" % app,
              len(set(names)) == len(names))
        if groups == 0:
            check("junit %s: one passing 'no leaks' testcase" % app,
                  len(cases) == 1 and names[0] == "no leaks"
                  and not list(cases[0]))
        else:
            check("junit %s: failures are leaks, with the stack" % app,
                  all(c.find("failure").get("type") == "leak"
                      and "created at" in (c.find("failure").text or "")
                      and c.get("name").startswith(
                          c.find("failure").get("message").split(" ")[1])
                      for c in failing))
    if "keep_samples" in traces:
        xml, _, _ = report(traces["keep_samples"], "junit")
        root = ET.fromstring(xml.encode())
        case = root.find("./testsuite/testcase")
        # The file is as the compiler saw it: relative to the build dir.
        m = re.fullmatch(r"GstSample leak at plant_keep_samples "
                         r"\(((?:\.\./)+tests/apps/keep_samples\.c):19\)",
                         case.get("name") or "")
        check("junit: name TYPE leak at SITE, classname the site's file",
              m is not None and case.get("classname") == m.group(1),
              "%s / %s" % (case.get("name"), case.get("classname")))
    if "hostile" in traces:
        xml, _, _ = report(traces["hostile"], "junit")
        root = ET.fromstring(xml.encode())
        text = root.find("./testsuite/testcase/failure").text
        check("junit: hostile strings kept, control characters replaced",
              HOSTILE_FILE.replace("\x01", "\\x01") in text
              and HOSTILE_SINK in text and "\x01" not in xml)


# SARIF

URI_RE = re.compile(r"^[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+$")


def test_sarif(traces, info):
    for app, t in sorted(traces.items()):
        out, code, _ = report(t, "sarif")
        try:
            s = json.loads(out)
        except ValueError as e:
            check("sarif %s: JSON" % app, False, str(e))
            continue
        run0 = s["runs"][0]
        drv = run0["tool"]["driver"]
        check("sarif %s: 2.1.0, $schema, driver and rule" % app,
              code == 0 and s.get("version") == "2.1.0"
              and "sarif" in s.get("$schema", "")
              and drv.get("name") == "gst-memtrace" and drv.get("version")
              and drv["rules"][0]["id"] == "leak")
        results = run0["results"]
        check("sarif %s: one result per leak group" % app,
              len(results) == len(info[app]["leaks"]),
              "%d results" % len(results))

        def located(r):
            try:
                pl = r["locations"][0]["physicalLocation"]
                return URI_RE.match(pl["artifactLocation"]["uri"]) and True
            except (KeyError, IndexError):
                return False
        check("sarif %s: results have ruleId, message, a physical location"
              % app, all(r.get("ruleId") == "leak" and r["level"] == "error"
                         and r["message"]["text"] and located(r)
                         and r["stacks"][0]["frames"] for r in results))
        if app in LEAKY:
            src, line = planted(app)
            loc = results[0]["locations"][0]["physicalLocation"]
            uri = loc["artifactLocation"]["uri"]
            check("sarif %s: located at the planted line %s:%s" %
                  (app, src, line),
                  uri.endswith("/" + src)
                  and loc.get("region", {}).get("startLine") == line,
                  "%s:%s" % (uri, loc.get("region", {}).get("startLine")))
    if "hostile" in traces:
        s = json.loads(report(traces["hostile"], "sarif")[0])
        uris = [l["physicalLocation"]["artifactLocation"]["uri"]
                for r in s["runs"][0]["results"]
                for l in r["locations"] + r.get("relatedLocations", [])]
        check("sarif: a hostile file name is a valid, escaped URI",
              all(URI_RE.match(u) for u in uris)
              and HOSTILE_FILE in [urllib.parse.unquote(u) for u in uris],
              repr(uris))


# HTML

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link",
        "meta", "source", "track", "wbr", "path", "line", "rect", "circle"}


class Nesting(html.parser.HTMLParser):
    """Checks that elements close in order (SVG shapes self-close)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.errors, self.tags = [], [], set()

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.tags.add(tag)

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.errors.append("</%s> closes <%s>" %
                               (tag, self.stack[-1] if self.stack else "-"))
        else:
            self.stack.pop()


def chromium():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if shutil.which(name):
            return shutil.which(name)
    return None


def browse(path, *extra):
    """Chromium, headless, offline: (stdout, stderr)."""
    profile = tempfile.mkdtemp(dir=work)
    env = child_env()
    env["HOME"] = profile
    # Chromium hangs with a sanitizer runtime preloaded (sanitized builds
    # preload it for the programs not built here): it hosts none of ours.
    for v in ("LD_PRELOAD", "ASAN_OPTIONS", "UBSAN_OPTIONS", "TSAN_OPTIONS"):
        env.pop(v, None)
    p = subprocess.run(
        [chromium(), "--headless", "--no-sandbox", "--disable-gpu",
         "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run", "--user-data-dir=" + profile,
         "--enable-logging=stderr", "--v=0"] + list(extra) +
        ["file://" + path], env=env, capture_output=True, timeout=120)
    return p.stdout.decode(errors="replace"), p.stderr.decode(errors="replace")


def console_errors(err):
    return [l for l in err.split("\n")
            if "CONSOLE" in l or "Uncaught" in l or "Refused to" in l]


def title_of(dom):
    m = re.search(r"<title>(.*?)</title>", dom, re.S)
    return m.group(1) if m else None


def test_html(traces, info):
    t = traces["keep_samples"]
    page, code, _ = report(t, "html")
    text = html.unescape(page)
    check("html: exit 0, HTML5 doctype and charset",
          code == 0 and page.startswith("<!DOCTYPE html>")
          and '<meta charset="utf-8">' in page)
    check("html: self-contained (no script, no external resource)",
          not re.search(r"<script|<link|<iframe|<img|\b(src|href)\s*=|"
                        r"url\(|@import", page, re.I))
    n = Nesting()
    n.feed(page)
    n.close()
    check("html: elements nest and close", not n.errors and
          n.stack == [], "; ".join(n.errors[:5]) + " open: %s" % n.stack)
    groups = info["keep_samples"]["summary"]["leak_groups"]
    check("html: one <details> per leak group",
          len(re.findall(r'<details class="group"', page)) == groups)
    check("html: planted function, last pad, header facts",
          "plant_keep_samples" in text and "sink:sink" in text
          and "GStreamer 1.22" in text and "app-keep_samples" in text)
    check("html: leaked-by-type table and leaks flame graph",
          'id="by-type"' in page and '<figure id="flame-leaks">' in page
          and '<svg class="chart flame"' in page)
    clean, _, _ = report(traces["clean"], "html")
    check("html: clean trace: no leaks, no leaks flame graph",
          "No leaks" in clean and 'id="flame-leaks"' not in clean)

    if not check("html: chromium available", chromium() is not None,
                 "install chromium"):
        return
    # The harness itself: a page with markup injected does change the title
    # and log, so the checks below would see an escaping bug.
    bad = os.path.join(work, "injected.html")
    with open(bad, "w") as f:
        f.write("<!DOCTYPE html><html><head><meta charset=\"utf-8\">"
                "<title>t</title></head><body>%s"
                "<script>console.error('logged')</script></body></html>"
                % HOSTILE_SINK)
    dom, err = browse(bad, "--dump-dom")
    check("html: harness sees injected markup run",
          title_of(dom) == "PWNED" and console_errors(err),
          "title %r" % title_of(dom))

    path = os.path.join(work, "keep_samples.html")
    with open(path, "w") as f:
        f.write(page)
    dom, err = browse(path, "--dump-dom")
    check("html: opens in chromium without console errors",
          "plant_keep_samples" in dom and not console_errors(err),
          "\n".join(console_errors(err)[:5]))
    shot = os.environ.get("MEMTRACE_SCREENSHOT",
                          os.path.join(work, "report.png"))
    browse(path, "--screenshot=" + shot, "--window-size=1280,2000",
           "--hide-scrollbars")
    check("html: screenshot", os.path.exists(shot)
          and os.path.getsize(shot) > 20000, shot)

    h = traces.get("hostile")
    if h:
        page, _, _ = report(h, "html")
        check("html: hostile names escaped in the page",
              not re.search(r"<script|<img", page, re.I)
              and "&lt;img src=x onerror=" in page)
        path = os.path.join(work, "hostile.html")
        with open(path, "w") as f:
            f.write(page)
        dom, err = browse(path, "--dump-dom")
        check("html: hostile page: title untouched, no element injected, "
              "no console errors",
              title_of(dom) == "gst-memtrace: hostile.trace"
              and not re.search(r"<script|<img", dom, re.I)
              and not console_errors(err),
              "title %r; %s" % (title_of(dom), console_errors(err)[:3]))
        check("html: hostile strings shown as text",
              HOSTILE_SINK in html.unescape(dom)
              and HOSTILE_ARG in html.unescape(dom)
              and HOSTILE_FILE.replace("\x01", "\\x01") in html.unescape(dom))


# Folded

def folded_lines(out):
    return [l for l in out.split("\n") if l]


def test_folded(traces, info):
    for app, t in sorted(traces.items()):
        out, code, err = report(t, "folded", "--cost", "leaked")
        lines = folded_lines(out)
        check("folded %s: lines 'frame;...;frame COUNT'" % app,
              code == 0 and all(re.match(r"^[^ ]+ [0-9]+$", l)
                                for l in lines), err + repr(lines[:3]))
        stacks = [l.rsplit(" ", 1)[0] for l in lines]
        check("folded %s: stacks merged and sorted" % app,
              stacks == sorted(set(stacks)))
        total = sum(int(l.rsplit(" ", 1)[1]) for l in lines)
        want = info[app]["summary"]["leaked_objects"]
        check("folded %s: leaked sums to the report's leaked objects" % app,
              total == want, "%d != %d" % (total, want))
    if "stripped" in traces:
        out, _, _ = report(traces["stripped"], "folded", "--cost", "leaked")
        check("folded: unknown functions as module@address, no space or "
              "semicolon", re.search(r";app_hostile_x@0x[0-9a-f]+;", out)
              and all(re.match(r"^[^ ]+ [0-9]+$", l)
                      for l in folded_lines(out)), out[:300])
    out, _, _ = report(traces["keep_samples"], "folded", "--cost", "leaked")
    check("folded: planted function, outermost frame first",
          any(re.match(r"^_start;.*;main;plant_keep_samples;.*;gst_sample_new"
                       r";gst_mini_object_init 12$", l)
              for l in folded_lines(out)), out[:400])

    # allocations, bytes and peak: per-stack totals over the whole trace,
    # summing to the report's own totals.
    summary = info["keep_samples"]["summary"]
    for cost, want in (("allocations", summary["objects_created"]),
                       ("peak", summary["peak_bytes"])):
        out, code, err = report(traces["keep_samples"], "folded", "--cost",
                                cost)
        total = sum(int(l.rsplit(" ", 1)[1]) for l in folded_lines(out))
        check("folded: %s sums to the report's %d" % (cost, want),
              code == 0 and total == want and want > 0,
              "exit %d, %d: %s" % (code, total, err.strip()))
    out, code, _ = report(traces["keep_samples"], "folded", "--cost", "bytes")
    check("folded: bytes come from the planted app's pipeline",
          code == 0 and any(";gst_buffer_new_allocate;" in l
                            for l in folded_lines(out)), out[:300])


# Suppressions

def test_suppressed(traces):
    t = traces["keep_samples"]
    supp = os.path.join(work, "ks.supp")
    with open(supp, "w") as f:
        f.write("# the planted leak\nleak:plant_keep_samples\n")
    a = ["--suppressions", supp]
    xml, _, _ = report(t, "junit", *a)
    root = ET.fromstring(xml.encode())
    skipped = [c for c in root.iter("testcase")
               if c.find("skipped") is not None]
    check("junit: a suppressed group is a skipped testcase",
          len(skipped) == 1 and root.get("skipped") == "1"
          and "leak:plant_keep_samples" in skipped[0].find("skipped")
          .get("message"))
    s = json.loads(report(t, "sarif", *a)[0])
    sup = [r for r in s["runs"][0]["results"] if r.get("suppressions")]
    check("sarif: a suppressed group has an external suppression",
          len(sup) == 1 and sup[0]["suppressions"][0] ==
          {"kind": "external", "justification": "leak:plant_keep_samples"})
    md = html.unescape(report(t, "markdown", *a)[0])
    mdl = html.unescape(report(t, "markdown", "--list-suppressed", *a)[0])
    check("markdown: suppressed groups only with --list-suppressed",
          "plant_keep_samples" not in md and "### Suppressed" in mdl
          and "suppressed by: leak:plant_keep_samples" in mdl)
    out = report(t, "folded", "--cost", "leaked", *a)[0]
    check("folded: suppressed groups left out",
          "plant_keep_samples" not in out and folded_lines(out))


def main():
    global work
    work = tempfile.mkdtemp(prefix="test-formats-")
    if not check("gst-memtrace built", os.access(CLI, os.X_OK), CLI):
        return
    traces, info = {}, {}
    for app in APPS:
        t = record(app, [os.path.join(APPS_DIR, "app-" + app)])
        if t:
            traces[app] = t
    exe = os.path.join(work, "app-hostile")
    cflags = subprocess.run(["pkg-config", "--cflags", "--libs",
                             "gstreamer-1.0", "gstreamer-app-1.0"],
                            capture_output=True, text=True).stdout.split()
    p = subprocess.run(["gcc", "-O0", "-g", "-o", exe, HOSTILE_SRC] + cflags,
                       capture_output=True, text=True, cwd=work)
    if check("build the hostile app", p.returncode == 0, p.stderr[-500:]):
        t = record("hostile", [exe, HOSTILE_ARG])
        if t:
            traces["hostile"] = t
        # Stripped, and named with a space and a semicolon: its frames are
        # "module@0xADDRESS", which folded must keep in one field.
        odd = os.path.join(work, "app hostile;x")
        shutil.copy(exe, odd)
        if check("strip a copy", subprocess.run(["strip", odd]).returncode
                 == 0):
            t = record("stripped", [odd])
            if t:
                traces["stripped"] = t
    for app, t in traces.items():
        out, code, err = report(t, "json")
        info[app] = json.loads(out)
    if not all(a in traces for a in APPS):
        return
    test_markdown(traces, info)
    test_junit(traces, info)
    test_sarif(traces, info)
    test_html(traces, info)
    test_folded(traces, info)
    test_suppressed(traces)


if __name__ == "__main__":
    try:
        main()
    except Exception as e:      # a crash is a failure, with what it was
        import traceback
        traceback.print_exc()
        check("no exception", False, repr(e))
    print("%d passed, %d failed" % (passed, failed))
    if failed:
        print("kept %s" % work)
    elif work:
        shutil.rmtree(work, ignore_errors=True)
    sys.exit(1 if failed else 0)
