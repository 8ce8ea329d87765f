import Synchronization

/// Plans worked out from which series a store holds — how a query's series group, where a
/// histogram's buckets go, which result a table row reads in each column — kept across frames
/// for as long as the store's layout (its series and their types) stays the same: a new
/// series, an evicted one or a changed `# TYPE` gives the store a new `layoutToken`, and every
/// plan made before it is dropped. Between those changes a frame only sums numbers.
///
/// Held by the store (one per store, shared by its copies: a token is never reused, so a copy
/// that changed its layout can never read a plan made for another), behind a mutex because
/// the store is `Sendable`; a frame takes it a few dozen times, never per series.
final class LayoutPlans: Sendable {
    private struct Plans {
        var layout = -1
        var made: [Key: any Sendable] = [:]
    }

    /// A plan's key and its kind: two kinds of plan may be made for equal keys (a query's groups
    /// and its histogram's).
    private struct Key: Hashable, @unchecked Sendable {
        let kind: ObjectIdentifier
        let key: AnyHashable
    }

    private let plans = Mutex(Plans())

    /// The plan stored under `key` for this `layout` if `fits` accepts it (a plan is only ever
    /// applied to the selection it was made from; `fits` guards against any other), else the
    /// one `make` makes, stored for the next frame.
    func plan<Plan: Sendable>(_ key: some Hashable & Sendable, layout: Int, fits: (Plan) -> Bool, make: () -> Plan) -> Plan {
        if let found: Plan = stored(key, layout: layout), fits(found) { return found }
        let plan = make()
        store(plan, key, layout: layout)
        return plan
    }

    /// What was stored under `key` for this `layout`, if anything.
    func stored<Plan: Sendable>(_ key: some Hashable & Sendable, layout: Int) -> Plan? {
        let key = Key(kind: ObjectIdentifier(Plan.self), key: AnyHashable(key))
        return plans.withLock { plans -> Plan? in
            if plans.layout != layout { plans = Plans(layout: layout) }
            return plans.made[key] as? Plan
        }
    }

    /// What was stored under `key` for this `layout`, removed, so the caller holds the only
    /// reference and can change it in place before storing it again.
    func take<Plan: Sendable>(_ key: some Hashable & Sendable, layout: Int) -> Plan? {
        let key = Key(kind: ObjectIdentifier(Plan.self), key: AnyHashable(key))
        return plans.withLock { plans -> Plan? in
            guard plans.layout == layout else { return nil }
            return plans.made.removeValue(forKey: key) as? Plan
        }
    }

    /// Keeps `plan` under `key` while the layout stays `layout`.
    func store<Plan: Sendable>(_ plan: Plan, _ key: some Hashable & Sendable, layout: Int) {
        let key = Key(kind: ObjectIdentifier(Plan.self), key: AnyHashable(key))
        plans.withLock { plans in
            if plans.layout == layout { plans.made[key] = plan }
        }
    }
}
