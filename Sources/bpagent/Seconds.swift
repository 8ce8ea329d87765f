import ArgumentParser

/// A number of seconds given on the command line. Its own type so that help shows the default
/// as a person writes it ("300", "0.5"), not as a Double prints ("300.0").
struct Seconds: ExpressibleByArgument, CustomStringConvertible {
    let value: Double

    init(_ value: Double) { self.value = value }

    init?(argument: String) {
        guard let value = Double(argument), value.isFinite else { return nil }
        self.value = value
    }

    var description: String { value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value) }

    var defaultValueDescription: String { description }

    var micros: UInt64 { UInt64(value * 1_000_000) }
}
