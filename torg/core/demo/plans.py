"""What the demo contains: organizations, their departments and locations, teams and logins."""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from torg.core.models import Location, Role, Team

SEED = 2026
Kind = Location.Kind


def words(text: str, separator: str | None = None) -> list[str]:
    return [word.strip() for word in text.split(separator) if word.strip()]


WOMEN = words(
    "Anne Inger Kari Marit Ingrid Liv Eva Berit Astrid Bjørg Hilde Solveig Marianne Randi Ida Nina "
    "Maria Elisabeth Kristin Bente Heidi Silje Hanne Ingeborg Gro Ragnhild Tone Turid Åse Sigrid "
    "Mette Camilla Linn Nora Emma Sara Thea Ingvild Synnøve Tuva Jorunn Guro Siri Kjersti Trine "
    "Wenche Aud Maja Sofie Fatima Agnieszka Mari Anne-Lise Eli Gunn Hege Lene Karin Unni Vigdis "
    "Torill Grete Marte Oda Helene Anette Stine Cecilie Line Monica Elin Julie Amalie Øydis Dagny "
    "Halldis Målfrid Aisha Olga Ewa Huong Vilde Hedda Ane Kaja Malin Tiril Frøydis"
)
MEN = words(
    "Jan Per Bjørn Ole Lars Kjell Knut Arne Svein Hans Geir Tor Morten Terje Odd Erik Martin "
    "Andreas Anders Rune Trond Tore Jon Harald Olav Gunnar Thomas Jørgen Øyvind Håkon Espen Sindre "
    "Magnus Henrik Jonas Kristian Stian Eirik Vegard Sigurd Åsmund Ståle Øystein Bård Pål Jostein "
    "Ivar Leif Mohammed Ali Piotr Tomasz Hans-Petter Jan-Erik Nils Even Frode Roar Kåre Steinar Dag "
    "Atle Helge Kenneth Fredrik Simen Elias Tobias Mathias Emil Sverre Torbjørn Ragnar Asbjørn "
    "Oddvar Arild Audun Omar Minh Sondre Eivind Jarle Vidar Halvard"
)
LAST_NAMES = words(
    "Hansen Johansen Olsen Larsen Andersen Pedersen Nilsen Kristiansen Jensen Karlsen Johnsen "
    "Pettersen Eriksen Berg Haugen Hagen Johannessen Andreassen Jacobsen Dahl Jørgensen Halvorsen "
    "Henriksen Lund Sørensen Jakobsen Moen Gundersen Iversen Strand Solberg Svendsen Eide Knutsen "
    "Martinsen Paulsen Bakken Kristoffersen Mathisen Lie Amundsen Nguyen Rasmussen Ali Lunde "
    "Solheim Berge Moe Nygård Bakke Fredriksen Holm Lien Hauge Christensen Andresen Knudsen Evensen "
    "Sæther Aas Myhre Ahmed Haugland Thomassen Sivertsen Simonsen Danielsen Sandvik Rønning Arnesen "
    "Næss Vik Haug Ellingsen Thorsen Birkeland Isaksen Gulbrandsen Ruud Aasen Strøm Myklebust "
    "Tangen Ødegård Eliassen Helland Bøe Aune Mikkelsen Tveit Brekke Madsen Rød Fjeld Kvalheim "
    "Hovland Hjelle Mjelde Løvås Bråten Grønli Kjær Hægeland Bø Skjærven Ørnes Årdal Østby Sætre "
    "Fjæra Nærland Kowalski Hussain Khan Tran Kvam Sande Hovde Vold Dale Skog Sunde Ottesen Nordby "
    "Wold Tønnessen Gjerde Fosse Rustad Kleven Rønneberg Fossum Sletten Brenna Valen Holmen Kolstad "
    "Hoel Tvedt Lorentzen Bjerke Gran Nordli Husby Ramberg Engebretsen Stene Torgersen Skaug Hjelm "
    "Helgesen Åsheim Lillevik Røed Sandberg Teigen Vestby Øien Grøtting Stokke Lervik Sæbø Mæland "
    "Kårstad Mørk Nes Fjellheim Brøndbo Haaland Berget"
)

