"""The SMS reader (``alerts.domain.reading.read_sms``), word by word: every emergency sign and every
reply class, in English and Spanish, named in a test, so deleting a phrase from the reader's tables
breaks one (``python -m tests.unit.reading_mutations`` counts the deletions no test notices)."""

from __future__ import annotations

import json

import pytest

from alerts.domain import reading as reading_module, trouble_net
from alerts.domain.reading import answer_stands, as_meant, numbered_answer, plain_words, read_sms, said_of, sounded_out
from tests.unit.sms_batches import FIXTURES, _read_now, judge

# (sign, text): a clear, un-negated description of one of the brief's four emergency signs.
EMERGENCIES: list[tuple[str, str]] = [
    # seizure: named, described, Spanish, sounded out by dictation, third person, mixed with a dose
    ("seizure", "she is having a seizure"), ("seizure", "he's seizing"), ("seizure", "had a siezure"),
    ("seizure", "having convulsions"), ("seizure", "he had a fit"), ("seizure", "fits again"),
    ("seizure", "epileptic attack"), ("seizure", "grand mal this morning"),
    ("seizure", "she's shaking all over and not answering me"), ("seizure", "whole body jerking"),
    ("seizure", "full body, foam at the mouth"), ("seizure", "esta echando espuma por la boca"),
    ("seizure", "le dio un ataque y se puso tieso"), ("seizure", "tuve un ataque anoche"),
    ("seizure", "empezo a temblar todo el cuerpo"), ("seizure", "todo el cuerpo le tiembla"),
    ("seizure", "his eyes rolled back"), ("seizure", "se le pusieron los ojos en blanco"),
    ("seizure", "woke up on the floor and bit my tongue"), ("seizure", "me mordi la lengua"),
    ("seizure", "I had a sea sure last night"), ("seizure", "he's having a sees your"),
    ("seizure", "mi papa is having convulsiones"), ("seizure", "fue un ataque, lo vi"),
    ("seizure", "she was staring blankly and jerking"), ("seizure", "se quedo mirando fijo"),
    ("seizure", "took it but now she had a fit"), ("seizure", "tonic clonic for 2 minutes"),
    ("seizure", "he had a seezure"),
    # difficulty breathing
    ("breathing", "difficulty breathing"), ("breathing", "trouble breathing"), ("breathing", "hard to breathe"),
    ("breathing", "having a hard time breathing"), ("breathing", "struggling to breathe"),
    ("breathing", "struggling for air"), ("breathing", "I'm struggling to brief"), ("breathing", "short of breath"),
    ("breathing", "gasping"), ("breathing", "she's wheezing"), ("breathing", "air hunger"),
    ("breathing", "breathless"), ("breathing", "breathing is really slow"), ("breathing", "slow shallow breaths"),
    ("breathing", "breaths are far apart"), ("breathing", "long pauses in his breathing"),
    ("breathing", "keeps stopping breathing"), ("breathing", "my throat is closing"),
    ("breathing", "tight throat"), ("breathing", "siento la garganta cerrada"),
    ("breathing", "se me cierra la garganta"), ("breathing", "le cuesta respirar"),
    ("breathing", "me cuesta mucho respirar"), ("breathing", "respira muy despacito"),
    ("breathing", "respiracion lenta"), ("breathing", "me falta el aire"), ("breathing", "falta de aire"),
    ("breathing", "se queda sin aire"), ("breathing", "se esta ahogando"), ("breathing", "lips are blue"),
    ("breathing", "he's turning blue"), ("breathing", "labios morados"), ("breathing", "se puso morado"),
    ("breathing", "boca morada"), ("breathing", "he's choking"), ("breathing", "I can't breathe"),
    ("breathing", "can't get air in"), ("breathing", "can't catch her breath"), ("breathing", "not breathing"),
    ("breathing", "stopped breathing"), ("breathing", "barely breathing"), ("breathing", "hardly breathing"),
    ("breathing", "hes barley breathing"), ("breathing", "no puede respirar"), ("breathing", "no respira"),
    ("breathing", "no esta respirando"), ("breathing", "dejo de respirar"),
    ("breathing", "casi no se le ve el pecho subir"), ("breathing", "no le entra el aire"),
    ("breathing", "no le llega el aire"), ("breathing", "breathing sounds labored"),
    # profound drowsiness
    ("drowsiness", "extremely drowsy"), ("drowsiness", "so sleepy he can't talk"),
    ("drowsiness", "profound drowsiness"), ("drowsiness", "muy muy somnolienta"), ("drowsiness", "tengo muchisimo sueno"),
    ("drowsiness", "keeps nodding off mid sentence"), ("drowsiness", "she nods off while talking"),
    ("drowsiness", "dozed off twice while typing"), ("drowsiness", "falling asleep in his soup"),
    ("drowsiness", "fell asleep standing at the sink"), ("drowsiness", "he passed out"),
    ("drowsiness", "she's unconscious"), ("drowsiness", "unresponsive"), ("drowsiness", "collapsed"),
    ("drowsiness", "blacked out"), ("drowsiness", "out cold"), ("drowsiness", "completely out"),
    ("drowsiness", "esta inconsciente"), ("drowsiness", "se desmayo"), ("drowsiness", "slumped over"),
    ("drowsiness", "cabeceando todo el dia"), ("drowsiness", "se le cierran los ojos"),
    ("drowsiness", "her eyes won't stay open"), ("drowsiness", "eyes keep closing"),
    ("drowsiness", "se queda dormida a media frase"), ("drowsiness", "I can barely rouse him"),
    ("drowsiness", "can't wake him"), ("drowsiness", "won't wake up"), ("drowsiness", "hard to wake"),
    ("drowsiness", "can't keep my eyes open"), ("drowsiness", "can't keep him awake"),
    ("drowsiness", "no puedo despertarla"), ("drowsiness", "no puede mantener los ojos abiertos"),
    ("drowsiness", "no se mantiene despierto"), ("drowsiness", "not waking up"), ("drowsiness", "not responding"),
    ("drowsiness", "no response"), ("drowsiness", "no despierta"), ("drowsiness", "no responde"),
    ("drowsiness", "no reacciona"), ("drowsiness", "won't answer me"), ("drowsiness", "no me contesta"),
    ("drowsiness", "took too many and keep nodding off"), ("drowsiness", "somnolencia profunda"),
    ("drowsiness", "demasiado sueno"), ("drowsiness", "keeps passing out"),
    # severe confusion
    ("confusion", "severe confusion"), ("confusion", "severely confused"), ("confusion", "really confused"),
    ("confusion", "extremely disoriented"), ("confusion", "muy confundida"), ("confusion", "confusion grave"),
    ("confusion", "talking nonsense"), ("confusion", "total gibberish"), ("confusion", "incoherent"),
    ("confusion", "words that make no sense"), ("confusion", "dice cosas sin sentido"),
    ("confusion", "hablando puros disparates"), ("confusion", "slurring his words"),
    ("confusion", "talking to people who aren't there"), ("confusion", "she's talking to the wall"),
    ("confusion", "hablando con gente que no esta"), ("confusion", "asking for his dead mother"),
    ("confusion", "calls me by my late uncle's name"), ("confusion", "asks for her mom who died years ago"),
    ("confusion", "he thinks it's 1987"), ("confusion", "piensa que es 1990"),
    ("confusion", "doesn't know what year it is"), ("confusion", "doesn't know who I am"),
    ("confusion", "she dont recognize anybody"), ("confusion", "don't know where I am"),
    ("confusion", "doesn't recognise me"), ("confusion", "not making any sense"), ("confusion", "makes no sense"),
    ("confusion", "no sabe quien soy"), ("confusion", "no me reconoce"), ("confusion", "no recuerda quien soy"),
    ("confusion", "Mom is real confuzed she dont recanize anybody"),
    ("confusion", "he doesn't reckon eyes me"), ("confusion", "completamente desorientado"),
]


@pytest.mark.parametrize(("sign", "text"), EMERGENCIES, ids=[f"{s}:{t[:40]}" for s, t in EMERGENCIES])
def test_each_description_of_an_emergency_sign_is_an_emergency(sign: str, text: str) -> None:
    for sender in ("patient", "caregiver"):
        reading = read_sms(text, sender=sender)  # type: ignore[arg-type]
        assert (reading.urgency, sign in reading.signs) == ("emergency", True), sender
        assert reading.forward


# The negation trap: a negative-function concept is never negated away, and doubt is not denial.
@pytest.mark.parametrize("text", ["no, he can't breathe", "she won't wake up", "no puede respirar",
                                  "no me reconoce", "he's not breathing", "not responding to me"])
def test_signs_worded_as_negations_are_never_denied(text: str) -> None:
    assert read_sms(text, sender="caregiver").urgency == "emergency"


@pytest.mark.parametrize("text", ["not sure it was seizures", "maybe a small seizure?", "no se si fue un ataque",
                                  "not sure if its a seizure or just his spasms", "might have been a seizure",
                                  "tal vez fue una convulsion"])
def test_a_doubtful_seizure_is_urgent_and_forwarded_not_denied(text: str) -> None:
    reading = read_sms(text, sender="caregiver")
    assert (reading.urgency, reading.doubtful, reading.forward) == ("urgent", ("seizure",), True)


@pytest.mark.parametrize("text", [
    "no seizures", "no seizures today", "40 days seizure free today!!", "zero seizures this month",
    "nada de convulsiones", "ninguna convulsion since the pump", "sin convulsiones esta semana",
    "Last seizure was 2019. I'm fine.", "Mom didn't have any fits this week", "no trouble breathing",
    "breathing fine", "no difficulty breathing today", "not confused", "no he tenido temblores ni nada",
    "not drowsy at all", "I don't have any twitches or drowsiness. Not confused either",
])
def test_a_clear_denial_raises_nothing(text: str) -> None:
    reading = read_sms(text, sender="patient")
    assert (reading.urgency, reading.dose) == ("none", "none")


@pytest.mark.parametrize("text", [
    "what do I do if he has a seizure?", "what if she can't breathe?", "in case he has a fit, who do I call?",
    "que hago si le da un ataque?", "what are the signs of an overdose?",
])
def test_a_hypothetical_sign_reports_nothing(text: str) -> None:
    assert read_sms(text, sender="caregiver").urgency == "none"


def test_an_intensity_word_makes_the_briefs_moderate_sign_an_emergency() -> None:
    assert read_sms("severe confusion").urgency == "emergency"
    assert read_sms("a bit confused").urgency == "urgent"
    assert read_sms("muy sleepy today, pero puedo hacer mis cosas").urgency == "urgent"


@pytest.mark.parametrize(("heard", "meant"), [
    ("i had a sea sure", "i had a seizure"), ("hes having a sees your", "hes having a seizure"),
    ("she is confuzed", "she is confused"), ("he is barley breathing", "he is barely breathing"),
    ("she doesnt recanize me", "she doesnt recognize me"), ("took my scissors", "took my scissors"),
    ("a saucer of milk", "a saucer of milk"), ("my sister came", "my sister came"),
])
def test_dictated_sound_alikes_are_read_as_the_word_meant_and_real_words_stay(heard: str, meant: str) -> None:
    assert sounded_out(heard) == meant


@pytest.mark.parametrize("text", [
    "hes so drowsy, took 3 pills instead of 1", "took too many and keep nodding off", "took a double dose and now he won't wake up",
])
def test_an_emergency_mixed_with_an_extra_dose_is_an_emergency_first_and_an_extra_dose_second(text: str) -> None:
    reading = read_sms(text, sender="caregiver")
    assert (reading.urgency, reading.dose) == ("emergency", "extra")


# -- reply classes, in both languages ---------------------------------------------------------------------

TAKEN = [
    "took it", "Took my 8 oclock pill", "took it at 8, feeling fine", "took it 10 mins ago", "tkn",
    "yes took my 10mg with breakfast", "late but taken. 9:45", "I'm taking it now", "Just took it, was in the shower",
    "had it at 7:50 before the reminder", "Took it. Stop nagging me, I ALWAYS take it", "Forgot, taking it now",
    "tomada a las 8:30 con el cafe", "Si ya la tome hace rato, gracias", "ya me la tome", "ya se la tomo",
    "ya la tomo, she was just slow", "took it pero late, como a las 10", "Done con el desayuno",
]
TAKEN_BY_CAREGIVER = [
    "I gave him his pill at 8:20, sorry forgot to reply", "she's taking it right now", "he's swallowing it as we speak",
    "Aide here - gave Mr. Jenkins his 10 mg at 0815", "ya se la di, se la tomo con avena", "le di su pastilla a las 8",
    "acabo de darle his baclofen", "Gave Ruth hers at 8", "given at 9",
]
NOT_TAKEN = [
    "not yet", "forgot", "I forgot my dose", "skipping today", "missed my dose", "didn't take it",
    "she hasn't had her pills", "will take it later", "I'll take it after I eat", "he refused it", "he spit it out",
    "slept through my alarm", "overslept", "todavia no", "se me olvido", "no la he tomado", "aun no",
    "me la tomo cuando llegue a la casa", "no quiso tomarla", "me quede dormida", "lleva un dia sin tomar",
    "she's asleep", "in the shower", "se me paso", "I couldn't take the 8pm", "had none since yesterday",
]
EXTRA = [
    "took it twice", "took another when the reminder came", "took two doses together", "took 2 at once",
    "took my husband's pills by mistake", "grabbed the 20 instead of the 10", "took the wrong strength",
    "doubled up last night", "took an extra one", "had an extra half tab at lunch", "took too many",
    "me tome dos", "tome la de las 8 y la de las 2 juntas", "se tomo doble", "le dio otra sin saber",
    "mi esposo se tomo mis pastillas", "tome una de mas", "the pill box for today is empty",
    "morning aide gave it and then the day aide gave it again", "he's had 3 today instead of 2",
    "both aides gave it", "took 3 instead of 2", "took it 2x", "overdosed",
]


@pytest.mark.parametrize("text", TAKEN)
def test_a_dose_confirmation_with_a_time_amount_or_remark_is_a_dose_taken(text: str) -> None:
    assert read_sms(text, sender="patient").dose == "taken"


@pytest.mark.parametrize("text", TAKEN_BY_CAREGIVER)
def test_a_caregiver_or_aide_reporting_the_dose_is_a_dose_taken(text: str) -> None:
    assert read_sms(text, sender="caregiver").dose == "taken"


@pytest.mark.parametrize("text", NOT_TAKEN)
def test_a_dose_not_taken_is_read_as_not_taken(text: str) -> None:
    assert read_sms(text, sender="patient").dose == "not_taken"


@pytest.mark.parametrize("text", EXTRA)
def test_an_extra_dose_however_described_is_extra_and_urgent(text: str) -> None:
    reading = read_sms(text, sender="patient")
    assert (reading.dose, reading.urgency) == ("extra", "urgent")


@pytest.mark.parametrize("text", [
    "if I missed it should I double up?", "should I take two now since I missed this morning?",
    "se me paso la de la manana, me tomo dos ahorita?", "can I take it at 9 instead of 8?",
    "Should I take another one?", "is it ok if she takes it an hour late or should she skip it?",
    "puedo tomarla con cafe?", "did I take it?",
])
def test_a_question_about_dosing_records_nothing_and_alarms_nothing(text: str) -> None:
    reading = read_sms(text, sender="patient")
    assert (reading.dose, reading.urgency, "question" in reading.intents) == ("none", "none", True)


SUPPLY = [
    ("ran_out", "ran out yesterday"), ("ran_out", "I'm out of pills"), ("ran_out", "none left"),
    ("ran_out", "only 2 left"), ("ran_out", "I'm on my last 3 pills"), ("ran_out", "se me acabaron"),
    ("ran_out", "me quedan 2"), ("ran_out", "no me quedan"), ("ran_out", "no tengo mas pastillas"),
    ("ran_out", "no hay"), ("ran_out", "pump is beeping"), ("ran_out", "his pump alarm is going off"),
    ("ran_out", "low reservoir"), ("ran_out", "reservoir alarm said low"), ("ran_out", "pump low battery"),
    ("ran_out", "la bomba esta pitando"), ("ran_out", "the pump is making a weird double beep"),
    ("ran_out", "pump refill appt got cancelled"), ("ran_out", "she missed her pump refill"),
    ("ran_out", "they can't see her until the 28th"), ("ran_out", "I lost my pills"), ("ran_out", "spilled them"),
    ("ran_out", "dropped the bottle down the sink"), ("ran_out", "cat knocked my pills into the toilet"),
    ("ran_out", "perdi las pastillas"), ("ran_out", "se me cayeron las pastillas"), ("ran_out", "the dog ate them"),
    ("ran_out", "rationing my pills"), ("ran_out", "stretching them til friday"),
    ("ran_out", "skipping the night one pa que me alcancen"), ("ran_out", "cutting pills in half to make them last"),
    ("ran_out", "the bottle is empty"), ("ran_out", "running low"),
    ("no_refill", "pharmacy didn't have it"), ("no_refill", "waiting on prior authorization"),
    ("no_refill", "they want a new prior auth"), ("no_refill", "my prescription expired"),
    ("no_refill", "la receta se vencio"), ("no_refill", "insurance denied the refill"),
    ("no_refill", "el seguro no lo cubre"), ("no_refill", "out of stock"), ("no_refill", "it's backordered"),
    ("no_refill", "mail order hasn't come"), ("no_refill", "refill was denied"), ("no_refill", "can't get a refill"),
    ("no_refill", "need a refill"), ("no_refill", "no refills left on it"), ("no_refill", "no me la quieren surtir"),
    ("no_refill", "la farmacia no la tenia"), ("no_refill", "the doctor hasn't sent it"),
    ("no_refill", "can't afford it"), ("no_refill", "la receta ya expiro"), ("no_refill", "prescription caducada"),
]


@pytest.mark.parametrize(("problem", "text"), SUPPLY)
def test_each_supply_problem_is_read_with_its_kind(problem: str, text: str) -> None:
    reading = read_sms(text, sender="patient")
    assert ("supply_problem" in reading.intents, reading.supply_problem) == (True, problem)
    assert reading.dose != "taken"


ACKS = [
    "ok", "okay", "oki", "k", "roger that", "got it", "received", "recibido", "enterado", "entendida", "de acuerdo",
    "vale", "copy", "will do", "on it", "on my way", "omw", "on the way", "heading over", "heading there now",
    "leaving work now", "I'm 5 min away", "driving over", "I'll call her", "I'll check on him after work",
    "going over now", "coming", "calling 911", "called the ambulance", "911 called. paramedics here",
    "ambulance is coming", "EMS is here now", "ya estan aqui los paramedicos", "voy en camino", "ya voy",
    "ya salgo", "estoy en el carro", "ya llame al 911", "llamando al 911", "le llamo ahorita",
    "le voy a marcar", "neighbor is with her", "su hermana esta con ella",
    "checking on her", "texting the nurse", "yes I see it", "\U0001f44d",
]


@pytest.mark.parametrize("text", ACKS)
def test_a_caregiver_acknowledging_in_their_own_words_is_an_acknowledgement(text: str) -> None:
    assert "ack" in read_sms(text, sender="caregiver").intents


def test_a_stop_request_is_never_read_as_an_acknowledgement() -> None:
    assert "ack" not in read_sms("Please stop texting me", sender="caregiver").intents


@pytest.mark.parametrize("text", ["calling 911, he's seizing", "on my way, she can't breathe",
                                  "OK calling now, he's still convulsing", "ya voy, sigue convulsionando"])
def test_an_acknowledgement_beside_a_sign_still_happening_is_both_ack_and_emergency(text: str) -> None:
    # Issue 10: the acknowledgement is recorded, the emergency keeps everyone alerted (the service).
    reading = read_sms(text, sender="caregiver")
    assert ("ack" in reading.intents, reading.urgency) == (True, "emergency")


@pytest.mark.parametrize("text", ["did dad take it?", "Has Walt taken anything today?", "ya se la tomo mi mama?",
                                  "how is she?", "status", "any update?", "was it logged?"])
def test_a_caregiver_asking_about_the_patient_is_a_status_request_not_a_dose(text: str) -> None:
    reading = read_sms(text, sender="caregiver")
    assert ("status_request" in reading.intents, reading.dose) == (True, "none")


@pytest.mark.parametrize("text", ["Please stop texting me", "ya no me manden mensajes", "stop porfa",
                                  "don't text me anymore", "remove me from this", "she passed away"])
def test_a_request_to_stop_in_words_is_read_as_stop(text: str) -> None:
    assert "stop" in read_sms(text, sender="caregiver").intents


@pytest.mark.parametrize("text", ["feeling fine", "todo bien", "never better", "nothing to report", "all good",
                                  "me siento mejor", "normal today", "sharp as a tack today"])
def test_reassurance_is_all_well(text: str) -> None:
    reading = read_sms(text, sender="patient")
    assert ("all_well" in reading.intents, reading.urgency) == (True, "none")


@pytest.mark.parametrize("text", ["asdfgh", "meh", "?", "\U0001f440", "who is this", "wrong number"])
def test_a_text_we_cannot_place_is_unclear_and_forwarded(text: str) -> None:
    reading = read_sms(text, sender="patient")
    if reading.confident:
        assert "question" in reading.intents and reading.forward
    else:
        assert ("unclear" in reading.intents, reading.forward) == (True, True)


@pytest.mark.parametrize(("text", "sender", "meant"), [
    ("1", "patient", "taken"), ("2", "patient", "not_yet"), ("3", "patient", "unwell"), ("4", "patient", "emergency"),
    ("#4", "patient", "emergency"), ("1", "caregiver", "ack"), ("2", "caregiver", "status"),
    ("3", "caregiver", "taken"), ("4", "caregiver", None), ("5", "patient", None), ("took it", "patient", None),
    # a number word, or an option number leading a few words; not a count or a time
    ("three", "patient", "unwell"), ("cuatro", "patient", "emergency"), ("uno", "caregiver", "ack"),
    ("2 - not yet, after lunch", "patient", "not_yet"), ("3 me siento rara", "patient", "unwell"),
    ("opcion 1 ya me la tome", "patient", "taken"), ("2 pills", "patient", None), ("1 hour late", "patient", None),
    ("3pm", "patient", None), ("4 tabs", "patient", None), ("2 dias sin tomar", "patient", None),
])
def test_numbered_answers_are_understood(text: str, sender: str, meant: str | None) -> None:
    assert numbered_answer(text, sender) == meant  # type: ignore[arg-type]


# Every tuning-batch row the reader reads as labelled stays so; the rows it does not are listed with
# why, so a change that fixes one shows up (strict xfail).
# Round eleven reads a caregiver's report of trouble with what is being done about it ("911 called", "ya llamé
# al 911", "EMS en route") as an acknowledgement too, as I-P label it (and the lead's count over O-Q); A, B, C and F
# labelled those rows a report alone. The service acknowledges and then reopens the emergency, so nobody is alerted less.
_OLDER_ACK_REPORT = ("A-G label a caregiver's report of a sign with what they are doing about it (calling 911, EMS en route) a "
                     "report alone; I-P, and the guide ('called 911'), an acknowledgement too, which the reader follows since "
                     "round eleven (the service acknowledges, then reopens the emergency)")
TUNING_DISAGREEMENTS = {
    "B008": _OLDER_ACK_REPORT, "B013": _OLDER_ACK_REPORT,
    "B173": "two patients in one text; the label follows the first",
    "B085": "writers disagree: B labels pills run out a dose not taken; A, C and D only when a dose is said missed",
    "B086": "same as B085",
    "B091": "same as B085",
    "B184": "'my usual 2 tabs at 8' names no verb of taking",
}
# The first held-out batch, spent in round one (its blind figures are in docs/sms-reader.md) and
# tuning material since: the rows still read otherwise than labelled, and why.
HELDOUT_DISAGREEMENTS = {
    "A011": _OLDER_ACK_REPORT,
    "A148": "worsening spasms reach the caregivers (issue 10: the brief's withdrawal sign), labelled none",
    "A204": "sleepiness felt yesterday as a reason to skip is still reported (urgent), labelled none",
    "A214": "'one of MY pills' from a caregiver: whose pills 'my' means depends on the sender",
    "A314": "'no tengo pastillas para hoy' says a dose cannot be taken today; labelled none",
    "A323": "running out is read as a supply problem even when the text is about an extra dose",
}


def _batch_rows(batch: str, disagreements: dict[str, str]) -> list[object]:
    rows = [json.loads(line) for line in (FIXTURES / batch).read_text(encoding="utf-8").splitlines()
            if line.strip()]
    return [pytest.param(r, id=r["id"], marks=[pytest.mark.xfail(strict=True, reason=disagreements[r["id"]])]
                         if r["id"] in disagreements else []) for r in rows]


@pytest.mark.parametrize("row", _batch_rows("tuning.jsonl", TUNING_DISAGREEMENTS))
def test_each_tuning_batch_reply_reads_as_labelled(row: dict) -> None:
    ok, wrong = judge(row, _read_now(row["text"], row["sender"]))
    assert ok, wrong


@pytest.mark.parametrize("row", _batch_rows("heldout.jsonl", HELDOUT_DISAGREEMENTS))
def test_each_spent_held_out_reply_reads_as_labelled(row: dict) -> None:
    ok, wrong = judge(row, _read_now(row["text"], row["sender"]))
    assert ok, wrong


# The second held-out batch (C), spent in round three: measured once blind (docs/sms-reader.md), then
# tuned on by class. The rows still read otherwise than labelled, and why.
HELDOUT2_DISAGREEMENTS = {
    "C011": _OLDER_ACK_REPORT,
    "C080": "'staring blankly and didn't answer me' after 'I don't think it was a seizure': the unanswering "
            "is read as the emergency it describes, labelled urgent",
    "C188": "a caregiver's 'yes, I gave it' read as the dose given, labelled an acknowledgement too",
    "C192": "two patients in one text; the label follows the first",
    "C201": "'can you stop sending the check-in ones' read as a request to stop (answered with how to)",
    "C228": "'4!!!' to the numbered question is option 4, call 911 now, by design; labelled urgent",
}


@pytest.mark.parametrize("row", _batch_rows("heldout2.jsonl", HELDOUT2_DISAGREEMENTS))
def test_each_second_spent_held_out_reply_reads_as_labelled(row: dict) -> None:
    ok, wrong = judge(row, _read_now(row["text"], row["sender"], row.get("context")))
    assert ok, wrong


# The blind batch D (tuning2.jsonl), measured blind by the lead first, then tuned on by class.
TUNING2_DISAGREEMENTS = {
    "D080": "'checked on him he's ok but his legs ...': a caregiver's look that finds trouble is read as the report "
            "(N2-133 labels it so); D labels an acknowledgement too",
    "D135": "a denial of confusion with no acknowledgement word, labelled an ack", "D308": "same as D135",
    "D316": "two patients in one text; the label follows the named one",
    "D140": "'checked his breathing ... nice and steady': placed nowhere by the tables, possible trouble to the "
            "safety net, which errs towards a human reading the text",
}


@pytest.mark.parametrize("row", _batch_rows("tuning2.jsonl", TUNING2_DISAGREEMENTS))
def test_each_blind_batch_d_reply_reads_as_labelled(row: dict) -> None:
    ok, wrong = judge(row, _read_now(row["text"], row["sender"], row.get("context")))
    assert ok, wrong


# F (tuning4.jsonl): blind in round four (52/55 escalated, 0/66, 3 doses invented, 224/270), tuned on
# by class in round five. The rows still read otherwise than labelled, and why.
TUNING4_DISAGREEMENTS = {
    "F2-004": _OLDER_ACK_REPORT,
    "F1-095": "pills run out this morning or yesterday: F and G label the dose not taken, D and E the supply "
              "problem alone (the reader follows D and E; run out days ago is a dose not taken)",
    "F2-097": "same as F1-095",
    "F1-116": "'did grandpa reply to u guys today' without a question mark is read as a statement",
    "F2-043": "a patient's bare 'nope' answers the dose question (not taken); here it answered a check-in",
}


@pytest.mark.parametrize("row", _batch_rows("tuning4.jsonl", TUNING4_DISAGREEMENTS))
def test_each_blind_batch_f_reply_reads_as_labelled(row: dict) -> None:
    ok, wrong = judge(row, _read_now(row["text"], row["sender"], row.get("context")))
    assert ok, wrong


# J (tuning5.jsonl): blind in round seven (58/60 escalated, 3/52, 3 doses invented, 213/270 on round
# six), tuned on by class. The rows still read otherwise than labelled, and why (NOTES.md).
_J_ACK_PLAN = ("a caregiver's plan in an unprompted text (will call them, I'll text hers, heading to the next "
               "patient) is read as an acknowledgement; J labels none")
TUNING5_DISAGREEMENTS = {
    "J1-109": _J_ACK_PLAN, "J2-022": _J_ACK_PLAN, "J2-034": _J_ACK_PLAN, "J2-056": _J_ACK_PLAN,
    "J1-036": "twitching all over, after running out: read as the seizure sign (the safe side); J labels withdrawal, urgent",
    "J1-062": "'yo le digo que ...' (I tell him) inside a long question is read as 'le digo' (I'll tell her), an acknowledgement",
    "J2-057": "two grandparents in one text, the second one's 'no toma esto' read as a dose not taken",
}


@pytest.mark.parametrize("row", _batch_rows("tuning5.jsonl", TUNING5_DISAGREEMENTS))
def test_each_blind_batch_j_reply_reads_as_labelled(row: dict) -> None:
    ok, wrong = judge(row, _read_now(row["text"], row["sender"], row.get("context")))
    assert ok, wrong


# I (tuning6.jsonl): blind in round eight (58/59 escalated, 3/52, 3 doses invented, 236/270 on round
# seven), tuned on by class. The rows still read otherwise than labelled, and why (NOTES.md).
TUNING6_DISAGREEMENTS = {
    "I1-090": "'false alarm ... I'm sitting right here with her' after an alert: read as an acknowledgement (the alarm "
              "was a slip and someone is with her); I labels none",
    "I1-014": "'out of it' beside the confusion emergency is also read as a supply problem (the emergency stands)",
    "I1-031": "an emptied place on the table, 'no se si se la tomo ... le doy otra o no?': read as asking after the dose too",
    "I2-008": "a thanks with 'ya' after a reminder: I labels it taken; the reader records no dose it was not told of",
}


@pytest.mark.parametrize("row", _batch_rows("tuning6.jsonl", TUNING6_DISAGREEMENTS))
def test_each_blind_batch_i_reply_reads_as_labelled(row: dict) -> None:
    ok, wrong = judge(row, _read_now(row["text"], row["sender"], row.get("context")))
    assert ok, wrong


# K (tuning7.jsonl): blind in round nine (57/61 escalated, 3/52, 0 doses invented, 239/270 on round
# eight), tuned on by class. The rows still read otherwise than labelled, and why (NOTES.md).
_K_ACK_REPORT = ("K writes a caregiver's report of a refusal with what they are doing about it (trying again later) "
                 "as an acknowledgement; the reader reads the report alone")
_K_DOSE = "a dose wording not yet in the tables (round nine left doses and intents alone: time)"
TUNING7_DISAGREEMENTS = {
    "K1-056": _K_ACK_REPORT,
    "K2-092": "'Calling the clinic now' about a pump alarm: read as an acknowledgement; K labels none",
    "K2-119": "'since the pharmacy delay': not read as a supply problem (the dose not taken and the spasms are)",
    "K1-077": _K_DOSE, "K2-043": _K_DOSE,
}


@pytest.mark.parametrize("row", _batch_rows("tuning7.jsonl", TUNING7_DISAGREEMENTS))
def test_each_blind_batch_k_reply_reads_as_labelled(row: dict) -> None:
    ok, wrong = judge(row, _read_now(row["text"], row["sender"], row.get("context")))
    assert ok, wrong


# M (tuning8.jsonl) and N (tuning9.jsonl): blind in round ten (M 58/60, 4/61, 3, 225/270; N 59/60, 3/57, 3,
# 230/270 on main 6aa2a12), tuned on by class. The rows still read otherwise than labelled, and why (NOTES.md).
_MN_DOSE = "a dose wording not in the tables (round ten fixed the dose classes that invented or hid a dose; these are left)"
_MN_SUPPLY = "a supply wording not in the tables (round ten left supply problems alone: time)"
_MN_ASKED_AFTER_MISSED = ("a dose said forgotten, then a question what to do: M and N label the dose not taken; the reader "
                          "makes the text a question and records nothing (the issue's 'should I double up?' rule)")
TUNING8_DISAGREEMENTS = {
    "M2-081": "'I'll deal with it tonight' after a refusal: an acknowledgement since round three; M labels none",
    "M2-074": "telegraphic 'MOM PILL NOT TAKE YET. ME GIVE NOW': read as not taken, no acknowledgement; M labels taken + ack",
    "M1-127": "a hypothetical question about running out is read as a supply problem too (nothing alarms)",
    "M1-048": _MN_SUPPLY, "M1-097": _MN_SUPPLY, "M1-112": _MN_SUPPLY, "M2-094": _MN_SUPPLY,
    "M1-019": "an extra dose asked about ('is that a big deal?'): a question records no dose; M labels it extra",
    "M1-113": "'se me olvido' about the time of the dose, in a question: read as a dose forgotten; M labels none",
    "M1-096": "'I dont take the pills anymore' (on the pump now): read as not taken; M labels none",
    "M2-052": "'ha dormido del tiron' (slept through) read as a dose not taken (asleep); M labels none",
    "M1-044": _MN_DOSE, "M1-110": _MN_DOSE, "M1-126": _MN_DOSE,
    "M2-037": _MN_DOSE, "M2-043": _MN_DOSE, "M2-060": _MN_DOSE, "M2-097": _MN_DOSE,
}
TUNING9_DISAGREEMENTS = {
    "N1-064": "'ok so update, he's awake ...': the opening 'ok' read as an acknowledgement; N labels none",
    "N1-021": "twitching all over after running out: read as the seizure sign (the safe side); N labels withdrawal, urgent (as J1-036)",
    "N2-126": "a seizure 'back in 2021 when she ran out': the running out, history, read as a supply problem too",
    "N2-093": _MN_ASKED_AFTER_MISSED,
    "N1-009": _MN_DOSE, "N1-035": _MN_DOSE, "N1-039": _MN_DOSE, "N1-075": _MN_DOSE, "N1-129": _MN_DOSE,
    "N2-070": _MN_DOSE,
}


@pytest.mark.parametrize("row", _batch_rows("tuning8.jsonl", TUNING8_DISAGREEMENTS))
def test_each_blind_batch_m_reply_reads_as_labelled(row: dict) -> None:
    ok, wrong = judge(row, _read_now(row["text"], row["sender"], row.get("context")))
    assert ok, wrong


@pytest.mark.parametrize("row", _batch_rows("tuning9.jsonl", TUNING9_DISAGREEMENTS))
def test_each_blind_batch_n_reply_reads_as_labelled(row: dict) -> None:
    ok, wrong = judge(row, _read_now(row["text"], row["sender"], row.get("context")))
    assert ok, wrong


# L (heldout4.jsonl, round ten's untouched judge: blind 58/60, 1/59, 3, 234/270 on main 6aa2a12) and P (tuning10.jsonl, blind
# 59/60, 2/50, 3, 215/270 on main d6bdeeb), tuned on by class in round eleven. The rows still read otherwise than labelled,
# and why (NOTES.md).
_LP_DOSE = "a dose wording not in the tables (round eleven fixed the classes that invented, hid or under-read a dose; these are left)"
_LP_ACK_PLAN = ("a caregiver's plan or thanks in an unprompted text (will call neuro, calling pharmacy, 'gracias por avisar', 'ok so "
                "I need to ask') read as an acknowledgement (the ack words of round three); the writer labels none (as J's)")
_LP_SAFE_SIDE = "a sign read above its label (the safe side): the writer labels urgent"
HELDOUT4_DISAGREEMENTS = {
    "L1-081": "'administer if not taken' read as a dose not taken, 'Noted.' not as an acknowledgement",
    "L2-044": _LP_SAFE_SIDE,
    "L2-112": "'k sure whatever the blue one' read as an acknowledgement ('k')",
}
TUNING10_DISAGREEMENTS = {
    "P1-002": "'trying to call 911 signal is bad': a call not yet made is no acknowledgement here; P labels one",
    "P1-013": _LP_ACK_PLAN, "P2-049": _LP_ACK_PLAN, "P2-055": _LP_ACK_PLAN,
    "P2-018": "'Nurse notified' after an urgent sign: P labels an acknowledgement, J and M (after dose errors) none",
    "P1-028": "'tengo las manos en la masa' (busy cooking): the safety net finds it likely trouble (urgent)",
    "P2-062": "a long thank-you with 'his accident' and 'my knees': the safety net finds it likely trouble (urgent)",
    "P1-045": _LP_DOSE, "P1-077": _LP_DOSE, "P1-121": _LP_DOSE, "P2-067": _LP_DOSE,
    "P1-094": "'me quede dormida' beside the drowsiness emergency also read as a dose not taken (asleep)",
    "P2-027": "'i dont take the pills anymore' (on the pump) read as not taken (as M1-096)",
    "P2-077": "pills lost on the bus ('se me perdio el bottle') not read as a supply problem",
    "P2-098": "'calling the on-call nurse' read as an acknowledgement (round seventeen reads the dose not taken, as labelled)",
    "P2-131": "'ahorita no tengo' (no tremors now) after a question read as a dose not taken",
}


@pytest.mark.parametrize("row", _batch_rows("heldout4.jsonl", HELDOUT4_DISAGREEMENTS)
                         + _batch_rows("tuning10.jsonl", TUNING10_DISAGREEMENTS))
def test_each_blind_batch_l_and_p_reply_reads_as_labelled(row: dict) -> None:
    ok, wrong = judge(row, _read_now(row["text"], row["sender"], row.get("context")))
    assert ok, wrong


# Every other symptom of the brief, in the words the symptom reader knows, both languages: at
# least urgent (issue 10: a body that may be in trouble and is not clearly denied).
OTHER_SYMPTOMS: list[tuple[str, str]] = [
    ("hallucinations", "she's hallucinating"), ("hallucinations", "tiene alucinaciones"),
    ("hallucinations", "seeing things"), ("hallucinations", "hearing voices"), ("hallucinations", "ve cosas"),
    ("hallucinations", "bugs on the wall that aren't there"),
    ("paranoia", "he's paranoid"), ("paranoia", "thinks people are after him"),
    ("confusion", "a little confused"), ("confusion", "some confusion"), ("confusion", "a bit disoriented"),
    ("confusion", "algo confundida"), ("confusion", "un poco desorientado"),
    ("drowsiness", "a little drowsy"), ("drowsiness", "kind of sleepy"), ("drowsiness", "seems sedated"),
    ("drowsiness", "groggy"), ("drowsiness", "lethargic"), ("drowsiness", "dozing in the chair"),
    ("drowsiness", "sleeping all day"), ("drowsiness", "algo somnolienta"), ("drowsiness", "adormilado"),
    ("drowsiness", "tengo sueno"),
    ("fever", "fever 101"), ("fever", "high temperature"), ("fever", "burning up"), ("fever", "tiene fiebre"),
    ("fever", "tiene calentura"),
    ("fast_heart_rate", "heart is racing"), ("fast_heart_rate", "racing heart"), ("fast_heart_rate", "pounding heart"),
    ("fast_heart_rate", "palpitations"), ("fast_heart_rate", "fast heartbeat"), ("fast_heart_rate", "corazon acelerado"),
    ("fast_heart_rate", "taquicardia"), ("fast_heart_rate", "palpitaciones"),
    ("feeling_cold", "so cold"), ("feeling_cold", "hypothermic"), ("feeling_cold", "can't get warm"),
    ("feeling_cold", "muy fria"), ("feeling_cold", "esta helada"), ("feeling_cold", "tengo mucho frio"),
    ("low_blood_pressure", "dizzy"), ("low_blood_pressure", "lightheaded"), ("low_blood_pressure", "light headed"),
    ("low_blood_pressure", "feel faint"), ("low_blood_pressure", "low blood pressure"), ("low_blood_pressure", "mareada"),
    ("myoclonus", "legs jerking"), ("myoclonus", "myoclonus again"), ("myoclonus", "sacudidas en las piernas"),
    ("tremor", "shaky hands"), ("tremor", "trembling"), ("tremor", "tremors"), ("tremor", "shivering"),
    ("tremor", "me tiemblan las manos"), ("tremor", "temblor en la mano"), ("tremor", "tembloroso"),
    ("twitching", "twitching"), ("twitching", "legs are jumping"), ("twitching", "jumpy legs"), ("twitching", "tics"),
    ("twitching", "contracciones"), ("twitching", "me brincan las piernas"), ("twitching", "piernas le brincan"),
    ("spasms", "spasms worse"), ("spasms", "spastic today"), ("spasms", "stiff legs"), ("spasms", "cramps"),
    ("spasms", "espasmos"), ("spasms", "rigid arms"), ("spasms", "calambres"),
    ("agitation", "agitated"), ("agitation", "anxious"), ("agitation", "anxiety"), ("agitation", "restless"),
    ("agitation", "panicking"), ("agitation", "agitada"), ("agitation", "ansioso"), ("agitation", "mucha ansiedad"),
]


@pytest.mark.parametrize(("key", "text"), OTHER_SYMPTOMS, ids=[f"{k}:{t}" for k, t in OTHER_SYMPTOMS])
def test_each_other_symptom_is_recorded_and_at_least_urgent(key: str, text: str) -> None:
    reading = read_sms(text, sender="caregiver")
    assert (key in reading.symptoms, reading.urgency) == (True, "urgent")


# -- each phrase of the tables, where the older parser would otherwise read the message for it --------
# Mixed with an emergency, the older whole-message parser stops at the red flag: what else the text
# says is read by these tables alone, and must still be read (issue 10: "mixed with a dose report").

SIGN_PHRASES_BY_THEMSELVES: list[tuple[str, str]] = [
    ("seizure", "more fits today"), ("seizure", "he's fitting"), ("seizure", "it was full body"),
    ("seizure", "foaming at the mouth"), ("seizure", "le sale espuma"), ("seizure", "tiene espuma en la boca"),
    ("seizure", "le dio un ataque"), ("seizure", "se puso tieso"), ("drowsiness", "drowsy like she cant function"),
    ("drowsiness", "she's nodding off"), ("drowsiness", "keeps dozing off"), ("drowsiness", "she's passing out"),
    ("drowsiness", "esta desmayada"), ("drowsiness", "esta desplomado"), ("confusion", "lo que dice no tiene sentido"),
    ("confusion", "sees someone who isn't there"), ("confusion", "thinks the year is 1975"),
    ("drowsiness", "no lo podemos despertar"),
]


@pytest.mark.parametrize(("sign", "text"), SIGN_PHRASES_BY_THEMSELVES)
def test_each_sign_phrase_by_itself_is_an_emergency(sign: str, text: str) -> None:
    assert read_sms(text, sender="caregiver").signs == (sign,)


TAKEN_WITH_AN_EMERGENCY = [
    "tooked it at 8", "i tuk it late", "i tok it at 9", "he is taking it", "swallowed it", "taking her pill as we speak",
    "se la tomo a las 8", "la vi tomarsela", "tomandosela ahorita", "se la di a las 8", "listo, con el desayuno",
    "hecho a las 8", "took it", "gave her the 2pm", "tomada", "le di su pastilla", "acabo de darle la pastilla",
    "done at 8", "taken at 8", "given at 8", "had my dose", "tkn",
]


@pytest.mark.parametrize("text", TAKEN_WITH_AN_EMERGENCY)
def test_a_dose_taken_mixed_with_an_emergency_is_read_too(text: str) -> None:
    reading = read_sms(f"{text}. now she can't breathe", sender="caregiver")
    assert (reading.urgency, reading.dose) == ("emergency", "taken")


NOT_TAKEN_WITH_AN_EMERGENCY = [
    "forgot it", "I always forget", "forgetting my pills", "se me olvido", "se me paso", "not yet", "todavia no",
    "aun no", "not taken", "not taking it", "haven't had my dose", "missed my dose", "refused it", "no quiere",
    "no quiso", "spit it out", "lo escupio", "will take it later", "I'll take it in an hour", "take it later",
    "later today", "mas tarde", "luego se la doy", "had none", "none since yesterday", "me quede dormida",
    "couldn't take it", "when she wakes", "cuando despierte", "didn't take it", "skipped it", "no la ha tomado",
    "sin tomar", "slept through", "overslept", "despues de que coma", "me la tomo cuando llegue",
]


@pytest.mark.parametrize("text", ["she's still asleep", "esta dormida", "en la ducha", "se esta banando",
                                  "at the store"])
def test_a_circumstance_alone_says_the_dose_is_not_taken_yet(text: str) -> None:
    assert read_sms(text, sender="caregiver").dose == "not_taken"


@pytest.mark.parametrize("text", NOT_TAKEN_WITH_AN_EMERGENCY)
def test_a_dose_not_taken_mixed_with_an_emergency_is_read_too(text: str) -> None:
    reading = read_sms(f"{text}, and he had a seizure", sender="caregiver")
    assert (reading.urgency, reading.dose) in {("emergency", "not_taken")}


EXTRA_WITH_AN_EMERGENCY = [
    "took it twice", "gave him another one", "took an extra one", "had an extra half", "half a tab extra",
    "doubled up", "doubled", "tomo doble", "took too many", "too many pills", "overdosed", "took two at once",
    "he's had 3 today instead of 2", "had 2 before lunch", "he s had two already", "took the 20 instead of the 10",
    "wrong strength", "took my husband's pills", "se tomo las pastillas de mi esposo", "se tomo las mias",
    "ademas de las suyas", "le dio otra", "tomo otra", "una de mas", "tome de mas", "el de manana tambien",
    "se tomo dos", "me tome dos", "tome la de las 8 y la de las 2 juntas", "the pill box is empty",
    "both aides gave it", "gave it again", "and then the aide gave", "another dose", "a second pill",
    "took two together", "gave it 2x",
]


@pytest.mark.parametrize("text", EXTRA_WITH_AN_EMERGENCY)
def test_an_extra_dose_mixed_with_an_emergency_is_read_too(text: str) -> None:
    reading = read_sms(f"{text} and now he won't wake up", sender="caregiver")
    assert (reading.urgency, reading.dose) == ("emergency", "extra")


@pytest.mark.parametrize(("problem", "text"), SUPPLY + [
    ("ran_out", "run out of pills"), ("ran_out", "running out"), ("ran_out", "we're out"), ("ran_out", "no pills left"),
    ("ran_out", "only have 2 left"), ("ran_out", "down to my last"), ("ran_out", "ultimas 2 pastillas"),
    ("ran_out", "sin pastillas"), ("ran_out", "sin medicina"), ("ran_out", "pump alarm"), ("ran_out", "alarma de la bomba"),
    ("ran_out", "esta pitando"), ("ran_out", "dropped my pills"), ("ran_out", "make them last"),
    ("ran_out", "taking half so they last"), ("ran_out", "la mitad para que duren"), ("ran_out", "empty bottle"),
    ("no_refill", "pharmacy says no"), ("no_refill", "needs authorization"), ("no_refill", "vencida"),
    ("no_refill", "waiting for insurance"), ("no_refill", "seguro no paga"), ("no_refill", "no lo cubre"),
    ("no_refill", "la farmacia dice que no"), ("no_refill", "no la pueden surtir"), ("no_refill", "receta vencida"),
    ("no_refill", "prescription lost"), ("no_refill", "nobody has it"), ("no_refill", "the order didn't come"),
    ("no_refill", "tracking says tuesday"),
])
def test_a_supply_problem_mixed_with_an_emergency_is_read_too(problem: str, text: str) -> None:
    reading = read_sms(f"{text} and he is having a seizure", sender="caregiver")
    assert (reading.urgency, reading.supply_problem) == ("emergency", problem)


@pytest.mark.parametrize("text", ACKS + [
    "okay", "kk", "enterado", "vale", "on the way", "heading out", "going there", "calling her", "called him",
    "ambulance on its way", "salgo ya", "llame", "llamando", "ya llame al doctor", "le voy a decir",
    "checking on", "aqui estan", "seen", "thumbs up", "yes i see",
])
def test_an_acknowledgement_in_a_longer_reply_is_read(text: str) -> None:
    assert "ack" in read_sms(f"{text} - sent from my car", sender="caregiver").intents


@pytest.mark.parametrize("text", ["ya se la tomo?", "se la ha tomado mi mama?", "how is mom?", "status?",
                                  "estado?", "lo registraron?", "anything today?", "did she take it?"])
def test_a_status_question_in_a_longer_reply_is_read(text: str) -> None:
    assert "status_request" in read_sms(f"{text} - Ann", sender="caregiver").intents


@pytest.mark.parametrize("text", ["stop texting me", "please stop", "unsubscribe me", "no longer her caregiver",
                                  "stop, I got it", "mi mama fallecio", "ya no lo necesito", "stop it"])
def test_each_stop_phrase_is_read(text: str) -> None:
    assert "stop" in read_sms(f"{text} - Ann", sender="caregiver").intents


@pytest.mark.parametrize("text", ["fine", "good", "great", "ok", "okay", "well", "better", "alright", "bien",
                                  "tranquila", "nada", "no problems", "all good", "false alarm", "falsa alarma",
                                  "seizure free", "knock on wood", "never better", "awake and talking", "normal",
                                  "mejor", "nothing new", "sharp"])
def test_each_reassurance_phrase_is_read(text: str) -> None:
    assert "all_well" in read_sms(f"{text} - Ann here", sender="caregiver").intents


# -- round two: classes of wording the first held-out batch showed the reader missing ----------------
# Each sentence below is new (written for the class, not copied from a batch): the fix is the class.

ROUND_TWO_EMERGENCIES: list[tuple[str, str]] = [
    # dictation hears a soft "th" as d/t, and spells the drowsiness words by their sound
    ("breathing", "her breading sounds real shallow"), ("breathing", "his breeding is so slow"),
    ("drowsiness", "grandpa keeps dosing off while he eats"), ("drowsiness", "he keeps noding off in his chair"),
    # a verb in any tense or person: stops / stopped / stopping breathing, gasps / gasped
    ("breathing", "every few minutes she stops breathing"), ("breathing", "he quits breathing in his sleep"),
    ("breathing", "she gasps after every few words"), ("breathing", "he's panting lying in bed"),
    # a quantity between the verb and the air
    ("breathing", "i cant get a deep breath no matter what"), ("breathing", "she can't get much air in"),
    ("breathing", "no le entra suficiente aire"), ("breathing", "no me llega bastante aire"),
    # a hedge between the word and what it describes
    ("breathing", "his lips look sort of blue"), ("breathing", "sus labios estan medio morados"),
    ("breathing", "se le pusieron los labios morados"),
    # an apostrophe left out
    ("confusion", "mom thinks its 1962 and wants her mother"),
    # Spanglish: Spanish negation of an English verb, English negation of a Spanish one
    ("drowsiness", "mi abuelo no puede stay awake"), ("drowsiness", "no puedo keep my eyes open"),
    ("breathing", "she cant respirar"),
    # falling asleep as it happens, or over and over
    ("drowsiness", "se esta quedando dormido en la silla"), ("drowsiness", "me quedo dormida sitting at my desk"),
    ("drowsiness", "she keeps falling asleep in the middle of a sentence"), ("drowsiness", "he kept drifting off"),
    # disorientation in the first person, speech that comes out jumbled, people and places not known
    ("confusion", "what happened. where am i"), ("confusion", "no se donde estoy"),
    ("confusion", "his speech is all garbled"), ("confusion", "she's talking all scrambled"),
    ("confusion", "jumbled words since lunch"), ("confusion", "habla enredado desde la manana"),
    ("confusion", "dice palabras revueltas"), ("confusion", "he made no sense on the phone just now"),
    ("confusion", "she's making no sense"),
    ("confusion", "doesn't recognize her own daughter"), ("confusion", "he didn't recognise his room"),
    ("confusion", "she does not know her husband"),
    # a Spanish modal in a statement is not a question ("no me puedo levantar")
    ("drowsiness", "me tome dos juntas y no me puedo levantar, me estoy quedando dormida"),
]


@pytest.mark.parametrize(("sign", "text"), ROUND_TWO_EMERGENCIES)
def test_round_two_wordings_of_an_emergency_sign_are_emergencies(sign: str, text: str) -> None:
    reading = read_sms(text, sender="caregiver")
    assert reading.urgency == "emergency" and sign in reading.signs, reading


@pytest.mark.parametrize("text", [
    "he didn't stop breathing, he just snores", "where am i supposed to pick up the refill?",
    "the nurse keeps asking me about seizures, why?", "why do they ask about breathing problems",
    "is it normal that he's so sleepy after a dose?", "es normal que le de tanto sueno?",
    "are seizures a side effect of stopping it?", "los efectos secundarios incluyen convulsiones?",
    "no me contesta el celular, can someone check", "not answering her phone since noon",
])
def test_a_sign_named_as_a_topic_or_in_a_denied_stop_is_no_emergency(text: str) -> None:
    assert read_sms(text, sender="caregiver").urgency != "emergency"


@pytest.mark.parametrize(("text", "dose"), [
    ("she refuses it because it makes her so drowsy", "not_taken"),
    ("no la quiere tomar porque le da mucho sueno", "not_taken"),
    ("the cramps eased off after lunch", "none"), ("el mareo ya se me quito", "none"),
    ("stiffness is a lot less today", "none"), ("para nada mareado, todo bien", "none"),
    ("tampoco tengo fiebre", "none"),
])
def test_a_side_effect_given_as_a_reason_or_a_symptom_gone_raises_nothing(text: str, dose: str) -> None:
    reading = read_sms(text)
    assert (reading.urgency, reading.dose) == ("none", dose), reading


@pytest.mark.parametrize("text", ["spasms are worse than yesterday", "los espasmos siguen igual de mal, no mejoran"])
def test_a_symptom_said_to_be_worse_is_still_urgent(text: str) -> None:
    assert read_sms(text).urgency == "urgent"


@pytest.mark.parametrize(("key", "text"), [
    ("hallucinations", "she saw spiders on the ceiling"), ("hallucinations", "dice que ve bichos en la pared"),
    ("confusion", "my head is foggy today"), ("confusion", "tengo la mente nublada"),
    ("confusion", "keeps losing his train of thought"), ("confusion", "he seems out of it"),
    ("drowsiness", "he's sleepier than yesterday"), ("drowsiness", "tiene mas sueno que de costumbre"),
    ("twitching", "his arm keeps jumping"), ("twitching", "le dan brinquitos en las piernas"),
])
def test_round_two_wordings_of_other_symptoms_are_urgent(key: str, text: str) -> None:
    reading = read_sms(text)
    assert reading.urgency == "urgent" and key in reading.symptoms, reading


@pytest.mark.parametrize(("text", "dose"), [
    # stopping the medicine
    ("mom quit taking her baclofen last week", "not_taken"), ("stopped his meds on his own", "not_taken"),
    ("dejo de tomar las pastillas hace dos dias", "not_taken"), ("dejo el baclofeno por su cuenta", "not_taken"),
    # a second dose: by mistake, again, on top of, a number instead of another, together
    ("i accidentally took my night pill this morning", "extra"), ("le di la pastilla dos veces sin querer", "extra"),
    ("se la dimos dos veces", "extra"), ("took 3 of them instead of one", "extra"),
    ("se tomo cuatro en vez de dos", "extra"), ("took the noon and the evening ones together", "extra"),
    ("me tome las dos juntas", "extra"), ("she took hers and then again at 9", "extra"),
    ("took a half on top of the regular one", "extra"), ("ademas de la de siempre se tomo una", "extra"),
    ("her pill organizer is empty through friday", "extra"), ("gave it to him by mistake after his nap", "extra"),
    # pills already gone: the dose due cannot be taken; running low is no dose
    # Round three: pills run out is a dose not taken only when a dose is said missed (writers A, C, D).
    ("we ran out on sunday, no dose today", "not_taken"), ("se nos acabo el baclofeno, no la he tomado", "not_taken"),
    ("no tengo mas pastillas", "none"), ("we ran out on sunday", "none"), ("out of pills, missed tonight's", "not_taken"), ("only 3 left, refill friday", "none"),
])
def test_round_two_dose_wordings(text: str, dose: str) -> None:
    assert read_sms(text).dose == dose


@pytest.mark.parametrize("text", [
    "she says she's done with these pills", "he can't swallow the tablet whole, can I crush it?", "can't remember if I took my noon one", "not sure i took the 2pm",
    "no me acuerdo si me la tome", "he forgets things a lot lately", "se le olvidan los nombres",
    "the pharmacy filled 5mg instead of 10mg", "la farmacia me dio pastillas de 20 en vez de 10",
])
def test_no_dose_is_recorded_when_the_text_does_not_say_one_was_taken(text: str) -> None:
    assert read_sms(text).dose not in ("taken", "extra")


@pytest.mark.parametrize("text", ["the pharmacy filled 5mg instead of 10mg", "la farmacia me dio pastillas de 20 en vez de 10",
                                  "the puppy chewed up her pill bottle", "half of them are missing"])
def test_a_wrong_fill_or_destroyed_pills_is_a_supply_problem(text: str) -> None:
    assert read_sms(text).supply_problem is not None


@pytest.mark.parametrize("thumbs", ["\U0001f44d", "\U0001f44d\U0001f44d", "\U0001f44d\U0001f3fd", " \U0001f44d "])
def test_a_bare_thumbs_up_acknowledges_from_a_caregiver_and_is_asked_about_from_a_patient(thumbs: str) -> None:
    # "Seen", not "taken": a dose recorded on a guess would hide a missed one. The patient gets the
    # numbered question (no words to forward); the caregiver's acknowledges.
    patient, caregiver = read_sms(thumbs), read_sms(thumbs, sender="caregiver")
    assert caregiver.dose == "none" and "ack" in caregiver.intents
    assert (patient.dose, patient.confident, patient.forward, patient.intents) == (
        "none", False, False, frozenset({"unclear"}))


@pytest.mark.parametrize("text", ["took it \U0001f44d", "\U0001f44d took it", "yes \U0001f44d", "\u2705"])
def test_a_thumbs_up_with_words_or_a_check_mark_is_still_the_dose_taken(text: str) -> None:
    assert read_sms(text).dose == "taken"


@pytest.mark.parametrize("text", ["heard you", "texted her nurse", "ya les avise a todos", "ya hable con el doctor",
                                  "I'm with him now", "estamos con ella", "calling his doctor"])
def test_round_two_acknowledgements(text: str) -> None:
    assert "ack" in read_sms(text, sender="caregiver").intents


@pytest.mark.parametrize("text", ["has her noon dose been logged?", "is mom ok?", "is your dad alright?"])
def test_round_two_status_questions(text: str) -> None:
    assert "status_request" in read_sms(text, sender="caregiver").intents


@pytest.mark.parametrize("text", ["i don't want these texts anymore", "no quiero mas mensajes",
                                  "don't want to get any more alerts"])
def test_round_two_stop_requests(text: str) -> None:
    assert "stop" in read_sms(text).intents


def test_is_it_ok_to_is_a_question_not_a_status_request() -> None:
    assert "status_request" not in read_sms("is it ok if he takes it late?", sender="caregiver").intents


@pytest.mark.parametrize(("said", "plain"), [
    ("hes confused its 1990", "he s confused it s 1990"), ("lips kinda blue", "lips blue"),
    ("no puedo stay awake", "can t stay awake"), ("cant respirar", "no puede respirar"),
    ("no puedo respirar", "no puedo respirar"),
])
def test_plain_words_puts_back_apostrophes_drops_hedges_and_reads_spanglish_negation(said: str, plain: str) -> None:
    assert plain_words(said) == plain


@pytest.mark.parametrize(("text", "stands"), [
    ("1 took it at noon", True), ("3 feel dizzy", True), ("4", True), ("3 she is not breathing", False),
    ("1 but now i cant breathe", False), ("2 and my legs are twitching", False),
])
def test_words_with_a_numbered_answer_decide_when_they_report_more_trouble(text: str, stands: bool) -> None:
    chosen = numbered_answer(text, "patient")
    assert chosen is not None and answer_stands(chosen, read_sms(text)) is stands


# Written blind of the batches, to probe the same classes further (round two, second pass).
ROUND_TWO_PROBES: list[tuple[str, str]] = [
    ("breathing", "she's fighting for air"), ("breathing", "he is straining to breathe"),
    ("breathing", "i feel like i'm suffocating"), ("breathing", "siento que me asfixio"),
    ("breathing", "feels like being smothered"), ("breathing", "she's breathing like 6 times a minute"),
    ("breathing", "respira como cinco veces por minuto"), ("breathing", "his breathing keeps stopping"),
    ("breathing", "le cuesta mucho respirar"), ("breathing", "esta respirando muy raro"),
    ("breathing", "cant hardly breathe"),
    ("drowsiness", "he's nodding out mid sentence"), ("drowsiness", "i can barely keep my eyes open"),
    ("drowsiness", "my son is limp and won't open his eyes"), ("drowsiness", "no abre los ojos"),
    ("drowsiness", "no logro despertarlo"), ("drowsiness", "no lo podemos mantener bien despierto"),
    ("confusion", "my wife is totally out of it"), ("confusion", "esta completamente perdida"),
    ("confusion", "he can't get his words out"), ("confusion", "she can't talk straight"),
    ("confusion", "no puede hablar bien"), ("confusion", "no se le entiende nada"),
    ("confusion", "he's babbling"), ("confusion", "she thinks I'm her brother"),
    ("confusion", "cree que soy su hermana"), ("confusion", "esta desorientado totalmente"),
    ("confusion", "no sabe ni su nombre"), ("confusion", "I can't understand a word he says"),
    ("confusion", "no le entiendo nada"),
    ("seizure", "his whole body is stiff and jerking"),
]


@pytest.mark.parametrize(("sign", "text"), ROUND_TWO_PROBES)
def test_round_two_probes_of_each_sign_are_emergencies(sign: str, text: str) -> None:
    reading = read_sms(text, sender="caregiver")
    assert reading.urgency == "emergency" and sign in reading.signs, reading


@pytest.mark.parametrize("text", ["I can't talk now, at work", "she walks with a limp", "I can't talk to him about it",
                                  "his whole body is stiff today"])
def test_everyday_words_near_a_sign_are_no_emergency(text: str) -> None:
    assert read_sms(text, sender="caregiver").urgency != "emergency"


@pytest.mark.parametrize(("text", "dose"), [
    ("forgot, will take it now", "taken"), ("taking it right now", "taken"), ("me la estoy tomando", "taken"),
    ("estoy tomandomela ahorita", "taken"), ("Maria got her dose at 2", "taken"), ("took it at 9 instead of 8", "taken"),
    ("will take it in 10 min", "not_taken"), ("she got her dose changed last week", "none"),
    ("le esta dando un ataque otra vez", "none"), ("estoy tomando media pastilla para que duren", "none"),
])
def test_round_two_probes_of_dose_wordings(text: str, dose: str) -> None:
    assert read_sms(text).dose == dose


@pytest.mark.parametrize("text", ["the bomba is alarming", "her pump keeps going off", "la bomba de mi hijo sigue pitando"])
def test_a_pump_alarm_in_either_language_is_a_supply_problem(text: str) -> None:
    assert read_sms(text).supply_problem == "ran_out"


@pytest.mark.parametrize("text", ["be there in 10", "there in 5", "llego en 10"])
def test_saying_when_they_will_arrive_is_an_acknowledgement(text: str) -> None:
    assert "ack" in read_sms(text, sender="caregiver").intents


@pytest.mark.parametrize("text", [
    # feared, or treated, not happening
    "i'm worried about seizures if i run out", "afraid i'll have a seizure if i miss it", "me preocupa tener una convulsion",
    "tengo miedo de que le den convulsiones", "the pamphlet says call 911 for seizures, ok", "he takes pills for seizures too",
    # asked whether it will, could or did happen
    "if i double up will i get a seizure?", "could this cause trouble breathing?", "did he have a seizure last night? i wasn't there",
    "puede causar convulsiones?",
    # over: used to, or a passing symptom now gone; asked whether it is bad
    "he used to have seizures but not anymore", "solia tener convulsiones de nino",
    "she was a little confused this morning but fine now", "estaba mareada en la manana, ya estoy bien",
    "is it bad that he's sleepy after his dose?", "es malo que tenga tanto sueno?",
])
def test_a_sign_feared_asked_about_or_over_raises_nothing(text: str) -> None:
    reading = read_sms(text, sender="caregiver")
    assert reading.urgency == "none" and reading.dose not in ("taken", "extra"), reading


@pytest.mark.parametrize("text", [
    "I'm worried, he's having a seizure", "scared, she had a seizure just now", "is he having a seizure? he's jerking",
    "worried about her, she is not breathing right", "can you come? she is seizing",
    "me preocupa, esta convulsionando", "la tengo en el piso, tiene una convulsion",
])
def test_worry_or_a_question_beside_a_sign_happening_now_is_still_an_emergency(text: str) -> None:
    assert read_sms(text, sender="caregiver").urgency == "emergency"


@pytest.mark.parametrize(("text", "dose"), [
    ("about to take it", "not_taken"), ("my heart is racing and i feel hot, missed 2 doses", "not_taken"),
    ("missed both pills yesterday", "not_taken"), ("tengo fiebre y no me he tomado la pastilla", "not_taken"),
    ("no se ha tomado nada hoy", "not_taken"), ("no me ha dado ninguna convulsion", "none"),
    ("la tomo en un ratito", "not_taken"), ("se la doy en 10 minutos", "not_taken"),
])
def test_round_two_doses_not_taken(text: str, dose: str) -> None:
    assert read_sms(text).dose == dose


@pytest.mark.parametrize("text", ["te aviso cuando llegue", "les marco ahorita", "ok, la llamo"])
def test_spanish_acknowledgements_with_any_object_pronoun(text: str) -> None:
    assert "ack" in read_sms(text, sender="caregiver").intents


# Each round-two phrase by itself (the table-drop mutation run removes one at a time).
@pytest.mark.parametrize(("sign", "text"), [("drowsiness", "he won't open his eyes"), ("drowsiness", "she went limp")])
def test_each_round_two_sign_phrase_by_itself_is_an_emergency(sign: str, text: str) -> None:
    assert sign in read_sms(text, sender="caregiver").signs


@pytest.mark.parametrize(("key", "text"), [("confusion", "brain fog all day"), ("confusion", "he's spaced out"),
                                           ("confusion", "me siento aturdido")])
def test_each_round_two_symptom_phrase_by_itself_is_urgent(key: str, text: str) -> None:
    assert key in read_sms(text).symptoms


@pytest.mark.parametrize("text", ["she took it, then took it again", "both pills together this morning"])
def test_each_round_two_extra_dose_phrase_by_itself_is_extra(text: str) -> None:
    assert read_sms(text).dose == "extra"


def test_be_there_soon_acknowledges() -> None:
    assert "ack" in read_sms("be there soon", sender="caregiver").intents


# -- round three: classes of wording fixed (new sentences, none copied from a batch) ---------------------

# Dictation and non-native English: the word meant, read from the sound-alike in its context.
ROUND_THREE_AS_MEANT: list[tuple[str, str]] = [
    ("she dont no who i am", "she dont know who i am"), ("he doesn t no what day it is", "he doesn t know what day it is"),
    ("he not know me", "he doesn t know me"), ("she no recognize her son", "she doesn t recognize her son"),
    ("people that aren t their", "people that aren t there"), ("someone who isn t they re", "someone who isn t there"),
    ("keeps talking two his dead brother", "keeps talking to his dead brother"),
    ("she is to drowsy to answer", "she is too drowsy to answer"), ("to weak to stand", "too weak to stand"),
    ("i cant breed", "i cant breathe"), ("its hard to breath", "its hard to breathe"), ("can t bread", "can t breathe"),
    ("breeding funny", "breathing funny"), ("i feel so week", "i feel so weak"), ("he can t here me", "he can t hear me"),
    ("cant get him a wake", "cant get him awake"), ("falling a sleep", "falling asleep"),
    ("she so confuse", "she so confused"), ("eyes wont stay opn", "eyes wont stay open"), ("cant brth", "cant breathe"),
    ("he wont wke up", "he wont wake up"), ("kant breathe", "can t breathe"), ("brthng slow", "breathing slow"),
    ("not rspnding", "not respond"), ("very cnfsd", "very confused"), ("cant stay woke", "cant stay awake"),
    ("nodding of", "nodding off"),
    ("se esta aogando", "se esta ahogando"), ("se desmallo", "se desmayo"), ("una convulcion", "una convulsion"),
    ("no abla bien", "no habla bien"), ("no puede resperar", "no puede respirar"),
    # and what must stay itself
    ("no i took it", "no i took it"), ("two pills at noon", "two pills at noon"), ("their dog", "their dog"),
    ("went to bed", "went to bed"), ("bread and butter", "bread and butter"), ("next week", "next week"),
]


@pytest.mark.parametrize(("said", "meant"), ROUND_THREE_AS_MEANT)
def test_as_meant_reads_a_sound_alike_as_the_word_its_context_asks_for(said: str, meant: str) -> None:
    assert as_meant(said) == meant


ROUND_THREE_EMERGENCIES: list[tuple[str, str]] = [
    # know / no, there / their, to / two / too
    ("confusion", "she dont no who I am"), ("confusion", "he doesnt no what day it is"),
    ("confusion", "my dad don't no where he live"), ("confusion", "he not know me"),
    ("confusion", "she no recognize her son"), ("confusion", "talking to someone who isn't their"),
    ("confusion", "keeps talking two his dead brother"),
    ("drowsiness", "she is to drowsy to answer me"), ("drowsiness", "he's to sleepy to stand up, falling asleep while eating"),
    # breathe / breed / breath / bread, and air that does not come
    ("breathing", "she cant breath"), ("breathing", "he can't breed good"), ("breathing", "its hard to breath"),
    ("breathing", "i cant bread"), ("breathing", "having a real problem to breathe"), ("breathing", "he has trouble to breath"),
    ("breathing", "she not breathe good"), ("breathing", "the air won't go in"), ("breathing", "no air getting in"),
    ("breathing", "the air doesnt come in"), ("breathing", "el aire no le entra"), ("breathing", "no le pasa el aire"),
    ("breathing", "feels like an elephant on my chest"),
    # awake / a wake, confuse, vowels left out
    ("drowsiness", "can't get him a wake"), ("drowsiness", "cant keep her a wake"),
    ("confusion", "she so confuse she dont know her daughter"), ("breathing", "cant brth"),
    ("drowsiness", "eyes wont stay opn"), ("drowsiness", "he wont wke up"),
    # Spanish as it sounds
    ("breathing", "se esta aogando"), ("seizure", "le dio una convulcion"), ("drowsiness", "se desmallo en la cocina"),
    ("breathing", "no puede resperar"),
    ("breathing", "se le ponen morados los labios"), ("confusion", "habla con personas que no estan"),
    ("confusion", "cree que es 1990"), ("confusion", "esta desorientadisima"),
    # a nurse's shorthand
    ("confusion", "A&O x1 this am"), ("confusion", "resident not oriented, pulling at lines"),
    ("confusion", "pt disoriented x2"),
    # woke / awake, "of" for off, British and Spanish spellings, forgetting who people are
    ("drowsiness", "i cant stay woke"), ("drowsiness", "can't keep him woke"), ("drowsiness", "she's nodding of"),
    ("drowsiness", "keeps dosing of at the table"), ("drowsiness", "I keep blacking out"),
    ("confusion", "he is very disorientated"), ("confusion", "no sabe ni como se llama"),
    ("confusion", "se le olvida quien soy"), ("confusion", "he forgot who I am"), ("confusion", "she forgets where she lives"),
    ("confusion", "he don't recognise nobody"), ("confusion", "she no know where she is"),
    ("breathing", "he stops breathing in his sleep"), ("breathing", "cant catch my breathe"),
    # profound, not merely "very", sleepiness; and "very sleepy" after too many pills
    ("drowsiness", "dangerously drowsy"), ("drowsiness", "so sleepy she can't answer"),
    ("drowsiness", "very sleepy and she took an extra pill"),
]


@pytest.mark.parametrize(("sign", "text"), ROUND_THREE_EMERGENCIES, ids=[f"{s}:{t}" for s, t in ROUND_THREE_EMERGENCIES])
def test_round_three_sound_alikes_and_descriptions_are_emergencies(sign: str, text: str) -> None:
    for sender in ("patient", "caregiver"):
        reading = read_sms(text, sender=sender)  # type: ignore[arg-type]
        assert (reading.urgency, sign in reading.signs) == ("emergency", True), sender


ROUND_THREE_NOT_ALARMS = [
    "she knows where she is, no confusion", "no problem to breathe today", "is it normal to feel to sleepy after the dose?",
    "the air isn't coming on in the apartment", "the air conditioner is not coming on",
    "two people came to help, they're there now", "he knows who we are, not confused at all",
    "breathing fine, no trouble to breathe", "no seizures, she's not confuse", "she's not drowsy, just bored",
    "haven't felt dizzy at all", "no me he sentido mareado", "not feeling dizzy", "how do I know if the pump is running low?",
    "No seizure, he was stretching his legs", "got the text about the double dose, all fine here",
    "I forgot to text back, all fine", "he stays woke late watching tv", "is it bad if he keeps nodding off after lunch?",
    "not disoriented at all today", "no se le olvido nada, esta bien", "should she skip tonight if she's sleepy?",
    "he is not breathing hard anymore, fine now", "ningun problema para respirar", "todo bien, sin convulsiones ni mareos",
]


@pytest.mark.parametrize("text", ROUND_THREE_NOT_ALARMS)
def test_round_three_denials_and_questions_raise_nothing_and_record_no_dose(text: str) -> None:
    for sender in ("patient", "caregiver"):
        reading = read_sms(text, sender=sender)  # type: ignore[arg-type]
        assert (reading.urgency, reading.dose in ("taken", "extra"), reading.supply_problem) == ("none", False, None), sender


# "Very sleepy" alone is the brief's excessive drowsiness, urgent; profound drowsiness is the emergency.
@pytest.mark.parametrize("text", ["very sleepy", "so sleepy today", "really drowsy this afternoon", "muy somnolienta",
                                  "tengo mucho sueno", "un poco de sueno hoy pero nada grave", "tengo sueno, es normal?",
                                  "ya me la tome pero tengo sueno, es normal?"])
def test_very_sleepy_alone_or_stated_then_asked_about_is_urgent_not_an_emergency(text: str) -> None:
    reading = read_sms(text)
    assert (reading.urgency, reading.signs, "drowsiness" in reading.symptoms) == ("urgent", (), True)


@pytest.mark.parametrize(("key", "text"), [
    ("fast_heart_rate", "el corazon me late rapidisimo"), ("fast_heart_rate", "my heart is beating so fast"),
    ("fast_heart_rate", "heart going like crazy"), ("low_blood_pressure", "wobbly on my feet"),
    ("low_blood_pressure", "unsteady since lunch"), ("low_blood_pressure", "off balance today"), ("low_blood_pressure", "ando tambaleandome"),
])
def test_round_three_other_symptoms_are_urgent(key: str, text: str) -> None:
    reading = read_sms(text)
    assert (key in reading.symptoms, reading.urgency) == (True, "urgent")


# Worsening spasms, with nothing earlier to compare: the word says it (the brief's withdrawal sign).
@pytest.mark.parametrize("text", ["my spasms are much worse", "spasms getting worse every day", "los espasmos estan peor",
                                  "mis calambres empeoraron", "stiffness way worse since friday",
                                  "spasms more intense tonight"])
def test_spasms_said_to_be_worse_are_recorded_at_the_severity_triaged_urgent(text: str) -> None:
    from alerts.domain.clinical.history import DEFAULT_SETTINGS
    from alerts.domain.clinical.redflags import classify_symptoms
    reading = read_sms(text)
    assert reading.urgency == "urgent" and reading.symptoms["spasms"] >= DEFAULT_SETTINGS.urgent_spasm_severity
    assert classify_symptoms(reading.symptoms).level == "urgent"


@pytest.mark.parametrize("text", ["spasms", "spasms are better", "spasms about the same", "stiff this morning"])
def test_spasms_not_said_to_be_worse_stay_at_their_usual_severity(text: str) -> None:
    assert read_sms(text).symptoms.get("spasms", 0) < 7


ROUND_THREE_DOSES: list[tuple[str, str]] = [
    # taken late: forgetting is why it was late
    ("taken", "took it late, forgot"), ("taken", "se la di tarde porque se me olvido"),
    ("taken", "I take my pill already at 8"), ("taken", "I already take it this morning"), ("taken", "took it \U0001f60a when do I get more?"),
    # thrown up
    ("not_taken", "she vomited her pill"), ("not_taken", "he threw the pills back up"), ("not_taken", "lo vomito"),
    ("not_taken", "la devolvio toda"), ("not_taken", "vomited right after taking it"), ("not_taken", "devolvio justo despues de tomarla"),
    ("not_taken", "cant swallow pills today"), ("not_taken", "no puede tragarla"),
    # refused now
    ("not_taken", "he refused to take it right now"),
    # two givers, given again, into the bottle, unsure how many
    ("extra", "I gave him his 8pm and so did his dad"), ("extra", "yo tambien le di la pastilla"),
    ("extra", "my husband give her again at noon"), ("extra", "he got into the pill bottle last night"),
    ("extra", "pill count is 3 short this morning"), ("extra", "took 2 or 3 pills, not sure"),
    ("extra", "I might have had the noon tab at breakfast too"),
    # not doses: another seizure, a topic, someone else, someone else's pills gone
    ("none", "another seizure, second one today"), ("none", "got the text about the double dose, all fine here"),
    ("none", "my neighbor had it too, the twitching"), ("none", "mom's pills are gone, bottle empty"),
    ("none", "No esta dormido de mas, solo descansa"),
]


@pytest.mark.parametrize(("dose", "text"), ROUND_THREE_DOSES)
def test_round_three_dose_wordings(dose: str, text: str) -> None:
    assert read_sms(text, sender="caregiver").dose == dose


@pytest.mark.parametrize(("problem", "text"), [
    ("ran_out", "skipping one so I have some for monday"), ("ran_out", "3 tabs left in the bottle"),
    ("no_refill", "refill is delayed again"), ("no_refill", "refill request sent twice, nothing back"),
])
def test_round_three_supply_wordings(problem: str, text: str) -> None:
    assert read_sms(text).supply_problem == problem


@pytest.mark.parametrize("text", ["Ack. will f/u tomorrow", "yeah I'm dealing with it", "I call the emergency now",
                                  "I understand, going now", "got your message, calling her", "10-4", "gotcha",
                                  "already on the phone with her"])
def test_round_three_acknowledgements(text: str) -> None:
    assert "ack" in read_sms(text, sender="caregiver").intents


@pytest.mark.parametrize("text", ["I don't understand", "can't deal with it anymore", "I'm not dealing with it", "I never got the alert",
                                  "didnt get your message", "what is this about"])
def test_words_that_only_look_like_an_acknowledgement_do_not_stop_the_escalation(text: str) -> None:
    assert "ack" not in read_sms(text, sender="caregiver").intents


@pytest.mark.parametrize("text", ["what's her record this month?", "any missed this week?", "how many doses missed?",
                                  "como sigue?", "what's going on?", "que paso?"])
def test_round_three_status_questions(text: str) -> None:
    assert "status_request" in read_sms(text, sender="caregiver").intents


def test_no_response_from_an_office_is_not_a_person_not_responding() -> None:
    reading = read_sms("sent the refill request, no response from the clinic", sender="caregiver")
    assert reading.urgency == "none" and reading.supply_problem == "no_refill"


def test_a_but_inside_a_conditional_question_goes_on_asking() -> None:
    reading = read_sms("what do I text if she's fine but hasn't taken it yet", sender="caregiver")
    assert (reading.dose, "question" in reading.intents) == ("none", True)


# Phrases the table-drop run found unnamed (round three), each in a sentence of its own.
NAMED_BY_THE_MUTATION_RUN: list[tuple[str, str, str, str]] = [
    ("I tooked it", "patient", "dose", "taken"), ("she's swallowing it right now", "caregiver", "dose", "taken"),
    ("estoy tomandomela ahorita", "patient", "dose", "taken"), ("tomandosela", "caregiver", "dose", "taken"),
    ("I already take it", "patient", "dose", "taken"), ("not taken", "patient", "dose", "not_taken"),
    ("not taking it today", "patient", "dose", "not_taken"), ("gonna take it after lunch", "patient", "dose", "not_taken"),
    ("la devolvi", "patient", "dose", "not_taken"), ("couldnt give it, he was out", "caregiver", "dose", "not_taken"),
    ("still sleeping", "caregiver", "dose", "not_taken"), ("took it and then again", "patient", "dose", "extra"),
    ("took an extra half", "patient", "dose", "extra"), ("I doubled my dose", "patient", "dose", "extra"),
    ("took too many", "patient", "dose", "extra"), ("ademas de las suyas", "caregiver", "dose", "extra"),
    ("le di otra", "caregiver", "dose", "extra"), ("otra pastilla de mas", "caregiver", "dose", "extra"),
    ("gave it again", "caregiver", "dose", "extra"), ("y la de las 8 juntas", "caregiver", "dose", "extra"),
    ("called 911", "caregiver", "intent", "ack"), ("911 called", "caregiver", "intent", "ack"),
    ("en camino", "caregiver", "intent", "ack"), ("ya salgo", "caregiver", "intent", "ack"),
    ("le voy a marcar", "caregiver", "intent", "ack"), ("I see it", "caregiver", "intent", "ack"),
    ("ack", "caregiver", "intent", "ack"), ("will fu", "caregiver", "intent", "ack"),
    ("ya se la tomo?", "caregiver", "intent", "status_request"), ("was it logged?", "caregiver", "intent", "status_request"),
    ("no problems", "patient", "intent", "all_well"), ("all good", "patient", "intent", "all_well"),
    ("never better", "patient", "intent", "all_well"), ("awake and alert", "patient", "intent", "all_well"),
    ("we may run out soon", "patient", "supply", "ran_out"), ("out of my pills", "patient", "supply", "ran_out"),
    ("pills went down the drain", "patient", "supply", "ran_out"), ("la mitad para que duren", "patient", "supply", "ran_out"),
    ("waiting on the pharmacy", "patient", "supply", "no_refill"),
    ("tuvo un ataque epileptico", "caregiver", "urgency", "emergency"), ("tiene un tic nervioso", "patient", "urgency", "urgent"),
    ("le brincan las piernas", "patient", "urgency", "urgent"),
]


@pytest.mark.parametrize(("text", "sender", "what", "meant"), NAMED_BY_THE_MUTATION_RUN)
def test_each_phrase_the_mutation_run_found_unnamed_reads_as_meant(text: str, sender: str, what: str, meant: str) -> None:
    reading = read_sms(text, sender=sender)  # type: ignore[arg-type]
    got = {"dose": reading.dose, "supply": reading.supply_problem, "urgency": reading.urgency}.get(what)
    assert (meant in reading.intents) if what == "intent" else got == meant


# -- round three, from the classes batch D showed (new sentences, none copied from D) -------------------

D_CLASS_EMERGENCIES: list[tuple[str, str]] = [
    ("seizure", "he's trembling all over and not answering me"), ("seizure", "she went stiff and won't respond"),
    ("seizure", "esta sacudiendose y no responde"), ("seizure", "se puso muy rigida y no contesta"),
    ("breathing", "respira bien despacito"), ("breathing", "I'm huffing and puffing just lying here"),
    ("breathing", "out of breath just sitting"), ("breathing", "she cant brethe rly"),
    ("confusion", "habla con su esposo que murio hace diez anos"), ("confusion", "esta hablando sola"),
    ("confusion", "I don't know this place"), ("drowsiness", "cant keep my eyes opne"),
]


@pytest.mark.parametrize(("sign", "text"), D_CLASS_EMERGENCIES)
def test_round_three_d_classes_of_emergency(sign: str, text: str) -> None:
    reading = read_sms(text, sender="caregiver")
    assert (reading.urgency, sign in reading.signs) == ("emergency", True)


@pytest.mark.parametrize("text", [
    "esta platicando con su hermana en la sala", "hablando con el doctor ahorita", "twitching zero today",
    "spasms 0 this morning", "los calambres ya se calmaron", "no tengo temblores ni el corazon acelerado",
    "my legs aren't jumping at all", "I haven't had breathing problems", "your text confused me, I'm fine",
    "what do I do if he keeps shaking?",
])
def test_round_three_d_classes_of_denial_raise_nothing(text: str) -> None:
    reading = read_sms(text)
    assert (reading.urgency, reading.dose in ("taken", "extra")) == ("none", False)


@pytest.mark.parametrize(("key", "text"), [
    ("twitching", "muscle switches all afternoon"), ("twitching", "switching in my arms"),
    ("twitching", "tengo brincos en los brazos"), ("hallucinations", "she sees cats on the bed that aren't ours"),
    ("hallucinations", "dice que ve sombras en la pared"), ("fast_heart_rate", "heart rate 130 and I'm just sitting"),
    ("fast_heart_rate", "my heart keeps beating really fast"), ("low_blood_pressure", "a bit woozy when I stand"),
    ("drowsiness", "he might be sleepier than usual?"),
])
def test_round_three_d_classes_of_other_symptoms_are_urgent(key: str, text: str) -> None:
    reading = read_sms(text)
    assert (key in reading.symptoms, reading.urgency) == (True, "urgent")


@pytest.mark.parametrize("text", ["a lo mejor fue un ataquito", "something like a seizure, I think",
                                  "tuvo algo como una convulsion", "had some kind of seizure"])
def test_a_seizure_hedged_as_something_like_one_is_doubtful_urgent(text: str) -> None:
    reading = read_sms(text)
    assert (reading.urgency, reading.doubtful, reading.forward) == ("urgent", ("seizure",), True)


@pytest.mark.parametrize(("dose", "text"), [
    ("extra", "she took tonight's and tomorrow's together"), ("extra", "me tome la de hoy y la de manana"),
    ("extra", "he had his plus mine"), ("extra", "took hers and also the one for later"),
    ("extra", "took 2 buy mistake"), ("extra", "took one at 7 and then another at 8"),
    ("extra", "my mom grabbed the 20mg instead of the 10"), ("not_taken", "I have knot taken it"),
    ("not_taken", "puked the morning pill back up"), ("taken", "giving him the pill right now"),
    ("taken", "si ya a las 9"), ("taken", "took it at 9 instead of 8, is that ok?"),
    ("taken", "yes I said taken twice already"), ("taken", "no i took it once"),
])
def test_round_three_d_classes_of_doses(dose: str, text: str) -> None:
    assert read_sms(text).dose == dose


def test_when_i_called_him_tells_what_happened_it_does_not_acknowledge() -> None:
    assert "ack" not in read_sms("he was asleep and woke up when I called him, all good", sender="caregiver").intents


# -- round four (G1/G2): a word dictation cut in two or ran together -------------------------------------


@pytest.mark.parametrize(("text", "sign"), [
    ("mi papa no res pira bien", "breathing"), ("se esta a ogando", "breathing"),
    ("no des pierta por mas que le hablo", "drowsiness"), ("nome puedo mantener despierta", "drowsiness"), ("seme cierran los ojos solos", "drowsiness"),
    ("grandpa is sees in on the floor", "seizure"),
])
def test_a_sign_word_dictation_cut_in_two_is_read_as_the_word(text: str, sign: str) -> None:
    assert read_sms(text, sender="caregiver").signs == (sign,)


@pytest.mark.parametrize(("text", "urgency", "dose"), [
    ("didnt have a single twitch today!!!", "none", "none"), ("ni una sola convulsion esta semana", "none", "none"),
    ("she had a seizure last spring but nothing since, knock on wood", "none", "none"),
    ("me he tomado la tension y tengo 85/50", "urgent", "none"), ("I lost the card they gave us", "none", "none"),
    ("creo que si se la tomo, pero no estoy segura", "none", "none"),
    ("had a seizure last week and another today", "emergency", "none"),
    ("cero convulsiones esta semana", "none", "none"), ("Client denies dizziness, drowsiness, or breathing difficulties",
                                                        "none", "none"),
    ("my prescription expired y el doctor no me contesta", "none", "none"),
    ("did he take it? no me contesta el phone", "none", "none"), ("le hablo y no me contesta", "emergency", "none"),
])
def test_round_four_denials_history_measurements_and_doubt_record_no_dose_and_raise_no_alarm(
        text: str, urgency: str, dose: str) -> None:
    reading = read_sms(text, sender="caregiver")
    assert (reading.urgency, reading.dose) == (urgency, dose)


def test_talking_to_the_patient_is_no_acknowledgement_beside_a_sign() -> None:
    # "le hablo" (I talk to him) opens no acknowledgement: only a short opening ack, or someone
    # acting while the sign goes on, answers the alert.
    assert "ack" not in read_sms("le hablo y no me contesta", sender="caregiver").intents


@pytest.mark.parametrize("text", [
    "took both at dinner together", "se la volvio a tomar porque no se acordaba", "she took to many of her pills",
    "la muchacha ya se la habia dado", "took like 4 pills for the pain", "she took my pills and hers",
    "me tome la mia y la de mi esposo", "grabbed my husbands bottle by mistake", "tk 2 by acident",
    "self-administered an additional 10 mg dose", "me tome la de la noche dos beses",
])
def test_round_four_extra_doses_said_indirectly_are_extra(text: str) -> None:
    assert read_sms(text, sender="caregiver").dose == "extra"


@pytest.mark.parametrize("text", ["his words dont make any sense", "word salad since lunch",
                                  "she dosnt kno what yr it is"])
def test_round_four_incoherence_and_thumb_spelling_are_severe_confusion(text: str) -> None:
    assert read_sms(text, sender="caregiver").signs == ("confusion",)


@pytest.mark.parametrize(("text", "dose"), [
    ("se me acabaron, asi que la de hoy no me la pude tomar", "not_taken"),
    ("ran out so he didnt get his night one", "not_taken"),
    ("El seguro ya no quiere pagar la receta", "none"), ("thx, will check when I get home at 6", "none"),
    ("Ya llame al 911, todavia no despierta", "none"), ("no se ha quedado dormida ni nada raro", "none"),
])
def test_round_four_a_dose_not_taken_is_said_of_the_dose_not_of_the_insurer_the_caregiver_or_a_sign(
        text: str, dose: str) -> None:
    assert read_sms(text, sender="caregiver").dose == dose


def test_asking_how_someone_is_doing_is_a_status_request() -> None:
    assert "status_request" in read_sms("hows grandma doing today?", sender="caregiver").intents


def test_what_a_text_about_two_patients_says_of_each() -> None:
    text = "Re Mrs. Okafor: aide says she is not making sense. Mr. Brandt took his 2pm fine."
    said = said_of(text, ["Okafor", "Brandt"])
    assert said == {"Okafor": "Re Mrs. Okafor: aide says she is not making sense.", "Brandt": "Mr. Brandt took his 2pm fine."}
    assert (read_sms(said["Okafor"], sender="caregiver").urgency, read_sms(said["Brandt"], sender="caregiver").dose) == \
        ("emergency", "taken")


# -- round five (F): classes from F's misses, in new sentences (none copied from the batch) ---------------


@pytest.mark.parametrize(("sign", "text"), [
    ("seizure", "his arms and legs kept jerking, it's over now"), ("seizure", "le empezaron a sacudir los brazos y piernas"),
    ("seizure", "generalized shaking at 0900 for about 2 min"), ("seizure", "tuvo sacudidas generalizadas en la cama"),
    ("seizure", "rhythmic jerking of her right side"), ("seizure", "his legs were shaking kind of rhythmic"),
    ("seizure", "went rigid and then started jerking"), ("seizure", "post-ictal now, she's sleepy"),
    ("seizure", "his tongue is bitten and bleeding"), ("seizure", "he bid his own tongue"),
    ("seizure", "se le fueron los ojos para arriba"), ("seizure", "he's jerking and it won't stop"),
    ("seizure", "no deja de convulsionar"), ("seizure", "foaming from her mouth"),
    ("seizure", "she was jerking all over, lasted maybe a minute??"),
    ("breathing", "resp slow and irregular"), ("breathing", "her lips look dusky"), ("breathing", "looks cyanotic"),
    ("breathing", "esta morado de los labios"), ("breathing", "se puso bien morada"), ("breathing", "no puede jalar aire"),
    ("breathing", "sin poder agarrar aire"), ("breathing", "casi no se le mueve el pecho"), ("breathing", "respira rarito"),
    ("drowsiness", "can't get him to answer me at all"), ("drowsiness", "she won't say anything to me"),
    ("drowsiness", "not following commands since 3pm"), ("drowsiness", "responds only to pain"),
    ("drowsiness", "solo reacciona al dolor"), ("drowsiness", "perdio la conciencia en la cocina"),
    ("drowsiness", "lost consciousness for a bit"), ("drowsiness", "mi abuelo no contesta aunque le grito"),
    ("confusion", "no sabe ni quien soy"), ("confusion", "ni nos reconoce"), ("confusion", "no sabe what day it is"),
    ("seizure", "she shook all over on the floor"), ("seizure", "se puso todo stiff en la silla"),
    ("seizure", "rigido y temblando en la cama"), ("confusion", "can't tell us her own name"),
    ("confusion", "couldnt tell me where we are"), ("confusion", "no sabe ni como me llamo"),
])
def test_round_five_a_sign_described_by_its_features_is_an_emergency(sign: str, text: str) -> None:
    reading = read_sms(text, sender="caregiver")
    assert (reading.urgency, sign in reading.signs) == ("emergency", True)


@pytest.mark.parametrize("text", [
    "estaba en la regadera, por eso no contestaba", "la farmacia no contesta", "no response yet from the clinic",
    "no hay manera de que coma verduras", "he dozes off a lot but wakes right up when we talk",
    "se duerme en el sillon pero si despierta cuando le hablo",
    "she stared off and didnt answer me, then came back to. was that a seizure?",
])
def test_round_five_a_reason_someone_else_or_a_spell_that_passed_is_no_emergency(text: str) -> None:
    assert read_sms(text, sender="caregiver").urgency != "emergency"


def test_bien_as_very_is_no_reassurance() -> None:
    assert read_sms("tuvo una convulsion, ya paso pero esta bien ida", sender="caregiver").urgency == "emergency"


@pytest.mark.parametrize(("text", "dose"), [
    ("took it late, 9:15 instead of 8", "taken"), ("tomo la de la noche y luego otra a las 11", "extra"),
    ("took the morning one and then another", "extra"),
    ("no me acuerdo si me la tome, el pastillero de hoy esta vacio", "none"),
    ("can't recall if I took it, the pill box is empty", "none"),
    ("she says she took it but the pill is still on the table", "none"),
    ("dice que se la tomo pero la pastilla sigue en el plato", "none"),
    ("3 days without my meds now", "not_taken"), ("llevo dos dias sin la medicina", "not_taken"),
    ("Ya se tomo la de la noche. Le llamo al doctor?", "taken"), ("ran out 3 days ago, legs are tight", "not_taken"),
    ("se le acabaron hace dos dias", "not_taken"), ("ran out yesterday, waiting on the pharmacy", "none"),
])
def test_round_five_doses(text: str, dose: str) -> None:
    assert read_sms(text, sender="caregiver").dose == dose


@pytest.mark.parametrize("text", [
    "the pharmacy only gave us 10 pills, rest next week", "walmart shorted my prescription",
    "refill was pushed to next friday", "clinic moved the refill to the 20th", "3 days supply left",
    "el refill hasta el viernes", "refill request faxed yesterday", "cvs is out of the 5mg",
])
def test_round_five_supply_problems(text: str) -> None:
    assert "supply_problem" in read_sms(text, sender="caregiver").intents


@pytest.mark.parametrize(("text", "intent", "present"), [
    ("dialing now", "ack", True), ("ya viene la ambulancia", "ack", True), ("ambulancia en camino", "ack", True),
    ("thanks for checking on her, she's fine", "ack", False), ("has she checked in yet?", "status_request", True),
    ("did mom reply to you today?", "status_request", True), ("abuelo took his pills?", "status_request", True),
    ("he was shaking, couldn't stop it", "stop", False),
])
def test_round_five_acknowledgements_status_and_stop(text: str, intent: str, present: bool) -> None:
    assert (intent in read_sms(text, sender="caregiver").intents) is present


@pytest.mark.parametrize(("key", "text"), [
    ("hallucinations", "ve bichitos en el techo"), ("drowsiness", "mas dormilona que de costumbre"),
    ("fever", "temp 102 this morning"), ("fever", "temperatura de 39"), ("fast_heart_rate", "HR 125 at rest"),
    ("feeling_cold", "tiene frio todo el dia"), ("low_blood_pressure", "me siento mareada, es normal?"),
    ("low_blood_pressure", "i feel dizzy, is that normal?"),
])
def test_round_five_other_symptoms_are_urgent(key: str, text: str) -> None:
    reading = read_sms(text)
    assert (key in reading.symptoms, reading.urgency) == (True, "urgent")


# -- round six (H): classes from H's misses, in new sentences (none copied from the batch) ----------


@pytest.mark.parametrize(("sign", "text"), [
    ("breathing", "He is having great difficulty drawing breath tonight"), ("breathing", "She finds it very hard to draw a breath"),
    ("breathing", "Every breath takes him an enormous effort"), ("breathing", "cada respiracion le cuesta muchisimo esfuerzo"),
    ("breathing", "apenas se le nota que respira"), ("breathing", "casi no se nota que respira mi papa"),
    ("breathing", "his chest barely moves when he breathes"), ("breathing", "el pecho apenas se le mueve"),
    ("breathing", "mi tio esta breatheando muy despacito"), ("breathing", "se le olvida respirar a ratos"),
    ("breathing", "it's like she forgets to breathe sometimes"),
    ("confusion", "Mum did not recognise my sister this morning"), ("confusion", "Papa no reconocio a mi hermana"),
    ("confusion", "she keeps telling me it's 1975"), ("confusion", "he is talking to someone in the empty chair"),
    ("confusion", "le habla a alguien en la silla vacia"),
    ("drowsiness", "sternal rub gets a moan and that's all"), ("drowsiness", "pupils are pinpoint"),
    ("drowsiness", "pupilas como puntitos"),
])
def test_round_six_a_sign_described_formally_or_by_what_is_barely_seen_is_an_emergency(sign: str, text: str) -> None:
    reading = read_sms(text, sender="caregiver")
    assert (reading.urgency, sign in reading.signs, "ack" in reading.intents) == ("emergency", True, False)


@pytest.mark.parametrize("text", [
    "The dr is lowering her dose. How slow should we go? Don't want him having a seizure again",
    "Quieren bajarle la dosis, que tan rapido es seguro? no quiero que le vuelvan las convulsiones",
])
def test_round_six_a_sign_not_wanted_inside_a_question_is_no_sign(text: str) -> None:
    assert read_sms(text, sender="caregiver").urgency != "emergency"


def test_round_six_a_sign_not_wanted_beside_a_sign_happening_is_still_the_sign() -> None:
    assert read_sms("I don't want to scare you but he is having a seizure", sender="caregiver").urgency == "emergency"


@pytest.mark.parametrize(("sign", "text"), [
    ("drowsiness", "I keep shaking him and he only snores"), ("drowsiness", "la muevo y nada, nomas ronca"),
    ("drowsiness", "mi tio no se quiere wakear"), ("seizure", "the neighbour found him shacking all over"),
    ("seizure", "he shook violently in his chair"), ("drowsiness", "she did not respond to him for a few minutes"),
    ("breathing", "she's breathin real slow and shallow"), ("breathing", "her lips have a blue tinge"),
    ("confusion", "mom is talking jibberish"), ("confusion", "thinks she's back in school 60 years ago"),
])
def test_round_six_an_emergency_sign_in_plain_or_misspelled_words_is_an_emergency(sign: str, text: str) -> None:
    reading = read_sms(text, sender="caregiver")
    assert (reading.urgency, sign in reading.signs) == ("emergency", True)


@pytest.mark.parametrize("text", [
    "false alarm, he was just snoring, breathing fine", "she only snores loud at night",
    "she didn't respond to her texts today",
])
def test_round_six_snoring_and_unanswered_texts_are_no_emergency(text: str) -> None:
    assert read_sms(text, sender="caregiver").urgency != "emergency"


@pytest.mark.parametrize(("text", "emergency"), [
    ("RR 7, shallow, pt hard to rouse", True), ("resp rate of 8 at 2200", True), ("FR de 6 y labios morados", True),
    ("dusky around her lips this evening", True), ("RR 16 unlabored", False), ("gave the 10 mg at 8", False),
])
def test_round_six_a_nurses_breathing_rate_under_ten_is_an_emergency(text: str, emergency: bool) -> None:
    assert (read_sms(text, sender="caregiver").urgency == "emergency") is emergency


@pytest.mark.parametrize(("text", "urgency"), [
    ("se quedo mirando fijo como un minuto sin contestarme y luego siguio normal. sera un ataque?", "urgent"),
    ("he stared off and didn't answer me, then went back to normal. could that be a seizure?", "urgent"),
    ("he had a seizure, now back to normal? should I call?", "emergency"),
])
def test_round_six_a_staring_spell_that_passed_asked_whether_a_seizure_is_doubtful(text: str, urgency: str) -> None:
    assert read_sms(text, sender="caregiver").urgency == urgency


# -- round seven (J): classes from J's misses, in new sentences (none copied from the batch) ---------


@pytest.mark.parametrize(("sign", "text"), [
    # breathing: without being able to, by concentrating, with effort, the chest sinking, lips purplish, slow
    ("breathing", "he woke up without being able to breathe"), ("breathing", "sigue sin poder respirar"),
    ("breathing", "I have to concentrate to take every breath"), ("breathing", "tengo que concentrarme para poder respirar"),
    ("breathing", "she is breathing with great effort"), ("breathing", "respira con mucho esfuerzo"),
    ("breathing", "his chest is sinking in with each breath"), ("breathing", "se le hunde el pecho cada vez que respira"),
    ("breathing", "her lips look purplish"), ("breathing", "tiene los labios moraditos"),
    ("breathing", "my breathing has become very slow"), ("breathing", "mi respiracion se ha vuelto muy lenta"),
    ("breathing", "I'm not well, my breathing is very slow"), ("breathing", "no estoy bien, respiro muy lento"),
    # drowsiness: asleep everywhere, falling over with sleep, hard to arouse, only a sternal rub
    ("drowsiness", "she falls asleep everywhere, even at the table"), ("drowsiness", "se duerme en todas partes"),
    ("drowsiness", "me caigo del sueno todo el dia"), ("drowsiness", "se ha quedado dormida comiendo otra vez"),
    ("drowsiness", "very difficult to arouse this morning"), ("drowsiness", "esta muy dificil de despertar"),
    ("drowsiness", "responds only to a sternal rub"),
    ("drowsiness", "I can't stay awake, this is not normal"), ("drowsiness", "no me puedo mantener despierta, esto no es normal"),
    # confusion: the month or the day not known, asking where they are at home, a dead relative there
    ("confusion", "he doesn't know what month it is"), ("confusion", "no sabe en que mes estamos"),
    ("confusion", "she doesn't know it's friday"), ("confusion", "she keeps asking where she is, in her own kitchen"),
    ("confusion", "pregunta donde estamos y estamos en su casa"),
    ("confusion", "talking to his brother and he died in 2015"), ("confusion", "habla con su papa que fallecio hace anos"),
    # seizure: dictation's "a sees her", limbs that won't stop, jerking and not responding
    ("seizure", "I think I had a sees her an hour ago"), ("seizure", "his arm and leg won't stop jerking"),
    ("seizure", "el brazo y la pierna no paran de sacudirse"), ("seizure", "he was jerking and wasn't responding"),
    ("seizure", "se sacudia y no respondia"),
    # one phrase each (the table-drop run: a phrase no other reads)
    ("seizure", "her arm and leg started jerking"), ("seizure", "he won't stop jerking"), ("seizure", "violent shaking in bed"),
    ("breathing", "lo veo morado de la boca"), ("confusion", "llama a su esposo que se murio hace diez anos"),
    ("confusion", "he thinks it's 2040"), ("confusion", "garbled words all morning"), ("confusion", "what year is it"),
    ("confusion", "chatting with grandpa in the empty chair"),
])
def test_round_seven_a_sign_described_is_an_emergency(sign: str, text: str) -> None:
    reading = read_sms(text, sender="caregiver")
    assert (reading.urgency, sign in reading.signs) == ("emergency", True)


@pytest.mark.parametrize("text", [
    # a dosing question without a question mark
    "forgot my noon one should I just double up now", "se me olvido la de la manana debo tomar doble ahora",
    # a sign in a hypothetical "one day"
    "if one day he has a seizure do we call 911 first", "si un dia le da una convulsion a quien llamo primero",
    # a symptom said to be calm
    "no seizures, spasms chill today", "los espasmos tranquilos, bajo control",
    # an emptied pill-box slot while someone swears it was not taken, and the question what to do
    "the pill box slot is empty but he swears he didn't take it. should I give it?",
    "el pastillero esta vacio pero jura que no se la tomo. se la doy?",
    # someone else who died is no request to stop, and a dead relative in a question is no sign
    "my aunt who passed away in 2010 also took baclofen, is it safe?",
    # "no" answering, then reassurance in the next clause: not "no esta bien"
    "No, esta todo bien, se equivoco de boton. Respira normal", "No, everything's fine, she hit the wrong button",
])
def test_round_seven_denials_and_questions_raise_nothing_and_record_no_dose(text: str) -> None:
    reading = read_sms(text, sender="caregiver")
    assert (reading.urgency, reading.dose in ("taken", "extra"), "stop" in reading.intents) == ("none", False, False)


@pytest.mark.parametrize(("text", "dose"), [
    # a side effect as the reason for skipping: not taken, no symptom now
    ("skipped tonight's, it makes me foggy", "not_taken"), ("no me la tome porque me tiene aguevado", "not_taken"),
])
def test_round_seven_a_side_effect_given_as_a_reason_is_calm(text: str, dose: str) -> None:
    reading = read_sms(text)
    assert (reading.urgency, reading.dose) == ("none", dose)


@pytest.mark.parametrize(("text", "dose"), [
    # held by a nurse, or not given
    ("Held PM dose, BP low, MD aware", "not_taken"), ("his 8am dose was held", "not_taken"), ("holding his meds until the doctor calls", "not_taken"),
    ("no le di la pastilla porque esta vomitando", "not_taken"),
    # put off until they arrive, or "later" after a no
    ("ahorita no, estoy manejando", "not_taken"), ("cuando llegue a la casa me la tomo", "not_taken"),
    ("nope. later", "not_taken"), ("no, luego", "not_taken"),
    # forgot to reply or to press the button is not a dose forgotten
    ("si se la tomo, se le olvido darle al boton", "taken"), ("she took it, just forgot to press the button", "taken"),
    ("perdon, se me paso contestar, ya se la di", "taken"),
    # given, in a nurse's and a Spanish speaker's words
    ("Leo got his 8pm, signed on the MAR", "taken"), ("ya les di la de la manana a los dos", "taken"),
    ("que si, que se la he dado con la cena", "taken"),
    # "le ha dado un ataque" is a seizure, not a dose given
    ("a mi padre le ha dado un ataque", "none"),
    # an extra dose said the way a nurse or a Spanish speaker says it
    ("pt self-administered an extra 10mg at noon", "extra"), ("se tomo una pastilla extra", "extra"),
    # out of pills since a day of the week: doses have gone by; "ran out on sunday" alone is the supply problem
    ("he's been out since Saturday", "not_taken"), ("desde que se le acabaron las pastillas el lunes esta peor", "not_taken"),
    ("spasms are worse since I ran out Tuesday", "not_taken"), ("we ran out on sunday", "none"),
])
def test_round_seven_doses(text: str, dose: str) -> None:
    assert read_sms(text, sender="caregiver").dose == dose


@pytest.mark.parametrize(("text", "intent", "present"), [
    ("se me cayeron las pastillas por el fregadero", "supply_problem", True), ("dropped her pills down the drain", "supply_problem", True),
    ("the pharmacy delivery never came", "supply_problem", True), ("el pedido de la farmacia nunca llego", "supply_problem", True),
    ("the meds didn't come today", "supply_problem", True), ("switched to mail order and nothing yet", "supply_problem", True),
    ("waiting on the pharmacy to call back", "supply_problem", True),
    ("se cayo de la silla y le dio un ataque", "supply_problem", False),
    ("dejen de mandarme mensajes", "stop", True), ("I'm no longer looking after her", "stop", True),
    ("ya no la cuido yo", "stop", True), ("she talks to her sister who passed away years ago", "stop", False),
    ("habla con su hermana que fallecio en el 98", "stop", False),
    ("la tomo o no la tomo?", "status_request", True), ("mom taken it or not?", "status_request", True),
    ("can you confirm the last dose?", "status_request", True), ("puede confirmar la ultima dosis?", "status_request", True),
    ("is the 2pm dose 10mg or 20mg? pls confirm", "status_request", False),
    ("the doctor said ok to go home", "ack", False), ("ok to give it with food?", "ack", False), ("ok, on my way", "ack", True),
    ("aide here with him now", "ack", True), ("aqui con ella ahora", "ack", True), ("we're at the ER now", "ack", True),
    ("estamos en urgencias con el", "ack", True), ("ya he hablado con ella", "ack", True), ("I've talked to him, all good", "ack", True),
    ("dejeme averiguar", "ack", True), ("let me find out", "ack", True),
])
def test_round_seven_supply_stop_status_and_acknowledgement(text: str, intent: str, present: bool) -> None:
    assert (intent in read_sms(text, sender="caregiver").intents) is present


@pytest.mark.parametrize("text", [
    "not sure if that was a seizure, she stared and didn't answer me, then she was normal again",
    "no se si fue un ataque, se quedo mirando fijo y no contestaba, luego ya estaba normal",
])
def test_round_seven_a_spell_over_doubted_as_a_seizure_is_urgent(text: str) -> None:
    reading = read_sms(text, sender="caregiver")
    assert (reading.urgency, "seizure" in reading.doubtful, reading.forward) == ("urgent", True, True)


@pytest.mark.parametrize(("key", "text"), [
    ("twitching", "tiene saltitos en los brazos. es normal eso?"), ("twitching", "se le mueven solitos los dedos"),
    ("twitching", "his arms keep moving on their own. is that normal?"), ("feeling_cold", "I'm cold all the time"),
])
def test_round_seven_jerks_in_the_limbs_and_other_symptoms_stated_are_urgent(key: str, text: str) -> None:
    reading = read_sms(text, sender="caregiver")
    assert (key in reading.symptoms, reading.urgency) == (True, "urgent")


@pytest.mark.parametrize("text", ["4", "#4", "4!!", "four", "cuatro"])
def test_round_seven_a_caregivers_bare_four_is_urgent_and_forwarded_never_silent(text: str) -> None:
    # Their options are 1-3: the patient's "call 911 now" relayed, or a slip. Urgent, the words to
    # every caregiver, nothing acknowledged; a "3" stays the dose given.
    reading = read_sms(text, sender="caregiver")
    assert (reading.urgency, reading.forward, "ack" in reading.intents, reading.confident) == ("urgent", True, False, False)
    assert numbered_answer(text, "caregiver") is None
    assert read_sms("3", sender="caregiver").urgency == "none"


@pytest.mark.parametrize("text", [
    "todavia no, sigue dormido, se la doy cuando despierte", "not yet, she's still sleeping, I'll give it when she's up",
])
def test_round_seven_a_dose_put_off_while_asleep_is_calm(text: str) -> None:
    reading = read_sms(text, sender="caregiver")
    assert (reading.urgency, reading.dose) == ("none", "not_taken")


@pytest.mark.parametrize("text", [
    "haha you guys are like family to me", "lol ustedes son como mi segunda familia", "you're the best, thanks for looking out",
    "gracias por cuidarme tanto, son lo maximo", "lol my mom texts me less than you do",
])
def test_round_seven_small_talk_raises_nothing(text: str) -> None:
    assert read_sms(text).urgency == "none"


# -- round eight (I = tuning6.jsonl): I's misses, by class, in both languages ----------------------------


@pytest.mark.parametrize(("sign", "text"), [
    # an r said as l (the Caribbean): "despertal", "respiral"; and the English said plainly
    ("drowsiness", "No la puedo despertal. le grito y nada"), ("drowsiness", "can't wake her, i yell and nothing"),
    ("breathing", "no puede respiral bien"),
    # no one can wake them, eyes that can't be held open
    ("drowsiness", "esta tirado en el sofa y no hay quien lo despierte"), ("drowsiness", "he's on the couch and there's no waking him"),
    ("drowsiness", "no way to wake her"), ("drowsiness", "no puedo tener los ojos abiertos"),
    # shaking that does not stop, said in the middle of a call to 911
    ("seizure", "estoy llamando al 911, she's still shaking y no para"), ("seizure", "calling 911, he's still jerking and it's not stopping"),
    # a patient who does not know whose house they are in
    ("confusion", "me siento muy rara no se que dia es hoy ni en que casa estoy"), ("confusion", "I feel so weird, I don't know what house I'm in"),
])
def test_round_eight_a_sign_described_is_an_emergency(sign: str, text: str) -> None:
    reading = read_sms(text, sender="caregiver")
    assert (reading.urgency, sign in reading.signs) == ("emergency", True)


@pytest.mark.parametrize("text", [
    # things said to be there that are not: hallucinations, even asked "is that bad?"
    "grandpa says theres bugs crawling on the wall but theres nothing there. is that bad??",
    "mi abuelo dice que hay bichos caminando en la pared pero no hay nada. es malo eso?",
])
def test_round_eight_things_seen_that_are_not_there_are_urgent(text: str) -> None:
    reading = read_sms(text, sender="caregiver")
    assert (reading.urgency, "hallucinations" in reading.symptoms, reading.supply_problem) == ("urgent", True, None)


@pytest.mark.parametrize("text", [
    # a sign in a conditional "si se le ponen ..." / "if his lips turn ..."
    "si se le ponen los labios azules que hago, lo llevo o llamo?", "if his lips turn blue what do I do, drive him or call?",
    # a seizure months ago, nothing since
    "she had a seizure back in March but nothing since. doc says keep on", "tuvo una convulsion en marzo pero nada desde entonces",
    # a call not answered is the phone, not an unresponsive patient (and asks after the dose)
    "ya se la tomo mi ama? le marque y no contesta", "did mom take it? I called her and she doesn't answer",
])
def test_round_eight_denials_and_questions_raise_nothing_and_record_no_dose(text: str) -> None:
    reading = read_sms(text, sender="caregiver")
    assert (reading.urgency, reading.dose in ("taken", "extra"), "ack" in reading.intents) == ("none", False, False)


@pytest.mark.parametrize(("text", "urgency"), [
    # a sign "given" or something else "had" is no dose
    ("le esta dando una convulsion ahora mismo!!!", "emergency"), ("she's having a seizure right now", "emergency"),
    ("spasms came back hard today like before i had the pump", "urgent"), ("volvieron los espasmos como antes de la bomba", "urgent"),
    # "todavia no puede ...", "no quiere comer" are the state, not a dose not taken
    ("ya llame pero todavia no puede respirar bien", "emergency"), ("called 911 but she still can't breathe right", "emergency"),
    ("esta paranoica y no quiere comer", "urgent"), ("she's paranoid and won't eat", "urgent"),
])
def test_round_eight_a_word_about_something_else_records_no_dose(text: str, urgency: str) -> None:
    reading = read_sms(text, sender="caregiver")
    assert (reading.urgency, reading.dose) == (urgency, "none")


@pytest.mark.parametrize(("text", "dose"), [
    # their own and someone else's, or an unknown number: extra
    ("Pawpaw took one of Mamaw's baclofen", "extra"), ("so he had his own plus hers this morning", "extra"),
    ("Papi se tomo la suya y tambien una de las de mami", "extra"),
    ("she took her dose and I gave her one not knowing, so she got two this morning", "extra"),
    ("se tomo no se cuantas pastillas", "extra"), ("he took who knows how many", "extra"),
    # put off until after a meal; pills still sitting where they were left: not taken
    ("ahorita no, despues de comer", "not_taken"), ("not now, after lunch", "not_taken"),
    ("her 8 oclock pills still sitting on the nightstand", "not_taken"), ("sus pastillas siguen en la mesa", "not_taken"),
    # taken late is taken; dozing off somewhere after it is no dose slept through
    ("lo tome pero tarde, like a las 11, se me paso", "taken"), ("took it but late, I forgot", "taken"),
    ("me la tome y me quede dormida en la guagua", "taken"), ("took it and fell asleep on the bus", "taken"),
])
def test_round_eight_doses(text: str, dose: str) -> None:
    assert read_sms(text, sender="caregiver").dose == dose


@pytest.mark.parametrize(("text", "intent", "present"), [
    # a call that went unanswered acknowledges nothing: the escalation goes on
    ("I called him but no answer", "ack", False), ("le marque y no contesta", "ack", False),
    ("called her, no answer", "ack", False), ("I called her, on my way", "ack", True), ("ya le marque", "ack", True),
    # asking after a parent by a pet name
    ("Como esta papi? no he podido hablar con el", "status_request", True), ("how's grandpa?", "status_request", True),
    # a refill stuck, waiting on the doctor
    ("took my last one just now. refill stuck at the pharmacy waitin on the doctor", "supply_problem", True),
    ("me tome la ultima, la receta esta atorada en la farmacia esperando que el doctor llame", "supply_problem", True),
])
def test_round_eight_supply_acknowledgement_and_status(text: str, intent: str, present: bool) -> None:
    assert (intent in read_sms(text, sender="caregiver").intents) is present


@pytest.mark.parametrize("text", [
    "hoy tiene bingo en el centro", "she has bingo at the senior center today",
    "No se la quiso tomar, dice que le da mucho sueno y que hoy tiene bingo", "she wouldn't take it, says it makes her sleepy and she has bingo",
    "she was out in the garden all morning", "estuvo en el jardin toda la manana",
    # a weird day is no weird feeling (a text like this gets the numbered question instead)
    "kinda weird day at work", "un dia raro en el trabajo",
])
def test_round_eight_small_news_raises_nothing(text: str) -> None:
    assert read_sms(text, sender="caregiver").urgency == "none"


# -- round nine (K = tuning7.jsonl): K's misses, by class, in both languages ----------------------------


@pytest.mark.parametrize(("sign", "text"), [
    # first-person severe confusion: the day and the place lost, a house not theirs, a son not known
    ("confusion", "no se que dia es hoy ni donde estoy"), ("confusion", "I don't know what day it is or where I am"),
    ("confusion", "esta casa no es mi casa"), ("confusion", "this house isn't my home"),
    ("confusion", "hay un senor aqui que dice que es mi hijo"), ("confusion", "a man here says he's my son"),
    ("confusion", "no reconozco a mi hijo"),
    # a year long past said as now
    ("confusion", "it's 1998 and i gotta get to practice"), ("confusion", "estamos en 1998 y tengo que ir a la escuela"),
    # a seizure with a b for a v, then absent
    ("seizure", "le dio una combulsion hace rato"), ("seizure", "se le ban los ojos para atras"),
    ("confusion", "ya paro pero esta como ida, no me mira"), ("confusion", "it stopped but she's like gone, not looking at me"),
    # English mixed with German or Tagalog: the words around it placed
    ("confusion", "er weiß nicht wo er ist, says he's in Caracas"), ("drowsiness", "Mama ayaw gumising, hindi magising since this morning"),
    # eyes that won't stay open after too many; a breathing rate counted under ten
    ("drowsiness", "took 2 many by acident and cant keep my eyez open"),
    ("breathing", "counting my own resp rate at about 8 and it's shallow"), ("breathing", "respira unas 7 veces por minuto"),
])
def test_round_nine_a_sign_described_is_an_emergency(sign: str, text: str) -> None:
    reading = read_sms(text, sender="caregiver")
    assert (reading.urgency, sign in reading.signs) == ("emergency", True)


@pytest.mark.parametrize("text", [
    "Papa ruft dauernd an, bitte jemand soll hingehen", "I'm abroad pls send someone to check on lola",
    "mi mama esta rara, manden a alguien por favor",
])
def test_round_nine_a_caregivers_plea_the_tables_cannot_place_reaches_the_caregivers(text: str) -> None:
    reading = read_sms(text, sender="caregiver")
    assert (reading.urgency, reading.forward, "ack" in reading.intents) == ("urgent", True, False)


@pytest.mark.parametrize("text", [
    "no need to send someone, she's fine", "no hace falta que manden a nadie, esta bien", "thanks for the help!",
])
def test_round_nine_no_plea_is_no_alarm(text: str) -> None:
    assert read_sms(text, sender="caregiver").urgency == "none"


@pytest.mark.parametrize("text", [
    # a false alarm on a sign, explained
    "false alarm on the seizure thing, he was just shivering after his shower. he's warm now and eating, totally fine",
    "falsa alarma con lo de la convulsion, estaba temblando de frio despues del bano. ya esta bien",
    # a twitch last night, gone, well today
    "he had a twitchy leg last night but it went away, he's good today",
    "anoche tuvo la pierna temblorosa pero se le quito, hoy esta bien",
    # "no me han dado los ..." denies
    "I'm ok, no me han dado los jerks desde que el doctor me subio la dosis",
    "I'm ok, haven't had the jerks since the doctor raised my dose",
])
def test_round_nine_denials_raise_nothing(text: str) -> None:
    reading = read_sms(text, sender="patient")
    assert (reading.urgency, reading.dose in ("taken", "extra")) == ("none", False)


def test_round_nine_a_false_alarm_then_a_sign_now_is_an_emergency() -> None:
    assert read_sms("falsa alarma, she's fine. but now she's shaking and not answering", sender="caregiver").urgency == "emergency"


@pytest.mark.parametrize("text", [
    # the weather is no symptom (the net, retrained with K, alarmed on a cold day after a dose taken)
    "hace un frio que pela hoy, menos mal que tengo calefaccion", "it's freezing out today, good thing the heat works",
])
def test_round_nine_the_weather_raises_nothing(text: str) -> None:
    assert read_sms(text, sender="patient").urgency == "none"


# -- round ten (M = tuning8.jsonl, N = tuning9.jsonl): their misses, by class, in both languages ------------


@pytest.mark.parametrize(("sign", "text"), [
    # a home not known as theirs; asking to be taken home while at home
    ("confusion", "this isn't my room, where did you put my bed"), ("confusion", "este cuarto no es el mio, quiero irme"),
    ("confusion", "keeps asking to go home and he IS home, been here 40 years"),
    ("confusion", "quiere que la lleve a su casa y esta en su casa"),
    # someone known taken for a stranger, for another relative
    ("confusion", "says I'm a stranger and won't let me in the kitchen"), ("confusion", "dice que soy una desconocida y que me vaya"),
    ("confusion", "some lady came in and says she's my daughter, never saw her before"),
    ("confusion", "una senora dice que es mi esposa y yo no la conozco"),
    ("confusion", "keeps calling me by his dad's name"), ("confusion", "me llama por el nombre de su hermana todo el rato"),
    # the year, the place, a relative long gone
    ("confusion", "she can't tell us the date or who I am"), ("confusion", "no me sabe decir en que ano estamos"),
    ("confusion", "keeps asking for her husband who's been dead 10 years"),
    ("confusion", "asked what year, he said 1975"), ("confusion", "idk where i am, everything looks wrong"),
    ("confusion", "no se donde estoy, todo se ve raro"),
    # telegraphic English
    ("confusion", "PAPA NOT KNOW ME. ASK ME WHO YOU"),
    # eyes that close on their own; falling asleep as it goes; still not waking
    ("drowsiness", "se le cierran solos los ojos mientras le hablo"), ("drowsiness", "no aguanta el sueno, se cae en la silla"),
    ("drowsiness", "me voy quedando dormida otra vez"), ("drowsiness", "her eyelids shut by themselves"),
    ("drowsiness", "ya llame al 911, sigue sin reaccionar"), ("drowsiness", "911 called, she's still sin despertar"),
    # the chest that won't let them breathe; air that cannot be grabbed (and spelt by ear)
    ("breathing", "el pecho no le deja respirar"), ("breathing", "his chest won't let him breathe"),
    ("breathing", "I can't grab any air"), ("breathing", "no puede agarar aire"),
    # Spanish spelt by ear
    ("seizure", "esta tenblando todo el cuerpo"),
])
def test_round_ten_a_sign_described_is_an_emergency(sign: str, text: str) -> None:
    reading = read_sms(text, sender="caregiver")
    assert (reading.urgency, sign in reading.signs) == ("emergency", True)


@pytest.mark.parametrize("text", [
    # a denial said after the symptom, as a list is answered
    "mareos no, espasmos tampoco, todo tranquilo", "jerks nope, all good", "seizures no. fever no. just tired of the heat",
    # knowing where one is
    "tranquila, se donde estoy", "se muy bien donde estoy",
    # a false alarm explained away
    "false alarm, he wasn't choking, he was laughing so hard he couldn't breathe",
    "falsa alarma, no se estaba ahogando, se estaba riendo",
    # a symptom said bearable, or stopped with nothing since
    "spasms are bearable today", "los espasmos estan soportables hoy",
    "the jerking stopped on tuesday, nothing since", "los temblores pararon el lunes, nada desde entonces",
    # the writer's own failure to reply
    "sorry I couldn't respond, I was driving", "perdon, no pude responder, estaba en el trabajo. mi papa esta bien",
])
def test_round_ten_denials_raise_nothing(text: str) -> None:
    reading = read_sms(text, sender="caregiver")
    assert (reading.urgency, reading.dose in ("taken", "extra")) == ("none", False)


@pytest.mark.parametrize("text", [
    "hypothetically say she took an extra one what do we watch for",
    "hipoteticamente si se toma dos de mas que hay que vigilar",
])
def test_round_ten_a_hypothetical_extra_dose_is_a_question(text: str) -> None:
    reading = read_sms(text, sender="caregiver")
    assert (reading.urgency, reading.dose, "question" in reading.intents) == ("none", "none", True)


@pytest.mark.parametrize(("key", "text"), [
    ("low_blood_pressure", "me la tome pero estoy mareadita"), ("low_blood_pressure", "ando mareadito desde la manana"),
    ("feeling_cold", "que frio tiene, no se calienta con nada"), ("feeling_cold", "she can't stay warm even with the heater"),
    ("twitching", "not great, legs twitchy all afternoon"), ("agitation", "jittery all day, can't settle"),
    ("spasms", "tiene los musculos bien duros"), ("low_blood_pressure", "BP 82/48 this morning"),
])
def test_round_ten_other_symptoms_are_urgent(key: str, text: str) -> None:
    reading = read_sms(text, sender="patient")
    assert (reading.urgency, key in reading.symptoms) == ("urgent", True)


@pytest.mark.parametrize("text", [
    "haven't heard from her all day, did she take it", "is dad ok. did he eat",
    "gave it in pudding, she got it down ok", "hes ok i think, did she take her noon",
])
def test_round_ten_a_caregivers_question_or_report_is_no_acknowledgement(text: str) -> None:
    assert "ack" not in read_sms(text, sender="caregiver").intents


@pytest.mark.parametrize("text", ["no me e tomado la pastiya aun", "I ain't took my pill yet"])
def test_round_ten_a_dose_not_taken_spelt_by_ear_is_not_taken(text: str) -> None:
    assert read_sms(text, sender="patient").dose == "not_taken"


@pytest.mark.parametrize(("sender", "text", "dose"), [
    # a dose put off to a plan ("le doy cuando se despierte") is not taken, not a question about dosing
    ("caregiver", "todavia no, esta dormido, le doy cuando se despierte", "not_taken"),
    # a purpose is no dose; where the writer is ("texting me at work") is no dose not taken
    ("caregiver", "ya le marco para que se la tome", "none"), ("patient", "stop texting me at work please", "none"),
    # a count for the day, two without noticing, a double taken
    ("patient", "took my night one at lunch too, thats 2 today", "extra"), ("caregiver", "con esta ya van dos hoy", "extra"),
    ("patient", "ya me he tomado dos sin darme cuenta", "extra"), ("caregiver", "SHE TAKE DOUBLE BY MISTAKE", "extra"),
    ("caregiver", "he took a handful of his pills this afternoon", "extra"), ("caregiver", "se tomo un monton de pastillas", "extra"),
])
def test_round_ten_doses_said_as_people_say_them(sender: str, text: str, dose: str) -> None:
    assert read_sms(text, sender=sender).dose == dose


@pytest.mark.parametrize("text", [
    # a spell doubted as a seizure, not answering during it, then well again: the doubtful seizure (urgent)
    "idk if it was a seizure or what but she stared at nothing and didnt answer me, then was fine",
    "no se si fue un ataque pero se quedo mirando fijo y no me contestaba, luego ya estaba bien",
])
def test_round_ten_a_doubted_spell_over_is_urgent(text: str) -> None:
    reading = read_sms(text, sender="caregiver")
    assert (reading.urgency, reading.forward, "seizure" in reading.doubtful) == ("urgent", True, True)


@pytest.mark.parametrize("text", [
    # the weather again: feeling cold became a symptom this round ("que frio tengo, no me caliento con nada"); a cold
    # or hot day is not one (the retrained net came within 0.001 of alarming on round nine's cold-day sentence)
    "que frio hace afuera, ya prendi la estufa y estamos calientitos", "so cold out today, we stayed in by the fire",
    "un calor insoportable hoy, ya prendi el ventilador",
])
def test_round_ten_the_weather_raises_nothing(text: str) -> None:
    assert read_sms(text, sender="patient").urgency == "none"


@pytest.mark.parametrize("text", [
    # round ten (N): "on the phone w 911", EMTs arrived (the paramedics, as A-G label them: an acknowledgement)
    "on the phone w 911 now", "EMTs just got here", "los EMTs ya llegaron",
])
def test_round_ten_acknowledgements(text: str) -> None:
    assert "ack" in read_sms(text, sender="caregiver").intents


@pytest.mark.parametrize("text", [
    # found by leave-one-batch-out: texts the tables left unplaced, where a net trained without their batch alarmed
    "no drowsiness today, he was out walking the dog", "sin somnolencia, anduvo en el jardin toda la tarde",
    "who is this", "quien es?", "she's sleeping, I don't want to wake her", "esta dormido y no lo quiero despertar",
])
def test_round_ten_a_denial_a_question_or_sleep_let_be_raises_nothing(text: str) -> None:
    assert read_sms(text, sender="caregiver").urgency == "none"


def test_round_ten_drowsiness_named_is_a_symptom() -> None:
    reading = read_sms("some drowsiness since lunch", sender="patient")
    assert (reading.urgency, reading.symptoms.get("drowsiness")) == ("urgent", 5)


# -- round eleven (L = heldout4, P = tuning10; the lead's count of kinds over O-Q) ------------------------------------
# New sentences of our own for each class, each checked failing before its fix.

@pytest.mark.parametrize(("text", "urgency"), [
    # a caregiver's report of trouble with what is being done about it: help sent for, the patient taken in, arriving
    ("he went rigid and started jerking on the kitchen floor, we called 911", "emergency"),
    ("lips going grey and she's gulping for air. ambulance has been called", "emergency"),
    ("no lo puedo despertar, ya marcamos al 911", "emergency"),
    ("se le pusieron los labios morados y casi no respira, la ambulancia ya viene en camino", "emergency"),
    ("she doesn't know who I am or where she is, taking her to the ER now", "emergency"),
    ("esta convulsionando, lo llevamos a urgencias", "emergency"),
    ("Resident found slumped, responds only to pain. EMS activated.", "emergency"),
    ("his legs are jumping nonstop and he's sweaty, I'm here with him now", "urgent"),
    ("ya llegué, está temblando mucho pero me reconoce", "urgent"),
])
def test_round_eleven_a_caregivers_report_with_what_they_are_doing_is_both(text: str, urgency: str) -> None:
    reading = read_sms(text, sender="caregiver")
    assert (reading.urgency, "ack" in reading.intents) == (urgency, True)


@pytest.mark.parametrize("text", [
    "she's seizing, should I call 911?", "he is barely breathing and I haven't called 911 yet",
    "no despierta y no ha llegado la ambulancia", "if she has another seizure do we call 911?",
    "she's seizing right now", "se esta ahogando, que hago",
])
def test_round_eleven_help_asked_about_or_not_yet_sent_for_is_no_acknowledgement(text: str) -> None:
    assert "ack" not in read_sms(text, sender="caregiver").intents


@pytest.mark.parametrize("text", ["checked on dad, he's fine, no shaking, he was just cold",
                                  "Ya lo revisé, está tranquilo y sin temblores", "checked in on her just now, all good"])
def test_round_eleven_having_gone_to_look_is_an_acknowledgement(text: str) -> None:
    reading = read_sms(text, sender="caregiver")
    assert (reading.urgency, "ack" in reading.intents) == ("none", True)


@pytest.mark.parametrize("text", ["has anyone checked on her?", "checked on the pump, reservoir is fine"])
def test_round_eleven_a_look_asked_about_or_at_a_thing_is_no_acknowledgement(text: str) -> None:
    assert "ack" not in read_sms(text, sender="caregiver").intents


@pytest.mark.parametrize(("sign", "text", "sender"), [
    # drowsiness: "isn't waking up", eyes closing on their own in the diminutive, "no me puedo despabilar", asleep standing
    # or with the fork in hand, eyes opened a second and asleep again, "me cuesta mucho despertar"
    ("drowsiness", "the aide says he isn't waking up for his lunch, she's rubbing his arm and nothing", "caregiver"),
    ("drowsiness", "se me cierran los ojitos solos, no sé qué me pasa", "patient"),
    ("drowsiness", "no me puedo despabilar, me estoy cayendo de sueño", "patient"),
    ("drowsiness", "ando durmiéndome sentada y me cuesta mucho despertar", "patient"),
    ("drowsiness", "se quedó dormido con el tenedor en la mano a medio desayuno", "caregiver"),
    ("drowsiness", "dad fell asleep with the fork in his hand, twice", "caregiver"),
    ("drowsiness", "opens his eyes when I shout and then drifts right back to sleep", "caregiver"),
    ("drowsiness", "abre los ojitos un momento y se vuelve a quedar dormida", "caregiver"),
    # confusion: a house or room not known, words that make no sense in the plural, the day lost
    ("confusion", "no conozco este cuarto, quien es usted", "patient"),
    ("confusion", "mi abuelo no conoce esta casa, dice que lo tenemos secuestrado", "caregiver"),
    ("confusion", "he doesn't recognize this house, says it's a hotel", "caregiver"),
    ("confusion", "habla puras cosas que no tienen sentido desde hace rato", "caregiver"),
    ("confusion", "no sé qué día es ni por qué estoy aquí", "patient"),
    # a seizure told in two telegraphic sentences
    ("seizure", "Jerking. Not responding.", "caregiver"),
    ("seizure", "Sacudiéndose. No reacciona.", "caregiver"),
])
def test_round_eleven_a_sign_described_is_an_emergency(sign: str, text: str, sender: str) -> None:
    reading = read_sms(text, sender=sender)  # type: ignore[arg-type]
    assert (reading.urgency, sign in reading.signs) == ("emergency", True)


@pytest.mark.parametrize(("key", "text", "sender"), [
    ("spasms", "ya no aguanto los calambres en las piernas, están pior que nunca", "patient"),
    ("feeling_cold", "tengo escalofríos desde la mañana", "patient"),
    ("feeling_cold", "I've had chills all afternoon, under two blankets", "patient"),
    ("confusion", "a bit foggier than yesterday but she knows us", "caregiver"),
    ("hallucinations", "dice que ve personas en el patio que no están", "caregiver"),
    ("drowsiness", "Lolo is very antok this morning but he answers me", "caregiver"),
])
def test_round_eleven_other_symptoms_are_urgent(key: str, text: str, sender: str) -> None:
    reading = read_sms(text, sender=sender)  # type: ignore[arg-type]
    assert (reading.urgency, key in reading.symptoms) == ("urgent", True)


@pytest.mark.parametrize("text", ["ya no me duelen los espasmos, gracias", "no sé qué día es mi cita con el doctor",
                                  "No shaking. Not answering because she is napping", "I chilled out at home today"])
def test_round_eleven_pain_gone_a_date_asked_or_shaking_denied_raise_nothing(text: str) -> None:
    assert read_sms(text, sender="caregiver").urgency == "none"


def test_round_eleven_not_waking_at_night_is_not_the_drowsiness_sign() -> None:
    # (the safety net may still find the words worth a human's reading: urgent at most)
    assert read_sms("she is not waking up at night anymore, sleeps right through", sender="caregiver").urgency != "emergency"


@pytest.mark.parametrize("text", ["Resident not rousable this AM, pupils small. Calling 911.", "pt non-arousable, RR 8"])
def test_round_eleven_not_rousable_is_the_drowsiness_sign_beside_an_acknowledgement(text: str) -> None:
    reading = read_sms(text, sender="caregiver")
    assert (reading.urgency, "drowsiness" in reading.signs) == ("emergency", True)


@pytest.mark.parametrize("text", ["la neuróloga dijo que si le dan convulsiones lo lleve a urgencias, pero gracias a Dios nada",
                                  "si me dieran convulsiones de noche, quién les avisa?"])
def test_round_eleven_seizures_in_a_plural_conditional_are_no_report(text: str) -> None:
    assert read_sms(text, sender="patient").urgency == "none"


@pytest.mark.parametrize(("dose", "text", "sender"), [
    # taken: given by someone named after the verb, a caregiver's one word, "giving now", "already did", "did my ... one"
    ("taken", "Ya se la dieron sus hijas antes de irse", "caregiver"), ("taken", "Ya. Dado.", "caregiver"),
    ("taken", "giving now", "caregiver"), ("taken", "Already did!! at 8 on the dot", "patient"),
    ("taken", "did my evening one with dinner", "patient"),
    # not taken: refused and to be tried again, "no me la voy a tomar", "no me tome la pastilla", put off ("al rato se la
    # doy"), a nurse's "negative on 0800 dose", pills gone since a weekday, run out on a day with withdrawal signs
    ("not_taken", "she doesn't want it right now, says it tastes bad. we'll try again at 9", "caregiver"),
    ("not_taken", "esta noche no me la voy a tomar, quiero ver si puedo dormir sin ella", "patient"),
    ("not_taken", "ayer no me tomé la pastilla de la noche", "patient"),
    ("not_taken", "al rato se la doy, ahorita está comiendo", "caregiver"),
    ("not_taken", "Negative on 0800 dose, pt NPO for procedure", "caregiver"),
    ("not_taken", "no tengo pastillas desde el martes, la farmacia no las tiene", "patient"),
    ("not_taken", "legs jumping all night and sweating, ran out on Friday", "patient"),
    # extra: a count of three or more, "x2" after the medicine, a week's pills, "y otra mas"
    ("extra", "I think he swallowed five of his pills, he's so sleepy", "caregiver"),
    ("extra", "took four of the tablets last night", "patient"),
    ("extra", "Resident took her noon baclofen x2 per the count", "caregiver"),
    ("extra", "se tomó las pastillas de toda la semana", "caregiver"),
    ("extra", "me tomé la de la noche y otra más, pensé que no la había tomado", "patient"),
    # none: a dose said taken while the pill is still there; run out on a day with no sign; a week's pills dropped;
    # "ver si puedo" is no question about dosing
    ("none", "says she took it but the pill is sitting right there by the sink", "caregiver"),
    ("none", "he swears he took it but the pill box still has today's in it", "caregiver"),
    ("none", "we ran out on sunday", "patient"), ("none", "se me cayeron las de toda la semana al piso, las recogí", "patient"),
])
def test_round_eleven_doses(dose: str, text: str, sender: str) -> None:
    assert read_sms(text, sender=sender).dose == dose  # type: ignore[arg-type]


@pytest.mark.parametrize("text", ["ya no me manden esos recordatorios, gracias", "pls take me off the list, moved to a new pharmacy app",
                                  "sáquenme de la lista por favor"])
def test_round_eleven_requests_to_stop(text: str) -> None:
    assert "stop" in read_sms(text, sender="patient").intents


@pytest.mark.parametrize("text", ["¿Y cómo sigue la tía?", "which one hasn't taken it yet, Mateo or Sofi?",
                                  "can you let me know if she took hers", "did anything get recorded for tonight?",
                                  "ustedes saben si la marcó? no contesta el teléfono"])
def test_round_eleven_status_requests(text: str) -> None:
    assert "status_request" in read_sms(text, sender="caregiver").intents


def test_round_eleven_the_writers_own_not_knowing_someone_is_no_confusion() -> None:
    reading = read_sms("Mr Ruiz took his. Mrs Ana I dont know, her son gave it before my shift", sender="caregiver")
    assert reading.urgency == "none"
    assert read_sms("she doesn't know her own son today", sender="caregiver").urgency == "emergency"


@pytest.mark.parametrize("text", ["lo llamo y lo llamo y no hay caso, no se despierta", "ve niños en la cocina que no hay",
                                  "todo tranquilo, no hay nada raro hoy", "I'm out at my sister's, will take it when I get home"])
def test_round_eleven_no_use_nothing_odd_or_out_somewhere_is_no_supply_problem(text: str) -> None:
    assert read_sms(text, sender="caregiver").supply_problem is None


@pytest.mark.parametrize("text", ["no hay pastillas en la farmacia", "we're out, pharmacy closed till Monday", "i'm out of pills"])
def test_round_eleven_pills_out_is_still_a_supply_problem(text: str) -> None:
    assert read_sms(text, sender="patient").supply_problem is not None


# A symptom said, then asked about after a comma: the statement is reported (urgent, to the caregivers), and
# "normal" asked about is no reassurance. Found by the reader's code mutants' notes (a caregiver's "drooling and
# mumbling, is that normal?" read as all well); K1-017 was this class.
@pytest.mark.parametrize(("sender", "text"), [
    ("patient", "my legs keep twitching, is that normal?"),
    ("caregiver", "his hands are trembling nonstop, is this normal?"),
    ("patient", "me tiembla mucho la mano, es normal?"),
    ("caregiver", "tiene sacudidas en los brazos, eso es malo?"),
])
def test_a_symptom_said_then_asked_about_after_a_comma_is_reported(sender: str, text: str) -> None:
    reading = read_sms(text, sender=sender)
    assert reading.urgency == "urgent" and reading.forward
    assert "symptom_report" in reading.intents and "all_well" not in reading.intents


@pytest.mark.parametrize(("sender", "text"), [
    ("patient", "is it normal to feel sleepy on baclofen?"),
    ("caregiver", "no seizures all week, is that normal?"),
])
def test_asking_whether_something_is_normal_reports_nothing_by_itself(sender: str, text: str) -> None:
    assert read_sms(text, sender=sender).urgency == "none"


def test_an_unresponsive_person_is_the_drowsiness_sign_not_a_second_symptom() -> None:
    # The sign tables decide the emergency-level readings; the symptom reader's own "unresponsive"
    # (10) is not recorded beside the sign. Found by the reader's code mutants (docs/mutation-testing.md).
    reading = read_sms("he is unresponsive", sender="caregiver")
    assert (reading.urgency, reading.signs, reading.symptoms) == ("emergency", ("drowsiness",), {"drowsiness": 9})


@pytest.mark.parametrize(("sender", "text", "intent"), [
    ("patient", "I'm out, ok?", "supply_problem"),
    ("patient", "ya me la tome, verdad?", "dose_report"),
    ("caregiver", "on my way, ok?", "ack"),
])
def test_a_statement_before_a_tag_question_is_read_whole(sender: str, text: str, intent: str) -> None:
    # ", ok?" / ", verdad?" ends the statement: its last word is read as written. Found by the reader's
    # code mutants (docs/mutation-testing.md): gluing letters to that word went unnoticed.
    assert {intent, "question"} <= read_sms(text, sender=sender).intents


@pytest.mark.parametrize("keyword", ["stop", "start", "help"])
def test_a_keyword_is_read_as_itself_alone_with_the_parsers_reply(keyword: str) -> None:
    # STOP / START / HELP: the carrier keywords, read before anything else. Found by the reader's code
    # mutants (docs/mutation-testing.md): START read as a text, HELP's intent misnamed and the reply
    # dropped all went unnoticed.
    reading = read_sms(keyword.upper(), sender="patient")
    assert (reading.urgency, reading.dose, reading.intents, reading.confident) == ("none", "none", {keyword}, True)
    assert reading.reply is not None and reading.reply.intent == keyword


def test_a_text_only_the_tables_place_is_confident() -> None:
    # The older parser reads nothing here ("unknown"); the tables read a dose given: that is placed.
    # Found by the reader's code mutants: confidence from the parser alone went unnoticed.
    reading = read_sms("el de las 8 ya se lo di", sender="caregiver")
    assert (reading.reply.intent, reading.dose, reading.confident) == ("unknown", "taken", True)


@pytest.mark.parametrize(("text", "symptoms"), [
    ("something like a seizure earlier", {}),  # in the forwarded words, not recorded as a seizure
    ("not sure but she might be having trouble breathing", {"breathing_difficulty": 5}),
])
def test_a_doubtful_sign_is_recorded_at_five_except_a_seizure(text: str, symptoms: dict[str, int]) -> None:
    # Found by the reader's code mutants (docs/mutation-testing.md): recording a doubtful seizure, or
    # a doubtful sign at 6, went unnoticed.
    reading = read_sms(text, sender="caregiver")
    assert (reading.urgency, reading.signs, reading.symptoms) == ("urgent", (), symptoms)


@pytest.mark.parametrize(("sender", "intents"), [("patient", {"question"}), ("caregiver", {"status_request"})])
def test_status_from_a_patient_is_a_question_from_a_caregiver_a_status_request(sender: str, intents: set[str]) -> None:
    # Found by the reader's code mutants (docs/mutation-testing.md): swapping who asks went unnoticed.
    assert read_sms("STATUS", sender=sender).intents == intents


@pytest.mark.parametrize("text", ["my spasms are much worse today", "i have a fever"])
def test_a_symptom_without_a_sign_is_a_symptom_report(text: str) -> None:
    # Found by the reader's code mutants (docs/mutation-testing.md): reporting a symptom only beside
    # a certain sign went unnoticed (the urgency still came from the symptom).
    reading = read_sms(text, sender="patient")
    assert (reading.urgency, reading.intents, reading.confident) == ("urgent", {"symptom_report"}, True)


def test_very_drowsy_after_an_extra_dose_is_recorded_as_the_drowsiness_sign() -> None:
    # Sedation after too much baclofen: the drowsiness sign, recorded at its sign level. Found by the
    # reader's code mutants (docs/mutation-testing.md): recording it under a wrong key went unnoticed.
    reading = read_sms("took an extra one, very drowsy", sender="patient")
    assert (reading.urgency, reading.dose, reading.signs, reading.symptoms) == \
        ("emergency", "extra", ("drowsiness",), {"drowsiness": 9})


def test_a_sign_said_to_leave_the_person_functioning_is_doubtful_not_dropped() -> None:
    # Found by the reader's code mutants (docs/mutation-testing.md): dropping the sign instead of
    # doubting it went unnoticed (the symptom still made it urgent).
    reading = read_sms("cant keep my eyes open but i can still function", sender="patient")
    assert (reading.urgency, reading.signs, reading.doubtful) == ("urgent", (), ("drowsiness",))


def test_a_bare_number_carries_its_value() -> None:
    # The inbound service records a bare number as the answer to a check-in question
    # (``reading.number``). Found by the reader's code mutants (docs/mutation-testing.md): dropping the
    # value went unnoticed by the reader's tests.
    reading = read_sms("7", sender="patient")
    assert (reading.intents, reading.dose, reading.number) == ({"number"}, "none", 7)


# Round eleven's table-drop run (rules alone, every third mutant) left these phrases unnamed: dropping any of them
# changed no test's outcome. Each sentence below is read by that phrase alone (checked by dropping it), so each
# test names it. The emergency signs first: clinical shorthand for slow breathing and a response to pain only,
# "where am I" and "who are you" said, not asked of the service.
@pytest.mark.parametrize(("sender", "text", "sign"), [
    ("caregiver", "resp is 7", "breathing"),  # SIGN_PHRASES[breathing]: rr/resp N
    ("caregiver", "FR de 8, no despierta bien", "breathing"),  # [breathing] undeniable: rr/fr de N
    ("caregiver", "he reacts to pain only", "drowsiness"),  # [drowsiness] undeniable: reacts/arousable to pain
    ("caregiver", "arousable to pain", "drowsiness"),
    ("patient", "ayuda donde estoy", "confusion"),  # [confusion] undeniable: "donde estoy" at the end
    ("caregiver", "asked us who we are", "confusion"),  # [confusion] undeniable: asks me/us who I am / you
    ("caregiver", "dad asks me who you", "confusion"),
])
def test_round_eleven_table_drop_signs_each_named(sender: str, text: str, sign: str) -> None:
    reading = read_sms(text, sender=sender)
    assert reading.urgency == "emergency" and sign in reading.signs


@pytest.mark.parametrize(("sender", "text", "field", "value"), [
    ("caregiver", "hoy no le dimos nada", "dose", "not_taken"),  # NOT_TAKEN: no le dimos
    ("patient", "extra 20mg by mistake", "dose", "extra"),  # EXTRA: extra N mg
    ("caregiver", "i understand", "intent", "ack"),  # ACK: i understand
    ("caregiver", "denies pain, denies dizziness", "intent", "all_well"),  # WELL: denies
    ("caregiver", "awake and chatting", "intent", "all_well"),  # WELL: awake and
    ("patient", "esperando que el doctor autorice", "intent", "supply_problem"),  # SUPPLY[no_refill]: esperando
    ("patient", "sobrang antukin siya", "urgency", "urgent"),  # symptom_text[drowsiness]: antukin (Taglish)
    ("patient", "no me caliento con nada", "urgency", "urgent"),  # symptom_text[feeling_cold]
    ("caregiver", "tiene las manos fria fria", "urgency", "urgent"),  # symptom_text[feeling_cold]: fria fria
])
def test_round_eleven_table_drop_phrases_each_named(sender: str, text: str, field: str, value: str) -> None:
    reading = read_sms(text, sender=sender)
    got = value in reading.intents if field == "intent" else getattr(reading, field) == value
    assert got, (field, value, reading.urgency, reading.dose, sorted(reading.intents))


# A question that takes the state as given ("why does he keep jerking?", "por que anda tan temblorosa?") reports it:
# the body in trouble is not denied, so it is at least urgent and reaches the caregivers. Before, the question
# clause reported nothing (a caregiver's "why is she so sleepy today?" was silence).
@pytest.mark.parametrize(("text", "symptom"), [
    ("why does he keep jerking his legs?", "myoclonus"),
    ("why is she so sleepy today?", "drowsiness"),
    ("por que anda tan temblorosa?", "tremor"),
])
def test_a_why_question_about_a_state_reports_the_state(text: str, symptom: str) -> None:
    reading = read_sms(text, sender="caregiver")
    assert reading.urgency == "urgent" and reading.forward and symptom in reading.symptoms


def test_a_why_question_about_a_harmless_state_reports_nothing() -> None:
    assert read_sms("why is he so happy today lol", sender="caregiver").urgency == "none"


# -- round twelve: urgency and signs, by class (sentences of our own, each checked failing on ea65b94 first) -------------

@pytest.mark.parametrize(("sign", "text", "sender"), [
    # drowsiness: the eyes opened a moment and gone again, however the opening is put; a sleeper who "won't" wake;
    # asleep twice in the middle of something; Vietnamese "goi khong day" (called, does not get up)
    ("drowsiness", "I yell her name, she barely opens her eyes and then she's out again", "caregiver"),
    ("drowsiness", "le grito y apenas abre un ojo y se vuelve a dormir", "caregiver"),
    ("drowsiness", "mi esposo no quiere despertar, lo muevo y nada", "caregiver"),
    ("drowsiness", "grandpa fell asleep twice while eating his soup tonight", "caregiver"),
    ("drowsiness", "Me ngủ suốt, gọi không dậy, help", "caregiver"),
    ("drowsiness", "Granny cyaan wake up good, she sleep sleep all day", "caregiver"),
    # breathing: air hunger as effort, said plainly; a count in a full minute; the base verb said slow
    ("breathing", "I'm struggling getting air in, I have to sit bolt up to breathe", "patient"),
    ("breathing", "tengo que sentarme derecha para poder respirar", "patient"),
    ("breathing", "está haciendo un esfuerzo para respirar y se le marcan las costillas", "caregiver"),
    ("breathing", "his breaths are maybe 6 in a whole minute", "caregiver"),
    ("breathing", "he breathe real slow, like him forget", "caregiver"),
    ("breathing", "respira flojito flojito, casi dormida", "caregiver"),
    ("breathing", "mi abuela tiene los labios moraos, mu rara", "caregiver"),
    ("breathing", "es como si se le olvidara respirar por ratos", "caregiver"),
    # confusion: not knowing they are at home; the dead asked for; family not known, said bare; the writer taken for a
    # sibling; speech called incoherent after a negated clause; Andalusian "sentio", Jamaican "nuh know mi"
    ("confusion", "he doesn't know he's in his own home, keeps asking to leave", "caregiver"),
    ("confusion", "mi mamá no sabe que está en su casa, quiere irse", "caregiver"),
    ("confusion", "Dad keeps asking for Uncle Joe, who is dead", "caregiver"),
    ("confusion", "está platicando con mi abuelo que ya murió", "caregiver"),
    ("confusion", "pt does not recognize husband, not following, speech incoherent", "caregiver"),
    ("confusion", "mi tía ya no conoce a nadie en la casa", "caregiver"),
    ("confusion", "mom says I'm her sister and wants to go to school", "caregiver"),
    ("confusion", "dice que yo soy su papá, y yo soy su hijo", "caregiver"),
    ("confusion", "lo que dice no tiene sentío ninguno", "caregiver"),
    ("confusion", "Mama nuh know mi this morning", "caregiver"),
    ("confusion", "Him ask mi who mi is three times", "caregiver"),
    ("confusion", "pt A&Ox0 this AM", "caregiver"),
    # seizure: the eyes going up in the progressive
    ("seizure", "se le están volteando los ojos hacia arriba y está tieso", "caregiver"),
    # a seizure over and the person still dazed: "bien" is "very", not "fine"
    ("seizure", "le dio una convulsión hace rato, ya paró pero está bien atarantado", "caregiver"),
    ("drowsiness", "took a couple extra since I couldn't recall if I had taken any, and now I keep nodding off", "patient"),
])
def test_round_twelve_a_sign_described_is_an_emergency(sign: str, text: str, sender: str) -> None:
    reading = read_sms(text, sender=sender)  # type: ignore[arg-type]
    assert (reading.urgency, sign in reading.signs) == ("emergency", True)


@pytest.mark.parametrize(("text", "sender"), [
    # the baseline said as usual is no complaint: English and Spanish, patient and caregiver
    ("all good, stiffness same as always", "patient"),
    ("no falls, no fits. the usual spasms in the evening", "patient"),
    ("legs stiff like usual but otherwise a good day", "patient"),
    ("con los calambres de siempre en las noches", "patient"),
    ("está bien, con la rigidez de siempre", "caregiver"),
    ("her spasms are about the same, nothing new", "caregiver"),
    # a Spanish progressive or a return denied
    ("no está convulsionando, solo dormida", "caregiver"),
    ("no le han vuelto a dar convulsiones desde que le subieron", "caregiver"),
    # a sign in a Spanish conditional of return
    ("si le vuelven a dar convulsiones, ¿la llevo a urgencias?", "caregiver"),
    ("and if it happens again, the seizure I mean, do I call you?", "caregiver"),
    # a phone not answered by someone elsewhere, or asked about a dose
    ("did Joan take her evening pill? she doesn't answer me, I'm at work", "caregiver"),
    ("¿ya se tomó la pastilla mi mamá? no me contesta", "caregiver"),
    # telling, not silence; a warning reported; a look planned
    ("what seizure? he didn't say anything to me about it", "caregiver"),
    ("the pharmacist warned me about drowsiness when I picked it up.", "patient"),
    ("ok, will stop by at 3 to check on the spasms", "caregiver"),
    # a symptom settled
    ("checked on him, the shaking settled down and he's eating", "caregiver"),
    # a side effect in Jamaican English
    ("She nah tek it, seh it mek her sleepy", "caregiver"),
])
def test_round_twelve_denials_questions_and_the_usual_raise_nothing(text: str, sender: str) -> None:
    assert read_sms(text, sender=sender).urgency == "none"  # type: ignore[arg-type]


# The weather is no symptom, in both languages (the net, retrained with O-T, whose cold rows are chills, came within a
# hair of round nine's cold day; these teach it the weather's words)
@pytest.mark.parametrize("text", [
    "qué frío hace afuera hoy, me puse dos suéteres y ya", "está helando en la calle, mejor no salgo",
    "hace un frío tremendo esta mañana, gracias a Dios hay calefacción", "hizo mucho frío anoche en el rancho",
    "cold snap out here, wearing two jackets", "freezing weather today, staying in with tea",
])
def test_round_twelve_the_weather_raises_nothing(text: str) -> None:
    assert read_sms(text, sender="patient").urgency == "none"


# (guards for the baseline class: these read right before it, and must still)
@pytest.mark.parametrize(("text", "sender"), [
    ("spasms worse than usual today", "patient"), ("los calambres más fuertes que de costumbre", "patient"),
    ("the usual stiffness but way more than normal this week", "caregiver"),
])
def test_round_twelve_more_than_usual_is_still_a_complaint(text: str, sender: str) -> None:
    assert read_sms(text, sender=sender).urgency == "urgent"  # type: ignore[arg-type]


@pytest.mark.parametrize(("text", "sender"), [
    # doubt said the way people say it: "dont know if", "isn't sure", "was that a seizure?", back "como si nada"
    ("dont know if that was a seizure, he stared off for a bit and didn't respond", "caregiver"),
    ("the bus driver isn't sure it was a seizure, she blanked out and shook a little", "caregiver"),
    ("se quedó mirando fijo unos segundos y regresó como si nada. ¿será una convulsión?", "caregiver"),
    ("se quedó ida un momento y siguió como si nada, ¿eso fue una convulsión?", "caregiver"),
])
def test_round_twelve_a_doubted_spell_is_urgent(text: str, sender: str) -> None:
    reading = read_sms(text, sender=sender)  # type: ignore[arg-type]
    assert (reading.urgency, "seizure" in reading.doubtful) == ("urgent", True)


@pytest.mark.parametrize(("key", "text", "sender"), [
    ("feeling_cold", "tiene frío y no se le quita con nada", "caregiver"),
    ("fast_heart_rate", "siento el corazón super acelerado", "patient"),
    ("fast_heart_rate", "my heart is real racing since lunch", "patient"),
    ("low_blood_pressure", "kinda swimmy headed when I stand up", "patient"),
    ("low_blood_pressure", "Lola is nahihilo since morning", "caregiver"),
    ("spasms", "his clonus is going crazy, much worse today", "caregiver"),
    ("tremor", "my arms have this trimmer going on since I stopped the baclofen", "patient"),
    ("twitching", "legs jumpin all night", "patient"),
    ("hallucinations", "she sees a dog in the hallway that isn't ours", "caregiver"),
    ("twitching", "ya no me quedan pastillas y se me brincan las piernas", "patient"),
    ("drowsiness", "tired. way more than normal.", "caregiver"), ("drowsiness", "cansada. más de lo normal.", "patient"),
    ("drowsiness", "me sleep much today, wake little", "patient"),
])
def test_round_twelve_other_symptoms_are_urgent(key: str, text: str, sender: str) -> None:
    reading = read_sms(text, sender=sender)  # type: ignore[arg-type]
    assert (reading.urgency, key in reading.symptoms) == ("urgent", True)


# A body not responding, said in the progressive ("she isn't responding", "no esta reaccionando"), even beside a question
# (a question about taking her somewhere is no question about a dose: the phone class above does not apply)
@pytest.mark.parametrize("text", ["should I take her to the ER? she isn't responding", "¿la llevo al hospital? no está respondiendo",
                                  "mi papá no está reaccionando, ¿qué hago?", "did she take her pill? she won't answer me and she's slumped over"])
def test_round_twelve_a_body_not_responding_beside_a_question_is_still_an_emergency(text: str) -> None:
    assert read_sms(text, sender="caregiver").urgency == "emergency"


# (guards for the new confusion phrases: the dead named, a home named, with no one confused)
@pytest.mark.parametrize("text", ["my aunt who passed away in 2010 also took baclofen, is it safe?",
                                  "I was talking to mom about grandpa who died last year, she's doing fine",
                                  "the nurse said he doesn't know she's in hospice care, is that ok"])
def test_round_twelve_the_dead_or_a_home_named_without_confusion_raise_no_emergency(text: str) -> None:
    assert read_sms(text, sender="caregiver").urgency != "emergency"


# Round twelve: O (heldout5), Q (heldout6), S (tuning11), T (tuning12) tuned on. The rows whose urgency or emergency sign is
# still read otherwise than labelled, and why. None since the two engineers' work was merged: the last one (Q2-038, urgent
# because an emptied pill-box slot read as a second dose) went with the dose reading. The dose, acknowledgement, status,
# stop and supply rows are ``ROUND12_DOSE_DISAGREEMENTS``; the two tests together judge every row whole.
ROUND12_SIGN_DISAGREEMENTS: dict[str, str] = {}
ROUND12_BATCHES = ("heldout5.jsonl", "heldout6.jsonl", "tuning11.jsonl", "tuning12.jsonl")


@pytest.mark.parametrize("row", [r for batch in ROUND12_BATCHES for r in _batch_rows(batch, ROUND12_SIGN_DISAGREEMENTS)])
def test_each_round_twelve_reply_reads_its_urgency_as_labelled(row: dict) -> None:
    _, wrong = judge(row, _read_now(row["text"], row["sender"], row.get("context")))
    assert not [w for w in wrong if w.startswith("urgency")], wrong

# -- round twelve (issue 10): doses and the intents the service acts on ------------------------------------------------
# Sentences of our own for each class seen in O, Q, S and T (not the batches' words), both languages, both voices.

@pytest.mark.parametrize(("text", "sender"), [
    ("le tomamos la temperatura y tiene 37 nada más", "caregiver"), ("me tomé la presión hace rato y salió bien", "patient"),
    ("took her sats, 96%", "caregiver"), ("the medics took him to St Mary's", "caregiver"), ("paramedics took her in", "caregiver"),
    ("handoff given to the night nurse", "caregiver"), ("consent given for transport", "caregiver"),
    ("his arms done started jerking again", "caregiver"), ("Listo, ya salgo para allá", "caregiver"),
    ("listo, estamos con ella y llamamos al 911", "caregiver"),
])
def test_round_twelve_a_measurement_a_person_taken_or_a_word_for_something_else_is_no_dose(text: str, sender: str) -> None:
    assert read_sms(text, sender=sender).dose == "none"  # type: ignore[arg-type]


@pytest.mark.parametrize(("text", "sender", "dose"), [
    ("took them at 9", "patient", "taken"), ("listo", "patient", "taken"), ("done", "patient", "taken"),
    ("she took her pills with lunch", "caregiver", "taken"), ("ya se la di, listo", "caregiver", "taken"),
])
def test_round_twelve_doses_still_read_beside_those_words(text: str, sender: str, dose: str) -> None:
    assert read_sms(text, sender=sender).dose == dose  # type: ignore[arg-type]


@pytest.mark.parametrize(("text", "sender", "dose"), [
    ("my son had to ring the bell twice, I was in the garden", "patient", "none"),
    ("the Wednesday evening slot in his pill organizer is empty and he says he had it", "caregiver", "taken"),
    ("think she got her night dose twice, the aide and me", "caregiver", "extra"),
])
def test_round_twelve_twice_or_an_empty_slot_said_of_something_else_is_no_extra_dose(text: str, sender: str, dose: str) -> None:
    reading = read_sms(text, sender=sender)  # type: ignore[arg-type]
    assert reading.dose == dose
    if dose != "extra":
        assert reading.urgency == "none"


@pytest.mark.parametrize(("text", "sender"), [
    ("se la di a las 10, se me pasó la hora por estar en el trabajo", "caregiver"), ("gave it at 9, forgot to log it", "caregiver"),
    ("I forget text back. mother take pill 20 minute ago", "caregiver"), ("ya me la tomé, se me olvidó marcarla", "patient"),
    ("Sí se la dimos, nomás que no le di al botón de la app", "caregiver"), ("took it, just forgot to press the button", "patient"),
])
def test_round_twelve_forgetting_to_record_it_or_being_late_is_a_dose_taken(text: str, sender: str) -> None:
    assert read_sms(text, sender=sender).dose == "taken"  # type: ignore[arg-type]


@pytest.mark.parametrize(("text", "sender", "dose"), [
    ("se me pasó la hora de la pastilla y no me la tomé", "patient", "not_taken"),
    ("forgot my evening one", "patient", "not_taken"),
    ("ya se me pasó el temblor, estoy tranquila", "patient", "none"),
    ("no me he sentido dormida ni rara", "patient", "none"),
    ("Aint had no more of them seizures since spring. doing fine", "patient", "none"),
    ("i ain't took it yet", "patient", "not_taken"),
])
def test_round_twelve_a_time_gone_by_or_a_spell_over_is_no_dose_missed(text: str, sender: str, dose: str) -> None:
    assert read_sms(text, sender=sender).dose == dose  # type: ignore[arg-type]


@pytest.mark.parametrize(("text", "sender"), [
    ("ya se la he dao, a las diez", "caregiver"), ("me la he tomao con el café", "patient"),
    ("mi hermano le dio la pastilla a papá a las 8", "caregiver"), ("ya le dimos su medicina", "caregiver"),
    ("she did take her noon one, I watched", "caregiver"), ("Ruth got hers at noon", "caregiver"),
    ("Miss Ivy tek her evening one", "caregiver"), ("10mg down", "patient"), ("Confirmed 10mg at 9:02", "patient"),
])
def test_round_twelve_a_dose_given_said_in_dialect_or_by_a_third_person(text: str, sender: str) -> None:
    assert read_sms(text, sender=sender).dose == "taken"  # type: ignore[arg-type]


@pytest.mark.parametrize(("text", "sender"), [
    ("se tomó el frasco entero", "caregiver"), ("he swallowed the whole bottle", "caregiver"),
    ("se tomó todas las pastillas que quedaban", "caregiver"), ("me he tomao dos sin querer", "patient"),
])
def test_round_twelve_the_whole_bottle_or_two_by_mistake_is_an_extra_dose(text: str, sender: str) -> None:
    assert read_sms(text, sender=sender).dose == "extra"  # type: ignore[arg-type]


@pytest.mark.parametrize(("text", "sender", "dose"), [
    ("he stopped it cold turkey on sunday and now he's sweating and shaky", "caregiver", "not_taken"),
    ("quit taking them cold turkey last week, my legs are killing me", "patient", "not_taken"),
    ("dejé las pastillas hace cuatro días y ahora tiemblo mucho", "patient", "not_taken"),
    ("mi papá dejó la pastilla el lunes, dice que lo atonta", "caregiver", "not_taken"),
    ("she's been without her meds since Thursday, pharmacy mixup", "caregiver", "not_taken"),
    ("lleva sin su medicina desde el domingo", "caregiver", "not_taken"),
    ("my husband says he missed yesterday's dose", "caregiver", "not_taken"),
    ("mi abuela no se la quiere tomar hoy", "caregiver", "not_taken"),
    ("Neither of us gave him the evening one, we each thought the other had", "caregiver", "not_taken"),
    ("jerky legs all week since I run out friday", "patient", "not_taken"),
    ("ya no tengo mis pastillas desde el martes", "patient", "not_taken"),
    # not done, and not a dose: a plan asked about, a pharmacy that will not give them
    ("my daughter wants me to quit it cold turkey, is that safe?", "patient", "none"),
    ("la farmacia no me la quiere dar sin receta nueva", "patient", "none"),
])
def test_round_twelve_stopped_on_their_own_or_gone_without_is_a_dose_not_taken(text: str, sender: str, dose: str) -> None:
    assert read_sms(text, sender=sender).dose == dose  # type: ignore[arg-type]


@pytest.mark.parametrize(("text", "dose"), [
    ("gave it to him at 8. what's the status?", "taken"), ("ya se la di a las 8. ¿cómo sigue?", "taken"),
    ("Rosa took hers at noon. did Mario's register yet?", "taken"), ("she skipped tonight's. any update on her?", "not_taken"),
    ("no se la ha tomado todavía, ¿alguna novedad?", "not_taken"),
    # asked, or only a circumstance beside the request: no dose
    ("did dad take it or not? im stuck at work", "none"), ("how's mom doing? I'm still at work", "none"),
    ("¿ya se la tomó? estoy trabajando", "none"),
])
def test_round_twelve_a_dose_stated_in_its_own_clause_beside_a_status_request_is_recorded(text: str, dose: str) -> None:
    reading = read_sms(text, sender="caregiver")
    assert "status_request" in reading.intents
    assert reading.dose == dose


@pytest.mark.parametrize("text", [
    "Did he get his noon one or not", "Did she not take it??", "has the 9pm registered?", "can you tell me if her dad logged it?",
    "¿Mi tía tomó la de la noche?", "¿Le dieron la de la tarde en la escuela?", "¿alguna novedad de mi papá?", "any news on her?",
])
def test_round_twelve_status_requests(text: str) -> None:
    assert "status_request" in read_sms(text, sender="caregiver").intents


@pytest.mark.parametrize("text", ["does she have to take it with food?", "do I have to give it with dinner?"])
def test_round_twelve_how_to_take_it_is_no_status_request(text: str) -> None:
    assert "status_request" not in read_sms(text, sender="caregiver").intents


@pytest.mark.parametrize(("text", "sender"), [
    ("QUIT TEXTING ME", "patient"), ("quit sending these please", "patient"), ("pls stop the bedtime reminders", "caregiver"),
    ("please remove my number, I moved", "caregiver"), ("Quitadme de la lista, gracias", "patient"),
    ("bórrame de esto por favor", "patient"),
])
def test_round_twelve_requests_to_stop(text: str, sender: str) -> None:
    assert "stop" in read_sms(text, sender=sender).intents  # type: ignore[arg-type]


@pytest.mark.parametrize(("text", "sender"), [
    ("the neurologist wants him off it. can we stop it tomorrow or taper?", "caregiver"),
    ("dice que ya no la necesita, que ya se siente bien", "caregiver"),
])
def test_round_twelve_stopping_the_medicine_is_no_request_to_stop_the_texts(text: str, sender: str) -> None:
    assert "stop" not in read_sms(text, sender=sender).intents  # type: ignore[arg-type]


@pytest.mark.parametrize(("text", "sender", "dose"), [
    ("forgot my lunch one, should I take it now or wait till dinner?", "patient", "not_taken"),
    ("se me olvidó la de la tarde, ¿me la tomo ahorita o espero?", "patient", "not_taken"),
    ("no le he dado la de la noche porque ya se durmió, ¿se la doy mañana temprano?", "caregiver", "not_taken"),
    ("he threw it up, should I give him another one?", "caregiver", "not_taken"),
    # supposed, doubted or a doubling up asked about: the question alone
    ("if I forget one should I take it when I remember?", "patient", "none"),
    ("si se le olvida una, ¿se la doy con la cena?", "caregiver", "none"),
    ("she swears she didn't take it. should I give it?", "caregiver", "none"),
    ("missed this morning's, can I take two tonight?", "patient", "none"),
])
def test_round_twelve_a_miss_said_then_asked_about_is_a_dose_not_taken(text: str, sender: str, dose: str) -> None:
    reading = read_sms(text, sender=sender)  # type: ignore[arg-type]
    assert reading.dose == dose
    assert "question" in reading.intents


@pytest.mark.parametrize("text", [
    "he's jerking all over on the bed, 911 is on the line with me", "no respira bien, no para, ya llamé 911",
    "está tiesa y no me contesta ya marqué al 911", "no despierta, ya viene la ambulancia", "no reacciona. Ya hemos llamao al 112",
    "she's shaky and confused but knows me, I'm here with her now",
    "temblando mucho pero me habla bien, ya estoy con él", "Estou com ele, he is shaking a lot", "shaky and sweaty, driving over now",
    "legs spasming bad since he ran out, I'm on it", "heart racing and shaky, taking her to urgent care",
])
def test_round_twelve_a_caregiver_with_the_patient_or_help_on_its_way_acknowledges(text: str) -> None:
    reading = read_sms(text, sender="caregiver")
    assert "ack" in reading.intents
    assert reading.urgency != "none"


@pytest.mark.parametrize("text", ["Acknowledged.", "sí fui a verla, está bien", "ahorita le pregunto", "ill ask her when she's up",
                                  "On mi way", "Mi reach, she good",
                                  "estamos en urgencias con ella, ya la están atendiendo"])
def test_round_twelve_acknowledgements_in_other_words(text: str) -> None:
    assert "ack" in read_sms(text, sender="caregiver").intents


@pytest.mark.parametrize("text", ["She took it at 8, I seen her do it", "his noon dose was given late, he was coming back from gym",
                                  "no me contesta y no ha venido la ambulancia"])
def test_round_twelve_no_acknowledgement_read_into_a_report(text: str) -> None:
    assert "ack" not in read_sms(text, sender="caregiver").intents


@pytest.mark.parametrize(("text", "sender"), [
    ("if I take it an hour late is that a problem", "patient"), ("what if I skip it one night", "patient"),
    ("she has a hard time falling asleep at night, could that be the baclofen", "caregiver"),
])
def test_round_twelve_a_miss_supposed_or_sleep_talked_about_is_no_dose(text: str, sender: str) -> None:
    assert read_sms(text, sender=sender).dose == "none"  # type: ignore[arg-type]


# Round twelve: the rows of O, Q, S and T whose dose or acted-on intents (ack, stop, supply problem, status request) are
# still read otherwise than labelled, each with its reason (the sign and urgency rows are the other engineer's dict).
_R12_CHECKED_ON = ("'checked on her' opening a report of what was found: round eleven reads the report (N2-133's call); this "
                   "writer labels an acknowledgement too")
_R12_CAREGIVER_PLAN = "a caregiver's plan or call to a clinician read against the label (round three's ack words; as P's rows)"
_R12_ASLEEP = "'asleep'/'dormida' in a drowsiness report also read as the circumstance of a dose not taken"
_R12_FALLBACK = ("the whole-text reply parser's 'not taken' (a bare 'nope', 'forgot') used where the dose tables find "
                 "nothing: a denial of a symptom or a joke read as a dose not taken")
ROUND12_DOSE_DISAGREEMENTS = {
    "O1-005": "'ill wake her up and make her take it': a plan about the dose, labelled an acknowledgement",
    "O1-017": "'se la estoy dando ya mismo' after a missed-dose alert: the dose, labelled an acknowledgement too",
    "O1-057": "'I DONT WANT IT' after 'QUIT SENDING ME THESE' (the texts) read as a dose refused",
    "O1-090": "'not sure if she took it ... ill ask when she gets back': 'when she gets' read as a dose put off",
    "O2-013": "two givers in two clauses ('I gave Owen his 7am dose AND his dad gave it'): the second 'gave it' is read as "
              "taken, not extra; 'Ok so apparently' read as an acknowledgement",
    "O2-039": "dictation ('Three period he got it at for thirty' = 3:00, got it at 4:30): placed nowhere; 'ok' nowhere either",
    "O2-043": "'no clue if he got it. I dropped him at his dad's': 'dropped him' placed as nothing, an ack word read",
    "O2-099": "'Ya la revise' (round eleven: having gone to look acknowledges); O labels none",
    "O2-113": "'I think doses got skipped' (a guess) read as a dose not taken; O labels none",
    "Q1-028": "'voy a contar las pills when I get there' read as a dose put off",
    "Q1-029": "Andalusian 'Tomá, pisha' (tomada) with a time: placed nowhere",
    "Q1-037": "'is he ok???' after an emergency described is a status request here; Q labels the report (S2-017 labels one)",
    "Q1-067": _R12_CAREGIVER_PLAN + " ('I'll recheck orthostatics at lunch')",
    "Q1-077": _R12_CHECKED_ON,
    "Q1-090": "'I texted his dad to check' (about the other child) labelled an acknowledgement",
    "Q1-112": "a nurse 'Holding her next dose until I talk to Dr.' read as a dose held (J's call); Q labels none and an ack",
    "Q1-115": "'Took two back lofen cause I wasn't sure': two taken read as taken (two can be the prescribed count)",
    "Q1-128": "'checked on her, no shaking no fever' (round eleven: having gone to look acknowledges); Q labels none",
    "Q2-065": "'Knocked, no answer ... Going in with the key' (the writer arriving) is in no table, and the learned net reads no "
              "acknowledgement beside a negation (round fourteen: 'nobody on w/ 911 yet')",
    "Q2-066": "one of the spouse's pills taken, asked about ('son las mismas verdad?'): the question makes it no dose",
    "Q2-074": "a miss, then a doubling-up asked ('¿me la tomo ya en la noche junto con la otra?'): the issue's 'should I double "
              "up?' rule (and B126) keeps the question alone; Q, S, M, N label the miss",
    "S1-011": "same as Q2-074 ('can i just take 2 now?')", "S2-028": "same as Q2-074 ('¿me tomo las dos ahorita juntas?')",
    "Q2-125": "pills knocked under the bed by the dog ('el perro tiró el frasco') not read as a supply problem",
    "S1-025": "'swears she took it but the pill is still sitting ... so no she didn't': the pill still there records nothing "
              "(round eleven); S labels not taken",
    "S1-048": "'yo le digo la EPS' read as an acknowledgement ('le digo')",
    "S1-079": _R12_FALLBACK + " ('if i take it at 8:45 instead of 8 ...')",
    "S1-131": _R12_FALLBACK + " ('Nope no dizziness today')", "S2-014": _R12_FALLBACK + " ('i almost forgot i have ...')",
    "S1-127": _R12_ASLEEP + " ('me quedé dormida dos veces hablando')",
    "S2-017": "'On my way ... Is he ok??': an acknowledgement is never also a status request (the service acts on the ack)",
    "S2-026": _R12_CAREGIVER_PLAN + " ('I called the pump clinic')",
    "S2-046": "a pump refill late, asked about: the supply problem is read in the question; S labels the question alone",
    "S2-091": "'Se le vació la bomba' (the pump ran empty) not read as a supply problem",
    "S2-111": "'What tremors? ... How bad is it?' is a question about the alert, labelled a status request",
    "S2-121": "'ahorita voy a la farmacia' read as an acknowledgement ('voy')",
    "S2-132": "'No tengo pastillas, estoy esperando que me lleguen' with no dose named: the supply problem alone (A, C, D's "
              "call); S labels the dose not taken",
    "T2-102": "two patients, 'todavía no le toca' (not yet due) read as not taken; the label follows the named one",
    "T1-099": "'spit it out in the sink' read as pills down the sink (a supply problem)",
    "T1-118": "'Not sure if Rick gave it ... Rick says he didn't??' labelled a status request",
    "T2-116": _R12_CAREGIVER_PLAN + " ('Calling the prescriber's office now')",
}


def _dose_and_acted_on_only(row: dict) -> list[str]:
    _, wrong = judge(row, _read_now(row["text"], row["sender"], row.get("context")))
    return [w for w in wrong if not w.startswith("urgency")]


@pytest.mark.parametrize("row", [param for batch in ("heldout5.jsonl", "heldout6.jsonl", "tuning11.jsonl", "tuning12.jsonl")
                                 for param in _batch_rows(batch, ROUND12_DOSE_DISAGREEMENTS)])
def test_round_twelve_each_o_q_s_t_reply_reads_its_dose_and_acted_on_intents_as_labelled(row: dict) -> None:
    # The dose and the intents the service acts on only: the urgency rows are named by the sign engineer
    # (ROUND12_SIGN_DISAGREEMENTS); the lead joins the two dicts over the whole judgement after merging.
    wrong = _dose_and_acted_on_only(row)
    assert not wrong, wrong


# Round twelve, the lead after merging the two engineers' branches: Jamaican "mi" as the one making the call ("mi call 911")
# is the caregiver acting on it, so an acknowledgement beside the report, as "i call 911" was.
@pytest.mark.parametrize("text", ["she cyaan wake up at all, mi call 911", "she lips blue an she cyaan catch her breath, mi call 911"])
def test_round_twelve_a_jamaican_mi_call_beside_a_sign_acknowledges_and_still_raises_it(text: str) -> None:
    r = read_sms(text, sender="caregiver")
    assert r.urgency == "emergency" and "ack" in r.intents


def test_round_twelve_spanish_mi_before_a_call_word_is_no_call_made() -> None:
    assert "ack" not in read_sms("mi hija me va a llamar al rato", sender="caregiver").intents


# Round twelve's table-drop run (``python -m tests.unit.reading_mutations --rules-alone --since bcd2bd4 --list``: the 107
# phrases this round added, 86 killed) left 21 phrases no unit test needed. Each sentence below is read by that phrase
# alone: checked by dropping the phrase and reading the sentence again (sixteen now killed; docs/mutation-testing.md).
@pytest.mark.parametrize(("text", "sender"), [
    ("she has a hard time sucking air", "caregiver"), ("hace mucho esfuerzo pa respirar", "caregiver"),
    ("se le hunden las costillas al respirar", "caregiver"), ("las costillas se le hunden", "caregiver"),
    ("he didnt say nothing, just lays there", "caregiver"), ("ba khong tinh", "caregiver"),
    ("pt does not recognize wife this am", "caregiver"),
])
def test_round_twelve_table_drop_emergency_phrases(text: str, sender: str) -> None:
    assert read_sms(text, sender=sender).urgency == "emergency"


@pytest.mark.parametrize("text", ["feeling swimmin headed", "nahilo siya", "hilong hilo ako", "tiene clono en el tobillo"])
def test_round_twelve_table_drop_urgent_phrases(text: str) -> None:
    assert read_sms(text, sender="caregiver").urgency == "urgent"


def test_round_twelve_table_drop_neither_of_us_gave_it_is_a_dose_not_taken() -> None:
    assert read_sms("ninguno de los dos se la dio", sender="caregiver").dose == "not_taken"


def test_round_twelve_table_drop_portuguese_with_her_acknowledges() -> None:
    assert "ack" in read_sms("estou com ela", sender="caregiver").intents


@pytest.mark.parametrize("text", ["any news?", "news about mom?"])
def test_round_twelve_table_drop_news_asked_is_a_status_request(text: str) -> None:
    assert "status_request" in read_sms(text, sender="caregiver").intents


def test_round_twelve_table_drop_take_my_number_off_is_a_stop_request() -> None:
    assert "stop" in read_sms("take my number off", sender="caregiver").intents


# -- Round thirteen: words stopped one by one for weight are one sentence ----------------------------------------------

@pytest.mark.parametrize(("text", "sign", "sender"), [
    ("cant. stay. awake.", "drowsiness", "patient"),
    ("I. Can't. Breathe.", "breathing", "patient"),
    ("she. will. not. wake. up", "drowsiness", "caregiver"),
    ("No. Puedo. Respirar.", "breathing", "patient"),
    ("no. se. despierta. ayuda", "drowsiness", "caregiver"),
    ("Dad. Doesn't. Know. Who. I. Am.", "confusion", "caregiver"),
])
def test_round_thirteen_a_sign_said_word_by_word_is_an_emergency(text: str, sign: str, sender: str) -> None:
    reading = read_sms(text, sender=sender)  # type: ignore[arg-type]
    assert (reading.urgency, reading.forward, sign in reading.signs) == ("emergency", True, True)


@pytest.mark.parametrize("text", ["no. seizures. today.", "Cero. Convulsiones. Hoy.", "Took. It. Thanks!"])
def test_round_thirteen_a_denial_or_a_dose_said_word_by_word_raises_nothing(text: str) -> None:
    # Cut at each full stop, "no. seizures." lost its "no" and read a seizure.
    assert read_sms(text, sender="patient").urgency == "none", text


def test_round_thirteen_only_a_run_of_one_word_sentences_is_joined() -> None:
    from alerts.domain.reading import word_by_word_joined
    assert word_by_word_joined("cant. stay. awake. eyes keep closing").split(".")[0].split() == ["cant", "stay", "awake"]
    # Two one-word sentences, a sentence of more words, or numbers are what they were.
    for text in ("Took it. Feeling fine.", "Yes. Fine.", "I took it. Then slept.", "1. 2. 3."):
        assert word_by_word_joined(text) == text


# -- Round thirteen: acknowledgements and doses, by class (R, U, V tuned on). Sentences of our own, English and Spanish. ------


@pytest.mark.parametrize("text", [
    # the care team called beside a symptom
    "his legs are jumping and he has a fever, I paged his neurologist", "she's shaking all over, nurse has been notified",
    "tiene calentura y temblores, ya le avisé a la enfermera", "tiene fiebre y temblores, mi hija ya llamó al doctor",
    # someone sent
    "he's wheezing and won't wake up, sending the aide over now", "le pedí a mi sobrino que fuera a verla, dice que no respira bien",
    # the writer going over, in plain or second-language words
    "thank u. I go see him now", "I drive to her house now", "gonna stop by after lunch",
    "ya mismo bajo a ver cómo está", "ya estoy yendo a verlo",
    # watching over them
    "Assessed, alert and oriented, no tremor. Will monitor q2h", "la estoy vigilando, por ahora está tranquila",
    # help called, a negation in the words before that is not its own
    "she is breathing so slow y no abre los ojos calling 911 now",
])
def test_round_thirteen_a_caregiver_taking_it_on_in_other_words_acknowledges(text: str) -> None:
    assert "ack" in read_sms(text, sender="caregiver").intents


@pytest.mark.parametrize("text", [
    # thanks for the notice is no taking it on (the guide; R, U, V and P label it so)
    "thanks for the heads up, you guys are great", "muchas gracias por el aviso, que Dios los bendiga",
    # a call supposed ("if I call her she wakes up"), nagging a patient who will not listen
    "si la llamo se despierta y me habla", "I tell him every day but he no listen", "yo le digo y le digo pero no me hace caso",
    # "we're ok for now" says how things are
    "the pharmacy is out until Monday but estamos ok por ahora",
    # a guard: a clinician called about a dose error alone (J, M: a report)
    "gave 10 instead of 5 by mistake, nurse notified",
])
def test_round_thirteen_no_acknowledgement_read_where_nothing_is_taken_on(text: str) -> None:
    assert "ack" not in read_sms(text, sender="caregiver").intents


@pytest.mark.parametrize(("text", "sender"), [
    ("I gave her the 8pm pill at noon because I mixed up the rows of the organizer", "caregiver"),
    ("me confundí de casilla en el pastillero y le di la de la noche también", "caregiver"),
    ("I give Mr Tom the tablet of Mrs Ruth by mistake", "caregiver"),
    ("took 2 by mistak, forgot I already had one", "patient"),
    ("le administré una tableta adicional sin querer", "caregiver"),
    ("me tomé tre en vez de una anoche", "patient"),
    ("se tomó como 5 pastilla juntas", "caregiver"),
    ("I give her the morning one and her grandma give also", "caregiver"),
    ("creo que me he tomado la de las ocho dos veces", "patient"),
    ("took my 9 am AND my 1 pm one at 9 by accident", "patient"),
])
def test_round_thirteen_an_extra_dose_in_other_words_is_extra(text: str, sender: str) -> None:
    assert read_sms(text, sender=sender).dose == "extra"


@pytest.mark.parametrize(("text", "sender"), [
    # a late dose at a time instead of a time is taken, not extra
    ("took it like 10 instead of 8, slept in", "patient"), ("me la tomé a las 11 en vez de las 9, se me pasó la alarma", "patient"),
    # a dose given at a time, with why it was late
    ("se la di a las 11, se me olvidó con tanto trabajo", "caregiver"), ("gave it at 11, I forgot with all the chaos", "caregiver"),
    # a clinician's, a second language's, a grandmother's words
    ("Administered baclofen 5mg PO at 0900", "caregiver"), ("She take the medicine at 9 this morning", "caregiver"),
    ("mi esposo tomó su dosis de las ocho", "caregiver"), ("pill is down the hatch, love Grandma", "patient"),
    ("both boys got their morning doses", "caregiver"),
    # forgetting the answer to the question just asked, or missing something else, leaves the dose taken
    ("ya me tomé la de la mañana. la de la noche es una o dos? se me olvidó", "patient"),
    ("given at noon per MAR. missed the scan, sorry", "caregiver"),
])
def test_round_thirteen_a_dose_taken_in_other_words_is_taken(text: str, sender: str) -> None:
    assert read_sms(text, sender=sender).dose == "taken"


@pytest.mark.parametrize(("text", "sender"), [
    ("Mr Lee declined his evening dose, said he wants to rest", "caregiver"), ("she turned it down again", "caregiver"),
    ("no se la ha querido tomar en todo el día", "caregiver"), ("no a tomado la de la mañana todavía", "caregiver"),
    ("no me tomé la de la tarde", "patient"), ("he no take it today, he say it make him tired", "caregiver"),
    ("one more round then ill take it", "patient"), ("she missed yesterdays dose", "caregiver"),
])
def test_round_thirteen_a_dose_not_taken_in_other_words_is_not_taken(text: str, sender: str) -> None:
    assert read_sms(text, sender=sender).dose == "not_taken"


@pytest.mark.parametrize(("text", "sender"), [
    # forgetting something else, or negated
    ("what time is the night one? I forgot the schedule", "patient"), ("¿a qué hora me toca? se me olvidó el horario", "patient"),
    ("thank you, these texts help me not forget", "patient"), ("gracias, los mensajes me ayudan a no olvidar", "patient"),
    # a history, not doses gone by
    ("had a seizure last spring but none since, feeling good", "patient"),
    # going to see whether it was taken
    ("I'll stop by after class to make sure he took it", "caregiver"), ("voy a pasar a ver si se la tomó", "caregiver"),
    # doubt
    ("I'm not entirely certain I took the noon tablet", "patient"), ("no estoy del todo segura si me la tomé", "patient"),
    # a schedule stated beside a status question
    ("did he take it? the nurse is supposed to give it at noon", "caregiver"),
    # the doctor took them off it
    ("the doctor took her off it last month, she doesn't take it anymore", "caregiver"),
    ("el médico se la fue quitando y ya no la toma", "caregiver"),
    # the insurer has not given the authorisation: a supply problem, not a dose
    ("se me acabaron y el seguro no ha dado la autorización, pero me siento bien", "patient"),
    # sleep overtaking them is a sign, not a dose put off
    ("se quedó dormido en medio de la cena, lo despierto y se vuelve a dormir", "caregiver"),
])
def test_round_thirteen_no_dose_where_none_is_reported(text: str, sender: str) -> None:
    assert read_sms(text, sender=sender).dose == "none"


@pytest.mark.parametrize(("text", "sender"), [
    ("the neuro says 5 mg but I took 15 because my legs were so tight", "patient"),
    ("siempre tomaba de 10 mg y hoy me tomé una de 20", "patient"),
])
def test_round_thirteen_a_stronger_dose_than_the_usual_one_is_extra(text: str, sender: str) -> None:
    assert read_sms(text, sender=sender).dose == "extra"


@pytest.mark.parametrize(("text", "sender", "dose"), [
    # attempts counted are no doses counted
    ("pt refused 0800 dose x3 attempts, will retry", "caregiver", "not_taken"),
    # given to the writer, something else
    ("she's fine, gave me attitude about the TV remote", "caregiver", "none"),
    ("can I take it with the pain pills? the ER gave me oxy yesterday", "patient", "none"),
    # not alone is a way of taking it, not a refusal
    ("¿se la puedo dar con yogur? no se la quiere tomar sola", "caregiver", "none"),
    # enough left for today is no dose missed yet
    ("la farmacia no tiene mis pastillas hasta el viernes, pero tengo para hoy", "patient", "none"),
])
def test_round_thirteen_what_is_not_a_dose_is_read_as_it_is(text: str, sender: str, dose: str) -> None:
    assert read_sms(text, sender=sender).dose == dose


@pytest.mark.parametrize("text", ["ESTA CONVULSIONANDO ya llamé al 911 vienen??", "se está convulsionando, ya llamé a la ambulancia vienen?"])
def test_round_thirteen_help_called_said_inside_a_question_acknowledges(text: str) -> None:
    assert "ack" in read_sms(text, sender="caregiver").intents


@pytest.mark.parametrize("text", ["¿quiere que llame al 911?", "should I call 911??", "did you call 911?"])
def test_round_thirteen_help_asked_about_is_no_acknowledgement(text: str) -> None:
    assert "ack" not in read_sms(text, sender="caregiver").intents


@pytest.mark.parametrize("text", ["nos quedamos sin medicina desde el viernes", "me quedé sin baclofeno desde el martes y ando temblando"])
def test_round_thirteen_left_without_pills_since_a_day_is_a_supply_problem_and_a_dose_not_taken(text: str) -> None:
    reading = read_sms(text, sender="caregiver")
    assert (reading.dose, "supply_problem" in reading.intents) == ("not_taken", True)


# -- Round thirteen's table-drop survivors, named: each sentence is read only by its phrase ---------------------------

@pytest.mark.parametrize(("text", "sender"), [
    ("she never took her dose this morning", "caregiver"), ("I never took my pill today", "patient")])
def test_round_thirteen_table_drop_never_took_it_is_a_dose_not_taken(text: str, sender: str) -> None:
    assert read_sms(text, sender=sender).dose == "not_taken"  # type: ignore[arg-type]


@pytest.mark.parametrize(("text", "sender"), [
    ("le di una tableta adicional sin querer", "caregiver"), ("me tomé una pastilla extra anoche", "patient")])
def test_round_thirteen_table_drop_a_tablet_more_in_spanish_is_an_extra_dose(text: str, sender: str) -> None:
    assert read_sms(text, sender=sender).dose == "extra"  # type: ignore[arg-type]


@pytest.mark.parametrize("text", [
    "keeping an eye on her tonight", "I will keep a close eye on him", "estamos pendientes de ella", "estoy muy pendiente"])
def test_round_thirteen_table_drop_watching_over_is_taking_it_on(text: str) -> None:
    assert "ack" in read_sms(text, sender="caregiver").intents


@pytest.mark.parametrize(("text", "sender"), [
    ("me quedé sin pastillas", "patient"), ("se quedó sin medicina mi papá", "caregiver")])
def test_round_thirteen_table_drop_left_without_pills_is_running_out(text: str, sender: str) -> None:
    assert read_sms(text, sender=sender).supply_problem == "ran_out"  # type: ignore[arg-type]

# -- Round thirteen: urgency and signs, learned from R, U and V (sentences of our own) ----------------------------------

@pytest.mark.parametrize(("text", "sender"), [
    # the eyes that won't stay open said bare or misspelt, any register
    ("grandpa cannot even keep eyes open at the table", "caregiver"),
    ("i cant keep eye open, slepy all day", "patient"),
    ("mi abuela no puede mantenr los ojos abiertos", "caregiver"),
    ("No puedo mantener los ojitos abiertos", "patient"),
    # asleep in the middle of doing something
    ("he fell asleep in the middle of a sentence twice", "caregiver"),
    ("Dad dozed off halfway through his lunch", "caregiver"),
    ("se durmió en medio de la cena con el plato enfrente", "caregiver"),
    ("se queda dormida a mitad de la conversación", "caregiver"),
    # eyes not opened, a pinch with no response, ESL "go back sleep"
    ("he not open eye when i call him", "caregiver"),
    ("no abre los ojos aunque le grito", "caregiver"),
    ("I pinched his hand hard and nothing", "caregiver"),
    ("la pellizqué y nada, no reacciona", "caregiver"),
    ("she open eyes and go back sleep right away", "caregiver"),
])
def test_round_thirteen_urgency_drowsiness_described_is_an_emergency(text: str, sender: str) -> None:
    reading = read_sms(text, sender=sender)  # type: ignore[arg-type]
    assert (reading.urgency, "drowsiness" in reading.signs) == ("emergency", True), text


@pytest.mark.parametrize(("text", "sender"), [
    ("mi papá habla como si le faltara el aire", "caregiver"),
    ("está respirando con muchísima dificultad", "caregiver"),
    ("Ernesto sigue respirando con mucha dificultad", "caregiver"),
    ("tiene el labio morado y no se le quita", "caregiver"),
    ("se le ve azul en la boca", "caregiver"),
    ("mi niña se ta poniendo morada", "caregiver"),
    ("respira cortito y rapidito desde hace rato", "caregiver"),
    ("respira como cansao, como que no le alcanza", "caregiver"),
    ("his lips look blu", "caregiver"),
    ("my face is turning bloo", "patient"),
])
def test_round_thirteen_urgency_breathing_described_is_an_emergency(text: str, sender: str) -> None:
    reading = read_sms(text, sender=sender)  # type: ignore[arg-type]
    assert (reading.urgency, "breathing" in reading.signs) == ("emergency", True), text


@pytest.mark.parametrize(("text", "sender"), [
    ("Mom is not knowing anyone today", "caregiver"),
    ("He keeps asking who am I", "caregiver"),
    ("she says it is 1985 and she must catch the bus", "caregiver"),
    ("Pt states it is 1979, pleasant", "caregiver"),
    ("Resident disoriented to place and time this shift", "caregiver"),
    ("Patient responding to internal stimuli since 0200", "caregiver"),
    ("estuvo conversando con mi abuelo y mi abuelo murió en 2010", "caregiver"),
    ("chatting with her husband and he passed in 2015", "caregiver"),
    ("a mi hija tampoco la reconoce", "caregiver"),
    ("a mí no me conoce, me pregunta mi nombre", "caregiver"),
    ("i dont no were i am", "patient"),
])
def test_round_thirteen_urgency_confusion_described_is_an_emergency(text: str, sender: str) -> None:
    reading = read_sms(text, sender=sender)  # type: ignore[arg-type]
    assert (reading.urgency, "confusion" in reading.signs) == ("emergency", True), text


@pytest.mark.parametrize(("text", "sender"), [
    ("his eyes are rolled back and his arms are going", "caregiver"),
    ("her eyes kept rolling up for a minute", "caregiver"),
    ("she shaking all her body on the floor", "caregiver"),
    ("jerking all of his body", "caregiver"),
    ("se ha puesto tieso y está dando sacudidas", "caregiver"),
    ("está sacudiéndose y no me oye", "caregiver"),
    ("he's jerking and doesn't hear me", "caregiver"),
])
def test_round_thirteen_urgency_seizure_described_is_an_emergency(text: str, sender: str) -> None:
    reading = read_sms(text, sender=sender)  # type: ignore[arg-type]
    assert (reading.urgency, "seizure" in reading.signs) == ("emergency", True), text


@pytest.mark.parametrize(("text", "sender"), [
    # talked about, not talked with
    ("she was talking with mom about grandpa who died in 2001", "caregiver"),
    ("estuvo hablando de mi papá, lo extraña mucho", "caregiver"),
    # the family doctor, a sleeper left to sleep, stiffness with shaky legs (urgent, not a seizure)
    ("el médico de cabecera no me da cita hasta el lunes", "patient"),
    ("not waking him up for it, he needs the rest", "caregiver"),
    ("she naps in the middle of the day like always", "caregiver"),
    ("his legs are stiff and jerky again today", "caregiver"),
])
def test_round_thirteen_urgency_guards_read_no_emergency(text: str, sender: str) -> None:
    assert read_sms(text, sender=sender).urgency != "emergency", text  # type: ignore[arg-type]


@pytest.mark.parametrize(("text", "sender"), [
    # the alert echoed back by someone who has not seen it
    ("what do you mean she can't breathe?? I'm at the airport", "caregiver"),
    ("¿Cómo que no despierta? ¿Quién está con ella?", "caregiver"),
    ("que quiere decir que tiene convulsiones?", "caregiver"),
    # a hypothetical said formally
    ("Were I to have a seizure while alone, do you call someone.", "patient"),
    ("Purely hypothetical: were my wife to stop breathing at night, who gets told", "caregiver"),
    ("Pongamos que me da una convulsión en el metro. Avisan a mi hija", "patient"),
])
def test_round_thirteen_urgency_an_echoed_or_hypothetical_sign_raises_nothing(text: str, sender: str) -> None:
    reading = read_sms(text, sender=sender)  # type: ignore[arg-type]
    assert reading.urgency == "none" and not reading.signs, text


@pytest.mark.parametrize(("text", "sender"), [
    # a staring spell that passed, asked about or doubted: urgent with the seizure doubtful
    ("She zoned out and stared off for a bit, then she was back and fine. Could that be a seizure?", "caregiver"),
    ("he stared off and his lip twitched, hes back to normal now. was that a seizure?", "caregiver"),
    ("i think i had a seizure?? i blanked out on the bus", "patient"),
    ("creo que tuvo una convulsión?? se quedó mirando fijo y luego volvió a la normalidad", "caregiver"),
    # jerks with the person awake and talking
    ("little jerks in her arms and legs all afternoon but she is awake and talking normal", "caregiver"),
    ("tiene sacudidas en brazos y piernas pero está despierto y me habla bien", "caregiver"),
])
def test_round_thirteen_urgency_a_doubtful_spell_or_jerks_while_awake_are_urgent(text: str, sender: str) -> None:
    reading = read_sms(text, sender=sender)  # type: ignore[arg-type]
    assert (reading.urgency, reading.forward, "seizure" in reading.doubtful) == ("urgent", True, True), text


@pytest.mark.parametrize(("text", "sender"), [
    # the awake words under a negation, or the seizure named: still the emergency
    ("his arms and legs are jerking and he is not talking to me", "caregiver"),
    ("tiene sacudidas en brazos y piernas, no me reconoce", "caregiver"),
    ("she is having a seizure, arms and legs jerking, she is awake", "caregiver"),
])
def test_round_thirteen_urgency_jerks_without_awake_words_stay_an_emergency(text: str, sender: str) -> None:
    assert read_sms(text, sender=sender).urgency == "emergency", text  # type: ignore[arg-type]


@pytest.mark.parametrize(("text", "sign"), [
    # a Spanish "yes" with its accent, or with a comma, before the verb it affirms is no "if"
    ("Sí, tiene convulsiones ahorita", "seizure"),
    ("Si, tiene convulsiones otra vez", "seizure"),
    ("Sí, tiene los labios morados", "breathing"),
])
def test_round_thirteen_urgency_an_affirmative_si_reports_the_sign(text: str, sign: str) -> None:
    reading = read_sms(text, sender="caregiver")
    assert (reading.urgency, sign in reading.signs) == ("emergency", True), text


@pytest.mark.parametrize(("text", "sender"), [
    ("Ya la vi, sí tiene temblores en las manos todavía", "caregiver"),
    ("sí tiene calambres en las piernas desde ayer", "caregiver"),
    # more sleep than usual, said as a comparative or as sleeping more
    ("He's drowsier than usual today but answers me", "caregiver"),
    ("she's been sleeping way more than normal", "caregiver"),
    ("mi papá está durmiendo demasiado, más que de costumbre", "caregiver"),
    # legs pulled (cramps), legs "been" jumping
    ("se me jalan las piernas en la noche, peor que antes", "patient"),
    ("my legs been jumping since lunch", "patient"),
])
def test_round_thirteen_urgency_other_trouble_described_is_urgent(text: str, sender: str) -> None:
    reading = read_sms(text, sender=sender)  # type: ignore[arg-type]
    assert (reading.urgency, reading.forward, reading.by_net) == ("urgent", True, False), text


@pytest.mark.parametrize("text", ["si tiene fiebre, ¿qué hago?", "si le da una convulsión, ¿a quién llamo?"])
def test_round_thirteen_urgency_an_unaccented_si_without_a_comma_stays_a_conditional(text: str) -> None:
    assert read_sms(text, sender="caregiver").signs == (), text


@pytest.mark.parametrize(("text", "sender"), [
    # a seizure on a day named, over (discharged, fine today)
    ("Just so you know, he had a seizure on Saturday and spent a night in hospital. Home and fine now", "caregiver"),
    ("Para que sepan, convulsionó el domingo y ya le dieron de alta. Hoy anda bien", "caregiver"),
    # a symptom said not to have come back
    ("The twitching I told you about has not come back.", "patient"),
    ("El mareo no ha vuelto desde el lunes, gracias", "patient"),
    # the person's usual, said as "the same as it's been"
    ("that tremor in his left hand is the same as it's been since his stroke, nothing new", "caregiver"),
    # a false alarm explained by a cause in the past tense
    ("Falsa alarma. El temblor fue de frío nada más, ya está tapadita", "caregiver"),
])
def test_round_thirteen_urgency_a_sign_over_or_usual_raises_nothing(text: str, sender: str) -> None:
    assert read_sms(text, sender=sender).urgency == "none", text  # type: ignore[arg-type]


@pytest.mark.parametrize("text", [
    "she had a seizure on tuesday and another one just now",
    "convulsionó el martes y otra vez esta mañana",
    "had a seizure on sunday and he is seizing again",
])
def test_round_thirteen_urgency_a_seizure_on_a_past_day_with_one_again_is_an_emergency(text: str) -> None:
    assert read_sms(text, sender="caregiver").urgency == "emergency", text


@pytest.mark.parametrize("text", [
    "he stared off and his lip twitched, hes back to normal now. was that a seizure?",
    "little jerks in her arms and legs all afternoon but she is awake and talking normal",
])
def test_round_thirteen_urgency_a_seizure_doubted_is_not_recorded_as_one(text: str) -> None:
    # The check-in the service records must not open the emergency the reading declined.
    reading = read_sms(text, sender="caregiver")
    assert (reading.urgency, "seizure" in reading.doubtful, "seizure" in reading.symptoms) == ("urgent", True, False)


@pytest.mark.parametrize(("text", "urgency"), [
    # better, said, then still going in a clause of its own: not over
    ("the tremor is a bit better, but still there", "urgent"),
    ("los temblores están un poco mejor, pero siguen ahí", "urgent"),
    # better, then still doing something else: over
    ("the tremor is much better. Still taking my meds.", "none"),
    ("el temblor ya está mejor. Sigue yendo a terapia.", "none"),
])
def test_round_thirteen_urgency_better_but_still_going_is_not_over(text: str, urgency: str) -> None:
    assert read_sms(text, sender="patient").urgency == urgency, text


# -- Round thirteen (W, X, Y read after they judged; Z, AA, AB judge these) ---------------------------------------------

@pytest.mark.parametrize("text", ["Negative on tremor overnight, resting comfortably", "negative on seizure activity this shift"])
def test_round_thirteen_a_clinicians_negative_on_is_a_denial(text: str) -> None:
    assert read_sms(text, sender="caregiver").urgency == "none", text


def test_round_thirteen_a_question_mark_said_aloud_ends_the_question() -> None:
    # Dictated: the question is asked, then the dose is reported in a sentence of its own.
    reading = read_sms("is it normal to feel dizzy question mark i took it at 8", sender="patient")
    assert (reading.dose, "question" in reading.intents) == ("taken", True)


def test_round_thirteen_dictated_marks_are_the_marks_and_a_period_of_ones_own_is_not() -> None:
    from alerts.domain.reading import spoken_marks_written
    assert spoken_marks_written("fine comma thanks period") == "fine, thanks."
    assert spoken_marks_written("can you call me question mark") == "can you call me?"
    assert spoken_marks_written("took it period she seems fine") == "took it. she seems fine"
    for text in ("my period started", "over a long period of time", "she is in a coma"):
        assert spoken_marks_written(text) == text


@pytest.mark.parametrize(("text", "sender"), [
    ("está boqueando, no le entra bien", "caregiver"), ("mi papá boquea como pescado", "caregiver"),
    ("Respira re raro, como boqueando. ¿Llamo al 911?", "caregiver"), ("estoy boqueando, ayuda", "patient"),
])
def test_round_thirteen_gasping_in_spanish_is_the_breathing_emergency(text: str, sender: str) -> None:
    reading = read_sms(text, sender=sender)  # type: ignore[arg-type]
    assert (reading.urgency, "breathing" in reading.signs) == ("emergency", True), text


def test_round_thirteen_gasping_denied_or_the_river_plate_re_on_a_calm_word_raises_nothing() -> None:
    assert read_sms("ya no boquea, respira normal", sender="caregiver").urgency == "none"
    assert read_sms("las piernas re sueltas hoy, todo bien", sender="patient").urgency == "none"


# -- Round thirteen's table-drop run (83 new phrases, 72 killed = 86.7%): eight survivors named by a sentence only that
# -- phrase reads (each checked by reading it with the phrase dropped and the net off) ------------------------------------

@pytest.mark.parametrize(("text", "sign"), [
    ("está respirando superficial", "breathing"), ("respirando muy superficialmente", "breathing"),
    ("ve a su hermano que se murió en 2010", "confusion"),
    ("desorientado en tiempo y espacio", "confusion"), ("paciente desorientado a persona y lugar", "confusion"),
    ("her eyse keep closing", "drowsiness"), ("iyes rolling back", "seizure"),
    ("respira como cansaa", "breathing"), ("esta bien desorientaa", "confusion"),
])
def test_round_thirteen_table_drop_signs_in_spanish_shorthand_and_by_ear(text: str, sign: str) -> None:
    reading = read_sms(text, sender="caregiver")
    assert (reading.urgency, sign in reading.signs) == ("emergency", True), text


def test_round_thirteen_table_drop_sleepy_spelt_by_ear() -> None:
    assert read_sms("too sleapy to answer", sender="patient").urgency == "emergency"


@pytest.mark.parametrize("text", ["tomé una capsula extra", "le dieron una pildora adicional"])
def test_round_thirteen_table_drop_a_capsule_or_pill_more_is_an_extra_dose(text: str) -> None:
    assert read_sms(text, sender="caregiver").dose == "extra"


@pytest.mark.parametrize("text", ["nos quedamos sin baclofen", "me quede sin las pastillas", "se quedaron sin medicamentos"])
def test_round_thirteen_table_drop_left_without_in_any_person_is_running_out(text: str) -> None:
    assert read_sms(text, sender="caregiver").supply_problem == "ran_out"


@pytest.mark.parametrize("text", [
    "she is in a coma", "he seems comatose", "I think he went into a coma", "parece que está en coma", "está comatosa"])
def test_round_thirteen_a_coma_said_is_the_drowsiness_emergency(text: str) -> None:
    # Past "can't be woken": before, "in a coma" read only as some sleepiness (urgent).
    reading = read_sms(text, sender="caregiver")
    assert (reading.urgency, "drowsiness" in reading.signs) == ("emergency", True), text


@pytest.mark.parametrize(("text", "sender"), [
    ("im in a food coma lol took my dose", "patient"), ("casi en coma de tanto comer jaja", "patient"),
    ("not in a coma, just sleeping hard", "caregiver"), ("what if he goes into a coma?", "caregiver")])
def test_round_thirteen_a_coma_of_a_meal_denied_or_supposed_raises_no_emergency(text: str, sender: str) -> None:
    assert read_sms(text, sender=sender).urgency != "emergency", text  # type: ignore[arg-type]


# -- round fourteen: urgency and signs (tuning13-20 tuned on; sentences of our own) ----------------------------------------


_R14_BREATHING = [
    # a rate written with an x, the lips' colour named, breathing small or weak, the base verb said hard
    ("she is breathing like 6x a minute and gray", "caregiver"),
    ("he's only breathing maybe 4x a min, real slow", "caregiver"),
    ("his lips color is blue", "caregiver"),
    ("her lip colour looks purple now", "caregiver"),
    ("her breathing is very small and weak", "caregiver"),
    ("he breathe still hard, shoulders going up down", "caregiver"),
    # the air not got, in other words
    ("I can't get a good breath in", "patient"),
    ("cant get a decent breath, chest heavy", "patient"),
    ("can't get enough wind", "patient"),
    ("I can't fill my lungs", "patient"),
    # Spanish: the effort in the progressive, "respirar" spelt by ear
    ("le está costando respirar desde hace rato", "caregiver"),
    ("me esta costando mucho respirar", "patient"),
    ("no puedo resirar bien", "patient"),
]


_R14_DROWSINESS = [
    # the eyes opened a moment and closed again, or sleep again
    ("he open the eye one second and close again", "caregiver"),
    ("she opens her eyes for a second then shuts them again", "caregiver"),
    ("abre los ojos un ratito y los vuelve a cerrar", "caregiver"),
    ("I shake him, he open eye 1 second then sleep again", "caregiver"),
    ("nomás abre los ojos tantito y se güelve a dormir", "caregiver"),
    ("SHAKE HER ARM. EYES NOT OPEN", "caregiver"),
    # no waking in the passive, or only to a rub; clinical words
    ("he cannot be roused this morning", "caregiver"),
    ("Mom can't be woken, I've tried everything", "caregiver"),
    ("only rousable to a sternal rub", "caregiver"),
    ("Pt obtunded on arrival", "caregiver"),
    # does not wake when called or shaken, ESL and Jamaican
    ("she not wake up when I shake her", "caregiver"),
    ("Mister Roy nah wake up, mi call him name", "caregiver"),
    # Spanish spelt by ear: "dispierta", "depierta", "pueo", "lo ojo", "sentá", "en medio del"
    ("la abuela no dispierta", "caregiver"),
    ("no me puedo mantener depierta", "patient"),
    ("no me pueo mantener despierta", "patient"),
    ("se me cierran lo ojo solo", "patient"),
    ("me quedo dormida sentá", "patient"),
    ("se quedó dormido en medio del almuerzo", "caregiver"),
    ("cnt stay awak", "patient"),
    ("keep nodding oft at my desk", "patient"),
]


_R14_CONFUSION = [
    # someone absent talked to as if there, or a late relative talked to
    ("talking to grandpa like hes in the room and he died in 2015", "caregiver"),
    ("she talks to her sister like she's right here", "caregiver"),
    ("habla con mi abuelo como si estuviera aquí", "caregiver"),
    ("He was speaking to his late wife at breakfast", "caregiver"),
    # asked who the writer was; "tampoco sabe"; does not appear to recognise; the day and the place lost
    ("she asked me who i was", "caregiver"),
    ("he has asked me twice who I am", "caregiver"),
    ("tampoco sabe en qué año estamos", "caregiver"),
    ("He does not appear to recognize me tonight", "caregiver"),
    ("idk what day it is ni donde ando", "patient"),
    ("no atina ni onde está", "caregiver"),
    ("a mi no me conose", "caregiver"),
]


_R14_SEIZURE = [
    ("mi tía dice que le siguen dando los ataques", "caregiver"),
    ("le están dando ataques uno tras otro", "caregiver"),
    ("me desperté con la lengua mordida", "patient"),
    ("grandpa shaking very hard all the body", "caregiver"),
    ("she jerk jerk whole body", "caregiver"),
    ("her eyes r rolling back", "caregiver"),
    ("his eyes going up and he shaking", "caregiver"),
    ("nagseseizure si Lolo ngayon", "caregiver"),
]


@pytest.mark.parametrize(("text", "sender", "sign"), [
    *((text, sender, "breathing") for text, sender in _R14_BREATHING),
    *((text, sender, "drowsiness") for text, sender in _R14_DROWSINESS),
    *((text, sender, "confusion") for text, sender in _R14_CONFUSION),
    *((text, sender, "seizure") for text, sender in _R14_SEIZURE),
])
def test_round_fourteen_urgency_sign_described_is_an_emergency(text: str, sender: str, sign: str) -> None:
    # Each class failed on 87fddb9 (read urgent or none); sentences of our own, not the batches'.
    reading = read_sms(text, sender=sender)  # type: ignore[arg-type]
    assert (reading.urgency, sign in reading.signs) == ("emergency", True), text


@pytest.mark.parametrize(("text", "sender"), [
    # help summoned beside a sign the tables now read: the acknowledgement and the emergency both
    ("He's gray and only breathing like 5x a min. 911 called", "caregiver"),
    ("Ya llamé al 911, le siguen dando los ataques", "caregiver"),
    ("Ambulance coming. Sigue sin abrir los ojos, no dispierta", "caregiver"),
])
def test_round_fourteen_urgency_help_called_beside_a_sign_is_ack_and_emergency(text: str, sender: str) -> None:
    reading = read_sms(text, sender=sender)  # type: ignore[arg-type]
    assert (reading.urgency, "ack" in reading.intents) == ("emergency", True), text


@pytest.mark.parametrize(("text", "sender"), [
    # near misses that must not become emergencies
    ("he's talking to me like I'm not here again, teenager stuff", "caregiver"),
    ("she talked about her late husband all afternoon, happy memories", "caregiver"),
    ("she opened her eyes and closed the app, all fine", "caregiver"),
    ("his eyes went up to the ceiling when I said chores lol", "caregiver"),
    ("no me dan ataques de ansiedad desde hace meses", "patient"),
    ("the breathing exercise was weak sauce", "patient"),
    ("he didn't wake up till 10, then ate a big breakfast", "caregiver"),
    ("I can't get a good night's sleep lately", "patient"),
    ("Ata Norma is awake and talking, not obtunded at all", "caregiver"),
])
def test_round_fourteen_urgency_near_misses_raise_no_emergency(text: str, sender: str) -> None:
    assert read_sms(text, sender=sender).urgency != "emergency", text  # type: ignore[arg-type]


@pytest.mark.parametrize(("text", "sender"), [
    # an emphatic Spanish "No, no ..." is no "no know" (the dictation rule), and the return it denies stays denied
    ("No, no le ha vuelto a dar convulsión, anda tranquila", "caregiver"),
    # Spanish "never have I", the Caribbean "na' de", Tagalog "walang"
    ("nunca me he convulsionado, gracias a Dios", "patient"),
    ("na' de convulsiones hoy, to' bien", "patient"),
    ("walang seizure si Lolo buong araw", "caregiver"),
    # a seizure of last month or last week with nothing now
    ("the seizure last month was the last one, nothing since", "caregiver"),
    ("tuvo una convulsión el mes pasado, desde entonces nada", "caregiver"),
    # a clinician's note: oriented, breathing unlaboured, tone at baseline
    ("A&Ox3, RR 14 unlabored, tone at his baseline", "caregiver"),
])
def test_round_fourteen_urgency_a_sign_denied_or_past_raises_nothing(text: str, sender: str) -> None:
    reading = read_sms(text, sender=sender)  # type: ignore[arg-type]
    assert (reading.urgency, reading.signs) == ("none", ()), text


@pytest.mark.parametrize(("text", "sender"), [
    # the sign again or now, beside a past one: still the emergency
    ("he had a seizure last week and another one just now", "caregiver"),
    ("had a seizure last month, having one again now", "caregiver"),
    ("No, no, he is seizing right now", "caregiver"),
    ("he don't no where he is", "caregiver"),
    # Tagalog not waking with particles between
    ("hindi ko po magising si Lolo", "caregiver"),
    ("I shake her arm, she not wake up, eyes closed", "caregiver"),
])
def test_round_fourteen_urgency_past_or_denied_near_misses_stay_emergencies(text: str, sender: str) -> None:
    assert read_sms(text, sender=sender).urgency == "emergency", text  # type: ignore[arg-type]


@pytest.mark.parametrize(("text", "sender"), [
    ("his hands won't stop shaking since lunch, it's new", "caregiver"),
    ("sus manos no paran de temblar", "caregiver"),
    ("my fingers won't stop shaking today", "patient"),
])
def test_round_fourteen_urgency_the_hands_alone_shaking_is_urgent_not_911(text: str, sender: str) -> None:
    # The brief's tremor: urgent and forwarded, never silence and not a convulsion.
    reading = read_sms(text, sender=sender)  # type: ignore[arg-type]
    assert (reading.urgency, reading.forward) == ("urgent", True), text


def test_round_fourteen_urgency_jamas_denies_the_sign() -> None:
    # The tables read no seizure; the words are otherwise placed nowhere, so the trained net reads them (0.75 on the net of
    # 87fddb9: urgent). Left to the lead's retraining, which sees the denial sentences of this round.
    reading = read_sms("jamás le ha dado una convulsión", sender="caregiver")
    assert (reading.signs, reading.urgency != "emergency") == ((), True)


@pytest.mark.parametrize(("text", "sender"), [
    # a staring spell, over, its name doubted in a sentence of its own (three writers): urgent, not 911
    ("I'm not certain whether it was a seizure. He stared at the TV a minute, didn't answer, then was himself again.", "caregiver"),
    ("No sé si fue un ataque. Se quedó mirando fijo y no me contestaba, después volvió normal", "caregiver"),
    ("Se quedó ida mirando la ventana, no me contestaba, luego ya golvió. No sé si jue convulsión", "caregiver"),
    # sleepier than usual, roused by a word, said further on
    ("She's dozing off mid conversation today, though each time she wakes easily and answers fine", "caregiver"),
    ("Anda cabeceando en la mesa, pero uno le habla y se despierta y contesta bien", "caregiver"),
])
def test_round_fourteen_urgency_a_spell_over_or_sleep_roused_by_a_word_is_urgent(text: str, sender: str) -> None:
    reading = read_sms(text, sender=sender)  # type: ignore[arg-type]
    assert (reading.urgency, reading.forward) == ("urgent", True), text


@pytest.mark.parametrize(("text", "sender"), [
    # the mitigation answers the sleepiness, never the seizure or the breathing beside it
    ("he had a seizure, now he is sleepy but wakes up easily", "caregiver"),
    ("tuvo una convulsión, ahora está dormido pero uno le habla y se despierta", "caregiver"),
    # a spell with no "back to himself": still the emergency
    ("He stared at the wall and didn't answer me, now he won't wake up", "caregiver"),
    ("mi mamá no contesta, está tirada en el piso", "caregiver"),
])
def test_round_fourteen_urgency_a_mitigated_sleepiness_leaves_the_other_signs(text: str, sender: str) -> None:
    assert read_sms(text, sender=sender).urgency == "emergency", text  # type: ignore[arg-type]


@pytest.mark.parametrize(("text", "sender"), [
    ("Ok I'm calling him rn, si no contesta I'll drive over after work", "caregiver"),
    ("le marco ahorita y si no contesta voy para allá", "caregiver"),
])
def test_round_fourteen_urgency_a_call_not_answered_as_a_condition_is_no_sign(text: str, sender: str) -> None:
    reading = read_sms(text, sender=sender)  # type: ignore[arg-type]
    assert (reading.urgency, reading.signs) == ("none", ()), text


@pytest.mark.parametrize(("text", "sender", "urgency"), [
    # "ain't" before a negative-function sign is the sign ("isn't breathing"); before a sign word, a denial
    ("she ain't breathing", "caregiver", "emergency"),
    ("he aint waking up, I been shaking him", "caregiver", "emergency"),
    ("Mama ain't responding to nothing", "caregiver", "emergency"),
    ("she aint been shaking today, all good", "caregiver", "none"),
    ("nah he ain't seeing things no more", "caregiver", "none"),
    # a spasm said "spazzing"; dizziness spelt "mariado"; the state taken as given in a "why am I ...ing" question
    ("my legs been spazzing worse than ever today", "patient", "urgent"),
    ("ando bien mariada desde la mañana", "patient", "urgent"),
    ("why am I twitching like this all day?", "patient", "urgent"),
    ("why is my hand shaking so much after the pill?", "patient", "urgent"),
    # a clinician's "stable" is the baseline
    ("Spasticity stable per daughter, no concerns", "caregiver", "none"),
])
def test_round_fourteen_urgency_dialect_and_spelling_read_at_their_level(text: str, sender: str, urgency: str) -> None:
    assert read_sms(text, sender=sender).urgency == urgency, text  # type: ignore[arg-type]


# -- round fourteen (tuning13-20 = AC-AJ tuned on): acknowledgements and doses, by class, in sentences of our own --------

@pytest.mark.parametrize(("text", "sender"), [
    # one dose, then another said with its strength or a count
    ("took my 5 then another 5 cuz i forgot i already had one", "patient"),
    ("gave her the 10 then another 10 before lunch, my fault", "caregiver"),
    # a second language's present with "by mistake", or "without noticing" in Spanish
    ("he take 2 pill by mistake this morning, he is ok", "caregiver"),
    ("le di la pastilla de doña Rosa a don Pepe sin darme cuenta", "caregiver"),
    # N of one kind instead of one, the count that sums two givers up
    ("swallowed 2 of my evening pills instead of 1, feel fine", "patient"),
    ("his mom gave him one at 8 and I gave one at 8:30, so he got two", "caregiver"),
    ("abuela le dio una y yo otra sin saber, so she took two", "caregiver"),
    # N at once, N of the named pills, a bottle N short, all of them, the week's organiser empty
    ("me metí tres de una vez por el dolor", "patient"), ("took like 6 of the baclofens for my legs", "patient"),
    ("the bottle is 5 tabs short since last night", "caregiver"), ("se las tomó todas anoche", "caregiver"),
    ("el pastillero de toda la semana está vacío y ella bien dormida", "caregiver"),
    # one of another person's pills (AC2, AF1, AG2, AI2 label that extra)
    ("se tomó una pastilla de su esposo, es la misma medicina", "caregiver"),
    ("me tomé una pastilla de mi hermana porque se me acabaron las mías", "patient"),
])
def test_round_fourteen_a_second_dose_or_anothers_pill_is_extra(text: str, sender: str) -> None:
    assert read_sms(text, sender=sender).dose == "extra", text  # type: ignore[arg-type]


@pytest.mark.parametrize(("text", "sender", "dose"), [
    # near misses: a count left, hours, a day's organiser doubted, another's pill given to its owner
    ("so he has 2 left for the weekend", "caregiver", "none"),
    ("she took it at 8, so she got two hours of sleep", "caregiver", "taken"),
    ("no me acuerdo si me la tomé, el pastillero del lunes está vacío", "patient", "none"),
    ("le di a mi mamá la pastilla de las 8", "caregiver", "taken"),
    ("took my 10 at 8, then another walk at noon", "patient", "taken"),
])
def test_round_fourteen_no_second_dose_where_none_is_said(text: str, sender: str, dose: str) -> None:
    assert read_sms(text, sender=sender).dose == dose, text  # type: ignore[arg-type]


@pytest.mark.parametrize(("text", "sender"), [
    # without pills for a time, said otherwise than "ran out on <day>", beside a sign of withdrawal: doses have gone by
    ("my legs are jerking all night, been out of pills 2 days", "patient"),
    ("se le acabaron las pastillas el sábado y ya tiene espasmos bien fuertes", "caregiver"),
    ("se nos terminaron ayer y ahora tiene temblores en las manos", "caregiver"),
    ("his medicine finish yesterday, now he shaking and sweating", "caregiver"),
    ("no encuentro mis pastillas desde el martes y tengo las piernas bien tiesas", "patient"),
    # stopped, or off them, for a time
    ("she stopped meds 4 days ago on her own, now her heart is racing", "caregiver"),
    ("quit em monday and my spasms are way worse", "patient"),
    ("been off the baclofen for three days and im twitching all over", "patient"),
    ("dejó de tomarla el domingo y ya anda con temblores", "caregiver"),
    # a dose that cannot be given
    ("no pills at the house, tonight's dose I cannot give", "caregiver"),
])
def test_round_fourteen_without_pills_for_a_time_is_a_dose_not_taken(text: str, sender: str) -> None:
    assert read_sms(text, sender=sender).dose == "not_taken", text  # type: ignore[arg-type]


@pytest.mark.parametrize(("text", "sender"), [
    # no sign of withdrawal: the supply problem alone (A, C, D, E); a stop wanted or asked about is no stop made
    ("se me acabaron ayer pero mañana paso por ellas, me siento bien", "patient"),
    ("he wants to quit it friday, is that safe?", "caregiver"),
    ("I'd like to stop my pills monday, can I?", "patient"),
])
def test_round_fourteen_without_pills_and_no_sign_or_a_stop_wanted_is_no_dose(text: str, sender: str) -> None:
    assert read_sms(text, sender=sender).dose == "none", text  # type: ignore[arg-type]


@pytest.mark.parametrize(("text", "sender"), [
    # the reminder answered with when or with what
    ("ya, con la comida", "patient"), ("yep with lunch", "patient"), ("yes w my coffee at 7:30", "patient"),
    ("5 mg con el cafecito de la mañana", "patient"),
    # given to me, Mexican slang, "lista", "tomándomela"
    ("mi hija me la dio con el desayuno", "patient"), ("ya me la eché con un vaso de leche", "patient"),
    ("me la aventé hace rato", "patient"), ("lista la dosis", "patient"), ("tomándomela ya mismo", "patient"),
    # down, seen taken
    ("got my pills down with some toast", "patient"), ("10mg down, all good", "patient"),
    ("I watched him take it with his juice", "caregiver"), ("she swallow it in front of me, no problem", "caregiver"),
    # a second language's present with a clock time
    ("Mister Joe take his pill 9:00, all good", "caregiver"), ("I give her 7:45 with breakfast", "caregiver"),
    ("I give him the noon one now, 12:10", "caregiver"), ("Mama take already 8am", "caregiver"),
    ("already give, 8 o'clock", "caregiver"),
    # a clinician's words
    ("Dose administered 14:05, tolerated well", "caregiver"), ("Both residents dosed at 0800", "caregiver"),
    ("la paciente tomó la dosis de las 8 sin problema", "caregiver"),
    # dictation: "back clofen", "tuck it"
    ("she took her back clofen at 9", "caregiver"), ("tuck it at 8 like always", "patient"),
])
def test_round_fourteen_a_dose_taken_in_other_words_is_taken(text: str, sender: str) -> None:
    assert read_sms(text, sender=sender).dose == "taken", text  # type: ignore[arg-type]


@pytest.mark.parametrize(("text", "sender"), [
    # an instruction, a question, a prescription, a plan or a habit is no dose taken
    ("should I take it with breakfast?", "patient"), ("el doctor me la dio para los espasmos", "patient"),
    ("I'll watch her take it when she wakes", "caregiver"), ("he usually takes his pill at 8", "caregiver"),
    ("she has to take her pill at 8 every day", "caregiver"), ("I give him his 8pm every night, is that right?", "caregiver"),
    ("the pills went down the drain", "patient"), ("remind her to take the pill 9:00", "caregiver"),
])
def test_round_fourteen_no_dose_taken_in_an_instruction_plan_or_habit(text: str, sender: str) -> None:
    assert read_sms(text, sender=sender).dose != "taken", text  # type: ignore[arg-type]


@pytest.mark.parametrize("text", [
    # help called in other words: s dropped, spoken to, on with it, asked for, minutes out, a bare "calling now"
    "está convulsionando, ya llamamo al 911", "no despierta, ya le hablé a la Cruz Roja", "ya hablamos a los bomberos, no respira bien",
    "She's seizing again. Already on w/ 911", "he's barely breathing, his wife on phone with 911", "Pt unresponsive to voice. EMS requested.",
    "she still won't wake up, medics 10 min out", "911 we called, they come. he still shaking", "lips are blue, barely breathing. Calling now",
    # the writer going over, in other words
    "tiene temblores pero me conoce. voy pa llá", "Mi soon come", "she's talking to people who aren't there, turning around to go to her",
    "he doesn't know where he is!! leaving campus now",
    # checking, calling, reminding
    "Checking.", "Déjame llamarlo ahora", "déjame hablar con él", "Thanks, I'll give her a call", "I call Mama to remind, she say she forget",
])
def test_round_fourteen_a_caregiver_taking_it_on_in_other_words_acknowledges(text: str) -> None:
    assert "ack" in read_sms(text, sender="caregiver").intents, text


@pytest.mark.parametrize(("text", "sender"), [
    # "ok" said of someone without the verb (a second language's "she ok", "both ok") is how they are, not "on it"
    ("Gave both their 8am, both ok", "caregiver"), ("I give her the pill late, she ok now", "caregiver"),
    ("Given 0800, Sir Tom ok naman", "caregiver"),
    # help supposed or asked about, a call not made, "give him a call" asked
    ("should I call 911 if she seizes?", "caregiver"), ("nobody on w/ 911 yet", "caregiver"),
    ("do you want me to give her a call?", "caregiver"), ("a patient's 'calling now' means nothing", "patient"),
])
def test_round_fourteen_no_acknowledgement_where_nothing_is_taken_on(text: str, sender: str) -> None:
    assert "ack" not in read_sms(text, sender=sender).intents, text  # type: ignore[arg-type]


@pytest.mark.parametrize("text", ["I'll give him a call and remind him", "voy a darle una llamada", "will give her a ring later"])
def test_round_fourteen_a_call_given_is_no_dose_put_off(text: str) -> None:
    assert read_sms(text, sender="caregiver").dose == "none", text


@pytest.mark.parametrize(("text", "sender"), [
    # left with a little
    ("she only has enough for tomorrow morning", "caregiver"), ("he has 2 left, refill is friday", "caregiver"),
    ("bottle almost empty, maybe 3 left", "caregiver"), ("me queda poquito del jarabe", "patient"),
    ("se le están acabando las pastillas", "caregiver"), ("about 2 days left of pills", "patient"),
    # lost or spoilt otherwise
    ("no encuentro mis pastillas por ningún lado", "patient"), ("can't find her pills anywhere", "caregiver"),
    ("se me quebró el frasco en el piso", "patient"), ("lost my pill bottle at the gym", "patient"),
    ("el perro se las comió", "patient"),
    # the pharmacy's words reaching past a place, a last refill, a refill not ready, a new prescription, a pump's beep
    ("the pharmacy on Main street doesnt have it till tuesday", "caregiver"),
    ("la farmacia de la esquina no la tiene", "caregiver"), ("this is my last refill, need to call the doctor", "patient"),
    ("refill won't be ready till monday", "patient"), ("dicen que ocupo receta nueva", "patient"),
    ("never picked up my refill", "patient"), ("la bomba pitó toda la noche", "patient"),
])
def test_round_fourteen_a_supply_problem_in_other_words(text: str, sender: str) -> None:
    assert read_sms(text, sender=sender).supply_problem is not None, text  # type: ignore[arg-type]


@pytest.mark.parametrize(("text", "sender"), [
    # a phone dropped, coffee spilt, a pump that has not alarmed, a new script from the doctor for a new dose
    ("se le cayó el teléfono y apretó el botón", "caregiver"), ("her hand shakes and the coffee spill", "caregiver"),
    ("spasms worse but the pump hasn't alarmed", "patient"), ("should we wait for the new script?", "caregiver"),
    ("she has 2 left to go on her walk", "caregiver"),
])
def test_round_fourteen_no_supply_problem_where_none_is_said(text: str, sender: str) -> None:
    assert read_sms(text, sender=sender).supply_problem is None, text  # type: ignore[arg-type]


@pytest.mark.parametrize("text", [
    # the crew taking someone away or taking over, a report given: no dose (an invented "taken" silences a missed-dose escalation)
    "Paramedics took her. I'm following in my car", "EMTs have taken him to St Mary's", "they've taken over, we're in the hall",
    "Medics here. Gave report, leaving for Mercy",
    # a dose asked or told to be taken: the subjunctive is no dose
    "ahorita le marco pa que se la tome", "ya le dije que se la tome con la comida", "le pedí que se la tome ya",
])
def test_round_fourteen_a_person_taken_away_or_a_dose_asked_for_is_no_dose_taken(text: str) -> None:
    assert read_sms(text, sender="caregiver").dose != "taken", text


@pytest.mark.parametrize(("text", "sender"), [
    # a nap, a bath or a trip putting the dose off (AD1, AG1, AH2): not taken
    ("a don Luis se la doy ahorita que se despierte", "caregiver"), ("se la doy cuando se levante de la siesta", "caregiver"),
    ("she nap now, I give when she wake up", "caregiver"), ("I give him after he finish his bath", "caregiver"),
])
def test_round_fourteen_a_dose_put_off_until_they_wake_is_not_taken(text: str, sender: str) -> None:
    assert read_sms(text, sender=sender).dose == "not_taken", text  # type: ignore[arg-type]


@pytest.mark.parametrize(("text", "dose"), [
    # near misses: a dose said taken by someone, the patient's own words reported
    ("mi mamá dice que sí se la dio a las 9", "taken"), ("ya le pregunté y dice que sí se la tomó", "taken"),
    ("the ambulance took her blood pressure, she took her pill at 8", "taken"),
])
def test_round_fourteen_a_dose_reported_by_someone_stays_taken(text: str, dose: str) -> None:
    assert read_sms(text, sender="caregiver").dose == dose, text


# Round fourteen's table-drop run (`python -m tests.unit.reading_mutations --rules-alone --since 8631eb1`): 117 phrases
# added this round, 97 noticed when dropped. Each sentence below (written for this, in no batch) reads as it does only
# because of one of those that went unnoticed; dropping that entry changes its reading (checked entry by entry).
@pytest.mark.parametrize(("text", "sender", "sign"), [
    ("a mi hijo le dieron otros ataques en la tarde", "caregiver", "seizure"),
    ("se cayo y tiene mordida la lengua, no responde bien", "caregiver", "seizure"),
    ("nagconvulsion siya ngayon sa sala", "caregiver", "seizure"),
    ("he's in a stupor on the couch", "caregiver", "drowsiness"),
    ("she cant catch her wind", "caregiver", "breathing"),
])
def test_round_fourteen_each_new_sign_phrase_is_pinned(text: str, sender: str, sign: str) -> None:
    reading = read_sms(text, sender=sender)
    assert (reading.urgency, sign in reading.signs) == ("emergency", True)


@pytest.mark.parametrize("text", ["bottle is almost empty", "been out since tuesday", "the shipment was missed",
                                  "the pharmacy is closed"])
def test_round_fourteen_each_new_supply_phrase_is_pinned(text: str) -> None:
    assert "supply_problem" in read_sms(text, sender="patient").intents


def test_round_fourteen_a_call_promised_acknowledges_and_spazing_is_spasms() -> None:
    assert "ack" in read_sms("I'll give her a ring", sender="caregiver").intents
    spasms = read_sms("my legs are spazing", sender="patient")
    assert (spasms.urgency, "spasms" in spasms.symptoms) == ("urgent", True)


# Round fifteen: the sixteen emergencies the untouched judges (Z-AB, AK-AN) missed were all read "none", placed somewhere
# with confidence. Six of them as reassurance, by a word that said nothing about how the person was. Sentences of our own.
def _read_with_the_net_between_its_bars(text: str, sender: str, monkeypatch: pytest.MonkeyPatch) -> reading_module.Reading:
    """``text`` read with the safety net's score halfway between its threshold and threshold + QUESTION_MARGIN."""
    score = trouble_net.load().threshold + reading_module.QUESTION_MARGIN / 2
    monkeypatch.setattr(trouble_net, "trouble_probability", lambda text, sender: score)
    return read_sms(text, sender=sender)  # type: ignore[arg-type]


@pytest.mark.parametrize(("text", "sender"), [
    # a part's opening "well" / "ok so": the way people start talking
    ("Well I hate to be a pest but he looks awful gray", "caregiver"),
    ("well I don't want to bother anyone, she's making a funny noise", "caregiver"),
    ("okay so my legs are acting super weird right now", "patient"),
    ("ok so I feel really off", "patient"),
    # "bien" as "very", before a word that is not itself reassurance
    ("anda bien raro hoy", "caregiver"),
    ("la veo bien pálida y bien floja", "caregiver"),
    # a "good" / "bien" a few words after the "no" or "can't" that takes it back
    ("I no can walk good today", "patient"),
    ("he can't walk right or good", "caregiver"),
    ("no puede hablar muy bien", "caregiver"),
    # "nothing" as what makes no sense
    ("nothing she says makes sense", "caregiver"),
    ("ya no entiende nada", "caregiver"),
])
def test_round_fifteen_a_word_that_only_sounds_like_reassurance_does_not_raise_the_nets_bar(
        text: str, sender: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # The net's score pinned between its threshold and threshold + QUESTION_MARGIN: read as reassurance, the text needed
    # the margin and stayed "none"; these words reassure nobody, so the net's word makes it urgent and forwarded.
    reading = _read_with_the_net_between_its_bars(text, sender, monkeypatch)
    assert (reading.urgency, reading.forward, "all_well" in reading.intents) == ("urgent", True, False), text


@pytest.mark.parametrize(("text", "sender"), [
    ("she's doing well today", "caregiver"),
    ("Well, he's fine, thanks", "caregiver"),
    ("todo bien mija", "patient"),
    ("estoy bien gracias", "patient"),
    ("bien tranquilo hoy", "caregiver"),
    ("ok", "patient"),
    ("nothing new, all good", "patient"),
    ("no shaking, feeling good", "patient"),
])
def test_round_fifteen_reassurance_still_raises_the_nets_bar(
        text: str, sender: str, monkeypatch: pytest.MonkeyPatch) -> None:
    assert _read_with_the_net_between_its_bars(text, sender, monkeypatch).urgency == "none", text


@pytest.mark.parametrize(("text", "sender", "sign"), [
    # a denial, then "now" and something new: the denial does not reach past the "now"
    ("no son temblores, ahora respira lento lento", "caregiver", "breathing"),
    ("ya no son temblores, ahora respira feo y bien lento", "caregiver", "breathing"),
    # an inability weighed with "even" is the inability
    ("no puedo ni respirar", "patient", "breathing"),
    ("she can't even breathe right", "caregiver", "breathing"),
    ("ni siquiera puede respirar", "caregiver", "breathing"),
    ("i cant even breath", "patient", "breathing"),
])
def test_round_fifteen_a_sign_after_a_denial_and_now_or_weighed_with_even_is_an_emergency(
        text: str, sender: str, sign: str) -> None:
    reading = read_sms(text, sender=sender)  # type: ignore[arg-type]
    assert (reading.urgency, sign in reading.signs) == ("emergency", True), text


@pytest.mark.parametrize(("text", "sender"), [
    ("no seizures, now he's napping after lunch", "caregiver"),
    ("ya no tiene temblores y ahora está bien", "caregiver"),
    ("I can't even tell you how good she looks today", "caregiver"),
])
def test_round_fifteen_a_denial_then_now_or_even_near_misses_raise_nothing(text: str, sender: str) -> None:
    assert read_sms(text, sender=sender).urgency == "none", text  # type: ignore[arg-type]


# Round fifteen, urgency and signs (reader15b; Z-AB and AK-AN tuned on). Sentences of our own for each class of misreading.
@pytest.mark.parametrize(("text", "sender", "sign"), [
    # breathing: a word between the breathing and its slowness ("still", "awful"), a rate hedged ("RR around 7", "rr como 6")
    ("his breathing is still really slow and he won't sit up", "caregiver", "breathing"),
    ("mom's breathing awful slow tonight", "caregiver", "breathing"),
    ("checked her, RR around 7 and shallow", "caregiver", "breathing"),
    ("rr como 6, casi no se mueve el pecho", "caregiver", "breathing"),
    # the breath not caught, weighed with "seem to", "really", "quite"
    ("sorry to bug you but I can't seem to catch my breath", "patient", "breathing"),
    ("cant really catch my breath rn", "patient", "breathing"),
    ("I cannot quite get enough air in sitting here", "patient", "breathing"),
    # the lips' colour with words between, or the colour "about/around" the lips
    ("his lips have gone sort of plum coloured purple", "caregiver", "breathing"),
    ("her lips have gone bluish and she's not right", "caregiver", "breathing"),
    ("dad's lips r kinda blew", "caregiver", "breathing"),
    ("she's gone rather grey around the lips", "caregiver", "breathing"),
    ("los labios se le ven dusky", "caregiver", "breathing"),
    # the seizure's features: foam in the mouth or beside the jerking, eyes back in the head, shaking on the floor
    ("he's stiff and there's foam in his mouth", "caregiver", "seizure"),
    ("ambulance called, he's still jerking and there is foam", "caregiver", "seizure"),
    ("my son says my eyes went back in my head while I was eating", "patient", "seizure"),
    ("grandma is shaking on the kitchen floor", "caregiver", "seizure"),
    # confusion: asked who we are ("me preguntó quién soy", "nos pregunta quiénes somos"), "says who are you"
    ("mi papá me preguntó quién soy, soy su hija", "caregiver", "confusion"),
    ("nos pregunta quienes somos y donde está su casa", "caregiver", "confusion"),
    ("he look at me and say who are you", "caregiver", "confusion"),
    # drowsiness: shaken or called and not waking
    ("I shake her and shake her and she dont wake up", "caregiver", "drowsiness"),
    ("I call his name loud, he is not wake up", "caregiver", "drowsiness"),
])
def test_round_fifteen_urgency_sign_described_is_an_emergency(text: str, sender: str, sign: str) -> None:
    reading = read_sms(text, sender=sender)  # type: ignore[arg-type]
    assert (reading.urgency, sign in reading.signs) == ("emergency", True), text


@pytest.mark.parametrize(("text", "sender"), [
    ("his breathing is still fine, just tired", "caregiver"),
    ("RR around 16, alert, chatting", "caregiver"),
    ("I can't seem to catch a break with this pharmacy", "patient"),
    ("her lips have gone dry from the heater", "caregiver"),
    ("he wiped the foam off his latte lol", "patient"),
    ("she shook the rug out on the floor", "caregiver"),
    ("me preguntó quién soy yo para decirle qué hacer, está de malas", "caregiver"),
    ("she says who are you texting, it's just the pill reminder", "caregiver"),
    ("no seizure, no foam, breathing normal", "caregiver"),
    ("I shake him in the morning and he wakes right up", "caregiver"),
])
def test_round_fifteen_urgency_near_misses_raise_no_emergency(text: str, sender: str) -> None:
    assert read_sms(text, sender=sender).urgency != "emergency", text  # type: ignore[arg-type]


@pytest.mark.parametrize(("text", "sender"), [
    # a stutter typed out is the word ("nnnot", "ssshaking")
    ("nnno jerking at all today, ffffine", "patient"),
    ("nnno ssseizures today, all good", "caregiver"),
    # a denial made emphatic ("the least bit", "whatsoever"), Spanish "nada" before the state
    ("I am not the least bit sleepy, thank you", "patient"),
    ("no confusion whatsoever, sharp as a tack", "caregiver"),
    ("amaneció nada adormilado, bien platicador", "caregiver"),
    # spasms said quiet
    ("fine here, my spasms real quiet this week", "patient"),
    # a seizure a year past ("del año pasado") that has not come back
    ("la convulsión del año pasado fue la única, nada desde entonces", "patient"),
    # "si le llega a dar": a conditional
    ("si me llega a dar una convulsión estando sola, ¿qué hago?", "patient"),
    # the seizure medicine named, not the seizure
    ("is it ok with her seizure medication?", "caregiver"),
    ("can I take it with my seizure pills", "patient"),
])
def test_round_fifteen_urgency_denial_or_question_alarms_nobody(text: str, sender: str) -> None:
    assert read_sms(text, sender=sender).urgency == "none", text  # type: ignore[arg-type]


@pytest.mark.parametrize(("text", "sender", "sign"), [
    ("cccan't bbbreathe", "patient", "breathing"),
    ("he had a seizure this morning, seizure meds given by EMS", "caregiver", "seizure"),
    ("she's seizing now, her seizure pills are in the drawer", "caregiver", "seizure"),
    ("si, le está dando una convulsión ahorita", "caregiver", "seizure"),
])
def test_round_fifteen_urgency_stutter_and_medicine_near_misses_stay_emergencies(text: str, sender: str, sign: str) -> None:
    reading = read_sms(text, sender=sender)  # type: ignore[arg-type]
    assert (reading.urgency, sign in reading.signs) == ("emergency", True), text


@pytest.mark.parametrize(("text", "sender"), [
    # one hand shaking "all day" is the tremor, not the whole body
    ("tengo el brazo temblando todo el día", "patient"),
    ("le anda temblando la mano todo el rato", "caregiver"),
    # whether it was a seizure is doubted ("can't say if"), or the spell over and talking went on
    ("she stared off for a bit and I honestly can't say if it was a seizure", "caregiver"),
    ("no sé si fue un ataque, se quedó mirando fijo y después siguió comiendo normal", "caregiver"),
])
def test_round_fifteen_urgency_tremor_or_doubted_spell_is_urgent_not_emergency(text: str, sender: str) -> None:
    reading = read_sms(text, sender=sender)  # type: ignore[arg-type]
    assert (reading.urgency, reading.forward) == ("urgent", True), text


@pytest.mark.parametrize(("text", "sender"), [
    # things seen that are not there, the person still knowing people ("sees little kids in the corner", "seein lil spiders")
    ("she keeps seeing little kids in the corner of the room. she knows me, no fever", "caregiver"),
    ("i been seein lil spiders on the wall but i know they aint there. otherwise good", "patient"),
    ("mi mamá ve como sombritas en el techo, pero sabe quién soy, lo demás bien", "caregiver"),
    # the heart said racing in the perfect ("has been racing")
    ("took it at 9 but my heart has been racing since lunch", "caregiver"),
    # "dozier": drowsier
    ("he's a bit dozier than usual but answers me fine", "caregiver"),
    # legs that jump or pull by themselves, in Spanish ("me saltan solas", "tirones en las piernas")
    ("ya me la tomé, anoche las piernas me saltaban solitas", "patient"),
    ("se le van acabando las pastillas y le dan tirones en los brazos", "caregiver"),
])
def test_round_fifteen_urgency_brief_symptom_is_urgent(text: str, sender: str) -> None:
    reading = read_sms(text, sender=sender)  # type: ignore[arg-type]
    assert (reading.urgency, reading.forward) == ("urgent", True), text


@pytest.mark.parametrize(("text", "sender"), [
    ("she saw the grandkids today, very happy, all good", "caregiver"),
    ("she saw the kids in the living room, all good", "caregiver"),
    ("no racing heart, all calm", "patient"),
    ("las niñas saltaban en el brincolín, todo bien", "caregiver"),
])
def test_round_fifteen_urgency_brief_symptom_near_misses_stay_none(text: str, sender: str) -> None:
    assert read_sms(text, sender=sender).urgency == "none", text  # type: ignore[arg-type]


@pytest.mark.parametrize(("text", "sender", "sign"), [
    # an inability put "can't seem to" or "have not been able to" is the inability
    ("she can't seem to keep her eyes open at all", "caregiver", "drowsiness"),
    ("since noon I have not been able to stay awake more than a minute", "patient", "drowsiness"),
    ("he hasn't been able to stay awake since lunch", "caregiver", "drowsiness"),
    # pidgin and ESL "no can" is "can't"
    ("me no can breathe, help", "patient", "breathing"),
    # sleepiness weighed "dreadfully", "horribly"
    ("I'm horribly drowsy, worse than ever", "patient", "drowsiness"),
    # the whole body shaking, the verb first ("le tiembla todo el cuerpo")
    ("a mi tío le tiembla todo el cuerpo y no contesta", "caregiver", "seizure"),
    # asleep mid-sentence; the eyes opened and sleep again ("y se vuelve a quedar"); Portuguese
    ("se durmió en media frase y no lo despierto", "caregiver", "drowsiness"),
    ("le hablo, abre tantito los ojos y se vuelve a quedar", "caregiver", "drowsiness"),
    ("minha mãe abre os olhos e dorme de novo, não consegue ficar acordada", "caregiver", "drowsiness"),
    # words all wrong
    ("grandpa is saying his words all wrong, none of it fits", "caregiver", "confusion"),
])
def test_round_fifteen_urgency_sign_put_otherwise_is_an_emergency(text: str, sender: str, sign: str) -> None:
    reading = read_sms(text, sender=sender)  # type: ignore[arg-type]
    assert (reading.urgency, sign in reading.signs) == ("emergency", True), text


@pytest.mark.parametrize(("text", "sender"), [
    ("I can't seem to find the refill slip", "patient"),
    ("she hasn't been able to get to the pharmacy, no symptoms", "caregiver"),
    ("no can do the 8am, I'll take it at 9", "patient"),
    ("la convulsión de la semana pasada fue la última, gracias", "caregiver"),
    ("she typed the words all wrong on her phone lol, she's fine", "caregiver"),
])
def test_round_fifteen_urgency_put_otherwise_near_misses_raise_no_emergency(text: str, sender: str) -> None:
    assert read_sms(text, sender=sender).urgency != "emergency", text  # type: ignore[arg-type]


@pytest.mark.parametrize(("text", "sender", "sign"), [
    # asking for a place or a person is no question about the sign ("pregunta por la casa" after a sign)
    ("no me reconoce y pregunta por la casa de su mamá", "caregiver", "confusion"),
    # not even cold water or a shake opens the eyes ("ni ... abre los ojos"); "so asleep that" she cannot be woken
    ("ni con agua fría en la cara abre los ojos", "caregiver", "drowsiness"),
    ("está tan dormido que ni se mueve cuando le hablo", "caregiver", "drowsiness"),
    # a "why can't she ...?" takes the state as given
    ("why can't he keep his eyes open?? it's noon", "caregiver", "drowsiness"),
])
def test_round_fifteen_urgency_sign_beside_a_question_word_is_an_emergency(text: str, sender: str, sign: str) -> None:
    reading = read_sms(text, sender=sender)  # type: ignore[arg-type]
    assert (reading.urgency, sign in reading.signs) == ("emergency", True), text


@pytest.mark.parametrize(("text", "sender"), [
    # a visit note's field said none; a question beside period cramps (a guard: it already read none)
    ("Shift note: seizures: none. breathing: unlabored. meds given 8am", "caregiver"),
    ("my period cramps are awful, can I take tylenol with it?", "patient"),
    # still a question about the sign
    ("mi hija me pregunta por las convulsiones, ¿le pueden dar con esta pastilla?", "patient"),
])
def test_round_fifteen_urgency_field_or_period_or_topic_alarms_nobody(text: str, sender: str) -> None:
    assert read_sms(text, sender=sender).urgency == "none", text  # type: ignore[arg-type]


@pytest.mark.parametrize(("text", "sender"), [
    # period cramps are no spasticity
    ("period cramps r brutal today, took it at 8 tho", "patient"),
    ("tengo cólicos de la regla, ya me tomé la pastilla", "patient"),
    ("menstrual cramps again, otherwise fine", "patient"),
])
def test_round_fifteen_urgency_period_cramps_are_no_spasms(text: str, sender: str) -> None:
    assert read_sms(text, sender=sender).urgency == "none", text  # type: ignore[arg-type]


@pytest.mark.parametrize(("text", "sender"), [
    ("leg cramps all night, worse than usual", "patient"),
    ("her period is fine but her legs cramp and jump all night", "caregiver"),
])
def test_round_fifteen_urgency_leg_cramps_stay_urgent(text: str, sender: str) -> None:
    assert read_sms(text, sender=sender).urgency == "urgent", text  # type: ignore[arg-type]


# Round fifteen, doses and acknowledgements (heldout13-19 tuned on). Sentences of our own.
@pytest.mark.parametrize(("text", "sender"), [
    # a second dose said as two doses named together, at the same time, or "junto con" the other
    ("took my lunch pill and then my 5 o'clock one together, oops", "patient"),
    ("she had her noon ones and the evening ones at the same time", "caregiver"),
    ("me tomé la de la noche junto con la de la tarde, ando bien", "patient"),
    ("le di la del mediodía junto con la de la mañana sin fijarme", "caregiver"),
    # twice after a clock time, "dos veses" misspelt, dictation's baclofen
    ("took my 6 o'clock twice I think, feel ok", "patient"),
    ("se tomó dos veses la de la noche", "caregiver"),
    ("he took the back of in twice today", "caregiver"),
])
def test_round_fifteen_doses_a_second_dose_said_together_or_twice_is_extra(text: str, sender: str) -> None:
    assert read_sms(text, sender=sender).dose == "extra", text  # type: ignore[arg-type]


@pytest.mark.parametrize(("text", "sender", "dose"), [
    # near misses: "again and again" is no second dose; one dose at a clock time is one dose
    ("my dad keeps asking me the same thing again and again today", "caregiver", "none"),
    ("took my 6 o'clock with dinner", "patient", "taken"),
    ("took it together with my breakfast", "patient", "taken"),
])
def test_round_fifteen_doses_again_and_again_and_one_dose_stay_as_they_were(text: str, sender: str, dose: str) -> None:
    assert read_sms(text, sender=sender).dose == dose, text  # type: ignore[arg-type]


@pytest.mark.parametrize(("text", "sender"), [
    # a forgetting or a sleep-in after the dose taken says why it came late or unreported, not a dose missed
    ("took it just now, sorry I forgot", "patient"),
    ("ya me la tomé, perdón se me olvidó el mensaje", "patient"),
    ("ya le di su pastilla a mi papá, se le había olvidado con la visita", "caregiver"),
    ("gave it to him just now, he slept in", "caregiver"),
    ("Took my morning one late. Overslept.", "patient"),
    # a miss read inside a dose taken: "take it at" inside "saw her take it at"
    ("I saw him take it at 9:05, he just never answers texts", "caregiver"),
])
def test_round_fifteen_doses_a_forgetting_after_the_dose_taken_is_taken(text: str, sender: str) -> None:
    assert read_sms(text, sender=sender).dose == "taken", text  # type: ignore[arg-type]


@pytest.mark.parametrize(("text", "sender"), [
    # near misses: a forgetting that names another dose or a day still misses one; a forgetting alone is a miss
    ("took my morning pill but forgot the noon one", "patient"),
    ("gave it to her yesterday, forgot today", "caregiver"),
    ("took it. forgot my evening one tho", "patient"),
    ("forgot", "patient"),
    ("se me olvidó la de la noche", "patient"),
])
def test_round_fifteen_doses_a_forgetting_that_names_a_dose_still_misses_it(text: str, sender: str) -> None:
    assert read_sms(text, sender=sender).dose == "not_taken", text  # type: ignore[arg-type]


@pytest.mark.parametrize(("text", "sender"), [
    # a dose taken in other words: a strength at a clock time, a tablet administered, a named dose "down", "takin it rn",
    # "popped it", pidgin's "wen take", "I give her now", "ya quedó"
    ("I give her 5 mg at 7:45", "caregiver"),
    ("15mg at 13:10", "patient"),
    ("10 mg dado a las 0900", "caregiver"),
    ("Tablet administered 0830, no issues", "caregiver"),
    ("evening dose down, off to bed", "patient"),
    ("takin it now brb", "patient"),
    ("popped my pill on the bus", "patient"),
    ("Grandpa wen take um after breakfast", "caregiver"),
    ("ok ok I give her now, she fussing", "caregiver"),
    ("ya quedó, con el desayuno", "patient"),
])
def test_round_fifteen_doses_a_dose_taken_in_other_words(text: str, sender: str) -> None:
    assert read_sms(text, sender=sender).dose == "taken", text  # type: ignore[arg-type]


@pytest.mark.parametrize(("text", "sender"), [
    # near misses: a strength asked about, a knee that popped, a pill popped out, a thing settled
    ("is 10 mg at 8 too much?", "patient"),
    ("my knee popped on the stairs", "patient"),
    ("the pill popped out of the blister pack", "patient"),
    ("ya quedó todo arreglado con la farmacia", "caregiver"),
    ("I give him a call now", "caregiver"),
])
def test_round_fifteen_doses_other_words_near_misses_record_no_dose(text: str, sender: str) -> None:
    assert read_sms(text, sender=sender).dose == "none", text  # type: ignore[arg-type]


@pytest.mark.parametrize(("text", "sender"), [
    # no dose missed where nothing says one was: forgetting a fact or forgetting sometimes, a denial with "ain't had no",
    # a sign "given" denied, asleep supposed or gone by, a night slept through, "can't swallow" asked about crushing, the
    # answer forgotten, a question beside a "nah", "todavía no la puedo despertar" (a sign, not a dose)
    ("she keeps forgetting what day it is, bit foggy", "caregiver"),
    ("se me olvidó lo que me explicó la enfermera", "patient"),
    ("¿qué hago si se le pasa una? a veces se le olvida", "caregiver"),
    ("aint had no twitchin all week, doin fine", "patient"),
    ("todo bien, no le dio nada en la noche, ni un temblor", "caregiver"),
    ("Si algún día lo veo bien dormido, ¿lo despierto?", "caregiver"),
    ("all good, she was only asleep on the couch", "caregiver"),
    ("anda bien, se había quedado dormida con la tele", "caregiver"),
    ("no problems, slept through the night for once", "caregiver"),
    ("he can hardly swallow them, can I grind them up in pudding?", "caregiver"),
    ("cuántas son al día? el doctor me dijo pero se me olvidó", "patient"),
    ("is it ok with coffee or nah", "patient"),
    ("ya vienen los paramédicos, todavía no lo puedo despertar", "caregiver"),
])
def test_round_fifteen_doses_no_miss_invented_where_no_dose_is_said(text: str, sender: str) -> None:
    assert read_sms(text, sender=sender).dose == "none", text  # type: ignore[arg-type]


@pytest.mark.parametrize(("text", "sender"), [
    # near misses: a dose forgotten, still asleep, a dose not taken asked about, a miss said then asked about
    ("se me olvidó la pastilla de la mañana", "patient"),
    ("forgot my noon dose", "patient"),
    ("she's still asleep, I'll give it when she's up", "caregiver"),
    ("didn't take it, can I take it now?", "patient"),
    ("no le di la de la noche, se la doy ahorita?", "caregiver"),
    ("he refused his pills again", "caregiver"),
])
def test_round_fifteen_doses_a_miss_said_still_misses(text: str, sender: str) -> None:
    assert read_sms(text, sender=sender).dose == "not_taken", text  # type: ignore[arg-type]


@pytest.mark.parametrize(("text", "sender"), [
    # a second dose in other words: "oops took 2", "like 5 of them", one of a relative's or a friend's, someone else's
    # tablets too, another's tablet with its strength said, a second dose asked about a worry after it
    ("uh oh I took 2 of them", "patient"),
    ("took like 5 of them, back was killing me", "patient"),
    ("me tomé una de mi esposo sin fijarme", "patient"),
    ("she took Tío Beto's pills too", "caregiver"),
    ("I give Rosa the Mateo tablet, his is 20 mg, hers 10", "caregiver"),
    ("He took his bedtime one twice, should we be worried?", "caregiver"),
    ("me tomé dos veces la de la tarde me va a pasar algo?", "patient"),
])
def test_round_fifteen_doses_a_second_dose_in_other_words_is_extra(text: str, sender: str) -> None:
    assert read_sms(text, sender=sender).dose == "extra", text  # type: ignore[arg-type]


@pytest.mark.parametrize(("text", "sender", "dose"), [
    # near misses: late said with a two, a worry asked with no second dose
    ("oops took it 2 hours late", "patient", "taken"),
    ("took it at 8, should I be worried about the drowsiness?", "patient", "taken"),
    ("should I be worried if she takes two by accident?", "caregiver", "none"),
])
def test_round_fifteen_doses_other_words_for_extra_near_misses(text: str, sender: str, dose: str) -> None:
    assert read_sms(text, sender=sender).dose == dose, text  # type: ignore[arg-type]


@pytest.mark.parametrize("text", [
    # taking it on in other words: a nurse "calling it in", going to look now or next, writing to the patient
    "resp 8 and shallow, can't keep her awake. calling it in",
    "BP 80/50, very drowsy. Calling it in now",
    "ahorita lo reviso",
    "voy a revisarla, gracias",
    "Thanks, I'll nip downstairs and have a look at him.",
    "I check Maria now",
    "ya le marco a mi papá",
])
def test_round_fifteen_doses_acks_taking_it_on_in_other_words(text: str) -> None:
    assert "ack" in read_sms(text, sender="caregiver").intents, text


@pytest.mark.parametrize("text", [
    # near misses and invented acknowledgements: a prescription called in, a name that starts with "ok", a greeting passed
    # on, the patient's own "ya voy" said to someone who is not there, calling it in asked
    "we're waiting for the doc to call it in",
    "Shift note: meds given by aide L. Okoro, no issues",
    "thanks again, tell her hi from us",
    "está platicando con mi abuelo que ya murió, le dijo ya voy viejo",
    "should I be calling it in?",
])
def test_round_fifteen_doses_acks_not_invented(text: str) -> None:
    assert "ack" not in read_sms(text, sender="caregiver").intents, text


@pytest.mark.parametrize("text", ["ok", "okay", "okk", "okie", "Okayyy on it", "OK will do"])
def test_round_fifteen_doses_acks_ok_said_still_acknowledges(text: str) -> None:
    assert "ack" in read_sms(text, sender="caregiver").intents, text


@pytest.mark.parametrize("text", ["She's after taking it with her tea", "he's after having his tablet"])
def test_round_fifteen_doses_after_taking_it_is_taken(text: str) -> None:
    assert read_sms(text, sender="caregiver").dose == "taken", text


@pytest.mark.parametrize(("text", "sender", "dose"), [
    # a dose stated, then a tag question or "is it ok to" about something else: the dose stands
    ("Gave it at 9:40, is that too late?", "caregiver", "taken"),
    ("took mine at 7, is it ok to have a beer later?", "patient", "taken"),
    # a sign after "ahorita no": "no puedo respirar" is a sign, not a dose put off
    ("ya me la tomé y ahorita no puedo respirar casi", "patient", "taken"),
    # taken by several in Spanish
    ("los dos ya se tomaron la de la mañana", "caregiver", "taken"),
    # skipped in Spanish, "nt yet", stopped with the English name or "the"
    ("me la salté hoy, ando sin ellas", "patient", "not_taken"),
    ("se saltó la dosis de la noche", "caregiver", "not_taken"),
    ("nt yet sry", "patient", "not_taken"),
    ("mi papá dejó el baclofen el lunes y anda temblando", "caregiver", "not_taken"),
    ("she quit the baclofen friday and her legs are jumping", "caregiver", "not_taken"),
])
def test_round_fifteen_doses_more_doses_in_other_words(text: str, sender: str, dose: str) -> None:
    assert read_sms(text, sender=sender).dose == dose, text  # type: ignore[arg-type]


@pytest.mark.parametrize(("text", "sender", "dose"), [
    # near misses: "ahorita no" putting a dose off still does; a jump is no skip; asked, not said
    ("ahorita no puedo, me la tomo en la noche", "patient", "not_taken"),
    ("el niño saltó de la cama y ya está bien", "caregiver", "none"),
    ("is it ok to take it with ibuprofen?", "patient", "none"),
])
def test_round_fifteen_doses_more_doses_near_misses(text: str, sender: str, dose: str) -> None:
    assert read_sms(text, sender=sender).dose == dose, text  # type: ignore[arg-type]


@pytest.mark.parametrize("text", [
    # a status request with a longer giver, a longer dose named, or a second language's present asked
    "did the home aide give Mom her 2 o'clock?",
    "Has Grandpa's evening dose been logged yet?",
    "Rosa take her night pill? I'm stuck at work",
])
def test_round_fifteen_doses_status_requests_said_at_more_length(text: str) -> None:
    assert "status_request" in read_sms(text, sender="caregiver").intents, text


@pytest.mark.parametrize(("text", "sender"), [
    # a supply problem: the last one in the bottle, enough for a day or two more
    ("that was my last pill in the bottle btw", "patient"),
    ("She has enough for maybe 2 more days", "caregiver"),
])
def test_round_fifteen_doses_supply_left_with_a_little(text: str, sender: str) -> None:
    assert "supply_problem" in read_sms(text, sender=sender).intents, text  # type: ignore[arg-type]


@pytest.mark.parametrize(("text", "sender"), [
    # no supply problem: dazed, "out of it"; enough of something else
    ("she's pretty out of it today, keeps dozing off while I talk", "caregiver"),
    ("he seems out of it but knows me", "caregiver"),
    ("I've had enough for one day lol", "patient"),
])
def test_round_fifteen_doses_out_of_it_is_no_supply_problem(text: str, sender: str) -> None:
    assert "supply_problem" not in read_sms(text, sender=sender).intents, text  # type: ignore[arg-type]


@pytest.mark.parametrize(("text", "sender"), [
    # a stronger tablet dispensed and one of them taken: an extra dose, and no supply problem
    ("the drugstore pharmacist gave me 25s instead of my 10s and I already took one", "patient"),
    ("la farmacia le dio de 20 en lugar de las de 10 y ya le di una", "caregiver"),
])
def test_round_fifteen_doses_a_stronger_tablet_dispensed_and_taken_is_extra(text: str, sender: str) -> None:
    reading = read_sms(text, sender=sender)  # type: ignore[arg-type]
    assert (reading.dose, "supply_problem" in reading.intents) == ("extra", False), text


@pytest.mark.parametrize(("text", "sender"), [
    # near misses: dispensed and not taken, or asked about, stays the supply problem
    ("pharmacy gave us 20s instead of 10s, haven't opened them", "caregiver"),
    ("the pharmacy gave me 20 mg instead of 10. should I cut them?", "patient"),
])
def test_round_fifteen_doses_a_stronger_tablet_dispensed_alone_stays_a_supply_problem(text: str, sender: str) -> None:
    reading = read_sms(text, sender=sender)  # type: ignore[arg-type]
    assert (reading.dose, "supply_problem" in reading.intents) == ("none", True), text


@pytest.mark.parametrize(("text", "sender"), [
    # "stop it" asked about the medicine is no request to stop the texts (an invented stop ends the alerts)
    ("can i stop it once the spasms settle?", "patient"),
    ("Do we have to stop it before her surgery?", "caregiver"),
    ("is it safe if i just stop it for a week", "patient"),
    ("can you take me off this medicine", "patient"),
])
def test_round_fifteen_doses_stopping_the_medicine_asked_is_no_stop(text: str, sender: str) -> None:
    assert "stop" not in read_sms(text, sender=sender).intents, text  # type: ignore[arg-type]


@pytest.mark.parametrize(("text", "sender"), [
    # a request to stop the texts still stops them; a bare "take me off this"
    ("stop it", "patient"),
    ("Stop it please, I'm done with these", "patient"),
    ("Please take me off this. He moved out", "caregiver"),
    ("take me off this pls", "caregiver"),
])
def test_round_fifteen_doses_a_request_to_stop_still_stops(text: str, sender: str) -> None:
    assert "stop" in read_sms(text, sender=sender).intents, text  # type: ignore[arg-type]


# Round fifteen's table-drop run (`python -m tests.unit.reading_mutations --rules-alone --since 51c382e`): 89 phrases
# added this round, 75 noticed when dropped. Each sentence below (written for this, in no batch) reads as it does only
# because of one of those that went unnoticed; dropping that entry changes its reading (checked entry by entry).
@pytest.mark.parametrize(("text", "sign"), [
    ("there's foam coming out of his mouth", "seizure"),
    ("tiene espuma en su boca", "seizure"),
    ("ela abre os olhos e dorme de novo", "drowsiness"),
    ("ele não consegue ficar acordado", "drowsiness"),
    ("ela não está acordando", "drowsiness"),
    ("he is saying the words all wrong", "confusion"),
    ("his words come out all wrong", "confusion"),
    ("mi abuela preguntando quienes somos", "confusion"),
])
def test_round_fifteen_each_new_sign_phrase_is_pinned(text: str, sign: str) -> None:
    reading = read_sms(text, sender="caregiver")
    assert (reading.urgency, sign in reading.signs) == ("emergency", True), text


@pytest.mark.parametrize("text", ["gonna pop upstairs", "I'll have a look at her", "ya le mando mensaje a su hija",
                                  "ya le escribo a mi tia"])
def test_round_fifteen_each_new_acknowledgement_phrase_is_pinned(text: str) -> None:
    assert "ack" in read_sms(text, sender="caregiver").intents, text


# Round sixteen, doses, acknowledgements and requests (material batches tuned on, heldout20-23 read for the first time).
# Sentences of our own, each class checked failing before its change.
@pytest.mark.parametrize(("text", "sender"), [
    # "ain't had" a fit, a spell, a seizure, the shakes: a denial in the South's words, no dose missed
    ("ain't had one fit since christmas, doing fine", "patient"),
    ("aint had a single spell since june", "patient"),
    ("she ain't had a seizure since they changed her dose", "caregiver"),
    ("he aint had any jerks or nothing this week", "caregiver"),
])
def test_round_sixteen_doses_aint_had_a_fit_is_no_dose(text: str, sender: str) -> None:
    assert read_sms(text, sender=sender).dose == "none", text  # type: ignore[arg-type]


@pytest.mark.parametrize(("text", "sender"), [
    # near misses: "ain't had" the dose, "ain't took it" still miss it
    ("I ain't took it yet", "patient"),
    ("she aint had hers yet, still in bed", "caregiver"),
    ("aint had my pill today", "patient"),
])
def test_round_sixteen_doses_aint_had_the_dose_still_misses_it(text: str, sender: str) -> None:
    assert read_sms(text, sender=sender).dose == "not_taken", text  # type: ignore[arg-type]


@pytest.mark.parametrize(("text", "sender"), [
    # a double shift worked is no double dose; a dose later than its hour ("at 9:15 instead of 9") is one dose, late
    ("worked a doble shift yesterday, legs are fine", "patient"),
    ("me duele la espalda del doble turno, nada más", "patient"),
    ("took my 5 mg at 9:15 instead of 9, bus was late", "patient"),
    ("le di su pastilla de 10 mg a las 8:40 en vez de las 8", "caregiver"),
])
def test_round_sixteen_doses_a_double_shift_or_a_later_hour_is_no_extra_dose(text: str, sender: str) -> None:
    assert read_sms(text, sender=sender).dose != "extra", text  # type: ignore[arg-type]


@pytest.mark.parametrize(("text", "sender"), [
    # near misses: a double dose, a strength or a count instead of another, still extra
    ("took a doble dosis by accident", "patient"),
    ("se tomó doble la de la mañana", "caregiver"),
    ("took 20mg instead of 10", "patient"),
    ("took two instead of one", "patient"),
])
def test_round_sixteen_doses_a_double_dose_still_is_extra(text: str, sender: str) -> None:
    assert read_sms(text, sender=sender).dose == "extra", text  # type: ignore[arg-type]


@pytest.mark.parametrize(("text", "sender"), [
    # a dose taken said formally, in the plural, object first, or in Portuguese: "recibió su dosis", "se tomaron su baclofen",
    # "ya tomaron", "la pastilla la tomó a las ...", "pastilla de las 2 dada", "já tomou"
    ("mis papás se tomaron su baclofen a las 9", "caregiver"),
    ("ya tomaron los dos, gracias", "caregiver"),
    ("le comunico que el señor recibió su medicamento a las 8", "caregiver"),
    ("Resident received her 2pm dose with lunch", "caregiver"),
    ("mi abuelo está un poco confundido hoy. La pastilla la tomó a las 9", "caregiver"),
    ("dosis de las 8 administrada sin problema", "caregiver"),
    ("a mãe já tomou o remédio das 8", "caregiver"),
    ("já tomei a pastilha, obrigado", "patient"),
])
def test_round_sixteen_doses_a_dose_taken_said_formally_or_in_portuguese(text: str, sender: str) -> None:
    assert read_sms(text, sender=sender).dose == "taken", text  # type: ignore[arg-type]


@pytest.mark.parametrize(("text", "sender", "dose"), [
    # near misses: not received, not taken in Portuguese, the habit of a clock time, the question
    ("el paciente no recibió su dosis de las 8, estaba en estudios", "caregiver", "not_taken"),
    ("ela não tomou a pastilha ainda", "caregiver", "not_taken"),
    ("la pastilla la tomo a las 8 todos los días, ¿está bien?", "patient", "none"),
    ("¿ya tomaron?", "caregiver", "none"),
])
def test_round_sixteen_doses_formal_and_portuguese_near_misses(text: str, sender: str, dose: str) -> None:
    assert read_sms(text, sender=sender).dose == dose, text  # type: ignore[arg-type]


def test_round_sixteen_doses_a_dose_received_is_no_acknowledgement() -> None:
    reading = read_sms("Resident received her 2pm dose with lunch", sender="caregiver")
    assert "ack" not in reading.intents
    assert "ack" in read_sms("received, thanks", sender="caregiver").intents


@pytest.mark.parametrize(("text", "sender"), [
    # Portuguese not yet and later: the last clause about a dose decides, as in English and Spanish
    ("o João já tomou. A Maria ainda não, vai tomar depois do almoço", "caregiver"),
    ("ainda não, vou dar quando ela acordar", "caregiver"),
])
def test_round_sixteen_doses_portuguese_not_yet_still_misses(text: str, sender: str) -> None:
    assert read_sms(text, sender=sender).dose == "not_taken", text  # type: ignore[arg-type]


@pytest.mark.parametrize(("text", "sender"), [
    # taking the alert on in the writer's own words: at the patient's side now ("la estoy viendo ahora", "I am already with Mr
    # ...", with a title and a name), the patient taken to urgent care, already at "the emergency" of a named hospital, on the
    # line with dispatch, Madrid's SAMUR there and taking him in, walking over to see about them
    ("La estoy viendo ahora. Le tiemblan las manos un poco pero me habla bien", "caregiver"),
    ("I'm already with Mrs Lopez, her legs are jumping but she knows me", "caregiver"),
    ("tiene fiebre de 102, lo llevo a urgent care ahorita", "caregiver"),
    ("Ya estamos en el emergency de Jacobi", "caregiver"),
    ("on the phone w/ dispatch right now", "caregiver"),
    ("Ya ha llegado el SAMUR, se la llevan al hospital", "caregiver"),
    ("Brother Jim here, I'll walk down there and see bout Miss Ruby", "caregiver"),
])
def test_round_sixteen_doses_taking_the_alert_on_in_own_words_acknowledges(text: str, sender: str) -> None:
    assert "ack" in read_sms(text, sender=sender).intents, text  # type: ignore[arg-type]


@pytest.mark.parametrize(("text", "sender"), [
    # near misses: seeing someone odd is a report, not being there; a walk taken; a ride to urgent care asked about
    ("la estoy viendo muy rara desde ayer", "caregiver"),
    ("he went for a walk over to the park, all good", "caregiver"),
    ("should I take him to urgent care?", "caregiver"),
])
def test_round_sixteen_doses_taking_it_on_near_misses_acknowledge_nothing(text: str, sender: str) -> None:
    assert "ack" not in read_sms(text, sender=sender).intents, text  # type: ignore[arg-type]


def test_round_sixteen_doses_an_aide_with_the_patient_by_name_reports_no_acknowledgement() -> None:
    # an aide with the patient all morning, giving the dose, takes no alert on (only "already with Mrs ..." arrives)
    reading = read_sms("Buenos días, estoy con Don Félix desde las 7 y le di su pastilla con el desayuno", sender="caregiver")
    assert (reading.dose, "ack" in reading.intents) == ("taken", False)


@pytest.mark.parametrize(("text", "sender"), [
    # no acknowledgement invented: a fight over the pill ("fought me on it"), what the patient was told, an errand for someone
    # else, a talk with the doctor put off to tomorrow, "les aviso que" opening a report, a check that cannot be made
    ("got it into him at 8, he argued with me on it but it's down", "caregiver"),
    ("she's fine, just grumpy. I told her she needs a nap", "caregiver"),
    ("text my brother tell him dinner is at 6", "caregiver"),
    ("no se la quiso tomar otra vez, mañana le hablo a la doctora", "caregiver"),
    ("les aviso que mi papá ya está mejor, sin temblores", "caregiver"),
    ("is she ok? I'm at work and can't check on her", "caregiver"),
])
def test_round_sixteen_doses_no_acknowledgement_invented(text: str, sender: str) -> None:
    assert "ack" not in read_sms(text, sender=sender).intents, text  # type: ignore[arg-type]


@pytest.mark.parametrize(("text", "sender"), [
    # near misses: on it, told the nurse, I'll tell her, calling the doctor now, checking on her, le aviso al doctor
    ("on it", "caregiver"),
    ("I told the nurse, she's coming", "caregiver"),
    ("ok I'll tell her to take it", "caregiver"),
    ("ya le aviso a su hija", "caregiver"),
    ("checking on her now", "caregiver"),
])
def test_round_sixteen_doses_acknowledgements_near_misses_still_acknowledge(text: str, sender: str) -> None:
    assert "ack" in read_sms(text, sender=sender).intents, text  # type: ignore[arg-type]


@pytest.mark.parametrize(("text", "sender"), [
    # asked whether the dose was taken, at more length: "do you know if she took it?", with a check that cannot be made
    ("The app shows his noon as missing, do you know if he took it?", "caregiver"),
    ("did mom take it or not?? I can't check on her from here", "caregiver"),
])
def test_round_sixteen_doses_a_status_request_at_more_length(text: str, sender: str) -> None:
    reading = read_sms(text, sender=sender)  # type: ignore[arg-type]
    assert ("status_request" in reading.intents, "ack" in reading.intents) == (True, False), text


@pytest.mark.parametrize(("text", "sender"), [
    # a supply problem with the insurer in its local name (Colombia's EPS, Argentina's obra social), pills spoilt, a few left
    ("la EPS no le ha entregado la medicina a mi mamá, le quedan 2", "caregiver"),
    ("la obra social no autorizó el baclofeno todavía", "caregiver"),
    ("my meds got soaked when the bag fell in the creek", "patient"),
    ("only got 2 good ones left after the dog chewed the bottle", "patient"),
])
def test_round_sixteen_doses_a_supply_problem_in_other_words(text: str, sender: str) -> None:
    reading = read_sms(text, sender=sender)  # type: ignore[arg-type]
    assert "supply_problem" in reading.intents, text


@pytest.mark.parametrize(("text", "sender"), [
    # no supply problem: coffee spilled, dazed "out of it", a pump asked about, insurance asked about generally
    ("his hands shake so much he spilled his coffee all over", "caregiver"),
    ("she had a fit earlier, it's over but she's real out of it", "caregiver"),
    ("he had a fit 5 min ago, its done now, hes real out of it", "caregiver"),
    ("could her pump go empty without beeping at all?", "caregiver"),
])
def test_round_sixteen_doses_no_supply_problem_invented(text: str, sender: str) -> None:
    assert "supply_problem" not in read_sms(text, sender=sender).intents, text  # type: ignore[arg-type]


@pytest.mark.parametrize(("text", "sender"), [
    # pills gone days ago, doses gone by: "been outta pills 3 days", "lleva dos días sin ella", "hace 3 días que no tengo",
    # "missed two days of baclofen", "out since tuesday", pills left behind somewhere
    ("legs locking up, been outta meds 2 days", "patient"),
    ("la farmacia no la tenía y ya lleva tres días sin ella", "caregiver"),
    ("hace dos días que no tengo pastillas, el seguro no las cubre", "patient"),
    ("he missed three days of his baclofen at camp and now he's twitchy", "caregiver"),
    ("nope. out since thursday, pharmacy waiting on the doc", "patient"),
    ("can't, I left my pills at my sister's in Queens, I'll get them tomorrow", "patient"),
])
def test_round_sixteen_doses_pills_gone_for_days_is_not_taken(text: str, sender: str) -> None:
    assert read_sms(text, sender=sender).dose == "not_taken", text  # type: ignore[arg-type]


@pytest.mark.parametrize(("text", "sender", "dose"), [
    # near misses: a few days left, a day off work, a walk without the cane, "todavía no" of an insurer's approval
    ("only 3 days of pills left, refill friday", "patient", "none"),
    ("missed two days of work with the flu, took my pill today", "patient", "taken"),
    ("ya lleva dos días sin el bastón, camina bien", "caregiver", "none"),
    ("el seguro todavía no autoriza la recarga de la bomba, él está bien", "caregiver", "none"),
])
def test_round_sixteen_doses_pills_gone_near_misses(text: str, sender: str, dose: str) -> None:
    assert read_sms(text, sender=sender).dose == dose, text  # type: ignore[arg-type]


@pytest.mark.parametrize(("text", "sender"), [
    # a second dose said as "y otra a las ...", "por duplicado", taken again before a worry asked without a question mark,
    # dictation's "bag of fin" for baclofen
    ("me tomé la de la mañana y otra a las 11 porque no me acordaba, me siento bien", "patient"),
    ("le di la de la noche y otra como a las 10, se me cruzaron los cables", "caregiver"),
    ("me he tomado la de la noche por duplicado, qué despiste", "patient"),
    ("mom took hers and then took it again an hour later do i need to worry", "caregiver"),
    ("pretty sure I took the bag of fin twice this morning", "patient"),
])
def test_round_sixteen_doses_a_second_dose_in_more_words_is_extra(text: str, sender: str) -> None:
    assert read_sms(text, sender=sender).dose == "extra", text  # type: ignore[arg-type]


@pytest.mark.parametrize(("text", "sender", "dose"), [
    # near misses: each of two patients took their own ("se tomaron las suyas"); another at a time asked about; the worry alone
    ("Los dos se tomaron las suyas a las 9, todo bien", "caregiver", "taken"),
    ("¿me tomo otra a las 10 si me duele?", "patient", "none"),
    ("she took it at 8, do i need to worry about the drowsiness", "caregiver", "taken"),
])
def test_round_sixteen_doses_a_second_dose_near_misses(text: str, sender: str, dose: str) -> None:
    assert read_sms(text, sender=sender).dose == dose, text  # type: ignore[arg-type]


@pytest.mark.parametrize(("text", "sender"), [
    # a dose the patient says was taken, doubted by the writer ("yo creo que no", the slot still full, the count the same)
    ("Mi papá dice que ya se la tomó pero yo creo que no, la cajita del martes sigue llena", "caregiver"),
    ("he says he took it but the tuesday slot in the pill box is still full", "caregiver"),
    ("she swears she took it but the bottle count is the same as this morning", "caregiver"),
])
def test_round_sixteen_doses_a_dose_said_and_doubted_is_no_dose(text: str, sender: str) -> None:
    assert read_sms(text, sender=sender).dose == "none", text  # type: ignore[arg-type]


@pytest.mark.parametrize(("text", "sender"), [
    # near misses: a dose said and not doubted, or doubted about something else
    ("he says he took it at 8, all good", "caregiver"),
    ("dice que ya se la tomó, yo creo que sí", "caregiver"),
])
def test_round_sixteen_doses_a_dose_said_and_not_doubted_stays_taken(text: str, sender: str) -> None:
    assert read_sms(text, sender=sender).dose == "taken", text  # type: ignore[arg-type]


@pytest.mark.parametrize(("text", "sender"), [
    # forgetting things ("se le olvidan las cosas") is the patient's memory, not a dose missed
    ("anda algo olvidadizo, se le olvidan las cosas pero me conoce bien", "caregiver"),
    ("se me olvidan los nombres últimamente", "patient"),
])
def test_round_sixteen_doses_forgetting_things_is_no_dose_missed(text: str, sender: str) -> None:
    assert read_sms(text, sender=sender).dose == "none", text  # type: ignore[arg-type]


@pytest.mark.parametrize(("text", "sender"), [
    # eyes "not tracking" are a sign, not a parcel's tracking; sleep that overtakes "hasta comiendo" puts no dose off
    ("he's stiff, eyes open but not tracking me, jerking", "caregiver"),
    ("ando con un sueño horrible, me quedo dormido hasta en la mesa", "patient"),
])
def test_round_sixteen_doses_a_sign_in_dose_or_supply_words_is_neither(text: str, sender: str) -> None:
    reading = read_sms(text, sender=sender)  # type: ignore[arg-type]
    assert (reading.dose, "supply_problem" in reading.intents) == ("none", False), text


@pytest.mark.parametrize(("text", "sender", "dose"), [
    # a dose made sure of on arrival in Spanish ("cuando llegue", "apenas llegue"); Tagalog "naibigay ko na" (given already);
    # a parcel's tracking still a supply problem (guard below)
    ("she's at her class, i'll make sure she takes it apenas llegue", "caregiver", "not_taken"),
    ("naibigay ko na po ang gamot niya kanina 9am", "caregiver", "taken"),
])
def test_round_sixteen_doses_made_sure_of_later_or_given_in_tagalog(text: str, sender: str, dose: str) -> None:
    assert read_sms(text, sender=sender).dose == dose, text  # type: ignore[arg-type]


def test_round_sixteen_doses_a_parcels_tracking_is_still_a_supply_problem() -> None:
    assert "supply_problem" in read_sms("mail order is late, tracking says friday", sender="patient").intents


@pytest.mark.parametrize(("text", "sender"), [
    # the time something took is no dose: "took me a minute to", "took him a second to", "took three tries", "took forever"
    ("a little foggy, took me a minute to remember the date but I know where I am", "patient"),
    ("Stopped by, took him a second to place me but he knew me", "caregiver"),
    ("typing is hard today, this text took three tries", "patient"),
    ("le costó, took her forever to find her words but she knows me", "caregiver"),
])
def test_round_sixteen_doses_the_time_something_took_is_no_dose(text: str, sender: str) -> None:
    assert read_sms(text, sender=sender).dose == "none", text  # type: ignore[arg-type]


@pytest.mark.parametrize(("text", "sender", "dose"), [
    # near misses: a dose taken a minute ago, a second dose, "took me a pill"
    ("took it a minute ago", "patient", "taken"),
    ("took a second pill by accident", "patient", "extra"),
    ("she took her 2pm, took her a while to swallow it", "caregiver", "taken"),
])
def test_round_sixteen_doses_the_time_something_took_near_misses(text: str, sender: str, dose: str) -> None:
    assert read_sms(text, sender=sender).dose == dose, text  # type: ignore[arg-type]

# Round sixteen (urgency, false alarms first): a sign's word or phrase in a text that reports no sign now. Each class in
# sentences of our own; the near misses beside each class are real, current signs and stay emergencies.
@pytest.mark.parametrize(("text", "sender"), [
    # a sign's bare word echoed, then denied (double negatives too), or a bare word correcting autocorrect
    ("seizure?? no he did not have no seizure, he's at the table eating his eggs", "caregiver"),
    ("Seizures?! nah she ain't had no seizures at all", "caregiver"),
    ("convulsiones?? no, no ha tenido ninguna convulsión, está viendo la tele", "caregiver"),
    ("trouble breathing?? no trouble breathing here, who sent that", "patient"),
    ("all good, no Caesar's this week. Seizures. stupid autocorrect", "patient"),
    # history in Spanish, the years counted in words
    ("hace tres años le daban convulsiones, con la pastilla ya no", "caregiver"),
    ("hace un par de años tuve convulsiones pero desde entonces nada", "patient"),
    ("me daban convulsiones hace dos años, gracias a dios ya no", "patient"),
    # a sign someone was told to watch for, or is watching for, then denied or not seen
    ("the nurse told us to watch for trouble breathing. nothing like that so far", "caregiver"),
    ("I'm keeping an eye out for seizures like the doctor said, none so far", "caregiver"),
    ("el doctor me dijo que estuviera pendiente de convulsiones, no ha tenido nada", "caregiver"),
    # a breathing sign said of earlier, explained or over
    ("the wheezing this morning was just my allergies, it's gone now", "patient"),
    ("she was wheezing earlier but it was just from the cold air, cleared up once she came inside", "caregiver"),
    ("lo que tenía anoche de respirar con silbido era nomás el resfriado, ya se le quitó", "caregiver"),
    # deep sleep at its usual hour said to be normal for the person
    ("she's out cold on the couch, totally normal for her after Sunday dinner", "caregiver"),
    # talking to someone who is there: the doctor
    ("she says it makes her too foggy so she skipped it. we're talking to her doctor on friday", "caregiver"),
    # a writer away who asks about a dose by its hour: "no me contesta" is the phone
    ("did mom take her 9am? she's not picking up and no me contesta", "caregiver"),
    ("Did my husband take his noon? I'm in Phoenix and he won't answer me", "caregiver"),
])
def test_round_sixteen_urgency_a_sign_not_happening_now_is_no_alarm(text: str, sender: str) -> None:
    reading = read_sms(text, sender=sender)  # type: ignore[arg-type]
    assert (reading.urgency, reading.signs) == ("none", ()), text


@pytest.mark.parametrize(("text", "sender"), [
    # the same classes where the trouble net still asks a human to read the words (urgent): no sign, no emergency
    ("gave him his bedtime pill, he's out cold and snoring like every night", "caregiver"),
    ("I was talking to her this morning and she sounded like herself", "caregiver"),
])
def test_round_sixteen_urgency_a_sign_not_happening_now_is_no_emergency(text: str, sender: str) -> None:
    reading = read_sms(text, sender=sender)  # type: ignore[arg-type]
    assert (reading.urgency != "emergency", reading.signs) == (True, ()), text


@pytest.mark.parametrize(("text", "sender", "sign"), [
    # a bare word with the sign said or still going: no echo
    ("Seizure?? she's shaking all over and won't answer me", "caregiver", "seizure"),
    ("seizure. happening now. help", "caregiver", "seizure"),
    ("no seizures yesterday. Seizure now, whole body jerking", "caregiver", "seizure"),
    ("Seizure! No she is not ok", "caregiver", "seizure"),
    ("breathing?? she's barely breathing", "caregiver", "breathing"),
    # history, and a new one now
    ("Hace dos años le daban convulsiones. Hoy le dio otra convulsión.", "caregiver", "seizure"),
    ("hace dos horas tuvo una convulsión", "caregiver", "seizure"),
    # told to watch for it, and now it is here
    ("told to watch for trouble breathing and now she is gasping", "caregiver", "breathing"),
    ("I'm watching her close, her breathing is very slow and shallow", "caregiver", "breathing"),
    ("keeping an eye on her, she's gasping", "caregiver", "breathing"),
    # earlier, and still going or worse
    ("wheezing earlier and still wheezing now, lips look blue", "patient", "breathing"),
    ("the wheezing this morning was bad and it's worse now", "patient", "breathing"),
    ("she was gasping earlier and now she won't wake up", "caregiver", "drowsiness"),
    # deep sleep, not normal, or can't be woken
    ("he's out cold and I can't wake him", "caregiver", "drowsiness"),
    ("out cold and snoring weird, not normal for him", "caregiver", "drowsiness"),
    # talking to the dead, or to people not there
    ("he keeps talking to his brother who died in 2009", "caregiver", "confusion"),
    ("she's talking to her mom like she's sitting right there, her mom passed years ago", "caregiver", "confusion"),
    # a writer at the bedside
    ("she won't answer me, I'm shaking her and nothing", "caregiver", "drowsiness"),
])
def test_round_sixteen_urgency_a_sign_now_beside_those_words_stays_an_emergency(text: str, sender: str, sign: str) -> None:
    reading = read_sms(text, sender=sender)  # type: ignore[arg-type]
    assert (reading.urgency, sign in reading.signs) == ("emergency", True), text


@pytest.mark.parametrize(("text", "sender"), [
    # the person's baseline stiffness: unchanged, "no better no worse", "igual que siempre", "that's just me", "regular"
    ("spasms are about the same, not better not worse", "patient"),
    ("his spasms no better and no worse than last week", "caregiver"),
    ("los espasmos ni mejor ni peor, igual q siempre", "patient"),
    ("ando bien, las piernas tiesas igual que siempre", "patient"),
    ("no tremors. just her regular stiff legs this morning", "caregiver"),
    ("her legs are still stiff, same as always", "caregiver"),
    # someone else's fright is not the patient's agitation
    ("No seizure!! I hiccuped and my grandson panicked, I'm fine", "patient"),
    ("everybody freaked out over nothing, she just dropped a plate. she's fine", "caregiver"),
    ("no convulsión, fue que tosí fuerte y mi hija se asustó", "patient"),
    # a jerk given its ordinary cause
    ("no seizure, my whole arm jerked from a big sneeze, that's all", "patient"),
    ("not a seizure, he shook from laughing so hard at the tv", "caregiver"),
    # a clinician's "denies" over a list
    ("Visit done. Pt denies seizures, SOB, dizziness or excessive sleepiness. Stable.", "caregiver"),
    # a sign had before, none now
    ("I had tremors last month, none now", "patient"),
    # a side effect asked about, in Spanish, with "esta" as "this"
    ("¿Esta medicina puede dar temblores? Me dio miedo lo que leí", "patient"),
    ("esta pastilla da mareo?", "patient"),
])
def test_round_sixteen_urgency_a_complaint_not_made_is_no_alarm(text: str, sender: str) -> None:
    reading = read_sms(text, sender=sender)  # type: ignore[arg-type]
    assert (reading.urgency, reading.signs, reading.doubtful) == ("none", (), ()), text


@pytest.mark.parametrize(("text", "sender"), [
    # the same classes where the trouble net still asks a human to read the words: the tables read nothing, no emergency
    ("Paciente niega convulsiones, mareo o somnolencia excesiva", "caregiver"),
    ("my legs are a little stiff but that's just me, always have been", "patient"),
    ("he said he had some tremors last week, none now", "caregiver"),
])
def test_round_sixteen_urgency_a_complaint_not_made_is_read_by_no_table(text: str, sender: str) -> None:
    reading = read_sms(text, sender=sender)  # type: ignore[arg-type]
    assert (reading.urgency != "emergency", reading.signs, reading.symptoms) == (True, (), {}), text


@pytest.mark.parametrize(("text", "sender"), [
    # worse, or more than usual, beside the words of a baseline: the brief's worse spasms stay urgent
    ("spasms are worse, not better", "patient"),
    ("spasms no better, worse if anything", "patient"),
    ("legs stiff as usual but the spasms are way worse tonight", "patient"),
    ("los espasmos peor que siempre", "patient"),
    ("his legs are still stiff and jumping way more than usual", "caregiver"),
    # a fright of the patient's own, or a jerk with no ordinary cause
    ("my granddaughter panicked because my legs are jerking nonstop", "patient"),
    ("i keep panicking and my hands are shaking", "patient"),
    ("her arms keep jerking from time to time", "caregiver"),
    # "denies" ends where something is reported again
    ("Pt denies pain, reports tremors in both hands", "caregiver"),
    # something had, and still there
    ("she had tremors last week and still has them", "caregiver"),
    ("no se ha tomado nada hoy y anda temblando", "caregiver"),
    # a question in Spanish with "esta" as "is": the state is told
    ("esta temblando mucho, es normal?", "caregiver"),
])
def test_round_sixteen_urgency_a_complaint_beside_those_words_stays_urgent(text: str, sender: str) -> None:
    reading = read_sms(text, sender=sender)  # type: ignore[arg-type]
    assert reading.urgency in ("urgent", "emergency") and reading.forward, text


@pytest.mark.parametrize(("text", "sender", "sign"), [
    # the whole body jumping, or the jolts going on, in Spanish; stiff as a board and shaking; eyes rolled way back
    ("le marqué a la ambulancia pero sigue con las sacudidas", "caregiver", "seizure"),
    ("está brincando todo su cuerpo y no me contesta", "caregiver", "seizure"),
    ("he went stiff as a board and started shaking", "caregiver", "seizure"),
    ("her eyes rolled all the way back", "caregiver", "seizure"),
    # sucking for air, working so hard to get air, every breath a fight
    ("he's sucking for air, paramedics coming", "caregiver", "breathing"),
    ("I'm working real hard to get air", "patient", "breathing"),
    ("every breath is a struggle right now", "patient", "breathing"),
    # roused for a moment, then gone again
    ("I say her name, she opens her eyes for a second and then she's gone again", "caregiver", "drowsiness"),
    ("he mumbles something and drifts back under, can't keep him up", "caregiver", "drowsiness"),
    ("la muevo, abre los ojos y luego se queda ida otra vez", "caregiver", "drowsiness"),
    # folks not in the room talked to; people in the room who are not there; not knowing the writer is who they are
    ("grandma keeps talking to people that aren't in the room", "caregiver", "confusion"),
    ("dice que hay gente en la sala y les habla", "caregiver", "confusion"),
    ("mi papá me ve y no sabe que soy su hija", "caregiver", "confusion"),
])
def test_round_sixteen_urgency_a_sign_in_other_words_is_an_emergency(text: str, sender: str, sign: str) -> None:
    reading = read_sms(text, sender=sender)  # type: ignore[arg-type]
    assert (reading.urgency, sign in reading.signs) == ("emergency", True), text


@pytest.mark.parametrize(("text", "sender"), [
    # the same words with no sign: the jolts over, breath that is fine, someone gone out, people who are there
    ("ya no tiene sacudidas, sigue dormidito tranquilo", "caregiver"),
    ("the hard part is working out the pill schedule", "patient"),
    ("she came by for lunch and then she's gone again to work", "caregiver"),
    ("she's talking to people that are in the room, all good", "caregiver"),
    ("mi papá sí sabe que soy su hija, todo bien", "caregiver"),
])
def test_round_sixteen_urgency_those_words_with_no_sign_are_no_emergency(text: str, sender: str) -> None:
    assert read_sms(text, sender=sender).urgency != "emergency", text  # type: ignore[arg-type]


@pytest.mark.parametrize(("text", "sender"), [
    # the day and the place lost, misspelt or in two languages; no clue where she is, of herself
    ("i dont no wat day or wher i am", "patient"),
    ("no sé qué día es ni dónde estoy", "patient"),
    ("he doesn't know what day or where he is", "caregiver"),
    ("Grandpa has no clue where he is, thinks it's the farm in 1960", "caregiver"),
])
def test_round_sixteen_urgency_the_day_and_the_place_lost_is_an_emergency(text: str, sender: str) -> None:
    reading = read_sms(text, sender=sender)  # type: ignore[arg-type]
    assert (reading.urgency, "confusion" in reading.signs) == ("emergency", True), text


@pytest.mark.parametrize(("text", "sender"), [
    ("I have no idea where he is, he went to the store an hour ago", "caregiver"),
    ("she has no idea where she is going for vacation yet", "caregiver"),
    # neither of two named has had it; a word refused for what is happening
    ("ni mi mamá ni mi tío han tenido temblores, todo tranquilo", "caregiver"),
    ("I wouldn't call it shaky, just cold hands from the AC", "patient"),
    ("wouldn't say drowsy, she just stayed up late reading", "caregiver"),
])
def test_round_sixteen_urgency_no_one_lost_and_no_complaint_made_is_no_alarm(text: str, sender: str) -> None:
    reading = read_sms(text, sender=sender)  # type: ignore[arg-type]
    assert (reading.urgency, reading.signs) == ("none", ()), text


@pytest.mark.parametrize(("text", "sender"), [
    # spasms gone down: better, no complaint
    ("doing great, my spasms are way down since they upped the dose", "patient"),
    ("his twitching has gone down a lot this week", "caregiver"),
])
def test_round_sixteen_urgency_spasms_gone_down_are_no_alarm(text: str, sender: str) -> None:
    assert read_sms(text, sender=sender).urgency == "none", text  # type: ignore[arg-type]


@pytest.mark.parametrize(("text", "sender"), [
    # sleepiness not wanted or denied beside an extra dose is no toxicity under way: not an emergency on those words
    ("took my morning one twice by mistake, I don't want to get too sleepy at work, what do I do", "patient"),
    ("she took two by accident, she's not so sleepy, just watching tv", "caregiver"),
])
def test_round_sixteen_urgency_sleepiness_not_wanted_beside_an_extra_dose_is_no_emergency(text: str, sender: str) -> None:
    reading = read_sms(text, sender=sender)  # type: ignore[arg-type]
    assert (reading.urgency, reading.signs) == ("urgent", ()), text


@pytest.mark.parametrize(("text", "sender"), [
    # sleepiness said beside an extra dose is the toxicity under way; spasms down and back up are worse
    ("took 3 pills instead of 1 and now so drowsy", "patient"),
    ("le di dos por error y ahora está muy dormida", "caregiver"),
])
def test_round_sixteen_urgency_sleepiness_said_beside_an_extra_dose_stays_an_emergency(text: str, sender: str) -> None:
    reading = read_sms(text, sender=sender)  # type: ignore[arg-type]
    assert (reading.urgency, "drowsiness" in reading.signs) == ("emergency", True), text


def test_round_sixteen_urgency_spasms_down_then_worse_stay_urgent() -> None:
    assert read_sms("spasms went down for a week but now they're way worse", sender="patient").urgency == "urgent"


@pytest.mark.parametrize(("text", "sender", "want"), [
    # the eyes shutting by themselves, misspelt, is the emergency; denied, it is none
    ("my eyes keep shutting, can't stay awake", "patient", "emergency"),
    ("tomé doble y se me sierran solos los ojos", "patient", "emergency"),
    ("los ojos no se me cierran solos, estoy bien despierta", "patient", "none"),
])
def test_round_sixteen_urgency_eyes_shutting_by_themselves(text: str, sender: str, want: str) -> None:
    assert read_sms(text, sender=sender).urgency == want, text  # type: ignore[arg-type]


@pytest.mark.parametrize(("text", "sender", "want"), [
    # sleepier than usual in Mexican Spanish, waking when spoken to: the brief's mild sleepiness, urgent
    ("ando con un sueñito toda la tarde que no es normal, pero si me hablan despierto", "patient", "urgent"),
    ("mi mamá tiene mucha modorra hoy, pero si le hablo me contesta", "caregiver", "urgent"),
    ("se la pasa durmiendo todo el día desde que le subieron la dosis", "caregiver", "urgent"),
    ("me duermo viendo la novela, pero despierto bien", "patient", "urgent"),
    # denied, or over yesterday
    ("ya no tiene modorra, anda bien despierta", "caregiver", "none"),
    ("sin modorra hoy, todo bien", "patient", "none"),
])
def test_round_sixteen_urgency_mild_sleepiness_in_mexican_spanish(text: str, sender: str, want: str) -> None:
    assert read_sms(text, sender=sender).urgency == want, text  # type: ignore[arg-type]


# -- round sixteen (the lead, from round sixteen's judges AS-AV once judged): a seizure told as history -------------------
# Four of the ten denials and questions AS-AV alarmed were false *emergencies*: a seizure years back said in words the
# history table lacked. Each sentence below read as a 911 emergency before the change.


@pytest.mark.parametrize(("text", "sender"), [
    ("had one seizure 3 yrs ago, none since", "patient"),
    ("my last fit was like 5 yrs ago, doing fine", "patient"),
    ("last years seizure was before the pump, nothing like it now", "caregiver"),
    ("he had seizures as a kid but nothing since he was 12", "caregiver"),
    ("my mom had seizures when she was young, is baclofen ok for her?", "caregiver"),
    ("tuve convulsiones de niña pero ya no", "patient"),
    ("le daban convulsiones cuando era chiquito, ahora nada", "caregiver"),
    ("the staring spell didn't happen again today, he's himself", "caregiver"),
    ("that seizure thing has not come back again, all good", "patient"),
])
def test_round_sixteen_lead_a_seizure_told_as_history_is_no_emergency(text: str, sender: str) -> None:
    reading = read_sms(text, sender=sender)
    assert reading.urgency == "none" and "seizure" not in reading.signs


@pytest.mark.parametrize(("text", "sender"), [
    # history in one part, a seizure now in another: the one now stands (the first read urgent before the change)
    ("she had a seizure last year and she is seizing right now", "caregiver"),
    ("had a seizure 2 yrs ago and having one again now", "patient"),
    ("he had seizures when he was young and now hes shaking all over and not answering", "caregiver"),
    ("tuvo convulsiones de niño y ahora está convulsionando otra vez", "caregiver"),
])
def test_round_sixteen_lead_a_seizure_now_beside_its_history_is_an_emergency(text: str, sender: str) -> None:
    reading = read_sms(text, sender=sender)
    assert reading.urgency == "emergency" and "seizure" in reading.signs


# -- round sixteen's phrases, each pinned: the table-drop run (`--rules-alone --since 9cd8801`) found fourteen of the
# round's 66 new entries that no test noticed dropped; each sentence below is read by its entry alone (checked by dropping
# it: the field asserted changes).


@pytest.mark.parametrize(("text", "sender", "field", "value"), [
    ("ahorita todo su cuerpo le salta sin parar", "caregiver", "signs", "seizure"),
    ("every breath is a battle", "patient", "signs", "breathing"),
    ("her eyes keep closin while she talks", "caregiver", "signs", "drowsiness"),
    ("she opened her eyes for a moment, now nothing", "caregiver", "signs", "drowsiness"),
    ("shes talking to folks that aint in the room", "caregiver", "signs", "confusion"),
    ("se me estan cerrando solos", "patient", "signs", "drowsiness"),
    ("mom has no clue where she is", "caregiver", "signs", "confusion"),
    ("o remedio ainda nao", "caregiver", "dose", "not_taken"),
    ("vou tomar daqui a pouco", "patient", "dose", "not_taken"),
    ("toma duplicada hoy", "patient", "dose", "extra"),
    ("im outta meds since yesterday", "patient", "supply_problem", "ran_out"),
    ("solo nos quedan tres", "caregiver", "supply_problem", "ran_out"),
    ("la obra social nego la recarga", "caregiver", "supply_problem", "no_refill"),
    ("no han entregado las pastillas este mes", "caregiver", "supply_problem", "no_refill"),
])
def test_round_sixteen_each_new_phrase_is_pinned(text: str, sender: str, field: str, value: str) -> None:
    got = getattr(read_sms(text, sender=sender), field)
    assert value in got if field == "signs" else got == value


# -- round seventeen (reader17b): false alarms first, by class. Sentences of our own, English and Spanish.

@pytest.mark.parametrize(("text", "sender"), [
    # food and drink had or taken
    ("Feeling fine. Had my toast and my tea.", "patient"),
    ("ya se tomó su cafecito y está viendo la tele", "caregiver"),
    ("todo bien, me tomé un tecito con mi vecina", "patient"),
    # people had over, things taken away
    ("all good here, had the neighbors over for cards last night", "patient"),
    ("he's fine, just sulking because I took his phone", "caregiver"),
    # a measurement taken by someone, or said by its reading
    ("la presión bien, me la tomó la doctora esta mañana", "patient"),
    ("le tomé y marca 37.2, ya no tiene calentura", "caregiver"),
    # a look taken on
    ("his face has taken on a greyish colour", "caregiver"),
])
def test_round_seventeen_a_thing_had_or_taken_is_no_dose(text: str, sender: str) -> None:
    assert read_sms(text, sender=sender).dose == "none"


@pytest.mark.parametrize(("text", "sender"), [
    ("had my coffee and my pill at 8", "patient"),
    ("took it with my coffee", "patient"),
    ("had my breakfast dose", "patient"),
    ("ya se tomó la pastilla con su cafecito", "caregiver"),
    ("tomé la del desayuno", "patient"),
    ("la presión bien, ya me tomé la pastilla", "patient"),
])
def test_round_seventeen_a_dose_beside_food_or_a_measurement_stays_taken(text: str, sender: str) -> None:
    assert read_sms(text, sender=sender).dose == "taken"


@pytest.mark.parametrize(("text", "sender"), [
    # the Spanish perfect denied: "he" is the auxiliary, not the English pronoun, after "nunca"/"jamás" or with "ni nada"
    ("nunca he convulsionado, gracias a Dios", "patient"),
    ("no he convulsionado ni nada, estoy tranquila", "patient"),
    ("ni me ha dado taquicardia ni fiebre", "patient"),
    ("nunca le ha dado taquicardia con esta pastilla", "caregiver"),
])
def test_round_seventeen_a_spanish_perfect_denied_alarms_nothing(text: str, sender: str) -> None:
    assert read_sms(text, sender=sender).urgency == "none"


@pytest.mark.parametrize(("text", "sender"), [
    # a "no" answering, then the report: not denied
    ("No, he convulsionado dos veces hoy", "patient"),
    ("no he is seizing right now", "caregiver"),
    ("no, he has been shaking all over for five minutes", "caregiver"),
])
def test_round_seventeen_a_seizure_after_a_no_answer_stays_an_emergency(text: str, sender: str) -> None:
    assert read_sms(text, sender=sender).urgency == "emergency"


@pytest.mark.parametrize(("text", "sender"), [
    # "nada más" / "na más" is "only", not "more": ordinary tiredness with its cause
    ("estoy bien, nada más cansado del trabajo", "patient"),
    ("na más cansada de tanto trabajar", "patient"),
])
def test_round_seventeen_nada_mas_cansado_is_just_tired(text: str, sender: str) -> None:
    assert read_sms(text, sender=sender).urgency == "none"


@pytest.mark.parametrize(("text", "sender"), [
    ("estoy más cansado que de costumbre", "patient"),
    ("hoy anda más cansada y dormida", "caregiver"),
])
def test_round_seventeen_mas_cansado_is_still_sleepier(text: str, sender: str) -> None:
    assert read_sms(text, sender=sender).urgency == "urgent"


@pytest.mark.parametrize(("text", "sender"), [
    # a complaint of yesterday, said over today in the clause after it
    ("ayer tuve temblores pero hoy nada", "patient"),
    ("had some cramps last night but none today", "patient"),
    ("anoche le dieron espasmos, pero hoy ya no", "caregiver"),
    ("yesterday the twitching was bad but today she's fine", "caregiver"),
])
def test_round_seventeen_a_complaint_of_yesterday_over_today_alarms_nothing(text: str, sender: str) -> None:
    assert read_sms(text, sender=sender).urgency == "none"


@pytest.mark.parametrize(("text", "sender"), [
    ("ayer tuve espasmos y hoy también", "patient"),
    ("had spasms yesterday but today they're worse", "patient"),
    ("had spasms last night, today nothing helps", "patient"),
    ("ayer temblores pero hoy sigue igual", "caregiver"),
])
def test_round_seventeen_a_complaint_of_yesterday_still_on_stays_urgent(text: str, sender: str) -> None:
    assert read_sms(text, sender=sender).urgency == "urgent"


@pytest.mark.parametrize(("text", "sender"), [
    # the writer's own muddle over the instructions, or own worry called paranoid: no confusion or paranoia in the patient
    ("which pill is the noon one? I get confused with all these times", "patient"),
    ("we got mixed up by the new schedule, is it 8 or 9?", "caregiver"),
    ("the instructions confuse me, does she take it with food?", "caregiver"),
    ("no twitching, no jerks. I know I sound paranoid checking this much", "caregiver"),
    ("is drowsiness a side effect? saw a video and now im paranoid lol", "patient"),
    ("sé que sueno paranoica pero lo revisé tres veces y está bien", "caregiver"),
])
def test_round_seventeen_the_writers_own_muddle_or_worry_is_no_sign(text: str, sender: str) -> None:
    assert read_sms(text, sender=sender).urgency == "none"


@pytest.mark.parametrize(("text", "sender"), [
    ("I'm confused, I don't know where I am", "patient"),
    ("he is very paranoid, says the neighbors are watching him", "caregiver"),
    ("I feel paranoid like someone is following me", "patient"),
    ("she is confused about what day it is", "caregiver"),
])
def test_round_seventeen_confusion_or_paranoia_in_the_patient_still_alarms(text: str, sender: str) -> None:
    assert read_sms(text, sender=sender).urgency != "none"


@pytest.mark.parametrize(("text", "sender"), [
    # a sign's word named as the button or option pressed
    ("sorry, I hit seizure by mistake, I'm fine", "patient"),
    ("he pressed the tremors button by accident, he is not shaking", "caregiver"),
    ("le picó a convulsión sin querer, está bien", "caregiver"),
])
def test_round_seventeen_a_signs_word_pressed_by_mistake_alarms_nothing(text: str, sender: str) -> None:
    assert read_sms(text, sender=sender).urgency == "none"


@pytest.mark.parametrize(("text", "sender"), [
    ("he hit his head and now he's seizing", "caregiver"),
    ("pressed the button, she is having a seizure right now", "caregiver"),
])
def test_round_seventeen_a_sign_beside_a_button_still_alarms(text: str, sender: str) -> None:
    assert read_sms(text, sender=sender).urgency == "emergency"


@pytest.mark.parametrize(("text", "sender"), [
    # a sign supposed: the consequence asked about, or "if ever" / "si alguna vez"
    ("if i skip a dose is that going to make me have a seizure?", "patient"),
    ("if he forgets one, could that make him stop breathing?", "caregiver"),
    ("Si alguna vez le da una convulsión, ¿a quién llamo?", "caregiver"),
    ("si alguna vez me da un ataque, ustedes le avisan a mi hija?", "patient"),
])
def test_round_seventeen_a_sign_supposed_alarms_nothing(text: str, sender: str) -> None:
    assert read_sms(text, sender=sender).urgency == "none"


@pytest.mark.parametrize(("text", "sender"), [
    ("I skipped a dose and now I'm having a seizure", "patient"),
    ("alguna vez le ha dado una convulsión? ahorita está convulsionando", "caregiver"),
])
def test_round_seventeen_a_sign_now_beside_a_supposition_stays_an_emergency(text: str, sender: str) -> None:
    assert read_sms(text, sender=sender).urgency == "emergency"


@pytest.mark.parametrize(("text", "sender"), [
    # a question shaped as a statement: shorthand, a request for advice, an inverted "am I supposed to", a forgetting whether
    ("cn i tk it b4 bed", "patient"),
    ("cud i tk it w juice", "patient"),
    ("Please advise whether it may be crushed and given in pudding.", "caregiver"),
    ("the pill can be split and taken with food or not", "patient"),
    ("favor de indicar si la pastilla puede ser molida y dada con yogur", "caregiver"),
    ("if I forget one am I supposed to take two the next time", "patient"),
    ("a veces se le olvida si ya se la tomó, qué hago", "caregiver"),
    ("my dad forgets whether he took it, can you text him twice", "caregiver"),
])
def test_round_seventeen_a_question_shaped_as_a_statement_records_no_dose(text: str, sender: str) -> None:
    reading = read_sms(text, sender=sender)
    assert reading.dose == "none" and reading.urgency == "none"


@pytest.mark.parametrize(("text", "sender"), [
    ("she forgets things but she took it at 8", "caregiver"),
    ("it has been given, 10 mg at 8", "caregiver"),
    ("ya fue tomada a las 8", "patient"),
])
def test_round_seventeen_a_dose_said_beside_such_words_stays_taken(text: str, sender: str) -> None:
    assert read_sms(text, sender=sender).dose == "taken"


@pytest.mark.parametrize(("text", "sender"), [
    # what a sign would mean, asked of signs in general
    ("Does drowsiness mean I'm taking too much?", "patient"),
    ("do spasms mean im taking too little", "patient"),
    ("¿Los espasmos quieren decir que estoy tomando poca?", "patient"),
])
def test_round_seventeen_what_a_sign_means_asked_in_general_alarms_nothing(text: str, sender: str) -> None:
    assert read_sms(text, sender=sender).urgency == "none"


@pytest.mark.parametrize(("text", "sender"), [
    ("does my twitching mean I'm taking too much?", "patient"),
    ("¿mis espasmos quieren decir que estoy tomando poca?", "patient"),
])
def test_round_seventeen_what_my_sign_means_asked_still_reports_it(text: str, sender: str) -> None:
    assert read_sms(text, sender=sender).urgency == "urgent"


@pytest.mark.parametrize(("text", "sender"), [
    # a thumbs-up beside well-being alone: reassurance, no dose
    ("\U0001f44d todo good", "patient"),
    ("Estoy bien gracias \U0001f44d", "patient"),
    ("all fine here \U0001f44d", "patient"),
])
def test_round_seventeen_a_thumbs_up_with_well_being_is_no_dose(text: str, sender: str) -> None:
    reading = read_sms(text, sender=sender)
    assert reading.dose == "none" and reading.urgency == "none"


@pytest.mark.parametrize(("text", "sender"), [
    ("took it, all good \U0001f44d", "patient"),
    ("Tomada \U0001f44d", "patient"),
    ("\U0001f44d done", "patient"),
])
def test_round_seventeen_a_thumbs_up_with_a_dose_stays_taken(text: str, sender: str) -> None:
    assert read_sms(text, sender=sender).dose == "taken"


@pytest.mark.parametrize(("text", "sender"), [
    # "no..." then the sign: the ellipsis is a pause in the denial, not a sentence end
    ("fine. no... twitching", "patient"),
    ("bien. no... temblores", "patient"),
    ("she's good. nope... no jerks", "caregiver"),
])
def test_round_seventeen_a_no_then_a_pause_still_denies(text: str, sender: str) -> None:
    assert read_sms(text, sender=sender).urgency == "none"


@pytest.mark.parametrize(("text", "sender"), [
    ("no... she's shaking all over and not answering", "caregiver"),
    ("no... seizing again, calling 911", "caregiver"),
])
def test_round_seventeen_a_no_then_a_pause_then_a_report_still_alarms(text: str, sender: str) -> None:
    assert read_sms(text, sender=sender).urgency == "emergency"


@pytest.mark.parametrize(("text", "sender"), [
    # another medicine taken as a habit is no second dose of baclofen
    ("I also take gabapentin at night for my nerves.", "patient"),
    ("también tomo omeprazol en la mañana, hay problema?", "patient"),
    ("he also takes tylenol for his back", "caregiver"),
])
def test_round_seventeen_another_medicine_taken_is_no_extra_dose(text: str, sender: str) -> None:
    reading = read_sms(text, sender=sender)
    assert reading.dose == "none" and reading.urgency == "none"


@pytest.mark.parametrize(("text", "sender"), [
    ("she also took another one at 9", "caregiver"),
    ("I also took the evening one by mistake", "patient"),
    ("también se tomó la de la noche, ya van dos", "caregiver"),
])
def test_round_seventeen_a_second_baclofen_said_with_also_stays_extra(text: str, sender: str) -> None:
    assert read_sms(text, sender=sender).dose == "extra"


@pytest.mark.parametrize(("text", "sender", "dose"), [
    # a letter too many, corrected, is a typo, not too many pills
    ("Can I take it with diner? Dinner. One n too few, sorry", "patient", "none"),
    ("took it w brekkfast. breakfast, one k too many", "patient", "taken"),
    ("se la di con el deayuno, desayuno, una letra de más jaja", "caregiver", "taken"),
])
def test_round_seventeen_a_letter_too_many_is_no_extra_dose(text: str, sender: str, dose: str) -> None:
    reading = read_sms(text, sender=sender)
    assert reading.dose == dose and reading.urgency == "none"


@pytest.mark.parametrize(("text", "sender"), [
    ("took one too many, 3 instead of 1", "patient"),
    ("le di una de más por error", "caregiver"),
])
def test_round_seventeen_a_pill_too_many_stays_extra(text: str, sender: str) -> None:
    assert read_sms(text, sender=sender).dose == "extra"


@pytest.mark.parametrize(("text", "sender"), [
    # a caregiver of two: one has had theirs, the other not yet; the one not yet is the dose to act on
    ("Gave Ana hers. Luis hasn't had his yet, he's still at school", "caregiver"),
    ("Bea still hasn't, she's napping. Tom already took his", "caregiver"),
    ("Don Beto todavía no, anda en el mandado. Doña Rosa ya se tomó la suya", "caregiver"),
])
def test_round_seventeen_one_of_two_not_yet_is_a_dose_not_taken(text: str, sender: str) -> None:
    assert read_sms(text, sender=sender).dose == "not_taken"


@pytest.mark.parametrize(("text", "sender"), [
    ("Mom took hers at 8", "caregiver"),
    ("she took hers at 8, no problems", "caregiver"),
    ("forgot this morning but he took his at noon", "caregiver"),
])
def test_round_seventeen_one_patient_taking_theirs_stays_taken(text: str, sender: str) -> None:
    assert read_sms(text, sender=sender).dose == "taken"


@pytest.mark.parametrize(("text", "sender"), [
    # a dose believed, then doubted in the clause after it
    ("I think she took it but I can't tell, the box is a mess", "caregiver"),
    ("creo que se la tomó pero no estoy segura, salí temprano", "caregiver"),
    ("I believe I had my noon one but I honestly can't remember", "patient"),
    ("I can't for the life of me remember if I took the noon one", "patient"),
    ("I can't remeber *remember if I took it", "patient"),
])
def test_round_seventeen_a_dose_believed_then_doubted_is_no_dose(text: str, sender: str) -> None:
    assert read_sms(text, sender=sender).dose == "none"


@pytest.mark.parametrize(("text", "sender"), [
    ("took it at 8 but I'm not sure about the noon one, is it at 1?", "patient"),
    ("se la di a las 8, no estoy segura de la de la tarde", "caregiver"),
])
def test_round_seventeen_a_dose_said_with_doubt_about_another_stays_taken(text: str, sender: str) -> None:
    assert read_sms(text, sender=sender).dose == "taken"


@pytest.mark.parametrize(("text", "sender"), [
    # the count taken, unknown and to be found; a time before the drug; an event twice; a breath another time
    ("he won't wake up, I'm counting the pills to see how many he took", "caregiver"),
    ("no despierta, voy a contar a ver cuántas se tomó", "caregiver"),
    ("my legs are worse now than before I ever took it", "patient"),
    ("nodded off twice at the table and again in church", "patient"),
    ("se quedó dormida dos veces en la comida", "caregiver"),
    ("he gasps, then nothing for a bit, then another one", "caregiver"),
])
def test_round_seventeen_words_of_a_count_a_time_or_an_event_are_no_dose(text: str, sender: str) -> None:
    assert read_sms(text, sender=sender).dose == "none"


@pytest.mark.parametrize(("text", "sender", "dose"), [
    ("took it twice by mistake", "patient", "extra"),
    ("se la di dos veces sin querer", "caregiver", "extra"),
    ("he took another one at 9", "caregiver", "extra"),
])
def test_round_seventeen_a_dose_twice_or_another_stays_extra(text: str, sender: str, dose: str) -> None:
    assert read_sms(text, sender=sender).dose == dose


@pytest.mark.parametrize(("text", "sender", "dose"), [
    # a dose put off or withheld, in words the tables read as given or taken
    ("Dose NOT given, she is NPO for her scan", "caregiver", "not_taken"),
    ("me la tomo al rato que llegue", "patient", "not_taken"),
    ("no se a tomado nada, sigue dormido", "caregiver", "not_taken"),
    ("I dont want to give him another one until I hear from you", "caregiver", "none"),
    ("no quiero darle otra hasta que me digan", "caregiver", "none"),
    ("Listo, ya la llamo", "caregiver", "none"),
])
def test_round_seventeen_a_dose_put_off_or_withheld_is_not_given(text: str, sender: str, dose: str) -> None:
    assert read_sms(text, sender=sender).dose == dose


@pytest.mark.parametrize(("text", "sender", "dose"), [
    ("me la tomo ahorita", "patient", "taken"),
    ("Listo, ya se la di", "caregiver", "taken"),
    ("I gave him another one at 9", "caregiver", "extra"),
    ("it dose not matter, took it at 8", "patient", "taken"),
])
def test_round_seventeen_a_dose_given_now_stays(text: str, sender: str, dose: str) -> None:
    assert read_sms(text, sender=sender).dose == dose


@pytest.mark.parametrize(("text", "sender", "sign"), [
    # emergencies told in words the tables lacked: a body not roused, by name and limp; a breath not drawn, said formally; the
    # lips' colour as a cast or tinge; kin addressed as a stranger
    ("can't get marcus up, shook him and yelled, nothing, he's completely limp", "caregiver", "drowsiness"),
    ("couldnt get grandma to wake up this morning, she is just limp", "caregiver", "drowsiness"),
    ("I find it most difficult to draw a full breath tonight", "patient", "breathing"),
    ("she says she can't take a deep breath and her lips have a bluish tinge", "caregiver", "breathing"),
    ("his lips have taken on a greyish cast", "caregiver", "breathing"),
    ("me habló de usted y me dijo señora, a mí, su propia hija", "caregiver", "confusion"),
    ("he called me sir this morning, his own son", "caregiver", "confusion"),
])
def test_round_seventeen_an_emergency_in_other_words_escalates(text: str, sender: str, sign: str) -> None:
    reading = read_sms(text, sender=sender)
    assert reading.urgency == "emergency" and sign in reading.signs


@pytest.mark.parametrize(("text", "sender"), [
    ("can't get him up the stairs by himself, his legs are stiff", "caregiver"),
    ("couldn't get her up for church, she wanted to sleep in, she's fine now", "caregiver"),
    ("no bluish tinge to her lips, breathing fine", "caregiver"),
    ("the nurse called me sir, very polite", "caregiver"),
    ("his own son drove him to the clinic today", "caregiver"),
])
def test_round_seventeen_words_near_those_emergencies_alarm_no_emergency(text: str, sender: str) -> None:
    assert read_sms(text, sender=sender).urgency != "emergency"


@pytest.mark.parametrize(("text", "sender", "dose"), [
    # a caregiver of two, named both, without "his"/"hers": the one not yet is the dose to act on
    ("Doña Tere todavía no, sigue dormida. Don Pancho ya se la tomó", "caregiver", "not_taken"),
    ("Ray still hasn't, he's in the shower. Mr Ortiz took it at 8", "caregiver", "not_taken"),
    # the other one fine and dosed, beside a sign in the one alerted about: no dose for the alerted patient
    ("Abuela Licha no sabe dónde está, dice que es 1970. Don Memo ya se tomó la suya, él está bien", "caregiver", "none"),
    ("Mrs Park is very confused, thinks I'm her sister. Mr Lee took his noon one fine", "caregiver", "none"),
    # the one dosed named first: the text's writers differ on which patient it reports (V2-101 taken, AI1-101 none); left as taken
    ("mi papá bien, ya se tomó la suya. La que me preocupa es mi tía, le tiemblan las manos", "caregiver", "taken"),
])
def test_round_seventeen_a_caregiver_of_two_reports_the_one_alerted_about(text: str, sender: str, dose: str) -> None:
    assert read_sms(text, sender=sender).dose == dose


@pytest.mark.parametrize(("text", "sender", "dose"), [
    ("she was still in the shower at 8 but she took it at 9", "caregiver", "taken"),
    ("estaba dormida pero la desperté y se la tomó", "caregiver", "taken"),
    ("Sorry, giving it now. Perdón, la estaba bañando.", "caregiver", "taken"),
    ("he took his at 8 and was fine, now he is very confused", "caregiver", "taken"),
    ("Mom forgot this morning. Mom took it at noon", "caregiver", "taken"),
])
def test_round_seventeen_one_patient_dosed_stays_taken(text: str, sender: str, dose: str) -> None:
    assert read_sms(text, sender=sender).dose == dose


@pytest.mark.parametrize(("text", "sender", "dose"), [
    # doubt said after the dose, or as what could have happened to it; pills had, not taken; pills lost down the drain
    ("so sleepy. took my 8am one I think", "patient", "none"),
    ("I think he took it. slot is empty but he could have dropped it, should I give another?", "caregiver", "none"),
    ("se quedó sin pastillas y mi suegra sí tiene las suyas", "caregiver", "none"),
    ("se fueron todas las pastillas de mi mamá por el fregadero, qué hago?", "caregiver", "none"),
    ("he's barely awake, I'll count the pills to see how many he took", "caregiver", "none"),
    ("she's real sleepy and shaking, gonna check the bottle to see how many she took", "caregiver", "none"),
])
def test_round_seventeen_a_dose_doubted_had_or_lost_is_no_dose(text: str, sender: str, dose: str) -> None:
    assert read_sms(text, sender=sender).dose == dose


@pytest.mark.parametrize(("text", "sender", "dose"), [
    ("took my 8am one, feeling fine", "patient", "taken"),
    ("I think I'm fine, took it at 8", "patient", "taken"),
    ("se tomó las suyas y las de su hermana", "caregiver", "extra"),
])
def test_round_seventeen_a_dose_said_plainly_stays(text: str, sender: str, dose: str) -> None:
    assert read_sms(text, sender=sender).dose == dose


# -- round seventeen's phrases, each pinned: the table-drop run (`--rules-alone --since 6a9e5e4`) found one of the round's 11
# new table entries that no test noticed dropped; the sentence below is read by that entry alone (checked by dropping it: the
# field asserted changes).


@pytest.mark.parametrize(("text", "sender", "field", "value"), [
    ("cant get tommy up, yelled at him, nothing", "caregiver", "signs", "drowsiness"),
])
def test_round_seventeen_each_new_phrase_is_pinned(text: str, sender: str, field: str, value: str) -> None:
    got = getattr(read_sms(text, sender=sender), field)
    assert value in got if field == "signs" else got == value


@pytest.mark.parametrize(("text", "sender"), [
    # a writer placed in a town by its name: the patient not answering is the phone
    ("¿Cómo sigue mi mamá? Estoy en Monterrey y no me contesta", "caregiver"),
    ("how's mom doing? I'm in Chicago this week and she isn't answering", "caregiver"),
])
def test_round_seventeen_a_writer_in_another_town_unanswered_is_no_emergency(text: str, sender: str) -> None:
    assert read_sms(text, sender=sender).urgency != "emergency"


@pytest.mark.parametrize(("text", "sender"), [
    ("I'm in Mom's room and she doesn't answer me, eyes closed", "caregiver"),
    ("estoy en la casa con ella y no me contesta, no abre los ojos", "caregiver"),
    ("I'm in Denver with him and he doesn't answer me, won't open his eyes", "caregiver"),
])
def test_round_seventeen_a_writer_beside_the_patient_unanswered_stays_an_emergency(text: str, sender: str) -> None:
    assert read_sms(text, sender=sender).urgency == "emergency"


# -- round seventeen, the lead's class (read from BA-BH after their judging): the Spanish present perfect -----------------
# A sign said by its absence ("no despierta", "no respira bien", "no reacciona", "no para de convulsionar") was read in the
# present only; the same said in the perfect ("no ha despertado", "ya no ha respirado bien", "ni ha reaccionado", "no ha
# dejado de convulsionar") read nothing. And a sign denied in the perfect after "ya no", "ni" or words before the "no" ("ya
# no me han dado las convulsiones", "ni me he sentido confundida", "gracias a dios no he vuelto a tener los brincos") was
# read as the sign. The sentences are the lead's own, in no batch.

@pytest.mark.parametrize("text", [
    "todavia no se ha despertado",
    "ya no ha despertado desde la mañana, le hablo y nada",
    "no ha dejado de convulsionar",
    "ya no ha respirado bien desde anoche, se le oye un ronquido raro",
    "ni ha reaccionado cuando la muevo",
    "todavía no ha vuelto a respirar normal",
    "mi mamá no ha despertado y ya son las 11",
    "no ha parado de convulsionar desde hace rato",
    "todavia no ha vuelto a despertar",
    "no ha vuelto a reaccionar desde que se cayo",
])
def test_round_seventeen_lead_a_sign_said_by_its_absence_in_the_perfect_is_an_emergency(text: str) -> None:
    reading = read_sms(text, sender="caregiver")
    assert reading.urgency == "emergency", reading


@pytest.mark.parametrize("text", [
    "ya no me han dado las convulsiones, gracias",
    "No me he caído ni he temblado, todo normal por aquí",
    "Gracias a Dios no he vuelto a tener los espasmos tan fuertes",
    "la respiración bien, ya no me he sentido ahogada como antes",
    "bien, ni me he sentido confundida ni nada raro",
    "ya no le han dado más temblores desde que le subieron la dosis",
])
def test_round_seventeen_lead_a_sign_denied_in_the_perfect_raises_nothing(text: str) -> None:
    reading = read_sms(text, sender="patient")
    assert reading.urgency == "none", reading


@pytest.mark.parametrize("text", [
    "No, me ha dado una convulsión",  # a "no" answered, then the report
    "no, he convulsionado hace rato",
    "le han dado tres convulsiones hoy",
    "ya no me reconoce y le han dado dos convulsiones",
])
def test_round_seventeen_lead_a_perfect_that_reports_the_sign_still_alarms(text: str) -> None:
    assert read_sms(text, sender="caregiver").urgency == "emergency"


# Round seventeen, the lead's second class (BB, read after judging): a seizure said to have stopped a minute or moments ago
# is one that just ended, which the brief counts; "stopped" read as over only denies a seizure stopped long since.
@pytest.mark.parametrize("text", [
    "im with him. seizure stopped maybe a minute ago, hes breathing ok, ambulance coming",
    "the seizure stopped like 2 minutes ago",
    "her convulsion stopped a few seconds ago, she's breathing",
    "seizure stopped just a moment ago",
])
def test_round_seventeen_lead_a_seizure_stopped_minutes_ago_just_ended(text: str) -> None:
    reading = read_sms(text, sender="caregiver")
    assert (reading.urgency, reading.signs) == ("emergency", ("seizure",)), reading


@pytest.mark.parametrize("text", [
    "seizures stopped since the pump",
    "her seizures stopped a few months ago",
    "his seizures stopped 2 years ago when they started the baclofen",
])
def test_round_seventeen_lead_seizures_stopped_long_since_raise_nothing(text: str) -> None:
    assert read_sms(text, sender="caregiver").urgency == "none"


# Round seventeen, the lead's third class (BC, BD, read after judging): a Spanish pronoun written onto the verb ("empezó a
# sacudirse toda", "está sacudiéndose toda") is the verb the tables read ("sacudir toda", "sacudiendo toda"), and eyes
# "volteados" or "virados" on their own are the brief's eyes rolling back, as "eyes rolled back" already is.
@pytest.mark.parametrize("text", [
    "empezó a sacudirse toda y no me contesta",
    "esta sacudiendose toda en la cama",
    "se le viraron los ojos y empezó a sacudirse en la silla",
    "se le voltearon los ojos, ayudenme",
    "de repente se puso a retorcerse todo y no contesta",
])
def test_round_seventeen_lead_a_convulsion_with_the_pronoun_on_the_verb_is_an_emergency(text: str) -> None:
    reading = read_sms(text, sender="caregiver")
    assert (reading.urgency, "seizure" in reading.signs) == ("emergency", True), reading


@pytest.mark.parametrize("text", [
    "no se ha vuelto a sacudir, está tranquila",
    "ya no ha vuelto a sacudirse desde ayer",
    "me voy a sacudir el polvo de la ropa y ya le doy la pastilla",
])
def test_round_seventeen_lead_the_pronoun_on_the_verb_denied_or_elsewhere_raises_no_emergency(text: str) -> None:
    assert read_sms(text, sender="caregiver").urgency != "emergency"


# Round seventeen, the lead's fourth class (BB, BE, BH, read after judging): false 911s where the writer says the person
# rouses or that the spell was over and doubted. Sleepier than usual but waking when spoken to, in the first person or with
# the "y" left out ("cabeceo ... pero me despierto enseguida", "pero cuando le hablo se despierta"), is the brief's milder
# drowsiness: urgent. A spell doubted as a seizure and over, "then she was totally normal" or told of last night, is the
# guide's doubtful seizure: urgent, not 911.
@pytest.mark.parametrize(("text", "sender"), [
    ("tengo mas sueño que de costumbre, cabeceo en el trabajo pero me despierto enseguida", "patient"),
    ("anda con mucho sueño, cabecea en la mesa, pero cuando le hablo se despierta y me contesta", "caregiver"),
    ("not sure if it was a seizure, she zoned out for a bit and didnt answer me, then she was totally normal", "caregiver"),
    ("anoche me quede como ido viendo la tele y no me acuerdo, no se si fue una convulsion", "patient"),
    ("ayer se quedo mirando fijo sin contestar como un minuto, no se si fue un ataque", "caregiver"),
    ("Not sure if that was a seizure. He stared off for a bit and didn't answer me, then he was totally normal", "caregiver"),
    ("ayer me quede mirando fijo a la pared un rato y no me acuerdo de nada. no se si fue convulsion", "patient"),
])
def test_round_seventeen_lead_roused_or_a_doubted_spell_over_is_urgent_not_911(text: str, sender: str) -> None:
    reading = read_sms(text, sender=sender)
    assert (reading.urgency, reading.forward) == ("urgent", True), reading


@pytest.mark.parametrize("text", [
    "not sure if it was a seizure but she still wont wake up",
    "anoche tuvo una convulsion y ahora no despierta, no se si fue convulsion o que",
    "cabecea y cuando le hablo no se despierta",
])
def test_round_seventeen_lead_a_spell_still_going_or_not_roused_stays_an_emergency(text: str) -> None:
    assert read_sms(text, sender="caregiver").urgency == "emergency"


# Round eighteen, first class: doubt about the NAME does not lower a DESCRIBED present emergency. "no sé si es una
# convulsión" doubts what to call it; "está temblando toda y no contesta" beside it, now, is the brief's seizure whatever the
# writer calls it. A comma parts the doubted name from the described body, the doubt may come before or after, and the same
# holds for the other three signs ("no sé si es normal, no la puedo despertar"). An "idk if"/"no sé si es normal" is doubt,
# not a supposition. A sign said now after a spell that came to ("she came to but now she doesn't know who I am") is not part
# of the spell.
@pytest.mark.parametrize(("text", "sign"), [
    ("no sé si es una convulsión, está temblando toda y no contesta", "seizure"),
    ("not sure if it's a seizure, he's shaking all over and won't answer me", "seizure"),
    ("idk if this is a seizure, her whole body is jerking and her eyes rolled back", "seizure"),
    ("idk if this is a seizure or what, she's shaking all over and not answering me", "seizure"),
    ("maybe it's a seizure, he's jerking all over and won't respond", "seizure"),
    ("could this be a seizure, her whole body is shaking and she won't answer me?", "seizure"),
    ("puede ser una convulsión, está sacudiéndose toda y no responde", "seizure"),
    ("tal vez es un ataque, tiembla todo el cuerpo y no me contesta", "seizure"),
    ("no estoy segura si es convulsión, tiene los ojos en blanco y está temblando toda", "seizure"),
    ("she's shaking all over and not answering, not sure if it's a seizure", "seizure"),
    ("no se si es un ataque, se acaba de caer y esta temblando toda", "seizure"),
    ("dad just had some kind of fit on the kitchen floor, whole body jerking", "seizure"),
    ("idk if its a seizure, mi mama is shaking all over y no contesta", "seizure"),
    ("no sé si es normal, no la puedo despertar", "drowsiness"),
    ("not sure if it's normal, i can't wake her up", "drowsiness"),
    ("not sure if it's the meds, she's so drowsy I can't keep her awake", "drowsiness"),
    ("not sure if that was a seizure, he snapped out of it but now he won't wake up", "drowsiness"),
    ("idk if it's normal, he's barely breathing", "breathing"),
    ("no sé si es normal, respira muy despacito y tiene los labios morados", "breathing"),
    ("idk if it's the baclofen, her lips are blue and she's gasping", "breathing"),
    ("not sure if it's confusion, she's talking to her dead sister", "confusion"),
    ("no sé si es confusión, no sabe en qué año estamos", "confusion"),
    ("idk if it was a seizure, she came to but now she doesn't know who I am", "confusion"),
    ("no sé si fue convulsión, ya volvió en sí pero ahora no sabe quién soy", "confusion"),
])
def test_round_eighteen_doubt_about_the_name_leaves_a_described_present_sign_an_emergency(text: str, sign: str) -> None:
    reading = read_sms(text, sender="caregiver")
    assert reading.urgency == "emergency" and sign in reading.signs, reading


# The other direction: a doubted seizure told as a spell that is over, or in the past, or mild (the guide's doubtful
# seizure), stays urgent and forwarded: the doubt reaches what is told of the spell.
@pytest.mark.parametrize("text", [
    "not sure if that was a seizure, she stared for a few seconds and then answered me",
    "no sé si fue una convulsión, se quedó mirando fijo unos segundos y luego me contestó",
    "idk if it was a seizure, he zoned out for a bit, he's fine now",
    "not sure if it was a seizure, he was jerking for a minute",
    "not sure if it was a seizure, she was just staring and not answering",
    "not sure if it's a seizure, he's shaking a little",
    "se quedó como ido, mirando fijo como un minuto, no sé si fue convulsión, ya está hablando",
    "idk if it was a seizure, her arm was twitching for like 30 seconds, then she was fine",
])
def test_round_eighteen_a_doubted_spell_over_or_mild_stays_urgent(text: str) -> None:
    reading = read_sms(text, sender="caregiver")
    assert (reading.urgency, reading.forward) == ("urgent", True), reading


# Unpunctuated, as texts often are: the doubted name ends where the description begins ("idk if this is a seizure her whole
# body is jerking"), unless the name goes on with its alternative ("or just shivering").
@pytest.mark.parametrize("text", [
    "idk if this is a seizure her whole body is jerking and her eyes rolled back",
    "no se si es convulsion esta temblando toda y no contesta",
    "not sure if its a seizure hes shaking all over and wont answer me",
    "no se si es normal no la puedo despertar",
    "idk if its normal hes barely breathing",
    "maybe a seizure idk shes jerking all over and not responding",
])
def test_round_eighteen_an_unpunctuated_doubted_name_leaves_the_description_an_emergency(text: str) -> None:
    assert read_sms(text, sender="caregiver").urgency == "emergency"


@pytest.mark.parametrize("text", [
    "not sure if it was a seizure he was jerking for a minute then fine",
    "no se si fue convulsion se quedo mirando fijo y luego me contesto",
    "not sure if its a seizure or just shivering",
    "no se si es convulsion o solo temblor",
])
def test_round_eighteen_an_unpunctuated_doubted_spell_over_or_an_alternative_stays_urgent(text: str) -> None:
    reading = read_sms(text, sender="caregiver")
    assert (reading.urgency, reading.forward) == ("urgent", True), reading


# Round eighteen, second class: a denial taken back. "no X", the clause ended, then a retraction ("well", "bueno",
# "actually", "en realidad", "wait") that affirms (yes/sí, an amount, a fever's reading): the retraction wins, and the sign
# or symptom is reported, urgent, or an emergency if it is one of the four.
@pytest.mark.parametrize(("text", "urgency"), [
    ("no shakes?? well a little", "urgent"),
    ("no tiemblo... bueno un poquito", "urgent"),
    ("no fever. actually 100.8", "urgent"),
    ("no fever, actually it's 100.8", "urgent"),
    ("no tengo fiebre. bueno, en realidad sí, 38.5", "urgent"),
    ("no twitching. well, maybe a little in my legs", "urgent"),
    ("no spasms, well actually yes they're worse today", "urgent"),
    ("no tremors, actually yes a bit", "urgent"),
    ("no le tiembla nada... bueno sí, las manos", "urgent"),
    ("no confusion, well she did call me by my sister's name", "urgent"),
    ("Took it. No shakes, well a little", "urgent"),
    ("no convulsiones... bueno sí, una hace rato", "emergency"),
    ("no trouble breathing. well, a little, she's gasping", "emergency"),
    ("no me falta el aire... bueno, un poco, me cuesta respirar", "emergency"),
    ("not drowsy. well kind of, I can't keep my eyes open", "emergency"),
    ("no está confundida... bueno sí, no me reconoce", "emergency"),
])
def test_round_eighteen_a_denial_taken_back_reports_the_sign(text: str, urgency: str) -> None:
    reading = read_sms(text, sender="patient")
    assert (reading.urgency, reading.forward) == (urgency, True), reading


# The other direction: a retraction that goes on denying, explains, or reads no fever takes nothing back.
@pytest.mark.parametrize("text", [
    "no fever, well not really, 99.1",
    "no seizures, well not since March",
    "no tiemblo, bueno, casi nada",
    "no shaking at all. well, only when I'm cold, like everyone",
    "no fever actually",
    "no seizures well none this week",
    "no tengo fiebre, bueno, 37 nada más",
    "no seizures, well, 2 last year",
])
def test_round_eighteen_a_denial_not_taken_back_raises_nothing(text: str) -> None:
    assert read_sms(text, sender="patient").urgency == "none"


# Round eighteen, third class: "no contesta" / "not answering me" / "she's not picking up" about the PHONE (the phone's words,
# the writer calling, texting or going over, or asking after a dose) is no sign: at most the net's urgent, never a 911.
@pytest.mark.parametrize("text", [
    "Lo estoy llamando pero no contesta, voy pa allá ahora mismo",
    "Ya lo estoy llamando, no contesta, voy para allá",
    "did marcus take his 2pm?? he's not answering me",
    "he's not answering my texts",
    "she won't answer her phone",
    "le he marcado tres veces y no contesta",
    "ella no me contesta los mensajes, voy a ir a ver",
    "not answering me, I'll try again in 10",
    "mom's not picking up, heading over now",
    "called him twice y no contesta, ya voy",
    "no me coge el teléfono, ¿se la tomó?",
])
def test_round_eighteen_unanswered_phone_is_no_emergency(text: str) -> None:
    reading = read_sms(text, sender="caregiver")
    assert reading.urgency != "emergency" and not reading.signs, reading


# The other direction: the PERSON in front of the writer not answering (talked to, shaken, with them, or another sign beside
# it) is unresponsiveness, an emergency, even where a phone or a call is in the text.
@pytest.mark.parametrize("text", [
    "she won't answer when I shake her",
    "no responde cuando le hablo",
    "le hablo y no me contesta, tiene los ojos abiertos pero no responde",
    "he won't answer me, just stares, I'm right next to him",
    "I'm here with her, she won't answer me",
    "he's lying on the couch and not answering me when I talk to him",
    "estoy con ella y no me contesta, la sacudo y nada",
    "I called 911, she's on the floor and won't answer when I say her name",
    "llegué y no me contesta cuando le grito, ya llamé a la ambulancia",
    "she dropped her phone and now she won't answer me when I shake her",
])
def test_round_eighteen_the_person_not_answering_stays_an_emergency(text: str) -> None:
    assert read_sms(text, sender="caregiver").urgency == "emergency"


def _read_by_the_tables(text: str, sender: str, monkeypatch: pytest.MonkeyPatch) -> reading_module.Reading:
    """The tables' own reading: the trouble net (not this round's) scores nothing, so it can neither raise nor hide a change."""
    monkeypatch.setattr(trouble_net, "trouble_probability", lambda text, sender: 0.0)
    return read_sms(text, sender=sender)


# Round eighteen, fourth class (false alarms in the material, as forms): the spasms the medicine treats said to be no trouble
# ("no worse than normal" with its standard, "aint bad", "well controlled"); a twitch put down to a cause "just"/"only"; a sign
# supposed with "if I start" / "si empiezo a"; "dar al botón / al 3" (pressing, no dose); a paper handed over (no dose).
@pytest.mark.parametrize(("text", "sender"), [
    ("Doing fine, the usual stiffness in the mornings but no worse than normal.", "patient"),
    ("legs a bit stiff this morning but no worse than normal", "patient"),
    ("los espasmos igual, no peor que de costumbre", "patient"),
    ("Spasms aint bad today, no seizures", "patient"),
    ("los espasmos no están tan fuertes hoy, gracias", "patient"),
    ("Spasticity well controlled on current regimen.", "caregiver"),
    ("the tremor was just from the cold", "caregiver"),
    ("el temblor fue nomás por el frío, ya está bien", "caregiver"),
    ("if I start feeling twitchy should I just take an extra one?", "patient"),
    ("si empiezo a temblar, ¿me tomo otra?", "patient"),
])
def test_round_eighteen_held_explained_or_supposed_symptoms_raise_nothing(
        text: str, sender: str, monkeypatch: pytest.MonkeyPatch) -> None:
    reading = _read_by_the_tables(text, sender, monkeypatch)
    assert (reading.urgency, reading.symptoms) == ("none", {}), reading


@pytest.mark.parametrize("text", [
    "my spasms are worse than normal today",
    "his spasms are not controlled at all",
    "spasms poorly controlled since the dose change",
    "My calf's been twitchy this afternoon, not terrible.",
    "the tremor is from the baclofen I think",
    "I started feeling twitchy, should I take an extra one?",
    "empecé a temblar, ¿me tomo otra?",
    "spasms aren't bad but now they're worse",
])
def test_round_eighteen_spasms_worse_uncontrolled_or_a_new_twitch_stay_urgent(text: str) -> None:
    assert read_sms(text, sender="patient").urgency == "urgent"


@pytest.mark.parametrize(("text", "sender"), [
    ("No se preocupen, fue falsa alarma, él le dio al 3 sin querer. Está bien viendo televisión", "caregiver"),
    ("le di al botón que no era, perdón", "caregiver"),
    ("se equivocó y le picó al número 2", "caregiver"),
    ("what time is my next one? lost the paper they gave me", "patient"),
    ("perdí el papel que me dieron, ¿a qué hora me toca?", "patient"),
    ("can't find the schedule the nurse gave me, when's my next dose?", "patient"),
])
def test_round_eighteen_a_button_pressed_or_a_paper_handed_is_no_dose(text: str, sender: str) -> None:
    assert read_sms(text, sender=sender).dose == "none"


@pytest.mark.parametrize(("text", "sender"), [
    ("le di la pastilla a las 8", "caregiver"),
    ("ya le di su pastilla, le di al botón de tomada", "caregiver"),
    ("they gave me my pill at 8", "patient"),
    ("the nurse gave me my dose", "patient"),
])
def test_round_eighteen_a_dose_given_beside_a_button_or_handed_still_counts(text: str, sender: str) -> None:
    assert read_sms(text, sender=sender).dose == "taken"


# Round eighteen, fourth class (emergencies in the material read as urgent): the shaking and the not answering further apart in
# one sentence, the negation in any form, are the brief's seizure; the phone not answering, a denial, or "stiff" far from a
# silence are not.
@pytest.mark.parametrize("text", [
    "Grandma is shaking real bad on the kitchen floor and she isnt answering, its been like 2 min",
    "grandma is shaking really bad and drooling and wont look at me or answer",
    "mi abuelo está temblando en el piso de la cocina y ya no me responde",
    "he's jerking on the bed with foam on his lips and he is not responding",
    "mi tía está sacudiéndose en el sillón de la sala y no reacciona",
])
def test_round_eighteen_shaking_and_not_answering_apart_in_a_sentence_is_a_seizure(text: str) -> None:
    reading = read_sms(text, sender="caregiver")
    assert reading.urgency == "emergency" and "seizure" in reading.signs, reading


@pytest.mark.parametrize("text", [
    "stiff neck from sleeping wrong, and he's not talking much",
    "she's shaking a little from the cold and she isn't answering her phone",
    "no está temblando y no contesta el teléfono",
    "not shaking, she's just not talking to me because she's mad",
    "he was shaking earlier but he's fine now and answering me",
])
def test_round_eighteen_shaking_beside_a_phone_a_denial_or_stiffness_is_no_seizure(text: str) -> None:
    assert "seizure" not in read_sms(text, sender="caregiver").signs


# Round eighteen, fourth class (doses the text did not report): drowsy is not asleep. "anda medio dormida" (goes about half
# asleep) is drowsiness while awake, no dose put off; asleep still ("sigue dormida", "está dormida todavía") puts it off.
@pytest.mark.parametrize("text", [
    "no sé si es la pastilla, anda medio dormida",
    "anda medio dormida pero contesta bien",
    "anda muy dormida hoy",
    "La vieja está como atembá, medio dormidita, pero cuando le hablo me contesta bien y me conoce",
])
def test_round_eighteen_half_asleep_while_awake_puts_no_dose_off(text: str) -> None:
    assert read_sms(text, sender="caregiver").dose == "none"


@pytest.mark.parametrize("text", [
    "está dormida todavía, se la doy cuando despierte",
    "sigue dormida",
    "she's still asleep, I'll give it when she wakes up",
])
def test_round_eighteen_asleep_still_puts_the_dose_off(text: str) -> None:
    assert read_sms(text, sender="caregiver").dose == "not_taken"
