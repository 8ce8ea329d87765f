import Telemetry

/// A JSON value and where it sits in the document, with typed accessors that throw a
/// `DefinitionError` naming that place.
struct JSONField {
    let value: JSONValue
    let path: String

    func fail(_ expected: String) -> DefinitionError {
        DefinitionError(path: path, message: "expected \(expected), got \(value.shortDescription)")
    }

    func string() throws(DefinitionError) -> String {
        guard case .string(let s) = value else { throw fail("a string") }
        return s
    }

    func bool() throws(DefinitionError) -> Bool {
        guard case .bool(let b) = value else { throw fail("true or false") }
        return b
    }

    func number(in range: ClosedRange<Double> = -.greatestFiniteMagnitude...(.greatestFiniteMagnitude)) throws(DefinitionError) -> Double {
        guard case .number(let n) = value, range.contains(n) else {
            throw fail(range.lowerBound == -.greatestFiniteMagnitude ? "a number" : "a number from \(range.lowerBound) to \(range.upperBound)")
        }
        return n
    }

    func int(in range: ClosedRange<Int>) throws(DefinitionError) -> Int {
        guard case .number(let n) = value, n == n.rounded(), n >= Double(range.lowerBound), n <= Double(range.upperBound) else {
            throw fail("a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return Int(n)
    }

    func oneOf<T: RawRepresentable & CaseIterable>(_: T.Type = T.self) throws(DefinitionError) -> T where T.RawValue == String {
        guard case .string(let s) = value, let v = T(rawValue: s) else {
            throw fail("one of " + T.allCases.map(\.rawValue).joined(separator: ", "))
        }
        return v
    }

    func array() throws(DefinitionError) -> [JSONField] {
        guard case .array(let items) = value else { throw fail("an array") }
        return items.enumerated().map { JSONField(value: $1, path: "\(path)[\($0)]") }
    }

    func strings() throws(DefinitionError) -> [String] {
        var out: [String] = []
        for item in try array() { out.append(try item.string()) }
        return out
    }

    /// The value as an object whose keys must all be in `allowed`: a misspelt field is an
    /// error rather than silently ignored.
    func object(allowing allowed: [String]) throws(DefinitionError) -> JSONObject {
        guard case .object(let fields) = value else { throw fail("an object") }
        if let unknown = fields.keys.sorted().first(where: { !allowed.contains($0) }) {
            throw DefinitionError(path: JSONObject.join(path, unknown),
                                  message: "unknown field; expected one of \(allowed.joined(separator: ", "))")
        }
        return JSONObject(fields: fields, path: path)
    }
}

/// The fields of a JSON object, looked up by name with their paths.
struct JSONObject {
    let fields: [String: JSONValue]
    let path: String

    static func join(_ path: String, _ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    subscript(key: String) -> JSONField? {
        fields[key].map { JSONField(value: $0, path: Self.join(path, key)) }
    }

    func require(_ key: String) throws(DefinitionError) -> JSONField {
        guard let field = self[key] else {
            throw DefinitionError(path: path, message: "missing field \"\(key)\"")
        }
        return field
    }
}
