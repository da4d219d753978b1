"""Clinical rule packs: the clinical rules of one drug, each traced to a written source.

A medication gets clinical rules (red flags, withdrawal vs toxicity, dose-pattern thresholds, the
words of its alerts) only through a pack registered for its drug; a medication without one gets
reminders and missed-dose escalation, and never a clinical claim.

* ``pack`` - what a pack is (:class:`~alerts.domain.packs.pack.RulePack`) and what every rule
  must say about its source.
* ``registry`` - the shipped packs, and the lookup by drug (RxNorm ingredient code or name).
* ``reported`` - what is said about a patient's signs when none of their medications has a pack:
  the signs as reported or measured, never what they might mean for a drug.
* ``baclofen/`` - the baclofen pack, from the clinical brief.

How to add one: ``docs/rule-packs.md``. Pure, like the rest of ``alerts.domain``.
"""
