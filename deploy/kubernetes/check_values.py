"""Check deploy/kubernetes/values.yaml against the Zero to JupyterHub chart's own schema.

    python deploy/kubernetes/check_values.py PATH/TO/zero-to-jupyterhub-k8s/jupyterhub

The chart's default values (``values.yaml``) are merged with ours, as Helm
merges them, and the result is validated against ``values.schema.yaml``
with jsonschema.  The chart is not part of this project, so this check
needs a checkout of it; Helm itself (``helm template``) does more (it also
renders the templates) where it is installed.
"""

from __future__ import annotations

import sys
from pathlib import Path

import jsonschema
import yaml


def merged(base: dict, ours: dict) -> dict:
    out = dict(base)
    for key, value in ours.items():
        out[key] = merged(out[key], value) if isinstance(value, dict) and isinstance(out.get(key), dict) else value
    return out


def main(chart: Path) -> int:
    ours = yaml.safe_load((Path(__file__).parent / "values.yaml").read_text())
    values = merged(yaml.safe_load((chart / "values.yaml").read_text()), ours)
    schema = yaml.safe_load((chart / "values.schema.yaml").read_text())
    problems = sorted(jsonschema.Draft7Validator(schema).iter_errors(values), key=lambda e: list(e.path))
    for problem in problems:
        print(f"{'.'.join(map(str, problem.path)) or '(top)'}: {problem.message}")
    print(f"{len(problems)} problem(s) with deploy/kubernetes/values.yaml against {chart}")
    return 1 if problems else 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    sys.exit(main(Path(sys.argv[1])))
