"""bptop end to end in a real terminal: iperf3 -P 8 through bpagent, bptop in tmux at 120×40.

The tests share one scenario (module fixture) and run in file order: the table, ASCII and
colour modes, the keys, resizing, the agent going away and coming back, and quitting. Every
check polls capture-pane until the screen shows what is expected (20 s at most).
"""
import re
import subprocess
import time
from pathlib import Path
from types import SimpleNamespace

import pytest

from harness import Agent, free_port, iperf_server, parse_metrics, stop_process, wait_until
from tui import Tmux, bptop_path, color_codes, reverse_rows, sgr_codes, strip_sgr, thread_report

TITLE = "bptop: throughput and backpressure per stream"
HINTS = "q quit  ? help  s sort  b bits/bytes  space pause"
SOURCE = "bpagent.sock"  # the agent's socket file name, as bptop names the source
RATE = r"(?:–|-|[\d.]+ [KMGTPE]?[bB]/s)"
ROW = re.compile(rf"^[│|](?P<stream>\S+)\s+(?P<endpoints>\S+)\s+(?P<dir>c2s|s2c)\s+(?P<now>{RATE})\s+(?P<avg>{RATE})\s")


def iperf_client(tmp, port, seconds):
    return subprocess.Popen(["iperf3", "-c", "127.0.0.1", "-p", str(port), "-P", "8", "-t", str(seconds),
                             "-b", "100M"], stdout=open(tmp / f"iperf3-c-{port}-{seconds}.log", "wb"),
                            stderr=subprocess.STDOUT)


def table_rows(lines):
    """The Streams table's data rows as dicts, in screen order."""
    rows, inside = [], False
    for line in lines:
        if "local → peer" in line or "local > peer" in line:
            inside = True
            continue
        if inside:
            m = ROW.match(line)
            if not m:
                break
            rows.append(m.groupdict())
    return rows


def table_header(lines):
    return next(line for line in lines if "local → peer" in line or "local > peer" in line)


def nonzero(rate):
    m = re.match(r"([\d.]+) ", rate)
    return bool(m) and float(m.group(1)) > 0


def live_c2s(lines):
    """Stream ids of c2s rows whose "now" is a non-zero rate."""
    return sorted(r["stream"] for r in table_rows(lines) if r["dir"] == "c2s" and nonzero(r["now"]))


def data_streams(agent):
    """The iperf3 data streams in the agent's export: those whose c2s bytes are large."""
    samples = parse_metrics(agent.scrape())
    return sorted(l["stream"] for n, l, v in samples
                  if n == "bpagent_bytes_total" and l["dir"] == "c2s" and v > 1_000_000)


def sort_indicator(lines):
    """The title of the column carrying the sort arrow, and the arrow."""
    header = table_header(lines)
    for token in re.findall(r"[^\s│|]+", header):
        for arrow in "▲▼":
            if arrow in token:
                return token.replace(arrow, ""), arrow
    raise AssertionError(f"no sort arrow in {header!r}")


def sort_by(tmux, session, title):
    """Presses `s` until the sort arrow is on column `title` (at most once round the columns)."""
    for _ in range(16):
        lines = tmux.screen(session)
        if sort_indicator(lines)[0] == title:
            return lines
        before = lines[-1]
        tmux.keys(session, "s")
        tmux.wait_screen(session, lambda l: l[-1].startswith("sorted by ") and l[-1] != before
                         and sort_indicator(l)[0] != sort_indicator(lines)[0], what="the sort to move")
    raise AssertionError(f"no column {title!r}")


def table_span(lines):
    """Indices of the Streams table's data rows on screen."""
    start = next(i for i, line in enumerate(lines) if "local → peer" in line) + 1
    end = start
    while end < len(lines) and ROW.match(lines[end]):
        end += 1
    return start, end


