#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Checks of the admin guide Documentation/admin-guide/kdump/arm-smmu.rst.
#
# Prints one KTAP document and exits non-zero if any check fails:
#  - the guide builds with docutils without warnings and uses no markup
#    that only Sphinx knows;
#  - kernel rst style: SPDX line, title, underlines, <= 80 columns;
#  - the guide comes in a patch of its own of the series patches/linux-6.12/
#    that adds it to the kdump toctree;
#  - every "kdump:" message of the kernel code (arm-smmu-v3-kdump.c and
#    patches/linux-6.12/), every reason such a message prints through %s, and
#    every arm_smmu_v3.kdump_* parameter and mode is explained in the guide;
#  - every --smmu-kdump-* option and "kexec:" message of kexec-tools-patches/
#    is explained in docs/kexec-options.md (kexec's messages belong with kexec,
#    its man page has the options and the message formats).
#
#   run.sh [-r RST] [-p PATCH] [-k]
#     -r  guide to check (default: arm-smmu.rst as the series makes it)
#     -p  the patch that adds the guide (default: found in the series)
#     -k  keep the scratch directory
#
# A message counts as explained when the guide contains a recognisable
# prefix of it: its text up to at least the first MIN_LITERAL (28)
# characters that are not conversion specifications, and at least
# MIN_DISTINCT (8) characters past the point where it differs from every
# other message, with each %-conversion written as a word or as a
# <placeholder>, and line breaks anywhere. Reasons, options, parameters
# and modes must each start an inline literal (``...``) of the guide.

set -e
trap 'echo "run.sh: aborting" >&2' ERR
here="$(cd "$(dirname "$0")" && pwd)"
. "$here/../../scripts/lib/common.sh"

# The guide and the kdump code as the series patches/linux-6.12/ makes them
tree=$(bash "$top_dir/tests/host/prepare-src.sh")
rst="$tree/Documentation/admin-guide/kdump/arm-smmu.rst"
kdump_c="$tree/drivers/iommu/arm/arm-smmu-v3/arm-smmu-v3-kdump.c"
# The patch of the series that adds the guide
index_patch=$(grep -l '^+++ b/Documentation/admin-guide/kdump/arm-smmu.rst' \
	$(series_patches 6.12) /dev/null | head -n 1)
keep=0

print_usage() {
	sed -n '3,/^$/p' "$0" | sed -e '/^$/d' -e 's/^# \{0,1\}//'
}

while getopts 'r:p:kh' opt; do
	case "$opt" in
	r) rst="$OPTARG" ;;
	p) index_patch="$OPTARG" ;;
	k) keep=1 ;;
	h) print_usage; exit 0 ;;
	*) print_usage; exit 1 ;;
	esac
done

scratch_dir docs-test

ntests=10
nr=0
failed=0

# result RC DESC - print one KTAP result line; RC 0 pass, 4 skip, else fail.
# The reason of a skip is the last line of $scratch/diag.
result() {
	local rc="$1" desc="$2"
	nr=$((nr + 1))
	if [ -s "$scratch/diag" ]; then
		sed 's/^/# /' "$scratch/diag"
	fi
	case "$rc" in
	0) echo "ok $nr - docs: $desc" ;;
	4) echo "ok $nr - docs: $desc # SKIP $(tail -n 1 "$scratch/diag")" ;;
	*) echo "not ok $nr - docs: $desc"; failed=$((failed + 1)) ;;
	esac
	: >"$scratch/diag"
}

# run_check DESC CMD... - run a check with its diagnostics in $scratch/diag
run_check() {
	local desc="$1" rc=0
	shift
	"$@" >>"$scratch/diag" 2>&1 || rc=$?
	result "$rc" "$desc"
}

# ---- (a) docutils build, no Sphinx-only markup

check_docutils() {
	local out
	if ! python3 -c 'import docutils' 2>/dev/null; then
		echo "python3-docutils is not installed"
		return 4
	fi
	if ! out=$(python3 -m docutils --halt=warning --report=warning \
			--no-datestamp --no-generator "$rst" "$scratch/out.html" 2>&1); then
		printf '%s\n' "$out"
		echo "docutils failed on ${rst##*/}"
		return 1
	fi
	if [ -n "$out" ]; then
		printf '%s\n' "$out"
		return 1
	fi
}

