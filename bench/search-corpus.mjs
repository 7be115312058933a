// French-like posts for the search row, the same from run to run (a seeded generator), and the 20 queries it times:
// single words, two words, phrases, accents dropped, plural and singular.

/** mulberry32: a small seeded generator, so every run indexes the very same text. */
export function seeded(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SUBJECTS = [
  'la métropole',
  'les coopératives',
  'une coopérative d’habitants',
  'le réseau des Ecossolies',
  'les tiers-lieux',
  'l’équipe projet',
  'la Région',
  'les communes',
  'les acteurs de l’ESS',
  'le fonds d’amorçage',
  'la chargée de mission',
  'les associations',
  'le comité de pilotage',
  'les entreprises d’insertion',
  'le cœur de quartier',
];
const VERBS = [
  'accompagne',
  'finance',
  'évalue',
  'soutient',
  'présente',
  'mutualise',
  'anime',
  'expérimente',
  'questionne',
  'renforce',
  'mesure',
  'structure',
  'organise',
  'partage',
];
const OBJECTS = [
  'l’évaluation de l’utilité sociale',
  'les évaluations d’impact',
  'la commande publique responsable',
  'les achats socialement responsables',
  'un parcours d’accompagnement',
  'les circuits courts alimentaires',
  'la gouvernance partagée',
  'le financement solidaire',
  'les projets de territoire',
  'l’innovation sociale',
  'l’économie sociale et solidaire',
  'les clauses d’insertion',
  'la recherche et développement sociale',
  'les emplois locaux',
  'l’accès au foncier',
  'une étude d’opportunité',
  'les indicateurs de suivi',
  'le réemploi des matériaux',
  'les services à la personne',
  'le logement abordable',
];
const TAILS = [
  'avec les partenaires du territoire',
  'dans les quartiers prioritaires',
  'depuis la dernière séance',
  'pour la prochaine session',
  'en lien avec l’ADEME',
  'à l’échelle intercommunale',
  'selon le compte rendu',
  'sur trois ans',
  'au sein du groupe de travail',
  'malgré des moyens limités',
];
const FILLERS = [
  'Nous proposons',
  'Il faudrait',
  'Retour d’expérience :',
  'Question ouverte :',
  'Pour mémoire,',
  'Concrètement,',
  'À noter :',
  'En résumé,',
];

/** One post of two to six sentences. */
export function frenchPost(random) {
  const pick = (list) => list[Math.floor(random() * list.length)];
  const sentences = 2 + Math.floor(random() * 5);
  const parts = [];
  for (let i = 0; i < sentences; i++) parts.push(`${pick(FILLERS)} ${pick(SUBJECTS)} ${pick(VERBS)} ${pick(OBJECTS)} ${pick(TAILS)}.`);
  return parts.join(' ');
}

export const SEARCH_QUERIES = [
  'évaluation',
  'evaluation',
  'évaluations',
  'coopérative',
  'cooperatives',
  'tiers-lieux',
  'tiers lieux',
  'ecossolies',
  'coeur',
  'financement solidaire',
  'commande publique',
  '"utilité sociale"',
  '"circuits courts"',
  'insertion emploi',
  'gouvernance partagee',
  'innovation sociale',
  'foncier -logement',
  'metropole quartiers',
  'réemploi',
  'indicateur',
];
