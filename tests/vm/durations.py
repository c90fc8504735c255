"""How long each group or scenario took in the last run, kept in $RC_VM_DIR/<kind>-times.json:
the runners start the longest first, so that their two workers finish at about the same time."""
import json
import os

import rcvm


def _path(kind):
    return os.path.join(rcvm.DIR, f"{kind}-times.json")


def load(kind):
    """{name: seconds} of the last runs (empty when there were none)."""
    try:
        with open(_path(kind)) as f:
            return json.load(f)
    except (OSError, ValueError):
        return {}


def save(kind, times):
    p = _path(kind)
    with open(p + ".tmp", "w") as f:
        json.dump(times, f, indent=1, sort_keys=True)
    os.replace(p + ".tmp", p)
