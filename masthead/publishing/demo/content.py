"""Demo content for The Harbour Ledger, a fictional reader-funded newsroom.

Everything here is invented: the outlet, the coastal city of Port Aldmere, its
neighbourhoods, institutions and the people quoted. The data is plain Python so it can be
loaded without Django; the demo loader turns it into pages, snippets and images.

Article bodies are lists of ``(block_type, value)`` pairs matching the article body
StreamField. Paragraph values are single ``<p>`` elements using only ``<b>``, ``<i>`` and
``<a>``. Images are described by a ``motif`` and ``seed`` for
``masthead.publishing.demo.images.render_demo_image``. Dates are relative: ``days_ago``
and ``hour`` are resolved against the day the demo is loaded.
"""

OUTLET = {
    "name": "The Harbour Ledger",
    "tagline": "Independent, reader-funded news for Port Aldmere and its harbour.",
    "about": (
        "The Harbour Ledger is an independent newsroom covering Port Aldmere, its "
        "islands and its waterfront. We are funded by our readers, answer to no owner or "
        "advertiser, and keep every story free to read. Tips, corrections and complaints "
        "are always welcome."
    ),
}

AUTHORS = [
    {
        "slug": "nadia-ferrow",
        "name": "Nadia Ferrow",
        "role": "City hall reporter",
        "bio": (
            "Nadia has covered Port Aldmere City Council since the Ledger's first week "
            "and has sat through more budget meetings than she cares to count. She "
            "previously reported on the courts for a regional daily and lives in the old "
            "town."
        ),
    },
    {
        "slug": "ewan-coldrey",
        "name": "Ewan Coldrey",
        "role": "Environment reporter",
        "bio": (
            "Ewan writes about the harbour, the coast and the changing climate, usually "
            "from somewhere wet. He trained as a marine biologist before switching to "
            "journalism and still keeps a sample jar in his desk drawer."
        ),
    },
    {
        "slug": "priya-santhorne",
        "name": "Priya Santhorne",
        "role": "Culture editor",
        "bio": (
            "Priya edits the Ledger's culture pages and writes about music, books and "
            "the city's public spaces. She grew up above a record shop in the Ropewalk "
            "and has not missed a Harbour Jazz Festival since she was nineteen."
        ),
    },
    {
        "slug": "felix-marrable",
        "name": "Felix Marrable",
        "role": "Housing and data reporter",
        "bio": (
            "Felix covers housing, planning and the numbers behind the city's decisions. "
            "He maintains the Ledger's databases of planning applications and council "
            "spending, and answers readers' questions about both."
        ),
    },
]

SECTIONS = [
    {
        "slug": "city",
        "title": "City",
        "intro": (
            "City hall, housing, transport and the decisions that shape daily life in Port Aldmere."
        ),
    },
    {
        "slug": "environment",
        "title": "Environment",
        "intro": "The harbour, the coast and the climate, reported from the water's edge.",
    },
    {
        "slug": "culture",
        "title": "Culture",
        "intro": "Arts, libraries, music and the places where the city comes together.",
    },
]

