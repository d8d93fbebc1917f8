"""The demo's supervisor stops every process it started, their own children included."""

import os
import sys
import time

from dashboard.supervisor import Supervisor

# A child that starts a grandchild of its own and ignores SIGTERM, as a stubborn worker pool might; it
# writes the grandchild's pid to the file named by its argument.
STUBBORN = (
    "import pathlib, signal, subprocess, sys, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); "
    "grandchild = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)']); "
    "pathlib.Path(sys.argv[1]).write_text(str(grandchild.pid)); time.sleep(60)"
)


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    with open(f"/proc/{pid}/stat") as stat:  # a zombie is dead, just not yet reaped
        return stat.read().rsplit(")", 1)[1].split()[0] != "Z"


def test_stop_all_leaves_no_process_behind(tmp_path) -> None:
    supervisor = Supervisor(env=dict(os.environ))
    pid_file = tmp_path / "grandchild.pid"
    child = supervisor.start("child", [sys.executable, "-c", STUBBORN, str(pid_file)])
    deadline = time.monotonic() + 10
    while not pid_file.exists() or not pid_file.read_text():
        assert time.monotonic() < deadline, "the child did not start its grandchild"
        time.sleep(0.05)
    grandchild = int(pid_file.read_text())

    supervisor.stop_all(timeout=1)

    assert child.process.poll() is not None
    deadline = time.monotonic() + 5
    while alive(grandchild) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not alive(grandchild)
