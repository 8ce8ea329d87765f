import Glibc
import Testing
@testable import Dashboard

/// Compares rendered text with a snapshot kept in the test source. A snapshot still reading
/// `@@name@@` is printed instead (between `<<<name` and `>>>`), so a new one can be reviewed
/// and pasted in; such a test still fails.
func expectSnapshot(_ actual: String, _ expected: String, sourceLocation: SourceLocation = #_sourceLocation) {
    if expected.hasPrefix("@@") || (actual != expected && getenv("SNAPSHOT_DUMP") != nil) {
        print("<<<\(sourceLocation.fileID):\(sourceLocation.line)\n\(actual)\n>>>")
        fflush(nil)
    }
    #expect(actual == expected, sourceLocation: sourceLocation)
}

/// Draws one widget into a fresh buffer of the given size.
func draw(width: Int, height: Int, _ widget: (inout CellBuffer, Rect) -> Void) -> CellBuffer {
    var buffer = CellBuffer(width: width, height: height)
    widget(&buffer, buffer.area)
    return buffer
}

/// A screen of any size shows the wrapped too-small message below 40×10, else exactly
/// `height` lines starting with the header `title`.
func expectTooSmallOrHeader(_ text: String, width: Int, height: Int, title: String,
                            sourceLocation: SourceLocation = #_sourceLocation) {
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    if width < 40 || height < 10 {
        let message = "terminal too small: \(width)x\(height) (need 40x10)".wrapped(to: width)
        #expect(height == 0 ? text.isEmpty : Array(lines.prefix(message.count).map(String.init)) == Array(message.prefix(height)),
                sourceLocation: sourceLocation)
    } else {
        #expect(lines.count == height && lines[0].hasPrefix(title), sourceLocation: sourceLocation)
    }
}
