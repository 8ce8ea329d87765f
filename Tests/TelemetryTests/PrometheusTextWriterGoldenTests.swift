import Testing
import Telemetry

/// Pins the exact bytes of `/metrics`: scripts and dashboards parse it, so any change to
/// names, label order, number formatting or escaping must show up as a failing test.
@Suite struct PrometheusTextWriterGoldenTests {
    @Test func oneStream() {
        let text = String(decoding: PrometheusTextWriter.render(SampleSnapshot.oneStream), as: UTF8.self)
        #expect(text == Self.golden)
    }

    /// Ends with a newline, like every line of the format.
    static let golden = #"""
            # HELP bpagent_start_time_seconds Wall-clock time the agent started, in seconds since the Unix epoch.
            # TYPE bpagent_start_time_seconds gauge
            bpagent_start_time_seconds 1700000000.000123
            # HELP bpagent_streams_open Streams not yet closed.
            # TYPE bpagent_streams_open gauge
            bpagent_streams_open 1
            # HELP bpagent_streams_total Streams accepted since start.
            # TYPE bpagent_streams_total counter
            bpagent_streams_total 2
            # HELP bpagent_connect_failures_total Upstream connects that failed.
            # TYPE bpagent_connect_failures_total counter
            bpagent_connect_failures_total 3
            # HELP bpagent_stream_errors_total Streams that ended in a reset or socket error.
            # TYPE bpagent_stream_errors_total counter
            bpagent_stream_errors_total 0
            # HELP bpagent_flows_evicted_total Datagram flows forgotten after being idle (their streams closed).
            # TYPE bpagent_flows_evicted_total counter
            bpagent_flows_evicted_total 4
            # HELP bpagent_flows_overflow_frames_total Datagram frames counted under the overflow stream because the flow table was full.
            # TYPE bpagent_flows_overflow_frames_total counter
            bpagent_flows_overflow_frames_total 5
            # HELP bpagent_log_lines_dropped_total Log lines given up because stderr was not read fast enough.
            # TYPE bpagent_log_lines_dropped_total counter
            bpagent_log_lines_dropped_total 6
            # HELP bpagent_stream_info Stream identity (always 1), for joining with iperf3 by address and port.
            # TYPE bpagent_stream_info gauge
            bpagent_stream_info{stream="1",proto="unixgram",local="/run/vm \"a\"\\net.sock",peer="helper\nB",upstream_local="",upstream_peer="/run/helper.sock",flow="vlan 7 udp 10.0.0.1:53 → 10.0.0.2:9",state="open"} 1
            # HELP bpagent_bytes_total Bytes delivered to the destination.
            # TYPE bpagent_bytes_total counter
            bpagent_bytes_total{stream="1",dir="c2s"} 1048576
            bpagent_bytes_total{stream="1",dir="s2c"} 512
            # HELP bpagent_writes_total Successful writes (frames, for datagram modes).
            # TYPE bpagent_writes_total counter
            bpagent_writes_total{stream="1",dir="c2s"} 16
            bpagent_writes_total{stream="1",dir="s2c"} 2
            # HELP bpagent_buffer_full_total Writes that failed with a full buffer (one per blocked write, however many retries follow).
            # TYPE bpagent_buffer_full_total counter
            bpagent_buffer_full_total{stream="1",dir="c2s",errno="EAGAIN"} 3
            bpagent_buffer_full_total{stream="1",dir="c2s",errno="ENOBUFS"} 1
            bpagent_buffer_full_total{stream="1",dir="s2c",errno="EAGAIN"} 0
            bpagent_buffer_full_total{stream="1",dir="s2c",errno="ENOBUFS"} 0
            # HELP bpagent_retries_total Write attempts repeated after a buffer-full failure, by the errno of that failure.
            # TYPE bpagent_retries_total counter
            bpagent_retries_total{stream="1",dir="c2s",errno="EAGAIN"} 7
            bpagent_retries_total{stream="1",dir="c2s",errno="ENOBUFS"} 64
            bpagent_retries_total{stream="1",dir="s2c",errno="EAGAIN"} 0
            bpagent_retries_total{stream="1",dir="s2c",errno="ENOBUFS"} 0
            # HELP bpagent_drops_total Writes given up by the retry policy.
            # TYPE bpagent_drops_total counter
            bpagent_drops_total{stream="1",dir="c2s",reason="policy"} 0
            bpagent_drops_total{stream="1",dir="c2s",reason="retry_budget"} 1
            bpagent_drops_total{stream="1",dir="c2s",reason="send_error"} 0
            bpagent_drops_total{stream="1",dir="c2s",reason="too_large"} 0
            bpagent_drops_total{stream="1",dir="c2s",reason="no_stream"} 0
            bpagent_drops_total{stream="1",dir="s2c",reason="policy"} 0
            bpagent_drops_total{stream="1",dir="s2c",reason="retry_budget"} 0
            bpagent_drops_total{stream="1",dir="s2c",reason="send_error"} 1
            bpagent_drops_total{stream="1",dir="s2c",reason="too_large"} 2
            bpagent_drops_total{stream="1",dir="s2c",reason="no_stream"} 3
            # HELP bpagent_dropped_bytes_total Bytes given up by the retry policy.
            # TYPE bpagent_dropped_bytes_total counter
            bpagent_dropped_bytes_total{stream="1",dir="c2s",reason="policy"} 0
            bpagent_dropped_bytes_total{stream="1",dir="c2s",reason="retry_budget"} 1500
            bpagent_dropped_bytes_total{stream="1",dir="c2s",reason="send_error"} 0
            bpagent_dropped_bytes_total{stream="1",dir="c2s",reason="too_large"} 0
            bpagent_dropped_bytes_total{stream="1",dir="c2s",reason="no_stream"} 0
            bpagent_dropped_bytes_total{stream="1",dir="s2c",reason="policy"} 0
            bpagent_dropped_bytes_total{stream="1",dir="s2c",reason="retry_budget"} 0
            bpagent_dropped_bytes_total{stream="1",dir="s2c",reason="send_error"} 60
            bpagent_dropped_bytes_total{stream="1",dir="s2c",reason="too_large"} 131014
            bpagent_dropped_bytes_total{stream="1",dir="s2c",reason="no_stream"} 30
            # HELP bpagent_stall_seconds Per buffer-full event: time from the first failed attempt to the write that ended it.
            # TYPE bpagent_stall_seconds histogram
            bpagent_stall_seconds_bucket{stream="1",dir="c2s",le="0.000005"} 1
            bpagent_stall_seconds_bucket{stream="1",dir="c2s",le="0.00001"} 1
            bpagent_stall_seconds_bucket{stream="1",dir="c2s",le="0.000025"} 1
            bpagent_stall_seconds_bucket{stream="1",dir="c2s",le="0.00005"} 1
            bpagent_stall_seconds_bucket{stream="1",dir="c2s",le="0.0001"} 3
            bpagent_stall_seconds_bucket{stream="1",dir="c2s",le="0.00025"} 3
            bpagent_stall_seconds_bucket{stream="1",dir="c2s",le="0.0005"} 3
            bpagent_stall_seconds_bucket{stream="1",dir="c2s",le="0.001"} 3
            bpagent_stall_seconds_bucket{stream="1",dir="c2s",le="0.0025"} 3
            bpagent_stall_seconds_bucket{stream="1",dir="c2s",le="0.005"} 3
            bpagent_stall_seconds_bucket{stream="1",dir="c2s",le="0.01"} 3
            bpagent_stall_seconds_bucket{stream="1",dir="c2s",le="0.05"} 3
            bpagent_stall_seconds_bucket{stream="1",dir="c2s",le="0.1"} 3
            bpagent_stall_seconds_bucket{stream="1",dir="c2s",le="1"} 3
            bpagent_stall_seconds_bucket{stream="1",dir="c2s",le="+Inf"} 4
            bpagent_stall_seconds_sum{stream="1",dir="c2s"} 2.000165
            bpagent_stall_seconds_count{stream="1",dir="c2s"} 4
            bpagent_stall_seconds_bucket{stream="1",dir="s2c",le="0.000005"} 0
            bpagent_stall_seconds_bucket{stream="1",dir="s2c",le="0.00001"} 0
            bpagent_stall_seconds_bucket{stream="1",dir="s2c",le="0.000025"} 0
            bpagent_stall_seconds_bucket{stream="1",dir="s2c",le="0.00005"} 0
            bpagent_stall_seconds_bucket{stream="1",dir="s2c",le="0.0001"} 0
            bpagent_stall_seconds_bucket{stream="1",dir="s2c",le="0.00025"} 0
            bpagent_stall_seconds_bucket{stream="1",dir="s2c",le="0.0005"} 0
            bpagent_stall_seconds_bucket{stream="1",dir="s2c",le="0.001"} 0
            bpagent_stall_seconds_bucket{stream="1",dir="s2c",le="0.0025"} 0
            bpagent_stall_seconds_bucket{stream="1",dir="s2c",le="0.005"} 0
            bpagent_stall_seconds_bucket{stream="1",dir="s2c",le="0.01"} 0
            bpagent_stall_seconds_bucket{stream="1",dir="s2c",le="0.05"} 0
            bpagent_stall_seconds_bucket{stream="1",dir="s2c",le="0.1"} 0
            bpagent_stall_seconds_bucket{stream="1",dir="s2c",le="1"} 0
            bpagent_stall_seconds_bucket{stream="1",dir="s2c",le="+Inf"} 0
            bpagent_stall_seconds_sum{stream="1",dir="s2c"} 0
            bpagent_stall_seconds_count{stream="1",dir="s2c"} 0
            # HELP bpagent_stall_max_seconds Longest single stall so far.
            # TYPE bpagent_stall_max_seconds gauge
            bpagent_stall_max_seconds{stream="1",dir="c2s"} 2
            bpagent_stall_max_seconds{stream="1",dir="s2c"} 0
            # HELP bpagent_retries_per_event_max Most retries a single buffer-full event needed.
            # TYPE bpagent_retries_per_event_max gauge
            bpagent_retries_per_event_max{stream="1",dir="c2s"} 64
            bpagent_retries_per_event_max{stream="1",dir="s2c"} 0
            # HELP bpagent_queued_bytes Bytes waiting inside the agent right now.
            # TYPE bpagent_queued_bytes gauge
            bpagent_queued_bytes{stream="1",dir="c2s"} 4096
            bpagent_queued_bytes{stream="1",dir="s2c"} 0
            # HELP bpagent_frames_received_total Frames taken from the source (datagram modes; frames received = writes + drops).
            # TYPE bpagent_frames_received_total counter
            bpagent_frames_received_total{stream="1",dir="c2s"} 18
            bpagent_frames_received_total{stream="1",dir="s2c"} 8
            # HELP bpagent_received_bytes_total Bytes of the frames taken from the source (datagram modes).
            # TYPE bpagent_received_bytes_total counter
            bpagent_received_bytes_total{stream="1",dir="c2s"} 1054172
            bpagent_received_bytes_total{stream="1",dir="s2c"} 131616
            # HELP bpagent_frames_malformed_total Frames forwarded unchanged whose headers could not all be parsed, by defect.
            # TYPE bpagent_frames_malformed_total counter
            bpagent_frames_malformed_total{stream="1",dir="c2s",defect="truncated"} 2
            bpagent_frames_malformed_total{stream="1",dir="c2s",defect="malformed"} 0
            bpagent_frames_malformed_total{stream="1",dir="s2c",defect="truncated"} 0
            bpagent_frames_malformed_total{stream="1",dir="s2c",defect="malformed"} 1
            # HELP bpagent_retry_seconds_total Time buffer-full events held the writer: spinning, sleeping between retries, or in retries from the event loop.
            # TYPE bpagent_retry_seconds_total counter
            bpagent_retry_seconds_total{stream="1",dir="c2s",how="spin"} 0
            bpagent_retry_seconds_total{stream="1",dir="c2s",how="sleep"} 2.0001
            bpagent_retry_seconds_total{stream="1",dir="c2s",how="wait"} 0.000065
            bpagent_retry_seconds_total{stream="1",dir="s2c",how="spin"} 0
            bpagent_retry_seconds_total{stream="1",dir="s2c",how="sleep"} 0
            bpagent_retry_seconds_total{stream="1",dir="s2c",how="wait"} 0
            # HELP bpagent_kernel_drops_total Datagrams the kernel dropped because the agent's socket receive queue was full (UDP relay).
            # TYPE bpagent_kernel_drops_total counter
            bpagent_kernel_drops_total{stream="1",dir="c2s"} 0
            bpagent_kernel_drops_total{stream="1",dir="s2c"} 9
            # HELP bpagent_wait_recoveries_total Buffer-full events under wait that ended in a write, by what made the retry: the writable event or the retry timer.
            # TYPE bpagent_wait_recoveries_total counter
            bpagent_wait_recoveries_total{stream="1",dir="c2s",how="event"} 2
            bpagent_wait_recoveries_total{stream="1",dir="c2s",how="timer"} 1
            bpagent_wait_recoveries_total{stream="1",dir="s2c",how="event"} 0
            bpagent_wait_recoveries_total{stream="1",dir="s2c",how="timer"} 0

            """#
}
