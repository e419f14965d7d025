// Championships: points schemes as cited data, standings with workings,
// title maths, and the pure parts of the history (records, streaks).
export * from './points-scheme.ts';
export * from './schemes.ts';
export * from './season.ts';
export * from './round-points.ts';
export * from './standings.ts';
export * from './title-maths.ts';
export * from './history-records.ts';
export * from './streaks.ts';
export * from './from-classification.ts';
export * from './rally-days.ts';
export * from './day-classifications.ts';
export * from './position-overrides.ts';
export * from './standings-history.ts';
