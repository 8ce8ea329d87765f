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
#endif
