"""Every key the help lists has a visible effect: pressed in bptop in tmux (120×40) while
iperf3 -P 4 --bidir runs through bpagent, each one changes what the screen shows."""
import re
import subprocess
import time
from types import SimpleNamespace

import pytest

from harness import Agent, free_port, iperf_server, stop_process
from tui import Tmux, bptop_path, reverse_rows, strip_sgr

HINTS = "q quit  ? help  s sort  b bits/bytes  space pause"


@pytest.fixture(scope="module")
def screen(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("keys")
    s = SimpleNamespace(tmux=Tmux(tmp), procs=[], agent=None)
    try:
        server_port, listen = free_port(), free_port()
        s.procs.append(iperf_server(tmp, server_port))
        s.agent = Agent(tmp, listen, server_port)
        s.procs.append(subprocess.Popen(["iperf3", "-c", "127.0.0.1", "-p", str(listen), "-P", "4", "--bidir",
                                         "-t", "60", "-b", "20M"], stdout=open(tmp / "iperf3.log", "wb"),
                                        stderr=subprocess.STDOUT))
        s.tmux.start("k", [bptop_path(), "--source", f"unix:{s.agent.sock}"])
        yield s.tmux
    finally:
        s.tmux.close()
        for p in reversed(s.procs):
            stop_process(p)
        if s.agent is not None:
            s.agent.stop()


def rows(lines):
    start = next((i for i, l in enumerate(lines) if "local → peer" in l), len(lines)) + 1
    out = []
    for line in lines[start:]:
        if not re.match(r"^│\d", line):
            break
        out.append(line)
    return out


def selection(t):
    escaped = t.screen("k", escapes=True)
    plain = [strip_sgr(x) for x in escaped]
    start = next(i for i, l in enumerate(plain) if "local → peer" in l) + 1
    return [i - start for i in reverse_rows(escaped) if i >= start]


def press(t, key, predicate, what):
    t.keys("k", key)
    return t.wait_screen("k", predicate, what=f"{key}: {what}")


def test_every_key_in_the_help_changes_the_screen(screen):
    t = screen
    lines = t.wait_screen("k", lambda l: len(rows(l)) >= 8 and "idle rows hidden" in "\n".join(l),
                          what="8 busy rows, the idle ones hidden")
    busy = len(rows(lines))

    # Help: ?, h and F1 open it; any of them (and Esc) closes it.
    for opener, closer in [("?", "h"), ("h", "F1"), ("F1", "Escape")]:
        press(t, opener, lambda l: any("─ Help ─" in x for x in l), "help opens")
        press(t, closer, lambda l: not any("─ Help ─" in x for x in l), "help closes")

    # Selection: j/k, Down/Up, PgDn/PgUp, End/Home move the reverse-video row.
    t.keys("k", "j")
    assert wait_selection(t, [0])
    # The last row is read when the key is pressed: under load a row may turn busy or idle meanwhile.
    def last_row():
        return [len(rows(t.screen("k"))) - 1]
    for key, want in [("j", [1]), ("Down", [2]), ("k", [1]), ("Up", [0]), ("NPage", last_row), ("PPage", [0]),
                      ("End", last_row), ("Home", [0])]:
        t.keys("k", key)
        assert wait_selection(t, want), f"{key}: selection {selection(t)} != {want() if callable(want) else want}"

    # Enter focuses the selected stream (its lines join the legend); Esc goes back.
    press(t, "Enter", lambda l: l[-1].startswith("focused on ") and re.search(r"c2s  s2c  \d+ c2s  \d+ s2c", l[3]),
          "focus in the legend")
    press(t, "Escape", lambda l: l[-1] == HINTS and re.search(r"│\s+c2s  s2c\s+│$", l[3]), "focus ended")

    # space and p pause and resume.
    press(t, "Space", lambda l: "PAUSED" in l[0], "paused")
    press(t, "p", lambda l: "PAUSED" not in l[0], "resumed")

    # + and - change the scrape interval; [ and ] the chart window (and its time axis).
    press(t, "+", lambda l: l[-1] == "interval 2000 ms", "interval up")
    press(t, "-", lambda l: l[-1] == "interval 1000 ms", "interval down")
    press(t, "[", lambda l: l[-1] == "window 30s (30 samples)", "window down")
    press(t, "]", lambda l: l[-1] == "window 1m00s (60 samples)", "window up")

    # s and S sort, naming the column; the header's arrow moves.
    press(t, "s", lambda l: l[-1] == "sorted by stream ▼" and "stream▼" in "\n".join(l), "sort by stream")
    press(t, "S", lambda l: l[-1] == "sorted by stream ▲" and "stream▲" in "\n".join(l), "reverse sort")

    # b: bytes per second; again: bits.
    press(t, "b", lambda l: l[-1] == "rates in bytes/s" and "B/s" in l[1], "bytes")
    press(t, "b", lambda l: l[-1] == "rates in bits/s" and "b/s" in l[1], "bits")

    # i: the idle half of each --bidir connection shows, and hides again.
    shown = press(t, "i", lambda l: l[-1] == "idle rows shown (i: hide)" and len(rows(l)) > busy, "idle rows shown")
    press(t, "i", lambda l: l[-1] == "idle rows hidden (i: show)" and len(rows(l)) < len(rows(shown)), "idle rows hidden")


def wait_selection(t, want):
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if selection(t) == (want() if callable(want) else want):
            return True
        time.sleep(0.1)
    return False
