"""Demo reader discussions for The Harbour Ledger's articles.

Data and plain Python, no Django imports: the demo loader turns it into threads, comments and
votes under the articles defined in ``masthead.publishing.demo.content.ARTICLES`` (and the data
files next to it). Every reader, name and opinion here is invented.

Besides the hand-written ``DISCUSSIONS`` below, the data files in ``demo_data/`` hold the demo's
reader accounts, the comments under the Russian and Arabic translations, and the pieces of a long
debate that ``debate_comments`` assembles into a thread of a few hundred comments.

``READERS`` lists the fictional guest readers who comment: a stable ``key``, a display ``name``
and an ``email`` at example.org.

``DISCUSSIONS`` maps an article ``slug`` to its comments. They are grouped by conversation, so
times are not in list order, but a reply always comes after the comment it answers. Each
comment is a dict with:

- ``ref``: an identifier unique within the article (``"c1"``, ``"c2"``, ...);
- ``reader``: the ``key`` of one of ``READERS``;
- ``minutes_after``: when it was posted, in minutes after the article's publication (always
  less than three days, and later than the comment it replies to);
- ``text``: the comment as written, in light Markdown (emphasis, bold, links, quotes, code);
- ``parent``: ``None`` for a top-level comment, or the ``ref`` of an earlier comment of the
  same article that this one replies to (replies nest to any depth);
- ``votes``: ``[upvotes, downvotes]`` cast by other readers;
- ``feedback``: ``None``, or ``{"quote": ...}`` for inline feedback on a passage, where the
  quote is an exact substring of one paragraph of the article's body with its HTML tags
  stripped and entities unescaped. Feedback comments are always top-level.
"""

import json
import random
import re
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "demo_data"

READERS = [
    {"key": "marta", "name": "Marta Olsen", "email": "marta@example.org"},
    {"key": "rhys", "name": "Rhys Calloway", "email": "rhys@example.org"},
    {"key": "moira", "name": "Moira Treadwell", "email": "moira@example.org"},
    {"key": "tomasz", "name": "Tomasz Wren", "email": "tomasz@example.org"},
    {"key": "gil", "name": "Gil Farquharson", "email": "gil@example.org"},
    {"key": "hana", "name": "Hana Lisle", "email": "hana@example.org"},
    {"key": "dougal", "name": "Dougal Penhallow", "email": "dougal@example.org"},
    {"key": "wes", "name": "Wes Hartigan", "email": "wes@example.org"},
    {"key": "kit", "name": "Kit Sandoval", "email": "kit@example.org"},
    {"key": "bea", "name": "Beatrix Moorcroft", "email": "bea@example.org"},
    {"key": "jonah", "name": "Jonah Pell", "email": "jonah@example.org"},
    {"key": "sunita", "name": "Sunita Vale", "email": "sunita@example.org"},
    {"key": "odile", "name": "Odile Brannock", "email": "odile@example.org"},
    {"key": "ada", "name": "Ada Quennell", "email": "ada@example.org"},
    {"key": "lark", "name": "Lark Emmerson", "email": "lark@example.org"},
]

