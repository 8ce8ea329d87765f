#ifndef BPTOP_CNCURSES_SHIM_H
#define BPTOP_CNCURSES_SHIM_H
// Wide-character ncurses for Swift. Swift 6 refuses ncurses' global variables (shared mutable
// state) and cannot import its attribute macros, so they are wrapped here.
#define _XOPEN_SOURCE_EXTENDED 1
#define NCURSES_WIDECHAR 1
#include <ncursesw/ncurses.h>
#include <locale.h>
#include <langinfo.h>
#include <signal.h>

static inline WINDOW *bp_stdscr(void) { return stdscr; }
static inline int bp_cols(void) { return COLS; }
static inline int bp_lines(void) { return LINES; }
static inline int bp_colors(void) { return COLORS; }

static const unsigned int BP_A_NORMAL = A_NORMAL;
static const unsigned int BP_A_BOLD = A_BOLD;
static const unsigned int BP_A_DIM = A_DIM;
static const unsigned int BP_A_REVERSE = A_REVERSE;
static const unsigned int BP_A_UNDERLINE = A_UNDERLINE;

static inline unsigned int bp_color_pair(int n) { return (unsigned int)COLOR_PAIR(n); }

static const int BP_KEY_RESIZE = KEY_RESIZE;
static const int BP_KEY_UP = KEY_UP;
static const int BP_KEY_DOWN = KEY_DOWN;
static const int BP_KEY_LEFT = KEY_LEFT;
static const int BP_KEY_RIGHT = KEY_RIGHT;
static const int BP_KEY_ENTER = KEY_ENTER;
static const int BP_KEY_F1 = KEY_F(1);
static const int BP_KEY_HOME = KEY_HOME;
static const int BP_KEY_END = KEY_END;
static const int BP_KEY_NPAGE = KEY_NPAGE;
static const int BP_KEY_PPAGE = KEY_PPAGE;

/// Writes one wide character with attributes at (y, x).
/// Draws one grapheme: a base character and up to CCHARW_MAX - 1 combining or joining
/// characters (`n` in all; longer clusters keep their first CCHARW_MAX).
static inline void bp_put(int y, int x, const wchar_t *chars, int n, unsigned int attrs) {
    cchar_t c;
    wchar_t s[CCHARW_MAX + 1];
    int count = n < CCHARW_MAX ? n : CCHARW_MAX;
    for (int i = 0; i < count; i++) s[i] = chars[i];
    s[count] = 0;
    setcchar(&c, s, attrs & ~A_COLOR, PAIR_NUMBER(attrs), NULL);
    mvadd_wch(y, x, &c);
}

/// On a crash (a Swift trap is SIGILL or SIGTRAP) give the terminal back before dying, so the
/// user's shell is not left in raw mode. endwin() is not async-signal-safe, but the process is
/// about to die anyway and a usable terminal is worth the risk (htop does the same).
static void bp_fatal_signal(int sig) {
    endwin();
    signal(sig, SIG_DFL);
    raise(sig);
}

static inline void bp_restore_terminal_on_crash(void) {
    int sigs[] = { SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGABRT, SIGFPE };
    for (unsigned i = 0; i < sizeof sigs / sizeof sigs[0]; i++) signal(sigs[i], bp_fatal_signal);
}
#endif
