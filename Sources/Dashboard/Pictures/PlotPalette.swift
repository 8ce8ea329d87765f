/// Colours that read on white and on GitHub's dark background alike.
enum Palette {
    static func direction(_ dir: String) -> String { dir == "s2c" ? "#218bff" : "#2da44e" }
    static let events = "#e5534b"
    static let eventsAfter = "#f0883e"
    static let retries = "#c69026"
    static let stallP99 = "#a371f7"
    static let stallMax = "#db61a2"
    static let streams = ["#6e7781", "#8c959f", "#57ab5a", "#539bf5", "#b083f0", "#e0823d", "#c96198", "#39c5cf"]
}