# Bærum's places as "place;postal code;postal town"; units and locations are named after them.
BAERUM_PLACES = [
    (place, code, town)
    for place, code, town in (
        row.split(";")
        for row in words(
            "Bekkestua;1357;Bekkestua, Stabekk;1369;Stabekk, Høvik;1363;Høvik, "
            "Sandvika;1337;Sandvika, Rykkinn;1349;Rykkinn, Bærums Verk;1353;Bærums Verk, "
            "Eiksmarka;1359;Eiksmarka, Jar;1358;Jar, Lysaker;1366;Lysaker, Fornebu;1364;Fornebu, "
            "Snarøya;1367;Snarøya, Haslum;1344;Haslum, Gjettum;1346;Gjettum, Hosle;1362;Hosle, "
            "Østerås;1361;Østerås, Lommedalen;1350;Lommedalen, Kolsås;1352;Kolsås, "
            "Blommenholm;1365;Blommenholm, Slependen;1341;Slependen, Skui;1340;Skui, "
            "Tanum;1341;Slependen, Vøyenenga;1340;Skui, Grav;1359;Eiksmarka, Evje;1346;Gjettum, "
            "Jong;1340;Skui, Levre;1352;Kolsås, Bryn;1340;Skui, Hauger;1337;Sandvika, "
            "Ringstabekk;1358;Jar, Eikeli;1359;Eiksmarka, Nadderud;1357;Bekkestua, "
            "Ramstad;1344;Haslum, Steinerud;1349;Rykkinn, Berger;1349;Rykkinn, "
            "Oksenøya;1366;Lysaker, Valler;1363;Høvik, Mølladammen;1353;Bærums Verk, Hosletoppen;1362;Hosle, "
            "Lesterud;1352;Kolsås, Tjernsmyr;1350;Lommedalen, Belset;1357;Bekkestua, "
            "Rud;1353;Bærums Verk",
            ",",
        )
    )
]
BAERUM_STREETS = words(
    "Kirkeveien, Gamle Ringeriksvei, Bærumsveien, Griniveien, Vollsveien, Jongsåsveien, Brynsveien, "
    "Løkkeåsveien, Ringstabekkveien, Jarveien, Nadderudveien, Skollerudveien, Slependveien, "
    "Hosleveien, Eiksveien, Tanumveien, Haslumveien, Rykkinnveien, Lommedalsveien, Snarøyveien",
    ",",
)
KINDERGARTEN_NAMES = words(
    "Tyttebær Blåbær Solsikken Eventyrskogen Trollskogen Marihøna Regnbuen Lykketrollet Humla "
    "Furuly Tuftekollen Bjørkeli Granly Solbakken Haugtun Kløverenga Eikelund Kastanjen Løvspretten "
    "Maurtua Ekornreiret Nøtteliten Vesletun Sandbakken Skogly Lindelia Bjørnehiet Gullregnet "
    "Rosenhagen Bekkeblomen Hestehoven Blåveisen Engen Myrvoll Fjellstua"
)
GROUPS = words("Blåbær Tyttebær Ekorn Rev Maur Humla Solsikke Marihøne Piggsvin Ugla")
SCHOOL = ["1.–4. trinn", "5.–7. trinn", "Aktivitetsskolen", "Administrasjon"]
LOWER_SECONDARY = ["8. trinn", "9. trinn", "10. trinn", "Administrasjon"]
NURSING_HOME = ["Avdeling 1", "Avdeling 2", "Avdeling 3", "Korttid", "Kjøkken"]

