/// One terminal cell. A character two columns wide (CJK, most emoji) is stored in its first
/// cell, and the cell to its right is a `continuation` that backends skip: the grid stays
/// aligned with what the terminal shows, column for column.
public struct Cell: Equatable, Hashable, Sendable {
    /// A grapheme cluster: an accent or a ZWJ emoji sequence stays with its base character.
    public var character: Character
    public var style: Style
    /// The right half of the wide character in the cell before.
    public var isContinuation: Bool

    public init(_ character: Character = " ", style: Style = .plain) {
        self.character = character
        self.style = style
        self.isContinuation = false
    }

    /// Columns the character takes: 2 for a wide one, else 1 (0 for the continuation).
    public var width: Int { isContinuation ? 0 : (character.displayWidth == 2 ? 2 : 1) }

    public static let blank = Cell()

    static func continuation(_ style: Style) -> Cell {
        var cell = Cell(" ", style: style)
        cell.isContinuation = true
        return cell
    }
}
