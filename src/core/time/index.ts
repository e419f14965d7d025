export * from './duration.ts';
export * from './local-time.ts';
