"""The reply parser's table: realistic SMS replies, by what they mean (category x phrasing).

The first rows of each category were written with the parser; the "held-out" batches were written
afterwards, without looking at its patterns, and measured before the parser was changed for them
(first batch: 26 of 52 read right; second: 76 of 87; third, red flags only: 22 of 28 red flags
read as emergencies, and none of 13 denials read as one; fourth, 200 replies of patients and
caregivers, a quarter in Spanish: 123 of 200 read right (120 by the labels as first written: four
are noted under "emergency"), 24 of 37 red flags read as emergencies,
none of 24 denials read as one, no dose read as taken that was not, but one question, "Should I
take another one?", read as an extra dose, which records a dose). Those figures are the honest
estimate of how it does on messages nobody has tuned it for. After the fixes the fourth batch
led to, 197 of its 200 read right (the 3 left are in ``KNOWN_MISSES``); 20 of its rows were already
in the table and are not repeated.

Used by ``test_sms_phrasings.py`` (every row is a test); ``python -m tests.unit.sms_phrasings``
prints the parser's accuracy on this table per category. Rows the parser still gets wrong
are listed in ``KNOWN_MISSES`` with the intent it returns today: they stay in the table (and in the
accuracy figure) so the misses are visible, and a strict xfail notices when one is fixed.
"""

from __future__ import annotations

from alerts.domain.replies import parse_reply

