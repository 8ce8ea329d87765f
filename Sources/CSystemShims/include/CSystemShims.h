#ifndef C_SYSTEM_SHIMS_H
#define C_SYSTEM_SHIMS_H
// System headers that Swift's Glibc module does not bring in. No _GNU_SOURCE here: it would
// change glibc's own types and clash with the Glibc module.
#ifdef __linux__
#include <sys/epoll.h>
#endif
#endif
