"""The blind batches of issue 10 (``tests/fixtures/sms``), written from the brief alone by people
who never saw the reader. Figures printed by ``python -m tests.unit.sms_batches <batch>`` (the same
scorer for every reader; old = 3f56724, round one = 7856cd2, round two = 0a49880,
round three = this reader; the scorer lets either urgency agree on a symptom-less extra dose since
round three, which changes no A-C figure: their writers all label it urgent):

=====================================  ===============  ===============  ===============  ===============
                                       old (3f56724)    round one        round two        round three
=====================================  ===============  ===============  ===============  ===============
tuning2 = D (360; blind, written by    -                -                -                73/73 escalated,
someone else, measured blind by the                                                       0/97 alarmed,
lead first; tuned on in round three)                                                      1 dose invented,
                                                                                          349/360 = 96.9%
heldout2 = C (295; blind in round      37/57 escalated  51/57 (48 + 3    53/57 (50 + 3    57/57 (57 + 0),
two, tuned on in round three)                           urgent fwd)      urgent fwd)
                                       5/64 alarmed     4/64             3/64             0/64
                                       0 doses invented 5                6                0
                                       116/295 = 39.3%  238/295 = 80.7%  248/295 = 84.1%  287/295 = 97.3%
heldout = A (326; blind in round one)  35/64, 8/78,     56/64, 10/78,    64/64, 1/78,     64/64, 1/78,
                                       44.5%            82.5%            316/326 = 96.9%  319/326 = 97.9%
tuning = B (294)                       35/56, 5/66,     56/56, 0/66,     56/56, 0/66,     56/56, 0/66,
                                       44.6%            97.6%            291/294 = 99.0%  289/294 = 98.3%
=====================================  ===============  ===============  ===============  ===============

("escalated": as an emergency, or urgent with the text forwarded; "alarmed": denials and questions
that alarmed or recorded a dose they did not report; "doses invented": doses recorded that the text
did not report.) D's first run with the round-three reader, before any tuning on D: 71/73 (67 + 4
urgent fwd, 2 missed), 8/97, 2 doses invented, 293/360 = 81.4% (by the scorer then: strict on
extra-dose urgency and on doses a denial reports).

Each batch's floor is pinned as measured; issue 10's targets (every emergency escalated, at worst
urgent with the text forwarded; no denial or question alarming or recording a dose; >= 90%) are
pinned where met and strict xfails where unmet. A-D are spent (tuned on).

heldout3 = E (346; blind, written from the brief alone by a writer who never saw the reader, kept
from the reader's author, and measured by the lead only twice: on round two before any change, and
on round three as merged, the issue's untouched figure):

=====================================  ===============  ===============
                                       round two        round three
=====================================  ===============  ===============
emergencies escalated                  57/65 (54 + 3)   56/65 (53 + 3 urgent fwd), 9 missed
denials/questions alarmed or dosed     9/93             6/93
doses invented                         4                4
agreement                              274/346 = 79.2%  293/346 = 84.7%
=====================================  ===============  ===============

(Round two's 274 was scored strictly on a symptom-less extra dose's urgency; E's writer labels
those "none", and the round-three scorer lets either agree: 8 of the 19-row gain.) The targets are
not met on E: its floor is pinned and the targets are strict xfails. E is spent from here on: the
next round may tune on it, and needs a new blind batch to measure.

Round four (the trained safety net, ``docs/sms-reader.md``): C 289, D 349, E 63/65 escalated and
298/346; tuning3 = G1 + G2 (270; blind, scored on main first: 46/56, 3/66, 214/270 = 79.3%; on
the net as first designed: 49/56, 3/66, 216/270), tuned on since: 55/56, 0/66, 242/270; E since: 65/65, 3/93, 308/346 (E tuned on in round four). The
floors below are those figures; the targets stay strict xfails where unmet.

Round five: tuning4 = F (270; blind, written from the brief by two writers; scored once on round
four: 52/55 escalated (42 + 10 urgent fwd), 0/66, 3 doses invented, 224/270 = 83.0%), tuned on by
class since: 55/55, 0/66, 1, 266/270. The same classes moved C to 290, E to 310/346 (89.6%) and G to
250/270 (92.6%, the issue's 90% now met on G, fitted). Floors are those figures.
"""

from __future__ import annotations

from collections import Counter

import pytest

from tests.unit.sms_batches import FIXTURES, labels_reader, load, score


def _counts(batch: str) -> Counter[str]:
    return score(load(FIXTURES / batch))["counts"]  # type: ignore[return-value]


def _escalated(c: Counter[str]) -> int:
    return c["emergency_as_emergency"] + c["emergency_as_urgent_forwarded"]