# category (the expected intent) -> phrasings, as people type them: case, typos, emoji, chatter.
PHRASINGS: dict[str, list[str]] = {
    "taken": [
        "taken", "TAKEN", "Taken!", "took it", "Took it.", "TOOK IT", "I took it", "i took it already",
        "yes", "Yes", "YES!!", "y", "yep", "yeah", "yup", "done", "Done.", "did it",
        "yes took it thanks", "Yes I took it, thanks", "just took it", "took my dose", "took my meds",
        "took my pills thank you", "took it this morning", "yes took my baclofen", "Yes I took my meds at 8 am",
        "takn", "tooked it", "tkaen", "tookit", "yes taken", "yes done", "done thanks", "ok took it",
        "👍", "✅", "👍👍", "took it 👍", "✔", "Yes 👍🏽", "all done", "already taken", "taken thx",
        # Spanish
        "si", "Sí", "SI", "sí, ya", "ya", "ya la tomé", "Ya la tome", "tomada", "tomado", "listo", "hecho",
         "ya me la tomé gracias", "sí ya tomé mi pastilla", "lista",
        # First held-out batch (measured before the fixes it led to).
        "Took them", "had my pill", "yes ma'am", "sí señora", "already did", "Yup took it at lunch",
        "took it, thanks for the reminder", "took", "tuk it", "did take it", "I have taken it", "yes I did",
        "TAKEN 😀",
        # Second held-out batch (measured before the fixes it led to).
        "just took my pill", "Yes. Took it", "yes i have", "took it at 2", "done ✅", "Took it!! thank u",
        "ok I took it", "yes, thanks", "already took it this morning", "i did", "Sí, ya me la tomé",
        "ya tomé la pastilla", "TOOK", "Yess", "took mine", "taken it", "yeah done", "all taken",
        "tomada, gracias", "yep took it",
        # Fourth held-out batch (measured before the fixes it led to).
        "Took my 8 oclock pill", "Tooked it", "ye took it thx",
        "Yes I have taken my medicine this morning thank you", "took it at 8:15",
        "I took my baclofen at lunch", "Just took it now sorry I'm late", "i tok it", "i tuk it yesss",
        "Had it with my coffee", "I took it, no twitching today",
        "I took my baclofen at 8 AM. Legs are okay.", "Mom took her meds, all good", "Gave it to him at 8",
        "I gave her the dose just now", "he's had it", "Yes, he took it late, at 10:30",
        "YES SHE TOOK IT!!!!", "gave it to her late, she was sleeping",
        "He took it and he's breathing fine now", "Ya me la tomé gracias", "Tomada ✅",
        "ya me tome mi medicina de la mañana", "mi mamá ya se tomó la pastilla", "si ya se la di",
        "Le di su pastilla a las 8", "ya se la tomó y no ha tenido convulsiones",
    ],
    "not_taken": [
        "no", "No", "NO.", "nope", "nah", "not yet", "Not yet!", "no not yet", "forgot", "I forgot",
        "forgot sorry", "Oops I forgot my dose", "forgot to take it", "i forgto", "not taken",
        "haven't taken it", "I haven't taken it yet", "havent taken it", "didn't take it", "did not take it",
        "skipping", "skipping today", "I'm skipping this one", "skipped it", "I missed it", "missed my dose",
        "will take it later", "taking it later", "not today", "I have not taken it", "she didn't take it",
        "he hasnt had it", "Not taking it",
        # Spanish
        "todavia no", "todavía no", "aún no", "no la tomé", "no la he tomado", "se me olvidó",
        "me olvidé", "olvidé tomarla", "no, todavía no",
        # First held-out batch (measured before the fixes it led to).
        "Not yet, will do soon", "no I haven't", "I'll take it in an hour", "sorry not yet", "no, forgot",
        "still haven't", "aún no me la tomo", "nope, not yet", "ugh forgot again",
        # Second held-out batch (measured before the fixes it led to).
        "Haven't yet", "forgot it", "I keep forgetting", "not taken yet", "going to skip it today", "skip",
        "no sorry forgot", "no, missed it", "Didnt take it", "not yet, soon", "todavía no la tomo",
        "no me la he tomado", "se me pasó", "olvidé",
        # Fourth held-out batch (measured before the fixes it led to).
        "Forgot, taking it now", "no i forgot", "I didn't take it yet", "Missed it this morning",
        "I fell asleep and missed my dose", "no not yet will take after I eat", "Nope",
        "I'm skipping tonight's dose", "I'll take it in a bit",
        "took it this morning but forgot the noon one", "she hasn't taken it yet", "He refused his pill",
        "no she didnt take it, she was asleep", "Not yet, I'll remind him", "he spit it out",
        "he forgot his meds at home, we're out for the day",
        "He didn't take it and now he's twitching like crazy", "Se me pasó la hora, no la tomé",
        "no se la ha tomado todavía", "Mi papá no quiere tomarse la pastilla",
    ],
    "supply": [
        "ran out", "I ran out", "ran out of pills", "we ran out", "I'm out of pills", "out of meds",
        "out of baclofen", "no pills left", "none left", "running out", "finished my pills yesterday",
        "pharmacy didn't have it", "the pharmacy didnt have it", "Pharmacy doesn't have it in stock",
        "pharmacy was out", "can't get a refill", "cant get my refill", "couldn't get my prescription",
        "no refills left", "refill denied", "it's on backorder", "out of stock at the pharmacy",
        "prescription expired", "insurance won't cover the refill", "no, I ran out",
        "ran out yesterday and the pharmacy is closed",
        # Spanish
        "se me acabaron", "se me acabaron las pastillas", "se acabó el baclofeno", "no me quedan pastillas",
        "no tengo más pastillas", "la farmacia no la tenía", "la farmacia no lo tiene",
        "no me dieron la receta", "no pude conseguir la medicina", "estoy sin pastillas",
        # First held-out batch (measured before the fixes it led to).
        "need a refill", "my pills are gone", "I'm all out", "bottle is empty", "waiting on the pharmacy",
        "doctor hasn't sent the refill", "no tengo baclofeno", "out of pills until monday",
        # Second held-out batch (measured before the fixes it led to).
        "I have no more pills", "out of pills", "refill not ready until friday",
        "pharmacy said they are out", "ran out last night", "the pharmacy couldn't fill it",
        "can't afford the refill", "no pills", "bottle empty", "se terminó el medicamento",
        "la farmacia no tiene", "no tengo pastillas",
        # Fourth held-out batch (measured before the fixes it led to).
        "pharmacy didnt have it", "cant get a refill till monday",
        "my prescription ran out and the doctor hasn't called back", "only 1 pill left",
        "yes took it but I'm almost out need refill", "She's out of baclofen",
        "pharmacy says it's on backorder", "We ran out last night, getting it filled today",
        "no hay baclofeno en la farmacia",
    ],
    "extra_dose": [
        "took it twice by mistake", "I took it twice", "took my dose twice", "oops took it 2 times",
        "took an extra one", "I took an extra dose", "took another one by mistake", "took a second pill by accident",
        "took two pills by mistake", "I doubled my dose", "double dose by accident", "took too many",
        "I think I took too much", "took it three times", "took it again by mistake",
        "accidentally took it again", "I may have overdosed", "took 2 doses by mistake",
        # Spanish
        "tomé dos veces", "me la tomé dos veces", "tomé una dosis extra", "tomé de más", "tomé otra por error",
        "tomé doble",
        # First held-out batch (measured before the fixes it led to).
        "took 2 instead of 1", "took double", "accidentally took two", "took my 8pm one twice",
        "I took it twice today by accident",
        # Second held-out batch (measured before the fixes it led to).
        "accidentally took 2", "took my dose twice", "I took one too many", "took double by accident",
        "took an extra pill", "I think I doubled up", "me tomé dos pastillas por error",
        "tomé la dosis dos veces",
        # Fourth held-out batch (measured before the fixes it led to).
        "I think I took it twice", "oops took 2 by accident",
        "I took my dose then forgot and took another one", "double dosed this morning",
        "she may have taken it twice, I found two missing", "he took 3 pills instead of 1",
        "tomé doble sin querer", "se tomó la pastilla dos veces", "creo que se tomó otra de más",
    ],
    "emergency": [
        "she had a fit", "He's having a seizure!!", "seizure", "siezure", "cant breathe", "he can't breathe",
        "can't wake him up", "cant wake her", "passed out", "unconscious", "not responding",
        "took it but she had a fit", "yes took it, now he's seizing", "ok she's not breathing right",
        "took it twice and now can't wake him", "ran out and she had a seizure", "convulsions",
        "very drowsy can't stay awake", "doesn't know where she is", "no, she had a fit",
        "not sure if it was a seizure", "tuvo una convulsión", "no puede respirar", "no despierta",
        "se desmayó", "trouble breathing",
        # First held-out batch (measured before the fixes it led to).
        "she's fitting", "he is not waking up", "lips blue not breathing well", "having convulsions",
        "she collapsed", "cant breath",
        # Second held-out batch (measured before the fixes it led to).
        "he's having a seizure", "she won't wake up", "can't breathe", "he is unresponsive", "seizing now",
        "not breathing", "she fainted and wont wake", "convulsionando", "no responde",
        "he passed out after taking it",
        # Third held-out batch, red flags and their denials (measured before the fixes it led to).
        "she won't respond", "he is not responding to me", "cant get him to respond",
        "shes having convulsions", "he had a seizure this morning", "she is seizing", "Her lips are blue",
        "he stopped breathing", "struggling to breathe", "she is gasping for air", "he collapsed",
        "she blacked out", "he is very confused and doesnt know me", "cant stay awake",
        "so drowsy she cant keep her eyes open", "fits again", "mom had a fit", "he's fitting",
        "she is out cold", "unconscious on the floor", "no puede despertar", "le cuesta respirar",
        "está convulsionando", "se desmayo", "hes not waking up", "she wont wake up",
        "breathing really slow", "not breathing properly",
        # Fourth held-out batch (measured before the fixes it led to).
        "cant wake him up", "she's not making sense", "his lips look blue",
        "he's shaking all over and won't answer me", "breathing real slow", "HE IS HAVING A SEIZURE",
        "gave him his pill but now he's seizing", "took it but shes barely breathing", "mom passed out",
        "shes so sleepy I cant keep her awake", "she doesn't know who I am", "gasping for air",
        "jerking and foaming at the mouth", "hes out of it, wont wake up properly", "not breathing right",
        "he's not breathing", "she's breathing funny and won't wake up",
        "she took it but now she doesn't know where she is", "I'm having trouble breathing",
        "chest tight cant catch my breath", "my whole body is jerking i cant stop it",
        "i took it but my breathing feels slow and shallow", "se puso morado", "no puedo despertarlo",
        "le está dando una convulsión", "no respira bien", "respira muy despacio", "no reacciona",
        "no se despierta", "no está respirando", "no puedo respirar", "no puedo mantenerme despierto",
        "very drowsy today", "feel really sleepy and foggy", "tengo mucho sueño y mareo",
        "está muy confundida hoy",
        # (The last four were labelled symptoms before the parser was run; its policy reads "very
        # drowsy", "really sleepy", "muy confundida" and "mucho sueño" as profound drowsiness or
        # severe confusion, red flags, and so does this table.)
    ],
    "symptoms": [
        "legs jumping 7", "spasms worse", "shaking", "twitching 3/10", "my legs are twitching a lot",
        "muscle jerks", "stiff legs today", "cramps", "a bit dizzy", "feeling anxious", "fever 8",
        "seeing things", "heart racing", "temblores", "calambres 6",
        # First held-out batch (measured before the fixes it led to).
        "legs jumpy", "bad spasms 8", "twitches are bad today",
        # Second held-out batch (measured before the fixes it led to).
        "muscle spasms 8", "twitching a lot", "tremors today", "legs stiff 6", "very anxious", "dizzy",
        "hearing voices", "fever",
        # Fourth held-out batch (measured before the fixes it led to).
        "twitching bad today 8/10", "spasms worse tonight", "my legs keep jerking", "feel dizzy and weak",
        "muscle cramps all nite", "twitches r about a 5", "Cramping and stiff, pain 6",
        "I'm seeing things that aren't there", "no seizures but my legs are jumping 6",
        "her spasms are bad today maybe a 7", "he seems confused this evening",
        "she has a fever and her legs are jumping", "he's very agitated and paranoid",
        "mom is shaky and sweating", "dad's been sleeping all day", "me tiemblan las manos",
        "le brincan las piernas", "está viendo cosas que no existen",
    ],
    "taken_with_symptoms": [
        "took it, legs jumping 7", "took my dose but spasms worse", "taken, a bit shaky",
        # Fourth held-out batch (measured before the fixes it led to).
        "Took it. Legs jumping about a 6 today", "took it but my legs are really stiff tonight",
        "gave him his pill at 8 hes been twitching all afternoon about a 6 and kinda sleepy",
        "Listo ya la tomé, pero tengo las piernas con espasmos",
    ],
    "all_well": [
        "no seizures today, feeling ok", "feeling fine", "feeling good thanks", "I'm ok", "all good",
        "no problems today", "me siento bien", "todo bien", "Feeling better today",
        # First held-out batch (measured before the fixes it led to).
        "fine", "good", "doing well",
        # Second held-out batch (measured before the fixes it led to).
        "all good today", "feeling fine, no problems", "I'm doing well", "estoy bien",
        # Fourth held-out batch (measured before the fixes it led to).
        "no fits", "breathing ok now", "not drowsy", "feeling good today", "no twitching today 😊",
        "no spasms no seizures feeling fine", "no problems", "Not dizzy anymore, much better",
        "no seizures today", "she's doing fine", "he's good, no jerking",
        "all fine here, no fits since last week", "she's awake and talking, breathing normal",
        "He's not confused anymore, back to normal", "lips are pink again, he's ok",
        "Her breathing is fine now", "no se ha convulsionado", "todo bien, sin espasmos",
        "está bien, no ha tenido convulsiones", "ya respira normal", "sin temblores hoy", "no tiene fiebre",
    ],
    "ack": [
        "ok", "OK", "Ok.", "okay", "ack", "got it", "on it", "on my way", "On my way!", "omw", "calling 911",
        "ok calling 911", "I'm on my way", "coming now", "vale", "ya voy", "llamando al 911",
        # First held-out batch (measured before the fixes it led to).
        "on the way", "I'll call her", "got it thanks", "ok thanks", "ok on my way", "ok I'm calling",
        # Second held-out batch (measured before the fixes it led to).
        "calling 911 now", "I'm coming", "got it, on my way", "heading over", "ok calling her",
        "voy para allá",
        # Fourth held-out batch (measured before the fixes it led to).
        "got it, heading over", "Im on my way now", "ok thanks I'll check on her", "will call her now",
        "I'll go check on him", "Ok going over there", "K", "entendido, la llamo ahora", "ya llamé al 911",
        "Enterado",
    ],
    "ack_with_code": ["OK JQF2", "ok jqf2", "JQF2 ok", "on my way K7M3", "ack k7m3",
                      # Fourth held-out batch (measured before the fixes it led to).
                      "ok K7MX", "ok, I'll handle it 9RTW"],
    "status": ["STATUS", "status", "Status?", "status please", "estado", "update",
               # Second held-out batch (measured before the fixes it led to).
               "status pls", "Estado",
               # Fourth held-out batch (measured before the fixes it led to).
               "status?", "how is she doing?", "did mom take her pill?", "Update pls",
               "has he taken his meds today?", "¿cómo está mi papá?"],
    "number": ["3", "7", "0", "10", "5/10", "3 out of 10", "8 de 10",
               # Fourth held-out batch (measured before the fixes it led to).
               "3/10", "5 de 10"],
    "stop": ["STOP", "stop", "Stop.", "UNSUBSCRIBE", "cancel", "quit", "STOPALL",
             # Fourth held-out batch (measured before the fixes it led to).
             "Unsubscribe"],
    "start": ["START", "start", "unstop"],
    "help": ["HELP", "help", "help?", "INFO", "ayuda",
             # Fourth held-out batch (measured before the fixes it led to).
             "info"],
    "unknown": [
        "", "   ", "what is this", "stop it please", "yes no", "later", "tomorrow", "🙂",
        "taken?no", "who is this", "I haven't run out", "I took it again today", "???", "call me",
        "I fit it in", "911", "x" * 2000,
        # Fourth held-out batch (measured before the fixes it led to).
        "who is this?", "what time is my next dose", "wrong number", "Should I take another one?",
        "Happy thanksgiving!", "can u call me", "did I take it? I can't remember",
        "the new pharmacy is closer to my house", "Stop texting me please", "Is this the pharmacy?",
        "she's at her daughter's this weekend", "¿a qué hora es mi dosis?", "llámame por favor",
        # Asking in question order with no question mark (found after the fourth batch was measured).
        "did i", "Did I already", "did u",
    ],
}