check_no_sphinx() {
	# Roles and directives that docutils does not know; the kernel's
	# Sphinx turns Documentation/... paths into links by itself.
	if grep -nE ':(doc|ref|c:[a-z]+|manpage|kbd|file|envvar|option|numref|term|abbr|menuselection|samp|program|command):`|^[[:space:]]*\.\. (toctree|only|kernel-doc|kernel-abi|kernel-feat|kernel-include|code-block|sourcecode|c:[a-z]+|glossary|index|seealso|versionadded|versionchanged|deprecated|note-sphinx)::' "$rst"; then
		echo "Sphinx-only markup found (see above)"
		return 1
	fi
}

# ---- (b) style

check_columns() {
	python3 - "$rst" <<'EOF'
import sys
bad = 0
for n, line in enumerate(open(sys.argv[1], encoding="utf-8"), 1):
    line = line.rstrip("\n")
    if "\t" in line:
        print(f"line {n}: tab character")
        bad += 1
    if line != line.rstrip():
        print(f"line {n}: trailing whitespace")
        bad += 1
    if len(line.expandtabs(8)) > 80:
        print(f"line {n}: {len(line.expandtabs(8))} columns: {line[:60]}...")
        bad += 1
sys.exit(1 if bad else 0)
EOF
}

check_title() {
	python3 - "$rst" <<'EOF'
import re
import sys
lines = open(sys.argv[1], encoding="utf-8").read().split("\n")
bad = []
if lines[0] != ".. SPDX-License-Identifier: GPL-2.0":
    bad.append("line 1 is not '.. SPDX-License-Identifier: GPL-2.0'")
if len(lines) < 6 or lines[1] != "":
    bad.append("line 2 is not empty")
else:
    over, title, under = lines[2], lines[3], lines[4]
    if not title.strip() or title != title.strip():
        bad.append("line 4 is not a title")
    elif over != "=" * len(title) or under != over:
        bad.append("the title needs '=' lines over and under it, "
                   "as long as the title")
# Sections: '=' underlines, subsections '-'; as long as their titles.
for i in range(5, len(lines)):
    m = re.fullmatch(r"([=\-~^\"'`#*+.:_])\1{2,}", lines[i])
    prev = lines[i - 1]
    if not m or not prev.strip() or prev[0].isspace():
        continue
    if m.group(1) not in "=-":
        bad.append(f"line {i + 1}: '{m.group(1)}' underline, use '=' "
                   "for sections and '-' for subsections")
    if len(lines[i]) != len(prev):
        bad.append(f"line {i + 1}: underline of '{prev}' is "
                   f"{len(lines[i])} long, not {len(prev)}")
for b in bad:
    print(b)
sys.exit(1 if bad else 0)
EOF
}

# ---- (c) the index patch

# check_index_patch - the patch that adds the guide is a patch of its own
# (Documentation/admin-guide/kdump/ and the guide's MAINTAINERS line) and
# lists it in the kdump toctree
check_index_patch() {
	local f toc

	if [ -z "$index_patch" ] || [ ! -f "$index_patch" ]; then
		echo "no patch of patches/linux-6.12/ adds the guide"
		return 1
	fi
	for f in $(sed -n 's|^+++ b/||p' "$index_patch" | sort -u); do
		case "$f" in
		Documentation/admin-guide/kdump/arm-smmu.rst) ;;
		Documentation/admin-guide/kdump/index.rst) ;;
		MAINTAINERS) ;;	# the guide's F: line
		*)
			echo "${index_patch##*/} must change only the guide," \
				"the kdump index and MAINTAINERS, not: $f"
			return 1
			;;
		esac
	done
	grep -q '^Signed-off-by: ' "$index_patch" ||
		{ echo "${index_patch##*/}: no Signed-off-by"; return 1; }

	# The toctree must list arm-smmu, the name of the guide without .rst.
	toc=$(awk '/^\.\. toctree::/ { in_toc = 1; next }
		in_toc && /^[^[:space:]]/ { in_toc = 0 }
		in_toc && $1 !~ /^:/ && NF { print $1 }' \
		"$tree/Documentation/admin-guide/kdump/index.rst")
	if ! printf '%s\n' "$toc" | grep -qx "$(basename "$rst" .rst)"; then
		echo "the kdump toctree does not list $(basename "$rst" .rst):" \
			"$(printf '%s' "$toc" | tr '\n' ' ')"
		return 1
	fi
}

