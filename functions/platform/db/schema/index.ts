export * from './audit';
export * from './environments';
export * from './projects';
export * from './roles';
export * from './throttle';
export * from './users';
