"""FedProc: federal procurement NLP (SAM.gov opportunities, FAR/DFARS regulations)."""
