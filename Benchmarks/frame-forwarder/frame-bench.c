// The load and the baseline for Scripts/bench-datagram (issue 15): frames over unix datagram
// sockets, the way a VMM and a network helper exchange them, with bpagent unixgram in between
// or this file's bare forwarder.
//
//   frame-bench forward LISTEN CONNECT [BATCH]
//       The baseline: bpagent unixgram's socket layout and nothing else. LISTEN is bound (the
//       VMM sends to it; replies go to the last named sender), a second socket is connected to
//       CONNECT; SO_SNDBUFFORCE 1 MiB and SO_RCVBUFFORCE 4 MiB on both (bpagent's defaults);
//       one poll loop over both, up to 64 frames per readiness event each way, no parsing, no
//       counting. A frame that meets a full destination (EAGAIN) is kept and sent again when
//       the destination is writable (bpagent's default policy, wait). BATCH > 1 moves up to
//       BATCH frames per recvmmsg/sendmmsg call instead of one per recvmsg/send.
//   frame-bench forward-tap TAP listen|connect PATH
//       The baseline for `bpagent tap`: opens (creating) the TAP interface TAP (IFF_TAP |
//       IFF_NO_PI, non-blocking) and a unix datagram socket bound at PATH (listen: replies go
//       to the last named sender) or auto-bound and connected to PATH, with the same buffers
//       as above; one read(2)/write(2) per frame on the TAP, one recvmsg/send per frame on the
//       socket, no parsing or counting.
//   frame-bench udp-blast ADDR SIZE FLOWS SECONDS
//       Sends UDP datagrams carrying SIZE-byte Ethernet frames (SIZE - 42 bytes of payload) to
//       ADDR (IPv4) on FLOWS destination ports from 5201 up, in turn, as fast as the socket
//       takes them, for SECONDS: traffic routed out of a TAP. Prints datagrams sent.
//   frame-bench source BIND TO SIZE FLOWS SECONDS
//       Sends Ethernet/IPv4/UDP frames of SIZE bytes, FLOWS distinct UDP source ports in turn,
//       as fast as the receiver takes them (blocking sends), for SECONDS; prints frames sent.
//   frame-bench sink BIND SECONDS
//       Receives frames until none came for SECONDS; prints "frames bytes seconds" where
//       seconds is the time from the first frame to the last.
//
// SIGTERM/SIGINT end the forwarder, which prints the frames it forwarded.
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if_tun.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/ioctl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#define MAX_FRAME (256 * 1024)
#define MAX_BATCH 64
#define PER_ROUND 64

static volatile sig_atomic_t stopping;
static void on_signal(int sig) { (void)sig; stopping = 1; }

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

static struct sockaddr_un address(const char *path) {
    struct sockaddr_un a = {.sun_family = AF_UNIX};
    if (strlen(path) >= sizeof a.sun_path) { fprintf(stderr, "path too long: %s\n", path); exit(2); }
    strcpy(a.sun_path, path);
    return a;
}

static int dgram_socket(const char *bind_path, int nonblocking) {
    int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | (nonblocking ? SOCK_NONBLOCK : 0), 0);
    if (fd < 0) { perror("socket"); exit(1); }
    int snd = 1 << 20, rcv = 4 << 20;
    if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &snd, sizeof snd) != 0) setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &snd, sizeof snd);
    if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcv, sizeof rcv) != 0) setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcv, sizeof rcv);
    if (bind_path) {
        struct sockaddr_un a = address(bind_path);
        unlink(bind_path);
        if (bind(fd, (struct sockaddr *)&a, sizeof a) != 0) { perror(bind_path); exit(1); }
    } else {
        // Autobind an abstract name, as bpagent's helper-side socket does without --bind.
        sa_family_t family = AF_UNIX;
        if (bind(fd, (struct sockaddr *)&family, sizeof family) != 0) { perror("autobind"); exit(1); }
    }
    return fd;
}

