"""Jurisdiction reads: the visible tree with counts per node."""
from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Count

from .choices import Level
from .models import LiaisonPoint, Node

COUNT_KEYS = ("villages", "grids", "staff", "liaison_points")


def root_for(user: Any) -> Node | None:
    return Node.objects.filter(pk=user.scope_id).first() if user.scope_id else None


def subtree_counts(root: Node) -> dict[str, dict[str, int]]:
    """Counts of villages, grids, staff and liaison points at or under every node of `root`'s subtree.

    Each count is one grouped SQL aggregate (by node path); the roll-up to ancestors walks the distinct
    paths only, a few hundred rows for a district.
    """
    counts: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(COUNT_KEYS, 0))
    prefix = root.path

    def roll_up(path: str, key: str, n: int) -> None:
        codes = [c for c in path.split("/") if c]
        root_depth = len([c for c in prefix.split("/") if c])
        for i in range(root_depth, len(codes) + 1):
            counts["/".join(codes[:i]) + "/"][key] += n

    nodes = Node.objects.filter(path__startswith=prefix)
    for row in nodes.filter(level__in=[Level.VILLAGE, Level.COMMUNITY]).values("parent__path").annotate(n=Count("id")):
        roll_up(row["parent__path"], "villages", row["n"])
    for row in nodes.filter(level=Level.GRID).values("parent__path").annotate(n=Count("id")):
        roll_up(row["parent__path"], "grids", row["n"])
    users = get_user_model().objects.filter(scope__path__startswith=prefix, is_active=True)
    for row in users.values("scope__path").annotate(n=Count("id")):
        roll_up(row["scope__path"], "staff", row["n"])
    points = LiaisonPoint.objects.filter(jurisdiction__path__startswith=prefix)
    for row in points.values("jurisdiction__path").annotate(n=Count("id")):
        roll_up(row["jurisdiction__path"], "liaison_points", row["n"])
    return counts


def tree(user: Any, depth: int = 2) -> tuple[Node | None, list[dict]]:
    """The user's scope node and its descendants `depth` levels down, each with its counts, nested."""
    root = root_for(user)
    if root is None:
        return None, []
    counts = subtree_counts(root)
    nodes = list(
        Node.objects.visible_to(user).filter(path__startswith=root.path, depth__lte=root.depth + depth)
        .exclude(level=Level.GRID).order_by("path")
    )
    by_parent: dict[int | None, list[Node]] = defaultdict(list)
    for node in nodes:
        by_parent[node.parent_id].append(node)

    def build(node: Node) -> dict:
        return {"node": node, "counts": counts[node.path], "children": [build(c) for c in by_parent.get(node.pk, [])]}

    return root, [build(root)]


def children_with_counts(node: Node, counts: dict[str, dict[str, int]] | None = None) -> list[tuple[Node, dict[str, int]]]:
    counts = counts if counts is not None else subtree_counts(node)
    return [(child, counts[child.path]) for child in node.children.order_by("code")]


def village_choices(user: Any):
    """Villages and communities the user may pick (forms)."""
    return Node.objects.visible_to(user).filter(level__in=[Level.VILLAGE, Level.COMMUNITY]).order_by("path")
