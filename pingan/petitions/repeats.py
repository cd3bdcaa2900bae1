"""重复信访: earlier matters of the same person and similar matters, and the officer's decision.

    same_person(actor, petition) -> list[Petition]          exact: a petitioner's ID hash or phone hash
    similar(actor, text, exclude=None, limit=5) -> list[(Petition, score)]
    candidates(actor, petition) -> {"same_person": [...], "similar": [(p, score), ...]}
    repeat_mark(*, actor, petition, original=None) -> Petition   "是重复信访（关联 XF…）" or "不是重复"

The matcher is plain Python: the text is normalised (NFKC, only Han characters, letters and digits kept, the
boilerplate of petitions — 要求、反映、请求政府 … — removed) and cut into character bigrams; similarity is the
Jaccard coefficient of the two bigram sets weighted by each bigram's rarity (idf), so two paraphrases of one
matter, which share its names, places and amounts, score high, and two matters of the same topic (征地补偿,
拖欠工资), which share only the topic's words, score low. Candidates come from an in-memory inverted index
of the rarer bigrams (`Index`), kept per process and brought up to date by primary key before each lookup;
only the top candidates are scored exactly, and only those visible to the user are shown.
The threshold (`THRESHOLD`) and its precision/recall on the labelled set are measured by bench/bench_repeats.py.
"""
from __future__ import annotations

import math
import re
import threading
import unicodedata
from collections import defaultdict
from typing import Any, Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from pingan.core import audit

from .models import Petition, Petitioner

THRESHOLD = 0.20          # idf-weighted Jaccard at or above which a matter is shown as similar (bench_repeats.py)
MAX_TEXT = 8000           # a petition's content is at most 8000 characters (the model's limit)
CANDIDATES = 50           # candidates (by idf-weighted shared rare bigrams) scored exactly per lookup
POWER = 4                 # the idf's power (bench_repeats.py)
MAX_DF_SHARE = 0.01       # bigrams in more than 1 % of petitions do not generate candidates (they still score)

# Words every petition uses: they say nothing about which matter it is.
BOILERPLATE = (
    "信访人", "来访人", "反映", "要求", "请求", "恳请", "希望", "政府", "有关部门", "相关部门", "领导", "帮助", "解决",
    "处理", "问题", "情况", "我们", "本人", "我家", "自己", "给予", "尽快", "一直", "至今", "多次", "没有", "未能",
    "协调", "落实", "答复", "村民", "群众",
)
_KEEP = re.compile(r"[\u4e00-\u9fff0-9a-z]+")


def normalise(text: Any) -> str:
    """NFKC, lower case, boilerplate removed, only Han characters, letters and digits (runs joined by '|')."""
    text = unicodedata.normalize("NFKC", str(text or ""))[:MAX_TEXT].lower()
    for word in BOILERPLATE:
        text = text.replace(word, "|")
    return "|".join(_KEEP.findall(text))


def grams(text: Any) -> set[str]:
    """The character bigrams of the normalised text (never across a removed word or punctuation)."""
    out: set[str] = set()
    for run in normalise(text).split("|"):
        if len(run) == 1:
            out.add(run)
        out.update(run[i:i + 2] for i in range(len(run) - 1))
    return out


def weighted_jaccard(a: set[str], b: set[str], idf: dict[str, float] | None = None, default: float = 1.0) -> float:
    """Σ idf over the shared bigrams ÷ Σ idf over all of them (1.0 each without an idf table)."""
    if not a or not b:
        return 0.0
    w = (lambda g: idf.get(g, default)) if idf else (lambda g: 1.0)
    inter = sum(w(g) for g in a & b)
    union = sum(w(g) for g in a | b)
    return inter / union if union else 0.0


class Index:
    """An inverted index of bigram → petition ids, with document frequencies for the idf weights."""

    def __init__(self) -> None:
        self.postings: dict[str, list[int]] = defaultdict(list)
        self.texts: dict[int, str] = {}
        self.max_pk = 0
        self.lock = threading.Lock()

    def __len__(self) -> int:
        return len(self.texts)

    def add(self, pk: int, text: str) -> None:
        if pk in self.texts:
            return
        self.texts[pk] = text
        for g in grams(text):
            self.postings[g].append(pk)
        self.max_pk = max(self.max_pk, pk)

    def idf(self, gram: str) -> float:
        """(log((n + 1) / (df + 1)) + 1) ** POWER: a bigram of a name or an amount (rare) weighs far more than
        one of the topic's words (common)."""
        n = len(self.texts) or 1
        return (math.log((n + 1) / (len(self.postings.get(gram, ())) + 1)) + 1.0) ** POWER

    def query(self, text: str, *, exclude: Iterable[int] = (), limit: int = 5,
              threshold: float = THRESHOLD) -> list[tuple[int, float]]:
        """The ids scoring at least `threshold`, best first."""
        q = grams(text)
        if not q:
            return []
        skip = set(exclude)
        cap = max(50, int(len(self.texts) * MAX_DF_SHARE))
        idf_q = {g: self.idf(g) for g in q}
        hits: dict[int, float] = defaultdict(float)
        for g in q:
            ids = self.postings.get(g)
            if ids and len(ids) <= cap:
                weight = idf_q[g]
                for pk in ids:
                    hits[pk] += weight
        ranked = sorted(hits.items(), key=lambda kv: -kv[1])[:CANDIDATES + len(skip)]
        out = []
        for pk, _w in ranked:
            if pk in skip:
                continue
            other = grams(self.texts[pk])
            idf = dict(idf_q)
            for g in other - q:
                idf[g] = self.idf(g)
            score = weighted_jaccard(q, other, idf)
            if score >= threshold:
                out.append((pk, round(score, 3)))
        out.sort(key=lambda x: (-x[1], -x[0]))
        return out[:limit]


