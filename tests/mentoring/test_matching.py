"""The matching engine on plain data, without a database."""

import itertools
import random

import numpy as np
import pytest
from django.utils import translation

from mentoring.matching import (
    SCORE_SCALE,
    Person,
    Reason,
    Rules,
    Weight,
    assign,
    explain_pair,
    greedy_assign,
    hours_to_mask,
    mask_to_hours,
    ranked_suggestions,
    run_report,
    score_cohort,
    shortlist,
)

EVENINGS = hours_to_mask([day * 24 + hour for day in range(5) for hour in (18, 19)])  # 10 h, Mon–Fri
MISSIONS = ["MINUSCA", "UNMISS", "MONUSCO", "UNIFIL"]


def mentee(pk, **kwargs):
    values = {"person": 1000 + pk, "topics": frozenset({1}), "languages": frozenset({"fr"}), "availability": EVENINGS}
    return Person(id=pk, **{**values, **kwargs})


def mentor(pk, **kwargs):
    values = {"person": 2000 + pk, "topics": frozenset({1}), "languages": frozenset({"fr"}), "availability": EVENINGS}
    return Person(id=pk, **{**values, **kwargs})


def random_person(rng, pk, *, is_mentor):
    availability = 0
    for day in range(7):
        start = rng.randrange(0, 20)
        for hour in range(rng.randrange(0, 5)):
            availability |= 1 << (day * 24 + start + hour)
    return Person(
        id=pk,
        person=pk + (500 if is_mentor else 0),
        topics=frozenset(rng.sample(range(6), rng.randrange(1, 3))),
        languages=frozenset(rng.sample(["en", "fr", "es"], rng.randrange(1, 3))),
        availability=availability,
        mission=rng.choice(MISSIONS + [""]),
        missions_served=frozenset(rng.sample(MISSIONS, rng.randrange(0, 3))) if is_mentor else frozenset(),
        reporting_line=rng.choice(["", "north", "south"]),
        contingent=rng.choice(["", "SN", "RW"]),
        years=rng.randrange(0, 25),
        capacity=rng.randrange(1, 3) if is_mentor else 1,
        vetted=rng.random() < 0.5,
        prefers_mission=rng.choice(["any", "same", "other"]),
        category=rng.choice(["active", "civilian"]),
    )


def random_cohort(seed, mentees=6, mentors=3):
    rng = random.Random(seed)
    rules = Rules(
        min_overlap_hours=rng.randrange(1, 4),
        exclude_same_contingent=rng.random() < 0.5,
        sensitive_topics=frozenset({0}),
    )
    return (
        [random_person(rng, i, is_mentor=False) for i in range(1, mentees + 1)],
        [random_person(rng, i, is_mentor=True) for i in range(1, mentors + 1)],
        rules,
    )


def violates_hard_constraints(a: Person, b: Person, rules: Rules) -> bool:
    overlap = bin(a.availability & b.availability).count("1")
    return (
        a.person == b.person
        or not a.languages & b.languages
        or overlap < rules.min_overlap_hours
        or (a.reporting_line and a.reporting_line == b.reporting_line)
        or (rules.exclude_same_contingent and a.contingent and a.contingent == b.contingent)
        or (bool(a.topics & rules.sensitive_topics) and not b.vetted)
        or b.capacity <= 0
    )


def brute_force_optimum(scored):
    """(matched count, total integer points) of the best assignment, by trying every one."""
    options = []
    for i in range(len(scored.mentees)):
        options.append([None] + [j for j in range(len(scored.mentors)) if scored.total[i, j] >= 0])
    best = (0, 0)
    for choice in itertools.product(*options):
        used = {}
        for j in choice:
            if j is not None:
                used[j] = used.get(j, 0) + 1
        if any(count > scored.mentors[j].capacity for j, count in used.items()):
            continue
        points = sum(int(np.rint(scored.total[i, j] * SCORE_SCALE)) for i, j in enumerate(choice) if j is not None)
        best = max(best, (len([j for j in choice if j is not None]), points))
    return best


