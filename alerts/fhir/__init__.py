"""HL7 FHIR R4 out (a patient\x27s record, bulk export) and medication events in."""
