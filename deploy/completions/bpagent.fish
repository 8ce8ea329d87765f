function __bpagent_should_offer_completions_for_flags_or_options -a expected_commands
    set -l non_repeating_flags_or_options $argv[2..]
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __bpagent_parse_tokens
    test "$commands" = "$expected_commands"; and return $non_repeating_flags_or_options_absent
end

function __bpagent_should_offer_completions_for_positional -a expected_commands positional_index_comparison expected_positional_index
    set -l non_repeating_flags_or_options
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __bpagent_parse_tokens
    test "$commands" = "$expected_commands" -a \( "$positional_index" "$positional_index_comparison" "$expected_positional_index" \)
end

function __bpagent_parse_tokens -S
    set -l unparsed_tokens (__bpagent_tokens -pc)
    switch $unparsed_tokens[1]
    case 'bpagent'
        __bpagent_parse_subcommand 0 'version' 'h/help'
        switch $unparsed_tokens[1]
        case 'relay'
            __bpagent_parse_subcommand 0 'listen=' 'connect=' 'buffer-size=' 'copy=' 'proto=' 'udp-idle=' 'max-udp-streams=' 'udp-sndbuf=' 'udp-rcvbuf=' 'metrics=+' 'no-metrics' 'socket-mode=' 'closed-retention=' 'max-streams=' 'export-streams=' 'log-level=' 'on-full=' 'inject=+' 'poller=' 'version' 'h/help'
        case 'unixgram'
            __bpagent_parse_subcommand 0 'listen=' 'connect=' 'bind=' 'sndbuf=' 'rcvbuf=' 'max-flows=' 'flow-idle=' 'receive-batch=' 'metrics=+' 'no-metrics' 'socket-mode=' 'closed-retention=' 'max-streams=' 'export-streams=' 'log-level=' 'on-full=' 'inject=+' 'poller=' 'version' 'h/help'
        case 'stream'
            __bpagent_parse_subcommand 0 'listen=' 'connect=' 'sndbuf=' 'rcvbuf=' 'max-flows=' 'flow-idle=' 'receive-batch=' 'metrics=+' 'no-metrics' 'socket-mode=' 'closed-retention=' 'max-streams=' 'export-streams=' 'log-level=' 'on-full=' 'inject=+' 'poller=' 'version' 'h/help'
        case 'tap'
            __bpagent_parse_subcommand 0 'tap=' 'listen=' 'connect=' 'bind=' 'read-delay=' 'sndbuf=' 'rcvbuf=' 'max-flows=' 'flow-idle=' 'receive-batch=' 'metrics=+' 'no-metrics' 'socket-mode=' 'closed-retention=' 'max-streams=' 'export-streams=' 'log-level=' 'on-full=' 'inject=+' 'poller=' 'version' 'h/help'
        case 'observe'
            __bpagent_parse_subcommand 0 'pid=+' 'unix=+' 'tcp=+' 'rate=' 'metrics=+' 'no-metrics' 'socket-mode=' 'closed-retention=' 'max-streams=' 'export-streams=' 'log-level=' 'version' 'h/help'
        case 'help'
            __bpagent_parse_subcommand -r 1 'version'
        end
    end
end

function __bpagent_tokens
    if test (string split -m 1 -f 1 -- . "$FISH_VERSION") -gt 3
        commandline --tokens-raw $argv
    else
        commandline -o $argv
    end
end

function __bpagent_parse_subcommand -S -a positional_count
    argparse -s r -- $argv
    set -l option_specs $argv[2..]
    set -l is_repeating_positional $_flag_r
    set -el _flag_r
    set -a commands $unparsed_tokens[1]
    set positional_index 0
    while true
        set -e unparsed_tokens[1]
        argparse -sn "$commands" $option_specs -- $unparsed_tokens 2> /dev/null
        set unparsed_tokens $argv
        set positional_index (math $positional_index + 1)
        for non_repeating_flag_or_option in $non_repeating_flags_or_options
            if set -ql "_flag_$(string replace -a - _ -- $non_repeating_flag_or_option)"
                set non_repeating_flags_or_options_absent 1
                break
            end
        end
        test (count $unparsed_tokens) -eq 0 -o \( -z "$is_repeating_positional" -a "$positional_index" -gt "$positional_count" \) && break
    end
