/// A small SVG writer: shapes and text appended as elements, coordinates with one decimal,
/// text escaped. The picture's colours are CSS classes (`SVGCanvas.style`), so the same file
/// reads on GitHub's light and dark themes (`prefers-color-scheme`); a renderer without media
/// queries (librsvg) draws the light one.
struct SVGCanvas {
    let width: Int
    let height: Int
    private var body: [String] = []

    init(width: Int, height: Int) {
        self.width = width
        self.height = height
    }

    mutating func rect(_ x: Double, _ y: Double, _ w: Double, _ h: Double, className: String) {
        body.append("<rect x=\"\(n(x))\" y=\"\(n(y))\" width=\"\(n(w))\" height=\"\(n(h))\" class=\"\(className)\"/>")
    }

    mutating func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, className: String) {
        body.append("<line x1=\"\(n(x1))\" y1=\"\(n(y1))\" x2=\"\(n(x2))\" y2=\"\(n(y2))\" class=\"\(className)\"/>")
    }

    /// A polyline through `points`; nil breaks it (a gap is drawn as a gap).
    mutating func path(_ points: [(Double, Double)?], stroke: String, width: Double = 2, dashed: Bool = false) {
        var d = ""
        var pen = false
        for point in points {
            guard let (x, y) = point else { pen = false; continue }
            d += (pen ? "L" : "M") + n(x) + " " + n(y)
            pen = true
        }
        guard !d.isEmpty else { return }
        let dash = dashed ? " stroke-dasharray=\"6 4\"" : ""
        body.append("<path d=\"\(d)\" fill=\"none\" stroke=\"\(stroke)\" stroke-width=\"\(n(width))\" stroke-linejoin=\"round\"\(dash)/>")
    }

    mutating func marker(_ x: Double, _ y: Double, _ h: Double, color: String) {
        body.append("<rect x=\"\(n(x - 1))\" y=\"\(n(y))\" width=\"2\" height=\"\(n(h))\" fill=\"\(color)\"/>")
    }

    mutating func swatch(_ x: Double, _ y: Double, color: String, dashed: Bool) {
        let dash = dashed ? " stroke-dasharray=\"6 4\"" : ""
        body.append("<line x1=\"\(n(x))\" y1=\"\(n(y))\" x2=\"\(n(x + 22))\" y2=\"\(n(y))\" stroke=\"\(color)\" stroke-width=\"3\"\(dash)/>")
    }

    enum Anchor: String { case start, middle, end }

    mutating func text(_ s: String, _ x: Double, _ y: Double, className: String = "fg", anchor: Anchor = .start, size: Int = 13,
                       bold: Bool = false, rotate: Bool = false) {
        let weight = bold ? " font-weight=\"bold\"" : ""
        let turn = rotate ? " transform=\"rotate(-90 \(n(x)) \(n(y)))\"" : ""
        body.append("<text x=\"\(n(x))\" y=\"\(n(y))\" class=\"\(className)\" font-size=\"\(size)\" text-anchor=\"\(anchor.rawValue)\"\(weight)\(turn)>\(Self.escape(s))</text>")
    }

    var document: String {
        let head = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(width)\" height=\"\(height)\" viewBox=\"0 0 \(width) \(height)\" "
            + "font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\">"
        return ([head, "<style>\(Self.style)</style>", "<rect width=\"100%\" height=\"100%\" class=\"bg\"/>"] + body + ["</svg>"])
            .joined(separator: "\n") + "\n"
    }

    /// Light colours by default, GitHub's dark palette when the page is dark.
    static let style = """
        .bg{fill:#ffffff}.fg{fill:#1f2328}.dim{fill:#59636e}.grid{stroke:#d1d9e0;stroke-width:1}.axis{stroke:#59636e;stroke-width:1}\
        .frame{fill:none;stroke:#d1d9e0}\
        @media (prefers-color-scheme: dark){.bg{fill:#0d1117}.fg{fill:#f0f6fc}.dim{fill:#9198a1}.grid{stroke:#3d444d}.axis{stroke:#9198a1}.frame{stroke:#3d444d}}
        """

    static func escape(_ s: String) -> String {
        var out = ""
        for c in s {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default:
                // Control characters are not allowed in XML 1.0 text.
                if let scalar = c.unicodeScalars.first, scalar.value < 0x20 { out += "\u{FFFD}" } else { out.append(c) }
            }
        }
        return out
    }

    /// One decimal place is finer than a pixel.
    private func n(_ v: Double) -> String {
        let clamped = v.isFinite ? v : 0
        return (clamped < 0 ? "-" : "") + DecimalText.fixed(abs(clamped), decimals: 1, trimZeros: true)
    }
}
