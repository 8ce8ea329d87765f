/// The glyphs a screen is drawn with. `.unicode` needs a UTF-8 locale; `.ascii` is the
/// fallback for any other terminal, so every widget draws through a symbol set, never a literal.
public struct SymbolSet: Equatable, Sendable {
    /// Panel borders.
    let horizontal, vertical, topLeft, topRight, bottomLeft, bottomRight: Character
    /// The arrow beside the sorted column's title.
    let sortAscending, sortDescending: Character
    /// `marker` flags a buffer-full event under a chart; `ellipsis` ends text cut to fit.
    let marker, ellipsis: Character
    /// Chart resolution: how many data points one cell holds across and down.
    let dotsAcross, dotsDown: Int
    /// Whether text from data must be folded to ASCII before it reaches the terminal.
    let asciiOnly: Bool

    public static let unicode = SymbolSet(
        horizontal: "─", vertical: "│", topLeft: "┌", topRight: "┐", bottomLeft: "└", bottomRight: "┘",
        sortAscending: "▲", sortDescending: "▼", marker: "◆", ellipsis: "…",
        dotsAcross: 2, dotsDown: 4, asciiOnly: false)

    public static let ascii = SymbolSet(
        horizontal: "-", vertical: "|", topLeft: "+", topRight: "+", bottomLeft: "+", bottomRight: "+",
        sortAscending: "^", sortDescending: "v", marker: "!", ellipsis: "~",
        dotsAcross: 1, dotsDown: 1, asciiOnly: true)

    /// The glyph for one chart cell whose dots are set in `bits` (braille dot numbering).
    func chartGlyph(_ bits: UInt8) -> Character {
        guard asciiOnly else { return Character(Unicode.Scalar(0x2800 + UInt32(bits))!) }
        return "*"
    }

    /// The character a terminal can show: itself, or for `.ascii` its closest ASCII stand-in,
    /// so labels from data (`local → peer`), units (`µs`) and gaps (`–`) survive a non-UTF-8 locale.
    func displayable(_ character: Character) -> Character {
        guard asciiOnly, !character.isASCII else { return character }
        return Self.asciiStandIns[character] ?? "?"
    }

    private static let asciiStandIns: [Character: Character] = [
        "→": ">", "←": "<", "↑": "^", "↓": "v", "▲": "^", "▼": "v", "…": "~", "–": "-", "—": "-",
        "µ": "u", "·": ".", "─": "-", "│": "|", "┌": "+", "┐": "+", "└": "+", "┘": "+", "◆": "!",
    ]
}
