import Foundation

/// A parsed JSON document, kept as a tree so the definition reader can name the exact field
/// path and the expected type in its errors (JSONDecoder's messages do not say which file
/// or field a user got wrong in terms a user can act on).
enum JSONValue: Decodable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() {
            self = .null
        } else if let b = try? c.decode(Bool.self) {
            self = .bool(b)
        } else if let n = try? c.decode(Double.self) {
            self = .number(n)
        } else if let s = try? c.decode(String.self) {
            self = .string(s)
        } else if let a = try? c.decode([JSONValue].self) {
            self = .array(a)
        } else {
            self = .object(try c.decode([String: JSONValue].self))
        }
    }

    /// Parses `bytes`; a syntax error becomes a `DefinitionError` at the document root.
    static func parse(_ bytes: [UInt8]) throws(DefinitionError) -> JSONValue {
        do {
            return try JSONDecoder().decode(JSONValue.self, from: Data(bytes))
        } catch {
            let detail = ((error as? DecodingError).flatMap(Self.underlying) ?? "\(error)")
            throw DefinitionError(path: "", message: "not valid JSON (\(detail))")
        }
    }

    private static func underlying(_ error: DecodingError) -> String? {
        guard case .dataCorrupted(let context) = error else { return nil }
        return (context.underlyingError as? NSError)?.userInfo[NSDebugDescriptionErrorKey] as? String
            ?? context.debugDescription
    }

    /// How a wrong value is quoted in an error: strings and numbers as written, else its kind.
    var shortDescription: String {
        switch self {
        case .null: "null"
        case .bool(let b): "\(b)"
        case .number(let n): n == n.rounded() && abs(n) < 1e15 ? "\(Int(n))" : "\(n)"
        case .string(let s): "\"\(s)\""
        case .array: "an array"
        case .object: "an object"
        }
    }
}
