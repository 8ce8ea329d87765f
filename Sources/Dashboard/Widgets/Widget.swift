/// The one contract of everything bptop draws (as ratatui's `Widget::render(area, buf)`): a
/// widget renders itself into `area` of a cell buffer and never outside it, so panels compose
/// by splitting areas, and every widget is tested as a plain-text snapshot of its buffer.
protocol Widget {
    func render(into buffer: inout CellBuffer, area: Rect, symbols: SymbolSet)
}
