"""Import every module of floor and hardware_sim on its own, each in a fresh child process; print the failures.

Run in a fresh interpreter (`python -m tests.architecture.import_each`): it imports the modules
outside floor that floor loads (SQLAlchemy, Flask, ..., as a scratch interpreter that imported all of
floor reports them) once, then forks one child per module, which imports that module alone and exits. Forking from a parent that holds no floor module is what makes
each import alone, and sharing the third-party imports is what makes 300 of them take seconds.
Prints one JSON object: {"modules": n, "failed": {module: "the error's last line"}}.
"""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("floor", "hardware_sim")
PARALLEL = 2  # children at a time (the machine has two cores)


def _loaded_by_floor(modules: list[str]) -> list[str]:
    """The modules outside floor that importing all of floor loads (asked of a scratch interpreter)."""
    script = (
        "import importlib, json, sys\n"
        f"for m in {modules!r}:\n"
        "    try:\n"
        "        importlib.import_module(m)\n"
        "    except BaseException:\n"
        "        pass\n"
        f"print(json.dumps(sorted(k for k in sys.modules if k.split('.')[0] not in {(*PACKAGES, 'tests')!r})))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True)
    return list(json.loads(done.stdout.strip().splitlines()[-1]))


def _child(module: str, write_fd: int) -> None:
    """In the forked child: import the module, report an error on the pipe, never return."""
    code = 0
    try:
        importlib.import_module(module)
    except BaseException as exc:
        code = 1
        last = traceback.format_exception_only(type(exc), exc)[-1].strip()
        os.write(write_fd, last.encode("utf-8", "replace")[:2000])
    os._exit(code)  # no atexit handlers or buffers of the parent run twice


def main() -> None:
    """Fork a child per module, PARALLEL at a time; print what failed."""
    sys.path.insert(0, str(ROOT))
    from tests.architecture.modules import module_files

    modules: dict[str, Path] = {}
    for package in PACKAGES:
        modules.update(module_files(package))
    for name in _loaded_by_floor(list(modules)):
        try:
            importlib.import_module(name)
        except BaseException:  # a module registered under another name, or one that only loads in its package
            pass
    for name in [m for m in sys.modules if m.split(".")[0] == "tests"]:
        del sys.modules[name]  # this helper's own modules: the children start without them
    leaked = sorted(m for m in sys.modules if m.split(".")[0] in PACKAGES)
    assert not leaked, f"the parent must hold no floor module before forking: {leaked[:5]}"
    failed: dict[str, str] = {}
    running: dict[int, tuple[str, int]] = {}
    todo = list(modules)

    def reap() -> None:
        pid, status = os.wait()
        module, read_fd = running.pop(pid)
        with os.fdopen(read_fd, "rb") as pipe:
            message = pipe.read().decode("utf-8", "replace")
        if os.waitstatus_to_exitcode(status) != 0:
            failed[module] = message or f"exit status {os.waitstatus_to_exitcode(status)}"

    while todo or running:
        while todo and len(running) < PARALLEL:
            module = todo.pop(0)
            read_fd, write_fd = os.pipe()
            pid = os.fork()
            if pid == 0:
                os.close(read_fd)
                _child(module, write_fd)
            os.close(write_fd)
            running[pid] = (module, read_fd)
        reap()
    print(json.dumps({"modules": len(modules), "failed": failed}))


if __name__ == "__main__":
    main()
