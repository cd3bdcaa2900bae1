"""Places in a ledger: a statistical code (12-digit village, 15-digit grid) or a name path of the
jurisdiction tree (河底镇/固庄村委会, with 委会/居委会 optional), or a village name alone where it is unique in
the county. The whole tree is read once into memory, so a 100,000-row ledger makes no query per row.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Iterable

from pingan.geo.models import Node

from pingan.core.cleaning import CellError, clean_text

_SUFFIXES = ("居民委员会", "村民委员会", "居委会", "委会")
_SEPARATORS = re.compile(r"\s*[/\\|>]\s*")


def name_key(name: str) -> str:
    """固庄村委会, 固庄村民委员会 and 固庄村 all give 固庄村; 桃坡社区居委会 gives 桃坡社区."""
    name = clean_text(name).replace(" ", "")
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            stem = name[: -len(suffix)]
            # 村民委员会 → the 村 belongs to the name (固庄村民委员会 → 固庄村).
            return stem + "村" if suffix == "村民委员会" else stem
    return name


@dataclass(frozen=True)
class PlaceNode:
    id: int
    code: str
    name: str
    level: str
    path: str
    parent_id: int | None


class PlaceIndex:
    """Every node of the tree by code and by normalised name, with parents, for one import."""

    def __init__(self, nodes: Iterable[PlaceNode], *, county_path: str = ""):
        self.by_id: dict[int, PlaceNode] = {}
        self.by_code: dict[str, PlaceNode] = {}
        self.by_name: dict[str, list[PlaceNode]] = {}
        self.county_path = county_path
        for node in nodes:
            self.by_id[node.id] = node
            self.by_code[node.code] = node
            self.by_name.setdefault(name_key(node.name), []).append(node)
        self._cache: dict[tuple[str, tuple[str, ...]], PlaceNode] = {}
        self._paths: dict[tuple[int, str], str] = {}

    @classmethod
    def load(cls, user: Any = None) -> "PlaceIndex":
        """The whole tree (names are resolved against all of it, scope is checked afterwards, so an officer
        learns "not in your scope" rather than "unknown place" for a real village of another township)."""
        rows = Node.objects.order_by("path").values_list("id", "code", "name", "level", "path", "parent_id")
        index = cls(PlaceNode(*row) for row in rows.iterator(chunk_size=5000))
        index.county_path = index._county_path_of(user)
        return index

    def _county_path_of(self, user: Any) -> str:
        """Village names alone are looked up in the importing user's county (or the user's scope if wider)."""
        scope_path = getattr(user, "scope_path", "") if user is not None else ""
        if not scope_path:
            return ""
        codes = [c for c in scope_path.split("/") if c]
        for i in range(len(codes)):
            node = self.by_code.get(codes[i])
            if node is not None and node.level == "county":
                return "/".join(codes[: i + 1]) + "/"
        return scope_path

    def ancestors(self, node: PlaceNode) -> list[PlaceNode]:
        """Parents nearest first."""
        result = []
        parent_id = node.parent_id
        while parent_id is not None and parent_id in self.by_id:
            parent = self.by_id[parent_id]
            result.append(parent)
            parent_id = parent.parent_id
        return result

    def display_path(self, node: PlaceNode, *, from_level: str = "township") -> str:
        """河底镇/固庄村委会[/固庄第一网格]: the name path from `from_level` down, as exports write it."""
        key = (node.id, from_level)
        found = self._paths.get(key)
        if found is None:
            found = self._paths[key] = self._display_path(node, from_level)
        return found

    def _display_path(self, node: PlaceNode, from_level: str) -> str:
        chain = [node] + self.ancestors(node)
        names = []
        for item in chain:
            names.append(item.name)
            if item.level == from_level:
                break
        return "/".join(reversed(names))

    def resolve(self, value: Any, levels: tuple[str, ...]) -> PlaceNode:
        text = clean_text(value).replace(" ", "")
        if not text:
            raise CellError("不能为空")
        key = (text, levels)
        if key in self._cache:
            return self._cache[key]
        node = self._resolve(text, levels)
        self._cache[key] = node
        return node

    def _resolve(self, text: str, levels: tuple[str, ...]) -> PlaceNode:
        wanted = "、".join(_LEVEL_WORDS.get(level, level) for level in _unique(levels))
        if text.isdigit():
            node = self.by_code.get(text)
            if node is None:
                raise CellError("区划代码不存在")
            if node.level not in levels:
                raise CellError(f"区划代码不是{wanted}")
            return node
        parts = [p for p in _SEPARATORS.split(text) if p]
        candidates = [n for n in self.by_name.get(name_key(parts[-1]), []) if n.level in levels]
        if len(parts) > 1:
            wanted_parents = [name_key(p) for p in reversed(parts[:-1])]
            candidates = [n for n in candidates if self._parents_match(n, wanted_parents)]
        elif self.county_path:
            candidates = [n for n in candidates if n.path.startswith(self.county_path)]
        if not candidates:
            raise CellError(f"找不到这个{wanted}")
        if len(candidates) > 1:
            where = "、".join(self.display_path(n) for n in candidates[:5])
            raise CellError(f"名称不唯一（{where}），请写出乡镇名，如“乡镇/村”，或填写区划代码")
        return candidates[0]

    def _parents_match(self, node: PlaceNode, wanted: list[str]) -> bool:
        ancestors = self.ancestors(node)
        if len(ancestors) < len(wanted):
            return False
        return all(name_key(a.name) == w for a, w in zip(ancestors, wanted))


_LEVEL_WORDS = {"village": "村(社区)", "community": "村(社区)", "grid": "网格", "township": "乡镇(街道)",
                "county": "县(区)"}


def _unique(items: Iterable[str]) -> list[str]:
    seen: list[str] = []
    for item in items:
        word = _LEVEL_WORDS.get(item, item)
        if word not in [_LEVEL_WORDS.get(s, s) for s in seen]:
            seen.append(item)
    return seen
