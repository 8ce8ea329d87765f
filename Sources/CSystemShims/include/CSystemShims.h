#ifndef C_SYSTEM_SHIMS_H
#define C_SYSTEM_SHIMS_H
// System calls (and malloc_trim) that Swift's Glibc module does not bring in. No _GNU_SOURCE here: it would
// change glibc's own types and clash with the Glibc module; shims.c defines it instead.
#ifdef __linux__
#include <sys/epoll.h>
#include <malloc.h>
#include <sys/types.h>

/// splice(2) between two descriptors (one a pipe), non-blocking, moving pages when it can.
ssize_t bp_splice(int fd_in, int fd_out, size_t len);
/// Sets a pipe's capacity (F_SETPIPE_SZ); returns the capacity granted or -1.
int bp_set_pipe_size(int fd, int size);
/// Opens /dev/net/tun as the TAP device `name` (IFF_TAP | IFF_NO_PI: plain Ethernet frames,
/// no packet-info header), non-blocking and close-on-exec, creating it when it does not exist.
/// Returns the descriptor, or -1 with errno set. `actual` (IFNAMSIZ bytes) receives the name the
/// kernel gave, which differs when `name` holds a pattern such as `tap%d`.
int bp_tap_open(const char *name, char *actual);
/// The size of a buffer for an interface name, including its NUL (IFNAMSIZ).
int bp_ifnamsiz(void);
/// The most datagrams one bp_recv_frames call takes.
enum { BP_MAX_FRAME_BATCH = 64 };
/// recvmmsg(2) of up to `count` (at most BP_MAX_FRAME_BATCH) datagrams from a non-blocking
/// socket, datagram i into `buffers[i]` (`size` bytes), with MSG_TRUNC: `lengths[i]` is its whole
/// length, larger than `size` when only its start fitted. With `names` (an array of `count`
/// sockaddr_un) each sender's address goes to `names[i]` and its length to `namelens[i]`.
/// The message headers live on this call's stack: nothing is allocated. Returns the number of
/// datagrams, or -1 with errno set (EAGAIN when there was none).
int bp_recv_frames(int fd, void *const *buffers, size_t size, int count, ssize_t *lengths, void *names,
                   unsigned int *namelens);
/// sendmmsg(2) of `count` (at most BP_MAX_FRAME_BATCH) datagrams, datagram i `lengths[i]` bytes
/// from `buffers[i]`, to `name` (`namelen` bytes; NULL for a connected socket). Nothing is
/// allocated. Returns how many were sent (the first ones: fewer when the socket filled up), or
/// -1 with errno set when not even the first was.
int bp_send_frames(int fd, void *const *buffers, const ssize_t *lengths, int count, const void *name,
                   unsigned int namelen);
#endif

#include <stdint.h>
#include <sys/types.h>

/// What one bp_recv_datagram call learnt besides the bytes.
struct bp_datagram {
    /// The datagram did not fit the buffer: only its first bytes were copied (the call still
    /// returns the whole length on Linux, where MSG_TRUNC is passed).
    int truncated;
    /// Set when the kernel attached `drops` (SO_RXQ_OVFL: only once the socket has dropped one).
    int has_drops;
    /// The socket's count of datagrams the kernel dropped (receive queue full), since it opened.
    uint32_t drops;
};
/// recvmsg(2) of one datagram into `buf`, with its sender in `from` (`*fromlen` bytes available,
/// replaced by the length used; NULL for none) and the control message of SO_RXQ_OVFL read in
/// place, so a relay learns the length, truncation and drop count without allocating.
/// Returns what recvmsg returned: the datagram's whole length, or -1 with errno set.
ssize_t bp_recv_datagram(int fd, void *buf, size_t len, void *from, unsigned int *fromlen, struct bp_datagram *info);
/// Asks the kernel to attach the socket's drop count to received datagrams (SO_RXQ_OVFL). 0 or -1.
int bp_watch_drops(int fd);
/// The socket's drop count right now (SO_MEMINFO), for drops after the last datagram read. 0 or -1.
int bp_socket_drops(int fd, uint32_t *drops);
/// Makes the SO_REUSEPORT group of `fd` hand every datagram that no connected member matches to
/// its first member (a classic BPF program returning 0), so a member bound but not yet connected
/// never receives another client's datagram. 0 or -1.
int bp_reuseport_to_first(int fd);

#ifdef __linux__
/// Socket diagnostics (NETLINK_SOCK_DIAG) for `bpagent observe`: the kernel's structs stay on
/// this side (their layouts, and a tcp_info shorter than the headers' on older kernels), and
/// Swift gets flat values. The socket itself is opened, written and read from Swift.