def selected(escaped):
    """Positions (0 = top) of the table rows drawn in reverse video, from a capture with escapes."""
    start, end = table_span([strip_sgr(x) for x in escaped])
    return [i - start for i in reverse_rows(escaped) if start <= i < end]


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("tui")
    s = SimpleNamespace(tmp=tmp, tmux=Tmux(tmp), procs=[], agent=None, listen=free_port())
    try:
        server_port = free_port()
        s.procs.append(iperf_server(tmp, server_port))
        s.agent = Agent(tmp, s.listen, server_port)
        s.procs.append(iperf_client(tmp, s.listen, 30))
        # A shell records bptop's exit status in a file: tmux itself is sometimes slow (>20 s
        # under load) to reap a pane's process, which is not what these tests are about.
        s.status = tmp / "bptop.status"
        s.tmux.start("main", ["sh", "-c", '"$@"; echo $? > "$0"', str(s.status),
                              bptop_path(), "--source", f"unix:{s.agent.sock}"])
        yield s
    finally:
        s.tmux.close()
        for p in reversed(s.procs):
            stop_process(p)
        if s.agent is not None:
            s.agent.stop()


def test_streams_table_shows_the_eight_iperf3_streams(live):
    t = live.tmux
    lines = t.wait_screen("main", lambda l: len(live_c2s(l)) == 8, what="8 c2s rows with traffic")
    assert live_c2s(lines) == data_streams(live.agent)
    for row in table_rows(lines):
        if row["stream"] in live_c2s(lines) and row["dir"] == "c2s":
            assert re.fullmatch(r"[\d.]+ [KMG]?b/s", row["now"]), row
    assert lines[0].startswith(TITLE + "  " + SOURCE + " ok up "), lines[0]
    assert re.match(r"c2s [\d.]+ [KMG]?b/s   s2c [\d.]+ [KMG]?b/s   buffer-full \S+   retries \S+   worst stall ",
                    lines[1]), lines[1]
    assert len(lines) == 40 and lines[-1] == HINTS
    assert lines[2].startswith("┌─ Throughput ─") and lines[2].endswith("┐") and len(lines[2]) == 120
    assert sort_indicator(lines) == ("now", "▼")


def test_ascii_draws_only_ascii(live):
    t = live.tmux
    t.start("ascii", [bptop_path(), "--ascii", "--source", f"unix:{live.agent.sock}"])
    try:
        lines = t.wait_screen("ascii", lambda l: len(live_c2s(l)) == 8, what="8 rows in --ascii")
        bad = [(i, line) for i, line in enumerate(lines) if not line.isascii()]
        assert bad == [], "non-ASCII on screen:\n" + "\n".join(f"{i}: {line}" for i, line in bad)
        assert lines[2].startswith("+- Throughput -") and lines[2].endswith("+")
        assert "local > peer" in table_header(lines)
    finally:
        t.kill_session("ascii")


@pytest.mark.parametrize("how", ["NO_COLOR=1", "--no-color"])
def test_no_color_has_no_colour_codes(live, how):
    t = live.tmux
    env = {"NO_COLOR": "1"} if how == "NO_COLOR=1" else {}
    flags = ["--no-color"] if how == "--no-color" else []
    t.start("plain", [bptop_path(), *flags, "--source", f"unix:{live.agent.sock}"], env=env)
    try:
        t.wait_screen("plain", lambda l: len(live_c2s(l)) == 8, what="8 rows without colour")
        escaped = t.screen("plain", escapes=True)
        assert color_codes(escaped) == []
        assert any(code.split(";")[0] == "1" for code in sgr_codes(escaped)), "bold title expected"
        # The same screen with colours does carry colour codes (the check above is not vacuous).
        assert color_codes(t.screen("main", escapes=True)) != []
    finally:
        t.kill_session("plain")


