// Socket diagnostics for `bpagent observe`: request building and reply parsing, so the
// kernel's structs (and their versions) stay in C. See CSystemShims.h.
#ifdef __linux__
#define _GNU_SOURCE 1
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <arpa/inet.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <linux/inet_diag.h>
#include <linux/unix_diag.h>
#include <linux/tcp.h>
#include <linux/rtnetlink.h>
#include "CSystemShims.h"

int bp_netlink_sock_diag(void) { return NETLINK_SOCK_DIAG; }

static size_t request(void *buf, size_t cap, const void *body, size_t body_len, uint32_t seq) {
    size_t total = NLMSG_LENGTH(body_len);
    if (cap < total) return 0;
    memset(buf, 0, total);
    struct nlmsghdr *h = buf;
    h->nlmsg_len = (uint32_t)total;
    h->nlmsg_type = SOCK_DIAG_BY_FAMILY;
    h->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
    h->nlmsg_seq = seq;
    memcpy(NLMSG_DATA(h), body, body_len);
    return total;
}

size_t bp_inet_diag_request(void *buf, size_t cap, unsigned char family, uint32_t seq,
                            const uint16_t *ports, const uint8_t *destination, int count) {
    struct {
        struct inet_diag_req_v2 r;
        struct rtattr attr;
        struct inet_diag_bc_op ops[3 * 31];
    } q;
    memset(&q, 0, sizeof q);
    if (count < 0 || count > 31) return 0;
    q.r.sdiag_family = family;
    q.r.sdiag_protocol = IPPROTO_TCP;
    q.r.idiag_ext = (1 << (INET_DIAG_INFO - 1)) | (1 << (INET_DIAG_SKMEMINFO - 1));
    // Every state but TIME_WAIT and SYN_RECV (mini sockets without an inode or tcp_info).
    q.r.idiag_states = 0xfff & ~((1u << 6) | (1u << 3));
    if (count == 0) return request(buf, cap, &q.r, sizeof q.r, seq);
    // The kernel's filter language (inet_diag_bc_run), laid out as `ss` compiles an "or":
    // each condition is a port comparison (two ops) whose match goes on to the jump after it
    // and whose miss skips that jump to the next condition; each jump leaps to the end (accept);
    // the last condition's miss lands 4 bytes past the end (reject). The kernel's audit wants
    // every miss target reachable by following matches, which this layout gives.
    const int op = (int)sizeof(struct inet_diag_bc_op);
    int length = count * 2 * op + (count - 1) * op;
    struct inet_diag_bc_op *at = q.ops;
    for (int i = 0; i < count; i++) {
        at[0].code = destination[i] ? INET_DIAG_BC_D_EQ : INET_DIAG_BC_S_EQ;
        at[0].yes = (unsigned char)(2 * op);
        at[0].no = (uint16_t)(3 * op);
        at[1].no = ports[i];
        at += 2;
        if (i < count - 1) {
            int after = (count - 1 - i) * 2 * op + (count - 2 - i) * op;
            at[0].code = INET_DIAG_BC_JMP;
            at[0].yes = (unsigned char)op;
            at[0].no = (uint16_t)(after + op);
            at += 1;
        }
    }
    q.attr.rta_type = INET_DIAG_REQ_BYTECODE;
    q.attr.rta_len = (unsigned short)RTA_LENGTH(length);
    return request(buf, cap, &q, sizeof q.r + RTA_SPACE(length), seq);
}

size_t bp_unix_diag_request(void *buf, size_t cap, uint32_t seq) {
    struct unix_diag_req r;
    memset(&r, 0, sizeof r);
    r.sdiag_family = AF_UNIX;
    r.udiag_states = 0xffffffff;
    r.udiag_show = UDIAG_SHOW_NAME | UDIAG_SHOW_PEER | UDIAG_SHOW_RQLEN | UDIAG_SHOW_MEMINFO;
    return request(buf, cap, &r, sizeof r, seq);
}

int bp_netlink_next(const void *buf, size_t len, size_t *offset, const void **payload, size_t *payload_len, int *error,
                    uint32_t *seq) {
    if (*offset >= len) return 0;
    const struct nlmsghdr *h = (const struct nlmsghdr *)((const char *)buf + *offset);
    size_t left = len - *offset;
    if (left < sizeof *h || h->nlmsg_len < sizeof *h || h->nlmsg_len > left) return -2;
    *offset += NLMSG_ALIGN(h->nlmsg_len);
    *seq = h->nlmsg_seq;
    if (h->nlmsg_type == NLMSG_DONE) return 2;
    if (h->nlmsg_type == NLMSG_ERROR) {
        const struct nlmsgerr *e = NLMSG_DATA(h);
        *error = h->nlmsg_len >= NLMSG_LENGTH(sizeof *e) ? -e->error : 0;
        return -1;
    }
    *payload = NLMSG_DATA(h);
    *payload_len = h->nlmsg_len - NLMSG_HDRLEN;
    return 1;
}

