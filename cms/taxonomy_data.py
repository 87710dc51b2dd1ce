"""The taxonomy every installation starts with (DESIGN.md §2).

Loaded by a data migration and again, idempotently, by `load_demo`. After that it is data,
edited as snippets in the Wagtail admin.
"""

from __future__ import annotations

RIGHTS_AREAS = [
    ("manskliga-rattigheter", "Mänskliga rättigheter (övergripande)",
     "Det övergripande arbetet med mänskliga rättigheter i nämnder och bolag."),
    ("barnets-rattigheter", "Barnets rättigheter",
     "Barnkonventionen som lag, prövning av barnets bästa och barns delaktighet."),
    ("jamstalldhet", "Jämställdhet",
     "Jämställdhetsintegrering och en jämställd fördelning av resurser och makt."),
    ("antidiskriminering", "Antidiskriminering och likabehandling",
     "Diskrimineringslagens sju grunder, aktiva åtgärder och likabehandling."),
    ("antirasism", "Arbete mot rasism",
     "Stadens samordnade arbete mot rasism och för allas lika värde."),
    ("nationella-minoriteter", "Nationella minoriteters rättigheter",
     "Minoritetslagen, samråd och de fem nationella minoriteternas rättigheter."),
    ("funktionsratt", "Funktionsrätt och tillgänglighet",
     "Tillgänglighet och delaktighet för personer med funktionsnedsättning."),
    ("hbtqi", "HBTQI-personers rättigheter",
     "Bemötande, inkludering och rättigheter för hbtqi-personer."),
]

# (slug, name, kind)
ORGANISATION_UNITS = [
    ("stadskontoret", "Stadskontoret", "forvaltning"),
    ("arbetsmarknads-och-socialforvaltningen", "Arbetsmarknads- och socialförvaltningen", "forvaltning"),
    ("fritidsforvaltningen", "Fritidsförvaltningen", "forvaltning"),
    ("funktionsstodsforvaltningen", "Funktionsstödsförvaltningen", "forvaltning"),
    ("forskoleforvaltningen", "Förskoleförvaltningen", "forvaltning"),
    ("grundskoleforvaltningen", "Grundskoleförvaltningen", "forvaltning"),
    ("gymnasie-och-vuxenutbildningsforvaltningen", "Gymnasie- och vuxenutbildningsförvaltningen", "forvaltning"),
    ("halsa-vard-och-omsorgsforvaltningen", "Hälsa-, vård- och omsorgsförvaltningen", "forvaltning"),
    ("kulturforvaltningen", "Kulturförvaltningen", "forvaltning"),
    ("miljoforvaltningen", "Miljöförvaltningen", "forvaltning"),
    ("serviceforvaltningen", "Serviceförvaltningen", "forvaltning"),
    ("stadsbyggnadskontoret", "Stadsbyggnadskontoret", "forvaltning"),
    ("fastighets-och-gatukontoret", "Fastighets- och gatukontoret", "forvaltning"),
    ("valnamnden", "Valnämnden", "namnd"),
    ("mkb-fastighets-ab", "MKB Fastighets AB", "bolag"),
    ("boplats-syd-ab", "Boplats Syd AB", "bolag"),
    ("malmo-live-konserthus-ab", "Malmö Live Konserthus AB", "bolag"),
    ("malmo-stadsteater-ab", "Malmö Stadsteater AB", "bolag"),
    ("minc-sverige-ab", "Minc Sverige AB", "bolag"),
    ("malmo-kommuns-parkering-ab", "Malmö Kommuns Parkering AB", "bolag"),
    ("malmo-leasing-ab", "Malmö Leasing AB", "bolag"),
    ("parkeringsovervakning-malmo-ab", "Parkeringsövervakning Malmö AB", "bolag"),
]

PRINCIPLES = [
    ("malmobon-i-centrum", "Malmöbon i centrum"),
    ("tillganglig-och-likvardig", "Tillgänglig och likvärdig verksamhet"),
    ("delaktighet-och-inflytande", "Delaktighet och inflytande"),
    ("transparent-kommunikation", "Transparent och inkluderande kommunikation"),
]

# (number, name, description) — MR-trappan
STAIRCASE_STEPS = [
    (1, "Kompetenshöjning", "Medarbetare och chefer får grundläggande kunskap om mänskliga rättigheter."),
    (2, "Styrdokument och rutiner", "Rättigheterna skrivs in i styrdokument, rutiner och uppdrag."),
    (3, "Metoder för kartläggning och analys", "Verksamheten kartlägger och analyserar hur rättigheter tillgodoses."),
    (4, "Delaktighet och inflytande", "De som berörs är med och påverkar verksamheten."),
    (5, "Systematiskt arbete utifrån mål", "Arbetet styrs av mål som följs upp och leder till åtgärder."),
    (6, "Sammanhållen uppföljning", "Resultaten följs upp samlat och återkopplas till styrning och verksamhet."),
]

TARGET_GROUPS = [
    ("barn-och-unga", "Barn och unga"),
    ("aldre", "Äldre"),
    ("personer-med-funktionsnedsattning", "Personer med funktionsnedsättning"),
    ("nationella-minoriteter", "Nationella minoriteter"),
    ("nyanlanda", "Nyanlända"),
    ("hbtqi-personer", "Hbtqi-personer"),
    ("kvinnor-och-man", "Kvinnor och män, flickor och pojkar"),
    ("medarbetare-och-chefer", "Medarbetare och chefer"),
    ("personer-i-ekonomisk-utsatthet", "Personer i ekonomisk utsatthet"),
]


def load_taxonomy(rights_area, organisation_unit, principle, staircase_step, target_group) -> None:
    """Create or update every taxonomy term (model classes are passed in for migrations)."""
    for order, (slug, name, description) in enumerate(RIGHTS_AREAS):
        rights_area.objects.update_or_create(
            slug=slug, defaults={"name": name, "description": description, "sort_order": order}
        )
    for order, (slug, name, kind) in enumerate(ORGANISATION_UNITS):
        organisation_unit.objects.update_or_create(
            slug=slug, defaults={"name": name, "kind": kind, "sort_order": order}
        )
    for order, (slug, name) in enumerate(PRINCIPLES):
        principle.objects.update_or_create(slug=slug, defaults={"name": name, "sort_order": order})
    for number, name, description in STAIRCASE_STEPS:
        staircase_step.objects.update_or_create(
            number=number, defaults={"name": name, "description": description,
                                     "slug": f"steg-{number}", "sort_order": number}
        )
    for order, (slug, name) in enumerate(TARGET_GROUPS):
        target_group.objects.update_or_create(slug=slug, defaults={"name": name, "sort_order": order})
