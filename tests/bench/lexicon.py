"""Words and sentence templates of the synthetic corpus, in German and English.

Kept apart from the generator so that the generator reads as the shape of a corpus (sources,
entities, statements and how they connect) and this module as its vocabulary. Every template
is a clause with ``{s}`` (subject label) and ``{o}`` (object label or value); the generator
wraps clauses into narration, claims, quotations and judgements.
"""

from __future__ import annotations

FIRST_NAMES = (  # noqa: SIM905 - names read better as one line of prose
    "Anna Ben Clara David Elena Felix Greta Hannah Ilse Jonas Karin Lukas Marie Nils Olga Paul Quirin Rita "
    "Stefan Tanja Uwe Vera Walter Yvonne Zoe Amir Birgit Cem Dana Emil Frieda Gustav Helga Ines Jan Katja Lars "
    "Mona Nora Oskar Petra Ralf Sabine Till Ulla Volker Wiebke Xaver Yusuf Aylin Bernd Carla Dirk Edith Fatma "
    "Gerd Heike Ivan Jutta Kemal Lea Malte Nadine Otto Pia Rainer Selin Thea Ute Viktor Wanda Alice Brian Chloe "
    "Daniel Emma Frank Grace Henry Isla Jack Kate Liam Mia Noah Olivia Peter Quinn Ruby Sam Tom Uma Victor Will"
).split()
LAST_NAMES = (  # noqa: SIM905
    "Schmidt Müller Schneider Fischer Weber Meyer Wagner Becker Schulz Hoffmann Koch Bauer Richter Klein Wolf "
    "Schröder Neumann Schwarz Zimmermann Braun Krüger Hofmann Hartmann Lange Schmitt Werner Krause Meier Lehmann "
    "Köhler Herrmann König Walter Mayer Huber Kaiser Fuchs Peters Lang Scholz Möller Weiß Jung Hahn Vogel Friedrich "
    "Keller Günther Frank Berger Winkler Roth Beck Lorenz Baumann Franke Albrecht Schuster Simon Ludwig Böhm Winter "
    "Kraus Martin Schumacher Krämer Vogt Stein Jäger Otto Sommer Groß Seidel Heinrich Brandt Haas Schreiber Graf "
    "Smith Jones Taylor Brown Williams Wilson Johnson Davies Robinson Wright Thompson Evans Walker White Roberts "
    "Green Hall Wood Jackson Clarke Patel Khan Lewis James Phillips Mason Mitchell Rose Davis Rodriguez Cox Alexander"
).split()
ORG_STEMS = (  # noqa: SIM905
    "Nordwind Helios Aurora Vesta Polaris Kranich Eisvogel Lindgrün Rheinfeld Alpenblick Falkenstein Sonnberg "
    "Quantix Datavia Neurona Cobalt Meridian Orbis Lumen Vector Tessera Argon Boreal Cirrus Delta Ember Fjord "
    "Granit Horizon Ikarus Juniper Kestrel Lotus Magnet Nimbus Opal Prisma Quarz Rubin Saphir Titan Umbra Vulkan"
).split()
#: Sectors: German and English names.
SECTORS = (
    ("Energie", "Energy"),
    ("Bank", "Bank"),
    ("Robotik", "Robotics"),
    ("Medien", "Media"),
    ("Logistik", "Logistics"),
    ("Versicherung", "Insurance"),
    ("Pharma", "Pharma"),
    ("Software", "Software"),
    ("Stahl", "Steel"),
    ("Mobilität", "Mobility"),
    ("Chemie", "Chemicals"),
    ("Telekom", "Telecom"),
)
LEGAL_FORMS = ("AG", "GmbH", "SE", "Holding", "Group", "Labs")
#: Stance subjects and predicates: (German, English).
STANCE_TOPICS = (
    ("Die Kohleförderung", "Coal mining"),
    ("Der Quellcode großer KI-Modelle", "The source code of large AI models"),
    ("Die Schuldenbremse", "The debt brake"),
    ("Der Ausbau der Windkraft", "The expansion of wind power"),
    ("Die Vier-Tage-Woche", "The four-day week"),
    ("Das Tempolimit auf Autobahnen", "A speed limit on motorways"),
    ("Die Fusion der Stadtwerke", "The merger of the municipal utilities"),
    ("Der Mindestlohn", "The minimum wage"),
    ("Die Digitalsteuer", "The digital tax"),
    ("Die Gasförderung in der Nordsee", "Gas extraction in the North Sea"),
    ("Das Homeoffice-Recht", "The right to work from home"),
    ("Die Bahnreform", "Rail reform"),
    ("Die Kernfusion", "Nuclear fusion research"),
    ("Der Datenschutz in Behörden", "Data protection in public agencies"),
    ("Die Regulierung von Kryptowährungen", "The regulation of cryptocurrencies"),
    ("Die Mietpreisbremse", "Rent control"),
    ("Die Wehrpflicht", "Conscription"),
    ("Der Handel mit Emissionsrechten", "Emissions trading"),
    ("Die Gentechnik in der Landwirtschaft", "Genetic engineering in agriculture"),
    ("Die Offenlegung von Lobbykontakten", "The disclosure of lobbying contacts"),
)
#: (German positive, German negated, English positive, English negated)
STANCE_VERBS = (
    ("sollte ausgebaut werden", "sollte nicht ausgebaut werden", "should be expanded", "should not be expanded"),
    ("sollte beendet werden", "sollte nicht beendet werden", "should end", "should not end"),
    ("sollte offengelegt werden", "sollte geheim bleiben", "should be made public", "should stay secret"),
    ("sollte staatlich gefördert werden", "sollte nicht gefördert werden", "should get public funding", "should get no public funding"),
    ("sollte gesetzlich geregelt werden", "sollte nicht geregelt werden", "should be regulated by law", "should not be regulated"),
    ("sollte verschoben werden", "sollte nicht verschoben werden", "should be postponed", "should not be postponed"),
    ("sollte abgeschafft werden", "sollte beibehalten werden", "should be abolished", "should be kept"),
)
DESCRIPTIONS = (
    ("Milliardär", "billionaire"),
    ("Visionär", "visionary"),
    ("Hoffnungsträger", "rising star"),
    ("Sanierungsfall", "turnaround case"),
    ("Marktführer", "market leader"),
    ("Außenseiter", "outsider"),
    ("Pionier", "pioneer"),
    ("Kritiker der Branche", "critic of the industry"),
)
TIMES = (
    ("Derzeit", "Currently"),
    ("Im März", "In March"),
    ("Seit Januar", "Since January"),
    ("Letzte Woche", "Last week"),
    ("Im Jahr 2019", "In 2019"),
    ("Vor zwei Jahren", "Two years ago"),
    ("Am Montag", "On Monday"),
)
#: relation -> (German clause, English clause)
CLAUSES: dict[str, tuple[str, str]] = {
    "inLegalDisputeWith": ("{s} liegt im Rechtsstreit mit {o}", "{s} is in a legal dispute with {o}"),
    "filed": ("{s} hat die {o} eingereicht", "{s} filed {o}"),
    "defendant": ("in der {s} ist {o} die beklagte Partei", "{o} is the defendant in {s}"),
    "concerns": ("{s} betrifft {o}", "{s} concerns {o}"),
    "partner": ("{o} ist Teil der {s}", "{o} is a party to {s}"),
    "keepsClosed": ("{s} hält {o} unter Verschluss", "{s} keeps {o} closed"),
    "supports": ("{s} unterstützt die Forderung „{o}“", "{s} supports the demand “{o}”"),
    "opposes": ("{s} lehnt die Forderung „{o}“ ab", "{s} rejects the demand “{o}”"),
    "profitMachineFor": ("{s} ist zu einer Profitmaschine für {o} geworden", "{s} has become a profit machine for {o}"),
    "deFactoSubsidiaryOf": ("{s} ist de facto eine Tochter von {o}", "{s} is de facto a subsidiary of {o}"),
    "describedAs": ("{s} gilt als {o}", "{s} is seen as a {o}"),
    "fundingNeed": ("{s} braucht {o}", "{s} needs {o}"),
    "respondedTo": ("{s} reagierte auf {o}", "{s} responded to {o}"),
    "published": ("{s} veröffentlichte {o}", "{s} published {o}"),
    "contains": ("{s} enthält {o}", "{s} contains {o}"),
    "partOf": ("{s} ist Teil von {o}", "{s} is part of {o}"),
    "sent": ("{s} verschickte die {o}", "{s} sent {o}"),
    "recipient": ("{o} erhielt die {s}", "{o} received {s}"),
    "discussed": ("{s} sprach über {o}", "{s} talked about {o}"),
    "proposed": ("{s} schlug die {o} vor", "{s} proposed {o}"),
    "mergerParty": ("an der {s} ist {o} beteiligt", "{o} is a party to {s}"),
    "onlyPathToRival": ("{s} ist der einzige Weg zu einem Rivalen von {o}", "{s} is the only path to a rival of {o}"),
    "criticised": ("{s} kritisierte {o}", "{s} criticised {o}"),
    "agreedWith": ("{s} stimmte {o} zu", "{s} agreed with {o}"),
    "repliedTo": ("{s} antwortete auf die {o}", "{s} replied to {o}"),
    "cutTiesWith": ("{s} brach die Verbindung zu {o} ab", "{s} cut ties with {o}"),
    "contradicts": ("{s} widerspricht {o}", "{s} contradicts {o}"),
    "before": ("die {s} fand vor der {o} statt", "{s} took place before {o}"),
    "holdsOffice": ("{s} hat das Amt „{o}“ inne", "{s} holds the office of {o}"),
    "officeIn": ("das Amt „{s}“ gehört zu {o}", "the office of {s} belongs to {o}"),
}
#: Voice wrappers: how a clause becomes a sentence. ``{who}`` is the claimant or speaker.
CLAIM = ("{who} erhebt den Vorwurf: {c}.", "{who} claims that {c}.")
QUOTATION = ("„{c}“, sagte {who}.", "“{c},” said {who}.")
JUDGEMENT = ("Man muss es klar sagen: {c}.", "It is plain to see that {c}.")
HEDGE = ("Angeblich gilt: {c}.", "Reportedly, {c}.")
FILLER = (
    (
        "Die Zahlen für das {n}. Quartal lagen bei {m} Prozent.",
        "Die Sitzung dauerte {n} Stunden.",
        "Beobachter rechnen mit {m} weiteren Verfahren.",
        "Eine Stellungnahme blieb zunächst aus.",
        "Der Bericht umfasst {n}00 Seiten.",
        "Das wirft Fragen auf.",
        "Die Verhandlungen gehen in die {n}. Runde.",
        "Mehr als {m} Beschäftigte sind betroffen.",
    ),
    (
        "Figures for quarter {n} stood at {m} percent.",
        "The meeting lasted {n} hours.",
        "Observers expect {m} more cases.",
        "No statement was given at first.",
        "The report runs to {n}00 pages.",
        "That raises questions.",
        "Negotiations enter round {n}.",
        "More than {m} employees are affected.",
    ),
)
HEADLINES = ("Streit um {s}", "Dispute over {s}")
