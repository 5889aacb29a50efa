"""The matching engine: pure functions over plain data, no database (tested without one).

A cohort is a list of mentees and a list of mentors (`Person`), and the programme's `Rules`. The engine

1. applies the hard constraints to every pair at once (numpy arrays of shape mentees × mentors) and keeps,
   for each excluded pair, a bit mask of every reason it fails (`Reason`), shown to coordinators;
2. scores the remaining pairs: weighted components in [0, 1] (`COMPONENTS`), the weights the programme's
   coordinators set (Must / High / Medium / Low / Off; a "Must" component must also be above zero);
3. answers one of three questions: a mentee's shortlist (`shortlist`), the optimal assignment of a whole
   cohort with capacities (`assign`, min-cost flow with OR-Tools), or ranked suggestions for a coordinator
   (`ranked_suggestions`); `run_report` tells the matched share overall, per mission and per category, and
   who stayed unmatched and why.

Availability is a 168-bit mask of UTC hours of the week (bit h = hour h from Monday 00:00 UTC), packed in
three uint64 words, so the overlap of two people is a popcount of their AND. Topics and usable languages are
bit masks too (as many uint64 words as needed).
"""

from __future__ import annotations

import enum
from collections import Counter, defaultdict
from dataclasses import dataclass, field

import numpy as np
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

HOURS_PER_WEEK = 168
SHORTLIST_SIZE = 5
# Scores are compared as integers in the solver: a score of 1.0 is worth this many points.
SCORE_SCALE = 10_000
# Above this many mentees × mentors, the solver keeps each mentee's best arcs only (see `assign`).
DENSE_PAIRS_LIMIT = 20_000_000
ARCS_PER_MENTEE = 60


class Weight(enum.IntEnum):
    OFF = 0
    LOW = 1
    MEDIUM = 2
    HIGH = 3
    MUST = 4


class Reason(enum.IntFlag):
    """Why a pair may not be matched (several may hold at once)."""

    SELF = 1
    LANGUAGE = 2
    AVAILABILITY = 4
    CONFLICT = 8  # same reporting line or unit
    CONTINGENT = 16
    VETTING = 32
    CAPACITY = 64
    PREVIOUS = 128
    BANNED = 256
    MUST = 512  # a "Must" component is zero


def describe_reason(reason: Reason) -> str:
    labels = {
        Reason.SELF: _("the same person"),
        Reason.LANGUAGE: _("no shared working language at a usable level"),
        Reason.AVAILABILITY: _("too few shared hours in the week"),
        Reason.CONFLICT: _("conflict of interest: same reporting line or unit"),
        Reason.CONTINGENT: _("same contingent, which this programme excludes"),
        Reason.VETTING: _("the mentor is not vetted for the sensitive topics asked for"),
        Reason.CAPACITY: _("the mentor has no place left"),
        Reason.PREVIOUS: _("they were paired before"),
        Reason.BANNED: _("excluded by a coordinator"),
        Reason.MUST: _("a component the programme requires is missing"),
    }
    return labels[reason]


def describe_reasons(mask: int) -> list[str]:
    return [describe_reason(reason) for reason in Reason if mask & reason]


COMPONENTS = ("topic", "availability", "experience", "seniority", "preferences")


@dataclass(frozen=True)
class Person:
    """One enrolment as the engine sees it. Ids are the enrolments'; `person` is the member behind it."""

    id: int
    person: int
    topics: frozenset[int] = frozenset()  # a mentor's expertise, a mentee's learning goals
    languages: frozenset[str] = frozenset()  # working languages at a usable proficiency
    availability: int = 0  # 168-bit mask of UTC hours of the week
    mission: str = ""  # current mission or duty station
    missions_served: frozenset[str] = frozenset()
    reporting_line: str = ""
    contingent: str = ""
    years: int = 0  # years of service
    capacity: int = 1  # mentors: places left
    vetted: bool = False
    prefers_mission: str = "any"  # mentees: "same", "other" or "any"
    prefers_language: str = ""  # mentees: a language she would rather work in
    category: str = ""
    region: str = ""