BAERUM_SECTORS = [
    "Oppvekst",
    "Helse og omsorg",
    "Teknisk",
    "Samfunn",
    "Økonomi og styring",
    "Organisasjon og HR",
]
# Units at places of their own: (sector, count at full size, name, location kind, sections, people per unit);
# kindergartens (sections None) get two to four groups each.
BAERUM_KINDS = [
    (1, 30, "{} skole", Kind.SCHOOL, SCHOOL, 55),
    (1, 12, "{} ungdomsskole", Kind.SCHOOL, LOWER_SECONDARY, 50),
    (1, 75, "{} barnehage", Kind.KINDERGARTEN, None, 16),
    (1, 10, "{} helsestasjon", Kind.HEALTH, [], 8),
    (2, 12, "{} sykehjem", Kind.NURSING_HOME, NURSING_HOME, 95),
    (2, 8, "Hjemmetjenesten {}", Kind.OFFICE, ["Dag", "Kveld", "Natt"], 110),
    (2, 34, "{} bofellesskap", Kind.OTHER, [], 22),
    (2, 15, "{} omsorgsboliger", Kind.OTHER, [], 6),
    (2, 8, "{} seniorsenter", Kind.OTHER, [], 4),
    (3, 8, "{} driftsstasjon", Kind.DEPOT, [], 15),
    (4, 6, "{} bibliotek", Kind.OTHER, [], 8),
    (4, 14, "{} idrettshall", Kind.OTHER, [], 2),
    (4, 10, "{} fritidsklubb", Kind.OTHER, [], 4),
]
# Units working from an office: (sector, name, office, sections, people).
BAERUM_STAFF_UNITS = [
    (1, "Oppvekst stab", "Bærum rådhus", [], 25),
    (1, "PPT", "Kommunegården", [], 40),
    (1, "Barnevern", "Kommunegården", ["Mottak", "Undersøkelse", "Tiltak", "Omsorg"], 120),
    (2, "Legevakt", "Bærum legevakt", [], 60),
    (2, "Tildelingskontoret", "Kommunegården", [], 35),
    (2, "Psykisk helse og rus", "Kommunegården", ["Behandling", "Bolig", "Aktivitet"], 110),
    (2, "Fysio- og ergoterapi", "Kommunegården", [], 45),
    (3, "Byggesak", "Teknisk senter", [], 40),
    (3, "Vei og trafikk", "Teknisk senter", [], 60),
    (3, "Vann og avløp", "Teknisk senter", ["Drift", "Prosjekt"], 90),
    (3, "Eiendomsforvaltning", "Teknisk senter", ["Forvaltning", "Vaktmestertjenesten"], 110),
    (3, "Renhold", "Teknisk senter", [], 180),
    (3, "Kart og oppmåling", "Teknisk senter", [], 20),
    (4, "Kultur", "Bærum kulturhus", [], 40),
    (4, "Næring og samfunnsutvikling", "Bærum rådhus", [], 20),
    (4, "NAV Bærum", "NAV-kontoret Sandvika", ["Marked", "Oppfølging", "Sosialtjenesten"], 130),
    (4, "Flyktningtjenesten", "Kommunegården", [], 30),
    (5, "Regnskap", "Bærum rådhus", [], 30),
    (5, "Lønn", "Bærum rådhus", [], 25),
    (5, "Innkjøp", "Bærum rådhus", [], 15),
    (5, "Budsjett og analyse", "Bærum rådhus", [], 12),
    (5, "Fakturering", "Bærum rådhus", [], 10),
    (6, "HR-rådgivning", "Bærum rådhus", [], 20),
    (6, "Rekruttering", "Bærum rådhus", [], 10),
    (6, "HMS", "Bærum rådhus", [], 8),
    (6, "Digitalisering", "Fornebu kontor", [], 35),
    (6, "Dokumentsenter", "Bærum rådhus", [], 20),
    (6, "Servicetorget", "Bærum rådhus", [], 18),
]
BAERUM_OFFICES = [
    ("Bærum rådhus", Kind.TOWN_HALL, "Arnold Dybjords vei 1", "1338", "Sandvika"),
    ("Kommunegården", Kind.OFFICE, "Kommunegården 1", "1338", "Sandvika"),
    ("Bærum legevakt", Kind.HEALTH, "Sandvika legevakt 2", "1337", "Sandvika"),
    ("Teknisk senter", Kind.DEPOT, "Hauger skolevei 12", "1351", "Rud"),
    ("Bærum kulturhus", Kind.OTHER, "Sandvika kulturtorg 3", "1337", "Sandvika"),
    ("NAV-kontoret Sandvika", Kind.OFFICE, "Løkketangen 10", "1337", "Sandvika"),
    ("Fornebu kontor", Kind.OFFICE, "Martin Linges vei 25", "1364", "Fornebu"),
    ("Bekkestua kontorsenter", Kind.OFFICE, "Gamle Ringeriksvei 5", "1357", "Bekkestua"),
]

