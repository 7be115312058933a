import { InitialSchema1764320000000 } from './migrations/1764320000000-initial-schema';

/** Every migration, in order; listed explicitly so the build and the tests load the same set. */
export const MIGRATIONS = [InitialSchema1764320000000];
