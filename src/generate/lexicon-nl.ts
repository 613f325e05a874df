// Dutch (Amsterdam/Rotterdam/Brabant, Moroccan-Dutch street register) grammar.
// Everyday chat dominates; business talk is coded; planted threats, leaks and
// decoys have their own rules so the corpus can label them.

import type { Rules } from './grammar.ts';

export const NL_RULES: Rules = {
  // ------------------------------------------------------------ conversation glue
  bro: ['broer', 'bro', 'sahbi', 'mattie', 'neef', 'khoya', 'swa', 'g', 'man', 'strijder', 'habibi', 'mijn broer', 'kil', 'hermano'],
  wollah: ['wollah', 'wallah', 'wlh', 'wallahi', 'echt waar', 'op mijn moeder', 'zweer'],
  greet: [
    'yo', 'ewa', 'ewa {bro}', 'salaam', 'salam aleykum', 'wjo', 'hey', 'hey {bro}', 'yo {bro}', 'hoi', 'goedemorgen', 'mogguh', 'ey', 'wzp', 'alles goed {bro}?',
    'hoe is het', 'hoe gaat ie', 'alles oke?', 'ben je wakker', 'ben je er', 'ey {bro} ben je daar', 'slaap je?', 'yoo', 'wollah {bro} hoe is het', 'fakka', 'fakka {bro}',
  ],
  ack: [
    'ok', 'oke', 'okee', 'k', 'top', 'strak', 'sws', 'komt goed', 'is goed', 'goed zo', 'ja', 'jaa', 'jaaa', 'nee', 'nee man', 'idd', 'inderdaad', 'helemaal goed', 'prima',
    '👍', '👌', '🤝', 'ja {bro}', 'oke {bro}', 'doen we', 'geregeld', 'akkoord', 'check', 'gezien', 'yes', 'klopt', 'zeker', 'safe', 'no stress', 'hamdullah', 'inshallah',
    'ja man', 'ff wachten', 'w8 ff', 'ja ja', 'top {bro}', 'respect', 'dank je', 'thnx', 'bedankt {bro}', 'ik hoor je', 'tof', 'lekker', 'chill', 'vale', 'tranquilo',
  ],
  question: [
    'waar ben je', 'hoe laat', 'wanneer', 'wat zeg je', 'wrm', 'waarom', 'hoezo', 'serieus?', 'echt?', 'wie', 'en nu?', 'heb je het al', 'ben je onderweg', 'kan je bellen',
    'wat doe je vandaag', 'ben je thuis', 'heb je gegeten', 'ga je mee', 'kom je nog', 'wat is het plan', 'is hij al terug', 'alles goed met je moeder?', 'heb je tijd morgen',
  ],
  close: [
    'later', 'spreek je', 'spreek je later', 'ga slapen', 'doei', 'ciao', 'slaap lekker', 'tot morgen', 'ik ben weg', 'bel je straks', 'later {bro}', 'take care', 'ik ga ff douchen',
    'moet gaan', 'batterij bijna leeg', 'ik val in slaap', 'beslama', 'bslama', 'tot zo', 'hou je taai', 'pas op jezelf',
  ],
  filler: ['??', '?', '...', 'hallo?', 'yo??', 'ff wachten', 'sec', '1 sec', 'momentje', 'hmm', 'ja?', 'wat', 'nvm', 'laat maar', 'ok dan', '😂', 'haha', 'jaja', 'pff'],

  // ------------------------------------------------------------ everyday chat
  food: ['kapsalon', 'shoarma', 'pizza', 'sushi', 'döner', 'burger', 'tajine', 'couscous', 'kip', 'broodje kroket', 'friet', 'loempia', 'roti', 'surinaams', 'pho', 'poke bowl', 'bami', 'kebab'],
  'chat.food': [
    'ik heb zo honger {bro}', 'zin in {food}', 'we gaan {food} halen, jij ook?', 'wil je {food}?', 'bestel jij {food} of ik', 'die {food} bij {name} is echt de beste', 'ff {food} bikken',
    'moeder heeft {food} gemaakt', 'ik ben aan het koken', 'heb je al gegeten', 'ramadan begint bijna', 'eet smakelijk', 'die {food} was kaulo lekker', 'thuisbezorgd duurt weer een uur',
    'ik heb zin in iets zoets', 'kom je eten bij ons vanavond', 'breng je {food} mee', 'kan niet meer eten ben vol', 'ik heb {food} besteld voor iedereen', 'die tent is dicht door corona',
    'mocro snackbar heeft nieuwe {food}', 'iftar bij mijn moeder', 'ik zit op dieet haha', 'ik wil geen {food} meer zien',
  ],
  'chat.football': [
    'heb je {club} gezien gisteren', '{club} is kapot', '{player} is een beest', 'competitie ligt stil door corona', 'ik mis voetbal {bro}', 'ik zet 50 op {club}',
    'fifa vanavond?', 'kom fifa spelen', '{club} gaat kampioen worden', 'knvb heeft alles gestopt, schande', 'wie wint er dit jaar cl', '{player} moet naar {club}',
    'samenvatting gezien?', 'die goal van {player}', 'ik speel zaterdag zaalvoetbal', 'ga jij naar de kuip als het weer mag', 'arena is leeg, triest', '{club} moet die trainer ontslaan',
  ],
  'chat.family': [
    'mijn moeder is jarig', 'moet mijn zoon ophalen van school', 'kleine is ziek', 'mijn vrouw is boos haha', 'broertje heeft examen', 'we gaan naar mijn schoonmoeder', 'mijn vader ligt in het ziekenhuis',
    'groetjes aan je moeder', 'mijn dochter loopt al', 'ik moet de kinderen naar bed brengen', 'neef gaat trouwen in augustus', 'mijn oma is overleden {bro}', 'innalillahi', 'mijn zus is bevallen',
    'familie komt eten', 'ik moet naar de begrafenis', 'mijn vrouw wil verhuizen', 'schoolwerk met de kleine, thuisonderwijs is hel', 'moeder belt steeds', 'moet boodschappen doen voor mijn moeder',
  ],
  'chat.cars': [
    'nieuwe {carbrand} gezien', 'ik wil een {carbrand}', 'waggie moet naar de garage', 'mijn {carbrand} maakt raar geluid', 'lease loopt af', 'apk verlopen haha', 'die {carbrand} rijdt als een raket',
    'flitser op de a15 weer', 'bon gekregen 130 op de a4', 'ik heb de {carbrand} van {name} geleend', 'moet tanken', 'parkeren in de stad is niet te doen', 'garage zegt koppeling kapot',
    'wat kost die {carbrand}', 'ruilen voor een {carbrand}?', 'nieuwe velgen erop', 'ramen laten tinten', 'waggie is gewassen', 'zit in de file bij de coentunnel', 'a20 staat vast',
  ],
  'chat.gym': [
    'gym is dicht {bro}', 'thuis trainen', 'ga je mee sporten', 'ik ben {n} kilo aangekomen', 'kickboksen vanavond', 'boksen bij de club', 'hardlopen in het park', 'eiwit shake', 'rug doet pijn van deadlift',
    'ik ga weer beginnen met trainen', 'personal trainer is te duur', 'ik heb een bankje gekocht', 'arm dag vandaag',
  ],
  'chat.weather': ['het is warm vandaag', 'wat een weer', 'regent de hele dag', 'strand?', 'zon is er eindelijk', 'het is koud voor mei', 'bbq in het park', 'zwemmen bij de plas', 'hittegolf komt eraan', 'storm vannacht'],
  'chat.plans': [
    'kom je vanavond', 'zullen we afspreken', 'ik ben om {clock} bij je', 'ik kom je halen', 'zie je bij de shisha lounge', 'ben je in {hood}', 'kom naar {hood}', 'we zitten bij {name}',
    'morgen {clock} afspreken', 'ik ben er over 10 min', 'onderweg', 'sta beneden', 'bel aan', 'ik sta voor de deur', 'effe langskomen?', 'ik kan niet vandaag, morgen?', 'over een uurtje',
    'avondklok bestaat hier niet gelukkig', 'we chillen bij het water', 'zaterdag feestje bij {name}', 'kom je {day}', 'laten we {day} {clock} doen',
  ],
  'chat.media': [
    'heb je netflix', 'kijk money heist', 'la casa de papel seizoen 4 is uit', 'narcos mexico is goed', 'nieuwe nummer van {artist} is hard', '{artist} heeft nieuw album', 'ik speel cod', 'warzone?',
    'kom warzone', 'ps4 kapot', 'the last dance gekeken?', 'tiger king is ziek', 'film gekeken gisteren', 'youtube filmpje gezien van {name}', 'die clip van {artist} 🔥', 'snapchat doet raar',
  ],
  artist: ['boef', 'lijpe', 'josylvio', 'ashafar', 'frenna', 'hef', 'kevin', 'sevn alias', 'ismo', 'mula b', 'broederliefde', 'jonna fraser', 'rotjoch', 'srno', 'kalibwoy', 'jandro'],
  'chat.girls': [
    'die meid appt me weer', 'ik heb een date', 'mijn ex doet moeilijk', 'ze wil trouwen {bro}', 'vrouwen zijn gek', 'ze heeft me geblokt', 'ik ga met haar eten', 'ze is mooi wollah',
    'ik zit vast met haar', 'ze is jaloers op encro haha', 'ze wil op vakantie', 'valentijn vergeten', 'die kech praat teveel', 'laat haar, ze is niks',
  ],
  'chat.holiday': ['na corona naar marokko', 'dubai in de zomer', 'ibiza?', 'vliegen is nu niet', 'marbella zit vol met onze mensen', 'ik wil naar turkije', 'tickets gekocht', 'vakantie geannuleerd', 'zomer naar tanger', 'villa in spanje gehuurd'],
  'chat.covid': [
    'corona is echt kapot', 'alles is dicht', 'intelligente lockdown haha', 'mondkapje vergeten', 'rutte weer op tv', 'ik verveel me dood', 'thuiswerken haha wat voor werk', '1,5 meter {bro}',
    'mijn tante heeft corona', 'test gedaan, negatief', 'scholen gaan weer open', 'horeca gaat 1 juni open', 'niemand op straat', 'politie controleert overal', 'coffeeshop alleen afhaal',
  ],
  'chat.clothes': ['nieuwe patta\'s', 'die trainingspak van {brand} is hard', 'ik heb een nieuwe {brand} jas', 'moncler of canada goose', 'nep of echt?', 'ik heb maat 43', 'bestel je het online', 'stone island sale', 'dat horloge is nep'],
  brand: ['nike', 'stone island', 'moncler', 'gucci', 'louis', 'lacoste', 'canada goose', 'trapstar', 'cp company', 'balenciaga', 'off white', 'amiri'],
  'chat.health': ['ik ben ziek', 'koorts', 'tandarts morgen', 'kan niet slapen', 'rug doet pijn', 'ik moet naar de dokter', 'ik ben moe', 'hoofdpijn van gisteren', 'allergie', 'ik ben gestopt met roken'],
  'chat.phone': [
    'mijn toestel doet raar', 'update gedaan?', 'encro loopt vast', 'batterij is slecht van die bq', 'nieuwe abonnement nodig, verloopt {day}', 'ik heb een nieuwe', 'die reseller zit in {hood}',
    'panic wipe ingesteld?', 'zet je timer op 1 dag', 'stuur het niet op snap', 'niet via whatsapp', 'bel me op de andere', 'ik heb een nieuw toestel, zelfde naam', 'mijn contacten zijn weg',
    '6 maanden kost nu 1500', 'laadkabel vergeten', 'scherm kapot',
  ],
  n: ['2', '3', '4', '5', '6', '8', '10', '12'],

  // ------------------------------------------------------------ business (coded)
  drug: ['wit', 'spul', 'stenen', 'koeken', 'blokken', 'stuff', 'de waar', 'koffie', 'snow', 'het zakje', 'de tegels'],
  'biz.coke': [
    'hoeveel {drug} heb je nog', 'ik heb nog {n} stenen', 'prijs is nu 28 per steen', 'prijs zakt als die boot binnenkomt', 'kwaliteit is goed, 90+', 'klant wil {n} stenen voor {day}',
    'de waar is binnen', 'die stenen hebben een logo van een kroon', 'klant klaagt, spul is geknipt', 'nieuwe lijn uit ecuador', 'ik heb een koper in {city}', 'kan je {n} blokken regelen',
    'haal {n} koeken bij {name}', 'lading is in {city}', 'stenen liggen in de loods', 'verpakking is met {brandlogo} logo', 'alles is 87 procent', 'brengen we met de {carbrand}',
    'de boot heeft vertraging', 'ik wacht op de nieuwe lijst', 'er zitten {n} stenen bij die niet goed zijn', 'de kapper wil 2 stenen op pof',
  ],
  brandlogo: ['ferrari', 'rolex', 'chanel', 'superman', 'dolfijn', 'schorpioen', 'bugatti', 'kroon', 'tony montana', 'whatsapp'],
  'biz.weed': [
    'kweek is bijna klaar', 'oogst over 2 weken', 'kwekerij in {city} is opgerold', 'stekken nodig', 'amnesia of lemon', 'hoeveel kilo groen', 'hasj uit marokko komt {day}', 'lampen en filters gehaald',
    'stroom aftappen is geregeld', 'die zolder ruikt kilometers ver', 'bakken zijn vol', 'droogruimte is klaar', 'knippers nodig', 'coffeeshop wil 20 kilo', 'export naar engeland',
  ],
  'biz.lab': [
    'de kok komt uit polen', 'vaten {chem} staan in de schuur', 'we hebben {n} vaten {chem} nodig', 'lab moet verhuizen', 'ruikt naar anijs overal', 'afval moet weg', 'dumpen in het bos niet meer doen',
    'de kok wil meer geld', 'crystal of poeder', 'het lab draait weer', 'die boer in brabant wil zijn schuur verhuren', 'pillen persen met de nieuwe machine', 'stempel met {brandlogo}',
    'mexicanen komen helpen met koken', '{chem} komt uit china via rotterdam', 'dampen maken me ziek',
  ],
  'biz.money': [
    'ik heb de doekoe', 'hij is nog {n} barkies schuldig', 'geld ligt klaar', 'tellen bij {name}', 'geldtelmachine kapot', 'geld moet naar dubai', 'de bankier in {city} neemt 3 procent',
    'ondergronds bankieren via de telefoonwinkel', 'token is een foto van een 5 euro briefje', 'contant naar marokko', 'pinnen gaat niet meer', 'floes is er', 'hij betaalt vrijdag',
    'niemand betaalt op tijd', 'schuld is nu verdubbeld', 'rente erop', 'de kapsalon is voor het witwassen', 'autobedrijf schrijft facturen', 'geld moet wit', 'vastgoed in spanje kopen',
  ],
  'biz.crypto': [
    'zet het in bitcoin', 'btc staat laag', 'ik stuur het naar je wallet', 'usdt is beter', 'exchange heeft mijn account geblokt', 'crypto atm in {city}', 'cashen via die libanees',
    'monero is veiliger', 'ledger kwijt haha', 'seed phrase staat op papier', 'bitcoin gaat naar 10k', 'geld via binance',
  ],
  'biz.weapons': [
    'ik heb een waffie nodig', 'hij verkoopt ijzers', 'glock 19 kost 3500', 'kogels zijn op', 'scorpion met 2 magazijnen', 'vest is binnen', 'geweer ligt bij {name}', 'niet bellen over ijzers',
    'blaffer is schoon', 'die ak komt uit servië', 'handgranaat voor afschrikken', 'demper erbij?',
  ],
  'biz.meet': [
    'ophalen bij de pomp', 'ik sta bij de mcdonalds', 'parkeerplaats ikea {clock}', 'kom naar de loods', 'garage achter de {food}zaak', 'neem de andere auto', 'niet met je eigen auto',
    'kom alleen', 'telefoon uit in de auto', 'ik sta achter het station', 'afspreken bij de bouwmarkt', 'breng de tas mee', 'doe het in de kofferbak', 'laat de sleutel onder de mat',
  ],
  city: ['rotterdam', 'amsterdam', 'utrecht', 'eindhoven', 'tilburg', 'breda', 'den haag', 'almere', 'antwerpen', 'arnhem', 'nijmegen', 'roosendaal', 'zaandam', 'hoofddorp', 'dordrecht', 'schiedam'],
  port: ['rotterdam', 'antwerpen', 'de maasvlakte', 'de waalhaven', 'vlissingen', 'de ect', 'apm', 'de botlek'],

  // ------------------------------------------------------------ entity sentences
  'ent.phone': [
    'bel me op {@phone:own}', 'mijn nieuwe nummer {@phone:own}', 'nummer van {name} is {@phone}', '{@phone} dat is zijn nummer', 'app deze {@phone}', 'sla op: {@phone}', 'die gast heeft nummer {@phone}',
    'bel {@phone} en vraag naar {name}', 'klant nummer {@phone}', 'mijn vrouw haar nummer {@phone} als er iets is', '{name} zn nr {@phone}', 'whatsapp {@phone} niet bellen', 'nieuwe sim {@phone:own}',
  ],
  'ent.iban': [
    'maak over naar {@iban:own}', 'rekening is {@iban}', 'stort op {@iban} tnv {fullname}', '{@iban} op naam van zijn moeder', 'zet het op {@iban} omschrijving huur', 'iban {@iban}',
    'factuur gaat naar {@iban}', 'gebruik deze rekening {@iban}', 'betaal de huur op {@iban}',
  ],
  'ent.bic': ['iban {@iban} bic {@bic}', 'bic code is {@bic}', '{@iban} swift {@bic}'],
  'ent.email': ['mail het naar {@email}', 'zijn mail is {@email}', 'stuur de factuur naar {@email}', 'account van {@email}', 'inloggen met {@email}', 'mail {@email} voor de papieren'],
  'ent.url': ['check dit {@url}', 'kijk {@url}', '{@url} die auto is mooi', 'link: {@url}', 'hier {@url}', 'stuur ik via {@url}', 'filmpje {@url}'],
  'ent.ipv4': ['server ip {@ipv4}', 'vpn zit op {@ipv4}', 'camera bereikbaar op {@ipv4}', 'login vanaf {@ipv4} gezien', 'panel draait op {@ipv4}'],
  'ent.ipv6': ['ipv6 adres is {@ipv6}', 'die server heeft {@ipv6}', 'log toont {@ipv6}'],
  'ent.btc': ['stuur naar {@btc:own}', 'wallet {@btc}', 'btc adres {@btc}', 'zet het op {@btc}', 'mijn wallet is {@btc:own}', 'betaal in btc naar {@btc}'],
  'ent.eth': ['eth wallet {@eth:own}', 'stuur usdt naar {@eth}', 'erc20 adres {@eth}', 'zet het op {@eth}'],
  'ent.xmr': ['monero naar {@xmr:own}', 'xmr adres {@xmr}', 'alleen monero: {@xmr}'],
  'ent.imei': ['nieuw toestel imei {@imei:own}', 'imei van zijn toestel is {@imei}', 'check imei {@imei}', 'die bq met imei {@imei} is gestolen', 'reseller vraagt imei: {@imei:own}'],
  'ent.plate': [
    'kenteken {@plate}', 'die {carbrand} met kenteken {@plate}', 'auto is {@plate}', 'zwarte {carbrand} {@plate}', 'kijk uit voor {@plate}, dat is een dekauto', 'ik rij in de {@plate}', 'nummerplaat {@plate}',
    'huurauto {@plate}', 'die bus {@plate} volgt me', 'kenteken van de waggie is {@plate}',
  ],
  'ent.coordinates': ['locatie {@coordinates}', 'hier is het {@coordinates}', 'kom naar {@coordinates}', 'pin {@coordinates}', 'loods zit op {@coordinates}', 'drop {@coordinates}'],
  'ent.container': ['container {@container}', 'nummer van de bak is {@container}', 'check {@container} in het systeem', 'bak {@container} staat op de kade', 'het zit in {@container}'],
  'ent.amount': [
    'hij krijgt {@amount}', 'kost {@amount}', 'ik heb {@amount} gegeven', 'hij wil {@amount} voor de auto', 'schuld is {@amount}', 'huur is {@amount}', '{@amount} cash', 'breng {@amount} mee',
    'we hebben {@amount} verdiend', 'prijs is {@amount}', 'ik leen je {@amount}', 'dat horloge kost {@amount}',
  ],

  // ------------------------------------------------------------ entity decoys
  'dec.order': ['bestelnummer {!order}', 'mijn bestelling {!order} is nog niet binnen', 'ordernummer {!order} bij zalando', 'klantnummer {!order}', 'factuurnummer {!order}'],
  'dec.shortphone': ['nummer was {!shortphone} of zo, mis een cijfer', 'hij gaf {!shortphone} maar klopt niet', '{!shortphone}? er mist iets'],
  'dec.parcel': ['track en trace {!parcel}', 'pakket {!parcel} komt morgen', 'postnl code {!parcel}'],
  'dec.iban': ['rekening {!iban} klopt niet zegt de bank', 'hij gaf {!iban} maar overboeking mislukt', 'is het {!iban}? bank zegt ongeldig'],
  'dec.imei': ['serienummer {!imei}', 'referentie {!imei}', 'zending {!imei}'],
  'dec.btc': ['adres {!btc} werkt niet, typfout?', 'wallet {!btc} geeft error', 'dat adres {!btc} is fout'],
  'dec.bech32': ['{!bech32} klopt niet', 'die wallet {!bech32} pakt hij niet'],
  'dec.container': ['bak {!container} bestaat niet zegt de terminal', 'nummer {!container}? volgens mij typfout'],
  'dec.date': ['afspraak op {!date}', 'hij komt vrij op {!date}', 'zitting is {!date}', 'geboren {!date}', 'rechtszaak {!date}'],
  'dec.score': ['{club} won {!score}', 'het werd {!score}', '{!score} verloren van {club}', 'fifa: {!score} voor mij', 'eindstand {!score}'],
  'dec.pizza': ['pizza kost {!pizza}', '{food} was {!pizza}', 'betaalde {!pizza} voor een {food}', 'lunch {!pizza}'],
  'dec.stenen': ['hij heeft {!stenen} nodig', 'er liggen nog {!stenen}', '{!stenen} voor de klant in {city}', 'totaal {!stenen}'],
  'dec.version': ['update naar versie {!version}', 'encro versie {!version} geïnstalleerd', 'firmware {!version}'],
  'dec.eth': ['stuur niet naar {!eth}, klopt niet', 'adres {!eth} geeft fout'],

  // ------------------------------------------------------------ threat look-alikes (must score low)
  'tdec.food': ['ik ga die pizza klappen', 'die {food} heb ik helemaal gesloopt', 'ik ga die hele taart afmaken', 'die kapsalon ging eraan haha', 'ik ga die {food} vernietigen'],
  'tdec.laugh': ['ik ga dood van het lachen', 'ik lig dood {lol}', 'je maakt me kapot {lol}', 'ik ben dood {lol}', 'hij vermoordt me met die grappen', 'ik sterf {lol}'],
  'tdec.group': ['hij moet weg uit de groep', '{name} moet uit de groep, te veel spam', 'haal hem uit de groep', 'gooi die gast uit de chat'],
  'tdec.hurry': ['schiet op {bro}', 'schiet nou op', 'schiet op we zijn laat', 'kom op schiet op'],
  'tdec.game': ['ik heb hem afgeknald in warzone', 'ik schiet iedereen kapot in cod', 'kom we gaan ze slopen in fifa', 'ik heb 12 kills gemaakt', 'headshot {lol}', 'die sniper in warzone is ziek'],
  'tdec.film': ['john wick schiet iedereen dood, film is hard', 'in narcos knallen ze hem neer', 'die film over de mocro maffia is nep', 'peaky blinders is bloederig'],
  'tdec.sport': ['{club} heeft ze afgeslacht', 'dat was een slachtpartij, {!score}', 'ze zijn vermoord door {club}', 'we hebben ze afgemaakt met zaalvoetbal'],
  'tdec.tired': ['ik ben kapot moe', 'ik ben dood op', 'doodmoe {bro}', 'ik ga dood van de hitte'],
  'tdec.pickup': ['ophalen bij de bakker', 'ik ga mijn zoon ophalen', 'pakketje ophalen bij de postnl', 'ik moet de auto ophalen bij de garage', 'kan jij mijn moeder ophalen van het station'],
  'tdec.family': ['mijn moeder vermoordt me als ik te laat ben', 'mijn vrouw maakt me af', 'mijn vader slaat me dood als hij het hoort {lol}'],

  // ------------------------------------------------------------ insider leaks
  'leak.police': [
    'mijn neef bij de politie checkt het kenteken {@plate}', 'die agent zegt dat er een tap op {name} zit', 'ik laat het natrekken in het systeem', 'onze man bij de politie zegt dat ze {hood} in de gaten houden',
    'contact bij de skotoe zegt dat er een inval komt {day}', 'mijn vriendin werkt bij de politie, ze heeft zijn adres opgezocht', 'die wout heeft het in bvh gezien', 'iemand op het bureau zegt dat jij in beeld bent',
    'ik heb iemand bij de recherche, hij checkt of {name} praat', 'kenteken {@plate} laten draaien bij mijn contact, komt niks uit',
  ],
  'leak.customs': [
    'contact bij de douane zegt container is geflagd', 'douane mannetje zegt {@container} wordt gescand', 'onze douanier laat de bak door', 'mijn vriend bij de douane ziet de lijst van scans',
    'douane heeft {@container} op de lijst, niet ophalen', 'die douanier wil 50k per bak', 'douane contact checkt of de bak op rood staat',
  ],
  'leak.port': [
    'haven ID pas geregeld voor de uithaler', 'die gast bij ect geeft de pincode door', 'pincode van {@container} komt morgen', 'onze man bij de terminal zet de bak apart', 'straddle carrier chauffeur zet hem achteraan',
    'planner bij apm verplaatst de bak', 'havenpas van zijn neef lenen', 'sjorder op de kade is van ons', 'ik heb iemand in het systeem van de terminal',
  ],
  'leak.municipality': [
    'BRP uittreksel van die gast', 'mijn nicht bij de gemeente zoekt zijn adres op', 'gemeente contact geeft het nieuwe adres van {name}', 'ik heb zijn woonadres uit het brp', 'iemand bij burgerzaken checkt het',
  ],
  'leak.registry': [
    'mijn contact bij de rdw zegt op wie {@plate} staat', 'rdw check gedaan, auto staat op een leasebedrijf', 'kvk uittreksel van zijn bedrijf via mijn maat', 'kadaster laat zien dat het huis van zijn moeder is',
    'iemand bij de belastingdienst checkt zijn inkomen',
  ],

  // ------------------------------------------------------------ threat planning (labelled)
  'thr.motive': [
    '{$target} heeft {@amount:case} niet betaald', '{$target} heeft de partij gerript', '{$target} praat met de politie', '{$target} heeft onze stenen gestolen', 'die {$target} heeft {name} verraden',
    '{$target} denkt dat hij slim is, hij heeft ons genaaid', '{$target} is een rat', 'die {$target} heeft onze lading laten oppakken',
  ],
  'thr.kill': [
    '{$target} moet weg', 'die {$target} gaat eraan', 'we gaan {$target} klappen', 'die gast uitschakelen {$day}', '{$target} moet slapen, voorgoed', '{$target} moet een tik krijgen, in zijn hoofd',
    'ik wil {$target} dood hebben', '{$target} haalt de zomer niet', 'die rat moet gewoon weg, {$target} is klaar', 'kogel voor {$target}', 'we maken {$target} af', 'die {$target} moet je omleggen',
    '{$target} moet van de kaart', 'regel dat {$target} niet meer wakker wordt', 'als {$target} {$day} buiten komt is hij klaar',
  ],
  'thr.kidnap': [
    'we gaan {$target} ophalen en in de bus', '{$target} ophalen bij zijn huis en meenemen naar de loods', 'we pakken {$target} op en houden hem vast tot hij betaalt', '{$target} gaat mee in de kofferbak',
    'we nemen {$target} mee {$day}, zijn broer moet betalen', 'ontvoeren die {$target}, dan komt de doekoe vanzelf', 'we pakken zijn zoon als {$target} niet betaalt',
  ],
  'thr.torture': [
    'de stoel staat klaar in de container, {$target} gaat praten', '{$target} moet praten, tang en brander mee', 'we laten {$target} zweten tot hij zegt waar het ligt', 'behandelkamer is klaar voor {$target}',
    'handboeien en tape voor {$target}', 'we gaan {$target} bewerken tot hij alles vertelt',
  ],
  'thr.assault': [
    '{$target} moet klappen krijgen', 'breek zijn benen, {$target} moet het voelen', 'schiet {$target} in zijn knieën', 'we slaan {$target} in elkaar bij zijn huis', 'geef {$target} een lesje, niet dood maken',
    '{$target} moet een pak slaag', 'steek {$target} in zijn been',
  ],
  'thr.weapon': [
    'de AK ligt klaar', 'ik heb 2 ijzers en een vest', 'scorpion met demper is er', 'glock is schoon, nooit gebruikt', 'kogels opgehaald, {n} dozen', 'blaffer ligt in de {carbrand}', 'handgranaat als backup',
    'uzi is geregeld', 'de shooter heeft zijn eigen waffie', 'brander en jerrycan in de kofferbak',
  ],
  'thr.car': [
    'gestolen {carbrand} staat klaar, kenteken {@plate:case}', 'auto met valse platen {@plate:case}', 'de bus staat in de garage', 'vluchtauto is een {carbrand}, platen {@plate:case}', 'scooter voor de shooter staat klaar',
    'na de klus de auto in de fik', 'dekauto rijdt voor, {@plate:case}',
  ],
  'thr.location': [
    '{$target} woont op {$addr}', 'hier is zijn huis {@coordinates:case}', 'hij zit elke dag bij de sportschool in {city}', 'zijn vrouw woont op {$addr}', 'zijn auto staat altijd bij {@coordinates:case}',
    'hij komt elke {$day} bij zijn moeder op {$addr}', 'loods waar we hem heen brengen: {@coordinates:case}',
  ],
  'thr.photo': ['dit is hem', 'foto van {$target}', 'kijk goed, dit is zijn gezicht', 'foto van zijn auto en huis', 'dit is zijn vrouw en zijn auto', 'onthoud dit gezicht'],
  'thr.time': [
    '{$day} na het sporten om {$time}', 'morgenvroeg als hij zijn kind naar school brengt', '{$day} {$time} gebeurt het', 'wacht tot hij alleen is, {$day} avond', 'na het vrijdaggebed', 'als hij uit de shisha komt om {$time}',
  ],
  'thr.pay': [
    '{@amount:case} voor het werk, helft vooraf', 'shooter krijgt {@amount:case}', 'betaling {@amount:case} na bewijs', 'ik leg {@amount:case} klaar voor de jongens', 'prijs op zijn hoofd is {@amount:case}',
  ],
  'thr.spot': [
    'spotter zit voor zijn deur', 'baken zit onder zijn auto', 'we volgen hem al een week', 'zijn routine is elke dag hetzelfde', 'jongen van {hood} houdt hem in de gaten', 'peilzender geplaatst op {$target} zijn auto',
  ],
  'thr.confirm': ['alles staat klaar voor {$target}', 'het gaat door {$day}', 'geen fouten, {$target} moet weg', 'zodra ik het zeg gaan jullie', 'jongens zijn klaar, wachten op go'],
  'thr.ack': ['ok', 'begrepen', 'geregeld', 'komt goed', 'ja', 'ik regel het', 'zeg maar wanneer', 'niet via dit toestel praten daarover', 'wissen na lezen'],
  'thr.done': ['het is gedaan', 'klus geklaard', 'hij is weg', 'gebeurd, check het nieuws', 'jongens zijn veilig'],

  // ------------------------------------------------------------ case scripts
  'case.coke.announce': [
    'bak komt binnen in {$port}, nummer {@container:case}', 'container {@container:case} zit vol met bananen en {$n} stenen', 'de lading komt met de boot uit guayaquil, {@container:case}', '{$n} stenen in {@container:case}, aankomst volgende week',
  ],
  'case.coke.eta': ['boot ligt voor de kust', 'eta {$day}', 'boot is vertraagd, nu {$day}', 'bak staat op de kade in {$port}', 'lossen begint morgen', 'bak {@container:case} is gelost'],
  'case.coke.crew': [
    'uithalers zijn geregeld, 4 jongens', 'de jongens gaan in een container liggen tot de bak er is', 'uithalers krijgen {@amount} per persoon', 'uithaler ploeg van {hood} doet het', 'kniptang en bolt cutter mee',
    'ze moeten de zegel vervangen, nieuw zegelnummer geregeld',
  ],
  'case.coke.pickup': ['ophalen bij {@coordinates:case}', 'truck haalt de bak op {$day}', 'pickup om {$time} bij de kade', 'lading naar de loods in {city}', 'chauffeur rijdt met {@plate:case}'],
  'case.coke.pay': ['betaling {@amount:case} voor de haven', 'colombianen willen {@amount:case} vooraf', 'de helft nu, rest na uithalen', 'geld gaat naar {@iban:case}', 'storten in btc {@btc:case}'],
  'case.coke.done': ['alles is binnen hamdullah', 'stenen liggen veilig', 'lading is verdeeld', 'gelukt {bro}', 'perfect gegaan'],
  'case.lab.chem': ['{$n} vaten {$chem} besteld', '{$chem} komt uit china via {$port}', 'vaten {$chem} staan bij {@coordinates:case}', 'we hebben ook zoutzuur nodig', 'chemicaliën zijn er, {$n} pallets'],
  'case.lab.place': ['schuur in brabant gehuurd, {@coordinates:case}', 'boer krijgt {@amount:case} per maand', 'lab zit op {$addr}', 'stroom aangesloten', 'ketels staan klaar'],
  'case.lab.cook': ['kok begint {$day}', 'eerste batch is klaar', '{$n} kilo speed uit deze ronde', 'kwaliteit is top', 'kok wil extra voor de nachten'],
  'case.lab.waste': ['afval dumpen bij {@coordinates}', 'jerrycans met afval in de {carbrand}', 'vaten moeten weg voor de controle', 'afval in de sloot is te link'],
  'case.lab.transport': ['speed gaat met de bus {@plate:case}', 'chauffeur rijdt {$day} naar {city}', 'transport naar duitsland met {@plate:case}'],
  'case.lab.pay': ['kok krijgt {@amount}', 'betaal de boer op {@iban:case}', 'winst is {@amount}'],
  'case.money.cash': ['{@amount:case} ophalen bij {name} in {city}', 'koerier rijdt met {@plate:case}', 'tas met {@amount:case} staat klaar', 'geld tellen in de garage', 'token gestuurd, foto van biljet'],
  'case.money.iban': ['overmaken naar {@iban:case}', 'factuur via het autobedrijf, rekening {@iban:case}', 'stroman rekening {@iban:case}', 'geld staat op {@iban:case}, morgen doorboeken'],
  'case.money.crypto': ['omzetten in btc naar {@btc:case}', 'usdt naar {@eth:case}', 'cashen via {@btc:case}', 'de ondergrondse bankier wil het in monero {@xmr:case}'],
  'case.money.front': ['kapsalon boekt het als omzet', 'autobedrijf koopt {carbrand} met het geld', 'vastgoed in dubai kopen', 'leningsovereenkomst opstellen met {fullname}'],
  'case.money.count': ['geteld: {@amount:case}', 'er mist {@amount}', 'klopt precies', 'biljetten van 500 moeten weg'],
  panic: [
    'encro is gehackt, gooi je toestel weg', 'bericht van encro: toestel nu uitzetten', 'ze lezen alles mee {bro}', 'alles wissen nu', 'toestel weggooien wollah', 'politie leest mee, niet meer praten hier',
  ],

  // ------------------------------------------------------------ notes (own device notebook)
  'note.todo': ['boodschappen: melk brood eieren', 'tandarts {day} {clock}', 'bellen met {name}', 'garage {day}', 'verjaardag moeder', 'abonnement verlengen', 'huur betalen', 'advocaat bellen'],
  'note.debt': ['{name} {@amount}', 'schuld {name}: {@amount}', '{name} nog {@amount}, {name} {@amount}', 'uitgeleend aan {name} {@amount}'],
  'note.contact': ['{name} {@phone}', 'nr {name}: {@phone}', '{fullname} {@phone}', 'rekening {fullname} {@iban}'],
  'note.address': ['{$addr}', 'adres {name}: {$addr}', 'loods {@coordinates}', 'parkeerplaats {@coordinates}'],
  addr: ['{street} {num}, {city}'],
  street: ['kruiskade', 'wolphaertsbocht', 'bijlmerdreef', 'mercatorplein', 'kerkstraat', 'dorpsstraat', 'laan van meerdervoort', 'beijerlandselaan', 'javastraat', 'amsterdamsestraatweg', 'stationsweg', 'marktplein', 'havenstraat', 'graaf florisstraat', 'pleinweg', 'slotermeerlaan'],
  num: ['1', '4', '12', '17a', '23', '31', '45', '58', '66b', '102', '113', '7', '9-ii', '203'],
};
