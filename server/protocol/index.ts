export * from './types';
export * from './requests';
export * from './mcp';
export * from './methods';
export * from './usage';
