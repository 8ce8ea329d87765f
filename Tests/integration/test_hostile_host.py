"""What the host can do to the agent: a stderr nobody reads (defect 6) and running out of file
descriptors (defect 7). The relay must keep relaying and /healthz must keep answering."""
from relay_scenarios import out_of_descriptors, unread_stderr


def test_a_stderr_nobody_reads_never_stops_the_relay(tmp_path):
    """1,200 refused connections log about 250 KB, more than a pipe (64 KiB) and the agent's
    log queue (128 KiB) hold: the relay goes on, byte-exact, /healthz answers, the lines that
    did not fit are counted, and SIGTERM still ends it."""
    f = unread_stderr(tmp_path, 1200)
    assert f["healthz"] == (200, b"ok\n")
    assert f["log_lines_dropped"] > 0
    assert f["exit"] == 0


def test_out_of_descriptors_neither_thread_spins(tmp_path):
    """128 descriptors (soft = hard, so the agent cannot raise it), 300 relay connections held
    open and scrapes waiting to be accepted: neither the relay's thread nor the export's spins
    (CPU over 2 s, a generous bound), /healthz answers, and once the connections close the
    relay relays again."""
    f = out_of_descriptors(tmp_path, 128, 300, 2, "--copy", "buffer")
    assert f["cpu_s"] < 0.4, f"{f['cpu_s']} s of CPU in 2 s while out of descriptors"
    assert f["healthz"] == (200, b"ok\n")
    assert f["fds"] <= 128 and f["streams_open"] > 0
    assert f["recovered"] and f["exit"] == 0
    assert "descriptors running short" in f["log"] and "descriptors available again" in f["log"]