def test_keys_sort_select_focus_help_bytes_pause(live):
    t = live.tmux
    t.wait_screen("main", lambda l: len(live_c2s(l)) == 8, what="8 rows")

    # s: the sort arrow moves from "now" to the first column; rows are ordered by stream id.
    t.keys("main", "s")
    lines = t.wait_screen("main", lambda l: l[-1] == "sorted by stream ▼", what="sort status")
    assert sort_indicator(lines) == ("stream", "▼")
    ids = [int(r["stream"]) for r in table_rows(lines)]
    assert ids == sorted(ids, reverse=True), ids

    # j/k: the reverse-video selection moves down and up the table.
    t.keys("main", "j")
    t.wait_screen("main", lambda e: selected(e) == [0], escapes=True, what="first row selected")
    t.keys("main", "j")
    escaped = t.wait_screen("main", lambda e: selected(e) == [1], escapes=True, what="second row selected")
    t.keys("main", "j")
    t.wait_screen("main", lambda e: selected(e) == [2], escapes=True, what="third row selected")
    t.keys("main", "k")
    escaped = t.wait_screen("main", lambda e: selected(e) == [1], escapes=True, what="back to the second row")
    row = table_rows([strip_sgr(x) for x in escaped])[1]

    # Enter: focus the selected stream; the throughput chart gets its two series.
    t.keys("main", "Enter")
    want = f"focused on {SOURCE}/{row['stream']}/{row['dir']} (Esc: back)"
    lines = t.wait_screen("main", lambda l: l[-1] == want, what=want)
    assert f"c2s  s2c  {row['stream']} c2s  {row['stream']} s2c" in lines[3], lines[3]

    # ?: the help overlay; Esc closes it (and only it: the focus stays).
    t.keys("main", "?")
    lines = t.wait_screen("main", lambda l: any("┌─ Help ─" in x for x in l), what="help overlay")
    text = "\n".join(lines)
    for keys, action in [("q, Ctrl-C", "quit"), ("?, h, F1", "help (any of them closes it)"),
                         ("↑↓ / j k", "select a row"), ("PgUp PgDn", "select 10 rows up / down"),
                         ("Home End", "first / last row"), ("Enter", "focus: chart the selected stream"),
                         ("space, p", "pause the display"), ("s / S", "sort by next column / reverse"),
                         ("b", "rates in bits/s or bytes/s"), ("i", "show / hide idle rows (nothing moved)"),
                         ("full/s", "buffer-full events/s: sends that failed with EAGAIN or ENOBUFS")]:
        assert re.search(r"│ " + re.escape(keys) + r" +" + re.escape(action) + r" +│", text), f"{keys!r} not in help:\n{text}"
    t.keys("main", "Escape")
    lines = t.wait_screen("main", lambda l: not any("─ Help ─" in x for x in l), what="help closed")
    assert lines[-1] == want
    # Esc again: back from the focus.
    t.keys("main", "Escape")
    lines = t.wait_screen("main", lambda l: l[-1] == HINTS, what="focus ended")
    t.wait_screen("main", lambda l: re.match(r"│\s+c2s  s2c\s+│$", l[3]) is not None, what="legend without focus")

    # b: bytes.
    t.keys("main", "b")
    lines = t.wait_screen("main", lambda l: l[-1] == "rates in bytes/s" and "B/s" in l[1], what="bytes")
    assert re.match(r"c2s [\d.]+ [KMG]?B/s   s2c [\d.]+ [KMG]?B/s", lines[1]), lines[1]
    assert all(r["now"].endswith("B/s") for r in table_rows(lines))
    t.keys("main", "b")
    t.wait_screen("main", lambda l: l[-1] == "rates in bits/s" and "b/s" in l[1], what="bits again")

    # space: paused (the screen stays as it is while collection goes on); space again resumes.
    t.keys("main", "Space")
    paused = t.wait_screen("main", lambda l: l[0].rstrip().endswith("PAUSED"), what="PAUSED")
    assert paused[0].startswith(TITLE) and paused[-1] == "display paused (collection goes on)"
    deadline = time.monotonic() + 2.5  # more than two scrape intervals: nothing may change
    while time.monotonic() < deadline:
        assert t.screen("main") == paused, "the screen changed while paused"
        time.sleep(0.2)
    t.keys("main", "Space")
    lines = t.wait_screen("main", lambda l: "PAUSED" not in l[0] and l[-1] == HINTS, what="resumed")
    t.wait_screen("main", lambda l: l[0] != lines[0] or l[1] != lines[1], what="the header moving again")

    # s round the columns: back to "now", descending (the default order).
    lines = sort_by(t, "main", "now")
    assert sort_indicator(lines) == ("now", "▼") and lines[-1] == "sorted by now ▼"
    t.keys("main", "Escape")  # clears the status line
    t.wait_screen("main", lambda l: l[-1] == HINTS, what="key hints again")


def boxed(lines, width):
    """Every body line is part of a panel box exactly `width` wide."""
    return all(len(x) == width and x[0] in "┌│└" and x[-1] in "┐│┘" for x in lines[2:-1])


