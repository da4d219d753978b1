"""Symptoms in people's own words: what an SMS says about the patient, as check-in symptoms.

Pure: text in, ``{symptom key: severity}`` out (keys from ``alerts.domain.symptoms``). The inbound
SMS service records what this finds as a check-in, so an SMS goes through exactly the triage an
app's check-in does (``alerts.domain.clinical.redflags``).

Safety first, as the brief asks ("If you experience a seizure, profound drowsiness, difficulty
breathing, or severe confusion, call 911"):

* the brief's emergency signs in plain words are read at a severity that triages as an emergency;
* a sign counts as denied only when a negation stands just before it ("no seizures today",
  "he didn't have a fit"); anything less certain ("not sure if it was a seizure") counts as
  reported, because a false alarm costs a phone call and a missed one can cost a life;
* a number in the message ("legs jumping 7") is the severity of the other symptoms it names.

Text is normalised as the reply parser does (lower case, no accents, punctuation as spaces), so
"can't" reads "can t". English and Spanish.
"""

from __future__ import annotations

import re

from alerts.domain.text import normalise

# Emergency signs: the severity given is at or above the catalogue's ``red_flag_at``. The first
# pattern of each can be denied ("no seizures"); the second is worded as a negation itself ("can't
# breathe", "won't wake up") and is never read as denied: "no, he can't breathe" is an emergency.
_EMERGENCY: tuple[tuple[str, int, str, str], ...] = (
    ("seizure", 10,
     r"seiz\w*|siez\w*|sezu?r\w*|convuls\w*|(?:a|another|having|had|has) fit\b|fitting|having fits|fits again|more fits|epilep\w*|"
     r"ataque(?:s)? epilep\w*|"
     # How people who have never seen one describe a convulsion: the whole body shaking, foam.
     r"(?:shaking|jerking|convulsing) all over|(?:whole|entire) body (?:is )?(?:shaking|jerking)|"
     r"foam\w* at the mouth|(?:echa|echando|sale|saliendo) espuma|espuma (?:en|por) la boca|"
     r"(?:todo el cuerpo|todo) (?:le |me )?(?:tiembla|temblando|sacude)",
     r"$^"),
    ("breathing_difficulty", 10,
     r"trouble breathing|difficulty breathing|breathing (?:trouble|problems?|difficult\w*)|hard to breathe?|struggling to breathe?|short of breath|gasping|"
     r"breathing (?:is |s |feels |seems |looks |sounds |has gotten |got )?"
     r"(?:very |really |real |so |too |super |extremely |kinda |kind of |pretty )?"
     r"(?:slow|shallow|weird|funny|strange|slowly|noisy|rattly|labou?red)|"
     r"(?:slow|shallow) breath\w*|le cuesta respirar|respira (?:muy )?(?:lento|poco|despacio)|"
     r"(?:lips|face) (?:are |is |look |looks |turning |turned |went )?(?:blue|purple|grey|gray)|"
     # Grey only with lips or face: "going grey" is mostly hair.
     r"(?:turning|turned|went|gone|going) (?:blue|purple)|"
     r"labios (?:morados|azules)|(?:se puso|se pone|se esta poniendo|esta|se ve) (?:muy |todo |toda )?"
     r"(?:morad[oa]|azul)|(?:boca|cara) (?:morada|azul)",
     r"(?:can t|cant|cannot|can not|couldn t|couldnt) (?:breathe|breath|get (?:her |his |my )?breath|"
     r"catch (?:her |his |my |their )?breath)|"
     r"not breathing|stopped breathing|barely breathing|no (?:puede|puedo) respirar|no respira|"
     r"no (?:esta|estaba) respirando|(?:dejo|deja) de respirar"),
    ("unresponsive", 10,
     r"unresponsive|passed out|unconscious|collapsed|blacked out|out cold|inconsciente|desmayad\w*|se desmayo",
     r"(?:can t|cant|cannot|can not|won t|wont|will not|couldn t|couldnt) (?:get (?:her|him|them) to )?"
     r"(?:wake|rouse|respond)|no (?:puede|puedo|podemos) despertar\w*|no (?:la|lo) (?:puedo|podemos) despertar|"
     r"not waking(?! (?:up )?(?:early|at night|in the night|during the night|as (?:much|often|early)))|not responding|no response(?! from)|no (?:se )?despierta|no responde|no reacciona|"
     # Someone beside them who does not answer them (not "won't answer her phone").
     r"(?:won t|wont|will not|doesn t|doesnt|does not|not|isn t|isnt) (?:answer|answering|react|reacting) "
     r"(?:me|us|when|to (?:me|us|anything|his name|her name))"),
    ("drowsiness", 9,
     r"(?:very|extremely|so|really|super) (?:drowsy|sleepy|sedated|out of it)|falling asleep mid|"
     r"muy (?:somnolient\w*|dormid\w*)|(?:tengo|tiene) (?:mucho|muchisimo|demasiado) sueno",
     r"(?:can t|cant|cannot) stay awake|can t keep (?:his|her|my) eyes open|no se mantiene despiert\w*|"
     r"(?:can t|cant|cannot|couldn t|couldnt) keep (?:her|him|them|me) awake|"
     r"no (?:puedo|puede|podemos) (?:mantener|quedar)(?:me|se|la|lo) despiert\w*"),
    ("confusion", 8,
     r"(?:very|really|so|extremely|badly) confused|talking nonsense|muy confundid\w*",
     r"(?:doesn t|doesnt|does not) (?:know|recogni[sz]e) (?:where|who|me\b|us\b)|"
     r"don t know where i am|dont know where i am|"
     r"doesn t recogni[sz]e|not making sense|makes no sense|no sabe donde esta|no me reconoce"),
)

