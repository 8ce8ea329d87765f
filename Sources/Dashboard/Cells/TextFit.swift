extension String {
    /// Exactly `width` terminal columns: padded with spaces on the side away from `alignRight`, or
    /// cut with `ellipsis` as the last character so a truncated value never passes for a whole one.
    /// Widths are display widths: a wide character counts two, and is never cut in half.
    func fitted(to width: Int, alignRight: Bool = false, ellipsis: Character) -> String {
        guard width > 0 else { return "" }
        let own = displayWidth
        if own > width {
            var kept = "", used = 0
            for character in self {
                let w = character.displayWidth
                if used + w > width - 1 { break }
                kept.append(character)
                used += w
            }
            return kept + String(repeating: " ", count: width - 1 - used) + String(ellipsis)
        }
        let padding = String(repeating: " ", count: width - own)
        return alignRight ? padding + self : self + padding
    }
}

extension String {
    /// Lines of at most `width` columns, broken at spaces; a word longer than a line is cut
    /// across lines. Used where a message must stay readable however narrow the screen.
    func wrapped(to width: Int) -> [String] {
        guard width > 0 else { return [] }
        var lines: [String] = []
        var line = ""
        for word in split(separator: " ") {
            var word = Substring(word)
            if !line.isEmpty && line.displayWidth + 1 + word.displayWidth <= width {
                line += " " + word
                continue
            }
            if !line.isEmpty { lines.append(line) }
            while word.displayWidth > width {
                var cut = word.startIndex, used = 0
                while cut < word.endIndex, used + word[cut].displayWidth <= width {
                    used += word[cut].displayWidth
                    cut = word.index(after: cut)
                }
                if cut == word.startIndex { cut = word.index(after: cut) }
                lines.append(String(word[..<cut]))
                word = word[cut...]
            }
            line = String(word)
        }
        if !line.isEmpty { lines.append(line) }
        return lines
    }
}
