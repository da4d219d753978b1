"""What an SMS reply means. Pure: text in, a :class:`Reply` out; no idea who sent it.

The reading goes in this order, and the order is the safety policy:

1. Carrier keywords (STOP, START, HELP ...), only as the whole message: Twilio's Advanced Opt-Out
   matches them that way and answers them itself, so we do the same.
2. A red flag anywhere (``alerts.domain.symptom_text``): "took it but she had a fit" is an
   emergency, not a dose. When a message is ambiguous between a red flag and not, the symptom
   reader already chose the red flag.
3. Supply problems ("ran out", "pharmacy didn't have it"): a withdrawal risk.
4. Extra doses ("took it twice by mistake"): a toxicity risk.
5. Doses not taken ("forgot", "not yet", "skipping", "no").
6. Whole-message forms: a caregiver's acknowledgement (with an optional alert code), STATUS, a
   dose taken ("yes took it thanks", "👍", "takn"), a bare 0-10 number (an answer to the daily
   check-in prompt).
7. Other symptoms in plain words ("legs jumping 7"), perhaps with a dose taken in the same message.
8. "Feeling ok" and the like; anything else is ``unknown`` and changes nothing (the service answers
   it with the help text).

Phrases of steps 3-5 may stand anywhere in a longer message, unless a negation stands just before
them ("I haven't run out"). A dose counts as taken only when every word of the message is a
taken word or harmless filler ("yes took it thanks"), so "not taken", "no" or "taken?no" never
read as taken, and neither does a question ("took it?", "did she take it?"); extra doses are read
in the past tense only ("should I take another one?" asks). Small typos ("takn", "forgto") are
corrected against this parser's own vocabulary with :mod:`difflib` before matching; the red-flag
reader never relies on that.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Literal

from alerts.domain.symptom_text import has_red_flag_words, symptoms_in, without_denied_symptoms
from alerts.domain.text import normalise

__all__ = ["Intent", "Reply", "normalise", "parse_reply"]

Intent = Literal["taken", "not_taken", "extra_dose", "supply", "emergency", "symptoms", "all_well", "ack",
                 "status", "number", "stop", "start", "help", "unknown"]
SupplyProblem = Literal["ran_out", "no_refill"]

# An alert code as ``alerts.services.alerts.new_code`` makes them: 4 characters, no 0/O/1/I/L.
# Kept to that exact shape so "ok thanks" is not read as "acknowledge alert THANKS".
_CODE = r"(?P<code>[a-hjkmnp-z2-9]{4})"

# Carrier keywords: Twilio's default Advanced Opt-Out lists. Exact whole-message matches only.
_KEYWORD_ROWS: tuple[tuple[Intent, str], ...] = (
    ("stop", r"stop|stopall|unsubscribe|cancel|end|quit|revoke|optout"),
    ("start", r"start|unstop"),
    ("help", r"help|info|ayuda"),
)
KEYWORDS = tuple((intent, re.compile(pattern)) for intent, pattern in _KEYWORD_ROWS)

# Whole-message forms, tried in order; the first full match wins.
_PATTERN_ROWS: tuple[tuple[Intent, str], ...] = (
    # A caregiver taking charge of an alert, optionally naming it by code ("OK JQF2").
    ("ack", rf"(?:ok|okay|okey|k|kk|ack|on it|got it|vale|entendido|enterado|enterada)(?: {_CODE})?"
            rf"(?: thanks| thank you| gracias)?"),
    ("ack", rf"{_CODE} (?:ok|okay|ack)"),
    # A caregiver saying they are dealing with it, in their own words ("ok, calling 911",
    # "I'm on my way", "voy para alla"). Only ever read as an acknowledgement from a caregiver.
    ("ack", rf"(?:(?:ok|okay|k|yes|yep|got it|si|vale|entendido|ya)(?: thanks| thank you| gracias)? )?"
            rf"(?:i m |im |i am |i ve |ive |i have |we re |were |we are |i ll |ill |i will |will |we ll |"
            rf"i m going to |im going to |going to |gonna )?(?:go )?"
            rf"(?:on my way|on our way|on the way|omw|coming|coming now|going now|"
            rf"going over(?: there)?|going there|check(?:ing)? on (?:her|him|them)|handle it|deal with it|"
            rf"dealing with it|calling|call(?:ing)? (?:her|him|them|mom|mum|dad)|la llamo|lo llamo|"
            rf"heading (?:over|there)|calling 911|called 911|calling 9 1 1|calling an ambulance|"
            rf"calling her|calling him|got it|got this|on it|handling it|voy|voy para alla|ya voy|"
            rf"llamando al 911|llame al 911)(?: now| ahora)?(?: {_CODE})?"),
    # A caregiver asking how the patient is.
    ("status", r"(?:status|estado|update)(?: please| pls| plz| por favor)?"),
    # ... or asking in their own words. Whole-message questions only: "did she take it" is never a dose.
    ("status", r"how (?:is|s|are) (?:he|she|they|him|her|mom|mum|dad|my \w+)(?: doing| feeling)?"
               r"(?: today| now| tonight)?|"
               r"(?:did|has|have) (?:he|she|they|mom|mum|dad|my \w+) (?:take|taken|had|have) "
               r"(?:it|(?:her|his|their|the) (?:dose|meds|medicine|medication|pills?|baclofen))"
               r"(?: yet| today| tonight)?|"
               r"(?:como|que tal) (?:esta|sigue|va) (?:el|ella|mi \w+)(?: hoy)?"),
    # A bare severity, 0-10: the answer to "How are your twitches today, 0-10?".
    ("number", r"(?P<number>10|[0-9])(?: 10| out of 10| de 10)?"),
)
PATTERNS = tuple((intent, re.compile(pattern)) for intent, pattern in _PATTERN_ROWS)

# -- a dose taken: every word a taken word or filler --------------------------------------------------

# Words that by themselves say "taken" (the reminder asks "have you taken it?").
TAKEN_WORDS = frozenset({
    "taken", "took", "done", "yes", "y", "ye", "yea", "yep", "yeah", "yup", "ya", "did", "had",
    # A caregiver's "gave it to him", "le di su pastilla".
    "gave", "di",
    "tomada", "tomado", "tome", "tomo", "si", "listo", "lista", "hecho",
})
# Words that may stand around a taken word without changing its meaning.
FILLER = frozenset({
    "i", "it", "them", "my", "the", "a", "dose", "doses", "meds", "med", "pill", "pills", "tablet", "tablets",
    "medicine", "medication", "baclofen", "already", "just", "now", "thanks", "thank", "you", "thx", "ty",
    "ok", "okay", "all", "have", "ve", "had", "has", "today", "this", "morning", "noon", "afternoon",
    "evening", "tonight", "night", "at", "on", "time", "good", "great", "sir", "please", "ma", "maam",
    "lunch", "breakfast", "dinner", "bedtime", "for", "reminder", "senora", "senor", "u", "mine", "tq",
    "la", "lo", "las", "me", "mi", "mis", "dosis", "pastilla", "pastillas", "gracias", "ahora", "hoy",
    "de", "del", "manana", "tarde", "noche", "medicina", "baclofeno", "bien", "todo",
    # Caregivers speak of the patient ("he's had it", "gave it to her"), people say when, with what and
    # sorry for being late ("took my 8 oclock pill with my coffee", "sorry I'm late").
    "he", "she", "him", "her", "his", "they", "s", "m", "mom", "mum", "dad", "to", "and", "with", "late",
    "sorry", "oclock", "o", "clock", "coffee", "food", "meal", "supper", "water", "juice",
    "se", "le", "su", "sus", "mama", "papa", "mami", "papi", "con",
})
# Emoji people answer a reminder with. Normalising would drop them, so they become words first.
EMOJI = {"\U0001f44d": " yes ", "\u2705": " done ", "\u2714": " done ", "\u2611": " done "}
# Words that undo a "yes": "yes no", "taken? no".
_NEGATING = frozenset({"no", "not", "nope", "nah", "never", "didn", "didnt", "haven", "havent", "yet",
                       "todavia", "aun", "nunca"})

# -- phrases that may stand anywhere --------------------------------------------------------------------

_NEG = (r"(?:no|not|never|haven t|havent|have not|hasn t|hasnt|didn t|didnt|did not|don t|dont|won t|"
        r"wont|nunca|no he|no me)")
# A negation this close before a phrase denies it: "I haven't run out", "no se me acabo". A pronoun
# after the negation starts a new clause: "no, I ran out" reports running out.
_SUBJECT = r"(?:i|he|she|we|they|you|it|yo|el|ella)"
_DENIED = re.compile(rf"(?:^|\s){_NEG}(?:\s+(?!{_SUBJECT}\b)\S+){{0,1}}\s*$")

_SUPPLY_ROWS: tuple[tuple[SupplyProblem, str], ...] = (
    # round fifteen (AM1): not "he's out of it" (dazed)
    ("ran_out", r"ran out|run out|running out|runnin out|out of (?:my |the |her |his )?"
                r"(?:pills|meds|medication|medicine|baclofen|tablets)|(?<!\bis )(?<!\bs )(?<!\bwas )(?<!\bseems )(?<!\blooks )"
                r"(?<!\bkinda )(?<!\bso )(?<!\bpretty )(?<!\breally )(?<!\btotally )(?<!\bcompletely )(?<!\bbit )(?<!\bkind of )(?<!\breal )(?<!\bvery )(?<!\ball )(?<!\bhes )(?<!\bshes )out of it|"
                r"(?:no|none) (?:pills |meds |tablets |baclofen )?left|"
                r"only (?:one|1|two|2|a few|a couple|a couple of) (?:more )?"
                r"(?:pills? |tablets? |doses? )?left|"
                r"(?:almost|nearly) out|running low|low on (?:pills|meds|medication|baclofen|tablets)|"
                r"(?:solo )?(?:me |le )?queda(?:n)? (?:solo )?(?:una|1|dos|2|pocas) (?:pastillas?|dosis)|"
                r"finished (?:my|the|her|his) (?:pills|bottle|meds|medication|prescription)|"
                r"used up (?:my|the|all)|all out|(?:have |got )?no more (?:pills|meds|medication|baclofen|tablets)|"
                r"^no (?:pills|meds|medication|baclofen|tablets)$|"
                r"(?:pills|meds|medication|medicine|baclofen|bottle|tablets) (?:are |is )?(?:all )?"
                r"(?:gone|empty|finished)|"
                r"se (?:me |le )?(?:acabo|acabaron|termino|terminaron)|"
                r"no (?:me |le )?quedan? (?:mas )?(?:pastillas|medicina|baclofeno|dosis)|"
                r"sin pastillas|sin medicina|sin baclofeno|"
                r"no tengo (?:mas )?(?:pastillas|medicina|baclofeno)"),
    ("no_refill", r"pharmacy (?:didn t|did not|didnt|doesn t|does not|doesnt|don t|dont|won t|wont|couldn t|"
                  r"couldnt|can t|cant|would not|will not|had no|has no|was out|is out|ran out)|"
                  r"(?:can t|cant|cannot|couldn t|couldnt|unable to) (?:get|pick up|fill) (?:a |my |the |her |his )?"
                  r"(?:refill|prescription|script|meds|medication|pills|baclofen|more)|"
                  r"need (?:a |my |another |the )?refill|need more (?:pills|meds|baclofen|medication)|"
                  r"waiting (?:on|for) (?:the |my )?(?:pharmacy|refill|prescription)|"
                  r"(?:doctor|dr|prescriber) (?:hasn t|hasnt|has not|didn t|didnt|did not|won t|wont) "
                  r"(?:sent|send|called in|call in|renewed|renew|approved|approve)|"
                  r"no refills?|refill (?:was )?(?:denied|refused|not ready|delayed|rejected)|"
                  r"out of stock|back ?order\w*|prescription (?:ran out|expired|lapsed)|"
                  r"insurance (?:won t|wont|will not|denied|refused)|(?:can t|cant|cannot|couldn t) afford|"
                  r"pharmacy (?:said|says) (?:they are|they re|theyre|it s|its|it is) (?:out|backordered|out of stock)|"
                  r"(?:la )?farmacia no (?:la |lo |las |los |me la |me lo )?(?:tenia|tiene|tenian|tienen|"
                  r"dio|dieron|da|quiso)|"
                  r"no (?:me )?(?:dan|dieron|quieren dar|quisieron dar) (?:la |el |mi )?(?:receta|resurtido|medicina|"
                  r"pastillas)|no (?:hay|habia) (?:en la farmacia|baclofeno|pastillas)|"
                  r"sin receta|no (?:puedo|pude) (?:conseguir|surtir) (?:la |el |mi |mas )?"
                  r"(?:receta|medicina|pastillas|baclofeno|resurtido)"),
)
SUPPLY = tuple((problem, re.compile(rf"\b(?:{pattern})\b")) for problem, pattern in _SUPPLY_ROWS)

# Doses taken beyond the prescription. The number is how many were taken at this time in all.
# Only the past tense reports a dose: "should I take another one?" asks and "I take it twice a day"
# is the prescription, and either read as an extra dose would record doses nobody took. And only a
# dose can be the thing taken twice: "had cramps twice", "took a walk twice", "had another spasm".
_DOSE_WORD = (r"(?:it|them|my|the|her|his|their|dose|doses|meds|med|pills?|tablets?|baclofen|medicine|"
              r"medication|one|morning|evening|night|noon|today|tonight|\w*\d\w*)")
_EXTRA: tuple[tuple[int, re.Pattern[str]], ...] = tuple(
    (count, re.compile(rf"\b(?:{pattern})\b"))
    for count, pattern in (
        (3, r"(?:took|taken|had) (?:it |them |my (?:dose|meds|pills?) |the (?:dose|pill) )?"
            r"(?:three|3) times|(?:took|had|taken) (?:three|3) (?:doses|pills|tablets)|tome (?:tres|3) veces"),
        (2, rf"(?:took|taken|had) (?:{_DOSE_WORD} ){{0,3}}(?:twice|two times|2 times|2x|double)|"
            r"(?:took|had) (?:two|2) instead of (?:one|1)|accidentally (?:took|had) (?:two|2|another|an extra|more)|"
            r"(?:took|had|taken) (?:it |my dose |them )?again (?:by mistake|by accident)|"
            r"accidentally (?:took|had) (?:it |my dose |them )?again|"
            r"(?:took|had|taken) (?:an |one |1 |a )?(?:extra|another|additional|second|2nd)"
            r"(?: (?:one|dose|pill|tablet|by mistake|by accident)|$)|"
            r"(?:took|had|taken) (?:two|2) (?:doses |pills |tablets )?(?:by mistake|by accident|instead)|"
            r"double(?:d)? (?:dose|dosed|up|my dose)|took too (?:many|much)|overdos\w*|"
            r"(?:took|had) (?:one|a|1|two|2) too many|"
            r"tome (?:la dosis |las pastillas |la pastilla )?(?:dos|2) veces|"
            r"tome (?:una |la )?(?:dosis |pastilla )?(?:extra|de mas|adicional|doble)|tome otra|"
            r"(?:dosis|toma) doble|me tome (?:otra|dos)|"
            # Someone else's dose, in the past tense ("se tomó"; "se toma" would be the habit).
            r"se (?:la |lo |las |los )?tomo (?:la dosis |las pastillas |la pastilla |su dosis |su pastilla )?"
            r"(?:dos|2) veces|se (?:la |lo )?tomo (?:otra|doble|de mas|una (?:extra|de mas))|"
            r"se tomo (?:dos|2) (?:pastillas |dosis )?(?:por error|sin querer|por equivocacion)|"
            r"(?:otra|una) (?:pastilla |dosis )?de mas"),
    )
)

NOT_TAKEN = re.compile(
    r"\b(?:forgot|forget|forgotten|forgetting|forgetful|"
    r"not (?:yet|taken|now|today|tonight)|no not yet|nope|nah|"
    r"(?:haven t|havent|have not|hasn t|hasnt|has not|didn t|didnt|did not|don t|dont|won t|wont|"
    r"couldn t|couldnt|not) (?:take|taken|took|had|have|taking|get to|gotten to)|"
    r"not taking|skip\w*|missed (?:it|my|the|a|her|his|this|that|dose|doses|pill)|"
    r"(?:take|taking) it (?:later|in|after|soon|at|when)|later today|"
    r"no (?:i |she |he )?(?:haven t|havent|have not|hasn t|hasnt|didn t|didnt|did not)|still (?:haven t|havent|not)|"
    r"(?:haven t|havent|have not|hasn t|hasnt|didn t|didnt) yet|se me paso|"
    r"todavia no|aun no|no (?:(?:me |se |te )?(?:la |lo |las |los ))?(?:he |ha |han |has )?tom\w*|"
    # Refused or spat out: the dose is not in them.
    r"refus\w*|(?:spit|spat) (?:it |them |the pill |the pills |his pill |her pill )?out|"
    r"(?:haven t|havent|have not|hasn t|hasnt|has not|didn t|didnt|did not|not|never) (?:give|gave|given)|"
    r"no (?:se |le )?(?:la |lo )?(?:he )?(?:di|dado)\b|"
    r"no (?:se )?(?:la |lo )?(?:quiere|quiso|queria) tomar\w*|"
    r"(?:se me|se le) olvid\w*|olvid\w*|no pude tomar\w*)\b"
)
# A whole message that is just "no": the answer to "have you taken it?".
_BARE_NO = re.compile(r"(?:no|nope|nah|not yet|no no|no sorry|sorry no|no todavia|todavia no|aun no)")

# A dose taken, named inside a longer message that also reports symptoms ("took it, legs jumping 7").
_TAKEN_PHRASE = re.compile(
    r"\b(?:took it|took (?:my|his|her|their) (?:dose|meds|medicine|medication|pills?|baclofen)|"
    r"(?:he|she|they) took|taken|gave (?:it|him|her|them)|la tome|ya tome|(?:me|se) (?:la|lo) tom[eo]|"
    r"ya se (?:la |lo )?tomo|le di)\b")

# Said alone, these answer "how are you?".
_BARE_WELL = re.compile(r"(?:fine|good|great|well|ok today|bien|muy bien)(?: thanks| thank you| gracias)?")
_WELL = r"(?:ok|okay|fine|good|well|alright|better|normal\w*)"
ALL_WELL = re.compile(
    rf"\b(?:feel(?:ing|s)? (?:ok|okay|fine|good|well|better|great|alright)|i m (?:ok|okay|fine|good|well)|"
    rf"im (?:ok|okay|fine|good|well)|all (?:good|fine|well|ok|okay)|doing {_WELL}|"
    r"no (?:problems|issues|symptoms)|"
    # Reassurance about the patient, or about the very signs the alerts are for: "she's fine",
    # "breathing ok now", "lips are pink again", "back to normal".
    rf"(?:he|she|they|we|mom|mum|dad) (?:s |is |are |seems |looks ){_WELL}|"
    rf"(?:breathing|breath|lips|colou?r|legs?|arms?|muscles?|body) (?:is |s |are |seems |looks |feels? )?"
    rf"(?:{_WELL}|pink|calm|relaxed)|back to normal|(?:much|lot|way|bit) better|"
    rf"awake and (?:alert|talking|{_WELL})|"
    r"(?:me siento |estoy |todo |esta |sigue )bien|respira (?:bien|normal\w*|mejor))\b"
)


@dataclass(frozen=True)
class Reply:
    """What a reply says.

    ``code``: the alert code named in an acknowledgement, upper case. ``symptoms``: symptom key ->
    severity found in the message (any intent may carry them). ``supply_problem``: for ``supply``.
    ``doses``: for ``extra_dose``, how many doses the person says they took in all (2 for "twice"
    or "an extra one"). ``number``: for ``number``, the 0-10 value.
    """

    intent: Intent
    code: str | None = None
    symptoms: dict[str, int] = field(default_factory=dict)
    supply_problem: SupplyProblem | None = None
    doses: int | None = None
    number: int | None = None


def parse_reply(text: str) -> Reply:
    """The meaning of an SMS reply; ``unknown`` unless some form above is recognised."""
    text = text or ""
    cleaned = normalise(text)
    for intent, pattern in KEYWORDS:
        if pattern.fullmatch(cleaned):
            return Reply(intent)
    symptoms = symptoms_in(text)
    if has_red_flag_words(text):
        return Reply("emergency", symptoms=symptoms)

    words = _corrected(normalise(_emoji_as_words(text)))
    for problem, pattern in SUPPLY:
        if _said(pattern, words):
            return Reply("supply", symptoms=symptoms, supply_problem=problem)
    for count, pattern in _EXTRA:
        if _said(pattern, words):
            return Reply("extra_dose", symptoms=symptoms, doses=count)
    if NOT_TAKEN.search(words) or _BARE_NO.fullmatch(words):
        return Reply("not_taken", symptoms=symptoms)

    for intent, pattern in PATTERNS:
        match = pattern.fullmatch(cleaned)
        if match:
            groups = match.groupdict()
            code = groups.get("code")
            number = groups.get("number")
            return Reply(intent, code.upper() if code else None, symptoms,
                         number=int(number) if number is not None else None)
    # A question is never a dose taken: recording one on a question silences a real escalation.
    asked = _is_question(text)
    # A denied symptom ("no seizures") is reassurance, like "feeling fine". Beside a dose named in so
    # many words either may go ("took it, no twitching today"); beside a bare "yes" neither does.
    calm = without_denied_symptoms(words)
    named = _said(_TAKEN_PHRASE, words)
    if not asked and (_only_taken_words(words) or named and _only_taken_words(ALL_WELL.sub(" ", calm))):
        return Reply("taken", symptoms=symptoms)
    if symptoms:
        return Reply("taken" if not asked and named else "symptoms", symptoms=symptoms)
    if _said(ALL_WELL, words) or _BARE_WELL.fullmatch(words) or calm != words:
        return Reply("all_well")
    return Reply("unknown")


def _emoji_as_words(text: str) -> str:
    for emoji, word in EMOJI.items():
        text = text.replace(emoji, word)
    return text


def _said(pattern: re.Pattern[str], words: str) -> bool:
    """True if some mention of ``pattern`` is not denied by a negation just before it."""
    return any(not _DENIED.search(words[:m.start()]) for m in pattern.finditer(words))


def _only_taken_words(words: str) -> bool:
    tokens = words.split()
    if not tokens or any(t in _NEGATING for t in tokens):
        return False
    # Digits and am/pm are a time ("took it at 8 am").
    return any(_says_taken(tokens, i) for i in range(len(tokens))) and all(
        t in TAKEN_WORDS or t in FILLER or t.isdigit() or t in ("am", "pm") for t in tokens)


# What "had" must have had to mean a dose: "had my pill", "had it", but not "had a good night",
# which is small talk made only of filler words.
_HAD_WHAT = frozenset({"it", "them", "mine", "dose", "doses", "meds", "med", "pill", "pills", "tablet",
                       "tablets", "medicine", "medication", "baclofen"})
_DETERMINERS = frozenset({"my", "her", "his", "their", "the"})


def _says_taken(tokens: list[str], i: int) -> bool:
    if tokens[i] != "had":
        return tokens[i] in TAKEN_WORDS
    j = i + 1
    while j < len(tokens) and tokens[j] in _DETERMINERS:
        j += 1
    return j < len(tokens) and tokens[j] in _HAD_WHAT


def _is_question(text: str) -> bool:
    # "did she take it?" and "took it?" ask; their words alone would read as a dose taken. So does
    # "did I" with no question mark: "did" before its subject is English's question order (the
    # answer is "I did"), and someone unsure whether they took it must not silence the reminder.
    return (text.rstrip().endswith("?") or text.lstrip().startswith("\u00bf")
            or _ASKED_BY_ORDER.match(text) is not None)


_ASKED_BY_ORDER = re.compile(r"\W*did\s+(?:i|you|u|he|she|we|they)\b", re.IGNORECASE)


# Words worth correcting a typo towards: the ones the patterns above hinge on.
_VOCABULARY = ("yes", "taken", "took", "done", "forgot", "forget", "skipping", "skipped", "refill", "pharmacy",
               "twice", "extra", "status", "tomada", "tomado", "olvide", "yesterday", "medication",
               "prescription", "thanks")
# Real words one edit away from the vocabulary, which must stay as they are ("take it later").
_NOT_TYPOS = frozenset({"take", "takes", "taking", "token", "tone", "dome", "stats", "statue", "tomar", "tomas",
                        "tomo", "toma", "refills", "skipped", "forget"})
_KNOWN = TAKEN_WORDS | FILLER | _NEGATING | frozenset(_VOCABULARY) | _NOT_TYPOS


@lru_cache(maxsize=4096)
def _correct_word(word: str) -> str:
    # Short words are left alone: "tok" could be anything, and "no"/"not" must never change.
    if len(word) < 4 or word in _KNOWN or word.isdigit():
        return word
    close = difflib.get_close_matches(word, _VOCABULARY, n=1, cutoff=0.8)
    return close[0] if close else word


def _corrected(words: str) -> str:
    # "yesss", "tooook": runs of three or more letters are emphasis, not spelling.
    words = re.sub(r"([a-z])\1{2,}", r"\1\1", words)
    return " ".join(_correct_word(w) for w in words.split())
