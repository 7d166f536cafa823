"""The two local generator families: templates, vocabularies, abbreviation sets and ID formats.

Family ``A`` stands in for the training generator and ``B`` for the held-out test generator. They share
nothing but the label sets: different sentence templates, greetings, sign-offs, abbreviations, sentence
orders, carrier and plan vocabularies, date / phone / ID formats. Templates hold ``{LABEL}`` slots (a PHI
type or an insurance field); everything else is plain text.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from faker import Faker

from clarioscope_pipeline.labels import INSURANCE_FIELDS, INTENTS, PHI_TYPES

ValueFn = Callable[[Faker, random.Random], str]

# Cue words a careless generator folds into a span ("MRN 8472301", "copay $35"). The cue-word cleaner owns the
# cleaning list; this one only drives the deliberate contamination.
CUE_WORDS: dict[str, tuple[str, ...]] = {
    "NAME": ("patient", "name:"),
    "LOC": ("address", "address:"),
    "DATE": ("DOB", "date"),
    "PHONE": ("phone", "cell", "tel"),
    "FAX": ("fax", "fax #"),
    "EMAIL": ("email", "e-mail:"),
    "SSN": ("SSN", "social"),
    "MRN": ("MRN", "MRN #"),
    "HEALTH_PLAN": ("member ID", "plan ID"),
    "ACCOUNT": ("account #", "acct"),
    "LICENSE": ("license", "DL #"),
    "VEHICLE": ("plate", "VIN"),
    "DEVICE": ("serial", "serial #"),
    "URL": ("link", "url"),
    "IP": ("IP", "IP address"),
    "BIOMETRIC": ("biometric ID", "fingerprint ID"),
    "PHOTO_REF": ("photo", "file"),
    "AGE_OVER_89": ("age", "aged"),
    "CARRIER": ("carrier", "insurer"),
    "PLAN_TYPE": ("plan type", "plan type:"),  # not a bare "plan": "Plan G" is itself a plan type
    "MEMBER_ID": ("member ID", "member #"),
    "GROUP_NUMBER": ("group #", "group"),
    "POLICY_NUMBER": ("policy #", "policy"),
    "SUBSCRIBER_NAME": ("subscriber", "policyholder"),
    "RELATIONSHIP": ("relationship:", "relation"),
    "CLAIM_ID": ("claim #", "claim"),
    "AUTH_NUMBER": ("auth #", "authorization"),
    "COPAY": ("copay", "co-pay"),
    "DEDUCTIBLE": ("deductible",),
    "BILLED_AMOUNT": ("bill", "balance"),
}

# Each family's abbreviations: (phrase, abbreviation). Casual and messy text replaces the phrase.
ABBREVIATIONS: dict[str, tuple[tuple[str, str], ...]] = {
    "A": (
        ("you", "u"),
        ("your", "ur"),
        ("appointment", "appt"),
        ("tomorrow", "tmrw"),
        ("please", "pls"),
        ("thanks", "thx"),
        ("prescription", "rx"),
        ("insurance", "ins"),
    ),
    "B": (
        ("with", "w/"),
        ("and", "&"),
        ("hours", "hrs"),
        ("by the way", "BTW"),
        ("I don't know", "IDK"),
        ("please", "plz"),
    ),
}


def _digits(rng: random.Random, k: int) -> str:
    return "".join(rng.choice("0123456789") for _ in range(k))


def _letters(rng: random.Random, k: int) -> str:
    return "".join(rng.choice("ABCDEFGHJKLMNPRSTUVWXYZ") for _ in range(k))


def _day(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randint(0, (last - first).days))


def _money(rng: random.Random, low: int, high: int, cents: bool) -> str:
    amount = rng.randint(low, high)
    if cents:
        return f"${amount:,}.{rng.randint(0, 99):02d}"
    return f"${amount:,}"


# ------------------------------------------------------------------------------------------------ family A
def _a_date(fake: Faker, rng: random.Random) -> str:
    d = _day(rng, date(1935, 1, 1), date(2025, 12, 31))
    return rng.choice((f"{d.month:02d}/{d.day:02d}/{d.year}", f"{d:%B} {d.day}", f"{d.month}/{d.day}/{d:%y}"))


def _a_phone(fake: Faker, rng: random.Random) -> str:
    return f"({rng.randint(201, 989)}) {_digits(rng, 3)}-{_digits(rng, 4)}"


A_VALUES: dict[str, ValueFn] = {
    "NAME": lambda f, r: f.name() if r.random() < 0.6 else f.first_name(),
    "LOC": lambda f, r: (
        f"{f.street_address()}, {f.city()}" if r.random() < 0.6 else f"{f.city()}, {f.state_abbr()}"
    ),
    "DATE": _a_date,
    "PHONE": _a_phone,
    "FAX": _a_phone,
    "EMAIL": lambda f, r: f.email(),
    "SSN": lambda f, r: f"{_digits(r, 3)}-{_digits(r, 2)}-{_digits(r, 4)}",
    "MRN": lambda f, r: (
        f"{r.choice(('OMK', 'CLS', 'HVN'))}-{_digits(r, 5)}"
        if r.random() < 0.6
        else str(r.randint(1000000, 9999999))
    ),
    "HEALTH_PLAN": lambda f, r: f"{_letters(r, 3)}-{_digits(r, 3)}-{_digits(r, 4)}",
    "ACCOUNT": lambda f, r: str(r.randint(10000, 99999)) if r.random() < 0.5 else f"ACCT-{_digits(r, 6)}",
    "LICENSE": lambda f, r: f"{_letters(r, 1)}{_digits(r, 3)}-{_digits(r, 4)}-{_digits(r, 4)}",
    "VEHICLE": lambda f, r: f.license_plate(),
    "DEVICE": lambda f, r: f"SN-{_digits(r, 6)}",
    "URL": lambda f, r: f.url(),
    "IP": lambda f, r: f.ipv4(),
    "BIOMETRIC": lambda f, r: f"FP-{_digits(r, 4)}-{_digits(r, 3)}",
    "PHOTO_REF": lambda f, r: f"IMG_{_digits(r, 4)}.jpg",
    "AGE_OVER_89": lambda f, r: str(r.randint(90, 104)),
    "CARRIER": lambda f, r: r.choice(("Aetna", "Cigna", "BCBS", "UnitedHealthcare", "Humana", "Anthem")),
    "PLAN_TYPE": lambda f, r: r.choice(("PPO", "HMO", "EPO", "PPO Gold", "HMO Select")),
    "MEMBER_ID": lambda f, r: f"{_letters(r, 3)}-{_digits(r, 3)}-{_digits(r, 4)}",
    "GROUP_NUMBER": lambda f, r: f"GRP-{_digits(r, 5)}",
    "POLICY_NUMBER": lambda f, r: f"POL-{_digits(r, 7)}",
    "SUBSCRIBER_NAME": lambda f, r: f.name(),
    "RELATIONSHIP": lambda f, r: r.choice(("husband", "wife", "mom", "dad", "son", "daughter", "self")),
    "CLAIM_ID": lambda f, r: f"CLM-{r.randint(2021, 2025)}-{_digits(r, 5)}",
    "AUTH_NUMBER": lambda f, r: f"PA-{_digits(r, 4)}",
    "COPAY": lambda f, r: _money(r, 10, 75, cents=False),
    "DEDUCTIBLE": lambda f, r: _money(r, 250, 6000, cents=False),
    "BILLED_AMOUNT": lambda f, r: _money(r, 80, 4800, cents=r.random() < 0.3),
}

A_INTENTS: dict[str, tuple[str, ...]] = {
    "new_patient_inquiry": (
        "I'm a new patient and I'd like to book my first visit with one of your doctors.",
        "Are you taking new patients right now? I just moved here and need a primary care doctor.",
        "Looking to become a patient at your office, what do I need to do to get started?",
        "My friend recommended you, is it possible to set up a first appointment as a new patient?",
    ),
    "existing_patient_question": (
        "Quick question about my last visit, can you tell me if my lab results came back?",
        "I'm already a patient here, do I need to fast before my blood work tomorrow?",
        "Can you send my prescription refill to the pharmacy on file?",
        "I saw my doctor last month and I was wondering if I still need the follow up.",
    ),
    "appointment_request": (
        "I need to reschedule my appointment for tomorrow, anything later in the week works.",
        "Can you please book me in for a check up sometime next week?",
        "I'd like to move my appointment to a morning slot if you have one.",
        "Need to cancel my appointment on Friday and find a new time.",
    ),
    "billing_inquiry": (
        "I got a bill in the mail that I don't understand, can someone explain the charges?",
        "Why was my insurance not billed for my last visit?",
        "I think I was charged twice for the same visit, can you check my account?",
        "Can I set up a payment plan for my balance?",
    ),
    "clinical_concern": (
        "My cough has gotten worse over the last three days and now I have a fever.",
        "I started the new prescription and I'm feeling dizzy, is that normal?",
        "My son has a rash that keeps spreading, should we come in or go to urgent care?",
        "Having chest tightness when I climb stairs, should I be worried?",
    ),
    "complaint": (
        "I've been waiting two weeks for a call back about my pain and nobody has bothered to respond, "
        "this is unacceptable.",
        "The front desk was rude to me today and I waited over an hour past my appointment time.",
        "My symptoms are getting worse and your office keeps ignoring my messages, I am really upset.",
        "I was charged for a visit that never happened and no one will fix it, very frustrated.",
    ),
    "price_shopper": (
        "How much is a basic physical if I pay out of pocket? Just comparing prices right now.",
        "What do you charge for an MRI without insurance? Not booking anything yet.",
        "Can you tell me the self pay price for a flu test? I'm checking a few offices.",
        "Ballpark cost for a dermatology consult? Only looking for a price for now.",
    ),
}

A_DETAILS: dict[str, tuple[str, ...]] = {
    "NAME": ("This is {NAME}, just so you know.", "The appointment is for {NAME}."),
    "LOC": ("I live at {LOC}.", "Our address changed to {LOC}."),
    "DATE": ("My date of birth is {DATE}.", "The visit was on {DATE}."),
    "PHONE": ("You can call me back at {PHONE}.", "Best number is {PHONE}."),
    "FAX": ("Please fax the forms to {FAX}.", "Our fax number is {FAX}."),
    "EMAIL": ("You can email me at {EMAIL}.", "Send the paperwork to {EMAIL}."),
    "SSN": ("The form asked for my social, it is {SSN}.", "My SSN is {SSN} if you need it."),
    "MRN": ("My MRN is {MRN}.", "My chart number is {MRN}."),
    "HEALTH_PLAN": ("My plan member number is {HEALTH_PLAN}.", "Health plan ID is {HEALTH_PLAN}."),
    "ACCOUNT": ("My account number is {ACCOUNT}.", "It's under account {ACCOUNT}."),
    "LICENSE": ("My driver's license number is {LICENSE}.", "License on file is {LICENSE}."),
    "VEHICLE": ("I'll be in the parking lot, my plate is {VEHICLE}.", "My car plate is {VEHICLE}."),
    "DEVICE": ("My pacemaker serial number is {DEVICE}.", "The glucose monitor serial is {DEVICE}."),
    "URL": ("I filled out the form at {URL}.", "The link you sent me was {URL}."),
    "IP": ("The portal blocked my login from {IP}.", "The error page showed my IP as {IP}."),
    "BIOMETRIC": (
        "My fingerprint check-in ID is {BIOMETRIC}.",
        "The kiosk gave me biometric code {BIOMETRIC}.",
    ),
    "PHOTO_REF": ("I attached a picture, {PHOTO_REF}.", "See the photo {PHOTO_REF} I uploaded."),
    "AGE_OVER_89": ("My mother is {AGE_OVER_89} years old.", "He is {AGE_OVER_89} and uses a walker."),
    "CARRIER": ("I have {CARRIER} insurance.", "My insurance is through {CARRIER}."),
    "PLAN_TYPE": ("It's a {PLAN_TYPE} plan.", "I'm on the {PLAN_TYPE} plan through work."),
    "MEMBER_ID": ("My member ID is {MEMBER_ID}.", "Member number on the card is {MEMBER_ID}."),
    "GROUP_NUMBER": ("The group number is {GROUP_NUMBER}.", "Group on my card says {GROUP_NUMBER}."),
    "POLICY_NUMBER": ("Policy number is {POLICY_NUMBER}.", "My policy is {POLICY_NUMBER}."),
    "SUBSCRIBER_NAME": ("The policy is under {SUBSCRIBER_NAME}.", "Subscriber is {SUBSCRIBER_NAME}."),
    "RELATIONSHIP": ("The plan is through my {RELATIONSHIP}.", "I'm covered as the {RELATIONSHIP}."),
    "CLAIM_ID": ("The claim number is {CLAIM_ID}.", "They denied claim {CLAIM_ID}."),
    "AUTH_NUMBER": ("The prior auth number is {AUTH_NUMBER}.", "I got authorization {AUTH_NUMBER}."),
    "COPAY": ("My copay should only be {COPAY}.", "I already paid the {COPAY} copay."),
    "DEDUCTIBLE": ("My deductible is {DEDUCTIBLE}.", "I already met my {DEDUCTIBLE} deductible."),
    "BILLED_AMOUNT": ("You billed me {BILLED_AMOUNT}.", "The statement says I owe {BILLED_AMOUNT}."),
}


# ------------------------------------------------------------------------------------------------ family B
def _b_date(fake: Faker, rng: random.Random) -> str:
    d = _day(rng, date(1935, 1, 1), date(2025, 12, 31))
    return rng.choice((d.isoformat(), f"{d.day} {d:%b} {d.year}", f"{d:%b}. {d.day}"))


def _b_phone(fake: Faker, rng: random.Random) -> str:
    area = rng.randint(201, 989)
    return rng.choice(
        (f"{area}.{_digits(rng, 3)}.{_digits(rng, 4)}", f"+1 {area} {_digits(rng, 3)} {_digits(rng, 4)}")
    )


B_VALUES: dict[str, ValueFn] = {
    "NAME": lambda f, r: f"{f.last_name()}, {f.first_name()}" if r.random() < 0.3 else f.name(),
    "LOC": lambda f, r: (
        f"{f.building_number()} {f.street_name()} in {f.city()}"
        if r.random() < 0.5
        else f"{f.city()} {f.postcode()}"
    ),
    "DATE": _b_date,
    "PHONE": _b_phone,
    "FAX": _b_phone,
    "EMAIL": lambda f, r: f.email(),
    "SSN": lambda f, r: f"{_digits(r, 3)} {_digits(r, 2)} {_digits(r, 4)}",
    "MRN": lambda f, r: f"RMR-{_digits(r, 6)}" if r.random() < 0.6 else f"MR{_digits(r, 8)}",
    "HEALTH_PLAN": lambda f, r: f"W{_digits(r, 9)}",
    "ACCOUNT": lambda f, r: f"{_digits(r, 4)}-{_digits(r, 4)}-{_digits(r, 2)}",
    "LICENSE": lambda f, r: f"D{_digits(r, 7)}",
    "VEHICLE": lambda f, r: f.vin(),
    "DEVICE": lambda f, r: f"{_digits(r, 1)}{_letters(r, 2)}{_digits(r, 1)}-{_digits(r, 5)}",
    "URL": lambda f, r: f"{f.domain_name()}/{f.uri_path()}",
    "IP": lambda f, r: f.ipv4_private() if r.random() < 0.5 else f.ipv4(),
    "BIOMETRIC": lambda f, r: f"BIO{_digits(r, 7)}",
    "PHOTO_REF": lambda f, r: f"PXL_2024{_digits(r, 4)}_{_digits(r, 6)}.png",
    "AGE_OVER_89": lambda f, r: str(r.randint(90, 106)),
    "CARRIER": lambda f, r: r.choice(
        ("Blue Cross Blue Shield", "Kaiser Permanente", "Molina", "Tricare", "Oscar Health", "Medicare")
    ),
    "PLAN_TYPE": lambda f, r: r.choice(
        ("POS", "HDHP", "Medicare Advantage", "Medicaid managed care", "Bronze")
    ),
    "MEMBER_ID": lambda f, r: f"{_letters(r, 1)}{_digits(r, 8)}",
    "GROUP_NUMBER": lambda f, r: f"{_digits(r, 7)}-{_digits(r, 2)}",
    "POLICY_NUMBER": lambda f, r: f"H{_digits(r, 4)}-{_digits(r, 5)}",
    "SUBSCRIBER_NAME": lambda f, r: f.name(),
    "RELATIONSHIP": lambda f, r: r.choice(("spouse", "parent", "child", "dependent", "partner", "guardian")),
    "CLAIM_ID": lambda f, r: f"C{_digits(r, 8)}",
    "AUTH_NUMBER": lambda f, r: f"AUTH{_digits(r, 6)}",
    "COPAY": lambda f, r: _money(r, 10, 90, cents=True),
    "DEDUCTIBLE": lambda f, r: _money(r, 500, 8000, cents=True),
    "BILLED_AMOUNT": lambda f, r: _money(r, 60, 9000, cents=True),
}

B_INTENTS: dict[str, tuple[str, ...]] = {
    "new_patient_inquiry": (
        "Hoping to establish care with your practice and schedule an initial visit.",
        "Do you accept new patients? Would like a first consult with a provider.",
        "Never been seen at your clinic before and want to register and get a first visit.",
        "Interested in joining the practice as a new patient, what are the next steps and hours?",
    ),
    "existing_patient_question": (
        "Following up on my results from last week, were they normal?",
        "Current patient here, should I keep taking the medication and the vitamins together?",
        "Had my visit recently and I don't know whether the referral went through.",
        "Is my doctor still OK with me exercising after the procedure?",
    ),
    "appointment_request": (
        "Would like a slot Thursday morning or Friday afternoon if there is one.",
        "Need to push my visit back by a week and come in with my daughter.",
        "Any openings this month for a yearly physical? Mornings and early hours are best.",
        "Want to book a follow-up and bring my husband with me.",
    ),
    "billing_inquiry": (
        "There is a charge on my statement that looks wrong and I don't know what it is for.",
        "Has the claim been resubmitted to the insurer yet?",
        "Received two statements and the amounts do not match.",
        "Can the balance be split into monthly payments?",
    ),
    "clinical_concern": (
        "Been having headaches and blurry vision for two days now.",
        "Swelling in my ankle has not gone down since the fall and it hurts to walk.",
        "After the vaccine my arm is hot and red and the fever will not break.",
        "Stomach pain and nausea for several hours, should I come in?",
    ),
    "complaint": (
        "Still in pain and still no callback after three messages, honestly this is terrible service.",
        "Waited with my kid for two hours & nobody told us anything, extremely disappointed.",
        "The nurse brushed off my symptoms and now they are worse, I want to file a formal complaint.",
        "Billing keeps sending me to collections for something already paid, frustrating beyond words.",
    ),
    "price_shopper": (
        "What is the cash price for a cleaning and x-rays? Just gathering quotes.",
        "Trying to compare costs, what would an ultrasound run with no coverage?",
        "Is there a flat fee for a sports physical? Only asking, not ready to schedule.",
        "Price check on a sleep study please, comparing with another clinic.",
    ),
}

B_DETAILS: dict[str, tuple[str, ...]] = {
    "NAME": ("Patient name {NAME}.", "Writing on behalf of {NAME}."),
    "LOC": ("Home is {LOC}.", "We are located at {LOC} now."),
    "DATE": ("Born {DATE}.", "Seen on {DATE} at the clinic."),
    "PHONE": ("Reach me on {PHONE} during work hours.", "Callback: {PHONE}."),
    "FAX": ("Fax results over to {FAX}.", "Office fax {FAX}."),
    "EMAIL": ("Reply to {EMAIL} with the details.", "Contact email {EMAIL}."),
    "SSN": ("Social on file should be {SSN}.", "SS number {SSN}."),
    "MRN": ("Record number {MRN}.", "Medical record {MRN} I believe."),
    "HEALTH_PLAN": ("Beneficiary number {HEALTH_PLAN}.", "Plan card number {HEALTH_PLAN}."),
    "ACCOUNT": ("Billing account {ACCOUNT}.", "Reference {ACCOUNT} on the statement."),
    "LICENSE": ("Driver license {LICENSE} for the ID check.", "State ID {LICENSE}."),
    "VEHICLE": ("The car VIN is {VEHICLE} for the accident forms.", "Vehicle ID {VEHICLE}."),
    "DEVICE": ("Insulin pump serial {DEVICE} is beeping.", "CPAP machine {DEVICE} stopped working."),
    "URL": ("Found you at {URL}.", "The page {URL} would not load."),
    "IP": ("Portal says too many attempts from {IP}.", "Login blocked for address {IP}."),
    "BIOMETRIC": ("Palm scan enrollment code {BIOMETRIC}.", "Voiceprint ID {BIOMETRIC} failed."),
    "PHOTO_REF": ("Uploaded picture {PHOTO_REF} with the message.", "Photo of the rash is {PHOTO_REF}."),
    "AGE_OVER_89": (
        "Grandpa turns {AGE_OVER_89} this year.",
        "Patient is {AGE_OVER_89}, needs wheelchair access.",
    ),
    "CARRIER": ("Covered by {CARRIER}.", "Insurer is {CARRIER}."),
    "PLAN_TYPE": ("Plan type {PLAN_TYPE}.", "Enrolled in a {PLAN_TYPE} option."),
    "MEMBER_ID": ("ID on the card {MEMBER_ID}.", "Member {MEMBER_ID}."),
    "GROUP_NUMBER": ("Group {GROUP_NUMBER}.", "Employer group code {GROUP_NUMBER}."),
    "POLICY_NUMBER": ("Policy {POLICY_NUMBER}.", "Contract number {POLICY_NUMBER}."),
    "SUBSCRIBER_NAME": ("Primary holder {SUBSCRIBER_NAME}.", "Coverage belongs to {SUBSCRIBER_NAME}."),
    "RELATIONSHIP": ("I am the {RELATIONSHIP} on the plan.", "Listed as {RELATIONSHIP} of the holder."),
    "CLAIM_ID": ("Claim reference {CLAIM_ID}.", "EOB shows claim {CLAIM_ID}."),
    "AUTH_NUMBER": ("Authorization {AUTH_NUMBER} was approved.", "Pre-cert code {AUTH_NUMBER}."),
    "COPAY": ("Card says copay {COPAY}.", "Paid {COPAY} at check-in."),
    "DEDUCTIBLE": ("Annual deductible {DEDUCTIBLE}.", "Still {DEDUCTIBLE} left on the deductible."),
    "BILLED_AMOUNT": ("Statement total {BILLED_AMOUNT}.", "Charged {BILLED_AMOUNT} for one visit."),
}


@dataclass(frozen=True)
class Family:
    """One generator family's vocabulary and habits."""

    name: str
    greetings: tuple[str, ...]
    voicemail_openers: tuple[str, ...]  # spoken openers; may hold a {NAME} slot
    closings: tuple[str, ...]
    named_closings: tuple[str, ...]  # sign-offs with a {NAME} slot (PHI task)
    urgency: tuple[str, ...]  # ALL CAPS urgency lines for messy text
    casual_extras: tuple[str, ...]  # asides that carry the family's abbreviation source phrases
    runon_joiners: tuple[str, ...]
    intents: dict[str, tuple[str, ...]]
    details: dict[str, tuple[str, ...]]
    values: dict[str, ValueFn]
    details_first: float  # probability that detail sentences come before the request