// One direction of the forwarder: frames read from `from`, written to `to`.
struct side {
    int from, to;
    int listening_to;            // `to` is the listening socket: send to the last named sender
    struct sockaddr_un *peer;    // that sender (shared with the other side)
    socklen_t *peer_len;
    int listening_from;          // `from` is the listening socket: remember the sender
    int tap_from, tap_to;        // that end is a TAP device: read(2)/write(2), one frame each
    unsigned char *frames[MAX_BATCH];
    struct mmsghdr msgs[MAX_BATCH];
    struct iovec iov[MAX_BATCH];
    struct sockaddr_un from_addr[MAX_BATCH];
    int pending, sent;           // frames read and not yet written: msgs[sent..<pending]
    unsigned long long forwarded;
};

static void side_init(struct side *s) {
    for (int i = 0; i < MAX_BATCH; i++) {
        s->frames[i] = malloc(MAX_FRAME);
        s->iov[i] = (struct iovec){s->frames[i], MAX_FRAME};
    }
}

// Sends what is pending; returns 0 when the destination is full.
static int side_flush(struct side *s, int batch) {
    while (s->sent < s->pending) {
        if (s->listening_to && *s->peer_len == 0) { s->sent = s->pending = 0; return 1; }  // nobody to answer
        int n;
        if (batch > 1) {
            for (int i = s->sent; i < s->pending; i++) {
                s->msgs[i].msg_hdr.msg_name = s->listening_to ? s->peer : NULL;
                s->msgs[i].msg_hdr.msg_namelen = s->listening_to ? *s->peer_len : 0;
            }
            n = sendmmsg(s->to, s->msgs + s->sent, s->pending - s->sent, 0);
        } else {
            struct msghdr *m = &s->msgs[s->sent].msg_hdr;
            ssize_t r = s->tap_to ? write(s->to, s->frames[s->sent], m->msg_iov->iov_len)
                      : s->listening_to ? sendto(s->to, s->frames[s->sent], m->msg_iov->iov_len, 0, (struct sockaddr *)s->peer, *s->peer_len)
                                        : send(s->to, s->frames[s->sent], m->msg_iov->iov_len, 0);
            n = r < 0 ? -1 : 1;
        }
        if (n < 0) {
            if (errno == EAGAIN) return 0;
            s->sent++;  // any other error drops the frame
            continue;
        }
        s->sent += n;
        s->forwarded += n;
    }
    s->sent = s->pending = 0;
    return 1;
}

// Reads and forwards up to PER_ROUND frames; returns 0 when blocked on the destination.
static int side_run(struct side *s, int batch) {
    if (!side_flush(s, batch)) return 0;
    for (int done = 0; done < PER_ROUND;) {
        int want = batch > 1 ? (PER_ROUND - done < batch ? PER_ROUND - done : batch) : 1;
        for (int i = 0; i < want; i++) {
            s->iov[i].iov_len = MAX_FRAME;
            s->msgs[i].msg_hdr = (struct msghdr){.msg_iov = &s->iov[i], .msg_iovlen = 1,
                                                 .msg_name = s->listening_from ? &s->from_addr[i] : NULL,
                                                 .msg_namelen = s->listening_from ? sizeof s->from_addr[i] : 0};
        }
        int n;
        if (batch > 1) {
            n = recvmmsg(s->from, s->msgs, want, 0, NULL);
        } else {
            ssize_t r = s->tap_from ? read(s->from, s->frames[0], MAX_FRAME) : recvmsg(s->from, &s->msgs[0].msg_hdr, 0);
            if (r >= 0) s->msgs[0].msg_len = r;
            n = r < 0 ? -1 : 1;
        }
        if (n <= 0) return 1;
        for (int i = 0; i < n; i++) {
            s->iov[i].iov_len = s->msgs[i].msg_len;
            if (s->listening_from && s->msgs[i].msg_hdr.msg_namelen > sizeof(sa_family_t)) {
                *s->peer = s->from_addr[i];
                *s->peer_len = s->msgs[i].msg_hdr.msg_namelen;
            }
        }
        s->sent = 0;
        s->pending = n;
        done += n;
        if (!side_flush(s, batch)) return 0;
    }
    return 1;
}

static int relay(struct side *sides, int batch);