end

function __bpagent_complete_directories
    set -l token (commandline -t)
    string match -- '*/' $token
    set -l subdirs $token*/
    printf %s\n $subdirs
end

function __bpagent_custom_completion
    set -x SAP_SHELL fish
    set -x SAP_SHELL_VERSION $FISH_VERSION
    set -l tokens (__bpagent_tokens -p)
    if test -z "$(__bpagent_tokens -t)"
        set -l index (count (__bpagent_tokens -pc))
        set tokens $tokens[..$index] \'\' $tokens[(math $index + 1)..]
    end
    command $tokens[1] $argv $tokens
end

complete -c 'bpagent' -f
complete -c 'bpagent' -n '__bpagent_should_offer_completions_for_flags_or_options "bpagent" version' -l 'version' -d 'Show the version.'
complete -c 'bpagent' -n '__bpagent_should_offer_completions_for_flags_or_options "bpagent" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'bpagent' -n '__bpagent_should_offer_completions_for_positional "bpagent" -eq 1' -fa 'relay' -d 'Relay TCP connections and UDP datagrams from --listen to --connect, counting backpressure per stream.'
complete -c 'bpagent' -n '__bpagent_should_offer_completions_for_positional "bpagent" -eq 1' -fa 'unixgram' -d 'Relay Ethernet frames between a VMM (--listen) and a network helper (--connect) over unix datagram sockets, counting backpressure per flow.'
complete -c 'bpagent' -n '__bpagent_should_offer_completions_for_positional "bpagent" -eq 1' -fa 'stream' -d 'Relay length-prefixed Ethernet frames between a VMM (--listen) and a network helper (--connect) over unix stream sockets, counting backpressure per flow.'
complete -c 'bpagent' -n '__bpagent_should_offer_completions_for_positional "bpagent" -eq 1' -fa 'tap' -d 'Move Ethernet frames between a TAP interface and a unix datagram socket (a VMM\'s side, for the lab). Serves metrics only when --metrics is given.'
complete -c 'bpagent' -n '__bpagent_should_offer_completions_for_positional "bpagent" -eq 1' -fa 'observe' -d 'Export the kernel\'s view of existing TCP and unix sockets (send-buffer and window limits, queues, drops), without relaying.'
complete -c 'bpagent' -n '__bpagent_should_offer_completions_for_positional "bpagent" -eq 1' -fa 'help' -d 'Show subcommand help information.'
complete -c 'bpagent' -n '__bpagent_should_offer_completions_for_flags_or_options "bpagent relay" listen' -l 'listen' -d 'Address to accept TCP connections and UDP datagrams on: HOST:PORT or [IPv6]:PORT (127.0.0.1:5202, [::1]:5202, 0.0.0.0:5202); port 0 picks a free one.' -rfka ''
complete -c 'bpagent' -n '__bpagent_should_offer_completions_for_flags_or_options "bpagent relay" connect' -l 'connect' -d 'Address to relay each connection and UDP client to: HOST:PORT or [IPv6]:PORT (where iperf3 -s listens).' -rfka ''
complete -c 'bpagent' -n '__bpagent_should_offer_completions_for_flags_or_options "bpagent relay" buffer-size' -l 'buffer-size' -d 'Bytes buffered per direction, 4k to 64m (k and m suffixes); for UDP the largest datagram relayed.' -rfka ''
complete -c 'bpagent' -n '__bpagent_should_offer_completions_for_flags_or_options "bpagent relay" copy' -l 'copy' -d 'How bytes move: splice (through a pipe, Linux) or buffer (read/send through user space).' -rfka ''
complete -c 'bpagent' -n '__bpagent_should_offer_completions_for_flags_or_options "bpagent relay" proto' -l 'proto' -d 'What to relay on --listen: tcp, udp or both (one port for both, as iperf3\'s server does; iperf3 -u needs both).' -rfka 'tcp udp both'
complete -c 'bpagent' -n '__bpagent_should_offer_completions_for_flags_or_options "bpagent relay" udp-idle' -l 'udp-idle' -d 'Seconds without a datagram after which a UDP stream is closed and its sockets freed (at most a day).' -rfka ''
complete -c 'bpagent' -n '__bpagent_should_offer_completions_for_flags_or_options "bpagent relay" max-udp-streams' -l 'max-udp-streams' -d 'UDP clients (address:port) relayed at once, 1 to 100000; datagrams of further clients are dropped and counted (reason no_stream).' -rfka ''
complete -c 'bpagent' -n '__bpagent_should_offer_completions_for_flags_or_options "bpagent relay" udp-sndbuf' -l 'udp-sndbuf' -d 'SO_SNDBUF of each UDP socket, 4k to 64m (k and m suffixes).' -rfka ''
complete -c 'bpagent' -n '__bpagent_should_offer_completions_for_flags_or_options "bpagent relay" udp-rcvbuf' -l 'udp-rcvbuf' -d 'SO_RCVBUF of each UDP socket, 4k to 64m (k and m suffixes): the burst the agent absorbs before the kernel drops.' -rfka ''
complete -c 'bpagent' -n '__bpagent_should_offer_completions_for_flags_or_options "bpagent relay"' -l 'metrics' -d 'Where to serve metrics (repeatable): unix:PATH, tcp:PORT (on 127.0.0.1), tcp:HOST:PORT or tcp:[IPv6]:PORT; port 0 picks a free one. Default: unix:/tmp/bpagent.sock.' -rfka ''
complete -c 'bpagent' -n '__bpagent_should_offer_completions_for_flags_or_options "bpagent relay" no-metrics' -l 'no-metrics' -d 'Serve no metrics at all (for measuring the cost of the export).'
complete -c 'bpagent' -n '__bpagent_should_offer_completions_for_flags_or_options "bpagent relay" socket-mode' -l 'socket-mode' -d 'File mode of the metrics unix socket, in octal.' -rfka ''
complete -c 'bpagent' -n '__bpagent_should_offer_completions_for_flags_or_options "bpagent relay" closed-retention' -l 'closed-retention' -d 'Seconds a closed stream stays in the export (0 to a year).' -rfka ''
complete -c 'bpagent' -n '__bpagent_should_offer_completions_for_flags_or_options "bpagent relay" max-streams' -l 'max-streams' -d 'Closed streams kept in the export at most; beyond it the longest closed go first. Their counts stay in the bpagent_agent_* totals.' -rfka ''
complete -c 'bpagent' -n '__bpagent_should_offer_completions_for_flags_or_options "bpagent relay" export-streams' -l 'export-streams' -d 'Streams listed in the export: none (only the agent totals), open, or all (open and retained closed ones).' -rfka ''
complete -c 'bpagent' -n '__bpagent_should_offer_completions_for_flags_or_options "bpagent relay" log-level' -l 'log-level' -d 'Log level: trace, debug, info, notice, warning, error or critical.' -rfka ''
complete -c 'bpagent' -n '__bpagent_should_offer_completions_for_flags_or_options "bpagent relay" on-full' -l 'on-full' -d 'Retry policy when the destination is full: wait, spin, sleep=DURATION[,max=N] (e.g. sleep=50us,max=100) or drop.' -rfka ''
complete -c 'bpagent' -n '__bpagent_should_offer_completions_for_flags_or_options "bpagent relay"' -l 'inject' -d 'Inject a fault (repeatable): enobufs:every=N[,burst=K] (ENOBUFS at the send wrapper) or no-writable[:for=DURATION] (the poller withholds a blocked destination\'s writable event).' -rfka ''
complete -c 'bpagent' -n '__bpagent_should_offer_completions_for_flags_or_options "bpagent relay" poller' -l 'poller' -d 'Readiness API of the relay\'s event loop: epoll (Linux) or poll (poll(2), as on macOS). Default: $BPAGENT_POLLER, else the platform\'s.' -rfka ''
complete -c 'bpagent' -n '__bpagent_should_offer_completions_for_flags_or_options "bpagent relay" version' -l 'version' -d 'Show the version.'
complete -c 'bpagent' -n '__bpagent_should_offer_completions_for_flags_or_options "bpagent relay" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'bpagent' -n '__bpagent_should_offer_completions_for_flags_or_options "bpagent unixgram" listen' -l 'listen' -d 'Socket path the VMM sends its frames to (the agent binds it).' -rfka ''
complete -c 'bpagent' -n '__bpagent_should_offer_completions_for_flags_or_options "bpagent unixgram" connect' -l 'connect' -d 'Socket path of the network helper the frames go to.' -rfka ''
complete -c 'bpagent' -n '__bpagent_should_offer_completions_for_flags_or_options "bpagent unixgram" bind' -l 'bind' -d 'Path the agent binds its helper-side socket to, so the helper can reply (default: an auto-bound abstract name, Linux).' -rfka ''
complete -c 'bpagent' -n '__bpagent_should_offer_completions_for_flags_or_options "bpagent unixgram" sndbuf' -l 'sndbuf' -d 'SO_SNDBUF of each unix socket, 4k to 64m (k and m suffixes). For datagrams it also caps the largest frame.' -rfka ''
complete -c 'bpagent' -n '__bpagent_should_offer_completions_for_flags_or_options "bpagent unixgram" rcvbuf' -l 'rcvbuf' -d 'SO_RCVBUF of each unix socket, 4k to 64m (k and m suffixes).' -rfka ''
complete -c 'bpagent' -n '__bpagent_should_offer_completions_for_flags_or_options "bpagent unixgram" max-flows' -l 'max-flows' -d 'Flows tracked at once, 1 to 1000000; frames of further new flows are counted under one overflow stream.' -rfka ''
complete -c 'bpagent' -n '__bpagent_should_offer_completions_for_flags_or_options "bpagent unixgram" flow-idle' -l 'flow-idle' -d 'Seconds without a frame after which a flow is forgotten and its stream closed (at most a day).' -rfka ''
complete -c 'bpagent' -n '__bpagent_should_offer_completions_for_flags_or_options "bpagent unixgram" receive-batch' -l 'receive-batch' -d 'Frames moved per system call on a unix datagram socket (recvmmsg, sendmmsg; from a TAP, frames read before a sendmmsg), 1 to 64; 1 moves one frame at a time.' -rfka ''
complete -c 'bpagent' -n '__bpagent_should_offer_completions_for_flags_or_options "bpagent unixgram"' -l 'metrics' -d 'Where to serve metrics (repeatable): unix:PATH, tcp:PORT (on 127.0.0.1), tcp:HOST:PORT or tcp:[IPv6]:PORT; port 0 picks a free one. Default: unix:/tmp/bpagent.sock.' -rfka ''
complete -c 'bpagent' -n '__bpagent_should_offer_completions_for_flags_or_options "bpagent unixgram" no-metrics' -l 'no-metrics' -d 'Serve no metrics at all (for measuring the cost of the export).'
complete -c 'bpagent' -n '__bpagent_should_offer_completions_for_flags_or_options "bpagent unixgram" socket-mode' -l 'socket-mode' -d 'File mode of the metrics unix socket, in octal.' -rfka ''
complete -c 'bpagent' -n '__bpagent_should_offer_completions_for_flags_or_options "bpagent unixgram" closed-retention' -l 'closed-retention' -d 'Seconds a closed stream stays in the export (0 to a year).' -rfka ''
complete -c 'bpagent' -n '__bpagent_should_offer_completions_for_flags_or_options "bpagent unixgram" max-streams' -l 'max-streams' -d 'Closed streams kept in the export at most; beyond it the longest closed go first. Their counts stay in the bpagent_agent_* totals.' -rfka ''
complete -c 'bpagent' -n '__bpagent_should_offer_completions_for_flags_or_options "bpagent unixgram" export-streams' -l 'export-streams' -d 'Streams listed in the export: none (only the agent totals), open, or all (open and retained closed ones).' -rfka ''
complete -c 'bpagent' -n '__bpagent_should_offer_completions_for_flags_or_options "bpagent unixgram" log-level' -l 'log-level' -d 'Log level: trace, debug, info, notice, warning, error or critical.' -rfka ''
complete -c 'bpagent' -n '__bpagent_should_offer_completions_for_flags_or_options "bpagent unixgram" on-full' -l 'on-full' -d 'Retry policy when the destination is full: wait, spin, sleep=DURATION[,max=N] (e.g. sleep=50us,max=100) or drop.' -rfka ''
complete -c 'bpagent' -n '__bpagent_should_offer_completions_for_flags_or_options "bpagent unixgram"' -l 'inject' -d 'Inject a fault (repeatable): enobufs:every=N[,burst=K] (ENOBUFS at the send wrapper) or no-writable[:for=DURATION] (the poller withholds a blocked destination\'s writable event).' -rfka ''
complete -c 'bpagent' -n '__bpagent_should_offer_completions_for_flags_or_options "bpagent unixgram" poller' -l 'poller' -d 'Readiness API of the relay\'s event loop: epoll (Linux) or poll (poll(2), as on macOS). Default: $BPAGENT_POLLER, else the platform\'s.' -rfka ''
complete -c 'bpagent' -n '__bpagent_should_offer_completions_for_flags_or_options "bpagent unixgram" version' -l 'version' -d 'Show the version.'
complete -c 'bpagent' -n '__bpagent_should_offer_completions_for_flags_or_options "bpagent unixgram" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'bpagent' -n '__bpagent_should_offer_completions_for_flags_or_options "bpagent stream" listen' -l 'listen' -d 'Socket path the VMM connects to (the agent binds it).' -rfka ''
complete -c 'bpagent' -n '__bpagent_should_offer_completions_for_flags_or_options "bpagent stream" connect' -l 'connect' -d 'Socket path of the network helper to connect to (e.g. passt --socket PATH).' -rfka ''
complete -c 'bpagent' -n '__bpagent_should_offer_completions_for_flags_or_options "bpagent stream" sndbuf' -l 'sndbuf' -d 'SO_SNDBUF of each unix socket, 4k to 64m (k and m suffixes). For datagrams it also caps the largest frame.' -rfka ''
complete -c 'bpagent' -n '__bpagent_should_offer_completions_for_flags_or_options "bpagent stream" rcvbuf' -l 'rcvbuf' -d 'SO_RCVBUF of each unix socket, 4k to 64m (k and m suffixes).' -rfka ''
complete -c 'bpagent' -n '__bpagent_should_offer_completions_for_flags_or_options "bpagent stream" max-flows' -l 'max-flows' -d 'Flows tracked at once, 1 to 1000000; frames of further new flows are counted under one overflow stream.' -rfka ''
complete -c 'bpagent' -n '__bpagent_should_offer_completions_for_flags_or_options "bpagent stream" flow-idle' -l 'flow-idle' -d 'Seconds without a frame after which a flow is forgotten and its stream closed (at most a day).' -rfka ''
complete -c 'bpagent' -n '__bpagent_should_offer_completions_for_flags_or_options "bpagent stream" receive-batch' -l 'receive-batch' -d 'Frames moved per system call on a unix datagram socket (recvmmsg, sendmmsg; from a TAP, frames read before a sendmmsg), 1 to 64; 1 moves one frame at a time.' -rfka ''
complete -c 'bpagent' -n '__bpagent_should_offer_completions_for_flags_or_options "bpagent stream"' -l 'metrics' -d 'Where to serve metrics (repeatable): unix:PATH, tcp:PORT (on 127.0.0.1), tcp:HOST:PORT or tcp:[IPv6]:PORT; port 0 picks a free one. Default: unix:/tmp/bpagent.sock.' -rfka ''
complete -c 'bpagent' -n '__bpagent_should_offer_completions_for_flags_or_options "bpagent stream" no-metrics' -l 'no-metrics' -d 'Serve no metrics at all (for measuring the cost of the export).'
complete -c 'bpagent' -n '__bpagent_should_offer_completions_for_flags_or_options "bpagent stream" socket-mode' -l 'socket-mode' -d 'File mode of the metrics unix socket, in octal.' -rfka ''
complete -c 'bpagent' -n '__bpagent_should_offer_completions_for_flags_or_options "bpagent stream" closed-retention' -l 'closed-retention' -d 'Seconds a closed stream stays in the export (0 to a year).' -rfka ''
complete -c 'bpagent' -n '__bpagent_should_offer_completions_for_flags_or_options "bpagent stream" max-streams' -l 'max-streams' -d 'Closed streams kept in the export at most; beyond it the longest closed go first. Their counts stay in the bpagent_agent_* totals.' -rfka ''
complete -c 'bpagent' -n '__bpagent_should_offer_completions_for_flags_or_options "bpagent stream" export-streams' -l 'export-streams' -d 'Streams listed in the export: none (only the agent totals), open, or all (open and retained closed ones).' -rfka ''
complete -c 'bpagent' -n '__bpagent_should_offer_completions_for_flags_or_options "bpagent stream" log-level' -l 'log-level' -d 'Log level: trace, debug, info, notice, warning, error or critical.' -rfka ''
complete -c 'bpagent' -n '__bpagent_should_offer_completions_for_flags_or_options "bpagent stream" on-full' -l 'on-full' -d 'Retry policy when the destination is full: wait, spin, sleep=DURATION[,max=N] (e.g. sleep=50us,max=100) or drop.' -rfka ''
complete -c 'bpagent' -n '__bpagent_should_offer_completions_for_flags_or_options "bpagent stream"' -l 'inject' -d 'Inject a fault (repeatable): enobufs:every=N[,burst=K] (ENOBUFS at the send wrapper) or no-writable[:for=DURATION] (the poller withholds a blocked destination\'s writable event).' -rfka ''
complete -c 'bpagent' -n '__bpagent_should_offer_completions_for_flags_or_options "bpagent stream" poller' -l 'poller' -d 'Readiness API of the relay\'s event loop: epoll (Linux) or poll (poll(2), as on macOS). Default: $BPAGENT_POLLER, else the platform\'s.' -rfka ''
complete -c 'bpagent' -n '__bpagent_should_offer_completions_for_flags_or_options "bpagent stream" version' -l 'version' -d 'Show the version.'
complete -c 'bpagent' -n '__bpagent_should_offer_completions_for_flags_or_options "bpagent stream" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'bpagent' -n '__bpagent_should_offer_completions_for_flags_or_options "bpagent tap" tap' -l 'tap' -d 'TAP interface to open or create (in this process\'s network namespace).' -rfka ''
complete -c 'bpagent' -n '__bpagent_should_offer_completions_for_flags_or_options "bpagent tap" listen' -l 'listen' -d 'Socket path to bind and receive frames on; replies go to the last sender.' -rfka ''
complete -c 'bpagent' -n '__bpagent_should_offer_completions_for_flags_or_options "bpagent tap" connect' -l 'connect' -d 'Socket path to send frames to.' -rfka ''
complete -c 'bpagent' -n '__bpagent_should_offer_completions_for_flags_or_options "bpagent tap" bind' -l 'bind' -d 'With --connect: path to bind this end to, so the peer can reply across network namespaces (default: an auto-bound abstract name).' -rfka ''
complete -c 'bpagent' -n '__bpagent_should_offer_completions_for_flags_or_options "bpagent tap" read-delay' -l 'read-delay' -d 'Sleep this long before each read from the socket (e.g. 20us, 1ms): a slow receiver.' -rfka ''
complete -c 'bpagent' -n '__bpagent_should_offer_completions_for_flags_or_options "bpagent tap" sndbuf' -l 'sndbuf' -d 'SO_SNDBUF of each unix socket, 4k to 64m (k and m suffixes). For datagrams it also caps the largest frame.' -rfka ''
complete -c 'bpagent' -n '__bpagent_should_offer_completions_for_flags_or_options "bpagent tap" rcvbuf' -l 'rcvbuf' -d 'SO_RCVBUF of each unix socket, 4k to 64m (k and m suffixes).' -rfka ''
complete -c 'bpagent' -n '__bpagent_should_offer_completions_for_flags_or_options "bpagent tap" max-flows' -l 'max-flows' -d 'Flows tracked at once, 1 to 1000000; frames of further new flows are counted under one overflow stream.' -rfka ''
complete -c 'bpagent' -n '__bpagent_should_offer_completions_for_flags_or_options "bpagent tap" flow-idle' -l 'flow-idle' -d 'Seconds without a frame after which a flow is forgotten and its stream closed (at most a day).' -rfka ''
complete -c 'bpagent' -n '__bpagent_should_offer_completions_for_flags_or_options "bpagent tap" receive-batch' -l 'receive-batch' -d 'Frames moved per system call on a unix datagram socket (recvmmsg, sendmmsg; from a TAP, frames read before a sendmmsg), 1 to 64; 1 moves one frame at a time.' -rfka ''
complete -c 'bpagent' -n '__bpagent_should_offer_completions_for_flags_or_options "bpagent tap"' -l 'metrics' -d 'Where to serve metrics (repeatable): unix:PATH, tcp:PORT (on 127.0.0.1), tcp:HOST:PORT or tcp:[IPv6]:PORT; port 0 picks a free one. Default: unix:/tmp/bpagent.sock.' -rfka ''
complete -c 'bpagent' -n '__bpagent_should_offer_completions_for_flags_or_options "bpagent tap" no-metrics' -l 'no-metrics' -d 'Serve no metrics at all (for measuring the cost of the export).'
complete -c 'bpagent' -n '__bpagent_should_offer_completions_for_flags_or_options "bpagent tap" socket-mode' -l 'socket-mode' -d 'File mode of the metrics unix socket, in octal.' -rfka ''
complete -c 'bpagent' -n '__bpagent_should_offer_completions_for_flags_or_options "bpagent tap" closed-retention' -l 'closed-retention' -d 'Seconds a closed stream stays in the export (0 to a year).' -rfka ''
complete -c 'bpagent' -n '__bpagent_should_offer_completions_for_flags_or_options "bpagent tap" max-streams' -l 'max-streams' -d 'Closed streams kept in the export at most; beyond it the longest closed go first. Their counts stay in the bpagent_agent_* totals.' -rfka ''
complete -c 'bpagent' -n '__bpagent_should_offer_completions_for_flags_or_options "bpagent tap" export-streams' -l 'export-streams' -d 'Streams listed in the export: none (only the agent totals), open, or all (open and retained closed ones).' -rfka ''
complete -c 'bpagent' -n '__bpagent_should_offer_completions_for_flags_or_options "bpagent tap" log-level' -l 'log-level' -d 'Log level: trace, debug, info, notice, warning, error or critical.' -rfka ''
complete -c 'bpagent' -n '__bpagent_should_offer_completions_for_flags_or_options "bpagent tap" on-full' -l 'on-full' -d 'Retry policy when the destination is full: wait, spin, sleep=DURATION[,max=N] (e.g. sleep=50us,max=100) or drop.' -rfka ''
complete -c 'bpagent' -n '__bpagent_should_offer_completions_for_flags_or_options "bpagent tap"' -l 'inject' -d 'Inject a fault (repeatable): enobufs:every=N[,burst=K] (ENOBUFS at the send wrapper) or no-writable[:for=DURATION] (the poller withholds a blocked destination\'s writable event).' -rfka ''
complete -c 'bpagent' -n '__bpagent_should_offer_completions_for_flags_or_options "bpagent tap" poller' -l 'poller' -d 'Readiness API of the relay\'s event loop: epoll (Linux) or poll (poll(2), as on macOS). Default: $BPAGENT_POLLER, else the platform\'s.' -rfka ''
complete -c 'bpagent' -n '__bpagent_should_offer_completions_for_flags_or_options "bpagent tap" version' -l 'version' -d 'Show the version.'
complete -c 'bpagent' -n '__bpagent_should_offer_completions_for_flags_or_options "bpagent tap" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'bpagent' -n '__bpagent_should_offer_completions_for_flags_or_options "bpagent observe"' -l 'pid' -d 'Observe every TCP and unix socket this process holds (repeatable).' -rfka ''
complete -c 'bpagent' -n '__bpagent_should_offer_completions_for_flags_or_options "bpagent observe"' -l 'unix' -d 'Observe the unix sockets bound at this path and their peers (repeatable).' -rfka ''
complete -c 'bpagent' -n '__bpagent_should_offer_completions_for_flags_or_options "bpagent observe"' -l 'tcp' -d 'Observe TCP sockets by port: sport=PORT, dport=PORT or port=PORT (repeatable).' -rfka ''
complete -c 'bpagent' -n '__bpagent_should_offer_completions_for_flags_or_options "bpagent observe" rate' -l 'rate' -d 'Polls per second (0.1 to 1000).' -rfka ''
complete -c 'bpagent' -n '__bpagent_should_offer_completions_for_flags_or_options "bpagent observe"' -l 'metrics' -d 'Where to serve metrics (repeatable): unix:PATH, tcp:PORT (on 127.0.0.1), tcp:HOST:PORT or tcp:[IPv6]:PORT; port 0 picks a free one. Default: unix:/tmp/bpagent.sock.' -rfka ''
complete -c 'bpagent' -n '__bpagent_should_offer_completions_for_flags_or_options "bpagent observe" no-metrics' -l 'no-metrics' -d 'Serve no metrics at all (for measuring the cost of the export).'
complete -c 'bpagent' -n '__bpagent_should_offer_completions_for_flags_or_options "bpagent observe" socket-mode' -l 'socket-mode' -d 'File mode of the metrics unix socket, in octal.' -rfka ''
complete -c 'bpagent' -n '__bpagent_should_offer_completions_for_flags_or_options "bpagent observe" closed-retention' -l 'closed-retention' -d 'Seconds a closed stream stays in the export (0 to a year).' -rfka ''
complete -c 'bpagent' -n '__bpagent_should_offer_completions_for_flags_or_options "bpagent observe" max-streams' -l 'max-streams' -d 'Closed streams kept in the export at most; beyond it the longest closed go first. Their counts stay in the bpagent_agent_* totals.' -rfka ''
complete -c 'bpagent' -n '__bpagent_should_offer_completions_for_flags_or_options "bpagent observe" export-streams' -l 'export-streams' -d 'Streams listed in the export: none (only the agent totals), open, or all (open and retained closed ones).' -rfka ''
complete -c 'bpagent' -n '__bpagent_should_offer_completions_for_flags_or_options "bpagent observe" log-level' -l 'log-level' -d 'Log level: trace, debug, info, notice, warning, error or critical.' -rfka ''
complete -c 'bpagent' -n '__bpagent_should_offer_completions_for_flags_or_options "bpagent observe" version' -l 'version' -d 'Show the version.'
complete -c 'bpagent' -n '__bpagent_should_offer_completions_for_flags_or_options "bpagent observe" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'bpagent' -n '__bpagent_should_offer_completions_for_flags_or_options "bpagent help" version' -l 'version' -d 'Show the version.'
