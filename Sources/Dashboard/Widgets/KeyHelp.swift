/// The key bindings the help overlay lists. They live here, next to the overlay, so the text
/// stays in one place; the key handling itself belongs to the executable.
public enum KeyHelp {
    public static let `default`: [(keys: String, action: String)] = [
        ("q, Ctrl-C", "quit"),
        ("?, F1", "help"),
        ("↑↓ / j k", "select"),
        ("Enter", "focus stream"),
        ("Esc", "back"),
        ("space, p", "pause display"),
        ("+ / -", "interval"),
        ("[ / ]", "window"),
        ("s", "sort column"),
        ("S", "reverse sort"),
        ("b", "bits/bytes"),
    ]
}
