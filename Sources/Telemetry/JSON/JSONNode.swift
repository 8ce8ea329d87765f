/// A JSON value to print, members in the order given: what every report bptop prints as JSON
/// builds (`--once --json`, `bptop report --json`), rendered with the same escaping and number
/// format as `/metrics.json` — one writer, so every JSON the project prints parses.
public indirect enum JSONNode: Equatable, Sendable, ExpressibleByStringLiteral, ExpressibleByBooleanLiteral {
    case null
    case bool(Bool)
    /// Non-finite numbers print as `null`.
    case number(Double)
    case string(String)
    case array([JSONNode])
    case object([(String, JSONNode)])

    public init(stringLiteral value: String) { self = .string(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }

    /// `nil` is `null`.
    public static func number(_ value: Double?) -> JSONNode { value.map { .number($0) } ?? .null }
    public static func integer(_ value: (some BinaryInteger)?) -> JSONNode { value.map { .number(Double($0)) } ?? .null }
    public static func string(_ value: String?) -> JSONNode { value.map { .string($0) } ?? .null }

    public static func == (a: JSONNode, b: JSONNode) -> Bool {
        switch (a, b) {
        case (.null, .null): true
        case let (.bool(x), .bool(y)): x == y
        case let (.number(x), .number(y)): x == y || (x.isNaN && y.isNaN)
        case let (.string(x), .string(y)): x == y
        case let (.array(x), .array(y)): x == y
        case let (.object(x), .object(y)): x.count == y.count && zip(x, y).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: false
        }
    }

    /// The JSON text and a final newline. Members are separated by `", "` and keys by `": "`;
    /// the elements of arrays nested less than `lineDepth` deep go on lines of their own,
    /// indented two spaces a level, so a list of rows reads (and diffs) one row per line.
    public func text(lineDepth: Int = 1) -> String {
        var w = ByteWriter()
        write(into: &w, depth: 0, lineDepth: lineDepth)
        w.append("\n")
        return String(decoding: w.bytes, as: UTF8.self)
    }

    private func write(into w: inout ByteWriter, depth: Int, lineDepth: Int) {
        switch self {
        case .null: w.append("null")
        case .bool(let b): w.append(string: b ? "true" : "false")
        case .number(let n): w.append(jsonNumber: n)
        case .string(let s): w.append(jsonString: s)
        case .array(let elements):
            guard !elements.isEmpty else { return w.append("[]") }
            let broken = depth < lineDepth
            let indent = String(repeating: "  ", count: depth + 1)
            w.append("[")
            for (i, element) in elements.enumerated() {
                if i > 0 { w.append(broken ? "," : ", ") }
                if broken { w.append(string: "\n" + indent) }
                element.write(into: &w, depth: depth + 1, lineDepth: lineDepth)
            }
            if broken { w.append(string: "\n" + String(repeating: "  ", count: depth)) }
            w.append("]")
        case .object(let members):
            w.append("{")
            for (i, (key, value)) in members.enumerated() {
                if i > 0 { w.append(", ") }
                w.append(jsonString: key)
                w.append(": ")
                value.write(into: &w, depth: depth + 1, lineDepth: lineDepth)
            }
            w.append("}")
        }
    }
}
