@testable import Dashboard
import Foundation
import Testing

/// The package's `Dashboards/` directory, found from this file's path.
let dashboardsDirectory = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Dashboards")

@Suite struct DefinitionLoadingTests {
    @Test(arguments: ["backpressure", "iperf3", "prometheus-generic", "observe", "gvproxy", "vmnet-helper", "firecracker",
                      "cloud-hypervisor"])
    func shippedDashboardLoadsAndEqualsItsEmbeddedCopy(name: String) throws {
        let file = dashboardsDirectory.appendingPathComponent("\(name).json")
        let bytes = try Data(contentsOf: file)
        #expect(DashboardResolver.builtInFiles[name] == Array(bytes))
        let definition = try DashboardDefinition(json: Array(bytes), file: file.path)
        #expect(!definition.panels.isEmpty)
    }

    @Test func everyShippedFileIsBuiltIn() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: dashboardsDirectory.path).filter { $0.hasSuffix(".json") }
        #expect(files.map { String($0.dropLast(5)) }.sorted() == DashboardResolver.builtInFiles.keys.sorted())
    }

    @Test func backpressureHasTheExpectedPanels() throws {
        let d = try DashboardResolver.load("backpressure", executablePath: "/nonexistent/bin/bptop")
        #expect(d.header.map(\.label) == ["c2s", "s2c", "buffer-full", "retries", "worst stall"])
        #expect(d.panels.map(\.title) == ["Throughput", "Backpressure", "Streams"])
        guard case .table(let table) = d.panels[2].kind else { Issue.record("not a table"); return }
        #expect(table.columns.map(\.title) == ["stream", "local → peer", "dir", "now", "avg", "full/s", "retry/s",
                                               "p50", "p99", "max", "queued", "state"])
    }

    @Test func nameIsFoundInDashboardsNextToTheExecutable() throws {
        let fake = dashboardsDirectory.deletingLastPathComponent().appendingPathComponent(".build/debug/bptop").path
        #expect(try DashboardResolver.load("prometheus-generic", executablePath: fake).title == "bptop: any Prometheus exporter")
    }

    @Test func unknownNameAndMissingPathAreOneLineErrors() {
        #expect(throws: DefinitionError(path: "", message: "no dashboard named \"nope\"; built-in: backpressure, cloud-hypervisor, firecracker, gvproxy, iperf3, observe, prometheus-generic, vmnet-helper, or give a path to a .json file")) {
            try DashboardResolver.load("nope", executablePath: "/nonexistent/bptop")
        }
        #expect(throws: DefinitionError(file: "/nonexistent/x.json", path: "", message: "cannot read the file")) {
            try DashboardResolver.load("/nonexistent/x.json", executablePath: "/nonexistent/bptop")
        }
    }
}
