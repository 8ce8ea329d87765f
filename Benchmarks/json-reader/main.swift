// bptop's JSON reader (Telemetry/JSON/JSONReader.swift, compiled in beside this file) against
// Foundation's JSONDecoder decoding the same documents into an equivalent tree, on the files
// bptop reads: the shipped dashboards and iperf3 --json / --json-stream output. Prints the
// median of REPS rounds per document and the ratio. Run: bash Scripts/bench-json.
import Foundation

/// The same tree as `JSONValue`, decoded by Foundation.
enum FoundationValue: Decodable {
    case null, bool(Bool), number(Double), string(String), array([FoundationValue]), object([String: FoundationValue])

    init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null }
        else if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let n = try? c.decode(Double.self) { self = .number(n) }
        else if let s = try? c.decode(String.self) { self = .string(s) }
        else if let a = try? c.decode([FoundationValue].self) { self = .array(a) }
        else { self = .object(try c.decode([String: FoundationValue].self)) }
    }
}

let reps = Int(ProcessInfo.processInfo.environment["REPS"] ?? "") ?? 9
func median(_ body: () -> Void) -> Double {
    var xs: [Double] = []
    for _ in 0..<reps {
        let start = ContinuousClock.now
        body()
        let d = (ContinuousClock.now - start).components
        xs.append(Double(d.seconds) * 1e6 + Double(d.attoseconds) / 1e12)
    }
    return xs.sorted()[xs.count / 2]
}

print("document".padding(toLength: 26, withPad: " ", startingAt: 0), "bytes ", "JSONReader µs", "JSONDecoder µs", "ratio ",
      "JSONSerialization µs", "ratio")
var totalOurs = 0.0, totalFoundation = 0.0, totalSerialization = 0.0
for path in CommandLine.arguments.dropFirst() {
    let data = try! Data(contentsOf: URL(fileURLWithPath: path))
    let bytes = [UInt8](data)
    // --json-stream: one document per line, as bptop reads them.
    let docs: [[UInt8]] = path.hasSuffix(".jsonl") ? bytes.split(separator: 0x0A).map(Array.init) : [bytes]
    let loops = max(1, 2_000_000 / max(bytes.count, 1))
    let ours = median { for _ in 0..<loops { for d in docs { precondition(JSONReader.parse(d) != nil) } } } / Double(loops)
    let decoder = JSONDecoder()
    let datas = docs.map { Data($0) }
    let theirs = median { for _ in 0..<loops { for d in datas { _ = try! decoder.decode(FoundationValue.self, from: d) } } } / Double(loops)
    let serialization = median { for _ in 0..<loops { for d in datas { _ = try! JSONSerialization.jsonObject(with: d) } } } / Double(loops)
    totalOurs += ours; totalFoundation += theirs; totalSerialization += serialization
    let name = String(path.split(separator: "/").last!)
    print(name.padding(toLength: 26, withPad: " ", startingAt: 0), String(bytes.count).padding(toLength: 6, withPad: " ", startingAt: 0),
          String(format: "%13.1f %14.1f %5.1f× %20.1f %5.1f×", ours, theirs, theirs / ours, serialization, serialization / ours))
}
print(String(format: "total: JSONReader %.0f µs, JSONDecoder %.0f µs (%.1f×), JSONSerialization %.0f µs (%.1f×)",
             totalOurs, totalFoundation, totalFoundation / totalOurs, totalSerialization, totalSerialization / totalOurs))