# ---- (d), (e) messages, options, parameters

# check_explained KIND - KIND is one of kdump-messages, kdump-reasons,
# kexec-options, kernel-parameters, kexec-messages.
check_explained() {
	python3 - "$1" "$rst" "$kdump_c" "$top_dir" <<'EOF'
import collections
import glob
import os
import re
import sys

kind, rst, kdump_c, top = sys.argv[1:5]
MIN_LITERAL = 28
MIN_DISTINCT = 8

# kexec's options and messages are documented with kexec, not in the guide
if kind.startswith("kexec-"):
    rst = os.path.join(top, "docs/kexec-options.md")
doc = " ".join(open(rst, encoding="utf-8").read().split())

STRING = re.compile(r'"((?:[^"\\\n]|\\.)*)"')
# A literal directly following another one, possibly after a PRI macro
NEXT = re.compile(r'\s*(?:(PRI[a-zA-Z0-9]+)\s*)?"((?:[^"\\\n]|\\.)*)"')
SPEC = re.compile(r"%(?:%|[-+ #0]*(?:\*|\d+)?(?:\.(?:\*|\d+))?"
                  r"(?:hh|h|ll|l|z|j|t|L)?(?:p[a-zA-Z]*|[diouxXcsfeEgGa]))")
PLACEHOLDER = r"(?:<[^<>]*>|[^\s`]+?)"


def unescape(s):
    return re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t"}.get(
        m.group(1), m.group(1)), s)


DEV_PRINT = re.compile(r'(\bdev_(?:err|warn|notice|info|dbg)\(\s*[^,;]+,\s*)"')


def dev_fmt_prefix(text):
    m = re.search(r'#define dev_fmt\(fmt\)\s+"([^"]*)"\s+fmt', text)
    return m.group(1) if m else None


def with_dev_fmt(text, prefix=None, loose=False):
    """@text with the prefix of its dev_fmt() (defined in @text, or
    @prefix for lines of a file that defines it elsewhere) written into
    the format string of every dev_*() call, as printk adds it. With
    @loose (removed lines, whose call may be a context line), into every
    string that starts a line."""
    prefix = dev_fmt_prefix(text) or prefix
    if not prefix:
        return text
    if loose:
        return re.sub(r'^(\s*)"', lambda d: d.group(1) + '"' + prefix, text,
                      flags=re.M)
    return DEV_PRINT.sub(lambda d: d.group(1) + '"' + prefix, text)


def changed_lines(patch, sign, suffix=None, skip_suffix=None):
    """The text of the @sign ('+' or '-') lines of a patch, joined; only of
    files ending in @suffix, none of files ending in @skip_suffix."""
    out, cur, keep, path = [], [], True, ""
    for line in open(patch, encoding="utf-8", errors="replace"):
        if line.startswith("+++ ") or line.startswith("--- "):
            if cur:
                out.append(with_dev_fmt("".join(cur), file_prefix(path),
                                        sign == "-"))
            if line.startswith("+++ "):
                path = line.rstrip()
                keep = (suffix is None or path.endswith(suffix)) and \
                    not (skip_suffix and path.endswith(skip_suffix))
            cur = []
        elif line.startswith(sign) and keep:
            cur.append(line[1:])
    if cur:
        out.append(with_dev_fmt("".join(cur), file_prefix(path),
                                sign == "-"))
    return "\n".join(out)


# The dev_fmt() prefix of arm-smmu-v3-kdump.c as the whole file defines it
KDUMP_PREFIX = dev_fmt_prefix(open(kdump_c, encoding="utf-8").read()) \
    if os.path.exists(kdump_c) else None


def file_prefix(path):
    """The dev_fmt() prefix of the kernel file at @path ("+++ b/..."), for
    hunks that do not show the define."""
    return KDUMP_PREFIX if path.endswith("arm-smmu-v3-kdump.c") else None


def added_lines(patch, suffix=None):
    return changed_lines(patch, "+", suffix)


