#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// A fresh directory under /tmp (short, to stay inside sun_path), removed with all it holds
/// when the owning test suite instance goes away.
final class TemporaryDirectory {
    let path: String

    init() throws {
        var template = Array("/tmp/bpexp.XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else {
            throw TestClientError(description: "mkdtemp: \(String(cString: strerror(errno)))")
        }
        path = String(cString: made)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    func file(_ name: String) -> String { "\(path)/\(name)" }

    /// Writes a regular file with `mode`, standing in for something that is not ours.
    func writeForeignFile(_ name: String, contents: String, mode: mode_t = 0o640) throws -> String {
        let path = file(name)
        guard FileManager.default.createFile(atPath: path, contents: Data(contents.utf8)), chmod(path, mode) == 0 else {
            throw TestClientError(description: "cannot create \(path)")
        }
        return path
    }
}

/// The file type and permission bits at `path` (lstat: a link is not followed).
func fileMode(_ path: String) -> mode_t? {
    var st = stat()
    return lstat(path, &st) == 0 ? st.st_mode : nil
}

func fileContents(_ path: String) -> String? {
    FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) }
}
