#!/usr/bin/env node
// `npm run bench`: the harness is TypeScript (linted and type-checked with the rest of the
// tree) and runs through tsx; the CLI under test is the built lib/ (bin/run.js), untouched by tsx.
import {register} from 'tsx/esm/api'

register()
await import('./main.ts')