# -- tuning2 (D): blind to this reader's author until round three, measured blind by the lead first ---


def test_the_blind_batch_d_meets_the_issues_targets() -> None:
    c = _counts("tuning2.jsonl")
    assert (c["rows"], c["emergencies"], c["denials_questions"]) == (360, 73, 97)
    assert (_escalated(c), c["emergency_missed"]) == (73, 0)
    assert c["denial_question_alarmed_or_dosed"] <= 1  # D140: the safety net's false alarm (test_reading.py)
    assert c["dose_not_reported_recorded"] <= 1
    assert c["agree"] >= 352  # round eleven (the acknowledgement classes)


# -- heldout2: blind in round two (53/57, 3/64, 6, 248), tuning material in round three ---------------


def test_the_second_held_out_batch_meets_the_issues_targets_since_round_three() -> None:
    c = _counts("heldout2.jsonl")
    assert (c["rows"], c["emergencies"], c["denials_questions"]) == (295, 57, 64)
    assert (_escalated(c), c["emergency_missed"]) == (57, 0)
    assert c["denial_question_alarmed_or_dosed"] == 0
    assert c["dose_not_reported_recorded"] == 0
    assert c["agree"] >= 289  # round eleven: C011 read as report + ack (I-P's and the guide's call; C labels the report alone)


# -- heldout: blind in round one (floor 56/64, 10/78, 5, 269), tuning material in round two -------------


def test_the_spent_held_out_batch_reads_at_least_as_well_as_after_round_three() -> None:
    c = _counts("heldout.jsonl")
    assert c["rows"] == 326
    assert (c["emergencies"], c["emergency_missed"]) == (64, 0)
    assert c["denial_question_alarmed_or_dosed"] <= 1
    assert c["dose_not_reported_recorded"] == 0
    assert c["agree"] >= 318  # round eleven: A011 read as report + ack (I-P's and the guide's call; A labels the report alone)


@pytest.mark.xfail(strict=True, reason="heldout: worsening spasms beside a question reach the caregivers (labelled none)")
def test_no_spent_held_out_denial_or_question_alarms_or_records_a_dose() -> None:
    assert _counts("heldout.jsonl")["denial_question_alarmed_or_dosed"] == 0


def test_the_tuning_batch_meets_the_issues_targets() -> None:
    c = _counts("tuning.jsonl")
    assert (c["emergencies"], c["emergency_missed"]) == (56, 0)
    assert c["denial_question_alarmed_or_dosed"] == 0
    assert c["dose_not_reported_recorded"] == 0
    assert c["agree"] >= 287  # round eleven: B008, B013 read as report + ack (I-P's and the guide's call; B labels the report alone)


# -- heldout3 (E): the untouched held-out batch of round three ---------------------------------------


def test_the_untouched_held_out_batch_reads_at_least_as_well_as_round_three() -> None:
    c = _counts("heldout3.jsonl")
    assert (c["rows"], c["emergencies"], c["denials_questions"]) == (346, 65, 93)
    assert _escalated(c) == 65
    assert c["denial_question_alarmed_or_dosed"] <= 3
    assert c["dose_not_reported_recorded"] <= 4
    # round eleven: E108 ("checked on her", E labels a report) read as an acknowledgement; round thirteen (signs): E018's
    # "cnt keep eys opn" read as the emergency it is, 319 -> 320
    assert c["agree"] >= 320


def test_every_e_emergency_is_escalated_since_round_four() -> None:
    assert _counts("heldout3.jsonl")["emergency_missed"] == 0


# Met since round seventeen as merged (E spent since round four: a fitted figure; 3 of 93 alarmed or dosed before it).
def test_no_untouched_held_out_denial_or_question_alarms_or_records_a_dose() -> None:
    assert _counts("heldout3.jsonl")["denial_question_alarmed_or_dosed"] == 0


# Met since round ten (314/346 = 90.8%; E has been tuned on since round four: a fitted figure).
def test_the_untouched_held_out_batch_agrees_nine_times_in_ten() -> None:
    c = _counts("heldout3.jsonl")
    assert c["agree"] >= 0.9 * c["rows"]


# -- tuning3 = G1 + G2: blind, written by two writers from the brief alone, scored on main first ----


def test_the_g_batches_read_at_least_as_well_as_after_the_safety_net() -> None:
    c = _counts("tuning3.jsonl")
    assert (c["rows"], c["emergencies"], c["denials_questions"]) == (270, 56, 66)
    assert _escalated(c) == 56
    assert c["denial_question_alarmed_or_dosed"] == 0
    assert c["dose_not_reported_recorded"] <= 2
    assert c["agree"] >= 253


