"""A realistic demo board: fictional companies across every lane and stage, with a spread of
ages (some stale, some past best-by) and an archive of wins and losses so best-by is computed
from history. Deterministic for a given `today`."""

import random
from datetime import date, timedelta

from pkanban.services.cards import NewCard, insert_card
from pkanban.store.database import Store

COMPANIES = (
    "Acme Corp",
    "Globex",
    "Initech",
    "Umbrella Health",
    "Hooli",
    "Vandelay Industries",
    "Stark Logistics",
    "Wayne Foods",
    "Soylent Labs",
    "Tyrell Systems",
    "Cyberdyne Retail",
    "Wonka Confectionery",
    "Oscorp Energy",
    "Massive Dynamic",
    "Pied Piper",
    "Aperture Science",
    "Black Mesa Research",
    "Dunder Mifflin",
    "Gringotts Finance",
    "Monarch Solutions",
    "Sterling Cooper",
    "Prestige Worldwide",
    "Bluth Company",
    "Los Pollos Hermanos",
    "Krusty Krab",
    "Nakatomi Trading",
    "Virtucon",
    "Gekko & Co",
    "Duff Brewing",
    "Ollivanders",
    "Zorg Industries",
    "Buy n Large",
    "Omni Consumer",
    "Weyland Freight",
    "Rekall Travel",
    "InGen Bio",
    "Spacely Sprockets",
    "Cogswell Cogs",
    "Frobozz Magic",
    "Yoyodyne Propulsion",
    "Kwik-E-Mart",
    "Central Perk",
    "Paper Street Soap",
    "Chotchkie's",
    "Mooby's",
    "Benthic Petroleum",
    "Sirius Cybernetics",
    "Planet Express",
    "Mom's Friendly Robots",
    "Ghostbusters Inc",
    "Wolfram & Hart",
    "Lacuna Inc",
    "Veridian Dynamics",
    "Hanso Foundation",
    "Praxis Corp",
    "Clampett Oil",
    "Fleischman's Bagels",
    "Rich Industries",
    "Tessier-Ashpool",
    "Shinra Power",
    "Abstergo",
    "Sarif Industries",
    "Cheers Bar",
    "Genco Olive Oil",
    "Kramerica",
    "Adventureland",
    "Stay Puft",
    "Brawndo",
    "Heisler Beer",
    "Sunnydale Security",
)
CONTACTS = (
    "Ana Ruiz",
    "Ben Okafor",
    "Chen Wei",
    "Dana Kowalski",
    "Emeka Obi",
    "Fatima Zahra",
    "Greta Lind",
    "Hiro Tanaka",
    "Inès Moreau",
    "Jonas Berg",
    "Kavya Rao",
    "Liam Byrne",
)
NEXT_STEPS = (
    "Call to confirm budget",
    "Send proposal v2",
    "Book demo with IT",
    "Follow up on pricing",
    "Intro to CFO",
    "Send case study",
    "Schedule kickoff",
    "Check security review",
)
SOURCES = ("Referral", "Website", "Event", "Outbound", "Partner")
LOST_REASONS = ("Went with a competitor", "No budget this year", "No decision", "Price")
# (stage, lane, how many, age range in days)
OPEN_LAYOUT = (
    ("Leads", "New business", 14, (1, 140)),
    ("Leads", "Accounts", 7, (3, 90)),
    ("Contacted", "New business", 4, (1, 12)),
    ("Contacted", "Accounts", 2, (2, 9)),
    ("Discovery", "New business", 3, (5, 40)),
    ("Discovery", "Accounts", 2, (8, 30)),
    ("Proposal", "New business", 2, (10, 120)),
    ("Proposal", "Accounts", 1, (20, 60)),
    ("Negotiation", "Expedite", 1, (15, 50)),
    ("Negotiation", "New business", 1, (30, 100)),
)


def build_demo(store: Store, today: date) -> int:
    """Fill an empty board with the demo; returns the number of cards created."""
    rng = random.Random(2026)
    names = iter(rng.sample(COMPANIES, len(COMPANIES)))
    created = 0
    with store.action("imported", "Built the demo board", today) as log:
        for stage, lane, count, (young, old) in OPEN_LAYOUT:
            for _ in range(count):
                age = rng.randint(young, old)
                in_stage = min(age, rng.randint(1, 25))
                touch_days = sorted(
                    (
                        rng.randint(0, age)
                        for _ in range(0 if stage == "Leads" else rng.randint(1, 6))
                    ),
                    reverse=True,
                )
                due = today + timedelta(days=rng.randint(-4, 10))
                card = insert_card(
                    store.conn,
                    log,
                    today,
                    NewCard(
                        title=next(names),
                        stage=stage,
                        lane=lane,
                        value=rng.choice((2, 4, 6, 9, 12, 18, 25, 40, 60)) * 1000,
                        contact_name=rng.choice(CONTACTS),
                        source=rng.choice(SOURCES),
                        tags=(lane.split()[0].lower(),),
                        next_step="" if stage == "Leads" else rng.choice(NEXT_STEPS),
                        next_due=None if stage == "Leads" else due,
                        created=today - timedelta(days=age),
                        entered_stage=today - timedelta(days=in_stage),
                        last_touch=today - timedelta(days=touch_days[-1]) if touch_days else None,
                        touch_count=len(touch_days),
                    ),
                )
                for days_ago in touch_days:
                    log.insert(
                        "touches",
                        {
                            "card_id": card.id,
                            "day": (today - timedelta(days=days_ago)).isoformat(),
                            "kind": rng.choice(("call", "email", "meeting", "message")),
                            "text": rng.choice(NEXT_STEPS),
                        },
                    )
                created += 1
        for index in range(36):
            won = index % 3 != 2
            closed = today - timedelta(days=rng.randint(5, 330))
            insert_card(
                store.conn,
                log,
                today,
                NewCard(
                    title=next(names, f"Archived deal {index + 1}"),
                    stage=rng.choice(("Proposal", "Negotiation")) if won else "Discovery",
                    lane=rng.choice(("New business", "Accounts")),
                    value=rng.choice((3, 5, 8, 12, 20, 30)) * 1000,
                    source=rng.choice(SOURCES),
                    created=closed - timedelta(days=rng.randint(18, 110)),
                    entered_stage=closed - timedelta(days=rng.randint(3, 15)),
                    touch_count=rng.randint(3, 9),
                    disposition="won" if won else "lost",
                    closed=closed,
                    lost_reason="" if won else rng.choice(LOST_REASONS),
                ),
            )
            created += 1
    return created
