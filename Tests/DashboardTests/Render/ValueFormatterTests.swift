import Testing
@testable import Dashboard

@Suite struct ValueFormatterTests {
    private func strings(_ values: [Double?], _ unit: DisplayUnit) -> [String] {
        values.map { ValueFormatter.string($0, unit: unit) }
    }

    @Test func bitsPerSecondScaleBytesByEightWithThreeDigits() {
        #expect(strings([0, 118.75, 153.75, 1_537_500, 153_750_000, 124.95, 125_000_000, -1000], .bitsPerSecond)
            == ["0 b/s", "950 b/s", "1.23 Kb/s", "12.3 Mb/s", "1.23 Gb/s", "1.00 Kb/s", "1.00 Gb/s", "-8.00 Kb/s"])
    }

    @Test func bytesPerSecondUseSIWithThreeDigits() {
        #expect(strings([0, 512, 1500, 147_500_000, 999_960, 1_100_000_000], .bytesPerSecond)
            == ["0 B/s", "512 B/s", "1.50 KB/s", "148 MB/s", "1.00 MB/s", "1.10 GB/s"])
    }

    @Test func bytesUseTheRatesDecimalPrefixes() {
        #expect(strings([512, 999, 1000, 12_800, 3 * 1_048_576, 6_324_339_343], .bytes)
            == ["512 B", "999 B", "1.00 KB", "12.8 KB", "3.15 MB", "6.32 GB"])
    }

    @Test func perSecondKeepsSmallRatesVisible() {
        #expect(strings([0, 0.03, 0.21, 4.5, 41, 1200, 999.96], .perSecond)
            == ["0/s", "0.03/s", "0.21/s", "4.50/s", "41.0/s", "1.20k/s", "1.00k/s"])
    }

    @Test func secondsStepFromNanoseconds() {
        #expect(strings([0, 500e-9, 3.6e-6, 234e-6, 850e-6, 0.0127, 1.25, 3600], .seconds)
            == ["0 s", "500 ns", "3.60 µs", "234 µs", "850 µs", "12.7 ms", "1.25 s", "3600 s"])
    }

    @Test func countsStayWholeBelowTenThousand() {
        #expect(strings([0, 0.5, 1234, 9999, 12_345, 4_500_000], .count)
            == ["0", "0.50", "1234", "9999", "12.3k", "4.50M"])
    }

    @Test func missingAndSpecialValues() {
        #expect(strings([nil, .nan, .infinity, -.infinity], .bitsPerSecond) == ["–", "–", "–", "–"])
    }

    @Test func ticksDropTrailingZeros() {
        let ticks = [(0.0, DisplayUnit.bitsPerSecond), (62_500_000, .bitsPerSecond), (125_000_000, .bitsPerSecond),
                     (312_500_000, .bitsPerSecond), (0.005, .seconds), (1500, .perSecond), (5, .perSecond)]
        #expect(ticks.map { ValueFormatter.tick($0.0, unit: $0.1) }
            == ["0", "500 Mb/s", "1 Gb/s", "2.5 Gb/s", "5 ms", "1.5k/s", "5/s"])
    }

    @Test func axisTicksAreRoundInDisplayUnits() {
        #expect(AxisTicks(maximum: 9_750_000, intervals: 2, factor: 8).values == [0, 6_250_000, 12_500_000])
        #expect(AxisTicks(maximum: 10, intervals: 3, factor: 1).values == [0, 5, 10])
        #expect(AxisTicks(maximum: 15, intervals: 3, factor: 1).values == [0, 5, 10, 15])
        #expect(AxisTicks(maximum: nil, intervals: 3, factor: 1).values == [0, 0.5, 1])
        #expect(AxisTicks(maximum: 0, intervals: 1, factor: 8).values == [0, 0.125])
        #expect([3.2, 0.07, 20, 1, 7].map(AxisTicks.roundUp) == [5, 0.1, 20, 1, 10])
    }

    @Test func timeAndDurationText() {
        #expect([0.5, 30, 90, 120, 3600].map(TimeAxis.text) == ["0.5s", "30s", "1m30s", "2m", "1h"])
        #expect([42, 307, 3720, 273_600].map(ClockText.duration) == ["42s", "5m07s", "1h02m", "3d04h"])
        #expect([1_700_000_000, -1, .nan].map(ClockText.utcTimeOfDay) == ["22:13:20", "23:59:59", "--:--:--"])
    }
}
