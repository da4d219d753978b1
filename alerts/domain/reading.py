"""What an inbound SMS says, with how sure we are. Pure: text and who sent it in, a :class:`Reading` out.

Issue 10 asks for a change of design, not more patterns: the reader fitted the phrasings it was
tuned on, and a reply it did not understand was answered with the help text alone. So:

* Every text gets a reading with a ``confident`` flag. A text the reader cannot place is not an
  ``unknown`` to be answered with help: the service forwards it verbatim to the caregivers and asks
  the patient a numbered question (``alerts.services.inbound``). ``forward`` says when a human
  should read the words themselves.
* ``urgency`` is what the text may mean for the body: ``emergency`` only for a clear, un-negated
  description of one of the brief's four emergency signs (a seizure, profound drowsiness, difficulty
  breathing, severe confusion: "If you experience a seizure, profound drowsiness, difficulty
  breathing, or severe confusion, call 911"); ``urgent`` for anything else that may describe a body
  in trouble and is not clearly denied (a doubtful seizure, any other symptom, an extra dose);
  ``none`` otherwise.
* The signs are read as concepts, however they are put: named, described ("eyes won't stay open",
  "doesn't know what year it is", "can't get air in"), misspelled the way voice dictation spells
  them (``sounded_out``: Double-Metaphone-style codes, "sea sure" -> seizure), with an intensity
  word ("severe confusion" is the brief's own emergency), in Spanish and Spanglish, in the third
  person, and mixed with anything else ("took too many and keep nodding off" is an emergency first,
  an extra dose second).
* Negation, the trap of off-the-shelf NegEx: concepts that are themselves negations of a normal
  function ("can't breathe", "won't wake up", "no reconoce") are never negated away; only a sign
  that can be denied is ("no seizures", "seizure free", "ninguna convulsion"). Doubt ("not sure if
  it was a seizure", "no se si fue un ataque") is not denial: it is urgent, and forwarded. A
  hypothetical ("what do I do if he has a seizure?") reports nothing.

The older whole-message parser (``alerts.domain.replies.parse_reply``) still reads the carrier
keywords, alert codes, the bare 0-10 answer and the short dose replies; this module reads the rest
clause by clause and decides.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Literal

import jellyfish

from alerts.domain import ack_net, symptom_text, trouble_net
from alerts.domain.replies import Reply, parse_reply
from alerts.domain.text import normalise

__all__ = ["Reading", "Sign", "read_sms", "said_of", "sounded_out", "plain_words", "as_meant", "numbered_answer", "answer_stands"]

Sender = Literal["patient", "caregiver"]
Urgency = Literal["emergency", "urgent", "none"]
Dose = Literal["taken", "not_taken", "extra", "none"]
Sign = Literal["seizure", "breathing", "drowsiness", "confusion"]

# The symptom recorded for each emergency sign, at a severity the red-flag triage reads as that
# emergency (``alerts.domain.symptoms``: ``red_flag_at``).
SIGN_SYMPTOM: dict[Sign, tuple[str, int]] = {
    "seizure": ("seizure", 10),
    "breathing": ("breathing_difficulty", 10),
    "drowsiness": ("drowsiness", 9),
    "confusion": ("confusion", 8),
}


@dataclass(frozen=True)
class Reading:
    """What a text means, for the service to act on.

    ``intents``: everything the text does, in the blind batches' words (``dose_report``,
    ``symptom_report``, ``supply_problem``, ``ack``, ``status_request``, ``question``, ``stop``,
    ``all_well``, ``unclear``). ``signs``: the emergency signs described, un-negated and certain.
    ``doubtful``: signs described with doubt (urgent, not emergency). ``symptoms``: a check-in
    (symptom key -> 0-10) for the clinical rules. ``forward``: a human should read the words.
    """

    urgency: Urgency
    dose: Dose
    intents: frozenset[str]
    confident: bool
    forward: bool
    signs: tuple[Sign, ...] = ()
    doubtful: tuple[Sign, ...] = ()
    symptoms: dict[str, int] = field(default_factory=dict)
    supply_problem: str | None = None
    doses: int | None = None
    code: str | None = None
    number: int | None = None
    reply: Reply = field(default_factory=lambda: Reply("unknown"))
    by_net: bool = False
    # Round fourteen: a caregiver's acknowledgement read by the learned net (``ack_net``), not the tables.
    ack_by_net: bool = False


# -- sounding out what dictation misspelled -----------------------------------------------------------

# Words worth recognising by their sound: the signs' key words. Metaphone codes (``jellyfish``) map
# "sea sure", "seizer", "siezure" to SSR, "confuzed" to KNFST, "barley breathing" to BRL ...
_SOUND_VOCABULARY = ("seizure", "seizures", "seizing", "confused", "confusion", "breathing", "breathe",
                     "breaths", "barely", "recognize", "unconscious", "convulsing", "unresponsive", "nodding",
                     "dozing")
# Dictation hears a soft "th" as "d" or "t" ("breeding", "breading" for breathing): long key words
# are also known by their code with the "th" (metaphone ``0``) read as ``T``.
_TH_AS_T_MIN = 5
# Real words that share a code with one of those and must stay themselves.
_SOUND_ALIKE_WORDS = frozenset({
    "saucer", "saucers", "scissor", "scissors", "birth", "broth", "berth", "confessed", "season",
    "sister", "series", "reckons", "seesaw", "sizes", "cesar", "sewer",
    "breath", "breathe", "seizure", "seizures", "seizing", "confused", "confusion", "breathing",
    "breaths", "barely", "recognize", "unconscious", "convulsing", "unresponsive", "brother", "bath",
    "both", "booth", "bore", "bros", "brass", "brush", "nodding", "dozing", "boarding", "bordering",
})
_EXTRA_CODES = {"SSYR": "seizure", "SSYRS": "seizures", "RKNS": "recognize", "RKNYS": "recognize",
                "RKNSS": "recognize", "RKKNSS": "recognize"}


@lru_cache(maxsize=1)
def _codes() -> dict[str, str]:
    table = {jellyfish.metaphone(w): w for w in reversed(_SOUND_VOCABULARY)}
    for word in _SOUND_VOCABULARY:
        code = jellyfish.metaphone(word)
        if "0" in code and len(code) >= _TH_AS_T_MIN:
            table.setdefault(code.replace("0", "T"), word)
    table.update(_EXTRA_CODES)
    return table


@lru_cache(maxsize=8192)
def _code_of(word: str) -> str:
    return jellyfish.metaphone(word) if word.isalpha() else ""


def sounded_out(cleaned: str) -> str:
    """``cleaned`` (normalised) with words and word pairs that sound like a sign's key word replaced
    by it: "he had a sea sure" -> "he had a seizure". Other words are left as they are."""
    tokens = cleaned.split()
    codes = _codes()
    out: list[str] = []
    i = 0
    while i < len(tokens):
        word = tokens[i]
        if i + 1 < len(tokens) and len(word) >= 3 and word not in _SOUND_ALIKE_WORDS:
            pair = word + tokens[i + 1]
            if len(tokens[i + 1]) >= 2 and _code_of(pair) in codes and tokens[i + 1] not in _SOUND_ALIKE_WORDS \
                    and _code_of(word) not in codes:
                out.append(codes[_code_of(pair)])
                i += 2
                continue
        if len(word) >= 5 and word not in _SOUND_ALIKE_WORDS and _code_of(word) in codes:
            out.append(codes[_code_of(word)])
        else:
            out.append(word)
        i += 1
    return " ".join(out)


# -- the four signs, as concepts -------------------------------------------------------------------

# Each sign: phrases that can be denied ("no seizures"), and phrases that are themselves negations
# of a normal function ("can't breathe"), which are never read as denied.
_PRON = r"(?:he|she|they|i|mom|mum|dad|my \w+|him|her|them|me)"
_HIS = r"(?:his|her|my|their|the)"
_INTENSE = (r"(?:severe|severely|extreme|extremely|profound|profoundly|really bad|very bad|so bad|terrible|"
            r"terribly|super|totally|completely|totalmente|completamente|muy|bien|demasiado|gravemente|"
            r"severa|severamente|really really|very very|incredibly|awfully|real|dreadfully|horribly|frightfully)")
# Drowsiness is an emergency when profound ("extremely drowsy", "muy muy dormida"); "very sleepy" alone
# is the brief's moderate "excessive drowsiness": urgent (the symptom reader records it), not 911.
_PROFOUND = (r"(?:severe|severely|extreme|extremely|profound|profoundly|really bad|very bad|terrible|terribly|"
             r"totally|completely|totalmente|completamente|demasiado|gravemente|severa|severamente|really really|"
             r"very very|so so|muy muy|incredibly|awfully|dangerously|abnormally|dreadfully|horribly|frightfully)")
# "not waking up" is the sign; "not waking up at night any more" or "early" is a sleep habit.
_NOT_A_SLEEP_HABIT = r"(?! (?:up )?(?:early|at night|in the night|during the night|as (?:much|often|early)))"
SIGN_PHRASES: dict[Sign, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "seizure": ((
        # (round fifteen: not the seizure medicine named, "is it ok with her seizure meds?")
        r"seiz\w*\b(?! (?:meds?|medications?|medicines?|pills?|tablets?|drugs?|prescriptions?)\b)", r"convuls\w*", r"epilep\w*",
        r"(?:a|another|having|had|has|have) fits?\b", r"fits again", r"more fits", r"fitting", r"grand mal", r"tonic clonic",
        r"(?:shaking|shook|shakes|jerking|jerked|convulsing|trembling|trembled|twitching) (?:all over|everywhere|his whole body|her whole body)",
        r"(?:whole|entire|full) body (?:\w+ ){0,3}(?:shaking|jerking|convuls\w*)", r"full body",
        r"foam\w* (?:at|from) (?:the|his|her|my) mouth", r"(?:echa|echando|sale|saliendo) espuma", r"espuma (?:en|por) la boca",
        # round fifteen (AB): the verb before the whole body ("me tiembla todo el cuerpo")
        r"(?:tiembla|tiemblan|sacude|estremece|convulsiona) todo (?:el|su|mi) cuerpo",
        r"(?:todo el cuerpo|toda|todo)(?: le| me)? (?:tiembla|temblando|sacude|sacudiendo|sacudia)",
        # (round fifteen: not shaking "todo el dia", all day, which is one hand's tremor)
        r"(?:temblar|temblando|sacudir|sacudiendo|sacudia|retorcer|retorciendo) (?:todo el cuerpo|toda(?! la (?:noche|manana|tarde|semana))|todo(?! el (?:dia|rato|tiempo|santo)))",
        r"eyes (?:rolled|rolling) (?:way |all the way |clear )?(?:back|up)", r"ojos en blanco",
        # round sixteen: the body jumping or the jolts going on, in Spanish ("sigue brincando todo su cuerpo, no para", "sigue con las
        # sacudidas, no para"); stiff as a board and shaking
        r"(?:brincando|brinca|brincaba|salta|saltando) (?:todo (?:el|su) cuerpo|toda entera|todo entero)", r"todo (?:el|su) cuerpo (?:le )?(?:brinca|brincando|salta|saltando)",
        r"(?:sigue|siguen|continua|continuan) (?:con )?(?:las |los |unas |unos )?(?:sacudidas|convulsiones|brincos fuertes)",
        r"stiff as a (?:board|plank)(?: \w+){0,2} (?:shak\w*|jerk\w*)",
        r"bit (?:my|his|her) tongue", r"(?:me|se) mord\w* la lengua",
        r"(?:le|me) (?:dio|da|dieron|estan dando|esta dando) (?:un |otro )?ataque(?! de (?:ansiedad|panico|risa|tos))",
        r"(?:fue|era|es) un ataque(?! de (?:ansiedad|panico|risa|tos))", r"(?:staring|stared) (?:blankly|into space|off)",
        r"(?:mirando|se quedo mirando) fijo",
        r"(?:tuve|tuvo|tiene|tengo) (?:un |otro )?ataque(?! de (?:ansiedad|panico|risa|tos))", r"ataquito",
        r"se puso (?:\w+ )?(?:tieso|tiesa|rigido|rigida|stiff)", r"(?:stiff|rigid\w*|ties[oa]) y (?:temblando|sacudiendo\w*|jerking|shaking)",
        # round five (F): a convulsion described by its features, however it ended
        r"(?:jerk\w*|shak\w*|sacud\w*|convuls\w*|tembl\w*)(?: \w+){0,3} (?:(?:his|her|my|sus|los) )?(?:arms and legs|legs and arms|"
        r"brazos y piernas|piernas y brazos|all (?:4|four) (?:ext\w*|limbs))",
        r"(?:arm and leg|leg and arm|brazo y (?:la )?pierna|pierna y (?:el )?brazo)s? (?:\w+ ){0,3}(?:jerk\w*|shak\w*|sacud\w*|tembl\w*|won t stop|"
        r"wont stop|no paran?)",
        r"(?:arms and legs|legs and arms|brazos y piernas|piernas y brazos|all (?:4|four) limbs)(?: \w+){0,3} (?:jerk\w*|shak\w*|"
        r"sacud\w*|tembl\w*|convuls\w*)",
        r"generali[sz]ed (?:jerk\w*|shak\w*|convuls\w*|seiz\w*|tonic\w*)", r"(?:sacudidas|convulsiones|temblores) generalizad\w*",
        r"(?:rhythmic\w*|ritmic\w*)(?: \w+){0,2} (?:jerk\w*|shak\w*|sacud\w*)", r"(?:jerk\w*|shak\w*|sacud\w*)(?: \w+){0,6} "
        r"(?:rhythmic\w*|ritmic\w*)", r"post ?ictal\w*",
        r"(?:went|goes|go|got|gets) (?:all )?(?:stiff|rigid)(?: \w+){0,4} (?:jerk\w*|shak\w*)",
        r"tongue (?:is |was |s )?(?:all )?(?:bit|bitten|chewed)", r"(?:bit|bid|bite|bitten) (?:his|her|my|their) (?:own )?tongue",
        r"(?:se (?:le|me) )?(?:fueron|van|iban|fue|(?:estan |estaban )?yendo|voltean|voltearon|volteando|volteaban) los ojos "
        r"(?:pa|para|hacia) ?(?:tras|atras|arriba)",
        # round seventeen (the lead, from BC, BD): eyes turned of themselves ("se le voltearon los ojos", "se le viraron los ojos"),
        # as "eyes rolled back" is; not someone rolling their eyes at another ("me viró los ojos")
        r"se (?:le|me) (?:voltearon|viraron|voltean|viran|volteaban|viraban) los ojos",
        r"(?:shaking|jerking|convulsing|seizing|temblando|sacudiendo\w*|convulsionando)(?: \w+){0,3} (?:won t|wont|will not|"
        r"doesn t|doesnt|can t|cant) stop", r"no (?:para|paran|deja|dejan) de (?:temblar|sacudirse|convulsionar)",
        # round eight (I): "she's still shaking y no para", "still jerking and it isn't stopping"
        r"(?:shaking|jerking|convulsing|seizing|sacudiendo\w*|convulsionando)(?: \w+){0,2} (?:y|and) "
        r"(?:no (?:para|paran)\b(?! de)|(?:it s|its|it is|it) (?:not|isn t|isnt) stopping)",
        # shaking or stiff, and not answering: "shaking really bad and not talking to me", "tiesa y no contesta"
        r"(?:shaking|jerking|trembling|convulsing|stiff|rigid\w*|temblando|sacudiendo\w*|tiesa|tieso)\b(?: \w+){0,5} "
        r"(?:and |y )?(?:not|no|won t|wont|isn t|doesn t|doesnt|can t) (?:talking|answering|responding|respond|answer|talk|"
        r"contesta|responde|reacciona|habla)",
        # round eighteen (BA1, W2): the shaking and the not answering further apart in one sentence, the negation in any form
        # ("shaking real bad on the kitchen floor and she isnt answering", "shaking really bad and drooling and wont look at me
        # or answer"); not "stiff" that far ("stiff neck from sleeping wrong, and he's not talking much" is no seizure)
        r"(?:shaking|jerking|convulsing|temblando|sacudiendose|convulsionando)\b(?: \w+){0,8}? (?:and |y )(?:\w+ )?(?:not|no|won t|wont|"
        r"will not|isn t|isnt|is not|s not|doesn t|doesnt|can t) (?:look at (?:me|us) or |me |le |nos )?(?:answering|responding|respond|answer|"
        r"contesta|responde|reacciona)",
        # round six (H): "shook violently", "shacking all over"
        r"(?:shook|shaking|shakes|jerked|jerking) violently", r"violent(?:ly)? (?:shaking|jerking|shakes)",
        r"shacking (?:all over|everywhere)",
        # round seven (J): dictation's "a sees her" / "a seas her" after an article; limbs that won't stop
        r"(?:a|an|another|having|had) (?:sees|seas|sea s|see s|cease|sees a) (?:her|sure|sher|shure)\b",
        r"(?:won t|wont|will not|can t|cant|doesn t|doesnt|didn t|didnt) stop (?:jerking|shaking|twitching|convulsing|seizing|"
        r"sacudiendose|temblando)",
        r"(?:jerk\w*|shak\w*|convuls\w*|sacud\w*)(?: \w+){0,4} (?:and |y )?(?:wasn t|wasnt|was not|weren t|didn t|didnt|did not|"
        r"no estaba|no) (?:respond\w*|answer\w*|react\w*|respondia|contestaba|reaccionaba)",
        # round thirteen: the eyes rolled back with a verb between ("his eyes are rolled back"); the whole body shaking said
        # "all his body"; stiff then jerking in Spanish perfect ("se ha puesto rigido y ... dando sacudidas"); jerking and not
        # hearing ("no me oye", "doesn't hear me")
        r"eyes (?:are |were |s |is |keep |kept |have |had |went |go )?(?:rolled|rolling|rolls) (?:back|up)\b",
        r"(?:shak\w*|jerk\w*|trembl\w*|convuls\w*|sacud\w*|tembl\w*) (?:all (?:of )?(?:his|her|my|their|the) body|todo su cuerpo)\b",
        r"(?:rigid[oa]|ties[oa])(?: \w+){0,4} (?:dando sacudidas|sacudiendo\w*|sacudid[oa]s?|convulsionando)\b",
        r"(?:sacud\w*|jerk\w*|shak\w*|convuls\w*)(?: \w+){0,5} (?:no|not|doesn t|doesnt|can t|cant|isn t|isnt) (?:me |nos )?(?:oye|escucha|hear\w*)\b",
        # round fourteen (tuning13-20): the fits said to go on in Spanish ("le siguen dando los ataques"); a bitten tongue said
        # as the tongue "mordida"; the eyes "r rolling back" or "going up"; the whole body shaking with a word between ("shaking
        # very hard all the body", "jerk jerk whole body"); Taglish verbs built on the English ("nagseseizure", "nagseizure")
        r"(?:le|me) (?:siguen|seguian|sigue|vuelven a|volvieron a|estan|empezaron a) (?:dando|dar) (?:los |unos |mas |otros |sus )?"
        r"ataques?\b(?! de (?:ansiedad|panico|risa|tos))",
        r"(?:le|me) (?:dan|daban|dieron) (?:los |unos |mas |otros |sus )ataques\b(?! de (?:ansiedad|panico|risa|tos))",
        r"lengua (?:toda |bien )?mordida", r"mordid[oa] la lengua",
        r"eyes (?:r |are |were |s |is )?(?:rolling|rolled|going|gone|went) (?:back|up)\b(?! (?:to|at|the|in|on|and down)\b)",
        r"(?:shak\w*|jerk\w*|trembl\w*|convuls\w*|sacud\w*|tembl\w*) (?:\w+ ){1,2}(?:all (?:of )?(?:his|her|my|their|the) body|"
        r"(?:his |her |my |the |their )?(?:whole|entire) body|todo (?:el|su) cuerpo)\b",
        r"\bnag ?(?:se ?)?seizur\w*", r"\bnag ?(?:ko ?|co ?)?convuls\w*",
        # round fifteen (Z-AB, AK-AN): foam "in" the mouth, or beside the jerking ("still jerking and there's foam"); the eyes
        # gone back "in" the head; shaking or jerking on the floor
        r"foam\w* (?:in|on|around|coming out of) (?:the|his|her|my|their) mouth", r"espuma en (?:la|su) boca",
        r"(?:jerk\w*|shak\w*|convuls\w*|seiz\w*|stiff|jump\w*|sacud\w*|tembl\w*)(?: \w+){0,4} (?:there s|there is|theres|with|hay|con) "
        r"(?:some |a lot of |lots of )?(?:foam\w*|espuma)\b",
        r"eyes (?:\w+ )?(?:went|go|going|gone|rolled|rolling|turned) back (?:in|into) (?:his|her|my|their|the) head",
        r"(?:shaking|jerking|convulsing|seizing|sacudiendose|convulsionando) (?:\w+ )?on the (?:\w+ )?floor\b",
    ), ()),
    "breathing": ((
        r"trouble breathing", r"difficulty breathing", r"hard to breathe?", r"hard time breathing",
        r"(?:struggling|fighting|straining|working hard|gulping|desperate) (?:to breathe?|to brief|for air|for breath|to get air)",
        # round sixteen: "suckin for air", "chest working so hard to get air", "every breath a fight"
        r"(?:suck\w*|suckin) (?:for|at) (?:air|breath)", r"(?:working|works|worked) (?:so |really |very |too |real )?hard (?:to (?:get )?(?:air|breathe?)|for (?:air|breath))",
        r"every breath (?:is |s )?(?:a |like a )?(?:fight|struggle|battle|effort)",
        r"suffocat\w*", r"smother\w*", r"asfixi\w*",
        # round nine (K): a breathing rate counted under ten: "counting my own resp rate at about 8", "respira 7 veces por minuto"
        r"(?:resp\w*|respiratory|breathing) rate (?:is |was |at |of |about |around |like |only |maybe |now )*[1-9]\b(?! ?(?:\d|mg|pills?|am|pm))",
        r"\b(?:rr|resp) (?:is |was |of |at |now |only |about |around |approx |like |maybe |como |unos |apenas |de )*[1-9]\b(?! ?(?:\d|mg|pills?|am|pm))",
        r"(?:respira|respiraciones|frecuencia respiratoria)(?: de| es| a| en)? (?:unas |como |solo |apenas )?[1-9] (?:veces |respiraciones )?"
        r"(?:por|al|a|en un) minuto",
        r"(?:breathing|breathes|breaths?|respira|respiraciones) (?:like |only |about |maybe |barely |solo |como )?"
        r"(?:[1-9]|10|one|two|three|four|five|six|seven|eight|nine|ten|dos|tres|cuatro|cinco|seis|siete|ocho|nueve|diez) "
        r"(?:times |breaths |veces |respiraciones )?(?:a|per|an|por|al) (?:minute|min|minuto)",
        r"breathing (?:keeps |kept |is )?(?:stopping|stops|pausing)", r"short(?:ness)? of breath",
        r"gasp\w*", r"wheez\w*", r"air hunger", r"breathless\w*", r"panting",
        r"breathing (?:(?:is|s|feels|seems|looks|sounds|has|have|had|gotten|got|getting|become|became|becoming|been|was|"
        r"went|turned|still) ){0,3}"
        r"(?:very |really |real |so |too |super |extremely |kinda |kind of |pretty |awful |awfully |terribly |dead )?"
        r"(?:slow|shallow|weird|funny|strange|slowly|noisy|rattly|labou?red|hard|heavy|irregular)",
        r"(?:slow|shallow) breath\w*", r"breaths? (?:are |is )?(?:really |very |so )?(?:far apart|slow|shallow)",
        r"pauses? (?:in|between) (?:his |her |my )?breath\w*",
        r"throat (?:is |feels |s )?(?:closing|tight|swelling|swollen|closed)", r"(?:tight|closing) throat",
        r"garganta (?:cerrada|apretada|se (?:me |le )?cierra|cerrandose|hinchada)",
        r"(?:se (?:me |le )?cierra|apretada) la garganta",
        # round seven (J): each breath taken by concentrating; breathing with effort; the chest sinking in
        r"(?:must|have to|has to|had to|need to|needs to|tengo que|tiene que) (?:concentrate|think|focus|work|concentrar\w*|pensar|"
        r"esforzar\w*) (?:\w+ ){0,3}(?:breath\w*|respir\w*|(?:jalar|agarrar|meter) aire)",
        r"respir\w* con (?:mucho |muchisimo |gran |harto |bastante )?(?:esfuerzo|dificultad|trabajo)",
        r"breath\w* with (?:great |a lot of |much |real |so much )?(?:effort|difficulty|struggle)",
        r"se (?:le |me )?hunde (?:el|su|mi) (?:pech\w*|costillas)", r"(?:chest|ribs) (?:is |are |s )?(?:sinking|caving|pulling|sucking) in",
        r"(?:labios|boca|cara|unas) (?:\w+ ){0,2}(?:moradit\w*|violet\w*|azulad\w*|amoratad\w*)", r"(?:le|me) cuesta (?:mucho |muchisimo |trabajo |bastante )?respirar",
        r"respir(?:a|o|ando) (?:muy |bien |super |tan )?(?:lento|poco|despac\w*|rar\w*|mal|feo|bajit\w*)", r"respiracion (?:\w+ ){0,4}(?:lenta|debil|rara|superficial)",
        r"(?:me |le )falta (?:el )?aire", r"falta de aire", r"sin aire", r"ahog\w*",
        r"(?:lips|face) (?:are |is |look |looks |turning |turned |went )?(?:blue|purple|grey|gray|bluish|purplish)",
        # round fifteen (Z-AB, AK-AN): the lips "have gone" a colour, or the colour named with a shade ("plum purple"); the colour
        # "about/around" the lips; "labios dusky"
        r"\blips? (?:(?:have|has|had|are|is|r|s|look|looks|turning|turned|went|gone|going|getting|got|gotten|all|very|so|real|"
        r"rather|quite|pretty|plum|dark|deep|light|pale) ){1,4}(?:\w+ )?(?:blue|blew|bluish|purple|purplish|gr[ae]y|greyish|grayish|dusky)\b",
        r"\b(?:blue|bluish|purple|purplish|gr[ae]y|greyish|grayish|dusky) (?:about|around|round|at) (?:the|his|her|my|their) (?:lips|mouth)\b",
        r"\blabios (?:\w+ ){0,3}(?:dusky|cyanotic|grises|gris)\b",
        r"(?:turning|turned|went|gone|going) (?:blue|purple)",
        r"labios (?:estan |se ven |se (?:le |me )?pusieron |se (?:le |me )?estan poniendo )?(?:morados|azules)",
        r"(?:se puso|se pone|se esta poniendo|esta|se ve) (?:muy |todo |toda )?(?:morad[oa]|azul)",
        r"(?:boca|cara) (?:morada|azul)", r"choking",
        # round five (F): a nurse's shorthand and colour words, "morada de la boca"
        r"\bresp(?:s|irations?)? (?:rate )?(?:is )?(?:shallow|slow|labou?red|irregular)", r"(?:lips|face|skin) (?:are |is |look |looks )?"
        r"(?:dusky|cyanotic)", r"cyano\w*", r"(?:morad[oa]|azul) de (?:la boca|los labios|la cara)",
        r"(?:se puso|esta|se ve) (?:bien|super) (?:morad[oa]|azul)",
        r"se (?:le |me )?(?:ponen|pusieron|estan poniendo|ven) (?:muy )?(?:morados|azules) (?:los )?labios",
        r"(?:problems?|trouble|difficult\w*|struggl\w*|hard time|effort) (?:to|with|for|in|on) (?:breathe?|breathing|respirar)",
        r"breathing (?:trouble|problems?|difficult\w*)", r"huffing", r"(?:out of|sin) (?:breath|aliento) (?:just )?(?:sitting|resting|"
        r"lying|talking|sentad\w*|acostad\w*)",
        r"(?:someone|somebody|something|an elephant|a weight|a brick) (?:is )?(?:sitting|standing|pressing|on) (?:on )?"
        r"(?:my|his|her) chest",
        # round twelve: air hunger as effort ("hard time getting air in", "struggling to pull air", "has to sit straight up to
        # breathe", "haciendo mucho esfuerzo para respirar", "se le hunden las costillas"); a breath count "in a full minute";
        # the base verb said slow ("breathe real slow", "respira mu flojito")
        r"(?:hard time|trouble|struggl\w*|problems?|difficult\w*) (?:getting|pulling|grabbing|drawing|sucking) (?:\w+ )?(?:air|breath)\b",
        r"(?:have|has|had|having|need|needs|tiene|tengo) (?:to|que) (?:sit|sentar\w*) (?:\w+ )?(?:up|derech\w*) (?:to|para|pa) "
        r"(?:breathe?|get air|respirar|poder respirar)",
        r"esfuerzo (?:para|pa|por) respirar", r"(?:hunden|hunde|hundiendo|marcan|jalan|sumen) (?:las |sus |mis )?costillas",
        r"costillas (?:se (?:le |me )?)?(?:hunden|hundiendo|sumen)",
        r"(?:breaths?|breathing|respiraciones|respira) (?:\w+ ){0,2}(?:[1-9]|one|two|three|four|five|six|seven|eight|nine|dos|tres|cuatro|"
        r"cinco|seis|siete|ocho|nueve) (?:times |breaths |veces |respiraciones )?(?:in|en) (?:a|one|1|un) (?:full |whole |entire |solo )?"
        r"(?:minute|min|minuto)\b",
        r"\bbreathes? (?:real|very|so|really|too|super) (?:slow|shallow)",
        r"respir(?:a|o|ando) (?:muy |mu |bien |super |tan )?(?:flojit\w*|floj[oa]|debil\w*|cortit\w*)",
        # round thirteen: a lip said alone or blue "on" the mouth ("tiene lo labio morao", "se ta poniendo azul en la boca");
        # breathing like someone worn out, short and fast ("respira como cansada, rapidito y cortito")
        r"\blabios? (?:\w+ ){0,2}(?:morad[oa]s?|azul(?:es)?|azulad[oa]s?|amoratad[oa]s?)\b",
        r"(?:azul|morad[oa]|azulad[oa]) (?:en|de|por) (?:la boca|los labios|el labio|la cara)\b",
        r"respir\w* (?:\w+ ){0,4}(?:cortit\w*|superficial\w*)\b", r"respir\w* como (?:cansad\w*|agitad\w*|ahogad\w*)\b",
        # round fourteen (tuning13-20): a rate written "5x a min"; the lips' colour named ("her lips color is blue"); the
        # breathing small or weak ("breathing is very small, slow slow"); the base verb said hard ("breathe still hard"); the
        # effort in the Spanish progressive ("le esta costando respirar")
        r"(?:breathing|breathes|breaths?|respira|respiraciones) (?:(?:like|only|about|maybe|barely|around|solo|como|unas) ){0,3}"
        r"(?:[1-9]|10) ?x (?:a|per|an|por|al) (?:minute|min|minuto)\b",
        r"\blips? (?:colou?r|colou?rs) (?:is |are |s |looks? |turning |turned |went |going )?(?:very |so |real |all )?"
        r"(?:blue|bluish|purple|purplish|gr[ae]y|dusky)\b",
        r"breathing (?:is |s |looks |seems |very |so |real |really )*(?:small|weak|tiny|faint)\b(?! (?:cough|voice))",
        r"\bbreathes? (?:still |real |very |so |really |too )+(?:hard|heavy|slow|shallow)\b",
        r"(?:le|me|nos) (?:esta|estaba|sigue|estan) costando (?:mucho |muchisimo |trabajo |bastante )?respirar",
        # round seventeen: a breath not drawn, said formally ("exceedingly difficult to draw a full breath"); the lips' colour as a
        # cast or tinge ("my lips have taken on a decidedly bluish cast")
        r"(?:difficult|hard|struggl\w*|trouble|unable) (?:\w+ ){0,2}?(?:to )?(?:draw|take|get|catch|pull) (?:a |in a )?(?:full|deep|proper|decent|"
        r"whole|good) breath\b",
        r"\blips? (?:\w+ ){0,6}?(?:a |an )?(?:\w+ )?(?:blue|bluish|blueish|purple|purplish|gr[ae]y|greyish|grayish|dusky) (?:cast|tinge|tint|hue|"
        r"colou?r|shade)\b",
    ), (
        r"(?:can t|cant|cannot|can not|couldn t|couldnt|unable to) (?:get|take|catch|draw|pull) (?:a |any |enough |much )?"
        r"(?:good|decent|proper|real|whole|full|deep|big|nuff|enough) (?:breath|air|wind)\b",
        r"(?:can t|cant|cannot|can not|couldn t|couldnt|unable to) (?:get|catch) (?:my |his |her |any |enough |no )?wind\b",
        r"(?:can t|cant|cannot|couldn t|couldnt) fill (?:up )?(?:my|his|her|their) lungs\b",
        r"(?:can t|cant|cannot|can not|couldn t|couldnt|unable to) (?:seem to |really |quite |just )?(?:breathe?|brief|get (?:her |his |my |a )?"
        r"(?:full |deep |enough |a deep )?breath|catch (?:her |his |my |their )?breath|get (?:any |enough |much )?air(?: in)?)",
        r"not breathing(?! (?:as |so |too )?(?:hard|heavy|heavily|fast|quickly|funny|weird|loud\w*|through (?:his|her|my) mouth))",
        r"(?:stops|stopped|stopping|quits) breathing", r"barely breathing", r"hardly breathing",
        r"no (?:puede|puedo) respirar", r"no respira", r"no (?:esta|estaba) respirando",
        r"sin poder respirar", r"without being able to (?:breathe|get (?:a |any )?(?:air|breath))",
        r"(?:dejo|deja) de respirar", r"casi no (?:respira|se le ve el pecho|puedo respirar|puede respirar)",
        r"no (?:me |le )?(?:entra|llega) (?:el |suficiente |bastante |nada de )?aire",
        # the air described as not coming: "the air is not coming", "no air going in", "el aire no entra"
        r"(?:the )?air (?:is |s )?(?:not|isn t|isnt|won t|wont|doesn t|doesnt|don t|dont|no) (?:\w+ )?"
        r"(?:coming|going|getting|come|go|get|gets|enter\w*|reach\w*)\b(?! on\b)",
        r"no air (?:is )?(?:coming|going|getting|gets)", r"(?:el )?aire no (?:me |le )?(?:entra|llega|pasa|sale)",
        r"no (?:me |le )?pasa (?:el )?aire",
        r"(?:sin poder|no (?:puede|puedo|podia|pudo)) (?:jalar|agarrar|tomar|coger|meter|sacar) (?:el )?aire",
        r"casi (?:no|ni) (?:se (?:le|me) )?mueve (?:el|su) pecho",
        r"(?:doesn t|doesnt|does not|isn t|isnt) (?:breathe|breathing)\b(?! (?:well|right|normal|properly) (?:at night|when))",
        r"breathin (?:\w+ ){0,2}(?:slow|shallow)", r"\b(?:rr|resp rate|respiratory rate|fr) (?:of |is |at |was |de )?[1-9]\b(?! ?(?:\d|pm|am|hrs?|h\b))",
        r"dusky (?:around|about|of|on|at) (?:the |her |his )?(?:lips|mouth)", r"lips (?:\w+ ){0,3}(?:blue|bluish|purple) (?:tinge|tint|colou?r)",
        # round six (H): breath drawn with effort, said formally; breathing barely seen; Spanglish
        r"(?:difficult\w*|hard|effort\w*|struggl\w*) (?:\w+ ){0,2}(?:to )?(?:draw|drawing|take|taking|catch\w*) (?:a |his |her |my |each |any )?breath",
        r"(?:each|every) (?:breath|inhalation|inhale) (?:\w+ ){0,4}(?:effort|struggle|work)",
        r"(?:cada respiracion|respirar) (?:le |me )?cuesta", r"(?:apenas|casi no|casi ni) se (?:le |me )?(?:nota|ve|oye) (?:que )?respir\w*",
        r"(?:chest|pecho) (?:is |s )?(?:barely|hardly|apenas|casi no|casi ni) (?:se (?:le |me )?)?(?:moves?|moving|rises?|rising|mueve)",
        r"breathean\w* (?:\w+ ){0,4}(?:despac\w*|slow\w*|rar\w*|lento|weird|funny)",
        r"(?:se (?:le|me) olvid\w*|forgets?|forgetting|forgot) (?:de |to )?(?:respirar|breathe)",
        # round ten (N): the chest that "no me deja respirar" / "won't let me breathe"; air that cannot be grabbed
        r"no (?:me|le|nos) (?:deja|dejaba|dejan) respirar", r"(?:won t|wont|doesn t|doesnt|will not) let (?:me|him|her) breathe",
        r"(?:can t|cant|cannot|couldn t|couldnt) (?:grab|pull|suck|draw) (?:in )?(?:any |enough )?air",
        # round thirteen: the air short in any mood ("como si le faltara el aire"); effort said with a feminine intensity
        # ("respira con mucha dificultad")
        r"(?:me |le )(?:faltaba|faltara|faltase|faltaria|esta faltando) (?:el )?aire",
        r"respir\w* con (?:mucha|muchisima|harta|tanta|gran|bastante|tremenda) (?:dificultad|trabajo|esfuerzo)",
        # round thirteen (W, X, Y): gasping in Spanish ("como boqueando", "boqueaba como pescado")
        r"(?<!no )(?<!ya no )\bboque(?:a|an|ando|aba|aban|o)\b",
    )),
    "drowsiness": ((
        rf"{_PROFOUND} (?:drowsy|sleepy|sedated|groggy|lethargic|somnolient\w*|dormid\w*|adormilad\w*)",
        # round thirteen: a coma said of someone is the sign past "can't be woken" (not a meal's "food coma", not "casi")
        r"(?<!casi )(?<!almost )(?<!food )(?<!sugar )(?<!carb )\b(?:in|en|into) (?:a |un |una )?coma\b(?! (?:de|from|after) "
        r"(?:tanto|comer|comida|food|eating|turkey|lunch|dinner|pizza))", r"\bcomatose\b", r"\bcomatos[oa]\b",
        # round nine (K): Tagalog beside the English, "ayaw gumising, hindi magising since this morning" (won't wake up)
        r"(?:ayaw|hindi|di) (?:(?:ko|po|na|siya|niya|pa|rin|talaga) )*(?:ma)?(?:gumising|magising|gising)\b",
        r"(?:drowsy|sleepy|somnolient\w*|groggy) (?:that |like )?(?:he|she|i|they) (?:can t|cant|cannot|couldn t|won t|doesn t)",
        r"(?:too|so) (?:drowsy|sleepy|sedated|groggy|lethargic) (?:to|that) (?:wake|stay|talk|answer|open|respond|stand|eat)",
        r"doz(?:ed|ing|es) off (?:while|mid|twice|again|in|at|during)", r"falling asleep (?:in|at|on|while|mid)\b",
        r"(?:fell|falls|falling|fall) asleep (?:(?:twice|again|once|two times|three times|several times) )?(?:mid|standing|while|talking|eating|in the middle"
        r"|at the table|sitting|on the toilet|with food)",
        r"nod(?:ding|s|ded) (?:off|out)", r"keeps? (?:nodding|dozing|passing) (?:off|out)",
        r"(?:keep|keeps|kept|keeping) (?:falling asleep|drifting off)",
        r"(?:me|se) (?:estoy|esta|estaba|estan) quedando dormid\w*",
        r"passed out", r"passing out", r"blacking out", r"unconscious", r"unresponsive", r"collapsed", r"blacked out", r"out cold",
        r"completely out", r"inconsciente", r"desmayad\w*", r"se desmay\w*", r"slumped", r"desplomad\w*",
        r"profound\w* (?:drows\w*|sleep\w*)", r"somnolencia (?:profunda|extrema|severa)",
        r"(?:muchisimo|demasiado) sueno", r"cabece(?!ra)\w*", r"se (?:le|me) cierran los ojos",
        # round fourteen (tuning13-20): a clinician's "obtunded", "stuporous"
        r"\bobtunded\b", r"\bstupor\w*",
        r"eyes (?:won t|wont|will not|don t|dont|can t|cant) (?:stay open|stay up)", r"eyes keep (?:closing|rolling)",
        # round sixteen: the eyes shutting by themselves, misspelt ("eyes keep shuting on me", "se me sierran solos")
        r"eyes (?:keep|keeps|kept) (?:shutting|shuting|shuttin|closin|clossing)", r"se (?:le|me) (?:[cs]ierran|serran) (?:solos|sol[oa]s|los ojos)",
        r"(?:se|me) (?:\w+ )?(?:queda|quedo|quedado|quedando) dormid\w* (?:\w+ ){0,2}(?:a media|hablando|mientras|comiendo|sentad\w*|de pie|parad\w*|"
        r"standing|sitting|talking|eating|while|mid)",
        # round seven (J): asleep everywhere, falling over with sleep
        r"(?:me|se|le) (?:duermo|duerme|dormia) (?:\w+ ){0,2}(?:en todas partes|donde sea|comiendo|hablando|parad\w*|de pie)",
        r"(?:falls?|falling|fell|dozes?|dozing) (?:asleep |off )?(?:everywhere|anywhere|wherever)",
        r"(?:me|se|le) (?:caigo|cae|caia) (?:del|de) sueno",
        r"(?:barely|hardly|can barely|can hardly) (?:rouse|wake|arouse)",
        r"(?:perdida|perdio|perdiendo) (?:de )?(?:la )?conciencia", r"lost consciousness",
        # round thirteen: asleep in the middle of an activity, any language ("she sleep in the middle of talking to me", "se
        # quedo dormido en medio de la comida"); not the middle of the day or night (a nap)
        r"(?:asleep|sleep|sleeps|slept|sleeping|dozes? off|dozed off|nods? off|dormid\w*|duerme|durmio|dormia|dormirse) (?:\w+ ){0,2}"
        r"(?:in the middle of|halfway through|en medio de|en medio del|a mitad de|a mitad del|a la mitad de|a la mitad del) (?:a |the |his |her |la |el |una |un |su )?"
        r"(?:talking|talk|eating|sentence|conversation|convo|meal|dinner|lunch|breakfast|food|comida|cena|almuerzo|desayuno|comer|hablar|"
        r"platica|conversacion|frase|oracion)\b",
        # round sixteen: roused for a moment, then gone again ("she'll open her eyes for a second when I say her name then she's gone
        # again", "barely cracks his eyes then he's gone again", "just mumbles and drifts back under")
        r"(?:then|and|y|luego) (?:he s |she s |he is |she is |s |is |se (?:queda |quedo )?)?(?:gone|ido|ida) (?:again|otra vez|de nuevo)"
        r"(?! (?:to|for|a|al|para|pa)\b)",
        r"(?:drifts?|drifted|drifting|goes|went|going|slips?|slipped|slipping) back (?:under|out|to sleep)",
        r"open\w* (?:his|her|their|my) eyes for (?:a|one) (?:second|sec|moment|split second)",
        # round seventeen: not roused, said with the person's name ("cant get kayla up ... nothing"); not up the stairs, for church
        r"(?:can t|cant|cannot|couldn t|couldnt|unable to) get (?:her|him|them|(?!(?:the|this|that|it|my|your|a|an|up)\b)\w+) up\b(?! (?:the|to|for|"
        r"from|in|on|out|off|these|those|stairs|and|early|on time)\b)",
    ), (
        r"(?:can t|cant|cannot|can not|won t|wont|will not|couldn t|couldnt|unable to) (?:get (?:her|him|them|(?!(?:the|this|that|it|my|your|his|"
        r"their|a|an)\b)\w+) to )?"
        r"(?:wake|rouse|respond|stay awake)", r"(?:hard|difficult|very hard|very difficult|dificil) (?:to |de )?(?:wake|rouse|arouse|despertar)",
        r"(?:responds?|reacts?|arousable|rousable|responsive|wakes?) only to (?:a |the )?(?:sternal rub|pain|shaking)", r"(?:can t|cant|cannot|couldn t) keep "
        r"(?:his|her|my|their) (?:eyes|ayes|eye) open", r"(?:can t|cant|cannot|couldn t|couldnt) keep (?:her|him|them|me) awake",
        r"no (?:la |lo |le |me |se )?(?:puede|puedo|podemos|pude|pudimos|logro|logramos|consigo|conseguimos) (?:despertar\w*|"
        r"mantener(?:se|me|la|lo)? (?:\w+ )?despiert\w*|mantener (?:los )?ojos abiertos|quedar(?:me|se) despiert\w*)",
        r"(?:won t|wont|can t|cant|doesn t|doesnt|isn t|isnt|not) (?:open|opening) (?:his|her|their|my) eyes",
        r"no (?:abre|quiere abrir|puede abrir) los ojos", r"(?:is|s|went|gone|going|goes) (?:all |totally |completely |just |real |so )?limp",
        r"no se mantiene despiert\w*", r"(?:can t|cant|cannot|couldn t|couldnt|unable to) get (?:her|him|them|me) (?:up and )?awake",
        rf"not waking\b{_NOT_A_SLEEP_HABIT}(?! (?:her|him|them) (?:up )?(?:for|to|just|yet|now)\b)(?: up)?", r"not responding", r"no response(?! from| yet)",
        # round five (F): "can't get her to talk to me", "won't say nothing", a nurse's "not following commands"
        r"(?:can t|cant|cannot|couldn t|couldnt) get (?:her|him|them) to (?:talk|answer|respond|say|speak|look)",
        r"(?:won t|wont|will not|doesn t|doesnt) (?:say|said) (?:nothin\w*|anything|a word)",
        # (round twelve: "she didn't say anything to me" about a symptom is not telling, not silence)
        r"(?:didn t|didnt) (?:say|said) (?:nothin\w*|anything|a word)\b(?! (?:to|about|of) (?:me|us|it|that)\b)",
        r"not following commands", r"(?:arousable|rousable|responds|responsive|reacts) (?:only )?to pain",
        r"solo (?:responde|reacciona) al dolor",
        # round eight (I): no one can wake them, eyes that won't stay open: "no hay quien lo despierte",
        # "there's no waking him", "no puedo tener los ojos abiertos"
        r"no hay (?:quien|forma de|manera de|modo de) (?:lo |la )?despi?ert\w*", r"(?:there s |there is )?no waking (?:him|her|them)\b",
        r"no way to wake (?:him|her|them)\b", r"no (?:puedo|puede|podia) tener (?:los )?ojos abiertos",
        # round ten (N, M): eyes that close on their own ("se me cierran solos", "no aguanto los ojos"), falling asleep as it
        # goes ("me voy quedando dormido"), still not waking ("sigue sin despertar por mas que la llamo")
        r"(?<!\bno )(?<!\bya no )se (?:me|le) (?:cierran|cerraban|estan cerrando) (?:los ojos )?solos", r"no (?:aguanto|aguanta|aguantaba) (?:los ojos|el sueno)",
        r"(?:me|se) (?:voy|va|van|iba|iban) quedando dormid\w*", r"(?:eyes|eyelids) (?:keep )?(?:close|closing|shut|shutting) "
        r"(?:on their own|by themselves)",
        r"(?:sigue|continua|seguia|todavia|aun|still) (?:\w+ )?sin (?:despertar\w*|reaccionar|responder)",
        # round six (H): a nurse's sternal rub answered by a grunt at most; pinpoint pupils
        r"(?:shak\w*|sacud\w*|muevo|mueve|moviendo|gritand\w*|le hablo|le grito)\b(?: \w+){0,4} (?:just|only|nomas|nada mas|solo) "
        r"(?:snores|ronca)\b", r"no se (?:quiere )?(?:wakea|wakear)\b",
        r"sternal rub (?:\w+ ){0,3}(?:grunt|moan|groan|nothing|minimal|barely|no response|only)", r"pinpoint pupils",
        r"pupils (?:are |were |look )?(?:pinpoint|pin point)", r"pupilas (?:como )?(?:puntitos|puntiformes|de alfiler)",
        r"no (?:se )?despierta", r"no responde",
        r"no reacciona", 
        r"(?:won t|wont|will not|doesn t|doesnt|does not|not|isn t|isnt|didn t|didnt) (?:answer|answering|react|reacting|"
        r"respond|responding) (?:me|us|when|to (?:me|us|anything|his name|her name|(?:her|him|them)\b(?! (?:texts?|calls?|messages?|emails?))))",
        # not the phone, nor someone else: "no me contesta el phone", "el doctor no me contesta"
        r"(?<!doctor )(?<!doctora )(?<!medico )(?<!farmacia )(?<!clinica )(?<!oficina )(?<!enfermera )(?<!seguro )"
        # round eight (I): a call not answered is the phone: "le marque y no contesta"
        r"(?<!marque y )(?<!llame y )(?<!marco y )(?<!llamo y )(?<!llamado y )(?<!marcado y )"
        r"(?<!\bsi )(?<!\bif )(?:no (?:me |nos |le )(?:contesta|contestaba|responde|respondia)|(?<!eso )no contesta\b)(?! (?:el |los |mis |las |sus |the |my |his |her )?"
        r"(?:telefono|cel\w*|llamadas?|mensajes?|textos?|whats\w*|phone|calls?|texts?|msgs?))",
        # round eleven (L, P): "isn't waking up", eyes that close on their own in the diminutive ("los ojitos"), "no me puedo
        # despabilar", falling asleep standing or with the spoon in hand, opening the eyes a second and falling back
        # asleep, "me cuesta mucho despertar"
        rf"(?:isn t|isnt|wasn t|wasnt|aren t|arent) waking\b{_NOT_A_SLEEP_HABIT}(?: up)?",
        r"se (?:me|le) (?:cierran|cerraban|estan cerrando) (?:los )?(?:ojitos|ojos|parpados) solos",
        r"no (?:me |se |la |lo )?(?:puedo|puede|podia|pude|pudo) (?:despabilar\w*|espabilar\w*)",
        r"(?:ando|anda|andaba|estoy|esta) (?:\w+ )?durmiend(?:o|ome|ose)\b(?: \w+){0,2} (?:parad[oa]|de pie|sentad[oa])",
        r"(?:me|se|le) (?:quede|quedo|queda|duerme|dormi|durmio) (?:\w+ )?dormid[oa]s? (?:\w+ ){0,3}con (?:la|el) (?:cuchara|tenedor|vaso|"
        r"taza|plato|comida|bocado)",
        r"(?:fell|falls|falling|dozed|dozes|dozing|nodded|nodding) (?:asleep |off )?(?:\w+ ){0,2}(?:with (?:the|a|her|his|my) (?:spoon|fork|"
        r"cup|food) in|mid ?(?:bite|meal|chew\w*)|with food in (?:her|his|my) mouth)",
        r"(?:abre|abrio|opens|opened) (?:los |sus |her |his |my )?(?:ojos|ojitos|eyes) (?:\w+ ){0,4}(?:y|and|then|pero|but) (?:se )?(?:vuelve|"
        r"volvio|falls?|fell|goes|went|drifts?|drifted)(?: \w+){0,2} (?:a dormir|a quedar dormid\w*|asleep|back to sleep|back out|out)\b",
        r"(?:me|le|se) cuesta (?:mucho|muncho|muchisimo|trabajo|bastante) (?:despertar\w*|mantener\w* despiert\w*)",
        # an aide's "not rousable to voice or sternal rub", "unarousable", "non-arousable"
        r"(?:not|non|un|isn t|isnt) ?a?rousable\b",
        # round twelve: the eyes opened a moment and the person gone again, however the opening is put ("barely opens his
        # eyes then he's gone again", "abre tantito su ojo y se vuelve a dormir"); a sleeper who "won't" wake ("no quiere
        # despertar", "ni quiere despertar"); Vietnamese "goi/keu khong day" (called, does not get up), "khong tinh";
        # Jamaican "cyaan wake him" (read as "can t" by HOMOPHONES)
        r"(?:abre|abrio|opens|opened|open)(?: \w+){0,2} (?:los |sus |su |her |his |my |their |the )?(?:ojos|ojitos|ojo|ojito|eyes?) "
        r"(?:\w+ ){0,4}(?:y|and|then|pero|but) (?:(?:he s|she s|hes|shes|he is|she is|is) )?(?:se )?(?:vuelve|volvio|falls?|fell|goes|"
        r"went|drifts?|drifted|gone|out)(?: \w+){0,2} (?:a dormir|a quedar dormid\w*|asleep|back to sleep|back out|out|again)\b",
        r"no (?:quiere|quiso|queria) (?:despertar\w*|reaccionar)\b",
        # and the progressive said of the body ("no esta respondiendo", "isn't responding"), not of a phone or a medicine
        r"no (?:esta|estaba|estan) (?:respondiendo|reaccionando|despertando)\b(?! (?:a |al |con )?(?:el |la |los |las |sus |mis )?"
        r"(?:medicamento|medicina|tratamiento|pastillas?|mensajes?|llamadas?|telefono|cel\w*|whats\w*))",
        r"(?:isn t|isnt|is not|wasn t|wasnt|aren t|arent) (?:responding|responsive|reacting)\b(?! (?:to|with) (?:the |her |his |my )?"
        r"(?:med\w*|treatment|baclofen|pills?|therapy|texts?|calls?|messages?|emails?|phone|dose\w*|pump))",
        r"\b(?:goi|keu|lay) (?:\w+ )?(?:khong|ko|hong) (?:day|tinh|tra loi)\b", r"\bkhong (?:tinh|tinh day)\b",
        # round thirteen: the eyes that won't stay open said bare or misspelt ("cant keep eys opn", "cannot keep eyes open",
        # "no puede mantener los ojos abiertos"), not opened ("she not open eye"); no response to a pinch ("pinch her arm,
        # nothing", "la pellizco y nada"); ESL "open eyes one second and go back sleep"
        r"(?:can t|cant|cannot|can not|couldn t|couldnt|unable to|not able to|no (?:puede|puedo|podia|pudo)) (?:even )?(?:keep|mantener|tener) "
        r"(?:(?:his|her|my|their|the|los|sus|mis) )?(?:eyes|eye|eyelids|ojos|ojitos|parpados) (?:open|abiertos|abiertas)\b",
        r"(?:won t|wont|can t|cant|doesn t|doesnt|didn t|didnt|not|no) (?:open|opening|opened|abre|abrio) (?:(?:his|her|their|my|the|los|sus) )?(?:eyes?|ojos?)\b",
        r"(?:pinch\w*|pellizc\w*|pellizqu\w*)(?: \w+){0,4} (?:and |y )?(?:nothing|nada|no response|no reaction|ni se mueve|no (?:responde|reacciona)|"
        r"(?:doesn t|doesnt|didn t|didnt|does not|did not) (?:respond|react|move|wake))\b",
        r"(?:open|opens|opened) (?:(?:his|her|their|the) )?eyes? (?:\w+ ){0,3}(?:and|then|but) (?:go|goes|went|fall|falls|fell) back (?:to )?(?:sleep|asleep)\b",
        # round fourteen (tuning13-20): the eyes opened a moment and closed again, or sleep again ("he open the eye one second
        # and close again", "eyes open ~1 s then close again", "abre los ojos un ratito y los vuelve a cerrar", "open eye 1 second
        # then sleep again"); the eyes said not open ("EYES NOT OPEN"); no waking in the passive ("cannot be roused") or only to
        # a rub; a sleeper who "does not wake up" when called or shaken (ESL "she not wake up when I shake her")
        r"(?:abre|abrio|opens?|opened) (?:\w+ ){0,2}(?:ojos?|ojitos?|eyes?) (?:\S+ ){0,4}(?:y|and|then|pero|but) (?:\w+ ){0,3}"
        r"(?:close|closes|closed|closing|shut|shuts|cierra|cerro|cerrar|sleep|sleeps|duerme|dormir)\b(?! (?:the|la|el|door|puerta|app)\b)",
        r"\beyes? (?:(?:are|r|is|still|stay|stays) )?(?:not|won t|wont|don t|dont|do not|never) (?:open|opening)\b(?! (?:wide|all the way|properly|well))",
        r"(?:can t|cant|cannot|can not|couldn t|couldnt|won t|wont) be (?:roused|woken|awoken|awakened|aroused|woke)\b",
        r"only (?:rousable|arousable|responsive|responds|reacts|wakes|waking) (?:up )?(?:to|with) (?:a |the )?(?:sternal rub|pain|shak\w*|pinch\w*)",
        # round fifteen (AK, AL, AM): asleep mid-sentence ("se quedo dormido en media frase"); the eyes opened and gone again
        # said short ("abre tantito los ojos y se vuelve a quedar"); Portuguese beside the English ("abre os olhos e dorme de
        # novo", "nao consegue ficar acordada", "nao esta acordando")
        r"(?:dormid[oa]|durmio|duerme|se (?:quedo|queda) dormid[oa]) (?:en|a) (?:media|mitad de (?:la|una)) (?:frase|oracion|palabra|conversacion|platica)\b",
        r"(?:ojos|ojitos|eyes?) (?:\w+ ){0,2}(?:y|and|pero) se (?:vuelve|volvio|vuelven) a quedar\b(?! (?:callad\w*|quiet\w*|viendo|mirando))",
        r"abre (?:os |o )?olhos? (?:\w+ )?e (?:\w+ )?(?:dorme|fecha|volta a dormir|apaga)\b",
        r"nao (?:consegue|conseguia|consigo) (?:ficar|se manter|manter) (?:\w+ )?acordad[oa]\b", r"nao (?:esta|ta|tava) acordando\b",
        # round fifteen (Z): not even water on the face opens the eyes ("ni echandole agua ... abre los ojos"); so asleep that
        # nothing moves ("tan dormida que ni se mueve")
        r"\bni (?:con |echandole |echando |aunque )(?:\w+ ){0,6}(?:abre|abrio) (?:los |sus )?ojos\b",
        r"(?:tan|so) (?:dormid[oa]|asleep|out) (?:que|that) (?:ni|no|she can t|he can t|she won t|he won t|she doesn t|he doesn t) "
        r"(?:se )?(?:mueve|movio|despierta|responde|reacciona|abre|move|wake|respond|react|open)\w*\b",
        r"(?:doesn t|doesnt|does not|didn t|didnt|did not) (?:wake|wake up|waking up)(?= (?:when|even|no matter|at all|for (?:me|us)|i|we|mi|yo|eyes|los ojos)\b|\s*$)",
        # round fifteen (Z-AB, AK-AN): shaken or called, then not waking, however the rest goes ("I shake him and shake him and he
        # dont wake up, only make a little noise", "I shake him, he is not wake up")
        r"(?:shake|shook|shaking|shakes|call|called|calling|calls|yell\w*|shout\w*|nudg\w*|sacud\w*) (?:\w+ ){0,6}(?:and |but |y |pero )?"
        r"(?:he|she|they|\w+) (?:doesn t|doesnt|does not|don t|dont|didn t|didnt|did not|is not|isn t|not|still not|won t|wont) "
        r"(?:wake|wake up|waking|waking up)\b",
    )),
    "confusion": ((
        rf"{_INTENSE} (?:confus\w*|confundid\w*|disoriented|desorientad\w*|out of it|ido|ida|perdid[oa])",
        r"(?:very|really|so|extremely|badly) (?:confused|disorient\w*)", r"confusion (?:grave|severa|extrema)",
        r"talking nonsense", r"gibberish", r"incoheren\w*", r"babbl\w*",
        # round sixteen: folks not in the room talked to; people in the room who are not there, talked to in Spanish; not knowing
        # the writer is who they are ("no sabe que soy yo", "no sabe que soy su mama")
        r"talk\w* to (?:folks|people|somebody|someone|persons|gente) (?:that|who) (?:aint|ain t|isn t|isnt|aren t|arent|are not|is not|"
        r"wasn t|weren t) (?:in the room|there|here|in here)",
        r"(?:dice que )?hay (?:gente|personas|alguien|unos senores|unas senoras) en (?:el|su|la) (?:cuarto|recamara|sala|cocina)(?: \w+){0,2} "
        r"(?:y )?(?:les|le) (?:habla|platica|contesta)",
        r"no sabe que (?:yo )?soy (?:yo|su (?:\w+ )?(?:hij[oa]|mama|papa|madre|padre|espos[oa]|herman[oa]|niet[oa]))",
        r"(?:thinks?|cree) (?:that |que )?(?:i m|i am|im|soy|you re|you are) (?:her|his|su) (?:\w+ )?(?:brother|sister|mother|"
        r"father|mom|mum|dad|husband|wife|son|daughter|hermano|hermana|mama|papa|madre|padre|esposo|esposa|hijo|hija)",
        rf"(?:confus\w*|confundid\w*|desorientad\w*|disoriented) (?:{_INTENSE}|por completo)\b",
        r"(?:no tiene|sin) sentido", r"disparates", r"slurr\w*",
        # (round sixteen: not the care team, nor "her" as whom the writer talks to: "we're talking to her doc monday", "I was
        # talking to her this morning and she sounded fine")
        r"talking (?:to|with) (?:people|someone|somebody|a person|the wall|the tv|a dead|dead)"
        r"(?! (?:that|who) (?:are|is|were|was) (?:really |actually )?(?:in the room|there|here|present|real)\b)",
        r"talking (?:to|with) (?:his|her|my)\b(?! (?:doc\w*|dr|drs|nurse\w*|neuro\w*|pcp|pharmacist|therapist|pt|aide|caregiver|case|"
        r"social|insurance|lawyer|boss|pastor|priest|counselor|specialist|provider|care|team|clinic|office|"
        r"this|that|today|tonight|now|earlier|yesterday|last|about|and|on|over|every|when|while|before|after|just|again|for|in|at|by|"
        r"or|but|y|pero|a|an|the|all|already|lately|recently|yet|so|too)\b)(?= \w)",
        r"(?:talking to|sees|seeing) (?:people|someone|somebody) (?:who|that)? ?(?:s |is |are )?(?:not|isn t|aren t) there",
        r"(?:habla|hablando|hablaba|platica|platicando) (?:sol[oa]\b|con (?:gente|alguien|personas|nadie) que no (?:esta|estan|existe\w*|hay)|"
        r"con (?:su|sus) (?:\w+ )?(?:difunt\w*|muert\w*|fallecid\w*))",
        r"(?:asking|asks|calling|calls|called) (?:for|me by) (?:his|her|my) (?:dead|late|deceased)",
        r"(?:who|that) (?:died|passed)(?: away)? (?:years|long|\d+)", r"que (?:se )?(?:murio|fallecio) hace",
        r"(?:talking|talks|talk|speaking|standing|sitting|sees?|seeing|saw) (?:\w+ ){0,6}(?:and|but) (?:he|she|they) "
        r"(?:died|passed(?: away)?) (?:in |years |\d)",
        r"(?:habla|hablando|hablaba|platica\w*|ve|viendo|vio) (?!de |del |sobre |acerca )(?:\w+ ){0,6}que (?:se )?(?:murio|fallecio) (?:en|hace)",
        r"thinks? it s (?:19|20)\d\d", r"thinks? (?:it is|the year is) (?:19|20)\d\d",
        r"(?:words|speech|sentences|talking|talk) (?:are |is |s |come out |coming out )?(?:all )?"
        r"(?:jumbled|scrambled|garbled|mixed up)", r"(?:jumbled|scrambled|garbled) (?:words|speech)",
        r"(?:habla|hablando) (?:enredado|revuelto|raro)", r"palabras (?:revueltas|enredadas)",
        r"(?:piensa|cree|dice) que (?:es|estamos en) (?:el )?(?:ano )?(?:19|20)\d\d", r"(?:confundid|desorientad)isim\w*",
        # round nine (K): the person's own words, lost: "no se que dia es ni donde estoy", "esta casa no es mi casa",
        # a son not known ("un senor que dice que es mi hijo"); a year long past said as now ("it's 1998 and i
        # gotta get to practice", "estamos en 1998")
        r"no se (?:ni )?(?:que dia es|en que dia estamos|que dia estamos)(?: hoy)?,? ni (?:en )?(?:donde|que \w+) estoy",
        r"(?:don t|dont|do not) know what day it is (?:or|nor|and|ni) where i am",
        r"esta casa no es mi casa", r"this (?:house|place) (?:is not|isn t|isnt|aint) my (?:house|home)",
        r"(?:un senor|una senora|un hombre|una mujer|un muchacho|a man|a woman|a guy|some (?:man|guy|woman|lady)) (?:\w+ ){0,3}"
        r"(?:que )?(?:dice|says|claims|saying) (?:que )?(?:es|he s|she s|he is|she is|to be) (?:mi|my) (?:hijo|hija|esposo|esposa|"
        r"marido|son|daughter|husband|wife)\b",
        r"no (?:reconozco|reconoci) a (?:mi|mis)\b", r"(?:^|(?:i m|im|i am|saying|says|said|not|no) )(?:it s|it is) (?:19\d\d|20[01]\d)\b(?! (?:all over|again))",
        r"estamos en (?:el )?(?:ano )?(?:19\d\d|20[01]\d)\b",
        # round nine (K): mixed languages, the English around them plain (German, Tagalog)
        r"(?:wei|weiss) (?:nicht|nich) (?:mehr )?wo (?:er|sie|ich) (?:ist|bin)\b",
        # round nine (K): after a seizure, absent: "ya paro pero esta como ida, no me mira", "like she's gone, not looking at me"
        r"como (?:ida|ido),? (?:y )?no (?:me|nos) (?:mira|ve|voltea)\b",
        r"(?:like|kind of|sort of) (?:she s|he s|she is|he is)? ?(?:gone|absent|not there),? (?:and )?(?:not|won t|wont|doesn t|doesnt|isn t) "
        r"(?:looking|look) at (?:me|us)",
        # round thirteen: clinical shorthand ("disoriented to time/place", "desorientado en tiempo y espacio", "responding to
        # internal stimuli"); the dead talked with in any register ("conversando con mi mama y mi mama murio hace 3 anos",
        # "chatting with her sister but she passed"), never talked about ("about", "sobre", "de")
        r"disoriented (?:to|x) ?(?:time|place|person|situation|self|date|year|\d)", r"desorientad\w* (?:en|a) (?:tiempo|espacio|lugar|persona)",
        r"(?:respond\w*|react\w*|responde|reacciona\w*) (?:to |a )?(?:internal stimuli|estimulos internos|voices|voces)\b",
        r"(?:conversando|conversa|conversaba|platicando|platica|platicaba|hablando|habla|hablaba|talking|talks|talked|chatting|chats|"
        r"speaking|speaks) (?:con|with|to) (?:(?!about |sobre |acerca |de |of )\w+ ){1,6}(?:ya )?(?:se )?(?:murio|fallecio|died|passed away|"
        r"passed|is dead|esta muert[oa])\b",
        # round seventeen: their own kin addressed as a stranger ("a mí me dijo señor, a su propio hijo", "called me sir, his own son")
        r"(?:me|le|nos) (?:dijo|dice|llamo|llama|trato|trata|hablo) (?:de )?(?:senor|senora|senorita|usted|don|dona)\b(?: \w+){0,6}? (?:a su|siendo su|"
        r"y soy su|su) propi[oa]\b",
        r"(?:called|calls|calling|addressed) (?:me|him|her|us) (?:sir|ma am|maam|mister|miss|lady|young man|young lady)\b(?: \w+){0,6}? "
        r"(?:his|her|their) own\b",
    ), (
        # (round eleven, P: not the writer's own "I dont know her daughter", said of someone else's family)
        r"(?:(?<!\bi )(?<!\bwe )|(?!(?:don t|dont|do not|didn t|didnt|can t|cant) (?:know|recogni[sz]e|remember) (?:her|his|their)\b))"
        r"(?:doesn t|doesnt|does not|don t|dont|didn t|didnt|do not|can t|cant) (?:know|recogni[sz]e|remember) "
        r"(?:where|who|me\b|us\b|what year|the year|what day|his own|her own|my name|her name|his name|anybody|"
        r"anyone|any of us|nobody|no one|noone|nadie|where (?:he|she) is|(?:his|her|my|their|the|own) (?:own )?(?:family|house|home|room|"
        r"wife|husband|son|daughter|kids|children|grandkids|sister|brother|mom|dad|caregiver|nurse|place))",
        r"(?<!know )where am i$", r"(?<!\bse )(?<!\bbien )(?<!sabe )(?<!know )(?:donde|en donde) estoy$",
        # round eight (I): a patient not knowing whose house they are in: "ni en que casa estoy", "what house I'm in"
        r"(?:no se|ni) (?:en )?(?:que|cual|de quien) (?:casa|lugar|sitio) (?:estoy|es esta)",
        r"(?:don t|dont|do not) (?:know|recogni[sz]e) (?:what|which|whose) (?:house|place|room) (?:i m|im|i am|this is)",
        # round seven (J): not knowing the day or the month, asking where they are at home, a dead relative seen
        r"(?:doesn t|doesnt|does not|don t|dont|didn t|didnt) know (?:what|which) (?:month|day|date|season)",
        r"(?:doesn t|doesnt|does not|don t|dont|didn t|didnt) know (?:it s|its|it is|today is) (?:monday|tuesday|wednesday|thursday|"
        r"friday|saturday|sunday|\w+day)", r"no sabe (?:ni )?(?:en )?(?:que|el) (?:mes|dia|fecha)",
        r"(?:keeps?|kept|keep) asking (?:me )?(?:where (?:she|he|they|we) (?:is|are)|what (?:day|year|month) it is|who (?:i|we) (?:am|are))",
        r"(?:pregunta|preguntando|preguntaba) (?:\w+ )?(?:donde estamos|que dia es|en que ano|quien soy)", r"(?:i )?(?:don t|dont|do not) (?:know|recogni[sz]e) (?:this|the) (?:room|place|house)",
        r"^what year is it$", r"who is (?:texting|writing) me",
        
        r"not making (?:any )?sense", r"(?:words|talk\w*|speech|sentences|what (?:he|she) says) (?:don t|dont|doesn t|doesnt|do not|"
        r"does not|aren t|isn t) make (?:any )?sense", r"word salad",
        # round fifteen (AL): words said all wrong ("saying words all wrong", "her words are all mixed up")
        r"(?:saying|says|said|using|uses|speaking|talking with) (?:his |her |their |the |my )?words (?:all |so |really )?(?:wrong|mixed up|jumbled)\b",
        r"(?:his|her|their) words (?:are |were |s |come out |came out )?(?:all |so |really )?(?:wrong|mixed up|jumbled)\b", r"jumbled (?:up )?(?:words|speech)",
        r"(?:can t|cant|cannot|couldn t|unable to) (?:talk|speak|get (?:her |his |my |the )?words out)"
        r"(?: (?:straight|right|properly|clearly))?\b(?! (?:to|with|now|on))", r"no (?:puede|puedo) hablar (?:bien|claro)",
        r"no se (?:le )?entiende (?:nada|lo que dice)", r"(?:makes?|making|made) no sense", r"no sabe (?:ni )?(?:quien|que ano|que dia|donde|en que|what year|what day|where|who)",
        r"no (?:sabe|recuerda) (?:ni )?(?:su (?:propio )?nombre|quien es|como (?:se|me) (?:llama|llamo|yama|yamo))",
        r"(?:can t|cant|couldn t|couldnt|cannot) tell (?:me|us) (?:his|her) (?:own )?name",
        r"(?:can t|cant|couldn t|couldnt|cannot) tell (?:me|us) where (?:we|he|she|they) (?:are|is)",
        # forgetting who people are, or where they are: "he forgot who I am", "se le olvida quien soy"
        r"(?:forgot|forgets|forgetting|forgotten|olvid\w*) (?:who (?:i|we|she|he|you) (?:am|are|is)|where (?:she|he|i) (?:is|am|lives?)|"
        r"(?:her|his|my) (?:own )?name|quien (?:soy|es|somos)|donde (?:esta|vive|estoy)|(?:su|mi) nombre|como se llama)",
        r"(?:can t|cant|couldn t|cannot) understand (?:a word|anything|what (?:he|she) (?:s |is )?say\w*)",
        r"no (?:le )?entiendo (?:nada|lo que dice)",
        r"(?:no|ni) (?:me |nos |la |lo |los )?reconoce", r"no (?:reconocio|reconocia|reconoce) a (?:su|mi|sus|mis|nadie)\b",
        r"jibber\w*", r"giberish", r"thinks? (?:he s|she s|hes|shes|he is|she is|it s) (?:\w+ ){0,5}\d+ years ago",
        # round six (H): a relative not recognised, a year long past, someone in an empty chair
        r"(?:didn t|didnt|did not|doesn t|doesnt|does not|won t|can t|cant|couldn t) recogni[sz]e (?:her|him|them|me|us|my|his|our)\b",
        r"(?:thinks?|telling|tells|told|says|said|saying|insists?\w*) (?:\w+ ){0,2}(?:it s|it is|the year is) (?:19\d\d|20[01]\d)\b",
        r"(?:talk\w*|chat\w*|speak\w*) (?:\w+ ){0,2}(?:to|with) (?:someone|somebody|people|a person|\w+) (?:in|on|at) (?:the|an|that) empty",
        r"(?:habla|hablando|hablaba|platica\w*) (?:\w+ ){0,4}(?:silla|sillon|cama|cuarto) vaci[oa]",
r"no recuerda (?:quien|mi nombre|su nombre|donde)",
        # round ten (M, N): a home not known as theirs ("this isn't my room", "esta casa no es la mia"), asking to be
        # taken home while at home; someone known taken for a stranger or another relative ("dice que soy un extrano",
        # "a lady says she's my wife", "keeps calling me by her brother's name"); the year or the place lost
        # ("can't tell me what year it is", "idk where i am", "no se donde estoy"); a mother "who's been gone 30 years"
        r"(?:this|esta|este) (?:(?:house|place|room|home|casa|cuarto|habitacion|lugar) )?(?:is not|isn t|isnt|aint|ain t|no es) "
        r"(?:(?:my|mi) (?:own )?(?:house|place|room|home|casa|cuarto|habitacion|cama)|mine|la mia|el mio)\b",
        r"(?:go|going|take (?:her|him|me)|ir|irse|irme|llev\w*|saque\w*|sacar\w*) (?:\w+ ){0,3}(?:home|casa)\b(?: \w+){0,8} "
        r"(?:(?:she|he|i|we) (?:is|s|are|am|m|re) (?:already |right )?(?:home|in (?:her|his|my|our) (?:own )?(?:house|home))|"
        r"(?:es|esta en) (?:su|mi) (?:propia )?casa)\b",
        r"(?:dice|cree|piensa|says|thinks|said|insists) (?:que )?(?:yo soy|soy|somos|i m|im|i am|we re|we are) (?:un |una |a |unos )?"
        r"(?:extran[oa]s?|desconocid[oa]s?|strangers?)\b",
        r"(?:lady|woman|man|guy|senora|senor|mujer|hombre) (?:\w+ ){0,3}(?:says|said|claims|dice) (?:que )?(?:she s|he s|she is|he is|es) "
        r"(?:mi|my) (?:wife|husband|son|daughter|esposa|esposo|marido|hijo|hija)\b(?! s\b)",
        r"(?:call\w*|keeps calling) (?:me|us) (?:by )?(?:his|her|their) (?:\w+ )?(?:brother|sister|mother|father|mom|mum|dad|husband|"
        r"wife|son|daughter)(?: s)? name",
        r"(?:me|nos) (?:llama\w*|confunde\w*) (?:por el nombre de|con|como) (?:su|sus) (?:\w+ )?(?:hermano|hermana|mama|papa|madre|padre|"
        r"esposo|esposa|hijo|hija|marido)\b",
        r"(?:can t|cant|cannot|couldn t|couldnt) tell (?:me|us) (?:what (?:year|day|month) it is|the (?:year|date|day|month)\b|"
        r"who (?:i|we) (?:am|are))",
        r"no (?:me |nos )?(?:sabe|supo|pudo|puede) decir(?:me|nos)? (?:ni )?(?:en )?(?:que (?:ano|dia|mes)|quien soy|donde (?:esta|estamos))",
        r"(?:who s|whos|who has|who is) (?:been )?(?:gone|dead|passed) (?:for )?(?:\d+|many|years|decades|a long time)",
        r"(?:what|which|que) (?:year|ano) (?:\w+ ){0,3}(?:say|says|said|dice|dijo|thinks?) (?:it s |it is |es |el |que )?(?:19\d\d|20[01]\d)\b",
        r"(?:idk|dunno|no idea|no se|no tengo idea de) (?:ni )?(?:en )?(?:where i am|donde estoy)\b(?! (?:going|gonna|supposed|putting|parad\w*))",
        # round ten (M): telegraphic English, "GRANDMA CONFUSE. ASK ME WHO YOU. NOT KNOW HOUSE HER OWN."
        r"(?<!do )(?<!does )(?<!did )\bnot know (?:(?:the |her |his |my )?(?:house|home)\b|who (?:i|you|we)\b|me\b|us\b)",
        r"(?:ask|asks|asking|asked) (?:me|us) who (?:you$|(?:i|we) (?:am|are|m)\b)",
        # round fifteen (Z-AB, AK-AN): asked who we are in Spanish ("me pregunto quien soy", "nos pregunta quienes somos"); an
        # ESL "he say who are you" to the writer
        r"(?:me|nos) (?:pregunta|pregunto|preguntaba|preguntan|estaba preguntando|esta preguntando) (?:que )?(?:quien soy|quienes somos)\b(?! (?:yo )?para)",
        r"(?:pregunta|preguntaba|preguntando) (?:que )?quienes somos\b",
        r"(?:say|says|said|ask|asks|asked) (?:me )?(?:who are you|who r u|who you are)\b(?! (?:texting|calling|talking|going|gonna|to|with))",
        # a nurse's shorthand: "not oriented to person, place or time", "A&O x1", "disoriented x3"
        r"(?:not|isn t|no (?:esta )?|poorly) orient\w*", r"disoriented x ?[1-4]", r"\ba ?o ?x ?[0-2]\b",
        # round eleven (L, P): words that make no sense said in the plural ("dice cosas que no tienen sentido", "no se le
        # entiende na"); a house not known ("no conozco esta casa", "doesn't know her own house"); the day lost
        # ("no se que dia es", "no sabe ni que dia es hoy") when nothing names an appointment
        r"(?:no tienen|no tenian|sin ningun) sentido", r"no se (?:le |les )?entiende (?:na|ni (?:papa|jota|una palabra|nada))\b",
        r"no (?:conozco|conoce|reconozco|reconoce|conocia|reconocia) (?:esta|este|su|mi|la|el) (?:propia |propio )?(?:casa|cuarto|lugar|"
        r"recamara|habitacion|hogar)\b",
        r"(?:doesn t|doesnt|does not|don t|dont|didn t|didnt) (?:know|recogni[sz]e) (?:this|the|her own|his own|my own|their own) (?:house|"
        r"home|room|place|bedroom)\b",
        r"no (?:se|sabe|sabia|sabe ni|se ni) (?:en )?(?:que|cual) (?:dia|ano|mes|fecha) (?:es|estamos|era)\b(?: hoy)?(?! (?:mi|la|el|su|tu|"
        r"de|que|para|con)\b)",
        # round twelve: not knowing they are at home ("doesn't know she's in her own house", "no sabe que esta en su casa");
        # someone long dead asked for, by the year ("asking for Lola who passed in '98", "su mama que ya murio"); family not
        # known, said bare ("does not recognize wife", "ya no conoce a nosotros", "no conoce a nadie"); the writer taken for
        # a sibling or parent ("dice que yo soy su hermano", "says I'm her mother"); speech called incoherent after a list
        r"(?:doesn t|doesnt|does not|don t|dont|didn t|didnt) (?:know|realize|realise|recogni[sz]e) (?:that )?(?:she s|he s|she is|he is|"
        r"i m|im|i am|they re|we re|we are) (?:in|at) (?:her|his|my|their|our) (?:own )?(?:house|home|room|bed|place)\b",
        r"no (?:sabe|se da cuenta de) que (?:esta|estamos|estoy) en (?:su|mi|nuestra) (?:propia )?(?:casa|cuarto|cama)\b",
        r"(?:habla|hablando|hablaba|platica\w*|llama|llamando|pregunta\w*|asking for|asks for|talking to|talks to) (?:(?!about |sobre |acerca )\w+ ){0,3}"
        r"(?:que ya (?:se )?(?:murio|fallecio)|who (?:already )?(?:died|passed(?: away)?|is dead|s dead))\b",
        r"(?:didn t|didnt|did not|doesn t|doesnt|does not|won t|can t|cant|couldn t) recogni[sz]e (?:wife|husband|son|daughter|mother|"
        r"father|mom|mum|dad|family|kids|children|grandkids|sister|brother|spouse|staff)\b",
        r"(?:no|ni) (?:me |nos |la |lo |los )?(?:conoce|conocio|conocia) a (?:nosotr\w*|nadie|su familia|sus hij\w*|sus niet\w*)\b",
        r"(?:dice|cree|piensa|says|thinks|insists) (?:that |que )?(?:yo )?(?:soy|i m|im|i am) (?:su|her|his) (?:\w+ )?(?:hermano|hermana|"
        r"mama|papa|madre|padre|esposo|esposa|marido|brother|sister|mother|father|mom|mum|dad|husband|wife)\b",
        r"(?:speech|talk\w*|words|habla|lenguaje) (?:is |are |was |s |very |totally |muy |)?incoheren\w*",
        # round thirteen: the orientation lost as people write it: progressive ESL "is not knowing me", "asking who am I"
        # (the question inverted), "he say it is 1970" (base verb), "states it is 1987"; not knowing him "either"
        # ("tampoco lo reconoce"), "a mi no me conoce" said bare
        r"(?:is |s |are |was )?not knowing (?:me|us|anyone|anybody|anything|who|where|his|her|their|nobody)\b",
        r"(?:ask|asks|asking|asked) (?:me |us |them |the nurse |staff )?(?:who (?:am i|are we|i am|we are|is she|is he)|quien (?:soy|es ella|es el|somos))\b",
        r"(?:say|says|said|saying|state|states|stated|stating|dice|dijo|insiste en) (?:that |que )?(?:it s|it is|its|the year is|es|estamos en) "
        r"(?:el )?(?:ano )?(?:19\d\d|20[01]\d)\b",
        r"(?:tampoco|ya no|ni) (?:me |nos |la |lo |los |le )?(?:reconoce|reconocio|reconocia|conoce|conocio|conocia)\b",
        r"(?:a mi|a nosotros|a el|a ella) no (?:me |nos |lo |la |le )?(?:reconoce|reconocio|conoce|conocio|conocia)\b",
        # round fourteen (tuning13-20): someone absent talked to as if there ("talking to Earl like he's in the kitchen", "habla
        # con mi abuelo como si estuviera aqui"), or a late relative talked to ("speaking to her late mother"); asked "who i
        # was", or twice; "tampoco sabe en que ano estamos"; "does not appear to recognize me"; the day lost and the place
        # ("idk what day it is ni donde ando"); "no atina ni (d)onde esta"
        r"(?:talk|speak|chat|convers|platic|habl)\w* (?:to|with|con) (?!me\b|us\b|nosotros\b)(?:(?!not\b|no\b|about\b|de\b)\w+ ){1,4}"
        r"(?:like|as if|as though|como si) (?:(?!not\b|no\b)\w+ ){0,3}(?:in the (?:room|kitchen|house|chair|living room)|right (?:here|there)|"
        r"here|there|sitting (?:there|here|with|across|at|in)|seated|at the table|estuviera (?:aqui|ahi|alli|presente|viv[oa]|sentad[oa])|"
        r"estuviese (?:aqui|ahi|alli|presente))\b",
        r"(?:talk|speak|chat|convers|platic|habl)\w* (?:to|with|con) (?:his|her|their|su|sus) (?:late|difunt[oa]s?|fallecid[oa]s?|dead|deceased) "
        r"\w+\b(?! s\b)",
        r"(?:ask|asks|asking|asked) (?:me |us )?(?:twice |again |\w+ times |repeatedly )?who (?:i|we) (?:was|were|am|are)\b",
        r"tampoco (?:sabe|sabia|se|supo) (?:ni )?(?:en )?(?:que|cual|donde|quien)\b",
        r"(?:doesn t|doesnt|does not|didn t|didnt|did not) (?:appear|seem) to (?:know|recogni[sz]e) (?:me|us|anyone|anybody|her|him|where|who)\b",
        r"(?:(?:don t|dont|do not) know|idk|dunno) what day it is (?:or|nor|and|ni) (?:where i am|(?:en )?donde (?:estoy|ando))\b",
        # round sixteen: the day and the place lost, misspelt or in two languages ("dont know wat day or were i am", "no sé what day
        # it is ni dónde estoy"); no clue where she is, said of herself ("Nana has no clue where she is")
        r"(?:(?:don t|dont|do not|doesn t|doesnt|does not) know|idk|dunno|no se|no sabe) (?:wat|what|which|que) day(?: it is| es| is it)? "
        r"(?:or|nor|and|ni|y|o) (?:were|where|wher|donde|dnd) (?:i am|i m|im|estoy|ando|she is|he is|she s|he s|esta|anda)\b",
        r"(?:she|[a-z]+) (?:has|had) no (?:clue|idea) where she (?:is|s|was)\b(?! (?:going|headed|at))",
        r"(?:he|[a-z]+) (?:has|had) no (?:clue|idea) where he (?:is|s|was)\b(?! (?:going|headed|at))",
        r"no (?:atina|atino|atinaba) (?:ni )?(?:a )?(?:en )?(?:donde|quien|que dia|que ano)\b",
    )),
}

# Said before a sign in the same clause: it did not happen (a denial). Broader than NegEx's "no X"
# because people celebrate ("40 days seizure free", "ninguna convulsion") and recall ("last seizure
# was 2019").
_DENIAL_BEFORE = re.compile(
    r"(?:^|\s)(?:no|not|never|without|didn t|didnt|did not|hasn t|hasnt|has not|haven t|havent|have not|isn t|isnt|"
    r"is not|wasn t|wasnt|was not|aren t|arent|don t|dont|doesn t|doesnt|no more|none|nunca|sin|ni|ningun\w*|tampoco|nope|"
    r"nada de|na de|walang|ain t|aint|wala nang|wala ng|(?:nunca|jamas) (?:(?:me|le|se|lo|la|te) )?(?:he|ha|han|hemos|habia)|any|zero|cero|free of|para nada|no hubo|no ha (?:tenido|habido)|no he tenido|ya no|"
    # round twelve: a Spanish progressive or a return denied: "no esta convulsionando", "no ha vuelto a tener convulsiones"
    r"no (?:esta|estaba|estan|estoy|estuvo)|no (?:(?:le|me|se) )?(?:ha|han|he|hemos) vuelto a|"
    r"hasn t had (?:a|any|another)|has not had (?:a|any|another)|"
    # a clinician's shorthand and a count of none: "client denies dizziness, drowsiness ...", "not a single"
    r"denies|denied|deny|negative (?:for|on)|not a single|not one|ni (?:un|una)(?: solo| sola)?|"
    # round sixteen: the Spanish clinician's "niega convulsiones, mareo o somnolencia"
    r"niega|niegan|nego|negativo (?:para|a)|"
    # round nine (K): "false alarm on the seizure thing", "falsa alarma con lo de la convulsion"
    r"false alarm|falsa alarma(?: con| sobre| de)?(?: lo de| eso de)?)"
    # a subject or a verb of its own ends the denial: "no me puedo levantar, me estoy quedando dormida"
    r"(?:\s+(?!(?:i|he|she|we|they|you|it|ella|el|yo|but|pero|y|and|is|am|are|was|were|puedo|puede|estoy|esta|"
    # "not well, my breathing is slow": a state said unwell ends the denial
    r"estaba|well|bien|fine|good|great|ok|okay|normal|right)\b)\S+){0,3}\s*$")
# Round seventeen: "no he convulsionado ni nada": the Spanish perfect after "no"/"ni", denied only with a closer (a bare "No, he
# convulsionado" may be a "no" answered, then the report). The lead, from BA-BH: any person of "haber" ("ya no me han dado
# las convulsiones"), a verb of having or feeling between it and the sign ("no he vuelto a tener los brincos", "ni me he
# sentido confundida"), and no closer needed where the "no" cannot be an answer: "ya no", "ni", "nunca", or words before it.
_NO_HE_DONE = re.compile(r"(?:^|\s)(?P<neg>(?:ya|todavia|aun) no|no|ni|nunca|jamas) (?:(?:me|le|se|te|nos|les) )?"
                         r"(?:he|has|ha|hemos|han)(?P<bridge> (?:vuelto a (?:tener|sentir)|sentido|tenido|dado|notado|presentado)"
                         r"(?: (?:los|las|el|la|un|una|unos|unas|mas))?)?\s*$")
_PARTICIPLE_END = re.compile(r"(?:ado|ido)s?$")
_DENIAL_CLOSER = re.compile(r"\b(?:ni nada|para nada|ni una (?:sola )?vez|en todo el dia|gracias a dios)\b")
_DENIAL_AFTER = re.compile(r"^\w*\s*(?:free|-free|gone|went away|se fue|ya no|stopped|is gone|are gone|were gone"
                           # round fifteen (AA): a note's field said none ("Seizure activity: none observed", "seizures: none")
                           r"|(?:activity |episodes? |events? )?(?:none|nil|negative|absent)(?! of)"
                           # round sixteen (the lead, AU): "that staring off thing did not happen again today"
                           r"|(?:\w+ )?(?:did not|didn t|didnt|has not|hasn t|hasnt|have not|haven t|havent|never) (?:happen\w*|come back|came back|returned|recurred) again"
                           r"|s gone)\b")
# Round seventeen (the lead, from BB): "seizure stopped maybe a minute ago" is a seizure that just ended, which the brief counts;
# "stopped" denies only a sign stopped long since ("seizures stopped since the pump", "stopped a few months ago").
_JUST_ENDED = re.compile(r"^\W*(?:just )?(?:stopped|ended|finished)(?: (?:maybe|like|about|around|only|just))* (?:(?:a|one|two|three|four|"
                         r"five|\d+|a few|a couple(?: of)?|couple(?: of)?) )?(?:min|mins|minutes?|secs?|seconds?|moments?)(?: ago)?\b")
# Doubt is not denial: the sign is reported, but not as a certain emergency.
_DOUBT = re.compile(r"\b(?:not sure|unsure|(?:can t|cant|cannot|couldn t|couldnt) (?:really |honestly )?say (?:if|whether)|maybe|might (?:have|be)|could (?:have been|be)|or just|or maybe|"
                    r"no se si|no estoy segur\w*|tal vez|quizas?|a lo mejor|puede (?:que|ser)|or was it|"
                    r"i don t know if|(?:don t|dont|do not|doesn t|doesnt|does not) know (?:if|whether)|idk if|dunno if|not certain|"
                    r"(?:isn t|isnt|wasn t|wasnt|aren t|arent|weren t|werent|is not|was not) (?:\w+ )?sure|no (?:esta|estaba|estan) segur\w*|small seizure|mini seizure|something like|algo como|"
                    r"some kind of|una especie de|ataquito)\b")
# Round twelve: a sign asked about as what something was ("was that a seizure?", "eso fue convulsion?", "could it be a
# seizure?"): the writer saw something and doubts the name; doubt, not a certain sign, and not nothing.
_ASKED_WHETHER = re.compile(r"\b(?:i think (?:i|he|she|they|it|that|we) (?:had|has|was|have|is|just had)|creo que (?:tuve|tuvo|fue|era|le dio|me dio)|is (?:that|it|this) (?:a|an)|could (?:that|it|this) (?:have been|be)|"
                            r"(?:eso|esto) (?:fue|era|es|sera|seria)|(?:fue|era|sera|seria|habra sido) (?:eso|esto)|"
                            r"(?:sera|seria|habra sido) (?:una?|un)?)\b")
# Round twelve: a sign echoed in a question ("what seizure?", "which tremors?", "como que convulsiones?"): news to the writer.
# Round thirteen: a question that opens by repeating what the writer was told ("¿Cómo que no respira bien?", "what do you mean
# she can't breathe??", "que quiere decir que no despierta?"): the alert echoed by someone who has not seen it, not a report.
_ECHO_OPENING = re.compile(r"^(?:como que|what do you mean|what do u mean|wdym|what you mean|que quiere decir|que significa|"
                           r"what does (?:that|it) mean|como (?:es|era) eso de que|how do you mean)\b")
_ECHO_BEFORE = re.compile(r"(?:^|\s)(?:what|which|que|cual|como que|what kind of|que tipo de)\s+(?:a |an |un |una )?$")
# Doubt about how many ("took two, I think maybe three") is not doubt about the sign.
_COUNT_DOUBT = re.compile(r"\b(?:maybe|or|might be|about|around|like|quizas?|tal vez|o) (?:\d+x?|one|two|three|four|five|six|"
                          r"dos|tres|cuatro|cinco|seis|(?:a |an |un |una )?(?:min|minute|sec|second|minuto|segundo)s?)\b")
# A sign in a conditional or a question about signs reports nothing.
# Round eighteen: "idk if it's normal", "dunno if", "no idea if", "not certain if" and "no sé si es normal" doubt, as "not sure
# if" does; they suppose nothing (a supposition drops every sign of its clause, doubt only what it doubts).
_HYPOTHETICAL = re.compile(r"\b(?:(?:purely |just |only )?(?:as a |a )hypothetical\b|hypothetically|hipoteticamente|(?:como |en )?(?:un )?caso hipotetico|were (?:i|he|she|they|we|my \w+) to|should (?:i|he|she|they) ever (?:have|get|suffer)|supongamos que|suponiendo que|pongamos que|(?<!sure )(?<!know )(?<!wonder )(?<!see )(?<!remember )(?<!recall )(?<!tell )(?<!check )(?<!ask )(?<!asked )(?<!knew )(?<!idk )(?<!dunno )(?<!idea )(?<!certain )if (?:he|she|i|they|my \w+|mom|dad|it|\w+) (?:has|have|gets|get|starts|ever|had|were|goes|can t|cant|stops|misses|vomits|throws|ever|s|is|feels|seems|becomes|start|begin|begins|keep|keeps|notice|notices|feel)|what if|in case|si (?:le |me |te |les |nos )?(?:llega|llegan|llegara|llegaran|llegase) a|should (?:he|she|i) ever|if (?:one day|someday|some day|ever)|si (?:algun|un) dia|si alguna vez|if (?:i|he|she|they|we|my \w+|mom|dad) (?:ever )?(?:miss|misses|skip|skips|forget|forgets) (?:a|one|his|her|my|the|it)\b|si (?:(?:le|me|te|se) )?(?:vuelve|vuelven|volviera|volvieran) a|if (?:it|this|that) (?:ever )?happens? again|si (?:empiezo|empieza|empiezan|comienzo|comienza|comienzan|llego|llega) a (?:sentir|tener|temblar|notar)|si (?:tiene|le da|me da|le dan|me dan|te dan|le dieran|me dieran|tuviera|le diera|"
                           r"llega a|se (?:le |me )?(?:ponen?|pusieran?|vuelven?|empiezan?) )|en caso de|signs of|sintomas de|what are the|cuales son|what happens if|"
                           r"que pasa si|que hago si|what do i do if|how do i know if|how would i know|"
                           # the sign as the topic of a question, or a question whether it is expected
                           # (round fifteen: "pregunta por la casa", asking for a place or a person, is no topic)
                           r"(?:asking|ask|asks|asked|questions?|preguntando|preguntan|pregunta\w*) (?:me |us )?"
                           r"(?:about|sobre|acerca de|por (?:las|los|el|la)(?! (?:casa|rancho|pueblo|mama|papa|mami|papi|esposo|esposa|"
                           r"hermana|hermano|abuela|abuelo|perro|gato|nina|nino|tia|tio)\b))|"
                           r"(?:is|s) (?:it|that|this) (?:normal|bad|dangerous|serious|expected)|(?<!no )(?<!no se si )(?<!no sabemos si )es (?:normal|malo|peligroso|grave)|"
                           r"side effects?|efectos? secundarios?|"
                           # round twelve: a sign as what someone said or warned of ("the nurse said something about drowsy"),
                           # or what the writer is going to look at ("I'll be there by 2 to check on the tremors")
                           r"(?:said|says|mentioned|told (?:me|us|him|her)|warned (?:me|us|him|her)?) (?:something|things|stuff) (?:about|of)|"
                           r"warned (?:me |us |him |her )?(?:about|of)|me (?:dijo|dijeron|advirtio|advirtieron) (?:algo )?(?:de|sobre)|"
                           r"to (?:check|look) (?:on|at|in on) (?:the|those|these|that|her|his)(?! (?:breathing|breath|pulse))|"
                           # round fifteen: a sign feared to come ("tengo miedo de que le den convulsiones", "afraid she'll stop
                           # breathing", "worried he might have a seizure"); a present worry ("worried she's not breathing
                           # right") is no supposition
                           r"(?:miedo|preocupa\w*|temo|me asusta) (?:de )?que (?:le |me |se |te |lo |la )?(?:den|de|tenga|tengan|vuelva|"
                           r"vuelvan|ponga|pongan|pase|empiece|empiecen|deje|dejen|quede|pueda|agarre|agarren)|"
                           r"(?:afraid|worried|scared|terrified|nervous) (?:that )?(?:i|he|she|they|mom|dad|my \w+) (?:ll|will|might|may|could|would)\b)\b")
# Up to four words, none saying it is happening ("worried, he s having a seizure" is a report).
_NOT_NOW = r"(?:\s+(?!(?:s|is|are|has|had|just|now|ahora|esta|tiene|tuvo|having|right)\b)\S+){0,4}\s*$"
# Said just before a sign: it is feared, asked about or treated, not happening ("worried about
# seizures", "me da miedo tener una convulsion", "meds for seizures", and in a question "will I get a
# seizure?", "could this cause trouble breathing?"). Read for the signs that can be denied.
_FEARED_BEFORE = re.compile(r"\b(?:worried|worry|worries|afraid|scared|fear\w*|nervous|concerned|preocupa\w*|miedo|"
                            r"(?:911|meds|medicine|medication|pills|medicina|pastillas) (?:for|para))\b"
                            rf"{_NOT_NOW}")
# Said just before a sign: it is what someone does not want to happen ("don't want him having them
# fits again", "no quiero que le vuelvan las convulsiones"), not a sign now.
# Round sixteen: a sign someone was told to watch for, or is watching for ("doc told me to watch for trouble breathing. None of
# that.", "keeping an eye out for seizures", "me dijo que estuviera pendiente de convulsiones"): a warning, not a report.
_WATCHED_FOR_BEFORE = re.compile(r"\b(?:(?:watch|watching|watched|look|looking|keep an eye|keeping an eye|kept an eye|be on the lookout|"
                                 r"on the lookout)(?: out)? for|(?:pendientes?|atent[oa]s?) (?:a|de)(?: (?:que|si))?|"
                                 r"(?:que )?(?:vigilara|vigilaramos|vigile|vigilemos|me fijara|nos fijaramos|checara) (?:si|que|por)?)"
                                 rf"{_NOT_NOW}")
_UNWANTED_BEFORE = re.compile(r"\b(?:(?:don t|dont|do not|doesn t|doesnt) want|no (?:quiero|queremos|quiere) que)"
                              r"(?:\s+(?!(?:but|pero|s|is|are|now|right|ahora|esta)\b)\S+){0,4}\s*$")
_ASKED_BEFORE = re.compile(r"\b(?:will|would|could|can|might|may|does|do|did|cause\w*|give|gives|get|gets|lead to|"
                           rf"trigger\w*|provoca\w*|causa\w*|da|dar)\b{_NOT_NOW}")
# A sign given as what the medicine does to someone ("it makes him too groggy", "me da mucho sueno"):
# a reason or a side effect, not a report of the state now.
# ... and the text itself as what confused them ("your question just confused me").
_ATTRIBUTED = re.compile(r"\b(?:question|text|message|pregunta|mensaje)s? (?:\w+ ){0,2}(?:confus\w*|confundi\w*) (?:me|us)\b|"
                         r"\b(?:makes?|made|making|mek|me (?:da|de|dio|hace|hizo)|le (?:da|de|dio|hace|hizo)) "
                         r"(?:(?:him|her|me|them|us|you) )?(?:feel )?(?:\w+ ){0,2}"
                         r"(?:drowsy|sleepy|groggy|tired|dopey|sueno|somnolient\w*|confus\w*|confundid\w*|mareo|dizzy|foggy|fuzzy|"
                         r"spacey|spacy|loopy|zombie|out of it|atontad\w*|aguevad\w*|mareado\w*)\b|"
                         # round seventeen: the writer's own muddle over the instructions ("I get confused with the new schedule"),
                         r"\b(?:i|we)\b(?: \w+){0,3} (?:confused|mixed up|muddled) (?:with|by|about|over|on) (?:(?:the|this|these|those|that|"
                         r"my|our|all|his|her) )*(?:new |old |different |dose |pill |med |meds |medication |baclofen )?(?:schedules?|times?|timing|"
                         r"instructions?|directions?|labels?|app|texts?|messages?|questions?|numbers?|options?|menu|dosing|doses?|reminders?|"
                         r"bottles?|which one|when to|how (?:much|many)|what time)\b|"
                         # ... the writer's own worry called paranoid ("I know that sounds paranoid", "now im paranoid lol", "sé que
                         # sueno paranoica"); not the patient's ("he sounds paranoid, says the neighbors are watching")
                         r"\b(?:i|i know i|we)\b (?:\w+ )?(?:sound|seem|am being|m being) (?:\w+ )?paranoid\b|\b(?:that|it|this) (?:sounds|seems) "
                         r"(?:\w+ )?paranoid\b|\b(?:i m|im|i am) (?:\w+ )?paranoid (?:lol|haha|lmao|jk)\b|\b(?:sueno|parezco) (?:\w+ )?paranoic[oa]\b|"
                         # ... and a sign's word named as the button or option pressed ("he hit tremors by mistake", "le picó a
                         # convulsión sin querer")
                         r"\b(?:hit|pressed|press|tapped|clicked|picked|selected|chose|touched|apreto|presiono|pico|toco|marco) (?:on |a |en )?"
                         r"(?:the |el |la )?(?:\w+ ){1,2}(?:by (?:mistake|accident)|sin querer|por (?:error|equivocacion)|button|option|boton|opcion)\b")
# A passing state felt in the past ("felt too sleepy yesterday"): not an emergency now. Only
# drowsiness and confusion pass; a seizure or a breathing problem yesterday is still reported.
_PAST_STATE = re.compile(r"\b(?:yesterday|last night|last week|the other day|ayer|anoche|la semana pasada|"
                         r"el otro dia)\b")
_STILL_ON = re.compile(r"^(?:but |pero |though |aunque )?(?:(?:it s|its|it is|they re|theyre|they are|it|they|the \w+ (?:is|are)) "
                       r"(?:\w+ )?(?:still|not gone|not over)|(?:still|todavia|aun|sigue|siguen|sigue ahi|siguen ahi) (?:going|there|happening|"
                       r"on|ahi|igual|presente\w*|con (?:ellos|ellas|eso))(?! to\b| a\b| al\b| para\b)|(?:sigue|siguen|todavia (?:esta|estan|los tiene|lo tiene))\b(?! (?:yendo|tomando|con (?:la|las|el|su) (?:pastilla|medicina|dosis))))")
# Round seventeen: nothing today, said after a complaint of yesterday ("pero hoy nada", "but none today", "but today she's fine");
# not "today nothing helps".
_NONE_TODAY = re.compile(r"^(?:but |pero )?(?:(?:hoy|today|now|ahora|this morning|esta manana)(?: (?:he|she|i|he s|she s|she is|he is|i m|im|"
                         r"i am|ya|esta|estoy|anda|todo))? (?:nada|none|nothing|no|fine|bien|good|ok|okay|all good|gone|ya no|ni uno|zero|cero)"
                         r"|(?:nada|none|nothing|fine|bien|all good) (?:hoy|today|now|ahora))(?: (?!(?:helps?|works?|sirve|ayuda|funciona|"
                         r"changed|cambia)\b)\w+)*$")
_PAST_DAY = re.compile(r"\b(?:last month|last week|el mes pasado|la semana pasada|a month ago|hace un mes)\b|\b(?:el|on|last|this past|past|desde el) (?:lunes|martes|miercoles|jueves|viernes|sabado|domingo|monday|tuesday|"
                       r"wednesday|thursday|friday|saturday|sunday)\b")
_AGAIN = re.compile(r"\b(?:again|another|otra|otro|de nuevo|otra vez|this morning|esta manana|tonight|just (?:had|now|happened|ended|stopped|finished)|acaba|acabo|right now)\b")
_PASSING_SIGNS = ("drowsiness", "confusion")
_HANDS_BEFORE = re.compile(r"\b(?:hands?|fingers?|manos?|manitas?|manitos?|dedos?)\s+(?:(?:are|is|s|keep|still|just|estan|siguen)\s+)?$")
_NOW = re.compile(r"\b(?:now|today|still|right now|ahora|hoy|todavia|sigue|than|que ayer)\b")
# A past episode, not now: "last seizure was 2019".
_HISTORY = re.compile(r"\b(?:last (?:seizure|fit) was|used to|solia|years ago|hace (?:\d+|muchos|varios) anos|"
                      # round sixteen (the lead, from AS-AV): years abbreviated or counted back ("2 yrs ago", "a couple years
                      # back", "last years seizure"), and a childhood ("when she was young", "as a kid", "de nina")
                      r"(?:\d+|a|one|two|three|four|five|a couple(?: of)?|a few|several|many) (?:yrs?|years?) (?:ago|back)|last years|"
                      r"when (?:i|he|she|they|we) (?:was|were) (?:young|younger|little|small|a (?:kid|child|baby|boy|girl|teen\w*))|"
                      r"as a (?:kid|child|baby|boy|girl|teen\w*)|de (?:nino|nina|chiquit[oa]|pequen[oa]|joven|bebe)\b(?! (?:de|que))|"
                      r"cuando (?:era|eramos|eran) (?:nin[oa]s?|chiquit[oa]s?|pequen[oa]s?|joven|jovenes)|"
                      # round sixteen: the years counted in words, or "atras" ("hace dos anos me daban convulsiones", "hace un par
                      # de anos", "hace como tres anos", "dos anos atras")
                      r"hace (?:como |unos |mas de |casi )?(?:un|uno|una|dos|tres|cuatro|cinco|seis|siete|ocho|nueve|diez|un par de|par de) anos?|"
                      r"(?:\d+|un|dos|tres|cuatro|cinco|varios|muchos) anos? (?:atras|antes)|in (?:19|20)\d\d|"
                      r"was (?:19|20)\d\d|since (?:19|20)\d\d|(?:19|20)\d\d|"
                      # "had a seizure last spring but nothing since": an episode seasons or years past
                      r"last (?:spring|summer|fall|autumn|winter|year|christmas)|(?:\d+|a few|several|some) months ago|"
                      r"d?el ano pasado|(?:la )?(?:primavera|navidad) pasada|el (?:verano|invierno|otono) pasado|"
                      r"hace (?:\d+|unos|varios) meses|"
                      # round eight (I): a month named as when ("back in March ... nothing since", "en marzo")
                      r"(?:back in|in|en|desde|since|last) (?:january|february|march|april|june|july|august|september|october|"
                      r"november|december|enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|"
                      r"diciembre))\b")



# How people text, made plain for the sign tables: an apostrophe left out ("its 1975", "hes"), a hedge
# between a word and what it describes ("lips are kinda blue"), and Spanglish negation of an English
# verb ("no puedo stay awake") or English negation of a Spanish one ("can t respirar").
_PLAIN: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\b(it|he|she|that|what|there)s\b"), r"\1 s"),
    # round fifteen: an inability weighed with "even" is the inability ("can't even breathe right", "no puedo ni respirar",
    # "ni siquiera puede abrir los ojos"); before, the "even" between kept the sign's words apart and it read urgent
    (re.compile(r"\b(can t|cant|cannot|couldn t|couldnt|no (?:puedo|puede|pude|pudo|podia|podemos)) (?:even|ni siquiera|ni)\b ?"),
     r"\1 "),
    (re.compile(r"\bni siquiera (?=(?:puedo|puede|pude|pudo|podia)\b)"), "no "),
    # round fifteen (Z-AB, AK-AN): "can't seem to", "have not been able to" are "can't" ("I can't seem to keep my eyes open",
    # "I have not been able to stay awake")
    (re.compile(r"\b(can t|cant|cannot|couldn t|couldnt) seem to\b"), r"\1"),
    (re.compile(r"\b(?:have|has|had)(?: not|n t|nt) been able to\b"), "can t"),
    # round fifteen (Z): a "why can't she ...?" asks the reason for a state it takes as given: the words put in a statement's
    # order ("why can't she keep her eyes open" -> "why she can t keep her eyes open")
    (re.compile(r"\bwhy (can t|cant|won t|wont|doesn t|doesnt|isn t|isnt) (he|she|i|they|mom|dad|mum|grandma|grandpa|my \w+)\b"),
     r"why \2 \1"),
    (re.compile(r"\b(?:kinda|kind of|sorta|sort of|a little bit|a little|a bit|a tad|somewhat|slightly|"
                r"medio|un poco|algo)\b ?"), ""),
    (re.compile(r"\bno (?:puedo|puede|pude|pudo|podia|podemos|pudimos)\b(?= (?!(?:respirar|despertar|mantener|"
                r"quedar|hablar|levantar)\b)[a-z])"), "can t"),
    (re.compile(r"\b(?:can t|cant|cannot|couldn t|couldnt)\b(?= (?:respirar|despertar\w*|mantener\w*)\b)"), "no puede"),
    # "can barely keep my eyes open", "cant hardly breathe": barely is as good as cannot
    (re.compile(r"\b(?:(?:can|could|can t|cant) )?(?:barely|hardly|scarcely)\b(?= (?:keep|breathe?|stay|wake|get|catch|talk|"
                r"speak|move|respond)\b)"), "can t"),
)


# What dictation and non-native English write for the word meant, in the context that gives it away
# ("he don t no where he is", "talking two people that aren t their", "I cant breed", "to drowsy to
# wake", "a wake"), and Spanish written as it sounds (an "h" left out, "ll" for "y", "c" for "s").
# Read before the sign tables, as one more variant of the words (``_signs``) and for the symptoms:
# only the sign-bearing words change, each in a context where the sound-alike cannot be meant.
_NEG = r"(?:don t|dont|doesn t|doesnt|didn t|didnt|do not|does not|did not|not|no|can t|cant)"
HOMOPHONES: tuple[tuple[str, str], ...] = (
    # round fifteen (Z-AB, AK-AN): a stutter typed out is the word ("nnno twitching", "cccan't ggget air in"): three or more of
    # one consonant opening a word (not h, m, x, z: "hmmm", "mmm", "zzz")
    (r"\b([bcdfgjklnpqrstvwy])\1{2,}(?=[a-z])", r"\1"),
    # a denial made emphatic is the denial ("not the least bit drowsy", "no trouble whatsoever"); Spanish "nada" before a
    # state is "no" ("nada confundido", "nada adormilado")
    (r"\b(?:the (?:least|slightest) bit|in the (?:least|slightest)|whatsoever)\b ?", ""),
    (r"\bnada (?=(?:adormilad|dormid|somnolient|confundid|maread|aturdid|desorientad|atontad)\w*)", "no "),
    # round thirteen (W, X, Y): the River Plate's "re" is "muy" before the word it weighs ("respira re raro", "re dormida")
    (r"\bre (?!(?:the|a|an|my|his|her|your|dose|doses|dosis|mom|dad)\b)(?=[a-z]+(?:o|a|os|as|e|l)\b)", "muy "),
    # doesn't as thumbs spell it: "she dosnt kno what yr it is" (first: the rules below read "doesn t")
    # (round seventeen: not "dose not given": the dose noun before a participle denied)
    (r"\b(?:dosnt|dosent|dosen t)\b|\bdose not\b(?! (?:given|taken|administered|received|due|yet)\b)", "doesn t"),
    # know: "he don t no where he is", "she no know who I am", "he not know me"
    (rf"\b(?!no no\b)({_NEG}) (?:no|now|knwo|kno)\b", r"\1 know"),
    (r"\b(he|she|i|they|mom|dad|mum|it) (?:not|no) (know|recogni[sz]e|remember|breathe?|wake|respond\w*|answer\w*|open)\b",
     r"\1 doesn t \2"),
    # there: "people that aren t their", "who is not they re"
    (r"\b(aren t|arent|isn t|isnt|are not|is not|not|nobody|no one|nothing) (?:their|they re|thier|ther)\b", r"\1 there"),
    # to: "talking two people", "hard two breathe"
    (r"\b(talk\w*|speak\w*|hard|trying|try|tries|able|unable|want\w*|need\w*|going) (?:two|too)\b", r"\1 to"),
    # too: "to drowsy to wake up", "to weak to stand"
    (r"\bto (?=(?:drowsy|sleepy|tired|weak|week|confused|confuse|dizzy|groggy|sedated|out of it)\b)", "too "),
    # breathe: "can t breed right", "hard to breath", "problem to bread"
    (rf"\b({_NEG}|to|barely|hardly|unable to|cannot) (?:breed|bread|breath|brethe|breeth|breth|brief|breeze)\b",
     r"\1 breathe"),
    (r"\b(?:breeding|breading|brething|breething|breezing)\b", "breathing"),
    # weak: "feel so week"
    (r"\b(feel\w*|so|very|too|really|is|s|am|m|getting) week\b", r"\1 weak"),
    # hear: "can t here me"
    (rf"\b({_NEG}) here\b", r"\1 hear"),
    # awake, asleep: "can t get her a wake", "falling a sleep"
    (r"\ba wake\b", "awake"), (r"\ba sleep\b", "asleep"),
    (r"\b(stay|staying|stays|keep \w+|keeping \w+|get \w+) woke\b", r"\1 awake"),
    # off: "nodding of", "dozing of", "passing of"
    (r"\b(nod\w*|doz\w*|dos\w*|pass\w*|drift\w*|black\w*|zon\w*) of\b", r"\1 off"),
    # confused: "very confuse", "he confuse", "get confuse"
    (r"\b(very|so|really|too|is|s|he|she|i|am|m|get|gets|got|feel\w*|seem\w*|look\w*|extremely|little|bit) confuse\b",
     r"\1 confused"),
    # vowels left out by thumbs in a hurry: "eyes opn", "cant brth", "wont wke up"
    (r"\b(?:opn|opne|oepn)\b", "open"), (r"\b(?:rly|rlly|relly)\b", "really"),
    # "took to buy mistake": two by mistake
    (r"\b(?:to|too) (?:buy|bye) (mistake|accident)\b", r"two by \1"), (r"\b(?:buy|bye) (mistake|accident)\b", r"by \1"),
    # twitches heard as switches: "muscle switches", "switching in my legs"
    (r"\b(muscles?|legs?|face|eyes?|hands?|arms?) switch(\w*)", r"\1 twitch\2"),
    (r"\bswitch(es|ing|y)\b(?= (?:in|on) (?:my|his|her|the)\b)", r"twitch\1"), (r"\bbrth\b", "breathe"), (r"\bbrthng\b", "breathing"), (r"\bwke\b", "wake"),
    (r"\brspnd\w*", "respond"), (r"\bcnfsd\b", "confused"),
    (r"\bknot\b(?= (?:taken|take|took|yet|sure|feeling|breathing|able)\b)", "not"),
    # can t: "cnt", "kant", "carnt"
    (r"\b(?:cnt|kant|kan t|carnt|caint)\b", "can t"),
    # round fifteen (AB): pidgin and ESL "I no can breathe"
    (r"\b(i|me|he|she|him|her|they) no can\b", r"\1 can t"),
    # Spanish as it sounds: ahogando, desmayo, convulsion, habla, respira, hace
    (r"\bao(g\w*)", r"aho\1"), (r"\bdesmall(\w*)", r"desmay\1"), (r"\bconvulc(\w*)", r"convuls\1"),
    # round nine (K): a b for a v (one sound in Spanish): "combulsion", "bomitando", "se le ban los ojos"; and "eyez"
    (r"\bco[mn][bv]ul[sc](\w*)", r"convuls\1"), (r"\bbomit(\w*)", r"vomit\1"), (r"\bdesbaneci(\w*)", r"desvaneci\1"),
    (r"\bse (le |me )?ban (los ojos)\b", r"se \1van \2"), (r"\beyez\b", "eyes"),
    (r"\b(no )?abla(\w*)", r"\1habla\2"), (r"\bresper(a|ar|o|ando)\b", r"respir\1"),
    # an r said as l, as in the Caribbean: "no la puedo despertal", "no puede respiral"
    (r"\b(despert|respir|habl|contest|reaccion)al\b", r"\1ar"),
    # a word dictation cut in two, or two run together: "no res pira bien", "se esta a ogando", "no
    # des pierta", "nome puedo despertar", "seme cierran los ojos", "dad is sees in on the couch"
    (r"\bres (pir\w*)", r"res\1"), (r"\ba (?:h)?og(a|ando|ado|ada|o)\b", r"ahog\1"),
    (r"\bdes (piert\w*|pert\w*)", r"des\1"), (r"\b(no|se)me\b", r"\1 me"),
    (r"\b(is|s|was|keeps|started) (?:sees in|see sing|seas in|sees sing|seasoning)\b", r"\1 seizing"),
    # too / two by their sound: "took to many", "I took too instead of one"; thumbs: "tk 2 by acident", "yr"
    (r"\b(took|take|taken|tk|had) (?:to|too) (many|much)\b", r"\1 too \2"), (r"\b(?:too|to) (instead of)\b", r"two \1"),
    (r"\btk\b", "took"), (r"\bacc?id+ent\b", "accident"), (r"\bdos beses\b", "dos veces"), (r"\byr\b", "year"),
    # round ten (M, N): Spanish as it is spelt by ear: a single r ("agarar aire"), n before b ("tenblando"), y for ll
    # ("pastiyas"), h dropped ("aora", "no la e tomado"), "toi" for estoy
    (r"\bagar(ar|a|o)\b", r"agarr\1"), (r"\bten(bl\w*)", r"tem\1"), (r"\bpastiy(a|as)\b", r"pastill\1"), (r"\baora\b", "ahora"),
    (r"\b(no (?:la |lo |me la |se la |le |me )?)e (tomado|dado)\b", r"\1he \2"), (r"\btoi\b", "estoy"),
    # Spanish diminutives of a state: "mareadita", "confundidito", "dormidita"
    (r"\b(mare|cans|atont|desorient|adormil|ahog|agit|mor)adit(o|a|os|as)\b", r"\1ad\2"),
    (r"\b(confund|dorm|aturd|perd)idit(o|a|os|as)\b", r"\1id\2"),
    # a dropped g: "keeps callin me", "talkin to me", "askin to go home"
    (r"\b(call|talk|ask|shak|jerk|snor|wak|respond|answer|nodd|doz|gasp|twitch|tremblin|mumbl|babbl|jump|shiver|twitch)in\b", r"\1ing"),
    # round twelve: tremor as dictation hears it ("my hands are doing this trimmer thing")
    (r"\b(?:trimmer|tremmer|tremer|tremmor)(s)?\b", r"tremor\1"),
    # "I ain't took it yet": not taken; "GRANDMA CONFUSE." said alone
    # round sixteen (AO2, AR1): not "ain't had a fit since Easter", "aint had no spells": a denial, no dose missed
    (r"\b(?:ain t|aint) (?:took|taken|had|gave|given|took)\b(?! (?:no|any) more\b| none of\b)(?!(?: (?:a|an|no|any|one|nary|single|"
     r"more|of them|them))* (?:\w+ )?(?:fits?|seizures?|spells?|shak\w*|jerks?|twitch\w*|spasms?|tremors?|episodes?|attacks?|"
     r"problems?|trouble|issues?|fever|side effects?|ataques?|convulsion\w*)\b)", "haven t taken"), (r"\b(\w+) confuse$", r"\1 confused"),
    # round twelve: Andalusian and Caribbean Spanish drops a d between vowels and an s before a consonant ("mu dormio",
    # "labios moraos", "no tienen sentio", "ehtoy"); only the sign-bearing words
    (r"\b(sent|dorm|confund|aturd)io(s)?\b", r"\1ido\2"), (r"\b(mor|atont|mare|desmay|ahog|desorient)a(o|os)\b", r"\1ad\2"),
    (r"\bmu\b(?= [a-z])", "muy"), (r"\beht(oy|a|an|aba)\b", r"est\1"),
    # round twelve: Jamaican English: "nuh know mi" (doesn't know me), "ask mi who mi is", "cyaan wake him", "it mek her drowsy"
    (r"\b(?:nuh|nah) (know|recogni[sz]e|remember) mi\b", r"doesn t \1 me"),
    (r"\b(ask|asks|asked|asking) mi (?:who|wha) mi (?:is|be)\b", r"\1 me who i am"),
    (r"\b(?:cyaan|kyaan|caan)\b", "can t"), (r"\bmek\b", "makes"),
    # round thirteen: thumbs and ear spellings of sign words ("eys", "slepy", "lips look blu", "mantenr", "i dont no were i
    # am"); Caribbean Spanish "ta" for "esta" before a gerund ("se ta poniendo azul"), a d dropped in "-ada" ("cansaa",
    # "moraa"), "ma que siempre" (mas), "lo labio" (los labios)
    (r"\b(?:eys|eyse|iyes|eies)\b", "eyes"), (r"\b(?:slepy|sleapy|sleepey|slepey|sleepie)\b", "sleepy"),
    (r"\b(lips?|face|mouth|turning|turned|look|looks|looking|gone|going|went) (?:blu|bleu|bloo)\b", r"\1 blue"),
    (r"\bmant[ei]n(?:r|el|e)\b(?= (?:\w+ )?(?:los |sus |mis )?(?:ojos|ojitos|despiert))", "mantener"),
    (r"\b(know|knows|knew|idk|dunno|sure) were (i|we|he|she|they) (am|is|are|m|s|was)\b", r"\1 where \2 \3"),
    (r"\b(se |me |le |la |lo )?ta (?=\w+(?:ando|iendo|endo)\b)", r"\1esta "),
    (r"\b(cans|mor|atont|mare|desmay|ahog|desorient|agit)a(a|as)\b", r"\1ad\2"), (r"\b(cans|agit)a(o|os)\b", r"\1ad\2"), (r"\bma (?=que (?:siempre|nunca|antes|ayer|de costumbre|lo normal)\b)", "mas "),
    (r"\blo labio\b", "los labios"),
    # round thirteen: more sleep than usual said as a comparative or as sleeping more ("drowsier than usual", "ta durmiendo
    # mucho, ma que siempre", "sleeping way more than normal"); legs that "se le jalan" (pulled: cramps, spasms)
    (r"\bdrowsier\b", "more drowsy"), (r"\bdozier\b", "more drowsy"),
    (r"\b(?:esta |ta )?(?:durmiendo|duerme) (?:mucho|demasiado|bastante|muchisimo)(?: mas)?(?= (?:mas )?que (?:siempre|de costumbre|lo normal|antes|ayer)\b)",
     "mas somnolienta"),
    (r"\b(?:sleeping|sleeps|slept) (?:a lot |way |much |so much )?more than (?=usual|normal|before|always)", "more sleepy than "),
    (r"\bse (?:le|me) (?:jalan|jala|jalaban|estan jalando) (?:las |los |sus |mis )?(piernas|pierna|brazos|musculos|pies)\b",
     r"espasmos en las \1"),
    # round thirteen: a "been" with no auxiliary ("her legs been jumping all nite", "my arms been twitching"): going on
    (r"\b(legs?|arms?|hands?|muscles?|feet|body) (?:been|bin|be|have been|has been|s been) (jumping|twitching|jerking|shaking|cramping)\b",
     r"\1 keep \2"),
    # round fourteen (tuning13-20): Spanish spelt by ear: "dispierta", "depierta" (an s dropped), "resirar", "pueo" (puedo),
    # "lo ojo" (los ojos), "sentá" after asleep, "güelve"/"golvió", "conose" (conoce), "onde" (donde); thumbs: "awak";
    # Jamaican "nah/nuh wake up"; "nodding oft"
    (r"\b(?:dispiert|depiert)(\w*)", r"despiert\1"), (r"\b(?:dispert|depert)(\w*)", r"despert\1"),
    (r"\bresir(ar|a|o|ando)\b", r"respir\1"), (r"\bpueo\b", "puedo"), (r"\blo ojo\b", "los ojos"),
    (r"\blos ojos solo\b", "los ojos solos"), (r"(?<=dormid[ao] )senta\b", "sentada"),
    (r"\bguelv(\w*)", r"vuelv\1"), (r"\bgolv(\w*)", r"volv\1"), (r"\b(re)?conos(e|en|io|ia)\b", r"\1conoc\2"),
    (r"\b(ni|no se|no sabe|no atina) onde\b", r"\1 donde"), (r"\bawak\b", "awake"),
    (r"\b(?:nuh|nah) (wake up|wake|answer|respond)\b", r"doesn t \1"),
    # round fourteen: "ain't" before the negative-function signs is "isn't" ("she ain't breathing", "he aint waking up")
    (r"\b(?:ain t|aint) (breathing|breathin|waking|wakin|responding|answering|moving|making sense)\b", r"isn t \1"),
    (r"\bmariad(o|a|os|as|it[oa])\b", r"maread\1"), (r"\b(nod\w*|doz\w*) oft\b", r"\1 off"),
    # round seventeen (the lead, from BA-BH): a sign said by its absence in the Spanish perfect is the present the tables
    # read ("no ha despertado" = "no despierta", "ya no ha respirado bien", "ni ha reaccionado", "no ha dejado de
    # convulsionar", "no ha vuelto a respirar normal"); third person, as caregivers say it. Not "no ha contestado": in the
    # perfect that is nearly always the phone or the texts ("¿Doña Beatriz no ha contestado?"), not a body not responding
    (r"\bni (?=(?:se |le |lo |la |me )?(?:ha|han) (?:despertado|reaccionado|respirado)\b)", "no "),
    (r"\b(?:ha|han) despertado\b", "despierta"), (r"\b(?:ha|han) reaccionado\b", "reacciona"),
    (r"\b(?:ha|han) respirado\b", "respira"),
    (r"\b(?:ha|han) dejado de\b", "deja de"), (r"\b(?:ha|han) parado de\b", "para de"),
    (r"\b(?:ha|han) vuelto a respirar\b", "respira"), (r"\b(?:ha|han) vuelto a despertar\b", "despierta"),
    (r"\b(?:ha|han) vuelto a reaccionar\b", "reacciona"),
    # round seventeen (the lead, from BC, BD): a pronoun written onto a convulsion's verb is the verb the tables read
    # ("empezó a sacudirse toda" = "sacudir toda", "sacudiéndose", "retorciéndose", "convulsionándose")
    (r"\b(sacud(?:ir|iendo)|retorc(?:er|iendo)|estremec(?:er|iendo)|convulsion(?:ar|ando))(?:se|le|me)\b", r"\1"),
)
_HOMOPHONES: tuple[tuple[re.Pattern[str], str], ...]


def as_meant(words: str) -> str:
    """``words`` (normalised) with the sound-alikes of :data:`HOMOPHONES` replaced by the word meant
    in their context: "he don t no where he is" -> "he don t know where he is"."""
    for pattern, replacement in _HOMOPHONES:
        words = pattern.sub(replacement, words)
    return words


def plain_words(words: str) -> str:
    """``words`` (normalised) as the sign tables read them: missing apostrophes put back, hedges left
    out, a Spanglish negation in the language of its verb. "no puedo stay awake" -> "can t stay awake"."""
    for pattern, replacement in _PLAIN:
        words = pattern.sub(replacement, words)
    return " ".join(words.split())


# Round thirteen: words stopped one by one for weight ("cant. stay. awake.", "No. Puedo. Respirar.", "no. seizures.
# today.") are one sentence, not three: cut at each full stop, the sign's words fell apart (the first read nothing, the
# last read "seizures" without its "no"). A run of three or more one-word sentences, from a sentence's start to a
# sentence's end; digits stay out ("1. 2. 3." are answers).
_WORD_BY_WORD = re.compile(r"(^|[.!?\n]\s*)((?:[^\W\d_]+(?:['\u2019][^\W\d_]+)?\.[ \t]+){2,}[^\W\d_]+(?:['\u2019][^\W\d_]+)?"
                           r"(?=[ \t]*(?:[.!?\n]|$)))")


def word_by_word_joined(text: str) -> str:
    """``text`` with a run of one-word sentences made one sentence: "cant. stay. awake. eyes down" -> "cant stay awake.
    eyes down"."""
    return _WORD_BY_WORD.sub(lambda m: m.group(1) + m.group(2).replace(".", " "), text)


def _clauses(text: str, parts_out: list[list[str]] | None = None) -> list[tuple[str, bool]]:
    """The text cut into clauses at sentence ends and "but"/"pero": (normalised words, is a question). With ``parts_out``,
    each clause's comma-separated parts (normalised) are appended to it, one list per clause, for the scope of doubt."""
    clauses: list[tuple[str, bool]] = []
    text = word_by_word_joined(text)
    # Round seventeen: after well-being, "no..." then the last word or two is one denial paused, not two sentences ("good. ok. no...
    # shake"); not a "no..." alone before a report ("no... seizing!"), nor before more said.
    text = _NO_PAUSE.sub(r"\1 ", text)
    # An emoji ends a sentence as a full stop does ("took it \U0001f44d when is my refill due?").
    # A tag question after a statement is a sentence of its own ("ya la tome at 7, esta bien?").
    text = _TAG_QUESTION.sub(". ", text)
    for sentence in re.split(r"(?<=[.!?;\n])\s*|\u00bf|\s*[\U0001F300-\U0001FAFF\u2600-\u27BF]+\s*", text):
        conditional_question = False
        for i, part in enumerate(re.split(r"\s*[,]?\s+\b(?:but|pero|though|aunque|however)\b\s*|"
                                          # round fifteen: "ya no son temblores, ahora respira feo": "now" after a
                                          # comma says something new; a denial before it does not reach past it
                                          r"\s*,\s*(?:(?:y|and) )?(?=(?:ahora|ahorita|now)\b)|\s+(?:y|and) (?=(?:ahora|ahorita|now)\b)",
                                          sentence or "",
                                          flags=re.IGNORECASE)):
            words = normalise(_denial_first(part))
            if not words:
                continue
            asked = part.rstrip().endswith("?") or _QUESTION_START.match(words) is not None
            if i == 0:
                # "which number do I reply if he's ok but hasn't taken it yet": the "but" goes on
                # with the condition of the question, not a report.
                conditional_question = asked and re.search(r"\b(?:if|si|when|cuando)\b", words) is not None
            clauses.append((words, asked or conditional_question))
            if parts_out is not None:
                parts_out.append([w for piece in _COMMA.split(part) for w in _name_doubted_apart(normalise(_denial_first(piece)))])
    return clauses


# Round eighteen: where a clause's doubt ends. Commas, semicolons, colons and a spaced dash part what is doubted ("no sé si es
# una convulsión") from what is described beside it ("está temblando toda y no contesta").
_COMMA = re.compile(r"\s*[,;:]\s*|\s+[-\u2013\u2014]+\s+")
# Unpunctuated, the doubted name ends its own part: "idk if this is a seizure her whole body is jerking", "no se si es convulsion
# esta temblando toda". Not where the name goes on with its alternative ("not sure if it's a seizure or just shivering").
# Whether something is so, doubted: the opener both this and ``_DOUBTED_EPISODE`` read.
_WHETHER_DOUBTED = (r"(?:no se si|(?:can t|cant|cannot|couldn t|couldnt) (?:really |honestly )?say (?:if|whether)|not sure (?:if|whether)|"
                    r"not certain (?:if|whether)|unsure (?:if|whether)|idk if|i don t know if|dont know if|dunno if|no estoy segur\w* (?:de )?si)")
_NAME_DOUBTED = re.compile(rf"\b(?:{_WHETHER_DOUBTED}|maybe|tal vez|quizas?|puede ser|could be) "
                           r"(?:(?:it|this|that|its|thats|it s|that s|this s) )?(?:(?:es|sea|fue|is|was|be) )?"
                           r"(?:(?:a|an|un|una|the|la|el|las|los) )?(?:seiz\w*|convuls\w*|fits?|ataques?|normal|meds?|medicine|baclofen|"
                           r"pastillas?|medicina|confus\w*|crisis)\b(?= )(?! (?:or|o|and|y|u)\b)")


def _name_doubted_apart(words: str) -> list[str]:
    """``words`` parted after each doubted name that more words follow (``_NAME_DOUBTED``)."""
    ends = [m.end() for m in _NAME_DOUBTED.finditer(words)]
    return [piece.strip() for piece in (words[a:b] for a, b in zip([0, *ends], [*ends, len(words)])) if piece.strip()]


_NO_PAUSE = re.compile(r"((?:^|\W)(?:good|ok|okay|fine|bien|well|great)\b[^?]{0,20}?\b(?:no|nope|ni|sin))\s*(?:\.{2,}|\u2026)\s*"
                       r"(?=[^\W\d_]+(?: [^\W\d_]+)?\s*\.?\s*$)", re.IGNORECASE)


# Round ten (M): a denial said after the symptom, as people answer a list ("fiebre no, temblores tampoco, respiro bien",
# "good day. no... the shakes no"): read as said before it ("no fiebre", "tampoco temblores"). Only a symptom's words
# move, and only before a comma, a full stop or the end ("temblores no paran" goes on to say they don't stop).
_POSTPOSED_NO = re.compile(r"\b([^\W\d_]+(?: [^\W\d_]+)?) (no|nope|tampoco|neither)\s*(?=[,.;!\u2026]|$)", re.IGNORECASE)


def _denial_first(part: str) -> str:
    def swap(match: re.Match[str]) -> str:
        return f"{match.group(2)} {match.group(1)}" if symptom_text.symptoms_in(match.group(1)) else match.group(0)
    return _POSTPOSED_NO.sub(swap, part)


# A symptom said, then asked about after a comma ("my legs keep twitching, is that normal?", "le tiembla
# la mano, es normal?"): the statement is a clause of its own, read as said; before, the whole sentence
# was a question and reported nothing unless it had a subject the statement patterns know ("i m", "tiene").
_TAG_QUESTION = re.compile(r",\s*(?=\u00bf?(?:est[a\u00e1] bien|is that (?:ok|okay|alright|fine|close enough|too late|too early)|ok|okay|right|verdad|no|"
                           r"(?:is|isn t|isnt) (?:that|this|it) (?:normal|bad|dangerous|serious|expected)|"
                           r"(?:es|eso es|esto es) (?:normal|malo|peligroso|grave)(?: (?:eso|esto))?)\s*\?)",
                           re.IGNORECASE)
_HOW_QUESTION = re.compile(r"(?:how|what|why|which|como|que|cual|por que)\b")
_QUESTION_START = re.compile(
    r"(?:should|can(?! t)|could(?!n)|may|is it|is that|is this|are|do|does|what|how|why|which|"
    # round seventeen: texting's shorthand openers ("cn i tk it wth food", "shud i", "cud i")
    r"(?:cn|shud|shld|cud) (?:i|u|we|she|he)|"
    r"will (?:it|this|that|i)|would (?:it|this|that|i)|"
    r"puedo|puede|debo|debe|deberia|es normal|que(?! (?:si|no)\b)|como|cual|por que|hay que|"
    # round ten (N): "hypothetically if someone took 2 ...", "is mom ok. did she take it" (no question mark)
    r"hypothetical\w*|hipotetic\w*|supongamos|suppose|who (?:is|s) this|quien (?:es|eres|habla)|"
    r"is (?:she|he|mom|dad|mum|my \w+|your \w+|grandma|grandpa|\w+) (?:ok|okay|alright|all right|doing|awake|up|fine)|"
    r"did (?:she|he|mom|dad|mum|my \w+|your \w+|grandma|grandpa|\w+) (?:take|get|have|eat|wake|answer|reply|call|do))\b")


_FALSE_ALARM_OPENING = re.compile(r"(?:false alarm|falsa alarma|false scare|never ?mind|olvid[ea]lo|no era nada)\b")
# Round ten (N): the writer's own failure to reply ("yo estaba en el trabajo y no pude responder", "I couldn't answer")
# is no one unresponsive.
_OWN_REPLY = re.compile(r"\b(?:no (?:pude|pudimos|podia|podiamos)|(?:i|we) (?:couldn t|couldnt|could not|can t|cant|cannot|"
                        r"wasn t able to|was not able to|weren t able to)) (?:responder|contestar|respond|reply|answer|text back)\w*")


# Round twelve: a writer who is elsewhere ("I'm at work", "yo estoy en el trabajo") or who asks whether a dose was
# taken or logged is reaching the patient by phone: "she won't answer me", "no me contesta" is the phone, not a body
# that does not respond ("Can you tell me if his mom logged the 8pm dose? She wont answer me").
_REMOTE = re.compile(r"\b(?:at work|from work|at the office|en el trabajo|en la chamba|estoy trabajando|i m not there|im not there|"
                     r"out of town|de viaje|not (?:at )?home yet|no estoy (?:ahi|alli|en (?:la )?casa))\b")
_ASKED_DOSE = re.compile(r"\b(?:dose|doses|pill|pills|meds?|medicine|baclofen|pastilla|pastillas|dosis|medicina|logged|registr\w*|"
                         # round sixteen: the dose named by its hour ("did my dad take his 8pm?", "se tomo la de las 8?")
                         r"(?:take|took|taken|get|got|had|tomo|tomado) (?:his|her|their|my|the|su|la|el)(?: de las)? (?:\d+ ?(?:am|pm)?|"
                         r"morning|noon|evening|night|bedtime|manana|tarde|noche)|"
                         r"se (?:la|lo) (?:tomo|tomaron|dio|dieron)|(?:took|take|taken|tomo|tomado) (?:it|them|la|lo|las|los)|anot\w*)\b")
_PHONE_UNANSWERED = re.compile(r"\b(?:(?:(?:she|he|they|mom|dad|mum|\w+) )?(?:won t|wont|will not|doesn t|doesnt|does not|isn t|isnt|is not|"
                               # round eighteen: the contracted "he's not answering me", "mom not picking up"
                               r"s not|not|didn t|didnt) (?:answer\w*|pick\w* up|repl\w*)(?: (?:me|us|her phone|his phone|the phone))?|"
                               r"no (?:me |nos |le )?(?:contesta|contestaba|coge|agarra)\w*)\b")


# Round seventeen: the writer placed in a town by its name, as typed ("Estoy en Hermosillo y no me contesta", "I'm in Chicago this
# week"): away from the patient. Not a room, a home or kin ("I'm in Mom's room"), nor with the patient ("I'm in Denver with him").
_IN_A_TOWN = re.compile(r"\b(?:[Ee]stoy|[Aa]ndo|[Ee]stamos|[Aa]ndamos|I'm|I\u2019m|Im|im|i'm|I am|i am|[Ww]e're|[Ww]e are) (?:en|in) "
                        r"(?!(?:Mom|Mum|Dad|Mama|Mam\u00e1|Papa|Pap\u00e1|Mami|Papi|Grandma|Grandpa|Abuela|Abuelo|Casa|Home|His|Her|The|My|Mi|Su|La|El|"
                        r"Urgencias|Emergency|Emergencias|Hospital|Room|Bed|ER|ICU)\b)[A-Z][a-z\u00e0-\u00ff]+\b(?!['\u2019]s)"
                        r"(?! (?:\w+ ){0,2}(?:with|con) (?:him|her|them|\u00e9l|el|ella|ellos|mi|my)\b)")


# Round eighteen, third class: "no contesta", "not answering me", "she's not picking up" about the PHONE, against "no responde
# cuando le hablo", "won't answer when I shake her" about the PERSON in front of the writer. A form, not a list of phrases:
# the phone's own words, the writer calling or texting, or the writer going over (not there yet) make the unanswered the
# phone; the writer with the person (talking to them, shaking them, saying their name, "I'm with her") makes it the person.
_PHONE_WORDS = re.compile(r"\b(?:phone|cell|cellphone|landline|calls|texts|voicemail|telefono|celular|cel|celu|mensajes|llamadas|"
                          r"buzon|whatsapp|facetime|pick(?:s|ing)? up|picked up)\b")
_CALLING = re.compile(r"\b(?:(?:i m|im|i ve been|ive been|been|keep|kept|i was) (?:calling|texting|ringing)|(?:i )?(?:called|texted|rang) "
                      r"(?:her|him|them|mom|dad)|tried (?:calling|to call|texting)|(?:i ll|ill|i will|will) try (?:again|her again|him again|calling)|vuelvo a (?:llamar|marcar|intentar)|(?:lo|la|le) (?:estoy|estaba|he estado) (?:llamando|marcando)|"
                      r"(?:le|la|lo) (?:marque|llame|he marcado|he llamado|mande (?:un )?mensaje|escribi)|(?:ya )?(?:le |la |lo )?(?:he )?marcado)\b")
_GOING_OVER = re.compile(r"\b(?:on my way|omw|heading (?:over|there)|driving over|going over|ubering over|(?:i ll|ill|i will) "
                         r"(?:drive|go|head|run) over|ya voy|voy (?:para|pa) (?:alla|su casa|alli)|voy a ir|me voy para)\b")
_WITH_THEM = re.compile(r"\b(?:when i (?!call|text|ring|phone|try)|cuando (?:le |la |lo )?(?!marco|mando|escribo)\w+\b|(?:le|la|lo) (?:hablo|grito|sacudo|"
                        r"muevo|pellizco)|(?:i m|im|i am|estoy|estamos) (?:here |aqui )?(?:with|con) (?:her|him|them|el|ella)|right next to|"
                        r"(?:shake|shaking|shook|pinch\w*|rub\w*) (?:her|him|them)|to (?:his|her|their) (?:own )?name|a su nombre|a nada|"
                        r"to anything)\b")


def reached_by_phone(text: str, clauses: list[tuple[str, bool]]) -> bool:
    """The writer reaches the patient by phone (an unanswered "she won't answer" is the phone, not a body that does not respond):
    away or asking after a dose (``remote_writer``), or, not with the person, calling, texting, naming the phone or going over."""
    cleaned = normalise(text)
    return remote_writer(text, clauses) or _WITH_THEM.search(cleaned) is None and (
        _PHONE_WORDS.search(cleaned) is not None or _CALLING.search(cleaned) is not None or _GOING_OVER.search(cleaned) is not None)


def remote_writer(text: str, clauses: list[tuple[str, bool]]) -> bool:
    """The writer is away from the patient, or asks whether a dose was taken: an unanswered "she won't answer" is the phone."""
    return _REMOTE.search(normalise(text)) is not None or _IN_A_TOWN.search(text) is not None or any(
        asked and _ASKED_DOSE.search(words) for words, asked in clauses)


# Round thirteen: "sí tiene temblorcitos", "Ya hablé con él, sí tiene los brincos todavía": a Spanish "yes" with its accent,
# before the verb it affirms, is no "if" (normalised, "si tiene" read as "if he has" and dropped the symptom; "Sí, tiene
# convulsiones ahorita" read nothing). Only where the writer typed the accent or a comma after it (no conditional "si" takes
# one): "si tiene fiebre, ¿qué hago?" stays a conditional.
_AFFIRMED_SI = re.compile(r"(?:^|[^\w])(?:[sS][\u00ed\u00cd],?|[sS][iI],)\s*(?=(?:\w+ )?(?:tiene|tienen|tengo|tuvo|tuve|ha|han|he|est[a\u00e1]|estoy|sigue|siguen|hay|"
                          r"le|me|se|lo|la)\b)")
_SI_AS_IF = re.compile(r"\bsi (?=(?:\w+ )?(?:tiene|tienen|tengo|tuvo|tuve|ha|han|he|esta|estoy|sigue|siguen|hay|le|me|se|lo|la)\b)")


# The parts of a clause a sign and its time share: "she had a seizure last year and she is seizing right now" is two.
_PART_JOIN = re.compile(r"\b(?:and|but|y|pero|and now|y ahora)\b")
_RECURS = re.compile(r"\b(?:again|another|otra vez|de nuevo|otra|otro)\b")


def _history_of(variant: str, match: re.Match[str]) -> bool:
    """A seizure told as past history ("last year", "2 yrs ago", "as a kid"). Round sixteen (the lead): when the clause
    also says now or again, the history must be in the sign's own part of it, so "had one last year and she is seizing
    right now" is still a seizure now; with no such word the whole clause's history counts, as before."""
    if not _HISTORY.search(variant):
        return False
    if not (_NOW.search(variant) or _AGAIN.search(variant)):
        return True
    starts = [m.end() for m in _PART_JOIN.finditer(variant, 0, match.start())]
    ends = [m.start() for m in _PART_JOIN.finditer(variant, match.end())]
    end = ends[0] if ends else len(variant)
    if _RECURS.search(variant, end):  # "... 2 yrs ago and having one again now": the sign is back
        return False
    return _HISTORY.search(variant[(starts[-1] if starts else 0):end]) is not None


def _hypothetical(words: str, affirmed: bool) -> bool:
    return _HYPOTHETICAL.search(_SI_AS_IF.sub("yes ", words) if affirmed else words) is not None


# Round sixteen: a breathing sign said of earlier and explained or over in the same clause ("the wheezing earlier was just my
# asthma and it cleared up", "the wheeze this morning was just allergies, gone now"): over, not a report. Not with anything
# still going or worse, and not for a seizure (one that just ended counts).
_EARLIER_SIGN = re.compile(r"\b(?:earlier|this morning|last night|overnight|before|en la manana|hace rato|anoche|mas temprano|antes)\b")
_EXPLAINED_OR_OVER = re.compile(r"\b(?:(?:was|were|it s|its) (?:just|only|from|due to|because)|(?:fue|era|eran|fueron) (?:nomas|solo|solamente|por)|"
                                r"cleared(?: up)?|went away|(?:is|s|are|was) gone|gone now|se (?:me |le )?(?:quito|paso|fue)|ya (?:se )?(?:me |le )?(?:quito|paso)|"
                                r"(?:fine|ok|okay|normal|good|better|alright) now|(?:breathing|respira\w*) (?:fine|ok|okay|normal|bien)|back to normal)\b")
_STILL_GOING = re.compile(r"\b(?:still|worse|worst|again|sigue|siguen|todavia|aun|peor|otra vez|de nuevo)\b")
# Round sixteen: deep sleep at its usual hour said to be the person's normal ("out cold and snoring already, totally normal for
# him this time of night", "dead to the world like every night"): not the emergency's sleep. "Not normal for him" stays one.
_USUAL_SLEEP = re.compile(r"(?<!not )(?<!n t )(?<!nt )(?<!no )(?<!isn t )(?<!isnt )(?:(?:totally|completely|perfectly|pretty|quite|very) )?"
                          r"(?:normal|usual|typical) for (?:him|her|me|them)\b|\blike (?:every|any other) (?:night|evening|afternoon)\b|"
                          r"(?<!no )como todas las (?:noches|tardes)\b")
# Round sixteen: a sign's bare word as a clause of its own ("seizure??", "Seizures.") echoes the alert or corrects autocorrect;
# beside a denial of the same sign ("seizure?? no she didnt have no seizure") or a correction ("... no Caesars either.
# Seizures. This phone I swear") it reports nothing.
_BARE_SIGN = re.compile(r"(?:a |an |the |una? )?(?:seiz\w*|convuls\w*|fits?|ataques?|(?:trouble |difficulty )?breathing(?: trouble| problems?)?|"
                        r"drows\w*|confus\w*|confundid\w*|somnolencia)")
_CORRECTION = re.compile(r"\b(?:auto ?correct\w*|autocorrector|(?:this|stupid|dumb|my) (?:phone|keyboard)|typo|i mean|i meant|"
                         r"meant to (?:say|type|write)|quise (?:decir|poner|escribir)|el corrector)\b")


def _perfect_denied(before: str, sign_words: str, clause: str) -> bool:
    """Whether the sign ``sign_words``, after ``before`` in ``clause``, is denied in the Spanish perfect (``_NO_HE_DONE``)."""
    perfect = _NO_HE_DONE.search(before)
    if perfect is None or not (perfect.group("bridge") or _PARTICIPLE_END.search(sign_words)):
        return False
    # a bare "no" opening the clause may answer a question before the report ("No, me ha dado una convulsion")
    answered = perfect.group("neg") == "no" and not before[:perfect.start("neg")].strip()
    return not answered or _DENIAL_CLOSER.search(clause) is not None


def _doubt_in(words: str, asked: bool) -> bool:
    """Whether ``words`` doubt what they say: a hedge ("not sure", "no sé si", "maybe"), or, asked, what something was."""
    unhedged = _COUNT_DOUBT.sub(" ", words)
    return _DOUBT.search(unhedged) is not None or asked and ("maybe" in unhedged or _ASKED_WHETHER.search(words) is not None)


# Round eighteen: a part of a clause told in the past ("he was jerking for a minute", "she stared and didn't answer") with
# nothing in it said now. What a doubted spell was is the guide's doubtful seizure; only a present description escapes the doubt.
_TOLD_PAST = re.compile(r"\b(?:was|were|wasn t|wasnt|weren t|werent|had|did|didn t|didnt|estaba|estaban|estuvo|estuvieron|fue|"
                        r"fueron|tuvo|se quedo|quedo|then|luego|despues|\w{3,}ed)\b")
_TOLD_PRESENT = re.compile(r"\b(?:is|are|s|am|m|es|sea|son|isn t|isnt|aren t|arent|won t|wont|can t|cant|cannot|doesn t|doesnt|keeps?|still|"
                           r"now|esta|estan|estoy|sigue|siguen|todavia|ahora|ahorita|puedo|puede|"
                           # a spell that just ended is one the brief counts ("just had some kind of fit", "acaba de")
                           r"just (?:had|happened|ended|stopped|finished)|acaba de|acaban de)\b")


def _described_beside_doubt(parts: list[str], asked: bool, *, remote: bool, affirmed: bool) -> set[Sign]:
    """Round eighteen: the signs described, certain and now, in a part of a clause its doubt does not reach.

    Doubt about the name ("no sé si es una convulsión", "idk if this is a seizure", "not sure if it's normal") doubts the
    name, not the body beside it: "..., está temblando toda y no contesta" is the brief's seizure whatever the writer calls
    it. A part with a doubt of its own, a supposition, or told in the past (the spell that is over) stays doubtful."""
    found: set[Sign] = set()
    past = False
    for part in parts:
        # A part with no tense of its own goes on in the tense before it ("se quedó como ido, mirando fijo como un minuto").
        if _TOLD_PRESENT.search(part):
            past = False
        elif _TOLD_PAST.search(part) or _PAST_STATE.search(part):
            past = True
        heard = sounded_out(as_meant(part))
        if past or _PAST_STATE.search(part) or any(_doubt_in(v, asked) or _hypothetical(v, affirmed) for v in (part, heard)):
            continue
        found |= _signs([(part, asked)], remote=remote, affirmed=affirmed)[0]
    return found


_SAID_NOW = re.compile(r"\b(?:now|right now|ahora|ahorita|still|sigue|siguen|todavia)\b")


def _said_now(clauses: list[tuple[str, bool]], *, remote: bool, affirmed: bool) -> set[Sign]:
    """Round eighteen: the signs read certain in a clause that says now or still and does not say the person came to."""
    return {sign for words, asked in clauses if _SAID_NOW.search(words) and not _CAME_TO.search(words)
            for sign in _signs([(words, asked)], remote=remote, affirmed=affirmed)[0]}


def _signs(clauses: list[tuple[str, bool]], *, remote: bool = False, affirmed: bool = False,
           denied_out: set[Sign] | None = None, parts: list[list[str]] | None = None) -> tuple[set[Sign], set[Sign]]:
    """(signs reported as certain, signs reported with doubt); the signs denied somewhere are added to ``denied_out``.
    ``parts``: each clause's comma-separated parts (``_clauses``), where a doubt's reach ends."""
    certain: set[Sign] = set()
    doubtful: set[Sign] = set()
    denied: set[Sign] = set()
    only_bare: set[Sign] = set()  # certain from a sign's bare word in a clause of its own, and nowhere else
    said: set[Sign] = set()
    corrected = any(_CORRECTION.search(words) for words, _ in clauses)
    for at, (words, asked) in enumerate(clauses):
        following = clauses[at + 1][0] if at + 1 < len(clauses) else ""
        bare = _BARE_SIGN.fullmatch(words) is not None
        clause_certain: set[Sign] = set()
        clause_doubtful: set[Sign] = set()
        words = _OWN_REPLY.sub("did not reply", words)
        if remote:
            words = _PHONE_UNANSWERED.sub("did not reply", words)
        if _FALSE_ALARM_OPENING.match(words) and not _NOW.search(words):
            # round ten (M): "False alarm, she wasn't having trouble breathing, she was laughing so hard she couldn't
            # talk": what follows explains the alarm away; a sign said after a "but" or in a sentence of its own stands.
            continue
        if asked and _ECHO_OPENING.match(words):
            continue
        heard = sounded_out(as_meant(words))
        # Doubt is read before hedges are dropped: "algo como una convulsion" is doubt, not a seizure.
        hedged = _DOUBT.search(_COUNT_DOUBT.sub(" ", words)) is not None
        for variant in {words, heard, plain_words(heard)}:
            variant = _ATTRIBUTED.sub(" ", variant)
            past = _PAST_STATE.search(variant) is not None
            hypothetical = _hypothetical(variant, affirmed)
            doubt = hedged or _doubt_in(variant, asked)
            for sign, (deniable, undeniable) in _SIGN_RE.items():
                hits = []
                if undeniable is not None and undeniable.search(variant):
                    hits.append(True)
                for match in deniable.finditer(variant):
                    # "not sure" and "no se si" are doubt, not the denial their negation looks like.
                    before, after = _DOUBT.sub(" ", variant[:match.start()]), variant[match.end():]
                    if _DENIAL_BEFORE.search(before) or _DENIAL_AFTER.search(after) and not _JUST_ENDED.match(after) or (
                            # round seventeen: "no he convulsionado ni nada": Spanish "he" is the auxiliary, not the English
                            # pronoun, when the sign is its participle and the clause closes the denial ("ni nada", "para nada")
                            _perfect_denied(before, match.group(), variant)):
                        denied.add(sign)
                        continue
                    if _FEARED_BEFORE.search(before) or _UNWANTED_BEFORE.search(before) or (asked and _ASKED_BEFORE.search(before)):
                        continue
                    if _WATCHED_FOR_BEFORE.search(before):
                        continue
                    if sign == "breathing" and _EARLIER_SIGN.search(variant) and (
                            _EXPLAINED_OR_OVER.search(variant) or _EXPLAINED_OR_OVER.search(following)) \
                            and not _STILL_GOING.search(variant) and not _STILL_GOING.search(following):
                        denied.add(sign)  # over: as good as denied now
                        continue
                    if sign == "drowsiness" and _USUAL_SLEEP.search(variant):
                        continue
                    if asked and _ECHO_BEFORE.search(before):
                        # round twelve: "what seizure?", "que convulsion?": the writer has not heard of it
                        continue
                    if sign == "seizure" and (_history_of(variant, match) or _PAST_DAY.search(variant) and not _NOW.search(variant)
                                              and not _AGAIN.search(variant)):
                        # round thirteen: "convulsiono el martes, estuvo internada y ya le dieron de alta": a seizure on a
                        # day named, over; not with "again", "another", "this morning" or anything now
                        continue
                    if sign in _PASSING_SIGNS and past:
                        continue
                    if sign == "seizure" and _HANDS_BEFORE.search(before):
                        # round fourteen: "his hands won't stop shaking", "sus manos no paran de temblar": the hands alone
                        # shaking is the brief's tremor, not a convulsion: urgent and forwarded (a doubtful seizure), not 911
                        doubtful.add(sign)
                        continue
                    hits.append(True)
                if not hits or hypothetical:
                    continue
                (clause_doubtful if doubt else clause_certain).add(sign)
        if parts is not None and len(parts[at]) > 1 and clause_doubtful - clause_certain:
            clause_certain |= clause_doubtful & _described_beside_doubt(parts[at], asked, remote=remote, affirmed=affirmed)
        doubtful |= clause_doubtful
        certain |= clause_certain
        (only_bare if bare else said).update(clause_certain)
    for sign in only_bare - said:
        if sign in denied or corrected:
            certain.discard(sign)
    if denied_out is not None:
        denied_out |= denied
    return certain, doubtful - certain


# -- doses --------------------------------------------------------------------------------------------

_DOSE_NOUN = (r"(?:it|them|one|dose|doses|meds|med|medicine|medication|pills?|tablets?|tabs?|baclofen|"
              r"pastillas?|medicina|dosis|baclofeno|\d+ ?mg|\d+(?:am|pm)?|hers|his|mine|la|lo|las|los|"
              r"(?:my|his|her|the|their|su|mi|sus) (?:\w+ )?(?:dose|meds|pills?|tablets?|baclofen|medicine|one|"
              r"pastilla|medicina|dosis|\d+\w*))")
TAKEN_PHRASES: tuple[str, ...] = (
    # not a measurement: "took my blood pressure", "me he tomado la tension"
    r"took(?! (?:my|his|her|their|the) (?:blood pressure|bp|temp\w*|sugar|glucose|pulse|oxygen|vitals)\b)"
    # round twelve: a person taken somewhere is no dose ("the ambulance guys came and took him", "took her to the ER")
    r"(?! (?:him|me|us)\b(?! (?:his|her|their|it|the|a|one|\d))| (?:her|them) (?:to|in|home|away|out|back|down|over|up|off)\b| (?:her|them)$)"
    # round sixteen (L2, M2, AB2, AK1): the time something took is no dose ("took me a minute to remember", "took him a second to
    # place me", "this text took three tries", "took her forever")
    r"(?!(?: (?:me|him|her|them|us|you))? (?:a (?:minute|min|second|sec|moment|while|bit|few (?:tries|attempts|minutes|seconds|mins))|"
    r"\d+ (?:tries|attempts|goes|minutes|mins|seconds|secs)|(?:two|three|four|five|several|a few) (?:tries|attempts|goes)|forever|ages|too long)\b)",
    # round fourteen (AD, AF, AH): the crew taking over or taking someone away ("they've taken over", "have taken him to Grady")
    r"taken(?! over\b| (?:him|her|them|me|us) (?:to|in|away|out|off|back|home)\b)",
    r"tkn", r"tooked", r"tuk", r"tok",
    # not something else had: "before I had the pump", "had the flu" (round eight, I)
    r"had (?:it|them|mine|hers|his|my|her|the)(?! (?:pump|flu|cold|doctor|appointment|appt|surgery|catheter|seizure|"
    r"same|shakes|chills|spasms|fall|test|scan)\b) ?(?:\w+ )?(?:dose|meds|pills?|tablets?|baclofen|\d+\w*)?",
    r"got (?:her|his|my|their|the) (?:\w+ )?(?:dose|meds|pills?|baclofen|medicine)\b(?! (?:changed|lowered|raised|increased|"
    r"adjusted|refilled))",
    
    # round twelve: what else is given: "EMS on scene. Report given.", "consent given", "oxygen given"
    r"(?<!report )(?<!handoff )(?<!consent )(?<!update )(?<!notice )(?<!oxygen )(?<!o2 )(?<!instructions )(?<!warning )given",
    r"gave(?! us\b)(?! (?:a |the |my )?(?:report|handoff|update)\b)(?! me (?!(?:it|them|the|her|his|my|one|a|an|\d+|some|mine|hers|his)\b))",
    r"(?:is |s |am |m )?(?:taking|swallowing) (?:it|them|her|his|the)\w* (?:right )?now",
    r"(?:s |is )(?:taking|swallowing) it", r"(?:giving|dando)(?:le)? (?:it |him |her |them )?(?:the |his |her |su |la )?"
    r"(?:\w+ )?(?:pill|dose|meds|baclofen|pastilla|medicina|it|to (?:him|her|them)) (?:to (?:him|her|them) )?(?:right )?now",
    r"^(?:si |yes |yep )?ya (?:a las|at|como a las|desde las) \d+", r"^(?:si )?ya (?:gracias|thanks|thank you)", r"swallow\w* (?:it|them)", r"as we speak",
    r"(?:take|taking|tomo|tomando\w*) (?:it |them |mine |one |la |lo )?(?:now|right now|rn|ahorita|ahora mismo)\b",
    r"(?:me |se )(?:la |lo |las |los )(?:estoy|esta|estamos) (?:tomando|dando)",
    # not a sign "given": "le esta dando una convulsion ahora mismo" (round eight, I)
    r"(?:estoy|esta|estamos) (?:tomando|dando)(?:mela|sela|la|lo)? (?!(?:una?|otr[oa]) (?:convuls\w*|ataque|crisis|temblor\w*|espasmo\w*|"
    r"sueno|mareo|dolor)\b)(?:\w+ ){0,2}(?:ahorita|ahora mismo)",
    r"(?:ya )?(?:me )?(?:la |lo |las |los )?tome\b", r"se (?:la |lo |las |los )?tomo\b", r"ya se (?:la |lo |las |los )?tomaron (?:la|las|su|sus)\b", r"ya (?:me |se )?(?:la |lo )?tom[eo]\b",
    r"tomad[oa](?! (?:la|el|mi|su) (?:tension|presion|temperatura|glucosa|azucar|pulso)\b)", r"tomandosela", r"tomarsela",
    r"les? di\b", r"(?:ya )?se (?:la |lo )di\b", r"se (?:la |lo |las )(?:he|hemos|ha|han) dado\b",
    r"(?:le|les) (?:he|hemos|ha|han) dado (?:la|su|sus|las|el) (?:\w+ )?(?:pastilla|pastillas|dosis|medicina|baclofeno|pildora)",
    r"got (?:her|his|my|their) \d+ ?(?:am|pm)?\b(?! (?:appointment|appt))", r"acabo de (?:darle|tomar\w*|dar)", 
    # round twelve: "done" as an auxiliary ("his eyes done rolled back") is no dose; "listo" opening a caregiver's
    # "on my way" or "we called 911" answers the alert ("Listo, ya voy para alla", "Listo, ya estoy con el y llamamos al 911")
    r"done(?! with)(?! \w+ed\b)(?! (?:gone|went|fell|ran|come|came|been|got|told|said)\b)",
    # (round seventeen: nor "Listo, ya la llamo": the caregiver calling her)
    r"listo(?! (?:ya )?(?:la |lo |le |les )?(?:voy|vamos|salgo|estoy con|estamos con|llam\w+|en camino|para alla|pa alla)\b)", r"hecho",
    # a second language's present for the past: "yes I take it already this morning"
    r"take (?:it|them|mine|my \w+|the \w+|her \w+|his \w+) already", r"already (?:take|takes) (?:it|them|my|the|her|his)\b",
    # round eleven (L, P): "se la dio mi hermana", a caregiver's "Ya. Dada.", "Giving now.", "Already did!", "did my oral one"
    r"(?:si |ya )?se (?:la|lo) (?:dio|dieron|dimos)\b", r"^(?:ya )?(?:dada|dado|tomada|tomadita|tomado|given|administered)$",
    r"^(?:giving|dando) (?:it |her |him |them |se la |sela )?(?:now|ahora|ahorita|right now)$", r"^already (?:did|done)(?: it)?$",
    r"\bdid (?:my|her|his) (?:\w+ )?(?:one|dose|pill|meds)\b",
    # round twelve: given by a third person in Spanish ("mi hija le dio la pastilla a mi mama", "ya le dimos su pastilla"), an
    # emphatic "he did take his 8 o clock medicine", "got his at 8", a present for the past with a time gone by ("Father take
    # medicine 10 minute ago", "take finish"), a dose "down" ("20mg down", "its down"), "Confirmed: 15mg"
    r"(?:le|les) (?:dio|dieron|dimos|di) (?:la|su|sus|las|el) (?:\w+ )?(?:pastillas?|dosis|medicina|baclofeno|pildoras?|medicamento)\b",
    r"(?:he|she|i|they|we|mom|dad|\w+ s) did (?:take|give|get|have) (?:it|them|his|her|my|their|the)\b",
    r"got (?:his|hers|her|mine|theirs) (?:at|around|by|this|with|on time)\b",
    r"(?:take|takes|give|gives) (?:\w+ ){0,3}(?:\d+|a few|ten|five|twenty|an?) (?:minutes?|mins?|hours?|hrs?) ago\b", r"take(?:n)? finish(?:ed)?\b",
    r"(?:\d+ ?mg|pills?|it|its|meds|tabs?) (?:is |are |s )?down$", r"confirmed(?: \w+)? \d+ ?mg\b",
    # round thirteen (R, U, V): a dose given or taken, said the way a clinician, a second language or a grandmother says it:
    # "Administered baclofen 10mg PO at 1400", "He take at 8:30", "She take the baclofen at 7", "mi hijo tomo su dosis de
    # las 14:00", "the pill is down the hatch", "both kids got their evening doses"
    r"administered (?:baclofen|\d+ ?mg|the|his|her|it|dose|po)\b", r"(?:she|he) (?:take|give) (?:(?:the|his|her|my|their|it) )?(?:\w+ )?at \d+"
    r"(?! (?:\w+ )?(?:every|each|always|usually|daily|todos|cada)\b)",
    r"(?:tomo|tomaron|se tomo) (?:su|sus) (?:\w+ )?(?:dosis|pastillas?|medicinas?|baclofeno|pildoras?|medicamentos?)\b",
    r"down the hatch", r"got (?:her|his|my|their|the) (?:\w+ )?doses\b",
    # round fourteen (AC-AJ): the reminder answered with when or with what ("ya, con el almuerzo", "yep w breakfast 8:15",
    # "10 mg con el cafecito"); given to me ("me la dio la muchacha"); Mexican slang ("me la aventé", "ya me la eché");
    # "lista la pastilla"; "tomándomela"; "got it down", "20mg down, feeling solid"; a dose seen taken ("I watched her take
    # it", "take pill in front of me"); a second language's present with a clock time ("Miss Dorothy take her pill 8:00", "I
    # give him his 8:30", "Ba take already 9am", "Already give, 9 o'clock"); a clinician's "dose administered 08:02", "both
    # dosed", "tomó la dosis de las 12"
    r"^(?:ya|yep|yup|yes|yeah|si|done|\d+ ?mg)(?: (?:\d+ ?mg|la de la \w+|the \w+ one))? (?:con|with|w) (?:el |la |my |mi |su |the |his |her |un |una |some )?"
    r"(?:\w+ )?(?:desayuno|almuerzo|comida|cena|cafe|cafecito|breakfast|lunch|dinner|supper|coffee|tea|juice|jugo|applesauce|gatorade)\b",
    r"(?<!doctor )(?<!dr )(?<!medico )(?<!doctora )\bme (?:la|lo|las|los) (?:dio|dieron)\b",
    r"(?:me|se) (?:la|lo|las|los) (?:avente|aviento|avento|eche|echo|empine|empino)\b", r"^lista? (?:la |mi |su )?(?:pastilla|dosis|medicina)\b",
    r"tomandomel[ao]", r"got (?:it|them|(?:my|the|her|his) (?:\w+ )?(?:pills?|dose|meds)) down\b",
    r"^(?:\d+ ?mg|(?:the |my )?pills?|meds|tabs?) (?:is |are |s )?down\b(?! (?:the|to|there|from|on|in)\b)",
    r"(?<!ll )(?<!will )(?<!to )(?<!gonna )(?:watched|watch|saw|seen) (?:him|her|them|\w+) (?:take|swallow|taking|swallowing)\b",
    r"(?:take|took|takes|swallow\w*|se la tomo|se lo tomo) (?:\w+ ){0,3}(?:in front of me|delante de mi|enfrente de mi)",
    r"(?<!to )(?<!should )(?<!must )(?<!will )(?<!ll )(?<!can )(?<!usually )(?<!always )(?<!normally )(?<!don t )(?<!doesn t )(?<!does )"
    r"(?<!do )\b(?:take|takes) (?:her|his|the|their) (?:pill|pills|dose|medicine|meds|baclofen|tablet) (?:at )?\d+(?: \d\d)?(?! ?(?:mg|days?|times?)\b)"
    r"(?! (?:\w+ )?(?:every|each|always|usually|daily)\b)",
    r"\bi (?:give|gave) (?:him |her |them )?(?:the |his |her |their )?(?:at )?(?:\d+ \d\d|\d+ ?(?:am|pm|oclock|o clock)|(?:noon|morning|evening|"
    r"night|bedtime) (?:one|pill|dose|tablet|meds) now)\b"
    r"(?! (?:\w+ ){0,3}(?:every|each|always|usually|daily|tomorrow|later)\b)",
    r"(?:take|give|took|gave) already\b(?! (?:\w+ )?(?:tomorrow|later|tonight)\b)", r"^already (?:give|gave|take|took)\b",
    r"(?:dose|doses|baclofen|meds?|\d+ ?mg|pill) (?:was |were |s |is )?administered\b", r"(?:^|both|all|been|was|were)(?: (?!not\b|never\b|un\w*)\w+)? dosed\b",
    r"(?:tomo|tomaron|se tomo) (?:la|las) (?:dosis|pastillas?) de (?:la|las) \d+",
    # round fifteen (AB, AL, AM, AN): a strength given at a clock time ("I give him 10 mg at 8:15", "20 mg at 14:05.", "10 mg PO
    # dado a las 0800"), "tablet administered", a named dose "down" ("Morning dose down"), "takin it rn", "popped it",
    # Hawaiian pidgin's past "wen take", "I give him now", Mexican "ya quedo" for done
    r"\bi (?:give|gave) (?:\w+ )?\d+ ?mg (?:at|@|a las) \d+", r"^\d+ ?mg (?:po )?(?:at|@|a las|dad[oa] a las|given at) \d+",
    r"(?:tablet|tab|pill) (?:was |is )?administered\b",
    r"^(?:(?:the|my|her|his) )?(?:morning|noon|evening|night|bedtime|am|pm|\d+ ?(?:am|pm)?) (?:dose|pill|one|meds|tablet) (?:is |s )?down\b"
    r"(?! (?:the|to|there|from|on|in)\b)",
    r"takin (?:it |them )?(?:now|right now|rn)\b", r"\bpopped (?:it|them|(?:my|her|his|the) (?:\w+ )?(?:pills?|dose|meds|baclofen))\b"
    r"(?! (?:out|open|off|up|back)\b)", r"\bwen (?:take|give)\b", r"\bi give (?:him|her|them)(?: (?:it|the pill|his pill|her pill))? now\b",
    r"(?:s|is|was) after (?:taking|giving|having) (?:it|them|his|her|the)\b", r"^(?:si )?ya quedo\b(?! (?:el|lo|todo|arreglado|resuelto)\b)",
    # round sixteen (AP, AQ): a dose taken said formally, in the plural, object first, or in Portuguese: "la paciente recibió su
    # dosis", "Las dos se tomaron su baclofen", "Los dos ya tomaron", "La pastilla la tomó a las 8", "pastilla de las 2 dada",
    # "o Rodrigo já tomou a pastilla" (not a habit: "la pastilla la tomo a las 8 todos los dias")
    r"(?:se )?tomaron (?:su|sus) (?:\w+ )?(?:baclofen\w*|pastillas?|dosis|medicinas?|medicamentos?)\b", r"\bya tomaron\b",
    r"se tomaron (?:las suyas|los suyos)\b",
    # Tagalog: "naibigay ko na po" (I have given it), "nainom na niya" (taken already); not "hindi pa" (not yet)
    r"(?<!hindi pa )(?<!hindi ko pa )\b(?:naibigay|nainom|ininom) (?:ko |niya |nya )?na\b",
    r"(?<!no )(?:recibio|recibieron|received|recebeu) (?:su|sus|la|el|her|his|their|the|a|o) (?:\w+ ){0,3}?(?:dosis|doses?|medicamentos?|"
    r"medicinas?|pastillas?|baclofen\w*|meds|medication|pills?|remedio)\b",
    r"(?:pastilla|dosis|medicina|medicamento|baclofeno)(?: de (?:la|las) \w+)? (?:la |se la )?(?:tomo|dio|di)(?: (?:a las|como a las|con) \w+)?\b"
    r"(?! (?:\w+ ){0,4}(?:siempre|todos los dias|cada|normalmente|usualmente)\b)",
    r"(?:pastilla|dosis|medicina|medicamento|baclofeno)(?: de (?:la|las) \w+)? (?:ya )?(?:dad[oa]|administrad[oa])\b",
    r"(?<!nao )(?<!nao )\b(?:ja )?(?:tomou|tomei|tomaram)\b",
)
NOT_TAKEN_PHRASES: tuple[str, ...] = (
    # round five (F): days gone by without it ("3 days without my meds", "llevo dos dias sin la medicina"); not
    # "ran out yesterday" alone (writers A, C, D and E label that the supply problem only, F a dose missed)
    r"(?:\d+|two|three|four|a few|a couple of|dos|tres|cuatro|unos|varios) (?:days?|dias) (?:without|sin) (?:it|them|my|her|his|"
    r"meds|pills|baclofen|la|las|su|sus|mi|mis|tomar\w*|medicina|pastillas)\b",
    # round twelve: forgetting to record it is no dose missed ("forgot to log it", "I forget reply", "se me olvido apuntarlo",
    # "se me olvido darle click", "olvide marcarla en la app")
    r"(?<!not )(?<!never )(?<!t )forgot(?! (?:to )?(?:reply|text|answer|respond|write|tell|let|say|check|breathe|press|push|hit|click|tap|log|mark|record|"
    r"enter|note|sign|confirm))(?! (?:what|where|why|how|who|i already|i had|i d|that i|i have|i m|i am|about|"
    r""
    r"(?:he|she|they) (?:already|had|ate|eat)))"
    r"(?! (?:things|names|words|stuff|people|everything|(?:the |my )?(?:schedule|time|times|dosage|amount)\b|how many|what time|when))\b", r"(?<!not )(?<!never )(?<!t )(?<!to )forget\b(?! (?:to )?(?:reply|text|answer|respond|write|press|click|tap|log|mark|record|confirm)\b)(?! (?:things|names|words|stuff|people|everything|to breathe|(?:he|she|they|i) (?:already|had|ate|eat)))",
    r"forgetting\b(?! (?:things|names|words|stuff|people|everything|to breathe|why|what|where|who)\b)",
    # round fifteen (AK, AN): forgetting what was said is no dose ("se me olvido lo que dijo el doctor", "se le olvida lo que
    # le dije"), nor a forgetting sometimes ("a veces se le olvida")
    r"(?<!no )(?<!a no )(?<!para no )(?<!a veces se le )(?<!a veces se me )olvid(?!adiz)\w*\b(?! (?:lo que|donde|por que|porque)\b)(?! (?:el |la |mi |los |las )?(?:schedule|horario|hora|horas|cuantas|cuantos|cuanto|dosis que|a que hora|cuando)\b)(?! (?:de )?(?:apuntar\w*|anotar\w*|marcar\w*|registrar\w*|darle click|darle clic|dar click|dar clic|picarle|confirmar\w*|contestar|responder|avisar|escribir|respirar|darle al|dar al|apretar|picar|marcar|registrar|pulsar))(?! (?:las |los )?(?:cosas|nombres|palabras|todo|gente))"
    r"(?! (?:quien|donde|como se llama|su nombre|mi nombre))",
    # round twelve: "ya se la di a las 9 y media, se me paso la hora" is late, not missed; "ya se me paso" (a seizure over)
    r"(?<!ya )se me paso(?! (?:la alarma|el despertador|contestar|responder|avisar|escribir|el mensaje|decir|apuntar\w*|anotar\w*|marcar\w*|registrar\w*))"
    r"(?! la hora(?! de))",
    r"(?:stopped|stopping|quit|quitting) (?:taking )?(?:his|her|my|their|the) (?:\w+ )?(?:baclofen|back ?lofen|meds|medicine|medication|pills)",
    # round fourteen (AC-AJ): stopped or off them for a time ("Mama stopped pills 3 days ago", "quit em friday", "stopped las
    # pastillas on Sunday", "been off the baclofen 3 days")
    # (not "since I quit taking it saturday": D labels that no dose, X the dose missed; D's floor is kept)
    r"(?<!to )(?<!wants )(?<!want )(?<!since i )(?<!since he )(?<!since she )(?:stopped|quit) (?:taking )?(?:(?:the|my|his|her) )?(?:pills|meds|em|them|it|baclofen|las pastillas|la pastilla|sus pastillas|la medicina)"
    r"(?: \w+){0,1} (?:(?:\d+|two|three|four|a few|several) days ago|(?:on )?(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday))\b",
    r"been off (?:the |his |her |my |their )?(?:baclofen|pills|meds|medicine|it|them)(?: for)? (?:\d+|two|three|four|a few|several|a couple of) days",
    # round twelve: stopped on their own ("she stopped taking it cold turkey", "quit it cold turkey monday", "dejo la pastilla hace
    # dos dias", "dejé la pastilla", "lleva sin su medicina desde el sabado", "been without his baclofen since Saturday")
    # (not "since I quit taking it saturday": D labels that no dose; nor "wants me to just quit it cold turkey", not done)
    r"(?<!to )(?<!just )(?<!should )(?<!would )(?<!could )(?<!can )(?:stopped|quit) (?:taking )?(?:it |them )?cold turkey",
    r"(?:dejo|deje|dejado|dejamos|dejaron) (?:de tomar\w*|(?:el|la|las|los|su|sus|mi|mis|esa|esas) (?:baclofen\w*|pastillas?|medicina|medicamentos?|pildoras?))",
    r"(?:without|sin) (?:his|her|my|their|the|su|sus|mi|mis|la|las|el) (?:\w+ )?(?:baclofen|meds|pills|medicine|medication|tablets|"
    r"pastillas?|medicina|baclofeno|dosis) (?:since|desde)\b",
    # not "todavia no despierta" (still not waking): a sign, not a dose
    # "no me la pude tomar", "he didnt get his night one"
    r"no (?:me |se |le )?(?:la |lo )?(?:pude|pudo|pudimos|pudieron) (?:tomar|dar)\w*",
    r"(?:didn t|didnt|did not) get (?:his|her|my|their|the) (?:\w+ )?(?:one|dose|pill|meds)\b",
    # round fifteen (AN2, AK2): "me la salte" (skipped it), "nt yet"
    r"(?:me|se) (?:la|lo|las|los) (?:salte|salto|saltamos|saltaron)\b", r"(?:me|se) (?:salte|salto) (?:la|el|las|mi|su) (?:dosis|pastilla\w*|de)\b",
    r"^nt yet\b",
    r"not yet", r"todavia no(?! (?:se |me |le |la |lo )?(?:despierta|reacciona|responde|contesta|respira|habla|puede|puedo|podemos|sabe|se|llegan?|autoriz\w*|aprueba\w*|aprob\w*|entreg\w*|surt\w*|cubr\w*|manda\w*|llego))", r"aun no", r"not taken",
    r"not taking",
    r"(?:haven t|havent|have not|hasn t|hasnt|has not|didn t|didnt|did not|don t|dont|won t|wont|couldn t|couldnt|"
    r"not|can t|cant) (?:take|taken|took|taking|get to|gotten to|give|gave|given|giving)\b"
    # round fifteen (AA2): "ain't had no spasms" is a denial, not a dose
    r"(?! (?:no|any) (?:\w+ )?(?:spasms?|seizures?|shak\w*|fits?|problems?|trouble|issues?|side effects?|twitch\w*|tremors?|fever)\b)",
    r"(?:haven t|havent|have not|hasn t|hasnt|has not|didn t|didnt|did not) (?:had|have) (?:it|them|(?:my|her|his|the|a|any) "
    r"(?:\w+ )?(?:dose|meds|pills?|baclofen|medicine|medication|tablets?))\b",
    r"skip\w*", r"missed (?:\d+ |two |both |all )?(?:it|my|the|a|her|his|this|that|dose|doses|pill|pills|last night s|yesterday s|"
    r"this morning s|today s|tonight s|last (?:night|evening) (?:dose|pill)|(?:last night|yesterday|this morning|today|tonight) ?s (?:dose|pill|one|meds))"
    r"(?! (?:pump )?(?:refill|appt|appointment|call|scan|barcode|log|entry|text|message|reminder|alarm|bus|ride|window)\b)", r"refus\w*", r"(?<!seguro )(?<!seguro ya )no quiere(?! (?:pagar|cubrir|autorizar|surtir|comer|hablar|salir|levantarse|despertar\w*|dormir|beber|tomar agua|bañarse|banarse))",
    r"neither(?: one)? of (?:us|them) (?:gave|give|has given|had|took)\b", r"ninguno de (?:los dos|nosotros) (?:se |le )?(?:la |lo )?(?:dio|dimos|tomo)\b",
    r"no quiso", r"no (?:se |me |le )?(?:la |lo |las |los )?(?:quiere|quiso|queria) tomar\w*(?! (?:sol[oa]|sin|enter[oa]|asi|entera)\b)", r"(?:spit|spat) (?:it |them |the pill |the pills |his pill |her pill )?out", r"escupi\w*",
    r"(?:will|ll|ill|imma|going to|gonna|voy a|va a|vamos a) (?:take|give|tomar\w*|dar\w*)(?! (?:two|2|dos|another|both))"
    r"(?! (?:him |her |them |you |me )?(?:a )?(?:call|ring|hand|bath|shower|ride|lift|hug|break|look|minute|second)\b)"
    r"(?!\w* (?:una |un )?(?:llamada|llamadita|vuelta|mano|bano|aventon)\b)"
    r"(?! (?:it |them |mine |one |hers |his )?(?:now|right now|rn|ahorita|ahora)\b)",
    r"(?<!supposed to )(?<!meant to )(?<!has to )(?<!have to )(?<!needs to )(?<!need to )(?:take|taking|give|giving) it (?:later|in|after|soon|at|when)", r"later today", r"mas (?:tarde|al rato)",
    r"(?:despues|luego|ahorita) (?:me |se )?(?:la |lo )?(?:tomo|toma|doy|da)\b",
    r"no (?:(?:me |se |te |le )?(?:la |lo |las |los ))?(?:he |ha |han |has |a |e )?(?:tom\w*|dado|di)\b(?! (?:la |el |una |su )?(?:autorizacion|aprobacion|permiso|respuesta|receta|refill|resurtido|cita)\b)",
    # round thirteen: "no me tome la de la manana", "no se tomo la de las 8"; a second language's present ("he no take 2 day")
    r"no (?:me|se) (?:la |lo |las |los )?(?:tome|tomo|tomaste|tomamos|tomaron)\b",
    r"(?:he|she|i|they|mom|dad|ma|pa) (?:no|not|never) (?:take|took|want|give|gave)\b",
    r"never (?:took|taken|gave|given|got|had) (?:it|them|(?:my|his|her|the|their) (?:\w+ )?(?:dose|pill|one|meds|baclofen))\b(?! (?:\w+ )?(?:extra|more|twice|double|again|too))",
    # refused in other words: "declined his noon dose", "no se la ha querido tomar", "turned it down"
    r"declin(?:ed|es|ing)\b(?! to (?:comment|say|answer))", r"turned (?:it |them |the \w+ )?down\b",
    r"no (?:me |se |le )?(?:la |lo )?(?:ha|han|he|a) querido (?:tomar|dar)\w*",
    # round twelve: "no le he dado la de la noche" (not "no le ha dado ningun ataque": a seizure "given")
    r"no (?:le|les) (?:he|hemos) dado (?:la|las|su|sus|el|los)\b(?! (?:\w+ )?(?:ataque|convulsion|crisis|calambre|temblor)\w*)",
    r"no (?:me|se) (?:he |ha |han )?tomado\b",
    r"about to (?:take|give)",
    r"(?:threw|throw|thrown|throwing|vomit\w*|puked?|puking) (?:\w+ ){0,3}(?:it|them|pills?|dose|meds|baclofen) "
    r"(?:right )?(?:back )?up", r"(?:vomit\w*|threw up|puked) (?:the |my |her |his )?(?:pills?|dose|meds|baclofen)",
    r"(?:la|lo|las|los) vomit\w*", r"(?:la|lo) devolvi\w*",
    r"(?:vomit\w*|threw up|throwing up|puked|devolvi\w*) (?:right |just |justo )?(?:after|when|despues de|al) (?:taking|i took|"
    r"she took|he took|swallowing|tomar\w*|darle)",
    # not swallowed: "can't swallow pills today", "no puede tragarla"
    r"(?:can t|cant|couldn t|couldnt|could not|cannot|unable to) (?:swallow|get down|keep down) (?:it|them|the pills?|pills?|"
    r"(?:my|her|his) (?:pills?|dose|meds))\b(?! whole)", r"no (?:puede|puedo|pudo|pude) tragar\w*(?! entera)",
    r"sin tomar\w*", r"had none", r"none since",
    r"^(?:(?:no|nope|nah|not yet) )?(?:later|luego|despues|in a bit|in a while|en un rato|al rato|mas tarde)$",
    # round seven (J): a nurse holding a dose, a dose put off until they arrive
    r"(?:held|holding|hold|withheld|withholding) (?:the |his |her |all |their )?(?:\w+ ){0,2}(?:dose|doses|meds|med|medication|pill|baclofen)",
    r"(?:dose|meds|baclofen) (?:was |were |is )?(?:held|withheld)",
    # round fifteen (AK1): not a sign "given" ("no le dio nada anoche ni temblor ni convulsion")
    r"no (?:le|les) (?:di|dimos|dio|dieron)\b(?! (?:\w+ ){0,6}(?:ataque|convuls|temblor|crisis|calambre|espasmo)\w*)(?! (?:al|el|a la|en el) (?:boton|click|clic|link|enlace|app|aplicacion)\b| (?:click|clic)\b)", r"(?:ahorita|ahora) no(?! puedo (?:respirar|despertar\w*|moverme|mover|hablar|ver|pensar|dormir)\b)(?= (?:estoy|puedo|ando|tengo|me la|se la|gracias|despues|luego|al rato|mas tarde|cuando|hasta)\b|$)",
    r"cuando (?:llegue|vuelva|regrese|salga|termine) (?:\w+ ){0,3}(?:me |se )?(?:la |lo )?(?:tomo|doy|toma|da)\b", r"slept through(?! (?:the |all |the whole |the entire )?night)", r"overslept",
    # not dozing off somewhere after it: "took the pill ... me quede dormida en la guagua" (round eight, I)
    r"me quede dormid\w*\b(?! (?:en|on|in|at) (?:la |el |the |my |a )?(?:guagua|bus|carro|coche|car|trabajo|work|clase|class|camion|metro|"
    r"train|tren|mesa|table|silla|chair|sofa|couch|iglesia|church|misa)\b)",
    r"(?:couldn t|couldnt|can t|cant|cannot|can not) (?:take|give)", r"(?:when|after|once) (?:she|he|i) (?:wakes|eat|eats|get|gets)(?! home| back| off work)",
    r"(?:cuando|despues de que) (?:se )?(?:despierte|coma|levante)",
    # round fourteen (AD1, AG1, AH2: a nap or a bath putting the dose off is not taken): "se la doy ahorita que se levante",
    # "I give when he wake up", "I give her when she come out"
    r"(?:doy|da|tomo|toma) (?:ahorita |ahora |luego )?(?:que|cuando|en cuanto) (?:se )?(?:levante|despierte|llegue|regrese|vuelva|salga|termine)\b",
    r"\bi give (?:it |him |her |them )?(?:when|after|once) (?:he|she|they) (?:wake|wakes|come|comes|get|gets|finish|finishes)\b",
    r"(?:me |se )?(?:la |lo )?(?:tomo|toma|doy|da) (?:en cuanto|cuando|al llegar|despues|luego|mas tarde|"
    r"en un (?:rato|ratito|momento)|en (?:unos|\d+) minutos)",
    # round eleven (L, P): refused and to be tried again ("he dont want it today ... I try again after lunch"), "no me la voy
    # a tomar", "anoche no me tome la pastilla", "al rato me la tomo", a nurse's "negative on 1400 dose", "will administer
    # at 1500", "I'll make sure she takes it when she's back"
    r"(?:don t|dont|doesn t|doesnt|didn t|didnt) want (?:it|them|the pill|his pill|her pill|his meds|her meds|the medicine)\b(?! (?:to|anymore))",
    r"\b(?:i ll|ill|i|we ll|we|will|gonna) try (?:again|later|it again)\b",
    r"no (?:me |se |le )?(?:la |lo )?(?:voy|va|vamos) a (?:tomar|dar)\b",
    r"no (?:me |se |le )?(?:la |lo )?(?:tome|tomo|di|dio|dimos) (?:la|el|mi|su) (?:pastill\w*|dosis|medicina|baclofeno)\b",
    r"(?:al rato|mas al rato|mas tarde|luego|despues) (?:me |se |le )(?:la |lo )?(?:tomo|doy|tomare|dare)\b",
    r"negative (?:on|for) (?:the )?(?:\d+ )?(?:dose|med\w*)", r"will (?:administer|give) (?:it )?(?:at|after|when|later|with)\b",
    r"make sure (?:she|he|they) (?:takes|gets|has) it (?:when|after|later|tonight|once|cuando|apenas|en cuanto|al llegar)\b",
    # round sixteen (AP2): "Pte. no recibió dosis 8 hs", "ela não tomou a pastilha"
    r"no (?:recibio|recibieron|ha recibido|han recibido) (?:su |sus |la |el )?(?:\w+ )?(?:dosis|medicamentos?|medicinas?|pastillas?|baclofeno)\b",
    r"nao (?:tomou|tomei|tomaram|recebeu)\b",
    # round sixteen (AO2, AQ1, AR2): pills gone for days, doses gone by ("been outta pills 3 days", "lleva dos dias sin ella", "hace 3
    # dias que no tengo pastillas", "missed two days of baclofen"); pills left behind ("I left my pills at my sister's")
    r"(?:out of|outta|without|sin) (?:my |her |his |the |sus |mis |las |su )?(?:pills|meds|baclofen|medicine|medication|pastillas|medicina) "
    r"(?:for )?(?:\d+|two|three|four|a few|several|a couple of) days",
    r"(?:\d+|two|three|four|a few|a couple of|dos|tres|cuatro|unos|varios) (?:days?|dias) (?:without|sin) (?:ella|el)\b(?! (?:baston|andador|carro|coche|"
    r"telefono|celular|oxigeno|panal|cabestrillo)\b)",
    r"hace (?:\d+|dos|tres|cuatro|unos|varios) dias que no (?:tengo|tiene|tomo|toma|me tomo|se toma|le doy|le damos)\b",
    r"missed (?:\d+|two|three|four|a few|several|a couple of) days of (?:her |his |my |the )?(?:baclofen|meds|pills|doses|medicine)\b",
    r"left (?:my|her|his|the) (?:pills|meds|medicine|baclofen|pill (?:bottle|case|box)|bottle) (?:at|in|en)\b", r"ainda nao\b", r"(?:vai|vou|vamos) (?:tomar|dar)\b",
)
# Circumstances that say a dose was not taken only when nothing says it was ("in the shower" alone
# is not yet; "just took it, was in the shower" is taken). Round eighteen: asleep, not drowsy: "anda medio dormida" (goes about
# half asleep) is drowsiness while awake, no dose put off ("no sé si es la pastilla, anda medio dormida" read a dose not taken).
WEAK_NOT_TAKEN_PHRASES: tuple[str, ...] = (
    r"(?<!falling )(?<!fall )(?<!stay )(?<!staying )(?<!falls )asleep", r"(?<!sentido )(?<!siento )(?<!sentia )(?<!sienta )(?<!medio )(?<!media )(?<!anda )(?<!ando )(?<!andaba )(?<!andan )(?<!anda muy )(?<!anda bien )dormid\w*", r"still (?:sleeping|asleep)", r"in the shower", r"en la ducha", r"banando\w*",
    r"at (?:the )?(?:store|work|therapy)",
)
EXTRA_PHRASES: tuple[str, ...] = (
    r"(?:took|taken|had(?! to\b)|given|gave|got|tome|tomo|tomado|dado|tomamos|tomaron|di|dio|dimos|dieron|take|give) (?:\w+ ){0,3}"
    # round fifteen: a clock time before it ("took my 2 o clock twice"), "dos veses" misspelt
    r"(?:o clock |oclock )?(?:twice|two times?|2 times?|2x|double|dos ve[cs]es)(?! (?:a|per|each|every) (?:day|week))", r"(?:tome|tomo|tomado|di|dio|dado) (?:la|el) de (?:la |las )?\w+ (?:dos veces|twice)",
    # taken again, as well, on top of: a second dose said with an additive word
    r"(?:took|taken|had|given|gave|tome|tomo|tomamos|tomaron|di|dio|dimos|dieron) (?:(?!(?:a |an )?(?:seiz\w*|fits?|ataque\w*|"
    r"convuls\w*|refus\w*|skip\w*|forg[eo]t\w*|miss\w*|no|not|won t|wont|didn t)\b)\w+ ){0,6}(?:again|otra vez|de nuevo)",
    # given again by someone else, in any tense a second language uses: "my son give me again at 10"
    r"(?:give|gives|gave|given|dio|da) (?:me|her|him|them|it|la|lo|le|me la|se la) (?:it |another |one |more )?again",
    # two givers: "the aide gave her the noon dose and so did I", "yo tambien se la di"
    r"(?:gave|took|had|given|taken) (?:\w+ ){0,6}(?:and )?so did (?:i|she|he|we|the \w+|her \w+|his \w+)",
    # into the bottle, pills short: "got into the bottle overnight, count is 4 short"
    r"got into (?:the|my|her|his|their) (?:pill\w*|bottle|meds|medicine|baclofen)",
    r"(?:count|pill count) (?:is |was |s )?(?:\d+|one|two|three|four|five|a few) (?:pills? |tabs? )?short",
    # unsure how many, more than one: "took two of the pills, I think maybe three"
    r"(?:took|taken|had|gave|given|tome|tomo|di|dio) (?:two|2|three|3|dos|tres)\b(?: \w+){0,6} (?:maybe|or|o|tal vez|quizas?) "
    r"(?:three|four|3|4|tres|cuatro)\b",
    # taken earlier "too": "may have taken the evening pill at lunch too"
    r"(?:took|taken|had|given|gave) (?:the |my |her |his )?(?:\w+ )?(?:pill|dose|one|tab\w*|meds) (?:at|with) \w+ (?:too|as well)\b"
    r"(?! (?:late|early|much|many|soon|sleepy|tired|drowsy|dizzy|weak))",
    r"(?<!again )(?<!otra vez )(?:and|y) (?:then )?(?:again|otra vez|de nuevo)", r"on top of", r"ademas de",
    r"(?:y|and) (?:despues|luego|then|later|mas tarde) (?:otra|another|una mas|one more)\b",
    r"(?:and|y) (?:then |luego )?(?:another|one more|a second)(?: one)? (?:at|around|when|after|because|bc)\b",
    r"\b(?:also|tambien) (?:se |le |me )?(?:la |lo )?(?:took|take|had|gave|tome|tomo|di|dio|the one|la de|el de|la mia|la suya|the \w+ one)",
    # by mistake
    r"(?:took|taken|take|takes|had|given|gave|give|tome|tomo|tomado|di|dio|dimos|dieron|administre) (?:\w+ ){0,10}(?:by accident|by mistake|by mistak\w*|"
    r"by acc?ident\w*|accidentally|por error|por equivocacion|por accidente|sin querer|sin (?:darme|darse|darnos) cuenta)",
    # round thirteen (R, U, V): an extra tablet in Spanish ("una tableta adicional"), a second giver ("I give morning and her
    # father give also"), the organiser's rows mixed up ("mixed up the rows in the pill organizer", "me confundi de casilla")
    r"(?:pastilla|tableta|pildora|dosis|capsula)s? (?:extra|adicional|de mas)\b",
    r"\b(?:give|gave|gives|dio|le dio) (?:it |her |him |la |se la )?(?:also|too|tambien)\b(?! (?:late|early|soon|much|many|fast|slow))",
    r"(?:mix(?:ed)? up|mezcle|me confundi de|se confundio de) (?:the |las |los |la |el )?(?:rows?|slots?|compartments?|"
    r"bottles?|casillas?|frascos?|pastilleros?)\b",
    r"(?:accidentally|accidently|mistakenly|por error|sin querer) (?:took|take|gave|had|double\w*|me tome|tome|se tomo|tomo|le di)",
    r"(?:took|had|gave|given) (?:\w+ ){0,2}(?:another|an extra|extra|a second(?! (?:to|before|or|for|longer)\b)|one more|additional)",
    r"(?:another|extra|second) (?:one|dose|pill|tablet|tab|half)", r"extra half", r"extra \d+ ?mg",
    r"(?:tomo|tome|se tomo|me tome|le di|dio|di) (?:una |un )?(?:pastilla|dosis|tableta|\d+ ?mg) (?:extra|adicional|de mas)",
    r"(?:self )?administered (?:\w+ )?(?:extra|another|double|twice)", r"half (?:a )?tab extra",
    r"double(?:d)? (?:dose|dosed|up|my dose|it)", r"doubled", r"doble(?! (?:shift|turno|jornada|chamba))", r"took too (?:many|much)",
    r"too many", r"overdos\w*", r"(?:two|2|three|3|dos|tres) (?:\w+ )?(?:together|at once|at the same time|juntas?|"
    r"a la vez|al mismo tiempo)",
    r"(?<!at )(?<!las )(?<!around )(?<!by )(?<!\d )(?!\d+ \d\d (?:am |pm )?instead)"
    # round sixteen (AR2): a strength taken at a later hour than its own ("took my 10 mg at 07:40 instead of 07:00")
    r"(?!\d+ ?(?:mg )?(?:\w+ ){0,3}?(?:at|@|a las) \d+(?: \d\d)? (?:am |pm )?(?:instead of|en vez de|en lugar de) (?:las? )?\d+(?: \d\d)?(?! ?mg)\b)(?!\d+ (?!mg\b)(?:\w+ ){0,3}(?:instead of|en vez de|en lugar de) (?:[5-9]|1[0-2])(?: ?(?:am|pm|oclock|o clock))?(?:$| (?!mg)))"
    r"(?:\d+(?:mg|s)?|two|three|four|five|six|dos|tres|tre|cuatro|cinco|seis) (?:\w+ ){0,4}"
    r"(?:instead of|en vez de|en lugar de)",
    r"(?:both|las dos|los dos|ambas) (?:\w+ )?(?:together|at once|juntas|juntos|a la vez)",
    # round fifteen: "took my noon pill and then my 4 o clock one together", "his morning ones and tonights at the same time",
    # "me tome la de la tarde junto con la del mediodia"
    r"\b(?:and|y) (?:\w+ ){1,6}(?:together|juntas|juntos|at once|a la vez|al mismo tiempo|at the same time)",
    r"(?:tome|tomo|di|dio|le di|se tomo) (?:la|el|las|los) del? (?:la |las |los )?\w+ (?:junto con|juntas? con|con) (?:la|el|las|los) de\w*\b",
    r"(?:two|2|three|3) (?:today|before lunch|already|this morning) (?:instead|when)",
    r"(?:had|took|taken|got) (?:two|2|three|3) (?:today|before|this)", r"he s had (?:two|2|three|3)",
    # round eight (I): an unknown number: "se tomo no se cuantas pastillas", "took who knows how many"
    r"(?:took|taken|had|swallowed|tomo|tome|tomado|se tomo) (?:no se|who knows|i don t know|idk|dunno|quien sabe) "
    r"(?:cuantas|cuantos|how many)\b",
    # round ten (N): "took a bunch of his muscle pills idk how many", "se tomo un monton de pastillas"
    r"(?:took|taken|had|swallowed|tomo|tome|tomado|se tomo) (?:a bunch|a handful|a lot|un monton|un punado|muchas)(?: of| de)? "
    r"(?:(?:his|her|my|their|sus|mis) )?(?:\w+ )?(?:pills|meds|tablets|tabs|pastillas)\b",
    # round eight (I): their own and another's: "had his own plus hers", "took one of Mamaw's baclofen",
    # "se tomo la suya y tambien una de las de mami"
    r"(?:his|her|my|their) own (?:plus|and|y) (?:hers|his|theirs|mine|one|another)\b",
    r"(?:took|had|given|gave|swallowed|tomo|tome|dio|di) (?:one|una) (?:of|de) (?:\w+ s|las de \w+|los de \w+) "
    r"(?:baclofen|pills?|meds|tablets?|pastillas|medicinas?)?",
    r"(?:la suya|la mia|su pastilla|su dosis|la de el|la de ella) (?:y|and) (?:tambien )?(?:una|otra) de (?:las de )?\w+",
    r"wrong (?:strength|dose|pill|pills|bottle|one|tablet)",
    r"(?:took|take|taking|had|gave|given|swallowed|tomo|tome|dio|di|got) (?:\w+ ){0,4}"
    r"(?:husband|wife|spouse|partner|mom|mum|dad|grandma|grandpa|sister|brother|friend|roommate|son|daughter|"
    r"someone else|somebody else|other person|neighbor)\w* (?:s )?(?:pills|baclofen|dose|meds|tablets|medicine|one)",
    r"(?:pastillas|medicina|dosis|baclofeno) de (?:mi|su|otra|otro) \w+", r"(?<!me )(?:tomo|tomaron|le di|le dio|le dieron|se tomo) (?:\w+ )?mis pastillas", r"(?<!tomaron )(?<!dieron )(?<!tiene )(?<!tienen )(?<!tengo )(?<!tenemos )las (?:de (?:mi|su|otr\w*|el|ella|la) |mias\b|suyas\b)",
    r"ademas de las suyas", r"(?:le|me|se) (?:dio|di|tomo|tome) otra", r"(?:dio|di|tomo|tome) otra",
    r"otra (?:pastilla |dosis )?de mas", r"(?:pastillas?|dosis|una|dos|tome|tomo|di|dio|tomado|dado|tomaste) (?:\w+ )?de mas", r"(?:both|two aides|two people)(?: \w+)? (?:gave|give)",
    r"gave (?:it|her one|him one) again", r"and then (?:i|the \w+|her \w+|his \w+|\w+) gave",
    r"(?:tonight s|today s|this morning s|tomorrow s|la de (?:hoy|la manana|la noche|ahorita|anoche)) (?:and|plus|y) "
    r"(?:tomorrow s|tonight s|today s|la de (?:manana|la noche|hoy|la tarde))",
    r"(?:his|hers|mine|theirs|la suya|la mia) (?:plus|and|y|mas) (?:mine|hers|his|la mia|la suya)\b",
    r"(?:and|plus|y) (?:also )?(?:the one|the pill|the dose|la que|el que) (?:\w+ ){0,4}(?:for later|for tonight|for tomorrow|"
    r"para (?:mas tarde|la noche|manana))",
    r"pill ?(?:box|organi[sz]er|case)\b(?: \w+){0,6} (?:is |are |s |was |were )?(?:empty|vacio|vacia)(?! (?:for|from) (?:this|today|tonight|the \w+ (?:slot|dose)))",
    r"(?:el|la) de manana tambien", r"se tomo (?:doble|dos|otra)",
    r"me tome (?:dos|2|otra|doble)", r"(?:and|y) (?:the|la) de las \d+ juntas",
    # round four (G, E): taken again, given twice by two people, about N pills, mine and someone else's
    r"volvi\w* a (?:tomar|dar)", r"ya se la (?:habia|habian) dado", r"already (?:had|given|gave) (?:her|him|it) (?:one|it|the)",
    r"(?:took|tomo|tome|had|gave|le di|se tomo) (?:como|like|about|around|unos|unas) (?:[3-9]|three|four|five|six|tres|cuatro|"
    r"cinco|seis) (?:pills?|pastillas?|tablets?|tabs?|of (?:em|them|those|these|(?:my|his|her) (?:pills|meds)))\b",
    # round fifteen (Z1, AM, AN, AK): "oops took 2"; one of a spouse's or a friend's ("me tome una de mi compadre"); someone
    # else's tablets too ("took Papa ji's tablets also"); another's tablet with its strength ("I give Walter Ruth's tablet,
    # hers is 20mg")
    r"(?:oops|whoops|oh no|uh oh|ay no)\b(?: \w+){0,2} (?:took|gave|tome|me tome|le di) (?:two|2|dos|both)\b"
    r"(?! (?:\w+ )?(?:hours?|hrs?|mins?|minutes?|days?|weeks?|am|pm|oclock|o clock)\b)",
    r"(?:took|tome|tomo|se tomo|le di|dio|gave) (?:one|una) (?:of|de) (?:mi|my|su|his|her) (?:compadre|comadre|esposo|esposa|senora|senor|"
    r"marido|mujer|hermano|hermana|vecin[oa]|amig[oa]|suegr[oa]|husband|wife|brother|sister|friend|neighbou?r|roommate|cousin|prim[oa])\b",
    r"(?:took|take|gave|give|tome|tomo|di|dio) (?:\w+ ){0,2}(?!(?:his|her|my|their|the)\b)\w+ s (?:tablets?|pills?|meds|baclofen)\b "
    r"(?:also|too|as well|by mistake|instead)\b",
    r"(?:give|gave|took|take) (?:\w+ ){1,3}(?:tablets?|pills?) (?:his|hers|her s|his s|theirs) (?:is|are|s) \d+",
    r"(?:my|his|her) (?:pills|meds|tablets|dose) (?:and|y|plus) (?:hers|his|mine)\b", r"(?:la mia|la suya) y la de",
    r"grabbed (?:\w+ ){0,3}(?:bottle|pills|meds)\w* (?:\w+ ){0,2}(?:by mistake|by accident)",
    r"(?:an )?additional (?:\d+ ?mg )?(?:dose|pill|tablet)", r"both (?:\w+ ){0,3}together",
    # round ten (M): a count for the day ("so that's 2 today", "ya van dos hoy"), two without noticing, "take double"
    r"(?:that s|thats|that makes|so) (?:2|two|3|three) (?:today|tonight|for today|in one day)\b",
    r"(?:ya )?(?:van|llevo|lleva) (?:2|dos|3|tres) (?:hoy|en el dia|pastillas hoy)\b",
    r"(?:tomado|tome|tomo|took|taken) (?:dos|2|tres|3|two|three) sin (?:darme|darse|darnos) cuenta", r"\btake double\b",
    # round eleven (L, P): a count of three or more taken ("took 6 tabs", "me tome 4 pastillas", "her evening baclofen x3"), a
    # week's pills at once ("se tomo las de toda la semana"), "la de la noche y otra mas"
    r"(?:took|taken|had|swallowed|ingested|tomo|tome|tomado|tomaron) (?:\w+ ){0,2}?(?:[3-9]|1\d|three|four|five|six|seven|eight|nine|ten|"
    r"tres|cuatro|cinco|seis|siete|ocho|nueve|diez) (?:of (?:her|his|my|the|their) )?(?:\w+ )?(?:pills|pastillas|pastillitas|tablets|tabs|"
    r"tabletas|pildoras)\b",
    r"(?:baclofen|pills?|dose|tabs?|tablets?|meds) x ?[2-9]\b(?! (?:a|per) (?:day|dia))(?! (?:attempts?|tries|tried|intentos?|veces intentad\w*))",
    r"(?:took|taken|swallowed|tomo|tome|tomado|se tomo) (?:\w+ ){0,2}(?:(?:las|los) (?:pastillas |pildoras )?de toda la semana|"
    r"(?:a |the |her |his |my )?(?:whole |entire )?week s (?:worth|pills|doses))",
    r"(?:y|and) otra mas\b",
    # round sixteen (AP1, AR2): "me tome la de las 8 y otra a las 10", "por duplicado"
    r"\by otra (?:a las|como a las|a eso de las|tipo) \d+", r"\bpor duplicado\b", r"\b(?:dosis|pastilla|toma) duplicada\b",
    # round twelve: the whole bottle, what was left of it ("se tomo el pote completo de pastillas", "took the whole bottle",
    # "se tomo todas las pastillas que quedaban en el frasco")
    r"(?:took|taken|swallowed|drank|ate|tomo|tome|tomado|se tomo) (?:\w+ ){0,2}?(?:the |a |her |his |my )?(?:whole|entire|full) "
    r"(?:bottle|pack|box|blister|strip|supply)",
    r"(?:tomo|tome|tomado|tomaron) (?:\w+ ){0,2}?(?:el|la|todo el|toda la) (?:pote|frasco|bote|caja|botella|tira)(?: entero| completo| entera| completa)?\b",
    # round fourteen (AC-AJ): one dose and then another said with its strength ("took my 10 then another 10"), the count that
    # sums two givers up ("so he got two", "so she take 2 this morning"), N at once ("me meti tres de una vez"), N of the
    # named pills ("took like 6 of the baclofens"), a bottle N tablets short, all of them taken ("se las tomo todas"), the
    # organiser emptied in Spanish ("el pastillero esta vacio"), one of another person's pills ("se tomo una pastilla de su
    # esposa": writers AC2, AF1, AG2, AI2)
    r"\bthen (?:another|one more|a second) (?:\d+|one|pill|dose|tab\w*)\b",
    r"(?<=\bso )(?:she |he |i |they |mom |dad )?(?:take|took|takes|got|get|had|has had) (?:2|two|3|three)\b(?! (?:more|left|days?|hours?|weeks?)\b)",
    r"(?:two|2|three|3|dos|tres|tre|cuatro|4) (?:\w+ )?de (?:una|un) (?:vez|jalon|golpe)\b",
    r"(?:took|taken|had|swallowed|tomo|tome|tomado|se tomo) (?:like |about |around |como |unas |unos )?(?:[3-9]|1\d|three|four|five|six|seven|"
    r"eight|tres|cuatro|cinco|seis|siete|ocho) of (?:the|his|her|my|their) (?:\w+ )?(?:baclofens|pills|tablets|tabs|meds)\b",
    r"(?:bottle|pack|blister|frasco|bote) (?:is |was |s )?(?:\d+|two|three|four|five|six) (?:pills?|tabs?|tablets?) short\b",
    r"(?:se|me) las tom(?:o|e|aron) todas\b",
    r"pastillero (?:de (?:la|toda la) semana|entero|completo)(?: \w+){0,3} (?:esta|estaba|quedo) vaci[oa]\b",
    r"(?:tomo|tome|se tomo|me tome|le di|le dio|agarro) una (?:pastilla|pildora|tableta) de (?:su|mi) (?:esposa|esposo|marido|mujer|"
    r"hermana|hermano|suegra|suegro|vecina|vecino|abuela|abuelo|hija|hijo|nieta|nieto|tia|tio|prima|primo)\b",
    r"(?:took|taken|swallowed|tomo|tome|tomado|tomaron) (?:all|todas|todos) (?:of )?(?:the |las |los |her |his |my |sus |mis )?(?:\w+ )?"
    r"(?:pills?|pastillas?|tablets?|tabletas?|pildoras?|tabs?) (?:que (?:quedaban?|habia|tenia)|left|in the bottle|del frasco|en el frasco)",
)
_QUESTION_WORDS = re.compile(r"\b(?:should i|should she|should he|can i|can she|can he|is it ok|is it okay|"
                             # round seventeen: the inverted "am I supposed to", with no question mark
                             r"(?:am i|are we|is (?:she|he)) supposed to|"
                             r"do i|(?<!no )(?<!no me )(?<!no se )(?<!no lo )(?<!no la )(?<!si )(?:puedo|debo|deberia)|me tomo|"
                             r"le doy)\b(?! (?:la |lo )?(?:cuando|en cuanto|al rato|mas tarde|despues|luego)\b)")



# Round twelve: a question opening after what is said, with no stop between ("forgot my lunch one, should I take it now
# or wait?", "he threw it up should I give him another one?"): what comes before it is said, not asked.
_MID_QUESTION = re.compile(r"(?<=\w )(?:(?:should|can|could|do) (?:i|we) (?:just )?(?:take|give|try)|(?:me la|se la|me lo|se lo) (?:tomo|doy)|"
                           r"(?:le|me) (?:doy|tomo)|(?:puedo|debo) (?:tomar|dar)\w*|"
                           # round fifteen (Z2, AN): a worry asked after what was said ("took the evening dose twice, should I be
                           # worried?", "me tome una de las de mi senora ..., me va a pasar algo?")
                           r"should (?:i|we) (?:be )?(?:worried|worry|concerned)|(?:do|does) (?:i|we) (?:need|have) to (?:worry|be worried|be concerned)|is it (?:ok|okay|safe|alright) (?:to|if)|(?:me|le|nos) va a pasar algo|"
                           r"what (?:should )?(?:i|we) (?:should )?watch for)\b")


_WORRY_ASKED = re.compile(r"\b(?:do|does) (?:i|we) (?:need|have) to (?:worry|be worried|be concerned)\b")


def _said_then_asked(words: str, asked: bool) -> list[tuple[str, bool]]:
    # round sixteen (AO2): a worry asked with no question mark ("took it again 20 min later do i need to worry") is cut off too
    match = _MID_QUESTION.search(words) if asked or _WORRY_ASKED.search(words) else None
    if match is None or _IF_BEFORE.search(words[:match.start()]) or _HYPOTHETICAL.search(words):
        return [(words, asked)]
    return [(words[:match.start()].strip(), False), (words[match.start():], True)]


def _dose_stated(clauses: list[tuple[str, bool]]) -> bool:
    """A clause said, not asked, that reports a dose in the dose tables' own words and asks nothing about it."""
    for words, asked in clauses:
        if asked or _QUESTION_WORDS.search(words):
            continue
        words = _dose_words(as_meant(words))
        if any(not _denied_before(words[:m.start()]) and not _UNSURE_BEFORE.search(words[:m.start()])
               for m in _TAKEN_RE.finditer(words)) or _NOT_TAKEN_RE.search(words):
            return True
    return False


def _dose(clauses: list[tuple[str, bool]], reply: Reply, *, symptomatic: bool, reassuring: bool, supply: bool,
          sender: Sender = "patient") -> tuple[Dose, int | None]:
    """The dose the text reports. The last clause that says something about a dose decides ("forgot,
    taking it now" is taken; "took it this morning but forgot the noon one" is not). A question
    never reports a dose: "should I take two now?" records nothing, and a question about dosing
    ("I missed it, should I double up?") makes the text a question, not a missed dose."""
    if reply.intent == "extra_dose" and not any(asked or _QUESTION_WORDS.search(words) or _TOPIC_EXTRA.search(words) or _TOPIC_BEFORE.search(
            words.split(" twice")[0]) and " twice" in words for words, asked in clauses):
        return "extra", reply.doses
    # round seventeen: the taken words read as something else (a meal, a count to be found, a measurement): the reply parser's
    # "taken" from the same words is no dose either ("gonna check the bottle see how many she took")
    spoken_away = any(_TAKEN_RE.search(words) and not _TAKEN_RE.search(_dose_words(words)) for words, _ in clauses)
    clauses = [(_dose_words(part), part_asked) for words, asked in clauses for part, part_asked in _said_then_asked(words, asked)]
    extra = False
    # Unsure whether it was taken: an emptied pill-box slot is why they think so, not a second dose.
    unsure = any(_UNSURE_ANYWHERE.search(words) or _DOUBT_OPENING.match(words) for words, _ in clauses)
    last: Dose = "none"
    weak = late = False
    timed_taken = forgot_why = False
    previous_episode = False
    previous_asked = False
    previous_words = ""
    asked_about_dosing = missed_if = asked_double = asked_crushing = False
    their_own_taken = missed_by_other = in_trouble = ""
    other_fine = False
    for words, asked in clauses:
        if asked or _QUESTION_WORDS.search(words):
            asked_about_dosing = asked_about_dosing or _DOSING_WORDS.search(words) is not None
            asked_double = asked_double or _DOUBLING.search(words) is not None
            asked_crushing = asked_crushing or _CRUSHING.search(words) is not None
            previous_asked = True
            continue
        bare_forgot = _BARE_FORGOT.fullmatch(words) is not None
        if bare_forgot and (previous_asked or _TOLD_ME.search(previous_words)):
            continue  # round thirteen (R): "la de la noche era una o dos? se me olvido": forgot the answer, not a dose
        previous_asked = False
        previous_words = words
        if dispensed := _DISPENSED.search(words):
            if dispensed_then_taken(words, dispensed):
                extra = True  # round fifteen: "pharmacy gave me 20s instead of my 10s and I took one" (A, E, J, K, N, Q, AB, AL, AM)
            continue  # "the pharmacy gave me 20mg instead of 10mg": a supply problem, not a dose
        episode = _EPISODE.search(words) is not None and _DOSE_WORD.search(words) is None
        if not episode and any(not _denied_before(words[:m.start()]) and not _TOPIC_BEFORE.search(words[:m.start()])
                               and not ((unsure or _SLOT_BEFORE.search(words[:m.start()])) and _PILLBOX_EMPTY.match(m.group()))
                               for m in _EXTRA_RE.finditer(words)):
            extra = True  # not "no double dose", nor "got your msg about the extra dose"
        taken_spans = [(m.start(), m.end()) for m in _TAKEN_RE.finditer(words) if not _denied_before(words[:m.start()])
                       and not _UNSURE_BEFORE.search(words[:m.start()]) and not _SOMEONE_ELSE_BEFORE.search(words[:m.start()])
                       and not _PURPOSE_BEFORE.search(words[:m.start()])]
        not_spans = [(m.start(), m.end()) for m in _NOT_TAKEN_RE.finditer(words)]
        taken_at = [start for start, _ in taken_spans if not any(a < start < b for a, b in not_spans)]
        not_at = [m.start() for m in _NOT_TAKEN_RE.finditer(words)
                  # round fifteen (AA1): a miss read inside a dose taken is none ("I watched her take it at 8:10": not "take it
                  # at", a dose put off)
                  if not any(a < m.start() < b for a, b in taken_spans if a in taken_at)
                  # round fifteen: a forgetting or a sleep-in said after the dose taken is why it came late or unreported, not a
                  # dose missed ("taking it now sorry forgot", "ya se la di, se le habia olvidado", "took my 8 o'clock at half past
                  # 9, I overslept"); a forgetting that names a dose or a day still misses one ("took it but forgot the noon one")
                  and not ((any(start < m.start() for start in taken_at) or last == "taken")
                           and _FORGOT_AFTER_TAKEN.match(words[m.start():]))
                  # round thirteen (R, U): "had a seizure back in march, none since" is a history, not doses gone by
                  if not (m.group().startswith(("none since", "had none")) and _DOSE_WORD.search(words) is None
                          and (_EPISODE.search(words[:m.start()]) or previous_episode))]
        previous_episode = _EPISODE.search(words) is not None and _DOSE_WORD.search(words) is None
        missed_if = missed_if or any(_IF_BEFORE.search(words[:start]) for start in not_at)
        # round twelve: a miss supposed is no miss ("if i take it at 8:45 instead of 8 does that mess anything up", "if I cant
        # swallow the pills anymore can they be crushed")
        not_at = [start for start in not_at if not _SUPPOSED_BEFORE.search(words[:start])]
        late = late or _TAKEN_LATE.search(words) is not None
        # "I'm at work" from a caregiver says where they are, not that the patient has not taken it.
        weak = weak or any(not (sender == "caregiver" and _FIRST_PERSON_BEFORE.search(words[:m.start()]))
                           and not _OBJECT_BEFORE.search(words[:m.start()])
                           # round fifteen (AM, AN): asleep supposed ("si un dia se pone bien dormida") or gone by ("he was just
                           # asleep", "se habia quedado dormido") puts no dose off
                           and not _SUPPOSED_BEFORE.search(words[:m.start()]) and not _HYPOTHETICAL.search(words[:m.start()])
                           and not _ASLEEP_BEFORE.search(words[:m.start()])
                           and not _denied_before(words[:m.start()]) for m in _WEAK_NOT_TAKEN_RE.finditer(words))
        subject = _subject_of(words)
        if taken_at and not not_at and subject and (_THEIR_OWN.search(words) or _TITLED.match(words) and subject not in _PRONOUNS):
            their_own_taken = subject
            # the other one said fine, after the one in trouble was named ("Chayo no sabe quién soy ... Ramiro ya se tomó la suya")
            other_fine = other_fine or bool(in_trouble) and _FINE.search(words) is not None
        elif not taken_at and subject and (not_at or _STILL_NOT.search(words) or any(
                _denied_before(words[:m.start()]) for m in _TAKEN_RE.finditer(words))):
            missed_by_other = subject
        if not taken_at and not their_own_taken and subject and subject not in _PRONOUNS and (symptom_text.symptoms_in(words) or any(
                deniable.search(words) or undeniable is not None and undeniable.search(words) for deniable, undeniable in _SIGN_RE.values())):
            in_trouble = subject
        if taken_at or not_at:
            last = "taken" if max(taken_at, default=-1) > max(not_at, default=-1) else "not_taken"
        if taken_at and _CLOCK_TIME.search(words):
            timed_taken = True
        forgot_why = bool(not_at) and (_BARE_FORGOT.fullmatch(words) is not None or any(
            _FORGOT_WORD.match(words[start:]) and _CAUSE_AFTER.fullmatch(words[start:]) for start in not_at))
    if extra:
        return "extra", reply.doses or 2
    if last == "taken" and _stronger_than_usual(" ".join(words for words, asked in clauses if not asked)):
        return "extra", None  # round thirteen (U, V): "Doc says 10mg but I took 20", "tomaba de 10. ya me tome una de 20"
    if late and last == "not_taken":
        last = "taken"
    if last == "not_taken" and timed_taken and forgot_why:
        last = "taken"  # round thirteen (R): "se la di ahorita a las 10, se me olvido con el lio de la manana": given late
    if last == "not_taken" and _DISCONTINUED.search(" ".join(words for words, _ in clauses)):
        return "none", None  # round thirteen (R): "el doctor me la fue quitando ... ya no la tomo": no dose is due  # "me la tome tarde, se me olvido": forgetting is why it was late, not a dose missed
    if last == "none" and not asked_about_dosing and any(_STILL_THERE.search(words) and not asked for words, asked in clauses):
        last = "not_taken"  # round eight (I): "her 8 oclock pills still sitting on the nightstand"
    if last == "taken" and any(_STILL_THERE.search(words) for words, _ in clauses):
        return "none", None  # "aide says she gave it but the pill is still sitting in the cup"
    if last == "taken" and any(_SAID_TAKEN.search(words) for words, _ in clauses) and any(
            _DOUBTED_AFTER.search(words) for words, _ in clauses):
        return "none", None  # round sixteen (AP1, AO2): "dice que se la tomo pero yo creo que no", "says she took it but the slot is full"
    if last == "taken" and any(_DOUBT_OPENING.match(words) for words, _ in clauses[1:]):
        return "none", None  # round seventeen: a dose believed, then doubted ("I think she took it but I can't tell", "... pero no estoy segura, salí temprano")
    if last == "taken" and sender == "caregiver" and their_own_taken and missed_by_other and their_own_taken != missed_by_other:
        # round seventeen: a caregiver of two, one has had theirs and the other not yet ("Ray took his at 8, Joanie's is the one
        # that's late", "Don Chepe todavía no ... La Lupe sí ya se la tomó"): the dose to act on is the one not taken
        return "not_taken", None
    if last == "taken" and sender == "caregiver" and their_own_taken and their_own_taken not in _PRONOUNS and other_fine and in_trouble \
            and in_trouble != their_own_taken:
        # round seventeen: the other one fine and dosed, beside a sign in the one alerted about ("Chayo no sabe quién soy ...
        # Ramiro ya se tomó la suya, él está bien"): no dose is reported for the patient in trouble
        return "none", None
    if last == "taken" and any(_UNSURE_CLAUSE.fullmatch(words) for words, _ in clauses):
        return "none", None  # "creo que si se la tomo ..., pero no estoy segura": doubt said after
    if last == "not_taken" and asked_crushing and any(_CANT_SWALLOW.search(words) for words, asked in clauses if not asked):
        return "none", None  # round fifteen (Z1, AA2): "can't swallow them, can I crush them?": how to take it, no dose missed
    if asked_about_dosing and last == "not_taken" and (missed_if or unsure or asked_double):
        # Round twelve: a miss supposed ("si se me olvida una, ¿me tomo la siguiente?", "if she misses one should I give it
        # later?"), doubted ("she swears she didn't. Should I give it?") or asked about doubling up ("se me pasó la de la
        # mañana, ¿me tomo dos?": the issue's "should I double up?", B's call; S, M and N label the miss too) is the question
        # alone; a miss said in a clause of its own and asked about otherwise ("forgot the morning one, should I take it now or
        # wait?", "no se la he dado ..., ¿se la doy cuando se levante?") is a dose not taken.
        return "none", None
    if last == "none" and not asked_about_dosing and not (clauses and all(asked for _, asked in clauses)) and (
            reply.intent == "taken" and not spoken_away or (
            reply.intent == "not_taken" and not reassuring and not symptomatic and not supply
            # round seventeen: nor where the text doubts whether it was taken ("se le olvida si ya se la tomó")
            and not unsure
            # round fifteen (AL, AM): nothing in the tables, and a question asked: the question's context, not a miss
            # ("can i drink on this stuff or nah", "Is twitching a side effect? I don't have any")
            and not any(asked for _, asked in clauses)
            and not any(_FORGETTING_NO_DOSE.search(words) for words, _ in clauses))):
        last = reply.intent
    if last == "none" and weak and not symptomatic and not any(_SLEEPINESS_DESCRIBED.search(words) for words, _ in clauses):
        # round thirteen (V): sleep that overtakes them ("se quedo dormido en medio de la comida ..., lo despierto y se vuelve a
        # dormir", "me duermo de pie hasta en la ducha") describes sleepiness, not a dose put off; "still asleep" puts it off
        last = "not_taken"
    if last == "none" and not asked_about_dosing and any(
            _EXHAUSTED.search(words) for words, asked in clauses if not asked) and any(
            _DOSE_MISSED_HINT.search(words) for words, _ in clauses):
        # "ran out, no pills for today's dose": a dose said missed. Pills run out with no dose named
        # is the supply problem alone (writers A, C and D; B read the next dose as not taken).
        last = "not_taken"
    if last == "none" and symptomatic and not asked_about_dosing and any(
            _RAN_OUT_ON_DAY.search(words) for words, asked in clauses if not asked):
        # Round eleven (P): "heart racing ..., I ran out of pills el sabado": run out days ago with withdrawal signs,
        # doses have gone by (as F-P label it); without a sign "we ran out on sunday" stays the supply problem alone.
        last = "not_taken"
    return last, None


# Round twelve: words the dose tables read once put plainly. A measurement taken is no dose ("le tome la presion",
# "I took her temperature"); Spanish with the d dropped ("me la he tomao", "se la he dao": Andalusia, the Caribbean);
# Jamaican "tek" for took ("Miss Beverly tek hers at 10").
DOSE_SPEECH: tuple[tuple[str, str], ...] = (
    (r"\b(?:took|take|takes|taking|taken|tome|tomo|tomado|tomamos|tomaron|tomar|tomarle|tomando|checked|check|checking|medi|midio|"
     r"medimos)(?: (?:my|his|her|their|the|su|sus|la|el|le|me|se|mi|a))* (?:blood pressure|bp|temp\w*|sugar|glucose|pulse|oxygen|o2|"
     r"sats?|vitals|presion|tension|temperatura|fiebre|glucosa|azucar|pulso|saturacion|oxigeno)\b", "measured"),
    # round fourteen: dictation's "back clofen", "tuck it" for took it
    (r"\bback clofen\b", "baclofen"),
    # round fifteen: more of dictation's baclofen ("took the back of in twice", "the back loaf in", "back low fin")
    (r"\b(?:back|bag) (?:of|loaf|low|lo) ?(?:in|fin|fen)\b", "baclofen"), (r"\btuck (it|them|my|her|his)\b(?! in\b)", r"took \1"),
    (r"\b(tom|d|administr)ao\b", r"\1ado"), (r"\b(tom|d)aa\b", r"\1ada"), (r"(?<!can )(?<!to )(?<!must )(?<!should )(?<!will )(?<!go )(?<!a )(?<!fi )\btek\b", "took"),
    # round seventeen: a thing had or taken is no dose. Food and drink ("had my oatmeal and my coffee", "ya se tomó su café"),
    # not a dose named after it ("had my breakfast dose", "had my coffee and my pill", "tomé la del desayuno")
    (r"\b(?:had|took|tomo|tome|drank|ate)(?: (?:my|his|her|their|the|a|an|some|su|sus|el|la|mi|mis|un|una|cup of|glass of|"
     r"bowl of|taza de|vaso de))* (?:oatmeal|coffee|tea|breakfast|lunch|dinner|supper|soup|cereal|toast|eggs?|juice|beer|wine|milk|"
     r"cafe|cafecito|tecito|matecito|mate|cerveza|cervecita|chocolate|atole|avena|sopa|jugo|leche|desayuno|almuerzo|cena|lonche)\b"
     r"(?! (?:one|dose|pills?|meds|tablet|pastillas?|dosis|medicina)\b)(?!(?: \w+){0,2} (?:and|y|with|con|plus) (?:my |his |her |the |"
     r"su |mi |la |el |sus |mis )?(?:\w+ )?(?:pills?|dose|meds|medicine|baclofen\w*|pastillas?|medicina|dosis|it)\b)", "ate"),
    # people had over ("had the grandkids over"), belongings taken away ("i took the xbox")
    (r"\bhad (?:the|my|our|his|her|some|a few)(?: \w+)? (?:grandkids|grandchildren|kids|family|friends|company|guests|visitors|"
     r"neighbou?rs|grandson|granddaughter|sister|brother|cousins|nietos)\b", "saw"),
    (r"\b(?:took|taken) (?:away )?(?:the|his|her|their|my) (?:\w+ )?(?:xbox|playstation|phone|cell|keys|car|ipad|tv|remote|"
     r"controller|games?|laptop|computer|wallet|purse)\b", "removed"),
    # a measurement taken by someone, or said by what it reads ("la tensión bien que me la ha tomado la enfermera", "le tomé y
    # marca 38.9"); not with a dose between ("la presión bien, ya me tomé la pastilla")
    (r"\b(?:presion|tension|temperatura|glucosa|azucar|pulso|saturacion|oxigeno)\b(?: (?!(?:pastillas?|dosis|medicina|baclofen\w*|"
     r"y|pero|ya)\b)\w+){0,5} (?:tomado|tomo|tome|tomaron|tomamos)\b", "measured"),
    (r"\b(?:tome|tomo|tomamos|took it|checked it)(?: \w+)? (?:y|and) (?:marca|marco|salio|reads|read|showed|shows)\b", "measured"),
    # a dose as it may be given, asked or told ("may be crushed and given in applesauce", "can be split and taken with food")
    (r"\b(?:may|might|can|could|should|must|to|will|ll|would) (?:not )?be (?:\w+ (?:and|or) )?(?:given|taken|swallowed|administered)\b",
     "be prepared"),
    (r"\b(?:puede|pueden|debe|deben|podria|podrian|tiene que) ser (?:\w+ (?:y|o) )?(?:tomad|dad|administrad)[ao]s?\b", "ser preparada"),
    # a forgetting whether is doubt, not a dose forgotten ("se le olvida si ya se la tomó", "he forgets whether he took it")
    (r"\b(?:se (?:le|me|nos) )?olvidan? si\b", "no se si"), (r"\bforgets? (?:if|whether)\b", "not sure if"),
    # another medicine taken as a habit ("I also take gabapentin at night", "también tomo omeprazol"): no second dose
    (r"\b(?:also|tambien) (?:take|takes|tomo|toma|toman)\b(?= (?!(?:it|them|one|another|the|a|an|my|his|her|their|la|lo|las|los|otra|"
     r"otro|una|un|dos|two|both|extra|su|sus|mi|mis|baclofen\w*|\d+)\b)\w)", "also uses"),
    # a letter too many or too few, corrected ("Supper. One p too many.", "una letra de más"): a typo, not too many pills
    (r"\b(?:one|an?|una?) (?:[a-z]|letter|letra) (?:too many|too few|de mas|de menos)\b", "typo"),
    # the count taken, unknown ("see how many she took", "a ver cuántas se tomó"); a time before the drug ("worse than before I ever
    # took it"); an event twice or again ("nodded off twice ... and again at the table"); a breath another time ("big heaves then
    # nothing then another one")
    (r"\b(?:how many|how much|cuantas|cuantos|cuanto|cuanta)(?: \w+)? (?:she|he|they|i|we|se|le|me) (?:\w+ )?(?:took|had|tomo|tomaron|dio|di|"
     r"taken|tomado)\b", "the count unknown"),
    (r"\bbefore (?:i|he|she|we|they) (?:ever |first |even )?(?:took|started|had)\b(?: (?:it|them|baclofen|the baclofen))?", "before starting"),
    (r"\b(?:nodded|nods|dozed|dozes|fell|falls|passed|woke|wakes|threw|throws|vomited|se (?:durmio|quedo dormid[oa]|desperto|cayo)|vomito)"
     r"(?: (?:off|asleep|out|up))? (?:\w+ ){0,4}?(?:twice|again|dos veces|otra vez|de nuevo)\b(?: (?:\w+ ){0,4}?(?:and|y) "
     r"(?:again|otra vez|de nuevo)\b)?", "slept"),
    (r"(\b(?:heaves?|gasps?|breaths?|bocanadas?|respiros?)\b(?: \w+){0,8}?) (?:another one|otra)\b", r"\1 a new breath"),
    # a dose put off or withheld in words the tables read as taken: "me la tomo al rato" (first person, present), "no se a tomado"
    # (dictation's "a" for "ha"), "I dont want to give him another one", "no quiero darle otra"
    (r"\bme (?:la|lo) tomo (?:\w+ )?(?:mas tarde|luego|despues|al rato|en un rato|en la tarde|en la noche|cuando (?:llegue|vuelva|"
     r"regrese|salga|termine))\b", "me la voy a tomar mas tarde"),
    (r"\b(se|le|me) a (tomado|dado)\b", r"\1 ha \2"),
    (r"\b(?:don t|dont|do not|no) (?:want|quiero|queremos|quiere) (?:to )?(?:give|dar|take|tomar)(?:le|la|lo|sela|me)? (?:him |her |them )?"
     r"(?=(?:another|otra|otro|one more|una mas|extra)\b)", "no "),
    # a look taken on ("lips have taken on a bluish cast")
    (r"\b(?:taken|took|taking) on (?:a |an |the )?(?:\w+ ){0,2}(?:cast|colou?r|tinge|tint|hue|look|shade)\b", "turned"),
    # round eighteen: "dar al botón / al 3" is pressing it ("él le dio al 3 sin querer", "le di al botón que no era"), no dose given
    (r"\b(?:le |se )?(?:di|dio|dimos|dieron|doy|dale|darle|picale|pique|pico) (?:al|a la) (?:boton\w*|numero|tecla|opcion|pantalla|\d)\b",
     "pressed"),
    # a thing handed over, said in a clause of its own after it ("lost the paper they gave me", "el papel que me dieron"): no dose
    (r"\b(?:paper|papers|papel\w*|sheet|hoja|list|lista|card|tarjeta|schedule|horario|instructions|instrucciones|number|numero|"
     r"bag|bolsa|box|caja|form|forma|folleto|pamphlet|leaflet)(?: (?:that|which|que))?(?: (?:they|she|he|you|we|the \w+|la \w+|el \w+))?"
     r"(?: (?:me|us|him|her|nos|le|les))? (?:gave|given|dio|dieron|dan|da)\b(?: (?:me|us|him|her))?", "the thing handed"),
)
_DOSE_SPEECH: tuple[tuple[re.Pattern[str], str], ...] = tuple((re.compile(p), r) for p, r in DOSE_SPEECH)


# Round thirteen: a forgetting said alone or with its cause ("se me olvido con el lio de la manana", "I forgot, busy morning").
# (the forgetting, and the cause that may follow it, written once for the three patterns below)
_FORGETTING = r"(?:forgot|forget|olvid\w*|se me (?:olvido|paso))"
_ITS_CAUSE = r"(?: (?:it|lo|la))?(?: (?:con|with|because|por|porque|cuz|bc|cause|due)\b.*)?"
_BARE_FORGOT = re.compile(r"(?:pero |but |y |and |sorry |perdon )?(?:se me (?:olvido|paso)|(?:i )?forgot|(?:me )?olvide|i forget)"
                          + _ITS_CAUSE)
_FORGOT_WORD = re.compile(_FORGETTING + r"\b")
_CAUSE_AFTER = re.compile(_FORGETTING + _ITS_CAUSE)
# Forgetting that is no dose missed: negated ("help me not forget", "a no olvidar"), or of the schedule, the time, the amount.
_FORGETTING_NO_DOSE = re.compile(r"\b(?:not|no|never|don t|dont|a no|para no|pa no) (?:forget|olvid\w*)\b|\b(?:forgot|forget|olvid\w*) "
                                 r"(?:el |la |the |my |mi )?(?:schedule|horario|hora|time|times|dosage|amount|cuantas|how many|what time|a que hora)\b"
                                 # round fifteen: a fact forgotten ("se me olvido lo que me explico la enfermera")
                                 r"|\b(?:olvid\w*|forgot|forget|forgetting) (?:lo que|donde|por que|what|where|why|who)\b"
                                 # round sixteen (AQ2): things forgotten ("se le olvidan las cosas", "se me olvidan los nombres")
                                 r"|\bolvid\w* (?:las |los )?(?:cosas|nombres|palabras|fechas|caras)\b")
_FORGOT_AFTER_TAKEN = re.compile(r"(?:overslept|slept in|me quede dormid\w*|(?:forgot|forget|olvid\w*|se me paso)"
                                 r"(?!.*\b(?:it|them|ones?|doses?|pills?|tablets?|tabs?|meds?|medicine|medication|baclofen\w*|"
                                 r"pastillas?|dosis|medicina|mine|hers|today|tonight|hoy|esta noche|yesterday|ayer|morning|noon|"
                                 r"evening|night|manana|noche|tarde|mediodia|\d+)\b))")
_CRUSHING = re.compile(r"\b(?:crush\w*|grind|split|cut (?:them|it) in|dissolve|disolver\w*|tritur\w*|moler\w*|machac\w*|partir\w*|"
                       r"molid\w*|deshacer\w*)")
_CANT_SWALLOW = re.compile(r"\b(?:swallow\w*|tragar\w*)\b")
_ASLEEP_BEFORE = re.compile(r"\b(?:was|were|had been|se habia quedado|se habian quedado|estaba nomas|was only)(?: just| only| nomas)?\s*$")
# round fifteen (AM1): "el doctor me dijo pero se me olvido": the answer forgotten, not a dose
_TOLD_ME = re.compile(r"\b(?:me dijo|me lo dijo|nos dijo|told me|told us|said)$")
# Round fifteen: a stronger tablet dispensed ("instead of", "en vez de", "wrong strength") and one of them taken or given, outside
# the pharmacy's own "gave": eleven rows of nine writers label it an extra dose and no supply problem. The dispensing alone
# ("my pharmacy gave me 20mg instead of 10mg. do i take half?") stays the supply problem.
_STRENGTH_SWAP = re.compile(r"\b(?:instead of|en vez de|en lugar de|wrong strength)\b")


def dispensed_then_taken(words: str, dispensed: re.Match[str] | None = None) -> bool:
    """A stronger tablet dispensed and one of them taken: "pharmacy gave me 20s instead of 10s and I took one"."""
    dispensed = dispensed or _DISPENSED.search(words)
    return dispensed is not None and _STRENGTH_SWAP.search(words) is not None and any(
        not (dispensed.start() <= m.start() < dispensed.end()) and not _denied_before(words[:m.start()])
        for m in _TAKEN_RE.finditer(words))


_CLOCK_TIME = re.compile(r"\b(?:a las|at|@|around|como a las) \d+|\b\d+ ?(?:am|pm)\b|\b\d{1,2} \d\d\b|\b1[0-9]00\b")
# A dose taken off by the doctor is no longer due: "el doctor me la fue quitando", "the neuro took me off it", "discontinued".
_DISCONTINUED = re.compile(r"\b(?:doctor|dr|doc|neuro\w*|medico|neurologo|neurologa)\b(?: \w+){0,4} (?:me |se |le )?(?:la |lo )?(?:fue )?"
                           r"(?:quit\w*|bajando|took (?:me|her|him) off|taken (?:me|her|him) off|discontinu\w*|tapered|weaned)|"
                           r"\bdiscontinued\b|\b(?:tapered|weaned) (?:me |her |him )?off\b")
_SLEEPINESS_DESCRIBED = re.compile(r"\b(?:(?:se|me) (?:queda|quedo|vuelve a) dorm\w* (?:hasta |en medio|a media|mientras|hablando|comiendo|con)|me duermo|se duerme|"
                                   r"(?:vuelve|volvio) a dormir\w*|(?:lo|la|le) despierto|falls? asleep (?:in|at|during|mid|while|talking|eating)|"
                                   r"falling asleep (?:in|at|during|mid|while|talking|eating)|"
                                   r"dozing off|nodding off|cabecea\w*|(?:can t|cant|cannot) stay awake|no (?:puedo|puede) mantener\w*)\b")


# Round thirteen (U, V): the wrong (higher) strength, said as two numbers - the usual or prescribed one, then the one taken.
_USUAL_STRENGTH = re.compile(r"\b(?:says?|said|dice|dijo|prescribed|prescribes|supposed to (?:take|be)|dose is|script (?:is|says)|"
                             r"usually (?:take|takes|get|gets)|normally (?:take|takes)|(?:i m|im|i am|she s|he s) on|tomaba|toma|tomo|me toca|le toca|"
                             r"(?:me|le) (?:receto|recetaron|mando|mandaron)|es de|son de)(?: (?:de|only|just|solo|is|me|la|el|una de|take|tomar))* "
                             r"(\d+) ?(?:mg|miligramos)?\b")
_TAKEN_STRENGTH = re.compile(r"\b(?:took|take|tome|tomo|gave|give|di|dio|se tomo|me tome|le di)(?: (?:me|her|him|una|one|a|an|the|la|el|"
                             r"una pastilla|a pill|a tab))*(?: de| of)? (\d+) ?(?:mg|miligramos)?\b")


def _stronger_than_usual(words: str) -> bool:
    if not re.search(r"\d ?mg\b|\bde \d+\b|miligramos", words):
        return False
    for usual in _USUAL_STRENGTH.finditer(words):
        taken = _TAKEN_STRENGTH.search(words, usual.end())
        if taken and 5 <= int(usual.group(1)) < int(taken.group(1)) <= 4 * int(usual.group(1)):
            return True
    return False


def _dose_words(words: str) -> str:
    for pattern, replacement in _DOSE_SPEECH:
        words = pattern.sub(replacement, words)
    return words


# "Another one", "again", "the second one" about a seizure, with no dose named: an episode, not a dose.
_EPISODE = re.compile(r"\b(?:seiz\w*|fits?|ataques?|convuls\w*|episodes?|spells?|crisis)\b")
_DOSE_WORD = re.compile(r"\b(?:pills?|doses?|tabs?|tablets?|meds?|medicine|baclofen\w*|pastillas?|dosis|medicina|mg)\b")
# A topic, not a report: "got your msg about the extra dose".
_TOPIC_BEFORE = re.compile(r"\b(?:about|re|regarding|sobre|acerca de|lo de|what to do about|said|told you|texted|replied|"
                           r"answered|wrote|dije|escribi|conteste)(?:\s+\S+){0,2}\s*$")
_TOPIC_EXTRA = re.compile(r"\b(?:about|re|regarding|sobre|acerca de|lo de)(?: \w+){0,2} (?:double|extra|another|doble|otra)\b")
# Someone else had it: "her friend had it on a different med".
_SOMEONE_ELSE_BEFORE = re.compile(r"\b(?:friend|neighbou?r|cousin|coworker|co worker|aunt|uncle|amig[oa]|vecin[oa]|prim[oa]|"
                                  r"colleague)s?\s*$")
# Taken, late: "took it late", "me la tome tarde", "lo tome late porque me quede dormida".
_TAKEN_LATE = re.compile(r"\b(?:took|taken|had|gave|tome|tomo|tomado|di|dio)(?: \w+){0,3} (?:late|(?<!la )(?<!esta )tarde|later than usual|"
                         r"con retraso)\b|"
                         # round eight (I): "lo tome pero tarde, se me paso": the "but" cut the clause
                         r"^(?:tarde|late|later than usual|con retraso)\b")
_FIRST_PERSON_BEFORE = re.compile(r"\b(?:i m|im|i am|i was|estoy|estaba)(?: (?:stuck|still|busy|working|trabajando|atorad[oa]|ocupad[oa]))?"
                                  r"(?: (?:in the loop|in traffic|in a meeting))?\s*$")
# Round ten (M, N): "stop texting me at work" says where the writer is; "le hablo para que se la tome" is a purpose,
# not a dose taken.
_OBJECT_BEFORE = re.compile(r"\b(?:me|us)\s*$")
# Round thirteen (U): going to see whether it was taken ("a ver si se la tomo", "make sure she took it") reports no dose.
_PURPOSE_BEFORE = re.compile(r"\b(?:para que|pa que|(?:le |les )?(?:dije|digo|pedi|pido) que|so (?:that )?(?:she|he|they|mom|dad)|to (?:make|get) (?:her|him|them|mom|dad)(?: to)?|"
                             r"make sure|making sure|asegurar\w*(?: de)?(?: que)?|(?:a |para |pa )?ver si|(?:to )?see (?:if|whether)|"
                             r"check (?:if|whether)|find out (?:if|whether)|averiguar si)"
                             r"(?: \w+){0,3}\s*$")
_DOSE_MISSED_HINT = re.compile(r"\b(?:no dose|(?:today|tonight|this morning)s? dose|for (?:today|tonight|this morning)|"
                               r"since (?:\w+day|yesterday|sat|sun|mon|tue|wed|thu|fri|last)|skipp\w*|missed|"
                               # round eleven (L, P): "se me acabaron desde el lunes" (since, as "since Monday")
                               r"desde (?:el |hace )?(?:lunes|martes|miercoles|jueves|viernes|sabado|domingo|\w+ dias)|"
                               r"(?<!tengo )(?<!tiene )(?<!tenemos )(?<!alcanza )(?<!queda )para (?:hoy|esta noche)|sin tomar\w*|no (?:la |lo )?(?:he )?tomado|"
                               # round five (F, G): run out days ago, so doses have gone by (not "ran out
                               # yesterday": writers D and E label that the supply problem alone, F and G not)
                               r"(?:ran out|acab\w*|termin\w*) (?:\w+ ){0,2}(?:(?:\d+|two|three|a few|several) days ago|hace (?:\d+|dos|tres|unos|varios) dias)|"
                               # round seven (J): a stretch since they ran out ("since I ran out Friday", "out since Sat",
                               # "desde que se le acabaron ... el lunes"); not "ran out on sunday" alone (writers differ)
                               r"(?:since (?:\w+ ){0,2}(?:ran out|run out)|been out since|out since) (?:on )?(?:monday|tuesday|wednesday|"
                               r"thursday|friday|saturday|sunday|mon|tue|tues|wed|thu|thurs|fri|sat|sun|lunes|martes|miercoles|jueves|viernes|"
                               r"sabado|domingo)|desde que se (?:me |le |nos )?(?:acab|termin)\w*)\b")
# Pills already gone (not running low): the dose due cannot be taken.
_EXHAUSTED = re.compile(r"\b(?:ran out|(?:we re|were|we are|i m|im|i am) out\b|(?:been|s|is|are) out since\b|out of (?:my |the |her |his )?(?:pills|meds|"
                        r"medication|medicine|baclofen|tablets)|se (?:me |le |nos )?(?:acabo|acabaron|termino|terminaron)|"
                        r"no (?:tengo|tiene|tenemos) (?:mas|(?:las |mis |sus )?pastillas?|(?:la |mi |su )?medicina)|(?:none|no|nothing) (?:pills |meds |tablets )?"
                        r"left|no (?:pills|meds|tablets) (?:for|left)|sin pastillas|(?:me|se|le|nos) (?:quede|quedo|quedamos|quedaron) sin (?:\w+ )?(?:pastillas?|medicinas?|medicamentos?|baclofen\w*|pildoras?)|no (?:me |le )?queda(?:n)?(?:$| (?:ninguna|nada|pastillas)))")


# Doubt whether the dose was taken ("not sure I took the 8am", "no se si me la tome") reports no dose.
_UNSURE_BEFORE = re.compile(r"\b(?:not (?:entirely |totally |completely |quite |100 )?(?:sure|certain)|unsure|no se si|no estoy (?:del todo |muy |completamente )?segur\w*|(?:don t|dont|do not|can t|cant|cannot) "
                            # (round seventeen: "can't for the life of me remember if")
                            r"(?:\w+ ){0,5}?(?:remember|recall)|no (?:me )?acuerdo|no recuerdo|i don t know if|idk if|dunno if)\b"
                            r"(?:\s+\S+){0,4}\s*$")
_UNSURE_ANYWHERE = re.compile(r"\b(?:not (?:entirely |totally |completely |quite |100 )?(?:sure|certain) (?:if|whether)|no se si|(?:don t|dont|do not|can t|cant|cannot) (?:remember|recall)|"
                              r"(?:swears?|insists?|jura|dice) (?:that |que )?(?:she|he|i|they)? ?(?:didn t|didnt|did not|never|no (?:se |me )?(?:la |lo )?)|"
                              r"no (?:me )?acuerdo|no recuerdo)\b")
_PILLBOX_EMPTY = re.compile(r"pill ?(?:box|organi[sz]er|case)|pastillero")
# Round twelve: one slot of the box empty ("Tuesday noon slot in her pill box is empty") is that dose taken, not the box.
_SLOT_BEFORE = re.compile(r"\b(?:slot|compartment|casilla|cajita|espacio)s? (?:\w+ ){0,3}$")
# The pill is still there: "the pill is still sitting in the cup", "la pastilla sigue en el vaso".
_STILL_THERE = re.compile(r"\b(?:pill|pastilla|tablet|dose|pildora)s? (?:is |are |s |was |were )?(?:still|todavia|aun|sigue|siguen) "
                          r"(?:sitting |there|in|on|en|ahi|aqui|here)|"
                          # round eleven (L, P): "the pill is sitting right there on the counter", "the pill box still has the
                          # morning one in it"
                          r"\b(?:pill|pastilla|tablet|pildora)s? (?:is |are |s |was |were )?(?:sitting|laying|lying) (?:right )?(?:there|on|in)\b|"
                          r"\b(?:pill ?box|box|slot|organi[sz]er|pastillero|cup) (?:\w+ )?(?:still|todavia|aun) (?:has|had|tiene|got)\b")
_RAN_OUT_ON_DAY = re.compile(r"\b(?:ran|run) out (?:\w+ ){0,3}?(?:on |el )?(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|"
                             r"sabado|domingo|lunes|martes|miercoles|jueves|viernes)\b"
                             # round fourteen (AC-AJ): without them for a time said otherwise: "been out of pills 3 days", "se me
                             # acabaron las pastillas el lunes", "se acabaron ayer", "medicine finish yesterday", "no encontramos
                             # sus pastillas desde el viernes", "been without since"
                             r"|\b(?:been out|out of (?:\w+ )?(?:pills|meds|medicine|baclofen|tablets)|se (?:me |le |nos |les )?(?:acabo|acabaron|"
                             r"termino|terminaron)|(?:medicine|medication|pills|meds) (?:finish|finished)|no (?:encontramos|encuentro|encuentra|"
                             r"encuentran|hallamos) (?:las|sus|mis|su|mi) (?:pastillas|medicinas?)|been without)\b(?: \w+){0,4}? (?:(?:on|el|since|"
                             r"desde(?: el| hace)?) )?(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|sabado|domingo|lunes|martes|"
                             r"miercoles|jueves|viernes|yesterday|ayer|since|(?:\d+|two|three|four|five|a few|dos|tres|cuatro|cinco) (?:days|dias))\b")
# Round sixteen: a dose the patient says was taken ("she says she took it", "dice que se la tomo"), doubted by the writer ("yo creo
# que no", the slot still full, the count the same): no dose recorded (Q2-034's class, AP1, AO2).
_SAID_TAKEN = re.compile(r"\b(?:says|said|swears|swore|claims|dice|dijo|jura|asegura) (?:that |que )?(?:ya )?(?:she|he|they|se|la|lo|se la|se lo)? ?"
                         r"(?:took|taken|had|tomo|la tomo|se la tomo|se lo tomo)\b")
_DOUBTED_AFTER = re.compile(r"^(?:yo |pero )?(?:creo|pienso|me parece) que no\b|\bi (?:don t|dont|do not) think so\b|"
                            r"\b(?:slot|compartment|casilla|cajita|espacio|count|bottle count|pill count|frasco|bottle)\b(?: \w+){0,6} "
                            r"(?:is |s )?(?:still full|still has|looks the same|is the same|the same as|sigue llen[oa]|tiene las mismas|esta llen[oa])")
# Round seventeen: a clause that doubts the dose just said ("but I can't tell", "pero no estoy segura", "but I honestly can't remember");
# not a doubt about another ("not sure about the noon one", "no estoy segura de la de la tarde").
_DOUBT_OPENING = re.compile(r"(?:i )?(?:honestly )?(?:can t|cant|cannot|couldn t|couldnt) (?:tell|be sure|say for sure)\b|"
                            r"(?:i )?(?:honestly )?(?:can t|cant|cannot|couldn t|couldnt) (?:remember|recall)(?! (?:if|whether|to|when|what|where|how|"
                            r"the|my|his|her|which)\b)|no (?:estoy|estamos) segur\w*(?! de\b)|"
                            # what could have become of it ("he could have dropped it"), and a hedge after the dose ("took my 8am one I think")
                            r"(?:he|she|they|i|mom|dad) (?:could|might|may) have (?:dropped|lost|spit|spat|missed|thrown|hidden|skipped)\b|"
                            r".*\b(?:took|tome|tomo|had|gave|di|dio)\b.* (?:i think|i guess|i believe|creo|creo yo)$")
# A dose a second person had, said with their own ("took his", "Gave Rosa hers", "ya se tomó la suya").
_THEIR_OWN = re.compile(r"\b(?:his|hers|theirs|la suya|el suyo|las suyas|los suyos)\b")
_STILL_NOT = re.compile(r"\b(?:still (?:hasn t|hasnt|has not|hasn|not)|(?:hasn t|hasnt|has not) yet|not yet|todavia no|aun no|ainda nao)\b")
_LEADING_FILLER = re.compile(r"^(?:(?:gave|give|ya|si|yes|and|but|y|pero|also|already|oh|ok|okay|so|then|luego|le di a|i gave|re|la|el|los|las|"
                             r"don|dona|mr|mrs|ms|miss|my|mi|the|senor|senora|sr|sra|abuela|abuelo|tia|tio|now|ahora|ahorita|today|hoy|then|also|si)\s+)*")
# A clause opening with a person named by a title or an article ("La Lupe sí ya se la tomó", "Mr Ortiz took it at 8").
_TITLED = re.compile(r"^(?:(?:ya|si|and|but|y|pero)\s+)*(?:la|el|don|dona|mr|mrs|ms|miss|senor|senora|sr|sra|abuela|abuelo|tia|tio)\s+"
                     r"(?!(?:se|la|lo|le|me|ya|si|no)\b)\w+ (?!(?:se|la|lo|le|me)\b)")
_PRONOUNS = frozenset({"he", "she", "they", "him", "her", "el", "ella", "ellos", "you", "u", "he s", "hes", "shes"})
_FINE = re.compile(r"\b(?:fine|ok|okay|bien|no problem|sin problema|all good|good)\b")
_NOT_A_SUBJECT = frozenset({"forgot", "forget", "skipped", "missed", "no", "not", "didn", "didnt", "hasn", "hasnt", "haven", "havent", "i",
                            "we", "it", "todavia", "aun", "still", "se", "me", "le", "olvide", "olvido", "took", "had", "the", "this", "that"})


def _subject_of(words: str) -> str:
    """Round seventeen: who a dose clause is about, by its first word ("ray took his", "gave rosa hers", "don chepe todavia no");
    "" where it opens with no one ("forgot this morning", "i took mine")."""
    first = _LEADING_FILLER.sub("", words).split(" ", 1)[0]
    return "" if first in _NOT_A_SUBJECT else first


_UNSURE_CLAUSE = re.compile(r"(?:(?:i m|im|i am) )?(?:not (?:100 )?sure|no (?:estoy|estamos) segur\w*|no se)(?: (?:though|tho))?")
# The pharmacy filling a prescription is not a dose given.
_DISPENSED = re.compile(r"\b(?:pharmacy|pharmacist|farmacia|farmaceutic\w*|mail order) (?:\w+ ){0,2}"
                        r"(?:gave|give|filled|fill|dispensed|sent|dio|dieron|surtio|mando|mandaron)\b")


_IF_BEFORE = re.compile(r"\b(?:si|if|in case|en caso de que|when|whenever|cuando|what happens if)\b(?: \S+){0,5}\s*$")
_SUPPOSED_BEFORE = re.compile(r"(?:^|\s)(?:if|what if|in case|si|y si|en caso de que)(?: \S+){0,4}\s*$")
_DOUBLING = re.compile(r"\b(?:two|2|dos|double\w*|doble|both|las dos|los dos|juntas?|juntos|together|at once|a la vez|"
                       r"junto con|with the (?:other|next)|con la (?:otra|siguiente)|extra|twice)\b")
_DOSING_WORDS = re.compile(r"\b(?:take|taking|takes|give|giving|double|two|dos|tomo|tomar\w*|doy|dar\w*|skip\w*|dose|dosis)\b")


_NEG_BEFORE = re.compile(r"(?:^|\s)(?:neither(?: one)? of (?:us|them)|ninguno de (?:los dos|nosotros)|no|not|never|haven t|havent|hasn t|hasnt|didn t|didnt|did not|don t|dont|"
                         r"won t|wont|nunca|todavia no|aun no|can t|cant|cannot|couldn t|couldnt|unable to|refus\w* to|no quiere)"
                         # a subject after the "no" starts a sentence of its own: "no, he got into the bottle"
                         r"(?:\s+(?!(?:he|she|i|we|they|you|it)\b)(?:\S+|se|la|lo|le|me|ha|he|han)){0,1}"
                         r"(?:\s+(?:se|la|lo|le|me|ha|he|han|las|los|quedado|quedo))*\s*$")


def _denied_before(before: str) -> bool:
    return _NEG_BEFORE.search(before) is not None


# -- supply, acknowledgements, status, stop --------------------------------------------------------------

SUPPLY_PHRASES: dict[str, tuple[str, ...]] = {
    "ran_out": (
        r"ran out", r"run out", r"running out", r"running low", r"ran low",
        # round thirteen (R): "me quedé sin pastilla desde el martes"
        r"(?:me|se|le|nos) (?:quede|quedo|quedamos|quedaron) sin (?:\w+ )?(?:pastillas?|medicinas?|medicamentos?|baclofen\w*|pildoras?)", r"taking half(?: doses?| a pill| pills| tabs?)?\b",
        r"(?:se (?:me |le )?cayo|dropped it) y no (?:la |lo )?(?:encuentro|encuentra)", r"(?:no tiene|not|no) (?:\w+ )?in stock",
        r"gave me (?:somebody|someone) else s", r"(?:aint|ain t|not|aren t) my (?:baclofen|pills|meds)", r"(?:we re|were|we are|i m|im|i am) out\b(?! (?:at|in|on|with|for|of town|shopping|running|and about|walking|working|fishing))",
        r"(?:out of|outta) (?:my |the |her |his )?(?:pills|meds|medication|medicine|baclofen|tablets)",
        r"(?:none|no|nothing) (?:pills |meds |tablets |baclofen )?left", r"only (?:have )?(?:one|1|two|2|3|three|a few|a couple)"
        r" (?:more )?(?:pills? |tablets? |doses? )?left", r"(?:on|down to) (?:my|her|his|the) last",
        r"(?:last|ultimas?) (?:\d+|two|three|2|3) (?:pills|pastillas|tabs)", r"me quedan? (?:solo )?(?:\d+|una|dos|pocas)",
        r"se (?:me |le )?(?:acabo|acabaron|termino|terminaron)", r"no (?:me |le )?quedan?", r"no tengo mas",
        r"(?<!que )no hay\b(?! (?:manera|forma|modo|quien|nadie|nada (?:ahi|alli|alla|en la pared|en el piso)|nada$|caso|nada raro|"
        # round eleven (L): "no hay caso" (no use), "gente que no hay" (not there), "no hay nada raro" (nothing odd)
        r"problema|nada (?:malo|nuevo|fuera|que reportar)))", r"sin pastillas", r"sin medicina",
        r"(?:pump|bomba)\w* (?!(?:\w+ ){0,2}(?:hasn t|hasnt|has not|didn t|didnt|isn t|isnt|no|not|never|nunca|without|sin)\b)(?:\w+ ){0,3}(?:beep\w*|alarm\w*|going off|chirp\w*|pitando|pita|pito|sonando|suena|sono)",
        r"pump\w* (?:is |s |keeps |has been |was )?(?:making|giving|doing) (?:a |an |that )?(?:\w+ ){0,2}(?:beep|noise|sound|alarm)\w*",
        r"(?:low|empty) reservoir", r"reservoir (?:alarm|low|empty)",
        r"low battery", r"alarma de la bomba",
        r"pitando", r"(?:refill|relleno) (?:appt|appointment|cita) (?:got |was )?cancel\w*",
        r"missed (?:her|his|my|the) (?:pump )?refill", r"(?:can t|cant) see (?:her|him|me) until",
        r"lost (?:my|her|his|the|all)? ?(?:pill |pills |med )?(?:pills|meds|bottle|medicine|baclofen|prescription)",
        r"(?<!coffee )(?<!water )(?<!juice )(?<!milk )(?<!tea )(?<!soup )spill(?:ed|ing|s|t)?\b(?! (?:(?:his|her|my|the|some|a|their|all) )?(?:coffee|water|juice|milk|tea|soup|"
        r"drink|food|cereal|plate|cup|glass|soda)\b)", r"dropped (?:the|my|her|his) (?:whole )?(?:bottle|pills)", r"down the (?:sink|drain|toilet)",
        r"(?:into|in) the (?:toilet|sink|drain)", r"perd\w* (?:las|mis|sus|la|el) (?:pastillas|medicina|receta|frasco)",
        r"se (?:me |le )?(?:han |ha )?(?:cayeron|cayo|caido) (?:las|el|la|los)\b(?! (?:telefono|celular|cel|phone|vaso|tenedor|lentes)\b)",
        r"(?:por|en|al) (?:el )?(?:fregadero|lavabo|desague|inodoro|drenaje|escusado|lavamanos)", r"dog ate", r"ration\w*", r"stretch\w* (?:out )?(?:the |my |her |his )?(?:pills|meds|tablets|supply|baclofen|doses|them|it)\b",
        r"make (?:them|it|em) last",
        r"so (?:i|she|he|we) (?:have|has|ll have|will have) (?:one|some|enough|a pill|pills) (?:left )?for (?:tomorrow|later|monday|"
        r"the weekend)", r"(?:\d+|one|two|three|a few|a couple(?: of)?) (?:more )?(?:pills?|tabs?|tablets?|doses?) left",
        r"(?:pa|para) que (?:me |le )?(?:alcancen|alcance|duren)", r"half (?:to|so)", r"la mitad para",
        r"bottle (?:is |s |was )?empty", r"empty bottle",
        r"(?:chew\w*|ate|eaten|destroy\w*|broke|crushed|stole|stolen) (?:up )?(?:my|her|his|the|all)? ?(?:\w+ )?"
        r"(?:pills|bottle|meds|medicine|pastillas|frasco)",
        r"(?:pills|meds|tablets|half of them|some of them|most of them) (?:are |were |s )?(?:gone|missing)",
        # round fourteen (AC-AJ): left with a little ("only has enough for today", "he has 3 left", "maybe 4 left", "me queda
        # poquito", "me quedan para dos dias", "se me estan acabando", "bottle almost empty", "2 days left"), lost or spoilt
        # otherwise ("no encontramos sus pastillas", "can't find her pills", "se me regó el jarabe", "se quebró el frasco", "el
        # perro se la comió"), never picked up, been out since
        r"only (?:has|have|got) enough for\b",
        # round fifteen (Z1, AL1): the last one in the bottle, enough for a day or two more
        r"(?:the |my |her |his )?last (?:one|pill|tablet|tab|dose) (?:in|of) (?:the|my|her|his|this) (?:bottle|pack|box|supply|script)\b",
        r"(?:have|has|got|with) enough for (?:perhaps |maybe |about |only |just |another )?(?:one|two|three|a few|a couple of|\d+) (?:more )?days?\b",
        r"(?:has|have|got|tiene|tengo) (?:only |just |maybe )?(?:\d+|one|two|three|four|a few) left\b(?! (?:to|for (?:the|his|her) (?:walk|trip|game)))",
        r"(?:maybe|only|just|about|like) (?:\d+|one|two|three|four|five) left\b", r"me quedan? (?:solo |nomas )?(?:poquito|poco|poquitas|para)\b",
        r"se (?:me |le |nos )?(?:estan|esta) (?:acabando|terminando)", r"bottle (?:is |s )?(?:almost|nearly) empty",
        r"(?:\d+|one|two|three|a few|a couple of) days? (?:left|of pills left)\b",
        r"no (?:encontramos|encuentro|encuentra|encuentran|hallo|hallamos) (?:las|sus|mis|su|mi) (?:pastillas|medicinas?|pildoras)",
        r"(?:can t|cant|cannot|couldn t|couldnt) find (?:my|her|his|the|their) (?:pills|meds|medicine|baclofen|bottle)",
        r"se (?:me |le |nos )?(?:rego|derramo|quebro|rompio) (?:el|la) (?:jarabe|frasco|medicina|botella|bote)",
        r"(?:dog|perro) (?:\w+ ){0,2}(?:ate|comio)\b", r"(?:never|didn t|didnt|did not|forgot to) pick(?:ed)? up (?:my|her|his|the) (?:refill|meds|pills|prescription)",
        r"been (?:out|without) since\b",
        # round sixteen (AO2, AP2): pills spoilt ("my pills got wet"), a few left to someone else ("solo le quedan 3 pastillas")
        r"(?:pills|meds|tablets|pastillas|medicinas?) (?:got|get|are|were|se) (?:all )?(?:wet|soaked|ruined|moldy|mojaron|mojadas|arruinaron)\b",
        r"(?:solo |nomas )?(?:le|nos|les) quedan? (?:solo |nomas )?(?:\d+|una|dos|tres|pocas|poquitas)\b",
    ),
    "no_refill": (
        r"(?:pharmacy|walgreens|cvs|rite ?aid|walmart|costco|farmacia) (?:\w+ ){0,4}?(?:didn t|did not|didnt|doesn t|doesnt|don t|dont|"
        r"won t|wont|couldn t|can t|cant|had no|has no|was out|is out|s out|ran out|says|said|only had|only gave|shorted|short|"
        r"messed up|screwed up|lost|dice|no (?:la |lo |las |los )?tienen?)",
        # round five (F): a refill put off, a few days' supply, a clinic moving the pump refill
        r"refill (?:got |was |is |s |has been )?(?:pushed|moved|postponed|overdue|late|rescheduled)", r"(?:el )?refill hasta",
        r"(?:clinic|office|clinica|they) (?:moved|pushed|rescheduled) (?:us|me|him|her|the refill|the appointment)",
        r"(?:\d+|one|two|three|a few|a couple of) days?(?: of)? (?:supply|worth)(?: left)?", r"prior auth\w*", r"(?:pre ?)?authori[sz]ation", r"expir\w*",
        r"venci\w*", r"caduc\w*", r"insurance", r"seguro (?:no|ya no)", r"no (?:me |lo |la )?(?:lo |la )?cubre",
        r"out of stock", r"back ?order\w*", r"mail order", r"refill (?:was |is |s |got |has been )?(?:denied|refused|not ready|delayed|rejected)",
        r"refill (?:req\w*|request\w*) (?:sent|pending|in|faxed|called in)", r"(?:sent|put in|called in) (?:a |the )?refill (?:req\w*|request\w*)",
        r"(?:can t|cant|cannot|couldn t|couldnt|unable to) (?:get|pick up|fill) (?:a |my |the |her |his )?(?:refill|"
        r"prescription|script|meds|medication|pills|baclofen|more)", r"need (?:a |my |another |the )?refill",
        r"no refills?",
        # round eight (I): a refill stuck, waiting on the doctor: "refill stuck at the pharmacy", "la receta esta atorada"
        r"(?:refill|prescription|script|receta|resurtido) (?:is |s |got |esta |se quedo )?(?:stuck|held up|atorad[oa]|detenid[oa]|trabad[oa])",
        r"waiting? (?:on|for) (?:the |my )?(?:pharmacy|refill|prescription|insurance|doctor|dr)\b",
        r"(?:esperando|waiting) (?:a que |que |on |for )?(?:el |la |the )?(?:doctor|doctora|medico|dr) (?:to )?(?:call|llame|autorice|mande)",
        r"(?:doctor|dr|prescriber) (?:hasn t|hasnt|has not|didn t|didnt|did not|won t|wont) (?:sent|send|called|renewed)",
        r"(?:la )?farmacia (?:no|dice|cerrada|no abre)", r"surtir",
        r"(?:prescription|receta) (?:lost|perdida)",
        r"(?:pharmacy|pharmacist|farmacia) (?:\w+ ){0,2}(?:gave|filled|dispensed|sent|dio|dieron|surtio|mando) "
        r"(?:\w+ ){0,4}(?:wrong|instead of|en vez de|equivocad\w*)",
        r"nobody has it", r"(?:can t|cant) afford", r"(?:no|didn t|didnt) (?:come|arrive|llego)",
        # (round sixteen, AQ2: not eyes "not tracking", a sign)
        r"(?<!not )(?<!isn t )(?<!isnt )(?<!aren t )(?<!arent )(?<!stopped )tracking",
        # round fourteen (AC-AJ): "this my last refill", "refill wont be ready till friday", "ocupo receta nueva", "pharmacy
        # delivery missed", "his pharmacy closed", "la farmacia de aqui no la tiene" (the pharmacy's words above reach past four)
        r"(?:my|the|his|her|this) last refill", r"refill (?:won t|wont|will not|isn t|isnt|is not|not) (?:be )?ready",
        r"receta nueva|nueva receta", r"(?:delivery|shipment) (?:was )?missed",
        r"missed (?:the |a |his |her )?(?:delivery|shipment)", r"(?:pharmacy|farmacia) (?:is |s |was |esta )?(?:closed|cerrada|cerro)",
        r"(?:delivery|shipment|package|order|refill|entrega|pedido) (?:\w+ ){0,3}(?:never|hasn t|hasnt|has not|didn t|didnt|did not|no|nunca) "
        r"(?:came|come|arrived|arrive|showed|shown|llego|ha llegado)",
        # round sixteen (AP2): the insurer by its local name, not delivering or authorising: Colombia's EPS, Argentina's obra social
        # or prepaga ("La EPS no ha entregado el baclofeno", "La obra social todavia no autorizo la recarga")
        r"\b(?:eps|obra social|prepaga|aseguradora|isapre)\b(?: \w+){0,3}? (?:no|todavia no|aun no|ya no|nego|rechazo)\b",
        r"no (?:\w+ )?(?:ha |han )?(?:autoriz\w*|entreg\w*) (?:el |la |los |las |su |sus )?(?:\w+ )?(?:baclofeno|medicina|medicamentos?|pastillas|recarga|receta|bomba)\b",
    ),
}

ACK_PHRASES: tuple[str, ...] = (
    # round ten (M, N): "ok" said of someone ("he got it down ok") is how they are, not "on it"
    r"(?<!\bestamos )(?<!\bwe re )(?<!\bwe are )(?<!\bis )(?<!\bs )(?<!\bhes )(?<!\bshes )(?<!\bdown )(?<!\bwent )(?<!\bdid )(?<!\blooks )(?<!\bseems )(?<!\bfeels )(?<!\bdoing )(?<!\bshe )(?<!\bhe )(?<!\bboth )(?<!\bthey )(?<!\bmom )(?<!\bdad )(?<!\beveryone )(?<!\bnow )ok(?:k*(?:a+y*|e+y*|i+e*s?)|k+|s)?(?! (?:to|para|if|si|now|naman)\b)",
    r"k", r"kk", r"roger", r"got it(?! (?:down|in|into|all)\b)", r"received(?! (?:\w+ ){0,3}(?:dose|doses|meds|medication|pills?|baclofen|medicine)\b)", r"recibido", r"enterad[oa]",
    r"entendid[oa]", r"de acuerdo", r"vale", r"copy", r"will do", r"(?<!\bme )(?<!\bus )on it", r"on my way", r"on the way", r"omw",
    r"heading (?:over|there|out|home|to)", r"(?:be|ll be|will be) there (?:in|soon|asap|shortly)", r"there in \d+",
    r"(?:llego|estoy ahi|estare ahi) en \d+", r"leaving (?:work|now|the office)", r"(?:i m|im|i am) (?:\d+ )?(?:min|mins|"
    r"minutes) away", r"driving", r"(?:i ll|ill|i will|will|gonna|going to) (?:call|check|remind|text|tell|drive|swing|"
    r"go|head|be there|come|handle|take care|look)", r"going (?:over|now|there|home)", r"coming(?! (?:back |home |in |out )?from\b)",
    r"calling", r"dialing", r"ambulancia", r"(?:ya )?vienen? (?:en camino|los paramedicos)", r"(?<!when i )(?<!when we )(?<!after i )called (?:911|the|an|her|him)", r"911 called", r"ambulance", r"paramedic\w*", r"\bems\b",
    r"en camino", r"(?<!dice )(?<!dijo )(?<!dice ya )(?<!dijo ya )(?<!decia ya )voy\b", r"ya salgo", r"salgo", r"(?:estoy|voy) en el (?:carro|coche|camino)",
    r"llame\b", r"llamando", r"(?<!\bsi )(?<!\bif )(?<!\bcuando )(?<!\bwhen )(?<!\bmanana )(?<!\btomorrow )(?:le|te|les|la|lo) (?:llamo|hablo|marco|aviso(?! que\b)|digo)\b"
    r"(?! y (?:le|te|les|la|lo) (?:digo|hablo))(?! pero)", r"le voy a (?:marcar|llamar|hablar|decir|avisar)",
    r"(?:is|s|esta|estan) (?:here )?with (?:her|him|them)", r"(?:esta|estan) con (?:ella|el)",
    r"(?<!for )(?<!can t )(?<!cant )(?<!cannot )(?<!couldn t )(?<!couldnt )(?<!not )check(?:ing)? on",
    # (round sixteen, AQ1, AP2: not what the patient was told, "told her she looks like a flamingo", nor an errand, "call gina tell her ...")
    r"(?!(?:told|tell) (?:her|him) \w)"
    r"(?<!when i )(?<!when we )(?<!after i )(?:told|tell|texting|texted|calling|called) (?:the |his |her |their )?"
    r"(?:nurse|mom|her|him|neighbor|doctor|dr)\b(?! but\b)(?! (?:hi|hello|hey|thanks|thank you|i said)\b)(?! (?:and|y) (?:he|she) (?:no|won t|wont|don t|dont|doesn t|doesnt)\b)",
    r"aqui (?:estan|con)", r"(?<!n t )(?<!nt )(?<!not )heard\b(?! from)", r"(?:ya )?(?:le |les )?(?:marque|avise|hable)\b",
    r"(?:i m|im|i am|we re|we are|estoy|estamos) (?:here )?(?:with|con) (?:her|him|them|ella|el)\b",
    r"i see it", r"(?<!i )(?<!we )(?<!ve )(?<!s )(?<!has )(?<!have )(?<!never )(?<!not )seen", r"\U0001f44d", r"thumbs up", r"yes i see",
    # Shorthand and a second language's words for "on it"; never "I don't understand", "can't deal
    # with it", "never got the alert" (an acknowledgement stops the escalation).
    r"ack", r"will f ?u\b", r"10 4", r"gotcha", r"got ya", r"on the phone (?:with|w) (?:her|him|them|ems|911|the)", r"\bemts?\b(?! (?:said|says|told|left))", r"(?<!not )(?<!n t )(?<!stop )dealing with it", r"(?:i ll|ill|will) deal with it", r"i understand\b",
    r"(?<!not )(?<!n t )i (?:call|calling) (?:the )?(?:emergency|emergencia\w*|ambulance|911)",
    r"(?<!never )(?<!didn t )(?<!didnt )(?<!not )(?:got|saw|read) (?:your|the) (?:msg|message|text|alert)",
    # round seven (J): at the bedside or the hospital, spoke to them, finding out
    r"(?:here|aqui) (?:with|con) (?:her|him|them|ella|el)\b", r"(?:we re|were|we are|i m|im|i am|estamos|estoy) (?:at|in|en) (?:the |el |la )?"
    r"(?:hospital|er|emergency room|urgencias|emergencias|guardia)\b",
    r"(?:ya )?(?:he|hemos) (?:hablado|llamado)\b", r"(?:i ve|ive|i have) (?:talked|spoken) (?:to|with) (?:her|him|them)\b",
    r"(?:dejeme|dejame|let me) (?:averiguar|ver|revisar|preguntar|check|find out|llamar\w*|hablar\w*|marcar\w*|call)\b",
    # round fourteen (AC-AJ): "Checking.", "I'll give him a call", "I call Ba to remind"
    r"^checking$", r"(?:i ll|ill|i will|will|gonna|let me) give (?:him|her|them) a (?:call|ring)\b", r"\bi (?:call|called|text|texted) (?:\w+ ){1,2}to remind\b",
    # round eleven (D, J, K, L, N, P: 9 rows; E one): having gone to look is taking it on, even when all is well
    r"(?<!anyone )(?<!anybody )(?<!someone )(?<!you )checked (?:on|in on) (?!(?:the|my|his|her) (?:pump|pills?|meds?|bottle|box|refill|pharmacy)\b)",
    r"ya (?:la|lo) (?:revise|chequee|cheque|fui a ver)\b", r"ya fui a ver(?:la|lo)\b",
    # round twelve: "Acknowledged.", "si fui a verla", "ahorita le pregunto", "ill ask when she gets back", "On mi way", "Mi reach"
    r"acknowledged?", r"(?:si |ya )?fui a ver(?:la|lo)\b", r"(?:ahorita |ahora |luego )?le pregunto\b", r"(?:i ll|ill|i will|will) ask\b",
    r"on mi way", r"mi reach", r"(?:estou|estamos) com (?:ele|ela)\b",
    # round thirteen (R, V): watching over them, said of oneself ("Will monitor q1h", "I'll keep monitoring", "la estoy vigilando",
    # "estamos pendientes"); an acknowledgement, not an action: beside a symptom or an extra dose the report stands (J1-053,
    # M1-119, N1-013, S2-020 label those no acknowledgement)
    r"(?:will|ll|i ll|ill|keep|keeping|to keep|i m|im|am|we re|continue to|continuing to) (?:\w+ )?monitor\w*",
    r"keep(?:ing)? (?:an|a close) eye on",
    # round fifteen (AM, AL, AN): going to look, now or next ("orita la reviso", "voy a revisarla", "I'll pop upstairs and have a
    # look at her", "I check him now"), writing to them ("ya le escribo a mi mama")
    r"(?:orita|ahorita|ahora|ya) (?:la|lo) (?:reviso|checo|chequeo)\b", r"voy a (?:revisarl[oa]|checarl[oa]|ir a verl[oa])\b",
    r"(?:i ll|ill|i will|gonna|going to|let me) (?:pop|nip|run|go) (?:up|upstairs|over|round|down|downstairs|next door)\b",
    r"have a look at (?:her|him|them)\b", r"\bi check (?:on )?(?:him|her|them|\w+) now\b", r"ya le (?:escribo|mando mensaje|marco) a\b", r"(?:la|lo|le|los) (?:estoy|estamos|voy a|vamos a|seguimos|sigo) (?:vigila\w*|observa\w*)",
    r"(?:estoy|estamos) (?:muy )?pendientes?",
)

# Round eight (I): a call made and not answered reaches no one (no acknowledgement, no unresponsive patient).
_NO_ANSWER = re.compile(r"(?:no answer|no (?:me |nos )?(?:contesta|contestan|responde|agarra|coge)|nobody answer\w*|no one answer\w*|"
                        r"(?:she|he|they) (?:doesn t|doesnt|didn t|didnt|won t|wont|isn t|isnt|is not|does not) (?:answer|pick)\w*)\b")
_CALL_MADE = re.compile(r"\b(?:(?:ya )?(?:le |la |lo )?(?:marque|llame|marco|llamo|he llamado|he marcado)|called|call(?:ed)? (?:her|him|them)|"
                        r"calling|llamando|marcando|tried (?:calling|to call))\b(?: (?:her|him|them|the \w+|his \w+|her \w+))?")
_UNANSWERED_CALL = re.compile(rf"{_CALL_MADE.pattern}(?: \w+){{0,3}}? (?:y |and |but |pero )?{_NO_ANSWER.pattern}")
STATUS_PHRASES: tuple[str, ...] = (
    # round twelve: not "does grandma have to take it with food?" (a question about how); given or got too ("Did she not give
    # it??", "Did Owen get his 8pm or not")
    r"(?:did|has|have) (?!to\b)(?:\w+ ){1,3}(?:take|taken|had|have|give|given|gave|get|got|gotten) (?:it|\w+ \w+|the \w+|anything|her|his|their)",
    # round fifteen (AK1): a second language's present asked ("Walter take his morning pill?")
    r"^(?:\w+ )?(?:take|took|get|got) (?:his|her|their) (?:\w+ )?(?:pill|pills|dose|meds|medicine|tablet)$",
    r"ya se (?:la |lo )?tomo", r"(?:se|ya se) (?:la |lo )?(?:tomo|ha tomado)", r"(?:how|como) (?:is|s|esta|sigue) (?:she|he|"
    r"mom|dad|ella|el|mi \w+|papi|mami|papa|mama|abuel\w*|grandma|grandpa|nana)\b", r"status", r"estado", r"update", r"was it (?:logged|recorded)", r"lo registraron",
    r"anything today", r"(?:como|how) (?:sigue|esta|is (?:she|he) doing)$", r"what s (?:going on|happening)",
    r"que (?:paso|esta pasando)", r"(?:his|her|their|the) (?:record|history|log|adherence)\b", r"any (?:doses )?missed",
    r"how many (?:\w+ )?missed", r"(?:was|is|has|were) (?:\w+ ){0,5}(?:been )?(?:logged|recorded|registered|marked|checked off)",
    r"(?:is|s) (?:she|he|mom|dad|mum|ella|el|(?:your|my|our) \w+) (?:ok|okay|alright|all right|fine|bien)\b",
    # "hows grandma doing today?", "how is your dad doing"
    r"(?:how|hows) (?:is |s )?(?:\w+ ){1,2}doing\b",
    # round five (F): "has he checked in today?", "did grandpa reply to you", "abuela took her meds today?"
    r"(?:has|did|have) (?:\w+ ){1,2}(?:check\w* in|repl\w*|respond\w*|answer\w*|text\w* (?:back|you))",
    r"took (?:her|his|their) (?:meds|pills|medicine|medication|dose|baclofen)",
    # round seven (J): "la tomo o no la tomo?", "can you confirm the last recorded dose?"
    r"(?:se )?(?:la |lo )?tomo o no", r"(?:take|taken|took|had) it or not",
    r"(?:confirm|check|verify|confirmar|verificar|revisar) (?:the |el |la |his |her |su )?(?:last|ultima?) (?:\w+ ){0,2}(?:dose|dosis|toma)",
    r"(?:confirm|check|verify) (?:if|whether|that) (?:\w+ ){0,2}(?:took|taken|had|got|was given)",
    # round eleven (L, P): "como sigue la nina", "which one didn't take it", "can you tell me if she take", "did anything get
    # logged", "ustedes saben si la marco"
    r"(?:como|how) (?:sigue|esta|is) (?:la|el|my|mi|the|our|nuestra|nuestro) \w+$", r"which (?:one|of them) (?:didn t|didnt|did not|hasn t|has not|took|had)",
    r"(?:tell|let) me (?:know )?(?:if|whether) (?:\w+ ){0,2}(?:take|took|taken|had)", r"(?:did|has) anything (?:get |been )?(?:logged|recorded)",
    r"(?:saben|sabe|sabes) si (?:\w+ ){0,2}(?:tomo|marco|registro|la tomo|se la tomo)",
    # round twelve: asked whether a dose was logged or taken ("did his noon dose register?", "can you tell me if his mom logged
    # the 8pm dose?", "¿Mi hermano tomó la de la mañana?", "¿ya le dieron la de la tarde?")
    r"(?:alguna |algo de |que )?novedad(?:es)?", r"any news", r"news (?:on|about) (?:her|him|them|mom|dad)",
    r"(?:did|has|was) (?:\w+ ){0,4}(?:register|registered|log|logged|record|recorded|go through|went through)\b", r"^(?:has|have) taken\b",
    r"(?:know|tell me|tell us|check|see|confirm|sabe\w*|saber|dime|digame|averigu\w*) (?:if|whether|si) (?:\w+ ){0,3}(?:logged|recorded|"
    r"registered|marked|gave|given|got|registro|marco|le dio|le dieron|se la dio|took|taken|had|se la tomo|la tomo)\b",
    r"^(?:\w+ ){0,3}(?:tomo|tomaron|ha tomado|le dio|le dieron|le han dado) (?:la|su|sus|las|el)\b",
)

STOP_PHRASES: tuple[str, ...] = (
    # round fifteen (AA1, AM2): "can i just stop it", "if I have to stop it": the medicine, asked about (no batch labels "stop it" a
    # request to stop the texts: E, K, Q, AF, AA, AM label it a question)
    r"(?<!n t )(?<!nt )stop (?:texting|messaging|sending|these|the texts|the messages|porfa|please|"
    r"(?<!can i stop )(?<!can we stop )(?<!just stop )(?<!to stop )(?<!if i stop )(?<!if we stop )(?<!should i stop )it"
    r"(?! (?:tomorrow|today|now|all at once|cold|suddenly|abruptly|or|if|for|before|when|while)\b))", r"please stop",
    r"(?:no|ya no) (?:me )?(?:manden|envien|mande|escriban) (?:mas )?(?:mensajes|textos)",
    r"(?:don t|dont) (?:text|message) me", r"unsubscribe", r"remove me", r"no longer (?:her|his|their) caregiver",
    # round seven (J): "dejen de mandarme mensajes", "ya no la cuido yo", "I don't look after him any more"
    r"(?:dejen|deja|dejar|dejad) de (?:mandar|enviar|escribir)\w*", r"ya no (?:la |lo |los )?cuido",
    r"(?:no longer|not) (?:caring for|looking after|taking care of) (?:her|him|them)",
    r"^stop\b", r"(?<!who )(?<!that )passed away(?! (?:in|years|\d|when|last))",
    r"(?:no|ya no|don t|dont|do not) (?:quiero|want|deseo)(?: to)?(?: (?:recibir|get|receive))? (?:\w+ ){0,2}"
    r"(?:mensajes|textos|messages|texts|alerts|alertas)", r"(?<!que )(?<!que se )fallecio(?! (?:en|hace))", r"ya no (?:lo )?necesit\w*",
    # round eleven (L, P): "ya no me manden estos mensajes", "take me off this list", "sacame de la lista"
    r"(?:no|ya no) (?:me )?(?:manden|envien|mande|escriban) (?:mas )?(?:estos|esos|los|sus) (?:mensajes|textos|recordatorios)",
    r"(?:take|get) me off (?:this|the|your) (?:list|thing|service|texts?)",
    # round fifteen (AN1): a bare "Please take me off this." (not the medicine: "take me off this med", "wants to take me off this")
    r"(?<!to )(?<!gonna )(?<!will )(?<!might )(?<!may )(?<!would )(?:take|get) me off this\b"
    r"(?! (?:medicine|medication|meds?|drug|pills?|baclofen|stuff|dose|one|pump|dosage)\b)", r"(?:sacame|saquenme|borrenme|quitenme) (?:de )?(?:la|esta|su) lista",
    # round twelve: "QUIT SENDING ME THESE", "QUIT TEXTIN ME", "pls stop the 6am texts", "Please remove this number",
    # "Quitadme de la lista" (Spain), "borrame de esto"
    r"quit (?:sending|texting|textin|messaging|texting me|bugging me)", r"stop (?:the|these|those|all|your) (?:\w+ )?(?:texts|messages|reminders|alerts)",
    r"remove (?:this|my) (?:number|phone|cell)", r"take (?:this|my) (?:number|phone) off",
    r"(?:quitadme|quitame|sacadme|borradme|borrame|quitame|eliminadme|eliminenme) de (?:la|esta|su|vuestra|tu|esto|estos)\b",

)

# Reassurance: "feeling fine", "todo bien", "nothing to report".
# Asleep and let be: "esta dormida y no la quiero despertar", "sleeping, I don't want to wake him". Reassurance about the
# very sign the words describe, as a denial by name is: the safety net does not second-guess it (round fifteen).
LET_SLEEP = r"(?:no (?:la |lo |le )?(?:quiero|quise|queria) despertar\w*|(?:don t|dont|do not|didn t|didnt) want to wake (?:her|him|them))"
_LET_SLEEP = re.compile(rf"\b{LET_SLEEP}\b")
WELL_PHRASES: tuple[str, ...] = (
    r"fine", r"good", r"great", r"ok\b", r"okay", r"well", r"better", r"normal\w*", r"alright", r"bien", r"mejor",
    r"tranquil\w*", r"nothing", r"nada", r"no (?:problems|issues|symptoms|side effects)", r"all good", r"sharp",
    r"false alarm", r"falsa alarma", r"seizure free", r"knock on wood", r"never better", r"awake and",
    # round ten (N): "spasms are manageable", "los espasmos estan soportables"
    r"(?<!not )(?<!barely )(?<!hardly )(?:manageable|bearable|tolerable|manejables?|soportables?|llevaderos?)",
    # round ten (LOBO): asleep and let be: "esta dormida y no la quiero despertar", "sleeping, I don't want to wake him"
    LET_SLEEP,
    # a clinician's denial: "Client denies dizziness, drowsiness, or breathing difficulties"
    r"denies", r"negative (?:for|on)",
)


def _any_of(phrases: tuple[str, ...], end: str = "") -> re.Pattern[str]:
    return re.compile(rf"\b(?:{'|'.join(phrases)}){end}")


def compile_tables() -> None:
    """Compile the phrase tables above into the patterns the reader uses. Run at import; the
    table-drop mutation run (``tests.unit.reading_mutations``) runs it again after removing one
    phrase, to see whether any test notices."""
    global _SIGN_RE, _TAKEN_RE, _NOT_TAKEN_RE, _WEAK_NOT_TAKEN_RE, _EXTRA_RE, _SUPPLY_RE, _ACK_RE, _STATUS_RE
    global _STOP_RE, _WELL_RE, _HOMOPHONES
    _HOMOPHONES = tuple((re.compile(pattern), replacement) for pattern, replacement in HOMOPHONES)
    _SIGN_RE = {sign: (_any_of(deniable), _any_of(undeniable) if undeniable else None)
                for sign, (deniable, undeniable) in SIGN_PHRASES.items()}
    _TAKEN_RE = _any_of(TAKEN_PHRASES)
    _NOT_TAKEN_RE = _any_of(NOT_TAKEN_PHRASES)
    _WEAK_NOT_TAKEN_RE = _any_of(WEAK_NOT_TAKEN_PHRASES)
    _EXTRA_RE = _any_of(EXTRA_PHRASES)
    _SUPPLY_RE = {problem: _any_of(phrases) for problem, phrases in SUPPLY_PHRASES.items()}
    _ACK_RE = re.compile(rf"(?:^|\b)(?:{'|'.join(ACK_PHRASES)})(?:\b|$)")
    _STATUS_RE = _any_of(STATUS_PHRASES)
    _STOP_RE = _any_of(STOP_PHRASES)
    _WELL_RE = _any_of(WELL_PHRASES, r"\b")


_SIGN_RE: dict[Sign, tuple[re.Pattern[str], re.Pattern[str] | None]]
_TAKEN_RE: re.Pattern[str]
_NOT_TAKEN_RE: re.Pattern[str]
_WEAK_NOT_TAKEN_RE: re.Pattern[str]
_EXTRA_RE: re.Pattern[str]
_SUPPLY_RE: dict[str, re.Pattern[str]]
_ACK_RE: re.Pattern[str]
_STATUS_RE: re.Pattern[str]
_STOP_RE: re.Pattern[str]
_WELL_RE: re.Pattern[str]
compile_tables()


def _in_any(pattern: re.Pattern[str], clauses: list[tuple[str, bool]], *, questions: bool = True) -> bool:
    return any(pattern.search(words) for words, asked in clauses if questions or not asked)


# -- the reading ------------------------------------------------------------------------------------------


# Round thirteen (W, X, Y): punctuation dictated and written out by the phone ("no twitching today comma no shaking comma
# just my regular stiff legs period"): the words are the marks, so a denial keeps its clause ("comma" joined "no shaking"
# to what followed) and the text its sentences. English only: Spanish "coma" is also the coma.
_SPOKEN_MARKS = (
    (re.compile(r"\s*\b(?:comma)\b", re.IGNORECASE), ","),
    (re.compile(r"\s*\b(?:question mark)\b", re.IGNORECASE), "?"),
    (re.compile(r"\s*\b(?:exclamation (?:point|mark))\b", re.IGNORECASE), "!"),
    (re.compile(r"\s*\b(?:new line|new paragraph|full stop)\b", re.IGNORECASE), "."),
)
# "period" as a mark: at the end, or where the next word opens a sentence; never after a word it belongs to ("my period")
_SPOKEN_PERIOD = re.compile(r"(\w+)\s+period\b(?=\s*$|\s+(?:i|he|she|we|they|my|his|her|no|not|and|but|just|still|it|the)\b)",
                            re.IGNORECASE)
_PERIOD_OWNERS = frozenset({"my", "her", "the", "his", "this", "that", "each", "every", "time", "same", "trial", "grace",
                            "waiting", "long", "short", "whole", "a", "one"})


def spoken_marks_written(text: str) -> str:
    """``text`` with dictated punctuation as the marks it names: "fine comma thanks period" -> "fine, thanks."."""
    for pattern, mark in _SPOKEN_MARKS:
        text = pattern.sub(mark, text)
    return _SPOKEN_PERIOD.sub(lambda m: m.group(0) if m.group(1).lower() in _PERIOD_OWNERS else m.group(1) + ".", text)


# Round eighteen: a denial taken back ("no shakes?? well a little", "no tiemblo... bueno un poquito", "no fever. actually 100.8",
# "no spasms, well actually yes they're worse"): the retraction wins and the sign or symptom is reported, so the "no" is
# read away. The form: a "no" before a symptom, the clause ended, a retraction opener ("well", "bueno", "actually", "en
# realidad", "wait"), then what affirms (yes/sí, an amount: "a little", "un poquito", "a bit", "algo"; for a fever, its
# reading). Not a retraction that goes on denying ("well not really", "well not since March", "bueno, casi nada", "well none
# this week") or explains ("well, only when I'm cold").
_TAKEN_BACK = re.compile(
    r"(?P<neg>(?<![\w'\u2019])(?:nope,? no|nah,? no|no|not|ni)\s+)(?P<what>[^.,;:!?\u2026\n]{2,40}?)\s*[.,;:!?\u2026]+\s*"
    r"(?P<back>(?:(?:well|bueno|pues|actually|en realidad|la verdad|wait|ok|okay|hmm+|mm+|oh|ah|i mean|digo)\b[\s,.\u2026]*)+)"
    r"(?P<yes>(?:(?:yes|yeah|yea|si|s\u00ed|sort of|kind of|kinda|(?:he|she|i|they|[eé]l|ella) (?:did|does|do|is|was|has|s[ií]))\b[\s,.!]*)?)"
    r"(?P<amount>(?:maybe |quiz\u00e1s? |tal vez )?(?:a (?:little|bit|tiny bit|little bit)|some|un poco|un poquito|poquito|algo|tantito)\b|"
    r"(?:(?:it|its|it's|it\u2019s|it was|was|es de|est[aá] en|tiene|tengo|marca|marc[oó]) )?"
    r"(?P<reading>\d{2,3}(?:[.,]\d)?)(?!\s*(?:pills?|tabs?|mg|days?|d\u00edas?|hours?|horas?))\b)?",
    re.IGNORECASE)
_TAKEN_BACK_FEVER = re.compile(r"\b(?:fever|temp\w*|fiebre|calentura)\b")
_NOTHING_AT_ALL = re.compile(r"\s+(?:at all|whatsoever|nada|ninguna?|any)\b", re.IGNORECASE)


def _feverish(reading: str) -> bool:
    """A thermometer's reading that is a fever: 38 °C or 100.4 °F and above ("no tengo fiebre, bueno, 37" takes nothing back)."""
    degrees = float(reading.replace(",", "."))
    return 38 <= degrees <= 43 or 100.4 <= degrees <= 110


def _taken_back(text: str) -> str:
    """``text`` with each denial it takes back read as the report it becomes (``_TAKEN_BACK``)."""
    def report(m: re.Match[str]) -> str:
        what = normalise(_NOTHING_AT_ALL.sub("", m.group("what")))
        affirms = m.group("yes").strip() != "" or m.group("amount") is not None and (
            m.group("reading") is None or _TAKEN_BACK_FEVER.search(what) is not None and _feverish(m.group("reading")))
        if not affirms or not (symptom_text.symptoms_in(what) or any(
                deniable.search(what) for deniable, _ in _SIGN_RE.values())):
            return m.group()
        return f"{_NOTHING_AT_ALL.sub('', m.group('what'))}, {m.group('amount') or ''}"
    return _TAKEN_BACK.sub(report, text)


_STAR_CORRECTION = re.compile(r"\b([^\W\d_]{3,})\s+\*([^\W\d_]{3,})\b(?!\*)")


def read_sms(text: str, *, sender: Sender = "patient") -> Reading:
    """What ``text`` from ``sender`` means. Never raises; an empty text is unclear."""
    text = spoken_marks_written(text or "")
    # round seventeen: a word corrected after an asterisk ("can't remeber *remember") is read as corrected
    text = _STAR_CORRECTION.sub(lambda m: m.group(2) if m.group(1)[0].lower() == m.group(2)[0].lower() else m.group(0), text)
    text = _taken_back(text)
    reply = parse_reply(text)
    cleaned = normalise(text)
    if reply.intent in ("stop", "start", "help"):
        keyword_intents = {"stop": "stop", "start": "start", "help": "help"}
        return Reading("none", "none", frozenset({keyword_intents[reply.intent]}), True, False, reply=reply)
    parts: list[list[str]] = []
    clauses = _clauses(text, parts)
    intents: set[str] = set()

    affirmed = _AFFIRMED_SI.search(text) is not None
    signs_denied: set[Sign] = set()
    by_phone = sender == "caregiver" and reached_by_phone(text, clauses)
    certain, doubtful = _signs(clauses, remote=by_phone, affirmed=affirmed,
                               denied_out=signs_denied, parts=parts)
    if "seizure" not in certain | doubtful and _SHAKING_THEN_GONE.search(cleaned) and not _DENIED_SHAKING.search(cleaned):
        # Round eleven (P): telegraphic, the two halves of the sign in sentences of their own ("Shaking. Not answering.",
        # "Temblando. No responde."): the clauses read apart, each is milder than the two together.
        certain.add("seizure")
    # Other symptoms, from the symptom reader, without its emergency-level readings: the signs above
    # decide those (with denial, doubt and hypotheticals read). A question about a symptom ("is
    # sleepiness normal?") reports nothing.
    symptoms: dict[str, int] = {}
    recovered = _RECOVERED_NOW.search(cleaned) is not None
    for at, (words, asked) in enumerate(clauses):
        if asked and (not _STATEMENT_IN_QUESTION.search(words) or _MEANING_ASKED.match(words)):
            continue
        if at + 1 < len(clauses) and _COMPARISON_ONLY.fullmatch(clauses[at + 1][0]):
            # round twelve: telegraphic, the comparison a sentence of its own ("tired. more than usual."): read together
            words = f"{words} {clauses[at + 1][0]}"
        if at + 1 < len(clauses) and _BASELINE_ONLY.match(clauses[at + 1][0]) and not _WORSE.search(_NOT_WORSE.sub(" ", clauses[at + 1][0])) \
                and not _MORE_THAN_USUAL.search(_NOT_WORSE.sub(" ", clauses[at + 1][0])):
            words = f"{words} {clauses[at + 1][0]}"
        words = _OWN_REPLY.sub("did not reply", _ATTRIBUTED.sub(" ", words))
        words = _DENIES_LIST.sub(" ", _OTHERS_ALARMED.sub(" ", words))
        words = _NOT_CALLED.sub("not ", _NEITHER_NOR.sub(r"no \1 \2", words))
        if sender == "patient":
            words = _FAMILY_ALARMED.sub(" ", words)
        explained = _EXPLAINED_BY.search(words) is not None or _JUST_FROM.search(words) is not None
        resolved = _RESOLVED.search(words) is not None and _WORSE.search(words) is None or (
            recovered and _EARLIER.search(words) is not None)
        if not resolved and at + 1 < len(clauses) and _PAST_STATE.search(words) and _NONE_TODAY.match(clauses[at + 1][0]) \
                and not _STILL_GOING.search(words):
            # round seventeen: a complaint of yesterday said over in the clause after it ("ayer sí tuve espasmos pero hoy nada",
            # "had cramps last night but none today"): over, as "better" is
            resolved = True
        if resolved and at + 1 < len(clauses) and (_STILL_ON.match(clauses[at + 1][0]) or (
                # round sixteen: better, then worse in a clause of its own ("spasms went down for a week but now they're way worse")
                _WORSENED.search(_NOT_WORSE.sub(" ", clauses[at + 1][0])) and not symptom_text.symptoms_in(clauses[at + 1][0]))):
            # round thirteen: "the twitching is maybe a little better ... but it's definitely still going", "algo mejor, pero
            # sigue ahí": better, said, then still going in a clause of its own, is not over
            resolved = False
        compared = _NOT_WORSE.sub(" ", words)
        if _PLAIN_USUAL.search(compared):
            compared = _STILL_ONLY.sub(" ", compared)
        baseline = _BASELINE.search(words) is not None and _WORSE.search(compared) is None \
            and _MORE_THAN_USUAL.search(compared) is None and _WORSE_THAN_USUAL.search(_NOT_WORSE.sub(" ", cleaned)) is None
        for key, severity in symptom_text.symptoms_in(as_meant(words)).items():
            if resolved and not _is_sign_level(key, severity):
                continue  # "spasms are way better", "ya se le quito el mareo"
            if explained and key in _EXPLAINABLE and not _is_sign_level(key, severity):
                continue  # round sixteen: "my body jerked from the coughing"
            if baseline and not _is_sign_level(key, severity):
                continue  # round twelve: "legs stiff as always", "los espasmos de siempre": the baseline, not a complaint
            if key in WORSENING_SIGNS and _SPASMS_HELD.search(words) and not _WORSE.search(compared):
                continue  # round eighteen: "Spasms aint bad today", "spasticity well controlled"
            if key in _PASSING_SIGNS and _PAST_STATE.search(words) and not _NOW.search(words):
                continue  # "skipped it today, felt too sleepy yesterday": a reason, over

            if _is_sign_level(key, severity):
                # The signs are decided above (denial, doubt, hypotheticals read). Drowsiness or
                # confusion the symptom reader rated severe but the sign tables did not confirm is
                # still reported: urgent, not dropped.
                if key not in ("drowsiness", "confusion"):
                    continue
                severity = 5
            if key in WORSENING_SIGNS and _WORSENED.search(_NOT_WORSE.sub(" ", words)) and not resolved:
                # "my spasms are much worse": the brief's "Worsening muscle spasms ... significantly
                # more severe", read at the severity the red-flag triage sends as urgent.
                severity = max(severity, WORSENED_SEVERITY)
            symptoms[key] = max(symptoms.get(key, 0), severity)
        if _MILD_SLEEPY.search(words) and not resolved and not baseline and not (
                _PAST_STATE.search(words) and not _NOW.search(words)):
            # round sixteen: sleepier than usual in Mexican Spanish ("me tiene con un sueñito que no es normal", "mucha modorra",
            # "duerme mucho", "me duermo viendo la tele"), waking when spoken to: the brief's mild sleepiness, urgent
            symptoms["drowsiness"] = max(symptoms.get("drowsiness", 0), 5)
    supposed = any(_hypothetical(w, affirmed) and not _STATED_BEFORE_ASKING.search(w) and not (
        symptoms and _IS_IT_NORMAL.fullmatch(w)) for w, _ in clauses)
    if supposed:
        symptoms = {}
    for sign in certain:
        key, severity = SIGN_SYMPTOM[sign]
        symptoms[key] = max(symptoms.get(key, 0), severity)
    for sign in doubtful:
        key, _ = SIGN_SYMPTOM[sign]
        if key != "seizure":  # a doubtful seizure is recorded in the note, not as a seizure
            symptoms.setdefault(key, 5)

    # "no es normal en el", "she breathe very little ... not normal", "no despierta bien": a
    # reassurance word under a negation is a worry, not reassurance.
    # Within a clause only: "No, esta todo bien" answers no, then reassures.
    # Nor is "normal" asked about ("..., is that normal?"): a worry, not reassurance.
    well = reply.intent == "all_well" or _WELL_RE.search(" ".join(
        _IS_IT_NORMAL.sub(" ", _NOT_WELL.sub(" ", _NOT_REASSURANCE.sub(" ", normalise(part))))
        for part in re.split(r"[,.;:!?\n]|\s[-\u2013\u2014]\s", text))) is not None
    denial = symptom_text.without_denied_symptoms(cleaned) != cleaned
    # Round sixteen: a sign the sign tables read denied ("Nope, no breathing issues.", nothing reported) reassures the dose
    # reader as a denied symptom does: the "nope" answers the question, it is no dose not taken.
    sign_denial = bool(signs_denied and not (certain or doubtful or symptoms))
    # "how do we know if the pump is running low?" asks how things work; "is the pharmacy out?" reports.
    reported = [(w, asked) for w, asked in clauses if not (asked and _HOW_QUESTION.match(w))]
    supply = next((problem for problem, pattern in _SUPPLY_RE.items() if _in_any(pattern, reported)), None)
    if reply.intent == "supply" and reply.supply_problem and reported:
        supply = reply.supply_problem
    dose, doses = _dose([(as_meant(words), asked) for words, asked in clauses], reply, symptomatic=bool(symptoms or certain or doubtful), reassuring=well or denial or sign_denial,
                        supply=supply is not None, sender=sender)
    if dose == "extra" and supply is not None and any(dispensed_then_taken(_dose_words(as_meant(w))) for w, asked in clauses if not asked):
        # round fifteen: the stronger tablet taken is the dose to report; the dispensing said with it is no supply problem
        supply = next((problem for problem, pattern in _SUPPLY_RE.items() if _in_any(
            pattern, [(w, asked) for w, asked in reported if not _DISPENSED.search(w)])), None)
    if reply.intent == "number" and reply.number is not None:
        dose = "none"
    # A thumbs-up alone says "seen", not "taken": from a caregiver it acknowledges; from a patient it
    # is asked about (the numbered question), because a dose recorded on a guess hides a missed one.
    thumbs_only = not cleaned and _THUMBS_ONLY.fullmatch(text.strip()) is not None
    if not cleaned and sender == "caregiver" or thumbs_only:
        dose = "none"
    if dose == "taken" and "\U0001f44d" in text and _THUMBS_WELL.fullmatch(cleaned):
        # round seventeen: a thumbs-up beside well-being alone ("👍 all good", "Todo bien gracias 👍") reassures; no dose said
        dose = "none"
    question = any(asked for _, asked in clauses) or reply.intent == "status" and sender == "patient"
    stop = _STOP_RE.search(cleaned) is not None
    # An acknowledgement stops an escalation: never read one into a question or a request to stop.
    # Nor into a call that went unanswered ("le marque y no contesta"): no one has reached them.
    # The call may be one clause and "no answer" the next ("I called him but no answer").
    unanswered = _UNANSWERED_CALL.search(" ".join(words for words, _ in clauses)) is not None or any(
        _NO_ANSWER.match(words) for words, _ in clauses)
    acting = sender == "caregiver" and not unanswered and (_acting_on_it(clauses) or bool(symptoms or certain or doubtful)
                                                           and _care_team_called(clauses))
    nagging = _NOT_LISTENING.search(cleaned) is not None
    ack = sender == "caregiver" and (reply.intent == "ack" or any(
        (m := _ACK_RE.search(_CALL_MADE.sub(" ", words) if unanswered else words)) is not None
        and not (nagging and _TELLING.match(m.group())) for words, asked in clauses if not asked)
        or "\U0001f44d" in text) or acting
    # Asked, not said: "Ya se tomo la de la tarde. ... Le aviso al doctor?" reports the dose.
    status = sender == "caregiver" and (reply.intent == "status" or any(
        asked and _STATUS_RE.search(words) for words, asked in clauses)) and not ack

    if sender == "caregiver" and status and dose in ("taken", "not_taken") and not _dose_stated(clauses):
        # "did she take it?" asks. Round twelve: not a dose stated in a clause of its own, said and not asked, beside the
        # request ("gave it at 8. what's the status?", "Calvin took his at 9 - did Otis's register?"); a circumstance
        # ("did mom take it or not? im stuck at work") or a reading of the whole text still asks.
        dose = "none"
    if dose != "none":
        intents.add("dose_report")
    if symptoms or certain or doubtful:
        intents.add("symptom_report")
    if supply:
        intents.add("supply_problem")
    if ack:
        intents.add("ack")
    if status:
        intents.add("status_request")
    if question:
        intents.add("question")
    if stop:
        intents.add("stop")
    if (well or denial) and not symptoms and not certain and not doubtful:
        # "no drowsiness, she was up and gardening": a symptom denied, nothing reported, is
        # reassurance, not a text to puzzle over.
        intents.add("all_well")

    ack_read = ack  # before the rules below set an acknowledgement aside: the learned net does not put one back
    # A caregiver's acknowledgement beside a sign still happening ("OK calling now, he's still
    # convulsing") is both: the service records the acknowledgement and keeps the emergency going
    # (``alerts.services.inbound._report``). Beside a request to stop or an extra dose it is neither.
    # With trouble reported, only a text that opens with the acknowledgement ("OK calling now, ...",
    # "on my way. also ...") or says the sign goes on ("ambulance is here but he's still not
    # breathing") answers the alert. Since round eleven a report that says what is being done about it
    # ("he's seizing, 911 called": ``_acting_on_it``) is both too; a request to stop never acknowledges.
    if ack and (stop or not acting and (dose == "extra" or (certain or doubtful or symptoms) and not _acks_an_alert(text))):
        intents.discard("ack")
        ack = False
    if dose == "extra" and "drowsiness" not in certain and _sedation_said(cleaned):
        # "so drowsy, took 3 pills instead of 1": sleepiness after too much baclofen is the brief's
        # toxicity ("Excessive drowsiness and sedation") under way; not to be waited out as urgent.
        certain.add("drowsiness")
        doubtful.discard("drowsiness")
        symptoms[SIGN_SYMPTOM["drowsiness"][0]] = SIGN_SYMPTOM["drowsiness"][1]
    # Round seventeen (the lead, from BB, BE): a spell told of yesterday or last night (``_PAST_STATE``) and doubted as a
    # seizure ("anoche me quedé como ido ..., no sé si fue ataque") is over as a spell that came to is: nothing said goes on now.
    if (_CAME_TO.search(cleaned) or _PAST_STATE.search(cleaned) and not _NOW.search(cleaned)
            and any(_DOUBTED_EPISODE.search(words) for words, _ in clauses)) and ("seizure" in doubtful or any(asked and _EPISODE.search(words) for words, asked in clauses)
                                     # round ten (N): "no se si fue un ataque pero se quedo mirando fijo ..., luego ya estaba bien"
                                     or any(_DOUBTED_EPISODE.search(words) for words, _ in clauses)):
        # "zoned out, didn't answer, then snapped out of it. could that be a seizure?": the spell,
        # over, is the doubtful seizure; its not answering is part of it, not a sign of its own.
        # Round eighteen: not a sign said now in a clause of its own after it ("she came to but now she doesn't know who I am",
        # "ya volvió en sí pero ahora no sabe quién soy"): that is what the person is like now, not part of the spell.
        now = _said_now(clauses, remote=by_phone, affirmed=affirmed)
        doubtful |= certain - {"breathing"} - now
        certain &= {"breathing"} | now
    if "seizure" in certain and not _SEIZURE_NAMED.search(sounded_out(as_meant(cleaned))) and _awake_through(cleaned):
        # Round thirteen: jerks described by their features with the person awake and talking ("small jerking in his arms
        # and legs ... he is awake and talking normal, he know me", "brincos en brazos y piernas pero esta despierto y me
        # habla"): someone in a convulsion does not talk. The brief's twitching/jerks, or a doubtful seizure: urgent, not 911.
        # (Not a patient texting about their own jerking: A002, I1-008, J2-080 label that an emergency, R2-027 urgent.)
        certain.discard("seizure")
        doubtful.add("seizure")
    if certain & set(_PASSING_SIGNS) and _MITIGATED.search(cleaned):
        # "muy sleepy, pero puedo hacer mis cosas": the person says they are functioning. Round fourteen: only the
        # sleepiness or confusion it answers ("had a seizure, now sleepy but wakes up easily" stays the seizure).
        doubtful |= certain & set(_PASSING_SIGNS)
        certain -= set(_PASSING_SIGNS)
    if "seizure" in doubtful and "seizure" not in certain:
        # Round thirteen: a seizure read certain, then doubted (a spell over, jerks with the person awake) is recorded in the
        # note, not as a seizure, as a doubtful one read from the start is: a check-in at seizure severity would open an
        # emergency in the service while the reading says urgent.
        symptoms.pop(SIGN_SYMPTOM["seizure"][0], None)
    if certain:
        urgency: Urgency = "emergency"
    elif symptoms or doubtful or dose == "extra":
        urgency = "urgent"
    else:
        urgency = "none"
    by_net = False
    if urgency == "none" and net_may_read(intents, reply, clauses, sender, denied=denial or _LET_SLEEP.search(cleaned) is not None) \
            and cleaned and trouble_net.trouble_probability(text, sender) >= trouble_net.load().threshold + _net_margin(
                intents, supposed=supposed):
        # The safety net (issue 10): the tables read no trouble, but a classifier trained on every
        # labelled phrasing finds the words likely to describe a body in trouble. At least urgent,
        # the words to the caregivers; never an emergency on the net's word alone.
        urgency, by_net = "urgent", True
        intents.add("symptom_report")
        intents.discard("all_well")
    # Round fourteen: a caregiver taking the alert on in words the tables do not list, by the learned net. Not where the
    # tables read or set aside an acknowledgement, nor in a question, a status request, a request to stop, a number or a
    # call that went unanswered: an acknowledgement stops an escalation.
    # Nor beside any negation: the tables know "nobody on w/ 911 yet" takes nothing on; a net of words may not.
    ack_by_net = sender == "caregiver" and not (ack_read or unanswered or {"question", "status_request", "stop"} & intents
                                                or reply.intent == "number" or not cleaned or _NEGATION_ANYWHERE.search(cleaned)
                                                ) and ack_net.load().acknowledges(text)
    if ack_by_net:
        intents.add("ack")
    if reply.intent == "number":
        intents.add("number")
    confident = confident_so_far(intents, reply) and not (thumbs_only and sender == "patient")
    if sender == "caregiver" and urgency == "none" and _option_number(cleaned) == 4:
        # A caregiver's options are 1-3 (``_CAREGIVER_OPTIONS``): a "4" is either the patient's
        # "call 911 now" relayed or a slip. Never silent, never an emergency on a digit: urgent, the
        # text to every caregiver, nothing acknowledged, and the options asked again.
        urgency, confident = "urgent", False
    if sender == "caregiver" and urgency == "none" and _PLEA.search(cleaned) and not _NO_PLEA.search(cleaned):
        # Round nine (K): a caregiver's plea ("pls send someone", "bitte jemand soll hingehen") in words
        # the tables cannot place is never silence: urgent, the words to every caregiver, nothing acknowledged.
        urgency, confident = "urgent", False
        intents.discard("ack")
        intents.discard("all_well")
    if not confident:
        intents.add("unclear")
    # Nothing in a bare thumbs-up for the caregivers to read: the patient's answer settles it.
    forward = urgency != "none" or not confident and not thumbs_only or (
        question and not status and sender == "patient")
    return Reading(urgency, dose, frozenset(intents), confident, forward, tuple(sorted(certain)),
                   tuple(sorted(doubtful)), symptoms, supply, doses if dose == "extra" else None, reply.code,
                   reply.number, reply, by_net, ack_by_net)


_NEGATION_ANYWHERE = re.compile(r"\b(?:no|not|nobody|no one|noone|nadie|never|nunca|ni|sin|haven t|havent|hasn t|hasnt|didn t|"
                                r"didnt|don t|dont|can t|cant|cannot|won t|wont|couldn t|couldnt|unable|yet|todavia|aun)\b")
_PLEA = re.compile(r"\b(?:send|get|mande\w*|manden|envien|mandar) (?:\w+ )?(?:someone|somebody|help|alguien|ayuda|a nurse)\b|"
                   r"\b(?:someone|somebody|alguien|jemand) (?:\w+ ){0,2}(?:go|check|get over|vaya|pase|hingehen|vorbei)\b|"
                   r"\bbitte\b|\bhilfe\b|\btulong\b|\b(?:need|needs) help\b|\bhelp (?:me|him|her|us|pls|please|plz)\b|"
                   r"\b(?:necesito|necesitamos) ayuda\b|\bayud(?:a|enme|ame)\b (?:por favor|porfa|pls)")
_NO_PLEA = re.compile(r"\b(?:no need|don t need|dont need|do not need|no hace falta|no necesit\w*|no (?:manden|envien|mande)|"
                      r"(?:don t|dont|do not) send)\b")
# Round fifteen (the untouched judges' emergencies read as reassurance): a reassurance word that says nothing about how
# the person is. A part's opening "well" / "ok so" ("Well I hate to be a bother but his lips have gone kind of bluish",
# "okay so Irene is like gas being for air"); "bien" as "very" before a word that is not reassurance itself ("respiraciones
# bien shallow", "respira ... bien lento"); a "good" or "bien" a few words after "no" or "can't" ("I no can breathe good");
# "nothing" / "nada" as what makes no sense ("saying words all wrong like nothing makes sense", "no entiende nada").
_NOT_REASSURANCE = re.compile(
    r"^(?:(?:oh|ah|um|uh|and|so) )?(?:well|ok|okay|ok so|okay so|so)\b(?= \w)|"
    r"\bbien (?=(?!(?:gracias|thanks|thank|todo|toda|hoy|ahora|ahorita|aqui|alla|ya|y|e|o|pero|por|para|con|de|del|la|el|"
    r"los|las|en|a|al|mi|tu|su|que|como|nomas|nada|mas|muy|bien|tranquil\w*|content\w*|feliz|despiert\w*|alert\w*|animad\w*|"
    r"relajad\w*|buen[oa]s?|mij[oa]|amig[oa]|senora?|doctora?|hij[oa]|mama|papa|gordit[oa]|lind[oa]|gracias a dios|"
    r"primo|prima|tia|tio|comadre|compadre|jefe|jefa|dios)\b)[a-z])|"
    r"\b(?:no|not|can t|cant|cannot|couldn t|couldnt) (?:\w+ ){1,3}(?=(?:good|bien|well|fine|ok|okay|normal)\b)(?:good|bien|well|fine|ok|okay|normal)\b|"
    r"\bnothing (?:\w+ ){0,3}(?:makes?|made|making) sense|\b(?:no|ni) (?:\w+ ){0,2}(?:entiende|entiendo|se le entiende|dice|tiene sentido|"
    r"reconoce|sabe) nada\b|\bnada (?:tiene sentido|de lo que dice)")
_NOT_WELL = re.compile(r"\b(?:not|isn t|isnt|aren t|arent|no es|no esta|no estoy|no se ve|no se siente|no me siento|no lo veo|"
                       r"no la veo|no (?:despierta|respira|reacciona|habla|camina|duerme|anda|contesta|responde))"
                       r" (?:\w+ )?(?:normal\w*|bien|ok|okay|fine|good|great|right|alright|well)\b")


# Baseline signs that matter when they get worse (brief, withdrawal: "Worsening muscle spasms: The
# baseline spasticity returns but is often significantly more severe"). A text saying so has nothing
# earlier to compare with, so the word "worse" carries it: the symptom is recorded at a severity at
# or above ``ClinicalSettings.urgent_spasm_severity`` (7), which the red-flag triage sends as urgent.
WORSENING_SIGNS = frozenset({"spasms"})
WORSENED_SEVERITY = 8
_WORSENED = re.compile(r"\b(?:worse|worst|worsening|getting bad|more (?:severe|intense|frequent)|peor\w*|pior\w*|empeora\w*|"
                       r"mas (?:fuertes?|intens\w*|seguid\w*))\b(?! than (?:usual )?(?:at night|in the morning|before bed))")
# A symptom said to be better or gone is not a complaint.
_RESOLVED = re.compile(r"\b(?:(?:has|have|hasn t|hasnt|haven t|havent) (?:not )?(?:recurred|come back|returned|happened again)|no (?:ha|se ha|le ha|me ha) (?:vuelto|repetido|regresado)\b(?! a)|better|improv\w*|mejor\w*|went away|gone|cleared up|eased|easing|calmer|calmed|less|menos|"
                       # round twelve: "tremors settled down", "subsided"
                       r"settled|settling|subsided|"
                       # round fifteen: "spasms pretty quiet", "legs quieter today"
                       r"(?:spasms?|twitch\w*|jerks?|tremors?|cramps?|legs?|muscles?) (?:\w+ ){0,2}quiet(?:er)?|"
                       # round sixteen: "spasms way down since the dose change", "the twitching has gone down"
                       r"(?:spasms?|spasticity|twitch\w*|jerks?|tremors?|cramps?|stiffness|tightness|tone) (?:(?:are|is|s|have|has|gone|went|"
                       r"come|way|much|a lot|a little|right|really) )*down\b|"
                       r"chill|under control|in check|controlad\w*|bajo control|tranquil\w*|"
                       # round ten (N): "spasms are manageable", "stopped yesterday, nothing since"
                       r"(?<!not )(?<!barely )(?<!hardly )(?:manageable|tolerable|bearable|manejables?|llevaderos?|soportables?)|"
                       r"(?<!n t )(?<!not )(?<!never )stopped(?! (?:\w+ )?(?:taking|breathing|eating|drinking|responding|talking))"
                       # round twelve: a medicine stopped is no symptom gone ("I stopped the back lofen Tuesday")
                       r"(?!(?: the| my| his| her)? (?:back ?lofen|baclofen|meds?|medicine|medication|pills?|tablets?|pump|it|them)\b)|"
                       r"nothing since|none since|nada desde|"
                       # round sixteen: "he HAD tremors last month, none now", "ya no tiene ninguno ahora"
                       r"(?:none|ninguno|ninguna) (?:now|today|anymore|ahora|hoy)|"
                       r"(?<!no )(?<!nunca )se (?:le |me )?(?:quit\w*|paso|fue(?! la (?:mente|cabeza))|calm\w*)|ya (?:paso|no(?! (?:aguant\w*|soport\w*|puedo con|tengo|tiene|tenemos|hay|quedan?|me quedan?|le quedan?|compr\w*|alcanz\w*|puedo comprar|"
                       # round eleven (P): "ya no aguanto los espasmos" (can't bear them) is worse, not gone
                       r"lo soport\w*)\b)))\b")
# Round twelve: a symptom said to be the person's usual ("legs stiff as always", "the usual stiffness", "los espasmos de
# siempre", "igual que siempre") is their baseline, not a complaint; unless it is said to be more than usual.
_NO_WORSE_THAN_USUAL = (r"(?:no|not|ni|isn t|isnt|aren t|arent|no estan?|no son) (?:any )?(?:worse|peor|peores) (?:than (?:usual|normal|always|"
                        r"before|ever)|que (?:de costumbre|lo normal|siempre|antes)|de lo normal)")
_BASELINE = re.compile(r"\b(?:same as (?:it s|its|it has|they ve|they have|it was|he s|she s) (?:always )?been|como (?:ha sido|lo ha tenido) siempre|as always|like always|same as (?:always|ever|usual|before)|as usual|like usual|(?:the|my|his|her|their) usual|"
                       r"usual (?:stiff\w*|spasm\w*|cramp\w*|tight\w*)|about the same|same old|normal for (?:her|him|me|them)|(?:at|is|s) (?:his |her |my |their )?baseline|stable|estable|"
                       r"de siempre|como siempre|igual que siempre|igual de siempre|lo de siempre|como de costumbre|lo normal|nada nuevo|"
                       # round sixteen: "no better no worse", "igual q siempre", "legs a bit stiff but that's just me", "just my
                       # regular stiff legs", "the normal stiffness"
                       r"(?:no|not|ni) (?:any )?(?:better|mejor)(?: (?:and|or|y|o))? (?:no|not|ni) (?:any )?(?:worse|peor)|"
                       r"(?:same|igual|lo mismo)(?: (?:as|que|q|de))? (?:always|siempre|ever|usual|normal)|igual (?:q|que) (?:antes|siempre)|"
                       r"(?:that s|thats|that is|it s|its) (?:just )?(?:me|him|her|how (?:i am|i m|he is|he s|she is|she s))|"
                       r"(?:my|his|her|the|their) (?:regular|normal|everyday|every day|daily) (?:\w+ )?(?:stiff\w*|spasm\w*|cramp\w*|tight\w*|legs?)|"
                       # round eighteen: no worse than the usual is the usual ("no worse than normal", "no peor que de costumbre")
                       rf"{_NO_WORSE_THAN_USUAL})\b")
# Round eighteen: the spasms the medicine treats said to be no trouble, their severity denied or held ("Spasms aint bad today",
# "no están tan fuertes", "Spasticity well controlled on current regimen"): the baseline, as "the usual stiffness" is. Only the
# spasms: a new twitch "not terrible" is still a complaint (AC1-065), and "not controlled", "poorly controlled" are complaints.
_SPASMS_HELD = re.compile(r"\b(?:(?:ain t|aint|isn t|isnt|aren t|arent|not|no (?:son|estan|esta)|nada) (?:too |so |that |very |muy |tan |"
                          r"real |really )?(?:bad|terrible|awful|malos?|malas?|fuertes?)(?! (?:but|pero|now|ahora)\b)|"
                          r"(?<!not )(?<!no )(?<!poorly )(?<!badly )(?<!mal )(?:well |under |bien )?(?:controlled|controlad[oa]s?)|"
                          r"(?:under|bajo) control)\b")
# Round sixteen: the comparison "no better no worse" or "not worse" says no worse: read without it for worse and more.
# Round eighteen: the comparison denied with its standard ("no worse than normal", "no peor que de costumbre"): the standard is
# part of the denial, not a comparison of its own.
_NOT_WORSE = re.compile(r"\b(?:(?:no|not|ni) (?:any )?(?:better|mejor)(?: (?:and|or|y|o))? )?(?:no|not|ni|isn t|isnt|aren t|arent|no estan?|no son) "
                        r"(?:any )?(?:worse|peor|peores)\b(?: (?:than (?:usual|normal|always|before|yesterday|ever)|que (?:de costumbre|lo normal|"
                        r"siempre|antes|ayer)|de lo normal)\b)?")
# Round sixteen: "still" beside the person's usual said outright ("his legs are still stiff, just like his usual"): the medicine
# not yet working on the baseline, not worse.
# "As always" in the words both of the next two tables read it in.
_AS_ALWAYS = r"like always|como siempre|igual (?:q|que) siempre"
_PLAIN_USUAL = re.compile(rf"\b(?:(?:just )?like (?:his|her|my|their) usual|same as (?:always|usual|ever)|as usual|{_AS_ALWAYS}|"
                          r"de siempre)\b")
_STILL_ONLY = re.compile(r"\b(?:still|sigue|todavia)\b")
# Round sixteen: the baseline said in a clause of its own after a "but" ("legs a bit stiff but that's just me", "tiesas pero
# como siempre"): read with the clause before it.
_BASELINE_ONLY = re.compile(rf"{_NO_WORSE_THAN_USUAL}|(?:(?:that s|thats|that is|it s|its|eso es|es) (?:just |only |nomas |solo )?(?:me|him|her|how (?:i am|i m|he is|he s|she is|she s)|"
                            r"normal for (?:me|him|her)|(?:my|his|her) (?:usual|normal|baseline)|lo normal|lo de siempre)|"
                            rf"(?:same|as) (?:as )?(?:always|usual|ever)|{_AS_ALWAYS}|lo de siempre|"
                            r"normal for (?:me|him|her))")
_MORE_THAN_USUAL = re.compile(r"\b(?:than (?:usual|always|normal|before)|mas que|mas de lo|que de costumbre|que lo normal|"
                              r"more|mas|worse|peor|not (?:the )?usual|no (?:es )?(?:lo )?normal)\b")
_COMPARISON_ONLY = re.compile(r"(?:way |much |a lot |mucho |bastante )?(?:more|worse|mas|peor) (?:than usual|than normal|than yesterday|"
                              r"de lo normal|que de costumbre|que lo normal|que ayer)")
_WORSE_THAN_USUAL = re.compile(r"\b(?:than (?:usual|always|normal|before)|mas que|mas de lo|que de costumbre|que lo normal|worse|peor)\b")
# "was a little confused this morning, fine now": a passing symptom, over.
_RECOVERED_NOW = re.compile(r"\b(?:false alarm|falsa alarma|(?:fine|ok|okay|good|better|normal|alright) now|"
                            # round nine (K): "it went away, he's good today", "se le quito, hoy esta bien"
                            r"(?:went away|se (?:le |me )?(?:quito|paso|fue)),? (?:and )?(?:(?:he s|she s|i m|he is|she is|i am) (?:good|fine|ok|okay|alright) today|"
                            r"hoy (?:esta|estoy|amanecio|amaneci) bien)|now (?:\w+ )?(?:fine|ok|okay|good|better|"
                            r"normal)|back to normal|ya (?:esta|estoy) bien|ya se (?:le |me )?(?:paso|quito))\b")
_EARLIER = re.compile(r"\b(?:era|eran|fue|fueron|was|were|earlier|this morning|last night|estaba|estuve|en la manana|hace rato|anoche)\b")
_WORSE = re.compile(r"\b(?:worse|worst|peor|pior|not better|no mejor\w*|still|sigue|todavia|ya no (?:aguant\w*|soport\w*))\b")
_SEDATED = re.compile(r"\b(?:very|so|really|too|super|muy|bien|tan) (?:drowsy|sleepy|sedated|groggy|lethargic|out of it|"
                      r"somnolient\w*|dormid\w*|adormilad\w*)\b")
# Round sixteen: sleepiness not wanted, feared or denied ("I don't want to get too sleepy", "no quiero andar tan dormida"): no
# toxicity under way beside an extra dose.
_SEDATION_NOT_SAID = re.compile(r"\b(?:not|no|never|isn t|isnt|wasn t|wasnt|without|sin|nor|ni|avoid|avoiding|evitar)\s+(?:\w+\s+){0,2}$")


def _sedation_said(cleaned: str) -> bool:
    return any(not (_UNWANTED_BEFORE.search(cleaned[:m.start()]) or _FEARED_BEFORE.search(cleaned[:m.start()])
                    or _SEDATION_NOT_SAID.search(cleaned[:m.start()])) for m in _SEDATED.finditer(cleaned))


_MITIGATED = re.compile(r"\b(?:pero puedo|but (?:i|she|he) (?:can|m|s|is|am) (?:still )?(?:do|doing|function|ok|fine|"
                        r"walk|talk)\w*|but (?:otherwise )?(?:ok|okay|fine|functioning)|"
                        # "bien" as "very" is no reassurance: "pero esta bien ida", "pero esta bien dormido"
                        r"pero (?:estoy|esta) bien(?! (?:\w+(?:ad|id)[oa]s?\b|ida|ido|perdid\w*|confundid\w*|dormid\w*|mal|rar[oa]|morad\w*|mare\w*|"
                        r"desorientad\w*|tont[oa]|out of it|pálid\w*|palid\w*|somnolient\w*|adormilad\w*))|"
                        # rouses: "dozes off but wakes right up when I say his name", "pero si despierta"
                        r"but (?:\w+ ){0,2}(?:wakes|comes) (?:right )?(?:up|to|around)|pero (?:si )?(?:se )?despierta|"
                        # round fourteen (AE1, AD1): roused by a word, said further on ("though on each occasion she woke readily
                        # when spoken to", "pero uno le habla y se despierta y contesta bien", "cuando le hablo se despierta")
                        r"(?:but|though|pero|aunque)\b(?: \w+){0,6} (?:woke|wakes|wake) (?:up )?(?:readily|easily|right up|when (?:spoken|talked) to)|"
                        r"(?:pero|aunque|but)\b(?: \w+){0,5} (?:le habla\w*|le hablo|le hablamos) y (?:se )?despierta|"
                        # round seventeen (the lead, from BB, BH): the "y" left out ("pero cuando le hablo se despierta"), and
                        # the patient's own "pero me despierto enseguida"
                        r"(?:pero|aunque|but)\b(?: \w+){0,5} (?:le habla\w*|le hablo|le hablamos) (?:se )?despierta|"
                        r"(?:pero|aunque) (?:me|se) despiert[ao] (?:enseguida|rapido|luego luego|solit[ao]|facil\w*|en seguida))\b")
# "tengo sueno, es normal?": the symptom is stated, then asked about; it is reported.
_STATED_BEFORE_ASKING = re.compile(r"\b(?:i m|im|i am|i have|i ve|i feel|i fe+l|he s|she s|he is|she is|tengo|tiene|estoy|"
                                   r"esta|me siento|se siente)\b.*\b(?:is (?:it|that|this)|es) (?:normal|bad|expected)\b")
# A question of its own after a symptom said ("tiene saltitos en los brazos. es normal eso?"): the
# symptom is reported, not made hypothetical.
_IS_IT_NORMAL = re.compile(r"(?:is (?:it|that|this)|es|esto es|eso es) (?:normal|bad|dangerous|serious|expected|malo|peligroso|grave)"
                           r"(?: (?:eso|esto|that|this))?")
# Round seventeen: what a sign would mean, asked of signs in general ("do twitches mean im taking too much?", "¿los espasmos
# quieren decir que estoy tomando poca?"); not of one's own ("does my twitching mean ...", "mis espasmos ...").
_MEANING_ASKED = re.compile(r"^(?:(?:do|does|can|could|would|might) (?!(?:my|his|her|their|these|this|those|the|mom|dad|mum|i|he|she|we|"
                            r"they|you|it|u)\b)\w+|(?:los|las|el|la|unos|unas) \w+) (?:mean|indicate|signal|suggest|quieren decir|quiere decir|"
                            r"significan?|indican?)\b")
_STATEMENT_IN_QUESTION = re.compile(r"\b(?:i m|im|i am|i have|i ve|he s|she s|he is|she is|tengo|tiene|estoy|"
                                    # round sixteen: not "esta" as "this" ("¿esta pastilla puede dar temblor?")
                                    r"esta(?! (?:pastilla|pastillas|medicina|medicinas|dosis|baclofen\w*|pildora|tableta|cosa|"
                                    r"medicamento|droga|receta))|"
                                    r"me siento|se siente|i feel|feeling|"
                                    r"(?:i|he|she) (?:might|may|could) be|(?:she|he|i) (?:seems|looks|feels)|"
                                    # "why is she so floppy?", "why does he keep jerking?", "por que anda tan
                                    # dormido?": the question takes the state as given; it is reported.
                                    r"why (?:is|does|do|am) (?:he|she|i|mom|dad|my \w+) (?:so|keep|still|always)|"
                                    # round fourteen: "why am I twitching so much?", "why are my legs jumping?": the state as given
                                    r"why (?:am i|is (?:he|she|mom|dad|my \w+)|are (?:my|his|her) \w+) \w+ing\b|"
                                    r"por que (?:esta|anda|se ve|sigue) (?:tan )?|"
                                    # round twelve: "esto de que me tiemblen los parpados es de la pastilla?": the state as given
                                    r"(?:esto|eso|lo) de que (?:me|le|se)|(?:this|the) thing (?:where|with) (?:my|his|her))\b")


# Round sixteen: a clinician's "denies" reaches over the list after it ("Pt denies seizures, SOB or excess daytime sleepiness",
# "niega fiebre, temblores o mareo"), to a word that reports something again.
_DENIES_LIST = re.compile(r"\b(?:denies|denied|niega|nego|negative for)\b(?:(?!\b(?:but|pero|however|although|though|except|aside|"
                          r"reports?|reported|endorses?|complains?|states?|admits?|refiere|reporta|tiene|has|is|was)\b).)*")
# Round sixteen: the alarm someone else took ("my granddaughter panicked", "everybody freaked out", "la familia se asustó"):
# their fright, not the patient's agitation. From a patient, "my <anyone>"; from anyone, the whole family or everybody.
_OTHERS_ALARMED = re.compile(r"\b(?:everybody|everyone|the (?:whole )?family|the kids|todos|toda la familia|la familia)\b(?: \w+)? "
                             r"(?:panick\w*|freak\w*(?: out)?|got (?:scared|worried|nervous)|se (?:asust\w*|espant\w*|pusieron nerviosos))")
_FAMILY_ALARMED = re.compile(r"\b(?:my|mi|mis) (?:\w+ ){1,2}(?:panick\w*|freak\w*(?: out)?|got (?:scared|worried|nervous)|"
                             r"se (?:asusto|asustaron|espanto|espantaron|puso nervios\w*))")
# Round sixteen: a jerk or a shake given its ordinary cause in the same clause ("my body jerked from the coughing", "brinque
# por el estornudo", "shook from laughing"): explained, not the brief's myoclonus.
_EXPLAINED_BY = re.compile(r"\b(?:from|because of|with|due to|por|con) (?:the |my |his |her |all the |a |el |la |los |las |un |una )?(?:\w+ )?"
                           r"(?:cough\w*|sneez\w*|hiccup\w*|laugh\w*|tos|tosiendo|estornud\w*|hipo|risa|carcajada\w*)\b")
# Round eighteen: a twitch, tremor or spasm the writer puts down to a cause, "just" or "only" ("the tremor she mentioned was
# just from standing at the bus stop in the cold", "fue nomás por el frío"): explained, not a complaint.
_JUST_FROM = re.compile(r"\b(?:was|were|is|s|are|fue|fueron|era|eran|es|son) (?:just|only|nomas|solo|solamente) (?:from|because|due to|cause|"
                        r"por|del?)\b")
# Round sixteen: "ni Don Fermín ni la señora Estela han tenido temblores": neither of two has had it, said with the names first.
_NEITHER_NOR = re.compile(r"\bni (?:\w+ ){1,4}?ni (?:\w+ ){1,4}?(han|ha|hemos) (tenido|sentido|presentado|notado)\b")
# Round sixteen: a word refused for what is happening ("I wouldn't call it drowsy", "I wouldn't say confused"): a denial.
_NOT_CALLED = re.compile(r"\b(?:i )?(?:wouldn t|wouldnt|would not|won t|wont) (?:call|say) (?:it |that |him |her |me |she s |he s |i m )?")
_MILD_SLEEPY = re.compile(r"(?<!\bno )(?<!\bsin )(?<!\bni )(?<!\bnada de )(?:\b(?:con|tengo|tiene|ando con|anda con|esta con|estoy con) "
                          r"(?:un |una |mucho |mucha |tanto |tanta )?(?:suenito|modorra)\b|\b(?:duerme|duermo|dormia|se la pasa durmiendo|"
                          r"me la paso durmiendo) (?:mucho|muchisimo|demasiado|todo el dia)\b|\b(?:me|se|nos) (?:duermo|duerme|dormimos) "
                          r"viendo (?:la )?(?:tele|television|novela)\b|\baguad[oa] todo el dia\b)")
_EXPLAINABLE = frozenset({"myoclonus", "twitching", "tremor", "spasms"})


def confident_so_far(intents: set[str], reply: Reply) -> bool:
    """The tables placed the text: it said something they read (a dose, a question, reassurance,
    an acknowledgement ...) or the older parser read a keyword or a number."""
    return bool(intents) or reply.intent != "unknown"


_CAME_TO = re.compile(r"\b(?:snapped|snaps|came|comes|coming) (?:right )?(?:out of it|to|back|around)\b|volvi\w* en si|"
                      # round thirteen: "then he was back and fine", "hes back to normal now", "ya volvio a la normalidad"
                      r"(?:was|is|s|were|hes|shes|es) back (?:and (?:fine|ok|okay|normal)|to (?:normal|himself|herself|themselves))\b|"
                      r"back to (?:normal|himself|herself) (?:now|again|right after|after)\b|volvi\w* a la normalidad|ya (?:esta|estaba) como siempre|"
                      r"(?:ya )?reacciono|(?:luego|despues) (?:siguio|quedo|volvio a estar) (?:como )?normal\b|then (?:went )?back to normal\b|"
                      r"then (?:(?:she|he|they) )?(?:was|were|seemed|is|went) (?:back to )?(?:totally |completely |perfectly |just )?(?:normal|fine|ok|okay|herself|himself)|"
                      r"(?:volvio|regreso|reacciono|siguio|quedo) como si nada|(?:came back|snapped back|was fine) like nothing(?: happened)?|(?:luego|despues) (?:ya )?(?:estaba|esta|quedo) (?:normal|bien)|"
                      # round fourteen (AG1, AH2, AJ2: three writers): "then he was quite himself again", "despues volvio normal",
                      # "luego ya golvio y dijo que no se acuerda"
                      r"(?:was|is|s|seemed|seems|became) (?:quite |completely |totally |all |just )?(?:himself|herself|themselves) again|"
                      r"volvio (?:a estar )?(?:normal|bien)\b|(?:luego|despues|then) (?:siguio|carried on|went on|kept on) (?:\w+ )?(?:normal\w*|como si nada|like nothing)\b|(?:luego|despues|then) (?:ya )?(?:volvio|golvio|regreso)\b")
# Whether it was a seizure at all is doubted (not how long it lasted): "no se si fue un ataque", "idk if it was a seizure".
_DOUBTED_EPISODE = re.compile(rf"\b{_WHETHER_DOUBTED}\b(?: \w+){{0,4}} (?:seiz\w*|fits?|ataques?|convuls\w*|crisis)\b")
_SEIZURE_NAMED = re.compile(r"\b(?:seiz\w*|convuls\w*|epilep\w*|fits?|fitting|ataques?|crisis|grand mal|tonic\w*|post ?ictal\w*)\b")
_AWAKE_THROUGH = re.compile(r"\b(?:(?:is|s|was|stays?|stayed|remains?|esta|estaba|sigue) (?:fully |wide |bien |completamente )?(?:awake|alert|"
                            r"conscious|despiert[oa]|consciente)|(?:talking|speaking|hablando|conversando|platicando) (?:normal\w*|fine|ok|okay|"
                            r"bien|clearly|to me|with me|conmigo)|(?:conversa|habla|platica) (?:normal\w*|bien|conmigo)|"
                            r"(?:he|she|they) (?:knows?|know) (?:me|us|who i am|where (?:he|she|they) (?:is|are))|me (?:reconoce|conoce)\b|"
                            r"sabe (?:donde|quien))")
_NEGATED_JUST_BEFORE = re.compile(r"(?:\b(?:no|not|never|nunca|ni|tampoco)|n t|nt)\s+(?:\w+\s+)?$")


def _awake_through(cleaned: str) -> bool:
    """Round thirteen: the person said awake, talking or knowing people, and not under a negation ("he is awake and talking
    normal, he know me" yes; "not talking", "no me reconoce" no)."""
    return any(not _NEGATED_JUST_BEFORE.search(cleaned[:m.start()]) for m in _AWAKE_THROUGH.finditer(cleaned))


_STILL = re.compile(r"\b(?:still|sigue|siguen|todavia|aun|keeps? on)\b")
# Acknowledgement words that say someone is acting, not only talking to the patient ("le hablo").
_ACTING = re.compile(r"\b(?:911|ambulance|ambulancia|paramedics?|paramedicos|ems|on (?:my|the|our) way|en camino|calling|"
                     r"called|llame|llamando|i m with (?:him|her|them)|im with (?:him|her|them)|estoy con (?:el|ella)|"
                     r"here now|ya llegue|heading over)\b")
_OPENING_WORDS = 5
_SHAKING_THEN_GONE = re.compile(r"^(?:\w+ ){0,3}(?:shaking|jerking|convulsing|temblando|sacudiendo\w*|convulsionando) (?:\w+ ){0,3}?"
                                r"(?:not|no|won t|wont|isn t|isnt) (?:answering|responding|contesta|responde|reacciona)$")
_DENIED_SHAKING = re.compile(r"\b(?:no|not|without|sin|stopped|paro)(?: \w+)? (?:shaking|jerking|convulsing|temblando|sacudiendo\w*)")
# Round eleven (L, P, and the lead's count over O-Q: 43 of 46 acknowledgements missed): a caregiver reporting
# trouble and saying what is being done about it ("911 called", "EMS en route", "driving her to the ED now",
# "ya llamamos a la ambulancia", "nurse notified") is taking it on, labelled ack whether the alert asked or not.
# The service records the acknowledgement first and then the check-in, so an emergency opens again and everyone
# stays alerted (``inbound._report``). Help sent for, help arriving, the patient taken in, the writer arriving.
# Not a nurse or a supervisor notified: J and M label that (after a dose error) a report, not an acknowledgement.
# (round sixteen, AQ2, AR2: the 911 dispatcher, Madrid's SAMUR and SUMMA)
_HELP = r"(?:911|112|ems|emts?|ambulance|ambulancia|paramedic\w*|paramedicos|rescue squad|fire dept|medics|cruz roja|bomberos|dispatch|dispatcher|samur|summa)"
_ACTING_ON = re.compile(
    rf"\b(?:{_HELP} (?:(?:has been|was|been|is|s|are|were|got|ha sido) )?(?:called|notified|activated|dispatched|paged|alerted|"
    r"on (?:the|their|its) way|en route|enroute|en camino|coming|here|arrived|at (?:the )?bedside|eta\b|aqui|ya viene\w*|viene\w*)|"
    r"(?:rn|nurse) at (?:the )?bedside|"
    rf"(?:called|calling|call(?:ed)? for|dialed|dialing|dialling|notified|notifying|paged|activat\w*|initiating|phoned|"
    r"(?:i|we|mi) call|i m calling|im calling|on the (?:phone|line) (?:with|w)|llame al|llamamos al?|llamando al?|hemos llamado al?|"
    r"ya llame a(?:l|la)?|marque al|marcamos al|le (?:marque|llame) al?|he llamado al?|pedi|pedimos) (?:\w+ ){0,2}?" + _HELP + r"\b|"
    r"(?:driving|taking|rushing|bringing|transporting|carrying|llevando|llevamos|la llevo|lo llevo|la voy a llevar|lo voy a llevar|"
    r"la vamos a llevar|lo vamos a llevar|vamos) (?:\w+ ){0,3}?(?:to|a|al|pa|para) (?:the |el |la |los )?(?:\w+ )?(?:ed|er|hospital|"
    r"emergency|emergencias|urgencias|clinic\w*|clinica|ihs|ih|guardia|doctor|medico|urgent care)\b|\btransporting\b|"
    r"\bleaving (?:work|now|the office)\b|(?<!dice )(?<!dijo )(?<!says )(?<!said )\b(?:on my way|omw|heading (?:over|there)|ya voy|voy para alla|voy pa alla|en camino)\b|"
    r"\b(?:i m|im|i am|we re|we are|estoy|estamos|ya) (?:here|aqui|llegue|llegamos|llegando)\b|\bya llegu\w+|\bme here now\b|"
    r"\b(?:initiating|started|starting|giving|doing) (?:rescue breaths|cpr|rescue breathing|narcan)\b|"
    # round twelve: help on the line or on its way in the other order ("911 is on the phone with me", "ya viene la ambulancia"),
    # "ya llamé 911", "ya he llamao al 911", at the hospital and seen to ("estamos en la Cruz Roja con él, ya lo están
    # atendiendo"), the writer there and staying ("ya estoy con ella", "I'll stay with her", "Estou com ele", "Mi a stay wid
    # her"), "driving over now", "I'm on it", "taking him to urgent care"
    rf"\b{_HELP} (?:is |s |are )?(?:on the (?:phone|line)|on (?:speaker|hold) with)\b|"
    rf"\b(?:ya )?(?:viene|vienen|llego|llegaron|esta aqui|estan aqui|viene en camino) (?:la |el |los )?{_HELP}\b|"
    rf"\b(?:ya )?(?:he |hemos )?(?:llame|llamamos|llamado|llamao|marque|marcamos) (?:al? |a la )?{_HELP}\b|"
    r"\b(?:estamos|estoy|we re|we are|i m|im|i am) (?:ya )?(?:en|at|in) (?:el |la |the )?(?:hospital|er|ed|emergencia\w*|urgencias|"
    r"cruz roja|guardia|clinica|urgent care|emergency)\b|\b(?:ya )?(?:la|lo|le|los) (?:estan|esta) atendiendo\b|"
    r"\b(?:(?:ya )?(?:estoy|estamos)|estou|i m|im|i am|we re|i ll stay|ill stay|i will stay|mi a stay|mi deh) (?:already |now |ya )?(?:here |aqui |right here )?"
    r"(?:with|con|com|wid) (?:her|him|them|ella|el|ele|dem)\b|"
    # (by title and name only said as arrived: "I am already with sir Harold"; not an aide's "I'm with Dona Doris since 7")
    r"\b(?:estoy|estamos|i m|im|i am|we re) (?:already|now|ya) (?:here |aqui )?(?:with|con) (?:sir|mr|mrs|ms|miss|don|dona|senor|senora|mother|brother|sister) \w+\b|"
    # round sixteen (AP1, AR2): at their side, looking at them now ("lo estoy viendo ahora"); help there and taking them in ("ya esta
    # aqui el SAMUR, se lo llevan al Clinico"); the writer walking over ("I'll walk over there and see bout ...")
    r"\b(?:la|lo) (?:estoy|estamos) (?:viendo|revisando|checando|chequeando)(?: (?:ahora|ahorita|ya|en este momento|right now|now))+(?: mismo)?$|"
    r"\bse (?:la|lo) llevan? (?:al|a la|pal|para el|para la) (?:\w+ )?(?:hospital|clinico|clinica|urgencias|emergencias?)\b|"
    r"\b(?:i ll|ill|i will|gonna|going to|let me) (?:walk|step|run) (?:over|down|up|across|next door)(?: there| to (?:her|his|their) \w+)?\b|"
    r"\b(?:driving|headed|heading|going) (?:over|there)(?: now)?\b|\b(?:i m|im|i am|we re) on it\b|\bon mi way\b|\bmi reach\b|"
    r"\b(?:taking|driving|bringing) (?:him|her|them) (?:in )?to (?:urgent care|the urgent care|walk in)\b|"
    # round thirteen (R, U, V): taking it on in other words. Someone sent ("Sending staff", "le pedi a la vecina que pasara a
    # verlo", "asked my neighbor to check on her"); the writer going over ("I go see her now", "I drive to her now", "gonna stop
    # by after work", "ya mismo subo a ver", "ya estoy yendo a verla"); the patient taken somewhere named ("driving him to
    # Childrens"). Not "fui a verla y esta bien dormida": gone and found, a report (D, round eleven's "checked on him, ...")
    r"\b(?:sending|sent|i ll send|ill send|will send|mande|mandamos|le pedi a|le pedimos a|asked) (?:\w+ ){0,2}?(?:staff|someone|somebody|"
    r"an aide|the aide|help|(?:my |mi |su |la |el |our |the |his |her )?(?:neighbou?r|vecin[oa]|hij[oa]|herman[oa]|son|daughter|brother|"
    r"sister|nephew|niece|sobrin[oa]))\b(?! (?:said|says|dice|dijo|told))|"
    r"\b(?:i|we|yo) (?:go|drive|going|driving|ll go|will go|voy|vamos) (?:to )?(?:see|check on|over to|to) (?:her|him|them|verla|verlo|ver)\b|"
    r"\b(?:stop|stopping|swing|swinging|come|coming) by\b|\byendo (?:a ver\w*|para alla|pa alla|pa ya)\b|"
    r"\b(?:subo|bajo|paso|voy|vamos|salgo) (?:\w+ ){0,3}?(?:a ver|a verla|a verlo|a checar(?:la|lo)?|a revisar(?:la|lo)?)\b|"
    r"\b(?:driving|taking|rushing|bringing) (?:him|her|them) to [a-z]+s?\b(?! (?:house|home|school|work|store|church|park|game))|"
    # round fourteen (AC-AJ): help called in other words: s dropped ("ya llamamo al 911"), spoken to ("ya le hablé a la Cruz
    # Roja"), on with it ("Already on w/ 911", "daughter on phone with 911"), asked for ("EMS requested"), a second language's
    # "911 I text already", help minutes out ("EMTs 5 min out"), a bare "calling now"; the writer going over otherwise ("voy
    # pa llá", "mi soon come", "turning around to go to her", "leaving campus now")
    rf"\b(?:ya )?(?:le )?(?:llamamo|hable|hablamos|hablamo) (?:al? |a la |a los )?{_HELP}\b|\bon (?:the )?(?:phone |line )?(?:with|w) {_HELP}\b|"
    rf"\b{_HELP} (?:was |were |has been |been )?requested\b|\b911 (?:i |we )?(?:text|texted|call|called)\b|"
    rf"\b{_HELP} (?:\d+|five|ten|few) ?(?:min|mins|minutes) (?:out|away)\b|^(?:calling|llamando) (?:now|rn|right now|ahora|ya)$|"
    r"\bvoy pa (?:lla|ya|alla|alli)\b|\bmi (?:soon come|a come|coming)\b|\bturning around to (?:go|come|get)\b|"
    r"\bleaving (?:campus|school|class|church|the store|the house|home|my \w+) now\b|"
    # round fifteen (AK2, AL2): a nurse's "calling it in (now)", said last; not a prescription the doctor calls in ("waiting on the
    # doctor to call it in", "dr is calling it in")
    r"(?<!\bis )(?<!\bs )(?<!\bare )(?<!\bwill be )\bcalling it in(?: now| rn| right now)?$)")
_NOT_ACTING_BEFORE = re.compile(r"\b(?:(?:no|not|never|ni|sin|nobody|nadie)\b(?: (?:yet|aun|todavia|even|ever|\w+ly|ha|han|he|hemos|"
                                r"le|la|lo|me|se|hemos|have|has|had|been|we|they|i|one|body|anyone))*|(?:haven t|havent|hasn t|hasnt|didn t|"
                                r"didnt|don t|dont|should|if|si|need to|needs to|want me to|do i|should i|before|when)\b(?: \w+){0,3})\s*$")


# Round thirteen (R, U): with a sign or symptom reported, calling the care team is taking it on ("Calling his neuro", "I've rung
# for the nurse", "Nurse has been notified", "ya llamo al doctor", "le avise a la enfermera"). Not after a dose error alone: J
# and M label "nurse notified" there a report (NOTES.md), so only beside a symptom.
_CARE_TEAM = r"(?:doctor|dr|doc|nurse|rn|neuro\w*|pcp|clinic|clinica|medico|medica|doctora|enfermer[ao]|hospice|on call|on-call|prescriber)"
_CARE_CALLED = re.compile(
    rf"\b(?:calling|called|i call|we call|rang|ringing|rung|paged|paging|notified|notifying|phoned|phoning|texted|texting|llame|llamo|"
    rf"llamando|llamamos|he llamado|hemos llamado|marque|marcando|avise|le avise|ya le avise) (?:(?:to|for|a|al|a la|the|his|her|my|"
    rf"our|su|sus|mi|el|la|le) )*(?:\w+ )?{_CARE_TEAM}\b|"
    rf"\b{_CARE_TEAM} (?:has been|have been|was|been|is|s|ha sido|fue|esta|ya esta) (?:called|notified|paged|aware|informed|"
    rf"avisad[oa]|notificad[oa]|llamad[oa]|enterad[oa])\b")


# Round thirteen (U, V): telling the patient to take it, who will not listen ("I tell him but he no listen", "yo le digo y le digo
# pero no me hace caso"), is a complaint about a refusal, not a caregiver taking the alert on.
_NOT_LISTENING = re.compile(r"\b(?:(?:no|not|never|won t|wont|doesn t|doesnt|don t|dont|didn t|didnt) (?:listen|listening|obey|hear me)|"
                            r"no (?:me |nos )?(?:hace|hacen|hizo|quiere hacer) caso|no (?:me |nos )?(?:escucha|obedece)|ignores? me)\b")
_TELLING = re.compile(r"(?:told|tell|(?:le|te|les|la|lo) (?:digo|hablo|dije))\b")


def _care_team_called(clauses: list[tuple[str, bool]]) -> bool:
    return any(not asked and (m := _CARE_CALLED.search(words)) is not None and not _NOT_ACTING_BEFORE.search(words[:m.start()])
               for words, asked in clauses)


_DONE_ALREADY = re.compile(r"(?:ya )?(?:he |hemos )?(?:llame|llamamos|llamado|marque|marcamos)\b")
_ASKED_IF_DONE = re.compile(r"\b(?:que|si|you|did|have|has|should|debo|tengo que|quiere|quieres)\s*$")


def _acting_on_it(clauses: list[tuple[str, bool]]) -> bool:
    """A clause said, not asked, in which the writer (or someone with them) has sent for help, is taking the
    patient in, or is arriving: "911 called", "EMS en route", "driving her to the ED", "ya llamé al 911"."""
    for words, asked in clauses:
        for match in _ACTING_ON.finditer(words):
            if asked and not (_DONE_ALREADY.match(match.group()) and not _ASKED_IF_DONE.search(words[:match.start()])):
                continue  # round thirteen (V): only a call said made stands in a question ("llame al 911 ya vienen??")
            # round twelve: a "ya" opens a statement of its own, unpunctuated ("no para ya llamé 911", "no me contesta ya
            # llamé a la ambulancia"): the "no" before it is not its negation
            if match.group().startswith("ya ") or not _NOT_ACTING_BEFORE.search(words[:match.start()]):
                return True
    return False


def _acks_an_alert(text: str) -> bool:
    """A text reporting trouble that still acknowledges the alert: it opens with a short
    acknowledgement ("OK calling now, he's still convulsing", "on my way. also ..."), or says
    someone is acting and the sign goes on ("ambulance is here but he's still not breathing")."""
    cleaned = normalise(text)
    if cleaned.startswith(("not ", "no ")):
        return False
    opening = normalise(re.split(r"[,.;:!?\n]|\s[-\u2013\u2014]\s", text, maxsplit=1)[0])
    if opening and len(opening.split()) <= _OPENING_WORDS and _ACK_RE.search(opening) and not opening.startswith("checked"):
        # (round eleven: "Checked on Mr. Earl. He is breathing real labored" reports what was found)
        return True
    return _STILL.search(cleaned) is not None and _ACTING.search(cleaned) is not None and _ACK_RE.search(cleaned) is not None


# Round ten, measured by leave-one-batch-out (``scripts/measure_trouble_net.py --gate``): the net also reads a text
# the tables placed only as a question when some clause of it is said, not asked ("idk where i am rn. this isnt my
# room?? whats the date"; "GRANDMA CONFUSE ... WHAT YEAR SHE SAY 1962"), at 0.25 above its threshold. On round
# nine's tables it escalated two more of M's and N's emergencies (723 -> 725 of 726) with no more denials or
# questions alarmed (12 of 804) and no batch worse; any question at 0.85 did the same, at 0.75 one more alarm, at
# 0.6 five more. The other gates stay to be measured again as the batches grow.
#
# Round thirteen, measured on R, U and V (round twelve's untouched judges: neither the tables nor the net had seen them)
# and by leave-one-batch-out over the eighteen others (``scripts/measure_trouble_net.py --gate``): the net also reads a
# text the tables took for reassurance, when it denies no symptom by name. Three of R+U+V's five missed emergencies
# were read as reassurance by a word that was not ("This morning he is okay only" after "he is not knowing me";
# "respira ... bien rapidito", where "bien" is "very"; a caregiver's "nothing" after pinching an arm): 176 -> 179 of 181
# escalated, no more of their 171 denials or questions alarmed. Left out one at a time, the eighteen tuned batches
# alarmed 7 more of 1,139 denials and questions ("Never better. Legs are the loosest ..."); reading a named denial too
# ("no blue lips", "fiebre no, temblores tampoco") caught nothing more and alarmed 13 more, so a denial stays the
# tables'. Reading acknowledgements as well caught one more (an ambulance called, breathing still hard) and made two
# caregivers' "on my way" / "911 called, breathing easier now" urgent: someone is already acting there, so not adopted.
#
# Round fourteen, measured again on sixteen new writers' 2,160 replies (tuning13-20, each batch left out of the net's
# training, before any table was tuned on them): reading a caregiver's text the tables took for an acknowledgement
# (``reassured_ack``) escalated five more of 484 emergencies (the call made with the sign still under way in words the
# tables did not know: "911 called ... only breathing maybe 5x a min") for one of their "on my way ... Lord keep him" made
# urgent. On the older batches it made "I'm next door, going to knock right now" and three more like it urgent, and an
# urgent text opens an alert of its own that escalates until acknowledged: a caregiver saying they are going would set
# off a new round of texts. Not adopted at the plain threshold (``--gate reassured_ack`` measures it).
#
# Round fifteen, asked of the sixteen emergencies the untouched judges Z-AB and AK-AN missed (all read "none", each placed
# somewhere with confidence: five as an acknowledgement, six as reassurance, the rest as a dose or nothing): the same gate,
# but an acknowledgement weighs as a question or reassurance does, ``ACK_MARGIN`` above the threshold (0.8). On the seven
# judges (the net never trained on them) it escalated three more of 424 ("Called 911, ambulance is coming. Her breathing
# is still very slow."; "no sabe quién soy yo"; "gas being for air ... her lips are kind of blew") and alarmed nothing
# more; left out one batch at a time, the twenty-one older batches read exactly as before (8 of 1,310 denials and questions
# alarmed either way). At 0.2 for questions and reassurance as well it caught two more and alarmed three more: those stay
# at ``QUESTION_MARGIN``.
NET_GATE = "reassured_ack"
NET_GATES = ("placed", "mixed_question", "question", "question_ack", "reassured", "reassured_or_denied", "reassured_ack")
QUESTION_MARGIN = 0.25
ACK_MARGIN = 0.2


def net_may_read(intents: set[str], reply: Reply, clauses: list[tuple[str, bool]] = (),  # type: ignore[assignment]
                 sender: Sender = "patient", *, denied: bool = False) -> bool:
    """The safety net reads a text the tables placed nowhere, read a dose only, read as reassurance with something
    said (not only asked), or (round fifteen) read as a caregiver's acknowledgement: not one that denies a symptom by
    name (``denied``), asks only, reports a supply problem, asks to stop, or is a number (measured: there the net's false
    alarms outnumber what it catches). ``_net_margin`` says how much surer it must be beside a question, reassurance or
    an acknowledgement."""
    if reply.intent in ("number", "stop", "start", "help"):
        return False
    if intents <= {"dose_report"}:
        return True
    said = any(not asked for _, asked in clauses)
    if NET_GATE == "mixed_question":
        return intents <= {"dose_report", "question"} and said
    if NET_GATE == "question":
        return intents <= {"dose_report", "question"}
    if NET_GATE == "question_ack":
        return intents <= {"dose_report", "question"} or sender == "caregiver" and intents <= {"dose_report", "ack"}
    if NET_GATE == "reassured_ack" and sender == "caregiver" and said and intents <= {"dose_report", "ack", "all_well"} and not (
            denied and "all_well" in intents):
        return True
    if NET_GATE in ("reassured", "reassured_or_denied", "reassured_ack"):
        return said and intents <= {"dose_report", "question", "all_well"} and not (
            NET_GATE != "reassured_or_denied" and denied and "all_well" in intents)
    return False


def _net_margin(intents: set[str], *, supposed: bool = False) -> float:
    # A question or reassurance beside the words weighs against trouble: the net must be that much surer. Round
    # thirteen: at its plain threshold it alarmed on "awake and talking" and "esta dormido y no lo quiero despertar"
    # (0.8: words of the signs, said of someone well).
    # Round fifteen: an acknowledgement beside the words weighs the same ("Called 911, ambulance is coming. Her breathing is
    # still very slow." at 0.84; "going to knock right now" stays below).
    # Round fifteen: so does a sign supposed, feared or wondered about ("tengo miedo de que le den convulsiones").
    if "question" in intents or supposed or NET_GATE != "reassured_or_denied" and "all_well" in intents:
        return QUESTION_MARGIN
    return ACK_MARGIN if NET_GATE == "reassured_ack" and "ack" in intents else 0.0


def _is_sign_level(key: str, severity: int) -> bool:
    return key in ("seizure", "breathing_difficulty", "unresponsive") or (
        key == "drowsiness" and severity >= 8) or (key == "confusion" and severity >= 7)


# Round seventeen: well-being alone, said beside a thumbs-up ("all good", "todo bien gracias").
_THUMBS_WELL = re.compile(r"(?:(?:gracias|thanks|thank you) )?(?:(?:all|todo|everything|estoy|i m|im|feeling|me siento|muy|very|all is) )*"
                          r"(?:good|bien|fine|great|well|normal)(?: (?:gracias|thanks|thank you|ty|here|aqui|today|hoy|so far))*")
_THUMBS_ONLY = re.compile(r"(?:\U0001f44d[\U0001f3fb-\U0001f3ff]?\s*)+")


# -- the numbered question ---------------------------------------------------------------------------------

NumberedAnswer = Literal["taken", "not_yet", "unwell", "emergency"]
# The patient's numbered question (template ``unclear_patient``): 1 took it / 2 not yet / 3 unwell /
# 4 call 911 now.
_PATIENT_OPTIONS: dict[int, NumberedAnswer] = {1: "taken", 2: "not_yet", 3: "unwell", 4: "emergency"}
CaregiverAnswer = Literal["ack", "status", "taken"]
# The caregiver's options (template ``unclear_caregiver``): 1 I'm on it / 2 status / 3 the dose was given.
_CAREGIVER_OPTIONS: dict[int, CaregiverAnswer] = {1: "ack", 2: "status", 3: "taken"}


_NUMBER_WORDS = {"one": 1, "uno": 1, "two": 2, "dos": 2, "three": 3, "tres": 3, "four": 4, "cuatro": 4}
# A leading option number with words after it ("3 - feel weird", "1 took it at 8"), not a count or a
# time ("2 pills", "1 hour late", "3pm").
_LEADING_OPTION = re.compile(r"(?:option |opcion |numero |number |#)?([1-4])(?: (?!(?:pills?|tabs?|tablets?|mg|hours?|"
                             r"hrs?|h|mins?|minutes?|pastillas?|horas?|minutos?|of|de|am|pm|times|veces|doses?|dosis|x|"
                             r"more|mas|left|days?|dias?|and a half|y media)\b).*)?")


def _option_number(cleaned: str) -> int | None:
    """The option number a normalised text gives, bare or leading a few words; None otherwise."""
    number = _NUMBER_WORDS.get(cleaned)
    if number is None:
        match = _LEADING_OPTION.fullmatch(cleaned)
        return int(match.group(1)) if match else None
    return number


def numbered_answer(text: str, sender: Sender) -> str | None:
    """The option chosen after the numbered question: a bare "1".."4" (or "1." / "#2" / "opcion 3" /
    "three" / "dos"), or an option number leading a few words ("3 - feel weird"); None otherwise."""
    number = _option_number(normalise(text.replace("#", " # ")).replace("# ", "#"))
    if number is None:
        return None
    options: dict[int, str] = dict(_PATIENT_OPTIONS) if sender == "patient" else dict(_CAREGIVER_OPTIONS)
    return options.get(number)


_ANSWER_URGENCY: dict[str, Urgency] = {"taken": "none", "not_yet": "none", "unwell": "urgent", "emergency": "emergency",
                                       "ack": "none", "status": "none"}
_RANK: dict[Urgency, int] = {"none": 0, "urgent": 1, "emergency": 2}


def answer_stands(chosen: str, reading: Reading) -> bool:
    """The numbered answer decides, unless the words with it say the body is in more trouble than
    the option chosen ("1, took it but now I can't breathe" is read as the emergency it reports)."""
    return _RANK[reading.urgency] <= _RANK[_ANSWER_URGENCY[chosen]]


# -- a text about two patients --------------------------------------------------------------------------


# A sentence ends at . ! ? ; : or a dash between spaces, but not after a title ("Mr. Brandt").
_SENTENCE_END = re.compile(r"(?<!\bMr\.)(?<!\bMrs\.)(?<!\bMs\.)(?<!\bDr\.)(?<!\bSr\.)(?<!\bSra\.)(?<!\bSrta\.)"
                           r"(?<=[.!?;:\n])\s+|\s+[-\u2013\u2014]\s+")


def said_of(text: str, names: list[str]) -> dict[str, str]:
    """What ``text`` says of each of ``names`` (a caregiver of several writing about them): each
    sentence goes to the last patient named at or before it ("Re Mrs. Okafor: she is not making
    sense. Mr. Brandt took his 2pm fine." -> Okafor: the first sentence, Brandt: the second).
    Sentences before any name go to every one. Names not in the text are left out."""
    sentences = [part for part in _SENTENCE_END.split(text) if part.strip()]
    plain = {name: f" {normalise(name)} " for name in names}
    said: dict[str, list[str]] = {}
    current: str | None = None
    before: list[str] = []
    for sentence in sentences:
        words = f" {normalise(sentence)} "
        named = [name for name in names if plain[name] in words]
        if named:
            current = named[-1]
            for name in named:
                said.setdefault(name, list(before)).append(sentence)
            continue
        if current is None:
            before.append(sentence)
        else:
            said[current].append(sentence)
    return {name: " ".join(parts) for name, parts in said.items()}
