"""The agent says where it listens (`bpagent_listen_info`), and an idle bptop tells the user
where to point iperf3 with the agent's real address, not a generic hint."""
from harness import Agent, free_port, parse_metrics
from tui import Tmux, bptop_path


def test_listen_info_names_the_bound_tcp_and_udp_address(tmp_path):
    port = free_port()
    with Agent(tmp_path, port, free_port()) as agent:
        info = sorted((l["proto"], l["address"], l["host"], l["port"])
                      for n, l, v in agent.samples() if n == "bpagent_listen_info" and v == 1)
        assert info == [("tcp", f"127.0.0.1:{port}", "127.0.0.1", str(port)),
                        ("udp", f"127.0.0.1:{port}", "127.0.0.1", str(port))]
    with Agent(tmp_path, free_port(), free_port(), "--proto", "tcp") as agent:
        assert [l["proto"] for n, l, _ in agent.samples() if n == "bpagent_listen_info"] == ["tcp"]


def test_idle_screen_says_where_to_start_iperf3(tmp_path):
    port = free_port()
    with Agent(tmp_path, port, free_port()) as agent, Tmux(tmp_path) as tmux:
        tmux.start("idle", [bptop_path(), "--source", agent.sock, "-i", "200ms"])
        hint = f"no streams yet — start iperf3 through 127.0.0.1:{port} (iperf3 -c 127.0.0.1 -p {port})"
        tmux.wait_screen("idle", lambda lines: any(hint in line for line in lines), what=hint)
