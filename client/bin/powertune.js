#!/usr/bin/env node
// Launcher for `npx powertune`: runs the TypeScript entry point through tsx's ESM loader.
import { register } from 'tsx/esm/api';

register();
await import('../cli/main.ts');
