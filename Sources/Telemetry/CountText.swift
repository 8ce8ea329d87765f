/// A count with its noun: "1 line", "3 lines" — never "1 lines".
public enum CountText {
    public static func of<N: BinaryInteger>(_ n: N, _ singular: String, plural: String? = nil) -> String {
        "\(n) \(n == 1 ? singular : plural ?? singular + "s")"
    }

    /// All the digits, in groups of three: `85,000`, `1,204`, `7`. For counts a person compares
    /// at a glance (datagrams lost of sent), where a scaled `85.0 k` would hide the difference.
    public static func grouped<N: BinaryInteger>(_ n: N) -> String {
        let digits = String(n.magnitude)
        var out = n < 0 ? "-" : ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return out
    }
}