def messages(text, prefix, removed=""):
    """Format strings that start with @prefix, concatenations joined.

    A message that a later patch removes (found in @removed) as often as
    the series adds it is gone.
    """
    if removed:
        gone = collections.Counter(messages_all(removed, prefix))
        left = collections.Counter(messages_all(text, prefix)) - gone
        return sorted(left)
    return sorted(set(messages_all(text, prefix)))


def messages_all(text, prefix):
    found = []
    for m in STRING.finditer(text):
        s = m.group(1)
        if not unescape(s).startswith(prefix):
            continue
        end = m.end()
        while True:
            n = NEXT.match(text, end)
            if not n:
                break
            if n.group(1):
                s += "ll" + n.group(1)[3]       # PRIx64 -> %llx
            s += n.group(2)
            end = n.end()
        found.append(unescape(s).rstrip("\n"))
    return found


def literal_re(text):
    """@text, any run of blanks matching any run of white space."""
    return r"\s+".join(re.escape(w) for w in text.split(" "))


def units(fmt):
    """@fmt as a list of literal characters and None for conversions."""
    out, pos = [], 0
    for m in SPEC.finditer(fmt):
        out += list(re.sub(r"\s+", " ", fmt[pos:m.start()]))
        out.append("%" if m.group(0) == "%%" else None)
        pos = m.end()
    return out + list(re.sub(r"\s+", " ", fmt[pos:]))


def needed_literal(fmt, others):
    """Literal characters of @fmt that tell it from all of @others.

    At least MIN_LITERAL, and MIN_DISTINCT more than @fmt has in common
    with the closest other message.
    """
    u, need = units(fmt), MIN_LITERAL
    for o in others:
        v = units(o)
        if o == fmt:
            continue
        n = 0
        while n < len(u) and n < len(v) and u[n] == v[n]:
            n += 1
        need = max(need, MIN_DISTINCT +
                   sum(1 for x in u[:n] if x is not None))
    return need


def pattern(fmt, others=()):
    """Regex for a recognisable prefix of @fmt as the guide writes it."""
    parts, literal, pos = [], 0, 0
    need = needed_literal(fmt, others)
    for m in list(SPEC.finditer(fmt)) + [None]:
        text = fmt[pos:m.start() if m else len(fmt)]
        if m and m.group(0) == "%%":
            text += "%"
        text = re.sub(r"\s+", " ", text)
        if literal + len(text) >= need:
            parts.append(literal_re(text[:need - literal]))
            return "".join(parts)
        parts.append(literal_re(text))
        literal += len(text)
        if not m:
            break
        if m.group(0) != "%%":
            parts.append(PLACEHOLDER)
        pos = m.end()
    return "".join(parts)


def kernel_text(sign="+", skip_suffix=None):
    texts = []
    if sign == "+" and os.path.exists(kdump_c):
        texts.append(with_dev_fmt(open(kdump_c, encoding="utf-8").read()))
    for p in sorted(glob.glob(os.path.join(top, "patches/linux-6.12/0*.patch"))):
        texts.append(changed_lines(p, sign, skip_suffix=skip_suffix))
    return "\n".join(texts)


def kexec_text(suffix=None, sign="+"):
    return "\n".join(changed_lines(p, sign, suffix) for p in sorted(
        glob.glob(os.path.join(top, "kexec-tools-patches/*.patch"))))


def need(what, items, present):
    missing = [i for i in items if not present(i)]
    for i in missing:
        print(f"not explained: {i!r}")
    if not items:
        print(f"no {what} found: did the code change?")
        return 1
    print(f"{len(items) - len(missing)} of {len(items)} {what} explained")
    return 1 if missing else 0


def in_doc(s):
    return " ".join(s.split()) in doc


def literal_in_doc(s):
    """@s starts an inline literal (``s...``) of the guide."""
    return "``" + " ".join(s.split()) in doc


def literal_in_md(s):
    """@s starts an inline literal (`s...`) of a Markdown file."""
    return "`" + " ".join(s.split()) in doc


if kind == "kdump-messages":
    msgs = messages(kernel_text(), "kdump: ", kernel_text("-"))
    sys.exit(need("kdump: messages", msgs,
                  lambda f: re.search(pattern(f, msgs), doc)))

