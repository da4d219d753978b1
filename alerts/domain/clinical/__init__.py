"""Clinical rules of the brief (``shared/seed/000_8fc7b851bcf3b98d.txt``), as pure functions.

* ``redflags.classify_symptoms`` - emergency / urgent / routine for a check-in.
* ``assessment.assess`` - possible withdrawal, possible toxicity, or unclear, row by row of the
  brief's comparison table.
* ``patterns.dose_pattern_risks`` and ``patterns.should_raise`` - withdrawal and toxicity risks
  read from the dose history alone, and the new-or-worsening-twitches prompt.
* ``safety.advice_violations`` - no message may tell anyone to change, double, skip or stop a dose.
* ``wording`` - the short phrases that fill ``$reasons`` and ``$assessment`` in the templates.

No Flask, Celery, Twilio or database imports here: values and a ``now`` in, decisions out.
These are baclofen's rules; the services reach them through the baclofen rule pack
(``alerts.domain.packs.baclofen``), which says which drug they belong to and where each comes from.
"""
