"""bptop --once [--json] against hostile Prometheus sources (issue 16): malformed HTTP, bodies over
the limit or without end, garbage, huge lines, many series, escapes and wide or right-to-left
text, counters going backwards, NaN and infinities, a source that refuses and comes back.

Every case: bptop exits (0 with a table, or 1 with one clear line naming the source), never
crashes or hangs, and its peak RSS stays under the bound the case states. The sizes here are
CI's; Scripts/hostile-sources runs the same file with HOSTILE_LONG=1 (50 MB of metrics,
200,000 series) against a release build and prints the figures.

Cases whose failure lies in the dashboard or terminal code (being restructured in issue 9) are
marked xfail with the reason.
"""
import json
import os
import re
import socket
import time

import pytest

from hostile import HostileServer, counters, counters_of_size, endless, ok, random_binary, run_bptop, serving

LONG = os.environ.get("HOSTILE_LONG") == "1"
FIGURES = os.environ.get("HOSTILE_FIGURES")
MB = 1_000_000
# Peak RSS of bptop for a source that sends at most the 64 MiB body limit: the body itself
# (grown by doubling) plus the program.
LIMITED_RSS_KIB = 200 * 1024


def once(url, *extra, timeout=None):
    """(status, stdout, stderr, peak RSS KiB) of `bptop --once` with the generic dashboard."""
    start = time.monotonic()
    result = run_bptop("--source", url, "--once", "--interval", "100ms", "--dashboard", "prometheus-generic", *extra,
                       timeout=timeout or (600 if LONG else 120))
    if FIGURES:
        with open(FIGURES, "a") as f:
            f.write(json.dumps({"case": os.environ.get("PYTEST_CURRENT_TEST", "").split(" ")[0], "status": result[0],
                                "seconds": round(time.monotonic() - start, 2), "rss_mb": result[3] // 1024}) + "\n")
    return result


def one_error(result, url):
    """The message of a run that failed with exactly one error line naming `url`."""
    status, out, err, _ = result
    assert status == 1, (status, err[-2000:])
    assert out == ""
    lines = err.splitlines()
    assert len(lines) == 1, err[-2000:]
    prefix = f"bptop: error: {url}: "
    assert lines[0].startswith(prefix), lines[0]
    return lines[0][len(prefix):]


def table_rows(out):
    lines = out.splitlines()
    assert lines[0].split() == ["series", "rate", "avg", "max"], out[:500]
    return lines[1:]


def test_asks_for_utf8_names():
    with HostileServer(serving([ok(counters(3, 0)), ok(counters(3, 1))])) as server:
        status, out, err, _ = once(server.url)
    assert status == 0, err
    assert len(server.requests) == 2
    assert "\r\nAccept: text/plain;version=0.0.4;escaping=allow-utf-8\r\n" in server.requests[0]


def test_quoted_utf8_names_are_read_and_shown():
    """What a current client library sends for `escaping=allow-utf-8` (issue 18)."""
    def doc(n):
        return ('# HELP "my.requests" Requests.\n# TYPE "my.requests" counter\n'
                f'{{"my.requests","http.method"="GET"}} {n}\n'
                f'"my.requests"{{"http.method"="POST"}} {2 * n}\n').encode()
    with HostileServer(serving([ok(doc(0)), ok(doc(100))])) as server:
        status, out, err, _ = once(server.url, "--json")
    assert status == 0, err
    rows = json.loads(out)["streams"]
    assert [r["series"] for r in rows] == ['my.requests{http.method="POST"}', 'my.requests{http.method="GET"}']
    assert rows[0]["rate_per_second"] == pytest.approx(2 * rows[1]["rate_per_second"])


CHUNKED = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"


@pytest.mark.parametrize("response, message", [
    # The four crashes of issue 16 (SIGILL, exit 132), then more of the same kind.
    (CHUNKED + b"\r\n", "malformed chunk size"),
    (CHUNKED + b"7fffffffffffffff\r\nabc", "response body larger than the 64 MiB limit"),
    (CHUNKED + b"3\r\nabcXY", "malformed chunked body (no CRLF after a chunk)"),
    (b"HTTP/1.1 200 OK\r\nContent-Length: -5\r\n\r\nabc", "malformed Content-Length: -5"),
    (CHUNKED + b"3\r\nabc", "response ended before the chunked body did"),
    (CHUNKED + b"ffffffffffffffffffff\r\n", "malformed chunk size"),
    (b"HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999999\r\n\r\n", "response body larger than the 64 MiB limit"),
    (b"HTTP/1.1 200 OK\r\nContent-Length: 70000000\r\n\r\n", "response body larger than the 64 MiB limit"),
    (b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nabcdef", "conflicting Content-Length headers"),
    (b"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\n\r\n\x1f\x8b\x08\x00", "unsupported Content-Encoding: gzip"),
    (b"HTTP/1.1 200 OK\r\n" + b"X-Pad: " + b"a" * 70000 + b"\r\n\r\n", "HTTP header larger than 64 KiB"),
    (b"HTTP/1.1 99999999999 OK\r\n\r\n", "malformed HTTP status line"),
    (b"\x00\xff" * 1000, "malformed HTTP response (no header end)"),
    (b"HTTP/1.1 302 Found\r\nLocation: /elsewhere\r\nContent-Length: 0\r\n\r\n", "HTTP 302 Found"),
])
def test_malformed_http_is_one_error_line(response, message):
    with HostileServer(serving([response])) as server:
        result = once(server.url)
    assert one_error(result, server.url) == message
    assert result[3] < LIMITED_RSS_KIB


def test_endless_body_stops_at_the_limit():
    with HostileServer(endless) as server:
        result = once(server.url)
    assert one_error(result, server.url) == "response body larger than the 64 MiB limit"
    assert result[3] < LIMITED_RSS_KIB


def test_body_that_stops_coming_times_out():
    def trickle(conn, n):
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n# TYPE slow_total counter\n")
        while True:
            time.sleep(0.5)
            conn.sendall(b"#")
    with HostileServer(trickle) as server:
        result = once(server.url)
    assert one_error(result, server.url) == "timed out after 5000 ms"


def test_large_valid_metrics():
    """4 MB (50 MB long) of valid counters: the 20 fastest are shown."""
    size = (50 if LONG else 4) * MB
    with HostileServer(serving([ok(counters_of_size(size, 0)), ok(counters_of_size(size, 1), chunked=True)])) as server:
        status, out, err, rss = once(server.url, "--json")
    assert status == 0, err[-2000:]
    rows = json.loads(out)["streams"]
    assert len(rows) == 20
    # Series i grows by 1000 + i per scrape: the highest numbers are the fastest.
    assert f'series="{size // 100 - 1:07d}"' in rows[0]["series"]
    assert rss < 200 * 1024 + size // 1024 * 8, f"{rss // 1024} MB"


def test_many_series():
    """20,000 (200,000 long) series of one counter."""
    series = 200_000 if LONG else 20_000
    with HostileServer(serving([ok(counters(series, 0)), ok(counters(series, 1))])) as server:
        status, out, err, rss = once(server.url, "--json")
    assert status == 0, err[-2000:]
    rows = json.loads(out)["streams"]
    assert [r["series"] for r in rows[:2]] == [f'hostile_total{{pad="",series="{series - 1:07d}"}}',
                                                 f'hostile_total{{pad="",series="{series - 2:07d}"}}']
    assert len(rows) == 20
    assert rss < 100 * 1024 + series * 2, f"{rss // 1024} MB"


def test_random_binary_is_not_an_exposition():
    """Not one sample in it: the source failed (exit 1, no source answered), never an empty
    source that looks fine; read as skipped lines in bounded memory all the same."""
    size = (50 if LONG else 1) * MB
    with HostileServer(serving([ok(random_binary(size, 1)), ok(random_binary(size, 2))])) as server:
        result = once(server.url)
    message = one_error(result, server.url)
    assert re.fullmatch(r"not a metrics exposition \(no sample in it; \d+ lines could not be read\)", message), message
    rss = result[3]
    assert rss < LIMITED_RSS_KIB + size // 1024 * 3


def test_skipped_lines_are_reported_per_source():
    body = b"# TYPE good_total counter\ngood_total 1\n" + random_binary(100_000, 1)
    with HostileServer(serving([ok(body)])) as server:
        status, out, err, _ = once(server.url)
    assert status == 0
    assert server.url in err and "skipped" in err


def test_one_ten_million_character_line():
    """A label value of 10 M characters next to a normal series, and a 10 M-character line of
    garbage without its newline at the end."""
    huge = "v" * 10_000_000
    def doc(scrape):
        return (f'# TYPE big_total counter\nbig_total{{v="{huge}"}} {scrape * 10}\nsmall_total {scrape * 5}\n'
                + "x" * 10_000_000).encode()
    with HostileServer(serving([ok(doc(0)), ok(doc(1))])) as server:
        status, out, err, rss = once(server.url, "--json")
    assert status == 0, err[-2000:]
    rows = {r["series"][:20]: r for r in json.loads(out)["streams"]}
    assert set(rows) == {'big_total{v="vvvvvvv', "small_total"}
    assert len(next(r for r in rows.values() if r["series"].startswith("big"))["series"]) == len(huge) + len('big_total{v=""}')
    assert rss < LIMITED_RSS_KIB + 200 * 1024


# Label values a hostile or careless exporter may send: escapes of the format, wide glyphs,
# a ZWJ family emoji, combining accents, right-to-left text, terminal control sequences.
ODD_VALUES = ['new\\nline', 'quote\\"d', 'back\\\\slash', '宽字符宽字符', '👩\u200d👩\u200d👧\u200d👦', 'e\u0301\u0301',
              'עברית', 'عربي', '\x1b[31mred\x1b[0m', '\x07bell\x08']
ODD_DECODED = ['new\nline', 'quote"d', 'back\\slash', *ODD_VALUES[3:]]


def odd_document(scrape):
    lines = ["# TYPE odd_total counter"]
    lines += [f'odd_total{{i="{i}",v="{v}"}} {scrape * 100 + i}' for i, v in enumerate(ODD_VALUES)]
    return ("\n".join(lines) + "\n").encode()


def test_odd_label_values_reach_json_exactly():
    with HostileServer(serving([ok(odd_document(0)), ok(odd_document(1))])) as server:
        status, out, err, _ = once(server.url, "--json")
    assert status == 0, err
    rows = json.loads(out)["streams"]
    assert sorted(r["series"] for r in rows) == sorted(f'odd_total{{i="{i}",v="{v}"}}' for i, v in enumerate(ODD_DECODED))
    assert all(r["rate_per_second"] > 0 for r in rows)


def test_odd_label_values_print_safely():
    with HostileServer(serving([ok(odd_document(0)), ok(odd_document(1))])) as server:
        status, out, err, _ = once(server.url)
    assert status == 0, err
    assert not any(c in out for c in "\x1b\x07\x08")
    rows = table_rows(out)
    assert len(rows) == len(ODD_VALUES)
    # No value broke its row: each still ends with its three figures (the columns' alignment by
    # display width is pinned on PlainTable itself, in the unit tests).
    assert all(re.search(r"  \S+/s  \S+/s  \S+/s$", row) for row in rows), rows


def test_counter_going_backwards_counts_from_zero():
    with HostileServer(serving([ok(b"# TYPE back_total counter\nback_total 1000\n"),
                                ok(b"# TYPE back_total counter\nback_total 10\n")])) as server:
        status, out, err, _ = once(server.url, "--json")
    assert status == 0, err
    [row] = json.loads(out)["streams"]
    # A reset: the 10 counted since it, over at least the 100 ms between the scrapes.
    assert row["series"] == "back_total"
    assert 0 < row["rate_per_second"] <= 100


NON_FINITE = (b'# TYPE nf_total counter\nnf_total{k="nan"} NaN\nnf_total{k="inf"} +Inf\nnf_total{k="ninf"} -Inf\n'
              b'nf_total{k="ok"} %d\n')


def test_nan_and_infinities_are_null_in_json():
    with HostileServer(serving([ok(NON_FINITE % 0), ok(NON_FINITE % 50)])) as server:
        status, out, err, _ = once(server.url, "--json")
    assert status == 0, err
    rows = {r["series"]: r for r in json.loads(out)["streams"]}
    # The store keeps NaN as a gap, so the NaN series has no value at all and no row.
    assert set(rows) == {f'nf_total{{k="{k}"}}' for k in ("inf", "ninf", "ok")}
    for k in ("inf", "ninf"):
        assert rows[f'nf_total{{k="{k}"}}']["rate_per_second"] is None
    assert rows['nf_total{k="ok"}']["rate_per_second"] > 0


def test_nan_and_infinities_print_as_a_dash():
    with HostileServer(serving([ok(NON_FINITE % 0), ok(NON_FINITE % 50)])) as server:
        status, out, err, _ = once(server.url)
    assert status == 0, err
    assert "NaN" not in out and "Inf" not in out.replace('"inf"', "").replace('"ninf"', "")


def test_source_that_refuses_and_comes_back():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}/metrics"
    assert one_error(once(url), url) == "connect: Connection refused"
    with HostileServer(serving([ok(counters(2, 0)), ok(counters(2, 1))]), port=port) as server:
        status, out, err, _ = once(server.url)
    assert status == 0, err
    assert len(table_rows(out)) == 2


def test_failing_source_beside_a_healthy_one_is_named():
    with HostileServer(serving([CHUNKED + b"\r\n"])) as bad, \
            HostileServer(serving([ok(counters(2, 0)), ok(counters(2, 1))])) as good:
        status, out, err, _ = run_bptop("--source", good.url, "--source", bad.url, "--once", "--interval", "100ms",
                                        "--dashboard", "prometheus-generic", timeout=60)
    # The script contract: some sources failed is exit 2, each named on stderr; the table shows the rest.
    assert status == 2, err
    assert len(table_rows(out)) == 2
    assert err.splitlines() == [f"bptop: error: {bad.url}: malformed chunk size"]