/// The netlink protocol number of socket diagnostics.
int bp_netlink_sock_diag(void);
/// Writes a dump request for the TCP sockets of `family` (AF_INET or AF_INET6) asking for
/// tcp_info and SK_MEMINFO: every socket, or with `count` > 0 only those whose source port
/// (`destination[i]` 0) or destination port (1) is `ports[i]` for some i, filtered by the
/// kernel. Returns its length (0 when `cap` is too small or `count` over 31).
size_t bp_inet_diag_request(void *buf, size_t cap, unsigned char family, uint32_t seq,
                            const uint16_t *ports, const uint8_t *destination, int count);
/// Writes a dump request for every unix socket with its name, peer, queue lengths and SK_MEMINFO.
size_t bp_unix_diag_request(void *buf, size_t cap, uint32_t seq);

/// One netlink message of a reply: 1 a socket (`payload` set), 0 the end of the buffer, 2 the end of the dump,
/// -1 an error reply (`*error` the errno), -2 a malformed buffer. `*offset` moves past it; `*seq` is the
/// message's sequence number (that of the request it answers).
int bp_netlink_next(const void *buf, size_t len, size_t *offset, const void **payload, size_t *payload_len, int *error,
                    uint32_t *seq);

/// The SK_MEMINFO_* values, in the kernel's order.
enum { BP_MEM_RMEM_ALLOC = 0, BP_MEM_RCVBUF, BP_MEM_WMEM_ALLOC, BP_MEM_SNDBUF, BP_MEM_FWD_ALLOC,
       BP_MEM_WMEM_QUEUED, BP_MEM_OPTMEM, BP_MEM_BACKLOG, BP_MEM_DROPS, BP_MEM_COUNT };

/// What `bp_parse_inet_diag` keeps of one TCP socket.
struct bp_inet_socket {
    uint8_t family, state;
    uint16_t sport, dport;
    uint8_t src[16], dst[16];
    uint32_t rqueue, wqueue, inode;
    /// What an exact lookup of this socket must name besides its addresses.
    uint32_t ifindex, cookie[2];
    int has_meminfo;
    uint32_t meminfo[BP_MEM_COUNT];
    int has_info;
    /// tcp_info fields; the `limited` times only when the kernel's tcp_info has them (4.9+).
    int has_limited;
    uint64_t bytes_acked, bytes_received, busy_us, rwnd_limited_us, sndbuf_limited_us, delivery_rate;
    uint32_t notsent_bytes, total_retrans, rtt_us, snd_cwnd;
};
/// Appends to `buf` (at `*length`, up to `cap`) a request for exactly the socket `s` describes
/// (its addresses, interface and cookie: an O(1) lookup in the kernel, no walk of its tables),
/// numbered `seq`. The kernel answers each such request with one message: the socket, or an
/// error (ENOENT once it is gone). 0, or -1 when `buf` is full.
int bp_inet_diag_lookup(void *buf, size_t cap, size_t *length, const struct bp_inet_socket *s, uint32_t seq);
/// Reads an inet_diag_msg and its attributes. 0, or -1 when the payload is too short.
int bp_parse_inet_diag(const void *payload, size_t len, struct bp_inet_socket *out);
/// Whether two readings of one socket show the same figures (state, queues, SK_MEMINFO,
/// tcp_info): 1 when nothing changed between two polls, so the poll can skip the socket.
int bp_inet_socket_same(const struct bp_inet_socket *a, const struct bp_inet_socket *b);
/// An exact lookup's reply for the socket `last` describes: read into `last` when its figures
/// changed (1); 0 when they are the same; -1 when it is not that socket (or is unreadable).
int bp_inet_diag_refresh(const void *payload, size_t len, struct bp_inet_socket *last);
/// Numbers the messages of a batch of requests in `buf` (`len` bytes) `first`, `first + 1`, …,
/// so a request built once can be sent at every poll with fresh sequence numbers.
void bp_netlink_renumber(void *buf, size_t len, uint32_t first);

/// What `bp_parse_unix_diag` keeps of one unix socket.
struct bp_unix_socket {
    uint8_t type, state;
    uint32_t inode;
    int has_peer;
    uint32_t peer;
    /// The bound name: a path, or an abstract name starting with a NUL byte; `name_len` 0 when unbound.
    int name_len;
    char name[108];
    int has_rqlen;
    uint32_t rqueue, wqueue;
    int has_meminfo;
    uint32_t meminfo[BP_MEM_COUNT];
};
int bp_parse_unix_diag(const void *payload, size_t len, struct bp_unix_socket *out);

/// recvmmsg(2) of up to `count` datagrams into `buf`, one per `slot` bytes, each datagram's
/// length into `lengths` (a datagram cut to its slot gets -1). Returns what recvmmsg returned:
/// the number received, or -1 with errno set. For the exact lookups' replies, one datagram each.
int bp_recv_many(int fd, void *buf, size_t slot, int count, int *lengths);
/// SO_MEMINFO of a socket the caller owns (`count` values). 0 or -1.
int bp_socket_meminfo(int fd, uint32_t *values, int count);
#endif
#endif