DISCUSSIONS = {
    "council-backs-ferry-fare-rise-gullhaven": [
        {
            "ref": "c1",
            "reader": "marta",
            "minutes_after": 14,
            "text": (
                "I'm on the 6.15 most days for my shifts at the hospital. Another £13 a month "
                "doesn't sound like much until you add it to everything else that went up this "
                "year. What stings is that the phasing amendment failed by the same single "
                "vote. **Phasing would have cost the city almost nothing.**"
            ),
            "parent": None,
            "votes": [19, 2],
            "feedback": None,
        },
        {
            "ref": "c2",
            "reader": "rhys",
            "minutes_after": 41,
            "text": (
                "Genuine question, not trying to wind anyone up: who should pay the £1.9m if "
                "not the people who use the boat? I run a shop on the mainland and nobody "
                "subsidises my van."
            ),
            "parent": "c1",
            "votes": [7, 11],
            "feedback": None,
        },
        {
            "ref": "c3",
            "reader": "marta",
            "minutes_after": 58,
            "text": (
                "Nobody charges you a toll to drive your van to the shop, though. That's "
                "exactly Maud's point in the piece:\n\n"
                "> It's our road.\n\n"
                "Roads are paid for by everyone because everyone needs them. For two "
                "thousand-odd people, the ferry *is* the road."
            ),
            "parent": "c2",
            "votes": [16, 3],
            "feedback": None,
        },
        {
            "ref": "c4",
            "reader": "rhys",
            "minutes_after": 77,
            "text": (
                "Fair, but roads don't need diesel and a crew every sailing. I'm not saying "
                "islanders should carry it all. I'm saying 14% isn't outrageous when fuel went "
                "up by more than that. Would you rather they cut the early boat?"
            ),
            "parent": "c3",
            "votes": [6, 8],
            "feedback": None,
        },
        {
            "ref": "c5",
            "reader": "tomasz",
            "minutes_after": 103,
            "text": (
                "Cutting the early boat would mean my sister's kids miss first period every "
                "single day, so no. But it was never just 14% or no early boat. The amendment "
                "offered a third way and it lost by one vote."
            ),
            "parent": "c4",
            "votes": [12, 1],
            "feedback": None,
        },
        {
            "ref": "c6",
            "reader": "moira",
            "minutes_after": 131,
            "text": (
                "Worth knowing for anyone following this: any five councillors can call a "
                "decision in for scrutiny within five working days of the meeting. It has been "
                "done before, on parking charges, and the decision was changed."
            ),
            "parent": "c5",
            "votes": [9, 0],
            "feedback": None,
        },
        {
            "ref": "c7",
            "reader": "gil",
            "minutes_after": 160,
            "text": (
                "Five working days on the council's calendar is roughly three weeks on a human one."
            ),
            "parent": "c6",
            "votes": [14, 2],
            "feedback": None,
        },
        {
            "ref": "c8",
            "reader": "hana",
            "minutes_after": 49,
            "text": (
                "This is the number I'd like explained. £410,000 a year for *shared* harbour "
                "costs: shared with whom, and calculated how? If the ferry pays for a slice of "
                "harbour that the port also uses, part of the deficit is an accounting choice, "
                "not a fact of nature. Glad the scrutiny panel is going to ask."
            ),
            "parent": None,
            "votes": [22, 0],
            "feedback": {
                "quote": (
                    "in particular the £410,000 charged to the service each year for shared "
                    "harbour costs"
                ),
            },
        },
        {
            "ref": "c9",
            "reader": "dougal",
            "minutes_after": 95,
            "text": (
                "Local knowledge, for what it's worth: I was a pilot in this harbour for "
                'twenty-odd years. "Shared harbour costs" has always meant dredging the '
                "ferry berths, the lights on the Narrows and a share of the harbour master's "
                "office. The berths genuinely need dredging. Whether the ferry should pay for "
                "navigation lights that every ship uses is another matter."
            ),
            "parent": "c8",
            "votes": [18, 0],
            "feedback": None,
        },
        {
            "ref": "c10",
            "reader": "hana",
            "minutes_after": 128,
            "text": (
                "That's really useful, thank you. So some of it is real and some of it is the "
                "ferry paying for everyone's lights. Would love the Ledger to get the "
                "line-by-line breakdown."
            ),
            "parent": "c9",
            "votes": [8, 0],
            "feedback": None,
        },
        {
            "ref": "c11",
            "reader": "wes",
            "minutes_after": 66,
            "text": (
                "Gullhaven house prices have gone up by a third in five years because "
                "mainlanders want the sea views. I'm sympathetic to the commuters, but plenty "
                "of island residents are doing perfectly well."
            ),
            "parent": None,
            "votes": [4, 13],
            "feedback": None,
        },
        {
            "ref": "c12",
            "reader": "marta",
            "minutes_after": 88,
            "text": (
                "Some are. The care workers and fishermen on my road aren't, and they're the "
                "ones on the 6.15. The weekenders come over on a Friday with the car and go "
                "back on Sunday. So why not charge cars more and foot passengers less?"
            ),
            "parent": "c11",
            "votes": [15, 1],
            "feedback": None,
        },
        {
            "ref": "c13",
            "reader": "kit",
            "minutes_after": 115,
            "text": (
                "This. Look at the table: car and driver goes from £18.50 to £21, which is "
                "about 13.5%. The adult return goes up 14.1%. Small difference, but it's the "
                "wrong way round."
            ),
            "parent": "c12",
            "votes": [11, 0],
            "feedback": None,
        },
        {
            "ref": "c14",
            "reader": "rhys",
            "minutes_after": 139,
            "text": (
                "OK, that one I agree with. If the point is to protect commuters, put more of "
                "it on vehicles. And I say that as a man with a van."
            ),
            "parent": "c13",
            "votes": [13, 0],
            "feedback": None,
        },
        {
            "ref": "c15",
            "reader": "gil",
            "minutes_after": 151,
            "text": (
                "Screenshotting this. Rhys and Marta agreeing on something is a first for "
                "these comments."
            ),
            "parent": "c14",
            "votes": [17, 0],
            "feedback": None,
        },
        {
            "ref": "c16",
            "reader": "bea",
            "minutes_after": 180,
            "text": (
                "This is the detail that stayed with me. People crossed the water to speak and "
                "then had to leave before the vote because the last boat waits for no one. "
                "Could items that affect the island be taken first on the agenda? It's hardly "
                "a radical idea."
            ),
            "parent": None,
            "votes": [20, 1],
            "feedback": {
                "quote": (
                    "many left the chamber before the result was read out, saying they could not "
                    "risk missing the last sailing home"
                ),
            },
        },
        {
            "ref": "c17",
            "reader": "moira",
            "minutes_after": 214,
            "text": (
                "Standing orders let the chair move an item up the agenda at the start of the "
                "meeting. It is entirely in their gift. Ferry fares were item 11 of 13."
            ),
            "parent": "c16",
            "votes": [10, 0],
            "feedback": None,
        },
        {
            "ref": "c18",
            "reader": "dougal",
            "minutes_after": 236,
            "text": (
                "And the crews would run a late relief sailing if asked. They did it for the "
                "jazz festival for years."
            ),
            "parent": "c16",
            "votes": [7, 0],
            "feedback": None,
        },
        {
            "ref": "c19",
            "reader": "tomasz",
            "minutes_after": 250,
            "text": (
                "What do I think? That the refit on the *Marram* was long-delayed because it "
                "kept being pushed into next year's budget to save money, and now the bill has "
                "landed on the fares. Put off maintenance, pay more later. Any boat owner on "
                "the island could have told them."
            ),
            "parent": None,
            "votes": [14, 3],
            "feedback": {
                "quote": (
                    "the ferry service is running a deficit of £1.9 million this year, driven by "
                    "fuel costs, a long-delayed engine refit on the Marram"
                ),
            },
        },
        {
            "ref": "c20",
            "reader": "jonah",
            "minutes_after": 290,
            "text": (
                "Same story at the port. Deferred maintenance is the most expensive kind there is."
            ),
            "parent": "c19",
            "votes": [5, 0],
            "feedback": None,
        },
        {
            "ref": "c21",
            "reader": "rhys",
            "minutes_after": 300,
            "text": (
                "Agree on the refit. Disagree that anyone did it on purpose; it's just a "
                "council that never has enough money for the dull stuff."
            ),
            "parent": "c19",
            "votes": [3, 4],
            "feedback": None,
        },
        {
            "ref": "c22",
            "reader": "tomasz",
            "minutes_after": 330,
            "text": (
                "Didn't say on purpose. Said bad decisions. We can agree the dull stuff matters."
            ),
            "parent": "c21",
            "votes": [6, 0],
            "feedback": None,
        },
        {
            "ref": "c23",
            "reader": "kit",
            "minutes_after": 420,
            "text": (
                "Does anyone know if the scrutiny panel meets in public? I'd happily take the "
                "afternoon off to go."
            ),
            "parent": None,
            "votes": [3, 0],
            "feedback": None,
        },
        {
            "ref": "c24",
            "reader": "moira",
            "minutes_after": 445,
            "text": (
                "Yes, in committee room 2. You can ask to speak if you email the clerk two "
                "working days ahead. The address is in the [panel's "
                "papers](https://example.org/council/scrutiny-panel)."
            ),
            "parent": "c23",
            "votes": [9, 0],
            "feedback": None,
        },
        {
            "ref": "c25",
            "reader": "gil",
            "minutes_after": 520,
            "text": (
                "Ferry fares up 14%, and the heating in the council chamber switches itself "
                "off at ten. At least *something* in this city is saving money."
            ),
            "parent": None,
            "votes": [21, 4],
            "feedback": None,
        },
    ],
    "ropewalk-court-tenants-vote-to-buy-their-building": [
        {
            "ref": "c1",
            "reader": "sunita",
            "minutes_after": 25,
            "text": (
                "I live on the second floor of Ropewalk Court. Eighteen months of laundry-room "
                "meetings is accurate, and some of them lasted longer than a spin cycle. "
                "Strange to see our building in the news. Thanks for getting the numbers right."
            ),
            "parent": None,
            "votes": [12, 0],
            "feedback": None,
        },
        {
            "ref": "c2",
            "reader": "bea",
            "minutes_after": 70,
            "text": (
                "Good luck to you all. Is there a way for outsiders to help, apart from the "
                "share offer?"
            ),
            "parent": "c1",
            "votes": [4, 0],
            "feedback": None,
        },
        {
            "ref": "c3",
            "reader": "sunita",
            "minutes_after": 110,
            "text": (
                "The share offer is the big one (minimum £50). We also need people who know "
                "surveying, bookkeeping or managing contractors to advise the board. Details "
                "are on [our page](https://example.org/ropewalk-coop/help)."
            ),
            "parent": "c2",
            "votes": [9, 0],
            "feedback": None,
        },
        {
            "ref": "c4",
            "reader": "wes",
            "minutes_after": 95,
            "text": (
                "I own two flats in the Ropewalk, so I'll declare an interest. I hope this "
                "works, but I'm sceptical. £700,000 is the *survey* figure for repairs. "
                "Repairs always cost more once you open up a roof. Who pays the difference? "
                "The members, through the monthly charge."
            ),
            "parent": None,
            "votes": [8, 6],
            "feedback": None,
        },
        {
            "ref": "c5",
            "reader": "hana",
            "minutes_after": 140,
            "text": (
                "The summary of the business plan has a 15% contingency on the repair budget. "
                "Not huge, but not nothing."
            ),
            "parent": "c4",
            "votes": [6, 1],
            "feedback": None,
        },
        {
            "ref": "c6",
            "reader": "wes",
            "minutes_after": 175,
            "text": (
                "15% on a 1970s flat roof is optimistic. I've been through one. Happy to be "
                "proved wrong."
            ),
            "parent": "c5",
            "votes": [5, 2],
            "feedback": None,
        },
        {
            "ref": "c7",
            "reader": "sunita",
            "minutes_after": 220,
            "text": (
                "You might be right, honestly. But the alternative is a new owner who does the "
                "same repairs and puts the rent up by far more than 15%. This way the risk "
                "sits with the people who live with the result."
            ),
            "parent": "c6",
            "votes": [14, 1],
            "feedback": None,
        },
        {
            "ref": "c8",
            "reader": "rhys",
            "minutes_after": 300,
            "text": (
                "That's the bit I can get behind, actually. Owners taking responsibility for "
                "their own building. Which is more or less what I've always said about home "
                "ownership, just with more meetings."
            ),
            "parent": "c7",
            "votes": [10, 2],
            "feedback": None,
        },
        {
            "ref": "c9",
            "reader": "gil",
            "minutes_after": 330,
            "text": (
                "*Just with more meetings* should be printed on every co-op's share certificate."
            ),
            "parent": "c8",
            "votes": [15, 0],
            "feedback": None,
        },
        {
            "ref": "c10",
            "reader": "kit",
            "minutes_after": 160,
            "text": (
                "Lending £1.2m so that 46 households get secure, cheaper homes is a bargain "
                "compared with the housing benefit the city pays private landlords every year. "
                "More of this, please."
            ),
            "parent": None,
            "votes": [9, 7],
            "feedback": None,
        },
        {
            "ref": "c11",
            "reader": "rhys",
            "minutes_after": 205,
            "text": (
                "And if it goes wrong, taxpayers eat the loss. The committee chair is right to "
                "be careful: it would be the fund's largest single commitment, all on one "
                "building."
            ),
            "parent": "c10",
            "votes": [7, 5],
            "feedback": None,
        },
        {
            "ref": "c12",
            "reader": "moira",
            "minutes_after": 260,
            "text": (
                "A small correction: land fund loans are secured, so if the co-op failed the "
                "city would have a claim on the building. It's a loan, not a grant. Whether "
                "the building would cover it is the real question, and that's what the "
                "officers' report should answer."
            ),
            "parent": "c11",
            "votes": [11, 0],
            "feedback": None,
        },
        {
            "ref": "c13",
            "reader": "kit",
            "minutes_after": 290,
            "text": (
                "Thanks, I didn't know it was secured. That makes the risk argument a lot weaker."
            ),
            "parent": "c12",
            "votes": [4, 0],
            "feedback": None,
        },
        {
            "ref": "c21",
            "reader": "odile",
            "minutes_after": 245,
            "text": (
                "Whichever side of the money argument you're on, that's 46 households who "
                "won't get a notice to quit from whoever buys the building next. That has a "
                "value too, even if it never shows up in a budget."
            ),
            "parent": "c10",
            "votes": [8, 3],
            "feedback": None,
        },
        {
            "ref": "c14",
            "reader": "odile",
            "minutes_after": 380,
            "text": (
                "The board cable-tied to the railings is such a perfect detail. We found out "
                "our corner shop was being sold exactly the same way. Nobody tells you "
                "anything; a sign just appears."
            ),
            "parent": None,
            "votes": [13, 0],
            "feedback": {
                "quote": (
                    "residents learned about it from an estate agent's board cable-tied to the "
                    "railings"
                ),
            },
        },
        {
            "ref": "c15",
            "reader": "dougal",
            "minutes_after": 420,
            "text": (
                "That's how the old chandlery on the quay went too. A board on the Tuesday, "
                "skips on the Friday."
            ),
            "parent": "c14",
            "votes": [6, 0],
            "feedback": None,
        },
        {
            "ref": "c16",
            "reader": "ada",
            "minutes_after": 600,
            "text": (
                'What do I think about this? "Slow but at least paid" is exactly the worry. '
                "Volunteer boards burn out. My allotment society took eight years to find a "
                "treasurer. I'd want the co-op to budget for a paid part-time manager from day "
                "one."
            ),
            "parent": None,
            "votes": [16, 1],
            "feedback": {
                "quote": (
                    "work currently done by a managing agent the tenants describe as slow but at "
                    "least paid"
                ),
            },
        },
        {
            "ref": "c17",
            "reader": "sunita",
            "minutes_after": 680,
            "text": (
                "We have! It's in the plan as a two-day-a-week post paid from the monthly "
                "charge. The volunteers are for the board, not for chasing the lift engineer "
                "at nine at night."
            ),
            "parent": "c16",
            "votes": [11, 0],
            "feedback": None,
        },
        {
            "ref": "c18",
            "reader": "ada",
            "minutes_after": 730,
            "text": "Then I'm much happier. I might buy a share.",
            "parent": "c17",
            "votes": [5, 0],
            "feedback": None,
        },
        {
            "ref": "c19",
            "reader": "bea",
            "minutes_after": 1500,
            "text": (
                "Pedantic note: the article calls it the largest housing co-op in the region. "
                "Isn't the Brinehouse almshouse trust in the old town bigger? It may not count "
                "as a co-op, but it might deserve a footnote."
            ),
            "parent": None,
            "votes": [2, 3],
            "feedback": None,
        },
        {
            "ref": "c20",
            "reader": "hana",
            "minutes_after": 1560,
            "text": (
                "The almshouse trust is a charity run by appointed trustees, so the residents "
                "don't own or control it. I think the Ledger's wording holds, but it was a "
                "fair thing to check."
            ),
            "parent": "c19",
            "votes": [6, 0],
            "feedback": None,
        },
    ],
    "harbour-dredging-plan-threatens-seagrass-meadow": [
        {
            "ref": "c1",
            "reader": "kit",
            "minutes_after": 20,
            "text": (
                "38 hectares of seagrass that stores carbon, protects houses on Gullhaven and "
                "raises the fish the boats depend on. And we're weighing that against "
                "container ships being able to arrive at low tide."
            ),
            "parent": None,
            "votes": [14, 6],
            "feedback": None,
        },
        {
            "ref": "c2",
            "reader": "jonah",
            "minutes_after": 55,
            "text": (
                "I work on North Quay. The ships are getting bigger whether we dredge or not. "
                "If they can't get in here they go to the next port along, and a lot of jobs "
                "on the quay go with them. That's not nothing either."
            ),
            "parent": "c1",
            "votes": [13, 4],
            "feedback": None,
        },
        {
            "ref": "c3",
            "reader": "kit",
            "minutes_after": 80,
            "text": (
                "I'm not saying jobs don't matter. I'm saying the port's own assessment is the "
                "only sediment model anyone has seen. Let an independent team check it. If it "
                "holds up, fine."
            ),
            "parent": "c2",
            "votes": [11, 1],
            "feedback": None,
        },
        {
            "ref": "c4",
            "reader": "jonah",
            "minutes_after": 120,
            "text": (
                "That I'd agree with. Nobody on the quay wants to work for the port that "
                "killed the oysters. Half of us go out fishing on our days off."
            ),
            "parent": "c3",
            "votes": [12, 0],
            "feedback": None,
        },
        {
            "ref": "c5",
            "reader": "dougal",
            "minutes_after": 165,
            "text": (
                "Forty years on this water, so here's what I know: the plume from the last "
                "maintenance dredge reached Kestrel Point on a spring ebb. We watched it from "
                "the pilot boat. Silt curtains work in a dock. They do not work in the Narrows "
                "with three knots of tide running."
            ),
            "parent": "c4",
            "votes": [23, 0],
            "feedback": None,
        },
        {
            "ref": "c6",
            "reader": "hana",
            "minutes_after": 200,
            "text": (
                "That's a remarkable observation. Did anyone photograph it? If there are dated "
                "pictures, the marine station would surely want them."
            ),
            "parent": "c5",
            "votes": [8, 0],
            "feedback": None,
        },
        {
            "ref": "c7",
            "reader": "dougal",
            "minutes_after": 260,
            "text": "I'll dig out my logbooks. The harbour office may have a few photos as well.",
            "parent": "c6",
            "votes": [6, 0],
            "feedback": None,
        },
        {
            "ref": "c8",
            "reader": "tomasz",
            "minutes_after": 300,
            "text": (
                "My uncle took photos from his crab boat that winter. I'll ask him to send "
                "them over."
            ),
            "parent": "c7",
            "votes": [4, 0],
            "feedback": None,
        },
        {
            "ref": "c9",
            "reader": "rhys",
            "minutes_after": 140,
            "text": (
                "This is the argument I find most persuasive and it gets one sentence. Ships "
                "idling at anchor for hours burn fuel and pollute. If a deeper channel cuts "
                "that, it should be counted alongside the carbon in the seagrass."
            ),
            "parent": None,
            "votes": [7, 5],
            "feedback": {
                "quote": (
                    "A spokesperson added that a deeper channel would mean fewer ships waiting at "
                    "anchor off the coast, cutting emissions."
                ),
            },
        },
        {
            "ref": "c10",
            "reader": "kit",
            "minutes_after": 190,
            "text": (
                "Fair to count it. But then the port has to show its number. A meadow that "
                "stores carbon for decades against ships waiting a few hours less: I'd want to "
                "see both on the same page."
            ),
            "parent": "c9",
            "votes": [9, 1],
            "feedback": None,
        },
        {
            "ref": "c11",
            "reader": "hana",
            "minutes_after": 240,
            "text": (
                "Agreed, and it's a sum someone can actually do. Fuel burn at anchor is well "
                "documented, and so is carbon per hectare of seagrass. Ledger, could you ask "
                "the port for its figure?"
            ),
            "parent": "c10",
            "votes": [10, 0],
            "feedback": None,
        },
        {
            "ref": "c12",
            "reader": "marta",
            "minutes_after": 95,
            "text": (
                "What do I think? That timing is everything. The port says it will only dredge "
                "between October and February, which on paper avoids late spring. But sediment "
                "doesn't stop drifting the day the dredger leaves. I'd like the hard stop the "
                "scientists are asking for written into the licence itself."
            ),
            "parent": None,
            "votes": [17, 0],
            "feedback": {
                "quote": (
                    "even a few weeks of cloudy water in late spring, when the plants grow "
                    "fastest, can set a meadow back for years"
                ),
            },
        },
        {
            "ref": "c13",
            "reader": "moira",
            "minutes_after": 150,
            "text": (
                "The licensing board can attach conditions like that. It did for the cable "
                "landing at Kestrel Point, and the works were stopped twice when the water got "
                "too murky."
            ),
            "parent": "c12",
            "votes": [12, 0],
            "feedback": None,
        },
        {
            "ref": "c14",
            "reader": "gil",
            "minutes_after": 310,
            "text": (
                "Seahorses. In *our* harbour. I've lived here forty years and assumed the most "
                "exotic thing in that water was a shopping trolley."
            ),
            "parent": None,
            "votes": [24, 1],
            "feedback": None,
        },
        {
            "ref": "c15",
            "reader": "bea",
            "minutes_after": 340,
            "text": (
                "There were seahorses off the Gullhaven slip when I was a girl. We were told "
                "not to touch them, so naturally we tried."
            ),
            "parent": "c14",
            "votes": [10, 0],
            "feedback": None,
        },
        {
            "ref": "c16",
            "reader": "tomasz",
            "minutes_after": 360,
            "text": "They're still there if you know where to look. Not telling you where.",
            "parent": "c14",
            "votes": [16, 0],
            "feedback": None,
        },
        {
            "ref": "c17",
            "reader": "wes",
            "minutes_after": 500,
            "text": (
                "A 1,400-page environmental statement and a 36-page summary. I'd bet the "
                "port's lawyers are the only people who've read the full thing."
            ),
            "parent": None,
            "votes": [6, 2],
            "feedback": None,
        },
        {
            "ref": "c18",
            "reader": "hana",
            "minutes_after": 560,
            "text": (
                "I'm on page 412. Appendix F has the sediment model, and the key assumption is "
                "in table F.7: `settling velocity 0.5 mm/s`. The marine station says the fine "
                "fraction settles far more slowly than that. If they're right, everything "
                "after that table changes."
            ),
            "parent": "c17",
            "votes": [19, 0],
            "feedback": None,
        },
        {
            "ref": "c19",
            "reader": "wes",
            "minutes_after": 610,
            "text": "I stand corrected, and slightly in awe.",
            "parent": "c18",
            "votes": [11, 0],
            "feedback": None,
        },
        {
            "ref": "c20",
            "reader": "jonah",
            "minutes_after": 900,
            "text": (
                "For balance: the port has done decent things too. It paid for the oyster "
                "survey that found the native population in the first place. Doesn't mean it's "
                "right this time, but it isn't a cartoon villain."
            ),
            "parent": None,
            "votes": [8, 3],
            "feedback": None,
        },
        {
            "ref": "c21",
            "reader": "kit",
            "minutes_after": 960,
            "text": (
                "That's fair. I'd just rather the next survey was paid for by someone without "
                "a dredging application in front of the board."
            ),
            "parent": "c20",
            "votes": [5, 2],
            "feedback": None,
        },
        {
            "ref": "c22",
            "reader": "ada",
            "minutes_after": 1300,
            "text": (
                "How do you actually send a comment to the licensing board? The summary link "
                "works but I can't find a form anywhere."
            ),
            "parent": None,
            "votes": [2, 0],
            "feedback": None,
        },
        {
            "ref": "c23",
            "reader": "moira",
            "minutes_after": 1340,
            "text": (
                'It\'s at the bottom of the consultation page, under "Respond". Quote the '
                "application reference from the front of the summary. You have five weeks, but "
                "don't leave it to the last day."
            ),
            "parent": "c22",
            "votes": [7, 0],
            "feedback": None,
        },
    ],
    "saltmarket-traders-resist-plan-to-move-saturday-market": [
        {
            "ref": "c1",
            "reader": "ada",
            "minutes_after": 30,
            "text": (
                "I've had the flower pitch by the bell tower for fifteen years. The car park "
                "is fine for parking cars. It is miserable for standing in from six in the "
                "morning, with no shelter from the wind off the harbour."
            ),
            "parent": None,
            "votes": [15, 0],
            "feedback": None,
        },
        {
            "ref": "c2",
            "reader": "rhys",
            "minutes_after": 90,
            "text": (
                "I'm usually the one grumbling about council spending, but the drainage "
                "genuinely needs fixing. I've seen your lower stalls under water. Eighteen "
                "months in a car park seems the lesser evil."
            ),
            "parent": "c1",
            "votes": [5, 4],
            "feedback": None,
        },
        {
            "ref": "c3",
            "reader": "ada",
            "minutes_after": 130,
            "text": (
                "Nobody is arguing against fixing the drainage. We're asking for half the "
                "square to stay open while they do it. That's all."
            ),
            "parent": "c2",
            "votes": [11, 0],
            "feedback": None,
        },
        {
            "ref": "c4",
            "reader": "dougal",
            "minutes_after": 200,
            "text": (
                'I remember that move. The fish market went "temporarily" to a shed on the '
                "north side and the quay building was sold within three years. The traders are "
                "right to want it in writing. Memories are long down here, and so are leases."
            ),
            "parent": None,
            "votes": [19, 0],
            "feedback": {
                "quote": (
                    "When the fish market was moved off the quay in the 1980s for what was "
                    "described as a two-year refurbishment, it never came back"
                ),
            },
        },
        {
            "ref": "c5",
            "reader": "bea",
            "minutes_after": 260,
            "text": "I bought my first crab in that shed. It leaked. It leaked for nine years.",
            "parent": "c4",
            "votes": [8, 0],
            "feedback": None,
        },
        {
            "ref": "c6",
            "reader": "lark",
            "minutes_after": 400,
            "text": (
                "Speaking as someone with a pushchair: the walk from the ferry terminal to the "
                "customs house car park is awful, and that junction has no crossing on the "
                "harbour side. If the market moves, a safe crossing should be the first thing "
                "they build, not the last."
            ),
            "parent": None,
            "votes": [12, 0],
            "feedback": None,
        },
        {
            "ref": "c7",
            "reader": "hana",
            "minutes_after": 470,
            "text": (
                "The consultation drawings are supposed to show a temporary crossing in the "
                "first phase. Worth checking at the customs house display to see if it's "
                "really there."
            ),
            "parent": "c6",
            "votes": [4, 0],
            "feedback": None,
        },
        {
            "ref": "c8",
            "reader": "gil",
            "minutes_after": 1200,
            "text": (
                "Petition signed. I'd also sign one putting Hetty Gorse in charge of the "
                "council's communications.\n\n"
                "> You can buy a cabbage anywhere.\n\n"
                "Best line anyone has said about this city in years."
            ),
            "parent": None,
            "votes": [17, 1],
            "feedback": None,
        },
    ],
    "north-quay-night-shifts-keep-tidewater-awake": [
        {
            "ref": "c1",
            "reader": "odile",
            "minutes_after": 45,
            "text": (
                "Gannet Row here (not the diary keeper, but I know her). The hum from the "
                "fridge containers is the worst because it never stops. The bangs you get used "
                "to, weirdly. The hum gets into your head."
            ),
            "parent": None,
            "votes": [14, 0],
            "feedback": None,
        },
        {
            "ref": "c2",
            "reader": "jonah",
            "minutes_after": 80,
            "text": (
                "I drive a straddle carrier on nights. For what it's worth, most of us live in "
                "the city too and nobody wants to keep anyone awake. The white-noise alarms "
                "are much better. They've done about half the fleet so far."
            ),
            "parent": "c1",
            "votes": [16, 2],
            "feedback": None,
        },
        {
            "ref": "c3",
            "reader": "odile",
            "minutes_after": 120,
            "text": (
                "Thank you for saying that. I don't blame the drivers at all. The port could "
                "do the other half by spring if it wanted to."
            ),
            "parent": "c2",
            "votes": [10, 0],
            "feedback": None,
        },
        {
            "ref": "c4",
            "reader": "rhys",
            "minutes_after": 180,
            "text": (
                "It's a working port. It was there before most of those houses. Sympathy for "
                "the sleep problems, but people chose to live next to a container terminal."
            ),
            "parent": "c3",
            "votes": [4, 12],
            "feedback": None,
        },
        {
            "ref": "c5",
            "reader": "odile",
            "minutes_after": 230,
            "text": (
                "My house was built in 1908. The terminal opened in the 1990s and started "
                "working nights last spring. Which of us moved?"
            ),
            "parent": "c4",
            "votes": [21, 0],
            "feedback": None,
        },
        {
            "ref": "c6",
            "reader": "rhys",
            "minutes_after": 270,
            "text": (
                "Fair point, I didn't realise the terraces were that old. I withdraw the "
                '"chose to live there" bit.'
            ),
            "parent": "c5",
            "votes": [13, 0],
            "feedback": None,
        },
        {
            "ref": "c7",
            "reader": "hana",
            "minutes_after": 300,
            "text": (
                "Good that the article flags this: a self-selected survey will overstate the "
                "problem. But environmental health took proper measurements in November and "
                "still hasn't published them. The cleanest way to settle the argument is to "
                "release the data."
            ),
            "parent": None,
            "votes": [11, 1],
            "feedback": {
                "quote": (
                    "The figures are self-reported, and the association accepts that people "
                    "troubled by noise were probably more likely to reply"
                ),
            },
        },
        {
            "ref": "c8",
            "reader": "moira",
            "minutes_after": 420,
            "text": (
                "You can request the readings under the information access rules; they have "
                "twenty working days to reply. I've sent a request and will post the answer "
                "here."
            ),
            "parent": "c7",
            "votes": [9, 0],
            "feedback": None,
        },
    ],
    "city-publishes-first-heatwave-plan": [
        {
            "ref": "c1",
            "reader": "lark",
            "minutes_after": 60,
            "text": (
                "We're on the top floor in Brinefield with a baby. In the last heatwave the "
                "flat was 33°C at midnight. A cool room until 10pm is something, but what I "
                "need is windows that open more than ten centimetres."
            ),
            "parent": None,
            "votes": [18, 0],
            "feedback": None,
        },
        {
            "ref": "c2",
            "reader": "wes",
            "minutes_after": 140,
            "text": (
                "As a landlord: I'd fit better windows tomorrow if the rules on the old blocks "
                "let me. Half of Brinefield is a conservation area. It isn't always landlords "
                "dragging their feet."
            ),
            "parent": "c1",
            "votes": [6, 7],
            "feedback": None,
        },
        {
            "ref": "c3",
            "reader": "kit",
            "minutes_after": 200,
            "text": (
                "Some of the time, sure. But the tenants' union has a list of flats in "
                "Brinefield where the window restrictors are screwed shut. That's not "
                "conservation rules."
            ),
            "parent": "c2",
            "votes": [12, 2],
            "feedback": None,
        },
        {
            "ref": "c4",
            "reader": "wes",
            "minutes_after": 260,
            "text": "If that's true, those landlords should be named. I'm not defending that.",
            "parent": "c3",
            "votes": [8, 1],
            "feedback": None,
        },
        {
            "ref": "c5",
            "reader": "bea",
            "minutes_after": 320,
            "text": (
                "What do I think? That a target of 1,200 trees means little if one in six die. "
                "Bigger pits and a watering contract are the right fix, but please publish the "
                "survival rate every year, not just the number planted."
            ),
            "parent": None,
            "votes": [15, 0],
            "feedback": {
                "quote": (
                    "The city planted 410 street trees last year, and around one in six died "
                    "within twelve months, mostly from drought in their first summer."
                ),
            },
        },
        {
            "ref": "c6",
            "reader": "tomasz",
            "minutes_after": 380,
            "text": (
                "My neighbour waters the two outside our house from a bucket. Both alive and "
                "thriving. Maybe the council should hand out buckets."
            ),
            "parent": "c5",
            "votes": [13, 0],
            "feedback": None,
        },
        {
            "ref": "c7",
            "reader": "marta",
            "minutes_after": 700,
            "text": (
                "Nurse here. If you have an older neighbour who lives alone, **knock on their "
                "door** during a heat warning. The register will never catch everyone."
            ),
            "parent": None,
            "votes": [20, 0],
            "feedback": None,
        },
    ],
    "inshore-fishers-challenge-crab-quota-cut": [
        {
            "ref": "c1",
            "reader": "tomasz",
            "minutes_after": 15,
            "text": (
                "My dad fished pots off Gullhaven for forty years. He'd be the first to say "
                "stocks are down. He'd also tell you the big boats working beyond the six-mile "
                "line land more in a week than our whole slipway does in a month."
            ),
            "parent": None,
            "votes": [16, 1],
            "feedback": None,
        },
        {
            "ref": "c2",
            "reader": "hana",
            "minutes_after": 75,
            "text": (
                "The regulator's own annex broadly backs that up: offshore crab landings at "
                "the regional ports have risen three years running."
            ),
            "parent": "c1",
            "votes": [8, 0],
            "feedback": None,
        },
        {
            "ref": "c3",
            "reader": "kit",
            "minutes_after": 120,
            "text": (
                "This is the uncomfortable bit for the inshore fleet's case. If small boats "
                "catch more egg-bearing females, some cut there makes sense, even if the "
                "offshore fleet should be cut too. Both things can be true."
            ),
            "parent": None,
            "votes": [9, 4],
            "feedback": {
                "quote": (
                    "the inshore fleet takes a higher proportion of undersized and egg-bearing "
                    "females, because it works the shallow grounds where they gather"
                ),
            },
        },
        {
            "ref": "c4",
            "reader": "tomasz",
            "minutes_after": 170,
            "text": (
                "Both can be true. But berried hens already go back over the side; it's "
                'illegal to land them. That "higher proportion" is of what comes up in the '
                "pots, not what's landed."
            ),
            "parent": "c3",
            "votes": [12, 1],
            "feedback": None,
        },
        {
            "ref": "c5",
            "reader": "kit",
            "minutes_after": 220,
            "text": "I didn't know that. Thanks, it changes how I read that paragraph.",
            "parent": "c4",
            "votes": [6, 0],
            "feedback": None,
        },
        {
            "ref": "c6",
            "reader": "gil",
            "minutes_after": 600,
            "text": (
                "Restaurants, please put spider crab on your menus. I will eat it. I will eat "
                "it for the cause."
            ),
            "parent": None,
            "votes": [11, 0],
            "feedback": None,
        },
        {
            "ref": "c7",
            "reader": "ada",
            "minutes_after": 660,
            "text": (
                "Spider crab with brown butter and a hunk of bread from the Saltmarket bakery. "
                "Best thing you'll eat all summer."
            ),
            "parent": "c6",
            "votes": [9, 0],
            "feedback": None,
        },
        {
            "ref": "c8",
            "reader": "dougal",
            "minutes_after": 2000,
            "text": (
                "Worth remembering that the last time stocks crashed, it was a closed season "
                "that brought them back, not a quota. The closed season in this package might "
                "do more good than the cut."
            ),
            "parent": None,
            "votes": [10, 2],
            "feedback": None,
        },
    ],
    "kestrel-hill-library-reopens-after-restoration": [
        {
            "ref": "c1",
            "reader": "bea",
            "minutes_after": 90,
            "text": (
                "I was in that queue. I taught at the primary school on the hill for thirty "
                "years and must have walked half my classes up to that library. The green "
                "ceiling is lovely. Tilly is right."
            ),
            "parent": None,
            "votes": [15, 0],
            "feedback": None,
        },
        {
            "ref": "c2",
            "reader": "gil",
            "minutes_after": 130,
            "text": "Tilly Marsh for council leader. Green is better, and so is this library.",
            "parent": "c1",
            "votes": [12, 0],
            "feedback": None,
        },
        {
            "ref": "c3",
            "reader": "sunita",
            "minutes_after": 200,
            "text": (
                "A repair bench and sewing machines in a library is the best idea I've heard "
                "all year. My toaster is going up the hill on the first Saturday."
            ),
            "parent": None,
            "votes": [10, 0],
            "feedback": {
                "quote": (
                    "Some of the money has gone on things a Victorian librarian would not "
                    "recognise: a recording booth for podcasts"
                ),
            },
        },
        {
            "ref": "c4",
            "reader": "wes",
            "minutes_after": 260,
            "text": (
                "Bring the toaster. I volunteer at the repair bench. Nine times out of ten "
                "it's the fuse."
            ),
            "parent": "c3",
            "votes": [14, 0],
            "feedback": None,
        },
        {
            "ref": "c5",
            "reader": "lark",
            "minutes_after": 500,
            "text": (
                "Sunday opening is a game-changer for working parents. Everyone, please go on "
                "Sundays so the trial numbers look good and they keep it."
            ),
            "parent": None,
            "votes": [19, 0],
            "feedback": None,
        },
        {
            "ref": "c6",
            "reader": "moira",
            "minutes_after": 560,
            "text": (
                "Visitors are counted by the sensor on the door, so every person through it "
                "counts. Bring the whole family."
            ),
            "parent": "c5",
            "votes": [7, 0],
            "feedback": None,
        },
        {
            "ref": "c7",
            "reader": "hana",
            "minutes_after": 1400,
            "text": (
                "Small question for the Ledger: £3.4 million was about a third more than first "
                "estimated. Was the first estimate made before or after they found the rotten "
                "timbers and the old wiring? If before, the overrun is less of a story than it "
                "sounds."
            ),
            "parent": None,
            "votes": [5, 1],
            "feedback": None,
        },
    ],
}


