#!/usr/bin/env python3
"""Build the packaged offline sample of SAM.gov Opportunities API v2 data.

The output, ``fedproc_pipeline/sam/data/sam_sample.json.gz``, holds one v2 search response body per posted
day (``postedFrom=postedTo=<day>``, ``limit=1000``, ``offset=0``) plus the notice description texts that
the real API serves separately from ``/opportunities/v1/noticedesc``. Every notice is synthetic: agencies,
offices, NAICS and PSC codes, set-aside codes and notice types follow SAM.gov's real vocabulary, but the
notices, people, firms and phone numbers (555-01xx) are made up.

Clause numbers, titles and dates cited in descriptions are taken only from the real FAR part 52 / DFARS part
252 index files under ``../shared/data/far`` (read at build time only; the output is self-contained), and a
reserved section is never cited.

The build is deterministic: a fixed seed, stdlib ``random`` only, iteration only over ordered containers,
``json.dumps(sort_keys=True)`` and a gzip header with ``mtime=0``. Running it twice gives identical bytes.

Usage::

    python scripts/build_sam_sample.py [--far-dir DIR] [--out PATH]
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import math
import random
import re
import sys
import zlib
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT = ROOT / "fedproc_pipeline" / "sam" / "data" / "sam_sample.json.gz"
DEFAULT_FAR_DIR = ROOT.parent / "shared" / "data" / "far"

SEED = 20261109
EDITION = "sam-sample-2026-11"
GENERATED_BY = "scripts/build_sam_sample.py"
FIRST_DAY = date(2026, 11, 9)
N_DAYS = 12
HOLIDAYS = {date(2026, 11, 11), date(2026, 11, 26), date(2026, 12, 25), date(2027, 1, 1)}

# Clause numbers as they appear in text; the lookbehind keeps "52.2..." inside "252.2..." from matching.
CLAUSE_RE = re.compile(r"(?<![\d.])(252\.2\d\d-7\d{3}|52\.2\d\d-\d+)")

# --------------------------------------------------------------------------------------------------
# SAM vocabulary
# --------------------------------------------------------------------------------------------------

NOTICE_TYPES = [
    "Combined Synopsis/Solicitation",
    "Solicitation",
    "Sources Sought",
    "Presolicitation",
    "Award Notice",
    "Special Notice",
    "Justification",
    "Sale of Surplus Property",
    "Intent to Bundle Requirements (DoD-Funded)",
]
# Share of all notices; every type is floored at MIN_PER_TYPE, the remainder goes to the first type.
TYPE_SHARE = {
    "Combined Synopsis/Solicitation": 0.30,
    "Solicitation": 0.22,
    "Sources Sought": 0.12,
    "Presolicitation": 0.10,
    "Award Notice": 0.10,
    "Special Notice": 0.06,
    "Justification": 0.04,
    "Sale of Surplus Property": 0.032,
    "Intent to Bundle Requirements (DoD-Funded)": 0.025,
}
MIN_PER_TYPE = 8

SET_ASIDES = {
    "SBA": "Total Small Business Set-Aside (FAR 19.5)",
    "SBP": "Partial Small Business Set-Aside (FAR 19.5)",
    "8A": "8(a) Set-Aside (FAR 19.8)",
    "8AN": "8(a) Sole Source (FAR 19.8)",
    "HZC": "Historically Underutilized Business (HUBZone) Set-Aside (FAR 19.13)",
    "HZS": "Historically Underutilized Business (HUBZone) Sole Source (FAR 19.13)",
    "SDVOSBC": "Service-Disabled Veteran-Owned Small Business (SDVOSB) Set-Aside (FAR 19.14)",
    "SDVOSBS": "Service-Disabled Veteran-Owned Small Business (SDVOSB) Sole Source (FAR 19.14)",
    "WOSB": "Women-Owned Small Business (WOSB) Program Set-Aside (FAR 19.15)",
    "WOSBSS": "Women-Owned Small Business (WOSB) Program Sole Source (FAR 19.15)",
    "EDWOSB": "Economically Disadvantaged WOSB (EDWOSB) Program Set-Aside (FAR 19.15)",
    "EDWOSBSS": "Economically Disadvantaged WOSB (EDWOSB) Program Sole Source (FAR 19.15)",
}
NONE_CODE = "NONE"
NONE_DESC = "No Set aside used"
SOLE_SOURCE_CODES = ["8AN", "HZS", "SDVOSBS", "WOSBSS", "EDWOSBSS"]
COMPETITIVE_CODES = ["SBA", "SBP", "8A", "HZC", "SDVOSBC", "WOSB", "EDWOSB"]
# Target counts per code as a share of all notices, floored at MIN_PER_SET_ASIDE.
SET_ASIDE_SHARE = {
    "SBA": 0.24,
    "SBP": 0.018,
    "8A": 0.038,
    "8AN": 0.026,
    "HZC": 0.032,
    "HZS": 0.015,
    "SDVOSBC": 0.07,
    "SDVOSBS": 0.022,
    "WOSB": 0.032,
    "WOSBSS": 0.015,
    "EDWOSB": 0.018,
    "EDWOSBSS": 0.015,
}
MIN_PER_SET_ASIDE = 6
RARE_CODES = ["EDWOSB", "EDWOSBSS", "WOSBSS", "HZS"]

STATE_NAMES = {
    "AL": "Alabama",
    "AR": "Arkansas",
    "AZ": "Arizona",
    "CA": "California",
    "CO": "Colorado",
    "DC": "District of Columbia",
    "FL": "Florida",
    "GA": "Georgia",
    "ID": "Idaho",
    "IL": "Illinois",
    "IN": "Indiana",
    "KY": "Kentucky",
    "LA": "Louisiana",
    "MD": "Maryland",
    "MS": "Mississippi",
    "MT": "Montana",
    "NC": "North Carolina",
    "NJ": "New Jersey",
    "NM": "New Mexico",
    "NY": "New York",
    "OH": "Ohio",
    "OK": "Oklahoma",
    "OR": "Oregon",
    "PA": "Pennsylvania",
    "SC": "South Carolina",
    "TX": "Texas",
    "UT": "Utah",
    "VA": "Virginia",
    "WA": "Washington",
    "WV": "West Virginia",
    "WY": "Wyoming",
}
# UTC offsets in November-January (standard time everywhere; DST ended 2026-11-01).
STATE_TZ = {
    "AL": "C",
    "AR": "C",
    "AZ": "M",
    "CA": "P",
    "CO": "M",
    "DC": "E",
    "FL": "E",
    "GA": "E",
    "ID": "M",
    "IL": "C",
    "IN": "E",
    "KY": "E",
    "LA": "C",
    "MD": "E",
    "MS": "C",
    "MT": "M",
    "NC": "E",
    "NJ": "E",
    "NM": "M",
    "NY": "E",
    "OH": "E",
    "OK": "C",
    "OR": "P",
    "PA": "E",
    "SC": "E",
    "TX": "C",
    "UT": "M",
    "VA": "E",
    "WA": "P",
    "WV": "E",
    "WY": "M",
}
TZ_OFFSET = {"E": "-05:00", "C": "-06:00", "M": "-07:00", "P": "-08:00"}
TZ_NAME = {"E": "Eastern Time", "C": "Central Time", "M": "Mountain Time", "P": "Pacific Time"}

# A few real Census place codes; other cities get a stable 5-digit code derived from the name.
CITY_CODES = {
    "HUNTSVILLE": "37000",
    "NORFOLK": "57000",
    "SAN DIEGO": "66000",
    "COLUMBUS": "18000",
    "PHILADELPHIA": "60000",
    "ALBANY": "01000",
    "DENVER": "20000",
    "WASHINGTON": "50000",
    "BALTIMORE": "04000",
    "RICHMOND": "67000",
    "OKLAHOMA CITY": "55000",
    "SAVANNAH": "69000",
    "LONG BEACH": "43000",
    "JACKSON": "36000",
    "CHICAGO": "14000",
    "PORTLAND": "59000",
    "BOISE": "08830",
}

NAICS = {
    # code: (title, size standard)
    "113310": ("Logging", "500 employees"),
    "115310": ("Support Activities for Forestry", "$34.0 million"),
    "212312": ("Crushed and Broken Limestone Mining and Quarrying", "500 employees"),
    "221122": ("Electric Power Distribution", "1,100 employees"),
    "236220": ("Commercial and Institutional Building Construction", "$45.0 million"),
    "237310": ("Highway, Street, and Bridge Construction", "$45.0 million"),
    "237990": ("Other Heavy and Civil Engineering Construction", "$45.0 million"),
    "238160": ("Roofing Contractors", "$19.0 million"),
    "238210": ("Electrical Contractors and Other Wiring Installation Contractors", "$19.0 million"),
    "238220": ("Plumbing, Heating, and Air-Conditioning Contractors", "$19.0 million"),
    "238290": ("Other Building Equipment Contractors", "$22.0 million"),
    "311511": ("Fluid Milk Manufacturing", "1,150 employees"),
    "311812": ("Commercial Bakeries", "1,250 employees"),
    "315250": ("Cut and Sew Apparel Manufacturing (except Contractors)", "750 employees"),
    "325412": ("Pharmaceutical Preparation Manufacturing", "1,300 employees"),
    "326220": ("Rubber and Plastics Hoses and Belting Manufacturing", "800 employees"),
    "332722": ("Bolt, Nut, Screw, Rivet, and Washer Manufacturing", "600 employees"),
    "332911": ("Industrial Valve Manufacturing", "750 employees"),
    "332991": ("Ball and Roller Bearing Manufacturing", "1,250 employees"),
    "333912": ("Air and Gas Compressor Manufacturing", "1,000 employees"),
    "334111": ("Electronic Computer Manufacturing", "1,250 employees"),
    "334220": (
        "Radio and Television Broadcasting and Wireless Communications Equipment Manufacturing",
        "1,250 employees",
    ),
    "334417": ("Electronic Connector Manufacturing", "1,000 employees"),
    "334418": ("Printed Circuit Assembly (Electronic Assembly) Manufacturing", "750 employees"),
    "334510": ("Electromedical and Electrotherapeutic Apparatus Manufacturing", "1,250 employees"),
    "334511": (
        "Search, Detection, Navigation, Guidance, Aeronautical, and Nautical System and Instrument "
        "Manufacturing",
        "1,350 employees",
    ),
    "334513": (
        "Instruments and Related Products Manufacturing for Measuring, Displaying, and Controlling "
        "Industrial Process Variables",
        "750 employees",
    ),
    "334516": ("Analytical Laboratory Instrument Manufacturing", "1,000 employees"),
    "334517": ("Irradiation Apparatus Manufacturing", "1,200 employees"),
    "335929": ("Other Communication and Energy Wire Manufacturing", "1,100 employees"),
    "336412": ("Aircraft Engine and Engine Parts Manufacturing", "1,500 employees"),
    "336413": ("Other Aircraft Parts and Auxiliary Equipment Manufacturing", "1,250 employees"),
    "336611": ("Ship Building and Repairing", "1,300 employees"),
    "339112": ("Surgical and Medical Instrument Manufacturing", "1,000 employees"),
    "339113": ("Surgical Appliance and Supplies Manufacturing", "800 employees"),
    "339991": ("Gasket, Packing, and Sealing Device Manufacturing", "550 employees"),
    "423110": ("Automobile and Other Motor Vehicle Merchant Wholesalers", "250 employees"),
    "423450": ("Medical, Dental, and Hospital Equipment and Supplies Merchant Wholesalers", "200 employees"),
    "423810": (
        "Construction and Mining (except Oil Well) Machinery and Equipment Merchant Wholesalers",
        "250 employees",
    ),
    "423860": (
        "Transportation Equipment and Supplies (except Motor Vehicle) Merchant Wholesalers",
        "175 employees",
    ),
    "424210": ("Drugs and Druggists' Sundries Merchant Wholesalers", "250 employees"),
    "484121": ("General Freight Trucking, Long-Distance, Truckload", "$38.0 million"),
    "488190": ("Other Support Activities for Air Transportation", "$40.0 million"),
    "513210": ("Software Publishers", "$47.0 million"),
    "517111": ("Wired Telecommunications Carriers", "1,500 employees"),
    "518210": (
        "Computing Infrastructure Providers, Data Processing, Web Hosting, and Related Services",
        "$40.0 million",
    ),
    "531120": ("Lessors of Nonresidential Buildings (except Miniwarehouses)", "$34.0 million"),
    "541330": ("Engineering Services", "$25.5 million"),
    "541370": ("Surveying and Mapping (except Geophysical) Services", "$19.0 million"),
    "541380": ("Testing Laboratories and Services", "$19.0 million"),
    "541511": ("Custom Computer Programming Services", "$34.0 million"),
    "541512": ("Computer Systems Design Services", "$34.0 million"),
    "541519": ("Other Computer Related Services", "$34.0 million"),
    "541611": ("Administrative Management and General Management Consulting Services", "$24.5 million"),
    "541620": ("Environmental Consulting Services", "$19.0 million"),
    "541714": ("Research and Development in Biotechnology (except Nanobiotechnology)", "1,000 employees"),
    "541715": (
        "Research and Development in the Physical, Engineering, and Life Sciences (except Nanotechnology "
        "and Biotechnology)",
        "1,000 employees",
    ),
    "541930": ("Translation and Interpretation Services", "$24.0 million"),
    "561210": ("Facilities Support Services", "$47.0 million"),
    "561612": ("Security Guards and Patrol Services", "$29.0 million"),
    "561710": ("Exterminating and Pest Control Services", "$17.5 million"),
    "561720": ("Janitorial Services", "$22.0 million"),
    "561730": ("Landscaping Services", "$9.5 million"),
    "562111": ("Solid Waste Collection", "$47.0 million"),
    "562211": ("Hazardous Waste Treatment and Disposal", "$47.0 million"),
    "562910": ("Remediation Services", "$25.5 million"),
    "611430": ("Professional and Management Development Training", "$15.0 million"),
    "611630": ("Language Schools", "$22.0 million"),
    "621111": ("Offices of Physicians (except Mental Health Specialists)", "$16.0 million"),
    "621511": ("Medical Laboratories", "$41.5 million"),
    "622110": ("General Medical and Surgical Hospitals", "$47.0 million"),
    "721110": ("Hotels (except Casino Hotels) and Motels", "$40.0 million"),
    "811111": ("General Automotive Repair", "$9.0 million"),
    "811210": ("Electronic and Precision Equipment Repair and Maintenance", "$34.0 million"),
    "811310": (
        "Commercial and Industrial Machinery and Equipment (except Automotive and Electronic) Repair and "
        "Maintenance",
        "$12.5 million",
    ),
}

# --------------------------------------------------------------------------------------------------
# Offices
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Site:
    name: str
    city: str
    state: str
    zip: str


@dataclass(frozen=True)
class Office:
    key: str
    path: str
    code: str
    city: str
    state: str
    zipcode: str
    domain: str
    area: str
    prefix: str  # solicitation number prefix (DoDAAC / agency office code)
    digits: int  # width of the serial part of solicitation numbers
    dod: bool
    cats: tuple[str, ...]
    weight: float
    sites: tuple[Site, ...]


def _site(name: str, city: str, state: str, zip_: str) -> Site:
    return Site(name, city, state, zip_)


OFFICES: list[Office] = [
    Office(
        "usace_hnc",
        "DEPT OF DEFENSE.DEPT OF THE ARMY.USACE.HNC.W2V6 USA ENG SPT CTR HUNTSV",
        "097.2100.USACE.HNC.W2V6",
        "HUNTSVILLE",
        "AL",
        "35806-4200",
        "usace.army.mil",
        "256",
        "W912DY",
        4,
        True,
        ("construction", "eng_support", "environmental", "facility_service"),
        4.0,
        (
            _site("Redstone Arsenal", "HUNTSVILLE", "AL", "35898"),
            _site("Fort Novosel", "FORT NOVOSEL", "AL", "36362"),
            _site("Anniston Army Depot", "ANNISTON", "AL", "36201"),
        ),
    ),
    Office(
        "usace_sas",
        "DEPT OF DEFENSE.DEPT OF THE ARMY.USACE.SAD.W074 ENDIST SAVANNAH",
        "097.2100.USACE.SAD.W074",
        "SAVANNAH",
        "GA",
        "31401-3604",
        "usace.army.mil",
        "912",
        "W912HN",
        4,
        True,
        ("construction", "dredging", "eng_support"),
        3.0,
        (
            _site("Fort Stewart", "FORT STEWART", "GA", "31314"),
            _site("Hunter Army Airfield", "SAVANNAH", "GA", "31409"),
            _site("Savannah Harbor", "SAVANNAH", "GA", "31401"),
            _site("Fort Gordon", "FORT GORDON", "GA", "30905"),
        ),
    ),
    Office(
        "usace_mvk",
        "DEPT OF DEFENSE.DEPT OF THE ARMY.USACE.MVD.W07V ENDIST VICKSBURG",
        "097.2100.USACE.MVD.W07V",
        "VICKSBURG",
        "MS",
        "39183-3435",
        "usace.army.mil",
        "601",
        "W912EE",
        4,
        True,
        ("stone", "dredging", "construction", "sale_equipment"),
        2.0,
        (
            _site("Vicksburg District", "VICKSBURG", "MS", "39183"),
            _site("Grenada Lake", "GRENADA", "MS", "38901"),
            _site("Lake Ouachita", "ROYAL", "AR", "71968"),
        ),
    ),
    Office(
        "acc_apg",
        "DEPT OF DEFENSE.DEPT OF THE ARMY.AMC.ACC.ACC-CTRS.W6QK ACC-APG",
        "097.2100.AMC.ACC.ACC-CTRS.W6QK",
        "ABERDEEN PROVING GROUND",
        "MD",
        "21005-3013",
        "army.mil",
        "443",
        "W91CRB",
        4,
        True,
        ("it", "rnd", "eng_support", "training", "comm_equip"),
        3.5,
        (
            _site("Aberdeen Proving Ground", "ABERDEEN PROVING GROUND", "MD", "21005"),
            _site("Fort Detrick", "FREDERICK", "MD", "21702"),
        ),
    ),
    Office(
        "micc_bragg",
        "DEPT OF DEFENSE.DEPT OF THE ARMY.AMC.ACC.MICC.FORSCOM.W6QM MICC-FT BRAGG",
        "097.2100.AMC.ACC.MICC.FORSCOM.W6QM",
        "FORT BRAGG",
        "NC",
        "28310-0001",
        "army.mil",
        "910",
        "W91247",
        4,
        True,
        ("facility_service", "construction", "training", "bundle", "vehicle_maint"),
        3.5,
        (
            _site("Fort Bragg", "FORT BRAGG", "NC", "28310"),
            _site("Camp Mackall", "HOFFMAN", "NC", "28347"),
        ),
    ),
    Office(
        "micc_knox",
        "DEPT OF DEFENSE.DEPT OF THE ARMY.AMC.ACC.MICC.IMCOM.W6QN MICC-FT KNOX",
        "097.2100.AMC.ACC.MICC.IMCOM.W6QN",
        "FORT KNOX",
        "KY",
        "40121-5000",
        "army.mil",
        "502",
        "W9124D",
        4,
        True,
        ("lodging", "facility_service", "training"),
        2.0,
        (
            _site("Jacksonville MEPS", "JACKSONVILLE", "FL", "32256"),
            _site("Fort Knox", "FORT KNOX", "KY", "40121"),
            _site("Louisville MEPS", "LOUISVILLE", "KY", "40205"),
            _site("Columbus MEPS", "COLUMBUS", "OH", "43213"),
            _site("Oklahoma City MEPS", "OKLAHOMA CITY", "OK", "73120"),
        ),
    ),
    Office(
        "flc_norfolk",
        "DEPT OF DEFENSE.DEPT OF THE NAVY.NAVSUP.NAVSUP FLEET LOGISTICS CENTER.NAVSUP FLC NORFOLK",
        "097.1700.NAVSUP.NAVSUP FLEET LOGISTICS CENTER.N00189",
        "NORFOLK",
        "VA",
        "23511-3392",
        "us.navy.mil",
        "757",
        "N00189",
        4,
        True,
        ("navy_supply", "ship_repair", "facility_service", "freight"),
        4.0,
        (
            _site("Naval Station Norfolk", "NORFOLK", "VA", "23511"),
            _site("Naval Weapons Station Yorktown", "YORKTOWN", "VA", "23691"),
            _site("Joint Expeditionary Base Little Creek", "VIRGINIA BEACH", "VA", "23459"),
        ),
    ),
    Office(
        "nswc_crane",
        "DEPT OF DEFENSE.DEPT OF THE NAVY.NAVSEA.NAVSEA WARFARE CENTER.NSWC CRANE",
        "097.1700.NAVSEA.NAVSEA WARFARE CENTER.N00164",
        "CRANE",
        "IN",
        "47522-5001",
        "us.navy.mil",
        "812",
        "N00164",
        4,
        True,
        ("rnd", "navy_supply", "eng_support", "comm_equip"),
        3.0,
        (_site("NSWC Crane Division", "CRANE", "IN", "47522"),),
    ),
    Office(
        "navfac_sw",
        "DEPT OF DEFENSE.DEPT OF THE NAVY.NAVFAC.NAVFAC SOUTHWEST",
        "097.1700.NAVFAC.N62473",
        "SAN DIEGO",
        "CA",
        "92132-5190",
        "us.navy.mil",
        "619",
        "N62473",
        4,
        True,
        ("construction", "facility_service", "environmental", "bundle", "utility"),
        3.0,
        (
            _site("Naval Base San Diego", "SAN DIEGO", "CA", "92136"),
            _site("Naval Base Point Loma", "SAN DIEGO", "CA", "92106"),
            _site("Marine Corps Air Station Miramar", "SAN DIEGO", "CA", "92145"),
            _site("Naval Air Weapons Station China Lake", "RIDGECREST", "CA", "93555"),
        ),
    ),
    Office(
        "aflcmc",
        "DEPT OF DEFENSE.DEPT OF THE AIR FORCE.AFMC.AFLCMC.FA8621 AFLCMC WNK",
        "097.5700.AFMC.AFLCMC.FA8621",
        "WRIGHT PATTERSON AFB",
        "OH",
        "45433-7218",
        "us.af.mil",
        "937",
        "FA8621",
        4,
        True,
        ("it", "eng_support", "rnd", "aviation", "training"),
        3.0,
        (_site("Wright-Patterson Air Force Base", "WRIGHT PATTERSON AFB", "OH", "45433"),),
    ),
    Office(
        "barksdale",
        "DEPT OF DEFENSE.DEPT OF THE AIR FORCE.AFGSC.FA4608 2 CONS LGC",
        "097.5700.AFGSC.FA4608",
        "BARKSDALE AFB",
        "LA",
        "71110-2073",
        "us.af.mil",
        "318",
        "FA4608",
        4,
        True,
        ("facility_service", "construction", "utility", "vehicle_maint", "bundle"),
        2.5,
        (_site("Barksdale Air Force Base", "BARKSDALE AFB", "LA", "71110"),),
    ),
    Office(
        "dla_lm",
        "DEPT OF DEFENSE.DEFENSE LOGISTICS AGENCY.DLA LAND AND MARITIME.DLA LAND AND MARITIME COLUMBUS"
        ".DLA LAND AND MARITIME",
        "097.97AS.DLA LAND AND MARITIME.DLA LAND AND MARITIME COLUMBUS.SPE7M1",
        "COLUMBUS",
        "OH",
        "43218-3990",
        "dla.mil",
        "614",
        "SPE7M1",
        4,
        True,
        ("dla_supply",),
        6.0,
        (
            _site("DLA Distribution Susquehanna", "NEW CUMBERLAND", "PA", "17070"),
            _site("DLA Distribution San Joaquin", "TRACY", "CA", "95304"),
            _site("DLA Distribution Norfolk", "NORFOLK", "VA", "23511"),
        ),
    ),
    Office(
        "dla_avn",
        "DEPT OF DEFENSE.DEFENSE LOGISTICS AGENCY.DLA AVIATION.DLA AVIATION RICHMOND.DLA AVIATION",
        "097.97AS.DLA AVIATION.DLA AVIATION RICHMOND.SPE4A6",
        "RICHMOND",
        "VA",
        "23297-5000",
        "dla.mil",
        "804",
        "SPE4A6",
        4,
        True,
        ("dla_aviation",),
        4.0,
        (
            _site("DLA Distribution Oklahoma City", "OKLAHOMA CITY", "OK", "73145"),
            _site("DLA Distribution Warner Robins", "ROBINS AFB", "GA", "31098"),
            _site("DLA Distribution Susquehanna", "NEW CUMBERLAND", "PA", "17070"),
        ),
    ),
    Office(
        "dla_ts",
        "DEPT OF DEFENSE.DEFENSE LOGISTICS AGENCY.DLA TROOP SUPPORT.DLA TROOP SUPPORT PHILADELPHIA",
        "097.97AS.DLA TROOP SUPPORT.SPE2D1",
        "PHILADELPHIA",
        "PA",
        "19111-5096",
        "dla.mil",
        "215",
        "SPE2D1",
        4,
        True,
        ("dla_troop", "bundle"),
        3.0,
        (
            _site("DLA Distribution Susquehanna", "NEW CUMBERLAND", "PA", "17070"),
            _site("DLA Troop Support", "PHILADELPHIA", "PA", "19111"),
        ),
    ),
    Office(
        "va_nco2",
        "VETERANS AFFAIRS, DEPARTMENT OF.VETERANS AFFAIRS, DEPARTMENT OF.242-NETWORK CONTRACT OFFICE 02 "
        "(36C242)",
        "036.3600.36C242",
        "ALBANY",
        "NY",
        "12208-3473",
        "va.gov",
        "518",
        "36C242",
        4,
        False,
        ("va_med", "va_service", "va_construction"),
        4.0,
        (
            _site("Stratton VA Medical Center", "ALBANY", "NY", "12208"),
            _site("Syracuse VA Medical Center", "SYRACUSE", "NY", "13210"),
            _site("Bath VA Medical Center", "BATH", "NY", "14810"),
            _site("Canandaigua VA Medical Center", "CANANDAIGUA", "NY", "14424"),
            _site("East Orange VA Medical Center", "EAST ORANGE", "NJ", "07018"),
        ),
    ),
    Office(
        "va_nco16",
        "VETERANS AFFAIRS, DEPARTMENT OF.VETERANS AFFAIRS, DEPARTMENT OF.256-NETWORK CONTRACT OFFICE 16 "
        "(36C256)",
        "036.3600.36C256",
        "FLOWOOD",
        "MS",
        "39232-8873",
        "va.gov",
        "601",
        "36C256",
        4,
        False,
        ("va_med", "va_service", "va_construction"),
        3.5,
        (
            _site("G.V. (Sonny) Montgomery VA Medical Center", "JACKSON", "MS", "39216"),
            _site("Overton Brooks VA Medical Center", "SHREVEPORT", "LA", "71101"),
            _site("Southeast Louisiana Veterans Health Care System", "NEW ORLEANS", "LA", "70119"),
            _site("Gulf Coast Veterans Health Care System", "BILOXI", "MS", "39531"),
        ),
    ),
    Office(
        "va_nco22",
        "VETERANS AFFAIRS, DEPARTMENT OF.VETERANS AFFAIRS, DEPARTMENT OF.262-NETWORK CONTRACT OFFICE 22 "
        "(36C262)",
        "036.3600.36C262",
        "LONG BEACH",
        "CA",
        "90815-1708",
        "va.gov",
        "562",
        "36C262",
        4,
        False,
        ("va_med", "va_service", "va_construction"),
        3.5,
        (
            _site("VA Long Beach Healthcare System", "LONG BEACH", "CA", "90822"),
            _site("VA Loma Linda Healthcare System", "LOMA LINDA", "CA", "92357"),
            _site("VA San Diego Healthcare System", "SAN DIEGO", "CA", "92161"),
        ),
    ),
    Office(
        "va_tac",
        "VETERANS AFFAIRS, DEPARTMENT OF.VETERANS AFFAIRS, DEPARTMENT OF.TECHNOLOGY ACQUISITION CENTER NJ "
        "(36C10B)",
        "036.3600.36C10B",
        "EATONTOWN",
        "NJ",
        "07724-3327",
        "va.gov",
        "732",
        "36C10B",
        4,
        False,
        ("it",),
        2.0,
        (_site("Department of Veterans Affairs", "WASHINGTON", "DC", "20420"),),
    ),
    Office(
        "uscg_sflc",
        "HOMELAND SECURITY, DEPARTMENT OF.US COAST GUARD.SFLC PROCUREMENT BRANCH 3(00023)",
        "070.7008.70Z023",
        "BALTIMORE",
        "MD",
        "21226-5000",
        "uscg.mil",
        "410",
        "70Z023",
        7,
        False,
        ("ship_repair", "navy_supply", "sale_vessel"),
        2.5,
        (
            _site("Coast Guard Yard", "BALTIMORE", "MD", "21226"),
            _site("Sector Hampton Roads", "PORTSMOUTH", "VA", "23703"),
            _site("Sector Charleston", "CHARLESTON", "SC", "29401"),
        ),
    ),
    Office(
        "gsa_pbs_r5",
        "GENERAL SERVICES ADMINISTRATION.PUBLIC BUILDINGS SERVICE.PBS R5 ACQUISITION MANAGEMENT DIVISION",
        "047.4740.47PF05",
        "CHICAGO",
        "IL",
        "60604-1696",
        "gsa.gov",
        "312",
        "47PF05",
        4,
        False,
        ("gsa_construction", "facility_service", "lease"),
        2.5,
        (
            _site("John C. Kluczynski Federal Building", "CHICAGO", "IL", "60604"),
            _site("Paul Findley Federal Building and U.S. Courthouse", "SPRINGFIELD", "IL", "62701"),
            _site("Federal Building and U.S. Courthouse", "COLUMBUS", "OH", "43215"),
        ),
    ),
    Office(
        "usfs_nw",
        "AGRICULTURE, DEPARTMENT OF.FOREST SERVICE.USDA-FS, CSA NORTHWEST 4",
        "012.12C2.1240BF",
        "PORTLAND",
        "OR",
        "97204-3440",
        "usda.gov",
        "503",
        "1240BF",
        4,
        False,
        ("fire", "sale_timber", "forest_construction"),
        3.0,
        (
            _site("Willamette National Forest", "SPRINGFIELD", "OR", "97477"),
            _site("Mt. Hood National Forest", "SANDY", "OR", "97055"),
            _site("Umpqua National Forest", "ROSEBURG", "OR", "97471"),
            _site("Gifford Pinchot National Forest", "VANCOUVER", "WA", "98682"),
        ),
    ),
    Office(
        "blm_id",
        "INTERIOR, DEPARTMENT OF THE.BUREAU OF LAND MANAGEMENT.IDAHO STATE OFFICE",
        "014.1422.140L31",
        "BOISE",
        "ID",
        "83709-1657",
        "blm.gov",
        "208",
        "140L31",
        4,
        False,
        ("fire", "sale_timber", "survey", "environmental"),
        2.0,
        (
            _site("Coeur d'Alene District", "COEUR D ALENE", "ID", "83815"),
            _site("Boise District", "BOISE", "ID", "83705"),
            _site("Twin Falls District", "TWIN FALLS", "ID", "83301"),
        ),
    ),
    Office(
        "nps_imr",
        "INTERIOR, DEPARTMENT OF THE.NATIONAL PARK SERVICE.IMR INTERMOUNTAIN REGION(12000)",
        "014.1443.140P12",
        "LAKEWOOD",
        "CO",
        "80228-2822",
        "nps.gov",
        "303",
        "140P12",
        4,
        False,
        ("park_construction", "facility_service", "environmental"),
        2.5,
        (
            _site("Yellowstone National Park", "YELLOWSTONE NATIONAL PARK", "WY", "82190"),
            _site("Grand Canyon National Park", "GRAND CANYON", "AZ", "86023"),
            _site("Rocky Mountain National Park", "ESTES PARK", "CO", "80517"),
            _site("Glacier National Park", "WEST GLACIER", "MT", "59936"),
            _site("Zion National Park", "SPRINGDALE", "UT", "84767"),
        ),
    ),
    Office(
        "ihs_navajo",
        "HEALTH AND HUMAN SERVICES, DEPARTMENT OF.INDIAN HEALTH SERVICE.NAVAJO AREA INDIAN HEALTH SVC",
        "075.7527.75H708",
        "WINDOW ROCK",
        "AZ",
        "86515-9020",
        "ihs.gov",
        "928",
        "75H708",
        5,
        False,
        ("medical_service", "ihs_supply", "facility_service"),
        2.5,
        (
            _site("Gallup Indian Medical Center", "GALLUP", "NM", "87301"),
            _site("Chinle Comprehensive Health Care Facility", "CHINLE", "AZ", "86503"),
            _site("Northern Navajo Medical Center", "SHIPROCK", "NM", "87420"),
            _site("Crownpoint Health Care Facility", "CROWNPOINT", "NM", "87313"),
        ),
    ),
    Office(
        "nih_nida",
        "HEALTH AND HUMAN SERVICES, DEPARTMENT OF.NATIONAL INSTITUTES OF HEALTH.NATIONAL INSTITUTES OF "
        "HEALTH NIDA",
        "075.7529.75N950",
        "BETHESDA",
        "MD",
        "20892-0001",
        "nih.gov",
        "301",
        "75N950",
        5,
        False,
        ("health_rnd", "lab_supply", "it"),
        2.5,
        (
            _site("National Institutes of Health", "BETHESDA", "MD", "20892"),
            _site("NIH Biomedical Research Center", "BALTIMORE", "MD", "21224"),
        ),
    ),
    Office(
        "faa",
        "TRANSPORTATION, DEPARTMENT OF.FEDERAL AVIATION ADMINISTRATION.6973GH FRANCHISE ACQUISITION SVCS",
        "069.6920.6973GH",
        "OKLAHOMA CITY",
        "OK",
        "73169-6901",
        "faa.gov",
        "405",
        "6973GH",
        5,
        False,
        ("aviation", "comm_equip", "it", "eng_support"),
        2.5,
        (_site("Mike Monroney Aeronautical Center", "OKLAHOMA CITY", "OK", "73169"),),
    ),
    Office(
        "bop_beckley",
        "JUSTICE, DEPARTMENT OF.FEDERAL PRISON SYSTEM / BUREAU OF PRISONS.FCI BECKLEY",
        "015.1540.15B107",
        "BEAVER",
        "WV",
        "25813-9502",
        "bop.gov",
        "304",
        "15B107",
        8,
        False,
        ("food", "medical_service", "facility_service"),
        2.0,
        (_site("FCI Beckley", "BEAVER", "WV", "25813"),),
    ),
    Office(
        "state_aqm",
        "STATE, DEPARTMENT OF.STATE, DEPARTMENT OF.ACQUISITIONS - AQM MOMENTUM",
        "019.1900.19AQMM",
        "ARLINGTON",
        "VA",
        "22209-2403",
        "state.gov",
        "703",
        "19AQMM",
        4,
        False,
        ("translation", "training", "it", "freight"),
        2.0,
        (
            _site("Foreign Service Institute", "ARLINGTON", "VA", "22204"),
            _site("Harry S Truman Building", "WASHINGTON", "DC", "20520"),
        ),
    ),
    Office(
        "nasa_gsfc",
        "NATIONAL AERONAUTICS AND SPACE ADMINISTRATION.NASA.GODDARD SPACE FLIGHT CENTER",
        "080.8000.80GSFC",
        "GREENBELT",
        "MD",
        "20771-0001",
        "nasa.gov",
        "301",
        "80GSFC",
        4,
        False,
        ("eng_support", "it", "rnd", "lab_supply"),
        2.0,
        (
            _site("Goddard Space Flight Center", "GREENBELT", "MD", "20771"),
            _site("Wallops Flight Facility", "WALLOPS ISLAND", "VA", "23337"),
        ),
    ),
    Office(
        "noaa",
        "COMMERCE, DEPARTMENT OF.NATIONAL OCEANIC AND ATMOSPHERIC ADMINISTRATION.DEPT OF COMMERCE NOAA",
        "013.1330.1305M4",
        "NORFOLK",
        "VA",
        "23510-1145",
        "noaa.gov",
        "757",
        "1305M4",
        4,
        False,
        ("ship_repair", "environmental", "eng_support"),
        1.5,
        (
            _site("NOAA Marine Operations Center-Atlantic", "NORFOLK", "VA", "23510"),
            _site("NOAA Marine Operations Center-Pacific", "NEWPORT", "OR", "97365"),
        ),
    ),
]
OFFICE_BY_KEY = {o.key: o for o in OFFICES}
# How notice texts name the office (SAM's hierarchy names are terse upper-case codes).
OFFICE_DISPLAY = {
    "usace_hnc": "U.S. Army Engineering and Support Center, Huntsville",
    "usace_sas": "U.S. Army Corps of Engineers, Savannah District",
    "usace_mvk": "U.S. Army Corps of Engineers, Vicksburg District",
    "acc_apg": "Army Contracting Command-Aberdeen Proving Ground (ACC-APG)",
    "micc_bragg": "Mission and Installation Contracting Command (MICC) Fort Bragg",
    "micc_knox": "Mission and Installation Contracting Command (MICC) Fort Knox",
    "flc_norfolk": "NAVSUP Fleet Logistics Center Norfolk",
    "nswc_crane": "Naval Surface Warfare Center, Crane Division",
    "navfac_sw": "Naval Facilities Engineering Systems Command Southwest (NAVFAC SW)",
    "aflcmc": "Air Force Life Cycle Management Center (AFLCMC)",
    "barksdale": "2d Contracting Squadron, Barksdale Air Force Base",
    "dla_lm": "Defense Logistics Agency (DLA) Land and Maritime",
    "dla_avn": "Defense Logistics Agency (DLA) Aviation",
    "dla_ts": "Defense Logistics Agency (DLA) Troop Support",
    "va_nco2": "Department of Veterans Affairs, Network Contracting Office 2",
    "va_nco16": "Department of Veterans Affairs, Network Contracting Office 16",
    "va_nco22": "Department of Veterans Affairs, Network Contracting Office 22",
    "va_tac": "Department of Veterans Affairs, Technology Acquisition Center",
    "uscg_sflc": "U.S. Coast Guard Surface Forces Logistics Center (SFLC)",
    "gsa_pbs_r5": "General Services Administration, Public Buildings Service, Great Lakes Region",
    "usfs_nw": "USDA Forest Service, Contracting Service Area Northwest 4",
    "blm_id": "Bureau of Land Management, Idaho State Office",
    "nps_imr": "National Park Service, Intermountain Region",
    "ihs_navajo": "Indian Health Service, Navajo Area",
    "nih_nida": "National Institutes of Health, National Institute on Drug Abuse (NIDA)",
    "faa": "Federal Aviation Administration, Mike Monroney Aeronautical Center",
    "bop_beckley": "Federal Bureau of Prisons, Federal Correctional Institution Beckley",
    "state_aqm": "Department of State, Office of Acquisitions Management (AQM)",
    "nasa_gsfc": "NASA Goddard Space Flight Center",
    "noaa": "National Oceanic and Atmospheric Administration (NOAA)",
}
assert list(OFFICE_DISPLAY) == [o.key for o in OFFICES]

# --------------------------------------------------------------------------------------------------
# Work catalogue: (psc, naics, phrase, scope); phrases/scopes may use {site}, {bldg}, {n}.
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Work:
    cat: str
    psc: str
    naics: str
    phrase: str
    scope: str
    kind: str  # supply | service | construction | it | rnd | sale


def _works(cat: str, kind: str, rows: list[tuple[str, str, str, str]]) -> list[Work]:
    return [Work(cat, psc, naics, phrase, scope, kind) for psc, naics, phrase, scope in rows]


SUPPLY_SCOPE = "{qty} {unit} of {noun}, NSN {nsn}, manufactured to {spec}"

WORKS: list[Work] = []
WORKS += _works(
    "dla_supply",
    "supply",
    [
        ("5331", "339991", "O-RING", SUPPLY_SCOPE),
        ("5330", "339991", "GASKET", SUPPLY_SCOPE),
        ("5330", "339991", "SEAL,PLAIN ENCASED", SUPPLY_SCOPE),
        ("5995", "335929", "CABLE ASSEMBLY,SPECIAL", SUPPLY_SCOPE),
        ("5995", "335929", "CABLE ASSEMBLY,RADIO FREQUENCY", SUPPLY_SCOPE),
        ("5935", "334417", "CONNECTOR,PLUG,ELECTRICAL", SUPPLY_SCOPE),
        ("5935", "334417", "CONNECTOR,RECEPTACLE,ELECTRICAL", SUPPLY_SCOPE),
        ("5306", "332722", "BOLT,MACHINE", SUPPLY_SCOPE),
        ("5305", "332722", "SCREW,CAP,HEXAGON HEAD", SUPPLY_SCOPE),
        ("5310", "332722", "NUT,SELF-LOCKING,HEXAGON", SUPPLY_SCOPE),
        ("4820", "332911", "VALVE,GATE", SUPPLY_SCOPE),
        ("4810", "332911", "VALVE,SOLENOID", SUPPLY_SCOPE),
        ("3110", "332991", "BEARING,BALL,ANNULAR", SUPPLY_SCOPE),
        ("5998", "334418", "CIRCUIT CARD ASSEMBLY", SUPPLY_SCOPE),
        ("6685", "334513", "TRANSMITTER,PRESSURE", SUPPLY_SCOPE),
        ("4310", "333912", "COMPRESSOR,RECIPROCATING", SUPPLY_SCOPE),
        ("4720", "326220", "HOSE ASSEMBLY,NONMETALLIC", SUPPLY_SCOPE),
    ],
)
WORKS += _works(
    "dla_aviation",
    "supply",
    [
        ("1560", "336413", "PANEL,STRUCTURAL,AIRCRAFT", SUPPLY_SCOPE),
        ("1560", "336413", "BRACKET,ANGLE", SUPPLY_SCOPE),
        ("2915", "336412", "PUMP,FUEL,METERING", SUPPLY_SCOPE),
        ("2840", "336412", "BLADE,TURBINE ROTOR", SUPPLY_SCOPE),
        ("2840", "336412", "SEAL,AIR,AIRCRAFT GAS TURBINE", SUPPLY_SCOPE),
        ("6610", "334511", "INDICATOR,ATTITUDE", SUPPLY_SCOPE),
        ("1680", "336413", "ACTUATOR,ELECTRO-MECHANICAL", SUPPLY_SCOPE),
    ],
)
WORKS += _works(
    "dla_troop",
    "supply",
    [
        ("6515", "339112", "SURGICAL INSTRUMENT SET", SUPPLY_SCOPE),
        ("6515", "339112", "CATHETER,URETHRAL", SUPPLY_SCOPE),
        ("6530", "339113", "LITTER,FOLDING,RIGID POLE", SUPPLY_SCOPE),
        ("8415", "315250", "COAT,COLD WEATHER", SUPPLY_SCOPE),
        ("8405", "315250", "TROUSERS,ARMY COMBAT UNIFORM", SUPPLY_SCOPE),
        ("6505", "325412", "ONDANSETRON INJECTION,USP", SUPPLY_SCOPE),
    ],
)
WORKS += _works(
    "navy_supply",
    "supply",
    [
        ("5995", "335929", "CABLE ASSEMBLY,SPECIAL", SUPPLY_SCOPE),
        ("5985", "334220", "ANTENNA", SUPPLY_SCOPE),
        ("4720", "326220", "HOSE ASSEMBLY,NONMETALLIC", SUPPLY_SCOPE),
        ("4820", "332911", "VALVE,GLOBE", SUPPLY_SCOPE),
        ("5331", "339991", "O-RING", SUPPLY_SCOPE),
        ("6605", "334511", "GYROCOMPASS,MARINE", SUPPLY_SCOPE),
    ],
)
WORKS += _works(
    "va_med",
    "supply",
    [
        (
            "6515",
            "334510",
            "Patient Monitoring Equipment",
            "bedside and central-station patient monitors, telemetry transmitters, installation, clinical "
            "training and a one-year warranty for {site}",
        ),
        (
            "6530",
            "339113",
            "Bariatric Hospital Beds",
            "bariatric hospital beds with 1,000-pound safe working load, pressure-redistribution mattresses "
            "and side rails for {site}",
        ),
        (
            "6525",
            "334517",
            "Portable Digital Radiography System",
            "a mobile digital radiography system with wireless detectors, PACS integration and applications "
            "training for {site}",
        ),
        (
            "6515",
            "339112",
            "Phacoemulsification System",
            "a phacoemulsification and vitrectomy system with associated consumables for the Eye Clinic at "
            "{site}",
        ),
        (
            "6515",
            "339112",
            "Endoscopy Video Processors and Scopes",
            "video processors, flexible gastroscopes and colonoscopes and reprocessing accessories for the "
            "GI Lab at {site}",
        ),
        (
            "6515",
            "339112",
            "Large Volume Infusion Pumps",
            "large volume infusion pumps with dose-error-reduction software and wireless integration for "
            "{site}",
        ),
        (
            "6530",
            "339113",
            "Custom Power Wheelchairs",
            "custom power wheelchairs and seating systems for eligible Veterans served by {site}",
        ),
    ],
)
WORKS += _works(
    "va_service",
    "service",
    [
        (
            "J065",
            "811210",
            "Preventive Maintenance MRI Systems",
            "full-service preventive and remedial maintenance of the 1.5T and 3T MRI systems at {site}, "
            "including parts, labor, software updates and cryogen replenishment",
        ),
        (
            "J065",
            "811210",
            "CT Scanner Service Agreement",
            "OEM-certified preventive maintenance and repair of CT scanners at {site}, with 4-hour on-site "
            "response",
        ),
        (
            "Q301",
            "621511",
            "Reference Laboratory Testing Services",
            "reference laboratory testing, specimen pickup, courier services and electronic results "
            "interface for {site}",
        ),
        (
            "S201",
            "561720",
            "Janitorial Services",
            "janitorial and custodial services for community-based outpatient clinics under {site}",
        ),
        (
            "J039",
            "238290",
            "Elevator Maintenance and Repair",
            "full-service maintenance, inspection and repair of passenger and freight elevators at {site}",
        ),
        (
            "S222",
            "562211",
            "Regulated Medical Waste Removal",
            "collection, transportation and disposal of regulated medical waste and pharmaceutical waste "
            "from {site}",
        ),
        (
            "S208",
            "561730",
            "Grounds Maintenance and Snow Removal",
            "grounds maintenance, landscaping and snow removal at {site}",
        ),
    ],
)
WORKS += _works(
    "va_construction",
    "construction",
    [
        (
            "Z2DA",
            "236220",
            "Replace Air Handling Units Building {bldg}",
            "demolition of existing air handling units and installation of new AHUs, controls and "
            "ductwork in Building {bldg} at {site}",
        ),
        (
            "Z2DA",
            "236220",
            "Renovate Inpatient Ward {ward}",
            "renovation of Inpatient Ward {ward} at {site}, including patient rooms, nurse station, "
            "medical gas and nurse-call systems",
        ),
        (
            "Z2DA",
            "238210",
            "Upgrade Fire Alarm System",
            "replacement of the fire alarm control panels and initiating devices throughout {site}",
        ),
        (
            "Z2DA",
            "238160",
            "Replace Roof Building {bldg}",
            "removal and replacement of the roofing system on Building {bldg} at {site}",
        ),
    ],
)
WORKS += _works(
    "construction",
    "construction",
    [
        (
            "Z1JZ",
            "238220",
            "REPAIR HVAC SYSTEM BLDG {bldg}",
            "repair of the heating, ventilation and air-conditioning system in Building {bldg} at {site}, "
            "including chiller replacement and controls",
        ),
        (
            "Z2JZ",
            "238160",
            "REPLACE ROOF BLDG {bldg}",
            "removal of the existing built-up roof and installation of a new standing-seam metal roof on "
            "Building {bldg} at {site}",
        ),
        (
            "Y1JZ",
            "236220",
            "Construct Vehicle Maintenance Facility",
            "design-bid-build construction of a vehicle maintenance facility with maintenance bays, "
            "administrative space and organizational parking at {site}",
        ),
        (
            "Z2LB",
            "237310",
            "Repair Roads and Parking Areas",
            "mill and overlay of roads and parking areas, curb and gutter repair and pavement markings at "
            "{site}",
        ),
        (
            "Z2JZ",
            "238210",
            "Upgrade Interior Electrical Bldg {bldg}",
            "replacement of panelboards, branch circuits and lighting in Building {bldg} at {site}",
        ),
        (
            "Y1JZ",
            "236220",
            "Construct Barracks Complex",
            "construction of an unaccompanied housing complex with supporting facilities at {site}",
        ),
    ],
)
WORKS += _works(
    "gsa_construction",
    "construction",
    [
        (
            "Z2AA",
            "236220",
            "Modernize Elevators",
            "modernization of passenger elevators at the {site}, including controllers, machines and cabs",
        ),
        (
            "Z2AA",
            "238220",
            "Replace Cooling Tower",
            "replacement of the cooling tower and condenser water pumps serving the {site}",
        ),
        (
            "Z2AA",
            "236220",
            "Tenant Improvements Floor {n}",
            "tenant improvement build-out of floor {n} of the {site}",
        ),
    ],
)
WORKS += _works(
    "park_construction",
    "construction",
    [
        (
            "Z2LB",
            "237310",
            "Rehabilitate Park Road and Pullouts",
            "pavement rehabilitation, drainage improvements and pullout reconstruction along the main park "
            "road at {site}",
        ),
        (
            "Z2JZ",
            "236220",
            "Rehabilitate Historic Ranger Station",
            "rehabilitation of a historic ranger station at {site} in accordance with the Secretary of the "
            "Interior's Standards",
        ),
        (
            "Y1JZ",
            "236220",
            "Construct Visitor Contact Station",
            "construction of a visitor contact station and comfort station at {site}",
        ),
    ],
)
WORKS += _works(
    "forest_construction",
    "construction",
    [
        (
            "Z2LB",
            "237310",
            "Road Maintenance and Aggregate Surfacing",
            "road maintenance, culvert replacement and aggregate surfacing on system roads within {site}",
        ),
        (
            "Y1JZ",
            "236220",
            "Campground Vault Toilet Replacement",
            "replacement of precast concrete vault toilets at developed campgrounds on {site}",
        ),
    ],
)
WORKS += _works(
    "dredging",
    "construction",
    [
        (
            "Z1KF",
            "237990",
            "Maintenance Dredging",
            "hydraulic maintenance dredging of the federal navigation channel with placement in upland "
            "confined disposal areas near {site}",
        ),
        (
            "Z2KA",
            "237990",
            "Repair Tainter Gates",
            "repair of tainter gates, trunnion pins and gate seals at the dam serving {site}",
        ),
    ],
)
WORKS += _works(
    "stone",
    "supply",
    [
        (
            "5610",
            "212312",
            "RIPRAP STONE,GRADE A",
            "furnishing and delivering Grade A riprap stone by barge to bank stabilization sites within "
            "the {site}",
        ),
        (
            "5610",
            "212312",
            "BEDDING STONE",
            "furnishing and stockpiling bedding stone for revetment work within the {site}",
        ),
    ],
)
WORKS += _works(
    "facility_service",
    "service",
    [
        (
            "S201",
            "561720",
            "Janitorial Services at {site}",
            "custodial services, including trash removal, floor care, restroom sanitation and window "
            "cleaning, for administrative buildings at {site}",
        ),
        (
            "S206",
            "561612",
            "Unarmed Security Guard Services",
            "unarmed security guard services, access control and roving patrols at {site}",
        ),
        (
            "S208",
            "561730",
            "Grounds Maintenance Services",
            "mowing, trimming, edging, tree care and seasonal landscaping at {site}",
        ),
        (
            "S205",
            "562111",
            "Refuse Collection and Recycling Services",
            "collection, transportation and disposal of solid waste and recyclables from {site}",
        ),
        (
            "J041",
            "238220",
            "HVAC Preventive Maintenance",
            "preventive and corrective maintenance of HVAC systems, chillers, boilers and building "
            "automation controls at {site}",
        ),
        (
            "S207",
            "561710",
            "Integrated Pest Management Services",
            "integrated pest management and termite control services at {site}",
        ),
    ],
)
WORKS += _works(
    "vehicle_maint",
    "service",
    [
        (
            "J023",
            "811111",
            "Government Vehicle Maintenance and Repair",
            "scheduled maintenance and unscheduled repair of government-owned non-tactical vehicles at "
            "{site}",
        ),
    ],
)
WORKS += _works(
    "it",
    "it",
    [
        (
            "DA01",
            "541511",
            "Application Development and Sustainment Support",
            "agile software development, sustainment, DevSecOps pipeline support and Tier 3 application "
            "support",
        ),
        (
            "DJ01",
            "541512",
            "Cybersecurity Support Services",
            "Risk Management Framework assessment and authorization support, continuous monitoring, "
            "vulnerability management and incident response",
        ),
        (
            "DE01",
            "541519",
            "IT Service Desk Tier 1-2 Support",
            "enterprise service desk operations, Tier 1 and Tier 2 end-user support and asset management",
        ),
        (
            "7A21",
            "513210",
            "Software Licenses and Maintenance Renewal",
            "renewal of enterprise software subscriptions, technical support and maintenance",
        ),
        (
            "DH10",
            "518210",
            "Cloud Platform Hosting Services",
            "FedRAMP-authorized cloud hosting, platform management and migration support",
        ),
        (
            "7E21",
            "334111",
            "Ruggedized Laptops",
            "ruggedized laptop computers, docking stations and three-year warranty",
        ),
        (
            "DG11",
            "517111",
            "Telecommunications Circuits and Access Services",
            "dedicated internet access and wide-area network circuits, installation and 24x7 monitoring",
        ),
    ],
)
WORKS += _works(
    "eng_support",
    "service",
    [
        (
            "R425",
            "541330",
            "Engineering Support Services",
            "systems engineering, test and evaluation, configuration management and technical "
            "documentation support",
        ),
        (
            "R408",
            "541611",
            "Program Management Support Services",
            "program management, acquisition support, financial management and scheduling support",
        ),
        (
            "C219",
            "541330",
            "Architect-Engineer Services IDIQ",
            "architect-engineer design, studies, cost estimating and construction-phase services under "
            "an indefinite-delivery indefinite-quantity contract",
        ),
        (
            "R499",
            "541380",
            "Nondestructive Testing and Inspection Services",
            "nondestructive testing, materials testing and inspection services",
        ),
    ],
)
WORKS += _works(
    "rnd",
    "rnd",
    [
        (
            "AC12",
            "541715",
            "Advanced Sensor Signal Processing Research",
            "applied research in low-SWaP signal processing architectures for passive sensor systems",
        ),
        (
            "AC13",
            "541715",
            "Radiation-Hardened Microelectronics Prototyping",
            "experimental development and prototyping of radiation-hardened microelectronic components",
        ),
        (
            "AC12",
            "541715",
            "Energetic Materials Characterization",
            "applied research and characterization of novel energetic materials and formulations",
        ),
    ],
)
WORKS += _works(
    "health_rnd",
    "rnd",
    [
        (
            "AN12",
            "541714",
            "Preclinical Pharmacology and Toxicology Studies",
            "preclinical pharmacology, pharmacokinetic and toxicology studies of candidate medications for "
            "substance use disorders",
        ),
        (
            "AN11",
            "541715",
            "Neuroimaging Data Analysis Support",
            "analysis of multi-site neuroimaging data sets and development of open analysis pipelines",
        ),
    ],
)
WORKS += _works(
    "training",
    "service",
    [
        (
            "U008",
            "611430",
            "Leadership and Management Training",
            "development and delivery of leadership, supervisory and project management courses",
        ),
        (
            "U009",
            "611430",
            "Simulator Instructor Support",
            "classroom and simulator instruction, courseware maintenance and training records management",
        ),
    ],
)
WORKS += _works(
    "translation",
    "service",
    [
        (
            "R608",
            "541930",
            "Interpretation and Translation Services",
            "consecutive and simultaneous interpretation and document translation in more than 40 languages",
        ),
        (
            "U009",
            "611630",
            "Foreign Language Training Services",
            "instructor-led foreign language training for Foreign Service personnel",
        ),
    ],
)
WORKS += _works(
    "medical_service",
    "service",
    [
        (
            "Q201",
            "621111",
            "Emergency Medicine Physician Services",
            "board-certified emergency medicine physicians to staff the emergency department at {site}",
        ),
        (
            "Q301",
            "621511",
            "Reference Laboratory Services",
            "reference laboratory testing, specimen transport and results reporting for {site}",
        ),
        (
            "Q201",
            "622110",
            "Comprehensive Inpatient and Outpatient Hospital Services",
            "inpatient, outpatient and emergency hospital services for the population served by {site}",
        ),
    ],
)
WORKS += _works(
    "ihs_supply",
    "supply",
    [
        (
            "6515",
            "423450",
            "Medical and Surgical Supplies",
            "brand name or equal medical and surgical supplies delivered to {site}",
        ),
        (
            "6505",
            "424210",
            "Pharmaceuticals Supplemental Purchase",
            "pharmaceuticals not available through the prime vendor, delivered to the pharmacy at {site}",
        ),
    ],
)
WORKS += _works(
    "lab_supply",
    "supply",
    [
        (
            "6640",
            "334516",
            "Liquid Chromatography Mass Spectrometer",
            "a liquid chromatography tandem mass spectrometer, installation and operator training for {site}",
        ),
        (
            "6640",
            "334516",
            "Confocal Microscope System",
            "a laser scanning confocal microscope system with environmental chamber for {site}",
        ),
    ],
)
WORKS += _works(
    "lodging",
    "service",
    [
        (
            "V231",
            "721110",
            "Lodging and Meals for MEPS Applicants - {site}",
            "lodging, evening and breakfast meals and transportation for applicants processing at {site}",
        ),
    ],
)
WORKS += _works(
    "freight",
    "service",
    [
        (
            "V112",
            "484121",
            "Truckload Freight Transportation Services",
            "dedicated truckload transportation of general cargo between {site} and CONUS destinations",
        ),
    ],
)
WORKS += _works(
    "aviation",
    "service",
    [
        (
            "J015",
            "488190",
            "Aircraft Maintenance Support Services",
            "organizational and intermediate level maintenance support for government-owned aircraft",
        ),
        (
            "J015",
            "488190",
            "Flight Inspection Aircraft Maintenance",
            "scheduled inspections, unscheduled maintenance and avionics repair for flight inspection "
            "aircraft",
        ),
    ],
)
WORKS += _works(
    "ship_repair",
    "service",
    [
        (
            "J019",
            "336611",
            "Dockside Availability 87-ft Coastal Patrol Boat",
            "dockside repairs to an 87-foot coastal patrol boat, including main diesel engine overhaul "
            "and hull preservation, near {site}",
        ),
        (
            "J019",
            "336611",
            "Dry Dock Repairs",
            "dry-docking, underwater hull preservation, shaft and propeller inspection and sea valve "
            "overhaul for a government vessel homeported at {site}",
        ),
    ],
)
WORKS += _works(
    "fire",
    "service",
    [
        (
            "F003",
            "115310",
            "Wildland Fire Engine Services",
            "Type 6 wildland fire engines with qualified crews available for dispatch from {site}",
        ),
        (
            "F099",
            "115310",
            "Hazardous Fuels Reduction Thinning",
            "precommercial thinning, hand piling and pile burning of hazardous fuels on {site}",
        ),
        (
            "F099",
            "115310",
            "Tree Planting Services",
            "planting of conifer seedlings on burned and harvested units of {site}",
        ),
    ],
)
WORKS += _works(
    "environmental",
    "service",
    [
        (
            "F108",
            "562910",
            "Asbestos and Lead Abatement",
            "abatement and disposal of asbestos-containing materials and lead-based paint at {site}",
        ),
        (
            "F999",
            "541620",
            "Environmental Compliance Support Services",
            "environmental compliance inspections, permitting support and NEPA documentation for {site}",
        ),
    ],
)
WORKS += _works(
    "survey",
    "service",
    [
        (
            "R404",
            "541370",
            "Cadastral Land Survey Services",
            "dependent resurveys and subdivision of sections of public lands within the {site}",
        ),
    ],
)
WORKS += _works(
    "comm_equip",
    "supply",
    [
        (
            "5820",
            "334220",
            "Land Mobile Radios and Accessories",
            "P25-compliant portable and mobile land mobile radios, batteries and programming",
        ),
        (
            "5895",
            "334220",
            "Tactical Communications Equipment",
            "ruggedized communications equipment, cables and spares",
        ),
    ],
)
WORKS += _works(
    "food",
    "supply",
    [
        (
            "8910",
            "311511",
            "Fluid Milk and Dairy Products",
            "fluid milk, cultured dairy products and cheese delivered weekly to {site}",
        ),
        (
            "8920",
            "311812",
            "Bread and Bakery Products",
            "bread, rolls and bakery products delivered twice weekly to {site}",
        ),
    ],
)
WORKS += _works(
    "utility",
    "service",
    [
        (
            "S112",
            "221122",
            "Electric Distribution System Operation and Maintenance",
            "operation, maintenance and emergency repair of the electric distribution system at {site}",
        ),
    ],
)
WORKS += _works(
    "lease",
    "service",
    [
        (
            "X1AA",
            "531120",
            "Office Space Lease",
            "approximately {n},000 ANSI/BOMA office area square feet of fully serviced office space with "
            "parking in the delineated area around {site}",
        ),
    ],
)
WORKS += _works(
    "bundle",
    "service",
    [
        (
            "S216",
            "561210",
            "Base Operations Support Services",
            "consolidated base operations support, including facility maintenance, custodial, grounds, "
            "refuse and pest control services, at {site}",
        ),
        (
            "Z1JZ",
            "561210",
            "Consolidated Facilities Maintenance",
            "consolidated sustainment, restoration and modernization of facilities at {site} previously "
            "performed under separate contracts",
        ),
    ],
)
WORKS += _works(
    "bundle_dla",
    "supply",
    [
        (
            "6515",
            "423450",
            "Medical/Surgical Prime Vendor Program",
            "medical and surgical supplies distribution to military treatment facilities under a prime "
            "vendor arrangement",
        ),
    ],
)
WORKS += _works(
    "sale_timber",
    "sale",
    [
        (
            "F099",
            "113310",
            "{name} Timber Sale",
            "an estimated {vol} CCF of Douglas-fir and western hemlock sawtimber on {acres} acres of {site}",
        ),
        (
            "F099",
            "113310",
            "{name} Stewardship Timber Sale",
            "an estimated {vol} CCF of mixed conifer sawtimber and non-sawlog material on {acres} acres of "
            "{site}",
        ),
    ],
)
WORKS += _works(
    "sale_vessel",
    "sale",
    [
        (
            "1940",
            "423860",
            "Sale of Surplus 26-ft Aids to Navigation Boat",
            "one decommissioned 26-foot trailerable aids-to-navigation boat with outboard engines and "
            "trailer, located at {site}",
        ),
        (
            "1925",
            "423860",
            "Sale of Surplus Buoy Tender Hull",
            "one decommissioned 65-foot small harbor tug hull, sold as-is, where-is, located at {site}",
        ),
    ],
)
WORKS += _works(
    "sale_equipment",
    "sale",
    [
        (
            "3805",
            "423810",
            "Sale of Surplus Heavy Equipment",
            "surplus crawler dozers, a hydraulic excavator and dump trucks, sold as-is, where-is, located "
            "at {site}",
        ),
        (
            "2320",
            "423110",
            "Sale of Surplus Vehicles",
            "surplus pickup trucks and a stake-bed truck, sold as-is, where-is, located at {site}",
        ),
    ],
)
WORKS_BY_CAT: dict[str, list[Work]] = {}
for _w in WORKS:
    WORKS_BY_CAT.setdefault(_w.cat, []).append(_w)

SALE_CATS = ("sale_timber", "sale_vessel", "sale_equipment")

# Justification authorities by kind of work: (FAR authority, statute paragraph or "", rationale).
_OEM = (
    "FAR 6.302-1, Only One Responsible Source and No Other Supplies or Services Will Satisfy Agency "
    "Requirements",
    "1",
    "Market research found that only {firm}, as the original equipment manufacturer, possesses the "
    "proprietary technical data, software and parts necessary to meet the Government's requirement; no "
    "other source can provide them without substantial duplication of cost and unacceptable delay.",
)
JUSTIFICATIONS: dict[str, list[tuple[str, str, str]]] = {
    "any": [
        (
            "FAR 6.302-2, Unusual and Compelling Urgency",
            "2",
            "The current contract expires before a competitive award can be made, and a lapse in performance "
            "would seriously injure the Government. The bridge action is limited to the minimum period "
            "needed to complete the competitive follow-on acquisition, as required by FAR 6.302-2(d).",
        ),
        (
            "FAR 13.106-1(b)(1), soliciting from a single source",
            "",
            "The contracting officer determined that only one source is reasonably available, considering "
            "the urgency, the location of the work and the specialized qualifications required.",
        ),
    ],
    "supply": [
        _OEM,
        (
            "FAR 8.405-6(a)(1)(i)(B), limited sources under the Federal Supply Schedules",
            "",
            "The brand-name item is essential to the Government's requirement because it must be compatible "
            "with existing equipment, and market research identified no equal product.",
        ),
    ],
    "it": [
        _OEM,
        (
            "FAR 8.405-6(a)(1)(i)(B), limited sources under the Federal Supply Schedules",
            "",
            "The requirement is for brand-name software subscriptions and support that are compatible with "
            "the installed enterprise baseline; no other product meets the requirement.",
        ),
    ],
    "service": [
        _OEM,
        (
            "FAR 6.302-1(a)(2)(ii), follow-on contract for the continued provision of highly specialized "
            "services",
            "1",
            "Award to any source other than {firm}, the incumbent, would result in substantial duplication "
            "of cost that is not expected to be recovered through competition and in unacceptable delays in "
            "fulfilling the agency's requirements.",
        ),
    ],
    "rnd": [
        (
            "FAR 6.302-1(a)(2)(i), unique capability for research and development",
            "1",
            "{firm} is the only source with the unique capability, facilities and experience to perform "
            "the research within the required time frame.",
        ),
    ],
}
BUNDLE_CATS = ("bundle", "bundle_dla")

FIRST_NAMES = [
    "James", "Mary", "Robert", "Patricia", "Michael", "Jennifer", "William", "Linda", "David", "Elizabeth",
    "Richard", "Barbara", "Joseph", "Susan", "Thomas", "Jessica", "Christopher", "Sarah", "Daniel", "Karen",
    "Matthew", "Nancy", "Anthony", "Lisa", "Mark", "Angela", "Steven", "Ashley", "Andrew", "Kimberly",
    "Joshua", "Michelle", "Kevin", "Tamara", "Brian", "Denise", "Marcus", "Monique", "Luis", "Rosa",
    "Derrick", "Keisha", "Aaron", "Heather", "Jamal", "Latoya", "Eric", "Megan", "Trevor", "Yolanda",
]  # fmt: skip
LAST_NAMES = [
    "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez",
    "Hernandez", "Lopez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin", "Lee",
    "Thompson", "White", "Harris", "Clark", "Lewis", "Robinson", "Walker", "Young", "Allen", "King",
    "Wright", "Scott", "Torres", "Hill", "Green", "Adams", "Baker", "Nelson", "Carter", "Mitchell",
    "Roberts", "Turner", "Phillips", "Campbell", "Parker", "Evans", "Edwards", "Collins", "Stewart", "Morris",
    "Reyes", "Murphy", "Cook", "Rogers", "Morgan", "Peterson", "Cooper", "Reed", "Bailey", "Bell",
]  # fmt: skip
FIRM_A = [
    "Apex", "Tidewater", "Summit", "Bluewater", "Ironclad", "Keystone", "Meridian", "Cardinal", "Redstone",
    "Pinnacle", "Sentinel", "Blue Ridge", "Cascade", "Granite State", "Liberty Bell", "Magnolia", "Palmetto",
    "Prairie", "Riverbend", "Sierra", "Silver Oak", "Three Rivers", "Trident", "Vanguard", "Westbrook",
    "Horizon", "Copperline", "Evergreen", "Lakeshore", "Northstar",
]  # fmt: skip
FIRM_B = {
    "supply": ["Industrial Supply", "Components", "Manufacturing", "Precision Products", "Distributors"],
    "service": ["Federal Services", "Facility Solutions", "Management Group", "Professional Services"],
    "construction": ["Construction", "Builders", "Mechanical", "Contracting", "General Contractors"],
    "it": ["Technologies", "Digital Solutions", "Systems", "IT Services", "Cyber Solutions"],
    "rnd": ["Research Associates", "Scientific", "Laboratories", "Research Corporation"],
    "sale": ["Timber Company", "Logging", "Forest Products", "Salvage"],
}
FIRM_C = ["LLC", "Inc.", "Corp.", "LLC", "Inc.", "JV LLC", "Co."]
AWARDEE_CITIES = [
    ("VIRGINIA BEACH", "VA", "23462"),
    ("HUNTSVILLE", "AL", "35805"),
    ("SAN ANTONIO", "TX", "78216"),
    ("COLUMBIA", "MD", "21046"),
    ("FAYETTEVILLE", "NC", "28303"),
    ("DAYTON", "OH", "45432"),
    ("SPOKANE", "WA", "99201"),
    ("ALBUQUERQUE", "NM", "87109"),
    ("JACKSON", "MS", "39201"),
    ("SHREVEPORT", "LA", "71101"),
    ("SYRACUSE", "NY", "13202"),
    ("EUGENE", "OR", "97401"),
    ("CHESAPEAKE", "VA", "23320"),
    ("SAVANNAH", "GA", "31405"),
    ("OKLAHOMA CITY", "OK", "73108"),
    ("TEMECULA", "CA", "92590"),
    ("PITTSBURGH", "PA", "15222"),
    ("CHARLESTON", "SC", "29405"),
]
UEI_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789"  # SAM UEIs never use the letters I and O
SALE_NAMES = [
    "Bear Creek", "Cougar Ridge", "Elk Meadow", "Fir Butte", "Hemlock Flats", "Lost Prairie", "Mill Creek",
    "North Fork", "Rattlesnake", "Salmon Bend", "Tumble Rock", "Whiskey Gulch",
]  # fmt: skip


# --------------------------------------------------------------------------------------------------
# Clauses (real FAR / DFARS numbers, titles and dates from ../shared/data/far)
# --------------------------------------------------------------------------------------------------


class ClauseIndex:
    def __init__(self, far_dir: Path) -> None:
        self.index: dict[str, dict[str, Any]] = {}
        for name in ("far52_index.jsonl", "dfars252_index.jsonl"):
            path = far_dir / name
            if not path.is_file():
                raise SystemExit(f"missing regulation index {path}; pass --far-dir")
            with path.open(encoding="utf-8") as fh:
                for line in fh:
                    if line.strip():
                        rec = json.loads(line)
                        self.index[rec["number"]] = rec

    def get(self, number: str) -> dict[str, Any]:
        rec = self.index.get(number)
        if rec is None:
            raise SystemExit(f"clause {number} is not in the FAR/DFARS index")
        if rec["reserved"] or not rec.get("date"):
            raise SystemExit(f"clause {number} is reserved or undated; it must not be cited")
        return rec

    def validate(self, numbers: list[str]) -> None:
        for n in numbers:
            self.get(n)

    def ref(self, number: str, rng: random.Random, *, with_date: bool | None = None) -> str:
        rec = self.get(number)
        reg = "DFARS" if number.startswith("252.") else "FAR"
        if with_date is None:
            with_date = rng.random() < 0.55
        date_part = f" ({rec['date'].upper()})" if with_date else ""
        style = rng.random()
        if style < 0.45:
            return f"{reg} {number}, {rec['title']}{date_part}"
        if style < 0.8:
            return f"{number}, {rec['title']}{date_part}"
        return f"{number} {rec['title']}{date_part}"

    def kind(self, number: str) -> str:
        return self.get(number).get("type") or "clause"


SET_ASIDE_CLAUSES = {
    "SBA": ["52.219-6", "52.219-14"],
    "SBP": ["52.219-7", "52.219-14"],
    "8A": ["52.219-18", "52.219-17", "52.219-14"],
    "8AN": ["52.219-17", "52.219-14"],
    "HZC": ["52.219-3", "52.219-14"],
    "HZS": ["52.219-3", "52.219-14"],
    "SDVOSBC": ["52.219-27", "52.219-14"],
    "SDVOSBS": ["52.219-27", "52.219-14"],
    "WOSB": ["52.219-30", "52.219-14"],
    "WOSBSS": ["52.219-30", "52.219-14"],
    "EDWOSB": ["52.219-29", "52.219-14"],
    "EDWOSBSS": ["52.219-29", "52.219-14"],
}
COMMERCIAL_BASE = ["52.212-1", "52.212-3", "52.212-4", "52.212-5", "52.212-2"]
KIND_EXTRAS = {
    "supply": ["52.247-34", "52.246-2", "52.211-17", "52.204-25"],
    "service": ["52.222-41", "52.222-42", "52.217-8", "52.217-9", "52.237-2", "52.237-3", "52.246-4"],
    "construction": [
        "52.236-1",
        "52.236-2",
        "52.236-3",
        "52.236-13",
        "52.228-15",
        "52.228-5",
        "52.222-6",
        "52.211-10",
        "52.211-12",
    ],
    "it": ["52.204-21", "52.204-25", "52.204-24", "52.204-23", "52.217-9", "52.204-30"],
    "rnd": ["52.215-1", "52.204-21", "52.219-9", "52.216-1"],
    "sale": ["52.203-2", "52.209-5", "52.204-7"],
}
DOD_EXTRAS = {
    "supply": [
        "252.211-7003",
        "252.225-7001",
        "252.246-7008",
        "252.225-7048",
        "252.211-7008",
        "252.209-7010",
    ],
    "service": ["252.204-7004", "252.201-7000", "252.232-7006", "252.223-7006"],
    "construction": ["252.236-7000", "252.236-7001", "252.232-7006", "252.204-7004"],
    "it": ["252.204-7012", "252.204-7021", "252.239-7010", "252.204-7019", "252.239-7018", "252.204-7020"],
    "rnd": ["252.227-7013", "252.227-7014", "252.204-7012", "252.204-7000"],
    "sale": [],
}
DOD_PAYMENT = ["252.232-7003", "252.232-7006"]
CIVIL_PAYMENT = ["52.232-33", "52.232-39", "52.204-7", "52.204-13"]
IDIQ_CLAUSES = ["52.216-18", "52.216-22"]
BUNDLE_CLAUSES = ["52.219-9", "252.219-7003", "52.219-8", "52.219-14"]

CUSTOM_CLAUSE_SENTENCES = {
    "52.212-1": [
        "The provision at {ref} applies to this acquisition.",
        "{ref} applies; addenda to the provision are included in the attached solicitation package.",
    ],
    "52.212-2": [
        "The Government will award to the responsible offeror whose offer conforming to the solicitation "
        "will be most advantageous to the Government, price and other factors considered, in accordance "
        "with {ref}; the evaluation factors are technical capability, past performance and price.",
        "Award will be made on a lowest price technically acceptable basis; {ref} applies.",
    ],
    "52.212-3": [
        "Offerors shall complete {ref} electronically in SAM at https://sam.gov, or include a completed "
        "copy of the provision with the quote.",
        "Offerors must include a completed copy of {ref}, or certify that it is current in SAM.",
    ],
    "52.212-4": ["The clause at {ref} applies to this acquisition.", "{ref} applies."],
    "52.212-5": [
        "The clause at {ref} applies, including the clauses checked in paragraphs (b) and (c) of the "
        "clause as applicable to this acquisition.",
    ],
    "52.222-41": [
        "{ref} applies; the Department of Labor wage determination for the place of performance "
        "({wd}) is attached.",
    ],
    "52.204-7": [
        "Offerors must be registered in the System for Award Management at the time an offer is "
        "submitted, in accordance with {ref}.",
    ],
    "52.219-14": [
        "Offerors are reminded of the requirements of {ref}.",
        "{ref} applies to any resulting contract.",
    ],
    "52.217-9": ["The contract will include a base period and {opts} option periods; {ref} applies."],
    "52.228-15": ["Performance and payment bonds are required in accordance with {ref}."],
    "52.247-34": ["Prices shall be quoted F.o.b. Destination; {ref} applies."],
    "52.209-5": [
        "Each bidder shall certify in accordance with {ref} that it is not presently debarred, "
        "suspended, proposed for debarment or declared ineligible.",
    ],
    "52.203-2": ["Each sealed bid shall include the certification required by {ref}."],
    "252.232-7006": ["Payment will be made through Wide Area WorkFlow (WAWF) in accordance with {ref}."],
    "252.204-7012": [
        "Offerors are advised that {ref} applies, and that the contractor must implement NIST SP 800-171 "
        "security requirements on covered contractor information systems.",
    ],
    "252.211-7003": ["Item unique identification marking is required in accordance with {ref}."],
    "52.232-33": ["Payment will be made by electronic funds transfer in accordance with {ref}."],
    "52.219-9": [
        "Other than small businesses will be required to submit a subcontracting plan in accordance with "
        "{ref}.",
    ],
}
GENERIC_CLAUSE_SENTENCES = [
    "The {kind} at {ref} applies to this acquisition.",
    "{ref} is incorporated by reference.",
    "{ref} applies.",
    "The {kind} at {ref} is incorporated into this solicitation.",
]


# --------------------------------------------------------------------------------------------------
# Generator
# --------------------------------------------------------------------------------------------------


def business_day_on_or_after(d: date) -> date:
    while d.weekday() >= 5 or d in HOLIDAYS:
        d += timedelta(days=1)
    return d


def long_date(d: date) -> str:
    return f"{d.strftime('%B')} {d.day}, {d.year}"


def clock(hour: int, minute: int = 0) -> str:
    h12 = hour % 12 or 12
    return f"{h12}:{minute:02d} {'AM' if hour < 12 else 'PM'}"


def city_code(city: str) -> str:
    return CITY_CODES.get(city) or f"{zlib.crc32(city.encode()) % 90000 + 10000:05d}"


class Builder:
    def __init__(self, clauses: ClauseIndex, seed: int = SEED) -> None:
        self.rng = random.Random(seed)
        self.clauses = clauses
        self.notice_ids: list[str] = []
        self.serials: dict[str, int] = {}

    # ---- small helpers -------------------------------------------------------------------------
    def hex32(self) -> str:
        while True:
            nid = f"{self.rng.getrandbits(128):032x}"
            if nid not in self.notice_ids:
                self.notice_ids.append(nid)
                return nid

    def uei(self) -> str:
        r = self.rng
        first = r.choice(UEI_ALPHABET[:24])
        return first + "".join(r.choice(UEI_ALPHABET) for _ in range(11))

    def person(self, office: Office) -> dict[str, Any]:
        r = self.rng
        first, last = r.choice(FIRST_NAMES), r.choice(LAST_NAMES)
        mid = r.choice("ABCDEFGHJKLMNPRSTW")
        if office.dod:
            email = f"{first.lower()}.{mid.lower()}.{last.lower()}.civ@{office.domain}"
        else:
            email = f"{first.lower()}.{last.lower()}@{office.domain}"
        name = f"{first} {mid}. {last}" if r.random() < 0.5 else f"{first} {last}"
        phone = f"{office.area}-555-01{r.randint(0, 99):02d}"
        return {"fullName": name, "email": email, "phone": phone}

    def sol_number(self, office: Office, letter: str, fy: int) -> str:
        key = f"{office.prefix}{fy}{letter}"
        self.serials[key] = self.serials.get(key, self.rng.randint(1, 40)) + self.rng.randint(1, 9)
        return f"{key}{self.serials[key]:0{office.digits}d}"

    def firm(self, kind: str) -> str:
        r = self.rng
        b = FIRM_B.get(kind, FIRM_B["service"])
        return f"{r.choice(FIRM_A)} {r.choice(b)} {r.choice(FIRM_C)}"

    def nsn(self, fsc: str) -> str:
        r = self.rng
        country = r.choice(["00", "01", "01", "01", "12", "14"])
        return f"{fsc}-{country}-{r.randint(100, 999)}-{r.randint(0, 9999):04d}"

    # ---- planning ------------------------------------------------------------------------------
    def plan(self) -> list[tuple[date, str, str | None]]:
        """Return (posted day, notice type, set-aside code or None) for every notice, day-ordered."""
        r = self.rng
        days = [FIRST_DAY + timedelta(days=i) for i in range(N_DAYS)]
        counts: dict[date, int] = {}
        for d in days:
            if d.weekday() == 5:
                counts[d] = r.randint(3, 5)
            elif d.weekday() == 6:
                counts[d] = r.randint(2, 4)
            elif d in HOLIDAYS:
                counts[d] = r.randint(18, 24)  # Veterans Day: federal holiday, light posting
            else:
                counts[d] = r.randint(34, 44)
        total = sum(counts.values())

        type_counts = {t: max(MIN_PER_TYPE, int(TYPE_SHARE[t] * total)) for t in NOTICE_TYPES}
        type_counts[NOTICE_TYPES[0]] += total - sum(type_counts.values())
        types = [t for t in NOTICE_TYPES for _ in range(type_counts[t])]
        r.shuffle(types)
        # Weekends carry only a few notices, mostly quick RFQs and special notices: move others to weekdays.
        slots: list[date] = [d for d in days for _ in range(counts[d])]
        weekend_ok = {"Combined Synopsis/Solicitation", "Special Notice", "Sources Sought"}
        for i, d in enumerate(slots):
            if d.weekday() >= 5 and types[i] not in weekend_ok:
                for j in range(len(types)):
                    if slots[j].weekday() < 5 and types[j] in weekend_ok:
                        types[i], types[j] = types[j], types[i]
                        break

        # Set-asides: sole-source codes go to notice types that announce a sole-source action.
        set_aside: list[str | None] = [None] * total
        quotas = {c: max(MIN_PER_SET_ASIDE, round(SET_ASIDE_SHARE[c] * total)) for c in SET_ASIDES}
        sole_pool = [
            i for i, t in enumerate(types) if t in ("Presolicitation", "Award Notice", "Justification")
        ] + [i for i, t in enumerate(types) if t == "Special Notice"]
        r.shuffle(sole_pool)
        for code in SOLE_SOURCE_CODES:
            for _ in range(quotas[code]):
                set_aside[sole_pool.pop()] = code
        comp_types = (
            "Combined Synopsis/Solicitation",
            "Solicitation",
            "Sources Sought",
            "Presolicitation",
            "Award Notice",
        )
        comp_pool = [i for i, t in enumerate(types) if t in comp_types and set_aside[i] is None]
        r.shuffle(comp_pool)
        for code in COMPETITIVE_CODES:
            for _ in range(quotas[code]):
                set_aside[comp_pool.pop()] = code
        return [(slots[i], types[i], set_aside[i]) for i in range(total)]

    def pick_office(self, ntype: str, code: str | None) -> Office:
        r = self.rng
        if ntype == "Sale of Surplus Property":
            cands = [o for o in OFFICES if any(c in o.cats for c in SALE_CATS)]
        elif ntype == "Intent to Bundle Requirements (DoD-Funded)":
            cands = [o for o in OFFICES if o.dod and any(c in o.cats for c in BUNDLE_CATS)]
        else:
            cands = [
                o
                for o in OFFICES
                if any(c not in SALE_CATS and c not in BUNDLE_CATS for c in o.cats)
                and not (o.key == "va_tac" and code in SOLE_SOURCE_CODES)
            ]
        weights = []
        for o in cands:
            w = o.weight
            if code in ("SDVOSBC", "SDVOSBS") and o.key.startswith("va_"):
                w *= 8  # Veterans First: VA sets aside most requirements for SDVOSBs
            if o.key.startswith("va_") and code not in ("SDVOSBC", "SDVOSBS", None):
                w *= 0.4
            if code in ("8A", "8AN") and o.key in ("acc_apg", "aflcmc", "nasa_gsfc", "faa", "usace_hnc"):
                w *= 2.5
            if code in ("HZC", "HZS") and o.key in ("usace_sas", "usace_mvk", "usfs_nw", "ihs_navajo"):
                w *= 2.5
            weights.append(w)
        return r.choices(cands, weights=weights)[0]

    def pick_work(self, office: Office, ntype: str) -> Work:
        r = self.rng
        if ntype == "Sale of Surplus Property":
            cats = [c for c in office.cats if c in SALE_CATS]
        elif ntype == "Intent to Bundle Requirements (DoD-Funded)":
            cats = [c for c in office.cats if c in BUNDLE_CATS]
        else:
            cats = [c for c in office.cats if c not in SALE_CATS and c not in BUNDLE_CATS]
        cat = r.choice(cats)
        works = WORKS_BY_CAT[cat]
        if ntype == "Combined Synopsis/Solicitation":
            # FAR 12.6 streamlining is for commercial buys: no R&D, A-E, new construction or leases.
            fitting = [w for w in works if w.kind != "rnd" and w.psc[:2] not in ("Y1", "C2", "X1")]
            works = fitting or works
        return r.choice(works)

    # ---- notice ------------------------------------------------------------------------------
    def notice(self, posted: date, ntype: str, code: str | None) -> tuple[dict[str, Any], str]:
        r = self.rng
        office = self.pick_office(ntype, code)
        work = self.pick_work(office, ntype)
        site = r.choice(office.sites)
        nid = self.hex32()
        fy = 27 if (ntype != "Award Notice" and r.random() < 0.85) or r.random() < 0.35 else 26

        ctx: dict[str, Any] = {
            "site": site.name,
            "bldg": str(r.choice([r.randint(100, 999), r.randint(1000, 9999), r.randint(1, 99)])),
            "ward": r.choice(["3 West", "4 East", "5 North", "2B", "7C"]),
            "n": r.randint(2, 14),
            "name": r.choice(SALE_NAMES),
            "vol": f"{r.randint(8, 95) * 100:,}",
            "acres": r.randint(40, 900),
        }
        phrase = work.phrase.format(**ctx)

        # Solicitation numbers
        if work.kind == "sale":
            letter = "S"
        elif ntype in ("Combined Synopsis/Solicitation",) or work.kind == "supply":
            letter = "T" if office.prefix.startswith("SPE") and r.random() < 0.5 else "Q"
        elif work.kind == "construction" and r.random() < 0.35:
            letter = "B"
        else:
            letter = r.choice(["R", "R", "Q"])
        sol = self.sol_number(office, letter, fy)

        title = self.title(office, work, ntype, phrase, fy, code)

        deadline, tz = self.deadline(office, posted, ntype, work)
        if deadline is None:
            archive_type = "autocustom"
            archive = posted + timedelta(days=r.choice([30, 45, 60, 90, 180, 365]))
        elif r.random() < 0.6:
            archive_type = "auto15"
            archive = deadline[0] + timedelta(days=15)
        else:
            archive_type = "autocustom"
            archive = deadline[0] + timedelta(days=r.choice([30, 45, 60, 90]))

        pocs = [self.person(office)]
        pocs[0].update(
            {"type": "primary", "title": r.choice(["Contract Specialist", "Contract Specialist", None])}
        )
        if r.random() < 0.4:
            p2 = self.person(office)
            p2.update({"type": "secondary", "title": r.choice(["Contracting Officer", None])})
            pocs.append(p2)
        for p in pocs:
            p["fax"] = None if r.random() < 0.8 else ""

        award = None
        awardee_name = None
        if ntype in ("Award Notice", "Justification") or code in SOLE_SOURCE_CODES:
            awardee_name = self.firm(work.kind)
        if ntype == "Award Notice":
            award = self.award(office, work, posted, fy, awardee_name or self.firm(work.kind), code)

        naics = work.naics
        if code in SOLE_SOURCE_CODES or code in COMPETITIVE_CODES:
            sa_code: str | None = code
            sa_desc: str | None = SET_ASIDES[code]
        elif ntype != "Sale of Surplus Property" and r.random() < 0.3:
            sa_code, sa_desc = NONE_CODE, NONE_DESC
        else:
            sa_code, sa_desc = None, None

        pop_site = site
        if work.kind == "supply" and office.prefix.startswith("SPE"):
            pop_site = r.choice(office.sites)
        pop: dict[str, Any] = {
            "city": {"code": city_code(pop_site.city), "name": pop_site.city.title()},
            "state": {"code": pop_site.state, "name": STATE_NAMES[pop_site.state]},
            "country": {"code": "USA", "name": "UNITED STATES"},
            "zip": pop_site.zip,
        }
        if r.random() < 0.08:
            del pop["city"]
            del pop["zip"]

        resource_links = None
        if ntype not in ("Award Notice",) and r.random() < 0.65:
            resource_links = [
                "https://sam.gov/api/prod/opps/v3/opportunities/resources/files/"
                f"{r.getrandbits(128):032x}/download?api_key=null&token="
                for _ in range(r.randint(1, 4))
            ]

        record: dict[str, Any] = {
            "noticeId": nid,
            "title": title,
            "solicitationNumber": sol,
            "fullParentPathName": office.path,
            "fullParentPathCode": office.code,
            "postedDate": posted.isoformat(),
            "type": ntype,
            "baseType": ntype,
            "archiveType": archive_type,
            "archiveDate": archive.isoformat(),
            "typeOfSetAsideDescription": sa_desc,
            "typeOfSetAside": sa_code,
            "responseDeadLine": (
                None
                if deadline is None
                else f"{deadline[0].isoformat()}T{deadline[1]:02d}:00:00{TZ_OFFSET[tz]}"
            ),
            "naicsCode": naics,
            "naicsCodes": [naics],
            "classificationCode": work.psc,
            "active": "Yes",
            "award": award,
            "pointOfContact": pocs,
            "description": f"https://api.sam.gov/prod/opportunities/v1/noticedesc?noticeid={nid}",
            "organizationType": "OFFICE",
            "officeAddress": {
                "zipcode": office.zipcode,
                "city": office.city,
                "countryCode": "USA",
                "state": office.state,
            },
            "placeOfPerformance": pop,
            "additionalInfoLink": None,
            "uiLink": f"https://sam.gov/opp/{nid}/view",
            "links": [
                {
                    "rel": "self",
                    "href": f"https://api.sam.gov/prod/opportunities/v2/search?noticeid={nid}&limit=1",
                }
            ],
            "resourceLinks": resource_links,
        }
        desc = self.description(
            record, office, work, ctx, phrase, deadline, tz, posted, code, awardee_name, pocs[0]
        )
        return record, desc

    def title(self, office: Office, work: Work, ntype: str, phrase: str, fy: int, code: str | None) -> str:
        r = self.rng
        is_va = office.key.startswith("va_") and office.key != "va_tac"
        if work.kind == "sale":
            base = phrase
        elif work.kind == "supply" and work.cat in ("dla_supply", "dla_aviation", "navy_supply", "stone"):
            base = f"{work.psc[:2]}--{phrase}"
        elif work.cat == "dla_troop":
            base = f"{work.psc}--{phrase}"
        elif is_va:
            base = f"{work.psc}--{phrase}"
            if r.random() < 0.7:
                base += f" (VA-{fy}-{r.randint(1, 999999):08d})"
        elif work.cat in ("construction",) and office.dod:
            base = f"{work.psc}--{phrase.upper()}"
        elif "{site}" in work.phrase or r.random() < 0.25:
            base = phrase  # plain titles
        else:
            base = f"{work.psc}--{phrase}"
        if ntype == "Sources Sought" and r.random() < 0.5:
            return r.choice([f"Sources Sought - {phrase}", f"{base} - Sources Sought", f"RFI: {phrase}"])
        if ntype == "Presolicitation" and r.random() < 0.3:
            return f"Presolicitation Notice - {phrase}"
        if ntype == "Special Notice" and code in SOLE_SOURCE_CODES:
            return f"Notice of Intent to Sole Source - {phrase}"
        if ntype == "Special Notice":
            return r.choice(
                [
                    f"Industry Day - {phrase}",
                    f"Notice of Intent to Sole Source - {phrase}",
                    f"Request for Information: {phrase}",
                    f"{base} - Draft Solicitation",
                    base,
                ]
            )
        if ntype == "Justification":
            return r.choice(
                [
                    f"{base} - Justification and Approval",
                    f"J&A - {phrase}",
                    f"Brand Name Justification - {phrase}",
                    f"Sole Source Justification: {phrase}",
                    base,
                ]
            )
        if ntype == "Intent to Bundle Requirements (DoD-Funded)":
            return r.choice(
                [f"Notice of Intent to Bundle - {phrase}", f"Intent to Consolidate/Bundle: {phrase}"]
            )
        return base

    def deadline(
        self, office: Office, posted: date, ntype: str, work: Work
    ) -> tuple[tuple[date, int] | None, str]:
        r = self.rng
        tz = STATE_TZ[office.state]
        span = {
            "Combined Synopsis/Solicitation": (7, 21),
            "Solicitation": (14, 45),
            "Sources Sought": (7, 21),
            "Presolicitation": (15, 45),
            "Special Notice": (7, 30),
            "Sale of Surplus Property": (14, 35),
            "Intent to Bundle Requirements (DoD-Funded)": (30, 40),
        }.get(ntype)
        if ntype in ("Award Notice", "Justification") or span is None:
            return None, tz
        if ntype in ("Special Notice", "Intent to Bundle Requirements (DoD-Funded)") and r.random() < 0.5:
            return None, tz
        if ntype == "Presolicitation" and r.random() < 0.25:
            return None, tz
        if work.kind == "construction" and ntype == "Solicitation":
            span = (30, 45)
        d = business_day_on_or_after(posted + timedelta(days=r.randint(*span)))
        hour = r.choice([10, 11, 12, 13, 14, 14, 15, 16, 16, 17])
        return (d, hour), tz

    def award(
        self, office: Office, work: Work, posted: date, fy: int, name: str, code: str | None
    ) -> dict[str, Any]:
        r = self.rng
        letter = {"supply": "P", "construction": "C", "sale": "S"}.get(work.kind, r.choice(["C", "D", "P"]))
        number = self.sol_number(office, letter, 27 if posted.month >= 10 else fy)
        lo, hi = {
            "supply": (4_000, 600_000),
            "construction": (450_000, 30_000_000),
            "it": (150_000, 25_000_000),
            "rnd": (250_000, 8_000_000),
            "service": (60_000, 18_000_000),
        }.get(work.kind, (50_000, 5_000_000))
        if code in SOLE_SOURCE_CODES:
            hi = min(hi, 4_000_000)  # sole-source awards stay under the competition thresholds
        amount = round(math.exp(r.uniform(math.log(lo), math.log(hi))), 2)
        city, st, zp = r.choice(AWARDEE_CITIES)
        street_name = r.choice(["Commerce", "Industrial", "Corporate", "Technology", "Enterprise"])
        street = f"{r.randint(100, 9999)} {street_name} {r.choice(['Dr', 'Blvd', 'Pkwy', 'Way'])}"
        return {
            "date": (posted - timedelta(days=r.randint(1, 21))).isoformat(),
            "number": number,
            "amount": f"{amount:.2f}",
            "awardee": {
                "name": name,
                "location": {
                    "streetAddress": street,
                    "city": {"code": city_code(city), "name": city.title()},
                    "state": {"code": st, "name": STATE_NAMES.get(st, st)},
                    "zip": zp,
                    "country": {"code": "USA", "name": "UNITED STATES"},
                },
                "ueiSAM": self.uei(),
            },
        }

    # ---- description -------------------------------------------------------------------------
    def clause_list(self, ntype: str, work: Work, office: Office, code: str | None) -> list[str]:
        r = self.rng
        kind = work.kind
        commercial = kind in ("supply", "service", "it") and ntype in (
            "Combined Synopsis/Solicitation",
            "Solicitation",
            "Award Notice",
            "Justification",
        )
        chosen: list[str] = []
        sa = SET_ASIDE_CLAUSES.get(code or "", [])
        if ntype == "Sale of Surplus Property":
            pool = KIND_EXTRAS["sale"]
            chosen = r.sample(pool, r.randint(2, 3))
        elif ntype == "Intent to Bundle Requirements (DoD-Funded)":
            chosen = r.sample(BUNDLE_CLAUSES, r.randint(2, 4))
        elif ntype == "Sources Sought":
            chosen = sa[: r.randint(1, len(sa))] if sa else []
            chosen += ["52.204-7"]
            if r.random() < 0.5:
                chosen += r.sample(KIND_EXTRAS[kind], 1)
            if code is None:
                chosen += r.sample(["52.219-1", "52.219-9", "52.212-3"], 1)
        elif ntype == "Special Notice":
            if r.random() < 0.45:
                return []
            chosen = sa[:1] + r.sample(["52.204-7", "52.219-1", "52.212-4"], 1)
        elif ntype == "Presolicitation":
            chosen = [*sa, "52.204-7"]
            if kind == "construction":
                chosen += r.sample(["52.228-15", "52.222-6", "52.236-1"], r.randint(1, 2))
            elif r.random() < 0.6:
                chosen += r.sample(KIND_EXTRAS[kind], 1)
        elif ntype == "Justification":
            chosen = r.sample(["52.212-4", "52.212-5", "52.204-7"], 2) if commercial else ["52.204-7"]
            chosen += r.sample(KIND_EXTRAS[kind], 1)
            if office.dod:
                chosen += r.sample(DOD_PAYMENT, 1)
        elif ntype == "Award Notice":
            chosen = sa[:1]
            if commercial:
                chosen += r.sample(["52.212-4", "52.212-5"], r.randint(1, 2))
            chosen += r.sample(KIND_EXTRAS[kind], r.randint(1, 2))
        else:  # solicitations
            chosen = sa[:]
            if commercial:
                chosen += r.sample(COMMERCIAL_BASE, r.randint(2, 4))
            elif kind == "construction":
                chosen += ["52.236-1"] if r.random() < 0.5 else []
            else:
                chosen += ["52.215-1"] if r.random() < 0.7 else []
            chosen += r.sample(KIND_EXTRAS[kind], r.randint(1, 3))
            if office.dod:
                chosen += r.sample(DOD_EXTRAS[kind], r.randint(1, 2))
                if r.random() < 0.5:
                    chosen += [r.choice(DOD_PAYMENT)]
            elif r.random() < 0.5:
                chosen += [r.choice(CIVIL_PAYMENT)]
            if kind == "supply" and code in COMPETITIVE_CODES and r.random() < 0.6:
                chosen += ["52.219-33"]
            if code is None and kind in ("service", "construction", "it") and r.random() < 0.3:
                chosen += ["52.219-4"]
            if work.cat == "eng_support" and "IDIQ" in work.phrase:
                chosen += IDIQ_CLAUSES
        # DFARS only for DoD, distinct, 2..8
        out: list[str] = []
        for c in chosen:
            if c.startswith("252.") and not office.dod:
                continue
            if c not in out:
                out.append(c)
        while len(out) < 2:
            extra = r.choice(["52.204-7", "52.212-4", "52.204-13", "52.232-33", "52.209-5"])
            if extra not in out:
                out.append(extra)
        # Keep set-aside clauses when trimming.
        if len(out) > 8:
            keep = [c for c in out if c in sa]
            rest = [c for c in out if c not in sa]
            out = keep + rest[: 8 - len(keep)]
        return out

    def clause_sentence(self, number: str, wd: str, opts: int) -> str:
        r = self.rng
        ref = self.clauses.ref(number, r)
        templates = CUSTOM_CLAUSE_SENTENCES.get(number) if r.random() < 0.75 else None
        template = r.choice(templates or GENERIC_CLAUSE_SENTENCES)
        return template.format(ref=ref, kind=self.clauses.kind(number), wd=wd, opts=opts)

    def set_aside_paragraph(self, code: str | None, ntype: str, awardee: str | None) -> str:
        r = self.rng
        cl = self.clauses
        acq = "This acquisition"
        if code is None:
            if ntype == "Justification":
                return "This action is not set aside for small business concerns."
            if ntype == "Award Notice":
                return r.choice(
                    [
                        "The requirement was competed on a full and open competition basis (unrestricted).",
                        "This contract was awarded using full and open competition.",
                    ]
                )
            if ntype in ("Sources Sought", "Special Notice"):
                return (
                    "No set-aside decision has been made. Based on the responses to this notice, the "
                    "Government may set this requirement aside for small business concerns or one of the "
                    "socioeconomic programs, or may solicit it on a full and open competition basis."
                )
            return r.choice(
                [
                    "This acquisition is being conducted using full and open competition (unrestricted).",
                    "This requirement is unrestricted and open to all responsible sources.",
                    "This acquisition is not set aside; all responsible sources may submit an offer.",
                ]
            )
        ref = {c: cl.ref(c, r) for c in SET_ASIDE_CLAUSES[code][:1]}
        first = next(iter(ref.values()))
        firm = awardee or "the identified firm"
        maybe = "is anticipated to be" if ntype == "Sources Sought" else "is"
        texts = {
            "SBA": f"{acq} {maybe} set aside 100% for small business concerns in accordance with FAR "
            f"19.502-2. {first} applies.",
            "SBP": f"{acq} {maybe} a partial small business set-aside in accordance with FAR 19.502-3; only "
            f"small business concerns may submit offers on the set-aside portion. {first} applies.",
            "8A": f"{acq} {maybe} set aside for competition among eligible participants in the SBA 8(a) "
            f"Business Development program in accordance with FAR 19.805. {first} applies.",
            "8AN": f"{acq} will be awarded as an 8(a) sole-source contract to {firm} in accordance with FAR "
            f"19.808-1, with the Small Business Administration as the prime contractor. {first} applies.",
            "HZC": f"{acq} {maybe} set aside for HUBZone small business concerns in accordance with FAR "
            f"19.1305. {first} applies.",
            "HZS": f"{acq} will be made as a sole-source award to {firm}, a certified HUBZone small business "
            f"concern, under the authority of FAR 19.1306. {first} applies.",
            "SDVOSBC": f"{acq} {maybe} set aside 100% for Service-Disabled Veteran-Owned Small Business "
            f"concerns in accordance with FAR 19.14. {first} applies, and offerors must be certified by the "
            "SBA in the Veteran Small Business Certification (VetCert) program.",
            "SDVOSBS": f"{acq} will be a sole-source award to {firm}, a certified Service-Disabled "
            f"Veteran-Owned Small Business concern, in accordance with FAR 19.1406. {first} applies.",
            "WOSB": f"{acq} {maybe} set aside for Women-Owned Small Business concerns eligible under the "
            f"WOSB Program in accordance with FAR 19.1505. {first} applies.",
            "WOSBSS": f"{acq} will be a sole-source award to {firm}, a Women-Owned Small Business concern "
            f"eligible under the WOSB Program, in accordance with FAR 19.1506. {first} applies.",
            "EDWOSB": f"{acq} {maybe} set aside for Economically Disadvantaged Women-Owned Small Business "
            f"(EDWOSB) concerns in accordance with FAR 19.1505. {first} applies.",
            "EDWOSBSS": f"{acq} will be a sole-source award to {firm}, an Economically Disadvantaged "
            f"Women-Owned Small Business concern, in accordance with FAR 19.1506. {first} applies.",
        }
        text = texts[code]
        if ntype == "Award Notice":
            for a, b in (
                ("will be awarded as", "was awarded as"),
                ("will be made as", "was made as"),
                ("will be a sole-source", "was a sole-source"),
                (" is set aside", " was set aside"),
                (" is a partial", " was a partial"),
            ):
                text = text.replace(a, b)
        return text

    def description(
        self,
        record: dict[str, Any],
        office: Office,
        work: Work,
        ctx: dict[str, Any],
        phrase: str,
        deadline: tuple[date, int] | None,
        tz: str,
        posted: date,
        code: str | None,
        awardee: str | None,
        poc: dict[str, Any],
    ) -> str:
        r = self.rng
        ntype = record["type"]
        sol = record["solicitationNumber"]
        office_name = OFFICE_DISPLAY[office.key]
        scope = self.scope_text(work, ctx, office)
        naics = record["naicsCode"]
        naics_title, size = NAICS[naics]
        naics_par = (
            f"The North American Industry Classification System (NAICS) code for this requirement is "
            f"{naics}, {naics_title}, with a small business size standard of {size}. The Product Service "
            f"Code is {record['classificationCode']}."
        )
        if deadline:
            d, hour = deadline
            due = f"{clock(hour)} {TZ_NAME[tz]} on {long_date(d)}"
        else:
            due = ""
        poc_par = (
            f"The point of contact for this {'notice' if ntype != 'Award Notice' else 'award'} is "
            f"{poc['fullName']}, {poc.get('title') or 'Contract Specialist'}, at {poc['email']} or "
            f"{poc['phone']}. Telephone inquiries will not be accepted; all questions must be submitted "
            "in writing."
        )
        if ntype == "Award Notice":
            poc_par = (
                f"Questions regarding this award may be directed to {poc['fullName']} at {poc['email']}."
            )
        clauses = self.clause_list(ntype, work, office, code)
        sa_clause_numbers = SET_ASIDE_CLAUSES.get(code or "", [])[:1]
        paragraph_clauses = [c for c in clauses if c not in sa_clause_numbers]
        wd_number = r.choice(["2015-4281", "2015-5415", "2015-4695", "2015-5121", "2015-4891"])
        wd = f"WD {wd_number} Rev. {r.randint(20, 34)}"
        opts = r.choice([2, 4])

        paras: list[str] = []
        optional_texts: list[str] = []  # paragraphs that may be dropped when the text runs long

        def add_optional(text: str) -> None:
            paras.append(text)
            optional_texts.append(text)

        set_aside_text = self.set_aside_paragraph(code, ntype, awardee)

        if ntype == "Combined Synopsis/Solicitation":
            paras.append(
                "This is a combined synopsis/solicitation for commercial products and commercial services "
                "prepared in accordance with the format in FAR Subpart 12.6, as supplemented with additional "
                "information included in this notice. This announcement constitutes the only solicitation; "
                "quotations are being requested, and a written solicitation will not be issued. "
                f"Solicitation number {sol} is issued as a Request for Quotation (RFQ)."
            )
            paras.append(f"The {office_name} has a requirement for {scope}.")
        elif ntype == "Solicitation":
            kind_word = {"B": "an Invitation for Bids (IFB)", "Q": "a Request for Quotation (RFQ)"}.get(
                sol[len(office.prefix) + 2], "a Request for Proposals (RFP)"
            )
            ctype = r.choice(
                [
                    "a firm-fixed-price",
                    "a single-award indefinite-delivery indefinite-quantity",
                    "a firm-fixed-price",
                ]
            )
            paras.append(
                f"The {office_name} is issuing solicitation {sol} as {kind_word} for "
                f"{phrase}. The Government intends to award {ctype} contract for {scope}."
            )
            if work.kind == "construction":
                low, high = sorted(r.sample([25_000, 100_000, 250_000, 1_000_000, 5_000_000, 10_000_000], 2))
                add_optional(
                    f"The magnitude of construction is between ${low:,} and ${high:,} in accordance with "
                    f"FAR 36.204. The period of performance is {r.choice([180, 240, 365, 540])} calendar "
                    "days after notice to proceed. A site visit will be held; see the solicitation for "
                    "details."
                )
            else:
                add_optional(
                    f"The period of performance is a {r.choice(['12-month base period', 'base year'])} plus "
                    f"{opts} option periods. The solicitation, Performance Work Statement and all "
                    "attachments are available with this notice; offerors are responsible for monitoring "
                    "SAM.gov for amendments."
                )
        elif ntype == "Sources Sought":
            paras.append(
                "THIS IS A SOURCES SOUGHT NOTICE ONLY. This is not a request for proposals, quotations or "
                "bids, and no contract will be awarded from this notice. The Government will not pay for any "
                "information submitted. This market research is conducted in accordance with FAR Part 10."
            )
            paras.append(
                f"The {office_name} is seeking capable sources for {scope}. Interested firms should submit a "
                "capability statement of no more than ten pages describing relevant experience on similar "
                "requirements, their business size and socioeconomic status, and their UEI and CAGE code."
            )
        elif ntype == "Presolicitation":
            issue = business_day_on_or_after(posted + timedelta(days=r.randint(10, 30)))
            paras.append(
                f"This is a presolicitation notice in accordance with FAR 5.204. The {office_name} intends "
                f"to issue solicitation {sol} for {phrase} on or about {long_date(issue)}."
            )
            paras.append(
                f"The work includes {scope}. The solicitation and its attachments will be posted to SAM.gov "
                "only; no paper copies will be provided, and telephone requests will not be honored."
            )
        elif ntype == "Award Notice":
            award = record["award"]
            assert award is not None
            loc = award["awardee"]["location"]
            paras.append(
                f"The {office_name} has awarded contract {award['number']} to {award['awardee']['name']} of "
                f"{loc['city']['name']}, {loc['state']['code']} in the amount of "
                f"${float(award['amount']):,.2f} for {phrase}."
            )
            paras.append(
                f"The contract provides for {scope}. The award was made on "
                f"{long_date(date.fromisoformat(award['date']))} under solicitation {sol}; "
                + (
                    "no other offers were solicited."
                    if code in SOLE_SOURCE_CODES
                    else f"{r.randint(2, 11)} offers were received."
                )
            )
        elif ntype == "Special Notice":
            flavor = record["title"].split(" - ")[0].split(":")[0]
            if flavor == "Industry Day":
                when = business_day_on_or_after(posted + timedelta(days=r.randint(12, 28)))
                paras.append(
                    f"The {office_name} will host a virtual industry day on {long_date(when)} for the "
                    f"upcoming requirement for {phrase}. The purpose is to share acquisition strategy "
                    "information and to obtain industry feedback."
                )
                paras.append(
                    f"The anticipated scope includes {scope}. Attendance is limited to two representatives "
                    "per firm; registration instructions are attached. One-on-one sessions may be offered."
                )
            elif flavor.startswith("Notice of Intent"):
                paras.append(
                    f"The {office_name} intends to negotiate on a sole-source basis with "
                    f"{awardee or self.firm(work.kind)} for {phrase} under the authority of FAR "
                    f"{r.choice(['13.106-1(b)(1)', '6.302-1', '13.501(a)'])}."
                )
                paras.append(
                    f"The requirement includes {scope}. This notice of intent is not a request for "
                    "competitive proposals; however, all capability statements received by the response date "
                    "will be considered by the Government."
                )
            else:
                paras.append(
                    f"The {office_name} is issuing this special notice to inform industry of an upcoming "
                    f"requirement for {phrase}. A draft "
                    f"{'item description' if work.kind == 'supply' else 'Performance Work Statement'} is "
                    "attached for review and comment."
                )
                paras.append(
                    f"The anticipated work includes {scope}. Responses are voluntary and will inform the "
                    "acquisition strategy; this is not a solicitation."
                )
        elif ntype == "Justification":
            firm = awardee or self.firm(work.kind)
            options = JUSTIFICATIONS["any"] + JUSTIFICATIONS.get(work.kind, [])
            authority, statutory, rationale = r.choice(options)
            if statutory:
                statute = "10 U.S.C. 3204(a)" if office.dod else "41 U.S.C. 3304(a)"
                basis = f"The statutory authority is {statute}({statutory}), as implemented by {authority}."
            else:
                basis = f"The action is justified under the authority of {authority}."
            paras.append(
                f"The {office_name} intends to award, or has awarded, a contract to {firm} on an other than "
                f"full and open competition basis for {phrase}. {basis}"
            )
            paras.append(f"The requirement is for {scope}. {rationale.format(firm=firm)}")
            paras.append(
                "The justification is posted in accordance with FAR 6.305 and is available in the attached "
                "document, with proprietary information redacted as required by FAR 6.305(c)."
            )
        elif ntype == "Intent to Bundle Requirements (DoD-Funded)":
            paras.append(
                f"In accordance with FAR 7.107-5 and FAR 10.001(c)(2)(i), the {office_name} gives notice "
                f"of its intent to bundle requirements for {phrase}. The consolidated requirement "
                f"includes {scope}."
            )
            paras.append(
                "Market research determined that the consolidation is necessary and justified because the "
                "anticipated benefits, including reduced administrative cost, a single point of "
                "accountability and improved quality of service, are measurably substantial. The "
                "determination was made in accordance with DFARS 207.170-3."
            )
            paras.append(
                "The Government has identified specific actions to maximize small business participation, "
                "including subcontracting goals and evaluation of the extent of small business "
                "participation. Comments from small business concerns are invited."
            )
        elif ntype == "Sale of Surplus Property":
            deposit = r.choice(["10 percent of the total bid", "$2,500", "$5,000", "$10,000"])
            paras.append(
                f"The {office_name} is offering for sale {scope}. Sealed bids will be publicly "
                f"opened at {due or 'the time stated in the bid package'}."
            )
            paras.append(
                "The property is offered as-is, where-is, without warranty. Inspection is by appointment "
                "during the two weeks preceding bid opening. Each bid must be accompanied by a bid deposit "
                f"of {deposit}, payable by certified check or electronic funds transfer."
            )
            paras.append(
                "The successful bidder must pay the balance and remove the property within the period stated "
                "in the sale conditions. The Government reserves the right to reject any and all bids."
            )

        # Set-aside statement (carrying the set-aside clause) plus NAICS / size standard.
        if code is not None:
            paras.append(f"{set_aside_text} {naics_par}")
        else:
            paragraph_clauses = clauses
            if ntype == "Intent to Bundle Requirements (DoD-Funded)":
                paras.append(naics_par)
            elif ntype != "Sale of Surplus Property" and r.random() < 0.85:
                paras.append(f"{set_aside_text} {naics_par}")

        if paragraph_clauses:
            if r.random() < 0.7 or len(paragraph_clauses) < 3:
                sentences = [self.clause_sentence(c, wd, opts) for c in paragraph_clauses]
                paras.append(" ".join(sentences))
            else:
                refs = "; ".join(self.clauses.ref(c, r, with_date=True) for c in paragraph_clauses)
                paras.append(
                    "The following provisions and clauses are incorporated by reference and apply to this "
                    f"{'acquisition' if ntype != 'Sale of Surplus Property' else 'sale'}: {refs}. The full "
                    "text of a clause may be accessed electronically at https://www.acquisition.gov/."
                )

        # Submission instructions
        if ntype in ("Combined Synopsis/Solicitation", "Solicitation") and deadline:
            if "52.212-1" in clauses:
                late_rule = "FAR 52.212-1(f)"
            elif record["solicitationNumber"][len(office.prefix) + 2] == "B":
                late_rule = "FAR 14.304"
            elif ntype == "Combined Synopsis/Solicitation" or work.kind == "supply":
                late_rule = "the instructions in this notice"
            else:
                late_rule = "FAR 15.208"
            qd = business_day_on_or_after(deadline[0] - timedelta(days=r.randint(5, 10)))
            if qd <= posted:
                qd = business_day_on_or_after(posted + timedelta(days=2))
            paras.append(
                f"Offers are due no later than {due} and shall be submitted by e-mail to {poc['email']}, "
                f"referencing {sol} in the subject line. Questions must be received by {long_date(qd)}. "
                f"Late offers will be handled in accordance with {late_rule}."
                if r.random() < 0.5
                else f"Quotes are due by {due}. Submit quotes electronically to {poc['email']}; quotes "
                "received after the due date and time will not be considered. Offerors must be registered "
                "in SAM with an active UEI at the time of submission."
            )
        elif ntype == "Sources Sought" and deadline:
            paras.append(
                f'Responses are due by {due} via e-mail to {poc["email"]}, with "{sol} Sources Sought" in '
                "the subject line. Proprietary information should be clearly marked."
            )
        elif ntype in ("Presolicitation", "Special Notice", "Intent to Bundle Requirements (DoD-Funded)"):
            if deadline:
                paras.append(
                    f"Responses or comments are requested by {due}, submitted by e-mail to {poc['email']}."
                )
        elif ntype == "Sale of Surplus Property" and deadline:
            paras.append(
                f"Sealed bids must be received by {due} at the {office_name} office in "
                f"{office.city.title()}, {office.state}. Bid forms and sale conditions are attached."
            )

        paras.append(poc_par)
        while sum(len(p) + 2 for p in paras) > 3000 and optional_texts:
            paras.remove(optional_texts.pop())
        text = "\n\n".join(p.strip() for p in paras if p.strip())
        # Pad very short notices with a standard closing paragraph.
        if len(text) < 650:
            text += (
                "\n\nThis notice does not obligate the Government to award a contract or otherwise pay for "
                "information provided. All information is subject to change; interested parties should "
                "monitor SAM.gov for updates."
            )
        return text

    def scope_text(self, work: Work, ctx: dict[str, Any], office: Office) -> str:
        r = self.rng
        if work.scope == SUPPLY_SCOPE:
            unit = r.choice(["EA", "EA", "EA", "SE", "BX", "PR"] if work.cat != "stone" else ["TN"])
            qty = r.choice([2, 4, 5, 10, 12, 20, 25, 50, 100, 150, 250, 500, 1200])
            spec = r.choice(
                [
                    "the cited manufacturer's part number (approved source only)",
                    "the Government drawing and specifications cited in the item description",
                    "the cited military specification",
                ]
            )
            dest = r.choice(office.sites).name
            days = r.choice([30, 60, 90, 120, 150, 180, 240])
            return (
                SUPPLY_SCOPE.format(qty=qty, unit=unit, noun=work.phrase, nsn=self.nsn(work.psc), spec=spec)
                + f", for delivery to {dest} within {days} days after award"
            )
        return work.scope.format(**ctx)

    # ---- build ---------------------------------------------------------------------------------
    def build(self) -> dict[str, Any]:
        days: dict[str, dict[str, Any]] = {}
        descriptions: dict[str, str] = {}
        for posted, ntype, code in self.plan():
            rec, desc = self.notice(posted, ntype, code)
            key = posted.isoformat()
            if key not in days:
                mdY = posted.strftime("%m/%d/%Y")
                days[key] = {
                    "totalRecords": 0,
                    "limit": 1000,
                    "offset": 0,
                    "opportunitiesData": [],
                    "links": [
                        {
                            "rel": "self",
                            "href": "https://api.sam.gov/opportunities/v2/search?limit=1000&offset=0"
                            f"&postedFrom={mdY}&postedTo={mdY}",
                        }
                    ],
                }
            days[key]["opportunitiesData"].append(rec)
            descriptions[rec["noticeId"]] = desc
        for body in days.values():
            body["totalRecords"] = len(body["opportunitiesData"])
        return {"edition": EDITION, "generated_by": GENERATED_BY, "days": days, "descriptions": descriptions}


# --------------------------------------------------------------------------------------------------
# Checks
# --------------------------------------------------------------------------------------------------


def check(sample: dict[str, Any], clauses: ClauseIndex) -> dict[str, Any]:
    problems: list[str] = []
    records = [(day, rec) for day, body in sample["days"].items() for rec in body["opportunitiesData"]]
    ids = [rec["noticeId"] for _, rec in records]
    if len(ids) != len(set(ids)):
        problems.append("duplicate noticeIds")
    if any(not re.fullmatch(r"[0-9a-f]{32}", i) for i in ids):
        problems.append("malformed noticeId")
    if len(records) < 340:
        problems.append(f"only {len(records)} notices")
    if len(sample["days"]) != N_DAYS:
        problems.append("wrong day count")
    for day, body in sample["days"].items():
        if body["totalRecords"] != len(body["opportunitiesData"]):
            problems.append(f"{day}: totalRecords mismatch")
    types = Counter(rec["type"] for _, rec in records)
    codes = Counter(rec["typeOfSetAside"] or "(null)" for _, rec in records)
    for t in NOTICE_TYPES:
        if types[t] < MIN_PER_TYPE:
            problems.append(f"type {t!r}: {types[t]} < {MIN_PER_TYPE}")
    if max(types, key=lambda t: types[t]) not in ("Combined Synopsis/Solicitation", "Solicitation"):
        problems.append("type skew: Combined/Solicitation should dominate")
    for c in SET_ASIDES:
        if codes[c] < 5:
            problems.append(f"set-aside {c}: {codes[c]} < 5")
    for c in RARE_CODES:
        if codes[c] >= codes["SBA"]:
            problems.append(f"set-aside {c} not rarer than SBA")
    if codes["(null)"] + codes[NONE_CODE] < 5:
        problems.append("too few notices without set-aside")
    sectors = sorted({rec["naicsCode"][:2] for _, rec in records})
    if len(sectors) < 14:
        problems.append(f"only {len(sectors)} NAICS sectors: {sectors}")
    cited: Counter[str] = Counter()
    for day, rec in records:
        nid = rec["noticeId"]
        if rec["postedDate"] != day:
            problems.append(f"{nid}: postedDate {rec['postedDate']} != {day}")
        if rec["baseType"] != rec["type"]:
            problems.append(f"{nid}: baseType != type")
        if (rec["award"] is not None) != (rec["type"] == "Award Notice"):
            problems.append(f"{nid}: award object / type mismatch")
        code = rec["typeOfSetAside"]
        if code in SET_ASIDES and rec["typeOfSetAsideDescription"] != SET_ASIDES[code]:
            problems.append(f"{nid}: set-aside description mismatch")
        if not re.fullmatch(r"\d{6}", rec["naicsCode"]) or rec["naicsCodes"] != [rec["naicsCode"]]:
            problems.append(f"{nid}: bad NAICS")
        if rec["naicsCode"] not in NAICS:
            problems.append(f"{nid}: NAICS not in catalogue")
        text = sample["descriptions"].get(nid)
        if text is None:
            problems.append(f"{nid}: no description")
            continue
        paras = text.split("\n\n")
        if not 3 <= len(paras) <= 8:
            problems.append(f"{nid}: {len(paras)} paragraphs")
        if not 600 <= len(text) <= 3000:
            problems.append(f"{nid}: description length {len(text)}")
        nums = list(dict.fromkeys(CLAUSE_RE.findall(text)))
        lo = 0 if rec["type"] == "Special Notice" else 2
        if not lo <= len(nums) <= 8:
            problems.append(f"{nid} ({rec['type']}): cites {len(nums)} clauses")
        for n in nums:
            try:
                clauses.get(n)
            except SystemExit as exc:
                problems.append(f"{nid}: {exc}")
            if n.startswith("252.") and not rec["fullParentPathName"].startswith("DEPT OF DEFENSE"):
                problems.append(f"{nid}: DFARS clause {n} cited by a civilian agency")
            cited[n] += 1
        if rec["type"] == "Justification" and not re.search(r"FAR (6\.302|13\.106|8\.405-6)", text):
            problems.append(f"{nid}: justification without authority")
        expect = {
            "SBA": "52.219-6",
            "SBP": "52.219-7",
            "8A": "52.219-18",
            "8AN": "52.219-17",
            "HZC": "52.219-3",
            "HZS": "52.219-3",
            "SDVOSBC": "52.219-27",
            "SDVOSBS": "52.219-27",
            "WOSB": "52.219-30",
            "WOSBSS": "52.219-30",
            "EDWOSB": "52.219-29",
            "EDWOSBSS": "52.219-29",
        }.get(code or "")
        if expect and expect not in nums:
            problems.append(f"{nid}: set-aside {code} without clause {expect}")
    if set(sample["descriptions"]) != set(ids):
        problems.append("descriptions keys differ from noticeIds")
    if problems:
        print("COVERAGE CHECK FAILED:", file=sys.stderr)
        for p in problems[:60]:
            print("  -", p, file=sys.stderr)
        raise SystemExit(1)
    return {"types": types, "codes": codes, "sectors": sectors, "total": len(records), "cited": cited}


def encode(sample: dict[str, Any]) -> bytes:
    payload = json.dumps(sample, sort_keys=True, ensure_ascii=False).encode("utf-8")
    buf = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buf, mtime=0, compresslevel=9) as gz:
        gz.write(payload)
    return buf.getvalue()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--far-dir", type=Path, default=DEFAULT_FAR_DIR, help="dir with *_index.jsonl files")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = ap.parse_args(argv)

    clauses = ClauseIndex(args.far_dir)
    # Every clause the generator may cite must exist and not be reserved.
    every = sorted(
        {c for v in SET_ASIDE_CLAUSES.values() for c in v}
        | set(COMMERCIAL_BASE)
        | {c for v in KIND_EXTRAS.values() for c in v}
        | {c for v in DOD_EXTRAS.values() for c in v}
        | set(DOD_PAYMENT + CIVIL_PAYMENT + IDIQ_CLAUSES + BUNDLE_CLAUSES)
        | {"52.219-1", "52.219-9", "52.204-7", "52.204-13", "52.209-5", "52.219-33", "52.219-4", "52.215-1"}
    )
    clauses.validate(every)

    sample = Builder(clauses).build()
    stats = check(sample, clauses)
    data = encode(sample)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(data)

    print(f"wrote {args.out} ({len(data):,} bytes gzip, edition {EDITION})")
    print(f"notices: {stats['total']} over {len(sample['days'])} days")
    for day, body in sample["days"].items():
        print(f"  {day} {date.fromisoformat(day).strftime('%a')}: {body['totalRecords']}")
    print("per type:")
    for t in NOTICE_TYPES:
        print(f"  {stats['types'][t]:4d}  {t}")
    print("per set-aside code:")
    for c in [*SET_ASIDES, NONE_CODE, "(null)"]:
        print(f"  {stats['codes'][c]:4d}  {c}")
    print(f"NAICS sectors: {len(stats['sectors'])} ({', '.join(stats['sectors'])})")
    print(f"distinct clauses cited: {len(stats['cited'])}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
