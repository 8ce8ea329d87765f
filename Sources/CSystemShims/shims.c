#ifdef __linux__
#define _GNU_SOURCE 1
#include <fcntl.h>
#include <stddef.h>
#endif
#include "CSystemShims.h"

#ifdef __linux__
ssize_t bp_splice(int fd_in, int fd_out, size_t len) {
    return splice(fd_in, NULL, fd_out, NULL, len, SPLICE_F_MOVE | SPLICE_F_NONBLOCK);
}

int bp_set_pipe_size(int fd, int size) {
    return fcntl(fd, F_SETPIPE_SZ, size);
}
#endif
