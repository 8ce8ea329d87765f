/// How one cell is drawn. Colours are names, not terminal codes, so each backend maps them
/// itself. Whether colours are drawn at all (`--no-color`, `NO_COLOR`) is decided once, in
/// bptop's `DisplayOptions`, and handed to the ncurses backend, which then draws none.
public struct Style: Equatable, Hashable, Sendable {
    public var fg: ColorName
    public var bold: Bool
    public var dim: Bool
    public var reverse: Bool

    public init(fg: ColorName = .default, bold: Bool = false, dim: Bool = false, reverse: Bool = false) {
        self.fg = fg
        self.bold = bold
        self.dim = dim
        self.reverse = reverse
    }

    public static let plain = Style()
}
