#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The checks of the admin guide, one per sub-command (tests/docs/run.sh).

  guide_checks.py CHECK RST TREE TOP

RST is the guide, TREE a directory with the files of a kernel series that
the checks read (the kdump code, kernel-parameters.txt, the kdump index),
TOP the repository (for kexec-tools-patches/). Each check prints what is
wrong, or a line saying what it counted, and exits 0 if it passes, 1 if
it fails, 4 if it cannot run (the last line says why).
"""

import glob
import importlib.util
import os
import re
import sys

MAX_LINES = 450

# Top-level sections, in this order: (what the test calls it, a pattern
# for its title, patterns for subsections that must come in this order)
SECTIONS = [
    ("overview", r"overview", []),
    ("quick start", r"quick start",
     [("kexec", r"\bkexec\b"), ("kdump-tools", r"kdump-tools"),
      ("kdumpctl", r"kdumpctl")]),
    ("parameters", r"parameters", []),
    ("checking the result", r"checking the result", []),
    ("troubleshooting", r"troubleshooting", []),
    ("limitations", r"limitations", []),
]
# Allowed after the last required section
TRAILING = r"references|see also"

# The names of the two kernels: a guide uses one name for each
KERNEL_NAMES = [
    ("the kernel that crashes", ["system kernel", "first kernel",
                                 "production kernel"]),
    ("the kernel that saves the dump", ["dump-capture kernel",
                                        "crash kernel", "kdump kernel",
                                        "capture kernel"]),
]

# A warning matches a troubleshooting row when the row holds a
# recognisable prefix of it (whitespace anywhere, each conversion written
# as a <placeholder> or a word): its literal text up to at least
# MIN_LITERAL characters (the "kdump: " prefix included) or the whole
# message if it is shorter, and at least MIN_DISTINCT characters past
# the point where it stops being the same as another warning.
MIN_LITERAL = 24
MIN_DISTINCT = 6

SPEC = re.compile(r"%(?:%|[-+ #0]*(?:\*|\d+)?(?:\.(?:\*|\d+))?"
                  r"(?:hh|h|ll|l|z|j|t|L)?(?:p[a-zA-Z]*|[diouxXcsfeEgGa]))")
PLACEHOLDER = r"(?:<[^<>]*>|\S+?)"
STRING = re.compile(r'"((?:[^"\\\n]|\\.)*)"')
NEXT = re.compile(r'\s*(?:(PRI[a-zA-Z0-9]+)\s*)?"((?:[^"\\\n]|\\.)*)"')
DEV_PRINT = re.compile(r"\bdev_(err|warn|notice|info|dbg)\(\s*")
KDUMP_C = "drivers/iommu/arm/arm-smmu-v3/arm-smmu-v3-kdump.c"
GUIDE_PATH = "Documentation/admin-guide/kdump/arm-smmu.rst"


def doctree(rst):
    import docutils.core
    settings = {"report_level": 5, "halt_level": 5}
    with open(rst, encoding="utf-8") as f:
        return docutils.core.publish_doctree(f.read(), source_path=rst,
                                             settings_overrides=settings)


def flat(text):
    return " ".join(text.split())


def unescape(s):
    return re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t"}.get(
        m.group(1), m.group(1)), s)


# ---- the guide's structure

def sections(node):
    """The sections directly below @node: (title, section)."""
    from docutils import nodes
    out = []
    for child in node.children:
        if isinstance(child, nodes.section):
            out.append((child[0].astext(), child))
    return out


def check_sections(rst):
    tops = sections(doctree(rst))
    titles = [t for t, _ in tops]
    print("sections: " + " / ".join(titles))
    bad = 0
    pos = 0
    for name, pat, subs in SECTIONS:
        hit = next((i for i in range(pos, len(tops))
                    if re.search(pat, tops[i][0], re.I)), None)
        if hit is None:
            print(f"no '{name}' section after the ones before it")
            bad += 1
            continue
        for extra in tops[pos:hit]:
            print(f"section '{extra[0]}' is not one of the guide's "
                  f"(before '{tops[hit][0]}')")
            bad += 1
        pos = hit + 1
        spos = 0
        subtitles = [t for t, _ in sections(tops[hit][1])]
        for sname, spat in subs:
            shit = next((i for i in range(spos, len(subtitles))
                         if re.search(spat, subtitles[i], re.I)), None)
            if shit is None:
                print(f"'{tops[hit][0]}' has no subsection about {sname} "
                      "in that order (" + " / ".join(subtitles) + ")")
                bad += 1
            else:
                spos = shit + 1
    for extra in tops[pos:]:
        if not re.fullmatch(TRAILING, extra[0], re.I):
            print(f"section '{extra[0]}' after the last one")
            bad += 1
    return 1 if bad else 0


def check_length(rst):
    with open(rst, encoding="utf-8") as f:
        n = sum(1 for _ in f)
    print(f"{n} lines, at most {MAX_LINES}")
    return 0 if n <= MAX_LINES else 1


def prose(rst):
    """The guide's text without literals and literal blocks."""
    from docutils import nodes
    tree = doctree(rst)
    for n in list(tree.traverse(nodes.literal)) + \
            list(tree.traverse(nodes.literal_block)):
        n.parent.remove(n)
    return flat(tree.astext()).lower()


