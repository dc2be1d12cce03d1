"""The closed-class words the extractor reads sentences with, in German and English.

These are grammar, not vocabulary: negation, the auxiliaries and prepositions of the passive,
speech verbs and markers of reported speech, the German Konjunktiv I, hedges, pronouns, legal
forms and titles. Which relation a sentence states comes only from the ontology's signal words
(``qg:signalDe``/``qg:signalEn``, read by :mod:`graph.ingest.lexicon`); nothing here names a
relation. Words are lower case and compared with the lower-cased token, except legal forms,
which are compared as written ("AG" is a legal form, "ag" is not).
"""

from __future__ import annotations

from dataclasses import dataclass


def _phrases(text: str) -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(p.split()) for p in text.split("|"))


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


@dataclass(frozen=True)
class Grammar:
    """The words of one language that the extraction rules look for."""

    #: tokens that negate the clause they stand in
    negation: frozenset[str]
    #: verbs that deny what follows (the embedded relation is not drafted as positive)
    denial: frozenset[str]
    #: auxiliaries that, with a participle, make a clause passive
    passive_aux: frozenset[str]
    #: prepositions that introduce the agent of a passive clause
    agent_prep: frozenset[str]
    #: verbs of saying: who says is who asserts the reported or quoted clause
    speech_verbs: frozenset[str]
    #: prepositions of attribution before the source: "laut X", "according to X"
    according_before: tuple[tuple[str, ...], ...]
    #: postpositions of attribution after the source: "X zufolge"
    according_after: frozenset[str]
    #: forms that mark reported speech on their own (German Konjunktiv I)
    subjunctive: frozenset[str]
    #: words by which the source itself marks a statement as uncertain
    hedges: frozenset[str]
    #: subject pronouns that refer back to a person
    person_pronouns: frozenset[str]
    #: determiners and articles (a capitalised German word after one is a common noun)
    determiners: frozenset[str]
    #: complementisers that open a reported clause
    complementisers: frozenset[str]
    #: words that end a clause for the purpose of pairing mentions
    clause_breaks: frozenset[str]
    #: titles and roles written before a name ("CEO Sam Altman", "Mitgründer Brockman")
    titles: frozenset[str]
    #: words never taken as (part of) a proper name even when capitalised
    not_names: frozenset[str]
    #: words that name only a kind of thing, not what it is described as ("die Firma Solaris")
    generic_nouns: frozenset[str] = frozenset()
    #: finite auxiliaries and modals of a German verb-final main clause ("hat … verklagt", "habe … verklagt")
    finite_aux: frozenset[str] = frozenset()
    #: nouns that, after a definite article, stand for an organisation named before ("das Unternehmen")
    org_anaphors: frozenset[str] = frozenset()
    #: definite articles
    definite: frozenset[str] = frozenset()
    #: possessives that, before a role and a name, stand for an organisation ("Its founder Desmond Achebe")
    org_possessives: frozenset[str] = frozenset()
    #: words that stand for the two organisations a text is about ("beide Unternehmen", "the two companies")
    org_pairs: tuple[tuple[str, ...], ...] = ()
    #: prepositions: a name inside a prepositional phrase is not the subject of its clause
    prepositions: frozenset[str] = frozenset()


#: Legal forms of organisations, compared as written.
LEGAL_FORMS = frozenset(
    [
        "Inc.",
        "Inc",
        "Corp.",
        "Corp",
        "Corporation",
        "Co.",
        "Ltd.",
        "Ltd",
        "LLC",
        "L.L.C.",
        "LLP",
        "LP",
        "PLC",
        "plc",
        "GmbH",
        "AG",
        "SE",
        "KG",
        "KGaA",
        "OHG",
        "eG",
        "e.V.",
        "S.A.",
        "SA",
        "SAS",
        "S.p.A.",
        "N.V.",
        "B.V.",
        "AB",
        "ASA",
        "Oy",
        "Holdings",
        "Group",
    ]
)

#: Quotation marks, opening to closing; the straight double quote closes itself.
QUOTE_PAIRS: dict[str, str] = {"„": "“", "“": "”", '"': '"', "«": "»", "»": "«", "‚": "‘"}

