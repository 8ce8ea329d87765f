import Dashboard

/// A recording played back into the same collected data the live session had: events go in
/// frame by frame, and after frame k the data is what the live screen was computed from when it
/// drew frame k, at that frame's time. Forward moves read on; going back starts over from the
/// first record (the data of a moment depends on everything before it), so memory stays what
/// the live session's was.
public final class Replay {
    public let path: String
    public let start: RecordingStart
    public private(set) var data: CollectedData
    /// Frames passed: the screen now is the one live drew at frame `frames` (0: nothing yet).
    public private(set) var frames = 0
    /// The time the screen shows as now: the last frame's, or the start before any.
    public private(set) var time: Double
    private var reader: RecordingReader
    /// Events read after the frame shown, and the time of the frame they lead to.
    private var pending: [RecordedEvent] = []
    private var nextFrame: Double?
    private let capacity: Int

    /// - Parameter capacity: slots kept per series, as the live session keeps.
    public init(path: String, capacity: Int) throws(RecordingError) {
        self.path = path
        self.capacity = capacity
        reader = try RecordingReader(path: path)
        start = reader.start
        data = CollectedData(recording: start, capacity: capacity)
        time = start.startTime
    }

    /// Nothing more to read now (a file still being written may grow).
    public var atEnd: Bool { !readAhead() }

    /// The reader's one-line problem once the end was reached (a file cut short or damaged).
    public var problem: String? { atEnd ? reader.problem : nil }

    /// The end record was read: the file will not grow.
    public var isComplete: Bool {
        if case .complete = reader.state { return atEnd }
        return false
    }

    /// Reading stopped at damage (the file will not be read further).
    public var isDamaged: Bool {
        if case .damaged = reader.state { return true }
        return false
    }

    /// Passes every frame up to `target` (at least one when `atLeastOne`); true if any was passed.
    @discardableResult
    public func forward(until target: Double, atLeastOne: Bool = false) -> Bool {
        var passed = false
        while readAhead(), let frame = nextFrame, frame <= target || (atLeastOne && !passed) {
            for event in pending { data.apply(event) }
            pending = []
            nextFrame = nil
            frames += 1
            time = frame
            passed = true
        }
        return passed
    }

    /// Reads the events up to the next frame (they belong to it, not to the frame shown now);
    /// false when the file has no further frame yet.
    private func readAhead() -> Bool {
        while nextFrame == nil {
            guard let event = reader.next() else { return false }
            if case .frame(let t) = event { nextFrame = t } else { pending.append(event) }
        }
        return true
    }

    /// Goes to the last frame at or before `target` (the first frame when none is), reading
    /// from the start.
    public func seek(to target: Double) throws(RecordingError) {
        reader = try RecordingReader(path: path)
        data = CollectedData(recording: start, capacity: capacity)
        pending = []
        nextFrame = nil
        frames = 0
        time = start.startTime
        forward(until: target, atLeastOne: true)
    }
}