def test_every_g_emergency_is_escalated() -> None:
    # Since round seven a caregiver's bare "4" (their options are 1-3; labelled an emergency) is urgent
    # with the text to every caregiver, never silent.
    assert _counts("tuning3.jsonl")["emergency_missed"] == 0


def test_the_g_batches_agree_nine_times_in_ten_since_round_five() -> None:
    c = _counts("tuning3.jsonl")
    assert c["agree"] >= 0.9 * c["rows"]


# -- tuning4 = F: blind in round four (52/55, 0/66, 3, 224/270), tuned on by class in round five -------


def test_the_f_batch_meets_the_issues_targets_since_round_five() -> None:
    c = _counts("tuning4.jsonl")
    assert (c["rows"], c["emergencies"], c["denials_questions"]) == (270, 55, 66)
    assert (_escalated(c), c["emergency_missed"]) == (55, 0)
    assert c["denial_question_alarmed_or_dosed"] == 0
    assert c["dose_not_reported_recorded"] <= 1
    assert c["agree"] >= 265  # round eleven: F2-004 read as report + ack (I-P's and the guide's call; F labels the report alone)


# -- tuning5 = J: blind in round seven (58/60, 3/52, 3, 213/270 on round six), tuned on by class ---------


def test_the_j_batch_meets_the_issues_targets_since_round_seven() -> None:
    c = _counts("tuning5.jsonl")
    assert (c["rows"], c["emergencies"], c["denials_questions"]) == (270, 60, 52)
    assert (_escalated(c), c["emergency_missed"]) == (60, 0)
    assert c["denial_question_alarmed_or_dosed"] == 0
    assert c["dose_not_reported_recorded"] == 0
    assert c["agree"] >= 263  # round eleven: J's reports with 911 called read as acknowledgements, as J labels them


# -- tuning6 = I: blind in round eight (58/59, 3/52, 3, 236/270 on main ff3fca6 and round seven), tuned on by class


def test_the_i_batch_meets_the_issues_targets_since_round_eight() -> None:
    c = _counts("tuning6.jsonl")
    assert (c["rows"], c["emergencies"], c["denials_questions"]) == (270, 59, 52)
    assert (_escalated(c), c["emergency_missed"]) == (59, 0)
    assert c["denial_question_alarmed_or_dosed"] == 0
    assert c["dose_not_reported_recorded"] <= 1
    assert c["agree"] >= 265


# -- tuning7 = K: blind in round nine (57/61, 3/52, 0, 239/270 on main ff3fca6 and round eight), tuned on by class


def test_the_k_batch_meets_the_issues_targets_since_round_nine() -> None:
    c = _counts("tuning7.jsonl")
    assert (c["rows"], c["emergencies"], c["denials_questions"]) == (270, 61, 52)
    assert (_escalated(c), c["emergency_missed"]) == (61, 0)
    assert c["denial_question_alarmed_or_dosed"] == 0
    assert c["dose_not_reported_recorded"] == 0
    assert c["agree"] >= 255


# -- tuning8 = M, tuning9 = N: blind in round ten (M 58/60, 4/61, 3, 225/270; N 59/60, 3/57, 3, 230/270 on main
# 6aa2a12), tuned on by class


def test_the_m_batch_meets_the_issues_safety_targets_since_round_ten() -> None:
    c = _counts("tuning8.jsonl")
    assert (c["rows"], c["emergencies"], c["denials_questions"]) == (270, 60, 61)
    assert (_escalated(c), c["emergency_missed"]) == (60, 0)
    assert c["denial_question_alarmed_or_dosed"] == 0
    assert c["dose_not_reported_recorded"] <= 2
    assert c["agree"] >= 248  # round thirteen (acknowledgements and doses): 248


def test_the_n_batch_meets_the_issues_targets_since_round_ten() -> None:
    c = _counts("tuning9.jsonl")
    assert (c["rows"], c["emergencies"], c["denials_questions"]) == (270, 60, 57)
    assert (_escalated(c), c["emergency_missed"]) == (60, 0)
    assert c["denial_question_alarmed_or_dosed"] == 0
    assert c["dose_not_reported_recorded"] == 0
    assert c["agree"] >= 257


# -- heldout4 = L1 + L2: round ten's untouched judge (blind on main 6aa2a12: 58/60, 1/59, 3, 234/270; on round ten
# 58/60, 1/59, 3, 236/270), tuned on by class in round eleven


