/// A count with its noun: "1 line", "3 lines" — never "1 lines".
public enum CountText {
    public static func of(_ n: Int, _ singular: String, plural: String? = nil) -> String {
        "\(n) \(n == 1 ? singular : plural ?? singular + "s")"
    }
}
