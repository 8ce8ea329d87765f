import Telemetry

extension JSONValue {
    /// Parses a dashboard file; a syntax error becomes a `DefinitionError` at the document root.
    static func parseDefinition(_ bytes: [UInt8]) throws(DefinitionError) -> JSONValue {
        switch JSONReader.read(bytes) {
        case .success(let value): return value
        case .failure(let error): throw DefinitionError(path: "", message: "not valid JSON (\(error))")
        }
    }

    /// How a wrong value is quoted in an error: strings and numbers as written, else its kind.
    var shortDescription: String {
        switch self {
        case .null: "null"
        case .bool(let b): "\(b)"
        case .number(let n): n.jsonText
        case .string(let s): "\"\(s)\""
        case .array: "an array"
        case .object: "an object"
        }
    }
}
