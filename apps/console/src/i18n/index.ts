import { en, type Catalogue } from './en';

/** The strings of the console. One catalogue today; another language is another `Catalogue`. */
export const t: Catalogue = en;
export type { Catalogue };