FAMILIES: dict[str, Family] = {
    "A": Family(
        name="A",
        greetings=("Hi,", "Hello,", "Hey,", "Hi there,"),
        voicemail_openers=("Hi this is {NAME} calling.", "Hey it's {NAME}."),
        closings=("Thanks!", "Thank you.", "Thanks so much.", "Please call me back."),
        named_closings=("Thanks, {NAME}", "Thank you, {NAME}"),
        urgency=("PLEASE CALL ME BACK TODAY", "NEED HELP ASAP", "THIS IS URGENT PLEASE"),
        casual_extras=(
            "Let me know if you need anything else from me.",
            "Thanks for your help.",
            "I can come in tomorrow if that works for you.",
            "I have my insurance card with me.",
        ),
        runon_joiners=(" and um ", " so ", ", and ", " uh "),
        intents=A_INTENTS,
        details=A_DETAILS,
        values=A_VALUES,
        details_first=0.1,
    ),
    "B": Family(
        name="B",
        greetings=("Good morning,", "Dear team,", "Greetings,", "Good afternoon,"),
        voicemail_openers=("Yes hello, {NAME} here.", "Good afternoon, calling for {NAME}."),
        closings=("Appreciate it.", "Regards.", "Cheers.", "Talk soon."),
        named_closings=("Regards, {NAME}", "- {NAME}"),
        urgency=("NEED A CALLBACK TODAY", "STILL NO ANSWER FROM ANYONE", "THIS CANNOT WAIT"),
        casual_extras=(
            "By the way I can do early hours.",
            "I don't know if this is the right place to ask.",
            "Please reply with times and dates.",
            "Coming with my wife and kids.",
        ),
        runon_joiners=(" and then ", " anyway ", " also ", " like "),
        intents=B_INTENTS,
        details=B_DETAILS,
        values=B_VALUES,
        details_first=0.7,
    ),
}


def _check() -> None:
    for fam in FAMILIES.values():
        assert set(fam.intents) == set(INTENTS), fam.name
        assert set(fam.details) == set(PHI_TYPES) | set(INSURANCE_FIELDS), fam.name
        assert set(fam.values) == set(PHI_TYPES) | set(INSURANCE_FIELDS), fam.name
    assert set(CUE_WORDS) == set(PHI_TYPES) | set(INSURANCE_FIELDS)


_check()