if kind == "kexec-messages":
    msgs = messages(kexec_text(".c"), "kexec: ", kexec_text(".c", "-"))
    sys.exit(need("kexec: messages", msgs,
                  lambda f: re.search(pattern(f, msgs), doc)))

if kind == "kdump-reasons":
    src = open(kdump_c, encoding="utf-8").read() \
        if os.path.exists(kdump_c) else ""
    items = []
    # arm_smmu_kdump_err_str[]: "kdump: %s (index ..."
    items += [s for k, s in re.findall(
        r'\[ARM_SMMU_KDUMP_ERR_(\w+)\]\s*=\s*"([^"]*)"', src) if k != "NONE"]
    # arm_smmu_kdump_check_state(): "kdump: %s (%#x); ..."
    items += re.findall(r'\bwhy\s*=\s*"([^"]*)"', src)
    # arm_smmu_kdump_device_reset(): "kdump: failed to %s"
    items += re.findall(r'\bstep\s*=\s*"([^"]*)"', src)
    # arm_smmu_kdump_reason_str(): "kdump: SID %#x config %u: %s"
    m = re.search(r"arm_smmu_kdump_reason_str\([^)]*\)\s*\{(.*?)\n\}",
                  src, re.S)
    items += re.findall(r'return\s+"([^"]*)"', m.group(1)) if m else []
    items = [f"{i}``" for i in items]
    sys.exit(need("reasons printed through %s", items, literal_in_doc))

if kind == "kexec-options":
    opts = sorted(set("--" + o for o in re.findall(
        r'\{\s*"(smmu-[a-z0-9-]+)"\s*,', kexec_text())))
    sys.exit(need("kexec options", opts, literal_in_md))

if kind == "kernel-parameters":
    # The KUnit test module's own switches are not kernel parameters of
    # the driver.
    text = kernel_text(skip_suffix="-test.c")
    m = re.search(r"^(\w+)-\$\(CONFIG_ARM_SMMU_V3_KDUMP\)\s*\+=\s*"
                  r"arm-smmu-v3-kdump\.o", text, re.M)
    module = m.group(1) if m else "arm_smmu_v3"
    items = set(f"{module}.{p}=" for p in
                re.findall(r"\bmodule_param\(\s*(\w+)\s*,", text))
    items |= set(re.findall(r"^\s*(arm_smmu_v3\.kdump_\w+=)", text, re.M))
    # arm_smmu_kdump_mode_names[]
    modes = re.findall(r'\[ARM_SMMU_KDUMP_(?:KEEP_QUIESCED|KEEP_ALL|RESET)'
                       r'\]\s*=\s*"([^"]*)"', text)
    items = sorted(items) + [f"{m}``" for m in modes]
    if len([i for i in items if i.endswith("=")]) < 2 or not modes:
        print("expected two parameters and the mode names")
        sys.exit(1)
    sys.exit(need("parameters and modes", items, literal_in_doc))

print(f"unknown check {kind}")
sys.exit(2)
EOF
}

echo "KTAP version 1"
echo "1..$ntests"
: >"$scratch/diag"
if [ ! -f "$rst" ]; then
	echo "$rst does not exist" >"$scratch/diag"
fi

run_check "${rst##*/} builds with docutils without warnings" check_docutils
run_check "${rst##*/} uses no Sphinx-only markup" check_no_sphinx
run_check "${rst##*/} lines fit in 80 columns, no tabs or trailing blanks" \
	check_columns
run_check "${rst##*/} has the SPDX line, kernel-style title and underlines" \
	check_title
run_check "the guide is a patch of its own and in the kdump toctree" \
	check_index_patch
run_check "every kdump: message of the kernel code is explained" \
	check_explained kdump-messages
run_check "every reason printed in a kdump: message is explained" \
	check_explained kdump-reasons
run_check "every --smmu-kdump-* option of the kexec patches is documented" \
	check_explained kexec-options
run_check "both kernel parameters and every kdump_mode value are documented" \
	check_explained kernel-parameters
run_check "every kexec: message of the kexec patches is explained" \
	check_explained kexec-messages

[ "$nr" = "$ntests" ] || { echo "# ran $nr checks, planned $ntests"; exit 1; }
echo "# docs: $((nr - failed)) passed, $failed failed"
if [ "$failed" != 0 ]; then
	exit 1
fi