# Other symptoms of the brief, at a severity taken from the message (or the default given).
_OTHER: tuple[tuple[str, int, str], ...] = (
    ("hallucinations", 6, r"hallucinat\w*|seeing things|hearing (?:things|voices)|alucin\w*|"
                        r"(?:that|who) (?:arent|aren t|are not|isn t|isnt|is not) (?:there|real)|"
                        r"(?:ve|veo|viendo|oye|oigo|oyendo|escucha|escuchando) (?:cosas|voces)|"
                        r"(?:sees|seeing|seein|saw|see|ve|veo|viendo|vio) (?:\w+ ){0,2}(?:bugs|spiders|sombr\w*|bichit\w*|aranit\w*|insects|snakes|animals|faces|shadows|cats|dogs|"
                        r"ghosts|figures|bich\w*|aran\w*|insect\w*|culebr\w*|animal\w*|gat\w*|perr\w*|caras|sombras|fantasmas|"
                        # round twelve: one animal, a pet long dead ("sees her cat that died last year")
                        r"cat|dog|bird|mouse|rat|snake|spider|puppy|kitty)\b|"
                        # round eight (I): things said to be there: "says there's bugs crawling on the wall"
                        r"(?:says|said|swears|thinks|insists|dice|jura|cree) (?:that |que )?(?:there s|theres|there are|there is|hay) "
                        r"(?:\w+ )?(?:bugs|spiders|insects|snakes|ants|rats|bich\w*|aran\w*|insect\w*|hormigas|culebr\w*|ratas|ratones) "
                        r"(?:crawling|walking|on|in|everywhere|all over|caminando|subiendo|en|por)|"
                        # round eleven (L): people seen who are not there, "viendo gente en el living que no hay"
                        r"(?:ve|veo|viendo|vio|veia|sees|seeing|saw) (?:gente|personas|a gente|a personas|people|persons|a man|a woman|"
                        r"un senor|una senora|ninos|kids) (?:\w+ ){0,4}que no (?:hay|estan|existen|existe|esta)\b|"
                        # round fifteen (AK, AN): people seen in a corner or a wall of the room ("she see small children in the
                        # corner", "sees little kids in the room"); a corner, a wall, the ceiling or "the room" itself, not a room
                        # named where kids may well be ("in the living room")
                        r"(?:sees|seeing|seein|saw|see|ve|veo|viendo|vio|veia) (?:\w+ ){0,2}(?:children|kids|people|persons|men|women|ninos|ninas|"
                        r"gente|personas|senores) (?:\w+ ){0,2}(?:in|on|at|en) (?:the |la |el |her |his |my |su |mi )?(?:corner|wall|ceiling|room|bedroom|esquina|pared|techo|cuarto|recamara)\b"),
    ("paranoia", 6, r"paranoi\w*|thinks (?:people|someone|everyone) (?:is|are) after"),
    ("confusion", 5, r"confused|confusion|disoriented|confundid\w*|desorientad\w*|"
                   r"fogg(?:y|ier)|brain fog|train of thought|spaced? out|out of it|aturdid\w*|(?:cabeza|mente) nublada"),
    ("drowsiness", 5, r"drowsy|drowsiness|sleepiness|sedated|groggy|letharg\w*|dozing|sleepy|"
                    r"sleeping (?:all day|all the time|a lot|so much)|somnolient\w*|adormilad\w*|"
                    r"(?:tengo|tiene) sueno|(?:poco de|algo de|con|mucho|tanto) sueno|sleepier|dormilon\w*|"
                    # round seventeen: not "nada más cansado" / "na más cansada" (only tired: "más" after "nada" is "only")
                    r"(?<!\bnada )(?<!\bna )(?:more|mas) (?:tired|sleepy|drowsy|sueno|dormid\w*|cansad\w*)|"
                    # round eleven (L): Taglish "very antok today", "inaantok"
                    r"(?:very|so|super|sobrang|medyo) antok|inaantok|antukin|"
                    # round twelve: the comparison after the word ("tired, more than usual"; read with the clause it
                    # qualifies) and a deaf writer's "me sleep much today"
                    r"(?:tired|cansad[oa]s?|sleepy) (?:\w+ )?(?:more|mas) (?:than usual|than normal|de lo normal|que de costumbre|que lo normal)|"
                    r"sleep(?:ing|s)? (?:so |too |very )?much (?:today|all day|lately|now)"),
    ("fever", 6, r"fever\w*|high temp\w*|burning up|fiebre|calentura|"
                # a figure: "T 101.8", "temp of 102", "temperatura de 38.9"
                r"\b(?:t|temp|temperature|temperatura|fiebre de) (?:of |de |is |es |was |at )?(?:10[1-5]|100 [4-9]|38 [5-9]|39|40)\b"),
    ("fast_heart_rate", 6, r"heart (?:is |s |has been |been |was |keeps |kept |started |starts )?(?:racing|pounding)|racing heart|pounding heart|palpitation\w*|"
                           r"fast heart\w*|corazon acelerado|taquicardia|palpitacion\w*|"
                           # round twelve: "siento el corazon bien acelerado", "heart real fast"
                           r"(?:corazon|heart) (?:\w+ )?(?:bien |muy |super |tan |so |real |really )?(?:acelerad\w*|racing)|"
                           r"(?:heart rate|\bhr|pulse|pulso) (?:is |of |at |like |de )?1[1-9]\d|"
                           r"(?:heart|corazon) (?:me |le )?(?:is |s |has been |been |keeps )?(?:late|latiendo|beating|beats|going) "
                           r"(?:muy |so |really |super |bien )?"
                           r"(?:rapid\w*|fast|fuerte|acelerad\w*|a mil|like crazy)"),
    ("feeling_cold", 5, r"(?:very|so|really|freezing) cold(?! (?:out|outside|today|tonight|in here|day|weather|afuera))|hypotherm\w*|can t get warm|muy fri[oa]|helad[oa]|"
                        r"(?<!hace )(?<!hizo )(?<!hara )(?<!haciendo )(?<!hacia )(?:mucho|muchisimo) frio|(?:tengo|tiene) frio (?:todo el (?:tiempo|dia)|siempre)|cold all the time|always cold|"
                        # round ten (N): "que frio tengo, no me caliento con nada", "can't stay warm"
                        r"que frio (?:tengo|tiene|siento|siente)|no (?:me|se|la|lo) (?:caliento|calienta|calentamos) con nada|"
                        r"(?:can t|cant|cannot) (?:stay|keep) warm|"
                        # round eleven (L): "escalofrios y me siento fria fria", "chills all day"
                        r"escalofrio\w*|fri[oa]s? (?:y )?(?:que )?no se (?:me |le )?(?:quita|va|pasa)|(?:fri[oa]|helad[oa]) (?:fri[oa]|helad[oa])\b|(?:the |got |have |having |con )?chills\b"),
    ("low_blood_pressure", 5, r"dizzy|lightheaded|light headed|faint\w*|low blood pressure|"
                              # round twelve: Southern "swimmy headed", Tagalog "nahihilo" (dizzy)
                              r"swimmy(?: headed)?|swimmin (?:head|headed)|nahihilo|nahilo|hilong hilo|"
                              r"mare(?:o|ad[oa]|os)|woozy|wobbly|unsteady|off balance|tambale\w*|"
                              # a low figure: "me he tomado la tension y tengo 85/50", "BP 82/48" (systolic under 90)
                              r"(?:tension|presion|blood pressure|bp)\b(?: \w+){0,3}? (?:[4-8]\d) (?:[2-5]\d)\b"),
    ("myoclonus", 6, r"jerk\w*|myoclon\w*|sacudid\w*"),
    ("tremor", 5, r"shak\w*|trembl\w*|tremor\w*|shivering|tembl\w*|tiembl\w*"),
    ("twitching", 5, r"twitch\w*|(?:legs?|arms?|muscles?) (?:are |is |feel |feels |kept |keeps |keep |won t stop )?"
                     r"(?:jumping|jumpy)|brinquit\w*|"
                     r"jumpy (?:legs?|muscles?)|brincos|"
                     r"tics?\b|tic nervioso|contraccion\w*|"
                     r"(?:me |le |les )brinca\w*|(?:piernas?|brazos?|musculos?) (?:me |le )?brinca\w*|"
                     # round fifteen (Z, AL): legs that jump by themselves or pull ("las piernas me saltaban solas", "tirones
                     # en las piernas")
                     r"(?:piernas?|brazos?|musculos?|pies?) (?:me |le |les |se )?(?:saltan|saltaban|saltaron|brincaban)\b|"
                     r"tirone?s? (?:en |de )?(?:las |los |sus |mis )?(?:piernas?|brazos?|musculos?|pies?)\b|"
                     # round seven (J): "saltitos en los brazos", "se le mueven solitos"
                     r"saltit\w*|se (?:me |le )mueven? sol(?:o|a|os|as|itos|itas)\b|(?:arms?|legs?|hands?) (?:\w+ )?(?:move|moving|jump\w*) on (?:their|its) own"),
    # (round fifteen, AN: not period cramps, "period cramps r killing me", "menstrual cramps")
    ("spasms", 5, r"spasm\w*|spastic\w*|spazz\w*|spazing|stiff\w*|(?<!period )(?<!menstrual )(?<!menstruation )cramp\w*|espasm\w*|rigid\w*|calambre\w*|clonus|clono|"
                  # round ten (N): "con los musculos bien duros", "las piernas tiesas"
                  r"(?:musculos?|piernas?|brazos?) (?:\w+ ){0,2}(?:dur[oa]s|ties[oa]s)\b"),
    ("agitation", 5, r"agitat\w*|anxious|anxiety|restless|panick\w*|agitad\w*|ansios\w*|ansiedad|jitter\w*"),
)