def test_l_reads_at_least_as_well_as_after_round_eleven() -> None:
    c = _counts("heldout4.jsonl")
    assert (c["rows"], c["emergencies"], c["denials_questions"]) == (270, 60, 59)
    assert (_escalated(c), c["emergency_missed"]) == (60, 0)
    assert c["denial_question_alarmed_or_dosed"] <= 1
    assert c["dose_not_reported_recorded"] <= 3
    assert c["agree"] >= 263  # round thirteen: 263


# round twelve: met (the usual stiff legs are the baseline, not a complaint)
def test_no_l_denial_or_question_alarms_or_records_a_dose() -> None:
    assert _counts("heldout4.jsonl")["denial_question_alarmed_or_dosed"] == 0


# Met since round eleven (fitted: L has been tuned on).
def test_l_agrees_nine_times_in_ten() -> None:
    c = _counts("heldout4.jsonl")
    assert c["agree"] >= 0.9 * c["rows"]


# -- tuning10 = P1 + P2: new in round eleven (blind on main d6bdeeb: 59/60, 2/50, 3, 215/270), tuned on by class


def test_the_p_batch_meets_the_issues_safety_targets_since_round_eleven() -> None:
    c = _counts("tuning10.jsonl")
    assert (c["rows"], c["emergencies"], c["denials_questions"]) == (270, 60, 50)
    assert (_escalated(c), c["emergency_missed"]) == (60, 0)
    assert c["denial_question_alarmed_or_dosed"] <= 1  # P2-125: a patient's words with a thumbs-up are a dose (round three)
    assert c["dose_not_reported_recorded"] <= 2
    assert c["agree"] >= 251  # round thirteen: 251


def test_the_p_batch_agrees_nine_times_in_ten() -> None:
    c = _counts("tuning10.jsonl")
    assert c["agree"] >= 0.9 * c["rows"]


# -- Round twelve tuned on O (heldout5), Q (heldout6), S (tuning11 = S1 + S2) and T (tuning12 = T1 + T2) by class. O and Q
# were round eleven's untouched judges (O 60/60, 1/58, 3, 230/270; Q 57/59, 6/58, 6, 204/270 on round eleven as merged);
# S and T are new, blind on main ea65b94 (S 58/60, 5/52, 2, 231/270; T 58/60, 2/58, 3, 233/270). These floors are
# round twelve as merged: fitted figures, the issue's targets met on all four because they were read.


@pytest.mark.parametrize(("batch", "emergencies", "denials_questions", "alarmed", "invented", "agree"), [
    ("heldout5.jsonl", 60, 58, 0, 0, 261),
    ("heldout6.jsonl", 59, 58, 0, 2, 253),
    ("tuning11.jsonl", 60, 52, 1, 1, 253),  # S1-006: a patient's words with a thumbs-up are a dose (round three)
    ("tuning12.jsonl", 60, 58, 0, 1, 263),
])
def test_the_round_twelve_tuning_batches_meet_the_safety_targets_as_fitted(
        batch: str, emergencies: int, denials_questions: int, alarmed: int, invented: int, agree: int) -> None:
    c = _counts(batch)
    assert (c["rows"], c["emergencies"], c["denials_questions"]) == (270, emergencies, denials_questions)
    assert (_escalated(c), c["emergency_missed"]) == (emergencies, 0)
    assert c["denial_question_alarmed_or_dosed"] <= alarmed
    assert c["dose_not_reported_recorded"] <= invented
    assert c["agree"] >= agree >= 0.9 * c["rows"]


# -- heldout7 = R1 + R2, heldout8 = U1 + U2, heldout9 = V1 + V2: round twelve's untouched judges. Six writers, the brief and
# the guide alone; kept from both reader engineers and scored by the lead on totals only, twice: on main ea65b94 before any
# change (R 58/61, 0/54, 2, 223/270; U 58/60, 3/59, 6, 226/270; V 59/60, 6/58, 3, 220/270) and once on round twelve as
# merged (R 229, U 230, V 220). Round thirteen tuned on them by class, acknowledgements and doses only (R 229 -> 248, U 230 -> 248,
# V 220 -> 243): the floors below are fitted figures from here on; the lead judges on new untouched batches.


