#!/usr/bin/env python3
"""Validates every policy pack (kb/jurisdictions/*.yaml) against the published JSON
Schema (docs/formats/policy-pack.schema.json), and checks that the schema rejects
broken packs, so it can fail. ctest kb/pack-schema; exits 77 (skip) without
Debian's python3-jsonschema.

    python3 scripts/check-pack-schema.py [repo root]
"""
import copy
import datetime
import glob
import json
import os
import sys

try:
    import jsonschema
except ImportError:
    print("skip: python3-jsonschema not installed (apt-get install python3-jsonschema)")
    sys.exit(77)
import yaml


def as_json(value):
    """YAML as an editor's YAML language server sees it: dates stay strings."""
    if isinstance(value, dict):
        return {str(k): as_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_json(v) for v in value]
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    return value


def main(root):
    with open(os.path.join(root, "docs/formats/policy-pack.schema.json"), encoding="utf-8") as f:
        schema = json.load(f)
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    validator = cls(schema)
    failures = 0
    packs = sorted(glob.glob(os.path.join(root, "kb/jurisdictions/*.yaml")))
    if not packs:
        print("no packs under kb/jurisdictions", file=sys.stderr)
        return 1
    docs = {}
    for path in packs:
        with open(path, encoding="utf-8") as f:
            doc = as_json(yaml.safe_load(f))
        docs[path] = doc
        for err in validator.iter_errors(doc):
            failures += 1
            where = "/".join(str(p) for p in err.absolute_path)
            print(f"{os.path.relpath(path, root)}: {where}: {err.message}", file=sys.stderr)
    # The schema must be able to fail: each mutation of a real pack is rejected.
    base = docs[packs[0]]
    mutations = {
        "unknown rule kind": lambda d: d["rules"][0].__setitem__("kind", "exclud"),
        "unknown rule key": lambda d: d["rules"][0].__setitem__("bindng", True),
        "citation without instrument": lambda d: d["rules"][0]["citation"].pop("instrument"),
        "unknown selector field": lambda d: d["rules"][0].__setitem__("where", {"vendr": "huawei"}),
        "unknown function": lambda d: d["rules"][0].__setitem__("where", {"function": "gnodeb"}),
        "share_cap without max_percent": lambda d: d["rules"][0].update(kind="share_cap", params={"measure": "sites"}),
        "deadline with a bad date": lambda d: d["rules"][0].update(kind="deadline", params={"by": "end of 2027"}),
        "params on an exclude rule": lambda d: d["rules"][0].update(kind="exclude", params={"by": "2027-12-31"}),
    }
    for name, mutate in mutations.items():
        broken = copy.deepcopy(base)
        mutate(broken)
        if validator.is_valid(broken):
            failures += 1
            print(f"the schema accepts a pack with {name}", file=sys.stderr)
    print(f"{len(packs)} packs checked against the schema; {len(mutations)} broken packs rejected"
          if not failures else f"{failures} problem(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "."))
