// The baseline for Scripts/bench-udp: a bare UDP forwarder with bpagent's socket layout and
// nothing else. Per client address:port, a socket of its own on the listen side (SO_REUSEPORT,
// connected to the client; the group steers unmatched datagrams to the listener) and an
// upstream socket connected to the target; one epoll loop, recv/send up to 64 datagrams per
// readiness event, no counting, no policy (a send that fails drops the datagram), no expiry.
// Same socket buffers as bpagent relay's defaults (SO_RCVBUFFORCE 4 MiB, SO_SNDBUFFORCE 1 MiB).
//
//   udp-forwarder LISTEN_PORT CONNECT_PORT [RCVBUF SNDBUF]    (127.0.0.1 on both sides)
//
// SIGTERM/SIGINT end it; it prints the datagrams it forwarded each way.
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <linux/filter.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAX_CLIENTS 1024
#define BURST 64

struct client {
    struct sockaddr_in address;
    int near, far;  // connected to the client; connected to the target
};

static struct client clients[MAX_CLIENTS];
static int nclients;
static struct client *by_fd[65536];
static volatile sig_atomic_t stopping;
static unsigned long long forwarded[2];
static int rcvbuf = 4 << 20, sndbuf = 1 << 20;

static void on_signal(int sig) { (void)sig; stopping = 1; }

static int udp_socket(void) {
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) { perror("socket"); exit(1); }
    if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof rcvbuf) != 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
    if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &sndbuf, sizeof sndbuf) != 0)
        setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof sndbuf);
    return fd;
}

static struct sockaddr_in loopback(int port) {
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port) };
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return a;
}

static int bound(struct sockaddr_in at) {
    int fd = udp_socket(), on = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &on, sizeof on);
    if (bind(fd, (struct sockaddr *)&at, sizeof at) != 0) { perror("bind"); exit(1); }
    return fd;
}

static void watch(int epfd, int fd) {
    struct epoll_event ev = { .events = EPOLLIN, .data.fd = fd };
    epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev);
}

// Moves up to BURST datagrams from `from` to `to`.
static void pump(int from, int to, char *buf, int dir) {
    for (int i = 0; i < BURST; i++) {
        ssize_t n = recv(from, buf, 65536, 0);
        if (n < 0) { if (errno == ECONNREFUSED || errno == EINTR) continue; return; }
        if (send(to, buf, (size_t)n, 0) == n) forwarded[dir]++;
    }
}

int main(int argc, char **argv) {
    if (argc != 3 && argc != 5) { fprintf(stderr, "usage: udp-forwarder LISTEN_PORT CONNECT_PORT [RCVBUF SNDBUF]\n"); return 64; }
    if (argc == 5) { rcvbuf = atoi(argv[3]); sndbuf = atoi(argv[4]); }
    struct sockaddr_in listen_at = loopback(atoi(argv[1])), target = loopback(atoi(argv[2]));
    signal(SIGTERM, on_signal);
    signal(SIGINT, on_signal);
    int listener = bound(listen_at);
    struct sock_filter code[] = { BPF_STMT(BPF_RET | BPF_K, 0) };
    struct sock_fprog program = { 1, code };
    setsockopt(listener, SOL_SOCKET, SO_ATTACH_REUSEPORT_CBPF, &program, sizeof program);
    int epfd = epoll_create1(EPOLL_CLOEXEC);
    watch(epfd, listener);
    static char buf[65536];
    struct epoll_event events[256];
    while (!stopping) {
        int n = epoll_wait(epfd, events, 256, 1000);
        for (int e = 0; e < n; e++) {
            int fd = events[e].data.fd;
            if (fd != listener) {
                struct client *c = by_fd[fd];
                if (fd == c->near) pump(c->near, c->far, buf, 0); else pump(c->far, c->near, buf, 1);
                continue;
            }
            for (int i = 0; i < BURST; i++) {
                struct sockaddr_in from;
                socklen_t len = sizeof from;
                ssize_t got = recvfrom(listener, buf, sizeof buf, 0, (struct sockaddr *)&from, &len);
                if (got < 0) break;
                struct client *c = NULL;
                for (int k = 0; k < nclients; k++)
                    if (clients[k].address.sin_port == from.sin_port && clients[k].address.sin_addr.s_addr == from.sin_addr.s_addr) c = &clients[k];
                if (!c) {
                    if (nclients == MAX_CLIENTS) continue;
                    c = &clients[nclients++];
                    c->address = from;
                    c->near = bound(listen_at);
                    connect(c->near, (struct sockaddr *)&from, len);
                    c->far = udp_socket();
                    connect(c->far, (struct sockaddr *)&target, sizeof target);
                    by_fd[c->near] = by_fd[c->far] = c;
                    watch(epfd, c->near);
                    watch(epfd, c->far);
                }
                if (send(c->far, buf, (size_t)got, 0) == got) forwarded[0]++;
            }
        }
    }
    fprintf(stderr, "udp-forwarder: %llu datagrams c2s, %llu s2c\n", forwarded[0], forwarded[1]);
    return 0;
}
