print("bptop: not built yet")
