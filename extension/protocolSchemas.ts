// The protocol's zod schemas the extension checks user input with, in a bundle of their own
// (dist/protocolSchemas.js, see lazyBundles.ts).
export { McpServerConfigFields } from '../server/protocol/mcp';