GERMAN = Grammar(
    negation=_words("nicht nichts kein keine keinen keinem keiner keines nie niemals weder nirgends"),
    denial=_words("bestritt bestreitet bestritten dementierte dementiert leugnete leugnet"),
    passive_aux=_words("wurde wurden wird werden worden"),
    agent_prep=_words("von vom durch"),
    speech_verbs=_words(
        "sagte sagt sagten sagen gesagt erklärte erklärt erklärten betonte betont behauptete behauptet behaupten "
        "schrieb schreibt schrieben meinte meint sprach spricht warnte warnt argumentierte argumentiert "
        "bestätigte bestätigt antwortete antwortet erwiderte erwidert teilte mitteilte sagen so "
        "kritisierte kritisiert räumte räumt fügte fügt ergänzte ergänzt versicherte versichert "
        "beklagte beklagt insistierte unterstrich unterstreicht twitterte postete"
    ),
    according_before=(("laut",), ("nach", "angaben", "von"), ("nach", "angaben"), ("wie",)),
    according_after=_words("zufolge"),
    subjunctive=_words("habe sei seien seist werde könne müsse dürfe wolle solle möge wisse gebe stehe"),
    hedges=_words("angeblich mutmaßlich offenbar vermutlich scheint schien scheinen anscheinend wohl"),
    person_pronouns=_words("er sie"),
    determiners=_words(
        "der die das den dem des ein eine einen einem einer eines dieser diese dieses diesen diesem "
        "jener jene jenes sein seine seinen seinem seiner ihr ihre ihren ihrem ihrer unser unsere kein keine"
    ),
    complementisers=_words("dass ob weil da"),
    clause_breaks=_words("; : aber doch sondern während obwohl nachdem bevor"),
    titles=_words(
        "herr frau dr. prof. ceo cto cfo coo chef chefin gründer gründerin mitgründer mitgründerin "
        "präsident präsidentin vorsitzender vorsitzende minister ministerin senator senatorin richter richterin "
        "anwalt anwältin investor investorin milliardär unternehmer unternehmerin sprecher sprecherin "
        "direktor direktorin vorstand vorstandschef vorstandschefin aufsichtsratschef geschäftsführer geschäftsführerin"
    ),
    not_names=_words(
        "der die das den dem des ein eine einen einem einer eines und oder aber in im am an auf aus bei mit "
        "nach von vom zu zum zur für über unter vor gegen ohne um es er sie wir ihr ich du man dies diese dieser "
        "laut auch nun so doch wie wenn als ob dass da dann denn noch schon jetzt heute gestern morgen montag "
        "dienstag mittwoch donnerstag freitag samstag sonntag januar februar märz april mai juni juli august "
        "september oktober november dezember"
    ),
    generic_nouns=_words("firma unternehmen konzern gruppe gesellschaft organisation person"),
    org_anaphors=_words("unternehmen konzern firma"),
    org_possessives=_words("ihr sein dessen deren"),
    org_pairs=_phrases("beide unternehmen|beiden unternehmen|beide konzerne|beiden konzernen|beide firmen|beiden firmen|beide seiten"),
    prepositions=_words(
        "in im an am auf aus bei beim mit nach von vom zu zum zur für über unter vor gegen ohne um durch seit wegen "
        "laut trotz während hinter neben zwischen"
    ),
    definite=_words("der die das dem den des zum zur vom beim im am"),
    finite_aux=_words(
        "hat haben hatte hatten ist sind war waren wird werden will wollte wollen soll sollte kann konnte muss musste "
        "habe sei seien werde könne müsse solle wolle hätte hätten wäre wären würde würden"
    ),
)

ENGLISH = Grammar(
    negation=_words("not n't never no neither nor none nothing cannot"),
    denial=_words("denied denies deny denying disputed disputes rejected"),
    passive_aux=_words("was were is are been being be get got gets"),
    agent_prep=_words("by"),
    speech_verbs=_words(
        "said says say told tells wrote writes written stated states claimed claims argued argues added adds "
        "noted notes explained explains insisted insists alleged alleges asserted asserts maintained maintains "
        "warned warns replied replies responded tweeted posted announced announces confirmed confirms "
        "acknowledged admitted admits contended contends testified"
    ),
    according_before=(("according", "to"), ("as",)),
    according_after=frozenset(),
    subjunctive=frozenset(),
    hedges=_words("allegedly reportedly apparently seemingly purportedly supposedly seems seemed appears appeared"),
    person_pronouns=_words("he she"),
    determiners=_words("the a an this that these those his her its their our"),
    complementisers=_words("that whether because"),
    clause_breaks=_words("; : but while although whereas after before"),
    titles=_words(
        "mr. mrs. ms. dr. prof. ceo cto cfo coo chief founder co-founder cofounder president chairman chairwoman "
        "chair senator judge justice minister secretary attorney lawyer investor billionaire entrepreneur "
        "spokesman spokeswoman spokesperson director executive boss"
    ),
    not_names=_words(
        "the a an and or but in on at of to for from by with about against without into over under after before "
        "it he she we they i you this that these those his her its their our as if so then when while also now "
        "monday tuesday wednesday thursday friday saturday sunday january february march april may june july "
        "august september october november december mr. mrs. ms. dr."
    ),
    generic_nouns=_words("company firm group organisation organization person"),
    org_anaphors=_words("company firm"),
    org_possessives=_words("its"),
    org_pairs=_phrases("both companies|the two companies|both firms|the two firms|both sides|the two sides"),
    prepositions=_words("in on at of to for from by with about against into over under after before since during without"),
    definite=_words("the"),
)

GRAMMARS: dict[str, Grammar] = {"de": GERMAN, "en": ENGLISH}


def grammar(language: str) -> Grammar:
    """The grammar of a language tag ("de", "de-AT", "en-GB"); English for any other language."""
    return GRAMMARS.get(language.split("-")[0].lower(), ENGLISH)
