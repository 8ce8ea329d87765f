#ifdef __linux__
#define _GNU_SOURCE 1
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <net/if.h>
#include <linux/if_tun.h>
#include <linux/filter.h>
#include <linux/sock_diag.h>
#include <sys/un.h>
#endif
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include "CSystemShims.h"

#ifdef __linux__
ssize_t bp_splice(int fd_in, int fd_out, size_t len) {
    return splice(fd_in, NULL, fd_out, NULL, len, SPLICE_F_MOVE | SPLICE_F_NONBLOCK);
}

int bp_set_pipe_size(int fd, int size) {
    return fcntl(fd, F_SETPIPE_SZ, size);
}
#endif

#ifdef __linux__
int bp_tap_open(const char *name, char *actual) {
    if (strlen(name) >= IFNAMSIZ) { errno = ENAMETOOLONG; return -1; }
    int fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) return -1;
    struct ifreq ifr;
    memset(&ifr, 0, sizeof ifr);
    ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
    strncpy(ifr.ifr_name, name, IFNAMSIZ - 1);
    if (ioctl(fd, TUNSETIFF, &ifr) < 0) {
        int saved = errno;
        close(fd);
        errno = saved;
        return -1;
    }
    memcpy(actual, ifr.ifr_name, IFNAMSIZ);
    actual[IFNAMSIZ - 1] = 0;
    return fd;
}

int bp_ifnamsiz(void) { return IFNAMSIZ; }

int bp_recv_frames(int fd, void *const *buffers, size_t size, int count, ssize_t *lengths, void *names,
                   unsigned int *namelens) {
    struct mmsghdr msgs[BP_MAX_FRAME_BATCH];
    struct iovec iovs[BP_MAX_FRAME_BATCH];
    if (count > BP_MAX_FRAME_BATCH) count = BP_MAX_FRAME_BATCH;
    for (int i = 0; i < count; i++) {
        iovs[i] = (struct iovec){.iov_base = buffers[i], .iov_len = size};
        msgs[i] = (struct mmsghdr){.msg_hdr = {.msg_iov = &iovs[i], .msg_iovlen = 1}};
        if (names) {
            msgs[i].msg_hdr.msg_name = (struct sockaddr_un *)names + i;
            msgs[i].msg_hdr.msg_namelen = sizeof(struct sockaddr_un);
        }
    }
    int n = recvmmsg(fd, msgs, (unsigned int)count, MSG_TRUNC, NULL);
    for (int i = 0; i < n; i++) {
        lengths[i] = msgs[i].msg_len;
        if ((msgs[i].msg_hdr.msg_flags & MSG_TRUNC) && lengths[i] <= (ssize_t)size) lengths[i] = size + 1;
        if (names) namelens[i] = msgs[i].msg_hdr.msg_namelen;
    }
    return n;
}

int bp_send_frames(int fd, void *const *buffers, const ssize_t *lengths, int count, const void *name,
                   unsigned int namelen) {
    struct mmsghdr msgs[BP_MAX_FRAME_BATCH];
    struct iovec iovs[BP_MAX_FRAME_BATCH];
    if (count > BP_MAX_FRAME_BATCH) count = BP_MAX_FRAME_BATCH;
    for (int i = 0; i < count; i++) {
        iovs[i] = (struct iovec){.iov_base = buffers[i], .iov_len = (size_t)lengths[i]};
        msgs[i] = (struct mmsghdr){.msg_hdr = {.msg_iov = &iovs[i], .msg_iovlen = 1,
                                               .msg_name = (void *)name, .msg_namelen = name ? namelen : 0}};
    }
    return sendmmsg(fd, msgs, (unsigned int)count, 0);
}
#endif

ssize_t bp_recv_datagram(int fd, void *buf, size_t len, void *from, unsigned int *fromlen, struct bp_datagram *info) {
    struct iovec iov = { buf, len };
    union { char bytes[CMSG_SPACE(sizeof(uint32_t))]; struct cmsghdr align; } control;
    struct msghdr msg;
    memset(&msg, 0, sizeof msg);
    msg.msg_name = from;
    msg.msg_namelen = from ? *fromlen : 0;
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control.bytes;
    msg.msg_controllen = sizeof control.bytes;
#ifdef __linux__
    ssize_t n = recvmsg(fd, &msg, MSG_TRUNC);
#else
    ssize_t n = recvmsg(fd, &msg, 0);
#endif
    if (n < 0) return n;
    if (from) *fromlen = msg.msg_namelen;
    info->truncated = (msg.msg_flags & MSG_TRUNC) != 0;
    info->has_drops = 0;
#ifdef SO_RXQ_OVFL
    for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c != NULL; c = CMSG_NXTHDR(&msg, c)) {
        if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SO_RXQ_OVFL) {
            memcpy(&info->drops, CMSG_DATA(c), sizeof info->drops);
            info->has_drops = 1;
        }
    }
#endif
    return n;
}

int bp_watch_drops(int fd) {
#ifdef SO_RXQ_OVFL
    int on = 1;
    return setsockopt(fd, SOL_SOCKET, SO_RXQ_OVFL, &on, sizeof on);
#else
    (void)fd;
    return -1;
#endif
}

int bp_socket_drops(int fd, uint32_t *drops) {
#ifdef __linux__
    uint32_t mem[SK_MEMINFO_VARS];
    socklen_t len = sizeof mem;
    if (getsockopt(fd, SOL_SOCKET, SO_MEMINFO, mem, &len) != 0) return -1;
    if (len <= SK_MEMINFO_DROPS * sizeof(uint32_t)) return -1;
    *drops = mem[SK_MEMINFO_DROPS];
    return 0;
#else
    (void)fd; (void)drops;
    return -1;
#endif
}

int bp_reuseport_to_first(int fd) {
#ifdef __linux__
    struct sock_filter code[] = { BPF_STMT(BPF_RET | BPF_K, 0) };
    struct sock_fprog program = { 1, code };
    return setsockopt(fd, SOL_SOCKET, SO_ATTACH_REUSEPORT_CBPF, &program, sizeof program);
#else
    (void)fd;
    return -1;
#endif
}
