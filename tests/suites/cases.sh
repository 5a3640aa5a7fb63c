#!/usr/bin/env bash
# Data-driven end-to-end cases (tests/cases/*.case): each file holds blocks
#   %%RULES <file>      a rules file          %%LEXICON <name>   a lexicon
#   %%NORM <file>       normalization decls   %%INPUT            JSON Lines posts
#   %%EXPECT            the expected output of `netpatrol scan --quiet`, line for line
#   %%FAIL              text that `netpatrol rules check` must print (and exit 2)
# Adding a case means editing text, not C.
set -u
BUILD=${BUILD:-build/default}
exec /usr/bin/python3 - "$BUILD/bin/netpatrol" tests/cases/*.case <<'PY'
import os, subprocess, sys, tempfile
np, files = sys.argv[1], sys.argv[2:]
passed = failed = 0
for path in files:
    blocks, cur = [], None
    for line in open(path, encoding="utf-8"):
        if line.startswith("%%"):
            head = line[2:].split()
            cur = [head[0], head[1] if len(head) > 1 else "", []]
            blocks.append(cur)
        elif cur is not None:
            cur[2].append(line)
    with tempfile.TemporaryDirectory() as d:
        os.makedirs(os.path.join(d, "lexicons"))
        inp = exp = fail = None
        for kind, arg, lines in blocks:
            text = "".join(lines)
            if kind == "RULES": open(os.path.join(d, arg or "case.rules"), "w").write(text)
            elif kind == "LEXICON": open(os.path.join(d, "lexicons", arg + ".txt"), "w").write(text)
            elif kind == "NORM": open(os.path.join(d, arg or "case.norm"), "w").write(text)
            elif kind == "INPUT": inp = text
            elif kind == "EXPECT": exp = text
            elif kind == "FAIL": fail = text.strip()
        name = os.path.basename(path)
        if fail is not None:
            r = subprocess.run([np, "rules", "check", d], capture_output=True, text=True)
            got = r.stderr.replace(d + "/", "")
            ok = r.returncode == 2 and all(l.strip() in got for l in fail.splitlines() if l.strip())
            if not ok: print(f"FAIL {name}: expected rc 2 and\n{fail}\ngot rc {r.returncode}:\n{got}")
        else:
            r = subprocess.run([np, "scan", "--rules", d, "--quiet", "--no-coord"], input=inp,
                               capture_output=True, text=True)
            ok = r.stdout == exp
            if not ok:
                print(f"FAIL {name}:")
                for a, b in zip((exp or "").splitlines(), r.stdout.splitlines()):
                    if a != b: print(f"  expected {a}\n  got      {b}")
                if r.stderr: print(r.stderr)
        passed, failed = passed + ok, failed + (not ok)
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
PY
