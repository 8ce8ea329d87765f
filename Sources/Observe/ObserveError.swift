/// Why observing could not start or go on, in one line.
public struct ObserveError: Error, CustomStringConvertible, Sendable {
    public let description: String

    public init(_ message: String) { description = message }
}