# A negation this close before a symptom denies it: "no seizures", "didn't have a fit", "sin fiebre".
_NEGATION = (r"no|not|never|without|didn t|didnt|did not|hasn t|hasnt|has not|haven t|havent|have not|"
             r"isn t|isnt|is not|aren t|arent|are not|weren t|werent|wasn t|wasnt|was not|don t|dont|doesn t|doesnt|no more|none|nunca|jamas|sin|ni|zero|cero|"
             # round fourteen: the Caribbean "na' de" (nada de), Tagalog "walang" (there is no)
             r"na de|walang|ain t|aint|"
             r"no he tenido|no ha tenido|ningun\w*|nada de|free of|para nada|en absoluto|tampoco|0|ni (?:el|la|los|las)|"
             # "no me he sentido mareada", "haven't felt dizzy", "not feeling confused"
             r"(?:ya no|no|ni|nunca) (?:me |se |le )?(?:he |ha |han |hemos )?(?:sentido|siento|siente)|haven t felt|havent felt|not feeling|not felt|"
             # round seventeen (the lead, from BA-BH): the perfect after "ya no"/"ni", where "he" is "haber", not the English
             # pronoun ("ni he temblado"); "no he vuelto a tener los brincos"
             r"(?:ya no|no|ni|nunca|jamas) (?:me |le |les |nos |se )?(?:he|ha|han|hemos) (?:vuelto a (?:tener|sentir)|tenido|notado|presentado)|"
             r"(?:ni|ya no) (?:me |le |se )?(?:he|ha|han|hemos)|"
             # "didn't have a single twitch", "not one seizure", "ni un solo temblor"
             r"(?:didn t|didnt|did not|haven t|havent|hasn t|hasnt) (?:have|had|get|got) (?:a |one )?single|"
             r"not (?:a single|one)|ni (?:un|una)(?: solo| sola)?|denies|denied|negative (?:for|on)|"
             # round nine (K): "no me han dado los jerks desde ...", "no le ha vuelto a dar"; "false alarm on the seizure thing"
             r"no (?:me |le |les |nos )?(?:ha|han|he|habia|habian) (?:dado|vuelto a dar|venido)|false alarm|falsa alarma|"
             # round seventeen: "ni me ha dado taquicardia", "nunca le ha dado": the perfect denied by "ni" or "nunca" too
             r"(?:ni|nunca|jamas) (?:me |le |les |nos )?(?:ha|han|he|habia|habian) (?:dado|vuelto a dar|venido)|"
             # round ten (M): a denial said after the symptom, moved before it by the reader ("jerks nope" -> "nope jerks")
             r"nope|neither")
