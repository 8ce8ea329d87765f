/// The eight colours a dashboard may name; the terminal maps them (or drops them under NO_COLOR).
public enum ColorName: String, Equatable, Sendable, CaseIterable {
    case `default`, red, green, yellow, blue, magenta, cyan, white
}