static int forward(const char *listen_path, const char *connect_path, int batch) {
    int vm = dgram_socket(listen_path, 1);
    int helper = dgram_socket(NULL, 1);
    struct sockaddr_un target = address(connect_path);
    if (connect(helper, (struct sockaddr *)&target, sizeof target) != 0) { perror(connect_path); return 1; }
    static struct sockaddr_un peer;
    static socklen_t peer_len = 0;
    static struct side sides[2];
    sides[0] = (struct side){.from = vm, .to = helper, .listening_from = 1, .peer = &peer, .peer_len = &peer_len};
    sides[1] = (struct side){.from = helper, .to = vm, .listening_to = 1, .peer = &peer, .peer_len = &peer_len};
    return relay(sides, batch);
}

// The TAP first, the socket second, as bpagent tap has them.
static int forward_tap(const char *tap, const char *role, const char *path) {
    struct ifreq ifr = {0};
    int fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) { perror("/dev/net/tun"); return 1; }
    ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
    snprintf(ifr.ifr_name, IFNAMSIZ, "%s", tap);
    if (ioctl(fd, TUNSETIFF, &ifr) != 0) { perror(tap); return 1; }
    int listening = strcmp(role, "listen") == 0;
    int sock = dgram_socket(listening ? path : NULL, 1);
    if (!listening) {
        struct sockaddr_un target = address(path);
        if (connect(sock, (struct sockaddr *)&target, sizeof target) != 0) { perror(path); return 1; }
    }
    static struct sockaddr_un peer;
    static socklen_t peer_len = 0;
    static struct side sides[2];
    sides[0] = (struct side){.from = fd, .to = sock, .tap_from = 1, .peer = &peer, .peer_len = &peer_len};
    sides[1] = (struct side){.from = sock, .to = fd, .tap_to = 1, .listening_from = listening, .peer = &peer, .peer_len = &peer_len};
    sides[0].listening_to = listening;
    return relay(sides, 1);
}

static int relay(struct side *sides, int batch) {
    side_init(&sides[0]);
    side_init(&sides[1]);
    int blocked[2] = {0, 0};
    while (!stopping) {
        struct pollfd p[2];
        for (int i = 0; i < 2; i++) {
            // A blocked side waits for its destination to be writable, not for more input.
            p[i] = blocked[i] ? (struct pollfd){.fd = sides[i].to, .events = POLLOUT}
                              : (struct pollfd){.fd = sides[i].from, .events = POLLIN};
        }
        if (poll(p, 2, 200) < 0 && errno != EINTR) { perror("poll"); return 1; }
        for (int i = 0; i < 2; i++) {
            if (p[i].revents) blocked[i] = !side_run(&sides[i], batch);
        }
    }
    printf("%llu %llu\n", sides[0].forwarded, sides[1].forwarded);
    return 0;
}

// An Ethernet/IPv4/UDP frame of `size` bytes (at least 42) from UDP port `port`.
static void build_frame(unsigned char *f, int size, int port) {
    memset(f, 0x5a, size);
    static const unsigned char head[] = {2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 0x08, 0x00,
                                         0x45, 0, 0, 0, 0, 0, 0x40, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2};
    memcpy(f, head, sizeof head);
    int ip_len = size - 14, udp_len = size - 34;
    f[16] = ip_len >> 8; f[17] = ip_len & 0xff;
    f[34] = port >> 8; f[35] = port & 0xff;
    f[36] = 5201 >> 8; f[37] = 5201 & 0xff;
    f[38] = udp_len >> 8; f[39] = udp_len & 0xff;
    f[40] = f[41] = 0;
}

static int source(const char *bind_path, const char *to, int size, int flows, double seconds) {
    if (size < 42 || size > MAX_FRAME || flows < 1) { fprintf(stderr, "source: bad size or flows\n"); return 2; }
    int fd = dgram_socket(bind_path, 0);
    struct sockaddr_un a = address(to);
    if (connect(fd, (struct sockaddr *)&a, sizeof a) != 0) { perror(to); return 1; }
    unsigned char **frames = malloc(flows * sizeof *frames);
    for (int i = 0; i < flows; i++) {
        frames[i] = malloc(size);
        build_frame(frames[i], size, 10000 + i);
    }
    unsigned long long sent = 0;
    double end = now() + seconds;
    while (!stopping) {
        for (int k = 0; k < 256; k++, sent++) {
            if (send(fd, frames[sent % flows], size, 0) < 0 && errno != EINTR) { perror("send"); return 1; }
        }
        if (now() >= end) break;
    }
    printf("%llu\n", sent);
    return 0;
}

