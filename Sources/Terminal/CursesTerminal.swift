#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CNcurses
import Dashboard

/// The ncurses backend: owns the terminal between `init` and `restore()`, draws cells, and
/// turns input bytes into `Key`s. Everything else in bptop is plain Swift.
public final class CursesTerminal {
    /// Whether the locale is UTF-8, so braille and box drawing can be used.
    public let unicode: Bool
    private let colors: Bool
    private var active = true
    /// Where keys come from: standard input, or the terminal itself when standard input is a
    /// pipe (`iperf3 … | bptop --iperf3 -`). The live loop polls it.
    public let inputFD: Int32

    /// Takes over the terminal. `colors: false` for `--no-color` and `NO_COLOR`.
    public init(colors wantColors: Bool) {
        setlocale(LC_ALL, "")
        unicode = String(cString: nl_langinfo(nl_item(CODESET))) == "UTF-8"
        if isatty(0) == 0, case let tty = open("/dev/tty", O_RDONLY | O_CLOEXEC), tty >= 0 {
            inputFD = tty
            set_term(newterm(nil, fdopen(1, "w"), fdopen(tty, "r")))
        } else {
            inputFD = 0
            initscr()
        }
        bp_restore_terminal_on_crash()
        raw()
        noecho()
        keypad(bp_stdscr(), true)
        nodelay(bp_stdscr(), true)
        set_escdelay(25)
        curs_set(0)
        if wantColors && has_colors() {
            start_color()
            use_default_colors()
            for (i, c) in Self.palette.enumerated() { init_pair(Int16(i + 1), c, -1) }
            colors = true
        } else {
            colors = false
        }
    }

    deinit { restore() }

    /// Gives the terminal back (idempotent): called on quit, on signals and on error paths.
    public func restore() {
        guard active else { return }
        active = false
        endwin()
    }

    public var size: (width: Int, height: Int) { (Int(bp_cols()), Int(bp_lines())) }

    /// ncurses color numbers in `ColorName.allCases` order after `.default`.
    private static let palette: [Int16] = [
        Int16(COLOR_RED), Int16(COLOR_GREEN), Int16(COLOR_YELLOW), Int16(COLOR_BLUE),
        Int16(COLOR_MAGENTA), Int16(COLOR_CYAN), Int16(COLOR_WHITE),
    ]

    /// Draws one cell, its whole grapheme (accents and emoji modifiers included); nothing
    /// appears until `refresh()`. A continuation cell draws nothing: the wide character left of
    /// it covers it.
    public func put(x: Int, y: Int, _ cell: Cell) {
        guard !cell.isContinuation else { return }
        let style = cell.style
        var attrs = BP_A_NORMAL
        if style.bold { attrs |= BP_A_BOLD }
        if style.dim { attrs |= BP_A_DIM }
        if style.reverse { attrs |= BP_A_REVERSE }
        if colors, style.fg != .default, let index = ColorName.allCases.firstIndex(of: style.fg) {
            attrs |= bp_color_pair(Int32(index))
        }
        let chars = cell.character.unicodeScalars.map { wchar_t(bitPattern: $0.value) }
        chars.withUnsafeBufferPointer { bp_put(Int32(y), Int32(x), $0.baseAddress, Int32($0.count), attrs) }
    }

    /// Draws exactly the cells that differ from what the screen shows.
    public func draw(_ buffer: CellBuffer, previous: CellBuffer?) {
        if let previous, previous.width == buffer.width, previous.height == buffer.height {
            for change in buffer.changes(since: previous) { put(x: change.x, y: change.y, change.cell) }
        } else {
            erase()
            for y in 0..<buffer.height {
                for x in 0..<buffer.width {
                    put(x: x, y: y, buffer[x, y])
                }
            }
        }
        refresh()
    }

    /// Every key waiting in the input queue, without blocking.
    public func readKeys() -> [Key] {
        var codes: [Int32] = []
        while true {
            let c = getch()
            if c == ERR { break }
            codes.append(c)
        }
        return Self.keys(from: codes)
    }

    /// Keys from raw input codes. An escape sequence that ncurses did not decode (terminals
    /// disagree, e.g. tmux's `ESC [ 1 ~` for Home) is read whole, so its bytes never pose as
    /// keys such as `[`; a lone ESC is the Escape key.
    static func keys(from codes: [Int32]) -> [Key] {
        var keys: [Key] = []
        var i = 0
        while i < codes.count {
            let c = codes[i]
            i += 1
            guard c == 27, i < codes.count, codes[i] == 91 || codes[i] == 79 else {
                if let key = key(for: c) { keys.append(key) }
                continue
            }
            let start = i + 1
            var end = start
            while end < codes.count, !(64...126).contains(codes[end]) { end += 1 }
            let body = codes[start..<min(end + 1, codes.count)].map { Character(Unicode.Scalar(UInt8(truncatingIfNeeded: $0))) }
            i = end + 1
            switch String(body) {
            case "1~", "7~", "H": keys.append(.home)
            case "4~", "8~", "F": keys.append(.end)
            case "A": keys.append(.up)
            case "B": keys.append(.down)
            case "5~": keys.append(.pageUp)
            case "6~": keys.append(.pageDown)
            default: break
            }
        }
        return keys
    }

    static func key(for c: Int32) -> Key? {
        switch c {
        case BP_KEY_UP: .up
        case BP_KEY_DOWN: .down
        case BP_KEY_LEFT: .left
        case BP_KEY_RIGHT: .right
        case BP_KEY_NPAGE: .pageDown
        case BP_KEY_PPAGE: .pageUp
        case BP_KEY_HOME: .home
        case BP_KEY_END: .end
        case BP_KEY_ENTER, 10, 13: .enter
        case BP_KEY_F1: .f1
        case BP_KEY_RESIZE: .resize
        case 27: .escape
        case 3: .ctrlC
        case 32..<127: .char(Character(Unicode.Scalar(UInt8(c))))
        default: nil
        }
    }
}