# A pronoun after the negation starts a new clause: "no, she had a fit" reports a fit.
_SUBJECT = r"(?:i|he|she|we|they|you|it|ella|el|yo|nosotros)"
# Round ten (M): "not great, been twitchy": a negation of how one is ("not great", "not good", "no muy bien") is no denial;
# round eleven (P): nor "ya no aguanto los espasmos" (can't bear them).
# A denied list goes on past "or"/"ni": "I don't have any twitches or drowsiness", "no tengo mareo ni sueno".
_NEGATED = re.compile(rf"(?:^|\s)(?:{_NEGATION})(?!\s+(?:great|good|well|so good|so great|too good|too great|bien|muy bien|aguanto|aguanta|aguantaba|soporto|soporta)\b)"
                      rf"(?:(?:\s+(?!{_SUBJECT}\b)\S+){{0,2}}|(?:\s+(?!(?:but|pero|now|ahora)\b)\S+){{1,5}}\s+(?:or|nor|ni|o))\s*$")
# "7", "7/10" (normalised to "7 10"), "7 out of 10".
_NUMBER = re.compile(r"(?<!\d)(10|[0-9])(?:\s+(?:out of |of )?10)?(?!\d)")
_EMERGENCY_RE: tuple[tuple[str, int, re.Pattern[str], re.Pattern[str]], ...]
_OTHER_RE: tuple[tuple[str, int, re.Pattern[str]], ...]