static int udp_blast(const char *addr, int size, int flows, double seconds) {
    if (size < 42 || size > 1500 || flows < 1 || flows > 10000) { fprintf(stderr, "udp-blast: bad size or flows\n"); return 2; }
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    struct sockaddr_in to = {.sin_family = AF_INET};
    if (fd < 0 || inet_pton(AF_INET, addr, &to.sin_addr) != 1) { fprintf(stderr, "udp-blast: bad address %s\n", addr); return 2; }
    static unsigned char payload[1500];
    unsigned long long sent = 0;
    double end = now() + seconds;
    while (!stopping) {
        for (int k = 0; k < 256; k++) {
            to.sin_port = htons(5201 + (int)(sent % flows));
            // A full TAP queue drops (the kernel counts it); ENOBUFS is that too: the relay is the limit.
            if (sendto(fd, payload, size - 42, 0, (struct sockaddr *)&to, sizeof to) >= 0) sent++;
            else if (errno != ENOBUFS && errno != EAGAIN && errno != EINTR) { perror("sendto"); return 1; }
            else sent++;
        }
        if (now() >= end) break;
    }
    printf("%llu\n", sent);
    return 0;
}

static int sink(const char *bind_path, double quiet) {
    int fd = dgram_socket(bind_path, 0);
    struct timeval tv = {.tv_sec = (time_t)quiet, .tv_usec = (suseconds_t)((quiet - (time_t)quiet) * 1e6)};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    static unsigned char buffer[MAX_FRAME];
    unsigned long long frames = 0, bytes = 0;
    double first = 0, last = 0;
    // The first frame may take long (the agent starting): wait for it without the quiet limit.
    while (!stopping) {
        ssize_t n = recv(fd, buffer, sizeof buffer, 0);
        if (n < 0) {
            if (errno == EINTR) continue;
            if ((errno == EAGAIN || errno == EWOULDBLOCK) && frames == 0) continue;
            break;
        }
        last = now();
        if (frames == 0) first = last;
        frames++;
        bytes += n;
    }
    printf("%llu %llu %.6f\n", frames, bytes, last - first);
    return 0;
}

int main(int argc, char **argv) {
    signal(SIGTERM, on_signal);
    signal(SIGINT, on_signal);
    signal(SIGPIPE, SIG_IGN);
    if (argc >= 4 && strcmp(argv[1], "forward") == 0) {
        int batch = argc > 4 ? atoi(argv[4]) : 1;
        if (batch < 1 || batch > MAX_BATCH) { fprintf(stderr, "forward: BATCH is 1 to %d\n", MAX_BATCH); return 2; }
        return forward(argv[2], argv[3], batch);
    }
    if (argc == 5 && strcmp(argv[1], "forward-tap") == 0) return forward_tap(argv[2], argv[3], argv[4]);
    if (argc == 6 && strcmp(argv[1], "udp-blast") == 0) return udp_blast(argv[2], atoi(argv[3]), atoi(argv[4]), atof(argv[5]));
    if (argc == 7 && strcmp(argv[1], "source") == 0) return source(argv[2], argv[3], atoi(argv[4]), atoi(argv[5]), atof(argv[6]));
    if (argc == 4 && strcmp(argv[1], "sink") == 0) return sink(argv[2], atof(argv[3]));
    fprintf(stderr, "usage: frame-bench forward LISTEN CONNECT [BATCH] | forward-tap TAP listen|connect PATH | udp-blast ADDR SIZE FLOWS SECONDS | source BIND TO SIZE FLOWS SECONDS | sink BIND SECONDS\n");
    return 64;
}