_INDEX = Index()


def index() -> Index:
    """The process's index, brought up to date with the petitions added since (by primary key)."""
    with _INDEX.lock:
        rows = Petition.objects.filter(pk__gt=_INDEX.max_pk).order_by("pk").values_list("pk", "content")
        for pk, content in rows.iterator(chunk_size=5000):
            _INDEX.add(pk, content)
    return _INDEX


def reset_index() -> None:
    """Forget the index (tests: a new database reuses primary keys)."""
    global _INDEX
    _INDEX = Index()


def same_person(actor: Any, petition: Petition, limit: int = 20) -> list[Petition]:
    """Earlier or later matters (not this one) of a petitioner with the same ID number or phone (their keyed
    hashes), that the actor sees, newest first."""
    rows = list(petition.petitioners.values_list("id_hash", "phone_hash"))
    ids = {i for i, _ in rows if i}
    phones = {p for _, p in rows if p}
    if not ids and not phones:
        return []
    from django.db.models import Q

    q = Q(pk__in=[])
    if ids:
        q |= Q(id_hash__in=ids)
    if phones:
        q |= Q(phone_hash__in=phones)
    pks = Petitioner.objects.filter(q).exclude(petition_id=petition.pk).values_list("petition_id", flat=True)
    return list(Petition.objects.visible_to(actor).filter(pk__in=pks).order_by("-registered_on", "-pk")[:limit])


def similar(actor: Any, text: str, *, exclude: Iterable[int] = (), limit: int = 5) -> list[tuple[Petition, float]]:
    """Matters whose content is similar to `text` (score ≥ THRESHOLD) among those the actor sees."""
    found = index().query(text, exclude=exclude, limit=limit * 4)
    if not found:
        return []
    visible = Petition.objects.visible_to(actor).in_bulk([pk for pk, _ in found])
    return [(visible[pk], score) for pk, score in found if pk in visible][:limit]


def candidates(actor: Any, petition: Petition) -> dict[str, list]:
    """The panel "可能重复的信访": the same person's matters, then similar ones not already listed."""
    people = same_person(actor, petition)
    shown = {p.pk for p in people} | {petition.pk}
    return {"same_person": people, "similar": similar(actor, petition.content, exclude=shown)}


def repeat_mark(*, actor: Any, petition: Petition, original: Petition | None = None) -> Petition:
    """The officer's decision: `original` given → 重复信访 of it (repeat_of set; a repeat of a repeat links to
    the first matter); None → 不是重复. Both set `repeat_checked`. petitions.register or petitions.decide;
    both matters in the actor's scope (another township's is refused like a missing one)."""
    if not (actor.can("petitions.register") or actor.can("petitions.decide")):
        audit.record(actor=actor, action="petition.repeat_mark", obj=petition, outcome="failure",
                     detail="无权标记重复信访")
        raise PermissionDenied("您的角色不能标记重复信访。")
    visible = Petition.objects.visible_to(actor)
    if not visible.filter(pk=petition.pk).exists():
        raise PermissionDenied("此信访事项不在您的管辖范围内。")
    if original is not None:
        if not isinstance(original, Petition) or not visible.filter(pk=original.pk).exists():
            raise ValidationError({"repeat_of": "所关联的信访事项不存在或不在您的管辖范围内。"})
        if original.pk == petition.pk:
            raise ValidationError({"repeat_of": "不能把信访事项关联为它自己的重复件。"})
        if original.repeat_of_id:
            original = Petition.objects.get(pk=original.repeat_of_id)
            if original.pk == petition.pk:
                raise ValidationError({"repeat_of": "所选事项已是本件的重复件，不能互相关联。"})
        if petition.repeats.exists():
            raise ValidationError({"repeat_of": "本件已有关联的重复件，不能再标记为其他事项的重复件。"})
        if (original.registered_on, original.pk) > (petition.registered_on, petition.pk):
            raise ValidationError({"repeat_of": f"原件 {original.number} 登记晚于本件，请在较晚登记的事项上标记重复。"})
    with transaction.atomic():
        locked = Petition.objects.select_for_update().get(pk=petition.pk)
        before = audit.snapshot(locked, ["repeat_of", "repeat_checked"])
        Petition.objects.filter(pk=locked.pk).update(repeat_of=original, repeat_checked=True)
        locked.repeat_of, locked.repeat_checked = original, True
        after = audit.snapshot(locked, ["repeat_of", "repeat_checked"])
        audit.record(actor=actor, action="petition.repeat_mark", obj=locked, changes=audit.diff(before, after),
                     detail=f"是重复信访（关联 {original.number}）" if original else "不是重复")
    return locked


__all__ = ["normalise", "grams", "weighted_jaccard", "Index", "index", "reset_index", "same_person", "similar",
           "candidates", "repeat_mark", "THRESHOLD"]