# Red flags denied, or plain reassurance: never an emergency, whatever else they are read as.
NOT_RED_FLAGS: list[str] = [
    "no seizures today, feeling ok", "No seizure", "she didn't have a fit", "not confused at all",
    # Third held-out batch (measured before the fixes it led to: none was read as a red flag).
    "no seizures", "no fits today", "breathing fine", "she is awake and ok", "no trouble breathing today",
    "not confused", "feeling ok, no seizures", "he woke up fine", "sin convulsiones", "she is breathing normally",
    "no fits, no problems", "never had a seizure", "awake and alert", "he's fit again after his cold",
    # Fourth held-out batch (measured before the fixes it led to: none was read as a red flag, but 17
    # of the 22 that say only this were not understood, and now read as all well).
    "I took it, no twitching today", "He took it and he's breathing fine now",
    "ya se la tomó y no ha tenido convulsiones", "no seizures but my legs are jumping 6", "no fits",
    "breathing ok now", "not drowsy", "no twitching today 😊", "no spasms no seizures feeling fine",
    "no problems", "Not dizzy anymore, much better", "no seizures today", "he's good, no jerking",
    "all fine here, no fits since last week", "she's awake and talking, breathing normal",
    "He's not confused anymore, back to normal", "lips are pink again, he's ok", "Her breathing is fine now",
    "no se ha convulsionado", "todo bien, sin espasmos", "está bien, no ha tenido convulsiones",
    "ya respira normal", "sin temblores hoy", "no tiene fiebre",
]

