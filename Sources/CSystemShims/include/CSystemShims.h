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
#endif
