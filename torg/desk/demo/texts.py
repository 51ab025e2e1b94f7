"""What the demo's cases say: Bærum writes Bokmål, Modalen and Fedje Nynorsk; the agents' notes are Bokmål."""

from __future__ import annotations

from dataclasses import dataclass

IT1, IT2 = "1. linje IT", "2. linje IT"
PC, ACCESS, SOFTWARE, NETWORK, PHONE = (
    "PC og skrivar",
    "Tilgang og passord",
    "Programvare",
    "Nettverk",
    "Telefoni",
)
# The provider's categories and the team each routes to.
CATEGORIES = [(PC, IT1), (ACCESS, IT1), (SOFTWARE, IT2), (NETWORK, IT2), (PHONE, IT1)]


@dataclass(frozen=True)
class Template:
    category: str
    kind: str
    impact: int  # 1 high … 3 low; with the urgency it gives the priority
    urgency: int
    title: str
    description: str
    solution: str  # the agent's answer that resolves it


def _templates(rows: list[tuple[str, str, int, int, str, str, str]]) -> list[Template]:
    return [Template(*row) for row in rows]


NB_CASES = _templates(
    [
        (PC, "incident", 3, 2, "Skriveren skriver ikke ut",
         "Skriveren i 2. etasje blinker oransje, og utskriftene blir liggende i køen. Vi har slått den av og på "
         "uten at det hjalp.",
         "Skriverdriveren er installert på nytt, og køen er tømt. Det skal virke nå."),
        (PC, "incident", 3, 1, "Papirstopp som ikke lar seg fjerne",
         "Multifunksjonsskriveren melder papirstopp i skuff 2, men det er ikke noe papir der. Vi må skrive ut "
         "vedtak i dag.",
         "Vi har fjernet papirbiten i innmatingen og startet skriveren på nytt. Den skriver ut igjen."),
        (PC, "incident", 3, 2, "PC-en starter ikke etter oppdatering",
         "PC-en står med svart skjerm etter oppdateringen i natt. Lampen på strømknappen lyser, men ingenting "
         "skjer.",
         "Oppdateringen er rullet tilbake, og PC-en starter som normalt igjen."),
        (PC, "incident", 3, 2, "Svært treg PC",
         "Maskinen bruker over fem minutter på å starte, og Outlook og nettleseren henger hele tiden.",
         "Vi har fjernet gamle programmer og byttet disk. PC-en starter nå på under ett minutt."),
        (PC, "incident", 3, 2, "Ekstern skjerm blir svart i dokken",
         "Den eksterne skjermen blir svart når PC-en står i dokkingstasjonen. Uten dokken virker alt som det "
         "skal.",
         "Dokkingstasjonen har fått ny fastvare, og skjermen holder seg på."),
        (PC, "request", 3, 3, "Ny PC til nyansatt",
         "Vi har en ny medarbeider som begynner mandag og trenger bærbar PC med dokkingstasjon, to skjermer, "
         "tastatur og mus.",
         "PC-en er klargjort og står klar til henting i resepsjonen på rådhuset."),
        (PC, "request", 3, 3, "Bestilling av headset",
         "Jeg trenger et headset med mikrofon til Teams-møter. Det gamle har sluttet å virke på venstre side.",
         "Headsettet er sendt med internposten og kommer i løpet av uken."),
        (PC, "incident", 3, 2, "Skanning til e-post virker ikke",
         "Når jeg skanner på skriveren, kommer det ingen e-post. Det virket fint i forrige uke.",
         "Skanneren hadde feil e-postserver etter et bytte. Det er rettet, og skanning til e-post virker igjen."),
        (PC, "question", 3, 3, "Hvordan legger jeg til skriveren på nytt kontor?",
         "Jeg har flyttet til et annet kontor og finner ikke skriveren der i listen over skrivere.",
         "Skriveren heter FØLG-MEG i listen. Velg Legg til skriver og søk etter navnet, så kommer den opp."),
        (PC, "incident", 2, 2, "Ingen på avdelingen får skrevet ut",
         "Alle PC-ene på avdelingen får feilmelding når vi skriver ut. Det startet i morges.",
         "Utskriftsserveren hang seg opp. Den er startet på nytt, og alle kan skrive ut igjen."),
        (ACCESS, "incident", 3, 1, "Brukeren er låst",
         "Jeg har tastet feil passord for mange ganger og kommer ikke inn på PC-en.",
         "Vi har låst opp brukeren og sendt deg et midlertidig passord på SMS."),
        (ACCESS, "incident", 3, 1, "Passordet har gått ut",
         "Jeg ble bedt om å bytte passord, men det nye blir ikke godtatt, og nå kommer jeg ikke inn.",
         "Passordet er tilbakestilt. Det nye må ha minst 12 tegn og kan ikke ligne de forrige."),
        (ACCESS, "request", 3, 2, "Tilgang til Gerica for nyansatt sykepleier",
         "Ny sykepleier begynner mandag og trenger tilgang til Gerica og legemiddelmodulen.",
         "Tilgangen til Gerica og legemiddelmodulen er gitt fra mandag."),
        (ACCESS, "request", 3, 3, "Tilgang til fellesområdet for økonomi",
         "Jeg trenger lesetilgang til fellesområdet for økonomi for å hente budsjettmalene.",
         "Du har fått lesetilgang til fellesområdet. Logg ut og inn igjen for at den skal virke."),
        (ACCESS, "incident", 3, 2, "Koden for innlogging kommer ikke på SMS",
         "Jeg får ikke koden på SMS når jeg logger inn fra hjemmekontor. Telefonnummeret mitt er riktig.",
         "Mobilnummeret var lagret uten landkode. Det er rettet, og koden kommer nå på SMS."),
        (ACCESS, "request", 3, 3, "Avslutte tilganger for ansatt som slutter",
         "En medarbeider slutter fredag. Tilgangene må avsluttes, og e-posten må videresendes til meg.",
         "Tilgangene avsluttes fredag klokka 16, og e-posten videresendes til deg i tre måneder."),
        (ACCESS, "question", 3, 3, "Hvordan bytter jeg passord hjemmefra?",
         "Passordet mitt går ut neste uke, og jeg jobber hjemmefra. Kan jeg bytte det uten å være på kontoret?",
         "Du kan bytte passord med BankID på passord.vestland-ikt.no, også hjemmefra."),
        (ACCESS, "request", 2, 2, "Tilgang til Visma for sommervikarer",
         "Vi har fire sommervikarer som trenger tilgang til timelister i Visma fra neste uke.",
         "Vikarene har fått tilgang til timelister i Visma fra mandag."),
        (SOFTWARE, "incident", 3, 2, "Outlook viser ikke nye e-poster",
         "Nye e-poster kommer ikke inn før jeg starter Outlook på nytt.",
         "Outlook-profilen er laget på nytt, og e-posten kommer inn som den skal."),
        (SOFTWARE, "incident", 3, 2, "Teams-møter faller ut",
         "Teams-møtene faller ut etter noen minutter, både lyd og bilde. Det skjer både på kontoret og hjemme.",
         "Teams er oppdatert og hurtigbufferen tømt. Si fra om møtene faller ut igjen."),
        (SOFTWARE, "incident", 1, 1, "Gerica svarer ikke",
         "Ingen på sykehjemmet kommer inn i Gerica. Vi får melding om at tjenesten ikke svarer, og vi får ikke "
         "sett medisinlistene.",
         "Databaseserveren for Gerica er startet på nytt etter en feil hos leverandøren. Alle kommer inn igjen."),
        (SOFTWARE, "incident", 2, 1, "Visma henger ved godkjenning av timelister",
         "Visma henger når jeg godkjenner timelister, og lønnskjøringen er i morgen.",
         "Leverandøren har rettet feilen, og timelistene kan godkjennes igjen."),
        (SOFTWARE, "request", 3, 3, "Installere Adobe Acrobat Pro",
         "Jeg trenger Acrobat Pro for å lage utfyllbare PDF-skjemaer til foreldre.",
         "Acrobat Pro er installert. Du finner det i startmenyen."),
        (SOFTWARE, "incident", 3, 2, "Excel krasjer når jeg åpner regnearket",
         "Excel lukker seg hver gang jeg åpner budsjettregnearket. Andre regneark åpner fint.",
         "Regnearket hadde en skadet makro. Vi har reparert filen, og den åpner nå."),
        (SOFTWARE, "incident", 2, 2, "Feilmelding i Public 360 ved journalføring",
         "Vi får feilmelding når vi journalfører innkommende post i Public 360. Det gjelder hele "
         "dokumentsenteret.",
         "Leverandøren har rettet en feil i journalføringsmalen. Journalføring virker igjen."),
        (SOFTWARE, "incident", 2, 1, "Lærerne får ikke opp timeplanen",
         "Ingen av lærerne får opp timeplanen i Visma InSchool i dag.",
         "Synkroniseringen mot Visma InSchool stoppet i natt. Den er startet igjen, og timeplanen vises."),
        (SOFTWARE, "request", 3, 3, "Lisens til Visio",
         "Jeg trenger Visio for å tegne flytskjema over rutinene våre.",
         "Visio-lisensen er tildelt deg. Start PC-en på nytt, så finner du Visio i startmenyen."),
        (SOFTWARE, "question", 3, 3, "Kan vi lagre skjemaer på OneDrive?",
         "Kan vi lagre skjemaer med personopplysninger på OneDrive, eller må de ligge i fagsystemet?",
         "Nei, personopplysninger skal ligge i fagsystemet eller på det sikre fellesområdet, ikke på OneDrive."),
        (NETWORK, "incident", 2, 1, "Trådløst nett nede i gymsalen",
         "Det trådløse nettet i gymsalen og i 1. etasje er nede. Elevene har heldagsprøve på nettbrett.",
         "Aksesspunktet i gymsalen er byttet, og nettet er oppe igjen."),
        (NETWORK, "incident", 3, 2, "VPN faller ut på hjemmekontor",
         "VPN-forbindelsen brytes omtrent hver time når jeg jobber hjemmefra.",
         "VPN-profilen er oppdatert. Prøv igjen fra hjemmekontoret."),
        (NETWORK, "incident", 2, 2, "Tregt nett på hele sykehjemmet",
         "Nettet er svært tregt på alle avdelingene. Det tar lang tid å åpne journaler.",
         "En svitsj på sykehjemmet var overbelastet. Den er byttet, og nettet er raskt igjen."),
        (NETWORK, "incident", 1, 1, "Ingen nettverkstilgang på legevakten",
         "Ingen PC-er på legevakten har nett. Vi kommer ikke inn i journalsystemet og må bruke papir.",
         "Brannmuren på legevakten er startet på nytt, og alle PC-ene har nett igjen."),
        (NETWORK, "incident", 3, 2, "Nettverkskontakten på møterommet virker ikke",
         "Kontakten ved vinduet på møterommet gir ikke nett. Vi har prøvd flere kabler.",
         "Kontakten er koblet om i kommunikasjonsrommet, og den gir nett nå."),
        (NETWORK, "request", 3, 3, "Gjestenett til kurs",
         "Vi har kurs for 30 eksterne deltakere på torsdag og trenger tilgang til gjestenettet.",
         "Gjestenettet er åpnet for torsdag. Passordet kommer på SMS samme morgen."),
        (NETWORK, "question", 3, 3, "Hvordan kobler jeg til eduroam?",
         "Jeg er lærer og vil bruke eduroam på egen PC. Hvilket brukernavn skal jeg bruke?",
         "Bruk e-postadressen din som brukernavn og det vanlige passordet ditt."),
        (PHONE, "incident", 3, 2, "Jobbmobilen får ikke e-post",
         "Jeg får ikke e-post på telefonen etter siste oppdatering. Kalenderen virker.",
         "E-postkontoen er lagt inn på nytt på telefonen."),
        (PHONE, "incident", 3, 1, "Knust skjerm på jobbmobilen",
         "Skjermen knuste da telefonen falt i gulvet. Jeg har hjemmevakt og trenger telefonen.",
         "Du har fått en lånetelefon med samme nummer mens den knuste er til reparasjon."),
        (PHONE, "request", 3, 3, "Ny jobbmobil",
         "Jeg har fått ny stilling og trenger jobbmobil med eget nummer.",
         "Telefonen er bestilt og kommer med internposten neste uke. Nummeret får du på e-post."),
        (PHONE, "incident", 2, 1, "Sentralbordet svarer ikke",
         "De som ringer sentralbordet, får opptattsignal. Det gjelder alle linjene.",
         "Operatøren hadde en feil på linjene. Den er rettet, og sentralbordet svarer igjen."),
        (PHONE, "request", 3, 3, "Nytt SIM-kort",
         "SIM-kortet må byttes fordi telefonen ikke leser det lenger.",
         "Nytt SIM-kort er sendt med internposten."),
        (PHONE, "incident", 3, 1, "Mistet jobbtelefonen",
         "Telefonen ble borte på bussen i dag. Den må sperres, og jeg trenger en ny.",
         "Telefonen er sperret, og ny telefon er bestilt."),
        (PHONE, "question", 3, 3, "Viderekobling av telefonen i ferien",
         "Hvordan setter jeg opp viderekobling av jobbtelefonen til en kollega mens jeg har ferie?",
         "Slå *21* og nummeret til kollegaen, og avslutt med #. Slå #21# for å skru det av igjen."),
    ]
)  # fmt: skip

