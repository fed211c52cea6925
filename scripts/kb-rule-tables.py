#!/usr/bin/env python3
"""The per-pack rule tables of docs/kb.md, generated from kb/jurisdictions/*.yaml.

    python3 scripts/kb-rule-tables.py .          # rewrite the tables in docs/kb.md
    python3 scripts/kb-rule-tables.py --check .  # exit 1 if docs/kb.md differs (ctest kb/docs-rule-tables)

Each `### XX ...` section of docs/kb.md whose code is a pack gets one table: rule,
kind, status, in-force window, parameters and the citation (instrument, section,
official link). The citation's `fact` (the maintainers' trace to the fact sheet) is
never written: docs/kb.md is read by users. Needs Debian's python3-yaml.
"""
import glob
import os
import re
import sys


def load_packs(root):
    import yaml

    packs = {}
    for path in sorted(glob.glob(os.path.join(root, "kb/jurisdictions/*.yaml"))):
        with open(path, encoding="utf-8") as f:
            d = yaml.safe_load(f)
        packs[d["code"]] = d
    return packs


def cell(text):
    return str(text).replace("|", "\\|").replace("\n", " ")


def params_text(rule):
    out = []
    for k, v in (rule.get("params") or {}).items():
        if isinstance(v, dict):  # a nested selector (isolation targets, share_cap scope)
            v = ", ".join(f"{sk}: {sv}" for sk, sv in v.items())
            v = "{" + v.replace("'", "") + "}"
        elif isinstance(v, list):
            v = "[" + ", ".join(map(str, v)) + "]"
        out.append(f"{k}: {v}")
    return cell(", ".join(out))


def status_text(rule):
    if rule.get("unconfirmed"):
        return "advisory, UNCONFIRMED"
    return "binding" if rule.get("binding", True) else "advisory"


def window_text(rule):
    start = rule.get("effective_from") or ""
    end = rule.get("effective_until") or ""
    return f"{start} .. {end}".rstrip()


def citation_text(rule):
    c = rule["citation"]
    text = c["instrument"] + (", " + c["section"] if c.get("section") else "")
    return f"[{cell(text)}]({c['url']})" if c.get("url") else cell(text)


def table(pack):
    rows = [
        "| rule | kind | status | in force | params | citation |",
        "|---|---|---|---|---|---|",
    ]
    for r in pack.get("rules") or []:
        rows.append(
            f"| `{r['id']}` | {r['kind']} | {status_text(r)} | {window_text(r)} | {params_text(r)} | {citation_text(r)} |"
        )
    return "\n".join(rows)


def regenerate(doc, packs):
    parts = re.split(r"(?m)^(### [A-Z]{2} .*)$", doc)
    out = parts[0]
    for i in range(1, len(parts), 2):
        head, body = parts[i], parts[i + 1]
        code = head.split()[1]
        if code in packs:
            body, n = re.subn(r"(?ms)^\| rule \| kind .*?(?=\n\n|\n#|\Z)", lambda m: table(packs[code]), body, count=1)
            if n == 0:
                body = body.rstrip("\n") + "\n\n" + table(packs[code]) + "\n\n"
        out += head + body
    missing = [c for c in packs if f"\n### {c} " not in out]
    return out, missing


def main(argv):
    check = "--check" in argv
    args = [a for a in argv if a != "--check"]
    root = args[0] if args else "."
    path = os.path.join(root, "docs/kb.md")
    with open(path, encoding="utf-8") as f:
        doc = f.read()
    out, missing = regenerate(doc, load_packs(root))
    if missing:
        print(f"docs/kb.md has no '### XX ...' section for pack(s) {', '.join(missing)}", file=sys.stderr)
        return 1
    if check:
        if out != doc:
            print("docs/kb.md's rule tables differ from the packs: run python3 scripts/kb-rule-tables.py .",
                  file=sys.stderr)
            return 1
        return 0
    with open(path, "w", encoding="utf-8") as f:
        f.write(out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
