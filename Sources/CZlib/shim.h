#ifndef CZLIB_SHIM_H
#define CZLIB_SHIM_H
#include <zlib.h>

/// deflateInit2 is a macro, which Swift cannot call: starts a gzip stream (a gzip header and
/// trailer around deflate data, windowBits 15 + 16) at `level`.
static inline int bp_deflate_init_gzip(z_stream *stream, int level) {
    return deflateInit2(stream, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
}

/// Raw deflate (no zlib or gzip wrapper, windowBits -15) for bptop's recordings: the file frames
/// and checksums its own records, and each flush must be readable on its own.
static inline int bp_deflate_init_raw(z_stream *stream, int level) {
    return deflateInit2(stream, level, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY);
}

/// inflateInit2 is a macro too: reads what bp_deflate_init_raw writes.
static inline int bp_inflate_init_raw(z_stream *stream) {
    return inflateInit2(stream, -15);
}
#endif
