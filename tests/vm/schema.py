"""raidclusterctl's machine interface: every --json output and monitor line the tests parse is
validated against Documentation/raidclusterctl.schema.json (python3-jsonschema), so a field that
drifts in name, type or presence fails the test that saw it.

    from schema import checked
    st = checked("status", json.loads(out))      # returns the object, or raises Fail
"""
import json
import os

import jsonschema


class Fail(AssertionError):
    """An output that does not match the schema (the runners report it as a test failure)."""

PATH = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "Documentation",
                    "raidclusterctl.schema.json")
with open(PATH) as _f:
    SCHEMA = json.load(_f)
jsonschema.Draft202012Validator.check_schema(SCHEMA)
_validators = {}


def checked(kind, obj):
    """obj if it is a valid `kind` output ($defs/kind of the schema), else Fail naming why."""
    if kind not in SCHEMA["$defs"]:
        raise KeyError(f"no output kind {kind!r} in {PATH}")
    v = _validators.get(kind)
    if v is None:
        v = _validators[kind] = jsonschema.Draft202012Validator(
            dict(SCHEMA, **{"$ref": f"#/$defs/{kind}"}))
    errors = sorted(v.iter_errors(obj), key=lambda e: list(e.absolute_path))
    if errors:
        why = "\n".join(f"  at /{'/'.join(map(str, e.absolute_path))}: {e.message}"
                        for e in errors[:10])
        raise Fail(f"{kind} output does not match Documentation/raidclusterctl.schema.json:\n"
                   f"{why}\n{json.dumps(obj, indent=1)[:3000]}")
    return obj
