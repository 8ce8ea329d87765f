/// A dashboard file that cannot be used, said in one line: the file, the field path and
/// what was expected, e.g. `Dashboards/x.json: panels[2].unit: expected one of bits/s,
/// bytes/s, bytes, 1/s, s, count, got "furlongs"`.
public struct DefinitionError: Error, Equatable, CustomStringConvertible {
    /// The file (or "built-in NAME"); empty until the loader knows it.
    public var file = ""
    /// Dotted path from the document root (`panels[2].unit`); empty for the whole document.
    public var path: String
    public var message: String

    public var description: String {
        [file, path, message].filter { !$0.isEmpty }.joined(separator: ": ")
    }
}
