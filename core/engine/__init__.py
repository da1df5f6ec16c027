"""The autodiff engine: numbers, formula text, the primitives with their rules, the graph, both modes,
the compiled training plan, the expression parser, finite differences and network builders."""