NN_CASES = _templates(
    [
        (PC, "incident", 3, 2, "Skrivaren skriv ikkje ut",
         "Skrivaren på kontoret blinkar oransje, og utskriftene blir liggjande i køen.",
         "Skrivardrivaren er installert på nytt, og køen er tømd. Det skal verke no."),
        (PC, "incident", 3, 2, "PC-en startar ikkje",
         "PC-en står med svart skjerm etter oppdateringa i natt.",
         "Oppdateringa er rulla tilbake, og PC-en startar som normalt att."),
        (PC, "request", 3, 3, "Ny PC til nytilsett",
         "Vi har ein ny medarbeidar som byrjar måndag og treng berbar PC med dokkingstasjon.",
         "PC-en er klargjord og står klar til henting i resepsjonen i kommunehuset."),
        (ACCESS, "incident", 3, 1, "Brukaren er låst",
         "Eg har tasta feil passord for mange gonger og kjem ikkje inn på PC-en.",
         "Vi har låst opp brukaren og sendt deg eit mellombels passord på SMS."),
        (ACCESS, "request", 3, 2, "Tilgang til Gerica for ny helsefagarbeidar",
         "Ny helsefagarbeidar byrjar på måndag og treng tilgang til Gerica.",
         "Tilgangen til Gerica er gitt frå måndag."),
        (ACCESS, "question", 3, 3, "Korleis byter eg passord heimefrå?",
         "Passordet mitt går ut neste veke. Kan eg byte det utan å vere på kontoret?",
         "Du kan byte passord med BankID på passord.vestland-ikt.no, også heimefrå."),
        (SOFTWARE, "incident", 3, 2, "Outlook viser ikkje nye e-postar",
         "Nye e-postar kjem ikkje inn før eg startar Outlook på nytt.",
         "Outlook-profilen er laga på nytt, og e-posten kjem inn som han skal."),
        (SOFTWARE, "incident", 1, 1, "Gerica svarar ikkje",
         "Ingen på sjukeheimen kjem inn i Gerica, og vi får ikkje sett medisinlistene.",
         "Databasetenaren for Gerica er starta på nytt etter ein feil hos leverandøren. Alle kjem inn att."),
        (SOFTWARE, "request", 3, 3, "Installere Acrobat Pro",
         "Eg treng Acrobat Pro for å lage skjema som foreldra kan fylle ut.",
         "Acrobat Pro er installert. Du finn det i startmenyen."),
        (NETWORK, "incident", 2, 1, "Trådlaust nett nede på skulen",
         "Det trådlause nettet på skulen er nede, og elevane har prøve på nettbrett i dag.",
         "Aksesspunktet på skulen er bytt, og nettet er oppe att."),
        (NETWORK, "incident", 3, 2, "VPN fell ut på heimekontor",
         "VPN-tilkoplinga brotnar kvar time når eg jobbar heimefrå.",
         "VPN-profilen er oppdatert. Prøv att frå heimekontoret."),
        (NETWORK, "incident", 2, 2, "Treigt nett i kommunehuset",
         "Nettet er svært treigt i heile kommunehuset i dag.",
         "Ein svitsj i kommunehuset var overbelasta. Han er bytt, og nettet er raskt att."),
        (PHONE, "incident", 3, 1, "Knust skjerm på jobbmobilen",
         "Skjermen knuste då telefonen datt i golvet. Eg har vakt og treng telefonen.",
         "Du har fått ein lånetelefon med same nummer medan den knuste er til reparasjon."),
        (PHONE, "request", 3, 3, "Ny jobbmobil",
         "Eg har fått ny stilling og treng jobbmobil.",
         "Telefonen er bestilt og kjem med internposten neste veke."),
        (PHONE, "incident", 2, 1, "Sentralbordet svarar ikkje",
         "Dei som ringjer sentralbordet, får opptattsignal.",
         "Operatøren hadde ein feil på linjene. Han er retta, og sentralbordet svarar att."),
    ]
)  # fmt: skip


