"""A deterministic topological order of anything with parents: the graph's nodes, a parsed expression's tree,
a layout's groups. Iterative, so a graph of any depth sorts without touching Python's recursion limit."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Sequence
from typing import TypeVar

T = TypeVar("T", bound=Hashable)


class GraphError(ValueError):
    """A graph is malformed (a cycle, here), or is evaluated without the values it needs."""


def topological_order(roots: Sequence[T], parents_of: Callable[[T], Sequence[T]]) -> list[T]:
    """Every item reachable from `roots`, each after all of its parents, in a deterministic order.

    Iterative depth-first post-order with an explicit stack: parents are visited in the order
    given, so the same graph always yields the same order, and depth is limited only by memory.
    """
    order: list[T] = []
    done: set[T] = set()
    on_path: set[T] = set()
    for root in roots:
        if root in done:
            continue
        stack: list[tuple[T, Iterable[T]]] = [(root, iter(parents_of(root)))]
        on_path.add(root)
        while stack:
            item, pending = stack[-1]
            for parent in pending:
                if parent in on_path:
                    raise GraphError("the graph has a cycle")
                if parent not in done:
                    on_path.add(parent)
                    stack.append((parent, iter(parents_of(parent))))
                    break
            else:
                stack.pop()
                on_path.discard(item)
                done.add(item)
                order.append(item)
    return order