# Phrasings the parser gets wrong today: phrasing -> the intent it returns. Each is a real gap.
KNOWN_MISSES: dict[str, str] = {
    # "tuk" is three letters: too short to correct safely (short words are never corrected).
    "tuk it": "unknown",
    # "did ... take it" is also how "did I take it?" reads once punctuation is gone; recording a
    # dose on a question would silence a real missed-dose escalation, so it stays unknown.
    "did take it": "unknown",
    # Three-letter typos, for the same reason as "tuk it": "tok" and "tuk" are never corrected.
    "i tok it": "unknown",
    "i tuk it yesss": "unknown",
    # "she was sleeping" is not filler: "yes, I was asleep" explains a missed dose, and a dose recorded
    # on it would silence the escalation. Not understood, the caregiver gets the help text instead.
    "gave it to her late, she was sleeping": "unknown",
}


# Categories whose rows expect another category's intent (their own tests look further).
EXPECTED_INTENT = {"taken_with_symptoms": "taken", "ack_with_code": "ack"}


def rows() -> list[tuple[str, str]]:
    """(expected intent, phrasing) for every row of the table."""
    return [(EXPECTED_INTENT.get(category, category), text)
            for category, texts in PHRASINGS.items() for text in texts]


def accuracy() -> dict[str, tuple[int, int]]:
    """Per category: (rows the parser reads as the expected intent, rows)."""
    return {
        category: (sum(parse_reply(t).intent == EXPECTED_INTENT.get(category, category) for t in texts), len(texts))
        for category, texts in PHRASINGS.items()
    }


if __name__ == "__main__":  # python -m tests.unit.sms_phrasings
    results = accuracy()
    for category, (right, total) in results.items():
        print(f"{category:22s} {right:4d} / {total:4d}")
    right = sum(r for r, _ in results.values())
    total = sum(t for _, t in results.values())
    print(f"{'all':22s} {right:4d} / {total:4d}  ({100 * right / total:.1f}%)")
    calm = sum(parse_reply(t).intent != "emergency" for t in NOT_RED_FLAGS)
    print(f"{'denials not alarmed':22s} {calm:4d} / {len(NOT_RED_FLAGS):4d}")
