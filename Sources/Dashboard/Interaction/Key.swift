/// A key press as bptop understands it, whatever terminal backend read it.
public enum Key: Equatable, Sendable {
    case char(Character)
    case up, down, left, right, pageUp, pageDown, home, end
    case enter, escape, f1, ctrlC
    /// The terminal changed size.
    case resize
}
