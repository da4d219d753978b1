"""Where every rule and threshold of the baclofen pack comes from.

Quotes are the documents' own words (a test finds each one in its document). ``note`` says what
the pack reads into them where the words give no number: those numbers are starting points for a
clinician to sign off, and each is a field of ``ClinicalSettings`` a clinician can override per
patient.
"""

from __future__ import annotations

from alerts.domain.packs.pack import Document, Rule, Source

BRIEF = Document("How Baclofen's Mechanism Relates to Muscle Twitches (the clinical brief)",
                 "../shared/seed/000_8fc7b851bcf3b98d.txt")
NEWS2 = Document("NEWS2, Royal College of Physicians, as summarised in shared/standards/README.md",
                 "../shared/standards/README.md")

# Sections of the brief, by their headings.
WITHDRAWAL = "Baclofen Withdrawal: A Major Cause of Rebound Muscle Activity"
WITHDRAWAL_LIST = "Symptoms of baclofen withdrawal"
TOXICITY = "Baclofen Toxicity and Overdose"
TOXICITY_LIST = "Clinical signs of baclofen toxicity"
TABLE = "Comparison of Muscle Symptoms: Withdrawal vs. Toxicity"
WHAT_TO_DO = "What to Do If You Experience Muscle Twitches on Baclofen"

EMERGENCY = Source(WHAT_TO_DO, "If you experience a seizure, profound drowsiness, difficulty breathing, or severe "
                   "confusion, call 911 or seek emergency medical help immediately.")
NEVER_SUDDENLY = Source(WITHDRAWAL, "it should never be stopped suddenly")
ONSET_WITHDRAWAL = Source(f"{TABLE}, row Onset", "Occurs after abrupt cessation or rapid dose reduction.")
ONSET_TOXICITY = Source(f"{TABLE}, row Onset", "Can occur with a single high dose or accumulation over time.")
NEW_OR_WORSENING = Source(WHAT_TO_DO, "If you experience muscle twitches while on baclofen, especially if they are "
                          "new or worsening, it is essential to seek medical advice promptly.")
PSYCHIATRIC = Source(WITHDRAWAL_LIST, "Psychiatric disturbances: Confusion, hallucinations, and paranoia are also "
                     "serious withdrawal effects")
ACCOMPANYING_WITHDRAWAL = Source(f"{TABLE}, row Accompanying Symptoms", "Increased heart rate, fever, and paranoia.")
ACCOMPANYING_TOXICITY = Source(f"{TABLE}, row Accompanying Symptoms",
                               "Respiratory depression, low blood pressure, and hypothermia.")
MENTAL_WITHDRAWAL = Source(f"{TABLE}, row Mental Status", "Can cause agitation, anxiety, hallucinations, and confusion.")
MENTAL_TOXICITY = Source(f"{TABLE}, row Mental Status", "Often leads to profound sedation, lethargy, confusion, or coma.")
SPASMS = Source(WITHDRAWAL_LIST, "Worsening muscle spasms: The baseline spasticity returns but is often significantly "
                "more severe and difficult to control.")
RESPIRATORY = Source(TOXICITY_LIST, "Respiratory depression, including slow or shallow breathing, is a "
                     "life-threatening symptom of overdose.")
DROWSINESS = Source(TOXICITY_LIST, "Excessive drowsiness and sedation: Patients may experience extreme sleepiness, "
                    "lethargy, or even a coma in severe overdose cases.")
AUTHOR = "the brief gives no number: a starting point for a clinician to sign off"


def _news2(words: str, note: str = "") -> Source:
    return Source("Clinical thresholds worth knowing", words, note, NEWS2)


