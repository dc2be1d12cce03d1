"""Words that stand for a name said before: a pronoun for a person, "das Unternehmen" for an organisation.

Split from :mod:`graph.ingest.mentions` (which finds the names themselves); such a mention is
never listed as a name, it only lets a relation reach its subject.
"""

from __future__ import annotations

from collections import defaultdict

from graph.ingest.grammar import Grammar
from graph.ingest.mentions import Mention
from graph.ingest.nlp import Sentence


def pronouns(grammar: Grammar, language: str, sentences: list[Sentence], named: list[Mention], kinds: dict[str, str]) -> list[Mention]:
    """Words that stand for a name said before: a pronoun for a person, "das Unternehmen" for an organisation.

    "The bank", "der Verlag" stand for the one organisation named before whose name ends in that
    word ("Harrow Bank", "Brenner Verlag"). A possessive before a role and a person's name ("Its founder Desmond Achebe", "Dessen
    Geschäftsführerin Monika Haslinger") stands for the organisation the sentence before named
    first, its subject as a rule ("Brackwater Capital, which owns seven percent of Harrow Bank,
    criticised the bank. Its founder …": Brackwater), so that the role rules can read the role.
    A subject pronoun ("er", "he", "she") stands for the one person named before it in its
    sentence, or else for the one person the sentence before named. A definite description
    of a company ("das Unternehmen", "der Konzern", "the company") stands for the organisation
    named last before its sentence and not in it ("Nordwind hat Helios verklagt. Nordwind-Chef
    Brandt wirft dem Unternehmen vor …": Helios).
    """
    persons_in: dict[int, list[Mention]] = defaultdict(list)
    orgs_in: dict[int, list[Mention]] = defaultdict(list)
    for m in named:
        if kinds.get(m.entity) == "person":
            persons_in[m.sentence].append(m)
        elif kinds.get(m.entity) == "organization":
            orgs_in[m.sentence].append(m)
    g = grammar
    found: list[Mention] = []
    last_person: str | None = None
    last_orgs: list[str] = []
    first_org_before: str | None = None
    # the last word of an organisation's name, for "the bank" after "Harrow Bank" ("" where two share it)
    heads: dict[str, str] = {}

    def orgs_named(index: int) -> set[str]:
        return {m.entity for m in orgs_in.get(index, [])}

    for sentence in sentences:
        doc = sentence.span.doc
        in_here = sorted(persons_in.get(sentence.index, []), key=lambda m: m.first)
        for t in range(sentence.span.start, sentence.span.end):
            token = doc[t]
            head = heads.get(token.lower_) if token.lower_ not in g.org_anaphors else None
            named_next = t + 1 < sentence.span.end and doc[t + 1].text[:1].isupper()  # "die Bank Sonnberg" names it there
            if (
                head
                and t > sentence.span.start
                and doc[t - 1].lower_ in g.definite
                and not named_next
                and head not in orgs_named(sentence.index)
            ):
                start, end = sentence.token_start(t - 1), sentence.token_end(t)
                found.append(Mention(head, start, end, sentence.slice(start, end), sentence.index, t - 1, t + 1, "pronoun"))
                continue
            if token.lower_ in g.org_possessives and first_org_before is not None and _before_role_and_name(sentence, t, in_here):
                start, end = sentence.token_start(t), sentence.token_end(t)
                found.append(Mention(first_org_before, start, end, token.text, sentence.index, t, t + 1, "pronoun"))
                continue
            if token.lower_ in g.org_anaphors and t > sentence.span.start and doc[t - 1].lower_ in g.definite:
                if t + 1 < sentence.span.end and doc[t + 1].text[:1].isupper():
                    continue  # "die Firma Solaris" names the firm right there
                # not one named in the same clause: "Der Konzern wirft der EMA vor" is not about the EMA
                same_clause = {
                    m.entity
                    for m in orgs_in.get(sentence.index, [])
                    if not any(doc[k].text in (",", ";") for k in range(min(m.first, t), max(m.last, t)))
                }
                target_org = next((o for o in reversed(last_orgs) if o not in same_clause), None)
                if target_org is not None:
                    start, end = sentence.token_start(t - 1), sentence.token_end(t)
                    found.append(Mention(target_org, start, end, sentence.slice(start, end), sentence.index, t - 1, t + 1, "pronoun"))
                continue
            if token.lower_ not in g.person_pronouns:
                continue
            if language.startswith("de") and token.lower_ == "sie":
                continue  # "sie" is as often "they" or the polite "you"
            earlier = {m.entity for m in in_here if m.last <= t}
            target = next(iter(earlier)) if len(earlier) == 1 else (last_person if not earlier else None)
            if target is None:
                continue
            start, end = sentence.token_start(t), sentence.token_end(t)
            found.append(Mention(target, start, end, token.text, sentence.index, t, t + 1, "pronoun"))
        distinct = {m.entity for m in in_here}
        if len(distinct) == 1:
            last_person = next(iter(distinct))
        elif len(distinct) > 1:
            last_person = None
        orgs_here = sorted(orgs_in.get(sentence.index, []), key=lambda m: m.first)
        first_org_before = orgs_here[0].entity if orgs_here else None
        for m in orgs_here:
            words = m.text.split()
            if len(words) >= 2 and words[-1].isalpha():
                key = words[-1].lower()
                heads[key] = m.entity if heads.get(key, m.entity) == m.entity else ""
            if m.entity in last_orgs:
                last_orgs.remove(m.entity)
            last_orgs.append(m.entity)
    return found


