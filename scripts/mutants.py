"""Mutation testing of the rules in core (`make mutants`; not part of `make test`).

For each group of scripts/mutants.toml: copy the tree to a scratch folder, let mutmut mutate the group's files
and run only the group's tests against each mutant, then print killed / survived / score per group. The
survivors of each group are listed in /tmp/pingan-mutants/<group>/survivors.txt (`mutmut show NAME` there
prints one as a diff). Exit status 0 whatever the score: the score is read, not gated.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCRATCH = Path(os.environ.get("PINGAN_MUTANTS_DIR", "/tmp/pingan-mutants"))
ALSO_COPY = ["templates", "static", "conftest.py", "pytest.ini", "manage.py"]


def _tree_files() -> list[str]:
    out = subprocess.run(["git", "ls-files", "-co", "--exclude-standard"], cwd=ROOT, check=True,
                         capture_output=True, text=True).stdout
    return [line for line in out.splitlines() if line and not line.startswith(("mutants/", "bench/", "docs/"))]


def _copy_tree(dest: Path, ref: str | None) -> None:
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    if ref:  # a commit, when the working tree holds someone's half-finished change
        archive = subprocess.run(["git", "archive", ref, "pingan", "templates", "static", "conftest.py", "pytest.ini",
                                  "manage.py"], cwd=ROOT, check=True, capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", str(dest)], input=archive, check=True)
        return
    for name in _tree_files():
        source = ROOT / name
        if source.is_file():
            target = dest / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)


def _setup_cfg(group: dict, dest: Path) -> str:
    tests = [t for t in group["tests"] if (dest / t).exists()]
    lines = ["[mutmut]", "source_paths=pingan", "only_mutate="]
    lines += [f"    {path}" for path in group["mutate"]]
    lines += ["also_copy="] + [f"    {path}" for path in ALSO_COPY]
    lines += ["pytest_add_cli_args_test_selection="] + [f"    {path}" for path in tests]
    lines += ["pytest_add_cli_args=", "    -p", "    no:cacheprovider", "    -x", "    --reuse-db",
              "timeout_multiplier=10", "timeout_constant=30", "use_git_change_detection=false", ""]
    return "\n".join(lines)


def _score(dest: Path) -> dict:
    subprocess.run([str(ROOT / ".venv/bin/mutmut"), "export-cicd-stats"], cwd=dest, capture_output=True)
    stats_file = dest / "mutants" / "mutmut-cicd-stats.json"
    stats = json.loads(stats_file.read_text()) if stats_file.exists() else {}
    results = subprocess.run([str(ROOT / ".venv/bin/mutmut"), "results"], cwd=dest, capture_output=True, text=True)
    (dest / "survivors.txt").write_text(results.stdout)
    return stats


# Appended to the scratch copy's conftest.py: the stats run builds the test database once (--reuse-db), and each
# mutant's process works on its own copy of it, so two mutants never share a database and none migrates.
PER_PROCESS_DATABASE = """

def pytest_configure(config):
    import os
    import shutil

    from django.conf import settings

    template = os.environ.get("PINGAN_MUTANTS_TEST_DB")
    mutant = os.environ.get("MUTANT_UNDER_TEST", "")
    if not template or mutant in ("", "stats", "list_all_tests") or not os.path.exists(template):
        return
    copy = f"{template}.{os.getpid()}"
    shutil.copyfile(template, copy)
    settings.DATABASES["default"]["TEST"] = {**settings.DATABASES["default"].get("TEST", {}), "NAME": copy}
    from django.db import connections

    connections["default"].settings_dict["TEST"]["NAME"] = copy


def pytest_unconfigure(config):
    import os

    template = os.environ.get("PINGAN_MUTANTS_TEST_DB")
    if template:
        for suffix in ("", "-wal", "-shm"):
            try:
                os.remove(f"{template}.{os.getpid()}{suffix}")
            except OSError:
                pass
"""


def run_group(name: str, group: dict, jobs: int, ref: str | None) -> dict:
    dest = SCRATCH / name
    _copy_tree(dest, ref)
    (dest / "setup.cfg").write_text(_setup_cfg(group, dest))
    with open(dest / "conftest.py", "a") as conftest:
        conftest.write(PER_PROCESS_DATABASE)
    test_db = str(dest / "test.sqlite3")
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{dest / 'dev.sqlite3'}", "PYTHONDONTWRITEBYTECODE": "1",
           "PINGAN_TEST_DB_NAME": test_db, "PINGAN_MUTANTS_TEST_DB": test_db}
    print(f"== {name}: {', '.join(group['mutate'])}", flush=True)
    with open(dest / "mutmut.log", "w") as log:
        subprocess.run([str(ROOT / ".venv/bin/mutmut"), "run", "--max-children", str(jobs)], cwd=dest, env=env,
                       stdout=log, stderr=subprocess.STDOUT)
    return _score(dest)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("groups", nargs="*", help="groups of scripts/mutants.toml (default: all)")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--ref", help="mutate this commit instead of the working tree (e.g. HEAD)")
    args = parser.parse_args()
    config = tomllib.loads((ROOT / "scripts/mutants.toml").read_text())["groups"]
    unknown = [g for g in args.groups if g not in config]
    if unknown:
        print(f"没有这些分组：{'、'.join(unknown)}；可选：{'、'.join(config)}", file=sys.stderr)
        return 2
    rows = []
    for name in args.groups or list(config):
        stats = run_group(name, config[name], args.jobs, args.ref)
        killed = stats.get("killed", 0) + stats.get("timeout", 0)
        total = stats.get("total", 0) - stats.get("skipped", 0)  # mutants with no test count as survivors
        score = f"{100 * killed / total:.1f}%" if total else "-"
        rows.append((name, killed, stats.get("survived", 0), stats.get("no_tests", 0), total, score))
        print(f"   killed {killed}, survived {stats.get('survived', 0)}, no tests {stats.get('no_tests', 0)}, "
              f"total {total}: {score}  (survivors: {SCRATCH / name / 'survivors.txt'})", flush=True)
    print("\ngroup        killed  survived  no-tests  total  score")
    for row in rows:
        print(f"{row[0]:<12} {row[1]:>6}  {row[2]:>8}  {row[3]:>8}  {row[4]:>5}  {row[5]:>5}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