ARTICLES = [
    {
        "slug": "council-backs-ferry-fare-rise-gullhaven",
        "section": "city",
        "title": "Council backs ferry fare rise as Gullhaven islanders walk out",
        "standfirst": (
            "A 14 per cent increase on the Narrows crossing passed by a single vote "
            "after a five-hour meeting in which islanders warned that the ferry is their "
            "only road to work, school and hospital."
        ),
        "authors": ["nadia-ferrow"],
        "tags": ["city council", "transport", "gullhaven", "budget"],
        "days_ago": 0,
        "hour": 7,
        "featured": True,
        "lead_image": {
            "title": "The morning ferry leaving Gullhaven",
            "caption": (
                "The 6.15am sailing from Gullhaven, the busiest crossing of the day, "
                "carries most of the island's commuters and secondary pupils."
            ),
            "credit": "Photo: Lior Brackett/The Harbour Ledger",
            "motif": "harbour",
            "seed": 4104,
        },
        "body": [
            (
                "paragraph",
                (
                    "<p>The cost of crossing the Narrows will rise next month after Port "
                    "Aldmere City Council voted eight to seven on Tuesday night to "
                    "approve a 14 per cent increase in ferry fares. An adult return to "
                    "Gullhaven will go from £6.40 to £7.30, and the monthly commuter "
                    "pass will cost more than £100 for the first time since the city "
                    "brought the service back into public ownership eleven years "
                    "ago.</p>"
                ),
            ),
            (
                "paragraph",
                (
                    "<p>The vote came at the end of a five-hour meeting that overran so "
                    "badly the building's heating switched itself off. About forty "
                    "islanders had made the crossing to speak, most of them on the "
                    "5.40pm boat, and many left the chamber before the result was read "
                    "out, saying they could not risk missing the last sailing home.</p>"
                ),
            ),
            ("heading", "Why the council says it has no choice"),
            (
                "paragraph",
                (
                    "<p>Councillor Bram Ostler, who chairs the transport committee, told "
                    "the meeting that the ferry service is running a deficit of £1.9 "
                    "million this year, driven by fuel costs, a long-delayed engine "
                    "refit on the <i>Marram</i> and a pay settlement for crews agreed "
                    "last spring. Without the increase, he said, the city would have to "
                    "cut the early sailing or draw on reserves set aside for repairs to "
                    "the sea wall.</p>"
                ),
            ),
            (
                "quote",
                {
                    "text": (
                        "Nobody on this committee wanted to bring this paper forward. "
                        "But a ferry that runs out of money in February helps nobody on "
                        "either side of the water."
                    ),
                    "attribution": "Bram Ostler, chair of the transport committee",
                },
            ),
            (
                "paragraph",
                (
                    "<p>Officers presented three options. The one approved keeps "
                    "concessions for school pupils and over-65s unchanged, and freezes "
                    "the price of vehicle tickets for registered island businesses until "
                    "the autumn. A cheaper alternative, which would have raised fares by "
                    "9 per cent and dropped one mid-afternoon crossing, was rejected "
                    "after the harbour master warned it would leave the midday boat "
                    "dangerously full in summer.</p>"
                ),
            ),
            (
                "image",
                {
                    "title": "Ferry fares over eleven years",
                    "caption": (
                        "The price of an adult return has risen in eight of the eleven "
                        "years since the city took the ferry back into public ownership."
                    ),
                    "credit": "Graphic: Felix Marrable/The Harbour Ledger",
                    "motif": "chart",
                    "seed": 5233,
                },
            ),
            ("heading", "An island with one road"),
            (
                "paragraph",
                (
                    "<p>For the roughly 2,300 people who live on Gullhaven, the ferry is "
                    "not optional. The island has a primary school and a surgery that "
                    "opens three days a week, but secondary pupils, hospital patients "
                    "and most workers cross every day. Maud Pelling, a care worker who "
                    "takes the 6.15am boat, said the increase would cost her household "
                    "more than £300 a year.</p>"
                ),
            ),
            (
                "quote",
                {
                    "text": (
                        "People on the mainland talk about the ferry as if it were a "
                        "scenic cruise. It's our road. You wouldn't put a fourteen per "
                        "cent toll on the ring road and call it a tough choice."
                    ),
                    "attribution": "Maud Pelling, Gullhaven resident",
                },
            ),
            (
                "paragraph",
                (
                    "<p>Councillor Ines Corwell, who represents the island, proposed an "
                    "amendment to phase the rise over two years. It failed by the same "
                    "single vote. She told the Ledger afterwards that she would ask the "
                    "council's scrutiny panel to examine how the deficit was calculated, "
                    "in particular the <b>£410,000</b> charged to the service each year "
                    "for shared harbour costs.</p>"
                ),
            ),
            (
                "list",
                {
                    "ordered": False,
                    "items": [
                        "Adult return: £6.40 to £7.30",
                        "Monthly commuter pass: £92 to £105",
                        "Car and driver, single: £18.50 to £21",
                        "School pupils and over-65s: unchanged",
                    ],
                },
            ),
            (
                "paragraph",
                (
                    "<p>The new fares take effect on the first sailing of next month. "
                    "The council has promised a review in the autumn, once the "
                    "<i>Marram</i> returns from its refit and fuel contracts are "
                    "renegotiated. The officers' report and the full list of options are "
                    '<a href="https://example.org/council/ferry-fares-report">in the '
                    "meeting papers</a>, and the Ledger will be at the scrutiny panel "
                    "when it meets.</p>"
                ),
            ),
        ],
    },
    {
        "slug": "ropewalk-court-tenants-vote-to-buy-their-building",
        "section": "city",
        "title": "Ropewalk Court tenants vote to buy their building as a co-op",
        "standfirst": (
            "Thirty-nine of the block's 46 households backed a plan to form a housing "
            "co-operative and make an offer to the property fund that put their homes up "
            "for sale."
        ),
        "authors": ["felix-marrable"],
        "tags": ["housing", "co-operatives", "city council"],
        "days_ago": 2,
        "hour": 9,
        "featured": False,
        "lead_image": {
            "title": "Ropewalk Court from Chandler Street",
            "caption": (
                "Ropewalk Court, a five-storey block built in the 1970s, has been owned "
                "by a series of investment funds since the council sold it."
            ),
            "credit": "Photo: Greta Hollowell/The Harbour Ledger",
            "motif": "skyline",
            "seed": 3381,
        },
        "body": [
            (
                "paragraph",
                (
                    "<p>After eighteen months of meetings in the laundry room, the "
                    "tenants of Ropewalk Court have voted to buy the building they live "
                    "in. Of the 46 households in the five-storey block on Chandler "
                    "Street, 39 voted on Sunday in favour of forming a housing "
                    "co-operative and making an offer to the owner, a property fund that "
                    "put the building up for sale in the autumn.</p>"
                ),
            ),
            (
                "paragraph",
                (
                    "<p>The plan depends on a loan from the city's community land fund, "
                    "which the council will decide on next month, and on a mortgage from "
                    "a regional building society that has agreed terms in principle. If "
                    "both come through, Ropewalk Court would become the first "
                    "tenant-owned block of flats in Port Aldmere, and the largest "
                    "housing co-op in the region.</p>"
                ),
            ),
            ("heading", "How the numbers work"),
            (
                "paragraph",
                (
                    "<p>The asking price is £6.2 million. The co-op's business plan, "
                    "which the tenants shared with the Ledger, proposes paying £5.6 "
                    "million, citing a survey that found £700,000 of overdue repairs to "
                    "the roof and the lifts. Members would each buy a £1 share and pay a "
                    "monthly charge instead of rent, set initially at about 8 per cent "
                    "below what they pay now and rising with inflation rather than with "
                    "the market.</p>"
                ),
            ),
            (
                "list",
                {
                    "ordered": False,
                    "items": [
                        ("£3.9 million mortgage from a building society, over 30 years"),
                        "£1.2 million loan from the city's community land fund",
                        "£500,000 from a community share offer open to anyone",
                        "Repairs phased over five years, starting with the roof",
                    ],
                },
            ),
            (
                "paragraph",
                (
                    "<p>Amaru Quist, the secretary of the tenants' association, has "
                    "lived on the fourth floor for twelve years. He said the sale had "
                    "come as a shock: residents learned about it from an estate agent's "
                    'board cable-tied to the railings. "We realised that whoever bought '
                    'it would decide whether we could stay," he said. "So we decided it '
                    'should be us."</p>'
                ),
            ),
            ("heading", "Risks and doubts"),
            (
                "paragraph",
                (
                    "<p>Not everyone is convinced. Seven households voted against or "
                    "abstained, several of them older residents who worried about taking "
                    "on collective responsibility for a building with a troubled "
                    "maintenance history. The co-op would need volunteers to sit on its "
                    "board, manage contractors and chase arrears, work currently done by "
                    "a managing agent the tenants describe as slow but at least "
                    "paid.</p>"
                ),
            ),
            (
                "quote",
                {
                    "text": (
                        "A co-op is not a magic wand. It turns tenants into their own "
                        "landlords, with all the dull, difficult decisions that "
                        "involves. Done well, it is the most stable housing there is."
                    ),
                    "attribution": "Lena Harrowgate, housing researcher at Aldmere University",
                },
            ),
            (
                "paragraph",
                (
                    "<p>The fund that owns the building has not responded to the offer "
                    "and did not reply to questions from the Ledger. Under the city's <a "
                    'href="https://example.org/housing/right-to-bid">right-to-bid '
                    "scheme</a>, introduced two years ago, tenants of buildings with "
                    "more than twenty homes get a six-month window to make an offer "
                    "before a sale to another buyer can complete. That window closes in "
                    "April.</p>"
                ),
            ),
            (
                "paragraph",
                (
                    "<p>Councillors on the housing committee will consider the land fund "
                    "loan at their next meeting. If approved, it would be the fund's "
                    "largest single commitment. Councillor Dev Halloran, who chairs the "
                    'committee, said he was "sympathetic but careful", and that officers '
                    "would report on whether the co-op could still repay the loan if "
                    "interest rates rose again.</p>"
                ),
            ),
        ],
    },
    {
        "slug": "saltmarket-traders-resist-plan-to-move-saturday-market",
        "section": "city",
        "title": "Saltmarket traders push back on plan to move Saturday market",
        "standfirst": (
            "The council wants to repave the old square and move the market to a car "
            "park for eighteen months. Stallholders say they have heard the word "
            "temporary before."
        ),
        "authors": ["nadia-ferrow"],
        "tags": ["city council", "small business", "heritage", "transport"],
        "days_ago": 5,
        "hour": 12,
        "featured": False,
        "lead_image": {
            "title": "Saturday morning in Saltmarket",
            "caption": (
                "Around 64 regular stallholders trade in Saltmarket on Saturdays, some "
                "from pitches their families have held for three generations."
            ),
            "credit": "Photo: Tamsin Velde/The Harbour Ledger",
            "motif": "market",
            "seed": 2719,
        },
        "body": [
            (
                "paragraph",
                (
                    "<p>For more than a century, the Saturday market has filled the "
                    "cobbled square at Saltmarket with fish, bread, flowers and "
                    "argument. Now the city wants to move it three streets east, to the "
                    "car park behind the old customs house, while the square is dug up "
                    "and repaved. The traders are not happy about it, and they have put "
                    "their objections in writing.</p>"
                ),
            ),
            (
                "paragraph",
                (
                    "<p>The proposal is part of a plan to fix a long-running problem "
                    "with the square's drainage, which floods the lower stalls several "
                    "times each winter. Council officers say the works will take at "
                    "least eighteen months and that the car park offers more space, "
                    "level ground, water points and proper lighting for the winter "
                    "evening markets that the council hopes to expand.</p>"
                ),
            ),
            ("heading", "A temporary move, or a permanent one?"),
            (
                "paragraph",
                (
                    '<p>Traders say they have heard "temporary" before. In a letter '
                    "signed by 52 of the market's 64 regular stallholders, they ask the "
                    "council to guarantee that the market will return to the square once "
                    "the works are finished, and to phase the repaving so that at least "
                    "half of the square stays open on Saturdays throughout.</p>"
                ),
            ),
            (
                "quote",
                {
                    "text": (
                        "The square is why people come. You can buy a cabbage anywhere. "
                        "You come to Saltmarket to bump into your neighbour, hear the "
                        "bells and argue about the price of crab."
                    ),
                    "attribution": "Hetty Gorse, cheese seller and stallholder for 22 years",
                },
            ),
            (
                "paragraph",
                (
                    "<p>Footfall is the main worry. A survey carried out by the traders' "
                    "association last summer found that around a third of visitors "
                    "arrived on foot from the old town or the ferry terminal. The walk "
                    "to the car park would be longer and less pleasant, past a busy "
                    "junction with narrow pavements and no crossing on the harbour "
                    "side.</p>"
                ),
            ),
            (
                "paragraph",
                (
                    "<p>There is history behind the suspicion. When the fish market was "
                    "moved off the quay in the 1980s for what was described as a "
                    "two-year refurbishment, it never came back; the building became a "
                    "bar and then flats. Several of the older traders still talk about "
                    "it, and their letter mentions it by name, asking councillors to "
                    '"learn from the last time".</p>'
                ),
            ),
            ("heading", "What the traders are asking for"),
            (
                "list",
                {
                    "ordered": True,
                    "items": [
                        "A written commitment that the market returns to Saltmarket",
                        "Phased works that keep half the square open",
                        "Free pitches for as long as the market is away",
                        "Clear signs and a safe crossing from the ferry terminal",
                    ],
                },
            ),
            (
                "paragraph",
                (
                    "<p>Councillor Orla Bexley, cabinet member for the local economy, "
                    'said the council had "no intention whatsoever" of moving the market '
                    'for good, and that a written commitment was "perfectly reasonable". '
                    "She was more cautious about phasing, which she said could add "
                    "months and cost to the project, and about free pitches, which would "
                    "mean around £90,000 in lost fees.</p>"
                ),
            ),
            (
                "paragraph",
                (
                    "<p>The plan goes out to public consultation later this month. The "
                    "drawings will be on display in the customs house, and officers will "
                    "hold drop-in sessions at the market itself on the next two "
                    "Saturdays. The traders' association says it will be there too, with "
                    "its own leaflets and a petition that it says already has more than "
                    "3,000 signatures.</p>"
                ),
            ),
        ],
    },
    {
        "slug": "north-quay-night-shifts-keep-tidewater-awake",
        "section": "city",
        "title": "North Quay night shifts are keeping Tidewater awake, survey finds",
        "standfirst": (
            "Seven in ten households who answered a residents' survey say noise from the "
            "container terminal wakes them at least once a week. The port says "
            "round-the-clock working is here to stay."
        ),
        "authors": ["nadia-ferrow", "felix-marrable"],
        "tags": ["the port", "public health", "housing"],
        "days_ago": 9,
        "hour": 16,
        "featured": False,
        "lead_image": {
            "title": "North Quay at night",
            "caption": (
                "The container terminal at North Quay has worked through the night since "
                "last spring, when shipping lines began scheduling late arrivals."
            ),
            "credit": "Photo: Oren Castellane/The Harbour Ledger",
            "motif": "harbour",
            "seed": 6650,
        },
        "body": [
            (
                "paragraph",
                (
                    "<p>Since the container terminal at North Quay began working through "
                    "the night last spring, residents of the terraced streets of "
                    "Tidewater say they have not slept properly. A survey by the "
                    "neighbourhood's residents' association, shared with the Ledger, now "
                    "puts numbers to the complaints: of 312 households who responded, 71 "
                    "per cent said noise from the port woke them at least once a "
                    "week.</p>"
                ),
            ),
            (
                "paragraph",
                (
                    "<p>The sounds they describe are specific: the bang of containers "
                    "being set down, the reversing alarms of straddle carriers, and a "
                    "low hum from refrigerated containers plugged into the quay's power "
                    "points. Several residents kept diaries. One, on Gannet Row, "
                    "recorded being woken at 2.10am, 3.45am and 4.30am on a single night "
                    "in October.</p>"
                ),
            ),
            ("heading", "What the port says"),
            (
                "paragraph",
                (
                    "<p>The Aldmere Port Authority says round-the-clock working was "
                    "necessary to keep the terminal competitive after shipping lines "
                    "began arriving at night to make up time. It employs about 140 more "
                    "people than it did two years ago, most of them from the city. A "
                    'spokesperson said some vehicles had already been fitted with "white '
                    'noise" reversing alarms, which are less piercing than traditional '
                    "beepers.</p>"
                ),
            ),
            (
                "quote",
                {
                    "text": (
                        "We take our neighbours seriously. We have made changes and we "
                        "will make more, but the port cannot go back to closing at ten "
                        "o'clock. The ships simply will not wait."
                    ),
                    "attribution": "Corin Ashdown, chief executive of the Aldmere Port Authority",
                },
            ),
            (
                "paragraph",
                (
                    "<p>Residents want those alarms on every vehicle on the quay, and "
                    "they want the authority to pay for an independent noise monitor on "
                    "the Tidewater side, with readings published online. The city's "
                    "environmental health team took measurements in November but has not "
                    "yet released its findings, which it says are still being "
                    "checked.</p>"
                ),
            ),
            ("heading", "What residents are asking for"),
            (
                "list",
                {
                    "ordered": False,
                    "items": [
                        "Quieter reversing alarms on every vehicle by the summer",
                        ("An independent noise monitor in Tidewater, with public readings"),
                        ("No setting-down of empty containers between midnight and 5am"),
                        "Help with secondary glazing for the worst-affected streets",
                    ],
                },
            ),
            (
                "paragraph",
                (
                    "<p>Noise from ports is largely controlled through planning "
                    "conditions, and the terminal's permission, granted in the 1990s, "
                    "set no limits at night because nobody expected it to operate then. "
                    "Changing that would require either a new application from the port "
                    "or the city taking the unusual step of modifying the consent, which "
                    "could expose it to a claim for compensation.</p>"
                ),
            ),
            (
                "paragraph",
                (
                    "<p>The survey also asked about health. Around a quarter of "
                    "respondents said they or someone in their household had seen a "
                    "doctor about sleep problems in the past year, and several parents "
                    "described children struggling at school. The figures are "
                    "self-reported, and the association accepts that people troubled by "
                    "noise were probably more likely to reply, but it says the pattern "
                    "is hard to ignore.</p>"
                ),
            ),
            (
                "paragraph",
                (
                    "<p>Councillor Dev Halloran, whose ward includes Tidewater, said he "
                    "would ask the planning committee to look again at the consent, and "
                    'urged environmental health to publish its results. "People are '
                    "being asked to live beside an industrial site that has quietly "
                    'changed its hours," he said. "The least they are owed is the '
                    'data."</p>'
                ),
            ),
        ],
    },
    {
        "slug": "harbour-dredging-plan-threatens-seagrass-meadow",
        "section": "environment",
        "title": "Dredging plan puts harbour's last seagrass meadow at risk, scientists warn",
        "standfirst": (
            "The port authority wants a deeper channel for bigger container ships. "
            "Marine scientists say the sediment it stirs up could smother a meadow that "
            "shelters fish, seahorses and native oysters."
        ),
        "authors": ["ewan-coldrey"],
        "tags": ["the port", "climate", "fishing"],
        "days_ago": 1,
        "hour": 8,
        "featured": True,
        "lead_image": {
            "title": "Seagrass off the eastern shore of Gullhaven",
            "caption": (
                "The meadow off Gullhaven covers about 38 hectares and is the largest "
                "left in the harbour."
            ),
            "credit": "Photo: Ewan Coldrey/The Harbour Ledger",
            "motif": "seagrass",
            "seed": 9012,
        },
        "body": [
            (
                "paragraph",
                (
                    "<p>A plan to deepen the main shipping channel into Port Aldmere "
                    "could smother the largest remaining seagrass meadow in the harbour, "
                    "according to marine scientists who have reviewed the port "
                    "authority's environmental assessment. The meadow, off the eastern "
                    "shore of Gullhaven, covers about 38 hectares and shelters juvenile "
                    "fish, seahorses and a population of native oysters once thought "
                    "lost.</p>"
                ),
            ),
            (
                "paragraph",
                (
                    "<p>The Aldmere Port Authority wants to remove around 1.1 million "
                    "cubic metres of sediment from the approach channel so that larger "
                    "container ships can reach North Quay at all states of the tide. Its "
                    "application, now before the regional marine licensing board, says "
                    "the work would be done over two winters and that plumes of sediment "
                    "would be contained with silt curtains and careful timing.</p>"
                ),
            ),
            ("heading", "A meadow under a cloud"),
            (
                "paragraph",
                (
                    "<p>Scientists at the Aldmere Marine Station say the assessment "
                    "underestimates how far fine sediment would drift. Seagrass needs "
                    "light, and even a few weeks of cloudy water in late spring, when "
                    "the plants grow fastest, can set a meadow back for years. The "
                    "station's own monitoring shows the meadow has already shrunk by "
                    "about a fifth since the last maintenance dredge.</p>"
                ),
            ),
            (
                "quote",
                {
                    "text": (
                        "This meadow stores carbon, shelters the fish the harbour's "
                        "boats depend on and holds the seabed together in storms. You "
                        "can't replant thirty-eight hectares of it with a grant and a "
                        "weekend of volunteers."
                    ),
                    "attribution": "Dr Yusra Keel, marine ecologist at the Aldmere Marine Station",
                },
            ),
            (
                "paragraph",
                (
                    "<p>The meadow matters beyond the fish. Seagrass locks carbon into "
                    "the sediment beneath it, and researchers at the station estimate "
                    "that the Gullhaven meadow holds the equivalent of several years of "
                    "emissions from the city's ferry fleet. It also calms waves before "
                    "they reach the island's eastern shore, where two houses were "
                    "flooded in last winter's storms.</p>"
                ),
            ),
            (
                "image",
                {
                    "title": "The approach channel to North Quay",
                    "caption": (
                        "Ships heading for North Quay pass within a few hundred metres "
                        "of the meadow on their way through the Narrows."
                    ),
                    "credit": "Photo: Lior Brackett/The Harbour Ledger",
                    "motif": "harbour",
                    "seed": 1448,
                },
            ),
            (
                "paragraph",
                (
                    "<p>The port authority says it has already changed its plans in "
                    "response to early concerns. The revised application moves the "
                    "disposal site for dredged material further offshore, limits work to "
                    "between October and February, and commits to paying for five years "
                    "of monitoring. A spokesperson added that a deeper channel would "
                    "mean fewer ships waiting at anchor off the coast, cutting "
                    "emissions.</p>"
                ),
            ),
            ("heading", "What the scientists want"),
            (
                "list",
                {
                    "ordered": False,
                    "items": [
                        (
                            "An independent model of sediment drift, not one "
                            "commissioned by the port"
                        ),
                        (
                            "A hard stop on dredging if water clarity over the meadow "
                            "drops below agreed limits"
                        ),
                        "Monitoring for ten years rather than five",
                        ("Funding for the station's seagrass replanting trials off Kestrel Point"),
                    ],
                },
            ),
            (
                "paragraph",
                (
                    "<p>Local fishers are split. Some worry that bigger ships and more "
                    "traffic will disturb inshore grounds; others say a busier port "
                    "brings work to the harbour's chandlers, boatyards and cafés. Declan "
                    "Morrow, who chairs the Aldmere Inshore Fishers' Association, said "
                    'members had not yet taken a position but would "not support '
                    'anything that kills the nursery".</p>'
                ),
            ),
            (
                "paragraph",
                (
                    "<p>The marine licensing board is accepting comments for another "
                    "five weeks. The full environmental statement runs to 1,400 pages; "
                    "the non-technical summary, a more manageable 36, is <a "
                    'href="https://example.org/marine-licensing/north-quay-channel">available '
                    "online</a>. The Ledger will publish the marine station's sediment "
                    "analysis as soon as it is released, along with the port's response "
                    "to it.</p>"
                ),
            ),
        ],
    },
    {
        "slug": "city-publishes-first-heatwave-plan",
        "section": "environment",
        "title": "Port Aldmere's first heatwave plan promises cool rooms and shade",
        "standfirst": (
            "Two summers after record temperatures filled the hospital, the city has set "
            "out who does what when the next heat warning comes. Campaigners say it "
            "leaves out the hottest homes."
        ),
        "authors": ["ewan-coldrey", "felix-marrable"],
        "tags": ["climate", "public health", "libraries", "city council"],
        "days_ago": 4,
        "hour": 10,
        "featured": False,
        "lead_image": {
            "title": "Brinefield on a summer afternoon",
            "caption": (
                "The dense inland blocks of Brinefield were among the hottest places in "
                "the city during the last heatwave, according to satellite data."
            ),
            "credit": "Photo: Greta Hollowell/The Harbour Ledger",
            "motif": "skyline",
            "seed": 7724,
        },
        "body": [
            (
                "paragraph",
                (
                    "<p>Port Aldmere has published its first plan for dealing with "
                    "extreme heat, two summers after a week of record temperatures that "
                    "filled the hospital's emergency department and left residents of "
                    "top-floor flats sleeping on their balconies. The plan, approved by "
                    "the council's cabinet on Thursday, sets out what the city will do "
                    "when forecasters issue a heat warning, and who will do it.</p>"
                ),
            ),
            (
                "paragraph",
                (
                    "<p>Its centrepiece is a network of eleven <b>cool rooms</b> in "
                    "libraries, community centres and the old customs house, which will "
                    "stay open until 10pm during heat warnings and offer water, seating "
                    "and somewhere to charge a phone. Staff will be trained to spot the "
                    "signs of heat exhaustion, and each room will have a list of people "
                    "to call if a visitor needs medical help.</p>"
                ),
            ),
            ("heading", "Who is most at risk"),
            (
                "paragraph",
                (
                    "<p>The plan draws on a mapping exercise by the city's public health "
                    "team, which overlaid data on older residents, people living alone "
                    "and poorly ventilated homes onto satellite measurements of surface "
                    "temperature. The hottest streets on a summer afternoon, it found, "
                    "were not near the sea at all but in the dense inland blocks around "
                    "Brinefield and the retail park at Kestrel Cross.</p>"
                ),
            ),
            (
                "quote",
                {
                    "text": (
                        "Heat is a quiet killer. Nobody phones the council to say their "
                        "neighbour is too hot. So we have to know where people are and "
                        "reach them before it becomes an emergency."
                    ),
                    "attribution": "Dr Tobias Lindhurst, director of public health",
                },
            ),
            (
                "paragraph",
                (
                    "<p>During warnings, council staff and volunteers will phone or "
                    'visit about 3,000 residents on a "heat register", most of them '
                    "people who already receive care at home. Residents can add "
                    "themselves or a relative to the register <a "
                    'href="https://example.org/council/heat-register">through a form on '
                    "the council website</a> or by calling the main switchboard.</p>"
                ),
            ),
            (
                "paragraph",
                (
                    "<p>The plan also changes how council services run in the heat. "
                    "Outdoor crews will start earlier and finish by early afternoon, bin "
                    "collections may move to the evening, and day centres will check on "
                    "regular visitors who fail to turn up. Schools will receive guidance "
                    "on moving sports and assemblies indoors or into shade, though "
                    "decisions on closures stay with head teachers.</p>"
                ),
            ),
            ("heading", "What the plan commits to"),
            (
                "list",
                {
                    "ordered": False,
                    "items": [
                        "Eleven cool rooms open until 10pm during heat warnings",
                        "Calls or visits to everyone on the heat register",
                        (
                            "Water refill points at the ferry terminal, Saltmarket and "
                            "the main parks"
                        ),
                        ("1,200 new street trees by 2030, concentrated in the hottest streets"),
                        ("Shade sails over nine school playgrounds before next summer"),
                    ],
                },
            ),
            (
                "image",
                {
                    "title": "Kestrel Hill Park",
                    "caption": (
                        "Parks such as Kestrel Hill were several degrees cooler than the "
                        "surrounding streets during the last heatwave."
                    ),
                    "credit": "Photo: Tamsin Velde/The Harbour Ledger",
                    "motif": "forest",
                    "seed": 3096,
                },
            ),
            (
                "paragraph",
                (
                    "<p>Campaigners welcomed the plan but said it leans heavily on "
                    "short-term measures. The local branch of a tenants' union pointed "
                    "out that the hottest flats are often those with single-glazed "
                    "windows that barely open, and that the plan says little about "
                    "landlords' responsibilities. The city says it is lobbying for "
                    "national rules on overheating in rented homes.</p>"
                ),
            ),
            (
                "paragraph",
                (
                    "<p>The tree-planting target has also drawn questions. The city "
                    "planted 410 street trees last year, and around one in six died "
                    "within twelve months, mostly from drought in their first summer. "
                    "The parks department says new trees will go into larger pits with a "
                    "paid watering contract, and that species have been chosen to cope "
                    "with hotter, drier summers.</p>"
                ),
            ),
        ],
    },
    {
        "slug": "inshore-fishers-challenge-crab-quota-cut",
        "section": "environment",
        "title": "Inshore fishers challenge crab quota cut as stocks fall",
        "standfirst": (
            "Small boats from Port Aldmere and Gullhaven face a 30 per cent cut in their "
            "catch limits. They accept stocks are in trouble, but say larger offshore "
            "boats are not sharing the burden."
        ),
        "authors": ["ewan-coldrey"],
        "tags": ["fishing", "the port", "gullhaven", "small business"],
        "days_ago": 11,
        "hour": 14,
        "featured": False,
        "lead_image": {
            "title": "Crab boats off Gullhaven",
            "caption": (
                "Most of the inshore fleet works static pots within a few miles of the "
                "coast, hauling them by hand or with small winches."
            ),
            "credit": "Photo: Oren Castellane/The Harbour Ledger",
            "motif": "coast",
            "seed": 8275,
        },
        "body": [
            (
                "paragraph",
                (
                    "<p>The small boats that fish for crab and lobster out of Port "
                    "Aldmere and Gullhaven face a 30 per cent cut in their catch limits "
                    "from the spring, after regional regulators concluded that brown "
                    "crab stocks along this stretch of coast have fallen to their lowest "
                    "level in fifteen years. For many skippers, it is the biggest change "
                    "to their livelihoods in a generation.</p>"
                ),
            ),
            (
                "paragraph",
                (
                    "<p>The Aldmere Inshore Fishers' Association, which represents 58 "
                    "boats, has lodged a formal challenge. It accepts that stocks are in "
                    "trouble, but argues that the cut falls almost entirely on small "
                    "boats fishing with pots, while larger vessels working further "
                    "offshore, which land much of the region's crab, are regulated under "
                    "a different regime and face no equivalent reduction.</p>"
                ),
            ),
            ("heading", "Two fleets, two rulebooks"),
            (
                "paragraph",
                (
                    "<p>The split is a quirk of history. Boats under ten metres working "
                    "within six nautical miles of the coast are managed by the regional "
                    "inshore authority; bigger boats fishing further out fall under "
                    "national rules last revised four years ago. The association says "
                    "crab do not respect the line, and that landings data show the "
                    "offshore catch rising even as the inshore catch fell.</p>"
                ),
            ),
            (
                "quote",
                {
                    "text": (
                        "We've fished these grounds for four generations. We're not "
                        "asking to take more. We're asking that everyone who takes crab "
                        "from this coast shares the work of putting it right."
                    ),
                    "attribution": (
                        "Declan Morrow, chair of the Aldmere Inshore Fishers' Association"
                    ),
                },
            ),
            (
                "paragraph",
                (
                    "<p>The regional authority says it can only regulate the boats "
                    "within its remit. Its decision notes that the inshore fleet takes a "
                    "higher proportion of undersized and egg-bearing females, because it "
                    "works the shallow grounds where they gather. Alongside the cut, it "
                    "has raised the minimum landing size and introduced a closed season "
                    "in late summer.</p>"
                ),
            ),
            ("heading", "What the cut means in practice"),
            (
                "list",
                {
                    "ordered": False,
                    "items": [
                        "Weekly limit per pot licence falls from 500kg to 350kg",
                        "Minimum shell width rises by 10mm",
                        "A six-week closed season from mid-August",
                        "A review after two years of new survey data",
                    ],
                },
            ),
            (
                "paragraph",
                (
                    "<p>For skippers like Aoife Trennick, who fishes single-handed from "
                    "the slipway on Gullhaven, the arithmetic is stark. She estimates "
                    "the cut will take about £14,000 off her annual income, before fuel "
                    "and bait. Several younger skippers who took out loans for boats and "
                    "gear in the last five years say they are now wondering whether to "
                    "sell up.</p>"
                ),
            ),
            (
                "image",
                {
                    "title": "The fish quay on a landing day",
                    "caption": (
                        "Crab from the inshore fleet is sold at the fish quay and to "
                        "restaurants across the city."
                    ),
                    "credit": "Photo: Greta Hollowell/The Harbour Ledger",
                    "motif": "market",
                    "seed": 1187,
                },
            ),
            (
                "paragraph",
                (
                    "<p>Marine scientists broadly support the cut. Dr Yusra Keel of the "
                    "Aldmere Marine Station said crab were being squeezed by warming "
                    "waters as well as by fishing, and that early, firm action gave "
                    "stocks the best chance of recovery. But she agreed that rules "
                    'applying only close to shore "would not do the whole job".</p>'
                ),
            ),
            (
                "paragraph",
                (
                    "<p>The association's challenge will be heard by an independent "
                    "panel next month. In the meantime it has written to the city's two "
                    "members of the national parliament, asking them to push for one set "
                    "of rules covering the whole stock, and it is urging restaurants to "
                    "put lesser-known local catches, such as spider crab, on their "
                    "menus.</p>"
                ),
            ),
        ],
    },
    {
        "slug": "kestrel-hill-library-reopens-after-restoration",
        "section": "culture",
        "title": "Kestrel Hill Library reopens after three years and a new roof",
        "standfirst": (
            "A queue stretched down the hill on Saturday as the restored library opened "
            "its doors, with a recording booth, a repair bench and, for the first time, "
            "Sunday hours."
        ),
        "authors": ["priya-santhorne"],
        "tags": ["libraries", "heritage", "arts"],
        "days_ago": 7,
        "hour": 11,
        "featured": False,
        "lead_image": {
            "title": "The reading room at Kestrel Hill Library",
            "caption": (
                "The reading room's oak shelving was repaired by a joinery workshop in "
                "the Ropewalk."
            ),
            "credit": "Photo: Tamsin Velde/The Harbour Ledger",
            "motif": "library",
            "seed": 2564,
        },
        "body": [
            (
                "paragraph",
                (
                    "<p>The doors of Kestrel Hill Library opened again on Saturday "
                    "morning, three years and four months after a section of its plaster "
                    "ceiling fell into the children's corner on a quiet weekday "
                    "afternoon. Nobody was hurt, but the inspection that followed found "
                    "rot in the roof timbers and wiring that dated from the 1950s, and "
                    "the building was closed the same week.</p>"
                ),
            ),
            (
                "paragraph",
                (
                    "<p>By 10am a queue stretched down the hill to the bus stop. Inside, "
                    "visitors found the original reading room restored, its tall windows "
                    "cleaned of decades of grime and its oak shelving repaired. The "
                    "ceiling, now held up by new steel, has been repainted in the pale "
                    "green that restorers found under several layers of cream.</p>"
                ),
            ),
            (
                "paragraph",
                (
                    "<p>The old card catalogue cabinets have been kept as furniture, "
                    "their drawers now full of board games. The lending collection has "
                    "been weeded and refreshed with about 9,000 new titles, and a local "
                    "history shelf gathers the pamphlets, maps and parish magazines that "
                    "volunteers rescued from the damp basement during the closure, some "
                    "of them dried page by page on washing lines.</p>"
                ),
            ),
            ("heading", "More than books"),
            (
                "paragraph",
                (
                    "<p>The restoration cost £3.4 million, around a third more than "
                    "first estimated, with the overrun covered by a heritage grant and a "
                    "fundraising campaign that raised £260,000 from about 4,000 donors. "
                    "Some of the money has gone on things a Victorian librarian would "
                    "not recognise: a recording booth for podcasts, a room of sewing "
                    "machines and a repair bench with tools for fixing small "
                    "appliances.</p>"
                ),
            ),
            (
                "quote",
                {
                    "text": (
                        "When we were closed, people kept telling us what they missed. "
                        "It was rarely the books. It was the warmth, the toilets, the "
                        "Wi-Fi, somebody to help fill in a form. We've tried to design "
                        "for all of that."
                    ),
                    "attribution": "Ruth Amberley, branch librarian",
                },
            ),
            (
                "paragraph",
                (
                    "<p>The library will also be one of the city's new cool rooms during "
                    "summer heat warnings, and its basement has been fitted out as a "
                    "small exhibition space. The first show, running until the end of "
                    "next month, brings together photographs of Kestrel Hill taken by "
                    "residents since the 1960s, many of them lent by families who "
                    "answered an appeal in the Ledger.</p>"
                ),
            ),
            (
                "image",
                {
                    "title": "The children's corner",
                    "caption": (
                        "The children's corner, where the ceiling came down, now has low "
                        "shelves and a reading nook under the restored window."
                    ),
                    "credit": "Photo: Tamsin Velde/The Harbour Ledger",
                    "motif": "library",
                    "seed": 6013,
                },
            ),
            ("heading", "Opening hours and what's on"),
            (
                "list",
                {
                    "ordered": False,
                    "items": [
                        "Monday to Friday: 9am to 8pm",
                        "Saturday: 9am to 5pm",
                        "Sunday: noon to 4pm, a first for the branch",
                        "Repair bench: first Saturday of every month",
                    ],
                },
            ),
            (
                "paragraph",
                (
                    "<p>Sunday opening is a trial, funded for a year from the council's "
                    "libraries budget, which was cut by 8 per cent in the year the "
                    "building closed. Councillor Orla Bexley said the council would look "
                    "at visitor numbers before deciding whether to continue, calling it "
                    '"a small bet on the idea that people want somewhere to go that '
                    "isn't a shop\".</p>"
                ),
            ),
            (
                "paragraph",
                (
                    "<p>For now, the mood on the hill is celebratory. Tilly Marsh, who "
                    "is eight and had never been inside the building before, left with a "
                    "stack of five books about volcanoes and a firm opinion about the "
                    'new ceiling. "It\'s green," she said, looking up from the steps. '
                    '"Green is better."</p>'
                ),
            ),
        ],
    },
    {
        "slug": "harbour-jazz-festival-budget-gap",
        "section": "culture",
        "title": "Harbour Jazz Festival faces £180,000 gap after sponsor pulls out",
        "standfirst": (
            "The festival will go ahead this summer, organisers say, but without new "
            "money the city's biggest cultural event could shrink to half its usual "
            "length."
        ),
        "authors": ["priya-santhorne"],
        "tags": ["arts", "budget", "city council"],
        "days_ago": 3,
        "hour": 18,
        "featured": True,
        "lead_image": {
            "title": "The harbour stage on the festival's opening night",
            "caption": (
                "The free harbour stage on the Eastern Mole draws the festival's biggest "
                "crowds, and costs the most to run."
            ),
            "credit": "Photo: Lior Brackett/The Harbour Ledger",
            "motif": "festival",
            "seed": 7391,
        },
        "body": [
            (
                "paragraph",
                (
                    "<p>The Harbour Jazz Festival, which brings around 30,000 people to "
                    "Port Aldmere's waterfront each July, has a £180,000 hole in its "
                    "budget after its largest sponsor, a regional energy company, ended "
                    "its support with six months' notice. Organisers say the festival "
                    "will go ahead this summer, but that without new money it could "
                    "shrink to half its usual length.</p>"
                ),
            ),
            (
                "paragraph",
                (
                    "<p>The festival began in 1989 as a single night of music in a "
                    "marquee on the Eastern Mole and has grown into ten days of free and "
                    "ticketed concerts across twelve venues, from the harbour stage to "
                    "church halls and the upstairs rooms of pubs. Its organisers "
                    "estimate it brings £2.1 million into the local economy, mostly "
                    "through hotels, restaurants and bars.</p>"
                ),
            ),
            ("heading", "Where the money comes from"),
            (
                "paragraph",
                (
                    "<p>Like many festivals of its size, it relies on a patchwork of "
                    "income. Ticket sales cover about 40 per cent of its costs; the rest "
                    "comes from sponsorship, a city council grant, a national arts award "
                    'and a bar that has become, in the words of one board member, "the '
                    'most reliable musician on the bill". The departing sponsor provided '
                    "roughly a fifth of the total.</p>"
                ),
            ),
            (
                "list",
                {
                    "ordered": False,
                    "items": [
                        "Ticket sales: about 40 per cent",
                        "Sponsorship: about 25 per cent, falling to 5 next year",
                        "City council grant: 15 per cent",
                        "National arts award: 12 per cent",
                        "Bar and merchandise: 8 per cent",
                    ],
                },
            ),
            (
                "quote",
                {
                    "text": (
                        "The free stage on the harbour is the heart of this festival. "
                        "It's where a teenager hears a trumpet played properly for the "
                        "first time. That's the last thing we'd cut, and it's also the "
                        "most expensive thing we do."
                    ),
                    "attribution": "Cass Delaunay, festival director",
                },
            ),
            ("heading", "Asking the city for more"),
            (
                "paragraph",
                (
                    "<p>The festival has asked the council to double its grant for one "
                    "year while it looks for new sponsors. The request arrives at a "
                    "difficult moment: the city is trying to close its own budget gap, "
                    "and has this winter raised ferry fares and trimmed library hours. "
                    'Councillor Orla Bexley said it would be considered "on its merits" '
                    "alongside other bids to the culture fund.</p>"
                ),
            ),
            (
                "paragraph",
                (
                    "<p>Some musicians have offered to help. A group of local bands has "
                    "proposed a run of fundraising gigs in the spring, and the festival "
                    "has launched a <a "
                    'href="https://example.org/harbour-jazz/friends">friends scheme</a> '
                    'that offers early booking and a name on the "wall of swing" beside '
                    "the harbour stage for £40 a year. Within a week, more than 600 "
                    "people had signed up.</p>"
                ),
            ),
            (
                "paragraph",
                (
                    "<p>Others argue the festival should rethink its model. Olu "
                    "Brannigan, who runs a small venue in the Ropewalk, said the big "
                    "names on the harbour stage draw crowds but leave little money for "
                    'local acts. "If it has to shrink, let it shrink towards the city," '
                    'he said. "More small gigs, more local players, fewer expensive '
                    'flights."</p>'
                ),
            ),
            (
                "paragraph",
                (
                    "<p>The board will decide on the shape of this year's programme in "
                    "March, once it knows whether the council will help. Tickets for the "
                    "opening weekend, which is already paid for, go on sale next month, "
                    "and the festival says the free harbour stage will run on all three "
                    "of its nights whatever happens.</p>"
                ),
            ),
        ],
    },
    {
        "slug": "old-net-loft-to-become-artists-studios",
        "section": "culture",
        "title": "Old net loft on the Eastern Mole to become artists' studios",
        "standfirst": (
            "Empty since its last net-maker retired, the tarred timber shed at the end "
            "of the breakwater has been leased to a co-operative of painters, "
            "printmakers and a boatbuilder."
        ),
        "authors": ["priya-santhorne"],
        "tags": ["arts", "co-operatives", "the port", "heritage"],
        "days_ago": 15,
        "hour": 15,
        "featured": False,
        "lead_image": {
            "title": "The net loft at the end of the Eastern Mole",
            "caption": (
                "The net loft has stood empty for more than fifteen years, losing slates "
                "to the winter gales."
            ),
            "credit": "Photo: Oren Castellane/The Harbour Ledger",
            "motif": "harbour",
            "seed": 5840,
        },
        "body": [
            (
                "paragraph",
                (
                    "<p>For ninety years the long timber shed at the end of the Eastern "
                    "Mole was where the harbour's fishing nets were hung, mended and "
                    "tarred. It has stood empty since the last net-maker retired, slowly "
                    "losing slates to the winter gales. Now the port authority has "
                    "agreed to lease it for 25 years to a co-operative of artists, who "
                    "plan to turn it into studios.</p>"
                ),
            ),
            (
                "paragraph",
                (
                    "<p>The Net Loft Co-operative, formed last year by a group of "
                    "painters, printmakers, a ceramicist and a boatbuilder, will pay a "
                    "nominal rent in return for restoring the building. Its members have "
                    "raised £420,000 towards a £700,000 restoration and will apply to a "
                    "national heritage fund for the rest. Work on the roof is due to "
                    "start in the spring.</p>"
                ),
            ),
            ("heading", "Keeping the building honest"),
            (
                "paragraph",
                (
                    "<p>The co-op's architect, Maren Tolley, said the aim was to change "
                    "as little as possible. The tar-blackened walls will stay, as will "
                    "the wooden pulleys once used to haul wet nets up to the drying "
                    "floor. Insulation will go on the inside, behind removable panels, "
                    "and the large north-facing doors will be glazed to give the studios "
                    "the even light that painters prize.</p>"
                ),
            ),
            (
                "quote",
                {
                    "text": (
                        "The building was made for slow, skilled work with your hands. "
                        "That's exactly what's going to happen in it again. We just "
                        "won't smell quite so strongly of tar."
                    ),
                    "attribution": "Joaquim Rell, printmaker and co-op member",
                },
            ),
            (
                "paragraph",
                (
                    "<p>The plans include twelve studios, a shared print workshop and a "
                    "ground-floor gallery that will be open to the public at weekends. "
                    "The co-op has also promised to keep a bay for working boats: its "
                    "boatbuilder member will restore traditional wooden dinghies there "
                    "and run weekend courses for young people from the harbour "
                    "neighbourhoods.</p>"
                ),
            ),
            (
                "paragraph",
                (
                    "<p>The restoration must also deal with the weather. The Mole takes "
                    "the full force of easterly gales, and surveyors found that the "
                    "loft's timber frame had shifted several centimetres over the "
                    "decades. Rather than rebuild it, the co-op's engineers plan to tie "
                    "the frame to new concrete pads, a method they say will preserve the "
                    "building's slight lean, which many locals regard as part of its "
                    "charm.</p>"
                ),
            ),
            ("heading", "What's planned"),
            (
                "list",
                {
                    "ordered": False,
                    "items": [
                        "Twelve artists' studios at below-market rents",
                        "A shared print workshop with evening classes",
                        "A weekend gallery and café on the ground floor",
                        "A boatbuilding bay for restoring wooden dinghies",
                    ],
                },
            ),
            (
                "paragraph",
                (
                    "<p>Not everyone on the Mole is delighted. Some of the remaining "
                    "fishing families worry about losing parking and space to mend gear "
                    "on the quay, and about crowds of visitors on what is still a "
                    "working harbour wall. The port authority says the lease protects "
                    "access for fishing boats and that visitors will not be allowed "
                    "beyond the loft itself.</p>"
                ),
            ),
            (
                "paragraph",
                (
                    "<p>Studio rents will be set at about half the market rate for "
                    "comparable space in the city, with two studios reserved for artists "
                    "in their first five years of practice. Applications open in the "
                    "summer. Until then, the co-op is holding open days on the first "
                    "Sunday of each month, weather permitting, so residents can see "
                    "inside before the builders arrive.</p>"
                ),
            ),
        ],
    },
]