@dataclass(frozen=True)
class Replies:
    """What agents and callers write on a case, in one language; {first} is the caller's first name."""

    where: str  # a sentence naming the caller's place, added to some descriptions
    ack: list[str]  # the first answer
    ask: list[tuple[str, str]]  # a question that waits for the caller, and the caller's answer
    confirm: str  # asks the caller to confirm a fix
    confirmed: list[str]
    failed: list[str]  # the fix did not hold
    thanks: str  # the agent, resolving after the caller confirmed


NB = Replies(
    where="Gjelder {place}.",
    ack=[
        "Hei {first}! Takk for henvendelsen. Vi ser på saken og kommer tilbake til deg i løpet av dagen.",
        "Hei {first}, vi har tatt saken og ser på den nå.",
        "Hei! Takk for meldingen. Vi feilsøker og gir beskjed så snart vi vet mer.",
    ],
    ask=[
        (
            "Hei {first}! Kan du sende et skjermbilde av feilmeldingen?",
            "Her er skjermbildet av feilmeldingen.",
        ),
        (
            "Hei {first}! Når passer det at vi ringer deg og ser på det sammen?",
            "Det passer fint etter lunsj i dag.",
        ),
        (
            "Hei {first}! Kan du prøve igjen nå og si fra om feilen kommer tilbake?",
            "Jeg har prøvd igjen, men feilen kommer fortsatt.",
        ),
    ],
    confirm="Vi har gjort en endring som skal løse problemet. Kan du bekrefte at det virker nå?",
    confirmed=["Ja, nå virker det. Tusen takk!", "Bekreftet, alt er i orden nå."],
    failed=["Det hjalp dessverre ikke, samme feil igjen.", "Nå kommer feilen tilbake igjen."],
    thanks="Takk for tilbakemeldingen! Vi markerer saken som løst.",
)
NN = Replies(
    where="Gjeld {place}.",
    ack=[
        "Hei {first}! Takk for meldinga. Vi ser på saka og kjem tilbake til deg i løpet av dagen.",
        "Hei {first}, vi har teke saka og ser på ho no.",
        "Hei! Takk for meldinga. Vi feilsøkjer og gir beskjed så snart vi veit meir.",
    ],
    ask=[
        (
            "Hei {first}! Kan du sende eit skjermbilete av feilmeldinga?",
            "Her er skjermbiletet av feilmeldinga.",
        ),
        (
            "Hei {first}! Når passar det at vi ringjer deg og ser på det saman?",
            "Det passar fint etter lunsj i dag.",
        ),
        (
            "Hei {first}! Kan du prøve att no og seie frå om feilen kjem att?",
            "Eg har prøvd att, men feilen kjem framleis.",
        ),
    ],
    confirm="Vi har gjort ei endring som skal løyse problemet. Kan du stadfeste at det verkar no?",
    confirmed=["Ja, no verkar det. Tusen takk!", "Stadfesta, alt er i orden no."],
    failed=["Det hjelpte dessverre ikkje, same feilen att.", "No kjem feilen tilbake att."],
    thanks="Takk for tilbakemeldinga! Vi merkjer saka som løyst.",
)

