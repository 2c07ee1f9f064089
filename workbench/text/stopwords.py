"""Function words that do not begin or end a term: English and Khmer word lists (Russian function words are
recognised by their part of speech with pymorphy3, see :mod:`workbench.glossary.phrases`).

``EN_STOP``: determiners, pronouns, prepositions, conjunctions, auxiliary and very common verbs, adverbs,
number words and vague nouns and adjectives (*people*, *way*, *many*) that are never a glossary term on their
own. ``EN_INNER``: the function words a multi-word term may hold inside (*shortness of breath*, *Centers for
Disease Control and Prevention*, *wash your hands*). ``KM_STOP``: Khmer particles, pronouns, prepositions
and auxiliaries; ``KM_INNER``: those a term may hold inside (នៃ "of"); ``KM_NOT_LAST``: prefixes that make
a noun (ការ, ភាព, សេចក្តី) and so cannot end a term.
"""

from __future__ import annotations

EN_STOP = frozenset("""
a an the this that these those such some any all every each either neither both no none other another same
own one ones two three four five six seven eight nine ten hundred thousand million billion first second third
last next several many much more most less least few fewer lot lots
i me my mine myself we us our ours ourselves you your yours yourself yourselves he him his himself she her hers
herself it its itself they them their theirs themselves who whom whose which what whatever whoever whichever
where when why how whether there here then than thus hence therefore however although though because since
unless until while whereas if so as also too very just only even still already yet again ever never always
often sometimes usually perhaps maybe quite rather almost nearly really well about above across after against
along amid among amongst around at before behind below beneath beside besides between beyond by despite down
during except for from in inside into like near of off on onto out outside over past per regarding round
through throughout till to toward towards under underneath unlike up upon via with within without and or nor
but either plus versus vs etc
be is are was were been being am have has had having do does did doing done can could may might must shall
should will would ought need needs needed get gets got getting make makes made making take takes took taken
go goes went gone going come comes came coming see seen say says said tell told know known think use used using
uses give given put let seem seems become became include includes including included show shown find found
keep want try help according based due following related
not no yes ok okay please thank thanks hello oh
new old good bad great big small large high low long short able likely possible certain important different
various similar general particular specific main major key current recent early late full whole real true
thing things way ways part parts kind kinds time times year years day days today week weeks month months
people person example fact point place order end
mr mrs ms dr
""".split())

EN_INNER = frozenset("of for and the in on to with against from your de du la".split())

KM_STOP = frozenset("""
និង នៃ ដែល បាន ជា នេះ នោះ ពី ទៅ ក្នុង នៅក្នុង នៅ របស់ ឬ ហើយ ក៏ ថា ដោយ លើ នៅលើ នូវ ចំពោះ សម្រាប់ ដើម្បី
មាន គឺ អាច ត្រូវ ត្រូវបាន នឹង កំពុង ទេ មិន ផង ដែរ ទាំង ទាំងនេះ គេ វា យើង ខ្ញុំ អ្នក ពួក គាត់ ពួកគេ ពួកយើង
ឱ្យ ឲ្យ ដល់ ទៀត អ្វី ខ្លះ ច្រើន តែ ប៉ុន្តែ ដូច ដូចជា ជាមួយ ពេល ក្រោយ មុន ចេញ ចូល ហ្នឹង ណាស់ ផ្សេង
ទាំងអស់ រួច ម្នាក់ ដូចនេះ ដូច្នេះ បើ ប្រសិនបើ ព្រោះ ដោយសារ ដោយសារតែ ខាង តាម ទើប ធ្លាប់
""".split())

KM_INNER = frozenset(["នៃ"])

KM_NOT_LAST = frozenset("ការ ភាព សេចក្តី សេចក្ដី អ្នក ក្រុម".split())
