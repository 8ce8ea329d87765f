#ifndef CZLIB_SHIM_H
#define CZLIB_SHIM_H
#include <zlib.h>

/// deflateInit2 is a macro, which Swift cannot call: starts a gzip stream (a gzip header and
/// trailer around deflate data, windowBits 15 + 16) at `level`.
static inline int bp_deflate_init_gzip(z_stream *stream, int level) {
    return deflateInit2(stream, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
}
#endif