def compile_tables() -> None:
    """Compile the tables above (again after the table-drop mutation run removes a phrase)."""
    global _EMERGENCY_RE, _OTHER_RE
    _EMERGENCY_RE = tuple((key, sev, re.compile(rf"\b(?:{deniable})"), re.compile(rf"\b(?:{undeniable})"))
                          for key, sev, deniable, undeniable in _EMERGENCY)
    _OTHER_RE = tuple((key, sev, re.compile(rf"\b(?:{pattern})")) for key, sev, pattern in _OTHER)


compile_tables()


def _reported(pattern: re.Pattern[str], text: str) -> bool:
    """True if some mention of the pattern is not denied by a negation just before it, nor by a
    zero just after it ("twitches zero", "espasmos en 0")."""
    return any(not _NEGATED.search(text[:m.start()]) and not _ZERO_AFTER.match(text[m.end():])
               for m in pattern.finditer(text))


_ZERO_AFTER = re.compile(r"\w*\s+(?:(?:today|hoy|now|ahora|at|en|a|is|are|estan?)\s+)?(?:zero|0|cero|none|nada)\b")


def symptoms_in(text: str) -> dict[str, int]:
    """The symptoms a message reports, with severities; empty if it reports none."""
    cleaned = normalise(text)
    if not cleaned:
        return {}
    found: dict[str, int] = {}
    for key, severity, deniable, undeniable in _EMERGENCY_RE:
        if undeniable.search(cleaned) or _reported(deniable, cleaned):
            found[key] = max(found.get(key, 0), severity)
    # "911" alone is not a symptom, and a 9 or 1 from it must not be read as a severity.
    numbers = [int(n) for n in _NUMBER.findall(re.sub(r"\b9 ?1 ?1\b", " ", cleaned))]
    stated = numbers[-1] if numbers else None
    for key, default, pattern in _OTHER_RE:
        if key in found or not _reported(pattern, cleaned):
            continue
        severity = stated if stated is not None and stated > 0 else default
        found[key] = severity
    return found


