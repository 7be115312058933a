/** The six levers of the group's 2019 study « Cadres et leviers d'action des métropoles pour renforcer l'ESS ». */
export const LEVERS = [
  'ecosystem-support',
  'direct-support',
  'land-and-third-places',
  'social-rnd',
  'responsible-purchasing',
  'local-dynamics',
] as const;
export type Lever = (typeof LEVERS)[number];

export const LEVER_LABELS: Record<Lever, string> = {
  'ecosystem-support': "Soutien à l'écosystème d'accompagnement et de financement",
  'direct-support': "Soutien direct aux structures de l'ESS",
  'land-and-third-places': 'Accès au foncier et tiers-lieux',
  'social-rnd': 'R&D sociale et dynamiques collaboratives',
  'responsible-purchasing': 'Achats socialement responsables',
  'local-dynamics': 'Animation de la dynamique locale et sensibilisation',
};

export const STAGES = ['idea', 'pilot', 'running', 'scaled'] as const;
export type Stage = (typeof STAGES)[number];

export const STAGE_LABELS: Record<Stage, string> = {
  idea: 'Idée',
  pilot: 'Expérimentation',
  running: 'En fonctionnement',
  scaled: 'Essaimage',
};
