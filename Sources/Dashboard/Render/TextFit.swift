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