@pytest.mark.parametrize(("batch", "emergencies", "denials_questions", "escalated", "alarmed", "invented", "agree"), [
    # round thirteen as merged (the lead's, acknowledgements and doses, urgency and signs; R, U, V tuned on: fitted figures)
    ("heldout7.jsonl", 61, 54, 61, 0, 0, 262),
    ("heldout8.jsonl", 60, 59, 60, 0, 0, 259),
    ("heldout9.jsonl", 60, 58, 60, 0, 0, 262),
    # round thirteen's judges W, X, Y as judged (see below), then read for the net and four classes: fitted from here (all
    # floors below as of round seventeen as merged, 72a22ae; every one met or raised there)
    ("heldout10.jsonl", 60, 58, 60, 0, 1, 252),
    ("heldout11.jsonl", 63, 53, 63, 0, 0, 246),
    ("heldout12.jsonl", 61, 56, 61, 0, 0, 251),
    # round thirteen's second judges Z, AA, AB (heldout13-15) and round fourteen's AK, AL, AM, AN (heldout16-19): judged
    # untouched (below), then round fifteen's material; round fifteen as merged (fitted figures)
    ("heldout13.jsonl", 61, 55, 61, 1, 0, 264),
    ("heldout14.jsonl", 61, 56, 60, 0, 0, 260),
    ("heldout15.jsonl", 61, 57, 61, 0, 0, 264),
    ("heldout16.jsonl", 60, 54, 60, 0, 0, 262),
    ("heldout17.jsonl", 61, 57, 61, 1, 0, 255),
    ("heldout18.jsonl", 60, 61, 60, 0, 0, 266),
    ("heldout19.jsonl", 60, 55, 60, 0, 0, 260),
    # round fifteen's judges AO, AP, AQ, AR (heldout20-23), judged untouched on round fifteen (246, 234, 247, 247), then
    # round sixteen's material: fitted figures from here
    ("heldout20.jsonl", 62, 53, 62, 0, 0, 262),
    ("heldout21.jsonl", 61, 55, 61, 0, 0, 256),
    ("heldout22.jsonl", 63, 58, 63, 1, 0, 264),
    ("heldout23.jsonl", 61, 58, 61, 0, 0, 263),
    # AS, AT, AU, AV (heldout24-27), written after round fifteen was merged, round sixteen's untouched judges: judged on
    # round sixteen as merged (258, 258, 242, 243 with 2, 3, 2, 3 alarmed; on round fifteen 256, 258, 241, 242 with 2, 3, 2,
    # 4), then read by the lead for one class (a seizure told as history) with AW-AZ: fitted from here
    ("heldout24.jsonl", 58, 54, 58, 0, 1, 260),
    ("heldout25.jsonl", 63, 63, 63, 2, 0, 260),
    ("heldout26.jsonl", 61, 57, 61, 0, 0, 247),
    ("heldout27.jsonl", 60, 55, 60, 0, 0, 248),
    # AW, AX, AY, AZ (heldout28-31), written at round sixteen's start and kept from its engineers: round sixteen's second
    # untouched judges, as judged on round sixteen as merged (blind on 9cd8801 before it: 256, 253, 244, 246; on round
    # sixteen 256, 255, 247, 246), then round seventeen's material
    ("heldout28.jsonl", 58, 53, 58, 0, 1, 258),
    ("heldout29.jsonl", 59, 56, 59, 0, 0, 257),
    ("heldout30.jsonl", 58, 60, 58, 0, 1, 252),
    ("heldout31.jsonl", 61, 58, 61, 0, 1, 250),
    # BA, BB, BC, BD (heldout32-35), written during round sixteen's merge: round seventeen's untouched judges, as judged on
    # round seventeen as merged (on 9cd8801: 251, 242, 260, 242; on round sixteen's final tree 252, 245, 260, 243)
    ("heldout32.jsonl", 58, 55, 58, 1, 0, 253),
    ("heldout33.jsonl", 59, 55, 59, 0, 1, 248),
    ("heldout34.jsonl", 60, 58, 60, 0, 0, 263),
    ("heldout35.jsonl", 58, 55, 58, 1, 2, 247),
    # BE, BF, BG, BH (heldout36-39), written at round seventeen's start: its untouched judges beside BA-BD, as judged on
    # round seventeen as merged (blind on 6a9e5e4: the same figures; misses unread)
    ("heldout36.jsonl", 59, 57, 59, 2, 1, 250),
    ("heldout37.jsonl", 58, 58, 58, 1, 0, 256),
    ("heldout38.jsonl", 60, 57, 60, 1, 0, 254),
    ("heldout39.jsonl", 56, 60, 56, 3, 1, 248),
    # BI, BJ, BK, BL (heldout40-43), written after round seventeen was merged: round eighteen's untouched judges, blind on
    # round seventeen as merged (074c2c4) and on its final tree (the same figures), then once on round eighteen as merged
    # (these floors); misses unread
    ("heldout40.jsonl", 59, 61, 59, 0, 1, 248),
    ("heldout41.jsonl", 59, 60, 59, 2, 2, 256),
    ("heldout42.jsonl", 58, 55, 57, 0, 0, 252),
    ("heldout43.jsonl", 59, 61, 59, 0, 1, 260),
    # BM, BN, BO, BP (heldout44-47), written at round eighteen's start: its untouched judges beside BI-BL, blind on f01ff32
    # before any change, then once on round eighteen as merged (these floors); misses unread
    ("heldout44.jsonl", 60, 57, 60, 0, 0, 247),
    ("heldout45.jsonl", 61, 58, 61, 4, 4, 239),  # 240 as first judged: one row moved wrong under round eighteen
    ("heldout46.jsonl", 60, 58, 60, 1, 0, 259),
    ("heldout47.jsonl", 60, 59, 60, 1, 0, 249),
    # tuning13-20 = AC ... AJ (two writers each, NOTES.md): round fourteen's material for the nets' training and the
    # engineers' tables, scored by the lead on totals only on 8631eb1 before any change (1,862/2,160, 14 of 484 missed)
    # and tuned on by class; round fourteen as merged (2,011/2,160, 3 missed): fitted figures
    ("tuning13.jsonl", 62, 58, 62, 1, 0, 258),
    ("tuning14.jsonl", 60, 57, 60, 0, 0, 248),
    ("tuning15.jsonl", 60, 60, 60, 0, 0, 259),
    ("tuning16.jsonl", 60, 56, 60, 1, 0, 248),
    ("tuning17.jsonl", 61, 55, 61, 0, 1, 257),
    ("tuning18.jsonl", 60, 57, 60, 0, 0, 260),
    ("tuning19.jsonl", 61, 61, 61, 0, 1, 260),
    ("tuning20.jsonl", 60, 59, 58, 0, 1, 252),
])
def test_the_batches_since_round_twelve_read_at_least_as_well_as_their_floors(
        batch: str, emergencies: int, denials_questions: int, escalated: int, alarmed: int, invented: int,
        agree: int) -> None:
    c = _counts(batch)
    assert (c["rows"], c["emergencies"], c["denials_questions"]) == (270, emergencies, denials_questions)
    assert _escalated(c) >= escalated
    assert c["denial_question_alarmed_or_dosed"] <= alarmed
    assert c["dose_not_reported_recorded"] <= invented
    assert c["agree"] >= agree


