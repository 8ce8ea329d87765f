/// How one cell is drawn. Colours are names, not terminal codes, so each backend maps them
/// itself (and `NO_COLOR` can drop them in one place, the ncurses backend).
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
