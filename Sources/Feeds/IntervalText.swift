/// How often to scrape, as people type it: `1s`, `500ms`, `2.5` (seconds).
public enum IntervalText {
    /// Milliseconds, from 100 ms to one hour; a message naming `option` otherwise.
    public static func millis(_ text: String, option: String = "--interval") throws(InvalidInterval) -> Int {
        let value: Double?
        if text.hasSuffix("ms") { value = Double(text.dropLast(2)) }
        else if text.hasSuffix("s") { value = Double(text.dropLast()).map { $0 * 1000 } }
        else { value = Double(text).map { $0 * 1000 } }
        guard let value, value.isFinite, value >= 100, value <= 3_600_000 else {
            throw InvalidInterval(message: "invalid \(option) \"\(text)\": expected 100ms to 1h, like 1s, 500ms or 2.5")
        }
        return Int(value)
    }
}

public struct InvalidInterval: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}
