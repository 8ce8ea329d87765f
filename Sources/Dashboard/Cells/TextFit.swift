extension String {
    /// Exactly `width` characters: padded with spaces on the side away from `alignRight`, or cut
    /// with `ellipsis` as the last character so a truncated value never passes for a whole one.
    func fitted(to width: Int, alignRight: Bool = false, ellipsis: Character) -> String {
        guard width > 0 else { return "" }
        if count > width { return String(prefix(width - 1)) + String(ellipsis) }
        let padding = String(repeating: " ", count: width - count)
        return alignRight ? padding + self : self + padding
    }
}

extension String {
    /// Lines of at most `width` characters, broken at spaces; a word longer than a line is cut
    /// across lines. Used where a message must stay readable however narrow the screen.
    func wrapped(to width: Int) -> [String] {
        guard width > 0 else { return [] }
        var lines: [String] = []
        var line = ""
        for word in split(separator: " ") {
            var word = Substring(word)
            if !line.isEmpty && line.count + 1 + word.count <= width {
                line += " " + word
                continue
            }
            if !line.isEmpty { lines.append(line) }
            while word.count > width {
                lines.append(String(word.prefix(width)))
                word = word.dropFirst(width)
            }
            line = String(word)
        }
        if !line.isEmpty { lines.append(line) }
        return lines
    }
}