def check_terms(rst):
    text = prose(rst)
    bad = 0
    for what, names in KERNEL_NAMES:
        used = [n for n in names
                if re.search(r"(?<![\w-])" + re.escape(n) + r"s?\b", text)]
        if len(used) > 1:
            print(f"{what} has more than one name: " + ", ".join(used))
            bad += 1
        elif not used:
            print(f"{what} is never named (one of: {', '.join(names)})")
            bad += 1
        else:
            print(f"{what}: '{used[0]}'")
    return 1 if bad else 0


# ---- names the guide must give

def literals(rst):
    from docutils import nodes
    return [flat(n.astext()) for n in doctree(rst).traverse(nodes.literal)]


def literal_named(lits, name):
    """Some inline literal starts with @name, not followed by more of a
    longer name (``--smmu-kdump-keep`` is not ``--smmu-kdump-keep-path``)."""
    for lit in lits:
        if lit.startswith(name) and (len(lit) == len(name) or
                                     name.endswith("=") or
                                     not re.match(r"[A-Za-z0-9_-]",
                                                  lit[len(name)])):
            return True
    return False


def need(what, items, present):
    if not items:
        print(f"no {what} found: did the code change?")
        return 1
    missing = [i for i in items if not present(i)]
    for i in missing:
        print(f"not named: {i}")
    print(f"{len(items) - len(missing)} of {len(items)} {what} named")
    return 1 if missing else 0


def kdump_source(tree):
    path = os.path.join(tree, KDUMP_C)
    if not os.path.exists(path):
        return None
    with open(path, encoding="utf-8") as f:
        return f.read()


def module_name(tree):
    mk = os.path.join(tree, "drivers/iommu/arm/arm-smmu-v3/Makefile")
    if os.path.exists(mk):
        with open(mk, encoding="utf-8") as f:
            m = re.search(r"^(\w+)-\$\([A-Z0-9_]+\)\s*\+=\s*"
                          r"arm-smmu-v3-kdump\.o", f.read(), re.M)
            if m:
                return m.group(1)
    return "arm_smmu_v3"


def check_parameters(rst, tree):
    src = kdump_source(tree)
    if src is None:
        print(f"{KDUMP_C} is not in the series")
        return 1
    mod = module_name(tree)
    params = sorted(f"{mod}.{p}=" for p in
                    re.findall(r"\bmodule_param\(\s*(\w+)\s*,", src))
    modes = re.findall(r'\[ARM_SMMU_KDUMP_\w+\]\s*=\s*"([a-z-]+)"',
                       src[src.find("mode_names"):][:400])
    if len(params) < 2 or not modes:
        print("expected the kdump_mode and kdump_keep parameters and the "
              "mode names in " + KDUMP_C)
        return 1
    lits = literals(rst)
    return need("parameters and modes", params + modes,
                lambda i: literal_named(lits, i))


def kexec_options(top):
    opts = set()
    for p in sorted(glob.glob(os.path.join(top, "kexec-tools-patches",
                                           "*.patch"))):
        with open(p, encoding="utf-8", errors="replace") as f:
            for line in f:
                if line.startswith("+"):
                    opts.update(re.findall(r'\{\s*"(smmu-[a-z0-9-]+)"\s*,',
                                           line))
    return sorted("--" + o for o in opts)


def check_options(rst, top):
    lits = literals(rst)
    return need("--smmu-kdump-* options of kexec-tools-patches/",
                kexec_options(top), lambda i: literal_named(lits, i))


# ---- warnings and troubleshooting rows

def warnings(src):
    """The format strings of the dev_warn() and dev_err() calls, with the
    dev_fmt() prefix as printk adds it."""
    m = re.search(r'#define dev_fmt\(fmt\)\s+"([^"]*)"\s+fmt', src)
    prefix = m.group(1) if m else ""
    found = []
    for call in DEV_PRINT.finditer(src):
        if call.group(1) not in ("warn", "err"):
            continue
        # The format is the first string literal after the device
        s = STRING.search(src, call.end())
        if not s:
            continue
        fmt, end = s.group(1), s.end()
        while True:
            n = NEXT.match(src, end)
            if not n:
                break
            if n.group(1):
                fmt += "%ll" + n.group(1)[3]    # PRIx64 -> %llx
            fmt += n.group(2)
            end = n.end()
        found.append(prefix + unescape(fmt).rstrip("\n"))
    return sorted(set(found))


