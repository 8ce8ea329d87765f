/// Copies of the shipped `Dashboards/*.json`, compiled in so `--dashboard NAME` works when
/// bptop is installed away from its package. A test fails when a copy differs from its file
/// by a single byte; paste the file between the delimiters to update it.
enum EmbeddedDashboards {
    static let all: [String: String] = [
        "backpressure": backpressure, "iperf3": iperf3, "prometheus-generic": prometheusGeneric,
    ]

    static let backpressure = #"""
{
  "title": "bptop: throughput and backpressure per stream",
  "header": [
    {"label": "c2s", "unit": "bits/s", "color": "green",
     "query": {"metric": "bpagent_bytes_total", "matchers": {"dir": "c2s"}, "rate": true, "sumBy": []}},
    {"label": "s2c", "unit": "bits/s", "color": "blue",
     "query": {"metric": "bpagent_bytes_total", "matchers": {"dir": "s2c"}, "rate": true, "sumBy": []}},
    {"label": "buffer-full", "unit": "1/s",
     "query": {"metric": "bpagent_buffer_full_total", "rate": true, "sumBy": []},
     "thresholds": [{"value": 0.001, "color": "yellow"}, {"value": 1000, "color": "red"}]},
    {"label": "retries", "unit": "1/s",
     "query": {"metric": "bpagent_retries_total", "rate": true, "sumBy": []},
     "thresholds": [{"value": 0.001, "color": "yellow"}, {"value": 10000, "color": "red"}]},
    {"label": "worst stall", "unit": "s", "value": "average",
     "query": {"metric": "bpagent_stall_seconds", "sumBy": [], "quantile": 1},
     "thresholds": [{"value": 0.001, "color": "yellow"}, {"value": 0.01, "color": "red"}]}
  ],
  "panels": [
    {"type": "chart", "title": "Throughput",
     "placement": {"row": 0, "heightWeight": 2, "minHeight": 8},
     "unit": "bits/s",
     "queries": [
       {"name": "c2s", "color": "green",
        "query": {"metric": "bpagent_bytes_total", "matchers": {"dir": "c2s"}, "rate": true, "sumBy": []}},
       {"name": "s2c", "color": "blue",
        "query": {"metric": "bpagent_bytes_total", "matchers": {"dir": "s2c"}, "rate": true, "sumBy": []}}
     ],
     "focus": [
       {"name": "{stream} c2s", "color": "cyan",
        "query": {"metric": "bpagent_bytes_total", "matchers": {"dir": "c2s"}, "rate": true, "sumBy": []}},
       {"name": "{stream} s2c", "color": "magenta",
        "query": {"metric": "bpagent_bytes_total", "matchers": {"dir": "s2c"}, "rate": true, "sumBy": []}}
     ],
     "markers": {"metric": "bpagent_buffer_full_total", "rate": true, "sumBy": []}},
    {"type": "chart", "title": "Backpressure",
     "placement": {"row": 1, "heightWeight": 1, "minHeight": 6},
     "unit": "1/s",
     "queries": [
       {"name": "buffer-full/s", "color": "yellow",
        "query": {"metric": "bpagent_buffer_full_total", "rate": true, "sumBy": []}},
       {"name": "retries/s", "color": "red",
        "query": {"metric": "bpagent_retries_total", "rate": true, "sumBy": []}}
     ],
     "notes": [
       {"label": "stall p99", "unit": "s", "value": "average",
        "query": {"metric": "bpagent_stall_seconds", "sumBy": [], "quantile": 0.99}},
       {"label": "max", "unit": "s", "value": "average",
        "query": {"metric": "bpagent_stall_seconds", "sumBy": [], "quantile": 1}}
     ]},
    {"type": "table", "title": "Streams",
     "placement": {"row": 2, "heightWeight": 2, "minHeight": 6},
     "rowKey": ["instance", "stream", "dir"],
     "info": {"metric": "bpagent_stream_info"},
     "columns": [
       {"title": "stream", "id": "stream", "width": 8, "text": "{stream}", "prefixSource": true},
       {"title": "local → peer", "id": "endpoints", "width": 30, "text": "{local} → {peer}"},
       {"title": "dir", "id": "dir", "width": 4, "text": "{dir}"},
       {"title": "now", "id": "throughput_now", "width": 10, "unit": "bits/s",
        "query": {"metric": "bpagent_bytes_total", "rate": true, "sumBy": ["instance", "stream", "dir"]}},
       {"title": "avg", "id": "throughput_avg", "width": 10, "unit": "bits/s", "value": "average",
        "query": {"metric": "bpagent_bytes_total", "rate": true, "sumBy": ["instance", "stream", "dir"]}},
       {"title": "full/s", "id": "buffer_full_per_s", "width": 8, "unit": "1/s",
        "query": {"metric": "bpagent_buffer_full_total", "rate": true, "sumBy": ["instance", "stream", "dir"]}},
       {"title": "retry/s", "id": "retries_per_s", "width": 8, "unit": "1/s",
        "query": {"metric": "bpagent_retries_total", "rate": true, "sumBy": ["instance", "stream", "dir"]}},
       {"title": "p50", "id": "stall_p50_seconds", "width": 8, "unit": "s", "value": "average",
        "query": {"metric": "bpagent_stall_seconds", "sumBy": ["instance", "stream", "dir"], "quantile": 0.5}},
       {"title": "p99", "id": "stall_p99_seconds", "width": 8, "unit": "s", "value": "average",
        "query": {"metric": "bpagent_stall_seconds", "sumBy": ["instance", "stream", "dir"], "quantile": 0.99}},
       {"title": "max", "id": "stall_max_seconds", "width": 8, "unit": "s",
        "query": {"metric": "bpagent_stall_max_seconds"}},
       {"title": "queued", "id": "queued_bytes", "width": 9, "unit": "bytes",
        "query": {"metric": "bpagent_queued_bytes"}},
       {"title": "state", "id": "state", "width": 11, "text": "{state}"}
     ],
     "sort": {"column": 3, "descending": true},
     "fade": {"label": "state", "values": ["closed", "reset", "failed"]}}
  ]
}

"""#

    static let prometheusGeneric = #"""
{
  "title": "bptop: top counters by rate",
  "panels": [
    {"type": "chart", "title": "Top 5 counters by rate",
     "placement": {"row": 0, "heightWeight": 1, "minHeight": 8},
     "unit": "1/s",
     "queries": [
       {"name": "{__series__}", "color": "green", "query": {"metric": "*", "rate": true, "topK": 5}}
     ]},
    {"type": "table", "title": "Top 30 counters by rate",
     "placement": {"row": 1, "heightWeight": 1, "minHeight": 6},
     "columns": [
       {"title": "series", "id": "series", "width": 60, "text": "{__series__}", "prefixSource": true},
       {"title": "rate", "id": "rate_per_s", "width": 10, "unit": "1/s",
        "query": {"metric": "*", "rate": true, "topK": 30}},
       {"title": "avg", "id": "average_per_s", "width": 10, "unit": "1/s", "value": "average",
        "query": {"metric": "*", "rate": true, "topK": 30}},
       {"title": "max", "id": "max_per_s", "width": 10, "unit": "1/s", "value": "max",
        "query": {"metric": "*", "rate": true, "topK": 30}}
     ],
     "sort": {"column": 1, "descending": true}}
  ]
}

"""#

    static let iperf3 = #"""
{
  "title": "bptop: iperf3 joined with the agent",
  "header": [
    {"label": "iperf3", "unit": "bits/s", "color": "cyan",
     "query": {"metric": "iperf3_bytes_total", "rate": true, "sumBy": []}},
    {"label": "agent", "unit": "bits/s", "color": "green",
     "query": {"metric": "bpagent_bytes_total", "rate": true, "sumBy": []}},
    {"label": "buffer-full", "unit": "1/s",
     "query": {"metric": "bpagent_buffer_full_total", "rate": true, "sumBy": []},
     "thresholds": [{"value": 0.001, "color": "yellow"}, {"value": 1000, "color": "red"}]},
    {"label": "retries", "unit": "1/s",
     "query": {"metric": "bpagent_retries_total", "rate": true, "sumBy": []},
     "thresholds": [{"value": 0.001, "color": "yellow"}, {"value": 10000, "color": "red"}]},
    {"label": "retr", "unit": "1/s",
     "query": {"metric": "iperf3_retransmits_total", "rate": true, "sumBy": []}}
  ],
  "panels": [
    {"type": "chart", "title": "Throughput: iperf3 and agent",
     "placement": {"row": 0, "heightWeight": 2, "minHeight": 8},
     "unit": "bits/s",
     "queries": [
       {"name": "iperf3 c2s", "color": "cyan",
        "query": {"metric": "iperf3_bytes_total", "matchers": {"dir": "c2s"}, "rate": true, "sumBy": []}},
       {"name": "iperf3 s2c", "color": "magenta",
        "query": {"metric": "iperf3_bytes_total", "matchers": {"dir": "s2c"}, "rate": true, "sumBy": []}},
       {"name": "agent c2s", "color": "green",
        "query": {"metric": "bpagent_bytes_total", "matchers": {"dir": "c2s"}, "rate": true, "sumBy": []}},
       {"name": "agent s2c", "color": "blue",
        "query": {"metric": "bpagent_bytes_total", "matchers": {"dir": "s2c"}, "rate": true, "sumBy": []}}
     ],
     "markers": {"metric": "bpagent_buffer_full_total", "rate": true, "sumBy": []}},
    {"type": "chart", "title": "Backpressure",
     "placement": {"row": 1, "heightWeight": 1, "minHeight": 6},
     "unit": "1/s",
     "queries": [
       {"name": "buffer-full/s", "color": "yellow",
        "query": {"metric": "bpagent_buffer_full_total", "rate": true, "sumBy": []}},
       {"name": "retries/s", "color": "red",
        "query": {"metric": "bpagent_retries_total", "rate": true, "sumBy": []}}
     ],
     "notes": [
       {"label": "longest stall", "unit": "s", "value": "max",
        "query": {"metric": "bpagent_stall_max_seconds", "sumBy": []}}
     ]},
    {"type": "iperf3", "title": "iperf3 ⇄ agent",
     "placement": {"row": 2, "heightWeight": 3, "minHeight": 8}}
  ]
}

"""#
}