# Said only to deny: "no fits" plainly means no seizures, but "fits" alone is as often "it fits" as
# a seizure, so it is never reported; only its denial is read.
_DENIED_ONLY = re.compile(r"\bfits\b")
_NEGATION_WORD = re.compile(rf"(?:^|\s)(?:{_NEGATION})(?=\s|$)")


def without_denied_symptoms(cleaned: str) -> str:
    """``cleaned`` (normalised text) without each denied symptom and the negation denying it:
    "took it no twitching today" -> "took it today". The same text when nothing is denied.

    The cut starts at the negation nearest the symptom, so "taken no no seizures" keeps a "no".
    """
    patterns = [deniable for _, _, deniable, _ in _EMERGENCY_RE] + [p for _, _, p in _OTHER_RE]
    patterns.append(_DENIED_ONLY)
    cuts: list[tuple[int, int]] = []
    for pattern in patterns:
        for match in pattern.finditer(cleaned):
            before = cleaned[:match.start()]
            if not _NEGATED.search(before):
                zero = _ZERO_AFTER.match(cleaned[match.end():])
                if zero:  # "spasms 0 this morning": a count of none after it denies it too
                    cuts.append((match.start(), match.end() + zero.end()))
                continue
            start = max((m.start() for m in _NEGATION_WORD.finditer(before)), default=match.start())
            end = match.end() + len(cleaned[match.end():].split(" ", 1)[0])  # to the end of the word
            cuts.append((start, end))
    kept: list[str] = []
    position = 0
    for start, end in sorted(cuts):
        kept.append(cleaned[position:max(position, start)])
        position = max(position, end)
    kept.append(cleaned[position:])
    return " ".join("".join(kept).split())


def has_red_flag_words(text: str) -> bool:
    """True if the message names one of the brief's emergency signs (not denied)."""
    cleaned = normalise(text)
    return any(undeniable.search(cleaned) or _reported(deniable, cleaned)
               for _, _, deniable, undeniable in _EMERGENCY_RE)
