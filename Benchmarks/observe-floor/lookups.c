// The kernel's floor under `bpagent observe` (Scripts/bench-observe): the same exact
// NETLINK_SOCK_DIAG lookups the observer makes (INET_DIAG_INFO and SK_MEMINFO for each TCP
// socket whose port is PORT, all requests in one send, the replies taken by recvmmsg), at RATE
// per second for SECONDS, and nothing else: no parsing, no export. Prints the CPU time it used
// per second of wall time (utime + stime), and the stime alone.
//     lookups PORT RATE SECONDS
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>

enum { MAX = 1024, SLOT = 1024 };

struct lookup {
    struct nlmsghdr h;
    struct inet_diag_req_v2 r;
};

static struct inet_diag_sockid ids[MAX];
static unsigned char families[MAX];
static struct lookup requests[MAX];
static char buffer[MAX * SLOT];

static double seconds(struct timeval t) { return (double)t.tv_sec + (double)t.tv_usec / 1e6; }

static double monotonic(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

// Every socket of `family` with PORT at either end (a dump, once, as the observer's discovery).
static int find(int fd, int family, int port, int n) {
    struct lookup q;
    memset(&q, 0, sizeof q);
    q.h.nlmsg_len = sizeof q;
    q.h.nlmsg_type = SOCK_DIAG_BY_FAMILY;
    q.h.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
    q.r.sdiag_family = (unsigned char)family;
    q.r.sdiag_protocol = IPPROTO_TCP;
    q.r.idiag_states = 1 << 1;  // ESTABLISHED
    if (send(fd, &q, sizeof q, 0) < 0) { perror("lookups: send"); exit(1); }
    for (;;) {
        int len = (int)recv(fd, buffer, sizeof buffer, 0);
        if (len <= 0) { perror("lookups: recv"); exit(1); }
        for (struct nlmsghdr *h = (struct nlmsghdr *)buffer; NLMSG_OK(h, len); h = NLMSG_NEXT(h, len)) {
            if (h->nlmsg_type == NLMSG_DONE) return n;
            if (h->nlmsg_type == NLMSG_ERROR) { fprintf(stderr, "lookups: dump refused\n"); exit(1); }
            struct inet_diag_msg *m = NLMSG_DATA(h);
            if ((ntohs(m->id.idiag_sport) == port || ntohs(m->id.idiag_dport) == port) && n < MAX) {
                families[n] = m->idiag_family;
                ids[n++] = m->id;
            }
        }
    }
}

int main(int argc, char **argv) {
    if (argc != 4) { fprintf(stderr, "usage: lookups PORT RATE SECONDS\n"); return 64; }
    int port = atoi(argv[1]);
    double rate = atof(argv[2]), duration = atof(argv[3]);
    int fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
    if (fd < 0) { perror("lookups: socket"); return 1; }
    int room = 1 << 20;
    setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &room, sizeof room);
    int n = find(fd, AF_INET, port, 0);
    n = find(fd, AF_INET6, port, n);
    for (int i = 0; i < n; i++) {
        memset(&requests[i], 0, sizeof requests[i]);
        requests[i].h.nlmsg_len = sizeof requests[i];
        requests[i].h.nlmsg_type = SOCK_DIAG_BY_FAMILY;
        requests[i].h.nlmsg_flags = NLM_F_REQUEST;
        requests[i].h.nlmsg_seq = (unsigned)i;
        requests[i].r.sdiag_family = families[i];
        requests[i].r.sdiag_protocol = IPPROTO_TCP;
        requests[i].r.idiag_ext = (1 << (INET_DIAG_INFO - 1)) | (1 << (INET_DIAG_SKMEMINFO - 1));
        requests[i].r.idiag_states = 0xfff;
        requests[i].r.id = ids[i];
    }
    static struct mmsghdr msgs[64];
    static struct iovec iovs[64];
    struct rusage before, after;
    getrusage(RUSAGE_SELF, &before);
    double start = monotonic(), next = start;
    long polls = 0;
    while (monotonic() - start < duration) {
        for (int first = 0; first < n; first += 64) {
            int batch = n - first < 64 ? n - first : 64;
            if (send(fd, &requests[first], sizeof requests[0] * (size_t)batch, 0) < 0) { perror("lookups: send"); return 1; }
            for (int got = 0; got < batch;) {
                int k = batch - got;
                for (int i = 0; i < k; i++) {
                    iovs[i].iov_base = buffer + (size_t)i * SLOT;
                    iovs[i].iov_len = SLOT;
                    memset(&msgs[i].msg_hdr, 0, sizeof msgs[i].msg_hdr);
                    msgs[i].msg_hdr.msg_iov = &iovs[i];
                    msgs[i].msg_hdr.msg_iovlen = 1;
                }
                int r = recvmmsg(fd, msgs, (unsigned)k, MSG_WAITFORONE, NULL);
                if (r <= 0) { perror("lookups: recvmmsg"); return 1; }
                got += r;
            }
        }
        polls++;
        next += 1 / rate;
        double wait = next - monotonic();
        if (wait > 0) {
            struct timespec t = {(time_t)wait, (long)((wait - (double)(time_t)wait) * 1e9)};
            nanosleep(&t, NULL);
        }
    }
    getrusage(RUSAGE_SELF, &after);
    double wall = monotonic() - start;
    double user = seconds(after.ru_utime) - seconds(before.ru_utime);
    double sys = seconds(after.ru_stime) - seconds(before.ru_stime);
    printf("%d %ld %.6f %.6f\n", n, polls, (user + sys) / wall, sys / wall);
    return 0;
}
