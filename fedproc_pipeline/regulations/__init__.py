"""eCFR Title 48 regulations: FAR part 52 and DFARS part 252."""
