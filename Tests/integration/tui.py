"""Drives a real terminal program inside tmux, for the end-to-end tests of bptop.

Every `Tmux` runs its own tmux server on a private socket (`tmux -L <unique name>`, with no
user configuration), so the tests never touch a user's tmux; `close()` kills that server.
Panes stay around after their program exits (`remain-on-exit`) so the exit status can be read.
Screens are read with `capture-pane`; conditions are polled with a timeout, never slept for.
"""
import os
import re
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# SGR escape sequences as capture-pane -e writes them.
SGR = re.compile(r"\x1b\[([0-9;:]*)m")


def bptop_path():
    """BPTOP from the environment, else the bptop next to BPAGENT, else .build/debug/bptop."""
    if "BPTOP" in os.environ:
        path = Path(os.environ["BPTOP"])
    elif "BPAGENT" in os.environ:
        path = Path(os.environ["BPAGENT"]).parent / "bptop"
    else:
        path = ROOT / ".build" / "debug" / "bptop"
    assert path.exists(), f"{path} missing: build first (swift build)"
    return str(path)


# pytest exports LINES and COLUMNS (its own terminal's size); ncurses would take them over the
# pane's real size, and a TMUX variable would point at a user's server.
CLEAN_ENV = {k: v for k, v in os.environ.items() if k not in ("LINES", "COLUMNS", "TMUX", "TMUX_PANE")}


class Tmux:
    """A private tmux server; use as a context manager."""

    def __init__(self, tmp):
        self.name = f"bptop-test-{os.getpid()}-{time.monotonic_ns()}"
        self.conf = Path(tmp) / f"{self.name}.conf"
        self.conf.write_text("set -g remain-on-exit on\nset -g history-limit 100\nset -g status off\n")

    def run(self, *args, check=True):
        out = subprocess.run(["tmux", "-L", self.name, "-f", str(self.conf), *args],
                             capture_output=True, text=True, timeout=20, env=CLEAN_ENV)
        if check:
            assert out.returncode == 0, f"tmux {' '.join(args)}: {out.stderr.strip()}"
        return out.stdout

    def start(self, session, command, width=120, height=40, env=None):
        """A detached session of width×height running `command` (a list) under a UTF-8 xterm."""
        settings = {"LANG": "C.UTF-8", "TERM": "xterm-256color", **(env or {})}
        line = " ".join(["env", "-u", "LINES", "-u", "COLUMNS", *(f"{k}={v}" for k, v in settings.items()), *map(shell_quote, command)])
        self.run("new-session", "-d", "-s", session, "-x", str(width), "-y", str(height), line)

    def screen(self, session, escapes=False):
        """The visible pane as lines (with SGR escapes when `escapes`)."""
        args = ["capture-pane", "-p", "-t", session] + (["-e"] if escapes else [])
        return self.run(*args).split("\n")[:-1]

    def text(self, session):
        return "\n".join(self.screen(session))

    def keys(self, session, *keys):
        self.run("send-keys", "-t", session, *keys)

    def resize(self, session, width, height):
        # tmux 3.x: resize-window (resize-pane alone cannot grow a detached session's window).
        self.run("resize-window", "-t", session, "-x", str(width), "-y", str(height))

    def info(self, session, fmt):
        return self.run("display-message", "-p", "-t", session, fmt).strip()

    def pane_pid(self, session):
        return int(self.info(session, "#{pane_pid}"))

    def dead_status(self, session):
        """None while the pane's program runs, else its exit status."""
        dead, _, status = self.info(session, "#{pane_dead} #{pane_dead_status}").partition(" ")
        return int(status) if dead == "1" and status else None

    def wait_screen(self, session, predicate, timeout=20, what="screen condition", escapes=False):
        """Polls capture-pane until predicate(lines) is true; returns those lines."""
        deadline = time.monotonic() + timeout
        lines = []
        while time.monotonic() < deadline:
            lines = self.screen(session, escapes=escapes)
            if predicate(lines):
                return lines
            time.sleep(0.1)
        raise AssertionError(f"timed out waiting for {what}; screen:\n" + "\n".join(lines))

    def kill_session(self, session):
        self.run("kill-session", "-t", session, check=False)

    def close(self):
        self.run("kill-server", check=False)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def shell_quote(word):
    word = str(word)
    if re.fullmatch(r"[A-Za-z0-9_./:=@%+-]+", word):
        return word
    return "'" + word.replace("'", "'\\''") + "'"


def sgr_codes(lines):
    """Every SGR parameter list in escaped lines, e.g. ['1', '0', '38;5;2']."""
    return [m.group(1) for line in lines for m in SGR.finditer(line)]


def sgr_attributes(params):
    """The attribute numbers an SGR parameter list sets, with 38/48 colours as 38 and 48."""
    parts = [int(p) if p else 0 for p in re.split("[;:]", params)] if params else [0]
    found, i = [], 0
    while i < len(parts):
        p = parts[i]
        found.append(p)
        if p in (38, 48):  # 38;5;N or 38;2;R;G;B: the arguments are not attributes
            i += 3 if i + 1 < len(parts) and parts[i + 1] == 5 else 5
        else:
            i += 1
    return found


def color_codes(lines):
    """The SGR parameter lists that set a colour (30–37, 38;…, 40–47, 48;…, 90–97, 100–107).

    39 and 49 (default colours) are resets, not colours; tmux writes them itself."""
    return [params for params in sgr_codes(lines)
            if any(30 <= a <= 38 or 40 <= a <= 48 or 90 <= a <= 97 or 100 <= a <= 107
                   for a in sgr_attributes(params))]


def reverse_rows(escaped_lines):
    """Indices of lines that turn reverse video (SGR 7) on somewhere."""
    return [i for i, line in enumerate(escaped_lines)
            if any(7 in sgr_attributes(params) for params in SGR.findall(line))]


def strip_sgr(line):
    return SGR.sub("", line)


def thread_report(pid):
    """Each thread's state and wait channel (and gdb's backtraces when gdb is installed), to
    show where a program that does not exit is stuck."""
    import shutil
    out = []
    try:
        for tid in sorted(os.listdir(f"/proc/{pid}/task"), key=int):
            base = f"/proc/{pid}/task/{tid}"
            comm = Path(f"{base}/comm").read_text().strip()
            state = Path(f"{base}/stat").read_text().rsplit(")", 1)[1].split()[0]
            wchan = Path(f"{base}/wchan").read_text().strip()
            out.append(f"thread {tid} {comm}: state {state}, wchan {wchan}")
    except OSError as error:
        out.append(f"/proc/{pid}: {error}")
    if shutil.which("gdb"):
        bt = subprocess.run(["gdb", "-p", str(pid), "-batch", "-ex", "thread apply all bt 12"],
                            capture_output=True, text=True, timeout=60)
        out += [line for line in bt.stdout.splitlines() if line.startswith(("#", "Thread"))]
    return "\n".join(out)
