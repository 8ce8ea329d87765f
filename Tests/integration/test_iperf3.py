"""Real iperf3 through the relay: every stream shows up and its bytes match iperf3's."""
import json
import subprocess

from harness import Agent, free_port, stream_for_peer_port, stream_state, value, wait_listening, wait_until


def test_iperf3_parallel_bidir_matches_export(tmp_path):
    server_port = free_port()
    server = subprocess.Popen(["iperf3", "-s", "-1", "-p", str(server_port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_listening(server_port)
        with Agent(tmp_path, free_port(), server_port) as agent:
            run = subprocess.run(["iperf3", "-c", "127.0.0.1", "-p", str(agent.listen_port),
                                  "-P", "8", "--bidir", "-t", "5", "-b", "200M", "--json"],
                                 capture_output=True, timeout=60)
            assert run.returncode == 0, run.stdout.decode()[-2000:] + run.stderr.decode()
            # -b keeps every stream below what the machine can carry: unpaced streams end with
            # megabytes queued in socket buffers, which iperf3's sender counts and its receiver
            # (stopping on a timer) does not, so neither would be the agent's count within 1 %.
            report = json.loads(run.stdout)
            ports = {c["socket"]: c["local_port"] for c in report["start"]["connected"]}
            assert len(ports) == 16

            samples = agent.samples()
            info = [l for n, l, _ in samples if n == "bpagent_stream_info"]
            assert len(info) == 17, "16 data streams plus the control connection"
            data_ids = {stream_for_peer_port(samples, p) for p in ports.values()}
            control = [l for l in info if l["stream"] not in data_ids]
            assert len(control) == 1
            for l in info:
                wait_until(lambda: stream_state(agent.samples(), l["stream"]) in ("closed", "reset"),
                           what=f"stream {l['stream']} ended")
            samples = agent.samples()

            for stream in report["end"]["streams"]:
                sender = stream["sender"]
                sid = stream_for_peer_port(samples, ports[sender["socket"]])
                # The client sends on its TX streams (c2s) and receives on its RX streams (s2c).
                data_dir, idle_dir = ("c2s", "s2c") if sender["sender"] else ("s2c", "c2s")
                # The client opens each data stream with a 37-byte cookie that iperf3 does not count.
                cookie = 37 if data_dir == "c2s" else 0
                agent_bytes = value(samples, "bpagent_bytes_total", stream=sid, dir=data_dir) - cookie
                received = stream["receiver"]["bytes"]
                # The agent counts bytes handed to the destination's kernel: at least what the
                # receiving iperf3 read, at most what the sending iperf3 wrote. At the end iperf3
                # closes data streams while data is in flight (the closer's kernel resets), so
                # the agent matches the receiver when the reset hits the agent's upstream side
                # (c2s) and the sender when it hits the client side (s2c).
                assert received <= agent_bytes <= sender["bytes"], (sid, received, agent_bytes, sender["bytes"])
                nearest = min(agent_bytes - received, sender["bytes"] - agent_bytes)
                assert nearest <= 0.01 * received, \
                    f"stream {sid} {data_dir}: agent {agent_bytes} vs iperf3 {received}..{sender['bytes']}"
                # Only the 37-byte cookie travels against the data, from the client.
                assert value(samples, "bpagent_bytes_total", stream=sid, dir=idle_dir) == (37 if idle_dir == "c2s" else 0)
    finally:
        server.kill()
        server.wait()