RULES: tuple[Rule, ...] = (
    # -- red flags (alerts.domain.clinical.redflags) ----------------------------------------------
    Rule("red_flag:emergency_signs",
         "A seizure, profound drowsiness or being hard to wake, difficulty breathing or severe confusion in a "
         "check-in is an emergency: every caregiver by SMS and call, the patient told to call 911.",
         (EMERGENCY, Source(TOXICITY_LIST, "Patients may experience extreme sleepiness, lethargy, or even a coma",
                            "hard to wake is the far end of 'profound drowsiness'"))),
    Rule("red_flag:psychiatric",
         "Hallucinations, paranoia, or confusion short of severe: urgent, caregivers told now.", (PSYCHIATRIC,)),
    Rule("red_flag:accompanying",
         "Fever or a fast heart rate (withdrawal's column), low blood pressure or feeling cold (toxicity's): urgent.",
         (ACCOMPANYING_WITHDRAWAL, ACCOMPANYING_TOXICITY)),
    Rule("red_flag:new_agitation", "New or worsening agitation: urgent.", (MENTAL_WITHDRAWAL,)),
    Rule("red_flag:spasms", "Severe muscle spasms, or spasms worse than at the last check-in: urgent.", (SPASMS,)),
    Rule("red_flag:device_emergency",
         "Slow breathing or low oxygen sustained on a device, or a seizure a device detects: an emergency.",
         (RESPIRATORY, EMERGENCY)),
    Rule("red_flag:device_urgent",
         "Sustained fever, fast or very slow pulse, low blood pressure or low temperature on a device: urgent.",
         (ACCOMPANYING_WITHDRAWAL, ACCOMPANYING_TOXICITY, MENTAL_TOXICITY)),
    # -- withdrawal vs toxicity (alerts.domain.clinical.assessment, .response) ---------------------
    Rule("assessment:table",
         "Each sign is scored in the column of the comparison table that lists it; a verdict is 'possible' only "
         "when one column alone has evidence, otherwise 'unclear - needs a clinician'.",
         (Source(TABLE, "Symptom | Baclofen Withdrawal | Baclofen Toxicity/Overdose |"),
          Source(f"{TABLE}, row Muscle Twitches", "Characterized by rebound spasticity, tremors, and twitching."),
          Source(f"{TABLE}, row Muscle Twitches", "Can include myoclonus (involuntary muscle jerks) and seizures."),
          MENTAL_WITHDRAWAL, MENTAL_TOXICITY, ACCOMPANYING_WITHDRAWAL, ACCOMPANYING_TOXICITY)),
    Rule("assessment:onset_withdrawal",
         "Missed doses in a row, no dose for a day, running out, or less than half the daily total in 24 h count "
         "for withdrawal.", (ONSET_WITHDRAWAL,)),
    Rule("assessment:onset_toxicity",
         "A dose too soon after the last, a dose above the prescribed one, or a day over the daily total count for "
         "toxicity.", (ONSET_TOXICITY,)),
    Rule("assessment:risk_factors",
         "An intrathecal pump counts for withdrawal; renal impairment and a high prescribed dose count for "
         "toxicity - only when something else is going on.",
         (Source(f"{TABLE}, row Risk Factors", "Long-term use, especially with intrathecal pumps."),
          Source(f"{TABLE}, row Risk Factors", "Renal impairment, high dose administration, and drug interactions."),
          Source(TOXICITY, "Patients with impaired renal function are at an increased risk of baclofen toxicity"))),
    Rule("assessment:who_is_told",
         "Routine signs backed by a risk factor or an onset event, or marked in one column, are told to the "
         "caregivers as a withdrawal or toxicity risk; mild or shared signs alone are recorded.",
         (DROWSINESS, Source(WITHDRAWAL_LIST, "Tremors and twitches: Involuntary shaking, trembling, and generalized "
                             "muscle twitches are common"), NEW_OR_WORSENING)),
    # -- dose patterns (alerts.domain.clinical.patterns) ---------------------------------------------
    Rule("withdrawal_risk:missed_doses", "Scheduled doses missed in a row: a withdrawal risk.",
         (NEVER_SUDDENLY, ONSET_WITHDRAWAL)),
    Rule("withdrawal_risk:no_dose", "No dose taken for the no-dose window: a withdrawal risk.", (ONSET_WITHDRAWAL,)),
    Rule("withdrawal_risk:supply", "Ran out, or cannot get a refill: a withdrawal risk.",
         (NEVER_SUDDENLY, Source(WHAT_TO_DO, "Avoid abrupt discontinuation"))),
    Rule("toxicity_risk:too_soon", "A dose taken again well before the next is due: a toxicity risk.",
         (ONSET_TOXICITY,)),
    Rule("toxicity_risk:over_daily_total", "More than the prescribed daily total today: a toxicity risk.",
         (ONSET_TOXICITY, Source(TOXICITY, "taking too much baclofen can also lead to muscle twitches"))),
    Rule("consult_soon:worsening_twitches",
         "Twitches, tremor or muscle jerks new or worse since the last check-in: the patient and caregivers are "
         "asked to contact the doctor.", (NEW_OR_WORSENING,)),
    # -- the words (alerts.domain.clinical.wording, alerts/templates/messages) ------------------------
    Rule("words:no_dose_advice",
         "No message tells anyone to change, double, skip or stop a dose; withdrawal alerts say never to stop "
         "baclofen abruptly.",
         (Source(WHAT_TO_DO, "Do not attempt to adjust your dosage on your own."), NEVER_SUDDENLY,
          Source("Conclusion", "The golden rule is never to stop baclofen abruptly"))),
    Rule("words:possible_not_diagnosis", "Alerts say 'possible withdrawal' or 'possible toxicity', never a diagnosis.",
         (Source(WHAT_TO_DO, "a healthcare provider needs to evaluate the cause to determine the correct course of "
                 "action"),)),
    # -- thresholds (ClinicalSettings; each field overridable per patient) ----------------------------
    Rule("threshold:consecutive_missed_threshold", "2 missed doses in a row start a withdrawal risk.",
         (Source(ONSET_WITHDRAWAL.section, ONSET_WITHDRAWAL.quote, f"2 is {AUTHOR}"),)),
    Rule("threshold:no_dose_window_hours", "24 h without a dose is a withdrawal risk.",
         (Source(ONSET_WITHDRAWAL.section, ONSET_WITHDRAWAL.quote, f"24 h is {AUTHOR}"),)),
    Rule("threshold:too_soon_fraction", "A dose within half the scheduled interval of the last is an extra dose.",
         (Source(ONSET_TOXICITY.section, ONSET_TOXICITY.quote, f"one half is {AUTHOR}"),)),
    Rule("threshold:reduction_fraction", "Less than half the daily total over 24 h is a rapid dose reduction.",
         (Source(ONSET_WITHDRAWAL.section, ONSET_WITHDRAWAL.quote, f"one half is {AUTHOR}"),)),
    Rule("threshold:high_daily_dose_mg", "80 mg a day or more is a high prescribed dose.",
         (Source(f"{TABLE}, row Risk Factors", "high dose administration",
                 "80 mg/day is the usual maximum oral daily dose in the US label, not the brief: a clinician must "
                 "confirm it"),)),
    Rule("threshold:symptom_lookback_hours", "Symptoms of the last 48 h are read.",
         (Source(NEW_OR_WORSENING.section, NEW_OR_WORSENING.quote,
                 f"'new or worsening' needs the previous day's check-in; 48 h is {AUTHOR}"),)),
    Rule("threshold:history_lookback_hours", "72 h of dose history is read for the Onset row.",
         (Source(ONSET_WITHDRAWAL.section, ONSET_WITHDRAWAL.quote, f"72 h is {AUTHOR}"),)),
    Rule("threshold:event_lookback_hours", "A dose too soon is reported for 24 h.",
         (Source(ONSET_TOXICITY.section, ONSET_TOXICITY.quote, f"24 h is {AUTHOR}"),)),
    Rule("threshold:supply_lookback_hours", "Running out counts for 72 h (there is no 'refilled' event).",
         (Source(NEVER_SUDDENLY.section, NEVER_SUDDENLY.quote, f"72 h is {AUTHOR}"),)),
    Rule("threshold:worsening_delta", "2 points worse between check-ins is 'worsening'.",
         (Source(NEW_OR_WORSENING.section, NEW_OR_WORSENING.quote, f"2 points is {AUTHOR}"),)),
    Rule("threshold:new_symptom_min", "A sign absent before is 'new' from severity 4.",
         (Source(NEW_OR_WORSENING.section, NEW_OR_WORSENING.quote, f"4 of 10 is {AUTHOR}"),)),
    Rule("threshold:urgent_spasm_severity", "Spasms at severity 7 or more are urgent.",
         (Source(SPASMS.section, SPASMS.quote, f"7 of 10 for 'significantly more severe' is {AUTHOR}"),)),
    Rule("threshold:finding_min_severity", "A sign counts as a finding from severity 1 (0 is absent).",
         (Source(TABLE, "Symptom | Baclofen Withdrawal | Baclofen Toxicity/Overdose |",
                 "any reported sign is a finding"),)),
    Rule("threshold:drowsiness_min_severity", "Drowsiness counts for toxicity from severity 5.",
         (Source(DROWSINESS.section, DROWSINESS.quote, f"5 of 10 for 'excessive' is {AUTHOR}"),)),
    Rule("threshold:resp_rate_emergency_max", "A respiratory rate of 8/min or less is an emergency.",
         (RESPIRATORY, _news2("respiratory rate <=8 or >=25 scores 3"))),
    Rule("threshold:spo2_emergency_max", "SpO2 of 91% or less is an emergency (shallow breathing).",
         (RESPIRATORY, _news2("SpO2 <=91% scores 3"))),
    Rule("threshold:fever_min_c", "39.1 C or more is a fever.",
         (ACCOMPANYING_WITHDRAWAL, _news2(">=39.1 C scores 2"))),
    Rule("threshold:low_temperature_max_c", "35.0 C or less is hypothermia.",
         (ACCOMPANYING_TOXICITY, _news2("<=35.0 C scores 3"))),
    Rule("threshold:fast_heart_rate_min", "A pulse of 131 or more is a fast heart rate.",
         (ACCOMPANYING_WITHDRAWAL, _news2("pulse <=40 or >=131 scores 3"))),
    Rule("threshold:slow_heart_rate_max", "A pulse of 40 or less is very slow.",
         (MENTAL_TOXICITY, _news2("pulse <=40 or >=131 scores 3"))),
    Rule("threshold:low_systolic_max", "A systolic pressure of 90 or less is low blood pressure.",
         (ACCOMPANYING_TOXICITY, _news2("systolic BP <=90 scores 3"))),
    Rule("threshold:sustained_readings", "3 readings in a row make a device finding.",
         (_news2("a starting point for rules a clinician signs off",
                 "one noisy sample must not wake a family at 3 a.m.; 3 readings is the author's choice"),)),
    Rule("threshold:sustained_window_minutes", "...within 5 minutes.",
         (_news2("a starting point for rules a clinician signs off", "5 minutes is the author's choice"),)),
    Rule("threshold:vital_alert_max_age_minutes", "A device finding older than 30 min is history, not an emergency.",
         (Source(EMERGENCY.section, EMERGENCY.quote, "'immediately': a reading synced hours late is no longer "
                 "an emergency to call about; 30 min is the author's choice"),)),
    Rule("threshold:seizure_cancel_seconds", "A detected seizure may wait 0-300 s for the wearer to cancel (0 = none).",
         (Source(EMERGENCY.section, EMERGENCY.quote, "0 by default: the emergency goes out at once"),)),
)
