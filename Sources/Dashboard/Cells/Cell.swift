/// One terminal cell. Every glyph bptop draws (braille, box drawing, arrows) is one column
/// wide, so a cell always holds exactly one character.
public struct Cell: Equatable, Hashable, Sendable {
    public var character: Character
    public var style: Style

    public init(_ character: Character = " ", style: Style = .plain) {
        self.character = character
        self.style = style
    }

    public static let blank = Cell()
}
