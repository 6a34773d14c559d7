"""The groups of articles that ``stories.group_documents`` builds: a union-find that keeps apart
what a person's corrections keep apart, and the joining of close articles whose texts are copies."""

from __future__ import annotations

from collections.abc import Callable, Iterable


class Groups:
    """Union-find over article ids that refuses to join two groups a correction keeps apart."""

    def __init__(self, apart: dict[int, set[int]]) -> None:
        self.parent: dict[int, int] = {}
        self.members: dict[int, set[int]] = {}
        self.apart = apart

    def find(self, doc: int) -> int:
        if doc not in self.parent:
            self.parent[doc] = doc
            self.members[doc] = {doc}
        root = doc
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[doc] != root:
            self.parent[doc], doc = root, self.parent[doc]
        return root

    def _union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return
        if len(self.members[ra]) < len(self.members[rb]):
            ra, rb = rb, ra
        self.parent[rb] = ra
        self.members[ra] |= self.members.pop(rb)

    def bind(self, docs: Iterable[int]) -> None:
        """Put ``docs`` in one group whatever the corrections say (a story as it is stored)."""
        docs = list(docs)
        for doc in docs[1:]:
            self._union(docs[0], doc)

    def join(self, a: int, b: int) -> bool:
        """Join the groups of ``a`` and ``b`` unless a correction keeps two of their members apart."""
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return True
        small, large = sorted((self.members[ra], self.members[rb]), key=len)
        if any(self.apart.get(doc, set()) & large for doc in small):
            return False
        self._union(a, b)
        return True

    def groups(self) -> list[set[int]]:
        return [self.members[root] for root in {self.find(d) for d in list(self.parent)}]


def join_copies(
    groups: Groups, edges: list[tuple[int, int]], check: Callable[[list[tuple[int, int]]], list[tuple[int, int]]],
) -> None:
    """Join the articles of ``edges`` (close signatures, the closest first) that ``check`` finds
    are copies. Only the closest edge between two groups is checked at a time (the others
    between them are checked only if it fails), in rounds of one batch, so an article close
    to many copies of one story has its text compared with one of them, not with all."""
    pending = edges
    while pending:
        chosen, rest, between = [], [], set()
        for a, b in pending:
            ra, rb = groups.find(a), groups.find(b)
            if ra == rb:
                continue
            (rest if (min(ra, rb), max(ra, rb)) in between else chosen).append((a, b))
            between.add((min(ra, rb), max(ra, rb)))
        for a, b in check(chosen):
            groups.join(a, b)
        pending = rest