def test_hours_round_trip_through_the_mask():
    assert mask_to_hours(hours_to_mask([0, 25, 167])) == [0, 25, 167]
    with pytest.raises(ValueError):
        hours_to_mask([168])


def test_pairs_without_a_shared_language_are_excluded_with_the_reason():
    scored = score_cohort([mentee(1, languages=frozenset({"en"}))], [mentor(1)], Rules())
    assert scored.total[0, 0] == -1
    assert scored.excluded[0, 0] & Reason.LANGUAGE


def test_each_hard_constraint_excludes_the_pair():
    rules = Rules(
        min_overlap_hours=3,
        exclude_same_contingent=True,
        sensitive_topics=frozenset({9}),
        previous_pairs=frozenset({(1, 5)}),
        banned_pairs=frozenset({(1, 6)}),
    )
    mentors = [
        mentor(1, availability=hours_to_mask([18, 19])),  # two shared hours only
        mentor(2, reporting_line="Sector West"),
        mentor(3, contingent="SN"),
        mentor(4, topics=frozenset({9}), vetted=False),
        mentor(5),
        mentor(6),
        mentor(7, capacity=0),
        mentor(8, person=1001),  # herself
        mentor(9, topics=frozenset({9}), vetted=True),
    ]
    scored = score_cohort(
        [mentee(1, reporting_line="sector west", contingent="SN", topics=frozenset({9}))], mentors, rules
    )
    expected = [
        Reason.AVAILABILITY,
        Reason.CONFLICT,
        Reason.CONTINGENT,
        Reason.VETTING,
        Reason.PREVIOUS,
        Reason.BANNED,
        Reason.CAPACITY,
        Reason.SELF,
    ]
    for j, reason in enumerate(expected):
        assert scored.excluded[0, j] & reason, reason
    assert scored.excluded[0, 8] == 0
    assert [s.mentor for s in ranked_suggestions(scored, 0)] == [9]


def test_a_must_component_at_zero_excludes_the_pair():
    weights = {"topic": Weight.MUST, "availability": Weight.LOW}
    scored = score_cohort(
        [mentee(1, topics=frozenset({2}))], [mentor(1), mentor(2, topics=frozenset({2}))], Rules(weights=weights)
    )
    assert scored.excluded[0, 0] & Reason.MUST
    assert scored.excluded[0, 1] == 0


def test_scores_lie_in_the_unit_interval_and_follow_the_weights():
    mentees, mentors, rules = random_cohort(3, mentees=30, mentors=20)
    scored = score_cohort(mentees, mentors, rules)
    feasible = scored.total[scored.total >= 0]
    assert feasible.size and feasible.min() >= 0 and feasible.max() <= 1
    for name, values in scored.components.items():
        assert values.min() >= 0 and values.max() <= 1, name
    weights = {name: int(rules.weights[name]) for name in scored.components}
    recomputed = sum(weights[name] * scored.components[name] for name in weights) / sum(weights.values())
    assert np.allclose(np.where(scored.total >= 0, recomputed, -1), scored.total, atol=1e-6)


def test_explanations_agree_with_the_scores_in_both_languages():
    mentees = [mentee(1, mission="MINUSCA", years=2, topics=frozenset({1, 2}))]
    mentors = [mentor(1, missions_served=frozenset({"MINUSCA"}), years=15)]
    scored = score_cohort(mentees, mentors, Rules())
    parts = explain_pair(scored, 0, 0, topic_names={1: "SGBV investigation", 2: "Leadership"})
    by_component = {part.component: part for part in parts}
    for name in ("topic", "availability", "experience", "seniority"):
        assert by_component[name].score == pytest.approx(float(scored.components[name][0, 0]), abs=1e-4)
    assert "SGBV investigation" in by_component["topic"].text
    assert "10 shared hours a week" in by_component["availability"].text
    assert "MINUSCA" in by_component["experience"].text
    with translation.override("fr"):
        french = explain_pair(scored, 0, 0, topic_names={1: "Enquêtes VSBG"})
    assert any("heures" in part.text for part in french)