def test_resize_relayouts(live):
    t = live.tmux
    try:
        t.resize("main", 60, 20)
        lines = t.wait_screen("main", lambda l: len(l) == 20 and l[0].startswith(TITLE[:40]) and boxed(l, 60),
                              what="dashboard at 60x20")
        assert lines[-1] == HINTS
        assert lines[2].startswith("┌─ Throughput ─")
        t.resize("main", 120, 40)
        lines = t.wait_screen("main", lambda l: len(l) == 40 and boxed(l, 120) and table_rows(l),
                              what="dashboard at 120x40 again")
        assert lines[0].startswith(TITLE + "  " + SOURCE + " ")
    finally:
        t.resize("main", 120, 40)


def test_too_small_terminal_says_so(live):
    t = live.tmux
    message = "terminal too small: 30x8 (need 40x10)"
    try:
        t.resize("main", 30, 8)
        lines = t.wait_screen("main", lambda l: len(l) == 8 and l[0].startswith("terminal too small"),
                              what="too-small line")
        shown = [x for x in lines if x.strip()]
        # The whole message must be readable: on one line where it fits, else wrapped onto the
        # following lines; nothing else on the screen.
        assert " ".join(x.strip() for x in shown) == message or "".join(shown) == message, \
            "too-small screen:\n" + "\n".join(f"|{x:<30}|" for x in lines)
        t.resize("main", 40, 10)  # the minimum: a dashboard again
        t.wait_screen("main", lambda l: len(l) == 10 and l[0].startswith("bptop: "), what="dashboard at 40x10")
    finally:
        t.resize("main", 120, 40)
        t.wait_screen("main", lambda l: len(l) == 40 and boxed(l, 120), what="dashboard at 120x40 again")


def test_agent_restart_is_picked_up(live):
    t = live.tmux
    code, _ = live.agent.stop()
    assert code == 0
    lines = t.wait_screen("main", lambda l: f"{SOURCE} disconnected since " in l[0], what="disconnected")
    # The agent's socket file is gone: the header says so after the time.
    assert re.search(rf"  {re.escape(SOURCE)} disconnected since \d\d:\d\d:\d\d \(connect: No such file",
                     lines[0]), lines[0]

    server_port = free_port()
    live.procs.append(iperf_server(live.tmp, server_port))
    live.agent = Agent(live.tmp, live.listen, server_port)  # same socket path, same listen port
    started = time.monotonic()
    lines = t.wait_screen("main", lambda l: f"  {SOURCE} ok up " in l[0], what="ok again")
    up = re.search(r" ok up (\d+)s", lines[0])
    assert up and int(up.group(1)) <= time.monotonic() - started + 2, f"not the new agent's uptime: {lines[0]}"
    # No spike across the restart: nothing shows traffic before the new run starts.
    t.wait_screen("main", lambda l: "ok up" in l[0] and live_c2s(l) == [], what="no traffic after restart")

    sort_by(t, "main", "now")  # the busiest rows first
    # Select the top row (PageUp: 10 rows up), so the table scrolls back to the top: the row
    # selected earlier keeps the view on it wherever the sort puts it.
    t.keys("main", "PPage", "PPage", "PPage")
    t.wait_screen("main", lambda e: selected(e) == [0], escapes=True, what="the top row selected")
    client = iperf_client(live.tmp, live.listen, 3)
    live.procs.append(client)
    lines = t.wait_screen("main", lambda l: len(live_c2s(l)) == 8, what="8 new streams with traffic")
    client.wait(timeout=20)
    assert live_c2s(lines) == data_streams(live.agent)


def test_quit_restores_the_terminal(live):
    t = live.tmux
    pid = t.pane_pid("main")
    t.keys("main", "q")

    def exited():  # bptop's own exit: the process is gone or a zombie waiting for tmux to reap it
        try:
            return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
        except OSError:
            return True
    try:
        wait_until(exited, timeout=10, what="bptop to exit")
    except AssertionError:
        raise AssertionError(f"bptop did not exit on q; screen:\n{t.text('main')}\n{thread_report(pid)}")
    wait_until(lambda: live.status.exists() and live.status.read_text().endswith("\n"), what="bptop's exit status")
    assert live.status.read_text() == "0\n"
    assert t.info("main", "#{alternate_on}") == "0", "still on the alternate screen"
    lines = t.screen("main")
    leftover = [x for x in lines if x.strip() and not x.startswith("Pane is dead")]
    assert leftover == [], "text left in the pane:\n" + "\n".join(lines)
