/// A run of text in one style; lines mixing plain labels and coloured values are built from
/// spans so every widget writes them the same way.
struct Span: Equatable, Sendable {
    var text: String
    var style: Style

    init(_ text: String, _ style: Style = .plain) {
        self.text = text
        self.style = style
    }
}
