import Testing
@testable import Dashboard

/// Compares rendered text with a snapshot kept in the test source. A snapshot still reading
/// `@@name@@` is printed instead (between `<<<name` and `>>>`), so a new one can be reviewed
/// and pasted in; such a test still fails.
func expectSnapshot(_ actual: String, _ expected: String, sourceLocation: SourceLocation = #_sourceLocation) {
    if expected.hasPrefix("@@") {
        print("<<<\(expected)\n\(actual)\n>>>")
    }
    #expect(actual == expected, sourceLocation: sourceLocation)
}

/// Draws one widget into a fresh buffer of the given size.
func draw(width: Int, height: Int, _ widget: (inout CellBuffer, Rect) -> Void) -> CellBuffer {
    var buffer = CellBuffer(width: width, height: height)
    widget(&buffer, buffer.area)
    return buffer
}