_JUDGES = ("heldout7.jsonl", "heldout8.jsonl", "heldout9.jsonl")


# Met since round thirteen (urgency and signs), after R, U and V were read: a fitted figure, not an untouched one.
def test_every_untouched_round_twelve_emergency_is_escalated() -> None:
    assert [_counts(b)["emergency_missed"] for b in _JUDGES] == [0, 0, 0]


# Met since round thirteen as merged, after R, U and V were read: a fitted figure, not an untouched one.
def test_no_untouched_round_twelve_denial_or_question_alarms_or_records_a_dose() -> None:
    assert [_counts(b)["denial_question_alarmed_or_dosed"] for b in _JUDGES] == [0, 0, 0]


def test_the_round_twelve_judges_agree_nine_times_in_ten_as_fitted_in_round_thirteen() -> None:
    # Untouched, R, U, V read 84.8%, 85.2%, 81.5% (round twelve as merged). Round thirteen tuned on them by class: 97.0%,
    # 94.8%, 96.3% as merged. A fitted figure, not a blind one.
    for batch in _JUDGES:
        c = _counts(batch)
        assert c["agree"] >= 0.9 * c["rows"], batch


# -- heldout10 = W1 + W2, heldout11 = X1 + X2, heldout12 = Y1 + Y2: round thirteen's first untouched judges. Six writers,
# the brief and the guide alone (NOTES.md); kept from the three engineers of round thirteen and scored by the lead on totals
# only, twice: on main 38f3132 before any change (W 60/60, 2/58, 2, 241/270; X 63/63, 2/53, 1, 232/270; Y 60/61, 1/56, 0,
# 241/270) and once on round thirteen as merged (W 241, X 234, Y 241; the same safety figures). Then the lead read them (the
# net's operating point, and the texts that were body trouble read as none or a denial alarmed): fitted from there, with
# Z, AA, AB (heldout13-15) written, and scored before that reading, as the judges.
#
# heldout13 = Z1 + Z2, heldout14 = AA1 + AA2, heldout15 = AB1 + AB2: six more writers, the same way. Scored on totals only
# on 38f3132 (Z 58/61, 5/55, 2, 237/270; AA 59/61, 4/56, 3, 233/270; AB 60/61, 3/57, 3, 241/270), on round thirteen as
# merged (Z 240, AA 237, AB 245; the same safety figures), and once on the final tree (Z 240, AA 237, AB 247 with 2/57
# alarmed). Round fourteen (tuning13-20 read, the acknowledgement net), scored once more on totals: Z 245, AA 240, AB 250,
# the same emergencies, denials and questions (the floors above).

