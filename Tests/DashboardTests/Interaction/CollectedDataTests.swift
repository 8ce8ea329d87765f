import Testing
import Telemetry
@testable import Dashboard

@Suite struct CollectedDataTests {
    @Test func uniqueNames() {
        #expect(CollectedData.uniqueNames(["bpagent.sock", "x:1", "bpagent.sock", "bpagent.sock"])
            == ["bpagent.sock", "x:1", "bpagent.sock#2", "bpagent.sock#3"])
    }

    @Test func healthFollowsScrapes() {
        var data = CollectedData(names: ["a"], capacity: 4)
        #expect(data.sources[0].health == .waiting)
        data.ingest(source: 0, body: Array("m 1\nbad line here\nm{x=\"1\"} 2\n".utf8), at: 10)
        #expect(data.sources[0].health == .ok)
        #expect(data.sources[0].skippedLines == 1)
        data.recordFailure(source: 0, at: 11)
        data.recordFailure(source: 0, at: 12)
        #expect(data.sources[0].health == .disconnected(since: 11), "since the first failure")
        data.ingest(source: 0, body: Array("m 3\n".utf8), at: 13)
        #expect(data.sources[0].health == .ok)
        #expect(data.sources[0].skippedLines == 0)
        let m = data.store.evaluate(Query(metric: "m"), slots: 4)
        #expect(m.first?.values == [1, nil, nil, 3])
    }
}