@dataclass(frozen=True)
class Rules:
    weights: dict[str, Weight] = field(
        default_factory=lambda: {
            "topic": Weight.HIGH,
            "availability": Weight.MEDIUM,
            "experience": Weight.MEDIUM,
            "seniority": Weight.LOW,
            "preferences": Weight.LOW,
        }
    )
    min_overlap_hours: int = 2
    exclude_same_contingent: bool = False
    sensitive_topics: frozenset[int] = frozenset()
    previous_pairs: frozenset[tuple[int, int]] = frozenset()  # (mentee id, mentor id)
    banned_pairs: frozenset[tuple[int, int]] = frozenset()
    locked_pairs: frozenset[tuple[int, int]] = frozenset()


@dataclass
class Scored:
    """The scores of a whole cohort: `total[i, j]` for mentee i and mentor j, -1 where excluded."""

    mentees: list[Person]
    mentors: list[Person]
    total: np.ndarray  # float32, mentees × mentors
    components: dict[str, np.ndarray]  # float32 each
    excluded: np.ndarray  # uint16 reason masks
    overlap_hours: np.ndarray  # int16

    @property
    def feasible(self) -> np.ndarray:
        return self.excluded == 0


# --- packing --------------------------------------------------------------------------------------------------


def pack_masks(masks: list[int], bits: int) -> np.ndarray:
    """Python ints of `bits` bits → an array of shape (len, words) of uint64 (little-endian words)."""
    words = max(1, (bits + 63) // 64)
    width = 8 * words
    buffer = b"".join(mask.to_bytes(width, "little") for mask in masks)
    return np.frombuffer(buffer, dtype="<u8").astype(np.uint64).reshape(len(masks), words)


def _index_masks(sets: list[frozenset], vocabulary: dict) -> np.ndarray:
    masks = []
    for values in sets:
        mask = 0
        for value in values:
            mask |= 1 << vocabulary[value]
        masks.append(mask)
    return pack_masks(masks, max(len(vocabulary), 1))


def _shared_count(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """popcount(a_i & b_j) summed over words: shape (len(a), len(b))."""
    result = np.zeros((a.shape[0], b.shape[0]), dtype=np.int16)
    for word in range(a.shape[1]):
        result += np.bitwise_count(a[:, word : word + 1] & b[None, :, word]).astype(np.int16)
    return result


def _codes(values: list[str], vocabulary: dict[str, int]) -> np.ndarray:
    """Strings → integer codes, empty strings → 0 (which never conflicts)."""
    out = np.zeros(len(values), dtype=np.int32)
    for index, value in enumerate(values):
        if value:
            out[index] = vocabulary.setdefault(value, len(vocabulary) + 1)
    return out


def hours_to_mask(hours: list[int]) -> int:
    mask = 0
    for hour in hours:
        if not 0 <= hour < HOURS_PER_WEEK:
            raise ValueError(f"hour of week out of range: {hour}")
        mask |= 1 << hour
    return mask


def mask_to_hours(mask: int) -> list[int]:
    return [hour for hour in range(HOURS_PER_WEEK) if mask >> hour & 1]


# --- scoring --------------------------------------------------------------------------------------------------


def score_cohort(mentees: list[Person], mentors: list[Person], rules: Rules) -> Scored:
    """Hard constraints and weighted scores of every mentee × mentor pair, vectorised."""
    n, m = len(mentees), len(mentors)
    topic_vocabulary = {t: i for i, t in enumerate(sorted({t for p in mentees + mentors for t in p.topics}))}
    language_vocabulary = {c: i for i, c in enumerate(sorted({c for p in mentees + mentors for c in p.languages}))}

    goals = _index_masks([p.topics for p in mentees], topic_vocabulary)
    expertise = _index_masks([p.topics for p in mentors], topic_vocabulary)
    shared_topics = _shared_count(goals, expertise)
    goal_counts = np.array([len(p.topics) for p in mentees], dtype=np.float32)

    mentee_languages = _index_masks([p.languages for p in mentees], language_vocabulary)
    mentor_languages = _index_masks([p.languages for p in mentors], language_vocabulary)
    shared_languages = _shared_count(mentee_languages, mentor_languages)

    overlap = _shared_count(
        pack_masks([p.availability for p in mentees], HOURS_PER_WEEK),
        pack_masks([p.availability for p in mentors], HOURS_PER_WEEK),
    )

    excluded = np.zeros((n, m), dtype=np.uint16)
    excluded |= np.where(shared_languages == 0, np.uint16(Reason.LANGUAGE), np.uint16(0))
    excluded |= np.where(overlap < rules.min_overlap_hours, np.uint16(Reason.AVAILABILITY), np.uint16(0))

    strings: dict[str, int] = {}
    mentee_people = _codes([str(p.person) for p in mentees], strings)
    mentor_people = _codes([str(p.person) for p in mentors], strings)
    excluded |= np.where(mentee_people[:, None] == mentor_people[None, :], np.uint16(Reason.SELF), np.uint16(0))
    lines: dict[str, int] = {}
    mentee_lines = _codes([p.reporting_line.strip().casefold() for p in mentees], lines)
    mentor_lines = _codes([p.reporting_line.strip().casefold() for p in mentors], lines)
    same_line = (mentee_lines[:, None] == mentor_lines[None, :]) & (mentee_lines[:, None] > 0)
    excluded |= np.where(same_line, np.uint16(Reason.CONFLICT), np.uint16(0))
    if rules.exclude_same_contingent:
        contingents: dict[str, int] = {}
        mentee_contingents = _codes([p.contingent.strip().casefold() for p in mentees], contingents)
        mentor_contingents = _codes([p.contingent.strip().casefold() for p in mentors], contingents)
        same = (mentee_contingents[:, None] == mentor_contingents[None, :]) & (mentee_contingents[:, None] > 0)
        excluded |= np.where(same, np.uint16(Reason.CONTINGENT), np.uint16(0))
    if rules.sensitive_topics:
        wants_sensitive = np.array([bool(p.topics & rules.sensitive_topics) for p in mentees])
        vetted = np.array([p.vetted for p in mentors], dtype=bool)
        excluded |= np.where(wants_sensitive[:, None] & ~vetted[None, :], np.uint16(Reason.VETTING), np.uint16(0))
    capacity = np.array([p.capacity for p in mentors], dtype=np.int32)
    excluded |= np.where(capacity[None, :] <= 0, np.uint16(Reason.CAPACITY), np.uint16(0)).astype(np.uint16)
    mentee_index = {p.id: i for i, p in enumerate(mentees)}
    mentor_index = {p.id: j for j, p in enumerate(mentors)}
    for pairs, reason in ((rules.previous_pairs, Reason.PREVIOUS), (rules.banned_pairs, Reason.BANNED)):
        for mentee_id, mentor_id in pairs:
            if mentee_id in mentee_index and mentor_id in mentor_index:
                excluded[mentee_index[mentee_id], mentor_index[mentor_id]] |= np.uint16(reason)

    components: dict[str, np.ndarray] = {}
    components["topic"] = shared_topics / np.maximum(goal_counts, 1)[:, None]
    saturation = max(2 * rules.min_overlap_hours, 4)
    components["availability"] = np.minimum(overlap, saturation) / np.float32(saturation)
    components["experience"] = _experience(mentees, mentors, strings)
    mentee_years = np.array([p.years for p in mentees], dtype=np.float32)
    mentor_years = np.array([p.years for p in mentors], dtype=np.float32)
    components["seniority"] = np.clip((mentor_years[None, :] - mentee_years[:, None]) / 10.0, 0.0, 1.0)
    components["preferences"] = _preferences(mentees, mentors, strings, language_vocabulary, mentor_languages)
    components = {name: value.astype(np.float32) for name, value in components.items()}

    total = np.zeros((n, m), dtype=np.float32)
    weight_sum = 0
    for name in COMPONENTS:
        weight = int(rules.weights.get(name, Weight.OFF))
        if weight:
            total += np.float32(weight) * components[name]
            weight_sum += weight
            if weight == Weight.MUST:
                excluded |= np.where(components[name] <= 0, np.uint16(Reason.MUST), np.uint16(0))
    total = total / np.float32(weight_sum) if weight_sum else total
    total = np.where(excluded == 0, total, np.float32(-1.0))
    return Scored(mentees, mentors, total, components, excluded, overlap)


def _experience(mentees: list[Person], mentors: list[Person], codes: dict[str, int]) -> np.ndarray:
    """1 when the mentor served in the mentee's current mission; else a share for missions served (at most 0.6)."""
    missions = sorted({p.mission for p in mentees if p.mission} | {x for p in mentors for x in p.missions_served})
    vocabulary = {mission: i for i, mission in enumerate(missions)}
    served = _index_masks([p.missions_served for p in mentors], vocabulary)
    current = _index_masks([frozenset({p.mission}) if p.mission else frozenset() for p in mentees], vocabulary)
    served_there = _shared_count(current, served) > 0
    breadth = np.array([min(len(p.missions_served), 3) / 3 * 0.6 for p in mentors], dtype=np.float32)
    return np.where(served_there, np.float32(1.0), breadth[None, :])


def _preferences(mentees, mentors, codes, language_vocabulary, mentor_languages) -> np.ndarray:
    """The share of a mentee's stated preferences a mentor meets (1 when she stated none)."""
    n, m = len(mentees), len(mentors)
    met = np.zeros((n, m), dtype=np.float32)
    stated = np.zeros(n, dtype=np.float32)
    mission_codes: dict[str, int] = {}
    mentee_missions = _codes([p.mission for p in mentees], mission_codes)
    mentor_missions = _codes([p.mission for p in mentors], mission_codes)
    same = (mentee_missions[:, None] == mentor_missions[None, :]) & (mentee_missions[:, None] > 0)
    for i, person in enumerate(mentees):
        if person.prefers_mission in ("same", "other"):
            stated[i] += 1
            met[i] += same[i] if person.prefers_mission == "same" else ~same[i]
        if person.prefers_language and person.prefers_language in language_vocabulary:
            stated[i] += 1
            bit = language_vocabulary[person.prefers_language]
            word, offset = divmod(bit, 64)
            met[i] += (mentor_languages[:, word] >> np.uint64(offset)) & np.uint64(1) == 1
        elif person.prefers_language:
            stated[i] += 1
    return np.where(stated[:, None] > 0, met / np.maximum(stated, 1)[:, None], np.float32(1.0))


# --- explanations ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Part:
    component: str
    score: float
    text: str


def explain_pair(scored: Scored, i: int, j: int, *, topic_names: dict[int, str] | None = None) -> list[Part]:
    """One sentence per component that counts for this pair, in the active language, with its score."""
    mentee, mentor = scored.mentees[i], scored.mentors[j]
    topic_names = topic_names or {}
    parts = []
    shared_languages = sorted(mentee.languages & mentor.languages)
    if shared_languages:
        parts.append(
            Part("language", 1.0, _("you both work in %(languages)s") % {"languages": ", ".join(shared_languages)})
        )
    for name in COMPONENTS:
        value = float(scored.components[name][i, j])
        if value <= 0:
            continue
        if name == "topic":
            shared = sorted(topic_names.get(t, str(t)) for t in mentee.topics & mentor.topics)
            text = _("her expertise covers what you want to learn: %(topics)s") % {"topics": ", ".join(shared)}
        elif name == "availability":
            hours = int(scored.overlap_hours[i, j])
            text = ngettext("%(hours)d shared hour a week", "%(hours)d shared hours a week", hours) % {"hours": hours}
        elif name == "experience":
            if mentee.mission and mentee.mission in mentor.missions_served:
                text = _("she served in %(mission)s, where you are") % {"mission": mentee.mission}
            else:
                text = _("she served in %(missions)s") % {"missions": ", ".join(sorted(mentor.missions_served))}
        elif name == "seniority":
            gap = mentor.years - mentee.years
            text = ngettext("%(years)d more year of service", "%(years)d more years of service", gap) % {"years": gap}
        else:
            text = _("she meets %(share)d%% of your preferences") % {"share": round(value * 100)}
        parts.append(Part(name, round(value, 4), text))
    return parts


def explanation_text(parts: list[Part]) -> str:
    return "; ".join(part.text for part in parts)


# --- modes ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Suggestion:
    mentor: int  # mentor enrolment id
    score: float
    rank: int


def _ranked_order(scored: Scored, i: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(mentor column indices of the eligible mentors best first, ties by mentor id; scores row; mentor ids)."""
    row = scored.total[i]
    ids = np.fromiter((p.id for p in scored.mentors), dtype=np.int64, count=len(scored.mentors))
    eligible = np.flatnonzero(row >= 0)
    return eligible[np.lexsort((ids[eligible], -row[eligible]))], row, ids


def ranked_suggestions(scored: Scored, i: int, *, limit: int | None = None) -> list[Suggestion]:
    """The eligible mentors for mentee i, best first (ties broken by mentor id: deterministic)."""
    order, row, ids = _ranked_order(scored, i)
    if limit is not None:
        order = order[:limit]
    return [Suggestion(int(ids[j]), float(row[j]), rank) for rank, j in enumerate(order, start=1)]


def shortlist(
    scored: Scored, i: int, *, advertised_top: dict[int, int], size: int = SHORTLIST_SIZE
) -> list[Suggestion]:
    """Mentee i's shortlist: her best `size` mentors, the top slot going to the best mentor who is not
    already the top suggestion of as many other mentees as she has places (`advertised_top`: {mentor id: how
    many open shortlists show her first}); the others follow in score order."""
    order, row, ids = _ranked_order(scored, i)
    # Walk the ranking only as far as the first mentor with a place left to advertise (usually the first).
    top = next((j for j in order.tolist() if advertised_top.get(int(ids[j]), 0) < scored.mentors[j].capacity), None)
    chosen = order[:size].tolist()
    if top is not None:
        chosen = [top, *[j for j in order[:size].tolist() if j != top][: size - 1]]
    return [Suggestion(int(ids[j]), float(row[j]), rank) for rank, j in enumerate(chosen, start=1)]


@dataclass
class Assignment:
    pairs: list[tuple[int, int, float]]  # (mentee id, mentor id, score)
    unmatched: dict[int, list[str]]  # mentee id → why

    @property
    def total_score(self) -> float:
        return float(sum(score for _mentee, _mentor, score in self.pairs))


def _unmatched_reasons(scored: Scored, i: int, used: dict[int, int]) -> list[str]:
    row = scored.excluded[i]
    if not len(row):
        return [_("no mentor enrolled")]
    if (row == 0).any():
        return [_("every eligible mentor's places went to other mentees")]
    combined = int(np.bitwise_and.reduce(row))
    reasons = describe_reasons(combined) if combined else []
    return reasons or [_("no mentor passes every constraint")]


def assign(scored: Scored, locked: frozenset[tuple[int, int]] = frozenset()) -> Assignment:
    """The optimal assignment of the cohort: as many mentees matched as capacities and constraints allow, and
    among those the highest total score (min-cost flow, integer costs from the scores). `locked` pairs are
    kept as they are (a coordinator fixed them), their places taken first.

    Large cohorts (more than DENSE_PAIRS_LIMIT pairs) give the solver each mentee's ARCS_PER_MENTEE best
    mentors only, which keeps the graph small; smaller ones (every preview within a request) are solved on
    every feasible pair, which is exactly optimal.
    """
    from ortools.graph.python import min_cost_flow

    mentees, mentors = scored.mentees, scored.mentors
    n, m = len(mentees), len(mentors)
    capacity = np.array([p.capacity for p in mentors], dtype=np.int64)
    mentee_index = {p.id: i for i, p in enumerate(mentees)}
    mentor_index = {p.id: j for j, p in enumerate(mentors)}
    pairs: list[tuple[int, int, float]] = []
    fixed = np.zeros(n, dtype=bool)
    for mentee_id, mentor_id in sorted(locked):
        i, j = mentee_index.get(mentee_id), mentor_index.get(mentor_id)
        if i is None or j is None or fixed[i] or capacity[j] <= 0:
            continue
        fixed[i] = True
        capacity[j] -= 1
        pairs.append((mentee_id, mentor_id, max(float(scored.total[i, j]), 0.0)))

    feasible = (scored.total >= 0) & ~fixed[:, None] & (capacity[None, :] > 0)
    if n * m > DENSE_PAIRS_LIMIT and m > ARCS_PER_MENTEE:
        masked = np.where(feasible, scored.total, np.float32(-1))
        best = np.argpartition(-masked, ARCS_PER_MENTEE - 1, axis=1)[:, :ARCS_PER_MENTEE]
        keep = np.zeros_like(feasible)
        np.put_along_axis(keep, best, True, axis=1)
        feasible &= keep
    rows, cols = np.nonzero(feasible)
    if len(rows):
        source, sink = n + m, n + m + 1
        points = np.rint(scored.total[rows, cols] * SCORE_SCALE).astype(np.int64)
        used_mentors = np.unique(cols)
        starts = np.concatenate([np.full(n, source), rows, n + used_mentors]).astype(np.int64)
        ends = np.concatenate([np.arange(n), n + cols, np.full(len(used_mentors), sink)]).astype(np.int64)
        capacities = np.concatenate([np.ones(n), np.ones(len(rows)), capacity[used_mentors]]).astype(np.int64)
        costs = np.concatenate([np.zeros(n), SCORE_SCALE - points, np.zeros(len(used_mentors))]).astype(np.int64)
        flow = min_cost_flow.SimpleMinCostFlow()
        arcs = flow.add_arcs_with_capacity_and_unit_cost(starts, ends, capacities, costs)
        flow.set_node_supply(source, n)
        flow.set_node_supply(sink, -n)
        status = flow.solve_max_flow_with_min_cost()
        if status != flow.OPTIMAL:
            raise RuntimeError(f"min-cost flow failed with status {status}")
        flows = flow.flows(arcs[n : n + len(rows)])
        for k in np.flatnonzero(flows):
            i, j = int(rows[k]), int(cols[k])
            pairs.append((mentees[i].id, mentors[j].id, float(scored.total[i, j])))
    pairs.sort()
    matched = {mentee_id for mentee_id, _mentor, _score in pairs}
    used = Counter(mentor_id for _mentee, mentor_id, _score in pairs)
    unmatched = {p.id: _unmatched_reasons(scored, i, used) for i, p in enumerate(mentees) if p.id not in matched}
    return Assignment(pairs, unmatched)


def greedy_assign(scored: Scored) -> Assignment:
    """The baseline the benchmark compares with: pairs taken best score first while places remain."""
    capacity = {p.id: p.capacity for p in scored.mentors}
    rows, cols = np.nonzero(scored.total >= 0)
    order = np.argsort(-scored.total[rows, cols], kind="stable")
    taken: set[int] = set()
    pairs = []
    for k in order:
        i, j = int(rows[k]), int(cols[k])
        mentee, mentor = scored.mentees[i].id, scored.mentors[j].id
        if mentee in taken or capacity[mentor] <= 0:
            continue
        taken.add(mentee)
        capacity[mentor] -= 1
        pairs.append((mentee, mentor, float(scored.total[i, j])))
    pairs.sort()
    unmatched = {p.id: _unmatched_reasons(scored, i, {}) for i, p in enumerate(scored.mentees) if p.id not in taken}
    return Assignment(pairs, unmatched)


def run_report(mentees: list[Person], assignment: Assignment) -> dict:
    """Matched share overall, per mission and per category; who is unmatched and why."""
    matched = {mentee for mentee, _mentor, _score in assignment.pairs}

    def shares(key) -> dict[str, dict]:
        groups: dict[str, list[int]] = defaultdict(list)
        for person in mentees:
            groups[key(person) or "—"].append(person.id)
        return {
            name: {"enrolled": len(ids), "matched": sum(1 for x in ids if x in matched)}
            for name, ids in sorted(groups.items())
        }

    return {
        "enrolled": len(mentees),
        "matched": len(matched),
        "share": round(len(matched) / len(mentees), 4) if mentees else 0.0,
        "total_score": round(assignment.total_score, 4),
        "by_mission": shares(lambda p: p.mission),
        "by_category": shares(lambda p: p.category),
        "by_region": shares(lambda p: p.region),
        "unmatched": {str(mentee): reasons for mentee, reasons in assignment.unmatched.items()},
    }


def local_hours_to_utc_mask(hours: list[tuple[int, int]], time_zone: str, reference) -> int:
    """Weekly hours chosen in a time zone ([(weekday 0–6, hour 0–23)]) → the UTC hour-of-week mask, with the
    zone's offset in the week that starts on the Monday of `reference` (a date)."""
    import datetime
    import zoneinfo

    zone = zoneinfo.ZoneInfo(time_zone)
    monday = reference - datetime.timedelta(days=reference.weekday())
    utc_hours = []
    for weekday, hour in hours:
        if not (0 <= weekday < 7 and 0 <= hour < 24):
            raise ValueError(f"no such hour of the week: {weekday}, {hour}")
        local = datetime.datetime.combine(monday + datetime.timedelta(days=weekday), datetime.time(hour), zone)
        moment = local.astimezone(datetime.UTC)
        utc_hours.append(moment.weekday() * 24 + moment.hour)
    return hours_to_mask(utc_hours)


def ranges_to_local_hours(ranges: list[tuple[int, int, int]]) -> list[tuple[int, int]]:
    """Weekly time ranges in a member's time zone, [(weekday 0–6, start hour 0–23, end hour 1–24)], → the
    hours they cover, [(weekday, hour)], sorted and without repeats. A range whose end is not after its start
    runs past midnight into the next day (Sunday into Monday): (6, 22, 2) is Sunday 22:00 to Monday 02:00."""
    hours = set()
    for weekday, start, end in ranges:
        if not (0 <= weekday < 7 and 0 <= start < 24 and 0 <= end <= 24):
            raise ValueError(f"no such time range: {weekday}, {start}, {end}")
        length = end - start if end > start else 24 - start + end
        for offset in range(length):
            day, hour = divmod(weekday * 24 + start + offset, 24)
            hours.add((day % 7, hour))
    return sorted(hours)


def local_hours_to_ranges(hours: list[tuple[int, int]]) -> list[tuple[int, int, int]]:
    """The inverse, for forms and migrations: consecutive hours of a day → one range (weekday, start, end)."""
    ranges: list[tuple[int, int, int]] = []
    for weekday, hour in sorted({(int(day), int(hour)) for day, hour in hours}):
        if ranges and ranges[-1][0] == weekday and ranges[-1][2] == hour:
            ranges[-1] = (weekday, ranges[-1][1], hour + 1)
        else:
            ranges.append((weekday, hour, hour + 1))
    return ranges
