#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Turns an SVG into a PNG with librsvg and cairo, loaded when a PNG is asked for (dlopen):
/// well-kept libraries do the rasterising, and a machine without them still gets its SVG
/// (the caller says so in one line) instead of a bptop that cannot start. Debian:
/// `librsvg2-2` (Scripts/setup installs it with `librsvg2-bin`); `BPTOP_RSVG_LIBRARY` names
/// another librsvg to load (a build of its own, or a missing one to see the SVG fallback).
public enum PNGRasterizer {
    public struct Failure: Error, CustomStringConvertible {
        public let message: String
        /// librsvg or cairo is not installed: the caller writes the SVG instead.
        public var libraryMissing = false
        public var description: String { message }
    }

    /// Renders `svg` at its own size (`width` × `height` pixels) into the PNG file `path`.
    public static func write(svg: String, width: Int, height: Int, to path: String) throws(Failure) {
        let library = try Library.load()
        var error: UnsafeMutableRawPointer?
        let bytes = Array(svg.utf8)
        guard let handle = bytes.withUnsafeBufferPointer({ library.newFromData($0.baseAddress!, $0.count, &error) }) else {
            throw Failure(message: "librsvg could not read the SVG: \(library.message(error))")
        }
        defer { library.unref(handle) }
        guard let surface = library.imageSurfaceCreate(0 /* CAIRO_FORMAT_ARGB32 */, Int32(width), Int32(height)) else {
            throw Failure(message: "cairo could not make a \(width)×\(height) image")
        }
        defer { library.surfaceDestroy(surface) }
        guard let cairo = library.create(surface) else { throw Failure(message: "cairo could not draw") }
        defer { library.destroy(cairo) }
        var viewport = (0.0, 0.0, Double(width), Double(height))
        guard withUnsafePointer(to: &viewport, { library.renderDocument(handle, cairo, UnsafeRawPointer($0), &error) }) != 0 else {
            throw Failure(message: "librsvg could not render the SVG: \(library.message(error))")
        }
        let status = library.writeToPNG(surface, path)
        guard status == 0 else { throw Failure(message: "cannot write \(path) (cairo status \(status))") }
    }

    /// The functions bptop calls, looked up once per picture.
    private struct Library {
        typealias NewFromData = @convention(c) (UnsafePointer<UInt8>, Int, UnsafeMutablePointer<UnsafeMutableRawPointer?>) -> UnsafeMutableRawPointer?
        typealias RenderDocument = @convention(c) (UnsafeMutableRawPointer, UnsafeMutableRawPointer, UnsafeRawPointer,
                                                   UnsafeMutablePointer<UnsafeMutableRawPointer?>) -> Int32
        typealias Unref = @convention(c) (UnsafeMutableRawPointer) -> Void
        typealias ImageSurfaceCreate = @convention(c) (Int32, Int32, Int32) -> UnsafeMutableRawPointer?
        typealias Create = @convention(c) (UnsafeMutableRawPointer) -> UnsafeMutableRawPointer?
        typealias WriteToPNG = @convention(c) (UnsafeMutableRawPointer, UnsafePointer<CChar>) -> Int32

        let newFromData: NewFromData
        let renderDocument: RenderDocument
        let unref: Unref
        let imageSurfaceCreate: ImageSurfaceCreate
        let create: Create
        let destroy: Unref
        let surfaceDestroy: Unref
        let writeToPNG: WriteToPNG

        static let rsvgName = "librsvg-2.so.2", cairoName = "libcairo.so.2", gobjectName = "libgobject-2.0.so.0"

        static func load() throws(Failure) -> Library {
            let name = getenv("BPTOP_RSVG_LIBRARY").map { String(cString: $0) } ?? rsvgName
            guard let rsvg = dlopen(name, RTLD_NOW), let cairo = dlopen(cairoName, RTLD_NOW), let gobject = dlopen(gobjectName, RTLD_NOW) else {
                throw Failure(message: "no PNG: \(String(cString: dlerror())) (install librsvg2-2, e.g. apt-get install librsvg2-bin)",
                              libraryMissing: true)
            }
            func symbol<T>(_ library: UnsafeMutableRawPointer, _ name: String, as type: T.Type) throws(Failure) -> T {
                guard let pointer = dlsym(library, name) else {
                    throw Failure(message: "no PNG: \(name) missing from the installed librsvg/cairo", libraryMissing: true)
                }
                return unsafeBitCast(pointer, to: type)
            }
            return Library(newFromData: try symbol(rsvg, "rsvg_handle_new_from_data", as: NewFromData.self),
                           renderDocument: try symbol(rsvg, "rsvg_handle_render_document", as: RenderDocument.self),
                           unref: try symbol(gobject, "g_object_unref", as: Unref.self),
                           imageSurfaceCreate: try symbol(cairo, "cairo_image_surface_create", as: ImageSurfaceCreate.self),
                           create: try symbol(cairo, "cairo_create", as: Create.self),
                           destroy: try symbol(cairo, "cairo_destroy", as: Unref.self),
                           surfaceDestroy: try symbol(cairo, "cairo_surface_destroy", as: Unref.self),
                           writeToPNG: try symbol(cairo, "cairo_surface_write_to_png", as: WriteToPNG.self))
        }

        /// A GError's message (`struct { GQuark domain; gint code; gchar *message; }`).
        func message(_ error: UnsafeMutableRawPointer?) -> String {
            guard let error, let text = error.load(fromByteOffset: 8, as: UnsafePointer<CChar>?.self) else { return "unknown error" }
            return String(cString: text)
        }
    }
}
