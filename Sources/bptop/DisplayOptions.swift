import ArgumentParser
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Options every screen-drawing command shares.
struct DisplayOptions: ParsableArguments {
    @Flag(help: "No colors (also when NO_COLOR is set).")
    var noColor = false

    @Flag(help: "Draw with ASCII only (automatic when the locale is not UTF-8).")
    var ascii = false

    /// Colours unless `--no-color` or a non-empty `NO_COLOR` (no-color.org) says otherwise.
    var colors: Bool { !noColor && (getenv("NO_COLOR").map { String(cString: $0).isEmpty } ?? true) }
}