SMALL_SECTORS = ["Stab og støtte", "Oppvekst", "Helse og omsorg", "Teknisk og samfunn"]
CARE = ["Institusjon", "Heimetenesta", "Kjøkken"]
PRIMARY = ["Barnesteget", "Ungdomssteget", "SFO"]
MODALEN_UNITS = [
    (1, "Kommunedirektøren", "Modalen kommunehus", [], 4),
    (1, "Økonomi og løn", "Modalen kommunehus", [], 5),
    (1, "Servicetorget", "Modalen kommunehus", [], 3),
    (2, "Mo skule", "Mo skule", PRIMARY, 30),
    (2, "Mo barnehage", "Mo barnehage", [], 14),
    (3, "Modalen omsorgssenter", "Modalen omsorgssenter", CARE, 80),
    (3, "Legekontor og helsestasjon", "Modalen helsesenter", [], 10),
    (4, "Drift og vedlikehald", "Modalen driftsstasjon", [], 20),
    (4, "Plan, byggjesak og landbruk", "Modalen kommunehus", [], 8),
    (4, "Kultur og frivilligheit", "Modalshallen", [], 6),
]
MODALEN_PLACES = [
    ("Modalen kommunehus", Kind.TOWN_HALL, "Mo 1"),
    ("Mo skule", Kind.SCHOOL, "Mo 12"),
    ("Mo barnehage", Kind.KINDERGARTEN, "Mo 14"),
    ("Modalen omsorgssenter", Kind.NURSING_HOME, "Mo 20"),
    ("Modalen helsesenter", Kind.HEALTH, "Mo 22"),
    ("Modalen driftsstasjon", Kind.DEPOT, "Øvre Helland 3"),
    ("Modalshallen", Kind.OTHER, "Mo 16"),
]
FEDJE_UNITS = [
    (1, "Kommunedirektøren", "Fedje kommunehus", [], 5),
    (1, "Økonomi og løn", "Fedje kommunehus", [], 6),
    (1, "Sørvistorget", "Fedje kommunehus", [], 4),
    (2, "Fedje skule", "Fedje skule", PRIMARY, 35),
    (2, "Fedje barnehage", "Fedje barnehage", [], 16),
    (3, "Fedje sjukeheim", "Fedje sjukeheim", ["Langtidsavdeling", "Korttidsavdeling", "Kjøkken"], 90),
    (3, "Heimetenesta", "Fedje sjukeheim", [], 30),
    (3, "Legekontor og helsestasjon", "Fedje helsesenter", [], 10),
    (4, "Hamn og drift", "Fedje driftsstasjon", [], 22),
    (4, "Kultur og fritid", "Fedje kulturhus", [], 8),
]
FEDJE_PLACES = [
    ("Fedje kommunehus", Kind.TOWN_HALL, "Stormarkvegen 9"),
    ("Fedje skule", Kind.SCHOOL, "Skulevegen 2"),
    ("Fedje barnehage", Kind.KINDERGARTEN, "Skulevegen 6"),
    ("Fedje sjukeheim", Kind.NURSING_HOME, "Husøyna 4"),
    ("Fedje helsesenter", Kind.HEALTH, "Husøyna 6"),
    ("Fedje driftsstasjon", Kind.DEPOT, "Hamnevegen 1"),
    ("Fedje kulturhus", Kind.OTHER, "Stormarkvegen 11"),
]
PROVIDER_OFFICE = "Vestland IKT-samarbeid, Knarvik"
PROVIDER_SECTORS = ["Ledelse og administrasjon", "Brukerstøtte", "Drift og infrastruktur"]
PROVIDER_UNITS = [
    (1, "Ledelse", PROVIDER_OFFICE, [], 3),
    (1, "Økonomi", PROVIDER_OFFICE, [], 4),
    (1, "HR", PROVIDER_OFFICE, [], 4),
    (1, "Eiendom og innkjøp", PROVIDER_OFFICE, [], 4),
    (2, "Servicedesk", PROVIDER_OFFICE, [], 12),
    (3, "Drift", PROVIDER_OFFICE, [], 6),
    (3, "Nettverk og sikkerhet", PROVIDER_OFFICE, [], 4),
    (3, "Applikasjoner", PROVIDER_OFFICE, [], 5),
]
PROVIDER_DOMAIN = "vestland-ikt.no"


@dataclass(frozen=True)
class Login:
    username: str
    name: str
    employee_number: str
    department: str  # code
    role: str  # as shown in the table of logins
    grant: str = ""  # a granted role …
    grant_for: str = "provider"  # … in this organization (plan key)
    team: str = ""
    lead: bool = False
    organization: str = "provider"  # plan key


LOGINS = [
    Login("admin", "Ingrid Haugland", "7901", "1001", "Administrator", Role.ADMINISTRATOR),
    Login("agent1", "Sindre Mjelde", "7902", "2001", "Agent, 1. linje IT", team="1. linje IT"),
    Login("agent2", "Åse Tveit", "7903", "3001", "Agent, 2. linje IT", team="2. linje IT"),
    Login("lead", "Håkon Brekke", "7904", "2001", "Team lead, 1. linje IT", team="1. linje IT", lead=True),
    Login("owner", "Marit Sæther", "7905", "3003", "Service owner", Role.SERVICE_OWNER),
    Login("change", "Øystein Hjelle", "7906", "3001", "Change manager", Role.CHANGE_MANAGER),
    Login(
        "customer",
        "Kristin Ødegård",
        "7907",
        "1001",
        "Customer manager, Bærum",
        Role.CUSTOMER_MANAGER,
        "baerum",
    ),
    Login("baerum", "Kari Nordmann", "199001", "100101", "Employee, Bærum kommune", organization="baerum"),
    Login("modalen", "Ola Nordmann", "4901", "200101", "Employee, Modalen kommune", organization="modalen"),
]
# Teams at the provider: (name, function, mailbox, the provider's departments whose people are members).
TEAMS = [
    ("1. linje IT", Team.Function.IT, "servicedesk", ["2001"]),
    ("2. linje IT", Team.Function.IT, "drift", ["3001", "3002", "3003"]),
    ("HR", Team.Function.HR, "hr", ["1003"]),
    ("Økonomi", Team.Function.FINANCE, "okonomi", ["1002"]),
    ("Drift og eiendom", Team.Function.FACILITIES, "eiendom", ["1004"]),
]