# Internal notes, in the agents' Bokmål.
NOTES = {
    PC: [
        "Sjekket i Intune: maskinen har ikke fått de siste oppdateringene.",
        "Snakket med brukeren; feilen lar seg gjenskape.",
    ],
    ACCESS: [
        "Leder har godkjent tilgangen på e-post.",
        "Sjekket kontoen i Entra ID; ingen andre feil på brukeren.",
    ],
    SOFTWARE: [
        "Kjent feil etter siste oppdatering; leverandøren jobber med en rettelse.",
        "Loggen på applikasjonsserveren viser tidsavbrudd mot databasen.",
    ],
    NETWORK: ["Aksesspunktet svarer ikke på ping.", "Sjekket svitsjen: porten står som nede."],
    PHONE: ["Sjekket abonnementet hos operatøren.", "Telefonen var ikke registrert i Intune."],
}
STUCK = [
    "Ringte brukeren uten å få svar. Prøver igjen i morgen.",
    "Venter på at leder godkjenner bestillingen.",
]
SUPPLIER = ["Meldt til leverandøren. Venter på svar.", "Bestilt fra leverandøren, leveringstid en uke."]
TRANSFER = [
    "Trenger administratortilgang på serveren.",
    "Må feilsøkes på nettverkssiden.",
    "Krever endring i oppsettet av fagsystemet.",
]