def test_hard_constraints_and_capacities_hold_in_every_assignment():
    for seed in range(20):
        mentees, mentors, rules = random_cohort(seed, mentees=12, mentors=5)
        scored = score_cohort(mentees, mentors, rules)
        result = assign(scored)
        by_id = {p.id: p for p in mentors}
        mentee_by_id = {p.id: p for p in mentees}
        counts = {}
        for mentee_id, mentor_id, _score in result.pairs:
            assert not violates_hard_constraints(mentee_by_id[mentee_id], by_id[mentor_id], rules)
            counts[mentor_id] = counts.get(mentor_id, 0) + 1
        assert all(count <= by_id[mentor_id].capacity for mentor_id, count in counts.items())
        assert len({mentee_id for mentee_id, _m, _s in result.pairs}) == len(result.pairs)


@pytest.mark.parametrize("seed", range(25))
def test_batch_assignment_equals_the_brute_force_optimum(seed):
    mentees, mentors, rules = random_cohort(seed)
    scored = score_cohort(mentees, mentors, rules)
    result = assign(scored)
    points = sum(int(np.rint(score * SCORE_SCALE)) for _mentee, _mentor, score in result.pairs)
    assert (len(result.pairs), points) == brute_force_optimum(scored)


def test_assignment_is_deterministic_for_a_fixed_seed():
    first = assign(score_cohort(*random_cohort(7, mentees=40, mentors=15)))
    second = assign(score_cohort(*random_cohort(7, mentees=40, mentors=15)))
    assert first.pairs == second.pairs
    assert first.unmatched == second.unmatched


def test_optimal_assignment_is_never_worse_than_greedy():
    for seed in range(10):
        scored = score_cohort(*random_cohort(seed, mentees=40, mentors=12))
        optimal, greedy = assign(scored), greedy_assign(scored)
        assert (len(optimal.pairs), optimal.total_score) >= (len(greedy.pairs), greedy.total_score - 1e-3)


def test_locked_pairs_are_kept_and_take_their_place_first():
    mentees = [mentee(1), mentee(2, topics=frozenset({3}))]
    mentors = [mentor(1, capacity=1)]
    scored = score_cohort(mentees, mentors, Rules())
    assert [pair[:2] for pair in assign(scored).pairs] == [(1, 1)]
    locked = assign(scored, locked=frozenset({(2, 1)}))
    assert [pair[:2] for pair in locked.pairs] == [(2, 1)]
    assert 1 in locked.unmatched


def test_unmatched_mentees_are_reported_with_their_reasons():
    mentees = [mentee(1), mentee(2, languages=frozenset({"ar"}), mission="UNIFIL", category="civilian")]
    scored = score_cohort(mentees, [mentor(1)], Rules())
    result = assign(scored)
    report = run_report(mentees, result)
    assert report["matched"] == 1 and report["share"] == 0.5
    assert report["by_mission"]["UNIFIL"] == {"enrolled": 1, "matched": 0}
    assert "no shared working language at a usable level" in report["unmatched"]["2"]


def test_shortlist_rations_the_top_slot_by_capacity():
    mentors = [mentor(1, capacity=1, years=20), mentor(2, capacity=2, years=5), mentor(3, capacity=1, years=1)]
    scored = score_cohort([mentee(1)], mentors, Rules())
    assert [s.mentor for s in shortlist(scored, 0, advertised_top={})] == [1, 2, 3]
    # Mentor 1 is already the first suggestion of one mentee: her only place is advertised.
    assert [s.mentor for s in shortlist(scored, 0, advertised_top={1: 1})] == [2, 1, 3]
    assert len(shortlist(scored, 0, advertised_top={}, size=2)) == 2