def units(fmt):
    """@fmt as a list of literal characters and None for conversions."""
    out, pos = [], 0
    for m in SPEC.finditer(fmt):
        out += list(re.sub(r"\s+", " ", fmt[pos:m.start()]))
        out.append("%" if m.group(0) == "%%" else None)
        pos = m.end()
    return out + list(re.sub(r"\s+", " ", fmt[pos:]))


def needed_literal(fmt, others):
    u, need_ = units(fmt), MIN_LITERAL
    for o in others:
        if o == fmt:
            continue
        v = units(o)
        n = 0
        while n < len(u) and n < len(v) and u[n] == v[n]:
            n += 1
        need_ = max(need_, MIN_DISTINCT +
                    sum(1 for x in u[:n] if x is not None))
    return need_


def literal_re(text):
    """@text, any blank matching any run of white space."""
    return r"\s+".join(re.escape(w) for w in text.split(" "))


def pattern(fmt, others):
    """Regex for a recognisable prefix of @fmt."""
    parts, literal, pos = [], 0, 0
    need_ = needed_literal(fmt, others)
    for m in list(SPEC.finditer(fmt)) + [None]:
        text = fmt[pos:m.start() if m else len(fmt)]
        if m and m.group(0) == "%%":
            text += "%"
        text = re.sub(r"\s+", " ", text)
        if literal + len(text) >= need_:
            parts.append(literal_re(text[:need_ - literal]))
            return "".join(parts)
        parts.append(literal_re(text))
        literal += len(text)
        if not m:
            break
        if m.group(0) != "%%":
            parts.append(PLACEHOLDER)
        pos = m.end()
    return "".join(parts)


def troubleshooting_rows(rst):
    from docutils import nodes
    for title, sec in sections(doctree(rst)):
        if re.search(r"troubleshooting", title, re.I):
            return [flat(r.astext()) for r in sec.traverse(nodes.row)]
    return None


def check_warnings(rst, tree):
    src = kdump_source(tree)
    if src is None:
        print(f"{KDUMP_C} is not in the series")
        return 1
    msgs = warnings(src)
    rows = troubleshooting_rows(rst)
    if rows is None:
        print("the guide has no troubleshooting section")
        return 1
    if not rows:
        print("the troubleshooting section has no table")
        return 1
    print(f"{len(rows)} troubleshooting table rows")
    return need("kdump warnings and errors (dev_warn/dev_err)", msgs,
                lambda f: any(re.search(pattern(f, msgs), r) for r in rows))


# ---- kernel-parameters.txt

def check_kernel_parameters(tree):
    src = kdump_source(tree) or ""
    mod = module_name(tree)
    want = sorted(f"{mod}.{p}=" for p in
                  re.findall(r"\bmodule_param\(\s*(\w+)\s*,", src))
    path = os.path.join(tree, "Documentation/admin-guide/kernel-parameters.txt")
    if not os.path.exists(path):
        print("kernel-parameters.txt is not in the series tree")
        return 1
    with open(path, encoding="utf-8", errors="replace") as f:
        text = f.read()
    # An entry: a line with one tab and the parameter, up to the next one
    entries = {}
    for m in re.finditer(r"^\t(\S+)(.*?)(?=^\t\S|\Z)", text, re.M | re.S):
        entries[m.group(1)] = flat(m.group(2))
    if not want:
        print("no module_param() in " + KDUMP_C)
        return 1
    bad = 0
    for p in want:
        if p not in entries:
            print(f"{p}: no entry")
            bad += 1
        elif GUIDE_PATH not in entries[p]:
            print(f"{p}: the entry does not point to {GUIDE_PATH}")
            bad += 1
    print(f"{len(want) - bad} of {len(want)} entries point to the guide")
    return 1 if bad else 0


def main():
    check, rst, tree, top = sys.argv[1:5]
    if importlib.util.find_spec("docutils") is None:
        print("python3-docutils is not installed")
        return 4
    if check != "kernel-parameters" and not os.path.exists(rst):
        print(f"{rst} does not exist")
        return 1
    if check == "length":
        return check_length(rst)
    if check == "sections":
        return check_sections(rst)
    if check == "terms":
        return check_terms(rst)
    if check == "parameters":
        return check_parameters(rst, tree)
    if check == "options":
        return check_options(rst, top)
    if check == "warnings":
        return check_warnings(rst, tree)
    if check == "kernel-parameters":
        return check_kernel_parameters(tree)
    print(f"unknown check {check}")
    return 2


if __name__ == "__main__":
    sys.exit(main())