# Canned answers: (team or None for every team, language, title, text).
CANNED_ANSWERS = [
    (IT1, "nb", "Passord tilbakestilt",
     "Hei {caller_first_name}!\n\nVi har tilbakestilt passordet ditt. Du får et midlertidig passord på SMS og må "
     "velge et nytt første gang du logger inn.\n\nHilsen {agent_name}, Vestland IKT-samarbeid"),
    (IT1, "nn", "Passord nullstilt",
     "Hei {caller_first_name}!\n\nVi har nullstilt passordet ditt. Du får eit mellombels passord på SMS og må "
     "velje eit nytt første gong du loggar inn.\n\nHelsing {agent_name}, Vestland IKT-samarbeid"),
    (IT1, "nb", "Fjernhjelp",
     "Hei {caller_first_name}!\n\nVi vil gjerne koble oss til PC-en din med fjernhjelp. Når passer det for "
     "deg?\n\nHilsen {agent_name}"),
    (None, "nb", "Skjermbilde av feilmeldingen",
     "Hei {caller_first_name}!\n\nKan du sende oss et skjermbilde av feilmeldingen? Svar på denne meldingen og "
     "legg ved bildet, så ser vi på det med en gang.\n\nHilsen {agent_name}"),
    (None, "nn", "Skjermbilete av feilmeldinga",
     "Hei {caller_first_name}!\n\nKan du sende oss eit skjermbilete av feilmeldinga? Svar på denne meldinga og "
     "legg ved biletet, så ser vi på det med ein gong.\n\nHelsing {agent_name}"),
    (None, "nb", "Saken er løst",
     "Hei {caller_first_name}!\n\nVi har løst sak {case_number}. Svar på denne meldingen innen 14 dager hvis "
     "noe fortsatt ikke virker, så åpner vi saken igjen.\n\nHilsen {agent_name}"),
    (None, "nn", "Saka er løyst",
     "Hei {caller_first_name}!\n\nVi har løyst sak {case_number}. Svar på denne meldinga innan 14 dagar dersom "
     "noko framleis ikkje verkar, så opnar vi saka att.\n\nHelsing {agent_name}"),
    (IT2, "nb", "Meldt til leverandøren",
     "Hei {caller_first_name}!\n\nVi har meldt feilen i sak {case_number} til leverandøren og venter på svar. "
     "Vi gir beskjed så snart vi hører noe.\n\nHilsen {agent_name}, 2. linje IT"),
]  # fmt: skip