def demo_data(name: str) -> dict:
    """Return one of the JSON files in demo_data/."""
    return json.loads((DATA_DIR / name).read_text(encoding="utf-8"))


class _Deck:
    """Draws from each list without repeats until it is used up, then reshuffles it, so a few
    hundred comments made of a few hundred sentences read as varied as the material allows."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.piles: dict[str, list] = {}

    def draw(self, name: str, items: list, avoid=()):
        """Draw from `items`, skipping those in `avoid` while the pile has others."""
        pile = self.piles.get(name)
        if not pile:
            pile = self.piles[name] = self.rng.sample(items, len(items))
        for index in range(len(pile) - 1, -1, -1):
            if pile[index] not in avoid:
                return pile.pop(index)
        return pile.pop()


def _weighted(rng: random.Random, weights: dict[str, float]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _opposite(stance: str, rng: random.Random) -> str:
    return {"yes": "no", "no": "yes"}.get(stance) or rng.choice(["yes", "no"])


def _paragraphs(parts: list[str], rng: random.Random) -> str:
    """Join sentences as a reader types them: mostly one paragraph, sometimes two."""
    if len(parts) > 2 and rng.random() < 0.35:
        cut = rng.randrange(1, len(parts))
        return " ".join(parts[:cut]) + "\n\n" + " ".join(parts[cut:])
    return " ".join(parts)


def debate_comments(spec: dict | None = None) -> list[dict]:
    """Assemble the long demo debate (demo_data/debate.json) into comments.

    The same comments every time: a random generator seeded from the data decides who answers
    whom, with what and when. The result has the shape of a ``DISCUSSIONS`` entry, with
    ``minutes_after`` spread over the debate's ``hours``; ``reader`` is a guest's key or a
    reader account's username.
    """
    return _Debate(spec or demo_data("debate.json")).comments()


class _Debate:
    """The state of the debate being written: who holds which view, what has been said where."""

    def __init__(self, spec: dict):
        self.spec = spec
        self.rng = random.Random(spec["seed"])  # noqa: S311 - seeded on purpose: same debate
        self.deck = _Deck(self.rng)
        self.topics, self.openers = spec["topics"], spec["openers"]
        self.first_names = {reader["key"]: reader["name"].split()[0] for reader in READERS}
        self.first_names.update(
            {guest["key"]: guest["name"].split()[0] for guest in spec["guests"] if "name" in guest}
        )
        for account in demo_data("accounts.json")["accounts"]:
            self.first_names[account["username"]] = account["first_name"]
        # Every reader keeps one view throughout, so a name never argues both sides.
        self.stances = {guest["key"]: guest["stance"] for guest in spec["guests"]}
        self.stances.update(spec["accounts"])
        self.people: dict[tuple[str, bool], list[str]] = {}
        for key, stance in self.stances.items():
            self.people.setdefault((stance, key in spec["accounts"]), []).append(key)
        self.written: list[dict] = []
        self.texts: set[str] = set()

    # --- who and what ---------------------------------------------------------------------

    def author(self, stance: str, avoid: set) -> str:
        signed_in = self.rng.random() < self.spec["account_share"]
        pool = self.people.get((stance, signed_in)) or self.people[(stance, not signed_in)]
        return self.rng.choice([key for key in pool if key not in avoid] or pool)

    def point(self, topic: str, stance: str, said: set) -> str:
        """A point for `stance` on `topic` not yet made in this conversation (if one is left)."""
        made = self.deck.draw(f"{topic}:{stance}", self.topics[topic][stance], said)
        said.add(made)
        return made

    def pick(self, group_name: str, stance: str, said: set) -> str:
        """An opener, anecdote or closer: half the time one of `stance`'s own, else any."""
        group = self.spec[group_name]
        if stance in group and (self.rng.random() < 0.5 or "any" not in group):
            name, items = f"{group_name}:{stance}", group[stance]
        else:
            name, items = f"{group_name}:any", group["any"]
        line = self.deck.draw(name, items, said)
        said.add(line)
        return line

    def fresh_topic(self, topic: str, stance: str, said: set) -> str:
        """`topic`, or another one when this side has made all its points on it here."""
        if any(point not in said for point in self.topics[topic][stance]):
            return topic
        left = [name for name, sides in self.topics.items() if set(sides[stance]) - said]
        return self.rng.choice(left) if left else topic

    # --- texts ----------------------------------------------------------------------------

    def opening(self, stance: str, topic: str, said: set) -> tuple[str, list[str]]:
        rng, deck = self.rng, self.deck
        if stance == "unsure":
            parts = [deck.draw("openers:unsure", self.openers["unsure"])]
            parts.append(deck.draw(f"{topic}:ask", self.topics[topic]["ask"], said))
            said.add(parts[-1])
            if rng.random() < 0.5:
                parts.append(deck.draw("closers:unsure", self.spec["closers"]["unsure"]))
            return " ".join(parts), []
        parts = [self.pick("openers", stance, said)] if rng.random() < 0.45 else []
        points = [self.point(topic, stance, said)]
        parts.append(points[0])
        extra = rng.random()
        if extra < 0.35:
            points.append(self.point(topic, stance, said))
            parts.append(points[-1])
        elif extra < 0.6:
            parts.append(self.pick("anecdotes", stance, said))
        if rng.random() < 0.3:
            parts.append(self.pick("closers", stance, said))
        return _paragraphs(parts, rng), points

    def reply(self, relation: str, stance: str, parent: dict, said: set):
        """Return (text, topic, points made) for a reply of `relation` to `parent`."""
        rng, deck, topic = self.rng, self.deck, parent["topic"]
        name = self.first_names[parent["reader"]]
        if relation == "civility":
            line = deck.draw("openers:civility", self.openers["civility"], said)
            said.add(line)
            return line.format(name=name), topic, []
        if relation == "ask":
            line = deck.draw(f"{topic}:ask", self.topics[topic]["ask"], said)
            said.add(line)
            return line, topic, []
        if relation == "concede" and rng.random() < 0.5:
            relation = "concede_but"  # grants the point, then makes one of its own side's
        opener = deck.draw(f"openers:{relation}", self.openers[relation]).format(name=name)
        if stance == "unsure":
            closer = deck.draw("closers:unsure", self.spec["closers"]["unsure"])
            return f"{opener} {closer}", topic, []
        parts, points = [opener], []
        if relation == "concede":
            return opener, topic, []
        if relation in ("disagree", "answer", "concede_but") or rng.random() < 0.6:
            topic = self.fresh_topic(topic, stance, said)
            points.append(self.point(topic, stance, said))
            parts.append(points[-1])
        elif relation == "agree":
            parts.append(self.pick("anecdotes", stance, said))
        if relation == "disagree" and rng.random() < 0.15:
            parts.append(self.pick("closers", stance, said))
        text = _paragraphs(parts, rng)
        if relation == "disagree" and parent["points"] and rng.random() < 0.2:
            # Quote the sentence being answered, as readers do in a long exchange.
            quoted = re.split(r"(?<=[.?!])\s", parent["points"][0])[0]
            text = f"> {quoted}\n\n{text}"
        return text, topic, points

    # --- the thread -----------------------------------------------------------------------

    def add(self, conversation: dict, parent: dict | None, **fields) -> dict:
        comment = {
            "ref": f"d{len(self.written) + 1}",
            "depth": parent["depth"] + 1 if parent else 0,
            "parent_comment": parent,
            "kind": "point",
            "relation": None,
            "points": [],
            "feedback": None,
            **fields,
        }
        self.written.append(comment)
        self.texts.add(comment["text"])
        conversation["comments"].append(comment)
        return comment

    def comments(self) -> list[dict]:
        spec, rng = self.spec, self.rng
        conversations = []
        for _ in range(spec["conversations"]):
            conversation = {"comments": [], "said": set(), "heat": rng.paretovariate(1.2)}
            stance = _weighted(rng, spec["stance_weights"])
            topic = self.deck.draw("topics", list(self.topics))
            text, points = self.opening(stance, topic, conversation["said"])
            self.add(
                conversation,
                None,
                reader=self.author(stance, set()),
                stance=stance,
                topic=topic,
                text=text,
                points=points,
                kind="ask" if stance == "unsure" else "point",
                moment=0.9 * rng.random() ** 1.4,
            )
            conversations.append(conversation)
        for item in spec["feedback"]:
            conversation = {"comments": [], "said": set(), "heat": rng.paretovariate(1.2)}
            self.add(
                conversation,
                None,
                reader=item["author"],
                stance=self.stances[item["author"]],
                topic=item["topic"],
                text=item["text"],
                moment=0.6 * rng.random(),
                feedback={"quote": item["quote"]},
                votes=item["votes"],
                kind=item.get("kind", "point"),
            )
            conversations.append(conversation)
        heat = [conversation["heat"] for conversation in conversations]
        for _attempt in range(50 * spec["comments"]):  # bounded: some draws add nothing
            if len(self.written) >= spec["comments"]:
                break
            self.answer(rng.choices(conversations, weights=heat)[0])
        return [self.finished(comment) for comment in self.written]

    def answer(self, conversation: dict) -> None:
        """Add one reply somewhere in `conversation` (or nothing, when the draw is unusable)."""
        spec, rng = self.spec, self.rng
        open_to_reply = [
            comment
            for comment in conversation["comments"]
            if comment["depth"] < spec["max_depth"] and comment["kind"] != "civility"
        ]
        latest = conversation["comments"][-1]
        if latest in open_to_reply and rng.random() < 0.5:
            parent = latest  # the exchange goes on where it stopped
        else:
            parent = rng.choice(open_to_reply)
        relation = "answer" if parent["kind"] == "ask" else _weighted(rng, spec["relation_weights"])
        if relation in ("disagree", "concede"):
            stance = _opposite(parent["stance"], rng)
        elif relation == "answer":
            stance = rng.choice(["yes", "no"])
        elif relation == "agree":
            stance = parent["stance"]
        else:
            stance = "unsure" if rng.random() < 0.5 else rng.choice(["yes", "no"])
        # Nobody answers themselves, or the same comment twice.
        taken = {parent["reader"]} | {
            comment["reader"]
            for comment in conversation["comments"]
            if comment["parent_comment"] is parent
        }
        before = parent["parent_comment"]
        if before and before["stance"] == stance and rng.random() < 0.6:
            reader = before["reader"]  # the two who were already arguing carry on
        else:
            reader = self.author(stance, taken)
        if reader in taken:
            return
        said = conversation["said"]
        text, topic, points = self.reply(relation, stance, parent, said)
        if text in self.texts:
            return  # said before, word for word, somewhere in the thread: draw again
        self.add(
            conversation,
            parent,
            reader=reader,
            stance=stance,
            topic=topic,
            text=text,
            points=points,
            kind=relation if relation in ("ask", "civility") else "point",
            relation=relation,
            moment=parent["moment"] + (1 - parent["moment"]) * rng.uniform(0.01, 0.2),
        )

    def finished(self, comment: dict) -> dict:
        """A comment in the shape of a ``DISCUSSIONS`` entry, its votes drawn if not given."""
        rng = self.rng
        if "votes" in comment:
            votes = comment["votes"]
        else:
            # Points on either side draw both kinds of vote; asking and keeping the peace,
            # hardly any downs. Deep replies are read, and voted on, by fewer people.
            damping = 1 + 0.4 * comment["depth"]
            up = rng.triangular(0, 36, 6) / damping
            divisive = comment["kind"] == "point" and comment["relation"] != "concede"
            down = rng.triangular(0, 18, 2) / damping if divisive else rng.triangular(0, 2, 0)
            votes = [round(up), round(down)]
        parent = comment["parent_comment"]
        return {
            "ref": comment["ref"],
            "reader": comment["reader"],
            "minutes_after": round(comment["moment"] * self.spec["hours"] * 60, 1),
            "text": comment["text"],
            "parent": parent["ref"] if parent else None,
            "votes": votes,
            "feedback": comment["feedback"],
        }
