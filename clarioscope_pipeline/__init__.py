"""ClarioScope: patient-intake text models (intent, PHI spans, insurance fields)."""
