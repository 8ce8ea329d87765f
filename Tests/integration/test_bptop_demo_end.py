"""`bptop demo -t 10 -P 4` at 120×40 after iperf3 ends: iperf3's lines stop where it ended, the
summary panel fits with both [SUM] rows, and the summary printed on quitting fits 120 columns."""
import re
import time

from tui import SGR, Tmux, bptop_path

WIDTH = 120
# ncurses colour numbers as tmux writes them (30+n, 90+n or 38;5;n): iperf3's lines are cyan and
# magenta in the iperf3 dashboard, the agent's green and blue.
GREEN, BLUE, MAGENTA, CYAN = 2, 4, 5, 6
SUMMARY_COLUMNS = ["iperf3", "role", "bytes", "mean", "min", "max", "tcp retr", "agent", "events", "retries", "most", "stall"]


def cells(escaped_line):
    """(character, foreground colour number or None) for each character of a captured line."""
    out, fg, pos = [], None, 0
    for m in SGR.finditer(escaped_line + "\x1b[m"):
        out += [(c, fg) for c in escaped_line[pos:m.start()]]
        pos = m.end()
        parts = [int(p) if p else 0 for p in re.split("[;:]", m.group(1))] if m.group(1) else [0]
        i = 0
        while i < len(parts):
            p = parts[i]
            if p in (0, 39):
                fg = None
            elif 30 <= p <= 37 or 90 <= p <= 97:
                fg = p % 10
            elif p == 38 and i + 2 < len(parts) and parts[i + 1] == 5:
                fg = parts[i + 2] % 8
                i += 2
            elif p in (38, 48):
                i += 4 if i + 1 < len(parts) and parts[i + 1] == 2 else 2
            i += 1
    return out


def throughput_chart(escaped):
    """The throughput chart's legend line and plot rows (the cells right of its y axis, inside
    the border)."""
    plain = ["".join(c for c, _ in cells(line)) for line in escaped]
    top = next(i for i, line in enumerate(plain) if "Throughput: iperf3 and agent" in line)
    bottom = next(i for i in range(top + 1, len(plain)) if plain[i].startswith("└"))
    rows = []
    for i in range(top + 2, bottom - 1):  # below the legend, above the time axis
        row = cells(escaped[i])
        axis = "".join(c for c, _ in row).find("│", 1)
        rows.append(row[axis + 1:-1])
    return cells(escaped[top + 1]), rows


def colour_of(line, text):
    """The colour `text` is written in on a line of cells."""
    start = "".join(c for c, _ in line).index(text)
    return line[start][1]


def braille_colours(rows, columns):
    """Colours of the braille cells in the plot's columns `columns`."""
    return {fg for row in rows for c, fg in row[columns] if 0x2801 <= ord(c) <= 0x28FF}


def test_after_iperf3_ends_its_lines_stop_and_the_summary_fits(tmp_path):
    with Tmux(tmp_path) as tmux:
        status = tmp_path / "demo.status"
        tmux.start("demo", ["sh", "-c", '"$@"; echo $? > "$0"', str(status), bptop_path(), "demo", "-t", "10", "-P", "4"],
                   env={"TMPDIR": str(tmp_path)})
        tmux.wait_screen("demo", lambda l: any("8 streams, 8 of 8 joined · running" in x for x in l), timeout=30,
                         what="the demo's 8 streams joined")
        # ncurses draws top down, so a capture can catch the new title above the old rows: wait for
        # the panel's last line (the s2c headline) too.
        lines = tmux.wait_screen("demo", lambda l: any("8 of 8 joined · finished, summary" in x for x in l)
                                 and any(x.startswith("│s2c: ") for x in l), timeout=40, what="the end-of-run summary")
        ended = time.monotonic()

        # The summary panel: every column, 8 streams, both [SUM] rows (one per direction).
        header = next(x for x in lines if re.match(r"^│iperf3\S* ", x))
        assert [c for c in SUMMARY_COLUMNS if c not in header] == [], header
        assert len([x for x in lines if re.match(r"^│\d+\s+(TX-C|RX-C)\s", x)]) == 8, "\n".join(lines)
        sums = [x for x in lines if re.match(r"^│SUM\s+(TX-C|RX-C)\s", x)]
        assert len(sums) == 2 and all(len(x) == WIDTH and x.endswith("│") for x in sums), "\n".join(lines)
        assert not any(x.startswith("│rows ") for x in lines)  # nothing hidden

        # Ten seconds later the agent's lines (at 0, its streams closed) go on to now; iperf3's
        # stopped where it ended. (While both ran their lines coincide, the agent's drawn on top.)
        time.sleep(max(0.0, ended + 10 - time.monotonic()))
        legend, plot = throughput_chart(tmux.screen("demo", escapes=True))
        assert (colour_of(legend, "iperf3 c2s"), colour_of(legend, "iperf3 s2c")) == (CYAN, MAGENTA)
        last = braille_colours(plot, slice(-8, None))
        assert last & {GREEN, BLUE}, "the agent's lines do not reach now"
        assert not last & {CYAN, MAGENTA}, "an iperf3 line reaches now"

        tmux.keys("demo", "q")
        deadline = time.monotonic() + 30
        while not (status.exists() and status.read_text().endswith("\n")) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert status.read_text() == "0\n"
        printed = tmux.run("capture-pane", "-p", "-J", "-S", "-100", "-t", "demo").rstrip("\n").split("\n")

    # The summary printed on quitting: titled with the run, no line over 120 columns (-J joins
    # lines tmux wrapped), the 8 streams and both [SUM] rows.
    start = next(i for i, x in enumerate(printed) if x.startswith("iperf3 -c 127.0.0.1 "))
    summary = [x.rstrip() for x in printed[start:] if x.strip()]
    assert re.search(r" · started \d{4}-\d\d-\d\d \d\d:\d\d:\d\d · 1\d\.\d s$", summary[0]), summary[0]
    assert max(len(x) for x in summary) <= WIDTH, "\n".join(summary)
    assert len([x for x in summary if re.match(r"^\d+\s+(TX-C|RX-C)\s", x)]) == 8, "\n".join(summary)
    assert len([x for x in summary if re.match(r"^SUM\s+(TX-C|RX-C)\s", x)]) == 2, "\n".join(summary)