/// Runs `body` with `attr` set to each rtattr after a fixed header of `head` bytes.
#define EACH_ATTRIBUTE(payload, len, head, attr, body)                                   \
    do {                                                                                 \
        const struct rtattr *attr = (const struct rtattr *)((const char *)(payload) + NLMSG_ALIGN(head)); \
        size_t attr##_left = (len) > NLMSG_ALIGN(head) ? (len) - NLMSG_ALIGN(head) : 0;  \
        while (attr##_left >= sizeof(struct rtattr) && attr->rta_len >= sizeof(struct rtattr) \
               && attr->rta_len <= attr##_left) {                                        \
            body                                                                         \
            size_t step = RTA_ALIGN(attr->rta_len);                                      \
            if (step >= attr##_left) break;                                              \
            attr##_left -= step;                                                         \
            attr = (const struct rtattr *)((const char *)attr + step);                   \
        }                                                                                \
    } while (0)



static void meminfo(const struct rtattr *a, uint32_t *out, int *has) {
    size_t n = RTA_PAYLOAD(a) / sizeof(uint32_t);
    if (n > BP_MEM_COUNT) n = BP_MEM_COUNT;
    memset(out, 0, BP_MEM_COUNT * sizeof(uint32_t));
    memcpy(out, RTA_DATA(a), n * sizeof(uint32_t));
    *has = n > BP_MEM_DROPS;
}

int bp_inet_diag_lookup(void *buf, size_t cap, size_t *length, const struct bp_inet_socket *s, uint32_t seq) {
    struct inet_diag_req_v2 r;
    memset(&r, 0, sizeof r);
    r.sdiag_family = s->family;
    r.sdiag_protocol = IPPROTO_TCP;
    r.idiag_ext = (1 << (INET_DIAG_INFO - 1)) | (1 << (INET_DIAG_SKMEMINFO - 1));
    r.idiag_states = 0xfff;
    r.id.idiag_sport = htons(s->sport);
    r.id.idiag_dport = htons(s->dport);
    memcpy(r.id.idiag_src, s->src, 16);
    memcpy(r.id.idiag_dst, s->dst, 16);
    r.id.idiag_if = s->ifindex;
    r.id.idiag_cookie[0] = s->cookie[0];
    r.id.idiag_cookie[1] = s->cookie[1];
    if (*length > cap) return -1;
    size_t n = request((char *)buf + *length, cap - *length, &r, sizeof r, seq);
    if (n == 0) return -1;
    // An exact request, not a dump.
    ((struct nlmsghdr *)((char *)buf + *length))->nlmsg_flags = NLM_F_REQUEST;
    *length += NLMSG_ALIGN(n);
    return 0;
}

int bp_parse_inet_diag(const void *payload, size_t len, struct bp_inet_socket *out) {
    if (len < sizeof(struct inet_diag_msg)) return -1;
    const struct inet_diag_msg *m = payload;
    memset(out, 0, sizeof *out);
    out->family = m->idiag_family;
    out->state = m->idiag_state;
    out->sport = ntohs(m->id.idiag_sport);
    out->dport = ntohs(m->id.idiag_dport);
    memcpy(out->src, m->id.idiag_src, 16);
    memcpy(out->dst, m->id.idiag_dst, 16);
    out->rqueue = m->idiag_rqueue;
    out->wqueue = m->idiag_wqueue;
    out->inode = m->idiag_inode;
    out->ifindex = m->id.idiag_if;
    out->cookie[0] = m->id.idiag_cookie[0];
    out->cookie[1] = m->id.idiag_cookie[1];
    EACH_ATTRIBUTE(payload, len, sizeof *m, a, {
        if (a->rta_type == INET_DIAG_SKMEMINFO) meminfo(a, out->meminfo, &out->has_meminfo);
        if (a->rta_type == INET_DIAG_INFO) {
            // The kernel sends its own tcp_info, which may be shorter (older) or longer (newer)
            // than this header's: copy what both know, and tell which late fields came.
            struct tcp_info info;
            memset(&info, 0, sizeof info);
            size_t n = RTA_PAYLOAD(a) < sizeof info ? RTA_PAYLOAD(a) : sizeof info;
            memcpy(&info, RTA_DATA(a), n);
            out->has_info = 1;
            out->has_limited = n >= offsetof(struct tcp_info, tcpi_sndbuf_limited) + sizeof info.tcpi_sndbuf_limited;
            out->bytes_acked = info.tcpi_bytes_acked;
            out->bytes_received = info.tcpi_bytes_received;
            out->busy_us = info.tcpi_busy_time;
            out->rwnd_limited_us = info.tcpi_rwnd_limited;
            out->sndbuf_limited_us = info.tcpi_sndbuf_limited;
            out->delivery_rate = info.tcpi_delivery_rate;
            out->notsent_bytes = info.tcpi_notsent_bytes;
            out->total_retrans = info.tcpi_total_retrans;
            out->rtt_us = info.tcpi_rtt;
            out->snd_cwnd = info.tcpi_snd_cwnd;
        }
    });
    return 0;
}

int bp_inet_socket_same(const struct bp_inet_socket *a, const struct bp_inet_socket *b) {
    return a->state == b->state && a->rqueue == b->rqueue && a->wqueue == b->wqueue
        && a->has_meminfo == b->has_meminfo && memcmp(a->meminfo, b->meminfo, sizeof a->meminfo) == 0
        && a->has_info == b->has_info && a->bytes_acked == b->bytes_acked && a->bytes_received == b->bytes_received
        && a->busy_us == b->busy_us && a->rwnd_limited_us == b->rwnd_limited_us
        && a->sndbuf_limited_us == b->sndbuf_limited_us && a->delivery_rate == b->delivery_rate
        && a->notsent_bytes == b->notsent_bytes && a->total_retrans == b->total_retrans
        && a->rtt_us == b->rtt_us && a->snd_cwnd == b->snd_cwnd;
}

int bp_inet_diag_refresh(const void *payload, size_t len, struct bp_inet_socket *last) {
    struct bp_inet_socket now;
    if (bp_parse_inet_diag(payload, len, &now) != 0 || now.inode != last->inode) return -1;
    if (bp_inet_socket_same(&now, last)) return 0;
    *last = now;
    return 1;
}

void bp_netlink_renumber(void *buf, size_t len, uint32_t first) {
    size_t offset = 0;
    while (len - offset >= sizeof(struct nlmsghdr)) {
        struct nlmsghdr *h = (struct nlmsghdr *)((char *)buf + offset);
        if (h->nlmsg_len < sizeof *h || h->nlmsg_len > len - offset) return;
        h->nlmsg_seq = first++;
        offset += NLMSG_ALIGN(h->nlmsg_len);
    }
}

int bp_parse_unix_diag(const void *payload, size_t len, struct bp_unix_socket *out) {
    if (len < sizeof(struct unix_diag_msg)) return -1;
    const struct unix_diag_msg *m = payload;
    memset(out, 0, sizeof *out);
    out->type = m->udiag_type;
    out->state = m->udiag_state;
    out->inode = m->udiag_ino;
    EACH_ATTRIBUTE(payload, len, sizeof *m, a, {
        switch (a->rta_type) {
        case UNIX_DIAG_NAME: {
            size_t n = RTA_PAYLOAD(a) < sizeof out->name ? RTA_PAYLOAD(a) : sizeof out->name;
            memcpy(out->name, RTA_DATA(a), n);
            // A path's name ends at its NUL; an abstract name starts with one.
            if (n > 0 && out->name[0] != 0) n = strnlen(out->name, n);
            out->name_len = (int)n;
            break;
        }
        case UNIX_DIAG_PEER:
            if (RTA_PAYLOAD(a) >= sizeof(uint32_t)) { memcpy(&out->peer, RTA_DATA(a), 4); out->has_peer = 1; }
            break;
        case UNIX_DIAG_RQLEN:
            if (RTA_PAYLOAD(a) >= sizeof(struct unix_diag_rqlen)) {
                const struct unix_diag_rqlen *q = RTA_DATA(a);
                out->rqueue = q->udiag_rqueue;
                out->wqueue = q->udiag_wqueue;
                out->has_rqlen = 1;
            }
            break;
        case UNIX_DIAG_MEMINFO:
            meminfo(a, out->meminfo, &out->has_meminfo);
            break;
        }
    });
    return 0;
}

int bp_recv_many(int fd, void *buf, size_t slot, int count, int *lengths) {
    struct mmsghdr msgs[64];
    struct iovec iovs[64];
    if (count > 64) count = 64;
    memset(msgs, 0, sizeof msgs);
    for (int i = 0; i < count; i++) {
        iovs[i].iov_base = (char *)buf + (size_t)i * slot;
        iovs[i].iov_len = slot;
        msgs[i].msg_hdr.msg_iov = &iovs[i];
        msgs[i].msg_hdr.msg_iovlen = 1;
    }
    // Waits for the first (SO_RCVTIMEO bounds it), then takes what is already there.
    int n = recvmmsg(fd, msgs, (unsigned int)count, MSG_WAITFORONE, NULL);
    for (int i = 0; i < n; i++) {
        lengths[i] = (msgs[i].msg_hdr.msg_flags & MSG_TRUNC) ? -1 : (int)msgs[i].msg_len;
    }
    return n;
}

int bp_socket_meminfo(int fd, uint32_t *values, int count) {
    uint32_t mem[SK_MEMINFO_VARS];
    socklen_t len = sizeof mem;
    if (getsockopt(fd, SOL_SOCKET, SO_MEMINFO, mem, &len) != 0) return -1;
    memset(values, 0, (size_t)count * sizeof(uint32_t));
    size_t n = len / sizeof(uint32_t);
    memcpy(values, mem, (n < (size_t)count ? n : (size_t)count) * sizeof(uint32_t));
    return 0;
}
#endif