# -- heldout16 = AK1 + AK2, heldout17 = AL, heldout18 = AM, heldout19 = AN: round fourteen's untouched judges. Eight writers,
# the brief and the guide alone (NOTES.md), written while tuning13-20 were, kept from the two engineers of round fourteen
# and from every net's training, scored by the lead on totals only twice: on main 8631eb1 before any change (AK 57/60,
# 4/54, 5, 237/270; AL 57/61, 5/57, 0, 230/270; AM 58/60, 0/61, 1, 236/270; AN 59/60, 2/55, 0, 232/270) and once on
# round fourteen as merged (the floors above).

# Round fifteen read all seven (Z-AB, AK-AN): 1,817/1,890 = 96.1% as merged, 2 of 424 emergencies missed (fitted).
#
# -- heldout20 = AO1 + AO2, heldout21 = AP, heldout22 = AQ, heldout23 = AR: round fifteen's untouched judges. Eight writers,
# the brief and the guide alone (NOTES.md), kept from both engineers of round fifteen and from every net's training, scored
# by the lead on totals only twice: on main 51c382e before any change (AO 61/62, 2/53, 1, 244/270; AP 60/61, 2/55, 2,
# 234/270; AQ 63/63, 5/58, 0, 245/270; AR 61/61, 1/58, 0, 243/270) and once on round fifteen as merged (the floors above).
#
# Round sixteen read all four (AO-AR) by class: 1,044/1,080 = 96.7% as merged, every emergency escalated (fitted).
#
# -- heldout24 = AS1 + AS2, heldout25 = AT, heldout26 = AU, heldout27 = AV: eight more writers, the same way, who wrote after
# round fifteen was merged: round sixteen's untouched judges. Scored on totals only on round fifteen's final reader (AS
# 58/58, 2/54, 2, 256/270; AT 63/63, 3/63, 1, 258/270; AU 60/61, 2/57, 1, 241/270; AV 59/60, 4/55, 1, 242/270), on 51c382e
# for the comparison (AS 58/58, 3/54, 2, 252/270; AT 63/63, 3/63, 1, 258/270; AU 60/61, 3/57, 1, 237/270; AV 58/60, 4/55,
# 1, 242/270) and once on round sixteen as merged (the floors above). Their misses are round seventeen's material.
#
# -- heldout28 = AW1 + AW2, heldout29 = AX, heldout30 = AY, heldout31 = AZ: eight more writers, the same way, who wrote at
# round sixteen's start, kept from both its engineers and from every net's training: round sixteen's second untouched
# judges. Scored on totals only on 9cd8801 before any change (AW 58/58, 0/53, 3, 256/270; AX 59/59, 3/56, 0, 253/270; AY
# 58/58, 6/60, 2, 244/270; AZ 61/61, 3/58, 2, 246/270) and once on round sixteen as merged (the floors above). Their misses
# were then printed to the lead by an all-batch script, so they are material from there, not round seventeen's judges.
#
# -- heldout32 = BA1 + BA2, heldout33 = BB, heldout34 = BC, heldout35 = BD: eight more writers, the same way, who wrote
# during round sixteen's merge: round seventeen's untouched judges. Scored on totals only on 9cd8801 (BA 58/58, 1/55, 2,
# 251/270; BB 58/59, 0/55, 1, 242/270; BC 60/60, 2/58, 0, 260/270; BD 58/58, 2/55, 3, 242/270) and on round sixteen's
# final tree (252/270, 245, 260, 243, with 1, 0, 2, 2 alarmed) and once on round seventeen as merged (the floors above);
# misses unread.
#
# -- heldout36 = BE1 + BE2, heldout37 = BF, heldout38 = BG, heldout39 = BH: eight more writers, the same way, who wrote at
# round seventeen's start, kept from its three engineers and from every net's training. Scored on totals only on 6a9e5e4
# before any change and once on round seventeen as merged: the same safety figures both times (the floors above); misses
# unread.
#
# The lead read BA-BH's misses after that judging, for two classes (the Spanish perfect said or denied; a seizure stopped a
# minute ago): 6 of their rows moved right, none of any batch wrong. Their floors above are from then: fitted figures.
#
# -- heldout40 = BI1 + BI2, heldout41 = BJ, heldout42 = BK, heldout43 = BL: eight more writers, the same way, who wrote
# after round seventeen was merged, kept from every engineer and every net's training: round eighteen's untouched judges.
# Scored on totals only on round seventeen as merged (074c2c4) and on the final tree, with the same figures (the floors
# above); misses unread.
#
# -- heldout44 = BM1 + BM2, heldout45 = BN, heldout46 = BO, heldout47 = BP: eight more writers, the same way, who wrote at
# round eighteen's start, kept from its engineers and from every net's training: its untouched judges beside BI-BL. Scored
# on totals only on f01ff32 before any change; misses unread.
#
# The three tests below keep the twenty judges' targets. AS-AZ are material since round seventeen's engineers read them,
# BA-BH since the lead read them after judging round seventeen (two classes: the Spanish perfect, a seizure stopped a
# minute ago), so theirs are fitted figures now. BI-BL are untouched: the reasons give their figures as judged.