UnitRow = tuple[int, str, str, Sequence[str], float]  # sector, name, location, sections, people


@dataclass(frozen=True)
class Unit:
    "A department to create; people work in the ones with a weight, at its location."

    code: str
    name: str
    parent: str | None
    location: str | None = None
    weight: float = 0


@dataclass
class Plan:
    "Everything one organization should have."

    key: str
    name: str
    number: str
    municipality_code: str
    language: str
    people: int
    employee_base: int
    kind: str = "member"
    domain: str = ""
    units: list[Unit] = field(default_factory=list)
    locations: list[tuple[str, str, str, str, str]] = field(
        default_factory=list
    )  # name, kind, street, code, town

    def __post_init__(self) -> None:
        self.domain = self.domain or f"{self.key}.kommune.no"

    def add_tree(self, sectors: Sequence[str], units: Iterable[UnitRow]) -> None:
        "Sectors at the root, units under them, sections under units; the leaves get the people."
        for number, name in enumerate(sectors, start=1):
            self.units.append(Unit(str(number), name, None))
        counters = dict.fromkeys(range(1, len(sectors) + 1), 0)
        for sector, name, location, sections, weight in units:
            counters[sector] += 1
            code = f"{sector}{counters[sector]:03d}"
            self.units.append(Unit(code, name, str(sector), location, 0 if sections else weight))
            for index, section in enumerate(sections, start=1):
                share = weight / len(sections)
                self.units.append(Unit(f"{code}{index:02d}", f"{name} – {section}", code, location, share))


def _place_name(index: int) -> str:
    names = [place for place, _code, _town in BAERUM_PLACES] + KINDERGARTEN_NAMES
    round_, rest = divmod(index, len(names))
    return names[rest] + (f" {round_ + 1}" if round_ else "")


def _baerum(scale: float) -> Plan:
    plan = Plan("baerum", "Bærum kommune", "939487611", "3201", "nb", round(12_000 * scale), 100_000)
    rng = random.Random(f"{SEED}-baerum-places")
    plan.locations = list(BAERUM_OFFICES)
    units: list[UnitRow] = []
    for sector, count, pattern, kind, sections, weight in BAERUM_KINDS:
        for index in range(max(1, round(count * scale))):
            _place, code, town = BAERUM_PLACES[index % len(BAERUM_PLACES)]
            name = pattern.format(_place_name(index))
            street = f"{rng.choice(BAERUM_STREETS)} {rng.randint(1, 120)}"
            plan.locations.append((name, kind, street, code, town))
            groups = sections if sections is not None else rng.sample(GROUPS, rng.randint(2, 4))
            units.append((sector, name, name, groups, weight))
    units += BAERUM_STAFF_UNITS
    plan.add_tree(BAERUM_SECTORS, sorted(units, key=lambda unit: unit[0]))
    return plan


def build_plans(scale: float) -> list[Plan]:
    "The provider first, then its members; `scale` sizes the municipalities (Bærum has 12,000 people"
    "at 1)."
    provider = Plan(
        "provider", "Vestland IKT-samarbeid", "921847564", "", "nb", 40, 7000, "provider", PROVIDER_DOMAIN
    )
    provider.locations = [(PROVIDER_OFFICE, Kind.OFFICE, "Torgvegen 8", "5914", "Isdalstø")]
    provider.add_tree(PROVIDER_SECTORS, PROVIDER_UNITS)
    modalen = Plan("modalen", "Modalen kommune", "964965315", "4629", "nn", round(200 * scale), 4000)
    modalen.locations = [(name, kind, street, "5729", "Modalen") for name, kind, street in MODALEN_PLACES]
    modalen.add_tree(SMALL_SECTORS, MODALEN_UNITS)
    fedje = Plan("fedje", "Fedje kommune", "964338531", "4633", "nn", round(260 * scale), 5000)
    fedje.locations = [(name, kind, street, "5947", "Fedje") for name, kind, street in FEDJE_PLACES]
    fedje.add_tree(SMALL_SECTORS, FEDJE_UNITS)
    return [provider, _baerum(scale), modalen, fedje]
