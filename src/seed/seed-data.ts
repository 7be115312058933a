import type { Lever, Stage } from '../practices/levers';

/** The 22 French metropolises of 2018 (PRODUCT.md), with their regions. */
export const METROPOLISES: ReadonlyArray<{ name: string; region: string }> = [
  { name: 'Métropole du Grand Paris', region: 'Île-de-France' },
  { name: 'Aix-Marseille-Provence', region: "Provence-Alpes-Côte d'Azur" },
  { name: 'Métropole de Lyon', region: 'Auvergne-Rhône-Alpes' },
  { name: 'Métropole Européenne de Lille', region: 'Hauts-de-France' },
  { name: 'Bordeaux Métropole', region: 'Nouvelle-Aquitaine' },
  { name: 'Toulouse Métropole', region: 'Occitanie' },
  { name: 'Nantes Métropole', region: 'Pays de la Loire' },
  { name: "Métropole Nice Côte d'Azur", region: "Provence-Alpes-Côte d'Azur" },
  { name: 'Eurométropole de Strasbourg', region: 'Grand Est' },
  { name: 'Rennes Métropole', region: 'Bretagne' },
  { name: 'Grenoble-Alpes Métropole', region: 'Auvergne-Rhône-Alpes' },
  { name: 'Montpellier Méditerranée Métropole', region: 'Occitanie' },
  { name: 'Métropole Rouen Normandie', region: 'Normandie' },
  { name: 'Brest Métropole', region: 'Bretagne' },
  { name: 'Métropole du Grand Nancy', region: 'Grand Est' },
  { name: 'Tours Métropole Val de Loire', region: 'Centre-Val de Loire' },
  { name: 'Clermont Auvergne Métropole', region: 'Auvergne-Rhône-Alpes' },
  { name: 'Orléans Métropole', region: 'Centre-Val de Loire' },
  { name: 'Dijon Métropole', region: 'Bourgogne-Franche-Comté' },
  { name: 'Saint-Étienne Métropole', region: 'Auvergne-Rhône-Alpes' },
  { name: 'Metz Métropole', region: 'Grand Est' },
  { name: 'Métropole Toulon Provence Méditerranée', region: "Provence-Alpes-Côte d'Azur" },
];

/** The group's four themes, in their order. */
export const THEMES: ReadonlyArray<{ title: string; description: string }> = [
  {
    title: 'Innovation sociale et ESS : quelles différences ?',
    description: "Ce qui distingue l'innovation sociale de l'économie sociale et solidaire, et ce que cela change pour l'action des métropoles.",
  },
  {
    title: "Évaluation de l'utilité sociale",
    description: "Méthodes, indicateurs et retours d'expérience pour évaluer l'utilité sociale des projets soutenus.",
  },
  {
    title: 'Coopérations Région / Métropole / Communes',
    description: "Articuler les compétences et les dispositifs de la Région, de la Métropole et des communes en faveur de l'ESS.",
  },
  {
    title: 'Accompagnement des projets',
    description: "Dispositifs d'accompagnement et de financement des projets d'ESS et d'innovation sociale, de l'idée au changement d'échelle.",
  },
];

export const SEED_PRACTICE: {
  title: string;
  metropolis: string;
  summary: string;
  description: string;
  themes: string[];
  levers: Lever[];
  partners: string[];
  stage: Stage;
} = {
  title: 'Nantes ESS Factory',
  metropolis: 'Nantes Métropole',
  summary:
    "Un parcours intégré d'accompagnement et de financement des projets d'ESS, de la R&D à l'étude d'opportunité, porté par six partenaires du territoire.",
  description: [
    'Lancée en septembre 2017 par Nantes Métropole, la Nantes ESS Factory réunit six partenaires du territoire autour d’un parcours intégré : de la R&D sociale à l’étude d’opportunité, puis au financement.',
    '',
    '- un fonds d’amorçage de près d’1 M€ ;',
    '- un parcours d’accompagnement pour environ 14 projets par an ;',
    '- cinq filières : services aux personnes et aux familles, déchets et ressources, circuits courts et alimentation, habitat et construction, numérique.',
  ].join('\n'),
  themes: ['Accompagnement des projets'],
  levers: ['ecosystem-support', 'direct-support', 'social-rnd'],
  partners: ['Nantes Métropole', 'Fondes', 'Crédit Municipal de Nantes', 'Les Ecossolies', "Caisse d'Épargne Bretagne Pays de Loire", 'ADEME'],
  stage: 'running',
};

export const SEED_SESSIONS: ReadonlyArray<{
  title: string;
  description: string;
  startsAt: string;
  agenda: ReadonlyArray<{ title: string; theme?: string }>;
}> = [
  {
    title: 'Groupe de travail Métropoles, ESS et innovation sociale',
    description:
      "Première réunion du groupe de travail, issu de l'enquête menée en 2018 auprès de 13 métropoles : 9 métropoles y ont participé. Ordre du jour : les quatre thèmes du groupe.",
    startsAt: '2018-06-19T08:00:00.000Z',
    agenda: THEMES.map((theme) => ({ title: theme.title, theme: theme.title })),
  },
  {
    title: 'Deuxième groupe de travail Métropoles, ESS et innovation sociale',
    description:
      'Deuxième réunion du groupe de travail : 11 métropoles y ont participé. Présentations « focus » de la Métropole Européenne de Lille, de Nantes Métropole et de Clermont Auvergne Métropole.',
    startsAt: '2019-03-05T08:00:00.000Z',
    agenda: [
      { title: 'Focus : Métropole Européenne de Lille' },
      { title: 'Focus : Nantes Métropole' },
      { title: 'Focus : Clermont Auvergne Métropole' },
    ],
  },
];
