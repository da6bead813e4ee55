// Writes docs/openapi.json from the request table and its schemas (run by `npm run build`); the unit test
// server/api/openapi.test.ts fails when the committed file is not what the code generates.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { openApiDocument } from '../server/api/openapi';

const file = path.join(__dirname, '..', 'docs', 'openapi.json');
writeFileSync(file, `${JSON.stringify(openApiDocument('experimental'), null, 2)}\n`);
process.stdout.write(`wrote ${path.relative(process.cwd(), file)}\n`);
