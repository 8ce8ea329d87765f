/// A condition on one label, written as a string in dashboard files so a matcher map reads
/// like PromQL's: `"c2s"` equals, `"!=c2s"` differs (or is absent), `"*"` is present with any
/// value, `"tcp*"` starts with `tcp`. No regular expressions: these four cover the
/// dashboards and keep matching cheap. (A value that itself starts with `!=` or ends with
/// `*` cannot be matched exactly.)
public struct LabelMatcher: RawRepresentable, Hashable, Sendable, ExpressibleByStringLiteral {
    public let rawValue: String

    public init(rawValue: String) {
        self.rawValue = rawValue
    }

    public init(stringLiteral value: String) {
        self.rawValue = value
    }

    /// Whether a series whose label has `value` (nil: the label is absent) matches.
    public func matches(_ value: String?) -> Bool {
        if rawValue.hasPrefix("!=") { return value != String(rawValue.dropFirst(2)) }
        guard let value else { return false }
        if rawValue.hasSuffix("*") { return value.hasPrefix(rawValue.dropLast()) }
        return value == rawValue
    }
}