def _before_role_and_name(sentence: Sentence, t: int, persons: list[Mention]) -> bool:
    """Whether one or two lower-case words, or one capitalised noun, lead from token ``t`` to a person's name."""
    doc = sentence.span.doc
    for m in persons:
        between = [doc[k] for k in range(t + 1, m.first)]
        if 1 <= len(between) <= 2 and not any(w.is_punct for w in between):
            return len(between) == 1 or all(w.text.islower() for w in between)
    return False


def pairs(grammar: Grammar, sentences: list[Sentence], named: list[Mention], kinds: dict[str, str]) -> list[Mention]:
    """ "beide Unternehmen", "the two companies": the two organisations the text has named most often before.

    Only where those two are clear (a third is named less often than the second), and not in a
    sentence that names one of them: "Metall Rhein kritisierte beide Unternehmen" after an article
    about Rheinwerk suing Hagedorn stands for Rheinwerk and Hagedorn.
    """
    counts: dict[str, int] = defaultdict(int)
    by_sentence: dict[int, list[Mention]] = defaultdict(list)
    for m in named:
        if kinds.get(m.entity) == "organization":
            by_sentence[m.sentence].append(m)
    found: list[Mention] = []
    for sentence in sentences:
        doc = sentence.span.doc
        ranked = sorted(counts.items(), key=lambda kv: -kv[1])
        clear = len(ranked) >= 2 and (len(ranked) == 2 or ranked[1][1] > ranked[2][1])
        here = {m.entity for m in by_sentence.get(sentence.index, [])}
        if clear and not here & {ranked[0][0], ranked[1][0]}:
            words = [doc[t].lower_ for t in range(sentence.span.start, sentence.span.end)]
            for phrase in grammar.org_pairs:
                for i in range(len(words) - len(phrase) + 1):
                    if tuple(words[i : i + len(phrase)]) == phrase:
                        t = sentence.span.start + i
                        start, end = sentence.token_start(t), sentence.token_end(t + len(phrase) - 1)
                        for entity, _ in ranked[:2]:
                            found.append(
                                Mention(entity, start, end, sentence.slice(start, end), sentence.index, t, t + len(phrase), "pronoun")
                            )
        for m in by_sentence.get(sentence.index, []):
            counts[m.entity] += 1
    return found