def _unmet(batch: str, reason: str) -> object:
    return pytest.param(batch, marks=pytest.mark.xfail(strict=True, reason=f"issue 10 unmet on the {reason}"))


_JUDGED = tuple(f"heldout{n}.jsonl" for n in range(24, 48))


@pytest.mark.parametrize("batch", [
    _unmet(b, "untouched BK: 1 of 58 not escalated") if b == "heldout42.jsonl" else b for b in _JUDGED])
def test_every_untouched_emergency_is_escalated(batch: str) -> None:
    assert _counts(batch)["emergency_missed"] == 0


# Round eighteen (reader18, the material tuned on): BA, BD, BE, BG and BH (material since the lead read them) meet the target
# now and are plain tests; BI's strict xfail is a judge's and is left as it was judged, whatever it does.
_ALARMED = {"heldout25.jsonl": "AT, read since: 2 of 63 alarmed or dosed",
            "heldout37.jsonl": "BF, read since: 1 of 58 alarmed or dosed",
            "heldout41.jsonl": "untouched BJ: 2 of 60 alarmed or dosed",
            "heldout45.jsonl": "untouched BN: 4 of 58 alarmed or dosed",
            "heldout46.jsonl": "untouched BO: 1 of 58 alarmed or dosed",
            "heldout47.jsonl": "untouched BP: 1 of 59 alarmed or dosed (3 as first judged)"}


@pytest.mark.parametrize("batch", [_unmet(b, _ALARMED[b]) if b in _ALARMED else b for b in _JUDGED])
def test_no_untouched_denial_or_question_alarms_or_records_a_dose(batch: str) -> None:
    assert _counts(batch)["denial_question_alarmed_or_dosed"] == 0


_DISAGREE = {"heldout45.jsonl": "untouched BN: 239 of 270 agree (88.5%; 240 as first judged)"}


@pytest.mark.parametrize("batch", [_unmet(b, _DISAGREE[b]) if b in _DISAGREE else b for b in _JUDGED])
def test_the_untouched_judges_agree_nine_times_in_ten(batch: str) -> None:
    c = _counts(batch)
    assert c["agree"] >= 0.9 * c["rows"]


# -- a second labeller scored as a reader: the ceiling two careful people reach -----------------------------------


def test_a_second_labellers_identical_labels_agree_on_every_row() -> None:
    rows = load(FIXTURES / "tuning11.jsonl")
    c = score(rows, labels_reader(rows))["counts"]
    assert (c["agree"], c["emergency_missed"], c["denial_question_alarmed_or_dosed"]) == (270, 0, 0)


def test_a_second_labeller_who_calls_an_emergency_none_counts_as_a_miss() -> None:
    rows = load(FIXTURES / "tuning11.jsonl")
    first = next(i for i, r in enumerate(rows) if r["expect"]["urgency"] == "emergency")
    other = [dict(r, expect=dict(r["expect"])) for r in rows]
    other[first]["expect"]["urgency"] = "none"
    c = score(rows, labels_reader(other))["counts"]
    assert (c["agree"], c["emergency_missed"]) == (269, 1)


@pytest.mark.parametrize(("batch", "agree"), [("heldout6.jsonl", 266), ("heldout7.jsonl", 263)])
def test_two_labellers_of_an_untouched_batch_agree_on_nearly_every_row(batch: str, agree: int) -> None:
    # Round twelve: a second labeller, from the brief and the guide alone and never shown the writers' labels, labelled Q
    # and R (second_labels/). Scored as a reader, they agree on 98.5% and 97.4% of the rows with every emergency
    # escalated: the issue's 90% is well below what two careful people reach, so the reader's gap is the reader's.
    rows = load(FIXTURES / batch)
    c = score(rows, labels_reader(load(FIXTURES / "second_labels" / batch)))["counts"]
    assert (c["agree"], c["emergency_missed"], c["denial_question_alarmed_or_dosed"]) == (agree, 0, 0)
